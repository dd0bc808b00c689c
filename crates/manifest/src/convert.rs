//! Reads documents one by one into a scenario: each document's `kind` and `apiVersion` are
//! checked here, the object is read by its kind's module ([`crate::kinds`]), a second copy of
//! an object is refused, and the checks across objects run at the end ([`crate::validate`]).
//! A `List` (or a typed list, `PodList`, …) is read item by item, each item an object. What is
//! not used is recorded ([`crate::reading::Unused`]): objects left out, with the first error they got,
//! objects of networking kinds kept with a warning of their own, and objects of kinds that
//! cannot change a networking answer ([`kinds::networking`]).

use std::collections::{BTreeMap, BTreeSet};

use netsim::{Scenario, Topology};

use crate::kinds::{self, Kind};
use crate::object::{At, Obj, Object};
use crate::policies::PolicySpans;
use crate::problem::closest;
use crate::reading::{Unused, UnusedStatus, MAX_OBJECTS};
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
    unused: Vec<Unused>,
    /// Objects met so far (documents and list items), and how many may be read.
    objects: usize,
    max_objects: usize,
    /// (namespace, kind, name) of every owner a read object names in `metadata.ownerReferences`.
    owners: BTreeSet<(String, String, String)>,
    /// Unknown fields are warnings and their objects kept ([`crate::Limits::warn_unknown_fields`]).
    warn_unknown_fields: bool,
}

/// What became of one document or list item.
enum Outcome {
    /// An object the scenario holds.
    Used,
    /// A list: its items were read, each with its own outcome.
    List,
    /// Left out; the reason is the first error (else warning) it got.
    Dropped,
    /// Left out, for this reason.
    DroppedBecause(String),
    /// A kind that cannot change a networking answer.
    Ignored,
}

impl<'t> Reader<'t> {
    pub fn new(topology: &'t Topology) -> Reader<'t> {
        Reader::with_limit(topology, MAX_OBJECTS, false)
    }

    /// A reader of at most `max_objects` objects (documents and list items, see
    /// [`crate::reading::Limits`]).
    pub fn with_limit(topology: &'t Topology, max_objects: usize, warn_unknown_fields: bool) -> Reader<'t> {
        Reader {
            topology,
            scenario: Scenario::default(),
            spans: Vec::new(),
            ingress_spans: Vec::new(),
            policy_spans: Vec::new(),
            seen: BTreeMap::new(),
            unused: Vec::new(),
            objects: 0,
            max_objects,
            owners: BTreeSet::new(),
            warn_unknown_fields,
        }
    }

    /// Keeps the owners `node` names in `metadata.ownerReferences` (in its own namespace, as
    /// owner references are).
    fn note_owners(&mut self, node: &Node) {
        let meta = node.get("metadata");
        let namespace = meta.and_then(|m| m.get("namespace")).and_then(Node::as_str).unwrap_or("default");
        let refs = meta.and_then(|m| m.get("ownerReferences")).and_then(Node::as_seq).unwrap_or_default();
        for r in refs {
            if let (Some(kind), Some(name)) =
                (r.get("kind").and_then(Node::as_str), r.get("name").and_then(Node::as_str))
            {
                self.owners.insert((namespace.to_string(), kind.to_string(), name.to_string()));
            }
        }
    }

    /// Whether the object budget is spent: the rest is not read.
    pub fn exhausted(&self) -> bool {
        self.objects > self.max_objects
    }

    /// Runs the checks across objects and returns the scenario.
    pub fn finish(self, diags: &mut Vec<Diagnostic>) -> Scenario {
        self.finish_with_spans(diags).0
    }

    /// [`Reader::finish`], with where each NetworkPolicy's fields are and what was not used.
    pub(crate) fn finish_with_spans(
        mut self,
        diags: &mut Vec<Diagnostic>,
    ) -> (Scenario, Vec<PolicySpans>, Vec<Unused>) {
        // A workload that a read object names as its owner adds no pods of its own: what it
        // owns stands for it (a dump's Deployment, its ReplicaSet and their pods are one set
        // of pods). https://kubernetes.io/docs/concepts/overview/working-with-objects/owners-dependents/
        let owners = std::mem::take(&mut self.owners);
        self.scenario.workloads.retain(|w| {
            !owners.contains(&(w.namespace.clone(), w.kind.as_str().to_string(), w.name.clone()))
        });
        let first = diags.len();
        let refused = validate::cluster(&mut self.scenario, &mut self.spans, self.topology, diags);
        for (svc, (start, end), why) in refused {
            let file = svc.source.as_ref().map_or_else(String::new, |s| s.file.clone());
            let why = diags[first..].get(why).map_or_else(String::new, |d| d.message.clone());
            self.unused.push(Unused {
                file,
                start,
                end,
                kind: "Service".into(),
                namespace: svc.namespace,
                name: svc.name,
                why,
                status: UnusedStatus::Skipped,
            });
        }
        validate::ingresses(&self.scenario, &self.ingress_spans, self.topology, diags);
        (self.scenario, self.policy_spans, self.unused)
    }

    /// The parts of a file its YAML reading gave up on (`file_diags`: the diagnostics of that
    /// reading): each document with errors (skipped, or ignored when its kind cannot change a
    /// networking answer), and what stopped the reading (a syntax error, too many documents, a
    /// file too large), skipped.
    pub(crate) fn unreadable(&mut self, file: &str, docs: &[Document], file_diags: &[Diagnostic]) {
        let errors = file_diags.iter().filter(|d| d.severity == crate::Severity::Error);
        let mut said = vec![false; docs.len()];
        for d in errors {
            // What stops the reading belongs to no document read; any other error to the last
            // document starting at or before it (documents are in order).
            let stop =
                matches!(d.code, "yaml-syntax" | "too-many-documents" | "file-too-large" | "json-syntax");
            let doc = docs
                .partition_point(|doc| doc.start <= d.start)
                .checked_sub(1)
                .filter(|&i| !stop && docs[i].broken);
            match doc {
                Some(i) if said[i] => {}
                Some(i) => {
                    said[i] = true;
                    let root = &docs[i].root;
                    let kind = root.get("kind").and_then(Node::as_str).unwrap_or_default();
                    let status = if kind.is_empty() || is_list(kind) || kinds::networking(kind) {
                        UnusedStatus::Skipped
                    } else {
                        UnusedStatus::Ignored
                    };
                    self.record(file, root, None, d.message.clone(), status);
                }
                None => self.unused.push(Unused {
                    file: file.to_string(),
                    start: d.start,
                    end: d.end,
                    kind: String::new(),
                    namespace: String::new(),
                    name: String::new(),
                    why: d.message.clone(),
                    status: UnusedStatus::Skipped,
                }),
            }
        }
    }

    /// Reads one document of `file` (whose lines `lines` indexes); problems go to `diags`, and
    /// the object is added when it has none. A list's items are read as objects.
    pub fn document(
        &mut self,
        file: &str,
        lines: &LineIndex<'_>,
        doc: &Document,
        diags: &mut Vec<Diagnostic>,
    ) {
        self.item(file, lines, &doc.root, (doc.start, doc.end), None, diags);
    }

    /// One object: a document (`span`: its range), or an item of a list (`implied`: the kind
    /// and apiVersion of a typed list's items); what was not used is recorded.
    fn item(
        &mut self,
        file: &str,
        lines: &LineIndex<'_>,
        node: &Node,
        span: (usize, usize),
        implied: Option<(&str, &str)>,
        diags: &mut Vec<Diagnostic>,
    ) {
        if node.is_null() {
            return; // An empty document, as kubectl skips it.
        }
        // Lists are not counted: their items are.
        let kind = node.get("kind").and_then(Node::as_str).unwrap_or_default();
        if !is_list(kind) {
            self.objects += 1;
        }
        if self.objects > self.max_objects {
            if self.objects == self.max_objects + 1 {
                let message =
                    format!("more than {} objects in this reading; the rest is not read", self.max_objects);
                diags.push(validate::diag(
                    crate::Severity::Error,
                    "too-many-objects",
                    file,
                    (node.start, node.start),
                    message.clone(),
                    vec!["read fewer files, or the namespaces that matter".into()],
                ));
                self.record(file, node, None, message, UnusedStatus::Skipped);
            }
            return;
        }
        let first = diags.len();
        let outcome = self.header(file, lines, node, span, implied, diags);
        if matches!(outcome, Outcome::Used) {
            self.note_owners(node);
        }
        let new = &diags[first..];
        let said = |severity| new.iter().find(|d| d.severity == severity).map(|d| d.message.clone());
        let (why, status) = match outcome {
            Outcome::List => return,
            Outcome::Used => match said(crate::Severity::Warning) {
                Some(why) => (why, UnusedStatus::Kept),
                None => return,
            },
            Outcome::Dropped => {
                let why = said(crate::Severity::Error).or_else(|| said(crate::Severity::Warning));
                (why.unwrap_or_default(), UnusedStatus::Skipped)
            }
            Outcome::DroppedBecause(why) => (why, UnusedStatus::Skipped),
            Outcome::Ignored => (String::new(), UnusedStatus::Ignored),
        };
        self.record(file, node, implied, why, status);
    }

    /// Lists `node` as not used: its kind (as written, else as its list implies), namespace
    /// and name as far as they can be read.
    fn record(
        &mut self,
        file: &str,
        node: &Node,
        implied: Option<(&str, &str)>,
        why: String,
        status: UnusedStatus,
    ) {
        let text = |n: Option<&Node>| n.and_then(Node::as_str).unwrap_or_default().to_string();
        let mut kind = text(node.get("kind"));
        if kind.is_empty() && node.get("apiVersion").is_none() {
            kind = implied.map(|(k, _)| k.to_string()).unwrap_or_default();
        }
        let meta = node.get("metadata");
        let mut namespace = text(meta.and_then(|m| m.get("namespace")));
        if namespace.is_empty() && Kind::parse(&kind).is_some_and(|k| !k.cluster_scoped()) {
            namespace = "default".into();
        }
        let why = if status == UnusedStatus::Ignored && why.is_empty() {
            format!("kind `{kind}` cannot change a networking answer")
        } else {
            why
        };
        self.unused.push(Unused {
            file: file.to_string(),
            start: node.start,
            end: node.end,
            kind,
            namespace,
            name: text(meta.and_then(|m| m.get("name"))),
            why,
            status,
        });
    }

    /// Checks `kind` and `apiVersion`, then reads the object, or the items of a list.
    fn header(
        &mut self,
        file: &str,
        lines: &LineIndex<'_>,
        node: &Node,
        span: (usize, usize),
        implied: Option<(&str, &str)>,
        diags: &mut Vec<Diagnostic>,
    ) -> Outcome {
        let root = At::root(node);
        let mut o = Obj {
            file,
            diags,
            errors: 0,
            topology: self.topology,
            lines,
            warn_unknown_fields: self.warn_unknown_fields,
        };
        if node.as_map().is_none() {
            o.error(
                "not-an-object",
                root.span(),
                format!("a document must be a mapping with `apiVersion` and `kind`, not {}", node.describe()),
                vec![],
            );
            return Outcome::Dropped;
        }
        let kind_at = root.key("kind");
        let api_at = root.key("apiVersion");
        // A typed list's items carry neither; they are the list's kind, of its apiVersion.
        let implied = implied.filter(|_| !kind_at.present() && !api_at.present());
        let kind = node.get("kind").and_then(Node::as_str).or(implied.map(|i| i.0));
        let api = node.get("apiVersion").and_then(Node::as_str).or(implied.map(|i| i.1));
        let start = (node.start, node.start);
        if kind.is_none() && kind_at.present() {
            o.error(
                "invalid-type",
                kind_at.span(),
                format!(
                    "`kind` must be a string such as `Service`, not {}",
                    node.get("kind").map_or(String::new(), Node::describe)
                ),
                vec![],
            );
            return Outcome::Dropped;
        }
        let Some(kind) = kind.filter(|k| !k.is_empty()) else {
            let span = if kind_at.present() { kind_at.span() } else { start };
            o.error(
                "missing-kind",
                span,
                "the object has no `kind` (a string such as `Service`)".into(),
                vec![],
            );
            return Outcome::Dropped;
        };
        let Some(known) = Kind::parse(kind) else {
            if is_list(kind) {
                return self.list(file, lines, node, kind, o.diags);
            }
            if kinds::gateway_not_simulated(kind) {
                o.warn(
                    "unknown-kind",
                    kind_at.span(),
                    format!("kind `{kind}` of the Gateway API is read but not simulated; the object is skipped"),
                    vec![if kinds::gateway_api() {
                        "Switchboard simulates GatewayClass, Gateway, HTTPRoute, GRPCRoute and ReferenceGrant; \
                         route this traffic with an HTTPRoute or a GRPCRoute to see it in the model"
                            .into()
                    } else {
                        "the Gateway API's part of the model is not loaded here; the command line \
                         has it (`switchboard trace`, `query`, `validate`)"
                            .into()
                    }],
                );
                return Outcome::DroppedBecause(format!("kind `{kind}` is not simulated"));
            }
            let hint = closest(kind, Kind::ALL.map(Kind::as_str)).map(|c| format!("did you mean `{c}`?"));
            o.warn(
                "unknown-kind",
                kind_at.span(),
                format!("kind `{kind}` is not simulated; the object is skipped"),
                hint.into_iter().collect(),
            );
            return if kinds::networking(kind) {
                Outcome::DroppedBecause(format!("kind `{kind}` is not simulated"))
            } else {
                Outcome::Ignored
            };
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
                return Outcome::Dropped;
            }
            Some(api) if !known.serves(api) => {
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
                    if api_at.present() { api_at.span() } else { start },
                    format!("`{kind}` is not served by `apiVersion: {api}`"),
                    hints,
                );
                return Outcome::Dropped;
            }
            Some(_) => {}
        }
        if self.object(known, o, node, span) {
            Outcome::Used
        } else {
            Outcome::Dropped
        }
    }

    /// The items of a `List` or of a typed list (`PodList`, …) of `kind`, each read as an
    /// object; a typed list's items without `apiVersion` and `kind` are of its kind without
    /// `List` and of its apiVersion (apimachinery's unstructured decoder does the same,
    /// `UnstructuredJSONScheme.decodeToList`).
    fn list(
        &mut self,
        file: &str,
        lines: &LineIndex<'_>,
        node: &Node,
        kind: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Outcome {
        let Some(items) = node.get("items").filter(|n| !n.is_null()) else { return Outcome::List };
        let Some(items) = items.as_seq() else {
            let mut o = Obj {
                file,
                diags,
                errors: 0,
                topology: self.topology,
                lines,
                warn_unknown_fields: self.warn_unknown_fields,
            };
            o.error(
                "invalid-type",
                At::root(node).key("items").span(),
                format!("`items` of a {kind} must be a list of objects, not {}", items.describe()),
                vec![],
            );
            return Outcome::Dropped;
        };
        let item_kind = kind.strip_suffix("List").filter(|k| !k.is_empty());
        let api = node.get("apiVersion").and_then(Node::as_str).unwrap_or_default();
        for item in items {
            self.item(file, lines, item, (item.start, item.end), item_kind.map(|k| (k, api)), diags);
        }
        Outcome::List
    }

    /// Reads an object of a known kind and apiVersion (`span`: its range in the file); the
    /// object is added, and true returned, when it has no error and is not a second copy of
    /// one already read.
    fn object(&mut self, kind: Kind, mut o: Obj<'_>, node: &Node, span: (usize, usize)) -> bool {
        let Some((name, namespace, object)) = kinds::read(kind, &mut o, node, span) else { return false };
        if name.is_empty() {
            return false;
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
                At::root(node).key("metadata").key("name").span(),
                format!("{} `{name}`{scope} is defined twice", kind.as_str()),
                vec![format!("it is first defined at {place}; this copy is ignored")],
            );
            false
        } else if o.errors == 0 {
            self.seen.insert(key, (o.file.to_string(), o.line(span.0)));
            self.push(object);
            true
        } else {
            false
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
            Object::GatewayClass(class) => s.gateway_classes.push(class),
            Object::Gateway(gateway) => s.gateways.push(gateway),
            Object::HttpRoute(route) => s.http_routes.push(route),
            Object::GrpcRoute(route) => s.grpc_routes.push(route),
            Object::ReferenceGrant(grant) => s.reference_grants.push(grant),
            Object::ClusterNetworkPolicy(policy) => s.cluster_network_policies.push(policy),
        }
    }
}

/// `List`, or a typed list (`PodList`, `NetworkPolicyList`, …; any kind ending in `List` that
/// is not a kind read).
fn is_list(kind: &str) -> bool {
    kind.ends_with("List") && Kind::parse(kind).is_none()
}
