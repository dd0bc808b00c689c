//! Where the terminal and the composer start in each shipped exercise, and what the
//! terminal's first line suggests there.
#![allow(clippy::disallowed_methods)] // Not in the wasm: the standard sort is fine (clippy.toml).
#[path = "../../exercises/tests/common/mod.rs"]
mod common;

use exercises::{
    cluster, default_source, solution_files, starting_files, terminal_namespace, Exercise, File,
};
use kubectl::Session;

fn exercise(path: &str) -> Exercise {
    common::load_exercise(&common::root().join(path))
}

/// Every command the first line suggests, in every shipped exercise, answers without error
/// in the exercise's solution cluster, whether suggested at the start or once solved (the
/// first line is written when the exercise opens, with the learner's files of that moment),
/// and in the cluster it was suggested for. Suggested once solved, its request reaches a
/// name that resolves.
#[test]
fn every_suggested_command_answers_in_every_exercise() {
    let curriculum = common::curriculum();
    assert_eq!(curriculum.len(), 77);
    let mut requests = 0;
    for (path, ex) in &curriculum {
        let solved = cluster(ex, &solution_files(ex));
        for (when, files) in [("start", starting_files(ex)), ("solution", solution_files(ex))] {
            let c = cluster(ex, &files);
            let session = Session::new(terminal_namespace(ex, &files));
            let from = default_source(ex, &c);
            let tries = kubectl::suggestions(&c, &session, from.as_deref());
            assert!(tries.len() == 2, "{path}: every exercise has pods to ask from: {tries:?}");
            for line in &tries {
                for (which, c) in [(when, &c), ("solution", &solved)] {
                    let a = kubectl::run(c, &mut session.clone(), line);
                    assert!(
                        a.ok,
                        "{path}: `{line}`, suggested at the {when}, fails in the {which}: {}",
                        a.output
                    );
                    if when == "solution" {
                        assert!(
                            !a.output.contains("Could not resolve host"),
                            "{path}: `{line}`: {}",
                            a.output
                        );
                    }
                }
                requests += usize::from(line.contains("-- curl "));
            }
            let intro = kubectl::intro(&c, &session, from.as_deref());
            assert!(intro.contains(&format!("namespace {}", session.namespace)), "{path}: {intro}");
        }
    }
    assert!(requests >= 90, "most exercises suggest a request through a Service ({requests} of 114)");
}

/// The terminal starts in the namespace of the learner's first object, else of the
/// cluster's first Pod or workload, else `default`.
#[test]
fn the_terminal_starts_where_the_exercise_is() {
    let radio = exercise("09-network-policy/00-isolate-the-playout-server.yaml");
    let files = |text: &str| vec![manifest::SourceFile { name: "policy.yaml".into(), text: text.into() }];
    let svc = |ns: &str| {
        format!("apiVersion: v1\nkind: Service\nmetadata: {{name: s, namespace: {ns}}}\nspec: {{ports: [{{port: 80}}]}}\n")
    };
    let policy = |ns: &str| {
        format!("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: p, namespace: {ns}}}\nspec: {{podSelector: {{}}}}\n")
    };
    let namespace = "apiVersion: v1\nkind: Namespace\nmetadata: {name: first}\n";
    let cases = [
        ("the starting comment: the cluster's first Pod", files("# nothing yet\n"), "radio"),
        (
            "a NetworkPolicy then a Service: the first one",
            files(&format!("{}---\n{}", policy("b"), svc("a"))),
            "b",
        ),
        ("a Service then a NetworkPolicy", files(&format!("{}---\n{}", svc("a"), policy("b"))), "a"),
        ("a Namespace has none", files(&format!("{namespace}---\n{}", svc("c"))), "c"),
        (
            "no namespace is default",
            files("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n"),
            "default",
        ),
    ];
    for (what, files, want) in cases {
        assert_eq!(terminal_namespace(&radio, &files), want, "{what}");
    }
    let mut empty = radio.clone();
    empty.cluster = namespace.into();
    assert_eq!(terminal_namespace(&empty, &[]), "default", "no object anywhere");
    empty.files = vec![File { name: "policy.yaml".into(), text: policy("late") }];
    assert_eq!(terminal_namespace(&empty, &starting_files(&empty)), "late");
    let shipped = [
        ("01-why-services/00-first-service.yaml", "default"),
        ("03-dns/02-vendor-short-name.yaml", "shop"),
        ("11-capstones/01-lock-down-three-tiers.yaml", "sproutly"),
    ];
    for (path, want) in shipped {
        let ex = exercise(path);
        assert_eq!(terminal_namespace(&ex, &starting_files(&ex)), want, "{path}");
    }
}

/// The composer sends from the first pod a check sends from: a request's, a DNS
/// question's or a policy pair's `from`, never the Ingress controller; nothing when every
/// check sends from outside.
#[test]
fn the_composer_starts_from_the_pod_the_checks_send_from() {
    let radio = exercise("09-network-policy/00-isolate-the-playout-server.yaml");
    let start = cluster(&radio, &starting_files(&radio));
    let from = default_source(&radio, &start).expect("a pod");
    assert!(from.starts_with("pod/radio/scheduler-"), "{from}");
    let museum = exercise("04-nodeport/02-museum-kiosk-port.yaml");
    assert_eq!(default_source(&museum, &cluster(&museum, &starting_files(&museum))), None);
    let mut pods = 0;
    for (path, ex) in common::curriculum() {
        let c = cluster(&ex, &starting_files(&ex));
        if let Some(id) = default_source(&ex, &c) {
            assert!(c.pods.iter().any(|p| p.id() == id && !p.built_in), "{path}: {id}");
            pods += 1;
        }
    }
    assert!(pods >= 45, "most exercises send from a pod ({pods})");
}
