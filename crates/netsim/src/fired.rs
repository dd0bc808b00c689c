//! `fired`: the rule of kube-proxy that sent a new connection to its endpoint, in the words
//! of the node's mode, for the kube-proxy hop of a trace.

use crate::build::{ClusterService, ServiceEndpoint};

/// Where a connection entered kube-proxy's rules on a node, for [`fired`].
#[derive(Clone, Copy)]
pub(crate) struct Entered {
    /// The Service port.
    pub index: usize,
    /// At a nodePort (`Some(port)`), at the load balancer IP, or at the cluster IP.
    pub node_port: Option<u16>,
    pub load_balancer: bool,
    /// It went on to the node's own endpoints (a Local traffic policy).
    pub local: bool,
}

/// The rule that sent a new connection to `chosen` of `endpoints`, in the node's mode: in
/// iptables, the chains it went through and the rule of the Service chain that jumped to the
/// endpoint's KUBE-SEP chain; in nftables, the verdict-map element it matched and the
/// `numgen` element that sent it to the endpoint's chain.
pub(crate) fn fired(
    mode: crate::ProxyMode,
    svc: &ClusterService,
    at: Entered,
    endpoints: &[&ServiceEndpoint],
    chosen: usize,
    dst: std::net::SocketAddrV4,
) -> Option<String> {
    let e = endpoints.get(chosen)?;
    let sp = svc.spec.ports.get(at.index)?;
    let proto = sp.protocol.as_str().to_ascii_lowercase();
    let n = endpoints.len();
    Some(match mode {
        crate::ProxyMode::Iptables => {
            let name = svc.port_name(at.index);
            let chain = |prefix: &str| crate::iptables::chain_name(prefix, &name, sp.protocol);
            let to = chain(if at.local { "KUBE-SVL" } else { "KUBE-SVC" });
            let way = match (at.node_port, at.load_balancer) {
                (Some(_), _) => format!("KUBE-NODEPORTS -> {} -> {to}", chain("KUBE-EXT")),
                (None, true) => format!("KUBE-SERVICES -> {} -> {to}", chain("KUBE-EXT")),
                (None, false) => format!("KUBE-SERVICES -> {to}"),
            };
            format!(
                "the rule: {way}, its rule {} of {n} -> {} (DNAT to {}:{})",
                chosen + 1,
                crate::iptables::sep_chain(&name, &proto, e),
                e.ip,
                e.port
            )
        }
        crate::ProxyMode::Nftables => {
            use crate::nftables::{endpoint_chain_of, port_chain};
            let to = port_chain(if at.local { "local" } else { "service" }, svc, at.index);
            let element = match at.node_port {
                Some(np) => format!(
                    "service-nodeports element `{proto} . {np}` -> {}",
                    port_chain("external", svc, at.index)
                ),
                None if at.load_balancer => format!(
                    "service-ips element `{} . {proto} . {}` -> {}",
                    dst.ip(),
                    dst.port(),
                    port_chain("external", svc, at.index)
                ),
                None => format!("service-ips element `{} . {proto} . {}`", dst.ip(), dst.port()),
            };
            format!(
                "the rule: {element} -> {to}, whose `numgen random mod {n}` element {chosen} -> {} (dnat to {}:{})",
                endpoint_chain_of("endpoint", svc, at.index, e),
                e.ip,
                e.port
            )
        }
    })
}
