//! Reading the YAML files named on the command line.

use std::path::{Path, PathBuf};

use manifest::{Diagnostic, SourceFile};

/// Every manifest file under the given paths (a file, or a folder searched recursively for
/// `*.yaml`, `*.yml` and `*.json`: JSON is YAML, and kubectl writes both), in name order. File
/// names are the paths as the user wrote them.
pub fn read_all(paths: &[String]) -> Result<Vec<SourceFile>, String> {
    let mut found = Vec::new();
    for path in paths {
        let path = Path::new(path);
        if path.is_dir() {
            let mut inside = Vec::new();
            collect_yaml(path, &mut inside)?;
            inside.sort();
            found.extend(inside);
        } else if path.exists() {
            found.push(path.to_path_buf());
        } else {
            return Err(format!("{}: no such file or folder", path.display()));
        }
    }
    found
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            manifest::decode(&path.display().to_string(), bytes)
                .map_err(|d| format!("{}: {}", d.file, d.message))
        })
        .collect()
}

fn collect_yaml(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.is_dir() {
            collect_yaml(&path, out)?;
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
            out.push(path);
        }
    }
    Ok(())
}

/// Each diagnostic as `file:line:col: severity[code]: message`, then one indented line per
/// hint. Positions come from one [`manifest::LineIndex`] per file (thousands of diagnostics in
/// a big file would otherwise each count lines from the start).
pub fn render_all<'d>(
    sources: &[SourceFile],
    diags: impl IntoIterator<Item = &'d Diagnostic>,
) -> Vec<String> {
    let indexes: Vec<manifest::LineIndex<'_>> =
        sources.iter().map(|s| manifest::LineIndex::new(&s.text)).collect();
    diags
        .into_iter()
        .map(|d| {
            let at = sources.iter().position(|s| s.name == d.file);
            render(d, at.map_or((0, 0), |i| indexes[i].line_col(d.start)))
        })
        .collect()
}

/// One diagnostic at its `(line, col)` ((0, 0) when its file is unknown).
fn render(d: &Diagnostic, (line, col): (usize, usize)) -> String {
    let mut out = format!("{}:{line}:{col}: {}[{}]: {}", d.file, d.severity.as_str(), d.code, d.message);
    for hint in &d.hints {
        out.push_str("\n    hint: ");
        out.push_str(hint);
    }
    out
}
