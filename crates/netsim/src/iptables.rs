//! kube-proxy's `nat` table (iptables mode) for one node, printed like `iptables-save`.
//! Chain names are kube-proxy's own: `KUBE-SVC-` + the first 16 base32 characters of
//! SHA-256 over the service port name and protocol (so kube-dns's chain is the familiar
//! `KUBE-SVC-TCOU7JCQXEZGVUNU`); `KUBE-SEP-` adds the endpoint.
//! https://kubernetes.io/docs/reference/networking/virtual-ips/#proxy-mode-iptables

use crate::build::{Cluster, ClusterService};
use crate::hash::chain_hash;
use crate::kube_proxy::iptables_probability;
use crate::scenario::{ServiceType, SessionAffinity, TrafficPolicy};

fn svc_chain(prefix: &str, port_name: &str, proto: &str) -> String {
    format!("{prefix}-{}", chain_hash(&format!("{port_name}{proto}")))
}

impl Cluster {
    /// `iptables-save -t nat` on `node`, restricted to what kube-proxy writes.
    pub fn iptables_save(&self, node: &str) -> Option<String> {
        let node = self.node(node)?;
        let cluster_cidr = self.topology.pod_cidr;
        let mut chains: Vec<String> = vec![
            "KUBE-MARK-MASQ".into(),
            "KUBE-NODEPORTS".into(),
            "KUBE-POSTROUTING".into(),
            "KUBE-SERVICES".into(),
        ];
        let mut services_rules: Vec<String> = Vec::new();
        let mut nodeport_rules: Vec<String> = Vec::new();
        let mut other_rules: Vec<String> = Vec::new();
        let mut filter_rules: Vec<String> = Vec::new();

        let proxied =
            |s: &&ClusterService| s.spec.service_type != ServiceType::ExternalName && s.cluster_ip.is_some();
        for s in self.services.iter().filter(proxied) {
            let Some(cip) = s.cluster_ip else { continue };
            for (i, (sp, pe)) in s.spec.ports.iter().zip(&s.ports).enumerate() {
                let port_name = s.port_name(i);
                let proto = sp.protocol.as_str().to_ascii_lowercase();
                let svc = svc_chain("KUBE-SVC", &port_name, &proto);
                let ext = svc_chain("KUBE-EXT", &port_name, &proto);
                let fw = svc_chain("KUBE-FW", &port_name, &proto);
                let svl = svc_chain("KUBE-SVL", &port_name, &proto);
                let mut endpoints = pe.routable();
                if s.spec.internal_traffic_policy == TrafficPolicy::Local {
                    endpoints.retain(|e| e.node.as_deref() == Some(node.name.as_str()));
                }
                let all_endpoints = pe.routable();
                let comment = format!("{port_name} cluster IP");
                if all_endpoints.is_empty() {
                    filter_rules.push(format!(
                        "-A KUBE-SERVICES -d {cip}/32 -p {proto} -m comment --comment \"{port_name} has no endpoints\" -m {proto} --dport {} -j REJECT --reject-with icmp-port-unreachable",
                        sp.port
                    ));
                    if let Some(np) = sp.node_port {
                        filter_rules.push(format!(
                            "-A KUBE-EXTERNAL-SERVICES -p {proto} -m comment --comment \"{port_name} has no endpoints\" -m addrtype --dst-type LOCAL -m {proto} --dport {np} -j REJECT --reject-with icmp-port-unreachable"
                        ));
                    }
                    continue;
                }
                chains.push(svc.clone());
                services_rules.push(format!("-A KUBE-SERVICES -d {cip}/32 -p {proto} -m comment --comment \"{comment}\" -m {proto} --dport {} -j {svc}", sp.port));
                other_rules.push(format!("-A {svc} ! -s {cluster_cidr} -d {cip}/32 -p {proto} -m comment --comment \"{comment}\" -m {proto} --dport {} -j KUBE-MARK-MASQ", sp.port));
                let sep_names: Vec<String> = endpoints
                    .iter()
                    .map(|e| svc_chain("KUBE-SEP", &port_name, &format!("{proto}{}:{}", e.ip, e.port)))
                    .collect();
                if let SessionAffinity::ClientIp { timeout_seconds } = s.spec.session_affinity {
                    for (e, sep) in endpoints.iter().zip(&sep_names) {
                        other_rules.push(format!(
                            "-A {svc} -m comment --comment \"{port_name} -> {}:{}\" -m recent --name {sep} --mask 255.255.255.255 --rsource --rcheck --seconds {timeout_seconds} --reap -j {sep}",
                            e.ip, e.port
                        ));
                    }
                }
                let n = endpoints.len();
                for (k, (e, sep)) in endpoints.iter().zip(&sep_names).enumerate() {
                    let statistic = if k + 1 < n {
                        format!(" -m statistic --mode random --probability {}", iptables_probability(n - k))
                    } else {
                        String::new()
                    };
                    other_rules.push(format!(
                        "-A {svc} -m comment --comment \"{port_name} -> {}:{}\"{statistic} -j {sep}",
                        e.ip, e.port
                    ));
                }
                for (e, sep) in endpoints.iter().zip(&sep_names) {
                    chains.push(sep.clone());
                    other_rules.push(format!(
                        "-A {sep} -s {}/32 -m comment --comment \"{port_name}\" -j KUBE-MARK-MASQ",
                        e.ip
                    ));
                    let recent = match s.spec.session_affinity {
                        SessionAffinity::ClientIp { .. } => {
                            format!(" -m recent --set --name {sep} --mask 255.255.255.255 --rsource")
                        }
                        SessionAffinity::None => String::new(),
                    };
                    other_rules.push(format!("-A {sep} -p {proto} -m comment --comment \"{port_name}\"{recent} -m {proto} -j DNAT --to-destination {}:{}", e.ip, e.port));
                }
                if !s.has_node_ports() {
                    continue;
                }
                // External destinations: NodePorts and the load balancer address.
                chains.push(ext.clone());
                let local = s.spec.external_traffic_policy == TrafficPolicy::Local;
                if let Some(lb) = s.load_balancer_ip {
                    let target =
                        if s.spec.load_balancer_source_ranges.is_empty() { ext.clone() } else { fw.clone() };
                    services_rules.push(format!("-A KUBE-SERVICES -d {lb}/32 -p {proto} -m comment --comment \"{port_name} loadbalancer IP\" -m {proto} --dport {} -j {target}", sp.port));
                    if !s.spec.load_balancer_source_ranges.is_empty() {
                        chains.push(fw.clone());
                        for r in &s.spec.load_balancer_source_ranges {
                            other_rules.push(format!("-A {fw} -s {r} -m comment --comment \"{port_name} loadbalancer IP\" -j {ext}"));
                        }
                        other_rules.push(format!(
                            "-A {fw} -m comment --comment \"{port_name} loadbalancer IP\" -j KUBE-MARK-DROP"
                        ));
                    }
                }
                if let Some(np) = sp.node_port {
                    nodeport_rules.push(format!("-A KUBE-NODEPORTS -p {proto} -m comment --comment \"{port_name}\" -m {proto} --dport {np} -j {ext}"));
                }
                if local {
                    other_rules.push(format!("-A {ext} -s {cluster_cidr} -m comment --comment \"pod traffic for {port_name} external destinations\" -j {svc}"));
                    other_rules.push(format!("-A {ext} -m comment --comment \"masquerade LOCAL traffic for {port_name} external destinations\" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ"));
                    other_rules.push(format!("-A {ext} -m comment --comment \"route LOCAL traffic for {port_name} external destinations\" -m addrtype --src-type LOCAL -j {svc}"));
                    let local_eps: Vec<_> = all_endpoints
                        .iter()
                        .filter(|e| e.node.as_deref() == Some(node.name.as_str()))
                        .collect();
                    if local_eps.is_empty() {
                        filter_rules.push(format!(
                            "-A KUBE-EXTERNAL-SERVICES -p {proto} -m comment --comment \"{port_name} has no local endpoints\" -m addrtype --dst-type LOCAL -m {proto} --dport {} -j DROP",
                            sp.node_port.unwrap_or(0)
                        ));
                    } else {
                        chains.push(svl.clone());
                        other_rules.push(format!("-A {ext} -j {svl}"));
                        let m = local_eps.len();
                        for (k, e) in local_eps.iter().enumerate() {
                            let sep =
                                svc_chain("KUBE-SEP", &port_name, &format!("{proto}{}:{}", e.ip, e.port));
                            let statistic = if k + 1 < m {
                                format!(
                                    " -m statistic --mode random --probability {}",
                                    iptables_probability(m - k)
                                )
                            } else {
                                String::new()
                            };
                            other_rules.push(format!(
                                "-A {svl} -m comment --comment \"{port_name} -> {}:{}\"{statistic} -j {sep}",
                                e.ip, e.port
                            ));
                        }
                    }
                } else {
                    other_rules.push(format!("-A {ext} -m comment --comment \"masquerade traffic for {port_name} external destinations\" -j KUBE-MARK-MASQ"));
                    other_rules.push(format!("-A {ext} -j {svc}"));
                }
            }
        }
        if chains.iter().any(|c| c.starts_with("KUBE-FW-")) {
            chains.push("KUBE-MARK-DROP".into());
        }
        sorted::sort(&mut chains);
        chains.dedup();

        let mut out = String::new();
        out.push_str("# Generated by iptables-save v1.8.9\n*filter\n");
        for c in [
            ":INPUT ACCEPT [0:0]",
            ":FORWARD ACCEPT [0:0]",
            ":OUTPUT ACCEPT [0:0]",
            ":KUBE-EXTERNAL-SERVICES - [0:0]",
            ":KUBE-SERVICES - [0:0]",
        ] {
            out.push_str(c);
            out.push('\n');
        }
        out.push_str("-A INPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes externally-visible service portals\" -j KUBE-EXTERNAL-SERVICES\n");
        out.push_str("-A OUTPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n");
        for r in filter_rules {
            out.push_str(&r);
            out.push('\n');
        }
        out.push_str("COMMIT\n*nat\n");
        for c in [
            ":PREROUTING ACCEPT [0:0]",
            ":INPUT ACCEPT [0:0]",
            ":OUTPUT ACCEPT [0:0]",
            ":POSTROUTING ACCEPT [0:0]",
        ] {
            out.push_str(c);
            out.push('\n');
        }
        for c in &chains {
            out.push_str(&format!(":{c} - [0:0]\n"));
        }
        out.push_str("-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n");
        out.push_str("-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n");
        out.push_str(
            "-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING\n",
        );
        if chains.iter().any(|c| c == "KUBE-MARK-DROP") {
            out.push_str("-A KUBE-MARK-DROP -j MARK --set-xmark 0x8000/0x8000\n");
        }
        out.push_str("-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000\n");
        for r in nodeport_rules {
            out.push_str(&r);
            out.push('\n');
        }
        out.push_str("-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN\n");
        out.push_str("-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0\n");
        out.push_str("-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully\n");
        for r in services_rules {
            out.push_str(&r);
            out.push('\n');
        }
        out.push_str("-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS\n");
        for r in other_rules {
            out.push_str(&r);
            out.push('\n');
        }
        out.push_str("COMMIT\n");
        Some(out)
    }
}
