//! Build + one trace, on a small (50 objects) and a large (2,000 pods) scenario.
use std::net::Ipv4Addr;

use criterion::{criterion_group, criterion_main, Criterion};
use netsim::*;

fn labels(app: &str) -> Labels {
    [("app".to_string(), app.to_string())].into_iter().collect()
}

fn scenario(deployments: usize, replicas: u32, bare_pods: usize) -> Scenario {
    let mut s = Scenario::default();
    for i in 0..deployments {
        let app = format!("app-{i}");
        let ns = if i % 2 == 0 { "default" } else { "shop" };
        s.workloads.push(Workload {
            kind: WorkloadKind::Deployment,
            name: app.clone(),
            namespace: ns.into(),
            replicas,
            selector: LabelSelector::from_labels(&labels(&app)),
            template: PodSpec {
                labels: labels(&app),
                containers: vec![Container {
                    name: "app".into(),
                    ports: vec![ContainerPort {
                        name: Some("http".into()),
                        container_port: 8080,
                        protocol: Protocol::Tcp,
                        host_port: None,
                        source: None,
                    }],
                }],
                ..PodSpec::default()
            },
            service_name: None,
            source: None,
        });
        s.services.push(Service {
            name: app.clone(),
            namespace: ns.into(),
            selector: Some(labels(&app)),
            service_type: if i % 3 == 0 { ServiceType::NodePort } else { ServiceType::ClusterIp },
            ports: vec![ServicePort {
                name: Some("http".into()),
                protocol: Protocol::Tcp,
                port: 80,
                target_port: PortRef::Name("http".into()),
                node_port: None,
                app_protocol: None,
                source: None,
            }],
            ..Service::default()
        });
    }
    for i in 0..bare_pods {
        s.pods.push(Pod { name: format!("client-{i}"), namespace: "default".into(), ..Pod::default() });
    }
    s
}

fn topology(nodes: u8) -> Topology {
    Topology {
        nodes: (1..=nodes)
            .map(|i| NodeSlot {
                name: format!("node-{i}"),
                ip: Ipv4Addr::new(192, 168, 49, 1 + i),
                zone: None,
            })
            .collect(),
        ..Topology::default()
    }
}

fn bench(c: &mut Criterion) {
    // 50 objects: 15 Deployments (30 pods) + 15 Services + 5 bare pods.
    let small = scenario(15, 2, 5);
    let small_topology = topology(3);
    c.bench_function("build_50_objects", |b| b.iter(|| Cluster::build(&small, &small_topology)));
    let cluster = Cluster::build(&small, &small_topology);
    let request = Request::new(Client::pod("default", "client-0"), "app-1.shop");
    c.bench_function("trace_50_objects", |b| b.iter(|| cluster.send(&request)));

    // 2,000 pods: 20 Deployments of 100 over 20 nodes.
    let large = scenario(20, 100, 0);
    let large_topology = topology(20);
    c.bench_function("build_2000_pods", |b| b.iter(|| Cluster::build(&large, &large_topology)));
    let cluster = Cluster::build(&large, &large_topology);
    assert!(cluster.pods.len() >= 2000);
    let client = cluster
        .pods
        .iter()
        .find(|p| p.namespace == "default" && !p.built_in)
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let request = Request::new(Client::pod("default", &client), "app-1.shop");
    c.bench_function("trace_2000_pods", |b| b.iter(|| cluster.send(&request)));
}

criterion_group!(benches, bench);
criterion_main!(benches);
