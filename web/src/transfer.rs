//! The export document and the rules of importing one, without the browser: reading a file
//! (either format), comparing it with what is stored, merging the two, and saying what an
//! import changed. `store` reads and writes local storage; components show the comparison
//! and pass the learner's choices back here.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// The format written by export: files with the time each was last changed.
pub const FORMAT_V2: &str = "switchboard-progress-v2";
/// The first format: files without times. Still read.
pub const FORMAT_V1: &str = "switchboard-progress-v1";

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
    /// `exercise-id/file-name` -> when it was last changed, in milliseconds since 1970 (UTC).
    /// Absent for a v1 document, and for files saved before times were kept.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub changed: BTreeMap<String, u64>,
    pub progress: Progress,
    /// Sandbox name -> its file names.
    #[serde(default)]
    pub sandboxes: BTreeMap<String, Vec<String>>,
    /// Instructor scenarios opened in the browser: id -> file text.
    #[serde(default)]
    pub scenarios: BTreeMap<String, String>,
}

/// Reads an export document of either format. The error says what is wrong and that the
/// file is not a Switchboard progress file; nothing is changed by a failed read.
pub fn parse(text: &str) -> Result<Export, String> {
    /// The one field read first, so that a file of another kind is named as such.
    #[derive(Deserialize)]
    struct Head {
        format: Option<String>,
    }
    let not_ours = "this is not a Switchboard progress file";
    // A struct reads from a JSON array too: an object is asked for first.
    let object = text.trim_start().starts_with('{');
    let head: Head = serde_json::from_str(text).map_err(|e| match e.classify() {
        serde_json::error::Category::Data if object => {
            format!("{not_ours}: its `format` is not a string ({e})")
        }
        _ => format!("{not_ours}: it is not a JSON object ({e})"),
    })?;
    if !object {
        return Err(format!("{not_ours}: it is not a JSON object"));
    }
    let Some(format) = head.format else {
        return Err(format!("{not_ours}: it has no `format` field (expected \"{FORMAT_V2}\")"));
    };
    if format != FORMAT_V1 && format != FORMAT_V2 {
        let shown: String = format.chars().take(60).collect();
        return Err(format!(
            "unknown progress format `{shown}` (this version reads {FORMAT_V2} and {FORMAT_V1}; a newer Switchboard may have written it)"
        ));
    }
    let mut doc: Export =
        serde_json::from_str(text).map_err(|e| format!("this {format} file is damaged: {e}"))?;
    if doc.format == FORMAT_V1 {
        doc.changed.clear();
    }
    // A time for a file the document does not hold means nothing.
    doc.changed.retain(|k, _| doc.files.contains_key(k));
    Ok(doc)
}

/// Which of two versions of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The one stored in this browser.
    Here,
    /// The one in the imported file.
    File,
}

/// A file both hold, with different texts.
#[derive(Clone, Debug, PartialEq)]
pub struct Differing {
    pub key: String,
    pub here: String,
    pub file: String,
    pub here_changed: Option<u64>,
    pub file_changed: Option<u64>,
}

impl Differing {
    /// What a merge keeps unless the learner picks: the newer version when both have a time,
    /// else the stored one (a v1 file, or a file saved before times were kept).
    pub fn default_pick(&self) -> Side {
        match (self.here_changed, self.file_changed) {
            (Some(h), Some(f)) if f > h => Side::File,
            _ => Side::Here,
        }
    }

    /// Whether both versions have a time, so the default pick is the newer one.
    pub fn timed(&self) -> bool {
        self.here_changed.is_some() && self.file_changed.is_some()
    }
}

/// What the imported document holds against what is stored.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comparison {
    pub solved_here: usize,
    pub solved_file: usize,
    /// Exercises solved in the file and not here.
    pub solved_new: usize,
    pub files_here: usize,
    pub files_file: usize,
    /// Files only the import holds.
    pub added: Vec<String>,
    /// Files both hold, with different texts.
    pub differing: Vec<Differing>,
    /// Files only this browser holds: a replace removes them.
    pub only_here: Vec<String>,
    /// Whether the file records when its files changed (v2).
    pub timed: bool,
}

impl Comparison {
    /// Stored files a replace would overwrite or remove.
    pub fn replaced(&self) -> Vec<String> {
        let mut out: Vec<String> = self.differing.iter().map(|d| d.key.clone()).collect();
        out.extend(self.only_here.iter().cloned());
        sorted::sort(&mut out);
        out
    }
}

pub fn compare(here: &Export, file: &Export) -> Comparison {
    let mut c = Comparison {
        solved_here: here.progress.solved.len(),
        solved_file: file.progress.solved.len(),
        solved_new: file.progress.solved.difference(&here.progress.solved).count(),
        files_here: here.files.len(),
        files_file: file.files.len(),
        timed: file.format == FORMAT_V2,
        ..Comparison::default()
    };
    for (key, text) in &file.files {
        match here.files.get(key) {
            None => c.added.push(key.clone()),
            Some(mine) if mine != text => c.differing.push(Differing {
                key: key.clone(),
                here: mine.clone(),
                file: text.clone(),
                here_changed: here.changed.get(key).copied(),
                file_changed: file.changed.get(key).copied(),
            }),
            Some(_) => {}
        }
    }
    c.only_here = here.files.keys().filter(|k| !file.files.contains_key(*k)).cloned().collect();
    c
}

/// The merge of a stored document and an imported one. Files: the union; for a file both
/// hold with different texts, the version `picks` names, else [`Differing::default_pick`].
/// Progress: the union of solved and revealed, the larger count of hints per exercise.
/// Sandboxes: the union, file names of a sandbox both hold in stored order then the new
/// ones. Scenarios: the union; for an id both hold, the stored text (scenarios have no times).
pub fn merge(here: &Export, file: &Export, picks: &BTreeMap<String, Side>) -> Export {
    let mut out = here.clone();
    out.format = FORMAT_V2.into();
    for d in compare(here, file).differing {
        if picks.get(&d.key).copied().unwrap_or_else(|| d.default_pick()) == Side::File {
            out.files.insert(d.key.clone(), d.file);
            match d.file_changed {
                Some(t) => out.changed.insert(d.key, t),
                None => out.changed.remove(&d.key),
            };
        }
    }
    for (key, text) in &file.files {
        if !out.files.contains_key(key) {
            out.files.insert(key.clone(), text.clone());
            if let Some(t) = file.changed.get(key) {
                out.changed.insert(key.clone(), *t);
            }
        }
    }
    let p = &mut out.progress;
    p.solved.extend(file.progress.solved.iter().cloned());
    p.revealed.extend(file.progress.revealed.iter().cloned());
    for (id, n) in &file.progress.hints {
        let shown = p.hints.entry(id.clone()).or_insert(0);
        *shown = (*shown).max(*n);
    }
    for (name, names) in &file.sandboxes {
        let mine = out.sandboxes.entry(name.clone()).or_default();
        for n in names {
            if !mine.contains(n) {
                mine.push(n.clone());
            }
        }
    }
    for (id, text) in &file.scenarios {
        out.scenarios.entry(id.clone()).or_insert_with(|| text.clone());
    }
    out
}

/// What a replace stores: the imported document, in the current format.
pub fn replacement(file: &Export) -> Export {
    Export { format: FORMAT_V2.into(), ..file.clone() }
}

/// What changed from one document to another, for the message after an import or undo.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files added or whose text changed.
    pub files_updated: usize,
    pub files_removed: usize,
    pub solved_added: usize,
    pub solved_removed: usize,
    pub sandboxes_added: usize,
    pub scenarios_added: usize,
}

pub fn changes(before: &Export, after: &Export) -> Changes {
    let count_new = |a: &BTreeSet<String>, b: &BTreeSet<String>| b.difference(a).count();
    Changes {
        files_updated: after.files.iter().filter(|(k, t)| before.files.get(*k) != Some(*t)).count(),
        files_removed: before.files.keys().filter(|k| !after.files.contains_key(*k)).count(),
        solved_added: count_new(&before.progress.solved, &after.progress.solved),
        solved_removed: count_new(&after.progress.solved, &before.progress.solved),
        sandboxes_added: after.sandboxes.keys().filter(|k| !before.sandboxes.contains_key(*k)).count(),
        scenarios_added: after.scenarios.keys().filter(|k| !before.scenarios.contains_key(*k)).count(),
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Changes {
    /// "Merged: 3 files updated, 2 exercises marked solved", with `done` as the first word;
    /// only what changed is named.
    pub fn message(&self, done: &str) -> String {
        let mut parts = Vec::new();
        if self.files_updated > 0 {
            parts.push(format!("{} updated", count(self.files_updated, "file", "files")));
        }
        if self.files_removed > 0 {
            parts.push(format!("{} removed", count(self.files_removed, "file", "files")));
        }
        if self.solved_added > 0 {
            parts.push(format!("{} marked solved", count(self.solved_added, "exercise", "exercises")));
        }
        if self.solved_removed > 0 {
            parts.push(format!("{} no longer solved", count(self.solved_removed, "exercise", "exercises")));
        }
        if self.sandboxes_added > 0 {
            parts.push(format!("{} added", count(self.sandboxes_added, "sandbox", "sandboxes")));
        }
        if self.scenarios_added > 0 {
            parts.push(format!("{} added", count(self.scenarios_added, "scenario", "scenarios")));
        }
        if parts.is_empty() {
            format!("{done}: nothing changed")
        } else {
            format!("{done}: {}", parts.join(", "))
        }
    }
}

/// The progress kept before a destructive action, so that it can be undone. `exercise` is
/// the exercise whose files the action replaced (reset, solution, copy of a shared attempt):
/// undoing puts back only those files (and, for a sandbox, its list of files). `None`: the
/// action replaced everything (an import), and undoing puts back the whole document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    /// What was done, as the undo button names it: "import", "reset", "solution", "copy".
    pub action: String,
    #[serde(default)]
    pub exercise: Option<String>,
    pub document: Export,
}

impl Backup {
    /// The backup of `exercise`'s part of `doc`: its files (with their times) and, for a
    /// sandbox, its entry.
    pub fn of_exercise(action: &str, exercise: &str, doc: &Export) -> Backup {
        let (files, changed, sandboxes) = exercise_part(doc, exercise);
        Backup {
            action: action.into(),
            exercise: Some(exercise.into()),
            document: Export { format: FORMAT_V2.into(), files, changed, sandboxes, ..Export::default() },
        }
    }

    /// What `current` becomes when this backup is restored: the whole document, or
    /// `current` with the exercise's part taken from the backup.
    pub fn restored(&self, current: &Export) -> Export {
        let Some(exercise) = &self.exercise else { return replacement(&self.document) };
        let mut out = current.clone();
        out.format = FORMAT_V2.into();
        let prefix = format!("{exercise}/");
        out.files.retain(|k, _| !k.starts_with(&prefix));
        out.changed.retain(|k, _| !k.starts_with(&prefix));
        if let Some(slug) = exercise.strip_prefix(SANDBOX_ID_PREFIX) {
            out.sandboxes.remove(slug);
        }
        let (files, changed, sandboxes) = exercise_part(&self.document, exercise);
        out.files.extend(files);
        out.changed.extend(changed);
        out.sandboxes.extend(sandboxes);
        out
    }
}

/// A sandbox's exercise id is this prefix and its name (see `sandbox.rs`).
const SANDBOX_ID_PREFIX: &str = "sandbox-";

type Part = (BTreeMap<String, String>, BTreeMap<String, u64>, BTreeMap<String, Vec<String>>);

fn exercise_part(doc: &Export, exercise: &str) -> Part {
    let prefix = format!("{exercise}/");
    let files = doc.files.iter().filter(|(k, _)| k.starts_with(&prefix)).map(|(k, v)| (k.clone(), v.clone()));
    let changed = doc.changed.iter().filter(|(k, _)| k.starts_with(&prefix)).map(|(k, v)| (k.clone(), *v));
    let sandbox = exercise
        .strip_prefix(SANDBOX_ID_PREFIX)
        .and_then(|slug| doc.sandboxes.get_key_value(slug))
        .map(|(k, v)| (k.clone(), v.clone()));
    (sorted::map(files), sorted::map(changed), sorted::map(sandbox))
}

/// A time in milliseconds since 1970 as `2026-12-04 19:09 UTC`.
pub fn utc(ms: u64) -> String {
    let minutes = ms / 60_000;
    let (days, minute) = (minutes / 1440, minutes % 1440);
    // Days to a civil date (Howard Hinnant's days_from_civil, inverted), in the proleptic
    // Gregorian calendar.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", minute / 60, minute % 60)
}
