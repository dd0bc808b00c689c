//! Where a delivered request arrives, for a request check's `lands_on`, `on_node` and
//! `sees_source`: the pod that answers and its node, the node that received the request,
//! and the source address the pod sees (the packet of the trace's last delivery hop, after
//! any SNAT on the way).

use std::net::Ipv4Addr;

use netsim::{Action, Client, Trace};

use crate::check::Request;
use crate::refs::{LandsOn, NamespacedName, SeenSource};
use crate::world::World;

impl World<'_> {
    /// Whether the request `t` delivered to `pod` (`<ns>/<name>`) arrives as `r` asks: `Ok`
    /// with what was judged, in words (empty when `r` asks nothing of the arrival), or `Err`
    /// with what happened instead.
    pub(crate) fn arrival(
        &self,
        t: &Trace,
        client: &Client,
        pod: &str,
        r: &Request,
    ) -> Result<String, String> {
        let mut said = Vec::new();
        let (ns, name) = pod.split_once('/').unwrap_or(("", pod));
        let node = self.cluster.pod(ns, name).and_then(|p| p.node.as_deref());
        let on = |what: &str| match node {
            Some(n) => Ok(n),
            None => Err(format!("delivered to pod {pod}, which runs on no node, not {what}")),
        };
        match r.lands_on.as_ref().map(|l| (&l.value, l)) {
            Some((LandsOn::Pods(set), written))
                if !self.pod_set(set).iter().any(|p| p.namespace == ns && p.name == name) =>
            {
                return Err(format!("delivered to pod {pod}, which is not one of {written}"));
            }
            Some((LandsOn::Pods(_), _)) => {}
            Some((LandsOn::SameNode, _)) => {
                let Some(received) = self.received_by(t, client) else {
                    return Err(format!(
                        "delivered to pod {pod}, but no node of the cluster received the request"
                    ));
                };
                let n = on("on the node that received the request")?;
                if n != received {
                    return Err(format!(
                        "delivered to pod {pod} on {n}, but {received} received the request: it was forwarded to another node"
                    ));
                }
                said.push(format!("on {n}, the node that received it"));
            }
            None => {}
        }
        if let Some(want) = &r.on_node {
            let n = on(&format!("on {want}"))?;
            if n != want.value {
                return Err(format!("delivered to pod {pod} on {n}, not on {want}"));
            }
            if said.is_empty() {
                said.push(format!("on {n}"));
            }
        }
        if let Some(want) = &r.sees_source {
            let Some(seen) =
                t.hops.iter().rev().find(|h| h.action == Action::Deliver).map(|h| *h.after.src.ip())
            else {
                return Err(format!(
                    "delivered to pod {pod}, but the trace has no delivery to read the source from"
                ));
            };
            let own = self.client_ip(client);
            let ok = match want.value {
                SeenSource::Client => Some(seen) == own,
                SeenSource::Node => self.cluster.node_by_ip(seen).is_some(),
                SeenSource::Ip(ip) => seen == ip,
            };
            let seen_words = format!("the pod sees the source {seen} ({})", self.whose(seen, own));
            if !ok {
                let wanted = match (want.value, own) {
                    (SeenSource::Client, Some(ip)) => format!("the client's own address {ip}"),
                    (SeenSource::Client, None) => "the client's own address".to_string(),
                    (SeenSource::Node, _) => "a node's address".to_string(),
                    (SeenSource::Ip(ip), _) => ip.to_string(),
                };
                return Err(format!("delivered to pod {pod}, but {seen_words}, not {wanted}"));
            }
            said.push(seen_words);
        }
        Ok(said.join("; "))
    }

    /// The node that received the request: the node whose address the client connected to
    /// (a nodePort, a hostPort); from outside through a cloud load balancer, the node it
    /// forwarded to; else (a ClusterIP, a pod IP, a LoadBalancer IP from inside, which
    /// kube-proxy short-circuits) the client's own node, whose kube-proxy or routes decide.
    fn received_by(&self, t: &Trace, client: &Client) -> Option<String> {
        let sent = t.hops.iter().find(|h| h.action == Action::Send)?;
        if let Some(n) = self.cluster.node_by_ip(*sent.before.dst.ip()) {
            return Some(n.name.clone());
        }
        match client {
            Client::Pod { namespace, name } => self.cluster.pod(namespace, name)?.node.clone(),
            Client::Node(n) => Some(n.clone()),
            Client::Outside(_) => t.hops.iter().find_map(|h| h.at.strip_prefix("node/")).map(str::to_string),
        }
    }

    /// The client's own address.
    fn client_ip(&self, client: &Client) -> Option<Ipv4Addr> {
        match client {
            Client::Pod { namespace, name } => self.cluster.pod(namespace, name)?.ip,
            Client::Node(n) => Some(self.cluster.node(n)?.ip),
            Client::Outside(ip) => Some(*ip),
        }
    }

    /// Whose address `ip` is, in words, for a client whose own address is `own`.
    fn whose(&self, ip: Ipv4Addr, own: Option<Ipv4Addr>) -> String {
        if Some(ip) == own {
            return "the client's own address".into();
        }
        if let Some(n) = self.cluster.node_by_ip(ip) {
            return format!("{}'s address, after SNAT", n.name);
        }
        match self.cluster.pod_by_ip(ip) {
            Some(p) => format!("pod {}/{}'s address", p.namespace, p.name),
            None => "an address outside the cluster, not the client's".into(),
        }
    }
}

/// A request check's `upstream_path` and `tls_secret`, judged on trace `t` of a request to
/// `to`: `Ok` with what was judged, in words (empty when `r` asks neither), or `Err` with
/// what happened instead. Without an HTTP proxy on the way the backend receives the client's
/// own path, and no certificate of a Secret answers.
pub(crate) fn proxied(t: &Trace, r: &Request, to: &str) -> Result<String, String> {
    let mut said = Vec::new();
    if let Some(want) = &r.upstream_path {
        let rest = to.split_once("://").map_or(to, |(_, rest)| rest);
        let (got, how) = match &t.proxied {
            Some(p) => (p.upstream_path.as_str(), ""),
            None => (
                rest.find('/').map_or("/", |i| &rest[i..]),
                ": no Ingress controller or Gateway on the way rewrote it",
            ),
        };
        if got != want.value {
            return Err(format!("the backend receives the path {got}{how}, not {want}"));
        }
        said.push(format!("the backend receives the path {got}"));
    }
    if let Some(want) = &r.tls_secret {
        said.push(certificate(
            t.proxied.as_ref().and_then(|p| p.tls.as_deref()),
            want,
            &t.outcome.to_string(),
        )?);
    }
    Ok(said.join(", "))
}

/// Whether the certificate of Secret `want` answered, given the Secrets (`<ns>/<name>`) of
/// the certificates that ended TLS (`None`: no proxy ended it, and `outcome` says what
/// happened; empty: the ingress controller's self-signed default one): `Ok` in words, or
/// `Err` with what answered instead.
pub(crate) fn certificate(
    got: Option<&[String]>,
    want: &NamespacedName,
    outcome: &str,
) -> Result<String, String> {
    let secret = format!("{}/{}", want.namespace, want.name);
    match got {
        None => Err(format!(
            "no Ingress controller or Gateway ended TLS on the way, so no certificate of Secret {secret} answered: {outcome}"
        )),
        Some([]) => Err(format!("TLS ended with the ingress controller's self-signed default certificate (no tls entry with a secretName lists this host), not Secret {secret}")),
        Some(got) if !got.contains(&secret) => {
            Err(format!("TLS ended with the certificate of Secret {}, not {secret}", got.join(", ")))
        }
        Some(_) => Ok(format!("TLS ended with the certificate of Secret {secret}")),
    }
}
