//! Validation rules as the API server applies them (errors) and as a careful reviewer would
//! (warnings). Syntax rules are plain functions returning the problem in words; checks across
//! objects run over the read scenario in [`cluster`].

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use netsim::{ClusterIpSpec, Labels, PortRef, Protocol, Scenario, ServiceType, Topology};

use crate::problem::edit_distance;
use crate::{Diagnostic, Severity};

/// Where a Service's fields are, for the checks across objects.
pub(crate) struct ServiceSpans {
    pub file: String,
    /// The whole object (a document, or an item of a list).
    pub object: (usize, usize),
    pub name: (usize, usize),
    pub type_: (usize, usize),
    pub selector: (usize, usize),
    /// `spec.clusterIP` (or `spec` when absent).
    pub cluster_ip: (usize, usize),
    pub cluster_ip_line: usize,
    pub ports: Vec<PortSpans>,
}

pub(crate) struct PortSpans {
    pub node_port: (usize, usize),
    pub node_port_line: usize,
    pub target_port: (usize, usize),
}

/// Where an Ingress's fields are, for the checks across objects.
pub(crate) struct IngressSpans {
    pub file: String,
    /// `spec.ingressClassName` (or `spec` when absent).
    pub class: (usize, usize),
    pub default_backend: Option<BackendSpans>,
    /// Per rule, per path.
    pub paths: Vec<Vec<BackendSpans>>,
}

/// A service backend's `service.name` and `service.port`.
pub(crate) type BackendSpans = ((usize, usize), (usize, usize));

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

/// A Service the API server would refuse: the Service, where its object is, and the index of
/// its first error among the diagnostics [`cluster`] adds.
pub(crate) type Refused = (netsim::Service, (usize, usize), usize);

/// Checks across objects. May remove Services that the API server would refuse, and returns
/// them.
pub(crate) fn cluster(
    scenario: &mut Scenario,
    spans: &mut Vec<ServiceSpans>,
    topology: &Topology,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Refused> {
    let refused = refuse_taken(scenario, spans, topology, diags);
    for (svc, sp) in scenario.services.iter().zip(spans.iter()) {
        service_warnings(scenario, topology, svc, sp, diags);
    }
    refused
}

/// Refuses a Service that asks for a nodePort or a clusterIP another Service holds, and
/// returns each; leaves out a copy of the cluster's own `default/kubernetes` or
/// `kube-system/kube-dns` at its own address (a dump of a live cluster holds both), with a
/// warning.
fn refuse_taken(
    scenario: &mut Scenario,
    spans: &mut Vec<ServiceSpans>,
    topology: &Topology,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Refused> {
    let first = diags.len();
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
                    refused.push((i, Some(diags.len() - 1 - first)));
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
        let name = format!("{}/{}", svc.namespace, svc.name);
        match ips.get(&ip) {
            // The cluster's own Service at its own address, as a dump of a live cluster holds
            // it: applying it is an update of that Service, not a second claim. The model's
            // copy (addons) stands for it.
            Some((file, owner, _)) if file.is_empty() && *owner == name => {
                diags.push(diag(
                    Severity::Warning,
                    "cluster-service",
                    &sp.file,
                    sp.name,
                    format!("Service `{owner}` is one every cluster has: the model's own, at {ip}, stands for this copy"),
                    vec!["the model's copy has kubeadm's ports and selector; where this copy differs, it is not simulated".into()],
                ));
                refused.push((i, None));
            }
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
                refused.push((i, Some(diags.len() - 1 - first)));
            }
            None => {
                ips.insert(ip, (sp.file.clone(), name, sp.cluster_ip_line));
            }
        }
    }
    // The first error of each Service, in order (`None`: the cluster's own Service, whose
    // copy is left out without an error, so it sorts first and is not returned).
    sorted::sort(&mut refused);
    refused.dedup_by_key(|r| r.0);
    let mut out: Vec<Refused> = Vec::new();
    for (i, why) in refused.into_iter().rev() {
        let (svc, object) = (scenario.services.remove(i), spans.remove(i).object);
        if let Some(why) = why {
            out.push((svc, object, why));
        }
    }
    out.reverse();
    out
}

/// A Service's warnings: a LoadBalancer with no cloud, no endpoints, a selector matching
/// nothing, a targetPort no selected pod declares.
fn service_warnings(
    scenario: &Scenario,
    topology: &Topology,
    svc: &netsim::Service,
    sp: &ServiceSpans,
    diags: &mut Vec<Diagnostic>,
) {
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
        return;
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
        return;
    };
    let cands = candidates(scenario, &svc.namespace);
    let selected: Vec<&(String, &Labels)> =
        cands.iter().filter(|(_, labels)| selector.iter().all(|(k, v)| labels.get(k) == Some(v))).collect();
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
        return;
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

/// Checks across Ingresses, Services and IngressClasses. Warnings (objects may be created in
/// any order, and the API server accepts each of these), except `ingress-path-type-refused`
/// and `ingress-duplicate-path`: ingress-nginx's admission webhook refuses those Ingresses
/// of its class, so `kubectl apply` fails ([`netsim::ingress::strict_path_type_refusal`],
/// [`netsim::ingress::overlaps`]).
/// https://kubernetes.io/docs/concepts/services-networking/ingress/
pub(crate) fn ingresses(
    scenario: &Scenario,
    spans: &[IngressSpans],
    topology: &Topology,
    diags: &mut Vec<Diagnostic>,
) {
    let classes = netsim::addons::ingress_classes(&scenario.ingress_classes, topology);
    let has_default = classes.iter().any(|c| c.is_default);
    // What ingress-nginx's admission webhook refuses for overlapping an older Ingress.
    let admitted: Vec<&netsim::Ingress> = scenario
        .ingresses
        .iter()
        .filter(|i| topology.ingress_controller && netsim::ingress::served_by_controller(i, &classes).is_ok())
        .collect();
    let overlaps = netsim::ingress::overlaps(&admitted);
    for (ing, sp) in scenario.ingresses.iter().zip(spans) {
        let warn = |code, span, message, hints| diag(Severity::Warning, code, &sp.file, span, message, hints);
        // https://kubernetes.io/docs/concepts/services-networking/ingress/#default-ingress-class
        match &ing.class_name {
            Some(name) if !classes.iter().any(|c| &c.name == name) => {
                let names: Vec<&str> = classes.iter().map(|c| c.name.as_str()).collect();
                let hint = crate::problem::closest(name, names.iter().copied())
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
        let check_backend = |diags: &mut Vec<Diagnostic>,
                             b: &netsim::IngressBackend,
                             (name_span, port_span): BackendSpans| {
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
                let hints = crate::problem::closest(name, names.iter().copied())
                    .map(|c| format!("did you mean `{c}`?"))
                    .into_iter()
                    .collect();
                diags.push(warn(
                    "ingress-backend-missing",
                    name_span,
                    format!(
                        "no Service `{name}` in namespace `{}`: the controller answers 503 until it exists",
                        ing.namespace
                    ),
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
        let webhook = topology.ingress_controller && netsim::ingress::class_served(ing, &classes).is_ok();
        if let Some(why) = netsim::ingress::strict_path_type_refusal(ing).filter(|_| webhook) {
            let first_bad = ing
                .rules
                .iter()
                .zip(&sp.paths)
                .flat_map(|(r, s)| r.paths.iter().zip(s))
                .find(|(p, _)| !netsim::ingress::strict_path_type_valid(p));
            let at = first_bad
                .map(|(p, s)| p.source.as_ref().map_or(s.0, |src| (src.start, src.end)))
                .unwrap_or(sp.class);
            diags.push(diag(
                Severity::Error,
                "ingress-path-type-refused",
                &sp.file,
                at,
                format!("this Ingress is refused: {why}"),
                vec!["set `pathType: ImplementationSpecific` on each path written as a regular expression (as with rewrite-target or use-regex)".into()],
            ));
        }
        for (rule, rule_spans) in ing.rules.iter().zip(&sp.paths) {
            for (path, s) in rule.paths.iter().zip(rule_spans) {
                check_backend(diags, &path.backend, *s);
            }
        }
        let overlap = admitted
            .iter()
            .zip(&overlaps)
            .find(|(a, _)| std::ptr::eq(**a, ing))
            .and_then(|(_, o)| o.as_ref());
        if let Some(o) = overlap {
            let path = ing.rules.get(o.rule).and_then(|r| r.paths.get(o.path));
            let span = sp.paths.get(o.rule).and_then(|r| r.get(o.path));
            let at = match (path.and_then(|p| p.source.as_ref()), span) {
                (Some(src), _) => (src.start, src.end),
                (None, Some(s)) => s.0,
                (None, None) => sp.class,
            };
            diags.push(diag(
                Severity::Error,
                "ingress-duplicate-path",
                &sp.file,
                at,
                format!("this Ingress is refused: {}", o.reason),
                vec![],
            ));
        }
    }
}
