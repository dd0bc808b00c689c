//! Instructor scenarios in the browser: an exercise file opened from disk is checked like
//! `switchboard check` does and played; one full of script and HTML payloads runs none of
//! them; a malformed one shows its positioned errors and changes nothing.

use std::path::Path;
use std::time::Duration;

use e2e::{dist_dir, text_of, until, Browser, StaticServer};
use fantoccini::{Client, Locator};

async fn js(client: &Client, script: &str) -> serde_json::Value {
    client.execute(script, vec![]).await.expect("script")
}

#[tokio::test]
async fn scenarios_open_from_disk_and_their_payloads_stay_text() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("scenario").await;
    let client = browser.client.clone();
    let wait = Duration::from_secs(30);
    client.goto(&server.url()).await.expect("load");
    assert!(until(wait, || async { !text_of(&client, "#exercise-title").await.is_empty() }).await);
    // Catch any dialog a payload might open.
    js(
        &client,
        "window.alert = window.confirm = window.prompt = () => { window.__pwned = 'dialog'; }; return 0;",
    )
    .await;
    let scripts_before = js(&client, "return document.scripts.length;").await;

    // A malformed file: its errors, with positions, and nothing changes.
    let input = client.find(Locator::Css("#scenario-file")).await.expect("the file input");
    input.send_keys(&fixtures.join("broken-scenario.yaml").display().to_string()).await.expect("choose");
    let shown = until(Duration::from_secs(5), || async {
        text_of(&client, "#banner").await.contains("broken-scenario.yaml:3:1: unknown field `titel`")
    })
    .await;
    assert!(shown, "positioned errors are shown: {}", text_of(&client, "#banner").await);
    assert!(!js(&client, "return location.hash;").await.to_string().contains("custom"));

    // The hostile one plays, and nothing in it runs.
    input.send_keys(&fixtures.join("hostile-scenario.yaml").display().to_string()).await.expect("choose");
    let opened = until(Duration::from_secs(5), || async {
        text_of(&client, "#exercise-title").await.starts_with("Hostile <img")
    })
    .await;
    assert!(
        opened,
        "the scenario opens, its title shown as text: {}",
        text_of(&client, "#exercise-title").await
    );
    assert_eq!(js(&client, "return location.hash;").await, "#/custom/custom-hostile");
    let story = text_of(&client, "#lesson-story .story").await;
    assert!(story.contains("<script>window.__pwned = 'story-script'</script>"), "raw HTML is text: {story}");
    client.find(Locator::Css("#hint-button")).await.expect("hints").click().await.expect("show a hint");
    client.find(Locator::Css("#hint-button")).await.expect("hints").click().await.expect("show a hint");
    let hints = text_of(&client, "#hints").await;
    assert!(
        hints.contains("<img src=x onerror=") && hints.contains("<script>"),
        "raw HTML in hints is text: {hints}"
    );
    client.execute("document.querySelectorAll('#checks b, #lesson a').forEach(e => e.dispatchEvent(new MouseEvent('mouseover'))); return 0;", vec![]).await.expect("hover");
    if let Ok(link) = client.find(Locator::Css("#lesson-story a")).await {
        assert_eq!(
            link.attr("href").await.expect("href").as_deref(),
            Some("#"),
            "javascript: links are dropped"
        );
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(js(&client, "return window.__pwned === undefined;").await, true, "a payload ran");
    assert_eq!(js(&client, "return document.scripts.length;").await, scripts_before, "no new script element");
    assert_eq!(js(&client, "return document.querySelectorAll('img[src=x], iframe, svg[onload], [onerror], [onmouseover]').length;").await, 0);

    // Saved apart from the built-in exercises, and back after a reload.
    client.refresh().await.expect("reload");
    assert!(
        until(wait, || async { text_of(&client, "#exercise-title").await.starts_with("Hostile") }).await,
        "the scenario survives a reload"
    );
    assert_eq!(js(&client, "return window.__pwned === undefined;").await, true);
    browser.close().await;
}

/// A course pack opens as a chapter of its own, its first exercise shown, and is back after
/// a reload; several exercise files chosen at once each open.
#[tokio::test]
async fn a_course_pack_opens_as_a_chapter_and_several_files_open_at_once() {
    // Canonical: ChromeDriver refuses a path with `..` in it.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../exercises").canonicalize().expect("exercises");
    let read = |p: &str| std::fs::read_to_string(root.join(p)).expect("exercise file");
    let first = read("01-why-services/00-first-service.yaml");
    let second = read("01-why-services/01-menu-board.yaml");
    let dir = std::env::temp_dir().join(format!("switchboard-pack-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let pack = dir.join("shop-course.yaml");
    std::fs::write(
        &pack,
        format!("pack:\n  id: shop-course\n  title: The shop course\n---\n{first}---\n{second}"),
    )
    .expect("write the pack");
    let server = StaticServer::start(dist_dir()).expect("static server");
    let browser = Browser::start("pack").await;
    let client = browser.client.clone();
    let wait = Duration::from_secs(30);
    client.goto(&server.url()).await.expect("load");
    assert!(until(wait, || async { !text_of(&client, "#exercise-title").await.is_empty() }).await);
    let groups =
        "return [...document.querySelectorAll('#exercise-picker optgroup')].map(g => g.label).join('|');";

    let input = client.find(Locator::Css("#scenario-file")).await.expect("the file input");
    input.send_keys(&pack.display().to_string()).await.expect("choose the pack");
    let opened = until(wait, || async {
        js(&client, "return location.hash;").await == "#/pack-shop-course/pack-shop-course-first-service"
    })
    .await;
    assert!(opened, "the pack's first exercise opens: {}", js(&client, "return location.hash;").await);
    assert!(js(&client, groups).await.as_str().unwrap_or_default().contains("The shop course"));
    assert_eq!(text_of(&client, "#exercise-title").await, "Give the web pods a stable address");

    client.refresh().await.expect("reload");
    assert!(
        until(wait, || async {
            text_of(&client, "#exercise-title").await == "Give the web pods a stable address"
        })
        .await,
        "the pack survives a reload"
    );
    assert!(js(&client, groups).await.as_str().unwrap_or_default().contains("The shop course"));

    // Two exercise files at once: both join "Your scenarios", audited with every part of the
    // model there (an Ingress check needs the ingress routing, a kube_proxy check kube-proxy's
    // rules), and both are back after a reload.
    let (a, b) = (
        root.join("08-ingress/00-one-door-for-the-playhouse.yaml"),
        root.join("07-kube-proxy/03-verdict-maps.yaml"),
    );
    let input = client.find(Locator::Css("#scenario-file")).await.expect("the file input");
    input.send_keys(&format!("{}\n{}", a.display(), b.display())).await.expect("choose two files");
    let both = until(wait, || async {
        js(&client, "const g = [...document.querySelectorAll('#exercise-picker optgroup')].find(g => g.label.startsWith('Your scenarios')); return g ? g.querySelectorAll('option').length : 0;").await == 2
    })
    .await;
    assert!(both, "both files are in Your scenarios: {}", js(&client, groups).await);
    client.refresh().await.expect("reload");
    let back = until(wait, || async {
        js(&client, "const g = [...document.querySelectorAll('#exercise-picker optgroup')].find(g => g.label.startsWith('Your scenarios')); return g ? g.querySelectorAll('option').length : 0;").await == 2
    })
    .await;
    assert!(back, "both are back after a reload: {}", js(&client, groups).await);
    browser.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
