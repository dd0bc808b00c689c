//! What every kind's reader shares: [`At`] (a position in a document's tree), [`Obj`] (the
//! diagnostics of one object and the value checks most kinds use), the object's metadata
//! ([`Meta`], checked by [`meta`]) and the [`Object`] a kind's reader hands back.

use std::net::Ipv4Addr;

use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;
use netsim::{Cidr, Labels, Protocol, SelectorOperator, Source, Topology};

use crate::names;
use crate::policies::PolicySpans;
use crate::problem::closest;
use crate::tree::Node;
use crate::validate::{diag, IngressSpans, ServiceSpans};
use crate::{Diagnostic, LineIndex, Severity};

/// A position in a document's tree; a missing key keeps pointing at the nearest ancestor.
#[derive(Clone, Copy)]
pub(crate) struct At<'a> {
    pub(crate) node: Option<&'a Node>,
    key: Option<&'a Node>,
    near: &'a Node,
}

impl<'a> At<'a> {
    pub(crate) fn root(node: &'a Node) -> At<'a> {
        At { node: Some(node), key: None, near: node }
    }

    pub(crate) fn key(self, k: &str) -> At<'a> {
        match self.node.and_then(|n| n.entry(k)) {
            Some(e) => At { node: Some(&e.value), key: Some(&e.key), near: &e.value },
            None => At { node: None, key: self.key, near: self.node.unwrap_or(self.near) },
        }
    }

    pub(crate) fn idx(self, i: usize) -> At<'a> {
        match self.node.and_then(|n| n.as_seq()).and_then(|s| s.get(i)) {
            Some(n) => At { node: Some(n), key: None, near: n },
            None => At { node: None, key: self.key, near: self.node.unwrap_or(self.near) },
        }
    }

    /// The value's range, or where it would be.
    pub(crate) fn span(self) -> (usize, usize) {
        match (self.node, self.key) {
            (Some(n), _) => (n.start, n.end),
            (None, Some(k)) => (k.start, k.end),
            (None, None) => (self.near.start, self.near.start),
        }
    }

    /// The key's range when there is one (for "this field" diagnostics).
    pub(crate) fn key_span(self) -> (usize, usize) {
        match self.key {
            Some(k) if self.node.is_some() => (k.start, k.end),
            _ => self.span(),
        }
    }

    pub(crate) fn present(self) -> bool {
        self.node.is_some_and(|n| !n.is_null())
    }
}

/// Diagnostics for one object; counts errors so the object can be left out.
pub(crate) struct Obj<'a> {
    pub(crate) file: &'a str,
    pub(crate) diags: &'a mut Vec<Diagnostic>,
    pub(crate) errors: usize,
    pub(crate) topology: &'a Topology,
    /// The lines of the text being read.
    pub(crate) lines: &'a LineIndex<'a>,
    /// Unknown fields are warnings, and the object is kept ([`crate::Limits::warn_unknown_fields`]).
    pub(crate) warn_unknown_fields: bool,
}

impl Obj<'_> {
    /// The 1-based line of `byte` in the text being read.
    pub(crate) fn line(&self, byte: usize) -> usize {
        self.lines.line(byte)
    }

    pub(crate) fn error(
        &mut self,
        code: &'static str,
        span: (usize, usize),
        message: String,
        hints: Vec<String>,
    ) {
        self.errors += 1;
        self.diags.push(diag(Severity::Error, code, self.file, span, message, hints));
    }

    pub(crate) fn warn(
        &mut self,
        code: &'static str,
        span: (usize, usize),
        message: String,
        hints: Vec<String>,
    ) {
        self.diags.push(diag(Severity::Warning, code, self.file, span, message, hints));
    }

    pub(crate) fn check(
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

    pub(crate) fn port(&mut self, at: At<'_>, what: &str, value: i32) -> u16 {
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

    pub(crate) fn protocol(&mut self, at: At<'_>, value: Option<&str>) -> Protocol {
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

    /// The value `value` spells in `table` (spelling, value); else an error naming the
    /// spellings, with the closest one.
    pub(crate) fn pick<T: Copy>(
        &mut self,
        at: At<'_>,
        field: &str,
        value: &str,
        table: &[(&str, T)],
    ) -> Option<T> {
        if let Some(&(_, v)) = table.iter().find(|(s, _)| *s == value) {
            return Some(v);
        }
        let spellings: Vec<&str> = table.iter().map(|(s, _)| *s).collect();
        self.one_of(at, field, value, &spellings);
        None
    }

    pub(crate) fn ipv4(&mut self, at: At<'_>, what: &str, value: &str) -> Option<Ipv4Addr> {
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

    /// An address the API server accepts for an endpoint or an external IP: IPv4, and not
    /// unspecified, loopback, link-local or link-local multicast (core validation,
    /// `ValidateNonSpecialIP`).
    pub(crate) fn non_special_ip(&mut self, at: At<'_>, what: &str, value: &str) -> Option<Ipv4Addr> {
        let ip = self.ipv4(at, what, value)?;
        let range = if ip.is_unspecified() {
            Some("unspecified (0.0.0.0)")
        } else if ip.is_loopback() {
            Some("in the loopback range (127.0.0.0/8)")
        } else if ip.is_link_local() {
            Some("in the link-local range (169.254.0.0/16)")
        } else if ip.octets()[..3] == [224, 0, 0] {
            Some("in the link-local multicast range (224.0.0.0/24)")
        } else {
            None
        };
        if let Some(range) = range {
            self.error("invalid-ip", at.span(), format!("{what} `{value}` may not be {range}"), vec![]);
            return None;
        }
        Some(ip)
    }

    /// Port names of one list (Endpoints, EndpointSlice): each a DNS label; with `required`,
    /// present on every port; with `unique`, no two alike (an absent name counts as the empty
    /// one).
    pub(crate) fn port_names(&mut self, list: At<'_>, names: &[Option<&str>], required: bool, unique: bool) {
        let mut seen: Vec<&str> = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let at = list.idx(i).key("name");
            match name.filter(|n| !n.is_empty()) {
                None if required => self.error(
                    "port-name-required",
                    list.idx(i).key_span(),
                    "with more than one port, each port needs a `name`".into(),
                    vec![],
                ),
                None => {
                    if unique && seen.contains(&"") {
                        self.error(
                            "duplicate-port-name",
                            list.idx(i).key_span(),
                            "only one port may have no name".into(),
                            vec![],
                        );
                    }
                    seen.push("");
                }
                Some(n) => {
                    self.check("invalid-port-name", at, "port name", n, names::dns1123_label);
                    if unique && seen.contains(&n) {
                        self.error(
                            "duplicate-port-name",
                            at.span(),
                            format!("port name `{n}` is used twice"),
                            vec![],
                        );
                    }
                    seen.push(n);
                }
            }
        }
    }

    pub(crate) fn cidr(&mut self, at: At<'_>, value: &str) -> Option<Cidr> {
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

    pub(crate) fn labels(&mut self, at: At<'_>, labels: &Labels) {
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

    pub(crate) fn selector(&mut self, at: At<'_>, sel: &meta::LabelSelector) -> netsim::LabelSelector {
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
            let Some(operator) = self.pick(r.key("operator"), "operator", &req.operator, &OPERATORS) else {
                continue;
            };
            let needs_values = matches!(operator, SelectorOperator::In | SelectorOperator::NotIn);
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

/// The source of an object whose range is `span` (a document, or an item of a list).
pub(crate) fn source(file: &str, (start, end): (usize, usize)) -> Option<Source> {
    Some(Source { file: file.to_string(), start, end })
}

pub(crate) fn item_source(file: &str, at: At<'_>) -> Option<Source> {
    let (start, end) = at.span();
    Some(Source { file: file.to_string(), start, end })
}

/// A label selector's operators.
const OPERATORS: [(&str, SelectorOperator); 4] = [
    ("In", SelectorOperator::In),
    ("NotIn", SelectorOperator::NotIn),
    ("Exists", SelectorOperator::Exists),
    ("DoesNotExist", SelectorOperator::DoesNotExist),
];

/// An object's metadata, checked.
pub(crate) struct Meta {
    pub name: String,
    /// Empty for a cluster-scoped kind; `default` when a namespaced object names none.
    pub namespace: String,
    pub labels: Labels,
    pub annotations: Labels,
}

/// Checks `metadata` (at `at`) of an object of `kind`: the name by `name_rule`, the
/// namespace (unless `cluster_scoped`) as a DNS-1123 label, the labels.
pub(crate) fn meta(
    o: &mut Obj<'_>,
    at: At<'_>,
    kind: &str,
    cluster_scoped: bool,
    name_rule: fn(&str) -> Result<(), String>,
    m: &meta::ObjectMeta,
) -> Meta {
    let name = m.name.clone().unwrap_or_default();
    if name.is_empty() {
        o.error("missing-field", at.key("name").span(), "`metadata.name` is required".into(), vec![]);
    } else {
        o.check("invalid-name", at.key("name"), &format!("{kind} name"), &name, name_rule);
    }
    let namespace = if cluster_scoped {
        String::new()
    } else {
        let ns = m.namespace.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "default".to_string());
        o.check("invalid-name", at.key("namespace"), "namespace", &ns, names::dns1123_label);
        ns
    };
    let labels = m.labels.clone().unwrap_or_default();
    o.labels(at.key("labels"), &labels);
    Meta { name, namespace, labels, annotations: m.annotations.clone().unwrap_or_default() }
}

/// One object read into the model's types, with where its fields are for the checks across
/// objects. An Endpoints object is mirrored into one EndpointSlice per subset. (The Gateway
/// API's are read with the `gateway-api` feature only.)
#[cfg_attr(not(feature = "gateway-api"), allow(dead_code))]
pub(crate) enum Object {
    Namespace(netsim::Namespace),
    Node(netsim::Node),
    Pod(netsim::Pod),
    Workload(netsim::Workload),
    Service(netsim::Service, ServiceSpans),
    EndpointSlices(Vec<netsim::EndpointSlice>),
    NetworkPolicy(netsim::NetworkPolicy, PolicySpans),
    Ingress(netsim::Ingress, IngressSpans),
    IngressClass(netsim::IngressClass),
    GatewayClass(netsim::gateway::types::GatewayClass),
    Gateway(netsim::gateway::types::Gateway),
    HttpRoute(netsim::gateway::types::HttpRoute),
    GrpcRoute(netsim::gateway::types::GrpcRoute),
    ReferenceGrant(netsim::gateway::types::ReferenceGrant),
    ClusterNetworkPolicy(netsim::ClusterNetworkPolicy),
}
