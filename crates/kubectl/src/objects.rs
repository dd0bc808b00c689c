//! Each kind's objects for `kubectl get KIND [NAME] -o yaml`: the objects as the API server
//! would return them, seen from the model: what the cluster filled in is there (allocated
//! clusterIPs and nodePorts, pod IPs and nodes, endpoints, LoadBalancer addresses, the API
//! server's defaults such as `sessionAffinity: None`, `ipFamilyPolicy: SingleStack`,
//! `dnsPolicy: ClusterFirst`). Fields the model does not know are left out: `uid`,
//! `resourceVersion`, `creationTimestamp`, `generation`, `managedFields`, container images and
//! resources, and the timestamps of conditions.
//! https://kubernetes.io/docs/reference/kubectl/#output-options
//!
//! Each kind's function gives every object of one namespace (every namespace when `None`),
//! by name, in the order of its table's rows; [`crate::yaml`] prints them.

use std::net::Ipv4Addr;

use netsim::build::{ClusterNode, ClusterPod, ClusterService, ServiceEndpoint};
use netsim::scenario::{
    ClusterIpSpec, DnsPolicy, Ingress, IngressBackend, LabelSelector, Labels, NetworkPolicy, PathType,
    PodPhase, PolicyPeer, PolicyRule, PortRef, SelectorOperator, ServiceType, SessionAffinity, TrafficPolicy,
};

use crate::cluster::{Kubectl, KUBE_VERSION};
use crate::yaml::{Map, Yaml};

/// An object of some kind, by name.
pub(crate) type Named = (String, Yaml);

pub(crate) fn services(k: Kubectl<'_>, ns: Option<&str>) -> Vec<Named> {
    k.services_in(ns).map(|s| (s.name().to_string(), service(s))).collect()
}

pub(crate) fn pods(k: Kubectl<'_>, ns: Option<&str>) -> Vec<Named> {
    k.0.pods
        .iter()
        .filter(|p| ns.is_none_or(|n| p.namespace == n))
        .map(|p| (p.name.clone(), pod(k, p)))
        .collect()
}

pub(crate) fn endpoints(k: Kubectl<'_>, ns: Option<&str>) -> Vec<Named> {
    k.with_endpoints(ns).map(|s| (s.name().to_string(), endpoints_object(s))).collect()
}

pub(crate) fn endpoint_slices(k: Kubectl<'_>, ns: Option<&str>) -> Vec<Named> {
    k.with_endpoints(ns).flat_map(endpoint_slices_of).collect()
}

pub(crate) fn ingresses(k: Kubectl<'_>, ns: Option<&str>) -> Vec<Named> {
    k.0.ingresses
        .iter()
        .filter(|i| ns.is_none_or(|n| i.namespace == n))
        .map(|i| (i.name.clone(), ingress(k, i)))
        .collect()
}

pub(crate) fn network_policies(k: Kubectl<'_>, ns: Option<&str>) -> Vec<Named> {
    k.0.network_policies()
        .iter()
        .filter(|p| ns.is_none_or(|n| p.namespace == n))
        .map(|p| (p.name.clone(), network_policy(p)))
        .collect()
}

/// The first node is the control plane, as `kubectl get nodes` shows its role.
pub(crate) fn nodes(k: Kubectl<'_>, _ns: Option<&str>) -> Vec<Named> {
    k.0.nodes.iter().enumerate().map(|(i, n)| (n.name.clone(), node(n, i == 0))).collect()
}

/// What `kubectl get` prints for several objects.
pub(crate) fn list(items: Vec<Yaml>) -> Yaml {
    Map::new()
        .with("apiVersion", "v1")
        .with("items", items)
        .with("kind", "List")
        .with("metadata", Map::new().with("resourceVersion", ""))
        .into()
}

fn pod(k: Kubectl<'_>, p: &ClusterPod) -> Yaml {
    let owner = p.owner.as_ref().map(|o| {
        // A Deployment's pods belong to its ReplicaSet, `<name>-<pod-template-hash>`; a
        // CronJob's to its Job, whose name the `job-name` label carries.
        let (kind, name) = match (o.kind, p.spec.labels.get("pod-template-hash")) {
            ("Deployment", Some(hash)) => ("ReplicaSet", format!("{}-{hash}", o.name)),
            ("CronJob", _) => {
                ("Job", p.spec.labels.get("job-name").cloned().unwrap_or_else(|| o.name.clone()))
            }
            (kind, _) => (kind, o.name.clone()),
        };
        let api_version = match kind {
            "ReplicationController" => "v1",
            "Job" => "batch/v1",
            _ => "apps/v1",
        };
        vec![Yaml::from(
            Map::new()
                .with("apiVersion", api_version)
                .with("blockOwnerDeletion", true)
                .with("controller", true)
                .with("kind", kind)
                .with("name", name),
        )]
    });
    let metadata = metadata(&p.name, Some(&p.namespace), &p.spec.labels, &p.spec.annotations)
        .maybe("ownerReferences", owner);
    let containers: Vec<Yaml> = p
        .spec
        .containers
        .iter()
        .map(|c| {
            let ports = c
                .ports
                .iter()
                .map(|cp| {
                    Map::new()
                        .with("containerPort", cp.container_port)
                        .maybe("hostPort", cp.host_port)
                        .maybe("name", cp.name.as_deref())
                        .with("protocol", cp.protocol.as_str())
                        .into()
                })
                .collect();
            Map::new().with("name", c.name.as_str()).list("ports", ports).into()
        })
        .collect();
    let dns_config = p.spec.dns_config.as_ref().map(|d| {
        let options = d
            .options
            .iter()
            .map(|(name, value)| Map::new().with("name", name).maybe("value", value.as_deref()).into())
            .collect();
        Map::new()
            .list("nameservers", d.nameservers.iter().map(|ip| Yaml::from(*ip)).collect())
            .list("options", options)
            .list("searches", d.searches.iter().map(Yaml::from).collect())
    });
    let dns_policy = match p.spec.dns_policy {
        DnsPolicy::ClusterFirst => "ClusterFirst",
        DnsPolicy::ClusterFirstWithHostNet => "ClusterFirstWithHostNet",
        DnsPolicy::Default => "Default",
        DnsPolicy::None => "None",
    };
    let spec = Map::new()
        .with("containers", containers)
        .maybe("dnsConfig", dns_config)
        .with("dnsPolicy", dns_policy)
        .with("enableServiceLinks", !p.spec.no_service_links)
        .maybe("hostNetwork", p.spec.host_network.then_some(true))
        .maybe("hostname", p.spec.hostname.as_deref())
        .maybe("nodeName", p.node.as_deref())
        .strings("nodeSelector", &p.spec.node_selector)
        .maybe("subdomain", p.spec.subdomain.as_deref());

    let running = p.node.is_some() && p.ip.is_some();
    let pod_ip = p.ip.filter(|_| running);
    let host_ip = p.node.as_deref().and_then(|n| k.0.node(n)).map(|n| n.ip);
    let ips = |ip: Option<Ipv4Addr>| ip.map(|ip| vec![Map::new().with("ip", ip).into()]).unwrap_or_default();
    // Only the conditions the model knows: Ready and PodScheduled.
    let conditions: Vec<Yaml> = if p.node.is_some() {
        let ready = if p.ready && running { "True" } else { "False" };
        vec![
            Map::new().with("status", ready).with("type", "Ready").into(),
            Map::new().with("status", "True").with("type", "PodScheduled").into(),
        ]
    } else {
        vec![Map::new()
            .with("reason", "Unschedulable")
            .with("status", "False")
            .with("type", "PodScheduled")
            .into()]
    };
    let status = Map::new()
        .with("conditions", conditions)
        .maybe("hostIP", host_ip)
        .list("hostIPs", ips(host_ip))
        .with("phase", p.phase.map_or(if running { "Running" } else { "Pending" }, PodPhase::as_str))
        .maybe("podIP", pod_ip)
        .list("podIPs", ips(pod_ip));
    object("v1", "Pod", metadata).with("spec", spec).with("status", status).into()
}

fn ingress(k: Kubectl<'_>, i: &Ingress) -> Yaml {
    let backend = |b: &IngressBackend| -> Yaml {
        match b {
            IngressBackend::Service { name, port } => {
                let port = match port {
                    PortRef::Number(n) => Map::new().with("number", *n),
                    PortRef::Name(n) => Map::new().with("name", n),
                };
                Map::new().with("service", Map::new().with("name", name).with("port", port)).into()
            }
            IngressBackend::Resource { kind, name } => {
                Map::new().with("resource", Map::new().with("kind", kind).with("name", name)).into()
            }
        }
    };
    let rules = i
        .rules
        .iter()
        .map(|r| {
            let paths: Vec<Yaml> = r
                .paths
                .iter()
                .map(|p| {
                    let path_type = match p.path_type {
                        PathType::Exact => "Exact",
                        PathType::Prefix => "Prefix",
                        PathType::ImplementationSpecific => "ImplementationSpecific",
                    };
                    Map::new()
                        .with("backend", backend(&p.backend))
                        .maybe("path", p.path.as_deref())
                        .with("pathType", path_type)
                        .into()
                })
                .collect();
            let http = (!paths.is_empty()).then(|| Map::new().with("paths", paths));
            Map::new().maybe("host", r.host.as_deref()).maybe("http", http).into()
        })
        .collect();
    let tls = i
        .tls
        .iter()
        .map(|t| {
            Map::new()
                .list("hosts", t.hosts.iter().map(Yaml::from).collect())
                .maybe("secretName", t.secret_name.as_deref())
                .into()
        })
        .collect();
    let spec = Map::new()
        .maybe("defaultBackend", i.default_backend.as_ref().map(backend))
        .maybe("ingressClassName", i.class_name.as_deref())
        .list("rules", rules)
        .list("tls", tls);
    // The controller writes its Service's address into the Ingresses it serves.
    let lb = match k.ingress_address(i) {
        Some(ip) => Map::new().with("ingress", vec![Map::new().with("ip", ip).into()]),
        None => Map::new(),
    };
    object(
        "networking.k8s.io/v1",
        "Ingress",
        metadata(&i.name, Some(&i.namespace), &Labels::new(), &i.annotations),
    )
    .with("spec", spec)
    .with("status", Map::new().with("loadBalancer", lb))
    .into()
}

/// `apiVersion`, `kind` and `metadata`, the start of every object.
pub(crate) fn object(api_version: &str, kind: &str, metadata: Map) -> Map {
    Map::new().with("apiVersion", api_version).with("kind", kind).with("metadata", metadata)
}

pub(crate) fn metadata(name: &str, namespace: Option<&str>, labels: &Labels, annotations: &Labels) -> Map {
    Map::new()
        .strings("annotations", annotations)
        .strings("labels", labels)
        .with("name", name)
        .maybe("namespace", namespace)
}

fn port_ref(p: &PortRef) -> Yaml {
    match p {
        PortRef::Number(n) => Yaml::from(*n),
        PortRef::Name(n) => Yaml::from(n),
    }
}

pub(crate) fn selector_yaml(sel: &LabelSelector) -> Yaml {
    let expressions = sel
        .match_expressions
        .iter()
        .map(|r| {
            let operator = match r.operator {
                SelectorOperator::In => "In",
                SelectorOperator::NotIn => "NotIn",
                SelectorOperator::Exists => "Exists",
                SelectorOperator::DoesNotExist => "DoesNotExist",
            };
            Map::new()
                .with("key", &r.key)
                .with("operator", operator)
                .list("values", r.values.iter().map(Yaml::from).collect())
                .into()
        })
        .collect();
    Map::new().list("matchExpressions", expressions).strings("matchLabels", &sel.match_labels).into()
}

fn traffic_policy(p: TrafficPolicy) -> &'static str {
    match p {
        TrafficPolicy::Cluster => "Cluster",
        TrafficPolicy::Local => "Local",
    }
}

/// A Service with what the API server and controllers filled in.
/// https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/
fn service(s: &ClusterService) -> Yaml {
    let spec = &s.spec;
    let external_name = spec.service_type == ServiceType::ExternalName;
    let cluster_ip = match (spec.cluster_ip, s.cluster_ip) {
        _ if external_name => None,
        (ClusterIpSpec::Headless, _) => Some("None".to_string()),
        (_, ip) => ip.map(|ip| ip.to_string()),
    };
    let ports = spec
        .ports
        .iter()
        .map(|p| {
            Map::new()
                .maybe("appProtocol", p.app_protocol.as_deref())
                .maybe("name", p.name.as_deref().filter(|n| !n.is_empty()))
                .maybe("nodePort", p.node_port)
                .with("port", p.port)
                .with("protocol", p.protocol.as_str())
                .with("targetPort", port_ref(&p.target_port))
                .into()
        })
        .collect();
    let mut out = Map::new()
        .maybe("clusterIP", cluster_ip.as_deref())
        .list("clusterIPs", cluster_ip.iter().map(Yaml::from).collect())
        .list("externalIPs", spec.external_ips.iter().map(|ip| Yaml::from(*ip)).collect())
        .maybe("externalName", spec.external_name.as_deref().filter(|_| external_name))
        .list(
            "loadBalancerSourceRanges",
            spec.load_balancer_source_ranges.iter().map(|c| c.to_string().into()).collect(),
        )
        .list("ports", ports)
        .maybe("publishNotReadyAddresses", spec.publish_not_ready_addresses.then_some(true))
        .maybe("selector", spec.selector.as_ref().filter(|sel| !sel.is_empty()))
        .maybe("trafficDistribution", spec.traffic_distribution.map(|t| t.as_str()))
        .with("type", spec.service_type.as_str());
    if !external_name {
        out = out
            .with("internalTrafficPolicy", traffic_policy(spec.internal_traffic_policy))
            .with("ipFamilies", vec![Yaml::from("IPv4")])
            .with("ipFamilyPolicy", "SingleStack");
    }
    // Defaulted to Cluster for the types with nodePorts; kept as written on a ClusterIP
    // Service with externalIPs (validateServiceExternalTrafficPolicy in the API server's
    // pkg/apis/core/validation), where the model holds Local only when it was written.
    if s.has_node_ports() || spec.external_traffic_policy == TrafficPolicy::Local {
        out = out.with("externalTrafficPolicy", traffic_policy(spec.external_traffic_policy));
    }
    if spec.service_type == ServiceType::LoadBalancer {
        // As written, else the API server's default, true.
        let allocate = spec.allocate_load_balancer_node_ports.unwrap_or(true);
        out = out.with("allocateLoadBalancerNodePorts", allocate);
    }
    out = match spec.session_affinity {
        SessionAffinity::None => out.with("sessionAffinity", "None"),
        SessionAffinity::ClientIp { timeout_seconds } => out.with("sessionAffinity", "ClientIP").with(
            "sessionAffinityConfig",
            Map::new().with("clientIP", Map::new().with("timeoutSeconds", timeout_seconds)),
        ),
    };
    // The API server defaults ipMode to VIP (KEP-1860).
    let lb = match s.load_balancer_ip {
        Some(ip) => Map::new().with("ingress", vec![Map::new().with("ip", ip).with("ipMode", "VIP").into()]),
        None => Map::new(),
    };
    object("v1", "Service", metadata(s.name(), Some(s.namespace()), &spec.labels, &spec.annotations))
        .with("spec", out)
        .with("status", Map::new().with("loadBalancer", lb))
        .into()
}

/// Whether the EndpointSlice controller manages the Service's endpoints (it has a selector).
fn controller_managed(s: &ClusterService) -> bool {
    s.spec.selector.as_ref().is_some_and(|sel| !sel.is_empty())
}

/// The labels the endpoints controllers copy from the Service, plus their own.
fn endpoints_labels(s: &ClusterService) -> Labels {
    let mut labels = s.spec.labels.clone();
    if s.is_headless() {
        labels.insert("service.kubernetes.io/headless".into(), String::new());
    }
    labels
}

/// The Service ports `address` serves, as (name, port, protocol, appProtocol).
fn served_ports(
    s: &ClusterService,
    address: &ServiceEndpoint,
) -> Vec<(Option<String>, u16, &'static str, Option<String>)> {
    s.spec
        .ports
        .iter()
        .zip(&s.ports)
        .filter_map(|(sp, pe)| {
            let e = pe.endpoints.iter().find(|e| e.ip == address.ip)?;
            Some((
                pe.name.clone().filter(|n| !n.is_empty()),
                e.port,
                sp.protocol.as_str(),
                sp.app_protocol.clone(),
            ))
        })
        .collect()
}

fn target_ref(e: &ServiceEndpoint) -> Option<Map> {
    let (namespace, name) = e.pod.as_deref()?.split_once('/')?;
    Some(Map::new().with("kind", "Pod").with("name", name).with("namespace", namespace))
}

/// The legacy `Endpoints` object: one subset per set of resolved ports, addresses sorted as
/// the API server sorts them (as strings). Pods shutting down are left out unless the
/// Service publishes not-ready addresses, as the Endpoints controller leaves them out
/// (`ShouldPodBeInEndpoints(pod, service.Spec.PublishNotReadyAddresses)` in
/// kubernetes/pkg/controller/endpoint/endpoints_controller.go): Endpoints has no
/// `terminating` condition to say it.
/// https://kubernetes.io/docs/reference/kubernetes-api/service-resources/endpoints-v1/
fn endpoints_object(s: &ClusterService) -> Yaml {
    let subsets = s
        .endpoint_slices()
        .into_iter()
        .filter_map(|(_, _, mut addresses)| {
            addresses.retain(|e| !e.terminating || s.spec.publish_not_ready_addresses);
            let ports = served_ports(s, addresses.first()?)
                .into_iter()
                .map(|(name, port, protocol, app)| {
                    Map::new()
                        .maybe("appProtocol", app)
                        .maybe("name", name)
                        .with("port", port)
                        .with("protocol", protocol)
                        .into()
                })
                .collect();
            sorted::sort_by_key(&mut addresses, |e| e.ip.to_string());
            let address = |e: &&ServiceEndpoint| -> Yaml {
                Map::new()
                    .maybe("hostname", e.hostname.as_deref())
                    .with("ip", e.ip)
                    .maybe("nodeName", e.node.as_deref().filter(|_| e.pod.is_some()))
                    .maybe("targetRef", target_ref(e))
                    .into()
            };
            let (ready, not_ready): (Vec<&ServiceEndpoint>, Vec<&ServiceEndpoint>) =
                addresses.iter().partition(|e| e.ready);
            Some(Yaml::from(
                Map::new()
                    .list("addresses", ready.iter().map(address).collect())
                    .list("notReadyAddresses", not_ready.iter().map(address).collect())
                    .list("ports", ports),
            ))
        })
        .collect();
    object("v1", "Endpoints", metadata(s.name(), Some(s.namespace()), &endpoints_labels(s), &Labels::new()))
        .list("subsets", subsets)
        .into()
}

/// The Service's EndpointSlices, named as `kubectl get endpointslices` names them.
/// https://kubernetes.io/docs/reference/kubernetes-api/service-resources/endpoint-slice-v1/
fn endpoint_slices_of(s: &ClusterService) -> Vec<Named> {
    let managed = controller_managed(s);
    s.endpoint_slices()
        .into_iter()
        .map(|(name, _, addresses)| {
            let endpoints: Vec<Yaml> = addresses
                .iter()
                .map(|e| {
                    // ready also counts publishNotReadyAddresses; serving is the pod's readiness,
                    // terminating or not.
                    let conditions = Map::new()
                        .with("ready", e.ready)
                        .with("serving", e.serving)
                        .with("terminating", e.terminating);
                    Map::new()
                        .with("addresses", vec![Yaml::from(e.ip)])
                        .with("conditions", conditions)
                        .maybe("hostname", e.hostname.as_deref())
                        .maybe("nodeName", e.node.as_deref().filter(|_| e.pod.is_some()))
                        .maybe("targetRef", target_ref(e))
                        .into()
                })
                .collect();
            // The controller always names a port, "" when the Service port has no name.
            let ports: Vec<Yaml> = addresses
                .first()
                .map(|a| served_ports(s, a))
                .unwrap_or_default()
                .into_iter()
                .map(|(port_name, port, protocol, app)| {
                    Map::new()
                        .maybe("appProtocol", app)
                        .with("name", port_name.unwrap_or_default())
                        .with("port", port)
                        .with("protocol", protocol)
                        .into()
                })
                .collect();
            let mut labels = endpoints_labels(s);
            labels.insert("kubernetes.io/service-name".into(), s.name().to_string());
            let mut meta = metadata(&name, Some(s.namespace()), &Labels::new(), &Labels::new());
            if managed {
                labels.insert(
                    "endpointslice.kubernetes.io/managed-by".into(),
                    "endpointslice-controller.k8s.io".into(),
                );
                let owner = Map::new()
                    .with("apiVersion", "v1")
                    .with("blockOwnerDeletion", true)
                    .with("controller", true)
                    .with("kind", "Service")
                    .with("name", s.name());
                meta = meta
                    .with("generateName", format!("{}-", s.name()))
                    .with("ownerReferences", vec![Yaml::from(owner)]);
            }
            // `endpoints` and `ports` have no omitempty: an empty slice says `null`.
            let null_if_empty =
                |items: Vec<Yaml>| if items.is_empty() { Yaml::Null } else { Yaml::List(items) };
            let slice = Map::new()
                .with("addressType", "IPv4")
                .with("apiVersion", "discovery.k8s.io/v1")
                .with("endpoints", null_if_empty(endpoints))
                .with("kind", "EndpointSlice")
                .with("metadata", meta.strings("labels", &labels))
                .with("ports", null_if_empty(ports));
            (name, slice.into())
        })
        .collect()
}

/// https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
fn network_policy(p: &NetworkPolicy) -> Yaml {
    let rules = |rules: &[PolicyRule], peers_key: &str| -> Vec<Yaml> {
        rules
            .iter()
            .map(|r| {
                let peers = r
                    .peers
                    .iter()
                    .map(|peer| match peer {
                        PolicyPeer::Pods { pod_selector, namespace_selector } => Map::new()
                            .maybe("namespaceSelector", namespace_selector.as_ref().map(selector_yaml))
                            .maybe("podSelector", pod_selector.as_ref().map(selector_yaml))
                            .into(),
                        PolicyPeer::IpBlock { cidr, except } => Map::new()
                            .with(
                                "ipBlock",
                                Map::new()
                                    .with("cidr", cidr.to_string())
                                    .list("except", except.iter().map(|c| c.to_string().into()).collect()),
                            )
                            .into(),
                    })
                    .collect();
                let ports = r
                    .ports
                    .iter()
                    .map(|pp| {
                        Map::new()
                            .maybe("endPort", pp.end_port)
                            .maybe("port", pp.port.as_ref().map(port_ref))
                            .with("protocol", pp.protocol.as_str())
                            .into()
                    })
                    .collect();
                Map::new().list(peers_key, peers).list("ports", ports).into()
            })
            .collect()
    };
    let types: Vec<Yaml> = p.policy_types.iter().map(|t| t.as_str().into()).collect();
    let spec = Map::new()
        .list("egress", rules(&p.egress, "to"))
        .list("ingress", rules(&p.ingress, "from"))
        .with("podSelector", selector_yaml(&p.pod_selector))
        .with("policyTypes", types);
    object(
        "networking.k8s.io/v1",
        "NetworkPolicy",
        metadata(&p.name, Some(&p.namespace), &Labels::new(), &Labels::new()),
    )
    .with("spec", spec)
    .into()
}

/// A Node: its labels (the control plane's role label on the first), pod CIDR, addresses.
fn node(n: &ClusterNode, control_plane: bool) -> Yaml {
    let mut labels = n.labels.clone();
    if control_plane {
        labels.insert("node-role.kubernetes.io/control-plane".into(), String::new());
    }
    let spec = Map::new()
        .with("podCIDR", n.pod_cidr.to_string())
        .with("podCIDRs", vec![Yaml::from(n.pod_cidr.to_string())]);
    let addresses = vec![
        Map::new().with("address", n.ip).with("type", "InternalIP").into(),
        Map::new().with("address", &n.name).with("type", "Hostname").into(),
    ];
    let ready = Map::new()
        .with("message", "kubelet is posting ready status")
        .with("reason", "KubeletReady")
        .with("status", "True")
        .with("type", "Ready");
    let status = Map::new()
        .with("addresses", addresses)
        .with("conditions", vec![Yaml::from(ready)])
        .with("nodeInfo", Map::new().with("kubeletVersion", KUBE_VERSION));
    object("v1", "Node", metadata(&n.name, None, &labels, &Labels::new()))
        .with("spec", spec)
        .with("status", status)
        .into()
}
