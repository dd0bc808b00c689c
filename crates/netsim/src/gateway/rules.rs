//! What makes one rule of a Route invalid, checked the same way for the Route's status
//! (`Accepted`, `PartiallyInvalid`) and for routing (an invalid rule is dropped). Most of
//! these the API server refuses already by its validation rules; the model checks them again
//! since its input need not come through one.

use crate::gateway::types::{
    GrpcRouteRule, HttpRouteRule, PathMatchType, PathModifier, RouteFilter, StringMatchType, ValueMatch,
};
use crate::path_regex::Regex;

/// Why a rule cannot be programmed: the Route condition reason and a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleProblem {
    pub reason: &'static str,
    pub message: String,
}

fn problem(reason: &'static str, message: String) -> Option<RuleProblem> {
    Some(RuleProblem { reason, message })
}

fn regex_problem(what: &str, value: &str) -> Option<RuleProblem> {
    match Regex::parse_whole(value) {
        Some(_) => None,
        None => problem(
            "UnsupportedValue",
            format!("{what} `{value}` is a regular expression this model's engine does not understand"),
        ),
    }
}

fn value_matches_problem(what: &str, list: &[ValueMatch]) -> Option<RuleProblem> {
    list.iter()
        .filter(|m| m.kind == StringMatchType::RegularExpression)
        .find_map(|m| regex_problem(&format!("{what} `{}`", m.name), &m.value))
}

/// Filters both kinds of Route share: only one of each type, no redirect with a rewrite
/// (HTTPRouteRule `filters`), known types, a redirect's scheme and status code from the
/// API's lists (HTTPRequestRedirectFilter).
fn filters_problem(filters: &[RouteFilter], grpc: bool) -> Option<RuleProblem> {
    let has = |t: &str| filters.iter().filter(|f| f.type_name() == t).count();
    if has("RequestRedirect") > 0 && has("URLRewrite") > 0 {
        return problem(
            "IncompatibleFilters",
            "RequestRedirect and URLRewrite cannot be combined in one rule".into(),
        );
    }
    for f in filters {
        if f.type_name() != "RequestMirror" && has(f.type_name()) > 1 {
            return problem("IncompatibleFilters", format!("the {} filter is given twice", f.type_name()));
        }
        match f {
            RouteFilter::Other(t) => {
                return problem(
                    "UnsupportedValue",
                    format!("the filter type `{t}` is not supported by this model"),
                )
            }
            RouteFilter::RequestRedirect(_) | RouteFilter::UrlRewrite(_) if grpc => {
                return problem("UnsupportedValue", format!("a GRPCRoute has no {} filter", f.type_name()))
            }
            RouteFilter::RequestRedirect(r) => {
                if let Some(s) = r.scheme.as_deref().filter(|s| !matches!(*s, "http" | "https")) {
                    return problem(
                        "UnsupportedValue",
                        format!("redirect scheme `{s}` is neither http nor https"),
                    );
                }
                if let Some(c) = r.status_code.filter(|c| ![301, 302, 303, 307, 308].contains(c)) {
                    return problem(
                        "UnsupportedValue",
                        format!("redirect status code {c} is not 301, 302, 303, 307 or 308"),
                    );
                }
            }
            _ => {}
        }
    }
    None
}

fn replace_prefix(filters: &[RouteFilter]) -> bool {
    filters.iter().any(|f| match f {
        RouteFilter::RequestRedirect(r) => matches!(r.path, Some(PathModifier::ReplacePrefixMatch(_))),
        RouteFilter::UrlRewrite(r) => matches!(r.path, Some(PathModifier::ReplacePrefixMatch(_))),
        _ => false,
    })
}

/// Why an HTTPRoute rule is invalid, if it is.
pub fn http_rule_problem(rule: &HttpRouteRule) -> Option<RuleProblem> {
    if let Some(p) = filters_problem(&rule.filters, false) {
        return Some(p);
    }
    // ReplacePrefixMatch needs a PathPrefix match to know which prefix to replace
    // (HTTPPathModifier `replacePrefixMatch`); the default match is `PathPrefix /`.
    if replace_prefix(&rule.filters) && rule.matches.iter().any(|m| m.path.kind != PathMatchType::PathPrefix)
    {
        return problem(
            "UnsupportedValue",
            "ReplacePrefixMatch is used with a match that is not PathPrefix".into(),
        );
    }
    for m in &rule.matches {
        if m.path.kind == PathMatchType::RegularExpression {
            if let Some(p) = regex_problem("path", &m.path.value) {
                return Some(p);
            }
        }
        let p = value_matches_problem("header", &m.headers)
            .or_else(|| value_matches_problem("query parameter", &m.query_params));
        if p.is_some() {
            return p;
        }
    }
    None
}

/// Why a GRPCRoute rule is invalid, if it is.
pub fn grpc_rule_problem(rule: &GrpcRouteRule) -> Option<RuleProblem> {
    if let Some(p) = filters_problem(&rule.filters, true) {
        return Some(p);
    }
    for m in &rule.matches {
        if let Some(mm) = m.method.as_ref().filter(|mm| mm.kind == StringMatchType::RegularExpression) {
            let p = mm.service.as_deref().and_then(|s| regex_problem("service", s));
            let p = p.or_else(|| mm.method.as_deref().and_then(|s| regex_problem("method", s)));
            if p.is_some() {
                return p;
            }
        }
        if let Some(p) = value_matches_problem("header", &m.headers) {
            return Some(p);
        }
    }
    None
}
