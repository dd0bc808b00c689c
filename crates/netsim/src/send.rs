//! `send`: follow one request through the cluster, hop by hop.

use std::net::Ipv4Addr;

use crate::build::{Cluster, ClusterPod, ClusterService, ServiceEndpoint};
use crate::dns::{DnsClient, DnsQuery, QueryType, Rcode};
use crate::hash::SplitMix64;
use crate::kube_proxy;
use crate::policy::{Connection, Endpoint, Side, Verdict};
use crate::scenario::ObjectRef;
use crate::scenario::PolicyType;
use crate::scenario::{Protocol, ServiceType, TrafficPolicy};
use crate::trace::{Action, Candidate, Hop, Outcome, Packet, PolicyCheck, Trace};

#[cfg(feature = "gateway-api")]
mod gateway;

/// Where a request starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Client {
    Pod {
        namespace: String,
        name: String,
    },
    /// A client on the internet.
    Outside(Ipv4Addr),
    /// A process on a node (host network).
    Node(String),
}

impl Client {
    pub fn pod(namespace: &str, name: &str) -> Client {
        Client::Pod { namespace: namespace.into(), name: name.into() }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub from: Client,
    /// A DNS name or an IP, optionally as a URL: `web`, `web.shop:8080`,
    /// `http://web.shop.svc.cluster.local/`, `10.96.0.15`.
    pub to: String,
    /// Overrides the port in `to`; without either, the scheme's port (http 80, https 443), else 80.
    pub port: Option<u16>,
    pub protocol: Protocol,
    /// Drives every random choice (source port, endpoint, load-balancer node).
    pub seed: u64,
    /// Forces the endpoint choice (kube-proxy's, or the DNS answer for headless names) to
    /// candidate `pick % n`, so a caller can enumerate every candidate.
    pub pick: Option<usize>,
    /// Forces the cloud load balancer's choice of node to candidate `node_pick % n`.
    pub node_pick: Option<usize>,
    /// The HTTP Host header when it is not `to`'s host (curl's `-H 'Host: …'`): what an
    /// Ingress controller or a Gateway routes by, while the connection goes to `to`.
    pub host: Option<String>,
}

impl Request {
    pub fn new(from: Client, to: &str) -> Request {
        Request {
            from,
            to: to.into(),
            port: None,
            protocol: Protocol::Tcp,
            seed: 0,
            pick: None,
            node_pick: None,
            host: None,
        }
    }
    /// Sends Host header `host` (see [`Request::host`]).
    pub fn host(mut self, host: &str) -> Request {
        self.host = Some(host.to_string());
        self
    }
    pub fn port(mut self, port: u16) -> Request {
        self.port = Some(port);
        self
    }
    pub fn protocol(mut self, protocol: Protocol) -> Request {
        self.protocol = protocol;
        self
    }
    pub fn seed(mut self, seed: u64) -> Request {
        self.seed = seed;
        self
    }
    pub fn pick(mut self, pick: usize) -> Request {
        self.pick = Some(pick);
        self
    }
}

/// Splits `scheme://host:port/path` into the host and the port it implies.
fn parse_target(to: &str) -> (String, Option<u16>) {
    let to = to.trim();
    let (scheme_port, rest) = match to.split_once("://") {
        Some((scheme, rest)) => (
            match scheme.to_ascii_lowercase().as_str() {
                "http" => Some(80),
                "https" => Some(443),
                _ => None,
            },
            rest,
        ),
        None => (None, to),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    match authority.rsplit_once(':') {
        Some((host, port)) => match port.parse::<u16>() {
            Ok(p) => (host.to_string(), Some(p)),
            Err(_) => (authority.to_string(), scheme_port),
        },
        None => (authority.to_string(), scheme_port),
    }
}

/// A request through a Gateway's proxy and a public name's claim, plugged in with the Gateway
/// API's code (`gateway::plug`).
pub struct Gateway {
    /// The Gateway that claims a public name, for the DNS hop.
    pub(crate) claim: for<'a> fn(&'a Cluster, &str) -> Option<Claim<'a>>,
    /// A request reached the proxy of Gateway `&str`.
    pub(crate) through: for<'a> fn(&'a Cluster, Walk<'a>, &'a ClusterPod, &str, Packet) -> Trace,
}

pub(crate) static GATEWAY: crate::socket::Socket<Gateway> = crate::socket::Socket::new();

#[cfg(feature = "gateway-api")]
pub(crate) static DIRECT_GATEWAY: Gateway = Gateway {
    claim: |c, h| c.gateway_claim(h),
    through: |c, walk, proxy, gateway, packet| c.through_gateway(walk, proxy, gateway, packet),
};

fn gateway() -> Option<&'static Gateway> {
    crate::plugged!(GATEWAY, &DIRECT_GATEWAY)
}

/// A Gateway that claims a public name: its data plane's Service, the words for the DNS hop
/// and the objects that name it.
pub(crate) type Claim<'a> = (&'a ClusterService, String, Vec<ObjectRef>);

pub(crate) struct Walk<'a> {
    cluster: &'a Cluster,
    hops: Vec<Hop>,
    rng: SplitMix64,
    pick: Option<usize>,
    node_pick: Option<usize>,
    /// The client as the destination sees it before any SNAT.
    client_ip: Ipv4Addr,
    /// The source pod, for NetworkPolicy egress.
    client_pod: Option<&'a ClusterPod>,
    /// Set when the name came through an ExternalName CNAME.
    via_cname: Option<String>,
    /// The HTTP request (Host header and path), for the Ingress controller.
    http: Option<HttpTarget>,
    /// The Ingress controller's decision, for its `Route` hop.
    route: Option<crate::ingress::RouteDecision>,
    /// What the HTTP proxy on the way did, for the trace.
    proxied: Option<crate::trace::Proxied>,
}

/// What one direction of NetworkPolicy says about a packet, for the policy hop.
#[derive(Default)]
struct SideCheck {
    allows: bool,
    /// The decision in words, then any note on it.
    sentences: Vec<String>,
    /// The policies that decided.
    objects: Vec<ObjectRef>,
    /// `networkpolicy/ns/name` of the policies that isolate the pod, when denied.
    denied_by: Vec<String>,
    /// Why it is denied.
    reason: Option<String>,
    /// The decision, kept on the hop unless the node exemption applied.
    side: Option<Side>,
}

impl<'a> Walk<'a> {
    fn hop(
        &mut self,
        at: String,
        action: Action,
        before: Packet,
        after: Packet,
        explanation: String,
        objects: Vec<ObjectRef>,
    ) {
        self.hops.push(Hop {
            at,
            action,
            before,
            after,
            explanation,
            objects,
            candidates: Vec::new(),
            dns: None,
            policy: None,
            route: if action == Action::Route { self.route.take().map(Box::new) } else { None },
        });
    }

    fn finish(self, outcome: Outcome) -> Trace {
        Trace { hops: self.hops, outcome, proxied: self.proxied }
    }

    /// NetworkPolicy, where CNIs enforce it: on the packet as it is about to reach `dst_pod`
    /// (or, with `None`, an address that is no pod: a node or the internet), so after
    /// kube-proxy's DNAT (pod IP and targetPort) and after any SNAT (an ipBlock sees a node's
    /// address when externalTrafficPolicy Cluster masqueraded the client). Checks the egress of
    /// the pod that opened the connection and the ingress of the destination pod.
    /// https://kubernetes.io/docs/concepts/services-networking/network-policies/
    ///
    /// Pushes a policy hop when the cluster has any NetworkPolicy or cluster-wide policy; returns the outcome when the
    /// packet is dropped.
    fn admit(&mut self, packet: &Packet, dst_pod: Option<&ClusterPod>) -> Option<Outcome> {
        let c = self.cluster;
        if !c.policy.any() {
            return None;
        }
        let (port, protocol) = (packet.dst.port(), packet.protocol);
        let (src_ip, dst_ip) = (*packet.src.ip(), *packet.dst.ip());
        let dst = match dst_pod.and_then(|p| c.pod_index(p)) {
            Some(i) => Endpoint::Pod(i),
            None => Endpoint::Outside(dst_ip),
        };
        let src_pod = self.client_pod;
        if src_pod.is_none() && dst_pod.is_none() {
            return None;
        }
        if !c.topology.enforces_network_policy {
            // https://kubernetes.io/docs/concepts/services-networking/network-policies/#prerequisites
            let at = dst_pod.or(src_pod).map(|p| p.id()).unwrap_or_default();
            self.hop(at, Action::Pass, *packet, *packet, "NetworkPolicy is not enforced: this cluster's network plugin ignores NetworkPolicy objects, so they have no effect".into(), Vec::new());
            return None;
        }
        let src = src_pod.and_then(|p| c.pod_index(p));
        let at = match (dst_pod, src_pod) {
            (Some(p), _) | (None, Some(p)) => p.id(),
            (None, None) => "internet".to_string(),
        };
        let name = |p: &ClusterPod| format!("{}/{}", p.namespace, p.name);
        let to_itself = matches!((src, dst), (Some(s), Endpoint::Pod(d)) if s == d);
        if to_itself && c.policy.options().pod_to_itself_always_allowed {
            let text =
                "NetworkPolicy: a pod can always reach itself (\"a pod cannot block access to itself\")";
            self.policy_hop(at, true, *packet, text.to_string(), Vec::new(), None, None);
            return None;
        }
        // The source pod's egress, towards the destination after DNAT.
        let egress = match (src, src_pod) {
            (Some(s), Some(pod)) => {
                let side = c.policy.decide(&Connection { src: Endpoint::Pod(s), dst, port, protocol }).egress;
                let peer = match dst_pod {
                    Some(d) => format!("{dst_ip}:{port} ({})", name(d)),
                    None => format!("{dst_ip}:{port}"),
                };
                Some(self.check_side(side, pod, dst, dst_ip, &peer))
            }
            _ => None,
        };
        // The destination pod's ingress, from the source address it sees.
        let ingress = match (dst, dst_pod) {
            (Endpoint::Pod(d), Some(pod)) => {
                let seen = match c.pod_by_ip(src_ip).and_then(|p| c.pod_index(p)) {
                    Some(i) => Endpoint::Pod(i),
                    None => Endpoint::Outside(src_ip),
                };
                let side =
                    c.policy.decide(&Connection { src: seen, dst: Endpoint::Pod(d), port, protocol }).ingress;
                let snat = src_ip != self.client_ip;
                let peer = match (seen, c.pod_by_ip(src_ip)) {
                    (Endpoint::Pod(_), Some(p)) => format!("{src_ip} ({})", name(p)),
                    _ => match c.node_by_ip(src_ip) {
                        Some(n) if snat => {
                            format!(
                                "{src_ip} ({}'s IP after SNAT, not the client's {})",
                                n.name, self.client_ip
                            )
                        }
                        Some(n) => format!("{src_ip} (node {})", n.name),
                        None => src_ip.to_string(),
                    },
                };
                Some(self.check_side(side, pod, seen, src_ip, &peer))
            }
            _ => None,
        };
        let egress_ok = egress.as_ref().is_none_or(|e| e.allows);
        let checks = || egress.iter().chain(&ingress);
        let allowed = checks().all(|check| check.allows);
        // An egress drop happens as the packet leaves its source.
        let at = match src_pod {
            Some(p) if !egress_ok => p.id(),
            _ => at,
        };
        let sentences: Vec<&str> = checks().flat_map(|check| &check.sentences).map(String::as_str).collect();
        // With cluster-wide tiers around it, the hop is policy's, not NetworkPolicy's alone.
        let what = if c.policy.cluster_policies().is_empty() { "NetworkPolicy" } else { "Policy" };
        let text = format!("{what}: {}", sentences.join("; "));
        let objects = checks().flat_map(|check| check.objects.iter().cloned()).collect();
        let mut denied_by: Vec<&str> =
            checks().flat_map(|check| &check.denied_by).map(String::as_str).collect();
        let reasons: Vec<&str> = checks().filter_map(|check| check.reason.as_deref()).collect();
        let outcome = (!allowed).then(|| {
            denied_by.dedup();
            Outcome::Dropped { by: denied_by.join(", "), reason: reasons.join("; ") }
        });
        let (egress, ingress) = (egress.and_then(|e| e.side), ingress.and_then(|i| i.side));
        self.policy_hop(at, allowed, *packet, text, objects, egress, ingress);
        outcome
    }

    /// The client: its address, its node and how hops name it.
    fn source(&mut self, from: &Client) -> Result<(Ipv4Addr, Option<String>, String), Outcome> {
        let c = self.cluster;
        match from {
            Client::Pod { namespace, name } => {
                let Some(pod) = c.pod(namespace, name) else {
                    return Err(Outcome::NoRoute { reason: format!("there is no pod {namespace}/{name}") });
                };
                let Some(ip) = pod.ip else {
                    return Err(Outcome::NoRoute {
                        reason: format!("pod {namespace}/{name} is Pending and has no IP"),
                    });
                };
                self.client_pod = Some(pod);
                Ok((ip, pod.node.clone(), pod.id()))
            }
            Client::Outside(ip) => Ok((*ip, None, "internet".to_string())),
            Client::Node(name) => {
                let Some(node) = c.node(name) else {
                    return Err(Outcome::NoRoute { reason: format!("there is no node {name}") });
                };
                Ok((node.ip, Some(node.name.clone()), format!("node/{name}")))
            }
        }
    }

    /// Resolves `host` as the client would (CoreDNS for a pod, the node's resolver or public
    /// DNS otherwise), with a `dns` hop; NetworkPolicy sees a pod's query to CoreDNS.
    fn resolve(
        &mut self,
        from: &Client,
        host: &str,
        src_ip: Ipv4Addr,
        sport: u16,
        dport: u16,
    ) -> Result<Ipv4Addr, Outcome> {
        let c = self.cluster;
        let answer = match from {
            Client::Pod { namespace, name } => c.dns(&DnsQuery {
                from: DnsClient::Pod { namespace: namespace.clone(), name: name.clone() },
                name: host.to_string(),
                qtype: QueryType::A,
            }),
            Client::Node(n) => c.resolve_outside(host, QueryType::A, Some(n.as_str())),
            Client::Outside(_) => c.resolve_outside(host, QueryType::A, None),
        };
        let server = match &answer.resolver {
            crate::dns::Resolver::Cluster(ip)
            | crate::dns::Resolver::Node(ip)
            | crate::dns::Resolver::Upstream(ip) => *ip,
            crate::dns::Resolver::None => Ipv4Addr::UNSPECIFIED,
        };
        let q = Packet::new(src_ip, sport.wrapping_add(1), server, 53, Protocol::Udp);
        if matches!(answer.resolver, crate::dns::Resolver::Cluster(_)) {
            if let Some(dropped) = self.admit_dns(q, host) {
                return Err(dropped);
            }
        }
        let tried = answer.tried.join(", ");
        let addresses = answer.addresses();
        if answer.rcode == Rcode::NxDomain || addresses.is_empty() {
            let explanation = format!(
                "{host}: {} (tried {})",
                answer.explanation,
                if tried.is_empty() { "nothing".into() } else { tried }
            );
            let objects = answer.objects.clone();
            self.hops.push(Hop {
                at: "dns".into(),
                action: Action::Nxdomain,
                before: q,
                after: q,
                explanation,
                objects,
                candidates: Vec::new(),
                dns: Some(answer),
                policy: None,
                route: None,
            });
            return Err(Outcome::NameNotFound { name: host.to_string() });
        }
        let n = addresses.len();
        let chosen = match self.pick {
            Some(i) if n > 1 => i % n,
            _ if n > 1 => self.rng.below(n as u64) as usize,
            _ => 0,
        };
        let candidates: Vec<Candidate> = if n > 1 {
            addresses
                .iter()
                .enumerate()
                .map(|(i, ip)| {
                    let pod = c.pod_by_ip(*ip);
                    Candidate {
                        ip: *ip,
                        port: dport,
                        pod: pod.map(|p| format!("{}/{}", p.namespace, p.name)),
                        node: pod.and_then(|p| p.node.clone()),
                        probability: 1.0 / n as f64,
                        chosen: i == chosen,
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        let ip = addresses.get(chosen).copied().unwrap_or(Ipv4Addr::UNSPECIFIED);
        let mut explanation = format!(
            "{host} -> {} ({}); tried {tried}",
            answer.answered.clone().unwrap_or_default(),
            answer.explanation
        );
        if n > 1 {
            explanation.push_str(&format!(
                "; {n} A records rotate (CoreDNS loadbalance), the client takes the first: {ip}"
            ));
        }
        self.via_cname = answer.cname().map(str::to_string);
        let objects = answer.objects.clone();
        self.hops.push(Hop {
            at: "dns".into(),
            action: Action::Resolve,
            before: q,
            after: q,
            explanation,
            objects,
            candidates,
            dns: Some(answer),
            policy: None,
            route: None,
        });
        Ok(ip)
    }

    /// A pod's DNS query to the cluster DNS Service goes through kube-proxy to a CoreDNS pod
    /// like any other connection, so NetworkPolicy applies to it: an egress default deny
    /// without a DNS exception makes every lookup time out.
    /// https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic
    /// Only a dropped query leaves a hop; CoreDNS endpoint 1 stands for all of them.
    fn admit_dns(&mut self, query: Packet, host: &str) -> Option<Outcome> {
        let c = self.cluster;
        if !c.policy.any() || self.client_pod.is_none() {
            return None;
        }
        let svc = c.service_by_cluster_ip(*query.dst.ip())?;
        let (_, _, pe) = svc.port(query.dst.port(), query.protocol)?;
        let endpoint = pe.routable().into_iter().next()?;
        let pod = c.pod_by_ip(endpoint.ip)?;
        let after = Packet { dst: std::net::SocketAddrV4::new(endpoint.ip, endpoint.port), ..query };
        let mark = self.hops.len();
        match self.admit(&after, Some(pod)) {
            None => {
                self.hops.truncate(mark);
                None
            }
            Some(Outcome::Dropped { by, reason }) => {
                if let Some(hop) = self.hops.last_mut() {
                    hop.at = "dns".into();
                    hop.before = query;
                    hop.explanation = format!(
                        "the DNS query for {host} to {} ({}:{} after kube-proxy) is dropped, so the lookup times out; {}",
                        query.dst,
                        endpoint.ip,
                        endpoint.port,
                        hop.explanation
                    );
                }
                Some(Outcome::Dropped { by, reason: format!("DNS lookup of {host} times out: {reason}") })
            }
            other => other,
        }
    }

    /// The objects, the ipBlock caveat and (when denied) the reason of one checked side.
    /// One direction of NetworkPolicy for `pod` (the source's egress or the destination's
    /// ingress), with `peer` the other end as policy sees it, at `peer_ip`, named `peer_text`.
    /// Traffic between a pod and its own node is always allowed, whatever the policies say.
    fn check_side(
        &self,
        side: Side,
        pod: &ClusterPod,
        peer: Endpoint,
        peer_ip: Ipv4Addr,
        peer_text: &str,
    ) -> SideCheck {
        let c = self.cluster;
        let (dir, towards) = match side.direction {
            PolicyType::Ingress => ("ingress", "from"),
            PolicyType::Egress => ("egress", "to"),
        };
        let node_ip = pod.node.as_deref().and_then(|n| c.node(n)).map(|n| n.ip);
        if node_ip == Some(peer_ip) {
            return SideCheck {
                allows: true,
                sentences: vec![format!(
                    "{dir} of {}/{} {towards} {peer_text}: its own node, always allowed (\"traffic to and from the node where a Pod is running is always allowed\")",
                    pod.namespace, pod.name
                )],
                ..SideCheck::default()
            };
        }
        let mut check = SideCheck {
            allows: side.allows(),
            sentences: vec![side.sentence(peer_text)],
            ..SideCheck::default()
        };
        match &side.verdict {
            Verdict::Allowed { by } => {
                check.objects.push(ObjectRef::new(
                    "NetworkPolicy",
                    &by.policy.namespace,
                    &by.policy.name,
                    by.source.clone().or(by.policy.source.clone()),
                ));
                if c.policy.admitted_by_ip_block_on_pod(by, peer) {
                    check.sentences.push(format!(
                        "note: {by} matched a pod IP with an ipBlock; the API reference says ipBlocks are meant for cluster-external addresses and plugins differ (Calico matches pod IPs, as modelled here; Cilium does not)"
                    ));
                }
            }
            Verdict::Denied { closest } => {
                for p in &side.selected_by {
                    check.objects.push(ObjectRef::new(
                        "NetworkPolicy",
                        &p.namespace,
                        &p.name,
                        p.source.clone(),
                    ));
                    check.denied_by.push(format!("networkpolicy/{}/{}", p.namespace, p.name));
                }
                if let Some(miss) = closest {
                    if let Some(src) = &miss.rule.source {
                        check.objects.push(ObjectRef::new(
                            "NetworkPolicy",
                            &miss.rule.policy.namespace,
                            &miss.rule.policy.name,
                            Some(src.clone()),
                        ));
                    }
                }
                let why = match closest {
                    None => "no rule (default deny)",
                    Some(_) => "no rule admits it",
                };
                check.reason = Some(format!("{dir} of {} is isolated and {why}", side.who));
            }
            Verdict::Cluster { by, reason, .. } => {
                check.objects.push(by.object.clone());
                if by.action != crate::scenario::ClusterAction::Accept {
                    check.denied_by.push(by.key.clone());
                    check.reason = Some(reason.clone());
                }
            }
            _ => {}
        }
        check.objects.extend(side.passed.iter().map(|by| by.object.clone()));
        check.side = Some(side);
        check
    }

    #[allow(clippy::too_many_arguments)]
    fn policy_hop(
        &mut self,
        at: String,
        allowed: bool,
        packet: Packet,
        explanation: String,
        objects: Vec<ObjectRef>,
        egress: Option<Side>,
        ingress: Option<Side>,
    ) {
        self.hops.push(Hop {
            at,
            action: if allowed { Action::Allow } else { Action::Drop },
            before: packet,
            after: packet,
            explanation,
            objects,
            candidates: Vec::new(),
            dns: None,
            policy: Some(PolicyCheck { allowed, egress, ingress }),
            route: None,
        });
    }

    /// The last leg: to the endpoint's node, then the pod (or the node, or outside).
    fn deliver(mut self, packet: Packet, from_node: Option<&str>) -> Trace {
        let c = self.cluster;
        let dst_ip = *packet.dst.ip();
        let port = packet.dst.port();
        if let Some(pod) = c.pod_by_ip(dst_ip) {
            if let Some(node) = pod.node.as_deref() {
                if from_node.is_some_and(|f| f != node) {
                    self.hop(
                        format!("node/{node}"),
                        Action::Pass,
                        packet,
                        packet,
                        format!(
                            "routed over the pod network from {} to {node}, where {} runs",
                            from_node.unwrap_or(""),
                            pod.name
                        ),
                        Vec::new(),
                    );
                }
            }
            if let Some(dropped) = self.admit(&packet, Some(pod)) {
                return self.finish(dropped);
            }
            return match pod.declares(port, packet.protocol) {
                Some(cp) => {
                    let ready = if pod.ready {
                        ""
                    } else {
                        " (the pod is not Ready, which only matters to Services)"
                    };
                    let mut objects = vec![pod.object()];
                    if let Some(src) = &cp.source {
                        objects.push(ObjectRef::new("Pod", &pod.namespace, &pod.name, Some(src.clone())));
                    }
                    self.hop(
                        pod.id(),
                        Action::Deliver,
                        packet,
                        packet,
                        format!("a container declares port {port}/{}{ready}", packet.protocol),
                        objects,
                    );
                    if crate::ingress::is_controller_pod(pod) && self.http.is_some() {
                        return c.through_ingress(self, pod, packet);
                    }
                    if pod.built_in && self.http.is_some() {
                        if let (Some(gateway), Some(plug)) =
                            (crate::gateway::dataplane::gateway_of(&pod.spec.labels), gateway())
                        {
                            return (plug.through)(c, self, pod, gateway, packet);
                        }
                    }
                    self.finish(Outcome::Delivered {
                        pod: format!("{}/{}", pod.namespace, pod.name),
                        ip: dst_ip,
                        port,
                    })
                }
                None => {
                    let declared: Vec<String> = pod
                        .spec
                        .containers
                        .iter()
                        .flat_map(|c| c.ports.iter())
                        .map(|p| format!("{}/{}", p.container_port, p.protocol))
                        .collect();
                    self.hop(
                        pod.id(),
                        Action::Refuse,
                        packet,
                        packet,
                        format!(
                            "no container declares port {port}/{} (declared: {}), so the connection is refused",
                            packet.protocol,
                            if declared.is_empty() { "none".to_string() } else { declared.join(", ") }
                        ),
                        vec![pod.object()],
                    );
                    self.finish(Outcome::Refused { at: pod.id(), port })
                }
            };
        }
        if let Some(node) = c.node_by_ip(dst_ip) {
            let id = format!("node/{}", node.name);
            if let Some(dropped) = self.admit(&packet, None) {
                return self.finish(dropped);
            }
            if let Some(pod) = c.pods.iter().find(|p| {
                p.spec.host_network
                    && p.node.as_deref() == Some(&node.name)
                    && p.declares(port, packet.protocol).is_some()
            }) {
                self.hop(
                    pod.id(),
                    Action::Deliver,
                    packet,
                    packet,
                    format!("hostNetwork pod {} listens on the node's port {port}", pod.name),
                    vec![pod.object()],
                );
                return self.finish(Outcome::Delivered {
                    pod: format!("{}/{}", pod.namespace, pod.name),
                    ip: dst_ip,
                    port,
                });
            }
            self.hop(
                id,
                Action::Deliver,
                packet,
                packet,
                format!("a process on {} answers on port {port} (the API server listens on 6443)", node.name),
                Vec::new(),
            );
            return self.finish(Outcome::ReachedNode { node: node.name.clone(), port });
        }
        if let Some(dropped) = self.admit(&packet, None) {
            return self.finish(dropped);
        }
        self.hop(
            "internet".into(),
            Action::Leave,
            packet,
            packet,
            format!("{dst_ip} is not in the cluster: the packet leaves through the node's default route"),
            Vec::new(),
        );
        self.finish(Outcome::LeftCluster { ip: dst_ip, port })
    }
}

impl Cluster {
    /// Follows `request` hop by hop. Never panics; every failure is an `Outcome`.
    pub fn send(&self, request: &Request) -> Trace {
        let mut rng = SplitMix64::new(request.seed);
        // Linux's default ephemeral range, 32768-60999.
        let sport = 32768 + rng.below(28232) as u16;
        let mut walk = Walk {
            cluster: self,
            hops: Vec::new(),
            rng,
            pick: request.pick,
            node_pick: request.node_pick,
            client_ip: Ipv4Addr::UNSPECIFIED,
            client_pod: None,
            via_cname: None,
            http: None,
            route: None,
            proxied: None,
        };
        let (src_ip, src_node, src_id) = match walk.source(&request.from) {
            Ok(source) => source,
            Err(outcome) => return walk.finish(outcome),
        };
        walk.client_ip = src_ip;
        let (host, url_port) = parse_target(&request.to);
        let mut dport = request.port.or(url_port).unwrap_or(80);
        let proto = request.protocol;
        let header = request.host.clone().unwrap_or_else(|| host.clone());
        walk.http = Some(HttpTarget { host: header, path: url_path(&request.to) });
        let loopback = host.eq_ignore_ascii_case("localhost")
            || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback());
        if loopback {
            return self.loopback(
                walk,
                &request.from,
                host.parse().unwrap_or(Ipv4Addr::LOCALHOST),
                dport,
                proto,
                sport,
            );
        }

        // DNS, for names.
        let public = match self.public_dns(&mut walk, &host, &mut dport, src_ip, sport) {
            Ok(ip) => ip,
            Err(dropped) => return walk.finish(dropped),
        };
        let dst_ip = match (public, host.parse::<Ipv4Addr>()) {
            (Some(ip), _) => ip,
            (None, Ok(ip)) => ip,
            (None, Err(_)) => match walk.resolve(&request.from, &host, src_ip, sport, dport) {
                Ok(ip) => ip,
                Err(outcome) => return walk.finish(outcome),
            },
        };

        let packet = Packet::new(src_ip, sport, dst_ip, dport, proto);
        let who = match &request.from {
            Client::Outside(ip) => format!("client {ip} outside the cluster"),
            _ => src_id.clone(),
        };
        walk.hop(
            src_id.clone(),
            Action::Send,
            packet,
            packet,
            format!("{who} opens a {proto} connection to {dst_ip}:{dport}"),
            Vec::new(),
        );
        self.route(walk, &request.from, packet, src_node.as_deref())
    }

    /// Where the packet goes by its destination address: a ClusterIP, a load balancer IP, a
    /// node, a pod, nothing in the cluster's ranges, or outside the cluster.
    fn route<'a>(
        &'a self,
        mut walk: Walk<'a>,
        from: &Client,
        packet: Packet,
        src_node: Option<&str>,
    ) -> Trace {
        let sport = packet.src.port();
        let (dst_ip, dport) = (*packet.dst.ip(), packet.dst.port());
        let outside = matches!(from, Client::Outside(_));

        if let Some(svc) = self.service_by_cluster_ip(dst_ip) {
            if outside {
                walk.hop("internet".into(), Action::Drop, packet, packet, format!("{dst_ip} is a ClusterIP: only reachable inside the cluster, nothing outside routes the service CIDR"), vec![svc.object()]);
                return walk.finish(Outcome::NoRoute {
                    reason: format!("ClusterIP {dst_ip} is only reachable inside the cluster"),
                });
            }
            return self.through_service(walk, svc, packet, src_node, Entry::ClusterIp);
        }
        if let Some(svc) = self.service_by_load_balancer_ip(dst_ip) {
            if !outside {
                // kube-proxy short-circuits in-cluster traffic to a LoadBalancer IP.
                return self.through_service(walk, svc, packet, src_node, Entry::LoadBalancerInCluster);
            }
            return self.through_load_balancer(walk, svc, packet);
        }
        if let Some(node) = self.node_by_ip(dst_ip) {
            return self.to_node(walk, packet, &node.name, outside);
        }
        if let Some(pod) = self.pod_by_ip(dst_ip) {
            if outside {
                let Some(node) = pod.node.as_deref().filter(|_| self.topology.pod_network_routed) else {
                    walk.hop(
                        "internet".into(),
                        Action::Drop,
                        packet,
                        packet,
                        format!("{dst_ip} is a pod IP, and this cluster's pod network is not routed from outside (as in kind or minikube; VPC-native network plugins route it)"),
                        vec![pod.object()],
                    );
                    return walk.finish(Outcome::NoRoute {
                        reason: format!("pod IP {dst_ip} is not reachable from outside the cluster"),
                    });
                };
                walk.hop(
                    format!("node/{node}"),
                    Action::Pass,
                    packet,
                    packet,
                    format!("this cluster's pod network is routed from outside (a VPC-native network plugin): {dst_ip} is reached through {node}, where the pod runs, with the client's address kept"),
                    vec![pod.object()],
                );
                return walk.deliver(packet, Some(node));
            }
            return walk.deliver(packet, src_node);
        }
        if self.topology.service_cidr.contains(dst_ip) {
            walk.hop("internet".into(), Action::Drop, packet, packet, format!("no Service has ClusterIP {dst_ip}: no kube-proxy rule matches and the packet goes nowhere"), Vec::new());
            return walk.finish(Outcome::NoRoute { reason: format!("no Service has ClusterIP {dst_ip}") });
        }
        if self.topology.pod_cidr.contains(dst_ip) {
            walk.hop(
                "internet".into(),
                Action::Drop,
                packet,
                packet,
                format!("no pod has IP {dst_ip}"),
                Vec::new(),
            );
            return walk.finish(Outcome::NoRoute { reason: format!("no pod has IP {dst_ip}") });
        }
        // Outside the cluster: the pod's egress policy sees the real destination (an ipBlock),
        // then its traffic is masqueraded by its node.
        if let Some(dropped) = walk.admit(&packet, None) {
            return walk.finish(dropped);
        }
        let mut packet = packet;
        if let (Some(node), false) = (src_node.and_then(|n| self.node(n)), outside) {
            if !matches!(from, Client::Node(_)) {
                let after = Packet { src: std::net::SocketAddrV4::new(node.ip, sport), ..packet };
                walk.hop(
                    format!("node/{}", node.name),
                    Action::Snat,
                    packet,
                    after,
                    format!("leaving the cluster, the pod's address is masqueraded to {}'s IP", node.name),
                    Vec::new(),
                );
                packet = after;
            }
        }
        walk.hop(
            "internet".into(),
            Action::Leave,
            packet,
            packet,
            format!("{dst_ip} is outside the cluster"),
            Vec::new(),
        );
        match walk.via_cname.take() {
            Some(target) => walk.finish(Outcome::ExternalName { target, ip: dst_ip }),
            None => walk.finish(Outcome::LeftCluster { ip: dst_ip, port: dport }),
        }
    }

    /// A packet to a node's address: a NodePort, a hostPort, a host-network pod or process
    /// (the API server on 6443), else refused.
    fn to_node<'a>(&'a self, mut walk: Walk<'a>, packet: Packet, node_name: &str, outside: bool) -> Trace {
        let (src_ip, sport) = (*packet.src.ip(), packet.src.port());
        let (dport, proto) = (packet.dst.port(), packet.protocol);
        if let Some(svc) = self.services.iter().find(|s| s.node_port(dport, proto).is_some()) {
            return self.through_node_port(walk, svc, packet, node_name, outside);
        }
        // A hostPort maps the node's port to a pod on that node.
        let host_port = self.pods.iter().find_map(|p| {
            if p.node.as_deref() != Some(node_name) || p.spec.host_network {
                return None;
            }
            let cp = p
                .spec
                .containers
                .iter()
                .flat_map(|c| c.ports.iter())
                .find(|cp| cp.host_port == Some(dport) && cp.protocol == proto)?;
            Some((p, cp.container_port))
        });
        if let Some((pod, cport)) = host_port {
            if let Some(pip) = pod.ip {
                let after = Packet::new(src_ip, sport, pip, cport, proto);
                walk.hop(
                    format!("node/{node_name}"),
                    Action::Dnat,
                    packet,
                    after,
                    format!("hostPort {dport} of pod {} maps the node's port to the pod", pod.name),
                    vec![pod.object()],
                );
                return walk.deliver(after, Some(node_name));
            }
        }
        if self.pods.iter().any(|p| {
            p.spec.host_network && p.node.as_deref() == Some(node_name) && p.declares(dport, proto).is_some()
        }) || dport == 6443
        {
            return walk.deliver(packet, Some(node_name));
        }
        walk.hop(
            format!("node/{node_name}"),
            Action::Refuse,
            packet,
            packet,
            format!("no NodePort, hostPort or host process uses port {dport}/{proto} on {node_name}"),
            Vec::new(),
        );
        walk.finish(Outcome::Refused { at: format!("node/{node_name}"), port: dport })
    }

    /// `localhost`: the client's own network namespace, never the network. Containers of one
    /// pod share it, so a sidecar answers on its port; no Service, DNS or NetworkPolicy is
    /// involved. https://kubernetes.io/docs/concepts/workloads/pods/#pod-networking
    fn loopback<'a>(
        &'a self,
        mut walk: Walk<'a>,
        from: &Client,
        ip: Ipv4Addr,
        dport: u16,
        proto: Protocol,
        sport: u16,
    ) -> Trace {
        let packet = Packet::new(ip, sport, ip, dport, proto);
        match from {
            Client::Pod { namespace, name } => {
                let Some(pod) = self.pod(namespace, name) else {
                    return walk
                        .finish(Outcome::NoRoute { reason: format!("there is no pod {namespace}/{name}") });
                };
                walk.hop(pod.id(), Action::Send, packet, packet, format!("{} connects to {ip}:{dport}: the loopback interface of the pod's own network namespace, which all its containers share", pod.name), Vec::new());
                match pod
                    .spec
                    .containers
                    .iter()
                    .find(|c| c.ports.iter().any(|p| p.container_port == dport && p.protocol == proto))
                {
                    Some(c) => {
                        walk.hop(
                            pod.id(),
                            Action::Deliver,
                            packet,
                            packet,
                            format!("container {} of the same pod declares port {dport}/{proto}", c.name),
                            vec![pod.object()],
                        );
                        walk.finish(Outcome::Delivered {
                            pod: format!("{namespace}/{}", pod.name),
                            ip,
                            port: dport,
                        })
                    }
                    None => {
                        walk.hop(pod.id(), Action::Refuse, packet, packet, format!("no container of {} declares port {dport}/{proto}, so the connection is refused", pod.name), vec![pod.object()]);
                        walk.finish(Outcome::Refused { at: pod.id(), port: dport })
                    }
                }
            }
            Client::Node(node) => {
                let at = format!("node/{node}");
                walk.hop(
                    at.clone(),
                    Action::Send,
                    packet,
                    packet,
                    format!("a process on {node} connects to its own loopback {ip}:{dport}"),
                    Vec::new(),
                );
                let host_pod = self.pods.iter().find(|p| {
                    p.spec.host_network
                        && p.node.as_deref() == Some(node.as_str())
                        && p.declares(dport, proto).is_some()
                });
                match host_pod {
                    Some(p) => {
                        walk.hop(
                            p.id(),
                            Action::Deliver,
                            packet,
                            packet,
                            format!("hostNetwork pod {} listens on {node}'s port {dport}", p.name),
                            vec![p.object()],
                        );
                        walk.finish(Outcome::Delivered {
                            pod: format!("{}/{}", p.namespace, p.name),
                            ip,
                            port: dport,
                        })
                    }
                    None if dport == 6443 => {
                        walk.finish(Outcome::ReachedNode { node: node.clone(), port: dport })
                    }
                    None => {
                        walk.hop(
                            at.clone(),
                            Action::Refuse,
                            packet,
                            packet,
                            format!("nothing on {node} listens on port {dport}/{proto}"),
                            Vec::new(),
                        );
                        walk.finish(Outcome::Refused { at, port: dport })
                    }
                }
            }
            Client::Outside(client) => walk.finish(Outcome::NoRoute {
                reason: format!("{ip} is the client {client}'s own machine, not the cluster"),
            }),
        }
    }

    /// Every candidate of the random choices, one trace each (for "partial" verdicts): each
    /// node a cloud load balancer may pick, and for each, every endpoint kube-proxy (or the
    /// ingress controller, which balances over a Service's endpoints itself) may pick.
    pub fn send_all(&self, request: &Request) -> Vec<Trace> {
        let first = self.send(request);
        let nodes = first.hops.iter().find(|h| h.action == Action::Forward).map_or(0, |h| h.candidates.len());
        let by_node: Vec<(Request, Trace)> = if nodes > 1 && request.node_pick.is_none() {
            (0..nodes)
                .map(|i| {
                    let r = Request { node_pick: Some(i), ..request.clone() };
                    let t = self.send(&r);
                    (r, t)
                })
                .collect()
        } else {
            vec![(request.clone(), first)]
        };
        let mut out = Vec::new();
        for (r, t) in by_node {
            let n = t.candidate_count();
            if n <= 1 || t.chosen().is_none() || r.pick.is_some() {
                out.push(t);
            } else {
                out.extend((0..n).map(|i| self.send(&Request { pick: Some(i), ..r.clone() })));
            }
        }
        out
    }

    /// ClusterIP (and in-cluster LoadBalancer IP) traffic: the source node's kube-proxy DNATs.
    fn through_service<'a>(
        &'a self,
        mut walk: Walk<'a>,
        svc: &'a ClusterService,
        packet: Packet,
        src_node: Option<&str>,
        entry: Entry,
    ) -> Trace {
        let proto = packet.protocol;
        let dport = packet.dst.port();
        let kp = format!("kube-proxy/{}", src_node.unwrap_or("?"));
        let Some((index, sp, pe)) = svc.port(dport, proto) else {
            let ports: Vec<String> =
                svc.spec.ports.iter().map(|p| format!("{}/{}", p.port, p.protocol)).collect();
            walk.hop(svc.id(), Action::Drop, packet, packet, format!("Service {} has no port {dport}/{proto} (ports: {}); no kube-proxy rule matches, the connection times out", svc.name(), ports.join(", ")), vec![svc.object()]);
            return walk.finish(Outcome::Dropped {
                by: format!("svc/{}/{}", svc.namespace(), svc.name()),
                reason: format!("no Service port {dport}/{proto}"),
            });
        };
        let label = match entry {
            Entry::ClusterIp => "cluster IP",
            Entry::LoadBalancerInCluster => {
                "loadbalancer IP (in-cluster traffic is short-circuited by kube-proxy)"
            }
        };
        walk.hop(
            svc.id(),
            Action::Pass,
            packet,
            packet,
            format!(
                "{}:{dport}/{proto} is the {label} of Service {}, port {} -> targetPort {}",
                packet.dst.ip(),
                svc.port_name(index),
                sp.port,
                sp.target_port
            ),
            vec![ObjectRef::new(
                "Service",
                svc.namespace(),
                svc.name(),
                sp.source.clone().or(svc.spec.source.clone()),
            )],
        );
        // The load balancer IP's rules go through kube-proxy's firewall chain (KUBE-FW) whatever
        // the source, so loadBalancerSourceRanges also filter clients inside the cluster
        // (pkg/proxy/iptables/proxier.go).
        let ranges = &svc.spec.load_balancer_source_ranges;
        let client = *packet.src.ip();
        if entry == Entry::LoadBalancerInCluster
            && !ranges.is_empty()
            && !ranges.iter().any(|r| r.contains(client))
        {
            let list: Vec<String> = ranges.iter().map(|r| r.to_string()).collect();
            walk.hop(
                kp.clone(),
                Action::Drop,
                packet,
                packet,
                format!(
                    "loadBalancerSourceRanges ({}) do not include {client}: kube-proxy filters traffic to the load balancer IP by source inside the cluster too",
                    list.join(", ")
                ),
                vec![svc.object()],
            );
            return walk.finish(Outcome::Dropped {
                by: kp,
                reason: format!("client {client} is not in loadBalancerSourceRanges"),
            });
        }
        let mut endpoints: Vec<&ServiceEndpoint> = pe.routable();
        if endpoints.is_empty() {
            return self.no_endpoints(walk, svc, pe, packet, kp);
        }
        let mut policy_note = String::new();
        if entry == Entry::ClusterIp && svc.spec.internal_traffic_policy == TrafficPolicy::Local {
            // https://kubernetes.io/docs/concepts/services-networking/service-traffic-policy/
            let total = endpoints.len();
            endpoints = pe.usable(Some(src_node.unwrap_or_default()));
            if endpoints.is_empty() {
                walk.hop(kp, Action::Drop, packet, packet, format!("internalTrafficPolicy Local: {} on {}, so kube-proxy drops the packet (no local endpoints)", none_of(total, "is", "is not"), src_node.unwrap_or("this node")), vec![svc.object()]);
                return walk.finish(Outcome::Dropped {
                    by: svc.id(),
                    reason: "internalTrafficPolicy Local and no local endpoints".into(),
                });
            }
            policy_note =
                format!("; internalTrafficPolicy Local keeps {} of {total} (on this node)", endpoints.len());
        } else if let Some(node) = src_node {
            policy_note = self.narrow(pe, node, &mut endpoints);
        }
        let entered = crate::fired::Entered {
            index,
            node_port: None,
            load_balancer: entry == Entry::LoadBalancerInCluster,
            local: entry == Entry::ClusterIp && svc.spec.internal_traffic_policy == TrafficPolicy::Local,
        };
        // kube-proxy on the source node sends the packet to one of `endpoints`.
        match choose_endpoint(&mut walk, svc, &endpoints, packet, &policy_note, kp, entered) {
            Ok(after) => walk.deliver(after, src_node),
            Err(outcome) => walk.finish(outcome),
        }
    }

    /// Under the Cluster traffic policy, kube-proxy on `node` keeps the endpoints their hints
    /// give it (trafficDistribution); returns the note for the hop, empty when none is left out.
    fn narrow<'e>(
        &self,
        pe: &'e crate::build::PortEndpoints,
        node: &str,
        endpoints: &mut Vec<&'e ServiceEndpoint>,
    ) -> String {
        let zone = self.node(node).and_then(|n| n.zone());
        let (kept, narrowed) = pe.cluster_endpoints(node, zone);
        let Some(narrowed) = narrowed else { return String::new() };
        let note = format!("; {}", narrowed.words(kept.len(), endpoints.len()));
        *endpoints = kept;
        note
    }

    fn no_endpoints<'a>(
        &'a self,
        mut walk: Walk<'a>,
        svc: &'a ClusterService,
        pe: &crate::build::PortEndpoints,
        packet: Packet,
        at: String,
    ) -> Trace {
        let not_ready = pe.endpoints.iter().filter(|e| !e.ready).count();
        let why = if not_ready > 0 {
            format!(
                "{} not Ready",
                if not_ready == 1 {
                    "1 matching pod is".to_string()
                } else {
                    format!("{not_ready} matching pods are")
                }
            )
        } else if !pe.unresolved.is_empty() {
            format!(
                "the selected pods ({}) have no container port named by targetPort",
                pe.unresolved.join(", ")
            )
        } else if svc.spec.selector.is_some() {
            "its selector matches no pod in the namespace".to_string()
        } else if !svc.addresses.is_empty() {
            // Slices name the Service, but none has a port matching this one.
            // https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors
            let name = pe.name.as_deref().filter(|n| !n.is_empty());
            match name {
                Some(n) => format!("its EndpointSlices list addresses but no {} port named `{n}`: a slice's port must carry the Service port's name", pe.protocol),
                None => format!("its EndpointSlices list addresses but no unnamed {} port: a slice's port must carry the Service port's name (here none)", pe.protocol),
            }
        } else {
            "it has no selector and no EndpointSlice names it".to_string()
        };
        walk.hop(
            at,
            Action::NoEndpoints,
            packet,
            packet,
            format!(
                "Service {} has no ready endpoints ({why}): kube-proxy {}, connection refused",
                svc.name(),
                match self.topology.kube_proxy_mode {
                    crate::ProxyMode::Iptables => "REJECTs",
                    crate::ProxyMode::Nftables =>
                        "rejects (the address is an element of no-endpoint-services: goto reject-chain)",
                }
            ),
            vec![svc.object()],
        );
        walk.finish(Outcome::NoEndpoints { service: format!("{}/{}", svc.namespace(), svc.name()) })
    }

    /// NodePort: https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport
    fn through_node_port<'a>(
        &'a self,
        mut walk: Walk<'a>,
        svc: &'a ClusterService,
        packet: Packet,
        node: &str,
        outside: bool,
    ) -> Trace {
        let proto = packet.protocol;
        let np = packet.dst.port();
        let Some((index, sp, pe)) = svc.node_port(np, proto) else {
            return walk.finish(Outcome::Refused { at: format!("node/{node}"), port: np });
        };
        walk.hop(
            format!("node/{node}"),
            Action::Pass,
            packet,
            packet,
            format!(
                "nodePort {np} is open on every node for Service {} (port {})",
                svc.port_name(index),
                sp.port
            ),
            vec![ObjectRef::new(
                "Service",
                svc.namespace(),
                svc.name(),
                sp.source.clone().or(svc.spec.source.clone()),
            )],
        );
        let kp = format!("kube-proxy/{node}");
        let mut endpoints = pe.routable();
        if endpoints.is_empty() {
            return self.no_endpoints(walk, svc, pe, packet, kp);
        }
        // externalTrafficPolicy applies to traffic from outside; kube-proxy sends traffic from
        // pods and from the node itself to all endpoints.
        // https://kubernetes.io/docs/reference/networking/virtual-ips/#external-traffic-policy
        let local = svc.spec.external_traffic_policy == TrafficPolicy::Local && outside;
        let note;
        if local {
            let total = endpoints.len();
            endpoints = pe.usable(Some(node));
            if endpoints.is_empty() {
                walk.hop(
                    kp,
                    Action::Drop,
                    packet,
                    packet,
                    format!(
                        "externalTrafficPolicy Local: {} on {node}, so the packet is dropped",
                        none_of(total, "runs", "does not run")
                    ),
                    vec![svc.object()],
                );
                return walk.finish(Outcome::Dropped {
                    by: svc.id(),
                    reason: format!("externalTrafficPolicy Local and no endpoint on {node}"),
                });
            }
            note = format!(
                "; externalTrafficPolicy Local: only the {} on {node}, client IP kept",
                crate::trace::counted(endpoints.len(), "endpoint")
            );
        } else {
            note = self.narrow(pe, node, &mut endpoints);
        }
        let entered = crate::fired::Entered { index, node_port: Some(np), load_balancer: false, local };
        let dnat = match choose_endpoint(&mut walk, svc, &endpoints, packet, &note, kp, entered) {
            Ok(dnat) => dnat,
            Err(outcome) => return walk.finish(outcome),
        };
        let mut out = dnat;
        // Cluster policy masquerades everything that enters through KUBE-EXT; with Local,
        // traffic from the node itself is still masqueraded, pods and outside clients are not.
        let cluster_policy = svc.spec.external_traffic_policy == TrafficPolicy::Cluster;
        let from_node = walk.client_pod.is_none() && !outside;
        if cluster_policy || from_node {
            let why = if cluster_policy {
                format!("externalTrafficPolicy Cluster: the source is masqueraded to {node}'s IP so replies return through it; the pod does not see the client IP")
            } else {
                format!("traffic from {node} itself is masqueraded to {node}'s IP")
            };
            if let Some(n) = self.node(node) {
                out = Packet { src: std::net::SocketAddrV4::new(n.ip, packet.src.port()), ..dnat };
                walk.hop(format!("node/{node}"), Action::Snat, dnat, out, why, vec![svc.object()]);
            }
        }
        walk.deliver(out, Some(node))
    }

    /// The nodes a cloud load balancer sends the traffic of a Service port (`pe`) to, after
    /// its health checks: every node under `externalTrafficPolicy: Cluster`; under `Local`
    /// only the nodes with a ready endpoint of the port, since kube-proxy's health check
    /// (`healthCheckNodePort`) counts ready local endpoints only: a node whose endpoints are
    /// all terminating fails it and is drained (pkg/proxy/endpoints.go, LocalReadyEndpoints).
    /// https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/#preserving-the-client-source-ip
    pub fn load_balancer_nodes(
        &self,
        svc: &ClusterService,
        pe: &crate::build::PortEndpoints,
    ) -> Vec<&crate::build::ClusterNode> {
        let local = svc.spec.external_traffic_policy == TrafficPolicy::Local;
        self.nodes
            .iter()
            .filter(|n| {
                !local || pe.endpoints.iter().any(|e| e.ready && e.node.as_deref() == Some(n.name.as_str()))
            })
            .collect()
    }

    /// LoadBalancer: https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer
    fn through_load_balancer<'a>(
        &'a self,
        mut walk: Walk<'a>,
        svc: &'a ClusterService,
        packet: Packet,
    ) -> Trace {
        let lb = format!("lb/{}/{}", svc.namespace(), svc.name());
        let client = *packet.src.ip();
        let ranges = &svc.spec.load_balancer_source_ranges;
        if !ranges.is_empty() && !ranges.iter().any(|r| r.contains(client)) {
            let list: Vec<String> = ranges.iter().map(|r| r.to_string()).collect();
            walk.hop(
                lb.clone(),
                Action::Drop,
                packet,
                packet,
                format!("loadBalancerSourceRanges ({}) do not include the client {client}", list.join(", ")),
                vec![svc.object()],
            );
            return walk.finish(Outcome::Dropped {
                by: lb,
                reason: format!("client {client} is not in loadBalancerSourceRanges"),
            });
        }
        let Some((_, sp, pe)) = svc.port(packet.dst.port(), packet.protocol) else {
            walk.hop(
                lb.clone(),
                Action::Drop,
                packet,
                packet,
                format!(
                    "the load balancer has no listener on port {}/{}",
                    packet.dst.port(),
                    packet.protocol
                ),
                vec![svc.object()],
            );
            return walk.finish(Outcome::Dropped { by: lb, reason: "no listener on this port".into() });
        };
        let Some(np) = sp.node_port else {
            walk.hop(
                lb.clone(),
                Action::Drop,
                packet,
                packet,
                "allocateLoadBalancerNodePorts: false left this port without a nodePort, and this load balancer forwards to node ports (load balancers that send straight to pod IPs are not modelled)".into(),
                vec![svc.object()],
            );
            return walk
                .finish(Outcome::Dropped { by: lb, reason: "the Service port has no nodePort".into() });
        };
        let local = svc.spec.external_traffic_policy == TrafficPolicy::Local;
        let nodes = self.load_balancer_nodes(svc, pe);
        if nodes.is_empty() {
            let why = if local {
                "externalTrafficPolicy Local: the health check fails on every node (no node has a ready endpoint)"
            } else {
                "the cluster has no nodes"
            };
            walk.hop(lb.clone(), Action::Drop, packet, packet, why.into(), vec![svc.object()]);
            return walk.finish(Outcome::Dropped { by: lb, reason: why.into() });
        }
        let i = match walk.node_pick {
            Some(k) => k % nodes.len(),
            None => walk.rng.below(nodes.len() as u64) as usize,
        };
        let Some(node) = nodes.get(i) else {
            return walk.finish(Outcome::Dropped { by: lb, reason: "no node".into() });
        };
        let after = Packet { dst: std::net::SocketAddrV4::new(node.ip, np), ..packet };
        let range_note = if ranges.is_empty() {
            String::new()
        } else {
            format!("client {client} is within loadBalancerSourceRanges; ")
        };
        let health = if local {
            format!("only the {} node(s) with a local endpoint pass the health check", nodes.len())
        } else {
            format!("all {} nodes are healthy", nodes.len())
        };
        let p = 1.0 / nodes.len() as f64;
        let candidates = nodes
            .iter()
            .map(|n| Candidate {
                ip: n.ip,
                port: np,
                pod: None,
                node: Some(n.name.clone()),
                probability: p,
                chosen: n.name == node.name,
            })
            .collect();
        walk.hops.push(Hop {
            at: lb,
            action: Action::Forward,
            before: packet,
            after,
            explanation: format!("{range_note}the load balancer forwards to {}:{np} ({health})", node.name),
            objects: vec![svc.object()],
            candidates,
            dns: None,
            policy: None,
            route: None,
        });
        let node_name = node.name.clone();
        self.through_node_port(walk, svc, after, &node_name, true)
    }
}

/// The HTTP side of a request: the Host header and the path.
#[derive(Clone, Debug, PartialEq, Eq)]
struct HttpTarget {
    host: String,
    path: String,
}

/// The path of a URL target (`/` when it has none).
/// `none of the 3 endpoints runs`, `the only endpoint does not run`: the verb for many, and
/// its negation for the one.
fn none_of(total: usize, verb: &str, negated: &str) -> String {
    if total == 1 {
        format!("the only endpoint {negated}")
    } else {
        format!("none of the {total} endpoints {verb}")
    }
}

fn url_path(to: &str) -> String {
    let to = to.trim();
    let rest = to.split_once("://").map_or(to, |(_, r)| r);
    match rest.find('/') {
        Some(i) => rest.get(i..).unwrap_or("/").to_string(),
        None => "/".into(),
    }
}

impl Cluster {
    /// Public DNS, pretended: a name that an Ingress rule or `tls` entry claims (and that is no
    /// cluster name) resolves to the controller's LoadBalancer IP; a name a Gateway's listener
    /// or one of its Routes names, to the LoadBalancer IP of that Gateway's data plane. While that is `<pending>`,
    /// the request goes to the first node at the matching nodePort, as `minikube ip` users do.
    fn public_dns(
        &self,
        walk: &mut Walk<'_>,
        host: &str,
        dport: &mut u16,
        src_ip: Ipv4Addr,
        sport: u16,
    ) -> Result<Option<Ipv4Addr>, Outcome> {
        let h = host.trim_end_matches('.').to_ascii_lowercase();
        if h.parse::<Ipv4Addr>().is_ok()
            || !h.contains('.')
            || h.ends_with(&format!(".{}", self.topology.cluster_domain))
        {
            return Ok(None);
        }
        let claims: Vec<&crate::scenario::Ingress> = self
            .ingresses
            .iter()
            .filter(|i| {
                i.rules
                    .iter()
                    .filter_map(|r| r.host.as_deref())
                    .chain(i.tls.iter().flat_map(|t| t.hosts.iter().map(String::as_str)))
                    .any(|r| crate::ingress::host_matches(r, &h).is_some())
            })
            .collect();
        // The name's owner: an Ingress (the controller's Service), else a Gateway whose
        // listener or attached Route names the host (its data plane's Service).
        let (svc, owner, mut objects) = match claims.first() {
            Some(first) => {
                let Some(svc) = self.ingress_controller_service() else { return Ok(None) };
                let owner = match crate::ingress::served_by_controller(first, &self.ingress_classes) {
                    Ok(()) => format!("Ingress {}/{}", first.namespace, first.name),
                    Err(why) => format!(
                        "Ingress {}/{} (which the controller ignores: {why})",
                        first.namespace, first.name
                    ),
                };
                let objects = claims
                    .iter()
                    .map(|i| ObjectRef::new("Ingress", &i.namespace, &i.name, i.source.clone()))
                    .collect();
                (svc, owner, objects)
            }
            None => match gateway().and_then(|p| (p.claim)(self, &h)) {
                Some(found) => found,
                None => return Ok(None),
            },
        };
        // A pod asks its own nameserver (CoreDNS, which forwards the name upstream), and that
        // query is pod traffic NetworkPolicy sees; anyone else asks the outside resolver.
        let pod_server = walk.client_pod.and_then(|p| self.resolv_conf(p).nameservers.first().copied());
        let server = match pod_server {
            Some(ip) => ip,
            None => match self.resolve_outside(&h, QueryType::A, None).resolver {
                crate::dns::Resolver::Cluster(ip)
                | crate::dns::Resolver::Node(ip)
                | crate::dns::Resolver::Upstream(ip) => ip,
                crate::dns::Resolver::None => Ipv4Addr::UNSPECIFIED,
            },
        };
        let q = Packet::new(src_ip, sport.wrapping_add(1), server, 53, Protocol::Udp);
        if server == self.topology.dns_service_ip() {
            if let Some(dropped) = walk.admit_dns(q, host) {
                return Err(dropped);
            }
        }
        objects.insert(0, svc.object());
        let (ip, explanation) = match svc.load_balancer_ip {
            Some(ip) => (ip, format!("{h} -> {ip} (public DNS, assumed: {owner} names this host, so its DNS record points at the LoadBalancer IP of Service {}/{})", svc.namespace(), svc.name())),
            None => {
                let Some(node) = self.nodes.first() else { return Ok(None) };
                if let Some(np) = svc.spec.ports.iter().find(|p| p.port == *dport).and_then(|p| p.node_port) {
                    *dport = np;
                }
                (node.ip, format!("{h}: the LoadBalancer of Service {}/{} is <pending>, so public DNS has no address for {owner}; using {}'s IP {} and nodePort {} instead (as with `minikube ip`)", svc.namespace(), svc.name(), node.name, node.ip, *dport))
            }
        };
        walk.hops.push(Hop {
            at: "dns".into(),
            action: Action::Resolve,
            before: q,
            after: q,
            explanation,
            objects,
            candidates: Vec::new(),
            dns: None,
            policy: None,
            route: None,
        });
        Ok(Some(ip))
    }

    /// The Gateway that claims public name `h`, with its data plane's Service, the words for
    /// the DNS hop and the objects that name it: the first, in file order, whose listener
    /// hostname covers `h` or to which a Route with a hostname covering `h` refers.
    #[cfg_attr(not(feature = "gateway-api"), allow(dead_code))]
    pub(crate) fn gateway_claim(&self, h: &str) -> Option<Claim<'_>> {
        use crate::gateway::hostname::matches;
        let api = &self.gateway_api;
        let routes = api
            .http_routes
            .iter()
            .map(|r| ("HTTPRoute", &r.namespace, &r.name, &r.parent_refs, &r.hostnames, &r.source))
            .chain(
                api.grpc_routes
                    .iter()
                    .map(|r| ("GRPCRoute", &r.namespace, &r.name, &r.parent_refs, &r.hostnames, &r.source)),
            );
        let named_by_route = |g: &crate::gateway::types::Gateway| {
            routes.clone().find(|(_, ns, _, parents, hostnames, _)| {
                hostnames.iter().any(|n| matches(n, h))
                    && parents.iter().any(|p| {
                        p.name == g.name && p.namespace.as_deref().unwrap_or(ns.as_str()) == g.namespace
                    })
            })
        };
        crate::gateway::dataplane::served_gateways(&api.gateways, &api.classes).find_map(|g| {
            let listener = g.listeners.iter().any(|l| l.hostname.as_deref().is_some_and(|n| matches(n, h)));
            let route = named_by_route(g);
            if !listener && route.is_none() {
                return None;
            }
            let svc = self.service(&g.namespace, &crate::gateway::dataplane::name(g))?;
            let mut objects = vec![ObjectRef::new("Gateway", &g.namespace, &g.name, g.source.clone())];
            let mut owner = format!("Gateway {}/{}", g.namespace, g.name);
            if let Some((kind, ns, name, _, _, source)) = route {
                objects.push(ObjectRef::new(kind, ns, name, source.clone()));
                if !listener {
                    owner = format!("{kind} {ns}/{name} (attached to Gateway {}/{})", g.namespace, g.name);
                }
            }
            Some((svc, owner, objects))
        })
    }

    /// The controller pod received an HTTP request: route it as ingress-nginx does, then proxy
    /// it as the controller pod's own connection (so NetworkPolicy sees the controller as the
    /// source). https://kubernetes.io/docs/concepts/services-networking/ingress/
    fn through_ingress<'a>(
        &'a self,
        mut walk: Walk<'a>,
        controller: &'a ClusterPod,
        packet: Packet,
    ) -> Trace {
        use crate::ingress::{Route, Scheme};
        let http =
            walk.http.take().unwrap_or(HttpTarget { host: packet.dst.ip().to_string(), path: "/".into() });
        let scheme = if packet.dst.port() == 443 { Scheme::Https } else { Scheme::Http };
        let d = self.route_ingress(&http.host, &http.path, scheme);
        walk.route = Some(d.clone());
        // The certificate of the tls entry's Secret (in the Ingress's namespace), else the
        // controller's self-signed default one.
        let secret =
            d.tls.as_ref().and_then(|t| Some(format!("{}/{}", t.ingress.namespace, t.secret.as_ref()?)));
        let tls = (scheme == Scheme::Https).then(|| secret.into_iter().collect());
        walk.proxied = Some(crate::trace::Proxied { upstream_path: d.upstream_path.clone(), tls });
        let request = format!("{}://{}{}", scheme.as_str(), d.host, d.path);
        let ingress = d
            .ingress()
            .and_then(|o| self.ingresses.iter().find(|i| i.namespace == o.namespace && i.name == o.name));
        let at = match d.ingress() {
            Some(o) => format!("ingress/{}/{}", o.namespace, o.name),
            None => "ingress/default-backend".to_string(),
        };
        let mut objects = Vec::new();
        match &d.route {
            Route::Path(m) => objects.push(ObjectRef {
                source: m.source.clone().or(m.ingress.source.clone()),
                ..m.ingress.clone()
            }),
            Route::DefaultBackend { ingress, .. } => objects.push(ingress.clone()),
            Route::NotFound => {}
        }
        let mut text = format!("{request} ({}): {}", crate::ingress::RELEASE, d.matched());
        let ignored = self.ignored_ingresses(&d, &mut objects);
        text.push_str(&tls_words(&d, scheme));
        if let Some(location) = &d.redirect {
            text.push_str(if d.tls.is_some() {
                "; ssl-redirect (default when TLS is configured): 308 to HTTPS"
            } else {
                "; force-ssl-redirect: 308 to HTTPS (though no tls entry covers this host)"
            });
            text.push_str(&ignored);
            walk.hop(at, Action::Route, packet, packet, text, objects);
            return walk.finish(Outcome::HttpStatus {
                code: 308,
                reason: format!("Permanent Redirect to {location}"),
            });
        }
        if let Some(target) = &d.rewrite_target {
            text.push_str(&format!("; rewrite-target `{target}`: {} -> {}", d.path, d.upstream_path));
        }
        let unavailable = |mut walk: Walk<'a>, text: String, objects, why: String| {
            walk.hop(at.clone(), Action::Route, packet, packet, text, objects);
            walk.finish(Outcome::HttpStatus { code: 503, reason: format!("Service Unavailable: {why}") })
        };
        let Some(backend) = d.backend() else {
            text.push_str(&ignored);
            walk.hop(at, Action::Route, packet, packet, text, objects);
            return walk.finish(Outcome::HttpStatus {
                code: 404,
                reason: "Not Found (from the controller's default backend)".into(),
            });
        };
        let (namespace, backend) = match canary_taken(&d, &mut walk, &mut text, &mut objects) {
            Some(c) => (c.ingress.namespace.clone(), &c.backend),
            None => (d.ingress().map(|o| o.namespace.clone()).unwrap_or_default(), backend),
        };
        let rb = match self.ingress_backend(&namespace, backend) {
            Ok(rb) => rb,
            Err(why) => {
                let text = format!("{text}; {why}{ignored}");
                return unavailable(walk, text, objects, why);
            }
        };
        let svc = rb.service;
        objects.push(svc.object());
        text.push_str(&format!("; backend Service {}/{} port {}", svc.namespace(), svc.name(), rb.port));
        let Some(src) = controller.ip else {
            return unavailable(walk, text, objects, "the controller has no IP".into());
        };
        let sport = 32768 + walk.rng.below(28232) as u16;
        walk.client_pod = Some(controller);
        walk.client_ip = src;
        let node = controller.node.clone();
        let upstream = ingress.is_some_and(crate::ingress::service_upstream);
        if upstream {
            let Some(cip) = svc.cluster_ip else {
                let why = format!("Service {}/{} has no ClusterIP", svc.namespace(), svc.name());
                return unavailable(walk, text, objects, why);
            };
            let after = Packet::new(src, sport, cip, rb.port, Protocol::Tcp);
            text.push_str("; service-upstream: proxies to the ClusterIP (kube-proxy picks the endpoint)");
            text.push_str(&ignored);
            walk.hop(at, Action::Route, packet, after, text, objects);
            return self.through_service(walk, svc, after, node.as_deref(), Entry::ClusterIp);
        }
        let endpoints = svc.ports.get(rb.index).map(|pe| pe.routable()).unwrap_or_default();
        if endpoints.is_empty() {
            let why = format!("Service {}/{} has no ready endpoints", svc.namespace(), svc.name());
            let text = format!("{text}; {why}{ignored}");
            return unavailable(walk, text, objects, why);
        }
        let n = endpoints.len();
        let chosen = match walk.pick {
            Some(i) => i % n,
            None => walk.rng.below(n as u64) as usize,
        };
        let candidates: Vec<Candidate> = endpoints
            .iter()
            .enumerate()
            .map(|(i, e)| Candidate {
                ip: e.ip,
                port: e.port,
                pod: e.pod.clone(),
                node: e.node.clone(),
                probability: 1.0 / n as f64,
                chosen: i == chosen,
            })
            .collect();
        let Some(ep) = endpoints.get(chosen) else {
            return unavailable(walk, text, objects, "no endpoint".into());
        };
        let after = Packet::new(src, sport, ep.ip, ep.port, Protocol::Tcp);
        text.push_str(&format!(
            "; nginx proxies from the controller pod straight to endpoint {} of {n} (it balances over the EndpointSlices itself; kube-proxy is not involved)",
            chosen + 1
        ));
        text.push_str(&ignored);
        walk.hops.push(Hop {
            at,
            action: Action::Route,
            before: packet,
            after,
            explanation: text,
            objects,
            candidates,
            dns: None,
            policy: None,
            route: walk.route.take().map(Box::new),
        });
        walk.deliver(after, node.as_deref())
    }

    /// The Ingresses the controller ignores that would have claimed the request's host, as
    /// words said last (`; ignored Ingress ns/name: why`); their objects are added.
    fn ignored_ingresses(&self, d: &crate::ingress::RouteDecision, objects: &mut Vec<ObjectRef>) -> String {
        let mut ignored = Vec::new();
        for s in &d.skipped {
            let claims = self.ingresses.iter().any(|i| {
                i.namespace == s.object.namespace
                    && i.name == s.object.name
                    && i.rules.iter().any(|r| {
                        r.host.as_deref().is_none_or(|h| crate::ingress::host_matches(h, &d.host).is_some())
                    })
            });
            let served =
                d.served.iter().any(|o| o.namespace == s.object.namespace && o.name == s.object.name);
            if claims && !served {
                ignored.push(format!(
                    "; ignored Ingress {}/{}: {}",
                    s.object.namespace, s.object.name, s.reason
                ));
                objects.push(s.object.clone());
            }
        }
        ignored.concat()
    }
}

/// The canary that takes this request, if one shares the backend and the draw goes its way;
/// either way the hop says so. The request carries no header or cookie: the weight decides
/// (`route_to_alternative_balancer` in ingress-nginx's balancer.lua).
fn canary_taken<'d>(
    d: &'d crate::ingress::RouteDecision,
    walk: &mut Walk,
    text: &mut String,
    objects: &mut Vec<ObjectRef>,
) -> Option<&'d crate::ingress::Canary> {
    let c = d.canary.as_ref()?;
    let taken = (walk.rng.below(c.total as u64) as u32) < c.weight;
    let words =
        if taken { "this request goes to the canary" } else { "this request stays on the main backend" };
    text.push_str(&format!("; {}: {words}", c.words()));
    objects.push(c.ingress.clone());
    taken.then_some(c)
}

/// Where TLS ends for an HTTPS request through the ingress controller (nothing for HTTP).
fn tls_words(d: &crate::ingress::RouteDecision, scheme: crate::ingress::Scheme) -> String {
    use crate::ingress::Scheme;
    match (&d.tls, scheme) {
        (Some(t), Scheme::Https) => match &t.secret {
            Some(secret) => format!("; TLS terminated with Secret `{secret}`"),
            None => "; TLS terminated with the controller's self-signed default certificate (the tls entry has no secretName)".into(),
        },
        (None, Scheme::Https) => "; no tls entry for this host: TLS terminated with the controller's self-signed default certificate".into(),
        _ => String::new(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Entry {
    ClusterIp,
    LoadBalancerInCluster,
}

#[allow(dead_code)]
fn is_external_name(svc: &ClusterService) -> bool {
    svc.spec.service_type == ServiceType::ExternalName
}

/// kube-proxy's DNAT at `at`: picks one of `endpoints` (session affinity, a forced pick or the
/// walk's random draw) and records the hop with every candidate it could have picked. Returns
/// the packet addressed to the chosen endpoint, or the outcome when there is none.
/// https://kubernetes.io/docs/reference/networking/virtual-ips/#proxy-mode-iptables
fn choose_endpoint(
    walk: &mut Walk<'_>,
    svc: &ClusterService,
    endpoints: &[&ServiceEndpoint],
    packet: Packet,
    note: &str,
    at: String,
    entered: crate::fired::Entered,
) -> Result<Packet, Outcome> {
    let no_endpoints = || Outcome::NoEndpoints { service: format!("{}/{}", svc.namespace(), svc.name()) };
    let (forced, client) = (walk.pick, walk.client_ip);
    let pick = kube_proxy::pick(svc, endpoints, client, &mut walk.rng, forced).ok_or_else(no_endpoints)?;
    let chosen = endpoints.get(pick.chosen).ok_or_else(no_endpoints)?;
    let n = endpoints.len();
    let after = Packet { dst: std::net::SocketAddrV4::new(chosen.ip, chosen.port), ..packet };
    let mode = walk.cluster.topology.kube_proxy_mode;
    let rule = crate::fired::fired(mode, svc, entered, endpoints, pick.chosen, packet.dst)
        .map(|r| format!("; {r}"))
        .unwrap_or_default();
    let explanation = format!(
        "chose {} of {} (p={:.2}, {}){note}{rule}",
        pick.chosen + 1,
        crate::trace::counted(n, "endpoint"),
        1.0 / n as f64,
        pick.how
    );
    walk.hops.push(Hop {
        at,
        action: Action::Dnat,
        before: packet,
        after,
        explanation,
        objects: vec![svc.object()],
        candidates: pick.candidates,
        dns: None,
        policy: None,
        route: None,
    });
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::parse_target;

    #[test]
    fn targets_parse_like_urls() {
        assert_eq!(parse_target("web"), ("web".into(), None));
        assert_eq!(parse_target("http://web.shop/x"), ("web.shop".into(), Some(80)));
        assert_eq!(parse_target("https://web"), ("web".into(), Some(443)));
        assert_eq!(parse_target("web:8080"), ("web".into(), Some(8080)));
        assert_eq!(parse_target("10.96.0.1:443"), ("10.96.0.1".into(), Some(443)));
    }
}
