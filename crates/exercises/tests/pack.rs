//! Course packs (`exercises::pack`): one YAML stream, a first document `pack: {id, title}`,
//! then one exercise per document; every position in the pack file.

mod common;

use common::root;
use exercises::pack::{is_pack, load_pack, MAX_PACK_EXERCISES};

fn exercise(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).expect("exercise file")
}

/// A pack of the two exercises, each in its own document.
fn two(head: &str, first: &str, second: &str) -> String {
    format!("{head}\n---\n{first}---\n{second}")
}

const HEAD: &str = "pack:\n  id: shop-course\n  title: The shop course";

fn codes(text: &str) -> Vec<(&'static str, usize)> {
    load_pack("pack.yaml", text)
        .all_diagnostics()
        .iter()
        .filter(|d| d.severity == manifest::Severity::Error)
        .map(|d| (d.code, manifest::line_col(text, d.start).0))
        .collect()
}

#[test]
fn a_pack_of_two_exercises_loads_as_written() {
    let first = exercise("01-why-services/00-first-service.yaml");
    let second = exercise("01-why-services/01-menu-board.yaml");
    let text = two(HEAD, &first, &second);
    assert!(is_pack(&text));
    assert!(!is_pack(&first), "an exercise file is no pack");
    let pack = load_pack("pack.yaml", &text);
    assert!(pack.ok(), "{:?}", pack.all_diagnostics());
    let head = pack.head.as_ref().expect("head");
    assert_eq!((head.id.as_str(), head.title.as_str()), ("shop-course", "The shop course"));
    let ids: Vec<&str> =
        pack.exercises.iter().filter_map(|e| e.loaded.exercise.as_ref()).map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["first-service", "menu-board"]);
    // Each exercise as its document reads alone (positions in the document).
    let part = &text[pack.exercises[0].range.clone()];
    assert_eq!(pack.exercises[0].loaded.exercise, exercises::load("pack.yaml", part).exercise);
    assert_eq!(&text[pack.exercises[1].range.clone()], format!("---\n{second}"));
}

#[test]
fn an_error_in_an_exercise_is_placed_in_the_pack_file() {
    let first = exercise("01-why-services/00-first-service.yaml");
    let second = exercise("01-why-services/01-menu-board.yaml").replacen("title:", "titel:", 1);
    let text = two(HEAD, &first, &second);
    let line = text[..text.find("titel:").unwrap()].matches('\n').count() + 1;
    assert_eq!(codes(&text), [("unknown-field", line)]);
    assert!(!load_pack("pack.yaml", &text).ok());
}

#[test]
fn the_first_document_names_the_pack() {
    let first = exercise("01-why-services/00-first-service.yaml");
    let second = exercise("01-why-services/01-menu-board.yaml");
    for (head, code, line) in [
        ("pack:\n  id: Shop Course\n  title: The shop course", "pack-id", 2),
        ("pack:\n  id: shop\n  tittle: The shop course", "unknown-field", 3),
        ("pack:\n  title: The shop course", "missing-field", 2),
    ] {
        let text = two(head, &first, &second);
        let found = codes(&text);
        assert!(
            found.iter().any(|&(c, l)| c == code && l == line),
            "{head}: want {code} at line {line}: {:?}",
            load_pack("pack.yaml", &text).all_diagnostics()
        );
    }
    assert_eq!(codes(&format!("{HEAD}\n")), [("empty-pack", 1)]);
}

#[test]
fn an_id_used_twice_in_a_pack_is_an_error_at_the_second() {
    let first = exercise("01-why-services/00-first-service.yaml");
    let text = two(HEAD, &first, &first);
    let second = text.rfind("\nid: first-service").unwrap() + 1;
    let line = text[..second].matches('\n').count() + 1;
    assert_eq!(codes(&text), [("duplicate-id", line)]);
}

#[test]
fn a_pack_holds_at_most_a_hundred_exercises() {
    let one = exercise("01-why-services/00-first-service.yaml");
    let mut text = HEAD.to_string();
    for i in 0..=MAX_PACK_EXERCISES {
        text.push_str(&format!(
            "\n---\n{}",
            one.replace("id: first-service", &format!("id: first-service-{i}"))
        ));
    }
    let found = codes(&text);
    assert_eq!(found.iter().filter(|(c, _)| *c == "pack-too-many").count(), 1, "{found:?}");
    assert_eq!(load_pack("pack.yaml", &text).exercises.len(), MAX_PACK_EXERCISES);
    let large = format!("{HEAD}\n#{}\n", "x".repeat(exercises::pack::MAX_PACK_BYTES));
    assert_eq!(codes(&large), [("pack-too-large", 1)]);
}
