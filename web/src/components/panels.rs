//! The panels still showing their empty state: the topology picture and the terminal.

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

#[component]
pub fn TerminalPanel() -> impl IntoView {
    view! {
        <Panel
            id="terminal"
            title="Terminal"
            empty="Ask the cluster questions here, as you would a real one: kubectl get endpoints, nslookup, curl from a pod."
        />
    }
}
