//! The Switchboard web app: a Leptos (client-side rendered) shell around the model.
//!
//! Components only wire signals to views; the networking rules live in `netsim`, the reading
//! of YAML in `manifest` and grading in `exercises`. This crate holds no networking rules.

pub mod address;
pub mod app;
pub mod boot;
pub mod components;
pub mod curriculum;
pub mod editor;
pub mod later;
pub mod markdown;
pub mod playback;
pub mod sandbox;
/// Share links live in `exercises` (native, so the fuzz target and CLI tests can use them).
pub use exercises::share;
pub mod store;
pub mod transfer;
pub mod workbench;

use leptos::prelude::*;

use address::current_hash;
use app::AppState;
use boot::Later;
use components::{dock_part, editor_part, picture_part, LessonPanel, Splitter, TitleBar};
use workbench::{Part, Workbench};

/// The whole app: a title bar over the four panels.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    let wb = Workbench::new();
    provide_context(wb);
    // Where to begin when the address names no exercise: the one the learner last worked on,
    // else the first.
    let fallback = move || wb.last.get_untracked().and_then(|h| state.find(&h)).unwrap_or((0, 0));
    if !current_hash().starts_with(share::PREFIX) {
        let named = state.find(&current_hash()).is_some();
        let start = if named {
            current_hash()
        } else {
            state.hash_of(fallback().0, fallback().1).unwrap_or_default()
        };
        state.prefetch(&start);
    }
    // The URL names the exercise; links and the back button work through hashchange.
    let follow = move || {
        let hash = current_hash();
        if hash.starts_with(share::PREFIX) {
            state.open_shared(&hash);
            return;
        }
        match state.find(&hash) {
            Some(at) => {
                wb.last.set(Some(hash));
                if state.current.get_untracked() != Some(at) {
                    state.open(at);
                }
            }
            None => state.banner.set(Some(unknown(&hash))),
        }
    };
    // The shell gives way once there is something to show: the open exercise graded, or why
    // it cannot be (web/src/boot.rs).
    Effect::new(move |_| {
        if state.grade.with(Option::is_some)
            || state.unavailable.with(Option::is_some)
            || state.banner.with(Option::is_some)
        {
            boot::reveal();
        }
    });
    let listener = window_event_listener_untyped("hashchange", move |_| follow());
    on_cleanup(move || listener.remove());
    // Open the exercise the URL names; with no address, the last one; an address that names
    // no exercise is said, and the last (or first) exercise opened instead. An address in a
    // course pack waits for the packs to be read; any other opens first.
    let start = move || {
        let hash = current_hash();
        if state.find(&hash).is_some() || hash.starts_with(share::PREFIX) {
            follow();
            return;
        }
        let at = fallback();
        if !matches!(hash.as_str(), "" | "#" | "#/") {
            state.banner.set(Some(unknown(&hash)));
        }
        if let Some(h) = state.hash_of(at.0, at.1) {
            wb.last.set(Some(h.clone()));
            // Replaces the address without a hashchange of its own.
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&h));
            }
            state.open(at);
        }
    };
    request_animation_frame(move || {
        let in_pack = |h: &str| h.trim_start_matches(['#', '/']).starts_with("pack-");
        let last = wb.last.get_untracked().unwrap_or_default();
        let hash = current_hash();
        if in_pack(&hash) || (matches!(hash.as_str(), "" | "#" | "#/") && in_pack(&last)) {
            state.with_packs(start);
        } else {
            start();
            state.with_packs(|| ());
        }
    });
    view! {
        <TitleBar />
        <Show when=move || state.banner.get().is_some()>
            <div class="banner" id="banner" role="alert">
                <span>{move || state.banner.get().unwrap_or_default()}</span>
                <button on:click=move |_| state.banner.set(None) aria-label="Dismiss">"×"</button>
            </div>
        </Show>
        <div class="notice" id="status" role="status" class:hidden=move || state.notice.with(Option::is_none)>
            {move || {
                state
                    .notice
                    .get()
                    .map(|n| {
                        let undo = (n.undo && state.undo.get().is_some())
                            .then(|| {
                                view! {
                                    <button id="status-undo" on:click=move |_| state.undo()>
                                        "Undo"
                                    </button>
                                }
                            });
                        view! {
                            <span id="status-text">{n.text}</span>
                            {undo}
                            <button on:click=move |_| state.notice.set(None) aria-label="Dismiss">"×"</button>
                        }
                    })
            }}
        </div>
        <main id="workspace" class=move || format!("workspace {}", wb.maximized.get().map(|r| r.class()).unwrap_or("")) style=move || {
            let s = wb.sizes.get();
            format!("--lesson-w: {:.1}%; --editor-w: {:.1}%; --picture-h: {:.1}%", s.lesson, s.editor, s.picture)
        }>
            <LessonPanel />
            <Splitter id="split-lesson" label="Resize the lesson" controls="lesson" container="workspace" across=true part=Part::Lesson />
            <Later load=editor_part id="editor" class="panel" title="Editor" waiting="Loading your files…" />
            <Splitter id="split-editor" label="Resize the editor" controls="editor" container="workspace" across=true part=Part::Editor />
            <div class="right-column" id="right-column">
                <Later load=picture_part id="topology" class="panel" title="Cluster" waiting="Drawing the cluster…" />
                <Splitter id="split-picture" label="Resize the picture" controls="topology" container="right-column" across=false part=Part::Picture />
                <Later load=dock_part id="dock" class="panel dock" title="Terminal and request details" waiting="Opening the terminal…" />
            </div>
        </main>
    }
}

/// What the learner is told of an address that names no exercise.
fn unknown(hash: &str) -> String {
    let shown: String = hash.chars().take(100).collect();
    format!("There is no exercise at {shown}: it may have been renamed or removed. Pick one from the list.")
}

/// Shows a crash to the learner: a banner with the message. Files are saved on every change,
/// so nothing typed is lost; a reload brings the work back.
pub fn panic_banner(message: &str) {
    boot::remove_shell();
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = doc.body() else { return };
    if let Ok(div) = doc.create_element("div") {
        div.set_id("panic-banner");
        div.set_class_name("banner panic");
        let _ = div.set_attribute("role", "alert");
        div.set_text_content(Some(&format!(
            "Switchboard hit a bug and stopped: {message}. Your files are saved in this browser: reload the page to carry on."
        )));
        let _ = body.prepend_with_node_1(&div);
    }
}

/// Installs the panic hook (console message and a banner for the learner) and mounts the app.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".into());
        panic_banner(&message);
    }));
    app::mark("switchboard-start");
    boot::capture();
    leptos::mount::mount_to_body(App);
}
