//! A loaded check is typed: one kind, its references parsed, each with its text as written
//! and its place in the exercise file.

use exercises::check::CheckKind;
use exercises::refs::{self, ClientRef, LandsOn, PodSet, TargetRef};
use exercises::{load, CheckFile};

#[test]
fn the_template_s_checks_are_typed() {
    let text = include_str!("../../cli/src/template.yaml")
        .replace("{{id}}", "typed")
        .replace("{{chapter}}", "checks");
    let ex = load("template.yaml", &text).exercise.expect("the template loads");
    let [valid, request] = ex.checks.as_slice() else { panic!("two checks: {:?}", ex.checks) };
    assert_eq!(valid.title, "The files are valid");
    assert!(matches!(&valid.kind, CheckKind::Valid(v) if v.warnings));
    let CheckKind::Request(r) = &request.kind else { panic!("a request: {:?}", request.kind) };
    assert_eq!(r.from.value, ClientRef::Pod { namespace: "default".into(), name: "client".into() });
    assert_eq!(r.from.text, "pod/default/client");
    assert_eq!(&text[r.from.start..r.from.end], "pod/default/client");
    assert_eq!(r.to.value, TargetRef::Raw("http://web".into()));
    let lands_on = r.lands_on.as_ref().expect("lands_on");
    let selector = refs::selector("app=web").expect("a selector");
    assert_eq!(lands_on.value, LandsOn::Pods(PodSet::Pods { namespace: "default".into(), selector }));
    assert_eq!(&text[lands_on.start..lands_on.end], "pods/default/app=web");
    assert_eq!(lands_on.to_string(), "pods/default/app=web");
    assert_eq!(r.protocol, netsim::Protocol::Tcp);
    assert_eq!((r.port, r.on_port), (None, Some(8080)));
}

#[test]
fn the_kinds_are_the_fields_of_a_written_check() {
    assert_eq!(
        CheckFile::kind_keys(),
        [
            "request",
            "dns",
            "policy",
            "ingress",
            "gateway",
            "route_status",
            "replay",
            "object",
            "valid",
            "unchanged",
            "env",
            "kube_proxy",
            "load_balancer",
            "answer"
        ]
    );
}

#[test]
fn the_new_forms_are_typed_with_their_places() {
    let template = include_str!("../../cli/src/template.yaml")
        .replace("{{id}}", "typed")
        .replace("{{chapter}}", "checks");
    let checks = "checks:
  - title: arrival
    request: {from: pod/default/client, to: http://web, expect: delivered, sees_source: client, lands_on: same-node, on_node: node-2}
  - title: load balancer
    load_balancer: {service: default/web, nodes: [node-1, node-3]}
  - title: policy
    policy: {port: 8000-8010, allow: [{from: pod/default/client, to: outside/10.0.0.0/8}]}
";
    let (head, rest) = template.split_once("checks:\n").expect("checks");
    let (_, tail) = rest.split_once("\n# From gentle").expect("hints");
    let text = format!("{head}{checks}\n# From gentle{tail}");
    let loaded = load("typed.yaml", &text);
    let ex = loaded.exercise.unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics));
    let [arrival, lb, policy] = ex.checks.as_slice() else { panic!("three checks") };
    let CheckKind::Request(r) = &arrival.kind else { panic!("a request") };
    assert_eq!(r.sees_source.as_ref().map(|s| s.value), Some(refs::SeenSource::Client));
    assert_eq!(r.lands_on.as_ref().map(|l| &l.value), Some(&LandsOn::SameNode));
    let on_node = r.on_node.as_ref().expect("on_node");
    assert_eq!(&text[on_node.start..on_node.end], "node-2");
    let CheckKind::LoadBalancer(l) = &lb.kind else { panic!("a load_balancer") };
    let nodes: Vec<&str> = l.nodes.iter().map(|n| &text[n.start..n.end]).collect();
    assert_eq!((l.service.to_string(), nodes), ("default/web".to_string(), vec!["node-1", "node-3"]));
    let CheckKind::Policy(p) = &policy.kind else { panic!("a policy") };
    assert_eq!(p.port.value, refs::PolicyPort::Range(8000, 8010));
    assert_eq!(&text[p.port.start..p.port.end], "8000-8010");
    let to = &p.allow[0].to;
    assert!(matches!(to.value, PodSet::Outside(c) if c.prefix == 8), "{to:?}");
}
