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

#[cfg(test)]
mod tests {
    #[test]
    fn probabilities_print_like_iptables_save() {
        assert_eq!(super::iptables_probability(3), "0.33333333349");
        assert_eq!(super::iptables_probability(2), "0.50000000000");
        assert_eq!(super::iptables_probability(4), "0.25000000000");
    }
}
