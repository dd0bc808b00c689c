//! k8s-openapi objects -> netsim's model types, with the API server's defaulting and the
//! per-object validation (an object with an error is reported and left out).
//!
//! Defaulting, as the API server does it: Service `type` ClusterIP, port `protocol` TCP,
//! `targetPort` = `port`, ClientIP affinity timeout 10800 s, `replicas` 1, NetworkPolicy
//! `policyTypes` (Ingress always; Egress when egress rules exist), NetworkPolicy port
//! protocol TCP. An empty Service selector `{}` is read as no selector: the API server treats
//! it the same way (no Endpoints are managed for it).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::networking::v1 as networking;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use netsim::{
    Cidr, ClusterIpSpec, Labels, PortRef, Protocol, Scenario, ServiceType, SessionAffinity, Source, Topology,
    TrafficPolicy,
};

use crate::names;
use crate::policies::{PolicySpans, RuleSpans};
use crate::problem::closest;
use crate::shape;
use crate::validate::{self, diag, IngressSpans, PortSpans, ServiceSpans};
use crate::yaml::{Document, Node};
use crate::{Diagnostic, Severity};

/// The kinds read, each with the one apiVersion that serves it.
pub const KINDS: &[(&str, &str)] = &[
    ("Namespace", "v1"),
    ("Node", "v1"),
    ("Pod", "v1"),
    ("Service", "v1"),
    ("Endpoints", "v1"),
    ("EndpointSlice", "discovery.k8s.io/v1"),
    ("Deployment", "apps/v1"),
    ("ReplicaSet", "apps/v1"),
    ("StatefulSet", "apps/v1"),
    ("DaemonSet", "apps/v1"),
    ("Ingress", "networking.k8s.io/v1"),
    ("IngressClass", "networking.k8s.io/v1"),
    ("NetworkPolicy", "networking.k8s.io/v1"),
];

/// A position in a document's tree; a missing key keeps pointing at the nearest ancestor.
#[derive(Clone, Copy)]
pub(crate) struct At<'a> {
    node: Option<&'a Node>,
    key: Option<&'a Node>,
    near: &'a Node,
}

impl<'a> At<'a> {
    fn root(node: &'a Node) -> At<'a> {
        At { node: Some(node), key: None, near: node }
    }

    fn key(self, k: &str) -> At<'a> {
        match self.node.and_then(|n| n.entry(k)) {
            Some(e) => At { node: Some(&e.value), key: Some(&e.key), near: &e.value },
            None => At { node: None, key: self.key, near: self.node.unwrap_or(self.near) },
        }
    }

    fn idx(self, i: usize) -> At<'a> {
        match self.node.and_then(|n| n.as_seq()).and_then(|s| s.get(i)) {
            Some(n) => At { node: Some(n), key: None, near: n },
            None => At { node: None, key: self.key, near: self.node.unwrap_or(self.near) },
        }
    }

    /// The value's range, or where it would be.
    fn span(self) -> (usize, usize) {
        match (self.node, self.key) {
            (Some(n), _) => (n.start, n.end),
            (None, Some(k)) => (k.start, k.end),
            (None, None) => (self.near.start, self.near.start),
        }
    }

    /// The key's range when there is one (for "this field" diagnostics).
    fn key_span(self) -> (usize, usize) {
        match self.key {
            Some(k) if self.node.is_some() => (k.start, k.end),
            _ => self.span(),
        }
    }

    fn present(self) -> bool {
        self.node.is_some_and(|n| !n.is_null())
    }
}

/// Diagnostics for one object; counts errors so the object can be left out.
struct Obj<'a> {
    file: &'a str,
    diags: &'a mut Vec<Diagnostic>,
    errors: usize,
}

impl Obj<'_> {
    fn error(&mut self, code: &'static str, span: (usize, usize), message: String, hints: Vec<String>) {
        self.errors += 1;
        self.diags.push(diag(Severity::Error, code, self.file, span, message, hints));
    }

    fn warn(&mut self, code: &'static str, span: (usize, usize), message: String, hints: Vec<String>) {
        self.diags.push(diag(Severity::Warning, code, self.file, span, message, hints));
    }

    fn check(
        &mut self,
        code: &'static str,
        at: At<'_>,
        what: &str,
        value: &str,
        rule: fn(&str) -> Result<(), String>,
    ) {
        if let Err(why) = rule(value) {
            self.error(code, at.span(), format!("invalid {what} `{value}`: {why}"), vec![]);
        }
    }

    fn port(&mut self, at: At<'_>, what: &str, value: i32) -> u16 {
        if !(1..=65535).contains(&value) {
            if !at.present() {
                self.error("missing-field", at.span(), format!("`{what}` is required"), vec![]);
            } else {
                self.error(
                    "port-range",
                    at.span(),
                    format!("{what} {value} is out of range: ports are 1 to 65535"),
                    vec![],
                );
            }
            return 0;
        }
        value as u16
    }

    fn protocol(&mut self, at: At<'_>, value: Option<&str>) -> Protocol {
        match value {
            None | Some("") => Protocol::Tcp,
            Some(p) => Protocol::parse(p).unwrap_or_else(|| {
                let hint = closest(p, ["TCP", "UDP", "SCTP"]).map(|c| format!("did you mean `{c}`?"));
                self.error(
                    "invalid-protocol",
                    at.span(),
                    format!("unsupported protocol `{p}`: use TCP, UDP or SCTP (upper case)"),
                    hint.into_iter().collect(),
                );
                Protocol::Tcp
            }),
        }
    }

    fn one_of<'v>(&mut self, at: At<'_>, field: &str, value: &'v str, allowed: &[&'v str]) -> bool {
        if allowed.contains(&value) {
            return true;
        }
        let hint = closest(value, allowed.iter().copied()).map(|c| format!("did you mean `{c}`?"));
        self.error(
            "invalid-value",
            at.span(),
            format!("`{field}` must be one of {}, not `{value}`", allowed.join(", ")),
            hint.into_iter().collect(),
        );
        false
    }

    fn ipv4(&mut self, at: At<'_>, what: &str, value: &str) -> Option<Ipv4Addr> {
        match value.parse::<Ipv4Addr>() {
            Ok(ip) => Some(ip),
            Err(_) => {
                let why = if value.contains(':') {
                    "IPv6 is not modelled by Switchboard; use an IPv4 address"
                } else {
                    "not an IPv4 address"
                };
                self.error("invalid-ip", at.span(), format!("invalid {what} `{value}`: {why}"), vec![]);
                None
            }
        }
    }

    fn cidr(&mut self, at: At<'_>, value: &str) -> Option<Cidr> {
        let c = Cidr::parse(value);
        if c.is_none() {
            let why = if value.contains(':') { ": IPv6 is not modelled by Switchboard" } else { "" };
            self.error(
                "invalid-cidr",
                at.span(),
                format!("invalid CIDR `{value}`{why}"),
                vec!["write an IPv4 prefix such as 10.0.0.0/16".into()],
            );
        }
        c
    }

    fn labels(&mut self, at: At<'_>, labels: &Labels) {
        // The entry is looked up only for a bad label: a lookup is a scan of the mapping, and
        // a map of 50,000 labels would otherwise take seconds.
        for (k, v) in labels {
            let entry = || at.key(k);
            if let Err(why) = names::label_key(k) {
                self.error(
                    "invalid-label",
                    entry().key_span(),
                    format!("invalid label key `{k}`: {why}"),
                    vec![],
                );
            }
            if let Err(why) = names::label_value(v) {
                self.error(
                    "invalid-label",
                    entry().span(),
                    format!("invalid label value `{v}`: {why}"),
                    vec![],
                );
            }
        }
    }

    fn selector(&mut self, at: At<'_>, sel: &meta::LabelSelector) -> netsim::LabelSelector {
        let match_labels = sel.match_labels.clone().unwrap_or_default();
        self.labels(at.key("matchLabels"), &match_labels);
        let mut match_expressions = Vec::new();
        for (i, req) in sel.match_expressions.iter().flatten().enumerate() {
            let r = at.key("matchExpressions").idx(i);
            if let Err(why) = names::label_key(&req.key) {
                self.error(
                    "invalid-label",
                    r.key("key").span(),
                    format!("invalid label key `{}`: {why}", req.key),
                    vec![],
                );
            }
            let values = req.values.clone().unwrap_or_default();
            let operator = match req.operator.as_str() {
                "In" => netsim::SelectorOperator::In,
                "NotIn" => netsim::SelectorOperator::NotIn,
                "Exists" => netsim::SelectorOperator::Exists,
                "DoesNotExist" => netsim::SelectorOperator::DoesNotExist,
                other => {
                    self.one_of(
                        r.key("operator"),
                        "operator",
                        other,
                        &["In", "NotIn", "Exists", "DoesNotExist"],
                    );
                    continue;
                }
            };
            let needs_values =
                matches!(operator, netsim::SelectorOperator::In | netsim::SelectorOperator::NotIn);
            if needs_values == values.is_empty() {
                let msg = if needs_values {
                    format!("operator `{}` needs a non-empty `values` list", req.operator)
                } else {
                    format!("operator `{}` takes no `values`", req.operator)
                };
                self.error("invalid-value", r.key("values").span(), msg, vec![]);
            }
            match_expressions.push(netsim::LabelRequirement { key: req.key.clone(), operator, values });
        }
        netsim::LabelSelector { match_labels, match_expressions }
    }
}

fn source(file: &str, doc: &Document) -> Option<Source> {
    Some(Source { file: file.to_string(), start: doc.start, end: doc.end })
}

fn item_source(file: &str, at: At<'_>) -> Option<Source> {
    let (start, end) = at.span();
    Some(Source { file: file.to_string(), start, end })
}

/// Reads documents one by one into a scenario.
pub struct Reader<'t> {
    topology: &'t Topology,
    scenario: Scenario,
    spans: Vec<ServiceSpans>,
    ingress_spans: Vec<IngressSpans>,
    policy_spans: Vec<PolicySpans>,
    /// (kind, namespace, name) -> (file, line) of the first definition.
    seen: BTreeMap<(String, String, String), (String, usize)>,
    /// Byte offsets of the newlines of the text being read (its address and length name it):
    /// lines are found by binary search, not by counting from the start for every object,
    /// which made reading a 2,000-object file quadratic.
    newlines: ((usize, usize), Vec<usize>),
}

/// The 1-based line of `byte`, given the offsets of the text's newlines.
fn line_at(newlines: &[usize], byte: usize) -> usize {
    newlines.partition_point(|&nl| nl < byte) + 1
}

impl<'t> Reader<'t> {
    pub fn new(topology: &'t Topology) -> Reader<'t> {
        Reader {
            topology,
            scenario: Scenario::default(),
            spans: Vec::new(),
            ingress_spans: Vec::new(),
            policy_spans: Vec::new(),
            seen: BTreeMap::new(),
            newlines: ((0, 0), Vec::new()),
        }
    }

    /// Runs the checks across objects and returns the scenario.
    pub fn finish(self, diags: &mut Vec<Diagnostic>) -> Scenario {
        self.finish_with_spans(diags).0
    }

    /// [`Reader::finish`], with where each NetworkPolicy's fields are.
    pub(crate) fn finish_with_spans(mut self, diags: &mut Vec<Diagnostic>) -> (Scenario, Vec<PolicySpans>) {
        validate::cluster(&mut self.scenario, &mut self.spans, self.topology, diags);
        validate::ingresses(&self.scenario, &self.ingress_spans, self.topology, diags);
        (self.scenario, self.policy_spans)
    }

    /// Reads one document; problems go to `diags`, and the object is added when it has none.
    pub fn document(&mut self, file: &str, text: &str, doc: &Document, diags: &mut Vec<Diagnostic>) {
        let id = (text.as_ptr() as usize, text.len());
        if self.newlines.0 != id {
            self.newlines =
                (id, text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect());
        }
        let root = At::root(&doc.root);
        let mut o = Obj { file, diags, errors: 0 };
        if doc.root.is_null() {
            return; // An empty document, as kubectl skips it.
        }
        if doc.root.as_map().is_none() {
            o.error(
                "not-an-object",
                root.span(),
                format!(
                    "a document must be a mapping with `apiVersion` and `kind`, not {}",
                    doc.root.describe()
                ),
                vec![],
            );
            return;
        }
        let kind_at = root.key("kind");
        let api_at = root.key("apiVersion");
        let kind = doc.root.get("kind").and_then(Node::as_str);
        let api = doc.root.get("apiVersion").and_then(Node::as_str);
        let start = (doc.root.start, doc.root.start);
        if kind.is_none() && kind_at.present() {
            o.error(
                "invalid-type",
                kind_at.span(),
                format!(
                    "`kind` must be a string such as `Service`, not {}",
                    doc.root.get("kind").map_or(String::new(), Node::describe)
                ),
                vec![],
            );
            return;
        }
        let Some(kind) = kind.filter(|k| !k.is_empty()) else {
            let span = if kind_at.present() { kind_at.span() } else { start };
            o.error(
                "missing-kind",
                span,
                "the object has no `kind` (a string such as `Service`)".into(),
                vec![],
            );
            return;
        };
        let Some(&(_, want_api)) = KINDS.iter().find(|(k, _)| *k == kind) else {
            let hint = closest(kind, KINDS.iter().map(|(k, _)| *k)).map(|c| format!("did you mean `{c}`?"));
            o.warn(
                "unknown-kind",
                kind_at.span(),
                format!("kind `{kind}` is not simulated; the object is skipped"),
                hint.into_iter().collect(),
            );
            return;
        };
        match api {
            None | Some("") => {
                let span = if api_at.present() { api_at.span() } else { start };
                o.error(
                    "missing-api-version",
                    span,
                    "the object has no `apiVersion`".to_string(),
                    vec![format!("`{kind}` is served as `apiVersion: {want_api}`")],
                );
                return;
            }
            Some(api) if api != want_api => {
                let mut hints = vec![format!("`{kind}` is served as `apiVersion: {want_api}`")];
                if matches!(
                    api,
                    "extensions/v1beta1" | "networking.k8s.io/v1beta1" | "apps/v1beta1" | "apps/v1beta2"
                ) {
                    hints.push(format!(
                        "`{api}` was removed from Kubernetes (Ingress in 1.22, workloads in 1.16)"
                    ));
                }
                o.error(
                    "wrong-api-version",
                    api_at.span(),
                    format!("`{kind}` is not served by `apiVersion: {api}`"),
                    hints,
                );
                return;
            }
            Some(_) => {}
        }
        let src = source(file, doc);
        let node = &doc.root;
        macro_rules! read {
            ($build:path) => {{
                // The field names and value types, checked against the API schema (shape.rs).
                let (problems, fatal) = crate::shape::check(kind, node, true);
                for p in problems {
                    // Unknown fields count too: strict field validation refuses the object.
                    o.errors += 1;
                    o.diags.push(Diagnostic {
                        severity: Severity::Error,
                        code: p.code,
                        message: p.message,
                        file: file.to_string(),
                        start: p.start,
                        end: p.end,
                        hints: p.hints,
                    });
                }
                if fatal {
                    return;
                }
                $build(node)
            }};
        }
        let cluster_scoped = matches!(kind, "Namespace" | "Node" | "IngressClass");
        let name_rule: fn(&str) -> Result<(), String> = match kind {
            "Service" => names::dns1035_label,
            "Namespace" => names::dns1123_label,
            _ => names::dns1123_subdomain,
        };
        let meta_at = root.key("metadata");
        // Read the object first (type errors skip it), then its metadata.
        macro_rules! meta_of {
            ($obj:expr) => {{
                let m: &meta::ObjectMeta = &$obj.metadata;
                let name = m.name.clone().unwrap_or_default();
                if name.is_empty() {
                    let span = meta_at.key("name").span();
                    o.error("missing-field", span, "`metadata.name` is required".into(), vec![]);
                } else {
                    let what = format!("{} name", kind);
                    o.check("invalid-name", meta_at.key("name"), &what, &name, name_rule);
                }
                let namespace = if cluster_scoped {
                    String::new()
                } else {
                    let ns = m
                        .namespace
                        .clone()
                        .filter(|n| !n.is_empty())
                        .unwrap_or_else(|| "default".to_string());
                    o.check("invalid-name", meta_at.key("namespace"), "namespace", &ns, names::dns1123_label);
                    ns
                };
                let labels = m.labels.clone().unwrap_or_default();
                o.labels(meta_at.key("labels"), &labels);
                (name, namespace, labels, m.annotations.clone().unwrap_or_default())
            }};
        }
        let errors_before = o.errors;
        let name_span = meta_at.key("name").span();
        let (name, namespace) = match kind {
            "Namespace" => {
                let v = read!(shape::namespace);
                let (name, namespace, labels, _) = meta_of!(v);
                if o.errors == errors_before {
                    self.scenario.namespaces.push(netsim::Namespace {
                        name: name.clone(),
                        labels,
                        source: src,
                    });
                }
                (name, namespace)
            }
            "Node" => {
                let v = read!(shape::node);
                let (name, namespace, labels, _) = meta_of!(v);
                let pod_cidr = v
                    .spec
                    .as_ref()
                    .and_then(|s| s.pod_cidr.as_deref())
                    .and_then(|c| o.cidr(root.key("spec").key("podCIDR"), c));
                let mut internal_ip = None;
                for (i, a) in v.status.iter().flat_map(|s| s.addresses.iter().flatten()).enumerate() {
                    if a.type_ == "InternalIP" && internal_ip.is_none() {
                        let at = root.key("status").key("addresses").idx(i).key("address");
                        internal_ip = o.ipv4(at, "node address", &a.address);
                    }
                }
                if o.errors == errors_before {
                    self.scenario.nodes.push(netsim::Node {
                        name: name.clone(),
                        labels,
                        internal_ip,
                        pod_cidr,
                        source: src,
                    });
                }
                (name, namespace)
            }
            "Pod" => {
                let v = read!(shape::pod);
                let (name, namespace, labels, annotations) = meta_of!(v);
                let spec = pod_spec(&mut o, root.key("spec"), v.spec.as_ref(), labels, annotations);
                let status = root.key("status");
                let ip = v
                    .status
                    .as_ref()
                    .and_then(|s| s.pod_ip.as_deref())
                    .and_then(|ip| o.ipv4(status.key("podIP"), "pod IP", ip));
                let ready = v
                    .status
                    .iter()
                    .flat_map(|s| s.conditions.iter().flatten())
                    .find(|c| c.type_ == "Ready")
                    .map(|c| c.status == "True");
                if o.errors == errors_before {
                    self.scenario.pods.push(netsim::Pod {
                        name: name.clone(),
                        namespace: namespace.clone(),
                        spec,
                        ip,
                        ready,
                        source: src,
                    });
                }
                (name, namespace)
            }
            "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" => {
                let w = read!(shape::workload);
                let wk = match kind {
                    "Deployment" => netsim::WorkloadKind::Deployment,
                    "ReplicaSet" => netsim::WorkloadKind::ReplicaSet,
                    "StatefulSet" => netsim::WorkloadKind::StatefulSet,
                    _ => netsim::WorkloadKind::DaemonSet,
                };
                // A DaemonSet has no replicas, and only a StatefulSet a serviceName (either
                // elsewhere was reported as an unknown field).
                let replicas = if kind == "DaemonSet" { None } else { w.replicas };
                let service_name = w.service_name.filter(|n| kind == "StatefulSet" && !n.is_empty());
                let (meta_v, selector, template) = (w.metadata, Some(w.selector), Some(w.template));
                struct M {
                    metadata: meta::ObjectMeta,
                }
                let m = M { metadata: meta_v };
                let (name, namespace, _, _) = meta_of!(m);
                let spec_at = root.key("spec");
                let replicas = match replicas {
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
                };
                let tmpl_at = spec_at.key("template");
                let template = template.unwrap_or_default();
                let tmeta = template.metadata.clone().unwrap_or_default();
                let tlabels = tmeta.labels.clone().unwrap_or_default();
                o.labels(tmpl_at.key("metadata").key("labels"), &tlabels);
                let sel_at = spec_at.key("selector");
                let raw_selector = selector.unwrap_or_default();
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
                    &mut o,
                    tmpl_at.key("spec"),
                    template.spec.as_ref(),
                    tlabels,
                    tmeta.annotations.unwrap_or_default(),
                );
                if o.errors == errors_before {
                    self.scenario.workloads.push(netsim::Workload {
                        kind: wk,
                        name: name.clone(),
                        namespace: namespace.clone(),
                        replicas,
                        selector,
                        template: tspec,
                        service_name,
                        source: src,
                    });
                }
                (name, namespace)
            }
            "Service" => {
                let v = read!(shape::service);
                let (name, namespace, labels, annotations) = meta_of!(v);
                let (svc, spans) = self.service(&mut o, root, v, file);
                if o.errors == errors_before {
                    let mut svc = svc;
                    svc.name = name.clone();
                    svc.namespace = namespace.clone();
                    svc.labels = labels;
                    svc.annotations = annotations;
                    svc.source = src;
                    self.scenario.services.push(svc);
                    self.spans.push(ServiceSpans { name: name_span, ..spans });
                }
                (name, namespace)
            }
            "Endpoints" => {
                let v = read!(shape::endpoints);
                let (name, namespace, _, _) = meta_of!(v);
                let mut slices = Vec::new();
                let subsets = v.subsets.clone().unwrap_or_default();
                for (i, subset) in subsets.iter().enumerate() {
                    let at = root.key("subsets").idx(i);
                    let mut endpoints = Vec::new();
                    for (field, ready, list) in [
                        ("addresses", true, &subset.addresses),
                        ("notReadyAddresses", false, &subset.not_ready_addresses),
                    ] {
                        for (j, a) in list.iter().flatten().enumerate() {
                            if let Some(ip) =
                                o.ipv4(at.key(field).idx(j).key("ip"), "endpoint address", &a.ip)
                            {
                                endpoints.push(netsim::Endpoint {
                                    addresses: vec![ip],
                                    ready,
                                    node_name: a.node_name.clone(),
                                    target_pod: pod_ref(a.target_ref.as_ref()),
                                    hostname: a.hostname.clone(),
                                });
                            }
                        }
                    }
                    let mut ports = Vec::new();
                    for (j, p) in subset.ports.iter().flatten().enumerate() {
                        let pat = at.key("ports").idx(j);
                        let port = o.port(pat.key("port"), "port", p.port);
                        let protocol = o.protocol(pat.key("protocol"), p.protocol.as_deref());
                        ports.push(netsim::EndpointPort { name: p.name.clone(), port, protocol });
                    }
                    let slice_name = if subsets.len() == 1 { name.clone() } else { format!("{name}-{i}") };
                    slices.push(netsim::EndpointSlice {
                        name: slice_name,
                        namespace: namespace.clone(),
                        service_name: name.clone(),
                        endpoints,
                        ports,
                        source: item_source(file, at),
                    });
                }
                if o.errors == errors_before {
                    self.scenario.endpoint_slices.extend(slices);
                }
                (name, namespace)
            }
            "EndpointSlice" => {
                let v = read!(shape::endpoint_slice);
                let (name, namespace, labels, _) = meta_of!(v);
                if v.address_type != "IPv4" {
                    let why =
                        if v.address_type == "IPv6" { ": IPv6 is not modelled by Switchboard" } else { "" };
                    o.error(
                        "invalid-value",
                        root.key("addressType").span(),
                        format!("addressType must be `IPv4`, not `{}`{why}", v.address_type),
                        vec![],
                    );
                }
                let mut endpoints = Vec::new();
                for (i, e) in v.endpoints.iter().enumerate() {
                    let at = root.key("endpoints").idx(i);
                    let mut addresses = Vec::new();
                    for (j, a) in e.addresses.iter().enumerate() {
                        if let Some(ip) = o.ipv4(at.key("addresses").idx(j), "endpoint address", a) {
                            addresses.push(ip);
                        }
                    }
                    endpoints.push(netsim::Endpoint {
                        addresses,
                        ready: e.conditions.as_ref().and_then(|c| c.ready).unwrap_or(true),
                        node_name: e.node_name.clone(),
                        target_pod: pod_ref(e.target_ref.as_ref()),
                        hostname: e.hostname.clone(),
                    });
                }
                let mut ports = Vec::new();
                for (j, p) in v.ports.iter().flatten().enumerate() {
                    let pat = root.key("ports").idx(j);
                    let port = o.port(pat.key("port"), "port", p.port.unwrap_or(0));
                    let protocol = o.protocol(pat.key("protocol"), p.protocol.as_deref());
                    ports.push(netsim::EndpointPort { name: p.name.clone(), port, protocol });
                }
                let service_name = labels.get("kubernetes.io/service-name").cloned().unwrap_or_default();
                if service_name.is_empty() {
                    o.warn(
                        "endpoint-slice-no-service",
                        meta_at.key("labels").key_span(),
                        "this EndpointSlice has no `kubernetes.io/service-name` label, so no Service uses it"
                            .into(),
                        vec!["add the label `kubernetes.io/service-name: <service>`".into()],
                    );
                }
                if o.errors == errors_before {
                    self.scenario.endpoint_slices.push(netsim::EndpointSlice {
                        name: name.clone(),
                        namespace: namespace.clone(),
                        service_name,
                        endpoints,
                        ports,
                        source: src,
                    });
                }
                (name, namespace)
            }
            "NetworkPolicy" => {
                let v = read!(shape::network_policy);
                let (name, namespace, _, _) = meta_of!(v);
                let np = network_policy(&mut o, root.key("spec"), v.spec.clone().unwrap_or_default(), file);
                if o.errors == errors_before {
                    let ns_at = meta_at.key("namespace");
                    let namespace_span = if ns_at.present() { ns_at.span() } else { name_span };
                    self.policy_spans.push(policy_spans(file, namespace_span, root.key("spec"), &np));
                    self.scenario.network_policies.push(netsim::NetworkPolicy {
                        name: name.clone(),
                        namespace: namespace.clone(),
                        source: src,
                        ..np
                    });
                }
                (name, namespace)
            }
            "Ingress" => {
                let v = read!(shape::ingress);
                let (name, namespace, _, annotations) = meta_of!(v);
                let ing = ingress(&mut o, root.key("spec"), v.spec.clone().unwrap_or_default(), file);
                if o.errors == errors_before {
                    let spec = root.key("spec");
                    let svc = |b: At<'_>| {
                        let s = b.key("service");
                        (s.key("name").span(), s.key("port").span())
                    };
                    self.ingress_spans.push(IngressSpans {
                        file: file.to_string(),
                        class: spec.key("ingressClassName").span(),
                        default_backend: ing
                            .default_backend
                            .as_ref()
                            .map(|_| svc(spec.key("defaultBackend"))),
                        paths: ing
                            .rules
                            .iter()
                            .enumerate()
                            .map(|(i, r)| {
                                let rat = spec.key("rules").idx(i);
                                (0..r.paths.len())
                                    .map(|j| svc(rat.key("http").key("paths").idx(j).key("backend")))
                                    .collect()
                            })
                            .collect(),
                    });
                    self.scenario.ingresses.push(netsim::Ingress {
                        name: name.clone(),
                        namespace: namespace.clone(),
                        annotations,
                        source: src,
                        ..ing
                    });
                }
                (name, namespace)
            }
            _ => {
                let v = read!(shape::ingress_class);
                let (name, namespace, _, annotations) = meta_of!(v);
                let controller = v.spec.as_ref().and_then(|s| s.controller.clone()).unwrap_or_default();
                let is_default = annotations
                    .get("ingressclass.kubernetes.io/is-default-class")
                    .is_some_and(|v| v == "true");
                if o.errors == errors_before {
                    self.scenario.ingress_classes.push(netsim::IngressClass {
                        name: name.clone(),
                        controller,
                        is_default,
                        source: src,
                    });
                }
                (name, namespace)
            }
        };
        if name.is_empty() {
            return;
        }
        let key = (kind.to_string(), namespace.clone(), name.clone());
        if let Some((first_file, first_line)) = self.seen.get(&key) {
            let place = if first_file == file {
                format!("line {first_line}")
            } else {
                format!("{first_file}:{first_line}")
            };
            let scope =
                if namespace.is_empty() { String::new() } else { format!(" in namespace `{namespace}`") };
            o.error(
                "duplicate-object",
                name_span,
                format!("{kind} `{name}`{scope} is defined twice"),
                vec![format!("it is first defined at {place}; this copy is ignored")],
            );
            // The second copy was added above when it had no other error: take it out again.
            if o.errors == errors_before + 1 {
                self.remove_last(kind);
            }
        } else if o.errors == errors_before {
            let line = line_at(&self.newlines.1, doc.start);
            self.seen.insert(key, (file.to_string(), line));
        }
    }

    fn remove_last(&mut self, kind: &str) {
        let s = &mut self.scenario;
        match kind {
            "Namespace" => drop(s.namespaces.pop()),
            "Node" => drop(s.nodes.pop()),
            "Pod" => drop(s.pods.pop()),
            "Service" => {
                s.services.pop();
                self.spans.pop();
            }
            "Endpoints" | "EndpointSlice" => {
                // Endpoints may have mirrored into several slices.
                if let Some(last) =
                    s.endpoint_slices.last().map(|l| (l.namespace.clone(), l.service_name.clone()))
                {
                    while s
                        .endpoint_slices
                        .last()
                        .is_some_and(|l| (l.namespace.clone(), l.service_name.clone()) == last)
                    {
                        s.endpoint_slices.pop();
                        if kind == "EndpointSlice" {
                            break;
                        }
                    }
                }
            }
            "NetworkPolicy" => {
                s.network_policies.pop();
                self.policy_spans.pop();
            }
            "Ingress" => {
                s.ingresses.pop();
                self.ingress_spans.pop();
            }
            "IngressClass" => drop(s.ingress_classes.pop()),
            _ => drop(s.workloads.pop()),
        }
    }

    fn service(
        &self,
        o: &mut Obj<'_>,
        root: At<'_>,
        v: core::Service,
        file: &str,
    ) -> (netsim::Service, ServiceSpans) {
        let spec_at = root.key("spec");
        let spec = v.spec.unwrap_or_default();
        let type_at = spec_at.key("type");
        let service_type = match spec.type_.as_deref() {
            None | Some("ClusterIP") => ServiceType::ClusterIp,
            Some("NodePort") => ServiceType::NodePort,
            Some("LoadBalancer") => ServiceType::LoadBalancer,
            Some("ExternalName") => ServiceType::ExternalName,
            Some(other) => {
                o.one_of(type_at, "type", other, &["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]);
                ServiceType::ClusterIp
            }
        };
        let node_ports_allowed = matches!(service_type, ServiceType::NodePort | ServiceType::LoadBalancer);
        // clusterIP
        let ip_at = spec_at.key("clusterIP");
        let cluster_ip = match spec.cluster_ip.as_deref() {
            None | Some("") => ClusterIpSpec::Auto,
            Some("None") => ClusterIpSpec::Headless,
            Some(ip) => match o.ipv4(ip_at, "clusterIP", ip) {
                Some(addr) if !self.topology.service_cidr.contains(addr) => {
                    o.error(
                        "cluster-ip-range",
                        ip_at.span(),
                        format!(
                            "clusterIP {addr} is outside the service range {}",
                            self.topology.service_cidr
                        ),
                        vec!["leave clusterIP out to have one allocated".into()],
                    );
                    ClusterIpSpec::Auto
                }
                Some(addr) => ClusterIpSpec::Fixed(addr),
                None => ClusterIpSpec::Auto,
            },
        };
        if cluster_ip == ClusterIpSpec::Headless && node_ports_allowed {
            o.error(
                "invalid-value",
                ip_at.span(),
                format!("clusterIP `None` (headless) is not allowed for a {} Service", service_type.as_str()),
                vec![],
            );
        }
        let mut external_name = None;
        if service_type == ServiceType::ExternalName {
            if spec.cluster_ip.as_deref().is_some_and(|c| !c.is_empty()) {
                o.error(
                    "external-name-cluster-ip",
                    ip_at.span(),
                    "an ExternalName Service has no cluster IP: remove `clusterIP` (headless does not apply either)".into(),
                    vec![],
                );
            }
            let en_at = spec_at.key("externalName");
            match spec.external_name.as_deref().filter(|s| !s.is_empty()) {
                None => o.error(
                    "missing-field",
                    en_at.key_span(),
                    "an ExternalName Service needs `spec.externalName`".into(),
                    vec!["for example `externalName: db.example.com`".into()],
                ),
                Some(n) => {
                    let trimmed = n.strip_suffix('.').unwrap_or(n);
                    if let Err(why) = names::dns1123_subdomain(trimmed) {
                        o.error(
                            "invalid-external-name",
                            en_at.span(),
                            format!("invalid externalName `{n}`: {why}"),
                            vec![],
                        );
                    }
                    external_name = Some(n.to_string());
                }
            }
        }
        // ports
        let ports_at = spec_at.key("ports");
        let all_ports = spec.ports.clone().unwrap_or_default();
        if all_ports.is_empty()
            && service_type != ServiceType::ExternalName
            && cluster_ip != ClusterIpSpec::Headless
        {
            o.error(
                "missing-field",
                ports_at.key_span(),
                "a Service needs at least one port in `spec.ports`".into(),
                vec![],
            );
        }
        let multi = all_ports.len() > 1;
        let mut names: BTreeMap<String, usize> = BTreeMap::new();
        let mut pairs: BTreeMap<(u16, Protocol), usize> = BTreeMap::new();
        let mut ports = Vec::new();
        let mut port_spans = Vec::new();
        for (i, p) in all_ports.iter().enumerate() {
            let at = ports_at.idx(i);
            let port = o.port(at.key("port"), "port", p.port);
            let protocol = o.protocol(at.key("protocol"), p.protocol.as_deref());
            let name = p.name.clone().filter(|n| !n.is_empty());
            match &name {
                Some(n) => {
                    o.check("invalid-port-name", at.key("name"), "port name", n, names::dns1123_label);
                    if let Some(first) = names.insert(n.clone(), i) {
                        o.error(
                            "duplicate-port-name",
                            at.key("name").span(),
                            format!("port name `{n}` is used twice (also by ports[{first}])"),
                            vec![],
                        );
                    }
                }
                None if multi => o.error(
                    "port-name-required",
                    at.span(),
                    format!(
                        "`spec.ports[{i}]` needs a `name`: a Service with several ports must name each one"
                    ),
                    vec!["for example `name: http`".into()],
                ),
                None => {}
            }
            if port != 0 {
                if let Some(first) = pairs.insert((port, protocol), i) {
                    o.error(
                        "duplicate-port",
                        at.key("port").span(),
                        format!("port {port}/{protocol} is listed twice (also ports[{first}])"),
                        vec![],
                    );
                }
            }
            let tp_at = at.key("targetPort");
            let target_port = match &p.target_port {
                None => PortRef::Number(port),
                Some(IntOrString::Int(0)) => PortRef::Number(port),
                Some(IntOrString::Int(n)) => PortRef::Number(o.port(tp_at, "targetPort", *n)),
                Some(IntOrString::String(s)) => {
                    if let Err(why) = names::iana_svc_name(s) {
                        let hint = if s.parse::<i64>().is_ok() {
                            vec![format!("write the number without quotes: `targetPort: {s}`")]
                        } else {
                            vec![]
                        };
                        o.error(
                            "invalid-port-name",
                            tp_at.span(),
                            format!("invalid targetPort name `{s}`: {why}"),
                            hint,
                        );
                    }
                    PortRef::Name(s.clone())
                }
            };
            let np_at = at.key("nodePort");
            let node_port = match p.node_port {
                None | Some(0) => None,
                Some(np) if !node_ports_allowed => {
                    o.error(
                        "node-port-not-allowed",
                        np_at.key_span(),
                        format!("nodePort {np} is set on a {} Service", service_type.as_str()),
                        vec!["use `type: NodePort` (or LoadBalancer), or remove `nodePort`".into()],
                    );
                    None
                }
                Some(np) => {
                    let (lo, hi) = self.topology.node_port_range;
                    if np < i32::from(lo) || np > i32::from(hi) {
                        o.error(
                            "node-port-range",
                            np_at.span(),
                            format!("nodePort {np} is outside the node port range {lo}-{hi}"),
                            vec!["leave nodePort out to have one allocated".into()],
                        );
                        None
                    } else {
                        Some(np as u16)
                    }
                }
            };
            ports.push(netsim::ServicePort {
                name,
                protocol,
                port,
                target_port,
                node_port,
                app_protocol: p.app_protocol.clone(),
                source: item_source(file, at),
            });
            port_spans.push(PortSpans {
                node_port: np_at.span(),
                node_port_line: line_at(&self.newlines.1, np_at.span().0),
                target_port: if tp_at.present() { tp_at.span() } else { at.key("port").span() },
            });
        }
        // selector
        let sel_at = spec_at.key("selector");
        let selector = spec.selector.clone().filter(|s| !s.is_empty());
        if let Some(sel) = &selector {
            o.labels(sel_at, sel);
        }
        // IP families. The modelled cluster is IPv4 single-stack, where the API server refuses
        // IPv6 and RequireDualStack, and PreferDualStack gives IPv4 only.
        // https://kubernetes.io/docs/concepts/services-networking/dual-stack/#services
        if let Some(families) = &spec.ip_families {
            let fam_at = spec_at.key("ipFamilies");
            for (i, f) in families.iter().enumerate() {
                match f.as_str() {
                    "IPv4" => {}
                    "IPv6" => o.error(
                        "ip-family",
                        fam_at.idx(i).span(),
                        "ipFamilies IPv6: this cluster is IPv4 single-stack (Switchboard models IPv4 only), and the API server refuses a family it is not configured for".into(),
                        vec!["leave ipFamilies out, or write [IPv4]".into()],
                    ),
                    other => o.error(
                        "ip-family",
                        fam_at.idx(i).span(),
                        format!("unsupported ipFamilies value `{other}`: supported values are IPv4 and IPv6"),
                        vec![],
                    ),
                }
            }
        }
        if spec.ip_family_policy.as_deref() == Some("RequireDualStack") {
            o.error(
                "ip-family",
                spec_at.key("ipFamilyPolicy").span(),
                "ipFamilyPolicy RequireDualStack: this cluster is IPv4 single-stack (Switchboard models IPv4 only), so the API server refuses it".into(),
                vec!["use SingleStack or PreferDualStack (which gives IPv4 here)".into()],
            );
        }
        // session affinity
        let aff_at = spec_at.key("sessionAffinity");
        let timeout_at = spec_at.key("sessionAffinityConfig").key("clientIP").key("timeoutSeconds");
        let session_affinity = match spec.session_affinity.as_deref() {
            None | Some("None") => SessionAffinity::None,
            Some("ClientIP") => {
                let t = spec
                    .session_affinity_config
                    .as_ref()
                    .and_then(|c| c.client_ip.as_ref())
                    .and_then(|c| c.timeout_seconds)
                    .unwrap_or(10800);
                if !(1..=86400).contains(&t) {
                    o.error(
                        "invalid-value",
                        timeout_at.span(),
                        format!("timeoutSeconds must be 1 to 86400 (one day), not {t}"),
                        vec![],
                    );
                }
                SessionAffinity::ClientIp { timeout_seconds: t.clamp(1, 86400) as u32 }
            }
            Some(other) => {
                o.one_of(aff_at, "sessionAffinity", other, &["None", "ClientIP"]);
                SessionAffinity::None
            }
        };
        let etp_at = spec_at.key("externalTrafficPolicy");
        let policy = |o: &mut Obj<'_>, at: At<'_>, field: &str, value: Option<&str>| match value {
            None | Some("") | Some("Cluster") => TrafficPolicy::Cluster,
            Some("Local") => TrafficPolicy::Local,
            Some(other) => {
                o.one_of(at, field, other, &["Cluster", "Local"]);
                TrafficPolicy::Cluster
            }
        };
        let external_traffic_policy =
            policy(o, etp_at, "externalTrafficPolicy", spec.external_traffic_policy.as_deref());
        if spec.external_traffic_policy.as_deref().is_some_and(|s| !s.is_empty()) && !node_ports_allowed {
            o.error(
                "external-traffic-policy-not-allowed",
                etp_at.key_span(),
                format!(
                    "externalTrafficPolicy applies only to NodePort and LoadBalancer Services, not {}",
                    service_type.as_str()
                ),
                vec![],
            );
        }
        let internal_traffic_policy = policy(
            o,
            spec_at.key("internalTrafficPolicy"),
            "internalTrafficPolicy",
            spec.internal_traffic_policy.as_deref(),
        );
        let mut external_ips = Vec::new();
        for (i, ip) in spec.external_ips.iter().flatten().enumerate() {
            external_ips.extend(o.ipv4(spec_at.key("externalIPs").idx(i), "external IP", ip));
        }
        let mut load_balancer_source_ranges = Vec::new();
        for (i, c) in spec.load_balancer_source_ranges.iter().flatten().enumerate() {
            load_balancer_source_ranges.extend(o.cidr(spec_at.key("loadBalancerSourceRanges").idx(i), c));
        }
        let status_ip = v
            .status
            .as_ref()
            .and_then(|s| s.load_balancer.as_ref())
            .and_then(|lb| lb.ingress.as_ref())
            .and_then(|i| i.first())
            .and_then(|i| i.ip.clone());
        let load_balancer_ip = match (spec.load_balancer_ip.as_deref().filter(|s| !s.is_empty()), status_ip) {
            (Some(ip), _) => o.ipv4(spec_at.key("loadBalancerIP"), "loadBalancerIP", ip),
            (None, Some(ip)) => o.ipv4(
                root.key("status").key("loadBalancer").key("ingress").idx(0).key("ip"),
                "load balancer IP",
                &ip,
            ),
            (None, None) => None,
        };
        let svc = netsim::Service {
            service_type,
            selector,
            cluster_ip,
            ports,
            external_name,
            external_ips,
            session_affinity,
            external_traffic_policy,
            internal_traffic_policy,
            load_balancer_source_ranges,
            load_balancer_ip,
            publish_not_ready_addresses: spec.publish_not_ready_addresses.unwrap_or(false),
            ..Default::default()
        };
        let spans = ServiceSpans {
            file: file.to_string(),
            name: (0, 0),
            type_: if type_at.present() { type_at.span() } else { spec_at.key_span() },
            selector: if sel_at.present() { sel_at.key_span() } else { spec_at.key_span() },
            cluster_ip: if ip_at.present() { ip_at.span() } else { spec_at.key_span() },
            cluster_ip_line: line_at(&self.newlines.1, ip_at.span().0),
            ports: port_spans,
        };
        (svc, spans)
    }
}

fn pod_ref(r: Option<&core::ObjectReference>) -> Option<String> {
    r.filter(|r| r.kind.as_deref() == Some("Pod")).and_then(|r| r.name.clone())
}

fn pod_spec(
    o: &mut Obj<'_>,
    at: At<'_>,
    spec: Option<&core::PodSpec>,
    labels: Labels,
    annotations: Labels,
) -> netsim::PodSpec {
    let default = core::PodSpec::default();
    let spec = spec.unwrap_or(&default);
    let mut containers = Vec::new();
    let mut names: BTreeMap<String, ()> = BTreeMap::new();
    for (i, c) in spec.containers.iter().enumerate() {
        let cat = at.key("containers").idx(i);
        if c.name.is_empty() {
            o.error("missing-field", cat.key("name").span(), "a container needs a `name`".into(), vec![]);
        } else {
            o.check("invalid-name", cat.key("name"), "container name", &c.name, names::dns1123_label);
        }
        let mut ports = Vec::new();
        for (j, p) in c.ports.iter().flatten().enumerate() {
            let pat = cat.key("ports").idx(j);
            let container_port = o.port(pat.key("containerPort"), "containerPort", p.container_port);
            let protocol = o.protocol(pat.key("protocol"), p.protocol.as_deref());
            let name = p.name.clone().filter(|n| !n.is_empty());
            if let Some(n) = &name {
                o.check("invalid-port-name", pat.key("name"), "container port name", n, names::iana_svc_name);
                if names.insert(n.clone(), ()).is_some() {
                    o.error(
                        "duplicate-port-name",
                        pat.key("name").span(),
                        format!("port name `{n}` is used twice in this pod"),
                        vec![],
                    );
                }
            }
            let host_port = match p.host_port {
                None | Some(0) => None,
                Some(h) => Some(o.port(pat.key("hostPort"), "hostPort", h)),
            };
            ports.push(netsim::ContainerPort {
                name,
                container_port,
                protocol,
                host_port,
                source: item_source(o.file, pat),
            });
        }
        containers.push(netsim::Container { name: c.name.clone(), ports });
    }
    if spec.containers.is_empty() {
        o.error(
            "missing-field",
            at.key("containers").key_span(),
            "a pod needs at least one container in `containers`".into(),
            vec![],
        );
    }
    let dns_policy = match spec.dns_policy.as_deref() {
        None | Some("ClusterFirst") => netsim::DnsPolicy::ClusterFirst,
        Some("ClusterFirstWithHostNet") => netsim::DnsPolicy::ClusterFirstWithHostNet,
        Some("Default") => netsim::DnsPolicy::Default,
        Some("None") => netsim::DnsPolicy::None,
        Some(other) => {
            o.one_of(
                at.key("dnsPolicy"),
                "dnsPolicy",
                other,
                &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
            );
            netsim::DnsPolicy::ClusterFirst
        }
    };
    let dns_config = spec.dns_config.as_ref().map(|c| {
        let mut nameservers = Vec::new();
        for (i, ns) in c.nameservers.iter().flatten().enumerate() {
            nameservers.extend(o.ipv4(at.key("dnsConfig").key("nameservers").idx(i), "nameserver", ns));
        }
        netsim::DnsConfig {
            nameservers,
            searches: c.searches.clone().unwrap_or_default(),
            options: c
                .options
                .iter()
                .flatten()
                .map(|op| (op.name.clone().unwrap_or_default(), op.value.clone()))
                .collect(),
        }
    });
    if dns_policy == netsim::DnsPolicy::None && dns_config.as_ref().is_none_or(|c| c.nameservers.is_empty()) {
        o.error(
            "missing-field",
            at.key("dnsPolicy").span(),
            "`dnsPolicy: None` needs at least one nameserver in `dnsConfig.nameservers`".into(),
            vec![],
        );
    }
    let node_selector = spec.node_selector.clone().unwrap_or_default();
    o.labels(at.key("nodeSelector"), &node_selector);
    netsim::PodSpec {
        labels,
        annotations,
        containers,
        host_network: spec.host_network.unwrap_or(false),
        no_service_links: spec.enable_service_links == Some(false),
        hostname: spec.hostname.clone(),
        subdomain: spec.subdomain.clone(),
        dns_policy,
        dns_config,
        node_name: spec.node_name.clone(),
        node_selector,
    }
}

fn network_policy(
    o: &mut Obj<'_>,
    at: At<'_>,
    spec: networking::NetworkPolicySpec,
    file: &str,
) -> netsim::NetworkPolicy {
    let pod_selector = o.selector(at.key("podSelector"), &spec.pod_selector.clone().unwrap_or_default());
    let rules =
        |o: &mut Obj<'_>,
         field: &str,
         peer_field: &str,
         list: Vec<(Vec<networking::NetworkPolicyPeer>, Vec<networking::NetworkPolicyPort>)>| {
            let mut out = Vec::new();
            for (i, (peers_in, ports_in)) in list.into_iter().enumerate() {
                let rat = at.key(field).idx(i);
                let mut peers = Vec::new();
                for (j, p) in peers_in.iter().enumerate() {
                    let pat = rat.key(peer_field).idx(j);
                    if let Some(b) = &p.ip_block {
                        if p.pod_selector.is_some() || p.namespace_selector.is_some() {
                            o.error(
                            "invalid-value",
                            pat.span(),
                            "a peer with `ipBlock` may not also have `podSelector` or `namespaceSelector`".into(),
                            vec!["make them two separate peers (list items)".into()],
                        );
                        }
                        let bat = pat.key("ipBlock");
                        if let Some(cidr) = o.cidr(bat.key("cidr"), &b.cidr) {
                            let mut except = Vec::new();
                            for (k, e) in b.except.iter().flatten().enumerate() {
                                let eat = bat.key("except").idx(k);
                                if let Some(ex) = o.cidr(eat, e) {
                                    if !cidr.contains(ex.addr) || ex.prefix <= cidr.prefix {
                                        o.error(
                                            "invalid-cidr",
                                            eat.span(),
                                            format!("except {ex} must be a strict subset of {cidr}"),
                                            vec![],
                                        );
                                    }
                                    except.push(ex);
                                }
                            }
                            peers.push(netsim::PolicyPeer::IpBlock { cidr, except });
                        }
                    } else if p.pod_selector.is_none() && p.namespace_selector.is_none() {
                        o.error(
                            "missing-field",
                            pat.span(),
                            "a peer needs `podSelector`, `namespaceSelector` or `ipBlock`".into(),
                            vec![],
                        );
                    } else {
                        let pod_selector =
                            p.pod_selector.as_ref().map(|s| o.selector(pat.key("podSelector"), s));
                        let namespace_selector = p
                            .namespace_selector
                            .as_ref()
                            .map(|s| o.selector(pat.key("namespaceSelector"), s));
                        peers.push(netsim::PolicyPeer::Pods { pod_selector, namespace_selector });
                    }
                }
                let mut ports = Vec::new();
                for (j, p) in ports_in.iter().enumerate() {
                    let pat = rat.key("ports").idx(j);
                    let protocol = o.protocol(pat.key("protocol"), p.protocol.as_deref());
                    let port = match &p.port {
                        None => None,
                        Some(IntOrString::Int(n)) => {
                            Some(PortRef::Number(o.port(pat.key("port"), "port", *n)))
                        }
                        Some(IntOrString::String(s)) => {
                            o.check(
                                "invalid-port-name",
                                pat.key("port"),
                                "port name",
                                s,
                                names::iana_svc_name,
                            );
                            Some(PortRef::Name(s.clone()))
                        }
                    };
                    let end_port = p.end_port.map(|e| {
                        let e16 = o.port(pat.key("endPort"), "endPort", e);
                        match &port {
                            Some(PortRef::Number(n)) if e16 != 0 && e16 < *n => o.error(
                                "invalid-value",
                                pat.key("endPort").span(),
                                format!("endPort {e16} must not be below port {n}"),
                                vec![],
                            ),
                            Some(PortRef::Number(_)) => {}
                            _ => o.error(
                                "invalid-value",
                                pat.key("endPort").span(),
                                "endPort needs a numeric `port`".into(),
                                vec![],
                            ),
                        }
                        e16
                    });
                    ports.push(netsim::PolicyPort { protocol, port, end_port });
                }
                out.push(netsim::PolicyRule { peers, ports, source: item_source(file, rat) });
            }
            out
        };
    let ingress_in: Vec<_> = spec
        .ingress
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|r| (r.from.unwrap_or_default(), r.ports.unwrap_or_default()))
        .collect();
    let egress_in: Vec<_> = spec
        .egress
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|r| (r.to.unwrap_or_default(), r.ports.unwrap_or_default()))
        .collect();
    let ingress = rules(o, "ingress", "from", ingress_in);
    let egress = rules(o, "egress", "to", egress_in);
    let policy_types = match &spec.policy_types {
        Some(types) if !types.is_empty() => {
            let mut out = Vec::new();
            for (i, t) in types.iter().enumerate() {
                match t.as_str() {
                    "Ingress" => out.push(netsim::PolicyType::Ingress),
                    "Egress" => out.push(netsim::PolicyType::Egress),
                    other => {
                        o.one_of(at.key("policyTypes").idx(i), "policyTypes", other, &["Ingress", "Egress"]);
                    }
                }
            }
            out
        }
        _ => {
            // https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
            let mut out = vec![netsim::PolicyType::Ingress];
            if spec.egress.is_some() {
                out.push(netsim::PolicyType::Egress);
            }
            out
        }
    };
    netsim::NetworkPolicy {
        name: String::new(),
        namespace: String::new(),
        pod_selector,
        policy_types,
        ingress,
        egress,
        source: None,
    }
}

/// Where the fields of a NetworkPolicy read without errors are (`spec` at `at`).
fn policy_spans(
    file: &str,
    namespace: (usize, usize),
    at: At<'_>,
    np: &netsim::NetworkPolicy,
) -> PolicySpans {
    let or_spec = |a: At<'_>| if a.present() { a.key_span() } else { at.key_span() };
    let rules = |field: &str, peer_field: &str, rules: &[netsim::PolicyRule]| -> Vec<RuleSpans> {
        let rules_at = at.key(field);
        (0..rules.len())
            .map(|i| {
                let r = rules_at.idx(i);
                RuleSpans {
                    peers: (0..rules[i].peers.len())
                        .map(|j| {
                            let p = r.key(peer_field).idx(j);
                            (p.key("podSelector").key_span(), p.key("namespaceSelector").key_span())
                        })
                        .collect(),
                    ports: (0..rules[i].ports.len())
                        .map(|j| r.key("ports").idx(j).key("port").span())
                        .collect(),
                }
            })
            .collect()
    };
    let types_at = at.key("policyTypes");
    let egress_item = types_at
        .node
        .and_then(|n| n.as_seq())
        .and_then(|items| items.iter().position(|t| t.as_str() == Some("Egress")));
    PolicySpans {
        file: file.to_string(),
        namespace,
        pod_selector: or_spec(at.key("podSelector")),
        egress_type: match egress_item {
            Some(i) => types_at.idx(i).span(),
            None => or_spec(at.key("egress")),
        },
        ingress: rules("ingress", "from", &np.ingress),
        egress: rules("egress", "to", &np.egress),
    }
}

fn backend(o: &mut Obj<'_>, at: At<'_>, b: &networking::IngressBackend) -> Option<netsim::IngressBackend> {
    match (&b.service, &b.resource) {
        (Some(s), None) => {
            let sat = at.key("service");
            o.check("invalid-name", sat.key("name"), "Service name", &s.name, names::dns1035_label);
            let pat = sat.key("port");
            let port = match s.port.as_ref().map(|p| (p.name.as_deref().filter(|n| !n.is_empty()), p.number))
            {
                Some((None, Some(n))) => PortRef::Number(o.port(pat.key("number"), "port number", n)),
                Some((Some(name), None)) => {
                    o.check("invalid-port-name", pat.key("name"), "port name", name, names::dns1123_label);
                    PortRef::Name(name.to_string())
                }
                _ => {
                    o.error(
                        "missing-field",
                        pat.key_span(),
                        "a service backend needs exactly one of `port.number` and `port.name`".into(),
                        vec![],
                    );
                    PortRef::Number(0)
                }
            };
            Some(netsim::IngressBackend::Service { name: s.name.clone(), port })
        }
        (None, Some(r)) => {
            Some(netsim::IngressBackend::Resource { kind: r.kind.clone(), name: r.name.clone() })
        }
        _ => {
            o.error(
                "missing-field",
                at.key_span(),
                "a backend needs exactly one of `service` and `resource`".into(),
                vec![],
            );
            None
        }
    }
}

fn ingress(o: &mut Obj<'_>, at: At<'_>, spec: networking::IngressSpec, file: &str) -> netsim::Ingress {
    let default_backend = spec.default_backend.as_ref().and_then(|b| backend(o, at.key("defaultBackend"), b));
    let mut rules = Vec::new();
    for (i, r) in spec.rules.iter().flatten().enumerate() {
        let rat = at.key("rules").idx(i);
        let host = r.host.clone().filter(|h| !h.is_empty());
        if let Some(h) = &host {
            let bare = h.strip_prefix("*.").unwrap_or(h);
            if let Err(why) = names::dns1123_subdomain(bare) {
                o.error("invalid-host", rat.key("host").span(), format!("invalid host `{h}`: {why}"), vec![]);
            }
        }
        let mut paths = Vec::new();
        for (j, p) in r.http.iter().flat_map(|h| &h.paths).enumerate() {
            let pat = rat.key("http").key("paths").idx(j);
            let path_type = match p.path_type.as_str() {
                "Exact" => netsim::PathType::Exact,
                "Prefix" => netsim::PathType::Prefix,
                "ImplementationSpecific" => netsim::PathType::ImplementationSpecific,
                "" => {
                    o.error(
                        "missing-field",
                        pat.key_span(),
                        "`pathType` is required: Exact, Prefix or ImplementationSpecific".into(),
                        vec!["`pathType: Prefix` matches the path and everything below it".into()],
                    );
                    netsim::PathType::Prefix
                }
                other => {
                    o.one_of(
                        pat.key("pathType"),
                        "pathType",
                        other,
                        &["Exact", "Prefix", "ImplementationSpecific"],
                    );
                    netsim::PathType::Prefix
                }
            };
            if let Some(path) = &p.path {
                if !path.starts_with('/') {
                    o.error(
                        "invalid-value",
                        pat.key("path").span(),
                        format!("path `{path}` must start with '/'"),
                        vec![],
                    );
                }
            }
            if let Some(b) = backend(o, pat.key("backend"), &p.backend) {
                paths.push(netsim::IngressPath {
                    path: p.path.clone(),
                    path_type,
                    backend: b,
                    source: item_source(file, pat),
                });
            }
        }
        rules.push(netsim::IngressRule { host, paths });
    }
    if default_backend.is_none() && rules.is_empty() {
        o.error(
            "missing-field",
            at.key_span(),
            "an Ingress needs `rules` or a `defaultBackend`".into(),
            vec![],
        );
    }
    let tls = spec
        .tls
        .iter()
        .flatten()
        .map(|t| netsim::IngressTls {
            hosts: t.hosts.clone().unwrap_or_default(),
            secret_name: t.secret_name.clone(),
        })
        .collect();
    netsim::Ingress {
        name: String::new(),
        namespace: String::new(),
        annotations: Labels::new(),
        class_name: spec.ingress_class_name.clone(),
        default_backend,
        rules,
        tls,
        source: None,
    }
}
