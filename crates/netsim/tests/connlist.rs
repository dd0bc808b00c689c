//! `netsim::connlist`: the port sets (interval algebra and their canonical text) and the
//! connectivity report on cases from the docs,
//! https://kubernetes.io/docs/concepts/services-networking/network-policies/

use std::net::Ipv4Addr;

use netsim::connlist::{AddressRange, NamedPort, Peer, PortRanges, PortSet};
use netsim::policy::{NetworkPolicies, PolicyOptions, PolicyPod};
use netsim::*;

mod common;

use common::labels;
use common::policies::rule;

/// `"80"`, `"5000-7767"`, comma-separated: a set of one protocol.
fn ranges(text: &str) -> PortRanges {
    text.split(',').filter(|s| !s.is_empty()).fold(PortRanges::none(), |acc, part| {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        acc.union(&PortRanges::range(a.parse().unwrap(), b.parse().unwrap()))
    })
}

#[test]
fn interval_sets_union_intersect_and_print_canonically() {
    let check = |got: PortRanges, want: &str| assert_eq!(got.to_string(), want);
    // Union: overlapping and adjacent ranges merge, order of insertion does not matter.
    check(ranges("80,81,82"), "80-82");
    check(ranges("9200,5000-7767"), "5000-7767,9200");
    check(ranges("10-20").union(&ranges("15-30,32")), "10-30,32");
    check(ranges("1-10").union(&ranges("11-65535")), "1-65535");
    check(ranges("100-200").union(&PortRanges::none()), "100-200");
    // Intersection.
    check(ranges("10-20,30-40").intersection(&ranges("15-35")), "15-20,30-35");
    check(ranges("10-20").intersection(&ranges("21-30")), "none");
    check(ranges("1-65535").intersection(&ranges("443")), "443");
    // Port 0 is not a port; an endPort below port admits nothing.
    check(PortRanges::range(0, 5), "1-5");
    check(PortRanges::port(0), "none");
    check(PortRanges::range(90, 80), "none");
    assert!(PortRanges::range(0, 65535).is_all());
    assert_eq!(PortRanges::range(32000, 32768).count(), 769);
    let r = ranges("5000-7767,9200");
    assert!(r.contains(5000) && r.contains(7767) && r.contains(9200));
    assert!(!r.contains(4999) && !r.contains(7768) && !r.contains(9201) && !r.contains(0));
}

#[test]
fn port_sets_print_per_protocol_and_all() {
    let tcp = PortSet::of(Protocol::Tcp, ranges("9200,5000-7767"));
    let udp = PortSet::of(Protocol::Udp, ranges("53"));
    assert_eq!(tcp.union(&udp).to_string(), "TCP 5000-7767,9200; UDP 53");
    assert_eq!(udp.union(&tcp), tcp.union(&udp));
    assert_eq!(PortSet::all().to_string(), "all");
    assert_eq!(PortSet::none().to_string(), "none");
    // All of TCP is not `all`: the other protocols are missing.
    assert_eq!(PortSet::of(Protocol::Tcp, PortRanges::all()).to_string(), "TCP 1-65535");
    let every =
        PROTOCOLS_ALL.iter().fold(PortSet::none(), |acc, &p| acc.union(&PortSet::of(p, PortRanges::all())));
    assert!(every.is_all());
    assert_eq!(every.intersection(&udp), udp);
    assert_eq!(tcp.intersection(&udp).to_string(), "none");
    assert!(tcp.contains(Protocol::Tcp, 9200) && !tcp.contains(Protocol::Udp, 9200));
}

const PROTOCOLS_ALL: [Protocol; 3] = [Protocol::Tcp, Protocol::Udp, Protocol::Sctp];

#[test]
fn policy_ports_become_sets() {
    let port = |protocol, port: Option<PortRef>, end_port| PolicyPort { protocol, port, end_port };
    let named = [
        NamedPort { name: "http".into(), protocol: Protocol::Tcp, port: 8080 },
        NamedPort { name: "dns".into(), protocol: Protocol::Udp, port: 53 },
    ];
    let set = |ports: &[PolicyPort]| PortSet::from_policy_ports(ports, &named).to_string();
    // "port: 32000, endPort: 32768" (docs, "Targeting a range of ports").
    assert_eq!(set(&[port(Protocol::Tcp, Some(PortRef::Number(32000)), Some(32768))]), "TCP 32000-32768");
    // No ports: every port of every protocol; a protocol without port: all of its ports.
    assert_eq!(set(&[]), "all");
    assert_eq!(set(&[port(Protocol::Sctp, None, None)]), "SCTP 1-65535");
    // A named port resolves on the destination, with its protocol; endPort on it is ignored.
    assert_eq!(set(&[port(Protocol::Tcp, Some(PortRef::Name("http".into())), Some(9000))]), "TCP 8080");
    assert_eq!(set(&[port(Protocol::Tcp, Some(PortRef::Name("dns".into())), None)]), "none");
    assert_eq!(
        set(&[
            port(Protocol::Udp, Some(PortRef::Name("dns".into())), None),
            port(Protocol::Tcp, Some(PortRef::Number(80)), None)
        ]),
        "TCP 80; UDP 53"
    );
    assert_eq!(set(&[port(Protocol::Tcp, Some(PortRef::Number(443)), Some(80))]), "none");
}

#[test]
fn address_ranges_print_as_cidr_when_they_are_one() {
    let range = |a: &str, b: &str| AddressRange { first: a.parse().unwrap(), last: b.parse().unwrap() };
    assert_eq!(range("10.0.0.0", "10.255.255.255").to_string(), "10.0.0.0/8");
    assert_eq!(range("0.0.0.0", "255.255.255.255").to_string(), "0.0.0.0/0");
    assert_eq!(range("0.0.0.0", "9.255.255.255").to_string(), "0.0.0.0-9.255.255.255");
    assert_eq!(range("1.2.3.4", "1.2.3.4").to_string(), "1.2.3.4/32");
    assert_eq!(range("10.0.0.1", "10.0.0.2").to_string(), "10.0.0.1-10.0.0.2");
}

// --- the report on cases from the docs -------------------------------------------------

fn pod(ns: &str, name: &str, label_text: &str, ports: &[(&str, u16)], ip: [u8; 4]) -> PolicyPod {
    PolicyPod {
        namespace: ns.into(),
        name: name.into(),
        labels: labels(label_text),
        ip: Some(Ipv4Addr::from(ip)),
        ports: ports
            .iter()
            .map(|&(name, port)| ContainerPort {
                name: (!name.is_empty()).then(|| name.to_string()),
                container_port: port,
                protocol: Protocol::Tcp,
                host_port: None,
                source: None,
            })
            .collect(),
        host_network: false,
    }
}

fn selector(label_text: &str) -> LabelSelector {
    LabelSelector::from_labels(&labels(label_text))
}

fn policy(ns: &str, name: &str, select: &str, types: &[PolicyType]) -> NetworkPolicy {
    NetworkPolicy {
        name: name.into(),
        namespace: ns.into(),
        pod_selector: selector(select),
        policy_types: types.to_vec(),
        ingress: Vec::new(),
        egress: Vec::new(),
        source: None,
    }
}

fn tcp(port: PortRef, end_port: Option<u16>) -> PolicyPort {
    PolicyPort { protocol: Protocol::Tcp, port: Some(port), end_port }
}

/// The report as `src => dst : ports` lines, pods by name.
fn report(pods: Vec<PolicyPod>, policies: Vec<NetworkPolicy>, pods_only: bool) -> String {
    let np = NetworkPolicies::new(&[], pods, policies, PolicyOptions::default());
    let conn = np.connectivity();
    let name = |p: Peer| match p {
        Peer::Pod(i) => format!("{}/{}", np.pods()[i].namespace, np.pods()[i].name),
        Peer::Outside(range) => range.to_string(),
    };
    let mut out = String::new();
    conn.for_each_row(pods_only, |row| {
        for a in &row.allowed {
            out.push_str(&format!("{} => {} : {}\n", name(row.src), name(a.dst), a.ports));
        }
    });
    out
}

#[test]
fn no_policy_allows_everything() {
    // "By default, a pod is non-isolated for egress; all outbound connections are allowed"
    // (and the same for ingress): docs, "The two sorts of pod isolation".
    let pods = vec![
        pod("shop", "web", "app=web", &[], [10, 244, 0, 2]),
        pod("shop", "api", "app=api", &[], [10, 244, 0, 3]),
    ];
    assert_eq!(
        report(pods, vec![], false),
        "shop/api => shop/web : all\nshop/api => 0.0.0.0/0 : all\nshop/web => shop/api : all\nshop/web => 0.0.0.0/0 : all\n0.0.0.0/0 => shop/api : all\n0.0.0.0/0 => shop/web : all\n"
    );
}

#[test]
fn default_deny_ingress_leaves_only_egress_to_the_outside() {
    // "Default deny all ingress traffic": podSelector {} and policyTypes [Ingress], no rules.
    let pods = vec![
        pod("shop", "web", "app=web", &[], [10, 244, 0, 2]),
        pod("shop", "api", "app=api", &[], [10, 244, 0, 3]),
    ];
    let deny = policy("shop", "default-deny-ingress", "", &[PolicyType::Ingress]);
    assert_eq!(
        report(pods.clone(), vec![deny.clone()], false),
        "shop/api => 0.0.0.0/0 : all\nshop/web => 0.0.0.0/0 : all\n"
    );
    // "Default deny all ingress and all egress traffic": nothing at all.
    let mut both = deny;
    both.policy_types.push(PolicyType::Egress);
    assert_eq!(report(pods, vec![both], false), "");
}

#[test]
fn end_port_range_from_the_docs() {
    // "Targeting a range of ports": egress to 10.0.0.0/24 on TCP 32000-32768.
    let pods = vec![pod("default", "db", "role=db", &[], [10, 244, 0, 2])];
    let mut p = policy("default", "multi-port-egress", "role=db", &[PolicyType::Egress]);
    p.egress.push(rule(
        vec![PolicyPeer::IpBlock { cidr: Cidr::parse("10.0.0.0/24").unwrap(), except: vec![] }],
        vec![tcp(PortRef::Number(32000), Some(32768))],
    ));
    assert_eq!(
        report(pods, vec![p], false),
        "default/db => 10.0.0.0/24 : TCP 32000-32768\n\
         0.0.0.0-9.255.255.255 => default/db : all\n\
         10.0.0.0/24 => default/db : all\n\
         10.0.1.0-255.255.255.255 => default/db : all\n"
    );
}

#[test]
fn named_port_resolves_on_each_destination() {
    // "port ... can either be a numerical or named port on a pod" (API reference): the same
    // rule admits 8080 on one pod and 9090 on another.
    let pods = vec![
        pod("shop", "client", "app=client", &[], [10, 244, 0, 2]),
        pod("shop", "web-a", "app=web", &[("http", 8080)], [10, 244, 0, 3]),
        pod("shop", "web-b", "app=web", &[("http", 9090), ("", 22)], [10, 244, 0, 4]),
    ];
    let mut p = policy("shop", "web", "app=web", &[PolicyType::Ingress]);
    p.ingress.push(rule(
        vec![PolicyPeer::Pods { pod_selector: Some(selector("app=client")), namespace_selector: None }],
        vec![tcp(PortRef::Name("http".into()), None)],
    ));
    assert_eq!(
        report(pods, vec![p], true),
        "shop/client => shop/web-a : TCP 8080\n\
         shop/client => shop/web-b : TCP 9090\n\
         shop/web-a => shop/client : all\n\
         shop/web-b => shop/client : all\n"
    );
}

#[test]
fn ip_block_with_except_from_the_docs() {
    // The docs' example: ingress from 172.17.0.0/16 except 172.17.1.0/24 on TCP 6379, and
    // egress to 10.0.0.0/24 on TCP 5978.
    let pods = vec![pod("default", "db", "role=db", &[], [10, 244, 0, 2])];
    let mut p =
        policy("default", "test-network-policy", "role=db", &[PolicyType::Ingress, PolicyType::Egress]);
    p.ingress.push(rule(
        vec![PolicyPeer::IpBlock {
            cidr: Cidr::parse("172.17.0.0/16").unwrap(),
            except: vec![Cidr::parse("172.17.1.0/24").unwrap()],
        }],
        vec![tcp(PortRef::Number(6379), None)],
    ));
    p.egress.push(rule(
        vec![PolicyPeer::IpBlock { cidr: Cidr::parse("10.0.0.0/24").unwrap(), except: vec![] }],
        vec![tcp(PortRef::Number(5978), None)],
    ));
    assert_eq!(
        report(pods, vec![p], false),
        "default/db => 10.0.0.0/24 : TCP 5978\n\
         172.17.0.0/24 => default/db : TCP 6379\n\
         172.17.2.0-172.17.255.255 => default/db : TCP 6379\n"
    );
}

#[test]
fn pod_connections_is_the_row_and_the_column() {
    let pods = vec![
        pod("shop", "client", "app=client", &[], [10, 244, 0, 2]),
        pod("shop", "web", "app=web", &[("http", 8080)], [10, 244, 0, 3]),
    ];
    let mut p = policy("shop", "web", "app=web", &[PolicyType::Ingress]);
    p.ingress.push(rule(
        vec![PolicyPeer::Pods { pod_selector: Some(selector("app=client")), namespace_selector: None }],
        vec![tcp(PortRef::Name("http".into()), None)],
    ));
    let np = NetworkPolicies::new(&[], pods, vec![p], PolicyOptions::default());
    let conn = np.connectivity();
    let web = conn.pod_connections(1);
    let everywhere =
        AddressRange { first: Ipv4Addr::new(0, 0, 0, 0), last: Ipv4Addr::new(255, 255, 255, 255) };
    assert_eq!(
        web.outgoing,
        vec![(Peer::Pod(0), PortSet::all()), (Peer::Outside(everywhere), PortSet::all())]
    );
    assert_eq!(web.incoming, vec![(Peer::Pod(0), PortSet::of(Protocol::Tcp, PortRanges::port(8080)))]);
    assert_eq!(conn.pod_connections(7), Default::default());
}
