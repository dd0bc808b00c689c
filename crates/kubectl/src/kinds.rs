//! The kinds the terminal knows, one entry each in [`KINDS`]: kubectl's names for the kind
//! (`kubectl api-resources`: singular, plural, short names), whether it is namespaced, its
//! table's columns, and the builders of its rows ([`crate::rows`]), its description
//! ([`crate::describe`]) and its objects for `-o yaml` ([`crate::objects`]). `kubectl get`,
//! `kubectl describe`, completion and help read the kinds from here only.
//! https://kubernetes.io/docs/reference/kubectl/#resource-types

use crate::cluster::Kubectl;
use crate::objects::{self, Named};
use crate::table::{col, wide, Column, Row};
#[cfg(feature = "gateway-api")]
use crate::{cluster_policy, gateway};
use crate::{describe, rows};

/// A kind's rows, one per object of a namespace (every namespace when `None`).
pub(crate) type Rows = fn(Kubectl<'_>, Option<&str>) -> Vec<Row>;
/// A kind's `kubectl describe KIND NAME` in a namespace, `None` when there is no such object.
pub(crate) type Describe = fn(Kubectl<'_>, &str, &str) -> Option<String>;
/// A kind's objects for `-o yaml` in a namespace (every namespace when `None`), by name.
pub(crate) type Objects = fn(Kubectl<'_>, Option<&str>) -> Vec<Named>;

/// One kind of object `kubectl get` shows.
pub(crate) struct Kind {
    /// The plural, as kubectl's errors name the kind (`services "web" not found`).
    pub(crate) plural: &'static str,
    pub(crate) singular: &'static str,
    pub(crate) short: &'static [&'static str],
    /// The name completion offers after `kubectl get` and `kubectl describe`.
    pub(crate) offered: &'static str,
    /// Listed per namespace (`-n`, `-A` adds a NAMESPACE column); nodes are not.
    pub(crate) namespaced: bool,
    /// The table's columns, NAME first, the `-o wide` ones last.
    pub(crate) columns: &'static [Column],
    pub(crate) rows: Rows,
    /// `None` for kinds the terminal does not describe.
    pub(crate) describe: Option<Describe>,
    /// In the order of the rows.
    pub(crate) objects: Objects,
}

pub(crate) static KINDS: &[Kind] = &[
    Kind {
        plural: "services",
        singular: "service",
        short: &["svc"],
        offered: "svc",
        namespaced: true,
        columns: &[
            col("NAME"),
            col("TYPE"),
            col("CLUSTER-IP"),
            col("EXTERNAL-IP"),
            col("PORT(S)"),
            col("AGE"),
            wide("SELECTOR"),
        ],
        rows: rows::services,
        describe: Some(describe::service),
        objects: objects::services,
    },
    Kind {
        plural: "pods",
        singular: "pod",
        short: &["po"],
        offered: "pods",
        namespaced: true,
        columns: &[
            col("NAME"),
            col("READY"),
            col("STATUS"),
            col("RESTARTS"),
            col("AGE"),
            wide("IP"),
            wide("NODE"),
            wide("NOMINATED NODE"),
            wide("READINESS GATES"),
        ],
        rows: rows::pods,
        describe: None,
        objects: objects::pods,
    },
    Kind {
        plural: "endpoints",
        singular: "endpoints",
        short: &["ep"],
        offered: "endpoints",
        namespaced: true,
        columns: &[col("NAME"), col("ENDPOINTS"), col("AGE")],
        rows: rows::endpoints,
        describe: None,
        objects: objects::endpoints,
    },
    Kind {
        plural: "endpointslices",
        singular: "endpointslice",
        short: &[],
        offered: "endpointslices",
        namespaced: true,
        columns: &[col("NAME"), col("ADDRESSTYPE"), col("PORTS"), col("ENDPOINTS"), col("AGE")],
        rows: rows::endpoint_slices,
        describe: None,
        objects: objects::endpoint_slices,
    },
    Kind {
        plural: "ingresses",
        singular: "ingress",
        short: &["ing"],
        offered: "ingress",
        namespaced: true,
        columns: &[col("NAME"), col("CLASS"), col("HOSTS"), col("ADDRESS"), col("PORTS"), col("AGE")],
        rows: rows::ingresses,
        describe: Some(describe::ingress),
        objects: objects::ingresses,
    },
    Kind {
        plural: "networkpolicies",
        singular: "networkpolicy",
        short: &["netpol"],
        offered: "networkpolicy",
        namespaced: true,
        columns: &[col("NAME"), col("POD-SELECTOR"), col("AGE")],
        rows: rows::network_policies,
        describe: Some(describe::network_policy),
        objects: objects::network_policies,
    },
    Kind {
        plural: "nodes",
        singular: "node",
        short: &["no"],
        offered: "nodes",
        namespaced: false,
        columns: &[
            col("NAME"),
            col("STATUS"),
            col("ROLES"),
            col("AGE"),
            col("VERSION"),
            wide("INTERNAL-IP"),
            wide("EXTERNAL-IP"),
        ],
        rows: rows::nodes,
        describe: None,
        objects: objects::nodes,
    },
    // The Gateway API (gateway.networking.k8s.io): the CRDs' names and printer columns.
    #[cfg(feature = "gateway-api")]
    Kind {
        plural: "gatewayclasses",
        singular: "gatewayclass",
        short: &["gc"],
        offered: "gatewayclasses",
        namespaced: false,
        columns: &[col("NAME"), col("CONTROLLER"), col("ACCEPTED"), col("AGE")],
        rows: gateway::class_rows,
        describe: Some(gateway::describe_class),
        objects: gateway::classes,
    },
    #[cfg(feature = "gateway-api")]
    Kind {
        plural: "gateways",
        singular: "gateway",
        short: &["gtw"],
        offered: "gateways",
        namespaced: true,
        columns: &[col("NAME"), col("CLASS"), col("ADDRESS"), col("PROGRAMMED"), col("AGE")],
        rows: gateway::gateway_rows,
        describe: Some(gateway::describe_gateway),
        objects: gateway::gateways,
    },
    #[cfg(feature = "gateway-api")]
    Kind {
        plural: "httproutes",
        singular: "httproute",
        short: &[],
        offered: "httproutes",
        namespaced: true,
        columns: &[col("NAME"), col("HOSTNAMES"), col("AGE")],
        rows: gateway::http_route_rows,
        describe: Some(gateway::describe_http_route),
        objects: gateway::http_routes,
    },
    #[cfg(feature = "gateway-api")]
    Kind {
        plural: "grpcroutes",
        singular: "grpcroute",
        short: &[],
        offered: "grpcroutes",
        namespaced: true,
        columns: &[col("NAME"), col("HOSTNAMES"), col("AGE")],
        rows: gateway::grpc_route_rows,
        describe: Some(gateway::describe_grpc_route),
        objects: gateway::grpc_routes,
    },
    #[cfg(feature = "gateway-api")]
    Kind {
        plural: "referencegrants",
        singular: "referencegrant",
        short: &["refgrant"],
        offered: "referencegrants",
        namespaced: true,
        columns: &[col("NAME"), col("AGE")],
        rows: gateway::grant_rows,
        describe: Some(gateway::describe_grant),
        objects: gateway::grants,
    },
    // Cluster-wide policy (policy.networking.k8s.io): the CRDs' names and printer columns.
    #[cfg(feature = "gateway-api")]
    Kind {
        plural: "clusternetworkpolicies",
        singular: "clusternetworkpolicy",
        short: &["cnp"],
        offered: "cnp",
        namespaced: false,
        columns: &[col("NAME"), col("TIER"), col("PRIORITY"), col("AGE")],
        rows: cluster_policy::cnp_rows,
        describe: Some(cluster_policy::describe_cnp),
        objects: cluster_policy::cnps,
    },
    #[cfg(feature = "gateway-api")]
    Kind {
        plural: "adminnetworkpolicies",
        singular: "adminnetworkpolicy",
        short: &["anp"],
        offered: "anp",
        namespaced: false,
        columns: &[col("NAME"), col("PRIORITY"), col("AGE")],
        rows: cluster_policy::anp_rows,
        describe: Some(cluster_policy::describe_anp),
        objects: cluster_policy::anps,
    },
    #[cfg(feature = "gateway-api")]
    Kind {
        plural: "baselineadminnetworkpolicies",
        singular: "baselineadminnetworkpolicy",
        short: &["banp"],
        offered: "banp",
        namespaced: false,
        columns: &[col("NAME"), col("AGE")],
        rows: cluster_policy::banp_rows,
        describe: Some(cluster_policy::describe_banp),
        objects: cluster_policy::banps,
    },
];

impl Kind {
    /// The kind `word` names: its singular, plural or a short name.
    pub(crate) fn parse(word: &str) -> Option<&'static Kind> {
        KINDS.iter().find(|k| k.singular == word || k.plural == word || k.short.contains(&word))
    }

    /// The table of the rows in `namespace` (every namespace when `None`), wide or not.
    pub(crate) fn table(&self, k: Kubectl<'_>, namespace: Option<&str>, wide: bool) -> String {
        let rows = (self.rows)(k, namespace);
        let all: Vec<&Row> = rows.iter().collect();
        crate::table::render(self.columns, &all, &all, namespace.is_none() && self.namespaced, wide)
    }
}
