//! The exercise file format: one YAML file per exercise, read into `Exercise<CheckFile>` by
//! serde. The JSON Schema shipped in `exercises/exercise.schema.json` is generated from these
//! types (`exercises::schema`). Loading turns each [`CheckFile`] into a [`Check`], its
//! references parsed; the kinds that hold no reference (`object`, `valid`, `unchanged`,
//! `answer`) are read straight into `check`'s types.
//!
//! Addresses in checks are written as short references, so that a check holds for every
//! equivalent answer (whatever nodePort, ClusterIP or pod name the cluster gives):
//!
//! - a client (`from`): `pod/<ns>/<name>` (a workload name means its first replica),
//!   `pods/<ns>/<selector>` (every pod the selector matches, each a client; `any_client`:
//!   one of them), `outside` or
//!   `outside/<IPv4>`, `node/<name>`;
//! - a destination (`to`): `service/<ns>/<name>` (from a pod its ClusterIP; from outside its
//!   LoadBalancer address, else a node IP at its nodePort), `nodeport/<ns>/<name>` (a node's
//!   IP at the nodePort of that Service port; `node` picks the node), `loadbalancer/<ns>/<name>`,
//!   `pod/<ns>/<name>` (the pod IP), or anything a client would type: a DNS name, an IP, a URL
//!   (`http://shop.example/api`);
//! - a set of pods: `pods/<ns>/<selector>` (`app=web,tier=front`; empty for every pod of the
//!   namespace), `pod/<ns>/<name>`, or, in a `policy` pair, addresses outside: `outside`,
//!   `outside/<IPv4>` or `outside/<cidr>`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::check::{
    AnswerCheck, Check, CheckKind, Expect, KubeProxyChain, ObjectCheck, UnchangedCheck, ValidCheck,
};

/// The read-only cluster YAML, as the learner's editor and the grader name it.
pub const CLUSTER_FILE: &str = "cluster.yaml";

/// One exercise: as written, `Exercise<CheckFile>`; as loaded, `Exercise` (its checks typed).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[schemars(title = "Switchboard exercise", description = "One exercise.")]
pub struct Exercise<C = Check> {
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
    pub checks: Vec<C>,
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
    /// `true`: clients outside the cluster reach pod IPs (a VPC-native network plugin); by
    /// default only nodes and load balancers are reachable from outside.
    #[serde(default)]
    pub pod_network_routed: Option<bool>,
    /// kube-proxy's mode on every node: `iptables` (the default, as in Kubernetes 1.35) or
    /// `nftables`.
    #[serde(default)]
    pub kube_proxy_mode: Option<KubeProxyMode>,
}

/// kube-proxy's `--proxy-mode`, as an exercise's topology names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum KubeProxyMode {
    Iptables,
    Nftables,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct File {
    /// A file name such as `service.yaml`.
    pub name: String,
    pub text: String,
}

impl Exercise {
    /// The starting files with the solution's files put in.
    pub(crate) fn solution_files(&self) -> Vec<manifest::SourceFile> {
        self.files
            .iter()
            .map(|f| {
                let text = self.solution.iter().find(|s| s.name == f.name).map_or(&f.text, |s| &s.text);
                manifest::SourceFile { name: f.name.clone(), text: text.clone() }
            })
            .collect()
    }

    /// What the model loads: the read-only cluster first, then `files`' version of each of
    /// the exercise's files (a missing file counts as empty) but the answer files, which hold
    /// `key: value` lines, not Kubernetes objects.
    pub(crate) fn sources(&self, files: &[manifest::SourceFile]) -> Vec<manifest::SourceFile> {
        let mut sources =
            vec![manifest::SourceFile { name: CLUSTER_FILE.into(), text: self.cluster.clone() }];
        for f in &self.files {
            let answers =
                self.checks.iter().any(|c| matches!(&c.kind, CheckKind::Answer(a) if a.file == f.name));
            if !answers {
                let text =
                    files.iter().find(|l| l.name == f.name).map(|l| l.text.clone()).unwrap_or_default();
                sources.push(manifest::SourceFile { name: f.name.clone(), text });
            }
        }
        sources
    }
}

impl TopologyOptions {
    /// The model's topology for these options.
    pub fn topology(&self) -> netsim::Topology {
        let mut t = netsim::Topology::default();
        if self.cloud_load_balancer == Some(false) {
            t.load_balancer_pool = None;
        }
        if self.ingress_controller == Some(false) {
            t.ingress_controller = false;
        }
        if self.enforces_network_policy == Some(false) {
            t.enforces_network_policy = false;
        }
        t.pod_network_routed = self.pod_network_routed == Some(true);
        if self.kube_proxy_mode == Some(KubeProxyMode::Nftables) {
            t.kube_proxy_mode = netsim::ProxyMode::Nftables;
        }
        t
    }
}

/// One check: a title for the learner and exactly one kind of test.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[schemars(rename = "Check")]
pub struct CheckFile {
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
    pub gateway: Option<Later<GatewayCheck>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_status: Option<Later<RouteStatusCheck>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay: Option<Later<ReplayCheck>>,
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
    pub load_balancer: Option<LoadBalancerCheck>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<AnswerCheck>,
}

impl CheckFile {
    /// The keys of the kinds, in the order of the fields above (`check-kind` lists them):
    /// the field names serde's derive passes to the deserializer, but `title`.
    pub fn kind_keys() -> Vec<&'static str> {
        struct FieldsOf;
        #[derive(Debug)]
        struct Fields(&'static [&'static str]);
        impl std::fmt::Display for Fields {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{:?}", self.0)
            }
        }
        impl std::error::Error for Fields {}
        impl serde::de::Error for Fields {
            fn custom<T: std::fmt::Display>(_: T) -> Fields {
                Fields(&[])
            }
        }
        impl<'de> serde::Deserializer<'de> for FieldsOf {
            type Error = Fields;
            fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Fields> {
                Err(Fields(&[]))
            }
            fn deserialize_struct<V: serde::de::Visitor<'de>>(
                self,
                _: &'static str,
                fields: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, Fields> {
                Err(Fields(fields))
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
                byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
                identifier ignored_any
            }
        }
        let fields = match CheckFile::deserialize(FieldsOf) {
            Err(Fields(fields)) => fields,
            Ok(_) => &[],
        };
        fields.iter().copied().filter(|f| *f != "title").collect()
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
    /// With `blocked` or `dropped`: what must have stopped the request. `networkpolicy` (or
    /// `networkpolicy/<ns>/<name>`), `clusternetworkpolicy` (a cluster-wide policy's Deny; or
    /// `clusternetworkpolicy/<name>`, `adminnetworkpolicy/<name>`,
    /// `baselineadminnetworkpolicy/default`), `dns` (the lookup timed out: NetworkPolicy dropped the
    /// DNS query), `name-not-found`, `load-balancer-source-ranges`, `traffic-policy` (Local,
    /// no endpoint on the node), `no-service-port`, `load-balancer`, `no-endpoints`,
    /// `no-route`, `refused`, `not-found`, `unavailable`.
    #[serde(default)]
    pub by: Option<String>,
    /// Delivered requests must land on pods of this set (`pods/<ns>/<selector>`,
    /// `pod/<ns>/<name>`), or with `same-node` on a pod of the node that received the request
    /// (a client's own node; from outside, the node the packet entered through). With
    /// `expect: delivered` only.
    #[serde(default)]
    pub lands_on: Option<String>,
    /// Delivered requests must land on a pod running on this node (`node-2`). With
    /// `expect: delivered` only.
    #[serde(default)]
    pub on_node: Option<String>,
    /// ... and on this container port.
    #[serde(default)]
    pub on_port: Option<u16>,
    /// The source address the answering pod sees: `client` (the client's own address,
    /// kept), `node` (a node's address: the request was masqueraded on its way, as
    /// `externalTrafficPolicy: Cluster` does), or an IPv4 address. With `expect: delivered`
    /// only.
    #[serde(default)]
    pub sees_source: Option<String>,
    /// The HTTP Host header sent (curl's `-H 'Host: shop.example'`), to whatever address `to`
    /// names: what an Ingress controller or a Gateway routes by.
    #[serde(default)]
    pub host: Option<String>,
    /// The path the backend receives after the Ingress controller's rewrite-target or a
    /// Gateway's URLRewrite filter (without either, the client's own path). With
    /// `expect: delivered` only.
    #[serde(default)]
    pub upstream_path: Option<String>,
    /// `<ns>/<name>` of the Secret whose certificate answers the HTTPS request at the Ingress
    /// controller or a Gateway's HTTPS listener. The request must be HTTPS: `to` an
    /// `https://` URL, or port 443.
    #[serde(default)]
    pub tls_secret: Option<String>,
    /// `true`: one endpoint meeting the expectation is enough (default: every endpoint).
    #[serde(default)]
    pub any_endpoint: bool,
    /// `true`: for `from: pods/...`, one matching pod meeting the expectation is enough
    /// (default: every matching pod is a client and each must meet it).
    #[serde(default)]
    pub any_client: bool,
    /// `true`: ten requests from the same client, with kube-proxy's random choices left to
    /// chance, must all land on the same pod (session affinity).
    #[serde(default)]
    pub sticky: bool,
}

/// A DNS question asked from a pod (with its resolv.conf), over the network to its DNS server.
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
    /// `true`: for `from: pods/...`, one matching pod getting the answer is enough (default:
    /// every matching pod asks).
    #[serde(default)]
    pub any_client: bool,
    /// `true`: the resolver's answer alone. By default the asking pod must first reach its
    /// DNS server (UDP 53 through NetworkPolicy: CoreDNS for dnsPolicy ClusterFirst, its
    /// node's resolver for dnsPolicy Default).
    #[serde(default)]
    pub ignore_policy: bool,
}

/// NetworkPolicy alone: which connections are allowed on one port (or each port of a
/// range), set by set.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct PolicyCheck {
    /// A port number (`5432`), a range (`8000-8010`: the check holds for every port of it) or the name of a container port of the destination pods (`http`).
    pub port: PortValue,
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

/// A port as written: a number, or text (a range such as `8000-8010`, a port name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum PortValue {
    Number(u16),
    Text(String),
}

impl<'de> Deserialize<'de> for PortValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<PortValue, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = PortValue;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a port number, a range such as 8000-8010, or a port name")
            }
            // A number out of range is kept as written, for the check's own error at its place.
            fn visit_u64<E>(self, v: u64) -> Result<PortValue, E> {
                Ok(u16::try_from(v).map_or_else(|_| PortValue::Text(v.to_string()), PortValue::Number))
            }
            fn visit_i64<E>(self, v: i64) -> Result<PortValue, E> {
                Ok(u16::try_from(v).map_or_else(|_| PortValue::Text(v.to_string()), PortValue::Number))
            }
            fn visit_str<E>(self, v: &str) -> Result<PortValue, E> {
                Ok(PortValue::Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl PortValue {
    /// As written, for parsing and messages.
    pub fn text(&self) -> String {
        match self {
            PortValue::Number(n) => n.to_string(),
            PortValue::Text(t) => t.clone(),
        }
    }
}

/// Every source of `from` to every destination of `to`; one of the two is a set of pods.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Pair {
    /// `pods/<ns>/<selector>`, `pod/<ns>/<name>`, `outside`, `outside/<IPv4>` or
    /// `outside/<cidr>` (every address of it).
    pub from: String,
    /// `pods/<ns>/<selector>`, `pod/<ns>/<name>`, `outside/<IPv4>` or `outside/<cidr>` (the
    /// egress of the pods of `from`).
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
    /// `<ns>/<name>`: the Secret whose certificate ends TLS (with `https: true`).
    #[serde(default)]
    pub tls_secret: Option<String>,
}

/// A check written as `T` and kept unread at load (`manifest::de::Raw`): the Gateway API's
/// checks, read and converted where their code is there (`routes`). Its JSON Schema is `T`'s.
#[derive(Clone, Debug, PartialEq)]
pub struct Later<T> {
    pub raw: manifest::de::Raw,
    written: std::marker::PhantomData<T>,
}

impl<'de, T> Deserialize<'de> for Later<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Later<T>, D::Error> {
        Ok(Later { raw: manifest::de::Raw::deserialize(d)?, written: std::marker::PhantomData })
    }
}

impl<T> Serialize for Later<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_unit()
    }
}

impl<T: JsonSchema> JsonSchema for Later<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

/// What a Gateway of the built-in controller does with an HTTP (or gRPC) request sent to one
/// of its listeners.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct GatewayCheck {
    /// `<ns>/<name>` of the Gateway.
    pub gateway: String,
    /// The Host header.
    pub host: String,
    /// The path, with its query string when there is one (`/search?q=1`).
    pub path: String,
    /// Ask over HTTPS (default HTTP).
    #[serde(default)]
    pub https: bool,
    /// The listener port (default 80, or 443 with `https: true`).
    #[serde(default)]
    pub port: Option<u16>,
    /// The HTTP method (default GET). A gRPC call is `POST` to `/<package.Service>/<Method>`
    /// with the header `content-type: application/grpc`.
    #[serde(default)]
    pub method: Option<String>,
    /// Request headers, each `<name>=<value>` (`x-team=blue`).
    #[serde(default)]
    pub headers: Vec<String>,
    /// `service/<ns>/<name>[:<port>]` (every request proxied there); `split` (shared between
    /// Services as `weights` says); `redirect`; `status/<code>` (the status most requests get:
    /// 404 when no rule matches, 500 for a backend that does not resolve, 503 for one with no
    /// ready endpoint); `no-listener`.
    pub expect: String,
    /// With `expect: split`: each Service and its share, `<ns>/<name>=<share>`, in any unit
    /// (`[shop/web-v1=9, shop/web-v2=1]` is the same as 90 and 10).
    #[serde(default)]
    pub weights: Vec<String>,
    /// With `expect: redirect`: the whole `Location` the Gateway answers.
    #[serde(default)]
    pub location: Option<String>,
    /// The path (and query) the backend receives, after the rule's filters.
    #[serde(default)]
    pub upstream_path: Option<String>,
    /// The Host header the backend receives.
    #[serde(default)]
    pub upstream_host: Option<String>,
}

/// The status the built-in controller writes on a Route for one of its parent Gateways.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct RouteStatusCheck {
    /// `<ns>/<name>` of the Route.
    pub route: String,
    /// `HTTPRoute` (the default) or `GRPCRoute`.
    #[serde(default)]
    pub kind: Option<String>,
    /// `<ns>/<name>` of the Gateway its parentRef names.
    pub parent: String,
    /// The parentRef's `sectionName` (a listener), when the Route names one.
    #[serde(default)]
    pub section: Option<String>,
    /// Whether the condition `Accepted` is True.
    pub accepted: bool,
    /// Whether the condition `ResolvedRefs` is True, when it matters.
    #[serde(default)]
    pub resolved_refs: Option<bool>,
    /// A reason one of the conditions that are not True must give (`NotAllowedByListeners`,
    /// `NoMatchingListenerHostname`, `RefNotPermitted`, `BackendNotFound`, …).
    #[serde(default)]
    pub reason: Option<String>,
}

/// The same requests through the ingress controller and through the Gateways: each side is
/// the exercise's read-only cluster with the files it names.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct ReplayCheck {
    /// The files whose Ingresses are replayed (none: the cluster's own).
    #[serde(default)]
    pub ingress: Vec<String>,
    /// The files whose Gateways and Routes are replayed.
    pub gateway: Vec<String>,
    /// `http(s)://HOST/PATH` requests; without them, generated from both sides' hosts and
    /// paths (with and without a trailing slash, in capitals, one level deeper, a sibling
    /// prefix, an unknown host, over HTTP and HTTPS).
    #[serde(default)]
    pub requests: Vec<String>,
    /// `true`: every request goes the same way through both; `false`: some request differs.
    pub same: bool,
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
    /// Which traffic to follow (default `cluster`): `cluster` (to the cluster IP),
    /// `nodeport` (from outside to the node's nodePort), `load-balancer` (from outside to
    /// the load balancer IP) or `local` (the KUBE-SVL chain of the node's own endpoints).
    #[serde(default)]
    pub chain: KubeProxyChain,
    /// How many distinct KUBE-SEP endpoint chains the chain it ends in (KUBE-SVC or
    /// KUBE-SVL) jumps to; 0 when no rule takes the traffic to one.
    pub endpoints: usize,
    /// Default `node-1`.
    #[serde(default)]
    pub node: Option<String>,
}

/// The nodes a cloud load balancer sends a LoadBalancer Service's traffic to, after its health
/// checks: every node under `externalTrafficPolicy: Cluster`, only the nodes with a ready
/// endpoint of the Service under `Local`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct LoadBalancerCheck {
    /// `<ns>/<name>` of a Service of type LoadBalancer.
    pub service: String,
    /// The Service port (default: its first port).
    #[serde(default)]
    pub port: Option<u16>,
    /// `TCP` (default), `UDP` or `SCTP`.
    #[serde(default)]
    pub protocol: Option<String>,
    /// Exactly these nodes, in any order (`[]`: none passes the health check).
    pub nodes: Vec<String>,
}
