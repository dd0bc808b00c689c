//! Deployment, ReplicaSet, StatefulSet and DaemonSet (apps/v1): replicas, the selector
//! (non-empty, matching the template's labels) and the pod template; and
//! ReplicationController (v1), whose selector is a plain map that defaults to the
//! template's labels.

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;
use netsim::{Source, WorkloadKind};

use crate::fields::{get, int, label_selector, object, object_meta, present, string, string_map};
use crate::object::{At, Meta, Obj, Object};
use crate::tree::Node;

use super::pod::{build_template, pod_spec};

pub(crate) fn read(
    o: &mut Obj<'_>,
    root: At<'_>,
    wk: WorkloadKind,
    w: Workload,
    m: Meta,
    source: Option<Source>,
) -> Object {
    let kind = wk.as_str();
    // A DaemonSet has no replicas, and only a StatefulSet a serviceName (either elsewhere was
    // reported as an unknown field).
    let replicas = if wk == WorkloadKind::DaemonSet { None } else { w.replicas };
    let service_name = w.service_name.filter(|n| wk == WorkloadKind::StatefulSet && !n.is_empty());
    let (raw_selector, template) = (w.selector, w.template);
    let spec_at = root.key("spec");
    let replicas = replica_count(o, spec_at, replicas);
    let tmpl_at = spec_at.key("template");
    let tmeta = template.metadata.clone().unwrap_or_default();
    let tlabels = tmeta.labels.clone().unwrap_or_default();
    o.labels(tmpl_at.key("metadata").key("labels"), &tlabels);
    let sel_at = spec_at.key("selector");
    let selector_errors = o.errors;
    let selector = o.selector(sel_at, &raw_selector);
    let raw_empty = raw_selector.match_labels.as_ref().is_none_or(|m| m.is_empty())
        && raw_selector.match_expressions.as_ref().is_none_or(|m| m.is_empty());
    if raw_empty {
        o.error(
            "missing-field",
            sel_at.key_span(),
            format!("a {kind} needs a non-empty `spec.selector`"),
            vec!["add `selector: {matchLabels: ...}` with the template's labels".into()],
        );
    } else if o.errors == selector_errors && !selector.matches(&tlabels) {
        o.error(
            "selector-mismatch",
            sel_at.key_span(),
            "`spec.selector` does not match the template's labels (`spec.template.metadata.labels`)".into(),
            vec!["the selector's labels must all appear on the pod template".into()],
        );
    }
    let tspec = pod_spec(
        o,
        tmpl_at.key("spec"),
        template.spec.as_ref(),
        tlabels,
        tmeta.annotations.unwrap_or_default(),
    );
    Object::Workload(netsim::Workload {
        kind: wk,
        name: m.name,
        namespace: m.namespace,
        replicas,
        selector,
        template: tspec,
        service_name,
        job: None,
        source,
    })
}

/// What the conversion reads of a ReplicationController.
pub struct ReplicationController {
    pub metadata: meta::ObjectMeta,
    pub replicas: Option<i32>,
    pub selector: Option<std::collections::BTreeMap<String, String>>,
    pub template: Option<core::PodTemplateSpec>,
}

pub fn build_rc(node: &Node) -> ReplicationController {
    let n = Some(node);
    let spec = present(get(n, "spec"));
    ReplicationController {
        metadata: object_meta(n),
        replicas: int(spec, "replicas"),
        selector: string_map(spec, "selector"),
        template: object(spec, "template", build_template),
    }
}

/// A ReplicationController, defaulted (`SetDefaults_ReplicationController`: an empty
/// selector is the template's labels, replicas 1) and validated
/// (`ValidateReplicationControllerSpec`, `ValidatePodTemplateSpecForRC` in
/// pkg/apis/core/validation: replicas non-negative, a template, a non-empty selector that
/// matches its labels, `restartPolicy` Always).
/// `spec.replicas`: 1 when absent, and never negative.
fn replica_count(o: &mut Obj<'_>, spec_at: At<'_>, replicas: Option<i32>) -> u32 {
    match replicas {
        None => 1,
        Some(r) if r >= 0 => r as u32,
        Some(r) => {
            o.error(
                "invalid-value",
                spec_at.key("replicas").span(),
                format!("replicas must not be negative, not {r}"),
                vec![],
            );
            0
        }
    }
}

pub(crate) fn read_rc(
    o: &mut Obj<'_>,
    root: At<'_>,
    v: ReplicationController,
    m: Meta,
    source: Option<Source>,
) -> Object {
    let spec_at = root.key("spec");
    let replicas = replica_count(o, spec_at, v.replicas);
    let tmpl_at = spec_at.key("template");
    let Some(template) = v.template else {
        o.error(
            "missing-field",
            spec_at.key_span(),
            "a ReplicationController needs a pod `template`".into(),
            vec![],
        );
        return Object::Workload(netsim::Workload {
            kind: WorkloadKind::ReplicationController,
            name: m.name,
            namespace: m.namespace,
            replicas,
            selector: netsim::LabelSelector::default(),
            template: netsim::PodSpec::default(),
            service_name: None,
            job: None,
            source,
        });
    };
    let tmeta = template.metadata.clone().unwrap_or_default();
    let tlabels = tmeta.labels.clone().unwrap_or_default();
    o.labels(tmpl_at.key("metadata").key("labels"), &tlabels);
    let sel_at = spec_at.key("selector");
    let written = v.selector.unwrap_or_default();
    o.labels(sel_at, &written);
    let selector = if written.is_empty() { tlabels.clone() } else { written };
    if selector.is_empty() {
        o.error(
            "missing-field",
            sel_at.key_span(),
            "a ReplicationController needs a non-empty `spec.selector` (or labels on its template)".into(),
            vec![],
        );
    } else if !netsim::LabelSelector::from_labels(&selector).matches(&tlabels) {
        o.error(
            "selector-mismatch",
            sel_at.key_span(),
            "`spec.selector` does not match the template's labels (`spec.template.metadata.labels`)".into(),
            vec!["the selector's labels must all appear on the pod template".into()],
        );
    }
    match template.spec.as_ref().and_then(|s| s.restart_policy.as_deref()) {
        None | Some("Always") => {}
        Some(other) => o.error(
            "invalid-value",
            tmpl_at.key("spec").key("restartPolicy").span(),
            format!(
                "a ReplicationController's pods run for good: `restartPolicy` must be Always, not `{other}`"
            ),
            vec!["remove `restartPolicy` (it defaults to Always)".into()],
        ),
    }
    let tspec = pod_spec(
        o,
        tmpl_at.key("spec"),
        template.spec.as_ref(),
        tlabels,
        tmeta.annotations.unwrap_or_default(),
    );
    Object::Workload(netsim::Workload {
        kind: WorkloadKind::ReplicationController,
        name: m.name,
        namespace: m.namespace,
        replicas,
        selector: netsim::LabelSelector::from_labels(&selector),
        template: tspec,
        service_name: None,
        job: None,
        source,
    })
}

/// What the conversion reads of a workload: metadata, replicas, selector, template and (for
/// a StatefulSet) serviceName.
pub struct Workload {
    pub metadata: meta::ObjectMeta,
    pub replicas: Option<i32>,
    pub selector: meta::LabelSelector,
    /// The default when absent, as for a Deployment's required `template`.
    pub template: core::PodTemplateSpec,
    pub service_name: Option<String>,
}

pub fn build(node: &Node) -> Workload {
    let n = Some(node);
    let spec = present(get(n, "spec"));
    Workload {
        metadata: object_meta(n),
        replicas: int(spec, "replicas"),
        selector: object(spec, "selector", label_selector).unwrap_or_default(),
        template: object(spec, "template", build_template).unwrap_or_default(),
        service_name: string(spec, "serviceName"),
    }
}
