//! The grader: load the learner's files with the read-only cluster, build the model once,
//! and run every check against it. Deterministic: the same files give the same results.

use std::net::Ipv4Addr;

use manifest::yaml::{Node, Value};
use manifest::{Diagnostic, Severity, SourceFile};
use netsim::policy::{Connection, Endpoint};
use netsim::{Action, Client, Cluster, DnsClient, DnsQuery, Outcome, Rcode, Record, Request, Trace};

use crate::arrival::{certificate, proxied};
use crate::causes::cause_first;
use crate::check::{self, AnswerCheck, Check, CheckKind, Expect, ObjectCheck, UnchangedCheck, ValidCheck};
use crate::ends::Cause;
use crate::format::{Exercise, CLUSTER_FILE};
use crate::refs::{self, DnsExpect, DnsFrom, IngressExpect, PodSet, TargetRef};
use crate::world::{client_name, identity, sources, World};

/// One check's result.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckResult {
    pub title: String,
    pub passed: bool,
    /// What happened, in one or two sentences; on failure, the cause first when the model
    /// knows one (see `causes`), then what was expected and what happened instead.
    pub explanation: String,
    /// The trace listing of the request that decided it, when there is one.
    pub trace: Option<String>,
    /// What ended the requests of a `request` check that were not answered, each as `by:`
    /// names it (`networkpolicy`, `dns`, `traffic-policy`, ...), sorted, without repeats.
    pub causes: Vec<String>,
}

/// Every check's result, and the diagnostics of the learner's files.
#[derive(Clone, Debug, PartialEq)]
pub struct Grade {
    pub results: Vec<CheckResult>,
    pub diagnostics: Vec<Diagnostic>,
    /// The learner's cluster the checks ran on (for the picture and the terminal).
    pub cluster: Cluster,
}

impl Grade {
    pub fn passed(&self) -> usize {
        self.results.iter().filter(|r| r.passed).count()
    }

    /// Every check passes.
    pub fn solved(&self) -> bool {
        self.results.iter().all(|r| r.passed)
    }

    /// `3 of 4 checks pass`.
    pub fn summary(&self) -> String {
        let n = self.results.len();
        if self.solved() {
            match n {
                1 => "the 1 check passes".to_string(),
                n => format!("all {n} checks pass"),
            }
        } else {
            format!("{} of {n} checks pass", self.passed())
        }
    }
}

/// Grades `files` (the learner's version of the exercise's files, by name; a missing file
/// counts as empty) against every check of `exercise`.
pub fn grade(exercise: &Exercise, files: &[SourceFile]) -> Grade {
    grade_with(exercise, files, None)
}

/// [`grade`] after an edit, reusing what `parses` kept of the last reading of each file (see
/// `manifest::yaml::Parses`): the same grade, sooner, on every keystroke in a large file.
pub fn grade_again(exercise: &Exercise, files: &[SourceFile], parses: &mut manifest::yaml::Parses) -> Grade {
    grade_with(exercise, files, Some(parses))
}

fn grade_with(
    exercise: &Exercise,
    files: &[SourceFile],
    parses: Option<&mut manifest::yaml::Parses>,
) -> Grade {
    let topology = exercise.topology.topology();
    let sources = sources(exercise, files);
    let (loaded, cluster) = match parses {
        Some(p) => manifest::load_and_build_again(&sources, &topology, p),
        None => manifest::load_and_build(&sources, &topology),
    };
    let world = World { exercise, sources, loaded, cluster, files };
    let results = exercise.checks.iter().map(|c| world.check(c)).collect();
    let diagnostics = world.loaded.diagnostics.iter().filter(|d| d.file != CLUSTER_FILE).cloned().collect();
    Grade { results, diagnostics, cluster: world.cluster }
}

/// A result before it gets its title.
struct Verdict {
    passed: bool,
    explanation: String,
    trace: Option<String>,
    causes: Vec<String>,
}

fn pass(explanation: String) -> Verdict {
    Verdict { passed: true, explanation, trace: None, causes: Vec::new() }
}

fn fail(explanation: String) -> Verdict {
    Verdict { passed: false, explanation, trace: None, causes: Vec::new() }
}

fn verdict((passed, explanation): (bool, String)) -> Verdict {
    Verdict { passed, explanation, trace: None, causes: Vec::new() }
}

/// One verdict per client of a set (`from: pods/...`), each with the client's name, into
/// the check's: every client must pass (with `any`, one is enough); a failure names the
/// clients that failed.
fn combine(from: &str, mut each: Vec<(String, Verdict)>, any: bool) -> Verdict {
    if each.len() == 1 {
        return each.pop().map(|(_, v)| v).unwrap_or_else(|| fail(format!("no pod matches {from}")));
    }
    let n = each.len();
    let mut causes: Vec<String> = each.iter().flat_map(|(_, v)| v.causes.iter().cloned()).collect();
    sorted::sort(&mut causes);
    causes.dedup();
    let failed: Vec<String> = each.iter().filter(|(_, v)| !v.passed).map(|(c, _)| c.clone()).collect();
    let k = failed.len();
    let passed = if any { k < n } else { k == 0 };
    let shown = if passed {
        each.iter().position(|(_, v)| v.passed)
    } else {
        each.iter().position(|(_, v)| !v.passed)
    };
    let Some((client, v)) = shown.map(|i| each.swap_remove(i)) else {
        return fail(format!("no pod matches {from}"));
    };
    // The shown client's explanation keeps its cause first; which clients failed comes after.
    let explanation = match (passed, any) {
        (true, _) if k == 0 => format!("{} (from each of the {n} pods of {from})", v.explanation),
        (true, _) => format!(
            "{} (from {client}; it fails from {}: {k} of the {n} pods of {from})",
            v.explanation,
            failed.join(", ")
        ),
        (false, true) => {
            format!("{} (it fails from each of the {n} pods of {from}; one was enough)", v.explanation)
        }
        (false, false) if k == n => {
            let all = if n == 2 { "both".to_string() } else { format!("all {n}") };
            format!("{} (it fails from {all} pods of {from})", v.explanation)
        }
        (false, false) => {
            format!("{} (it fails from {}: {k} of the {n} pods of {from})", v.explanation, failed.join(", "))
        }
    };
    Verdict { passed, explanation, trace: v.trace, causes }
}

impl World<'_> {
    fn check(&self, c: &Check) -> CheckResult {
        let v = match &c.kind {
            CheckKind::Request(r) => self.request(r),
            CheckKind::Dns(d) => self.dns(d),
            CheckKind::Policy(p) => self.policy(p),
            CheckKind::Ingress(i) => self.ingress(i),
            CheckKind::Route(r) => {
                let topology = self.exercise.topology.topology();
                let against = crate::routes::Against {
                    cluster: &self.cluster,
                    sources: &self.sources,
                    topology: &topology,
                };
                verdict(crate::routes::grade(&against, r))
            }
            CheckKind::Object(o) => self.object(o),
            CheckKind::Valid(v) => self.valid(v),
            CheckKind::Unchanged(u) => self.unchanged(u),
            CheckKind::Env(e) => self.env(e),
            CheckKind::KubeProxy(k) => self.kube_proxy(k),
            CheckKind::LoadBalancer(l) => self.load_balancer(l),
            CheckKind::Answer(a) => self.answer(a),
        };
        CheckResult {
            title: c.title.clone(),
            passed: v.passed,
            explanation: v.explanation,
            trace: v.trace,
            causes: v.causes,
        }
    }

    /// Every client of `from` (every pod of a `pods/` set) sends the request.
    fn request(&self, r: &check::Request) -> Verdict {
        let clients = match self.clients(&r.from) {
            Ok(c) => c,
            Err(why) => return fail(why),
        };
        let each = clients.into_iter().map(|c| (client_name(&c), self.request_from(c, r))).collect();
        combine(&r.from.text, each, r.any_client)
    }

    fn request_from(&self, client: Client, r: &check::Request) -> Verdict {
        let (to, protocol) = (&r.to.value, r.protocol);
        let outside = matches!(client, Client::Outside(_));
        let port = r.port;
        let addr = |ip: Ipv4Addr, p: u16| format!("{ip}:{p}");
        // Where the client connects, or why it cannot.
        let target: Result<String, String> = match to {
            TargetRef::Raw(t) => Ok(t.clone()),
            TargetRef::Pod { namespace, name } => match self.pod(namespace, name) {
                Some(p) => match p.ip {
                    Some(ip) => Ok(addr(ip, port.unwrap_or(80))),
                    None => Err(format!("pod {namespace}/{name} is Pending and has no IP")),
                },
                None => return fail(format!("there is no pod {namespace}/{name}")),
            },
            TargetRef::Service { namespace, name }
            | TargetRef::NodePort { namespace, name }
            | TargetRef::LoadBalancer { namespace, name } => {
                let Some(svc) = self.cluster.service(namespace, name) else {
                    return fail(self.no_service(namespace, name));
                };
                let p = port.or_else(|| svc.spec.ports.first().map(|p| p.port)).unwrap_or(80);
                let node_port = svc
                    .spec
                    .ports
                    .iter()
                    .find(|sp| sp.port == p && sp.protocol == protocol)
                    .and_then(|sp| sp.node_port);
                let node = match &r.node {
                    Some(n) => self.cluster.node(&n.value),
                    None => self.cluster.nodes.first(),
                };
                let via_node_port = |why_not: String| match (node, node_port) {
                    (Some(n), Some(np)) => Ok(addr(n.ip, np)),
                    (None, _) => Err("the cluster has no such node".to_string()),
                    (_, None) => Err(why_not),
                };
                match to {
                    TargetRef::NodePort { .. } => via_node_port(format!(
                        "Service {namespace}/{name} has no nodePort for port {p}/{protocol} (it is of type {})",
                        svc.spec.service_type.as_str()
                    )),
                    TargetRef::LoadBalancer { .. } => match svc.load_balancer_ip {
                        Some(ip) => Ok(addr(ip, p)),
                        None if svc.spec.service_type == netsim::ServiceType::LoadBalancer => {
                            Err(format!("Service {namespace}/{name} has no external IP yet: <pending>"))
                        }
                        None => Err(format!(
                            "Service {namespace}/{name} is of type {}, not LoadBalancer",
                            svc.spec.service_type.as_str()
                        )),
                    },
                    _ if outside => match svc.load_balancer_ip {
                        Some(ip) => Ok(addr(ip, p)),
                        None => via_node_port(format!(
                            "Service {namespace}/{name} is of type {}: it has no address outside the cluster",
                            svc.spec.service_type.as_str()
                        )),
                    },
                    _ if svc.spec.service_type == netsim::ServiceType::ExternalName || svc.is_headless() => {
                        Ok(format!("{name}.{namespace}.svc.{}:{p}", self.cluster.topology.cluster_domain))
                    }
                    _ => match svc.cluster_ip {
                        Some(ip) => Ok(addr(ip, p)),
                        None => Err(format!("Service {namespace}/{name} has no ClusterIP")),
                    },
                }
            }
        };
        let target = match target {
            Ok(t) => t,
            Err(why) => {
                // No address to try: as if nothing routes there.
                let by_ok = r.by.as_ref().is_none_or(|b| b.matches(&Cause::NoRoute));
                let mut v = if matches!(r.expect, Expect::NoRoute | Expect::Blocked) && by_ok {
                    pass(format!("unreachable, as expected: {why}"))
                } else if let Some(by) = r.by.as_ref().filter(|_| r.expect == Expect::Blocked) {
                    fail(format!("expected blocked by {by}, but the request cannot even be sent: {why}"))
                } else {
                    fail(format!(
                        "expected {}, but the request cannot even be sent: {why}",
                        r.expect.as_str()
                    ))
                };
                v.causes = vec![Cause::NoRoute.key()];
                return v;
            }
        };
        let mut request = Request::new(client, &target).protocol(protocol);
        if matches!(to, TargetRef::Raw(_)) {
            request.port = port;
        }
        if let Some(host) = &r.host {
            request = request.host(host);
        }
        if r.sticky {
            return self.sticky(&request);
        }
        let traces = self.cluster.send_all(&request);
        let mut causes: Vec<String> = traces.iter().filter_map(Cause::of).map(|c| c.key()).collect();
        sorted::sort(&mut causes);
        causes.dedup();
        let judged: Vec<(bool, String)> = traces.iter().map(|t| self.judge(t, r, &request)).collect();
        let ok = judged.iter().filter(|j| j.0).count();
        let passed = if r.any_endpoint { ok > 0 } else { ok == traces.len() };
        let n = traces.len();
        let shown = if passed {
            traces.first()
        } else {
            traces.iter().zip(&judged).find(|(_, j)| !j.0).map(|(t, _)| t)
        };
        let reason = if passed {
            judged.first().map(|j| j.1.clone()).unwrap_or_default()
        } else {
            judged.iter().find(|j| !j.0).map(|j| j.1.clone()).unwrap_or_default()
        };
        let spread = match (n, ok) {
            (1, _) => String::new(),
            (_, 0) => format!(" (as expected for none of the {n} {})", choices(&traces)),
            (_, ok) if ok == n => format!(" (as expected for all {n} {})", choices(&traces)),
            (_, ok) => format!(" (as expected for {ok} of the {n} {})", choices(&traces)),
        };
        let mut explanation = format!("{reason}{spread}");
        if !passed {
            if let Some(cause) = shown.and_then(|t| self.trace_cause(t, &request.from, r.expect)) {
                explanation = cause_first(&cause, &explanation);
            }
        }
        Verdict { passed, explanation, trace: shown.map(Trace::to_string), causes }
    }

    /// Ten connections from one client (different source ports and random draws): with
    /// sessionAffinity ClientIP kube-proxy sends them all to one endpoint; without it they
    /// spread. https://kubernetes.io/docs/reference/networking/virtual-ips/#session-affinity
    fn sticky(&self, request: &Request) -> Verdict {
        let mut pods: Vec<String> = Vec::new();
        let mut first_trace = None;
        for seed in 0..10u64 {
            let t = self
                .cluster
                .send(&Request { seed: seed.wrapping_mul(0x9e37_79b9_7f4a_7c15), ..request.clone() });
            match &t.outcome {
                Outcome::Delivered { pod, .. } => pods.push(pod.clone()),
                other => {
                    let mut v = fail(format!("expected every request delivered, got: {other}"));
                    v.trace = Some(t.to_string());
                    return v;
                }
            }
            first_trace.get_or_insert(t);
        }
        let mut distinct = pods.clone();
        sorted::sort(&mut distinct);
        distinct.dedup();
        let trace = first_trace.map(|t| t.to_string());
        let mut v = if distinct.len() == 1 {
            pass(format!("all 10 requests landed on pod {}", distinct[0]))
        } else {
            fail(format!(
                "10 requests from the same client spread over {} pods ({})",
                distinct.len(),
                distinct.join(", ")
            ))
        };
        v.trace = trace;
        v
    }

    /// Whether one trace meets the expectation, and a sentence saying what happened.
    fn judge(&self, t: &Trace, r: &check::Request, request: &Request) -> (bool, String) {
        let client = &request.from;
        let o = &t.outcome;
        let cause = Cause::of(t);
        // A lookup that times out never tried the connection: its own outcome, not `dropped`.
        let dns_timeout = matches!(cause, Some(Cause::DnsTimeout(_)));
        let met = match r.expect {
            Expect::Delivered => matches!(o, Outcome::Delivered { .. }),
            Expect::Answered => o.is_success(),
            // A name that does not exist is a typo, never a block.
            Expect::Blocked => !o.is_success() && !matches!(o, Outcome::NameNotFound { .. }),
            Expect::Refused => matches!(o, Outcome::Refused { .. }),
            Expect::Dropped => matches!(o, Outcome::Dropped { .. }) && !dns_timeout,
            Expect::DnsTimeout => dns_timeout,
            Expect::NameNotFound => matches!(o, Outcome::NameNotFound { .. }),
            Expect::NoEndpoints => matches!(o, Outcome::NoEndpoints { .. }),
            Expect::NoRoute => matches!(o, Outcome::NoRoute { .. }),
            Expect::LeftCluster => matches!(o, Outcome::LeftCluster { .. }),
            Expect::ExternalName => matches!(o, Outcome::ExternalName { .. }),
            Expect::ReachedNode => matches!(o, Outcome::ReachedNode { .. }),
            Expect::Redirected => matches!(o, Outcome::HttpStatus { code: 308, .. }),
            Expect::NotFound => matches!(o, Outcome::HttpStatus { code: 404, .. }),
            Expect::Unavailable => matches!(o, Outcome::HttpStatus { code: 503, .. }),
        };
        if !met {
            return match o {
                Outcome::Dropped { reason, .. } if dns_timeout => {
                    (false, format!("expected {}, but the {reason}", r.expect.as_str()))
                }
                _ => (false, format!("expected {}, got: {o}", r.expect.as_str())),
            };
        }
        if let (Some(by), Some(c)) = (&r.by, &cause) {
            if !by.matches(c) {
                return (false, format!("expected {} by {by}, but it is {c}: {o}", r.expect.as_str()));
            }
        }
        let mut said = vec![o.to_string()];
        if let Outcome::Delivered { pod, port, .. } = o {
            match self.arrival(t, client, pod, r) {
                Ok(arrived) => said.push(arrived),
                Err(why) => return (false, why),
            };
            if let Some(want) = r.on_port {
                if *port != want {
                    return (false, format!("delivered to pod {pod} on port {port}, not on port {want}"));
                }
            }
        }
        match proxied(t, r, &request.to) {
            Ok(words) => said.push(words),
            Err(why) => return (false, why),
        }
        said.retain(|s| !s.is_empty());
        (true, said.join(", "))
    }

    /// Every pod of `from` asks (any pod of a namespace, for `namespace/`).
    fn dns(&self, d: &check::Dns) -> Verdict {
        let askers = match self.dns_clients(&d.from) {
            Ok(a) => a,
            Err(why) => return fail(why),
        };
        let each = askers
            .into_iter()
            .map(|from| {
                let name = match &from {
                    DnsClient::Pod { namespace, name } => format!("{namespace}/{name}"),
                    DnsClient::Namespace(ns) => format!("namespace {ns}"),
                };
                (name, self.dns_from(from, d))
            })
            .collect();
        combine(&d.from.text, each, d.any_client)
    }

    fn dns_from(&self, from: DnsClient, d: &check::Dns) -> Verdict {
        let answer = self.cluster.dns(&DnsQuery { from: from.clone(), name: d.name.clone(), qtype: d.qtype });
        if !d.ignore_policy {
            if let Some(v) = self.dns_server_unreachable(&from, &answer) {
                return v;
            }
        }
        let mut addresses: Vec<Ipv4Addr> = answer.addresses();
        sorted::sort(&mut addresses);
        let got = if answer.rcode == Rcode::NxDomain {
            format!("{} does not resolve (NXDOMAIN; tried {})", d.name, answer.tried.join(", "))
        } else {
            let records: Vec<String> = answer
                .records
                .iter()
                .map(|r| match r {
                    Record::A { ip, .. } => format!("A {ip}"),
                    Record::Cname { target, .. } => format!("CNAME {target}"),
                    Record::Srv { port, target, .. } => format!("SRV {port} {target}"),
                    Record::Ptr { target, .. } => format!("PTR {target}"),
                })
                .collect();
            format!(
                "{} resolves to {}",
                answer.answered.clone().unwrap_or(d.name.clone()),
                if records.is_empty() { "no records".to_string() } else { records.join(", ") }
            )
        };
        let ips = |v: Vec<Ipv4Addr>| {
            let mut v = v;
            sorted::sort(&mut v);
            v
        };
        let (ok, want) = match &d.expect.value {
            DnsExpect::NxDomain => (answer.rcode == Rcode::NxDomain, "NXDOMAIN".to_string()),
            DnsExpect::Any => {
                (answer.rcode != Rcode::NxDomain && !answer.records.is_empty(), "an answer".into())
            }
            DnsExpect::Service { namespace, name } => {
                match self.cluster.service(namespace, name).and_then(|s| s.cluster_ip) {
                    Some(ip) => (addresses == [ip], format!("the ClusterIP of {namespace}/{name} ({ip})")),
                    None => (false, format!("the ClusterIP of {namespace}/{name}, which has none")),
                }
            }
            DnsExpect::Pods { namespace, selector } => {
                let want = ips(self
                    .pods_matching(namespace, selector)
                    .iter()
                    .filter(|p| p.ready)
                    .filter_map(|p| p.ip)
                    .collect());
                (
                    !want.is_empty() && addresses == want,
                    format!("the ready pods {} in {namespace}", refs::describe_labels(selector)),
                )
            }
            DnsExpect::Pod { namespace, name } => match self.pod(namespace, name).and_then(|p| p.ip) {
                Some(ip) => (addresses == [ip], format!("pod {namespace}/{name} ({ip})")),
                None => (false, format!("pod {namespace}/{name}, which has no IP")),
            },
            DnsExpect::Cname(target) => {
                (answer.cname() == Some(target.as_str()), format!("a CNAME to {target}"))
            }
            DnsExpect::Srv(port) => (
                answer.records.iter().any(|r| matches!(r, Record::Srv { port: p, .. } if p == port)),
                format!("an SRV record on port {port}"),
            ),
        };
        if ok {
            return pass(got);
        }
        let text = format!("expected {want}, but {got}");
        let from_ns = match &from {
            DnsClient::Pod { namespace, .. } | DnsClient::Namespace(namespace) => namespace.as_str(),
        };
        let cause = if answer.rcode == Rcode::NxDomain {
            self.nxdomain_cause(&d.name, from_ns, Some(&answer))
        } else {
            None
        };
        fail(match cause {
            Some(c) => cause_first(&c, &text),
            None => text,
        })
    }

    /// Who asks a DNS check's question: each pod `from` names, or any pod of a namespace.
    fn dns_clients(&self, from: &DnsFrom) -> Result<Vec<DnsClient>, String> {
        match from {
            DnsFrom::Namespace(ns) => Ok(vec![DnsClient::Namespace(ns.clone())]),
            DnsFrom::Pod(pod) => self
                .clients(pod)?
                .into_iter()
                .map(|c| match c {
                    Client::Pod { namespace, name } => Ok(DnsClient::Pod { namespace, name }),
                    _ => Err("a DNS question comes from a pod".to_string()),
                })
                .collect(),
        }
    }

    /// A pod's question travels to its nameserver (UDP 53, through kube-proxy and
    /// NetworkPolicy like any connection): when some path there is not answered, the lookup
    /// times out whatever the records say. `None` when every path is open, for a question
    /// asked in no particular pod, and when the pod has no nameserver at all.
    fn dns_server_unreachable(&self, from: &DnsClient, answer: &netsim::DnsAnswer) -> Option<Verdict> {
        let DnsClient::Pod { namespace, name } = from else { return None };
        let (what, ip) = match answer.resolver {
            netsim::Resolver::Cluster(ip) => ("the cluster DNS (the kube-dns Service)", ip),
            netsim::Resolver::Node(ip) => ("its node's resolver", ip),
            netsim::Resolver::Upstream(ip) => ("its nameserver", ip),
            netsim::Resolver::None => return None,
        };
        let client = Client::pod(namespace, name);
        let request = Request::new(client.clone(), &format!("{ip}:53")).protocol(netsim::Protocol::Udp);
        let traces = self.cluster.send_all(&request);
        let t = traces.iter().find(|t| !t.outcome.is_success())?;
        let text = format!(
            "pod {namespace}/{name} cannot reach {what} at {ip}:53/UDP, so the lookup of {} times out: {}",
            answer.name, t.outcome
        );
        let mut v = fail(match self.trace_cause(t, &client, Expect::Delivered) {
            Some(c) => cause_first(&c, &text),
            None => text,
        });
        v.trace = Some(t.to_string());
        v.causes = vec!["dns".into()];
        Some(v)
    }

    /// NetworkPolicy alone (`decide`), for every source of each pair to every destination,
    /// on the check's port: each port of a range, a named port as each destination pod
    /// declares it. An outside CIDR stands for every address of it: one address of each
    /// range of addresses that policy treats alike (`Connectivity::outside`).
    fn policy(&self, pc: &check::Policy) -> Verdict {
        let protocol = pc.protocol;
        let ranges = pc.allow.iter().chain(&pc.deny).flat_map(|p| [&p.from, &p.to]);
        let cidrs = ranges.filter(|end| matches!(&end.value, PodSet::Outside(c) if c.prefix < 32)).count();
        // The ranges of outside addresses that policy treats alike, when a CIDR asks.
        let outside = if cidrs > 0 { self.cluster.policy.outside_ranges() } else { Vec::new() };
        let outside = &outside[..];
        let mut checked = 0;
        for (want, pairs) in [(true, &pc.allow), (false, &pc.deny)] {
            for pair in pairs {
                let sources = self.policy_ends(&pair.from, outside);
                let dests = self.policy_ends(&pair.to, outside);
                if sources.is_empty() || dests.is_empty() {
                    let empty = if sources.is_empty() { &pair.from } else { &pair.to };
                    return fail(format!("no pod matches {empty}"));
                }
                for &src in &sources {
                    for &dst in &dests {
                        if src == dst {
                            continue;
                        }
                        let ports = match self.policy_ports(&pc.port, dst, protocol) {
                            Ok(ports) => ports,
                            Err(why) => return fail(why),
                        };
                        for (port, count) in ports {
                            checked += count;
                            let connection = Connection { src, dst, port, protocol };
                            if let Some(v) = self.policy_verdict(&connection, want, &pc.port) {
                                return v;
                            }
                        }
                    }
                }
            }
        }
        pass(format!(
            "{} on {protocol}/{} {} as expected",
            match checked {
                1 => "the 1 connection".to_string(),
                n => format!("all {n} connections"),
            },
            pc.port,
            if checked == 1 { "is" } else { "are" }
        ))
    }

    /// The ends a policy pair's set stands for: its pods, or one address of each range of
    /// `outside` (ranges policy treats alike) that meets the CIDR.
    fn policy_ends(&self, set: &PodSet, outside: &[netsim::policy::connlist::AddressRange]) -> Vec<Endpoint> {
        match set {
            PodSet::Outside(cidr) if cidr.prefix == 32 => vec![Endpoint::Outside(cidr.addr)],
            PodSet::Outside(cidr) => {
                let (first, last) = (u32::from(cidr.network()), u32::from(cidr.network()) | !cidr.mask());
                outside
                    .iter()
                    .filter(|r| u32::from(r.first) <= last && u32::from(r.last) >= first)
                    .map(|r| Endpoint::Outside(Ipv4Addr::from(u32::from(r.first).max(first))))
                    .collect()
            }
            set => self
                .pod_set(set)
                .iter()
                .filter_map(|p| self.cluster.pod_index(p))
                .map(Endpoint::Pod)
                .collect(),
        }
    }

    /// The port numbers a policy check tries towards `dst`, each with how many ports it
    /// stands for: its number; for a range, the first port of each piece between the bounds
    /// of the policies' ports (NetworkPolicy decides every port of a piece alike, so the first
    /// port that fails is a piece's first); for a name, the destination pod's container port
    /// of that name.
    fn policy_ports(
        &self,
        port: &refs::PolicyPort,
        dst: Endpoint,
        protocol: netsim::Protocol,
    ) -> Result<Vec<(u16, u32)>, String> {
        let pod = match dst {
            Endpoint::Pod(i) => self.cluster.pods.get(i),
            Endpoint::Outside(_) => None,
        };
        let container_ports =
            || pod.iter().flat_map(|p| p.spec.containers.iter()).flat_map(|c| c.ports.iter());
        match port {
            refs::PolicyPort::Number(n) => Ok(vec![(*n, 1)]),
            refs::PolicyPort::Range(a, b) => {
                let (a, b) = (u32::from(*a), u32::from(*b));
                let mut cuts = vec![a, b + 1];
                let mut cut = |p: u32| {
                    if a < p && p <= b {
                        cuts.push(p);
                    }
                };
                let rules =
                    self.cluster.policy.policies().iter().flat_map(|p| p.ingress.iter().chain(&p.egress));
                for pp in rules.flat_map(|r| r.ports.iter()) {
                    if let Some(netsim::PortRef::Number(p)) = pp.port {
                        cut(u32::from(p));
                        cut(u32::from(pp.end_port.unwrap_or(p)) + 1);
                    }
                }
                // A rule's named port is the destination pod's container port of that name.
                for cp in container_ports() {
                    cut(u32::from(cp.container_port));
                    cut(u32::from(cp.container_port) + 1);
                }
                sorted::sort(&mut cuts);
                cuts.dedup();
                Ok(cuts.windows(2).filter_map(|w| Some((u16::try_from(w[0]).ok()?, w[1] - w[0]))).collect())
            }
            refs::PolicyPort::Name(name) => {
                let Some(pod) = pod else {
                    return Err(format!(
                        "port `{name}` names a container port: an address outside the cluster has none"
                    ));
                };
                container_ports()
                    .find(|cp| cp.name.as_deref() == Some(name.as_str()) && cp.protocol == protocol)
                    .map(|cp| vec![(cp.container_port, 1)])
                    .ok_or_else(|| {
                        format!(
                            "pod {}/{} declares no {protocol} container port named `{name}`",
                            pod.namespace, pod.name
                        )
                    })
            }
        }
    }

    /// `None` when NetworkPolicy decides `connection` as `want` says; else the failure, with
    /// the port that failed when the check names a range or a port name.
    fn policy_verdict(
        &self,
        connection: &Connection,
        want: bool,
        written: &refs::PolicyPort,
    ) -> Option<Verdict> {
        let enforced = self.cluster.topology.enforces_network_policy;
        let decision = self.cluster.policy.decide(connection);
        let allowed = decision.allowed || !enforced;
        if allowed == want {
            return None;
        }
        let (protocol, port) = (connection.protocol, connection.port);
        let which = match written {
            refs::PolicyPort::Number(_) => String::new(),
            refs::PolicyPort::Range(..) => format!("port {port} of {written}: "),
            refs::PolicyPort::Name(name) => format!("port {name} ({port} on {}): ", decision.ingress.who),
        };
        let text = format!(
            "{which}{} -> {} on {protocol}/{port} should be {}, but it is {}",
            decision.egress.who,
            decision.ingress.who,
            if want { "allowed" } else { "denied" },
            if allowed { "allowed" } else { "denied" },
        );
        let cause = if !enforced {
            Some("This cluster's network plugin does not enforce NetworkPolicy".to_string())
        } else if decision.to_itself {
            Some("A pod can always reach itself: NetworkPolicy cannot block it".to_string())
        } else {
            self.policy_sides_cause(&[&decision.egress, &decision.ingress], !allowed)
        };
        let mut v = fail(match cause {
            Some(c) => cause_first(&c, &text),
            None => text,
        });
        v.trace = Some(if enforced {
            decision.to_string()
        } else {
            "this cluster's network plugin does not enforce NetworkPolicy".into()
        });
        Some(v)
    }

    fn ingress(&self, ic: &check::Ingress) -> Verdict {
        let expect = &ic.expect.value;
        let scheme = if ic.https { netsim::Scheme::Https } else { netsim::Scheme::Http };
        let d = self.cluster.route_ingress(&ic.host, &ic.path, scheme);
        let url = format!("{}://{}{}", scheme.as_str(), ic.host, ic.path);
        let skipped: Vec<String> = d
            .skipped
            .iter()
            .map(|s| format!("{}/{}: {}", s.object.namespace, s.object.name, s.reason))
            .collect();
        let got: (String, Option<(String, String, u16)>) = if d.redirect.is_some() {
            ("a 308 redirect to HTTPS".into(), None)
        } else {
            // A canary that takes every request (the check's request has no header or
            // cookie) is where it goes; a smaller share is said.
            let all_canary = d.canary.as_ref().filter(|c| c.weight == c.total);
            let canary = d.canary.as_ref().map(|c| format!(" ({})", c.words())).unwrap_or_default();
            let ns_backend = match all_canary {
                Some(c) => Some((&c.ingress, &c.backend)),
                None => d.ingress().zip(d.backend()),
            };
            match ns_backend {
                Some((ing, b)) => match self.cluster.ingress_backend(&ing.namespace, b) {
                    Ok(rb) => (
                        format!(
                            "Ingress {}/{} sends it to Service {}/{} port {}{canary}",
                            ing.namespace,
                            ing.name,
                            rb.service.namespace(),
                            rb.service.name(),
                            rb.port,
                        ),
                        Some((rb.service.namespace().to_string(), rb.service.name().to_string(), rb.port)),
                    ),
                    Err(why) => (
                        format!(
                            "Ingress {}/{} picks a backend that fails: {why} (503)",
                            ing.namespace, ing.name
                        ),
                        None,
                    ),
                },
                _ => ("no Ingress rule matches: the controller answers 404".into(), None),
            }
        };
        let ok = match (expect, &got.1) {
            (IngressExpect::Redirect, _) => d.redirect.is_some(),
            (IngressExpect::None, None) => d.redirect.is_none() && d.backend().is_none(),
            (IngressExpect::None, Some(_)) => false,
            (IngressExpect::Service { namespace, name, port }, Some((ns, n, p))) => {
                ns == namespace && n == name && port.is_none_or(|want| want == *p)
            }
            (IngressExpect::Service { .. }, None) => false,
        };
        let path_ok = ic.upstream_path.as_ref().is_none_or(|p| *p == d.upstream_path);
        let mut text = format!("{url}: {}", got.0);
        if ok && path_ok {
            let Some(want) = &ic.tls_secret else { return pass(text) };
            // The certificate of the tls entry's Secret (in the Ingress's namespace), else the
            // controller's self-signed default one (as the trace of a request says).
            let secret =
                d.tls.as_ref().and_then(|t| Some(format!("{}/{}", t.ingress.namespace, t.secret.as_ref()?)));
            let got: Vec<String> = secret.into_iter().collect();
            return match certificate(Some(&got), &want.value, &text) {
                Ok(words) => pass(format!("{text}; {words}")),
                Err(why) => fail(format!("{text}, but {why}")),
            };
        }
        if !skipped.is_empty() && !ok {
            text.push_str(&format!("; not used: {}", skipped.join("; ")));
        }
        if ok {
            let want = ic.upstream_path.clone().unwrap_or_default();
            return fail(cause_first(
                &d.cause(),
                &format!("{text}, but the backend should receive path {want}"),
            ));
        }
        let cause = match expect {
            IngressExpect::Redirect => d.no_redirect_cause(),
            _ => None,
        };
        let cause = cause.unwrap_or_else(|| d.cause());
        fail(cause_first(&cause, &format!("expected {}, but {text}", ic.expect)))
    }

    /// Every parsed document of the learner's files and the cluster, with its file name.
    fn documents(&self) -> Vec<(String, manifest::yaml::Document)> {
        let mut out = Vec::new();
        for s in &self.sources {
            let mut sink = Vec::new();
            for doc in manifest::yaml::parse(&s.name, &s.text, &mut sink) {
                if !doc.broken {
                    out.push((s.name.clone(), doc));
                }
            }
        }
        out
    }

    fn object(&self, o: &ObjectCheck) -> Verdict {
        let namespace = o.namespace.as_deref().unwrap_or("default");
        let docs = self.documents();
        let candidates: Vec<&Node> = docs
            .iter()
            .map(|(_, d)| &d.root)
            .filter(|root| {
                identity(root).is_some_and(|(k, ns, n)| {
                    k == o.kind && ns == namespace && o.name.as_ref().is_none_or(|want| *want == n)
                })
            })
            .collect();
        let what = match &o.name {
            Some(n) => format!("{} {namespace}/{n}", o.kind),
            None => format!("{} {} in namespace {namespace}", article(&o.kind), o.kind),
        };
        let mut misses = Vec::new();
        for root in &candidates {
            let mut ok = true;
            for (path, want) in &o.fields {
                let values = field_values(root, &o.kind, path);
                let hit =
                    if want.0 == "*" { !values.is_empty() } else { values.iter().any(|v| v == &want.0) };
                if !hit {
                    ok = false;
                    let name = identity(root).map(|x| x.2).unwrap_or_default();
                    misses.push(match values.as_slice() {
                        [] => format!("{name} has no {path}"),
                        vs => format!("{name} has {path} = {}", vs.join(", ")),
                    });
                    break;
                }
            }
            if ok {
                let name = identity(root).map(|x| x.2).unwrap_or_default();
                return if o.exists {
                    pass(format!("{} {namespace}/{name} is as required", o.kind))
                } else {
                    fail(format!(
                        "{} {namespace}/{name} should not exist (with these values), but it does",
                        o.kind
                    ))
                };
            }
        }
        if !o.exists {
            let what = match &o.name {
                Some(n) => format!("{} {namespace}/{n}", o.kind),
                None => format!("{} in namespace {namespace}", o.kind),
            };
            let with = if o.fields.is_empty() { "" } else { " with these values" };
            return pass(format!("there is no {what}{with}"));
        }
        let wanted: Vec<String> = o.fields.iter().map(|(k, v)| format!("{k} = {}", v.0)).collect();
        if candidates.is_empty() {
            fail(format!("expected {what}, but there is none"))
        } else {
            fail(format!("expected {what} with {}, but {}", wanted.join(", "), misses.join("; ")))
        }
    }

    fn valid(&self, v: &ValidCheck) -> Verdict {
        let bad: Vec<&Diagnostic> = self
            .loaded
            .diagnostics
            .iter()
            .filter(|d| d.file != CLUSTER_FILE && (d.severity == Severity::Error || !v.warnings))
            .collect();
        if bad.is_empty() {
            return pass("the files load with no error".into());
        }
        let shown: Vec<String> = bad
            .iter()
            .take(3)
            .map(|d| {
                let text =
                    self.sources.iter().find(|s| s.name == d.file).map(|s| s.text.as_str()).unwrap_or("");
                let (line, col) = manifest::line_col(text, d.start);
                format!("{}:{line}:{col}: {}: {}", d.file, d.severity.as_str(), d.message)
            })
            .collect();
        let more = if bad.len() > 3 { format!(" (and {} more)", bad.len() - 3) } else { String::new() };
        fail(format!("{}{more}", shown.join("; ")))
    }

    fn unchanged(&self, u: &UnchangedCheck) -> Verdict {
        let namespace = u.namespace.as_deref().unwrap_or("default");
        let find = |files: &mut dyn Iterator<Item = (&str, &str)>| -> Option<Node> {
            for (name, text) in files {
                let mut sink = Vec::new();
                for doc in manifest::yaml::parse(name, text, &mut sink) {
                    if identity(&doc.root)
                        .is_some_and(|(k, ns, n)| k == u.kind && ns == namespace && n == u.name)
                    {
                        return Some(doc.root);
                    }
                }
            }
            None
        };
        let start = find(&mut self.exercise.files.iter().map(|f| (f.name.as_str(), f.text.as_str())));
        let now = find(&mut self.files.iter().map(|f| (f.name.as_str(), f.text.as_str())));
        let what = format!("{} {namespace}/{}", u.kind, u.name);
        match (start, now) {
            (_, None) => fail(format!("{what} is gone: put it back as it was")),
            (None, Some(_)) => pass(format!("{what} exists")),
            (Some(a), Some(b)) if same(&a, &b) => pass(format!("{what} is unchanged")),
            _ => fail(format!("{what} was changed: the exercise asks to leave it as it is")),
        }
    }

    fn env(&self, e: &check::Env) -> Verdict {
        let pods = self.pod_set(&e.pod);
        let Some(pod) = pods.first() else { return fail(format!("no pod matches {}", e.pod)) };
        let vars = self.cluster.service_env(pod);
        let has = |n: &str| vars.iter().any(|(k, _)| k == n);
        let missing: Vec<&str> = e.has.iter().map(String::as_str).filter(|n| !has(n)).collect();
        let extra: Vec<&str> = e.lacks.iter().map(String::as_str).filter(|n| has(n)).collect();
        let names: Vec<&str> =
            vars.iter().map(|(k, _)| k.as_str()).filter(|k| k.ends_with("_SERVICE_HOST")).collect();
        let seen = format!(
            "pod {}/{} gets {}",
            pod.namespace,
            pod.name,
            if names.is_empty() { "no Service variables".into() } else { names.join(", ") }
        );
        match (missing.is_empty(), extra.is_empty()) {
            (true, true) => pass(seen),
            (false, _) => fail(format!("{seen}, but not {}", missing.join(", "))),
            (_, false) => fail(format!("{seen}, including {}, which should not be there", extra.join(", "))),
        }
    }

    fn kube_proxy(&self, k: &check::KubeProxy) -> Verdict {
        let (seen, count, trace) = match self.chain_endpoints(k) {
            Ok(found) => found,
            Err(why) => return fail(why),
        };
        let mut v = if count == k.endpoints {
            pass(seen)
        } else {
            fail(format!("expected {}, but {seen}", netsim::counted(k.endpoints, "endpoint chain")))
        };
        v.trace = Some(trace).filter(|t| !t.is_empty());
        v
    }

    /// The nodes the cloud load balancer sends a Service port's traffic to after its health
    /// checks: `Cluster::load_balancer_nodes`, by which `send` forwards too.
    fn load_balancer(&self, l: &check::LoadBalancer) -> Verdict {
        let (ns, name, protocol) = (&l.service.namespace, &l.service.name, l.protocol);
        let Some(svc) = self.cluster.service(ns, name) else {
            return fail(self.no_service(ns, name));
        };
        if svc.spec.service_type != netsim::ServiceType::LoadBalancer {
            return fail(format!(
                "Service {ns}/{name} is of type {}: no cloud load balancer sends it traffic",
                svc.spec.service_type.as_str()
            ));
        }
        if svc.load_balancer_ip.is_none() {
            return fail(format!(
                "Service {ns}/{name} has no external IP (<pending>): no cloud provider made it a load balancer"
            ));
        }
        let port = l.port.or_else(|| svc.spec.ports.first().map(|p| p.port)).unwrap_or(80);
        let Some((_, sp, pe)) = svc.port(port, protocol) else {
            return fail(format!(
                "Service {ns}/{name} has no port {port}/{protocol}: the load balancer has no listener for it"
            ));
        };
        let nodes = self.cluster.load_balancer_nodes(svc, pe);
        let (got, why): (Vec<&str>, &str) = if sp.node_port.is_none() {
            (
                Vec::new(),
                "allocateLoadBalancerNodePorts: false left the port without a nodePort to forward to",
            )
        } else if svc.spec.external_traffic_policy == netsim::TrafficPolicy::Local {
            let why =
                "externalTrafficPolicy Local: only the nodes with a ready endpoint pass the health check";
            (nodes.iter().map(|n| n.name.as_str()).collect(), why)
        } else {
            let why = "externalTrafficPolicy Cluster: every node passes the health check and forwards to any endpoint";
            (nodes.iter().map(|n| n.name.as_str()).collect(), why)
        };
        let list = |nodes: &[&str]| if nodes.is_empty() { "no node".to_string() } else { nodes.join(", ") };
        let want: Vec<&str> = l.nodes.iter().map(|n| n.value.as_str()).collect();
        let same = got.len() == want.len() && want.iter().all(|w| got.contains(w));
        let seen = format!(
            "the load balancer of {ns}/{name} sends port {port}/{protocol} to {} ({why})",
            list(&got)
        );
        if same {
            pass(seen)
        } else {
            fail(format!("expected {}, but {seen}", list(&want)))
        }
    }

    fn answer(&self, a: &AnswerCheck) -> Verdict {
        let text = self.files.iter().find(|f| f.name == a.file).map(|f| f.text.as_str()).unwrap_or("");
        let mut sink = Vec::new();
        let docs = manifest::yaml::parse(&a.file, text, &mut sink);
        if a.set {
            return answer_set(a, docs.first().and_then(|d| d.root.get(&a.key)));
        }
        let value = docs
            .first()
            .and_then(|d| d.root.get(&a.key))
            .and_then(|n| n.as_scalar())
            .map(|s| s.text.trim().to_string());
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            return fail(format!("`{}` in {} has no answer yet", a.key, a.file));
        };
        let norm = |s: &str| s.trim().to_ascii_lowercase();
        if a.accept.iter().any(|ok| norm(&ok.0) == norm(&value)) {
            pass(format!("`{}: {value}` is right", a.key))
        } else {
            fail(format!("`{}: {value}` is not the answer", a.key))
        }
    }
}

/// An answer that is a set (`set: true`): the values of a YAML list, or of a scalar split at
/// commas, compared without case, order and repeats with `accept`. A failure says how many
/// of the values given are right and how many the answer has, not which.
fn answer_set(a: &AnswerCheck, node: Option<&Node>) -> Verdict {
    let norm = |s: &str| s.trim().to_ascii_lowercase();
    let mut given: Vec<String> = match node {
        Some(n) => match (n.as_seq(), n.as_scalar()) {
            (Some(items), _) => items.iter().filter_map(|i| i.as_scalar()).map(|s| norm(&s.text)).collect(),
            (None, Some(s)) => s.text.split(',').map(norm).collect(),
            (None, None) => Vec::new(),
        },
        None => Vec::new(),
    };
    given.retain(|g| !g.is_empty());
    sorted::sort(&mut given);
    given.dedup();
    if given.is_empty() {
        return fail(format!("`{}` in {} has no answer yet", a.key, a.file));
    }
    let mut want: Vec<String> = a.accept.iter().map(|v| norm(&v.0)).collect();
    sorted::sort(&mut want);
    want.dedup();
    let right = given.iter().filter(|g| want.contains(g)).count();
    let shown = format!("`{}: [{}]`", a.key, given.join(", "));
    if right == want.len() && given.len() == want.len() {
        return pass(format!("{shown} is right"));
    }
    let values = |n: usize| if n == 1 { "1 value".to_string() } else { format!("{n} values") };
    fail(format!(
        "{shown} is not the answer: {right} of the {} given {} right, and the answer has {}",
        values(given.len()),
        if right == 1 { "is" } else { "are" },
        values(want.len())
    ))
}

/// What `send_all` enumerated, in the plural: the nodes a cloud load balancer may pick,
/// the endpoints kube-proxy (or the ingress controller, which balances over a Service's
/// endpoints itself) may pick, the addresses a headless name may answer, or both.
/// Every trace is read: the load balancer's nodes may each leave kube-proxy a different
/// number of endpoints, and a count must name what it counts.
fn choices(traces: &[Trace]) -> String {
    if traces.is_empty() {
        return "requests".into();
    }
    let count = |action: Action| {
        let hops = traces.iter().flat_map(|t| t.hops.iter());
        hops.filter(|h| h.action == action).map(|h| h.candidates.len()).max().unwrap_or(0)
    };
    let nodes = count(Action::Forward) > 1;
    let picker = if count(Action::Route) > 1 {
        Some("endpoint the ingress controller may pick")
    } else if count(Action::Dnat) > 1 {
        Some("endpoint kube-proxy may pick")
    } else if count(Action::Resolve) > 1 {
        Some("address DNS may answer")
    } else {
        None
    };
    match (nodes, picker) {
        (true, Some(p)) => format!("paths: each node the load balancer may pick, then each {p}"),
        (true, None) => "nodes the load balancer may pick".into(),
        (false, Some(p)) => {
            let (word, rest) = p.split_once(' ').unwrap_or((p, ""));
            format!("{word}s {rest}")
        }
        (false, None) => "paths".into(),
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The values at a field path (`spec.ports[0].port`, `spec.ports[*].name`), with the API
/// server's defaults for the common fields when absent.
fn field_values(root: &Node, kind: &str, path: &str) -> Vec<String> {
    let mut nodes: Vec<&Node> = vec![root];
    let mut shape = String::new();
    for part in path.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((k, rest)) => (k, Some(rest.trim_end_matches(']'))),
            None => (part, None),
        };
        shape.push_str(if shape.is_empty() { "" } else { "." });
        shape.push_str(key);
        let mut next = Vec::new();
        for n in nodes {
            let Some(child) = n.get(key) else { continue };
            match index {
                None => next.push(child),
                Some(i) => {
                    shape.push_str("[]");
                    if let Some(items) = child.as_seq() {
                        match i {
                            "*" => next.extend(items.iter()),
                            i => next.extend(i.parse::<usize>().ok().and_then(|i| items.get(i))),
                        }
                    }
                }
            }
        }
        nodes = next;
    }
    let values: Vec<String> = nodes.iter().filter_map(|n| n.as_scalar().map(|s| s.text.clone())).collect();
    if !values.is_empty() {
        return values;
    }
    // Defaults the API server fills in.
    let default = match (kind, shape.replace("[][]", "[]").as_str()) {
        ("Service", "spec.type") => Some("ClusterIP"),
        ("Service", "spec.sessionAffinity") => Some("None"),
        ("Service", "spec.externalTrafficPolicy") => Some("Cluster"),
        ("Service", "spec.internalTrafficPolicy") => Some("Cluster"),
        (_, s) if s.ends_with("ports[].protocol") => Some("TCP"),
        _ => None,
    };
    default.map(|d| vec![d.to_string()]).unwrap_or_default()
}

/// Structural equality of two YAML trees (positions, comments and key order aside).
fn same(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Scalar(x), Value::Scalar(y)) => x.text == y.text && x.resolved == y.resolved,
        (Value::Seq(x), Value::Seq(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter().all(|e| {
                    let key = e.key.as_scalar().map(|s| s.text.as_str()).unwrap_or("");
                    b.get(key).is_some_and(|other| same(&e.value, other))
                })
        }
        _ => false,
    }
}
