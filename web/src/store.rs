//! Persistence in the browser's local storage: every learner file on every change (with the
//! time it changed), the progress (solved exercises, hints shown, solutions revealed), the
//! export document of it all (`transfer::Export`), writing such a document back, and the
//! backup kept before a destructive action. A failure to save (quota, private mode) is
//! returned as a message for the learner, never swallowed.

use std::collections::BTreeMap;

const PREFIX: &str = "switchboard.v1.";
const FILE_PREFIX: &str = "switchboard.v1.file.";
const PROGRESS: &str = "switchboard.v1.progress";
const SCENARIO_PREFIX: &str = "switchboard.v1.scenario.";
const SANDBOX_PREFIX: &str = "switchboard.v1.sandbox.";
/// `CHANGED_PREFIX + exercise/file` -> when the file was last saved, in milliseconds since
/// 1970 (a file saved by an older version has none).
const CHANGED_PREFIX: &str = "switchboard.v1.changed.";
/// The progress before the last destructive action (`transfer::Backup`, as JSON).
const BACKUP: &str = "switchboard.v1.backup";
/// `nftables` when sandboxes run kube-proxy in nftables mode (a preference, not exported).
const SANDBOX_PROXY_MODE: &str = "switchboard.v1.prefs.sandbox-kube-proxy";

use crate::transfer::{Backup, FORMAT_V2};
pub use crate::transfer::{Export, Progress};

fn storage() -> Result<web_sys::Storage, String> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten()).ok_or_else(|| {
        "this browser gives the page no local storage: your work will not survive a reload".to_string()
    })
}

const FULL: &str = "the browser's storage for this site is full";

/// Why a write failed, for the learner; `lost` says what a full storage means here.
fn describe_full(e: wasm_bindgen::JsValue, lost: &str) -> String {
    use wasm_bindgen::JsCast;
    match e.dyn_ref::<web_sys::DomException>() {
        Some(d) if d.name() == "QuotaExceededError" => format!("{FULL}: {lost}"),
        Some(d) => format!("saving failed: {}: {}", d.name(), d.message()),
        None => format!("saving failed: {e:?}"),
    }
}

fn describe(e: wasm_bindgen::JsValue) -> String {
    describe_full(e, "your latest change is not saved (export your progress, then free some space)")
}

fn file_key(exercise: &str, file: &str) -> String {
    format!("{FILE_PREFIX}{exercise}/{file}")
}

fn now() -> u64 {
    js_sys::Date::now() as u64
}

pub fn save_file(exercise: &str, file: &str, text: &str) -> Result<(), String> {
    let s = storage()?;
    let unsaved =
        |e| describe_full(e, "your latest edit is not saved (export your progress, then free some space)");
    s.set_item(&file_key(exercise, file), text).map_err(unsaved)?;
    s.set_item(&format!("{CHANGED_PREFIX}{exercise}/{file}"), &now().to_string()).map_err(unsaved)
}

pub fn load_file(exercise: &str, file: &str) -> Option<String> {
    storage().ok()?.get_item(&file_key(exercise, file)).ok().flatten()
}

pub fn forget_file(exercise: &str, file: &str) -> Result<(), String> {
    let s = storage()?;
    s.remove_item(&format!("{CHANGED_PREFIX}{exercise}/{file}")).map_err(describe)?;
    s.remove_item(&file_key(exercise, file)).map_err(describe)
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

/// Whether sandboxes run kube-proxy in nftables mode (else iptables, the default).
pub fn sandbox_nftables() -> bool {
    storage().ok().and_then(|s| s.get_item(SANDBOX_PROXY_MODE).ok().flatten()).as_deref() == Some("nftables")
}

pub fn save_sandbox_nftables(on: bool) -> Result<(), String> {
    storage()?.set_item(SANDBOX_PROXY_MODE, if on { "nftables" } else { "iptables" }).map_err(describe)
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

/// Every value whose key starts with `prefix`, by the rest of the key.
fn with_prefix(s: &web_sys::Storage, prefix: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    let n = s.length().map_err(describe)?;
    for i in 0..n {
        let Some(key) = s.key(i).ok().flatten() else { continue };
        if let Some(rest) = key.strip_prefix(prefix) {
            if let Some(text) = s.get_item(&key).ok().flatten() {
                out.insert(rest.to_string(), text);
            }
        }
    }
    Ok(out)
}

/// Everything saved, as an export document.
pub fn snapshot() -> Result<Export, String> {
    let s = storage()?;
    let files = with_prefix(&s, FILE_PREFIX)?;
    let changed = with_prefix(&s, CHANGED_PREFIX)?
        .into_iter()
        .filter(|(k, _)| files.contains_key(k))
        .filter_map(|(k, t)| Some((k, t.parse().ok()?)));
    Ok(Export {
        format: FORMAT_V2.into(),
        changed: sorted::map(changed),
        files,
        progress: load_progress(),
        sandboxes: sorted::map(load_sandboxes()),
        scenarios: sorted::map(load_scenarios()),
    })
}

/// Every saved file and the progress, as the export document's text.
pub fn export() -> Result<String, String> {
    serde_json::to_string_pretty(&snapshot()?).map_err(|e| e.to_string())
}

/// Replaces everything saved (but the backup) with `doc`.
pub fn write(doc: &Export) -> Result<(), String> {
    remove_keys(|k| k != BACKUP)?;
    let s = storage()?;
    for (key, text) in &doc.files {
        s.set_item(&format!("{FILE_PREFIX}{key}"), text).map_err(describe)?;
        if let Some(t) = doc.changed.get(key) {
            s.set_item(&format!("{CHANGED_PREFIX}{key}"), &t.to_string()).map_err(describe)?;
        }
    }
    save_progress(&doc.progress)?;
    for (name, files) in &doc.sandboxes {
        save_sandbox(name, files)?;
    }
    for (id, text) in &doc.scenarios {
        save_scenario(id, text)?;
    }
    Ok(())
}

/// Keeps `backup` as the one backup (replacing the one before).
pub fn save_backup(backup: &Backup) -> Result<(), String> {
    let text = serde_json::to_string(backup).map_err(|e| e.to_string())?;
    storage()?.set_item(BACKUP, &text).map_err(|e| {
        describe_full(
            e,
            "export your progress and free some space (other sites' data, old sandboxes), then try again",
        )
    })
}

/// The backup kept before the last destructive action, if any (a damaged one is none).
pub fn load_backup() -> Option<Backup> {
    let text = storage().ok()?.get_item(BACKUP).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// The action the kept backup undoes ("import", "reset", ...), read without the rest of the
/// backup: the first screen needs only this, and the backup's reading loads with Undo.
pub fn backup_action() -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Head {
        action: String,
    }
    let text = storage().ok()?.get_item(BACKUP).ok().flatten()?;
    serde_json::from_str::<Head>(&text).ok().map(|h| h.action)
}

pub fn forget_backup() -> Result<(), String> {
    storage()?.remove_item(BACKUP).map_err(describe)
}

/// Keeps what is saved now as the backup of `action`, then writes `after`. Nothing is
/// written when the backup cannot be kept; when writing fails halfway, what was saved before
/// is written back. The error says which happened.
pub fn replace_all(action: &str, before: &Export, after: &Export) -> Result<(), String> {
    let backup = Backup { action: action.into(), exercise: None, document: before.clone() };
    save_backup(&backup).map_err(|e| {
        format!("nothing was changed: the backup of your current progress could not be kept ({e})")
    })?;
    write(after).map_err(|e| match write(before) {
        Ok(()) => format!("nothing was changed: {e}; your progress was put back as it was"),
        Err(_) => format!("{e}; your progress is in the backup: use Undo {action} to put it back"),
    })
}

/// Removes everything Switchboard saved, the backup too.
pub fn clear() -> Result<(), String> {
    remove_keys(|_| true)
}

/// Removes the Switchboard keys `which` selects.
fn remove_keys(which: impl Fn(&str) -> bool) -> Result<(), String> {
    let s = storage()?;
    let n = s.length().map_err(describe)?;
    let keys: Vec<String> = (0..n)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(PREFIX) && which(k))
        .collect();
    for k in keys {
        s.remove_item(&k).map_err(describe)?;
    }
    Ok(())
}
