//! The simple NetworkPolicy evaluator of the differential tests: per pair, written straight
//! from the spec text and sharing no code with the engine.
//!
//! Spec: https://kubernetes.io/docs/concepts/services-networking/network-policies/ and
//! https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
//! plus the engine's documented choices (ipBlock matches pod IPs when the option says so,
//! a pod may always reach itself, host-network pods are their node, a pod without an address
//! takes part in no connection).

use std::net::Ipv4Addr;

use netsim::policy::{Endpoint, PolicyOptions, PolicyPod};
use netsim::*;

use super::random_policies::World;

enum Who<'a> {
    Pod(&'a PolicyPod),
    Addr(Ipv4Addr),
}

pub struct Simple<'a> {
    pub w: &'a World,
    pub opts: PolicyOptions,
}

impl Simple<'_> {
    /// "namespaces get the kubernetes.io/metadata.name label"; first listing wins.
    fn ns_labels(&self, ns: &str) -> Labels {
        let mut l =
            self.w.namespaces.iter().find(|(n, _)| n == ns).map(|(_, l)| l.clone()).unwrap_or_default();
        l.entry("kubernetes.io/metadata.name".into()).or_insert(ns.into());
        l
    }

    /// "podSelector selects the pods the policy applies to, in the policy's namespace";
    /// host-network pods are the node, which no podSelector selects.
    fn applies(&self, p: &NetworkPolicy, pod: &PolicyPod, t: PolicyType) -> bool {
        !pod.host_network
            && pod.namespace == p.namespace
            && p.policy_types.contains(&t)
            && p.pod_selector.matches(&pod.labels)
    }

    fn peer_ok(&self, p: &NetworkPolicy, peer: &PolicyPeer, who: &Who) -> bool {
        match peer {
            PolicyPeer::IpBlock { cidr, except } => {
                let ip = match who {
                    Who::Addr(ip) => *ip,
                    // A pod without an address is matched by no ipBlock.
                    Who::Pod(pod) if pod.host_network || self.opts.ip_block_matches_pod_ips => match pod.ip {
                        Some(ip) => ip,
                        None => return false,
                    },
                    Who::Pod(_) => return false,
                };
                cidr.contains(ip) && except.iter().all(|e| !e.contains(ip))
            }
            PolicyPeer::Pods { pod_selector, namespace_selector } => {
                let Who::Pod(pod) = who else { return false };
                if pod.host_network {
                    return false;
                }
                match (pod_selector, namespace_selector) {
                    (None, None) => false,
                    (Some(ps), None) => pod.namespace == p.namespace && ps.matches(&pod.labels),
                    (None, Some(ns)) => ns.matches(&self.ns_labels(&pod.namespace)),
                    (Some(ps), Some(ns)) => {
                        ns.matches(&self.ns_labels(&pod.namespace)) && ps.matches(&pod.labels)
                    }
                }
            }
        }
    }

    /// "port ... can either be a numerical or named port on a pod"; endPort: inclusive range.
    fn port_ok(&self, pp: &PolicyPort, port: u16, proto: Protocol, dst: &Who) -> bool {
        if pp.protocol != proto {
            return false;
        }
        match &pp.port {
            None => true,
            Some(PortRef::Number(n)) => match pp.end_port {
                None => port == *n,
                Some(e) => *n <= port && port <= e,
            },
            Some(PortRef::Name(name)) => match dst {
                Who::Pod(pod) if !pod.host_network => pod.ports.iter().any(|cp| {
                    cp.name.as_deref() == Some(name.as_str())
                        && cp.protocol == proto
                        && cp.container_port == port
                }),
                _ => false,
            },
        }
    }

    fn rule_ok(
        &self,
        p: &NetworkPolicy,
        rule: &PolicyRule,
        peer: &Who,
        port: u16,
        proto: Protocol,
        dst: &Who,
    ) -> bool {
        (rule.peers.is_empty() || rule.peers.iter().any(|x| self.peer_ok(p, x, peer)))
            && (rule.ports.is_empty() || rule.ports.iter().any(|pp| self.port_ok(pp, port, proto, dst)))
    }

    /// One direction of one pod: isolated only if some policy applies; then some rule must admit.
    fn side_ok(
        &self,
        pod: &PolicyPod,
        t: PolicyType,
        peer: &Who,
        port: u16,
        proto: Protocol,
        dst: &Who,
    ) -> bool {
        let applying: Vec<&NetworkPolicy> =
            self.w.policies.iter().filter(|p| self.applies(p, pod, t)).collect();
        if applying.is_empty() {
            return true;
        }
        applying.iter().any(|p| {
            let rules = if t == PolicyType::Ingress { &p.ingress } else { &p.egress };
            rules.iter().any(|rule| self.rule_ok(p, rule, peer, port, proto, dst))
        })
    }

    pub fn allowed(&self, src: Endpoint, dst: Endpoint, port: u16, proto: Protocol) -> bool {
        let who = |e: Endpoint| match e {
            Endpoint::Pod(i) => Who::Pod(&self.w.pods[i]),
            Endpoint::Outside(ip) => Who::Addr(ip),
        };
        // A pod without an address takes part in no connection (the model's rule for pods
        // that have no IP, rather than reading them as 0.0.0.0).
        let unaddressed = |e: Endpoint| matches!(e, Endpoint::Pod(i) if self.w.pods[i].ip.is_none());
        if unaddressed(src) || unaddressed(dst) {
            return false;
        }
        if let (Endpoint::Pod(a), Endpoint::Pod(b)) = (src, dst) {
            if a == b && self.opts.pod_to_itself_always_allowed {
                return true;
            }
        }
        let (s, d) = (who(src), who(dst));
        let egress = match &s {
            Who::Pod(pod) => self.side_ok(pod, PolicyType::Egress, &d, port, proto, &d),
            Who::Addr(_) => true,
        };
        let ingress = match &d {
            Who::Pod(pod) => self.side_ok(pod, PolicyType::Ingress, &s, port, proto, &d),
            Who::Addr(_) => true,
        };
        egress && ingress
    }
}
