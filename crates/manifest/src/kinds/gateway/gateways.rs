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
        name: string(l.key("name")),
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
