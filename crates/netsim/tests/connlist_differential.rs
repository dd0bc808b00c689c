//! Differential tests for `netsim::connlist`: the full port sets of the connectivity report
//! against the simple per-pair evaluator of `common::simple_policy` (written from the spec,
//! sharing no code with the engine) and against `NetworkPolicies::decide`, over thousands
//! of random clusters from `common::random_policies`.
//!
//! A set is checked wherever its answer could change: at every port that starts or ends a
//! range in some policy (`port`, `endPort`) and at the numbers of the pods' named container
//! ports, each with its neighbours, plus 1 and 65535, for every protocol; outside ranges at
//! their first and last address. Between two such ports no policy can tell ports apart.
//!
//! Spec: https://kubernetes.io/docs/concepts/services-networking/network-policies/
#![allow(clippy::disallowed_methods)] // Not in the wasm: the standard sort is fine (clippy.toml).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use netsim::connlist::{Peer, PortSet, PROTOCOLS};
use netsim::policy::{Connection, Endpoint, NetworkPolicies, PolicyOptions};

mod common;

use common::random_policies::{probe_ports, random_options, random_world};
use common::simple_policy::Simple;
use netsim::rng::SplitMix64;

/// The report as a map, checking its order and shape on the way.
fn report(conn: &netsim::connlist::Connectivity, pods_only: bool) -> BTreeMap<(Peer, Peer), PortSet> {
    let mut rows = Vec::new();
    let mut out = BTreeMap::new();
    conn.for_each_row(pods_only, |row| {
        rows.push(row.src);
        let mut dsts = Vec::new();
        for a in &row.allowed {
            assert!(!a.ports.is_empty(), "an empty set is not reported");
            assert_ne!(row.src, a.dst);
            assert!(out.insert((row.src, a.dst), a.ports.clone()).is_none());
            dsts.push(a.dst);
        }
        assert_eq!(dsts, report_order(conn, pods_only, Some(row.src), &dsts), "entries in report order");
    });
    let every: Vec<Peer> = report_order(conn, pods_only, None, &[]);
    assert_eq!(rows, every, "one row per source, in report order");
    out
}

/// Pods by (namespace, name) then outside ranges ascending; filtered to `keep` when given.
fn report_order(
    conn: &netsim::connlist::Connectivity,
    pods_only: bool,
    src: Option<Peer>,
    keep: &[Peer],
) -> Vec<Peer> {
    let pods = conn.policies().pods();
    let mut order: Vec<usize> = (0..pods.len()).collect();
    order.sort_by(|&a, &b| {
        (&pods[a].namespace, &pods[a].name, a).cmp(&(&pods[b].namespace, &pods[b].name, b))
    });
    let all = order.into_iter().map(Peer::Pod).chain(
        conn.outside()
            .iter()
            .filter(|_| !pods_only && !matches!(src, Some(Peer::Outside(_))))
            .map(|r| Peer::Outside(*r)),
    );
    match src {
        None => all.collect(),
        Some(_) => all.filter(|p| keep.contains(p)).collect(),
    }
}

struct Counts {
    clusters: usize,
    checks: usize,
}

fn run(seed: u64, worlds: usize, nonsense: bool, counts: &mut Counts) {
    let mut r = SplitMix64::new(seed);
    for case in 0..worlds {
        let w = random_world(&mut r, nonsense);
        let opts = random_options(&mut r);
        let np = w.engine(opts);
        let simple = Simple { w: &w, opts };
        let conn = np.connectivity();

        // The outside ranges cover the IPv4 space, in order, without overlap.
        let ranges = conn.outside();
        assert_eq!(np.outside_ranges(), ranges, "the ranges alone are the report's");
        assert_eq!(ranges.first().map(|r| r.first), Some(Ipv4Addr::new(0, 0, 0, 0)));
        assert_eq!(ranges.last().map(|r| r.last), Some(Ipv4Addr::new(255, 255, 255, 255)));
        for pair in ranges.windows(2) {
            assert_eq!(u32::from(pair[0].last) + 1, u32::from(pair[1].first), "{ranges:?}");
        }

        let all = report(&conn, false);
        // Endpoints: every pod, and each range at both ends and at the world's own addresses.
        let mut ends: Vec<(Peer, Endpoint)> =
            (0..w.pods.len()).map(|i| (Peer::Pod(i), Endpoint::Pod(i))).collect();
        for range in ranges {
            ends.push((Peer::Outside(*range), Endpoint::Outside(range.first)));
            ends.push((Peer::Outside(*range), Endpoint::Outside(range.last)));
        }
        for &ip in &w.outside {
            let range = ranges.iter().find(|r| r.contains(ip)).expect("covered");
            ends.push((Peer::Outside(*range), Endpoint::Outside(ip)));
        }
        let ports = probe_ports(&w, &[]);
        let none = PortSet::none();
        for &(src, src_ep) in &ends {
            for &(dst, dst_ep) in &ends {
                let outside_both = matches!((src, dst), (Peer::Outside(_), Peer::Outside(_)));
                if outside_both || src == dst {
                    continue;
                }
                let got = all.get(&(src, dst)).unwrap_or(&none);
                for protocol in PROTOCOLS {
                    for &port in &ports {
                        let want = simple.allowed(src_ep, dst_ep, port, protocol);
                        assert_eq!(
                            got.contains(protocol, port),
                            want,
                            "seed {seed} case {case}: {src_ep:?} -> {dst_ep:?} {protocol} {port}: report says {got}\npods {:#?}\npolicies {:#?}",
                            w.pods,
                            w.policies
                        );
                        counts.checks += 1;
                    }
                }
                // And the engine's explained decision, at one probe port per protocol.
                for protocol in PROTOCOLS {
                    let port = ports[r.index(ports.len())];
                    let d = np.decide(&Connection { src: src_ep, dst: dst_ep, port, protocol });
                    assert_eq!(got.contains(protocol, port), d.allowed, "seed {seed} case {case}:\n{d}");
                }
            }
        }

        // --pods-only is the pod-to-pod part; pod_connections is the pod's row and column.
        let pods_only = report(&conn, true);
        let pod_part: BTreeMap<(Peer, Peer), PortSet> = all
            .iter()
            .filter(|((s, d), _)| matches!((s, d), (Peer::Pod(_), Peer::Pod(_))))
            .map(|(k, v)| (*k, v.clone()))
            .collect();
        assert_eq!(pods_only, pod_part);
        let order = report_order(&conn, false, None, &[]);
        for i in 0..w.pods.len() {
            let got = conn.pod_connections(i);
            let outgoing: Vec<(Peer, PortSet)> =
                order.iter().filter_map(|&d| all.get(&(Peer::Pod(i), d)).map(|s| (d, s.clone()))).collect();
            let incoming: Vec<(Peer, PortSet)> = order
                .iter()
                .filter_map(|&s| all.get(&(s, Peer::Pod(i))).map(|set| (s, set.clone())))
                .collect();
            assert_eq!(got.outgoing, outgoing, "seed {seed} case {case}: outgoing of pod {i}");
            assert_eq!(got.incoming, incoming, "seed {seed} case {case}: incoming of pod {i}");
        }
        assert_eq!(conn.pod_connections(w.pods.len()), Default::default());
        counts.clusters += 1;
    }
}

#[test]
fn report_agrees_with_the_simple_evaluator_at_every_port_that_matters() {
    let mut counts = Counts { clusters: 0, checks: 0 };
    for seed in 0..2 {
        run(0x00C0_1157 + seed, 1500, false, &mut counts);
    }
    run(0x0BAD_C011, 1500, true, &mut counts);
    eprintln!("{} clusters, {} (pair, protocol, port) checks", counts.clusters, counts.checks);
    assert!(counts.clusters == 4500 && counts.checks > 1_000_000, "only {} checks", counts.checks);
}

/// Rendering the same report twice gives the same bytes, and so does a second build.
#[test]
fn report_text_is_the_same_every_time() {
    let mut r = SplitMix64::new(99);
    for _ in 0..50 {
        let w = random_world(&mut r, false);
        let render = || {
            let np = NetworkPolicies::new(
                &w.namespaces,
                w.pods.clone(),
                w.policies.clone(),
                PolicyOptions::default(),
            );
            let conn = np.connectivity();
            let mut text = String::new();
            conn.for_each_row(false, |row| {
                for a in &row.allowed {
                    text.push_str(&format!("{:?} => {:?} : {}\n", row.src, a.dst, a.ports));
                }
            });
            text
        };
        assert_eq!(render(), render());
    }
}
