//! `kubectl run NAME --image=IMAGE [--rm] [-it] [--restart=Never] [-n NS] [--labels=k=v]
//! -- COMMAND`: a pod made for one command, which runs in it as `kubectl exec` runs it.
//! https://kubernetes.io/docs/reference/kubectl/generated/kubectl_run/

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::net::Ipv4Addr;

use netsim::build::{ClusterNode, ClusterPod};
use netsim::scenario::{Container, Labels, PodSpec};

use crate::answer::{err, Answer};
use crate::cluster::Kubectl;
use crate::exec::runnable;
use crate::flags::flags;
use crate::session::Session;

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
    pub(crate) fn kubectl_run(&self, session: &Session, words: &[&str]) -> Answer {
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
        let answer = Kubectl(&self.with_pod(pod)).in_pod(&ns, name, &cmd);
        let exit_zero = answer.exit_zero;

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
        // Not attached, kubectl only creates the pod; attached, it exits as the command did.
        Answer {
            output: out,
            ok: answer.ok,
            trace: answer.trace,
            exit_zero: answer.ok && (exit_zero || !attach),
        }
    }
}
