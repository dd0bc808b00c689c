//! The connectivity report with cluster-wide tiers (ClusterNetworkPolicy, Admin and
//! Baseline) against `NetworkPolicies::decide`, which walks the tiers one connection at a
//! time: random clusters from `common::random_policies` with random cluster policies on top,
//! every pair checked at every port where some rule starts or ends, and their neighbours.
#![allow(clippy::disallowed_methods)] // Not in the wasm: the standard sort is fine (clippy.toml).

use std::collections::BTreeMap;

use netsim::connlist::{Peer, PortSet, PROTOCOLS};
use netsim::policy::{Connection, Endpoint, PolicyOptions};
use netsim::rng::SplitMix64;
use netsim::*;

mod common;

use common::random_policies::{probe_ports, random_cidr, random_ip, random_selector, random_world};

const NAMES: [&str; 3] = ["http", "dns", "metrics"];
const PORTS: [u16; 5] = [53, 80, 443, 8080, 9090];

fn random_selection(r: &mut SplitMix64) -> ClusterSelector {
    if r.chance(50) {
        ClusterSelector::Namespaces(random_selector(r, true))
    } else {
        ClusterSelector::Pods { namespaces: random_selector(r, true), pods: random_selector(r, false) }
    }
}

fn random_cluster_rule(r: &mut SplitMix64, egress: bool) -> ClusterRule {
    let action = *r.pick(&[ClusterAction::Accept, ClusterAction::Deny, ClusterAction::Pass]);
    let peers = (0..1 + r.index(2))
        .map(|_| {
            if egress && r.chance(35) {
                let near = random_ip(r);
                ClusterPeer::Networks(vec![random_cidr(r, near)])
            } else {
                ClusterPeer::Pods(random_selection(r))
            }
        })
        .collect();
    let ports = r.chance(60).then(|| {
        (0..1 + r.index(2))
            .map(|_| {
                if r.chance(25) {
                    ClusterPort::Named(r.pick(&NAMES).to_string())
                } else {
                    let first = *r.pick(&PORTS);
                    let last = if r.chance(30) { first + r.index(2000) as u16 } else { first };
                    ClusterPort::Range { protocol: *r.pick(&[Protocol::Tcp, Protocol::Udp]), first, last }
                }
            })
            .collect()
    });
    ClusterRule { name: String::new(), action, peers, ports, source: None }
}

fn random_cluster(r: &mut SplitMix64) -> Vec<ClusterNetworkPolicy> {
    (0..1 + r.index(4))
        .map(|i| ClusterNetworkPolicy {
            kind: ClusterPolicyKind::ClusterNetworkPolicy,
            name: format!("c{i}"),
            tier: if r.chance(50) { Tier::Admin } else { Tier::Baseline },
            priority: r.index(3) as u32,
            subject: random_selection(r),
            ingress: (0..r.index(3)).map(|_| random_cluster_rule(r, false)).collect(),
            egress: (0..r.index(3)).map(|_| random_cluster_rule(r, true)).collect(),
            source: None,
        })
        .collect()
}

/// The cluster-wide rules' port range ends, for `probe_ports`.
fn cluster_edges(cluster: &[ClusterNetworkPolicy]) -> Vec<u16> {
    let rules = cluster.iter().flat_map(|p| p.ingress.iter().chain(&p.egress));
    let ports = rules.flat_map(|r| r.ports.iter().flatten());
    ports
        .flat_map(|port| match port {
            ClusterPort::Range { first, last, .. } => vec![*first, *last],
            ClusterPort::Named(_) => Vec::new(),
        })
        .collect()
}

#[test]
fn report_with_tiers_agrees_with_each_connection_decided() {
    let mut r = SplitMix64::new(0x7153_0001);
    let mut checks = 0usize;
    let mut decided_by_tier = 0usize;
    for case in 0..300 {
        let mut w = random_world(&mut r, false);
        // Names the tiers' named ports can meet.
        for pod in &mut w.pods {
            for cp in &mut pod.ports {
                if r.chance(40) {
                    cp.name = Some(r.pick(&NAMES).to_string());
                }
            }
        }
        let cluster = random_cluster(&mut r);
        let np = w.engine(PolicyOptions::default()).with_cluster_policies(cluster.clone());
        let conn = np.connectivity();
        let mut all: BTreeMap<(Peer, Peer), PortSet> = BTreeMap::new();
        conn.for_each_row(false, |row| {
            for a in &row.allowed {
                all.insert((row.src, a.dst), a.ports.clone());
            }
        });
        let mut ends: Vec<(Peer, Endpoint)> =
            (0..w.pods.len()).map(|i| (Peer::Pod(i), Endpoint::Pod(i))).collect();
        for range in conn.outside() {
            ends.push((Peer::Outside(*range), Endpoint::Outside(range.first)));
            ends.push((Peer::Outside(*range), Endpoint::Outside(range.last)));
        }
        let ports = probe_ports(&w, &cluster_edges(&cluster));
        let none = PortSet::none();
        for &(src, src_ep) in &ends {
            for &(dst, dst_ep) in &ends {
                if src == dst || matches!((src, dst), (Peer::Outside(_), Peer::Outside(_))) {
                    continue;
                }
                let got = all.get(&(src, dst)).unwrap_or(&none);
                for protocol in PROTOCOLS {
                    for &port in &ports {
                        let d = np.decide(&Connection { src: src_ep, dst: dst_ep, port, protocol });
                        if matches!(d.egress.verdict, policy::Verdict::Cluster { .. })
                            || matches!(d.ingress.verdict, policy::Verdict::Cluster { .. })
                        {
                            decided_by_tier += 1;
                        }
                        assert_eq!(
                            got.contains(protocol, port),
                            d.allowed,
                            "case {case}: {src_ep:?} -> {dst_ep:?} {protocol} {port}: report says {got}\n{d}\ncluster {cluster:#?}\npods {:#?}\npolicies {:#?}",
                            w.pods,
                            w.policies
                        );
                        checks += 1;
                    }
                }
            }
        }
        for i in 0..w.pods.len() {
            let got = conn.pod_connections(i);
            let outgoing: Vec<(Peer, PortSet)> = all
                .iter()
                .filter(|((s, _), _)| *s == Peer::Pod(i))
                .map(|((_, d), p)| (*d, p.clone()))
                .collect();
            let mut want_out = outgoing.clone();
            want_out.sort_by_key(|(d, _)| *d);
            let mut got_out = got.outgoing.clone();
            got_out.sort_by_key(|(d, _)| *d);
            assert_eq!(got_out, want_out, "case {case}: outgoing of pod {i}");
            let mut want_in: Vec<(Peer, PortSet)> = all
                .iter()
                .filter(|((_, d), _)| *d == Peer::Pod(i))
                .map(|((s, _), p)| (*s, p.clone()))
                .collect();
            want_in.sort_by_key(|(s, _)| *s);
            let mut got_in = got.incoming.clone();
            got_in.sort_by_key(|(s, _)| *s);
            assert_eq!(got_in, want_in, "case {case}: incoming of pod {i}");
        }
    }
    eprintln!("{checks} checks, {decided_by_tier} decided by a cluster-wide rule");
    assert!(checks > 100_000 && decided_by_tier > 10_000, "{checks} checks, {decided_by_tier} by a tier");
}
