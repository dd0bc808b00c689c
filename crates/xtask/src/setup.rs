//! Installs what the build and the tests need, skipping what is already there at the
//! right version. Versions are pinned where a newer one is known to break the build.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::workspace::{root, run, Result};

/// trunk 0.22 needs rustc >= 1.96.1; 0.21.14 is the newest that builds on 1.95.
const TRUNK_VERSION: &str = "0.21.14";
/// npm's binaryen; Debian's wasm-opt 108 produces a page that stays blank.
const WASM_OPT_VERSION: &str = "version_132";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The environment every build step runs in: PATH with npm's wasm-opt first.
pub struct Env {
    path: std::ffi::OsString,
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

impl Env {
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("PATH", &self.path);
        cmd
    }
}

/// Installs what is missing. `browser`: also Chromium and chromedriver (for tests).
pub fn prepare(browser: bool) -> Result<Env> {
    let mut dirs = vec![root().join("node_modules/.bin"), cargo_home().join("bin")];
    dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    let path = std::env::join_paths(dirs).map_err(|e| format!("PATH: {e}"))?;
    let mut env = Env { path, chromium: PathBuf::new(), chromedriver: PathBuf::new() };

    ensure_wasm_target(&env)?;
    ensure_npm_tools(&env)?;
    ensure_trunk(&env)?;
    ensure_wasm_bindgen(&env)?;
    if browser {
        let (chromium, chromedriver) = ensure_browser(&env)?;
        env.chromium = chromium;
        env.chromedriver = chromedriver;
    }
    Ok(env)
}

fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .unwrap_or_default()
}

/// The first line a tool prints for `--version`, or `None` when it does not run.
fn version_of(env: &Env, program: &str, arg: &str) -> Option<String> {
    let out = env.command(program).arg(arg).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or("").trim().to_string())
}

fn ensure_wasm_target(env: &Env) -> Result {
    let installed = env
        .command("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == WASM_TARGET))
        .unwrap_or(false);
    if installed {
        return Ok(());
    }
    run(
        "install the wasm32-unknown-unknown target",
        env.command("rustup").args(["target", "add", WASM_TARGET]),
    )
}

fn ensure_npm_tools(env: &Env) -> Result {
    let wasm_opt = root().join("node_modules/.bin/wasm-opt");
    // Every package of package.json at its version: wasm-opt, esbuild, the editor's, the
    // Markdown renderer's and the sanitizer's. A node_modules left by an older checkout is installed again.
    let ok = wasm_opt.exists()
        && version_of(env, &wasm_opt.to_string_lossy(), "--version")
            .is_some_and(|v| v.contains(WASM_OPT_VERSION))
        && npm_packages_installed();
    if ok {
        return Ok(());
    }
    if version_of(env, "npm", "--version").is_none() {
        return Err("npm is missing: install Node.js 20 and npm (Debian: apt-get install nodejs npm)".into());
    }
    run(
        "npm ci (wasm-opt from npm binaryen, esbuild, CodeMirror, marked, DOMPurify)",
        env.command("npm").args(["ci", "--no-audit", "--no-fund"]),
    )
}

/// Whether every devDependency of package.json is in node_modules at the version it names.
fn npm_packages_installed() -> bool {
    let Ok(manifest) = std::fs::read_to_string(root().join("package.json")) else { return false };
    let wanted = dev_dependencies(&manifest);
    !wanted.is_empty()
        && wanted.iter().all(|(name, version)| {
            let path = root().join("node_modules").join(name).join("package.json");
            std::fs::read_to_string(path)
                .is_ok_and(|installed| installed.contains(&format!("\"version\": \"{version}\"")))
        })
}

/// `(name, version)` of each line of the `devDependencies` block of a package.json (one
/// `"name": "version"` a line, as npm writes it).
fn dev_dependencies(manifest: &str) -> Vec<(String, String)> {
    let mut lines = manifest.lines().map(str::trim).skip_while(|l| !l.starts_with("\"devDependencies\""));
    lines.next();
    lines
        .take_while(|l| !l.starts_with('}'))
        .filter_map(|l| {
            let (name, version) = l.trim_end_matches(',').split_once(':')?;
            Some((name.trim().trim_matches('"').to_string(), version.trim().trim_matches('"').to_string()))
        })
        .collect()
}

fn ensure_trunk(env: &Env) -> Result {
    if version_of(env, "trunk", "--version").is_some_and(|v| v == format!("trunk {TRUNK_VERSION}")) {
        return Ok(());
    }
    run(
        &format!("cargo install --locked trunk@{TRUNK_VERSION} (about 8 minutes on 2 cores)"),
        env.command("cargo").args(["install", "--locked", "--force", &format!("trunk@{TRUNK_VERSION}")]),
    )
}

/// The wasm-bindgen version that Cargo.lock resolved: the CLI must match it exactly.
pub fn locked_wasm_bindgen() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.trim().strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".into())
}

fn ensure_wasm_bindgen(env: &Env) -> Result {
    let version = locked_wasm_bindgen()?;
    let want = format!("wasm-bindgen {version}");
    let cli_ok = version_of(env, "wasm-bindgen", "--version").is_some_and(|v| v == want);
    let runner_ok = version_of(env, "wasm-bindgen-test-runner", "--version").is_some();
    if cli_ok && runner_ok {
        return Ok(());
    }
    // Not --locked: the registry here lacks a locked dependency (TOOLCHAIN.md P2).
    run(
        &format!("cargo install wasm-bindgen-cli {version} (about 5 minutes on 2 cores)"),
        env.command("cargo").args(["install", "--force", "wasm-bindgen-cli", "--version", &version]),
    )
}

fn find_program(env: &Env, names: &[&str]) -> Option<PathBuf> {
    let path = env.path.clone();
    names.iter().find_map(|name| std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file()))
}

fn ensure_browser(env: &Env) -> Result<(PathBuf, PathBuf)> {
    let chromium_names = ["chromium", "chromium-browser", "google-chrome"];
    let found = || Some((find_program(env, &chromium_names)?, find_program(env, &["chromedriver"])?));
    if let Some(pair) = found() {
        return Ok(pair);
    }
    let is_root =
        Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !is_root {
        return Err(
            "Chromium and chromedriver are missing. Install them as root, then run this again:\n    \
             sudo apt-get update && sudo apt-get install -y chromium chromium-driver"
                .into(),
        );
    }
    run("apt-get update", Command::new("apt-get").arg("update"))?;
    let install = || {
        run(
            "apt-get install chromium chromium-driver",
            Command::new("apt-get").args(["install", "-y", "chromium", "chromium-driver"]),
        )
    };
    // The first try sometimes fails midway while upgrading systemd (TOOLCHAIN.md P5).
    if install().is_err() {
        install()?;
    }
    found().ok_or_else(|| "chromium or chromedriver still missing after apt-get install".into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn dev_dependencies_are_read_from_package_json() {
        let manifest = std::fs::read_to_string(crate::root().join("package.json")).expect("package.json");
        let deps = super::dev_dependencies(&manifest);
        assert!(deps.contains(&("marked".to_string(), "18.2.1".to_string())), "{deps:?}");
        assert!(deps.iter().any(|(name, _)| name == "@codemirror/view"), "{deps:?}");
        assert!(deps.iter().any(|(name, _)| name == "dompurify"), "{deps:?}");
        assert!(deps.iter().all(|(name, version)| !name.is_empty() && !version.is_empty()));
    }
}
