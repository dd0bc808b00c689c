//! Each kind's `kubectl describe KIND NAME`, in kubectl's words, from the model.
//! https://kubernetes.io/docs/reference/kubectl/generated/kubectl_describe/

use std::fmt::Write as _;

use netsim::policy::describe_selector;
use netsim::scenario::{
    IngressBackend, NetworkPolicy, PolicyPeer, PolicyRule, PolicyType, PortRef, ServiceType, SessionAffinity,
    TrafficPolicy,
};

use crate::cells::{first_three, labels_text, ServiceText};
use crate::cluster::Kubectl;

/// `kubectl describe svc <name> -n <namespace>`.
pub(crate) fn service(k: Kubectl<'_>, namespace: &str, name: &str) -> Option<String> {
    let s = k.0.service(namespace, name)?;
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
        add("External IPs", s.spec.external_ips.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(","));
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
    let policy = |p: TrafficPolicy| if p == TrafficPolicy::Local { "Local" } else { "Cluster" }.to_string();
    if s.has_node_ports() {
        add("External Traffic Policy", policy(s.spec.external_traffic_policy));
    }
    if s.spec.service_type != ServiceType::ExternalName {
        add("Internal Traffic Policy", policy(s.spec.internal_traffic_policy));
    }
    if !s.spec.load_balancer_source_ranges.is_empty() {
        let ranges: Vec<String> = s.spec.load_balancer_source_ranges.iter().map(|c| c.to_string()).collect();
        add("LoadBalancer Source Ranges", ranges.join(","));
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

/// `kubectl describe ingress`: the rules with each backend's endpoints, and whether the
/// controller serves it.
pub(crate) fn ingress(k: Kubectl<'_>, ns: &str, name: &str) -> Option<String> {
    let i = k.0.ingresses.iter().find(|i| i.namespace == ns && i.name == name)?;
    let served = netsim::ingress::served_by_controller(i, &k.0.ingress_classes);
    let address = k.ingress_address(i).map(|ip| ip.to_string()).unwrap_or_default();
    let backend = |b: &IngressBackend| ingress_backend(k, ns, b);
    let mut out = String::new();
    let _ = writeln!(out, "Name:             {}", i.name);
    let _ = writeln!(out, "Labels:           <none>");
    let _ = writeln!(out, "Namespace:        {}", i.namespace);
    let _ = writeln!(out, "Address:          {address}");
    let _ = writeln!(out, "Ingress Class:    {}", i.class_name.as_deref().unwrap_or("<none>"));
    let _ = writeln!(
        out,
        "Default backend:  {}",
        i.default_backend.as_ref().map_or("<default>".to_string(), backend)
    );
    if !i.tls.is_empty() {
        let _ = writeln!(out, "TLS:");
        for t in &i.tls {
            let secret = t.secret_name.as_deref().unwrap_or("<default>");
            let _ = writeln!(out, "  {secret} terminates {}", t.hosts.join(","));
        }
    }
    let _ = writeln!(out, "Rules:");
    let _ = writeln!(out, "  Host        Path  Backends");
    let _ = writeln!(out, "  ----        ----  --------");
    for r in &i.rules {
        let _ = writeln!(out, "  {}", r.host.as_deref().unwrap_or("*"));
        for p in &r.paths {
            let _ =
                writeln!(out, "              {}   {}", p.path.as_deref().unwrap_or("/"), backend(&p.backend));
        }
    }
    let _ = writeln!(out, "Annotations:      {}", labels_text(&i.annotations));
    match served {
        Ok(()) => {
            let _ = writeln!(out, "Events:           <none>");
        }
        Err(why) => {
            let _ = writeln!(out, "Events:           <none> (no controller serves it: {why})");
        }
    }
    Some(out)
}

/// A backend with the endpoints it reaches: `web:80 (10.244.1.3:8080,...)`.
fn ingress_backend(k: Kubectl<'_>, ns: &str, b: &IngressBackend) -> String {
    match b {
        IngressBackend::Service { name, port } => {
            let port_text = match port {
                PortRef::Number(n) => n.to_string(),
                PortRef::Name(n) => n.clone(),
            };
            let eps = k
                .0
                .ingress_backend(ns, b)
                .ok()
                .and_then(|rb| rb.service.ports.get(rb.index))
                .map(|pe| pe.routable().iter().map(|e| format!("{}:{}", e.ip, e.port)).collect::<Vec<_>>())
                .unwrap_or_default();
            let eps = if eps.is_empty() { "<error: endpoints not found>".to_string() } else { eps.join(",") };
            format!("{name}:{port_text} ({eps})")
        }
        IngressBackend::Resource { kind, name } => {
            format!("{kind}/{name} (resource backends are not modelled)")
        }
    }
}

/// `kubectl describe networkpolicy`.
pub(crate) fn network_policy(k: Kubectl<'_>, ns: &str, name: &str) -> Option<String> {
    let p = k.0.network_policies().iter().find(|p| p.namespace == ns && p.name == name)?;
    Some(network_policy_text(p))
}

fn network_policy_text(p: &NetworkPolicy) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Name:         {}", p.name);
    let _ = writeln!(out, "Namespace:    {}", p.namespace);
    let _ = writeln!(out, "Created on:   <unknown>");
    let _ = writeln!(out, "Labels:       <none>");
    let _ = writeln!(out, "Annotations:  <none>");
    let _ = writeln!(out, "Spec:");
    let sel = describe_selector(&p.pod_selector);
    let sel = if sel.is_empty() || sel == "{}" {
        "<none> (Allowing the specific traffic to all pods in this namespace)".to_string()
    } else {
        sel
    };
    let _ = writeln!(out, "  PodSelector:     {sel}");
    for (dir, rules, word) in
        [(PolicyType::Ingress, &p.ingress, "ingress"), (PolicyType::Egress, &p.egress, "egress")]
    {
        if !p.policy_types.contains(&dir) {
            let _ = writeln!(out, "  Not affecting {word} traffic");
            continue;
        }
        if rules.is_empty() {
            let _ = writeln!(
                out,
                "  Allowing {word} traffic:\n    <none> (Selected pods are isolated for {word} connectivity)"
            );
            continue;
        }
        let _ = writeln!(out, "  Allowing {word} traffic:");
        for (i, r) in rules.iter().enumerate() {
            if i > 0 {
                let _ = writeln!(out, "    ----------");
            }
            rule(&mut out, r, if dir == PolicyType::Ingress { "From" } else { "To" });
        }
    }
    let types: Vec<&str> = p.policy_types.iter().map(|t| t.as_str()).collect();
    let _ = writeln!(out, "  Policy Types: {}", types.join(", "));
    out
}

fn rule(out: &mut String, r: &PolicyRule, from: &str) {
    if r.ports.is_empty() {
        let _ = writeln!(out, "    To Port: <any> (traffic allowed to all ports)");
    }
    for p in &r.ports {
        let port = match (&p.port, p.end_port) {
            (None, _) => "<any>".to_string(),
            (Some(PortRef::Number(n)), Some(end)) => format!("{n}-{end}"),
            (Some(PortRef::Number(n)), None) => n.to_string(),
            (Some(PortRef::Name(n)), _) => n.clone(),
        };
        let _ = writeln!(out, "    To Port: {port}/{}", p.protocol);
    }
    if r.peers.is_empty() {
        let _ = writeln!(out, "    {from}: <any> (traffic not restricted by source)");
    }
    for peer in &r.peers {
        let _ = writeln!(out, "    {from}:");
        match peer {
            PolicyPeer::Pods { pod_selector, namespace_selector } => {
                if let Some(ns) = namespace_selector {
                    let _ = writeln!(out, "      NamespaceSelector: {}", describe_selector(ns));
                }
                if let Some(pods) = pod_selector {
                    let _ = writeln!(out, "      PodSelector: {}", describe_selector(pods));
                }
            }
            PolicyPeer::IpBlock { cidr, except } => {
                let _ = writeln!(out, "      IPBlock:\n        CIDR: {cidr}");
                let ex: Vec<String> = except.iter().map(|c| c.to_string()).collect();
                let _ = writeln!(out, "        Except: {}", ex.join(", "));
            }
        }
    }
}
