//! Persistence in the browser's local storage: every learner file on every change, the
//! progress (solved exercises, hints shown, solutions revealed), and export/import of it all
//! as one JSON document. A failure to save (quota, private mode) is returned as a message for
//! the learner, never swallowed.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

const PREFIX: &str = "switchboard.v1.";
const FILE_PREFIX: &str = "switchboard.v1.file.";
const PROGRESS: &str = "switchboard.v1.progress";
const SCENARIO_PREFIX: &str = "switchboard.v1.scenario.";
const SANDBOX_PREFIX: &str = "switchboard.v1.sandbox.";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    #[serde(default)]
    pub solved: BTreeSet<String>,
    /// Hints shown, per exercise id.
    #[serde(default)]
    pub hints: BTreeMap<String, usize>,
    /// Exercises whose solution the learner asked to see.
    #[serde(default)]
    pub revealed: BTreeSet<String>,
}

/// Everything a learner has: the export format.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Export {
    pub format: String,
    /// `exercise-id/file-name` -> text.
    pub files: BTreeMap<String, String>,
    pub progress: Progress,
    /// Sandbox name -> its file names.
    #[serde(default)]
    pub sandboxes: BTreeMap<String, Vec<String>>,
    /// Instructor scenarios opened in the browser: id -> file text.
    #[serde(default)]
    pub scenarios: BTreeMap<String, String>,
}

pub const EXPORT_FORMAT: &str = "switchboard-progress-v1";

fn storage() -> Result<web_sys::Storage, String> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten()).ok_or_else(|| {
        "this browser gives the page no local storage: your work will not survive a reload".to_string()
    })
}

fn describe(e: wasm_bindgen::JsValue) -> String {
    use wasm_bindgen::JsCast;
    match e.dyn_ref::<web_sys::DomException>() {
        Some(d) if d.name() == "QuotaExceededError" => {
            "the browser's storage for this site is full: your latest edit is not saved (export your progress, then free some space)".into()
        }
        Some(d) => format!("saving failed: {}: {}", d.name(), d.message()),
        None => format!("saving failed: {e:?}"),
    }
}

fn file_key(exercise: &str, file: &str) -> String {
    format!("{FILE_PREFIX}{exercise}/{file}")
}

pub fn save_file(exercise: &str, file: &str, text: &str) -> Result<(), String> {
    storage()?.set_item(&file_key(exercise, file), text).map_err(describe)
}

pub fn load_file(exercise: &str, file: &str) -> Option<String> {
    storage().ok()?.get_item(&file_key(exercise, file)).ok().flatten()
}

pub fn forget_file(exercise: &str, file: &str) -> Result<(), String> {
    storage()?.remove_item(&file_key(exercise, file)).map_err(describe)
}

/// An instructor's scenario file, kept by its exercise id.
pub fn save_scenario(id: &str, text: &str) -> Result<(), String> {
    storage()?.set_item(&format!("{SCENARIO_PREFIX}{id}"), text).map_err(describe)
}

/// Every saved scenario file, `(id, text)`, in key order.
pub fn load_scenarios() -> Vec<(String, String)> {
    let Ok(s) = storage() else { return Vec::new() };
    let n = s.length().unwrap_or(0);
    let mut out: Vec<(String, String)> = (0..n)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter_map(|k| {
            let id = k.strip_prefix(SCENARIO_PREFIX)?.to_string();
            Some((id, s.get_item(&k).ok().flatten()?))
        })
        .collect();
    sorted::sort(&mut out);
    out
}

/// A sandbox's file names, in tab order.
pub fn save_sandbox(name: &str, files: &[String]) -> Result<(), String> {
    let text = serde_json::to_string(files).map_err(|e| e.to_string())?;
    storage()?.set_item(&format!("{SANDBOX_PREFIX}{name}"), &text).map_err(describe)
}

/// Every saved sandbox, `(name, file names)`, by name.
pub fn load_sandboxes() -> Vec<(String, Vec<String>)> {
    let Ok(s) = storage() else { return Vec::new() };
    let n = s.length().unwrap_or(0);
    let mut out: Vec<(String, Vec<String>)> = (0..n)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter_map(|k| {
            let name = k.strip_prefix(SANDBOX_PREFIX)?.to_string();
            let files = serde_json::from_str(&s.get_item(&k).ok().flatten()?).ok()?;
            Some((name, files))
        })
        .collect();
    sorted::sort(&mut out);
    out
}

pub fn load_progress() -> Progress {
    storage()
        .ok()
        .and_then(|s| s.get_item(PROGRESS).ok().flatten())
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

pub fn save_progress(p: &Progress) -> Result<(), String> {
    let text = serde_json::to_string(p).map_err(|e| e.to_string())?;
    storage()?.set_item(PROGRESS, &text).map_err(describe)
}

/// Every saved file and the progress, as the export document.
pub fn export() -> Result<String, String> {
    let s = storage()?;
    let mut files = BTreeMap::new();
    let n = s.length().map_err(describe)?;
    for i in 0..n {
        let Some(key) = s.key(i).ok().flatten() else { continue };
        if let Some(rest) = key.strip_prefix(FILE_PREFIX) {
            if let Some(text) = s.get_item(&key).ok().flatten() {
                files.insert(rest.to_string(), text);
            }
        }
    }
    let doc = Export {
        format: EXPORT_FORMAT.into(),
        files,
        progress: load_progress(),
        sandboxes: sorted::map(load_sandboxes()),
        scenarios: sorted::map(load_scenarios()),
    };
    serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())
}

/// Replaces everything saved with an export document.
pub fn import(text: &str) -> Result<usize, String> {
    let doc: Export =
        serde_json::from_str(text).map_err(|e| format!("this is not a Switchboard progress file: {e}"))?;
    if doc.format != EXPORT_FORMAT {
        return Err(format!("unknown progress format `{}` (expected {EXPORT_FORMAT})", doc.format));
    }
    clear()?;
    let s = storage()?;
    for (key, text) in &doc.files {
        s.set_item(&format!("{FILE_PREFIX}{key}"), text).map_err(describe)?;
    }
    save_progress(&doc.progress)?;
    for (name, files) in &doc.sandboxes {
        save_sandbox(name, files)?;
    }
    for (id, text) in &doc.scenarios {
        save_scenario(id, text)?;
    }
    Ok(doc.files.len())
}

/// Removes everything Switchboard saved.
pub fn clear() -> Result<(), String> {
    let s = storage()?;
    let n = s.length().map_err(describe)?;
    let keys: Vec<String> =
        (0..n).filter_map(|i| s.key(i).ok().flatten()).filter(|k| k.starts_with(PREFIX)).collect();
    for k in keys {
        s.remove_item(&k).map_err(describe)?;
    }
    Ok(())
}
