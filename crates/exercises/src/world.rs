//! The learner's world: their files with the exercise's read-only cluster, loaded and built
//! once, and what the checks ask of it (pods by reference, clients, objects by identity).

use manifest::yaml::Node;
use manifest::SourceFile;
use netsim::{Client, Cluster, Labels};

use crate::format::Exercise;
use crate::refs::{self, ClientRef, PodSet};

/// The learner's world: their files with the cluster, loaded and built once.
pub(crate) struct World<'a> {
    pub(crate) exercise: &'a Exercise,
    pub(crate) sources: Vec<SourceFile>,
    pub(crate) loaded: manifest::Loaded,
    pub(crate) cluster: Cluster,
    pub(crate) files: &'a [SourceFile],
}

/// The learner's cluster: `files` with the exercise's read-only cluster, loaded and built as
/// the grader does (for the terminal and the picture).
pub fn cluster(exercise: &Exercise, files: &[SourceFile]) -> Cluster {
    model(exercise, files).1
}

/// [`cluster`], with what loading said of each file: the diagnostics of `files` (by their
/// names) and of the read-only cluster (as `cluster.yaml`), as `switchboard shell` prints them.
pub fn model(exercise: &Exercise, files: &[SourceFile]) -> (manifest::Loaded, Cluster) {
    let topology = exercise.topology.topology();
    manifest::load_and_build(&sources(exercise, files), &topology)
}

/// What the model loads: the read-only cluster first, then the learner's version of each of
/// the exercise's files (a missing file counts as empty) but the answer files, which hold
/// `key: value` lines, not Kubernetes objects.
pub(crate) fn sources(exercise: &Exercise, files: &[SourceFile]) -> Vec<SourceFile> {
    exercise.sources(files)
}

/// The client a check's `from` names, in `cluster` (for `pods/`, its first pod; the grader
/// sends from every one, `World::clients`).
pub(crate) fn client(cluster: &Cluster, r: &ClientRef) -> Result<Client, String> {
    match r {
        ClientRef::Pod { namespace, name } => cluster
            .pod_or_replica(namespace, name)
            .map(|p| Client::pod(&p.namespace, &p.name))
            .ok_or_else(|| format!("there is no pod or workload {namespace}/{name}")),
        ClientRef::Pods { namespace, selector } => refs::pods_matching(cluster, namespace, selector)
            .first()
            .map(|p| Client::pod(&p.namespace, &p.name))
            .ok_or_else(|| format!("no pod in {namespace} has {}", refs::describe_labels(selector))),
        ClientRef::Outside(ip) => Ok(match cluster.node_by_ip(*ip) {
            Some(n) => Client::Node(n.name.clone()),
            None => Client::Outside(*ip),
        }),
        ClientRef::Node(n) => Ok(Client::Node(n.clone())),
    }
}

/// How a check's explanation names a client: `ns/name` for a pod.
pub(crate) fn client_name(c: &Client) -> String {
    match c {
        Client::Pod { namespace, name } => format!("{namespace}/{name}"),
        Client::Node(n) => format!("node {n}"),
        Client::Outside(ip) => ip.to_string(),
    }
}

impl World<'_> {
    pub(crate) fn pod(&self, namespace: &str, name: &str) -> Option<&netsim::ClusterPod> {
        self.cluster.pod_or_replica(namespace, name)
    }

    pub(crate) fn pods_matching(&self, namespace: &str, selector: &Labels) -> Vec<&netsim::ClusterPod> {
        refs::pods_matching(&self.cluster, namespace, selector)
    }

    /// The pods of a set (not the outside).
    pub(crate) fn pod_set(&self, set: &PodSet) -> Vec<&netsim::ClusterPod> {
        set.pods(&self.cluster)
    }

    pub(crate) fn client(&self, r: &ClientRef) -> Result<Client, String> {
        client(&self.cluster, r)
    }

    /// Every client `from` names: each pod of a `pods/` set, else the one client.
    pub(crate) fn clients(&self, r: &ClientRef) -> Result<Vec<Client>, String> {
        match r {
            ClientRef::Pods { namespace, selector } => {
                let pods = self.pods_matching(namespace, selector);
                if pods.is_empty() {
                    return Err(format!("no pod in {namespace} has {}", refs::describe_labels(selector)));
                }
                Ok(pods.iter().map(|p| Client::pod(&p.namespace, &p.name)).collect())
            }
            _ => Ok(vec![self.client(r)?]),
        }
    }
}

/// `(kind, namespace, name)` of a Kubernetes object document (namespace `default` when absent).
pub(crate) fn identity(root: &Node) -> Option<(String, String, String)> {
    let kind = root.get("kind")?.as_str()?.to_string();
    let meta = root.get("metadata")?;
    let name = meta.get("name")?.as_str()?.to_string();
    let ns = meta
        .get("namespace")
        .and_then(Node::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or("default")
        .to_string();
    Some((kind, ns, name))
}
