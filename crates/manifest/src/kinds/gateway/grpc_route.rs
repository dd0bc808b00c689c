//! GRPCRoute (apis/v1/grpcroute_types.go; gateway.networking.k8s.io_grpcroutes.yaml): its
//! rules, method and header matches, filters and backendRefs, with the CRD's defaults (a
//! method match's `type` is `Exact`) and its CEL rules.

use netsim::gateway::types::{GrpcMethodMatch, GrpcRoute, GrpcRouteMatch, GrpcRouteRule, StringMatchType};
use netsim::Source;

use super::http_route::{creation_timestamp, value_matches};
use super::route::{backend_refs, filters, hostnames, parent_refs, total_matches};
use super::{broken, items, max_items, text};
use crate::object::{item_source, At, Meta, Obj};

pub(crate) fn read(o: &mut Obj<'_>, root: At<'_>, m: Meta, source: Option<Source>) -> GrpcRoute {
    let spec = root.key("spec");
    let parent_refs = parent_refs(o, spec);
    let hostnames = hostnames(o, spec);
    let rules_at = spec.key("rules");
    max_items(o, rules_at, "spec.rules", 16);
    total_matches(o, rules_at);
    let rules = items(rules_at)
        .map(|r| {
            let matches_at = r.key("matches");
            max_items(o, matches_at, "matches", 64);
            GrpcRouteRule {
                name: text(r.key("name")).map(str::to_string),
                matches: items(matches_at).map(|m| route_match(o, m)).collect(),
                filters: filters(o, r.key("filters"), false),
                backend_refs: backend_refs(o, r, false),
                source: item_source(o.file, r),
            }
        })
        .collect();
    GrpcRoute {
        namespace: m.namespace,
        name: m.name,
        parent_refs,
        hostnames,
        rules,
        creation_timestamp: creation_timestamp(root),
        source,
    }
}

fn route_match(o: &mut Obj<'_>, m: At<'_>) -> GrpcRouteMatch {
    let at = m.key("method");
    let method = at.present().then(|| {
        let kind = match text(at.key("type")) {
            Some("RegularExpression") => StringMatchType::RegularExpression,
            _ => StringMatchType::Exact,
        };
        let service = text(at.key("service")).map(str::to_string);
        let method = text(at.key("method")).map(str::to_string);
        method_rules(o, at, kind, service.as_deref(), method.as_deref());
        GrpcMethodMatch { kind, service, method }
    });
    GrpcRouteMatch { method, headers: value_matches(o, m.key("headers"), "headers") }
}

/// The CEL rules of `spec.rules[*].matches[*].method`: a service or a method (with `type`,
/// which defaults to Exact), and for Exact, their characters.
fn method_rules(
    o: &mut Obj<'_>,
    at: At<'_>,
    kind: StringMatchType,
    service: Option<&str>,
    method: Option<&str>,
) {
    if service.is_none() && method.is_none() {
        broken(o, at, "grpc-service-or-method", "add `service: pkg.Service` and/or `method: Name`");
    }
    if kind != StringMatchType::Exact {
        return;
    }
    let ident = |s: &str| {
        let mut b = s.bytes();
        b.next().is_some_and(|c| c == b'_' || c.is_ascii_alphabetic())
            && b.all(|c| c == b'_' || c.is_ascii_alphanumeric())
    };
    // ^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$
    if let Some(s) = service {
        let s2 = s.strip_prefix('.').unwrap_or(s);
        if !s2.split('.').all(ident) {
            broken(
                o,
                at.key("service"),
                "grpc-service",
                "write the full service name, such as `grpc.health.v1.Health`",
            );
        }
    }
    // ^[A-Za-z_][A-Za-z_0-9]*$
    if let Some(m) = method.filter(|m| !ident(m)) {
        let hint = format!("write the method's name alone, such as `Check`, not `{m}`");
        broken(o, at.key("method"), "grpc-method", &hint);
    }
}
