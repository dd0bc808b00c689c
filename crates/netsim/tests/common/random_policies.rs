//! The random clusters of the NetworkPolicy differential tests: a seeded generator of
//! namespaces with labels, pods with labels and named ports (some on the host network) and
//! policies (selectors with every operator, peers of every kind, ipBlocks with excepts,
//! numeric/named/ranged ports, all protocols, every policyTypes combination).
//! `nonsense` adds what the API server would refuse (endPort below port, except outside
//! cidr, peers with no selector, empty policyTypes).

use std::net::Ipv4Addr;

use netsim::policy::{NetworkPolicies, PolicyOptions, PolicyPod};
use netsim::rng::SplitMix64;
use netsim::*;

pub const KEYS: [&str; 3] = ["app", "tier", "env"];
pub const VALUES: [&str; 3] = ["a", "b", "c"];
pub const NS_NAMES: [&str; 4] = ["x", "y", "z", "w"];
pub const PORT_NAMES: [&str; 3] = ["http", "dns", "metrics"];
/// Includes the first and last port, so that ranges reach the ends of `1..=65535`.
pub const PORTS: [u16; 7] = [1, 53, 80, 81, 443, 8080, 65535];
pub const PROTOCOLS: [Protocol; 3] = [Protocol::Tcp, Protocol::Udp, Protocol::Sctp];

pub fn random_labels(r: &mut SplitMix64) -> Labels {
    let mut l = Labels::new();
    for k in KEYS {
        if r.chance(55) {
            l.insert(k.to_string(), r.pick(&VALUES).to_string());
        }
    }
    l
}

pub fn random_selector(r: &mut SplitMix64, ns_keys: bool) -> LabelSelector {
    let mut s = LabelSelector::default();
    if r.chance(25) {
        return s; // empty: selects everything
    }
    for _ in 0..r.index(2) {
        if ns_keys && r.chance(50) {
            s.match_labels.insert("kubernetes.io/metadata.name".into(), r.pick(&NS_NAMES).to_string());
        } else {
            s.match_labels.insert(r.pick(&KEYS).to_string(), r.pick(&VALUES).to_string());
        }
    }
    for _ in 0..r.index(3) {
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
                (0..r.index(3)).map(|_| r.pick(pool).to_string()).collect()
            }
            _ => Vec::new(),
        };
        s.match_expressions.push(LabelRequirement { key: key.into(), operator, values });
    }
    s
}

pub fn random_ip(r: &mut SplitMix64) -> Ipv4Addr {
    // Mostly near the pod range so ipBlocks hit pods and outsiders alike.
    match r.index(3) {
        0 => Ipv4Addr::new(10, 244, r.index(2) as u8, r.index(16) as u8),
        1 => Ipv4Addr::new(192, 168, 0, r.index(4) as u8),
        _ => Ipv4Addr::new(r.index(256) as u8, r.index(256) as u8, 0, 1),
    }
}

pub fn random_cidr(r: &mut SplitMix64, near: Ipv4Addr) -> Cidr {
    let prefix = *r.pick(&[0u8, 8, 16, 24, 28, 30, 32]);
    Cidr::new(near, prefix)
}

pub fn random_peer(r: &mut SplitMix64, nonsense: bool) -> PolicyPeer {
    if r.chance(30) {
        let base = random_ip(r);
        let cidr = random_cidr(r, base);
        let except = (0..r.index(3))
            .map(|_| {
                let ip = if nonsense && r.chance(30) { random_ip(r) } else { base };
                let prefix = (cidr.prefix + 1 + r.index(8) as u8).min(32);
                Cidr::new(Ipv4Addr::from(u32::from(ip) ^ r.index(64) as u32), prefix)
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

pub fn random_port(r: &mut SplitMix64, nonsense: bool) -> PolicyPort {
    let protocol = *r.pick(&PROTOCOLS);
    let (port, end_port) = match r.index(4) {
        0 => (None, None),
        1 => (Some(PortRef::Name(r.pick(&PORT_NAMES).to_string())), None),
        2 => {
            let start = *r.pick(&PORTS);
            let end = if nonsense && r.chance(50) {
                start.saturating_sub(r.index(100) as u16)
            } else {
                start.saturating_add(r.index(500) as u16)
            };
            (Some(PortRef::Number(start)), Some(end))
        }
        _ => (Some(PortRef::Number(*r.pick(&PORTS))), None),
    };
    let end_port = if nonsense && r.chance(10) { Some(r.index(70000) as u16) } else { end_port };
    PolicyPort { protocol, port, end_port }
}

pub fn random_rule(r: &mut SplitMix64, nonsense: bool) -> PolicyRule {
    let peers = if r.chance(20) {
        Vec::new()
    } else {
        (0..1 + r.index(3)).map(|_| random_peer(r, nonsense)).collect()
    };
    let ports = if r.chance(35) {
        Vec::new()
    } else {
        (0..1 + r.index(3)).map(|_| random_port(r, nonsense)).collect()
    };
    PolicyRule { peers, ports, source: None }
}

pub struct World {
    pub namespaces: Vec<(String, Labels)>,
    pub pods: Vec<PolicyPod>,
    pub policies: Vec<NetworkPolicy>,
    pub outside: Vec<Ipv4Addr>,
}

pub fn random_world(r: &mut SplitMix64, nonsense: bool) -> World {
    let mut namespaces = Vec::new();
    for ns in NS_NAMES {
        if r.chance(80) {
            namespaces.push((ns.to_string(), random_labels(r)));
        }
    }
    let mut pods = Vec::new();
    for i in 0..r.index(14) {
        let ports = (0..r.index(4))
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
            // Now and then a pod without an address (Pending, or IPv6 only).
            ip: if r.chance(5) {
                None
            } else if r.chance(85) {
                Some(Ipv4Addr::new(10, 244, r.index(2) as u8, i as u8))
            } else {
                Some(random_ip(r))
            },
            ports,
            host_network: r.chance(10),
        });
    }
    let mut policies = Vec::new();
    for i in 0..r.index(6) {
        let ingress: Vec<PolicyRule> = (0..r.index(3)).map(|_| random_rule(r, nonsense)).collect();
        let egress: Vec<PolicyRule> = (0..r.index(3)).map(|_| random_rule(r, nonsense)).collect();
        let policy_types = match r.index(4) {
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
    let outside = (0..r.index(4)).map(|_| random_ip(r)).collect();
    World { namespaces, pods, policies, outside }
}

/// The options real plugins disagree on, mostly the defaults.
pub fn random_options(r: &mut SplitMix64) -> PolicyOptions {
    PolicyOptions { ip_block_matches_pod_ips: r.chance(70), pod_to_itself_always_allowed: r.chance(80) }
}

impl World {
    /// The engine over this world.
    pub fn engine(&self, options: PolicyOptions) -> NetworkPolicies {
        NetworkPolicies::new(&self.namespaces, self.pods.clone(), self.policies.clone(), options)
    }
}

/// The ports where some answer may change: every `port` and `endPort` of the world's policies,
/// every container port, and `extra`, each with its neighbours, and 1 and 65535. Between two
/// of them no rule can tell ports apart.
#[allow(dead_code)] // Not every test crate that shares `common` probes ports.
pub fn probe_ports(w: &World, extra: &[u16]) -> Vec<u16> {
    let mut edges: Vec<u16> = vec![1, u16::MAX];
    for pp in w.policies.iter().flat_map(|p| p.ingress.iter().chain(&p.egress)).flat_map(|r| &r.ports) {
        if let Some(PortRef::Number(n)) = pp.port {
            edges.push(n);
            edges.extend(pp.end_port);
        }
    }
    edges.extend(w.pods.iter().flat_map(|p| &p.ports).map(|cp| cp.container_port));
    edges.extend(extra);
    let mut ports: Vec<u16> = edges
        .iter()
        .flat_map(|&p| [p.saturating_sub(1), p, p.saturating_add(1)])
        .filter(|&p| p != 0)
        .collect();
    sorted::sort(&mut ports);
    ports.dedup();
    ports
}
