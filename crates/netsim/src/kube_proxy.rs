//! kube-proxy's decisions in iptables mode: which endpoints a node may use for a Service
//! port, and the random choice among them.
//! https://kubernetes.io/docs/reference/networking/virtual-ips/

use std::net::Ipv4Addr;

use crate::build::{ClusterService, ServiceEndpoint};
use crate::hash::{fnv64, SplitMix64};
use crate::scenario::SessionAffinity;
use crate::trace::Candidate;

/// The result of picking an endpoint.
pub(crate) struct Pick {
    pub candidates: Vec<Candidate>,
    pub chosen: usize,
    /// Half a sentence on how it was chosen.
    pub how: String,
}

/// iptables mode: "kube-proxy ... selects a backend at random" — each of n endpoints with
/// probability 1/n (the `-m statistic --mode random` chain). With `sessionAffinity:
/// ClientIP` the first pick is random and later connections from the same client IP stick
/// to it; the model makes the stuck choice a hash of the client IP, so the same client
/// always lands on the same endpoint.
/// https://kubernetes.io/docs/reference/networking/virtual-ips/#session-affinity
pub(crate) fn pick(
    service: &ClusterService,
    endpoints: &[&ServiceEndpoint],
    client: Ipv4Addr,
    rng: &mut SplitMix64,
    forced: Option<usize>,
) -> Option<Pick> {
    let n = endpoints.len();
    if n == 0 {
        return None;
    }
    let (chosen, how) = match (forced, service.spec.session_affinity) {
        (Some(i), _) => (i % n, "candidate chosen by the caller".to_string()),
        (None, SessionAffinity::ClientIp { timeout_seconds }) => (
            (fnv64(&[&client.to_string(), &service.id()]) % n as u64) as usize,
            format!(
                "sessionAffinity ClientIP: client {client} sticks to the same endpoint for {timeout_seconds}s (the model pins each client IP to one endpoint)"
            ),
        ),
        (None, SessionAffinity::None) => (rng.below(n as u64) as usize, "chosen at random".to_string()),
    };
    // pkg/proxy/topology.go: with no ready endpoint, the serving and terminating ones are used.
    let how = if endpoints.iter().all(|e| !e.ready && e.terminating) {
        format!(
            "{how}; no endpoint is ready, so kube-proxy uses those still serving while their pods terminate"
        )
    } else {
        how
    };
    let p = 1.0 / n as f64;
    let candidates = endpoints
        .iter()
        .enumerate()
        .map(|(i, e)| Candidate {
            ip: e.ip,
            port: e.port,
            pod: e.pod.clone(),
            node: e.node.clone(),
            probability: p,
            chosen: i == chosen,
        })
        .collect();
    Some(Pick { candidates, chosen, how })
}

/// kube-proxy's probability for rule `i` of `n` (1/(n-i)), as iptables-save prints it:
/// kube-proxy writes `%0.10f`, iptables stores it in units of 2^-31 and prints `%.11f`.
pub fn iptables_probability(remaining: usize) -> String {
    let p = 1.0 / remaining.max(1) as f64;
    let written: f64 = format!("{p:.10}").parse().unwrap_or(p);
    let stored = (written * 2_147_483_648.0).round();
    format!("{:.11}", stored / 2_147_483_648.0)
}

/// What kube-proxy decides for one Service port on one node before a mode writes it down:
/// the steps `syncProxyRules` of pkg/proxy/iptables and of pkg/proxy/nftables share
/// (`CategorizeEndpoints` in pkg/proxy/topology.go, the traffic policies, affinity). Both
/// modes' rules are rendered from these (`iptables`, `nftables`), so they say the same thing.
pub struct PortPlan<'a> {
    pub service: &'a ClusterService,
    pub index: usize,
    /// `ns/name:port` (`ns/name` for an unnamed port), as kube-proxy's comments name it.
    pub port_name: String,
    /// `tcp`, `udp` or `sctp`.
    pub proto: String,
    pub cluster_ip: Ipv4Addr,
    pub port: u16,
    pub node_port: Option<u16>,
    pub load_balancer: Option<Ipv4Addr>,
    /// The Cluster policy's endpoints for this node, narrowed by their hints.
    pub cluster: Vec<&'a ServiceEndpoint>,
    /// This node's own endpoints.
    pub local: Vec<&'a ServiceEndpoint>,
    /// Whether the port has a usable endpoint anywhere.
    pub any: bool,
    /// `internalTrafficPolicy: Local`.
    pub internal_local: bool,
    /// `externalTrafficPolicy: Local` on a Service with nodePorts.
    pub external_local: bool,
    /// `sessionAffinity: ClientIP`, its timeout in seconds.
    pub affinity: Option<u32>,
}

impl PortPlan<'_> {
    /// Some traffic uses the Cluster policy's endpoints (`UsesClusterEndpoints`).
    pub fn uses_cluster(&self) -> bool {
        !self.internal_local || self.service.has_node_ports()
    }

    /// Some traffic uses the node's own endpoints (`UsesLocalEndpoints`).
    pub fn uses_local(&self) -> bool {
        self.internal_local || self.external_local
    }

    /// Every endpoint a rule of this node may send to, each once, in order.
    pub fn reachable(&self) -> Vec<&ServiceEndpoint> {
        let mut out: Vec<&ServiceEndpoint> = Vec::new();
        for (endpoints, used) in [(&self.cluster, self.uses_cluster()), (&self.local, self.uses_local())] {
            for e in endpoints.iter().filter(|_| used) {
                if !out.iter().any(|r| std::ptr::eq(*r, *e)) {
                    out.push(e);
                }
            }
        }
        out
    }
}

impl crate::build::Cluster {
    /// The plan of every proxied Service port on `node` (ExternalName and headless Services
    /// have no rules), in the Services' order.
    pub fn port_plans(&self, node: &str) -> Vec<PortPlan<'_>> {
        use crate::scenario::{ServiceType, TrafficPolicy};
        let zone = self.node(node).and_then(|n| n.zone());
        let mut out = Vec::new();
        for s in self.services.iter().filter(|s| s.spec.service_type != ServiceType::ExternalName) {
            let Some(cluster_ip) = s.cluster_ip else { continue };
            for (index, (sp, pe)) in s.spec.ports.iter().zip(&s.ports).enumerate() {
                out.push(PortPlan {
                    service: s,
                    index,
                    port_name: s.port_name(index),
                    proto: sp.protocol.as_str().to_ascii_lowercase(),
                    cluster_ip,
                    port: sp.port,
                    node_port: sp.node_port,
                    load_balancer: s.load_balancer_ip,
                    cluster: pe.cluster_endpoints(node, zone).0,
                    local: pe.usable(Some(node)),
                    any: !pe.routable().is_empty(),
                    internal_local: s.spec.internal_traffic_policy == TrafficPolicy::Local,
                    external_local: s.spec.external_traffic_policy == TrafficPolicy::Local
                        && s.has_node_ports(),
                    affinity: match s.spec.session_affinity {
                        SessionAffinity::ClientIp { timeout_seconds } => Some(timeout_seconds),
                        SessionAffinity::None => None,
                    },
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn probabilities_print_like_iptables_save() {
        assert_eq!(super::iptables_probability(3), "0.33333333349");
        assert_eq!(super::iptables_probability(2), "0.50000000000");
        assert_eq!(super::iptables_probability(4), "0.25000000000");
    }
}
