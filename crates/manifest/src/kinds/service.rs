//! Service (v1): type, cluster IP, external name, ports, selector, IP families, session
//! affinity, traffic policies and load balancer addresses, with where its fields are for the
//! checks across objects.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use netsim::{ClusterIpSpec, PortRef, Protocol, ServiceType, SessionAffinity, Source, TrafficPolicy};

use crate::fields::{
    boolean, int, int_or_string, items, object, object_meta, req_int, req_string, string, string_map, strings,
};
use crate::names;
use crate::object::{item_source, At, Meta, Obj, Object};
use crate::tree::Node;
use crate::validate::{PortSpans, ServiceSpans};

/// The spellings of `spec.type`, `spec.sessionAffinity` (ClientIP's timeout is read apart) and
/// the traffic policies.
const TYPES: [(&str, ServiceType); 4] = [
    ("ClusterIP", ServiceType::ClusterIp),
    ("NodePort", ServiceType::NodePort),
    ("LoadBalancer", ServiceType::LoadBalancer),
    ("ExternalName", ServiceType::ExternalName),
];
const AFFINITIES: [(&str, SessionAffinity); 2] =
    [("None", SessionAffinity::None), ("ClientIP", SessionAffinity::ClientIp { timeout_seconds: 0 })];
const TRAFFIC_POLICIES: [(&str, TrafficPolicy); 2] =
    [("Cluster", TrafficPolicy::Cluster), ("Local", TrafficPolicy::Local)];

pub(crate) fn read(
    o: &mut Obj<'_>,
    root: At<'_>,
    v: core::Service,
    m: Meta,
    source: Option<Source>,
) -> Object {
    let spec_at = root.key("spec");
    let spec = v.spec.unwrap_or_default();
    let type_at = spec_at.key("type");
    let service_type = service_type(o, type_at, &spec);
    let node_ports_allowed = matches!(service_type, ServiceType::NodePort | ServiceType::LoadBalancer);
    let ip_at = spec_at.key("clusterIP");
    let cluster_ip = cluster_ip(o, ip_at, &spec, service_type, node_ports_allowed);
    let external_name = external_name(o, spec_at, &spec, service_type);
    let (ports, port_spans) = ports(o, spec_at, &spec, service_type, cluster_ip, node_ports_allowed);
    // selector
    let sel_at = spec_at.key("selector");
    let selector = spec.selector.clone().filter(|s| !s.is_empty());
    if let Some(sel) = &selector {
        o.labels(sel_at, sel);
    }
    ip_families(o, spec_at, &spec);
    let aff_at = spec_at.key("sessionAffinity");
    let timeout_at = spec_at.key("sessionAffinityConfig").key("clientIP").key("timeoutSeconds");
    let session_affinity = session_affinity(o, aff_at, timeout_at, &spec);
    let etp_at = spec_at.key("externalTrafficPolicy");
    let policy = |o: &mut Obj<'_>, at: At<'_>, field: &str, value: Option<&str>| match value {
        None | Some("") => TrafficPolicy::Cluster,
        Some(v) => o.pick(at, field, v, &TRAFFIC_POLICIES).unwrap_or(TrafficPolicy::Cluster),
    };
    let external_traffic_policy =
        policy(o, etp_at, "externalTrafficPolicy", spec.external_traffic_policy.as_deref());
    // validateServiceExternalTrafficPolicy: only for a Service reachable from outside (NodePort,
    // LoadBalancer, or a ClusterIP Service with externalIPs).
    let externally_accessible = node_ports_allowed
        || (service_type == ServiceType::ClusterIp
            && spec.external_ips.as_ref().is_some_and(|ips| !ips.is_empty()));
    if spec.external_traffic_policy.as_deref().is_some_and(|s| !s.is_empty()) && !externally_accessible {
        o.error(
            "external-traffic-policy-not-allowed",
            etp_at.key_span(),
            format!(
                "externalTrafficPolicy applies only to Services reachable from outside (NodePort, LoadBalancer, or with externalIPs); this {} Service is not",
                service_type.as_str()
            ),
            vec![],
        );
    }
    let internal_traffic_policy = policy(
        o,
        spec_at.key("internalTrafficPolicy"),
        "internalTrafficPolicy",
        spec.internal_traffic_policy.as_deref(),
    );
    let mut external_ips = Vec::new();
    for (i, ip) in spec.external_ips.iter().flatten().enumerate() {
        external_ips.extend(o.non_special_ip(spec_at.key("externalIPs").idx(i), "external IP", ip));
    }
    let ranges_at = spec_at.key("loadBalancerSourceRanges");
    let mut load_balancer_source_ranges = Vec::new();
    for (i, c) in spec.load_balancer_source_ranges.iter().flatten().enumerate() {
        // ValidateService trims each value: space-padded ranges are accepted.
        load_balancer_source_ranges.extend(o.cidr(ranges_at.idx(i), c.trim()));
    }
    if spec.load_balancer_source_ranges.as_ref().is_some_and(|r| !r.is_empty())
        && service_type != ServiceType::LoadBalancer
    {
        // ValidateService: "may only be used when `type` is 'LoadBalancer'".
        o.error(
            "source-ranges-not-allowed",
            ranges_at.key_span(),
            format!(
                "loadBalancerSourceRanges apply only to LoadBalancer Services, not {}",
                service_type.as_str()
            ),
            vec!["set `type: LoadBalancer`, or remove `loadBalancerSourceRanges`".into()],
        );
    }
    let status_ip = v
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_ref())
        .and_then(|i| i.first())
        .and_then(|i| i.ip.clone());
    let load_balancer_ip = match (spec.load_balancer_ip.as_deref().filter(|s| !s.is_empty()), status_ip) {
        (Some(ip), _) => o.ipv4(spec_at.key("loadBalancerIP"), "loadBalancerIP", ip),
        (None, Some(ip)) => o.ipv4(
            root.key("status").key("loadBalancer").key("ingress").idx(0).key("ip"),
            "load balancer IP",
            &ip,
        ),
        (None, None) => None,
    };
    let svc = netsim::Service {
        service_type,
        selector,
        cluster_ip,
        ports,
        external_name,
        external_ips,
        session_affinity,
        external_traffic_policy,
        internal_traffic_policy,
        load_balancer_source_ranges,
        load_balancer_ip,
        publish_not_ready_addresses: spec.publish_not_ready_addresses.unwrap_or(false),
        allocate_load_balancer_node_ports: spec.allocate_load_balancer_node_ports,
        // ValidateService: PreferClose, PreferSameZone or PreferSameNode.
        traffic_distribution: spec.traffic_distribution.as_deref().and_then(|t| {
            o.pick(
                spec_at.key("trafficDistribution"),
                "trafficDistribution",
                t,
                &netsim::TrafficDistribution::ALL,
            )
        }),
        ..Default::default()
    };
    let spans = ServiceSpans {
        file: o.file.to_string(),
        object: root.span(),
        name: root.key("metadata").key("name").span(),
        type_: if type_at.present() { type_at.span() } else { spec_at.key_span() },
        selector: if sel_at.present() { sel_at.key_span() } else { spec_at.key_span() },
        cluster_ip: if ip_at.present() { ip_at.span() } else { spec_at.key_span() },
        cluster_ip_line: o.line(ip_at.span().0),
        ports: port_spans,
    };
    let svc = netsim::Service {
        name: m.name,
        namespace: m.namespace,
        labels: m.labels,
        annotations: m.annotations,
        source,
        ..svc
    };
    Object::Service(svc, spans)
}

fn service_type(o: &mut Obj<'_>, type_at: At<'_>, spec: &core::ServiceSpec) -> ServiceType {
    match spec.type_.as_deref() {
        None => ServiceType::ClusterIp,
        Some(t) => o.pick(type_at, "type", t, &TYPES).unwrap_or(ServiceType::ClusterIp),
    }
}

fn cluster_ip(
    o: &mut Obj<'_>,
    ip_at: At<'_>,
    spec: &core::ServiceSpec,
    service_type: ServiceType,
    node_ports_allowed: bool,
) -> ClusterIpSpec {
    // A dual-stack Service lists one address per family in `clusterIPs`, the first equal to
    // `clusterIP` (https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/#ServiceSpec):
    // with IPv6 first, its IPv4 address is the one read. An IPv6-only Service is an error
    // that names IPv6 as not modelled, never read as IPv4.
    let ipv4_family =
        spec.cluster_ips.iter().flatten().skip(1).find(|ip| ip.parse::<std::net::Ipv4Addr>().is_ok());
    let written = match (spec.cluster_ip.as_deref(), ipv4_family) {
        (Some(ip), Some(v4)) if ip.parse::<std::net::Ipv6Addr>().is_ok() => Some(v4.as_str()),
        (ip, _) => ip,
    };
    let cluster_ip = match written {
        None | Some("") => ClusterIpSpec::Auto,
        Some("None") => ClusterIpSpec::Headless,
        Some(ip) => match o.ipv4(ip_at, "clusterIP", ip) {
            Some(addr) if !o.topology.service_cidr.contains(addr) => {
                o.error(
                    "cluster-ip-range",
                    ip_at.span(),
                    format!("clusterIP {addr} is outside the service range {}", o.topology.service_cidr),
                    vec!["leave clusterIP out to have one allocated".into()],
                );
                ClusterIpSpec::Auto
            }
            Some(addr) => ClusterIpSpec::Fixed(addr),
            None => ClusterIpSpec::Auto,
        },
    };
    if cluster_ip == ClusterIpSpec::Headless && node_ports_allowed {
        o.error(
            "invalid-value",
            ip_at.span(),
            format!("clusterIP `None` (headless) is not allowed for a {} Service", service_type.as_str()),
            vec![],
        );
    }
    cluster_ip
}

fn external_name(
    o: &mut Obj<'_>,
    spec_at: At<'_>,
    spec: &core::ServiceSpec,
    service_type: ServiceType,
) -> Option<String> {
    let ip_at = spec_at.key("clusterIP");
    let mut external_name = None;
    if service_type == ServiceType::ExternalName {
        if spec.cluster_ip.as_deref().is_some_and(|c| !c.is_empty()) {
            o.error(
                "external-name-cluster-ip",
                ip_at.span(),
                "an ExternalName Service has no cluster IP: remove `clusterIP` (headless does not apply either)".into(),
                vec![],
            );
        }
        let en_at = spec_at.key("externalName");
        match spec.external_name.as_deref().filter(|s| !s.is_empty()) {
            None => o.error(
                "missing-field",
                en_at.key_span(),
                "an ExternalName Service needs `spec.externalName`".into(),
                vec!["for example `externalName: db.example.com`".into()],
            ),
            Some(n) => {
                let trimmed = n.strip_suffix('.').unwrap_or(n);
                if let Err(why) = names::dns1123_subdomain(trimmed) {
                    o.error(
                        "invalid-external-name",
                        en_at.span(),
                        format!("invalid externalName `{n}`: {why}"),
                        vec![],
                    );
                }
                external_name = Some(n.to_string());
            }
        }
    }
    external_name
}

fn ports(
    o: &mut Obj<'_>,
    spec_at: At<'_>,
    spec: &core::ServiceSpec,
    service_type: ServiceType,
    cluster_ip: ClusterIpSpec,
    node_ports_allowed: bool,
) -> (Vec<netsim::ServicePort>, Vec<PortSpans>) {
    let ports_at = spec_at.key("ports");
    let all_ports = spec.ports.clone().unwrap_or_default();
    if all_ports.is_empty()
        && service_type != ServiceType::ExternalName
        && cluster_ip != ClusterIpSpec::Headless
    {
        o.error(
            "missing-field",
            ports_at.key_span(),
            "a Service needs at least one port in `spec.ports`".into(),
            vec![],
        );
    }
    let multi = all_ports.len() > 1;
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    let mut pairs: BTreeMap<(u16, Protocol), usize> = BTreeMap::new();
    let mut ports = Vec::new();
    let mut port_spans = Vec::new();
    for (i, p) in all_ports.iter().enumerate() {
        let at = ports_at.idx(i);
        let port = o.port(at.key("port"), "port", p.port);
        let protocol = o.protocol(at.key("protocol"), p.protocol.as_deref());
        let name = p.name.clone().filter(|n| !n.is_empty());
        match &name {
            Some(n) => {
                o.check("invalid-port-name", at.key("name"), "port name", n, names::dns1123_label);
                if let Some(first) = names.insert(n.clone(), i) {
                    o.error(
                        "duplicate-port-name",
                        at.key("name").span(),
                        format!("port name `{n}` is used twice (also by ports[{first}])"),
                        vec![],
                    );
                }
            }
            None if multi => o.error(
                "port-name-required",
                at.span(),
                format!("`spec.ports[{i}]` needs a `name`: a Service with several ports must name each one"),
                vec!["for example `name: http`".into()],
            ),
            None => {}
        }
        if port != 0 {
            if let Some(first) = pairs.insert((port, protocol), i) {
                o.error(
                    "duplicate-port",
                    at.key("port").span(),
                    format!("port {port}/{protocol} is listed twice (also ports[{first}])"),
                    vec![],
                );
            }
        }
        let tp_at = at.key("targetPort");
        let target_port = target_port(o, tp_at, p, port);
        let np_at = at.key("nodePort");
        let node_port = node_port(o, np_at, p, service_type, node_ports_allowed);
        ports.push(netsim::ServicePort {
            name,
            protocol,
            port,
            target_port,
            node_port,
            app_protocol: p.app_protocol.clone(),
            source: item_source(o.file, at),
        });
        port_spans.push(PortSpans {
            node_port: np_at.span(),
            node_port_line: o.line(np_at.span().0),
            target_port: if tp_at.present() { tp_at.span() } else { at.key("port").span() },
        });
    }
    (ports, port_spans)
}

/// `targetPort`: a number (0 or absent: the port itself) or a named container port.
fn target_port(o: &mut Obj<'_>, tp_at: At<'_>, p: &core::ServicePort, port: u16) -> PortRef {
    match &p.target_port {
        None => PortRef::Number(port),
        // SetDefaults_Service: a targetPort of 0 or "" is the port itself.
        Some(IntOrString::Int(0)) => PortRef::Number(port),
        Some(IntOrString::String(s)) if s.is_empty() => PortRef::Number(port),
        Some(IntOrString::Int(n)) => PortRef::Number(o.port(tp_at, "targetPort", *n)),
        Some(IntOrString::String(s)) => {
            if let Err(why) = names::iana_svc_name(s) {
                let hint = if s.parse::<i64>().is_ok() {
                    vec![format!("write the number without quotes: `targetPort: {s}`")]
                } else {
                    vec![]
                };
                o.error(
                    "invalid-port-name",
                    tp_at.span(),
                    format!("invalid targetPort name `{s}`: {why}"),
                    hint,
                );
            }
            PortRef::Name(s.clone())
        }
    }
}

fn node_port(
    o: &mut Obj<'_>,
    np_at: At<'_>,
    p: &core::ServicePort,
    service_type: ServiceType,
    node_ports_allowed: bool,
) -> Option<u16> {
    match p.node_port {
        None | Some(0) => None,
        Some(np) if !node_ports_allowed => {
            o.error(
                "node-port-not-allowed",
                np_at.key_span(),
                format!("nodePort {np} is set on a {} Service", service_type.as_str()),
                vec!["use `type: NodePort` (or LoadBalancer), or remove `nodePort`".into()],
            );
            None
        }
        Some(np) => {
            let (lo, hi) = o.topology.node_port_range;
            if np < i32::from(lo) || np > i32::from(hi) {
                o.error(
                    "node-port-range",
                    np_at.span(),
                    format!("nodePort {np} is outside the node port range {lo}-{hi}"),
                    vec!["leave nodePort out to have one allocated".into()],
                );
                None
            } else {
                Some(np as u16)
            }
        }
    }
}

fn ip_families(o: &mut Obj<'_>, spec_at: At<'_>, spec: &core::ServiceSpec) {
    // IP families. The modelled cluster is IPv4 single-stack, where the API server refuses
    // IPv6 and RequireDualStack, and PreferDualStack gives IPv4 only.
    // https://kubernetes.io/docs/concepts/services-networking/dual-stack/#services
    if let Some(families) = &spec.ip_families {
        let fam_at = spec_at.key("ipFamilies");
        for (i, f) in families.iter().enumerate() {
            match f.as_str() {
                "IPv4" => {}
                "IPv6" => o.error(
                    "ip-family",
                    fam_at.idx(i).span(),
                    "ipFamilies IPv6: this cluster is IPv4 single-stack (Switchboard models IPv4 only), and the API server refuses a family it is not configured for".into(),
                    vec!["leave ipFamilies out, or write [IPv4]".into()],
                ),
                other => o.error(
                    "ip-family",
                    fam_at.idx(i).span(),
                    format!("unsupported ipFamilies value `{other}`: supported values are IPv4 and IPv6"),
                    vec![],
                ),
            }
        }
    }
    if spec.ip_family_policy.as_deref() == Some("RequireDualStack") {
        o.error(
            "ip-family",
            spec_at.key("ipFamilyPolicy").span(),
            "ipFamilyPolicy RequireDualStack: this cluster is IPv4 single-stack (Switchboard models IPv4 only), so the API server refuses it".into(),
            vec!["use SingleStack or PreferDualStack (which gives IPv4 here)".into()],
        );
    }
}

fn session_affinity(
    o: &mut Obj<'_>,
    aff_at: At<'_>,
    timeout_at: At<'_>,
    spec: &core::ServiceSpec,
) -> SessionAffinity {
    let Some(affinity) = spec.session_affinity.as_deref() else { return SessionAffinity::None };
    match o.pick(aff_at, "sessionAffinity", affinity, &AFFINITIES) {
        Some(SessionAffinity::ClientIp { .. }) => {
            let t = spec
                .session_affinity_config
                .as_ref()
                .and_then(|c| c.client_ip.as_ref())
                .and_then(|c| c.timeout_seconds)
                .unwrap_or(10800);
            if !(1..=86400).contains(&t) {
                o.error(
                    "invalid-value",
                    timeout_at.span(),
                    format!("timeoutSeconds must be 1 to 86400 (one day), not {t}"),
                    vec![],
                );
            }
            SessionAffinity::ClientIp { timeout_seconds: t.clamp(1, 86400) as u32 }
        }
        _ => SessionAffinity::None,
    }
}

fn service_port(p: Option<&Node>) -> core::ServicePort {
    core::ServicePort {
        app_protocol: string(p, "appProtocol"),
        name: string(p, "name"),
        node_port: int(p, "nodePort"),
        port: req_int(p, "port"),
        protocol: string(p, "protocol"),
        target_port: int_or_string(p, "targetPort"),
    }
}

fn service_spec(s: Option<&Node>) -> core::ServiceSpec {
    core::ServiceSpec {
        allocate_load_balancer_node_ports: boolean(s, "allocateLoadBalancerNodePorts"),
        cluster_ip: string(s, "clusterIP"),
        cluster_ips: strings(s, "clusterIPs"),
        external_ips: strings(s, "externalIPs"),
        external_name: string(s, "externalName"),
        external_traffic_policy: string(s, "externalTrafficPolicy"),
        health_check_node_port: int(s, "healthCheckNodePort"),
        internal_traffic_policy: string(s, "internalTrafficPolicy"),
        ip_families: strings(s, "ipFamilies"),
        ip_family_policy: string(s, "ipFamilyPolicy"),
        load_balancer_class: string(s, "loadBalancerClass"),
        load_balancer_ip: string(s, "loadBalancerIP"),
        load_balancer_source_ranges: strings(s, "loadBalancerSourceRanges"),
        ports: items(s, "ports", service_port),
        publish_not_ready_addresses: boolean(s, "publishNotReadyAddresses"),
        selector: string_map(s, "selector"),
        session_affinity: string(s, "sessionAffinity"),
        session_affinity_config: object(s, "sessionAffinityConfig", |c| core::SessionAffinityConfig {
            client_ip: object(c, "clientIP", |ip| core::ClientIPConfig {
                timeout_seconds: int(ip, "timeoutSeconds"),
            }),
        }),
        traffic_distribution: string(s, "trafficDistribution"),
        type_: string(s, "type"),
    }
}

fn load_balancer_status(s: Option<&Node>) -> core::LoadBalancerStatus {
    core::LoadBalancerStatus {
        ingress: items(s, "ingress", |i| core::LoadBalancerIngress {
            hostname: string(i, "hostname"),
            ip: string(i, "ip"),
            ip_mode: string(i, "ipMode"),
            ports: items(i, "ports", |p| core::PortStatus {
                error: string(p, "error"),
                port: req_int(p, "port"),
                protocol: req_string(p, "protocol"),
            }),
        }),
    }
}

pub fn build(node: &Node) -> core::Service {
    let n = Some(node);
    core::Service {
        metadata: object_meta(n),
        spec: object(n, "spec", service_spec),
        status: object(n, "status", |s| core::ServiceStatus {
            load_balancer: object(s, "loadBalancer", load_balancer_status),
            ..Default::default()
        }),
    }
}
