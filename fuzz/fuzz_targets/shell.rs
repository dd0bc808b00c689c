//! (e) The terminal: `kubectl::run`, `kubectl::completions` and `kubectl::suggestions`
//! over a fixed small cluster (fuzz/shell-cluster.yaml: every Service type, a headless Service, workloads, an Ingress
//! and a NetworkPolicy). Each input line is one command; never panics.
//! Seeds: fuzz/corpus/shell/ (one command per file).
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use netsim::Cluster;

static CLUSTER: LazyLock<Cluster> = LazyLock::new(|| {
    let files = [manifest::SourceFile {
        name: "cluster.yaml".into(),
        text: include_str!("../shell-cluster.yaml").into(),
    }];
    let topology = netsim::Topology::default();
    let loaded = manifest::load(&files, &topology);
    assert!(!loaded.has_errors(), "fuzz/shell-cluster.yaml has errors: {:?}", loaded.diagnostics);
    Cluster::build(&loaded.scenario, &topology)
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // One session for the whole input: a `kubectl config set-context` line changes the
    // namespace of the lines after it.
    let mut session = kubectl::Session::default();
    for line in text.lines().take(8) {
        let _ = kubectl::run(&CLUSTER, &mut session, line);
        let _ = kubectl::completions(&CLUSTER, &session, line);
    }
    let _ = kubectl::suggestions(&CLUSTER, &session, text.lines().next());
});
