//! The curriculum on disk, shared by the tests and the grading benchmark
//! (`benches/grade.rs` includes this file by path).
#![allow(dead_code)] // Each test crate uses its own part.

use std::path::{Path, PathBuf};

use exercises::{load, Exercise};

/// The `exercises/` folder at the workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../exercises")
}

/// Every exercise file under `dir` (YAML files but `chapters.yaml`), sorted by path.
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
