//! axe-core (npm, put into the page by this test only, never shipped in dist/) finds no
//! violation in the main states of the app, all in one browser session: the first exercise, a
//! NetworkPolicy exercise after a request with its hops listed and then a pod's connections,
//! the sandbox, a shared link, the import dialog, and the first exercise at 390x844.

use std::path::Path;
use std::time::Duration;

use e2e::{dist_dir, share_link, until, Browser, Cdp, StaticServer};
use fantoccini::key::Key;
use fantoccini::Locator;

const WAIT: Duration = Duration::from_secs(30);

/// The violations axe finds in the page as it is, one line each (rule, impact, where).
async fn violations(client: &fantoccini::Client) -> Vec<String> {
    let axe = Path::new(env!("CARGO_MANIFEST_DIR")).join("../node_modules/axe-core/axe.min.js");
    let source = std::fs::read_to_string(&axe).expect("axe-core in node_modules (npm ci)");
    client.execute(&format!("{source}; return true;"), vec![]).await.expect("put axe in the page");
    let found = client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               axe.run(document).then(r => done(r.violations.map(v =>
                 v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))));"#,
            vec![],
        )
        .await
        .expect("axe.run");
    found
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
        .unwrap_or_default()
}

async fn settle() {
    tokio::time::sleep(Duration::from_millis(400)).await;
}

async fn click(client: &fantoccini::Client, css: &str) {
    let el = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    el.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
}

#[tokio::test]
async fn axe_finds_no_violation_in_the_main_states() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("axe").await;
    let client = browser.client.clone();
    let base = server.url();
    let mut found: Vec<String> = Vec::new();
    let mut check =
        |state: &str, list: Vec<String>| found.extend(list.into_iter().map(|v| format!("{state}: {v}")));

    // The first exercise.
    client.goto(&format!("{base}#/01-why-services/first-service")).await.expect("load");
    client.wait().at_most(WAIT).for_element(Locator::Css("#checks > li")).await.expect("checks");
    settle().await;
    check("first exercise", violations(&client).await);

    // A NetworkPolicy exercise after a request: the hops, then a pod's connections.
    client.goto(&format!("{base}#/09-network-policy/np-isolate-the-playout-server")).await.expect("load");
    client.wait().at_most(WAIT).for_element(Locator::Css("#checks > li")).await.expect("checks");
    let to = client.find(Locator::Id("composer-to")).await.expect("composer");
    to.send_keys(&format!("http://playout:80{}", char::from(Key::Enter))).await.expect("send");
    client.wait().at_most(WAIT).for_element(Locator::Css("#hop-list")).await.expect("the hops");
    click(&client, "#step-next").await;
    settle().await;
    check("hops listed", violations(&client).await);
    click(&client, "#cluster-picture g[data-id^='pod/radio/']").await;
    client.wait().at_most(WAIT).for_element(Locator::Css("#connections-out")).await.expect("connections");
    settle().await;
    check("a pod's connections", violations(&client).await);

    // A shared link of that attempt.
    let url = share_link(&client).await;
    client.goto(&url).await.expect("open the link");
    client.wait().at_most(WAIT).for_element(Locator::Id("shared-notice")).await.expect("read-only notice");
    settle().await;
    check("shared link", violations(&client).await);

    // The sandbox.
    client.goto(&format!("{base}#/sandbox/sandbox-playground")).await.expect("load");
    client.wait().at_most(WAIT).for_element(Locator::Id("sandbox-note")).await.expect("the sandbox");
    settle().await;
    check("sandbox", violations(&client).await);

    // The import dialog, with a file from an earlier version.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/progress-v1.json");
    let input = client.find(Locator::Css("#import-file")).await.expect("the import input");
    input.send_keys(&fixture.display().to_string()).await.expect("choose the file");
    assert!(
        until(WAIT, || async { client.find(Locator::Css("dialog[open]")).await.is_ok() }).await,
        "the import dialog opens"
    );
    settle().await;
    check("import dialog", violations(&client).await);
    client
        .find(Locator::Css("dialog[open]"))
        .await
        .expect("dialog")
        .send_keys(&char::from(Key::Escape).to_string())
        .await
        .expect("Esc");

    // A phone.
    let metrics = serde_json::json!({ "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true });
    client
        .issue_cmd(Cdp { cmd: "Emulation.setDeviceMetricsOverride", params: metrics })
        .await
        .expect("emulate");
    client.goto(&format!("{base}#/01-why-services/first-service")).await.expect("load");
    client.wait().at_most(WAIT).for_element(Locator::Css("#checks > li")).await.expect("checks");
    settle().await;
    check("390x844", violations(&client).await);

    // axe skips text that is only a symbol: the pass and fail glyphs' contrast is computed here
    // (WCAG 1.4.3: 4.5:1 for text), against the first opaque background behind each.
    let low = client
        .execute(
            r#"const rgb = s => s.match(/[\d.]+/g).map(Number);
               const lum = ([r, g, b]) => [r, g, b].map(c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
                 .reduce((a, c, i) => a + c * [0.2126, 0.7152, 0.0722][i], 0);
               const back = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor); if (c.length < 4 || c[3] > 0) return c; } return [255, 255, 255]; };
               const low = document.querySelector('.check-mark') ? [] : ['no check marks to measure'];
               document.querySelectorAll('.check-mark').forEach(m => {
                 const a = lum(rgb(getComputedStyle(m).color)), b = lum(back(m));
                 const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
                 if (ratio < 4.5) low.push(m.textContent + ' ' + ratio.toFixed(2));
               });
               return low;"#,
            vec![],
        )
        .await
        .expect("contrast");
    check(
        "glyph contrast",
        low.as_array().map(|a| a.iter().map(|v| v.to_string()).collect()).unwrap_or_default(),
    );

    browser.close().await;
    assert!(found.is_empty(), "axe violations:\n{}", found.join("\n"));
}
