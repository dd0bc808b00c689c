//! Keystroke-to-updated-checks time in Chromium, from the page's own performance marks
//! (`switchboard-edit` when the editor reports a change, `switchboard-graded` once the checks
//! are recomputed and `switchboard-rendered` once the view has them). Ignored by default: run
//! it with `cargo xtask bench`, which builds the site first.
//!
//! The learner's file of the first exercise is filled with 50 objects (20 Deployments,
//! 20 Services, 10 NetworkPolicies) through local storage, then 200 single-key edits are typed
//! at the end of a comment line.

use std::time::Duration;

use e2e::{active_editor, dist_dir, Browser, StaticServer};
use fantoccini::key::Key;
use fantoccini::Locator;

fn fifty_objects() -> String {
    let mut out = String::new();
    for i in 0..20 {
        out.push_str(&format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: app-{i}\n  template:\n    metadata:\n      labels:\n        app: app-{i}\n    spec:\n      containers:\n        - name: c\n          image: nginx:1.27\n          ports:\n            - name: http\n              containerPort: 8080\n---\n"
        ));
        out.push_str(&format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: app-{i}\nspec:\n  selector:\n    app: app-{i}\n  ports:\n    - port: 80\n      targetPort: http\n---\n"
        ));
    }
    for i in 0..10 {
        out.push_str(&format!(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-{i}\nspec:\n  podSelector:\n    matchLabels:\n      app: app-{i}\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: app-{}\n      ports:\n        - port: 8080\n---\n",
            i + 10
        ));
    }
    out.push_str("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: 8080\n# typing here:");
    out
}

/// Appends `name\tvalue\tunit` lines to the table `cargo xtask bench` prints.
fn record(lines: &str) {
    if let Some(dir) = std::env::var_os("SWITCHBOARD_BENCH_OUT") {
        use std::io::Write;
        let path = std::path::Path::new(&dir).join("browser.tsv");
        if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
            let _ = f.write_all(lines.as_bytes());
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or(f64::NAN)
}

#[tokio::test]
#[ignore = "a benchmark: run with `cargo xtask bench`"]
async fn keystroke_to_updated_checks() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("bench").await;
    let client = browser.client.clone();
    client.goto(&format!("{}#/01-why-services/first-service", server.url())).await.expect("load");
    active_editor(&client).await;
    client
        .execute(
            "localStorage.setItem('switchboard.v1.file.first-service/service.yaml', arguments[0]); return 0;",
            vec![serde_json::Value::String(fifty_objects())],
        )
        .await
        .expect("seed the file");
    client.refresh().await.expect("reload");
    let editor = active_editor(&client).await;
    editor.click().await.expect("focus");
    editor.send_keys(&(Key::Control + &char::from(Key::End).to_string())).await.expect("to the end");
    client.execute("performance.clearMeasures(); return 0;", vec![]).await.expect("clear");
    let bs = char::from(Key::Backspace).to_string();
    for i in 0..200 {
        let key = if i % 2 == 0 { "x" } else { bs.as_str() };
        editor.send_keys(key).await.expect("type");
        // One key per frame or two, as a fast typist.
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let measures = |name: &'static str| {
        let client = client.clone();
        async move {
            let v = client
                .execute(
                    "return performance.getEntriesByName(arguments[0]).map(e => e.duration);",
                    vec![serde_json::Value::String(name.into())],
                )
                .await
                .expect("measures");
            let mut d: Vec<f64> = v.as_array().into_iter().flatten().filter_map(|x| x.as_f64()).collect();
            d.sort_by(|a, b| a.total_cmp(b));
            d
        }
    };
    let total = measures("switchboard-edit-to-checks").await;
    let work = measures("switchboard-grade-and-render").await;
    browser.close().await;
    println!("\nkeystroke to updated checks, 50-object file, {} edits graded:", total.len());
    println!(
        "  from the key to the rendered checks (includes waiting for the next frame): p50 {:.2} ms, p95 {:.2} ms",
        percentile(&total, 0.5),
        percentile(&total, 0.95)
    );
    println!(
        "  grading and rendering (the work, from the frame callback): p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        percentile(&work, 0.5),
        percentile(&work, 0.95),
        work.last().copied().unwrap_or(f64::NAN)
    );
    record(&format!(
        "keystroke to checks, work p50\t{:.2}\tms\nkeystroke to checks, work p95\t{:.2}\tms\nkeystroke to checks, incl. frame wait p50\t{:.2}\tms\nkeystroke to checks, incl. frame wait p95\t{:.2}\tms\n",
        percentile(&work, 0.5),
        percentile(&work, 0.95),
        percentile(&total, 0.5),
        percentile(&total, 0.95)
    ));
    assert!(!total.is_empty(), "no measurements: did the page grade the edits?");
}

/// From navigation to the first exercise graded (the page's first `switchboard-graded` mark),
/// and the app's part of it (from `switchboard-start`, when the wasm starts the app):
/// fetching and compiling the wasm, starting the app, fetching the exercise and grading it.
/// The first visit comes from the local server; the twenty reloads after it from the service
/// worker's cache, as a returning learner's do.
#[tokio::test]
#[ignore = "a benchmark: run with `cargo xtask bench`"]
async fn startup_to_first_checks() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("bench-startup").await;
    let client = browser.client.clone();
    let first_graded = || {
        let client = client.clone();
        async move {
            for _ in 0..300 {
                let v = client
                    .execute(
                        "const m = performance.getEntriesByName('switchboard-graded')[0]; const s = performance.getEntriesByName('switchboard-start')[0]; return m && s ? [s.startTime, m.startTime] : null;",
                        vec![],
                    )
                    .await
                    .expect("marks");
                if let Some([start, graded]) =
                    v.as_array().map(|a| [0, 1].map(|i| a[i].as_f64().unwrap_or(f64::NAN)))
                {
                    return (start, graded);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            panic!("the first exercise was never graded");
        }
    };
    client.goto(&format!("{}#/01-why-services/first-service", server.url())).await.expect("load");
    let (cold_start, cold) = first_graded().await;
    // Let the service worker take control and finish its precache before the reloads.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (mut warm, mut app) = (Vec::new(), Vec::new());
    for _ in 0..20 {
        client.refresh().await.expect("reload");
        let (start, graded) = first_graded().await;
        warm.push(graded);
        app.push(graded - start);
    }
    warm.sort_by(|a, b| a.total_cmp(b));
    app.sort_by(|a, b| a.total_cmp(b));
    browser.close().await;
    println!(
        "\nnavigation to the first exercise graded: first visit {cold:.1} ms (the app's part {:.1} ms); 20 reloads p50 {:.1} ms, max {:.1} ms (the app's part, from its start: p50 {:.1} ms)",
        cold - cold_start,
        percentile(&warm, 0.5),
        warm.last().copied().unwrap_or(f64::NAN),
        percentile(&app, 0.5),
    );
    record(&format!(
        "startup to first checks, first visit\t{cold:.1}\tms\nstartup to first checks, reload p50\t{:.1}\tms\nstartup to first checks, reload, from the app's start, p50\t{:.1}\tms\n",
        percentile(&warm, 0.5),
        percentile(&app, 0.5)
    ));
}

const NODE_PORT: &str = r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web-np", "namespace": "shop"}, "spec": {"type": "NodePort", "selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": "http", "nodePort": 30080}]}}"#;

/// Frame rate with 20 packets in flight: "Send 10" clicked twice on a NodePort request, with
/// every requestAnimationFrame timestamp recorded by the page while they fly. A frame is
/// dropped for every 1/60 s beyond the first between two timestamps.
#[tokio::test]
#[ignore = "a benchmark: run with `cargo xtask bench`"]
async fn twenty_packets_in_flight() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("bench-fps").await;
    let client = browser.client.clone();
    client.goto(&format!("{}#/sandbox/sandbox-playground", server.url())).await.expect("load");
    e2e::element(&client, "#add-file").await.click().await.expect("add");
    client.send_alert_text("nodeport").await.expect("name");
    client.accept_alert().await.expect("ok");
    let editor = active_editor(&client).await;
    editor.click().await.expect("focus");
    editor.send_keys(NODE_PORT).await.expect("type the Service");
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#cluster-picture g[data-id='svc/shop/web-np']"))
        .await
        .expect("the Service on the picture");
    let to = client.find(Locator::Css("#composer-to")).await.expect("composer");
    to.send_keys("192.168.49.2:30080").await.expect("target");
    client
        .execute(
            "window.__frames = []; window.__recording = true;
             const f = t => { window.__frames.push(t); if (window.__recording) requestAnimationFrame(f); };
             requestAnimationFrame(f);
             document.getElementById('composer-send10').click();
             document.getElementById('composer-send10').click();
             return 0;",
            vec![],
        )
        .await
        .expect("send 20");
    let start = std::time::Instant::now();
    loop {
        let caption = match client.find(Locator::Css("#spread caption")).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if caption.starts_with("20 of 20") {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "the 20 requests never all arrived: {caption:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let v =
        client.execute("window.__recording = false; return window.__frames;", vec![]).await.expect("frames");
    browser.close().await;
    let frames: Vec<f64> = v.as_array().into_iter().flatten().filter_map(|x| x.as_f64()).collect();
    let period = 1000.0 / 60.0;
    let mut dropped = 0usize;
    let mut worst = 0.0f64;
    for w in frames.windows(2) {
        let dt = w[1] - w[0];
        worst = worst.max(dt);
        dropped += ((dt / period).round() as usize).saturating_sub(1);
    }
    let span = frames.last().unwrap_or(&0.0) - frames.first().unwrap_or(&0.0);
    println!("\n20 packets in flight (\"Send 10\" twice), {} frames over {:.0} ms:", frames.len(), span);
    println!(
        "  {:.1} frames per second, {dropped} frames dropped ({:.1} %), longest frame {:.1} ms",
        (frames.len().saturating_sub(1)) as f64 * 1000.0 / span.max(1.0),
        dropped as f64 * 100.0 / (frames.len() + dropped).max(1) as f64,
        worst
    );
    record(&format!(
        "20 packets in flight: frames per second\t{:.1}\tfps\n20 packets in flight: frames dropped\t{dropped}\tof {}\n",
        (frames.len().saturating_sub(1)) as f64 * 1000.0 / span.max(1.0),
        frames.len() + dropped
    ));
    assert!(frames.len() > 10, "no frames recorded");
}

/// A first visit on a slow phone network: the site served gzip-compressed (each file once,
/// before serving), Chromium's request-level emulation at 150 ms round trip and 1.6 Mbit/s
/// down (Lighthouse's Slow 4G), a cold cache (a fresh profile each time), opening the first
/// exercise. Three figures from navigation: the first contentful paint, the story on the page
/// (`switchboard-story`), the checks graded (`switchboard-graded`); medians of 3, without and
/// with a 4x CPU slowdown.
#[tokio::test]
#[ignore = "a benchmark: run with `cargo xtask bench`"]
async fn first_visit_on_a_slow_network() {
    let server = StaticServer::start_gzip(dist_dir()).expect("static server");
    let mut rows = String::new();
    for cpu in [1.0, 4.0] {
        let mut runs: Vec<[f64; 3]> = Vec::new();
        for i in 0..3 {
            let browser = Browser::start(&format!("bench-slow-{cpu}-{i}")).await;
            let client = browser.client.clone();
            let cdp = |cmd: &'static str, params: serde_json::Value| {
                let client = client.clone();
                async move { client.issue_cmd(e2e::Cdp { cmd, params }).await.expect(cmd) }
            };
            cdp("Network.enable", serde_json::json!({})).await;
            cdp(
                "Network.emulateNetworkConditions",
                serde_json::json!({
                    "offline": false, "latency": 150,
                    "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8,
                }),
            )
            .await;
            cdp("Emulation.setCPUThrottlingRate", serde_json::json!({ "rate": cpu })).await;
            client.goto(&format!("{}#/01-why-services/first-service", server.url())).await.expect("load");
            let mut figures = None;
            for _ in 0..600 {
                let v = client
                    .execute(
                        "const at = n => (performance.getEntriesByName(n)[0] || {}).startTime;
                         const g = at('switchboard-graded');
                         const paint = at('first-contentful-paint');
                         // The story is readable once it is both on the page and painted.
                         return g === undefined ? null : [paint, Math.max(paint, at('switchboard-story')), g];",
                        vec![],
                    )
                    .await
                    .expect("marks");
                if let Some(a) = v.as_array() {
                    figures = Some([0, 1, 2].map(|k| a[k].as_f64().unwrap_or(f64::NAN)));
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            runs.push(figures.expect("the first exercise was never graded"));
            browser.close().await;
        }
        let median = |k: usize| {
            let mut v: Vec<f64> = runs.iter().map(|r| r[k]).collect();
            v.sort_by(|a, b| a.total_cmp(b));
            percentile(&v, 0.5)
        };
        let (paint, story, graded) = (median(0), median(1), median(2));
        let when = if cpu > 1.0 { ", 4x CPU slowdown" } else { "" };
        println!(
            "\nfirst visit at 150 ms / 1.6 Mbit/s{when} (median of 3): painted {paint:.0} ms, story readable {story:.0} ms, graded {graded:.0} ms"
        );
        rows.push_str(&format!(
            "slow first visit{when}: painted\t{paint:.0}\tms\nslow first visit{when}: story readable\t{story:.0}\tms\nslow first visit{when}: graded\t{graded:.0}\tms\n"
        ));
    }
    record(&rows);
}
