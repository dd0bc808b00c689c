//! Commands that run in a pod or on a node: `kubectl exec POD -- curl|wget|nslookup`, the
//! same tools typed without `kubectl exec` (from a laptop on the internet), and
//! `kubectl node-shell NODE -- iptables-save`. Each answers in the tool's own words, with the
//! trace of the request it sent.
//! https://kubernetes.io/docs/reference/kubectl/generated/kubectl_exec/

use std::fmt::Write as _;
use std::net::Ipv4Addr;

use netsim::dns::{DnsClient, DnsQuery, QueryType, Rcode, Record, Resolver};
use netsim::send::{Client, Request};
use netsim::trace::Outcome;
use netsim::ProxyMode;

use crate::answer::{err, ok, Answer};
use crate::cluster::Kubectl;
use crate::flags::flags;
use crate::session::Session;

/// The client of `curl` and `nslookup` typed without `kubectl exec`: a laptop on the internet.
pub const OUTSIDE_CLIENT: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 10);

impl Kubectl<'_> {
    /// Resolves `POD` (a pod name or `deploy/NAME`, `statefulset/NAME`...) in `ns`.
    fn exec_pod(&self, ns: &str, name: &str) -> Result<Client, String> {
        let bare = name.split_once('/').map_or(name, |(_, n)| n);
        self.pod_or_replica(ns, bare)
            .map(|p| Client::pod(&p.namespace, &p.name))
            .ok_or_else(|| format!("Error from server (NotFound): pods \"{bare}\" not found"))
    }

    pub(crate) fn kubectl_exec(&self, session: &Session, words: &[&str]) -> Answer {
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
        self.in_pod(&ns, name, &cmd)
    }

    /// Runs `cmd` in pod `ns/name`, as `kubectl exec` and `kubectl run` do: its answer, which
    /// says whether it would exit 0 (not for a request that fails, nor an NXDOMAIN).
    pub(crate) fn in_pod(&self, ns: &str, name: &str, cmd: &[&str]) -> Answer {
        if let Err(e) = runnable(cmd) {
            return err(e);
        }
        match cmd {
            ["curl" | "wget", args @ ..] => {
                self.fetch(Client::pod(ns, name), cmd[0], args, &format!("pod {ns}/{name}"))
            }
            ["nslookup", target, ..] => {
                let answer = self.dns(&DnsQuery {
                    from: DnsClient::Pod { namespace: ns.into(), name: name.into() },
                    name: (*target).into(),
                    qtype: QueryType::A,
                });
                Answer { exit_zero: answer.rcode == Rcode::NoError, ..ok(nslookup_text(target, &answer)) }
            }
            _ => err("error: say what to run after --"),
        }
    }

    /// `curl`/`wget` from `client`: the request's outcome in the tool's own words, with its trace.
    pub(crate) fn fetch(&self, client: Client, tool: &str, args: &[&str], who: &str) -> Answer {
        let fetch = match FetchArgs::parse(tool, args) {
            Ok(f) => f,
            Err(e) => return err(e),
        };
        let Some(url) = fetch.url.filter(|u| *u != "-") else {
            return err(format!("{tool}: no URL specified"));
        };
        let mut request = Request::new(client, &fetch.target(url));
        if let Some(host) = fetch.host_header(url) {
            request = request.host(&host);
        }
        let trace = self.send(&request);
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
            Outcome::Dropped { .. } if curl => {
                format!("curl: (28) Connection timed out after {} milliseconds", fetch.max_time_ms.unwrap_or(10_000) + 2)
            }
            Outcome::Dropped { .. } => "wget: download timed out".to_string(),
            Outcome::NoRoute { reason } if curl => format!("curl: (7) Failed to connect to {host}: No route to host ({reason})"),
            Outcome::NoRoute { reason } => format!("wget: can't connect to remote host: No route to host ({reason})"),
        };
        let output = format!("{text}\n\n# {who} -> {url}: {}\n{trace}\n", trace.outcome);
        Answer { output, ok: true, exit_zero: trace.outcome.is_success(), trace: Some(trace) }
    }

    pub(crate) fn nslookup_outside(&self, name: &str) -> Answer {
        let answer = self.resolve_outside(name, QueryType::A, None);
        Answer { exit_zero: answer.rcode == Rcode::NoError, ..ok(nslookup_text(name, &answer)) }
    }

    pub(crate) fn node_shell(&self, words: &[&str]) -> Answer {
        let f = match flags(words) {
            Ok(f) => f,
            Err(e) => return err(e),
        };
        let Some(node) = f.rest.first() else {
            return err(
                "error: kubectl node-shell NODE -- iptables-save -t nat (or: nft list table ip kube-proxy)",
            );
        };
        if self.node(node).is_none() {
            return err(format!("Error from server (NotFound): nodes \"{node}\" not found"));
        }
        // Each mode writes its own rules only; the other tool shows none of kube-proxy's.
        let mode = self.topology.kube_proxy_mode;
        let elsewhere = |tool: &str| {
            ok(format!(
                "# kube-proxy runs in {} mode on {node}: it writes no rules for {tool} here (its rules: kubectl node-shell {node} -- {})\n",
                mode.as_str(),
                if mode == ProxyMode::Nftables { "nft list table ip kube-proxy" } else { "iptables-save -t nat" }
            ))
        };
        let command: Vec<&str> = f.command.iter().map(String::as_str).collect();
        match command.as_slice() {
            ["iptables-save", ..] if mode == ProxyMode::Nftables => elsewhere("iptables"),
            ["iptables-save", ..] => ok(self.iptables_save(node).unwrap_or_default()),
            ["nft", "list", "ruleset"] | ["nft", "list", "table", "ip", "kube-proxy"] => match mode {
                ProxyMode::Nftables => ok(self.nft_list(node).unwrap_or_default()),
                ProxyMode::Iptables => elsewhere("nftables"),
            },
            ["nft", ..] => err("nft: the node answers `nft list ruleset` and `nft list table ip kube-proxy`"),
            [other, ..] => err(format!("{other}: not available on the node (iptables-save and nft are)")),
            [] => err("error: say what to run after --: kubectl node-shell node-1 -- iptables-save -t nat"),
        }
    }
}

/// What curl and wget are told: the URL, a Host header (`-H 'Host: …'`, wget's `--header`),
/// curl's `--resolve HOST:PORT:ADDRESS` (connect to ADDRESS for HOST:PORT, the Host header
/// staying HOST) and `-m`/`--max-time SECONDS`. Other options are taken as they come and
/// change nothing in the model.
#[derive(Default)]
struct FetchArgs<'a> {
    url: Option<&'a str>,
    host: Option<String>,
    resolve: Option<(String, String, String)>,
    max_time_ms: Option<u64>,
}

impl<'a> FetchArgs<'a> {
    fn parse(tool: &str, args: &[&'a str]) -> Result<FetchArgs<'a>, String> {
        let mut f = FetchArgs::default();
        let mut it = args.iter();
        while let Some(&arg) = it.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if arg.starts_with("--") => (flag, Some(value)),
                _ => (arg, None),
            };
            let mut value = |name: &str| {
                inline
                    .or_else(|| it.next().copied())
                    .ok_or_else(|| format!("{tool}: option {name}: requires parameter"))
            };
            match flag {
                "-H" | "--header" => {
                    let header = value(flag)?;
                    if let Some((name, v)) = header.split_once(':') {
                        if name.trim().eq_ignore_ascii_case("host") {
                            f.host = Some(v.trim().to_string());
                        }
                    }
                }
                "--resolve" if tool == "curl" => {
                    let spec = value(flag)?;
                    let mut parts = spec.splitn(3, ':');
                    match (parts.next(), parts.next(), parts.next()) {
                        (Some(h), Some(p), Some(a)) if !h.is_empty() && !a.is_empty() => {
                            f.resolve = Some((h.to_string(), p.to_string(), a.to_string()))
                        }
                        _ => return Err(format!("curl: option --resolve: {spec} is not HOST:PORT:ADDRESS")),
                    }
                }
                "-m" | "--max-time" | "-T" | "--timeout" => {
                    let seconds = value(flag)?;
                    let s: f64 =
                        seconds.parse().map_err(|_| format!("{tool}: option {flag}: expected a number"))?;
                    f.max_time_ms = Some((s * 1000.0) as u64);
                }
                "-o" | "-O" if tool == "wget" => {
                    // wget -O FILE (`-qO-`, `-O -`): where the body goes.
                    let _ = value(flag)?;
                }
                "-o" | "-X" | "--request" | "-d" | "--data" | "-u" | "--user" | "-A" | "--user-agent" => {
                    let _ = value(flag)?;
                }
                _ if arg.starts_with('-') && arg != "-" => {}
                _ => f.url = Some(arg),
            }
        }
        Ok(f)
    }

    /// The URL's host, scheme and port, without its path.
    fn url_parts(url: &str) -> (&str, &str, Option<&str>) {
        let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
        let authority = rest.split(['/', '?']).next().unwrap_or(rest);
        match authority.rsplit_once(':') {
            Some((h, p)) => (scheme, h, Some(p)),
            None => (scheme, authority, None),
        }
    }

    /// Where the connection goes: the URL, with its host replaced by `--resolve`'s address
    /// when that names its host and port.
    fn target(&self, url: &str) -> String {
        let (scheme, host, port) = Self::url_parts(url);
        let port = port.unwrap_or(if scheme == "https" { "443" } else { "80" });
        match &self.resolve {
            Some((h, p, address)) if h.eq_ignore_ascii_case(host) && p == port => {
                let rest = url.split_once("://").map_or(url, |(_, r)| r);
                let path = rest.find(['/', '?']).map_or("", |i| &rest[i..]);
                format!("{scheme}://{address}:{port}{path}")
            }
            _ => url.to_string(),
        }
    }

    /// The Host header when it is not the connection's host: `-H 'Host: …'` (its port
    /// dropped), or the URL's host when `--resolve` sends the connection elsewhere.
    fn host_header(&self, url: &str) -> Option<String> {
        if let Some(h) = &self.host {
            return Some(h.split(':').next().unwrap_or(h).to_string());
        }
        let (_, host, _) = Self::url_parts(url);
        (self.target(url) != url).then(|| host.to_string())
    }
}

/// The commands a pod can run here; an error in `kubectl exec`'s words otherwise.
pub(crate) fn runnable(cmd: &[&str]) -> Result<(), String> {
    match cmd {
        ["curl" | "wget", ..] | ["nslookup", _, ..] => Ok(()),
        [] => Err("error: say what to run after --".into()),
        ["nslookup"] => Err("nslookup: say which name to look up, e.g. nslookup web".into()),
        [other, ..] => {
            Err(format!("exec: \"{other}\": not available in this terminal (curl, wget and nslookup are)"))
        }
    }
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
