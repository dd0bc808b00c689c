//! `Cluster::build`: the deterministic cluster that a Scenario and a Topology describe.
//!
//! What the API server and controllers would do is done here, once: namespaces exist,
//! workloads expand into pods, pods are scheduled and get IPs, Services get ClusterIPs,
//! NodePorts and LoadBalancer addresses, and the EndpointSlice controller fills in
//! endpoints. Allocation is deterministic:
//! - pods are scheduled round-robin over the eligible nodes in (namespace, name) order;
//!   pod IPs count up from `.2` of the node's pod CIDR;
//! - ClusterIPs: a hash of `namespace/name` picks a start in the service CIDR, then linear
//!   probing skips `.0`, `.1` (kubernetes), `.10` (kube-dns) and taken addresses, so adding
//!   a Service never moves another one;
//! - NodePorts: the same scheme over `--service-node-port-range`;
//! - LoadBalancer addresses: in (namespace, name) order from the start of the pool.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use crate::addons::{addon_pods, built_in_services, ingress_classes, NAMESPACE as INGRESS_NAMESPACE};
use crate::hash::{cut, fnv64, generated_name, name_suffix, pod_template_hash, uid};
use crate::policy::{NetworkPolicies, PolicyOptions, PolicyPod};
use crate::scenario::*;
use crate::topology::Topology;

/// Something the build noticed: a value it could not honour, a pending address, a clash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// A stable code, e.g. `load-balancer-pending`.
    pub code: &'static str,
    pub message: String,
    pub object: ObjectRef,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClusterNode {
    pub name: String,
    pub ip: Ipv4Addr,
    pub pod_cidr: Cidr,
    pub labels: Labels,
    pub source: Option<Source>,
}

/// The label that names a node's zone.
/// https://kubernetes.io/docs/reference/labels-annotations-taints/#topologykubernetesiozone
pub const ZONE_LABEL: &str = "topology.kubernetes.io/zone";

impl ClusterNode {
    /// Its zone (`topology.kubernetes.io/zone`), when labelled.
    pub fn zone(&self) -> Option<&str> {
        self.labels.get(ZONE_LABEL).map(String::as_str)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClusterNamespace {
    pub name: String,
    pub labels: Labels,
    pub source: Option<Source>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClusterPod {
    pub name: String,
    pub namespace: String,
    pub spec: PodSpec,
    /// `None` when no node fits (the pod stays Pending).
    pub node: Option<String>,
    pub ip: Option<Ipv4Addr>,
    pub ready: bool,
    /// `metadata.deletionTimestamp` is set: the pod is shutting down.
    pub terminating: bool,
    /// `status.phase` as given (`None` for the pods the model creates, which run).
    pub phase: Option<PodPhase>,
    /// The workload that created the pod.
    pub owner: Option<ObjectRef>,
    /// The YAML of the pod or of its workload.
    pub source: Option<Source>,
    /// Created by the cluster itself (CoreDNS).
    pub built_in: bool,
}

impl ClusterPod {
    pub fn object(&self) -> ObjectRef {
        ObjectRef::new("Pod", &self.namespace, &self.name, self.source.clone())
    }

    /// The topology id, `pod/<ns>/<name>`.
    pub fn id(&self) -> String {
        format!("pod/{}/{}", self.namespace, self.name)
    }

    /// Whether some container declares `port`/`protocol` (the model's listening rule).
    pub fn declares(&self, port: u16, protocol: Protocol) -> Option<&ContainerPort> {
        self.spec
            .containers
            .iter()
            .flat_map(|c| c.ports.iter())
            .find(|p| p.container_port == port && p.protocol == protocol)
    }

    /// The container port named `name` with `protocol` (how kubelet resolves named targetPorts).
    pub fn named_port(&self, name: &str, protocol: Protocol) -> Option<&ContainerPort> {
        self.spec
            .containers
            .iter()
            .flat_map(|c| c.ports.iter())
            .find(|p| p.name.as_deref() == Some(name) && p.protocol == protocol)
    }

    /// The pod's hostname: `spec.hostname`, else its name.
    pub fn hostname(&self) -> &str {
        self.spec.hostname.as_deref().unwrap_or(&self.name)
    }
}

/// One address of a Service's EndpointSlices, for one Service port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceEndpoint {
    pub ip: Ipv4Addr,
    /// The resolved target port (0 in `ClusterService::addresses`, which carry no port).
    pub port: u16,
    /// `conditions.ready` as the EndpointSlice controller publishes it (true for every
    /// pod when `publishNotReadyAddresses`).
    pub ready: bool,
    /// The pod's own readiness (what `kubectl get pods` shows).
    pub pod_ready: bool,
    /// `conditions.serving`: the pod is ready, whether or not it is terminating.
    pub serving: bool,
    /// `conditions.terminating`: the pod is shutting down.
    pub terminating: bool,
    /// The zone of its node (`zone` in the EndpointSlice).
    pub zone: Option<String>,
    /// `hints.forZones` and `hints.forNodes`, as the EndpointSlice controller writes them for
    /// a Service's trafficDistribution.
    pub for_zones: Vec<String>,
    pub for_nodes: Vec<String>,
    pub node: Option<String>,
    /// `namespace/name` of the backing pod, when there is one.
    pub pod: Option<String>,
    /// The DNS hostname of the endpoint (pod hostname when its subdomain names the Service).
    pub hostname: Option<String>,
    pub source: Option<Source>,
}

/// The endpoints of one Service port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortEndpoints {
    pub name: Option<String>,
    pub port: u16,
    pub protocol: Protocol,
    pub endpoints: Vec<ServiceEndpoint>,
    /// Pods that the selector matched but that lack the named targetPort.
    pub unresolved: Vec<String>,
}

impl PortEndpoints {
    /// The endpoints kube-proxy routes to from anywhere (the Cluster traffic policy): see
    /// [`PortEndpoints::usable`].
    pub fn routable(&self) -> Vec<&ServiceEndpoint> {
        self.usable(None)
    }

    /// The endpoints kube-proxy uses: the ready ones, or, when none is ready, the serving
    /// ones that are terminating, so that connections keep working while pods shut down
    /// (KEP-1669). With `node`, the Local traffic policy's: that node's ready endpoints, else
    /// that node's serving and terminating ones. Source: kubernetes/kubernetes
    /// pkg/proxy/topology.go, `CategorizeEndpoints`.
    /// The endpoints kube-proxy on `node` (in `zone`) uses under the Cluster traffic policy: the
    /// ready ones narrowed by their hints, then as [`PortEndpoints::usable`]. Narrowing
    /// (pkg/proxy/topology.go, `topologyModeFromHints`): when every ready endpoint has node
    /// hints and one names this node, those naming it; else when every ready endpoint has zone
    /// hints and one names this node's zone, those naming it; else all of them.
    pub fn cluster_endpoints(
        &self,
        node: &str,
        zone: Option<&str>,
    ) -> (Vec<&ServiceEndpoint>, Option<Narrowed>) {
        let ready: Vec<&ServiceEndpoint> = self.endpoints.iter().filter(|e| e.ready).collect();
        let every = |f: fn(&ServiceEndpoint) -> &Vec<String>| ready.iter().all(|e| !f(e).is_empty());
        let naming = |f: fn(&ServiceEndpoint) -> &Vec<String>, name: &str| -> Vec<&ServiceEndpoint> {
            ready.iter().copied().filter(|e| f(e).iter().any(|n| n == name)).collect()
        };
        if !ready.is_empty() && every(|e| &e.for_nodes) {
            let here = naming(|e| &e.for_nodes, node);
            if !here.is_empty() {
                return (here, Some(Narrowed::SameNode(node.to_string())));
            }
        }
        if let Some(zone) = zone.filter(|_| !ready.is_empty() && every(|e| &e.for_zones)) {
            let here = naming(|e| &e.for_zones, zone);
            if !here.is_empty() {
                return (here, Some(Narrowed::SameZone(zone.to_string())));
            }
        }
        (self.usable(None), None)
    }

    pub fn usable(&self, node: Option<&str>) -> Vec<&ServiceEndpoint> {
        let here = |e: &&ServiceEndpoint| node.is_none() || e.node.as_deref() == node;
        let ready: Vec<&ServiceEndpoint> = self.endpoints.iter().filter(here).filter(|e| e.ready).collect();
        if !ready.is_empty() {
            return ready;
        }
        self.endpoints.iter().filter(here).filter(|e| e.serving && e.terminating).collect()
    }
}

/// How kube-proxy narrowed a Service's endpoints by their hints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Narrowed {
    /// To the endpoints hinted for this node (PreferSameNode).
    SameNode(String),
    /// To the endpoints hinted for this node's zone (PreferSameZone, PreferClose).
    SameZone(String),
}

impl Narrowed {
    /// Half a sentence: which endpoints are kept, and why.
    pub fn words(&self, kept: usize, of: usize) -> String {
        match self {
            Narrowed::SameNode(n) => {
                format!("the Service prefers the same node: {kept} of {of} endpoints, those on {n}")
            }
            Narrowed::SameZone(z) => {
                format!("the Service prefers the same zone: {kept} of {of} endpoints, those in {z}")
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClusterService {
    /// The Service as written, with allocated `nodePort`s filled in.
    pub spec: Service,
    /// `None` for headless and ExternalName Services (and when the CIDR is full).
    pub cluster_ip: Option<Ipv4Addr>,
    /// The LoadBalancer address; `None` while pending (or for other types).
    pub load_balancer_ip: Option<Ipv4Addr>,
    /// One entry per `spec.ports`, in the same order.
    pub ports: Vec<PortEndpoints>,
    /// Every selected address regardless of ports (headless DNS uses these).
    pub addresses: Vec<ServiceEndpoint>,
    pub built_in: bool,
}

impl ClusterService {
    pub fn name(&self) -> &str {
        &self.spec.name
    }
    pub fn namespace(&self) -> &str {
        &self.spec.namespace
    }
    pub fn object(&self) -> ObjectRef {
        ObjectRef::new("Service", &self.spec.namespace, &self.spec.name, self.spec.source.clone())
    }
    pub fn id(&self) -> String {
        format!("svc/{}/{}", self.spec.namespace, self.spec.name)
    }
    pub fn is_headless(&self) -> bool {
        self.spec.cluster_ip == ClusterIpSpec::Headless && self.spec.service_type != ServiceType::ExternalName
    }
    /// The index and endpoints of the Service port `port`/`protocol`.
    pub fn port(&self, port: u16, protocol: Protocol) -> Option<(usize, &ServicePort, &PortEndpoints)> {
        self.port_where(|sp| sp.port == port && sp.protocol == protocol)
    }
    /// The Service port whose nodePort is `node_port`.
    pub fn node_port(
        &self,
        node_port: u16,
        protocol: Protocol,
    ) -> Option<(usize, &ServicePort, &PortEndpoints)> {
        self.port_where(|sp| sp.node_port == Some(node_port) && sp.protocol == protocol)
    }
    /// The first Service port that `matches`, with its index and endpoints.
    fn port_where(
        &self,
        matches: impl Fn(&ServicePort) -> bool,
    ) -> Option<(usize, &ServicePort, &PortEndpoints)> {
        let mut ports = self.spec.ports.iter().zip(&self.ports).enumerate();
        ports.find(|(_, (sp, _))| matches(sp)).map(|(i, (sp, pe))| (i, sp, pe))
    }
    /// `ns/name:port-name`, as kube-proxy names a Service port (`ns/name` when unnamed).
    pub fn port_name(&self, index: usize) -> String {
        match self.spec.ports.get(index).and_then(|p| p.name.as_deref()) {
            Some(n) if !n.is_empty() => format!("{}/{}:{}", self.spec.namespace, self.spec.name, n),
            _ => format!("{}/{}", self.spec.namespace, self.spec.name),
        }
    }
    /// Whether the Service has NodePorts (NodePort and LoadBalancer types).
    pub fn has_node_ports(&self) -> bool {
        matches!(self.spec.service_type, ServiceType::NodePort | ServiceType::LoadBalancer)
    }
}

/// The built-in Gateway controller's data plane (`gateway::dataplane`): a proxy pod and a
/// LoadBalancer Service per Gateway it serves, plugged in with the Gateway API's code
/// (`gateway::plug`).
pub struct DataPlane {
    pub(crate) pods: fn(&Scenario) -> Vec<crate::gateway::dataplane::ProxyPod>,
    pub(crate) services: fn(&Scenario) -> Vec<Service>,
}

pub(crate) static DATA_PLANE: crate::socket::Socket<DataPlane> = crate::socket::Socket::new();

#[cfg(feature = "gateway-api")]
pub(crate) static DIRECT_DATA_PLANE: DataPlane =
    DataPlane { pods: crate::gateway::dataplane::pods, services: crate::gateway::dataplane::services };

fn data_plane() -> Option<&'static DataPlane> {
    crate::plugged!(DATA_PLANE, &DIRECT_DATA_PLANE)
}

/// The built cluster: plain data plus the questions it answers (`dns`, `send`, views).
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    pub topology: Topology,
    pub nodes: Vec<ClusterNode>,
    /// Sorted by name.
    pub namespaces: Vec<ClusterNamespace>,
    /// Sorted by (namespace, name).
    pub pods: Vec<ClusterPod>,
    /// Sorted by (namespace, name).
    pub services: Vec<ClusterService>,
    /// The scenario's NetworkPolicies applied to `pods` (pod `i` of `pods` is
    /// [`crate::policy::Endpoint::Pod`]`(i)`), consulted on every hop that reaches a pod.
    pub policy: NetworkPolicies,
    /// In file (creation) order, for the Ingress controller.
    pub ingresses: Vec<Ingress>,
    /// The scenario's IngressClasses, then the built-in `nginx` one (unless the scenario
    /// declares its own `nginx`).
    pub ingress_classes: Vec<IngressClass>,
    /// The Gateway API objects, for the built-in Gateway controller.
    pub gateway_api: crate::gateway::types::GatewayApi,
    pub notes: Vec<Note>,
}

/// NetworkPolicy's view of the cluster: namespaces with their labels and every pod (a pod
/// without an address takes part in no connection).
pub(crate) fn build_policy(
    namespaces: &[ClusterNamespace],
    pods: &[ClusterPod],
    policies: &[NetworkPolicy],
    cluster: &[ClusterNetworkPolicy],
) -> NetworkPolicies {
    let namespaces: Vec<(String, Labels)> =
        namespaces.iter().map(|n| (n.name.clone(), n.labels.clone())).collect();
    let pods = pods
        .iter()
        .map(|p| PolicyPod {
            namespace: p.namespace.clone(),
            name: p.name.clone(),
            labels: p.spec.labels.clone(),
            ip: p.ip,
            ports: p.spec.containers.iter().flat_map(|c| c.ports.iter().cloned()).collect(),
            host_network: p.spec.host_network,
        })
        .collect();
    NetworkPolicies::new(&namespaces, pods, policies.to_vec(), PolicyOptions::default())
        .with_cluster_policies(cluster.to_vec())
}

const SYSTEM_NAMESPACES: [&str; 4] = ["default", "kube-node-lease", "kube-public", "kube-system"];

impl Cluster {
    pub fn build(scenario: &Scenario, topology: &Topology) -> Cluster {
        let mut notes = Vec::new();
        let nodes = build_nodes(scenario, topology, &mut notes);
        let mut namespaces = build_namespaces(scenario);
        if topology.ingress_controller && !namespaces.iter().any(|n| n.name == INGRESS_NAMESPACE) {
            let name = INGRESS_NAMESPACE.to_string();
            let mut labels = Labels::new();
            labels.insert("kubernetes.io/metadata.name".into(), name.clone());
            namespaces.push(ClusterNamespace { name, labels, source: None });
            sorted::sort_by(&mut namespaces, |a, b| a.name.cmp(&b.name));
        }
        let pods = build_pods(scenario, topology.ingress_controller, &nodes, &mut notes);
        let services = build_services(scenario, topology, &nodes, &pods, &mut notes);
        let policy =
            build_policy(&namespaces, &pods, &scenario.network_policies, &scenario.cluster_network_policies);
        Cluster {
            topology: topology.clone(),
            nodes,
            namespaces,
            pods,
            services,
            policy,
            ingresses: scenario.ingresses.clone(),
            ingress_classes: ingress_classes(&scenario.ingress_classes, topology),
            gateway_api: crate::gateway::types::GatewayApi {
                classes: scenario.gateway_classes.clone(),
                gateways: scenario.gateways.clone(),
                http_routes: scenario.http_routes.clone(),
                grpc_routes: scenario.grpc_routes.clone(),
                grants: scenario.reference_grants.clone(),
            },
            notes,
        }
    }

    /// The scenario's cluster-wide policies (ClusterNetworkPolicy and the kinds it merges),
    /// in file order.
    pub fn cluster_network_policies(&self) -> &[ClusterNetworkPolicy] {
        self.policy.cluster_policies()
    }

    /// The scenario's NetworkPolicies, in file order.
    pub fn network_policies(&self) -> &[NetworkPolicy] {
        self.policy.policies()
    }

    /// The position of `pod` in `pods` (its [`crate::policy::Endpoint::Pod`] index).
    pub fn pod_index(&self, pod: &ClusterPod) -> Option<usize> {
        self.pods.iter().position(|p| std::ptr::eq(p, pod))
    }

    pub fn pod(&self, namespace: &str, name: &str) -> Option<&ClusterPod> {
        self.pods.iter().find(|p| p.namespace == namespace && p.name == name)
    }

    pub fn service(&self, namespace: &str, name: &str) -> Option<&ClusterService> {
        self.services.iter().find(|s| s.spec.namespace == namespace && s.spec.name == name)
    }

    pub fn node(&self, name: &str) -> Option<&ClusterNode> {
        self.nodes.iter().find(|n| n.name == name)
    }

    pub fn namespace(&self, name: &str) -> Option<&ClusterNamespace> {
        self.namespaces.iter().find(|n| n.name == name)
    }

    /// The endpoints of Service `namespace/name` for its port `port`/`protocol`.
    pub fn endpoints(
        &self,
        namespace: &str,
        name: &str,
        port: u16,
        protocol: Protocol,
    ) -> Option<&PortEndpoints> {
        self.service(namespace, name)?.port(port, protocol).map(|(_, _, pe)| pe)
    }

    /// The pod (not hostNetwork) whose IP is `ip`.
    pub fn pod_by_ip(&self, ip: Ipv4Addr) -> Option<&ClusterPod> {
        self.pods.iter().find(|p| p.ip == Some(ip) && !p.spec.host_network)
    }

    pub fn node_by_ip(&self, ip: Ipv4Addr) -> Option<&ClusterNode> {
        self.nodes.iter().find(|n| n.ip == ip)
    }

    pub fn service_by_cluster_ip(&self, ip: Ipv4Addr) -> Option<&ClusterService> {
        self.services.iter().find(|s| s.cluster_ip == Some(ip))
    }

    pub fn service_by_load_balancer_ip(&self, ip: Ipv4Addr) -> Option<&ClusterService> {
        self.services.iter().find(|s| s.load_balancer_ip == Some(ip))
    }

    /// The cluster pod CIDR covering every node's range.
    pub fn cluster_cidr(&self) -> Cidr {
        self.topology.pod_cidr
    }
}

fn build_nodes(scenario: &Scenario, topology: &Topology, notes: &mut Vec<Note>) -> Vec<ClusterNode> {
    let base = u32::from(topology.pod_cidr.network());
    let pod_cidr_for = |i: usize| {
        let offset = (i as u32).checked_mul(256).unwrap_or(0);
        Cidr::new(Ipv4Addr::from(base.wrapping_add(offset)), 24)
    };
    let mut nodes: Vec<ClusterNode> = Vec::new();
    if scenario.nodes.is_empty() {
        for (i, slot) in topology.nodes.iter().enumerate() {
            nodes.push(ClusterNode {
                name: slot.name.clone(),
                ip: slot.ip,
                pod_cidr: pod_cidr_for(i),
                labels: sorted::map(slot.zone.iter().map(|z| (ZONE_LABEL.to_string(), z.clone()))),
                source: None,
            });
        }
    } else {
        let mut seen = BTreeSet::new();
        for (i, node) in scenario.nodes.iter().enumerate() {
            if !seen.insert(node.name.clone()) {
                continue;
            }
            let ip = node.internal_ip.unwrap_or_else(|| {
                topology.nodes.get(i).map(|s| s.ip).unwrap_or_else(|| {
                    Ipv4Addr::from(u32::from(Ipv4Addr::new(192, 168, 49, 2)).wrapping_add(i as u32))
                })
            });
            nodes.push(ClusterNode {
                name: node.name.clone(),
                ip,
                pod_cidr: node.pod_cidr.unwrap_or_else(|| pod_cidr_for(i)),
                labels: node.labels.clone(),
                source: node.source.clone(),
            });
        }
    }
    add_hosts_of_pods(scenario, &mut nodes, notes);
    for node in &mut nodes {
        node.labels.entry("kubernetes.io/hostname".into()).or_insert_with(|| node.name.clone());
        node.labels.entry("kubernetes.io/os".into()).or_insert_with(|| "linux".into());
        node.labels.entry("kubernetes.io/arch".into()).or_insert_with(|| "amd64".into());
    }
    nodes
}

/// A pod bound by `spec.nodeName` to a node the cluster does not have, whose `status.hostIP`
/// says where it ran (a cluster dump): that node joins the cluster with that address, with
/// the /24 of the pod's IP as its pod range (else the next free /24), and a note.
fn add_hosts_of_pods(scenario: &Scenario, nodes: &mut Vec<ClusterNode>, notes: &mut Vec<Note>) {
    for p in &scenario.pods {
        let (Some(name), Some(host_ip)) = (&p.spec.node_name, p.host_ip) else { continue };
        if nodes.iter().any(|n| &n.name == name) {
            continue;
        }
        let taken = |c: Cidr| {
            nodes.iter().any(|n| n.pod_cidr.contains(c.network()) || c.contains(n.pod_cidr.network()))
        };
        let own = p.ip.map(|ip| Cidr::new(Cidr::new(ip, 24).network(), 24)).filter(|c| !taken(*c));
        let next = nodes
            .iter()
            .map(|n| u32::from(n.pod_cidr.network()).saturating_add(256))
            .max()
            .map(|a| Cidr::new(Ipv4Addr::from(a), 24));
        let pod_cidr = own.or(next).unwrap_or(Cidr::new(Ipv4Addr::new(10, 244, 0, 0), 24));
        notes.push(Note {
            code: "node-added",
            message: format!(
                "Pod {}/{} ran on node {name} ({host_ip}, its status.hostIP), which is not in the input: the node is added to the cluster",
                p.namespace, p.name
            ),
            object: ObjectRef::new("Pod", &p.namespace, &p.name, p.source.clone()),
        });
        nodes.push(ClusterNode {
            name: name.clone(),
            ip: host_ip,
            pod_cidr,
            labels: Labels::new(),
            source: None,
        });
    }
}

fn build_namespaces(scenario: &Scenario) -> Vec<ClusterNamespace> {
    let mut map: BTreeMap<String, ClusterNamespace> = BTreeMap::new();
    let mut add = |name: &str, labels: Option<&Labels>, source: Option<&Source>| {
        if name.is_empty() {
            return;
        }
        let entry = map.entry(name.to_string()).or_insert_with(|| ClusterNamespace {
            name: name.to_string(),
            labels: Labels::new(),
            source: None,
        });
        if let Some(labels) = labels {
            entry.labels.extend(labels.clone());
        }
        if entry.source.is_none() {
            entry.source = source.cloned();
        }
    };
    for name in SYSTEM_NAMESPACES {
        add(name, None, None);
    }
    for ns in &scenario.namespaces {
        add(&ns.name, Some(&ns.labels), ns.source.as_ref());
    }
    for p in &scenario.pods {
        add(&p.namespace, None, None);
    }
    for w in &scenario.workloads {
        add(&w.namespace, None, None);
    }
    for s in &scenario.services {
        add(&s.namespace, None, None);
    }
    for e in &scenario.endpoint_slices {
        add(&e.namespace, None, None);
    }
    for n in &scenario.network_policies {
        add(&n.namespace, None, None);
    }
    for i in &scenario.ingresses {
        add(&i.namespace, None, None);
    }
    // https://kubernetes.io/docs/reference/labels-annotations-taints/#kubernetes-io-metadata-name
    map.into_values()
        .map(|mut ns| {
            ns.labels.insert("kubernetes.io/metadata.name".into(), ns.name.clone());
            ns
        })
        .collect()
}

/// A pod before scheduling.
struct PendingPod {
    pod: ClusterPod,
    explicit_ip: Option<Ipv4Addr>,
    /// The status gives only IPv6 addresses: the pod gets no address.
    no_address: bool,
    /// DaemonSet pods and built-ins are placed, not scheduled.
    fixed_node: Option<String>,
}

fn build_pods(
    scenario: &Scenario,
    ingress_controller: bool,
    nodes: &[ClusterNode],
    notes: &mut Vec<Note>,
) -> Vec<ClusterPod> {
    let mut pending = pending_pods(scenario, ingress_controller, nodes, notes);
    schedule(&mut pending, nodes, notes);
    assign_pod_ips(&mut pending, nodes, notes);
    let mut pods: Vec<ClusterPod> = pending.into_iter().map(|p| p.pod).collect();
    sorted::sort_by(&mut pods, |a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    pods
}

/// Every pod to place, the add-ons' and the workloads' replicas included, once per
/// namespace/name, in the order they get their addresses.
fn pending_pods(
    scenario: &Scenario,
    ingress_controller: bool,
    nodes: &[ClusterNode],
    notes: &mut Vec<Note>,
) -> Vec<PendingPod> {
    let mut pending: Vec<PendingPod> = Vec::new();
    let node_names: Vec<&str> = nodes.iter().map(|n| n.name.as_str()).collect();
    for a in addon_pods(ingress_controller, &node_names) {
        pending.push(PendingPod {
            pod: ClusterPod {
                name: a.name,
                namespace: a.namespace.into(),
                spec: a.spec,
                node: None,
                ip: None,
                ready: true,
                terminating: false,
                phase: None,
                owner: Some(a.owner),
                source: None,
                built_in: true,
            },
            explicit_ip: None,
            no_address: false,
            fixed_node: a.node,
        });
    }
    // The built-in Gateway controller's proxies, scheduled as any Deployment's pod.
    let proxies = data_plane().map(|d| (d.pods)(scenario)).unwrap_or_default();
    for (name, namespace, spec, owner) in proxies {
        pending.push(PendingPod {
            pod: ClusterPod {
                name,
                namespace,
                spec,
                node: None,
                ip: None,
                ready: true,
                terminating: false,
                phase: None,
                owner: Some(owner),
                source: None,
                built_in: true,
            },
            explicit_ip: None,
            no_address: false,
            fixed_node: None,
        });
    }
    for p in &scenario.pods {
        pending.push(PendingPod {
            pod: ClusterPod {
                name: p.name.clone(),
                namespace: p.namespace.clone(),
                spec: p.spec.clone(),
                node: None,
                ip: None,
                ready: p.ready != Some(false),
                terminating: p.terminating,
                phase: p.phase,
                owner: None,
                source: p.source.clone(),
                built_in: false,
            },
            explicit_ip: p.ip,
            no_address: p.ipv6_only,
            fixed_node: None,
        });
    }
    for w in &scenario.workloads {
        expand_workload(w, nodes, &mut pending);
    }
    // One object per namespace/name: the first wins.
    let mut seen = BTreeSet::new();
    pending.retain(|p| {
        let key = (p.pod.namespace.clone(), p.pod.name.clone());
        if seen.insert(key) {
            true
        } else {
            notes.push(Note {
                code: "duplicate-pod",
                message: format!("a second Pod named {}/{} is ignored", p.pod.namespace, p.pod.name),
                object: p.pod.object(),
            });
            false
        }
    });
    // CoreDNS first (it gets the first addresses, as on a fresh cluster), then everything in
    // (namespace, name) order, then the ingress controller: an add-on, addressed last so that
    // switching it on or off never moves a learner's pod address.
    let rank = |p: &ClusterPod| match (p.built_in, p.namespace == INGRESS_NAMESPACE) {
        (true, true) => 2,
        (true, false) => 0,
        _ => 1,
    };
    sorted::sort_by(&mut pending, |a, b| {
        (rank(&a.pod), &a.pod.namespace, &a.pod.name).cmp(&(rank(&b.pod), &b.pod.namespace, &b.pod.name))
    });
    pending
}

/// Scheduling: each pod's node, or a note of why it stays Pending.
fn schedule(pending: &mut [PendingPod], nodes: &[ClusterNode], notes: &mut Vec<Note>) {
    let mut round_robin: usize = 0;
    for p in pending {
        let pod = &mut p.pod;
        if let Some(node) = p.fixed_node.clone() {
            pod.node = Some(node);
            continue;
        }
        if let Some(wanted) = &pod.spec.node_name {
            if nodes.iter().any(|n| &n.name == wanted) {
                pod.node = Some(wanted.clone());
            } else {
                notes.push(Note {
                    code: "unknown-node",
                    message: format!(
                        "Pod {}/{} names node {wanted}, which does not exist: it stays Pending",
                        pod.namespace, pod.name
                    ),
                    object: pod.object(),
                });
            }
            continue;
        }
        let eligible: Vec<&ClusterNode> = nodes
            .iter()
            .filter(|n| pod.spec.node_selector.iter().all(|(k, v)| n.labels.get(k) == Some(v)))
            .collect();
        // A given pod IP inside a node's range places the pod on that node.
        if let Some(ip) = p.explicit_ip {
            if let Some(n) = eligible.iter().find(|n| n.pod_cidr.contains(ip)) {
                pod.node = Some(n.name.clone());
                continue;
            }
        }
        if eligible.is_empty() {
            notes.push(Note {
                code: "unschedulable",
                message: format!(
                    "no node matches the nodeSelector of Pod {}/{}: it stays Pending",
                    pod.namespace, pod.name
                ),
                object: pod.object(),
            });
            continue;
        }
        let i = round_robin % eligible.len();
        round_robin = round_robin.wrapping_add(1);
        pod.node = eligible.get(i).map(|n| n.name.clone());
    }
}

/// Pod IPs: given ones first (kept whatever the pod's node: the status says where the pod
/// is), then the rest counting up from .2 of the node's range; a pod whose status gives only
/// IPv6 addresses gets none.
fn assign_pod_ips(pending: &mut [PendingPod], nodes: &[ClusterNode], notes: &mut Vec<Note>) {
    let mut taken: BTreeSet<Ipv4Addr> = sorted::set(pending.iter().filter_map(|p| p.explicit_ip));
    let mut next: BTreeMap<String, u32> = BTreeMap::new();
    for p in pending {
        if p.no_address {
            continue;
        }
        if p.pod.node.is_none() {
            p.pod.ip = p.explicit_ip;
            continue;
        }
        let Some(node_name) = p.pod.node.clone() else { continue };
        let Some(node) = nodes.iter().find(|n| n.name == node_name) else { continue };
        if p.pod.spec.host_network {
            p.pod.ip = Some(node.ip);
            continue;
        }
        if let Some(ip) = p.explicit_ip {
            p.pod.ip = Some(ip);
            continue;
        }
        let network = u32::from(node.pod_cidr.network());
        let size: u64 = 1u64 << (32 - u32::from(node.pod_cidr.prefix.min(32)));
        let cursor = next.entry(node_name.clone()).or_insert(2);
        let mut assigned = None;
        while u64::from(*cursor) + 1 < size {
            let ip = Ipv4Addr::from(network.wrapping_add(*cursor));
            *cursor = cursor.saturating_add(1);
            if taken.insert(ip) {
                assigned = Some(ip);
                break;
            }
        }
        if assigned.is_none() {
            notes.push(Note {
                code: "pod-cidr-exhausted",
                message: format!(
                    "node {node_name} has no free address in {} for Pod {}/{}",
                    node.pod_cidr, p.pod.namespace, p.pod.name
                ),
                object: p.pod.object(),
            });
        }
        p.pod.ip = assigned;
    }
}

fn expand_workload(w: &Workload, nodes: &[ClusterNode], out: &mut Vec<PendingPod>) {
    let owner = ObjectRef::new(w.kind.as_str(), &w.namespace, &w.name, w.source.clone());
    let identity = format!("{}/{}/{}/{:?}", w.kind.as_str(), w.namespace, w.name, w.template);
    let make = |name: String, mut spec: PodSpec, fixed_node: Option<String>| PendingPod {
        pod: {
            if spec.hostname.is_none() && w.kind == WorkloadKind::StatefulSet {
                spec.hostname = Some(name.clone());
            }
            ClusterPod {
                name,
                namespace: w.namespace.clone(),
                spec,
                node: None,
                ip: None,
                ready: true,
                terminating: false,
                phase: None,
                owner: Some(owner.clone()),
                source: w.source.clone(),
                built_in: false,
            }
        },
        explicit_ip: None,
        no_address: false,
        fixed_node,
    };
    // Replica counts are capped: a typo like `replicas: 100000` must not hang the page.
    let replicas = w.replicas.min(5000);
    match w.kind {
        WorkloadKind::Deployment => {
            let hash = pod_template_hash(&identity);
            let mut spec = w.template.clone();
            spec.labels.insert("pod-template-hash".into(), hash.clone());
            for i in 0..replicas {
                let suffix = name_suffix(fnv64(&[&identity, &i.to_string()]), 5);
                out.push(make(format!("{}-{hash}-{suffix}", w.name), spec.clone(), None));
            }
        }
        // The ReplicationManager is the ReplicaSet controller over ReplicationControllers
        // (pkg/controller/replication): the same `<name>-<5>` pods.
        WorkloadKind::ReplicaSet | WorkloadKind::ReplicationController => {
            for i in 0..replicas {
                let suffix = name_suffix(fnv64(&[&identity, &i.to_string()]), 5);
                out.push(make(format!("{}-{suffix}", w.name), w.template.clone(), None));
            }
        }
        WorkloadKind::Job | WorkloadKind::CronJob => {
            let job = w.job.clone().unwrap_or_default();
            let job_name = match w.kind {
                // pkg/controller/cronjob/utils.go getJobName: `<cronjob>-<minutes since the epoch>`.
                WorkloadKind::CronJob => {
                    format!("{}-{}", w.name, job.scheduled_minute.unwrap_or_else(|| run_minute(w)))
                }
                _ => w.name.clone(),
            };
            for (name, spec) in job_pods(w, &job, &job_name, &identity) {
                out.push(make(name, spec, None));
            }
        }
        WorkloadKind::StatefulSet => {
            for i in 0..replicas {
                let name = format!("{}-{i}", w.name);
                let mut spec = w.template.clone();
                // https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#stable-network-id
                if spec.subdomain.is_none() {
                    spec.subdomain = w.service_name.clone();
                }
                spec.labels.insert("statefulset.kubernetes.io/pod-name".into(), name.clone());
                spec.labels.insert("apps.kubernetes.io/pod-index".into(), i.to_string());
                out.push(make(name, spec, None));
            }
        }
        WorkloadKind::DaemonSet => {
            for node in nodes {
                if !w.template.node_selector.iter().all(|(k, v)| node.labels.get(k) == Some(v)) {
                    continue;
                }
                let suffix = name_suffix(fnv64(&[&identity, &node.name]), 5);
                out.push(make(format!("{}-{suffix}", w.name), w.template.clone(), Some(node.name.clone())));
            }
        }
    }
}

/// The minute of the run the model shows for a CronJob without `status.lastScheduleTime`:
/// one of 2026 (UTC), from a hash of its namespace and name. The model has no clock.
fn run_minute(w: &Workload) -> u64 {
    const JAN_1_2026: u64 = 29_453_760;
    JAN_1_2026 + fnv64(&["cronjob-run", &w.namespace, &w.name]) % (365 * 24 * 60)
}

/// The label and annotation of an Indexed Job's pod with its completion index.
const COMPLETION_INDEX: &str = "batch.kubernetes.io/job-completion-index";

/// The pods that run for Job `job_name` (a Job, or the run of a CronJob), named and
/// labelled as the Job controller and the API server's Job strategy do:
/// - how many: `parallelism` (the workload's `replicas`), at most the remaining
///   `completions`, none while suspended
///   (https://kubernetes.io/docs/concepts/workloads/controllers/job/#controlling-parallelism);
/// - labels (pkg/registry/batch/job/strategy.go, generateSelector): `job-name` and
///   `batch.kubernetes.io/job-name` the Job's name, `controller-uid` and
///   `batch.kubernetes.io/controller-uid` its UID, unless the template sets them or the
///   Job has `manualSelector: true`;
/// - names (pkg/controller/job): `<job>-<5>`; Indexed, `<job>-<index>-<5>` with hostname
///   `<job>-<index>` and the completion index as label and annotation, lowest indexes first.
fn job_pods(w: &Workload, job: &JobSpec, job_name: &str, identity: &str) -> Vec<(String, PodSpec)> {
    let running = match (job.suspend, job.completions) {
        (true, _) => 0,
        (false, Some(c)) => c.min(w.replicas),
        (false, None) => w.replicas,
    }
    .min(5000);
    let uid = job.uid.clone().unwrap_or_else(|| uid(&[&w.namespace, job_name]));
    let mut spec = w.template.clone();
    let generated = [
        ("job-name", job_name),
        ("batch.kubernetes.io/job-name", job_name),
        ("controller-uid", &uid),
        ("batch.kubernetes.io/controller-uid", &uid),
    ];
    for (key, value) in generated.into_iter().filter(|_| !job.manual_selector) {
        spec.labels.entry(key.into()).or_insert_with(|| value.to_string());
    }
    (0..running)
        .map(|i| {
            let suffix = name_suffix(fnv64(&[identity, job_name, &i.to_string()]), 5);
            if !job.indexed {
                return (generated_name(&format!("{job_name}-"), &suffix), spec.clone());
            }
            // podGenerateNameWithIndex: the job's name is cut so that `-<index>-` stays.
            let index = format!("-{i}-");
            let prefix = format!("{}{index}", cut(job_name, 58usize.saturating_sub(index.len())));
            let mut spec = spec.clone();
            spec.labels.insert(COMPLETION_INDEX.into(), i.to_string());
            spec.annotations.insert(COMPLETION_INDEX.into(), i.to_string());
            spec.hostname = Some(format!("{job_name}-{i}"));
            (generated_name(&prefix, &suffix), spec)
        })
        .collect()
}

fn build_services(
    scenario: &Scenario,
    topology: &Topology,
    nodes: &[ClusterNode],
    pods: &[ClusterPod],
    notes: &mut Vec<Note>,
) -> Vec<ClusterService> {
    let (mut specs, by_creation) = service_specs(scenario, topology, notes);
    let cluster_ips = allocate_cluster_ips(&specs, &by_creation, topology, notes);
    allocate_node_ports(&mut specs, &by_creation, topology, notes);
    let lb_ips = allocate_load_balancer_ips(&specs, topology, notes);
    let api_server = nodes.first();
    specs
        .into_iter()
        .enumerate()
        .map(|(i, (spec, built_in))| {
            let (ports, addresses) = if built_in && spec.name == "kubernetes" {
                api_server_endpoints(&spec, api_server)
            } else {
                build_endpoints(&spec, scenario, pods, nodes, notes)
            };
            ClusterService {
                cluster_ip: cluster_ips.get(i).copied().flatten(),
                load_balancer_ip: lb_ips.get(i).copied().flatten(),
                ports,
                addresses,
                built_in,
                spec,
            }
        })
        .collect()
}

/// Every Service, with whether it is built in, once per namespace/name, in (namespace, name)
/// order; and their indices in creation (file) order.
fn service_specs(
    scenario: &Scenario,
    topology: &Topology,
    notes: &mut Vec<Note>,
) -> (Vec<(Service, bool)>, Vec<usize>) {
    let mut specs: Vec<(Service, bool)> = built_in_services(topology)
        .into_iter()
        .chain(data_plane().map(|d| (d.services)(scenario)).unwrap_or_default())
        .map(|s| (s, true))
        .collect();
    let mut seen: BTreeSet<(String, String)> =
        sorted::set(specs.iter().map(|(s, _)| (s.namespace.clone(), s.name.clone())));
    for s in &scenario.services {
        if seen.insert((s.namespace.clone(), s.name.clone())) {
            specs.push((s.clone(), false));
        } else {
            notes.push(Note {
                code: "duplicate-service",
                message: format!("Service {}/{} already exists; this one is ignored", s.namespace, s.name),
                object: ObjectRef::new("Service", &s.namespace, &s.name, s.source.clone()),
            });
        }
    }
    // Claims on fixed addresses and ports are settled in creation (file) order: the first
    // object to ask wins, as with `kubectl apply` of the files in order.
    let creation: Vec<(String, String)> =
        specs.iter().map(|(s, _)| (s.namespace.clone(), s.name.clone())).collect();
    sorted::sort_by(&mut specs, |a, b| (&a.0.namespace, &a.0.name).cmp(&(&b.0.namespace, &b.0.name)));
    let mut by_creation: Vec<usize> = (0..specs.len()).collect();
    sorted::sort_by_key(&mut by_creation, |&i| {
        creation
            .iter()
            .position(|k| specs.get(i).is_some_and(|(s, _)| s.namespace == k.0 && s.name == k.1))
            .unwrap_or(usize::MAX)
    });
    (specs, by_creation)
}

/// ClusterIPs: fixed ones first, so allocation never takes an address someone asked for.
fn allocate_cluster_ips(
    specs: &[(Service, bool)],
    by_creation: &[usize],
    topology: &Topology,
    notes: &mut Vec<Note>,
) -> Vec<Option<Ipv4Addr>> {
    let cidr = topology.service_cidr;
    let net = u32::from(cidr.network());
    let size: u64 = 1u64 << (32 - u32::from(cidr.prefix.min(32)));
    let mut taken_ips: BTreeSet<Ipv4Addr> = BTreeSet::new();
    taken_ips.insert(topology.kubernetes_service_ip());
    taken_ips.insert(topology.dns_service_ip());
    let mut cluster_ips: Vec<Option<Ipv4Addr>> = vec![None; specs.len()];
    for &i in by_creation {
        let Some((s, built_in)) = specs.get(i) else { continue };
        if s.service_type == ServiceType::ExternalName {
            continue;
        }
        if let ClusterIpSpec::Fixed(ip) = s.cluster_ip {
            let object = ObjectRef::new("Service", &s.namespace, &s.name, s.source.clone());
            if *built_in {
                cluster_ips[i] = Some(ip);
            } else if !cidr.contains(ip) {
                notes.push(Note {
                    code: "cluster-ip-out-of-range",
                    message: format!("spec.clusterIP {ip} is outside the service CIDR {cidr}; the API server would reject it, so another address is allocated"),
                    object,
                });
            } else if !taken_ips.insert(ip) {
                notes.push(Note {
                    code: "cluster-ip-taken",
                    message: format!(
                        "spec.clusterIP {ip} is already allocated; another address is allocated"
                    ),
                    object,
                });
            } else {
                cluster_ips[i] = Some(ip);
            }
        }
    }
    for (i, (s, _)) in specs.iter().enumerate() {
        if s.service_type == ServiceType::ExternalName
            || s.cluster_ip == ClusterIpSpec::Headless
            || cluster_ips[i].is_some()
        {
            continue;
        }
        // Offsets 0 (network), 1 and 10 are never handed out; nor the broadcast address.
        let usable = size.saturating_sub(12);
        if usable == 0 {
            continue;
        }
        let start = fnv64(&[&s.namespace, &s.name]) % usable;
        for probe in 0..usable {
            let offset = 11 + (start + probe) % usable;
            let ip = Ipv4Addr::from(net.wrapping_add(offset as u32));
            if taken_ips.insert(ip) {
                cluster_ips[i] = Some(ip);
                break;
            }
        }
        if cluster_ips[i].is_none() {
            notes.push(Note {
                code: "service-cidr-exhausted",
                message: format!("the service CIDR {cidr} has no free address"),
                object: ObjectRef::new("Service", &s.namespace, &s.name, s.source.clone()),
            });
        }
    }
    cluster_ips
}

/// NodePorts: https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport
fn allocate_node_ports(
    specs: &mut [(Service, bool)],
    by_creation: &[usize],
    topology: &Topology,
    notes: &mut Vec<Note>,
) {
    let (lo, hi) = (
        topology.node_port_range.0.min(topology.node_port_range.1),
        topology.node_port_range.0.max(topology.node_port_range.1),
    );
    let range = u64::from(hi - lo) + 1;
    let mut taken_ports: BTreeSet<(u16, Protocol)> = BTreeSet::new();
    for &i in by_creation {
        let Some((s, _)) = specs.get_mut(i) else { continue };
        let wants = matches!(s.service_type, ServiceType::NodePort | ServiceType::LoadBalancer);
        for p in s.ports.iter_mut() {
            if !wants {
                p.node_port = None;
                continue;
            }
            if let Some(np) = p.node_port {
                let object =
                    ObjectRef::new("Service", &s.namespace, &s.name, p.source.clone().or(s.source.clone()));
                if np < lo || np > hi {
                    notes.push(Note {
                        code: "node-port-range",
                        message: format!("nodePort {np} is outside the range {lo}-{hi}; the API server would reject it, so one is allocated"),
                        object,
                    });
                    p.node_port = None;
                } else if !taken_ports.insert((np, p.protocol)) {
                    notes.push(Note {
                        code: "node-port-taken",
                        message: format!(
                            "nodePort {np}/{} is already allocated; another one is allocated",
                            p.protocol
                        ),
                        object,
                    });
                    p.node_port = None;
                }
            }
        }
    }
    for (s, _) in specs.iter_mut() {
        if !matches!(s.service_type, ServiceType::NodePort | ServiceType::LoadBalancer) {
            continue;
        }
        // allocateLoadBalancerNodePorts: false: a LoadBalancer gets no nodePort it did not ask
        // for. https://kubernetes.io/docs/concepts/services-networking/service/#load-balancer-nodeport-allocation
        if s.service_type == ServiceType::LoadBalancer && s.allocate_load_balancer_node_ports == Some(false) {
            continue;
        }
        let (ns, name) = (s.namespace.clone(), s.name.clone());
        for p in s.ports.iter_mut() {
            if p.node_port.is_some() {
                continue;
            }
            let start = fnv64(&[&ns, &name, &p.port.to_string(), p.protocol.as_str()]) % range;
            for probe in 0..range {
                let np = lo.saturating_add(((start + probe) % range) as u16);
                if taken_ports.insert((np, p.protocol)) {
                    p.node_port = Some(np);
                    break;
                }
            }
        }
    }
}

/// LoadBalancer addresses, from the cloud provider's pool.
fn allocate_load_balancer_ips(
    specs: &[(Service, bool)],
    topology: &Topology,
    notes: &mut Vec<Note>,
) -> Vec<Option<Ipv4Addr>> {
    let mut lb_taken: BTreeSet<Ipv4Addr> = sorted::set(
        specs
            .iter()
            .filter(|(s, _)| s.service_type == ServiceType::LoadBalancer)
            .filter_map(|(s, _)| s.load_balancer_ip),
    );
    let mut lb_cursor: u32 = 1;
    let mut lb_ips: Vec<Option<Ipv4Addr>> = vec![None; specs.len()];
    // The learner's Services first, then the built-in controller's, so that switching the
    // controller on never moves a learner's address.
    let mut lb_order: Vec<usize> = (0..specs.len()).collect();
    sorted::sort_by_key(&mut lb_order, |&i| specs.get(i).is_some_and(|(_, built_in)| *built_in));
    for i in lb_order {
        let Some((s, _)) = specs.get(i) else { continue };
        if s.service_type != ServiceType::LoadBalancer {
            continue;
        }
        let object = ObjectRef::new("Service", &s.namespace, &s.name, s.source.clone());
        let Some(pool) = topology.load_balancer_pool else {
            notes.push(Note {
                code: "load-balancer-pending",
                message: format!("LoadBalancer {}/{} stays <pending>: no cloud provider hands out addresses; its NodePorts still work", s.namespace, s.name),
                object,
            });
            continue;
        };
        if let Some(ip) = s.load_balancer_ip {
            lb_ips[i] = Some(ip);
            continue;
        }
        let pool_size: u64 = 1u64 << (32 - u32::from(pool.prefix.min(32)));
        while u64::from(lb_cursor) + 1 < pool_size {
            let ip = Ipv4Addr::from(u32::from(pool.network()).wrapping_add(lb_cursor));
            lb_cursor = lb_cursor.saturating_add(1);
            if lb_taken.insert(ip) {
                lb_ips[i] = Some(ip);
                break;
            }
        }
        if lb_ips[i].is_none() {
            notes.push(Note {
                code: "load-balancer-pool-exhausted",
                message: format!(
                    "the load balancer pool {pool} is exhausted: {}/{} stays <pending>",
                    s.namespace, s.name
                ),
                object,
            });
        }
    }
    lb_ips
}

fn api_server_endpoints(
    spec: &Service,
    node: Option<&ClusterNode>,
) -> (Vec<PortEndpoints>, Vec<ServiceEndpoint>) {
    let endpoint = |port: u16| {
        node.map(|n| ServiceEndpoint {
            ip: n.ip,
            port,
            ready: true,
            pod_ready: true,
            serving: true,
            terminating: false,
            zone: None,
            for_zones: Vec::new(),
            for_nodes: Vec::new(),
            node: Some(n.name.clone()),
            pod: None,
            hostname: None,
            source: None,
        })
    };
    let ports = spec
        .ports
        .iter()
        .map(|p| PortEndpoints {
            name: p.name.clone(),
            port: p.port,
            protocol: p.protocol,
            endpoints: endpoint(6443).into_iter().collect(),
            unresolved: Vec::new(),
        })
        .collect();
    (ports, endpoint(0).into_iter().collect())
}

/// The EndpointSlice controller: https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/
fn build_endpoints(
    spec: &Service,
    scenario: &Scenario,
    pods: &[ClusterPod],
    nodes: &[ClusterNode],
    notes: &mut Vec<Note>,
) -> (Vec<PortEndpoints>, Vec<ServiceEndpoint>) {
    let mut ports: Vec<PortEndpoints> = spec
        .ports
        .iter()
        .map(|p| PortEndpoints {
            name: p.name.clone(),
            port: p.port,
            protocol: p.protocol,
            endpoints: Vec::new(),
            unresolved: Vec::new(),
        })
        .collect();
    let mut addresses = Vec::new();
    if spec.service_type == ServiceType::ExternalName {
        return (ports, addresses);
    }
    match &spec.selector {
        Some(selector) if !selector.is_empty() => {
            for pod in pods.iter().filter(|p| p.namespace == spec.namespace) {
                let Some(ip) = pod.ip else { continue };
                if !selector.iter().all(|(k, v)| pod.spec.labels.get(k) == Some(v)) {
                    continue;
                }
                // The EndpointSlice controller (pkg/controller/util/endpoint, ShouldPodBeInEndpoints):
                // a Succeeded or Failed pod is never an endpoint.
                if pod.phase.is_some_and(PodPhase::terminal) {
                    continue;
                }
                // podToEndpoint: serving is the pod's readiness, terminating its deletion
                // timestamp, and ready = publishNotReadyAddresses || (serving && !terminating)
                // (publishNotReadyAddresses: "endpoints ... should disregard any indications of
                // ready/not-ready").
                let ready = spec.publish_not_ready_addresses || (pod.ready && !pod.terminating);
                let hostname = match (&pod.spec.hostname, &pod.spec.subdomain) {
                    (Some(h), Some(sub)) if sub == &spec.name => Some(h.clone()),
                    _ => None,
                };
                let base = ServiceEndpoint {
                    ip,
                    port: 0,
                    ready,
                    pod_ready: pod.ready,
                    serving: pod.ready,
                    terminating: pod.terminating,
                    zone: None,
                    for_zones: Vec::new(),
                    for_nodes: Vec::new(),
                    node: pod.node.clone(),
                    pod: Some(format!("{}/{}", pod.namespace, pod.name)),
                    hostname,
                    source: pod.source.clone(),
                };
                addresses.push(base.clone());
                for (sp, pe) in spec.ports.iter().zip(ports.iter_mut()) {
                    // Named targetPorts are resolved per pod, against its own container ports.
                    let port = match &sp.target_port {
                        PortRef::Number(n) => Some(*n),
                        PortRef::Name(name) => pod.named_port(name, sp.protocol).map(|cp| cp.container_port),
                    };
                    match port {
                        Some(port) => pe.endpoints.push(ServiceEndpoint { port, ..base.clone() }),
                        None => pe.unresolved.push(format!("{}/{}", pod.namespace, pod.name)),
                    }
                }
            }
            if addresses.is_empty() {
                notes.push(Note {
                    code: "selector-matches-nothing",
                    message: format!(
                        "the selector of Service {}/{} ({}) matches no pod in namespace {}",
                        spec.namespace,
                        spec.name,
                        selector.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(","),
                        spec.namespace
                    ),
                    object: ObjectRef::new("Service", &spec.namespace, &spec.name, spec.source.clone()),
                });
            }
        }
        _ => {
            // A Service without a selector: its endpoints are the EndpointSlices that name it.
            for slice in scenario
                .endpoint_slices
                .iter()
                .filter(|e| e.namespace == spec.namespace && e.service_name == spec.name)
            {
                for ep in &slice.endpoints {
                    for ip in &ep.addresses {
                        let pod = pods.iter().find(|p| p.ip == Some(*ip) && !p.spec.host_network);
                        let node = ep
                            .node_name
                            .clone()
                            .or_else(|| pod.and_then(|p| p.node.clone()))
                            .or_else(|| nodes.iter().find(|n| n.ip == *ip).map(|n| n.name.clone()));
                        let base = ServiceEndpoint {
                            ip: *ip,
                            port: 0,
                            ready: ep.ready || spec.publish_not_ready_addresses,
                            pod_ready: ep.ready,
                            serving: ep.serving,
                            terminating: ep.terminating,
                            zone: None,
                            for_zones: Vec::new(),
                            for_nodes: Vec::new(),
                            node,
                            pod: ep
                                .target_pod
                                .as_ref()
                                .map(|n| format!("{}/{n}", spec.namespace))
                                .or_else(|| pod.map(|p| format!("{}/{}", p.namespace, p.name))),
                            hostname: ep.hostname.clone(),
                            source: slice.source.clone(),
                        };
                        if !addresses.iter().any(|a: &ServiceEndpoint| a.ip == *ip) {
                            addresses.push(base.clone());
                        }
                        for pe in ports.iter_mut() {
                            // Slice ports match Service ports by name (and protocol).
                            let slice_port = slice.ports.iter().find(|p| {
                                p.name.as_deref().unwrap_or("") == pe.name.as_deref().unwrap_or("")
                                    && p.protocol == pe.protocol
                            });
                            if let Some(sp) = slice_port {
                                pe.endpoints.push(ServiceEndpoint { port: sp.port, ..base.clone() });
                            }
                        }
                    }
                }
            }
        }
    }
    with_zones_and_hints(&mut ports, &mut addresses, spec.traffic_distribution, nodes);
    (ports, addresses)
}

/// Each endpoint's zone is its node's; with a trafficDistribution, each ready endpoint is
/// hinted for its zone, and for PreferSameNode for its node too (the EndpointSlice
/// controller's trafficdist package, `preferCloseHeuristic`).
fn with_zones_and_hints(
    ports: &mut [PortEndpoints],
    addresses: &mut [ServiceEndpoint],
    distribution: Option<TrafficDistribution>,
    nodes: &[ClusterNode],
) {
    let hint = |e: &mut ServiceEndpoint| {
        e.zone = e
            .node
            .as_deref()
            .and_then(|n| nodes.iter().find(|x| x.name == n))
            .and_then(|n| n.zone())
            .map(str::to_string);
        if distribution.is_none() || !e.ready {
            return;
        }
        e.for_zones = e.zone.iter().cloned().collect();
        if distribution == Some(TrafficDistribution::PreferSameNode) {
            e.for_nodes = e.node.iter().cloned().collect();
        }
    };
    ports.iter_mut().flat_map(|p| p.endpoints.iter_mut()).for_each(hint);
    addresses.iter_mut().for_each(hint);
}

impl ClusterService {
    /// The EndpointSlices the controller would write: one per distinct set of resolved
    /// ports (named targetPorts can differ per pod), named `<service>-<5 chars>`.
    pub fn endpoint_slices(&self) -> Vec<(String, Vec<u16>, Vec<ServiceEndpoint>)> {
        let mut groups: Vec<(Vec<u16>, Vec<ServiceEndpoint>)> = Vec::new();
        for addr in &self.addresses {
            let ports: Vec<u16> = self
                .ports
                .iter()
                .filter_map(|pe| pe.endpoints.iter().find(|e| e.ip == addr.ip).map(|e| e.port))
                .collect();
            match groups.iter_mut().find(|(p, _)| *p == ports) {
                Some((_, list)) => list.push(addr.clone()),
                None => groups.push((ports, vec![addr.clone()])),
            }
        }
        if groups.is_empty() {
            groups.push((Vec::new(), Vec::new()));
        }
        groups
            .into_iter()
            .enumerate()
            .map(|(i, (ports, eps))| {
                let suffix = crate::hash::name_suffix(
                    crate::hash::fnv64(&[self.namespace(), self.name(), &i.to_string()]),
                    5,
                );
                (format!("{}-{suffix}", self.name()), ports, eps)
            })
            .collect()
    }
}

impl Cluster {
    /// A pod by name, else the first pod (in name order) of the workload of that name: what
    /// `kubectl exec deploy/NAME` and a check's `pod/NS/NAME` reach when NAME is a workload.
    pub fn pod_or_replica(&self, namespace: &str, name: &str) -> Option<&ClusterPod> {
        self.pod(namespace, name).or_else(|| {
            self.pods
                .iter()
                .find(|p| p.namespace == namespace && p.owner.as_ref().is_some_and(|o| o.name == name))
        })
    }

    /// The cluster with `pod` added (`pods` stays in (namespace, name) order) and the
    /// NetworkPolicies applied to it as the build applies them to every pod; Services'
    /// endpoints stay as built.
    pub fn with_pod(&self, pod: ClusterPod) -> Cluster {
        let mut c = self.clone();
        let at = c.pods.partition_point(|p| (&p.namespace, &p.name) < (&pod.namespace, &pod.name));
        c.pods.insert(at, pod);
        let policies = c.network_policies().to_vec();
        let cluster = c.policy.cluster_policies().to_vec();
        c.policy = build_policy(&c.namespaces, &c.pods, &policies, &cluster);
        c
    }
}
