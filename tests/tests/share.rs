//! Share links: an attempt travels in the URL fragment, opens read-only and unsaved until the
//! learner copies it into their own attempt; a damaged link changes nothing.

use std::time::Duration;

use e2e::{active_editor, dist_dir, share_link, text_of, until, Browser, StaticServer};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};

async fn saved(client: &Client) -> Option<String> {
    client
        .execute("return localStorage.getItem('switchboard.v1.file.first-service/service.yaml');", vec![])
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
}

#[tokio::test]
async fn a_shared_attempt_opens_read_only_and_can_be_copied() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("share").await;
    let client = browser.client.clone();
    let wait = Duration::from_secs(30);
    client.goto(&format!("{}#/01-why-services/first-service", server.url())).await.expect("load");
    let editor = active_editor(&client).await;
    editor.click().await.expect("focus");
    editor.send_keys(&(Key::Control + &char::from(Key::End).to_string())).await.expect("end");
    editor.send_keys("\n# shared-marker").await.expect("type");
    assert!(
        until(Duration::from_secs(3), || async {
            saved(&client).await.is_some_and(|t| t.contains("shared-marker"))
        })
        .await
    );
    let link = share_link(&client).await;
    assert!(link.contains("#/share/"), "{link}");

    // A fresh learner opens the link: read-only, unsaved.
    client.execute("localStorage.clear(); return 0;", vec![]).await.expect("clear");
    client.goto(&link).await.expect("open the link");
    client.refresh().await.expect("load it fresh");
    assert!(
        until(wait, || async { client.find(Locator::Css("#shared-notice")).await.is_ok() }).await,
        "the shared notice shows"
    );
    assert!(
        until(wait, || async {
            text_of(&client, ".editor-pane.active .cm-content").await.contains("shared-marker")
        })
        .await
    );
    assert_eq!(
        client
            .find(Locator::Css(".editor-pane.active .cm-content"))
            .await
            .expect("editor")
            .attr("contenteditable")
            .await
            .expect("attr")
            .as_deref(),
        Some("false"),
        "shared files are read-only"
    );
    assert_eq!(saved(&client).await, None, "nothing is saved from a link");

    // Copy it into the learner's own attempt.
    client.find(Locator::Css("#copy-shared")).await.expect("copy").click().await.expect("click copy");
    client.accept_alert().await.expect("confirm");
    assert!(
        until(Duration::from_secs(5), || async {
            saved(&client).await.is_some_and(|t| t.contains("shared-marker"))
        })
        .await,
        "copied and saved"
    );
    assert!(client.find(Locator::Css("#shared-notice")).await.is_err(), "editable again");
    assert_eq!(
        client.execute("return location.hash;", vec![]).await.expect("hash"),
        "#/01-why-services/first-service"
    );

    // A damaged link: an error, and the saved attempt is untouched.
    client.goto(&format!("{}#/share/not-a-real-link!!", server.url())).await.expect("bad link");
    client.refresh().await.expect("load");
    assert!(
        until(wait, || async {
            text_of(&client, "#banner").await.contains("This share link cannot be opened")
        })
        .await,
        "the error is shown: {}",
        text_of(&client, "#banner").await
    );
    assert!(saved(&client).await.is_some_and(|t| t.contains("shared-marker")), "nothing saved changed");
    browser.close().await;
}
