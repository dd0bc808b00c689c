//! The forms that keep a check honest: `by:` (what stopped a request), `dns-timeout` and
//! NXDOMAIN as their own outcomes, every pod of a `pods/` client set (`any_client: true` for
//! one), a DNS question that must first reach its server (`ignore_policy: true` for the
//! resolver's answer alone), and the warning of `exercises::review`.

use exercises::{grade, load, review, Exercise};
use manifest::SourceFile;

const CLUSTER: &str = "
    apiVersion: v1
    kind: Namespace
    metadata: {name: shop}
    ---
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: client, namespace: shop}
    spec:
      serviceName: client
      replicas: 2
      selector: {matchLabels: {app: client}}
      template:
        metadata: {labels: {app: client}}
        spec:
          containers: [{name: c, image: busybox}]
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web, namespace: shop}
    spec:
      replicas: 1
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]";

const SERVICE: &str = "
    apiVersion: v1
    kind: Service
    metadata: {name: web, namespace: shop}
    spec:
      selector: {app: web}
      ports: [{port: 80, targetPort: 8080}]";

/// Ingress to the web pods closed.
const DENY_WEB: &str = "
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: deny-web, namespace: shop}
    spec:
      podSelector: {matchLabels: {app: web}}
      policyTypes: [Ingress]";

/// Egress of the client pods closed, DNS included (`selector` picks which).
fn deny_egress(selector: &str) -> String {
    format!(
        "
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {{name: deny-egress, namespace: shop}}
    spec:
      podSelector: {{matchLabels: {{{selector}}}}}
      policyTypes: [Egress]"
    )
}

fn block(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| format!("{pad}{}\n", &l[4..])).collect()
}

/// An exercise over `CLUSTER` whose one file, `policy.yaml`, starts as `start` and is solved
/// by `solution`; `checks` are YAML list items indented by two.
fn exercise(start: &str, solution: &str, checks: &str) -> Exercise {
    let text = format!(
        "id: forms\nchapter: checks\ntitle: Forms\nlevel: beginner\nconcepts: [S1]\nstory: s\ncluster: |\n{}files:\n  - name: policy.yaml\n    text: |\n{}checks:\n{checks}hints: [a, b]\nsolution:\n  - name: policy.yaml\n    text: |\n{}",
        block(CLUSTER, 2),
        block(start, 6),
        block(solution, 6)
    );
    let loaded = load("forms.yaml", &text);
    loaded.exercise.unwrap_or_else(|| panic!("{text}\n{:#?}", loaded.diagnostics))
}

/// Each check's (passed, explanation) with `policy.yaml` holding `file`.
fn results(file: &str, checks: &str) -> Vec<(bool, String)> {
    let ex = exercise(file, file, checks);
    let files = [SourceFile { name: "policy.yaml".into(), text: block(file, 0) }];
    grade(&ex, &files).results.into_iter().map(|r| (r.passed, r.explanation)).collect()
}

fn request(from: &str, to: &str, rest: &str) -> String {
    format!("  - title: \"{to} {rest}\"\n    request: {{from: {from}, to: {to}, {rest}}}\n")
}

#[test]
fn by_names_what_stopped_the_request() {
    let file = format!("{SERVICE}\n    ---{DENY_WEB}");
    let checks = [
        request("pod/shop/client-0", "http://web", "expect: dropped, by: networkpolicy"),
        request("pod/shop/client-0", "http://web", "expect: dropped, by: networkpolicy/shop/deny-web"),
        request("pod/shop/client-0", "http://web", "expect: blocked, by: networkpolicy"),
        request("pod/shop/client-0", "http://web", "expect: dropped, by: networkpolicy/shop/other"),
        request("pod/shop/client-0", "http://web", "expect: dropped, by: traffic-policy"),
        request("pod/shop/client-0", "http://web", "expect: blocked, by: no-endpoints"),
    ]
    .concat();
    let r = results(&file, &checks);
    assert!(r[0].0 && r[1].0 && r[2].0, "{r:#?}");
    assert!(!r[3].0 && r[3].1.contains("Expected dropped by networkpolicy/shop/other, but it is dropped by NetworkPolicy shop/deny-web"), "{r:#?}");
    assert!(
        !r[4].0
            && r[4].1.contains(
                "Expected dropped by traffic-policy, but it is dropped by NetworkPolicy shop/deny-web"
            ),
        "{r:#?}"
    );
    assert!(!r[5].0 && r[5].1.contains("Expected blocked by no-endpoints"), "{r:#?}");
}

#[test]
fn a_name_that_does_not_exist_is_never_blocked() {
    let checks = [
        request("pod/shop/client-0", "http://wbe", "expect: blocked"),
        request("pod/shop/client-0", "http://wbe", "expect: name-not-found"),
    ]
    .concat();
    let r = results(SERVICE, &checks);
    assert!(!r[0].0 && r[0].1.contains("Expected blocked, got: name not found"), "{r:#?}");
    assert!(r[1].0, "{r:#?}");
}

#[test]
fn a_lookup_that_times_out_is_not_a_dropped_connection() {
    let file = format!("{SERVICE}\n    ---{}", deny_egress("app: client"));
    let checks = [
        request("pod/shop/client-0", "http://web", "expect: dropped"),
        request("pod/shop/client-0", "http://web", "expect: dns-timeout"),
        request("pod/shop/client-0", "http://web", "expect: blocked, by: dns"),
        request("pod/shop/client-0", "http://web", "expect: blocked, by: networkpolicy"),
        request("pod/shop/client-0", "http://web", "expect: blocked"),
    ]
    .concat();
    let r = results(&file, &checks);
    assert!(!r[0].0 && r[0].1.contains("Expected dropped, but the DNS lookup of web times out"), "{r:#?}");
    assert!(r[1].0 && r[2].0 && r[4].0, "{r:#?}");
    assert!(!r[3].0 && r[3].1.contains("but it is stopped at DNS: the lookup times out"), "{r:#?}");
}

#[test]
fn every_pod_of_a_set_is_a_client_unless_any_client() {
    let file = format!("{SERVICE}\n    ---{}", deny_egress("statefulset.kubernetes.io/pod-name: client-1"));
    let checks = [
        request("pods/shop/app=client", "http://web", "expect: delivered"),
        request("pods/shop/app=client", "http://web", "expect: delivered, any_client: true"),
        request("pods/shop/app=client", "http://web", "expect: blocked"),
        request("pods/shop/app=client", "http://web", "expect: blocked, any_client: true"),
    ]
    .concat();
    let r = results(&file, &checks);
    assert!(
        !r[0].0 && r[0].1.contains("(it fails from shop/client-1: 1 of the 2 pods of pods/shop/app=client)"),
        "{r:#?}"
    );
    assert!(r[1].0 && r[1].1.contains("it fails from shop/client-1"), "{r:#?}");
    assert!(!r[2].0 && r[2].1.contains("it fails from shop/client-0"), "{r:#?}");
    assert!(r[3].0, "{r:#?}");
    // A set that matches no pod of the solution's cluster does not load (tests/load_errors.rs).
}

#[test]
fn a_dns_question_must_first_reach_the_dns_server() {
    let file = format!("{SERVICE}\n    ---{}", deny_egress("statefulset.kubernetes.io/pod-name: client-1"));
    let dns = |rest: &str| {
        format!("  - title: \"dns {rest}\"\n    dns: {{from: pods/shop/app=client, name: web, expect: service/shop/web{rest}}}\n")
    };
    let checks =
        [dns(""), dns(", any_client: true"), dns(", ignore_policy: true"), dns(", expect: nxdomain")]
            .concat();
    let checks = checks.replace("expect: service/shop/web, expect: nxdomain", "expect: nxdomain");
    let r = results(&file, &checks);
    assert!(!r[0].0, "{r:#?}");
    assert!(
        r[0].1.contains("Pod shop/client-1 cannot reach the cluster DNS (the kube-dns Service) at 10.96.0.10:53/UDP, so the lookup of web times out"),
        "{r:#?}"
    );
    assert!(r[0].1.contains("(it fails from shop/client-1: 1 of the 2 pods"), "{r:#?}");
    assert!(r[1].0 && r[2].0, "{r:#?}");
    assert!(!r[3].0, "an unreachable DNS server is no NXDOMAIN either: {r:#?}");
}

#[test]
fn review_warns_when_a_negative_check_changes_its_cause() {
    // The starting files: a Service whose selector has a typo (no endpoints); the solution:
    // the Service fixed, behind a policy that closes it. Both block the request.
    let start = SERVICE.replace("{app: web}", "{app: wbe}");
    let solution = format!("{SERVICE}\n    ---{DENY_WEB}");
    let checks = |by: &str| {
        format!(
            "  - title: no selector typo\n    object: {{kind: Service, namespace: shop, name: web, fields: {{spec.selector.app: web}}}}\n{}",
            request("pod/shop/client-0", "http://web", &format!("expect: blocked{by}"))
        )
    };
    let warned = review(&exercise(&start, &solution, &checks("")));
    assert!(warned.problems.is_empty(), "{warned:#?}");
    let [w] = warned.warnings.as_slice() else { panic!("one warning: {warned:#?}") };
    assert_eq!(w.place, exercises::Place::Check(1), "{w:?}");
    let w = &w.message;
    assert!(w.contains("holds for the starting files (no-endpoints) and for the solution (networkpolicy), for different causes"), "{w}");
    let honest = review(&exercise(&start, &solution, &checks(", by: networkpolicy")));
    assert!(honest.problems.is_empty() && honest.warnings.is_empty(), "{honest:#?}");
}

#[test]
fn the_causes_of_a_stop_are_read_from_the_trace() {
    let checks = [
        request("pod/shop/client-0", "web:81", "expect: dropped, by: no-service-port"),
        request("pod/shop/client-0", "pod/shop/web", "port: 9090, expect: blocked, by: refused"),
        request("pod/shop/client-0", "http://web", "expect: blocked, by: refused"),
    ]
    .concat();
    let r = results(SERVICE, &checks);
    assert!(r[0].0 && r[1].0, "{r:#?}");
    assert!(!r[2].0 && r[2].1.contains("Expected blocked, got: delivered"), "{r:#?}");
    let ex = exercise(SERVICE, SERVICE, &checks);
    let files = [SourceFile { name: "policy.yaml".into(), text: block(SERVICE, 0) }];
    let causes: Vec<Vec<String>> = grade(&ex, &files).results.into_iter().map(|r| r.causes).collect();
    assert_eq!(causes, [vec!["no-service-port".to_string()], vec!["refused".into()], vec![]]);
}
