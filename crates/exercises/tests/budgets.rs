//! The time budgets of `budgets.toml` (at the workspace root): grading the slowest exercise,
//! and the reachability matrix of the large benchmark cluster. Optimized builds only
//! (`cargo xtask test` runs `cargo test --profile bench -p exercises --test budgets`); each
//! figure is the best of several runs, so a busy machine does not fail it by chance.
#![allow(clippy::disallowed_methods)] // Not in the wasm: the standard sort is fine (clippy.toml).

mod common;

use std::path::Path;
use std::time::Instant;

use common::curriculum;
use exercises::{grade, solution_files};

fn budget(key: &str) -> f64 {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../budgets.toml");
    let text = std::fs::read_to_string(&path).expect("budgets.toml");
    text.lines()
        .filter_map(|l| l.split('#').next())
        .filter_map(|l| l.split_once('='))
        .find(|(k, _)| k.trim() == key)
        .and_then(|(_, v)| v.trim().replace('_', "").parse().ok())
        .unwrap_or_else(|| panic!("budgets.toml has no number for {key}"))
}

/// The best of `runs` timings of `f`, in milliseconds.
fn best_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .fold(f64::INFINITY, f64::min)
}

fn within(what: &str, ms: f64, key: &str) {
    let limit = budget(key);
    println!("{what}: {ms:.3} ms (budget {limit} ms, {key})");
    assert!(
        ms <= limit,
        "over budget: {what} took {ms:.3} ms; the budget is {limit} ms ({key} in budgets.toml)"
    );
}

#[test]
#[cfg_attr(debug_assertions, ignore = "time budgets hold for optimized builds: cargo xtask test runs them")]
fn grading_the_slowest_exercise() {
    let all = curriculum();
    assert!(all.len() > 50, "the curriculum loads");
    let (name, ms) = all
        .iter()
        .map(|(name, ex)| {
            let files = solution_files(ex);
            (name.clone(), best_ms(20, || drop(grade(ex, &files))))
        })
        .fold((String::new(), 0.0), |a, b| if b.1 > a.1 { b } else { a });
    within(&format!("grading {name}"), ms, "grade_slowest_exercise_ms");
}

#[test]
#[cfg_attr(debug_assertions, ignore = "time budgets hold for optimized builds: cargo xtask test runs them")]
fn reachability_matrix_of_the_large_cluster() {
    use netsim::policy::{NetworkPolicies, PolicyOptions};
    let world = netsim::synthetic::policy_cluster(2000, 1000, 42);
    let np = NetworkPolicies::new(&world.namespaces, world.pods, world.policies, PolicyOptions::default());
    let outside = [std::net::Ipv4Addr::new(8, 8, 8, 8), std::net::Ipv4Addr::new(169, 254, 169, 254)];
    let ms = best_ms(10, || drop(np.reachability(8080, netsim::Protocol::Tcp, &outside)));
    within("reachability matrix, 2,000 pods / 1,000 policies", ms, "matrix_2000_pods_ms");
}
