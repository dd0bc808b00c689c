//! The import dialog: what the chosen progress file holds against what is stored, the
//! versions of each file that differs side by side, and Merge, Replace (after a second,
//! confirming step) or Cancel. A modal `<dialog>`: focus stays in it, Esc closes it. The
//! rules (what a merge keeps, what changed) are in `transfer`.

use std::collections::BTreeMap;

use leptos::prelude::*;

use wasm_bindgen::JsCast;

use crate::app::AppState;
use crate::store;
use crate::transfer::{self, Comparison, Differing, Export, Side};

/// A file chosen for import, read and compared with what is stored.
#[derive(Clone, Debug)]
pub struct Pending {
    /// The file's name, as the learner's system gave it.
    pub name: String,
    pub here: Export,
    pub file: Export,
    pub comparison: Comparison,
}

impl Pending {
    pub fn new(name: String, here: Export, file: Export) -> Pending {
        let comparison = transfer::compare(&here, &file);
        Pending { name, here, file, comparison }
    }
}

/// Reads a chosen progress file and compares it with what is stored, for the dialog; a file
/// that cannot be read changes nothing and the banner says why.
pub fn read_import(state: AppState, file: web_sys::File, pending: RwSignal<Option<Pending>>) {
    wasm_bindgen_futures::spawn_local(async move {
        let name = file.name();
        let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
        let read = text
            .ok_or_else(|| "the file could not be read".to_string())
            .and_then(|t| transfer::parse(&t))
            .and_then(|doc| Ok(Pending::new(name.clone(), store::snapshot()?, doc)));
        match read {
            Ok(p) => pending.set(Some(p)),
            Err(e) => state.banner.set(Some(format!("Nothing was imported from {name}: {e}"))),
        }
    });
}

/// Offers the learner's progress as a file download (`switchboard-progress.json`); the
/// banner says why when it cannot.
pub fn export(state: AppState) {
    if let Err(e) = store::export().and_then(|text| download("switchboard-progress.json", &text)) {
        state.banner.set(Some(format!("export failed: {e}")));
    }
}

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

crate::later::later! {
    /// The import dialog, drawn while `pending` holds a file to import.
    transfer: fn import_dialog_part(pending: RwSignal<Option<Pending>>) -> AnyView {
        view! { <ImportDialog pending=pending /> }.into_any()
    }
}

crate::later::later! {
    /// `read_import`, its code loaded when first used.
    transfer: fn read_import_later(state: AppState, file: web_sys::File, pending: RwSignal<Option<Pending>>) -> () {
        read_import(state, file, pending)
    }
}

crate::later::later! {
    /// `export`, its code loaded when first used.
    transfer: fn export_later(state: AppState) -> () {
        export(state)
    }
}

fn focus(id: &str) {
    let element = crate::workbench::element(id);
    if let Some(e) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = e.focus();
    }
}

#[component]
pub fn ImportDialog(pending: RwSignal<Option<Pending>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let picks = RwSignal::new(BTreeMap::<String, Side>::new());
    let confirming = RwSignal::new(false);
    Effect::new(move |_| {
        let open = pending.with(|p| p.is_some());
        let Some(d) = dialog.get() else { return };
        if open && !d.open() {
            picks.set(BTreeMap::new());
            confirming.set(false);
            let _ = d.show_modal();
            focus("import-merge");
        } else if !open && d.open() {
            d.close();
        }
    });
    // Esc, Cancel and both outcomes all end here.
    let on_close = move |_| {
        pending.set(None);
        focus("import-button");
    };
    let merge = move |_| {
        let Some(p) = pending.get_untracked() else { return };
        let merged = transfer::merge(&p.here, &p.file, &picks.get_untracked());
        pending.set(None);
        state.replace_all("import", "Merged", &p.here, &merged);
    };
    let replace = move |_| {
        let Some(p) = pending.get_untracked() else { return };
        pending.set(None);
        state.replace_all("import", "Replaced", &p.here, &transfer::replacement(&p.file));
    };
    let ask = move |_| {
        confirming.set(true);
        focus("import-replace-back");
    };
    let back = move |_| {
        confirming.set(false);
        focus("import-replace");
    };
    view! {
        <dialog
            node_ref=dialog
            id="import-dialog"
            class="import-dialog"
            aria-labelledby="import-title"
            aria-describedby="import-summary"
            on:close=on_close
        >
            {move || pending.get().map(|p| view! { <Summary pending=p picks=picks /> })}
            <div class="import-buttons" class:hidden=move || confirming.get()>
                <button id="import-merge" class="primary" on:click=merge>"Merge"</button>
                <button id="import-replace" on:click=ask>"Replace…"</button>
                <button id="import-cancel" on:click=move |_| pending.set(None)>"Cancel"</button>
            </div>
            <Show when=move || confirming.get()>
                <div class="import-confirm" id="import-replace-confirm" role="group" aria-labelledby="import-confirm-text">
                    <p id="import-confirm-text">{move || confirm_text(pending)}</p>
                    <button id="import-replace-yes" class="danger" on:click=replace>"Yes, replace everything"</button>
                    <button id="import-replace-back" on:click=back>"Back"</button>
                </div>
            </Show>
        </dialog>
    }
}

fn confirm_text(pending: RwSignal<Option<Pending>>) -> String {
    let n = pending.with(|p| p.as_ref().map_or(0, |p| p.comparison.replaced().len()));
    format!(
        "Replace everything here with the file's progress? {n} of your saved files would be overwritten or removed, and what is solved here but not in the file would no longer be. Your current progress is kept as a backup: “Undo import” puts it back."
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The numbers and lists of the comparison, and a choice for each file that differs.
#[component]
fn Summary(pending: Pending, picks: RwSignal<BTreeMap<String, Side>>) -> impl IntoView {
    let c = pending.comparison;
    let replaced = c.replaced();
    let facts = [
        format!("{} solved in the file but not here", plural(c.solved_new, "exercise", "exercises")),
        format!("{} only in the file (a merge adds them)", plural(c.added.len(), "file", "files")),
        format!("{} in both, with different texts", plural(c.differing.len(), "file", "files")),
        format!("{} only here (a replace removes them)", plural(c.only_here.len(), "file", "files")),
    ];
    let untimed = c.differing.iter().any(|d| !d.timed());
    let note = untimed.then(|| {
        let why = if c.timed {
            "Some files were saved before Switchboard kept the time of each change"
        } else {
            "This file was exported by an older version of Switchboard, which did not keep the time of each change"
        };
        view! {
            <p class="import-note" id="import-untimed">
                {why} ": for those files yours is kept unless you pick the file's version below."
            </p>
        }
    });
    let choices = c
        .differing
        .into_iter()
        .enumerate()
        .map(|(i, d)| view! { <Choice index=i differing=d picks=picks /> })
        .collect_view();
    view! {
        <h2 id="import-title">"Import progress from " {pending.name}</h2>
        <div id="import-summary">
            <table class="import-table">
                <thead>
                    <tr><th scope="col"><span class="visually-hidden">"What"</span></th><th scope="col">"In the file"</th><th scope="col">"Here"</th></tr>
                </thead>
                <tbody>
                    <tr>
                        <th scope="row">"Exercises solved"</th>
                        <td id="import-solved-file">{c.solved_file}</td>
                        <td id="import-solved-here">{c.solved_here}</td>
                    </tr>
                    <tr>
                        <th scope="row">"Saved files"</th>
                        <td id="import-files-file">{c.files_file}</td>
                        <td id="import-files-here">{c.files_here}</td>
                    </tr>
                </tbody>
            </table>
            <ul class="import-facts" id="import-facts">{facts.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}</ul>
            <p>
                "Merge keeps both: every exercise solved in either, every hint and solution shown in either, every sandbox and scenario, and for each file that differs the newer version. Replace makes this browser hold exactly what the file holds."
            </p>
        </div>
        <details class="import-replaced" id="import-replaced">
            <summary>{format!("Your files a replace would overwrite or remove ({})", replaced.len())}</summary>
            <ul>{replaced.into_iter().map(|k| view! { <li><code>{k}</code></li> }).collect_view()}</ul>
        </details>
        {note}
        <div class="import-choices" id="import-choices">{choices}</div>
    }
}

/// One file both hold, the two versions side by side, with the one to keep.
#[component]
fn Choice(index: usize, differing: Differing, picks: RwSignal<BTreeMap<String, Side>>) -> impl IntoView {
    let default = differing.default_pick();
    let here = Version {
        index,
        side: Side::Here,
        key: differing.key.clone(),
        text: differing.here,
        changed: differing.here_changed,
        default,
    };
    let file = Version {
        index,
        side: Side::File,
        key: differing.key.clone(),
        text: differing.file,
        changed: differing.file_changed,
        default,
    };
    let data_key = differing.key.clone();
    view! {
        <fieldset class="import-choice" data-key=data_key>
            <legend><code>{differing.key}</code></legend>
            <div class="import-versions">{version(here, picks)}{version(file, picks)}</div>
        </fieldset>
    }
}

/// One side of a [`Choice`].
struct Version {
    index: usize,
    side: Side,
    key: String,
    text: String,
    changed: Option<u64>,
    default: Side,
}

fn version(v: Version, picks: RwSignal<BTreeMap<String, Side>>) -> impl IntoView {
    let Version { index, side, key, text, changed, default } = v;
    let is_chosen = {
        let key = key.clone();
        move || picks.with(|p| p.get(&key).copied().unwrap_or(default)) == side
    };
    let label = match side {
        Side::Here => "Keep yours",
        Side::File => "Take the file's",
    };
    let when =
        changed.map_or_else(|| "time not recorded".to_string(), |t| format!("changed {}", transfer::utc(t)));
    let id = format!("import-pick-{index}-{}", if side == Side::Here { "here" } else { "file" });
    let (class_chosen, label_for) = (is_chosen.clone(), id.clone());
    view! {
        <div class="import-version" class:chosen=class_chosen>
            <label for=label_for>
                <input
                    type="radio"
                    id=id
                    name=format!("import-pick-{index}")
                    prop:checked=is_chosen
                    on:change=move |_| picks.update(|p| {
                        p.insert(key.clone(), side);
                    })
                />
                " " {label} <span class="import-when">" (" {when} ")"</span>
            </label>
            <pre>{text}</pre>
        </div>
    }
}
