//! What HTTPRoute and GRPCRoute share (apis/v1/shared_types.go, httproute_types.go): their
//! `parentRefs`, `hostnames`, `backendRefs` and `filters`, read with the CRDs' defaults and
//! checked by their CEL rules (gateway.networking.k8s.io_httproutes.yaml and
//! _grpcroutes.yaml; the rule ids are those of `gateway_schema.rs`).

use netsim::gateway::types::{
    BackendRef, HeaderModifier, ObjectReference, ParentRef, PathModifier, RequestRedirect, RouteFilter,
    UrlRewrite, GROUP,
};

use super::{broken, hostname, int, items, max_items, port, string, text};
use crate::object::{item_source, At, Obj};

/// `spec.parentRefs` (maxItems 32), with `sectionName` agreeing across references to one
/// parent (CEL on `spec.parentRefs`: section-name-required, section-name-unique).
pub(crate) fn parent_refs(o: &mut Obj<'_>, spec: At<'_>) -> Vec<ParentRef> {
    let at = spec.key("parentRefs");
    max_items(o, at, "spec.parentRefs", 32);
    let refs: Vec<ParentRef> = items(at)
        .map(|p| ParentRef {
            group: text(p.key("group")).unwrap_or(GROUP).to_string(),
            kind: text(p.key("kind")).unwrap_or("Gateway").to_string(),
            namespace: text(p.key("namespace")).filter(|n| !n.is_empty()).map(str::to_string),
            name: string(p.key("name")),
            section_name: text(p.key("sectionName")).filter(|n| !n.is_empty()).map(str::to_string),
            port: port(o, p.key("port"), "parentRef port"),
            source: item_source(o.file, p),
        })
        .collect();
    for (p, r) in items(at).zip(&refs) {
        if let Some(s) = &r.section_name {
            super::section_name(o, p.key("sectionName"), "sectionName", s);
        }
    }
    let same = |a: &ParentRef, b: &ParentRef| {
        a.group == b.group && a.kind == b.kind && a.name == b.name && a.namespace == b.namespace
    };
    let mut said_required = false;
    for (i, p) in refs.iter().enumerate() {
        let earlier = &refs[..i];
        let at = at.idx(i);
        if earlier.iter().any(|q| same(p, q) && q.section_name == p.section_name) {
            broken(o, at, "section-name-unique", "remove this reference: it repeats an earlier one");
        } else if !said_required
            && earlier.iter().any(|q| same(p, q) && q.section_name.is_none() != p.section_name.is_none())
        {
            said_required = true;
            broken(
                o,
                at,
                "section-name-required",
                "give every reference to this parent a `sectionName`, or keep only one reference",
            );
        }
    }
    refs
}

/// `spec.hostnames` (maxItems 16, each a `Hostname`).
pub(crate) fn hostnames(o: &mut Obj<'_>, spec: At<'_>) -> Vec<String> {
    let at = spec.key("hostnames");
    max_items(o, at, "spec.hostnames", 16);
    let mut out = Vec::new();
    for h in items(at) {
        if let Some(v) = text(h) {
            hostname(o, h, v);
            out.push(v.to_string());
        }
    }
    out
}

/// At most 128 matches in all of a Route's rules (CEL on `spec.rules`: total-matches).
pub(crate) fn total_matches(o: &mut Obj<'_>, rules: At<'_>) {
    let total: usize = items(rules).map(|r| items(r.key("matches")).count()).sum();
    if total > 128 {
        broken(o, rules, "total-matches", &format!("the rules have {total} matches: merge or remove some"));
    }
}

/// A reference to a Service or another backend (`group` `""` and `kind` `Service` by default).
fn object_ref(o: &mut Obj<'_>, at: At<'_>) -> (ObjectReference, Option<u16>) {
    let r = ObjectReference {
        group: string(at.key("group")),
        kind: text(at.key("kind")).unwrap_or("Service").to_string(),
        name: string(at.key("name")),
        namespace: text(at.key("namespace")).filter(|n| !n.is_empty()).map(str::to_string),
    };
    let p = port(o, at.key("port"), "backend port");
    if r.group.is_empty() && r.kind == "Service" && !at.key("port").present() {
        broken(o, at, "service-port", "add the Service's `port` (its port, not the pods' targetPort)");
    }
    (r, p)
}

/// `rules[].backendRefs` (maxItems 16): each `weight` 0 to 1,000,000 (default 1); a
/// Service needs a `port` (CEL service-port). The filters of a backendRef are checked but
/// not simulated (a warning).
pub(crate) fn backend_refs(o: &mut Obj<'_>, rule: At<'_>, http: bool) -> Vec<BackendRef> {
    let at = rule.key("backendRefs");
    max_items(o, at, "backendRefs", 16);
    let mut out = Vec::new();
    for b in items(at) {
        let (r, p) = object_ref(o, b);
        let w = int(b.key("weight")).unwrap_or(1);
        // BackendRef.Weight: `minimum: 0`, `maximum: 1000000`.
        if !(0..=1_000_000).contains(&w) {
            o.error(
                "weight-range",
                b.key("weight").span(),
                format!("weight {w} is out of range: a weight is 0 to 1000000"),
                vec!["weights are proportions: scale them down, such as 90 and 10".into()],
            );
        }
        if b.key("filters").present() {
            filters(o, b.key("filters"), http);
            o.warn(
                "not-simulated",
                b.key("filters").key_span(),
                "the filters of a backendRef are not simulated; they are ignored".into(),
                vec!["put the filters on the rule to see them applied".into()],
            );
        }
        out.push(BackendRef {
            group: r.group,
            kind: r.kind,
            name: r.name,
            namespace: r.namespace,
            port: p,
            weight: u32::try_from(w.clamp(0, 1_000_000)).unwrap_or(1),
            source: item_source(o.file, b),
        });
    }
    out
}

/// The filter types and their fields: (type, field) of HTTPRoute's filters, GRPCRoute's
/// being those without `http_only`.
const FILTER_FIELDS: [(&str, &str, bool); 7] = [
    ("CORS", "cors", true),
    ("RequestHeaderModifier", "requestHeaderModifier", false),
    ("ResponseHeaderModifier", "responseHeaderModifier", false),
    ("RequestMirror", "requestMirror", false),
    ("RequestRedirect", "requestRedirect", true),
    ("URLRewrite", "urlRewrite", true),
    ("ExtensionRef", "extensionRef", false),
];

/// A list of `filters` (maxItems 16) of a rule or a backendRef: no type twice but
/// ExtensionRef and RequestMirror (repeat-*), not both RequestRedirect and URLRewrite
/// (redirect-and-rewrite), each with the field of its type and no other (set-*, nil-*).
pub(crate) fn filters(o: &mut Obj<'_>, at: At<'_>, http: bool) -> Vec<RouteFilter> {
    max_items(o, at, "filters", 16);
    let types: Vec<&str> = items(at).map(|f| text(f.key("type")).unwrap_or_default()).collect();
    if http && types.contains(&"RequestRedirect") && types.contains(&"URLRewrite") {
        broken(
            o,
            at,
            "redirect-and-rewrite",
            "keep one of them: a redirect answers the client, a rewrite goes on to the backends",
        );
    }
    for (ty, _, http_only) in FILTER_FIELDS {
        let repeatable = matches!(ty, "RequestMirror" | "ExtensionRef");
        if !repeatable && (http || !http_only) && types.iter().filter(|t| **t == ty).count() > 1 {
            let id = format!("repeat-{ty}");
            broken(o, at, &id, &format!("merge the {ty} filters into one"));
        }
    }
    let mut out = Vec::new();
    for (f, ty) in items(at).zip(types) {
        for (t, field, http_only) in FILTER_FIELDS {
            if http_only && !http {
                continue;
            }
            let present = f.key(field).present();
            if present && ty != t {
                broken(
                    o,
                    f.key(field),
                    &format!("nil-{field}"),
                    &format!("remove `{field}`, or set `type: {t}`"),
                );
            } else if !present && ty == t {
                broken(o, f, &format!("set-{field}"), &format!("add `{field}:` with the filter's settings"));
            }
        }
        out.push(filter(o, f, ty));
    }
    out
}

/// One filter, as the model holds it.
fn filter(o: &mut Obj<'_>, f: At<'_>, ty: &str) -> RouteFilter {
    match ty {
        "RequestHeaderModifier" => {
            RouteFilter::RequestHeaderModifier(header_modifier(f.key("requestHeaderModifier")))
        }
        "ResponseHeaderModifier" => {
            RouteFilter::ResponseHeaderModifier(header_modifier(f.key("responseHeaderModifier")))
        }
        "RequestRedirect" => {
            let r = f.key("requestRedirect");
            let status = int(r.key("statusCode"));
            // HTTPRequestRedirectFilter.StatusCode: `enum: [301, 302, 303, 307, 308]`.
            if let Some(s) = status.filter(|s| ![301, 302, 303, 307, 308].contains(s)) {
                o.error(
                    "invalid-value",
                    r.key("statusCode").span(),
                    format!("statusCode must be one of 301, 302, 303, 307, 308, not {s}"),
                    vec!["use 301 (moved permanently) or 302 (found, the default)".into()],
                );
            }
            RouteFilter::RequestRedirect(RequestRedirect {
                scheme: text(r.key("scheme")).map(str::to_string),
                hostname: text(r.key("hostname")).map(str::to_string),
                path: path_modifier(o, r.key("path")),
                port: port(o, r.key("port"), "redirect port"),
                status_code: status.and_then(|s| u16::try_from(s).ok()),
            })
        }
        "URLRewrite" => {
            let r = f.key("urlRewrite");
            RouteFilter::UrlRewrite(UrlRewrite {
                hostname: text(r.key("hostname")).map(str::to_string),
                path: path_modifier(o, r.key("path")),
            })
        }
        "RequestMirror" => {
            let m = f.key("requestMirror");
            if m.key("percent").present() && m.key("fraction").present() {
                broken(o, m, "mirror-percent-fraction", "keep one of `percent` and `fraction`");
            }
            let fr = m.key("fraction");
            let (num, den) =
                (int(fr.key("numerator")).unwrap_or(0), int(fr.key("denominator")).unwrap_or(100));
            if fr.present() && num > den {
                broken(
                    o,
                    fr,
                    "mirror-fraction",
                    "a fraction is at most 1: lower `numerator` or raise `denominator`",
                );
            }
            let (backend, port) = object_ref(o, m.key("backendRef"));
            RouteFilter::RequestMirror { backend, port }
        }
        "CORS" => {
            // CEL on each of `cors.allowOrigins`, `allowMethods`, `allowHeaders`.
            let c = f.key("cors");
            for (field, id) in [
                ("allowOrigins", "cors-origins"),
                ("allowMethods", "cors-methods"),
                ("allowHeaders", "cors-headers"),
            ] {
                let values: Vec<&str> = items(c.key(field)).filter_map(text).collect();
                if values.contains(&"*") && values.len() > 1 {
                    broken(o, c.key(field), id, "keep `*` alone, or list the values without `*`");
                }
            }
            RouteFilter::Other(ty.to_string())
        }
        other => RouteFilter::Other(other.to_string()),
    }
}

fn header_modifier(at: At<'_>) -> HeaderModifier {
    let pairs = |l: At<'_>| items(l).map(|h| (string(h.key("name")), string(h.key("value")))).collect();
    HeaderModifier {
        set: pairs(at.key("set")),
        add: pairs(at.key("add")),
        remove: items(at.key("remove")).map(string).collect(),
    }
}

/// A redirect's or a rewrite's `path` (HTTPPathModifier): its `type` and the field of that
/// type agree (full-path-set, full-path-type, prefix-set, prefix-type).
fn path_modifier(o: &mut Obj<'_>, at: At<'_>) -> Option<PathModifier> {
    if !at.present() {
        return None;
    }
    let ty = text(at.key("type")).unwrap_or_default();
    let full = text(at.key("replaceFullPath"));
    let prefix = text(at.key("replacePrefixMatch"));
    if ty == "ReplaceFullPath" && full.is_none() {
        broken(o, at, "full-path-set", "add `replaceFullPath: /new/path`");
    }
    if full.is_some() && ty != "ReplaceFullPath" {
        broken(o, at.key("replaceFullPath"), "full-path-type", "set `type: ReplaceFullPath`");
    }
    if ty == "ReplacePrefixMatch" && prefix.is_none() {
        broken(o, at, "prefix-set", "add `replacePrefixMatch: /new-prefix`");
    }
    if prefix.is_some() && ty != "ReplacePrefixMatch" {
        broken(o, at.key("replacePrefixMatch"), "prefix-type", "set `type: ReplacePrefixMatch`");
    }
    match ty {
        "ReplaceFullPath" => full.map(|p| PathModifier::ReplaceFullPath(p.to_string())),
        _ => prefix.map(|p| PathModifier::ReplacePrefixMatch(p.to_string())),
    }
}
