//! The request composer: a request from outside to a NodePort is sent with the keyboard, plays
//! hop by hop over the picture, and reads as a text listing: internet, node, kube-proxy, pod.

use std::time::Duration;

use e2e::{active_editor, dist_dir, text_of, until, Browser, StaticServer};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};

const NODE_PORT: &str = r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web-np", "namespace": "shop"}, "spec": {"type": "NodePort", "selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": "http", "nodePort": 30080}]}}"#;

const POLICY: &str = r#"{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "web-from-client", "namespace": "shop"}, "spec": {"podSelector": {"matchLabels": {"app": "web"}}, "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "client"}}}], "ports": [{"port": 8080}]}]}}"#;

/// Presses Tab until the element with `id` has the focus (at most 80 times).
async fn tab_to(client: &Client, id: &str) -> bool {
    for _ in 0..80 {
        let focused = client
            .execute("return document.activeElement ? document.activeElement.id : '';", vec![])
            .await
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        if focused == id {
            return true;
        }
        let Ok(active) = client.active_element().await else { return false };
        if active.send_keys(&char::from(Key::Tab).to_string()).await.is_err() {
            return false;
        }
    }
    false
}

#[tokio::test]
async fn a_request_to_a_node_port_plays_hop_by_hop() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("composer").await;
    let client = browser.client.clone();
    let wait = Duration::from_secs(30);
    client.goto(&format!("{}#/sandbox/sandbox-playground", server.url())).await.expect("load");
    assert!(
        until(wait, || async { text_of(&client, "#exercise-title").await == "Sandbox: playground" }).await
    );
    e2e::element(&client, "#add-file").await.click().await.expect("add");
    client.send_alert_text("nodeport").await.expect("name");
    client.accept_alert().await.expect("ok");
    let editor = active_editor(&client).await;
    editor.click().await.expect("focus");
    editor.send_keys(NODE_PORT).await.expect("type the Service");
    assert!(
        until(Duration::from_secs(5), || async {
            client.find(Locator::Css("#cluster-picture g[data-id='svc/shop/web-np']")).await.is_ok()
        })
        .await,
        "the picture shows the new Service"
    );

    // Keyboard only: Tab to the composer (Escape first leaves the editor, whose Tab indents),
    // type the destination and press Enter.
    editor.send_keys(&char::from(Key::Escape).to_string()).await.expect("leave the editor");
    assert!(tab_to(&client, "composer-to").await, "Tab reaches the composer");
    let to = client.active_element().await.expect("focus");
    to.send_keys(&format!("192.168.49.2:30080{}", char::from(Key::Enter))).await.expect("send");
    let done = until(Duration::from_secs(15), || async {
        text_of(&client, "#trace-outcome").await.contains("delivered")
    })
    .await;
    assert!(done, "the request is delivered: {}", text_of(&client, "#hop-list").await);
    let mut ats = Vec::new();
    for li in client.find_all(Locator::Css("#hop-list li code")).await.expect("hops") {
        ats.push(li.text().await.expect("text"));
    }
    let order = ["internet", "node/node-1", "kube-proxy/node-1", "pod/shop/web-"];
    let mut at = 0;
    for want in order {
        let found = ats[at..]
            .iter()
            .position(|a| a.starts_with(want))
            .unwrap_or_else(|| panic!("{want} missing in {ats:?}"));
        at += found + 1;
    }
    assert!(client.find(Locator::Css("#packet")).await.is_ok(), "the packet is drawn");
    let count = text_of(&client, ".step-count").await;
    assert!(tab_to(&client, "step-prev").await, "Tab reaches the step controls");
    client
        .active_element()
        .await
        .expect("focus")
        .send_keys(&char::from(Key::Enter).to_string())
        .await
        .expect("step back");
    assert!(
        until(Duration::from_secs(2), || async { text_of(&client, ".step-count").await != count }).await,
        "stepping back moves the packet"
    );
    assert!(
        client.find(Locator::Css("#trace-outcome")).await.is_err(),
        "the outcome shows at the last hop only"
    );
    // Step back to kube-proxy's choice: its candidates are drawn with their odds.
    for _ in 0..10 {
        if text_of(&client, "#hop-list li.current").await.starts_with("DNAT") {
            break;
        }
        client.find(Locator::Css("#step-prev")).await.expect("back").click().await.expect("step back");
    }
    assert!(text_of(&client, "#hop-list li.current").await.starts_with("DNAT"), "kube-proxy's hop");
    assert!(
        client.find_all(Locator::Css(".packet-layer .candidate")).await.expect("candidates").len() == 2,
        "both endpoints drawn as candidates"
    );
    assert!(text_of(&client, ".packet-layer .rewrite").await.contains("->"), "the rewrite is shown");
    if let Some(path) = std::env::var_os("SWITCHBOARD_SCREENSHOT") {
        let wrap = client.find(Locator::Css(".picture-wrap")).await.expect("picture");
        std::fs::write(path, wrap.screenshot().await.expect("screenshot")).expect("write");
    }
    // The hop's cause opens the file that decided it, in the editor.
    let cause = client.find(Locator::Css("#hop-list .cause")).await.expect("a cause link");
    let label = cause.text().await.expect("cause text");
    let file = label.rsplit_once('(').and_then(|(_, f)| f.split(':').next()).unwrap_or_default().to_string();
    cause.click().await.expect("follow the cause");
    assert!(
        until(Duration::from_secs(2), || async {
            client.find(Locator::Css(&format!(".editor-pane.active[data-file='{file}']"))).await.is_ok()
        })
        .await,
        "{label}: the editor shows {file}"
    );
    // kube-proxy's random choice lists every endpoint with its probability.
    let listing = text_of(&client, "#hop-list").await;
    assert!(listing.contains("p = 0.50"), "two web endpoints at one half each:\n{listing}");

    // Twenty requests: they spread over both endpoints.
    client.find(Locator::Css("#composer-send10")).await.expect("send 10").click().await.expect("send");
    client.find(Locator::Css("#composer-send10")).await.expect("send 10").click().await.expect("send");
    assert!(
        until(Duration::from_secs(30), || async {
            text_of(&client, "#spread caption").await.starts_with("20 of 20 arrived")
        })
        .await,
        "all twenty arrive: {}",
        text_of(&client, "#spread").await
    );
    let rows = client.find_all(Locator::Css("#spread tbody tr")).await.expect("rows");
    assert_eq!(rows.len(), 2, "both endpoints got requests: {}", text_of(&client, "#spread").await);

    // A broken selector: the picture marks the Service as having no endpoints, and the same
    // request is rejected with kube-proxy's no-endpoints explanation.
    let editor = e2e::active_editor(&client).await;
    editor.click().await.expect("focus");
    editor.send_keys(&(Key::Control + "a")).await.expect("select all");
    editor.send_keys(&NODE_PORT.replace(r#""app": "web""#, r#""app": "wbe""#)).await.expect("typo");
    assert!(
        until(Duration::from_secs(5), || async {
            client.find(Locator::Css("#cluster-picture g.bad[data-id='svc/shop/web-np']")).await.is_ok()
        })
        .await,
        "the Service is marked as having no endpoints"
    );
    client.find(Locator::Css("#composer-send")).await.expect("send").click().await.expect("send");
    assert!(
        until(Duration::from_secs(15), || async {
            text_of(&client, "#trace-outcome").await.contains("no endpoints")
        })
        .await,
        "rejected for want of endpoints: {}",
        text_of(&client, "#hop-list").await
    );
    assert!(text_of(&client, "#hop-list").await.contains("REJECT"), "kube-proxy rejects it");

    // Select a web pod on the picture: with a policy letting only the client in on 8080, that
    // is all that can reach it, and it can still reach anything.
    let editor = e2e::active_editor(&client).await;
    editor.click().await.expect("focus");
    editor.send_keys(&(Key::Control + "a")).await.expect("select all");
    editor.send_keys(POLICY).await.expect("a policy");
    assert!(
        until(Duration::from_secs(5), || async {
            client
                .find(Locator::Css("#cluster-picture g.pod[data-id^='pod/shop/web-'] .shield"))
                .await
                .is_ok()
        })
        .await,
        "the web pods are shown isolated for ingress"
    );
    let web =
        client.find(Locator::Css("#cluster-picture g[data-id^='pod/shop/web-']")).await.expect("a web pod");
    web.click().await.expect("select it");
    assert!(
        until(Duration::from_secs(3), || async { !text_of(&client, "#connections-in").await.is_empty() })
            .await,
        "the connections are shown"
    );
    let incoming = text_of(&client, "#connections-in").await;
    assert_eq!(incoming.trim(), "shop/client: TCP 8080", "only the client, on 8080");
    assert!(text_of(&client, "#connections-out").await.contains("outside 0.0.0.0/0: all"), "egress is open");
    if let Some(path) = std::env::var_os("SWITCHBOARD_SCREENSHOT_CONNECTIONS") {
        let panel =
            client.find(Locator::Css("#cluster-picture g[data-id='node/node-1']")).await.expect("node");
        std::fs::write(path, panel.screenshot().await.expect("screenshot")).expect("write");
    }
    browser.close().await;
}

/// With prefers-reduced-motion the request is shown whole at once: no packet travels.
#[tokio::test]
async fn reduced_motion_shows_the_whole_request_at_once() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start_with("composer-reduced", |caps| {
        if let Some(args) = caps["goog:chromeOptions"]["args"].as_array_mut() {
            args.push("--force-prefers-reduced-motion".into());
        }
    })
    .await;
    let client = browser.client.clone();
    client.goto(&format!("{}#/sandbox/sandbox-playground", server.url())).await.expect("load");
    let to = client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("#composer-to"))
        .await
        .expect("the composer");
    to.send_keys(&format!("http://203.0.113.1/{}", char::from(Key::Enter))).await.expect("send");
    assert!(
        until(Duration::from_millis(1500), || async {
            client.find(Locator::Css("#trace-outcome")).await.is_ok()
        })
        .await,
        "the outcome shows at once"
    );
    let count = text_of(&client, ".step-count").await;
    let numbers: Vec<&str> = count.split_whitespace().filter(|w| w.parse::<usize>().is_ok()).collect();
    assert!(numbers.len() == 2 && numbers[0] == numbers[1], "every hop shown: {count}");
    browser.close().await;
}
