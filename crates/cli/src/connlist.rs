//! `switchboard connlist PATH... [--format text|csv|json] [--pods-only] [--all]`: every port
//! NetworkPolicy allows between every pair of pods and between pods and the outside address
//! ranges (`netsim::connlist`), one line per pair with something allowed, sorted by source
//! then destination (pods by namespace/name, then outside ranges by address). Streamed: one
//! row of the report at a time.
//!
//! And the hidden `switchboard gen-cluster --pods N --policies M [--seed S]`: the synthetic
//! cluster of the benchmarks (`netsim::synthetic`) as a manifest on stdout, to measure this
//! command on (`/usr/bin/time -v switchboard connlist file.yaml --format csv > /dev/null`).

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use netsim::connlist::{Peer, PortSet, PROTOCOLS};
use serde_json::{json, Value};

use crate::model::Model;
use crate::unused::Reading;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Csv,
    Json,
}

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let mut paths = Vec::new();
    let (mut format, mut pods_only, mut all) = (Format::Text, false, false);
    let mut reading = Reading::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if reading.option(arg, &mut it)? {
            continue;
        }
        match arg.as_str() {
            "--format" => {
                format = match it.next().map(String::as_str) {
                    Some("text") => Format::Text,
                    Some("csv") => Format::Csv,
                    Some("json") => Format::Json,
                    other => return Err(format!("--format: expected text, csv or json, got {other:?}")),
                }
            }
            "--pods-only" => pods_only = true,
            "--all" => all = true,
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            path => paths.push(path.to_string()),
        }
    }
    if paths.is_empty() {
        return Err("connlist needs at least one PATH".into());
    }
    let model = Model::load(&paths, &reading)?;
    model.say_problems(&reading);
    let cluster = &model.cluster;
    let conn = cluster.policy.connectivity();
    // The learner's pods, unless --all asks for CoreDNS and the ingress controller too.
    let shown: Vec<bool> = cluster.pods.iter().map(|p| all || !p.built_in).collect();
    for &i in conn.unaddressed().iter().filter(|&&i| shown[i]) {
        let p = &cluster.pods[i];
        eprintln!("pod {}/{} has no IP address: it takes part in no connection", p.namespace, p.name);
    }
    let pod_names: Vec<String> = cluster.pods.iter().map(|p| format!("{}/{}", p.namespace, p.name)).collect();
    let range_names: Vec<String> = conn.outside().iter().map(ToString::to_string).collect();
    let name = |peer: Peer| -> &str {
        match peer {
            Peer::Pod(i) => &pod_names[i],
            Peer::Outside(range) => {
                let k = conn.outside().partition_point(|r| r.first < range.first);
                &range_names[k]
            }
        }
    };
    let visible = |peer: Peer| match peer {
        Peer::Pod(i) => shown[i],
        Peer::Outside(_) => true,
    };
    // Each distinct port set is rendered once.
    let mut rendered: Vec<Option<String>> = Vec::new();
    let mut render = |id: usize, ports: &PortSet| -> String {
        if rendered.len() <= id {
            rendered.resize(id + 1, None);
        }
        rendered[id]
            .get_or_insert_with(|| match format {
                Format::Text => ports.to_string(),
                Format::Csv => csv_field(&ports.to_string()),
                Format::Json => {
                    format!("{},\"ports\":{}", json_string(&ports.to_string()), ports_json(ports))
                }
            })
            .clone()
    };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut written = 0usize;
    let mut result: io::Result<()> = match format {
        Format::Text => Ok(()),
        Format::Csv => out.write_all(b"src,dst,conn\n"),
        Format::Json => {
            let (skipped, ignored) = model.unused_json();
            write!(out, "{{\"skipped\": {skipped},\n\"ignored\": {ignored},\n\"connections\": [")
        }
    };
    conn.for_each_row(pods_only, |row| {
        if result.is_err() || !visible(row.src) {
            return;
        }
        let src = match format {
            Format::Json => json_string(name(row.src)),
            _ => name(row.src).to_string(),
        };
        for a in row.allowed.iter().filter(|a| visible(a.dst)) {
            let ports = render(a.set_id, a.ports);
            let dst = name(a.dst);
            let line = match format {
                Format::Text => writeln!(out, "{src} => {dst} : {ports}"),
                Format::Csv => writeln!(out, "{src},{dst},{ports}"),
                Format::Json => {
                    let sep = if written == 0 { "\n" } else { ",\n" };
                    write!(out, "{sep}  {{\"src\":{src},\"dst\":{},\"conn\":{ports}}}", json_string(dst))
                }
            };
            written += 1;
            if let Err(e) = line {
                result = Err(e);
                return;
            }
        }
    });
    if format == Format::Json && result.is_ok() {
        result = out.write_all(if written == 0 { b"]}\n" } else { b"\n]}\n" });
    }
    match result.and_then(|()| out.flush()) {
        Ok(()) => Ok(model.exit(&reading, ExitCode::SUCCESS)),
        // `switchboard connlist ... | head`: end quietly, as Unix tools do.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::from(141)),
        Err(e) => Err(format!("writing the report: {e}")),
    }
}

/// RFC 4180: quoted when it holds a comma or a quote. Pod names (DNS labels) and ranges
/// never do; port lists with several ranges do.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn json_string(text: &str) -> String {
    Value::String(text.to_string()).to_string()
}

/// `[{"protocol":"TCP","from":5000,"to":7767}, ...]`, in the order of the text form.
fn ports_json(ports: &PortSet) -> String {
    let list: Vec<Value> = PROTOCOLS
        .iter()
        .flat_map(|&p| {
            ports
                .get(p)
                .ranges()
                .iter()
                .map(move |&(from, to)| json!({"protocol": p.as_str(), "from": from, "to": to}))
        })
        .collect();
    Value::Array(list).to_string()
}

/// `gen-cluster --pods N --policies M [--seed S] [--dump]`: the manifest of
/// `netsim::synthetic::policy_cluster`, one JSON document per object (JSON is YAML), with
/// enough Nodes for every pod to get an address (a node's pod range is a /24); with `--dump`,
/// one List in kubectl's YAML with what a live cluster adds (`dump.rs`).
pub fn gen_cluster(args: &[String]) -> Result<ExitCode, String> {
    let (mut pods, mut policies, mut seed, mut as_dump) = (None, None, 42u64, false);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut number = |flag: &str| -> Result<u64, String> {
            let v = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
            v.parse::<u64>().map_err(|e| format!("{flag} {v}: {e}"))
        };
        match arg.as_str() {
            "--pods" => pods = Some(number("--pods")? as usize),
            "--policies" => policies = Some(number("--policies")? as usize),
            "--seed" => seed = number("--seed")?,
            "--dump" => as_dump = true,
            other => return Err(format!("gen-cluster: unexpected {other}")),
        }
    }
    let (Some(pods), Some(policies)) = (pods, policies) else {
        return Err("gen-cluster needs --pods N --policies M".into());
    };
    if pods > 20_000 {
        return Err("gen-cluster: at most 20000 pods".into());
    }
    let world = netsim::synthetic::policy_cluster(pods, policies, seed);
    let mut docs: Vec<Value> = Vec::new();
    for i in 0..pods / 200 + 3 {
        docs.push(
            json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": format!("node-{}", i + 1)}}),
        );
    }
    for (name, labels) in &world.namespaces {
        docs.push(
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}}),
        );
    }
    for p in &world.pods {
        let ports: Vec<Value> = p
            .ports
            .iter()
            .map(|cp| json!({"name": cp.name, "containerPort": cp.container_port, "protocol": cp.protocol.as_str()}))
            .collect();
        docs.push(json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": p.name, "namespace": p.namespace, "labels": p.labels},
            "spec": {"containers": [{"name": "app", "image": "registry.example/app:1", "ports": ports}]},
        }));
    }
    for np in &world.policies {
        docs.push(policy_json(np));
    }
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let written: io::Result<()> = if as_dump {
        out.write_all(crate::dump::list_yaml(docs).as_bytes()).and_then(|()| out.flush())
    } else {
        docs.iter().try_for_each(|d| writeln!(out, "---\n{d}")).and_then(|()| out.flush())
    };
    match written {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::from(141)),
        Err(e) => Err(format!("writing the manifest: {e}")),
    }
}

fn policy_json(np: &netsim::NetworkPolicy) -> Value {
    use netsim::{LabelSelector, PolicyPeer, PolicyRule, PortRef};
    let selector = |s: &LabelSelector| {
        let expressions: Vec<Value> = s
            .match_expressions
            .iter()
            .map(|r| {
                let operator = r.operator.as_str();
                if r.values.is_empty() {
                    json!({"key": r.key, "operator": operator})
                } else {
                    json!({"key": r.key, "operator": operator, "values": r.values})
                }
            })
            .collect();
        let mut v = json!({});
        if !s.match_labels.is_empty() {
            v["matchLabels"] = json!(s.match_labels);
        }
        if !expressions.is_empty() {
            v["matchExpressions"] = Value::Array(expressions);
        }
        v
    };
    let rule = |r: &PolicyRule, peers_key: &str| {
        let peers: Vec<Value> = r
            .peers
            .iter()
            .map(|peer| match peer {
                PolicyPeer::Pods { pod_selector, namespace_selector } => {
                    let mut v = json!({});
                    if let Some(s) = pod_selector {
                        v["podSelector"] = selector(s);
                    }
                    if let Some(s) = namespace_selector {
                        v["namespaceSelector"] = selector(s);
                    }
                    v
                }
                PolicyPeer::IpBlock { cidr, except } => {
                    let except: Vec<String> = except.iter().map(ToString::to_string).collect();
                    json!({"ipBlock": {"cidr": cidr.to_string(), "except": except}})
                }
            })
            .collect();
        let ports: Vec<Value> = r
            .ports
            .iter()
            .map(|pp| {
                let mut v = json!({"protocol": pp.protocol.as_str()});
                match &pp.port {
                    Some(PortRef::Number(n)) => v["port"] = json!(n),
                    Some(PortRef::Name(name)) => v["port"] = json!(name),
                    None => {}
                }
                if let Some(end) = pp.end_port {
                    v["endPort"] = json!(end);
                }
                v
            })
            .collect();
        let mut v = json!({});
        if !peers.is_empty() {
            v[peers_key] = Value::Array(peers);
        }
        if !ports.is_empty() {
            v["ports"] = Value::Array(ports);
        }
        v
    };
    let types: Vec<&str> = np.policy_types.iter().map(|t| t.as_str()).collect();
    json!({
        "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": np.name, "namespace": np.namespace},
        "spec": {
            "podSelector": selector(&np.pod_selector),
            "policyTypes": types,
            "ingress": np.ingress.iter().map(|r| rule(r, "from")).collect::<Vec<_>>(),
            "egress": np.egress.iter().map(|r| rule(r, "to")).collect::<Vec<_>>(),
        },
    })
}
