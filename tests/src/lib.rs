//! End-to-end tests of the built site live in `tests/`; this library holds what they share:
//! a static file server for `dist/` and a headless Chromium session through chromedriver.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The release build to test: `$SWITCHBOARD_DIST`, else `<workspace>/dist`.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("SWITCHBOARD_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist"))
}

/// Serves a folder on 127.0.0.1 at a free port, until dropped. Each response carries an
/// ETag, and a request that names it gets a 304 with no body, as real servers do.
pub struct StaticServer {
    pub port: u16,
    online: Arc<AtomicBool>,
    sent: Arc<Mutex<Vec<String>>>,
}

/// Every file of a folder gzip-compressed at level 9, by its path relative to the folder.
type Compressed = std::collections::HashMap<String, Vec<u8>>;

fn compress_all(root: &Path) -> std::io::Result<Compressed> {
    use flate2::{write::GzEncoder, Compression};
    let mut out = Compressed::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let mut gz = GzEncoder::new(Vec::new(), Compression::best());
            gz.write_all(&std::fs::read(&path)?)?;
            let relative = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            out.insert(relative, gz.finish()?);
        }
    }
    Ok(out)
}

impl StaticServer {
    pub fn start(root: PathBuf) -> std::io::Result<StaticServer> {
        StaticServer::serve(root, None)
    }

    /// Serves every file gzip-compressed (`Content-Encoding: gzip`), compressed once before
    /// serving: what a learner's browser downloads from a real server.
    pub fn start_gzip(root: PathBuf) -> std::io::Result<StaticServer> {
        let compressed = compress_all(&root)?;
        StaticServer::serve(root, Some(Arc::new(compressed)))
    }

    fn serve(root: PathBuf, compressed: Option<Arc<Compressed>>) -> std::io::Result<StaticServer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let online = Arc::new(AtomicBool::new(true));
        let flag = online.clone();
        let sent = Arc::new(Mutex::new(Vec::new()));
        let log = sent.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                if !flag.load(Ordering::SeqCst) {
                    break;
                }
                let (root, compressed, log) = (root.clone(), compressed.clone(), log.clone());
                std::thread::spawn(move || {
                    if let Some(path) = serve_one(stream, &root, compressed.as_deref()) {
                        log.lock().unwrap_or_else(|e| e.into_inner()).push(path);
                    }
                });
            }
        });
        Ok(StaticServer { port, online, sent })
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// The path of every file sent with its body so far (a 304 sends none), in order.
    pub fn sent(&self) -> Vec<String> {
        self.sent.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.online.store(false, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Answers one request; returns the path when a file was sent with its body.
fn serve_one(stream: TcpStream, root: &Path, compressed: Option<&Compressed>) -> Option<String> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return None;
    }
    // The headers: only If-None-Match is read.
    let mut line = String::new();
    let mut if_none_match = None;
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("if-none-match") {
                if_none_match = Some(value.trim().to_string());
            }
        }
        line.clear();
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let relative = if path == "/" { "index.html" } else { path.trim_start_matches('/') };
    let mut stream = stream;
    if relative.split('/').any(|part| part == "..") {
        let _ =
            stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return None;
    }
    let file = root.join(relative);
    let mut body = Vec::new();
    let (found, encoding) = match compressed.and_then(|c| c.get(relative)) {
        Some(gz) => {
            body.extend_from_slice(gz);
            (true, "Content-Encoding: gzip\r\n")
        }
        None => (std::fs::File::open(&file).and_then(|mut f| f.read_to_end(&mut body)).is_ok(), ""),
    };
    let etag = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        body.hash(&mut h);
        format!("\"{:016x}\"", h.finish())
    };
    if found && if_none_match.as_deref() == Some(etag.as_str()) {
        let head = format!("HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n");
        let _ = stream.write_all(head.as_bytes());
        return None;
    }
    let head = if found {
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {}\r\n{encoding}Content-Length: {}\r\nETag: {etag}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
            content_type(&file),
            body.len()
        )
    } else {
        body.clear();
        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string()
    };
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    found.then(|| relative.to_string())
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("json") => "application/json",
        Some("yaml") => "application/yaml; charset=utf-8",
        Some("webmanifest") => "application/manifest+json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

/// chromedriver on a free port, killed when dropped.
pub struct Chromedriver {
    pub port: u16,
    child: Child,
}

impl Chromedriver {
    pub fn start() -> std::io::Result<Chromedriver> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let program = std::env::var_os("CHROMEDRIVER").unwrap_or_else(|| "chromedriver".into());
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let driver = Chromedriver { port, child };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if started.elapsed() > Duration::from_secs(20) {
                return Err(std::io::Error::other("chromedriver did not start listening in 20 s"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Capabilities for headless Chromium with a fresh profile (a reused one can serve a stale
/// wasm from its cache) and the browser log enabled, so tests can assert no console errors.
pub fn chromium_capabilities(profile: &Path) -> serde_json::Map<String, serde_json::Value> {
    let mut args = vec![
        "--headless=new".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--no-first-run".into(),
        "--disable-quic".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--window-size=1400,900".into(),
        format!("--user-data-dir={}", profile.display()),
    ];
    if std::env::var_os("E2E_SHOW").is_some() {
        args.retain(|a| !a.starts_with("--headless"));
    }
    let downloads = profile.join("downloads");
    let mut options = serde_json::json!({
        "args": args,
        "prefs": {
            "download.default_directory": downloads.display().to_string(),
            "download.prompt_for_download": false,
        },
    });
    if let Some(binary) = std::env::var_os("CHROMIUM") {
        options["binary"] = serde_json::Value::String(binary.to_string_lossy().into_owned());
    }
    let caps = serde_json::json!({
        "goog:chromeOptions": options,
        "goog:loggingPrefs": { "browser": "ALL" },
    });
    match caps {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

/// One test's headless Chromium: its own chromedriver and a fresh profile folder. `close`
/// ends the session; dropping it (after `close`, or when a test fails) stops chromedriver
/// and deletes the profile.
pub struct Browser {
    pub client: fantoccini::Client,
    /// The profile folder; downloads land in its `downloads/`.
    pub profile: PathBuf,
    driver: Option<Chromedriver>,
}

impl Browser {
    pub async fn start(tag: &str) -> Browser {
        Browser::start_with(tag, |_| {}).await
    }

    /// With the capabilities changed by `edit` first (an extra Chromium flag, say).
    pub async fn start_with(
        tag: &str,
        edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
    ) -> Browser {
        let driver = Chromedriver::start().expect("chromedriver (is it installed? `cargo xtask setup`)");
        let profile = fresh_dir(tag);
        let mut caps = chromium_capabilities(&profile);
        edit(&mut caps);
        let client = fantoccini::ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .expect("a WebDriver session");
        Browser { client, profile, driver: Some(driver) }
    }

    pub async fn close(self) {
        self.client.clone().close().await.expect("close the session");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        drop(self.driver.take());
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// A fresh, empty folder under the system temp dir.
pub fn fresh_dir(tag: &str) -> PathBuf {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("switchboard-{tag}-{}-{nanos}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// ChromeDriver's browser log (`goog:loggingPrefs`), which fantoccini has no call for.
#[derive(Debug)]
pub struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_string()))
    }
}

/// The SEVERE entries of the browser log since the last call.
pub async fn console_errors(client: &fantoccini::Client) -> Vec<String> {
    let log = client.issue_cmd(BrowserLog).await.unwrap_or_default();
    log.as_array()
        .into_iter()
        .flatten()
        .filter(|entry| entry["level"] == "SEVERE")
        .map(|entry| entry["message"].to_string())
        .collect()
}

/// A Chrome DevTools Protocol command through chromedriver (`goog/cdp/execute`).
#[derive(Debug)]
pub struct Cdp {
    pub cmd: &'static str,
    pub params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// The editor of the open file, once the page shows it (within 30 s).
pub async fn active_editor(client: &fantoccini::Client) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(fantoccini::Locator::Css(".editor-pane.active .cm-content"))
        .await
        .expect("the editor of the open file")
}

/// The element `css` selects, waited for up to 30 s: the editor's tabs, the picture and the
/// dock arrive after the first grade (their wasm modules are fetched then).
pub async fn element(client: &fantoccini::Client, css: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(fantoccini::Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
}

/// Clicks "Share link" and returns the link it makes (the address in `#share-link`).
pub async fn share_link(client: &fantoccini::Client) -> String {
    use fantoccini::Locator;
    client.find(Locator::Css("#share-button")).await.expect("share").click().await.expect("click share");
    let field = client
        .wait()
        .at_most(Duration::from_secs(5))
        .for_element(Locator::Css("#share-link"))
        .await
        .expect("the link");
    field.prop("value").await.expect("value").unwrap_or_default()
}

/// The text of the first element matching `css`, or "" when there is none.
pub async fn text_of(client: &fantoccini::Client, css: &str) -> String {
    match client.find(fantoccini::Locator::Css(css)).await {
        Ok(e) => e.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Types `command` into the terminal and waits (10 s at most) until its answer holds
/// `until_seen`; returns the answer (what follows the command's `$ ` line).
pub async fn terminal(client: &fantoccini::Client, command: &str, until_seen: &str) -> String {
    let input = client.find(fantoccini::Locator::Css("#terminal-input")).await.expect("prompt");
    input.send_keys(&format!("{command}{}", char::from(fantoccini::key::Key::Enter))).await.expect("type");
    let prompt = format!("$ {command}");
    let answer =
        |out: &str| out.contains(&prompt).then(|| out.rsplit(&prompt).next().unwrap_or_default().to_string());
    let seen = until(Duration::from_secs(10), || async {
        answer(&text_of(client, "#terminal-output").await).is_some_and(|a| a.contains(until_seen))
    })
    .await;
    let out = text_of(client, "#terminal-output").await;
    assert!(seen, "`{command}` answers with {until_seen}:\n{out}");
    answer(&out).unwrap_or_default()
}

/// Polls `probe` every 50 ms until it holds (true) or `limit` has passed (false).
pub async fn until<F, Fut>(limit: Duration, mut probe: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while start.elapsed() < limit {
        if probe().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}
