//! `switchboard matrix`: the reachability grid of a scenario, as text, JSON and one explained cell.
//! Docs: https://kubernetes.io/docs/concepts/services-networking/network-policies/

use std::process::Command;

use serde_json::Value;

const MANIFESTS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/contract/37-netpol-on-the-path/manifests");

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_switchboard")).arg("matrix").args(args).output().expect("run");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn json_rows_follow_the_policies() {
    let (ok, stdout, stderr) = run(&[MANIFESTS, "--port", "8080", "--json", "--outside", "198.51.100.7"]);
    assert!(ok, "{stderr}");
    let v: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(v["destinations"], serde_json::json!(["shop/client", "shop/other", "shop/web"]));
    assert_eq!(v["sources"], serde_json::json!(["shop/client", "shop/other", "shop/web", "198.51.100.7"]));
    // client's egress only admits app=web; web's ingress admits app=client and 198.51.100.0/24;
    // a pod always reaches itself.
    assert_eq!(v["rows"], serde_json::json!([".X.", "..X", "...", "..."]));
    assert_eq!((v["allowed"].as_u64(), v["denied"].as_u64()), (Some(10), Some(2)));
}

#[test]
fn an_outside_address_outside_the_ip_block_is_denied() {
    let (ok, stdout, _) = run(&[MANIFESTS, "--port", "8080", "--json", "--outside", "203.0.113.9"]);
    assert!(ok);
    let v: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(v["rows"][3], "..X");
}

#[test]
fn text_grid_and_explained_cell() {
    let (ok, stdout, _) = run(&[MANIFESTS, "--port", "8080"]);
    assert!(ok);
    assert!(stdout.contains("shop/other     . . X"), "{stdout}");
    assert!(stdout.ends_with("10 allowed, 2 denied\n"), "{stdout}");
    let (ok, stdout, _) = run(&[MANIFESTS, "--port", "8080", "--explain", "shop/other", "shop/web"]);
    assert!(ok);
    assert!(stdout.starts_with("denied: shop/other -> shop/web TCP/8080"), "{stdout}");
    assert!(stdout.contains("closest: shop/web-allow rule ingress[0]"), "{stdout}");
}

#[test]
fn bad_arguments_are_errors_not_panics() {
    for args in
        [&[MANIFESTS][..], &[MANIFESTS, "--port", "0"], &[MANIFESTS, "--port", "x"], &["--port", "80"]]
    {
        let (ok, _, stderr) = run(args);
        assert!(!ok && stderr.starts_with("switchboard: "), "{args:?}: {stderr}");
    }
    let (ok, _, stderr) = run(&[MANIFESTS, "--port", "80", "--explain", "shop/nobody", "shop/web"]);
    assert!(!ok && stderr.contains("no pod or workload named shop/nobody"), "{stderr}");
}

/// With cluster-wide policy (tests/contract/71-dump-anp-banp: an AdminNetworkPolicy lets
/// monitoring in on 9187 everywhere, the BaselineAdminNetworkPolicy denies ingress from every
/// pod that no NetworkPolicy decides for): prometheus reaches every pod on 9187; the others reach
/// only themselves; an outside address is matched by no baseline peer (pods only), so only db's
/// own NetworkPolicy stops it.
#[test]
fn cluster_wide_tiers_decide_the_grid() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/contract/71-dump-anp-banp/manifests");
    let (ok, stdout, stderr) = run(&[dir, "--port", "9187", "--json", "--outside", "198.51.100.10"]);
    assert!(ok, "{stderr}");
    let v: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(
        v["destinations"],
        serde_json::json!(["dev/tool", "monitoring/prometheus", "shop/db", "shop/web"])
    );
    assert_eq!(v["rows"], serde_json::json!([".XXX", "....", "XX.X", "XXX.", "..X."]));
}
