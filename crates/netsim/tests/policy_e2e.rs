//! The upstream e2e NetworkPolicy scenarios, re-expressed as truth tables.
//!
//! Source: kubernetes/kubernetes `test/e2e/network/netpol/network_policy.go` ("Netpol
//! NetworkPolicy between server and client"). Upstream builds each expectation from
//! "everything allowed" with `ExpectPeer`, `ExpectAllIngress`, `ExpectAllEgress` and
//! `Expect`; so do we, over the full grid of namespaces x, y, z with pods a, b, c (labels
//! `pod=<name>`, container ports `serve-80-tcp`, `serve-81-tcp`, `serve-80-udp`, ... as
//! upstream). Upstream ignores loopback because CNIs differ; we allow a pod to reach itself
//! (the docs: "a pod cannot block access to itself"), so every diagonal cell is `.`.
//! Newer upstream versions create only the pods a case needs; on the full grid a few
//! cases need one more expectation, noted where added.
//!
//! Every table is checked twice: by the matrix and by `decide` cell by cell.

mod common;

use std::net::Ipv4Addr;

use common::policies::*;
use netsim::policy::{Connection, Endpoint, NetworkPolicies, PolicyOptions, PolicyPod};
use netsim::*;

const NS: [&str; 3] = ["x", "y", "z"];
const PODS: [&str; 3] = ["a", "b", "c"];

fn pod_ip(ns: usize, pod: usize) -> Ipv4Addr {
    Ipv4Addr::new(10, 244, ns as u8 + 1, pod as u8 + 10)
}

fn cluster_pods() -> Vec<PolicyPod> {
    let mut out = Vec::new();
    for (n, ns) in NS.iter().enumerate() {
        for (p, pod) in PODS.iter().enumerate() {
            let mut ports = Vec::new();
            for proto in [Protocol::Tcp, Protocol::Udp, Protocol::Sctp] {
                for port in [80u16, 81] {
                    ports.push(ContainerPort {
                        name: Some(format!("serve-{port}-{}", proto.as_str().to_lowercase())),
                        container_port: port,
                        protocol: proto,
                        host_port: None,
                        source: None,
                    });
                }
            }
            out.push(PolicyPod {
                namespace: ns.to_string(),
                name: pod.to_string(),
                labels: label_pairs(&[("pod", pod)]),
                ip: Some(pod_ip(n, p)),
                ports,
                host_network: false,
            });
        }
    }
    out
}

fn idx(ns: &str, pod: &str) -> usize {
    let n = NS.iter().position(|x| *x == ns).unwrap();
    let p = PODS.iter().position(|x| *x == pod).unwrap();
    n * 3 + p
}

// --- policy builders, named after upstream's helpers -------------------------------

fn expr(key: &str, op: SelectorOperator, values: &[&str]) -> LabelSelector {
    LabelSelector {
        match_labels: Labels::new(),
        match_expressions: vec![LabelRequirement {
            key: key.into(),
            operator: op,
            values: values.iter().map(|s| s.to_string()).collect(),
        }],
    }
}

fn ns_name(ns: &str) -> LabelSelector {
    sel(&[("kubernetes.io/metadata.name", ns)])
}

/// `GenNetworkPolicyWithNameAndPodSelector` + `SetSpecIngressRules`/`SetSpecEgressRules`:
/// `Some(rules)` adds the policy type (an empty list is a default deny).
fn gen(
    ns: &str,
    name: &str,
    pod_selector: LabelSelector,
    ingress: Option<Vec<PolicyRule>>,
    egress: Option<Vec<PolicyRule>>,
) -> NetworkPolicy {
    let mut types = Vec::new();
    if ingress.is_some() {
        types.push(PolicyType::Ingress);
    }
    if egress.is_some() {
        types.push(PolicyType::Egress);
    }
    NetworkPolicy {
        name: name.into(),
        namespace: ns.into(),
        pod_selector,
        policy_types: types,
        ingress: ingress.unwrap_or_default(),
        egress: egress.unwrap_or_default(),
        source: None,
    }
}

// --- upstream's Reachability -------------------------------------------------------

#[derive(Clone, Copy, Default)]
struct Peer {
    ns: Option<&'static str>,
    pod: Option<&'static str>,
}

const ALL: Peer = Peer { ns: None, pod: None };

fn ns(n: &'static str) -> Peer {
    Peer { ns: Some(n), pod: None }
}

fn pod(n: &'static str, p: &'static str) -> Peer {
    Peer { ns: Some(n), pod: Some(p) }
}

impl Peer {
    fn matches(self, i: usize) -> bool {
        self.ns.is_none_or(|n| NS[i / 3] == n) && self.pod.is_none_or(|p| PODS[i % 3] == p)
    }
}

struct Truth([[bool; 9]; 9]);

impl Truth {
    fn all() -> Truth {
        Truth([[true; 9]; 9])
    }
    fn expect_peer(mut self, from: Peer, to: Peer, v: bool) -> Truth {
        for f in 0..9 {
            for t in 0..9 {
                if from.matches(f) && to.matches(t) {
                    self.0[f][t] = v;
                }
            }
        }
        self
    }
    fn expect_all_ingress(self, to: Peer, v: bool) -> Truth {
        self.expect_peer(ALL, to, v)
    }
    fn expect_all_egress(self, from: Peer, v: bool) -> Truth {
        self.expect_peer(from, ALL, v)
    }
    fn expect(self, from: Peer, to: Peer, v: bool) -> Truth {
        self.expect_peer(from, to, v)
    }
    fn render(m: &[[bool; 9]; 9]) -> String {
        let mut s = String::from("     ");
        for n in NS {
            for p in PODS {
                s.push_str(&format!("{n}/{p} "));
            }
        }
        s.push('\n');
        for (f, row) in m.iter().enumerate() {
            s.push_str(&format!("{}/{}  ", NS[f / 3], PODS[f % 3]));
            for &v in row {
                s.push_str(if v { ".   " } else { "X   " });
            }
            s.push('\n');
        }
        s
    }
}

struct Case {
    name: &'static str,
    policies: Vec<NetworkPolicy>,
    namespaces: Vec<(&'static str, Vec<(&'static str, &'static str)>)>,
    relabel: Vec<(usize, Vec<(&'static str, &'static str)>)>,
    port: u16,
    protocol: Protocol,
    truth: Truth,
}

fn case(
    name: &'static str,
    policies: Vec<NetworkPolicy>,
    port: u16,
    protocol: Protocol,
    truth: Truth,
) -> Case {
    Case { name, policies, namespaces: Vec::new(), relabel: Vec::new(), port, protocol, truth }
}

fn check(c: Case) {
    let mut ps = cluster_pods();
    for (i, extra) in &c.relabel {
        for (k, v) in extra {
            ps[*i].labels.insert(k.to_string(), v.to_string());
        }
    }
    let namespaces: Vec<(String, Labels)> =
        c.namespaces.iter().map(|(n, l)| (n.to_string(), label_pairs(l))).collect();
    let np = NetworkPolicies::new(&namespaces, ps, c.policies, PolicyOptions::default());
    let mut want = c.truth.0;
    for (i, row) in want.iter_mut().enumerate() {
        row[i] = true; // loopback: a pod cannot block access to itself
    }
    let matrix = np.reachability(c.port, c.protocol, &[]);
    let mut got = [[false; 9]; 9];
    let mut by_decide = [[false; 9]; 9];
    for f in 0..9 {
        for t in 0..9 {
            got[f][t] = matrix.allowed(f, t);
            let conn = Connection {
                src: Endpoint::Pod(f),
                dst: Endpoint::Pod(t),
                port: c.port,
                protocol: c.protocol,
            };
            by_decide[f][t] = np.decide(&conn).allowed;
        }
    }
    assert!(
        got == want,
        "{} ({} {}): matrix\nwant:\n{}got:\n{}",
        c.name,
        c.protocol,
        c.port,
        Truth::render(&want),
        Truth::render(&got)
    );
    assert!(
        by_decide == want,
        "{} ({} {}): decide\nwant:\n{}got:\n{}",
        c.name,
        c.protocol,
        c.port,
        Truth::render(&want),
        Truth::render(&by_decide)
    );
}

use Protocol::{Sctp, Tcp, Udp};

fn deny_ingress(ns: &str) -> NetworkPolicy {
    gen(ns, "deny-ingress", LabelSelector::default(), Some(vec![]), None)
}

fn pod_a() -> LabelSelector {
    sel(&[("pod", "a")])
}

/// x/a allows ingress from ns y on port 81 (shared by two upstream cases).
fn allow_port(port: u16, name: &str) -> NetworkPolicy {
    gen("x", name, pod_a(), Some(vec![rule(vec![nss(ns_name("y"))], vec![num(Tcp, port)])]), None)
}

fn cases() -> Vec<Case> {
    let ip = |n: usize, p: usize| format!("{}/32", pod_ip(n, p));
    let yb_ip = ip(1, 1);
    let xb_ip = ip(0, 1);
    // makeLargeCIDRForIP: a /4 around the pod's IP.
    let large = "0.0.0.0/4";
    let yb: &'static str = Box::leak(yb_ip.into_boxed_str());
    let xb: &'static str = Box::leak(xb_ip.into_boxed_str());
    vec![
        case("should support a 'default-deny-ingress' policy", vec![deny_ingress("x")], 80, Tcp,
            Truth::all().expect_peer(ALL, ns("x"), false)),
        case("should support a 'default-deny-all' policy",
            vec![gen("x", "deny-all", LabelSelector::default(), Some(vec![]), Some(vec![]))], 80, Tcp,
            Truth::all().expect_peer(ALL, ns("x"), false).expect_peer(ns("x"), ALL, false)),
        case("should enforce policy to allow traffic from pods within server namespace based on PodSelector",
            vec![gen("x", "x-a-allows-x-b", pod_a(), Some(vec![rule(vec![pods(sel(&[("pod", "b")]))], vec![])]), None)],
            80, Tcp,
            Truth::all().expect_all_ingress(pod("x", "a"), false).expect(pod("x", "b"), pod("x", "a"), true)),
        // Full grid: x/c is also behind deny-all, so the whole of x is denied first.
        case("should enforce policy to allow ingress traffic for a target",
            vec![
                gen("x", "deny-all", LabelSelector::default(), Some(vec![]), None),
                gen("x", "allow-all-to-a", pod_a(),
                    Some(vec![rule(vec![both(LabelSelector::default(), LabelSelector::default())], vec![])]), None),
            ],
            80, Tcp,
            Truth::all().expect_peer(ALL, ns("x"), false).expect_all_ingress(pod("x", "a"), true)),
        case("should enforce policy to allow ingress traffic from pods in all namespaces",
            vec![gen("x", "allow-from-another-ns", pod_a(), Some(vec![rule(vec![nss(LabelSelector::default())], vec![])]), None)],
            80, Tcp, Truth::all()),
        case("should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector",
            vec![gen("x", "allow-client-a-via-ns-selector", pod_a(), Some(vec![rule(vec![nss(ns_name("y"))], vec![])]), None)],
            80, Tcp,
            Truth::all().expect_peer(ns("x"), pod("x", "a"), false).expect_peer(ns("z"), pod("x", "a"), false)),
        case("should enforce policy based on PodSelector with MatchExpressions",
            vec![gen("x", "x-a-allows-x-b", pod_a(),
                Some(vec![rule(vec![pods(expr("pod", SelectorOperator::In, &["b"]))], vec![])]), None)],
            80, Tcp,
            Truth::all().expect_all_ingress(pod("x", "a"), false).expect(pod("x", "b"), pod("x", "a"), true)),
        case("should enforce policy based on NamespaceSelector with MatchExpressions",
            vec![gen("x", "allow-ns-y-match-selector", pod_a(),
                Some(vec![rule(vec![nss(expr("kubernetes.io/metadata.name", SelectorOperator::In, &["y"]))], vec![])]), None)],
            80, Tcp,
            Truth::all().expect_peer(ns("x"), pod("x", "a"), false).expect_peer(ns("z"), pod("x", "a"), false)),
        case("should enforce policy based on PodSelector or NamespaceSelector",
            vec![gen("x", "allow-ns-y-match-selector", pod_a(), Some(vec![rule(vec![
                nss(expr("kubernetes.io/metadata.name", SelectorOperator::NotIn, &["x"])),
                pods(sel(&[("pod", "b")])),
            ], vec![])]), None)],
            80, Tcp,
            Truth::all().expect(pod("x", "a"), pod("x", "a"), false).expect(pod("x", "c"), pod("x", "a"), false)),
        case("should enforce policy based on PodSelector and NamespaceSelector",
            vec![gen("x", "allow-ns-y-podselector-and-nsselector", pod_a(), Some(vec![rule(vec![
                both(expr("kubernetes.io/metadata.name", SelectorOperator::NotIn, &["x"]), sel(&[("pod", "b")])),
            ], vec![])]), None)],
            80, Tcp,
            Truth::all().expect_all_ingress(pod("x", "a"), false)
                .expect(pod("y", "b"), pod("x", "a"), true).expect(pod("z", "b"), pod("x", "a"), true)),
        // Full grid: z/a matches the namespace but not the pod selector (older upstream had it).
        case("should enforce policy based on Multiple PodSelectors and NamespaceSelectors",
            vec![gen("x", "allow-ns-y-z-pod-b-c", pod_a(), Some(vec![rule(vec![
                both(expr("kubernetes.io/metadata.name", SelectorOperator::NotIn, &["x"]),
                    expr("pod", SelectorOperator::In, &["b", "c"])),
            ], vec![])]), None)],
            80, Tcp,
            Truth::all().expect_peer(ns("x"), pod("x", "a"), false)
                .expect(pod("y", "a"), pod("x", "a"), false).expect(pod("z", "a"), pod("x", "a"), false)),
        case("should enforce policy based on any PodSelectors",
            vec![gen("x", "allow-ns-x-pod-b-c", pod_a(),
                Some(vec![rule(vec![pods(sel(&[("pod", "b")])), pods(sel(&[("pod", "c")]))], vec![])]), None)],
            80, Tcp,
            Truth::all().expect_all_ingress(pod("x", "a"), false)
                .expect(pod("x", "b"), pod("x", "a"), true).expect(pod("x", "c"), pod("x", "a"), true)),
        case("should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector",
            vec![gen("x", "allow-ns-y-pod-a-via-namespace-pod-selector", pod_a(),
                Some(vec![rule(vec![both(ns_name("y"), pod_a())], vec![])]), None)],
            80, Tcp,
            Truth::all().expect_all_ingress(pod("x", "a"), false).expect(pod("y", "a"), pod("x", "a"), true)),
        case("should enforce policy based on Ports", vec![allow_port(81, "allow-client-a-via-ns-selector")], 81, Tcp,
            Truth::all().expect_peer(ns("x"), pod("x", "a"), false).expect_peer(ns("y"), pod("x", "a"), true)
                .expect_peer(ns("z"), pod("x", "a"), false)),
        case("should enforce multiple, stacked policies with overlapping podSelectors (port 80 before)",
            vec![allow_port(81, "allow-client-a-via-ns-selector")], 80, Tcp,
            Truth::all().expect_all_ingress(pod("x", "a"), false)),
        case("should enforce multiple, stacked policies with overlapping podSelectors (port 80 after)",
            vec![allow_port(81, "allow-client-a-via-ns-selector"), allow_port(80, "allow-client-a-via-ns-selector-80")], 80, Tcp,
            Truth::all().expect_peer(ns("x"), pod("x", "a"), false).expect_peer(ns("z"), pod("x", "a"), false)),
        case("should support allow-all policy (80)",
            vec![gen("x", "allow-all", LabelSelector::default(), Some(vec![rule(vec![], vec![])]), None)], 80, Tcp, Truth::all()),
        case("should support allow-all policy (81)",
            vec![gen("x", "allow-all", LabelSelector::default(), Some(vec![rule(vec![], vec![])]), None)], 81, Tcp, Truth::all()),
        case("should allow ingress access on one named port (81)",
            vec![gen("x", "allow-all", LabelSelector::default(), Some(vec![rule(vec![], vec![named(Tcp, "serve-81-tcp")])]), None)],
            81, Tcp, Truth::all()),
        case("should allow ingress access on one named port (80)",
            vec![gen("x", "allow-all", LabelSelector::default(), Some(vec![rule(vec![], vec![named(Tcp, "serve-81-tcp")])]), None)],
            80, Tcp, Truth::all().expect_peer(ALL, ns("x"), false)),
        case("should allow ingress access from namespace on one named port (80)",
            vec![gen("x", "allow-client-a-via-ns-selector-80", pod_a(),
                Some(vec![rule(vec![nss(ns_name("y"))], vec![named(Tcp, "serve-80-tcp")])]), None)],
            80, Tcp,
            Truth::all().expect_peer(ns("x"), pod("x", "a"), false).expect_peer(ns("z"), pod("x", "a"), false)),
        case("should allow ingress access from namespace on one named port (81)",
            vec![gen("x", "allow-client-a-via-ns-selector-80", pod_a(),
                Some(vec![rule(vec![nss(ns_name("y"))], vec![named(Tcp, "serve-80-tcp")])]), None)],
            81, Tcp, Truth::all().expect_all_ingress(pod("x", "a"), false)),
        case("should allow egress access on one named port (80)",
            vec![gen("x", "allow-egress", LabelSelector::default(), None, Some(vec![rule(vec![], vec![named(Tcp, "serve-80-tcp")])]))],
            80, Tcp, Truth::all()),
        case("should allow egress access on one named port (81)",
            vec![gen("x", "allow-egress", LabelSelector::default(), None, Some(vec![rule(vec![], vec![named(Tcp, "serve-80-tcp")])]))],
            81, Tcp, Truth::all().expect_peer(ns("x"), ALL, false)),
        case("should enforce updated policy (allow all)",
            vec![gen("x", "allow-all-mutate-to-deny-all", LabelSelector::default(), Some(vec![rule(vec![], vec![])]), None)],
            81, Tcp, Truth::all()),
        case("should enforce updated policy (updated to deny all)",
            vec![gen("x", "allow-all-mutate-to-deny-all", LabelSelector::default(), Some(vec![]), None)],
            81, Tcp, Truth::all().expect_peer(ALL, ns("x"), false)),
        case("should allow ingress access from updated namespace (before)",
            vec![gen("x", "allow-client-a-via-ns-selector", pod_a(), Some(vec![rule(vec![nss(sel(&[("ns2", "updated")]))], vec![])]), None)],
            80, Tcp, Truth::all().expect_all_ingress(pod("x", "a"), false)),
        Case {
            namespaces: vec![("y", vec![("ns2", "updated")])],
            ..case("should allow ingress access from updated namespace (after)",
                vec![gen("x", "allow-client-a-via-ns-selector", pod_a(), Some(vec![rule(vec![nss(sel(&[("ns2", "updated")]))], vec![])]), None)],
                80, Tcp, Truth::all().expect_all_ingress(pod("x", "a"), false).expect_peer(ns("y"), ALL, true))
        },
        case("should allow ingress access from updated pod (before)",
            vec![gen("x", "allow-client-a-via-pod-selector", pod_a(),
                Some(vec![rule(vec![pods(sel(&[("pod", "b"), ("pod2", "updated")]))], vec![])]), None)],
            80, Tcp, Truth::all().expect_all_ingress(pod("x", "a"), false)),
        Case {
            relabel: vec![(idx("x", "b"), vec![("pod2", "updated")])],
            ..case("should allow ingress access from updated pod (after)",
                vec![gen("x", "allow-client-a-via-pod-selector", pod_a(),
                    Some(vec![rule(vec![pods(sel(&[("pod", "b"), ("pod2", "updated")]))], vec![])]), None)],
                80, Tcp, Truth::all().expect_all_ingress(pod("x", "a"), false).expect(pod("x", "b"), pod("x", "a"), true))
        },
        case("should deny ingress from pods on other namespaces",
            vec![gen("x", "deny-empty-policy", LabelSelector::default(), Some(vec![rule(vec![pods(LabelSelector::default())], vec![])]), None)],
            80, Tcp, Truth::all().expect_peer(ns("y"), ns("x"), false).expect_peer(ns("z"), ns("x"), false)),
        case("should deny ingress access to updated pod (before)",
            vec![gen("x", "deny-ingress-via-label-selector", sel(&[("target", "isolated")]), Some(vec![]), None)],
            80, Tcp, Truth::all()),
        Case {
            relabel: vec![(idx("x", "a"), vec![("target", "isolated")])],
            ..case("should deny ingress access to updated pod (after)",
                vec![gen("x", "deny-ingress-via-label-selector", sel(&[("target", "isolated")]), Some(vec![]), None)],
                80, Tcp, Truth::all().expect_all_ingress(pod("x", "a"), false))
        },
        case("should deny egress from pods based on PodSelector",
            vec![gen("x", "deny-egress-pod-a", pod_a(), None, Some(vec![]))],
            80, Tcp, Truth::all().expect_all_egress(pod("x", "a"), false)),
        case("should deny egress from all pods in a namespace",
            vec![gen("x", "deny-egress-ns-x", LabelSelector::default(), None, Some(vec![]))],
            80, Tcp, Truth::all().expect_peer(ns("x"), ALL, false)),
        case("should work with Ingress, Egress specified together (80)",
            vec![gen("x", "allow-client-a-via-pod-selector", pod_a(),
                Some(vec![rule(vec![pods(sel(&[("pod", "b")]))], vec![])]), Some(vec![rule(vec![], vec![num(Tcp, 80)])]))],
            80, Tcp,
            Truth::all().expect_all_ingress(pod("x", "a"), false).expect(pod("x", "b"), pod("x", "a"), true)),
        case("should work with Ingress, Egress specified together (81)",
            vec![gen("x", "allow-client-a-via-pod-selector", pod_a(),
                Some(vec![rule(vec![pods(sel(&[("pod", "b")]))], vec![])]), Some(vec![rule(vec![], vec![num(Tcp, 80)])]))],
            81, Tcp,
            Truth::all().expect_all_ingress(pod("x", "a"), false).expect_all_egress(pod("x", "a"), false)
                .expect(pod("x", "b"), pod("x", "a"), true)),
        case("should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)",
            vec![
                gen("x", "allow-to-ns-y-pod-a", pod_a(), None, Some(vec![rule(vec![both(ns_name("y"), pod_a())], vec![])])),
                gen("y", "allow-from-xa-on-ya-match-selector", pod_a(), Some(vec![rule(vec![both(ns_name("x"), pod_a())], vec![])]), None),
                gen("y", "allow-from-xa-on-yb-match-selector", sel(&[("pod", "b")]), Some(vec![rule(vec![both(ns_name("x"), pod_a())], vec![])]), None),
            ],
            80, Tcp,
            Truth::all().expect_peer(pod("x", "a"), ALL, false).expect_peer(ALL, pod("y", "a"), false)
                .expect_peer(pod("x", "a"), pod("y", "a"), true).expect_peer(ALL, pod("y", "b"), false)),
        case("should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector",
            vec![gen("x", "allow-to-ns-y-pod-a", pod_a(), None, Some(vec![rule(vec![both(ns_name("y"), pod_a())], vec![])]))],
            80, Tcp,
            Truth::all().expect_all_egress(pod("x", "a"), false).expect(pod("x", "a"), pod("y", "a"), true)),
        case("should enforce ingress policy allowing any port traffic to a server on a specific protocol (TCP)",
            vec![gen("x", "allow-ingress-by-proto", pod_a(), Some(vec![rule(vec![], vec![any_port(Tcp)])]), None)],
            80, Tcp, Truth::all()),
        case("should enforce ingress policy allowing any port traffic to a server on a specific protocol (UDP)",
            vec![gen("x", "allow-ingress-by-proto", pod_a(), Some(vec![rule(vec![], vec![any_port(Tcp)])]), None)],
            80, Udp, Truth::all().expect_peer(ALL, pod("x", "a"), false)),
        case("should enforce multiple ingress policies with ingress allow-all policy taking precedence (before)",
            vec![gen("x", "allow-ingress-port-80", LabelSelector::default(), Some(vec![rule(vec![], vec![num(Tcp, 80)])]), None)],
            81, Tcp, Truth::all().expect_peer(ALL, ns("x"), false)),
        case("should enforce multiple ingress policies with ingress allow-all policy taking precedence (after)",
            vec![
                gen("x", "allow-ingress-port-80", LabelSelector::default(), Some(vec![rule(vec![], vec![num(Tcp, 80)])]), None),
                gen("x", "allow-ingress", LabelSelector::default(), Some(vec![rule(vec![], vec![])]), None),
            ],
            81, Tcp, Truth::all()),
        case("should enforce multiple egress policies with egress allow-all policy taking precedence (before)",
            vec![gen("x", "allow-egress-port-80", LabelSelector::default(), None, Some(vec![rule(vec![], vec![num(Tcp, 80)])]))],
            81, Tcp, Truth::all().expect_peer(ns("x"), ALL, false)),
        case("should enforce multiple egress policies with egress allow-all policy taking precedence (after)",
            vec![
                gen("x", "allow-egress-port-80", LabelSelector::default(), None, Some(vec![rule(vec![], vec![num(Tcp, 80)])])),
                gen("x", "allow-egress", LabelSelector::default(), None, Some(vec![rule(vec![], vec![])])),
            ],
            81, Tcp, Truth::all()),
        case("should stop enforcing policies after they are deleted (before)",
            vec![gen("x", "deny-all", LabelSelector::default(), Some(vec![]), Some(vec![]))],
            80, Tcp, Truth::all().expect_peer(ns("x"), ALL, false).expect_peer(ALL, ns("x"), false)),
        case("should stop enforcing policies after they are deleted (after)", vec![], 80, Tcp, Truth::all()),
        case("should allow egress access to server in CIDR block",
            vec![gen("x", "allow-client-a-via-cidr-egress-rule", pod_a(), None, Some(vec![rule(vec![ip_block(yb, &[])], vec![])]))],
            80, Tcp, Truth::all().expect_all_egress(pod("x", "a"), false).expect(pod("x", "a"), pod("y", "b"), true)),
        case("should enforce except clause while egress access to server in CIDR block",
            vec![gen("x", "allow-client-a-via-cidr-egress-rule", pod_a(), None, Some(vec![rule(vec![ip_block(large, &[xb])], vec![])]))],
            80, Tcp, Truth::all().expect(pod("x", "a"), pod("x", "b"), false)),
        case("should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed (updated policy)",
            vec![gen("x", "allow-client-a-via-cidr-egress-rule", pod_a(), None, Some(vec![rule(vec![ip_block(xb, &[])], vec![])]))],
            80, Tcp, Truth::all().expect_all_egress(pod("x", "a"), false).expect(pod("x", "a"), pod("x", "b"), true)),
        case("should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed (both blocks, additive)",
            vec![
                gen("x", "allow-large-except-b", pod_a(), None, Some(vec![rule(vec![ip_block(large, &[xb])], vec![])])),
                gen("x", "allow-b", pod_a(), None, Some(vec![rule(vec![ip_block(xb, &[])], vec![])])),
            ],
            80, Tcp, Truth::all()),
        case("should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector (egress only)",
            vec![gen("x", "allow-egress-for-target", pod_a(), None, Some(vec![rule(vec![], vec![])]))],
            80, Tcp, Truth::all()),
        case("should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector (plus deny ingress)",
            vec![
                gen("x", "allow-egress-for-target", pod_a(), None, Some(vec![rule(vec![], vec![])])),
                gen("x", "deny-ingress-via-label-selector", pod_a(), Some(vec![]), None),
            ],
            80, Tcp, Truth::all().expect_all_ingress(pod("x", "a"), false)),
        case("should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP",
            vec![deny_ingress("x"), gen("x", "allow-only-sctp-ingress-on-port-81", pod_a(), Some(vec![rule(vec![], vec![num(Sctp, 81)])]), None)],
            81, Tcp, Truth::all().expect_peer(ALL, ns("x"), false)),
        case("should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't support SCTP",
            vec![gen("x", "allow-only-sctp-ingress-on-port-80", pod_a(), Some(vec![rule(vec![], vec![num(Sctp, 80)])]), None)],
            81, Tcp, Truth::all().expect_all_ingress(pod("x", "a"), false)),
        case("should not allow access by TCP when a policy specifies only UDP",
            vec![gen("x", "allow-only-udp-ingress-on-port-81", pod_a(), Some(vec![rule(vec![], vec![num(Udp, 81)])]), None)],
            81, Tcp, Truth::all().expect_all_ingress(pod("x", "a"), false)),
        case("should support a 'default-deny-ingress' policy (UDP still denied)", vec![deny_ingress("x")], 80, Udp,
            Truth::all().expect_peer(ALL, ns("x"), false)),
        case("should enforce policy based on Ports (SCTP is not TCP)", vec![allow_port(81, "allow-client-a-via-ns-selector")], 81, Sctp,
            Truth::all().expect_all_ingress(pod("x", "a"), false)),
    ]
}

#[test]
fn upstream_e2e_truth_tables() {
    let all = cases();
    let n = all.len();
    for c in all {
        check(c);
    }
    assert!(n >= 55, "{n} truth tables");
}

/// One grid, spelled out, so a reader sees the shape the tables above assert.
#[test]
fn default_deny_ingress_grid_reads_like_upstream() {
    let np = NetworkPolicies::new(&[], cluster_pods(), vec![deny_ingress("x")], PolicyOptions::default());
    let m = np.reachability(80, Tcp, &[Ipv4Addr::new(203, 0, 113, 9)]);
    expect_test::expect![[r#"
        TCP 80
                    x/a x/b x/c y/a y/b y/c z/a z/b z/c
        x/a         .   X   X   .   .   .   .   .   .
        x/b         X   .   X   .   .   .   .   .   .
        x/c         X   X   .   .   .   .   .   .   .
        y/a         X   X   X   .   .   .   .   .   .
        y/b         X   X   X   .   .   .   .   .   .
        y/c         X   X   X   .   .   .   .   .   .
        z/a         X   X   X   .   .   .   .   .   .
        z/b         X   X   X   .   .   .   .   .   .
        z/c         X   X   X   .   .   .   .   .   .
        203.0.113.9 X   X   X   .   .   .   .   .   .
    "#]]
    .assert_eq(&m.to_string());
    assert_eq!(m.allowed_count(), 9 * 6 + 3 + 6);
    assert_eq!(m.denied_count(), 10 * 9 - m.allowed_count());
}
