//! A loaded check: a title and what it tests ([`CheckKind`]), each kind its own type with
//! its references parsed ([`crate::refs`]) and its defaults filled in. The kinds that hold no
//! reference (`object`, `valid`, `unchanged`, `answer`) are the same types as in the file.

use std::collections::BTreeMap;

use netsim::{Protocol, QueryType};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::ends::By;
use crate::refs::{
    ClientRef, DnsExpect, DnsFrom, GatewayExpect, IngressExpect, LandsOn, NamespacedName, PodSet, PolicyPort,
    SeenSource, Spanned, TargetRef,
};

/// One check of a loaded exercise.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    /// What must hold, in the learner's words.
    pub title: String,
    pub kind: CheckKind,
}

/// What a check tests: the key of the check in the exercise file.
#[derive(Clone, Debug, PartialEq)]
pub enum CheckKind {
    /// Boxed: the largest kind by far.
    Request(Box<Request>),
    Dns(Dns),
    Policy(Policy),
    Ingress(Ingress),
    /// `gateway` and `route_status`, kept as written: read, converted and graded by the
    /// Gateway API's code (`routes`), which the browser loads after the first grade.
    Route(Box<RouteCheck>),
    Object(ObjectCheck),
    Valid(ValidCheck),
    Unchanged(UnchangedCheck),
    Env(Env),
    KubeProxy(KubeProxy),
    LoadBalancer(LoadBalancer),
    Answer(AnswerCheck),
}

/// `request`: a request sent through the model (see `format::RequestCheck`).
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub from: Spanned<ClientRef>,
    pub to: Spanned<TargetRef>,
    pub port: Option<u16>,
    pub protocol: Protocol,
    /// For `nodeport/`: the node whose IP is used (default: the first node); a node of the
    /// solution's cluster.
    pub node: Option<Spanned<String>>,
    pub expect: Expect,
    /// What must have stopped the request (with `blocked` or `dropped`).
    pub by: Option<Spanned<By>>,
    /// Where delivered requests must land: a set of pods (never `PodSet::Outside`), or
    /// `same-node`.
    pub lands_on: Option<Spanned<LandsOn>>,
    /// The node the answering pod must run on (a node of the solution's cluster).
    pub on_node: Option<Spanned<String>>,
    pub on_port: Option<u16>,
    /// The source address the answering pod must see.
    pub sees_source: Option<Spanned<SeenSource>>,
    /// The Host header sent, when it is not `to`'s host.
    pub host: Option<String>,
    /// The path the backend must receive (with `expect: delivered`).
    pub upstream_path: Option<Spanned<String>>,
    /// The Secret whose certificate must answer (an HTTPS request).
    pub tls_secret: Option<Spanned<NamespacedName>>,
    pub any_endpoint: bool,
    /// For `pods/`: one client meeting the expectation is enough (default: every pod).
    pub any_client: bool,
    pub sticky: bool,
}

/// `dns`: a DNS question asked from a pod.
#[derive(Clone, Debug, PartialEq)]
pub struct Dns {
    pub from: Spanned<DnsFrom>,
    pub name: String,
    pub qtype: QueryType,
    pub expect: Spanned<DnsExpect>,
    /// For `pods/`: one asking pod getting the answer is enough (default: every pod).
    pub any_client: bool,
    /// The resolver's answer alone, without asking whether the pod can reach its DNS server.
    pub ignore_policy: bool,
}

/// `policy`: which connections NetworkPolicy alone allows on one port (each port of a
/// range; a named port resolved on each destination pod).
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    pub port: Spanned<PolicyPort>,
    pub protocol: Protocol,
    pub allow: Vec<PodPair>,
    pub deny: Vec<PodPair>,
}

/// Every source of `from` (pods, or addresses outside) to every destination of `to` (pods,
/// or addresses outside); at most one of them is outside.
#[derive(Clone, Debug, PartialEq)]
pub struct PodPair {
    pub from: Spanned<PodSet>,
    pub to: Spanned<PodSet>,
}

/// `ingress`: where the Ingress controller sends an HTTP request.
#[derive(Clone, Debug, PartialEq)]
pub struct Ingress {
    pub host: String,
    pub path: String,
    pub https: bool,
    pub expect: Spanned<IngressExpect>,
    pub upstream_path: Option<String>,
    /// The Secret whose certificate must answer (with `https: true`).
    pub tls_secret: Option<Spanned<NamespacedName>>,
}

/// `gateway`, read (`routes`): what a Gateway of the built-in controller does with one
/// request (see `format::GatewayCheck`).
#[derive(Clone, Debug, PartialEq)]
pub struct Gateway {
    pub gateway: Spanned<NamespacedName>,
    pub host: String,
    /// `path?query`.
    pub path: String,
    pub https: bool,
    /// The listener port: the check's, else 80 or 443.
    pub port: u16,
    pub method: String,
    pub headers: Vec<(String, String)>,
    pub expect: Spanned<GatewayExpect>,
    /// With `GatewayExpect::Split`: each Service and its share.
    pub weights: Vec<(NamespacedName, u32)>,
    pub location: Option<String>,
    pub upstream_path: Option<String>,
    pub upstream_host: Option<String>,
}

/// `route_status`, read (`routes`): the conditions the built-in controller writes on a Route
/// for one parent.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteStatus {
    pub route: Spanned<NamespacedName>,
    pub kind: netsim::gateway::RouteKind,
    pub parent: Spanned<NamespacedName>,
    pub section: Option<String>,
    pub accepted: bool,
    pub resolved_refs: Option<bool>,
    pub reason: Option<String>,
}

/// A Gateway API check as written: `gateway` or `route_status` (`key`), the `index`th check
/// of its exercise, its value unread.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteCheck {
    pub key: &'static str,
    pub index: usize,
    pub raw: manifest::de::Raw,
}

/// `replay`, read (`routes`): the same requests through the ingress controller and through
/// the Gateways (see `format::ReplayCheck`).
#[derive(Clone, Debug, PartialEq)]
pub struct Replay {
    pub ingress: Vec<String>,
    pub gateway: Vec<String>,
    /// `(https, host, path)`; empty: generated.
    pub requests: Vec<(bool, String, String)>,
    pub same: bool,
}

/// `env`: the Service variables a pod's containers get.
#[derive(Clone, Debug, PartialEq)]
pub struct Env {
    /// Never `PodSet::Outside`.
    pub pod: Spanned<PodSet>,
    pub has: Vec<String>,
    pub lacks: Vec<String>,
}

/// `kube_proxy`: kube-proxy's rules for one Service port on a node.
#[derive(Clone, Debug, PartialEq)]
pub struct KubeProxy {
    pub service: Spanned<NamespacedName>,
    pub port: u16,
    pub chain: KubeProxyChain,
    pub endpoints: usize,
    /// `node-1` unless the check names another (then at its place; else at the check's); a
    /// node of the solution's cluster.
    pub node: Spanned<String>,
}

/// Which traffic to a Service port a `kube_proxy` check follows, to the chain of endpoints
/// it ends in on the node.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum KubeProxyChain {
    /// To the cluster IP: KUBE-SERVICES to KUBE-SVC (KUBE-SVL under internalTrafficPolicy Local).
    #[default]
    Cluster,
    /// From outside to a node's nodePort: KUBE-NODEPORTS to KUBE-EXT, then KUBE-SVC (KUBE-SVL
    /// under externalTrafficPolicy Local).
    Nodeport,
    /// From outside to the load balancer IP: KUBE-SERVICES to KUBE-EXT (through KUBE-FW with
    /// loadBalancerSourceRanges), then as `nodeport`.
    LoadBalancer,
    /// The KUBE-SVL chain itself: the node's own endpoints, under a Local traffic policy.
    Local,
}

/// `load_balancer`: the nodes a cloud load balancer targets for one Service port.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadBalancer {
    pub service: Spanned<NamespacedName>,
    /// The Service's first port when the check names none.
    pub port: Option<u16>,
    pub protocol: Protocol,
    /// Node names of the solution's cluster, each once.
    pub nodes: Vec<Spanned<String>>,
}

/// How a request ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Expect {
    /// A container accepted the connection.
    Delivered,
    /// Answered by something: a pod, a node, the internet, the Ingress controller.
    Answered,
    /// Not answered, for any reason but a name that does not exist.
    Blocked,
    /// Connection refused by the pod (no container port).
    Refused,
    /// Dropped on the way (NetworkPolicy, traffic policy, source ranges, no such port).
    Dropped,
    /// The name does not resolve.
    NameNotFound,
    /// The name lookup times out: NetworkPolicy drops the pod's DNS query, so no
    /// connection is tried.
    DnsTimeout,
    /// The Service has no ready endpoints.
    NoEndpoints,
    /// Nothing routes there (a ClusterIP from outside, an unknown address).
    NoRoute,
    /// Leaves the cluster for the internet.
    LeftCluster,
    /// An ExternalName CNAME sent it outside the cluster.
    ExternalName,
    /// A node's own process answered.
    ReachedNode,
    /// The Ingress controller answered 308 (redirect to HTTPS).
    Redirected,
    /// The Ingress controller answered 404.
    NotFound,
    /// The Ingress controller answered 503.
    Unavailable,
}

impl Expect {
    pub fn as_str(self) -> &'static str {
        match self {
            Expect::Delivered => "delivered",
            Expect::Answered => "answered",
            Expect::Blocked => "blocked",
            Expect::Refused => "refused",
            Expect::Dropped => "dropped",
            Expect::NameNotFound => "name-not-found",
            Expect::DnsTimeout => "dns-timeout",
            Expect::NoEndpoints => "no-endpoints",
            Expect::NoRoute => "no-route",
            Expect::LeftCluster => "left-cluster",
            Expect::ExternalName => "external-name",
            Expect::ReachedNode => "reached-node",
            Expect::Redirected => "redirected",
            Expect::NotFound => "not-found",
            Expect::Unavailable => "unavailable",
        }
    }
}

/// An object in the learner's files (or the cluster) with given field values.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct ObjectCheck {
    pub kind: String,
    /// Default `default`.
    #[serde(default)]
    pub namespace: Option<String>,
    /// Without a name, any object of the kind in the namespace may satisfy the fields
    /// (so learners may name it as they like).
    #[serde(default)]
    pub name: Option<String>,
    /// Field path (`spec.type`, `spec.ports[0].port`, `spec.ports[*].name`,
    /// `metadata.labels.app`) to its expected value; `"*"` means present. Defaults the API
    /// server fills in (a Service's `spec.type`, a port's `protocol`) count.
    #[serde(default)]
    pub fields: BTreeMap<String, Scalar>,
    /// `false`: no such object may exist.
    #[serde(default = "yes")]
    pub exists: bool,
}

fn yes() -> bool {
    true
}

/// A YAML scalar compared as text (`80`, `"80"`, `true`, `ClusterIP`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Scalar, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string, a number or a boolean")
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// The learner's files load with no error (and, with `warnings: false`, no warning).
#[derive(Clone, Debug, PartialEq, Default, Deserialize, Serialize, JsonSchema)]
pub struct ValidCheck {
    #[serde(default = "yes")]
    pub warnings: bool,
}

/// An object the learner must not change (compared as data: comments and layout may change).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct UnchangedCheck {
    pub kind: String,
    #[serde(default)]
    pub namespace: Option<String>,
    pub name: String,
}

/// A question the learner answers in a file of `key: value` lines.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct AnswerCheck {
    /// One of the exercise's `files`.
    pub file: String,
    pub key: String,
    /// Accepted answers, compared without case and surrounding spaces; with `set`, the
    /// values the answer holds.
    pub accept: Vec<Scalar>,
    /// `true`: the answer is an unordered set of values (a YAML list, or values separated by
    /// commas) that must hold exactly the values of `accept`, in any order.
    #[serde(default)]
    pub set: bool,
}
