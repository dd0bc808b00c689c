//! The shape of the simulated cluster that the YAML does not say: nodes, address ranges,
//! the cloud provider. `Topology::default()` is a three-node cluster like a local
//! minikube/kind cluster, plus a cloud provider that hands out LoadBalancer addresses.

use std::net::Ipv4Addr;

use crate::scenario::Cidr;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeSlot {
    pub name: String,
    pub ip: Ipv4Addr,
    /// Its `topology.kubernetes.io/zone` label.
    pub zone: Option<String>,
}

/// kube-proxy's `--proxy-mode` on every node. Both write the same behaviour (which endpoints
/// a node may use, the random choice, masquerading); they differ in the rules that say it.
/// https://kubernetes.io/docs/reference/networking/virtual-ips/#proxy-modes
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProxyMode {
    /// The default in Kubernetes 1.35: chains of iptables rules (`iptables-save`).
    #[default]
    Iptables,
    /// GA since 1.33: the `ip kube-proxy` table of nftables, with sets and verdict maps
    /// (`nft list table ip kube-proxy`).
    Nftables,
}

impl ProxyMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ProxyMode::Iptables => "iptables",
            ProxyMode::Nftables => "nftables",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Topology {
    /// Used when the scenario declares no Node objects.
    pub nodes: Vec<NodeSlot>,
    /// The cluster pod CIDR; each node gets the next /24 (`10.244.<i>.0/24`).
    pub pod_cidr: Cidr,
    /// `--service-cluster-ip-range`. The first address is the `kubernetes` Service.
    pub service_cidr: Cidr,
    /// `--service-node-port-range`, inclusive.
    pub node_port_range: (u16, u16),
    pub cluster_domain: String,
    /// The cloud provider's pool of LoadBalancer addresses; `None` means no cloud
    /// provider (LoadBalancer Services stay `<pending>`).
    pub load_balancer_pool: Option<Cidr>,
    /// Whether the ingress-nginx controller is installed (its namespace, pods and Service).
    pub ingress_controller: bool,
    /// Whether the network plugin enforces NetworkPolicy (Calico, Cilium) or ignores it
    /// (flannel, kindnet before 0.24): "Network policies are implemented by the network
    /// plugin ... creating a NetworkPolicy resource without a controller that implements it
    /// will have no effect."
    pub enforces_network_policy: bool,
    /// Whether the network outside the cluster routes the pod CIDR to the nodes, so that a
    /// client outside reaches a pod IP (VPC-native network plugins: GKE, EKS's VPC CNI, Azure
    /// CNI, Calico peering with BGP). `false`, the default, is a laptop cluster (kind,
    /// minikube), where only nodes and load balancers are reachable from outside.
    pub pod_network_routed: bool,
    /// kube-proxy's mode on every node.
    pub kube_proxy_mode: ProxyMode,
}

impl Topology {
    /// The `kubernetes` Service in `default`: the first address of the service CIDR.
    pub fn kubernetes_service_ip(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.service_cidr.network()).wrapping_add(1))
    }

    /// `kube-dns` in `kube-system`: the tenth address, as kubeadm and minikube configure it.
    pub fn dns_service_ip(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.service_cidr.network()).wrapping_add(10))
    }
}

impl Default for Topology {
    fn default() -> Topology {
        Topology {
            // Three nodes in two zones: node-1 and node-2 in zone-a, node-3 in zone-b.
            nodes: (1..=3)
                .map(|i| NodeSlot {
                    name: format!("node-{i}"),
                    ip: Ipv4Addr::new(192, 168, 49, 1 + i),
                    zone: Some(if i < 3 { "zone-a" } else { "zone-b" }.to_string()),
                })
                .collect(),
            pod_cidr: Cidr::new(Ipv4Addr::new(10, 244, 0, 0), 16),
            service_cidr: Cidr::new(Ipv4Addr::new(10, 96, 0, 0), 12),
            node_port_range: (30000, 32767),
            cluster_domain: "cluster.local".to_string(),
            load_balancer_pool: Some(Cidr::new(Ipv4Addr::new(203, 0, 113, 0), 24)),
            ingress_controller: true,
            enforces_network_policy: true,
            pod_network_routed: false,
            kube_proxy_mode: ProxyMode::Iptables,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_topology_addresses() {
        let t = Topology::default();
        assert_eq!(t.kubernetes_service_ip(), Ipv4Addr::new(10, 96, 0, 1));
        assert_eq!(t.dns_service_ip(), Ipv4Addr::new(10, 96, 0, 10));
        assert_eq!(t.nodes[2].ip, Ipv4Addr::new(192, 168, 49, 4));
    }
}
