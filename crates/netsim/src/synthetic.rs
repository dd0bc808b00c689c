//! Synthetic clusters for benchmarks: many pods and NetworkPolicies, the same for a given
//! seed on every machine ([`SplitMix64`]; no clock, no entropy). The criterion benches build
//! model types from [`policy_cluster`] directly; `switchboard gen-cluster` writes the same
//! cluster as a manifest so that the command line can be measured on it.

use std::net::Ipv4Addr;

use crate::policy::PolicyPod;
use crate::rng::SplitMix64;
use crate::scenario::{
    Cidr, ContainerPort, LabelRequirement, LabelSelector, Labels, NetworkPolicy, PolicyPeer, PolicyPort,
    PolicyRule, PolicyType, PortRef, Protocol, SelectorOperator,
};

/// Namespaces (name, labels), pods and policies, in the shapes [`crate::policy::NetworkPolicies::new`] takes.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyCluster {
    pub namespaces: Vec<(String, Labels)>,
    pub pods: Vec<PolicyPod>,
    pub policies: Vec<NetworkPolicy>,
}

fn labels(pairs: &[(&str, String)]) -> Labels {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

fn match_labels(pairs: &[(&str, String)]) -> LabelSelector {
    LabelSelector::from_labels(&labels(pairs))
}

fn expression(key: &str, operator: SelectorOperator, values: &[&str]) -> LabelSelector {
    LabelSelector {
        match_labels: Labels::new(),
        match_expressions: vec![LabelRequirement {
            key: key.into(),
            operator,
            values: values.iter().map(|v| v.to_string()).collect(),
        }],
    }
}

fn cidr(text: &str) -> Cidr {
    Cidr::parse(text).unwrap_or(Cidr::new(Ipv4Addr::UNSPECIFIED, 0))
}

fn container_port(name: &str, port: u16, protocol: Protocol) -> ContainerPort {
    ContainerPort { name: Some(name.into()), container_port: port, protocol, host_port: None, source: None }
}

/// `pods` pods in `max(1, pods / 40)` namespaces `ns-<i>` (labels `team`, `env`) and
/// `policies` policies mixing everything the engine handles: default denies, podSelectors by
/// `matchLabels` and `matchExpressions`, namespaceSelectors (empty, by label, by
/// expression), ipBlocks with excepts (pod addresses and the outside), numeric, ranged
/// (`endPort`) and named ports over TCP, UDP and SCTP, ingress and egress.
pub fn policy_cluster(pods: usize, policies: usize, seed: u64) -> PolicyCluster {
    let mut r = SplitMix64::new(seed);
    let namespace_count = (pods / 40).max(1);
    let namespaces: Vec<(String, Labels)> = (0..namespace_count)
        .map(|i| {
            let env = if i % 4 == 3 { "staging" } else { "prod" };
            (format!("ns-{i}"), labels(&[("team", format!("t{}", i % 5)), ("env", env.to_string())]))
        })
        .collect();
    let pod_list = (0..pods)
        .map(|i| {
            let mut ports = vec![container_port("http", [80, 8080][r.index(2)], Protocol::Tcp)];
            if r.chance(30) {
                ports.push(container_port("metrics", 9090, Protocol::Tcp));
            }
            if r.chance(10) {
                ports.push(container_port("dns", 53, Protocol::Udp));
            }
            if r.chance(5) {
                ports.push(container_port("diameter", 3868, Protocol::Sctp));
            }
            let mut pod_labels =
                vec![("app", format!("app-{}", r.index(20))), ("tier", format!("tier-{}", r.index(3)))];
            if r.chance(10) {
                pod_labels.push(("canary", "true".to_string()));
            }
            PolicyPod {
                namespace: namespaces[i % namespace_count].0.clone(),
                name: format!("pod-{i}"),
                labels: labels(&pod_labels),
                ip: Some(Ipv4Addr::from(0x0AF4_0000 + i as u32)),
                ports,
                host_network: false,
            }
        })
        .collect();
    let policy_list = (0..policies)
        .map(|i| {
            let namespace = namespaces[r.index(namespace_count)].0.clone();
            let pod_selector = match (i % 10, r.index(5)) {
                (0, _) => LabelSelector::default(),
                (_, 0) => expression("tier", SelectorOperator::In, &["tier-0", "tier-2"]),
                _ => match_labels(&[("app", format!("app-{}", r.index(20)))]),
            };
            let egress = i % 3 == 0;
            let ingress_rules = if i % 10 == 0 { 0 } else { 1 + r.index(2) };
            let egress_rules = if !egress || i % 30 == 0 { 0 } else { 1 + r.index(2) };
            NetworkPolicy {
                name: format!("np-{i}"),
                namespace,
                pod_selector,
                policy_types: if egress {
                    vec![PolicyType::Ingress, PolicyType::Egress]
                } else {
                    vec![PolicyType::Ingress]
                },
                ingress: (0..ingress_rules).map(|_| rule(&mut r)).collect(),
                egress: (0..egress_rules).map(|_| rule(&mut r)).collect(),
                source: None,
            }
        })
        .collect();
    PolicyCluster { namespaces, pods: pod_list, policies: policy_list }
}

fn rule(r: &mut SplitMix64) -> PolicyRule {
    let peers = if r.chance(10) { Vec::new() } else { (0..1 + r.index(2)).map(|_| peer(r)).collect() };
    let ports = if r.chance(15) { Vec::new() } else { (0..1 + r.index(2)).map(|_| port(r)).collect() };
    PolicyRule { peers, ports, source: None }
}

fn peer(r: &mut SplitMix64) -> PolicyPeer {
    let pods = |pod_selector, namespace_selector| PolicyPeer::Pods { pod_selector, namespace_selector };
    match r.index(9) {
        0 | 1 => pods(Some(match_labels(&[("app", format!("app-{}", r.index(20)))])), None),
        2 => pods(
            Some(expression("tier", SelectorOperator::In, &["tier-0", "tier-1"])),
            Some(match_labels(&[("team", format!("t{}", r.index(5)))])),
        ),
        3 => pods(None, Some(LabelSelector::default())),
        4 => pods(
            Some(expression("canary", SelectorOperator::DoesNotExist, &[])),
            Some(expression("env", SelectorOperator::NotIn, &["staging"])),
        ),
        5 => PolicyPeer::IpBlock { cidr: cidr("10.244.0.0/21"), except: vec![cidr("10.244.1.0/24")] },
        6 => PolicyPeer::IpBlock {
            cidr: cidr("0.0.0.0/0"),
            except: vec![cidr("10.0.0.0/8"), cidr("172.16.0.0/12"), cidr("192.168.0.0/16")],
        },
        7 => PolicyPeer::IpBlock {
            cidr: Cidr::new(Ipv4Addr::new(172, 16, r.index(16) as u8, 0), 24),
            except: vec![],
        },
        _ => PolicyPeer::IpBlock {
            cidr: Cidr::new(Ipv4Addr::new(198, 51, 100, 0), 24),
            except: vec![Cidr::new(Ipv4Addr::new(198, 51, 100, 16 * r.index(16) as u8), 28)],
        },
    }
}

fn port(r: &mut SplitMix64) -> PolicyPort {
    let (protocol, port, end_port) = match r.index(10) {
        0 => (Protocol::Tcp, Some(PortRef::Number(80)), None),
        1 => (Protocol::Tcp, Some(PortRef::Number(8000)), Some(8100)),
        2 | 3 => (Protocol::Tcp, Some(PortRef::Name("http".into())), None),
        4 => (Protocol::Tcp, Some(PortRef::Name("metrics".into())), None),
        5 => (Protocol::Udp, Some(PortRef::Number(53)), None),
        6 => (Protocol::Udp, Some(PortRef::Name("dns".into())), None),
        7 => (Protocol::Tcp, Some(PortRef::Number(30000)), Some(32767)),
        8 => (Protocol::Sctp, Some(PortRef::Number(3868)), None),
        _ => (Protocol::Tcp, Some(PortRef::Number(5432)), None),
    };
    PolicyPort { protocol, port, end_port }
}
