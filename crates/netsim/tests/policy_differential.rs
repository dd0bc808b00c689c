//! Differential and never-panic tests for `netsim::policy`.
//!
//! A seeded generator builds random clusters (namespaces with labels, pods with labels
//! and named ports, some on the host network) and random policies (selectors with every
//! operator, peers of every kind, ipBlocks with excepts, numeric/named/ranged ports, all
//! protocols, every policyTypes combination): `common::random_policies`. A second
//! evaluator, written per pair straight from the spec text and sharing no code with the
//! engine (`common::simple_policy`), must agree with both `NetworkPolicies::decide` and
//! `NetworkPolicies::reachability` on every cell.
//!
//! Spec: https://kubernetes.io/docs/concepts/services-networking/network-policies/ and
//! https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
//! plus the engine's documented choices (ipBlock matches pod IPs when the option says so,
//! a pod may always reach itself, host-network pods are their node).

use std::net::Ipv4Addr;

use netsim::policy::{Connection, Endpoint, NetworkPolicies, PolicyOptions, Verdict};
use netsim::*;

mod common;

use common::random_policies::{random_options, random_world, PORTS, PROTOCOLS};
use common::simple_policy::Simple;
use netsim::rng::SplitMix64;

fn run(seed: u64, worlds: usize, nonsense: bool) -> usize {
    let mut r = SplitMix64::new(seed);
    let mut checked = 0;
    for case in 0..worlds {
        let w = random_world(&mut r, nonsense);
        let opts = random_options(&mut r);
        let np = w.engine(opts);
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
    let mut r = SplitMix64::new(7);
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
