//! The Gateway API's table (`gateway_schema.txt`): the field names, value types, required
//! fields and `enum`s of GatewayClass, Gateway, HTTPRoute, GRPCRoute and ReferenceGrant, and
//! the `x-kubernetes-validations` rules the reader checks ([`RULES`]), each with its place and
//! its CRD's own message. [`table`] writes it from the standard-channel CRDs (through
//! [`Crd`], the same reading as any CustomResourceDefinition); `cargo xtask gateway-schema`
//! runs it. [`crate::shape`] reads the types with the API's own; [`message`] gives a rule's
//! message to the kinds' modules ([`crate::kinds::gateway`]).

use crate::crd::Crd;
use crate::shape::{self, Ty, CRD_TEXT as TABLE};

/// The Gateway API release the table is generated from.
pub const VERSION: &str = "v1.6.1";

/// One CEL rule the reader checks: `id` names it in the code, and the rule is the one of
/// each of `kinds` at `path` whose message starts with `says` (the generator refuses a choice
/// that is not exactly one message, or not the same message in each kind).
pub struct Checked {
    pub id: &'static str,
    pub kinds: &'static [&'static str],
    pub path: &'static str,
    pub says: &'static str,
}

const GW: &[&str] = &["Gateway"];
const HTTP: &[&str] = &["HTTPRoute"];
const ROUTES: &[&str] = &["HTTPRoute", "GRPCRoute"];
const GRPC: &[&str] = &["GRPCRoute"];

const fn rule(
    id: &'static str,
    kinds: &'static [&'static str],
    path: &'static str,
    says: &'static str,
) -> Checked {
    Checked { id, kinds, path, says }
}

/// The CEL rules checked, by the CRD file and field that carry them. The filter rules of
/// `spec.rules[*].filters` are the same, with the same messages, under
/// `spec.rules[*].backendRefs[*].filters`; those of a redirect's `path` the same under a
/// rewrite's.
pub const RULES: &[Checked] = &[
    // gateway.networking.k8s.io_gateways.yaml
    rule("tls-not-allowed", GW, "spec.listeners", "tls must not be specified"),
    rule("https-terminate", GW, "spec.listeners", "tls mode must be Terminate"),
    rule("tls-mode-set", GW, "spec.listeners", "tls mode must be set"),
    rule("hostname-tcp-udp", GW, "spec.listeners", "hostname must not be specified"),
    rule("listener-name-unique", GW, "spec.listeners", "Listener name must be unique"),
    rule("listener-unique", GW, "spec.listeners", "Combination of port, protocol and hostname"),
    rule("terminate-certificates", GW, "spec.listeners[*].tls", "certificateRefs or options"),
    rule("per-port-unique", GW, "spec.tls.frontend.perPort", "Port for TLS configuration"),
    rule("ip-unique", GW, "spec.addresses", "IPAddress values must be unique"),
    rule("hostname-unique", GW, "spec.addresses", "Hostname values must be unique"),
    rule("address-hostname", GW, "spec.addresses[*]", "Hostname value must be empty"),
    rule("label-key", GW, "spec.infrastructure.labels", "Label keys must be"),
    rule("label-prefix", GW, "spec.infrastructure.labels", "If specified, the label key's prefix"),
    rule("annotation-key", GW, "spec.infrastructure.annotations", "Annotation keys must be"),
    rule(
        "annotation-prefix",
        GW,
        "spec.infrastructure.annotations",
        "If specified, the annotation key's prefix",
    ),
    // gateway.networking.k8s.io_httproutes.yaml and _grpcroutes.yaml
    rule("section-name-required", ROUTES, "spec.parentRefs", "sectionName must be specified"),
    rule("section-name-unique", ROUTES, "spec.parentRefs", "sectionName must be unique"),
    rule("total-matches", ROUTES, "spec.rules", "While 16 rules"),
    rule("service-port", ROUTES, "spec.rules[*].backendRefs[*]", "Must have port for Service"),
    rule("redirect-backends", HTTP, "spec.rules[*]", "RequestRedirect filter must not be used"),
    rule("redirect-prefix", HTTP, "spec.rules[*]", "When using RequestRedirect filter"),
    rule("rewrite-prefix", HTTP, "spec.rules[*]", "When using URLRewrite filter"),
    rule("backend-redirect-prefix", HTTP, "spec.rules[*]", "Within backendRefs, when using RequestRedirect"),
    rule("backend-rewrite-prefix", HTTP, "spec.rules[*]", "Within backendRefs, When using URLRewrite"),
    rule("redirect-and-rewrite", HTTP, "spec.rules[*].filters", "May specify either"),
    rule("repeat-CORS", HTTP, "spec.rules[*].filters", "CORS filter cannot be repeated"),
    rule(
        "repeat-RequestHeaderModifier",
        ROUTES,
        "spec.rules[*].filters",
        "RequestHeaderModifier filter cannot",
    ),
    rule(
        "repeat-ResponseHeaderModifier",
        ROUTES,
        "spec.rules[*].filters",
        "ResponseHeaderModifier filter cannot",
    ),
    rule("repeat-RequestRedirect", HTTP, "spec.rules[*].filters", "RequestRedirect filter cannot"),
    rule("repeat-URLRewrite", HTTP, "spec.rules[*].filters", "URLRewrite filter cannot"),
    rule("nil-cors", HTTP, "spec.rules[*].filters[*]", "filter.cors must be nil"),
    rule("set-cors", HTTP, "spec.rules[*].filters[*]", "filter.cors must be specified"),
    rule(
        "nil-requestHeaderModifier",
        ROUTES,
        "spec.rules[*].filters[*]",
        "filter.requestHeaderModifier must be nil",
    ),
    rule(
        "set-requestHeaderModifier",
        ROUTES,
        "spec.rules[*].filters[*]",
        "filter.requestHeaderModifier must be specified",
    ),
    rule(
        "nil-responseHeaderModifier",
        ROUTES,
        "spec.rules[*].filters[*]",
        "filter.responseHeaderModifier must be nil",
    ),
    rule(
        "set-responseHeaderModifier",
        ROUTES,
        "spec.rules[*].filters[*]",
        "filter.responseHeaderModifier must be specified",
    ),
    rule("nil-requestMirror", ROUTES, "spec.rules[*].filters[*]", "filter.requestMirror must be nil"),
    rule("set-requestMirror", ROUTES, "spec.rules[*].filters[*]", "filter.requestMirror must be specified"),
    rule("nil-requestRedirect", HTTP, "spec.rules[*].filters[*]", "filter.requestRedirect must be nil"),
    rule("set-requestRedirect", HTTP, "spec.rules[*].filters[*]", "filter.requestRedirect must be specified"),
    rule("nil-urlRewrite", HTTP, "spec.rules[*].filters[*]", "filter.urlRewrite must be nil"),
    rule("set-urlRewrite", HTTP, "spec.rules[*].filters[*]", "filter.urlRewrite must be specified"),
    rule("nil-extensionRef", ROUTES, "spec.rules[*].filters[*]", "filter.extensionRef must be nil"),
    rule("set-extensionRef", ROUTES, "spec.rules[*].filters[*]", "filter.extensionRef must be specified"),
    rule("cors-origins", HTTP, "spec.rules[*].filters[*].cors.allowOrigins", "AllowOrigins cannot"),
    rule("cors-methods", HTTP, "spec.rules[*].filters[*].cors.allowMethods", "AllowMethods cannot"),
    rule("cors-headers", HTTP, "spec.rules[*].filters[*].cors.allowHeaders", "AllowHeaders cannot"),
    rule("timeouts", HTTP, "spec.rules[*].timeouts", "backendRequest timeout cannot"),
    rule("mirror-percent-fraction", ROUTES, "spec.rules[*].filters[*].requestMirror", "Only one of percent"),
    rule("mirror-fraction", ROUTES, "spec.rules[*].filters[*].requestMirror.fraction", "numerator must be"),
    rule(
        "full-path-set",
        HTTP,
        "spec.rules[*].filters[*].requestRedirect.path",
        "replaceFullPath must be specified",
    ),
    rule(
        "full-path-type",
        HTTP,
        "spec.rules[*].filters[*].requestRedirect.path",
        "type must be 'ReplaceFullPath'",
    ),
    rule(
        "prefix-set",
        HTTP,
        "spec.rules[*].filters[*].requestRedirect.path",
        "replacePrefixMatch must be specified",
    ),
    rule(
        "prefix-type",
        HTTP,
        "spec.rules[*].filters[*].requestRedirect.path",
        "type must be 'ReplacePrefixMatch'",
    ),
    rule("path-absolute", HTTP, "spec.rules[*].matches[*].path", "value must be an absolute path"),
    rule("path-//", HTTP, "spec.rules[*].matches[*].path", "must not contain '//'"),
    rule("path-/./", HTTP, "spec.rules[*].matches[*].path", "must not contain '/./'"),
    rule("path-/../", HTTP, "spec.rules[*].matches[*].path", "must not contain '/../'"),
    rule("path-%2f", HTTP, "spec.rules[*].matches[*].path", "must not contain '%2f'"),
    rule("path-%2F", HTTP, "spec.rules[*].matches[*].path", "must not contain '%2F'"),
    rule("path-#", HTTP, "spec.rules[*].matches[*].path", "must not contain '#'"),
    rule("path-end-/..", HTTP, "spec.rules[*].matches[*].path", "must not end with '/..'"),
    rule("path-end-/.", HTTP, "spec.rules[*].matches[*].path", "must not end with '/.'"),
    rule("path-characters", HTTP, "spec.rules[*].matches[*].path", "must only contain valid characters"),
    rule("grpc-service-or-method", GRPC, "spec.rules[*].matches[*].method", "One or both"),
    rule("grpc-service", GRPC, "spec.rules[*].matches[*].method", "service must only contain"),
    rule("grpc-method", GRPC, "spec.rules[*].matches[*].method", "method must only contain"),
];

/// The CRD's message of the rule `id` (one of [`RULES`]), from the table; the id itself if
/// the table lacks it (a test keeps the two in step).
pub(crate) fn message(id: &str) -> &str {
    TABLE
        .lines()
        .filter_map(|l| l.strip_prefix('%'))
        .find_map(|l| {
            let (rule, rest) = l.split_once(' ')?;
            let (_kinds, rest) = rest.split_once(' ')?;
            let (_path, message) = rest.split_once(' ')?;
            (rule == id).then_some(message)
        })
        .unwrap_or(id)
}

/// The table, from the standard-channel CRDs of [`VERSION`] (the text of each file): every
/// kind of `kinds` (each read from its storage version; every other version it serves must
/// have the same schema), and the rules of [`RULES`].
pub fn table(crds: &[&str], kinds: &[&str]) -> Result<String, String> {
    let header = format!(
        "# Generated by `cargo xtask gateway-schema` from the Gateway API {VERSION} standard-channel CRDs; do not edit.\n\
         # The rules' messages (`%` lines) are the text of the Gateway API {VERSION} CRDs (Copyright The Kubernetes\n\
         # Authors, Apache-2.0, https://github.com/kubernetes-sigs/gateway-api).\n\
         # Format: as k8s_schema.txt, and `|A|B` a string from the list A, B; `+KIND VERSIONS` the versions served;\n\
         # `%ID KINDS PATH MESSAGE` a rule the reader checks (crates/manifest/src/gateway_schema.rs).\n"
    );
    crd_table(crds, kinds, RULES, header)
}

/// A table of CRD-defined kinds after `header`: every kind of `kinds` from `crds` (each read
/// from its storage version; every other version it serves must have the same schema), and
/// the messages of `rules`.
pub fn crd_table(crds: &[&str], kinds: &[&str], rules: &[Checked], header: String) -> Result<String, String> {
    let mut read = Vec::new();
    for text in crds {
        let crd = Crd::parse(text)?;
        if !kinds.contains(&crd.kind.as_str()) {
            continue;
        }
        for v in &crd.served {
            let other = Crd::parse_version(text, Some(v))?;
            if render_types(&other) != render_types(&crd) {
                return Err(format!(
                    "{} {v} has a schema of its own; the table holds one per kind",
                    crd.kind
                ));
            }
        }
        read.push(crd);
    }
    for k in kinds {
        if !read.iter().any(|c| c.kind == *k) {
            return Err(format!("no CRD of kind {k}"));
        }
    }
    let mut out = header;
    let mut names: Vec<(String, String)> = Vec::new(); // (canonical text, name)
    let mut types: Vec<(String, String)> = Vec::new(); // (name, lines)
    for crd in &read {
        out.push_str(&format!("={} {}\n", crd.kind, crd.kind));
        out.push_str(&format!("+{} {}\n", crd.kind, crd.served.join(" ")));
        name_types(crd, &mut names, &mut types);
    }
    sorted::sort_by(&mut types, |a, b| a.0.cmp(&b.0));
    for (name, body) in &types {
        out.push_str(&format!("@{name}\n{body}"));
    }
    for r in rules {
        let mut said: Option<&str> = None;
        for k in r.kinds {
            let crd = read.iter().find(|c| c.kind == *k).ok_or_else(|| format!("rule {}: no {k}", r.id))?;
            let mut found: Vec<&str> = crd
                .rules
                .iter()
                .filter(|x| x.path == r.path)
                .filter_map(|x| x.message.as_deref())
                .filter(|m| m.starts_with(r.says))
                .collect();
            found.dedup();
            match (found.as_slice(), said) {
                ([m], None) => said = Some(m),
                ([m], Some(s)) if *m == s => {}
                _ => {
                    return Err(format!(
                        "rule {}: {k} {} has {} messages with `{}`",
                        r.id,
                        r.path,
                        found.len(),
                        r.says
                    ))
                }
            }
        }
        out.push_str(&format!("%{} {} {} {}\n", r.id, r.kinds.join(","), r.path, said.unwrap_or_default()));
    }
    Ok(out)
}

/// A type's code in the table.
fn code(ty: &Ty, name_of: &dyn Fn(usize) -> String) -> String {
    match ty {
        Ty::Str => "s".into(),
        Ty::I32 => "i".into(),
        Ty::I64 => "l".into(),
        Ty::Bool => "b".into(),
        Ty::Number => "f".into(),
        Ty::Time => "t".into(),
        Ty::Quantity => "q".into(),
        Ty::IntOrString => "n".into(),
        Ty::Bytes => "y".into(),
        Ty::Any => "*".into(),
        Ty::List(item) => format!("[{}", code(item, name_of)),
        Ty::Map(value) => format!("{{{}", code(value, name_of)),
        Ty::Struct(i) => name_of(*i),
        Ty::Enum(values) => format!("|{}", values.join("|")),
    }
}

/// The lines of type `index` of `crd`, each field's type by `name_of`.
fn lines(crd: &Crd, index: usize, name_of: &dyn Fn(usize) -> String) -> String {
    let t = &crd.schema.types[index];
    let mut out = String::new();
    for (field, ty) in &t.fields {
        let req = if t.required.contains(field) { "!" } else { "" };
        out.push_str(&format!("{field}{req} {}\n", code(ty, name_of)));
    }
    out
}

/// Type `i` of `crd` written out with its types inline: equal schemas, equal texts.
fn inline(crd: &Crd, i: usize) -> String {
    let base = crd.schema.types.len() - crd.paths.len();
    if i < base {
        return shape::type_name(i).unwrap_or("*").to_string();
    }
    format!("({})", lines(crd, i, &|j| inline(crd, j)))
}

/// Every type of `crd` written out with its types inline.
fn render_types(crd: &Crd) -> String {
    inline(crd, crd.schema.kinds[0].1)
}

/// Names the types of `crd`, each schema by the first place it has in document order
/// (`HTTPRoute.spec.rules`; the kind for the root), and adds the new ones to `types`.
fn name_types(crd: &Crd, names: &mut Vec<(String, String)>, types: &mut Vec<(String, String)>) {
    let base = crd.schema.types.len() - crd.paths.len();
    let mut own: Vec<String> = Vec::new();
    let mut new = Vec::new();
    for (i, path) in crd.paths.iter().enumerate() {
        let place = path.replace("[*]", "");
        let key = if place.is_empty() { crd.kind.clone() } else { inline(crd, base + i) };
        match names.iter().find(|(k, _)| *k == key) {
            Some((_, n)) => own.push(n.clone()),
            None => {
                let name = if place.is_empty() { crd.kind.clone() } else { format!("{}.{place}", crd.kind) };
                names.push((key, name.clone()));
                own.push(name);
                new.push(i);
            }
        }
    }
    let name_of = |j: usize| {
        if j < base {
            shape::type_name(j).unwrap_or("*").to_string()
        } else {
            own[j - base].clone()
        }
    };
    for i in new {
        types.push((own[i].clone(), lines(crd, base + i, &name_of)));
    }
}
