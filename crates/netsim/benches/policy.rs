//! The NetworkPolicy reachability matrix: 50 namespaces / 2,000 pods / 1,000 policies,
//! and 200 pods / 100 policies. Deterministic generator (splitmix64, fixed seed).
use std::net::Ipv4Addr;

use criterion::{criterion_group, criterion_main, Criterion};
use netsim::policy::{Connection, Endpoint, NetworkPolicies, PolicyOptions, PolicyPod};
use netsim::*;

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
        (self.next() % n as u64) as usize
    }
}

fn labels(pairs: &[(&str, String)]) -> Labels {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

fn sel(pairs: &[(&str, String)]) -> LabelSelector {
    LabelSelector::from_labels(&labels(pairs))
}

/// Namespaces `ns-<i>` (team label), pods with app/tier labels and an `http` port,
/// policies mixing default denies, podSelector/namespaceSelector peers, ipBlocks with
/// excepts, numeric, ranged and named ports.
fn world(
    namespaces: usize,
    pods: usize,
    policies: usize,
) -> (Vec<(String, Labels)>, Vec<PolicyPod>, Vec<NetworkPolicy>) {
    let mut r = Rng(42);
    let ns: Vec<(String, Labels)> =
        (0..namespaces).map(|i| (format!("ns-{i}"), labels(&[("team", format!("t{}", i % 5))]))).collect();
    let pod_list = (0..pods)
        .map(|i| PolicyPod {
            namespace: ns[i % namespaces].0.clone(),
            name: format!("pod-{i}"),
            labels: labels(&[
                ("app", format!("app-{}", r.below(20))),
                ("tier", format!("tier-{}", r.below(3))),
            ]),
            ip: Ipv4Addr::from(0x0AF4_0000 + i as u32),
            ports: vec![ContainerPort {
                name: Some("http".into()),
                container_port: [80, 8080][r.below(2)],
                protocol: Protocol::Tcp,
                host_port: None,
                source: None,
            }],
            host_network: false,
        })
        .collect();
    let mut pol = Vec::new();
    for i in 0..policies {
        let namespace = ns[r.below(namespaces)].0.clone();
        let pod_selector = if i % 10 == 0 {
            LabelSelector::default()
        } else {
            sel(&[("app", format!("app-{}", r.below(20)))])
        };
        let peer = match r.below(4) {
            0 => PolicyPeer::Pods {
                pod_selector: Some(sel(&[("app", format!("app-{}", r.below(20)))])),
                namespace_selector: None,
            },
            1 => PolicyPeer::Pods {
                pod_selector: Some(LabelSelector {
                    match_labels: Labels::new(),
                    match_expressions: vec![LabelRequirement {
                        key: "tier".into(),
                        operator: SelectorOperator::In,
                        values: vec!["tier-0".into(), "tier-1".into()],
                    }],
                }),
                namespace_selector: Some(sel(&[("team", format!("t{}", r.below(5)))])),
            },
            2 => PolicyPeer::Pods { pod_selector: None, namespace_selector: Some(LabelSelector::default()) },
            _ => PolicyPeer::IpBlock {
                cidr: Cidr::new(Ipv4Addr::new(10, 244, 0, 0), 21),
                except: vec![Cidr::new(Ipv4Addr::new(10, 244, 1, 0), 24)],
            },
        };
        let port = match r.below(3) {
            0 => PolicyPort { protocol: Protocol::Tcp, port: Some(PortRef::Number(80)), end_port: None },
            1 => PolicyPort {
                protocol: Protocol::Tcp,
                port: Some(PortRef::Number(8000)),
                end_port: Some(8100),
            },
            _ => PolicyPort {
                protocol: Protocol::Tcp,
                port: Some(PortRef::Name("http".into())),
                end_port: None,
            },
        };
        let rule = PolicyRule { peers: vec![peer], ports: vec![port], source: None };
        let egress = i % 3 == 0;
        pol.push(NetworkPolicy {
            name: format!("np-{i}"),
            namespace,
            pod_selector,
            policy_types: if egress {
                vec![PolicyType::Ingress, PolicyType::Egress]
            } else {
                vec![PolicyType::Ingress]
            },
            ingress: if i % 10 == 0 { vec![] } else { vec![rule.clone()] },
            egress: if egress { vec![rule] } else { vec![] },
            source: None,
        });
    }
    (ns, pod_list, pol)
}

fn bench(c: &mut Criterion) {
    let outside = [Ipv4Addr::new(8, 8, 8, 8), Ipv4Addr::new(169, 254, 169, 254)];
    for (label, namespaces, pods, policies) in [("large", 50, 2000, 1000), ("small", 10, 200, 100)] {
        let (ns, ps, pol) = world(namespaces, pods, policies);
        let np = NetworkPolicies::new(&ns, ps, pol, PolicyOptions::default());
        let m = np.reachability(8080, Protocol::Tcp, &outside);
        eprintln!(
            "{label}: {} allowed, {} denied of {} cells",
            m.allowed_count(),
            m.denied_count(),
            (pods + 2) * pods
        );
        c.bench_function(&format!("reachability {label} ({pods} pods, {policies} policies)"), |b| {
            b.iter(|| np.reachability(8080, Protocol::Tcp, &outside))
        });
        let conn = Connection {
            src: Endpoint::Pod(1),
            dst: Endpoint::Pod(pods - 1),
            port: 8080,
            protocol: Protocol::Tcp,
        };
        c.bench_function(&format!("decide {label} (one explained connection)"), |b| {
            b.iter(|| np.decide(&conn))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
