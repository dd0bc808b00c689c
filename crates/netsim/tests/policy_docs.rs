//! NetworkPolicy cases from the Kubernetes docs, one table row per connection.
//!
//! DOCS = https://kubernetes.io/docs/concepts/services-networking/network-policies/
//! API  = https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
//! Each group names the section it re-expresses; each row is `(source, destination,
//! protocol, port, allowed)`. Curriculum section 9 pitfalls are tagged [X1]..[X8].

mod common;

use std::net::Ipv4Addr;

use common::policies::*;
use netsim::policy::{Connection, Endpoint, NetworkPolicies, PolicyOptions, PolicyPod};
use netsim::*;
use Protocol::{Sctp, Tcp, Udp};

fn port(name: &str, number: u16, protocol: Protocol) -> ContainerPort {
    ContainerPort { name: Some(name.into()), container_port: number, protocol, host_port: None, source: None }
}

/// The docs' cluster: `default` (role=db, role=frontend, other), `myproject`
/// (project=myproject), `alice` (user=alice), `prod`/`dev`, `kube-system` with CoreDNS
/// and a host-network agent on node IP 192.168.0.10.
fn cluster() -> (Vec<(String, Labels)>, Vec<PolicyPod>) {
    let namespaces = vec![
        ("myproject".to_string(), label_pairs(&[("project", "myproject")])),
        ("alice".to_string(), label_pairs(&[("user", "alice")])),
        ("prod".to_string(), label_pairs(&[("env", "prod")])),
        ("dev".to_string(), label_pairs(&[("env", "dev")])),
    ];
    let pod = |ns: &str, name: &str, l: &[(&str, &str)], ip: [u8; 4], ports: Vec<ContainerPort>| PolicyPod {
        namespace: ns.into(),
        name: name.into(),
        labels: label_pairs(l),
        ip: Some(Ipv4Addr::from(ip)),
        ports,
        host_network: false,
    };
    let mut pods = vec![
        pod("default", "db", &[("role", "db")], [10, 0, 0, 10], vec![port("redis", 6379, Tcp)]),
        pod("default", "frontend", &[("role", "frontend")], [10, 0, 0, 11], vec![]),
        pod("default", "other", &[("role", "other")], [10, 0, 0, 12], vec![]),
        pod("myproject", "worker", &[("app", "worker")], [10, 0, 1, 10], vec![]),
        pod("alice", "client", &[("role", "client")], [10, 0, 2, 10], vec![]),
        pod("alice", "other", &[("role", "other")], [10, 0, 2, 11], vec![]),
        pod("default", "client", &[("role", "client")], [10, 0, 0, 13], vec![]),
        pod("prod", "web-0", &[("app", "web")], [10, 0, 3, 10], vec![port("http", 8080, Tcp)]),
        pod(
            "prod",
            "api-0",
            &[("app", "api")],
            [10, 0, 3, 11],
            vec![port("http", 80, Tcp), port("metrics", 9090, Tcp)],
        ),
        pod("dev", "api-0", &[("app", "api")], [10, 0, 4, 11], vec![port("http", 8080, Tcp)]),
        pod(
            "kube-system",
            "coredns-0",
            &[("k8s-app", "kube-dns")],
            [10, 0, 5, 10],
            vec![port("dns", 53, Udp), port("dns-tcp", 53, Tcp)],
        ),
    ];
    let mut agent =
        pod("kube-system", "node-agent", &[("app", "agent")], [192, 168, 0, 10], vec![port("http", 80, Tcp)]);
    agent.host_network = true;
    pods.push(agent);
    (namespaces, pods)
}

const I: &[PolicyType] = &[PolicyType::Ingress];
const E: &[PolicyType] = &[PolicyType::Egress];
const IE: &[PolicyType] = &[PolicyType::Ingress, PolicyType::Egress];

fn deny_ingress(ns: &str) -> NetworkPolicy {
    policy(ns, "default-deny-ingress", all(), I, vec![], vec![])
}

fn deny_egress(ns: &str) -> NetworkPolicy {
    policy(ns, "default-deny-egress", all(), E, vec![], vec![])
}

/// An endpoint: `ns/name` for a pod, a dotted address otherwise.
fn ep(pods: &[PolicyPod], s: &str) -> Endpoint {
    if let Ok(ip) = s.parse::<Ipv4Addr>() {
        return Endpoint::Outside(ip);
    }
    let (ns, name) = s.split_once('/').unwrap();
    Endpoint::Pod(
        pods.iter().position(|p| p.namespace == ns && p.name == name).unwrap_or_else(|| panic!("no pod {s}")),
    )
}

type Row = (&'static str, &'static str, Protocol, u16, bool);

struct Group {
    section: &'static str,
    policies: Vec<NetworkPolicy>,
    options: PolicyOptions,
    rows: Vec<Row>,
}

fn group(section: &'static str, policies: Vec<NetworkPolicy>, rows: Vec<Row>) -> Group {
    Group { section, policies, options: PolicyOptions::default(), rows }
}

fn groups() -> Vec<Group> {
    let metadata = "169.254.169.254";
    vec![
        group(
            "DOCS#the-two-sorts-of-pod-isolation: no policy, everything allowed [X1]",
            vec![],
            vec![
                ("default/frontend", "default/db", Tcp, 6379, true),
                ("alice/client", "prod/api-0", Udp, 53, true),
                ("8.8.8.8", "prod/web-0", Tcp, 8080, true),
                ("prod/web-0", "8.8.8.8", Tcp, 443, true),
                ("prod/web-0", "kube-system/coredns-0", Udp, 53, true),
                ("dev/api-0", "prod/api-0", Sctp, 9999, true),
            ],
        ),
        group(
            "DOCS#default-deny-all-ingress-traffic [X3]",
            vec![deny_ingress("prod")],
            vec![
                ("prod/web-0", "prod/api-0", Tcp, 80, false),
                ("dev/api-0", "prod/api-0", Tcp, 80, false),
                ("8.8.8.8", "prod/web-0", Tcp, 8080, false),
                ("prod/web-0", "dev/api-0", Tcp, 8080, true), // egress untouched
                ("prod/web-0", "8.8.8.8", Tcp, 443, true),
                ("dev/api-0", "default/db", Tcp, 6379, true), // other namespaces untouched
                ("prod/api-0", "prod/api-0", Tcp, 80, true), // DOCS intro: a pod cannot block access to itself
            ],
        ),
        group(
            "DOCS#allow-all-ingress-traffic: `ingress: [{}]` beats the default deny [X2]",
            vec![
                deny_ingress("prod"),
                policy("prod", "allow-all-ingress", all(), I, vec![rule(vec![], vec![])], vec![]),
            ],
            vec![
                ("dev/api-0", "prod/api-0", Tcp, 80, true),
                ("8.8.8.8", "prod/web-0", Udp, 5000, true),
                ("prod/web-0", "prod/api-0", Sctp, 1, true),
            ],
        ),
        group(
            "DOCS#default-deny-all-egress-traffic [X3]",
            vec![deny_egress("prod")],
            vec![
                ("prod/web-0", "dev/api-0", Tcp, 8080, false),
                ("prod/web-0", "8.8.8.8", Tcp, 443, false),
                ("prod/web-0", "prod/api-0", Tcp, 80, false),
                ("dev/api-0", "prod/api-0", Tcp, 80, true), // ingress untouched
                ("8.8.8.8", "prod/api-0", Tcp, 80, true),
            ],
        ),
        group(
            "DOCS#default-deny-all-egress-traffic: the DNS pitfall, names stop resolving [X7]",
            vec![deny_egress("prod")],
            vec![
                ("prod/web-0", "kube-system/coredns-0", Udp, 53, false),
                ("prod/web-0", "kube-system/coredns-0", Tcp, 53, false),
            ],
        ),
        group(
            "DOCS#default-deny-all-egress-traffic + allow DNS to kube-system, UDP and TCP 53 [X7]",
            vec![
                deny_egress("prod"),
                policy(
                    "prod",
                    "allow-dns",
                    all(),
                    E,
                    vec![],
                    vec![rule(
                        vec![nss(sel(&[("kubernetes.io/metadata.name", "kube-system")]))],
                        vec![num(Udp, 53), num(Tcp, 53)],
                    )],
                ),
            ],
            vec![
                ("prod/web-0", "kube-system/coredns-0", Udp, 53, true),
                ("prod/web-0", "kube-system/coredns-0", Tcp, 53, true),
                ("prod/web-0", "kube-system/coredns-0", Udp, 5353, false),
                ("prod/web-0", "8.8.8.8", Udp, 53, false), // a namespace selector never matches outside addresses
                ("prod/web-0", "dev/api-0", Tcp, 8080, false),
            ],
        ),
        group(
            "DOCS#default-deny-all-egress-traffic + DNS over UDP only: TCP fallback still blocked [X7]",
            vec![
                deny_egress("prod"),
                policy(
                    "prod",
                    "allow-dns-udp",
                    all(),
                    E,
                    vec![],
                    vec![rule(
                        vec![nss(sel(&[("kubernetes.io/metadata.name", "kube-system")]))],
                        vec![num(Udp, 53)],
                    )],
                ),
            ],
            vec![
                ("prod/web-0", "kube-system/coredns-0", Udp, 53, true),
                ("prod/web-0", "kube-system/coredns-0", Tcp, 53, false),
            ],
        ),
        group(
            "DOCS#allow-all-egress-traffic",
            vec![
                deny_egress("prod"),
                policy("prod", "allow-all-egress", all(), E, vec![], vec![rule(vec![], vec![])]),
            ],
            vec![
                ("prod/web-0", "8.8.8.8", Tcp, 443, true),
                ("prod/web-0", "dev/api-0", Udp, 9, true),
                ("prod/web-0", metadata, Tcp, 80, true),
            ],
        ),
        group(
            "DOCS#default-deny-all-ingress-and-all-egress-traffic [X3]",
            vec![policy("prod", "default-deny-all", all(), IE, vec![], vec![])],
            vec![
                ("prod/web-0", "prod/api-0", Tcp, 80, false),
                ("dev/api-0", "prod/api-0", Tcp, 80, false),
                ("prod/api-0", "dev/api-0", Tcp, 8080, false),
                ("8.8.8.8", "prod/web-0", Tcp, 8080, false),
                ("dev/api-0", "dev/api-0", Tcp, 8080, true),
                ("prod/web-0", "prod/web-0", Tcp, 8080, true), // DOCS intro: a pod cannot block access to itself
            ],
        ),
        group(
            "DOCS#the-networkpolicy-resource: test-network-policy [X4][X5][X6]",
            vec![policy(
                "default",
                "test-network-policy",
                sel(&[("role", "db")]),
                IE,
                vec![rule(
                    vec![
                        ip_block("172.17.0.0/16", &["172.17.1.0/24"]),
                        nss(sel(&[("project", "myproject")])),
                        pods(sel(&[("role", "frontend")])),
                    ],
                    vec![num(Tcp, 6379)],
                )],
                vec![rule(vec![ip_block("10.0.0.0/24", &[])], vec![num(Tcp, 5978)])],
            )],
            vec![
                ("172.17.0.5", "default/db", Tcp, 6379, true),
                ("172.17.1.5", "default/db", Tcp, 6379, false), // except
                ("172.18.0.5", "default/db", Tcp, 6379, false),
                ("myproject/worker", "default/db", Tcp, 6379, true),
                ("default/frontend", "default/db", Tcp, 6379, true),
                ("default/other", "default/db", Tcp, 6379, false),
                ("alice/client", "default/db", Tcp, 6379, false),
                ("default/frontend", "default/db", Tcp, 6380, false),
                ("default/frontend", "default/db", Udp, 6379, false),
                ("default/db", "10.0.0.5", Tcp, 5978, true),
                ("default/db", "10.0.0.5", Tcp, 5979, false),
                ("default/db", "10.0.1.5", Tcp, 5978, false),
                ("default/db", "default/other", Tcp, 5978, true), // 10.0.0.12: pod IPs match ipBlock (our choice)
                ("default/frontend", "default/other", Tcp, 80, true), // other pods not selected
            ],
        ),
        group(
            "DOCS#behavior-of-to-and-from-selectors: one peer with both selectors is AND [X4]",
            vec![policy(
                "default",
                "and",
                sel(&[("role", "db")]),
                I,
                vec![rule(vec![both(sel(&[("user", "alice")]), sel(&[("role", "client")]))], vec![])],
                vec![],
            )],
            vec![
                ("alice/client", "default/db", Tcp, 6379, true),
                ("alice/other", "default/db", Tcp, 6379, false),
                ("default/client", "default/db", Tcp, 6379, false),
                ("default/frontend", "default/db", Tcp, 6379, false),
            ],
        ),
        group(
            "DOCS#behavior-of-to-and-from-selectors: two peers are OR [X4]",
            vec![policy(
                "default",
                "or",
                sel(&[("role", "db")]),
                I,
                vec![rule(vec![nss(sel(&[("user", "alice")])), pods(sel(&[("role", "client")]))], vec![])],
                vec![],
            )],
            vec![
                ("alice/client", "default/db", Tcp, 6379, true),
                ("alice/other", "default/db", Tcp, 6379, true),
                ("default/client", "default/db", Tcp, 6379, true),
                ("default/frontend", "default/db", Tcp, 6379, false),
                ("myproject/worker", "default/db", Tcp, 6379, false),
            ],
        ),
        group(
            "API NetworkPolicyPeer.namespaceSelector: `{}` selects all namespaces, no outside address",
            vec![policy(
                "default",
                "all-namespaces",
                sel(&[("role", "db")]),
                I,
                vec![rule(vec![nss(all())], vec![])],
                vec![],
            )],
            vec![
                ("alice/other", "default/db", Tcp, 6379, true),
                ("kube-system/coredns-0", "default/db", Tcp, 6379, true),
                ("default/other", "default/db", Tcp, 6379, true),
                ("8.8.8.8", "default/db", Tcp, 6379, false),
            ],
        ),
        group(
            "API NetworkPolicyPeer.podSelector alone: pods in the policy's own namespace [X4]",
            vec![policy(
                "default",
                "same-ns-clients",
                sel(&[("role", "db")]),
                I,
                vec![rule(vec![pods(sel(&[("role", "client")]))], vec![])],
                vec![],
            )],
            vec![
                ("default/client", "default/db", Tcp, 6379, true),
                ("alice/client", "default/db", Tcp, 6379, false),
                ("default/other", "default/db", Tcp, 6379, false),
            ],
        ),
        group(
            "DOCS#targeting-a-namespace-by-its-name: kubernetes.io/metadata.name is automatic",
            vec![policy(
                "default",
                "from-alice",
                sel(&[("role", "db")]),
                I,
                vec![rule(vec![nss(sel(&[("kubernetes.io/metadata.name", "alice")]))], vec![])],
                vec![],
            )],
            vec![
                ("alice/other", "default/db", Tcp, 6379, true),
                ("myproject/worker", "default/db", Tcp, 6379, false),
            ],
        ),
        group(
            "DOCS#targeting-a-range-of-ports: port 32000, endPort 32768 [X5]",
            vec![policy(
                "default",
                "multi-port-egress",
                sel(&[("role", "db")]),
                E,
                vec![],
                vec![rule(vec![ip_block("10.0.0.0/24", &[])], vec![range(Tcp, 32000, 32768)])],
            )],
            vec![
                ("default/db", "10.0.0.99", Tcp, 32000, true),
                ("default/db", "10.0.0.99", Tcp, 32500, true),
                ("default/db", "10.0.0.99", Tcp, 32768, true),
                ("default/db", "10.0.0.99", Tcp, 31999, false),
                ("default/db", "10.0.0.99", Tcp, 32769, false),
                ("default/db", "10.0.0.99", Udp, 32000, false),
            ],
        ),
        group(
            "API NetworkPolicyPort.port named: resolves on the protected pod for ingress [X5]",
            vec![policy(
                "prod",
                "api-http",
                sel(&[("app", "api")]),
                I,
                vec![rule(vec![], vec![named(Tcp, "http")])],
                vec![],
            )],
            vec![
                ("prod/web-0", "prod/api-0", Tcp, 80, true), // prod/api-0 http = 80
                ("prod/web-0", "prod/api-0", Tcp, 8080, false),
                ("prod/web-0", "prod/api-0", Tcp, 9090, false), // metrics is another name
                ("prod/web-0", "dev/api-0", Tcp, 8080, true),   // the policy lives in prod: dev not isolated
            ],
        ),
        group(
            "API NetworkPolicyPort.port named: resolves on the peer pod for egress [X5]",
            vec![policy(
                "prod",
                "web-out-http",
                sel(&[("app", "web")]),
                E,
                vec![],
                vec![rule(vec![], vec![named(Tcp, "http")])],
            )],
            vec![
                ("prod/web-0", "dev/api-0", Tcp, 8080, true), // dev/api-0 http = 8080
                ("prod/web-0", "prod/api-0", Tcp, 8080, false), // prod/api-0 http = 80
                ("prod/web-0", "prod/api-0", Tcp, 80, true),
                ("prod/web-0", "8.8.8.8", Tcp, 80, false), // a named port never matches an outside address
                ("prod/web-0", "kube-system/node-agent", Tcp, 80, false), // nor a host-network pod (it is the node)
            ],
        ),
        group(
            "API NetworkPolicyPort.protocol: UDP 53 is not TCP 53, SCTP is not TCP [X5]",
            vec![policy(
                "kube-system",
                "dns-udp-only",
                sel(&[("k8s-app", "kube-dns")]),
                I,
                vec![rule(vec![], vec![num(Udp, 53), num(Sctp, 9000)])],
                vec![],
            )],
            vec![
                ("prod/web-0", "kube-system/coredns-0", Udp, 53, true),
                ("prod/web-0", "kube-system/coredns-0", Tcp, 53, false),
                ("prod/web-0", "kube-system/coredns-0", Sctp, 9000, true),
                ("prod/web-0", "kube-system/coredns-0", Tcp, 9000, false),
            ],
        ),
        group(
            "API IPBlock.except: everything but the cloud metadata address [X6]",
            vec![policy(
                "prod",
                "no-metadata",
                all(),
                E,
                vec![],
                vec![rule(vec![ip_block("0.0.0.0/0", &["169.254.169.254/32"])], vec![])],
            )],
            vec![
                ("prod/web-0", "8.8.8.8", Tcp, 443, true),
                ("prod/web-0", metadata, Tcp, 80, false),
                ("prod/web-0", "169.254.169.253", Tcp, 80, true),
                ("prod/web-0", "dev/api-0", Tcp, 8080, true), // pod IPs match 0.0.0.0/0 by default
            ],
        ),
        Group {
            options: PolicyOptions { ip_block_matches_pod_ips: false, ..PolicyOptions::default() },
            ..group(
                "API IPBlock (\"should be cluster-external IPs\"), Cilium-style option: pods never match",
                vec![policy(
                    "prod",
                    "no-metadata",
                    all(),
                    E,
                    vec![],
                    vec![rule(vec![ip_block("0.0.0.0/0", &["169.254.169.254/32"])], vec![])],
                )],
                vec![
                    ("prod/web-0", "8.8.8.8", Tcp, 443, true),
                    ("prod/web-0", "dev/api-0", Tcp, 8080, false),
                    ("prod/web-0", "kube-system/node-agent", Tcp, 80, true), // host network = node IP, an address
                ],
            )
        },
        group(
            "DOCS#the-two-sorts-of-pod-isolation: both sides must allow [X8]",
            vec![
                policy(
                    "prod",
                    "web-egress-to-api",
                    sel(&[("app", "web")]),
                    E,
                    vec![],
                    vec![rule(vec![pods(sel(&[("app", "api")]))], vec![])],
                ),
                policy(
                    "prod",
                    "api-ingress-from-dev",
                    sel(&[("app", "api")]),
                    I,
                    vec![rule(vec![nss(sel(&[("env", "dev")]))], vec![])],
                    vec![],
                ),
            ],
            vec![
                ("prod/web-0", "prod/api-0", Tcp, 80, false), // egress yes, ingress no
                ("dev/api-0", "prod/api-0", Tcp, 80, true),   // dev not egress-isolated, ingress yes
                ("prod/web-0", "dev/api-0", Tcp, 8080, false), // ingress open, egress no
            ],
        ),
        group(
            "DOCS#the-two-sorts-of-pod-isolation: both sides allow [X8]",
            vec![
                policy(
                    "prod",
                    "web-egress-to-api",
                    sel(&[("app", "web")]),
                    E,
                    vec![],
                    vec![rule(vec![pods(sel(&[("app", "api")]))], vec![])],
                ),
                policy(
                    "prod",
                    "api-ingress-from-web",
                    sel(&[("app", "api")]),
                    I,
                    vec![rule(vec![pods(sel(&[("app", "web")]))], vec![])],
                    vec![],
                ),
            ],
            vec![("prod/web-0", "prod/api-0", Tcp, 80, true), ("dev/api-0", "prod/api-0", Tcp, 80, false)],
        ),
        group(
            "DOCS#the-two-sorts-of-pod-isolation: a policy isolates only pods of its own namespace",
            vec![
                policy("dev", "deny-all", all(), IE, vec![], vec![]),
                policy("prod", "web-only", sel(&[("app", "web")]), I, vec![], vec![]),
            ],
            vec![
                ("prod/web-0", "prod/api-0", Tcp, 80, true),
                ("prod/api-0", "prod/web-0", Tcp, 8080, false),
                ("prod/api-0", "dev/api-0", Tcp, 8080, false),
                ("prod/api-0", "default/db", Tcp, 6379, true),
            ],
        ),
        group(
            "DOCS#the-two-sorts-of-pod-isolation: additive, order irrelevant [X2]",
            vec![
                policy(
                    "default",
                    "from-frontend",
                    sel(&[("role", "db")]),
                    I,
                    vec![rule(vec![pods(sel(&[("role", "frontend")]))], vec![])],
                    vec![],
                ),
                deny_ingress("default"),
                policy(
                    "default",
                    "from-alice",
                    sel(&[("role", "db")]),
                    I,
                    vec![rule(vec![nss(sel(&[("user", "alice")]))], vec![])],
                    vec![],
                ),
            ],
            vec![
                ("default/frontend", "default/db", Tcp, 6379, true),
                ("alice/other", "default/db", Tcp, 6379, true),
                ("default/other", "default/db", Tcp, 6379, false),
                ("default/db", "default/frontend", Tcp, 80, false),
            ],
        ),
        group(
            "API NetworkPolicySpec.policyTypes: [Egress] only, its ingress rules do not isolate",
            vec![policy(
                "prod",
                "egress-only",
                all(),
                E,
                vec![rule(vec![pods(sel(&[("app", "none")]))], vec![])],
                vec![rule(vec![], vec![])],
            )],
            vec![("dev/api-0", "prod/api-0", Tcp, 80, true), ("prod/api-0", "8.8.8.8", Tcp, 80, true)],
        ),
        group(
            "API NetworkPolicySpec.policyTypes: [Ingress] does not isolate egress",
            vec![policy(
                "prod",
                "ingress-only",
                all(),
                I,
                vec![],
                vec![rule(vec![pods(sel(&[("app", "none")]))], vec![])],
            )],
            vec![("prod/api-0", "8.8.8.8", Tcp, 80, true), ("dev/api-0", "prod/api-0", Tcp, 80, false)],
        ),
        group(
            "DOCS#networkpolicy-and-hostnetwork-pods: host-network pods are their node",
            vec![
                policy("kube-system", "deny-all", all(), IE, vec![], vec![]),
                deny_ingress("prod"),
                policy(
                    "prod",
                    "from-agent-by-label",
                    sel(&[("app", "api")]),
                    I,
                    vec![rule(vec![nss(all())], vec![])],
                    vec![],
                ),
                policy(
                    "prod",
                    "from-node-ip",
                    sel(&[("app", "web")]),
                    I,
                    vec![rule(vec![ip_block("192.168.0.10/32", &[])], vec![])],
                    vec![],
                ),
            ],
            vec![
                ("8.8.8.8", "kube-system/node-agent", Tcp, 80, true), // never isolated
                ("kube-system/node-agent", "8.8.8.8", Tcp, 443, true),
                ("kube-system/node-agent", "prod/api-0", Tcp, 80, false), // namespaceSelector {} does not match it
                ("kube-system/node-agent", "prod/web-0", Tcp, 8080, true), // ipBlock on the node IP does
                ("kube-system/coredns-0", "prod/api-0", Tcp, 80, false), // coredns egress denied by kube-system deny-all
            ],
        ),
        Group {
            options: PolicyOptions { pod_to_itself_always_allowed: false, ..PolicyOptions::default() },
            ..group(
                "e2e ignoreLoopback: with loopback enforced, deny-all blocks a pod reaching itself",
                vec![policy("prod", "default-deny-all", all(), IE, vec![], vec![])],
                vec![("prod/web-0", "prod/web-0", Tcp, 8080, false)],
            )
        },
    ]
}

#[test]
fn docs_tables() {
    let (namespaces, pods) = cluster();
    let mut rows = 0;
    for g in groups() {
        let np = NetworkPolicies::new(&namespaces, pods.clone(), g.policies.clone(), g.options);
        // The same answer in reverse policy order: policies are additive.
        let mut reversed = g.policies.clone();
        reversed.reverse();
        let np_rev = NetworkPolicies::new(&namespaces, pods.clone(), reversed, g.options);
        for &(src, dst, protocol, port, want) in &g.rows {
            let c = Connection { src: ep(&pods, src), dst: ep(&pods, dst), port, protocol };
            let d = np.decide(&c);
            assert_eq!(d.allowed, want, "{}\n{src} -> {dst} {protocol}/{port}\n{d}", g.section);
            assert_eq!(np_rev.allows(&c), want, "{} (reversed order)\n{src} -> {dst}", g.section);
            rows += 1;
        }
    }
    assert!(rows >= 120, "{rows} rows");
}

// --- explanations ------------------------------------------------------------------

fn explain(policies: Vec<NetworkPolicy>, src: &str, dst: &str, protocol: Protocol, p: u16) -> String {
    let (namespaces, pods) = cluster();
    let np = NetworkPolicies::new(&namespaces, pods.clone(), policies, PolicyOptions::default());
    np.decide(&Connection { src: ep(&pods, src), dst: ep(&pods, dst), port: p, protocol }).to_string()
}

fn api_allow() -> NetworkPolicy {
    policy(
        "prod",
        "api-allow",
        sel(&[("app", "api")]),
        I,
        vec![rule(vec![pods(sel(&[("app", "frontend")]))], vec![num(Tcp, 80)])],
        vec![],
    )
}

#[test]
fn explains_a_peer_that_does_not_match() {
    expect_test::expect![[r#"
        denied: prod/web-0 -> prod/api-0 TCP/80
          egress prod/web-0: not isolated (no NetworkPolicy in its namespace selects it for egress)
          ingress prod/api-0: denied: isolated by prod/api-allow and no rule admits it
            closest: prod/api-allow rule ingress[0] admits pods labelled app=frontend in namespace prod, but the source pod prod/web-0 has app=web
    "#]]
    .assert_eq(&explain(vec![api_allow()], "prod/web-0", "prod/api-0", Tcp, 80));
}

#[test]
fn explains_a_port_and_a_protocol_that_do_not_match() {
    let p = policy(
        "prod",
        "api-allow",
        sel(&[("app", "api")]),
        I,
        vec![rule(vec![pods(sel(&[("app", "web")]))], vec![num(Tcp, 80), named(Tcp, "metrics")])],
        vec![],
    );
    expect_test::expect![[r#"
        denied: prod/web-0 -> prod/api-0 TCP/8080
          egress prod/web-0: not isolated (no NetworkPolicy in its namespace selects it for egress)
          ingress prod/api-0: denied: isolated by prod/api-allow and no rule admits it
            closest: prod/api-allow rule ingress[0] admits TCP port 80, TCP port "metrics" (= 9090 on prod/api-0), but the connection is to TCP port 8080
    "#]]
    .assert_eq(&explain(vec![p.clone()], "prod/web-0", "prod/api-0", Tcp, 8080));
    expect_test::expect![[r#"
        denied: prod/web-0 -> prod/api-0 UDP/80
          egress prod/web-0: not isolated (no NetworkPolicy in its namespace selects it for egress)
          ingress prod/api-0: denied: isolated by prod/api-allow and no rule admits it
            closest: prod/api-allow rule ingress[0] admits TCP port 80, TCP port "metrics" (= 9090 on prod/api-0), but the connection uses UDP
    "#]]
    .assert_eq(&explain(vec![p], "prod/web-0", "prod/api-0", Udp, 80));
}

#[test]
fn explains_the_dns_pitfall_and_an_allowed_connection() {
    expect_test::expect![[r#"
        denied: prod/web-0 -> kube-system/coredns-0 UDP/53
          egress prod/web-0: denied: isolated by prod/default-deny-egress and none of them has an egress rule (default deny)
          ingress kube-system/coredns-0: not isolated (no NetworkPolicy in its namespace selects it for ingress)
    "#]]
    .assert_eq(&explain(vec![deny_egress("prod")], "prod/web-0", "kube-system/coredns-0", Udp, 53));
    let dns = policy(
        "prod",
        "allow-dns",
        all(),
        E,
        vec![],
        vec![rule(vec![nss(sel(&[("kubernetes.io/metadata.name", "kube-system")]))], vec![num(Udp, 53)])],
    );
    expect_test::expect![[r#"
        allowed: prod/web-0 -> kube-system/coredns-0 UDP/53
          egress prod/web-0: allowed by prod/allow-dns rule egress[0] (isolated by prod/default-deny-egress, prod/allow-dns)
          ingress kube-system/coredns-0: not isolated (no NetworkPolicy in its namespace selects it for ingress)
    "#]]
    .assert_eq(&explain(vec![deny_egress("prod"), dns.clone()], "prod/web-0", "kube-system/coredns-0", Udp, 53));
    expect_test::expect![[r#"
        denied: prod/web-0 -> 8.8.8.8 UDP/53
          egress prod/web-0: denied: isolated by prod/default-deny-egress, prod/allow-dns and no rule admits it
            closest: prod/allow-dns rule egress[0] admits all pods in namespaces labelled kubernetes.io/metadata.name=kube-system, but the destination 8.8.8.8 is not a pod, and pod and namespace selectors only match pods
          ingress 8.8.8.8: not a pod, no NetworkPolicy applies
    "#]]
    .assert_eq(&explain(vec![deny_egress("prod"), dns], "prod/web-0", "8.8.8.8", Udp, 53));
}

#[test]
fn explains_namespace_and_ip_block_misses_and_self_traffic() {
    let p = policy(
        "default",
        "and",
        sel(&[("role", "db")]),
        I,
        vec![rule(
            vec![
                both(sel(&[("user", "alice")]), sel(&[("role", "client")])),
                ip_block("172.17.0.0/16", &["172.17.1.0/24"]),
            ],
            vec![],
        )],
        vec![],
    );
    expect_test::expect![[r#"
        denied: default/client -> default/db TCP/6379
          egress default/client: not isolated (no NetworkPolicy in its namespace selects it for egress)
          ingress default/db: denied: isolated by default/and and no rule admits it
            closest: default/and rule ingress[0] admits pods labelled role=client in namespaces labelled user=alice or addresses in 172.17.0.0/16 except 172.17.1.0/24, but the source pod default/client has role=client and is in namespace default with no user label and has IP 10.0.0.13 (`from` has 2 peers and one matching peer is enough: the peer with namespaceSelector and podSelector does not match (its namespaceSelector does not match, its podSelector matches), the ipBlock peer does not match)
    "#]]
    .assert_eq(&explain(vec![p], "default/client", "default/db", Tcp, 6379));
    expect_test::expect![[r#"
        allowed: prod/web-0 -> prod/web-0 TCP/8080
          a pod can always reach itself: NetworkPolicy cannot block it
    "#]]
    .assert_eq(&explain(vec![deny_ingress("prod")], "prod/web-0", "prod/web-0", Tcp, 8080));
}

#[test]
fn matrix_cells_explain_themselves() {
    let (namespaces, pods) = cluster();
    let np = NetworkPolicies::new(&namespaces, pods.clone(), vec![api_allow()], PolicyOptions::default());
    let m = np.reachability(80, Tcp, &[Ipv4Addr::new(8, 8, 8, 8)]);
    let api = pods.iter().position(|p| p.name == "api-0" && p.namespace == "prod").unwrap();
    // Everyone but prod/api-0 itself is denied into prod/api-0; the rest is open.
    assert_eq!(m.denied_count(), pods.len());
    let web = pods.iter().position(|p| p.name == "web-0").unwrap();
    assert!(!m.allowed(web, api));
    let d = m.decision(&np, web, api).unwrap();
    assert!(!d.allowed && d.ingress.selected_by[0].name == "api-allow");
    let pairs = m.allowed_pairs();
    assert_eq!(pairs.len(), m.allowed_count());
    assert!(pairs.contains(&("8.8.8.8".to_string(), "prod/web-0".to_string())));
}
