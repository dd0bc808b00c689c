//! Import never destroys: a progress file is compared with what is stored in a dialog; Merge
//! keeps the newer version of each file and the union of solved marks, Replace asks first,
//! Undo puts back exactly what was stored, a damaged file changes nothing and says why, a v1
//! file (no times) imports, and a full storage imports nothing. Reset to start is undone the
//! same way.

use std::path::PathBuf;
use std::time::Duration;

use e2e::{console_errors, dist_dir, fresh_dir, share_link, text_of, until, Browser, StaticServer};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};

const FIRST: &str = "#/01-why-services/first-service";
const KEY: &str = "first-service/service.yaml";
const MINE: &str = "# mine: kept in this browser";
const SOLUTION: &str = r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]}}"#;
const WAIT: Duration = Duration::from_secs(30);

/// Every Switchboard key but the backup and the screen layout (not progress), sorted, as
/// JSON: what "exactly the same state" means.
async fn stored(client: &Client) -> String {
    let script = "return JSON.stringify(Object.keys(localStorage).filter(k => k.startsWith('switchboard.') && k !== 'switchboard.v1.backup' && k !== 'switchboard.layout').sort().map(k => [k, localStorage.getItem(k)]));";
    client.execute(script, vec![]).await.expect("read storage").as_str().unwrap_or_default().to_string()
}

async fn editor_text(client: &Client) -> String {
    text_of(client, ".editor-pane.active .cm-content").await
}

async fn click(client: &Client, css: &str) {
    client.find(Locator::Css(css)).await.unwrap_or_else(|_| panic!("{css}")).click().await.expect(css);
}

/// Opens the first exercise with `first-service/service.yaml` saved as [`MINE`] (changed at
/// `changed` ms, if given) and `solved` marked solved.
async fn start(tag: &str, changed: Option<u64>, solved: &[&str]) -> (StaticServer, Browser) {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start(tag).await;
    let client = browser.client.clone();
    client.goto(&format!("{}{FIRST}", server.url())).await.expect("load");
    assert!(until(WAIT, || async { !editor_text(&client).await.is_empty() }).await, "the app loads");
    // As the app writes it, so that "exactly as before" compares the same text.
    let solved = serde_json::to_string(solved).expect("json");
    let progress = format!(r#"{{"solved":{solved},"hints":{{}},"revealed":[]}}"#);
    let time = changed.map(|t| t.to_string());
    client
        .execute(
            "localStorage.clear();
             localStorage.setItem('switchboard.v1.file.' + arguments[0], arguments[1]);
             if (arguments[2] !== null) localStorage.setItem('switchboard.v1.changed.' + arguments[0], arguments[2]);
             localStorage.setItem('switchboard.v1.progress', arguments[3]);
             return 0;",
            vec![KEY.into(), MINE.into(), time.into(), progress.into()],
        )
        .await
        .expect("seed the storage");
    client.refresh().await.expect("reload");
    assert!(
        until(WAIT, || async { editor_text(&client).await.contains(MINE) }).await,
        "the saved file shows"
    );
    (server, browser)
}

/// Writes `text` to a file and chooses it in the hidden import input.
async fn choose(client: &Client, text: &str) -> PathBuf {
    let path = fresh_dir("import-file").join("switchboard-progress.json");
    std::fs::write(&path, text).expect("write the file to import");
    let input = client.find(Locator::Css("#import-file")).await.expect("the import input");
    input.send_keys(&path.display().to_string()).await.expect("choose the file");
    path
}

async fn dialog_open(client: &Client) -> bool {
    until(Duration::from_secs(5), || async {
        client.find(Locator::Css("#import-dialog[open]")).await.is_ok()
    })
    .await
}

/// A v2 document holding the solution of the first exercise, changed at `changed`, solved,
/// and one file of another exercise.
fn v2(changed: u64) -> String {
    serde_json::json!({
        "format": "switchboard-progress-v2",
        "files": { KEY: SOLUTION, "menu-board/service.yaml": "# from the file" },
        "changed": { KEY: changed, "menu-board/service.yaml": changed },
        "progress": { "solved": ["first-service"], "hints": { "first-service": 2 } },
    })
    .to_string()
}

#[tokio::test]
async fn merge_keeps_the_newer_file_and_every_solved_mark_and_undo_puts_back_exactly() {
    let (_server, browser) = start("import-merge", Some(1_000), &["menu-board"]).await;
    let client = browser.client.clone();
    let before = stored(&client).await;
    choose(&client, &v2(2_000)).await;
    assert!(dialog_open(&client).await, "choosing a file opens the dialog");
    assert_eq!(text_of(&client, "#import-solved-file").await, "1");
    assert_eq!(text_of(&client, "#import-solved-here").await, "1");
    assert_eq!(text_of(&client, "#import-files-file").await, "2");
    assert_eq!(text_of(&client, "#import-files-here").await, "1");
    let facts = text_of(&client, "#import-facts").await;
    assert!(facts.contains("1 exercise solved in the file but not here"), "{facts}");
    assert!(facts.contains("1 file in both, with different texts"), "{facts}");
    let active = client.active_element().await.expect("focus").attr("id").await.expect("id");
    assert_eq!(active.as_deref(), Some("import-merge"), "Merge has the focus");
    assert_eq!(stored(&client).await, before, "nothing is written before a choice");

    // Esc closes the dialog and changes nothing.
    client
        .active_element()
        .await
        .expect("focus")
        .send_keys(&char::from(Key::Escape).to_string())
        .await
        .expect("esc");
    assert!(
        until(Duration::from_secs(3), || async {
            client.find(Locator::Css("#import-dialog[open]")).await.is_err()
        })
        .await,
        "Esc closes the dialog"
    );
    assert_eq!(stored(&client).await, before, "a cancelled import changes nothing");

    choose(&client, &v2(2_000)).await;
    assert!(dialog_open(&client).await);
    click(&client, "#import-merge").await;
    assert!(
        until(WAIT, || async { editor_text(&client).await.contains("\"targetPort\": 8080") }).await,
        "the newer file (the file's) is shown without a reload: {}",
        editor_text(&client).await
    );
    assert_eq!(text_of(&client, "#status-text").await, "Merged: 2 files updated, 1 exercise marked solved");
    assert!(text_of(&client, "#progress-count").await.starts_with("2 of"), "solved marks are the union");
    let url = client.current_url().await.expect("url");
    assert_eq!(url.fragment(), Some(&FIRST[1..]), "no reload, the same exercise");

    // Undo: the storage is exactly as before the import.
    click(&client, "#status-undo").await;
    assert!(
        until(WAIT, || async { editor_text(&client).await.contains(MINE) }).await,
        "undo shows the old file"
    );
    assert_eq!(stored(&client).await, before, "undo restores the stored state exactly");
    assert!(text_of(&client, "#status-text").await.starts_with("Undid the import"));
    assert!(text_of(&client, "#progress-count").await.starts_with("1 of"));
    assert!(client.find(Locator::Css("#undo-button")).await.is_err(), "nothing left to undo");

    let errors = console_errors(&client).await;
    browser.close().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}

#[tokio::test]
async fn an_older_file_loses_to_the_stored_one_and_replace_asks_first() {
    let (_server, browser) = start("import-replace", Some(5_000), &["menu-board"]).await;
    let client = browser.client.clone();
    let before = stored(&client).await;

    // Merging an older version keeps the stored one.
    choose(&client, &v2(2_000)).await;
    assert!(dialog_open(&client).await);
    click(&client, "#import-merge").await;
    assert!(until(WAIT, || async { text_of(&client, "#status-text").await.starts_with("Merged") }).await);
    assert!(editor_text(&client).await.contains(MINE), "the newer, stored file stays");
    click(&client, "#undo-button").await;
    assert!(until(WAIT, || async { stored(&client).await == before }).await, "undone from the title bar");

    // Replace: a second step says what is lost, Back returns, Yes replaces.
    choose(&client, &v2(2_000)).await;
    assert!(dialog_open(&client).await);
    click(&client, "#import-replace").await;
    let confirm = text_of(&client, "#import-replace-confirm").await;
    assert!(confirm.contains("1 of your saved files would be overwritten or removed"), "{confirm}");
    click(&client, "#import-replace-back").await;
    assert!(client.find(Locator::Css("#import-replace-confirm")).await.is_err(), "Back leaves the question");
    assert_eq!(stored(&client).await, before);
    click(&client, "#import-replace").await;
    click(&client, "#import-replace-yes").await;
    assert!(
        until(WAIT, || async { editor_text(&client).await.contains("\"targetPort\": 8080") }).await,
        "replace takes the file's version"
    );
    assert_eq!(
        text_of(&client, "#status-text").await,
        "Replaced: 2 files updated, 1 exercise marked solved, 1 exercise no longer solved"
    );
    assert!(text_of(&client, "#progress-count").await.starts_with("1 of"), "only the file's solved marks");
    click(&client, "#status-undo").await;
    assert!(until(WAIT, || async { editor_text(&client).await.contains(MINE) }).await);
    assert_eq!(stored(&client).await, before, "undo restores the stored state exactly");

    let errors = console_errors(&client).await;
    browser.close().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}

#[tokio::test]
async fn damaged_files_and_a_full_storage_change_nothing_and_say_why() {
    let (_server, browser) = start("import-damaged", None, &[]).await;
    let client = browser.client.clone();
    let before = stored(&client).await;
    let cases = [
        ("this is not JSON", "it is not a JSON object"),
        (r#"{"format": "other-app", "files": {}}"#, "unknown progress format `other-app`"),
        (r#"{"format": "switchboard-progress-v2", "files": {"a/b": 1}, "progress": {}}"#, "damaged"),
    ];
    for (text, said) in cases {
        choose(&client, text).await;
        assert!(
            until(Duration::from_secs(5), || async { text_of(&client, "#banner").await.contains(said) })
                .await,
            "{text}: {}",
            text_of(&client, "#banner").await
        );
        assert!(text_of(&client, "#banner")
            .await
            .starts_with("Nothing was imported from switchboard-progress.json"));
        assert!(client.find(Locator::Css("#import-dialog[open]")).await.is_err(), "no dialog for {text}");
        assert_eq!(stored(&client).await, before, "{text} changes nothing");
        click(&client, "#banner button").await;
    }

    // A full storage: the backup cannot be written, so nothing is imported.
    client
        .execute(
            "const set = Storage.prototype.setItem;
             Storage.prototype.setItem = function (k, v) {
               if (k === 'switchboard.v1.backup') throw new DOMException('full', 'QuotaExceededError');
               return set.call(this, k, v);
             };
             return 0;",
            vec![],
        )
        .await
        .expect("fill the storage");
    choose(&client, &v2(2_000)).await;
    assert!(dialog_open(&client).await);
    click(&client, "#import-merge").await;
    let said = until(Duration::from_secs(5), || async {
        let banner = text_of(&client, "#banner").await;
        banner.contains("nothing was changed") && banner.contains("storage for this site is full")
    })
    .await;
    assert!(said, "{}", text_of(&client, "#banner").await);
    assert_eq!(stored(&client).await, before, "nothing imported");
    assert!(editor_text(&client).await.contains(MINE));

    let errors = console_errors(&client).await;
    browser.close().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}

#[tokio::test]
async fn a_v1_file_imports_and_its_differing_file_is_picked_by_the_learner() {
    let (_server, browser) = start("import-v1", Some(1_000), &[]).await;
    let client = browser.client.clone();
    let v1 = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/progress-v1.json"))
        .expect("the v1 fixture");
    choose(&client, &v1).await;
    assert!(dialog_open(&client).await);
    assert!(
        text_of(&client, "#import-untimed").await.contains("older version"),
        "the dialog says why it asks"
    );
    let versions = text_of(&client, "#import-choices").await;
    assert!(
        versions.contains(MINE) && versions.contains("targetPort"),
        "both versions side by side: {versions}"
    );
    let kept = client.find(Locator::Css("#import-pick-0-here")).await.expect("yours").prop("checked").await;
    assert_eq!(kept.expect("checked").as_deref(), Some("true"), "yours is kept unless picked");
    if let Some(path) = std::env::var_os("SWITCHBOARD_IMPORT_SCREENSHOT") {
        let png = client.screenshot().await.expect("screenshot");
        std::fs::write(path, png).expect("write the screenshot");
    }
    click(&client, "#import-pick-0-file").await;
    click(&client, "#import-merge").await;
    assert!(
        until(WAIT, || async { editor_text(&client).await.contains("\"targetPort\": 8080") }).await,
        "the picked version is imported"
    );
    assert!(
        until(WAIT, || async { client.find(Locator::Css("#checks li.fail")).await.is_err() }).await,
        "and graded"
    );
    assert!(text_of(&client, "#progress-count").await.starts_with("1 of"));
    let sandboxes =
        client.execute("return localStorage.getItem('switchboard.v1.sandbox.lab');", vec![]).await;
    assert_eq!(sandboxes.expect("sandbox").as_str(), Some(r#"["app.yaml"]"#), "the file's sandbox is added");

    let errors = console_errors(&client).await;
    browser.close().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}

#[tokio::test]
async fn reset_to_start_can_be_undone() {
    let (_server, browser) = start("import-reset", Some(1_000), &[]).await;
    let client = browser.client.clone();
    let before = stored(&client).await;
    click(&client, "#reset-button").await;
    client.accept_alert().await.expect("confirm the reset");
    assert!(until(WAIT, || async { !editor_text(&client).await.contains(MINE) }).await, "the start is shown");
    assert!(text_of(&client, "#status-text").await.contains("back as it was at the start"));
    assert_eq!(text_of(&client, "#undo-button").await, "Undo reset");
    click(&client, "#status-undo").await;
    assert!(until(WAIT, || async { editor_text(&client).await.contains(MINE) }).await, "undo brings it back");
    assert_eq!(stored(&client).await, before, "exactly as before the reset");

    // Show solution replaces the files too, and is undone the same way.
    click(&client, "#solution-button").await;
    client.accept_alert().await.expect("confirm the solution");
    assert!(
        until(WAIT, || async { !editor_text(&client).await.contains(MINE) }).await,
        "the solution is shown"
    );
    assert_eq!(text_of(&client, "#undo-button").await, "Undo solution");
    click(&client, "#undo-button").await;
    assert!(until(WAIT, || async { editor_text(&client).await.contains(MINE) }).await, "undo brings it back");
    assert!(stored(&client).await.contains(MINE), "the file is saved again");

    let errors = console_errors(&client).await;
    browser.close().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}

#[tokio::test]
async fn copying_a_shared_attempt_can_be_undone() {
    let (_server, browser) = start("import-copy", Some(1_000), &[]).await;
    let client = browser.client.clone();
    let link = share_link(&client).await;
    // The learner's own attempt is something else by the time the link is opened.
    client
        .execute(
            "localStorage.setItem('switchboard.v1.file.' + arguments[0], '# my other attempt'); return 0;",
            vec![KEY.into()],
        )
        .await
        .expect("change the attempt");
    let before = stored(&client).await;
    client.goto(&link).await.expect("open the link");
    client.refresh().await.expect("load it fresh");
    assert!(until(WAIT, || async { client.find(Locator::Css("#copy-shared")).await.is_ok() }).await);
    click(&client, "#copy-shared").await;
    client.accept_alert().await.expect("confirm the copy");
    assert!(until(WAIT, || async { stored(&client).await.contains(MINE) }).await, "copied and saved");
    assert!(text_of(&client, "#status-text").await.starts_with("Copied the shared files"));
    click(&client, "#status-undo").await;
    assert!(
        until(WAIT, || async { editor_text(&client).await.contains("# my other attempt") }).await,
        "undo brings the learner's attempt back"
    );
    assert_eq!(stored(&client).await, before, "exactly as before the copy");

    let errors = console_errors(&client).await;
    browser.close().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}
