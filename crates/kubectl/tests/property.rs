//! kubectl's tables and descriptions of random scenarios never panic (a panic in WebAssembly
//! kills the page).
#[path = "../../netsim/tests/common/mod.rs"]
mod common;

use common::random_scenarios::*;
use netsim::*;

#[test]
fn random_scenarios_never_panic() {
    let mut r = SplitMix64::new(0x5eed);
    for _ in 0..3000 {
        let (s, t) = random_scenario(&mut r);
        let c = Cluster::build(&s, &t);
        let _ = kubectl::get_services(&c, None);
        let _ = kubectl::get_endpoints(&c, None);
        let _ = kubectl::get_endpoint_slices(&c, None);
        let _ = kubectl::get_pods(&c, None);
        for svc in &c.services {
            let _ = kubectl::describe_service(&c, svc.namespace(), svc.name());
        }
    }
}
