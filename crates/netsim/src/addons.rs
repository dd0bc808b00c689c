//! `addons`: what a fresh cluster contains before any object of the scenario: the API
//! server's `kubernetes` Service, CoreDNS (`kube-dns`, as kubeadm installs it:
//! https://kubernetes.io/docs/tasks/administer-cluster/coredns/) and, when the topology has
//! it, the ingress-nginx controller with its namespace, LoadBalancer Service and IngressClass
//! (as its Helm chart installs them: https://kubernetes.github.io/ingress-nginx/deploy/).

use crate::hash::{fnv64, name_suffix, pod_template_hash};
use crate::scenario::*;
use crate::topology::Topology;

/// The built-in controller's name, as its IngressClass declares it.
pub const CONTROLLER: &str = "k8s.io/ingress-nginx";
/// Where the built-in controller runs.
pub const NAMESPACE: &str = "ingress-nginx";
/// The controller's Service (type LoadBalancer) and Deployment.
pub const SERVICE: &str = "ingress-nginx-controller";
/// The built-in IngressClass.
pub const CLASS: &str = "nginx";

/// The IngressClass that comes with the built-in controller (not default).
pub fn built_in_class() -> IngressClass {
    IngressClass { name: CLASS.into(), controller: CONTROLLER.into(), is_default: false, source: None }
}

/// The IngressClasses of a cluster: those `declared`, then the controller's built-in `nginx`
/// class unless one of them has its name.
pub fn ingress_classes(declared: &[IngressClass], topology: &Topology) -> Vec<IngressClass> {
    let mut classes = declared.to_vec();
    if topology.ingress_controller && !classes.iter().any(|c| c.name == CLASS) {
        classes.push(built_in_class());
    }
    classes
}

/// A pod of an add-on, and the node it is placed on.
pub(crate) struct AddonPod {
    pub name: String,
    pub namespace: &'static str,
    pub spec: PodSpec,
    pub owner: ObjectRef,
    pub node: Option<String>,
}

/// CoreDNS's two replicas (on the first two of `nodes`, by name) and, when
/// `ingress_controller`, the controller's one replica on the first node.
pub(crate) fn addon_pods(ingress_controller: bool, nodes: &[&str]) -> Vec<AddonPod> {
    let mut pods = Vec::new();
    // CoreDNS: a two-replica Deployment in kube-system, as kubeadm installs it.
    let dns_hash = pod_template_hash("kube-system/coredns");
    for i in 0..2u64 {
        pods.push(AddonPod {
            name: format!("coredns-{dns_hash}-{}", name_suffix(fnv64(&["coredns", &i.to_string()]), 5)),
            namespace: "kube-system",
            spec: coredns_spec(&dns_hash),
            owner: ObjectRef::new("Deployment", "kube-system", "coredns", None),
            node: nodes.get(i as usize % nodes.len().max(1)).map(|n| n.to_string()),
        });
    }
    if ingress_controller {
        let hash = pod_template_hash(&format!("{NAMESPACE}/{SERVICE}"));
        pods.push(AddonPod {
            name: format!("{SERVICE}-{hash}-{}", name_suffix(fnv64(&[SERVICE, "0"]), 5)),
            namespace: NAMESPACE,
            spec: ingress_controller_spec(&hash),
            owner: ObjectRef::new("Deployment", NAMESPACE, SERVICE, None),
            node: nodes.first().map(|n| n.to_string()),
        });
    }
    pods
}

fn coredns_spec(template_hash: &str) -> PodSpec {
    let port = |name: &str, port: u16, protocol: Protocol| ContainerPort {
        name: Some(name.into()),
        container_port: port,
        protocol,
        host_port: None,
        source: None,
    };
    let mut labels = Labels::new();
    labels.insert("k8s-app".into(), "kube-dns".into());
    labels.insert("pod-template-hash".into(), template_hash.into());
    PodSpec {
        labels,
        containers: vec![Container {
            name: "coredns".into(),
            ports: vec![
                port("dns", 53, Protocol::Udp),
                port("dns-tcp", 53, Protocol::Tcp),
                port("metrics", 9153, Protocol::Tcp),
            ],
        }],
        dns_policy: DnsPolicy::Default,
        ..PodSpec::default()
    }
}

/// The ingress-nginx controller's pod template (its Deployment in `ingress-nginx`).
/// https://kubernetes.github.io/ingress-nginx/deploy/
fn ingress_controller_spec(template_hash: &str) -> PodSpec {
    let port = |name: &str, port: u16| ContainerPort {
        name: Some(name.into()),
        container_port: port,
        protocol: Protocol::Tcp,
        host_port: None,
        source: None,
    };
    let mut labels = ingress_controller_labels();
    labels.insert("pod-template-hash".into(), template_hash.into());
    PodSpec {
        labels,
        containers: vec![Container {
            name: "controller".into(),
            ports: vec![port("http", 80), port("https", 443)],
        }],
        ..PodSpec::default()
    }
}

fn ingress_controller_labels() -> Labels {
    let mut labels = Labels::new();
    labels.insert("app.kubernetes.io/component".into(), "controller".into());
    labels.insert("app.kubernetes.io/instance".into(), "ingress-nginx".into());
    labels.insert("app.kubernetes.io/name".into(), "ingress-nginx".into());
    labels
}

/// The Services a fresh cluster has: `kubernetes` (the API server), `kube-dns` and, with the
/// ingress controller, its LoadBalancer Service.
pub(crate) fn built_in_services(topology: &Topology) -> Vec<Service> {
    let port = |name: &str, port: u16, target: u16, protocol: Protocol| ServicePort {
        name: Some(name.into()),
        protocol,
        port,
        target_port: PortRef::Number(target),
        node_port: None,
        app_protocol: None,
        source: None,
    };
    let mut kubernetes_labels = Labels::new();
    kubernetes_labels.insert("component".into(), "apiserver".into());
    kubernetes_labels.insert("provider".into(), "kubernetes".into());
    let mut dns_labels = Labels::new();
    dns_labels.insert("k8s-app".into(), "kube-dns".into());
    dns_labels.insert("kubernetes.io/name".into(), "CoreDNS".into());
    let mut dns_selector = Labels::new();
    dns_selector.insert("k8s-app".into(), "kube-dns".into());
    let mut services = vec![
        Service {
            name: "kubernetes".into(),
            namespace: "default".into(),
            labels: kubernetes_labels,
            cluster_ip: ClusterIpSpec::Fixed(topology.kubernetes_service_ip()),
            ports: vec![port("https", 443, 6443, Protocol::Tcp)],
            ..Service::default()
        },
        Service {
            name: "kube-dns".into(),
            namespace: "kube-system".into(),
            labels: dns_labels,
            selector: Some(dns_selector),
            cluster_ip: ClusterIpSpec::Fixed(topology.dns_service_ip()),
            ports: vec![
                ServicePort {
                    target_port: PortRef::Name("dns".into()),
                    ..port("dns", 53, 53, Protocol::Udp)
                },
                ServicePort {
                    target_port: PortRef::Name("dns-tcp".into()),
                    ..port("dns-tcp", 53, 53, Protocol::Tcp)
                },
                ServicePort {
                    target_port: PortRef::Name("metrics".into()),
                    ..port("metrics", 9153, 9153, Protocol::Tcp)
                },
            ],
            ..Service::default()
        },
    ];
    if topology.ingress_controller {
        let named = |name: &str, p: u16| ServicePort {
            target_port: PortRef::Name(name.into()),
            app_protocol: Some(name.into()),
            ..port(name, p, p, Protocol::Tcp)
        };
        services.push(Service {
            name: SERVICE.into(),
            namespace: NAMESPACE.into(),
            labels: ingress_controller_labels(),
            service_type: ServiceType::LoadBalancer,
            selector: Some(ingress_controller_labels()),
            ports: vec![named("http", 80), named("https", 443)],
            ..Service::default()
        });
    }
    services
}
