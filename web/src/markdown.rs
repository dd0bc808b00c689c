//! Stories are Markdown from exercise files, which are untrusted. They are rendered by marked
//! in the script bundle (web/editor/markdown.js, `window.SwitchboardMarkdown`): raw HTML is
//! shown as text, and DOMPurify cleans the result to an allowlist of elements, each with its
//! own attributes, with links and images kept only to http(s), relative and fragment
//! addresses. This module is the only caller.
//!
//! Until stop 16 the wasm carried pulldown-cmark for this: 68 KB of the gzipped wasm (its
//! parser, its HTML entity table and case-folding tables: 614,602 -> 546,163 bytes), against
//! 16 KB more in the bundle for marked (130,320 -> 146,452), which leaves entities to the
//! browser's own HTML parser. The two agree on every story of the curriculum
//! (web/tests/markdown.rs).

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
    if available() {
        if let Ok(html) = render_js(markdown) {
            return html;
        }
    }
    format!("<p class=\"plain\">{}</p>", escape(markdown))
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
