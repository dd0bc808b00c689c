//! kube-proxy's chains on a node, for a `kube_proxy` check: the traffic it names followed
//! through the nat table ([`netsim::iptables::Ruleset::path`]) to the chain of endpoints it
//! ends in, and how many KUBE-SEP chains that one jumps to. The rules are `syncProxyRules`'
//! in kubernetes/kubernetes pkg/proxy/iptables/proxier.go.

use netsim::iptables::{chain_name, Entry};
use netsim::{counted, ServiceType, TrafficPolicy};

use crate::check::{KubeProxy, KubeProxyChain};
use crate::world::World;

impl World<'_> {
    /// What the rules on `k.node` say of the traffic `k` follows: the words, the number of
    /// endpoint chains it reaches and the `iptables-save` lines of the chains on its way; `Err`
    /// when there is nothing to follow (no such node, Service, port, nodePort, ...).
    pub(crate) fn chain_endpoints(&self, k: &KubeProxy) -> Result<(String, usize, String), String> {
        let node = &k.node.value;
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
