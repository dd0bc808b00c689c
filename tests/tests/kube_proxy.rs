//! kube-proxy in nftables mode, in the browser: an exercise whose topology sets the mode draws
//! "nftables rules" in each node's kube-proxy box, the terminal's node-shell lists the
//! `ip kube-proxy` table (its iptables-save says the rules are not there), the `kube_proxy`
//! check is graded once kube-proxy's rules are fetched, and a request's kube-proxy hop names
//! the verdict-map element it matched, which the Rules tab marks in the node's table.

use std::time::Duration;

use e2e::{dist_dir, text_of, until, Browser, StaticServer};
use fantoccini::key::Key;
use fantoccini::Locator;

#[tokio::test]
async fn nftables_mode_is_drawn_listed_graded_and_traced() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("nftables").await;
    let client = browser.client.clone();
    let wait = Duration::from_secs(30);
    client.goto(&format!("{}#/07-kube-proxy/kube-proxy-verdict-maps", server.url())).await.expect("load");
    assert!(until(wait, || async { client.find(Locator::Css("#terminal-input")).await.is_ok() }).await);
    // The check of kube-proxy's rules is graded, with the map's words.
    let checks = || async { text_of(&client, "#lesson").await };
    assert!(
        until(Duration::from_secs(15), || async {
            checks().await.contains("no-endpoint-services sends its cluster IP to reject-chain")
        })
        .await,
        "the kube_proxy check reads the nftables maps:\n{}",
        checks().await
    );
    let boxes = text_of(&client, "#cluster-picture").await;
    assert!(boxes.contains("nftables rules") && !boxes.contains("iptables rules"), "{boxes}");

    let table =
        e2e::terminal(&client, "kubectl node-shell node-1 -- nft list table ip kube-proxy", "reject-chain")
            .await;
    assert!(
        table.contains("table ip kube-proxy {") && table.contains("map no-endpoint-services {"),
        "{table}"
    );
    let save = e2e::terminal(&client, "kubectl node-shell node-1 -- iptables-save", "nftables mode").await;
    assert!(!save.contains("KUBE-SERVICES"), "{save}");

    // A request to the `kubernetes` Service: its hop names the service-ips element and the
    // numgen element.
    let to = client.find(Locator::Css("#composer-to")).await.expect("composer");
    to.clear().await.expect("clear");
    to.send_keys(&format!("http://kubernetes.default:443{}", char::from(Key::Enter))).await.expect("send");
    let listing = || async { text_of(&client, "#hop-list").await };
    assert!(
        until(Duration::from_secs(15), || async { listing().await.contains("service-ips element") }).await,
        "the kube-proxy hop names the element:\n{}",
        listing().await
    );
    assert!(listing().await.contains("numgen random mod 1"), "{}", listing().await);
    // The Rules tab lists the node's table and marks the element and the endpoint's chain.
    e2e::element(&client, "#dock-tab-rules").await.click().await.expect("Rules tab");
    let fired = || async {
        let mut out = Vec::new();
        for line in client.find_all(Locator::Css("#rules-listing .fired")).await.unwrap_or_default() {
            out.push(line.text().await.unwrap_or_default());
        }
        out.join("\n")
    };
    assert!(
        until(Duration::from_secs(15), || async {
            let f = fired().await;
            f.contains("10.96.0.1 . tcp . 443 : goto service-") && f.contains("chain endpoint-")
        })
        .await,
        "the rule that fired is marked:\n{}",
        fired().await
    );
    assert!(text_of(&client, "#rules-listing").await.contains("table ip kube-proxy {"));
    if let Some(path) = std::env::var_os("SWITCHBOARD_SCREENSHOT") {
        std::fs::write(path, client.screenshot().await.expect("screenshot")).expect("write");
    }
    browser.close().await;
}

/// A sandbox runs kube-proxy in either mode: the box under its note switches every sandbox to
/// nftables (the picture and the terminal follow), and back; the learner's file stays.
#[tokio::test]
async fn a_sandbox_switches_kube_proxy_mode() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("sandbox-mode").await;
    let client = browser.client.clone();
    let wait = Duration::from_secs(30);
    client.goto(&format!("{}#/sandbox/sandbox-playground", server.url())).await.expect("load");
    assert!(until(wait, || async { client.find(Locator::Css("#terminal-input")).await.is_ok() }).await);
    let drawn = || async { text_of(&client, "#cluster-picture").await };
    assert!(until(wait, || async { drawn().await.contains("iptables rules") }).await, "{}", drawn().await);
    e2e::element(&client, "#sandbox-nftables").await.click().await.expect("switch");
    assert!(
        until(Duration::from_secs(10), || async { drawn().await.contains("nftables rules") }).await,
        "the picture follows: {}",
        drawn().await
    );
    let table =
        e2e::terminal(&client, "kubectl node-shell node-2 -- nft list table ip kube-proxy", "service-ips")
            .await;
    assert!(table.contains("shop/web/tcp/http"), "the playground's web Service has its chain:\n{table}");
    e2e::element(&client, "#sandbox-nftables").await.click().await.expect("switch back");
    assert!(until(Duration::from_secs(10), || async { drawn().await.contains("iptables rules") }).await);
    browser.close().await;
}
