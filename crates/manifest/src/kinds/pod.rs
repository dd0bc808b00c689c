//! Pod (v1), and the pod spec that workloads' templates share: containers and their ports,
//! DNS policy and configuration, node selection.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use k8s_openapi::api::core::v1 as core;
use netsim::{DnsPolicy, Labels, Source};

use crate::fields::{
    boolean, get, int, items, object, object_meta, present, req_int, req_string, string, string_map, strings,
};
use crate::names;
use crate::object::{item_source, At, Meta, Obj, Object};
use crate::tree::Node;

/// The spellings of `dnsPolicy`.
const DNS_POLICIES: [(&str, DnsPolicy); 4] = [
    ("ClusterFirst", DnsPolicy::ClusterFirst),
    ("ClusterFirstWithHostNet", DnsPolicy::ClusterFirstWithHostNet),
    ("Default", DnsPolicy::Default),
    ("None", DnsPolicy::None),
];

pub(crate) fn read(o: &mut Obj<'_>, root: At<'_>, v: core::Pod, m: Meta, source: Option<Source>) -> Object {
    let spec = pod_spec(o, root.key("spec"), v.spec.as_ref(), m.labels, m.annotations);
    let status = root.key("status");
    let (ip, ipv6_only) = pod_address(o, status, v.status.as_ref());
    // `status.hostIP`: the node's address; an IPv6 one is not read.
    let host_ip = v
        .status
        .as_ref()
        .and_then(|s| s.host_ip.as_deref())
        .filter(|h| h.parse::<std::net::Ipv6Addr>().is_err())
        .and_then(|h| o.ipv4(status.key("hostIP"), "host IP", h));
    let ready = v
        .status
        .iter()
        .flat_map(|s| s.conditions.iter().flatten())
        .find(|c| c.type_ == "Ready")
        .map(|c| c.status == "True");
    // The kubelet writes `status.phase`; the API server does not check its spelling.
    let phase = v
        .status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .and_then(|p| netsim::PodPhase::ALL.iter().find(|(s, _)| *s == p).map(|(_, phase)| *phase));
    let terminating = root.key("metadata").key("deletionTimestamp").present();
    Object::Pod(netsim::Pod {
        name: m.name,
        namespace: m.namespace,
        spec,
        ip,
        host_ip,
        ipv6_only,
        ready,
        terminating,
        phase,
        source,
    })
}

/// The pod's IPv4 address: `status.podIP`, else the IPv4 entry of `status.podIPs` (a
/// dual-stack pod lists one address per family, its primary first:
/// https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#PodStatus).
/// When the status gives only IPv6 addresses, none, with a warning and `true`: the model
/// does not read IPv6, and never takes such an address for an IPv4 one.
fn pod_address(o: &mut Obj<'_>, status: At<'_>, s: Option<&core::PodStatus>) -> (Option<Ipv4Addr>, bool) {
    let Some(s) = s else { return (None, false) };
    let mut given: Vec<(At<'_>, &str)> = Vec::new();
    given.extend(s.pod_ip.as_deref().map(|ip| (status.key("podIP"), ip)));
    for (i, p) in s.pod_ips.iter().flatten().enumerate() {
        given.push((status.key("podIPs").idx(i).key("ip"), p.ip.as_str()));
    }
    let mut ipv6 = None;
    for (at, text) in &given {
        if let Ok(ip) = text.parse::<Ipv4Addr>() {
            return (Some(ip), false);
        }
        if text.parse::<std::net::Ipv6Addr>().is_ok() {
            ipv6 = ipv6.or(Some((*at, *text)));
        } else {
            o.ipv4(*at, "pod IP", text);
        }
    }
    let Some((at, text)) = ipv6 else { return (None, false) };
    o.warn(
        "ipv6-not-modelled",
        at.span(),
        format!("the pod has only IPv6 addresses (`{text}`); Switchboard models IPv4 only, so it has no address and takes part in no connection"),
        vec!["give it an IPv4 `status.podIP`, or leave the status out to have one assigned".into()],
    );
    (None, true)
}

pub(crate) fn pod_spec(
    o: &mut Obj<'_>,
    at: At<'_>,
    spec: Option<&core::PodSpec>,
    labels: Labels,
    annotations: Labels,
) -> netsim::PodSpec {
    let default = core::PodSpec::default();
    let spec = spec.unwrap_or(&default);
    let mut containers = Vec::new();
    let mut names: BTreeMap<String, ()> = BTreeMap::new();
    for (i, c) in spec.containers.iter().enumerate() {
        let cat = at.key("containers").idx(i);
        if c.name.is_empty() {
            o.error("missing-field", cat.key("name").span(), "a container needs a `name`".into(), vec![]);
        } else {
            o.check("invalid-name", cat.key("name"), "container name", &c.name, names::dns1123_label);
        }
        let mut ports = Vec::new();
        for (j, p) in c.ports.iter().flatten().enumerate() {
            let pat = cat.key("ports").idx(j);
            let container_port = o.port(pat.key("containerPort"), "containerPort", p.container_port);
            let protocol = o.protocol(pat.key("protocol"), p.protocol.as_deref());
            let name = p.name.clone().filter(|n| !n.is_empty());
            if let Some(n) = &name {
                o.check("invalid-port-name", pat.key("name"), "container port name", n, names::iana_svc_name);
                if names.insert(n.clone(), ()).is_some() {
                    o.error(
                        "duplicate-port-name",
                        pat.key("name").span(),
                        format!("port name `{n}` is used twice in this pod"),
                        vec![],
                    );
                }
            }
            let host_port = match p.host_port {
                None | Some(0) => None,
                Some(h) => Some(o.port(pat.key("hostPort"), "hostPort", h)),
            };
            ports.push(netsim::ContainerPort {
                name,
                container_port,
                protocol,
                host_port,
                source: item_source(o.file, pat),
            });
        }
        containers.push(netsim::Container { name: c.name.clone(), ports });
    }
    if spec.containers.is_empty() {
        o.error(
            "missing-field",
            at.key("containers").key_span(),
            "a pod needs at least one container in `containers`".into(),
            vec![],
        );
    }
    let dns_policy = match spec.dns_policy.as_deref() {
        None => DnsPolicy::ClusterFirst,
        Some(p) => {
            o.pick(at.key("dnsPolicy"), "dnsPolicy", p, &DNS_POLICIES).unwrap_or(DnsPolicy::ClusterFirst)
        }
    };
    let dns_config = spec.dns_config.as_ref().map(|c| {
        let mut nameservers = Vec::new();
        for (i, ns) in c.nameservers.iter().flatten().enumerate() {
            nameservers.extend(o.ipv4(at.key("dnsConfig").key("nameservers").idx(i), "nameserver", ns));
        }
        netsim::DnsConfig {
            nameservers,
            searches: c.searches.clone().unwrap_or_default(),
            options: c
                .options
                .iter()
                .flatten()
                .map(|op| (op.name.clone().unwrap_or_default(), op.value.clone()))
                .collect(),
        }
    });
    if dns_policy == DnsPolicy::None && dns_config.as_ref().is_none_or(|c| c.nameservers.is_empty()) {
        o.error(
            "missing-field",
            at.key("dnsPolicy").span(),
            "`dnsPolicy: None` needs at least one nameserver in `dnsConfig.nameservers`".into(),
            vec![],
        );
    }
    let node_selector = spec.node_selector.clone().unwrap_or_default();
    o.labels(at.key("nodeSelector"), &node_selector);
    netsim::PodSpec {
        labels,
        annotations,
        containers,
        host_network: spec.host_network.unwrap_or(false),
        no_service_links: spec.enable_service_links == Some(false),
        hostname: spec.hostname.clone(),
        subdomain: spec.subdomain.clone(),
        dns_policy,
        dns_config,
        node_name: spec.node_name.clone(),
        node_selector,
    }
}

fn container_port(p: Option<&Node>) -> core::ContainerPort {
    core::ContainerPort {
        container_port: req_int(p, "containerPort"),
        host_ip: string(p, "hostIP"),
        host_port: int(p, "hostPort"),
        name: string(p, "name"),
        protocol: string(p, "protocol"),
    }
}

fn container(c: Option<&Node>) -> core::Container {
    core::Container {
        name: req_string(c, "name"),
        ports: items(c, "ports", container_port),
        ..Default::default()
    }
}

fn dns_config(d: Option<&Node>) -> core::PodDNSConfig {
    core::PodDNSConfig {
        nameservers: strings(d, "nameservers"),
        options: items(d, "options", |o| core::PodDNSConfigOption {
            name: string(o, "name"),
            value: string(o, "value"),
        }),
        searches: strings(d, "searches"),
    }
}

pub(crate) fn build_spec(s: Option<&Node>) -> core::PodSpec {
    core::PodSpec {
        containers: items(s, "containers", container).unwrap_or_default(),
        dns_policy: string(s, "dnsPolicy"),
        dns_config: object(s, "dnsConfig", dns_config),
        node_selector: string_map(s, "nodeSelector"),
        host_network: boolean(s, "hostNetwork"),
        enable_service_links: boolean(s, "enableServiceLinks"),
        hostname: string(s, "hostname"),
        subdomain: string(s, "subdomain"),
        node_name: string(s, "nodeName"),
        restart_policy: string(s, "restartPolicy"),
        ..Default::default()
    }
}

pub(crate) fn build_template(t: Option<&Node>) -> core::PodTemplateSpec {
    core::PodTemplateSpec {
        metadata: present(get(t, "metadata")).map(|_| object_meta(t)),
        spec: object(t, "spec", build_spec),
    }
}

pub fn build(node: &Node) -> core::Pod {
    let n = Some(node);
    core::Pod {
        metadata: object_meta(n),
        spec: object(n, "spec", build_spec),
        status: object(n, "status", |s| core::PodStatus {
            host_ip: string(s, "hostIP"),
            pod_ip: string(s, "podIP"),
            pod_ips: items(s, "podIPs", |p| core::PodIP { ip: req_string(p, "ip") }),
            phase: string(s, "phase"),
            conditions: items(s, "conditions", |c| core::PodCondition {
                type_: req_string(c, "type"),
                status: req_string(c, "status"),
                ..Default::default()
            }),
            ..Default::default()
        }),
    }
}
