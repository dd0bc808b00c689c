//! Runs every case file under `tests/cases/`: each is a real YAML stream whose leading
//! comments give the documentation it follows and the diagnostics it must produce:
//!
//! ```yaml
//! # doc: https://kubernetes.io/docs/concepts/services-networking/service/
//! # topology: no-load-balancer        (optional: Topology::default() without an LB pool)
//! # expect: error unknown-field 9:7   (severity, code, line:col; one line each)
//! # expect: none                      (a clean file)
//! # hint: target-port-not-declared add it   (optional: some diagnostic with this code has a
//! #                                           hint containing the text)
//! ```
//!
//! `UPDATE_EXPECT=1 cargo test -p manifest --test cases` rewrites the expect lines.
#![allow(clippy::disallowed_methods)] // Not in the wasm: the standard sort is fine (clippy.toml).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use manifest::{line_col, load_and_build, SourceFile};

fn case_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            case_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml") {
            out.push(p);
        }
    }
}

/// Each diagnostic's code and hints.
type Hints = Vec<(&'static str, Vec<String>)>;

fn run(name: &str, text: &str) -> (Vec<String>, Hints, String) {
    let mut topology = netsim::Topology::default();
    if text.lines().any(|l| l.trim() == "# topology: no-load-balancer") {
        topology.load_balancer_pool = None;
    }
    let (loaded, _) =
        load_and_build(&[SourceFile { name: name.to_string(), text: text.to_string() }], &topology);
    let mut lines = Vec::new();
    let mut detail = String::new();
    let hints = loaded.diagnostics.iter().map(|d| (d.code, d.hints.clone())).collect();
    for d in &loaded.diagnostics {
        let (l, c) = line_col(text, d.start);
        lines.push(format!("{} {} {l}:{c}", d.severity.as_str(), d.code));
        writeln!(detail, "  {} {} {l}:{c}: {}", d.severity.as_str(), d.code, d.message).unwrap();
        for h in &d.hints {
            writeln!(detail, "      hint: {h}").unwrap();
        }
    }
    (lines, hints, detail)
}

#[test]
fn cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files = Vec::new();
    case_files(&root, &mut files);
    let bless = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = String::new();
    let mut count = 0;
    for path in &files {
        count += 1;
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        let header: Vec<&str> =
            text.trim_start_matches('\u{feff}').lines().take_while(|l| l.starts_with('#')).collect();
        assert!(
            header.iter().any(|l| l.starts_with("# doc: ")),
            "{name}: a case names the documentation it follows (`# doc: URL`)"
        );
        let mut want: Vec<String> = header
            .iter()
            .filter_map(|l| l.strip_prefix("# expect: "))
            .filter(|l| *l != "none")
            .map(|l| l.trim().to_string())
            .collect();
        let (mut got, hints, detail) = run(&name, &text);
        for want_hint in header.iter().filter_map(|l| l.strip_prefix("# hint: ")) {
            let (code, part) = want_hint.split_once(' ').unwrap_or((want_hint, ""));
            let found = hints.iter().any(|(c, hs)| *c == code && hs.iter().any(|h| h.contains(part.trim())));
            if !found {
                writeln!(
                    failures,
                    "--- {name}\n  no {code} hint contains: {part}\n all diagnostics:\n{detail}"
                )
                .unwrap();
            }
        }
        want.sort();
        got.sort();
        if want != got {
            if bless {
                let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
                let mut new = String::new();
                let mut wrote = false;
                for line in text.split_inclusive('\n') {
                    if line.trim_start_matches('\u{feff}').starts_with("# expect: ") {
                        if !wrote {
                            wrote = true;
                            if got.is_empty() {
                                write!(new, "# expect: none{nl}").unwrap();
                            }
                            for g in &got {
                                write!(new, "# expect: {g}{nl}").unwrap();
                            }
                        }
                    } else {
                        new.push_str(line);
                    }
                }
                std::fs::write(path, new).unwrap();
            }
            writeln!(failures, "--- {name}").unwrap();
            for w in want.iter().filter(|w| !got.contains(w)) {
                writeln!(failures, "  missing: {w}").unwrap();
            }
            for g in got.iter().filter(|g| !want.contains(g)) {
                writeln!(failures, "  unexpected: {g}").unwrap();
            }
            writeln!(failures, " all diagnostics:\n{detail}").unwrap();
        }
    }
    assert!(count >= 100, "expected at least 100 case files, found {count}");
    assert!(failures.is_empty(), "case files that disagree:\n{failures}");
}
