//! Runs in headless Chromium through wasm-bindgen-test-runner (without the editor bundle, so
//! the editor falls back to plain text areas).

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn frames(n: u32) {
    for _ in 0..n {
        gloo::timers::future::TimeoutFuture::new(20).await;
    }
}

/// The first exercise of the curriculum: the app opens it when the URL names none. The test
/// runner does not serve the site's exercise files, so it is given to the app directly.
const FIRST_PATH: &str = "01-why-services/00-first-service.yaml";
const FIRST: &str = include_str!("../../exercises/01-why-services/00-first-service.yaml");

fn mount() -> (web_sys::HtmlElement, impl Drop) {
    web::curriculum::provide(FIRST_PATH, FIRST);
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let host: web_sys::HtmlElement = host.unchecked_into();
    let handle = leptos::mount::mount_to(host.clone(), web::App);
    (host, handle)
}

#[wasm_bindgen_test]
async fn app_renders_four_panels_and_opens_the_first_exercise() {
    web::store::clear().unwrap();
    let (host, handle) = mount();
    for id in ["lesson", "editor", "topology", "terminal"] {
        assert!(host.query_selector(&format!("section#{id}")).unwrap().is_some(), "panel {id} missing");
    }
    let empty = host.query_selector("#topology .empty-state").unwrap().expect("empty state");
    assert!(!empty.text_content().unwrap_or_default().is_empty(), "the picture says what will appear");
    frames(5).await;
    let title = host.query_selector("#exercise-title").unwrap().expect("an exercise opened");
    assert!(!title.text_content().unwrap_or_default().is_empty());
    let checks = host.query_selector_all("#checks li").unwrap();
    assert!(checks.length() > 0, "the checks are listed");
    assert!(host.query_selector("#checks li.fail").unwrap().is_some(), "the start fails a check");
    drop(handle);
}

#[wasm_bindgen_test]
async fn typing_the_solution_turns_every_check_green() {
    web::store::clear().unwrap();
    let (host, handle) = mount();
    frames(5).await;
    let ex = &exercises::load(FIRST_PATH, FIRST).exercise.expect("the first exercise loads");
    assert_eq!(web::curriculum::EXERCISES[0].path, FIRST_PATH, "the first exercise");
    for f in &ex.solution {
        let pane = host
            .query_selector(&format!(".editor-pane[data-file='{}'] textarea", f.name))
            .unwrap()
            .expect("editor");
        let area: web_sys::HtmlTextAreaElement = pane.unchecked_into();
        area.set_value(&f.text);
        area.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    }
    frames(5).await;
    assert!(host.query_selector("#checks li.fail").unwrap().is_none(), "every check passes");
    assert!(host.query_selector("#success").unwrap().is_some(), "the success state shows");
    assert_eq!(
        web::store::load_file(&ex.id, &ex.solution[0].name).as_deref(),
        Some(ex.solution[0].text.as_str())
    );
    drop(handle);
    web::store::clear().unwrap();
}

#[wasm_bindgen_test]
fn progress_exports_and_imports() {
    web::store::clear().unwrap();
    web::store::save_file("first-service", "service.yaml", "kind: Service\n").unwrap();
    let mut p = web::store::Progress::default();
    p.solved.insert("first-service".into());
    web::store::save_progress(&p).unwrap();
    let exported = web::store::export().unwrap();
    web::store::clear().unwrap();
    assert_eq!(web::store::load_file("first-service", "service.yaml"), None);
    assert!(web::transfer::parse("{\"format\":\"other\"}").is_err());
    assert!(exported.contains(web::transfer::FORMAT_V2), "{exported}");
    let doc = web::transfer::parse(&exported).unwrap();
    assert!(doc.changed.contains_key("first-service/service.yaml"), "the time of the change is exported");
    web::store::write(&doc).unwrap();
    assert_eq!(web::store::load_file("first-service", "service.yaml").as_deref(), Some("kind: Service\n"));
    assert!(web::store::load_progress().solved.contains("first-service"));
    web::store::clear().unwrap();
}

#[wasm_bindgen_test]
fn a_panic_shows_a_banner_with_its_message() {
    web::panic_banner("index out of bounds");
    let document = web_sys::window().unwrap().document().unwrap();
    let banner = document.get_element_by_id("panic-banner").expect("a banner");
    let text = banner.text_content().unwrap_or_default();
    assert!(text.contains("index out of bounds") && text.contains("Your files are saved"), "{text}");
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    banner.remove();
}

#[wasm_bindgen_test]
async fn the_terminal_answers_kubectl() {
    web::store::clear().unwrap();
    let (host, handle) = mount();
    frames(5).await;
    let input: web_sys::HtmlInputElement =
        host.query_selector("#terminal-input").unwrap().expect("prompt").unchecked_into();
    input.set_value("kubectl get svc");
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Enter");
    let enter = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    input.dispatch_event(&enter).unwrap();
    frames(2).await;
    let out = host.query_selector("#terminal-output").unwrap().unwrap().text_content().unwrap_or_default();
    assert!(
        out.contains("$ kubectl get svc") && out.contains("CLUSTER-IP") && out.contains("kubernetes"),
        "{out}"
    );
    drop(handle);
}
