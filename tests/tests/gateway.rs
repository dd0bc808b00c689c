//! Gateway API in the browser: the first file that names `gateway.networking.k8s.io` brings
//! the Gateway API's part of the model (a wasm module of its own, not fetched before); then
//! the picture draws the Gateway's proxy with its listeners and Routes, `kubectl get` and
//! `describe` show the Gateway and its Route with their status, and a request composed to
//! the Route's hostname walks through the Gateway to the backend.

use std::time::Duration;

use e2e::{active_editor, dist_dir, text_of, until, Browser, StaticServer};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};

/// The built-in controller's class, a Gateway in `shop` and a Route for `shop.example` to the
/// sandbox's `web` Service, as one `List` on one line (typed into the editor as is).
const GATEWAY: &str = r#"{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass", "metadata": {"name": "example"}, "spec": {"controllerName": "example.net/gateway-controller"}}, {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway", "metadata": {"name": "shop-gw", "namespace": "shop"}, "spec": {"gatewayClassName": "example", "listeners": [{"name": "http", "protocol": "HTTP", "port": 80}]}}, {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": {"name": "web", "namespace": "shop"}, "spec": {"parentRefs": [{"name": "shop-gw"}], "hostnames": ["shop.example"], "rules": [{"backendRefs": [{"name": "web", "port": 80}]}]}}]}"#;

async fn fetched(client: &Client, module: &str) -> bool {
    let script =
        format!("return performance.getEntriesByType('resource').some(e => e.name.includes('{module}'));");
    client.execute(&script, vec![]).await.ok().and_then(|v| v.as_bool()).unwrap_or(false)
}

#[tokio::test]
async fn a_gateway_is_read_drawn_listed_and_routed_in_the_browser() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("gateway").await;
    let client = browser.client.clone();
    let wait = Duration::from_secs(30);
    client.goto(&format!("{}#/sandbox/sandbox-playground", server.url())).await.expect("load");
    assert!(
        until(wait, || async { text_of(&client, "#exercise-title").await == "Sandbox: playground" }).await
    );
    assert!(
        until(wait, || async { client.find(Locator::Css("#terminal-input")).await.is_ok() }).await,
        "the terminal arrives"
    );
    assert!(!fetched(&client, "split_gateway").await, "no Gateway file yet: its module is not fetched");

    e2e::element(&client, "#add-file").await.click().await.expect("add");
    client.send_alert_text("gateway").await.expect("name");
    client.accept_alert().await.expect("ok");
    let editor = active_editor(&client).await;
    editor.click().await.expect("focus");
    editor.send_keys(GATEWAY).await.expect("type the Gateway");

    // The picture: the Gateway's proxy pod, named after the Gateway, with its listener port.
    let proxy = "#cluster-picture g[data-id^='pod/shop/shop-gw-example-']";
    assert!(
        until(Duration::from_secs(15), || async { client.find(Locator::Css(proxy)).await.is_ok() }).await,
        "the picture draws the Gateway's proxy"
    );
    assert!(fetched(&client, "split_gateway").await, "the Gateway API's module was fetched");
    let drawn = text_of(&client, proxy).await;
    assert!(drawn.contains("gateway shop-gw") && drawn.contains(":80"), "{drawn}");
    assert!(
        client.find(Locator::Css("#cluster-picture g[data-id='lb/shop/shop-gw-example']")).await.is_ok(),
        "and its load balancer"
    );

    // The terminal: the Gateway with kubectl's columns, the Route's status.
    let got = e2e::terminal(&client, "kubectl get gateways -n shop", "shop-gw").await;
    assert!(got.contains("NAME") && got.contains("CLASS") && got.contains("PROGRAMMED"), "{got}");
    assert!(
        got.lines().any(|l| l.starts_with("shop-gw ") && l.contains("example") && l.contains("True")),
        "{got}"
    );
    let got = e2e::terminal(&client, "kubectl describe httproute web -n shop", "Accepted").await;
    assert!(got.contains("ResolvedRefs"), "{got}");

    // The composer: from outside to the Route's hostname, through the Gateway to a web pod.
    let to = client.find(Locator::Css("#composer-to")).await.expect("composer");
    to.clear().await.expect("clear");
    to.send_keys(&format!("http://shop.example/{}", char::from(Key::Enter))).await.expect("send");
    let done = until(Duration::from_secs(15), || async {
        text_of(&client, "#trace-outcome").await.contains("delivered")
    })
    .await;
    let listing = text_of(&client, "#hop-list").await;
    assert!(done, "the request is delivered: {listing}");
    let mut ats = Vec::new();
    for li in client.find_all(Locator::Css("#hop-list li code")).await.expect("hops") {
        ats.push(li.text().await.expect("text"));
    }
    assert!(ats.iter().any(|a| a == "gateway/shop/shop-gw"), "the Gateway's routing hop: {ats:?}");
    assert!(ats.last().is_some_and(|a| a.starts_with("pod/shop/web-")), "ends at a web pod: {ats:?}");
    assert!(listing.contains("HTTPRoute shop/web"), "the hop names the Route that won:\n{listing}");
    if let Some(path) = std::env::var_os("SWITCHBOARD_SCREENSHOT") {
        std::fs::write(path, client.screenshot().await.expect("screenshot")).expect("write");
    }
    browser.close().await;
}

/// Converts the open file `shop-ingress.yaml`, waits for the new file to open and opens the
/// Replay tab; returns what the converted file shows.
async fn convert_then_replay(client: &Client) -> String {
    e2e::element(client, "#convert-ingress").await.click().await.expect("convert");
    let opened = until(Duration::from_secs(15), || async {
        client.find(Locator::Css(".editor-pane.active[data-file='shop-ingress-gateway.yaml']")).await.is_ok()
    })
    .await;
    assert!(opened, "the converted file opens");
    let converted = text_of(client, ".editor-pane.active .cm-content").await;
    client.find(Locator::Css("#dock-tab-replay")).await.expect("Replay tab").click().await.expect("open");
    converted
}

/// A Service for the API and an Ingress for `shop.example` (one line each, typed as is):
/// first `/` to `web` only, then with `/api` to `api-svc` as well.
const API_SERVICE: &str = r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api-svc", "namespace": "shop"}, "spec": {"selector": {"app": "api"}, "ports": [{"port": 80, "targetPort": 8080}]}}"#;

fn ingress(paths: &[(&str, &str)]) -> String {
    let paths: Vec<String> = paths
        .iter()
        .map(|(path, svc)| {
            format!(r#"{{"path": "{path}", "pathType": "Prefix", "backend": {{"service": {{"name": "{svc}", "port": {{"number": 80}}}}}}}}"#)
        })
        .collect();
    format!(
        r#"{{"apiVersion": "v1", "kind": "List", "items": [{API_SERVICE}, {{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {{"name": "shop", "namespace": "shop"}}, "spec": {{"ingressClassName": "nginx", "rules": [{{"host": "shop.example", "http": {{"paths": [{}]}}}}]}}}}]}}"#,
        paths.join(", ")
    )
}

/// In a sandbox: the first Ingress brings the ingress controller's routing (a wasm module of
/// its own, not fetched before); the Ingress converts to Gateway API objects in a new file; the Replay tab
/// sends the same requests through both and finds none differs; a path added to the
/// Ingress alone is a difference, explained by both decisions; taken out again, none is.
#[tokio::test]
async fn an_ingress_converts_and_replays_in_the_browser() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("replay").await;
    let client = browser.client.clone();
    let wait = Duration::from_secs(30);
    client.goto(&format!("{}#/sandbox/sandbox-playground", server.url())).await.expect("load");
    assert!(until(wait, || async { client.find(Locator::Css("#terminal-input")).await.is_ok() }).await);
    assert!(!fetched(&client, "split_ingress").await, "no Ingress yet: the routing's module is not fetched");
    e2e::element(&client, "#add-file").await.click().await.expect("add");
    client.send_alert_text("shop-ingress").await.expect("name");
    client.accept_alert().await.expect("ok");
    let editor = active_editor(&client).await;
    editor.click().await.expect("focus");
    editor.send_keys(&ingress(&[("/", "web")])).await.expect("type the Ingress");

    let converted = convert_then_replay(&client).await;
    assert!(converted.contains("kind: HTTPRoute") && converted.contains("shop.example"), "{converted}");
    let summary = || async { text_of(&client, "#replay-summary").await };
    assert!(
        until(Duration::from_secs(15), || async { summary().await.ends_with(": 0 differ") }).await,
        "the conversion agrees: {}",
        summary().await
    );
    assert!(fetched(&client, "split_ingress").await, "the ingress controller's routing was fetched");

    // A path added to the Ingress alone: the Gateway still sends /api to web.
    let tab =
        client.find(Locator::XPath("//button[@role='tab' and normalize-space()='shop-ingress.yaml']")).await;
    tab.expect("the Ingress's tab").click().await.expect("open it");
    let editor = active_editor(&client).await;
    editor.click().await.expect("focus");
    editor.send_keys(&(Key::Control + "a")).await.expect("select all");
    editor.send_keys(&ingress(&[("/", "web"), ("/api", "api-svc")])).await.expect("retype");
    assert!(
        until(Duration::from_secs(15), || async {
            let list = text_of(&client, "#replay-list").await;
            list.contains("http://shop.example/api") && list.contains("Ingress: shop/api-svc:80")
        })
        .await,
        "the difference and both decisions: {}\n{}",
        summary().await,
        text_of(&client, "#replay-list").await
    );
    if let Some(path) = std::env::var_os("SWITCHBOARD_SCREENSHOT") {
        std::fs::write(path, client.screenshot().await.expect("screenshot")).expect("write");
    }
    // Taken out again: nothing differs.
    editor.send_keys(&(Key::Control + "a")).await.expect("select all");
    editor.send_keys(&ingress(&[("/", "web")])).await.expect("retype");
    assert!(
        until(Duration::from_secs(15), || async { summary().await.ends_with(": 0 differ") }).await,
        "{}",
        summary().await
    );
    browser.close().await;
}

/// The shop on ingress-nginx, as a sandbox: its file arrives with the Ingresses (TLS, a
/// regex path with a rewrite), converts, and the replay explains the one difference (the
/// regex path matches `/API` too under ingress-nginx, case-insensitively).
#[tokio::test]
async fn the_shop_starter_converts_and_replays() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("shop-starter").await;
    let client = browser.client.clone();
    let wait = Duration::from_secs(30);
    client.goto(&format!("{}#/sandbox/sandbox-playground", server.url())).await.expect("load");
    assert!(until(wait, || async { client.find(Locator::Css("#terminal-input")).await.is_ok() }).await);
    e2e::element(&client, "option[value='new-shop-sandbox']").await.click().await.expect("pick");
    client.send_alert_text("shop").await.expect("name it");
    client.accept_alert().await.expect("ok");
    assert!(until(wait, || async { text_of(&client, "#exercise-title").await == "Sandbox: shop" }).await);
    assert!(
        until(Duration::from_secs(10), || async {
            text_of(&client, ".editor-pane.active .cm-content")
                .await
                .contains("ready to move to the Gateway API")
        })
        .await,
        "the shop's Ingresses are in its file"
    );
    convert_then_replay(&client).await;
    assert!(
        until(Duration::from_secs(15), || async {
            text_of(&client, "#replay-summary").await.ends_with(": 1 differ")
        })
        .await,
        "one difference: {}",
        text_of(&client, "#replay-summary").await
    );
    let list = text_of(&client, "#replay-list").await;
    assert!(list.contains("https://shop.example/API") && list.contains("case-insensitive regex"), "{list}");
    if let Some(path) = std::env::var_os("SWITCHBOARD_SCREENSHOT") {
        std::fs::write(path, client.screenshot().await.expect("screenshot")).expect("write");
    }
    browser.close().await;
}
