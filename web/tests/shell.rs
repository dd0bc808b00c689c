//! Runs in headless Chromium through wasm-bindgen-test-runner.

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn app_renders_four_panels_with_empty_states() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let host: web_sys::HtmlElement = host.unchecked_into();
    let handle = leptos::mount::mount_to(host.clone(), web::App);
    for id in ["lesson", "editor", "topology", "terminal"] {
        let panel = host.query_selector(&format!("section#{id}")).unwrap();
        let panel = panel.unwrap_or_else(|| panic!("panel {id} missing"));
        let empty = panel.query_selector(".empty-state").unwrap().expect("empty state");
        assert!(!empty.text_content().unwrap_or_default().is_empty(), "{id} says what will appear");
    }
    drop(handle);
}
