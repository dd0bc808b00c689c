//! Exercises: the file format ([`format`]), loading with positioned diagnostics ([`load`]),
//! and the grader ([`grade()`]) that runs every check against the same model the rest of
//! Switchboard uses.
//!
//! Loading is strict like manifest loading: an unknown field names the closest valid one,
//! a wrong type or a malformed reference (`pod/web`) is an error at its line and column, and
//! nothing panics.

mod causes;
pub mod concepts;
pub mod format;
mod grade;
pub mod refs;
pub mod share;
mod start;

use manifest::yaml::{Node, Value};
use manifest::{Diagnostic, Severity, SourceFile};

pub use format::*;
pub use grade::{cluster, grade, CheckResult, Grade};
pub use start::{default_source, terminal_namespace};

/// The read-only cluster YAML, as the learner's editor and the grader name it.
pub const CLUSTER_FILE: &str = "cluster.yaml";

/// What [`load`] read: the exercise when it has no error, and every diagnostic.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub exercise: Option<Exercise>,
    pub diagnostics: Vec<Diagnostic>,
}

fn error(file: &str, span: (usize, usize), code: &'static str, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        code,
        message,
        file: file.to_string(),
        start: span.0,
        end: span.1,
        hints: vec![],
    }
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
    let (value, problems) = manifest::de::from_node::<Exercise>(&doc.root);
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
    let Some(exercise) = value else { return failed(diagnostics) };
    semantics(file, text, &doc.root, &exercise, &mut diagnostics);
    let ok = diagnostics.iter().all(|d| d.severity != Severity::Error);
    Loaded { exercise: ok.then_some(exercise), diagnostics }
}

/// One step of a path into the YAML tree.
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// The byte range of the node at `path`, or of its deepest existing ancestor.
fn span(root: &Node, path: &[Seg]) -> (usize, usize) {
    let mut node = root;
    for seg in path {
        let next = match (seg, &node.value) {
            (Seg::Key(k), Value::Map(_)) => node.get(k),
            (Seg::Index(i), Value::Seq(items)) => items.get(*i),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => break,
        }
    }
    (node.start, node.end)
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// The rules serde cannot say: references parse, concepts exist, names line up.
fn semantics(file: &str, text: &str, root: &Node, ex: &Exercise, out: &mut Vec<Diagnostic>) {
    use Seg::{Index, Key};
    let mut err =
        |path: &[Seg], code, message: String| out.push(error(file, span(root, path), code, message));
    if !is_id(&ex.id) {
        err(
            &[Key("id")],
            "invalid-id",
            format!("id `{}` must be lowercase letters, digits and single '-'", ex.id),
        );
    }
    if !is_id(&ex.chapter) {
        err(
            &[Key("chapter")],
            "invalid-id",
            format!("chapter `{}` must be lowercase letters, digits and '-'", ex.chapter),
        );
    }
    if ex.concepts.is_empty() {
        err(&[Key("concepts")], "no-concepts", "list at least one curriculum concept ID".into());
    }
    for (i, c) in ex.concepts.iter().enumerate() {
        if concepts::concept(c).is_none() {
            let ids: Vec<&str> = concepts::CONCEPTS.iter().map(|c| c.0).collect();
            let near = manifest::problem::closest(c, ids.iter().copied())
                .map(|b| format!(" (did you mean `{b}`?)"))
                .unwrap_or_default();
            err(
                &[Key("concepts"), Index(i)],
                "unknown-concept",
                format!("`{c}` is not a curriculum concept{near}"),
            );
        }
    }
    if ex.hints.len() < 2 {
        err(
            &[Key("hints")],
            "too-few-hints",
            format!("give at least two hints, gentle then explicit (found {})", ex.hints.len()),
        );
    }
    if ex.files.is_empty() {
        err(&[Key("files")], "no-files", "an exercise needs at least one file the learner edits".into());
    }
    let mut names: Vec<&str> = Vec::new();
    for (i, f) in ex.files.iter().enumerate() {
        if f.name == CLUSTER_FILE || f.name.contains('/') || f.name.trim().is_empty() {
            err(
                &[Key("files"), Index(i), Key("name")],
                "invalid-file-name",
                format!("`{}` cannot be a file name here", f.name),
            );
        }
        if names.contains(&f.name.as_str()) {
            err(
                &[Key("files"), Index(i), Key("name")],
                "duplicate-file",
                format!("file `{}` is listed twice", f.name),
            );
        }
        names.push(&f.name);
    }
    if ex.solution.is_empty() {
        err(&[Key("solution")], "no-solution", "give a solution: the files that pass every check".into());
    }
    for (i, f) in ex.solution.iter().enumerate() {
        if !names.contains(&f.name.as_str()) {
            err(
                &[Key("solution"), Index(i), Key("name")],
                "unknown-file",
                format!("`{}` is not one of the exercise's files ({})", f.name, names.join(", ")),
            );
        }
    }
    if ex.checks.is_empty() {
        err(&[Key("checks")], "no-checks", "an exercise needs at least one check".into());
    }
    for (i, c) in ex.checks.iter().enumerate() {
        check_semantics(i, c, &names, &mut err);
    }
    // The read-only cluster must itself be valid: learners cannot fix it.
    if !ex.cluster.trim().is_empty() {
        let loaded = manifest::load(
            &[SourceFile { name: CLUSTER_FILE.into(), text: ex.cluster.clone() }],
            &ex.topology.topology(),
        );
        let at = span(root, &[Key("cluster")]);
        for d in loaded.diagnostics.iter().filter(|d| d.severity == Severity::Error) {
            let start = embedded_offset(text, at.0, &ex.cluster, d.start).unwrap_or(at.0);
            let end = embedded_offset(text, at.0, &ex.cluster, d.end).unwrap_or(at.1).max(start);
            out.push(Diagnostic {
                file: file.to_string(),
                start,
                end,
                message: format!("in `cluster`: {}", d.message),
                ..d.clone()
            });
        }
    }
}

/// The rules serde cannot say for check `i`: one kind, a title, references that parse.
fn check_semantics(i: usize, c: &Check, names: &[&str], err: &mut dyn FnMut(&[Seg], &'static str, String)) {
    use Seg::{Index, Key};
    let at = |k: &'static str| [Key("checks"), Index(i), Key(k)];
    let kinds = c.kinds().len();
    if kinds != 1 {
        err(
            &[Key("checks"), Index(i)],
            "check-kind",
            format!(
                "a check has exactly one of {} (this one has {kinds})",
                format::CheckKind::KEYS.join(", ")
            ),
        );
    }
    if c.title.trim().is_empty() {
        err(&at("title"), "no-title", "say what the check wants, for the learner".into());
    }
    macro_rules! bad {
        ($path:expr, $r:expr) => {
            if let Err(m) = $r {
                err($path, "invalid-reference", m);
            }
        };
    }
    if let Some(r) = &c.request {
        let p = |k: &'static str| [Key("checks"), Index(i), Key("request"), Key(k)];
        bad!(&p("from"), refs::client(&r.from).map(drop));
        bad!(&p("to"), refs::target(&r.to).map(drop));
        bad!(&p("protocol"), protocol(r.protocol.as_deref()).map(drop));
        if let Some(l) = &r.lands_on {
            bad!(&p("lands_on"), refs::pod_set(l, false).map(drop));
        }
    }
    if let Some(d) = &c.dns {
        let p = |k: &'static str| [Key("checks"), Index(i), Key("dns"), Key(k)];
        let from = match d.from.strip_prefix("namespace/") {
            Some(ns) if !ns.is_empty() => Ok(()),
            _ => refs::client(&d.from).and_then(|c| match c {
                refs::ClientRef::Pod { .. } | refs::ClientRef::Pods { .. } => Ok(()),
                _ => Err("a DNS question comes from a pod: pod/<ns>/<name>, pods/<ns>/<selector> or namespace/<ns>".into()),
            }),
        };
        bad!(&p("from"), from);
        bad!(&p("expect"), refs::dns_expect(&d.expect).map(drop));
        bad!(&p("qtype"), qtype(d.qtype.as_deref()).map(drop));
    }
    if let Some(pc) = &c.policy {
        bad!(
            &[Key("checks"), Index(i), Key("policy"), Key("protocol")],
            protocol(pc.protocol.as_deref()).map(drop)
        );
        for (list, pairs) in [("allow", &pc.allow), ("deny", &pc.deny)] {
            for (j, pair) in pairs.iter().enumerate() {
                let p =
                    |k: &'static str| [Key("checks"), Index(i), Key("policy"), Key(list), Index(j), Key(k)];
                bad!(&p("from"), refs::pod_set(&pair.from, true).map(drop));
                bad!(&p("to"), refs::pod_set(&pair.to, false).map(drop));
            }
        }
        if pc.allow.is_empty() && pc.deny.is_empty() {
            err(&at("policy"), "empty-check", "list pairs under allow or deny".into());
        }
    }
    if let Some(ic) = &c.ingress {
        bad!(
            &[Key("checks"), Index(i), Key("ingress"), Key("expect")],
            refs::ingress_expect(&ic.expect).map(drop)
        );
    }
    if let Some(e) = &c.env {
        bad!(&[Key("checks"), Index(i), Key("env"), Key("pod")], refs::pod_set(&e.pod, false).map(drop));
    }
    if let Some(k) = &c.kube_proxy {
        if k.service.split_once('/').is_none_or(|(a, b)| a.is_empty() || b.is_empty()) {
            err(
                &[Key("checks"), Index(i), Key("kube_proxy"), Key("service")],
                "invalid-reference",
                "expected `<namespace>/<name>`".into(),
            );
        }
    }
    if let Some(a) = &c.answer {
        if !names.contains(&a.file.as_str()) {
            err(
                &[Key("checks"), Index(i), Key("answer"), Key("file")],
                "unknown-file",
                format!("`{}` is not one of the exercise's files", a.file),
            );
        }
        if a.accept.is_empty() {
            err(
                &[Key("checks"), Index(i), Key("answer"), Key("accept")],
                "empty-check",
                "list the accepted answers".into(),
            );
        }
    }
}

/// Maps a byte offset inside a block scalar's content back into the file: content line `n`
/// is file line `n + 1` after the indicator, shifted by the block's indentation.
fn embedded_offset(text: &str, block_start: usize, content: &str, offset: usize) -> Option<usize> {
    let (line, col) = manifest::line_col(content, offset);
    let after = text.get(block_start..)?;
    let first_line_end = block_start + after.find('\n')? + 1;
    let mut pos = first_line_end;
    let mut indent = None;
    for (i, l) in text.get(first_line_end..)?.split_inclusive('\n').enumerate() {
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

pub(crate) fn protocol(name: Option<&str>) -> Result<netsim::Protocol, String> {
    match name {
        None => Ok(netsim::Protocol::Tcp),
        Some(p) => {
            netsim::Protocol::parse(p).ok_or_else(|| format!("`{p}` is not a protocol: use TCP, UDP or SCTP"))
        }
    }
}

pub(crate) fn qtype(name: Option<&str>) -> Result<netsim::QueryType, String> {
    match name.unwrap_or("A") {
        "A" => Ok(netsim::QueryType::A),
        "SRV" => Ok(netsim::QueryType::Srv),
        "PTR" => Ok(netsim::QueryType::Ptr),
        other => Err(format!("`{other}` is not a question type: use A, SRV or PTR")),
    }
}

impl TopologyOptions {
    /// The model's topology for these options.
    pub fn topology(&self) -> netsim::Topology {
        let mut t = netsim::Topology::default();
        if self.cloud_load_balancer == Some(false) {
            t.load_balancer_pool = None;
        }
        if self.ingress_controller == Some(false) {
            t.ingress_controller = false;
        }
        if self.enforces_network_policy == Some(false) {
            t.enforces_network_policy = false;
        }
        t
    }
}

/// The learner's files at the start of an exercise.
pub fn starting_files(ex: &Exercise) -> Vec<SourceFile> {
    ex.files.iter().map(|f| SourceFile { name: f.name.clone(), text: f.text.clone() }).collect()
}

/// The starting files with the solution's files put in.
pub fn solution_files(ex: &Exercise) -> Vec<SourceFile> {
    ex.files
        .iter()
        .map(|f| {
            let text = ex.solution.iter().find(|s| s.name == f.name).map_or(&f.text, |s| &s.text);
            SourceFile { name: f.name.clone(), text: text.clone() }
        })
        .collect()
}

/// What `switchboard check` proves of a loaded exercise: its solution passes every check and
/// loads without error, and its starting files fail at least one check. Problems in words.
pub fn audit(ex: &Exercise) -> Vec<String> {
    let mut problems = Vec::new();
    let solved = grade(ex, &solution_files(ex));
    for r in solved.results.iter().filter(|r| !r.passed) {
        problems.push(format!("the solution fails check \"{}\": {}", r.title, r.explanation));
    }
    for d in solved.diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        problems.push(format!("the solution has an error in {}: {}", d.file, d.message));
    }
    if grade(ex, &starting_files(ex)).solved() {
        problems.push("the starting files already pass every check: the exercise asks nothing".into());
    }
    problems
}

/// The JSON Schema of the exercise format (what `exercises/exercise.schema.json` holds).
pub fn schema() -> String {
    let schema = schemars::schema_for!(Exercise);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
