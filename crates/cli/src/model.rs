//! What the analysis commands share: loading a folder into a cluster, saying what was not
//! used (stderr, JSON, the exit code: `unused.rs`), and naming things in the cluster.

use std::net::Ipv4Addr;
use std::process::ExitCode;

use manifest::{Loaded, Severity, SourceFile};
use netsim::{Client, Cluster, Protocol, Topology};
use serde_json::Value;

use crate::unused::{self, Reading};

pub struct Model {
    pub sources: Vec<SourceFile>,
    pub loaded: Loaded,
    pub cluster: Cluster,
}

impl Model {
    pub fn load(paths: &[String], reading: &Reading) -> Result<Model, String> {
        let sources = crate::files::read_all(paths)?;
        let topology = Topology::default();
        let (loaded, cluster) = manifest::load_and_build_with(&sources, &topology, &reading.limits);
        Ok(Model { sources, loaded, cluster })
    }

    /// On stderr: every error, then what was not used (`unused::stderr_lines`).
    pub fn say_problems(&self, reading: &Reading) {
        let errors = self.loaded.diagnostics.iter().filter(|d| d.severity == Severity::Error);
        for line in crate::files::render_all(&self.sources, errors) {
            eprintln!("{line}");
        }
        for line in unused::stderr_lines(&self.sources, &self.loaded.unused, reading) {
            eprintln!("{line}");
        }
    }

    /// `skipped` and `ignored`, for the command's JSON.
    pub fn unused_json(&self) -> (Value, Value) {
        unused::json_lists(&self.sources, &self.loaded.unused)
    }

    /// The command's own exit code, unless its answer may be incomplete.
    pub fn exit(&self, reading: &Reading, code: ExitCode) -> ExitCode {
        unused::exit_code(&self.loaded.unused, reading, code)
    }

    /// `ns/name` of a pod, or of a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet),
    /// meaning its first replica. A bare `name` is in `default`.
    pub fn pod(&self, reference: &str) -> Result<(String, String), String> {
        let (namespace, name) = split_ref(reference);
        self.cluster
            .pod_or_replica(namespace, name)
            .map(|p| (p.namespace.clone(), p.name.clone()))
            .ok_or_else(|| format!("no pod or workload named {namespace}/{name}"))
    }

    /// A request's source: `node/NAME`, an IPv4 address (a node's own address means that
    /// node), or a pod reference (`pod/ns/name`, `ns/name`, `name`).
    pub fn client(&self, source: &str) -> Result<Client, String> {
        if let Some(node) = source.strip_prefix("node/") {
            return match self.cluster.node(node) {
                Some(_) => Ok(Client::Node(node.to_string())),
                None => Err(format!("no node named {node}")),
            };
        }
        if let Ok(ip) = source.parse::<Ipv4Addr>() {
            return Ok(self.outside(ip));
        }
        let (namespace, name) = self.pod(source.strip_prefix("pod/").unwrap_or(source))?;
        Ok(Client::pod(&namespace, &name))
    }

    /// An outside address, or the node that owns it.
    pub fn outside(&self, ip: Ipv4Addr) -> Client {
        match self.cluster.node_by_ip(ip) {
            Some(node) => Client::Node(node.name.clone()),
            None => Client::Outside(ip),
        }
    }
}

/// `ns/name` -> (ns, name); `name` -> (default, name).
pub fn split_ref(reference: &str) -> (&str, &str) {
    reference.split_once('/').unwrap_or(("default", reference))
}

pub fn protocol(name: Option<&str>) -> Result<Protocol, String> {
    match name {
        None => Ok(Protocol::Tcp),
        Some(p) => Protocol::parse(p).ok_or_else(|| format!("unknown protocol `{p}`: use TCP, UDP or SCTP")),
    }
}
