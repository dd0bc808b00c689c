//! EndpointSlice (discovery.k8s.io/v1): IPv4 endpoints and ports, tied to its Service by the
//! `kubernetes.io/service-name` label.

use k8s_openapi::api::discovery::v1 as discovery;
use netsim::Source;

use crate::fields::{
    boolean, int, items, object, object_meta, object_reference, req_string, string, string_map, strings,
};
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
        let mut addresses = Vec::new();
        for (j, a) in e.addresses.iter().enumerate() {
            if let Some(ip) = o.ipv4(at.key("addresses").idx(j), "endpoint address", a) {
                addresses.push(ip);
            }
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
    let mut ports = Vec::new();
    for (j, p) in v.ports.iter().flatten().enumerate() {
        let pat = root.key("ports").idx(j);
        let port = o.port(pat.key("port"), "port", p.port.unwrap_or(0));
        let protocol = o.protocol(pat.key("protocol"), p.protocol.as_deref());
        ports.push(netsim::EndpointPort { name: p.name.clone(), port, protocol });
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
