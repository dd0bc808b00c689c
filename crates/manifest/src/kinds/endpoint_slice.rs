//! EndpointSlice (discovery.k8s.io/v1): IPv4 endpoints and ports, tied to its Service by the
//! `kubernetes.io/service-name` label.

use k8s_openapi::api::discovery::v1 as discovery;
use netsim::Source;

use crate::fields::{
    boolean, int, items, object, object_meta, object_reference, req_string, string, string_map, strings,
};
use crate::names;
use crate::object::{At, Meta, Obj, Object};
use crate::tree::Node;

use super::endpoints::pod_ref;

pub(crate) fn read(
    o: &mut Obj<'_>,
    root: At<'_>,
    v: discovery::EndpointSlice,
    m: Meta,
    source: Option<Source>,
) -> Object {
    if v.address_type != "IPv4" {
        let why = if v.address_type == "IPv6" { ": IPv6 is not modelled by Switchboard" } else { "" };
        o.error(
            "invalid-value",
            root.key("addressType").span(),
            format!("addressType must be `IPv4`, not `{}`{why}", v.address_type),
            vec![],
        );
    }
    let mut endpoints = Vec::new();
    for (i, e) in v.endpoints.iter().enumerate() {
        let at = root.key("endpoints").idx(i);
        // discovery validation, validateEndpoints: 1 to 100 addresses, each a usable IP; the
        // hostname a DNS label, the node name a DNS subdomain.
        if e.addresses.is_empty() || e.addresses.len() > 100 {
            o.error(
                "invalid-value",
                at.key("addresses").span(),
                format!("an endpoint has 1 to 100 addresses, not {}", e.addresses.len()),
                vec![],
            );
        }
        let mut addresses = Vec::new();
        for (j, a) in e.addresses.iter().enumerate() {
            if let Some(ip) = o.non_special_ip(at.key("addresses").idx(j), "endpoint address", a) {
                addresses.push(ip);
            }
        }
        if let Some(h) = e.hostname.as_deref() {
            o.check("invalid-name", at.key("hostname"), "hostname", h, names::dns1123_label);
        }
        if let Some(n) = e.node_name.as_deref() {
            o.check("invalid-name", at.key("nodeName"), "node name", n, names::dns1123_subdomain);
        }
        endpoints.push(netsim::Endpoint {
            addresses,
            // EndpointConditions: ready absent is ready; serving absent is read as ready;
            // terminating absent is false.
            ready: e.conditions.as_ref().and_then(|c| c.ready).unwrap_or(true),
            serving: e.conditions.as_ref().and_then(|c| c.serving.or(c.ready)).unwrap_or(true),
            terminating: e.conditions.as_ref().and_then(|c| c.terminating).unwrap_or(false),
            node_name: e.node_name.clone(),
            target_pod: pod_ref(e.target_ref.as_ref()),
            hostname: e.hostname.clone(),
        });
    }
    let list = v.ports.as_deref().unwrap_or_default();
    let names: Vec<Option<&str>> = list.iter().map(|p| p.name.as_deref()).collect();
    // validateEndpointPorts: names are DNS labels, unique within the slice.
    o.port_names(root.key("ports"), &names, false, true);
    let mut ports = Vec::new();
    for (j, p) in list.iter().enumerate() {
        let pat = root.key("ports").idx(j);
        let protocol = o.protocol(pat.key("protocol"), p.protocol.as_deref());
        // The API server accepts a port with no number, or any number; kube-proxy uses only a
        // port with a number it can route to.
        match p.port.and_then(|n| u16::try_from(n).ok()).filter(|n| *n > 0) {
            Some(port) => ports.push(netsim::EndpointPort { name: p.name.clone(), port, protocol }),
            None => o.warn(
                "endpoint-port-unusable",
                if pat.key("port").present() { pat.key("port").span() } else { pat.key_span() },
                "this port has no number from 1 to 65535, so kube-proxy sends nothing to it".into(),
                vec!["set `port` to the port the endpoints listen on".into()],
            ),
        }
    }
    let service_name = m.labels.get("kubernetes.io/service-name").cloned().unwrap_or_default();
    if service_name.is_empty() {
        o.warn(
            "endpoint-slice-no-service",
            root.key("metadata").key("labels").key_span(),
            "this EndpointSlice has no `kubernetes.io/service-name` label, so no Service uses it".into(),
            vec!["add the label `kubernetes.io/service-name: <service>`".into()],
        );
    }
    Object::EndpointSlices(vec![netsim::EndpointSlice {
        name: m.name,
        namespace: m.namespace,
        service_name,
        endpoints,
        ports,
        source,
    }])
}

fn endpoint(e: Option<&Node>) -> discovery::Endpoint {
    discovery::Endpoint {
        addresses: strings(e, "addresses").unwrap_or_default(),
        conditions: object(e, "conditions", |c| discovery::EndpointConditions {
            ready: boolean(c, "ready"),
            serving: boolean(c, "serving"),
            terminating: boolean(c, "terminating"),
        }),
        deprecated_topology: string_map(e, "deprecatedTopology"),
        hints: object(e, "hints", |h| discovery::EndpointHints {
            for_nodes: items(h, "forNodes", |f| discovery::ForNode { name: req_string(f, "name") }),
            for_zones: items(h, "forZones", |f| discovery::ForZone { name: req_string(f, "name") }),
        }),
        hostname: string(e, "hostname"),
        node_name: string(e, "nodeName"),
        target_ref: object(e, "targetRef", object_reference),
        zone: string(e, "zone"),
    }
}

pub fn build(node: &Node) -> discovery::EndpointSlice {
    let n = Some(node);
    discovery::EndpointSlice {
        metadata: object_meta(n),
        address_type: req_string(n, "addressType"),
        endpoints: items(n, "endpoints", endpoint).unwrap_or_default(),
        ports: items(n, "ports", |p| discovery::EndpointPort {
            app_protocol: string(p, "appProtocol"),
            name: string(p, "name"),
            port: int(p, "port"),
            protocol: string(p, "protocol"),
        }),
    }
}
