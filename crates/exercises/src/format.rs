//! The exercise file format: one YAML file per exercise. The JSON Schema shipped in
//! `exercises/exercise.schema.json` is generated from these types ([`crate::schema`]).
//!
//! Addresses in checks are written as short references, so that a check holds for every
//! equivalent answer (whatever nodePort, ClusterIP or pod name the cluster gives):
//!
//! - a client (`from`): `pod/<ns>/<name>` (a workload name means its first replica),
//!   `pods/<ns>/<selector>` (the first pod the selector matches), `outside` or
//!   `outside/<IPv4>`, `node/<name>`;
//! - a destination (`to`): `service/<ns>/<name>` (from a pod its ClusterIP; from outside its
//!   LoadBalancer address, else a node IP at its nodePort), `nodeport/<ns>/<name>` (a node's
//!   IP at the nodePort of that Service port; `node` picks the node), `loadbalancer/<ns>/<name>`,
//!   `pod/<ns>/<name>` (the pod IP), or anything a client would type: a DNS name, an IP, a URL
//!   (`http://shop.example/api`);
//! - a set of pods: `pods/<ns>/<selector>` (`app=web,tier=front`; empty for every pod of the
//!   namespace), `pod/<ns>/<name>`, or `outside`/`outside/<IPv4>` where a source may be outside.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One exercise.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[schemars(title = "Switchboard exercise")]
pub struct Exercise {
    /// Unique across all exercises: lowercase letters, digits and `-`.
    pub id: String,
    /// The chapter folder this exercise belongs to (e.g. `02-clusterip-and-ports`).
    pub chapter: String,
    pub title: String,
    pub level: Level,
    /// Curriculum concept IDs this exercise teaches (`S1`, `P2`, ... see CURRICULUM.md).
    pub concepts: Vec<String>,
    /// What the learner reads: Markdown (raw HTML is not rendered).
    pub story: String,
    /// Read-only Kubernetes YAML the learner sees but cannot edit (workloads, namespaces).
    #[serde(default)]
    pub cluster: String,
    /// The cluster around the objects: cloud load balancers, ingress controller, CNI.
    #[serde(default)]
    pub topology: TopologyOptions,
    /// The files the learner edits, with their starting text.
    pub files: Vec<File>,
    /// What must hold for the exercise to be solved.
    pub checks: Vec<Check>,
    /// Ordered from gentle to explicit; revealed one at a time. Markdown, as the story.
    pub hints: Vec<String>,
    /// Files (by name, a subset of `files`) that pass every check.
    pub solution: Vec<File>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Beginner,
    Intermediate,
    Advanced,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Beginner => "beginner",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
        }
    }
}

/// The parts of the cluster the YAML does not say. Defaults: a cloud provider hands out
/// LoadBalancer addresses, ingress-nginx is installed, the CNI enforces NetworkPolicy.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct TopologyOptions {
    /// `false`: no cloud provider, LoadBalancer Services stay `<pending>` (a laptop cluster).
    #[serde(default)]
    pub cloud_load_balancer: Option<bool>,
    /// `false`: no Ingress controller is installed.
    #[serde(default)]
    pub ingress_controller: Option<bool>,
    /// `false`: the network plugin ignores NetworkPolicy (flannel).
    #[serde(default)]
    pub enforces_network_policy: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct File {
    /// A file name such as `service.yaml`.
    pub name: String,
    pub text: String,
}

/// One check: a title for the learner and exactly one kind of test.
#[derive(Clone, Debug, PartialEq, Default, Deserialize, Serialize, JsonSchema)]
pub struct Check {
    /// What must hold, in the learner's words ("the frontend reaches the API by name").
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<RequestCheck>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns: Option<DnsCheck>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyCheck>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress: Option<IngressCheck>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectCheck>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid: Option<ValidCheck>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unchanged: Option<UnchangedCheck>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<EnvCheck>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kube_proxy: Option<KubeProxyCheck>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<AnswerCheck>,
}

/// What a check tests: one of its kinds, borrowed from a [`Check`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CheckKind<'a> {
    Request(&'a RequestCheck),
    Dns(&'a DnsCheck),
    Policy(&'a PolicyCheck),
    Ingress(&'a IngressCheck),
    Object(&'a ObjectCheck),
    Valid(&'a ValidCheck),
    Unchanged(&'a UnchangedCheck),
    Env(&'a EnvCheck),
    KubeProxy(&'a KubeProxyCheck),
    Answer(&'a AnswerCheck),
}

impl CheckKind<'_> {
    /// The kinds' keys in an exercise file, in the order [`Check::kinds`] lists them.
    pub const KEYS: [&'static str; 10] = [
        "request",
        "dns",
        "policy",
        "ingress",
        "object",
        "valid",
        "unchanged",
        "env",
        "kube_proxy",
        "answer",
    ];
}

impl Check {
    /// The kinds this check sets, in the order of [`CheckKind::KEYS`]: exactly one in a check
    /// that loads without errors (`check-kind` otherwise).
    pub fn kinds(&self) -> Vec<CheckKind<'_>> {
        let kinds = [
            self.request.as_ref().map(CheckKind::Request),
            self.dns.as_ref().map(CheckKind::Dns),
            self.policy.as_ref().map(CheckKind::Policy),
            self.ingress.as_ref().map(CheckKind::Ingress),
            self.object.as_ref().map(CheckKind::Object),
            self.valid.as_ref().map(CheckKind::Valid),
            self.unchanged.as_ref().map(CheckKind::Unchanged),
            self.env.as_ref().map(CheckKind::Env),
            self.kube_proxy.as_ref().map(CheckKind::KubeProxy),
            self.answer.as_ref().map(CheckKind::Answer),
        ];
        kinds.into_iter().flatten().collect()
    }
}

/// A request sent through the model; every endpoint kube-proxy or the ingress controller may
/// pick (behind each node a cloud load balancer may pick) is tried.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct RequestCheck {
    /// The client: `pod/<ns>/<name>`, `pods/<ns>/<selector>`, `outside`, `outside/<IPv4>`, `node/<name>`.
    pub from: String,
    /// The destination: `service/<ns>/<name>`, `nodeport/<ns>/<name>`, `loadbalancer/<ns>/<name>`,
    /// `pod/<ns>/<name>`, or a DNS name, IP or URL as a client would type it.
    pub to: String,
    /// The port: the Service port for `service/`, `nodeport/` and `loadbalancer/`; the
    /// container port for `pod/`; otherwise overrides the port in `to` (default 80).
    #[serde(default)]
    pub port: Option<u16>,
    /// `TCP` (default), `UDP` or `SCTP`.
    #[serde(default)]
    pub protocol: Option<String>,
    /// For `nodeport/`: the node whose IP is used (default: the first node).
    #[serde(default)]
    pub node: Option<String>,
    pub expect: Expect,
    /// Delivered requests must land on pods of this set (`pods/<ns>/<selector>`, `pod/<ns>/<name>`).
    #[serde(default)]
    pub lands_on: Option<String>,
    /// ... and on this container port.
    #[serde(default)]
    pub on_port: Option<u16>,
    /// `true`: one endpoint meeting the expectation is enough (default: every endpoint).
    #[serde(default)]
    pub any_endpoint: bool,
    /// `true`: ten requests from the same client, with kube-proxy's random choices left to
    /// chance, must all land on the same pod (session affinity).
    #[serde(default)]
    pub sticky: bool,
}

/// How a request ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Expect {
    /// A container accepted the connection.
    Delivered,
    /// Answered by something: a pod, a node, the internet, the Ingress controller.
    Answered,
    /// Not answered, for any reason.
    Blocked,
    /// Connection refused by the pod (no container port).
    Refused,
    /// Dropped on the way (NetworkPolicy, traffic policy, source ranges, no such port).
    Dropped,
    /// The name does not resolve.
    NameNotFound,
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

/// A DNS question asked from a pod (with its resolv.conf).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct DnsCheck {
    /// The asking pod: `pod/<ns>/<name>` or `pods/<ns>/<selector>`; `namespace/<ns>` for any
    /// pod of that namespace with the default resolv.conf.
    pub from: String,
    pub name: String,
    /// `A` (default), `SRV` or `PTR`.
    #[serde(default)]
    pub qtype: Option<String>,
    /// `nxdomain`; `any` (some answer); `service/<ns>/<name>` (its ClusterIP);
    /// `pods/<ns>/<selector>` (exactly the ready pods' IPs); `pod/<ns>/<name>`;
    /// `cname/<name>`; `srv/<port>` (an SRV record on that port).
    pub expect: String,
}

/// NetworkPolicy alone: which connections are allowed on one port, pod set by pod set.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct PolicyCheck {
    pub port: u16,
    /// `TCP` (default), `UDP` or `SCTP`.
    #[serde(default)]
    pub protocol: Option<String>,
    /// Every pair here must be allowed.
    #[serde(default)]
    pub allow: Vec<Pair>,
    /// Every pair here must be denied.
    #[serde(default)]
    pub deny: Vec<Pair>,
}

/// Every source of `from` to every pod of `to`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Pair {
    /// `pods/<ns>/<selector>`, `pod/<ns>/<name>`, `outside` or `outside/<IPv4>`.
    pub from: String,
    /// `pods/<ns>/<selector>` or `pod/<ns>/<name>`.
    pub to: String,
}

/// Where the Ingress controller sends an HTTP request.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct IngressCheck {
    pub host: String,
    pub path: String,
    /// Ask over HTTPS (default HTTP).
    #[serde(default)]
    pub https: bool,
    /// `service/<ns>/<name>` or `service/<ns>/<name>:<port>` (the Service port); `none` (the
    /// controller answers 404); `redirect` (308 to HTTPS).
    pub expect: String,
    /// The path the backend receives (after rewrite-target), when it matters.
    #[serde(default)]
    pub upstream_path: Option<String>,
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

/// The `<SVC>_SERVICE_HOST`-style variables a pod's containers get at start.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct EnvCheck {
    /// `pod/<ns>/<name>` or `pods/<ns>/<selector>`.
    pub pod: String,
    /// Variable names that must be set.
    #[serde(default)]
    pub has: Vec<String>,
    /// Variable names that must not be set.
    #[serde(default)]
    pub lacks: Vec<String>,
}

/// kube-proxy's rules for one Service port on a node (`iptables-save`).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct KubeProxyCheck {
    /// `<ns>/<name>`.
    pub service: String,
    pub port: u16,
    /// How many distinct KUBE-SEP endpoint chains its KUBE-SVC chain jumps to.
    pub endpoints: usize,
    /// Default `node-1`.
    #[serde(default)]
    pub node: Option<String>,
}

/// A question the learner answers in a file of `key: value` lines.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct AnswerCheck {
    /// One of the exercise's `files`.
    pub file: String,
    pub key: String,
    /// Accepted answers, compared without case and surrounding spaces.
    pub accept: Vec<Scalar>,
}
