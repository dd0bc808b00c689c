//! Instructor commands: `check` (a folder of exercises is sound and covers the curriculum),
//! `grade` (one exercise against a learner's files), `new` (a commented template) and
//! `schema` (the JSON Schema of the format).

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use exercises::{concepts::CONCEPTS, grade, load, locate, Exercise, Grade, Place, CLUSTER_FILE};
use manifest::{Diagnostic, SourceFile};
use serde_json::json;

/// Every `*.yaml` exercise file under `path` (or `path` itself), sorted.
fn exercise_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

pub(crate) fn render(file: &str, text: &str, d: &Diagnostic) -> String {
    let (line, col) = manifest::line_col(text, d.start);
    let mut s = format!("{file}:{line}:{col}: {}[{}]: {}", d.severity.as_str(), d.code, d.message);
    for h in &d.hints {
        s.push_str(&format!("\n    hint: {h}"));
    }
    s
}

fn with_hints(mut message: String, hints: &[String]) -> String {
    for h in hints {
        message.push_str(&format!("\n    hint: {h}"));
    }
    message
}

pub(crate) fn read(path: &Path) -> Result<(String, String), String> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
    Ok((name, text))
}

/// What `check` found so far, over every file.
struct Tally {
    problems: usize,
    warnings: usize,
    count: usize,
    /// Each exercise id, with the file that used it first.
    seen_ids: BTreeMap<String, String>,
    covered: BTreeMap<&'static str, Vec<String>>,
}

impl Tally {
    /// Reports one exercise: the one in `range` of the file `text` (the whole file, or one
    /// document of a pack), its diagnostics at their place in the file. `folder` is the
    /// chapter its folder names, when it has one.
    fn exercise(
        &mut self,
        name: &str,
        text: &str,
        range: Range<usize>,
        loaded: exercises::Loaded,
        folder: Option<&str>,
    ) {
        self.count += 1;
        for d in &loaded.diagnostics {
            println!("{}", render(name, text, d));
        }
        let Some(ex) = loaded.exercise else {
            self.problems += 1;
            return;
        };
        let part = &text[range.clone()];
        let at = |place: &Place| match locate(part, place) {
            Some((start, _)) => {
                let (line, col) = manifest::line_col(text, start + range.start);
                format!("{name}:{line}:{col}")
            }
            None => name.to_string(),
        };
        let mut fail = |place: Place, why: String| {
            println!("{}: error: {why}", at(&place));
            self.problems += 1;
        };
        if let Some(other) = self.seen_ids.insert(ex.id.clone(), name.to_string()) {
            fail(Place::Key("id"), format!("id `{}` is also used by {other}", ex.id));
        }
        if let Some(folder) = folder.filter(|f| *f != ex.chapter) {
            fail(
                Place::Key("chapter"),
                format!("chapter `{}` does not match its folder `{folder}`", ex.chapter),
            );
        }
        let review = exercises::review(&ex);
        for problem in review.problems {
            fail(problem.place, with_hints(problem.message, &problem.hints));
        }
        for warning in review.warnings {
            println!("{}: warning: {}", at(&warning.place), warning.message);
            self.warnings += 1;
        }
        for c in &ex.concepts {
            if let Some(list) = self.covered.get_mut(c.as_str()) {
                list.push(ex.id.clone());
            }
        }
    }
}

/// Reports a course pack (`exercises::pack`): its own diagnostics, then each exercise.
fn check_pack(name: &str, text: &str, tally: &mut Tally) {
    let pack = exercises::pack::load_pack(name, text);
    for d in &pack.diagnostics {
        println!("{}", render(name, text, d));
        if d.severity == manifest::Severity::Error {
            tally.problems += 1;
        }
    }
    if let Some(head) = &pack.head {
        println!("{name}: pack `{}` ({}): {} exercise(s)", head.id, head.title, pack.exercises.len());
    }
    for part in pack.exercises {
        tally.exercise(name, text, part.range, part.loaded, None);
    }
}

/// `switchboard check PATH [--coverage]`.
pub fn check(args: &[String]) -> Result<ExitCode, String> {
    let mut paths = Vec::new();
    let mut require_coverage = false;
    for a in args {
        match a.as_str() {
            "--coverage" => require_coverage = true,
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            p => paths.push(PathBuf::from(p)),
        }
    }
    if paths.is_empty() {
        return Err("check needs a PATH (an exercise file or a folder of them)".into());
    }
    let mut tally = Tally {
        problems: 0,
        warnings: 0,
        count: 0,
        seen_ids: BTreeMap::new(),
        covered: CONCEPTS.iter().map(|c| (c.0, Vec::new())).collect(),
    };
    for root in &paths {
        for path in exercise_files(root)? {
            if path.file_name().is_some_and(|n| n == "chapters.yaml") {
                continue;
            }
            let (name, text) = read(&path)?;
            if exercises::pack::is_pack(&text) {
                check_pack(&name, &text, &mut tally);
                continue;
            }
            let folder = path.parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned());
            // The folder names the chapter when the exercise is below the folder checked.
            let folder = folder.filter(|_| root.is_dir() && path.parent() != Some(root.as_path()));
            let loaded = load(&name, &text);
            tally.exercise(&name, &text, 0..text.len(), loaded, folder.as_deref());
        }
    }
    let Tally { mut problems, warnings, count, covered, .. } = tally;
    println!();
    println!("{:<4} {:<52} exercises", "id", "concept");
    let mut missing = 0;
    for (id, _, title) in CONCEPTS {
        let list = &covered[id];
        if list.is_empty() {
            missing += 1;
        }
        let shown = if list.is_empty() { "MISSING".to_string() } else { list.join(", ") };
        println!("{id:<4} {title:<52} {shown}");
    }
    let total = CONCEPTS.len();
    let pct = (total - missing) * 100 / total.max(1);
    println!();
    println!(
        "{count} exercise(s), {problems} problem(s), {warnings} warning(s); concept coverage {}/{total} ({pct} %)",
        total - missing
    );
    if require_coverage && missing > 0 {
        println!("error: --coverage asks for every concept to be covered");
        problems += 1;
    }
    Ok(if problems == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// `switchboard grade EXERCISE.yaml --files DIR [--json]`: each exercise file is read from
/// DIR by name (a missing one counts as empty).
pub fn grade_cmd(args: &[String]) -> Result<ExitCode, String> {
    let (mut exercise, mut dir, mut as_json) = (None, None, false);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--files" => dir = Some(it.next().cloned().ok_or("--files needs a folder")?),
            "--json" => as_json = true,
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            p => exercise = Some(p.to_string()),
        }
    }
    let (Some(exercise), Some(dir)) = (exercise, dir) else {
        return Err("grade needs EXERCISE.yaml and --files DIR".into());
    };
    let (name, text) = read(Path::new(&exercise))?;
    let loaded = load(&name, &text);
    for d in &loaded.diagnostics {
        eprintln!("{}", render(&name, &text, d));
    }
    let ex = loaded.exercise.ok_or_else(|| format!("{name} does not load"))?;
    let mut files = Vec::new();
    for f in &ex.files {
        let p = Path::new(&dir).join(&f.name);
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        files.push(SourceFile { name: f.name.clone(), text });
    }
    let g = grade(&ex, &files);
    if as_json {
        println!("{}", serde_json::to_string_pretty(&grade_json(&g, &ex, &files)).unwrap_or_default());
    } else {
        for d in &g.diagnostics {
            println!("{}", render(&d.file, text_of(&d.file, &ex, &files), d));
        }
        for r in &g.results {
            println!("{} {}\n    {}", if r.passed { "PASS" } else { "FAIL" }, r.title, r.explanation);
            if let (false, Some(t)) = (r.passed, &r.trace) {
                for line in t.lines() {
                    println!("    | {line}");
                }
            }
        }
        println!("{}", g.summary());
    }
    Ok(if g.solved() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// The text a graded diagnostic's offsets are in: a learner's file, or the read-only cluster.
fn text_of<'a>(file: &str, ex: &'a Exercise, files: &'a [SourceFile]) -> &'a str {
    if file == CLUSTER_FILE {
        return &ex.cluster;
    }
    files.iter().find(|f| f.name == file).map_or("", |f| f.text.as_str())
}

/// `grade --json`: each diagnostic with its file and its place in it, 1-based line and column
/// (in characters) of both ends.
fn grade_json(g: &Grade, ex: &Exercise, files: &[SourceFile]) -> serde_json::Value {
    let diagnostic = |d: &Diagnostic| {
        let text = text_of(&d.file, ex, files);
        let (line, column) = manifest::line_col(text, d.start);
        let (end_line, end_column) = manifest::line_col(text, d.end);
        json!({
            "severity": d.severity.as_str(),
            "code": d.code,
            "message": d.message,
            "hints": d.hints,
            "file": d.file,
            "line": line,
            "column": column,
            "end_line": end_line,
            "end_column": end_column,
        })
    };
    json!({
        "solved": g.solved(),
        "summary": g.summary(),
        "checks": g.results.iter().map(|r| json!({
            "title": r.title,
            "passed": r.passed,
            "explanation": r.explanation,
            "trace": r.trace,
        })).collect::<Vec<_>>(),
        "diagnostics": g.diagnostics.iter().map(diagnostic).collect::<Vec<_>>(),
    })
}

const TEMPLATE: &str = include_str!("template.yaml");

/// `switchboard new PATH`: writes a commented exercise template (never over an existing file).
pub fn new(args: &[String]) -> Result<ExitCode, String> {
    let [path] = args else {
        return Err("new needs one PATH, e.g. exercises/02-clusterip-and-ports/my-exercise.yaml".into());
    };
    let p = Path::new(path);
    if p.exists() {
        return Err(format!("{path} already exists"));
    }
    let id = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "my-exercise".into());
    let chapter = p
        .parent()
        .and_then(|d| d.file_name())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "01-why-services".into());
    let text = TEMPLATE.replace("{{id}}", &id).replace("{{chapter}}", &chapter);
    if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(p, text).map_err(|e| format!("{path}: {e}"))?;
    println!("wrote {path}; check it with: switchboard check {path}");
    Ok(ExitCode::SUCCESS)
}

/// `switchboard schema`: the JSON Schema of exercise files.
pub fn schema() -> Result<ExitCode, String> {
    print!("{}", exercises::schema());
    Ok(ExitCode::SUCCESS)
}
