//! kube-proxy's chains on a node, for a `kube_proxy` check: the traffic it names followed
//! through the nat table ([`netsim::iptables::Ruleset::path`]) to the chain of endpoints it
//! ends in, and how many KUBE-SEP chains that one jumps to. The rules are `syncProxyRules`'
//! in kubernetes/kubernetes pkg/proxy/iptables/proxier.go. In nftables mode the same traffic
//! is followed through the verdict maps of pkg/proxy/nftables/proxier.go ([`nft`]): the
//! element it matches, the chain that element goes to and its `numgen` spread.

use netsim::iptables::{chain_name, Entry};
use netsim::{counted, ServiceType, TrafficPolicy};

use crate::check::{KubeProxy, KubeProxyChain};
use crate::world::World;

impl World<'_> {
    /// What the rules on `k.node` say of the traffic `k` follows, in the node's mode: the
    /// words, the number of endpoint chains it reaches and the rules on its way; `Err` when
    /// there is nothing to follow (no such node, Service, port, nodePort, ...).
    pub(crate) fn chain_endpoints(&self, k: &KubeProxy) -> Result<(String, usize, String), String> {
        let found = self.iptables_endpoints(k)?;
        if self.cluster.topology.kube_proxy_mode == netsim::ProxyMode::Iptables {
            return Ok(found);
        }
        Ok(self.nft(k).unwrap_or(found))
    }

    /// [`World::chain_endpoints`] in nftables mode; `None` where the port has no rules at all
    /// (ExternalName, headless), said alike in both modes.
    fn nft(&self, k: &KubeProxy) -> Option<(String, usize, String)> {
        use netsim::nftables::chain;
        let node = &k.node.value;
        let (ns, name, port) = (&k.service.namespace, &k.service.name, k.port);
        let plans = self.cluster.port_plans(node);
        let p = plans.iter().find(|p| {
            p.service.namespace() == ns.as_str() && p.service.name() == name.as_str() && p.port == port
        })?;
        let what = format!("{ns}/{name}:{port}");
        let (service, local) = (chain("service", p), chain("local", p));
        // The element the traffic matches, in words, and the chain of endpoints it goes to.
        let external = chain("external", p);
        let outside = if p.external_local { (&local, &p.local) } else { (&service, &p.cluster) };
        let (entry, (chain, endpoints)) = match k.chain {
            KubeProxyChain::Cluster => (
                format!("the cluster IP's element `{} . {} . {port}` in service-ips", p.cluster_ip, p.proto),
                if p.internal_local { (&local, &p.local) } else { (&service, &p.cluster) },
            ),
            KubeProxyChain::Nodeport => {
                let np = p.node_port?;
                (format!("`{} . {np}` in service-nodeports, then {external},", p.proto), outside)
            }
            KubeProxyChain::LoadBalancer => {
                let lb = p.load_balancer?;
                (format!("the load balancer IP's element `{lb} . {} . {port}` in service-ips, then {external},", p.proto), outside)
            }
            KubeProxyChain::Local => (format!("the endpoints of {what} on {node}"), (&local, &p.local)),
        };
        let count = if p.any { endpoints.len() } else { 0 };
        // The rule that spreads, as `nft list` shows it in the chain (the whole listing is
        // the terminal's: kubectl node-shell NODE -- nft list table ip kube-proxy).
        let trace = match count {
            0 => Vec::new(),
            _ => vec![
                format!("chain {chain} {{"),
                format!("\t{}", netsim::nftables::spread(p, endpoints)),
                "}".into(),
            ],
        };
        let seen = if count > 0 {
            format!(
                "on {node} (nftables), {entry} goes to {chain}, whose `numgen random mod {count}` spreads over {}",
                counted(count, "endpoint chain")
            )
        } else if !p.any {
            format!("on {node} (nftables), {what} has no endpoints: no-endpoint-services sends its cluster IP to reject-chain")
        } else {
            format!("on {node} (nftables), {entry} reaches no endpoint: {what} has none on {node}, so no-endpoint-services (or no-endpoint-nodeports) drops it (a Local traffic policy)")
        };
        Some((seen, count, trace.join("\n")))
    }

    /// [`World::chain_endpoints`] in iptables mode: the `iptables-save` lines of the chains on
    /// the traffic's way.
    fn iptables_endpoints(&self, k: &KubeProxy) -> Result<(String, usize, String), String> {
        let node = &k.node.value;
        if !netsim::iptables::rules_installed() {
            return Err("kube-proxy's rules are still loading".into());
        }
        let rules = self.cluster.kube_proxy_rules(node).ok_or_else(|| format!("there is no node {node}"))?;
        let (ns, name, port) = (&k.service.namespace, &k.service.name, k.port);
        let svc = self.cluster.service(ns, name).ok_or_else(|| format!("there is no Service {ns}/{name}"))?;
        let index = svc.spec.ports.iter().position(|p| p.port == port);
        let (Some(index), Some(sp)) = (index, index.and_then(|i| svc.spec.ports.get(i))) else {
            return Err(format!("Service {ns}/{name} has no port {port}"));
        };
        let kind = svc.spec.service_type;
        // No rules at all: no chain reaches an endpoint.
        if kind == ServiceType::ExternalName {
            let seen = format!(
                "kube-proxy writes no rules for {ns}/{name}: an ExternalName Service is only a DNS CNAME"
            );
            return Ok((seen, 0, String::new()));
        }
        if svc.is_headless() {
            let seen = format!("kube-proxy writes no rules for {ns}/{name}: a headless Service has no ClusterIP, DNS returns the pods");
            return Ok((seen, 0, String::new()));
        }
        let (pn, what) = (svc.port_name(index), format!("{ns}/{name}:{port}"));
        let lines = |chains: &[&str]| {
            let mut out: Vec<String> = chains.iter().flat_map(|c| rules.lines_naming(c)).collect();
            out.dedup();
            out.join("\n")
        };
        let (entry, words) = match k.chain {
            KubeProxyChain::Cluster => {
                (Entry::ClusterIp(port), format!("the cluster IP of {what} (KUBE-SERVICES)"))
            }
            KubeProxyChain::Nodeport => match sp.node_port {
                Some(np) => (Entry::NodePort(np), format!("nodePort {np} of {what} (KUBE-NODEPORTS)")),
                None => {
                    return Err(format!(
                        "Service {ns}/{name} is of type {}: port {port} has no nodePort",
                        kind.as_str()
                    ))
                }
            },
            KubeProxyChain::LoadBalancer => match svc.load_balancer_ip {
                Some(ip) => (
                    Entry::LoadBalancer(port),
                    format!("the load balancer IP {ip} of {what} (KUBE-SERVICES)"),
                ),
                None if kind == ServiceType::LoadBalancer => {
                    return Err(format!("Service {ns}/{name} has no load balancer IP yet: <pending>"))
                }
                None => {
                    return Err(format!(
                        "Service {ns}/{name} has no load balancer IP: it is of type {}",
                        kind.as_str()
                    ))
                }
            },
            KubeProxyChain::Local => {
                let local = svc.spec.internal_traffic_policy == TrafficPolicy::Local
                    || (svc.spec.external_traffic_policy == TrafficPolicy::Local && svc.has_node_ports());
                if !local {
                    return Err(format!(
                        "both traffic policies are Cluster: kube-proxy writes no KUBE-SVL chain for {what}"
                    ));
                }
                let svl = chain_name("KUBE-SVL", &pn, sp.protocol);
                let exists = rules.table("nat").is_some_and(|t| t.chains.iter().any(|c| c.name == svl));
                if !exists {
                    let seen =
                        format!("{node} has no KUBE-SVL chain for {what}: no endpoint of it runs there");
                    return Ok((seen, 0, String::new()));
                }
                let count = rules.endpoint_chains(&svl).len();
                let seen = format!(
                    "on {node}, {svl} (the endpoints of {what} on {node}) jumps to {}",
                    counted(count, "KUBE-SEP endpoint chain")
                );
                return Ok((seen, count, lines(&[&svl])));
            }
        };
        let path = rules.path(&pn, entry);
        let end = path.last().filter(|c| c.starts_with("KUBE-SVC-") || c.starts_with("KUBE-SVL-"));
        let count = end.map_or(0, |c| rules.endpoint_chains(c).len());
        let seen = match (path.split_last(), end) {
            (Some((last, before)), Some(_)) => {
                let way: Vec<&str> = before.iter().copied().chain([*last]).collect();
                format!(
                    "on {node}, {words} goes to {}, which jumps to {}",
                    way.join(", then "),
                    counted(count, "KUBE-SEP endpoint chain")
                )
            }
            (Some((last, before)), None) => format!(
                "on {node}, {words} {}stops in {last}: no rule there takes traffic from outside (externalTrafficPolicy Local, and no endpoint on {node}), so the filter table DROPs it",
                before.iter().map(|c| format!("goes to {c}, then ")).collect::<String>()
            ),
            (None, _) if svc.ports.get(index).is_some_and(|pe| !pe.routable().is_empty()) => format!(
                "on {node}, kube-proxy writes no nat rule for {words}; {what} has no local endpoints: the filter table DROPs it (internalTrafficPolicy Local)"
            ),
            (None, _) => format!(
                "on {node}, kube-proxy writes no nat rule for {words}; {what} has no endpoints: the filter table REJECTs it"
            ),
        };
        Ok((seen, count, lines(&path)))
    }
}
