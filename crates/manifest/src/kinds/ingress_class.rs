//! IngressClass (networking.k8s.io/v1): its controller and whether it is the default class.

use k8s_openapi::api::networking::v1 as networking;
use netsim::Source;

use crate::fields::{object, object_meta, req_string, string};
use crate::names;
use crate::object::{At, Meta, Obj, Object};
use crate::tree::Node;

/// The annotation that makes a class the default one.
/// https://kubernetes.io/docs/concepts/services-networking/ingress/#default-ingress-class
const DEFAULT_CLASS: &str = "ingressclass.kubernetes.io/is-default-class";

pub(crate) fn read(
    o: &mut Obj<'_>,
    root: At<'_>,
    v: networking::IngressClass,
    m: Meta,
    source: Option<Source>,
) -> Object {
    let controller = v.spec.as_ref().and_then(|s| s.controller.clone()).unwrap_or_default();
    // validateIngressClassSpec: `controller` is required, at most 250 characters, and a
    // domain-prefixed path such as `k8s.io/ingress-nginx`.
    let at = root.key("spec").key("controller");
    if controller.is_empty() {
        o.error(
            "missing-field",
            if at.present() { at.span() } else { root.key("spec").key_span() },
            "an IngressClass needs `spec.controller`".into(),
            vec!["ingress-nginx's is `k8s.io/ingress-nginx`".into()],
        );
    } else if let Err(why) = domain_prefixed_path(&controller) {
        o.error("invalid-value", at.span(), format!("invalid controller `{controller}`: {why}"), vec![]);
    }
    let is_default = m.annotations.get(DEFAULT_CLASS).is_some_and(|v| v == "true");
    Object::IngressClass(netsim::IngressClass { name: m.name, controller, is_default, source })
}

/// A domain-prefixed path (apimachinery's `IsDomainPrefixedPath`): `<DNS subdomain>/<path>`,
/// both parts present; at most 250 characters for a controller name.
fn domain_prefixed_path(value: &str) -> Result<(), String> {
    if value.len() > 250 {
        return Err("must be at most 250 characters".into());
    }
    let Some((domain, path)) = value.split_once('/') else {
        return Err("must be a domain-prefixed path, such as `example.com/my-controller`".into());
    };
    if path.is_empty() {
        return Err("the path after the domain must not be empty".into());
    }
    names::dns1123_subdomain(domain).map_err(|why| format!("its domain `{domain}`: {why}"))
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
