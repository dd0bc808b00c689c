//! `answer` checks: one of the accepted answers, or with `set: true` exactly the set of
//! accepted values (a YAML list or values separated by commas; order, case and repeats
//! aside). A set's failure says how many values are right, never which.

use exercises::{grade, load};
use manifest::SourceFile;

/// (passed, explanation) of the answer check (its fields after `file` and `key`) with
/// `answers.yaml` holding `answer` after `nodes:`.
fn judge(fields: &str, answer: &str) -> (bool, String) {
    let text = format!(
        "id: answers\nchapter: checks\ntitle: Answers\nlevel: beginner\nconcepts: [L4]\nstory: s\nfiles:\n  - name: answers.yaml\n    text: |\n      nodes:\nchecks:\n  - title: t\n    answer: {{file: answers.yaml, key: nodes, {fields}}}\nhints: [a, b]\nsolution:\n  - name: answers.yaml\n    text: |\n      nodes: x\n"
    );
    let loaded = load("answers.yaml", &text);
    let ex = loaded.exercise.unwrap_or_else(|| panic!("{text}\n{:#?}", loaded.diagnostics));
    let files = [SourceFile { name: "answers.yaml".into(), text: format!("nodes: {answer}\n") }];
    let r = grade(&ex, &files).results.remove(0);
    (r.passed, r.explanation)
}

const SET: &str = "set: true, accept: [node-1, node-3]";

/// (the check's fields, the learner's answer, passes, said).
const CASES: &[(&str, &str, bool, &str)] = &[
    (SET, "[node-1, node-3]", true, "`nodes: [node-1, node-3]` is right"),
    (SET, "[node-3, node-1]", true, "is right"),
    (SET, "\n  - NODE-3\n  - node-1\n  - node-1", true, "is right"),
    (SET, "node-3, node-1", true, "is right"),
    (
        SET,
        "[node-1]",
        false,
        "`nodes: [node-1]` is not the answer: 1 of the 1 value given is right, and the answer has 2 values",
    ),
    (
        SET,
        "[node-1, node-2, node-3]",
        false,
        "2 of the 3 values given are right, and the answer has 2 values",
    ),
    (SET, "[node-2]", false, "0 of the 1 value given are right"),
    (SET, "[]", false, "`nodes` in answers.yaml has no answer yet"),
    (SET, "''", false, "has no answer yet"),
    // Without `set`, one scalar that is one of the accepted answers.
    ("accept: [node-1, node-3]", "node-3", true, "`nodes: node-3` is right"),
    ("accept: [node-1, node-3]", "[node-1, node-3]", false, "has no answer yet"),
];

#[test]
fn an_answer_may_be_a_set() {
    let mut wrong = Vec::new();
    for (fields, answer, passes, said) in CASES {
        let (passed, explanation) = judge(fields, answer);
        if passed != *passes || !explanation.contains(said) {
            wrong.push(format!("{fields} / {answer:?}: passed {passed}: {explanation}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
