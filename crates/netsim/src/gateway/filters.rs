//! A rule's filters applied to a request, in the order written (HTTPRouteRule `filters`:
//! implementations SHOULD apply them in order): header modifiers, URL rewrites, redirects,
//! mirrors. https://gateway-api.sigs.k8s.io/reference/spec/#httproutefilter

use crate::gateway::matching::prefix_matches;
use crate::gateway::types::{HeaderModifier, PathModifier, RequestRedirect, RouteFilter};
use crate::ingress::Scheme;

/// The request as it leaves the Gateway for a backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upstream {
    /// The Host header (without port).
    pub host: String,
    /// The path without query.
    pub path: String,
    /// The query string without `?` (empty: none).
    pub query: String,
    pub method: String,
    pub headers: Vec<(String, String)>,
}

impl Upstream {
    /// `path?query`.
    pub fn target(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }
}

/// What the filters did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// One sentence per filter, in order.
    pub steps: Vec<String>,
    /// `Some((status, Location))` when a RequestRedirect answers instead of a backend.
    pub redirect: Option<(u16, String)>,
    /// Headers the Gateway changes on the response (ResponseHeaderModifier).
    pub response_headers: Option<HeaderModifier>,
    /// `namespace/name:port` of each mirror (a copy is sent there; its answer is dropped).
    pub mirrors: Vec<String>,
}

/// HTTPHeaderFilter: `set` replaces (or adds) a header, `add` appends a value, `remove`
/// drops every header of the name; names compare without case.
pub fn modify_headers(headers: &mut Vec<(String, String)>, m: &HeaderModifier) -> Vec<String> {
    let mut said = Vec::new();
    for (name, value) in &m.set {
        headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        headers.push((name.clone(), value.clone()));
        said.push(format!("set {name}: {value}"));
    }
    for (name, value) in &m.add {
        headers.push((name.clone(), value.clone()));
        said.push(format!("add {name}: {value}"));
    }
    for name in &m.remove {
        headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        said.push(format!("remove {name}"));
    }
    said
}

/// ReplacePrefixMatch: the part of `path` that `prefix` matched becomes `replacement`
/// (HTTPPathModifier's table: `/foo/bar` with prefix `/foo` and `/xyz` is `/xyz/bar`; with
/// an empty replacement `/bar`; never empty, `/` at least).
pub fn replace_prefix(path: &str, prefix: &str, replacement: &str) -> String {
    let p = prefix.trim_end_matches('/');
    if !prefix_matches(prefix, path) {
        return path.to_string();
    }
    let rest = path.get(p.len()..).unwrap_or("");
    let out = format!("{}{rest}", replacement.trim_end_matches('/'));
    if out.is_empty() {
        "/".to_string()
    } else {
        out
    }
}

fn modify_path(path: &str, modifier: &PathModifier, prefix: Option<&str>) -> String {
    match modifier {
        PathModifier::ReplaceFullPath(p) => p.clone(),
        PathModifier::ReplacePrefixMatch(r) => replace_prefix(path, prefix.unwrap_or("/"), r),
    }
}

/// The `Location` and status of a RequestRedirect (HTTPRequestRedirectFilter): the scheme,
/// host and path of the request unless the filter sets them; the port the filter's, else the
/// well-known port of a scheme it sets, else the listener's; a port left out when it is the
/// scheme's default (80 for http, 443 for https); the query kept; 302 by default.
pub fn redirect(
    r: &RequestRedirect,
    scheme: Scheme,
    up: &Upstream,
    listener_port: u16,
    prefix: Option<&str>,
) -> (u16, String) {
    let scheme_str = r.scheme.clone().unwrap_or_else(|| scheme.as_str().to_string());
    let port = r.port.unwrap_or(match r.scheme.as_deref() {
        Some("http") => 80,
        Some("https") => 443,
        _ => listener_port,
    });
    let host = r.hostname.clone().unwrap_or_else(|| up.host.clone());
    let default_port = matches!((scheme_str.as_str(), port), ("http", 80) | ("https", 443));
    let authority = if default_port { host } else { format!("{host}:{port}") };
    let path = r.path.as_ref().map_or_else(|| up.path.clone(), |m| modify_path(&up.path, m, prefix));
    let query = if up.query.is_empty() { String::new() } else { format!("?{}", up.query) };
    (r.status_code.unwrap_or(302), format!("{scheme_str}://{authority}{path}{query}"))
}

/// Applies `filters` to `up` in order. `prefix` is the PathPrefix the winning match used
/// (for ReplacePrefixMatch); `namespace` is the Route's (for a mirror without one).
pub fn apply(
    filters: &[RouteFilter],
    up: &mut Upstream,
    scheme: Scheme,
    listener_port: u16,
    prefix: Option<&str>,
    namespace: &str,
) -> Applied {
    let mut out = Applied::default();
    for f in filters {
        match f {
            RouteFilter::RequestHeaderModifier(m) => {
                let said = modify_headers(&mut up.headers, m);
                out.steps.push(format!("RequestHeaderModifier: {}", said.join(", ")));
            }
            RouteFilter::ResponseHeaderModifier(m) => {
                let mut none = Vec::new();
                let said = modify_headers(&mut none, m);
                out.steps.push(format!("ResponseHeaderModifier (on the answer): {}", said.join(", ")));
                out.response_headers = Some(m.clone());
            }
            RouteFilter::UrlRewrite(w) => {
                let mut said = Vec::new();
                if let Some(h) = &w.hostname {
                    said.push(format!("Host {} -> {h}", up.host));
                    up.host = h.clone();
                }
                if let Some(m) = &w.path {
                    let new = modify_path(&up.path, m, prefix);
                    said.push(format!("path {} -> {new}", up.path));
                    up.path = new;
                }
                out.steps.push(format!("URLRewrite: {}", said.join(", ")));
            }
            RouteFilter::RequestRedirect(r) => {
                let (code, location) = redirect(r, scheme, up, listener_port, prefix);
                out.steps.push(format!("RequestRedirect: answers {code} with Location {location}"));
                out.redirect = Some((code, location));
                break;
            }
            RouteFilter::RequestMirror { backend, port } => {
                let ns = backend.namespace.as_deref().unwrap_or(namespace);
                let port = port.map(|p| format!(":{p}")).unwrap_or_default();
                let to = format!("{ns}/{}{port}", backend.name);
                out.steps.push(format!("RequestMirror: a copy goes to {to}, its answer ignored"));
                out.mirrors.push(to);
            }
            RouteFilter::Other(t) => out.steps.push(format!("{t}: not modelled")),
        }
    }
    out
}
