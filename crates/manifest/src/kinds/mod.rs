//! The kinds read, one module each: its conversion to netsim's types and its per-object
//! validation, as the API server applies them (an object with an error is reported and left
//! out). [`Kind`] is parsed once from a document's `kind`; [`read`] checks the document
//! against the schema ([`crate::shape`]), checks its metadata and hands it to its kind's
//! module.
//!
//! Defaulting, as the API server does it: Service `type` ClusterIP, port `protocol` TCP,
//! `targetPort` = `port`, ClientIP affinity timeout 10800 s, `replicas` 1, a
//! ReplicationController's selector = its template's labels, Job `parallelism` 1 and
//! `completions` 1 when neither is set, NetworkPolicy
//! `policyTypes` (Ingress always; Egress when egress rules exist), NetworkPolicy port
//! protocol TCP. An empty Service selector `{}` is read as no selector: the API server treats
//! it the same way (no Endpoints are managed for it).

#[cfg(feature = "gateway-api")]
pub mod cluster_policy;
pub mod endpoint_slice;
pub mod endpoints;
#[cfg(feature = "gateway-api")]
pub mod gateway;
pub mod ingress;
pub mod ingress_class;
pub mod job;
pub mod namespace;
pub mod network_policy;
pub mod node;
pub mod pod;
pub mod service;
pub mod workload;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::names;
use crate::object::{meta, source, At, Meta, Obj, Object};
use crate::shape;
use crate::tree::Node;
use crate::{Diagnostic, Severity};

/// Whether an object of `kind` can change a networking answer: Namespace, Node, Pod, the
/// workloads (those read and Job, CronJob, ReplicationController), Service, Endpoints,
/// EndpointSlice, NetworkPolicy, Ingress, IngressClass, the Gateway API's kinds
/// (gateway.networking.k8s.io) and the cluster-wide and CNI policy kinds (AdminNetworkPolicy,
/// BaselineAdminNetworkPolicy and ClusterNetworkPolicy of policy.networking.k8s.io; Calico's
/// and Cilium's policies and network sets). Every other kind (ConfigMap, Secret,
/// ServiceAccount, RBAC, CustomResourceDefinition, …) cannot.
pub fn networking(kind: &str) -> bool {
    Kind::parse(kind).is_some()
        || matches!(
            kind,
            // Workloads.
            "Job" | "CronJob" | "ReplicationController"
            // The Gateway API's kinds not simulated (those read are `Kind`s).
            | "TCPRoute" | "TLSRoute" | "UDPRoute" | "BackendTLSPolicy" | "ListenerSet" | "XListenerSet"
            | "BackendTrafficPolicy" | "XBackendTrafficPolicy"
            // Cluster-wide policy (policy.networking.k8s.io).
            | "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy" | "ClusterNetworkPolicy"
            // Calico (projectcalico.org) and Cilium (cilium.io).
            | "GlobalNetworkPolicy" | "StagedNetworkPolicy" | "StagedGlobalNetworkPolicy"
            | "StagedKubernetesNetworkPolicy" | "NetworkSet" | "GlobalNetworkSet" | "Tier"
            | "CiliumNetworkPolicy" | "CiliumClusterwideNetworkPolicy" | "CiliumCIDRGroup"
        )
}

/// The reading of the kinds defined by CRDs (`gateway`, `cluster_policy`), plugged in by
/// `crate::plug::install`.
pub struct GatewayKinds {
    /// One object of kind `&str`, its schema checked and its metadata read.
    pub(crate) read: for<'a, 'b> fn(&str, &mut Obj<'a>, At<'b>, Meta, Option<netsim::Source>) -> Object,
}

pub(crate) static GATEWAY: netsim::socket::Socket<GatewayKinds> = netsim::socket::Socket::new();

#[cfg(feature = "gateway-api")]
pub(crate) static DIRECT_GATEWAY: GatewayKinds = GatewayKinds { read: read_gateway_kind };

/// One object of a kind defined by CRDs (`kind`: GatewayClass, Gateway, HTTPRoute, GRPCRoute,
/// ReferenceGrant, or a cluster-wide policy kind), its schema checked and its metadata read.
#[cfg(feature = "gateway-api")]
fn read_gateway_kind(
    kind: &str,
    o: &mut Obj<'_>,
    root: At<'_>,
    m: Meta,
    src: Option<netsim::Source>,
) -> Object {
    let spec = root.key("spec");
    match kind {
        "GatewayClass" => Object::GatewayClass(gateway::class(spec, m, src)),
        "Gateway" => Object::Gateway(gateway::gateways::read(o, spec, m, src)),
        "HTTPRoute" => Object::HttpRoute(gateway::http_route::read(o, root, m, src)),
        "GRPCRoute" => Object::GrpcRoute(gateway::grpc_route::read(o, root, m, src)),
        "ReferenceGrant" => Object::ReferenceGrant(gateway::reference_grant(spec, m, src)),
        _ => Object::ClusterNetworkPolicy(cluster_policy::read(kind, o, root, m, src)),
    }
}

fn gateway_kinds() -> Option<&'static GatewayKinds> {
    netsim::plugged!(GATEWAY, &DIRECT_GATEWAY)
}

/// Whether the Gateway API's kinds are read now: with the `gateway-api` feature, and with
/// `gateway-later` once `crate::plug::install` has run.
pub fn gateway_api() -> bool {
    gateway_kinds().is_some()
}

/// A kind of the Gateway API that the model does not simulate: the rest of the v1.6.1
/// standard channel (ListenerSet, TLSRoute, TCPRoute, UDPRoute, BackendTLSPolicy) and the
/// experimental channel's XListenerSet and XBackendTrafficPolicy; while the Gateway API's
/// reading is not there ([`gateway_api`]), every kind of the Gateway API.
pub fn gateway_not_simulated(kind: &str) -> bool {
    let simulated_here =
        matches!(kind, "GatewayClass" | "Gateway" | "HTTPRoute" | "GRPCRoute" | "ReferenceGrant");
    (simulated_here && !gateway_api())
        || matches!(
            kind,
            "ListenerSet"
                | "TLSRoute"
                | "TCPRoute"
                | "UDPRoute"
                | "BackendTLSPolicy"
                | "XListenerSet"
                | "BackendTrafficPolicy"
                | "XBackendTrafficPolicy"
        )
}

/// A kind read, each served by one apiVersion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Namespace,
    Node,
    Pod,
    Service,
    Endpoints,
    EndpointSlice,
    Deployment,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
    ReplicationController,
    Job,
    CronJob,
    Ingress,
    IngressClass,
    NetworkPolicy,
    GatewayClass,
    Gateway,
    HttpRoute,
    GrpcRoute,
    ReferenceGrant,
    ClusterNetworkPolicy,
    AdminNetworkPolicy,
    BaselineAdminNetworkPolicy,
}

impl Kind {
    pub const ALL: [Kind; 24] = [
        Kind::Namespace,
        Kind::Node,
        Kind::Pod,
        Kind::Service,
        Kind::Endpoints,
        Kind::EndpointSlice,
        Kind::Deployment,
        Kind::ReplicaSet,
        Kind::StatefulSet,
        Kind::DaemonSet,
        Kind::ReplicationController,
        Kind::Job,
        Kind::CronJob,
        Kind::Ingress,
        Kind::IngressClass,
        Kind::NetworkPolicy,
        Kind::GatewayClass,
        Kind::Gateway,
        Kind::HttpRoute,
        Kind::GrpcRoute,
        Kind::ReferenceGrant,
        Kind::ClusterNetworkPolicy,
        Kind::AdminNetworkPolicy,
        Kind::BaselineAdminNetworkPolicy,
    ];

    /// The kind as `kind:` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Namespace => "Namespace",
            Kind::Node => "Node",
            Kind::Pod => "Pod",
            Kind::Service => "Service",
            Kind::Endpoints => "Endpoints",
            Kind::EndpointSlice => "EndpointSlice",
            Kind::Deployment => "Deployment",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::StatefulSet => "StatefulSet",
            Kind::DaemonSet => "DaemonSet",
            Kind::ReplicationController => "ReplicationController",
            Kind::Job => "Job",
            Kind::CronJob => "CronJob",
            Kind::Ingress => "Ingress",
            Kind::IngressClass => "IngressClass",
            Kind::NetworkPolicy => "NetworkPolicy",
            Kind::GatewayClass => "GatewayClass",
            Kind::Gateway => "Gateway",
            Kind::HttpRoute => "HTTPRoute",
            Kind::GrpcRoute => "GRPCRoute",
            Kind::ReferenceGrant => "ReferenceGrant",
            Kind::ClusterNetworkPolicy => "ClusterNetworkPolicy",
            Kind::AdminNetworkPolicy => "AdminNetworkPolicy",
            Kind::BaselineAdminNetworkPolicy => "BaselineAdminNetworkPolicy",
        }
    }

    /// The kind `kind:` names, when it is read (those defined by CRDs, while their reading is
    /// there: [`gateway_api`]).
    pub fn parse(kind: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == kind && (!k.crd() || gateway_api()))
    }

    /// A kind defined by CRDs: the Gateway API's, and the cluster-wide policy kinds
    /// (policy.networking.k8s.io), checked against the tables generated from their CRDs.
    pub fn crd(self) -> bool {
        self.gateway() || self.cluster_policy()
    }

    /// ClusterNetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy.
    pub fn cluster_policy(self) -> bool {
        matches!(
            self,
            Kind::ClusterNetworkPolicy | Kind::AdminNetworkPolicy | Kind::BaselineAdminNetworkPolicy
        )
    }

    /// A kind of the Gateway API (gateway.networking.k8s.io), defined by CRDs: checked
    /// against `gateway_schema.txt`, not built as a k8s-openapi type.
    pub fn gateway(self) -> bool {
        matches!(
            self,
            Kind::GatewayClass | Kind::Gateway | Kind::HttpRoute | Kind::GrpcRoute | Kind::ReferenceGrant
        )
    }

    /// Whether `api` serves the kind: [`Kind::api_version`], and for the Gateway API's kinds
    /// every version their v1.6.1 CRDs serve (`v1beta1` too, but for GRPCRoute; the table's
    /// `+` lines, which a test compares).
    pub fn serves(self, api: &str) -> bool {
        api == self.api_version()
            || (self.gateway() && self != Kind::GrpcRoute && api == "gateway.networking.k8s.io/v1beta1")
    }

    /// The apiVersion that serves the kind (the preferred one when there are several).
    pub fn api_version(self) -> &'static str {
        match self {
            Kind::Namespace
            | Kind::Node
            | Kind::Pod
            | Kind::Service
            | Kind::Endpoints
            | Kind::ReplicationController => "v1",
            Kind::Job | Kind::CronJob => "batch/v1",
            Kind::EndpointSlice => "discovery.k8s.io/v1",
            Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet | Kind::DaemonSet => "apps/v1",
            Kind::Ingress | Kind::IngressClass | Kind::NetworkPolicy => "networking.k8s.io/v1",
            Kind::GatewayClass | Kind::Gateway | Kind::HttpRoute | Kind::GrpcRoute | Kind::ReferenceGrant => {
                "gateway.networking.k8s.io/v1"
            }
            Kind::ClusterNetworkPolicy => "policy.networking.k8s.io/v1alpha2",
            Kind::AdminNetworkPolicy | Kind::BaselineAdminNetworkPolicy => {
                "policy.networking.k8s.io/v1alpha1"
            }
        }
    }

    pub fn cluster_scoped(self) -> bool {
        matches!(self, Kind::Namespace | Kind::Node | Kind::IngressClass | Kind::GatewayClass)
            || self.cluster_policy()
    }

    /// The syntax of the kind's names (the API server's `ValidateObjectMeta` name function).
    fn name_rule(self) -> fn(&str) -> Result<(), String> {
        match self {
            Kind::Service => names::dns1035_label,
            Kind::Namespace => names::dns1123_label,
            Kind::CronJob => job::cronjob_name,
            _ => names::dns1123_subdomain,
        }
    }
}

/// One object of a known kind and apiVersion (`node`, a document or a list's item, whose range
/// is `span`), read: its name, its namespace and the object (usable when `o` counted no
/// error). `None` when the schema check found the object unreadable.
pub(crate) fn read(
    kind: Kind,
    o: &mut Obj<'_>,
    node: &Node,
    span: (usize, usize),
) -> Option<(String, String, Object)> {
    // The field names and value types, checked against the API schema (shape.rs).
    let (problems, fatal) = shape::check(kind.as_str(), node, true);
    for p in problems {
        // Unknown fields count too: strict field validation refuses the object. Read leniently,
        // they are warnings and the object is kept without them (fieldValidation=Warn).
        let warn = o.warn_unknown_fields && p.code == "unknown-field";
        if !warn {
            o.errors += 1;
        }
        o.diags.push(Diagnostic {
            severity: if warn { Severity::Warning } else { Severity::Error },
            code: p.code,
            message: p.message,
            file: o.file.to_string(),
            start: p.start,
            end: p.end,
            hints: p.hints,
        });
    }
    if fatal {
        return None;
    }
    let root = At::root(node);
    let src = source(o.file, span);
    // The object is read first (type errors skip it), then its metadata, then the rest.
    let mut id = (String::new(), String::new());
    let mut meta_of = |o: &mut Obj<'_>, m: &ObjectMeta| {
        let m = meta(o, root.key("metadata"), kind.as_str(), kind.cluster_scoped(), kind.name_rule(), m);
        id = (m.name.clone(), m.namespace.clone());
        m
    };
    let object = match kind {
        Kind::Namespace => namespace::read(meta_of(o, &namespace::build(node).metadata), src),
        Kind::Node => {
            let v = node::build(node);
            let m = meta_of(o, &v.metadata);
            node::read(o, root, v, m, src)
        }
        Kind::Pod => {
            let v = pod::build(node);
            let m = meta_of(o, &v.metadata);
            pod::read(o, root, v, m, src)
        }
        Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet | Kind::DaemonSet => {
            let w = workload::build(node);
            let m = meta_of(o, &w.metadata);
            let wk = match kind {
                Kind::Deployment => netsim::WorkloadKind::Deployment,
                Kind::ReplicaSet => netsim::WorkloadKind::ReplicaSet,
                Kind::StatefulSet => netsim::WorkloadKind::StatefulSet,
                _ => netsim::WorkloadKind::DaemonSet,
            };
            workload::read(o, root, wk, w, m, src)
        }
        Kind::ReplicationController => {
            let v = workload::build_rc(node);
            let m = meta_of(o, &v.metadata);
            workload::read_rc(o, root, v, m, src)
        }
        Kind::Job => {
            let v = job::build(node);
            let m = meta_of(o, &v.metadata);
            job::read(o, root, v, m, src)
        }
        Kind::CronJob => {
            let v = job::build_cron(node);
            let m = meta_of(o, &v.metadata);
            job::read_cron(o, root, v, m, src)
        }
        Kind::Service => {
            let v = service::build(node);
            let m = meta_of(o, &v.metadata);
            service::read(o, root, v, m, src)
        }
        Kind::Endpoints => {
            let v = endpoints::build(node);
            let m = meta_of(o, &v.metadata);
            endpoints::read(o, root, v, m)
        }
        Kind::EndpointSlice => {
            let v = endpoint_slice::build(node);
            let m = meta_of(o, &v.metadata);
            endpoint_slice::read(o, root, v, m, src)
        }
        Kind::NetworkPolicy => {
            let v = network_policy::build(node);
            let m = meta_of(o, &v.metadata);
            network_policy::read(o, root, v, m, src)
        }
        Kind::Ingress => {
            let v = ingress::build(node);
            let m = meta_of(o, &v.metadata);
            ingress::read(o, root, v, m, src)
        }
        Kind::IngressClass => {
            let v = ingress_class::build(node);
            let m = meta_of(o, &v.metadata);
            ingress_class::read(o, root, v, m, src)
        }
        Kind::GatewayClass
        | Kind::Gateway
        | Kind::HttpRoute
        | Kind::GrpcRoute
        | Kind::ReferenceGrant
        | Kind::ClusterNetworkPolicy
        | Kind::AdminNetworkPolicy
        | Kind::BaselineAdminNetworkPolicy => {
            // Parsed only while the reading of the kinds defined by CRDs is there (`Kind::parse`).
            let reading = gateway_kinds()?;
            let m = meta_of(o, &crate::fields::object_meta(Some(node)));
            (reading.read)(kind.as_str(), o, root, m, src)
        }
    };
    Some((id.0, id.1, object))
}
