//! The command line on a cluster dump: `switchboard connlist` on one file of 10,000 pods and
//! 5,000 NetworkPolicies in the shape `kubectl get -A -o yaml` writes (`gen-cluster --dump`,
//! written at bench time into the bench output folder), its report sent to /dev/null. Wall
//! time, and peak memory from the kernel's accounting of that one child (`wait4`'s
//! `ru_maxrss`). Run by `cargo xtask bench`, or alone by `cargo xtask bench dump`; never by
//! the test command.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::workspace::{root, run, Result};

const PODS: usize = 10_000;
const POLICIES: usize = 5_000;

/// Rows for the bench table: (name, figure, unit).
pub fn connlist(target_dir: &Path, out: &Path) -> Result<Vec<(String, String, String)>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    run(
        "cargo build --release -p cli (the command line, as users build it)",
        Command::new(&cargo).current_dir(root()).args(["build", "--release", "-p", "cli"]),
    )?;
    let switchboard = target_dir.join("release/switchboard");
    let dump = out.join(format!("dump-{PODS}-pods.yaml"));
    let file = std::fs::File::create(&dump).map_err(|e| format!("{}: {e}", dump.display()))?;
    let status = Command::new(&switchboard)
        .args(["gen-cluster", "--pods", &PODS.to_string(), "--policies", &POLICIES.to_string(), "--dump"])
        .stdout(file)
        .status()
        .map_err(|e| format!("{}: {e}", switchboard.display()))?;
    if !status.success() {
        return Err(format!("gen-cluster failed: {status}"));
    }
    let bytes = std::fs::metadata(&dump).map(|m| m.len()).unwrap_or(0);
    eprintln!("==> switchboard connlist {} --format csv > /dev/null", dump.display());
    let started = Instant::now();
    let child = Command::new(&switchboard)
        .arg("connlist")
        .arg(&dump)
        .args(["--format", "csv", "--allow-skipped"])
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("{}: {e}", switchboard.display()))?;
    let (code, peak_kib) = wait(child.id())?;
    let wall = started.elapsed().as_secs_f64();
    if code != 0 {
        return Err(format!("switchboard connlist exited {code}"));
    }
    eprintln!("    {wall:.2} s, peak {:.0} MB", peak_kib as f64 / 1024.0);
    let what = format!(
        "connlist on one dump file ({PODS} pods, {POLICIES} policies, {:.0} MB, csv to /dev/null)",
        bytes as f64 / 1e6
    );
    Ok(vec![
        (format!("{what}: wall time"), format!("{wall:.2}"), "s".into()),
        (format!("{what}: peak memory"), format!("{:.0}", peak_kib as f64 / 1024.0), "MB".into()),
    ])
}

/// Waits for the child `pid`: its exit code and its peak resident memory in KiB (Linux
/// reports `ru_maxrss` in KiB).
fn wait(pid: u32) -> Result<(i32, i64)> {
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills in; pid is our own child, not yet waited.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let got = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    if got < 0 {
        return Err(format!("wait4: {}", std::io::Error::last_os_error()));
    }
    let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -1 };
    Ok((code, usage.ru_maxrss))
}
