//! The curriculum on disk, shared by the tests and the grading benchmark
//! (`benches/grade.rs` includes this file by path).
#![allow(dead_code)] // Each test crate uses its own part.

use std::path::{Path, PathBuf};

use exercises::{load, Exercise};
use manifest::SourceFile;
use serde::Deserialize;

/// The `exercises/` folder at the workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../exercises")
}

/// Every exercise file under `dir` (YAML files but `chapters.yaml`), sorted by path.
#[allow(clippy::disallowed_methods)] // Test code, not in the wasm: the standard sort is fine.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml")
                && p.file_name().is_some_and(|n| n != "chapters.yaml")
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The exercise in `path`; a file that does not load fails the test with its diagnostics.
pub fn load_exercise(path: &Path) -> Exercise {
    let text = std::fs::read_to_string(path).expect("read");
    let loaded = load(&path.display().to_string(), &text);
    loaded.exercise.unwrap_or_else(|| panic!("{} does not load: {:#?}", path.display(), loaded.diagnostics))
}

/// Every exercise of the curriculum with its path, in path order.
pub fn curriculum() -> Vec<(String, Exercise)> {
    yaml_files(&root()).iter().map(|p| (p.display().to_string(), load_exercise(p))).collect()
}

/// The learner's files: the exercise's starting files with `replaced` swapped in by name.
pub fn with_files(ex: &Exercise, replaced: &[exercises::File]) -> Vec<SourceFile> {
    ex.files
        .iter()
        .map(|f| {
            let text = replaced.iter().find(|s| s.name == f.name).map_or(&f.text, |s| &s.text);
            SourceFile { name: f.name.clone(), text: text.clone() }
        })
        .collect()
}

/// A wrong answer: files that look right to a learner but must fail a named check.
#[derive(Deserialize)]
pub struct Wrong {
    /// Path of the exercise, relative to exercises/.
    pub exercise: String,
    /// Why a learner might write this.
    pub why: String,
    pub files: Vec<exercises::File>,
    pub fails: Vec<Expectation>,
}

#[derive(Deserialize)]
pub struct Expectation {
    /// The title of the check that must fail.
    pub check: String,
    /// Text its explanation must contain.
    pub explanation: String,
}

/// Every wrong answer under tests/wrong/ with its path, in path order; a file that does not
/// read fails the test.
pub fn wrong_answers() -> Vec<(PathBuf, Wrong)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wrong");
    yaml_files(&dir)
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("read");
            let mut sink = Vec::new();
            let docs = manifest::yaml::parse(&path.display().to_string(), &text, &mut sink);
            let Some(doc) = docs.first() else { panic!("{}: empty", path.display()) };
            let (wrong, problems) = manifest::de::from_node::<Wrong>(&doc.root);
            let Some(wrong) = wrong else { panic!("{}: {problems:?}", path.display()) };
            assert!(problems.is_empty(), "{}: {problems:?}", path.display());
            (path, wrong)
        })
        .collect()
}
