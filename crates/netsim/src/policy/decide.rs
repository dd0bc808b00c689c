//! One connection's answer: which policies isolate each end, which rule admits it or what
//! came closest, in words for the trace ([`NetworkPolicies::decide`], [`Side`], [`Decision`]).

use std::collections::BTreeMap;
use std::fmt;
use std::net::Ipv4Addr;

use super::tiers::{self, Ask, End, Seen};
use crate::meta::ObjectRef;
use crate::scenario::{
    Cidr, ClusterAction, ClusterNetworkPolicy, ClusterPolicyKind, ContainerPort, LabelSelector, Labels,
    NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule, PolicyType, PortRef, Protocol, SelectorOperator,
    Source, Tier,
};
use crate::socket::Socket;

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
    /// `None` when the pod has no address (Pending with no IP in its status, or only IPv6
    /// ones): it takes part in no connection, and no ipBlock matches it.
    pub ip: Option<Ipv4Addr>,
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

/// One rule of a cluster-wide policy ([`ClusterNetworkPolicy`]), by position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterRuleRef {
    pub kind: ClusterPolicyKind,
    pub policy: String,
    pub tier: Tier,
    pub priority: u32,
    pub direction: PolicyType,
    pub index: usize,
    /// The rule's `name`, empty when not set.
    pub name: String,
    pub action: ClusterAction,
    /// The rule's place in the YAML.
    pub source: Option<Source>,
    /// The rule in words, as its `Display` writes it (kept, so that the words are written
    /// where the tiers are evaluated: see [`CLUSTER_TIERS`]).
    pub said: String,
    /// The policy as the trace's objects name it (the rule's place in the YAML, else the
    /// policy's).
    pub object: ObjectRef,
    /// The policy as a drop names it: `clusternetworkpolicy/<name>`.
    pub key: String,
}

impl fmt::Display for ClusterRuleRef {
    /// `ClusterNetworkPolicy block-metadata (alpha; Admin tier, priority 10) rule egress[0] "no-imds"`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} (alpha; {} tier", self.kind.as_str(), self.policy, self.tier.as_str())?;
        if self.kind != ClusterPolicyKind::BaselineAdminNetworkPolicy {
            write!(f, ", priority {}", self.priority)?;
        }
        write!(f, ") rule {}[{}]", direction_str(self.direction), self.index)?;
        if !self.name.is_empty() {
            write!(f, " \"{}\"", self.name)?;
        }
        Ok(())
    }
}

/// One side of a connection through the cluster-wide tiers and NetworkPolicy
/// ([`NetworkPolicies::tiered_side`]).
pub type TieredSide = fn(&NetworkPolicies, PolicyType, Endpoint, Endpoint, &Connection) -> Side;

static TIERED: TieredSide = NetworkPolicies::tiered_side;

/// Where the cluster-wide tiers' evaluation plugs in: the browser loads it with the reading
/// of `policy.networking.k8s.io` (see [`crate::socket`]), so that neither the tiers nor their
/// words are in the first module.
pub static CLUSTER_TIERS: Socket<TieredSide> = Socket::new();

/// Makes the cluster-wide tiers evaluated from now on (with `gateway-later`; they always are
/// otherwise).
pub fn install_tiers() {
    CLUSTER_TIERS.plug(&TIERED);
}

impl ClusterRuleRef {
    /// The reference with its words kept (`said`).
    fn said(mut self) -> ClusterRuleRef {
        self.said = self.to_string();
        self
    }
}

/// The verdict of a cluster-wide rule that accepted or denied a connection, for `who`'s
/// `direction`, with its words.
fn cluster_verdict(by: ClusterRuleRef, who: &str, direction: PolicyType) -> Verdict {
    let dir = direction_str(direction);
    let (done, does) =
        if by.action == ClusterAction::Accept { ("accepted", "accepts") } else { ("denied", "denies") };
    let (said, cause) = match by.tier {
        Tier::Admin => (
            format!("{done} by {by}; NetworkPolicy not consulted"),
            format!("{by} {does} it: the Admin tier is evaluated before NetworkPolicy, so no NetworkPolicy is consulted"),
        ),
        Tier::Baseline => (
            format!("{done} by {by}; no NetworkPolicy selects it for {dir}, so the Baseline tier decides"),
            format!(
                "{by} {does} it: no NetworkPolicy selects {who} for {dir}, so the Baseline tier decides (a NetworkPolicy selecting it would override the baseline)"
            ),
        ),
    };
    let reason = format!("{dir} of {who} is denied by {} {}", by.kind.as_str(), by.policy);
    Verdict::Cluster { by, said, cause, reason }
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
    /// The pod has no IP address (Pending with none in its status, or only IPv6 ones): it
    /// takes part in no connection.
    NoAddress,
    /// No policy in the pod's namespace selects it for this direction.
    NotIsolated,
    /// Isolated, and `by` admits the connection (the first admitting rule).
    Allowed { by: RuleRef },
    /// Isolated and no rule admits it; `closest` is `None` when the selecting policies
    /// have no rule of this direction at all (a default deny).
    Denied { closest: Option<NearMiss> },
    /// A cluster-wide policy's rule accepted or denied it: in the Admin tier, before any
    /// NetworkPolicy; or in the Baseline tier, for a pod no NetworkPolicy isolates. `said`:
    /// what the trace says after the side (`denied by ...; NetworkPolicy not consulted`);
    /// `cause`: the cause for a learner ([`NetworkPolicies::cause`]); `reason`: why a denied
    /// connection was dropped, for the trace's outcome.
    Cluster { by: ClusterRuleRef, said: String, cause: String, reason: String },
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
    /// Cluster-wide rules whose action was Pass, in the order met: an Admin rule hands the
    /// connection to NetworkPolicy, a Baseline rule to the default (allowed).
    pub passed: Vec<ClusterRuleRef>,
}

impl Side {
    pub fn allows(&self) -> bool {
        match &self.verdict {
            Verdict::Denied { .. } | Verdict::NoAddress => false,
            Verdict::Cluster { by, .. } => by.action == ClusterAction::Accept,
            _ => true,
        }
    }

    /// One line for a trace hop, naming the other end as `peer`:
    /// `ingress of prod/db from 10.244.1.5 (prod/api): allowed by prod/db-policy rule ingress[0]`.
    pub fn sentence(&self, peer: &str) -> String {
        let said = self.verdict_sentence(peer);
        let Some((head, rest)) = said.split_once(": ").filter(|_| !self.passed.is_empty()) else {
            return said;
        };
        let passed: Vec<String> = self
            .passed
            .iter()
            .map(|r| match r.tier {
                Tier::Admin => format!("passed on to NetworkPolicy by {}", r.said),
                Tier::Baseline => format!("passed on to the default (allowed) by {}", r.said),
            })
            .collect();
        format!("{head}: {}; {rest}", passed.join("; "))
    }

    fn verdict_sentence(&self, peer: &str) -> String {
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
            Verdict::NoAddress => {
                format!("{dir} of {}: the pod has no IP address, so it takes part in no connection", self.who)
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
            Verdict::Cluster { said, .. } => format!("{dir} of {} {towards} {peer}: {said}", self.who),
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
pub(super) struct Namespaces {
    pub(super) names: Vec<String>,
    pub(super) labels: Vec<Labels>,
    pub(super) index: BTreeMap<String, usize>,
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
    pub(super) pods: Vec<PolicyPod>,
    pub(super) policies: Vec<NetworkPolicy>,
    pub(super) options: PolicyOptions,
    pub(super) namespaces: Namespaces,
    /// Namespace index of each pod.
    pub(super) pod_ns: Vec<usize>,
    /// Cluster-wide policies, in input order.
    pub(super) cluster: Vec<ClusterNetworkPolicy>,
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
        NetworkPolicies { pods, policies, options, namespaces: ns, pod_ns, cluster: Vec::new() }
    }

    /// The same, with cluster-wide policies (ClusterNetworkPolicy and the kinds it merges)
    /// around NetworkPolicy: the Admin tier before it, the Baseline tier after it.
    pub fn with_cluster_policies(mut self, cluster: Vec<ClusterNetworkPolicy>) -> NetworkPolicies {
        self.cluster = cluster;
        self
    }

    pub fn cluster_policies(&self) -> &[ClusterNetworkPolicy] {
        &self.cluster
    }

    /// Whether any policy, namespaced or cluster-wide, exists.
    pub fn any(&self) -> bool {
        !self.policies.is_empty() || !self.cluster.is_empty()
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
        // A pod without an address opens and receives nothing, not even from itself.
        let unaddressed =
            matches!(egress.verdict, Verdict::NoAddress) || matches!(ingress.verdict, Verdict::NoAddress);
        let to_itself = to_itself && !unaddressed;
        let allowed = !unaddressed && (to_itself || (egress.allows() && ingress.allows()));
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

    /// `subject` is the pod whose `direction` is checked; `peer` the other end. The tiers, in
    /// the order of ClusterNetworkPolicy's `spec.tier` docs (network-policy-api v0.2.0): the
    /// Admin tier's first matching rule decides (Accept, Deny) or hands on (Pass); then
    /// NetworkPolicy, which "always makes a final decision for selected pods"; then, for a
    /// pod it does not select in this direction, the Baseline tier; then allowed.
    fn side(&self, direction: PolicyType, subject: Endpoint, peer: Endpoint, c: &Connection) -> Side {
        match CLUSTER_TIERS.get(|| Some(&TIERED)) {
            Some(tiered) if !self.cluster.is_empty() => tiered(self, direction, subject, peer, c),
            _ => self.np_side(direction, subject, peer, c),
        }
    }

    /// [`NetworkPolicies::side`] with the tiers: for an addressed pod not on the host network,
    /// the Admin tier's first matching rule decides (Accept, Deny) or hands on (Pass); then
    /// NetworkPolicy; then, for a pod it does not select in this direction, the Baseline
    /// tier. Reached only through [`CLUSTER_TIERS`].
    fn tiered_side(&self, direction: PolicyType, subject: Endpoint, peer: Endpoint, c: &Connection) -> Side {
        let i = match subject {
            Endpoint::Pod(i) if self.pods[i].ip.is_some() && !self.pods[i].host_network => i,
            _ => return self.np_side(direction, subject, peer, c),
        };
        let ask = Ask {
            direction,
            subject: self.seen(i),
            peer: self.end(peer),
            dst: self.end(c.dst),
            port: c.port,
            protocol: c.protocol,
        };
        let tier = |t: Tier| {
            tiers::first_match(&self.cluster, t, &ask).map(|(p, r)| self.cluster_rule_ref(p, direction, r))
        };
        let who = self.who(subject);
        let mut passed = Vec::new();
        if let Some(by) = tier(Tier::Admin) {
            if by.action != ClusterAction::Pass {
                let verdict = cluster_verdict(by, &who, direction);
                return Side {
                    direction,
                    endpoint: subject,
                    who,
                    peer,
                    selected_by: Vec::new(),
                    verdict,
                    passed,
                };
            }
            passed.push(by);
        }
        let mut side = self.np_side(direction, subject, peer, c);
        if matches!(side.verdict, Verdict::NotIsolated) {
            if let Some(by) = tier(Tier::Baseline) {
                if by.action == ClusterAction::Pass {
                    passed.push(by);
                } else {
                    side.verdict = cluster_verdict(by, &who, direction);
                }
            }
        }
        side.passed = passed;
        side
    }

    /// What the tiers see of pod `i`.
    fn seen(&self, i: usize) -> Seen<'_> {
        let pod = &self.pods[i];
        Seen {
            labels: &pod.labels,
            namespace_labels: &self.namespaces.labels[self.pod_ns[i]],
            host_network: pod.host_network,
            ip: pod.ip,
            ports: &pod.ports,
        }
    }

    fn end(&self, e: Endpoint) -> End<'_> {
        match e {
            Endpoint::Pod(i) if i < self.pods.len() => End::Pod(self.seen(i)),
            Endpoint::Pod(_) => End::Outside(Ipv4Addr::UNSPECIFIED),
            Endpoint::Outside(ip) => End::Outside(ip),
        }
    }

    /// Whether the cluster-wide selector `sel` chooses pod `i`.
    pub fn chooses(&self, sel: &crate::scenario::ClusterSelector, i: usize) -> bool {
        i < self.pods.len() && tiers::chooses(sel, &self.seen(i))
    }

    /// The cluster-wide policies whose `subject` chooses pod `i`, in evaluation order
    /// ([`tiers::choosing`]).
    pub fn choosing(&self, i: usize) -> Vec<String> {
        if i >= self.pods.len() {
            return Vec::new();
        }
        tiers::choosing(&self.cluster, &self.seen(i))
    }

    /// A reference to rule `r` of `direction` of cluster-wide policy `p`.
    fn cluster_rule_ref(&self, p: usize, direction: PolicyType, r: usize) -> ClusterRuleRef {
        let policy = &self.cluster[p];
        let rule = &policy.rules(direction)[r];
        ClusterRuleRef {
            kind: policy.kind,
            policy: policy.name.clone(),
            tier: policy.tier,
            priority: policy.priority,
            direction,
            index: r,
            name: rule.name.clone(),
            action: rule.action,
            source: rule.source.clone(),
            said: String::new(),
            object: ObjectRef::new(
                policy.kind.as_str(),
                "",
                &policy.name,
                rule.source.clone().or(policy.source.clone()),
            ),
            key: format!("{}/{}", policy.kind.as_str().to_ascii_lowercase(), policy.name),
        }
        .said()
    }

    /// One side under NetworkPolicy alone.
    fn np_side(&self, direction: PolicyType, subject: Endpoint, peer: Endpoint, c: &Connection) -> Side {
        let who = self.who(subject);
        let mk = |selected_by, verdict| Side {
            direction,
            endpoint: subject,
            who: who.clone(),
            peer,
            selected_by,
            verdict,
            passed: Vec::new(),
        };
        let i = match subject {
            Endpoint::Outside(_) => return mk(Vec::new(), Verdict::NotAPod),
            Endpoint::Pod(i) => i,
        };
        if self.pods[i].ip.is_none() {
            return mk(Vec::new(), Verdict::NoAddress);
        }
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
                pod.ip.filter(|_| pod.host_network || self.options.ip_block_matches_pod_ips)
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
        let cause = self.verdict_cause(side);
        match side.passed.first() {
            Some(pass) if pass.tier == Tier::Admin => {
                format!("{} passes it on to NetworkPolicy (Pass is not Accept); there, {cause}", pass.said)
            }
            _ => cause,
        }
    }

    fn verdict_cause(&self, side: &Side) -> String {
        let dir = direction_str(side.direction);
        let who = &side.who;
        let by: Vec<String> = side.selected_by.iter().map(ToString::to_string).collect();
        match &side.verdict {
            Verdict::NotAPod => format!("{who} is not a pod: no NetworkPolicy applies to its {dir}"),
            Verdict::HostNetwork => {
                format!("{who} uses the host network: NetworkPolicy treats it as its node and never isolates it")
            }
            Verdict::NoAddress => format!("{who} has no IP address, so it opens and receives no connection"),
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
            Verdict::Cluster { cause, .. } => cause.clone(),
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
            return match pod.ip {
                Some(ip) => format!(
                    "{name} uses the host network, so only an ipBlock on its node IP {ip} can match it"
                ),
                None => format!("{name} uses the host network and has no node, so nothing can match it"),
            };
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
                facts.push(match pod.ip {
                    Some(ip) => format!("has IP {ip}"),
                    None => "has no IP address".to_string(),
                });
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
}

/// Whether an ipBlock admits an address: "IP CIDR ranges to allow ... except: a list of CIDRs
/// within the range that should not be included" (docs, "ipBlock"). An except outside the
/// cidr excludes nothing, as the API server would have refused it.
pub(crate) fn ip_block_admits(cidr: Cidr, except: &[Cidr], ip: Ipv4Addr) -> bool {
    cidr.contains(ip) && !except.iter().any(|x| x.contains(ip))
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
            Verdict::NoAddress => write!(f, "{dir} {}: no IP address, takes part in no connection", self.who),
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
            Verdict::Cluster { said, .. } => write!(f, "{dir} {}: {said}", self.who),
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
