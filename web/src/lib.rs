//! The Switchboard web app: a Leptos (client-side rendered) shell around the model.
//!
//! Components only wire signals to views; the networking rules live in `netsim` and the
//! reading of YAML in `manifest`. This crate holds no networking rules.

pub mod components;

use leptos::prelude::*;

use components::{EditorPanel, LessonPanel, TerminalPanel, TitleBar, TopologyPanel};

/// The whole app: a title bar over the four panels.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <TitleBar />
        <main class="workspace" id="workspace">
            <LessonPanel />
            <EditorPanel />
            <TopologyPanel />
            <TerminalPanel />
        </main>
    }
}

/// Installs the panic hook (so a panic is reported in the console, not a silent blank page)
/// and mounts the app on `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
