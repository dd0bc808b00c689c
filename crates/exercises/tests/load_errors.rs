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

/// `line:col` of a byte offset.
fn at(text: &str, offset: usize) -> String {
    let (line, col) = manifest::line_col(text, offset);
    format!("{line}:{col}")
}

#[test]
fn diagnostics_of_broken_checks() {
    let mut out = String::new();
    for (name, checks) in CASES {
        let text = exercise(checks);
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
