//! The Gateway API's kinds in the terminal (gateway.networking.k8s.io v1.6.1): the rows of
//! `kubectl get` (the CRDs' `additionalPrinterColumns`: GatewayClass CONTROLLER, ACCEPTED;
//! Gateway CLASS, ADDRESS, PROGRAMMED; the Routes' HOSTNAMES; AGE) and the objects of `-o
//! yaml`, with every default written out, and `kubectl describe` as kubectl prints a custom
//! resource (its fields in title case, `Status` the controller's). The statuses are the
//! model's controller's (`netsim::gateway::status`); `-o yaml` leaves `status` out, and
//! `describe` leaves out the conditions' `Last Transition Time` and `Observed Generation`,
//! which need times and generations the model does not keep. The model keeps no labels or
//! annotations of these objects.

use netsim::gateway::types::{
    BackendRef, FromNamespaces, Gateway, GatewayClass, GrpcRoute, HeaderModifier, HttpRoute, ObjectReference,
    ParentRef, PathMatchType, PathModifier, ReferenceGrant, RouteFilter, StringMatchType, TlsMode,
    ValueMatch,
};
use netsim::gateway::{self, ConditionStatus, Status};
use netsim::scenario::Labels;

use crate::cluster::Kubectl;
use crate::objects::{metadata, object, selector_yaml, Named};
use crate::table::{Row, AGE};
use crate::yaml::{Map, Yaml};

const API: &str = "gateway.networking.k8s.io/v1";

fn status(k: Kubectl<'_>) -> Status {
    gateway::status(&gateway::Objects::of_api(&k.0.gateway_api), k.0)
}

fn condition(conditions: &[gateway::Condition], kind: &str) -> String {
    gateway::status::condition(conditions, kind)
        .map_or(ConditionStatus::Unknown, |c| c.status)
        .as_str()
        .into()
}

fn in_ns<'a, T>(items: &'a [T], ns: Option<&'a str>, of: fn(&T) -> &str) -> impl Iterator<Item = &'a T> {
    items.iter().filter(move |x| ns.is_none_or(|n| of(x) == n))
}

/// NAME, CONTROLLER, ACCEPTED, AGE.
pub(crate) fn class_rows(k: Kubectl<'_>, _ns: Option<&str>) -> Vec<Row> {
    let st = status(k);
    k.0.gateway_api
        .classes
        .iter()
        .map(|c| {
            let accepted = st
                .classes
                .iter()
                .find(|s| s.class.name == c.name)
                .map(|s| condition(&s.conditions, "Accepted"));
            let cells = vec![
                c.name.clone(),
                c.controller_name.clone(),
                accepted.unwrap_or_else(|| "Unknown".into()),
                AGE.into(),
            ];
            Row::new(None, cells)
        })
        .collect()
}

/// The Gateway's address: its data plane's load balancer IP (`status.addresses`).
fn address(k: Kubectl<'_>, g: &Gateway) -> Option<String> {
    let svc = k.0.service(&g.namespace, &gateway::dataplane::name(g))?;
    svc.load_balancer_ip.map(|ip| ip.to_string())
}

/// NAME, CLASS, ADDRESS, PROGRAMMED, AGE.
pub(crate) fn gateway_rows(k: Kubectl<'_>, ns: Option<&str>) -> Vec<Row> {
    let st = status(k);
    in_ns(&k.0.gateway_api.gateways, ns, |g| &g.namespace)
        .map(|g| {
            let programmed =
                st.gateway(&g.namespace, &g.name).map(|s| condition(&s.conditions, "Programmed"));
            let cells = vec![
                g.name.clone(),
                g.gateway_class_name.clone(),
                address(k, g).unwrap_or_default(),
                programmed.unwrap_or_else(|| "Unknown".into()),
                AGE.into(),
            ];
            Row::new(Some(&g.namespace), cells)
        })
        .collect()
}

fn hostnames(h: &[String]) -> String {
    if h.is_empty() {
        String::new()
    } else {
        format!("[\"{}\"]", h.join("\",\""))
    }
}

/// NAME, HOSTNAMES, AGE.
pub(crate) fn http_route_rows(k: Kubectl<'_>, ns: Option<&str>) -> Vec<Row> {
    in_ns(&k.0.gateway_api.http_routes, ns, |r| &r.namespace)
        .map(|r| Row::new(Some(&r.namespace), vec![r.name.clone(), hostnames(&r.hostnames), AGE.into()]))
        .collect()
}

/// NAME, HOSTNAMES, AGE.
pub(crate) fn grpc_route_rows(k: Kubectl<'_>, ns: Option<&str>) -> Vec<Row> {
    in_ns(&k.0.gateway_api.grpc_routes, ns, |r| &r.namespace)
        .map(|r| Row::new(Some(&r.namespace), vec![r.name.clone(), hostnames(&r.hostnames), AGE.into()]))
        .collect()
}

/// NAME, AGE.
pub(crate) fn grant_rows(k: Kubectl<'_>, ns: Option<&str>) -> Vec<Row> {
    in_ns(&k.0.gateway_api.grants, ns, |g| &g.namespace)
        .map(|g| Row::new(Some(&g.namespace), vec![g.name.clone(), AGE.into()]))
        .collect()
}

pub(crate) fn classes(k: Kubectl<'_>, _ns: Option<&str>) -> Vec<Named> {
    k.0.gateway_api.classes.iter().map(|c| (c.name.clone(), class(c))).collect()
}

pub(crate) fn gateways(k: Kubectl<'_>, ns: Option<&str>) -> Vec<Named> {
    in_ns(&k.0.gateway_api.gateways, ns, |g| &g.namespace)
        .map(|g| (g.name.clone(), gateway_object(g)))
        .collect()
}

pub(crate) fn http_routes(k: Kubectl<'_>, ns: Option<&str>) -> Vec<Named> {
    in_ns(&k.0.gateway_api.http_routes, ns, |r| &r.namespace)
        .map(|r| (r.name.clone(), http_route(r)))
        .collect()
}

pub(crate) fn grpc_routes(k: Kubectl<'_>, ns: Option<&str>) -> Vec<Named> {
    in_ns(&k.0.gateway_api.grpc_routes, ns, |r| &r.namespace)
        .map(|r| (r.name.clone(), grpc_route(r)))
        .collect()
}

pub(crate) fn grants(k: Kubectl<'_>, ns: Option<&str>) -> Vec<Named> {
    in_ns(&k.0.gateway_api.grants, ns, |g| &g.namespace).map(|g| (g.name.clone(), grant(g))).collect()
}

// ---------------------------------------------------------------- describe

pub(crate) fn describe_class(k: Kubectl<'_>, _ns: &str, name: &str) -> Option<String> {
    let c = k.0.gateway_api.classes.iter().find(|c| c.name == name)?;
    let st = status(k);
    let status = st
        .classes
        .iter()
        .find(|s| s.class.name == name)
        .map(|s| Map::new().list("conditions", conditions(&s.conditions)).into());
    Some(described(class(c), status))
}

pub(crate) fn describe_gateway(k: Kubectl<'_>, ns: &str, name: &str) -> Option<String> {
    let g = k.0.gateway_api.gateways.iter().find(|g| g.namespace == ns && g.name == name)?;
    let st = status(k);
    let status = st.gateway(ns, name).map(|s| {
        let listeners = s
            .listeners
            .iter()
            .map(|l| {
                let kinds = l
                    .supported_kinds
                    .iter()
                    .map(|k| Map::new().with("group", &k.group).with("kind", &k.kind).into())
                    .collect();
                Map::new()
                    .with("attachedRoutes", Yaml::Int(l.attached_routes as i64))
                    .list("conditions", conditions(&l.conditions))
                    .with("name", &l.name)
                    .list("supportedKinds", kinds)
                    .into()
            })
            .collect();
        let addresses = address(k, g)
            .map(|ip| Map::new().with("type", "IPAddress").with("value", ip).into())
            .into_iter()
            .collect();
        Map::new()
            .list("addresses", addresses)
            .list("conditions", conditions(&s.conditions))
            .list("listeners", listeners)
            .into()
    });
    Some(described(gateway_object(g), status))
}

/// A Route's `status.parents`, as the controller writes them.
fn route_status(k: Kubectl<'_>, kind: gateway::RouteKind, ns: &str, name: &str) -> Option<Yaml> {
    let st = status(k);
    let route = st.route(kind, ns, name)?;
    let parents = route
        .parents
        .iter()
        .map(|p| {
            Map::new()
                .list("conditions", conditions(&p.conditions))
                .with("controllerName", gateway::CONTROLLER_NAME)
                .with("parentRef", parent_ref(&p.parent_ref))
                .into()
        })
        .collect();
    Some(Map::new().list("parents", parents).into())
}

pub(crate) fn describe_http_route(k: Kubectl<'_>, ns: &str, name: &str) -> Option<String> {
    let r = k.0.gateway_api.http_routes.iter().find(|r| r.namespace == ns && r.name == name)?;
    Some(described(http_route(r), route_status(k, gateway::RouteKind::Http, ns, name)))
}

pub(crate) fn describe_grpc_route(k: Kubectl<'_>, ns: &str, name: &str) -> Option<String> {
    let r = k.0.gateway_api.grpc_routes.iter().find(|r| r.namespace == ns && r.name == name)?;
    Some(described(grpc_route(r), route_status(k, gateway::RouteKind::Grpc, ns, name)))
}

pub(crate) fn describe_grant(k: Kubectl<'_>, ns: &str, name: &str) -> Option<String> {
    let g = k.0.gateway_api.grants.iter().find(|g| g.namespace == ns && g.name == name)?;
    Some(described(grant(g), None))
}

fn conditions(cs: &[gateway::Condition]) -> Vec<Yaml> {
    cs.iter()
        .map(|c| {
            // The model writes a message only where it has something to say.
            Map::new()
                .maybe("message", Some(c.message.as_str()).filter(|m| !m.is_empty()))
                .with("reason", c.reason)
                .with("status", c.status.as_str())
                .with("type", c.kind)
                .into()
        })
        .collect()
}

/// `object` as `kubectl describe` prints a custom resource: the header lines, then `Spec`
/// and `Status` with their fields in title case, nested by two spaces, the values of each
/// mapping aligned; then `Events`.
pub(crate) fn described(object: Yaml, status: Option<Yaml>) -> String {
    let Yaml::Map(top) = object else { return String::new() };
    let meta = match top.get("metadata") {
        Some(Yaml::Map(m)) => m.clone(),
        _ => Default::default(),
    };
    let text = |m: &std::collections::BTreeMap<String, Yaml>, key: &str| match m.get(key) {
        Some(Yaml::Str(s)) => s.clone(),
        _ => String::new(),
    };
    let mut out = String::new();
    let mut line = |key: &str, value: &str| out.push_str(&format!("{:<14}{value}\n", format!("{key}:")));
    line("Name", &text(&meta, "name"));
    if meta.contains_key("namespace") {
        line("Namespace", &text(&meta, "namespace"));
    }
    line("Labels", "<none>");
    line("Annotations", "<none>");
    line("API Version", &text(&top, "apiVersion"));
    line("Kind", &text(&top, "kind"));
    for (title, value) in [("Spec", top.get("spec").cloned()), ("Status", status)] {
        if let Some(value) = value {
            out.push_str(&format!("{title}:\n"));
            nested(&mut out, &value, 2);
        }
    }
    out.push_str("Events:       <none>\n");
    out
}

fn nested(out: &mut String, value: &Yaml, indent: usize) {
    let pad = " ".repeat(indent);
    match value {
        Yaml::Map(m) => {
            let width = m
                .iter()
                .filter(|(_, v)| !matches!(v, Yaml::Map(_) | Yaml::List(_)))
                .map(|(k, _)| title(k).len() + 1)
                .max()
                .unwrap_or(0);
            for (k, v) in m {
                match v {
                    Yaml::Map(_) | Yaml::List(_) => {
                        out.push_str(&format!("{pad}{}:\n", title(k)));
                        nested(out, v, indent + 2);
                    }
                    _ => out.push_str(&format!(
                        "{pad}{:<width$}  {}\n",
                        format!("{}:", title(k)),
                        scalar_text(v)
                    )),
                }
            }
        }
        Yaml::List(items) => {
            for item in items {
                match item {
                    Yaml::Map(_) | Yaml::List(_) => nested(out, item, indent),
                    _ => out.push_str(&format!("{pad}{}\n", scalar_text(item))),
                }
            }
        }
        _ => out.push_str(&format!("{pad}{}\n", scalar_text(value))),
    }
}

fn scalar_text(v: &Yaml) -> String {
    match v {
        Yaml::Null => String::new(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Int(i) => i.to_string(),
        Yaml::Str(s) => s.clone(),
        Yaml::List(_) | Yaml::Map(_) => String::new(),
    }
}

/// A field's name as kubectl's describe prints it: `backendRefs` is `Backend Refs`,
/// `apiVersion` `API Version`.
fn title(key: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for c in key.chars() {
        match words.last_mut() {
            Some(w) if !c.is_ascii_uppercase() => w.push(c),
            _ => words.push(c.to_ascii_uppercase().to_string()),
        }
    }
    words
        .into_iter()
        .map(|w| match w.as_str() {
            "Api" | "Ip" | "Url" | "Uid" | "Tls" | "Http" | "Dns" => w.to_ascii_uppercase(),
            _ => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn class_yaml(name: &str) -> String {
    let c =
        GatewayClass { name: name.into(), controller_name: gateway::CONTROLLER_NAME.into(), source: None };
    class(&c).text()
}

pub(crate) fn gateway_yaml(g: &Gateway) -> String {
    gateway_object(g).text()
}

pub(crate) fn http_route_yaml(r: &HttpRoute) -> String {
    http_route(r).text()
}

fn meta(name: &str, namespace: Option<&str>, created: Option<i64>) -> Map {
    metadata(name, namespace, &Labels::new(), &Labels::new()).maybe("creationTimestamp", created.map(rfc3339))
}

fn class(c: &GatewayClass) -> Yaml {
    object(API, "GatewayClass", meta(&c.name, None, None))
        .with("spec", Map::new().with("controllerName", &c.controller_name))
        .into()
}

fn reference(r: &ObjectReference) -> Map {
    Map::new()
        .with("group", &r.group)
        .with("kind", &r.kind)
        .with("name", &r.name)
        .maybe("namespace", r.namespace.as_ref())
}

fn gateway_object(g: &Gateway) -> Yaml {
    let listeners = g
        .listeners
        .iter()
        .map(|l| {
            let tls = l.tls.as_ref().map(|t| {
                let mode = if t.mode == TlsMode::Passthrough { "Passthrough" } else { "Terminate" };
                Map::new()
                    .list("certificateRefs", t.certificate_refs.iter().map(|r| reference(r).into()).collect())
                    .with("mode", mode)
            });
            let from = match l.allowed_routes.from {
                FromNamespaces::Same => "Same",
                FromNamespaces::All => "All",
                FromNamespaces::Selector => "Selector",
            };
            let namespaces = Map::new()
                .with("from", from)
                .maybe("selector", l.allowed_routes.selector.as_ref().map(selector_yaml));
            let kinds = l
                .allowed_routes
                .kinds
                .iter()
                .map(|k| Map::new().with("group", &k.group).with("kind", &k.kind).into())
                .collect();
            Map::new()
                .with("allowedRoutes", Map::new().list("kinds", kinds).with("namespaces", namespaces))
                .maybe("hostname", l.hostname.as_ref())
                .with("name", &l.name)
                .with("port", l.port)
                .with("protocol", l.protocol.as_str())
                .maybe("tls", tls)
                .into()
        })
        .collect();
    object(API, "Gateway", meta(&g.name, Some(&g.namespace), None))
        .with("spec", Map::new().with("gatewayClassName", &g.gateway_class_name).list("listeners", listeners))
        .into()
}

fn parent_ref(p: &ParentRef) -> Yaml {
    Map::new()
        .with("group", &p.group)
        .with("kind", &p.kind)
        .with("name", &p.name)
        .maybe("namespace", p.namespace.as_ref())
        .maybe("port", p.port)
        .maybe("sectionName", p.section_name.as_ref())
        .into()
}

fn backend_ref(b: &BackendRef) -> Yaml {
    Map::new()
        .with("group", &b.group)
        .with("kind", &b.kind)
        .with("name", &b.name)
        .maybe("namespace", b.namespace.as_ref())
        .maybe("port", b.port)
        .with("weight", b.weight)
        .into()
}

fn value_match(m: &ValueMatch) -> Yaml {
    let kind = if m.kind == StringMatchType::Exact { "Exact" } else { "RegularExpression" };
    Map::new().with("name", &m.name).with("type", kind).with("value", &m.value).into()
}

fn header_modifier(h: &HeaderModifier) -> Map {
    let pairs = |p: &[(String, String)]| {
        p.iter().map(|(n, v)| Map::new().with("name", n).with("value", v).into()).collect()
    };
    Map::new()
        .list("add", pairs(&h.add))
        .list("remove", h.remove.iter().map(Yaml::from).collect())
        .list("set", pairs(&h.set))
}

fn path_modifier(p: &PathModifier) -> Map {
    match p {
        PathModifier::ReplaceFullPath(v) => {
            Map::new().with("replaceFullPath", v).with("type", "ReplaceFullPath")
        }
        PathModifier::ReplacePrefixMatch(v) => {
            Map::new().with("replacePrefixMatch", v).with("type", "ReplacePrefixMatch")
        }
    }
}

fn filter(f: &RouteFilter) -> Yaml {
    let m = Map::new().with("type", f.type_name());
    match f {
        RouteFilter::RequestHeaderModifier(h) => m.with("requestHeaderModifier", header_modifier(h)),
        RouteFilter::ResponseHeaderModifier(h) => m.with("responseHeaderModifier", header_modifier(h)),
        RouteFilter::RequestRedirect(r) => m.with(
            "requestRedirect",
            Map::new()
                .maybe("hostname", r.hostname.as_ref())
                .maybe("path", r.path.as_ref().map(path_modifier))
                .maybe("port", r.port)
                .maybe("scheme", r.scheme.as_ref())
                .maybe("statusCode", r.status_code),
        ),
        RouteFilter::UrlRewrite(r) => m.with(
            "urlRewrite",
            Map::new()
                .maybe("hostname", r.hostname.as_ref())
                .maybe("path", r.path.as_ref().map(path_modifier)),
        ),
        RouteFilter::RequestMirror { backend, port } => {
            m.with("requestMirror", Map::new().with("backendRef", reference(backend).maybe("port", *port)))
        }
        // ExtensionRef and CORS: the model keeps only the type, which alone does not read back.
        RouteFilter::Other(_) => m,
    }
    .into()
}

fn http_route(r: &HttpRoute) -> Yaml {
    let rules = r
        .rules
        .iter()
        .map(|rule| {
            let matches = rule
                .matches
                .iter()
                .map(|m| {
                    let kind = match m.path.kind {
                        PathMatchType::Exact => "Exact",
                        PathMatchType::PathPrefix => "PathPrefix",
                        PathMatchType::RegularExpression => "RegularExpression",
                    };
                    Map::new()
                        .list("headers", m.headers.iter().map(value_match).collect())
                        .maybe("method", m.method.as_ref())
                        .with("path", Map::new().with("type", kind).with("value", &m.path.value))
                        .list("queryParams", m.query_params.iter().map(value_match).collect())
                        .into()
                })
                .collect();
            Map::new()
                .list("backendRefs", rule.backend_refs.iter().map(backend_ref).collect())
                .list("filters", rule.filters.iter().map(filter).collect())
                .list("matches", matches)
                .maybe("name", rule.name.as_ref())
                .into()
        })
        .collect();
    let spec = Map::new()
        .list("hostnames", r.hostnames.iter().map(Yaml::from).collect())
        .list("parentRefs", r.parent_refs.iter().map(parent_ref).collect())
        .with("rules", Yaml::List(rules));
    object(API, "HTTPRoute", meta(&r.name, Some(&r.namespace), r.creation_timestamp))
        .with("spec", spec)
        .into()
}

fn grpc_route(r: &GrpcRoute) -> Yaml {
    let rules = r
        .rules
        .iter()
        .map(|rule| {
            let matches = rule
                .matches
                .iter()
                .map(|m| {
                    let method = m.method.as_ref().map(|mm| {
                        let kind =
                            if mm.kind == StringMatchType::Exact { "Exact" } else { "RegularExpression" };
                        Map::new()
                            .maybe("method", mm.method.as_ref())
                            .maybe("service", mm.service.as_ref())
                            .with("type", kind)
                    });
                    Map::new()
                        .list("headers", m.headers.iter().map(value_match).collect())
                        .maybe("method", method)
                        .into()
                })
                .collect();
            Map::new()
                .list("backendRefs", rule.backend_refs.iter().map(backend_ref).collect())
                .list("filters", rule.filters.iter().map(filter).collect())
                .list("matches", matches)
                .maybe("name", rule.name.as_ref())
                .into()
        })
        .collect();
    let spec = Map::new()
        .list("hostnames", r.hostnames.iter().map(Yaml::from).collect())
        .list("parentRefs", r.parent_refs.iter().map(parent_ref).collect())
        .list("rules", rules);
    object(API, "GRPCRoute", meta(&r.name, Some(&r.namespace), r.creation_timestamp))
        .with("spec", spec)
        .into()
}

fn grant(g: &ReferenceGrant) -> Yaml {
    let from = g
        .from
        .iter()
        .map(|f| {
            Map::new().with("group", &f.group).with("kind", &f.kind).with("namespace", &f.namespace).into()
        })
        .collect();
    let to =
        g.to.iter()
            .map(|t| {
                Map::new().with("group", &t.group).with("kind", &t.kind).maybe("name", t.name.as_ref()).into()
            })
            .collect();
    object(API, "ReferenceGrant", meta(&g.name, Some(&g.namespace), None))
        .with("spec", Map::new().with("from", Yaml::List(from)).with("to", Yaml::List(to)))
        .into()
}

/// Seconds since 1970 as RFC 3339 in UTC (`2026-01-01T00:00:00Z`; Howard Hinnant's
/// civil_from_days).
fn rfc3339(seconds: i64) -> String {
    let (days, secs) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_are_rfc3339() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(29_453_760 * 60 + 10_859), "2026-01-01T03:00:59Z");
        assert_eq!(super::rfc3339(19_782 * 86_400), "2024-02-29T00:00:00Z");
    }
}
