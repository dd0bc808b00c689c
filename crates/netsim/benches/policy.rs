//! The NetworkPolicy reachability matrix: 50 namespaces / 2,000 pods / 1,000 policies,
//! 500 pods / 250 policies and 200 pods / 100 policies, from the deterministic generator `netsim::synthetic`.
use std::net::Ipv4Addr;

use criterion::{criterion_group, criterion_main, Criterion};
use netsim::policy::{Connection, Endpoint, NetworkPolicies, PolicyOptions};
use netsim::synthetic::policy_cluster;
use netsim::*;

fn bench(c: &mut Criterion) {
    let outside = [Ipv4Addr::new(8, 8, 8, 8), Ipv4Addr::new(169, 254, 169, 254)];
    for (label, pods, policies) in [("large", 2000, 1000), ("medium", 500, 250), ("small", 200, 100)] {
        let world = policy_cluster(pods, policies, 42);
        let np =
            NetworkPolicies::new(&world.namespaces, world.pods, world.policies, PolicyOptions::default());
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
