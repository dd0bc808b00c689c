//! Grading speed: every exercise of the curriculum, graded with its solution, one benchmark
//! each for the template and the slowest exercise, plus the whole curriculum in one go.
#![allow(clippy::disallowed_methods)] // Not in the wasm: the standard sort is fine (clippy.toml).

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use exercises::{grade, load, Exercise};
use manifest::SourceFile;

fn solution(ex: &Exercise) -> Vec<SourceFile> {
    ex.files
        .iter()
        .map(|f| {
            let text = ex.solution.iter().find(|s| s.name == f.name).map_or(&f.text, |s| &s.text);
            SourceFile { name: f.name.clone(), text: text.clone() }
        })
        .collect()
}

fn curriculum() -> Vec<(String, Exercise)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../exercises");
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml")
                && p.file_name().is_some_and(|n| n != "chapters.yaml")
            {
                files.push(p);
            }
        }
    }
    files.sort();
    files
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            Some((p.display().to_string(), load(&p.display().to_string(), &text).exercise?))
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let template =
        include_str!("../../cli/src/template.yaml").replace("{{id}}", "t").replace("{{chapter}}", "c");
    let ex = load("template.yaml", &template).exercise.expect("template loads");
    let files = solution(&ex);
    c.bench_function("grade_template", |b| b.iter(|| grade(&ex, &files)));
    c.bench_function("load_template", |b| b.iter(|| load("template.yaml", &template)));

    let all = curriculum();
    if all.is_empty() {
        return;
    }
    // The slowest exercise, found by one timed pass (the benchmark itself measures it).
    let slowest = all
        .iter()
        .max_by_key(|(_, ex)| {
            // The best of 5, so that one slow first run (cold caches) does not pick it.
            let files = solution(ex);
            (0..5)
                .map(|_| {
                    let t = std::time::Instant::now();
                    let _ = grade(ex, &files);
                    t.elapsed()
                })
                .min()
        })
        .expect("some exercise");
    // Every exercise, best of 20 gradings, for `cargo xtask bench`'s table.
    if let Some(dir) = std::env::var_os("SWITCHBOARD_BENCH_OUT") {
        let mut out = String::new();
        for (name, ex) in &all {
            let files = solution(ex);
            let best = (0..20)
                .map(|_| {
                    let t = std::time::Instant::now();
                    let _ = grade(ex, &files);
                    t.elapsed().as_secs_f64() * 1000.0
                })
                .fold(f64::INFINITY, f64::min);
            let short = name.rsplit("exercises/").next().unwrap_or(name);
            out.push_str(&format!("grade {short}\t{best:.3}\tms\n"));
        }
        let _ = std::fs::write(std::path::Path::new(&dir).join("grading.tsv"), out);
    }
    let files = solution(&slowest.1);
    println!("slowest exercise: {}", slowest.0);
    c.bench_function("grade_slowest_exercise", |b| b.iter(|| grade(&slowest.1, &files)));
    let prepared: Vec<(&Exercise, Vec<SourceFile>)> = all.iter().map(|(_, ex)| (ex, solution(ex))).collect();
    c.bench_function(&format!("grade_all_{}_exercises", prepared.len()), |b| {
        b.iter(|| prepared.iter().map(|(ex, f)| grade(ex, f).passed()).sum::<usize>())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
