//! Grading speed: every exercise of the curriculum, graded with its solution, one benchmark
//! each for the template and the slowest exercise, plus the whole curriculum in one go.
#![allow(clippy::disallowed_methods)] // Not in the wasm: the standard sort is fine (clippy.toml).

#[path = "../tests/common/mod.rs"]
mod common;

use common::curriculum;
use criterion::{criterion_group, criterion_main, Criterion};
use exercises::{grade, load, solution_files as solution, Exercise};
use manifest::SourceFile;

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
