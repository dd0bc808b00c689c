use leptos::prelude::*;

use crate::app::AppState;
use crate::components::import_dialog::{export_later, import_dialog_part, read_import_later};
use crate::later;

#[component]
pub fn TitleBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let input = NodeRef::<leptos::html::Input>::new();
    let menu = RwSignal::new(false);
    let wb = expect_context::<crate::workbench::Workbench>();
    let export = move |_| later::run(export_later(state), state.banner);
    let import = move |_| {
        if let Some(i) = input.get() {
            i.click();
        }
    };
    let pending = RwSignal::new(None);
    let on_file = move |_| {
        let Some(i) = input.get() else { return };
        if let Some(file) = i.files().and_then(|f| f.get(0)) {
            later::run(read_import_later(state, file, pending), state.banner);
        }
        // The same file can be chosen again.
        i.set_value("");
    };
    let undo_label = move || state.undo.get().map(|a| format!("Undo {a}")).unwrap_or_default();
    let undo_title = move || {
        state
            .undo
            .get()
            .map(|a| {
                format!("Puts back what the last {a} replaced; changes made since to the same files are lost")
            })
            .unwrap_or_default()
    };
    view! {
        <header class="title-bar">
            <span class="logo" aria-hidden="true">"⇄"</span>
            <h1>"Switchboard"</h1>
            <p class="tagline">"Kubernetes Services and networking, hands on, in your browser"</p>
            // Small screens: the actions fold into a menu.
            <button id="menu-button" class="menu-button" aria-expanded=move || menu.get().to_string() aria-controls="title-actions" on:click=move |_| menu.update(|m| *m = !*m)>
                "Menu"
            </button>
            <div class="title-actions" id="title-actions" class:open=move || menu.get()>
                <button id="help-button" on:click=move |_| {
                    wb.intro.set(true);
                    menu.set(false);
                }>"Help"</button>
                <button id="export-button" on:click=export>"Export progress"</button>
                <button id="import-button" on:click=import>"Import progress"</button>
                <Show when=move || state.undo.get().is_some()>
                    <button
                        id="undo-button"
                        title=undo_title
                        on:click=move |_| state.undo()
                    >
                        {undo_label}
                    </button>
                </Show>
                <input
                    id="import-file"
                    type="file"
                    accept="application/json,.json"
                    class="visually-hidden"
                    aria-label="Progress file to import"
                    tabindex="-1"
                    node_ref=input
                    on:change=on_file
                />
            </div>
        </header>
        {later::when(move || pending.with(Option::is_some), move || import_dialog_part(pending))}
    }
}
