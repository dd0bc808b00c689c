//! The first second: the page's shell (index.html) is painted before the wasm arrives, with
//! the first lesson on a first visit; the app draws itself under it and takes its place once
//! the open exercise is graded. Only then is the script bundle (CodeMirror and the Markdown
//! renderer, `editor.js`) loaded, so that it never competes with the wasm for a slow network:
//! until it arrives, files are edited in plain text areas and Markdown shows as the shell
//! rendered it at build time (or as escaped text).

use std::cell::RefCell;
use std::collections::BTreeMap;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The bundle's file, next to index.html.
const BUNDLE: &str = "editor.js";

thread_local! {
    /// Whether the script bundle has run (`window.SwitchboardEditor` and
    /// `window.SwitchboardMarkdown` are in place). Reference-counted, not owned by the
    /// component that first reads it, so it outlives every view.
    static READY: ArcRwSignal<bool> = ArcRwSignal::new(false);
    /// Whether the shell has given way to the app (the first grade, or why there is none).
    static REVEALED: ArcRwSignal<bool> = ArcRwSignal::new(false);
    /// The shell's Markdown, rendered at build time, by key (`story:<exercise id>`,
    /// `chapter:<chapter id>`).
    static PRERENDERED: RefCell<BTreeMap<String, String>> = const { RefCell::new(BTreeMap::new()) };
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Whether the script bundle has loaded (tracked: a view that reads it is drawn again when
/// it arrives).
pub fn bundle_ready() -> bool {
    READY.with(|r| r.get()) || present()
}

fn present() -> bool {
    let Some(w) = web_sys::window() else { return false };
    js_sys::Reflect::get(&w, &JsValue::from_str("SwitchboardEditor")).is_ok_and(|v| !v.is_undefined())
}

/// The HTML the shell holds for `key`, rendered at build time from the same Markdown.
pub fn prerendered(key: &str) -> Option<String> {
    PRERENDERED.with(|p| p.borrow().get(key).cloned())
}

/// Keeps the shell's pre-rendered Markdown, before the shell goes.
pub fn capture() {
    let Some(list) = document().and_then(|d| d.query_selector_all("#shell [data-prerendered]").ok()) else {
        return;
    };
    PRERENDERED.with(|p| {
        let mut p = p.borrow_mut();
        for i in 0..list.length() {
            let Some(el) = list.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
            if let Some(key) = el.get_attribute("data-prerendered") {
                p.insert(key, el.inner_html());
            }
        }
    });
}

/// Whether the shell has given way (tracked): the parts of the app that wait for the first
/// grade (`crate::later`) start loading then.
pub fn revealed() -> bool {
    REVEALED.with(|r| r.get())
}

/// Removes the shell and shows the app (idempotent), then loads the script bundle and the
/// parts that wait for it.
pub fn reveal() {
    remove_shell();
    REVEALED.with(|r| {
        if !r.get_untracked() {
            r.set(true);
        }
    });
    if let Some(doc) = document() {
        load_bundle(&doc);
    }
}

/// Removes the shell, showing what the app has drawn (DOM calls only: the panic hook uses it).
pub fn remove_shell() {
    let Some(doc) = document() else { return };
    if let Some(shell) = doc.get_element_by_id("shell") {
        shell.remove();
        crate::app::mark("switchboard-revealed");
    }
    if let Some(root) = doc.document_element() {
        let _ = root.class_list().remove_1("booting");
    }
}

fn load_bundle(doc: &web_sys::Document) {
    if present() {
        // Set once: each set would notify, and the editors would be built again at each grade.
        READY.with(|r| {
            if !r.get_untracked() {
                r.set(true);
            }
        });
        return;
    }
    if doc.get_element_by_id("script-bundle").is_some() {
        return;
    }
    let Ok(script) = doc.create_element("script") else { return };
    script.set_id("script-bundle");
    let _ = script.set_attribute("src", BUNDLE);
    let on_load = Closure::once_into_js(|| {
        crate::app::mark("switchboard-bundle");
        READY.with(|r| r.set(true));
    });
    let _ = script.add_event_listener_with_callback("load", on_load.unchecked_ref());
    if let Some(head) = doc.head() {
        let _ = head.append_child(&script);
    }
}

/// The panel `load` brings, once the shell has given way (the first grade); until it has
/// arrived, an empty panel of the same place (`id`, `class`) titled `title` that says
/// `waiting`, and if its module could not be fetched, why, with "Try again".
#[component]
pub fn Later<F, Fut>(
    load: F,
    id: &'static str,
    class: &'static str,
    title: &'static str,
    waiting: &'static str,
) -> impl IntoView
where
    F: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<AnyView, crate::later::Unavailable>> + 'static,
{
    // Counts "Try again" after a module could not be fetched: each count loads it anew.
    let again = RwSignal::new(0u32);
    let frame = move |body: AnyView, busy: bool| {
        view! {
            <section class=class id=id aria-label=title aria-busy=busy.to_string()>
                <div class="panel-head"><h2>{title}</h2></div>
                <div class="panel-body">{body}</div>
            </section>
        }
        .into_any()
    };
    let waiting = move || frame(view! { <p class="empty-state">{waiting}</p> }.into_any(), true);
    move || {
        again.track();
        if revealed() {
            let failed = move |why| frame(crate::later::said(why, Some(again)), false);
            view! { <Suspense fallback=waiting>{crate::later::arriving(load(), failed)}</Suspense> }
                .into_any()
        } else {
            waiting()
        }
    }
}
