//! The editor panel: a tab per learner file and a read-only tab for the cluster, each a
//! CodeMirror editor (see editor.rs), and the problems list under them. Clicking a problem
//! opens its file and puts the cursor on it.

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::AppState;
use crate::editor::{Editor, Mark};
use crate::workbench::{Region, Workbench};

/// The editors of the open exercise: `(file name, editor)`; a plain textarea stands in
/// when the editor bundle did not load.
enum Surface {
    Code(Editor),
    Plain(web_sys::HtmlTextAreaElement),
}

thread_local! {
    static EDITORS: RefCell<Vec<(String, Surface)>> = const { RefCell::new(Vec::new()) };
}

/// The id of the line under the editors that says how Tab behaves and how to leave an editor
/// with the keyboard; every editor names it in `aria-describedby`.
const KEYS_ID: &str = "editor-keys";

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Builds one editor (or textarea) per file inside `host`, replacing what was there.
fn build(host: &web_sys::Element, state: AppState) {
    EDITORS.with(|e| e.borrow_mut().clear());
    host.set_inner_html("");
    let Some(doc) = document() else { return };
    let Some(ex) = state.exercise_untracked() else { return };
    let shared = state.shared.get_untracked();
    let mut files: Vec<(String, String, bool)> =
        state.files.get_untracked().into_iter().map(|f| (f.name, f.text, shared)).collect();
    if !ex.cluster.trim().is_empty() {
        files.push((exercises::CLUSTER_FILE.to_string(), ex.cluster.clone(), true));
    }
    let mut built = Vec::new();
    for (name, text, read_only) in files {
        let Ok(pane) = doc.create_element("div") else { continue };
        pane.set_class_name("editor-pane");
        let _ = pane.set_attribute("data-file", &name);
        let _ = pane.set_attribute("role", "tabpanel");
        let _ = host.append_child(&pane);
        let label = if read_only { format!("{name} (read-only)") } else { format!("{name}, editable YAML") };
        let file = name.clone();
        let on_change = move |text| state.edit(&file, text);
        let surface = match Editor::new(&pane, &text, read_only, &label, KEYS_ID, on_change) {
            Some(ed) => Surface::Code(ed),
            None => {
                let Some(area) = doc
                    .create_element("textarea")
                    .ok()
                    .and_then(|a| a.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
                else {
                    continue;
                };
                area.set_value(&text);
                area.set_read_only(read_only);
                let _ = area.set_attribute("aria-label", &label);
                let _ = area.set_attribute("spellcheck", "false");
                let file = name.clone();
                let area2 = area.clone();
                let on_input = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
                    state.edit(&file, area2.value())
                });
                area.set_oninput(Some(on_input.as_ref().unchecked_ref()));
                on_input.forget();
                let _ = pane.append_child(&area);
                Surface::Plain(area)
            }
        };
        built.push((name, surface));
    }
    EDITORS.with(|e| *e.borrow_mut() = built);
}

/// The file and byte offset of the caret when a plain text area under `host` has the focus.
fn typing_in(host: &web_sys::Element) -> Option<(String, usize)> {
    let area = document()?.active_element()?.dyn_into::<web_sys::HtmlTextAreaElement>().ok()?;
    if !host.contains(Some(&area)) {
        return None;
    }
    let file = area.parent_element()?.get_attribute("data-file")?;
    let units = area.selection_start().ok()?? as usize;
    let text = area.value();
    // The text area counts UTF-16 units; the editors take byte offsets.
    let mut seen = 0;
    let byte = text.char_indices().find(|(_, c)| {
        seen += c.len_utf16();
        seen > units
    });
    Some((file, byte.map_or(text.len(), |(b, _)| b)))
}

fn select(file: &str, byte: usize, state: AppState) {
    let text = state.file_text(file);
    EDITORS.with(|e| {
        if let Some((_, s)) = e.borrow().iter().find(|(n, _)| n == file) {
            match s {
                Surface::Code(ed) => ed.select(&text.unwrap_or_default(), byte),
                Surface::Plain(area) => {
                    let text = text.unwrap_or_default();
                    let at = crate::editor::utf16_offset(&text, byte) as u32;
                    let _ = area.set_selection_range(at, at);
                    let _ = area.focus();
                }
            }
        }
    });
}

/// What keeps the editors in step with the state: rebuilt for a new exercise (and when the
/// bundle arrives), the active tab's pane shown, a clicked cause opened, diagnostics marked.
fn editor_effects(state: AppState, host: NodeRef<leptos::html::Div>, active: RwSignal<String>) {
    // New exercise, reset or solution: rebuild the editors from the files. Also when the
    // editor bundle arrives: the plain text areas become CodeMirror editors, with the text
    // typed so far and the cursor where it was.
    Effect::new(move |_| {
        state.replaced.track();
        crate::boot::bundle_ready();
        if let Some(el) = host.get() {
            let caret = typing_in(&el);
            build(&el, state);
            if let Some((file, byte)) = caret {
                select(&file, byte, state);
            }
            // Stay on the open tab when it still exists (a file was added), else the first.
            let keep = active.get_untracked();
            let names: Vec<String> =
                state.files.with_untracked(|fs| fs.iter().map(|f| f.name.clone()).collect());
            if names.contains(&keep)
                || (keep == exercises::CLUSTER_FILE && state.exercise_untracked().is_some())
            {
                active.set(keep);
            } else {
                active.set(names.first().cloned().unwrap_or_default());
            }
        }
    });
    // Show only the active tab's pane.
    Effect::new(move |_| {
        let name = active.get();
        state.replaced.track();
        if let Some(el) = host.get() {
            let panes = el.children();
            for i in 0..panes.length() {
                if let Some(p) = panes.item(i) {
                    let shown = p.get_attribute("data-file").as_deref() == Some(name.as_str());
                    p.set_class_name(if shown { "editor-pane active" } else { "editor-pane" });
                }
            }
        }
    });
    // A hop's cause clicked on the picture: open its file and put the cursor on it.
    Effect::new(move |_| {
        let Some((file, start)) = state.jump.get() else { return };
        active.set(file.clone());
        select(&file, start, state);
        state.jump.set(None);
    });
    // Diagnostics into the editors, at their positions.
    Effect::new(move |_| {
        // Again once the editor bundle has replaced the text areas.
        crate::boot::bundle_ready();
        // New editors (files replaced) need the marks even when the diagnostics are the same.
        state.replaced.track();
        let Some(diagnostics) = state.diagnostics.get() else {
            return;
        };
        let files = state.files.get_untracked();
        EDITORS.with(|e| {
            for (name, surface) in e.borrow().iter() {
                let Surface::Code(ed) = surface else { continue };
                let Some(text) = files.iter().find(|f| &f.name == name).map(|f| f.text.as_str()) else {
                    continue;
                };
                let marks: Vec<Mark> = diagnostics
                    .iter()
                    .filter(|d| &d.file == name)
                    .map(|d| Mark {
                        start: d.start,
                        end: d.end,
                        warning: d.severity == manifest::Severity::Warning,
                        message: if d.hints.is_empty() {
                            d.message.clone()
                        } else {
                            format!("{} ({})", d.message, d.hints.join("; "))
                        },
                    })
                    .collect();
                ed.set_marks(text, &marks);
            }
        });
    });
}

crate::later::later! {
    /// `AppState::convert_ingresses` of the open file, with the Gateway API's code; the new
    /// file is shown.
    gateway: fn convert_later(state: AppState, active: RwSignal<String>) -> () {
        if let Some(name) = state.convert_ingresses(&active.get_untracked()) {
            active.set(name);
        }
    }
}

crate::later::later! {
    /// The editor's panel, loaded after the first grade (`crate::later`); the files are
    /// graded without it.
    editor: fn editor_part() -> AnyView {
        view! { <EditorPanel /> }.into_any()
    }
}

#[component]
pub fn EditorPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let wb = expect_context::<Workbench>();
    let host = NodeRef::<leptos::html::Div>::new();
    let active = RwSignal::new(String::new());

    editor_effects(state, host, active);

    let tabs = move || {
        state.replaced.track();
        let mut names: Vec<(String, bool)> =
            state.files.with_untracked(|fs| fs.iter().map(|f| (f.name.clone(), false)).collect());
        if state.exercise_untracked().is_some_and(|ex| !ex.cluster.trim().is_empty()) {
            names.push((exercises::CLUSTER_FILE.to_string(), true));
        }
        names
            .into_iter()
            .map(|(name, read_only)| {
                let n = name.clone();
                let selected = move || active.get() == n;
                let n2 = name.clone();
                let label = if read_only { format!("{name} (read-only)") } else { name.clone() };
                view! {
                    <button role="tab" class="tab" aria-selected=move || selected().to_string() on:click=move |_| active.set(n2.clone())>
                        {label}
                    </button>
                }
            })
            .collect_view()
    };

    let problems = move || {
        let diagnostics = state.diagnostics.get()?;
        let files = state.files.get_untracked();
        // One index per file: a lookup per diagnostic from the start of the file is quadratic.
        let indexes: Vec<(&str, manifest::LineIndex<'_>)> =
            files.iter().map(|f| (f.name.as_str(), manifest::LineIndex::new(&f.text))).collect();
        let items = diagnostics
            .iter()
            .map(|d| {
                let (line, col) =
                    indexes.iter().find(|(n, _)| *n == d.file).map_or((1, 1), |(_, i)| i.line_col(d.start));
                let file = d.file.clone();
                let start = d.start;
                let class =
                    if d.severity == manifest::Severity::Error { "problem error" } else { "problem warning" };
                // The whole diagnostic: its hints ("did you mean `selector`?") are often the fix.
                let hints = d
                    .hints
                    .iter()
                    .map(|h| view! { <span class="problem-hint">{h.clone()}</span> })
                    .collect_view();
                let text = format!("{}:{line}:{col} {}: {}", d.file, d.severity.as_str(), d.message);
                view! {
                    <li class=class>
                        <button class="problem-link" on:click=move |_| {
                            active.set(file.clone());
                            select(&file, start, state);
                        }>{text}</button>
                        {hints}
                    </li>
                }
            })
            .collect_view();
        Some(items)
    };
    let count = move || state.diagnostics.with(|d| d.as_ref().map_or(0, Vec::len));
    let add_file = move |_| {
        let name = web_sys::window().and_then(|w| {
            w.prompt_with_message_and_default("Name the new file", "policy.yaml").ok().flatten()
        });
        if let Some(name) = name {
            match state.add_file(&name) {
                Ok(()) => {
                    let file = crate::sandbox::file_name(&name).unwrap_or_default();
                    active.set(file);
                }
                Err(e) => state.banner.set(Some(e)),
            }
        }
    };

    // An Ingress in the open file of a sandbox: its Gateway API objects, in a new file.
    let has_ingress = move || {
        state.in_sandbox()
            && state.files.with(|fs| {
                fs.iter().any(|f| {
                    f.name == active.get()
                        && (f.text.contains("kind: Ingress\n") || f.text.contains("\"kind\": \"Ingress\""))
                })
            })
    };
    let convert = move |_| crate::later::run(convert_later(state, active), state.banner);

    view! {
        <section class="panel" id="editor" aria-labelledby="editor-title">
            <div class="panel-head">
                <h2 id="editor-title">"Editor"</h2>
                <div class="panel-tools">
                    <button class="maximize" aria-label="Maximize the editor" aria-pressed=move || (wb.maximized.get() == Some(Region::Editor)).to_string() on:click=move |_| wb.toggle_max(Region::Editor)>"⤢"</button>
                </div>
            </div>
            <div class="panel-body editor-body">
                <Show
                    when=move || state.current.get().is_some()
                    fallback=|| view! {
                        <p class="empty-state">
                            "Your Service, Ingress and NetworkPolicy files open here, one tab each, with mistakes underlined as you type."
                        </p>
                    }
                >
                    <div class="tabs">
                        <div class="tab-list" role="tablist" aria-label="Files">{tabs}</div>
                        <Show when=move || state.in_sandbox()>
                            <button class="tab add-file" id="add-file" on:click=add_file>"+ file"</button>
                        </Show>
                        <Show when=has_ingress>
                            <button class="tab add-file" id="convert-ingress" title="Write the Gateway and HTTPRoutes that route as this file's Ingresses do, in a new file" on:click=convert>"Convert to Gateway API"</button>
                        </Show>
                    </div>
                </Show>
                <div class="editors" node_ref=host></div>
                <Show when=move || state.current.get().is_some()>
                    <p class="editor-keys" id=KEYS_ID>
                        "Tab indents, Shift+Tab dedents. To leave the editor: Esc, then Tab."
                    </p>
                    <section class="problems" aria-labelledby="problems-title">
                        <h3 id="problems-title">"Problems (" <span id="problem-count">{count}</span> ")"</h3>
                        <ul id="problems">{problems}</ul>
                    </section>
                </Show>
            </div>
        </section>
    }
}
