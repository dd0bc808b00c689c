//! Cluster-wide policy in the browser: an exercise whose file names
//! `policy.networking.k8s.io` brings the module of the kinds defined by CRDs; the learner's
//! ClusterNetworkPolicy (Admin tier, Accept) passes every check, the picture marks the pods it
//! chooses, `kubectl get cnp` lists it with its tier and priority, a request through it names
//! the tier and the rule in its policy hop, and a pod's connections follow the tiers.

use std::time::Duration;

use e2e::{active_editor, dist_dir, text_of, until, Browser, StaticServer};
use fantoccini::key::Key;
use fantoccini::Locator;

/// The exercise's solution as one line (typed into the editor as is).
const SOLUTION: &str = r#"{"apiVersion": "policy.networking.k8s.io/v1alpha2", "kind": "ClusterNetworkPolicy", "metadata": {"name": "monitoring-scrapes"}, "spec": {"tier": "Admin", "priority": 20, "subject": {"namespaces": {}}, "ingress": [{"name": "prometheus", "action": "Accept", "from": [{"namespaces": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}], "protocols": [{"destinationNamedPort": "metrics"}]}]}}"#;

#[tokio::test]
async fn a_cluster_network_policy_is_graded_drawn_listed_and_traced() {
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("cluster-policy").await;
    let client = browser.client.clone();
    let wait = Duration::from_secs(30);
    client
        .goto(&format!("{}#/09-network-policy/np-monitoring-always-gets-in", server.url()))
        .await
        .expect("load");
    assert!(until(wait, || async { client.find(Locator::Css("#terminal-input")).await.is_ok() }).await);
    let editor = active_editor(&client).await;
    editor.click().await.expect("focus");
    editor.send_keys(&(Key::Control + "a")).await.expect("select all");
    editor.send_keys(&char::from(Key::Delete).to_string()).await.expect("delete");
    editor.send_keys(SOLUTION).await.expect("type");
    let green = until(Duration::from_secs(15), || async {
        client.find_all(Locator::Css("#checks li.fail")).await.map(|v| v.is_empty()).unwrap_or(false)
            && client.find(Locator::Css("#success")).await.is_ok()
    })
    .await;
    assert!(green, "the checks pass: {}", text_of(&client, "#checks").await);

    // The picture marks the pods the policy chooses (every pod: `namespaces: {}`).
    let mark = "#cluster-picture g[data-id='pod/telescope/mount-control']";
    assert!(
        until(Duration::from_secs(15), || async { text_of(&client, mark).await.contains("cnp") }).await,
        "the mount control is marked: {}",
        text_of(&client, mark).await
    );

    let got = e2e::terminal(&client, "kubectl get cnp", "monitoring-scrapes").await;
    assert!(
        got.contains("TIER")
            && got.lines().any(|l| l.starts_with("monitoring-scrapes") && l.contains("Admin")),
        "{got}"
    );

    // A scrape through the composer: the policy hop names the tier and the rule.
    let drawn = text_of(&client, "#cluster-picture g[data-id='pod/telescope/mount-control']").await;
    let ip =
        drawn.split_whitespace().find(|w| w.starts_with("10.244.")).expect("the pod's address").to_string();
    e2e::element(&client, "#composer-from option[value='pod/monitoring/prometheus']")
        .await
        .click()
        .await
        .expect("from");
    let to = client.find(Locator::Css("#composer-to")).await.expect("composer");
    to.clear().await.expect("clear");
    to.send_keys(&format!("{ip}:9100{}", char::from(Key::Enter))).await.expect("send");
    let listing = || async { text_of(&client, "#hop-list").await };
    assert!(
        until(Duration::from_secs(15), || async { listing().await.contains("Admin tier, priority 20") })
            .await,
        "the policy hop names the tier:\n{}",
        listing().await
    );
    // The pod's connections: only prometheus gets in, on the metrics port the Admin tier
    // accepts; the team's default deny keeps out everything else.
    client.find(Locator::Css(mark)).await.expect("the pod").click().await.expect("select it");
    assert!(
        until(Duration::from_secs(5), || async { !text_of(&client, "#connections-in").await.is_empty() })
            .await,
        "the connections are shown"
    );
    assert_eq!(text_of(&client, "#connections-in").await.trim(), "monitoring/prometheus: TCP 9100");
    if let Some(path) = std::env::var_os("SWITCHBOARD_SCREENSHOT") {
        std::fs::write(path, client.screenshot().await.expect("screenshot")).expect("write");
    }
    browser.close().await;
}
