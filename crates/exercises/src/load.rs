//! Reading one exercise file: serde reads it as written (`Exercise<CheckFile>`), then the
//! rules serde cannot say are checked (ids, concepts, names that line up, a valid read-only
//! cluster, the pods, Services and nodes the checks name in the solution's cluster)
//! and each check is converted ([`crate::convert`]), every error at its place.

use manifest::yaml::Node;
use manifest::{Diagnostic, Severity, SourceFile};

use crate::check::Check;
use crate::concepts;
use crate::convert;
use crate::format::{CheckFile, Exercise, CLUSTER_FILE};
use crate::paths::{error, span, Errors, Seg};

/// What [`load`] read: the exercise when it has no error, and every diagnostic.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub exercise: Option<Exercise>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads one exercise file; its diagnostics in the file's order.
pub fn load(file: &str, text: &str) -> Loaded {
    let mut loaded = read(file, text);
    sorted::sort_by_key(&mut loaded.diagnostics, |d| d.start);
    loaded
}

fn read(file: &str, text: &str) -> Loaded {
    let mut diagnostics = Vec::new();
    let docs = manifest::yaml::parse(file, text, &mut diagnostics);
    let failed = |diagnostics| Loaded { exercise: None, diagnostics };
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return failed(diagnostics);
    }
    let doc = match docs.as_slice() {
        [doc] => doc,
        [] => {
            diagnostics.push(error(file, (0, 0), "empty-exercise", "the file has no exercise".into()));
            return failed(diagnostics);
        }
        [_, second, ..] => {
            diagnostics.push(error(
                file,
                (second.start, second.start),
                "several-documents",
                "an exercise file holds one YAML document".into(),
            ));
            return failed(diagnostics);
        }
    };
    let (value, problems) = manifest::de::from_node::<Exercise<CheckFile>>(&doc.root);
    for p in problems {
        diagnostics.push(Diagnostic {
            severity: Severity::Error,
            code: p.code,
            message: p.message,
            file: file.to_string(),
            start: p.start,
            end: p.end,
            hints: p.hints,
        });
    }
    let Some(written) = value else { return failed(diagnostics) };
    let mut errors = Errors::new(file, &doc.root);
    let exercise = semantics(text, written, &mut errors);
    diagnostics.extend(errors.found);
    let ok = diagnostics.iter().all(|d| d.severity != Severity::Error);
    Loaded { exercise: exercise.filter(|_| ok), diagnostics }
}

pub(crate) fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// The rules serde cannot say, and the checks converted: the loaded exercise, or `None`
/// when a check did not convert (its errors are in `errors`).
fn semantics(text: &str, mut ex: Exercise<CheckFile>, errors: &mut Errors) -> Option<Exercise> {
    use Seg::{Index, Key};
    if !is_id(&ex.id) {
        errors.at(
            &[Key("id")],
            "invalid-id",
            format!("id `{}` must be lowercase letters, digits and single '-'", ex.id),
        );
    }
    if !is_id(&ex.chapter) {
        errors.at(
            &[Key("chapter")],
            "invalid-id",
            format!("chapter `{}` must be lowercase letters, digits and '-'", ex.chapter),
        );
    }
    if ex.concepts.is_empty() {
        errors.at(&[Key("concepts")], "no-concepts", "list at least one curriculum concept ID".into());
    }
    for (i, c) in ex.concepts.iter().enumerate() {
        if concepts::concept(c).is_none() {
            let ids: Vec<&str> = concepts::CONCEPTS.iter().map(|c| c.0).collect();
            let near = manifest::problem::closest(c, ids.iter().copied())
                .map(|b| format!(" (did you mean `{b}`?)"))
                .unwrap_or_default();
            errors.at(
                &[Key("concepts"), Index(i)],
                "unknown-concept",
                format!("`{c}` is not a curriculum concept{near}"),
            );
        }
    }
    if ex.hints.len() < 2 {
        errors.at(
            &[Key("hints")],
            "too-few-hints",
            format!("give at least two hints, gentle then explicit (found {})", ex.hints.len()),
        );
    }
    let names = file_names(&ex, errors);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    if ex.checks.is_empty() {
        errors.at(&[Key("checks")], "no-checks", "an exercise needs at least one check".into());
    }
    let written = std::mem::take(&mut ex.checks);
    let checks: Vec<Option<Check>> =
        written.into_iter().enumerate().map(|(i, c)| convert::check(i, c, &names, errors)).collect();
    cluster_errors(text, &ex, errors);
    let checks = checks.into_iter().collect::<Option<Vec<Check>>>()?;
    let ex = Exercise { checks, ..ex.with_checks() };
    crate::routes::check_written(&ex, errors);
    crate::named::places_exist(&ex, errors);
    Some(ex)
}

impl Exercise<CheckFile> {
    /// The exercise without its written checks, to take the loaded ones.
    fn with_checks(self) -> Exercise {
        let Exercise {
            id,
            chapter,
            title,
            level,
            concepts,
            story,
            cluster,
            topology,
            files,
            hints,
            solution,
            ..
        } = self;
        Exercise {
            id,
            chapter,
            title,
            level,
            concepts,
            story,
            cluster,
            topology,
            files,
            checks: Vec::new(),
            hints,
            solution,
        }
    }
}

/// The names of the learner's files, after the rules on them and on the solution's files.
fn file_names(ex: &Exercise<CheckFile>, errors: &mut Errors) -> Vec<String> {
    use Seg::{Index, Key};
    if ex.files.is_empty() {
        errors.at(
            &[Key("files")],
            "no-files",
            "an exercise needs at least one file the learner edits".into(),
        );
    }
    let mut names: Vec<&str> = Vec::new();
    for (i, f) in ex.files.iter().enumerate() {
        if f.name == CLUSTER_FILE || f.name.contains('/') || f.name.trim().is_empty() {
            errors.at(
                &[Key("files"), Index(i), Key("name")],
                "invalid-file-name",
                format!("`{}` cannot be a file name here", f.name),
            );
        }
        if names.contains(&f.name.as_str()) {
            errors.at(
                &[Key("files"), Index(i), Key("name")],
                "duplicate-file",
                format!("file `{}` is listed twice", f.name),
            );
        }
        names.push(&f.name);
    }
    if ex.solution.is_empty() {
        errors.at(
            &[Key("solution")],
            "no-solution",
            "give a solution: the files that pass every check".into(),
        );
    }
    for (i, f) in ex.solution.iter().enumerate() {
        if !names.contains(&f.name.as_str()) {
            errors.at(
                &[Key("solution"), Index(i), Key("name")],
                "unknown-file",
                format!("`{}` is not one of the exercise's files ({})", f.name, names.join(", ")),
            );
        }
    }
    names.into_iter().map(str::to_string).collect()
}

/// The errors of the read-only cluster, at their places inside `cluster`: learners cannot
/// fix it, so it must itself be valid.
fn cluster_errors(text: &str, ex: &Exercise<CheckFile>, errors: &mut Errors) {
    if ex.cluster.trim().is_empty() {
        return;
    }
    let loaded = manifest::load(
        &[SourceFile { name: CLUSTER_FILE.into(), text: ex.cluster.clone() }],
        &ex.topology.topology(),
    );
    let at = errors.span(&[Seg::Key("cluster")]);
    for d in loaded.diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        let start = embedded_offset(text, at.0, &ex.cluster, d.start).unwrap_or(at.0);
        let end = embedded_offset(text, at.0, &ex.cluster, d.end).unwrap_or(at.1).max(start);
        errors.found.push(Diagnostic {
            file: errors.file().to_string(),
            start,
            end,
            message: format!("in `cluster`: {}", d.message),
            ..d.clone()
        });
    }
}

/// A place in an exercise file that `switchboard check` reports at.
#[derive(Clone, Debug, PartialEq)]
pub enum Place {
    /// A top-level key (`id`, `chapter`, `files`).
    Key(&'static str),
    /// Check `i` of `checks`.
    Check(usize),
    /// A byte range of one of the files the exercise lists, as the solution has it (the
    /// solution's text when it lists the file, else the starting text; `cluster.yaml`, the
    /// read-only cluster): mapped back to where that text is written in the exercise file.
    Solution { file: String, start: usize, end: usize },
}

/// The byte range of `place` in the exercise file `text`, when the file parses and has it.
pub fn locate(text: &str, place: &Place) -> Option<(usize, usize)> {
    use Seg::{Index, Key};
    let docs = manifest::yaml::parse("", text, &mut Vec::new());
    let root = &docs.first()?.root;
    let (file, start, end) = match place {
        Place::Key(k) => return Some(span(root, &[Key(k)])),
        Place::Check(i) => return Some(span(root, &[Key("checks"), Index(*i)])),
        Place::Solution { file, start, end } => (file, *start, *end),
    };
    let node = if file == CLUSTER_FILE {
        embedded(root, Embedded::Cluster)
    } else {
        embedded(root, Embedded::Solution(file)).or_else(|| embedded(root, Embedded::File(file)))
    }?;
    let scalar = node.as_scalar()?;
    if !is_block(text, node) {
        // Escapes and folding make offsets inside such a scalar unreliable: the whole value.
        return Some((node.start, node.end));
    }
    let at = |offset| embedded_offset(text, node.start, &scalar.text, offset);
    let from = at(start).unwrap_or(node.start);
    Some((from, at(end).unwrap_or(node.end).max(from)))
}

/// Which embedded text of an exercise file a position is in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Embedded<'a> {
    /// `cluster`, the read-only cluster.
    Cluster,
    /// A starting file of `files`.
    File(&'a str),
    /// A file of `solution`.
    Solution(&'a str),
}

/// Where byte `offset` of an embedded text (`which`) is in the exercise file `text`: `None`
/// when the file does not parse, lacks it, or it is not a block scalar.
pub fn embedded_position(text: &str, which: Embedded<'_>, offset: usize) -> Option<usize> {
    let docs = manifest::yaml::parse("", text, &mut Vec::new());
    let root = &docs.first()?.root;
    let node = embedded(root, which)?;
    let scalar = node.as_scalar()?;
    if !is_block(text, node) {
        return None;
    }
    embedded_offset(text, node.start, &scalar.text, offset)
}

/// The node of an embedded text: `cluster`, or the `text` of a named file of `files` or
/// `solution`.
fn embedded<'n>(root: &'n Node, which: Embedded<'_>) -> Option<&'n Node> {
    let in_list = |list: &str, name: &str| {
        let files = root.get(list)?.as_seq()?;
        files.iter().find(|f| f.get("name").and_then(|n| n.as_str()) == Some(name))?.get("text")
    };
    match which {
        Embedded::Cluster => root.get("cluster"),
        Embedded::File(name) => in_list("files", name),
        Embedded::Solution(name) => in_list("solution", name),
    }
}

/// Whether `node` is a block scalar (`|` or `>`), whose offsets map line by line.
fn is_block(text: &str, node: &Node) -> bool {
    let quoted = text.get(node.start..).is_some_and(|t| t.starts_with(['"', '\'']));
    node.as_scalar().is_some_and(|s| !s.plain) && !quoted
}

/// Maps a byte offset inside a block scalar's content back into the file. `block_start` is
/// where the parser puts the scalar: its `|` or `>` indicator, or its first line with text
/// (after the blank lines the content begins with); the
/// content's line `n` is then the file's `n`th line from there, shifted by the block's
/// indentation. `None` for a scalar that is not a block (quoted or plain) or an offset past it.
pub(crate) fn embedded_offset(text: &str, block_start: usize, content: &str, offset: usize) -> Option<usize> {
    let (line, col) = manifest::line_col(content, offset);
    let after = text.get(block_start..)?;
    let first = if after.starts_with(['|', '>']) {
        block_start + after.find('\n')? + 1
    } else {
        // The parser starts the block at its first line with text: go back over the blank
        // lines the content begins with.
        let blank = content.split_inclusive('\n').take_while(|l| l.trim().is_empty()).count();
        let mut line_start = text.get(..block_start)?.rfind('\n').map_or(0, |i| i + 1);
        for _ in 0..blank {
            line_start = text.get(..line_start.checked_sub(1)?)?.rfind('\n').map_or(0, |i| i + 1);
        }
        line_start
    };
    let mut pos = first;
    let mut indent = None;
    for (i, l) in text.get(first..)?.split_inclusive('\n').enumerate() {
        if indent.is_none() && !l.trim().is_empty() {
            indent = Some(l.len() - l.trim_start_matches(' ').len());
        }
        if i + 1 == line {
            let chars = indent.unwrap_or(0) + col - 1;
            let byte = l.char_indices().nth(chars).map_or(l.trim_end_matches('\n').len(), |(b, _)| b);
            return Some(pos + byte);
        }
        pos += l.len();
    }
    None
}
