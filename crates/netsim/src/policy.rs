//! NetworkPolicy (`networking.k8s.io/v1`): which connections a set of policies allows,
//! why, and the reachability matrix of a whole cluster on one port ([`crate::connlist`]
//! answers for every port at once, with the building blocks of `Selection`).
//!
//! The rules follow <https://kubernetes.io/docs/concepts/services-networking/network-policies/>
//! and the API reference
//! <https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/>:
//!
//! - A pod is *isolated* for a direction once any policy in its namespace selects it
//!   (`spec.podSelector`) with that direction in `policyTypes`. An isolated pod only
//!   accepts (ingress) or opens (egress) connections that some rule of that direction,
//!   in some policy selecting it, admits. Policies are additive allow-lists: there are
//!   no deny rules and their order does not matter.
//! - A connection needs both sides: the source's egress and the destination's ingress.
//!
//! Choices where the docs leave room, each one a documented behaviour of common CNIs:
//!
//! - **Replies** of an allowed connection are allowed: enforcement is stateful (the docs:
//!   "traffic to and from the node where a Pod is running is always allowed", and the
//!   reply direction is never checked against policy). [`Decision`] speaks for both
//!   directions of one connection.
//! - **A pod talking to itself** is always allowed ("a pod cannot block access to
//!   itself", docs, introduction). The upstream e2e suite ignores loopback because CNIs
//!   differ; [`PolicyOptions::pod_to_itself_always_allowed`] switches it off.
//! - **ipBlock and pod IPs**: the API reference says ipBlock "should be cluster-external
//!   IPs, since Pod IPs are ephemeral and unpredictable"; CNIs differ (Calico matches pod
//!   IPs by address, Cilium does not). We follow the upstream e2e tests ("should allow
//!   egress access to server in CIDR block" targets a pod IP) and Calico:
//!   [`IP_BLOCK_MATCHES_POD_IPS`] is `true` by default, see [`PolicyOptions`].
//! - **Host-network pods** are treated as their node, the behaviour the docs describe for
//!   plugins that cannot tell host-network pods apart ("NetworkPolicy and hostNetwork
//!   pods"): no `podSelector` selects them (so they are never isolated), no
//!   `podSelector`/`namespaceSelector` peer matches them, an ipBlock on their (node) IP
//!   does, and a named port never resolves against them.
//! - **Not modelled here**: the node-local exemption ("traffic to and from the node where
//!   a Pod is running is always allowed") needs node placement, which the trace code
//!   knows; and rules of a direction missing from `policyTypes` are ignored, as the API
//!   server's defaulting makes them.
//!
//! Malformed input never panics: an `endPort` below `port` admits nothing, an `endPort`
//! on a named port is ignored, an `except` outside its `cidr` excludes nothing, a peer
//! with neither selector (rejected by the API server) matches nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::net::Ipv4Addr;

use crate::connlist::{NamedPort, PortSet};
use crate::scenario::{
    Cidr, ContainerPort, LabelSelector, Labels, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule,
    PolicyType, PortRef, Protocol, SelectorOperator, Source,
};

/// The label every namespace carries (`kubernetes.io/metadata.name=<name>`), added by the
/// API server since 1.22 and relied on by "Targeting a Namespace by its name" in the docs.
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// Default for [`PolicyOptions::ip_block_matches_pod_ips`]: an ipBlock matches a pod by
/// its IP (Calico, the upstream e2e tests). Cilium-style plugins do not.
pub const IP_BLOCK_MATCHES_POD_IPS: bool = true;

/// The pod fields NetworkPolicy looks at. The trace code builds these from its cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyPod {
    pub namespace: String,
    pub name: String,
    pub labels: Labels,
    pub ip: Ipv4Addr,
    pub ports: Vec<ContainerPort>,
    pub host_network: bool,
}

/// Behaviour that real plugins disagree on; the defaults are documented at the module top.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyOptions {
    /// Whether an ipBlock peer matches a (non host-network) pod whose IP is in the block.
    pub ip_block_matches_pod_ips: bool,
    /// Whether a pod reaching itself bypasses policy ("a pod cannot block access to itself").
    pub pod_to_itself_always_allowed: bool,
}

impl Default for PolicyOptions {
    fn default() -> Self {
        PolicyOptions {
            ip_block_matches_pod_ips: IP_BLOCK_MATCHES_POD_IPS,
            pod_to_itself_always_allowed: true,
        }
    }
}

/// One end of a connection: a pod (index into the pods given to [`NetworkPolicies::new`])
/// or an address outside the pod network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Endpoint {
    Pod(usize),
    Outside(Ipv4Addr),
}

/// A connection attempt: `src` opens `protocol`/`port` towards `dst`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Connection {
    pub src: Endpoint,
    pub dst: Endpoint,
    pub port: u16,
    pub protocol: Protocol,
}

/// A policy, by position in the input and by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyRef {
    pub index: usize,
    pub namespace: String,
    pub name: String,
    pub source: Option<Source>,
}

impl fmt::Display for PolicyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.namespace, self.name)
    }
}

/// One rule: `policy`'s `ingress[index]` or `egress[index]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleRef {
    pub policy: PolicyRef,
    pub direction: PolicyType,
    pub index: usize,
    pub source: Option<Source>,
}

impl fmt::Display for RuleRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} rule {}[{}]", self.policy, direction_str(self.direction), self.index)
    }
}

/// A part of a rule that did not match the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mismatch {
    Peer,
    Protocol,
    Port,
}

/// The rule that came closest to admitting a denied connection (most parts matching;
/// ties go to the first policy, then the first rule) and why it did not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NearMiss {
    pub rule: RuleRef,
    /// Every part that failed, in the order peer, protocol, port.
    pub mismatches: Vec<Mismatch>,
    /// One sentence for the learner.
    pub explanation: String,
}

/// What one side (the source's egress or the destination's ingress) decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The endpoint is not a pod: NetworkPolicy has nothing to say on this side.
    NotAPod,
    /// A host-network pod is treated as its node: no policy isolates it.
    HostNetwork,
    /// No policy in the pod's namespace selects it for this direction.
    NotIsolated,
    /// Isolated, and `by` admits the connection (the first admitting rule).
    Allowed { by: RuleRef },
    /// Isolated and no rule admits it; `closest` is `None` when the selecting policies
    /// have no rule of this direction at all (a default deny).
    Denied { closest: Option<NearMiss> },
}

/// One side of a [`Decision`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Side {
    pub direction: PolicyType,
    pub endpoint: Endpoint,
    /// `namespace/name` of the pod, or the address.
    pub who: String,
    /// The other end of the connection, as this side's rules see it.
    pub peer: Endpoint,
    /// Every policy that selects the pod for this direction, in input order.
    pub selected_by: Vec<PolicyRef>,
    pub verdict: Verdict,
}

impl Side {
    pub fn allows(&self) -> bool {
        !matches!(self.verdict, Verdict::Denied { .. })
    }

    /// One line for a trace hop, naming the other end as `peer`:
    /// `ingress of prod/db from 10.244.1.5 (prod/api): allowed by prod/db-policy rule ingress[0]`.
    pub fn sentence(&self, peer: &str) -> String {
        let dir = direction_str(self.direction);
        let by: Vec<String> = self.selected_by.iter().map(ToString::to_string).collect();
        let by = by.join(", ");
        let towards = match self.direction {
            PolicyType::Ingress => "from",
            PolicyType::Egress => "to",
        };
        match &self.verdict {
            Verdict::NotAPod => format!("{dir}: {} is not a pod, no NetworkPolicy applies", self.who),
            Verdict::HostNetwork => {
                format!("{dir} of {}: host-network pod, treated as its node: never isolated", self.who)
            }
            Verdict::NotIsolated => {
                format!("{dir} of {}: not isolated (no NetworkPolicy selects it for {dir})", self.who)
            }
            Verdict::Allowed { by: rule } => {
                format!("{dir} of {} {towards} {peer}: allowed by {rule}", self.who)
            }
            Verdict::Denied { closest: None } => format!(
                "{dir} of {} {towards} {peer}: denied: {by} select{} it for {dir} and none has an {dir} rule (default deny)",
                self.who,
                if self.selected_by.len() == 1 { "s" } else { "" }
            ),
            Verdict::Denied { closest: Some(miss) } => format!(
                "{dir} of {} {towards} {peer}: denied: no {dir} rule of {by} admits it; closest: {}",
                self.who, miss.explanation
            ),
        }
    }
}

/// Whether a connection is allowed, and why. Replies of an allowed connection are allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub connection: Connection,
    pub allowed: bool,
    /// The pod reached itself, which policy cannot block: the sides are still reported
    /// (for the learner) but do not count.
    pub to_itself: bool,
    pub egress: Side,
    pub ingress: Side,
}

/// Namespaces by name with their labels (the automatic name label included).
#[derive(Clone, Debug, Default, PartialEq)]
struct Namespaces {
    names: Vec<String>,
    labels: Vec<Labels>,
    index: BTreeMap<String, usize>,
}

impl Namespaces {
    fn add(&mut self, name: &str, labels: &Labels) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let mut labels = labels.clone();
        labels.entry(NAMESPACE_NAME_LABEL.to_string()).or_insert_with(|| name.to_string());
        self.names.push(name.to_string());
        self.labels.push(labels);
        self.index.insert(name.to_string(), self.names.len() - 1);
        self.names.len() - 1
    }
}

/// A set of NetworkPolicies applied to a set of pods: answers single connections with
/// explanations ([`NetworkPolicies::decide`]) and whole matrices
/// ([`NetworkPolicies::reachability`]).
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkPolicies {
    pods: Vec<PolicyPod>,
    policies: Vec<NetworkPolicy>,
    options: PolicyOptions,
    namespaces: Namespaces,
    /// Namespace index of each pod.
    pod_ns: Vec<usize>,
}

impl NetworkPolicies {
    /// `namespaces` as `(name, labels)`; namespaces that pods use but that are not listed
    /// get only the automatic name label. The first entry for a name wins.
    pub fn new(
        namespaces: &[(String, Labels)],
        pods: Vec<PolicyPod>,
        policies: Vec<NetworkPolicy>,
        options: PolicyOptions,
    ) -> NetworkPolicies {
        let mut ns = Namespaces::default();
        for (name, labels) in namespaces {
            ns.add(name, labels);
        }
        let empty = Labels::new();
        let pod_ns = pods.iter().map(|p| ns.add(&p.namespace, &empty)).collect();
        NetworkPolicies { pods, policies, options, namespaces: ns, pod_ns }
    }

    pub fn pods(&self) -> &[PolicyPod] {
        &self.pods
    }

    pub fn policies(&self) -> &[NetworkPolicy] {
        &self.policies
    }

    pub fn options(&self) -> PolicyOptions {
        self.options
    }

    /// Whether `rule` admits `peer` only through an ipBlock matching a pod's IP: the case the
    /// API reference warns about ("ipBlock ... should be cluster-external IPs"), where
    /// plugins differ. See [`PolicyOptions::ip_block_matches_pod_ips`].
    pub fn admitted_by_ip_block_on_pod(&self, rule: &RuleRef, peer: Endpoint) -> bool {
        let Endpoint::Pod(i) = self.normalize(peer) else { return false };
        let Some(policy) = self.policies.get(rule.policy.index) else { return false };
        let Some(body) = rules(policy, rule.direction).get(rule.index) else { return false };
        if self.pods[i].host_network || body.peers.is_empty() {
            return false;
        }
        let by_selector = body
            .peers
            .iter()
            .any(|pe| matches!(pe, PolicyPeer::Pods { .. }) && self.peer_matches(policy, pe, peer));
        let by_block = body
            .peers
            .iter()
            .any(|pe| matches!(pe, PolicyPeer::IpBlock { .. }) && self.peer_matches(policy, pe, peer));
        by_block && !by_selector
    }

    /// The labels a namespace selector sees for `namespace` (with the automatic name label).
    pub fn namespace_labels(&self, namespace: &str) -> Labels {
        match self.namespaces.index.get(namespace) {
            Some(&i) => self.namespaces.labels[i].clone(),
            None => sorted::map([(NAMESPACE_NAME_LABEL.to_string(), namespace.to_string())]),
        }
    }

    /// Whether the connection is allowed: shorthand for `decide(c).allowed`.
    pub fn allows(&self, c: &Connection) -> bool {
        self.decide(c).allowed
    }

    /// The explained decision for one connection. Pod indexes out of range are treated
    /// as addresses that nobody knows (`0.0.0.0`), never a panic.
    pub fn decide(&self, c: &Connection) -> Decision {
        let src = self.normalize(c.src);
        let dst = self.normalize(c.dst);
        let c = Connection { src, dst, ..*c };
        let to_itself = self.options.pod_to_itself_always_allowed
            && matches!((src, dst), (Endpoint::Pod(a), Endpoint::Pod(b)) if a == b);
        let egress = self.side(PolicyType::Egress, src, dst, &c);
        let ingress = self.side(PolicyType::Ingress, dst, src, &c);
        let allowed = to_itself || (egress.allows() && ingress.allows());
        Decision { connection: c, allowed, to_itself, egress, ingress }
    }

    fn normalize(&self, e: Endpoint) -> Endpoint {
        match e {
            Endpoint::Pod(i) if i >= self.pods.len() => Endpoint::Outside(Ipv4Addr::UNSPECIFIED),
            e => e,
        }
    }

    fn who(&self, e: Endpoint) -> String {
        match e {
            Endpoint::Pod(i) => format!("{}/{}", self.pods[i].namespace, self.pods[i].name),
            Endpoint::Outside(ip) => ip.to_string(),
        }
    }

    fn policy_ref(&self, index: usize) -> PolicyRef {
        let p = &self.policies[index];
        PolicyRef { index, namespace: p.namespace.clone(), name: p.name.clone(), source: p.source.clone() }
    }

    /// Whether pod `i` is isolated for `direction`: some policy selects it with that type.
    pub fn isolated(&self, i: usize, direction: PolicyType) -> bool {
        i < self.pods.len() && self.policies.iter().any(|p| self.selects(p, i, direction))
    }

    /// Whether policy `p` selects pod `i` for `direction`.
    fn selects(&self, p: &NetworkPolicy, i: usize, direction: PolicyType) -> bool {
        p.policy_types.contains(&direction) && self.selects_any(p, i)
    }

    /// Whether `spec.podSelector` of policy `p` (by index) selects pod `i`, whatever its
    /// `policyTypes`. Out-of-range indexes select nothing.
    pub fn selects_pod(&self, p: usize, i: usize) -> bool {
        i < self.pods.len() && self.policies.get(p).is_some_and(|p| self.selects_any(p, i))
    }

    fn selects_any(&self, p: &NetworkPolicy, i: usize) -> bool {
        let pod = &self.pods[i];
        !pod.host_network && pod.namespace == p.namespace && p.pod_selector.matches(&pod.labels)
    }

    /// Whether some peer of `peers` (a rule of policy `p`, by index) matches pod `i`; an
    /// empty list matches every pod, as a rule without `from`/`to` does.
    pub fn peers_match_pod(&self, p: usize, peers: &[PolicyPeer], i: usize) -> bool {
        let Some(policy) = self.policies.get(p) else { return false };
        i < self.pods.len()
            && (peers.is_empty() || peers.iter().any(|pe| self.peer_matches(policy, pe, Endpoint::Pod(i))))
    }

    /// `subject` is the pod whose `direction` is checked; `peer` the other end.
    fn side(&self, direction: PolicyType, subject: Endpoint, peer: Endpoint, c: &Connection) -> Side {
        let who = self.who(subject);
        let mk = |selected_by, verdict| Side {
            direction,
            endpoint: subject,
            who: who.clone(),
            peer,
            selected_by,
            verdict,
        };
        let i = match subject {
            Endpoint::Outside(_) => return mk(Vec::new(), Verdict::NotAPod),
            Endpoint::Pod(i) => i,
        };
        if self.pods[i].host_network {
            return mk(Vec::new(), Verdict::HostNetwork);
        }
        // A named port resolves against the destination pod, whichever side is checked.
        let named_target = c.dst;
        let selecting: Vec<usize> =
            (0..self.policies.len()).filter(|&p| self.selects(&self.policies[p], i, direction)).collect();
        let selected_by: Vec<PolicyRef> = selecting.iter().map(|&p| self.policy_ref(p)).collect();
        if selecting.is_empty() {
            return mk(selected_by, Verdict::NotIsolated);
        }
        let mut best: Option<(u8, usize, usize, RuleMatch)> = None;
        for &p in &selecting {
            let policy = &self.policies[p];
            for (r, rule) in rules(policy, direction).iter().enumerate() {
                let m = self.rule_match(policy, rule, peer, named_target, c.port, c.protocol);
                if m.peer && m.port {
                    let by = self.rule_ref(p, direction, r);
                    return mk(selected_by, Verdict::Allowed { by });
                }
                // A rule that admits the peer is the closest: its port is what the learner got wrong.
                // Among rules that do not, one with a peer half matched (the namespace but not
                // the pod labels, or the other way) is closer than one with nothing in common.
                let partly = !m.peer && self.peer_partly_matches(policy, &rule.peers, peer);
                let score =
                    6 * u8::from(m.peer) + 2 * u8::from(m.protocol) + 2 * u8::from(m.port) + u8::from(partly);
                if best.as_ref().is_none_or(|b| score > b.0) {
                    best = Some((score, p, r, m));
                }
            }
        }
        let closest = best.map(|(_, p, r, m)| {
            let rule = self.rule_ref(p, direction, r);
            let policy = &self.policies[p];
            let body = &rules(policy, direction)[r];
            let mut mismatches = Vec::new();
            if !m.peer {
                mismatches.push(Mismatch::Peer);
            }
            if !m.protocol {
                mismatches.push(Mismatch::Protocol);
            } else if !m.port {
                mismatches.push(Mismatch::Port);
            }
            let explanation = self.explain_miss(&rule, policy, body, &mismatches, peer, named_target, c);
            NearMiss { rule, mismatches, explanation }
        });
        mk(selected_by, Verdict::Denied { closest })
    }

    fn rule_ref(&self, p: usize, direction: PolicyType, r: usize) -> RuleRef {
        let source = rules(&self.policies[p], direction).get(r).and_then(|rule| rule.source.clone());
        RuleRef { policy: self.policy_ref(p), direction, index: r, source }
    }

    fn rule_match(
        &self,
        policy: &NetworkPolicy,
        rule: &PolicyRule,
        peer: Endpoint,
        named_target: Endpoint,
        port: u16,
        protocol: Protocol,
    ) -> RuleMatch {
        let peer_ok =
            rule.peers.is_empty() || rule.peers.iter().any(|pe| self.peer_matches(policy, pe, peer));
        let protocol_ok = rule.ports.is_empty() || rule.ports.iter().any(|pp| pp.protocol == protocol);
        let port_ok = rule.ports.is_empty()
            || rule.ports.iter().any(|pp| self.port_matches(pp, named_target, port, protocol));
        RuleMatch { peer: peer_ok, protocol: protocol_ok, port: port_ok }
    }

    fn peer_matches(&self, policy: &NetworkPolicy, peer: &PolicyPeer, e: Endpoint) -> bool {
        match peer {
            PolicyPeer::Pods { pod_selector, namespace_selector } => {
                let Endpoint::Pod(i) = e else { return false };
                let pod = &self.pods[i];
                if pod.host_network || (pod_selector.is_none() && namespace_selector.is_none()) {
                    return false;
                }
                let ns_ok = match namespace_selector {
                    Some(sel) => sel.matches(&self.namespaces.labels[self.pod_ns[i]]),
                    None => pod.namespace == policy.namespace,
                };
                ns_ok && pod_selector.as_ref().is_none_or(|sel| sel.matches(&pod.labels))
            }
            PolicyPeer::IpBlock { cidr, except } => {
                self.ip_for_ip_block(e).is_some_and(|ip| ip_block_admits(*cidr, except, ip))
            }
        }
    }

    /// Whether some pod peer of a rule matches `e` in one of its two halves: the namespace
    /// (a namespaceSelector, or the policy's own namespace) or the pod labels.
    fn peer_partly_matches(&self, policy: &NetworkPolicy, peers: &[PolicyPeer], e: Endpoint) -> bool {
        let Endpoint::Pod(i) = e else { return false };
        let pod = &self.pods[i];
        peers.iter().any(|peer| match peer {
            PolicyPeer::Pods { pod_selector, namespace_selector } if !pod.host_network => {
                let ns_ok = match namespace_selector {
                    Some(sel) => sel.matches(&self.namespaces.labels[self.pod_ns[i]]),
                    None => pod.namespace == policy.namespace,
                };
                let pod_ok = pod_selector.as_ref().is_some_and(|sel| sel.matches(&pod.labels));
                (ns_ok && pod_selector.is_some()) || pod_ok
            }
            _ => false,
        })
    }

    /// The address an ipBlock sees for an endpoint, if it sees one.
    fn ip_for_ip_block(&self, e: Endpoint) -> Option<Ipv4Addr> {
        match e {
            Endpoint::Outside(ip) => Some(ip),
            Endpoint::Pod(i) => {
                let pod = &self.pods[i];
                (pod.host_network || self.options.ip_block_matches_pod_ips).then_some(pod.ip)
            }
        }
    }

    fn port_matches(&self, pp: &PolicyPort, target: Endpoint, port: u16, protocol: Protocol) -> bool {
        if pp.protocol != protocol {
            return false;
        }
        match &pp.port {
            None => true,
            Some(PortRef::Number(n)) => match pp.end_port {
                Some(end) => (*n..=end).contains(&port),
                None => *n == port,
            },
            Some(PortRef::Name(name)) => self.resolve_named(target, name, protocol).contains(&port),
        }
    }

    /// The numbers a named port stands for on `target` (several if containers repeat a name).
    fn resolve_named(&self, target: Endpoint, name: &str, protocol: Protocol) -> Vec<u16> {
        match target {
            Endpoint::Pod(i) if !self.pods[i].host_network => self.pods[i]
                .ports
                .iter()
                .filter(|cp| cp.protocol == protocol && cp.name.as_deref() == Some(name))
                .map(|cp| cp.container_port)
                .collect(),
            _ => Vec::new(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn explain_miss(
        &self,
        rule: &RuleRef,
        policy: &NetworkPolicy,
        body: &PolicyRule,
        mismatches: &[Mismatch],
        peer: Endpoint,
        named_target: Endpoint,
        c: &Connection,
    ) -> String {
        let role = match rule.direction {
            PolicyType::Ingress => "source",
            PolicyType::Egress => "destination",
        };
        let mut parts = Vec::new();
        if mismatches.contains(&Mismatch::Peer) {
            let lesson =
                self.peer_lesson(policy, &body.peers, peer, rule.direction).map(|l| format!(" ({l})"));
            parts.push(format!(
                "{rule} admits {}, but the {role} {}{}",
                describe_peers(policy, &body.peers),
                self.describe_peer_miss(policy, &body.peers, peer),
                lesson.unwrap_or_default()
            ));
        }
        if mismatches.contains(&Mismatch::Protocol) || mismatches.contains(&Mismatch::Port) {
            let admits = self.describe_ports(&body.ports, named_target);
            let lead =
                if parts.is_empty() { format!("{rule} admits") } else { "it also only admits".to_string() };
            let what = if mismatches.contains(&Mismatch::Protocol) {
                format!("the connection uses {}", c.protocol)
            } else {
                format!("the connection is to {} port {}", c.protocol, c.port)
            };
            parts.push(format!("{lead} {admits}, but {what}"));
        }
        parts.join("; ")
    }

    /// The AND/OR lesson of a rule's peers for `e`: with several peers, which matched (one is
    /// enough); with one peer holding both selectors, which half matched (both must).
    /// https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors
    fn peer_lesson(
        &self,
        policy: &NetworkPolicy,
        peers: &[PolicyPeer],
        e: Endpoint,
        direction: PolicyType,
    ) -> Option<String> {
        let field = match direction {
            PolicyType::Ingress => "from",
            PolicyType::Egress => "to",
        };
        let verb = |ok: bool| if ok { "matches" } else { "does not match" };
        // Which half of a peer with both selectors matched, for a pod.
        let halves = |peer: &PolicyPeer| match (peer, e) {
            (
                PolicyPeer::Pods { pod_selector: Some(pods), namespace_selector: Some(ns) },
                Endpoint::Pod(i),
            ) => Some(format!(
                "its namespaceSelector {}, its podSelector {}",
                verb(ns.matches(&self.namespaces.labels[self.pod_ns[i]])),
                verb(pods.matches(&self.pods[i].labels))
            )),
            _ => None,
        };
        if peers.len() >= 2 {
            let each: Vec<String> = peers
                .iter()
                .map(|p| {
                    let ok = self.peer_matches(policy, p, e);
                    let why = halves(p).filter(|_| !ok).map(|h| format!(" ({h})")).unwrap_or_default();
                    format!("the {} {}{why}", peer_kind(p), verb(ok))
                })
                .collect();
            return Some(format!(
                "`{field}` has {} peers and one matching peer is enough: {}",
                peers.len(),
                each.join(", ")
            ));
        }
        let [peer] = peers else { return None };
        halves(peer).map(|h| format!("`{field}` has one peer with both selectors, so both must match: {h}"))
    }

    /// The cause of one side's verdict in a sentence that starts with it, for a learner
    /// reading why a connection was dropped (or let through): the closest rule and what
    /// differs, the default deny, the rule that admitted it, or why no policy applies.
    pub fn cause(&self, side: &Side) -> String {
        let dir = direction_str(side.direction);
        let who = &side.who;
        let by: Vec<String> = side.selected_by.iter().map(ToString::to_string).collect();
        match &side.verdict {
            Verdict::NotAPod => format!("{who} is not a pod: no NetworkPolicy applies to its {dir}"),
            Verdict::HostNetwork => {
                format!("{who} uses the host network: NetworkPolicy treats it as its node and never isolates it")
            }
            Verdict::NotIsolated => {
                format!("No NetworkPolicy selects {who} for {dir}, so every {dir} connection of it is allowed")
            }
            Verdict::Allowed { by: rule } => {
                let peers = self
                    .policies
                    .get(rule.policy.index)
                    .and_then(|p| rules(p, rule.direction).get(rule.index).map(|r| (p, r)));
                let Some((policy, body)) = peers else { return format!("NetworkPolicy {rule} admits it") };
                let admits = if body.peers.is_empty() {
                    "every peer".to_string()
                } else {
                    describe_peers(policy, &body.peers)
                };
                let lesson = self
                    .peer_lesson(policy, &body.peers, side.peer, rule.direction)
                    .map(|l| format!("; {l}"));
                let by_ip = if self.admitted_by_ip_block_on_pod(rule, side.peer) {
                    "; its ipBlock matches the pod's IP (as Calico does; some plugins do not)"
                } else {
                    ""
                };
                format!(
                    "NetworkPolicy {rule} admits {}: it admits {admits}{}{by_ip}",
                    self.who(side.peer),
                    lesson.unwrap_or_default()
                )
            }
            Verdict::Denied { closest: Some(miss) } => format!("NetworkPolicy {}", miss.explanation),
            Verdict::Denied { closest: None } if by.len() == 1 => format!(
                "NetworkPolicy {} selects {who} for {dir} and has no {dir} rule, so every {dir} connection of it is denied (default deny)",
                by[0]
            ),
            Verdict::Denied { closest: None } => format!(
                "NetworkPolicies {} select {who} for {dir} and none has an {dir} rule, so every {dir} connection of it is denied (default deny)",
                by.join(", ")
            ),
        }
    }

    /// "pod prod/web-0 has app=web" and the like: the facts the selectors looked at.
    fn describe_peer_miss(&self, policy: &NetworkPolicy, peers: &[PolicyPeer], e: Endpoint) -> String {
        let i = match e {
            Endpoint::Outside(ip) if peers.iter().any(|p| matches!(p, PolicyPeer::IpBlock { .. })) => {
                return format!("{ip} is in none of its ipBlocks");
            }
            Endpoint::Outside(ip) => {
                return format!("{ip} is not a pod, and pod and namespace selectors only match pods");
            }
            Endpoint::Pod(i) => i,
        };
        let pod = &self.pods[i];
        let name = format!("pod {}/{}", pod.namespace, pod.name);
        if pod.host_network {
            return format!(
                "{name} uses the host network, so only an ipBlock on its node IP {} can match it",
                pod.ip
            );
        }
        let mut pod_keys = Vec::new();
        let mut ns_keys = Vec::new();
        let mut own_ns_only = false;
        let mut ip_blocks = false;
        for peer in peers {
            match peer {
                PolicyPeer::Pods { pod_selector, namespace_selector } => {
                    if let Some(s) = pod_selector {
                        selector_keys(s, &mut pod_keys);
                    }
                    match namespace_selector {
                        Some(s) => selector_keys(s, &mut ns_keys),
                        None => own_ns_only = true,
                    }
                }
                PolicyPeer::IpBlock { .. } => ip_blocks = true,
            }
        }
        let mut facts = Vec::new();
        if !pod_keys.is_empty() {
            facts.push(format!("has {}", show_keys(&pod.labels, &pod_keys)));
        }
        if !ns_keys.is_empty() {
            let ns_labels = &self.namespaces.labels[self.pod_ns[i]];
            facts.push(format!("is in namespace {} with {}", pod.namespace, show_keys(ns_labels, &ns_keys)));
        } else if own_ns_only && pod.namespace != policy.namespace {
            facts.push(format!("is in namespace {}", pod.namespace));
        }
        if ip_blocks {
            if self.options.ip_block_matches_pod_ips {
                facts.push(format!("has IP {}", pod.ip));
            } else {
                facts.push("is a pod, which ipBlocks do not match".to_string());
            }
        }
        if facts.is_empty() {
            format!("{name} matches none of them")
        } else {
            format!("{name} {}", facts.join(" and "))
        }
    }

    fn describe_ports(&self, ports: &[PolicyPort], target: Endpoint) -> String {
        let list: Vec<String> = ports
            .iter()
            .map(|pp| match &pp.port {
                None => format!("every {} port", pp.protocol),
                Some(PortRef::Number(n)) => match pp.end_port {
                    Some(end) => format!("{} ports {n}-{end}", pp.protocol),
                    None => format!("{} port {n}", pp.protocol),
                },
                Some(PortRef::Name(name)) => {
                    let resolved = self.resolve_named(target, name, pp.protocol);
                    let on = self.who(target);
                    match (target, resolved.as_slice()) {
                        (Endpoint::Outside(_), _) => {
                            format!(
                                "{} port \"{name}\" (a named port never matches an address outside the pods)",
                                pp.protocol
                            )
                        }
                        (_, []) => format!("{} port \"{name}\" (which {on} does not declare)", pp.protocol),
                        (_, nums) => {
                            let nums: Vec<String> = nums.iter().map(u16::to_string).collect();
                            format!("{} port \"{name}\" (= {} on {on})", pp.protocol, nums.join(", "))
                        }
                    }
                }
            })
            .collect();
        list.join(", ")
    }

    /// The reachability matrix for one port and protocol: every pod and every address in
    /// `outside` as a source, every pod as a destination.
    ///
    /// Precomputes, without evaluating any selector per pair (see `Selection`): the pods
    /// each policy selects, the peers each rule admits and the destination pods on which
    /// each rule's ports admit `port`/`protocol` (a named port: the pods with that container
    /// port), then one bitset of admitted sources per ingress-isolated pod and one of
    /// admitted destinations per egress-isolated pod.
    pub fn reachability(&self, port: u16, protocol: Protocol, outside: &[Ipv4Addr]) -> Reachability {
        let n = self.pods.len();
        let universe = n + outside.len();
        let selection = Selection::new(self);
        // Destination pods on which a port list admits `port`/`protocol`.
        let port_set = |ports: &[PolicyPort]| -> Bitset {
            if PortSet::from_policy_ports(ports, &[]).contains(protocol, port) {
                return Bitset::full(n);
            }
            let mut out = Bitset::new(n);
            for pp in ports.iter().filter(|pp| pp.protocol == protocol) {
                if let Some(PortRef::Name(name)) = &pp.port {
                    let key = NamedPort { name: name.clone(), protocol, port };
                    if let Some(pods) = selection.with_named_port.get(&key) {
                        out.or_with(pods);
                    }
                }
            }
            out
        };
        let mut ingress: Vec<Option<Bitset>> = vec![None; n];
        let mut egress: Vec<Option<Bitset>> = vec![None; n];
        for policy in &self.policies {
            let selected = selection.selected(policy, PolicyType::Ingress);
            for j in selected.ones() {
                ingress[j].get_or_insert_with(|| Bitset::new(universe));
            }
            for rule in policy.ingress.iter().filter(|_| !selected.is_empty()) {
                let mut targets = selected.clone();
                targets.and_with(&port_set(&rule.ports));
                if targets.is_empty() {
                    continue;
                }
                let peers = selection.peers(policy, &rule.peers, outside);
                for j in targets.ones() {
                    if let Some(set) = ingress[j].as_mut() {
                        set.or_with(&peers);
                    }
                }
            }
            let selected = selection.selected(policy, PolicyType::Egress);
            for i in selected.ones() {
                egress[i].get_or_insert_with(|| Bitset::new(n));
            }
            for rule in policy.egress.iter().filter(|_| !selected.is_empty()) {
                let mut dsts = selection.peers(policy, &rule.peers, outside).truncated(n);
                dsts.and_with(&port_set(&rule.ports));
                if dsts.is_empty() {
                    continue;
                }
                for i in selected.ones() {
                    if let Some(set) = egress[i].as_mut() {
                        set.or_with(&dsts);
                    }
                }
            }
        }
        let mut rows = Vec::with_capacity(universe);
        for s in 0..universe {
            let mut row = match egress.get(s).and_then(Option::as_ref) {
                Some(set) => set.clone(),
                None => Bitset::full(n),
            };
            for (j, admitted) in ingress.iter().enumerate() {
                if let Some(admitted) = admitted {
                    if row.get(j) && !admitted.get(s) {
                        row.clear(j);
                    }
                }
            }
            if self.options.pod_to_itself_always_allowed && s < n {
                row.set(s);
            }
            rows.push(row);
        }
        let sources =
            (0..n).map(Endpoint::Pod).chain(outside.iter().map(|&ip| Endpoint::Outside(ip))).collect();
        let names = self.pods.iter().map(|p| format!("{}/{}", p.namespace, p.name)).collect();
        Reachability { port, protocol, sources, pod_names: names, rows }
    }
}

/// Whether an ipBlock admits an address: "IP CIDR ranges to allow ... except: a list of CIDRs
/// within the range that should not be included" (docs, "ipBlock"). An except outside the
/// cidr excludes nothing, as the API server would have refused it.
pub(crate) fn ip_block_admits(cidr: Cidr, except: &[Cidr], ip: Ipv4Addr) -> bool {
    cidr.contains(ip) && !except.iter().any(|x| x.contains(ip))
}

/// What the whole-cluster answers ([`NetworkPolicies::reachability`] and
/// [`crate::connlist`]) precompute once, so that no selector is evaluated per pair: a
/// label index over pods and one over namespaces, the pods of each namespace, and the pods
/// grouped by the named ports that policies mention (their *signature*).
pub(crate) struct Selection<'a> {
    np: &'a NetworkPolicies,
    pod_index: LabelIndex,
    ns_index: LabelIndex,
    /// Pods a selector can match (not host-network), by namespace index.
    ns_pods: Vec<Bitset>,
    /// Distinct named-port signatures: the `(name, protocol, number)` of a pod's container
    /// ports whose name some policy mentions, sorted. Entry 0 is the empty signature, which
    /// host-network pods and outside addresses have: "a named port never resolves against"
    /// them (module docs).
    pub(crate) signatures: Vec<Vec<NamedPort>>,
    /// The signature of each pod.
    pub(crate) pod_signature: Vec<usize>,
    /// The pods that have each named port of the signatures.
    pub(crate) with_named_port: BTreeMap<NamedPort, Bitset>,
}

impl<'a> Selection<'a> {
    pub(crate) fn new(np: &'a NetworkPolicies) -> Selection<'a> {
        let n = np.pods.len();
        let pod_index = LabelIndex::new(np.pods.iter().map(|p| &p.labels), n);
        let ns_index = LabelIndex::new(np.namespaces.labels.iter(), np.namespaces.names.len());
        let mut ns_pods = vec![Bitset::new(n); np.namespaces.names.len()];
        for (i, pod) in np.pods.iter().enumerate() {
            if !pod.host_network {
                ns_pods[np.pod_ns[i]].set(i);
            }
        }
        let mentioned: BTreeSet<&str> = sorted::set(
            np.policies
                .iter()
                .flat_map(|p| p.ingress.iter().chain(&p.egress))
                .flat_map(|r| &r.ports)
                .filter_map(|pp| match &pp.port {
                    Some(PortRef::Name(name)) => Some(name.as_str()),
                    _ => None,
                }),
        );
        let mut signatures: Vec<Vec<NamedPort>> = vec![Vec::new()];
        let mut known: BTreeMap<Vec<NamedPort>, usize> = sorted::map([(Vec::new(), 0)]);
        let mut pod_signature = Vec::with_capacity(n);
        for pod in &np.pods {
            let mut named: Vec<NamedPort> = Vec::new();
            if !pod.host_network {
                for cp in &pod.ports {
                    if let Some(name) = cp.name.as_deref().filter(|name| mentioned.contains(name)) {
                        named.push(NamedPort {
                            name: name.to_string(),
                            protocol: cp.protocol,
                            port: cp.container_port,
                        });
                    }
                }
            }
            sorted::sort(&mut named);
            named.dedup();
            let next = signatures.len();
            let k = *known.entry(named).or_insert_with_key(|named| {
                signatures.push(named.clone());
                next
            });
            pod_signature.push(k);
        }
        let mut with_named_port: BTreeMap<NamedPort, Bitset> = BTreeMap::new();
        for (i, &k) in pod_signature.iter().enumerate() {
            for named in &signatures[k] {
                with_named_port.entry(named.clone()).or_insert_with(|| Bitset::new(n)).set(i);
            }
        }
        Selection { np, pod_index, ns_index, ns_pods, signatures, pod_signature, with_named_port }
    }

    fn pods_in_namespace(&self, name: &str) -> Bitset {
        match self.np.namespaces.index.get(name) {
            Some(&k) => self.ns_pods[k].clone(),
            None => Bitset::new(self.np.pods.len()),
        }
    }

    /// The pods `policy` selects for `direction`: "podSelector ... selects the grouping of
    /// pods to which the policy applies", in the policy's namespace, and only when
    /// `policyTypes` names the direction (docs, "The NetworkPolicy resource").
    pub(crate) fn selected(&self, policy: &NetworkPolicy, direction: PolicyType) -> Bitset {
        if !policy.policy_types.contains(&direction) {
            return Bitset::new(self.np.pods.len());
        }
        let mut selected = self.pod_index.select(&policy.pod_selector);
        selected.and_with(&self.pods_in_namespace(&policy.namespace));
        selected
    }

    /// The endpoints a rule's peer list admits, over every pod then every address of
    /// `outside`: an empty list admits everything ("If this field is empty or missing, this
    /// rule matches all sources", API reference, NetworkPolicyIngressRule; likewise `to`);
    /// otherwise the union of its peers ("traffic ... matches at least one item in the from
    /// list").
    pub(crate) fn peers(&self, policy: &NetworkPolicy, peers: &[PolicyPeer], outside: &[Ipv4Addr]) -> Bitset {
        let n = self.np.pods.len();
        let universe = n + outside.len();
        if peers.is_empty() {
            return Bitset::full(universe);
        }
        let mut out = Bitset::new(universe);
        for peer in peers {
            match peer {
                // Rejected by the API server; the engine matches nothing (module docs).
                PolicyPeer::Pods { pod_selector: None, namespace_selector: None } => {}
                PolicyPeer::Pods { pod_selector, namespace_selector } => {
                    // namespaceSelector alone: every pod of the matching namespaces; with a
                    // podSelector: those pods of them; podSelector alone: in the policy's own
                    // namespace (docs, "Behavior of to and from selectors").
                    let mut set = match namespace_selector {
                        Some(sel) => {
                            let mut s = Bitset::new(n);
                            for k in self.ns_index.select(sel).ones() {
                                s.or_with(&self.ns_pods[k]);
                            }
                            s
                        }
                        None => self.pods_in_namespace(&policy.namespace),
                    };
                    if let Some(sel) = pod_selector {
                        set.and_with(&self.pod_index.select(sel));
                    }
                    out.or_with(&set);
                }
                PolicyPeer::IpBlock { cidr, except } => {
                    for (i, pod) in self.np.pods.iter().enumerate() {
                        if (pod.host_network || self.np.options.ip_block_matches_pod_ips)
                            && ip_block_admits(*cidr, except, pod.ip)
                        {
                            out.set(i);
                        }
                    }
                    for (k, &ip) in outside.iter().enumerate() {
                        if ip_block_admits(*cidr, except, ip) {
                            out.set(n + k);
                        }
                    }
                }
            }
        }
        out
    }
}

struct RuleMatch {
    peer: bool,
    protocol: bool,
    port: bool,
}

fn rules(policy: &NetworkPolicy, direction: PolicyType) -> &[PolicyRule] {
    match direction {
        PolicyType::Ingress => &policy.ingress,
        PolicyType::Egress => &policy.egress,
    }
}

fn direction_str(d: PolicyType) -> &'static str {
    match d {
        PolicyType::Ingress => "ingress",
        PolicyType::Egress => "egress",
    }
}

fn selector_keys(sel: &LabelSelector, keys: &mut Vec<String>) {
    for k in sel.match_labels.keys().chain(sel.match_expressions.iter().map(|r| &r.key)) {
        if !keys.contains(k) {
            keys.push(k.clone());
        }
    }
}

/// `app=web, tier=<none>` for the given keys.
fn show_keys(labels: &Labels, keys: &[String]) -> String {
    let mut keys = keys.to_vec();
    sorted::sort(&mut keys);
    keys.iter()
        .map(|k| match labels.get(k) {
            Some(v) => format!("{k}={v}"),
            None => format!("no {k} label"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A selector the way kubectl prints one: `app=web,tier in (a,b),!legacy`.
pub fn describe_selector(sel: &LabelSelector) -> String {
    let mut parts: Vec<String> = sel.match_labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    for r in &sel.match_expressions {
        parts.push(match r.operator {
            SelectorOperator::In => format!("{} in ({})", r.key, r.values.join(",")),
            SelectorOperator::NotIn => format!("{} notin ({})", r.key, r.values.join(",")),
            SelectorOperator::Exists => r.key.clone(),
            SelectorOperator::DoesNotExist => format!("!{}", r.key),
        });
    }
    parts.join(",")
}

/// A peer by the selectors it sets: `namespaceSelector peer`, `podSelector peer`, ...
fn peer_kind(peer: &PolicyPeer) -> &'static str {
    match peer {
        PolicyPeer::Pods { pod_selector: Some(_), namespace_selector: Some(_) } => {
            "peer with namespaceSelector and podSelector"
        }
        PolicyPeer::Pods { pod_selector: Some(_), namespace_selector: None } => "podSelector peer",
        PolicyPeer::Pods { pod_selector: None, namespace_selector: Some(_) } => "namespaceSelector peer",
        PolicyPeer::Pods { pod_selector: None, namespace_selector: None } => "empty peer",
        PolicyPeer::IpBlock { .. } => "ipBlock peer",
    }
}

fn describe_peers(policy: &NetworkPolicy, peers: &[PolicyPeer]) -> String {
    let list: Vec<String> = peers
        .iter()
        .map(|peer| match peer {
            PolicyPeer::Pods { pod_selector, namespace_selector } => {
                let pods = match pod_selector {
                    Some(s) if !s.is_empty() => format!("pods labelled {}", describe_selector(s)),
                    _ => "all pods".to_string(),
                };
                match (pod_selector, namespace_selector) {
                    (None, None) => "nothing (a peer with no selector)".to_string(),
                    (_, None) => format!("{pods} in namespace {}", policy.namespace),
                    (_, Some(ns)) if ns.is_empty() => format!("{pods} in every namespace"),
                    (_, Some(ns)) => format!("{pods} in namespaces labelled {}", describe_selector(ns)),
                }
            }
            PolicyPeer::IpBlock { cidr, except } if except.is_empty() => format!("addresses in {cidr}"),
            PolicyPeer::IpBlock { cidr, except } => {
                let ex: Vec<String> = except.iter().map(ToString::to_string).collect();
                format!("addresses in {cidr} except {}", ex.join(", "))
            }
        })
        .collect();
    list.join(" or ")
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dir = direction_str(self.direction);
        let by: Vec<String> = self.selected_by.iter().map(ToString::to_string).collect();
        match &self.verdict {
            Verdict::NotAPod => write!(f, "{dir} {}: not a pod, no NetworkPolicy applies", self.who),
            Verdict::HostNetwork => {
                write!(f, "{dir} {}: host-network pod, treated as its node: never isolated", self.who)
            }
            Verdict::NotIsolated => {
                write!(
                    f,
                    "{dir} {}: not isolated (no NetworkPolicy in its namespace selects it for {dir})",
                    self.who
                )
            }
            Verdict::Allowed { by: rule } => {
                write!(f, "{dir} {}: allowed by {rule} (isolated by {})", self.who, by.join(", "))
            }
            Verdict::Denied { closest: None } => write!(
                f,
                "{dir} {}: denied: isolated by {} and none of them has an {dir} rule (default deny)",
                self.who,
                by.join(", ")
            ),
            Verdict::Denied { closest: Some(miss) } => write!(
                f,
                "{dir} {}: denied: isolated by {} and no rule admits it\n    closest: {}",
                self.who,
                by.join(", "),
                miss.explanation
            ),
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.connection;
        let verdict = if self.allowed { "allowed" } else { "denied" };
        writeln!(f, "{verdict}: {} -> {} {}/{}", self.egress.who, self.ingress.who, c.protocol, c.port)?;
        if self.to_itself {
            return writeln!(f, "  a pod can always reach itself: NetworkPolicy cannot block it");
        }
        writeln!(f, "  {}", self.egress)?;
        writeln!(f, "  {}", self.ingress)
    }
}

/// Who reaches which pod on one port and protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reachability {
    pub port: u16,
    pub protocol: Protocol,
    /// Row order: every pod, then the outside addresses.
    pub sources: Vec<Endpoint>,
    /// Column labels: `namespace/name` of every pod.
    pub pod_names: Vec<String>,
    rows: Vec<Bitset>,
}

impl Reachability {
    /// Whether source row `src` reaches destination pod `dst`; `false` when out of range.
    pub fn allowed(&self, src: usize, dst: usize) -> bool {
        self.rows.get(src).is_some_and(|r| dst < r.len && r.get(dst))
    }

    pub fn allowed_count(&self) -> usize {
        self.rows.iter().map(Bitset::count).sum()
    }

    pub fn denied_count(&self) -> usize {
        self.rows.len() * self.pod_names.len() - self.allowed_count()
    }

    /// The explained decision behind one cell, recomputed on demand.
    pub fn decision(&self, policies: &NetworkPolicies, src: usize, dst: usize) -> Option<Decision> {
        let src = *self.sources.get(src)?;
        (dst < self.pod_names.len()).then(|| {
            policies.decide(&Connection {
                src,
                dst: Endpoint::Pod(dst),
                port: self.port,
                protocol: self.protocol,
            })
        })
    }

    fn source_name(&self, s: usize) -> String {
        match self.sources[s] {
            Endpoint::Pod(i) => self.pod_names.get(i).cloned().unwrap_or_default(),
            Endpoint::Outside(ip) => ip.to_string(),
        }
    }

    /// `src -> dst` for every allowed cell, row by row.
    pub fn allowed_pairs(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (s, row) in self.rows.iter().enumerate() {
            for d in row.ones() {
                out.push((self.source_name(s), self.pod_names[d].clone()));
            }
        }
        out
    }
}

/// A grid as the upstream e2e tests print it: `.` allowed, `X` denied; rows are sources.
impl fmt::Display for Reachability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = (0..self.sources.len()).map(|s| self.source_name(s)).collect();
        let width = names.iter().map(String::len).max().unwrap_or(0);
        writeln!(f, "{} {}", self.protocol, self.port)?;
        let mut header = " ".repeat(width);
        for d in &self.pod_names {
            header.push(' ');
            header.push_str(d);
        }
        writeln!(f, "{}", header.trim_end())?;
        for (s, name) in names.iter().enumerate() {
            let mut line = format!("{name:width$}");
            for (d, col) in self.pod_names.iter().enumerate() {
                let mark = if self.allowed(s, d) { "." } else { "X" };
                line.push_str(&format!(" {mark:<w$}", w = col.len()));
            }
            writeln!(f, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

/// A fixed-size set of small integers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Bitset {
    words: Vec<u64>,
    len: usize,
}

impl Bitset {
    pub(crate) fn new(len: usize) -> Bitset {
        Bitset { words: vec![0; len.div_ceil(64)], len }
    }

    pub(crate) fn full(len: usize) -> Bitset {
        let mut b = Bitset { words: vec![u64::MAX; len.div_ceil(64)], len };
        b.trim();
        b
    }

    fn trim(&mut self) {
        let extra = self.words.len() * 64 - self.len;
        if extra > 0 {
            if let Some(last) = self.words.last_mut() {
                *last &= u64::MAX >> extra;
            }
        }
    }

    pub(crate) fn set(&mut self, i: usize) {
        if i < self.len {
            self.words[i / 64] |= 1 << (i % 64);
        }
    }

    pub(crate) fn clear(&mut self, i: usize) {
        if i < self.len {
            self.words[i / 64] &= !(1 << (i % 64));
        }
    }

    pub(crate) fn get(&self, i: usize) -> bool {
        i < self.len && self.words[i / 64] & (1 << (i % 64)) != 0
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    pub(crate) fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub(crate) fn or_with(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
        self.trim();
    }

    pub(crate) fn and_with(&mut self, other: &Bitset) {
        for (i, a) in self.words.iter_mut().enumerate() {
            *a &= other.words.get(i).copied().unwrap_or(0);
        }
    }

    pub(crate) fn and_not_with(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= !b;
        }
    }

    pub(crate) fn truncated(mut self, len: usize) -> Bitset {
        if len < self.len {
            self.words.truncate(len.div_ceil(64));
            self.len = len;
            self.trim();
        }
        self
    }

    pub(crate) fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(w, &word)| {
            let mut word = word;
            std::iter::from_fn(move || {
                if word == 0 {
                    return None;
                }
                let bit = word.trailing_zeros() as usize;
                word &= word - 1;
                Some(w * 64 + bit)
            })
        })
    }
}

/// For each label key, the objects carrying it and, per value, those carrying that value:
/// a selector then costs a few bitset operations instead of one test per object.
struct LabelIndex {
    len: usize,
    keys: BTreeMap<String, (Bitset, BTreeMap<String, Bitset>)>,
}

impl LabelIndex {
    fn new<'a>(labels: impl Iterator<Item = &'a Labels>, len: usize) -> LabelIndex {
        let mut keys: BTreeMap<String, (Bitset, BTreeMap<String, Bitset>)> = BTreeMap::new();
        for (i, l) in labels.enumerate() {
            for (k, v) in l {
                let entry = keys.entry(k.clone()).or_insert_with(|| (Bitset::new(len), BTreeMap::new()));
                entry.0.set(i);
                entry.1.entry(v.clone()).or_insert_with(|| Bitset::new(len)).set(i);
            }
        }
        LabelIndex { len, keys }
    }

    fn with_value(&self, key: &str, value: &str) -> Option<&Bitset> {
        self.keys.get(key).and_then(|(_, values)| values.get(value))
    }

    fn any_value(&self, key: &str, values: &[String]) -> Bitset {
        let mut s = Bitset::new(self.len);
        for v in values {
            if let Some(b) = self.with_value(key, v) {
                s.or_with(b);
            }
        }
        s
    }

    /// The objects `sel` matches, with the same meaning as [`LabelSelector::matches`].
    fn select(&self, sel: &LabelSelector) -> Bitset {
        let mut out = Bitset::full(self.len);
        for (k, v) in &sel.match_labels {
            match self.with_value(k, v) {
                Some(b) => out.and_with(b),
                None => return Bitset::new(self.len),
            }
        }
        for r in &sel.match_expressions {
            match r.operator {
                SelectorOperator::In => out.and_with(&self.any_value(&r.key, &r.values)),
                SelectorOperator::NotIn => out.and_not_with(&self.any_value(&r.key, &r.values)),
                SelectorOperator::Exists => match self.keys.get(&r.key) {
                    Some((has, _)) => out.and_with(has),
                    None => return Bitset::new(self.len),
                },
                SelectorOperator::DoesNotExist => {
                    if let Some((has, _)) = self.keys.get(&r.key) {
                        out.and_not_with(has);
                    }
                }
            }
        }
        out
    }
}
