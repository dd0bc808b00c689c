//! Endpoints (v1), mirrored into one EndpointSlice per subset, as the EndpointSlice
//! mirroring controller does.

use k8s_openapi::api::core::v1 as core;

use crate::object::{item_source, At, Meta, Obj, Object};

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
                        ready,
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
