//! One request through a Gateway: the listener that takes it, every rule of every Route
//! attached there in precedence order with what each lacked, the winner, its filters, and
//! what each backend's share of the requests gets.
//!
//! The spec's rules, in the order applied (HTTPRoute `hostnames`, HTTPRouteRule `matches`,
//! GRPCRouteRule `matches`, Gateway `listeners`):
//! - Listener: on the request's port, programmed, of the request's scheme (HTTP or HTTPS),
//!   whose hostname covers the Host header; exact names before wildcards, longer wildcards
//!   first, a listener without hostname last. No listener on the port: nothing answers. A
//!   port whose listeners cover other names only: 404.
//! - Across every rule of every Route attached to that listener, the match with the most
//!   characters in a matching non-wildcard hostname, then in a matching hostname; then
//!   (HTTPRoute) an Exact path, the longest path, a method, the most header matches, the most
//!   query param matches; (GRPCRoute) the longest service, the longest method, the most
//!   header matches. Then the oldest Route (`creationTimestamp`), then `namespace/name`
//!   alphabetically, then rule order, then match order. Nothing matches: 404.
//! - A gRPC request (`content-type: application/grpc…`) is routed by GRPCRoutes, any other
//!   by HTTPRoutes: the spec forbids merging the two.
//! - The winning rule's filters apply in order; then its backendRefs share the requests by
//!   weight. A share whose backendRef does not resolve gets 500, one whose Service has no
//!   ready endpoint 503; a rule with no backendRef (and no redirect) answers 500.
//!
//! Choices where the spec leaves them open: hostname specificity is a precedence criterion
//! like the others, so a request a specific hostname's rules do not match may still match a
//! wildcard Route's rule (implementations that build one virtual host per hostname answer 404
//! there instead); a `RegularExpression` path ranks after Exact and before PathPrefix, longer
//! patterns first; a Route without `creationTimestamp` counts as created when the scenario
//! was applied, after every Route that has one and at the same second as the others without
//! (objects applied from one file get the same second), so the names decide between those.

use std::cmp::Ordering;

use crate::gateway::filters::{apply, Upstream};
use crate::gateway::hostname;
use crate::gateway::matching::{
    grpc_criteria, grpc_lacks, http_criteria, http_lacks, path_type_str, split_query, RequestView,
};
use crate::gateway::refs::{resolve_backend, Lookup};
use crate::gateway::status::{status, Attachment, GatewayStatus, Objects, RouteId, RouteKind, Status};
use crate::gateway::types::{
    BackendRef, Gateway, GrpcRouteMatch, HttpRouteMatch, Listener, ListenerProtocol, PathMatchType,
    RouteFilter,
};
use crate::ingress::{Scheme, Skip};
use crate::meta::{ObjectRef, Source};

/// A request arriving at a Gateway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayRequest {
    pub namespace: String,
    pub gateway: String,
    pub scheme: Scheme,
    pub port: u16,
    /// The Host header (a port in it is ignored).
    pub host: String,
    /// `path?query`.
    pub target: String,
    pub method: String,
    pub headers: Vec<(String, String)>,
}

impl GatewayRequest {
    /// `GET url` to Gateway `namespace/gateway`; `url` is `http(s)://host[:port]/path?query`
    /// (port 80 or 443 unless given).
    pub fn get(namespace: &str, gateway: &str, url: &str) -> GatewayRequest {
        let (scheme, rest) = match url.split_once("://") {
            Some(("https", r)) => (Scheme::Https, r),
            Some((_, r)) => (Scheme::Http, r),
            None => (Scheme::Http, url),
        };
        let (authority, target) = match rest.find(['/', '?']) {
            Some(i) => (&rest[..i], rest[i..].to_string()),
            None => (rest, "/".to_string()),
        };
        let default = if scheme == Scheme::Https { 443 } else { 80 };
        let port = authority.rsplit_once(':').and_then(|(_, p)| p.parse().ok()).unwrap_or(default);
        GatewayRequest {
            namespace: namespace.into(),
            gateway: gateway.into(),
            scheme,
            port,
            host: authority.to_string(),
            target,
            method: "GET".into(),
            headers: Vec::new(),
        }
    }

    /// The Host header, when it differs from the URL's authority.
    pub fn host(mut self, host: &str) -> GatewayRequest {
        self.host = host.to_string();
        self
    }

    pub fn method(mut self, method: &str) -> GatewayRequest {
        self.method = method.to_string();
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> GatewayRequest {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// A gRPC call: `content-type: application/grpc`.
    pub fn is_grpc(&self) -> bool {
        self.headers
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("content-type") && v.starts_with("application/grpc"))
    }
}

/// One match of one rule of an attached Route, as precedence sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub route: ObjectRef,
    pub id: RouteId,
    /// Index of the rule in the Route.
    pub rule: usize,
    pub rule_name: Option<String>,
    /// Where the rule is written.
    pub rule_source: Option<Source>,
    /// Index of the match in the rule (`None`: the rule has no matches, the API's default).
    pub match_index: Option<usize>,
    /// The match in words: ``PathPrefix `/api`, method GET, 1 header``.
    pub description: String,
    /// The Route hostname that covered the request's host (`None`: every host).
    pub hostname: Option<String>,
    /// The precedence criteria, in the spec's order, larger first.
    pub criteria: Vec<(&'static str, usize)>,
    pub creation_timestamp: Option<i64>,
    /// What the request lacked (`None`: it matches).
    pub lacked: Option<String>,
    /// For a match that lost to the winner: the first criterion that decided.
    pub lost: Option<String>,
}

/// What one backendRef's share of the requests gets.
#[derive(Clone, Debug, PartialEq)]
pub enum BackendAnswer {
    /// Proxied to the Service's ready endpoints.
    Proxied { ready: usize, grant: Option<ObjectRef> },
    /// Answered by the Gateway: 500 (the ref does not resolve) or 503 (no ready endpoint).
    Error { status: u16, reason: String },
}

#[derive(Clone, Debug, PartialEq)]
pub struct BackendShare {
    /// `namespace/name:port` (as written when it does not resolve).
    pub backend: String,
    pub weight: u32,
    /// The sum of the rule's weights: this backend takes `weight / total` of the requests.
    pub total: u32,
    pub answer: BackendAnswer,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// No listener takes the connection (see `Decision::listener_reason`).
    NoListener,
    /// 404: no rule matches.
    NotFound,
    Redirect {
        status: u16,
        location: String,
    },
    /// The rule cannot send anywhere: 500 for every request.
    Error {
        status: u16,
        reason: String,
    },
    Backends(Vec<BackendShare>),
}

/// The Gateway's decision for one request, with its reasons.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub gateway: ObjectRef,
    pub listener: Option<String>,
    /// Why that listener took the request, or why none did.
    pub listener_reason: String,
    /// The Host header, normalized.
    pub host: String,
    pub path: String,
    pub grpc: bool,
    /// Every match of every rule attached to the listener whose Route covers the host, in
    /// precedence order (matching or not); the winner is the first that matched.
    pub candidates: Vec<Candidate>,
    pub winner: Option<usize>,
    /// Routes and rules that took no part, and why (host not covered, rule invalid).
    pub skipped: Vec<Skip>,
    /// The filters applied, one sentence each.
    pub filters: Vec<String>,
    /// The request as the backends receive it (when the rule proxies).
    pub upstream: Option<Upstream>,
    pub mirrors: Vec<String>,
    pub outcome: Outcome,
}

impl Decision {
    pub fn winner(&self) -> Option<&Candidate> {
        self.winner.and_then(|i| self.candidates.get(i))
    }

    /// The HTTP status most requests get (the largest share's): 404, the redirect's, 500,
    /// 503 or 200 for a proxied request; `None` when no listener takes it.
    pub fn status(&self) -> Option<u16> {
        match &self.outcome {
            Outcome::NoListener => None,
            Outcome::NotFound => Some(404),
            Outcome::Redirect { status, .. } | Outcome::Error { status, .. } => Some(*status),
            Outcome::Backends(shares) => shares.iter().max_by_key(|s| s.weight).map(|s| match &s.answer {
                BackendAnswer::Proxied { .. } => 200,
                BackendAnswer::Error { status, .. } => *status,
            }),
        }
    }

    /// The decision in one sentence that starts with its cause.
    pub fn cause(&self) -> String {
        let Some(w) = self.winner() else {
            return match (&self.outcome, &self.listener) {
                (Outcome::NoListener, _) | (_, None) => self.listener_reason.clone(),
                _ => format!(
                    "No rule attached to listener `{}` matches {}{}: 404",
                    self.listener.as_deref().unwrap_or(""),
                    self.host,
                    self.path
                ),
            };
        };
        let rule =
            w.rule_name.as_ref().map_or_else(|| format!("rule {}", w.rule + 1), |n| format!("rule `{n}`"));
        let others = self.candidates.iter().filter(|c| c.lacked.is_none()).count() - 1;
        let over = if others > 0 { format!(" over {others} other matching rule(s)") } else { String::new() };
        format!("{} {rule} ({}) wins{over}", w.route, w.description)
    }
}

fn created(c: &Candidate) -> i64 {
    c.creation_timestamp.unwrap_or(i64::MAX)
}

/// The precedence order: criteria (larger first), oldest Route, `namespace/name`, rule
/// order, match order.
fn compare(a: &Candidate, b: &Candidate) -> Ordering {
    let va = a.criteria.iter().map(|c| c.1);
    let vb = b.criteria.iter().map(|c| c.1);
    vb.cmp(va)
        .then(created(a).cmp(&created(b)))
        .then((&a.route.namespace, &a.route.name).cmp(&(&b.route.namespace, &b.route.name)))
        .then(a.rule.cmp(&b.rule))
        .then(a.match_index.cmp(&b.match_index))
}

/// Why matching candidate `c` lost to `w`: the first criterion that differs.
fn why_lost(w: &Candidate, c: &Candidate) -> String {
    if let Some(((name, wv), (_, cv))) = w.criteria.iter().zip(&c.criteria).find(|(a, b)| a.1 != b.1) {
        return format!("{name}: {cv} against the winner's {wv}");
    }
    if created(w) != created(c) {
        return format!("ties on every criterion; {} is older (creationTimestamp)", w.route);
    }
    if w.route != c.route {
        return format!(
            "ties on every criterion and in age; {}/{} comes first alphabetically",
            w.route.namespace, w.route.name
        );
    }
    if w.rule != c.rule {
        return "ties on every criterion; the winner is an earlier rule of the same Route".into();
    }
    "ties on every criterion; the winner is an earlier match of the same rule".into()
}

fn describe_http(m: &HttpRouteMatch) -> String {
    let mut s = format!("{} `{}`", path_type_str(m.path.kind), m.path.value);
    if let Some(meth) = &m.method {
        s.push_str(&format!(", method {meth}"));
    }
    for h in &m.headers {
        s.push_str(&format!(", header {}: {}", h.name, h.value));
    }
    for q in &m.query_params {
        s.push_str(&format!(", query {}={}", q.name, q.value));
    }
    s
}

fn describe_grpc(m: &GrpcRouteMatch) -> String {
    let mut parts = Vec::new();
    if let Some(mm) = &m.method {
        parts.push(format!(
            "service `{}`, method `{}`",
            mm.service.as_deref().unwrap_or("*"),
            mm.method.as_deref().unwrap_or("*")
        ));
    }
    for h in &m.headers {
        parts.push(format!("header {}: {}", h.name, h.value));
    }
    if parts.is_empty() {
        "every call".to_string()
    } else {
        parts.join(", ")
    }
}

/// The listener that takes `req`, or the outcome when none does.
fn choose_listener<'a>(
    gw: &'a Gateway,
    st: &GatewayStatus,
    req: &GatewayRequest,
    host: &str,
) -> Result<(&'a Listener, String), (Outcome, String)> {
    let no = |why: String| Err((Outcome::NoListener, why));
    if st.listeners.is_empty() {
        return no(format!(
            "Gateway {}/{} is served by no controller here, so nothing listens",
            gw.namespace, gw.name
        ));
    }
    let on_port: Vec<&Listener> = gw.listeners.iter().filter(|l| l.port == req.port).collect();
    if on_port.is_empty() {
        return no(format!(
            "Gateway {}/{} has no listener on port {}: the connection is refused",
            gw.namespace, gw.name, req.port
        ));
    }
    let want = if req.scheme == Scheme::Https { ListenerProtocol::Https } else { ListenerProtocol::Http };
    let usable: Vec<&Listener> = on_port
        .iter()
        .copied()
        .filter(|l| l.protocol == want && st.listener(&l.name).is_some_and(|s| s.programmed()))
        .collect();
    if usable.is_empty() {
        let names: Vec<String> =
            on_port.iter().map(|l| format!("`{}` ({})", l.name, l.protocol.as_str())).collect();
        return no(format!(
            "no programmed {} listener on port {} (there: {})",
            want.as_str(),
            req.port,
            names.join(", ")
        ));
    }
    let best = usable
        .iter()
        .filter(|l| l.hostname.as_deref().is_none_or(|h| hostname::matches(h, host)))
        .max_by_key(|l| hostname::listener_rank(l.hostname.as_deref()));
    match best {
        Some(l) => {
            let why = match &l.hostname {
                Some(h) => format!(
                    "listener `{}` (port {}, hostname {h}) is the most specific for {host}",
                    l.name, l.port
                ),
                None => format!("listener `{}` (port {}) takes every hostname", l.name, l.port),
            };
            Ok((l, why))
        }
        None => {
            Err((Outcome::NotFound, format!("no listener on port {} covers the host {host}: 404", req.port)))
        }
    }
}

/// The candidates of one attached Route: one per match of each valid rule.
fn route_candidates(
    objects: &Objects,
    att: &Attachment,
    host: &str,
    view: &RequestView,
    out: &mut Vec<Candidate>,
    skipped: &mut Vec<Skip>,
) {
    let (route, hosts) = match att.route.kind {
        RouteKind::Http => match objects.http_routes.get(att.route.index) {
            Some(r) => {
                (ObjectRef::new("HTTPRoute", &r.namespace, &r.name, r.source.clone()), r.creation_timestamp)
            }
            None => return,
        },
        RouteKind::Grpc => match objects.grpc_routes.get(att.route.index) {
            Some(r) => {
                (ObjectRef::new("GRPCRoute", &r.namespace, &r.name, r.source.clone()), r.creation_timestamp)
            }
            None => return,
        },
    };
    let Ok(matched) = hostname::best_match(&att.hostnames, host) else {
        skipped.push(Skip {
            object: route,
            reason: format!("its hostnames here ({}) do not cover {host}", att.hostnames.join(", ")),
        });
        return;
    };
    let (exact, chars) = hostname::specificity(matched);
    let base = |rule: usize,
                (rule_name, rule_source): (Option<String>, Option<Source>),
                match_index,
                description,
                lacked,
                criteria: Vec<(&'static str, usize)>| Candidate {
        route: route.clone(),
        id: att.route,
        rule,
        rule_name,
        rule_source,
        match_index,
        description,
        hostname: matched.map(str::to_string),
        criteria: [
            vec![("non-wildcard hostname characters", exact), ("hostname characters", chars)],
            criteria,
        ]
        .concat(),
        creation_timestamp: hosts,
        lacked,
        lost: None,
    };
    let mut skip = |reason: String| skipped.push(Skip { object: route.clone(), reason });
    match att.route.kind {
        RouteKind::Http => {
            let Some(r) = objects.http_routes.get(att.route.index) else { return };
            each_match(
                &r.rules,
                |rule| {
                    (
                        &rule.matches[..],
                        crate::gateway::rules::http_rule_problem(rule),
                        (rule.name.clone(), rule.source.clone()),
                    )
                },
                |ri, name, mi, m: &HttpRouteMatch| {
                    out.push(base(ri, name, mi, describe_http(m), http_lacks(m, view), http_criteria(m)))
                },
                &mut skip,
            );
        }
        RouteKind::Grpc => {
            let Some(r) = objects.grpc_routes.get(att.route.index) else { return };
            each_match(
                &r.rules,
                |rule| {
                    (
                        &rule.matches[..],
                        crate::gateway::rules::grpc_rule_problem(rule),
                        (rule.name.clone(), rule.source.clone()),
                    )
                },
                |ri, name, mi, m: &GrpcRouteMatch| {
                    out.push(base(ri, name, mi, describe_grpc(m), grpc_lacks(m, view), grpc_criteria(m)))
                },
                &mut skip,
            );
        }
    }
}

/// Calls `each` with every match of every valid rule (rule index, the rule's name and source,
/// the match's index unless the rule has none, the match): a rule without matches matches
/// everything, as one default match. An invalid rule is dropped, and `skip` says why.
fn each_match<'r, R, M: Default + 'r>(
    rules: &'r [R],
    parts: impl Fn(
        &'r R,
    ) -> (&'r [M], Option<crate::gateway::rules::RuleProblem>, (Option<String>, Option<Source>)),
    mut each: impl FnMut(usize, (Option<String>, Option<Source>), Option<usize>, &M),
    skip: &mut impl FnMut(String),
) {
    for (ri, rule) in rules.iter().enumerate() {
        let (matches, problem, name) = parts(rule);
        if let Some(p) = problem {
            skip(format!("rule {} is invalid and dropped: {}", ri + 1, p.message));
            continue;
        }
        let default = [M::default()];
        let (matches, explicit) = if matches.is_empty() { (&default[..], false) } else { (matches, true) };
        for (mi, m) in matches.iter().enumerate() {
            each(ri, name.clone(), explicit.then_some(mi), m);
        }
    }
}

/// The winning rule's backendRefs as shares of the requests.
fn backends(
    kind: RouteKind,
    namespace: &str,
    refs: &[BackendRef],
    objects: &Objects,
    lookup: &dyn Lookup,
) -> Outcome {
    if refs.is_empty() {
        return Outcome::Error { status: 500, reason: "the rule has no backendRefs".into() };
    }
    // Saturating: the API caps a weight at 1,000,000, but the model's input need not be checked.
    let total: u32 = refs.iter().fold(0u32, |sum, b| sum.saturating_add(b.weight));
    if total == 0 {
        return Outcome::Error { status: 500, reason: "every backendRef of the rule has weight 0".into() };
    }
    let shares = refs
        .iter()
        .map(|b| {
            let written = format!(
                "{}/{}:{}",
                b.namespace.as_deref().unwrap_or(namespace),
                b.name,
                b.port.map_or("?".into(), |p| p.to_string())
            );
            let answer = match resolve_backend(kind.as_str(), namespace, b, objects.grants, lookup) {
                Ok(r) if r.ready == 0 => BackendAnswer::Error {
                    status: 503,
                    reason: format!(
                        "Service {}/{} has no ready endpoints on port {}",
                        r.namespace, r.name, r.port
                    ),
                },
                Ok(r) => BackendAnswer::Proxied { ready: r.ready, grant: r.grant },
                Err(p) => {
                    BackendAnswer::Error { status: 500, reason: format!("{}: {}", p.reason, p.message) }
                }
            };
            BackendShare { backend: written, weight: b.weight, total, answer }
        })
        .collect();
    Outcome::Backends(shares)
}

/// Routes `req` with the controller's status computed from `objects`.
pub fn route(objects: &Objects, lookup: &dyn Lookup, req: &GatewayRequest) -> Decision {
    let st = status(objects, lookup);
    route_with(objects, &st, lookup, req)
}

/// Routes `req` with a status already computed by [`status`] for the same objects.
pub fn route_with(objects: &Objects, st: &Status, lookup: &dyn Lookup, req: &GatewayRequest) -> Decision {
    let host = hostname::normalize(&req.host);
    let (path, query) = split_query(&req.target);
    let raw_query = req
        .target
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or("").to_string())
        .unwrap_or_default();
    let mut d = Decision {
        gateway: ObjectRef::new("Gateway", &req.namespace, &req.gateway, None),
        listener: None,
        listener_reason: String::new(),
        host: host.clone(),
        path: path.clone(),
        grpc: req.is_grpc(),
        candidates: Vec::new(),
        winner: None,
        skipped: Vec::new(),
        filters: Vec::new(),
        upstream: None,
        mirrors: Vec::new(),
        outcome: Outcome::NotFound,
    };
    let found = objects
        .gateways
        .iter()
        .enumerate()
        .find(|(_, g)| g.namespace == req.namespace && g.name == req.gateway);
    let Some((gi, gw)) = found else {
        d.outcome = Outcome::NoListener;
        d.listener_reason = format!("Gateway {}/{} does not exist", req.namespace, req.gateway);
        return d;
    };
    d.gateway.source = gw.source.clone();
    let Some(gst) = st.gateways.get(gi) else { return d };
    let listener = match choose_listener(gw, gst, req, &host) {
        Ok((l, why)) => {
            d.listener = Some(l.name.clone());
            d.listener_reason = why;
            l
        }
        Err((outcome, why)) => {
            d.outcome = outcome;
            d.listener_reason = why;
            return d;
        }
    };
    let want = if d.grpc { RouteKind::Grpc } else { RouteKind::Http };
    let view = RequestView { path: &path, query, method: &req.method, headers: &req.headers };
    for att in st
        .attachments
        .iter()
        .filter(|a| a.gateway == gi && a.listener == listener.name && a.route.kind == want)
    {
        route_candidates(objects, att, &host, &view, &mut d.candidates, &mut d.skipped);
    }
    sorted::sort_by(&mut d.candidates, compare);
    d.winner = d.candidates.iter().position(|c| c.lacked.is_none());
    let Some(w) = d.winner().cloned() else { return d };
    for c in d.candidates.iter_mut().filter(|c| c.lacked.is_none()) {
        if *c != w {
            c.lost = Some(why_lost(&w, c));
        }
    }
    let up = Upstream {
        host: host.clone(),
        path,
        query: raw_query,
        method: req.method.clone(),
        headers: req.headers.clone(),
    };
    proxy(objects, lookup, req, listener, &w, up, &mut d);
    d
}

/// The winner's filters and backends.
fn proxy(
    objects: &Objects,
    lookup: &dyn Lookup,
    req: &GatewayRequest,
    listener: &Listener,
    w: &Candidate,
    mut up: Upstream,
    d: &mut Decision,
) {
    let (namespace, filters, refs): (&str, &[RouteFilter], &[BackendRef]) = match w.id.kind {
        RouteKind::Http => {
            let Some(rule) =
                objects.http_routes.get(w.id.index).and_then(|r| r.rules.get(w.rule).map(|rule| (r, rule)))
            else {
                return;
            };
            (&rule.0.namespace, &rule.1.filters, &rule.1.backend_refs)
        }
        RouteKind::Grpc => {
            let Some(rule) =
                objects.grpc_routes.get(w.id.index).and_then(|r| r.rules.get(w.rule).map(|rule| (r, rule)))
            else {
                return;
            };
            (&rule.0.namespace, &rule.1.filters, &rule.1.backend_refs)
        }
    };
    let prefix = match w.id.kind {
        RouteKind::Http => objects
            .http_routes
            .get(w.id.index)
            .and_then(|r| r.rules.get(w.rule))
            .and_then(|rule| match w.match_index {
                Some(i) => rule.matches.get(i).map(|m| &m.path),
                None => None,
            })
            .filter(|p| p.kind == PathMatchType::PathPrefix)
            .map(|p| p.value.clone()),
        RouteKind::Grpc => None,
    };
    let applied =
        apply(filters, &mut up, req.scheme, listener.port, Some(prefix.as_deref().unwrap_or("/")), namespace);
    d.filters = applied.steps;
    d.mirrors = applied.mirrors;
    if let Some((status, location)) = applied.redirect {
        d.outcome = Outcome::Redirect { status, location };
        return;
    }
    d.outcome = backends(w.id.kind, namespace, refs, objects, lookup);
    d.upstream = Some(up);
}
