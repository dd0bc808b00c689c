//! The status a Gateway API controller writes, computed from the objects: GatewayClass
//! `Accepted`; Gateway `Accepted` and `Programmed` with each listener's `Accepted`,
//! `Programmed`, `ResolvedRefs` and `Conflicted`; each Route's `Accepted` and
//! `ResolvedRefs` per parentRef, and which listeners it attached to with which hostnames.
//! https://gateway-api.sigs.k8s.io/reference/spec/ (the condition types and reasons of
//! GatewayClass, Gateway, Listener and Route) and the conformance tests named below.
//!
//! Choices where the spec leaves them to the controller:
//! - The controller serves HTTP and HTTPS listeners (HTTPRoute and GRPCRoute); TLS, TCP and
//!   UDP listeners are `Accepted: False` (`UnsupportedProtocol`), so they conflict with
//!   nothing (the spec's rule for an implementation without TCP listeners).
//! - Listeners on one port with different protocols conflict (`ProtocolConflict`), as do
//!   listeners with one protocol, port and hostname (`HostnameConflict`); a conflicted
//!   listener is `Accepted: False` with reason `PortUnavailable`, and no conflicting listener
//!   wins (the spec forbids picking one).
//! - Secrets are not modelled: a certificateRef to a Secret that the Gateway may refer to is
//!   taken to exist and hold a certificate.
//! - A parentRef to a Gateway that does not exist, or whose class belongs to another
//!   controller, gets no status from this controller (none of its business); the reason is
//!   kept in [`Status::ignored`] for explanations.
//! - A Gateway has no address model yet: an accepted Gateway is `Programmed`.
//! - An HTTPRoute and a GRPCRoute with intersecting hostnames on one listener: the spec
//!   accepts only the older there and names no reason for the other; it gets
//!   `NotAllowedByListeners`, the listed reason closest to the cause.

use crate::gateway::hostname;
use crate::gateway::refs::{permitted, resolve_backend, Lookup, Referent, Referrer};
use crate::gateway::rules::{grpc_rule_problem, http_rule_problem, RuleProblem};
use crate::gateway::types::{
    BackendRef, FromNamespaces, Gateway, GatewayApi, GatewayClass, GrpcRoute, HttpRoute, Listener,
    ListenerProtocol, ParentRef, ReferenceGrant, RouteFilter, RouteGroupKind, TlsMode, GROUP,
};
use crate::ingress::Skip;
use crate::meta::{ObjectRef, Source};
use crate::scenario::Scenario;

pub use crate::gateway::types::CONTROLLER_NAME;

/// The Gateway API objects of a scenario, borrowed.
#[derive(Clone, Copy, Debug, Default)]
pub struct Objects<'a> {
    pub classes: &'a [GatewayClass],
    pub gateways: &'a [Gateway],
    pub http_routes: &'a [HttpRoute],
    pub grpc_routes: &'a [GrpcRoute],
    pub grants: &'a [ReferenceGrant],
}

impl<'a> Objects<'a> {
    pub fn of_api(api: &'a GatewayApi) -> Objects<'a> {
        Objects {
            classes: &api.classes,
            gateways: &api.gateways,
            http_routes: &api.http_routes,
            grpc_routes: &api.grpc_routes,
            grants: &api.grants,
        }
    }

    pub fn of(s: &'a Scenario) -> Objects<'a> {
        Objects {
            classes: &s.gateway_classes,
            gateways: &s.gateways,
            http_routes: &s.http_routes,
            grpc_routes: &s.grpc_routes,
            grants: &s.reference_grants,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConditionStatus {
    True,
    False,
    Unknown,
}

impl ConditionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ConditionStatus::True => "True",
            ConditionStatus::False => "False",
            ConditionStatus::Unknown => "Unknown",
        }
    }
}

/// One `status.conditions[]` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    /// The condition's `type`.
    pub kind: &'static str,
    pub status: ConditionStatus,
    pub reason: &'static str,
    pub message: String,
}

fn cond(kind: &'static str, ok: bool, reason: &'static str, message: impl Into<String>) -> Condition {
    let status = if ok { ConditionStatus::True } else { ConditionStatus::False };
    Condition { kind, status, reason, message: message.into() }
}

/// The condition of type `kind` in `conditions`.
pub fn condition<'a>(conditions: &'a [Condition], kind: &str) -> Option<&'a Condition> {
    conditions.iter().find(|c| c.kind == kind)
}

fn is_true(conditions: &[Condition], kind: &str) -> bool {
    condition(conditions, kind).is_some_and(|c| c.status == ConditionStatus::True)
}

#[derive(Clone, Debug, PartialEq)]
pub struct GatewayClassStatus {
    pub class: ObjectRef,
    pub conditions: Vec<Condition>,
}

/// `status.listeners[]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ListenerStatus {
    pub name: String,
    pub supported_kinds: Vec<RouteGroupKind>,
    pub attached_routes: usize,
    pub conditions: Vec<Condition>,
}

impl ListenerStatus {
    /// Routes may attach (`Accepted: True`).
    pub fn accepted(&self) -> bool {
        is_true(&self.conditions, "Accepted")
    }
    /// The data plane serves it (`Programmed: True`).
    pub fn programmed(&self) -> bool {
        is_true(&self.conditions, "Programmed")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct GatewayStatus {
    pub gateway: ObjectRef,
    pub conditions: Vec<Condition>,
    pub listeners: Vec<ListenerStatus>,
}

impl GatewayStatus {
    pub fn listener(&self, name: &str) -> Option<&ListenerStatus> {
        self.listeners.iter().find(|l| l.name == name)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RouteKind {
    Http,
    Grpc,
}

impl RouteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RouteKind::Http => "HTTPRoute",
            RouteKind::Grpc => "GRPCRoute",
        }
    }

    /// `HTTPRoute` or `GRPCRoute`.
    pub fn parse(kind: &str) -> Option<RouteKind> {
        [RouteKind::Http, RouteKind::Grpc].into_iter().find(|k| k.as_str() == kind)
    }
}

/// A Route of either kind: its kind and its index in [`Objects`]' list of that kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RouteId {
    pub kind: RouteKind,
    pub index: usize,
}

/// One Route attached to one listener, with the hostnames it serves there (empty: every
/// hostname).
#[derive(Clone, Debug, PartialEq)]
pub struct Attachment {
    pub route: RouteId,
    /// Index in [`Objects::gateways`].
    pub gateway: usize,
    pub listener: String,
    pub hostnames: Vec<String>,
}

/// `status.parents[]` of a Route.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteParentStatus {
    pub parent_ref: ParentRef,
    pub gateway: ObjectRef,
    pub conditions: Vec<Condition>,
    /// The listeners it attached to.
    pub listeners: Vec<String>,
}

impl RouteParentStatus {
    /// Whether condition `kind` (`Accepted`, `ResolvedRefs`) is `True`.
    pub fn holds(&self, kind: &str) -> bool {
        condition(&self.conditions, kind).is_some_and(|c| c.status == ConditionStatus::True)
    }

    /// The reasons of the conditions that are not `True`, in condition order.
    pub fn reasons(&self) -> Vec<&'static str> {
        self.conditions.iter().filter(|c| c.status != ConditionStatus::True).map(|c| c.reason).collect()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct RouteStatus {
    pub id: RouteId,
    pub route: ObjectRef,
    pub parents: Vec<RouteParentStatus>,
}

/// Everything the controller writes, and where Routes attached.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Status {
    /// The GatewayClasses of this controller.
    pub classes: Vec<GatewayClassStatus>,
    /// Every Gateway, in file order; one of no class of this controller keeps the API's
    /// initial `Accepted: Unknown` (`Pending`).
    pub gateways: Vec<GatewayStatus>,
    /// Every Route, HTTPRoutes then GRPCRoutes, in file order.
    pub routes: Vec<RouteStatus>,
    pub attachments: Vec<Attachment>,
    /// Objects and references this controller leaves alone, with why.
    pub ignored: Vec<Skip>,
}

impl Status {
    pub fn gateway(&self, namespace: &str, name: &str) -> Option<&GatewayStatus> {
        self.gateways.iter().find(|g| g.gateway.namespace == namespace && g.gateway.name == name)
    }

    pub fn route(&self, kind: RouteKind, namespace: &str, name: &str) -> Option<&RouteStatus> {
        self.routes
            .iter()
            .find(|r| r.id.kind == kind && r.route.namespace == namespace && r.route.name == name)
    }

    /// The status Route `kind` `namespace/name` has under its parentRef to Gateway `parent`
    /// (`(namespace, name)`), the one naming listener `section` when given; else why there
    /// is none, in words.
    pub fn route_parent(
        &self,
        kind: RouteKind,
        (namespace, name): (&str, &str),
        parent: (&str, &str),
        section: Option<&str>,
    ) -> Result<&RouteParentStatus, String> {
        let kind = kind.as_str();
        let route = RouteKind::parse(kind)
            .and_then(|k| self.route(k, namespace, name))
            .ok_or_else(|| format!("there is no {kind} {namespace}/{name}"))?;
        route
            .parents
            .iter()
            .find(|p| {
                (p.gateway.namespace.as_str(), p.gateway.name.as_str()) == parent
                    && section.is_none_or(|s| p.parent_ref.section_name.as_deref() == Some(s))
            })
            .ok_or_else(|| {
                let listener = section.map(|s| format!(" section `{s}`")).unwrap_or_default();
                format!(
                    "{kind} {namespace}/{name} has no parentRef to Gateway {}/{}{listener}",
                    parent.0, parent.1
                )
            })
    }
}

/// What status needs of a Route of either kind.
pub(crate) struct RouteView<'a> {
    pub id: RouteId,
    pub namespace: &'a str,
    pub name: &'a str,
    pub parent_refs: &'a [ParentRef],
    pub hostnames: &'a [String],
    /// Every rule's backendRefs, then its mirrors' (rule order).
    pub backend_refs: Vec<BackendRef>,
    /// One per rule: why it is invalid, if it is.
    pub problems: Vec<Option<RuleProblem>>,
    pub source: Option<&'a Source>,
}

impl RouteView<'_> {
    fn object(&self) -> ObjectRef {
        ObjectRef::new(self.id.kind.as_str(), self.namespace, self.name, self.source.cloned())
    }
}

/// A rule's backendRefs and the backends its RequestMirror filters copy to: a mirror's
/// reference resolves by the same rules (HTTPRequestMirrorFilter `backendRef`).
fn rule_refs(backends: &[BackendRef], filters: &[RouteFilter]) -> Vec<BackendRef> {
    let mirrors = filters.iter().filter_map(|f| match f {
        RouteFilter::RequestMirror { backend, port } => Some(BackendRef {
            group: backend.group.clone(),
            kind: backend.kind.clone(),
            name: backend.name.clone(),
            namespace: backend.namespace.clone(),
            port: *port,
            weight: 1,
            source: None,
        }),
        _ => None,
    });
    backends.iter().cloned().chain(mirrors).collect()
}

pub(crate) fn views<'a>(objects: &Objects<'a>) -> Vec<RouteView<'a>> {
    let http = objects.http_routes.iter().enumerate().map(|(index, r)| RouteView {
        id: RouteId { kind: RouteKind::Http, index },
        namespace: &r.namespace,
        name: &r.name,
        parent_refs: &r.parent_refs,
        hostnames: &r.hostnames,
        backend_refs: r.rules.iter().flat_map(|rule| rule_refs(&rule.backend_refs, &rule.filters)).collect(),
        problems: r.rules.iter().map(http_rule_problem).collect(),
        source: r.source.as_ref(),
    });
    let grpc = objects.grpc_routes.iter().enumerate().map(|(index, r)| RouteView {
        id: RouteId { kind: RouteKind::Grpc, index },
        namespace: &r.namespace,
        name: &r.name,
        parent_refs: &r.parent_refs,
        hostnames: &r.hostnames,
        backend_refs: r.rules.iter().flat_map(|rule| rule_refs(&rule.backend_refs, &rule.filters)).collect(),
        problems: r.rules.iter().map(grpc_rule_problem).collect(),
        source: r.source.as_ref(),
    });
    http.chain(grpc).collect()
}

fn gateway_object(gw: &Gateway) -> ObjectRef {
    ObjectRef::new("Gateway", &gw.namespace, &gw.name, gw.source.clone())
}

/// The class of `gw` when this controller serves it, else why not.
pub fn served_class<'a>(objects: &Objects<'a>, gw: &Gateway) -> Result<&'a GatewayClass, String> {
    match objects.classes.iter().find(|c| c.name == gw.gateway_class_name) {
        Some(c) if c.controller_name == CONTROLLER_NAME => Ok(c),
        Some(c) => Err(format!(
            "its GatewayClass `{}` belongs to controller {}, not {CONTROLLER_NAME}",
            c.name, c.controller_name
        )),
        None => {
            Err(format!("no GatewayClass `{}` exists, so no controller serves it", gw.gateway_class_name))
        }
    }
}

/// The Route kinds a listener of `protocol` can hold.
fn kinds_for(protocol: &ListenerProtocol) -> Vec<RouteGroupKind> {
    match protocol {
        ListenerProtocol::Http | ListenerProtocol::Https => {
            vec![RouteGroupKind::new("HTTPRoute"), RouteGroupKind::new("GRPCRoute")]
        }
        _ => Vec::new(),
    }
}

fn http_like(p: &ListenerProtocol) -> bool {
    matches!(p, ListenerProtocol::Http | ListenerProtocol::Https)
}

/// Why `l` conflicts with another listener of `gw`, if it does (Gateway `listeners`: the
/// fields that must differ between listeners, and "Handling indistinct Listeners").
fn conflict(gw: &Gateway, i: usize, l: &Listener) -> Option<(&'static str, String)> {
    if !http_like(&l.protocol) {
        return None;
    }
    let norm = |h: &Option<String>| h.as_deref().map(str::to_ascii_lowercase);
    for (j, o) in gw.listeners.iter().enumerate() {
        if j == i || o.port != l.port || !http_like(&o.protocol) {
            continue;
        }
        if o.protocol != l.protocol {
            return Some((
                "ProtocolConflict",
                format!("listener `{}` uses port {} for {}", o.name, o.port, o.protocol.as_str()),
            ));
        }
        if norm(&o.hostname) == norm(&l.hostname) {
            let host = l.hostname.as_deref().unwrap_or("every hostname");
            return Some((
                "HostnameConflict",
                format!("listener `{}` has the same protocol, port {} and hostname ({host})", o.name, o.port),
            ));
        }
    }
    None
}

/// Why the listener's certificateRefs do not resolve, if they do not: the reason and a
/// sentence (conformance `GatewayInvalidTLSConfiguration`, `GatewaySecretMissingReferenceGrant`).
fn tls_problem(gw: &Gateway, l: &Listener, grants: &[ReferenceGrant]) -> Option<(&'static str, String)> {
    if l.protocol != ListenerProtocol::Https {
        return None;
    }
    let Some(tls) = &l.tls else {
        return Some(("InvalidCertificateRef", "an HTTPS listener needs `tls.certificateRefs`".into()));
    };
    if tls.certificate_refs.is_empty() {
        return Some(("InvalidCertificateRef", "an HTTPS listener needs at least one certificateRef".into()));
    }
    for c in &tls.certificate_refs {
        let ns = c.namespace.as_deref().unwrap_or(&gw.namespace);
        if !(c.group.is_empty() || c.group == "core") || c.kind != "Secret" {
            return Some((
                "InvalidCertificateRef",
                format!("certificateRef {} {} is not a Secret", c.kind, c.name),
            ));
        }
        let from = Referrer { group: GROUP, kind: "Gateway", namespace: &gw.namespace };
        let to = Referent { group: "", kind: "Secret", namespace: ns, name: &c.name };
        if permitted(grants, from, to).is_err() {
            return Some((
                "RefNotPermitted",
                format!("Secret {ns}/{} is in another namespace and no ReferenceGrant there allows Gateways from {} to refer to it", c.name, gw.namespace),
            ));
        }
    }
    None
}

/// One listener's status, before Routes are counted.
fn listener_status(gw: &Gateway, i: usize, l: &Listener, grants: &[ReferenceGrant]) -> ListenerStatus {
    let defaults = kinds_for(&l.protocol);
    let (supported_kinds, bad_kinds): (Vec<RouteGroupKind>, Vec<RouteGroupKind>) =
        if l.allowed_routes.kinds.is_empty() {
            (defaults, Vec::new())
        } else {
            l.allowed_routes.kinds.iter().cloned().partition(|k| defaults.contains(k))
        };
    let accepted = if !http_like(&l.protocol) {
        cond(
            "Accepted",
            false,
            "UnsupportedProtocol",
            format!(
                "protocol {} is not supported: this controller serves HTTP and HTTPS listeners",
                l.protocol.as_str()
            ),
        )
    } else if l.tls.as_ref().is_some_and(|t| t.mode == TlsMode::Passthrough)
        && l.protocol == ListenerProtocol::Https
    {
        cond(
            "Accepted",
            false,
            "UnsupportedValue",
            "an HTTPS listener terminates TLS; Passthrough is for TLS listeners",
        )
    } else if let Some((_, why)) = conflict(gw, i, l) {
        cond("Accepted", false, "PortUnavailable", format!("conflicted: {why}"))
    } else {
        cond("Accepted", true, "Accepted", "")
    };
    let conflicted = match conflict(gw, i, l) {
        Some((reason, why)) => cond("Conflicted", true, reason, why),
        None => cond("Conflicted", false, "NoConflicts", ""),
    };
    let tls = tls_problem(gw, l, grants);
    let resolved = match (&tls, bad_kinds.first()) {
        (Some((reason, why)), _) => cond("ResolvedRefs", false, reason, why.clone()),
        (None, Some(k)) => cond(
            "ResolvedRefs",
            false,
            "InvalidRouteKinds",
            format!(
                "Route kind {}/{} is not supported on a {} listener",
                k.group,
                k.kind,
                l.protocol.as_str()
            ),
        ),
        (None, None) => cond("ResolvedRefs", true, "ResolvedRefs", ""),
    };
    let programmed = if accepted.status != ConditionStatus::True {
        cond("Programmed", false, "Invalid", "the listener is not accepted")
    } else if tls.is_some() {
        cond("Programmed", false, "Invalid", "its certificate does not resolve")
    } else {
        cond("Programmed", true, "Programmed", "")
    };
    ListenerStatus {
        name: l.name.clone(),
        supported_kinds,
        attached_routes: 0,
        conditions: vec![accepted, programmed, resolved, conflicted],
    }
}

/// A Gateway's conditions from its listeners' (Gateway `ListenersNotValid`: `Accepted` stays
/// True while some listener is valid).
fn gateway_conditions(listeners: &[ListenerStatus]) -> Vec<Condition> {
    let invalid: Vec<&str> =
        listeners.iter().filter(|l| !l.accepted() || !l.programmed()).map(|l| l.name.as_str()).collect();
    let any_ok = listeners.iter().any(|l| l.accepted());
    let accepted = match (invalid.as_slice(), any_ok) {
        ([], _) => cond("Accepted", true, "Accepted", ""),
        (bad, ok) => {
            cond("Accepted", ok, "ListenersNotValid", format!("listeners not valid: {}", bad.join(", ")))
        }
    };
    let programmed = if accepted.status == ConditionStatus::True {
        cond("Programmed", true, "Programmed", "")
    } else {
        cond("Programmed", false, "Invalid", "no listener is valid")
    };
    vec![accepted, programmed]
}

fn pending(kind: &'static str) -> Condition {
    Condition {
        kind,
        status: ConditionStatus::Unknown,
        reason: "Pending",
        message: "Waiting for controller".into(),
    }
}

/// The status a controller named [`CONTROLLER_NAME`] writes for `objects`.
pub fn status(objects: &Objects, lookup: &dyn Lookup) -> Status {
    let mut out = Status::default();
    for c in objects.classes {
        let object = ObjectRef::new("GatewayClass", "", &c.name, c.source.clone());
        if c.controller_name == CONTROLLER_NAME {
            out.classes.push(GatewayClassStatus {
                class: object,
                conditions: vec![cond("Accepted", true, "Accepted", "")],
            });
        } else {
            out.ignored.push(Skip {
                object,
                reason: format!("its controllerName is {}, not {CONTROLLER_NAME}", c.controller_name),
            });
        }
    }
    for gw in objects.gateways {
        let gateway = gateway_object(gw);
        match served_class(objects, gw) {
            Ok(_) => {
                let listeners: Vec<ListenerStatus> = gw
                    .listeners
                    .iter()
                    .enumerate()
                    .map(|(i, l)| listener_status(gw, i, l, objects.grants))
                    .collect();
                out.gateways.push(GatewayStatus {
                    gateway,
                    conditions: gateway_conditions(&listeners),
                    listeners,
                });
            }
            Err(reason) => {
                out.ignored.push(Skip { object: gateway.clone(), reason });
                out.gateways.push(GatewayStatus {
                    gateway,
                    conditions: vec![pending("Accepted"), pending("Programmed")],
                    listeners: Vec::new(),
                });
            }
        }
    }
    for view in views(objects) {
        let route = route_status(objects, &view, lookup, &mut out);
        out.routes.push(route);
    }
    resolve_kind_conflicts(objects, &mut out);
    for a in &out.attachments {
        if let Some(l) = out
            .gateways
            .get_mut(a.gateway)
            .and_then(|g| g.listeners.iter_mut().find(|l| l.name == a.listener))
        {
            l.attached_routes += 1;
        }
    }
    out
}

/// A Route's status for every parentRef that names a Gateway of this controller; the
/// attachments go to `out.attachments`, the parentRefs left alone to `out.ignored`.
fn route_status(objects: &Objects, view: &RouteView, lookup: &dyn Lookup, out: &mut Status) -> RouteStatus {
    let route = view.object();
    let resolved = resolved_refs(objects, view, lookup);
    let mut parents = Vec::new();
    for pref in view.parent_refs {
        let ns = pref.namespace.as_deref().unwrap_or(view.namespace);
        if pref.group != GROUP || pref.kind != "Gateway" {
            out.ignored.push(Skip {
                object: route.clone(),
                reason: format!("parentRef {}/{} {} is not a Gateway", pref.group, pref.kind, pref.name),
            });
            continue;
        }
        let Some((gi, gw)) =
            objects.gateways.iter().enumerate().find(|(_, g)| g.namespace == ns && g.name == pref.name)
        else {
            out.ignored.push(Skip {
                object: route.clone(),
                reason: format!("parentRef Gateway {ns}/{} does not exist", pref.name),
            });
            continue;
        };
        if let Err(why) = served_class(objects, gw) {
            out.ignored.push(Skip {
                object: route.clone(),
                reason: format!("parentRef Gateway {ns}/{}: {why}", pref.name),
            });
            continue;
        }
        let listeners = out.gateways.get(gi).map(|g| g.listeners.clone()).unwrap_or_default();
        let (accepted, attached) = attach(view, pref, gw, &listeners, lookup);
        let accepted = rules_accepted(view, accepted);
        let mut conditions = vec![accepted];
        if let Some(p) = partially_invalid(view) {
            conditions.push(p);
        }
        conditions.push(resolved.clone());
        let names: Vec<String> = attached.iter().map(|(l, _)| l.clone()).collect();
        if is_true(&conditions, "Accepted") {
            for (listener, hostnames) in attached {
                out.attachments.push(Attachment { route: view.id, gateway: gi, listener, hostnames });
            }
        }
        parents.push(RouteParentStatus {
            parent_ref: pref.clone(),
            gateway: gateway_object(gw),
            conditions,
            listeners: names,
        });
    }
    RouteStatus { id: view.id, route, parents }
}

/// `Accepted` after attachment, turned False when every rule is invalid.
fn rules_accepted(view: &RouteView, attached: Condition) -> Condition {
    if attached.status != ConditionStatus::True || view.problems.is_empty() {
        return attached;
    }
    if view.problems.iter().all(Option::is_some) {
        let first = view.problems.iter().flatten().next();
        return match first {
            Some(p) => {
                cond("Accepted", false, p.reason, format!("every rule is invalid; rule 1: {}", p.message))
            }
            None => attached,
        };
    }
    attached
}

/// `PartiallyInvalid: True` when some rules, not all, are invalid (HTTPRouteRule `filters`).
fn partially_invalid(view: &RouteView) -> Option<Condition> {
    let bad: Vec<String> = view
        .problems
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.as_ref().map(|p| format!("rule {}: {}", i + 1, p.message)))
        .collect();
    (!bad.is_empty() && bad.len() < view.problems.len())
        .then(|| cond("PartiallyInvalid", true, "UnsupportedValue", format!("dropped {}", bad.join("; "))))
}

/// `ResolvedRefs` of a Route: the first backendRef (rule order) that does not resolve.
fn resolved_refs(objects: &Objects, view: &RouteView, lookup: &dyn Lookup) -> Condition {
    for b in &view.backend_refs {
        if let Err(p) = resolve_backend(view.id.kind.as_str(), view.namespace, b, objects.grants, lookup) {
            return cond("ResolvedRefs", false, p.reason, p.message);
        }
    }
    cond("ResolvedRefs", true, "ResolvedRefs", "")
}

/// Whether a listener admits Routes from `namespace` (`allowedRoutes.namespaces`).
fn namespace_allowed(l: &Listener, gw: &Gateway, namespace: &str, lookup: &dyn Lookup) -> Result<(), String> {
    let a = &l.allowed_routes;
    match a.from {
        FromNamespaces::All => Ok(()),
        FromNamespaces::Same if namespace == gw.namespace => Ok(()),
        FromNamespaces::Same => {
            Err(format!("listener `{}` admits Routes from its own namespace {} only", l.name, gw.namespace))
        }
        FromNamespaces::Selector => {
            let labels = lookup.namespace_labels(namespace).unwrap_or_default();
            match &a.selector {
                Some(s) if s.matches(&labels) => Ok(()),
                _ => Err(format!("listener `{}` admits Routes from namespaces its selector matches, and {namespace}'s labels do not match", l.name)),
            }
        }
    }
}

/// The parentRef's listeners and the Route's `Accepted` condition for this parent, with the
/// listeners it attached to and their hostnames (conformance `HTTPRouteInvalidParentRefNotMatchingSectionName`,
/// `…NotMatchingListenerPort`, `HTTPRouteInvalidCrossNamespaceParentRef`,
/// `HTTPRouteDisallowedKind`, `HTTPRouteHostnameIntersection`).
fn attach(
    view: &RouteView,
    pref: &ParentRef,
    gw: &Gateway,
    statuses: &[ListenerStatus],
    lookup: &dyn Lookup,
) -> (Condition, Vec<(String, Vec<String>)>) {
    let selected: Vec<&Listener> = gw
        .listeners
        .iter()
        .filter(|l| pref.section_name.as_deref().is_none_or(|s| s == l.name))
        .filter(|l| pref.port.is_none_or(|p| p == l.port))
        .collect();
    if selected.is_empty() {
        let what = match (&pref.section_name, pref.port) {
            (Some(s), Some(p)) => format!("no listener named `{s}` on port {p}"),
            (Some(s), None) => format!("no listener named `{s}`"),
            (None, Some(p)) => format!("no listener on port {p}"),
            (None, None) => "no listeners".to_string(),
        };
        return (
            cond(
                "Accepted",
                false,
                "NoMatchingParent",
                format!("Gateway {}/{} has {what}", gw.namespace, gw.name),
            ),
            Vec::new(),
        );
    }
    let kind = RouteGroupKind::new(view.id.kind.as_str());
    let (mut attached, mut not_allowed, mut no_host, mut why) = (Vec::new(), false, false, Vec::new());
    for l in selected {
        let st = statuses.iter().find(|s| s.name == l.name);
        if !st.is_some_and(ListenerStatus::accepted) {
            why.push(format!("listener `{}` is not accepted", l.name));
        } else if !st.is_some_and(|s| s.supported_kinds.contains(&kind)) {
            not_allowed = true;
            why.push(format!("listener `{}` does not allow kind {}", l.name, kind.kind));
        } else if let Err(e) = namespace_allowed(l, gw, view.namespace, lookup) {
            not_allowed = true;
            why.push(e);
        } else {
            match hostname::intersect(l.hostname.as_deref(), view.hostnames) {
                Ok(hosts) => attached.push((l.name.clone(), hosts)),
                Err(()) => {
                    no_host = true;
                    why.push(format!(
                        "listener `{}` hostname {} matches none of the Route's hostnames",
                        l.name,
                        l.hostname.as_deref().unwrap_or("")
                    ));
                }
            }
        }
    }
    let c = if !attached.is_empty() {
        cond("Accepted", true, "Accepted", "")
    } else if no_host {
        cond("Accepted", false, "NoMatchingListenerHostname", why.join("; "))
    } else if not_allowed {
        cond("Accepted", false, "NotAllowedByListeners", why.join("; "))
    } else {
        cond("Accepted", false, "NoMatchingParent", why.join("; "))
    };
    (c, attached)
}

/// Whether two Routes' hostnames on one listener share a name (empty: every name).
fn overlap(a: &[String], b: &[String]) -> bool {
    a.is_empty()
        || b.is_empty()
        || a.iter().any(|x| b.iter().any(|y| x == y || hostname::matches(x, y) || hostname::matches(y, x)))
}

/// A Route's creation time and `namespace/name`, for ordering Routes by age.
fn age(objects: &Objects, id: RouteId) -> (i64, String, String) {
    let (ts, ns, name) = match id.kind {
        RouteKind::Http => {
            objects.http_routes.get(id.index).map(|r| (r.creation_timestamp, &r.namespace, &r.name))
        }
        RouteKind::Grpc => {
            objects.grpc_routes.get(id.index).map(|r| (r.creation_timestamp, &r.namespace, &r.name))
        }
    }
    .map_or((None, "", ""), |(t, n, m)| (t, n.as_str(), m.as_str()));
    // No timestamp: created with the scenario, after every Route that has one (see routing).
    (ts.unwrap_or(i64::MAX), ns.to_string(), name.to_string())
}

/// An HTTPRoute and a GRPCRoute on one listener with intersecting hostnames: only the older
/// (then the first by `namespace/name`) is accepted there (GRPCRoute `hostnames`); the other
/// loses that attachment, and is `Accepted: False` for the parent when it has no other.
fn resolve_kind_conflicts(objects: &Objects, out: &mut Status) {
    let atts = &out.attachments;
    let mut losers: Vec<(usize, String)> = Vec::new();
    for (i, a) in atts.iter().enumerate() {
        let beaten_by = atts.iter().find(|b| {
            b.route.kind != a.route.kind
                && b.gateway == a.gateway
                && b.listener == a.listener
                && overlap(&a.hostnames, &b.hostnames)
                && age(objects, b.route) < age(objects, a.route)
        });
        if let Some(b) = beaten_by {
            let (_, ns, name) = age(objects, b.route);
            let why = format!(
                "listener `{}` already serves these hostnames with the older {} {ns}/{name}; an HTTPRoute and a GRPCRoute cannot share a hostname on one listener",
                a.listener,
                b.route.kind.as_str()
            );
            losers.push((i, why));
        }
    }
    for (i, why) in losers.iter().rev() {
        let a = out.attachments.remove(*i);
        let still = out.attachments.iter().any(|b| b.route == a.route && b.gateway == a.gateway);
        let Some(route) = out.routes.iter_mut().find(|r| r.id == a.route) else { continue };
        let gateway = out.gateways.get(a.gateway).map(|g| g.gateway.clone());
        for p in route.parents.iter_mut().filter(|p| Some(&p.gateway) == gateway.as_ref()) {
            p.listeners.retain(|l| *l != a.listener);
            if !still {
                if let Some(c) = p.conditions.iter_mut().find(|c| c.kind == "Accepted") {
                    *c = cond("Accepted", false, "NotAllowedByListeners", why.clone());
                }
            }
        }
    }
}
