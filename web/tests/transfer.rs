//! The import rules (`web::transfer`): reading both formats, comparing, merging, replacing,
//! undoing, and the message that says what changed. Pure functions: no storage involved.

use std::collections::BTreeMap;

use wasm_bindgen_test::*;
use web::transfer::{self, Backup, Export, Side, FORMAT_V1, FORMAT_V2};

wasm_bindgen_test_configure!(run_in_browser);

/// A document of `format` with files `(key, text, changed)` and solved exercises.
fn doc(format: &str, files: &[(&str, &str, Option<u64>)], solved: &[&str]) -> Export {
    let mut d = Export { format: format.into(), ..Export::default() };
    for (key, text, changed) in files {
        d.files.insert(key.to_string(), text.to_string());
        if let Some(t) = changed {
            d.changed.insert(key.to_string(), *t);
        }
    }
    d.progress.solved = solved.iter().map(|s| s.to_string()).collect();
    d
}

#[wasm_bindgen_test]
fn a_v1_file_reads_without_times() {
    let d = transfer::parse(include_str!("../../tests/fixtures/progress-v1.json")).expect("the v1 fixture");
    assert_eq!(d.format, FORMAT_V1);
    assert!(d.files.contains_key("first-service/service.yaml"));
    assert!(d.changed.is_empty());
    assert!(d.progress.solved.contains("first-service"));
    assert_eq!(d.sandboxes.get("lab"), Some(&vec!["app.yaml".to_string()]));
}

#[wasm_bindgen_test]
fn damaged_files_are_refused_with_the_reason() {
    let cases: &[(&str, &str)] = &[
        ("<html>", "it is not a JSON object (expected value at line 1 column 1)"),
        ("[1, 2]", "it is not a JSON object"),
        ("{}", "has no `format` field"),
        (r#"{"format": 2}"#, "`format` is not a string"),
        (
            r#"{"format": "switchboard-progress-v9", "files": {}}"#,
            "unknown progress format `switchboard-progress-v9`",
        ),
        (r#"{"format": "switchboard-progress-v2", "files": {"a/b": 3}, "progress": {}}"#, "file is damaged"),
        (r#"{"format": "switchboard-progress-v2"}"#, "missing field `files`"),
    ];
    for (text, said) in cases {
        let e = transfer::parse(text).expect_err(text);
        assert!(e.contains(said), "{text}: {e}");
    }
}

#[wasm_bindgen_test]
fn a_v2_file_keeps_times_only_for_files_it_holds() {
    let text = r#"{"format": "switchboard-progress-v2", "files": {"a/x.yaml": "x"}, "changed": {"a/x.yaml": 5, "gone/y.yaml": 9}, "progress": {}}"#;
    let d = transfer::parse(text).unwrap();
    assert_eq!(d.changed, BTreeMap::from([("a/x.yaml".to_string(), 5)]));
}

#[wasm_bindgen_test]
fn comparison_counts_what_each_side_holds() {
    let here =
        doc(FORMAT_V2, &[("a/x", "1", Some(10)), ("b/x", "same", None), ("c/x", "mine", None)], &["a"]);
    let file =
        doc(FORMAT_V2, &[("a/x", "2", Some(20)), ("b/x", "same", None), ("d/x", "new", None)], &["a", "d"]);
    let c = transfer::compare(&here, &file);
    assert_eq!((c.solved_here, c.solved_file, c.solved_new), (1, 2, 1));
    assert_eq!((c.files_here, c.files_file), (3, 3));
    assert_eq!(c.added, vec!["d/x"]);
    assert_eq!(c.differing.len(), 1);
    assert_eq!(c.differing[0].key, "a/x");
    assert_eq!(c.only_here, vec!["c/x"]);
    assert_eq!(c.replaced(), vec!["a/x", "c/x"], "a replace overwrites a/x and removes c/x");
    assert!(c.timed);
}

/// (time here, time in the file, what a merge keeps unpicked)
const DEFAULTS: &[(Option<u64>, Option<u64>, Side)] = &[
    (Some(10), Some(20), Side::File),
    (Some(20), Some(10), Side::Here),
    (Some(10), Some(10), Side::Here),
    (None, Some(20), Side::Here),
    (Some(10), None, Side::Here),
    (None, None, Side::Here),
];

#[wasm_bindgen_test]
fn merge_keeps_the_newer_file_and_the_stored_one_when_a_time_is_missing() {
    for (h, f, kept) in DEFAULTS {
        let here = doc(FORMAT_V2, &[("a/x", "mine", *h)], &[]);
        let file = doc(FORMAT_V2, &[("a/x", "theirs", *f)], &[]);
        let merged = transfer::merge(&here, &file, &BTreeMap::new());
        let (text, time) = if *kept == Side::File { ("theirs", f) } else { ("mine", h) };
        assert_eq!(merged.files["a/x"], text, "{h:?} vs {f:?}");
        assert_eq!(merged.changed.get("a/x"), time.as_ref(), "{h:?} vs {f:?}");
    }
}

#[wasm_bindgen_test]
fn a_pick_overrides_the_default() {
    let here = doc(FORMAT_V1, &[("a/x", "mine", None)], &[]);
    let file = doc(FORMAT_V1, &[("a/x", "theirs", None)], &[]);
    let picks = BTreeMap::from([("a/x".to_string(), Side::File)]);
    assert_eq!(transfer::merge(&here, &file, &picks).files["a/x"], "theirs");
    let here = doc(FORMAT_V2, &[("a/x", "old", Some(1))], &[]);
    let file = doc(FORMAT_V2, &[("a/x", "new", Some(2))], &[]);
    let picks = BTreeMap::from([("a/x".to_string(), Side::Here)]);
    let merged = transfer::merge(&here, &file, &picks);
    assert_eq!((merged.files["a/x"].as_str(), merged.changed["a/x"]), ("old", 1));
}

#[wasm_bindgen_test]
fn merge_unions_progress_sandboxes_and_scenarios() {
    let mut here = doc(FORMAT_V2, &[("a/x", "1", None)], &["a", "b"]);
    here.progress.hints = BTreeMap::from([("a".into(), 2), ("b".into(), 1)]);
    here.progress.revealed.insert("a".into());
    here.sandboxes.insert("lab".into(), vec!["app.yaml".into()]);
    here.scenarios.insert("custom-s".into(), "mine".into());
    let mut file = doc(FORMAT_V1, &[("z/y", "2", None)], &["b", "c"]);
    file.progress.hints = BTreeMap::from([("a".into(), 1), ("b".into(), 3), ("c".into(), 1)]);
    file.progress.revealed.insert("c".into());
    file.sandboxes.insert("lab".into(), vec!["db.yaml".into(), "app.yaml".into()]);
    file.sandboxes.insert("other".into(), vec!["main.yaml".into()]);
    file.scenarios.insert("custom-s".into(), "theirs".into());
    file.scenarios.insert("custom-t".into(), "t".into());
    let m = transfer::merge(&here, &file, &BTreeMap::new());
    assert_eq!(m.format, FORMAT_V2);
    assert_eq!(m.files.len(), 2);
    assert_eq!(m.progress.solved.iter().collect::<Vec<_>>(), ["a", "b", "c"]);
    assert_eq!(m.progress.hints, BTreeMap::from([("a".into(), 2), ("b".into(), 3), ("c".into(), 1)]));
    assert_eq!(m.progress.revealed.iter().collect::<Vec<_>>(), ["a", "c"]);
    assert_eq!(m.sandboxes["lab"], vec!["app.yaml", "db.yaml"]);
    assert_eq!(m.sandboxes["other"], vec!["main.yaml"]);
    assert_eq!(m.scenarios["custom-s"], "mine", "a scenario both hold keeps the stored text");
    assert_eq!(m.scenarios["custom-t"], "t");
}

#[wasm_bindgen_test]
fn replace_is_the_file_in_the_current_format() {
    let file = doc(FORMAT_V1, &[("a/x", "theirs", None)], &["a"]);
    let r = transfer::replacement(&file);
    assert_eq!(r.format, FORMAT_V2);
    assert_eq!((r.files, r.progress), (file.files, file.progress));
}

#[wasm_bindgen_test]
fn the_message_names_what_changed() {
    let before = doc(FORMAT_V2, &[("a/x", "1", None), ("b/x", "1", None), ("c/x", "1", None)], &["a"]);
    let merged = doc(
        FORMAT_V2,
        &[("a/x", "2", None), ("b/x", "1", None), ("c/x", "1", None), ("d/x", "1", None)],
        &["a", "b", "c"],
    );
    let changes = transfer::changes(&before, &merged);
    assert_eq!(changes.message("Merged"), "Merged: 2 files updated, 2 exercises marked solved");
    let replaced = doc(FORMAT_V2, &[("a/x", "1", None)], &[]);
    assert_eq!(
        transfer::changes(&before, &replaced).message("Replaced"),
        "Replaced: 2 files removed, 1 exercise no longer solved"
    );
    assert_eq!(transfer::changes(&before, &before).message("Merged"), "Merged: nothing changed");
}

#[wasm_bindgen_test]
fn a_whole_backup_restores_the_document_exactly() {
    let before = doc(FORMAT_V2, &[("a/x", "1", Some(3))], &["a"]);
    let after = doc(FORMAT_V2, &[("b/x", "2", None)], &["b"]);
    let backup = Backup { action: "import".into(), exercise: None, document: before.clone() };
    assert_eq!(backup.restored(&after), before);
}

#[wasm_bindgen_test]
fn an_exercise_backup_restores_only_that_exercise() {
    let mut before = doc(
        FORMAT_V2,
        &[("ex/a.yaml", "mine", Some(5)), ("ex/b.yaml", "b", None), ("other/x", "o", None)],
        &[],
    );
    before.sandboxes.insert("lab".into(), vec!["x.yaml".into()]);
    let backup = Backup::of_exercise("reset", "ex", &before);
    assert_eq!(backup.document.files.len(), 2, "only the exercise's files are kept");
    // After the reset: ex's files forgotten, another exercise edited since.
    let now = doc(FORMAT_V2, &[("other/x", "edited", Some(9))], &["other"]);
    let restored = backup.restored(&now);
    assert_eq!(restored.files["ex/a.yaml"], "mine");
    assert_eq!(restored.changed["ex/a.yaml"], 5);
    assert_eq!(restored.files["other/x"], "edited", "other exercises stay as they are now");
    assert!(restored.progress.solved.contains("other"));
    // A sandbox's list of files comes back with it; one that did not exist goes.
    let sandbox = Backup::of_exercise("copy", "sandbox-lab", &before);
    let mut now = before.clone();
    now.sandboxes.insert("lab".into(), vec!["x.yaml".into(), "y.yaml".into()]);
    assert_eq!(sandbox.restored(&now).sandboxes["lab"], vec!["x.yaml"]);
    let fresh = Backup::of_exercise("copy", "sandbox-new", &before);
    now.sandboxes.insert("new".into(), vec!["a.yaml".into()]);
    assert!(!fresh.restored(&now).sandboxes.contains_key("new"));
}

#[wasm_bindgen_test]
fn times_print_in_utc() {
    assert_eq!(transfer::utc(0), "1970-01-01 00:00 UTC");
    // date -u -d @1796411358 → Fri Dec  4 19:09:18 UTC 2026
    assert_eq!(transfer::utc(1_796_411_358_000), "2026-12-04 19:09 UTC");
    assert_eq!(transfer::utc(951_782_400_000), "2000-02-29 00:00 UTC");
}
