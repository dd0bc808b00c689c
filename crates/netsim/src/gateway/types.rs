//! The Gateway API objects as the model reads them (`gateway.networking.k8s.io/v1`, the
//! standard channel of v1.6.1): GatewayClass, Gateway, HTTPRoute, GRPCRoute and
//! ReferenceGrant (`v1beta1` is the same object). Like `scenario`, plain data with the API's
//! defaults already applied (a missing `weight` is 1, a missing path match is `PathPrefix /`),
//! each object and the parts a decision points at carrying where it was written.
//! https://gateway-api.sigs.k8s.io/reference/spec/

use crate::meta::{LabelSelector, Source};

/// The API group of every kind here.
pub const GROUP: &str = "gateway.networking.k8s.io";

/// `GatewayClass`: which controller serves the Gateways of this class.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GatewayClass {
    pub name: String,
    /// `spec.controllerName`, such as `example.net/gateway-controller`.
    pub controller_name: String,
    pub source: Option<Source>,
}

/// `spec.listeners[].protocol`. The API accepts any domain-prefixed string; the others are
/// kept as written so the status can say they are not supported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListenerProtocol {
    Http,
    Https,
    Tls,
    Tcp,
    Udp,
    Other(String),
}

impl ListenerProtocol {
    pub fn parse(s: &str) -> ListenerProtocol {
        match s {
            "HTTP" => ListenerProtocol::Http,
            "HTTPS" => ListenerProtocol::Https,
            "TLS" => ListenerProtocol::Tls,
            "TCP" => ListenerProtocol::Tcp,
            "UDP" => ListenerProtocol::Udp,
            other => ListenerProtocol::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            ListenerProtocol::Http => "HTTP",
            ListenerProtocol::Https => "HTTPS",
            ListenerProtocol::Tls => "TLS",
            ListenerProtocol::Tcp => "TCP",
            ListenerProtocol::Udp => "UDP",
            ListenerProtocol::Other(s) => s,
        }
    }
}

/// `tls.mode`; the API's default is `Terminate`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TlsMode {
    #[default]
    Terminate,
    Passthrough,
}

/// A reference to an object of some group and kind (`certificateRefs[]`, a parentRef's or a
/// backendRef's target). `group` is `""` for the core group; `namespace: None` is the
/// referring object's own namespace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectReference {
    pub group: String,
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
}

/// `spec.listeners[].tls`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListenerTls {
    pub mode: TlsMode,
    /// Secrets by default (`group: ""`, `kind: Secret`).
    pub certificate_refs: Vec<ObjectReference>,
}

/// `allowedRoutes.namespaces.from`; the API's default is `Same`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FromNamespaces {
    #[default]
    Same,
    All,
    Selector,
}

/// A kind of Route (`allowedRoutes.kinds[]`, `status.listeners[].supportedKinds[]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteGroupKind {
    /// `gateway.networking.k8s.io` when not written.
    pub group: String,
    pub kind: String,
}

impl RouteGroupKind {
    pub fn new(kind: &str) -> RouteGroupKind {
        RouteGroupKind { group: GROUP.to_string(), kind: kind.to_string() }
    }
}

/// `spec.listeners[].allowedRoutes`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AllowedRoutes {
    pub from: FromNamespaces,
    /// `namespaces.selector`, read when `from` is `Selector`.
    pub selector: Option<LabelSelector>,
    /// Empty: the kinds the listener's protocol supports.
    pub kinds: Vec<RouteGroupKind>,
}

/// One `spec.listeners[]` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Listener {
    pub name: String,
    /// `None`: every hostname. May start with `*.`.
    pub hostname: Option<String>,
    pub port: u16,
    pub protocol: ListenerProtocol,
    pub tls: Option<ListenerTls>,
    pub allowed_routes: AllowedRoutes,
    pub source: Option<Source>,
}

/// `Gateway`: listeners of one class's controller.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Gateway {
    pub namespace: String,
    pub name: String,
    pub gateway_class_name: String,
    pub listeners: Vec<Listener>,
    pub source: Option<Source>,
}

/// `spec.parentRefs[]` of a Route: a Gateway (the defaults), optionally one listener by
/// `sectionName` and/or `port`.
#[derive(Clone, Debug, PartialEq)]
pub struct ParentRef {
    /// `gateway.networking.k8s.io` when not written.
    pub group: String,
    /// `Gateway` when not written.
    pub kind: String,
    /// `None`: the Route's namespace.
    pub namespace: Option<String>,
    pub name: String,
    pub section_name: Option<String>,
    pub port: Option<u16>,
    pub source: Option<Source>,
}

impl ParentRef {
    /// A reference to Gateway `name` in the Route's namespace, every listener.
    pub fn gateway(name: &str) -> ParentRef {
        ParentRef {
            group: GROUP.to_string(),
            kind: "Gateway".to_string(),
            namespace: None,
            name: name.to_string(),
            section_name: None,
            port: None,
            source: None,
        }
    }
}

/// `matches[].path.type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathMatchType {
    Exact,
    PathPrefix,
    RegularExpression,
}

/// `matches[].path`; the API's default is `PathPrefix` `/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathMatch {
    pub kind: PathMatchType,
    pub value: String,
}

impl Default for PathMatch {
    fn default() -> PathMatch {
        PathMatch { kind: PathMatchType::PathPrefix, value: "/".to_string() }
    }
}

/// How a header, query parameter or gRPC method is compared; the API's default is `Exact`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StringMatchType {
    #[default]
    Exact,
    RegularExpression,
}

/// `matches[].headers[]` or `matches[].queryParams[]`: a name and a value to compare.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueMatch {
    pub kind: StringMatchType,
    pub name: String,
    pub value: String,
}

/// One `rules[].matches[]` of an HTTPRoute: every condition must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpRouteMatch {
    pub path: PathMatch,
    pub headers: Vec<ValueMatch>,
    pub query_params: Vec<ValueMatch>,
    /// `GET`, `POST`, …
    pub method: Option<String>,
}

/// `requestHeaderModifier` / `responseHeaderModifier`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeaderModifier {
    pub set: Vec<(String, String)>,
    pub add: Vec<(String, String)>,
    pub remove: Vec<String>,
}

/// The `path` of a redirect or a rewrite.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathModifier {
    ReplaceFullPath(String),
    ReplacePrefixMatch(String),
}

/// `requestRedirect`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestRedirect {
    /// `http` or `https`; `None`: the request's.
    pub scheme: Option<String>,
    pub hostname: Option<String>,
    pub path: Option<PathModifier>,
    pub port: Option<u16>,
    /// 301, 302 (the default), 303, 307 or 308.
    pub status_code: Option<u16>,
}

/// `urlRewrite`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UrlRewrite {
    pub hostname: Option<String>,
    pub path: Option<PathModifier>,
}

/// One `filters[]` entry of a rule (HTTPRoute; GRPCRoute allows the header modifiers and
/// the mirror only).
#[derive(Clone, Debug, PartialEq)]
pub enum RouteFilter {
    RequestHeaderModifier(HeaderModifier),
    ResponseHeaderModifier(HeaderModifier),
    RequestRedirect(RequestRedirect),
    UrlRewrite(UrlRewrite),
    /// A copy of the request goes to `backend`; its answer is ignored.
    RequestMirror {
        backend: ObjectReference,
        port: Option<u16>,
    },
    /// A type the model does not implement (`ExtensionRef`, `CORS`, …), as written.
    Other(String),
}

impl RouteFilter {
    /// The filter's `type`, as written in YAML.
    pub fn type_name(&self) -> &str {
        match self {
            RouteFilter::RequestHeaderModifier(_) => "RequestHeaderModifier",
            RouteFilter::ResponseHeaderModifier(_) => "ResponseHeaderModifier",
            RouteFilter::RequestRedirect(_) => "RequestRedirect",
            RouteFilter::UrlRewrite(_) => "URLRewrite",
            RouteFilter::RequestMirror { .. } => "RequestMirror",
            RouteFilter::Other(t) => t,
        }
    }
}

/// `rules[].backendRefs[]`: a Service (group `""`, kind `Service`, the defaults) and a port.
#[derive(Clone, Debug, PartialEq)]
pub struct BackendRef {
    pub group: String,
    pub kind: String,
    pub name: String,
    /// `None`: the Route's namespace. Another namespace needs a ReferenceGrant there.
    pub namespace: Option<String>,
    /// Required for a Service.
    pub port: Option<u16>,
    /// Proportion of the rule's requests; default 1, 0 sends it none.
    pub weight: u32,
    pub source: Option<Source>,
}

impl BackendRef {
    /// Service `name` port `port` in the Route's namespace, weight 1.
    pub fn service(name: &str, port: u16) -> BackendRef {
        BackendRef {
            group: String::new(),
            kind: "Service".to_string(),
            name: name.to_string(),
            namespace: None,
            port: Some(port),
            weight: 1,
            source: None,
        }
    }
}

/// One `rules[]` entry of an HTTPRoute.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HttpRouteRule {
    pub name: Option<String>,
    /// Empty: the API's default, one match of `PathPrefix /`.
    pub matches: Vec<HttpRouteMatch>,
    pub filters: Vec<RouteFilter>,
    pub backend_refs: Vec<BackendRef>,
    pub source: Option<Source>,
}

/// `HTTPRoute`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HttpRoute {
    pub namespace: String,
    pub name: String,
    pub parent_refs: Vec<ParentRef>,
    pub hostnames: Vec<String>,
    /// An absent `rules` is defaulted by the API server to one rule matching `PathPrefix /`
    /// with no backendRefs (which answers 500); the reader fills that in.
    pub rules: Vec<HttpRouteRule>,
    /// `metadata.creationTimestamp` in seconds since 1970 (UTC); `None`: created when the
    /// scenario was applied, after every Route that has one (see `gateway::routing`).
    pub creation_timestamp: Option<i64>,
    pub source: Option<Source>,
}

/// `matches[].method` of a GRPCRoute: the gRPC service and method (at least one is set).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GrpcMethodMatch {
    pub kind: StringMatchType,
    /// Fully qualified, such as `grpc.health.v1.Health`.
    pub service: Option<String>,
    pub method: Option<String>,
}

/// One `rules[].matches[]` of a GRPCRoute.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GrpcRouteMatch {
    pub method: Option<GrpcMethodMatch>,
    pub headers: Vec<ValueMatch>,
}

/// One `rules[]` entry of a GRPCRoute.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GrpcRouteRule {
    pub name: Option<String>,
    /// Empty: every request.
    pub matches: Vec<GrpcRouteMatch>,
    pub filters: Vec<RouteFilter>,
    pub backend_refs: Vec<BackendRef>,
    pub source: Option<Source>,
}

/// `GRPCRoute`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GrpcRoute {
    pub namespace: String,
    pub name: String,
    pub parent_refs: Vec<ParentRef>,
    pub hostnames: Vec<String>,
    pub rules: Vec<GrpcRouteRule>,
    /// As [`HttpRoute::creation_timestamp`].
    pub creation_timestamp: Option<i64>,
    pub source: Option<Source>,
}

/// `spec.from[]` of a ReferenceGrant: who may refer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantFrom {
    pub group: String,
    pub kind: String,
    pub namespace: String,
}

/// `spec.to[]` of a ReferenceGrant: what may be referred to (`name: None`: every object of
/// the kind in the grant's namespace).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantTo {
    pub group: String,
    pub kind: String,
    pub name: Option<String>,
}

/// `ReferenceGrant`: lets objects of other namespaces refer to objects of this one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReferenceGrant {
    pub namespace: String,
    pub name: String,
    pub from: Vec<GrantFrom>,
    pub to: Vec<GrantTo>,
    pub source: Option<Source>,
}

/// The built-in controller's name: the GatewayClasses whose `controllerName` is this are
/// served by the model.
pub const CONTROLLER_NAME: &str = "example.net/gateway-controller";

/// The Gateway API objects of a scenario, owned by the built cluster.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GatewayApi {
    pub classes: Vec<GatewayClass>,
    pub gateways: Vec<Gateway>,
    pub http_routes: Vec<HttpRoute>,
    pub grpc_routes: Vec<GrpcRoute>,
    pub grants: Vec<ReferenceGrant>,
}
