//! NetworkPolicy (`networking.k8s.io/v1`): which connections a set of policies allows,
//! why, and the reachability matrix of a whole cluster on one port ([`crate::connlist`]
//! answers for every port at once, with the building blocks of `Selection`).
//!
//! The rules follow <https://kubernetes.io/docs/concepts/services-networking/network-policies/>
//! and the API reference
//! <https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/>:
//!
//! - A pod is *isolated* for a direction once any policy in its namespace selects it
//!   (`spec.podSelector`) with that direction in `policyTypes`. An isolated pod only
//!   accepts (ingress) or opens (egress) connections that some rule of that direction,
//!   in some policy selecting it, admits. Policies are additive allow-lists: there are
//!   no deny rules and their order does not matter.
//! - A connection needs both sides: the source's egress and the destination's ingress.
//!
//! Choices where the docs leave room, each one a documented behaviour of common CNIs:
//!
//! - **Replies** of an allowed connection are allowed: enforcement is stateful (the docs:
//!   "traffic to and from the node where a Pod is running is always allowed", and the
//!   reply direction is never checked against policy). [`Decision`] speaks for both
//!   directions of one connection.
//! - **A pod talking to itself** is always allowed ("a pod cannot block access to
//!   itself", docs, introduction). The upstream e2e suite ignores loopback because CNIs
//!   differ; [`PolicyOptions::pod_to_itself_always_allowed`] switches it off.
//! - **ipBlock and pod IPs**: the API reference says ipBlock "should be cluster-external
//!   IPs, since Pod IPs are ephemeral and unpredictable"; CNIs differ (Calico matches pod
//!   IPs by address, Cilium does not). We follow the upstream e2e tests ("should allow
//!   egress access to server in CIDR block" targets a pod IP) and Calico:
//!   [`IP_BLOCK_MATCHES_POD_IPS`] is `true` by default, see [`PolicyOptions`].
//! - **Host-network pods** are treated as their node, the behaviour the docs describe for
//!   plugins that cannot tell host-network pods apart ("NetworkPolicy and hostNetwork
//!   pods"): no `podSelector` selects them (so they are never isolated), no
//!   `podSelector`/`namespaceSelector` peer matches them, an ipBlock on their (node) IP
//!   does, and a named port never resolves against them.
//! - **Not modelled here**: the node-local exemption ("traffic to and from the node where
//!   a Pod is running is always allowed") needs node placement, which the trace code
//!   knows; and rules of a direction missing from `policyTypes` are ignored, as the API
//!   server's defaulting makes them.
//!
//! Malformed input never panics: an `endPort` below `port` admits nothing, an `endPort`
//! on a named port is ignored, an `except` outside its `cidr` excludes nothing, a peer
//! with neither selector (rejected by the API server) matches nothing.
//!
//! Cluster-wide policy (ClusterNetworkPolicy, AdminNetworkPolicy,
//! BaselineAdminNetworkPolicy) sits in tiers around NetworkPolicy: [`tiers`] says how, and
//! [`decide`], [`reachability`] and [`connlist`] answer with it.
//!
//! Modules, each using only those listed before it: [`ports`] (port sets) and [`bitset`],
//! [`tiers`] (the cluster-wide tiers, over what it is shown of pods), [`decide`] (one
//! connection, explained; its sides go through the tiers by a socket, [`CLUSTER_TIERS`]), [`selection`] (selectors evaluated once, as bitsets), [`reachability`]
//! (the matrix on one port) and [`connlist`] (every port).

mod bitset;
pub mod connlist;
pub mod decide;
pub mod ports;
pub mod reachability;
mod selection;
pub mod tiers;

pub use decide::*;
pub use reachability::Reachability;
