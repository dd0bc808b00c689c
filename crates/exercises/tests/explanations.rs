//! What a learner reads: the explanation of every failing check, for every exercise's
//! starting files and every wrong answer under tests/wrong/, as one snapshot
//! (`UPDATE_EXPECT=1 cargo test -p exercises --test explanations` to bless). The cause of a
//! failure comes first; the trace only backs it up.

mod common;

use common::{curriculum, load_exercise, root, with_files, wrong_answers};
use exercises::{grade, Exercise};
use expect_test::expect_file;

/// `  ✗ title\n      explanation` for each failing check.
fn failing(ex: &Exercise, files: &[manifest::SourceFile], out: &mut String) {
    for r in grade(ex, files).results.iter().filter(|r| !r.passed) {
        out.push_str(&format!("  x {}\n      {}\n", r.title, r.explanation));
    }
}

#[test]
fn explanations_of_every_start_and_wrong_answer() {
    let base = root().display().to_string();
    let mut out = String::new();
    for (path, ex) in curriculum() {
        out.push_str(&format!("{} (start)\n", path.trim_start_matches(&base).trim_start_matches('/')));
        failing(&ex, &with_files(&ex, &[]), &mut out);
    }
    for (path, wrong) in wrong_answers() {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        out.push_str(&format!("{} (wrong: {name})\n", wrong.exercise));
        let ex = load_exercise(&root().join(&wrong.exercise));
        failing(&ex, &with_files(&ex, &wrong.files), &mut out);
    }
    expect_file!["explanations.txt"].assert_eq(&out);
}
