//! Reading a file again after an edit (`yaml::Parses`) gives what reading it whole gives:
//! every test and example file of the repository, edited at many places in the ways a learner
//! types (a letter, a newline, a colon, an indent, a quote, a bracket, a document marker, a
//! deletion), each edit then undone, is read both ways and compared, documents and
//! diagnostics, positions included.

#![allow(clippy::disallowed_methods)] // Not in the wasm: the standard sort is fine (clippy.toml).

use std::path::{Path, PathBuf};

use manifest::yaml::{self, Parses, MAX_FILE_BYTES};

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// Where to edit: around every document marker, and at evenly spaced places between.
fn places(text: &str) -> Vec<usize> {
    let mut at: Vec<usize> = Vec::new();
    for (i, _) in text.match_indices("\n---") {
        at.extend([i, i + 1, i + 2, i + 4, i + 5]);
    }
    at.extend((0..=8).map(|k| text.len() * k / 8));
    at.retain(|&i| i <= text.len() && text.is_char_boundary(i));
    at.sort_unstable();
    at.dedup();
    at
}

const EDITS: [&str; 9] = ["x", "\n", ":", "  ", "'", "[", "---\n", "\n---\n", "-"];

fn whole(text: &str) -> (Vec<yaml::Document>, Vec<manifest::Diagnostic>) {
    let mut d = Vec::new();
    let docs = yaml::parse_with("f.yaml", text, MAX_FILE_BYTES, &mut d);
    (docs, d)
}

fn again(parses: &mut Parses, text: &str) -> (Vec<yaml::Document>, Vec<manifest::Diagnostic>) {
    let mut d = Vec::new();
    let docs = parses.parse("f.yaml", text, MAX_FILE_BYTES, &mut d).to_vec();
    (docs, d)
}

#[test]
fn an_edited_file_read_again_is_read_as_it_is_read_whole() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in ["crates/manifest/tests/cases", "crates/exercises/tests/wrong", "exercises"] {
        yaml_files(&root.join(dir), &mut files);
    }
    files.sort();
    assert!(files.len() > 250, "the corpus is the repository's YAML files: found {}", files.len());
    let (mut readings, mut multi) = (0u64, 0u64);
    let mut parses = Parses::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        if text.matches("\n---").count() < 2 {
            continue;
        }
        multi += 1;
        assert_eq!(again(&mut parses, &text), whole(&text), "{}", path.display());
        for at in places(&text) {
            let removed =
                text[at..].chars().next().map(|c| format!("{}{}", &text[..at], &text[at + c.len_utf8()..]));
            let edited = EDITS.iter().map(|e| format!("{}{e}{}", &text[..at], &text[at..])).chain(removed);
            for new in edited {
                // The edit, then undoing it: each reading starts from the one before.
                for t in [new.as_str(), text.as_str()] {
                    readings += 1;
                    assert_eq!(
                        again(&mut parses, t),
                        whole(t),
                        "{} edited at byte {at}:\n{t}",
                        path.display()
                    );
                }
            }
        }
    }
    assert!(multi > 20, "files of three or more documents: {multi}");
    // An edit that breaks the YAML is read whole, and so is the reading after it; the rest reuse.
    assert!(parses.reused * 3 > readings, "{} of {readings} readings reused documents", parses.reused);
}
