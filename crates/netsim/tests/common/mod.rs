//! A compact builder for test scenarios, and renderers that make answers comparable
//! without spelling out allocated addresses. `policies` builds NetworkPolicies piece by
//! piece; `random_policies` and `simple_policy` hold the
//! random clusters and the spec-side evaluator of the NetworkPolicy differential tests;
//! `random_scenarios` the random scenarios and requests of the never-panic tests (netsim's
//! and kubectl's, which includes this module).
#![allow(dead_code)]

use std::net::Ipv4Addr;

use netsim::*;

pub mod policies;
pub mod random_policies;
pub mod random_scenarios;
pub mod simple_policy;

pub fn labels(text: &str) -> Labels {
    text.split(',')
        .filter(|s| !s.is_empty())
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// `"http:8080"`, `"8080"`, `"dns:53/UDP"`.
pub fn cport(text: &str) -> ContainerPort {
    let (text, protocol) = match text.split_once('/') {
        Some((t, p)) => (t, Protocol::parse(p).unwrap_or(Protocol::Tcp)),
        None => (text, Protocol::Tcp),
    };
    let (name, port) = match text.split_once(':') {
        Some((n, p)) => (Some(n.to_string()), p),
        None => (None, text),
    };
    ContainerPort {
        name,
        container_port: port.parse().unwrap_or(80),
        protocol,
        host_port: None,
        source: None,
    }
}

/// `"http 80->8080"`, `"80->http"`, `"80"`, `"dns 53->53/UDP"`.
pub fn sport(text: &str) -> ServicePort {
    let (text, protocol) = match text.split_once('/') {
        Some((t, p)) => (t, Protocol::parse(p).unwrap_or(Protocol::Tcp)),
        None => (text, Protocol::Tcp),
    };
    let (name, rest) = match text.split_once(' ') {
        Some((n, r)) => (Some(n.to_string()), r),
        None => (None, text),
    };
    let (port, target) = match rest.split_once("->") {
        Some((p, t)) => (p, t),
        None => (rest, rest),
    };
    let port: u16 = port.parse().unwrap_or(80);
    let target_port = match target.parse::<u16>() {
        Ok(n) => PortRef::Number(n),
        Err(_) => PortRef::Name(target.to_string()),
    };
    ServicePort { name, protocol, port, target_port, node_port: None, app_protocol: None, source: None }
}

pub fn template(label_text: &str, ports: &[&str]) -> PodSpec {
    PodSpec {
        labels: labels(label_text),
        containers: vec![Container { name: "app".into(), ports: ports.iter().map(|p| cport(p)).collect() }],
        ..PodSpec::default()
    }
}

#[derive(Clone, Default)]
pub struct S {
    pub scenario: Scenario,
    pub topology: Option<Topology>,
}

pub fn scenario() -> S {
    S::default()
}

impl S {
    pub fn deployment(mut self, ns: &str, name: &str, replicas: u32, label_text: &str, ports: &[&str]) -> S {
        self.scenario.workloads.push(Workload {
            kind: WorkloadKind::Deployment,
            name: name.into(),
            namespace: ns.into(),
            replicas,
            selector: LabelSelector::from_labels(&labels(label_text)),
            template: template(label_text, ports),
            service_name: None,
            job: None,
            source: None,
        });
        self
    }

    pub fn workload(
        mut self,
        kind: WorkloadKind,
        ns: &str,
        name: &str,
        replicas: u32,
        label_text: &str,
        ports: &[&str],
    ) -> S {
        self = self.deployment(ns, name, replicas, label_text, ports);
        if let Some(w) = self.scenario.workloads.last_mut() {
            w.kind = kind;
        }
        self
    }

    pub fn statefulset(
        self,
        ns: &str,
        name: &str,
        replicas: u32,
        service: &str,
        label_text: &str,
        ports: &[&str],
    ) -> S {
        let mut s = self.workload(WorkloadKind::StatefulSet, ns, name, replicas, label_text, ports);
        if let Some(w) = s.scenario.workloads.last_mut() {
            w.service_name = Some(service.into());
        }
        s
    }

    pub fn pod(mut self, ns: &str, name: &str, label_text: &str, ports: &[&str]) -> S {
        self.scenario.pods.push(Pod {
            name: name.into(),
            namespace: ns.into(),
            spec: template(label_text, ports),
            ip: None,
            host_ip: None,
            ipv6_only: false,
            ready: None,
            terminating: false,
            phase: None,
            source: None,
        });
        self
    }

    /// A pod pinned to a node.
    pub fn pod_on(self, node: &str, ns: &str, name: &str, label_text: &str, ports: &[&str]) -> S {
        self.pod(ns, name, label_text, ports).with_pod(|p| p.spec.node_name = Some(node.into()))
    }

    pub fn with_pod(mut self, f: impl FnOnce(&mut Pod)) -> S {
        if let Some(p) = self.scenario.pods.last_mut() {
            f(p);
        }
        self
    }

    pub fn with_workload(mut self, f: impl FnOnce(&mut Workload)) -> S {
        if let Some(w) = self.scenario.workloads.last_mut() {
            f(w);
        }
        self
    }

    /// A Service; `selector` "" means no selector.
    pub fn svc(mut self, ns: &str, name: &str, selector: &str, ports: &[&str]) -> S {
        self.scenario.services.push(Service {
            name: name.into(),
            namespace: ns.into(),
            selector: if selector.is_empty() { None } else { Some(labels(selector)) },
            ports: ports.iter().map(|p| sport(p)).collect(),
            ..Service::default()
        });
        self
    }

    pub fn svc_type(self, t: ServiceType) -> S {
        self.with_svc(|s| s.service_type = t)
    }

    pub fn with_svc(mut self, f: impl FnOnce(&mut Service)) -> S {
        if let Some(s) = self.scenario.services.last_mut() {
            f(s);
        }
        self
    }

    pub fn slice(mut self, ns: &str, service: &str, ips: &[&str], ports: &[(&str, u16)]) -> S {
        self.scenario.endpoint_slices.push(EndpointSlice {
            name: format!("{service}-1"),
            namespace: ns.into(),
            service_name: service.into(),
            endpoints: vec![Endpoint {
                addresses: ips.iter().filter_map(|s| s.parse().ok()).collect(),
                ready: true,
                serving: true,
                terminating: false,
                node_name: None,
                target_pod: None,
                hostname: None,
            }],
            ports: ports
                .iter()
                .map(|(n, p)| EndpointPort {
                    name: if n.is_empty() { None } else { Some(n.to_string()) },
                    port: *p,
                    protocol: Protocol::Tcp,
                })
                .collect(),
            source: None,
        });
        self
    }

    pub fn with_slice(mut self, f: impl FnOnce(&mut EndpointSlice)) -> S {
        if let Some(s) = self.scenario.endpoint_slices.last_mut() {
            f(s);
        }
        self
    }

    pub fn namespace(mut self, name: &str, label_text: &str) -> S {
        self.scenario.namespaces.push(Namespace {
            name: name.into(),
            labels: labels(label_text),
            source: None,
        });
        self
    }

    pub fn topology(mut self, f: impl FnOnce(&mut Topology)) -> S {
        let mut t = self.topology.take().unwrap_or_default();
        f(&mut t);
        self.topology = Some(t);
        self
    }

    pub fn build(&self) -> Cluster {
        Cluster::build(&self.scenario, &self.topology.clone().unwrap_or_default())
    }
}

/// The shop used by most tests: a 3-replica `web` Deployment behind ClusterIP `web`,
/// a `client` pod on node-1, and an `api` Deployment in namespace `backend`.
pub fn shop() -> S {
    scenario()
        .deployment("default", "web", 3, "app=web", &["http:8080"])
        .svc("default", "web", "app=web", &["http 80->8080"])
        .pod_on("node-1", "default", "client", "app=client", &[])
        .deployment("backend", "api", 2, "app=api", &["9090"])
        .svc("backend", "api", "app=api", &["80->9090"])
        .pod_on("node-2", "backend", "debug", "app=debug", &[])
}

/// A name for an address: the Service or pod that owns it, else the address.
pub fn who(c: &Cluster, ip: Ipv4Addr) -> String {
    if let Some(s) = c.service_by_cluster_ip(ip) {
        return format!("svc/{}/{}", s.namespace(), s.name());
    }
    if let Some(s) = c.service_by_load_balancer_ip(ip) {
        return format!("lb/{}/{}", s.namespace(), s.name());
    }
    if let Some(p) = c.pod_by_ip(ip) {
        return format!("pod/{}/{}", p.namespace, p.name);
    }
    if let Some(n) = c.node_by_ip(ip) {
        return format!("node/{}", n.name);
    }
    ip.to_string()
}

/// A DNS answer as one line, addresses named by owner.
pub fn render_answer(c: &Cluster, a: &DnsAnswer) -> String {
    if a.rcode == Rcode::NxDomain {
        return "NXDOMAIN".into();
    }
    a.records
        .iter()
        .map(|r| match r {
            Record::A { ip, .. } => format!("A {}", who(c, *ip)),
            Record::Cname { target, .. } => format!("CNAME {target}"),
            Record::Srv { port, target, .. } => format!("SRV {port} {target}"),
            Record::Ptr { target, .. } => format!("PTR {target}"),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The owner part of a pod name: `web-<hash>-<suffix>` -> `web`, `db-0` stays.
pub fn workload_of(pod: &str) -> String {
    let parts: Vec<&str> = pod.split('-').collect();
    if parts.len() >= 3 && parts[parts.len() - 2].len() == 10 && parts[parts.len() - 1].len() == 5 {
        parts[..parts.len() - 2].join("-")
    } else {
        pod.to_string()
    }
}

/// An outcome as a short comparable string, e.g. `delivered default/web:8080`.
pub fn render_outcome(o: &Outcome) -> String {
    match o {
        Outcome::Delivered { pod, port, .. } => {
            let (ns, name) = pod.split_once('/').unwrap_or(("", pod));
            format!("delivered {ns}/{}:{port}", workload_of(name))
        }
        Outcome::Refused { port, .. } => format!("refused {port}"),
        Outcome::ExternalName { target, .. } => format!("external-name {target}"),
        Outcome::ReachedNode { node, port } => format!("reached-node {node}:{port}"),
        other => other.as_str().to_string(),
    }
}

/// The world of the send and snapshot tests: every kind of Service next to the shop.
pub fn world() -> S {
    let solo = |p: &mut Workload| p.template.node_selector = labels("kubernetes.io/hostname=node-2");
    shop()
        .deployment("default", "solo", 1, "app=solo", &["http:8080"])
        .with_workload(solo)
        .svc("default", "np", "app=web", &["http 80->8080"])
        .svc_type(ServiceType::NodePort)
        .with_svc(|s| s.ports[0].node_port = Some(30080))
        .svc("default", "solo-local", "app=solo", &["http 80->8080"])
        .svc_type(ServiceType::NodePort)
        .with_svc(|s| {
            s.ports[0].node_port = Some(30081);
            s.external_traffic_policy = TrafficPolicy::Local;
        })
        .svc("default", "solo-cluster", "app=solo", &["http 80->8080"])
        .svc_type(ServiceType::NodePort)
        .with_svc(|s| s.ports[0].node_port = Some(30082))
        .svc("default", "lb", "app=web", &["http 80->8080"])
        .svc_type(ServiceType::LoadBalancer)
        .with_svc(|s| s.load_balancer_source_ranges = vec![Cidr::parse("192.0.2.0/25").unwrap()])
        .svc("default", "lb-local", "app=solo", &["http 80->8080"])
        .svc_type(ServiceType::LoadBalancer)
        .with_svc(|s| s.external_traffic_policy = TrafficPolicy::Local)
        .svc("default", "broken", "app=web", &["80->9999"])
        .svc("default", "typo", "app=wbe", &["80->8080"])
        .svc("default", "ext", "", &[])
        .with_svc(|s| {
            s.service_type = ServiceType::ExternalName;
            s.external_name = Some("example.com".into());
        })
        .statefulset("default", "db", 2, "db", "app=db", &["5432"])
        .svc("default", "db", "app=db", &["5432"])
        .with_svc(|s| s.cluster_ip = ClusterIpSpec::Headless)
        .svc("default", "sticky", "app=web", &["80->8080"])
        .with_svc(|s| s.session_affinity = SessionAffinity::ClientIp { timeout_seconds: 10800 })
        .svc("default", "local", "app=solo", &["80->8080"])
        .with_svc(|s| s.internal_traffic_policy = TrafficPolicy::Local)
        .svc("default", "manual", "", &["http 80->80"])
        .slice("default", "manual", &["192.0.2.200"], &[("http", 5432)])
        .pod_on("node-2", "default", "client2", "app=client", &[])
        .pod("default", "unready", "app=unready", &["8080"])
        .with_pod(|p| p.ready = Some(false))
        .svc("default", "unready", "app=unready", &["80->8080"])
}

/// The cluster of the kubectl and iptables snapshots: Services of every type, a typo in a
/// selector, session affinity and a pod that is not ready.
pub fn views() -> Cluster {
    scenario()
        .deployment("default", "web", 2, "app=web", &["http:8080"])
        .svc("default", "web", "app=web", &["http 80->8080"])
        .svc("default", "web-np", "app=web", &["http 80->http"])
        .svc_type(ServiceType::NodePort)
        .with_svc(|s| s.ports[0].node_port = Some(30080))
        .svc("default", "front", "app=web", &["http 80->8080", "https 443->8443"])
        .svc_type(ServiceType::LoadBalancer)
        .with_svc(|s| {
            s.external_traffic_policy = TrafficPolicy::Local;
            s.load_balancer_source_ranges = vec![Cidr::parse("192.0.2.0/24").unwrap()];
        })
        .svc("default", "typo", "app=wbe", &["80"])
        .svc("default", "ext", "", &[])
        .with_svc(|s| {
            s.service_type = ServiceType::ExternalName;
            s.external_name = Some("example.com".into());
        })
        .svc("default", "sticky", "app=web", &["80->8080"])
        .with_svc(|s| s.session_affinity = SessionAffinity::ClientIp { timeout_seconds: 10800 })
        .pod("default", "slow", "app=slow", &["80"])
        .with_pod(|p| p.ready = Some(false))
        .build()
}
