//! Typing YAML in the editor with real key events in headless Chromium: Enter indents as a YAML
//! author expects (web/editor/yaml-keys.js), Backspace in leading spaces removes one level, Tab
//! and Shift+Tab indent and dedent, Esc then Tab leaves the editor (no keyboard trap, said in
//! the editor's description), the focus ring shows, and a paste keeps its relative indentation.

use std::time::Duration;

use e2e::{active_editor, dist_dir, text_of, until, Browser, StaticServer};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};

const FIRST: &str = "#/01-why-services/first-service";

/// Typing, then the document. In the keys `⏎` is Enter, `⌫` Backspace, `⇥` Tab, `⇤` Shift+Tab;
/// in the documents `·` marks a space that ends a line.
const TYPING: [(&str, &str, &str); 13] = [
    ("Enter after a key opens a block two spaces deeper", "spec:⏎x", "spec:\n  x"),
    (
        "a trailing comment and spaces after the colon change nothing",
        "spec:  # the desired state⏎x",
        "spec:  # the desired state\n  x",
    ),
    (
        "Enter after a key and a value keeps the line's indentation",
        "metadata:⏎name: web⏎x",
        "metadata:\n  name: web\n  x",
    ),
    (
        "Enter after `- port: 80` aligns with `port`, for the item's next field",
        "spec:⏎ports:⏎- port: 80⏎targetPort: 8080",
        "spec:\n  ports:\n    - port: 80\n      targetPort: 8080",
    ),
    (
        "Enter after `- key:` opens a block under the key",
        "from:⏎- podSelector:⏎x",
        "from:\n  - podSelector:\n      x",
    ),
    ("Enter after an item without a key continues the list", "args:⏎- a⏎b", "args:\n  - a\n  - b"),
    ("Enter on an empty item ends the list", "args:⏎- a⏎⏎x", "args:\n  - a\n  x"),
    ("Enter after a block scalar's `|` indents its text", "script: |⏎echo", "script: |\n  echo"),
    ("Enter on a blank line keeps the indentation and clears the line", "spec:⏎⏎x", "spec:\n\n  x"),
    (
        "Backspace in leading spaces removes one level (two spaces)",
        "spec:⏎selector:⏎⌫x",
        "spec:\n  selector:\n  x",
    ),
    ("Backspace after a key's indentation goes back to the margin", "spec:⏎⌫x", "spec:\nx"),
    ("Tab indents the line by two spaces", "name: web⇥", "  name: web"),
    ("Shift+Tab dedents the line by two spaces", "spec:⏎name: web⇤", "spec:\nname: web"),
];

/// The key events for `keys` (see [`TYPING`]).
fn key_events(keys: &str) -> String {
    let key = |k: Key| char::from(k).to_string();
    keys.chars()
        .map(|c| match c {
            '⏎' => key(Key::Enter),
            '⌫' => key(Key::Backspace),
            '⇥' => key(Key::Tab),
            // A modifier stays down until it is sent again.
            '⇤' => [key(Key::Shift), key(Key::Tab), key(Key::Shift)].concat(),
            c => c.to_string(),
        })
        .collect()
}

/// The active editor's document, line by line as CodeMirror draws it (a short document is
/// drawn whole), with `·` for spaces at the end of a line.
async fn document(client: &Client) -> String {
    let text = client
        .execute(
            "return Array.from(document.querySelectorAll('.editor-pane.active .cm-line'), l => l.textContent).join('\\n');",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    text.split('\n')
        .map(|l| {
            let trimmed = l.trim_end_matches(' ');
            format!("{trimmed}{}", "·".repeat(l.len() - trimmed.len()))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether the focus is inside the active editor.
async fn focus_in_editor(client: &Client) -> bool {
    let script = "return !!(document.activeElement && document.activeElement.closest('.editor-pane.active .cm-editor'));";
    client.execute(script, vec![]).await.ok().and_then(|v| v.as_bool()).unwrap_or(false)
}

/// Opens the first exercise and returns its editor, focused and emptied.
async fn open_editor(client: &Client, server: &StaticServer) -> Element {
    client.goto(&format!("{}{FIRST}", server.url())).await.expect("load the site");
    let editor = active_editor(client).await;
    editor.click().await.expect("focus the editor");
    clear(&editor).await;
    editor
}

async fn clear(editor: &Element) {
    editor.send_keys(&(Key::Control + "a")).await.expect("select all");
    editor.send_keys(&char::from(Key::Delete).to_string()).await.expect("delete");
}

#[tokio::test]
async fn typing_yaml_indents_as_an_author_expects() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("editor-typing").await;
    let client = browser.client.clone();
    let editor = open_editor(&client, &server).await;
    let mut wrong = Vec::new();
    for (name, keys, expected) in TYPING {
        clear(&editor).await;
        editor.send_keys(&key_events(keys)).await.expect("type");
        let got = document(&client).await;
        if got != expected {
            wrong.push(format!("{name}: typing {keys:?} gives {got:?}, expected {expected:?}"));
        }
    }
    // Tab on a selection of several lines indents each of them.
    clear(&editor).await;
    editor.send_keys(&key_events("a:⏎b: 1")).await.expect("type");
    editor.send_keys(&(Key::Control + "a")).await.expect("select all");
    editor.send_keys(&key_events("⇥")).await.expect("tab");
    let got = document(&client).await;
    if got != "  a:\n    b: 1" {
        wrong.push(format!("Tab on two selected lines gives {got:?}"));
    }
    browser.close().await;
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn esc_then_tab_leaves_the_editor_which_says_so_and_shows_its_focus() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("editor-focus").await;
    let client = browser.client.clone();
    let editor = open_editor(&client, &server).await;

    // The way out is in the editor's description, and visible under it.
    let described = editor.attr("aria-describedby").await.expect("attribute").unwrap_or_default();
    let description = text_of(&client, &format!("#{described}")).await;
    assert!(description.contains("Esc, then Tab"), "aria-describedby={described:?}: {description:?}");

    // A 2px solid ring while the focus is inside.
    let ring = "const s = getComputedStyle(document.querySelector('.editor-pane.active .cm-editor')); return s.outlineStyle + ' ' + s.outlineWidth;";
    let focused = client.execute(ring, vec![]).await.expect("style");
    assert_eq!(focused.as_str(), Some("solid 2px"), "the focus ring");

    // Tab alone indents and stays; Esc then Tab moves on.
    editor.send_keys(&key_events("x⇥")).await.expect("tab");
    assert!(focus_in_editor(&client).await, "Tab stays in the editor");
    assert_eq!(document(&client).await, "  x", "Tab indented");
    editor.send_keys(&char::from(Key::Escape).to_string()).await.expect("escape");
    let active = client.active_element().await.expect("the focus");
    active.send_keys(&char::from(Key::Tab).to_string()).await.expect("tab");
    let left = until(Duration::from_secs(2), || async { !focus_in_editor(&client).await }).await;
    assert!(left, "Esc then Tab moves the focus out of the editor");
    assert_eq!(document(&client).await, "  x", "the Tab that left did not indent");
    let unfocused = client.execute(ring, vec![]).await.expect("style");
    assert_ne!(unfocused.as_str(), Some("solid 2px"), "the ring goes with the focus");
    browser.close().await;
}

#[tokio::test]
async fn a_paste_keeps_its_relative_indentation_at_the_cursor() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("editor-paste").await;
    let client = browser.client.clone();
    let editor = open_editor(&client, &server).await;
    editor.send_keys(&key_events("spec:⏎ports:⏎")).await.expect("type");

    // Copy a block of two items, indented by 8 as in a deeper file, from a text box with the
    // real clipboard (Ctrl+C, Ctrl+V).
    let block = "        - port: 80\n          targetPort: 8080\n        - port: 443\n";
    let script = "const t = document.createElement('textarea'); t.id = 'clip'; t.value = arguments[0]; \
                  document.body.append(t); t.focus(); t.select(); return 0;";
    client.execute(script, vec![serde_json::json!(block)]).await.expect("a text box");
    let source = client.find(Locator::Id("clip")).await.expect("the text box");
    source.send_keys(&(Key::Control + "c")).await.expect("copy");
    client.execute("document.getElementById('clip').remove(); return 0;", vec![]).await.expect("remove");
    editor.click().await.expect("back to the editor");
    editor.send_keys(&(Key::Control + &char::from(Key::End).to_string())).await.expect("to the end");
    editor.send_keys(&(Key::Control + "v")).await.expect("paste");
    let expected = "spec:\n  ports:\n    - port: 80\n      targetPort: 8080\n    - port: 443\n";
    let pasted = until(Duration::from_secs(2), || async { document(&client).await == expected }).await;
    assert!(pasted, "the pasted block sits at the cursor's column: {:?}", document(&client).await);
    browser.close().await;
}
