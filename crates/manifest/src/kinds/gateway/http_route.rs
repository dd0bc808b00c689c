//! HTTPRoute (apis/v1/httproute_types.go; gateway.networking.k8s.io_httproutes.yaml): its
//! rules, matches, filters and backendRefs, with the CRD's defaults (no `rules`: one rule
//! matching `PathPrefix /`; a match without `path`: `PathPrefix /`; header and query
//! matches `Exact`) and its CEL rules.

use netsim::gateway::types::{
    HttpRoute, HttpRouteMatch, HttpRouteRule, PathMatch, PathMatchType, StringMatchType, ValueMatch,
};
use netsim::Source;

use super::route::{backend_refs, filters, hostnames, parent_refs, total_matches};
use super::{broken, items, max_items, string, text};
use crate::object::{item_source, At, Meta, Obj};

pub(crate) fn read(o: &mut Obj<'_>, root: At<'_>, m: Meta, source: Option<Source>) -> HttpRoute {
    let spec = root.key("spec");
    let parent_refs = parent_refs(o, spec);
    let hostnames = hostnames(o, spec);
    let rules_at = spec.key("rules");
    max_items(o, rules_at, "spec.rules", 16);
    total_matches(o, rules_at);
    let mut rules: Vec<HttpRouteRule> = items(rules_at).map(|r| rule(o, r)).collect();
    if !rules_at.present() {
        // The CRD's default for `spec.rules`: one rule matching `PathPrefix /`.
        rules.push(HttpRouteRule { source: source.clone(), ..HttpRouteRule::default() });
    }
    HttpRoute {
        namespace: m.namespace,
        name: m.name,
        parent_refs,
        hostnames,
        rules,
        creation_timestamp: creation_timestamp(root),
        source,
    }
}

/// `metadata.creationTimestamp` in seconds since 1970.
pub(crate) fn creation_timestamp(root: At<'_>) -> Option<i64> {
    let t = text(root.key("metadata").key("creationTimestamp"))?;
    let minutes = crate::kinds::job::unix_minutes(t)?;
    let seconds: i64 = t.get(17..19)?.parse().ok()?;
    i64::try_from(minutes).ok().map(|m| m * 60 + seconds)
}

fn rule(o: &mut Obj<'_>, r: At<'_>) -> HttpRouteRule {
    let matches_at = r.key("matches");
    max_items(o, matches_at, "matches", 64);
    let matches: Vec<HttpRouteMatch> = items(matches_at).map(|m| route_match(o, m)).collect();
    let filters = filters(o, r.key("filters"), true);
    let backend_refs = backend_refs(o, r, true);
    // CEL on `spec.rules[*]`: a redirect answers by itself (redirect-backends; the rule
    // looks for the `requestRedirect` field, whatever the filter's type).
    let redirect = items(r.key("filters")).any(|f| f.key("requestRedirect").present());
    if redirect && !backend_refs.is_empty() {
        broken(
            o,
            r.key("backendRefs"),
            "redirect-backends",
            "remove `backendRefs`: the redirect answers without a backend",
        );
    }
    replace_prefix(o, r, &matches);
    timeouts(o, r.key("timeouts"));
    HttpRouteRule {
        name: text(r.key("name")).map(str::to_string),
        matches,
        filters,
        backend_refs,
        source: item_source(o.file, r),
    }
}

/// CEL on `spec.rules[*]` (redirect-prefix, rewrite-prefix and their backendRefs forms): a
/// filter with `path.type: ReplacePrefixMatch` needs exactly one match, of `PathPrefix`
/// (absent `matches` default to one `PathPrefix /`).
fn replace_prefix(o: &mut Obj<'_>, r: At<'_>, matches: &[HttpRouteMatch]) {
    let one_prefix = !r.key("matches").present()
        || (matches.len() == 1 && matches[0].path.kind == PathMatchType::PathPrefix);
    if one_prefix {
        return;
    }
    let uses = |filters: At<'_>, field: &str| {
        items(filters).any(|f| {
            let p = f.key(field).key("path");
            text(p.key("type")) == Some("ReplacePrefixMatch") && p.key("replacePrefixMatch").present()
        })
    };
    let hint = "use one `PathPrefix` match in this rule, or `ReplaceFullPath`";
    for (field, id, backend_id) in [
        ("requestRedirect", "redirect-prefix", "backend-redirect-prefix"),
        ("urlRewrite", "rewrite-prefix", "backend-rewrite-prefix"),
    ] {
        if uses(r.key("filters"), field) {
            broken(o, r.key("matches"), id, hint);
        }
        if items(r.key("backendRefs")).any(|b| uses(b.key("filters"), field)) {
            broken(o, r.key("matches"), backend_id, hint);
        }
    }
}

fn route_match(o: &mut Obj<'_>, m: At<'_>) -> HttpRouteMatch {
    let path = match m.key("path") {
        p if p.present() => {
            let kind = match text(p.key("type")).unwrap_or("PathPrefix") {
                "Exact" => PathMatchType::Exact,
                "RegularExpression" => PathMatchType::RegularExpression,
                _ => PathMatchType::PathPrefix,
            };
            let value = text(p.key("value")).unwrap_or("/").to_string();
            if kind != PathMatchType::RegularExpression {
                path_value(o, p, &value);
            }
            PathMatch { kind, value }
        }
        _ => PathMatch::default(),
    };
    HttpRouteMatch {
        path,
        headers: value_matches(o, m.key("headers"), "headers"),
        query_params: value_matches(o, m.key("queryParams"), "queryParams"),
        method: text(m.key("method")).map(str::to_string),
    }
}

/// `headers` or `queryParams` of a match (maxItems 16; `type` Exact by default).
pub(crate) fn value_matches(o: &mut Obj<'_>, at: At<'_>, what: &str) -> Vec<ValueMatch> {
    max_items(o, at, what, 16);
    items(at)
        .map(|h| ValueMatch {
            kind: match text(h.key("type")) {
                Some("RegularExpression") => StringMatchType::RegularExpression,
                _ => StringMatchType::Exact,
            },
            name: string(h.key("name")),
            value: string(h.key("value")),
        })
        .collect()
}

/// The CEL rules of `spec.rules[*].matches[*].path` for `Exact` and `PathPrefix` values, in
/// the CRD's order; each broken one is reported, as the API server reports every rule that
/// fails.
fn path_value(o: &mut Obj<'_>, p: At<'_>, v: &str) {
    let at = p.key("value");
    let fix =
        "write the path as clients send it after normalising: one `/` between segments, no `.` or `..` \
               segments, no `#`";
    if !v.starts_with('/') {
        broken(o, at, "path-absolute", &format!("start the path with `/`: `/{v}`"));
    }
    for (s, id) in [
        ("//", "path-//"),
        ("/./", "path-/./"),
        ("/../", "path-/../"),
        ("%2f", "path-%2f"),
        ("%2F", "path-%2F"),
        ("#", "path-#"),
    ] {
        if v.contains(s) {
            broken(o, at, id, fix);
        }
    }
    if v.ends_with("/..") {
        broken(o, at, "path-end-/..", fix);
    }
    if v.ends_with("/.") {
        broken(o, at, "path-end-/.", fix);
    }
    // ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$
    let b = v.as_bytes();
    let mut i = 0;
    let mut ok = !b.is_empty();
    while ok && i < b.len() {
        let c = b[i];
        if c == b'%' {
            ok = b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
            i += 3;
        } else {
            ok = c.is_ascii_alphanumeric() || b"-/._~!$&'()*+,;=:@".contains(&c);
            i += 1;
        }
    }
    if !ok {
        broken(o, at, "path-characters", "percent-encode other characters, such as a space as `%20`");
    }
}

/// `timeouts` (HTTPRouteTimeouts): each a Duration (`^([0-9]{1,5}(h|m|s|ms)){1,4}$`), and
/// `backendRequest` no longer than a non-zero `request` (CEL on `spec.rules[*].timeouts`).
fn timeouts(o: &mut Obj<'_>, at: At<'_>) {
    let mut read = |field: &str| {
        let v = text(at.key(field))?;
        let ms = duration_ms(v);
        if ms.is_none() {
            o.error(
                "invalid-value",
                at.key(field).span(),
                format!("invalid duration `{v}`: write up to four numbers of at most 5 digits, each with h, m, s or ms"),
                vec!["such as `10s`, `1m30s` or `500ms`".into()],
            );
        }
        ms
    };
    let (request, backend) = (read("request"), read("backendRequest"));
    if let (Some(r), Some(b)) = (request, backend) {
        if r != 0 && b > r {
            broken(o, at.key("backendRequest"), "timeouts", "make `backendRequest` at most `request`");
        }
    }
}

/// A Gateway API Duration in milliseconds (apis/v1/shared_types.go `Duration`).
fn duration_ms(v: &str) -> Option<u64> {
    let mut rest = v;
    let mut total = 0u64;
    let mut groups = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if !(1..=5).contains(&digits) {
            return None;
        }
        let n: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let (unit, len) = if rest.starts_with("ms") {
            (1, 2)
        } else if rest.starts_with('h') {
            (3_600_000, 1)
        } else if rest.starts_with('m') {
            (60_000, 1)
        } else if rest.starts_with('s') {
            (1_000, 1)
        } else {
            return None;
        };
        total += n * unit;
        rest = &rest[len..];
        groups += 1;
    }
    (1..=4).contains(&groups).then_some(total)
}
