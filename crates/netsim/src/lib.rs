//! Switchboard's model of Kubernetes networking.
//!
//! `Scenario` (the objects read from YAML by `manifest`) plus a `Topology` build a
//! deterministic `Cluster`, which answers DNS questions, traces requests hop by hop,
//! computes reachability and dumps kube-proxy's rules; the terminal's kubectl is the
//! `kubectl` crate, over this one. Std only: no I/O, no clock, no randomness except through a
//! caller-supplied seed.
//!
//! Stages: [`addons`] (what a fresh cluster contains), [`build`] (objects to cluster state), [`dns`] (CoreDNS and the pod resolver),
//! [`kube_proxy`] (endpoint choice), [`send`] and [`trace`] (a request hop by hop),
//! [`ingress`] (the ingress-nginx controller's routing), [`path_regex`] (its path regexes),
//! [`gateway`] (the Gateway API: status and routing of the built-in controller),
//! [`iptables`] (kube-proxy's rules, as data and as `iptables-save` text),
//! [`policy`] (NetworkPolicy decisions) and [`connlist`] (every port NetworkPolicy allows
//! between every pair).
//!
//! A trace prints as a hop listing, like tcpdump:
//!
//! ```
//! use netsim::*;
//!
//! let cluster = Cluster::build(&Scenario::default(), &Topology::default());
//! let trace = cluster.send(&Request::new(Client::Node("node-2".into()), "10.96.0.1:443"));
//! assert_eq!(trace.outcome.as_str(), "reached-node");
//! assert_eq!(
//!     trace.to_string(),
//!     "  1 node/node-2             SEND     192.168.49.3:55591 > 10.96.0.1:443 TCP  node/node-2 opens a TCP connection to 10.96.0.1:443
//!   2 svc/default/kubernetes  PASS     192.168.49.3:55591 > 10.96.0.1:443 TCP  10.96.0.1:443/TCP is the cluster IP of Service default/kubernetes:https, port 443 -> targetPort 6443
//!   3 kube-proxy/node-2       DNAT     192.168.49.3:55591 > 10.96.0.1:443 -> 192.168.49.2:6443 TCP  chose 1 of 1 endpoint (p=1.00, chosen at random); the rule: KUBE-SERVICES -> KUBE-SVC-NPX46M4PTMTKRN6Y, its rule 1 of 1 -> KUBE-SEP-RLR6ZXJXMQP3D2RN (DNAT to 192.168.49.2:6443)
//!       * 192.168.49.2:6443  node-1  p=1.00
//!   4 node/node-1             DELIVER  192.168.49.3:55591 > 192.168.49.2:6443 TCP  a process on node-1 answers on port 6443 (the API server listens on 6443)
//!   => reached node/node-1 port 6443"
//! );
//! ```

pub mod addons;
pub mod build;
pub mod dns;
mod fired;
pub mod gateway;
mod hash;
pub mod ingress;
pub mod iptables;
pub mod kube_proxy;
pub mod layout;
pub mod meta;
pub mod nftables;
pub mod path_regex;
pub mod policy;
pub use policy::connlist;
pub mod rng;
pub mod scenario;
pub mod send;
pub mod socket;
pub mod synthetic;
pub mod topology;
pub mod trace;

pub use build::{
    Cluster, ClusterNamespace, ClusterNode, ClusterPod, ClusterService, Narrowed, Note, PortEndpoints,
    ServiceEndpoint,
};
pub use dns::{DnsAnswer, DnsClient, DnsQuery, QueryType, Rcode, Record, ResolvConf, Resolver};
pub use ingress::{HostMatch, PathMatch, Route, RouteDecision, Scheme, Skip, Tls};
pub use scenario::*;
pub use send::{Client, Request};
pub use topology::{NodeSlot, ProxyMode, Topology};
pub use trace::{counted, Action, Candidate, Hop, Outcome, Packet, Proxied, Trace};
