//! The built-in controller's data plane. Gateway API leaves the data plane to each
//! implementation; this one does what the common ones do (Istio's and Envoy Gateway's
//! automated deployments): for each Gateway of one of its GatewayClasses, a proxy Deployment
//! (one replica here) and a Service of type LoadBalancer in the Gateway's namespace, both
//! named `<gateway>-<class>` as Istio names them, the pods labelled
//! `gateway.networking.k8s.io/gateway-name: <gateway>`, with one port per listener port. The
//! Gateway's address is that Service's LoadBalancer IP. The proxy picks a backend's endpoint
//! itself from its EndpointSlices (kube-proxy is not involved), as ingress-nginx does.
//!
//! The data plane, and so every request through a Gateway, is built only where the Gateway
//! API's code is there (`build::DATA_PLANE`, [`crate::gateway::plug`]).

#![cfg_attr(not(feature = "gateway-api"), allow(dead_code))]

use crate::gateway::types::{Gateway, GatewayClass, ListenerProtocol};
use crate::hash::{fnv64, name_suffix, pod_template_hash};
use crate::scenario::*;

/// The label the data plane's pods carry, naming their Gateway (the label the Gateway API's
/// conformance tests and the implementations above use).
pub const GATEWAY_NAME_LABEL: &str = "gateway.networking.k8s.io/gateway-name";

/// The Gateways the built-in controller runs a data plane for: those whose GatewayClass is
/// one of its own.
pub fn served(scenario: &Scenario) -> impl Iterator<Item = &Gateway> {
    served_gateways(&scenario.gateways, &scenario.gateway_classes)
}

/// [`served`], of lists of Gateways and GatewayClasses.
pub fn served_gateways<'a>(
    gateways: &'a [Gateway],
    classes: &'a [GatewayClass],
) -> impl Iterator<Item = &'a Gateway> {
    gateways.iter().filter(move |g| {
        classes.iter().any(|c| {
            c.name == g.gateway_class_name && c.controller_name == crate::gateway::types::CONTROLLER_NAME
        })
    })
}

/// The name of a Gateway's proxy Deployment and Service: `<gateway>-<class>`.
pub fn name(gateway: &Gateway) -> String {
    format!("{}-{}", gateway.name, gateway.gateway_class_name)
}

/// The listener ports the proxy listens on, each once, in listener order; only the HTTP and
/// HTTPS listeners, the protocols the controller supports.
fn ports(gateway: &Gateway) -> Vec<u16> {
    let mut ports: Vec<u16> = Vec::new();
    for l in &gateway.listeners {
        if matches!(l.protocol, ListenerProtocol::Http | ListenerProtocol::Https) && !ports.contains(&l.port)
        {
            ports.push(l.port);
        }
    }
    ports
}

fn labels(gateway: &Gateway) -> Labels {
    let mut labels = Labels::new();
    labels.insert(GATEWAY_NAME_LABEL.into(), gateway.name.clone());
    labels
}

fn port_name(port: u16) -> String {
    format!("listener-{port}")
}

/// A proxy pod: name, namespace, spec, owning Deployment.
pub(crate) type ProxyPod = (String, String, PodSpec, ObjectRef);

/// The proxy pod of each Gateway served.
pub(crate) fn pods(scenario: &Scenario) -> Vec<ProxyPod> {
    served(scenario)
        .map(|g| {
            let deployment = name(g);
            let hash = pod_template_hash(&format!("{}/{deployment}", g.namespace));
            let mut labels = labels(g);
            labels.insert("pod-template-hash".into(), hash.clone());
            let spec = PodSpec {
                labels,
                containers: vec![Container {
                    name: "proxy".into(),
                    ports: ports(g)
                        .into_iter()
                        .map(|p| ContainerPort {
                            name: Some(port_name(p)),
                            container_port: p,
                            protocol: Protocol::Tcp,
                            host_port: None,
                            source: None,
                        })
                        .collect(),
                }],
                ..PodSpec::default()
            };
            let pod = format!("{deployment}-{hash}-{}", name_suffix(fnv64(&[&deployment, "0"]), 5));
            let owner = ObjectRef::new("Deployment", &g.namespace, &deployment, None);
            (pod, g.namespace.clone(), spec, owner)
        })
        .collect()
}

/// The LoadBalancer Service of each Gateway served.
pub(crate) fn services(scenario: &Scenario) -> Vec<Service> {
    served(scenario)
        .map(|g| Service {
            name: name(g),
            namespace: g.namespace.clone(),
            labels: labels(g),
            service_type: ServiceType::LoadBalancer,
            selector: Some(labels(g)),
            ports: ports(g)
                .into_iter()
                .map(|p| ServicePort {
                    name: Some(port_name(p)),
                    protocol: Protocol::Tcp,
                    port: p,
                    target_port: PortRef::Number(p),
                    node_port: None,
                    app_protocol: None,
                    source: None,
                })
                .collect(),
            ..Service::default()
        })
        .collect()
}

/// The Gateway whose proxy `labels` belong to, by its name label (the namespace is the pod's).
pub fn gateway_of(labels: &Labels) -> Option<&str> {
    labels.get(GATEWAY_NAME_LABEL).map(String::as_str)
}
