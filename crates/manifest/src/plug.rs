//! Installs the reading of the kinds defined by CRDs: the Gateway API's (`kinds::gateway`)
//! and the cluster-wide policy kinds (`kinds::cluster_policy`), through the socket
//! `kinds::GATEWAY`, and their schema table (`shape::CRD_TABLE`), with the model's Gateway
//! API code (`netsim::gateway::plug`) and its cluster-wide tiers (`netsim::policy::install_tiers`). With the `gateway-api` feature alone (the
//! command line's build) they are always there; with `gateway-later` (the browser's build)
//! from [`install`] on, and until then the kinds are warned as not loaded and skipped, as the
//! other Gateway API kinds not simulated are.

pub use crate::kinds::gateway_api;

/// Makes the Gateway API's kinds read, and requests through Gateways routed, from now on
/// (with `gateway-later`; nothing to do otherwise).
pub fn install() {
    #[cfg(feature = "gateway-api")]
    {
        crate::kinds::GATEWAY.plug(&crate::kinds::DIRECT_GATEWAY);
        crate::shape::CRD_TABLE.plug(crate::shape::CRD_TEXT);
        crate::policies::CLUSTER_WARNINGS.plug(&crate::policies::DIRECT_CLUSTER_WARNINGS);
    }
    netsim::gateway::plug::install();
    netsim::policy::install_tiers();
}
