//! What every command shares: the workspace root, running a command in it, the error type.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (the parent of crates/xtask).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).map(Path::to_path_buf).unwrap_or_default()
}

/// Runs a command in the workspace root, streaming its output; fails with `what` on a
/// non-zero exit.
pub fn run(what: &str, cmd: &mut Command) -> Result {
    eprintln!("\n==> {what}");
    let started = Instant::now();
    let status = cmd.current_dir(root()).status().map_err(|e| format!("{what}: could not start: {e}"))?;
    if status.success() {
        eprintln!("    ({what}: {:.1} s)", started.elapsed().as_secs_f64());
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// Cargo's target directory: CARGO_TARGET_DIR, else target/ in the workspace.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target"))
}
