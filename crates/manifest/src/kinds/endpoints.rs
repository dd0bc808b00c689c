//! Endpoints (v1), mirrored into one EndpointSlice per subset, as the EndpointSlice
//! mirroring controller does.

use k8s_openapi::api::core::v1 as core;

use crate::fields::{items, object, object_meta, object_reference, req_int, req_string, string};
use crate::object::{item_source, At, Meta, Obj, Object};
use crate::tree::Node;

pub(crate) fn read(o: &mut Obj<'_>, root: At<'_>, v: core::Endpoints, m: Meta) -> Object {
    let mut slices = Vec::new();
    let subsets = v.subsets.clone().unwrap_or_default();
    for (i, subset) in subsets.iter().enumerate() {
        let at = root.key("subsets").idx(i);
        let mut endpoints = Vec::new();
        for (field, ready, list) in [
            ("addresses", true, &subset.addresses),
            ("notReadyAddresses", false, &subset.not_ready_addresses),
        ] {
            for (j, a) in list.iter().flatten().enumerate() {
                if let Some(ip) = o.ipv4(at.key(field).idx(j).key("ip"), "endpoint address", &a.ip) {
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
