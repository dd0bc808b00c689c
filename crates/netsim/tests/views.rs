//! kube-proxy's rules and the EndpointSlices the controller writes: properties that hold
//! whatever the addresses.
//! https://kubernetes.io/docs/reference/networking/virtual-ips/#proxy-mode-iptables
mod common;

use common::*;
use netsim::{Cidr, ServiceType};

#[test]
fn iptables_rules_table() {
    let c = world().build();
    let dump = c.iptables_save("node-1").unwrap();
    let web = c.service("default", "web").unwrap().cluster_ip.unwrap();
    let lb_ip = |name: &str| c.service("default", name).unwrap().load_balancer_ip.unwrap();
    let (lb, lb_local) = (lb_ip("lb"), lb_ip("lb-local"));
    let rows: &[(&str, String)] = &[
        ("kube-dns chain keeps its well-known name", "-j KUBE-SVC-TCOU7JCQXEZGVUNU".into()),
        ("kubernetes chain keeps its well-known name", "-j KUBE-SVC-NPX46M4PTMTKRN6Y".into()),
        ("3 endpoints: first rule 1/3 as iptables-save prints it", "--probability 0.33333333349".into()),
        ("3 endpoints: second rule 1/2", "--probability 0.50000000000".into()),
        (
            "cluster IP comment",
            format!(
                "-d {web}/32 -p tcp -m comment --comment \"default/web:http cluster IP\" -m tcp --dport 80"
            ),
        ),
        ("masquerade off-cluster sources", format!("! -s 10.244.0.0/16 -d {web}/32")),
        ("nodePort rule", "-m tcp --dport 30080 -j KUBE-EXT-".into()),
        (
            "nodeports last in KUBE-SERVICES",
            "kubernetes service nodeports; NOTE: this must be the last rule in this chain".into(),
        ),
        ("no endpoints: REJECT", "\"default/typo has no endpoints\"".into()),
        ("session affinity: recent match", "--rcheck --seconds 10800 --reap".into()),
        (
            "LoadBalancer source ranges: firewall chain",
            "-s 192.0.2.0/25 -m comment --comment \"default/lb:http loadbalancer IP\"".into(),
        ),
        (
            "Local policy without local endpoint drops",
            "\"default/solo-local:http has no local endpoints\"".into(),
        ),
        (
            "Local policy without local endpoint drops at the load balancer IP too",
            format!("-A KUBE-EXTERNAL-SERVICES -d {lb_local}/32 -p tcp -m comment --comment \"default/lb-local:http has no local endpoints\" -m tcp --dport 80 -j DROP"),
        ),
        (
            "source ranges: what the firewall chain lets through is DNATed, the rest goes on",
            "-m comment --comment \"other traffic to default/lb:http will be dropped by KUBE-PROXY-FIREWALL\"\n".into(),
        ),
        (
            "source ranges: the filter table drops the rest at the load balancer IP",
            format!("-A KUBE-PROXY-FIREWALL -d {lb}/32 -p tcp -m comment --comment \"default/lb:http traffic not accepted by KUBE-FW-"),
        ),
        ("the firewall is hooked into INPUT, FORWARD and OUTPUT", "-A FORWARD -m conntrack --ctstate NEW -m comment --comment \"kubernetes load balancer firewall\" -j KUBE-PROXY-FIREWALL".into()),
        ("DNAT to the endpoint", "-j DNAT --to-destination".into()),
        ("mark for masquerade", "-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000".into()),
    ];
    for (name, needle) in rows {
        assert!(dump.contains(needle.as_str()), "{name}: missing {needle:?}");
    }
    assert!(
        !dump.contains("KUBE-MARK-DROP"),
        "kube-proxy no longer marks packets to drop: KUBE-PROXY-FIREWALL drops them"
    );
    assert!(!dump.contains("default/ext"), "ExternalName Services are not proxied");
    assert!(!dump.contains("default/db"), "headless Services are not proxied");
    assert!(c.iptables_save("node-9").is_none());
    // internalTrafficPolicy Local: node-1 has no endpoint for `local`, node-2 has one.
    let n2 = c.iptables_save("node-2").unwrap();
    let local_chain = |d: &str| d.lines().filter(|l| l.contains("\"default/local -> ")).count();
    assert_eq!((local_chain(&dump), local_chain(&n2)), (0, 1));
}

/// At a load balancer IP, as `syncProxyRules` writes it (kubernetes/kubernetes
/// pkg/proxy/iptables/proxier.go): a Service with no endpoints REJECTs there as at its cluster
/// IP; a source range that holds the node lets the node's own requests through, which come
/// back with the load balancer IP as their source.
#[test]
fn load_balancer_ip_without_endpoints_and_from_the_node() {
    let c = shop()
        .svc("default", "gone", "app=nothing", &["http 80->8080"])
        .svc_type(ServiceType::LoadBalancer)
        .svc("default", "near", "app=web", &["http 80->8080"])
        .svc_type(ServiceType::LoadBalancer)
        .with_svc(|s| s.load_balancer_source_ranges = vec![Cidr::parse("192.168.49.0/24").unwrap()])
        .build();
    let dump = c.iptables_save("node-1").unwrap();
    let ip = |name: &str| c.service("default", name).unwrap().load_balancer_ip.unwrap();
    let (gone, near) = (ip("gone"), ip("near"));
    let node = c.node("node-1").unwrap().ip;
    assert!(Cidr::parse("192.168.49.0/24").unwrap().contains(node), "node-1 is {node}");
    for needle in [
        format!("-A KUBE-EXTERNAL-SERVICES -d {gone}/32 -p tcp -m comment --comment \"default/gone:http has no endpoints\" -m tcp --dport 80 -j REJECT"),
        "-A KUBE-FW-".to_string(),
        format!(" -s {near}/32 -m comment --comment \"default/near:http loadbalancer IP\" -j KUBE-EXT-"),
    ] {
        assert!(dump.contains(&needle), "missing {needle:?} in\n{dump}");
    }
    assert!(
        !dump.contains("default/gone:http loadbalancer IP"),
        "no endpoints: no nat rule at the load balancer IP"
    );
}

#[test]
fn endpoint_slices_split_by_resolved_ports() {
    let c = scenario()
        .deployment("default", "web", 2, "app=web", &["http:8080"])
        .pod("default", "old", "app=web", &["http:9000"])
        .svc("default", "web", "app=web", &["80->http"])
        .build();
    let slices = c.service("default", "web").unwrap().endpoint_slices();
    let ports: Vec<Vec<u16>> = slices.iter().map(|(_, p, _)| p.clone()).collect();
    assert_eq!(ports.len(), 2, "{ports:?}");
    assert!(ports.contains(&vec![8080]) && ports.contains(&vec![9000]));
}
