//! A request check's HTTP keys: `host:` (the Host header sent, to any address: curl's
//! `-H 'Host: …'`), `upstream_path:` (the path the backend receives after ingress-nginx's
//! rewrite-target) and `tls_secret:` (the Secret whose certificate answers HTTPS at the
//! Ingress controller). From https://kubernetes.io/docs/concepts/services-networking/ingress/#tls
//! (the tls entry's secretName terminates TLS for its hosts), ingress-nginx's rewrite example
//! https://kubernetes.github.io/ingress-nginx/examples/rewrite/ (`/(.*)` captures become the
//! path) and its default SSL certificate (a host without a tls entry gets the controller's
//! self-signed "Fake Certificate"). An `ingress` check takes `tls_secret:` too.

// Requests through a Gateway are tested in netsim (tests/gateway.rs): this crate builds
// netsim without the `gateway-api` feature.
use exercises::{grade, load};
use manifest::SourceFile;

const CLUSTER: &str = "apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: wiki, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: wiki}}
  template:
    metadata: {labels: {app: wiki}}
    spec:
      containers: [{name: w, image: nginx, ports: [{containerPort: 3000}]}]
---
apiVersion: v1
kind: Service
metadata: {name: wiki, namespace: shop}
spec:
  selector: {app: wiki}
  ports: [{port: 80, targetPort: 3000}]";

const INGRESS: &str = "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: wiki
  namespace: shop
  annotations: {nginx.ingress.kubernetes.io/rewrite-target: /$2}
spec:
  ingressClassName: nginx
  tls: [{hosts: [wiki.example], secretName: wiki-tls}]
  rules:
    - host: wiki.example
      http:
        paths:
          - path: /wiki(/|$)(.*)
            pathType: ImplementationSpecific
            backend: {service: {name: wiki, port: {number: 80}}}
    - host: plain.example
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: wiki, port: {number: 80}}}";

fn indent(text: &str, by: usize) -> String {
    text.lines().map(|l| format!("{}{l}\n", " ".repeat(by))).collect()
}

fn exercise(checks: &str) -> String {
    format!(
        "id: proxied\nchapter: checks\ntitle: Proxied\nlevel: beginner\nconcepts: [S1]\nstory: s\ncluster: |\n{}files:\n  - name: ingress.yaml\n    text: |\n{}checks:\n{checks}hints: [a, b]\nsolution:\n  - name: ingress.yaml\n    text: |\n{}",
        indent(CLUSTER, 2),
        indent(INGRESS, 6),
        indent(INGRESS, 6)
    )
}

/// (passed, explanation) of one check of `kind` (`request`, `ingress`) with `fields`.
fn judge(kind: &str, fields: &str) -> (bool, String) {
    let text = exercise(&format!("  - title: t\n    {kind}: {{{fields}}}\n"));
    let loaded = load("proxied.yaml", &text);
    let ex = loaded.exercise.unwrap_or_else(|| panic!("{fields}\n{:#?}", loaded.diagnostics));
    let files = [SourceFile { name: "ingress.yaml".into(), text: INGRESS.into() }];
    let r = grade(&ex, &files).results.remove(0);
    (r.passed, r.explanation)
}

const LB: &str = "from: outside, to: loadbalancer/ingress-nginx/ingress-nginx-controller";

/// (the request's fields, passes, said).
const CASES: &[(&str, bool, &str)] = &[
    // The Host header, sent to the controller's address: the rule of that host answers.
    ("{LB}, port: 80, host: plain.example, expect: delivered", true, "delivered to pod/shop/wiki-"),
    ("{LB}, port: 80, host: nobody.example, expect: not-found", true, "404"),
    ("{LB}, port: 80, expect: delivered", false, "404"),
    // rewrite-target: /wiki/Onboarding reaches the backend as /Onboarding.
    ("from: outside, to: https://wiki.example/wiki/Onboarding, expect: delivered, upstream_path: /Onboarding", true, "the backend receives the path /Onboarding"),
    ("from: outside, to: https://wiki.example/wiki/Onboarding, expect: delivered, upstream_path: /wiki/Onboarding", false, "he backend receives the path /Onboarding, not /wiki/Onboarding"),
    ("from: pod/shop/wiki, to: http://wiki/x, expect: delivered, upstream_path: /y", false, "the backend receives the path /x: no Ingress controller or Gateway on the way rewrote it, not /y"),
    // TLS: the tls entry's Secret for its host; the default certificate for another.
    ("from: outside, to: https://wiki.example/wiki/, expect: delivered, tls_secret: shop/wiki-tls", true, "TLS ended with the certificate of Secret shop/wiki-tls"),
    ("from: outside, to: https://wiki.example/wiki/, expect: delivered, tls_secret: shop/other-tls", false, "TLS ended with the certificate of Secret shop/wiki-tls, not shop/other-tls"),
    ("{LB}, port: 443, host: plain.example, expect: delivered, tls_secret: shop/wiki-tls", false, "self-signed default certificate"),
    ("{LB}, port: 443, host: wiki.example, expect: not-found, tls_secret: shop/wiki-tls", true, "404 Not Found (from the controller's default backend), TLS ended with the certificate of Secret shop/wiki-tls"),
    ("from: pod/shop/wiki, to: service/shop/wiki, port: 443, expect: blocked, tls_secret: shop/wiki-tls", false, "o Ingress controller or Gateway ended TLS on the way"),
];

#[test]
fn host_upstream_path_and_tls_secret() {
    let mut wrong = Vec::new();
    for (fields, passes, said) in CASES {
        let fields = fields.replace("{LB}", LB);
        let (passed, explanation) = judge("request", &fields);
        if passed != *passes || !explanation.contains(said) {
            wrong.push(format!("{fields}: passed {passed}: {explanation}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// An `ingress` check's `tls_secret`: the Secret of the tls entry that lists the host
/// answers HTTPS (https://kubernetes.io/docs/concepts/services-networking/ingress/#tls); a
/// host no tls entry lists gets the controller's self-signed default certificate
/// (https://kubernetes.github.io/ingress-nginx/user-guide/tls/#default-ssl-certificate).
#[test]
fn an_ingress_check_names_the_certificate_that_answers() {
    let cases: &[(&str, bool, &str)] = &[
        ("host: wiki.example, path: /wiki/a, https: true, expect: service/shop/wiki, tls_secret: shop/wiki-tls", true, "TLS ended with the certificate of Secret shop/wiki-tls"),
        ("host: wiki.example, path: /wiki/a, https: true, expect: service/shop/wiki, tls_secret: shop/other-tls", false, "TLS ended with the certificate of Secret shop/wiki-tls, not shop/other-tls"),
        ("host: plain.example, path: /, https: true, expect: service/shop/wiki, tls_secret: shop/wiki-tls", false, "self-signed default certificate"),
        // TLS ends before routing: a host with no rule still gets its certificate.
        ("host: wiki.example, path: /elsewhere, https: true, expect: none, tls_secret: shop/wiki-tls", true, "TLS ended with the certificate of Secret shop/wiki-tls"),
    ];
    let mut wrong = Vec::new();
    for (fields, passes, said) in cases {
        let (passed, explanation) = judge("ingress", fields);
        if passed != *passes || !explanation.contains(said) {
            wrong.push(format!("{fields}: passed {passed}: {explanation}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Counts name what they count: under `externalTrafficPolicy: Local` the load balancer picks
/// node-2 (one local pod) and node-3 (two), so three requests are tried: three paths (a node,
/// then one of its endpoints), not three nodes, nor endpoints kube-proxy picks from.
/// https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/#preserving-the-client-source-ip
#[test]
fn a_count_over_nodes_and_endpoints_says_paths() {
    let pod = |name: &str, node: &str| {
        format!("---\napiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, namespace: shop, labels: {{app: lb}}}}\nspec:\n  nodeName: {node}\n  containers: [{{name: c, image: nginx, ports: [{{containerPort: 80}}]}}]\n")
    };
    let file = format!(
        "apiVersion: v1\nkind: Service\nmetadata: {{name: lb, namespace: shop}}\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: Local\n  selector: {{app: lb}}\n  ports: [{{port: 80}}]\n{}{}{}",
        pod("a", "node-2"),
        pod("b", "node-3"),
        pod("c", "node-3")
    );
    let check = "  - title: t\n    request: {from: outside, to: loadbalancer/shop/lb, expect: delivered, on_node: node-3}\n";
    let text = format!(
        "id: proxied\nchapter: checks\ntitle: Proxied\nlevel: beginner\nconcepts: [S1]\nstory: s\ncluster: |\n{}files:\n  - name: ingress.yaml\n    text: |\n{}checks:\n{check}hints: [a, b]\nsolution:\n  - name: ingress.yaml\n    text: |\n{}",
        indent(CLUSTER, 2),
        indent(&file, 6),
        indent(&file, 6)
    );
    let loaded = load("proxied.yaml", &text);
    let ex = loaded.exercise.unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics));
    let r = grade(&ex, &[SourceFile { name: "ingress.yaml".into(), text: file }]).results.remove(0);
    let said = "(as expected for 2 of the 3 paths: each node the load balancer may pick, then each endpoint kube-proxy may pick)";
    assert!(!r.passed && r.explanation.contains(said), "{}", r.explanation);
}
