//! A request through a Gateway's data plane: the proxy pod routes it as the Gateway API says
//! (`gateway::routing`), then opens its own connection to an endpoint of the winning rule's
//! backend, which it picks itself from the EndpointSlices (kube-proxy is not involved, as
//! with the implementations `gateway::dataplane` follows). NetworkPolicy at the backend sees
//! the proxy pod as the source.

use super::{HttpTarget, Walk};
use crate::build::{Cluster, ClusterPod};
use crate::gateway::routing::{BackendAnswer, BackendShare, Decision, GatewayRequest, Outcome as Routed};
use crate::gateway::types::ListenerProtocol;
use crate::gateway::types::CONTROLLER_NAME;
use crate::gateway::Objects;
use crate::ingress::Scheme;
use crate::scenario::{ObjectRef, Protocol};
use crate::trace::{Action, Candidate, Hop, Outcome, Packet, Trace};

/// At most this many candidate rules are named in the hop (the rest are counted).
const SHOWN_CANDIDATES: usize = 6;

impl Cluster {
    /// The proxy of Gateway `gateway` (in the proxy's namespace) received an HTTP request.
    pub(crate) fn through_gateway<'a>(
        &'a self,
        mut walk: Walk<'a>,
        proxy: &'a ClusterPod,
        gateway: &str,
        packet: Packet,
    ) -> Trace {
        let http =
            walk.http.take().unwrap_or(HttpTarget { host: packet.dst.ip().to_string(), path: "/".into() });
        let port = packet.dst.port();
        let gw =
            self.gateway_api.gateways.iter().find(|g| g.namespace == proxy.namespace && g.name == gateway);
        let https = gw.is_some_and(|g| {
            g.listeners.iter().any(|l| l.port == port && l.protocol == ListenerProtocol::Https)
        });
        let scheme = if https { Scheme::Https } else { Scheme::Http };
        let request = GatewayRequest {
            namespace: proxy.namespace.clone(),
            gateway: gateway.to_string(),
            scheme,
            port,
            host: http.host.clone(),
            target: http.path.clone(),
            method: "GET".into(),
            headers: Vec::new(),
        };
        let d = crate::gateway::route(&Objects::of_api(&self.gateway_api), self, &request);
        let at = format!("gateway/{}/{gateway}", proxy.namespace);
        let mut objects: Vec<ObjectRef> = gw
            .map(|g| ObjectRef::new("Gateway", &g.namespace, &g.name, g.source.clone()))
            .into_iter()
            .collect();
        if let Some(w) = d.winner() {
            objects.push(ObjectRef {
                source: w.rule_source.clone().or(w.route.source.clone()),
                ..w.route.clone()
            });
        }
        let mut text = format!(
            "{}://{}{} ({CONTROLLER_NAME}): {}; {}",
            scheme.as_str(),
            d.host,
            d.path,
            d.listener_reason,
            d.cause()
        );
        // HTTPS: TLS ends at the proxy, with the listener's certificate (Secrets are not
        // modelled: a certificateRef the Gateway may use is taken to hold one).
        let listener = gw.and_then(|g| g.listeners.iter().find(|l| Some(&l.name) == d.listener.as_ref()));
        let tls = listener.and_then(|l| l.tls.as_ref()).filter(|_| https);
        let secrets: Vec<String> = tls
            .iter()
            .flat_map(|t| t.certificate_refs.iter())
            .map(|r| format!("{}/{}", r.namespace.as_deref().unwrap_or(&proxy.namespace), r.name))
            .collect();
        let upstream_path = d.upstream.as_ref().map_or_else(|| d.path.clone(), |u| u.path.clone());
        walk.proxied = Some(crate::trace::Proxied { upstream_path, tls: https.then(|| secrets.clone()) });
        if tls.is_some() {
            text.push_str(&format!(
                "; TLS ends at the proxy with the certificate of Secret {}",
                if secrets.is_empty() { "(none)".to_string() } else { secrets.join(", ") }
            ));
        }
        text.push_str(&candidates_words(&d));
        for f in &d.filters {
            text.push_str(&format!("; {f}"));
        }
        let answer = |mut walk: Walk<'a>, text: String, objects, outcome: Outcome| {
            walk.hop(at.clone(), Action::Route, packet, packet, text, objects);
            walk.finish(outcome)
        };
        let shares = match &d.outcome {
            Routed::NoListener => {
                walk.hop(at.clone(), Action::Refuse, packet, packet, text, objects);
                return walk.finish(Outcome::Refused { at, port });
            }
            Routed::NotFound => {
                let reason = format!("Not Found (no rule of Gateway {}/{gateway} matches)", proxy.namespace);
                return answer(walk, text, objects, Outcome::HttpStatus { code: 404, reason });
            }
            Routed::Redirect { status, location } => {
                let reason = format!("Redirect to {location}");
                return answer(walk, text, objects, Outcome::HttpStatus { code: *status, reason });
            }
            Routed::Error { status, reason } => {
                return answer(
                    walk,
                    text,
                    objects,
                    Outcome::HttpStatus { code: *status, reason: reason.clone() },
                );
            }
            Routed::Backends(shares) => shares,
        };
        // One request takes one backendRef, by weight.
        let Some(share) = pick_share(shares, walk.rng.below(u64::from(total(shares)).max(1)) as u32) else {
            let reason = "no backendRef has a weight above 0".to_string();
            return answer(
                walk,
                format!("{text}; {reason}"),
                objects,
                Outcome::HttpStatus { code: 500, reason },
            );
        };
        if let BackendAnswer::Error { status, reason } = &share.answer {
            let text = format!("{text}; this request takes backendRef {}: {reason}", share.backend);
            return answer(
                walk,
                text,
                objects,
                Outcome::HttpStatus { code: *status, reason: reason.clone() },
            );
        }
        let found = share.backend.rsplit_once(':').and_then(|(service, p)| {
            let (namespace, name) = service.split_once('/')?;
            let svc = self.service(namespace, name)?;
            let port: u16 = p.parse().ok()?;
            Some((svc, svc.ports.iter().find(|pe| pe.port == port && pe.protocol == Protocol::Tcp)?))
        });
        let (Some((svc, pe)), Some(src)) = (found, proxy.ip) else {
            let reason = format!("Service Unavailable: backend {} cannot be reached", share.backend);
            return answer(walk, text, objects, Outcome::HttpStatus { code: 503, reason });
        };
        objects.push(svc.object());
        let endpoints = pe.routable();
        let Some(ep) = endpoints.get(match walk.pick {
            Some(i) => i % endpoints.len().max(1),
            None => walk.rng.below(endpoints.len().max(1) as u64) as usize,
        }) else {
            let reason = format!("Service Unavailable: Service {} has no ready endpoints", share.backend);
            return answer(walk, text, objects, Outcome::HttpStatus { code: 503, reason });
        };
        if let Some(u) = &d.upstream {
            text.push_str(&format!(
                "; the backend receives {} {} with Host {}",
                u.method,
                u.target(),
                u.host
            ));
        }
        proxy_to(walk, at, proxy, src, packet, (share, &endpoints, ep), text, objects)
    }
}

/// The proxy's own connection from `src` to endpoint `ep` of `share`'s backend: the route
/// hop, with every endpoint of that backend as a candidate, then on to the endpoint.
#[allow(clippy::too_many_arguments)]
fn proxy_to<'a>(
    mut walk: Walk<'a>,
    at: String,
    proxy: &'a ClusterPod,
    src: std::net::Ipv4Addr,
    packet: Packet,
    (share, endpoints, ep): (
        &BackendShare,
        &[&crate::build::ServiceEndpoint],
        &crate::build::ServiceEndpoint,
    ),
    mut text: String,
    objects: Vec<ObjectRef>,
) -> Trace {
    let n = endpoints.len();
    let share_of = f64::from(share.weight) / f64::from(share.total.max(1));
    let candidates: Vec<Candidate> = endpoints
        .iter()
        .map(|e| Candidate {
            ip: e.ip,
            port: e.port,
            pod: e.pod.clone(),
            node: e.node.clone(),
            probability: share_of / n as f64,
            chosen: std::ptr::eq(*e, ep),
        })
        .collect();
    let chosen = endpoints.iter().position(|e| std::ptr::eq(*e, ep)).unwrap_or(0);
    let sport = 32768 + walk.rng.below(28232) as u16;
    let after = Packet::new(src, sport, ep.ip, ep.port, Protocol::Tcp);
    text.push_str(&format!(
        "; backendRef {} ({} of {} of the weight); the proxy connects from its pod straight to endpoint {} of {n} (it balances over the EndpointSlices itself; kube-proxy is not involved)",
        share.backend,
        share.weight,
        share.total,
        chosen + 1
    ));
    walk.client_pod = Some(proxy);
    walk.client_ip = src;
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
        route: None,
    });
    walk.deliver(after, proxy.node.as_deref())
}

fn total(shares: &[BackendShare]) -> u32 {
    shares.iter().map(|s| s.weight).sum()
}

/// The share a draw `r` in `0..total` falls in.
fn pick_share(shares: &[BackendShare], mut r: u32) -> Option<&BackendShare> {
    for s in shares {
        if r < s.weight {
            return Some(s);
        }
        r -= s.weight;
    }
    None
}

/// The rules that were candidates, in precedence order, with why each lost or did not match.
fn candidates_words(d: &Decision) -> String {
    if d.candidates.len() < 2 {
        return String::new();
    }
    let mut words: Vec<String> = d
        .candidates
        .iter()
        .take(SHOWN_CANDIDATES)
        .enumerate()
        .map(|(i, c)| {
            let rule = c
                .rule_name
                .as_ref()
                .map_or_else(|| format!("rule {}", c.rule + 1), |n| format!("rule `{n}`"));
            let verdict = match (&c.lacked, &c.lost) {
                (Some(l), _) => format!("does not match: {l}"),
                (None, Some(l)) => format!("lost: {l}"),
                (None, None) if Some(i) == d.winner => "won".to_string(),
                (None, None) => "matches".to_string(),
            };
            format!("{}. {} {rule} ({}): {verdict}", i + 1, c.route, c.description)
        })
        .collect();
    if d.candidates.len() > SHOWN_CANDIDATES {
        words.push(format!("and {} more", d.candidates.len() - SHOWN_CANDIDATES));
    }
    format!("; the rules in precedence order: {}", words.join("; "))
}
