//! The cluster-wide tiers around NetworkPolicy: ClusterNetworkPolicy
//! (`policy.networking.k8s.io/v1alpha2`, network-policy-api v0.2.0) and the
//! AdminNetworkPolicy and BaselineAdminNetworkPolicy (`v1alpha1`, v0.1.8) it merges.
//!
//! From the API's types and their docs (`apis/v1alpha2/clusternetworkpolicy_types.go`):
//!
//! - Tiers are evaluated Admin, then NetworkPolicy, then Baseline ("Policy tiers are
//!   evaluated in the following order"); a connection no tier decides is allowed ("the
//!   default kubernetes policy is applied").
//! - Within a tier, policies by `priority`, lower first ("Policies with lower priority values
//!   have higher precedence"), and each policy's rules in the order written ("a rule that
//!   appears at the top of the ingress rules would take the highest precedence"). The first
//!   rule whose peers and ports match decides: Accept and Deny end the evaluation ("No
//!   further ClusterNetworkPolicy or NetworkPolicy rules will be processed"), Pass skips the
//!   rest of the tier ("passes evaluation to the next tier").
//! - Two policies of one tier with the same priority that match one connection are left to
//!   the implementation ("the implementation can apply any of the matching policies"); the
//!   model takes the one written first, and the reader warns
//!   (`cluster-policy-same-priority`).
//! - `subject` and the `namespaces` and `pods` peers never choose host-network pods ("Note
//!   that host-networked pods are not included"); a `networks` peer matches by address, pod
//!   addresses included ("cluster-internal traffic will be checked against the rule as
//!   well").
//! - A rule's `protocols` (`ports`): absent, every port; a named port is the destination
//!   pod's container port of that name.
//!
//! This module sees the cluster only through [`Seen`] and [`End`], so that `decide` (whose
//! tiered side is reached through the socket `decide::CLUSTER_TIERS`) is the one that knows
//! pods and namespaces.

use std::net::Ipv4Addr;

use crate::scenario::{
    ClusterNetworkPolicy, ClusterPeer, ClusterPolicyKind, ClusterPort, ClusterSelector, ContainerPort,
    Labels, PolicyType, Protocol, Tier,
};

/// What the tiers see of a pod.
#[derive(Clone, Copy, Debug)]
pub struct Seen<'a> {
    pub labels: &'a Labels,
    /// Its namespace's labels (with `kubernetes.io/metadata.name`).
    pub namespace_labels: &'a Labels,
    pub host_network: bool,
    pub ip: Option<Ipv4Addr>,
    pub ports: &'a [ContainerPort],
}

/// One end of a connection: a pod, or an address outside the pods.
#[derive(Clone, Copy, Debug)]
pub enum End<'a> {
    Pod(Seen<'a>),
    Outside(Ipv4Addr),
}

/// One side's question: the `direction` of a pod, towards `peer`, for a connection to `dst`
/// on `protocol`/`port`.
#[derive(Clone, Copy, Debug)]
pub struct Ask<'a> {
    pub direction: PolicyType,
    pub subject: Seen<'a>,
    pub peer: End<'a>,
    pub dst: End<'a>,
    pub port: u16,
    pub protocol: Protocol,
}

/// The policies of `tier`, in evaluation order: by priority, then as written.
pub fn ordered(cluster: &[ClusterNetworkPolicy], tier: Tier) -> Vec<usize> {
    let mut order: Vec<usize> = (0..cluster.len()).filter(|&p| cluster[p].tier == tier).collect();
    sorted::sort_by_key(&mut order, |&p| (cluster[p].priority, p));
    order
}

/// The first rule of `tier` that matches the connection `ask` describes, as (policy, rule).
pub fn first_match(cluster: &[ClusterNetworkPolicy], tier: Tier, ask: &Ask<'_>) -> Option<(usize, usize)> {
    for p in ordered(cluster, tier) {
        let policy = &cluster[p];
        if !chooses(&policy.subject, &ask.subject) {
            continue;
        }
        for (r, rule) in policy.rules(ask.direction).iter().enumerate() {
            if rule.peers.iter().any(|pe| peer_matches(pe, &ask.peer))
                && port_matches(rule.ports.as_deref(), ask)
            {
                return Some((p, r));
            }
        }
    }
    None
}

/// Whether `sel` chooses the pod `pod` (never a host-network one).
pub fn chooses(sel: &ClusterSelector, pod: &Seen<'_>) -> bool {
    !pod.host_network
        && match sel {
            ClusterSelector::Namespaces(namespaces) => namespaces.matches(pod.namespace_labels),
            ClusterSelector::Pods { namespaces, pods } => {
                namespaces.matches(pod.namespace_labels) && pods.matches(pod.labels)
            }
        }
}

/// The cluster-wide policies whose `subject` chooses `pod`, in evaluation order, each as
/// `ClusterNetworkPolicy name (Admin tier, priority 10)`.
pub fn choosing(cluster: &[ClusterNetworkPolicy], pod: &Seen<'_>) -> Vec<String> {
    [Tier::Admin, Tier::Baseline]
        .into_iter()
        .flat_map(|tier| ordered(cluster, tier))
        .map(|p| &cluster[p])
        .filter(|p| chooses(&p.subject, pod))
        .map(|p| match p.kind {
            ClusterPolicyKind::BaselineAdminNetworkPolicy => {
                format!("{} {} (Baseline tier)", p.kind.as_str(), p.name)
            }
            _ => {
                format!("{} {} ({} tier, priority {})", p.kind.as_str(), p.name, p.tier.as_str(), p.priority)
            }
        })
        .collect()
}

fn peer_matches(peer: &ClusterPeer, end: &End<'_>) -> bool {
    match (peer, end) {
        (ClusterPeer::Pods(sel), End::Pod(pod)) => chooses(sel, pod),
        (ClusterPeer::Pods(_), End::Outside(_)) => false,
        (ClusterPeer::Networks(cidrs), _) => {
            let ip = match end {
                End::Outside(ip) => Some(*ip),
                End::Pod(pod) => pod.ip,
            };
            ip.is_some_and(|ip| cidrs.iter().any(|c| c.contains(ip)))
        }
    }
}

fn port_matches(ports: Option<&[ClusterPort]>, ask: &Ask<'_>) -> bool {
    let Some(ports) = ports else { return true };
    ports.iter().any(|p| match p {
        ClusterPort::Range { protocol, first, last } => {
            *protocol == ask.protocol && (*first..=*last).contains(&ask.port)
        }
        ClusterPort::Named(name) => match ask.dst {
            End::Pod(pod) => {
                !pod.host_network
                    && pod.ports.iter().any(|cp| {
                        cp.name.as_deref() == Some(name)
                            && cp.protocol == ask.protocol
                            && cp.container_port == ask.port
                    })
            }
            End::Outside(_) => false,
        },
    })
}
