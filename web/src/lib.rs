//! The Switchboard web app: a Leptos (client-side rendered) shell around the model.
//!
//! Components only wire signals to views; the networking rules live in `netsim`, the reading
//! of YAML in `manifest` and grading in `exercises`. This crate holds no networking rules.

pub mod app;
pub mod components;
pub mod curriculum;
pub mod editor;
pub mod markdown;
pub mod playback;
pub mod sandbox;
/// Share links live in `exercises` (native, so the fuzz target and CLI tests can use them).
pub use exercises::share;
pub mod store;
pub mod transfer;
pub mod workbench;

use leptos::prelude::*;

use app::AppState;
use components::{Dock, EditorPanel, LessonPanel, Splitter, TitleBar, TopologyPanel};
use workbench::{Sizes, Workbench, EDITOR, LESSON, PICTURE};

/// Navigates to `#/chapter/exercise` (the hashchange listener opens it).
pub fn set_hash(hash: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(hash);
    }
}

fn current_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// The whole app: a title bar over the four panels.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    let wb = Workbench::new();
    provide_context(wb);
    if !current_hash().starts_with(share::PREFIX) {
        state.prefetch(&current_hash());
    }
    // The URL names the exercise; links and the back button work through hashchange.
    let follow = move || {
        let hash = current_hash();
        if hash.starts_with(share::PREFIX) {
            state.open_shared(&hash);
            return;
        }
        match state.find(&hash) {
            Some(at) if state.current.get_untracked() != Some(at) => state.open(at),
            Some(_) => {}
            None if state.current.get_untracked().is_none() && !hash.is_empty() => {
                state.banner.set(Some(format!("there is no exercise at {hash}")));
            }
            None => {}
        }
    };
    let listener = window_event_listener_untyped("hashchange", move |_| follow());
    on_cleanup(move || listener.remove());
    // Open the exercise the URL names; else the first one.
    request_animation_frame(move || {
        if state.find(&current_hash()).is_some() || current_hash().starts_with(share::PREFIX) {
            follow();
        } else if let Some(hash) = state.hash_of(0, 0) {
            set_hash(&hash);
            state.open((0, 0));
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
            <Splitter
                id="split-lesson" label="Resize the lesson" controls="lesson" container="workspace" across=true
                value=Signal::derive(move || wb.sizes.get().lesson) before=0.0
                min=LESSON.0 max=LESSON.1
                set=Callback::new(move |v| wb.sizes.update(|s| *s = Sizes { lesson: v, ..*s }.clamped()))
            />
            <EditorPanel />
            <Splitter
                id="split-editor" label="Resize the editor" controls="editor" container="workspace" across=true
                value=Signal::derive(move || wb.sizes.get().editor) before=Signal::derive(move || wb.sizes.get().lesson)
                min=EDITOR.0 max=EDITOR.1
                set=Callback::new(move |v| wb.sizes.update(|s| *s = Sizes { editor: v, ..*s }.clamped()))
            />
            <div class="right-column" id="right-column">
                <TopologyPanel />
                <Splitter
                    id="split-picture" label="Resize the picture" controls="topology" container="right-column" across=false
                    value=Signal::derive(move || wb.sizes.get().picture) before=0.0
                    min=PICTURE.0 max=PICTURE.1
                    set=Callback::new(move |v| wb.sizes.update(|s| *s = Sizes { picture: v, ..*s }.clamped()))
                />
                <Dock />
            </div>
        </main>
    }
}

/// Shows a crash to the learner: a banner with the message. Files are saved on every change,
/// so nothing typed is lost; a reload brings the work back.
pub fn panic_banner(message: &str) {
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
    leptos::mount::mount_to_body(App);
}
