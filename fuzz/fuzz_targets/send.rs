//! (b) load + build + send: a manifest, then requests through the cluster it builds. Never
//! panics, and every trace prints.
//!
//! The input is YAML text; requests are YAML comment lines of the form
//!
//! ```text
//! #> CLIENT TARGET [udp|sctp] [port=N] [seed=N] [pick=N] [node=N] [all]
//! ```
//!
//! so the manifest stays loadable and the fuzzer mutates requests as text. CLIENT is `pod:N`
//! (the N-th pod, one past the end is a pod that does not exist), `node:N`, `outside` or
//! `outside:IP`; TARGET is any text, where `svc:N` becomes the N-th Service's `name.namespace`
//! and `ip:N` its cluster IP (`:PORT` may follow both). Without a `#>` line, the first pod
//! (else node-1) sends to each of the first four Services, so plain manifests are seeds too.
#![no_main]

mod common;

use std::net::Ipv4Addr;

use libfuzzer_sys::fuzz_target;
use netsim::{Client, Cluster, Protocol, Request};

/// At most this many requests per input, to keep executions fast.
const MAX_REQUESTS: usize = 8;

fn index(word: &str, prefix: &str) -> Option<usize> {
    word.strip_prefix(prefix).map(|n| n.parse::<usize>().unwrap_or(0))
}

fn client(cluster: &Cluster, word: &str) -> Client {
    if let Some(i) = index(word, "pod:") {
        return match cluster.pods.get(i % (cluster.pods.len() + 1)) {
            Some(p) => Client::pod(&p.namespace, &p.name),
            None => Client::pod("default", "no-such-pod"),
        };
    }
    if let Some(i) = index(word, "node:") {
        return match cluster.nodes.get(i % (cluster.nodes.len() + 1)) {
            Some(n) => Client::Node(n.name.clone()),
            None => Client::Node("no-such-node".into()),
        };
    }
    if let Some(rest) = word.strip_prefix("outside") {
        let ip = rest.strip_prefix(':').and_then(|ip| ip.parse().ok());
        return Client::Outside(ip.unwrap_or(Ipv4Addr::new(198, 51, 100, 10)));
    }
    match word.split_once('/') {
        Some((ns, name)) => Client::pod(ns, name),
        None => Client::Node(word.into()),
    }
}

fn target(cluster: &Cluster, word: &str) -> String {
    let (head, port) = match word.rsplit_once(':') {
        Some((head, port)) if port.parse::<u16>().is_ok() && head.contains(':') => (head, Some(port)),
        _ => (word, None),
    };
    let service = |i: usize| cluster.services.get(i % cluster.services.len().max(1));
    let expanded = if let Some(s) = index(head, "svc:").and_then(service) {
        format!("{}.{}", s.name(), s.namespace())
    } else if let Some(s) = index(head, "ip:").and_then(service) {
        s.cluster_ip.map_or_else(|| "None".to_string(), |ip| ip.to_string())
    } else {
        return word.to_string();
    };
    match port {
        Some(p) => format!("{expanded}:{p}"),
        None => expanded,
    }
}

/// A request line, or `None` for other lines; the flag says whether to send to every candidate.
fn request(cluster: &Cluster, line: &str) -> Option<(Request, bool)> {
    let mut words = line.strip_prefix("#>")?.split_whitespace();
    let from = client(cluster, words.next().unwrap_or("pod:0"));
    let mut r = Request::new(from, &target(cluster, words.next().unwrap_or("")));
    let mut all = false;
    for w in words {
        let number = |p: &str| w.strip_prefix(p).and_then(|n| n.parse::<u64>().ok());
        match w {
            "udp" => r.protocol = Protocol::Udp,
            "sctp" => r.protocol = Protocol::Sctp,
            "all" => all = true,
            _ => {
                if let Some(n) = number("port=") {
                    r.port = Some(n as u16);
                } else if let Some(n) = number("seed=") {
                    r.seed = n;
                } else if let Some(n) = number("pick=") {
                    r.pick = Some(n as usize);
                } else if let Some(n) = number("node=") {
                    r.node_pick = Some(n as usize);
                }
            }
        }
    }
    Some((r, all))
}

fn requests(cluster: &Cluster, text: &str) -> Vec<(Request, bool)> {
    let mut out: Vec<_> = text.lines().filter_map(|l| request(cluster, l)).take(MAX_REQUESTS).collect();
    if out.is_empty() {
        let from = match cluster.pods.first() {
            Some(p) => Client::pod(&p.namespace, &p.name),
            None => Client::Node("node-1".into()),
        };
        for s in cluster.services.iter().filter(|s| !s.built_in).take(4) {
            out.push((Request::new(from.clone(), &format!("{}.{}", s.name(), s.namespace())), false));
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let files = common::files(text);
    let topology = netsim::Topology::default();
    let loaded = manifest::load(&files, &topology);
    common::check_diagnostics(&files, &loaded);
    let cluster = Cluster::build(&loaded.scenario, &topology);
    for (request, all) in requests(&cluster, text) {
        let traces = if all { cluster.send_all(&request) } else { vec![cluster.send(&request)] };
        for trace in traces {
            let _ = trace.to_string();
            let _ = trace.candidate_count();
        }
    }
});
