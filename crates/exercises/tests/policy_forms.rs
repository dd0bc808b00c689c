//! A `policy` check's ports and outside ends: a named container port (resolved on each
//! destination pod, as a NetworkPolicy's named port is), a range (every port of it, the
//! failing one named), and egress to `outside/<ip>` or `outside/<cidr>` (every address of
//! it). From the docs' NetworkPolicy semantics:
//! https://kubernetes.io/docs/concepts/services-networking/network-policies/ (ipBlock with
//! `except`; `endPort` ranges, "Targeting a range of ports"; named ports refer to the
//! destination pod's container ports).

use exercises::{grade, load};
use manifest::SourceFile;

const CLUSTER: &str = "apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec:
  containers:
    - name: api
      image: api
      ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
spec:
  containers: [{name: c, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec:
  containers: [{name: db, image: postgres, ports: [{containerPort: 5432}]}]
";

/// The API admits the client on its `http` port and on 8000-8004; the client may leave
/// for 10.0.0.0/8 but 10.1.0.0/16 on 443, and for the API.
const POLICIES: &str = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-in, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
  ingress:
    - from: [{podSelector: {matchLabels: {app: client}}}]
      ports: [{port: http}, {port: 8000, endPort: 8004}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: client-out, namespace: shop}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress:
    - to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]
      ports: [{port: 443}]
    - to: [{podSelector: {matchLabels: {app: api}}}]
";

fn indent(text: &str, by: usize) -> String {
    text.lines().map(|l| format!("{}{l}\n", " ".repeat(by))).collect()
}

/// (passed, explanation) of one `policy` check (its fields).
fn judge(fields: &str) -> (bool, String) {
    let text = format!(
        "id: policy-forms\nchapter: checks\ntitle: Policy\nlevel: beginner\nconcepts: [X5]\nstory: s\ncluster: |\n{}files:\n  - name: policy.yaml\n    text: |\n{}checks:\n  - title: t\n    policy: {{{fields}}}\nhints: [a, b]\nsolution:\n  - name: policy.yaml\n    text: |\n{}",
        indent(CLUSTER, 2),
        indent(POLICIES, 6),
        indent(POLICIES, 6)
    );
    let loaded = load("policy.yaml", &text);
    let ex = loaded.exercise.unwrap_or_else(|| panic!("{text}\n{:#?}", loaded.diagnostics));
    let files = [SourceFile { name: "policy.yaml".into(), text: POLICIES.into() }];
    let r = grade(&ex, &files).results.remove(0);
    (r.passed, r.explanation)
}

const CLIENT_TO_API: &str = "{from: pod/shop/client, to: pod/shop/api}";

/// (the check's fields, passes, said).
const CASES: &[(&str, bool, &str)] = &[
    // A named port: the destination pod's container port of that name.
    ("port: http, allow: [CLIENT_TO_API]", true, "the 1 connection on TCP/http is as expected"),
    ("port: metrics, allow: [CLIENT_TO_API]", false, "Port metrics (9090 on shop/api): shop/client -> shop/api on TCP/9090 should be allowed, but it is denied"),
    ("port: http, allow: [{from: pod/shop/client, to: pod/shop/db}]", false, "pod shop/db declares no TCP container port named `http`"),
    // A range: every port of it; the first that fails is named.
    ("port: 8000-8004, allow: [CLIENT_TO_API]", true, "all 5 connections on TCP/8000-8004 are as expected"),
    ("port: 8000-8010, allow: [CLIENT_TO_API]", false, "Port 8005 of 8000-8010: shop/client -> shop/api on TCP/8005 should be allowed, but it is denied"),
    ("port: 8005-8010, deny: [CLIENT_TO_API]", true, "all 6 connections on TCP/8005-8010 are as expected"),
    ("port: 8004-8005, allow: [CLIENT_TO_API]", false, "Port 8005 of 8004-8005"),
    ("port: 1-65535, allow: [CLIENT_TO_API]", false, "Port 1 of 1-65535: shop/client -> shop/api on TCP/1 should be allowed"),
    ("port: 1-65535, deny: [{from: pod/shop/db, to: pod/shop/api}]", true, "all 65535 connections on TCP/1-65535 are as expected"),
    ("port: 7990-8000, deny: [CLIENT_TO_API]", false, "Port 8000 of 7990-8000: shop/client -> shop/api on TCP/8000 should be denied, but it is allowed"),
    // Egress to an address, and to every address of a CIDR.
    ("port: 443, allow: [{from: pod/shop/client, to: outside/10.2.3.4}]", true, "the 1 connection on TCP/443 is as expected"),
    ("port: 443, deny: [{from: pod/shop/client, to: outside/10.1.2.3}]", true, "the 1 connection on TCP/443 is as expected"),
    ("port: 443, allow: [{from: pod/shop/client, to: outside/10.2.0.0/16}]", true, "the 1 connection on TCP/443 is as expected"),
    ("port: 443, allow: [{from: pod/shop/client, to: outside/10.0.0.0/8}]", false, "shop/client -> 10.1.0.0 on TCP/443 should be allowed, but it is denied"),
    ("port: 443, deny: [{from: pod/shop/client, to: outside/10.1.0.0/16}, {from: pod/shop/client, to: outside/192.0.2.0/24}]", true, "all 2 connections on TCP/443 are as expected"),
    ("port: 443, deny: [{from: pod/shop/client, to: outside/0.0.0.0/0}]", false, "shop/client -> 10.0.0.0 on TCP/443 should be denied, but it is allowed"),
    ("port: 8080, deny: [{from: outside/203.0.113.0/24, to: pod/shop/api}]", true, "the 1 connection on TCP/8080 is as expected"),
];

#[test]
fn named_ports_ranges_and_outside_ends() {
    let mut wrong = Vec::new();
    for (fields, passes, said) in CASES {
        let (passed, explanation) = judge(&fields.replace("CLIENT_TO_API", CLIENT_TO_API));
        if passed != *passes || !explanation.contains(said) {
            wrong.push(format!("{fields}: passed {passed}: {explanation}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A range's verdict is the verdict of each of its ports: windows of 7990-8010 (the
/// `endPort` range's edge), 8075-8085 (the named port `http`, 8080) and 9085-9095 (`metrics`,
/// not admitted), against each port's own check.
#[test]
fn a_range_holds_exactly_when_each_port_does() {
    let allowed = |port: u16| {
        let (passed, _) = judge(&format!("port: {port}, allow: [{CLIENT_TO_API}]"));
        passed
    };
    for (lo, hi) in [(7990u16, 8010u16), (8075, 8085), (9085, 9095)] {
        let each: Vec<bool> = (lo..=hi).map(allowed).collect();
        for a in lo..=hi {
            for b in (a..=hi).step_by(3) {
                let all = each[usize::from(a - lo)..=usize::from(b - lo)].iter().all(|x| *x);
                let none = each[usize::from(a - lo)..=usize::from(b - lo)].iter().all(|x| !*x);
                let (allow, _) = judge(&format!("port: {a}-{b}, allow: [{CLIENT_TO_API}]"));
                let (deny, _) = judge(&format!("port: {a}-{b}, deny: [{CLIENT_TO_API}]"));
                assert_eq!((allow, deny), (all, none), "{a}-{b}");
            }
        }
    }
}
