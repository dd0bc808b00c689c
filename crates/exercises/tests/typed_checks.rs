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
