//! The four panels of the workspace, each with its empty state for now.

use leptos::prelude::*;

use super::Panel;

#[component]
pub fn LessonPanel() -> impl IntoView {
    view! {
        <Panel
            id="lesson"
            title="Lesson and checks"
            empty="Pick an exercise to read its story here. Its checks appear below it and turn green as your YAML starts to work."
        />
    }
}

#[component]
pub fn EditorPanel() -> impl IntoView {
    view! {
        <Panel
            id="editor"
            title="Editor"
            empty="Your Service, Ingress and NetworkPolicy files open here, one tab each, with mistakes underlined as you type."
        />
    }
}

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
