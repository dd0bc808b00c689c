//! What `kubectl get ... -o wide` and `kubectl describe svc` print, for the terminal panel.
//! AGE has no clock to come from: it is a fixed `5m`.

use netsim::build::{Cluster, ClusterService};

use crate::Kubectl;
use netsim::scenario::{ClusterIpSpec, Labels, ServiceType, SessionAffinity, TrafficPolicy};

pub(crate) const AGE: &str = "5m";

/// kubectl's tabwriter: columns padded to the widest cell plus three spaces.
pub(crate) fn table(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.len());
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<String>| {
        let last = cells.len().saturating_sub(1);
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i == last {
                s.push_str(cell);
            } else {
                s.push_str(&format!("{cell:<width$}", width = w + 3));
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(header.iter().map(|h| h.to_string()).collect());
    for row in rows {
        line(row);
    }
    out
}

pub(crate) fn labels_text(labels: &Labels) -> String {
    if labels.is_empty() {
        "<none>".into()
    } else {
        labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
    }
}

/// kubectl lists at most three endpoints and then ` + N more...`.
pub(crate) fn first_three(items: Vec<String>) -> String {
    if items.is_empty() {
        return "<none>".into();
    }
    let n = items.len();
    let mut s = items.into_iter().take(3).collect::<Vec<_>>().join(",");
    if n > 3 {
        s.push_str(&format!(" + {} more...", n - 3));
    }
    s
}

pub(crate) fn with_namespace(all: bool, ns: &str, mut row: Vec<String>) -> Vec<String> {
    if all {
        row.insert(0, ns.to_string());
    }
    row
}

/// The cells a Service's row and description share.
trait ServiceText {
    fn cluster_ip_text(&self) -> String;
    fn external_ip_text(&self) -> String;
    fn ports_text(&self) -> String;
    fn selector_text(&self) -> String;
    fn endpoints_list(&self) -> Vec<String>;
}

impl ServiceText for ClusterService {
    fn cluster_ip_text(&self) -> String {
        match (self.spec.service_type, self.spec.cluster_ip, self.cluster_ip) {
            (ServiceType::ExternalName, _, _) => "<none>".into(),
            (_, ClusterIpSpec::Headless, _) => "None".into(),
            (_, _, Some(ip)) => ip.to_string(),
            _ => "<none>".into(),
        }
    }

    fn external_ip_text(&self) -> String {
        let mut ips: Vec<String> = Vec::new();
        match self.spec.service_type {
            ServiceType::ExternalName => {
                return self.spec.external_name.clone().unwrap_or_else(|| "<none>".into())
            }
            ServiceType::LoadBalancer => match self.load_balancer_ip {
                Some(ip) => ips.push(ip.to_string()),
                None if self.spec.external_ips.is_empty() => return "<pending>".into(),
                None => {}
            },
            _ => {}
        }
        ips.extend(self.spec.external_ips.iter().map(|ip| ip.to_string()));
        if ips.is_empty() {
            "<none>".into()
        } else {
            ips.join(",")
        }
    }

    fn ports_text(&self) -> String {
        if self.spec.ports.is_empty() {
            return "<none>".into();
        }
        self.spec
            .ports
            .iter()
            .map(|p| match p.node_port {
                Some(np) => format!("{}:{np}/{}", p.port, p.protocol),
                None => format!("{}/{}", p.port, p.protocol),
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    fn selector_text(&self) -> String {
        self.spec.selector.as_ref().map(labels_text).unwrap_or_else(|| "<none>".into())
    }

    /// `kubectl get endpoints`: ready addresses times ports.
    fn endpoints_list(&self) -> Vec<String> {
        let mut out = Vec::new();
        for pe in &self.ports {
            for e in pe.endpoints.iter().filter(|e| e.ready) {
                out.push(format!("{}:{}", e.ip, e.port));
            }
        }
        if self.spec.ports.is_empty() {
            out.extend(self.addresses.iter().filter(|e| e.ready).map(|e| e.ip.to_string()));
        }
        out
    }
}

impl Kubectl<'_> {
    fn services_in<'a>(
        &'a self,
        namespace: Option<&'a str>,
    ) -> impl Iterator<Item = &'a ClusterService> + 'a {
        self.services.iter().filter(move |s| namespace.is_none_or(|n| s.namespace() == n))
    }

    /// `kubectl get svc -o wide` (`namespace: None` is `--all-namespaces`).
    pub(crate) fn get_services(&self, namespace: Option<&str>) -> String {
        let all = namespace.is_none();
        let rows = self
            .services_in(namespace)
            .map(|s| {
                with_namespace(
                    all,
                    s.namespace(),
                    vec![
                        s.name().into(),
                        s.spec.service_type.as_str().into(),
                        s.cluster_ip_text(),
                        s.external_ip_text(),
                        s.ports_text(),
                        AGE.into(),
                        s.selector_text(),
                    ],
                )
            })
            .collect();
        let mut header = vec!["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"];
        if all {
            header.insert(0, "NAMESPACE");
        }
        table(&header, rows)
    }

    /// `kubectl get endpoints`.
    pub(crate) fn get_endpoints(&self, namespace: Option<&str>) -> String {
        let all = namespace.is_none();
        let rows = self
            .services_in(namespace)
            .filter(|s| s.spec.service_type != ServiceType::ExternalName)
            .map(|s| {
                with_namespace(
                    all,
                    s.namespace(),
                    vec![s.name().into(), first_three(s.endpoints_list()), AGE.into()],
                )
            })
            .collect();
        let mut header = vec!["NAME", "ENDPOINTS", "AGE"];
        if all {
            header.insert(0, "NAMESPACE");
        }
        table(&header, rows)
    }

    /// `kubectl get endpointslices`.
    pub(crate) fn get_endpoint_slices(&self, namespace: Option<&str>) -> String {
        let all = namespace.is_none();
        let mut rows = Vec::new();
        for s in self.services_in(namespace).filter(|s| s.spec.service_type != ServiceType::ExternalName) {
            for (name, ports, eps) in s.endpoint_slices() {
                let ports = if ports.is_empty() {
                    "<unset>".into()
                } else {
                    ports.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(",")
                };
                let eps = first_three(eps.iter().map(|e| e.ip.to_string()).collect());
                rows.push(with_namespace(
                    all,
                    s.namespace(),
                    vec![name, "IPv4".into(), ports, eps, AGE.into()],
                ));
            }
        }
        let mut header = vec!["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"];
        if all {
            header.insert(0, "NAMESPACE");
        }
        table(&header, rows)
    }

    /// `kubectl get pods -o wide`.
    pub(crate) fn get_pods(&self, namespace: Option<&str>) -> String {
        let all = namespace.is_none();
        let rows = self
            .pods
            .iter()
            .filter(|p| namespace.is_none_or(|n| p.namespace == n))
            .map(|p| {
                let containers = p.spec.containers.len().max(1);
                let ready = if p.ready && p.node.is_some() { containers } else { 0 };
                let status = if p.node.is_some() && p.ip.is_some() { "Running" } else { "Pending" };
                with_namespace(
                    all,
                    &p.namespace,
                    vec![
                        p.name.clone(),
                        format!("{ready}/{containers}"),
                        status.into(),
                        "0".into(),
                        AGE.into(),
                        p.ip.map(|ip| ip.to_string()).unwrap_or_else(|| "<none>".into()),
                        p.node.clone().unwrap_or_else(|| "<none>".into()),
                        "<none>".into(),
                        "<none>".into(),
                    ],
                )
            })
            .collect();
        let mut header = vec![
            "NAME",
            "READY",
            "STATUS",
            "RESTARTS",
            "AGE",
            "IP",
            "NODE",
            "NOMINATED NODE",
            "READINESS GATES",
        ];
        if all {
            header.insert(0, "NAMESPACE");
        }
        table(&header, rows)
    }

    /// `kubectl describe svc <name> -n <namespace>`.
    pub(crate) fn describe_service(&self, namespace: &str, name: &str) -> Option<String> {
        let s = self.service(namespace, name)?;
        let mut lines: Vec<(String, String)> = Vec::new();
        let mut add = |k: &str, v: String| lines.push((format!("{k}:"), v));
        add("Name", s.name().into());
        add("Namespace", s.namespace().into());
        add("Labels", labels_text(&s.spec.labels));
        add("Annotations", labels_text(&s.spec.annotations));
        add("Selector", s.selector_text());
        add("Type", s.spec.service_type.as_str().into());
        if s.spec.service_type != ServiceType::ExternalName {
            add("IP Family Policy", "SingleStack".into());
            add("IP Families", "IPv4".into());
            add("IP", s.cluster_ip_text());
            add("IPs", s.cluster_ip_text());
        }
        if let Some(ext) = &s.spec.external_name {
            add("External Name", ext.clone());
        }
        if !s.spec.external_ips.is_empty() {
            add(
                "External IPs",
                s.spec.external_ips.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(","),
            );
        }
        if let Some(ip) = s.load_balancer_ip {
            add("LoadBalancer Ingress", ip.to_string());
        }
        for (sp, pe) in s.spec.ports.iter().zip(&s.ports) {
            let pname = sp.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "<unset>".into());
            add("Port", format!("{pname}  {}/{}", sp.port, sp.protocol));
            add("TargetPort", format!("{}/{}", sp.target_port, sp.protocol));
            if let Some(np) = sp.node_port {
                add("NodePort", format!("{pname}  {np}/{}", sp.protocol));
            }
            if s.spec.service_type != ServiceType::ExternalName {
                let eps: Vec<String> =
                    pe.endpoints.iter().filter(|e| e.ready).map(|e| format!("{}:{}", e.ip, e.port)).collect();
                add("Endpoints", if eps.is_empty() { String::new() } else { first_three(eps) });
            }
        }
        add(
            "Session Affinity",
            match s.spec.session_affinity {
                SessionAffinity::None => "None".into(),
                SessionAffinity::ClientIp { .. } => "ClientIP".into(),
            },
        );
        let policy =
            |p: TrafficPolicy| if p == TrafficPolicy::Local { "Local" } else { "Cluster" }.to_string();
        if s.has_node_ports() {
            add("External Traffic Policy", policy(s.spec.external_traffic_policy));
        }
        if s.spec.service_type != ServiceType::ExternalName {
            add("Internal Traffic Policy", policy(s.spec.internal_traffic_policy));
        }
        if !s.spec.load_balancer_source_ranges.is_empty() {
            add(
                "LoadBalancer Source Ranges",
                s.spec
                    .load_balancer_source_ranges
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(","),
            );
        }
        add("Events", "<none>".into());
        let width = lines.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 2;
        let mut out = String::new();
        for (k, v) in lines {
            out.push_str(format!("{k:<width$}{v}").trim_end());
            out.push('\n');
        }
        Some(out)
    }
}

/// `kubectl get svc -o wide` in `namespace`, or in every namespace.
pub fn get_services(cluster: &Cluster, namespace: Option<&str>) -> String {
    Kubectl(cluster).get_services(namespace)
}

/// `kubectl get endpoints` in `namespace`, or in every namespace.
pub fn get_endpoints(cluster: &Cluster, namespace: Option<&str>) -> String {
    Kubectl(cluster).get_endpoints(namespace)
}

/// `kubectl get endpointslices` in `namespace`, or in every namespace.
pub fn get_endpoint_slices(cluster: &Cluster, namespace: Option<&str>) -> String {
    Kubectl(cluster).get_endpoint_slices(namespace)
}

/// `kubectl get pods -o wide` in `namespace`, or in every namespace.
pub fn get_pods(cluster: &Cluster, namespace: Option<&str>) -> String {
    Kubectl(cluster).get_pods(namespace)
}

/// `kubectl describe svc NAME -n NAMESPACE`, or `None` when there is no such Service.
pub fn describe_service(cluster: &Cluster, namespace: &str, name: &str) -> Option<String> {
    Kubectl(cluster).describe_service(namespace, name)
}
