//! Installs the Gateway API's reading: its kinds (`kinds::gateway`, through the socket
//! `kinds::GATEWAY`) and their schema table (`shape::CRD_TABLE`), with the model's
//! Gateway API code (`netsim::gateway::plug`). With the `gateway-api` feature alone (the
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
    }
    netsim::gateway::plug::install();
}
