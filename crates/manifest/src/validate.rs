//! Validation rules as the API server applies them (errors) and as a careful reviewer would
//! (warnings). Syntax rules are plain functions returning the problem in words; checks across
//! objects run over the read scenario in [`cluster`].

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use netsim::{ClusterIpSpec, Labels, PortRef, Protocol, Scenario, ServiceType, Topology};

use crate::convert::ServiceSpans;
use crate::de::edit_distance;
use crate::{Diagnostic, Severity};

// Object names and IDs:
// https://kubernetes.io/docs/concepts/overview/working-with-objects/names/

fn alnum_lower(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// RFC 1123 label: at most 63 lowercase alphanumerics or '-', starting and ending alphanumeric.
pub fn dns1123_label(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    if s.len() > 63 {
        return Err(format!("must be no more than 63 characters (it has {})", s.len()));
    }
    if !s.chars().all(|c| alnum_lower(c) || c == '-') {
        return Err("must consist of lowercase letters, digits and '-'".into());
    }
    if !s.starts_with(alnum_lower) || !s.ends_with(alnum_lower) {
        return Err("must start and end with a lowercase letter or digit".into());
    }
    Ok(())
}

/// RFC 1035 label (Service names): as a 1123 label, but starting with a letter.
pub fn dns1035_label(s: &str) -> Result<(), String> {
    dns1123_label(s)?;
    if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err("must start with a lowercase letter".into());
    }
    Ok(())
}

/// RFC 1123 subdomain: dot-separated 1123 labels, at most 253 characters.
pub fn dns1123_subdomain(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    if s.len() > 253 {
        return Err(format!("must be no more than 253 characters (it has {})", s.len()));
    }
    for part in s.split('.') {
        if part.is_empty() || part.len() > 63 || dns1123_label(part).is_err() {
            return Err(
                "must consist of lowercase letters, digits, '-' and '.', and start and end with a letter or digit"
                    .into(),
            );
        }
    }
    Ok(())
}

/// IANA_SVC_NAME (named container ports, named targetPorts): at most 15 characters of
/// lowercase letters, digits and '-', at least one letter, no leading, trailing or double '-'.
pub fn iana_svc_name(s: &str) -> Result<(), String> {
    if s.is_empty() || s.len() > 15 {
        return Err("must be 1 to 15 characters".into());
    }
    if !s.chars().all(|c| alnum_lower(c) || c == '-') {
        return Err("must consist of lowercase letters, digits and '-'".into());
    }
    if !s.chars().any(|c| c.is_ascii_lowercase()) {
        return Err("must contain at least one letter".into());
    }
    if s.starts_with('-') || s.ends_with('-') || s.contains("--") {
        return Err("must not start or end with '-' or contain '--'".into());
    }
    Ok(())
}

fn label_name(s: &str) -> bool {
    // [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?, at most 63
    !s.is_empty()
        && s.len() <= 63
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.ends_with(|c: char| c.is_ascii_alphanumeric())
}

/// A label key: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters.
/// https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
pub fn label_key(s: &str) -> Result<(), String> {
    let (prefix, name) = match s.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, s),
    };
    if let Some(p) = prefix {
        dns1123_subdomain(p).map_err(|e| format!("the prefix `{p}` {e}"))?;
    }
    if !label_name(name) {
        return Err(format!(
            "the name part `{name}` must be 1 to 63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit"
        ));
    }
    Ok(())
}

/// A label value: empty, or a label name.
pub fn label_value(s: &str) -> Result<(), String> {
    if s.is_empty() || label_name(s) {
        Ok(())
    } else {
        Err("must be empty or 1 to 63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit".into())
    }
}

pub(crate) fn diag(
    severity: Severity,
    code: &'static str,
    file: &str,
    span: (usize, usize),
    message: String,
    hints: Vec<String>,
) -> Diagnostic {
    Diagnostic { severity, code, message, file: file.to_string(), start: span.0, end: span.1, hints }
}

/// Pods a Service could select in a namespace: bare Pods and workload templates.
fn candidates<'a>(scenario: &'a Scenario, namespace: &str) -> Vec<(String, &'a Labels)> {
    let mut out = Vec::new();
    for p in scenario.pods.iter().filter(|p| p.namespace == namespace) {
        out.push((format!("Pod `{}`", p.name), &p.spec.labels));
    }
    for w in scenario.workloads.iter().filter(|w| w.namespace == namespace) {
        out.push((format!("{} `{}`", w.kind.as_str(), w.name), &w.template.labels));
    }
    out
}

/// How far `labels` are from satisfying `selector`: the summed edit distance of the best
/// matching label for each unmatched pair, with the closest label for each.
/// One unmatched selector pair and the closest label: (key, value, label key, label value).
pub(crate) type Miss = (String, String, String, String);

pub(crate) fn near_miss(selector: &Labels, labels: &Labels) -> Option<(usize, Vec<Miss>)> {
    let mut total = 0;
    let mut misses = Vec::new();
    for (k, v) in selector {
        if labels.get(k) == Some(v) {
            continue;
        }
        let (d, lk, lv) = labels
            .iter()
            .map(|(lk, lv)| (edit_distance(k, lk) + edit_distance(v, lv), lk, lv))
            .min_by_key(|x| x.0)?;
        if d > 2.max((k.len() + v.len()) / 4) {
            return None;
        }
        total += d;
        misses.push((k.clone(), v.clone(), lk.clone(), lv.clone()));
    }
    Some((total, misses))
}

/// Checks across objects. May remove Services that the API server would refuse.
pub(crate) fn cluster(
    scenario: &mut Scenario,
    spans: &mut Vec<ServiceSpans>,
    topology: &Topology,
    diags: &mut Vec<Diagnostic>,
) {
    // NodePorts are unique across the cluster, per protocol (the second is refused).
    let mut used: BTreeMap<(u16, Protocol), (String, String, usize)> = BTreeMap::new();
    let mut refused = Vec::new();
    for (i, (svc, sp)) in scenario.services.iter().zip(spans.iter()).enumerate() {
        for (port, pspan) in svc.ports.iter().zip(&sp.ports) {
            let Some(np) = port.node_port else { continue };
            match used.get(&(np, port.protocol)) {
                Some((file, owner, line)) => {
                    let at = if *file == sp.file { format!("line {line}") } else { format!("{file}:{line}") };
                    diags.push(diag(
                        Severity::Error,
                        "node-port-in-use",
                        &sp.file,
                        pspan.node_port,
                        format!("nodePort {np}/{} is already allocated to Service `{owner}`", port.protocol),
                        vec![format!("`{owner}` uses it at {at}; pick another port or leave nodePort out to get one allocated")],
                    ));
                    refused.push(i);
                }
                None => {
                    used.insert(
                        (np, port.protocol),
                        (sp.file.clone(), format!("{}/{}", svc.namespace, svc.name), pspan.node_port_line),
                    );
                }
            }
        }
    }
    // A clusterIP is allocated to one Service only: a second request for it is refused with
    // "provided IP is already allocated", and so is one of the addresses the cluster's own
    // `kubernetes` and `kube-dns` Services hold.
    // https://kubernetes.io/docs/concepts/services-networking/cluster-ip-allocation/#why-do-you-need-to-reserve-service-cluster-ips
    let mut ips: BTreeMap<Ipv4Addr, (String, String, usize)> = BTreeMap::new();
    for (ip, owner) in [
        (topology.kubernetes_service_ip(), "default/kubernetes"),
        (topology.dns_service_ip(), "kube-system/kube-dns"),
    ] {
        ips.insert(ip, (String::new(), owner.to_string(), 0));
    }
    for (i, (svc, sp)) in scenario.services.iter().zip(spans.iter()).enumerate() {
        let ClusterIpSpec::Fixed(ip) = svc.cluster_ip else { continue };
        if svc.service_type == ServiceType::ExternalName {
            continue;
        }
        match ips.get(&ip) {
            Some((file, owner, line)) => {
                let hint = if file.is_empty() {
                    format!(
                        "`{owner}` is a Service every cluster has; leave clusterIP out to get a free address"
                    )
                } else {
                    let at = if *file == sp.file { format!("line {line}") } else { format!("{file}:{line}") };
                    format!("`{owner}` asks for it at {at}; pick another address or leave clusterIP out")
                };
                diags.push(diag(
                    Severity::Error,
                    "cluster-ip-in-use",
                    &sp.file,
                    sp.cluster_ip,
                    format!("clusterIP {ip} is already allocated to Service `{owner}`"),
                    vec![hint],
                ));
                refused.push(i);
            }
            None => {
                ips.insert(
                    ip,
                    (sp.file.clone(), format!("{}/{}", svc.namespace, svc.name), sp.cluster_ip_line),
                );
            }
        }
    }
    sorted::sort(&mut refused);
    refused.dedup();
    for i in refused.into_iter().rev() {
        scenario.services.remove(i);
        spans.remove(i);
    }

    for (svc, sp) in scenario.services.iter().zip(spans.iter()) {
        let warn = |code, span, message, hints| diag(Severity::Warning, code, &sp.file, span, message, hints);
        if svc.service_type == ServiceType::LoadBalancer && topology.load_balancer_pool.is_none() {
            diags.push(warn(
                "load-balancer-pending",
                sp.type_,
                "this cluster has no cloud load balancer: the external IP stays <pending>".to_string(),
                vec!["the Service still works as a NodePort Service on every node".to_string()],
            ));
        }
        if svc.service_type == ServiceType::ExternalName {
            continue;
        }
        let Some(selector) = &svc.selector else {
            let has_slices = scenario
                .endpoint_slices
                .iter()
                .any(|s| s.namespace == svc.namespace && s.service_name == svc.name);
            if !has_slices {
                diags.push(warn(
                    "no-selector-no-endpoints",
                    sp.name,
                    format!("Service `{}` has no selector and no Endpoints or EndpointSlice: it has no endpoints", svc.name),
                    vec!["add a `selector` matching the pods' labels, or manage an EndpointSlice labelled `kubernetes.io/service-name`".into()],
                ));
            }
            continue;
        };
        let cands = candidates(scenario, &svc.namespace);
        let selected: Vec<&(String, &Labels)> = cands
            .iter()
            .filter(|(_, labels)| selector.iter().all(|(k, v)| labels.get(k) == Some(v)))
            .collect();
        if selected.is_empty() {
            let mut hints = Vec::new();
            let best = cands
                .iter()
                .filter_map(|(who, labels)| near_miss(selector, labels).map(|(d, m)| (d, who, m)))
                .min_by_key(|x| x.0);
            if let Some((_, who, misses)) = best {
                for (k, v, lk, lv) in misses {
                    hints.push(format!("{who} has the label `{lk}: {lv}`; the selector asks for `{k}: {v}`"));
                }
            } else if cands.is_empty() {
                hints.push(format!("there are no pods or workloads in namespace `{}`", svc.namespace));
            }
            let wanted: Vec<String> = selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
            diags.push(warn(
                "selector-matches-nothing",
                sp.selector,
                format!("the selector {} matches no pod in namespace `{}`", wanted.join(","), svc.namespace),
                hints,
            ));
            continue;
        }
        let ports_of = |name: &str| -> Vec<&netsim::ContainerPort> {
            let mut out = Vec::new();
            for p in scenario.pods.iter().filter(|p| p.namespace == svc.namespace) {
                if format!("Pod `{}`", p.name) == name {
                    out.extend(p.spec.containers.iter().flat_map(|c| &c.ports));
                }
            }
            for w in scenario.workloads.iter().filter(|w| w.namespace == svc.namespace) {
                if format!("{} `{}`", w.kind.as_str(), w.name) == name {
                    out.extend(w.template.containers.iter().flat_map(|c| &c.ports));
                }
            }
            out
        };
        for (port, pspan) in svc.ports.iter().zip(&sp.ports) {
            let declared = selected.iter().any(|(who, _)| {
                ports_of(who).iter().any(|cp| match &port.target_port {
                    PortRef::Number(n) => cp.container_port == *n && cp.protocol == port.protocol,
                    PortRef::Name(name) => cp.name.as_deref() == Some(name.as_str()),
                })
            });
            if !declared {
                let who: Vec<&str> = selected.iter().map(|(w, _)| w.as_str()).collect();
                let mut have: Vec<String> = Vec::new();
                for cp in selected.iter().flat_map(|(w, _)| ports_of(w)) {
                    let one = match &cp.name {
                        Some(n) => format!("{}/{} (`{n}`)", cp.container_port, cp.protocol),
                        None => format!("{}/{}", cp.container_port, cp.protocol),
                    };
                    if !have.contains(&one) {
                        have.push(one);
                    }
                }
                let have = if have.is_empty() {
                    "they declare no container ports".to_string()
                } else {
                    format!("they declare {}", have.join(", "))
                };
                let (what, hint) = match &port.target_port {
                    PortRef::Number(n) => (
                        format!("targetPort {n}/{}", port.protocol),
                        "add it to the container's `ports`, or point targetPort at a declared containerPort"
                            .to_string(),
                    ),
                    PortRef::Name(n) => (
                        format!("the named targetPort `{n}`"),
                        "name a container port with this name, or use the port number".to_string(),
                    ),
                };
                diags.push(warn(
                    "target-port-not-declared",
                    pspan.target_port,
                    format!(
                        "{what} is not declared by any selected pod ({}): connections will be refused",
                        who.join(", ")
                    ),
                    vec![hint, have],
                ));
            }
        }
    }
}

/// Checks across Ingresses, Services and IngressClasses. All warnings: objects may be created
/// in any order, and the API server accepts each of these.
/// https://kubernetes.io/docs/concepts/services-networking/ingress/
pub(crate) fn ingresses(
    scenario: &Scenario,
    spans: &[crate::convert::IngressSpans],
    topology: &Topology,
    diags: &mut Vec<Diagnostic>,
) {
    let classes = netsim::addons::ingress_classes(&scenario.ingress_classes, topology);
    let has_default = classes.iter().any(|c| c.is_default);
    // (host, path, pathType) -> first Ingress that routes it.
    let mut seen: BTreeMap<(String, String, &'static str), String> = BTreeMap::new();
    for (ing, sp) in scenario.ingresses.iter().zip(spans) {
        let warn = |code, span, message, hints| diag(Severity::Warning, code, &sp.file, span, message, hints);
        // https://kubernetes.io/docs/concepts/services-networking/ingress/#default-ingress-class
        match &ing.class_name {
            Some(name) if !classes.iter().any(|c| &c.name == name) => {
                let names: Vec<&str> = classes.iter().map(|c| c.name.as_str()).collect();
                let hint = crate::de::closest(name, names.iter().copied())
                    .map(|c| format!("did you mean `{c}`?"))
                    .unwrap_or_else(|| format!("IngressClasses: {}", names.join(", ")));
                diags.push(warn(
                    "ingress-class-missing",
                    sp.class,
                    format!("no IngressClass `{name}` exists: no controller will serve this Ingress"),
                    vec![hint],
                ));
            }
            None if !has_default && !ing.annotations.contains_key("kubernetes.io/ingress.class") => {
                diags.push(warn(
                    "ingress-class-missing",
                    sp.class,
                    "this Ingress has no ingressClassName and no IngressClass is the default: no controller will serve it".into(),
                    vec![format!("set `ingressClassName: {}`", netsim::ingress::CLASS)],
                ));
            }
            _ => {}
        }
        let check_backend =
            |diags: &mut Vec<Diagnostic>,
             b: &netsim::IngressBackend,
             (name_span, port_span): crate::convert::BackendSpans| {
                let netsim::IngressBackend::Service { name, port } = b else { return };
                let Some(svc) =
                    scenario.services.iter().find(|s| s.namespace == ing.namespace && &s.name == name)
                else {
                    let names: Vec<&str> = scenario
                        .services
                        .iter()
                        .filter(|s| s.namespace == ing.namespace)
                        .map(|s| s.name.as_str())
                        .collect();
                    let hints = crate::de::closest(name, names.iter().copied())
                        .map(|c| format!("did you mean `{c}`?"))
                        .into_iter()
                        .collect();
                    diags.push(warn(
                    "ingress-backend-missing",
                    name_span,
                    format!("no Service `{name}` in namespace `{}`: the controller answers 503 until it exists", ing.namespace),
                    hints,
                ));
                    return;
                };
                let found = svc.ports.iter().any(|p| match port {
                    PortRef::Number(n) => p.port == *n,
                    PortRef::Name(want) => p.name.as_deref() == Some(want.as_str()),
                });
                if !found {
                    let ports: Vec<String> = svc
                        .ports
                        .iter()
                        .map(|p| match &p.name {
                            Some(n) => format!("{n} ({})", p.port),
                            None => p.port.to_string(),
                        })
                        .collect();
                    diags.push(warn(
                        "ingress-backend-port-missing",
                        port_span,
                        format!("Service `{name}` has no port {port}: the controller answers 503"),
                        vec![format!(
                            "its ports: {}; an Ingress names the Service port, not the targetPort",
                            ports.join(", ")
                        )],
                    ));
                }
            };
        if let (Some(b), Some(s)) = (&ing.default_backend, sp.default_backend) {
            check_backend(diags, b, s);
        }
        for (rule, rule_spans) in ing.rules.iter().zip(&sp.paths) {
            for (path, s) in rule.paths.iter().zip(rule_spans) {
                check_backend(diags, &path.backend, *s);
                let key = (
                    rule.host.clone().unwrap_or_default(),
                    path.path.clone().unwrap_or_else(|| "/".into()),
                    netsim::ingress::path_type_str(path.path_type),
                );
                let me = format!("{}/{}", ing.namespace, ing.name);
                match seen.get(&key) {
                    Some(first) => {
                        let at = path.source.as_ref().map_or(s.0, |src| (src.start, src.end));
                        diags.push(warn(
                            "ingress-duplicate-path",
                            at,
                            format!(
                                "host `{}` path `{}` ({}) is already routed by Ingress `{first}`: ingress-nginx keeps the oldest one",
                                if key.0.is_empty() { "*" } else { &key.0 },
                                key.1,
                                key.2
                            ),
                            vec![],
                        ));
                    }
                    None => {
                        seen.insert(key, me);
                    }
                }
            }
        }
    }
}
