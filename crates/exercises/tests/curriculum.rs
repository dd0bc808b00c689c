//! The curriculum as a test suite: every exercise under exercises/ loads, its solution
//! passes every check, its starting files fail at least one, and every plausible wrong
//! answer under tests/wrong/ fails the check it names with the explanation it names.
#![allow(clippy::disallowed_methods)] // Not in the wasm: the standard sort is fine (clippy.toml).

mod common;

use common::{load_exercise, root, with_files, wrong_answers, yaml_files};
use exercises::{grade, load};

#[test]
fn every_solution_passes_and_every_start_fails() {
    let files = yaml_files(&root());
    let mut failures = Vec::new();
    for path in &files {
        let ex = load_exercise(path);
        let solved = grade(&ex, &with_files(&ex, &ex.solution));
        for r in solved.results.iter().filter(|r| !r.passed) {
            failures.push(format!("{}: solution fails \"{}\": {}", path.display(), r.title, r.explanation));
        }
        if grade(&ex, &with_files(&ex, &[])).solved() {
            failures.push(format!("{}: the starting files pass every check", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The warnings that judge NetworkPolicies against the built cluster (manifest's `policies`)
/// stay silent on every solution: a solution is a correct configuration.
#[test]
fn no_policy_warning_on_a_solution() {
    const CODES: [&str; 4] = [
        "policy-namespace-empty",
        "policy-selector-matches-nothing",
        "policy-port-is-service-port",
        "egress-blocks-dns",
    ];
    let mut fired = Vec::new();
    for path in &yaml_files(&root()) {
        let ex = load_exercise(path);
        for d in grade(&ex, &with_files(&ex, &ex.solution)).diagnostics {
            if CODES.contains(&d.code) {
                fired.push(format!("{}: {} in {}: {}", path.display(), d.code, d.file, d.message));
            }
        }
    }
    assert!(fired.is_empty(), "{}", fired.join("\n"));
}

#[test]
fn wrong_answers_fail_with_their_explanation() {
    let mut failures = Vec::new();
    let mut count = 0;
    for (path, wrong) in wrong_answers() {
        count += 1;
        assert!(!wrong.why.trim().is_empty(), "{}: say why a learner would write this", path.display());
        let ex = load_exercise(&root().join(&wrong.exercise));
        let g = grade(&ex, &with_files(&ex, &wrong.files));
        for want in &wrong.fails {
            match g.results.iter().find(|r| r.title == want.check) {
                None => failures.push(format!("{}: no check titled \"{}\"", path.display(), want.check)),
                Some(r) if r.passed => {
                    failures.push(format!("{}: \"{}\" passes", path.display(), want.check))
                }
                Some(r) if !r.explanation.contains(&want.explanation) => failures.push(format!(
                    "{}: \"{}\" fails with \"{}\", which does not contain \"{}\"",
                    path.display(),
                    want.check,
                    r.explanation,
                    want.explanation
                )),
                Some(_) => {}
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let exercises = yaml_files(&root()).len();
    assert!(exercises == 0 || count > 0, "no wrong answers under tests/wrong");
}

/// exercises/exercise.schema.json is what the Rust types generate (UPDATE_SCHEMA=1 rewrites it).
#[test]
fn the_shipped_schema_is_current() {
    let path = root().join("exercise.schema.json");
    let want = exercises::schema();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &want).expect("write schema");
    }
    let got = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        got == want,
        "exercises/exercise.schema.json is stale: run UPDATE_SCHEMA=1 cargo test -p exercises"
    );
}

/// Truncated and mangled exercise files give diagnostics, never a panic.
#[test]
fn mangled_exercise_files_never_panic() {
    let mut texts: Vec<String> =
        yaml_files(&root()).iter().map(|p| std::fs::read_to_string(p).expect("read")).collect();
    texts
        .push(include_str!("../../cli/src/template.yaml").replace("{{id}}", "x").replace("{{chapter}}", "y"));
    let mut rng = netsim::rng::SplitMix64::new(0x9e37_79b9_7f4a_7c15);
    let mut next = move || rng.next_u64();
    for text in &texts {
        let lines: Vec<&str> = text.lines().collect();
        for _ in 0..60 {
            let mut mangled: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            match next() % 4 {
                0 => mangled.truncate((next() % (lines.len() as u64 + 1)) as usize),
                1 if !mangled.is_empty() => {
                    let i = (next() % mangled.len() as u64) as usize;
                    mangled.remove(i);
                }
                2 if !mangled.is_empty() => {
                    let i = (next() % mangled.len() as u64) as usize;
                    mangled[i] = mangled[i].replacen(": ", ":: ", 1).replacen("- ", "", 1);
                }
                _ if !mangled.is_empty() => {
                    let i = (next() % mangled.len() as u64) as usize;
                    let cut = (next() % (mangled[i].len() as u64 + 1)) as usize;
                    let cut = (0..=cut).rev().find(|c| mangled[i].is_char_boundary(*c)).unwrap_or(0);
                    mangled[i].truncate(cut);
                }
                _ => {}
            }
            let text = mangled.join("\n");
            let loaded = load("mangled.yaml", &text);
            if let Some(ex) = &loaded.exercise {
                let _ = grade(ex, &with_files(ex, &ex.solution));
            } else {
                assert!(!loaded.diagnostics.is_empty(), "no exercise and no diagnostic for:\n{text}");
            }
        }
    }
}

/// The cluster picture of every exercise (its solution, the largest state) is readable: no
/// two boxes overlap unless one is drawn inside the other (pods inside their node), every
/// child lies within its parent, and every edge joins two drawn boxes.
#[test]
fn every_exercise_lays_out_without_overlaps() {
    let mut largest = (0, String::new());
    for path in yaml_files(&root()) {
        let ex = load_exercise(&path);
        let layout = exercises::cluster(&ex, &with_files(&ex, &ex.solution)).layout();
        if layout.boxes.len() > largest.0 {
            largest = (layout.boxes.len(), path.display().to_string());
        }
        for (i, a) in layout.boxes.iter().enumerate() {
            if let Some(parent) = &a.parent {
                let p = layout
                    .get(parent)
                    .unwrap_or_else(|| panic!("{}: {} has no parent {parent}", path.display(), a.id));
                assert!(p.contains(a), "{}: {} sticks out of {parent}", path.display(), a.id);
            }
            for b in &layout.boxes[i + 1..] {
                let nested =
                    a.parent.as_deref() == Some(b.id.as_str()) || b.parent.as_deref() == Some(a.id.as_str());
                assert!(nested || !a.intersects(b), "{}: {} overlaps {}", path.display(), a.id, b.id);
            }
            assert!(
                a.x >= 0.0 && a.y >= 0.0 && a.x + a.w <= layout.width && a.y + a.h <= layout.height,
                "{}: {} is off the picture",
                path.display(),
                a.id
            );
        }
        for e in &layout.edges {
            assert!(
                layout.get(&e.from).is_some() && layout.get(&e.to).is_some(),
                "{}: edge {e:?}",
                path.display()
            );
        }
    }
    assert!(largest.0 >= 20, "the largest picture has {} boxes ({})", largest.0, largest.1);
}

/// Grading after an edit with the last readings kept (`grade_again`, what the browser does on
/// each keystroke) gives what grading from scratch gives: one `Parses` goes through every
/// exercise's start, solution and wrong answers in turn, as a learner moves between them.
#[test]
fn grading_again_after_each_edit_grades_as_from_scratch() {
    let mut parses = manifest::yaml::Parses::new();
    let wrong = wrong_answers();
    for (path, ex) in common::curriculum() {
        let mut versions = vec![exercises::starting_files(&ex), exercises::solution_files(&ex)];
        let name = path.rsplit("exercises/").next().unwrap_or_default().to_string();
        versions
            .extend(wrong.iter().filter(|(_, w)| w.exercise == name).map(|(_, w)| with_files(&ex, &w.files)));
        versions.push(exercises::starting_files(&ex));
        for files in &versions {
            assert_eq!(exercises::grade_again(&ex, files, &mut parses), grade(&ex, files), "{path}");
        }
    }
    assert!(parses.reused > 0, "no reading reused the one before");
}

/// kube-proxy's two modes write the same behaviour (pkg/proxy/iptables and pkg/proxy/nftables
/// share `CategorizeEndpoints` and the traffic policies): every exercise, its solution and
/// its starting files, grades check by check alike under iptables and under nftables, and
/// its traces send every request to the same place.
#[test]
fn both_modes_grade_every_exercise_alike() {
    let mut differences = Vec::new();
    for path in &yaml_files(&root()) {
        let ex = load_exercise(path);
        let mut nft = ex.clone();
        nft.topology.kube_proxy_mode = Some(exercises::KubeProxyMode::Nftables);
        for (side, files) in [("solution", &ex.solution), ("start", &Vec::new())] {
            let (a, b) = (grade(&ex, &with_files(&ex, files)), grade(&nft, &with_files(&nft, files)));
            for (x, y) in a.results.iter().zip(&b.results) {
                if x.passed != y.passed {
                    differences.push(format!(
                        "{} ({side}) \"{}\": iptables {} ({}), nftables {} ({})",
                        path.display(),
                        x.title,
                        x.passed,
                        x.explanation,
                        y.passed,
                        y.explanation
                    ));
                }
            }
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
