//! DNS as CoreDNS's `kubernetes` plugin answers it, and the pod's resolver (resolv.conf and
//! glibc's search-list rules) that decides which names are asked.
//! https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/

use std::fmt;
use std::net::Ipv4Addr;

use crate::build::{Cluster, ClusterPod, ClusterService};
use crate::hash::fnv64;
use crate::scenario::ObjectRef;
use crate::scenario::{DnsPolicy, Protocol, ServiceType};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QueryType {
    A,
    Srv,
    Ptr,
}

impl QueryType {
    pub fn as_str(self) -> &'static str {
        match self {
            QueryType::A => "A",
            QueryType::Srv => "SRV",
            QueryType::Ptr => "PTR",
        }
    }
}

/// Who asks: a pod (its own resolv.conf), or any pod of a namespace (the default one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DnsClient {
    Pod { namespace: String, name: String },
    Namespace(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnsQuery {
    pub from: DnsClient,
    pub name: String,
    pub qtype: QueryType,
}

impl DnsQuery {
    /// An A query from a pod of `namespace` with the default resolv.conf.
    pub fn a(namespace: &str, name: &str) -> DnsQuery {
        DnsQuery { from: DnsClient::Namespace(namespace.into()), name: name.into(), qtype: QueryType::A }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    A { name: String, ip: Ipv4Addr },
    Cname { name: String, target: String },
    Srv { name: String, priority: u16, weight: u16, port: u16, target: String },
    Ptr { name: String, target: String },
}

impl fmt::Display for Record {
    /// Zone-file style, as `dig` prints answers (TTL 30 as CoreDNS's default).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Record::A { name, ip } => write!(f, "{name}. 30 IN A {ip}"),
            Record::Cname { name, target } => write!(f, "{name}. 30 IN CNAME {target}."),
            Record::Srv { name, priority, weight, port, target } => {
                write!(f, "{name}. 30 IN SRV {priority} {weight} {port} {target}.")
            }
            Record::Ptr { name, target } => write!(f, "{name}. 30 IN PTR {target}."),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rcode {
    NoError,
    NxDomain,
}

/// Which server answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolver {
    /// CoreDNS behind the kube-dns Service.
    Cluster(Ipv4Addr),
    /// The node's own resolver (dnsPolicy Default, or hostNetwork with ClusterFirst).
    Node(Ipv4Addr),
    /// A nameserver from dnsConfig that is not CoreDNS, or a client outside the cluster.
    Upstream(Ipv4Addr),
    /// No nameserver at all (dnsPolicy None without dnsConfig.nameservers).
    None,
}

/// The resolver configuration a pod gets.
/// https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-s-dns-policy
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvConf {
    pub nameservers: Vec<Ipv4Addr>,
    pub searches: Vec<String>,
    pub ndots: u32,
    /// Why the pod got this configuration.
    pub why: String,
}

impl fmt::Display for ResolvConf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for ns in &self.nameservers {
            writeln!(f, "nameserver {ns}")?;
        }
        if !self.searches.is_empty() {
            writeln!(f, "search {}", self.searches.join(" "))?;
        }
        writeln!(f, "options ndots:{}", self.ndots)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnsAnswer {
    pub qtype: QueryType,
    /// The name as asked.
    pub name: String,
    /// Every fully qualified name tried, in order (the search list applied).
    pub tried: Vec<String>,
    /// The name that answered, when one did.
    pub answered: Option<String>,
    pub rcode: Rcode,
    pub records: Vec<Record>,
    pub resolver: Resolver,
    /// One sentence: why this answer.
    pub explanation: String,
    pub objects: Vec<ObjectRef>,
}

impl DnsAnswer {
    /// The A addresses of the answer, in answer order.
    pub fn addresses(&self) -> Vec<Ipv4Addr> {
        self.records
            .iter()
            .filter_map(|r| if let Record::A { ip, .. } = r { Some(*ip) } else { None })
            .collect()
    }

    /// The CNAME target, when the answer has one (ExternalName).
    pub fn cname(&self) -> Option<&str> {
        self.records.iter().find_map(|r| {
            if let Record::Cname { target, .. } = r {
                Some(target.as_str())
            } else {
                None
            }
        })
    }
}

/// What one server says about one fully qualified name.
struct Lookup {
    records: Vec<Record>,
    explanation: String,
    objects: Vec<ObjectRef>,
}

fn dashed(ip: Ipv4Addr) -> String {
    ip.to_string().replace('.', "-")
}

fn undashed(label: &str) -> Option<Ipv4Addr> {
    label.replace('-', ".").parse().ok().filter(|_| label.split('-').count() == 4)
}

fn reverse_name(ip: Ipv4Addr) -> String {
    let o = ip.octets();
    format!("{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0])
}

/// A deterministic documentation-range address (198.51.100.0/24, RFC 5737) for a name on
/// the internet: the model has no internet, so it invents a stable answer.
pub fn external_address(name: &str) -> Ipv4Addr {
    let h = fnv64(&[name.trim_end_matches('.')]);
    Ipv4Addr::new(198, 51, 100, 1 + (h % 254) as u8)
}

/// Whether the pretend internet has `name`: a dotted name with an alphabetic top-level
/// label, except the reserved ones that never resolve publicly.
fn exists_on_internet(name: &str) -> bool {
    let labels: Vec<&str> = name.split('.').filter(|l| !l.is_empty()).collect();
    let Some(tld) = labels.last() else { return false };
    // Country codes and the common generic top-level domains; reserved names never resolve.
    const KNOWN: [&str; 30] = [
        "com", "org", "net", "io", "dev", "app", "edu", "gov", "info", "cloud", "example", "biz", "xyz",
        "tech", "ai", "uk", "de", "fr", "nl", "jp", "cn", "us", "ca", "au", "in", "eu", "co", "me", "tv",
        "ch",
    ];
    labels.len() >= 2 && KNOWN.contains(tld)
}

impl Cluster {
    fn domain(&self) -> String {
        self.topology.cluster_domain.trim_matches('.').to_ascii_lowercase()
    }

    /// The default resolv.conf of a pod in `namespace` (dnsPolicy ClusterFirst).
    pub fn cluster_first(&self, namespace: &str) -> ResolvConf {
        let d = self.domain();
        ResolvConf {
            nameservers: vec![self.topology.dns_service_ip()],
            searches: vec![format!("{namespace}.svc.{d}"), format!("svc.{d}"), d],
            ndots: 5,
            why: "dnsPolicy ClusterFirst: the kubelet points the pod at the kube-dns Service with the namespace's search list".into(),
        }
    }

    /// The node's resolver: the model gives every node a resolver at `.1` of its network.
    fn node_resolver(&self, node: Option<&str>) -> Ipv4Addr {
        let ip = node.and_then(|n| self.node(n)).map(|n| n.ip).or_else(|| self.nodes.first().map(|n| n.ip));
        match ip {
            Some(ip) => {
                let o = ip.octets();
                Ipv4Addr::new(o[0], o[1], o[2], 1)
            }
            None => Ipv4Addr::new(192, 168, 49, 1),
        }
    }

    /// The resolv.conf the kubelet writes for `pod`.
    pub fn resolv_conf(&self, pod: &ClusterPod) -> ResolvConf {
        let mut conf = match pod.spec.dns_policy {
            DnsPolicy::ClusterFirst if pod.spec.host_network => ResolvConf {
                nameservers: vec![self.node_resolver(pod.node.as_deref())],
                searches: Vec::new(),
                ndots: 1,
                why: "hostNetwork with dnsPolicy ClusterFirst falls back to Default: the pod uses its node's resolver (set ClusterFirstWithHostNet to use cluster DNS)".into(),
            },
            DnsPolicy::ClusterFirst => self.cluster_first(&pod.namespace),
            DnsPolicy::ClusterFirstWithHostNet => ResolvConf {
                why: "dnsPolicy ClusterFirstWithHostNet: cluster DNS even on the host network".into(),
                ..self.cluster_first(&pod.namespace)
            },
            DnsPolicy::Default => ResolvConf {
                nameservers: vec![self.node_resolver(pod.node.as_deref())],
                searches: Vec::new(),
                ndots: 1,
                why: "dnsPolicy Default: the pod inherits its node's resolver, which knows nothing of cluster names".into(),
            },
            DnsPolicy::None => ResolvConf {
                nameservers: Vec::new(),
                searches: Vec::new(),
                ndots: 1,
                why: "dnsPolicy None: the resolver comes only from dnsConfig".into(),
            },
        };
        if let Some(cfg) = &pod.spec.dns_config {
            // Merged: nameservers and searches appended without duplicates, options override.
            for ns in &cfg.nameservers {
                if !conf.nameservers.contains(ns) && conf.nameservers.len() < 3 {
                    conf.nameservers.push(*ns);
                }
            }
            for s in &cfg.searches {
                let s = s.trim_end_matches('.').to_ascii_lowercase();
                if !s.is_empty() && !conf.searches.contains(&s) && conf.searches.len() < 32 {
                    conf.searches.push(s);
                }
            }
            for (k, v) in &cfg.options {
                if k == "ndots" {
                    if let Some(n) = v.as_deref().and_then(|v| v.parse::<u32>().ok()) {
                        conf.ndots = n.min(15);
                    }
                }
            }
        }
        conf
    }

    fn resolver_of(&self, conf: &ResolvConf, node: Option<&str>) -> Resolver {
        match conf.nameservers.first() {
            None => Resolver::None,
            Some(ip) if *ip == self.topology.dns_service_ip() => Resolver::Cluster(*ip),
            Some(ip) if *ip == self.node_resolver(node) => Resolver::Node(*ip),
            Some(ip) => Resolver::Upstream(*ip),
        }
    }

    /// Answers `query` as the asking pod would see it.
    pub fn dns(&self, query: &DnsQuery) -> DnsAnswer {
        match &query.from {
            DnsClient::Pod { namespace, name } => match self.pod(namespace, name) {
                Some(pod) => {
                    let conf = self.resolv_conf(pod);
                    let resolver = self.resolver_of(&conf, pod.node.as_deref());
                    self.resolve(&conf, resolver, &query.name, query.qtype)
                }
                None => DnsAnswer {
                    qtype: query.qtype,
                    name: query.name.clone(),
                    tried: Vec::new(),
                    answered: None,
                    rcode: Rcode::NxDomain,
                    records: Vec::new(),
                    resolver: Resolver::None,
                    explanation: format!("there is no pod {namespace}/{name} to ask from"),
                    objects: Vec::new(),
                },
            },
            DnsClient::Namespace(ns) => {
                let conf = self.cluster_first(ns);
                let resolver = Resolver::Cluster(self.topology.dns_service_ip());
                self.resolve(&conf, resolver, &query.name, query.qtype)
            }
        }
    }

    /// Resolution through the node's resolver (`node`) or, with no node, a public one (a
    /// client outside the cluster).
    pub fn resolve_outside(&self, name: &str, qtype: QueryType, node: Option<&str>) -> DnsAnswer {
        let ip = self.node_resolver(node);
        let conf = ResolvConf { nameservers: vec![ip], searches: Vec::new(), ndots: 1, why: String::new() };
        let resolver = if node.is_some() { Resolver::Node(ip) } else { Resolver::Upstream(ip) };
        self.resolve(&conf, resolver, name, qtype)
    }

    /// glibc's res_search over `conf`, asking `resolver` each name in turn.
    pub(crate) fn resolve(
        &self,
        conf: &ResolvConf,
        resolver: Resolver,
        name: &str,
        qtype: QueryType,
    ) -> DnsAnswer {
        let asked = name.trim().to_ascii_lowercase();
        // A PTR question may be given as a plain address.
        let asked = match (qtype, asked.parse::<Ipv4Addr>()) {
            (QueryType::Ptr, Ok(ip)) => format!("{}.", reverse_name(ip)),
            _ => asked,
        };
        let candidates = search_list(&asked, conf);
        let mut tried = Vec::new();
        let mut answer = DnsAnswer {
            qtype,
            name: name.to_string(),
            tried: Vec::new(),
            answered: None,
            rcode: Rcode::NxDomain,
            records: Vec::new(),
            resolver: resolver.clone(),
            explanation: String::new(),
            objects: Vec::new(),
        };
        if resolver == Resolver::None {
            answer.explanation =
                "the pod has no nameserver (dnsPolicy None without dnsConfig.nameservers): nothing resolves"
                    .into();
            return answer;
        }
        let cluster = matches!(resolver, Resolver::Cluster(_));
        for fqdn in candidates {
            tried.push(fqdn.clone());
            if let Some(found) = self.lookup(&fqdn, qtype, cluster, 0) {
                answer.tried = tried;
                answer.answered = Some(fqdn);
                answer.rcode = Rcode::NoError;
                answer.records = found.records;
                answer.explanation = found.explanation;
                answer.objects = found.objects;
                return answer;
            }
        }
        answer.explanation = if cluster {
            format!(
                "NXDOMAIN: none of the {} names tried exists (with ndots:{} and this search list, only names in the pod's own namespace work unqualified)",
                tried.len(),
                conf.ndots
            )
        } else {
            "NXDOMAIN: this resolver is outside the cluster and does not know cluster names".into()
        };
        answer.tried = tried;
        answer
    }

    /// One question to one server. `None` means NXDOMAIN.
    /// `depth` counts CNAMEs followed: ExternalName Services may point at each other in a loop.
    fn lookup(&self, fqdn: &str, qtype: QueryType, cluster: bool, depth: u8) -> Option<Lookup> {
        let d = self.domain();
        let in_zone = fqdn == d || fqdn.ends_with(&format!(".{d}"));
        if in_zone {
            if !cluster {
                return None;
            }
            let rel = fqdn.strip_suffix(&d).unwrap_or("").trim_end_matches('.');
            return self.lookup_cluster(fqdn, rel, qtype, depth);
        }
        if qtype == QueryType::Ptr && fqdn.ends_with(".in-addr.arpa") {
            return if cluster { self.lookup_ptr(fqdn) } else { None };
        }
        if qtype == QueryType::A && exists_on_internet(fqdn) {
            let via = if cluster {
                "CoreDNS forwards it to the upstream resolver, which answers"
            } else {
                "the upstream resolver answers"
            };
            return Some(Lookup {
                records: vec![Record::A { name: fqdn.into(), ip: external_address(fqdn) }],
                explanation: format!(
                    "{fqdn} is outside the cluster domain: {via} (the model invents a documentation address)"
                ),
                objects: Vec::new(),
            });
        }
        None
    }

    fn lookup_cluster(&self, fqdn: &str, rel: &str, qtype: QueryType, depth: u8) -> Option<Lookup> {
        let labels: Vec<&str> = if rel.is_empty() { Vec::new() } else { rel.split('.').collect() };
        match labels.as_slice() {
            // <a-b-c-d>.<ns>.pod.<domain>  ("pods insecure": any dashed address in an existing namespace)
            [dashed_ip, ns, "pod"] if qtype == QueryType::A => {
                let ip = undashed(dashed_ip)?;
                self.namespace(ns)?;
                let pod = self.pods.iter().find(|p| p.namespace == *ns && p.ip == Some(ip));
                Some(Lookup {
                    records: vec![Record::A { name: fqdn.into(), ip }],
                    explanation: match pod {
                        Some(p) => format!("pod A record: {fqdn} is pod {}/{}", p.namespace, p.name),
                        None => format!("pod A record: CoreDNS (pods insecure) answers any dashed address, even with no pod {ip} in {ns}"),
                    },
                    objects: pod.map(|p| p.object()).into_iter().collect(),
                })
            }
            [svc, ns, "svc"] => {
                let s = self.service(ns, svc)?;
                match qtype {
                    QueryType::A => self.service_a(fqdn, s, depth),
                    QueryType::Srv => self.service_srv(fqdn, s, None),
                    QueryType::Ptr => None,
                }
            }
            [port, proto, svc, ns, "svc"] if qtype == QueryType::Srv => {
                let s = self.service(ns, svc)?;
                let port = port.strip_prefix('_')?;
                let proto = Protocol::parse(&proto.strip_prefix('_')?.to_ascii_uppercase())?;
                self.service_srv(fqdn, s, Some((port, proto)))
            }
            // <hostname>.<svc>.<ns>.svc.<domain>: endpoints of a headless Service.
            [host, svc, ns, "svc"] if qtype == QueryType::A => {
                let s = self.service(ns, svc)?;
                if !s.is_headless() {
                    return None;
                }
                let ep = s
                    .addresses
                    .iter()
                    .filter(|e| e.ready)
                    .find(|e| e.hostname.as_deref() == Some(*host) || dashed(e.ip) == *host)?;
                Some(Lookup {
                    records: vec![Record::A { name: fqdn.into(), ip: ep.ip }],
                    explanation: format!(
                        "{host} is a ready endpoint of headless Service {ns}/{svc}{}",
                        if ep.hostname.is_some() {
                            " (the pod's hostname, with subdomain naming the Service)"
                        } else {
                            ""
                        }
                    ),
                    objects: vec![s.object()],
                })
            }
            _ => None,
        }
    }

    fn service_a(&self, fqdn: &str, s: &ClusterService, depth: u8) -> Option<Lookup> {
        if s.spec.service_type == ServiceType::ExternalName {
            let target = s.spec.external_name.clone()?.trim_end_matches('.').to_ascii_lowercase();
            let mut records = vec![Record::Cname { name: fqdn.into(), target: target.clone() }];
            // The CNAME is followed: inside the cluster zone by CoreDNS, outside by upstream.
            // CoreDNS gives up on long chains; so does the model, after 8.
            let followed = if depth < 8 { self.lookup(&target, QueryType::A, true, depth + 1) } else { None };
            if let Some(f) = followed {
                records.extend(f.records);
            }
            return Some(Lookup {
                records,
                explanation: format!(
                    "ExternalName Service {}/{}: CoreDNS answers with a CNAME to {target}; no ClusterIP, no proxying",
                    s.namespace(),
                    s.name()
                ),
                objects: vec![s.object()],
            });
        }
        if s.is_headless() {
            let mut ips: Vec<Ipv4Addr> = s.addresses.iter().filter(|e| e.ready).map(|e| e.ip).collect();
            sorted::sort(&mut ips);
            ips.dedup();
            if ips.is_empty() {
                return None;
            }
            return Some(Lookup {
                records: ips.iter().map(|ip| Record::A { name: fqdn.into(), ip: *ip }).collect(),
                explanation: format!(
                    "headless Service {}/{}: one A record per ready endpoint ({}), no virtual IP",
                    s.namespace(),
                    s.name(),
                    ips.len()
                ),
                objects: vec![s.object()],
            });
        }
        let ip = s.cluster_ip?;
        Some(Lookup {
            records: vec![Record::A { name: fqdn.into(), ip }],
            explanation: format!("Service {}/{} has ClusterIP {ip}", s.namespace(), s.name()),
            objects: vec![s.object()],
        })
    }

    fn service_srv(&self, fqdn: &str, s: &ClusterService, want: Option<(&str, Protocol)>) -> Option<Lookup> {
        let d = self.domain();
        let svc_fqdn = format!("{}.{}.svc.{d}", s.name(), s.namespace());
        let mut records = Vec::new();
        for (sp, pe) in s.spec.ports.iter().zip(s.ports.iter()) {
            let Some(name) = sp.name.as_deref().filter(|n| !n.is_empty()) else { continue };
            if let Some((w, proto)) = want {
                if w != name || proto != sp.protocol {
                    continue;
                }
            }
            let owner = format!("_{name}._{}.{svc_fqdn}", sp.protocol.as_str().to_ascii_lowercase());
            if s.is_headless() {
                let mut eps: Vec<(String, u16)> = pe
                    .endpoints
                    .iter()
                    .filter(|e| e.ready)
                    .map(|e| (e.hostname.clone().unwrap_or_else(|| dashed(e.ip)), e.port))
                    .collect();
                sorted::sort(&mut eps);
                for (host, port) in eps {
                    records.push(Record::Srv {
                        name: owner.clone(),
                        priority: 0,
                        weight: 100,
                        port,
                        target: format!("{host}.{svc_fqdn}"),
                    });
                }
            } else if s.cluster_ip.is_some() {
                records.push(Record::Srv {
                    name: owner,
                    priority: 0,
                    weight: 100,
                    port: sp.port,
                    target: svc_fqdn.clone(),
                });
            }
        }
        if records.is_empty() {
            return None;
        }
        Some(Lookup {
            explanation: format!(
                "SRV for the named port{} of Service {}/{}{}",
                if want.is_some() { "" } else { "s" },
                s.namespace(),
                s.name(),
                if s.is_headless() {
                    ": one record per ready endpoint"
                } else {
                    ": the target is the Service name"
                }
            ),
            records: records
                .into_iter()
                .map(|r| {
                    if let Record::Srv { name, priority, weight, port, target } = r {
                        Record::Srv {
                            name: if want.is_some() { fqdn.to_string() } else { name },
                            priority,
                            weight,
                            port,
                            target,
                        }
                    } else {
                        r
                    }
                })
                .collect(),
            objects: vec![s.object()],
        })
    }

    fn lookup_ptr(&self, fqdn: &str) -> Option<Lookup> {
        let rev: Vec<&str> = fqdn.strip_suffix(".in-addr.arpa")?.split('.').collect();
        let [a, b, c, d] = rev.as_slice() else { return None };
        let ip: Ipv4Addr = format!("{d}.{c}.{b}.{a}").parse().ok()?;
        let domain = self.domain();
        if let Some(s) = self.service_by_cluster_ip(ip) {
            return Some(Lookup {
                records: vec![Record::Ptr {
                    name: fqdn.into(),
                    target: format!("{}.{}.svc.{domain}", s.name(), s.namespace()),
                }],
                explanation: format!("{ip} is the ClusterIP of Service {}/{}", s.namespace(), s.name()),
                objects: vec![s.object()],
            });
        }
        // Ready endpoint addresses, a pod's or a hand-written one: named after their Service
        // (DNS specification 2.4.3; CoreDNS answers from every EndpointSlice's addresses).
        for s in &self.services {
            if let Some(e) = s.addresses.iter().find(|e| e.ip == ip && e.ready) {
                let host = e.hostname.clone().unwrap_or_else(|| dashed(ip));
                return Some(Lookup {
                    records: vec![Record::Ptr {
                        name: fqdn.into(),
                        target: format!("{host}.{}.{}.svc.{domain}", s.name(), s.namespace()),
                    }],
                    explanation: format!("{ip} is an endpoint of Service {}/{}", s.namespace(), s.name()),
                    objects: vec![s.object()],
                });
            }
        }
        None
    }

    /// The environment variables the kubelet injects into `pod`'s containers for the
    /// Services of its namespace (and `kubernetes` from `default`), sorted by Service name.
    /// https://kubernetes.io/docs/concepts/services-networking/service/#environment-variables
    /// (The model has no creation times: every Service counts as created before the pod.)
    pub fn service_env(&self, pod: &ClusterPod) -> Vec<(String, String)> {
        // https://kubernetes.io/docs/concepts/services-networking/service/#environment-variables
        // (`enableServiceLinks: false` turns the Service variables off; `kubernetes` stays.)
        let mut chosen: std::collections::BTreeMap<&str, &ClusterService> = std::collections::BTreeMap::new();
        for s in &self.services {
            if s.namespace() == "default" && s.name() == "kubernetes" {
                chosen.entry(s.name()).or_insert(s);
            } else if s.namespace() == pod.namespace && !pod.spec.no_service_links {
                chosen.insert(s.name(), s);
            }
        }
        let mut env = Vec::new();
        for s in chosen.values() {
            let Some(ip) = s.cluster_ip else { continue };
            let Some(first) = s.spec.ports.first() else { continue };
            let prefix = s.name().to_ascii_uppercase().replace('-', "_");
            env.push((format!("{prefix}_SERVICE_HOST"), ip.to_string()));
            env.push((format!("{prefix}_SERVICE_PORT"), first.port.to_string()));
            for p in &s.spec.ports {
                if let Some(name) = p.name.as_deref().filter(|n| !n.is_empty()) {
                    env.push((
                        format!("{prefix}_SERVICE_PORT_{}", name.to_ascii_uppercase().replace('-', "_")),
                        p.port.to_string(),
                    ));
                }
            }
            for (i, p) in s.spec.ports.iter().enumerate() {
                let proto = p.protocol.as_str();
                let lower = proto.to_ascii_lowercase();
                let url = format!("{lower}://{ip}:{}", p.port);
                if i == 0 {
                    env.push((format!("{prefix}_PORT"), url.clone()));
                }
                let pp = format!("{prefix}_PORT_{}_{proto}", p.port);
                env.push((pp.clone(), url));
                env.push((format!("{pp}_PROTO"), lower));
                env.push((format!("{pp}_PORT"), p.port.to_string()));
                env.push((format!("{pp}_ADDR"), ip.to_string()));
            }
        }
        env
    }
}

/// The names glibc asks, in order: with fewer dots than ndots the search list comes first;
/// a trailing dot makes the name absolute. https://man7.org/linux/man-pages/man5/resolv.conf.5.html
pub fn search_list(name: &str, conf: &ResolvConf) -> Vec<String> {
    if name.is_empty() || name == "." {
        return Vec::new();
    }
    if let Some(abs) = name.strip_suffix('.') {
        return vec![abs.to_string()];
    }
    let dots = name.matches('.').count();
    let searched = conf.searches.iter().map(|s| format!("{name}.{s}"));
    if dots as u32 >= conf.ndots {
        std::iter::once(name.to_string()).chain(searched).collect()
    } else {
        searched.chain(std::iter::once(name.to_string())).collect()
    }
}
