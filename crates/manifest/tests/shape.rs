//! Differential test: the schema table (`manifest::shape`) against k8s-openapi's own
//! `Deserialize` impls (through `manifest::de`), on every manifest the repository holds and on
//! mutations of each: every value replaced by a string, a number, a boolean, null, a list, a
//! mapping, an out-of-range integer; every key misspelt.
//!
//! They must report the same problems (code and byte range; the message too, except where
//! k8s-openapi's visitor for IntOrString, Quantity, a timestamp or base64 words it as "a
//! mapping (IntOrString)", which shape.rs words better), agree on whether the object is
//! usable, and, when it is, shape.rs must build the same values for every field the
//! conversion reads.
#![allow(clippy::disallowed_methods)] // Not in the wasm: the standard sort is fine (clippy.toml).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use k8s_openapi::api::apps::v1 as apps;
use k8s_openapi::api::batch::v1 as batch;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::discovery::v1 as discovery;
use k8s_openapi::api::networking::v1 as networking;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;
use manifest::de::from_node;
use manifest::kinds::{self, Kind};
use manifest::problem::Problem;
use manifest::shape;
use manifest::yaml::{self, Entry, Node, Resolved, Scalar, Value};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml") {
            out.push(p);
        }
    }
}

/// Manifest texts: whole files, and the YAML held in exercise files' string values.
fn manifests() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for dir in [
        "crates/manifest/tests/shape",
        "crates/manifest/tests/cases",
        "crates/cli/tests/contract",
        "web/src/sandbox",
        "exercises",
    ] {
        yaml_files(&root().join(dir), &mut files);
    }
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let name = f.strip_prefix(root()).unwrap_or(&f).display().to_string();
        if name.starts_with("exercises") {
            let mut sink = Vec::new();
            for doc in yaml::parse(&name, &text, &mut sink) {
                embedded(&doc.root, &name, &mut out);
            }
        } else {
            out.push((name, text));
        }
    }
    out
}

fn embedded(node: &Node, name: &str, out: &mut Vec<(String, String)>) {
    match &node.value {
        Value::Scalar(s) if s.text.contains("kind:") => out.push((name.to_string(), s.text.clone())),
        Value::Scalar(_) => {}
        Value::Seq(items) => items.iter().for_each(|n| embedded(n, name, out)),
        Value::Map(entries) => entries.iter().for_each(|e| embedded(&e.value, name, out)),
    }
}

fn meta_of(m: &meta::ObjectMeta) -> meta::ObjectMeta {
    meta::ObjectMeta {
        name: m.name.clone(),
        namespace: m.namespace.clone(),
        labels: m.labels.clone(),
        annotations: m.annotations.clone(),
        ..Default::default()
    }
}

fn pod_spec_of(s: &core::PodSpec) -> core::PodSpec {
    core::PodSpec {
        containers: s
            .containers
            .iter()
            .map(|c| core::Container { name: c.name.clone(), ports: c.ports.clone(), ..Default::default() })
            .collect(),
        dns_policy: s.dns_policy.clone(),
        dns_config: s.dns_config.clone(),
        node_selector: s.node_selector.clone(),
        host_network: s.host_network,
        enable_service_links: s.enable_service_links,
        hostname: s.hostname.clone(),
        subdomain: s.subdomain.clone(),
        node_name: s.node_name.clone(),
        restart_policy: s.restart_policy.clone(),
        ..Default::default()
    }
}

/// A job spec with the fields the conversion reads.
fn job_spec_of(s: &batch::JobSpec) -> batch::JobSpec {
    batch::JobSpec {
        completion_mode: s.completion_mode.clone(),
        completions: s.completions,
        manual_selector: s.manual_selector,
        parallelism: s.parallelism,
        selector: s.selector.clone(),
        suspend: s.suspend,
        template: template_of(&s.template),
        ..Default::default()
    }
}

fn template_of(t: &core::PodTemplateSpec) -> core::PodTemplateSpec {
    core::PodTemplateSpec {
        metadata: t.metadata.as_ref().map(meta_of),
        spec: t.spec.as_ref().map(pod_spec_of),
    }
}

/// The fields the conversion reads, as k8s-openapi read them, and as shape.rs built them.
fn both(kind: &str, node: &Node) -> (Option<String>, String) {
    macro_rules! serde {
        ($t:ty) => {{
            let (v, _) = from_node::<$t>(node);
            v
        }};
    }
    let workload = |w: kinds::workload::Workload| {
        format!("{:?}", (w.metadata, w.replicas, w.selector, w.template, w.service_name))
    };
    match kind {
        "Namespace" => (
            serde!(core::Namespace).map(|v| format!("{:?}", meta_of(&v.metadata))),
            format!("{:?}", kinds::namespace::build(node).metadata),
        ),
        "Node" => (
            serde!(core::Node).map(|v| {
                let spec = v.spec.map(|s| core::NodeSpec { pod_cidr: s.pod_cidr, ..Default::default() });
                let status =
                    v.status.map(|s| core::NodeStatus { addresses: s.addresses, ..Default::default() });
                format!("{:?}", core::Node { metadata: meta_of(&v.metadata), spec, status })
            }),
            format!("{:?}", kinds::node::build(node)),
        ),
        "Pod" => (
            serde!(core::Pod).map(|v| {
                let status = v.status.map(|s| core::PodStatus {
                    host_ip: s.host_ip,
                    pod_ip: s.pod_ip,
                    pod_ips: s.pod_ips,
                    phase: s.phase,
                    conditions: s.conditions.map(|cs| {
                        cs.into_iter()
                            .map(|c| core::PodCondition {
                                type_: c.type_,
                                status: c.status,
                                ..Default::default()
                            })
                            .collect()
                    }),
                    ..Default::default()
                });
                let p = core::Pod {
                    metadata: meta_of(&v.metadata),
                    spec: v.spec.as_ref().map(pod_spec_of),
                    status,
                };
                format!("{p:?}")
            }),
            format!("{:?}", kinds::pod::build(node)),
        ),
        "Service" => (
            serde!(core::Service).map(|v| {
                let status = v
                    .status
                    .map(|s| core::ServiceStatus { load_balancer: s.load_balancer, ..Default::default() });
                format!("{:?}", core::Service { metadata: meta_of(&v.metadata), spec: v.spec, status })
            }),
            format!("{:?}", kinds::service::build(node)),
        ),
        "Endpoints" => (
            serde!(core::Endpoints).map(|v| {
                format!("{:?}", core::Endpoints { metadata: meta_of(&v.metadata), subsets: v.subsets })
            }),
            format!("{:?}", kinds::endpoints::build(node)),
        ),
        "EndpointSlice" => (
            serde!(discovery::EndpointSlice)
                .map(|v| format!("{:?}", discovery::EndpointSlice { metadata: meta_of(&v.metadata), ..v })),
            format!("{:?}", kinds::endpoint_slice::build(node)),
        ),
        "NetworkPolicy" => (
            serde!(networking::NetworkPolicy).map(|v| {
                format!("{:?}", networking::NetworkPolicy { metadata: meta_of(&v.metadata), spec: v.spec })
            }),
            format!("{:?}", kinds::network_policy::build(node)),
        ),
        "Ingress" => (
            serde!(networking::Ingress).map(|v| {
                let i = networking::Ingress {
                    metadata: meta_of(&v.metadata),
                    spec: v.spec,
                    ..Default::default()
                };
                format!("{i:?}")
            }),
            format!("{:?}", kinds::ingress::build(node)),
        ),
        "IngressClass" => (
            serde!(networking::IngressClass).map(|v| {
                format!("{:?}", networking::IngressClass { metadata: meta_of(&v.metadata), spec: v.spec })
            }),
            format!("{:?}", kinds::ingress_class::build(node)),
        ),
        "ReplicationController" => (
            serde!(core::ReplicationController).map(|v| {
                let s = v.spec.unwrap_or_default();
                format!(
                    "{:?}",
                    (meta_of(&v.metadata), s.replicas, s.selector, s.template.as_ref().map(template_of))
                )
            }),
            {
                let v = kinds::workload::build_rc(node);
                format!("{:?}", (v.metadata, v.replicas, v.selector, v.template))
            },
        ),
        "Job" => (
            serde!(batch::Job).map(|v| {
                let uid = v.metadata.uid.clone();
                let spec = job_spec_of(&v.spec.unwrap_or_default());
                format!("{:?}", (meta_of(&v.metadata), uid, spec))
            }),
            {
                let v = kinds::job::build(node);
                format!("{:?}", (v.metadata, v.uid, v.spec))
            },
        ),
        "CronJob" => (
            serde!(batch::CronJob).map(|v| {
                let s = v.spec.unwrap_or_default();
                let t = batch::JobTemplateSpec {
                    metadata: s.job_template.metadata.as_ref().map(meta_of),
                    spec: s.job_template.spec.as_ref().map(job_spec_of),
                };
                let last = v.status.and_then(|st| st.last_schedule_time).map(|t| t.0.to_string());
                format!("{:?}", (meta_of(&v.metadata), s.schedule, t, last.is_some()))
            }),
            {
                let v = kinds::job::build_cron(node);
                format!("{:?}", (v.metadata, v.schedule, v.job_template, v.last_schedule_time.is_some()))
            },
        ),
        "Deployment" => (
            serde!(apps::Deployment).map(|v| {
                let s = v.spec.unwrap_or_default();
                format!(
                    "{:?}",
                    (meta_of(&v.metadata), s.replicas, s.selector, template_of(&s.template), None::<String>)
                )
            }),
            workload(kinds::workload::build(node)),
        ),
        "ReplicaSet" => (
            serde!(apps::ReplicaSet).map(|v| {
                let s = v.spec.unwrap_or_default();
                let t = template_of(&s.template.unwrap_or_default());
                format!("{:?}", (meta_of(&v.metadata), s.replicas, s.selector, t, None::<String>))
            }),
            workload(kinds::workload::build(node)),
        ),
        "StatefulSet" => (
            serde!(apps::StatefulSet).map(|v| {
                let s = v.spec.unwrap_or_default();
                format!(
                    "{:?}",
                    (meta_of(&v.metadata), s.replicas, s.selector, template_of(&s.template), s.service_name)
                )
            }),
            workload(kinds::workload::build(node)),
        ),
        _ => (
            serde!(apps::DaemonSet).map(|v| {
                let s = v.spec.unwrap_or_default();
                format!(
                    "{:?}",
                    (meta_of(&v.metadata), None::<i32>, s.selector, template_of(&s.template), None::<String>)
                )
            }),
            {
                let mut w = kinds::workload::build(node);
                w.replicas = None;
                w.service_name = None;
                workload(w)
            },
        ),
    }
}

fn serde_problems(kind: &str, node: &Node) -> (Vec<Problem>, bool) {
    macro_rules! read {
        ($t:ty) => {{
            let (v, p) = from_node::<$t>(node);
            (p, v.is_none())
        }};
    }
    match kind {
        "Namespace" => read!(core::Namespace),
        "Node" => read!(core::Node),
        "Pod" => read!(core::Pod),
        "Service" => read!(core::Service),
        "Endpoints" => read!(core::Endpoints),
        "EndpointSlice" => read!(discovery::EndpointSlice),
        "Deployment" => read!(apps::Deployment),
        "ReplicaSet" => read!(apps::ReplicaSet),
        "StatefulSet" => read!(apps::StatefulSet),
        "DaemonSet" => read!(apps::DaemonSet),
        "ReplicationController" => read!(core::ReplicationController),
        "Job" => read!(batch::Job),
        "CronJob" => read!(batch::CronJob),
        "Ingress" => read!(networking::Ingress),
        "IngressClass" => read!(networking::IngressClass),
        _ => read!(networking::NetworkPolicy),
    }
}

/// k8s-openapi's visitors name what they expect in their own words ("IntOrString", "Time");
/// those messages are not compared.
fn comparable(p: &Problem) -> bool {
    !(p.message.contains(" (") || p.code == "invalid-value" && !p.message.contains("expected i32"))
}

fn compare(label: &str, kind: &str, node: &Node) -> usize {
    let (mut theirs, their_fatal) = serde_problems(kind, node);
    let (mut ours, our_fatal) = shape::check(kind, node, false);
    let key = |p: &Problem| (p.start, p.end, p.code);
    theirs.sort_by_key(key);
    ours.sort_by_key(key);
    theirs.dedup();
    ours.dedup();
    // de.rs says a required field missing where an unknown key stands once, at the key, whose
    // hint names the field (`form:` or `src:` for `from:` in an exercise file); shape.rs says
    // both.
    let paired = |p: &Problem| p.hints.iter().any(|h| h.ends_with("it is required, and missing here"));
    let said_at_key: Vec<String> = theirs
        .iter()
        .filter(|t| t.code == "unknown-field")
        .filter_map(|t| {
            let parent = t.message.split(" in `").nth(1)?.strip_suffix('`')?;
            let field = t.hints.first()?.strip_prefix("did you mean `")?.split('`').next()?;
            Some(format!("missing required field `{parent}.{field}`"))
        })
        .collect();
    ours.retain(|p| !(p.code == "missing-field" && said_at_key.contains(&p.message) && !theirs.contains(p)));
    let spans = |ps: &[Problem]| ps.iter().map(key).collect::<Vec<_>>();
    assert_eq!(
        spans(&ours),
        spans(&theirs),
        "{label}: problems differ\nshape: {ours:#?}\nserde: {theirs:#?}"
    );
    for (a, b) in ours.iter().zip(&theirs) {
        if comparable(b) && !paired(b) {
            assert_eq!((&a.message, &a.hints), (&b.message, &b.hints), "{label}: message differs");
        }
    }
    assert_eq!(our_fatal, their_fatal, "{label}: usable differs\n{ours:#?}");
    if !our_fatal {
        let (theirs, ours) = both(kind, node);
        let theirs = theirs.unwrap_or_default();
        if ours != theirs {
            let at = ours.bytes().zip(theirs.bytes()).take_while(|(a, b)| a == b).count();
            let from = at.saturating_sub(120);
            panic!(
                "{label}: the built object differs at byte {at}\nshape: ...{}\nserde: ...{}",
                ours.get(from..(at + 200).min(ours.len())).unwrap_or(""),
                theirs.get(from..(at + 200).min(theirs.len())).unwrap_or("")
            );
        }
    }
    1
}

fn scalar(text: &str, resolved: Resolved, plain: bool) -> Value {
    Value::Scalar(Scalar { text: text.to_string(), plain, resolved })
}

/// The replacements tried at every node.
fn replacements(at: &Node) -> Vec<Value> {
    let (s, e) = (at.start, at.end);
    let node = |value| Node { value, start: s, end: e };
    vec![
        scalar("eighty", Resolved::Str, false),
        scalar("80", Resolved::Str, false),
        scalar("80", Resolved::Int(80), true),
        scalar("-3", Resolved::Int(-3), true),
        scalar("99999999999", Resolved::Int(99_999_999_999), true),
        scalar("1.5", Resolved::Float(1.5), true),
        scalar("true", Resolved::Bool(true), true),
        scalar("null", Resolved::Null, true),
        scalar("2025-01-31T09:30:00Z", Resolved::Str, false),
        scalar("aGVsbG8=", Resolved::Str, false),
        Value::Seq(vec![]),
        Value::Seq(vec![node(scalar("x", Resolved::Str, true))]),
        Value::Map(vec![]),
        Value::Map(vec![Entry {
            key: node(scalar("zzz", Resolved::Str, true)),
            value: node(scalar("1", Resolved::Int(1), true)),
        }]),
    ]
}

/// Pre-order count of nodes (values and keys).
fn count(node: &Node) -> usize {
    1 + match &node.value {
        Value::Scalar(_) => 0,
        Value::Seq(items) => items.iter().map(count).sum(),
        Value::Map(entries) => entries.iter().map(|e| 1 + count(&e.value)).sum(),
    }
}

/// Applies `f` to the `n`th node in pre-order; a key is passed as a key (rename only).
fn with_nth(node: &mut Node, n: &mut usize, f: &mut dyn FnMut(&mut Node, bool)) -> bool {
    if *n == 0 {
        f(node, false);
        return true;
    }
    *n -= 1;
    match &mut node.value {
        Value::Scalar(_) => false,
        Value::Seq(items) => items.iter_mut().any(|i| with_nth(i, n, f)),
        Value::Map(entries) => entries.iter_mut().any(|e| {
            if *n == 0 {
                f(&mut e.key, true);
                return true;
            }
            *n -= 1;
            with_nth(&mut e.value, n, f)
        }),
    }
}

#[test]
fn shape_agrees_with_k8s_openapi_on_every_manifest_and_its_mutations() {
    let mut docs = 0;
    let mut mutants = 0;
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for (name, text) in manifests() {
        let mut sink = Vec::new();
        for (d, doc) in yaml::parse(&name, &text, &mut sink).into_iter().enumerate() {
            let kind = doc.root.get("kind").and_then(Node::as_str).unwrap_or("");
            let api = doc.root.get("apiVersion").and_then(Node::as_str).unwrap_or("");
            // The Gateway API's kinds have no k8s-openapi type to compare with.
            let Some(kind) =
                Kind::parse(kind).filter(|k| !k.crd() && k.api_version() == api).map(Kind::as_str)
            else {
                continue;
            };
            docs += compare(&format!("{name} #{d}"), kind, &doc.root);
            *by_kind.entry(kind).or_default() += 1;
            // Mutants: every node below the root but apiVersion and kind (checked before).
            let nodes = count(&doc.root);
            let mut skip = Vec::new();
            let mut at = 1;
            for e in doc.root.as_map().unwrap_or(&[]) {
                if matches!(e.key.as_str(), Some("apiVersion" | "kind")) {
                    skip.extend([at, at + 1]);
                }
                at += 1 + count(&e.value);
            }
            for i in 1..nodes {
                if skip.contains(&i) {
                    continue;
                }
                let mut is_key = false;
                let mut at = Node { value: Value::Seq(vec![]), start: 0, end: 0 };
                with_nth(&mut doc.root.clone(), &mut { i }, &mut |n, k| {
                    is_key = k;
                    at = n.clone();
                });
                if is_key {
                    let mut m = doc.root.clone();
                    with_nth(&mut m, &mut { i }, &mut |n, _| {
                        if let Value::Scalar(s) = &mut n.value {
                            s.text.push('x');
                        }
                    });
                    mutants += compare(&format!("{name} #{d} key {i} misspelt"), kind, &m);
                    continue;
                }
                for (r, value) in replacements(&at).into_iter().enumerate() {
                    let mut m = doc.root.clone();
                    let mut value = Some(value);
                    with_nth(&mut m, &mut { i }, &mut |n, _| {
                        if let Some(v) = value.take() {
                            n.value = v;
                        }
                    });
                    mutants += compare(&format!("{name} #{d} node {i} replacement {r}"), kind, &m);
                }
            }
        }
    }
    eprintln!("{docs} documents, {mutants} mutants: {by_kind:?}");
    assert!(docs > 300, "{docs} documents");
    for kind in Kind::ALL.into_iter().filter(|k| !k.crd()).map(Kind::as_str) {
        assert!(by_kind.contains_key(kind), "no {kind} among the manifests");
    }
}

/// The table is regenerated (`cargo xtask k8s-schema`) whenever k8s-openapi changes version.
#[test]
fn the_field_table_was_generated_from_the_k8s_openapi_in_use() {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).unwrap();
    let version = lock
        .split("[[package]]")
        .find(|p| p.contains("name = \"k8s-openapi\""))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")))
        .map(|v| v.trim_end_matches('"'))
        .expect("k8s-openapi in Cargo.lock");
    let table = std::fs::read_to_string(root().join("crates/manifest/src/k8s_schema.txt")).unwrap();
    let header = table.lines().next().unwrap_or("");
    assert!(
        header.contains(&format!("k8s-openapi {version} ")),
        "k8s_schema.txt says `{header}`, Cargo.lock has k8s-openapi {version}: run `cargo xtask k8s-schema` \
         (and update the version pinned in tools/k8s-schema/Cargo.toml)"
    );
    let tool = std::fs::read_to_string(root().join("tools/k8s-schema/Cargo.toml")).unwrap();
    assert!(tool.contains(&format!("version = \"={version}\"")), "tools/k8s-schema pins another k8s-openapi");
}
