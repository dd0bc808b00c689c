//! The first second of a first visit, on a slow phone network (Chromium's emulation at 150 ms
//! and 1.6 Mbit/s, the site gzip-compressed): the page's shell is painted with the first
//! lesson before the wasm arrives, and says what the app then says (the lesson rendered at
//! build time agrees with the browser's rendering); the app takes its place without moving
//! what the learner reads (cumulative layout shift <= 0.1, Google's "good" threshold); the
//! shell shows the first lesson only where the app opens it; the first grade waits for the
//! first wasm module only, and the parts split from it (editor, picture, dock) arrive after,
//! or say that they could not be fetched and try again;
//! and a first visit downloads each file once, the service worker's precache included.

use std::time::Duration;

use e2e::{dist_dir, until, Browser, Cdp, StaticServer};
use serde_json::{json, Value};

const FIRST: &str = "#/01-why-services/first-service";

async fn script(client: &fantoccini::Client, js: &str) -> Value {
    client.execute(js, vec![]).await.expect("script")
}

async fn slow_network(client: &fantoccini::Client) {
    client.issue_cmd(Cdp { cmd: "Network.enable", params: json!({}) }).await.expect("network");
    let conditions = json!({
        "offline": false, "latency": 150,
        "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8,
    });
    client
        .issue_cmd(Cdp { cmd: "Network.emulateNetworkConditions", params: conditions })
        .await
        .expect("slow network");
}

async fn screen(client: &fantoccini::Client, width: u32, height: u32) {
    let metrics = json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600 });
    client
        .issue_cmd(Cdp { cmd: "Emulation.setDeviceMetricsOverride", params: metrics })
        .await
        .expect("screen size");
}

async fn has_mark(client: &fantoccini::Client, name: &str) -> bool {
    let js = format!("return performance.getEntriesByName('{name}').length > 0;");
    script(client, &js).await.as_bool().unwrap_or(false)
}

/// What a rendering means, with what does not change it left out: each element with its
/// attributes (but the shell's `data-prerendered` key) sorted, and the text with runs of white
/// space as one space.
const CANONICAL: &str = "
    const walk = (node) => {
      if (node.nodeType === Node.TEXT_NODE) return node.textContent.replace(/\\s+/g, ' ');
      if (node.nodeType !== Node.ELEMENT_NODE) return '';
      const attrs = Array.from(node.attributes).filter(a => a.name !== 'data-prerendered')
        .map(a => a.name + '=' + a.value).sort();
      const tag = node.tagName.toLowerCase();
      return '<' + [tag, ...attrs].join(' ') + '>' + Array.from(node.childNodes).map(walk).join('') + '</' + tag + '>';
    };
    const canonical = (el) => el ? Array.from(el.childNodes).map(walk).join('').replace(/\\s*(<\\/?(p|ul|ol|li|pre|h\\d)\\b[^>]*>)\\s*/g, '$1').trim() : null;
";

#[tokio::test]
async fn the_shell_paints_the_first_lesson_and_the_app_takes_its_place_without_moving_it() {
    let server = StaticServer::start_gzip(dist_dir()).expect("static server");
    for (width, height) in [(1400, 900), (390, 844)] {
        let browser = Browser::start(&format!("first-visit-{width}")).await;
        let client = browser.client.clone();
        screen(&client, width, height).await;
        slow_network(&client).await;
        // Every layout shift from the start, kept by the page itself.
        client
            .issue_cmd(Cdp {
                cmd: "Page.addScriptToEvaluateOnNewDocument",
                params: json!({ "source": "window.__shifts = 0; new PerformanceObserver(l => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shifts += e.value; }).observe({ type: 'layout-shift', buffered: true });" }),
            })
            .await
            .expect("layout-shift observer");
        client.goto(&format!("{}{FIRST}", server.url())).await.expect("load");

        // Before the wasm: the shell, with the first lesson's story in view.
        let early = script(
            &client,
            &format!(
                "{CANONICAL}
                 const story = document.querySelector('#shell #shell-story .story');
                 const chapter = document.querySelector('#shell .chapter-intro [data-prerendered]');
                 const intro = document.querySelector('#shell .shell-intro');
                 return {{
                   graded: performance.getEntriesByName('switchboard-graded').length > 0,
                   shown: !!story && story.getBoundingClientRect().height > 0,
                   story: canonical(story), chapter: canonical(chapter),
                   title: document.querySelector('#shell #shell-story h3').textContent,
                   concepts: document.querySelector('#shell #shell-story .concepts').textContent,
                   intro: intro.textContent.replace(/\\s+/g, ''),
                   picker: ['select option', '.progress-count', 'button'].map(c => document.querySelector('#shell .picker ' + c).textContent).join(' '),
                 }};"
            ),
        )
        .await;
        assert_eq!(early["graded"], false, "{width}px: the shell was read before the first grade");
        assert_eq!(early["shown"], true, "{width}px: the shell shows the first story: {early}");
        assert!(early["story"].as_str().is_some_and(|s| s.contains("Service")), "{early}");

        // The app graded, and then the bundle rendered the same Markdown.
        let wait = Duration::from_secs(60);
        assert!(
            until(wait, || has_mark(&client, "switchboard-bundle")).await,
            "{width}px: the bundle loaded"
        );
        let late = script(
            &client,
            &format!(
                "{CANONICAL}
                 const intro = document.querySelector('#intro');
                 const picker = document.querySelector('#exercise-picker');
                 return {{
                   shell: !!document.getElementById('shell'),
                   story: canonical(document.querySelector('#lesson-story .story')),
                   chapter: canonical(document.querySelector('#chapter-intro > div')),
                   title: document.querySelector('#exercise-title').textContent,
                   concepts: document.querySelector('#lesson-story .concepts').textContent,
                   intro: intro.textContent.replace(/\\s+/g, ''),
                   picker: [picker.selectedOptions[0].textContent, document.querySelector('#progress-count').textContent, document.querySelector('#open-scenario').textContent].join(' '),
                   shifts: window.__shifts,
                 }};"
            ),
        )
        .await;
        assert_eq!(late["shell"], false, "{width}px: the app took the shell's place");
        // The introduction is compared by its words (white space between elements left out).
        for part in ["story", "chapter", "title", "concepts", "intro", "picker"] {
            let (built, browser_drawn) = (&early[part], &late[part]);
            assert!(built == browser_drawn, "{width}px: the shell's {part} differs from the app's:\n  shell: {built}\n  app:   {browser_drawn}");
        }
        let shifts = late["shifts"].as_f64().unwrap_or(f64::NAN);
        println!("{width}px: cumulative layout shift {shifts:.4}");
        assert!(shifts <= 0.1, "{width}px: cumulative layout shift {shifts} (at most 0.1)");
        browser.close().await;
    }
}

#[tokio::test]
async fn the_shell_shows_the_first_lesson_only_where_the_app_opens_it() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("first-visit-where").await;
    let client = browser.client.clone();
    let shown = |hash: &'static str| {
        let client = client.clone();
        let url = format!("{}{hash}", server.url());
        async move {
            // A new document each time (a change of the fragment alone would keep the page).
            client.goto("about:blank").await.expect("blank");
            client.goto(&url).await.expect("load");
            script(&client, "return document.documentElement.classList.contains('shell-first-lesson');")
                .await
                .as_bool()
                .unwrap_or(false)
        }
    };
    assert!(shown(FIRST).await, "the first exercise's own address");
    assert!(!shown("#/02-clusterip-and-ports/clinic-internal-api").await, "another exercise's address");
    // Nothing stored yet, no address: the app opens the first exercise.
    script(&client, "localStorage.clear();").await;
    assert!(shown("").await, "no address on a first visit");
    // Once an exercise was opened, no address opens that one instead.
    script(
        &client,
        "localStorage.setItem('switchboard.layout', JSON.stringify({ last: '#/03-dns/ledger-by-name' }));",
    )
    .await;
    assert!(!shown("").await, "no address, another exercise last opened");
    browser.close().await;
}

/// The first grade waits only for the first wasm module (`web-*_bg.wasm`): the modules split
/// from it (web/src/later.rs) are requested after the checks are graded, and then the
/// editor, the picture and the terminal arrive in their panels.
#[tokio::test]
async fn the_first_grade_waits_only_for_the_first_module() {
    let server = StaticServer::start_gzip(dist_dir()).expect("static server");
    let browser = Browser::start("first-visit-split").await;
    let client = browser.client.clone();
    slow_network(&client).await;
    client.goto(&format!("{}{FIRST}", server.url())).await.expect("load");
    let arrived = until(Duration::from_secs(60), || async {
        script(
            &client,
            "return !!document.querySelector('#editor .tab') && !!document.querySelector('#topology svg')
                && !!document.getElementById('terminal-input');",
        )
        .await
        .as_bool()
        .unwrap_or(false)
    })
    .await;
    assert!(arrived, "the editor, the picture and the terminal arrived after the first grade");
    let wasm = script(
        &client,
        "const graded = performance.getEntriesByName('switchboard-graded')[0].startTime;
         return performance.getEntriesByType('resource').filter(e => e.name.endsWith('.wasm'))
           .map(e => [e.name.split('/').pop(), e.startTime < graded]);",
    )
    .await;
    let wasm: Vec<(String, bool)> = serde_json::from_value(wasm).expect("resources");
    let before: Vec<&str> = wasm.iter().filter(|(_, b)| *b).map(|(n, _)| n.as_str()).collect();
    assert!(
        before.len() == 1 && before[0].starts_with("web-") && before[0].ends_with("_bg.wasm"),
        "{wasm:?}"
    );
    let later: Vec<&str> = wasm.iter().filter(|(_, b)| !b).map(|(n, _)| n.as_str()).collect();
    for part in ["split_editor-", "split_picture-", "split_dock-"] {
        assert!(later.iter().any(|n| n.starts_with(part)), "{part}* after the first grade: {wasm:?}");
    }
    browser.close().await;
}

/// A part whose module cannot be fetched says so in its panel, with "Try again", which loads
/// it once the network is back; the rest of the app works meanwhile.
#[tokio::test]
async fn a_part_that_cannot_be_fetched_says_so_and_tries_again() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("first-visit-unavailable").await;
    let client = browser.client.clone();
    let block = |urls: Value| {
        let client = client.clone();
        async move {
            client
                .issue_cmd(Cdp { cmd: "Network.setBlockedURLs", params: json!({ "urls": urls }) })
                .await
                .expect("block")
        }
    };
    client.issue_cmd(Cdp { cmd: "Network.enable", params: json!({}) }).await.expect("network");
    block(json!(["*split_dock-*"])).await;
    client.goto(&format!("{}{FIRST}", server.url())).await.expect("load");
    let said = until(Duration::from_secs(60), || async {
        script(
            &client,
            "const d = document.querySelector('#dock [role=alert]'); return d ? d.textContent : '';",
        )
        .await
        .as_str()
        .is_some_and(|t| t.contains("could not be downloaded"))
    })
    .await;
    assert!(said, "the dock says its part could not be downloaded");
    let graded = script(
        &client,
        "return !!document.querySelector('#checks-region') && !document.getElementById('panic-banner');",
    )
    .await;
    assert_eq!(graded, json!(true), "the lesson and its checks work meanwhile, and nothing panicked");
    block(json!([])).await;
    client
        .execute("document.querySelector('#dock [role=alert] button').click();", vec![])
        .await
        .expect("try again");
    let arrived = until(Duration::from_secs(30), || async {
        script(&client, "return !!document.getElementById('terminal-input');")
            .await
            .as_bool()
            .unwrap_or(false)
    })
    .await;
    assert!(arrived, "Try again brings the terminal once the network is back");
    browser.close().await;
}

#[tokio::test]
async fn a_first_visit_downloads_each_file_once() {
    let server = StaticServer::start_gzip(dist_dir()).expect("static server");
    let browser = Browser::start("first-visit-once").await;
    let client = browser.client.clone();
    client.goto(&format!("{}{FIRST}", server.url())).await.expect("load");
    let installed = until(Duration::from_secs(60), || async {
        script(&client, "return !!navigator.serviceWorker.controller;").await.as_bool().unwrap_or(false)
    })
    .await;
    assert!(installed, "the service worker installed and controls the page");
    let sent = server.sent();
    let mut twice: Vec<&String> =
        sent.iter().filter(|p| sent.iter().filter(|q| q == p).count() > 1).collect();
    twice.dedup();
    assert!(twice.is_empty(), "downloaded more than once: {twice:?}\nall: {sent:?}");
    // The precache holds the whole build: the wasm among it, sent once.
    assert!(sent.iter().any(|p| p.ends_with(".wasm")), "{sent:?}");
    assert!(sent.iter().filter(|p| p.starts_with("exercises/")).count() > 50, "{sent:?}");
    browser.close().await;
}
