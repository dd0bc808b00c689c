//! What the terminal offers: completions of the word being typed (commands, kinds, flags,
//! and the names of the cluster's objects), and the first lines' suggestions, commands that
//! answer in this cluster.

use std::fmt::Write as _;

use netsim::build::{ClusterPod, ClusterService};
use netsim::scenario::ServiceType;

use crate::cluster::{tcp_port, Kubectl};
use crate::flags::flags;
use crate::kinds::{Kind, KINDS};
use crate::session::Session;

impl Kubectl<'_> {
    /// Words that may complete the last word of `line`: commands, kinds, flags, and the
    /// names of pods (of the namespace the line or `session` names), of the objects of the
    /// kind being asked for, of nodes and of namespaces.
    pub(crate) fn completions(&self, session: &Session, line: &str) -> Vec<String> {
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
            ["kubectl", "get"] => KINDS.iter().map(|k| k.offered.to_string()).collect(),
            ["kubectl", "describe"] => {
                KINDS.iter().filter(|k| k.describe.is_some()).map(|k| k.offered.to_string()).collect()
            }
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
            [.., "--"] => ["curl", "wget", "nslookup", "iptables-save", "nft"].map(String::from).to_vec(),
            // The names of the kind's objects, in every namespace.
            ["kubectl", verb @ ("describe" | "get"), word, ..]
                if Kind::parse(word).is_some_and(|k| *verb == "get" || k.describe.is_some()) =>
            {
                Kind::parse(word)
                    .map(|k| (k.rows)(*self, None))
                    .unwrap_or_default()
                    .into_iter()
                    .map(|r| r.name)
                    .collect()
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
    pub(crate) fn suggestions(&self, session: &Session, client: Option<&str>) -> Vec<String> {
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

    /// The terminal's first lines: where commands run, and the suggestions one a
    /// line (the terminal does not wrap lines, so tables stay tables).
    pub(crate) fn intro(&self, session: &Session, client: Option<&str>) -> String {
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
