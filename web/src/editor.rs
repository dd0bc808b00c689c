//! The only module that talks to the editor: CodeMirror 6, bundled from npm packages into
//! `editor.js` (web/editor/editor.js), which puts `window.SwitchboardEditor` in place.
//! Positions crossing this boundary are converted between Rust byte offsets and the
//! editor's UTF-16 offsets here, and nowhere else.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = SwitchboardEditor, js_name = create)]
    fn create_js(
        parent: &web_sys::Element,
        doc: &str,
        read_only: bool,
        label: &str,
        described_by: &str,
        on_change: &js_sys::Function,
    ) -> JsValue;
}

/// Whether the editor bundle loaded (it is a separate script; a test page may lack it).
pub fn available() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("SwitchboardEditor")).ok())
        .is_some_and(|v| !v.is_undefined())
}

/// A diagnostic in the editor's terms.
pub struct Mark {
    /// Byte range in the text.
    pub start: usize,
    pub end: usize,
    pub warning: bool,
    pub message: String,
}

/// One CodeMirror editor. Dropping the handle destroys the view.
pub struct Editor {
    handle: JsValue,
    _on_change: Closure<dyn FnMut(String)>,
}

fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Option<JsValue> {
    let f: js_sys::Function =
        js_sys::Reflect::get(target, &JsValue::from_str(method)).ok()?.dyn_into().ok()?;
    let list = js_sys::Array::new();
    for a in args {
        list.push(a);
    }
    f.apply(target, &list).ok()
}

/// Byte offset -> UTF-16 offset in `text` (clamped to the text).
pub fn utf16_offset(text: &str, byte: usize) -> usize {
    let mut b = byte.min(text.len());
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    text[..b].encode_utf16().count()
}

impl Editor {
    /// Creates an editor in `parent`, labelled `label` and described by the element with the
    /// id `described_by`; `on_change` gets the whole text after every change.
    pub fn new(
        parent: &web_sys::Element,
        text: &str,
        read_only: bool,
        label: &str,
        described_by: &str,
        on_change: impl FnMut(String) + 'static,
    ) -> Option<Editor> {
        if !available() {
            return None;
        }
        let closure = Closure::<dyn FnMut(String)>::new(on_change);
        let handle =
            create_js(parent, text, read_only, label, described_by, closure.as_ref().unchecked_ref());
        (!handle.is_undefined() && !handle.is_null()).then_some(Editor { handle, _on_change: closure })
    }

    pub fn text(&self) -> String {
        call(&self.handle, "text", &[]).and_then(|v| v.as_string()).unwrap_or_default()
    }

    /// Replaces the whole text (reset, show solution, import).
    pub fn set_text(&self, text: &str) {
        call(&self.handle, "setText", &[JsValue::from_str(text)]);
    }

    /// Shows diagnostics; `text` is the document they were computed for.
    pub fn set_marks(&self, text: &str, marks: &[Mark]) {
        let index = manifest::LineIndex::new(text);
        let list = js_sys::Array::new();
        for m in marks {
            let o = js_sys::Object::new();
            let set = |k: &str, v: JsValue| {
                let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), &v);
            };
            set("from", JsValue::from_f64(index.utf16(m.start) as f64));
            set("to", JsValue::from_f64(index.utf16(m.end.max(m.start)) as f64));
            set("severity", JsValue::from_str(if m.warning { "warning" } else { "error" }));
            set("message", JsValue::from_str(&m.message));
            list.push(&o);
        }
        call(&self.handle, "setDiagnostics", &[list.into()]);
    }

    /// Puts the cursor at a byte offset of `text` and focuses the editor.
    pub fn select(&self, text: &str, byte: usize) {
        call(&self.handle, "select", &[JsValue::from_f64(utf16_offset(text, byte) as f64)]);
    }
}

impl Drop for Editor {
    fn drop(&mut self) {
        call(&self.handle, "destroy", &[]);
    }
}
