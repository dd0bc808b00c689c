//! Sandboxes: a free playground on a starter cluster, more sandboxes by name, files added at
//! will, the terminal answering from them, and everything kept across a reload.

use std::time::Duration;

use e2e::{dist_dir, share_link, text_of, until, Browser, StaticServer};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};

const DENY_ALL: &str = r#"{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "deny-all", "namespace": "shop"}, "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}"#;

async fn run(client: &Client, command: &str) {
    let prompt = e2e::element(client, "#terminal-input").await;
    prompt.click().await.expect("focus");
    prompt.send_keys(&format!("{command}{}", char::from(Key::Enter))).await.expect("run");
}

#[tokio::test]
async fn sandboxes_are_free_playgrounds_kept_by_name() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("sandbox").await;
    let client = browser.client.clone();
    let wait = Duration::from_secs(30);
    client.goto(&format!("{}#/sandbox/sandbox-playground", server.url())).await.expect("load");
    assert!(
        until(wait, || async { text_of(&client, "#exercise-title").await == "Sandbox: playground" }).await
    );
    assert!(client.find(Locator::Css("#sandbox-note")).await.is_ok(), "a sandbox has no checks");
    run(&client, "kubectl exec -n shop client -- curl http://web").await;
    assert!(
        until(Duration::from_secs(3), || async {
            text_of(&client, "#terminal-output").await.contains("HTTP/1.1 200 OK")
        })
        .await,
        "the starter Service answers: {}",
        text_of(&client, "#terminal-output").await
    );

    // A second sandbox, by name, with a file of its own.
    client
        .find(Locator::Css("option[value='new-sandbox']"))
        .await
        .expect("new sandbox")
        .click()
        .await
        .expect("pick");
    client.send_alert_text("Lab 1").await.expect("name it");
    client.accept_alert().await.expect("ok");
    assert!(until(wait, || async { text_of(&client, "#exercise-title").await == "Sandbox: lab-1" }).await);
    e2e::element(&client, "#add-file").await.click().await.expect("add");
    client.send_alert_text("policy").await.expect("file name");
    client.accept_alert().await.expect("ok");
    assert!(
        until(Duration::from_secs(5), || async {
            text_of(&client, ".tab[aria-selected='true']").await == "policy.yaml"
        })
        .await,
        "the new file's tab is open"
    );
    let editor = e2e::active_editor(&client).await;
    editor.click().await.expect("focus");
    editor.send_keys(DENY_ALL).await.expect("type a policy");
    tokio::time::sleep(Duration::from_millis(300)).await;
    run(&client, "kubectl exec -n shop client -- curl http://web").await;
    assert!(
        until(Duration::from_secs(3), || async {
            text_of(&client, "#terminal-output").await.contains("curl: (28)")
        })
        .await,
        "the policy drops it: {}",
        text_of(&client, "#terminal-output").await
    );

    // Kept across a reload, with both sandboxes listed.
    client.refresh().await.expect("reload");
    assert!(until(wait, || async { text_of(&client, "#exercise-title").await == "Sandbox: lab-1" }).await);
    // The editor's tabs arrive after the first grade.
    let both = until(wait, || async {
        let tabs = text_of(&client, ".tabs").await;
        tabs.contains("playground.yaml") && tabs.contains("policy.yaml")
    })
    .await;
    assert!(both, "{}", text_of(&client, ".tabs").await);
    let picker = text_of(&client, "#exercise-picker").await;
    assert!(picker.contains("Sandbox: playground") && picker.contains("Sandbox: lab-1"), "{picker}");

    // A sandbox travels by share link to a browser that never had it.
    let link = share_link(&client).await;
    client.execute("localStorage.clear(); return 0;", vec![]).await.expect("clear");
    client.goto(&link).await.expect("open the link");
    client.refresh().await.expect("fresh");
    assert!(
        until(wait, || async { text_of(&client, "#exercise-title").await == "Sandbox: lab-1" }).await,
        "the shared sandbox opens"
    );
    assert!(client.find(Locator::Css("#shared-notice")).await.is_ok());
    client.find(Locator::Css("#copy-shared")).await.expect("copy").click().await.expect("click copy");
    client.accept_alert().await.expect("confirm");
    client.refresh().await.expect("reload");
    assert!(
        until(wait, || async { text_of(&client, ".tabs").await.contains("policy.yaml") }).await,
        "the copy is kept"
    );
    browser.close().await;
}
