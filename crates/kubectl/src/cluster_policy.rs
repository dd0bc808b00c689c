//! Cluster-wide policy in the terminal (policy.networking.k8s.io): ClusterNetworkPolicy
//! (`v1alpha2`, short name `cnp`), AdminNetworkPolicy (`anp`) and BaselineAdminNetworkPolicy
//! (`banp`). `kubectl get` prints their CRDs' `additionalPrinterColumns` (TIER and PRIORITY
//! for ClusterNetworkPolicy, PRIORITY for AdminNetworkPolicy, then AGE); `-o yaml` writes the
//! model's object; `describe` prints it as kubectl prints a custom resource. The model keeps no
//! status for them (the plugin writes it).

use netsim::{
    ClusterAction, ClusterNetworkPolicy, ClusterPeer, ClusterPolicyKind, ClusterPort, ClusterRule,
    ClusterSelector, Labels, PolicyType,
};

use crate::cluster::Kubectl;
use crate::gateway::described;
use crate::objects::{metadata, object, selector_yaml, Named};
use crate::table::{Row, AGE};
use crate::yaml::{Map, Yaml};

fn of_kind(k: Kubectl<'_>, kind: ClusterPolicyKind) -> impl Iterator<Item = &ClusterNetworkPolicy> {
    k.0.cluster_network_policies().iter().filter(move |p| p.kind == kind)
}

/// NAME, TIER, PRIORITY, AGE.
pub(crate) fn cnp_rows(k: Kubectl<'_>, _ns: Option<&str>) -> Vec<Row> {
    of_kind(k, ClusterPolicyKind::ClusterNetworkPolicy)
        .map(|p| {
            let cells = vec![p.name.clone(), p.tier.as_str().into(), p.priority.to_string(), AGE.into()];
            Row::new(None, cells)
        })
        .collect()
}

/// NAME, PRIORITY, AGE.
pub(crate) fn anp_rows(k: Kubectl<'_>, _ns: Option<&str>) -> Vec<Row> {
    of_kind(k, ClusterPolicyKind::AdminNetworkPolicy)
        .map(|p| Row::new(None, vec![p.name.clone(), p.priority.to_string(), AGE.into()]))
        .collect()
}

/// NAME, AGE.
pub(crate) fn banp_rows(k: Kubectl<'_>, _ns: Option<&str>) -> Vec<Row> {
    of_kind(k, ClusterPolicyKind::BaselineAdminNetworkPolicy)
        .map(|p| Row::new(None, vec![p.name.clone(), AGE.into()]))
        .collect()
}

fn objects_of(k: Kubectl<'_>, kind: ClusterPolicyKind) -> Vec<Named> {
    of_kind(k, kind).map(|p| (p.name.clone(), policy(p))).collect()
}

pub(crate) fn cnps(k: Kubectl<'_>, _ns: Option<&str>) -> Vec<Named> {
    objects_of(k, ClusterPolicyKind::ClusterNetworkPolicy)
}

pub(crate) fn anps(k: Kubectl<'_>, _ns: Option<&str>) -> Vec<Named> {
    objects_of(k, ClusterPolicyKind::AdminNetworkPolicy)
}

pub(crate) fn banps(k: Kubectl<'_>, _ns: Option<&str>) -> Vec<Named> {
    objects_of(k, ClusterPolicyKind::BaselineAdminNetworkPolicy)
}

fn describe_of(k: Kubectl<'_>, kind: ClusterPolicyKind, name: &str) -> Option<String> {
    of_kind(k, kind).find(|p| p.name == name).map(|p| described(policy(p), None))
}

pub(crate) fn describe_cnp(k: Kubectl<'_>, _ns: &str, name: &str) -> Option<String> {
    describe_of(k, ClusterPolicyKind::ClusterNetworkPolicy, name)
}

pub(crate) fn describe_anp(k: Kubectl<'_>, _ns: &str, name: &str) -> Option<String> {
    describe_of(k, ClusterPolicyKind::AdminNetworkPolicy, name)
}

pub(crate) fn describe_banp(k: Kubectl<'_>, _ns: &str, name: &str) -> Option<String> {
    describe_of(k, ClusterPolicyKind::BaselineAdminNetworkPolicy, name)
}

/// The object as its kind's API writes it.
fn policy(p: &ClusterNetworkPolicy) -> Yaml {
    let v1 = p.kind != ClusterPolicyKind::ClusterNetworkPolicy;
    let api = if v1 { "policy.networking.k8s.io/v1alpha1" } else { "policy.networking.k8s.io/v1alpha2" };
    let rules = |direction: PolicyType| -> Vec<Yaml> {
        p.rules(direction).iter().map(|r| rule(p.kind, r, direction)).collect()
    };
    let mut spec = Map::new().with("subject", selection(&p.subject));
    match p.kind {
        ClusterPolicyKind::ClusterNetworkPolicy => {
            spec = spec.with("tier", p.tier.as_str()).with("priority", p.priority);
        }
        ClusterPolicyKind::AdminNetworkPolicy => spec = spec.with("priority", p.priority),
        ClusterPolicyKind::BaselineAdminNetworkPolicy => {}
    }
    for (key, direction) in [("ingress", PolicyType::Ingress), ("egress", PolicyType::Egress)] {
        let list = rules(direction);
        if !list.is_empty() {
            spec = spec.list(key, list);
        }
    }
    object(api, p.kind.as_str(), metadata(&p.name, None, &Labels::new(), &Labels::new()))
        .with("spec", spec)
        .into()
}

fn selection(sel: &ClusterSelector) -> Yaml {
    match sel {
        ClusterSelector::Namespaces(ns) => Map::new().with("namespaces", selector_yaml(ns)).into(),
        ClusterSelector::Pods { namespaces, pods } => Map::new()
            .with(
                "pods",
                Map::new()
                    .with("namespaceSelector", selector_yaml(namespaces))
                    .with("podSelector", selector_yaml(pods)),
            )
            .into(),
    }
}

fn rule(kind: ClusterPolicyKind, r: &ClusterRule, direction: PolicyType) -> Yaml {
    let action = match r.action {
        ClusterAction::Accept => kind.accept_word(),
        ClusterAction::Deny => "Deny",
        ClusterAction::Pass => "Pass",
    };
    let peers: Vec<Yaml> = r
        .peers
        .iter()
        .map(|peer| match peer {
            ClusterPeer::Pods(sel) => selection(sel),
            ClusterPeer::Networks(cidrs) => Map::new()
                .with("networks", cidrs.iter().map(|c| Yaml::from(c.to_string())).collect::<Vec<_>>())
                .into(),
        })
        .collect();
    let key = if direction == PolicyType::Ingress { "from" } else { "to" };
    let mut m = Map::new()
        .with("action", action)
        .with(key, peers)
        .maybe("name", Some(&r.name).filter(|n| !n.is_empty()));
    if let Some(ports) = &r.ports {
        let v1 = kind != ClusterPolicyKind::ClusterNetworkPolicy;
        let list = ports.iter().map(|p| if v1 { v1alpha1_port(p) } else { protocol(p) }).collect();
        m = m.list(if v1 { "ports" } else { "protocols" }, list);
    }
    m.into()
}

fn protocol(p: &ClusterPort) -> Yaml {
    match p {
        ClusterPort::Named(name) => Map::new().with("destinationNamedPort", name).into(),
        ClusterPort::Range { protocol, first, last } => {
            let port = if first == last {
                Map::new().with("number", *first)
            } else {
                Map::new().with("range", Map::new().with("end", *last).with("start", *first))
            };
            Map::new()
                .with(&protocol.as_str().to_ascii_lowercase(), Map::new().with("destinationPort", port))
                .into()
        }
    }
}

fn v1alpha1_port(p: &ClusterPort) -> Yaml {
    match p {
        ClusterPort::Named(name) => Map::new().with("namedPort", name).into(),
        ClusterPort::Range { protocol, first, last } if first == last => Map::new()
            .with("portNumber", Map::new().with("port", *first).with("protocol", protocol.as_str()))
            .into(),
        ClusterPort::Range { protocol, first, last } => Map::new()
            .with(
                "portRange",
                Map::new().with("end", *last).with("protocol", protocol.as_str()).with("start", *first),
            )
            .into(),
    }
}
