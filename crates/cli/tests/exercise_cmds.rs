//! `switchboard check` and `grade --json` say where each problem is: `check` at file:line:col
//! of the exercise file (an error in a solution file where its text is written there, a
//! failing check at the check), `grade --json` with the line and column in the learner's file.

use std::path::PathBuf;
use std::process::Command;

/// The template of `switchboard new`, with `edits` made.
fn exercise(edits: &[(&str, &str)]) -> String {
    let template =
        include_str!("../src/template.yaml").replace("{{id}}", "placed").replace("{{chapter}}", "checks");
    edits.iter().fold(template, |t, (from, to)| {
        assert!(t.contains(from), "the template has no {from:?}");
        t.replacen(from, to, 1)
    })
}

/// A fresh folder for this test.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("switchboard-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_switchboard")).args(args).output().expect("run");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `line:col` (1-based, in characters) of the `n`th occurrence of `needle` in `text`.
fn line_col(text: &str, needle: &str, n: usize) -> String {
    let (at, _) = text.match_indices(needle).nth(n).expect("the needle is there");
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..].chars().count() + 1;
    format!("{line}:{col}")
}

#[test]
fn check_places_solution_errors_and_failing_checks_in_the_exercise_file() {
    let dir = folder("check");
    // The solution's targetPort out of range (in the block of `solution`, the second
    // `targetPort: 8080` of the file after the hint), and its selector wrong.
    let text = exercise(&[
        ("            targetPort: 8080\n", "            targetPort: 99999\n"),
        (
            "        selector:\n          app: web\n        ports",
            "        selector:\n          app: wbe\n        ports",
        ),
    ]);
    let path = dir.join("placed.yaml");
    std::fs::write(&path, &text).expect("write");
    let file = path.display().to_string();
    let out = run(&["check", &file]);
    let error =
        format!("{file}:{}: error: the solution has an error in service.yaml:", line_col(&text, "99999", 0));
    assert!(out.contains(&error), "want {error:?} in\n{out}");
    let failing = format!(
        "{file}:{}: error: the solution fails check \"The client reaches a web pod at http://web\"",
        line_col(&text, "title: The client reaches", 0)
    );
    assert!(out.contains(&failing), "want {failing:?} in\n{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn grade_json_diagnostics_carry_line_and_column() {
    let dir = folder("grade");
    let text = exercise(&[]);
    let path = dir.join("placed.yaml");
    std::fs::write(&path, &text).expect("write");
    let files = dir.join("answers");
    std::fs::create_dir_all(&files).expect("answers");
    let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n      targetPort: 99999\n";
    std::fs::write(files.join("service.yaml"), service).expect("write");
    let out = run(&["grade", &path.display().to_string(), "--files", &files.display().to_string(), "--json"]);
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
    let d = diagnostics
        .iter()
        .find(|d| d["message"].as_str().is_some_and(|m| m.contains("99999")))
        .expect("the port error");
    assert_eq!(d["file"], "service.yaml", "{d}");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(8), Some(19)), "{d}");
    assert_eq!((d["end_line"].as_u64(), d["end_column"].as_u64()), (Some(8), Some(24)), "{d}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_proves_a_course_pack_at_the_line_and_column_of_the_pack_file() {
    let dir = folder("pack");
    let first = exercise(&[]);
    let second = exercise(&[("            targetPort: 8080\n", "            targetPort: 99999\n")]).replacen(
        "id: placed",
        "id: placed-two",
        1,
    );
    let text = format!("pack:\n  id: course\n  title: A course\n---\n{first}---\n{second}");
    let path = dir.join("course.yaml");
    std::fs::write(&path, &text).expect("write");
    let file = path.display().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_switchboard")).args(["check", &file]).output().expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&format!("{file}: pack `course` (A course): 2 exercise(s)")), "{stdout}");
    // The second exercise's solution error, where it is written in the pack file.
    let error =
        format!("{file}:{}: error: the solution has an error in service.yaml:", line_col(&text, "99999", 0));
    assert!(stdout.contains(&error), "want {error:?} in\n{stdout}");
    assert!(stdout.contains("2 exercise(s), 3 problem(s)"), "{stdout}");
    assert!(!out.status.success());

    let clean = format!("pack:\n  id: course\n  title: A course\n---\n{first}");
    std::fs::write(&path, &clean).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_switchboard")).args(["check", &file]).output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let _ = std::fs::remove_dir_all(&dir);
}
