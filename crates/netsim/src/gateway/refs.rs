//! References across namespaces, and what the model asks of the rest of the cluster.
//!
//! A Route's backendRef or a Gateway's certificateRef into another namespace is allowed only
//! when a ReferenceGrant in that namespace lets objects of the referring kind and namespace
//! refer to that kind (and name, when the grant names one).
//! https://gateway-api.sigs.k8s.io/api-types/referencegrant/

use crate::build::Cluster;
use crate::gateway::types::ReferenceGrant;
use crate::meta::{Labels, ObjectRef};

/// The referring side of a reference: an object's group, kind and namespace.
#[derive(Clone, Copy, Debug)]
pub struct Referrer<'a> {
    pub group: &'a str,
    pub kind: &'a str,
    pub namespace: &'a str,
}

/// The referred side: group, kind, namespace and name.
#[derive(Clone, Copy, Debug)]
pub struct Referent<'a> {
    pub group: &'a str,
    pub kind: &'a str,
    pub namespace: &'a str,
    pub name: &'a str,
}

/// Whether `from` may refer to `to`: always within one namespace, else the first
/// ReferenceGrant in `to`'s namespace that allows it (`Ok(None)`: same namespace;
/// `Err(())`: no grant allows it).
#[allow(clippy::result_unit_err)]
pub fn permitted(grants: &[ReferenceGrant], from: Referrer, to: Referent) -> Result<Option<ObjectRef>, ()> {
    if from.namespace == to.namespace {
        return Ok(None);
    }
    grants
        .iter()
        .filter(|g| g.namespace == to.namespace)
        .find(|g| {
            g.from
                .iter()
                .any(|f| f.group == from.group && f.kind == from.kind && f.namespace == from.namespace)
                && g.to.iter().any(|t| {
                    t.group == to.group && t.kind == to.kind && t.name.as_deref().is_none_or(|n| n == to.name)
                })
        })
        .map(|g| Some(ObjectRef::new("ReferenceGrant", &g.namespace, &g.name, g.source.clone())))
        .ok_or(())
}

/// What a Service port looks like to the Gateway's data plane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServiceLookup {
    /// No Service of that name.
    NoService,
    /// The Service exists without that port; `ports` are the ones it has.
    NoPort { ports: Vec<u16> },
    /// The port exists with this many ready endpoints (0: the data plane answers 503).
    Port { ready: usize },
}

/// What the model needs from the cluster: namespace labels (listeners' `Selector`) and
/// Services with their ready endpoints (backendRefs). [`Cluster`] implements it; tests may
/// use a table.
pub trait Lookup {
    /// The labels of namespace `name` (with `kubernetes.io/metadata.name`), `None` when it
    /// does not exist.
    fn namespace_labels(&self, name: &str) -> Option<Labels>;
    fn service_port(&self, namespace: &str, name: &str, port: u16) -> ServiceLookup;
}

impl Lookup for Cluster {
    fn namespace_labels(&self, name: &str) -> Option<Labels> {
        self.namespace(name).map(|n| n.labels.clone())
    }

    fn service_port(&self, namespace: &str, name: &str, port: u16) -> ServiceLookup {
        let Some(svc) = self.service(namespace, name) else { return ServiceLookup::NoService };
        match svc.spec.ports.iter().zip(&svc.ports).find(|(sp, _)| sp.port == port) {
            Some((_, pe)) => ServiceLookup::Port { ready: pe.endpoints.iter().filter(|e| e.ready).count() },
            None => ServiceLookup::NoPort { ports: svc.spec.ports.iter().map(|p| p.port).collect() },
        }
    }
}

/// A backendRef that can take requests: its Service's namespace and name, port, ready
/// endpoints, and the ReferenceGrant that allowed it when it is in another namespace.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedBackend {
    pub namespace: String,
    pub name: String,
    pub port: u16,
    /// Ready endpoints behind the port; 0 means the data plane answers 503.
    pub ready: usize,
    pub grant: Option<ObjectRef>,
}

/// Why a backendRef cannot take requests: the Route's `ResolvedRefs` reason and a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackendProblem {
    pub reason: &'static str,
    pub message: String,
}

/// Resolves one backendRef of a Route of `route_kind` in `route_namespace`: a core Service
/// (else `InvalidKind`), in the Route's namespace or allowed there by a ReferenceGrant (else
/// `RefNotPermitted`), that exists with the port (else `BackendNotFound`).
pub fn resolve_backend(
    route_kind: &str,
    route_namespace: &str,
    b: &crate::gateway::types::BackendRef,
    grants: &[ReferenceGrant],
    lookup: &dyn Lookup,
) -> Result<ResolvedBackend, BackendProblem> {
    let fail = |reason, message| Err(BackendProblem { reason, message });
    let namespace = b.namespace.clone().unwrap_or_else(|| route_namespace.to_string());
    if !(b.group.is_empty() || b.group == "core") || b.kind != "Service" {
        let group = if b.group.is_empty() { String::new() } else { format!("{}/", b.group) };
        return fail("InvalidKind", format!("backendRef {group}{} {} is not a Service", b.kind, b.name));
    }
    let from = Referrer { group: crate::gateway::types::GROUP, kind: route_kind, namespace: route_namespace };
    let to = Referent { group: "", kind: "Service", namespace: &namespace, name: &b.name };
    let grant = match permitted(grants, from, to) {
        Ok(g) => g,
        Err(()) => {
            return fail(
                "RefNotPermitted",
                format!(
                    "backendRef Service {namespace}/{} is in another namespace and no ReferenceGrant in {namespace} allows {route_kind}s from {route_namespace} to refer to it",
                    b.name
                ),
            )
        }
    };
    let Some(port) = b.port else {
        return fail("BackendNotFound", format!("backendRef Service {namespace}/{} gives no port", b.name));
    };
    match lookup.service_port(&namespace, &b.name, port) {
        ServiceLookup::NoService => {
            fail("BackendNotFound", format!("Service {namespace}/{} does not exist", b.name))
        }
        ServiceLookup::NoPort { ports } => {
            let ports: Vec<String> = ports.iter().map(u16::to_string).collect();
            fail(
                "BackendNotFound",
                format!("Service {namespace}/{} has no port {port} (ports: {})", b.name, ports.join(", ")),
            )
        }
        ServiceLookup::Port { ready } => {
            Ok(ResolvedBackend { namespace, name: b.name.clone(), port, ready, grant })
        }
    }
}
