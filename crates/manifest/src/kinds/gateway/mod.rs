//! The Gateway API's kinds (gateway.networking.k8s.io, the v1.6.1 standard channel):
//! GatewayClass and ReferenceGrant here, Gateway in [`gateways`], HTTPRoute in
//! [`http_route`], GRPCRoute in [`grpc_route`], what the Routes share in [`route`]. Each is
//! read from the tree the schema check accepted (`gateway_schema.txt`, generated from the
//! CRDs) into `netsim::gateway::types`, with the CRDs' defaults applied. The CRDs' CEL rules
//! that matter to learners are checked in Rust, each with the CRD's own message (from the
//! table, [`crate::gateway_schema::message`]) and the code `validation-rule`; so are a few of
//! the schema's bounds (`maxItems`, `minimum`, `maximum`, `pattern`) the table does not hold.
//!
//! Not checked: the rule that compares with the stored object (`self == oldSelf`:
//! GatewayClass `spec.controllerName` is immutable), the rules of `status`, and the rule on a
//! path match's `type` (the schema's `enum` check reports it, in its own words). Of the
//! schema's other bounds only those named in each module are checked (string patterns and
//! lengths mostly are not).

pub mod gateways;
pub mod grpc_route;
pub mod http_route;
pub mod route;

use netsim::gateway::types::{self as gw, GrantFrom, GrantTo};
use netsim::Source;

use crate::gateway_schema::message;
use crate::object::{At, Meta, Obj};
use crate::shape::resolved;
use crate::tree::Resolved;

/// GatewayClass: the controller that serves the class's Gateways.
pub(crate) fn class(spec: At<'_>, m: Meta, source: Option<Source>) -> gw::GatewayClass {
    gw::GatewayClass {
        name: m.name,
        controller_name: text(spec.key("controllerName")).unwrap_or_default().to_string(),
        source,
    }
}

/// ReferenceGrant: `from` (group, kind, namespace, all required) and `to` (group, kind,
/// optional name); the schema checks the rest.
pub(crate) fn reference_grant(spec: At<'_>, m: Meta, source: Option<Source>) -> gw::ReferenceGrant {
    let from = items(spec.key("from"))
        .map(|f| GrantFrom {
            group: string(f.key("group")),
            kind: string(f.key("kind")),
            namespace: string(f.key("namespace")),
        })
        .collect();
    let to = items(spec.key("to"))
        .map(|t| GrantTo {
            group: string(t.key("group")),
            kind: string(t.key("kind")),
            name: text(t.key("name")).filter(|n| !n.is_empty()).map(str::to_string),
        })
        .collect();
    gw::ReferenceGrant { namespace: m.namespace, name: m.name, from, to, source }
}

/// A string value (not null).
pub(crate) fn text(at: At<'_>) -> Option<&str> {
    at.node.and_then(|n| n.as_str())
}

/// A string value, `""` when absent or null.
pub(crate) fn string(at: At<'_>) -> String {
    text(at).unwrap_or_default().to_string()
}

/// An integer value.
pub(crate) fn int(at: At<'_>) -> Option<i64> {
    at.node.and_then(resolved).and_then(Resolved::as_int)
}

/// The items of a list (none when absent, null or not a list).
pub(crate) fn items(at: At<'_>) -> impl Iterator<Item = At<'_>> {
    let n = at.node.and_then(|n| n.as_seq()).map_or(0, <[_]>::len);
    (0..n).map(move |i| at.idx(i))
}

/// Reports the CEL rule `id` of [`crate::gateway_schema::RULES`] as broken at `at`, with the
/// CRD's message and `hint`, a likely fix.
pub(crate) fn broken(o: &mut Obj<'_>, at: At<'_>, id: &str, hint: &str) {
    debug_assert!(crate::gateway_schema::RULES.iter().any(|r| r.id == id), "rule {id}");
    o.error("validation-rule", at.key_span(), message(id).to_string(), vec![hint.to_string()]);
}

/// A list longer than its schema's `maxItems` (the API server's "Too many" error), for the
/// kinds defined by CRDs (the Gateway API's, `kinds::cluster_policy`).
pub(crate) fn max_items(o: &mut Obj<'_>, at: At<'_>, what: &str, max: usize) {
    let n = items(at).count();
    if n > max {
        o.error(
            "too-many-items",
            at.key_span(),
            format!("`{what}` has {n} items; its CRD allows at most {max}"),
            vec![format!("remove {} of them, or split the object", n - max)],
        );
    }
}

/// A port (`format: int32`, `minimum: 1`, `maximum: 65535` in the CRDs), or `None`.
pub(crate) fn port(o: &mut Obj<'_>, at: At<'_>, what: &str) -> Option<u16> {
    let p = int(at)?;
    match u16::try_from(p).ok().filter(|p| *p >= 1) {
        Some(p) => Some(p),
        None => {
            o.error(
                "port-range",
                at.span(),
                format!("{what} {p} is out of range: ports are 1 to 65535"),
                vec!["write a port number from 1 to 65535".into()],
            );
            None
        }
    }
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, a label of the CRDs' hostname patterns.
pub(crate) fn dns_label(l: &str) -> bool {
    !l.is_empty()
        && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !l.starts_with('-')
        && !l.ends_with('-')
}

/// A `SectionName` (a listener's `name`, a parentRef's `sectionName`: `pattern:
/// ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`, `maxLength: 253`).
pub(crate) fn section_name(o: &mut Obj<'_>, at: At<'_>, what: &str, value: &str) {
    if value.len() > 253 || !value.split('.').all(dns_label) {
        o.error(
            "invalid-name",
            at.span(),
            format!("invalid {what} `{value}`: lower-case letters, digits, `-` and `.`, starting and ending with a letter or digit"),
            vec![format!("such as `{}`", value.to_ascii_lowercase().replace(['_', ' '], "-"))],
        );
    }
}

/// The CRDs' `Hostname` type (`pattern: ^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`,
/// `maxLength: 253`): lower-case DNS labels, optionally after `*.`. An IPv4 address fits the
/// pattern, so the API server takes it, but the spec excludes IPs (apis/v1/shared_types.go
/// `Hostname`): a warning.
pub(crate) fn hostname(o: &mut Obj<'_>, at: At<'_>, value: &str) {
    let bare = value.strip_prefix("*.").unwrap_or(value);
    let label = dns_label;
    if bare.parse::<std::net::Ipv4Addr>().is_ok() {
        // The pattern lets an IPv4 address through; the spec excludes it.
        o.warn(
            "invalid-hostname",
            at.span(),
            format!("`{value}` is an IP address: a Gateway API hostname is a DNS name (IPs are not allowed)"),
            vec!["leave `hostname` out to accept requests to any name or address".into()],
        );
        return;
    }
    let why = if value.len() > 253 {
        Some("it is longer than 253 characters".to_string())
    } else if !bare.split('.').all(label) {
        Some(
            "each label is lower-case letters, digits and `-`, starting and ending with a letter or digit; \
              only the first label may be `*`"
                .to_string(),
        )
    } else {
        None
    };
    if let Some(why) = why {
        o.error(
            "invalid-hostname",
            at.span(),
            format!("invalid hostname `{value}`: {why}"),
            vec!["write a name such as `example.com` or `*.example.com`".into()],
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::gateway_schema::{message, RULES, VERSION};

    #[test]
    fn the_table_names_gateway_api_v1_6_1_and_holds_every_rule_checked() {
        let table = include_str!("../../gateway_schema.txt");
        assert!(table.lines().next().unwrap_or("").contains(&format!("Gateway API {VERSION} ")));
        assert_eq!(VERSION, "v1.6.1");
        for r in RULES {
            assert_ne!(message(r.id), r.id, "rule {} is not in gateway_schema.txt", r.id);
        }
    }

    #[test]
    fn the_versions_served_are_those_of_the_table() {
        let table = include_str!("../../gateway_schema.txt");
        for kind in crate::kinds::Kind::ALL.into_iter().filter(|k| k.gateway()) {
            let line = table.lines().find_map(|l| l.strip_prefix(&format!("+{} ", kind.as_str())));
            let versions: Vec<&str> = line.unwrap_or_default().split(' ').collect();
            for v in ["v1", "v1beta1", "v1alpha2"] {
                assert_eq!(
                    kind.serves(&format!("gateway.networking.k8s.io/{v}")),
                    versions.contains(&v),
                    "{} {v}",
                    kind.as_str()
                );
            }
        }
    }
}
