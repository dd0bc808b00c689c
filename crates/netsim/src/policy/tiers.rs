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

use super::decide::{ClusterRuleRef, Connection, Endpoint, NetworkPolicies, TierFn};
use crate::scenario::{
    ClusterNetworkPolicy, ClusterPeer, ClusterPort, ClusterRule, ClusterSelector, PolicyType, Tier,
};

/// [`first_match`], for [`super::decide::CLUSTER_TIERS`].
pub(super) static FIRST_MATCH: TierFn = first_match;

/// Makes the tiers evaluated from now on (with `gateway-later`; always, otherwise).
pub fn install() {
    super::decide::CLUSTER_TIERS.plug(&FIRST_MATCH);
}

/// The policies of `tier`, in evaluation order: by priority, then as written.
pub(super) fn ordered(np: &NetworkPolicies, tier: Tier) -> Vec<usize> {
    let mut order: Vec<usize> = (0..np.cluster.len()).filter(|&p| np.cluster[p].tier == tier).collect();
    sorted::sort_by_key(&mut order, |&p| (np.cluster[p].priority, p));
    order
}

/// The first rule of `tier`, for the `direction` of pod `i` towards `peer`, that matches the
/// connection.
pub fn first_match(
    np: &NetworkPolicies,
    tier: Tier,
    direction: PolicyType,
    i: usize,
    peer: Endpoint,
    c: &Connection,
) -> Option<ClusterRuleRef> {
    for p in ordered(np, tier) {
        let policy = &np.cluster[p];
        if !chooses(np, &policy.subject, i) {
            continue;
        }
        for (r, rule) in policy.rules(direction).iter().enumerate() {
            if peer_matches(np, rule, peer) && port_matches(np, rule, c) {
                return Some(rule_ref(np, p, direction, r));
            }
        }
    }
    None
}

/// A reference to rule `r` of `direction` of cluster policy `p`.
pub fn rule_ref(np: &NetworkPolicies, p: usize, direction: PolicyType, r: usize) -> ClusterRuleRef {
    let policy: &ClusterNetworkPolicy = &np.cluster[p];
    let rule: &ClusterRule = &policy.rules(direction)[r];
    ClusterRuleRef {
        kind: policy.kind,
        policy_index: p,
        policy: policy.name.clone(),
        tier: policy.tier,
        priority: policy.priority,
        direction,
        index: r,
        name: rule.name.clone(),
        action: rule.action,
        source: rule.source.clone(),
        policy_source: policy.source.clone(),
    }
}

/// Whether `sel` chooses pod `i`.
pub fn chooses(np: &NetworkPolicies, sel: &ClusterSelector, i: usize) -> bool {
    let Some(pod) = np.pods.get(i) else { return false };
    if pod.host_network {
        return false;
    }
    let ns = &np.namespaces.labels[np.pod_ns[i]];
    match sel {
        ClusterSelector::Namespaces(namespaces) => namespaces.matches(ns),
        ClusterSelector::Pods { namespaces, pods } => namespaces.matches(ns) && pods.matches(&pod.labels),
    }
}

fn peer_matches(np: &NetworkPolicies, rule: &ClusterRule, peer: Endpoint) -> bool {
    rule.peers.iter().any(|pe| match (pe, peer) {
        (ClusterPeer::Pods(sel), Endpoint::Pod(j)) => chooses(np, sel, j),
        (ClusterPeer::Pods(_), Endpoint::Outside(_)) => false,
        (ClusterPeer::Networks(cidrs), _) => {
            let ip = match peer {
                Endpoint::Outside(ip) => Some(ip),
                Endpoint::Pod(j) => np.pods.get(j).and_then(|p| p.ip),
            };
            ip.is_some_and(|ip| cidrs.iter().any(|c| c.contains(ip)))
        }
    })
}

fn port_matches(np: &NetworkPolicies, rule: &ClusterRule, c: &Connection) -> bool {
    let Some(ports) = &rule.ports else { return true };
    ports.iter().any(|p| match p {
        ClusterPort::Range { protocol, first, last } => {
            *protocol == c.protocol && (*first..=*last).contains(&c.port)
        }
        ClusterPort::Named(name) => match c.dst {
            Endpoint::Pod(j) => np.pods.get(j).is_some_and(|pod| {
                !pod.host_network
                    && pod.ports.iter().any(|cp| {
                        cp.name.as_deref() == Some(name)
                            && cp.protocol == c.protocol
                            && cp.container_port == c.port
                    })
            }),
            Endpoint::Outside(_) => false,
        },
    })
}
