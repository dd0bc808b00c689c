//! Where the terminal and the request composer start in an exercise: the namespace the
//! terminal's commands run in, and the pod the composer sends from.

use manifest::SourceFile;
use netsim::{Client, Cluster, Source};

use crate::check::{Check, CheckKind};
use crate::format::Exercise;
use crate::refs::{ClientRef, DnsFrom};
use crate::world::{client, sources};

/// The namespace the terminal starts in: that of the first object of the learner's `files`
/// (in the exercise's order of files, then top to bottom), else that of the first Pod or
/// workload of the read-only cluster, else `default`. Cluster-scoped objects (Namespaces,
/// IngressClasses) have none and are passed over.
pub fn terminal_namespace(exercise: &Exercise, files: &[SourceFile]) -> String {
    let sources = sources(exercise, files);
    let scenario = manifest::load(&sources, &exercise.topology.topology()).scenario;
    // (file index, byte offset): the cluster's file is index 0, the learner's follow.
    let at = |source: &Option<Source>| {
        let s = source.as_ref()?;
        Some((sources.iter().position(|f| f.name == s.file)?, s.start))
    };
    // (is a Pod or workload, namespace, source) of every namespaced object.
    let objects: Vec<(bool, &String, &Option<Source>)> =
        (scenario.pods.iter().map(|p| (true, &p.namespace, &p.source)))
            .chain(scenario.workloads.iter().map(|w| (true, &w.namespace, &w.source)))
            .chain(scenario.services.iter().map(|s| (false, &s.namespace, &s.source)))
            .chain(scenario.endpoint_slices.iter().map(|e| (false, &e.namespace, &e.source)))
            .chain(scenario.network_policies.iter().map(|p| (false, &p.namespace, &p.source)))
            .chain(scenario.ingresses.iter().map(|i| (false, &i.namespace, &i.source)))
            .collect();
    let first = |learners: bool| {
        objects
            .iter()
            .filter(|(workload, _, _)| learners || *workload)
            .filter_map(|(_, ns, s)| at(s).filter(|(file, _)| (*file > 0) == learners).map(|at| (at, *ns)))
            .min()
    };
    first(true).or_else(|| first(false)).map_or_else(|| "default".to_string(), |(_, ns)| ns.clone())
}

/// The client the request composer starts with: the first pod the checks send from (a
/// request's, a DNS question's or a policy pair's `from`), as `pod/<ns>/<name>` of `cluster`
/// (a workload or a selector stands for its first pod; the grader sends from each pod of a
/// selector); `None` when the
/// checks send only from outside, from nodes or from the cluster's own pods (the Ingress
/// controller), or name no pod of `cluster`.
pub fn default_source(exercise: &Exercise, cluster: &Cluster) -> Option<String> {
    exercise
        .checks
        .iter()
        .flat_map(senders)
        .filter(|r| matches!(r, ClientRef::Pod { .. } | ClientRef::Pods { .. }))
        .find_map(|r| match client(cluster, &r) {
            Ok(Client::Pod { namespace, name }) => cluster.pod(&namespace, &name).filter(|p| !p.built_in),
            _ => None,
        })
        .map(|p| p.id())
}

/// The clients a check sends from, in its order.
fn senders(check: &Check) -> Vec<ClientRef> {
    match &check.kind {
        CheckKind::Request(r) => vec![r.from.value.clone()],
        CheckKind::Dns(d) => match &d.from.value {
            DnsFrom::Pod(pod) => vec![pod.clone()],
            DnsFrom::Namespace(_) => vec![],
        },
        CheckKind::Policy(p) => p.allow.iter().chain(&p.deny).map(|pair| pair.from.client()).collect(),
        CheckKind::Ingress(_)
        | CheckKind::Route(_)
        | CheckKind::Object(_)
        | CheckKind::Valid(_)
        | CheckKind::Unchanged(_)
        | CheckKind::Env(_)
        | CheckKind::KubeProxy(_)
        | CheckKind::LoadBalancer(_)
        | CheckKind::Answer(_) => vec![],
    }
}
