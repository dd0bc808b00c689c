//! What ended a request ([`Cause`]), read from the model's trace: the outcome, and for a drop
//! the hop that dropped it (a NetworkPolicy side, the DNS query, kube-proxy or the cloud load
//! balancer). A request check's `by:` names a cause ([`By`]), so that a negative check holds
//! only for the reason it teaches.

use std::fmt;

use netsim::{Action, Outcome, Trace};

/// What stopped a request (or `None` from [`Cause::of`]: something answered it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cause {
    /// NetworkPolicy dropped the connection: the policies that isolate the refusing side,
    /// each `<ns>/<name>`.
    NetworkPolicy(Vec<String>),
    /// A cluster-wide policy's Deny dropped the connection (ClusterNetworkPolicy, or an
    /// AdminNetworkPolicy or BaselineAdminNetworkPolicy): each `<kind>/<name>`, the kind in
    /// lower case.
    ClusterPolicy(Vec<String>),
    /// NetworkPolicy dropped the pod's DNS query, so the lookup timed out before any
    /// connection was tried: the policies, each `<ns>/<name>`.
    DnsTimeout(Vec<String>),
    /// The name does not resolve (NXDOMAIN).
    NameNotFound,
    /// The client is not in the Service's loadBalancerSourceRanges (at the cloud load
    /// balancer, or at kube-proxy for a client inside the cluster).
    LoadBalancerSourceRanges,
    /// externalTrafficPolicy or internalTrafficPolicy Local with no endpoint on the node.
    TrafficPolicy,
    /// The Service has no such port: no kube-proxy rule matches.
    NoServicePort,
    /// The cloud load balancer has nowhere to send it (no listener, no nodePort, no node).
    LoadBalancer,
    /// The Service has no ready endpoint (kube-proxy rejects).
    NoEndpoints,
    /// Nothing routes to the address.
    NoRoute,
    /// A pod or node answered with a reset: nothing listens on the port.
    Refused,
    /// The Ingress controller answered with an error status (404, 503).
    HttpStatus(u16),
}

impl Cause {
    /// What ended `trace`, or `None` when something answered it.
    pub fn of(trace: &Trace) -> Option<Cause> {
        let o = &trace.outcome;
        if o.is_success() {
            return None;
        }
        Some(match o {
            Outcome::Dropped { by, reason } => {
                let drop = trace.hops.iter().rev().find(|h| h.action == Action::Drop);
                let policies = || {
                    by.split(", ")
                        .filter_map(|b| b.strip_prefix("networkpolicy/"))
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                };
                let cluster: Vec<String> =
                    by.split(", ").filter(|b| cluster_policy_name(b)).map(str::to_string).collect();
                match drop {
                    Some(h) if h.policy.is_some() && h.at == "dns" => Cause::DnsTimeout(policies()),
                    Some(h) if h.policy.is_some() && !cluster.is_empty() => Cause::ClusterPolicy(cluster),
                    Some(h) if h.policy.is_some() => Cause::NetworkPolicy(policies()),
                    _ if reason.contains("loadBalancerSourceRanges") => Cause::LoadBalancerSourceRanges,
                    _ if reason.contains("TrafficPolicy Local") => Cause::TrafficPolicy,
                    _ if by.starts_with("svc/") => Cause::NoServicePort,
                    _ => Cause::LoadBalancer,
                }
            }
            Outcome::NameNotFound { .. } => Cause::NameNotFound,
            Outcome::NoEndpoints { .. } => Cause::NoEndpoints,
            Outcome::NoRoute { .. } => Cause::NoRoute,
            Outcome::Refused { .. } => Cause::Refused,
            Outcome::HttpStatus { code, .. } => Cause::HttpStatus(*code),
            // Answered outcomes returned above.
            _ => return None,
        })
    }

    /// The cause as `by:` writes it (`networkpolicy`, `dns`, `traffic-policy`, ...).
    pub fn key(&self) -> String {
        match self {
            Cause::NetworkPolicy(_) => "networkpolicy".into(),
            Cause::ClusterPolicy(_) => "clusternetworkpolicy".into(),
            Cause::DnsTimeout(_) => "dns".into(),
            Cause::NameNotFound => "name-not-found".into(),
            Cause::LoadBalancerSourceRanges => "load-balancer-source-ranges".into(),
            Cause::TrafficPolicy => "traffic-policy".into(),
            Cause::NoServicePort => "no-service-port".into(),
            Cause::LoadBalancer => "load-balancer".into(),
            Cause::NoEndpoints => "no-endpoints".into(),
            Cause::NoRoute => "no-route".into(),
            Cause::Refused => "refused".into(),
            Cause::HttpStatus(404) => "not-found".into(),
            Cause::HttpStatus(503) => "unavailable".into(),
            Cause::HttpStatus(code) => format!("http-{code}"),
        }
    }
}

/// In words: `dropped by NetworkPolicy shop/db`, `refused`, ...
impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let policies = |p: &[String]| match p {
            [] => "NetworkPolicy".to_string(),
            p => format!("NetworkPolicy {}", p.join(", ")),
        };
        match self {
            Cause::NetworkPolicy(p) => write!(f, "dropped by {}", policies(p)),
            Cause::ClusterPolicy(p) => write!(f, "dropped by the cluster-wide policy {}", p.join(", ")),
            Cause::DnsTimeout(p) => {
                write!(f, "stopped at DNS: the lookup times out ({} drops the query)", policies(p))
            }
            Cause::NameNotFound => f.write_str("stopped at DNS: the name does not resolve (NXDOMAIN)"),
            Cause::LoadBalancerSourceRanges => f.write_str("dropped by loadBalancerSourceRanges"),
            Cause::TrafficPolicy => {
                f.write_str("dropped by a Local traffic policy (no endpoint on the node that received it)")
            }
            Cause::NoServicePort => f.write_str("dropped: the Service has no such port"),
            Cause::LoadBalancer => f.write_str("dropped by the cloud load balancer"),
            Cause::NoEndpoints => f.write_str("rejected: the Service has no ready endpoint"),
            Cause::NoRoute => f.write_str("not routed anywhere"),
            Cause::Refused => f.write_str("refused (nothing listens on the port)"),
            Cause::HttpStatus(code) => write!(f, "answered {code} by the Ingress controller"),
        }
    }
}

/// A request check's `by:`: the cause its negative expectation requires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum By {
    /// `networkpolicy` (any policy), or `networkpolicy/<ns>/<name>` (that policy among those
    /// that dropped it).
    NetworkPolicy(Option<String>),
    /// `clusternetworkpolicy` (any cluster-wide policy), or `<kind>/<name>` of one
    /// (`clusternetworkpolicy/block-metadata`, `adminnetworkpolicy/…`,
    /// `baselineadminnetworkpolicy/default`).
    ClusterPolicy(Option<String>),
    /// Any other cause, by its key.
    Cause(&'static str),
}

/// The kinds of cluster-wide policy as a drop names them (`<kind>/<name>`).
const CLUSTER_KINDS: [&str; 3] =
    ["clusternetworkpolicy/", "adminnetworkpolicy/", "baselineadminnetworkpolicy/"];

/// Whether `text` is `<kind>/<name>` of a cluster-wide policy.
fn cluster_policy_name(text: &str) -> bool {
    CLUSTER_KINDS
        .iter()
        .any(|k| text.strip_prefix(k).is_some_and(|name| !name.is_empty() && !name.contains('/')))
}

/// The keys `by:` accepts besides `networkpolicy[/<ns>/<name>]`.
pub const BY_KEYS: [&str; 11] = [
    "dns",
    "name-not-found",
    "load-balancer-source-ranges",
    "traffic-policy",
    "no-service-port",
    "load-balancer",
    "no-endpoints",
    "no-route",
    "refused",
    "not-found",
    "unavailable",
];

/// The causes that end a request as `dropped` (a packet lost on the way).
pub const DROPPED_KEYS: [&str; 6] = [
    "networkpolicy",
    "clusternetworkpolicy",
    "load-balancer-source-ranges",
    "traffic-policy",
    "no-service-port",
    "load-balancer",
];

impl By {
    pub fn parse(text: &str) -> Result<By, String> {
        if text == "networkpolicy" {
            return Ok(By::NetworkPolicy(None));
        }
        if text == "clusternetworkpolicy" {
            return Ok(By::ClusterPolicy(None));
        }
        if CLUSTER_KINDS.iter().any(|k| text.starts_with(k)) {
            return if cluster_policy_name(text) {
                Ok(By::ClusterPolicy(Some(text.to_string())))
            } else {
                Err(format!("`{text}`: write clusternetworkpolicy/<name>"))
            };
        }
        if let Some(rest) = text.strip_prefix("networkpolicy/") {
            return match rest.split_once('/') {
                Some((ns, name)) if !ns.is_empty() && !name.is_empty() && !name.contains('/') => {
                    Ok(By::NetworkPolicy(Some(rest.to_string())))
                }
                _ => Err(format!("`{text}`: write networkpolicy/<namespace>/<name>")),
            };
        }
        match BY_KEYS.iter().find(|k| **k == text) {
            Some(k) => Ok(By::Cause(k)),
            None => Err(format!(
                "`{text}` is not a cause: use networkpolicy, networkpolicy/<namespace>/<name>, clusternetworkpolicy, clusternetworkpolicy/<name>, {}",
                BY_KEYS.join(", ")
            )),
        }
    }

    /// The key of the cause (`networkpolicy` for any policy).
    pub fn key(&self) -> &str {
        match self {
            By::NetworkPolicy(_) => "networkpolicy",
            By::ClusterPolicy(_) => "clusternetworkpolicy",
            By::Cause(k) => k,
        }
    }

    /// Whether `cause` is this one.
    pub fn matches(&self, cause: &Cause) -> bool {
        match (self, cause) {
            (By::NetworkPolicy(None), Cause::NetworkPolicy(_)) => true,
            (By::NetworkPolicy(Some(want)), Cause::NetworkPolicy(p)) => p.iter().any(|p| p == want),
            (By::NetworkPolicy(_), _) => false,
            (By::ClusterPolicy(None), Cause::ClusterPolicy(_)) => true,
            (By::ClusterPolicy(Some(want)), Cause::ClusterPolicy(p)) => p.iter().any(|p| p == want),
            (By::ClusterPolicy(_), _) => false,
            (By::Cause(k), c) => c.key() == *k,
        }
    }
}

impl fmt::Display for By {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            By::NetworkPolicy(Some(p)) => write!(f, "networkpolicy/{p}"),
            By::ClusterPolicy(Some(p)) => f.write_str(p),
            other => f.write_str(other.key()),
        }
    }
}
