//! The panel still showing its empty state: the topology picture.

use leptos::prelude::*;

use super::Panel;

#[component]
pub fn TopologyPanel() -> impl IntoView {
    view! {
        <Panel
            id="topology"
            title="Cluster"
            empty="The cluster is drawn here: the internet, load balancers, nodes, kube-proxy, Services and pods. Send a request to watch it travel hop by hop."
        />
    }
}
