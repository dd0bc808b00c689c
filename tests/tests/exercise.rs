//! A learner's session on the built site, in headless Chromium with real key events: open
//! the first exercise, type the solution into the editor, watch the checks turn green, make a
//! syntax error and see it flagged at its line, reload and find the work restored, export the
//! progress, clear the browser's storage, import it back.

use std::time::{Duration, Instant};

use e2e::{console_errors, dist_dir, text_of, Browser, StaticServer};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};

/// The first exercise of the curriculum (exercises/01-why-services/00-first-service.yaml),
/// its solution written as JSON, which is YAML too and types without auto-indentation.
const FIRST: &str = "#/01-why-services/first-service";
const TITLE: &str = "Give the web pods a stable address";
const SOLUTION: &str = r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]}}"#;

/// [`e2e::until`], with the time it took when the probe held.
async fn until<F, Fut>(limit: Duration, probe: F) -> Option<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    e2e::until(limit, probe).await.then(|| start.elapsed())
}

async fn failing_checks(client: &Client) -> usize {
    client.find_all(Locator::Css("#checks li.fail")).await.map(|v| v.len()).unwrap_or(usize::MAX)
}

async fn editor_text(client: &Client) -> String {
    text_of(client, ".editor-pane.active .cm-content").await
}

#[tokio::test]
async fn a_learner_solves_the_first_exercise_and_keeps_the_work() {
    let dist = dist_dir();
    assert!(dist.join("index.html").exists(), "no build at {}: run `cargo xtask dist` first", dist.display());
    let server = StaticServer::start(dist).expect("static server");
    let browser = Browser::start("profile").await;
    let client = browser.client.clone();
    let wait = Duration::from_secs(30);

    // The site opens the first exercise and names it in the URL.
    client.goto(&server.url()).await.expect("load the site");
    let opened = until(wait, || async { text_of(&client, "#exercise-title").await == TITLE }).await;
    assert!(opened.is_some(), "the first exercise did not open");
    let url = client.current_url().await.expect("url");
    assert_eq!(url.fragment(), Some(&FIRST[1..]), "the URL names the exercise");
    assert!(text_of(&client, "#lesson-story .story").await.contains("keeps working"), "the story is shown");
    assert_eq!(
        text_of(&client, "#lesson-story .story p code").await,
        "web",
        "the story is rendered from Markdown by the script bundle, not shown as plain text"
    );
    assert!(failing_checks(&client).await > 0, "the starting file fails a check");
    // The picture shows the Service without endpoints.
    let no_endpoints = until(wait, || async {
        client.find(Locator::Css("#cluster-picture g.svc.bad[data-id='svc/default/web']")).await.is_ok()
    })
    .await;
    assert!(no_endpoints.is_some(), "the picture marks the Service that has no endpoints");

    // Hints come one at a time, written in Markdown as the story is.
    for _ in 0..2 {
        client.find(Locator::Css("#hint-button")).await.expect("hints").click().await.expect("show a hint");
    }
    let code = until(Duration::from_secs(2), || async {
        text_of(&client, "#hints li:nth-child(2) code").await == "selector: {app: web}"
    })
    .await;
    assert!(code.is_some(), "the second hint's code is rendered: {}", text_of(&client, "#hints").await);

    // Type the solution with real key events.
    let editor = e2e::active_editor(&client).await;
    editor.click().await.expect("focus the editor");
    editor.send_keys(&(Key::Control + "a")).await.expect("select all");
    editor.send_keys(&char::from(Key::Delete).to_string()).await.expect("delete");
    editor.send_keys(SOLUTION).await.expect("type the solution");
    let green = until(Duration::from_secs(5), || async { failing_checks(&client).await == 0 }).await;
    assert!(green.is_some(), "every check turns green; still failing: {}", text_of(&client, "#checks").await);
    assert!(client.find(Locator::Css("#success")).await.is_ok(), "the success state shows");
    assert!(text_of(&client, "#progress-count").await.starts_with("1 of"), "the exercise counts as solved");

    // The terminal answers kubectl from the same cluster: the Service now has endpoints.
    let prompt = e2e::element(&client, "#terminal-input").await;
    prompt.click().await.expect("focus the prompt");
    prompt.send_keys(&format!("kubectl get endpoints{}", char::from(Key::Enter))).await.expect("run kubectl");
    let table = until(Duration::from_secs(2), || async {
        let out = text_of(&client, "#terminal-output").await;
        out.contains("NAME")
            && out.contains("ENDPOINTS")
            && out.lines().any(|l| l.starts_with("web ") && l.matches(":8080").count() == 2)
    })
    .await;
    assert!(
        table.is_some(),
        "kubectl get endpoints shows web's two pods: {}",
        text_of(&client, "#terminal-output").await
    );
    // The picture: the Service now points at its two pods, and a request is numbered on it.
    let arrows =
        client.find_all(Locator::Css("#cluster-picture line.edge")).await.map(|v| v.len()).unwrap_or(0);
    assert!(arrows >= 2, "endpoint arrows: {arrows}");
    prompt
        .send_keys(&format!("kubectl exec client -- curl http://web{}", char::from(Key::Enter)))
        .await
        .expect("curl");
    // The curl plays hop by hop (0.7 s a hop), so the fourth number comes after about 2 s.
    let drawn = until(Duration::from_secs(10), || async {
        client.find_all(Locator::Css("#cluster-picture .hop-badge")).await.map(|v| v.len()).unwrap_or(0) >= 4
    })
    .await;
    assert!(drawn.is_some(), "the request's hops are numbered on the picture");
    if let Some(path) = std::env::var_os("SWITCHBOARD_SCREENSHOT") {
        let png = client.screenshot().await.expect("screenshot");
        std::fs::write(path, png).expect("write the screenshot");
    }
    editor.click().await.expect("back to the editor");
    editor.send_keys(&(Key::Control + &char::from(Key::End).to_string())).await.expect("to the end");

    // A syntax error is flagged at its line within a second.
    editor.send_keys(" ]").await.expect("type an error");
    let flagged = until(Duration::from_secs(1), || async {
        text_of(&client, "#problems .problem.error").await.starts_with("service.yaml:1:")
    })
    .await;
    assert!(flagged.is_some(), "no error at line 1 within 1 s: {}", text_of(&client, "#problems").await);
    assert!(client.find(Locator::Css(".cm-lint-marker-error")).await.is_ok(), "the gutter marks the line");
    let bs = char::from(Key::Backspace).to_string();
    editor.send_keys(&format!("{bs}{bs}")).await.expect("remove the error");
    let fixed = until(Duration::from_secs(2), || async { failing_checks(&client).await == 0 }).await;
    assert!(fixed.is_some(), "the fix is graded");

    // A reload restores the edits and the progress.
    client.refresh().await.expect("reload");
    let restored =
        until(wait, || async { editor_text(&client).await.contains("\"targetPort\": 8080") }).await;
    assert!(restored.is_some(), "the edits survive a reload: {}", editor_text(&client).await);
    assert!(text_of(&client, "#progress-count").await.starts_with("1 of"));

    // Export, clear the storage, import: everything comes back.
    client.find(Locator::Css("#export-button")).await.expect("export").click().await.expect("click export");
    let exported = browser.profile.join("downloads/switchboard-progress.json");
    let saved = until(Duration::from_secs(10), || {
        let p = exported.clone();
        async move { std::fs::read_to_string(p).is_ok_and(|t| t.contains("switchboard-progress-v2")) }
    })
    .await;
    assert!(saved.is_some(), "the export was downloaded to {}", exported.display());
    client.execute("localStorage.clear(); return 0;", vec![]).await.expect("clear storage");
    client.refresh().await.expect("reload");
    let cleared = until(wait, || async {
        let text = editor_text(&client).await;
        !text.is_empty() && !text.contains("targetPort")
    })
    .await;
    assert!(cleared.is_some(), "with storage cleared the exercise starts over");
    assert!(text_of(&client, "#progress-count").await.starts_with("0 of"));
    let input = client.find(Locator::Css("#import-file")).await.expect("the import input");
    input.send_keys(&exported.display().to_string()).await.expect("choose the file");
    let merge =
        client.wait().at_most(wait).for_element(Locator::Css("#import-dialog[open] #import-merge")).await;
    merge.expect("the import dialog").click().await.expect("merge");
    let back = until(wait, || async {
        editor_text(&client).await.contains("\"targetPort\": 8080")
            && text_of(&client, "#progress-count").await.starts_with("1 of")
    })
    .await;
    assert!(back.is_some(), "the import brings back the files and the progress");

    let errors = console_errors(&client).await;
    browser.close().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}
