//! The model's own input types: what `manifest` translates Kubernetes API objects into.
//!
//! These are small, validated-enough representations of the fields that matter for
//! networking. They carry [`Source`] ranges so that every decision can point back at the
//! YAML that caused it. Nothing here knows about YAML or k8s-openapi.

use std::fmt;
use std::net::Ipv4Addr;

use crate::gateway::types::{Gateway, GatewayClass, GrpcRoute, HttpRoute, ReferenceGrant};
pub use crate::meta::{LabelRequirement, LabelSelector, Labels, ObjectRef, SelectorOperator, Source};

/// Everything read from the learner's and the exercise's files.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scenario {
    pub namespaces: Vec<Namespace>,
    pub nodes: Vec<Node>,
    pub pods: Vec<Pod>,
    pub workloads: Vec<Workload>,
    pub services: Vec<Service>,
    /// Manually managed EndpointSlices; `Endpoints` objects arrive here already mirrored.
    pub endpoint_slices: Vec<EndpointSlice>,
    pub ingresses: Vec<Ingress>,
    pub ingress_classes: Vec<IngressClass>,
    pub network_policies: Vec<NetworkPolicy>,
    /// Gateway API objects (`gateway.networking.k8s.io`, standard channel), in file order.
    pub gateway_classes: Vec<GatewayClass>,
    pub gateways: Vec<Gateway>,
    pub http_routes: Vec<HttpRoute>,
    pub grpc_routes: Vec<GrpcRoute>,
    pub reference_grants: Vec<ReferenceGrant>,
    /// Cluster-wide policy (`policy.networking.k8s.io`): ClusterNetworkPolicy and the
    /// AdminNetworkPolicy and BaselineAdminNetworkPolicy it merges, in file order.
    pub cluster_network_policies: Vec<ClusterNetworkPolicy>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    Tcp,
    Udp,
    Sctp,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        }
    }

    pub fn parse(s: &str) -> Option<Protocol> {
        match s {
            "TCP" => Some(Protocol::Tcp),
            "UDP" => Some(Protocol::Udp),
            "SCTP" => Some(Protocol::Sctp),
            _ => None,
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An IPv4 prefix such as `10.244.0.0/16`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cidr {
    pub addr: Ipv4Addr,
    pub prefix: u8,
}

impl Cidr {
    pub fn new(addr: Ipv4Addr, prefix: u8) -> Cidr {
        Cidr { addr, prefix: prefix.min(32) }
    }

    /// The network mask as an integer (`/0` is all zeros).
    pub fn mask(self) -> u32 {
        if self.prefix == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(self.prefix.min(32)))
        }
    }

    /// The first address of the prefix.
    pub fn network(self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.addr) & self.mask())
    }

    pub fn contains(self, ip: Ipv4Addr) -> bool {
        u32::from(ip) & self.mask() == u32::from(self.addr) & self.mask()
    }

    /// Parses `a.b.c.d/n`; `None` for anything else (IPv6 included).
    pub fn parse(s: &str) -> Option<Cidr> {
        let (ip, len) = s.split_once('/')?;
        let addr: Ipv4Addr = ip.parse().ok()?;
        let prefix: u8 = len.parse().ok()?;
        (prefix <= 32).then_some(Cidr { addr, prefix })
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Namespace {
    pub name: String,
    pub labels: Labels,
    pub source: Option<Source>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Node {
    pub name: String,
    pub labels: Labels,
    /// `status.addresses[type=InternalIP]`, when given.
    pub internal_ip: Option<Ipv4Addr>,
    /// `spec.podCIDR`, when given.
    pub pod_cidr: Option<Cidr>,
    pub source: Option<Source>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerPort {
    pub name: Option<String>,
    pub container_port: u16,
    pub protocol: Protocol,
    /// `hostPort`, when set.
    pub host_port: Option<u16>,
    pub source: Option<Source>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Container {
    pub name: String,
    pub ports: Vec<ContainerPort>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DnsPolicy {
    #[default]
    ClusterFirst,
    ClusterFirstWithHostNet,
    Default,
    None,
}

/// `spec.dnsConfig`: merged into the generated resolv.conf.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DnsConfig {
    pub nameservers: Vec<Ipv4Addr>,
    pub searches: Vec<String>,
    /// `options`, e.g. `ndots` -> `Some("2")`.
    pub options: Vec<(String, Option<String>)>,
}

/// What a pod template and a bare Pod share.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodSpec {
    pub labels: Labels,
    pub annotations: Labels,
    pub containers: Vec<Container>,
    pub host_network: bool,
    pub hostname: Option<String>,
    pub subdomain: Option<String>,
    pub dns_policy: DnsPolicy,
    pub dns_config: Option<DnsConfig>,
    /// `spec.nodeName`, when pinned.
    pub node_name: Option<String>,
    /// `spec.nodeSelector`.
    pub node_selector: Labels,
    /// `spec.enableServiceLinks: false`: no `<SVC>_SERVICE_HOST` variables are injected.
    pub no_service_links: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pod {
    pub name: String,
    pub namespace: String,
    pub spec: PodSpec,
    /// The pod's IPv4 address from `status.podIP` / `status.podIPs`, when given: kept
    /// whatever the pod's node (pods without one get a model-assigned address).
    pub ip: Option<Ipv4Addr>,
    /// `status.hostIP`, when given: the address of the node the pod runs on. A `nodeName`
    /// that names no node of the cluster becomes a node with this address.
    pub host_ip: Option<Ipv4Addr>,
    /// The status gives the pod only IPv6 addresses, which the model does not read: the pod
    /// has no address (and gets none assigned).
    pub ipv6_only: bool,
    /// The Ready condition from `status.conditions`; `None` when absent (taken as ready).
    pub ready: Option<bool>,
    /// `metadata.deletionTimestamp` is set: the pod is shutting down.
    pub terminating: bool,
    /// `status.phase`, when given.
    pub phase: Option<PodPhase>,
    pub source: Option<Source>,
}

/// A Service's `spec.trafficDistribution`: the EndpointSlice controller gives each ready
/// endpoint hints (its zone; with PreferSameNode its node too), which kube-proxy follows.
/// https://kubernetes.io/docs/concepts/services-networking/service/#traffic-distribution
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrafficDistribution {
    /// The older name of PreferSameZone.
    PreferClose,
    PreferSameZone,
    PreferSameNode,
}

impl TrafficDistribution {
    /// The spellings of `spec.trafficDistribution`.
    pub const ALL: [(&'static str, TrafficDistribution); 3] = [
        ("PreferClose", TrafficDistribution::PreferClose),
        ("PreferSameZone", TrafficDistribution::PreferSameZone),
        ("PreferSameNode", TrafficDistribution::PreferSameNode),
    ];

    pub fn as_str(self) -> &'static str {
        Self::ALL.iter().find(|(_, t)| *t == self).map_or("", |(s, _)| s)
    }
}

/// A pod's `status.phase`.
/// https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-phase
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PodPhase {
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
}

impl PodPhase {
    /// The spellings of `status.phase`.
    pub const ALL: [(&'static str, PodPhase); 5] = [
        ("Pending", PodPhase::Pending),
        ("Running", PodPhase::Running),
        ("Succeeded", PodPhase::Succeeded),
        ("Failed", PodPhase::Failed),
        ("Unknown", PodPhase::Unknown),
    ];

    pub fn as_str(self) -> &'static str {
        Self::ALL.iter().find(|(_, p)| *p == self).map_or("", |(s, _)| s)
    }

    /// Succeeded or Failed: every container has stopped for good, and the pod is never an
    /// endpoint again (the EndpointSlice controller's `ShouldPodBeInEndpoints`).
    pub fn terminal(self) -> bool {
        matches!(self, PodPhase::Succeeded | PodPhase::Failed)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum WorkloadKind {
    Deployment,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
    ReplicationController,
    Job,
    /// Shown while one run is in progress: the pods of the Job of its last schedule.
    CronJob,
}

impl WorkloadKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "Deployment",
            WorkloadKind::ReplicaSet => "ReplicaSet",
            WorkloadKind::StatefulSet => "StatefulSet",
            WorkloadKind::DaemonSet => "DaemonSet",
            WorkloadKind::ReplicationController => "ReplicationController",
            WorkloadKind::Job => "Job",
            WorkloadKind::CronJob => "CronJob",
        }
    }
}

/// What a Job (or a CronJob's job template) adds to a workload, after the API server's
/// defaulting. Its `parallelism` is the workload's `replicas`.
/// https://kubernetes.io/docs/concepts/workloads/controllers/job/
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobSpec {
    /// `spec.completions`; `None` for a work queue (parallelism set, completions not).
    pub completions: Option<u32>,
    /// `completionMode: Indexed`.
    pub indexed: bool,
    /// `spec.suspend: true`: no pod runs.
    pub suspend: bool,
    /// `spec.manualSelector: true`: the API server generates no selector, and so puts no
    /// `job-name` / `controller-uid` labels on the pods.
    pub manual_selector: bool,
    /// `metadata.uid` when written (the `controller-uid` label), else one the model derives.
    pub uid: Option<String>,
    /// A CronJob's `status.lastScheduleTime`, in minutes since the Unix epoch, when written.
    pub scheduled_minute: Option<u64>,
}

/// A controller that expands into pods when the cluster is built.
#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    pub kind: WorkloadKind,
    pub name: String,
    pub namespace: String,
    /// `spec.replicas` (default 1), a Job's `spec.parallelism` (default 1); ignored for
    /// DaemonSets (one pod per node).
    pub replicas: u32,
    pub selector: LabelSelector,
    pub template: PodSpec,
    /// StatefulSet `spec.serviceName`: the governing headless Service.
    pub service_name: Option<String>,
    /// A Job's or a CronJob's job fields.
    pub job: Option<JobSpec>,
    pub source: Option<Source>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ServiceType {
    #[default]
    ClusterIp,
    NodePort,
    LoadBalancer,
    ExternalName,
}

impl ServiceType {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceType::ClusterIp => "ClusterIP",
            ServiceType::NodePort => "NodePort",
            ServiceType::LoadBalancer => "LoadBalancer",
            ServiceType::ExternalName => "ExternalName",
        }
    }
}

/// `spec.clusterIP` as written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClusterIpSpec {
    /// Not set: allocated from the service CIDR.
    #[default]
    Auto,
    /// `None`: a headless Service.
    Headless,
    Fixed(Ipv4Addr),
}

/// `targetPort`: a number or the name of a container port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortRef {
    Number(u16),
    Name(String),
}

impl fmt::Display for PortRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortRef::Number(n) => write!(f, "{n}"),
            PortRef::Name(s) => f.write_str(s),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServicePort {
    pub name: Option<String>,
    pub protocol: Protocol,
    pub port: u16,
    /// Defaults to `port` when absent (manifest fills it in).
    pub target_port: PortRef,
    /// `nodePort` as written; allocated at build time when absent on NodePort/LoadBalancer.
    pub node_port: Option<u16>,
    /// `appProtocol`, informational.
    pub app_protocol: Option<String>,
    pub source: Option<Source>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SessionAffinity {
    #[default]
    None,
    /// `ClientIP` with `sessionAffinityConfig.clientIP.timeoutSeconds` (default 10800).
    ClientIp { timeout_seconds: u32 },
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TrafficPolicy {
    #[default]
    Cluster,
    Local,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Service {
    pub name: String,
    pub namespace: String,
    pub labels: Labels,
    pub annotations: Labels,
    pub service_type: ServiceType,
    /// `None` when the Service has no selector (or an empty one): its endpoints are managed by hand.
    pub selector: Option<Labels>,
    pub cluster_ip: ClusterIpSpec,
    pub ports: Vec<ServicePort>,
    pub external_name: Option<String>,
    pub external_ips: Vec<Ipv4Addr>,
    pub session_affinity: SessionAffinity,
    pub external_traffic_policy: TrafficPolicy,
    pub internal_traffic_policy: TrafficPolicy,
    pub load_balancer_source_ranges: Vec<Cidr>,
    /// `spec.loadBalancerIP` or `status.loadBalancer.ingress[0].ip`, when given.
    pub load_balancer_ip: Option<Ipv4Addr>,
    pub publish_not_ready_addresses: bool,
    /// `spec.trafficDistribution`: where kube-proxy prefers to send traffic.
    pub traffic_distribution: Option<TrafficDistribution>,
    /// `spec.allocateLoadBalancerNodePorts` as written (`None`: true, the API's default for a
    /// LoadBalancer).
    pub allocate_load_balancer_node_ports: Option<bool>,
    pub source: Option<Source>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointPort {
    pub name: Option<String>,
    pub port: u16,
    pub protocol: Protocol,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub addresses: Vec<Ipv4Addr>,
    /// `conditions.ready`; absent means ready.
    pub ready: bool,
    /// `conditions.serving`; absent means the same as `ready`.
    pub serving: bool,
    /// `conditions.terminating`; absent means false.
    pub terminating: bool,
    pub node_name: Option<String>,
    /// `targetRef` when it names a Pod.
    pub target_pod: Option<String>,
    pub hostname: Option<String>,
}

/// A manually managed EndpointSlice (or an `Endpoints` object, mirrored as the
/// EndpointSliceMirroring controller does).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointSlice {
    pub name: String,
    pub namespace: String,
    /// The `kubernetes.io/service-name` label (for mirrored Endpoints, the object's name).
    pub service_name: String,
    pub endpoints: Vec<Endpoint>,
    pub ports: Vec<EndpointPort>,
    pub source: Option<Source>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyType {
    Ingress,
    Egress,
}

impl PolicyType {
    /// The name in `spec.policyTypes`.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyType::Ingress => "Ingress",
            PolicyType::Egress => "Egress",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyPeer {
    /// `podSelector` and/or `namespaceSelector` in one peer (ANDed when both are set).
    Pods {
        pod_selector: Option<LabelSelector>,
        namespace_selector: Option<LabelSelector>,
    },
    IpBlock {
        cidr: Cidr,
        except: Vec<Cidr>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyPort {
    /// Defaults to TCP.
    pub protocol: Protocol,
    /// `None` means every port of the protocol.
    pub port: Option<PortRef>,
    pub end_port: Option<u16>,
}

/// One entry of `ingress` or `egress`. An empty `peers` list means every peer;
/// an empty `ports` list means every port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyRule {
    pub peers: Vec<PolicyPeer>,
    pub ports: Vec<PolicyPort>,
    pub source: Option<Source>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NetworkPolicy {
    pub name: String,
    pub namespace: String,
    pub pod_selector: LabelSelector,
    /// `spec.policyTypes` after defaulting: Ingress always, Egress when egress rules exist.
    pub policy_types: Vec<PolicyType>,
    pub ingress: Vec<PolicyRule>,
    pub egress: Vec<PolicyRule>,
    pub source: Option<Source>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IngressBackend {
    Service {
        name: String,
        port: PortRef,
    },
    /// A `resource` backend: read, reported as unsupported.
    Resource {
        kind: String,
        name: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathType {
    Exact,
    Prefix,
    ImplementationSpecific,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IngressPath {
    pub path: Option<String>,
    pub path_type: PathType,
    pub backend: IngressBackend,
    pub source: Option<Source>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IngressRule {
    /// `None` matches every host.
    pub host: Option<String>,
    pub paths: Vec<IngressPath>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IngressTls {
    pub hosts: Vec<String>,
    pub secret_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Ingress {
    pub name: String,
    pub namespace: String,
    pub annotations: Labels,
    pub class_name: Option<String>,
    pub default_backend: Option<IngressBackend>,
    pub rules: Vec<IngressRule>,
    pub tls: Vec<IngressTls>,
    pub source: Option<Source>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IngressClass {
    pub name: String,
    pub controller: String,
    /// The `ingressclass.kubernetes.io/is-default-class: "true"` annotation.
    pub is_default: bool,
    pub source: Option<Source>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_contains_and_parses() {
        let c = Cidr::parse("10.244.1.0/24").unwrap();
        assert!(c.contains("10.244.1.7".parse().unwrap()));
        assert!(!c.contains("10.244.2.7".parse().unwrap()));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains("8.8.8.8".parse().unwrap()));
        assert_eq!(Cidr::parse("10.0.0.0/33"), None);
        assert_eq!(Cidr::parse("fd00::/8"), None);
    }
}

/// The kind a cluster-wide policy was written as. ClusterNetworkPolicy
/// (`policy.networking.k8s.io/v1alpha2`, network-policy-api v0.2.0) has a `tier`; the two
/// `v1alpha1` kinds it merges (v0.1.8) are each one tier: an AdminNetworkPolicy the Admin
/// tier, the BaselineAdminNetworkPolicy (a singleton named `default`) the Baseline tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ClusterPolicyKind {
    ClusterNetworkPolicy,
    AdminNetworkPolicy,
    BaselineAdminNetworkPolicy,
}

impl ClusterPolicyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ClusterPolicyKind::ClusterNetworkPolicy => "ClusterNetworkPolicy",
            ClusterPolicyKind::AdminNetworkPolicy => "AdminNetworkPolicy",
            ClusterPolicyKind::BaselineAdminNetworkPolicy => "BaselineAdminNetworkPolicy",
        }
    }

    /// The word the earlier kinds use for Accept (`Allow`).
    pub fn accept_word(self) -> &'static str {
        match self {
            ClusterPolicyKind::ClusterNetworkPolicy => "Accept",
            _ => "Allow",
        }
    }
}

/// Where a cluster-wide policy sits: the Admin tier before NetworkPolicy, the Baseline tier
/// after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    Admin,
    Baseline,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Admin => "Admin",
            Tier::Baseline => "Baseline",
        }
    }
}

/// A rule's action. AdminNetworkPolicy's `Allow` is read as `Accept`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClusterAction {
    Accept,
    Deny,
    Pass,
}

/// Pods chosen by namespace labels alone, or by namespace and pod labels together (a
/// policy's `subject`, a rule's `namespaces` or `pods` peer). Host-network pods are never
/// chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClusterSelector {
    Namespaces(LabelSelector),
    Pods { namespaces: LabelSelector, pods: LabelSelector },
}

/// One peer of a rule: pods, or (egress only) address blocks, which match pod addresses too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClusterPeer {
    Pods(ClusterSelector),
    Networks(Vec<Cidr>),
}

/// One entry of a rule's `protocols` (`ports` in v1alpha1): a port range of a protocol (one
/// port is a range of one), or a named container port of the destination pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClusterPort {
    Range { protocol: Protocol, first: u16, last: u16 },
    Named(String),
}

/// One rule of `ingress` or `egress`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterRule {
    /// `name`, empty when not set.
    pub name: String,
    pub action: ClusterAction,
    /// `from` or `to`: at least one.
    pub peers: Vec<ClusterPeer>,
    /// `None`: every port of every protocol.
    pub ports: Option<Vec<ClusterPort>>,
    pub source: Option<Source>,
}

/// A cluster-wide policy (not namespaced).
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterNetworkPolicy {
    pub kind: ClusterPolicyKind,
    pub name: String,
    pub tier: Tier,
    /// 0 to 1000, lower first within a tier; a BaselineAdminNetworkPolicy has none (0).
    pub priority: u32,
    pub subject: ClusterSelector,
    pub ingress: Vec<ClusterRule>,
    pub egress: Vec<ClusterRule>,
    pub source: Option<Source>,
}

impl ClusterNetworkPolicy {
    /// The rules of one direction.
    pub fn rules(&self, direction: PolicyType) -> &[ClusterRule] {
        match direction {
            PolicyType::Ingress => &self.ingress,
            PolicyType::Egress => &self.egress,
        }
    }
}
