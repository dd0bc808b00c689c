//! The Trace: hops with packets before and after, what happened and why, and the outcome.
//! Its `Display` is the hop listing shared by snapshots, the CLI and the explanation panel.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddrV4};

use crate::dns::DnsAnswer;
use crate::ingress::RouteDecision;
use crate::policy::Side;
use crate::scenario::{ObjectRef, Protocol};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Packet {
    pub src: SocketAddrV4,
    pub dst: SocketAddrV4,
    pub protocol: Protocol,
}

impl Packet {
    pub fn new(src: Ipv4Addr, sport: u16, dst: Ipv4Addr, dport: u16, protocol: Protocol) -> Packet {
        Packet { src: SocketAddrV4::new(src, sport), dst: SocketAddrV4::new(dst, dport), protocol }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// A DNS question answered.
    Resolve,
    /// A DNS question with no answer.
    Nxdomain,
    /// The packet leaves its source.
    Send,
    /// The packet passes through unchanged.
    Pass,
    /// A load balancer forwards to a node.
    Forward,
    /// Destination rewritten (kube-proxy picking an endpoint).
    Dnat,
    /// Source rewritten (masquerade).
    Snat,
    Drop,
    /// Rejected: connection refused.
    Refuse,
    /// kube-proxy has no endpoint: REJECT.
    NoEndpoints,
    Deliver,
    /// The packet leaves the cluster.
    Leave,
    /// An Ingress controller picks a backend for an HTTP request (or answers it itself).
    Route,
    /// NetworkPolicy admits the connection.
    Allow,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Resolve => "DNS",
            Action::Nxdomain => "NXDOMAIN",
            Action::Send => "SEND",
            Action::Pass => "PASS",
            Action::Forward => "FORWARD",
            Action::Dnat => "DNAT",
            Action::Snat => "SNAT",
            Action::Drop => "DROP",
            Action::Refuse => "REFUSED",
            Action::NoEndpoints => "REJECT",
            Action::Deliver => "DELIVER",
            Action::Leave => "LEAVE",
            Action::Route => "ROUTE",
            Action::Allow => "ALLOW",
        }
    }
}

/// One of the choices at a random decision (an endpoint, a DNS answer, a node).
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub ip: Ipv4Addr,
    pub port: u16,
    /// `namespace/name` of the pod behind the address, when there is one.
    pub pod: Option<String>,
    pub node: Option<String>,
    pub probability: f64,
    pub chosen: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Hop {
    /// A stable topology id: `internet`, `lb/<ns>/<svc>`, `node/<name>`, `kube-proxy/<node>`,
    /// `svc/<ns>/<name>`, `dns`, `pod/<ns>/<name>`, `ingress/<ns>/<name>` (the controller's
    /// routing decision; `ingress/default-backend` when no Ingress decided).
    pub at: String,
    pub action: Action,
    pub before: Packet,
    pub after: Packet,
    /// One sentence: what happened and why.
    pub explanation: String,
    /// The objects that decided it.
    pub objects: Vec<ObjectRef>,
    /// Every candidate of a random choice, the chosen one marked.
    pub candidates: Vec<Candidate>,
    /// The DNS answer, on `dns` hops.
    pub dns: Option<DnsAnswer>,
    /// NetworkPolicy's decision, on policy hops (action `Allow` or `Drop`).
    pub policy: Option<PolicyCheck>,
    /// The Ingress controller's decision, on its `Route` hop.
    pub route: Option<Box<RouteDecision>>,
}

/// What NetworkPolicy decided for a connection at one hop: the source pod's egress and the
/// destination pod's ingress (each absent when that end is not a pod, or is exempt as the
/// other end's own node).
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyCheck {
    pub allowed: bool,
    pub egress: Option<Side>,
    pub ingress: Option<Side>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Delivered {
        pod: String,
        ip: Ipv4Addr,
        port: u16,
    },
    /// Reached a node's own process (the API server behind `kubernetes`).
    ReachedNode {
        node: String,
        port: u16,
    },
    Refused {
        at: String,
        port: u16,
    },
    NoEndpoints {
        service: String,
    },
    NameNotFound {
        name: String,
    },
    NoRoute {
        reason: String,
    },
    Dropped {
        by: String,
        reason: String,
    },
    /// Resolved through an ExternalName CNAME to a name outside the cluster.
    ExternalName {
        target: String,
        ip: Ipv4Addr,
    },
    LeftCluster {
        ip: Ipv4Addr,
        port: u16,
    },
    /// An HTTP proxy (the Ingress controller) answered itself: 308 redirect, 404, 503.
    HttpStatus {
        code: u16,
        reason: String,
    },
}

impl Outcome {
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Delivered { .. } => "delivered",
            Outcome::ReachedNode { .. } => "reached-node",
            Outcome::Refused { .. } => "refused",
            Outcome::NoEndpoints { .. } => "no-endpoints",
            Outcome::NameNotFound { .. } => "name-not-found",
            Outcome::NoRoute { .. } => "no-route",
            Outcome::Dropped { .. } => "dropped",
            Outcome::ExternalName { .. } => "external-name",
            Outcome::LeftCluster { .. } => "left-cluster",
            Outcome::HttpStatus { code: 308, .. } => "http-308",
            Outcome::HttpStatus { code: 404, .. } => "http-404",
            Outcome::HttpStatus { code: 503, .. } => "http-503",
            Outcome::HttpStatus { .. } => "http-status",
        }
    }

    /// Whether the request got an answer from something.
    pub fn is_success(&self) -> bool {
        matches!(
            self,
            Outcome::Delivered { .. }
                | Outcome::ReachedNode { .. }
                | Outcome::ExternalName { .. }
                | Outcome::LeftCluster { .. }
        ) || matches!(self, Outcome::HttpStatus { code, .. } if *code < 400)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Delivered { pod, ip, port } => write!(f, "delivered to pod/{pod} ({ip}:{port})"),
            Outcome::ReachedNode { node, port } => write!(f, "reached node/{node} port {port}"),
            Outcome::Refused { at, port } => {
                write!(f, "connection refused by {at} (nothing listens on port {port})")
            }
            Outcome::NoEndpoints { service } => {
                write!(f, "no endpoints for svc/{service}: connection refused")
            }
            Outcome::NameNotFound { name } => write!(f, "name not found: {name} (NXDOMAIN)"),
            Outcome::NoRoute { reason } => write!(f, "no route: {reason}"),
            Outcome::Dropped { by, reason } => write!(f, "dropped by {by}: {reason}"),
            Outcome::ExternalName { target, ip } => {
                write!(f, "leaves the cluster to {target} ({ip}) via an ExternalName CNAME")
            }
            Outcome::LeftCluster { ip, port } => write!(f, "leaves the cluster to {ip}:{port}"),
            Outcome::HttpStatus { code, reason } => write!(f, "HTTP {code} {reason}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    pub hops: Vec<Hop>,
    pub outcome: Outcome,
    /// What the HTTP proxy on the way (the Ingress controller, a Gateway) did, when the
    /// request reached one.
    pub proxied: Option<Proxied>,
}

/// What an HTTP proxy (the Ingress controller, a Gateway's proxy) did with a request.
#[derive(Clone, Debug, PartialEq)]
pub struct Proxied {
    /// The path the backend receives (after rewrite-target, or a URLRewrite filter).
    pub upstream_path: String,
    /// Over HTTPS, the Secrets (`<ns>/<name>`) of the certificate TLS ended with (several: a
    /// listener's certificateRefs); empty for the controller's self-signed default
    /// certificate. `None` over plain HTTP.
    pub tls: Option<Vec<String>>,
}

impl Trace {
    /// How many candidates the endpoint choice had (what `Request::pick` indexes); 1 when
    /// nothing was chosen at random.
    pub fn candidate_count(&self) -> usize {
        self.hops
            .iter()
            .filter(|h| matches!(h.action, Action::Dnat | Action::Resolve | Action::Route))
            .map(|h| h.candidates.len())
            .max()
            .unwrap_or(0)
            .max(1)
    }

    /// The chosen endpoint, when kube-proxy or DNS chose one.
    pub fn chosen(&self) -> Option<&Candidate> {
        self.hops.iter().rev().flat_map(|h| h.candidates.iter()).find(|c| c.chosen)
    }
}

/// `1 endpoint`, `3 endpoints`: a count with its noun, for the explanations.
pub fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

fn side(before: SocketAddrV4, after: SocketAddrV4) -> String {
    if before == after {
        before.to_string()
    } else {
        format!("{before} -> {after}")
    }
}

impl fmt::Display for Trace {
    /// ```text
    ///   1 pod/default/client       SEND     10.244.1.2:41234 > 10.96.0.15:80 TCP  ...
    ///   2 kube-proxy/node-1        DNAT     10.244.1.2:41234 > 10.96.0.15:80 -> 10.244.2.7:8080 TCP  ...
    ///       * 10.244.2.7:8080  pod/default/web-1  node-2  p=0.50
    ///   => delivered to pod/default/web-1 (10.244.2.7:8080)
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self.hops.iter().map(|h| h.at.len()).max().unwrap_or(0);
        for (i, hop) in self.hops.iter().enumerate() {
            let packet = format!(
                "{} > {} {}",
                side(hop.before.src, hop.after.src),
                side(hop.before.dst, hop.after.dst),
                hop.after.protocol
            );
            writeln!(
                f,
                "{:>3} {:<width$}  {:<9}{}  {}",
                i + 1,
                hop.at,
                hop.action.as_str(),
                packet,
                hop.explanation
            )?;
            for c in &hop.candidates {
                let addr = SocketAddrV4::new(c.ip, c.port);
                let mut line = format!("      {} {addr}", if c.chosen { "*" } else { " " });
                if let Some(pod) = &c.pod {
                    line.push_str(&format!("  pod/{pod}"));
                }
                if let Some(node) = &c.node {
                    line.push_str(&format!("  {node}"));
                }
                writeln!(f, "{line}  p={:.2}", c.probability)?;
            }
        }
        write!(f, "  => {}", self.outcome)
    }
}
