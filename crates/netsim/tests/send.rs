//! send: requests traced hop by hop, as a table of (from, to, outcome).
#![allow(clippy::disallowed_methods)] // Not in the wasm: the standard sort is fine (clippy.toml).
mod common;

use common::*;
use netsim::*;

fn pod(name: &str) -> Client {
    Client::pod("default", name)
}

fn outside() -> Client {
    Client::Outside("192.0.2.9".parse().unwrap())
}

fn check(c: &Cluster, req: Request, want: &str) {
    let trace = c.send(&req);
    assert_eq!(render_outcome(&trace.outcome), want, "{:?} -> {}\n{trace}", req.from, req.to);
}

#[test]
fn send_table() {
    let c = world().build();
    let ip = |n: &str| c.node(n).unwrap().ip.to_string();
    let lb = c.service("default", "lb").unwrap().load_balancer_ip.unwrap().to_string();
    let lb_local = c.service("default", "lb-local").unwrap().load_balancer_ip.unwrap().to_string();
    let web_ip = c.service("default", "web").unwrap().cluster_ip.unwrap().to_string();
    let unready_ip = c.pod("default", "unready").unwrap().ip.unwrap().to_string();
    let rows: Vec<(Client, String, Option<u16>, &str)> = vec![
        // ClusterIP by name and by address: https://kubernetes.io/docs/concepts/services-networking/service/
        (pod("client"), "web".into(), None, "delivered default/web:8080"),
        (pod("client"), "http://web.default.svc.cluster.local/".into(), None, "delivered default/web:8080"),
        (pod("client"), web_ip.clone(), Some(80), "delivered default/web:8080"),
        (pod("client"), "web:81".into(), None, "dropped"),
        (pod("client"), "api.backend".into(), None, "delivered backend/api:9090"),
        (Client::pod("backend", "debug"), "api".into(), None, "delivered backend/api:9090"),
        // A short name from another namespace: https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#namespaces-of-services
        (pod("client"), "api".into(), None, "name-not-found"),
        (Client::pod("backend", "debug"), "web".into(), None, "name-not-found"),
        (pod("client"), "nothing-here".into(), None, "name-not-found"),
        // ClusterIP is only reachable inside the cluster.
        (outside(), web_ip.clone(), Some(80), "no-route"),
        (Client::Node("node-3".into()), web_ip, Some(80), "delivered default/web:8080"),
        // The model: a container accepts only declared ports.
        (pod("client"), "broken".into(), None, "refused 9999"),
        (pod("client"), "typo".into(), None, "no-endpoints"),
        (pod("client"), "unready".into(), None, "no-endpoints"),
        // Readiness affects Services only: the pod IP still answers.
        (pod("client"), unready_ip, Some(8080), "delivered default/unready:8080"),
        // ExternalName: https://kubernetes.io/docs/concepts/services-networking/service/#externalname
        (pod("client"), "ext".into(), None, "external-name example.com"),
        (pod("client"), "example.com".into(), Some(443), "left-cluster"),
        // Headless: DNS answers with pods.
        (pod("client"), "db".into(), Some(5432), "delivered default/db-1:5432"), // seed 0 takes the first rotated answer
        (pod("client"), "db-1.db".into(), Some(5432), "delivered default/db-1:5432"),
        (pod("client"), "db".into(), Some(80), "refused 80"),
        // Selector-less Service with a manual EndpointSlice pointing outside.
        (pod("client"), "manual".into(), None, "left-cluster"),
        // The API server.
        (pod("client"), "https://kubernetes.default".into(), None, "reached-node node-1:6443"),
        // NodePort: https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport
        (outside(), format!("{}:30080", ip("node-1")), None, "delivered default/web:8080"),
        (outside(), format!("{}:30080", ip("node-3")), None, "delivered default/web:8080"),
        (outside(), format!("{}:30081", ip("node-2")), None, "delivered default/solo:8080"),
        (outside(), format!("{}:30081", ip("node-1")), None, "dropped"),
        (outside(), format!("{}:30082", ip("node-1")), None, "delivered default/solo:8080"),
        (pod("client"), format!("{}:30081", ip("node-1")), None, "delivered default/solo:8080"),
        (outside(), format!("{}:30999", ip("node-1")), None, "refused 30999"),
        (outside(), format!("{}:30080", ip("node-1")), None, "delivered default/web:8080"),
        // LoadBalancer with source ranges: https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/
        (outside(), lb.clone(), Some(80), "delivered default/web:8080"),
        (Client::Outside("192.0.2.200".parse().unwrap()), lb.clone(), Some(80), "dropped"),
        (outside(), lb.clone(), Some(443), "dropped"),
        // Inside the cluster too: kube-proxy's KUBE-FW chain filters the load balancer IP by
        // source (upstream e2e "should only allow access from service loadbalancer source ranges").
        (pod("client"), lb, Some(80), "dropped"),
        (outside(), lb_local, Some(80), "delivered default/solo:8080"),
        // internalTrafficPolicy: https://kubernetes.io/docs/concepts/services-networking/service-traffic-policy/
        (pod("client"), "local".into(), None, "dropped"),
        (pod("client2"), "local".into(), None, "delivered default/solo:8080"),
        // Pod to pod.
        (pod("client"), "db-0.db".into(), Some(5432), "delivered default/db-0:5432"),
        (outside(), "10.244.1.2".into(), Some(80), "no-route"),
        (pod("client"), "10.244.9.9".into(), Some(80), "no-route"),
        (pod("client"), "10.100.200.1".into(), Some(80), "no-route"),
        (pod("nobody"), "web".into(), None, "no-route"),
        (Client::Node("node-9".into()), "web".into(), None, "no-route"),
        // Nodes resolve with the node's resolver: cluster names do not resolve.
        (Client::Node("node-1".into()), "web.default.svc.cluster.local".into(), None, "name-not-found"),
        (outside(), "web.default.svc.cluster.local".into(), None, "name-not-found"),
        (outside(), "example.com".into(), None, "left-cluster"),
    ];
    for (from, to, port, want) in rows {
        let mut req = Request::new(from, &to);
        req.port = port;
        check(&c, req, want);
    }
}

#[test]
fn every_candidate_can_be_enumerated() {
    let c = world().build();
    let traces = c.send_all(&Request::new(pod("client"), "web"));
    assert_eq!(traces.len(), 3);
    let mut pods: Vec<String> = traces
        .iter()
        .map(|t| match &t.outcome {
            Outcome::Delivered { pod, .. } => pod.clone(),
            o => panic!("{o}"),
        })
        .collect();
    pods.sort();
    pods.dedup();
    assert_eq!(pods.len(), 3, "each candidate is a different pod");
    let dnat = traces[0].hops.iter().find(|h| h.action == Action::Dnat).unwrap();
    assert_eq!(dnat.candidates.len(), 3);
    assert!(dnat.candidates.iter().all(|c| (c.probability - 1.0 / 3.0).abs() < 1e-9));
}

// A partial verdict: one endpoint refuses, the others deliver.
#[test]
fn partial_outcomes_show_up_when_enumerating() {
    let c = scenario()
        .deployment("default", "web", 2, "app=web", &["http:8080"])
        .pod("default", "old", "app=web", &["http:9000"])
        .svc("default", "web", "app=web", &["80->8080"])
        .pod_on("node-1", "default", "client", "", &[])
        .build();
    let outcomes: Vec<&str> =
        c.send_all(&Request::new(pod("client"), "web")).iter().map(|t| t.outcome.as_str()).collect();
    assert_eq!(outcomes.iter().filter(|o| **o == "delivered").count(), 2, "{outcomes:?}");
    assert_eq!(outcomes.iter().filter(|o| **o == "refused").count(), 1, "{outcomes:?}");
}

// https://kubernetes.io/docs/reference/networking/virtual-ips/#session-affinity
#[test]
fn session_affinity_pins_each_client() {
    let c = world().build();
    let chosen = |from: Client, seed: u64| {
        let t = c.send(&Request::new(from, "sticky").seed(seed));
        t.chosen().map(|c| c.ip)
    };
    let first = chosen(pod("client"), 0);
    for seed in 1..20 {
        assert_eq!(chosen(pod("client"), seed), first, "same client, same endpoint");
    }
    let spread: std::collections::BTreeSet<_> =
        (0..50).map(|s| c.send(&Request::new(pod("client"), "web").seed(s)).chosen().map(|c| c.ip)).collect();
    assert!(spread.len() > 1, "without affinity, seeds spread over endpoints");
    let t = c.send(&Request::new(pod("client"), "sticky"));
    assert!(t.to_string().contains("sessionAffinity ClientIP"), "{t}");
}

// https://kubernetes.io/docs/reference/networking/virtual-ips/#external-traffic-policy
#[test]
fn external_traffic_policy_and_client_ip() {
    let c = world().build();
    let node1 = c.node("node-1").unwrap().ip;
    let node2 = c.node("node-2").unwrap().ip;
    let client: std::net::Ipv4Addr = "192.0.2.9".parse().unwrap();
    // Cluster: SNAT to the receiving node.
    let t = c.send(&Request::new(outside(), &format!("{node1}:30082")));
    let last = t.hops.last().unwrap();
    assert_eq!(*last.after.src.ip(), node1, "{t}");
    assert!(t.hops.iter().any(|h| h.action == Action::Snat));
    // Local: the client IP is kept.
    let t = c.send(&Request::new(outside(), &format!("{node2}:30081")));
    assert_eq!(*t.hops.last().unwrap().after.src.ip(), client, "{t}");
    assert!(!t.hops.iter().any(|h| h.action == Action::Snat));
}

#[test]
fn hops_use_stable_topology_ids() {
    let c = world().build();
    let lb = c.service("default", "lb").unwrap().load_balancer_ip.unwrap();
    let t = c.send(&Request::new(outside(), &lb.to_string()));
    let ids: Vec<&str> = t.hops.iter().map(|h| h.at.as_str()).collect();
    assert_eq!(ids[0], "internet");
    assert_eq!(ids[1], "lb/default/lb");
    assert!(ids[2].starts_with("node/"));
    assert!(ids.iter().any(|i| i.starts_with("kube-proxy/")));
    assert!(ids.last().unwrap().starts_with("pod/default/web-"));
    let t = c.send(&Request::new(pod("client"), "web"));
    assert_eq!(t.hops[0].at, "dns");
    assert!(t.hops[0].dns.is_some());
    assert_eq!(t.hops[1].at, "pod/default/client");
    assert_eq!(t.hops[2].at, "svc/default/web");
    assert_eq!(t.hops[3].at, "kube-proxy/node-1");
}

#[test]
fn traces_are_deterministic() {
    let c = world().build();
    for seed in 0..10 {
        let r = Request::new(pod("client"), "web").seed(seed);
        assert_eq!(c.send(&r), c.send(&r));
    }
}

#[test]
fn udp_dns_through_kube_dns() {
    let c = world().build();
    let t = c.send(&Request::new(pod("client"), "kube-dns.kube-system").port(53).protocol(Protocol::Udp));
    assert_eq!(render_outcome(&t.outcome), "delivered kube-system/coredns:53", "{t}");
    let t = c.send(&Request::new(pod("client"), "kube-dns.kube-system").port(9153));
    assert_eq!(render_outcome(&t.outcome), "delivered kube-system/coredns:9153", "{t}");
}

/// https://kubernetes.io/docs/concepts/workloads/pods/#pod-networking: "Inside a Pod,
/// containers ... can communicate with one another using localhost." No Service, DNS or
/// NetworkPolicy is involved; an undeclared port is refused.
#[test]
fn localhost_is_the_pod_itself() {
    let c = shop().build();
    let web = c.pods.iter().find(|p| p.spec.labels.get("app").is_some_and(|v| v == "web")).unwrap();
    let from = Client::pod("default", &web.name);
    let t = c.send(&Request::new(from.clone(), "localhost:8080"));
    assert_eq!(
        t.outcome,
        Outcome::Delivered {
            pod: format!("default/{}", web.name),
            ip: "127.0.0.1".parse().unwrap(),
            port: 8080
        },
        "{t}"
    );
    let t = c.send(&Request::new(from.clone(), "127.0.0.1:9999"));
    assert_eq!(render_outcome(&t.outcome), "refused 9999", "{t}");
    let t = c.send(&Request::new(Client::Node("node-1".into()), "http://localhost:6443"));
    assert_eq!(render_outcome(&t.outcome), "reached-node node-1:6443", "{t}");
    let t = c.send(&Request::new(Client::Outside("198.51.100.7".parse().unwrap()), "localhost"));
    assert_eq!(render_outcome(&t.outcome), "no-route", "{t}");
}

/// A cloud load balancer picks a node at random; send_all tries each node it may pick, and
/// behind each every endpoint kube-proxy may pick.
#[test]
fn send_all_enumerates_the_load_balancer_nodes() {
    let c = world().build();
    let lb = c.service("default", "lb").unwrap().load_balancer_ip.unwrap();
    let all = c.send_all(&Request::new(outside(), &format!("{lb}:80")));
    let nodes: std::collections::BTreeSet<String> = all
        .iter()
        .filter_map(|t| t.hops.iter().find(|h| h.action == Action::Forward))
        .filter_map(|h| h.candidates.iter().find(|c| c.chosen).and_then(|c| c.node.clone()))
        .collect();
    assert_eq!(nodes.len(), 3, "every node is tried");
    assert_eq!(all.len(), 9, "3 nodes x 3 endpoints");
}

/// https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors:
/// a manual EndpointSlice's ports match the Service's by name; a slice whose port name differs
/// gives no endpoints, and the trace says why.
#[test]
fn a_slice_port_with_another_name_gives_no_endpoints() {
    let c = scenario()
        .svc("default", "legacy", "", &["db 5432"])
        .slice("default", "legacy", &["192.0.2.50"], &[("", 5432)])
        .pod("default", "client", "app=client", &[])
        .build();
    let t = c.send(&Request::new(Client::pod("default", "client"), "legacy:5432"));
    assert_eq!(render_outcome(&t.outcome), "no-endpoints", "{t}");
    assert!(t.to_string().contains("no TCP port named `db`"), "{t}");
}

/// A client outside the cluster to a pod IP. Where the pod network is not routed from outside
/// (the default, like kind or minikube) there is no route. Where it is (VPC-native CNIs: GKE,
/// EKS's VPC CNI, Azure CNI, Calico peering with BGP) the packet reaches the pod's node and
/// the pod with the client IP kept, so NetworkPolicy judges the real client.
/// https://kubernetes.io/docs/concepts/cluster-administration/networking/ ("pods can
/// communicate with all other pods ... without NAT"; reachability from outside depends on the
/// network plugin and the cloud's routes).
#[test]
fn outside_to_a_pod_ip_depends_on_the_pod_network() {
    let web = |c: &Cluster| c.pods.iter().find(|p| p.name.starts_with("web-")).unwrap().clone();
    let c = shop().build();
    let pod = web(&c);
    let to = format!("{}:8080", pod.ip.unwrap());
    let trace = c.send(&Request::new(outside(), &to));
    assert_eq!(render_outcome(&trace.outcome), "no-route", "{trace}");
    assert!(trace.to_string().contains("not routed from outside"), "{trace}");

    let c = shop().topology(|t| t.pod_network_routed = true).build();
    let trace = c.send(&Request::new(outside(), &to));
    assert!(matches!(trace.outcome, Outcome::Delivered { .. }), "{trace}");
    let text = trace.to_string();
    assert!(text.contains(&format!("node/{}", pod.node.clone().unwrap())), "{text}");
    assert!(text.contains("routed from outside"), "{text}");

    // NetworkPolicy sees the client's own address.
    let mut s = shop().topology(|t| t.pod_network_routed = true);
    s.scenario.network_policies.push(NetworkPolicy {
        name: "web-from-office".into(),
        namespace: "default".into(),
        pod_selector: LabelSelector { match_labels: labels("app=web"), match_expressions: Vec::new() },
        policy_types: vec![PolicyType::Ingress],
        ingress: vec![PolicyRule {
            peers: vec![PolicyPeer::IpBlock {
                cidr: Cidr::new("198.51.100.0".parse().unwrap(), 24),
                except: Vec::new(),
            }],
            ports: Vec::new(),
            source: None,
        }],
        egress: Vec::new(),
        source: None,
    });
    let c = s.build();
    let office = Client::Outside("198.51.100.20".parse().unwrap());
    assert!(matches!(c.send(&Request::new(office, &to)).outcome, Outcome::Delivered { .. }));
    assert_eq!(render_outcome(&c.send(&Request::new(outside(), &to)).outcome), "dropped");
}
