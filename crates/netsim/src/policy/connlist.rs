//! The full connectivity report: for every ordered pair of distinct pods, and between pods
//! and the outside address ranges, every (protocol, port) that NetworkPolicy allows.
//!
//! It answers the same question as [`NetworkPolicies::decide`] for every port at once, and
//! agrees with it exactly: a port is in the set of `src -> dst` iff `decide` allows a
//! connection from `src` to `dst` on it. The rules are those of
//! <https://kubernetes.io/docs/concepts/services-networking/network-policies/> with the
//! engine's documented choices (see [`crate::policy`]):
//!
//! - A connection needs both sides: "both the egress policy on the source pod and the
//!   ingress policy on the destination pod need to allow the connection" (docs, "The two
//!   sorts of pod isolation"). A side allows everything when no policy selects the pod for
//!   that direction ("By default, a pod is non-isolated for egress; all outbound connections
//!   are allowed", and likewise for ingress), when the pod is on the host network (treated
//!   as its node, see [`crate::policy`]) and when the endpoint is an outside address.
//! - Policies are additive: the set allowed in one direction "is the union of what the
//!   applicable policies allow" (docs), and a policy allows the union of its rules ("traffic
//!   matches at least one ingress rule across all of the NetworkPolicy objects", API
//!   reference). So `src -> dst` is (the union of the ports of the egress rules of the
//!   policies selecting `src` whose peers admit `dst`) intersected with (the union of the
//!   ports of the ingress rules of the policies selecting `dst` whose peers admit `src`).
//! - Ports ([`PortSet::from_policy_ports`]): a rule without `ports` admits every port of
//!   every protocol; `port` with `endPort` is the inclusive range; a named port stands for
//!   the destination pod's container ports of that name and protocol (the destination, also
//!   for egress rules); port 0 is not a port, so sets live in `1..=65535`.
//! - Cluster-wide tiers (`super::tiers`), when any exist: a side's set is what the Admin tier
//!   accepts, plus, of the ports it leaves (matched by no rule, or passed on), what
//!   NetworkPolicy allows on that side, or, where no NetworkPolicy selects the pod in that
//!   direction, what the Baseline tier does not deny. Each tier's rules are walked in order
//!   over port sets: a rule takes the ports still open that it matches, and no later rule sees
//!   them.
//!
//! Outside addresses: the IPv4 space is cut at every `cidr` and `except` boundary of the
//! ipBlocks of policies that select some pod and at every cluster-wide `networks` block, and
//! adjacent pieces that every such rule treats alike are joined again; every address of one
//! [`AddressRange`] then has the same connections. A range prints as a CIDR when it is exactly one (`10.0.0.0/8`), else as
//! `first-last` (`0.0.0.0-9.255.255.255`). A range stands for the addresses that are not
//! pods (a pod's address is that pod, with its own row).
//!
//! A pod without an IP address (Pending with none in its status, or only IPv6 ones) takes
//! part in no connection: its row is empty and it is in no other row, and
//! [`Connectivity::unaddressed`] names it so that the report can say so.
//!
//! Left out, as in [`crate::policy`]: a pod reaching itself (pairs are distinct), and the
//! node-local exemption ("traffic to and from the node where a Pod is running is always
//! allowed"), which needs node placement.
//!
//! Computed by set algebra: the pods each policy selects and the endpoints each rule admits
//! are bitsets (`policy::Selection`; no selector is evaluated per pair); a rule's ports are
//! one [`PortSet`] per named-port signature of the destination; pods selected by the same
//! policies (and with the same signature, for ingress) form one class; distinct port sets
//! are interned so that a union or an intersection of two of them is computed once. Rows are
//! streamed to a callback, one source at a time.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::net::Ipv4Addr;

use super::bitset::Bitset;
use super::decide::{ip_block_admits, NetworkPolicies};
use super::ports::names_a_port;
pub use super::ports::{NamedPort, PortRanges, PortSet, PROTOCOLS};
use super::selection::Selection;
use crate::scenario::{
    Cidr, ClusterAction, ClusterNetworkPolicy, ClusterPeer, ClusterPort, PolicyPeer, PolicyRule, PolicyType,
    Tier,
};

/// An inclusive range of IPv4 addresses outside the pods, all of which NetworkPolicy treats
/// alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AddressRange {
    pub first: Ipv4Addr,
    pub last: Ipv4Addr,
}

impl AddressRange {
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        self.first <= ip && ip <= self.last
    }

    /// The range as one CIDR, when it is exactly one.
    pub fn cidr(&self) -> Option<Cidr> {
        let (first, last) = (u64::from(u32::from(self.first)), u64::from(u32::from(self.last)));
        let size = last.checked_sub(first)? + 1;
        (size.is_power_of_two() && first % size == 0)
            .then(|| Cidr::new(self.first, (32 - size.trailing_zeros()) as u8))
    }
}

/// `10.0.0.0/8` when the range is one CIDR, else `0.0.0.0-9.255.255.255`.
impl fmt::Display for AddressRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.cidr() {
            Some(cidr) => write!(f, "{cidr}"),
            None => write!(f, "{}-{}", self.first, self.last),
        }
    }
}

/// One end of a reported connection: a pod (index into [`NetworkPolicies::pods`]) or a
/// range of outside addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Peer {
    Pod(usize),
    Outside(AddressRange),
}

/// One non-empty entry of a row: `dst` and the ports allowed towards it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Allowed<'a> {
    pub dst: Peer,
    pub ports: &'a PortSet,
    /// Equal port sets of one report share this number (an index into its distinct sets),
    /// so that a writer can render each set once.
    pub set_id: usize,
}

/// Everything one source may open, destinations in report order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row<'a> {
    pub src: Peer,
    pub allowed: Vec<Allowed<'a>>,
}

/// What one pod may reach and what may reach it, each in report order, non-empty sets only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodConnections {
    pub outgoing: Vec<(Peer, PortSet)>,
    pub incoming: Vec<(Peer, PortSet)>,
}

/// The precomputed connectivity of a set of policies over their pods: see the module docs.
/// Report order: pods by (namespace, name), then outside ranges by address; rows by source,
/// entries by destination.
pub struct Connectivity<'a> {
    policies: &'a NetworkPolicies,
    /// Pods in report order.
    order: Vec<usize>,
    /// Pods without an address, in report order.
    unaddressed: Vec<usize>,
    /// Per pod: whether it has an address.
    addressed: Vec<bool>,
    outside: Vec<AddressRange>,
    /// Every rule of a policy that selects some pod for the rule's direction.
    rules: Vec<Rule>,
    /// Named-port signature of each pod (0: none).
    pod_signature: Vec<usize>,
    ingress_class: Vec<Option<usize>>,
    ingress: Vec<Class>,
    egress_class: Vec<Option<usize>>,
    egress: Vec<Class>,
    /// The rules' port sets, interned.
    sets: Sets,
    /// The cluster-wide tiers around NetworkPolicy.
    tiers: Tiers,
}

/// The cluster-wide tiers (`super::tiers`) as bitsets and interned port sets: every rule of
/// every ClusterNetworkPolicy, and per direction and pod the rules of each tier that apply
/// to it, in evaluation order.
struct Tiers {
    rules: Vec<TierRule>,
    /// `[direction][pod]`: the Admin tier's rules, then the Baseline tier's (ids into `rules`).
    admin: [Vec<Vec<u32>>; 2],
    baseline: [Vec<Vec<u32>>; 2],
}

struct TierRule {
    rule: Rule,
    action: ClusterAction,
}

impl Tiers {
    fn new(np: &NetworkPolicies, selection: &Selection<'_>, outside: &[Ipv4Addr], sets: &mut Sets) -> Tiers {
        // Without cluster-wide policy every list stays empty, and `side` answers NetworkPolicy's.
        let n = if np.cluster_policies().is_empty() { 0 } else { np.pods().len() };
        let mut t = Tiers {
            rules: Vec::new(),
            admin: [vec![Vec::new(); n], vec![Vec::new(); n]],
            baseline: [vec![Vec::new(); n], vec![Vec::new(); n]],
        };
        for tier in [Tier::Admin, Tier::Baseline] {
            for p in super::tiers::ordered(np.cluster_policies(), tier) {
                let policy = &np.cluster_policies()[p];
                let subjects = selection.cluster_pods(&policy.subject);
                for (d, direction) in [PolicyType::Ingress, PolicyType::Egress].into_iter().enumerate() {
                    for rule in policy.rules(direction) {
                        let id = t.rules.len() as u32;
                        let ports = rule.ports.as_deref();
                        let named =
                            ports.is_some_and(|ps| ps.iter().any(|x| matches!(x, ClusterPort::Named(_))));
                        let by_signature = named.then(|| {
                            selection
                                .signatures
                                .iter()
                                .map(|sig| sets.intern(PortSet::from_cluster_ports(ports, sig)))
                                .collect()
                        });
                        let peers = selection.cluster_peers(&rule.peers, outside);
                        let ports = sets.intern(PortSet::from_cluster_ports(ports, &[]));
                        t.rules.push(TierRule {
                            rule: Rule { peers, ports, by_signature },
                            action: rule.action,
                        });
                        let lists = if tier == Tier::Admin { &mut t.admin[d] } else { &mut t.baseline[d] };
                        for i in subjects.ones() {
                            lists[i].push(id);
                        }
                    }
                }
            }
        }
        t
    }

    /// One side through the tiers: the `d` side (0 ingress, 1 egress) of pod `subject`
    /// towards endpoint `peer` (a pod whose named-port signature is `signature`, or an outside
    /// range), given what NetworkPolicy allows on that side (`None`: it does not isolate
    /// the pod). What the Admin tier accepts, plus, of what it leaves (unmatched or passed),
    /// what NetworkPolicy allows or, where no NetworkPolicy isolates the pod, what the
    /// Baseline tier does not deny.
    fn side(
        &self,
        sets: &mut Sets,
        d: usize,
        subject: usize,
        peer: usize,
        signature: usize,
        np: Option<u32>,
    ) -> u32 {
        let (Some(admin), Some(baseline)) = (self.admin[d].get(subject), self.baseline[d].get(subject))
        else {
            return np.unwrap_or(ALL);
        };
        if admin.is_empty() && baseline.is_empty() {
            return np.unwrap_or(ALL);
        }
        let (accepted, open) = self.walk(sets, admin, peer, signature);
        let middle = match np {
            Some(id) => id,
            None => {
                let (accepted, open) = self.walk(sets, baseline, peer, signature);
                sets.union(accepted, open)
            }
        };
        let left = sets.meet(open, middle);
        sets.union(accepted, left)
    }

    /// One tier's rules in order: the ports accepted, and those left to the next tier (no
    /// rule matched them, or a Pass rule did).
    fn walk(&self, sets: &mut Sets, rules: &[u32], peer: usize, signature: usize) -> (u32, u32) {
        let (mut rest, mut accepted, mut passed) = (ALL, NONE, NONE);
        for &r in rules {
            let TierRule { rule, action } = &self.rules[r as usize];
            if rest == NONE {
                break;
            }
            if !rule.peers.get(peer) {
                continue;
            }
            let ports = rule.ports_for(signature);
            let matched = sets.meet(rest, ports);
            match action {
                ClusterAction::Accept => accepted = sets.union(accepted, matched),
                ClusterAction::Deny => {}
                ClusterAction::Pass => passed = sets.union(passed, matched),
            }
            rest = sets.minus(rest, ports);
        }
        (accepted, sets.union(rest, passed))
    }
}

struct Rule {
    /// Admitted endpoints: pods, then outside ranges.
    peers: Bitset,
    /// The rule's ports on a destination with signature `k`: `by_signature[k]`, or `ports`
    /// when the rule names no port.
    ports: u32,
    by_signature: Option<Vec<u32>>,
}

impl Rule {
    fn ports_for(&self, signature: usize) -> u32 {
        self.by_signature.as_ref().map_or(self.ports, |v| v[signature])
    }
}

/// Pods selected by the same policies for one direction (and, for ingress, with the same
/// named ports): they answer alike.
struct Class {
    rules: Vec<usize>,
    signature: usize,
}

impl NetworkPolicies {
    /// The full connectivity report of these policies (see [`crate::connlist`]).
    pub fn connectivity(&self) -> Connectivity<'_> {
        Connectivity::new(self)
    }

    /// The outside ranges of [`Connectivity::outside`], without the rest of the report.
    pub fn outside_ranges(&self) -> Vec<AddressRange> {
        let selection = Selection::new(self);
        let mut relevant = Vec::new();
        for (p, policy) in self.policies().iter().enumerate() {
            for (direction, rules) in
                [(PolicyType::Ingress, &policy.ingress), (PolicyType::Egress, &policy.egress)]
            {
                if !selection.selected(policy, direction).is_empty() {
                    relevant.extend(rules.iter().map(|rule| (p, rule)));
                }
            }
        }
        outside_ranges(blocks(&relevant, &self.cluster))
    }
}

/// The address blocks that cut the outside ranges: each ipBlock rule's `cidr` and `except`
/// (of the `relevant` rules), and each cluster-wide rule's `networks`.
fn blocks<'a>(
    relevant: &[(usize, &'a PolicyRule)],
    cluster: &'a [ClusterNetworkPolicy],
) -> Vec<Vec<(Cidr, &'a [Cidr])>> {
    let mut out: Vec<Vec<(Cidr, &'a [Cidr])>> = relevant
        .iter()
        .map(|(_, rule)| {
            rule.peers
                .iter()
                .filter_map(|peer| match peer {
                    PolicyPeer::IpBlock { cidr, except } => Some((*cidr, except.as_slice())),
                    PolicyPeer::Pods { .. } => None,
                })
                .collect::<Vec<_>>()
        })
        .collect();
    for rule in cluster.iter().flat_map(|p| p.ingress.iter().chain(&p.egress)) {
        let mut networks: Vec<(Cidr, &'a [Cidr])> = Vec::new();
        for peer in &rule.peers {
            if let ClusterPeer::Networks(cidrs) = peer {
                networks.extend(cidrs.iter().map(|c| (*c, &[][..])));
            }
        }
        out.push(networks);
    }
    out.retain(|b| !b.is_empty());
    out
}

impl<'a> Connectivity<'a> {
    /// Precomputes the selections, the outside ranges, every rule's peers and ports and the
    /// classes of pods; the rows are computed when asked for.
    pub fn new(policies: &'a NetworkPolicies) -> Connectivity<'a> {
        let selection = Selection::new(policies);
        let pods = policies.pods();
        let n = pods.len();
        let mut order: Vec<usize> = (0..n).collect();
        sorted::sort_by(&mut order, |&a, &b| {
            (&pods[a].namespace, &pods[a].name, a).cmp(&(&pods[b].namespace, &pods[b].name, b))
        });
        let addressed: Vec<bool> = pods.iter().map(|p| p.ip.is_some()).collect();
        let unaddressed: Vec<usize> = order.iter().copied().filter(|&i| !addressed[i]).collect();

        // Which policies select each pod, per direction, and the rules that can matter.
        let directions = [PolicyType::Ingress, PolicyType::Egress];
        let mut selecting: [Vec<Vec<usize>>; 2] = [vec![Vec::new(); n], vec![Vec::new(); n]];
        let mut relevant = Vec::new();
        let mut rule_ids = vec![[0..0, 0..0]; policies.policies().len()];
        for (p, policy) in policies.policies().iter().enumerate() {
            for (d, direction) in directions.into_iter().enumerate() {
                let selected = selection.selected(policy, direction);
                if selected.is_empty() {
                    continue;
                }
                for i in selected.ones() {
                    selecting[d][i].push(p);
                }
                let rules = if d == 0 { &policy.ingress } else { &policy.egress };
                rule_ids[p][d] = relevant.len()..relevant.len() + rules.len();
                relevant.extend(rules.iter().map(|rule| (p, rule)));
            }
        }

        let outside = outside_ranges(blocks(&relevant, policies.cluster_policies()));
        let firsts: Vec<Ipv4Addr> = outside.iter().map(|r| r.first).collect();
        let mut sets = Sets::new();
        let tiers = Tiers::new(policies, &selection, &firsts, &mut sets);
        let rules = relevant
            .iter()
            .map(|&(p, rule)| {
                let peers = selection.peers(&policies.policies()[p], &rule.peers, &firsts);
                let ports = sets.intern(PortSet::from_policy_ports(&rule.ports, &[]));
                let by_signature = names_a_port(&rule.ports).then(|| {
                    selection
                        .signatures
                        .iter()
                        .map(|named| sets.intern(PortSet::from_policy_ports(&rule.ports, named)))
                        .collect()
                });
                Rule { peers, ports, by_signature }
            })
            .collect();

        let group = |d: usize, by_signature: bool| {
            let mut index: BTreeMap<(&[usize], usize), usize> = BTreeMap::new();
            let mut classes = Vec::new();
            let of_pod = (0..n)
                .map(|i| {
                    let policy_list = selecting[d][i].as_slice();
                    if policy_list.is_empty() {
                        return None;
                    }
                    let signature = if by_signature { selection.pod_signature[i] } else { 0 };
                    let next = classes.len();
                    let k = *index.entry((policy_list, signature)).or_insert(next);
                    if k == next {
                        let rules = policy_list.iter().flat_map(|&p| rule_ids[p][d].clone()).collect();
                        classes.push(Class { rules, signature });
                    }
                    Some(k)
                })
                .collect::<Vec<_>>();
            (of_pod, classes)
        };
        let (ingress_class, ingress) = group(0, true);
        let (egress_class, egress) = group(1, false);
        let pod_signature = selection.pod_signature.clone();
        Connectivity {
            policies,
            order,
            unaddressed,
            addressed,
            outside,
            rules,
            pod_signature,
            ingress_class,
            ingress,
            egress_class,
            egress,
            sets,
            tiers,
        }
    }

    pub fn policies(&self) -> &'a NetworkPolicies {
        self.policies
    }

    /// The outside ranges, ascending, covering `0.0.0.0-255.255.255.255` without overlap.
    pub fn outside(&self) -> &[AddressRange] {
        &self.outside
    }

    /// Pod indexes in report order: by (namespace, name).
    pub fn pod_order(&self) -> &[usize] {
        &self.order
    }

    /// The pods without an IP address, in report order: they take part in no connection.
    pub fn unaddressed(&self) -> &[usize] {
        &self.unaddressed
    }

    /// Calls `f` with each source's row, in report order: every pod (towards the other pods,
    /// then the outside ranges), then every outside range (towards the pods). Only non-empty
    /// entries; `pods_only` leaves outside ranges out. Memory: one row at a time, plus one
    /// cached row of egress sets per class of egress-isolated pods.
    pub fn for_each_row(&self, pods_only: bool, mut f: impl FnMut(&Row<'_>)) {
        let n = self.policies.pods().len();
        let mut sets = self.sets.clone();
        let mut egress_rows: Vec<Option<Vec<u32>>> = vec![None; self.egress.len()];
        let mut ingress_row = Vec::new();
        let mut ids: Vec<(Peer, u32)> = Vec::new();
        let sources = self.order.iter().map(|&s| (s, Peer::Pod(s))).chain(
            self.outside.iter().enumerate().filter(|_| !pods_only).map(|(a, r)| (n + a, Peer::Outside(*r))),
        );
        for (s, src) in sources {
            let egress_row = match self.egress_class.get(s).copied().flatten() {
                Some(c) => {
                    if egress_rows[c].is_none() {
                        egress_rows[c] = Some(self.egress_row(&mut sets, &self.egress[c]));
                    }
                    egress_rows[c].as_deref()
                }
                None => None,
            };
            self.row(&mut sets, s, egress_row, pods_only, &mut ingress_row, &mut ids);
            let allowed = ids
                .iter()
                .filter(|&&(_, id)| id != NONE)
                .map(|&(dst, id)| Allowed { dst, ports: sets.get(id), set_id: id as usize })
                .collect();
            f(&Row { src, allowed });
        }
    }

    /// Source endpoint `s`'s row (a pod, or `n + a` for outside range `a`), empty sets
    /// included, into `ids`: towards every other pod, the source's egress (`egress_row`;
    /// `None` when it is not egress-isolated) intersected with the destination's ingress;
    /// then, from a pod unless `pods_only`, towards every outside range its egress alone.
    /// An outside end has no side of its own: "NetworkPolicies apply to a connection with
    /// a pod on one or both ends" (docs, introduction).
    fn row(
        &self,
        sets: &mut Sets,
        s: usize,
        egress_row: Option<&[u32]>,
        pods_only: bool,
        ingress_row: &mut Vec<u32>,
        ids: &mut Vec<(Peer, u32)>,
    ) {
        let n = self.policies.pods().len();
        self.ingress_row(sets, s, ingress_row);
        ids.clear();
        // A pod without an address opens nothing and is reached by nothing.
        let source_addressed = self.addressed.get(s).copied().unwrap_or(true);
        for &d in self.order.iter().filter(|&&d| d != s) {
            let signature = self.pod_signature[d];
            let e = self.tiers.side(sets, 1, s, d, signature, egress_row.map(|row| row[d]));
            let i = self.tiers.side(sets, 0, d, s, signature, self.ingress_class[d].map(|c| ingress_row[c]));
            let id = if source_addressed && self.addressed[d] { sets.meet(e, i) } else { NONE };
            ids.push((Peer::Pod(d), id));
        }
        if s < n && !pods_only {
            for (a, range) in self.outside.iter().enumerate() {
                let e = self.tiers.side(sets, 1, s, n + a, 0, egress_row.map(|row| row[n + a]));
                let id = if source_addressed { e } else { NONE };
                ids.push((Peer::Outside(*range), id));
            }
        }
    }

    /// What pod `pod` may reach and what may reach it (the pod itself left out), with the
    /// same answers as [`Connectivity::for_each_row`] at the cost of one row and one column.
    /// An index out of range has no connections.
    pub fn pod_connections(&self, pod: usize) -> PodConnections {
        let n = self.policies.pods().len();
        if pod >= n || !self.addressed[pod] {
            return PodConnections::default();
        }
        let mut sets = self.sets.clone();
        let egress_row = self.egress_class[pod].map(|c| self.egress_row(&mut sets, &self.egress[c]));
        let mut outgoing = Vec::new();
        self.row(&mut sets, pod, egress_row.as_deref(), false, &mut Vec::new(), &mut outgoing);
        // The column: each source's egress towards `pod` (once per egress class), and the
        // ingress of `pod` from each source.
        let mut egress_to_pod: Vec<Option<u32>> = vec![None; self.egress.len()];
        let ingress_class = self.ingress_class[pod].map(|c| &self.ingress[c]);
        let mut incoming = Vec::new();
        let sources = self
            .order
            .iter()
            .filter(|&&s| s != pod)
            .map(|&s| (s, Peer::Pod(s)))
            .chain(self.outside.iter().enumerate().map(|(a, range)| (n + a, Peer::Outside(*range))));
        for (s, peer) in sources {
            if !self.addressed.get(s).copied().unwrap_or(true) {
                continue;
            }
            let e = self.egress_class.get(s).copied().flatten().map(|c| {
                *egress_to_pod[c].get_or_insert_with(|| {
                    self.admitted(&mut sets, &self.egress[c].rules, pod, self.pod_signature[pod])
                })
            });
            let e = self.tiers.side(&mut sets, 1, s, pod, self.pod_signature[pod], e);
            let i = ingress_class.map(|class| self.admitted(&mut sets, &class.rules, s, class.signature));
            let i = self.tiers.side(&mut sets, 0, pod, s, self.pod_signature[pod], i);
            incoming.push((peer, sets.meet(e, i)));
        }
        let keep = |list: Vec<(Peer, u32)>| -> Vec<(Peer, PortSet)> {
            list.into_iter().filter(|&(_, id)| id != NONE).map(|(p, id)| (p, sets.get(id).clone())).collect()
        };
        PodConnections { outgoing: keep(outgoing), incoming: keep(incoming) }
    }

    /// The union of the ports of those `rules` that admit endpoint `peer`, on a destination
    /// with named-port signature `signature`.
    fn admitted(&self, sets: &mut Sets, rules: &[usize], peer: usize, signature: usize) -> u32 {
        let mut acc = NONE;
        for &r in rules {
            let rule = &self.rules[r];
            if rule.peers.get(peer) {
                acc = sets.union(acc, rule.ports_for(signature));
            }
        }
        acc
    }

    /// For source endpoint `s`: the ingress set of every ingress class towards it.
    fn ingress_row(&self, sets: &mut Sets, s: usize, out: &mut Vec<u32>) {
        out.clear();
        for class in &self.ingress {
            out.push(self.admitted(sets, &class.rules, s, class.signature));
        }
    }

    /// For an egress class: its egress set towards every endpoint (pods, then ranges).
    fn egress_row(&self, sets: &mut Sets, class: &Class) -> Vec<u32> {
        let n = self.policies.pods().len();
        let mut row = vec![NONE; n + self.outside.len()];
        for &r in &class.rules {
            let rule = &self.rules[r];
            for d in rule.peers.ones() {
                let signature = if d < n { self.pod_signature[d] } else { 0 };
                row[d] = sets.union(row[d], rule.ports_for(signature));
            }
        }
        row
    }
}

/// The outside ranges (see the module docs): the IPv4 space cut at the boundaries of every
/// block ([`blocks`]), adjacent pieces joined again when every such rule admits both or
/// neither.
fn outside_ranges(blocks: Vec<Vec<(Cidr, &[Cidr])>>) -> Vec<AddressRange> {
    let end = 1u64 << 32;
    let mut cuts: Vec<u64> = vec![0, end];
    for &(cidr, except) in blocks.iter().flatten() {
        for c in std::iter::once(&cidr).chain(except) {
            let first = u64::from(u32::from(c.network()));
            cuts.push(first);
            cuts.push(first + (1u64 << (32 - u32::from(c.prefix.min(32)))));
        }
    }
    sorted::sort(&mut cuts);
    cuts.dedup();
    let admits =
        |rule: &[(Cidr, &[Cidr])], ip: Ipv4Addr| rule.iter().any(|&(c, x)| ip_block_admits(c, x, ip));
    let mut out: Vec<AddressRange> = Vec::new();
    let mut previous: Option<Vec<bool>> = None;
    for w in cuts.windows(2) {
        let (first, last) = (Ipv4Addr::from(w[0] as u32), Ipv4Addr::from((w[1] - 1) as u32));
        let admitted: Vec<bool> = blocks.iter().map(|rule| admits(rule, first)).collect();
        match out.last_mut() {
            Some(range) if previous.as_ref() == Some(&admitted) => range.last = last,
            _ => out.push(AddressRange { first, last }),
        }
        previous = Some(admitted);
    }
    out
}

const NONE: u32 = 0;
const ALL: u32 = 1;

/// Interned port sets, with their unions and intersections remembered.
#[derive(Clone)]
struct Sets {
    sets: Vec<PortSet>,
    index: FastMap<PortSet, u32>,
    unions: FastMap<(u32, u32), u32>,
    meets: FastMap<(u32, u32), u32>,
    minuses: FastMap<(u32, u32), u32>,
}

impl Sets {
    fn new() -> Sets {
        let mut sets = Sets {
            sets: Vec::new(),
            index: FastMap::default(),
            unions: FastMap::default(),
            meets: FastMap::default(),
            minuses: FastMap::default(),
        };
        sets.intern(PortSet::none());
        sets.intern(PortSet::all());
        sets
    }

    fn get(&self, id: u32) -> &PortSet {
        &self.sets[id as usize]
    }

    fn intern(&mut self, set: PortSet) -> u32 {
        if let Some(&id) = self.index.get(&set) {
            return id;
        }
        let id = self.sets.len() as u32;
        self.sets.push(set.clone());
        self.index.insert(set, id);
        id
    }

    fn union(&mut self, a: u32, b: u32) -> u32 {
        if a == b || b == NONE || a == ALL {
            return a;
        }
        if a == NONE || b == ALL {
            return b;
        }
        let key = (a.min(b), a.max(b));
        if let Some(&id) = self.unions.get(&key) {
            return id;
        }
        let id = self.intern(self.get(a).union(self.get(b)));
        self.unions.insert(key, id);
        id
    }

    fn minus(&mut self, a: u32, b: u32) -> u32 {
        if a == NONE || b == NONE {
            return a;
        }
        if a == b || b == ALL {
            return NONE;
        }
        if let Some(&id) = self.minuses.get(&(a, b)) {
            return id;
        }
        let id = self.intern(self.get(a).difference(self.get(b)));
        self.minuses.insert((a, b), id);
        id
    }

    fn meet(&mut self, a: u32, b: u32) -> u32 {
        if a == b || b == ALL || a == NONE {
            return a;
        }
        if a == ALL || b == NONE {
            return b;
        }
        let key = (a.min(b), a.max(b));
        if let Some(&id) = self.meets.get(&key) {
            return id;
        }
        let id = self.intern(self.get(a).intersection(self.get(b)));
        self.meets.insert(key, id);
        id
    }
}

/// A hash map with a fixed, fast hasher: lookups only, never iterated, so no output order
/// depends on it; and no random seed is read.
type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The multiply-rotate hasher of rustc (FxHash).
#[derive(Default)]
struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u16(&mut self, i: u16) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
}
