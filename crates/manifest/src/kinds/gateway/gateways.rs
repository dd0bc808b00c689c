//! Gateway (apis/v1/gateway_types.go; gateway.networking.k8s.io_gateways.yaml): its class and
//! listeners, with the CRD's defaults (`tls.mode` Terminate, certificateRefs of `kind`
//! Secret, `allowedRoutes.namespaces.from` Same) and the CEL rules of `spec.listeners`,
//! `spec.listeners[*].tls` and `spec.tls.frontend.perPort`.

use netsim::gateway::types::{
    AllowedRoutes, FromNamespaces, Gateway, Listener, ListenerProtocol, ListenerTls, ObjectReference,
    RouteGroupKind, TlsMode, GROUP,
};
use netsim::Source;

use super::{broken, hostname, int, items, max_items, port, string, text};
use crate::fields::label_selector;
use crate::object::{item_source, At, Meta, Obj};

pub(crate) fn read(o: &mut Obj<'_>, spec: At<'_>, m: Meta, source: Option<Source>) -> Gateway {
    let at = spec.key("listeners");
    max_items(o, at, "spec.listeners", 64);
    let listeners: Vec<Listener> = items(at).map(|l| listener(o, l)).collect();
    listener_rules(o, at, &listeners);
    per_port(o, spec.key("tls").key("frontend").key("perPort"));
    addresses(o, spec.key("addresses"));
    let infra = spec.key("infrastructure");
    infrastructure_keys(o, infra.key("labels"), "label-key", "label-prefix");
    infrastructure_keys(o, infra.key("annotations"), "annotation-key", "annotation-prefix");
    Gateway {
        namespace: m.namespace,
        name: m.name,
        gateway_class_name: string(spec.key("gatewayClassName")),
        listeners,
        source,
    }
}

fn listener(o: &mut Obj<'_>, l: At<'_>) -> Listener {
    let host = text(l.key("hostname")).filter(|h| !h.is_empty()).map(str::to_string);
    if let Some(h) = &host {
        hostname(o, l.key("hostname"), h);
    }
    let name = string(l.key("name"));
    super::section_name(o, l.key("name"), "listener name", &name);
    let protocol = ListenerProtocol::parse(text(l.key("protocol")).unwrap_or_default());
    let tls_at = l.key("tls");
    let tls = tls_at.present().then(|| {
        let mode = match text(tls_at.key("mode")) {
            Some("Passthrough") => TlsMode::Passthrough,
            _ => TlsMode::Terminate,
        };
        let refs = tls_at.key("certificateRefs");
        let certificate_refs: Vec<ObjectReference> = items(refs)
            .map(|r| ObjectReference {
                group: string(r.key("group")),
                kind: text(r.key("kind")).unwrap_or("Secret").to_string(),
                name: string(r.key("name")),
                namespace: text(r.key("namespace")).filter(|n| !n.is_empty()).map(str::to_string),
            })
            .collect();
        // CEL on `spec.listeners[*].tls` (terminate-certificates).
        let options = tls_at.key("options").node.and_then(|n| n.as_map()).is_some_and(|m| !m.is_empty());
        if mode == TlsMode::Terminate && certificate_refs.is_empty() && !options {
            broken(
                o,
                tls_at,
                "terminate-certificates",
                "add `certificateRefs:` naming the Secret with the certificate",
            );
        }
        ListenerTls { mode, certificate_refs }
    });
    let ar = l.key("allowedRoutes");
    let ns = ar.key("namespaces");
    let from = match text(ns.key("from")) {
        Some("All") => FromNamespaces::All,
        Some("Selector") => FromNamespaces::Selector,
        _ => FromNamespaces::Same,
    };
    let selector = ns.key("selector");
    let selector = selector.present().then(|| o.selector(selector, &label_selector(selector.node)));
    let kinds = items(ar.key("kinds"))
        .map(|k| RouteGroupKind {
            group: text(k.key("group")).unwrap_or(GROUP).to_string(),
            kind: string(k.key("kind")),
        })
        .collect();
    Listener {
        name,
        hostname: host,
        port: port(o, l.key("port"), "listener port").unwrap_or(0),
        protocol,
        tls,
        allowed_routes: AllowedRoutes { from, selector, kinds },
        source: item_source(o.file, l),
    }
}

/// The CEL rules of `spec.listeners`, each reported at the first listener that breaks it.
fn listener_rules(o: &mut Obj<'_>, at: At<'_>, listeners: &[Listener]) {
    for (i, l) in listeners.iter().enumerate() {
        let li = at.idx(i);
        let p = l.protocol.as_str();
        let has_tls = li.key("tls").present();
        let mode = text(li.key("tls").key("mode"));
        if matches!(p, "HTTP" | "TCP" | "UDP") && has_tls {
            broken(
                o,
                li.key("tls"),
                "tls-not-allowed",
                &format!("remove `tls`, or use `protocol: {}`", if p == "HTTP" { "HTTPS" } else { "TLS" }),
            );
        }
        if p == "HTTPS" && has_tls && !matches!(mode, None | Some("" | "Terminate")) {
            broken(
                o,
                li.key("tls").key("mode"),
                "https-terminate",
                "use `mode: Terminate`, or `protocol: TLS` to pass TLS through",
            );
        }
        // `tls.mode` defaults to Terminate, so only a missing `tls` breaks the rule.
        if p == "TLS" && !has_tls {
            broken(o, li, "tls-mode-set", "add `tls:` with `mode: Terminate` or `mode: Passthrough`");
        }
        if matches!(p, "TCP" | "UDP") && l.hostname.is_some() {
            broken(
                o,
                li.key("hostname"),
                "hostname-tcp-udp",
                "remove `hostname`: TCP and UDP carry no host name",
            );
        }
        let earlier = &listeners[..i];
        if earlier.iter().any(|e| e.name == l.name) {
            broken(
                o,
                li.key("name"),
                "listener-name-unique",
                &format!("rename this listener: `{}` is taken", l.name),
            );
        } else if earlier
            .iter()
            .any(|e| e.port == l.port && e.protocol == l.protocol && e.hostname == l.hostname)
        {
            broken(o, li, "listener-unique", "change the port or the hostname of one of the two listeners");
        }
    }
}

/// `spec.tls.frontend.perPort`: one entry per port (per-port-unique).
fn per_port(o: &mut Obj<'_>, at: At<'_>) {
    let ports: Vec<Option<i64>> = items(at).map(|p| int(p.key("port"))).collect();
    for (i, p) in ports.iter().enumerate() {
        if ports[..i].contains(p) {
            broken(o, at.idx(i), "per-port-unique", "merge the two entries of this port into one");
        }
    }
}

/// `spec.addresses` (each `type` IPAddress by default): IPAddress values unique, Hostname
/// values unique and of the hostname pattern (ip-unique, hostname-unique, address-hostname).
fn addresses(o: &mut Obj<'_>, at: At<'_>) {
    let list: Vec<(&str, Option<&str>)> =
        items(at).map(|a| (text(a.key("type")).unwrap_or("IPAddress"), text(a.key("value")))).collect();
    for (i, (ty, value)) in list.iter().enumerate() {
        let a = at.idx(i);
        if *ty == "Hostname" {
            let ok = value.is_none_or(|v| {
                let bare = v.strip_prefix("*.").unwrap_or(v);
                bare.split('.').all(super::dns_label)
            });
            if !ok {
                broken(
                    o,
                    a.key("value"),
                    "address-hostname",
                    "write a lower-case DNS name such as `gw.example.com`",
                );
            }
        }
        let repeated = value.is_some() && list[..i].iter().any(|(t, v)| t == ty && v == value);
        match *ty {
            "IPAddress" if repeated => {
                broken(o, a, "ip-unique", "remove this address: it is listed already");
            }
            "Hostname" if repeated => {
                broken(o, a, "hostname-unique", "remove this address: it is listed already");
            }
            _ => {}
        }
    }
}

/// The keys of `spec.infrastructure.labels` or `.annotations`: an optional DNS-subdomain
/// prefix and `/`, then a name of 1 to 63 characters (`key`); the part before the first `/`
/// shorter than 253 characters (`prefix`).
fn infrastructure_keys(o: &mut Obj<'_>, at: At<'_>, key: &str, prefix: &str) {
    let Some(entries) = at.node.and_then(|n| n.as_map()) else { return };
    for e in entries {
        let Some(k) = e.key.as_scalar().map(|s| s.text.as_str()) else { continue };
        let span = (e.key.start, e.key.end);
        let (pre, name) = match k.split_once('/') {
            Some((p, n)) => (Some(p), n),
            None => (None, k),
        };
        let name_ok = (1..=63).contains(&name.len())
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
            && name.starts_with(|c: char| c.is_ascii_alphanumeric())
            && name.ends_with(|c: char| c.is_ascii_alphanumeric());
        if !name_ok || !pre.is_none_or(|p| p.split('.').all(super::dns_label)) {
            let message = crate::gateway_schema::message(key).to_string();
            o.error(
                "validation-rule",
                span,
                message,
                vec!["write a key such as `example.com/team` or `team`".into()],
            );
        }
        if k.split('/').next().unwrap_or_default().len() >= 253 {
            let message = crate::gateway_schema::message(prefix).to_string();
            o.error("validation-rule", span, message, vec!["shorten the key's prefix".into()]);
        }
    }
}
