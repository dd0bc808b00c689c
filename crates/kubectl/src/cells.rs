//! The words a table's cells and a description share: labels, endpoint lists, and a
//! Service's addresses, ports and selector as kubectl prints them.

use netsim::build::ClusterService;
use netsim::scenario::{ClusterIpSpec, Labels, ServiceType};

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

/// The cells a Service's row and description share.
pub(crate) trait ServiceText {
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
