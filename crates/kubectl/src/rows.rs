//! Each kind's rows for `kubectl get`: one [`Row`] of cells per object, in the order of its
//! kind's columns ([`crate::kinds`]), for the objects of one namespace or of every one
//! (`None`). https://kubernetes.io/docs/reference/kubectl/generated/kubectl_get/

use netsim::policy::describe_selector;

use crate::cells::{first_three, ServiceText};
use crate::cluster::{Kubectl, KUBE_VERSION};
use crate::table::{Row, AGE};

/// NAME, TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S), AGE, SELECTOR.
pub(crate) fn services(k: Kubectl<'_>, namespace: Option<&str>) -> Vec<Row> {
    k.services_in(namespace)
        .map(|s| {
            let cells = vec![
                s.name().into(),
                s.spec.service_type.as_str().into(),
                s.cluster_ip_text(),
                s.external_ip_text(),
                s.ports_text(),
                AGE.into(),
                s.selector_text(),
            ];
            Row::new(Some(s.namespace()), cells)
        })
        .collect()
}

/// NAME, ENDPOINTS, AGE.
pub(crate) fn endpoints(k: Kubectl<'_>, namespace: Option<&str>) -> Vec<Row> {
    k.with_endpoints(namespace)
        .map(|s| {
            Row::new(Some(s.namespace()), vec![s.name().into(), first_three(s.endpoints_list()), AGE.into()])
        })
        .collect()
}

/// NAME, ADDRESSTYPE, PORTS, ENDPOINTS, AGE.
pub(crate) fn endpoint_slices(k: Kubectl<'_>, namespace: Option<&str>) -> Vec<Row> {
    let mut rows = Vec::new();
    for s in k.with_endpoints(namespace) {
        for (name, ports, eps) in s.endpoint_slices() {
            let ports = if ports.is_empty() {
                "<unset>".into()
            } else {
                ports.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(",")
            };
            let eps = first_three(eps.iter().map(|e| e.ip.to_string()).collect());
            rows.push(Row::new(Some(s.namespace()), vec![name, "IPv4".into(), ports, eps, AGE.into()]));
        }
    }
    rows
}

/// NAME, READY, STATUS, RESTARTS, AGE, and wide: IP, NODE, NOMINATED NODE, READINESS GATES.
pub(crate) fn pods(k: Kubectl<'_>, namespace: Option<&str>) -> Vec<Row> {
    k.0.pods
        .iter()
        .filter(|p| namespace.is_none_or(|n| p.namespace == n))
        .map(|p| {
            let containers = p.spec.containers.len().max(1);
            let ready = if p.ready && p.node.is_some() { containers } else { 0 };
            let status = if p.node.is_some() && p.ip.is_some() { "Running" } else { "Pending" };
            let cells = vec![
                p.name.clone(),
                format!("{ready}/{containers}"),
                status.into(),
                "0".into(),
                AGE.into(),
                p.ip.map(|ip| ip.to_string()).unwrap_or_else(|| "<none>".into()),
                p.node.clone().unwrap_or_else(|| "<none>".into()),
                "<none>".into(),
                "<none>".into(),
            ];
            Row::new(Some(&p.namespace), cells)
        })
        .collect()
}

/// NAME, CLASS, HOSTS, ADDRESS, PORTS, AGE.
pub(crate) fn ingresses(k: Kubectl<'_>, namespace: Option<&str>) -> Vec<Row> {
    k.0.ingresses
        .iter()
        .filter(|i| namespace.is_none_or(|n| i.namespace == n))
        .map(|i| {
            let hosts: Vec<&str> = i.rules.iter().map(|r| r.host.as_deref().unwrap_or("*")).collect();
            let ports = if i.tls.is_empty() { "80" } else { "80, 443" };
            let cells = vec![
                i.name.clone(),
                i.class_name.clone().unwrap_or_else(|| "<none>".into()),
                if hosts.is_empty() { "*".into() } else { hosts.join(",") },
                k.ingress_address(i).map(|ip| ip.to_string()).unwrap_or_default(),
                ports.into(),
                AGE.into(),
            ];
            Row::new(Some(&i.namespace), cells)
        })
        .collect()
}

/// NAME, POD-SELECTOR, AGE.
pub(crate) fn network_policies(k: Kubectl<'_>, namespace: Option<&str>) -> Vec<Row> {
    k.0.network_policies()
        .iter()
        .filter(|p| namespace.is_none_or(|n| p.namespace == n))
        .map(|p| {
            let sel = describe_selector(&p.pod_selector);
            let sel = if sel.is_empty() { "<none>".to_string() } else { sel };
            Row::new(Some(&p.namespace), vec![p.name.clone(), sel, AGE.into()])
        })
        .collect()
}

/// NAME, STATUS, ROLES, AGE, VERSION, and wide: INTERNAL-IP, EXTERNAL-IP. The first node is
/// the control plane.
pub(crate) fn nodes(k: Kubectl<'_>, _namespace: Option<&str>) -> Vec<Row> {
    k.0.nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let role = if i == 0 { "control-plane" } else { "<none>" };
            let cells = vec![
                n.name.clone(),
                "Ready".into(),
                role.into(),
                AGE.into(),
                KUBE_VERSION.into(),
                n.ip.to_string(),
                "<none>".into(),
            ];
            Row::new(None, cells)
        })
        .collect()
}
