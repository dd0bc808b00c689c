//! The terminal: kubectl-style commands answered from the model, in kubectl's own formats.
//! Pure text in, text (and the trace of a request) out; the web terminal and tests use it.
//!
//! `kubectl get svc|pods|endpoints|endpointslices|ingress|networkpolicy|nodes [NAME]
//! [-n NS|-A] [-o wide]`, `kubectl describe svc|ingress|networkpolicy NAME [-n NS]`,
//! `kubectl exec [-n NS] POD -- curl|wget URL`, `kubectl exec POD -- nslookup NAME`,
//! `kubectl node-shell NODE -- iptables-save [-t nat]`, `curl URL` and `nslookup NAME` from
//! outside the cluster, and `help`.

use std::fmt::Write as _;
use std::net::Ipv4Addr;

use crate::build::Cluster;
use crate::dns::{DnsClient, DnsQuery, QueryType, Rcode, Record, Resolver};
use crate::policy::describe_selector;
use crate::scenario::{IngressBackend, NetworkPolicy, PolicyPeer, PolicyRule, PolicyType, PortRef};
use crate::send::{Client, Request};
use crate::trace::{Outcome, Trace};
use crate::views::{labels_text, table, with_namespace, AGE};

/// The client of `curl` and `nslookup` typed without `kubectl exec`: a laptop on the internet.
pub const OUTSIDE_CLIENT: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 10);

pub const HELP: &str = "\
Switchboard's terminal answers from the model of your cluster:

  kubectl get svc|pods|endpoints|endpointslices|ingress|networkpolicy|nodes [NAME] [-n NS | -A] [-o wide]
  kubectl describe svc|ingress|networkpolicy NAME [-n NS]
  kubectl exec [-n NS] POD -- curl URL        (also: wget -qO- URL)
  kubectl exec [-n NS] POD -- nslookup NAME
  kubectl node-shell NODE -- iptables-save -t nat
  curl URL                                    (from a laptop on the internet, 198.51.100.10)
  nslookup NAME                               (the same laptop's resolver)
  clear, help

POD may be a pod name or deploy/NAME (its first replica). The namespace is `default`
unless -n says otherwise.
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
    output: Option<String>,
    rest: Vec<String>,
    /// Words after `--`.
    command: Vec<String>,
}

fn flags(words: &[&str]) -> Result<Flags, String> {
    let mut f = Flags {
        namespace: None,
        all: false,
        wide: false,
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
        Some(other) => {
            return Err(format!(
                "error: -o {other} is not available in this terminal (-o wide is); the objects' YAML is in the editor"
            ))
        }
    }
    Ok(f)
}

impl Cluster {
    /// Runs one command line.
    pub fn shell(&self, line: &str) -> Answer {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            [] => ok(String::new()),
            ["help" | "?" | "--help"] | ["kubectl", "help"] => ok(HELP.to_string()),
            ["kubectl", "get", rest @ ..] => self.kubectl_get(rest),
            ["kubectl", "describe", rest @ ..] => self.kubectl_describe(rest),
            ["kubectl", "exec", rest @ ..] => self.kubectl_exec(rest),
            ["kubectl", "node-shell", rest @ ..] => self.node_shell(rest),
            ["kubectl", "run", ..] => err(
                "kubectl run is not available here: exec into a pod that exists instead (kubectl get pods), e.g. kubectl exec client -- wget -qO- http://web",
            ),
            ["kubectl", other, ..] => err(format!("error: unknown command \"{other}\" for \"kubectl\" (try help)")),
            ["kubectl"] => ok(HELP.to_string()),
            ["curl" | "wget", args @ ..] => {
                self.fetch(Client::Outside(OUTSIDE_CLIENT), words[0], args, "your laptop (198.51.100.10)")
            }
            ["nslookup", name, ..] => self.nslookup_outside(name),
            ["iptables-save", ..] => err("iptables-save runs on a node: kubectl node-shell node-1 -- iptables-save -t nat"),
            [other, ..] => err(format!("{other}: command not found (try help)")),
        }
    }

    fn kubectl_get(&self, words: &[&str]) -> Answer {
        let f = match flags(words) {
            Ok(f) => f,
            Err(e) => return err(e),
        };
        let Some(kind) = f.rest.first() else {
            return err("You must specify the type of resource to get. Try: kubectl get svc");
        };
        let ns = if f.all { None } else { Some(f.namespace.clone().unwrap_or_else(|| "default".into())) };
        let ns = ns.as_deref();
        let (kind_name, text) = match kind.as_str() {
            "svc" | "service" | "services" => ("services", self.services_table(ns, f.wide)),
            "po" | "pod" | "pods" => ("pods", self.pods_table(ns, f.wide)),
            "ep" | "endpoints" => ("endpoints", self.get_endpoints(ns)),
            "endpointslice" | "endpointslices" => ("endpointslices", self.get_endpoint_slices(ns)),
            "ing" | "ingress" | "ingresses" => ("ingresses", self.ingress_table(ns)),
            "netpol" | "networkpolicy" | "networkpolicies" => ("networkpolicies", self.netpol_table(ns)),
            "no" | "node" | "nodes" => ("nodes", self.nodes_table(f.wide)),
            other => return err(format!("error: the server doesn't have a resource type \"{other}\"")),
        };
        let all = ns.is_none();
        let mut lines = text.lines();
        let header = lines.next().unwrap_or("").to_string();
        let mut rows: Vec<&str> = lines.collect();
        if let Some(name) = f.rest.get(1) {
            let col = usize::from(all && kind_name != "nodes");
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
                let served = crate::ingress::served_by_controller(i, &self.ingress_classes).is_ok();
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
                let mut row = vec![n.name.clone(), "Ready".into(), role.into(), AGE.into(), "v1.35.0".into()];
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

    fn kubectl_describe(&self, words: &[&str]) -> Answer {
        let f = match flags(words) {
            Ok(f) => f,
            Err(e) => return err(e),
        };
        let ns = f.namespace.clone().unwrap_or_else(|| "default".into());
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
        let served = crate::ingress::served_by_controller(i, &self.ingress_classes);
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
        if let Some(p) = self.pod(ns, bare) {
            return Ok(Client::pod(&p.namespace, &p.name));
        }
        self.pods
            .iter()
            .find(|p| p.namespace == ns && p.owner.as_ref().is_some_and(|o| o.name == bare))
            .map(|p| Client::pod(&p.namespace, &p.name))
            .ok_or_else(|| format!("Error from server (NotFound): pods \"{bare}\" not found"))
    }

    fn kubectl_exec(&self, words: &[&str]) -> Answer {
        let f = match flags(words) {
            Ok(f) => f,
            Err(e) => return err(e),
        };
        let ns = f.namespace.clone().unwrap_or_else(|| "default".into());
        let Some(pod) = f.rest.first() else {
            return err("error: kubectl exec needs a pod: kubectl exec POD -- curl http://web");
        };
        let client = match self.exec_pod(&ns, pod) {
            Ok(c) => c,
            Err(e) => return err(e),
        };
        let Client::Pod { name, .. } = &client else { return err("not a pod") };
        let who = format!("pod {ns}/{name}");
        let cmd: Vec<&str> = f.command.iter().map(String::as_str).collect();
        match cmd.as_slice() {
            ["curl" | "wget", args @ ..] => self.fetch(client.clone(), cmd[0], args, &who),
            ["nslookup", target, ..] => self.nslookup_pod(&ns, name, target),
            [] => err("error: say what to run after --: kubectl exec POD -- curl http://web"),
            [other, ..] => err(format!(
                "exec: \"{other}\": not available in this terminal (curl, wget and nslookup are)"
            )),
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
        let dst = trace.hops.iter().find(|h| h.action == crate::trace::Action::Send).map(|h| h.before.dst);
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

    fn nslookup_pod(&self, ns: &str, pod: &str, name: &str) -> Answer {
        let answer = self.dns(&DnsQuery {
            from: DnsClient::Pod { namespace: ns.into(), name: pod.into() },
            name: name.into(),
            qtype: QueryType::A,
        });
        ok(nslookup_text(name, &answer))
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
    /// names of pods, Services, nodes and namespaces.
    pub fn completions(&self, line: &str) -> Vec<String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let typing =
            if line.ends_with(' ') || words.is_empty() { "" } else { words.last().copied().unwrap_or("") };
        let before: Vec<&str> =
            if typing.is_empty() { words.clone() } else { words[..words.len() - 1].to_vec() };
        let mut pool: Vec<String> = match before.as_slice() {
            [] => ["kubectl", "curl", "nslookup", "help", "clear"].map(String::from).to_vec(),
            ["kubectl"] => ["get", "describe", "exec", "node-shell"].map(String::from).to_vec(),
            ["kubectl", "get"] => {
                ["svc", "pods", "endpoints", "endpointslices", "ingress", "networkpolicy", "nodes"]
                    .map(String::from)
                    .to_vec()
            }
            ["kubectl", "describe"] => ["svc", "ingress", "networkpolicy"].map(String::from).to_vec(),
            [.., "-n" | "--namespace"] => self.namespaces.iter().map(|n| n.name.clone()).collect(),
            ["kubectl", "node-shell"] => self.nodes.iter().map(|n| n.name.clone()).collect(),
            ["kubectl", "exec", ..] if !before.contains(&"--") => {
                let mut v: Vec<String> = self.pods.iter().map(|p| p.name.clone()).collect();
                v.push("--".into());
                v
            }
            [.., "--"] => ["curl", "wget", "nslookup", "iptables-save"].map(String::from).to_vec(),
            ["kubectl", "describe" | "get", "svc" | "service" | "services", ..] => {
                self.services.iter().map(|s| s.name().to_string()).collect()
            }
            _ => {
                let mut v: Vec<String> =
                    self.services.iter().map(|s| format!("http://{}", s.name())).collect();
                v.extend(["-n", "-A", "-o", "wide"].map(String::from));
                v
            }
        };
        pool.sort();
        pool.dedup();
        pool.retain(|w| w.starts_with(typing) && w != typing);
        pool
    }
}

/// busybox nslookup's output.
fn nslookup_text(name: &str, answer: &crate::dns::DnsAnswer) -> String {
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
    let types: Vec<&str> = p
        .policy_types
        .iter()
        .map(|t| match t {
            PolicyType::Ingress => "Ingress",
            PolicyType::Egress => "Egress",
        })
        .collect();
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
