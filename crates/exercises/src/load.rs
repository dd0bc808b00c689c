//! Reading one exercise file: serde reads it as written (`Exercise<CheckFile>`), then the
//! rules serde cannot say are checked (ids, concepts, names that line up, a valid read-only
//! cluster, the pods and nodes that `lands_on` and `on_node` name in the solution's cluster)
//! and each check is converted ([`crate::convert`]), every error at its place.

use manifest::{Diagnostic, Severity, SourceFile};

use crate::check::{Check, CheckKind};
use crate::concepts;
use crate::convert;
use crate::format::{CheckFile, Exercise, CLUSTER_FILE};
use crate::paths::{error, Errors, Seg};
use crate::refs::{LandsOn, PodSet, Spanned};

/// What [`load`] read: the exercise when it has no error, and every diagnostic.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub exercise: Option<Exercise>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads one exercise file.
pub fn load(file: &str, text: &str) -> Loaded {
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

fn is_id(s: &str) -> bool {
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
    places_exist(&ex, errors);
    Some(ex)
}

/// A place a check names: a set of pods with its reference (`Ok`), or a node (`Err`).
type Place<'a> = Result<(&'a Spanned<LandsOn>, &'a PodSet), &'a Spanned<String>>;

/// `lands_on: pods/...`, `on_node` and `load_balancer`'s `nodes` name pods and nodes of the
/// cluster the solution builds: one that names none is the author's mistake (a check that
/// could only fail, or pass for no reason), an error at its place. The cluster is built only
/// when a check names one.
fn places_exist(ex: &Exercise, errors: &mut Errors) {
    // In the checks' order.
    let mut places: Vec<Place> = Vec::new();
    for c in &ex.checks {
        match &c.kind {
            CheckKind::Request(r) => {
                if let Some(l) = &r.lands_on {
                    if let LandsOn::Pods(set) = &l.value {
                        places.push(Ok((l, set)));
                    }
                }
                places.extend(r.on_node.iter().map(Err));
            }
            CheckKind::LoadBalancer(l) => places.extend(l.nodes.iter().map(Err)),
            _ => {}
        }
    }
    if places.is_empty() {
        return;
    }
    let (_, cluster) = manifest::load_and_build(&ex.sources(&ex.solution_files()), &ex.topology.topology());
    let names: Vec<&str> = cluster.nodes.iter().map(|n| n.name.as_str()).collect();
    for place in places {
        let (at, message) = match place {
            Ok((l, set)) if set.pods(&cluster).is_empty() => (
                (l.start, l.end),
                format!("`{l}` matches no pod of the cluster with the solution's files: check the namespace and the labels of the pods' template"),
            ),
            Err(n) if cluster.node(n).is_none() => {
                let near = manifest::problem::closest(n, names.iter().copied())
                    .map(|b| format!("did you mean `{b}`? "))
                    .unwrap_or_default();
                ((n.start, n.end), format!("the cluster has no node `{n}`: {near}its nodes are {}", names.join(", ")))
            }
            _ => continue,
        };
        errors.found.push(error(errors.file(), at, "unknown-reference", message));
    }
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

/// A text an exercise file holds in a block scalar: the read-only `cluster`, or the `text` of
/// a file of `files` or of `solution`, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Embedded<'a> {
    Cluster,
    File(&'a str),
    Solution(&'a str),
}

/// Where byte `offset` of an [`Embedded`] text lies in the exercise file `text` (named
/// `file`), so that a diagnostic of a starting or solution file points into the exercise;
/// `None` when that text is not a block scalar (`text: |`) or is not there.
pub fn embedded_position(file: &str, text: &str, which: Embedded<'_>, offset: usize) -> Option<usize> {
    let docs = manifest::yaml::parse(file, text, &mut Vec::new());
    let root = &docs.first()?.root;
    let in_list = |list: &str, name: &str| {
        let files = root.get(list)?.as_seq()?;
        files.iter().find(|f| f.get("name").and_then(|n| n.as_str()) == Some(name))?.get("text")
    };
    let node = match which {
        Embedded::Cluster => root.get("cluster"),
        Embedded::File(name) => in_list("files", name),
        Embedded::Solution(name) => in_list("solution", name),
    }?;
    let content = node.as_str()?;
    // The node starts at its `|` or `>` indicator, or (as the parser has it) at its content.
    let first_line = if text.get(node.start..)?.starts_with(['|', '>']) {
        node.start + text.get(node.start..)?.find('\n')? + 1
    } else {
        let line_start = text.get(..node.start)?.rfind('\n').map_or(0, |i| i + 1);
        let indicator_line = text.get(..line_start)?.trim_end_matches('\n');
        let header = indicator_line.rsplit('\n').next().unwrap_or("");
        if !header.contains(['|', '>']) {
            return None;
        }
        line_start
    };
    content_offset(text, first_line, content, offset)
}

/// Maps a byte offset inside a block scalar's content back into the file: content line `n`
/// is file line `n + 1` after the indicator, shifted by the block's indentation.
fn embedded_offset(text: &str, block_start: usize, content: &str, offset: usize) -> Option<usize> {
    let after = text.get(block_start..)?;
    content_offset(text, block_start + after.find('\n')? + 1, content, offset)
}

/// Maps a byte offset inside a block scalar's content, whose first line starts at byte
/// `first_line` of the file, back into the file.
fn content_offset(text: &str, first_line: usize, content: &str, offset: usize) -> Option<usize> {
    let (line, col) = manifest::line_col(content, offset);
    let mut pos = first_line;
    let mut indent = None;
    for (i, l) in text.get(first_line..)?.split_inclusive('\n').enumerate() {
        if indent.is_none() && !l.trim().is_empty() {
            indent = Some(l.len() - l.trim_start().len());
        }
        if i + 1 == line {
            let chars = indent.unwrap_or(0) + col - 1;
            let byte = l.char_indices().nth(chars).map_or(l.len(), |(b, _)| b);
            return Some(pos + byte);
        }
        pos += l.len();
    }
    None
}
