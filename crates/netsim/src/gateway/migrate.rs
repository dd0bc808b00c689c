//! From Ingress to the Gateway API: the Gateways and HTTPRoutes that do what a set of
//! Ingresses does under ingress-nginx, as far as the standard channel can say it, and a note
//! for everything it cannot.
//!
//! The mapping (the Gateway API's migration guide,
//! https://gateway-api.sigs.k8s.io/guides/migrating-from-ingress/, and ingress-nginx's
//! annotation reference for what each annotation does):
//! - each IngressClass used (by `ingressClassName`) becomes a Gateway of that name in each
//!   namespace that uses it, of the GatewayClass asked for, with an HTTP listener on port 80
//!   and, per host listed under `tls` with a `secretName`, an HTTPS listener on 443 for that
//!   host with the Secret as its certificate;
//! - each Ingress rule becomes an HTTPRoute for its host (`<ingress>` when the Ingress has one
//!   host, `<ingress>-<host>` otherwise), one rule per path: `Prefix` is `PathPrefix`, `Exact`
//!   is `Exact`, `ImplementationSpecific` is read as ingress-nginx reads it without
//!   `use-regex`, a prefix (noted); the backend's Service port by number (a named port is
//!   looked up on the Service);
//! - `spec.defaultBackend` becomes a catch-all rule (`PathPrefix /`) of a Route with no
//!   hostnames;
//! - a host served over TLS is redirected from HTTP to HTTPS with 308, as ingress-nginx does
//!   by default (`ssl-redirect`), unless `ssl-redirect: "false"`; `force-ssl-redirect: "true"`
//!   redirects a host without TLS too: a Route of the host on the HTTP listener whose one rule
//!   is a `RequestRedirect` to `https`, and the host's Route on its HTTPS listener;
//! - `rewrite-target` without capture groups is a `URLRewrite` with `ReplaceFullPath` (the
//!   whole path becomes the target, as ingress-nginx rewrites it); `/$2` on a path
//!   `<prefix>(/|$)(.*)` (the documented idiom) is `ReplacePrefixMatch /` on `<prefix>`; any
//!   other regex rewrite has no equivalent (noted, not converted);
//! - `canary: "true"` with `canary-weight` (of `canary-weight-total`, default 100) adds the
//!   canary's backend to the main Ingress's rule for the same host and path, the weights
//!   split as the annotation says; header and cookie canaries are noted;
//! - `permanent-redirect` and `temporal-redirect` are a `RequestRedirect` to the URL (301,
//!   302 or the `*-code` annotation's); `app-root` a redirect of exactly `/` to it (302);
//!   `upstream-vhost` a `URLRewrite` of the hostname;
//! - every other `nginx.ingress.kubernetes.io/` annotation has no standard equivalent and is
//!   noted, by name, for the Route it would have applied to.
//!
//! [`replay`] sends the same requests through an ingress controller and through Gateways
//! (`switchboard replay`, the exercises' `replay` check); [`requests`] makes the requests that
//! tell two such sides apart.

use std::collections::BTreeSet;

use crate::build::Cluster;
use crate::gateway::routing::{BackendAnswer, GatewayRequest, Outcome};
use crate::gateway::status::Objects;
use crate::gateway::types::*;
use crate::ingress::Scheme;
use crate::scenario::{Ingress, IngressBackend, PathType, PortRef, Service};

const ANNOTATION: &str = "nginx.ingress.kubernetes.io/";

/// What [`convert`] made: the objects and, for each, what was not converted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Converted {
    pub gateways: Vec<Gateway>,
    pub http_routes: Vec<HttpRoute>,
    /// The name of the Ingress each of `http_routes` comes from (in the Route's namespace).
    pub route_sources: Vec<String>,
    /// `(kind, namespace, name)` of the object a note is about, and the note.
    pub notes: Vec<((&'static str, String, String), String)>,
}

/// The Gateway API objects that route as `ingresses` do, their Gateways of GatewayClass
/// `class`; `services` resolves named ports.
pub fn convert(ingresses: &[Ingress], services: &[Service], class: &str) -> Converted {
    let mut out = Converted::default();
    let canaries: Vec<&Ingress> = ingresses.iter().filter(|i| flag(i, "canary") == Some(true)).collect();
    for ing in ingresses.iter().filter(|i| flag(i, "canary") != Some(true)) {
        let gateway = gateway_for(&mut out, ing, class);
        let hosts: Vec<Option<String>> = if ing.rules.is_empty() {
            vec![None]
        } else {
            ing.rules.iter().map(|r| r.host.clone()).collect()
        };
        let many = hosts.len() > 1;
        for (i, rule) in ing.rules.iter().enumerate() {
            let name = match (&rule.host, many) {
                (Some(h), true) => format!("{}-{}", ing.name, slug(h)),
                (None, true) => format!("{}-{i}", ing.name),
                _ => ing.name.clone(),
            };
            let mut rules = Vec::new();
            for p in &rule.paths {
                rules.extend(path_rules(&mut out, ing, &name, rule.host.as_deref(), p, &canaries, services));
            }
            attach(&mut out, ing, &gateway, name, rule.host.as_deref(), rules);
        }
        if let Some(b) = &ing.default_backend {
            let name = format!("{}-default", ing.name);
            if let Some(backend) = backend_ref(&mut out, ing, &name, b, services) {
                let rule = HttpRouteRule { backend_refs: vec![backend], ..HttpRouteRule::default() };
                let route = route(ing, &gateway, &name, None, None, vec![rule]);
                out.push_route(ing, route);
            }
        }
        for key in ing.annotations.keys() {
            if let Some(short) = key.strip_prefix(ANNOTATION) {
                if !TRANSLATED.contains(&short) {
                    note(
                        &mut out,
                        "Ingress",
                        ing,
                        format!("annotation `{key}` has no Gateway API equivalent: not converted"),
                    );
                }
            }
        }
    }
    for c in &canaries {
        if flag(c, "canary-by-header").is_some() || c.annotations.keys().any(|k| k.contains("canary-by-")) {
            note(&mut out, "Ingress", c, "a canary by header or cookie is a rule with a header match in the Gateway API: not converted".into());
        }
    }
    out
}

impl Converted {
    fn push_route(&mut self, ing: &Ingress, route: HttpRoute) {
        self.http_routes.push(route);
        self.route_sources.push(ing.name.clone());
    }
}

/// The annotations [`convert`] translates (or notes on its own terms).
const TRANSLATED: &[&str] = &[
    "rewrite-target",
    "use-regex",
    "ssl-redirect",
    "force-ssl-redirect",
    "canary",
    "canary-weight",
    "canary-weight-total",
    "permanent-redirect",
    "permanent-redirect-code",
    "temporal-redirect",
    "temporal-redirect-code",
    "app-root",
    "upstream-vhost",
];

/// A boolean annotation, as ingress-nginx reads it (Go's `strconv.ParseBool`).
fn flag(ing: &Ingress, key: &str) -> Option<bool> {
    match ing.annotations.get(&format!("{ANNOTATION}{key}"))?.as_str() {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

fn annotation<'a>(ing: &'a Ingress, key: &str) -> Option<&'a str> {
    ing.annotations.get(&format!("{ANNOTATION}{key}")).map(String::as_str)
}

fn note(out: &mut Converted, kind: &'static str, ing: &Ingress, text: String) {
    let at = (kind, ing.namespace.clone(), ing.name.clone());
    if !out.notes.iter().any(|(a, t)| *a == at && *t == text) {
        out.notes.push((at, text));
    }
}

/// `shop.example.com` as a name part: `shop-example-com`.
fn slug(host: &str) -> String {
    host.replace('*', "wildcard").replace('.', "-")
}

/// The Gateway of `ing`'s class in its namespace, made on first use, with an HTTPS listener
/// for each of `ing`'s TLS hosts that has a Secret.
fn gateway_for(out: &mut Converted, ing: &Ingress, class: &str) -> String {
    let name = ing.class_name.clone().unwrap_or_else(|| "nginx".to_string());
    let at = match out.gateways.iter().position(|g| g.namespace == ing.namespace && g.name == name) {
        Some(at) => at,
        None => {
            out.gateways.push(Gateway {
                namespace: ing.namespace.clone(),
                name: name.clone(),
                gateway_class_name: class.to_string(),
                listeners: vec![listener("http", None, 80, ListenerProtocol::Http, None)],
                source: None,
            });
            out.gateways.len() - 1
        }
    };
    for tls in &ing.tls {
        let Some(secret) = &tls.secret_name else {
            note(out, "Ingress", ing, format!("a `tls` entry for {} has no secretName (ingress-nginx's default certificate): an HTTPS listener needs a certificateRef, so it is not converted", tls.hosts.join(", ")));
            continue;
        };
        for host in &tls.hosts {
            let g = &mut out.gateways[at];
            if g.listeners.iter().any(|l| l.hostname.as_deref() == Some(host.as_str()) && l.port == 443) {
                continue;
            }
            let cert = ObjectReference {
                group: String::new(),
                kind: "Secret".into(),
                name: secret.clone(),
                namespace: None,
            };
            let tls = ListenerTls { mode: TlsMode::Terminate, certificate_refs: vec![cert] };
            g.listeners.push(listener(
                &format!("https-{}", slug(host)),
                Some(host),
                443,
                ListenerProtocol::Https,
                Some(tls),
            ));
        }
    }
    name
}

fn listener(
    name: &str,
    host: Option<&str>,
    port: u16,
    protocol: ListenerProtocol,
    tls: Option<ListenerTls>,
) -> Listener {
    Listener {
        name: name.to_string(),
        hostname: host.map(str::to_string),
        port,
        protocol,
        tls,
        allowed_routes: AllowedRoutes::default(),
        source: None,
    }
}

fn route(
    ing: &Ingress,
    gateway: &str,
    name: &str,
    host: Option<&str>,
    section: Option<String>,
    rules: Vec<HttpRouteRule>,
) -> HttpRoute {
    let mut parent = ParentRef::gateway(gateway);
    parent.section_name = section;
    HttpRoute {
        namespace: ing.namespace.clone(),
        name: name.to_string(),
        parent_refs: vec![parent],
        hostnames: host.map(str::to_string).into_iter().collect(),
        rules,
        creation_timestamp: None,
        source: None,
    }
}

/// The host's Route: on the HTTPS listener, with a redirect Route on the HTTP one, where
/// ingress-nginx would redirect; else on the HTTP listener (and the HTTPS one, if any).
fn attach(
    out: &mut Converted,
    ing: &Ingress,
    gateway: &str,
    name: String,
    host: Option<&str>,
    rules: Vec<HttpRouteRule>,
) {
    let https = host.and_then(|h| {
        let g = out.gateways.iter().find(|g| g.namespace == ing.namespace && g.name == gateway)?;
        g.listeners.iter().find(|l| l.port == 443 && l.hostname.as_deref() == Some(h)).map(|l| l.name.clone())
    });
    let redirect = match &https {
        Some(_) => flag(ing, "ssl-redirect") != Some(false),
        None => flag(ing, "force-ssl-redirect") == Some(true),
    };
    if redirect && https.is_none() {
        note(out, "Ingress", ing, "force-ssl-redirect without a tls entry: the HTTPS side has no listener to serve it; not converted".into());
    }
    match (https, redirect) {
        (Some(listener), true) => {
            let to_https = RouteFilter::RequestRedirect(RequestRedirect {
                scheme: Some("https".into()),
                status_code: Some(308),
                ..RequestRedirect::default()
            });
            let rule = HttpRouteRule { filters: vec![to_https], ..HttpRouteRule::default() };
            out.push_route(
                ing,
                route(ing, gateway, &format!("{name}-to-https"), host, Some("http".into()), vec![rule]),
            );
            out.push_route(ing, route(ing, gateway, &name, host, Some(listener), rules));
        }
        _ => out.push_route(ing, route(ing, gateway, &name, host, None, rules)),
    }
}

/// The Route rules for one Ingress path, with the annotations that apply to it: none when
/// it cannot be converted (noted), two with `app-root` (exactly `/` redirects first).
fn path_rules(
    out: &mut Converted,
    ing: &Ingress,
    route: &str,
    host: Option<&str>,
    p: &crate::scenario::IngressPath,
    canaries: &[&Ingress],
    services: &[Service],
) -> Vec<HttpRouteRule> {
    let value = p.path.clone().unwrap_or_else(|| "/".into());
    let regex = flag(ing, "use-regex") == Some(true);
    let rewrite = annotation(ing, "rewrite-target").filter(|t| *t != value);
    let mut filters = Vec::new();
    let mut kind = match p.path_type {
        PathType::Exact => PathMatchType::Exact,
        _ => PathMatchType::PathPrefix,
    };
    let mut path = value.clone();
    match rewrite {
        Some(target) if !target.contains('$') => filters.push(RouteFilter::UrlRewrite(UrlRewrite {
            hostname: None,
            path: Some(PathModifier::ReplaceFullPath(target.to_string())),
        })),
        Some(target) => match value.strip_suffix("(/|$)(.*)") {
            Some(prefix) if target == "/$2" && !prefix.is_empty() => {
                path = prefix.to_string();
                kind = PathMatchType::PathPrefix;
                filters.push(RouteFilter::UrlRewrite(UrlRewrite {
                    hostname: None,
                    path: Some(PathModifier::ReplacePrefixMatch("/".into())),
                }));
            }
            _ => {
                note(out, "Ingress", ing, format!("rewrite-target `{target}` on path `{value}` uses regex capture groups, which the Gateway API has no equivalent for: not converted"));
                return Vec::new();
            }
        },
        None if regex || value.contains(['(', '[', '*', '+', '?', '$', '^', '|', '{']) => {
            note(out, "Ingress", ing, format!("path `{value}` is a regular expression under ingress-nginx (case-insensitive); the Gateway API's RegularExpression match is implementation-specific: not converted"));
            return Vec::new();
        }
        None => {}
    }
    if p.path_type == PathType::ImplementationSpecific && path == value {
        note(out, "HTTPRoute", &named(ing, route), format!("path `{value}` of type ImplementationSpecific is a prefix under ingress-nginx: converted to PathPrefix"));
    }
    if let Some(h) = annotation(ing, "upstream-vhost") {
        filters.push(RouteFilter::UrlRewrite(UrlRewrite { hostname: Some(h.to_string()), path: None }));
    }
    let redirect = annotation(ing, "permanent-redirect")
        .map(|to| {
            (to, annotation(ing, "permanent-redirect-code").and_then(|c| c.parse().ok()).unwrap_or(301))
        })
        .or_else(|| {
            annotation(ing, "temporal-redirect").map(|to| {
                (to, annotation(ing, "temporal-redirect-code").and_then(|c| c.parse().ok()).unwrap_or(302))
            })
        });
    let matches = vec![HttpRouteMatch { path: PathMatch { kind, value: path }, ..HttpRouteMatch::default() }];
    if let Some((to, code)) = redirect {
        return vec![HttpRouteRule {
            matches,
            filters: vec![redirect_to(to, code)],
            ..HttpRouteRule::default()
        }];
    }
    let Some(mut main) = backend_ref(out, ing, route, &p.backend, services) else { return Vec::new() };
    let mut backends = Vec::new();
    // A canary for the same host and path shares the requests by its weight.
    let canary = canaries.iter().find(|c| {
        c.namespace == ing.namespace
            && c.rules.iter().any(|r| r.host.as_deref() == host && r.paths.iter().any(|cp| cp.path == p.path))
    });
    if let Some(c) = canary {
        let cp = c.rules.iter().flat_map(|r| &r.paths).find(|cp| cp.path == p.path);
        if let Some((cp, b)) =
            cp.and_then(|cp| Some((cp, backend_ref(out, c, route, &cp.backend, services)?)))
        {
            // As ingress-nginx reads the weights (`ingress::Canary`).
            let crate::ingress::Canary { weight, total, .. } = crate::ingress::Canary::of(c, &cp.backend);
            main.weight = total - weight;
            backends.push(main);
            backends.push(BackendRef { weight, ..b });
        } else {
            backends.push(main);
        }
    } else {
        backends.push(main);
    }
    let proxy = HttpRouteRule { matches, filters, backend_refs: backends, ..HttpRouteRule::default() };
    match annotation(ing, "app-root").filter(|_| value == "/") {
        Some(root) => {
            let exact = PathMatch { kind: PathMatchType::Exact, value: "/".into() };
            let to_root = RouteFilter::RequestRedirect(RequestRedirect {
                path: Some(PathModifier::ReplaceFullPath(root.to_string())),
                status_code: Some(302),
                ..RequestRedirect::default()
            });
            let redirect = HttpRouteRule {
                matches: vec![HttpRouteMatch { path: exact, ..HttpRouteMatch::default() }],
                filters: vec![to_root],
                ..HttpRouteRule::default()
            };
            vec![redirect, proxy]
        }
        None => vec![proxy],
    }
}

/// An Ingress stand-in named `route` for notes about a Route.
fn named(ing: &Ingress, route: &str) -> Ingress {
    Ingress { name: route.to_string(), ..ing.clone() }
}

/// A `RequestRedirect` to the absolute URL `to` with `code`.
fn redirect_to(to: &str, code: u16) -> RouteFilter {
    let (scheme, rest) = to.split_once("://").unwrap_or(("", to));
    let (authority, path) = rest.find('/').map_or((rest, "/"), |i| (&rest[..i], &rest[i..]));
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, p.parse().ok()),
        None => (authority, None),
    };
    RouteFilter::RequestRedirect(RequestRedirect {
        scheme: (!scheme.is_empty()).then(|| scheme.to_string()),
        hostname: (!host.is_empty()).then(|| host.to_string()),
        path: Some(PathModifier::ReplaceFullPath(path.to_string())),
        port,
        status_code: Some(code),
    })
}

/// The Service backend of `b`, its port a number (a named port looked up on the Service).
fn backend_ref(
    out: &mut Converted,
    ing: &Ingress,
    route: &str,
    b: &IngressBackend,
    services: &[Service],
) -> Option<BackendRef> {
    match b {
        IngressBackend::Service { name, port: PortRef::Number(n) } => Some(BackendRef::service(name, *n)),
        IngressBackend::Service { name, port: PortRef::Name(port) } => {
            let svc = services.iter().find(|s| s.namespace == ing.namespace && s.name == *name);
            match svc.and_then(|s| s.ports.iter().find(|p| p.name.as_deref() == Some(port.as_str()))) {
                Some(p) => Some(BackendRef::service(name, p.port)),
                None => {
                    note(out, "HTTPRoute", &named(ing, route), format!("backend Service `{name}` port `{port}`: a backendRef needs the port's number, and no Service here names that port; not converted"));
                    None
                }
            }
        }
        IngressBackend::Resource { kind, name } => {
            note(
                out,
                "HTTPRoute",
                &named(ing, route),
                format!("resource backend {kind} `{name}`: not converted"),
            );
            None
        }
    }
}

// ---------------------------------------------------------------- replay

/// Where one side sends a request: a Service port, a status, a redirect; and the path the
/// backend receives.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// `ns/name:port`, a status (`404`), `308 https://…` (a redirect), `no listener`, or
    /// `split …` (several backends).
    pub what: String,
    /// The path (and query) the backend receives, when the request is proxied.
    pub upstream: Option<String>,
    /// The decision in words, its cause first.
    pub why: String,
}

impl Answer {
    pub fn text(&self) -> String {
        match &self.upstream {
            Some(p) => format!("{} (path {p})", self.what),
            None => self.what.clone(),
        }
    }
}

/// The ingress controller's answer.
pub fn through_ingress(c: &Cluster, scheme: Scheme, host: &str, path: &str) -> Answer {
    let d = c.route_ingress(host, path, scheme);
    let why = d.cause();
    if let Some(to) = &d.redirect {
        let why = match &d.tls {
            Some(t) => format!(
                "Ingress {}/{} lists {host} under `tls`: ingress-nginx redirects plain HTTP to HTTPS with 308 (ssl-redirect)",
                t.ingress.namespace, t.ingress.name
            ),
            None => format!("force-ssl-redirect: ingress-nginx redirects plain HTTP to {host} to HTTPS with 308"),
        };
        return Answer { what: format!("308 {to}"), upstream: None, why };
    }
    let (Some(ing), Some(b)) = (d.ingress(), d.backend()) else {
        return Answer { what: "404".into(), upstream: None, why };
    };
    let resolved = |ns: &str, b| {
        c.ingress_backend(ns, b)
            .map(|rb| format!("{}/{}:{}", rb.service.namespace(), rb.service.name(), rb.port))
    };
    let main = match resolved(&ing.namespace, b) {
        Ok(main) => main,
        Err(e) => return Answer { what: "503".into(), upstream: None, why: format!("{why}; {e}") },
    };
    // A canary's weight splits the requests (the replay's requests carry no header or
    // cookie, so those rules of the canary are not read).
    let what = match &d.canary {
        Some(canary) if canary.weight > 0 => match resolved(&canary.ingress.namespace, &canary.backend) {
            Ok(alt) if canary.weight == canary.total => alt,
            Ok(alt) => split(&[(main, canary.total - canary.weight), (alt, canary.weight)]),
            Err(e) => {
                return Answer {
                    what: "503".into(),
                    upstream: None,
                    why: format!("{why}; {}: {e}", canary.words()),
                }
            }
        },
        _ => main,
    };
    let why = match &d.canary {
        Some(canary) => format!("{why}; {}", canary.words()),
        None => why,
    };
    Answer { what, upstream: Some(d.upstream_path.clone()), why }
}

/// Backends and their weights as `split a x4 b x1`: in name order, each weight divided by
/// their greatest common divisor, so that 80/20 and 4/1 read the same.
fn split(shares: &[(String, u32)]) -> String {
    fn gcd(a: u32, b: u32) -> u32 {
        if b == 0 {
            a
        } else {
            gcd(b, a % b)
        }
    }
    let g = shares.iter().fold(0, |g, s| gcd(g, s.1)).max(1);
    let mut parts: Vec<String> = shares.iter().map(|(b, w)| format!("{b} x{}", w / g)).collect();
    sorted::sort(&mut parts);
    format!("split {}", parts.join(" "))
}

/// The Gateways' answer: the first Gateway of the built-in controller with a listener for
/// the scheme's port whose hostname covers `host`.
pub fn through_gateway(c: &Cluster, scheme: Scheme, host: &str, path: &str) -> Answer {
    let api = &c.gateway_api;
    let port = if scheme == Scheme::Https { 443 } else { 80 };
    let covers = |l: &Listener| {
        l.port == port && l.hostname.as_deref().is_none_or(|h| crate::gateway::hostname::matches(h, host))
    };
    let Some(g) = crate::gateway::dataplane::served_gateways(&api.gateways, &api.classes)
        .find(|g| g.listeners.iter().any(covers))
    else {
        return Answer {
            what: "no listener".into(),
            upstream: None,
            why: format!("no Gateway has a listener on port {port} for {host}"),
        };
    };
    let request = GatewayRequest {
        namespace: g.namespace.clone(),
        gateway: g.name.clone(),
        scheme,
        port,
        host: host.to_string(),
        target: path.to_string(),
        method: "GET".into(),
        headers: Vec::new(),
    };
    let d = crate::gateway::route(&Objects::of_api(api), c, &request);
    let why = d.cause();
    let upstream = d.upstream.as_ref().map(|u| u.target());
    let what = match &d.outcome {
        Outcome::NoListener => "no listener".to_string(),
        Outcome::NotFound => "404".into(),
        Outcome::Redirect { status, location } => format!("{status} {location}"),
        Outcome::Error { status, .. } => status.to_string(),
        Outcome::Backends(shares) if shares.len() == 1 => match &shares[0].answer {
            BackendAnswer::Proxied { .. } => shares[0].backend.clone(),
            BackendAnswer::Error { status, .. } => status.to_string(),
        },
        Outcome::Backends(shares) => {
            split(&shares.iter().map(|s| (s.backend.clone(), s.weight)).collect::<Vec<_>>())
        }
    };
    let proxied = matches!(&d.outcome, Outcome::Backends(s) if s.iter().any(|s| matches!(s.answer, BackendAnswer::Proxied { .. })));
    Answer { what, upstream: upstream.filter(|_| proxied), why }
}

/// Requests that tell an Ingress and its conversion apart: every host and path of both, with
/// and without a trailing slash, in another case, one level deeper, a sibling prefix, an
/// unknown host; over HTTP, and over HTTPS to the hosts either side has a certificate for.
pub fn requests(ingress: &Cluster, gateway: &Cluster) -> Vec<(Scheme, String, String)> {
    let mut hosts = BTreeSet::new();
    let mut paths = BTreeSet::new();
    paths.insert("/".to_string());
    for i in &ingress.ingresses {
        for r in &i.rules {
            hosts.extend(r.host.clone());
            for p in &r.paths {
                paths
                    .extend(p.path.clone().filter(|p| !p.contains(['(', '[', '*', '+', '?', '$', '^', '|'])));
            }
        }
    }
    for r in &gateway.gateway_api.http_routes {
        hosts.extend(r.hostnames.iter().cloned());
        for rule in &r.rules {
            paths.extend(rule.matches.iter().map(|m| m.path.value.clone()));
        }
    }
    hosts.retain(|h| !h.starts_with('*'));
    hosts.insert("unknown.invalid".to_string());
    // HTTPS only to the hosts a side serves with a certificate of its own: ingress-nginx
    // answers HTTPS for every other host with its self-signed default certificate, which a
    // Gateway has no equivalent for (its HTTPS listener names its certificates), so every
    // such request would differ for that one reason.
    let tls: BTreeSet<&str> = sorted::set(
        ingress
            .ingresses
            .iter()
            .flat_map(|i| i.tls.iter().filter(|t| t.secret_name.is_some()).flat_map(|t| t.hosts.iter()))
            .chain(gateway.gateway_api.gateways.iter().flat_map(|g| {
                g.listeners
                    .iter()
                    .filter(|l| l.protocol == ListenerProtocol::Https)
                    .filter_map(|l| l.hostname.as_ref())
            }))
            .map(String::as_str),
    );
    let mut variants = BTreeSet::new();
    for p in &paths {
        let base = p.trim_end_matches('/');
        variants.insert(p.clone());
        variants.insert(format!("{base}/"));
        variants.insert(p.to_uppercase());
        variants.insert(format!("{base}/x"));
        if !base.is_empty() {
            variants.insert(format!("{base}x"));
        }
    }
    let mut out = Vec::new();
    for host in &hosts {
        for path in &variants {
            out.push((Scheme::Http, host.clone(), path.clone()));
            if tls.contains(host.as_str()) {
                out.push((Scheme::Https, host.clone(), path.clone()));
            }
        }
    }
    out
}

/// One request sent through both sides.
#[derive(Clone, Debug, PartialEq)]
pub struct Replayed {
    pub url: String,
    pub ingress: Answer,
    pub gateway: Answer,
}

impl Replayed {
    /// Both sides send it to the same place, and the backend receives the same path.
    pub fn same(&self) -> bool {
        self.ingress.what == self.gateway.what && self.ingress.upstream == self.gateway.upstream
    }
}

/// Each of `requests` (scheme, host, path) through the ingress controller of `ingress` and
/// the Gateways of `gateway`.
pub fn replay(ingress: &Cluster, gateway: &Cluster, requests: &[(Scheme, String, String)]) -> Vec<Replayed> {
    requests
        .iter()
        .map(|(scheme, host, path)| Replayed {
            url: format!("{}://{host}{path}", scheme.as_str()),
            ingress: through_ingress(ingress, *scheme, host, path),
            gateway: through_gateway(gateway, *scheme, host, path),
        })
        .collect()
}
