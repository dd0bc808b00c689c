//! `cargo xtask serve | test | dist`: set-up, build and test orchestration.
//!
//! On a fresh machine every command first installs what it needs, skipping what is
//! already there at the right version: the wasm32 target, trunk, wasm-bindgen-cli (at the
//! Cargo.lock version), npm's binaryen (wasm-opt), and for `test` Chromium and chromedriver.

mod cluster_dump;
mod deps;
mod fuzz;
#[cfg(test)]
mod house;
mod setup;
mod shell;
mod sorts;
mod split;
mod workspace;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use setup::Env;
use workspace::{root, run, target_dir, Result};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve   install what is missing, build the app and serve it at http://127.0.0.1:8080
  test    everything, in order, failing fast: fmt, clippy, native tests, wasm build,
          wasm-bindgen tests in headless Chromium, end-to-end browser tests
  dist    the release build in dist/ and a table of every file's size (raw and gzip);
          --public-url /path/ builds for a site served from a sub-path (GitHub Pages)
  split-wasm  Trunk's post-build hook: splits the app's wasm into the first module and the
          chunks of the parts loaded after the first grade (src/split.rs)
  setup   only install what is missing (for `test`, including Chromium)
  bench   native benchmarks (cargo bench), `switchboard connlist` on a one-file dump of 10,000
          pods and 5,000 policies (wall time, peak memory) and the keystroke-to-checks time in
          Chromium (p50/p95 over 200 edits of a 50-object file); `bench dump` runs only the dump
  fuzz    the libFuzzer targets of fuzz/ for --seconds N each (default 10; 0 replays the seeds once);
          names select targets: manifest send exercise share shell
  k8s-schema  regenerate crates/manifest/src/k8s_schema.txt (the API field table) from
          k8s-openapi's schemas, after upgrading k8s-openapi
  gateway-schema DIR | --git REPO REF
          regenerate crates/manifest/src/gateway_schema.txt (the Gateway API's field table and
          the rules checked) from the standard-channel CRDs: the files of DIR, or
          config/crd/standard/ of the gateway-api repository REPO at REF (such as v1.6.1)
  policy-schema --git REPO
          regenerate crates/manifest/src/policy_schema.txt (ClusterNetworkPolicy, AdminNetworkPolicy
          and BaselineAdminNetworkPolicy) from the network-policy-api repository REPO
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("test") => test(),
        Some("dist") => dist(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("fuzz") => fuzz::fuzz(&args[1..]),
        Some("k8s-schema") => k8s_schema(),
        Some("gateway-schema") => gateway_schema(&args[1..]),
        Some("policy-schema") => policy_schema(&args[1..]),
        Some("split-wasm") => split::split_wasm(),
        Some("setup") => setup::prepare(true).map(|_| ()),
        Some("-h" | "--help" | "help") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn cargo(env: &Env) -> Command {
    env.command(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn trunk_build(env: &Env) -> Result {
    trunk_build_at(env, "/")
}

/// The release build for a site served from `public_url` (`/` or a sub-path such as
/// `/switchboard/` on GitHub Pages).
fn trunk_build_at(env: &Env, public_url: &str) -> Result {
    script_bundle(env)?;
    run(
        "trunk build --release (the wasm build)",
        trunk(env)?.args(["build", "--release", "--public-url", public_url]),
    )
}

/// Trunk, with the first lesson written where its post-build hook puts it into the page's
/// shell (SWITCHBOARD_FIRST_LESSON; see src/shell.rs and web/pwa/postbuild.mjs).
fn trunk(env: &Env) -> Result<Command> {
    let lesson = shell::write_first_lesson(&root().join("exercises"), &target_dir().join("shell"))?;
    let mut cmd = env.command("trunk");
    cmd.env("SWITCHBOARD_FIRST_LESSON", lesson);
    Ok(cmd)
}

/// The script bundle: the CodeMirror editor and the Markdown renderer (web/editor/dist/editor.js).
fn script_bundle(env: &Env) -> Result {
    run(
        "esbuild: the script bundle, CodeMirror, marked and DOMPurify (web/editor/dist/editor.js)",
        env.command("npm").args(["run", "-s", "editor"]),
    )
}

fn serve() -> Result {
    let env = setup::prepare(false)?;
    trunk_build(&env)?;
    eprintln!("\nSwitchboard is served at http://127.0.0.1:8080  (Ctrl-C stops it)\n");
    run("trunk serve", trunk(&env)?.args(["serve", "--release", "--address", "127.0.0.1", "--port", "8080"]))
}

fn test() -> Result {
    let started = Instant::now();
    // Formatting first: it needs nothing installed, and a failure should not wait for installs.
    run(
        "rustfmt check",
        Command::new(env!("CARGO")).args(["fmt", "--all", "--", "--check"]).current_dir(root()),
    )?;
    let env = setup::prepare(true)?;
    // The web crate's tests include the bundle (web/tests/markdown.rs): built before clippy.
    script_bundle(&env)?;
    run(
        "clippy (native crates, warnings denied)",
        cargo(&env).args([
            "clippy",
            "--workspace",
            "--exclude",
            "web",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    run(
        "clippy (web, wasm32, warnings denied)",
        cargo(&env).args([
            "clippy",
            "-p",
            "web",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    run(
        "native tests of all crates",
        cargo(&env).args(["test", "--workspace", "--exclude", "web", "--exclude", "e2e", "--tests"]),
    )?;
    run(
        "the curriculum: every exercise sound, every concept covered",
        cargo(&env).args(["run", "-q", "-p", "cli", "--", "check", "exercises", "--coverage"]),
    )?;
    run(
        "optimized: hostile input within its time bounds, and the time budgets (budgets.toml)",
        cargo(&env).args([
            "test",
            "--profile",
            "bench",
            "-p",
            "manifest",
            "-p",
            "exercises",
            "--test",
            "hostile",
            "--test",
            "budgets",
            "--",
            "--test-threads=1",
        ]),
    )?;
    // Every fuzz target replays its seed corpus once: an input that once crashed (kept in
    // fuzz/corpus/) or any shipped YAML that now panics fails here.
    fuzz::fuzz(&["--seconds".to_string(), "0".to_string()])?;
    trunk_build(&env)?;
    check_size_budget()?;
    sorts::check(&target_dir().join("wasm32-unknown-unknown/release/web.wasm"))?;
    run(
        "wasm-bindgen tests of the web crate in headless Chromium",
        cargo(&env)
            .args(["test", "-p", "web", "--target", "wasm32-unknown-unknown", "--tests"])
            .env("CHROMEDRIVER", &env.chromedriver)
            .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", root().join("web/webdriver.json")),
    )?;
    run(
        "end-to-end tests against the release build",
        cargo(&env)
            .args(["test", "-p", "e2e", "--tests"])
            .env("SWITCHBOARD_DIST", root().join("dist"))
            .env("CHROMEDRIVER", &env.chromedriver)
            .env("CHROMIUM", &env.chromium),
    )?;
    eprintln!("\nxtask test: all passed in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Runs tools/k8s-schema (its own workspace, so k8s-openapi's `schemars` feature never
/// reaches the main build) and writes its table where `manifest::shape` includes it.
fn k8s_schema() -> Result {
    let out = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["run", "--quiet", "--release", "--manifest-path"])
        .arg(root().join("tools/k8s-schema/Cargo.toml"))
        .arg("--target-dir")
        .arg(target_dir().join("k8s-schema"))
        .output()
        .map_err(|e| format!("cargo run (tools/k8s-schema): {e}"))?;
    if !out.status.success() {
        return Err(format!("tools/k8s-schema failed:\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    let path = root().join("crates/manifest/src/k8s_schema.txt");
    std::fs::write(&path, &out.stdout).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("wrote {} ({} bytes)", path.display(), out.stdout.len());
    Ok(())
}

/// The kinds of the Gateway API the reader reads (`manifest::kinds::gateway`).
const GATEWAY_KINDS: [&str; 5] = ["GatewayClass", "Gateway", "HTTPRoute", "GRPCRoute", "ReferenceGrant"];

/// Writes crates/manifest/src/gateway_schema.txt from the Gateway API's standard-channel CRDs
/// (`manifest::gateway_schema::table`): the files of a folder, or those of a git ref.
fn gateway_schema(args: &[String]) -> Result {
    let files = match args {
        [dir] => crd_folder(dir)?,
        [flag, repo, reference] if flag == "--git" => crd_files_at(repo, reference)?,
        _ => return Err(format!("usage: cargo xtask gateway-schema DIR | --git REPO REF\n\n{USAGE}")),
    };
    let crds = crds_of(&files);
    let table = manifest::gateway_schema::table(&crds, &GATEWAY_KINDS)?;
    write_table("gateway_schema.txt", &table, crds.len())
}

/// Writes crates/manifest/src/policy_schema.txt (`manifest::policy_schema::table`) from the
/// network-policy-api repository REPO: the standard-channel CRDs of ClusterNetworkPolicy at
/// its release and of AdminNetworkPolicy and BaselineAdminNetworkPolicy at theirs.
fn policy_schema(args: &[String]) -> Result {
    use manifest::policy_schema::{ANP_VERSION, CNP_VERSION};
    let [flag, repo] = args else {
        return Err(format!("usage: cargo xtask policy-schema --git REPO\n\n{USAGE}"));
    };
    if flag != "--git" {
        return Err(format!("usage: cargo xtask policy-schema --git REPO\n\n{USAGE}"));
    }
    let mut files = crd_files_at(repo, CNP_VERSION)?;
    files.retain(|(name, _)| name.contains("clusternetworkpolicies"));
    let mut earlier = crd_files_at(repo, ANP_VERSION)?;
    earlier.retain(|(name, _)| name.contains("adminnetworkpolicies"));
    files.extend(earlier);
    let crds = crds_of(&files);
    let table = manifest::policy_schema::table(&crds)?;
    write_table("policy_schema.txt", &table, crds.len())
}

/// The `.yaml` files of a folder, as (path, text), by name.
fn crd_folder(dir: &str) -> std::result::Result<Vec<(String, String)>, String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{dir}: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    paths.sort();
    let mut files = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        files.push((p.display().to_string(), text));
    }
    Ok(files)
}

/// The `.yaml` files of `config/crd/standard` of the git repository `repo` at `reference`.
fn crd_files_at(repo: &str, reference: &str) -> std::result::Result<Vec<(String, String)>, String> {
    const STANDARD: &str = "config/crd/standard";
    let git = |args: &[&str]| -> std::result::Result<String, String> {
        let out =
            Command::new("git").arg("-C").arg(repo).args(args).output().map_err(|e| format!("git: {e}"))?;
        if !out.status.success() {
            return Err(format!("git {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr)));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let list = git(&["ls-tree", "--name-only", &format!("{reference}:{STANDARD}")])?;
    let mut files = Vec::new();
    for name in list.lines().filter(|n| n.ends_with(".yaml")) {
        files.push((name.to_string(), git(&["show", &format!("{reference}:{STANDARD}/{name}")])?));
    }
    Ok(files)
}

/// The CustomResourceDefinitions among `files` (a folder may also hold a
/// ValidatingAdmissionPolicy or kustomize files).
fn crds_of(files: &[(String, String)]) -> Vec<&str> {
    files
        .iter()
        .filter(|(_, t)| t.contains("kind: CustomResourceDefinition"))
        .map(|(_, t)| t.as_str())
        .collect()
}

/// Writes crates/manifest/src/`name`.
fn write_table(name: &str, table: &str, crds: usize) -> Result {
    let path = root().join("crates/manifest/src").join(name);
    std::fs::write(&path, table).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("wrote {} ({} bytes, from {crds} CRDs)", path.display(), table.len());
    Ok(())
}

fn bench(args: &[String]) -> Result {
    let out = target_dir().join("bench-out");
    match args {
        [] => {}
        [only] if only == "dump" => {
            std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
            let rows = cluster_dump::connlist(&target_dir(), &out)?;
            print!("{}", table(&rows));
            return Ok(());
        }
        _ => return Err(format!("usage: cargo xtask bench [dump]\n\n{USAGE}")),
    }
    let env = setup::prepare(true)?;
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let criterion = target_dir().join("criterion");
    let _ = std::fs::remove_dir_all(&criterion);
    run(
        "cargo bench (load, build, trace, policy matrix, connectivity report, grading)",
        cargo(&env)
            .args(["bench", "--workspace", "--exclude", "web", "--exclude", "e2e"])
            .env("SWITCHBOARD_BENCH_OUT", &out),
    )?;
    let dump_rows = cluster_dump::connlist(&target_dir(), &out)?;
    trunk_build(&env)?;
    run(
        "in Chromium: keystroke to updated checks, frames with 20 packets in flight, startup to the first checks, a first visit on a slow network",
        cargo(&env)
            .args([
                "test",
                "--release",
                "-p",
                "e2e",
                "--test",
                "bench",
                "--",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("SWITCHBOARD_DIST", root().join("dist"))
            .env("CHROMEDRIVER", &env.chromedriver)
            .env("CHROMIUM", &env.chromium)
            .env("SWITCHBOARD_BENCH_OUT", &out),
    )?;
    let (_, first) = first_load(&root().join("dist"))?;
    let mut rows = criterion_rows(&criterion);
    rows.extend(dump_rows);
    for file in ["grading.tsv", "browser.tsv"] {
        let text = std::fs::read_to_string(out.join(file)).unwrap_or_default();
        for line in text.lines() {
            let mut parts = line.split('\t');
            if let (Some(name), Some(value), Some(unit)) = (parts.next(), parts.next(), parts.next()) {
                rows.push((name.to_string(), value.to_string(), unit.to_string()));
            }
        }
    }
    rows.push((
        "first load, gzip (the PNG icons and all but one exercise file excluded)".into(),
        first.to_string(),
        "bytes".into(),
    ));
    let table = table(&rows);
    let _ = std::fs::write(out.join("table.md"), &table);
    println!("\n{table}\n(also in {})", out.join("table.md").display());
    Ok(())
}

/// The bench table in Markdown.
fn table(rows: &[(String, String, String)]) -> String {
    let mut table = String::from("| benchmark | figure | unit |\n| --- | ---: | --- |\n");
    for (name, value, unit) in rows {
        table.push_str(&format!("| {name} | {value} | {unit} |\n"));
    }
    table
}

/// Every criterion benchmark of the last run: its id and median time.
fn criterion_rows(dir: &Path) -> Vec<(String, String, String)> {
    let mut files = Vec::new();
    let _ = collect_files(dir, &mut files);
    let mut rows = Vec::new();
    for bench in files.iter().filter(|p| p.ends_with("new/benchmark.json")) {
        let read =
            |p: &Path| -> Option<serde_json::Value> { serde_json::from_slice(&std::fs::read(p).ok()?).ok() };
        let Some(id) = read(bench).and_then(|v| v["full_id"].as_str().map(String::from)) else { continue };
        let Some(ns) = bench
            .parent()
            .and_then(|d| read(&d.join("estimates.json")))
            .and_then(|v| v["median"]["point_estimate"].as_f64())
        else {
            continue;
        };
        let (value, unit) = if ns >= 1e6 {
            (format!("{:.2}", ns / 1e6), "ms")
        } else if ns >= 1e3 {
            (format!("{:.1}", ns / 1e3), "µs")
        } else {
            (format!("{ns:.0}"), "ns")
        };
        rows.push((id, value, unit.to_string()));
    }
    rows.sort();
    rows
}

fn dist(args: &[String]) -> Result {
    let public_url = match args {
        [] => "/".to_string(),
        [flag, url] if flag == "--public-url" => {
            let url = if url.ends_with('/') { url.clone() } else { format!("{url}/") };
            if url.starts_with('/') {
                url
            } else {
                format!("/{url}")
            }
        }
        _ => return Err("usage: cargo xtask dist [--public-url /sub/path/]".into()),
    };
    let env = setup::prepare(false)?;
    trunk_build_at(&env, &public_url)?;
    let rows = size_table(&root().join("dist"))?;
    print!("{rows}");
    let (_, first) = first_load(&root().join("dist"))?;
    println!(
        "first load (the PNG icons and all but one exercise file excluded), gzip: {first} bytes ({:.1} KiB)",
        first as f64 / 1024.0
    );
    let (rows, grade) = before_first_grade(&root().join("dist"))?;
    let names: Vec<&str> = rows.iter().map(|(n, _)| n.as_str()).collect();
    println!(
        "before the first grade ({}), gzip: {grade} bytes ({:.1} KiB)",
        names.join(", "),
        grade as f64 / 1024.0
    );
    sorts::check(&target_dir().join("wasm32-unknown-unknown/release/web.wasm"))
}

/// Every file of `dir` with its raw and gzip (level 9) size, and the totals; the exercise
/// files (fetched one by one when opened) are summed on one line.
fn size_table(dir: &Path) -> Result<String> {
    use std::fmt::Write;
    let mut files = Vec::new();
    collect_files(dir, &mut files)?;
    files.sort();
    let mut out = format!("\n{:<48} {:>12} {:>12}\n", "file", "raw bytes", "gzip bytes");
    let (mut raw_total, mut gz_total) = (0usize, 0usize);
    let (mut exercise_files, mut exercise_raw, mut exercise_gz) = (0usize, 0usize, 0usize);
    for path in files {
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let gz = gzip_len(&bytes);
        raw_total += bytes.len();
        gz_total += gz;
        let relative = path.strip_prefix(dir).unwrap_or(&path);
        if relative.starts_with("exercises") {
            exercise_files += 1;
            exercise_raw += bytes.len();
            exercise_gz += gz;
            continue;
        }
        let _ = writeln!(out, "{:<48} {:>12} {gz:>12}", relative.display().to_string(), bytes.len());
    }
    let name = format!("exercises/ ({exercise_files} files, each fetched when opened)");
    let _ = writeln!(out, "{name:<48} {exercise_raw:>12} {exercise_gz:>12}");
    let _ = writeln!(out, "{:<48} {raw_total:>12} {gz_total:>12}", "total");
    Ok(out)
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// A number from budgets.toml (`key = 1_234.5  # comment`).
pub fn budget(key: &str) -> Result<f64> {
    let path = root().join("budgets.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .filter_map(|l| l.split('#').next())
        .filter_map(|l| l.split_once('='))
        .find(|(k, _)| k.trim() == key)
        .and_then(|(_, v)| v.trim().replace('_', "").parse().ok())
        .ok_or_else(|| format!("budgets.toml has no number for {key}"))
}

/// What the page loads before it can be used: every file of the build but the PNG icons and
/// the exercise files, which the service worker fetches afterwards, plus the one exercise file
/// the first visit opens (counted as the largest, whichever a link names). Returns each
/// file's gzip size and the total.
fn first_load(dist: &Path) -> Result<(Vec<(String, usize)>, usize)> {
    let mut files = Vec::new();
    collect_files(dist, &mut files)?;
    files.sort();
    let mut rows = Vec::new();
    let mut largest_exercise: Option<(String, usize)> = None;
    for path in files.iter().filter(|p| p.extension().is_none_or(|e| e != "png")) {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let relative = path.strip_prefix(dist).unwrap_or(path);
        let name = relative.display().to_string();
        let gz = gzip_len(&bytes);
        if relative.starts_with("exercises") {
            let is_exercise =
                path.extension().is_some_and(|e| e == "yaml") && !name.ends_with("chapters.yaml");
            if is_exercise && largest_exercise.as_ref().is_none_or(|(_, n)| gz > *n) {
                largest_exercise = Some((format!("{name} (the largest exercise)"), gz));
            }
            continue;
        }
        rows.push((name, gz));
    }
    rows.extend(largest_exercise);
    let total = rows.iter().map(|(_, n)| n).sum();
    Ok((rows, total))
}

/// What the page fetches before it can grade the first exercise: index.html, the CSS, the
/// wasm and its JS glue, and the first exercise's file (the script bundle, pwa.js's worker and
/// everything else come after). Returns each file's gzip size and the total.
fn before_first_grade(dist: &Path) -> Result<(Vec<(String, usize)>, usize)> {
    let first = shell::first_lesson(&root().join("exercises"))?.path;
    let mut files = Vec::new();
    collect_files(dist, &mut files)?;
    files.sort();
    let mut rows = Vec::new();
    for path in files {
        let name = path.strip_prefix(dist).unwrap_or(&path).display().to_string().replace('\\', "/");
        let top = !name.contains('/');
        // The wasm-bindgen glue, the split's loader it imports, and the first module; not the
        // chunks of the parts loaded after the first grade (src/split.rs).
        let glue = (name.starts_with("web-") || name.starts_with("__wasm_split.")) && name.ends_with(".js");
        let first_module = name.starts_with("web-") && name.ends_with("_bg.wasm");
        let needed = name == "index.html"
            || name == first
            || (top && (name.ends_with(".css") || first_module || glue));
        if needed {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            rows.push((name, gzip_len(&bytes)));
        }
    }
    let total = rows.iter().map(|(_, n)| n).sum();
    Ok((rows, total))
}

/// Fails when the first load or the bytes before the first grade are over their budgets
/// (budgets.toml: first_load_gzip_bytes, first_grade_gzip_bytes).
fn check_size_budget() -> Result {
    let dist = root().join("dist");
    for (key, what, (rows, total)) in [
        ("first_load_gzip_bytes", "the first load", first_load(&dist)?),
        ("first_grade_gzip_bytes", "what the first grade waits for", before_first_grade(&dist)?),
    ] {
        let limit = budget(key)?;
        eprintln!("\n==> {what}, gzip: {total} bytes (budget {limit:.0}, {key} in budgets.toml)");
        if total as f64 > limit {
            let detail: Vec<String> = rows.iter().map(|(n, b)| format!("  {n}: {b}")).collect();
            return Err(format!(
                "over budget: {what} is {total} bytes gzipped; the budget is {limit:.0} bytes ({key} in budgets.toml)\n{}",
                detail.join("\n")
            ));
        }
    }
    Ok(())
}

fn gzip_len(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = encoder.write_all(bytes);
    encoder.finish().map(|v| v.len()).unwrap_or(0)
}
