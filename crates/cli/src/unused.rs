//! What the analysis commands (`connlist`, `matrix`, `trace`, `query`) did not use, said on
//! stderr and in their JSON, and the exit code it gives (see README, "The command line"):
//!
//! - objects of kinds that cannot change a networking answer (ConfigMap, Secret, RBAC, …) are
//!   counted in one line and do not change the exit code;
//! - each object of a networking kind that was skipped or kept with a warning (and each part of
//!   a file that was not read) is listed as `file:line:col: Kind namespace/name skipped: why`,
//!   and the command exits [`INCOMPLETE`], because its answer may be incomplete, unless
//!   `--allow-skipped`.

use std::collections::BTreeMap;
use std::process::ExitCode;

use manifest::{Limits, LineIndex, SourceFile, Unused, UnusedStatus};
use serde_json::{json, Value};

/// The exit code of an analysis command whose answer may be incomplete.
pub const INCOMPLETE: u8 = 3;

/// The reading options every command that reads manifests takes.
#[derive(Clone, Copy)]
pub struct Reading {
    pub limits: Limits,
    pub allow_skipped: bool,
}

impl Default for Reading {
    /// The analysis commands': the command line's limits, and an object with a field the
    /// schema does not know kept with a warning (and listed as kept).
    fn default() -> Reading {
        Reading {
            limits: Limits { warn_unknown_fields: true, ..Limits::command_line() },
            allow_skipped: false,
        }
    }
}

impl Reading {
    /// Takes `arg` (and its value from `rest`) when it is a reading option: `--max-file-size
    /// SIZE` (bytes, or with K, M or G: KiB, MiB, GiB) or `--allow-skipped`.
    pub fn option<'a>(
        &mut self,
        arg: &str,
        rest: &mut impl Iterator<Item = &'a String>,
    ) -> Result<bool, String> {
        match arg {
            "--allow-skipped" => self.allow_skipped = true,
            "--max-file-size" => {
                let value = rest.next().ok_or("--max-file-size needs a value")?;
                self.limits.max_file_bytes = size(value).ok_or_else(|| {
                    format!("--max-file-size {value}: expected a number of bytes, or with K, M or G (KiB, MiB, GiB), above 0")
                })?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// `1048576`, `1024K`, `256M`, `1G`.
fn size(text: &str) -> Option<usize> {
    let (digits, unit) = match text.strip_suffix(['K', 'M', 'G', 'k', 'm', 'g']) {
        Some(d) => (d, 1usize << (10 * (1 + "KMG".find(text.chars().last()?.to_ascii_uppercase())?))),
        None => (text, 1),
    };
    digits.parse::<usize>().ok()?.checked_mul(unit).filter(|&n| n > 0)
}

/// `file:line:col` of each unused object, from one line index per file.
struct Places<'s> {
    sources: &'s [SourceFile],
    indexes: Vec<LineIndex<'s>>,
}

impl<'s> Places<'s> {
    fn new(sources: &'s [SourceFile]) -> Places<'s> {
        Places { sources, indexes: sources.iter().map(|s| LineIndex::new(&s.text)).collect() }
    }

    fn line_col(&self, u: &Unused) -> (usize, usize) {
        match self.sources.iter().position(|s| s.name == u.file) {
            Some(i) => self.indexes[i].line_col(u.start),
            None => (0, 0),
        }
    }
}

fn networking(u: &Unused) -> bool {
    u.status != UnusedStatus::Ignored
}

/// `ns/name`, `name`, or nothing.
fn object_name(u: &Unused) -> String {
    match (u.namespace.as_str(), u.name.as_str()) {
        (_, "") => String::new(),
        ("", name) => name.to_string(),
        (ns, name) => format!("{ns}/{name}"),
    }
}

/// The lines for stderr: each networking object not used as written, a line saying what that
/// means, and one line counting the ignored objects by kind. Nothing when all was used.
pub fn stderr_lines(sources: &[SourceFile], unused: &[Unused], reading: &Reading) -> Vec<String> {
    let places = Places::new(sources);
    let mut lines = Vec::new();
    let listed: Vec<&Unused> = unused.iter().filter(|u| networking(u)).collect();
    for u in &listed {
        let (line, col) = places.line_col(u);
        let what = [u.kind.clone(), object_name(u)].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>();
        let status = if u.status == UnusedStatus::Kept { "kept with a warning" } else { "skipped" };
        let what = if what.is_empty() { status.to_string() } else { format!("{} {status}", what.join(" ")) };
        lines.push(format!("  {}:{line}:{col}: {what}: {}", u.file, u.why));
    }
    if !listed.is_empty() {
        let n = listed.len();
        let objects = if n == 1 { "object of a networking kind" } else { "objects of networking kinds" };
        let exit = if reading.allow_skipped {
            "--allow-skipped: exit 0".to_string()
        } else {
            format!("exit {INCOMPLETE}; --allow-skipped exits 0")
        };
        lines.push(format!(
            "switchboard: {n} {objects} not used as written (listed above): the answer may be incomplete ({exit})"
        ));
    }
    let mut ignored: BTreeMap<&str, usize> = BTreeMap::new();
    for u in unused.iter().filter(|u| !networking(u)) {
        *ignored.entry(u.kind.as_str()).or_default() += 1;
    }
    if !ignored.is_empty() {
        let n: usize = ignored.values().sum();
        let kinds: Vec<String> = ignored.iter().map(|(kind, count)| format!("{kind} {count}")).collect();
        let objects = if n == 1 { "object of a kind" } else { "objects of kinds" };
        lines.push(format!(
            "switchboard: ignored {n} {objects} that cannot change a networking answer: {}",
            kinds.join(", ")
        ));
    }
    lines
}

/// Both lists for a command's JSON: `skipped` (networking objects not used as written, with
/// `kept` and `why`) and `ignored` (the other kinds' objects).
pub fn json_lists(sources: &[SourceFile], unused: &[Unused]) -> (Value, Value) {
    let places = Places::new(sources);
    let entry = |u: &Unused| {
        let (line, column) = places.line_col(u);
        json!({
            "file": u.file, "line": line, "column": column,
            "kind": u.kind, "namespace": u.namespace, "name": u.name,
        })
    };
    let skipped = unused
        .iter()
        .filter(|u| networking(u))
        .map(|u| {
            let mut v = entry(u);
            v["kept"] = Value::Bool(u.status == UnusedStatus::Kept);
            v["why"] = Value::String(u.why.clone());
            v
        })
        .collect();
    let ignored = unused.iter().filter(|u| !networking(u)).map(entry).collect();
    (Value::Array(skipped), Value::Array(ignored))
}

/// `code`, or [`INCOMPLETE`] when an object of a networking kind was not used as written and
/// `--allow-skipped` was not given.
pub fn exit_code(unused: &[Unused], reading: &Reading, code: ExitCode) -> ExitCode {
    if !reading.allow_skipped && unused.iter().any(networking) {
        ExitCode::from(INCOMPLETE)
    } else {
        code
    }
}

#[cfg(test)]
mod tests {
    use super::size;

    #[test]
    fn sizes_in_bytes_kib_mib_gib() {
        assert_eq!(size("1048576"), Some(1 << 20));
        assert_eq!(size("1024K"), Some(1 << 20));
        assert_eq!(size("256M"), Some(256 << 20));
        assert_eq!(size("1g"), Some(1 << 30));
        for bad in ["", "0", "M", "ten", "3T", "-1", "1.5M"] {
            assert_eq!(size(bad), None, "{bad}");
        }
    }
}
