use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::AppState;
use crate::components::import_dialog::{ImportDialog, Pending};
use crate::store;
use crate::transfer;

/// Offers `text` as a file download.
fn download(name: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement =
        doc.create_element("a").map_err(|e| format!("{e:?}"))?.dyn_into().map_err(|_| "no anchor")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

#[component]
pub fn TitleBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let input = NodeRef::<leptos::html::Input>::new();
    let export = move |_| {
        if let Err(e) = store::export().and_then(|text| download("switchboard-progress.json", &text)) {
            state.banner.set(Some(format!("export failed: {e}")));
        }
    };
    let import = move |_| {
        if let Some(i) = input.get() {
            i.click();
        }
    };
    let pending = RwSignal::new(None);
    let on_file = move |_| {
        let Some(i) = input.get() else { return };
        let Some(file) = i.files().and_then(|f| f.get(0)) else { return };
        // The same file can be chosen again.
        i.set_value("");
        wasm_bindgen_futures::spawn_local(async move {
            let name = file.name();
            let text =
                wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
            let read = text
                .ok_or_else(|| "the file could not be read".to_string())
                .and_then(|t| transfer::parse(&t))
                .and_then(|doc| Ok(Pending::new(name.clone(), store::snapshot()?, doc)));
            match read {
                Ok(p) => pending.set(Some(p)),
                Err(e) => state.banner.set(Some(format!("Nothing was imported from {name}: {e}"))),
            }
        });
    };
    let undo_label = move || state.undo.get().map(|a| format!("Undo {a}")).unwrap_or_default();
    view! {
        <header class="title-bar">
            <span class="logo" aria-hidden="true">"⇄"</span>
            <h1>"Switchboard"</h1>
            <p class="tagline">"Kubernetes Services and networking, hands on, in your browser"</p>
            <div class="title-actions">
                <button id="export-button" on:click=export>"Export progress"</button>
                <button id="import-button" on:click=import>"Import progress"</button>
                <Show when=move || state.undo.get().is_some()>
                    <button
                        id="undo-button"
                        title="Puts back what the last import, reset or solution replaced"
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
        <ImportDialog pending=pending />
    }
}
