//! IngressClass (networking.k8s.io/v1): its controller and whether it is the default class.

use k8s_openapi::api::networking::v1 as networking;
use netsim::Source;

use crate::fields::{object, object_meta, req_string, string};
use crate::object::{Meta, Object};
use crate::tree::Node;

/// The annotation that makes a class the default one.
/// https://kubernetes.io/docs/concepts/services-networking/ingress/#default-ingress-class
const DEFAULT_CLASS: &str = "ingressclass.kubernetes.io/is-default-class";

pub(crate) fn read(v: networking::IngressClass, m: Meta, source: Option<Source>) -> Object {
    let controller = v.spec.as_ref().and_then(|s| s.controller.clone()).unwrap_or_default();
    let is_default = m.annotations.get(DEFAULT_CLASS).is_some_and(|v| v == "true");
    Object::IngressClass(netsim::IngressClass { name: m.name, controller, is_default, source })
}

pub fn build(node: &Node) -> networking::IngressClass {
    let n = Some(node);
    networking::IngressClass {
        metadata: object_meta(n),
        spec: object(n, "spec", |s| networking::IngressClassSpec {
            controller: string(s, "controller"),
            parameters: object(s, "parameters", |p| networking::IngressClassParametersReference {
                api_group: string(p, "apiGroup"),
                kind: req_string(p, "kind"),
                name: req_string(p, "name"),
                namespace: string(p, "namespace"),
                scope: string(p, "scope"),
            }),
        }),
    }
}
