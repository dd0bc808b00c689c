//! What an author reads when a check is written wrong: every diagnostic of a set of broken
//! checks, with its code, its place (line and column of both ends) and its words, as one
//! snapshot (`UPDATE_EXPECT=1 cargo test -p exercises --test load_errors` to bless). Each
//! case puts its checks into the template of `switchboard new`.

use exercises::load;
use expect_test::expect_file;

/// The template with `checks` replaced by `checks` (YAML list items, indented by two).
fn exercise(checks: &str) -> String {
    let template = include_str!("../../cli/src/template.yaml")
        .replace("{{id}}", "broken")
        .replace("{{chapter}}", "checks");
    let (head, rest) = template.split_once("\nchecks:\n").expect("the template has checks");
    let (_, tail) = rest.split_once("\n# From gentle").expect("hints follow the checks");
    let files = "  - name: answers.yaml\n    text: |\n      reason: ''\n";
    let head = head.replacen("\nfiles:\n", &format!("\nfiles:\n{files}"), 1);
    format!("{head}\nchecks:\n{checks}\n# From gentle{tail}")
}

/// Checks without a mistake, for the cases whose mistakes are elsewhere.
const CHECKS: &str = "  - title: valid
    valid: {}
";

const CASES: &[(&str, &str)] = &[
    ("no kind", "  - title: nothing to test\n"),
    ("two kinds", "  - title: both\n    valid: {}\n    env: {pod: pods/default/app=web}\n"),
    ("empty title", "  - title: ' '\n    valid: {}\n"),
    (
        "request references",
        "  - title: r
    request:
      from: web
      to: service/web
      protocol: ICMP
      expect: delivered
      lands_on: outside
",
    ),
    (
        "request references, second try",
        "  - title: r
    request:
      from: pod/shop
      to: ''
      expect: delivered
      lands_on: pods/shop/app
  - title: r2
    request:
      from: outside/nope
      to: nodeport/shop
      expect: delivered
  - title: r3
    request:
      from: node/
      to: loadbalancer/shop/web/x
      expect: delivered
",
    ),
    (
        "request references that parse",
        "  - title: r
    request:
      from: outside/203.0.113.7
      to: service/default/web
      protocol: UDP
      port: 53
      expect: delivered
      lands_on: pods/default
",
    ),
    (
        "where a request arrives",
        "  - title: a1
    request: {from: pod/default/client, to: http://web, expect: delivered, sees_source: nobody}
  - title: a2
    request: {from: pod/default/client, to: http://web, expect: delivered, lands_on: same-nod}
  - title: a3
    request: {from: pod/default/client, to: http://web, expect: delivered, on_node: node/node-1}
  - title: a4
    request: {from: pod/default/client, to: http://web, expect: blocked, sees_source: client, on_node: node-1}
  - title: a5
    request: {from: pod/default/client, to: http://web, expect: delivered, sticky: true, lands_on: same-node}
",
    ),
    (
        "where a request arrives, in the solution's cluster",
        "  - title: c1
    request: {from: pod/default/client, to: http://web, expect: delivered, on_node: node-9}
  - title: c2
    request: {from: pod/default/client, to: http://web, expect: delivered, lands_on: pods/default/app=wbe}
  - title: c3
    request: {from: pod/shop/client, to: http://web, expect: delivered, lands_on: pod/default/web, on_node: node-2, sees_source: 10.244.0.1}
",
    ),
    (
        "by: causes",
        "  - title: b1
    request: {from: pod/default/client, to: web, expect: dropped, by: firewall}
  - title: b2
    request: {from: pod/default/client, to: web, expect: dropped, by: networkpolicy/default}
  - title: b3
    request: {from: pod/default/client, to: web, expect: dropped, by: no-endpoints}
  - title: b4
    request: {from: pod/default/client, to: web, expect: delivered, by: networkpolicy}
  - title: b5
    request: {from: pod/default/client, to: web, expect: blocked, by: networkpolicy/default/deny-all}
",
    ),
    (
        "dns references",
        "  - title: d1
    dns: {from: outside, name: web, expect: a}
  - title: d2
    dns: {from: namespace/, name: web, expect: srv/http, qtype: MX}
  - title: d3
    dns: {from: pod/x, name: web, expect: cname/}
  - title: d4
    dns: {from: node/node-1, name: web, expect: 'service/default'}
  - title: d5
    dns: {from: namespace/default, name: web, expect: pods/default/app}
",
    ),
    (
        "policy references",
        "  - title: p1
    policy:
      port: 80
      protocol: tcpp
      allow:
        - {from: web, to: outside}
      deny:
        - {from: outside/1.2.3, to: pods/default/x}
  - title: p2
    policy: {port: 80}
",
    ),
    (
        "policy ports and outside ends",
        "  - title: q1
    policy: {port: 0, allow: [{from: pod/default/client, to: outside/10.0.0.0/33}]}
  - title: q2
    policy: {port: 9000-8000, allow: [{from: outside, to: outside/10.0.0.0/8}]}
  - title: q3
    policy: {port: 1-2000, deny: [{from: pod/default/client, to: pods/default/app=web}]}
  - title: q4
    policy: {port: HTTP!, deny: [{from: pod/default/client, to: pods/default/app=web}]}
  - title: q5
    policy: {port: http, deny: [{from: pod/default/client, to: outside/203.0.113.7}]}
  - title: q6
    policy: {port: 70000, deny: [{from: pod/default/client, to: pods/default/app=web}]}
",
    ),
    (
        "ingress references",
        "  - title: i1
    ingress: {host: shop.example, path: /, expect: 'service/shop/api:http'}
  - title: i2
    ingress: {host: shop.example, path: /, expect: bogus}
  - title: i3
    ingress: {host: shop.example, path: /, expect: service/api}
",
    ),
    (
        "env references",
        "  - title: e1
    env: {pod: outside, has: [WEB_SERVICE_HOST]}
  - title: e2
    env: {pod: 'pods/default/app=web,tier', lacks: [X]}
",
    ),
    (
        "kube_proxy references",
        "  - title: k1
    kube_proxy: {service: web, port: 80, endpoints: 2}
  - title: k2
    kube_proxy: {service: /web, port: 80, endpoints: 2}
  - title: k3
    kube_proxy: {service: 'default/', port: 80, endpoints: 2}
",
    ),
    (
        "request HTTP keys",
        "  - title: h1
    request: {from: outside, to: http://shop.example/, expect: delivered, tls_secret: shop/shop-tls}
  - title: h2
    request: {from: outside, to: https://shop.example/, expect: refused, upstream_path: /x, tls_secret: shop}
  - title: h3
    request: {from: outside, to: shop.example, protocol: UDP, expect: delivered, host: 'a b', upstream_path: x}
",
    ),
    (
        "kube_proxy chains",
        "  - title: k4
    kube_proxy: {service: default/web, port: 80, chain: externl, endpoints: 1}
",
    ),
    (
        "load_balancer references",
        "  - title: l1
    load_balancer: {service: web, nodes: [node-1]}
  - title: l2
    load_balancer: {service: default/web, protocol: ICMP, nodes: [node-1, node-1, node/node-2]}
",
    ),
    (
        "load_balancer nodes in the solution's cluster",
        "  - title: l3
    load_balancer: {service: default/web, nodes: [node-1, node-4]}
",
    ),
    (
        "answer files",
        "  - title: a1
    answer: {file: answer.yaml, key: reason, accept: [selector]}
  - title: a2
    answer: {file: answers.yaml, key: reason, accept: []}
  - title: a3
    answer: {file: answers.yaml, key: reason, set: true, accept: [a, B, b]}
",
    ),
    (
        "two kinds with bad references",
        "  - title: both
    request: {from: web, to: http://web, expect: delivered}
    dns: {from: outside, name: web, expect: nope}
",
    ),
    (
        "one diagnostic for an invalid value",
        "  - title: v1
    request: {from: pod/default/client, to: http://web, expect: deliverd}
  - title: v2
    load_balancer: {service: default/web, nodes: node-1}
",
    ),
    (
        "misspelled keys, in every kind of check",
        "  - title: s1
    request: {src: pod/default/client, to: http://web, expect: delivered}
  - title: s2
    request: {from: pod/default/client, to: http://web, expect: delivered, land_on: pods/default/app=web}
  - title: s3
    dns: {from: pod/default/client, nmae: web, expect: any}
  - title: s4
    policy: {port: 80, allow: [{form: pod/default/client, to: pods/default/app=web}]}
  - title: s5
    ingress: {host: shop.example, pth: /, expect: none}
  - title: s6
    valid: {warning: false}
  - title: s7
    load_balancer: {service: default/web, node: [node-1]}
  - title: s8
    kube_proxy: {service: default/web, port: 80, endpoint: 2}
  - title: s9
    object: {kind: Service, name: web, feilds: {spec.type: ClusterIP}}
  - title: s10
    answer: {file: answers.yaml, key: reason, accepts: [a]}
  - title: s11
    env: {pod: pod/default/client, has: [WEB_SERVICE_HOST], lack: [X]}
  - title: s12
    unchanged: {kind: Deployment, nmae: web}
",
    ),
    (
        "keys that mean nothing where they are",
        "  - title: n1
    request: {from: outside, to: loadbalancer/default/web, node: node-2, expect: delivered}
  - title: n2
    request: {from: pod/default/client, to: http://web, node: node-2, expect: delivered}
  - title: n3
    request: {from: pod/default/client, to: http://web, any_client: true, expect: delivered}
  - title: n4
    request: {from: pod/default/client, to: http://web, on_port: 8080, expect: blocked}
  - title: n5
    ingress: {host: shop.example, path: /, expect: none, upstream_path: /x}
  - title: n5b
    ingress: {host: shop.example, path: /, expect: none, tls_secret: shop/shop-tls}
  - title: n6
    dns: {from: pod/default/client, name: web, expect: any, any_client: true}
  - title: n7
    request: {from: pod/default/client, to: http://web, sticky: true, expect: blocked}
  - title: n8
    request: {from: pod/default/client, to: http://web, sticky: true, any_endpoint: true, expect: delivered}
",
    ),
    (
        "nodes that the solution's cluster does not have",
        "  - title: m1
    request: {from: outside, to: nodeport/default/web, node: node-7, expect: delivered}
  - title: m2
    kube_proxy: {service: default/web, port: 80, endpoints: 2, node: node-9}
",
    ),
    (
        "references that match nothing in the solution's cluster",
        "  - title: x1
    request: {from: pod/default/clint, to: service/default/wbe, expect: delivered}
  - title: x2
    request: {from: pods/default/app=nobody, to: pod/default/nowhere, expect: blocked}
  - title: x3
    request: {from: node/node-8, to: nodeport/shop/web, expect: delivered}
  - title: x4
    dns: {from: pod/default/web, name: web, expect: service/default/api}
  - title: x5
    policy: {port: 80, deny: [{from: pods/default/app=client, to: pods/default/app=db}]}
  - title: x6
    ingress: {host: shop.example, path: /, expect: service/default/shop}
  - title: x7
    env: {pod: pods/other/app=web, has: [X]}
  - title: x8
    kube_proxy: {service: default/api, port: 80, endpoints: 2}
  - title: x9
    load_balancer: {service: default/lb, nodes: []}
",
    ),
    (
        "serde errors",
        "  - title: unknown kind
    reqest: {from: pod/default/client, to: http://web, expect: delivered}
  - title: unknown field
    request: {form: pod/default/client, to: http://web, expect: delivered}
  - valid: {}
  - title: wrong types
    request: {from: pod/default/client, to: http://web, port: '80', expect: deliverd}
",
    ),
    (
        "serde errors and a bad reference",
        "  - title: wrong type
    valid: {warnings: maybe}
  - title: bad reference
    env: {pod: outside}
",
    ),
];

/// Mistakes outside the checks: a name, the template's checks, and (text, replacement) edits
/// of the whole file.
const FILE_CASES: &[(&str, &[(&str, &str)])] = &[
    ("an error inside cluster", &[("    replicas: 2\n", "    replicas: two\n")]),
    (
        "an error inside cluster, after blank lines and a keep indicator",
        &[("cluster: |\n", "cluster: |+\n\n\n"), ("    replicas: 2\n", "    replicas: two\n")],
    ),
    (
        "errors inside cluster, further down",
        &[
            ("- containerPort: 8080\n", "- containerPort: 99999\n"),
            ("  ---\n  apiVersion: v1\n", "  ---\n  apiVersion: v2\n"),
        ],
    ),
];

/// `line:col` of a byte offset.
fn at(text: &str, offset: usize) -> String {
    let (line, col) = manifest::line_col(text, offset);
    format!("{line}:{col}")
}

#[test]
fn diagnostics_of_broken_checks() {
    let mut out = String::new();
    let file_cases = FILE_CASES.iter().map(|(name, edits)| {
        let text = edits.iter().fold(exercise(CHECKS), |t, (from, to)| {
            assert!(t.contains(from), "{name}: the template has no {from:?}");
            t.replacen(from, to, 1)
        });
        (*name, text)
    });
    for (name, text) in CASES.iter().map(|(name, checks)| (*name, exercise(checks))).chain(file_cases) {
        let loaded = load("x.yaml", &text);
        let verdict = if loaded.exercise.is_some() { "loads" } else { "does not load" };
        out.push_str(&format!("## {name}: {verdict}\n"));
        for d in &loaded.diagnostics {
            let quoted = text.get(d.start..d.end).unwrap_or("?").lines().next().unwrap_or("");
            out.push_str(&format!(
                "{}-{} {}[{}]: {}\n    at: {quoted}\n",
                at(&text, d.start),
                at(&text, d.end),
                d.severity.as_str(),
                d.code,
                d.message
            ));
            for h in &d.hints {
                out.push_str(&format!("    hint: {h}\n"));
            }
        }
    }
    expect_file!["load_errors.txt"].assert_eq(&out);
}
