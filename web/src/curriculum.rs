//! The curriculum: the chapters and their exercises' ids, titles and levels are built into the
//! wasm (see build.rs); an exercise's file is fetched from the site (`exercises/...`, copied
//! there by Trunk) the first time it is opened, and loaded through the same strict loader
//! `switchboard check` uses. The service worker precaches every exercise file, so after one
//! visit they all open offline.

use std::cell::RefCell;
use std::collections::BTreeMap;

use exercises::{Exercise, Level};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// One built-in exercise file, as build.rs lists it.
pub struct Listing {
    /// The chapter's folder under exercises/.
    pub folder: &'static str,
    /// The file, under exercises/.
    pub path: &'static str,
    pub id: &'static str,
    pub title: &'static str,
    pub level: Level,
}

include!(concat!(env!("OUT_DIR"), "/curriculum.rs"));

/// Where the exercise files are served, relative to the page.
pub const SITE_FOLDER: &str = "exercises/";

#[derive(Clone, Debug, PartialEq)]
pub struct Chapter {
    pub id: String,
    pub title: String,
    /// What the chapter is about (Markdown), shown above its exercises' stories.
    pub intro: String,
    pub exercises: Vec<Entry>,
}

/// An exercise as the picker lists it, with the exercise itself once it is loaded.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub id: String,
    pub title: String,
    /// `None` for a sandbox: nothing to grade.
    pub level: Option<Level>,
    /// A built-in exercise's file under exercises/, fetched when it is first opened.
    pub path: Option<&'static str>,
    /// The exercise: from the start for sandboxes and instructors' scenarios, after its
    /// fetch for a built-in one.
    pub body: Option<Exercise>,
}

impl Entry {
    /// An exercise made in the browser (a sandbox, an instructor's scenario).
    pub fn of(ex: Exercise) -> Entry {
        Entry {
            id: ex.id.clone(),
            title: ex.title.clone(),
            level: (!ex.checks.is_empty()).then_some(ex.level),
            path: None,
            body: Some(ex),
        }
    }

    pub fn graded(&self) -> bool {
        self.level.is_some()
    }
}

/// Every chapter with its exercises, in order (file name order within a chapter); none is
/// loaded yet.
pub fn listing() -> Vec<Chapter> {
    let mut chapters: Vec<Chapter> = CHAPTERS
        .iter()
        .map(|(id, title, intro)| Chapter {
            id: id.to_string(),
            title: title.to_string(),
            intro: intro.to_string(),
            exercises: Vec::new(),
        })
        .collect();
    for l in EXERCISES {
        let entry = Entry {
            id: l.id.to_string(),
            title: l.title.to_string(),
            level: Some(l.level),
            path: Some(l.path),
            body: None,
        };
        match chapters.iter_mut().find(|c| c.id == l.folder) {
            Some(c) => c.exercises.push(entry),
            None => chapters.push(Chapter {
                id: l.folder.to_string(),
                title: l.folder.to_string(),
                intro: String::new(),
                exercises: vec![entry],
            }),
        }
    }
    chapters.retain(|c| !c.exercises.is_empty());
    chapters
}

thread_local! {
    static PROVIDED: RefCell<BTreeMap<String, String>> = const { RefCell::new(BTreeMap::new()) };
}

/// Gives the text of an exercise file (a path under exercises/) without fetching it: for
/// tests run where the site's files are not served.
pub fn provide(path: &str, text: &str) {
    PROVIDED.with(|p| p.borrow_mut().insert(path.to_string(), text.to_string()));
}

thread_local! {
    /// The request for each exercise file asked for: one fetch however many wait for it.
    static REQUESTS: RefCell<BTreeMap<&'static str, js_sys::Promise>> = const { RefCell::new(BTreeMap::new()) };
}

/// Starts fetching an exercise file, if no request for it is under way or done: the app asks
/// for the exercise the URL names before its first render, so the file arrives while the
/// page is being drawn.
pub fn prefetch(path: &'static str) {
    if PROVIDED.with(|p| !p.borrow().contains_key(path)) {
        let _ = request(path);
    }
}

fn request(path: &'static str) -> js_sys::Promise {
    REQUESTS.with(|r| {
        r.borrow_mut()
            .entry(path)
            .or_insert_with(|| {
                // Settles with the text or an Error, never rejects: a prefetch nobody awaits
                // must not end as an unhandled rejection.
                wasm_bindgen_futures::future_to_promise(async move {
                    Ok(match fetch_text(&format!("{SITE_FOLDER}{path}")).await {
                        Ok(text) => text.into(),
                        Err(e) => js_sys::Error::new(&e).into(),
                    })
                })
            })
            .clone()
    })
}

/// Fetches and loads a built-in exercise file. The error says what went wrong and where.
pub async fn fetch(path: &'static str) -> Result<Exercise, String> {
    let text = match PROVIDED.with(|p| p.borrow().get(path).cloned()) {
        Some(text) => text,
        None => {
            let settled = JsFuture::from(request(path)).await.unwrap_or_default();
            match settled.as_string() {
                Some(text) => text,
                None => {
                    // A failed request is forgotten, so opening the exercise again retries it.
                    REQUESTS.with(|r| r.borrow_mut().remove(path));
                    let why = settled.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message()));
                    return Err(why.unwrap_or_else(|| format!("{SITE_FOLDER}{path}: the request failed")));
                }
            }
        }
    };
    let loaded = exercises::load(path, &text);
    if let Some(ex) = loaded.exercise {
        return Ok(ex);
    }
    // Not an exercise (a server that answers a missing file with a page, say): forgotten too,
    // so trying again asks the server again.
    REQUESTS.with(|r| r.borrow_mut().remove(path));
    let why = loaded.diagnostics.iter().find(|d| d.severity == manifest::Severity::Error).map(|d| {
        let (line, col) = manifest::line_col(&text, d.start);
        format!("{path}:{line}:{col}: {}", d.message)
    });
    Err(why.unwrap_or_else(|| format!("{path} holds no exercise")))
}

async fn fetch_text(url: &str) -> Result<String, String> {
    let failed = |e: wasm_bindgen::JsValue| {
        let why = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "the request failed".into());
        format!("{url}: {why}")
    };
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url)).await.map_err(failed)?;
    let response: web_sys::Response = response.dyn_into().map_err(failed)?;
    if !response.ok() {
        return Err(format!("{url}: the server answered {} {}", response.status(), response.status_text()));
    }
    let text = JsFuture::from(response.text().map_err(failed)?).await.map_err(failed)?;
    text.as_string().ok_or_else(|| format!("{url}: not text"))
}
