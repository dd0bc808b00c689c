//! The cause of a failed check, in one sentence that comes first in its explanation: taken
//! from what the model and the diagnostics already know (the policy sides of a trace, a
//! Service's selector diagnostics, the DNS answer, the Ingress decision), never by reading
//! rendered text. Only failing checks ask, so a passing grade costs nothing here.

use netsim::policy::{Endpoint, Side};
use netsim::{Action, Client, DnsAnswer, Outcome, Trace};

use crate::check::Expect;
use crate::world::{identity, World};

/// `Cause. Rest`: each part's first letter raised when it starts with a plain lower-case
/// word (not a name such as `sproutly/db-0`, `http://...` or `externalTrafficPolicy`).
pub(crate) fn cause_first(cause: &str, rest: &str) -> String {
    format!("{}. {}", sentence(cause.trim_end_matches('.')), sentence(rest))
}

fn sentence(text: &str) -> String {
    let word = text.split(' ').next().unwrap_or("");
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return text.to_string();
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => format!("{}{}", c.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

impl World<'_> {
    /// Why `trace` ended as it did, when the model knows more than the outcome says. For a
    /// check that wanted the request stopped, a delivery's cause is what let it through.
    pub(crate) fn trace_cause(&self, trace: &Trace, client: &Client, expect: Expect) -> Option<String> {
        let expected_blocked = matches!(expect, Expect::Blocked | Expect::Dropped);
        if let Some(c) = self.policy_cause_of(trace, expected_blocked) {
            return Some(c);
        }
        let last = trace.hops.last();
        // Through the Ingress controller: the rule that won (or why none did), unless the
        // backend it picked failed (503), where the route hop says why.
        let route = trace.hops.iter().find_map(|h| h.route.as_deref());
        if let Some(route) = route.filter(|_| !matches!(trace.outcome, Outcome::HttpStatus { code: 503, .. }))
        {
            let no_redirect = route.no_redirect_cause().filter(|_| expect == Expect::Redirected);
            return Some(no_redirect.unwrap_or_else(|| route.cause()));
        }
        match &trace.outcome {
            Outcome::NoEndpoints { service } => {
                let (ns, name) = service.split_once('/')?;
                self.service_diagnostic(ns, name).or_else(|| last.map(|h| h.explanation.clone()))
            }
            Outcome::NameNotFound { name } => {
                let from = match client {
                    Client::Pod { namespace, .. } => namespace.as_str(),
                    _ => "default",
                };
                let answer = trace.hops.iter().rev().find_map(|h| h.dns.as_ref());
                self.nxdomain_cause(name, from, answer)
            }
            o if o.is_success() => None,
            // The model's own sentence on the hop that stopped it (refused, rejected, 404...).
            _ => last.filter(|h| h.action != Action::Send).map(|h| h.explanation.clone()),
        }
    }

    /// The NetworkPolicy cause of a drop (or, when the check wanted one, of a pass).
    fn policy_cause_of(&self, trace: &Trace, expected_blocked: bool) -> Option<String> {
        let dropped = matches!(trace.outcome, Outcome::Dropped { .. });
        if !(dropped || (expected_blocked && trace.outcome.is_success())) {
            return None;
        }
        let Some(hop) = trace.hops.iter().rev().find(|h| h.policy.is_some()) else {
            // No policy looked at it: the destination's ingress is open.
            return match &trace.outcome {
                Outcome::Delivered { pod, .. } => self.open_ingress(pod),
                _ => None,
            };
        };
        let check = hop.policy.as_ref()?;
        let sides: Vec<&Side> =
            [check.egress.as_ref(), check.ingress.as_ref()].into_iter().flatten().collect();
        // No side judged (a pod reaching itself, or its own node): the hop says why.
        let cause =
            self.policy_sides_cause(&sides, !check.allowed).unwrap_or_else(|| hop.explanation.clone());
        Some(if hop.at == "dns" { format!("The DNS query is dropped: {cause}") } else { cause })
    }

    /// For a denial, every side that denied; for a connection that got through, every side
    /// that a rule admitted (a NetworkPolicy rule, or a cluster-wide Accept), or else the
    /// destination's open ingress.
    pub(crate) fn policy_sides_cause(&self, sides: &[&Side], denied: bool) -> Option<String> {
        let policy = &self.cluster.policy;
        let chosen: Vec<&Side> = if denied {
            sides.iter().copied().filter(|s| !s.allows()).collect()
        } else {
            let admitted: Vec<&Side> = sides
                .iter()
                .copied()
                .filter(|s| {
                    matches!(
                        s.verdict,
                        netsim::policy::Verdict::Allowed { .. } | netsim::policy::Verdict::Cluster { .. }
                    )
                })
                .collect();
            if admitted.is_empty() {
                // Open because nothing isolates it: the destination pod's ingress, or for an
                // address outside (which no policy's ingress covers) the source's egress.
                let to_pod = |s: &&Side| matches!(s.endpoint, Endpoint::Pod(_));
                let ingress = sides.iter().copied().filter(|s| s.direction == netsim::PolicyType::Ingress);
                let open: Vec<&Side> = ingress.filter(to_pod).collect();
                if open.is_empty() {
                    sides.iter().copied().filter(|s| s.direction == netsim::PolicyType::Egress).collect()
                } else {
                    open
                }
            } else {
                admitted
            }
        };
        let causes: Vec<String> = chosen.iter().map(|s| policy.cause(s)).collect();
        (!causes.is_empty()).then(|| causes.join("; and "))
    }

    /// A delivery the check wanted stopped, in a cluster where no policy looked at it.
    fn open_ingress(&self, pod: &str) -> Option<String> {
        let (ns, name) = pod.split_once('/')?;
        let i = self.cluster.pod(ns, name).and_then(|p| self.cluster.pod_index(p))?;
        let d = self.cluster.policy.decide(&netsim::policy::Connection {
            src: Endpoint::Outside(std::net::Ipv4Addr::UNSPECIFIED),
            dst: Endpoint::Pod(i),
            port: 0,
            protocol: netsim::Protocol::Tcp,
        });
        Some(self.cluster.policy.cause(&d.ingress))
    }

    /// The first diagnostic inside a Service's own text (its selector matching nothing, no
    /// selector and no EndpointSlice), with its hints.
    fn service_diagnostic(&self, namespace: &str, name: &str) -> Option<String> {
        let source = self.cluster.service(namespace, name)?.spec.source.as_ref()?;
        let d = self
            .loaded
            .diagnostics
            .iter()
            .find(|d| d.file == source.file && d.start >= source.start && d.end <= source.end)?;
        let mut text = format!("Service {namespace}/{name}: {}", d.message);
        if !d.hints.is_empty() {
            text.push_str(&format!(" ({})", d.hints.join("; ")));
        }
        Some(text)
    }

    /// Why `name`, asked from a pod in `from`, does not resolve: no such Service in the
    /// namespace the name points at (with a close name, or the same name elsewhere), the
    /// Service's file refused by a diagnostic, or else the resolver's own reason.
    pub(crate) fn nxdomain_cause(
        &self,
        name: &str,
        from: &str,
        answer: Option<&DnsAnswer>,
    ) -> Option<String> {
        let domain = &self.cluster.topology.cluster_domain;
        let lower = name.trim().trim_end_matches('.').to_ascii_lowercase();
        let rel = lower.strip_suffix(&format!(".{domain}")).unwrap_or(&lower);
        let rel = rel.strip_suffix(".svc").unwrap_or(rel);
        let labels: Vec<&str> = rel.split('.').filter(|l| !l.starts_with('_')).collect();
        let is_ns = |ns: &str| self.cluster.namespace(ns).is_some();
        let (svc, ns) = match labels.as_slice() {
            [svc] => (*svc, from),
            [svc, ns] if is_ns(ns) => (*svc, *ns),
            // hostname.subdomain, in the asking pod's namespace.
            [_, svc] => (*svc, from),
            [_, svc, ns] => (*svc, *ns),
            _ => return answer.map(|a| a.explanation.clone()),
        };
        if let Some(s) = self.cluster.service(ns, svc) {
            return self
                .name_under_service(&lower, s, &labels)
                .or_else(|| answer.map(|a| a.explanation.clone()));
        }
        if self.refused_service(ns, svc).is_some() {
            return Some(self.no_service(ns, svc));
        }
        let mut text = format!("There is no Service {svc} in namespace {ns}");
        let here: Vec<&str> =
            self.cluster.services.iter().filter(|s| s.namespace() == ns).map(|s| s.name()).collect();
        let elsewhere: Vec<&str> = self
            .cluster
            .services
            .iter()
            .filter(|s| s.name() == svc && s.namespace() != ns)
            .map(|s| s.namespace())
            .collect();
        if let Some(close) = manifest::problem::closest(svc, here.iter().copied()) {
            text.push_str(&format!(" (did you mean {close}?)"));
        } else if let Some(other) = elsewhere.first() {
            text.push_str(&format!(
                " (there is one in namespace {other}, which the name {svc}.{other} reaches)"
            ));
        }
        Some(text)
    }

    /// Why a name under an existing Service does not resolve: an SRV name whose port name or
    /// protocol the Service lacks, or a hostname under a Service that is not headless or has
    /// no such endpoint. https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/
    fn name_under_service(&self, name: &str, s: &netsim::ClusterService, labels: &[&str]) -> Option<String> {
        let what = format!("Service {}/{}", s.namespace(), s.name());
        if let Some(rest) = name.strip_prefix('_') {
            let (port, rest) = rest.split_once("._")?;
            let proto = rest.split('.').next()?.to_ascii_uppercase();
            let has = s
                .spec
                .ports
                .iter()
                .any(|p| p.name.as_deref() == Some(port) && p.protocol.to_string() == proto);
            if has {
                return None;
            }
            let ports: Vec<String> = s
                .spec
                .ports
                .iter()
                .map(|p| format!("{} {}/{}", p.name.as_deref().unwrap_or("(unnamed)"), p.port, p.protocol))
                .collect();
            return Some(format!(
                "{what} has no {proto} port named {port}, so there is no SRV record _{port}._{}: its ports are {}",
                proto.to_ascii_lowercase(),
                ports.join(", ")
            ));
        }
        let [host, _, ..] = labels else { return None };
        if labels.len() < 2 || labels[1] != s.name() {
            return None;
        }
        if !s.is_headless() {
            return Some(format!(
                "{what} is not headless (it has a ClusterIP), so DNS gives its pods no names under it such as {host}: set `clusterIP: None`"
            ));
        }
        let known = s.addresses.iter().any(|e| e.ready && e.hostname.as_deref() == Some(*host));
        (!known).then(|| format!(
            "No ready endpoint of headless {what} has the hostname {host} (a pod gets one with `hostname` and `subdomain: {}`, or as a StatefulSet member whose serviceName is {})",
            s.name(),
            s.name()
        ))
    }

    /// `there is no Service ns/name`, with the error that kept it out when there is one.
    pub(crate) fn no_service(&self, namespace: &str, name: &str) -> String {
        match self.refused_service(namespace, name) {
            Some(why) => format!(
                "There is no Service {namespace}/{name}: its file has an error, so it was not created: {why}"
            ),
            None => format!("there is no Service {namespace}/{name}"),
        }
    }

    /// The error that kept a Service the learner wrote out of the cluster, when one did.
    fn refused_service(&self, namespace: &str, name: &str) -> Option<String> {
        for s in &self.sources {
            let mut sink = Vec::new();
            for doc in manifest::yaml::parse(&s.name, &s.text, &mut sink) {
                let ours = identity(&doc.root)
                    .is_some_and(|(k, ns, n)| k == "Service" && ns == namespace && n == name);
                if !ours {
                    continue;
                }
                let d = self.loaded.diagnostics.iter().find(|d| {
                    d.file == s.name
                        && d.severity == manifest::Severity::Error
                        && d.start >= doc.start
                        && d.end <= doc.end
                })?;
                let (line, col) = manifest::line_col(&s.text, d.start);
                let hints =
                    if d.hints.is_empty() { String::new() } else { format!(" ({})", d.hints.join("; ")) };
                return Some(format!("{}:{line}:{col}: {}{hints}", s.name, d.message));
            }
        }
        None
    }
}
