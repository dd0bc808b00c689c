//! Random scenarios and random requests, for the tests that throw them at the model and at
//! its readers.

use std::net::Ipv4Addr;

use netsim::*;

/// The model's seeded generator.
pub use netsim::rng::SplitMix64;

pub const NAMESPACES: [&str; 4] = ["default", "shop", "kube-system", ""];
pub const NAMES: [&str; 7] = ["web", "api", "db", "a", "kubernetes", "kube-dns", "x-y"];
pub const LABELS: [&str; 4] = ["app=web", "app=api", "app=db", ""];
pub const PORT_NAMES: [&str; 4] = ["http", "dns", "metrics", ""];

pub fn port(r: &mut SplitMix64) -> u16 {
    *r.pick(&[0, 1, 53, 80, 443, 8080, 9090, 30080, 32767, 65535])
}

pub fn protocol(r: &mut SplitMix64) -> Protocol {
    *r.pick(&[Protocol::Tcp, Protocol::Udp, Protocol::Sctp])
}

pub fn ip(r: &mut SplitMix64) -> Ipv4Addr {
    *r.pick(&[
        Ipv4Addr::new(10, 244, 0, 2),
        Ipv4Addr::new(10, 244, 1, 255),
        Ipv4Addr::new(10, 96, 0, 1),
        Ipv4Addr::new(10, 96, 0, 10),
        Ipv4Addr::new(0, 0, 0, 0),
        Ipv4Addr::new(255, 255, 255, 255),
        Ipv4Addr::new(192, 168, 49, 2),
        Ipv4Addr::new(203, 0, 113, 1),
        Ipv4Addr::new(192, 0, 2, 9),
    ])
}

pub fn cidr(r: &mut SplitMix64) -> Cidr {
    Cidr::new(ip(r), *r.pick(&[0, 8, 16, 24, 30, 31, 32]))
}

pub fn pod_spec(r: &mut SplitMix64) -> PodSpec {
    let mut spec = super::template(r.pick::<&str>(&LABELS), &[]);
    for _ in 0..r.below(3) {
        let name = r.pick(&PORT_NAMES).to_string();
        spec.containers[0].ports.push(ContainerPort {
            name: if name.is_empty() { None } else { Some(name) },
            container_port: port(r),
            protocol: protocol(r),
            host_port: if r.chance(10) { Some(port(r)) } else { None },
            source: None,
        });
    }
    spec.host_network = r.chance(10);
    spec.dns_policy = *r.pick(&[
        DnsPolicy::ClusterFirst,
        DnsPolicy::ClusterFirstWithHostNet,
        DnsPolicy::Default,
        DnsPolicy::None,
    ]);
    if r.chance(20) {
        spec.dns_config = Some(DnsConfig {
            nameservers: vec![ip(r)],
            searches: vec![r.pick(&["", ".", "svc.cluster.local", "a..b"]).to_string()],
            options: vec![("ndots".into(), Some(r.pick(&["0", "1", "99", "x", "-1"]).to_string()))],
        });
    }
    if r.chance(20) {
        spec.node_name = Some(r.pick(&["node-1", "node-2", "nope", ""]).to_string());
    }
    if r.chance(10) {
        spec.node_selector = super::labels(r.pick::<&str>(&["kubernetes.io/hostname=node-3", "gpu=yes"]));
    }
    if r.chance(20) {
        spec.hostname = Some(r.pick(&NAMES).to_string());
        spec.subdomain = Some(r.pick(&NAMES).to_string());
    }
    spec
}

pub fn random_scenario(r: &mut SplitMix64) -> (Scenario, Topology) {
    let mut s = Scenario::default();
    let mut t = Topology::default();
    if r.chance(10) {
        t.nodes.clear();
    }
    if r.chance(10) {
        t.service_cidr = cidr(r);
    }
    if r.chance(10) {
        t.pod_cidr = cidr(r);
    }
    if r.chance(10) {
        t.node_port_range = (port(r), port(r));
    }
    if r.chance(20) {
        t.load_balancer_pool = if r.chance(50) { None } else { Some(cidr(r)) };
    }
    if r.chance(5) {
        t.cluster_domain = r.pick(&["", ".", "a.b."]).to_string();
    }
    if r.chance(15) {
        for i in 0..r.below(3) {
            s.nodes.push(Node {
                name: format!("n{i}"),
                internal_ip: if r.chance(50) { Some(ip(r)) } else { None },
                pod_cidr: if r.chance(50) { Some(cidr(r)) } else { None },
                ..Node::default()
            });
        }
    }
    for _ in 0..r.below(4) {
        s.pods.push(Pod {
            name: r.pick(&NAMES).to_string(),
            namespace: r.pick(&NAMESPACES).to_string(),
            spec: pod_spec(r),
            ip: if r.chance(20) { Some(ip(r)) } else { None },
            host_ip: if r.chance(20) { Some(ip(r)) } else { None },
            ipv6_only: r.chance(5),
            ready: *r.pick(&[None, Some(true), Some(false)]),
            terminating: r.chance(20),
            phase: *r.pick(&[
                None,
                Some(PodPhase::Running),
                Some(PodPhase::Succeeded),
                Some(PodPhase::Failed),
            ]),
            source: None,
        });
    }
    for _ in 0..r.below(3) {
        let kind = *r.pick(&[
            WorkloadKind::Deployment,
            WorkloadKind::ReplicaSet,
            WorkloadKind::StatefulSet,
            WorkloadKind::DaemonSet,
            WorkloadKind::ReplicationController,
            WorkloadKind::Job,
            WorkloadKind::CronJob,
        ]);
        let job = matches!(kind, WorkloadKind::Job | WorkloadKind::CronJob).then(|| JobSpec {
            completions: *r.pick(&[None, Some(0), Some(1), Some(4)]),
            indexed: r.chance(30),
            suspend: r.chance(10),
            manual_selector: r.chance(10),
            uid: None,
            scheduled_minute: *r.pick(&[None, Some(0), Some(29_453_760), Some(u64::MAX)]),
        });
        s.workloads.push(Workload {
            kind,
            name: r.pick(&NAMES).to_string(),
            namespace: r.pick(&NAMESPACES).to_string(),
            replicas: *r.pick(&[0, 1, 3, 10]),
            selector: LabelSelector::default(),
            template: pod_spec(r),
            service_name: Some(r.pick(&NAMES).to_string()),
            job,
            source: None,
        });
    }
    for _ in 0..r.below(5) {
        let fixed = ClusterIpSpec::Fixed(ip(r));
        let mut svc = Service {
            name: r.pick(&NAMES).to_string(),
            namespace: r.pick(&NAMESPACES).to_string(),
            service_type: *r.pick(&[
                ServiceType::ClusterIp,
                ServiceType::NodePort,
                ServiceType::LoadBalancer,
                ServiceType::ExternalName,
            ]),
            selector: if r.chance(80) { Some(super::labels(r.pick::<&str>(&LABELS))) } else { None },
            cluster_ip: *r.pick(&[ClusterIpSpec::Auto, ClusterIpSpec::Headless, fixed]),
            external_name: if r.chance(70) {
                Some(r.pick(&["example.com", "web.default.svc.cluster.local", "", "."]).to_string())
            } else {
                None
            },
            session_affinity: *r
                .pick(&[SessionAffinity::None, SessionAffinity::ClientIp { timeout_seconds: 0 }]),
            external_traffic_policy: *r.pick(&[TrafficPolicy::Cluster, TrafficPolicy::Local]),
            internal_traffic_policy: *r.pick(&[TrafficPolicy::Cluster, TrafficPolicy::Local]),
            publish_not_ready_addresses: r.chance(20),
            load_balancer_ip: if r.chance(20) { Some(ip(r)) } else { None },
            ..Service::default()
        };
        if r.chance(30) {
            svc.load_balancer_source_ranges.push(cidr(r));
        }
        for _ in 0..r.below(3) {
            let name = r.pick(&PORT_NAMES).to_string();
            svc.ports.push(ServicePort {
                name: if name.is_empty() { None } else { Some(name) },
                protocol: protocol(r),
                port: port(r),
                target_port: if r.chance(50) {
                    PortRef::Number(port(r))
                } else {
                    PortRef::Name(r.pick(&PORT_NAMES).to_string())
                },
                node_port: if r.chance(40) { Some(port(r)) } else { None },
                app_protocol: None,
                source: None,
            });
        }
        s.services.push(svc);
    }
    // NetworkPolicies, well-formed or not (the send path must never panic on them).
    for i in 0..r.below(4) {
        let selector = |r: &mut SplitMix64| LabelSelector {
            match_labels: if r.chance(50) {
                [("app".to_string(), r.pick(&NAMES).to_string())].into_iter().collect()
            } else {
                Labels::new()
            },
            match_expressions: Vec::new(),
        };
        let rule = |r: &mut SplitMix64| PolicyRule {
            peers: (0..r.below(3))
                .map(|_| match r.below(3) {
                    0 => PolicyPeer::IpBlock { cidr: cidr(r), except: vec![cidr(r)] },
                    1 => PolicyPeer::Pods { pod_selector: Some(selector(r)), namespace_selector: None },
                    _ => PolicyPeer::Pods {
                        pod_selector: if r.chance(50) { Some(selector(r)) } else { None },
                        namespace_selector: if r.chance(70) { Some(selector(r)) } else { None },
                    },
                })
                .collect(),
            ports: (0..r.below(3))
                .map(|_| PolicyPort {
                    protocol: protocol(r),
                    port: match r.below(3) {
                        0 => None,
                        1 => Some(PortRef::Number(port(r))),
                        _ => Some(PortRef::Name(r.pick(&PORT_NAMES).to_string())),
                    },
                    end_port: if r.chance(20) { Some(port(r)) } else { None },
                })
                .collect(),
            source: None,
        };
        let mut policy_types = Vec::new();
        if r.chance(80) {
            policy_types.push(PolicyType::Ingress);
        }
        if r.chance(50) {
            policy_types.push(PolicyType::Egress);
        }
        let ingress = (0..r.below(3)).map(|_| rule(r)).collect();
        let egress = (0..r.below(3)).map(|_| rule(r)).collect();
        s.network_policies.push(NetworkPolicy {
            name: format!("np-{i}"),
            namespace: r.pick(&NAMESPACES).to_string(),
            pod_selector: selector(r),
            policy_types,
            ingress,
            egress,
            source: None,
        });
    }
    for _ in 0..r.below(2) {
        s.endpoint_slices.push(EndpointSlice {
            name: "manual".into(),
            namespace: r.pick(&NAMESPACES).to_string(),
            service_name: r.pick(&NAMES).to_string(),
            endpoints: vec![Endpoint {
                addresses: vec![ip(r), ip(r)],
                ready: r.chance(70),
                serving: r.chance(70),
                terminating: r.chance(30),
                node_name: None,
                target_pod: None,
                hostname: None,
            }],
            ports: vec![EndpointPort { name: None, port: port(r), protocol: protocol(r) }],
            source: None,
        });
    }
    (s, t)
}

pub fn random_request(r: &mut SplitMix64, c: &Cluster) -> Request {
    let from = match r.below(4) {
        0 => Client::Outside(ip(r)),
        1 => Client::Node(r.pick(&["node-1", "node-3", "n0", "zz"]).to_string()),
        _ => match c.pods.get(r.below(c.pods.len() as u64 + 1) as usize) {
            Some(p) => Client::pod(&p.namespace, &p.name),
            None => Client::pod("default", "missing"),
        },
    };
    let mut targets: Vec<String> = vec![
        "web".into(),
        "web.default".into(),
        "db".into(),
        "api.shop.svc.cluster.local.".into(),
        "example.com".into(),
        "http://kubernetes.default:443/x".into(),
        "".into(),
        ":".into(),
        "a..b".into(),
        "10-244-0-2.default.pod.cluster.local".into(),
        "_http._tcp.web".into(),
    ];
    targets.push(ip(r).to_string());
    if let Some(s) = c.services.get(r.below(c.services.len() as u64 + 1) as usize) {
        if let Some(ip) = s.cluster_ip.or(s.load_balancer_ip) {
            targets.push(ip.to_string());
        }
        if let (Some(n), Some(p)) = (c.nodes.first(), s.spec.ports.first().and_then(|p| p.node_port)) {
            targets.push(format!("{}:{p}", n.ip));
        }
    }
    let to = r.pick(&targets).clone();
    let mut req = Request::new(from, &to);
    req.port = if r.chance(50) { Some(port(r)) } else { None };
    req.protocol = protocol(r);
    req.seed = r.next_u64();
    req.pick = if r.chance(30) { Some(r.below(usize::MAX as u64) as usize) } else { None };
    req
}
