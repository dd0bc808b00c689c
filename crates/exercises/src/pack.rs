//! Course packs: several exercises in one file, handed out as one chapter.
//!
//! A pack is one YAML stream. Its first document names the pack, `pack: {id, title}`; each
//! document after it is one exercise, written as an exercise file is (each exercise's own
//! `chapter` is kept for `switchboard check`; the browser shows the pack as a chapter of its
//! own). At most [`MAX_PACK_BYTES`] and [`MAX_PACK_EXERCISES`]. Every position, the
//! exercises' included, is a byte offset in the pack file.

use std::ops::Range;

use manifest::yaml::Node;
use manifest::{Diagnostic, Severity};

use crate::load::{is_id, load, locate, Loaded, Place};
use crate::paths::{error, span, Seg};

/// A pack file is read up to this size (the browser's limit for one file).
pub const MAX_PACK_BYTES: usize = manifest::yaml::MAX_FILE_BYTES;
/// Exercises in one pack.
pub const MAX_PACK_EXERCISES: usize = 100;

/// The first document of a pack.
#[derive(Clone, Debug, PartialEq)]
pub struct PackHead {
    /// Lowercase letters, digits and dashes, as an exercise id: names the pack's chapter.
    pub id: String,
    /// The chapter's title.
    pub title: String,
}

/// One exercise of a pack: where it is in the pack file, and what reading it gave (its
/// diagnostics at their place in the pack file).
#[derive(Clone, Debug, PartialEq)]
pub struct PackExercise {
    pub range: Range<usize>,
    pub loaded: Loaded,
}

/// What [`load_pack`] read.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedPack {
    /// The pack's name, when its first document reads.
    pub head: Option<PackHead>,
    pub exercises: Vec<PackExercise>,
    /// The pack's own diagnostics (syntax, its first document, limits, ids used twice).
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadedPack {
    /// Every diagnostic, the pack's and its exercises', in the file's order.
    pub fn all_diagnostics(&self) -> Vec<Diagnostic> {
        let mut all = self.diagnostics.clone();
        all.extend(self.exercises.iter().flat_map(|e| e.loaded.diagnostics.iter().cloned()));
        sorted::sort_by_key(&mut all, |d| d.start);
        all
    }

    /// Whether the pack and every exercise in it read without an error.
    pub fn ok(&self) -> bool {
        self.head.is_some()
            && !self.exercises.is_empty()
            && self.all_diagnostics().iter().all(|d| d.severity != Severity::Error)
            && self.exercises.iter().all(|e| e.loaded.exercise.is_some())
    }
}

/// Whether `text` is a pack rather than one exercise: its first line of content starts with
/// `pack:`.
pub fn is_pack(text: &str) -> bool {
    let content =
        text.lines().map(str::trim_end).find(|l| !l.is_empty() && !l.starts_with('#') && *l != "---");
    content.is_some_and(|l| l.starts_with("pack:"))
}

/// Reads a pack file (see the module docs).
pub fn load_pack(file: &str, text: &str) -> LoadedPack {
    let mut out = LoadedPack { head: None, exercises: Vec::new(), diagnostics: Vec::new() };
    if text.len() > MAX_PACK_BYTES {
        out.diagnostics.push(error(
            file,
            (0, 0),
            "pack-too-large",
            format!("the pack is {} bytes; a pack holds at most {MAX_PACK_BYTES} bytes", text.len()),
        ));
        return out;
    }
    let docs = manifest::yaml::parse(file, text, &mut out.diagnostics);
    if out.diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return out;
    }
    let Some((first, rest)) = docs.split_first() else {
        out.diagnostics.push(error(file, (0, 0), "empty-pack", "the file has no `pack:` document".into()));
        return out;
    };
    if let Some(head) = read_head(file, &first.root, &mut out.diagnostics) {
        if is_id(&head.id) {
            out.head = Some(head);
        } else {
            let at = span(&first.root, &[Seg::Key("pack"), Seg::Key("id")]);
            out.diagnostics.push(error(
                file,
                at,
                "pack-id",
                format!("the pack id `{}` must be lowercase letters, digits and dashes", head.id),
            ));
        }
    }
    if rest.is_empty() {
        out.diagnostics.push(error(
            file,
            (first.start, first.end),
            "empty-pack",
            "the pack holds no exercise: put each one in a document of its own after `pack:`, each starting with `---`"
                .into(),
        ));
    }
    if rest.len() > MAX_PACK_EXERCISES {
        let extra = &rest[MAX_PACK_EXERCISES];
        out.diagnostics.push(error(
            file,
            (extra.start, extra.start),
            "pack-too-many",
            format!(
                "the pack holds {} exercises; at most {MAX_PACK_EXERCISES} are read, the rest are not",
                rest.len()
            ),
        ));
    }
    let mut ids: Vec<String> = Vec::new();
    for (i, doc) in rest.iter().take(MAX_PACK_EXERCISES).enumerate() {
        // From its document start to the next's: the part reads alone as in the stream.
        let end = rest.get(i + 1).map_or(text.len(), |next| next.start);
        let part = &text[doc.start..end];
        let mut loaded = load(file, part);
        for d in &mut loaded.diagnostics {
            d.start += doc.start;
            d.end += doc.start;
        }
        if let Some(ex) = &loaded.exercise {
            if ids.contains(&ex.id) {
                let at = locate(part, &Place::Key("id")).unwrap_or((0, 0));
                loaded.diagnostics.push(error(
                    file,
                    (at.0 + doc.start, at.1 + doc.start),
                    "duplicate-id",
                    format!("id `{}` is used by an exercise before it in the pack", ex.id),
                ));
                loaded.exercise = None;
            } else {
                ids.push(ex.id.clone());
            }
        }
        out.exercises.push(PackExercise { range: doc.start..end, loaded });
    }
    out
}

/// Reads `pack: {id, title}`, each mistake said as the exercise format says it (an unknown
/// key with the closest valid one, a missing one, a value of the wrong type).
fn read_head(file: &str, root: &Node, diags: &mut Vec<Diagnostic>) -> Option<PackHead> {
    let mut unknown = |map: &Node, valid: &[&str], within: &str| {
        for e in map.as_map().unwrap_or_default() {
            let key = e.key.as_scalar().map_or("", |k| k.text.as_str());
            if !valid.contains(&key) {
                let mut d = error(
                    file,
                    (e.key.start, e.key.end),
                    "unknown-field",
                    format!("unknown field `{key}` in {within}"),
                );
                d.hints = vec![match manifest::problem::closest(key, valid.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("valid fields here: {}", valid.join(", ")),
                }];
                diags.push(d);
            }
        }
    };
    let shape = "a pack starts with a document `pack: {id, title}`";
    if root.as_map().is_none() {
        diags.push(error(
            file,
            (root.start, root.end),
            "invalid-type",
            format!("{shape}, not {}", root.describe()),
        ));
        return None;
    }
    unknown(root, &["pack"], "the pack's first document");
    let Some(pack) = root.get("pack").filter(|p| p.as_map().is_some()) else {
        let at = root.get("pack").map_or((root.start, root.end), |p| (p.start, p.end));
        diags.push(error(
            file,
            at,
            "invalid-type",
            format!("{shape}: `pack` is a mapping with `id` and `title`"),
        ));
        return None;
    };
    unknown(pack, &["id", "title"], "`pack`");
    let mut field = |name: &str| match pack.get(name) {
        Some(v) => match v.as_str() {
            Some(s) if !s.is_empty() => Some(s.to_string()),
            Some(_) => {
                diags.push(error(file, (v.start, v.end), "invalid-value", format!("`pack.{name}` is empty")));
                None
            }
            None => {
                let what = v.describe();
                diags.push(error(
                    file,
                    (v.start, v.end),
                    "invalid-type",
                    format!("`pack.{name}` is a string, not {what}"),
                ));
                None
            }
        },
        None => {
            diags.push(error(
                file,
                (pack.start, pack.end),
                "missing-field",
                format!("missing required field `pack.{name}`"),
            ));
            None
        }
    };
    let (id, title) = (field("id"), field("title"));
    Some(PackHead { id: id?, title: title? })
}
