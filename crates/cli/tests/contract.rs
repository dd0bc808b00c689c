//! The `switchboard query` contract, end to end: every folder under tests/contract/ holds
//! `manifests/`, `queries.json` and `expected.json`. Each expected answer is matched as a
//! subset of the real answer (every key written must match; arrays exactly), but for
//! `trace_has`: a list of texts the answer's `trace` must contain. Folders whose name
//! starts with `later-` cover rules the model does not implement yet and are skipped. The
//! command exits 0, or 3 when an object of a networking kind was not used (see tests/dumps.rs).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn case_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/contract");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|entries| entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect())
        .unwrap_or_default();
    dirs.sort();
    dirs
}

/// Where `want` is not a subset of `got`: a list of `path: want X, got Y` lines.
fn mismatches(path: &str, want: &Value, got: &Value, out: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            if let Some(texts) = w.get("trace_has").and_then(Value::as_array) {
                let trace = g.get("trace").and_then(Value::as_str).unwrap_or("");
                for text in texts.iter().filter_map(Value::as_str) {
                    if !trace.contains(text) {
                        out.push(format!("{path}.trace: want a text with `{text}`"));
                    }
                }
            }
            for (key, wv) in w.iter().filter(|(k, _)| *k != "trace_has") {
                match g.get(key) {
                    Some(gv) => mismatches(&format!("{path}.{key}"), wv, gv, out),
                    None => out.push(format!("{path}.{key}: want {wv}, missing")),
                }
            }
        }
        _ if want == got => {}
        _ => out.push(format!("{path}: want {want}, got {got}")),
    }
}

#[test]
fn query_contract_cases() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for dir in case_dirs() {
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.starts_with("later-") {
            continue;
        }
        let output = Command::new(env!("CARGO_BIN_EXE_switchboard"))
            .arg("query")
            .arg("--manifests")
            .arg(dir.join("manifests"))
            .arg("--queries")
            .arg(dir.join("queries.json"))
            .output()
            .expect("run switchboard");
        // Exit 3: an object of a networking kind was not used (the cases of invalid manifests),
        // said on stderr; the answers are on stdout all the same.
        let stderr = String::from_utf8_lossy(&output.stderr);
        let incomplete = output.status.code() == Some(3) && stderr.contains("not used as written");
        if !output.status.success() && !incomplete {
            failures.push(format!(
                "{name}: exit {}: {}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ));
            continue;
        }
        let got: Value = match serde_json::from_slice(&output.stdout) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{name}: output is not JSON: {e}"));
                continue;
            }
        };
        let queries: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("queries.json")).expect("queries.json"))
                .expect("queries.json is JSON");
        let want: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).expect("expected.json"))
                .expect("expected.json is JSON");
        let (Some(want), Some(got)) = (want.as_array(), got.as_array()) else {
            failures.push(format!("{name}: expected.json and the output must be arrays"));
            continue;
        };
        if want.len() != got.len() {
            failures.push(format!("{name}: {} expected answers, {} given", want.len(), got.len()));
            continue;
        }
        for (i, (w, g)) in want.iter().zip(got).enumerate() {
            checked += 1;
            let mut out = Vec::new();
            mismatches("", w, g, &mut out);
            if !out.is_empty() {
                let trace = g.get("trace").and_then(Value::as_str).unwrap_or("");
                failures.push(format!(
                    "{name} query {i}: {}\n    {}\n{}",
                    queries.get(i).map(Value::to_string).unwrap_or_default(),
                    out.join("\n    "),
                    trace.lines().map(|l| format!("      | {l}")).collect::<Vec<_>>().join("\n")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} answers differ:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
