//! The terminal: kubectl-style commands answered from the model, in kubectl's own formats.
//! Pure text in, text (and the trace of a request) out; the web terminal and tests use it.
//!
//! `kubectl get svc|pods|endpoints|endpointslices|ingress|networkpolicy|nodes [NAME]
//! [-n NS|-A] [-o wide|yaml]`, `kubectl config set-context --current --namespace=NS`, `kubectl describe svc|ingress|networkpolicy NAME [-n NS]`,
//! `kubectl exec [-n NS] POD -- curl|wget URL`, `kubectl exec POD -- nslookup NAME`,
//! `kubectl run NAME --image=IMAGE [--rm] [-it] [--restart=Never] [-n NS] [--labels=k=v]
//! -- curl|wget|nslookup ...` (a pod for one command), `kubectl node-shell NODE --
//! iptables-save [-t nat]`, `curl URL` and `nslookup NAME` from outside the cluster, and `help`.
//!
//! `-o yaml` prints the objects as the API server would return them, as the model sees them
//! (allocated addresses and ports, defaults filled in), through a small emitter of kubectl's
//! YAML style ([`yaml`]): the crate reads no YAML and depends on the model only.
//!
//! What lasts between commands (the namespace of kubeconfig's current context) is a
//! [`Session`] that the caller keeps and passes to every command.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::net::Ipv4Addr;

use netsim::build::{Cluster, ClusterNode, ClusterPod, ClusterService, ServiceEndpoint};
use netsim::dns::{DnsClient, DnsQuery, QueryType, Rcode, Record, Resolver};
use netsim::policy::describe_selector;
use netsim::scenario::{
    ClusterIpSpec, Container, DnsPolicy, Ingress, IngressBackend, LabelSelector, Labels, NetworkPolicy,
    PathType, PodSpec, PolicyPeer, PolicyRule, PolicyType, PortRef, SelectorOperator, ServiceType,
    SessionAffinity, TrafficPolicy,
};
use netsim::send::{Client, Request};
use netsim::trace::{Outcome, Trace};
use views::{labels_text, table, with_namespace, AGE};
use yaml::{Map, Yaml};

mod views;

pub use views::{describe_service, get_endpoint_slices, get_endpoints, get_pods, get_services};

/// The cluster seen through kubectl: every command's code reads the cluster through it.
#[derive(Clone, Copy)]
struct Kubectl<'a>(&'a Cluster);

impl std::ops::Deref for Kubectl<'_> {
    type Target = Cluster;
    fn deref(&self) -> &Cluster {
        self.0
    }
}

/// Runs one command line on `cluster` in `session` (which `kubectl config set-context`
/// changes).
pub fn run(cluster: &Cluster, session: &mut Session, line: &str) -> Answer {
    Kubectl(cluster).shell(session, line)
}

/// Words that may complete the last word of `line`: commands, kinds, flags, and the names of
/// pods (of the namespace the line or `session` names), Services, nodes and namespaces.
pub fn completions(cluster: &Cluster, session: &Session, line: &str) -> Vec<String> {
    Kubectl(cluster).completions(session, line)
}

/// Commands that answer in `cluster` from `session`, for the terminal's first line (see
/// [`intro`]); `client` is a pod's id, `pod/<ns>/<name>`, to send from.
pub fn suggestions(cluster: &Cluster, session: &Session, client: Option<&str>) -> Vec<String> {
    Kubectl(cluster).suggestions(session, client)
}

/// The terminal's first lines: where commands run, and [`suggestions`] one a line.
pub fn intro(cluster: &Cluster, session: &Session, client: Option<&str>) -> String {
    Kubectl(cluster).intro(session, client)
}

/// The client of `curl` and `nslookup` typed without `kubectl exec`: a laptop on the internet.
pub const OUTSIDE_CLIENT: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 10);

/// What `kubectl version` would call the server, as the nodes table prints it.
const KUBE_VERSION: &str = "v1.35.0";

/// The name of the one kubeconfig context, as `kubectl config` prints it.
pub const CONTEXT: &str = "switchboard";

/// The terminal's state between commands: the namespace of kubeconfig's current context,
/// used by every command that is not given `-n`. Kept by the caller, one per terminal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub namespace: String,
}

impl Session {
    pub fn new(namespace: impl Into<String>) -> Session {
        Session { namespace: namespace.into() }
    }
}

impl Default for Session {
    /// A kubeconfig context without a namespace: kubectl uses `default`.
    fn default() -> Session {
        Session::new("default")
    }
}

pub const HELP: &str = "\
Switchboard's terminal answers from the model of your cluster:

  kubectl get svc|pods|endpoints|endpointslices|ingress|networkpolicy|nodes [NAME] [-n NS | -A] [-o wide|yaml]
  kubectl describe svc|ingress|networkpolicy NAME [-n NS]
  kubectl exec [-n NS] POD -- curl URL        (also: wget -qO- URL)
  kubectl exec [-n NS] POD -- nslookup NAME
  kubectl run NAME --image=busybox [--rm] [-it] [--restart=Never] [-n NS] [--labels=k=v,...] -- wget -qO- URL
                                              (a new pod for one command: curl, wget or nslookup)
  kubectl node-shell NODE -- iptables-save -t nat
  kubectl config set-context --current --namespace=NS   (the namespace of later commands)
  kubectl config view --minify -o jsonpath='{..namespace}'  (which namespace that is)
  curl URL                                    (from a laptop on the internet, 198.51.100.10)
  nslookup NAME                               (the same laptop's resolver)
  clear, help

POD may be a pod name or deploy/NAME, ds/NAME... (its first pod). Commands act in the current
context's namespace (the terminal starts in the exercise's) unless -n says otherwise.
-o yaml shows what the cluster filled in: addresses, ports, defaults.
";

/// What a command printed, and the request it sent, if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub output: String,
    /// Whether the command succeeded (a failed request is still a successful command).
    pub ok: bool,
    pub trace: Option<Trace>,
}

fn ok(output: String) -> Answer {
    Answer { output, ok: true, trace: None }
}

fn err(output: impl Into<String>) -> Answer {
    Answer { output: output.into(), ok: false, trace: None }
}

/// Options common to kubectl commands, pulled out of the words.
struct Flags {
    namespace: Option<String>,
    all: bool,
    wide: bool,
    /// `-o yaml`.
    yaml: bool,
    output: Option<String>,
    rest: Vec<String>,
    /// Words after `--`.
    command: Vec<String>,
}

impl Flags {
    /// `-n`'s namespace, else the session's.
    fn namespace_in(&self, session: &Session) -> String {
        self.namespace.clone().unwrap_or_else(|| session.namespace.clone())
    }
}

fn flags(words: &[&str]) -> Result<Flags, String> {
    let mut f = Flags {
        namespace: None,
        all: false,
        wide: false,
        yaml: false,
        output: None,
        rest: Vec::new(),
        command: Vec::new(),
    };
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        match w {
            "--" => {
                f.command = words[i + 1..].iter().map(|s| s.to_string()).collect();
                break;
            }
            "-n" | "--namespace" => {
                i += 1;
                f.namespace =
                    Some(words.get(i).ok_or("error: flag needs an argument: 'n' in -n")?.to_string());
            }
            "-A" | "--all-namespaces" => f.all = true,
            "-o" | "--output" => {
                i += 1;
                f.output = Some(words.get(i).ok_or("error: flag needs an argument: 'o' in -o")?.to_string());
            }
            "-it" | "-i" | "-t" | "--stdin" | "--tty" => {}
            _ if w.starts_with("--namespace=") => f.namespace = Some(w["--namespace=".len()..].to_string()),
            // pflag's shorthand with its value attached: `-nradio`, `-n=radio`.
            _ if w.starts_with("-n") && !w.starts_with("--") => {
                let ns = w["-n".len()..].trim_start_matches('=');
                if ns.is_empty() {
                    return Err("error: flag needs an argument: 'n' in -n".into());
                }
                f.namespace = Some(ns.to_string())
            }
            _ if w.starts_with("-o") && w.len() > 2 => {
                f.output = Some(w.trim_start_matches("-o").trim_start_matches('=').to_string())
            }
            _ if w.starts_with("--output=") => f.output = Some(w["--output=".len()..].to_string()),
            _ if w.starts_with('-') => return Err(format!("error: unknown flag: {w}")),
            _ => f.rest.push(w.to_string()),
        }
        i += 1;
    }
    match f.output.as_deref() {
        None => {}
        Some("wide") => f.wide = true,
        Some("yaml") => f.yaml = true,
        Some(other) => {
            return Err(format!(
                "error: -o {other} is not available in this terminal (-o wide and -o yaml are)"
            ))
        }
    }
    Ok(f)
}

/// The kinds `kubectl get` knows here, by any of kubectl's names for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Resource {
    Services,
    Pods,
    Endpoints,
    EndpointSlices,
    Ingresses,
    NetworkPolicies,
    Nodes,
}

impl Resource {
    fn parse(word: &str) -> Option<Resource> {
        Some(match word {
            "svc" | "service" | "services" => Resource::Services,
            "po" | "pod" | "pods" => Resource::Pods,
            "ep" | "endpoints" => Resource::Endpoints,
            "endpointslice" | "endpointslices" => Resource::EndpointSlices,
            "ing" | "ingress" | "ingresses" => Resource::Ingresses,
            "netpol" | "networkpolicy" | "networkpolicies" => Resource::NetworkPolicies,
            "no" | "node" | "nodes" => Resource::Nodes,
            _ => return None,
        })
    }

    /// The resource's plural, as kubectl's errors name it.
    fn plural(self) -> &'static str {
        match self {
            Resource::Services => "services",
            Resource::Pods => "pods",
            Resource::Endpoints => "endpoints",
            Resource::EndpointSlices => "endpointslices",
            Resource::Ingresses => "ingresses",
            Resource::NetworkPolicies => "networkpolicies",
            Resource::Nodes => "nodes",
        }
    }
}

impl Kubectl<'_> {
    /// Runs one command line in `session` (which `kubectl config set-context` changes).
    fn shell(&self, session: &mut Session, line: &str) -> Answer {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            [] => ok(String::new()),
            ["help" | "?" | "--help"] | ["kubectl", "help"] => ok(HELP.to_string()),
            ["kubectl", "get", rest @ ..] => self.kubectl_get(session, rest),
            ["kubectl", "describe", rest @ ..] => self.kubectl_describe(session, rest),
            ["kubectl", "exec", rest @ ..] => self.kubectl_exec(session, rest),
            ["kubectl", "node-shell", rest @ ..] => self.node_shell(rest),
            ["kubectl", "run", rest @ ..] => self.kubectl_run(session, rest),
            ["kubectl", "config", rest @ ..] => kubectl_config(session, rest),
            ["kubectl", other, ..] => {
                err(format!("error: unknown command \"{other}\" for \"kubectl\" (try help)"))
            }
            ["kubectl"] => ok(HELP.to_string()),
            ["curl" | "wget", args @ ..] => {
                self.fetch(Client::Outside(OUTSIDE_CLIENT), words[0], args, "your laptop (198.51.100.10)")
            }
            ["nslookup", name, ..] => self.nslookup_outside(name),
            ["iptables-save", ..] => {
                err("iptables-save runs on a node: kubectl node-shell node-1 -- iptables-save -t nat")
            }
            [other, ..] => err(format!("{other}: command not found (try help)")),
        }
    }

    fn kubectl_get(&self, session: &Session, words: &[&str]) -> Answer {
        let f = match flags(words) {
            Ok(f) => f,
            Err(e) => return err(e),
        };
        let Some(kind) = f.rest.first() else {
            return err("You must specify the type of resource to get. Try: kubectl get svc");
        };
        let ns = if f.all { None } else { Some(f.namespace_in(session)) };
        let ns = ns.as_deref();
        let Some(resource) = Resource::parse(kind) else {
            return err(format!("error: the server doesn't have a resource type \"{kind}\""));
        };
        if f.yaml {
            return self.get_yaml(resource, f.rest.get(1).map(String::as_str), ns);
        }
        let text = match resource {
            Resource::Services => self.services_table(ns, f.wide),
            Resource::Pods => self.pods_table(ns, f.wide),
            Resource::Endpoints => self.get_endpoints(ns),
            Resource::EndpointSlices => self.get_endpoint_slices(ns),
            Resource::Ingresses => self.ingress_table(ns),
            Resource::NetworkPolicies => self.netpol_table(ns),
            Resource::Nodes => self.nodes_table(f.wide),
        };
        let kind_name = resource.plural();
        let all = ns.is_none();
        let mut lines = text.lines();
        let header = lines.next().unwrap_or("").to_string();
        let mut rows: Vec<&str> = lines.collect();
        if let Some(name) = f.rest.get(1) {
            let col = usize::from(all && resource != Resource::Nodes);
            rows.retain(|r| r.split_whitespace().nth(col) == Some(name.as_str()));
            if rows.is_empty() {
                return err(format!("Error from server (NotFound): {kind_name} \"{name}\" not found"));
            }
        }
        if rows.is_empty() {
            return ok(match ns {
                Some(n) => format!("No resources found in {n} namespace.\n"),
                None => "No resources found\n".to_string(),
            });
        }
        let mut out = header;
        out.push('\n');
        for r in rows {
            out.push_str(r);
            out.push('\n');
        }
        ok(out)
    }

    fn services_table(&self, ns: Option<&str>, wide: bool) -> String {
        let text = self.get_services(ns);
        if wide {
            return text;
        }
        // Without -o wide kubectl leaves out SELECTOR, the last column.
        let cut = text.lines().next().and_then(|h| h.find("SELECTOR"));
        match cut {
            Some(at) => text.lines().map(|l| format!("{}\n", l.get(..at).unwrap_or(l).trim_end())).collect(),
            None => text,
        }
    }

    fn pods_table(&self, ns: Option<&str>, wide: bool) -> String {
        let text = self.get_pods(ns);
        if wide {
            return text;
        }
        let cut = text.lines().next().and_then(|h| h.find("IP "));
        match cut {
            Some(at) => text.lines().map(|l| format!("{}\n", l.get(..at).unwrap_or(l).trim_end())).collect(),
            None => text,
        }
    }

    fn ingress_table(&self, ns: Option<&str>) -> String {
        let all = ns.is_none();
        let address = self
            .ingress_controller_service()
            .and_then(|s| s.load_balancer_ip)
            .map(|ip| ip.to_string())
            .unwrap_or_default();
        let rows = self
            .ingresses
            .iter()
            .filter(|i| ns.is_none_or(|n| i.namespace == n))
            .map(|i| {
                let hosts: Vec<&str> = i.rules.iter().map(|r| r.host.as_deref().unwrap_or("*")).collect();
                let ports = if i.tls.is_empty() { "80" } else { "80, 443" };
                let served = netsim::ingress::served_by_controller(i, &self.ingress_classes).is_ok();
                with_namespace(
                    all,
                    &i.namespace,
                    vec![
                        i.name.clone(),
                        i.class_name.clone().unwrap_or_else(|| "<none>".into()),
                        if hosts.is_empty() { "*".into() } else { hosts.join(",") },
                        if served { address.clone() } else { String::new() },
                        ports.into(),
                        AGE.into(),
                    ],
                )
            })
            .collect();
        let mut header = vec!["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"];
        if all {
            header.insert(0, "NAMESPACE");
        }
        table(&header, rows)
    }

    fn netpol_table(&self, ns: Option<&str>) -> String {
        let all = ns.is_none();
        let rows = self
            .network_policies()
            .iter()
            .filter(|p| ns.is_none_or(|n| p.namespace == n))
            .map(|p| {
                let sel = describe_selector(&p.pod_selector);
                let sel = if sel.is_empty() { "<none>".to_string() } else { sel };
                with_namespace(all, &p.namespace, vec![p.name.clone(), sel, AGE.into()])
            })
            .collect();
        let mut header = vec!["NAME", "POD-SELECTOR", "AGE"];
        if all {
            header.insert(0, "NAMESPACE");
        }
        table(&header, rows)
    }

    fn nodes_table(&self, wide: bool) -> String {
        let rows = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let role = if i == 0 { "control-plane" } else { "<none>" };
                let mut row =
                    vec![n.name.clone(), "Ready".into(), role.into(), AGE.into(), KUBE_VERSION.into()];
                if wide {
                    row.push(n.ip.to_string());
                    row.push("<none>".into());
                }
                row
            })
            .collect();
        let mut header = vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"];
        if wide {
            header.extend(["INTERNAL-IP", "EXTERNAL-IP"]);
        }
        table(&header, rows)
    }

    fn kubectl_describe(&self, session: &Session, words: &[&str]) -> Answer {
        let f = match flags(words) {
            Ok(f) => f,
            Err(e) => return err(e),
        };
        let ns = f.namespace_in(session);
        let (Some(kind), Some(name)) = (f.rest.first(), f.rest.get(1)) else {
            return err("error: say what to describe: kubectl describe svc NAME");
        };
        let found = match kind.as_str() {
            "svc" | "service" | "services" => self.describe_service(&ns, name),
            "ing" | "ingress" | "ingresses" => self.describe_ingress(&ns, name),
            "netpol" | "networkpolicy" | "networkpolicies" => self
                .network_policies()
                .iter()
                .find(|p| p.namespace == ns && p.name == *name)
                .map(describe_network_policy),
            other => return err(format!("error: the server doesn't have a resource type \"{other}\"")),
        };
        match found {
            Some(text) => ok(text),
            None => err(format!("Error from server (NotFound): {kind} \"{name}\" not found")),
        }
    }

    fn describe_ingress(&self, ns: &str, name: &str) -> Option<String> {
        let i = self.ingresses.iter().find(|i| i.namespace == ns && i.name == name)?;
        let served = netsim::ingress::served_by_controller(i, &self.ingress_classes);
        let address = match &served {
            Ok(()) => self
                .ingress_controller_service()
                .and_then(|s| s.load_balancer_ip)
                .map(|ip| ip.to_string())
                .unwrap_or_default(),
            Err(_) => String::new(),
        };
        let backend = |b: &IngressBackend| match b {
            IngressBackend::Service { name, port } => {
                let port_text = match port {
                    PortRef::Number(n) => n.to_string(),
                    PortRef::Name(n) => n.clone(),
                };
                let eps = self
                    .ingress_backend(ns, b)
                    .ok()
                    .and_then(|rb| rb.service.ports.get(rb.index))
                    .map(|pe| {
                        pe.routable().iter().map(|e| format!("{}:{}", e.ip, e.port)).collect::<Vec<_>>()
                    })
                    .unwrap_or_default();
                let eps =
                    if eps.is_empty() { "<error: endpoints not found>".to_string() } else { eps.join(",") };
                format!("{name}:{port_text} ({eps})")
            }
            IngressBackend::Resource { kind, name } => {
                format!("{kind}/{name} (resource backends are not modelled)")
            }
        };
        let mut out = String::new();
        let _ = writeln!(out, "Name:             {}", i.name);
        let _ = writeln!(out, "Labels:           <none>");
        let _ = writeln!(out, "Namespace:        {}", i.namespace);
        let _ = writeln!(out, "Address:          {address}");
        let _ = writeln!(out, "Ingress Class:    {}", i.class_name.as_deref().unwrap_or("<none>"));
        let _ = writeln!(
            out,
            "Default backend:  {}",
            i.default_backend.as_ref().map_or("<default>".to_string(), backend)
        );
        if !i.tls.is_empty() {
            let _ = writeln!(out, "TLS:");
            for t in &i.tls {
                let _ = writeln!(
                    out,
                    "  {} terminates {}",
                    t.secret_name.as_deref().unwrap_or("<default>"),
                    t.hosts.join(",")
                );
            }
        }
        let _ = writeln!(out, "Rules:");
        let _ = writeln!(out, "  Host        Path  Backends");
        let _ = writeln!(out, "  ----        ----  --------");
        for r in &i.rules {
            let _ = writeln!(out, "  {}", r.host.as_deref().unwrap_or("*"));
            for p in &r.paths {
                let _ = writeln!(
                    out,
                    "              {}   {}",
                    p.path.as_deref().unwrap_or("/"),
                    backend(&p.backend)
                );
            }
        }
        let _ = writeln!(out, "Annotations:      {}", labels_text(&i.annotations));
        match served {
            Ok(()) => {
                let _ = writeln!(out, "Events:           <none>");
            }
            Err(why) => {
                let _ = writeln!(out, "Events:           <none> (no controller serves it: {why})");
            }
        }
        Some(out)
    }

    /// Resolves `POD` (a pod name or `deploy/NAME`, `statefulset/NAME`...) in `ns`.
    fn exec_pod(&self, ns: &str, name: &str) -> Result<Client, String> {
        let bare = name.split_once('/').map_or(name, |(_, n)| n);
        self.pod_or_replica(ns, bare)
            .map(|p| Client::pod(&p.namespace, &p.name))
            .ok_or_else(|| format!("Error from server (NotFound): pods \"{bare}\" not found"))
    }

    fn kubectl_exec(&self, session: &Session, words: &[&str]) -> Answer {
        let f = match flags(words) {
            Ok(f) => f,
            Err(e) => return err(e),
        };
        let ns = f.namespace_in(session);
        let Some(pod) = f.rest.first() else {
            return err("error: kubectl exec needs a pod: kubectl exec POD -- curl http://web");
        };
        let client = match self.exec_pod(&ns, pod) {
            Ok(c) => c,
            Err(e) => return err(e),
        };
        let Client::Pod { name, .. } = &client else { return err("not a pod") };
        let cmd: Vec<&str> = f.command.iter().map(String::as_str).collect();
        if cmd.is_empty() {
            return err("error: say what to run after --: kubectl exec POD -- curl http://web");
        }
        self.in_pod(&ns, name, &cmd).0
    }

    /// Runs `cmd` in pod `ns/name`, as `kubectl exec` and `kubectl run` do: its answer, and
    /// whether it would exit 0 (a request that fails, an NXDOMAIN).
    fn in_pod(&self, ns: &str, name: &str, cmd: &[&str]) -> (Answer, bool) {
        if let Err(e) = runnable(cmd) {
            return (err(e), false);
        }
        match cmd {
            ["curl" | "wget", args @ ..] => {
                let answer = self.fetch(Client::pod(ns, name), cmd[0], args, &format!("pod {ns}/{name}"));
                let exit_zero = answer.trace.as_ref().is_some_and(|t| t.outcome.is_success());
                (answer, exit_zero)
            }
            ["nslookup", target, ..] => {
                let answer = self.dns(&DnsQuery {
                    from: DnsClient::Pod { namespace: ns.into(), name: name.into() },
                    name: (*target).into(),
                    qtype: QueryType::A,
                });
                (ok(nslookup_text(target, &answer)), answer.rcode == Rcode::NoError)
            }
            _ => (err("error: say what to run after --"), false),
        }
    }

    /// `curl`/`wget` from `client`: the request's outcome in the tool's own words, with its trace.
    fn fetch(&self, client: Client, tool: &str, args: &[&str], who: &str) -> Answer {
        let url = args.iter().rev().find(|a| !a.starts_with('-')).copied();
        let Some(url) = url.filter(|u| *u != "-") else {
            return err(format!("{tool}: no URL specified"));
        };
        let trace = self.send(&Request::new(client, url));
        let host = url.split_once("://").map_or(url, |(_, r)| r).split(['/', ':']).next().unwrap_or(url);
        let dst = trace.hops.iter().find(|h| h.action == netsim::trace::Action::Send).map(|h| h.before.dst);
        let at = dst.map(|d| d.to_string()).unwrap_or_default();
        let curl = tool == "curl";
        let text = match &trace.outcome {
            Outcome::Delivered { pod, ip, port } => format!(
                "HTTP/1.1 200 OK\n(answered by pod {pod} at {ip}:{port}; the model does not run the app, so there is no page body)"
            ),
            Outcome::ReachedNode { node, port } => format!("HTTP/1.1 200 OK\n(a process on {node} answered on port {port})"),
            Outcome::HttpStatus { code, reason } => format!("HTTP/1.1 {code} {reason}"),
            Outcome::ExternalName { target, ip } => format!("(left the cluster for {target} at {ip}: the internet is not modelled)"),
            Outcome::LeftCluster { ip, port } => format!("(left the cluster for {ip}:{port}: the internet is not modelled)"),
            Outcome::NameNotFound { .. } if curl => format!("curl: (6) Could not resolve host: {host}"),
            Outcome::NameNotFound { .. } => format!("wget: bad address '{host}'"),
            Outcome::Refused { .. } | Outcome::NoEndpoints { .. } if curl => {
                format!("curl: (7) Failed to connect to {host} port {}: Connection refused", dst.map_or(0, |d| d.port()))
            }
            Outcome::Refused { .. } | Outcome::NoEndpoints { .. } => format!("wget: can't connect to remote host ({at}): Connection refused"),
            Outcome::Dropped { .. } if curl => "curl: (28) Connection timed out after 10002 milliseconds".to_string(),
            Outcome::Dropped { .. } => "wget: download timed out".to_string(),
            Outcome::NoRoute { reason } if curl => format!("curl: (7) Failed to connect to {host}: No route to host ({reason})"),
            Outcome::NoRoute { reason } => format!("wget: can't connect to remote host: No route to host ({reason})"),
        };
        let output = format!("{text}\n\n# {who} -> {url}: {}\n{trace}\n", trace.outcome);
        Answer { output, ok: true, trace: Some(trace) }
    }

    fn nslookup_outside(&self, name: &str) -> Answer {
        ok(nslookup_text(name, &self.resolve_outside(name, QueryType::A, None)))
    }

    fn node_shell(&self, words: &[&str]) -> Answer {
        let f = match flags(words) {
            Ok(f) => f,
            Err(e) => return err(e),
        };
        let Some(node) = f.rest.first() else {
            return err("error: kubectl node-shell NODE -- iptables-save -t nat");
        };
        match f.command.first().map(String::as_str) {
            Some("iptables-save") => match self.iptables_save(node) {
                Some(text) => ok(text),
                None => err(format!("Error from server (NotFound): nodes \"{node}\" not found")),
            },
            Some(other) => err(format!("{other}: not available on the node (iptables-save is)")),
            None => err("error: say what to run after --: kubectl node-shell node-1 -- iptables-save -t nat"),
        }
    }

    /// Words that may complete the last word of `line`: commands, kinds, flags, and the
    /// names of pods (of the namespace the line or `session` names), Services, nodes and
    /// namespaces.
    fn completions(&self, session: &Session, line: &str) -> Vec<String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let typing =
            if line.ends_with(' ') || words.is_empty() { "" } else { words.last().copied().unwrap_or("") };
        let before: Vec<&str> =
            if typing.is_empty() { words.clone() } else { words[..words.len() - 1].to_vec() };
        let mut pool: Vec<String> = match before.as_slice() {
            [] => ["kubectl", "curl", "nslookup", "help", "clear"].map(String::from).to_vec(),
            ["kubectl"] => {
                ["get", "describe", "exec", "run", "node-shell", "config"].map(String::from).to_vec()
            }
            ["kubectl", "config"] => {
                ["set-context", "current-context", "get-contexts", "view"].map(String::from).to_vec()
            }
            ["kubectl", "config", "set-context"] => vec!["--current".to_string()],
            ["kubectl", "config", "set-context", "--current"] => vec!["--namespace".to_string()],
            ["kubectl", "get"] => {
                ["svc", "pods", "endpoints", "endpointslices", "ingress", "networkpolicy", "nodes"]
                    .map(String::from)
                    .to_vec()
            }
            ["kubectl", "describe"] => ["svc", "ingress", "networkpolicy"].map(String::from).to_vec(),
            [.., "-n" | "--namespace"] => self.namespaces.iter().map(|n| n.name.clone()).collect(),
            [.., "-o" | "--output"] => ["wide", "yaml"].map(String::from).to_vec(),
            ["kubectl", "node-shell"] => self.nodes.iter().map(|n| n.name.clone()).collect(),
            ["kubectl", "exec", ..] if !before.contains(&"--") => {
                let ns = flags(&before[2..]).ok().and_then(|f| f.namespace);
                let ns = ns.as_deref().unwrap_or(&session.namespace);
                let mut v: Vec<String> =
                    self.pods.iter().filter(|p| p.namespace == ns).map(|p| p.name.clone()).collect();
                v.push("--".into());
                v
            }
            // A name for the new pod: any free one will do.
            ["kubectl", "run"] => vec!["tmp".to_string()],
            ["kubectl", "run", _, ..] if !before.contains(&"--") => {
                ["--image=busybox", "--rm", "-it", "--restart=Never", "--labels=", "-n", "--"]
                    .map(String::from)
                    .to_vec()
            }
            [.., "--"] => ["curl", "wget", "nslookup", "iptables-save"].map(String::from).to_vec(),
            ["kubectl", "describe" | "get", "svc" | "service" | "services", ..] => {
                self.services.iter().map(|s| s.name().to_string()).collect()
            }
            _ => {
                let mut v: Vec<String> =
                    self.services.iter().map(|s| format!("http://{}", s.name())).collect();
                v.extend(["-n", "-A", "-o", "wide", "yaml"].map(String::from));
                v
            }
        };
        sorted::sort(&mut pool);
        pool.dedup();
        pool.retain(|w| w.starts_with(typing) && w != typing);
        pool
    }

    /// Commands that answer in this cluster from `session`, for the terminal's first line:
    /// the endpoints of a Service (of the session's namespace when it has one), then a
    /// request from a real pod to a real port of that Service: from `client` (a pod's id,
    /// `pod/<ns>/<name>`) when it names one, else from a pod the Service does not select
    /// when there is one (so the request goes through it). A DNS question when the Service
    /// has no TCP port, or from any pod when there is no Service.
    fn suggestions(&self, session: &Session, client: Option<&str>) -> Vec<String> {
        let ns = session.namespace.as_str();
        let in_ns = |other: &str| if other == ns { String::new() } else { format!(" -n {other}") };
        let selects = |s: &ClusterService, p: &ClusterPod| {
            s.namespace() == p.namespace
                && s.spec
                    .selector
                    .as_ref()
                    .is_some_and(|sel| sel.iter().all(|(k, v)| p.spec.labels.get(k) == Some(v)))
        };
        let clients = || self.pods.iter().filter(|p| !p.built_in && p.ip.is_some());
        let given = client.and_then(|id| clients().find(|p| p.id() == id));
        let service = self.services.iter().filter(|s| !s.built_in).min_by_key(|s| {
            (
                s.namespace() != ns,
                given.is_some_and(|p| selects(s, p)),
                s.spec.service_type == ServiceType::ExternalName,
                tcp_port(s).is_none(),
            )
        });
        let client = given.or_else(|| {
            clients().min_by_key(|p| (p.namespace != ns, service.is_some_and(|s| selects(s, p))))
        });
        let mut out = Vec::new();
        match service {
            Some(s) => out.push(format!("kubectl get endpoints{}", in_ns(s.namespace()))),
            None if self.pods.iter().any(|p| !p.built_in && p.namespace == ns) => {
                out.push("kubectl get pods".to_string())
            }
            None => out.push("kubectl get pods -A".to_string()),
        }
        let Some(pod) = client else { return out };
        // A workload by kubectl's short name: its pods' names change with their template
        // (a StatefulSet's `NAME-0` does not). kubectl exec takes TYPE/NAME of any object with
        // a pod selector: https://kubernetes.io/docs/reference/kubectl/generated/kubectl_exec/
        let short = |kind: &str| match kind {
            "Deployment" => Some("deploy"),
            "ReplicaSet" => Some("rs"),
            "DaemonSet" => Some("ds"),
            "ReplicationController" => Some("rc"),
            "Job" => Some("job"),
            _ => None,
        };
        let target = match pod.owner.as_ref().and_then(|o| Some((short(o.kind)?, &o.name))) {
            Some((kind, name)) => format!("{kind}/{name}"),
            None => pod.name.clone(),
        };
        let exec = format!("kubectl exec{} {target} --", in_ns(&pod.namespace));
        let command = match service {
            Some(s) => {
                let host = if s.namespace() == pod.namespace {
                    s.name().to_string()
                } else {
                    format!("{}.{}", s.name(), s.namespace())
                };
                match tcp_port(s) {
                    Some(port) => format!("curl http://{host}:{port}"),
                    None => format!("nslookup {host}"),
                }
            }
            None => "nslookup kubernetes.default".to_string(),
        };
        out.push(format!("{exec} {command}"));
        out
    }

    /// The terminal's first lines: where commands run, and [`suggestions`] one a
    /// line (the terminal does not wrap lines, so tables stay tables).
    fn intro(&self, session: &Session, client: Option<&str>) -> String {
        let mut out = format!(
            "Ask the cluster as you would a real one; commands run in namespace {}. Try:\n",
            session.namespace
        );
        for line in self.suggestions(session, client).iter().map(String::as_str).chain(["help"]) {
            let _ = writeln!(out, "  {line}");
        }
        out
    }
}

/// `kubectl config`: the one context, [`CONTEXT`], whose namespace is the session's.
/// `set-context --current --namespace NS` changes it (kubectl checks nothing against the
/// cluster: a namespace that does not exist just has no resources), `current-context`,
/// `get-contexts` and `view --minify -o jsonpath='{..namespace}'` read it.
/// https://kubernetes.io/docs/reference/kubectl/generated/kubectl_config/kubectl_config_set-context/
/// (the "Context %q modified." line: kubectl's pkg/cmd/config/create_context.go)
fn kubectl_config(session: &mut Session, words: &[&str]) -> Answer {
    match words {
        ["set-context", rest @ ..] => set_context(session, rest),
        ["current-context"] => ok(format!("{CONTEXT}\n")),
        ["get-contexts", ..] => ok(table(
            &["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"],
            vec![["*", CONTEXT, CONTEXT, CONTEXT, &session.namespace].map(String::from).to_vec()],
        )),
        ["view", rest @ ..] => {
            let output = rest.iter().enumerate().find_map(|(i, w)| match *w {
                "-o" | "--output" => rest.get(i + 1).copied(),
                _ => w.strip_prefix("--output=").or_else(|| w.strip_prefix("-o")).filter(|o| !o.is_empty()),
            });
            let output = output.map(|o| o.trim_start_matches('=').replace(['\'', '"'], ""));
            match output.as_deref() {
                Some("jsonpath={..namespace}" | "jsonpath={.contexts[0].context.namespace}") => {
                    ok(session.namespace.clone())
                }
                _ => err("error: this terminal prints only the namespace: kubectl config view --minify -o jsonpath='{..namespace}'"),
            }
        }
        [other, ..] => err(format!(
            "error: kubectl config {other} is not available in this terminal (set-context --current --namespace=NS, current-context, get-contexts and view are)"
        )),
        [] => err("error: kubectl config set-context --current --namespace=NS changes the namespace of later commands"),
    }
}

fn set_context(session: &mut Session, words: &[&str]) -> Answer {
    let mut current = false;
    let mut namespace = None;
    let mut name = None;
    let mut i = 0;
    while let Some(&w) = words.get(i) {
        match w {
            "--current" => current = true,
            "--namespace" => {
                i += 1;
                match words.get(i) {
                    Some(ns) => namespace = Some(ns.to_string()),
                    None => return err("error: flag needs an argument: --namespace"),
                }
            }
            _ if w.starts_with("--namespace=") => namespace = Some(w["--namespace=".len()..].to_string()),
            _ if w.starts_with('-') => {
                return err(format!(
                    "error: {w} is not available in this terminal: kubectl config set-context --current --namespace=NS"
                ))
            }
            _ => name = Some(w),
        }
        i += 1;
    }
    match (current, name) {
        (false, None) => return err("error: you must specify a non-empty context name or --current"),
        (true, Some(_)) => return err("error: you cannot specify both a context name and --current"),
        (false, Some(n)) if n != CONTEXT => {
            return err(format!(
                "error: this terminal has one context, {CONTEXT}: kubectl config set-context --current --namespace=NS"
            ))
        }
        _ => {}
    }
    if let Some(ns) = namespace {
        session.namespace = if ns.is_empty() { "default".into() } else { ns };
    }
    ok(format!("Context \"{CONTEXT}\" modified.\n"))
}

/// The first TCP port of a Service (what `curl` can ask).
fn tcp_port(s: &ClusterService) -> Option<u16> {
    s.spec.ports.iter().find(|p| p.protocol == netsim::scenario::Protocol::Tcp).map(|p| p.port)
}

/// The answer to `kubectl run` without `--`: kubectl would start the image's own command (a
/// shell for busybox) and attach to it; this terminal runs one command per pod.
const ONE_SHOT: &str = "error: this terminal has no interactive shell: kubectl run here runs one command in a new pod. \
Put the command after --, e.g. kubectl run tmp --image=busybox --rm -it --restart=Never -- wget -qO- http://web \
(curl, wget and nslookup run)";

/// `kubectl run`'s own flags; `-n` and `--` are left in `rest` for [`flags`].
/// https://kubernetes.io/docs/reference/kubectl/generated/kubectl_run/
struct RunFlags {
    image: Option<String>,
    rm: bool,
    stdin: bool,
    tty: bool,
    /// `--attach`, which defaults to `-i`.
    attach: Option<bool>,
    /// `--restart`: `Always` (kubectl's default), `OnFailure` or `Never`.
    restart: String,
    labels: Option<String>,
    quiet: bool,
    rest: Vec<String>,
}

fn run_flags(words: &[&str]) -> Result<RunFlags, String> {
    let mut r = RunFlags {
        image: None,
        rm: false,
        stdin: false,
        tty: false,
        attach: None,
        restart: "Always".into(),
        labels: None,
        quiet: false,
        rest: Vec::new(),
    };
    let mut i = 0;
    while let Some(&w) = words.get(i) {
        if w == "--" {
            r.rest.extend(words[i..].iter().map(|s| s.to_string()));
            break;
        }
        let (flag, inline) = match w.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v)),
            _ => (w, None),
        };
        match flag {
            "--image" | "--restart" | "-l" | "--labels" => {
                let value = match inline {
                    Some(v) => v.to_string(),
                    None => {
                        i += 1;
                        words
                            .get(i)
                            .ok_or_else(|| format!("error: flag needs an argument: {flag}"))?
                            .to_string()
                    }
                };
                match flag {
                    "--image" => r.image = Some(value),
                    "--restart" => r.restart = value,
                    _ => r.labels = Some(value),
                }
            }
            "--rm" => r.rm = boolean(flag, inline)?,
            "-i" | "--stdin" => r.stdin = boolean(flag, inline)?,
            "-t" | "--tty" => r.tty = boolean(flag, inline)?,
            "-it" | "-ti" => {
                r.stdin = true;
                r.tty = true;
            }
            "--attach" => r.attach = Some(boolean(flag, inline)?),
            "-q" | "--quiet" => r.quiet = boolean(flag, inline)?,
            // Whether the words after `--` become `command` or `args`: here they are what runs.
            "--command" => {}
            _ => r.rest.push(w.to_string()),
        }
        i += 1;
    }
    Ok(r)
}

/// A boolean flag, bare or `=true`/`=false`, as pflag reads it.
fn boolean(flag: &str, value: Option<&str>) -> Result<bool, String> {
    match value {
        None | Some("true") => Ok(true),
        Some("false") => Ok(false),
        Some(v) => Err(format!(
            "error: invalid argument \"{v}\" for \"{flag}\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax"
        )),
    }
}

/// `--labels=k=v,...` as kubectl's `parseLabels` reads it.
fn parse_labels(text: &str) -> Result<Labels, String> {
    let mut labels = Labels::new();
    if text.is_empty() {
        return Ok(labels);
    }
    for spec in text.split(',') {
        let parts: Vec<&str> = spec.split('=').collect();
        let [key, value] = parts.as_slice() else {
            return Err(format!("error: unexpected label spec: {spec}"));
        };
        if key.is_empty() {
            return Err("error: unexpected empty label key".into());
        }
        labels.insert(key.to_string(), value.to_string());
    }
    Ok(labels)
}

/// The commands a pod can run here; an error in `kubectl exec`'s words otherwise.
fn runnable(cmd: &[&str]) -> Result<(), String> {
    match cmd {
        ["curl" | "wget", ..] | ["nslookup", _, ..] => Ok(()),
        [] => Err("error: say what to run after --".into()),
        ["nslookup"] => Err("nslookup: say which name to look up, e.g. nslookup web".into()),
        [other, ..] => {
            Err(format!("exec: \"{other}\": not available in this terminal (curl, wget and nslookup are)"))
        }
    }
}

/// The API server's checks of the pod name (a DNS-1123 subdomain) and of the container name
/// that `kubectl run` derives from it (a DNS-1123 label), in its words.
fn invalid_pod_name(name: &str) -> Option<String> {
    let label = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if name.len() > 253 || !name.split('.').all(label) {
        return Some(format!(
            "The Pod \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        ));
    }
    if !label(name) {
        return Some(format!(
            "The Pod \"{name}\" is invalid: spec.containers[0].name: Invalid value: \"{name}\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
        ));
    }
    None
}

/// The lowest free address of `node`'s pod CIDR from `.2` up, as the build hands them out.
fn free_pod_ip(node: &ClusterNode, pods: &[ClusterPod]) -> Option<Ipv4Addr> {
    let taken: BTreeSet<Ipv4Addr> = sorted::set(pods.iter().filter_map(|p| p.ip));
    let network = u32::from(node.pod_cidr.network());
    let size: u64 = 1u64 << (32 - u32::from(node.pod_cidr.prefix.min(32)));
    (2..size.saturating_sub(1))
        .map(|offset| Ipv4Addr::from(network.wrapping_add(offset as u32)))
        .find(|ip| !taken.contains(ip))
}

/// `kubectl run`: https://kubernetes.io/docs/reference/kubectl/generated/kubectl_run/
impl Kubectl<'_> {
    /// `kubectl run NAME --image=IMAGE [--rm] [-it] [--restart=Never] [-n NS] [--labels=k=v]
    /// -- COMMAND`: a pod made for one command, which runs in it as `kubectl exec` runs it.
    ///
    /// - The pod is labelled `run=NAME`, kubectl's default; `--labels` replaces that label, as
    ///   in kubectl (`if len(labels) == 0 { labels = {"run": name} }` in its run.go).
    /// - Scheduling: the node running the fewest pods, the first of them on a tie (the
    ///   scheduler's spreading scores prefer the emptiest node); the address is the lowest
    ///   free one of that node's pod CIDR from `.2` up.
    /// - NetworkPolicy applies to it as to any pod: the cluster is cloned with the pod added
    ///   and `policy` rebuilt the way the build makes it.
    /// - Limitation: Services' endpoints are computed when the cluster is built, so a Service
    ///   whose selector matches the new pod does not get it as an endpoint.
    /// - The terminal changes nothing: the pod exists for this one command. With `--rm` the
    ///   output ends as kubectl's does, with `pod "NAME" deleted from NS namespace`.
    fn kubectl_run(&self, session: &Session, words: &[&str]) -> Answer {
        let r = match run_flags(words) {
            Ok(r) => r,
            Err(e) => return err(e),
        };
        let rest: Vec<&str> = r.rest.iter().map(String::as_str).collect();
        let f = match flags(&rest) {
            Ok(f) => f,
            Err(e) => return err(e),
        };
        // kubectl's checks, in its order: the required flag, then Complete, then Validate.
        let Some(image) = &r.image else { return err("error: required flag(s) \"image\" not set") };
        let labels = match r.labels.as_deref().map(parse_labels).transpose() {
            Ok(labels) => labels.unwrap_or_default(),
            Err(e) => return err(e),
        };
        if !["Always", "OnFailure", "Never"].contains(&r.restart.as_str()) {
            return err(format!(
                "error: invalid restart policy: {}, valid values are: Always, OnFailure, Never",
                r.restart
            ));
        }
        let Some(name) = f.rest.first() else { return err("error: NAME is required for run") };
        if image.is_empty() {
            return err("error: --image is required");
        }
        if r.tty && !r.stdin {
            return err("error: -i/--stdin is required for containers with -t/--tty=true");
        }
        let attach = r.attach.unwrap_or(r.stdin);
        if r.rm && !attach {
            return err("error: --rm should only be used for attached containers");
        }
        let cmd: Vec<&str> = f.command.iter().map(String::as_str).collect();
        if cmd.is_empty() {
            return err(ONE_SHOT);
        }
        if let Err(e) = runnable(&cmd) {
            return err(e);
        }
        if let Some(why) = invalid_pod_name(name) {
            return err(why);
        }
        let ns = f.namespace_in(session);
        if self.namespace(&ns).is_none() {
            return err(format!("Error from server (NotFound): namespaces \"{ns}\" not found"));
        }
        if self.pod(&ns, name).is_some() {
            return err(format!("Error from server (AlreadyExists): pods \"{name}\" already exists"));
        }
        let labels =
            if labels.is_empty() { sorted::map([("run".to_string(), name.clone())]) } else { labels };

        let node = self
            .nodes
            .iter()
            .min_by_key(|n| self.pods.iter().filter(|p| p.node.as_deref() == Some(n.name.as_str())).count());
        let Some((node, ip)) = node.and_then(|n| free_pod_ip(n, &self.pods).map(|ip| (n, ip))) else {
            // kubectl waits for the pod to run, then gives up.
            let mut out = String::new();
            if r.rm {
                let _ = writeln!(out, "pod \"{name}\" deleted from {ns} namespace");
            }
            let _ = writeln!(
                out,
                "error: timed out waiting for the condition\n(no node has a free pod address: pod {ns}/{name} stays Pending)"
            );
            return err(out);
        };
        let pod = ClusterPod {
            name: name.clone(),
            namespace: ns.clone(),
            spec: PodSpec {
                labels,
                containers: vec![Container { name: name.clone(), ports: Vec::new() }],
                ..PodSpec::default()
            },
            node: Some(node.name.clone()),
            ip: Some(ip),
            ready: true,
            terminating: false,
            phase: None,
            owner: None,
            source: None,
            built_in: false,
        };
        let (answer, exit_zero) = Kubectl(&self.with_pod(pod)).in_pod(&ns, name, &cmd);

        let mut out = String::new();
        if !attach {
            let _ = writeln!(out, "pod/{name} created");
            let _ = writeln!(out, "(not attached: below is what `kubectl logs {name}` would show)");
        } else if !r.quiet {
            out.push_str("If you don't see a command prompt, try pressing enter.\n");
        }
        out.push_str(&answer.output);
        if !out.ends_with('\n') {
            out.push('\n');
        }
        // https://github.com/kubernetes/kubectl/blob/master/pkg/cmd/attach/attach.go (reattachMessage)
        if attach && r.stdin && r.tty && !r.quiet && r.restart == "Always" {
            let _ = writeln!(
                out,
                "Session ended, resume using 'kubectl attach {name} -c {name} -i -t' command when the pod is running"
            );
        }
        // kubectl 1.34+ names the namespace (kubernetes/kubernetes#126619).
        if r.rm {
            let _ = writeln!(out, "pod \"{name}\" deleted from {ns} namespace");
        }
        // With Never, kubectl waits for the container's exit code; with OnFailure, for a success
        // that a failing command never reaches.
        if attach && !exit_zero {
            match r.restart.as_str() {
                "Never" => {
                    let _ = writeln!(out, "error: pod {ns}/{name} terminated (Error)");
                }
                "OnFailure" => {
                    let _ = writeln!(out, "error: timed out waiting for the condition");
                }
                _ => {}
            }
        }
        if !r.rm {
            let _ = writeln!(
                out,
                "(the terminal changes nothing: pod {ns}/{name} existed for this command only; declare a Pod in your YAML to keep one)"
            );
        }
        Answer { output: out, ok: answer.ok, trace: answer.trace }
    }
}

/// `kubectl get KIND [NAME] -o yaml`: the objects as the API server would return them, seen
/// from the model: what the cluster filled in is there (allocated clusterIPs and nodePorts,
/// pod IPs and nodes, endpoints, LoadBalancer addresses, the API server's defaults such as
/// `sessionAffinity: None`, `ipFamilyPolicy: SingleStack`, `dnsPolicy: ClusterFirst`).
/// Fields the model does not know are left out: `uid`, `resourceVersion`,
/// `creationTimestamp`, `generation`, `managedFields`, container images and resources, and
/// the timestamps of conditions. https://kubernetes.io/docs/reference/kubectl/#output-options
impl Kubectl<'_> {
    /// One object when `name` is given, else kubectl's `List` (also for no object at all).
    fn get_yaml(&self, resource: Resource, name: Option<&str>, ns: Option<&str>) -> Answer {
        let objects = self.yaml_objects(resource, ns);
        let Some(name) = name else {
            return ok(yaml_list(objects.into_iter().map(|(_, o)| o).collect()).text());
        };
        let mut found: Vec<Yaml> = objects.into_iter().filter(|(n, _)| n == name).map(|(_, o)| o).collect();
        match found.len() {
            0 => err(format!("Error from server (NotFound): {} \"{name}\" not found", resource.plural())),
            1 => ok(found.remove(0).text()),
            // The same name in several namespaces (with -A).
            _ => ok(yaml_list(found).text()),
        }
    }

    /// Every object of `resource` in namespace `ns` (every namespace when `None`), by name,
    /// in the order of `kubectl get`'s table.
    fn yaml_objects(&self, resource: Resource, ns: Option<&str>) -> Vec<(String, Yaml)> {
        let in_ns = |n: &str| ns.is_none_or(|want| want == n);
        let services = self.services.iter().filter(|s| in_ns(s.namespace()));
        let with_endpoints = services.clone().filter(|s| s.spec.service_type != ServiceType::ExternalName);
        match resource {
            Resource::Services => services.map(|s| (s.name().to_string(), service_yaml(s))).collect(),
            Resource::Pods => self
                .pods
                .iter()
                .filter(|p| in_ns(&p.namespace))
                .map(|p| (p.name.clone(), self.pod_yaml(p)))
                .collect(),
            Resource::Endpoints => {
                with_endpoints.map(|s| (s.name().to_string(), endpoints_yaml(s))).collect()
            }
            Resource::EndpointSlices => with_endpoints.flat_map(endpoint_slices_yaml).collect(),
            Resource::Ingresses => self
                .ingresses
                .iter()
                .filter(|i| in_ns(&i.namespace))
                .map(|i| (i.name.clone(), self.ingress_yaml(i)))
                .collect(),
            Resource::NetworkPolicies => self
                .network_policies()
                .iter()
                .filter(|p| in_ns(&p.namespace))
                .map(|p| (p.name.clone(), network_policy_yaml(p)))
                .collect(),
            // The first node is the control plane, as `kubectl get nodes` shows its role.
            Resource::Nodes => {
                self.nodes.iter().enumerate().map(|(i, n)| (n.name.clone(), node_yaml(n, i == 0))).collect()
            }
        }
    }

    fn pod_yaml(&self, p: &ClusterPod) -> Yaml {
        let owner = p.owner.as_ref().map(|o| {
            // A Deployment's pods belong to its ReplicaSet, `<name>-<pod-template-hash>`; a
            // CronJob's to its Job, whose name the `job-name` label carries.
            let (kind, name) = match (o.kind, p.spec.labels.get("pod-template-hash")) {
                ("Deployment", Some(hash)) => ("ReplicaSet", format!("{}-{hash}", o.name)),
                ("CronJob", _) => {
                    ("Job", p.spec.labels.get("job-name").cloned().unwrap_or_else(|| o.name.clone()))
                }
                (kind, _) => (kind, o.name.clone()),
            };
            let api_version = match kind {
                "ReplicationController" => "v1",
                "Job" => "batch/v1",
                _ => "apps/v1",
            };
            vec![Yaml::from(
                Map::new()
                    .with("apiVersion", api_version)
                    .with("blockOwnerDeletion", true)
                    .with("controller", true)
                    .with("kind", kind)
                    .with("name", name),
            )]
        });
        let metadata = metadata(&p.name, Some(&p.namespace), &p.spec.labels, &p.spec.annotations)
            .maybe("ownerReferences", owner);
        let containers: Vec<Yaml> = p
            .spec
            .containers
            .iter()
            .map(|c| {
                let ports = c
                    .ports
                    .iter()
                    .map(|cp| {
                        Map::new()
                            .with("containerPort", cp.container_port)
                            .maybe("hostPort", cp.host_port)
                            .maybe("name", cp.name.as_deref())
                            .with("protocol", cp.protocol.as_str())
                            .into()
                    })
                    .collect();
                Map::new().with("name", c.name.as_str()).list("ports", ports).into()
            })
            .collect();
        let dns_config = p.spec.dns_config.as_ref().map(|d| {
            let options = d
                .options
                .iter()
                .map(|(name, value)| Map::new().with("name", name).maybe("value", value.as_deref()).into())
                .collect();
            Map::new()
                .list("nameservers", d.nameservers.iter().map(|ip| Yaml::from(*ip)).collect())
                .list("options", options)
                .list("searches", d.searches.iter().map(Yaml::from).collect())
        });
        let dns_policy = match p.spec.dns_policy {
            DnsPolicy::ClusterFirst => "ClusterFirst",
            DnsPolicy::ClusterFirstWithHostNet => "ClusterFirstWithHostNet",
            DnsPolicy::Default => "Default",
            DnsPolicy::None => "None",
        };
        let spec = Map::new()
            .with("containers", containers)
            .maybe("dnsConfig", dns_config)
            .with("dnsPolicy", dns_policy)
            .with("enableServiceLinks", !p.spec.no_service_links)
            .maybe("hostNetwork", p.spec.host_network.then_some(true))
            .maybe("hostname", p.spec.hostname.as_deref())
            .maybe("nodeName", p.node.as_deref())
            .strings("nodeSelector", &p.spec.node_selector)
            .maybe("subdomain", p.spec.subdomain.as_deref());

        let running = p.node.is_some() && p.ip.is_some();
        let pod_ip = p.ip.filter(|_| running);
        let host_ip = p.node.as_deref().and_then(|n| self.node(n)).map(|n| n.ip);
        let ips =
            |ip: Option<Ipv4Addr>| ip.map(|ip| vec![Map::new().with("ip", ip).into()]).unwrap_or_default();
        // Only the conditions the model knows: Ready and PodScheduled.
        let conditions: Vec<Yaml> = if p.node.is_some() {
            let ready = if p.ready && running { "True" } else { "False" };
            vec![
                Map::new().with("status", ready).with("type", "Ready").into(),
                Map::new().with("status", "True").with("type", "PodScheduled").into(),
            ]
        } else {
            vec![Map::new()
                .with("reason", "Unschedulable")
                .with("status", "False")
                .with("type", "PodScheduled")
                .into()]
        };
        let status = Map::new()
            .with("conditions", conditions)
            .maybe("hostIP", host_ip)
            .list("hostIPs", ips(host_ip))
            .with("phase", if running { "Running" } else { "Pending" })
            .maybe("podIP", pod_ip)
            .list("podIPs", ips(pod_ip));
        object("v1", "Pod", metadata).with("spec", spec).with("status", status).into()
    }

    fn ingress_yaml(&self, i: &Ingress) -> Yaml {
        let backend = |b: &IngressBackend| -> Yaml {
            match b {
                IngressBackend::Service { name, port } => {
                    let port = match port {
                        PortRef::Number(n) => Map::new().with("number", *n),
                        PortRef::Name(n) => Map::new().with("name", n),
                    };
                    Map::new().with("service", Map::new().with("name", name).with("port", port)).into()
                }
                IngressBackend::Resource { kind, name } => {
                    Map::new().with("resource", Map::new().with("kind", kind).with("name", name)).into()
                }
            }
        };
        let rules = i
            .rules
            .iter()
            .map(|r| {
                let paths: Vec<Yaml> = r
                    .paths
                    .iter()
                    .map(|p| {
                        let path_type = match p.path_type {
                            PathType::Exact => "Exact",
                            PathType::Prefix => "Prefix",
                            PathType::ImplementationSpecific => "ImplementationSpecific",
                        };
                        Map::new()
                            .with("backend", backend(&p.backend))
                            .maybe("path", p.path.as_deref())
                            .with("pathType", path_type)
                            .into()
                    })
                    .collect();
                let http = (!paths.is_empty()).then(|| Map::new().with("paths", paths));
                Map::new().maybe("host", r.host.as_deref()).maybe("http", http).into()
            })
            .collect();
        let tls = i
            .tls
            .iter()
            .map(|t| {
                Map::new()
                    .list("hosts", t.hosts.iter().map(Yaml::from).collect())
                    .maybe("secretName", t.secret_name.as_deref())
                    .into()
            })
            .collect();
        let spec = Map::new()
            .maybe("defaultBackend", i.default_backend.as_ref().map(backend))
            .maybe("ingressClassName", i.class_name.as_deref())
            .list("rules", rules)
            .list("tls", tls);
        // The controller writes its Service's address into the Ingresses it serves.
        let address = netsim::ingress::served_by_controller(i, &self.ingress_classes)
            .ok()
            .and_then(|()| self.ingress_controller_service())
            .and_then(|s| s.load_balancer_ip);
        let lb = match address {
            Some(ip) => Map::new().with("ingress", vec![Map::new().with("ip", ip).into()]),
            None => Map::new(),
        };
        object(
            "networking.k8s.io/v1",
            "Ingress",
            metadata(&i.name, Some(&i.namespace), &Labels::new(), &i.annotations),
        )
        .with("spec", spec)
        .with("status", Map::new().with("loadBalancer", lb))
        .into()
    }
}

/// `apiVersion`, `kind` and `metadata`, the start of every object.
fn object(api_version: &str, kind: &str, metadata: Map) -> Map {
    Map::new().with("apiVersion", api_version).with("kind", kind).with("metadata", metadata)
}

fn metadata(name: &str, namespace: Option<&str>, labels: &Labels, annotations: &Labels) -> Map {
    Map::new()
        .strings("annotations", annotations)
        .strings("labels", labels)
        .with("name", name)
        .maybe("namespace", namespace)
}

/// What `kubectl get` prints for several objects.
fn yaml_list(items: Vec<Yaml>) -> Yaml {
    Map::new()
        .with("apiVersion", "v1")
        .with("items", items)
        .with("kind", "List")
        .with("metadata", Map::new().with("resourceVersion", ""))
        .into()
}

fn port_ref(p: &PortRef) -> Yaml {
    match p {
        PortRef::Number(n) => Yaml::from(*n),
        PortRef::Name(n) => Yaml::from(n),
    }
}

fn selector_yaml(sel: &LabelSelector) -> Yaml {
    let expressions = sel
        .match_expressions
        .iter()
        .map(|r| {
            let operator = match r.operator {
                SelectorOperator::In => "In",
                SelectorOperator::NotIn => "NotIn",
                SelectorOperator::Exists => "Exists",
                SelectorOperator::DoesNotExist => "DoesNotExist",
            };
            Map::new()
                .with("key", &r.key)
                .with("operator", operator)
                .list("values", r.values.iter().map(Yaml::from).collect())
                .into()
        })
        .collect();
    Map::new().list("matchExpressions", expressions).strings("matchLabels", &sel.match_labels).into()
}

fn traffic_policy(p: TrafficPolicy) -> &'static str {
    match p {
        TrafficPolicy::Cluster => "Cluster",
        TrafficPolicy::Local => "Local",
    }
}

/// A Service with what the API server and controllers filled in.
/// https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/
fn service_yaml(s: &ClusterService) -> Yaml {
    let spec = &s.spec;
    let external_name = spec.service_type == ServiceType::ExternalName;
    let cluster_ip = match (spec.cluster_ip, s.cluster_ip) {
        _ if external_name => None,
        (ClusterIpSpec::Headless, _) => Some("None".to_string()),
        (_, ip) => ip.map(|ip| ip.to_string()),
    };
    let ports = spec
        .ports
        .iter()
        .map(|p| {
            Map::new()
                .maybe("appProtocol", p.app_protocol.as_deref())
                .maybe("name", p.name.as_deref().filter(|n| !n.is_empty()))
                .maybe("nodePort", p.node_port)
                .with("port", p.port)
                .with("protocol", p.protocol.as_str())
                .with("targetPort", port_ref(&p.target_port))
                .into()
        })
        .collect();
    let mut out = Map::new()
        .maybe("clusterIP", cluster_ip.as_deref())
        .list("clusterIPs", cluster_ip.iter().map(Yaml::from).collect())
        .list("externalIPs", spec.external_ips.iter().map(|ip| Yaml::from(*ip)).collect())
        .maybe("externalName", spec.external_name.as_deref().filter(|_| external_name))
        .list(
            "loadBalancerSourceRanges",
            spec.load_balancer_source_ranges.iter().map(|c| c.to_string().into()).collect(),
        )
        .list("ports", ports)
        .maybe("publishNotReadyAddresses", spec.publish_not_ready_addresses.then_some(true))
        .maybe("selector", spec.selector.as_ref().filter(|sel| !sel.is_empty()))
        .with("type", spec.service_type.as_str());
    if !external_name {
        out = out
            .with("internalTrafficPolicy", traffic_policy(spec.internal_traffic_policy))
            .with("ipFamilies", vec![Yaml::from("IPv4")])
            .with("ipFamilyPolicy", "SingleStack");
    }
    if s.has_node_ports() {
        out = out.with("externalTrafficPolicy", traffic_policy(spec.external_traffic_policy));
    }
    if spec.service_type == ServiceType::LoadBalancer {
        out = out.with("allocateLoadBalancerNodePorts", true);
    }
    out = match spec.session_affinity {
        SessionAffinity::None => out.with("sessionAffinity", "None"),
        SessionAffinity::ClientIp { timeout_seconds } => out.with("sessionAffinity", "ClientIP").with(
            "sessionAffinityConfig",
            Map::new().with("clientIP", Map::new().with("timeoutSeconds", timeout_seconds)),
        ),
    };
    // The API server defaults ipMode to VIP (KEP-1860).
    let lb = match s.load_balancer_ip {
        Some(ip) => Map::new().with("ingress", vec![Map::new().with("ip", ip).with("ipMode", "VIP").into()]),
        None => Map::new(),
    };
    object("v1", "Service", metadata(s.name(), Some(s.namespace()), &spec.labels, &spec.annotations))
        .with("spec", out)
        .with("status", Map::new().with("loadBalancer", lb))
        .into()
}

/// Whether the EndpointSlice controller manages the Service's endpoints (it has a selector).
fn controller_managed(s: &ClusterService) -> bool {
    s.spec.selector.as_ref().is_some_and(|sel| !sel.is_empty())
}

/// The labels the endpoints controllers copy from the Service, plus their own.
fn endpoints_labels(s: &ClusterService) -> Labels {
    let mut labels = s.spec.labels.clone();
    if s.is_headless() {
        labels.insert("service.kubernetes.io/headless".into(), String::new());
    }
    labels
}

/// The Service ports `address` serves, as (name, port, protocol, appProtocol).
fn served_ports(
    s: &ClusterService,
    address: &ServiceEndpoint,
) -> Vec<(Option<String>, u16, &'static str, Option<String>)> {
    s.spec
        .ports
        .iter()
        .zip(&s.ports)
        .filter_map(|(sp, pe)| {
            let e = pe.endpoints.iter().find(|e| e.ip == address.ip)?;
            Some((
                pe.name.clone().filter(|n| !n.is_empty()),
                e.port,
                sp.protocol.as_str(),
                sp.app_protocol.clone(),
            ))
        })
        .collect()
}

fn target_ref(e: &ServiceEndpoint) -> Option<Map> {
    let (namespace, name) = e.pod.as_deref()?.split_once('/')?;
    Some(Map::new().with("kind", "Pod").with("name", name).with("namespace", namespace))
}

/// The legacy `Endpoints` object: one subset per set of resolved ports, addresses sorted as
/// the API server sorts them (as strings).
/// https://kubernetes.io/docs/reference/kubernetes-api/service-resources/endpoints-v1/
fn endpoints_yaml(s: &ClusterService) -> Yaml {
    let subsets = s
        .endpoint_slices()
        .into_iter()
        .filter_map(|(_, _, mut addresses)| {
            let ports = served_ports(s, addresses.first()?)
                .into_iter()
                .map(|(name, port, protocol, app)| {
                    Map::new()
                        .maybe("appProtocol", app)
                        .maybe("name", name)
                        .with("port", port)
                        .with("protocol", protocol)
                        .into()
                })
                .collect();
            sorted::sort_by_key(&mut addresses, |e| e.ip.to_string());
            let address = |e: &&ServiceEndpoint| -> Yaml {
                Map::new()
                    .maybe("hostname", e.hostname.as_deref())
                    .with("ip", e.ip)
                    .maybe("nodeName", e.node.as_deref().filter(|_| e.pod.is_some()))
                    .maybe("targetRef", target_ref(e))
                    .into()
            };
            let (ready, not_ready): (Vec<&ServiceEndpoint>, Vec<&ServiceEndpoint>) =
                addresses.iter().partition(|e| e.ready);
            Some(Yaml::from(
                Map::new()
                    .list("addresses", ready.iter().map(address).collect())
                    .list("notReadyAddresses", not_ready.iter().map(address).collect())
                    .list("ports", ports),
            ))
        })
        .collect();
    object("v1", "Endpoints", metadata(s.name(), Some(s.namespace()), &endpoints_labels(s), &Labels::new()))
        .list("subsets", subsets)
        .into()
}

/// The Service's EndpointSlices, named as `kubectl get endpointslices` names them.
/// https://kubernetes.io/docs/reference/kubernetes-api/service-resources/endpoint-slice-v1/
fn endpoint_slices_yaml(s: &ClusterService) -> Vec<(String, Yaml)> {
    let managed = controller_managed(s);
    s.endpoint_slices()
        .into_iter()
        .map(|(name, _, addresses)| {
            let endpoints: Vec<Yaml> = addresses
                .iter()
                .map(|e| {
                    // serving follows the pod's readiness; ready also counts publishNotReadyAddresses.
                    let conditions = Map::new()
                        .with("ready", e.ready)
                        .with("serving", e.pod_ready)
                        .with("terminating", false);
                    Map::new()
                        .with("addresses", vec![Yaml::from(e.ip)])
                        .with("conditions", conditions)
                        .maybe("hostname", e.hostname.as_deref())
                        .maybe("nodeName", e.node.as_deref().filter(|_| e.pod.is_some()))
                        .maybe("targetRef", target_ref(e))
                        .into()
                })
                .collect();
            // The controller always names a port, "" when the Service port has no name.
            let ports: Vec<Yaml> = addresses
                .first()
                .map(|a| served_ports(s, a))
                .unwrap_or_default()
                .into_iter()
                .map(|(port_name, port, protocol, app)| {
                    Map::new()
                        .maybe("appProtocol", app)
                        .with("name", port_name.unwrap_or_default())
                        .with("port", port)
                        .with("protocol", protocol)
                        .into()
                })
                .collect();
            let mut labels = endpoints_labels(s);
            labels.insert("kubernetes.io/service-name".into(), s.name().to_string());
            let mut meta = metadata(&name, Some(s.namespace()), &Labels::new(), &Labels::new());
            if managed {
                labels.insert(
                    "endpointslice.kubernetes.io/managed-by".into(),
                    "endpointslice-controller.k8s.io".into(),
                );
                let owner = Map::new()
                    .with("apiVersion", "v1")
                    .with("blockOwnerDeletion", true)
                    .with("controller", true)
                    .with("kind", "Service")
                    .with("name", s.name());
                meta = meta
                    .with("generateName", format!("{}-", s.name()))
                    .with("ownerReferences", vec![Yaml::from(owner)]);
            }
            // `endpoints` and `ports` have no omitempty: an empty slice says `null`.
            let null_if_empty =
                |items: Vec<Yaml>| if items.is_empty() { Yaml::Null } else { Yaml::List(items) };
            let slice = Map::new()
                .with("addressType", "IPv4")
                .with("apiVersion", "discovery.k8s.io/v1")
                .with("endpoints", null_if_empty(endpoints))
                .with("kind", "EndpointSlice")
                .with("metadata", meta.strings("labels", &labels))
                .with("ports", null_if_empty(ports));
            (name, slice.into())
        })
        .collect()
}

/// https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
fn network_policy_yaml(p: &NetworkPolicy) -> Yaml {
    let rules = |rules: &[PolicyRule], peers_key: &str| -> Vec<Yaml> {
        rules
            .iter()
            .map(|r| {
                let peers = r
                    .peers
                    .iter()
                    .map(|peer| match peer {
                        PolicyPeer::Pods { pod_selector, namespace_selector } => Map::new()
                            .maybe("namespaceSelector", namespace_selector.as_ref().map(selector_yaml))
                            .maybe("podSelector", pod_selector.as_ref().map(selector_yaml))
                            .into(),
                        PolicyPeer::IpBlock { cidr, except } => Map::new()
                            .with(
                                "ipBlock",
                                Map::new()
                                    .with("cidr", cidr.to_string())
                                    .list("except", except.iter().map(|c| c.to_string().into()).collect()),
                            )
                            .into(),
                    })
                    .collect();
                let ports = r
                    .ports
                    .iter()
                    .map(|pp| {
                        Map::new()
                            .maybe("endPort", pp.end_port)
                            .maybe("port", pp.port.as_ref().map(port_ref))
                            .with("protocol", pp.protocol.as_str())
                            .into()
                    })
                    .collect();
                Map::new().list(peers_key, peers).list("ports", ports).into()
            })
            .collect()
    };
    let types: Vec<Yaml> = p.policy_types.iter().map(|t| t.as_str().into()).collect();
    let spec = Map::new()
        .list("egress", rules(&p.egress, "to"))
        .list("ingress", rules(&p.ingress, "from"))
        .with("podSelector", selector_yaml(&p.pod_selector))
        .with("policyTypes", types);
    object(
        "networking.k8s.io/v1",
        "NetworkPolicy",
        metadata(&p.name, Some(&p.namespace), &Labels::new(), &Labels::new()),
    )
    .with("spec", spec)
    .into()
}

/// A Node: its labels (the control plane's role label on the first), pod CIDR, addresses.
fn node_yaml(n: &ClusterNode, control_plane: bool) -> Yaml {
    let mut labels = n.labels.clone();
    if control_plane {
        labels.insert("node-role.kubernetes.io/control-plane".into(), String::new());
    }
    let spec = Map::new()
        .with("podCIDR", n.pod_cidr.to_string())
        .with("podCIDRs", vec![Yaml::from(n.pod_cidr.to_string())]);
    let addresses = vec![
        Map::new().with("address", n.ip).with("type", "InternalIP").into(),
        Map::new().with("address", &n.name).with("type", "Hostname").into(),
    ];
    let ready = Map::new()
        .with("message", "kubelet is posting ready status")
        .with("reason", "KubeletReady")
        .with("status", "True")
        .with("type", "Ready");
    let status = Map::new()
        .with("addresses", addresses)
        .with("conditions", vec![Yaml::from(ready)])
        .with("nodeInfo", Map::new().with("kubeletVersion", KUBE_VERSION));
    object("v1", "Node", metadata(&n.name, None, &labels, &Labels::new()))
        .with("spec", spec)
        .with("status", status)
        .into()
}

/// busybox nslookup's output.
fn nslookup_text(name: &str, answer: &netsim::dns::DnsAnswer) -> String {
    let server = match answer.resolver {
        Resolver::Cluster(ip) | Resolver::Node(ip) | Resolver::Upstream(ip) => ip.to_string(),
        Resolver::None => "<none>".into(),
    };
    let mut out = format!("Server:\t\t{server}\nAddress:\t{server}:53\n\n");
    if answer.rcode == Rcode::NxDomain {
        let _ = writeln!(out, "** server can't find {name}: NXDOMAIN");
        return out;
    }
    for r in &answer.records {
        match r {
            Record::Cname { name, target } => {
                let _ = writeln!(out, "{name}\tcanonical name = {target}");
            }
            Record::A { name, ip } => {
                let _ = writeln!(out, "Name:\t{name}\nAddress: {ip}");
            }
            Record::Srv { name, port, target, .. } => {
                let _ = writeln!(out, "{name}\tservice = 0 0 {port} {target}");
            }
            Record::Ptr { name, target } => {
                let _ = writeln!(out, "{name}\tname = {target}");
            }
        }
    }
    out
}

/// `kubectl describe networkpolicy`.
fn describe_network_policy(p: &NetworkPolicy) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Name:         {}", p.name);
    let _ = writeln!(out, "Namespace:    {}", p.namespace);
    let _ = writeln!(out, "Created on:   <unknown>");
    let _ = writeln!(out, "Labels:       <none>");
    let _ = writeln!(out, "Annotations:  <none>");
    let _ = writeln!(out, "Spec:");
    let sel = describe_selector(&p.pod_selector);
    let sel = if sel.is_empty() || sel == "{}" {
        "<none> (Allowing the specific traffic to all pods in this namespace)".to_string()
    } else {
        sel
    };
    let _ = writeln!(out, "  PodSelector:     {sel}");
    for (dir, rules, word) in
        [(PolicyType::Ingress, &p.ingress, "ingress"), (PolicyType::Egress, &p.egress, "egress")]
    {
        if !p.policy_types.contains(&dir) {
            let _ = writeln!(out, "  Not affecting {word} traffic");
            continue;
        }
        if rules.is_empty() {
            let _ = writeln!(
                out,
                "  Allowing {word} traffic:\n    <none> (Selected pods are isolated for {word} connectivity)"
            );
            continue;
        }
        let _ = writeln!(out, "  Allowing {word} traffic:");
        for (i, r) in rules.iter().enumerate() {
            if i > 0 {
                let _ = writeln!(out, "    ----------");
            }
            describe_rule(&mut out, r, if dir == PolicyType::Ingress { "From" } else { "To" });
        }
    }
    let types: Vec<&str> = p.policy_types.iter().map(|t| t.as_str()).collect();
    let _ = writeln!(out, "  Policy Types: {}", types.join(", "));
    out
}

fn describe_rule(out: &mut String, r: &PolicyRule, from: &str) {
    if r.ports.is_empty() {
        let _ = writeln!(out, "    To Port: <any> (traffic allowed to all ports)");
    }
    for p in &r.ports {
        let port = match (&p.port, p.end_port) {
            (None, _) => "<any>".to_string(),
            (Some(PortRef::Number(n)), Some(end)) => format!("{n}-{end}"),
            (Some(PortRef::Number(n)), None) => n.to_string(),
            (Some(PortRef::Name(n)), _) => n.clone(),
        };
        let _ = writeln!(out, "    To Port: {port}/{}", p.protocol);
    }
    if r.peers.is_empty() {
        let _ = writeln!(out, "    {from}: <any> (traffic not restricted by source)");
    }
    for peer in &r.peers {
        let _ = writeln!(out, "    {from}:");
        match peer {
            PolicyPeer::Pods { pod_selector, namespace_selector } => {
                if let Some(ns) = namespace_selector {
                    let _ = writeln!(out, "      NamespaceSelector: {}", describe_selector(ns));
                }
                if let Some(pods) = pod_selector {
                    let _ = writeln!(out, "      PodSelector: {}", describe_selector(pods));
                }
            }
            PolicyPeer::IpBlock { cidr, except } => {
                let _ = writeln!(out, "      IPBlock:\n        CIDR: {cidr}");
                let ex: Vec<String> = except.iter().map(|c| c.to_string()).collect();
                let _ = writeln!(out, "        Except: {}", ex.join(", "));
            }
        }
    }
}

/// kubectl's YAML output: a value tree and its printer, in the style of sigs.k8s.io/yaml on
/// go-yaml v2, which kubectl prints with: keys sorted, two spaces of indent, a list inside a
/// mapping not indented (`- ` at the key's column), `{}` and `[]` for empty collections, and
/// strings quoted only where YAML needs it: double quotes when the plain text would read back
/// as another type (`"80"`, `"true"`, `""`), single quotes when it would not parse as plain
/// text (`'*.example.com'`). Writing only: netsim reads no YAML.
mod yaml {
    use std::collections::BTreeMap;
    use std::fmt::Write as _;
    use std::net::Ipv4Addr;

    use netsim::scenario::Labels;

    #[derive(Clone, Debug, PartialEq)]
    pub(super) enum Yaml {
        Null,
        Bool(bool),
        Int(i64),
        Str(String),
        List(Vec<Yaml>),
        /// Sorted by key, as kubectl prints (Go's JSON encoding of maps and structs, re-sorted).
        Map(BTreeMap<String, Yaml>),
    }

    impl From<&str> for Yaml {
        fn from(s: &str) -> Yaml {
            Yaml::Str(s.to_string())
        }
    }

    impl From<String> for Yaml {
        fn from(s: String) -> Yaml {
            Yaml::Str(s)
        }
    }

    impl From<&String> for Yaml {
        fn from(s: &String) -> Yaml {
            Yaml::Str(s.clone())
        }
    }

    impl From<bool> for Yaml {
        fn from(b: bool) -> Yaml {
            Yaml::Bool(b)
        }
    }

    impl From<u16> for Yaml {
        fn from(n: u16) -> Yaml {
            Yaml::Int(i64::from(n))
        }
    }

    impl From<u32> for Yaml {
        fn from(n: u32) -> Yaml {
            Yaml::Int(i64::from(n))
        }
    }

    impl From<Ipv4Addr> for Yaml {
        fn from(ip: Ipv4Addr) -> Yaml {
            Yaml::Str(ip.to_string())
        }
    }

    impl From<Vec<Yaml>> for Yaml {
        fn from(items: Vec<Yaml>) -> Yaml {
            Yaml::List(items)
        }
    }

    impl From<&Labels> for Yaml {
        fn from(labels: &Labels) -> Yaml {
            Yaml::Map(sorted::map(labels.iter().map(|(k, v)| (k.clone(), Yaml::from(v)))))
        }
    }

    impl From<Map> for Yaml {
        fn from(m: Map) -> Yaml {
            Yaml::Map(m.0)
        }
    }

    /// A mapping being built. `maybe`, `list` and `strings` leave a field out when it has no
    /// value, as Go's `omitempty` does.
    #[derive(Default)]
    pub(super) struct Map(BTreeMap<String, Yaml>);

    impl Map {
        pub(super) fn new() -> Map {
            Map::default()
        }

        pub(super) fn with(mut self, key: &str, value: impl Into<Yaml>) -> Map {
            self.0.insert(key.to_string(), value.into());
            self
        }

        pub(super) fn maybe<V: Into<Yaml>>(self, key: &str, value: Option<V>) -> Map {
            match value {
                Some(v) => self.with(key, v),
                None => self,
            }
        }

        pub(super) fn list(self, key: &str, items: Vec<Yaml>) -> Map {
            if items.is_empty() {
                self
            } else {
                self.with(key, Yaml::List(items))
            }
        }

        pub(super) fn strings(self, key: &str, labels: &Labels) -> Map {
            if labels.is_empty() {
                self
            } else {
                self.with(key, labels)
            }
        }
    }

    impl Yaml {
        /// The document, ending in a newline.
        pub(super) fn text(&self) -> String {
            let mut out = String::new();
            if is_block(self) {
                block(self, 0, &mut out);
            } else {
                out.push_str(&inline(self));
                out.push('\n');
            }
            out
        }
    }

    /// Whether `v` prints on lines of its own (a non-empty mapping or list).
    fn is_block(v: &Yaml) -> bool {
        match v {
            Yaml::Map(m) => !m.is_empty(),
            Yaml::List(l) => !l.is_empty(),
            _ => false,
        }
    }

    fn block(v: &Yaml, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        match v {
            Yaml::Map(m) => {
                for (key, value) in m {
                    let _ = write!(out, "{pad}{}:", scalar(key));
                    match value {
                        Yaml::Map(_) if is_block(value) => {
                            out.push('\n');
                            block(value, indent + 2, out);
                        }
                        // go-yaml v2 does not indent a list inside a mapping.
                        Yaml::List(_) if is_block(value) => {
                            out.push('\n');
                            block(value, indent, out);
                        }
                        _ => {
                            let _ = writeln!(out, " {}", inline(value));
                        }
                    }
                }
            }
            Yaml::List(items) => {
                for item in items {
                    if is_block(item) {
                        // The item's first line carries the dash in place of its indent.
                        let mut inner = String::new();
                        block(item, indent + 2, &mut inner);
                        let _ = write!(out, "{pad}- {}", inner.get(indent + 2..).unwrap_or(&inner));
                    } else {
                        let _ = writeln!(out, "{pad}- {}", inline(item));
                    }
                }
            }
            other => {
                let _ = writeln!(out, "{pad}{}", inline(other));
            }
        }
    }

    fn inline(v: &Yaml) -> String {
        match v {
            Yaml::Null => "null".into(),
            Yaml::Bool(b) => b.to_string(),
            Yaml::Int(n) => n.to_string(),
            Yaml::Str(s) => scalar(s),
            Yaml::Map(_) => "{}".into(),
            Yaml::List(_) => "[]".into(),
        }
    }

    /// A string as go-yaml v2 writes it.
    pub(super) fn scalar(s: &str) -> String {
        if s.chars().any(char::is_control) || reads_as_other_type(s) {
            double_quoted(s)
        } else if !plain_allowed(s) {
            format!("'{}'", s.replace('\'', "''"))
        } else {
            s.to_string()
        }
    }

    fn double_quoted(s: &str) -> String {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                c if c.is_control() => {
                    let _ = write!(out, "\\x{:02X}", u32::from(c));
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    /// Words YAML 1.1 reads as booleans, null, infinities and NaN, as go-yaml v2 resolves them.
    const SPECIAL_WORDS: [&str; 39] = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False",
        "FALSE", "on", "On", "ON", "off", "Off", "OFF", "~", "null", "Null", "NULL", ".inf", ".Inf", ".INF",
        "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", "<<",
    ];

    /// Whether plain `s` would read back as something other than this string: a boolean,
    /// null, a number (decimal, 0x/0o/0b, float, base 60) or a timestamp.
    fn reads_as_other_type(s: &str) -> bool {
        if s.is_empty() {
            return true;
        }
        if SPECIAL_WORDS.contains(&s) {
            return true;
        }
        if !s.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c)) {
            return false;
        }
        let plain: String = s.chars().filter(|&c| c != '_').collect();
        if plain.parse::<i64>().is_ok() || plain.parse::<f64>().is_ok() {
            return true;
        }
        let unsigned = plain.trim_start_matches(['+', '-']);
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
            if let Some(digits) = unsigned.strip_prefix(prefix) {
                if !digits.is_empty() && u64::from_str_radix(digits, radix).is_ok() {
                    return true;
                }
            }
        }
        base_60(s) || timestamp(s)
    }

    /// YAML 1.1's sexagesimal numbers, `190:20:30` (`[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?`).
    fn base_60(s: &str) -> bool {
        let s = s.strip_prefix(['+', '-']).unwrap_or(s);
        let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
        let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit() || c == '_');
        let mut parts = whole.split(':');
        let head = parts.next().unwrap_or("");
        let tail: Vec<&str> = parts.collect();
        head.starts_with(|c: char| c.is_ascii_digit())
            && digits(head)
            && !tail.is_empty()
            && tail.iter().all(|p| {
                matches!(p.len(), 1 | 2)
                    && p.chars().all(|c| c.is_ascii_digit())
                    && (p.len() == 1 || p < &"60")
            })
            && digits(fraction)
    }

    /// A date (`2006-1-2`), alone or starting a timestamp.
    fn timestamp(s: &str) -> bool {
        let b = s.as_bytes();
        let digits =
            |from: usize, to: usize| b.get(from..to).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
        if !digits(0, 4) || b.get(4) != Some(&b'-') {
            return false;
        }
        let rest = &s[5..];
        let mut parts = rest.splitn(3, '-');
        let (Some(month), Some(day_and_time)) = (parts.next(), parts.next()) else { return false };
        let day = day_and_time.split(['T', 't', ' ']).next().unwrap_or("");
        let number = |t: &str| matches!(t.len(), 1 | 2) && t.bytes().all(|c| c.is_ascii_digit());
        number(month) && number(day) && parts.next().is_none()
    }

    /// Whether `s` may be written plain in block context (libyaml's scalar analysis).
    fn plain_allowed(s: &str) -> bool {
        let b = s.as_bytes();
        let Some(&first) = b.first() else { return false };
        if s.starts_with(' ') || s.ends_with(' ') || s.starts_with("---") || s.starts_with("...") {
            return false;
        }
        let followed_by_space = |i: usize| b.get(i + 1).is_none_or(|c| *c == b' ');
        match first {
            b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"'
            | b'%' | b'@' | b'`' => return false,
            b'?' | b':' | b'-' if followed_by_space(0) => return false,
            _ => {}
        }
        !b.iter()
            .enumerate()
            .skip(1)
            .any(|(i, &c)| (c == b':' && followed_by_space(i)) || (c == b'#' && b.get(i - 1) == Some(&b' ')))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn strings_are_quoted_as_go_yaml_quotes_them() {
            for (s, want) in [
                ("web", "web"),
                ("10.96.0.10", "10.96.0.10"),
                ("v1.35.0", "v1.35.0"),
                ("/", "/"),
                ("", "\"\""),
                ("80", "\"80\""),
                ("1e3", "\"1e3\""),
                ("0x1F", "\"0x1F\""),
                ("true", "\"true\""),
                ("yes", "\"yes\""),
                ("null", "\"null\""),
                ("1:20", "\"1:20\""),
                ("2024-01-31", "\"2024-01-31\""),
                ("*.example.com", "'*.example.com'"),
                ("a: b", "'a: b'"),
                ("- x", "'- x'"),
                ("-x", "-x"),
                ("a#b", "a#b"),
                ("it's #1", "'it''s #1'"),
                ("-", "'-'"),
                ("line\nbreak", "\"line\\nbreak\""),
            ] {
                assert_eq!(scalar(s), want, "{s:?}");
            }
        }

        #[test]
        fn lists_in_maps_are_not_indented_and_items_carry_their_first_key() {
            let doc: Yaml = Map::new()
                .with("items", vec![Yaml::from(Map::new().with("b", 1u16).with("a", vec![Yaml::from("x")]))])
                .with("empty", Map::new())
                .with("none", Vec::new())
                .into();
            assert_eq!(doc.text(), "empty: {}\nitems:\n- a:\n  - x\n  b: 1\nnone: []\n");
        }
    }
}
