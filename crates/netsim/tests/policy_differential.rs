//! Differential and never-panic tests for `netsim::policy`.
//!
//! A seeded generator builds random clusters (namespaces with labels, pods with labels
//! and named ports, some on the host network) and random policies (selectors with every
//! operator, peers of every kind, ipBlocks with excepts, numeric/named/ranged ports, all
//! protocols, every policyTypes combination). A second evaluator, written here per pair
//! straight from the spec text and sharing no code with the engine, must agree with both
//! `NetworkPolicies::decide` and `NetworkPolicies::reachability` on every cell.
//!
//! Spec: https://kubernetes.io/docs/concepts/services-networking/network-policies/ and
//! https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
//! plus the engine's documented choices (ipBlock matches pod IPs when the option says so,
//! a pod may always reach itself, host-network pods are their node).

use std::net::Ipv4Addr;

use netsim::policy::{Connection, Endpoint, NetworkPolicies, PolicyOptions, PolicyPod, Verdict};
use netsim::*;

/// splitmix64: tiny, seeded, good enough to spread cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

const KEYS: [&str; 3] = ["app", "tier", "env"];
const VALUES: [&str; 3] = ["a", "b", "c"];
const NS_NAMES: [&str; 4] = ["x", "y", "z", "w"];
const PORT_NAMES: [&str; 3] = ["http", "dns", "metrics"];
const PORTS: [u16; 5] = [53, 80, 81, 443, 8080];
const PROTOCOLS: [Protocol; 3] = [Protocol::Tcp, Protocol::Udp, Protocol::Sctp];

fn random_labels(r: &mut Rng) -> Labels {
    let mut l = Labels::new();
    for k in KEYS {
        if r.chance(55) {
            l.insert(k.to_string(), r.pick(&VALUES).to_string());
        }
    }
    l
}

fn random_selector(r: &mut Rng, ns_keys: bool) -> LabelSelector {
    let mut s = LabelSelector::default();
    if r.chance(25) {
        return s; // empty: selects everything
    }
    for _ in 0..r.below(2) {
        if ns_keys && r.chance(50) {
            s.match_labels.insert("kubernetes.io/metadata.name".into(), r.pick(&NS_NAMES).to_string());
        } else {
            s.match_labels.insert(r.pick(&KEYS).to_string(), r.pick(&VALUES).to_string());
        }
    }
    for _ in 0..r.below(3) {
        let operator = *r.pick(&[
            SelectorOperator::In,
            SelectorOperator::NotIn,
            SelectorOperator::Exists,
            SelectorOperator::DoesNotExist,
        ]);
        let key = if ns_keys && r.chance(40) { "kubernetes.io/metadata.name" } else { r.pick(&KEYS) };
        let pool: &[&str] = if key == "kubernetes.io/metadata.name" { &NS_NAMES } else { &VALUES };
        let values = match operator {
            SelectorOperator::In | SelectorOperator::NotIn => {
                (0..r.below(3)).map(|_| r.pick(pool).to_string()).collect()
            }
            _ => Vec::new(),
        };
        s.match_expressions.push(LabelRequirement { key: key.into(), operator, values });
    }
    s
}

fn random_ip(r: &mut Rng) -> Ipv4Addr {
    // Mostly near the pod range so ipBlocks hit pods and outsiders alike.
    match r.below(3) {
        0 => Ipv4Addr::new(10, 244, r.below(2) as u8, r.below(16) as u8),
        1 => Ipv4Addr::new(192, 168, 0, r.below(4) as u8),
        _ => Ipv4Addr::new(r.below(256) as u8, r.below(256) as u8, 0, 1),
    }
}

fn random_cidr(r: &mut Rng, near: Ipv4Addr) -> Cidr {
    let prefix = *r.pick(&[0u8, 8, 16, 24, 28, 30, 32]);
    Cidr::new(near, prefix)
}

fn random_peer(r: &mut Rng, nonsense: bool) -> PolicyPeer {
    if r.chance(30) {
        let base = random_ip(r);
        let cidr = random_cidr(r, base);
        let except = (0..r.below(3))
            .map(|_| {
                let ip = if nonsense && r.chance(30) { random_ip(r) } else { base };
                let prefix = (cidr.prefix + 1 + r.below(8) as u8).min(32);
                Cidr::new(Ipv4Addr::from(u32::from(ip) ^ r.below(64) as u32), prefix)
            })
            .collect();
        return PolicyPeer::IpBlock { cidr, except };
    }
    let pod_selector = if r.chance(70) { Some(random_selector(r, false)) } else { None };
    let namespace_selector = if r.chance(50) || (pod_selector.is_none() && !nonsense) {
        Some(random_selector(r, true))
    } else {
        None
    };
    PolicyPeer::Pods { pod_selector, namespace_selector }
}

fn random_port(r: &mut Rng, nonsense: bool) -> PolicyPort {
    let protocol = *r.pick(&PROTOCOLS);
    let (port, end_port) = match r.below(4) {
        0 => (None, None),
        1 => (Some(PortRef::Name(r.pick(&PORT_NAMES).to_string())), None),
        2 => {
            let start = *r.pick(&PORTS);
            let end = if nonsense && r.chance(50) {
                start.saturating_sub(r.below(100) as u16)
            } else {
                start + r.below(500) as u16
            };
            (Some(PortRef::Number(start)), Some(end))
        }
        _ => (Some(PortRef::Number(*r.pick(&PORTS))), None),
    };
    let end_port = if nonsense && r.chance(10) { Some(r.below(70000) as u16) } else { end_port };
    PolicyPort { protocol, port, end_port }
}

fn random_rule(r: &mut Rng, nonsense: bool) -> PolicyRule {
    let peers = if r.chance(20) {
        Vec::new()
    } else {
        (0..1 + r.below(3)).map(|_| random_peer(r, nonsense)).collect()
    };
    let ports = if r.chance(35) {
        Vec::new()
    } else {
        (0..1 + r.below(3)).map(|_| random_port(r, nonsense)).collect()
    };
    PolicyRule { peers, ports, source: None }
}

struct World {
    namespaces: Vec<(String, Labels)>,
    pods: Vec<PolicyPod>,
    policies: Vec<NetworkPolicy>,
    outside: Vec<Ipv4Addr>,
}

fn random_world(r: &mut Rng, nonsense: bool) -> World {
    let mut namespaces = Vec::new();
    for ns in NS_NAMES {
        if r.chance(80) {
            namespaces.push((ns.to_string(), random_labels(r)));
        }
    }
    let mut pods = Vec::new();
    for i in 0..r.below(14) {
        let ports = (0..r.below(4))
            .map(|_| ContainerPort {
                name: if r.chance(70) { Some(r.pick(&PORT_NAMES).to_string()) } else { None },
                container_port: *r.pick(&PORTS),
                protocol: *r.pick(&PROTOCOLS),
                host_port: None,
                source: None,
            })
            .collect();
        pods.push(PolicyPod {
            namespace: r.pick(&NS_NAMES).to_string(),
            name: format!("p{i}"),
            labels: random_labels(r),
            ip: if r.chance(85) { Ipv4Addr::new(10, 244, r.below(2) as u8, i as u8) } else { random_ip(r) },
            ports,
            host_network: r.chance(10),
        });
    }
    let mut policies = Vec::new();
    for i in 0..r.below(6) {
        let ingress: Vec<PolicyRule> = (0..r.below(3)).map(|_| random_rule(r, nonsense)).collect();
        let egress: Vec<PolicyRule> = (0..r.below(3)).map(|_| random_rule(r, nonsense)).collect();
        let policy_types = match r.below(4) {
            0 => vec![PolicyType::Ingress],
            1 => vec![PolicyType::Egress],
            2 => vec![PolicyType::Ingress, PolicyType::Egress],
            _ if nonsense => vec![],
            _ => {
                // The API server's defaulting.
                let mut t = vec![PolicyType::Ingress];
                if !egress.is_empty() {
                    t.push(PolicyType::Egress);
                }
                t
            }
        };
        policies.push(NetworkPolicy {
            name: format!("np{i}"),
            namespace: r.pick(&NS_NAMES).to_string(),
            pod_selector: random_selector(r, false),
            policy_types,
            ingress,
            egress,
            source: None,
        });
    }
    let outside = (0..r.below(4)).map(|_| random_ip(r)).collect();
    World { namespaces, pods, policies, outside }
}

// --- the simple evaluator: per pair, from the spec text ------------------------------

enum Who<'a> {
    Pod(&'a PolicyPod),
    Addr(Ipv4Addr),
}

struct Simple<'a> {
    w: &'a World,
    opts: PolicyOptions,
}

impl Simple<'_> {
    /// "namespaces get the kubernetes.io/metadata.name label"; first listing wins.
    fn ns_labels(&self, ns: &str) -> Labels {
        let mut l =
            self.w.namespaces.iter().find(|(n, _)| n == ns).map(|(_, l)| l.clone()).unwrap_or_default();
        l.entry("kubernetes.io/metadata.name".into()).or_insert(ns.into());
        l
    }

    /// "podSelector selects the pods the policy applies to, in the policy's namespace";
    /// host-network pods are the node, which no podSelector selects.
    fn applies(&self, p: &NetworkPolicy, pod: &PolicyPod, t: PolicyType) -> bool {
        !pod.host_network
            && pod.namespace == p.namespace
            && p.policy_types.contains(&t)
            && p.pod_selector.matches(&pod.labels)
    }

    fn peer_ok(&self, p: &NetworkPolicy, peer: &PolicyPeer, who: &Who) -> bool {
        match peer {
            PolicyPeer::IpBlock { cidr, except } => {
                let ip = match who {
                    Who::Addr(ip) => *ip,
                    Who::Pod(pod) if pod.host_network || self.opts.ip_block_matches_pod_ips => pod.ip,
                    Who::Pod(_) => return false,
                };
                cidr.contains(ip) && except.iter().all(|e| !e.contains(ip))
            }
            PolicyPeer::Pods { pod_selector, namespace_selector } => {
                let Who::Pod(pod) = who else { return false };
                if pod.host_network {
                    return false;
                }
                match (pod_selector, namespace_selector) {
                    (None, None) => false,
                    (Some(ps), None) => pod.namespace == p.namespace && ps.matches(&pod.labels),
                    (None, Some(ns)) => ns.matches(&self.ns_labels(&pod.namespace)),
                    (Some(ps), Some(ns)) => {
                        ns.matches(&self.ns_labels(&pod.namespace)) && ps.matches(&pod.labels)
                    }
                }
            }
        }
    }

    /// "port ... can either be a numerical or named port on a pod"; endPort: inclusive range.
    fn port_ok(&self, pp: &PolicyPort, port: u16, proto: Protocol, dst: &Who) -> bool {
        if pp.protocol != proto {
            return false;
        }
        match &pp.port {
            None => true,
            Some(PortRef::Number(n)) => match pp.end_port {
                None => port == *n,
                Some(e) => *n <= port && port <= e,
            },
            Some(PortRef::Name(name)) => match dst {
                Who::Pod(pod) if !pod.host_network => pod.ports.iter().any(|cp| {
                    cp.name.as_deref() == Some(name.as_str())
                        && cp.protocol == proto
                        && cp.container_port == port
                }),
                _ => false,
            },
        }
    }

    fn rule_ok(
        &self,
        p: &NetworkPolicy,
        rule: &PolicyRule,
        peer: &Who,
        port: u16,
        proto: Protocol,
        dst: &Who,
    ) -> bool {
        (rule.peers.is_empty() || rule.peers.iter().any(|x| self.peer_ok(p, x, peer)))
            && (rule.ports.is_empty() || rule.ports.iter().any(|pp| self.port_ok(pp, port, proto, dst)))
    }

    /// One direction of one pod: isolated only if some policy applies; then some rule must admit.
    fn side_ok(
        &self,
        pod: &PolicyPod,
        t: PolicyType,
        peer: &Who,
        port: u16,
        proto: Protocol,
        dst: &Who,
    ) -> bool {
        let applying: Vec<&NetworkPolicy> =
            self.w.policies.iter().filter(|p| self.applies(p, pod, t)).collect();
        if applying.is_empty() {
            return true;
        }
        applying.iter().any(|p| {
            let rules = if t == PolicyType::Ingress { &p.ingress } else { &p.egress };
            rules.iter().any(|rule| self.rule_ok(p, rule, peer, port, proto, dst))
        })
    }

    fn allowed(&self, src: Endpoint, dst: Endpoint, port: u16, proto: Protocol) -> bool {
        let who = |e: Endpoint| match e {
            Endpoint::Pod(i) => Who::Pod(&self.w.pods[i]),
            Endpoint::Outside(ip) => Who::Addr(ip),
        };
        if let (Endpoint::Pod(a), Endpoint::Pod(b)) = (src, dst) {
            if a == b && self.opts.pod_to_itself_always_allowed {
                return true;
            }
        }
        let (s, d) = (who(src), who(dst));
        let egress = match &s {
            Who::Pod(pod) => self.side_ok(pod, PolicyType::Egress, &d, port, proto, &d),
            Who::Addr(_) => true,
        };
        let ingress = match &d {
            Who::Pod(pod) => self.side_ok(pod, PolicyType::Ingress, &s, port, proto, &d),
            Who::Addr(_) => true,
        };
        egress && ingress
    }
}

fn run(seed: u64, worlds: usize, nonsense: bool) -> usize {
    let mut r = Rng(seed);
    let mut checked = 0;
    for case in 0..worlds {
        let w = random_world(&mut r, nonsense);
        let opts = PolicyOptions {
            ip_block_matches_pod_ips: r.chance(70),
            pod_to_itself_always_allowed: r.chance(80),
        };
        let np = NetworkPolicies::new(&w.namespaces, w.pods.clone(), w.policies.clone(), opts);
        let simple = Simple { w: &w, opts };
        for _ in 0..2 {
            let port = *r.pick(&PORTS);
            let protocol = *r.pick(&PROTOCOLS);
            let m = np.reachability(port, protocol, &w.outside);
            let sources: Vec<Endpoint> = (0..w.pods.len())
                .map(Endpoint::Pod)
                .chain(w.outside.iter().map(|&ip| Endpoint::Outside(ip)))
                .collect();
            assert_eq!(m.sources, sources);
            for (s, &src) in sources.iter().enumerate() {
                // Destinations: every pod, plus every outside address (decide only).
                let dsts = (0..w.pods.len())
                    .map(Endpoint::Pod)
                    .chain(w.outside.iter().map(|&ip| Endpoint::Outside(ip)));
                for dst in dsts {
                    let want = simple.allowed(src, dst, port, protocol);
                    let d = np.decide(&Connection { src, dst, port, protocol });
                    assert_eq!(
                        d.allowed, want,
                        "seed {seed} case {case}: decide {src:?} -> {dst:?} {protocol} {port}\n{d}\npods {:#?}\npolicies {:#?}",
                        w.pods, w.policies
                    );
                    // The explanation agrees with the verdict.
                    let sides_ok = d.egress.allows() && d.ingress.allows();
                    assert!(d.to_itself || sides_ok == d.allowed);
                    if let Verdict::Denied { closest: Some(miss) } = &d.ingress.verdict {
                        assert!(!miss.mismatches.is_empty() && !miss.explanation.is_empty());
                    }
                    if let Endpoint::Pod(t) = dst {
                        assert_eq!(
                            m.allowed(s, t),
                            want,
                            "seed {seed} case {case}: matrix {src:?} -> {dst:?} {protocol} {port}\n{d}\npods {:#?}\npolicies {:#?}",
                            w.pods,
                            w.policies
                        );
                    }
                    checked += 1;
                }
            }
            assert_eq!(m.allowed_count() + m.denied_count(), sources.len() * w.pods.len());
        }
    }
    checked
}

#[test]
fn engine_and_matrix_agree_with_the_simple_evaluator() {
    let mut total = 0;
    for seed in 0..4 {
        total += run(0x5EED_0000 + seed, 1500, false);
    }
    assert!(total > 100_000, "only {total} pairs checked");
}

/// Nonsensical policies (endPort below port, except outside cidr, peers with no selector,
/// empty policyTypes, empty everything): still no panic and still the simple semantics.
#[test]
fn nonsense_never_panics_and_still_agrees() {
    let total = run(0xBAD_5EED, 3000, true);
    assert!(total > 10_000, "only {total} pairs checked");
}

#[test]
fn out_of_range_indexes_never_panic() {
    let mut r = Rng(7);
    let w = random_world(&mut r, true);
    let np =
        NetworkPolicies::new(&w.namespaces, w.pods.clone(), w.policies.clone(), PolicyOptions::default());
    let far = Endpoint::Pod(usize::MAX);
    let d = np.decide(&Connection { src: far, dst: far, port: 0, protocol: Protocol::Sctp });
    assert!(d.allowed, "two unknown addresses: nothing applies\n{d}");
    let m = np.reachability(0, Protocol::Tcp, &[]);
    assert!(!m.allowed(usize::MAX, 0) && !m.allowed(0, usize::MAX));
    assert!(m.decision(&np, usize::MAX, 0).is_none());
    let empty = NetworkPolicies::new(&[], vec![], vec![], PolicyOptions::default());
    assert_eq!(
        empty.reachability(80, Protocol::Tcp, &[Ipv4Addr::LOCALHOST]).to_string(),
        "TCP 80\n\n127.0.0.1\n"
    );
}
