//! `cargo xtask fuzz [--seconds N] [TARGET...]`: the libFuzzer targets of fuzz/, on the
//! stable toolchain.
//!
//! cargo-fuzz builds with AddressSanitizer by default, which needs `-Zsanitizer` (nightly, or
//! `RUSTC_BOOTSTRAP=1`). Our crates are safe Rust, so the runner builds with `--sanitizer none`:
//! then cargo-fuzz passes only stable flags (`-Cpasses=sancov-module`, `-Cllvm-args=...`,
//! `--cfg fuzzing`, `-Cdebug-assertions`) and no nightly feature is needed. Panics, overflow
//! checks, stack overflows and timeouts are still caught.
//!
//! Each target's corpus is a scratch folder under the target dir (`fuzz-corpus/<target>/`,
//! kept between runs) seeded by copying the repository's YAML (exercises, manifest test
//! cases, CLI contract manifests); the committed seeds of `fuzz/corpus/<target>/` are read
//! too but never written. `--seconds 0` runs only the seeds, once each (no mutation, and not
//! the grown corpus): the cheap, deterministic check.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::workspace::{root, run, Result};

/// cargo-fuzz at this version; the install is skipped when `cargo fuzz --version` matches.
const CARGO_FUZZ_VERSION: &str = "0.13.2";
/// A single input slower than this (seconds) is a finding, like a crash.
const INPUT_TIMEOUT: u64 = 20;

/// A fuzz target (a file of fuzz/fuzz_targets/) and where its seeds come from: folders of the
/// repository searched recursively for files ending in `.yaml`.
struct Target {
    name: &'static str,
    seeds: &'static [&'static str],
}

const TARGETS: &[Target] = &[
    Target {
        name: "manifest",
        seeds: &["exercises", "crates/manifest/tests/cases", "crates/cli/tests/contract"],
    },
    Target { name: "send", seeds: &["crates/manifest/tests/cases", "crates/cli/tests/contract"] },
    Target { name: "exercise", seeds: &["exercises"] },
    Target { name: "share", seeds: &[] },
    Target { name: "shell", seeds: &[] },
];

const USAGE: &str =
    "usage: cargo xtask fuzz [--seconds N] [TARGET...]   (targets: manifest send exercise share shell; \
                     N defaults to 10, 0 runs the corpus once)";

/// What one run of a target did, read from libFuzzer's output.
struct Report {
    name: &'static str,
    executions: u64,
    per_second: u64,
    corpus: u64,
    seconds: f64,
    /// The inputs libFuzzer wrote because they crashed, timed out or ran out of memory.
    artifacts: Vec<String>,
}

pub fn fuzz(args: &[String]) -> Result {
    let mut seconds = 10u64;
    let mut names = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => {
                seconds = args.next().and_then(|s| s.parse().ok()).ok_or_else(|| USAGE.to_string())?;
            }
            name if TARGETS.iter().any(|t| t.name == name) => names.push(name.to_string()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let targets: Vec<&Target> =
        TARGETS.iter().filter(|t| names.is_empty() || names.iter().any(|n| n == t.name)).collect();

    let started = Instant::now();
    lockfile_is_current()?;
    ensure_cargo_fuzz()?;
    let target_dir =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from);
    let triple = host_triple()?;
    // `cargo fuzz build` takes one target or none (all).
    let builds: Vec<Option<&str>> = if targets.len() == TARGETS.len() {
        vec![None]
    } else {
        targets.iter().map(|t| Some(t.name)).collect()
    };
    for one in builds {
        let mut build = cargo_fuzz(&target_dir, &triple, "build");
        build.args(one);
        run("cargo fuzz build (release, debug assertions, no sanitizer)", &mut build)?;
    }

    let mut reports = Vec::new();
    for t in &targets {
        // `--seconds 0` replays only the seeds: the grown corpus would make it slower each time.
        let corpus = target_dir.join(if seconds == 0 { "fuzz-seeds" } else { "fuzz-corpus" }).join(t.name);
        let seeded = seed(t, &corpus)?;
        let binary = target_dir.join(&triple).join("release").join(t.name);
        eprintln!("\n==> fuzz {} for {seconds} s ({seeded} seed files)", t.name);
        reports.push(run_target(t.name, &binary, &corpus, seconds, &target_dir)?);
    }

    println!();
    for r in &reports {
        println!(
            "{:<9} {:>10} execs {:>7} execs/s {:>6} corpus {:>6.1} s  crashes: {}",
            r.name,
            r.executions,
            r.per_second,
            r.corpus,
            r.seconds,
            r.artifacts.len()
        );
    }
    println!("fuzz: {:.0} s in all", started.elapsed().as_secs_f64());
    let crashed: Vec<String> = reports
        .iter()
        .flat_map(|r| {
            let binary = target_dir.join(&triple).join("release").join(r.name);
            r.artifacts
                .iter()
                .map(move |a| format!("{}: {a}\n    reproduce: {} {a}", r.name, binary.display()))
        })
        .collect();
    if crashed.is_empty() {
        Ok(())
    } else {
        Err(format!("fuzzing found {} crash(es):\n  {}", crashed.len(), crashed.join("\n  ")))
    }
}

/// fuzz/ is its own workspace with its own lockfile, listing the dependencies of the crates it
/// fuzzes. When one of them gains or loses a dependency, cargo rewrites that lockfile on the
/// next build: this refuses to build instead, so that the change is committed with the one
/// that caused it and a run leaves `git status` clean.
fn lockfile_is_current() -> Result {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = root().join("fuzz/Cargo.toml");
    let out = Command::new(&cargo)
        .args(["metadata", "--locked", "--format-version", "1", "--manifest-path"])
        .arg(&manifest)
        .output()
        .map_err(|e| format!("{cargo} metadata: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "fuzz/Cargo.lock does not match the dependencies of the crates it fuzzes; update it with \
         `cargo update --workspace --manifest-path fuzz/Cargo.toml` and commit it:\n{}",
        String::from_utf8_lossy(&out.stderr).trim()
    ))
}

fn ensure_cargo_fuzz() -> Result {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(&cargo).args(["fuzz", "--version"]).output();
    let version = out
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    if version.as_deref() == Some(&format!("cargo-fuzz {CARGO_FUZZ_VERSION}")) {
        return Ok(());
    }
    run(
        &format!("cargo install --locked cargo-fuzz@{CARGO_FUZZ_VERSION} (about 30 s on 2 cores)"),
        Command::new(&cargo).args([
            "install",
            "--locked",
            "--force",
            &format!("cargo-fuzz@{CARGO_FUZZ_VERSION}"),
        ]),
    )
}

/// The host's target triple (`rustc -vV`): where cargo-fuzz puts the binaries.
fn host_triple() -> Result<String> {
    let out = Command::new("rustc").arg("-vV").output().map_err(|e| format!("rustc -vV: {e}"))?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_string)
        .ok_or_else(|| "rustc -vV names no host".into())
}

/// `cargo fuzz <command>` for fuzz/, stable flags only.
fn cargo_fuzz(target_dir: &Path, triple: &str, command: &str) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(["fuzz", command, "--fuzz-dir"])
        .arg(root().join("fuzz"))
        .args(["--sanitizer", "none", "--target", triple, "--target-dir"])
        .arg(target_dir);
    // Setting or clearing RUSTC_BOOTSTRAP changes every fingerprint: keep it out.
    cmd.env_remove("RUSTC_BOOTSTRAP");
    cmd
}

/// Copies the target's seed files into its scratch corpus (once each), returning how many
/// seed files it has.
fn seed(target: &Target, corpus: &Path) -> Result<usize> {
    std::fs::create_dir_all(corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
    let mut files = BTreeSet::new();
    for dir in target.seeds {
        yaml_files(&root().join(dir), &mut files);
    }
    for file in &files {
        let relative = file.strip_prefix(root()).unwrap_or(file);
        let name = format!("seed-{}", relative.display()).replace('/', "_");
        let to = corpus.join(name);
        if !to.exists() {
            std::fs::copy(file, &to)
                .map_err(|e| format!("copy {} to {}: {e}", file.display(), to.display()))?;
        }
    }
    let committed = root().join("fuzz/corpus").join(target.name);
    let committed = std::fs::read_dir(committed).map_or(0, |d| d.count());
    Ok(files.len() + committed)
}

fn yaml_files(dir: &Path, out: &mut BTreeSet<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.insert(path);
        }
    }
}

/// Runs the fuzz binary for `seconds` (0: the corpus once), keeping its log in the target dir.
fn run_target(
    name: &'static str,
    binary: &Path,
    corpus: &Path,
    seconds: u64,
    target_dir: &Path,
) -> Result<Report> {
    let artifacts = root().join("fuzz/artifacts").join(name);
    std::fs::create_dir_all(&artifacts).map_err(|e| format!("{}: {e}", artifacts.display()))?;
    let logs = target_dir.join("fuzz-logs");
    std::fs::create_dir_all(&logs).map_err(|e| format!("{}: {e}", logs.display()))?;
    let log_path = logs.join(format!("{name}.log"));
    let log = std::fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
    let mut cmd = Command::new(binary);
    cmd.arg(corpus);
    // git keeps no empty folder, and libFuzzer exits on a corpus folder that does not exist.
    let committed = root().join("fuzz/corpus").join(name);
    if committed.is_dir() {
        cmd.arg(committed);
    }
    cmd.arg(format!("-artifact_prefix={}/", artifacts.display()))
        .arg(format!("-timeout={INPUT_TIMEOUT}"))
        .arg("-print_final_stats=1");
    if seconds == 0 {
        cmd.arg("-runs=0");
    } else {
        cmd.arg(format!("-max_total_time={seconds}"));
    }
    let started = Instant::now();
    let status = cmd
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log)
        .status()
        .map_err(|e| format!("{}: {e}", binary.display()))?;
    let text = std::fs::read_to_string(&log_path).unwrap_or_default();
    let report = parse(name, &text, started.elapsed().as_secs_f64());
    if !status.success() && report.artifacts.is_empty() {
        let tail: Vec<&str> = text.lines().rev().take(30).collect::<Vec<_>>().into_iter().rev().collect();
        return Err(format!(
            "fuzz target {name} failed ({status}), log {}:\n{}",
            log_path.display(),
            tail.join("\n")
        ));
    }
    if !report.artifacts.is_empty() {
        // The panic message and stack: the part of the log before libFuzzer's summary.
        let from = text.find("panicked at").or_else(|| text.find("ERROR: libFuzzer")).unwrap_or(0);
        eprintln!("{}", text[from..].lines().take(40).collect::<Vec<_>>().join("\n"));
        eprintln!("    (full log: {})", log_path.display());
    }
    Ok(report)
}

fn parse(name: &'static str, log: &str, seconds: f64) -> Report {
    let stat = |key: &str| {
        log.lines().find_map(|l| l.strip_prefix(key)).and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(0)
    };
    // `#1234	DONE   cov: 1 ft: 2 corp: 345/67Kb ...`: the last status line holds the corpus size.
    let corpus = log
        .lines()
        .rev()
        .find_map(|l| l.split("corp: ").nth(1))
        .and_then(|v| v.split('/').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let artifacts = log
        .lines()
        .filter_map(|l| l.split("Test unit written to ").nth(1))
        .map(|p| p.trim().to_string())
        .collect();
    Report {
        name,
        executions: stat("stat::number_of_executed_units:"),
        per_second: stat("stat::average_exec_per_sec:"),
        corpus,
        seconds,
        artifacts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libfuzzer_output() {
        let log = "INFO: Seed: 1\n#2\tINITED cov: 10 ft: 11 corp: 22/3Kb exec/s: 0 rss: 30Mb\n\
                   #631248\tDONE   cov: 1200 ft: 5000 corp: 4151/300Kb lim: 4096 exec/s: 57386 rss: 37Mb\n\
                   ==1== ERROR: libFuzzer: deadly signal\n\
                   artifact_prefix='/x/'; Test unit written to /x/crash-abc\n\
                   stat::number_of_executed_units: 631248\nstat::average_exec_per_sec:     57386\n";
        let r = parse("shell", log, 1.0);
        assert_eq!((r.executions, r.per_second, r.corpus), (631248, 57386, 4151));
        assert_eq!(r.artifacts, ["/x/crash-abc"]);
    }

    #[test]
    fn the_fuzz_lockfile_is_current() {
        lockfile_is_current().unwrap();
    }

    #[test]
    fn every_target_has_a_file() {
        for t in TARGETS {
            assert!(root().join("fuzz/fuzz_targets").join(format!("{}.rs", t.name)).is_file(), "{}", t.name);
        }
    }
}
