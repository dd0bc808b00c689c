//! The cluster seen through kubectl: [`Kubectl`] wraps the model's `Cluster`, and every
//! command, table, description and object reads the cluster through it. Also the lookups
//! several of them share.

use std::net::Ipv4Addr;

use netsim::build::{Cluster, ClusterService};
use netsim::scenario::{Ingress, Protocol, ServiceType};

/// The cluster seen through kubectl.
#[derive(Clone, Copy)]
pub(crate) struct Kubectl<'a>(pub(crate) &'a Cluster);

impl std::ops::Deref for Kubectl<'_> {
    type Target = Cluster;
    fn deref(&self) -> &Cluster {
        self.0
    }
}

/// What `kubectl version` would call the server, as the nodes table and YAML print it.
pub(crate) const KUBE_VERSION: &str = "v1.35.0";

impl Kubectl<'_> {
    /// The address the ingress controller writes into an Ingress it serves: its Service's
    /// LoadBalancer address. `None` when it does not serve it or the address is pending.
    pub(crate) fn ingress_address(&self, i: &Ingress) -> Option<Ipv4Addr> {
        netsim::ingress::served_by_controller(i, &self.ingress_classes)
            .ok()
            .and_then(|()| self.ingress_controller_service())
            .and_then(|s| s.load_balancer_ip)
    }
}

impl<'a> Kubectl<'a> {
    /// The Services of a namespace (of every namespace when `None`).
    pub(crate) fn services_in(self, namespace: Option<&'a str>) -> impl Iterator<Item = &'a ClusterService> {
        self.0.services.iter().filter(move |s| namespace.is_none_or(|n| s.namespace() == n))
    }

    /// The Services that have endpoints (every type but ExternalName).
    pub(crate) fn with_endpoints(
        self,
        namespace: Option<&'a str>,
    ) -> impl Iterator<Item = &'a ClusterService> {
        self.services_in(namespace).filter(|s| s.spec.service_type != ServiceType::ExternalName)
    }
}

/// The first TCP port of a Service (what `curl` can ask).
pub(crate) fn tcp_port(s: &ClusterService) -> Option<u16> {
    s.spec.ports.iter().find(|p| p.protocol == Protocol::Tcp).map(|p| p.port)
}
