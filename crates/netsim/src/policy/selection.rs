//! What the whole-cluster answers precompute so that no selector is evaluated per pair.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use super::bitset::Bitset;
use super::decide::{ip_block_admits, NetworkPolicies};
use super::ports::NamedPort;
use crate::scenario::{
    ClusterPeer, ClusterPort, ClusterSelector, LabelSelector, Labels, NetworkPolicy, PolicyPeer, PolicyType,
    PortRef, SelectorOperator,
};

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
        let mut mentioned: BTreeSet<&str> = sorted::set(
            np.policies
                .iter()
                .flat_map(|p| p.ingress.iter().chain(&p.egress))
                .flat_map(|r| &r.ports)
                .filter_map(|pp| match &pp.port {
                    Some(PortRef::Name(name)) => Some(name.as_str()),
                    _ => None,
                }),
        );
        for p in &np.cluster {
            for r in p.ingress.iter().chain(&p.egress) {
                for port in r.ports.iter().flatten() {
                    if let ClusterPort::Named(name) = port {
                        mentioned.insert(name);
                    }
                }
            }
        }
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
                            && pod.ip.is_some_and(|ip| ip_block_admits(*cidr, except, ip))
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

impl Selection<'_> {
    /// The pods a cluster-wide selector chooses (never host-network ones): those of the
    /// namespaces it matches, and with `pods`, those of them whose labels it matches.
    pub(crate) fn cluster_pods(&self, sel: &ClusterSelector) -> Bitset {
        let n = self.np.pods.len();
        let namespaces = match sel {
            ClusterSelector::Namespaces(ns) | ClusterSelector::Pods { namespaces: ns, .. } => ns,
        };
        let mut out = Bitset::new(n);
        for k in self.ns_index.select(namespaces).ones() {
            out.or_with(&self.ns_pods[k]);
        }
        if let ClusterSelector::Pods { pods, .. } = sel {
            out.and_with(&self.pod_index.select(pods));
        }
        out
    }

    /// The endpoints a cluster-wide rule's peers match, over every pod then every address of
    /// `outside`: the pods its selectors choose, and the endpoints whose address is in one
    /// of its `networks` (pods included, host-network ones too: they match by address).
    pub(crate) fn cluster_peers(&self, peers: &[ClusterPeer], outside: &[Ipv4Addr]) -> Bitset {
        let n = self.np.pods.len();
        let mut out = Bitset::new(n + outside.len());
        for peer in peers {
            match peer {
                ClusterPeer::Pods(sel) => {
                    for i in self.cluster_pods(sel).ones() {
                        out.set(i);
                    }
                }
                ClusterPeer::Networks(cidrs) => {
                    let within = |ip: Ipv4Addr| cidrs.iter().any(|c| c.contains(ip));
                    for (i, pod) in self.np.pods.iter().enumerate() {
                        if pod.ip.is_some_and(within) {
                            out.set(i);
                        }
                    }
                    for (k, &ip) in outside.iter().enumerate() {
                        if within(ip) {
                            out.set(n + k);
                        }
                    }
                }
            }
        }
        out
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
