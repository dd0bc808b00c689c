//! Cluster::build: objects, names, addresses and endpoints.
#![allow(clippy::disallowed_methods)] // Not in the wasm: the standard sort is fine (clippy.toml).
mod common;

use std::net::Ipv4Addr;

use common::*;
use netsim::*;

fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

// https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service
// https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/
#[test]
fn built_in_objects_exist() {
    let c = scenario().build();
    let k = c.service("default", "kubernetes").unwrap();
    assert_eq!(k.cluster_ip, Some(ip("10.96.0.1")));
    assert_eq!(k.ports[0].endpoints[0].ip, ip("192.168.49.2"));
    assert_eq!(k.ports[0].endpoints[0].port, 6443);
    let dns = c.service("kube-system", "kube-dns").unwrap();
    assert_eq!(dns.cluster_ip, Some(ip("10.96.0.10")));
    assert_eq!(dns.spec.ports.len(), 3);
    for pe in &dns.ports {
        assert_eq!(pe.routable().len(), 2, "both CoreDNS pods back {:?}", pe.name);
    }
    let coredns: Vec<_> = c.pods.iter().filter(|p| p.name.starts_with("coredns-")).collect();
    assert_eq!(coredns.len(), 2);
    assert!(coredns.iter().all(|p| p.spec.labels.get("k8s-app").map(String::as_str) == Some("kube-dns")));
    assert_eq!(workload_of(&coredns[0].name), "coredns");
}

// https://kubernetes.io/docs/reference/labels-annotations-taints/#kubernetes-io-metadata-name
#[test]
fn namespaces_always_exist_and_carry_their_name_label() {
    let c = scenario().pod("shop", "a", "", &[]).namespace("team", "env=prod").build();
    let names: Vec<&str> = c.namespaces.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(
        names,
        ["default", "ingress-nginx", "kube-node-lease", "kube-public", "kube-system", "shop", "team"]
    );
    for n in &c.namespaces {
        assert_eq!(n.labels.get("kubernetes.io/metadata.name"), Some(&n.name));
    }
    assert_eq!(c.namespace("team").unwrap().labels.get("env").map(String::as_str), Some("prod"));
}

#[test]
fn workload_pod_names_look_real() {
    let c = scenario()
        .deployment("default", "web", 2, "app=web", &[])
        .workload(WorkloadKind::ReplicaSet, "default", "rs", 1, "app=rs", &[])
        .statefulset("default", "db", 3, "db", "app=db", &[])
        .workload(WorkloadKind::DaemonSet, "default", "agent", 1, "app=agent", &[])
        .build();
    let names: Vec<&str> =
        c.pods.iter().filter(|p| p.namespace == "default").map(|p| p.name.as_str()).collect();
    let web: Vec<&&str> = names.iter().filter(|n| n.starts_with("web-")).collect();
    assert_eq!(web.len(), 2);
    for n in &web {
        let parts: Vec<&str> = n.split('-').collect();
        assert_eq!((parts.len(), parts[1].len(), parts[2].len()), (3, 10, 5), "{n}");
    }
    assert_eq!(web[0].split('-').nth(1), web[1].split('-').nth(1), "the ReplicaSet hash is shared");
    assert!(names.iter().any(|n| n.starts_with("rs-") && n.len() == 8));
    assert!(names.contains(&"db-0") && names.contains(&"db-1") && names.contains(&"db-2"));
    assert_eq!(names.iter().filter(|n| n.starts_with("agent-")).count(), 3, "one DaemonSet pod per node");
    let agents: Vec<_> =
        c.pods.iter().filter(|p| p.name.starts_with("agent-")).filter_map(|p| p.node.clone()).collect();
    assert_eq!(agents.len(), 3);
    let db0 = c.pod("default", "db-0").unwrap();
    assert_eq!(db0.spec.hostname.as_deref(), Some("db-0"));
    assert_eq!(db0.spec.subdomain.as_deref(), Some("db"));
}

#[test]
fn build_is_deterministic() {
    let s = shop();
    assert_eq!(s.build(), s.build());
}

#[test]
fn pods_spread_round_robin_and_get_ips_from_their_node() {
    let c = scenario().deployment("default", "web", 6, "app=web", &[]).build();
    let mut per_node = std::collections::BTreeMap::new();
    for p in c.pods.iter().filter(|p| p.name.starts_with("web-")) {
        let node = c.node(p.node.as_deref().unwrap()).unwrap();
        assert!(node.pod_cidr.contains(p.ip.unwrap()), "{} {:?} in {}", p.name, p.ip, node.pod_cidr);
        *per_node.entry(node.name.clone()).or_insert(0) += 1;
    }
    assert_eq!(per_node.values().copied().collect::<Vec<_>>(), [2, 2, 2]);
}

// Table: how a pod lands and what address it gets.
#[test]
fn pod_placement_table() {
    struct Case {
        name: &'static str,
        scenario: S,
        pod: &'static str,
        node: Option<&'static str>,
        ip: Option<&'static str>,
    }
    let cases = [
        Case {
            name: "nodeName honoured",
            scenario: scenario().pod_on("node-3", "default", "p", "", &[]),
            pod: "p",
            node: Some("node-3"),
            ip: None,
        },
        Case {
            name: "unknown nodeName stays Pending",
            scenario: scenario().pod_on("node-9", "default", "p", "", &[]),
            pod: "p",
            node: None,
            ip: None,
        },
        Case {
            name: "hostNetwork takes the node IP",
            scenario: scenario()
                .pod_on("node-2", "default", "p", "", &[])
                .with_pod(|p| p.spec.host_network = true),
            pod: "p",
            node: Some("node-2"),
            ip: Some("192.168.49.3"),
        },
        Case {
            name: "status.podIP honoured and places the pod",
            scenario: scenario()
                .pod("default", "p", "", &[])
                .with_pod(|p| p.ip = Some("10.244.2.77".parse().unwrap())),
            pod: "p",
            node: Some("node-3"),
            ip: Some("10.244.2.77"),
        },
        Case {
            name: "nodeSelector by hostname",
            scenario: scenario().pod("default", "p", "", &[]).with_pod(|p| {
                p.spec.node_selector = labels("kubernetes.io/hostname=node-2");
            }),
            pod: "p",
            node: Some("node-2"),
            ip: None,
        },
        Case {
            name: "nodeSelector matching nothing stays Pending",
            scenario: scenario()
                .pod("default", "p", "", &[])
                .with_pod(|p| p.spec.node_selector = labels("gpu=true")),
            pod: "p",
            node: None,
            ip: None,
        },
        Case {
            name: "scenario nodes replace the topology",
            scenario: {
                let mut s = scenario().pod("default", "p", "", &[]);
                s.scenario.nodes.push(Node {
                    name: "worker".into(),
                    internal_ip: Some("10.0.0.5".parse().unwrap()),
                    pod_cidr: Some(Cidr::parse("10.200.7.0/24").unwrap()),
                    ..Node::default()
                });
                s
            },
            pod: "p",
            node: Some("worker"),
            ip: None,
        },
    ];
    for case in cases {
        let c = case.scenario.build();
        let p = c.pod("default", case.pod).unwrap_or_else(|| panic!("{}: no pod", case.name));
        assert_eq!(p.node.as_deref(), case.node, "{}", case.name);
        if let Some(want) = case.ip {
            assert_eq!(p.ip, Some(ip(want)), "{}", case.name);
        }
        if case.node.is_none() {
            assert_eq!(p.ip, None, "{}: a Pending pod has no IP", case.name);
            assert!(!c.notes.is_empty(), "{}: a note explains why", case.name);
        }
    }
}

#[test]
fn scenario_node_ip_and_cidr_are_used() {
    let mut s = scenario().pod("default", "p", "", &[]);
    s.scenario.nodes.push(Node {
        name: "worker".into(),
        internal_ip: Some(ip("10.0.0.5")),
        pod_cidr: Some(Cidr::parse("10.200.7.0/24").unwrap()),
        ..Node::default()
    });
    let c = s.build();
    assert_eq!(c.nodes.len(), 1);
    assert_eq!(c.nodes[0].ip, ip("10.0.0.5"));
    assert!(Cidr::parse("10.200.7.0/24").unwrap().contains(c.pod("default", "p").unwrap().ip.unwrap()));
}

// https://kubernetes.io/docs/concepts/services-networking/cluster-ip-allocation/
#[test]
fn cluster_ip_allocation_table() {
    let c = scenario()
        .svc("default", "a", "app=a", &["80"])
        .svc("default", "fixed", "app=a", &["80"])
        .with_svc(|s| s.cluster_ip = ClusterIpSpec::Fixed(ip("10.96.5.5")))
        .svc("default", "outside", "app=a", &["80"])
        .with_svc(|s| s.cluster_ip = ClusterIpSpec::Fixed(ip("172.16.0.1")))
        .svc("default", "clash", "app=a", &["80"])
        .with_svc(|s| s.cluster_ip = ClusterIpSpec::Fixed(ip("10.96.5.5")))
        .svc("default", "headless", "app=a", &["80"])
        .with_svc(|s| s.cluster_ip = ClusterIpSpec::Headless)
        .svc("default", "ext", "", &[])
        .with_svc(|s| {
            s.service_type = ServiceType::ExternalName;
            s.external_name = Some("example.com".into());
        })
        .build();
    let cidr = c.topology.service_cidr;
    let get = |n: &str| c.service("default", n).unwrap().cluster_ip;
    assert_eq!(get("fixed"), Some(ip("10.96.5.5")));
    assert!(cidr.contains(get("a").unwrap()));
    assert!(cidr.contains(get("outside").unwrap()) && get("outside") != Some(ip("172.16.0.1")));
    assert!(get("clash").is_some() && get("clash") != Some(ip("10.96.5.5")));
    assert_eq!(get("headless"), None);
    assert_eq!(get("ext"), None);
    let codes: Vec<&str> = c.notes.iter().map(|n| n.code).collect();
    assert!(codes.contains(&"cluster-ip-out-of-range") && codes.contains(&"cluster-ip-taken"), "{codes:?}");
    let mut all: Vec<Ipv4Addr> = c.services.iter().filter_map(|s| s.cluster_ip).collect();
    let n = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), n, "ClusterIPs are unique");
    assert!(!all.contains(&ip("10.96.0.0")));
}

#[test]
fn adding_a_service_does_not_move_others() {
    let before = scenario().svc("default", "a", "app=a", &["80"]).build();
    let after =
        scenario().svc("default", "a", "app=a", &["80"]).svc("default", "b", "app=b", &["80"]).build();
    assert_eq!(
        before.service("default", "a").unwrap().cluster_ip,
        after.service("default", "a").unwrap().cluster_ip
    );
}

// https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport
#[test]
fn node_port_table() {
    type Case = (&'static str, Option<u16>, fn(u16) -> bool);
    let cases: [Case; 4] = [
        ("allocated in range", None, |p| (30000..=32767).contains(&p)),
        ("explicit honoured", Some(30080), |p| p == 30080),
        ("below range reallocated", Some(8080), |p| (30000..=32767).contains(&p) && p != 8080),
        ("above range reallocated", Some(40000), |p| (30000..=32767).contains(&p)),
    ];
    for (name, given, ok) in cases {
        let c = scenario()
            .svc("default", "np", "app=a", &["80"])
            .svc_type(ServiceType::NodePort)
            .with_svc(|s| s.ports[0].node_port = given)
            .build();
        let np = c.service("default", "np").unwrap().spec.ports[0].node_port.unwrap();
        assert!(ok(np), "{name}: {np}");
    }
    let c = scenario()
        .svc("default", "a", "app=a", &["80"])
        .svc_type(ServiceType::NodePort)
        .with_svc(|s| s.ports[0].node_port = Some(30080))
        .svc("default", "b", "app=a", &["80"])
        .svc_type(ServiceType::NodePort)
        .with_svc(|s| s.ports[0].node_port = Some(30080))
        .svc("default", "c", "app=a", &["80"])
        .build();
    assert_ne!(
        c.service("default", "b").unwrap().spec.ports[0].node_port,
        Some(30080),
        "a taken nodePort is not shared"
    );
    assert_eq!(
        c.service("default", "c").unwrap().spec.ports[0].node_port,
        None,
        "ClusterIP Services have no nodePort"
    );
}

// https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer
#[test]
fn load_balancer_addresses() {
    let s = scenario()
        .svc("default", "lb", "app=a", &["80"])
        .svc_type(ServiceType::LoadBalancer)
        .svc("default", "lb2", "app=a", &["80"])
        .svc_type(ServiceType::LoadBalancer)
        .with_svc(|s| s.load_balancer_ip = Some("203.0.113.50".parse().unwrap()));
    let c = s.build();
    assert_eq!(c.service("default", "lb").unwrap().load_balancer_ip, Some(ip("203.0.113.1")));
    assert_eq!(c.service("default", "lb2").unwrap().load_balancer_ip, Some(ip("203.0.113.50")));
    assert!(
        c.service("default", "lb").unwrap().spec.ports[0].node_port.is_some(),
        "a LoadBalancer is also a NodePort"
    );
    let pending = s.topology(|t| t.load_balancer_pool = None).build();
    assert_eq!(pending.service("default", "lb").unwrap().load_balancer_ip, None);
    assert!(pending
        .notes
        .iter()
        .any(|n| n.code == "load-balancer-pending" && n.message.contains("no cloud provider")));
}

// https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/
// https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports
#[test]
fn endpoints_table() {
    struct Case {
        name: &'static str,
        s: S,
        /// (ready endpoints, all endpoints) for port 0
        want: (usize, usize),
        ports: &'static [u16],
    }
    let web = || scenario().deployment("default", "web", 2, "app=web", &["http:8080"]);
    let cases = [
        Case {
            name: "selector matches",
            s: web().svc("default", "s", "app=web", &["80->8080"]),
            want: (2, 2),
            ports: &[8080],
        },
        Case {
            name: "selector typo",
            s: web().svc("default", "s", "app=wbe", &["80->8080"]),
            want: (0, 0),
            ports: &[],
        },
        Case {
            name: "other namespace never selected",
            s: web().svc("other", "s", "app=web", &["80->8080"]),
            want: (0, 0),
            ports: &[],
        },
        Case {
            name: "named targetPort resolves",
            s: web().svc("default", "s", "app=web", &["80->http"]),
            want: (2, 2),
            ports: &[8080],
        },
        Case {
            name: "named targetPort missing",
            s: web().svc("default", "s", "app=web", &["80->metrics"]),
            want: (0, 0),
            ports: &[],
        },
        Case {
            name: "named targetPort resolved per pod",
            s: web().pod("default", "other", "app=web", &["http:9000"]).svc(
                "default",
                "s",
                "app=web",
                &["80->http"],
            ),
            want: (3, 3),
            ports: &[8080, 9000],
        },
        Case {
            name: "named port needs the protocol too",
            s: web().svc("default", "s", "app=web", &["80->http/UDP"]),
            want: (0, 0),
            ports: &[],
        },
        Case {
            name: "not-ready pod listed but not ready",
            s: web()
                .pod("default", "slow", "app=web", &["http:8080"])
                .with_pod(|p| p.ready = Some(false))
                .svc("default", "s", "app=web", &["80->8080"]),
            want: (2, 3),
            ports: &[8080],
        },
        Case {
            name: "publishNotReadyAddresses",
            s: web()
                .pod("default", "slow", "app=web", &["http:8080"])
                .with_pod(|p| p.ready = Some(false))
                .svc("default", "s", "app=web", &["80->8080"])
                .with_svc(|s| s.publish_not_ready_addresses = true),
            want: (3, 3),
            ports: &[8080],
        },
        Case {
            name: "selector subset of labels",
            s: scenario().pod("default", "p", "app=web,tier=fe", &["80"]).svc(
                "default",
                "s",
                "app=web",
                &["80"],
            ),
            want: (1, 1),
            ports: &[80],
        },
        Case {
            name: "selector needs every label",
            s: scenario().pod("default", "p", "app=web", &["80"]).svc(
                "default",
                "s",
                "app=web,tier=fe",
                &["80"],
            ),
            want: (0, 0),
            ports: &[],
        },
        Case {
            name: "selector-less with manual slice",
            s: scenario().svc("default", "s", "", &["http 80->80"]).slice(
                "default",
                "s",
                &["192.0.2.10", "192.0.2.11"],
                &[("http", 5432)],
            ),
            want: (2, 2),
            ports: &[5432],
        },
        Case {
            name: "manual slice port name must match",
            s: scenario().svc("default", "s", "", &["http 80->80"]).slice(
                "default",
                "s",
                &["192.0.2.10"],
                &[("db", 5432)],
            ),
            want: (0, 0),
            ports: &[],
        },
        Case {
            name: "selector-less without slices",
            s: scenario().svc("default", "s", "", &["80"]),
            want: (0, 0),
            ports: &[],
        },
        Case {
            name: "Pending pods are not endpoints",
            s: scenario().pod_on("node-9", "default", "p", "app=web", &["80"]).svc(
                "default",
                "s",
                "app=web",
                &["80"],
            ),
            want: (0, 0),
            ports: &[],
        },
    ];
    for case in cases {
        let c = case.s.build();
        let svc = c.service("default", "s").or_else(|| c.service("other", "s")).unwrap();
        let pe = &svc.ports[0];
        assert_eq!((pe.routable().len(), pe.endpoints.len()), case.want, "{}", case.name);
        let mut ports: Vec<u16> = pe.endpoints.iter().map(|e| e.port).collect();
        ports.sort();
        ports.dedup();
        assert_eq!(ports, case.ports, "{}", case.name);
    }
}

#[test]
fn selector_matching_nothing_is_noted() {
    let c = scenario().svc("default", "s", "app=front-end", &["80"]).build();
    assert!(c
        .notes
        .iter()
        .any(|n| n.code == "selector-matches-nothing" && n.message.contains("app=front-end")));
}

#[test]
fn endpoints_accessor_by_service_port() {
    let c = shop().build();
    let pe = c.endpoints("default", "web", 80, Protocol::Tcp).unwrap();
    assert_eq!(pe.routable().len(), 3);
    assert!(c.endpoints("default", "web", 81, Protocol::Tcp).is_none());
    assert!(c.endpoints("default", "web", 80, Protocol::Udp).is_none());
}

#[test]
fn statefulset_endpoints_carry_hostnames_for_their_headless_service() {
    let c = scenario()
        .statefulset("default", "db", 2, "db", "app=db", &["5432"])
        .svc("default", "db", "app=db", &["5432"])
        .with_svc(|s| s.cluster_ip = ClusterIpSpec::Headless)
        .svc("default", "db-read", "app=db", &["5432"])
        .build();
    let hosts: Vec<_> =
        c.service("default", "db").unwrap().addresses.iter().map(|a| a.hostname.clone()).collect();
    assert_eq!(hosts, [Some("db-0".to_string()), Some("db-1".to_string())]);
    assert!(c.service("default", "db-read").unwrap().addresses.iter().all(|a| a.hostname.is_none()));
}

#[test]
fn duplicates_are_noted_not_fatal() {
    let c = scenario()
        .pod("default", "p", "", &[])
        .pod("default", "p", "", &[])
        .svc("default", "kubernetes", "", &["80"])
        .build();
    assert_eq!(c.pods.iter().filter(|p| p.name == "p").count(), 1);
    assert_eq!(c.service("default", "kubernetes").unwrap().cluster_ip, Some(ip("10.96.0.1")));
    assert!(c.notes.iter().any(|n| n.code == "duplicate-pod"));
    assert!(c.notes.iter().any(|n| n.code == "duplicate-service"));
}

/// A pod by name, else the first replica (in name order) of the workload of that name, in
/// that namespace only.
#[test]
fn pod_or_replica_finds_a_pod_or_a_workloads_first_replica() {
    let c = shop().build();
    assert_eq!(c.pod_or_replica("default", "client").map(|p| p.name.as_str()), Some("client"));
    let first_web = c.pods.iter().find(|p| p.namespace == "default" && workload_of(&p.name) == "web");
    let replica = c.pod_or_replica("default", "web").expect("a replica of web");
    assert_eq!(Some(replica.name.as_str()), first_web.map(|p| p.name.as_str()));
    assert_eq!(replica.owner.as_ref().map(|o| o.name.as_str()), Some("web"));
    assert!(c.pod_or_replica("backend", "web").is_none(), "another namespace's workload");
    assert!(c.pod_or_replica("default", "nope").is_none());
}

/// The cluster with one more pod: in name order, under the NetworkPolicies that select it,
/// the cluster it came from unchanged.
// https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic
#[test]
fn with_pod_adds_a_pod_under_network_policy() {
    let mut s = shop();
    s.scenario.network_policies.push(NetworkPolicy {
        name: "deny-tmp".into(),
        namespace: "default".into(),
        pod_selector: LabelSelector { match_labels: labels("run=tmp"), match_expressions: Vec::new() },
        policy_types: vec![PolicyType::Ingress],
        ingress: Vec::new(),
        egress: Vec::new(),
        source: None,
    });
    let c = s.build();
    let template = c.pod("default", "client").unwrap();
    let node = template.node.clone();
    let pod = ClusterPod {
        name: "aaa-tmp".into(),
        namespace: "default".into(),
        spec: PodSpec { labels: labels("run=tmp"), ..template.spec.clone() },
        node,
        ip: Some(ip("10.244.0.200")),
        ready: true,
        terminating: false,
        phase: None,
        owner: None,
        source: None,
        built_in: false,
    };
    let more = c.with_pod(pod);
    assert!(c.pod("default", "aaa-tmp").is_none(), "the cluster it came from is unchanged");
    assert_eq!(more.pods.len(), c.pods.len() + 1);
    assert!(more.pods.windows(2).all(|w| (&w[0].namespace, &w[0].name) < (&w[1].namespace, &w[1].name)));
    let to_tmp = more.send(&Request::new(Client::pod("default", "client"), "10.244.0.200:80"));
    assert!(!to_tmp.outcome.is_success(), "deny-tmp selects the new pod: {to_tmp}");
    assert!(to_tmp.to_string().contains("deny-tmp"), "{to_tmp}");
}

/// From outside the cluster a public resolver answers, and it knows no cluster names; from a
/// node, the node's own resolver.
// https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/
#[test]
fn resolve_outside_uses_a_public_or_the_nodes_resolver() {
    let c = shop().build();
    let outside = c.resolve_outside("web.default.svc.cluster.local", QueryType::A, None);
    assert_eq!(outside.rcode, Rcode::NxDomain);
    assert!(matches!(outside.resolver, Resolver::Upstream(_)), "{:?}", outside.resolver);
    let node = c.resolve_outside("web.default.svc.cluster.local", QueryType::A, Some("node-1"));
    assert!(matches!(node.resolver, Resolver::Node(_)), "{:?}", node.resolver);
}

/// Pods that are shutting down or have finished, as endpoints. Sources (kubernetes/kubernetes):
/// pkg/controller/util/endpoint `ShouldPodBeInEndpoints` (a Succeeded or Failed pod is never an
/// endpoint); pkg/controller/endpointslice `podToEndpoint` (serving = the pod is ready,
/// terminating = `deletionTimestamp` is set, ready = publishNotReadyAddresses || (serving &&
/// !terminating)); pkg/proxy/topology.go `CategorizeEndpoints` (the ready endpoints, else the
/// serving and terminating ones, for the Cluster and the Local policy each on its own).
#[test]
fn terminating_and_finished_pods_as_endpoints() {
    let service = |s: S| s.svc("default", "s", "app=web", &["80"]).build();
    let used = |c: &Cluster, node: Option<&str>| -> Vec<String> {
        let pe = &c.service("default", "s").unwrap().ports[0];
        pe.usable(node).iter().map(|e| e.pod.clone().unwrap_or_default()).collect()
    };
    for phase in [PodPhase::Succeeded, PodPhase::Failed] {
        let c =
            service(scenario().pod("default", "p", "app=web", &["80"]).with_pod(|p| p.phase = Some(phase)));
        assert!(c.service("default", "s").unwrap().ports[0].endpoints.is_empty(), "{phase:?} is no endpoint");
    }
    let c = service(
        scenario().pod("default", "p", "app=web", &["80"]).with_pod(|p| p.phase = Some(PodPhase::Running)),
    );
    assert_eq!(used(&c, None), ["default/p"], "a Running pod is one");

    // Beside a ready pod, a terminating one is listed (not ready, serving, terminating) but unused.
    let both = || {
        scenario()
            .pod_on("node-1", "default", "new", "app=web", &["80"])
            .pod_on("node-2", "default", "old", "app=web", &["80"])
            .with_pod(|p| p.terminating = true)
    };
    let c = service(both());
    let pe = &c.service("default", "s").unwrap().ports[0];
    let old = pe.endpoints.iter().find(|e| e.pod.as_deref() == Some("default/old")).unwrap();
    assert_eq!((old.ready, old.serving, old.terminating), (false, true, true));
    assert_eq!(used(&c, None), ["default/new"]);
    // The Local policy on node-2 has no ready endpoint there: it falls back to the terminating one.
    assert_eq!(used(&c, Some("node-2")), ["default/old"]);
    assert_eq!(used(&c, Some("node-1")), ["default/new"]);
    assert!(used(&c, Some("node-3")).is_empty());

    // Alone, a terminating pod that is still ready keeps receiving connections.
    let alone = || scenario().pod("default", "old", "app=web", &["80"]).with_pod(|p| p.terminating = true);
    let c = service(alone());
    assert_eq!(used(&c, None), ["default/old"]);
    let ip = c.service("default", "s").unwrap().cluster_ip.unwrap();
    let trace = c.send(&Request::new(Client::Node("node-1".into()), &format!("{ip}:80")));
    assert!(matches!(trace.outcome, Outcome::Delivered { .. }), "{trace}");
    assert!(trace.to_string().contains("still serving while their pods terminate"), "{trace}");
    // Not ready and terminating: not serving, so never used.
    let c = service(alone().with_pod(|p| p.ready = Some(false)));
    assert!(used(&c, None).is_empty());
    // publishNotReadyAddresses: ready whatever the pod says.
    let c = alone()
        .svc("default", "s", "app=web", &["80"])
        .with_svc(|s| s.publish_not_ready_addresses = true)
        .build();
    assert!(c.service("default", "s").unwrap().ports[0].endpoints[0].ready);
}

/// A headless Service's name answers with its ready endpoints only, unless
/// publishNotReadyAddresses: a terminating pod drops out of it (DNS specification 2.4.1, "ready
/// endpoints"; the controller marks a terminating pod not ready).
#[test]
fn headless_dns_leaves_out_terminating_pods() {
    let headless = |publish: bool| {
        scenario()
            .pod("default", "new", "app=web", &["80"])
            .pod("default", "old", "app=web", &["80"])
            .with_pod(|p| p.terminating = true)
            .svc("default", "s", "app=web", &["80"])
            .with_svc(|s| {
                s.cluster_ip = ClusterIpSpec::Headless;
                s.publish_not_ready_addresses = publish;
            })
            .build()
    };
    for (publish, want) in [(false, 1), (true, 2)] {
        let c = headless(publish);
        let answer = c.dns(&DnsQuery::a("default", "s.default.svc.cluster.local"));
        assert_eq!(answer.records.len(), want, "publishNotReadyAddresses {publish}: {}", answer.explanation);
    }
}

/// Under externalTrafficPolicy Local the cloud load balancer sends only to nodes that pass
/// kube-proxy's health check, which counts ready endpoints only: a node whose only endpoint is
/// terminating fails it (pkg/proxy/endpoints.go, `LocalReadyEndpoints`).
#[test]
fn the_load_balancer_health_check_ignores_terminating_endpoints() {
    let c = scenario()
        .pod_on("node-1", "default", "new", "app=web", &["80"])
        .pod_on("node-2", "default", "old", "app=web", &["80"])
        .with_pod(|p| p.terminating = true)
        .svc("default", "s", "app=web", &["80"])
        .with_svc(|s| {
            s.service_type = ServiceType::LoadBalancer;
            s.external_traffic_policy = TrafficPolicy::Local;
        })
        .build();
    let lb = c.service("default", "s").unwrap().load_balancer_ip.expect("a load balancer address");
    for seed in 0..8 {
        let mut req = Request::new(Client::Outside("203.0.113.9".parse().unwrap()), &format!("{lb}:80"));
        req.seed = seed;
        let trace = c.send(&req);
        let text = trace.to_string();
        assert!(!text.contains("node-2"), "the load balancer never picks node-2:\n{text}");
    }
}

/// `allocateLoadBalancerNodePorts: false`: a LoadBalancer Service gets no nodePort unless one is
/// written; a written one is kept. Nothing then answers on a node port.
/// https://kubernetes.io/docs/concepts/services-networking/service/#load-balancer-nodeport-allocation
#[test]
fn a_load_balancer_without_node_port_allocation() {
    let lb = |allocate: Option<bool>, written: Option<u16>| {
        scenario()
            .deployment("default", "web", 1, "app=web", &["80"])
            .svc("default", "s", "app=web", &["80"])
            .with_svc(|s| {
                s.service_type = ServiceType::LoadBalancer;
                s.allocate_load_balancer_node_ports = allocate;
                s.ports[0].node_port = written;
            })
            .build()
    };
    let node_port = |c: &Cluster| c.service("default", "s").unwrap().spec.ports[0].node_port;
    assert!(node_port(&lb(None, None)).is_some(), "allocated by default");
    assert!(node_port(&lb(Some(true), None)).is_some());
    assert_eq!(node_port(&lb(Some(false), None)), None);
    assert_eq!(node_port(&lb(Some(false), Some(30100))), Some(30100), "a written nodePort is kept");
    let c = lb(Some(false), None);
    let ip = c.service("default", "s").unwrap().load_balancer_ip.unwrap();
    let trace = c.send(&Request::new(Client::Outside("198.51.100.7".parse().unwrap()), &format!("{ip}:80")));
    assert!(matches!(trace.outcome, Outcome::Dropped { .. }), "{trace}");
    assert!(trace.to_string().contains("allocateLoadBalancerNodePorts: false"), "{trace}");
}

/// trafficDistribution, end to end. The EndpointSlice controller hints each ready endpoint for
/// its node's zone (and node, for PreferSameNode): staging/src/k8s.io/endpointslice/trafficdist,
/// `preferCloseHeuristic`. kube-proxy on a node keeps the endpoints hinted for it when every
/// ready endpoint has hints and one names it, else all: pkg/proxy/topology.go,
/// `topologyModeFromHints`. The default topology has node-1 and node-2 in zone-a, node-3 in
/// zone-b. https://kubernetes.io/docs/concepts/services-networking/service/#traffic-distribution
#[test]
fn traffic_distribution_narrows_by_zone_then_node() {
    let cluster = |td: Option<TrafficDistribution>, pods: &[&str]| {
        let mut s = scenario();
        for (i, node) in pods.iter().enumerate() {
            s = s.pod_on(node, "default", &format!("web-{i}"), "app=web", &["80"]);
        }
        s.svc("default", "s", "app=web", &["80"]).with_svc(|s| s.traffic_distribution = td).build()
    };
    let kept = |c: &Cluster, node: &str| -> (Vec<String>, Option<Narrowed>) {
        let pe = &c.service("default", "s").unwrap().ports[0];
        let zone = c.node(node).unwrap().zone();
        let (eps, why) = pe.cluster_endpoints(node, zone);
        (eps.iter().map(|e| e.pod.clone().unwrap()).collect(), why)
    };
    let pods = ["node-1", "node-2", "node-3"];
    // No trafficDistribution: no hints, every endpoint from everywhere.
    let c = cluster(None, &pods);
    let pe = &c.service("default", "s").unwrap().ports[0];
    assert!(pe.endpoints.iter().all(|e| e.for_zones.is_empty() && e.for_nodes.is_empty()));
    assert_eq!(pe.endpoints[0].zone.as_deref(), Some("zone-a"), "the endpoint's zone is its node's");
    assert_eq!(kept(&c, "node-3").0.len(), 3);
    // PreferClose (PreferSameZone): the zone's endpoints.
    for td in [TrafficDistribution::PreferClose, TrafficDistribution::PreferSameZone] {
        let c = cluster(Some(td), &pods);
        assert_eq!(
            kept(&c, "node-1"),
            (vec!["default/web-0".into(), "default/web-1".into()], Some(Narrowed::SameZone("zone-a".into())))
        );
        assert_eq!(
            kept(&c, "node-3"),
            (vec!["default/web-2".into()], Some(Narrowed::SameZone("zone-b".into())))
        );
    }
    // A zone with no endpoint: all of them.
    let c = cluster(Some(TrafficDistribution::PreferSameZone), &["node-1", "node-2"]);
    assert_eq!(kept(&c, "node-3"), (vec!["default/web-0".into(), "default/web-1".into()], None));
    // PreferSameNode: the node's own, else the zone's, else all.
    let c = cluster(Some(TrafficDistribution::PreferSameNode), &["node-1", "node-3"]);
    assert_eq!(kept(&c, "node-1"), (vec!["default/web-0".into()], Some(Narrowed::SameNode("node-1".into()))));
    assert_eq!(kept(&c, "node-2"), (vec!["default/web-0".into()], Some(Narrowed::SameZone("zone-a".into()))));
    // A ready endpoint without hints (here: a node with no zone label) turns zone narrowing off.
    let mut s = scenario().pod_on("node-1", "default", "a", "app=web", &["80"]).pod_on(
        "node-3",
        "default",
        "b",
        "app=web",
        &["80"],
    );
    s = s.topology(|t| t.nodes[2].zone = None);
    let c = s
        .svc("default", "s", "app=web", &["80"])
        .with_svc(|s| s.traffic_distribution = Some(TrafficDistribution::PreferSameZone))
        .build();
    assert_eq!(kept(&c, "node-1").1, None);
    // A request from node-3's pod through the ClusterIP says why it stayed in the zone.
    let mut s = scenario();
    for (i, node) in pods.iter().enumerate() {
        s = s.pod_on(node, "default", &format!("web-{i}"), "app=web", &["80"]);
    }
    let c = s
        .pod_on("node-3", "default", "client", "app=client", &[])
        .svc("default", "s", "app=web", &["80"])
        .with_svc(|s| s.traffic_distribution = Some(TrafficDistribution::PreferClose))
        .build();
    let ip = c.service("default", "s").unwrap().cluster_ip.unwrap();
    for seed in 0..6 {
        let mut req = Request::new(Client::pod("default", "client"), &format!("{ip}:80"));
        req.seed = seed;
        let trace = c.send(&req);
        let text = trace.to_string();
        assert!(text.contains("prefers the same zone: 1 of 3 endpoints, those in zone-b"), "{text}");
        assert!(matches!(&trace.outcome, Outcome::Delivered { pod, .. } if pod == "default/web-2"), "{text}");
    }
}
