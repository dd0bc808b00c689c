//! Stories are Markdown from exercise files, which are untrusted. They are rendered by marked
//! in the script bundle (web/editor/markdown.js, `window.SwitchboardMarkdown`): raw HTML is
//! shown as text, and DOMPurify cleans the result to an allowlist of elements, each with its
//! own attributes, with links and images kept only to http(s), relative and fragment
//! addresses. This module is the only caller. marked and pulldown-cmark (a CommonMark
//! reference implementation) agree on every story of the curriculum (web/tests/markdown.rs).
//!
//! The bundle loads after the first grade (web/src/boot.rs); until then a text is shown as
//! the page's shell rendered it at build time, when it holds it, else as escaped text, and
//! drawn again when the bundle arrives.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = SwitchboardMarkdown, js_name = render, catch)]
    fn render_js(markdown: &str) -> Result<String, JsValue>;
}

/// Whether the script bundle loaded (it is a separate script; a test page may lack it).
fn available() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("SwitchboardMarkdown")).ok())
        .is_some_and(|v| !v.is_undefined())
}

/// HTML for a Markdown text, safe to set as `innerHTML`. Without the script bundle, the text
/// itself, escaped, with its line breaks kept.
pub fn to_html(markdown: &str) -> String {
    if crate::boot::bundle_ready() && available() {
        if let Ok(html) = render_js(markdown) {
            return html;
        }
    }
    format!("<p class=\"plain\">{}</p>", escape(markdown))
}

/// As `to_html`, but before the bundle has loaded, the shell's rendering of the same text
/// under `key` (`story:<exercise id>`, `chapter:<chapter id>`) when the page holds one.
pub fn to_html_keyed(key: &str, markdown: &str) -> String {
    if !crate::boot::bundle_ready() {
        if let Some(html) = crate::boot::prerendered(key) {
            return html;
        }
    }
    to_html(markdown)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}
