//! The full connectivity report (`netsim::connlist`) on the synthetic clusters of
//! `netsim::synthetic` (seed 42): 200, 500, 1,000 and 2,000 pods with 100, 250, 500 and
//! 1,000 policies. Each iteration precomputes the selections and streams every row, counting
//! the entries (no text is rendered: `switchboard connlist` adds that, measured with
//! `switchboard gen-cluster` and `/usr/bin/time -v`, see the README). Also the precomputation
//! alone (`NetworkPolicies::connectivity`), and one pod's row and column on a precomputed
//! report (`pod_connections`, what the web app asks).
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use netsim::policy::{NetworkPolicies, PolicyOptions};
use netsim::synthetic::policy_cluster;

const SIZES: [(usize, usize); 4] = [(200, 100), (500, 250), (1000, 500), (2000, 1000)];

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("connlist");
    group.sample_size(10).measurement_time(Duration::from_secs(5));
    for (pods, policies) in SIZES {
        let world = policy_cluster(pods, policies, 42);
        let np =
            NetworkPolicies::new(&world.namespaces, world.pods, world.policies, PolicyOptions::default());
        let report = || {
            let conn = np.connectivity();
            let mut entries = 0usize;
            conn.for_each_row(false, |row| entries += row.allowed.len());
            (conn.outside().len(), entries)
        };
        let (ranges, entries) = report();
        eprintln!("{pods} pods, {policies} policies: {ranges} outside ranges, {entries} entries");
        group.bench_function(format!("report {pods} pods {policies} policies"), |b| b.iter(report));
        group.bench_function(format!("precompute {pods} pods {policies} policies"), |b| {
            b.iter(|| np.connectivity().outside().len())
        });
        let conn = np.connectivity();
        group.bench_function(format!("pod_connections {pods} pods {policies} policies"), |b| {
            b.iter(|| conn.pod_connections(pods / 2))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
