//! Reads documents one by one into a scenario: each document's `kind` and `apiVersion` are
//! checked here, the object is read by its kind's module ([`crate::kinds`]), a second copy of
//! an object is refused, and the checks across objects run at the end ([`crate::validate`]).

use std::collections::BTreeMap;

use netsim::{Scenario, Topology};

use crate::kinds::{self, Kind};
use crate::object::{At, Obj, Object};
use crate::policies::PolicySpans;
use crate::problem::closest;
use crate::tree::{Document, Node};
use crate::validate::{self, IngressSpans, ServiceSpans};
use crate::{Diagnostic, LineIndex};

/// Reads documents one by one into a scenario.
pub struct Reader<'t> {
    topology: &'t Topology,
    scenario: Scenario,
    spans: Vec<ServiceSpans>,
    ingress_spans: Vec<IngressSpans>,
    policy_spans: Vec<PolicySpans>,
    /// (kind, namespace, name) -> (file, line) of the first definition.
    seen: BTreeMap<(String, String, String), (String, usize)>,
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

    /// Reads one document of `file` (whose lines `lines` indexes); problems go to `diags`, and
    /// the object is added when it has none.
    pub fn document(
        &mut self,
        file: &str,
        lines: &LineIndex<'_>,
        doc: &Document,
        diags: &mut Vec<Diagnostic>,
    ) {
        let root = At::root(&doc.root);
        let mut o = Obj { file, diags, errors: 0, topology: self.topology, lines };
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
        let Some(known) = Kind::parse(kind) else {
            let hint = closest(kind, Kind::ALL.map(Kind::as_str)).map(|c| format!("did you mean `{c}`?"));
            o.warn(
                "unknown-kind",
                kind_at.span(),
                format!("kind `{kind}` is not simulated; the object is skipped"),
                hint.into_iter().collect(),
            );
            return;
        };
        let want_api = known.api_version();
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
        self.object(known, o, doc);
    }

    /// Reads a document of a known kind and apiVersion; the object is added when it has no
    /// error and is not a second copy of one already read.
    fn object(&mut self, kind: Kind, mut o: Obj<'_>, doc: &Document) {
        let Some((name, namespace, object)) = kinds::read(kind, &mut o, doc) else { return };
        if name.is_empty() {
            return;
        }
        let key = (kind.as_str().to_string(), namespace.clone(), name.clone());
        if let Some((first_file, first_line)) = self.seen.get(&key) {
            let place = if first_file == o.file {
                format!("line {first_line}")
            } else {
                format!("{first_file}:{first_line}")
            };
            let scope =
                if namespace.is_empty() { String::new() } else { format!(" in namespace `{namespace}`") };
            o.error(
                "duplicate-object",
                At::root(&doc.root).key("metadata").key("name").span(),
                format!("{} `{name}`{scope} is defined twice", kind.as_str()),
                vec![format!("it is first defined at {place}; this copy is ignored")],
            );
        } else if o.errors == 0 {
            self.seen.insert(key, (o.file.to_string(), o.line(doc.start)));
            self.push(object);
        }
    }

    fn push(&mut self, object: Object) {
        let s = &mut self.scenario;
        match object {
            Object::Namespace(n) => s.namespaces.push(n),
            Object::Node(n) => s.nodes.push(n),
            Object::Pod(p) => s.pods.push(p),
            Object::Workload(w) => s.workloads.push(w),
            Object::Service(svc, spans) => {
                s.services.push(svc);
                self.spans.push(spans);
            }
            Object::EndpointSlices(slices) => s.endpoint_slices.extend(slices),
            Object::NetworkPolicy(np, spans) => {
                s.network_policies.push(np);
                self.policy_spans.push(spans);
            }
            Object::Ingress(ing, spans) => {
                s.ingresses.push(ing);
                self.ingress_spans.push(spans);
            }
            Object::IngressClass(class) => s.ingress_classes.push(class),
        }
    }
}
