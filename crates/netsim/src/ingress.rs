//! `ingress`: what the built-in ingress-nginx controller does with Ingress objects.
//!
//! https://kubernetes.io/docs/concepts/services-networking/ingress/ defines the API; where it
//! leaves the choice to the controller, this module does what ingress-nginx does and says so.
//! It follows ingress-nginx v1.15.1 (March 2026), the last release: the project is retired
//! and gets no fixes. Where this says "controller.go", "template.go" it means that release's
//! internal/ingress/controller/controller.go and .../template/template.go.
//!
//! - Class: the controller serves an Ingress whose `ingressClassName` names an IngressClass
//!   with controller `k8s.io/ingress-nginx`, or that has no class while exactly one
//!   IngressClass is the default (`ingressclass.kubernetes.io/is-default-class: "true"`).
//!   The deprecated `kubernetes.io/ingress.class` annotation counts as the class name.
//!   The built-in class `nginx` is NOT default, as in ingress-nginx's upstream (kind) manifest:
//!   an Ingress without a class is ignored until a default IngressClass exists.
//! - Admission: the controller's validating webhook refuses an Ingress of its class with a
//!   Prefix or Exact path that is not `/` and letters, digits, `.`, `_`, `-`, `/`
//!   (`strict-validate-path-type`, on by default since v1.12; `CheckIngress` in
//!   controller.go): `kubectl apply` fails, so the Ingress takes no part in routing.
//! - Hosts: as nginx picks a `server`: the server of the exact host first, else the (single)
//!   wildcard `*.suffix` that covers exactly one more label, else the catch-all server `_`
//!   (host-less rules and unknown hosts). A rule with a host and no paths still creates that
//!   host's server. Once a server is chosen, a path miss there is that server's root
//!   location, never a host-less rule's path.
//! - Rules of several Ingresses for the same host are merged. The webhook refuses a whole
//!   Ingress one of whose paths is already a location of that server owned by an older
//!   Ingress (`checkOverlap` in controller.go; canary annotations aside): see [`overlaps`].
//!   Within one Ingress, for the same path and pathType the first wins.
//! - Paths: longest match wins; Exact beats Prefix of the same length. ImplementationSpecific
//!   is a Prefix match (ingress-nginx's `SetDefaultNGINXPathType`).
//!   When one location of a server has `use-regex` true or needs a rewrite (a
//!   `rewrite-target` other than its own path), every path of that server, Exact included,
//!   is the case-insensitive regex `^<path>` (`enforceRegexModifier`, `buildLocation` in
//!   template.go), tried longest path first, then the greater path, then the oldest.
//! - No path matches (the root location, `createServers` in controller.go): on a named
//!   server, the `spec.defaultBackend` of the Ingress that created it (the oldest naming the
//!   host); on the catch-all server, that of the first Ingress with no rules at all. An
//!   Ingress with rules never changes the catch-all server (since PR #8825, v1.3.1). Only a
//!   Service defaultBackend counts (a resource one is not read). Else the controller's own
//!   default backend, which answers 404.
//! - Annotation values are read as the controller reads them: booleans with Go's
//!   `strconv.ParseBool` (`"True"`, `"1"` count), an invalid value is ignored;
//!   `rewrite-target` only with letters, digits and `-._~/:$`.
//! - TLS: a host listed in `tls[].hosts` is terminated with that secret; a plain HTTP request
//!   for it gets a 308 redirect to HTTPS unless `ssl-redirect: "false"`
//!   (`force-ssl-redirect: "true"` redirects without TLS too).
//!   https://kubernetes.github.io/ingress-nginx/user-guide/tls/#server-side-https-enforcement-through-redirect
//! - `rewrite-target`: the whole request path becomes the target with `$n` replaced by the
//!   path regex's capture groups. https://kubernetes.github.io/ingress-nginx/examples/rewrite/
//! - Canary (`canary: "true"`, annotations.md#canary): the Ingress creates no server or
//!   location; its backend becomes the alternative of the main backend of the location with
//!   the same host (as written), path and pathType (`mergeAlternativeBackends` in
//!   controller.go). The alternative belongs to the backend (`namespace-service-port`), so
//!   every location that sends there shares it, and only the first canary merged counts (the
//!   Lua balancer's `route_to_alternative_balancer`). That balancer reads `canary-by-header`,
//!   then `canary-by-cookie`, then sends `canary-weight` of `canary-weight-total` (read only
//!   above 100) to it. The model's requests carry no header or cookie: the weight decides.

pub use crate::addons::built_in_class;
pub use crate::addons::{CLASS, CONTROLLER, NAMESPACE, SERVICE};
use std::collections::BTreeMap;

use crate::build::{Cluster, ClusterPod, ClusterService};
use crate::path_regex::Regex;
use crate::scenario::ObjectRef;
use crate::scenario::{Ingress, IngressBackend, IngressClass, IngressPath, PathType, PortRef, Source};

const ANNOTATION: &str = "nginx.ingress.kubernetes.io/";

/// The controller the model follows, as traces name it.
pub const RELEASE: &str = "ingress-nginx v1.15.1, the last release of the retired project";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }
}

/// How a rule's host matched the request's Host header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum HostMatch {
    Exact,
    Wildcard,
    /// A rule without `host`.
    Any,
}

/// The path that matched, and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct PathMatch {
    pub ingress: ObjectRef,
    /// The rule's host (`None`: every host).
    pub host: Option<String>,
    pub host_match: HostMatch,
    /// The path as written (`/` when absent).
    pub path: String,
    pub path_type: PathType,
    /// Matched as a regex (use-regex or rewrite-target on the server).
    pub regex: bool,
    pub backend: IngressBackend,
    /// The `paths[]` item.
    pub source: Option<Source>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    Path(PathMatch),
    /// An Ingress's `spec.defaultBackend`.
    DefaultBackend {
        ingress: ObjectRef,
        backend: IngressBackend,
    },
    /// Nothing matched and no Ingress has a default backend: the controller answers 404.
    NotFound,
}

/// TLS termination for the request's host.
#[derive(Clone, Debug, PartialEq)]
pub struct Tls {
    pub ingress: ObjectRef,
    /// `None`: the controller's default (self-signed) certificate.
    pub secret: Option<String>,
}

/// A canary Ingress (`canary: "true"`) that shares the requests of the chosen backend: the
/// header, then the cookie, then `weight` of every `total` requests go to its `backend`.
#[derive(Clone, Debug, PartialEq)]
pub struct Canary {
    pub ingress: ObjectRef,
    pub backend: IngressBackend,
    /// `canary-weight`, between 0 and `total` (a value the controller cannot read is 0).
    pub weight: u32,
    /// `canary-weight-total` when greater than 100, else 100 (the Lua balancer reads no less).
    pub total: u32,
    /// `canary-by-header`: `always` sends to the canary, `never` not; with
    /// `canary-by-header-value` (or `-pattern`), that value (or pattern) sends to it.
    pub header: Option<String>,
    /// `canary-by-cookie`: `always` sends to the canary, `never` not.
    pub cookie: Option<String>,
}

impl Canary {
    pub(crate) fn of(ing: &Ingress, backend: &IngressBackend) -> Canary {
        let int = |key: &str| {
            ing.annotations.get(&format!("{ANNOTATION}{key}")).and_then(|v| v.parse::<i64>().ok())
        };
        let total = int("canary-weight-total").filter(|t| *t > 100).unwrap_or(100);
        let text =
            |key: &str| ing.annotations.get(&format!("{ANNOTATION}{key}")).filter(|v| !v.is_empty()).cloned();
        let header = text("canary-by-header").map(|h| {
            match text("canary-by-header-value").or_else(|| text("canary-by-header-pattern")) {
                Some(v) => format!("{h}: {v}"),
                None => h,
            }
        });
        Canary {
            ingress: object(ing),
            backend: backend.clone(),
            weight: int("canary-weight").unwrap_or(0).clamp(0, total) as u32,
            total: total.min(u32::MAX as i64) as u32,
            header,
            cookie: text("canary-by-cookie"),
        }
    }

    /// Its share and what is read before it, in words: ``canary Ingress ns/c (canary-weight
    /// 20 of 100: 20% of the requests)``.
    pub fn words(&self) -> String {
        let mut by = Vec::new();
        by.extend(self.header.as_ref().map(|h| format!("header `{h}`")));
        by.extend(self.cookie.as_ref().map(|c| format!("cookie `{c}`")));
        let first = if by.is_empty() { String::new() } else { format!("{}, then ", by.join(", then ")) };
        format!(
            "canary Ingress {}/{} ({first}canary-weight {} of {}: {}% of the requests)",
            self.ingress.namespace,
            self.ingress.name,
            self.weight,
            self.total,
            (self.weight as f64 * 100.0 / self.total as f64 * 10.0).round() / 10.0
        )
    }
}

/// Something that did not take part, and why (an ignored Ingress, a rule or path that lost).
#[derive(Clone, Debug, PartialEq)]
pub struct Skip {
    pub object: ObjectRef,
    pub reason: String,
}

/// The controller's decision for one request, with its reasons.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteDecision {
    /// The Host header, lower-cased and without port.
    pub host: String,
    /// The request path, without query.
    pub path: String,
    pub scheme: Scheme,
    pub route: Route,
    /// Set when the host is in some served Ingress's `tls`.
    pub tls: Option<Tls>,
    /// `Some(location)` when the controller answers 308 instead of proxying.
    pub redirect: Option<String>,
    /// The `rewrite-target` annotation when it applied.
    pub rewrite_target: Option<String>,
    /// The path sent to the backend (after rewrite-target), with the request's query string.
    pub upstream_path: String,
    /// The Ingresses the controller serves, in file order.
    pub served: Vec<ObjectRef>,
    /// Ingresses ignored, rules and paths that did not win, each with why.
    pub skipped: Vec<Skip>,
    /// When nothing answers (404) though some served Ingress has a `spec.defaultBackend`:
    /// why that backend does not apply to this request's server.
    pub default_backend_unused: Option<String>,
    /// The canary that shares the chosen backend's requests, if any.
    pub canary: Option<Canary>,
}

impl RouteDecision {
    /// The Ingress that decided the route, if any.
    pub fn ingress(&self) -> Option<&ObjectRef> {
        match &self.route {
            Route::Path(m) => Some(&m.ingress),
            Route::DefaultBackend { ingress, .. } => Some(ingress),
            Route::NotFound => None,
        }
    }

    pub fn backend(&self) -> Option<&IngressBackend> {
        match &self.route {
            Route::Path(m) => Some(&m.backend),
            Route::DefaultBackend { backend, .. } => Some(backend),
            Route::NotFound => None,
        }
    }

    /// What matched: ``host `a.example`, path `/api` (Prefix)``, the default backend, or nothing.
    pub fn matched(&self) -> String {
        match &self.route {
            Route::Path(m) => {
                let host = match (&m.host, m.host_match) {
                    (Some(h), HostMatch::Exact) => format!("host `{h}`"),
                    (Some(h), _) => format!("wildcard host `{h}`"),
                    (None, _) => "a rule without host (every host)".to_string(),
                };
                let regex = if m.regex { ", as a case-insensitive regex" } else { "" };
                format!("{host}, path `{}` ({}{regex})", m.path, path_type_str(m.path_type))
            }
            Route::DefaultBackend { ingress, .. } => format!(
                "no rule path matches; spec.defaultBackend of Ingress {}/{}",
                ingress.namespace, ingress.name
            ),
            Route::NotFound => match &self.default_backend_unused {
                Some(why) => format!("no Ingress rule matches and no defaultBackend applies: {why}"),
                None => "no Ingress rule matches and no Ingress has a defaultBackend".to_string(),
            },
        }
    }

    /// Why plain HTTP was proxied rather than redirected to HTTPS, when it was.
    pub fn no_redirect_cause(&self) -> Option<String> {
        if self.scheme != Scheme::Http || self.redirect.is_some() || self.backend().is_none() {
            return None;
        }
        Some(match &self.tls {
            None => format!(
                "No Ingress lists {} under `tls` (and none sets force-ssl-redirect), so the controller serves it over plain HTTP instead of redirecting",
                self.host
            ),
            Some(t) => format!(
                "Ingress {}/{} sets ssl-redirect \"false\", so plain HTTP to {} is served, not redirected",
                t.ingress.namespace, t.ingress.name, self.host
            ),
        })
    }

    /// The controller's decision in a sentence that starts with its cause: the rule that won
    /// (or why none did) and what happened to the path.
    pub fn cause(&self) -> String {
        let rewrite = match &self.rewrite_target {
            Some(t) => {
                format!("; rewrite-target `{t}` changes the path {} to {}", self.path, self.upstream_path)
            }
            None => format!("; the backend receives the path {} unchanged", self.upstream_path),
        };
        match &self.route {
            Route::Path(m) => format!(
                "The rule of Ingress {}/{} with {} wins{rewrite}",
                m.ingress.namespace,
                m.ingress.name,
                self.matched()
            ),
            Route::DefaultBackend { ingress, .. } => format!(
                "No rule path matches: spec.defaultBackend of Ingress {}/{} takes the request{rewrite}",
                ingress.namespace, ingress.name
            ),
            Route::NotFound => {
                let why = match &self.default_backend_unused {
                    Some(why) => Some(format!(", and no defaultBackend applies: {why}")),
                    None => self
                        .skipped
                        .first()
                        .map(|s| format!(" ({}/{}: {})", s.object.namespace, s.object.name, s.reason)),
                };
                format!("No Ingress rule matches {}{}{}", self.host, self.path, why.unwrap_or_default())
            }
        }
    }
}

fn object(ing: &Ingress) -> ObjectRef {
    ObjectRef::new("Ingress", &ing.namespace, &ing.name, ing.source.clone())
}

/// A boolean annotation as ingress-nginx reads it (Go's `strconv.ParseBool` on the value as
/// written: `1`, `t`, `T`, `TRUE`, `true`, `True` and their false forms); anything else is
/// ignored, as the controller ignores it (with a warning), and the default applies.
fn annotation_bool(ing: &Ingress, key: &str) -> Option<bool> {
    match ing.annotations.get(&format!("{ANNOTATION}{key}"))?.as_str() {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// `use-regex` set to true.
fn use_regex(ing: &Ingress) -> bool {
    annotation_bool(ing, "use-regex") == Some(true)
}

/// The `rewrite-target` annotation when ingress-nginx accepts it: its validator
/// (`parser.RegexPathWithCapture` in ingress-nginx v1.15.1) allows letters, digits and
/// `-._~/:$` only; any other value is dropped, as if the annotation were absent.
pub fn rewrite_target(ing: &Ingress) -> Option<&str> {
    let value = ing.annotations.get(&format!("{ANNOTATION}rewrite-target"))?;
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~/:$".contains(c);
    (!value.is_empty() && value.chars().all(allowed)).then_some(value.as_str())
}

/// Whether a location needs a rewrite (ingress-nginx's `needsRewrite`): a rewrite-target
/// other than the location's own path.
fn needs_rewrite(ing: &Ingress, path: &str) -> bool {
    rewrite_target(ing).is_some_and(|t| t != path)
}

/// Why ingress-nginx's validating admission webhook refuses `ing`, if it does: with
/// `strict-validate-path-type` (on by default since v1.12, and in v1.15.1), a path of type
/// Prefix or Exact must be `/` followed by letters, digits, `.`, `_`, `-` and `/` only
/// (`ValidatePathType`, internal/ingress/inspector). Regex characters need
/// ImplementationSpecific.
pub fn strict_path_type_refusal(ing: &Ingress) -> Option<String> {
    let bad: Vec<String> = ing
        .rules
        .iter()
        .flat_map(|r| &r.paths)
        .filter(|p| !strict_path_type_valid(p))
        .map(|p| {
            let path = p.path.as_deref().unwrap_or_default();
            format!("path `{path}` cannot be used with pathType {}", path_type_str(p.path_type))
        })
        .collect();
    (!bad.is_empty()).then(|| {
        format!(
            "ingress-nginx's admission webhook refuses it, so `kubectl apply` fails and the Ingress is never created: {} (strict-validate-path-type, on by default: Prefix and Exact paths take only letters, digits, `.`, `_`, `-` and `/`; a regular expression needs `pathType: ImplementationSpecific`)",
            bad.join("; ")
        )
    })
}

/// Whether one path passes the strict path-type validation: ImplementationSpecific and
/// empty paths always do.
pub fn strict_path_type_valid(p: &IngressPath) -> bool {
    let path = p.path.as_deref().unwrap_or_default();
    p.path_type == PathType::ImplementationSpecific
        || path.is_empty()
        || path
            .strip_prefix('/')
            .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c)))
}

/// Whether the built-in controller serves `ing`, or why not: its class, then the
/// controller's admission webhook ([`strict_path_type_refusal`]), which judges only the
/// Ingresses of its class.
/// https://kubernetes.io/docs/concepts/services-networking/ingress/#default-ingress-class
pub fn served_by_controller(ing: &Ingress, classes: &[IngressClass]) -> Result<(), String> {
    class_served(ing, classes)?;
    strict_path_type_refusal(ing).map_or(Ok(()), Err)
}

/// Whether `ing`'s class is the built-in controller's, or why not.
pub fn class_served(ing: &Ingress, classes: &[IngressClass]) -> Result<(), String> {
    let legacy = ing.annotations.get("kubernetes.io/ingress.class");
    let name = ing.class_name.as_ref().or(legacy);
    match name {
        Some(name) => match classes.iter().find(|c| &c.name == name) {
            Some(c) if c.controller == CONTROLLER => Ok(()),
            Some(c) => Err(format!(
                "its class `{name}` belongs to controller {}, not {CONTROLLER}: ingress-nginx ignores it",
                c.controller
            )),
            None => Err(format!("no IngressClass `{name}` exists: no controller serves it")),
        },
        None => {
            let defaults: Vec<&IngressClass> = classes.iter().filter(|c| c.is_default).collect();
            match defaults.as_slice() {
                [] => Err(format!(
                    "it has no ingressClassName and no IngressClass is default (the built-in `{CLASS}` is not): set `ingressClassName: {CLASS}`"
                )),
                [c] if c.controller == CONTROLLER => Ok(()),
                [c] => Err(format!(
                    "it has no ingressClassName and the default IngressClass `{}` belongs to {}",
                    c.name, c.controller
                )),
                _ => Err("it has no ingressClassName and several IngressClasses claim to be default: the admission controller refuses to pick one".into()),
            }
        }
    }
}

/// A path of an Ingress that ingress-nginx's admission webhook finds already defined.
#[derive(Clone, Debug, PartialEq)]
pub struct Overlap {
    /// Index of the rule, and of the path in it.
    pub rule: usize,
    pub path: usize,
    /// The webhook's reason, in words.
    pub reason: String,
}

/// An nginx location as `getBackendServers` and `updateServerLocations` build it, for the
/// webhook's overlap check.
#[derive(Clone)]
struct Location<'a> {
    path: String,
    exact: bool,
    owner: Option<&'a Ingress>,
    /// Still the server's default root location (`IsDefBackend`).
    default: bool,
}

fn canary_missing(ing: &Ingress) -> bool {
    !ing.annotations.contains_key(&format!("{ANNOTATION}canary"))
}

fn canary_enabled(ing: &Ingress) -> bool {
    annotation_bool(ing, "canary") == Some(true)
}

fn same(a: &Ingress, b: &Ingress) -> bool {
    a.namespace == b.namespace && a.name == b.name
}

/// The older Ingresses' paths the webhook let in, by (server, path as written), in file
/// order, with whether each is Exact; and the catch-all Ingress, once one exists.
#[derive(Default)]
struct Claims<'a> {
    paths: BTreeMap<(String, String), Vec<(&'a Ingress, bool)>>,
    catch_all: Option<&'a Ingress>,
}

/// The rules' paths that make locations: those with a Service backend, as (server, path,
/// exact, rule index, path index).
fn location_paths(ing: &Ingress) -> Vec<(&str, &str, bool, usize, usize)> {
    let mut out = Vec::new();
    for (ri, rule) in ing.rules.iter().enumerate() {
        let host = rule.host.as_deref().unwrap_or("_");
        for (pi, p) in rule.paths.iter().enumerate() {
            if matches!(p.backend, IngressBackend::Service { .. }) {
                let path = p.path.as_deref().filter(|s| !s.is_empty()).unwrap_or("/");
                out.push((host, path, p.path_type == PathType::Exact, ri, pi));
            }
        }
    }
    out
}

/// The locations of server `host` whose path was written `raw`, as `getBackendServers`
/// then `updateServerLocations` build them from the older Ingresses and `new` (last).
/// Locations of other written paths never change these, so they are left out.
fn locations<'a>(claims: &Claims<'a>, new: &'a Ingress, host: &str, raw: &str) -> Vec<Location<'a>> {
    let mut locations = Vec::new();
    if raw == "/" {
        let catch_all = claims.catch_all.filter(|_| host == "_");
        locations.push(Location {
            path: "/".into(),
            exact: false,
            owner: catch_all,
            default: catch_all.is_none(),
        });
    }
    let older = claims.paths.get(&(host.to_string(), raw.to_string())).into_iter().flatten().copied();
    let own = location_paths(new).into_iter().filter(|p| p.0 == host && p.1 == raw).map(|p| (new, p.2));
    for (ing, exact) in older.chain(own).collect::<Vec<_>>() {
        match locations.first_mut() {
            // The first location of this path decides: same type, it is configured already
            // (or, still the default root, taken over); another type adds a location.
            Some(loc) if loc.exact == exact => {
                if loc.default {
                    loc.owner = Some(ing);
                    loc.default = false;
                }
            }
            _ => locations.push(Location { path: raw.to_string(), exact, owner: Some(ing), default: false }),
        }
    }
    // updateServerLocations: a Prefix path without regex becomes `path/`, plus an Exact copy
    // of `path` unless an Exact location of that path exists.
    let has_exact = locations.iter().any(|l| l.exact);
    let mut out = Vec::new();
    for loc in locations {
        let regex = loc.owner.is_some_and(|o| use_regex(o) || needs_rewrite(o, &loc.path));
        if loc.path == "/" || loc.exact || regex {
            out.push(loc);
            continue;
        }
        let normalized = if loc.path.ends_with('/') { loc.path.clone() } else { format!("{}/", loc.path) };
        if !has_exact {
            out.push(Location { exact: true, ..loc.clone() });
        }
        out.push(Location { path: normalized, ..loc });
    }
    out
}

/// The Ingresses ingress-nginx's admission webhook refuses for overlapping an older one
/// (`CheckIngress`, `checkOverlap` in controller.go of v1.15.1): one of its paths is
/// already a location of the same server owned by another Ingress, and either neither has
/// the `canary` annotation or both are canaries. Same path, other type depends on the
/// locations: an Exact path after a Prefix one gets its own location, a Prefix path after
/// an Exact one is refused. `served` in file (creation) order; each is judged against the
/// older ones the webhook let in.
pub fn overlaps(served: &[&Ingress]) -> Vec<Option<Overlap>> {
    let mut claims = Claims::default();
    let mut out = Vec::with_capacity(served.len());
    for &ing in served {
        let found = overlap(&claims, ing);
        if found.is_none() && !canary_enabled(ing) {
            for (host, path, exact, _, _) in location_paths(ing) {
                claims.paths.entry((host.to_string(), path.to_string())).or_default().push((ing, exact));
            }
            if ing.rules.is_empty() && claims.catch_all.is_none() && service_default_backend(ing).is_some() {
                claims.catch_all = Some(ing);
            }
        }
        out.push(found);
    }
    out
}

fn overlap(claims: &Claims, new: &Ingress) -> Option<Overlap> {
    for (host, path, _, ri, pi) in location_paths(new) {
        // The locations named `path`: written so, or a Prefix `path` without its slash.
        let unslashed = path.strip_suffix('/').filter(|p| !p.is_empty());
        let mut found = locations(claims, new, host, path);
        if let Some(raw) = unslashed {
            found.extend(locations(claims, new, host, raw));
        }
        let owners = found.iter().filter(|l| l.path == path && !l.default).filter_map(|l| l.owner);
        for old in owners.filter(|o| !same(o, new)) {
            let refused =
                (canary_enabled(new) && canary_enabled(old)) || (canary_missing(new) && canary_missing(old));
            if refused {
                let reason = format!(
                    "ingress-nginx's admission webhook refuses it, so `kubectl apply` fails and the Ingress is never created: host \"{host}\" and path \"{path}\" is already defined in Ingress {}/{} (the older one keeps it; change the path or the host, or move the path into that Ingress)",
                    old.namespace, old.name
                );
                return Some(Overlap { rule: ri, path: pi, reason });
            }
        }
    }
    None
}

/// Lower-case, without a port or a trailing dot.
fn normalize_host(host: &str) -> String {
    let h = host.trim();
    let h = match h.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => h,
    };
    h.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether rule host `rule` covers `host`.
/// https://kubernetes.io/docs/concepts/services-networking/ingress/#hostname-wildcards
/// `*.foo.com` matches `bar.foo.com`, not `baz.bar.foo.com` nor `foo.com`.
pub fn host_matches(rule: &str, host: &str) -> Option<HostMatch> {
    let rule = rule.to_ascii_lowercase();
    let host = normalize_host(host);
    if let Some(suffix) = rule.strip_prefix("*.") {
        let (first, rest) = host.split_once('.')?;
        (!first.is_empty() && rest == suffix).then_some(HostMatch::Wildcard)
    } else {
        (rule == host).then_some(HostMatch::Exact)
    }
}

fn elements(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// Path matching without regex, as the Ingress docs' "Examples" table defines it.
/// https://kubernetes.io/docs/concepts/services-networking/ingress/#examples
pub fn path_matches(path_type: PathType, path: &str, request: &str) -> bool {
    match path_type {
        PathType::Exact => path == request,
        PathType::Prefix | PathType::ImplementationSpecific => {
            let want = elements(path);
            let got = elements(request);
            want.len() <= got.len() && want.iter().zip(&got).all(|(a, b)| a == b)
        }
    }
}

/// Length used for "longest match wins": the path without its trailing slash.
fn match_len(path: &str) -> usize {
    let t = path.trim_end_matches('/');
    if t.is_empty() {
        1
    } else {
        t.len()
    }
}

/// A served path, with where it came from.
struct Candidate<'a> {
    ing: &'a Ingress,
    order: usize,
    host: Option<&'a str>,
    host_match: HostMatch,
    path: String,
    path_type: PathType,
    backend: &'a IngressBackend,
    source: Option<&'a Source>,
}

/// The nginx `server` a request reaches, as ingress-nginx v1.15.1 builds them
/// (`createServers` and `getBackendServers`, internal/ingress/controller/controller.go):
/// one per host some rule names, created by the first Ingress (file order) naming it, plus
/// the catch-all `_` for host-less rules and unknown hosts.
struct Server<'a> {
    /// How the host matched (`None`: the catch-all server `_`).
    level: Option<HostMatch>,
    /// The paths of the server's rules.
    candidates: Vec<Candidate<'a>>,
    /// What answers the server's root location `/` when no path does.
    root: Option<&'a Ingress>,
}

/// The request's host (lower-case, without port), path and query (with its `?`). Routed by
/// the path alone; the query string goes on with the request, to the backend and into a
/// redirect's Location (nginx's `$request_uri`, and `rewrite ... break` keeps the arguments).
fn request(host: &str, path: &str) -> (String, String, String) {
    let before_fragment = path.split('#').next().unwrap_or("");
    let query = before_fragment.find('?').map_or("", |i| &before_fragment[i..]).to_string();
    let path = path.split(['?', '#']).next().unwrap_or("");
    let path = if path.starts_with('/') { path.to_string() } else { format!("/{path}") };
    (normalize_host(host), path, query)
}

/// What nothing routed answers: the controller's 404, with why each Ingress took no part.
fn unrouted(host: &str, path: &str, scheme: Scheme, skipped: Vec<Skip>) -> RouteDecision {
    let (host, path, query) = request(host, path);
    RouteDecision {
        host,
        upstream_path: format!("{path}{query}"),
        path,
        scheme,
        route: Route::NotFound,
        tls: None,
        redirect: None,
        rewrite_target: None,
        served: Vec::new(),
        skipped,
        default_backend_unused: None,
        canary: None,
    }
}

/// The signature of [`route`], for [`ROUTING`].
pub type RouteFn = fn(&[Ingress], &[IngressClass], &str, &str, Scheme) -> RouteDecision;

static ROUTE: RouteFn = route;

/// Where [`route`] plugs in: always there without `gateway-later`; in the browser's build, the
/// routing is a module of its own, fetched when a file first names an Ingress ([`install`]).
pub static ROUTING: crate::socket::Socket<RouteFn> = crate::socket::Socket::new();

/// Makes requests through the ingress controller routed from now on (with `gateway-later`;
/// nothing to do otherwise).
pub fn install() {
    ROUTING.plug(&ROUTE);
}

/// Whether the routing is there ([`install`]).
pub fn routing_installed() -> bool {
    ROUTING.get(|| Some(&ROUTE)).is_some()
}

/// Routes one request as ingress-nginx would. `ingresses` in file (creation) order.
pub fn route(
    ingresses: &[Ingress],
    classes: &[IngressClass],
    host: &str,
    path: &str,
    scheme: Scheme,
) -> RouteDecision {
    let (host, path, query) = request(host, path);
    let mut skipped = Vec::new();
    let mut admitted: Vec<(usize, &Ingress)> = Vec::new();
    for (i, ing) in ingresses.iter().enumerate() {
        match served_by_controller(ing, classes) {
            Ok(()) => admitted.push((i, ing)),
            Err(reason) => skipped.push(Skip { object: object(ing), reason }),
        }
    }
    let refusals = overlaps(&admitted.iter().map(|a| a.1).collect::<Vec<_>>());
    let mut served: Vec<(usize, &Ingress)> = Vec::new();
    for (a, refusal) in admitted.into_iter().zip(refusals) {
        match refusal {
            None => served.push(a),
            Some(o) => skipped.push(Skip { object: object(a.1), reason: o.reason }),
        }
    }

    let served_all = served.iter().map(|(_, i)| object(i)).collect();
    // A canary creates no server or location: it shares a main backend's requests.
    let (canaries, served): (Vec<_>, Vec<_>) = served.into_iter().partition(|(_, i)| canary_enabled(i));
    let server = server(&served, &host, &mut skipped);
    let regex = regex_server(&server);
    let (chosen, captures) = choose_path(&server.candidates, &path, regex, &mut skipped);

    let mut rewrite_target = None;
    let mut upstream_path = path.clone();
    let route = match chosen.and_then(|i| server.candidates.get(i).map(|c| (i, c))) {
        Some((i, c)) => {
            if let Some(target) = crate::ingress::rewrite_target(c.ing).filter(|t| *t != c.path) {
                let caps = captures.get(i).cloned().unwrap_or_default();
                upstream_path = substitute(target, &caps);
                rewrite_target = Some(target.to_string());
            }
            Route::Path(PathMatch {
                ingress: object(c.ing),
                host: c.host.map(str::to_string),
                host_match: c.host_match,
                path: c.path.clone(),
                path_type: c.path_type,
                regex,
                backend: c.backend.clone(),
                source: c.source.cloned(),
            })
        }
        None => match server.root.and_then(|ing| service_default_backend(ing).map(|b| (ing, b))) {
            Some((ing, b)) => Route::DefaultBackend { ingress: object(ing), backend: b.clone() },
            None => Route::NotFound,
        },
    };
    upstream_path.push_str(&query);
    let canary = match &route {
        Route::Path(PathMatch { ingress, backend, .. }) | Route::DefaultBackend { ingress, backend } => {
            alternative(&served, &canaries, &ingress.namespace, backend)
        }
        Route::NotFound => None,
    };
    let (tls, redirect) =
        tls_and_redirect(ingresses, &served, &route, &host, &format!("{path}{query}"), scheme);
    let default_backend_unused =
        if route == Route::NotFound { default_backend_unused(&served, &server, &host) } else { None };

    RouteDecision {
        host,
        path,
        scheme,
        route,
        tls,
        redirect,
        rewrite_target,
        upstream_path,
        served: served_all,
        skipped,
        default_backend_unused,
        canary,
    }
}

/// A canary's server (`None`: `_`), its path and pathType (`None`: its defaultBackend, which
/// joins every location of `_`) and its backend.
type CanaryPath<'a> = (Option<&'a str>, Option<(&'a str, PathType)>, &'a IngressBackend);

/// The canary merged first into the main backend (`namespace`, `backend`), as
/// `mergeAlternativeBackends` (controller.go) merges each canary Ingress in turn: its
/// `spec.defaultBackend` into the backends of the catch-all server's locations, each rule
/// path into the backend of the location with the same host (as written), path and
/// pathType; a canary whose backend is already a location's main backend stops there. The
/// alternative belongs to the backend, so every location that sends to it shares it.
fn alternative(
    served: &[(usize, &Ingress)],
    canaries: &[(usize, &Ingress)],
    namespace: &str,
    backend: &IngressBackend,
) -> Option<Canary> {
    // The main locations: (server, path, pathType, ingress, backend).
    let mut locations: Vec<(Option<&str>, &str, PathType, &Ingress, &IngressBackend)> = Vec::new();
    // Each server's locations in the order `createServers` makes them: its root location `/`
    // first (a Prefix `/` path takes it; else it sends to the defaultBackend of the Ingress
    // that created the server, on `_` of the first Ingress without rules), then the other
    // paths in file order.
    let mut hosts: Vec<Option<&str>> = vec![None];
    for &(_, ing) in served {
        for h in ing.rules.iter().map(|r| r.host.as_deref()).filter(|h| h.is_some()) {
            if !hosts.contains(&h) {
                hosts.push(h);
            }
        }
    }
    for host in hosts {
        let paths: Vec<(&str, &IngressPath, &Ingress)> = served
            .iter()
            .flat_map(|&(_, ing)| {
                ing.rules.iter().filter(|r| r.host.as_deref() == host).map(move |r| (r, ing))
            })
            .flat_map(|(r, ing)| {
                r.paths
                    .iter()
                    .map(move |p| (p.path.as_deref().filter(|s| !s.is_empty()).unwrap_or("/"), p, ing))
            })
            .collect();
        let root = paths.iter().position(|(path, p, _)| *path == "/" && p.path_type == PathType::Prefix);
        match root {
            Some(i) => locations.push((host, "/", PathType::Prefix, paths[i].2, &paths[i].1.backend)),
            None => {
                let creator = served.iter().map(|s| s.1).find(|i| match host {
                    Some(_) => i.rules.iter().any(|r| r.host.as_deref() == host),
                    None => i.rules.is_empty() && service_default_backend(i).is_some(),
                });
                if let Some((ing, b)) = creator.and_then(|i| Some((i, service_default_backend(i)?))) {
                    locations.push((host, "/", PathType::Prefix, ing, b));
                }
            }
        }
        for (i, (path, p, ing)) in paths.iter().enumerate() {
            if Some(i) != root {
                locations.push((host, path, p.path_type, ing, &p.backend));
            }
        }
    }
    let exists = |host: Option<&str>| host.is_none() || locations.iter().any(|l| l.0 == host);
    let wanted = |ing: &Ingress, b: &IngressBackend| ing.namespace == namespace && b == backend;
    for &(_, canary) in canaries {
        let mut paths: Vec<CanaryPath> = Vec::new();
        paths.extend(service_default_backend(canary).map(|b| (None, None, b)));
        for rule in &canary.rules {
            for p in rule.paths.iter().filter(|p| matches!(p.backend, IngressBackend::Service { .. })) {
                let path = p.path.as_deref().filter(|s| !s.is_empty()).unwrap_or("/");
                paths.push((rule.host.as_deref(), Some((path, p.path_type)), &p.backend));
            }
        }
        for (host, path, alt) in paths.into_iter().filter(|p| exists(p.0)) {
            for &(lhost, lpath, ltype, ing, main) in &locations {
                if lhost != host {
                    continue;
                }
                if ing.namespace == canary.namespace && main == alt {
                    break;
                }
                let same_path = path.is_none_or(|(p, t)| p == lpath && t == ltype);
                if same_path && wanted(ing, main) {
                    return Some(Canary::of(canary, alt));
                }
            }
        }
    }
    None
}

/// `spec.defaultBackend` when it names a Service: `createServers` reads nothing else, so a
/// resource backend leaves the controller's 404.
fn service_default_backend(ing: &Ingress) -> Option<&IngressBackend> {
    ing.default_backend.as_ref().filter(|b| matches!(b, IngressBackend::Service { .. }))
}

/// Why no served Ingress's `spec.defaultBackend` answers a request that no path matched.
fn default_backend_unused(served: &[(usize, &Ingress)], server: &Server, host: &str) -> Option<String> {
    let with_backend = served.iter().map(|s| s.1).find(|i| service_default_backend(i).is_some())?;
    let name = |i: &Ingress| format!("Ingress {}/{}", i.namespace, i.name);
    Some(match (server.level, server.root) {
        (Some(_), Some(root)) => format!(
            "the server for `{host}` was created by {} (the oldest Ingress naming this host), and its root location takes that Ingress's defaultBackend, which it does not set",
            name(root)
        ),
        _ => format!(
            "spec.defaultBackend of {} serves only the hosts of its own rules; a host no rule names reaches the controller's catch-all server, which takes the defaultBackend of an Ingress with no rules at all (ingress-nginx since v1.3.1)",
            name(with_backend)
        ),
    })
}

/// The server for `host`: the one of the exact host, else of the (single) wildcard that
/// covers it, else the catch-all `_`. A rule without paths still creates its host's server.
///
/// Its root location: on a named server, the `spec.defaultBackend` of the Ingress that
/// created it (none: the controller's 404); on `_`, that of the first Ingress with a
/// defaultBackend and no rules at all. An Ingress with rules never changes `_`
/// (`createServers`, since ingress-nginx PR #8825, first released in v1.3.1). The catch-all
/// Ingress takes `/` of `_` before any path is added, so a host-less `/` Prefix path loses.
fn server<'a>(served: &[(usize, &'a Ingress)], host: &str, skipped: &mut Vec<Skip>) -> Server<'a> {
    let matching = |ing: &Ingress| -> Option<HostMatch> {
        ing.rules.iter().filter_map(|r| r.host.as_deref().and_then(|h| host_matches(h, host))).min()
    };
    let level = served.iter().filter_map(|(_, ing)| matching(ing)).min();
    let root = match level {
        Some(l) => served.iter().map(|s| s.1).find(|ing| matching(ing) == Some(l)),
        None => served
            .iter()
            .map(|s| s.1)
            .find(|ing| ing.rules.is_empty() && service_default_backend(ing).is_some()),
    };
    let mut candidates: Vec<Candidate> = Vec::new();
    for &(order, ing) in served {
        for rule in &ing.rules {
            let m = match &rule.host {
                Some(h) => host_matches(h, host),
                None => Some(HostMatch::Any),
            };
            let Some(m) = m else {
                if let Some(h) = &rule.host {
                    let why = if h.starts_with("*.") {
                        format!("wildcard host `{h}` covers exactly one more label, not `{host}`")
                    } else {
                        format!("host `{h}` is not `{host}`")
                    };
                    skipped.push(Skip { object: object(ing), reason: why });
                }
                continue;
            };
            for p in &rule.paths {
                let path = p.path.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| "/".into());
                let c = Candidate {
                    ing,
                    order,
                    host: rule.host.as_deref(),
                    host_match: m,
                    path,
                    path_type: p.path_type,
                    backend: &p.backend,
                    source: p.source.as_ref(),
                };
                if Some(m) != level && !(level.is_none() && m == HostMatch::Any) {
                    let why = match level {
                        Some(HostMatch::Exact) => {
                            format!("a rule for the exact host `{host}` takes precedence")
                        }
                        _ => format!("the wildcard rule for `{host}` takes precedence over host-less rules"),
                    };
                    let reason = format!("{} {}: {why}", c.path, path_type_str(c.path_type));
                    skipped.push(Skip { object: object(ing), reason });
                    continue;
                }
                let root_taken = level.is_none() && c.path == "/" && c.path_type != PathType::Exact;
                if let Some(catch_all) = root.filter(|_| root_taken) {
                    let reason = format!(
                        "/ {}: the catch-all server's `/` already belongs to the spec.defaultBackend of Ingress {}/{} (an Ingress without rules)",
                        path_type_str(c.path_type),
                        catch_all.namespace,
                        catch_all.name
                    );
                    skipped.push(Skip { object: object(ing), reason });
                    continue;
                }
                candidates.push(c);
            }
        }
    }
    Server { level, candidates, root }
}

/// Whether the server's locations are regular expressions: ingress-nginx's
/// `enforceRegexModifier` turns them all into `~* "^<path>"` once one location has
/// use-regex or needs a rewrite. The locations are the first claim of each path and type,
/// and the root location `/` (the Ingress that created the server, unless a `/` Prefix path
/// of some Ingress replaced it).
fn regex_server(server: &Server) -> bool {
    let mut seen: Vec<(&str, PathType)> = Vec::new();
    let mut locations: Vec<(&Ingress, &str)> = Vec::new();
    for c in &server.candidates {
        let t = if c.path_type == PathType::Exact { PathType::Exact } else { PathType::Prefix };
        if !seen.contains(&(c.path.as_str(), t)) {
            seen.push((c.path.as_str(), t));
            locations.push((c.ing, c.path.as_str()));
        }
    }
    if server.level.is_some() && !seen.contains(&("/", PathType::Prefix)) {
        locations.extend(server.root.map(|ing| (ing, "/")));
    }
    locations.iter().any(|(ing, path)| use_regex(ing) || needs_rewrite(ing, path))
}

/// Paths: without regex, exact matches first, then the longest prefix, file order breaking
/// ties. With regex, every path (Exact too) is a case-insensitive regex anchored at the
/// start, tried in the order ingress-nginx writes the locations: longer path first, then
/// the greater path, then file order. Returns the chosen candidate and each candidate's
/// regex captures.
fn choose_path(
    candidates: &[Candidate],
    path: &str,
    regex: bool,
    skipped: &mut Vec<Skip>,
) -> (Option<usize>, Vec<Vec<Option<String>>>) {
    let mut best: Option<(usize, &str, bool, usize, usize)> = None; // (len, path, exact, -order, index)
    let mut captures: Vec<Vec<Option<String>>> = Vec::with_capacity(candidates.len());
    for (i, c) in candidates.iter().enumerate() {
        let (matched, caps) = match c.path_type {
            _ if regex => match Regex::parse(&c.path) {
                Some(re) => match re.match_start(path) {
                    Some(caps) => (true, caps),
                    None => (false, Vec::new()),
                },
                None => (false, Vec::new()),
            },
            PathType::Exact => (c.path == path, Vec::new()),
            t => (path_matches(t, &c.path, path), Vec::new()),
        };
        captures.push(caps);
        if !matched {
            let why = match c.path_type {
                _ if regex => format!(
                    "{} `{}`, as the regex `^{}` (case-insensitive), does not match `{path}`",
                    path_type_str(c.path_type),
                    c.path,
                    c.path
                ),
                PathType::Exact => format!("Exact `{}` is not `{path}`", c.path),
                _ => format!(
                    "{} `{}` is not an element-wise prefix of `{path}`",
                    path_type_str(c.path_type),
                    c.path
                ),
            };
            skipped.push(Skip { object: object(c.ing), reason: why });
            continue;
        }
        let exact = c.path_type == PathType::Exact;
        let key = if regex {
            (c.path.len(), c.path.as_str(), false, usize::MAX - c.order, usize::MAX - i)
        } else {
            (match_len(&c.path), "", exact, usize::MAX - c.order, usize::MAX - i)
        };
        if best.is_none_or(|b| key > b) {
            best = Some(key);
        }
    }
    let chosen = best.map(|b| usize::MAX - b.4);
    let order = if regex {
        "regexes are tried longest path first, then the greater path, then the oldest Ingress"
    } else {
        "longest path wins, then Exact, then the oldest Ingress"
    };
    for (i, c) in candidates.iter().enumerate() {
        let matched_but_lost = chosen.is_some_and(|k| k != i)
            && !skipped
                .iter()
                .any(|s| s.object.name == c.ing.name && s.reason.contains(&format!("`{}`", c.path)));
        if matched_but_lost {
            skipped.push(Skip {
                object: object(c.ing),
                reason: format!(
                    "{} `{}` also matches but loses ({order})",
                    path_type_str(c.path_type),
                    c.path
                ),
            });
        }
    }

    (chosen, captures)
}

/// TLS for the host, from any served Ingress (first in file order), and the redirect to
/// https that the routing Ingress's annotations ask for.
fn tls_and_redirect(
    ingresses: &[Ingress],
    served: &[(usize, &Ingress)],
    route: &Route,
    host: &str,
    path: &str,
    scheme: Scheme,
) -> (Option<Tls>, Option<String>) {
    let tls = served.iter().find_map(|(_, ing)| {
        ing.tls
            .iter()
            .find(|t| t.hosts.iter().any(|h| host_matches(h, host).is_some()))
            .map(|t| Tls { ingress: object(ing), secret: t.secret_name.clone() })
    });
    let routing_ingress = match route {
        Route::Path(m) => {
            ingresses.iter().find(|i| i.namespace == m.ingress.namespace && i.name == m.ingress.name)
        }
        Route::DefaultBackend { ingress, .. } => {
            ingresses.iter().find(|i| i.namespace == ingress.namespace && i.name == ingress.name)
        }
        Route::NotFound => None,
    };
    let ssl_redirect = routing_ingress.and_then(|i| annotation_bool(i, "ssl-redirect")) != Some(false);
    let force = routing_ingress.and_then(|i| annotation_bool(i, "force-ssl-redirect")) == Some(true);
    let redirect = (scheme == Scheme::Http && ((tls.is_some() && ssl_redirect) || force))
        .then(|| format!("https://{host}{path}"));
    (tls, redirect)
}

/// `service-upstream: "true"`: the controller proxies to the Service's ClusterIP.
pub fn service_upstream(ing: &Ingress) -> bool {
    annotation_bool(ing, "service-upstream") == Some(true)
}

/// Whether `pod` is the built-in controller's pod.
pub fn is_controller_pod(pod: &ClusterPod) -> bool {
    pod.built_in && pod.namespace == NAMESPACE
}

/// A backend Service resolved against the cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedBackend<'a> {
    pub service: &'a ClusterService,
    /// Index into the Service's ports.
    pub index: usize,
    /// The Service port number.
    pub port: u16,
}

impl Cluster {
    /// The built-in controller's Service, when the topology has one.
    pub fn ingress_controller_service(&self) -> Option<&ClusterService> {
        self.services.iter().find(|s| s.built_in && s.namespace() == NAMESPACE && s.name() == SERVICE)
    }

    /// What the controller does with `scheme://host/path` (see the module docs).
    pub fn route_ingress(&self, host: &str, path: &str, scheme: Scheme) -> RouteDecision {
        let none = |reason: &str| {
            let skipped =
                self.ingresses.iter().map(|i| Skip { object: object(i), reason: reason.into() }).collect();
            unrouted(host, path, scheme, skipped)
        };
        if self.ingress_controller_service().is_none() {
            return none("no Ingress controller is installed");
        }
        if self.ingresses.is_empty() {
            return none("");
        }
        match ROUTING.get(|| Some(&ROUTE)) {
            Some(route) => route(&self.ingresses, &self.ingress_classes, host, path, scheme),
            None => none("the ingress controller's part of the model is still loading"),
        }
    }

    /// The Service and port a backend names, in the Ingress's namespace, or why it has none.
    pub fn ingress_backend(
        &self,
        namespace: &str,
        backend: &IngressBackend,
    ) -> Result<ResolvedBackend<'_>, String> {
        let (name, port) = match backend {
            IngressBackend::Service { name, port } => (name, port),
            IngressBackend::Resource { kind, name } => {
                return Err(format!(
                "resource backend {kind}/{name}: not modelled (ingress-nginx serves only Service backends)"
            ))
            }
        };
        let Some(svc) = self.service(namespace, name) else {
            return Err(format!("Service {namespace}/{name} does not exist"));
        };
        let found = svc.spec.ports.iter().enumerate().find(|(_, p)| match port {
            PortRef::Number(n) => p.port == *n,
            PortRef::Name(want) => p.name.as_deref() == Some(want.as_str()),
        });
        match found {
            Some((index, p)) => Ok(ResolvedBackend { service: svc, index, port: p.port }),
            None => {
                let ports: Vec<String> = svc
                    .spec
                    .ports
                    .iter()
                    .map(|p| match &p.name {
                        Some(n) => format!("{n}:{}", p.port),
                        None => p.port.to_string(),
                    })
                    .collect();
                Err(format!("Service {namespace}/{name} has no port {port} (ports: {})", ports.join(", ")))
            }
        }
    }
}

/// `Exact`, `Prefix` or `ImplementationSpecific`, as written in YAML.
pub fn path_type_str(t: PathType) -> &'static str {
    match t {
        PathType::Exact => "Exact",
        PathType::Prefix => "Prefix",
        PathType::ImplementationSpecific => "ImplementationSpecific",
    }
}

/// `$1`..`$9` in `target` replaced by the captures (group 1 is `caps[1]`); missing ones are empty.
fn substitute(target: &str, caps: &[Option<String>]) -> String {
    let mut out = String::new();
    let mut chars = target.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' {
            if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                chars.next();
                if let Some(Some(s)) = caps.get(d as usize) {
                    out.push_str(s);
                }
                continue;
            }
        }
        out.push(c);
    }
    out
}
