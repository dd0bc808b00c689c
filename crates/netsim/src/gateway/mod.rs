//! `gateway`: the Gateway API (`gateway.networking.k8s.io`, v1.6.1 standard channel) as one
//! built-in controller, [`CONTROLLER_NAME`], would implement it.
//!
//! - [`types`]: the objects (GatewayClass, Gateway, HTTPRoute, GRPCRoute, ReferenceGrant),
//!   which `Scenario` holds.
//! - [`hostname`]: wildcard hostnames, their intersection and specificity.
//! - [`refs`]: ReferenceGrants, backendRefs, and [`Lookup`], what the model asks of the
//!   cluster (implemented by `Cluster`).
//! - [`rules`]: what makes a Route rule invalid.
//! - [`status`]: the conditions the controller writes, and which Routes attach to which
//!   listeners ([`status::status`]).
//! - [`matching`], [`filters`] and [`routing`]: one request through a Gateway
//!   ([`routing::route`]), with the candidate rules in precedence order and why each lost.
//! - [`migrate`]: the Gateways and HTTPRoutes that route as a set of Ingresses does under
//!   ingress-nginx, with a note for what has no standard equivalent.
//! - [`plug`]: how the rest of the model calls the routing and statuses, so that the
//!   browser's build can load them after the first grade.
//! - [`dataplane`]: the proxy pod and LoadBalancer Service the controller runs per Gateway,
//!   through which a request walks (`send.rs`).
//!
//! Each module says the spec's rules it follows and the choices it makes where the spec
//! leaves them to the implementation.

pub mod dataplane;
pub mod filters;
pub mod hostname;
pub mod matching;
pub mod migrate;
pub mod plug;
pub mod refs;
pub mod routing;
pub mod rules;
pub mod status;
pub mod types;

pub use refs::{Lookup, ServiceLookup};
pub use routing::{
    route, route_with, BackendAnswer, BackendShare, Candidate, Decision, GatewayRequest, Outcome,
};
pub use status::{status, Condition, ConditionStatus, Objects, RouteKind, Status, CONTROLLER_NAME};
pub use types::GatewayApi;
