//! Endpoints (v1), mirrored into one EndpointSlice per subset, as the EndpointSlice
//! mirroring controller does.

use k8s_openapi::api::core::v1 as core;

use crate::fields::{items, object, object_meta, object_reference, req_int, req_string, string};
use crate::names;
use crate::object::{item_source, At, Meta, Obj, Object};
use crate::tree::Node;

pub(crate) fn read(o: &mut Obj<'_>, root: At<'_>, v: core::Endpoints, m: Meta) -> Object {
    let mut slices = Vec::new();
    let subsets = v.subsets.clone().unwrap_or_default();
    for (i, subset) in subsets.iter().enumerate() {
        let at = root.key("subsets").idx(i);
        // validateEndpointSubsets: a subset has addresses, ready or not.
        if subset.addresses.as_ref().is_none_or(Vec::is_empty)
            && subset.not_ready_addresses.as_ref().is_none_or(Vec::is_empty)
        {
            o.error(
                "missing-field",
                at.key_span(),
                "a subset needs `addresses` or `notReadyAddresses`".into(),
                vec![],
            );
        }
        let mut endpoints = Vec::new();
        for (field, ready, list) in [
            ("addresses", true, &subset.addresses),
            ("notReadyAddresses", false, &subset.not_ready_addresses),
        ] {
            for (j, a) in list.iter().flatten().enumerate() {
                let aat = at.key(field).idx(j);
                if let Some(h) = a.hostname.as_deref().filter(|h| !h.is_empty()) {
                    o.check("invalid-name", aat.key("hostname"), "hostname", h, names::dns1123_label);
                }
                if let Some(n) = a.node_name.as_deref().filter(|n| !n.is_empty()) {
                    o.check("invalid-name", aat.key("nodeName"), "node name", n, names::dns1123_subdomain);
                }
                if let Some(ip) = o.non_special_ip(aat.key("ip"), "endpoint address", &a.ip) {
                    endpoints.push(netsim::Endpoint {
                        addresses: vec![ip],
                        // As the EndpointSliceMirroring controller writes them.
                        ready,
                        serving: ready,
                        terminating: false,
                        node_name: a.node_name.clone(),
                        target_pod: pod_ref(a.target_ref.as_ref()),
                        hostname: a.hostname.clone(),
                    });
                }
            }
        }
        let list = subset.ports.as_deref().unwrap_or_default();
        let names: Vec<Option<&str>> = list.iter().map(|p| p.name.as_deref()).collect();
        // validateEndpointPort: names are required when there is more than one port.
        o.port_names(at.key("ports"), &names, list.len() > 1, false);
        let mut ports = Vec::new();
        for (j, p) in subset.ports.iter().flatten().enumerate() {
            let pat = at.key("ports").idx(j);
            let port = o.port(pat.key("port"), "port", p.port);
            let protocol = o.protocol(pat.key("protocol"), p.protocol.as_deref());
            ports.push(netsim::EndpointPort { name: p.name.clone(), port, protocol });
        }
        let slice_name = if subsets.len() == 1 { m.name.clone() } else { format!("{}-{i}", m.name) };
        slices.push(netsim::EndpointSlice {
            name: slice_name,
            namespace: m.namespace.clone(),
            service_name: m.name.clone(),
            endpoints,
            ports,
            source: item_source(o.file, at),
        });
    }
    Object::EndpointSlices(slices)
}

/// The name of the pod a `targetRef` points at.
pub(crate) fn pod_ref(r: Option<&core::ObjectReference>) -> Option<String> {
    r.filter(|r| r.kind.as_deref() == Some("Pod")).and_then(|r| r.name.clone())
}

fn endpoint_address(a: Option<&Node>) -> core::EndpointAddress {
    core::EndpointAddress {
        hostname: string(a, "hostname"),
        ip: req_string(a, "ip"),
        node_name: string(a, "nodeName"),
        target_ref: object(a, "targetRef", object_reference),
    }
}

pub fn build(node: &Node) -> core::Endpoints {
    let n = Some(node);
    core::Endpoints {
        metadata: object_meta(n),
        subsets: items(n, "subsets", |s| core::EndpointSubset {
            addresses: items(s, "addresses", endpoint_address),
            not_ready_addresses: items(s, "notReadyAddresses", endpoint_address),
            ports: items(s, "ports", |p| core::EndpointPort {
                app_protocol: string(p, "appProtocol"),
                name: string(p, "name"),
                port: req_int(p, "port"),
                protocol: string(p, "protocol"),
            }),
        }),
    }
}
