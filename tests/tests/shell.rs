//! The built site, loaded in headless Chromium: the shell renders with no console errors, and
//! the terminal follows the exercise without trapping the keyboard.

use std::time::Duration;

use e2e::{console_errors, dist_dir, text_of, until, Browser, StaticServer};
use fantoccini::key::Key;
use fantoccini::Locator;

#[tokio::test]
async fn the_shell_renders_four_panels_without_console_errors() {
    let dist = dist_dir();
    assert!(dist.join("index.html").exists(), "no build at {}: run `cargo xtask dist` first", dist.display());
    let server = StaticServer::start(dist).expect("static server");
    let browser = Browser::start("profile").await;
    let client = browser.client.clone();

    client.goto(&server.url()).await.expect("load the site");
    let panels = ["lesson", "editor", "topology", "terminal"];
    for id in panels {
        let panel = client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(&format!("section#{id}")))
            .await
            .unwrap_or_else(|e| panic!("panel #{id} did not render: {e}"));
        let text = panel.text().await.expect("panel text");
        assert!(text.len() > 20, "panel #{id} shows its empty state, got {text:?}");
    }
    let title = client.find(Locator::Css("header.title-bar h1")).await.expect("title bar");
    assert_eq!(title.text().await.expect("title"), "Switchboard");

    let errors = console_errors(&client).await;
    browser.close().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}

/// The id of the focused element ("" for none or the body).
async fn focused(client: &fantoccini::Client) -> String {
    let v = client.execute("return document.activeElement ? document.activeElement.id : '';", vec![]).await;
    v.ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

/// The terminal follows the exercise: in a NetworkPolicy exercise set in namespace `radio` it
/// starts there, so `kubectl get endpoints` lists the exercise's Services, and its tables do
/// not wrap. The keyboard is never trapped in it (WCAG 2.1.2): Tab on an empty prompt moves
/// on, Tab with text completes, Esc leaves. The composer starts from the checks' client pod.
#[tokio::test]
async fn the_terminal_follows_the_exercise_and_lets_the_keyboard_go() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("terminal").await;
    let client = browser.client.clone();
    let wait = Duration::from_secs(30);
    client
        .goto(&format!("{}#/09-network-policy/np-isolate-the-playout-server", server.url()))
        .await
        .expect("load");
    let intro =
        until(wait, || async { text_of(&client, "#terminal-output").await.contains("namespace radio") })
            .await;
    assert!(intro, "the first line names the namespace: {}", text_of(&client, "#terminal-output").await);
    let first = text_of(&client, "#terminal-output").await;
    assert!(first.contains("kubectl get endpoints") && first.contains("curl http://playout:80"), "{first}");

    let input = client.find(Locator::Css("#terminal-input")).await.expect("prompt");
    input.click().await.expect("focus the prompt");
    input.send_keys(&format!("kubectl get endpoints{}", char::from(Key::Enter))).await.expect("type");
    let answered = until(Duration::from_secs(5), || async {
        let out = text_of(&client, "#terminal-output").await;
        out.contains("$ kubectl get endpoints") && out.lines().any(|l| l.starts_with("playout "))
    })
    .await;
    assert!(answered, "the exercise's Service is listed: {}", text_of(&client, "#terminal-output").await);
    let white_space = client
        .execute(
            "return getComputedStyle(document.querySelector('#terminal-output pre')).whiteSpace;",
            vec![],
        )
        .await
        .expect("style");
    assert_eq!(white_space.as_str(), Some("pre"), "tables never wrap");

    // Tab with text completes and keeps the focus.
    input.send_keys(&format!("kubectl desc{}", char::from(Key::Tab))).await.expect("complete");
    assert_eq!(focused(&client).await, "terminal-input");
    assert_eq!(input.prop("value").await.expect("value").as_deref(), Some("kubectl describe "));
    // Esc leaves the prompt, text or not.
    input.send_keys(&char::from(Key::Escape).to_string()).await.expect("escape");
    assert_ne!(focused(&client).await, "terminal-input", "Esc releases the terminal");
    // Tab on an empty prompt moves the focus on.
    // (WebDriver's clear takes the focus away: clear first.)
    input.clear().await.expect("empty the prompt");
    input.click().await.expect("focus again");
    assert_eq!(focused(&client).await, "terminal-input");
    input.send_keys(&char::from(Key::Tab).to_string()).await.expect("tab");
    assert_ne!(focused(&client).await, "terminal-input", "Tab on an empty prompt moves on");

    let from = client
        .execute("return document.querySelector('#composer-from').value;", vec![])
        .await
        .expect("composer");
    assert!(
        from.as_str().is_some_and(|f| f.starts_with("pod/radio/scheduler-")),
        "composer starts from {from}"
    );
    let errors = console_errors(&client).await;
    browser.close().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}
