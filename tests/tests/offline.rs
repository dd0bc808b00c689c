//! Offline and installable: load the site once, stop the server, reload, and still solve an
//! exercise and open one never opened online; Chromium reports no installability error for the manifest, icons and service
//! worker (DevTools' Page.getInstallabilityErrors, the check behind Lighthouse's).

use std::time::Duration;

use e2e::{active_editor, console_errors, dist_dir, fresh_dir, text_of, until, Browser, Cdp, StaticServer};
use fantoccini::key::Key;
use fantoccini::Locator;

const SOLUTION: &str = r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]}}"#;

#[tokio::test]
async fn the_site_works_offline_after_one_visit_and_is_installable() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("offline").await;
    let client = browser.client.clone();
    let wait = Duration::from_secs(30);
    client.goto(&format!("{}#/01-why-services/first-service", server.url())).await.expect("load");
    assert!(
        until(wait, || async { !text_of(&client, "#exercise-title").await.is_empty() }).await,
        "the app loads"
    );

    // The service worker controls the page and has precached the build.
    let controlled = until(wait, || async {
        client
            .execute("return !!navigator.serviceWorker.controller;", vec![])
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    })
    .await;
    assert!(controlled, "a service worker controls the page");
    let cached = client
        .execute_async(
            "const done = arguments[0]; caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(c => c.keys())))).then(all => done(all.flat().length));",
            vec![],
        )
        .await
        .expect("cache entries");
    assert!(cached.as_u64().unwrap_or(0) >= 10, "the build is precached: {cached}");

    // Installable: no installability errors from Chromium.
    let report = client
        .issue_cmd(Cdp { cmd: "Page.getInstallabilityErrors", params: serde_json::json!({}) })
        .await
        .expect("installability");
    let errors = report["installabilityErrors"].as_array().cloned().unwrap_or_default();
    assert!(errors.is_empty(), "installability errors: {errors:#?}");
    let manifest = client
        .issue_cmd(Cdp { cmd: "Page.getAppManifest", params: serde_json::json!({}) })
        .await
        .expect("manifest");
    assert!(manifest["errors"].as_array().is_none_or(|e| e.is_empty()), "manifest errors: {manifest}");

    // No network: the server is gone, and the site still loads, edits and grades.
    let url = server.url();
    drop(server);
    client.refresh().await.expect("reload offline");
    assert!(
        until(wait, || async { !text_of(&client, "#exercise-title").await.is_empty() }).await,
        "the app loads offline"
    );
    let editor = active_editor(&client).await;
    editor.click().await.expect("focus");
    editor.send_keys(&(Key::Control + "a")).await.expect("select all");
    editor.send_keys(&char::from(Key::Delete).to_string()).await.expect("delete");
    editor.send_keys(SOLUTION).await.expect("type");
    let green = until(Duration::from_secs(5), || async {
        client.find_all(Locator::Css("#checks li.fail")).await.map(|v| v.is_empty()).unwrap_or(false)
            && client.find(Locator::Css("#success")).await.is_ok()
    })
    .await;
    assert!(green, "the checks pass offline: {}", text_of(&client, "#checks").await);

    // An exercise never opened while online: its file came with the precache.
    client.goto(&format!("{}#/11-capstones/cap-production-entry", url)).await.expect("navigate offline");
    assert!(
        until(wait, || async { text_of(&client, "#exercise-title").await.contains("front door") }).await,
        "an exercise never opened before loads offline: title {:?}, banner {:?}",
        text_of(&client, "#exercise-title").await,
        text_of(&client, "#banner").await
    );
    assert!(
        until(wait, || async { client.find(Locator::Css("#checks li.fail")).await.is_ok() }).await,
        "and its checks are graded"
    );
    let errors: Vec<String> = console_errors(&client)
        .await
        .into_iter()
        // Reloading with the server gone makes the browser's own update check of sw.js fail.
        .filter(|e| !e.contains("sw.js") && !e.contains("ERR_CONNECTION_REFUSED"))
        .collect();
    browser.close().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}

/// Copies a folder (the build) so a test can change it.
fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&p, to.join(entry.file_name())).expect("copy");
        }
    }
}

#[tokio::test]
async fn a_new_build_is_offered_and_taken_on_request() {
    let site = fresh_dir("site");
    copy_dir(&dist_dir(), &site);
    let server = StaticServer::start(site.clone()).expect("static server");
    let browser = Browser::start("update").await;
    let client = browser.client.clone();
    let wait = Duration::from_secs(30);
    client.goto(&server.url()).await.expect("load");
    let controlled = until(wait, || async {
        client
            .execute("return !!navigator.serviceWorker.controller;", vec![])
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    })
    .await;
    assert!(controlled, "the first build's worker controls the page");

    // A new build lands on the server (here: its worker script changes).
    let sw = site.join("sw.js");
    let text = std::fs::read_to_string(&sw).expect("sw.js");
    std::fs::write(&sw, text.replacen("const VERSION = \"", "const VERSION = \"next-", 1)).expect("write");
    client
        .execute("navigator.serviceWorker.getRegistration().then(r => r.update()); return 0;", vec![])
        .await
        .expect("check for updates");
    let offered = until(wait, || async { client.find(Locator::Css("#update-banner")).await.is_ok() }).await;
    assert!(offered, "the page offers the new version");
    let before = client.execute("return performance.timeOrigin;", vec![]).await.expect("origin");
    client.find(Locator::Css("#update-banner button")).await.expect("button").click().await.expect("accept");
    let reloaded = until(wait, || async {
        client.execute("return performance.timeOrigin;", vec![]).await.ok().is_some_and(|t| t != before)
    })
    .await;
    assert!(reloaded, "accepting reloads into the new version");
    let version = client
        .execute_async("const done = arguments[0]; caches.keys().then(done);", vec![])
        .await
        .expect("caches");
    let keys: Vec<String> =
        version.as_array().into_iter().flatten().filter_map(|k| k.as_str().map(String::from)).collect();
    assert!(until(wait, || async { !text_of(&client, "#exercise-title").await.is_empty() }).await);
    browser.close().await;
    drop(server);
    let _ = std::fs::remove_dir_all(site);
    assert!(keys.iter().all(|k| k.contains("next-")), "only the new cache is left: {keys:?}");
}

/// An exercise file that cannot be fetched (here: missing from the server) is said so in the
/// lesson panel, with the reason; "Try again" fetches it again once it is back.
#[tokio::test]
async fn an_exercise_that_cannot_be_fetched_says_why_and_can_be_retried() {
    let site = fresh_dir("site-missing");
    copy_dir(&dist_dir(), &site);
    let file = site.join("exercises/03-dns/01-ledger-by-name.yaml");
    let text = std::fs::read(&file).expect("the exercise file is in the build");
    std::fs::remove_file(&file).expect("remove");
    let server = StaticServer::start(site.clone()).expect("static server");
    let browser = Browser::start("missing").await;
    let client = browser.client.clone();
    let wait = Duration::from_secs(30);
    client.goto(&format!("{}#/03-dns/ledger-by-name", server.url())).await.expect("load");
    let said = until(wait, || async { !text_of(&client, "#exercise-unavailable").await.is_empty() }).await;
    let why = text_of(&client, "#exercise-unavailable").await;
    assert!(said, "the lesson panel says the exercise could not be loaded");
    assert!(
        why.contains("exercises/03-dns/01-ledger-by-name.yaml") && why.contains("404"),
        "with the file and the reason: {why}"
    );
    assert!(text_of(&client, "#exercise-title").await.is_empty(), "no exercise is shown");

    std::fs::write(&file, text).expect("restore");
    client
        .find(Locator::Css("#exercise-unavailable button"))
        .await
        .expect("button")
        .click()
        .await
        .expect("retry");
    assert!(
        until(wait, || async { !text_of(&client, "#exercise-title").await.is_empty() }).await,
        "trying again opens it: {}",
        text_of(&client, "#lesson").await
    );
    assert!(
        until(wait, || async { client.find(Locator::Css("#checks li")).await.is_ok() }).await,
        "and grades it"
    );
    browser.close().await;
    let _ = std::fs::remove_dir_all(site);
}

/// The wasm lists the exercises; their files come from the server. A file that changed under
/// an open page (a new build deployed, the id renamed) is refused with what to do, rather than
/// played under the wrong id (progress and share links go by id).
#[tokio::test]
async fn an_exercise_file_from_another_build_asks_for_a_reload() {
    let site = fresh_dir("site-renamed");
    copy_dir(&dist_dir(), &site);
    let file = site.join("exercises/03-dns/01-ledger-by-name.yaml");
    let text = std::fs::read_to_string(&file).expect("the exercise file is in the build");
    std::fs::write(&file, text.replacen("id: ledger-by-name", "id: ledger-renamed", 1)).expect("write");
    let server = StaticServer::start(site.clone()).expect("static server");
    let browser = Browser::start("renamed").await;
    let client = browser.client.clone();
    let wait = Duration::from_secs(30);
    client.goto(&format!("{}#/03-dns/ledger-by-name", server.url())).await.expect("load");
    let said = until(wait, || async { !text_of(&client, "#exercise-unavailable").await.is_empty() }).await;
    let why = text_of(&client, "#exercise-unavailable").await;
    assert!(said && why.contains("ledger-renamed") && why.contains("reload the page"), "{why}");
    assert!(text_of(&client, "#exercise-title").await.is_empty(), "no exercise is shown");
    browser.close().await;
    let _ = std::fs::remove_dir_all(site);
}
