//! Reading a file again after an edit: the documents before and after the edited one are
//! kept, shifted to their new place, and only the text between the document markers around
//! the edit is read. A keystroke in one object of a fifty-object file reads one object.
//!
//! The parts are cut at document markers: a line that starts with `---` followed by a space, a
//! tab or the end of the line. YAML forbids such a line inside any scalar or collection
//! (the spec's `c-forbidden` lines, §9.1.4), so what lies between two markers is read the same
//! alone as in the stream. Anchors do not reach across documents (the reader forgets them at
//! each document start). Whatever the reuse cannot prove the same is read whole: the previous
//! reading or the edited part had a diagnostic, a document crosses a marker, the file has
//! directives (`%YAML`, `%TAG`) or is JSON. A test reads every edit of every example file both
//! ways and compares.

use super::{parse_with, Diagnostic, Document, MAX_DOCUMENTS};

/// The last reading of each file, to reuse on the next (see the module docs). Holds no
/// meaning of its own: reading with it gives what reading without it gives.
#[derive(Debug, Default)]
pub struct Parses {
    kept: Vec<Kept>,
    /// How many readings reused documents of the one before (for tests and benchmarks).
    pub reused: u64,
}

#[derive(Debug)]
struct Kept {
    file: String,
    text: String,
    docs: Vec<Document>,
    /// Read without a diagnostic: only such a reading is reused.
    clean: bool,
}

impl Parses {
    pub fn new() -> Parses {
        Parses::default()
    }

    /// [`parse_with`], reusing the documents of this file's last reading that the edit left
    /// as they were.
    pub fn parse(
        &mut self,
        file: &str,
        text: &str,
        max_file_bytes: usize,
        diags: &mut Vec<Diagnostic>,
    ) -> &[Document] {
        let at = match self.kept.iter().position(|k| k.file == file) {
            Some(at) => at,
            None => {
                self.kept.push(Kept {
                    file: file.to_string(),
                    text: String::new(),
                    docs: Vec::new(),
                    clean: false,
                });
                self.kept.len() - 1
            }
        };
        let kept = &mut self.kept[at];
        let reusable =
            kept.clean && text.len() <= max_file_bytes && !file.ends_with(".json") && !directives(text);
        if reusable {
            if kept.text == text {
                return &kept.docs;
            }
            if let Some(docs) = again(&kept.text, std::mem::take(&mut kept.docs), text, |part| {
                let mut d = Vec::new();
                let docs = parse_with(file, part, max_file_bytes, &mut d);
                d.is_empty().then_some(docs)
            }) {
                kept.text = text.to_string();
                kept.docs = docs;
                self.reused += 1;
                return &kept.docs;
            }
        }
        let mark = diags.len();
        kept.docs = parse_with(file, text, max_file_bytes, diags);
        kept.clean = diags.len() == mark;
        kept.text = text.to_string();
        &kept.docs
    }

    /// Forgets the files whose names `keep` refuses (closed, renamed, another exercise's).
    pub fn keep_only(&mut self, keep: impl Fn(&str) -> bool) {
        self.kept.retain(|k| keep(&k.file));
    }
}

/// A line that starts with `---` and a space, a tab or its end begins at byte `at`.
fn marker_at(text: &[u8], at: usize) -> bool {
    (at == 0 || text[at - 1] == b'\n')
        && text[at..].starts_with(b"---")
        && matches!(text.get(at + 3), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
}

/// A directive line (`%YAML`, `%TAG`): it belongs to the document after it.
fn directives(text: &str) -> bool {
    text.starts_with('%') || text.contains("\n%")
}

/// The documents of `new`, given `docs`, those of `old` read cleanly, with only the part
/// between the markers around the edit read by `read` (`None` when it has a diagnostic);
/// `None` when the reuse cannot be proven the same as reading `new` whole.
fn again(
    old: &str,
    mut docs: Vec<Document>,
    new: &str,
    read: impl FnOnce(&str) -> Option<Vec<Document>>,
) -> Option<Vec<Document>> {
    let (o, n) = (old.as_bytes(), new.as_bytes());
    let prefix = o.iter().zip(n).take_while(|(a, b)| a == b).count();
    let room = o.len().min(n.len()) - prefix;
    let suffix = o.iter().rev().zip(n.iter().rev()).take(room).take_while(|(a, b)| a == b).count();
    // The last marker whose line and the byte after `---` are unchanged, else the start.
    let from = (0..prefix.saturating_sub(3)).rev().find(|&i| marker_at(n, i) && marker_at(o, i)).unwrap_or(0);
    // The first marker after the edit whose line start is unchanged, else the end.
    let delta = n.len() as isize - o.len() as isize;
    let to = (n.len() + 1 - suffix.max(1)..n.len()).find(|&i| marker_at(n, i));
    let (to, old_to) = match to {
        Some(to) => (to, (to as isize - delta) as usize),
        None => (n.len(), o.len()),
    };
    if docs.iter().any(|d| (d.start < from && d.end > from) || (d.start < old_to && d.end > old_to)) {
        return None;
    }
    let after = docs.iter().position(|d| d.start >= old_to).unwrap_or(docs.len());
    let mut tail = docs.split_off(after);
    docs.retain(|d| d.end <= from);
    let mut middle = read(&new[from..to])?;
    // An empty document's null reaches to the next token: the marker after the part, which
    // the part read alone does not see.
    if to < n.len() && middle.iter().any(|d| d.end >= to - from) {
        return None;
    }
    for d in &mut middle {
        d.shift(from as isize);
    }
    for d in &mut tail {
        d.shift(delta);
    }
    docs.extend(middle);
    docs.extend(tail);
    (docs.len() <= MAX_DOCUMENTS / 2).then_some(docs)
}
