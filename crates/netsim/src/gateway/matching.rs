//! One request against one Route match: what it lacked, if anything, and how specific the
//! match is (the precedence criteria, in the spec's order).
//! HTTPRouteMatch and HTTPPathMatch (https://gateway-api.sigs.k8s.io/reference/spec/#httproutematch),
//! GRPCRouteMatch and GRPCMethodMatch.
//!
//! `RegularExpression` (path, header, query parameter, gRPC service and method) is matched
//! with the model's own engine (`path_regex`, [`Regex::parse_whole`]): case-sensitive,
//! against the whole value, as RE2's full match in Envoy-based implementations; that module
//! lists the syntax it reads and where it differs from RE2.

use crate::gateway::types::{
    GrpcRouteMatch, HttpRouteMatch, PathMatch, PathMatchType, StringMatchType, ValueMatch,
};
use crate::path_regex::Regex;

/// What matching sees of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestView<'a> {
    /// Without the query string.
    pub path: &'a str,
    /// `name=value` pairs of the query string, in order.
    pub query: Vec<(String, String)>,
    pub method: &'a str,
    pub headers: &'a [(String, String)],
}

/// Splits `path?query` into the path and its parameters (no percent-decoding).
pub fn split_query(target: &str) -> (String, Vec<(String, String)>) {
    let target = target.split('#').next().unwrap_or("");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let path = if path.starts_with('/') { path.to_string() } else { format!("/{path}") };
    let params = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    (path, params)
}

/// A PathPrefix match: element by element, a trailing `/` of the prefix ignored, so `/abc`
/// covers `/abc`, `/abc/` and `/abc/def` but not `/abcd` (HTTPPathMatch).
pub fn prefix_matches(prefix: &str, path: &str) -> bool {
    let p = prefix.trim_end_matches('/');
    p.is_empty() || path == p || path.strip_prefix(p).is_some_and(|rest| rest.starts_with('/'))
}

pub fn path_matches(m: &PathMatch, path: &str) -> bool {
    match m.kind {
        PathMatchType::Exact => m.value == path,
        PathMatchType::PathPrefix => prefix_matches(&m.value, path),
        PathMatchType::RegularExpression => Regex::parse_whole(&m.value).is_some_and(|re| re.is_match(path)),
    }
}

pub fn path_type_str(t: PathMatchType) -> &'static str {
    match t {
        PathMatchType::Exact => "Exact",
        PathMatchType::PathPrefix => "PathPrefix",
        PathMatchType::RegularExpression => "RegularExpression",
    }
}

fn string_matches(kind: StringMatchType, want: &str, got: &str) -> bool {
    match kind {
        StringMatchType::Exact => want == got,
        StringMatchType::RegularExpression => Regex::parse_whole(want).is_some_and(|re| re.is_match(got)),
    }
}

/// Only the first of several entries with one name counts (HTTPHeaderMatch, HTTPQueryParamMatch).
fn first_of_each(list: &[ValueMatch], same: impl Fn(&str, &str) -> bool) -> Vec<&ValueMatch> {
    let mut out: Vec<&ValueMatch> = Vec::new();
    for m in list {
        if !out.iter().any(|o| same(&o.name, &m.name)) {
            out.push(m);
        }
    }
    out
}

/// The request's value of header `name` (names without case); repeated headers joined by
/// `,` as HTTP combines them.
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<String> {
    let values: Vec<&'a str> =
        headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).collect();
    (!values.is_empty()).then(|| values.join(","))
}

fn headers_lack(list: &[ValueMatch], headers: &[(String, String)]) -> Option<String> {
    for m in first_of_each(list, |a, b| a.eq_ignore_ascii_case(b)) {
        let how = if m.kind == StringMatchType::Exact { "" } else { "the regex " };
        match header(headers, &m.name) {
            None => return Some(format!("header `{}` is missing (wants {how}`{}`)", m.name, m.value)),
            Some(v) if !string_matches(m.kind, &m.value, &v) => {
                return Some(format!("header `{}` is `{v}`, not {how}`{}`", m.name, m.value))
            }
            Some(_) => {}
        }
    }
    None
}

/// What the request lacked for HTTPRoute match `m`, or `None` when it matches.
pub fn http_lacks(m: &HttpRouteMatch, r: &RequestView) -> Option<String> {
    if !path_matches(&m.path, r.path) {
        return Some(match m.path.kind {
            PathMatchType::Exact => format!("path `{}` is not exactly `{}`", r.path, m.path.value),
            PathMatchType::PathPrefix => {
                format!("path `{}` is not under the prefix `{}`", r.path, m.path.value)
            }
            PathMatchType::RegularExpression => {
                format!("path `{}` does not match the regex `{}` as a whole", r.path, m.path.value)
            }
        });
    }
    if let Some(want) = &m.method {
        if want != r.method {
            return Some(format!("method is {}, not {want}", r.method));
        }
    }
    if let Some(why) = headers_lack(&m.headers, r.headers) {
        return Some(why);
    }
    for q in first_of_each(&m.query_params, |a, b| a == b) {
        // A repeated parameter: the spec leaves it open; the first value counts here.
        match r.query.iter().find(|(k, _)| *k == q.name) {
            None => return Some(format!("query parameter `{}` is missing", q.name)),
            Some((_, v)) if !string_matches(q.kind, &q.value, v) => {
                return Some(format!("query parameter `{}` is `{v}`, not `{}`", q.name, q.value))
            }
            Some(_) => {}
        }
    }
    None
}

/// HTTPRoute precedence criteria of a match after the hostname's, larger first
/// (HTTPRouteRule `matches`): the path kind (Exact, then RegularExpression, then PathPrefix:
/// where the spec leaves regex to the implementation, the model puts it between), the path's
/// characters (a PathPrefix's trailing `/` not counted: `/v1/` and `/v1` match alike), a method, the number of header matches, the number of query param matches.
pub fn http_criteria(m: &HttpRouteMatch) -> Vec<(&'static str, usize)> {
    let kind = match m.path.kind {
        PathMatchType::Exact => 2,
        PathMatchType::RegularExpression => 1,
        PathMatchType::PathPrefix => 0,
    };
    let chars = match m.path.kind {
        PathMatchType::PathPrefix => m.path.value.trim_end_matches('/').len().max(1),
        _ => m.path.value.len(),
    };
    vec![
        ("path kind (Exact 2, RegularExpression 1, PathPrefix 0)", kind),
        ("path characters", chars),
        ("method match", usize::from(m.method.is_some())),
        ("header matches", first_of_each(&m.headers, |a, b| a.eq_ignore_ascii_case(b)).len()),
        ("query param matches", first_of_each(&m.query_params, |a, b| a == b).len()),
    ]
}

/// `/package.Service/Method` as its service and method.
pub fn grpc_parts(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix('/')?;
    let (service, method) = rest.split_once('/')?;
    (!service.is_empty() && !method.is_empty() && !method.contains('/')).then_some((service, method))
}

/// What a gRPC request lacked for GRPCRoute match `m`, or `None` when it matches.
pub fn grpc_lacks(m: &GrpcRouteMatch, r: &RequestView) -> Option<String> {
    if let Some(mm) = &m.method {
        let Some((service, method)) = grpc_parts(r.path) else {
            return Some(format!("path `{}` is not /service/method", r.path));
        };
        if let Some(want) = &mm.service {
            if !string_matches(mm.kind, want, service) {
                return Some(format!("service is `{service}`, not `{want}`"));
            }
        }
        if let Some(want) = &mm.method {
            if !string_matches(mm.kind, want, method) {
                return Some(format!("method is `{method}`, not `{want}`"));
            }
        }
    }
    headers_lack(&m.headers, r.headers)
}

/// GRPCRoute precedence criteria after the hostname's (GRPCRouteRule `matches`): the
/// characters of the matching service, of the method, the number of header matches.
pub fn grpc_criteria(m: &GrpcRouteMatch) -> Vec<(&'static str, usize)> {
    let service = m.method.as_ref().and_then(|mm| mm.service.as_ref()).map_or(0, String::len);
    let method = m.method.as_ref().and_then(|mm| mm.method.as_ref()).map_or(0, String::len);
    vec![
        ("service characters", service),
        ("method characters", method),
        ("header matches", first_of_each(&m.headers, |a, b| a.eq_ignore_ascii_case(b)).len()),
    ]
}
