//! Node (v1): its pod CIDR and first InternalIP address.

use k8s_openapi::api::core::v1 as core;
use netsim::Source;

use crate::fields::{items, object, object_meta, req_string, string};
use crate::object::{At, Meta, Obj, Object};
use crate::tree::Node;

pub(crate) fn read(o: &mut Obj<'_>, root: At<'_>, v: core::Node, m: Meta, source: Option<Source>) -> Object {
    let pod_cidr = v
        .spec
        .as_ref()
        .and_then(|s| s.pod_cidr.as_deref())
        .and_then(|c| o.cidr(root.key("spec").key("podCIDR"), c));
    let mut internal_ip = None;
    for (i, a) in v.status.iter().flat_map(|s| s.addresses.iter().flatten()).enumerate() {
        if a.type_ == "InternalIP" && internal_ip.is_none() {
            let at = root.key("status").key("addresses").idx(i).key("address");
            internal_ip = o.ipv4(at, "node address", &a.address);
        }
    }
    Object::Node(netsim::Node { name: m.name, labels: m.labels, internal_ip, pod_cidr, source })
}

pub fn build(node: &Node) -> core::Node {
    let n = Some(node);
    core::Node {
        metadata: object_meta(n),
        spec: object(n, "spec", |s| core::NodeSpec { pod_cidr: string(s, "podCIDR"), ..Default::default() }),
        status: object(n, "status", |s| core::NodeStatus {
            addresses: items(s, "addresses", |a| core::NodeAddress {
                address: req_string(a, "address"),
                type_: req_string(a, "type"),
            }),
            ..Default::default()
        }),
    }
}
