//! The workbench keeps the feedback in view: with the editor focused after a keystroke every
//! check's mark and the summary are on screen and not covered; while stepping a request, the
//! current hop's line in the listing and its box on the picture are both on screen; the
//! terminal answers in the exercise's namespace; on a phone the page never scrolls sideways.
//! At 1400x900 and at 390x844.

use std::time::Duration;

use e2e::{dist_dir, text_of, until, Browser, Cdp, StaticServer};
use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(30);

/// A browser whose page (not window) is `width` x `height` CSS pixels.
async fn browser(tag: &str, width: u32, height: u32) -> Browser {
    let b = Browser::start_with(tag, |caps| {
        if let Some(Value::Array(args)) = caps.get_mut("goog:chromeOptions").and_then(|o| o.get_mut("args")) {
            args.retain(|a| !a.as_str().is_some_and(|a| a.starts_with("--window-size")));
            args.push(Value::String(format!("--window-size={width},{height}")));
        }
    })
    .await;
    // The page itself at that size, as on a device (the window's frame would take some).
    let metrics = serde_json::json!({
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600,
    });
    b.client
        .issue_cmd(Cdp { cmd: "Emulation.setDeviceMetricsOverride", params: metrics })
        .await
        .expect("emulate the screen size");
    b
}

async fn script(client: &fantoccini::Client, js: &str) -> Value {
    client.execute(js, vec![]).await.expect("script")
}

/// Every check's mark and the summary are inside the viewport, and the element at each mark's
/// centre is the mark (nothing covers it). Returns the problems found.
const MARKS_IN_VIEW: &str = r#"
const problems = [];
const inView = (el, name) => {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) { problems.push(name + ' is not drawn'); return false; }
  if (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth) {
    problems.push(name + ' is outside the viewport: ' + JSON.stringify([r.left, r.top, r.right, r.bottom]));
    return false;
  }
  return true;
};
const summary = document.getElementById('checks-summary');
if (!summary) problems.push('no #checks-summary'); else inView(summary, 'the summary');
const items = document.querySelectorAll('#checks > li');
if (items.length === 0) problems.push('no checks');
items.forEach((li, i) => {
  const mark = li.querySelector('.check-mark');
  if (!mark) { problems.push('check ' + i + ' has no mark'); return; }
  if (!inView(mark, 'mark ' + i)) return;
  const r = mark.getBoundingClientRect();
  const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  if (at !== mark && !mark.contains(at)) problems.push('mark ' + i + ' is covered by ' + (at ? at.outerHTML.slice(0, 80) : 'nothing'));
});
return problems;
"#;

/// The current hop's item in the listing and its box on the picture: each inside the viewport
/// and inside the box that scrolls it.
const HOP_IN_VIEW: &str = r#"
const problems = [];
const inside = (el, name, clip) => {
  if (!el) { problems.push('no ' + name); return; }
  const r = el.getBoundingClientRect();
  const boxes = [[0, 0, innerWidth, innerHeight, 'the viewport']];
  if (clip) { const c = clip.getBoundingClientRect(); boxes.push([c.left, c.top, c.right, c.bottom, '#' + clip.id]); }
  for (const [l, t, rr, b, what] of boxes) {
    if (r.top < t - 1 || r.left < l - 1 || r.bottom > b + 1 || r.right > rr + 1)
      problems.push(name + ' is outside ' + what + ': ' + JSON.stringify([r.left, r.top, r.right, r.bottom]) + ' vs ' + JSON.stringify([l, t, rr, b]));
  }
};
inside(document.querySelector('#hop-list li[aria-current="step"]'), 'the current hop item', document.getElementById('dock-hops'));
inside(document.querySelector('#cluster-picture g[aria-current="step"]'), 'the current hop box', document.getElementById('picture-viewport'));
return problems;
"#;

const NO_SIDEWAYS_SCROLL: &str =
    "return document.documentElement.scrollWidth <= window.innerWidth && document.body.scrollWidth <= window.innerWidth;";

fn problems(v: Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|p| p.as_str().map(String::from)).collect()).unwrap_or_default()
}

/// Opens an exercise, waits for its checks, types a space at the end of the first file (the
/// editor keeps focus) and waits for the grade after it.
async fn open_and_type(client: &fantoccini::Client, base: &str, hash: &str) {
    client.goto(&format!("{base}{hash}")).await.expect("load");
    assert!(
        until(WAIT, || async {
            client.find_all(Locator::Css("#checks > li")).await.is_ok_and(|l| l.len() > 1)
        })
        .await,
        "the checks of {hash} appear"
    );
    let editor = e2e::active_editor(client).await;
    editor.click().await.expect("focus the editor");
    editor.send_keys(&char::from(Key::End).to_string()).await.expect("to the end of the line");
    editor.send_keys(" ").await.expect("a keystroke");
    assert!(
        until(WAIT, || async {
            script(client, "return !!document.activeElement.closest('.cm-editor') && performance.getEntriesByName('switchboard-edit-to-checks').length > 0;")
                .await
                .as_bool()
                .unwrap_or(false)
        })
        .await,
        "the keystroke is graded and the editor keeps focus"
    );
}

async fn checks_in_view(client: &fantoccini::Client, what: &str) {
    let found = problems(script(client, MARKS_IN_VIEW).await);
    if !found.is_empty() {
        if let Ok(dir) = std::env::var("SWITCHBOARD_SCREENSHOTS") {
            let png = client.screenshot().await.expect("screenshot");
            std::fs::write(format!("{dir}/failed-{}.png", what.replace(['/', ' '], "-")), png)
                .expect("write");
        }
    }
    assert!(found.is_empty(), "{what}: {found:#?}");
}

/// Clicks the element with `id` after scrolling it to the middle of the screen, as a person
/// on a phone scrolls to what they tap (WebDriver would scroll it to the bottom edge, under
/// the checks bar).
async fn tap(client: &fantoccini::Client, id: &str) -> fantoccini::elements::Element {
    let el = client.find(Locator::Id(id)).await.unwrap_or_else(|e| panic!("#{id}: {e}"));
    client
        .execute(&format!("document.getElementById('{id}').scrollIntoView({{block: 'center'}});"), vec![])
        .await
        .expect("scroll");
    el.click().await.unwrap_or_else(|e| panic!("click #{id}: {e}"));
    el
}

/// Sends a request from the composer (from its default pod), then steps twice.
async fn send_and_step(client: &fantoccini::Client) {
    let to = tap(client, "composer-to").await;
    to.send_keys(&format!("http://playout:80{}", char::from(Key::Enter))).await.expect("send");
    assert!(
        until(WAIT, || async { client.find(Locator::Id("hop-list")).await.is_ok() }).await,
        "the Hops tab lists the request"
    );
    for _ in 0..2 {
        client.find(Locator::Id("step-next")).await.expect("step").click().await.expect("click step");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Let the smooth scrolls finish.
    tokio::time::sleep(Duration::from_millis(900)).await;
}

async fn the_workbench_at(width: u32, height: u32) {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = browser(&format!("workbench-{width}"), width, height).await;
    let client = browser.client.clone();
    let base = server.url();
    let size = format!("{width}x{height}");
    client.goto(&base).await.expect("load");
    let inner = script(&client, "return [window.innerWidth, window.innerHeight]").await;
    assert_eq!(inner, serde_json::json!([width, height]), "the page is {size}");

    open_and_type(&client, &base, "#/08-ingress/ingress-exact-and-prefix").await;
    assert_eq!(script(&client, "return document.querySelectorAll('#checks > li').length").await, 9);
    checks_in_view(&client, &format!("08-ingress/01 at {size}")).await;
    assert_eq!(script(&client, NO_SIDEWAYS_SCROLL).await, Value::Bool(true), "no sideways scroll at {size}");

    if width < 1000 {
        // One column: the page scrolls, so the story is never cut inside its panel.
        let clipped = "return ['lesson-scroll', 'lesson'].some(id => { const s = document.getElementById(id); return s.scrollHeight > s.clientHeight + 1; });";
        assert_eq!(
            script(&client, clipped).await,
            Value::Bool(false),
            "the whole story is on the page at {size}"
        );
    }
    open_and_type(&client, &base, "#/09-network-policy/np-isolate-the-playout-server").await;
    checks_in_view(&client, &format!("09-network-policy/00 at {size}")).await;

    send_and_step(&client).await;
    let tab = client.find(Locator::Id("dock-tab-hops")).await.expect("the Hops tab");
    assert_eq!(
        tab.attr("aria-selected").await.expect("attr").as_deref(),
        Some("true"),
        "Send opens the Hops tab"
    );
    let found = problems(script(&client, HOP_IN_VIEW).await);
    assert!(found.is_empty(), "stepping at {size}: {found:#?}");
    assert_eq!(script(&client, NO_SIDEWAYS_SCROLL).await, Value::Bool(true), "no sideways scroll at {size}");

    // The terminal, one tab away, answers in the exercise's namespace.
    tap(&client, "dock-tab-terminal").await;
    let input = client.find(Locator::Id("terminal-input")).await.expect("terminal");
    input.send_keys(&format!("kubectl get endpoints{}", char::from(Key::Enter))).await.expect("run");
    assert!(
        until(WAIT, || async { text_of(&client, "#terminal-output").await.contains("playout") }).await,
        "kubectl get endpoints lists the exercise's Service at {size}: {}",
        text_of(&client, "#terminal-output").await
    );
    if let Ok(dir) = std::env::var("SWITCHBOARD_SCREENSHOTS") {
        let png = client.screenshot().await.expect("screenshot");
        std::fs::write(format!("{dir}/workbench-{size}.png"), png).expect("write the screenshot");
    }
    browser.close().await;
}

#[tokio::test]
async fn feedback_stays_in_view_on_a_wide_screen() {
    the_workbench_at(1400, 900).await;
}

#[tokio::test]
async fn feedback_stays_in_view_on_a_phone() {
    the_workbench_at(390, 844).await;
}

/// The splitters follow the WAI-ARIA window splitter pattern: a focusable separator with its
/// value and limits, moved by the arrow keys, and the size is kept for the next visit.
#[tokio::test]
async fn splitters_move_by_keyboard_and_the_layout_is_kept() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = browser("splitters", 1400, 900).await;
    let client = browser.client.clone();
    client.goto(&format!("{}#/01-why-services/first-service", server.url())).await.expect("load");
    let split =
        client.wait().at_most(WAIT).for_element(Locator::Id("split-lesson")).await.expect("a splitter");
    for attr in ["aria-valuenow", "aria-valuemin", "aria-valuemax", "aria-controls"] {
        assert!(split.attr(attr).await.expect("attr").is_some(), "the splitter has {attr}");
    }
    assert_eq!(split.attr("role").await.expect("attr").as_deref(), Some("separator"));
    assert_eq!(split.attr("tabindex").await.expect("attr").as_deref(), Some("0"));
    let before: f64 =
        split.attr("aria-valuenow").await.expect("attr").unwrap_or_default().parse().expect("a number");
    let width = || async {
        script(&client, "return document.getElementById('lesson').getBoundingClientRect().width")
            .await
            .as_f64()
            .unwrap_or(0.0)
    };
    let w0 = width().await;
    split.send_keys(&char::from(Key::Right).to_string().repeat(3)).await.expect("arrow keys");
    let after: f64 =
        split.attr("aria-valuenow").await.expect("attr").unwrap_or_default().parse().expect("a number");
    assert_eq!(after, before + 6.0, "three arrow presses move it by 6 %");
    assert!(width().await > w0 + 40.0, "the lesson got wider");
    client.refresh().await.expect("reload");
    let split =
        client.wait().at_most(WAIT).for_element(Locator::Id("split-lesson")).await.expect("a splitter");
    assert!(
        until(WAIT, || async {
            split.attr("aria-valuenow").await.ok().flatten().as_deref() == Some(&format!("{after:.0}"))
        })
        .await,
        "the size is kept across a reload"
    );
    browser.close().await;
}

/// A first visit introduces the four parts; dismissed, it stays away across reloads, and Help
/// brings it back. Visiting `/` returns to the exercise last worked on; an address that names
/// no exercise says so. Showing the solution marks the exercise revealed, not solved.
#[tokio::test]
async fn onboarding_returning_and_revealing() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = browser("onboarding", 1400, 900).await;
    let client = browser.client.clone();
    let base = server.url();

    client.goto(&format!("{base}#/03-dns/ledger-by-name")).await.expect("load");
    let intro =
        client.wait().at_most(WAIT).for_element(Locator::Id("intro")).await.expect("the introduction");
    assert!(intro.text().await.expect("text").contains("Terminal"), "it names the four parts");
    tap(&client, "intro-close").await;
    assert!(until(WAIT, || async { client.find(Locator::Id("intro")).await.is_err() }).await, "dismissed");

    // `/` comes back to the same exercise, without the introduction.
    client.goto(&base).await.expect("load /");
    assert!(
        until(WAIT, || async {
            script(&client, "return location.hash").await.as_str() == Some("#/03-dns/ledger-by-name")
        })
        .await,
        "/ returns to the last exercise, got {}",
        script(&client, "return location.hash").await
    );
    assert!(until(WAIT, || async { !text_of(&client, "#exercise-title").await.is_empty() }).await);
    assert!(client.find(Locator::Id("intro")).await.is_err(), "the introduction is not shown again");
    tap(&client, "help-button").await;
    assert!(client.find(Locator::Id("intro")).await.is_ok(), "Help shows it again");

    // An unknown address says so.
    client.goto(&format!("{base}#/03-dns/no-such-exercise")).await.expect("load");
    assert!(
        until(WAIT, || async {
            text_of(&client, "#banner").await.contains("There is no exercise at #/03-dns/no-such-exercise")
        })
        .await,
        "the unknown address is said"
    );

    // Show solution: revealed, not solved.
    client.goto(&format!("{base}#/01-why-services/first-service")).await.expect("load");
    let solution =
        client.wait().at_most(WAIT).for_element(Locator::Id("solution-button")).await.expect("button");
    solution.click().await.expect("show the solution");
    client.accept_alert().await.expect("confirm");
    assert!(
        until(WAIT, || async { client.find(Locator::Id("success")).await.is_ok() }).await,
        "the solution passes"
    );
    assert!(
        until(WAIT, || async {
            text_of(&client, "#progress-count").await.starts_with("0 of")
                && text_of(&client, "#progress-count").await.contains("1 revealed")
        })
        .await,
        "a revealed solution is not counted as solved: {}",
        text_of(&client, "#progress-count").await
    );
    browser.close().await;
}

/// The exercise picker opens an exercise on Enter, not at each arrow key on the way to it.
#[tokio::test]
async fn the_picker_opens_an_exercise_on_enter_not_on_each_arrow() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = browser("picker", 1400, 900).await;
    let client = browser.client.clone();
    client.goto(&format!("{}#/01-why-services/first-service", server.url())).await.expect("load");
    assert!(until(WAIT, || async { !text_of(&client, "#exercise-title").await.is_empty() }).await);
    let hash =
        || async { script(&client, "return location.hash").await.as_str().unwrap_or_default().to_string() };
    let picker = client.find(Locator::Id("exercise-picker")).await.expect("the picker");
    script(&client, "document.getElementById('exercise-picker').focus()").await;
    picker.send_keys(&char::from(Key::Down).to_string().repeat(2)).await.expect("arrow down twice");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(hash().await, "#/01-why-services/first-service", "arrow keys alone open nothing");
    picker.send_keys(&char::from(Key::Enter).to_string()).await.expect("Enter");
    assert!(
        until(WAIT, || async { hash().await != "#/01-why-services/first-service" }).await,
        "Enter opens the exercise chosen"
    );
    browser.close().await;
}
