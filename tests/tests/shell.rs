//! The built site, loaded in headless Chromium: the shell renders with no console errors.

use std::time::Duration;

use e2e::{console_errors, dist_dir, Browser, StaticServer};
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
