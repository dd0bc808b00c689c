//! The whole pipeline a keystroke triggers: load + validate (manifest), build (netsim) and
//! one trace, on a 50-object scenario and on a 2,000-pod scenario.

use criterion::{criterion_group, criterion_main, Criterion};
use manifest::SourceFile;
use netsim::{Client, Cluster, Request, Topology};

/// `apps` Deployments of `replicas` pods each, one Service per Deployment, and a client pod.
fn scenario(apps: usize, replicas: usize) -> Vec<SourceFile> {
    let mut text = String::new();
    for i in 0..apps {
        let ns = format!("team-{}", i % 10);
        text.push_str(&format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\n  namespace: {ns}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels: {{app: app-{i}}}\n  template:\n    metadata:\n      labels: {{app: app-{i}, tier: backend}}\n    spec:\n      containers:\n      - name: main\n        image: example/app:1\n        ports:\n        - {{name: http, containerPort: 8080}}\n        - {{name: metrics, containerPort: 9090}}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: app-{i}\n  namespace: {ns}\nspec:\n  type: {}\n  selector: {{app: app-{i}}}\n  ports:\n  - {{name: http, port: 80, targetPort: http}}\n  - {{name: metrics, port: 9090, targetPort: metrics}}\n---\n",
            if i % 3 == 0 { "NodePort" } else { "ClusterIP" }
        ));
    }
    text.push_str("apiVersion: v1\nkind: Pod\nmetadata:\n  name: client\n  namespace: team-0\nspec:\n  containers:\n  - name: c\n    image: busybox\n");
    vec![SourceFile { name: "bench.yaml".into(), text }]
}

fn pipeline(files: &[SourceFile]) -> usize {
    let topology = Topology::default();
    let loaded = manifest::load(files, &topology);
    let cluster = Cluster::build(&loaded.scenario, &topology);
    let trace = cluster.send(&Request::new(Client::pod("team-0", "client"), "http://app-1.team-1:80"));
    loaded.diagnostics.len() + trace.hops.len()
}

fn bench(c: &mut Criterion) {
    // 25 Deployments + 25 Services (+ 1 pod) = 51 objects, 50 pods.
    let small = scenario(25, 2);
    // 100 Deployments of 20 replicas = 2,000 pods, 100 Services.
    let large = scenario(100, 20);
    c.bench_function("pipeline_50_objects", |b| b.iter(|| pipeline(&small)));
    c.bench_function("pipeline_2000_pods", |b| b.iter(|| pipeline(&large)));
}

criterion_group!(benches, bench);
criterion_main!(benches);
