//! kube-proxy's rules in nftables mode for one node, as `nft list table ip kube-proxy`
//! prints them. Written from the same [`PortPlan`]s as the iptables rules, so both modes say
//! the same thing: which endpoints a node may use, the random choice, masquerading.
//!
//! The layout is kube-proxy's of Kubernetes 1.35 (`setupNFTables` and `syncProxyRules` in
//! pkg/proxy/nftables/proxier.go, and `TestOverallNFTablesRules` in its proxier_test.go):
//! - one table, `ip kube-proxy`, with eight base chains: `filter-prerouting-pre-dnat` and
//!   `filter-output-pre-dnat` (priority dstnat - 10) jump to `firewall-check`;
//!   `filter-input`, `filter-forward`, `filter-output` (priority filter) to the
//!   endpoints checks and `cluster-ips-check`; `nat-prerouting`, `nat-output` (dstnat) to
//!   `services`; `nat-postrouting` (srcnat) to `masquerading`;
//! - sets and verdict maps instead of one rule per Service: `cluster-ips`, `nodeport-ips`
//!   (the node's primary IP: nftables mode's default `--nodeport-addresses primary`),
//!   `service-ips` and `service-nodeports` (where `services` dispatches),
//!   `no-endpoint-services` and `no-endpoint-nodeports` (reject, or drop under a Local
//!   policy with no endpoint here), `firewall-ips` (loadBalancerSourceRanges);
//! - per Service port, chains named `<prefix>-<HASH>-<ns>/<name>/<proto>/<port name>`, HASH
//!   the first 8 base32 characters of SHA-256 over what follows it: `service-` (the Cluster
//!   policy's endpoints), `local-` (the node's own), `external-` (nodePorts and load balancer
//!   IPs), `firewall-`, and per endpoint `endpoint-...__<ip>/<port>` (its DNAT), with an
//!   `affinity-` set per endpoint under `sessionAffinity: ClientIP`;
//! - a Service chain spreads new connections with `numgen random mod N vmap { 0 : goto
//!   endpoint-..., ... }`.
//!
//! kube-proxy adds its per-Service chains in no fixed order (a Go map's); they are listed
//! here in name order, and set elements in the order of their keys.

use std::fmt::Write as _;
use std::net::Ipv4Addr;

use crate::build::{Cluster, ClusterService, ServiceEndpoint};
use crate::hash::{base32, sha256};
use crate::kube_proxy::PortPlan;

/// `<HASH>-<base>`: kube-proxy's `hashAndTruncate` (base cut to 237 characters and `...`
/// past 240, which the model's names never reach).
fn hashed(base: &str) -> String {
    let hash: String = base32(&sha256(base.as_bytes())).chars().take(8).collect();
    format!("{hash}-{base}")
}

/// `ns/name/proto/port-name` of port `index` of `s` (`servicePortChainNameBase`).
fn port_base(s: &ClusterService, index: usize) -> String {
    let sp = s.spec.ports.get(index);
    let name = sp.and_then(|sp| sp.name.as_deref()).unwrap_or("");
    let proto = sp.map_or("tcp".to_string(), |sp| sp.protocol.as_str().to_ascii_lowercase());
    format!("{}/{}/{proto}/{name}", s.namespace(), s.name())
}

/// The chain of kind `prefix` (`service`, `local`, `external`, `firewall`) of a Service port.
pub fn chain(prefix: &str, p: &PortPlan) -> String {
    port_chain(prefix, p.service, p.index)
}

/// The chain of kind `prefix` of port `index` of `s`.
pub fn port_chain(prefix: &str, s: &ClusterService, index: usize) -> String {
    format!("{prefix}-{}", hashed(&port_base(s, index)))
}

/// The `endpoint-` chain (or with `affinity`, the `affinity-` set) of endpoint `e`.
pub fn endpoint_chain(prefix: &str, p: &PortPlan, e: &ServiceEndpoint) -> String {
    endpoint_chain_of(prefix, p.service, p.index, e)
}

/// The `endpoint-` chain (`affinity-` set) of endpoint `e` of port `index` of `s`.
pub fn endpoint_chain_of(prefix: &str, s: &ClusterService, index: usize, e: &ServiceEndpoint) -> String {
    format!("{prefix}-{}", hashed(&format!("{}__{}/{}", port_base(s, index), e.ip, e.port)))
}

/// `numgen random mod N vmap { 0 : goto endpoint-..., ... }` over `endpoints`.
pub fn spread(p: &PortPlan, endpoints: &[&ServiceEndpoint]) -> String {
    let arms: Vec<String> = endpoints
        .iter()
        .enumerate()
        .map(|(i, e)| format!("{i} : goto {}", endpoint_chain("endpoint", p, e)))
        .collect();
    format!("numgen random mod {} vmap {{ {} }}", endpoints.len(), arms.join(", "))
}

/// A named set or map of the table.
struct Set {
    name: String,
    kind: &'static str,
    type_line: &'static str,
    flags: Option<String>,
    comment: Option<&'static str>,
    elements: Vec<String>,
}

/// A chain: its header (`type ... hook ... priority ...; policy accept;` for a base chain, or
/// a comment) and its rules.
struct Chain {
    name: String,
    header: Option<String>,
    rules: Vec<String>,
}

fn chain_of(name: impl Into<String>, rules: Vec<String>) -> Chain {
    Chain { name: name.into(), header: None, rules }
}

/// What is gathered for the table, per Service port.
#[derive(Default)]
struct Gathered {
    cluster_ips: Vec<Ipv4Addr>,
    service_ips: Vec<String>,
    service_nodeports: Vec<String>,
    no_endpoint_services: Vec<String>,
    no_endpoint_nodeports: Vec<String>,
    firewall_ips: Vec<String>,
    affinity: Vec<Set>,
    chains: Vec<Chain>,
}

impl Cluster {
    /// `nft list table ip kube-proxy` on `node` (`None`: no such node).
    pub fn nft_list(&self, node: &str) -> Option<String> {
        let n = self.node(node)?;
        let mut g = Gathered::default();
        for p in self.port_plans(node) {
            self.nft_port(&p, n.ip, &mut g);
        }
        Some(render(self, n.ip, g))
    }

    fn nft_port(&self, p: &PortPlan, node_ip: Ipv4Addr, g: &mut Gathered) {
        let key = |ip: Ipv4Addr| format!("{ip} . {} . {}", p.proto, p.port);
        let np_key = |np: u16| format!("{} . {np}", p.proto);
        let commented = |k: String, verdict: &str| format!("{k} comment \"{}\" : {verdict}", p.port_name);
        g.cluster_ips.push(p.cluster_ip);
        let external = p.service.has_node_ports();
        if let (Some(lb), false) = (p.load_balancer, p.service.spec.load_balancer_source_ranges.is_empty()) {
            let fw = chain("firewall", p);
            g.firewall_ips.push(format!("{} : goto {fw}", key(lb)));
            let mut ranges: Vec<String> =
                p.service.spec.load_balancer_source_ranges.iter().map(|r| r.to_string()).collect();
            // A range holding the node lets the node's own requests to the address through.
            if p.service.spec.load_balancer_source_ranges.iter().any(|r| r.contains(node_ip)) {
                ranges.push(lb.to_string());
            }
            g.chains.push(chain_of(fw, vec![format!("ip saddr != {{ {} }} drop", ranges.join(", "))]));
        }
        if !p.any {
            // No endpoint anywhere: every address of the port is rejected.
            g.no_endpoint_services.push(commented(key(p.cluster_ip), "goto reject-chain"));
            g.no_endpoint_services.extend(p.load_balancer.map(|lb| commented(key(lb), "goto reject-chain")));
            g.no_endpoint_nodeports.extend(p.node_port.map(|np| commented(np_key(np), "goto reject-chain")));
            return;
        }
        let service = chain("service", p);
        let local = chain("local", p);
        let masquerade = format!(
            "ip daddr {} ip saddr != {} jump mark-for-masquerade",
            p.cluster_ip, self.topology.pod_cidr
        );
        let spread_rules = |endpoints: &[&ServiceEndpoint]| {
            let mut rules = Vec::new();
            if p.affinity.is_some() {
                for e in endpoints {
                    let (set, to) = (endpoint_chain("affinity", p, e), endpoint_chain("endpoint", p, e));
                    rules.push(format!("ip saddr @{set} goto {to}"));
                }
            }
            rules.push(spread(p, endpoints));
            rules
        };
        if p.internal_local && p.local.is_empty() {
            g.no_endpoint_services.push(commented(key(p.cluster_ip), "drop"));
        } else {
            let to = if p.internal_local { &local } else { &service };
            g.service_ips.push(format!("{} : goto {to}", key(p.cluster_ip)));
        }
        if p.uses_cluster() && !p.cluster.is_empty() {
            let mut rules = if p.internal_local { Vec::new() } else { vec![masquerade.clone()] };
            rules.extend(spread_rules(&p.cluster));
            g.chains.push(chain_of(&service, rules));
        }
        if p.uses_local() && !p.local.is_empty() {
            let mut rules = if p.internal_local { vec![masquerade] } else { Vec::new() };
            rules.extend(spread_rules(&p.local));
            g.chains.push(chain_of(&local, rules));
        }
        if external {
            let ext = chain("external", p);
            g.service_ips.extend(p.load_balancer.map(|lb| format!("{} : goto {ext}", key(lb))));
            g.service_nodeports.extend(p.node_port.map(|np| format!("{} : goto {ext}", np_key(np))));
            let rules = if p.external_local {
                let mut rules = vec![
                    format!(
                        "ip saddr {} goto {service} comment \"short-circuit pod traffic\"",
                        self.topology.pod_cidr
                    ),
                    "fib saddr type local jump mark-for-masquerade comment \"masquerade local traffic\""
                        .to_string(),
                    format!("fib saddr type local goto {service} comment \"short-circuit local traffic\""),
                ];
                if p.local.is_empty() {
                    g.no_endpoint_services.extend(p.load_balancer.map(|lb| commented(key(lb), "drop")));
                    g.no_endpoint_nodeports.extend(p.node_port.map(|np| commented(np_key(np), "drop")));
                } else {
                    rules.push(format!("goto {local}"));
                }
                rules
            } else {
                vec!["jump mark-for-masquerade".to_string(), format!("goto {service}")]
            };
            g.chains.push(chain_of(ext, rules));
        }
        for e in p.reachable() {
            let mut rules = vec![format!("ip saddr {} jump mark-for-masquerade", e.ip)];
            if let Some(seconds) = p.affinity {
                let set = endpoint_chain("affinity", p, e);
                rules.push(format!("update @{set} {{ ip saddr }}"));
                g.affinity.push(Set {
                    name: set,
                    kind: "set",
                    type_line: "ipv4_addr",
                    flags: Some(format!("dynamic,timeout\n\t\ttimeout {}", duration(seconds))),
                    comment: None,
                    elements: Vec::new(),
                });
            }
            rules.push(format!("meta l4proto {} dnat to {}:{}", p.proto, e.ip, e.port));
            g.chains.push(chain_of(endpoint_chain("endpoint", p, e), rules));
        }
    }
}

/// A timeout as nft prints it: `3h`, `1h30m`, `10s`.
fn duration(seconds: u32) -> String {
    let (d, h, m, s) = (seconds / 86400, seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
    let mut out = String::new();
    for (n, unit) in [(d, "d"), (h, "h"), (m, "m"), (s, "s")] {
        if n > 0 {
            let _ = write!(out, "{n}{unit}");
        }
    }
    if out.is_empty() {
        out.push_str("0s");
    }
    out
}

/// The base chains (`nftablesBaseChains`), each with its jumps (`nftablesJumpChains`).
const BASE_CHAINS: [(&str, &str, &str, &str, &[&str]); 8] = [
    (
        "filter-prerouting-pre-dnat",
        "filter",
        "prerouting",
        "dstnat - 10",
        &["ct state new jump firewall-check"],
    ),
    ("filter-output-pre-dnat", "filter", "output", "dstnat - 10", &["ct state new jump firewall-check"]),
    (
        "filter-input",
        "filter",
        "input",
        "filter",
        &["ct state new jump nodeport-endpoints-check", "ct state new jump service-endpoints-check"],
    ),
    (
        "filter-forward",
        "filter",
        "forward",
        "filter",
        &["ct state new jump service-endpoints-check", "ct state new jump cluster-ips-check"],
    ),
    (
        "filter-output",
        "filter",
        "output",
        "filter",
        &["ct state new jump service-endpoints-check", "ct state new jump cluster-ips-check"],
    ),
    ("nat-prerouting", "nat", "prerouting", "dstnat", &["jump services"]),
    ("nat-output", "nat", "output", "dstnat", &["jump services"]),
    ("nat-postrouting", "nat", "postrouting", "srcnat", &["jump masquerading"]),
];

fn render(c: &Cluster, node_ip: Ipv4Addr, mut g: Gathered) -> String {
    let mut cluster_ips = g.cluster_ips.clone();
    sorted::sort(&mut cluster_ips);
    cluster_ips.dedup();
    let map = |name: &str, type_line: &'static str, comment: &'static str, mut elements: Vec<String>| {
        sorted::sort(&mut elements);
        Set { name: name.into(), kind: "map", type_line, flags: None, comment: Some(comment), elements }
    };
    const ADDRESS_KEY: &str = "ipv4_addr . inet_proto . inet_service : verdict";
    const PORT_KEY: &str = "inet_proto . inet_service : verdict";
    let mut sets = vec![
        Set {
            name: "cluster-ips".into(),
            kind: "set",
            type_line: "ipv4_addr",
            flags: None,
            comment: Some("Active ClusterIPs"),
            elements: cluster_ips.iter().map(|ip| ip.to_string()).collect(),
        },
        Set {
            name: "nodeport-ips".into(),
            kind: "set",
            type_line: "ipv4_addr",
            flags: None,
            comment: Some("IPs that accept NodePort traffic"),
            elements: vec![node_ip.to_string()],
        },
        map(
            "no-endpoint-services",
            ADDRESS_KEY,
            "vmap to drop or reject packets to services with no endpoints",
            g.no_endpoint_services,
        ),
        map(
            "no-endpoint-nodeports",
            PORT_KEY,
            "vmap to drop or reject packets to service nodeports with no endpoints",
            g.no_endpoint_nodeports,
        ),
        map(
            "firewall-ips",
            ADDRESS_KEY,
            "destinations that are subject to LoadBalancerSourceRanges",
            g.firewall_ips,
        ),
        map("service-ips", ADDRESS_KEY, "ClusterIP, ExternalIP and LoadBalancer IP traffic", g.service_ips),
        map("service-nodeports", PORT_KEY, "NodePort traffic", g.service_nodeports),
    ];
    sorted::sort_by_key(&mut g.affinity, |s| s.name.clone());
    sets.extend(g.affinity);

    let mut chains: Vec<Chain> = BASE_CHAINS
        .iter()
        .map(|(name, kind, hook, priority, rules)| Chain {
            name: name.to_string(),
            header: Some(format!("type {kind} hook {hook} priority {priority}; policy accept;")),
            rules: rules.iter().map(|r| r.to_string()).collect(),
        })
        .collect();
    let fixed: [(&str, &[&str]); 7] = [
        (
            "nodeport-endpoints-check",
            &["ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports"],
        ),
        ("service-endpoints-check", &["ip daddr . meta l4proto . th dport vmap @no-endpoint-services"]),
        ("firewall-check", &["ip daddr . meta l4proto . th dport vmap @firewall-ips"]),
        (
            "services",
            &[
                "ip daddr . meta l4proto . th dport vmap @service-ips",
                "ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports",
            ],
        ),
        (
            "masquerading",
            &[
                "meta mark & 0x00004000 == 0x00000000 return",
                "meta mark set meta mark ^ 0x00004000",
                "masquerade fully-random",
            ],
        ),
        ("mark-for-masquerade", &["meta mark set meta mark | 0x00004000"]),
        ("reject-chain", &["reject"]),
    ];
    for (name, rules) in fixed {
        let mut chain = chain_of(name, rules.iter().map(|r| r.to_string()).collect());
        if name == "reject-chain" {
            chain.header =
                Some("comment \"helper for @no-endpoint-services / @no-endpoint-nodeports\"".into());
        }
        chains.push(chain);
    }
    chains.insert(
        chains.len() - 2,
        chain_of(
            "cluster-ips-check",
            vec![
                "ip daddr @cluster-ips reject comment \"Reject traffic to invalid ports of ClusterIPs\""
                    .into(),
                format!(
                    "ip daddr {{ {} }} drop comment \"Drop traffic to unallocated ClusterIPs\"",
                    c.topology.service_cidr
                ),
            ],
        ),
    );
    sorted::sort_by_key(&mut g.chains, |ch| ch.name.clone());
    g.chains.dedup_by(|a, b| a.name == b.name);
    chains.extend(g.chains);

    let mut out = String::from("table ip kube-proxy {\n\tcomment \"rules for kube-proxy\"\n");
    for s in &sets {
        let _ = writeln!(out, "\t{} {} {{", s.kind, s.name);
        let _ = writeln!(out, "\t\ttype {}", s.type_line);
        if let Some(f) = &s.flags {
            let _ = writeln!(out, "\t\tflags {f}");
        }
        if let Some(comment) = s.comment {
            let _ = writeln!(out, "\t\tcomment \"{comment}\"");
        }
        if !s.elements.is_empty() {
            let _ = writeln!(out, "\t\telements = {{ {} }}", s.elements.join(",\n\t\t\t     "));
        }
        out.push_str("\t}\n\n");
    }
    for (i, ch) in chains.iter().enumerate() {
        let _ = writeln!(out, "\tchain {} {{", ch.name);
        if let Some(h) = &ch.header {
            let _ = writeln!(out, "\t\t{h}");
        }
        for r in &ch.rules {
            let _ = writeln!(out, "\t\t{r}");
        }
        out.push_str("\t}\n");
        if i + 1 < chains.len() {
            out.push('\n');
        }
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    /// The names of pkg/proxy/nftables/proxier_test.go's `TestOverallNFTablesRules`.
    #[test]
    fn names_hash_as_kube_proxy_names_them() {
        assert_eq!(super::hashed("ns1/svc1/tcp/p80"), "ULMVA6XW-ns1/svc1/tcp/p80");
        assert_eq!(
            super::hashed("ns1/svc1/tcp/p80__10.180.0.1/80"),
            "5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80"
        );
        assert_eq!(super::hashed("ns5/svc5/tcp/p80"), "HVFWP5L3-ns5/svc5/tcp/p80");
    }

    #[test]
    fn timeouts_print_as_nft_prints_them() {
        assert_eq!(super::duration(10800), "3h");
        assert_eq!(super::duration(5400), "1h30m");
        assert_eq!(super::duration(10), "10s");
    }
}
