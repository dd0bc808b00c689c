//! The short references of checks (`pod/shop/web`, `pods/shop/app=web`, `service/shop/web`,
//! `outside/203.0.113.7`), parsed once at load time so a typo is a positioned error. A
//! loaded check holds each one as a [`Spanned`] value: what it means, as written, and where.

use std::fmt;
use std::net::Ipv4Addr;
use std::ops::Deref;

use netsim::{Cidr, Cluster, ClusterPod, Labels};

/// The outside client when a check names none: an address of TEST-NET-2 (RFC 5737).
pub const DEFAULT_OUTSIDE: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 10);

/// A parsed reference with its text as written (explanations quote it) and its byte range
/// in the exercise file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

impl<T> Deref for Spanned<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> fmt::Display for Spanned<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientRef {
    Pod { namespace: String, name: String },
    Pods { namespace: String, selector: Labels },
    Outside(Ipv4Addr),
    Node(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TargetRef {
    Service {
        namespace: String,
        name: String,
    },
    NodePort {
        namespace: String,
        name: String,
    },
    LoadBalancer {
        namespace: String,
        name: String,
    },
    Pod {
        namespace: String,
        name: String,
    },
    /// What a client would type: a DNS name, an IP, a URL.
    Raw(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PodSet {
    Pod {
        namespace: String,
        name: String,
    },
    Pods {
        namespace: String,
        selector: Labels,
    },
    /// Addresses outside the cluster: `outside/<IPv4>` (a /32) or `outside/<cidr>`.
    Outside(Cidr),
}

/// Who asks a DNS question: a pod (its resolv.conf), or any pod of a namespace with the
/// default resolv.conf.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DnsFrom {
    /// `ClientRef::Pod` or `ClientRef::Pods`.
    Pod(ClientRef),
    Namespace(String),
}

/// `<namespace>/<name>`, as a kube_proxy check names its Service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamespacedName {
    pub namespace: String,
    pub name: String,
}

/// The pods of `namespace` whose labels include all of `selector`.
pub fn pods_matching<'c>(cluster: &'c Cluster, namespace: &str, selector: &Labels) -> Vec<&'c ClusterPod> {
    cluster
        .pods
        .iter()
        .filter(|p| p.namespace == namespace && selector.iter().all(|(k, v)| p.spec.labels.get(k) == Some(v)))
        .collect()
}

impl PodSet {
    /// The pods of the set in `cluster` (none for the outside). A workload's name in `pod/`
    /// stands for all its replicas.
    pub fn pods<'c>(&self, cluster: &'c Cluster) -> Vec<&'c ClusterPod> {
        match self {
            PodSet::Pod { namespace, name } => match cluster.pod(namespace, name) {
                Some(p) => vec![p],
                None => cluster
                    .pods
                    .iter()
                    .filter(|p| {
                        p.namespace == *namespace && p.owner.as_ref().is_some_and(|o| o.name == *name)
                    })
                    .collect(),
            },
            PodSet::Pods { namespace, selector } => pods_matching(cluster, namespace, selector),
            PodSet::Outside(_) => Vec::new(),
        }
    }

    /// The set as a client: its first pod (for `pod/`, the pod or the workload's first
    /// replica), or the address outside.
    pub fn client(&self) -> ClientRef {
        match self {
            PodSet::Pod { namespace, name } => {
                ClientRef::Pod { namespace: namespace.clone(), name: name.clone() }
            }
            PodSet::Pods { namespace, selector } => {
                ClientRef::Pods { namespace: namespace.clone(), selector: selector.clone() }
            }
            PodSet::Outside(range) => ClientRef::Outside(range.network()),
        }
    }
}

/// Where a delivered request must land (`lands_on`): on a pod of a set, or on a pod that
/// runs on the node that received the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LandsOn {
    /// Never `PodSet::Outside`.
    Pods(PodSet),
    /// `same-node`: the node that received the request runs the answering pod (for a
    /// client in the cluster, the client's own node; from outside, the node the packet
    /// entered through: a nodePort's, or the one the cloud load balancer picked).
    SameNode,
}

/// The source address a delivered request must reach its pod with (`sees_source`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeenSource {
    /// The client's own address, kept all the way.
    Client,
    /// The address of a node: the request was masqueraded (SNAT) on its way.
    Node,
    /// This address.
    Ip(Ipv4Addr),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DnsExpect {
    NxDomain,
    Any,
    Service { namespace: String, name: String },
    Pods { namespace: String, selector: Labels },
    Pod { namespace: String, name: String },
    Cname(String),
    Srv(u16),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IngressExpect {
    Service { namespace: String, name: String, port: Option<u16> },
    None,
    Redirect,
}

/// What a Gateway does with a request (`gateway` checks).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatewayExpect {
    /// Every request proxied to one Service (port).
    Service { namespace: String, name: String, port: Option<u16> },
    /// The requests split between Services as the check's `weights` say.
    Split,
    /// A redirect (any 3xx; the check's `location` names where, when it matters).
    Redirect,
    /// The HTTP status most requests get (404, 500, 503, …).
    Status(u16),
    /// No listener takes the connection.
    NoListener,
}

/// `service/<ns>/<name>[:<port>]` -> its parts.
fn service_port(rest: Option<&str>) -> Result<(String, String, Option<u16>), String> {
    let rest = rest.unwrap_or("");
    let (svc, port) = match rest.rsplit_once(':') {
        Some((svc, port)) => {
            (svc, Some(port.parse::<u16>().map_err(|_| format!("`{port}` is not a port number"))?))
        }
        None => (rest, None),
    };
    let (namespace, name) = ns_name(svc, "service")?;
    Ok((namespace, name, port))
}

/// `ns/name` -> (ns, name), both non-empty.
fn ns_name(rest: &str, what: &str) -> Result<(String, String), String> {
    match rest.split_once('/') {
        Some((ns, name)) if !ns.is_empty() && !name.is_empty() && !name.contains('/') => {
            Ok((ns.to_string(), name.to_string()))
        }
        _ => Err(format!("expected `{what}/<namespace>/<name>`")),
    }
}

/// `app=web,tier=front` -> labels; empty for every pod.
pub fn selector(text: &str) -> Result<Labels, String> {
    let mut labels = Labels::new();
    for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                labels.insert(k.trim().to_string(), v.trim().to_string());
            }
            _ => return Err(format!("`{pair}` is not a `key=value` label")),
        }
    }
    Ok(labels)
}

fn ns_selector(rest: &str) -> Result<(String, Labels), String> {
    let (ns, sel) = rest.split_once('/').unwrap_or((rest, ""));
    if ns.is_empty() {
        return Err("expected `pods/<namespace>/<selector>`".into());
    }
    Ok((ns.to_string(), selector(sel)?))
}

fn outside(rest: Option<&str>) -> Result<Ipv4Addr, String> {
    match rest {
        None => Ok(DEFAULT_OUTSIDE),
        Some(ip) => ip.parse().map_err(|_| format!("`{ip}` is not an IPv4 address")),
    }
}

pub fn client(text: &str) -> Result<ClientRef, String> {
    let (head, rest) = split(text);
    match head {
        "pod" => ns_name(rest.unwrap_or(""), "pod").map(|(namespace, name)| ClientRef::Pod { namespace, name }),
        "pods" => ns_selector(rest.unwrap_or("")).map(|(namespace, selector)| ClientRef::Pods { namespace, selector }),
        "outside" => outside(rest).map(ClientRef::Outside),
        "node" => match rest {
            Some(n) if !n.is_empty() => Ok(ClientRef::Node(n.to_string())),
            _ => Err("expected `node/<name>`".into()),
        },
        _ => Err(format!(
            "`{text}` is not a client: use pod/<ns>/<name>, pods/<ns>/<selector>, outside, outside/<IPv4> or node/<name>"
        )),
    }
}

pub fn target(text: &str) -> Result<TargetRef, String> {
    let (head, rest) = split(text);
    let rest = rest.unwrap_or("");
    Ok(match head {
        "service" => {
            ns_name(rest, "service").map(|(namespace, name)| TargetRef::Service { namespace, name })?
        }
        "nodeport" => {
            ns_name(rest, "nodeport").map(|(namespace, name)| TargetRef::NodePort { namespace, name })?
        }
        "loadbalancer" => ns_name(rest, "loadbalancer")
            .map(|(namespace, name)| TargetRef::LoadBalancer { namespace, name })?,
        "pod" => ns_name(rest, "pod").map(|(namespace, name)| TargetRef::Pod { namespace, name })?,
        _ if text.trim().is_empty() => return Err("the destination is empty".into()),
        _ => TargetRef::Raw(text.trim().to_string()),
    })
}

pub fn pod_set(text: &str, may_be_outside: bool) -> Result<PodSet, String> {
    let (head, rest) = split(text);
    match head {
        "pod" => ns_name(rest.unwrap_or(""), "pod").map(|(namespace, name)| PodSet::Pod { namespace, name }),
        "pods" => {
            ns_selector(rest.unwrap_or("")).map(|(namespace, selector)| PodSet::Pods { namespace, selector })
        }
        "outside" if may_be_outside => match rest.filter(|r| r.contains('/')) {
            Some(range) => Cidr::parse(range)
                .map(PodSet::Outside)
                .ok_or_else(|| format!("`{range}` is not an IPv4 CIDR such as 203.0.113.0/24")),
            None => outside(rest).map(|ip| PodSet::Outside(Cidr::new(ip, 32))),
        },
        _ if may_be_outside => Err(format!(
            "`{text}` is not a set of pods or addresses: use pods/<ns>/<selector>, pod/<ns>/<name>, outside, outside/<IPv4> or outside/<cidr>"
        )),
        _ => Err(format!("`{text}` is not a set of pods: use pods/<ns>/<selector> or pod/<ns>/<name>")),
    }
}

/// The port of a `policy` check: a number, a range (`8000-8010`: every port of it) or the
/// name of a container port of the destination pods (`http`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyPort {
    Number(u16),
    Range(u16, u16),
    Name(String),
}

impl fmt::Display for PolicyPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyPort::Number(p) => write!(f, "{p}"),
            PolicyPort::Range(a, b) => write!(f, "{a}-{b}"),
            PolicyPort::Name(n) => f.write_str(n),
        }
    }
}

/// `80`, `8000-8010` or a port name (an IANA service name: at most 15 lowercase letters,
/// digits and `-`, with a letter, as a container port's `name`).
pub fn policy_port(text: &str) -> Result<PolicyPort, String> {
    let text = text.trim();
    let number = |p: &str| match p.trim().parse::<u16>() {
        Ok(0) | Err(_) => Err(format!("`{p}` is not a port: use 1 to 65535")),
        Ok(n) => Ok(n),
    };
    if let Some((a, b)) = text
        .split_once('-')
        .filter(|(a, _)| !a.trim().is_empty() && a.trim().bytes().all(|c| c.is_ascii_digit()))
    {
        let (a, b) = (number(a)?, number(b)?);
        if a > b {
            return Err(format!("`{text}`: the range starts after it ends; write {b}-{a}"));
        }
        return Ok(PolicyPort::Range(a, b));
    }
    if text.bytes().all(|c| c.is_ascii_digit()) {
        return number(text).map(PolicyPort::Number);
    }
    let name_ok = text.len() <= 15
        && text.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && text.bytes().any(|c| c.is_ascii_lowercase())
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--");
    if name_ok {
        Ok(PolicyPort::Name(text.to_string()))
    } else {
        Err(format!("`{text}` is not a port: use a number (80), a range (8000-8010) or a container port's name (http)"))
    }
}

/// `same-node`, or a set of pods (`pods/<ns>/<selector>`, `pod/<ns>/<name>`).
pub fn lands_on(text: &str) -> Result<LandsOn, String> {
    match split(text).0 {
        "same-node" if split(text).1.is_none() => Ok(LandsOn::SameNode),
        "pod" | "pods" => pod_set(text, false).map(LandsOn::Pods),
        _ => Err(format!(
            "`{text}` is not where a request lands: use same-node, pods/<ns>/<selector> or pod/<ns>/<name>"
        )),
    }
}

/// `client`, `node` or an IPv4 address.
pub fn seen_source(text: &str) -> Result<SeenSource, String> {
    match text.trim() {
        "client" => Ok(SeenSource::Client),
        "node" => Ok(SeenSource::Node),
        other => other.parse().map(SeenSource::Ip).map_err(|_| {
            format!("`{text}` is not a source address: use client (the client's own address), node (a node's, after SNAT) or an IPv4 address")
        }),
    }
}

/// `pod/<ns>/<name>`, `pods/<ns>/<selector>` or `namespace/<ns>`.
pub fn dns_from(text: &str) -> Result<DnsFrom, String> {
    match text.strip_prefix("namespace/") {
        Some(ns) if !ns.is_empty() => Ok(DnsFrom::Namespace(ns.to_string())),
        _ => match client(text)? {
            pod @ (ClientRef::Pod { .. } | ClientRef::Pods { .. }) => Ok(DnsFrom::Pod(pod)),
            ClientRef::Outside(_) | ClientRef::Node(_) => Err(
                "a DNS question comes from a pod: pod/<ns>/<name>, pods/<ns>/<selector> or namespace/<ns>"
                    .into(),
            ),
        },
    }
}

/// `<namespace>/<name>`, both non-empty (the name is everything after the first `/`).
pub fn namespaced_name(text: &str) -> Result<NamespacedName, String> {
    match text.split_once('/') {
        Some((namespace, name)) if !namespace.is_empty() && !name.is_empty() => {
            Ok(NamespacedName { namespace: namespace.to_string(), name: name.to_string() })
        }
        _ => Err("expected `<namespace>/<name>`".into()),
    }
}

pub fn dns_expect(text: &str) -> Result<DnsExpect, String> {
    let (head, rest) = split(text);
    let rest = rest.unwrap_or("");
    match head {
        "nxdomain" | "NXDOMAIN" => Ok(DnsExpect::NxDomain),
        "any" => Ok(DnsExpect::Any),
        "service" => ns_name(rest, "service").map(|(namespace, name)| DnsExpect::Service { namespace, name }),
        "pods" => ns_selector(rest).map(|(namespace, selector)| DnsExpect::Pods { namespace, selector }),
        "pod" => ns_name(rest, "pod").map(|(namespace, name)| DnsExpect::Pod { namespace, name }),
        "cname" if !rest.is_empty() => Ok(DnsExpect::Cname(rest.trim_end_matches('.').to_string())),
        "srv" => rest.parse().map(DnsExpect::Srv).map_err(|_| format!("`{rest}` is not a port")),
        _ => Err(format!(
            "`{text}` is not a DNS expectation: use nxdomain, any, service/<ns>/<name>, pods/<ns>/<selector>, pod/<ns>/<name>, cname/<name> or srv/<port>"
        )),
    }
}

pub fn ingress_expect(text: &str) -> Result<IngressExpect, String> {
    let (head, rest) = split(text);
    match head {
        "none" => Ok(IngressExpect::None),
        "redirect" => Ok(IngressExpect::Redirect),
        "service" => {
            let (namespace, name, port) = service_port(rest)?;
            Ok(IngressExpect::Service { namespace, name, port })
        }
        _ => Err(format!(
            "`{text}` is not an Ingress expectation: use service/<ns>/<name>[:<port>], none or redirect"
        )),
    }
}

pub fn gateway_expect(text: &str) -> Result<GatewayExpect, String> {
    let (head, rest) = split(text);
    let status = |code: &str| match code.parse::<u16>() {
        Ok(c) if (100..600).contains(&c) => Ok(GatewayExpect::Status(c)),
        _ => Err(format!("`{code}` is not an HTTP status code (100 to 599)")),
    };
    match (head, rest) {
        ("service", _) => {
            let (namespace, name, port) = service_port(rest)?;
            Ok(GatewayExpect::Service { namespace, name, port })
        }
        ("split", None) => Ok(GatewayExpect::Split),
        ("redirect", None) => Ok(GatewayExpect::Redirect),
        ("no-listener", None) => Ok(GatewayExpect::NoListener),
        ("status", Some(code)) => status(code),
        _ => Err(format!(
            "`{text}` is not a Gateway expectation: use service/<ns>/<name>[:<port>], split (with weights), redirect, status/<code> or no-listener"
        )),
    }
}

/// `head/rest` -> (head, Some(rest)); `head` -> (head, None).
fn split(text: &str) -> (&str, Option<&str>) {
    let text = text.trim();
    match text.split_once('/') {
        Some((head, rest)) => (head, Some(rest)),
        None => (text, None),
    }
}

/// A selector in words: `app=web,tier=front`, or "every pod".
pub fn describe_labels(labels: &Labels) -> String {
    if labels.is_empty() {
        return "every pod".into();
    }
    labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_parse() {
        assert_eq!(
            client("pod/shop/web"),
            Ok(ClientRef::Pod { namespace: "shop".into(), name: "web".into() })
        );
        assert_eq!(client("outside"), Ok(ClientRef::Outside(DEFAULT_OUTSIDE)));
        assert_eq!(client("outside/203.0.113.7"), Ok(ClientRef::Outside(Ipv4Addr::new(203, 0, 113, 7))));
        assert!(client("outside/nope").is_err());
        assert!(client("web").is_err());
        assert!(client("pod/shop").is_err());
        assert_eq!(
            pod_set("pods/shop/app=web, tier=front", false),
            Ok(PodSet::Pods { namespace: "shop".into(), selector: selector("app=web,tier=front").unwrap() })
        );
        assert_eq!(
            pod_set("pods/shop", false),
            Ok(PodSet::Pods { namespace: "shop".into(), selector: Labels::new() })
        );
        assert!(pod_set("outside", false).is_err());
        assert!(pod_set("pods/shop/app", false).is_err());
        assert_eq!(target("http://web:80/x"), Ok(TargetRef::Raw("http://web:80/x".into())));
        assert!(target("service/web").is_err());
        assert_eq!(dns_expect("srv/8080"), Ok(DnsExpect::Srv(8080)));
        assert_eq!(dns_expect("cname/db.example.com."), Ok(DnsExpect::Cname("db.example.com".into())));
        assert!(dns_expect("a").is_err());
        assert_eq!(
            ingress_expect("service/shop/api:8080"),
            Ok(IngressExpect::Service { namespace: "shop".into(), name: "api".into(), port: Some(8080) })
        );
        assert!(ingress_expect("service/shop/api:http").is_err());
        assert_eq!(lands_on("same-node"), Ok(LandsOn::SameNode));
        assert!(lands_on("same-node/x").is_err() && lands_on("node-1").is_err());
        assert_eq!(seen_source("192.0.2.25"), Ok(SeenSource::Ip(Ipv4Addr::new(192, 0, 2, 25))));
        assert_eq!(seen_source("node"), Ok(SeenSource::Node));
        assert!(seen_source("nodes").is_err());
        assert_eq!(policy_port("8000-8010"), Ok(PolicyPort::Range(8000, 8010)));
        assert_eq!(policy_port("http-alt"), Ok(PolicyPort::Name("http-alt".into())));
        for bad in ["0", "-5", "8010-8000", "65536", "1-65536", "HTTP", "a--b", "-http", "sixteen-letters-"] {
            assert!(policy_port(bad).is_err(), "{bad}");
        }
        assert_eq!(
            pod_set("outside/10.0.0.0/8", true),
            Ok(PodSet::Outside(netsim::Cidr::new(Ipv4Addr::new(10, 0, 0, 0), 8)))
        );
        assert!(
            pod_set("outside/10.0.0.0/33", true).is_err() && pod_set("outside/10.0.0.0/8", false).is_err()
        );
    }
}
