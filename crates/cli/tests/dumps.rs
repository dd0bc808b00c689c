//! The analysis commands on cluster dumps (tests/dumps/, see its README): Lists, a typed
//! PodList and a JSON file are read; nothing is dropped silently. Kinds that cannot change a
//! networking answer are counted in one line on stderr; an object of a networking kind that
//! was skipped or kept with a warning is listed on stderr (file:line:col, kind, name, why) and
//! the command exits 3 (the answer may be incomplete) unless `--allow-skipped`; `--json`
//! output carries both lists; stdout stays the report alone.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const DUMPS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/dumps");

/// (exit code, stdout, stderr).
fn switchboard(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_switchboard")).args(args).output().expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A fresh folder under the target directory's temporary space with these files.
fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("switchboard-dumps-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (file, text) in files {
        std::fs::write(dir.join(file), text).expect("write");
    }
    dir
}

fn path(dir: &Path) -> String {
    dir.display().to_string()
}

/// The lines of stderr that list a networking object not used (indented by two; a
/// diagnostic's hints are indented by four).
fn listed(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.starts_with("  ") && !l.starts_with("    ")).collect()
}

const CSV: &str = "\
src,dst,conn
shop/batch,shop/client,all
shop/client,shop/batch,all
shop/client,shop/web-7d4b9c8f6d-x2x9k,TCP 8080
shop/web-7d4b9c8f6d-x2x9k,shop/batch,all
shop/web-7d4b9c8f6d-x2x9k,shop/client,all
";

/// The List's pod, the PodList's two pods and the JSON file's policy are all in the report;
/// stderr says what was not used; the exit code says the answer may be incomplete.
#[test]
fn connlist_reads_lists_pod_lists_and_json_and_says_what_it_did_not_use() {
    let (code, stdout, stderr) = switchboard(&["connlist", DUMPS, "--pods-only", "--format", "csv"]);
    assert_eq!(stdout, CSV, "{stderr}");
    assert_eq!(code, 3, "{stderr}");
    let file = format!("{DUMPS}/cluster.yaml");
    assert_eq!(
        listed(&stderr),
        [
            format!("  {file}:203:3: Service shop/legacy skipped: invalid clusterIP `fd00:10:96::1a2b`: IPv6 is not modelled by Switchboard; use an IPv4 address"),
            format!("  {file}:222:3: TLSRoute shop/web skipped: kind `TLSRoute` is not simulated"),
        ],
        "{stderr}"
    );
    assert!(
        stderr.contains("switchboard: 2 objects of networking kinds not used as written (listed above): the answer may be incomplete (exit 3; --allow-skipped exits 0)\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("switchboard: ignored 4 objects of kinds that cannot change a networking answer: ConfigMap 2, Secret 1, ServiceAccount 1\n"),
        "{stderr}"
    );
}

#[test]
fn allow_skipped_exits_zero_with_the_same_output() {
    let (code, stdout, stderr) =
        switchboard(&["connlist", DUMPS, "--pods-only", "--format", "csv", "--allow-skipped"]);
    assert_eq!((code, stdout.as_str()), (0, CSV), "{stderr}");
    assert_eq!(listed(&stderr).len(), 2, "still listed: {stderr}");
}

/// Both lists in each command's JSON: `skipped` (networking objects, each with its place and
/// why) and `ignored` (the other kinds' objects).
fn assert_lists(json: &Value) {
    let skipped = json["skipped"].as_array().expect("skipped");
    let kinds: Vec<(&str, &str, u64, u64)> = skipped
        .iter()
        .map(|s| {
            (
                s["kind"].as_str().unwrap_or(""),
                s["name"].as_str().unwrap_or(""),
                s["line"].as_u64().unwrap_or(0),
                s["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(kinds, [("Service", "legacy", 203, 3), ("TLSRoute", "web", 222, 3)], "{json}");
    assert_eq!(skipped[0]["namespace"], "shop");
    assert_eq!(skipped[0]["kept"], false);
    assert!(skipped[0]["file"].as_str().is_some_and(|f| f.ends_with("cluster.yaml")), "{json}");
    assert!(skipped[0]["why"].as_str().is_some_and(|w| w.contains("IPv6")), "{json}");
    let ignored = json["ignored"].as_array().expect("ignored");
    let kinds: Vec<&str> = ignored.iter().map(|i| i["kind"].as_str().unwrap_or("")).collect();
    assert_eq!(kinds, ["ConfigMap", "ConfigMap", "Secret", "ServiceAccount"], "{json}");
    assert_eq!(ignored[2]["name"], "db-credentials");
}

#[test]
fn json_output_carries_both_lists() {
    let (code, stdout, stderr) = switchboard(&["connlist", DUMPS, "--pods-only", "--format", "json"]);
    assert_eq!(code, 3, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).expect("stdout is JSON");
    assert_lists(&json);
    assert_eq!(json["connections"].as_array().map(Vec::len), Some(5), "{json}");
    assert_eq!(json["connections"][2]["src"], "shop/client");

    let (code, stdout, stderr) = switchboard(&["matrix", DUMPS, "--port", "8080", "--json"]);
    assert_eq!(code, 3, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).expect("stdout is JSON");
    assert_lists(&json);
    assert_eq!(json["destinations"].as_array().map(Vec::len), Some(3), "{json}");

    let (code, stdout, stderr) =
        switchboard(&["trace", DUMPS, "--from", "shop/client", "--to", "http://web.shop:80", "--json"]);
    assert_eq!(code, 3, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).expect("stdout is JSON");
    assert_lists(&json);
    assert_eq!(json["outcome"], "delivered", "{json}");
    // --allow-skipped: the trace's own exit code (0: delivered).
    let (code, _, stderr) = switchboard(&[
        "trace",
        DUMPS,
        "--from",
        "shop/batch",
        "--to",
        "http://web.shop:80",
        "--allow-skipped",
    ]);
    assert_eq!(code, 1, "batch is not admitted to web: {stderr}");
}

/// `query` has no `--json` (it is JSON): the `valid` query's answer carries both lists, and
/// the exit code is that of the other commands.
#[test]
fn query_lists_what_it_did_not_use() {
    let queries = folder("query", &[("q.json", r#"[{"kind": "valid"}]"#)]);
    let q = path(&queries.join("q.json"));
    let (code, stdout, stderr) = switchboard(&["query", "--manifests", DUMPS, "--queries", &q]);
    assert_eq!(code, 3, "{stderr}");
    let answers: Value = serde_json::from_str(&stdout).expect("stdout is JSON");
    assert_lists(&answers[0]);
    assert_eq!(listed(&stderr).len(), 2, "{stderr}");
    let (code, _, stderr) = switchboard(&["query", "--manifests", DUMPS, "--queries", &q, "--allow-skipped"]);
    assert_eq!(code, 0, "{stderr}");
}

/// Ignored kinds alone do not change the exit code; the summary line is still there.
#[test]
fn ignored_kinds_alone_exit_zero() {
    let dir = folder(
        "ignored",
        &[
            ("pods.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: c, image: i}]\n"),
            ("config.yml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: v}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\n"),
        ],
    );
    let (code, stdout, stderr) = switchboard(&["connlist", &path(&dir), "--pods-only"]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert_eq!(
        stderr,
        "switchboard: ignored 2 objects of kinds that cannot change a networking answer: ConfigMap 1, Role 1\n"
    );
    // Nothing unused: nothing said.
    let (code, _, stderr) = switchboard(&["connlist", &path(&dir.join("pods.yaml"))]);
    assert_eq!((code, stderr.as_str()), (0, ""));
}

/// A syntax error of a JSON file, in JSON's words, drops the file: listed, exit 3.
#[test]
fn a_broken_json_file_is_said_in_json_s_words() {
    let dir = folder(
        "json",
        &[
            (
                "ok.json",
                r#"{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}, "spec": {"containers": [{"name": "c", "image": "i"}]}}"#,
            ),
            (
                "bad.json",
                "{\"apiVersion\": \"v1\",\n \"kind\": \"Pod\",\n \"metadata\": {\"name\": \"b\",}}\n",
            ),
        ],
    );
    let (code, stdout, stderr) = switchboard(&["connlist", &path(&dir), "--format", "csv", "--pods-only"]);
    assert_eq!((code, stdout.as_str()), (3, "src,dst,conn\n"), "{stderr}");
    let bad = path(&dir.join("bad.json"));
    assert!(
        stderr.contains(&format!("{bad}:3:26: error[json-syntax]: JSON syntax error: trailing comma")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("  {bad}:3:26: skipped: JSON syntax error: trailing comma")),
        "{stderr}"
    );
}

/// 256 MiB per file by default on the command line; `--max-file-size` sets it (bytes, or with
/// K, M or G for KiB, MiB, GiB).
#[test]
fn max_file_size_sets_the_command_line_s_file_limit() {
    let dir = folder("size", &[]);
    // 3 MiB of Namespaces: over the browser's 2 MiB, read by the command line.
    let pad = "x".repeat(1000);
    let text: String = (0..3000)
        .map(|i| format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-{i}\n  annotations:\n    note: \"{pad}\"\n---\n"))
        .collect();
    std::fs::write(dir.join("big.yaml"), &text).expect("write");
    let big = path(&dir.join("big.yaml"));
    let (code, _, stderr) = switchboard(&["connlist", &big]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let (code, _, stderr) = switchboard(&["connlist", &big, "--max-file-size", "2M"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("error[file-too-large]") && stderr.contains("2097152 bytes"), "{stderr}");
    assert!(stderr.contains(&format!("  {big}:1:1: skipped: the file is")), "{stderr}");
    for bad in ["0", "ten", "3T", "-1"] {
        let (code, _, stderr) = switchboard(&["connlist", &big, "--max-file-size", bad]);
        assert_eq!(code, 2, "{bad}: {stderr}");
        assert!(stderr.contains("--max-file-size"), "{stderr}");
    }
    let (code, _, stderr) = switchboard(&["matrix", &big, "--port", "80", "--max-file-size", "1K"]);
    assert_eq!(code, 3, "{stderr}");
}

/// A NetworkPolicy with `status: {}` (a field the schema does not know) still isolates its pods
/// in the analysis commands: kept with a warning and listed as kept (exit 3), as the API
/// server's `fieldValidation=Warn` keeps it; `validate` refuses it, as `kubectl apply` with
/// strict field validation does.
#[test]
fn an_unknown_field_is_warned_and_the_object_kept_by_the_analysis_commands() {
    let dir = folder(
        "unknown-field",
        &[(
            "cluster.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {app: a}}\nspec:\n  containers: [{name: c, image: i}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  containers: [{name: c, image: i}]\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-a}\nspec:\n  podSelector: {matchLabels: {app: a}}\n  policyTypes: [Ingress]\nstatus: {}\n",
        )],
    );
    let (code, stdout, stderr) = switchboard(&["connlist", &path(&dir), "--pods-only", "--format", "csv"]);
    assert_eq!(code, 3, "{stderr}");
    assert_eq!(stdout, "src,dst,conn\ndefault/a,default/b,all\n", "{stderr}");
    assert!(listed(&stderr).iter().any(|l| l.contains("NetworkPolicy default/deny-a")), "{stderr}");
    let (code, _, _) = switchboard(&["validate", &path(&dir)]);
    assert_eq!(code, 1, "validate refuses it");
}
