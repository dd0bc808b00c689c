//! `switchboard connlist`: every allowed port between every pair, as text, csv and JSON; the
//! same bytes on every run; and the hidden `gen-cluster` that feeds the benchmarks.
//! Docs: https://kubernetes.io/docs/concepts/services-networking/network-policies/

use std::process::Command;

use serde_json::Value;

const MANIFESTS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/contract/37-netpol-on-the-path/manifests");

fn switchboard(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_switchboard")).args(args).output().expect("run");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn connlist(args: &[&str]) -> String {
    let (ok, stdout, stderr) = switchboard(&[&["connlist"], args].concat());
    assert!(ok, "{stderr}");
    stdout
}

/// web admits app=client and 198.51.100.0/24 on 8080; client may open connections only to
/// app=web pods and to 0.0.0.0/0 except 10.0.0.0/8 on 443; other is not isolated.
#[test]
fn text_lists_every_allowed_pair_sorted_by_source_then_destination() {
    assert_eq!(
        connlist(&[MANIFESTS]),
        "\
shop/client => shop/web : TCP 8080
shop/client => 0.0.0.0-9.255.255.255 : TCP 443
shop/client => 11.0.0.0-198.51.99.255 : TCP 443
shop/client => 198.51.100.0/24 : TCP 443
shop/client => 198.51.101.0-255.255.255.255 : TCP 443
shop/other => shop/client : all
shop/other => 0.0.0.0-9.255.255.255 : all
shop/other => 10.0.0.0/8 : all
shop/other => 11.0.0.0-198.51.99.255 : all
shop/other => 198.51.100.0/24 : all
shop/other => 198.51.101.0-255.255.255.255 : all
shop/web => shop/client : all
shop/web => shop/other : all
shop/web => 0.0.0.0-9.255.255.255 : all
shop/web => 10.0.0.0/8 : all
shop/web => 11.0.0.0-198.51.99.255 : all
shop/web => 198.51.100.0/24 : all
shop/web => 198.51.101.0-255.255.255.255 : all
0.0.0.0-9.255.255.255 => shop/client : all
0.0.0.0-9.255.255.255 => shop/other : all
10.0.0.0/8 => shop/client : all
10.0.0.0/8 => shop/other : all
11.0.0.0-198.51.99.255 => shop/client : all
11.0.0.0-198.51.99.255 => shop/other : all
198.51.100.0/24 => shop/client : all
198.51.100.0/24 => shop/other : all
198.51.100.0/24 => shop/web : TCP 8080
198.51.101.0-255.255.255.255 => shop/client : all
198.51.101.0-255.255.255.255 => shop/other : all
"
    );
}

#[test]
fn csv_pods_only_and_all() {
    assert_eq!(
        connlist(&[MANIFESTS, "--pods-only", "--format", "csv"]),
        "src,dst,conn\nshop/client,shop/web,TCP 8080\nshop/other,shop/client,all\nshop/web,shop/client,all\nshop/web,shop/other,all\n"
    );
    // --all adds CoreDNS and the ingress controller, as `matrix --all` does.
    let all = connlist(&[MANIFESTS, "--pods-only", "--format", "csv", "--all"]);
    assert!(all.contains("\nkube-system/coredns-"), "{all}");
    assert!(!all.contains("shop/client,kube-system/coredns-"), "client's egress admits no DNS: {all}");
}

/// An object: `connections`, the pairs with their ports, and what was not used (`skipped`,
/// `ignored`; both empty here, see tests/dumps.rs).
#[test]
fn json_is_an_object_with_the_pairs_and_their_ports() {
    let v: Value = serde_json::from_str(&connlist(&[MANIFESTS, "--format", "json"])).expect("JSON");
    assert_eq!(
        (v["skipped"].as_array().map(Vec::len), v["ignored"].as_array().map(Vec::len)),
        (Some(0), Some(0))
    );
    let list = v["connections"].as_array().expect("array");
    assert_eq!(list.len(), 29);
    assert_eq!(
        list[0],
        serde_json::json!({"src": "shop/client", "dst": "shop/web", "conn": "TCP 8080",
            "ports": [{"protocol": "TCP", "from": 8080, "to": 8080}]})
    );
    assert_eq!(list[5]["conn"], "all");
    assert_eq!(list[5]["ports"].as_array().map(Vec::len), Some(3));
    let (ok, stdout, _) = switchboard(&["connlist", MANIFESTS, "--format", "json", "--pods-only"]);
    assert!(ok && serde_json::from_str::<Value>(&stdout).is_ok());
}

/// The benchmarks' cluster: written, read back without errors, and reported with the same
/// bytes every time; every csv line has three fields (port lists with commas are quoted);
/// written as a cluster dump (`--dump`), it reports the same.
#[test]
fn generated_cluster_reports_the_same_bytes_every_run() {
    let (ok, manifest, stderr) = switchboard(&["gen-cluster", "--pods", "300", "--policies", "150"]);
    assert!(ok, "{stderr}");
    assert_eq!(switchboard(&["gen-cluster", "--pods", "300", "--policies", "150"]).1, manifest);
    let path = format!("{}/connlist-300.yaml", env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(&path, &manifest).expect("write");
    // Random policies draw the policy warnings (selectors matching nothing, egress without
    // DNS), rightly; errors would mean the manifest does not read back.
    let (ok, stdout, stderr) = switchboard(&["validate", &path]);
    assert!(ok && !stdout.contains("error["), "{stdout}{stderr}");
    let first = connlist(&[&path, "--format", "csv"]);
    let second = connlist(&[&path, "--format", "csv"]);
    assert!(first == second, "two runs differ");
    let lines: Vec<&str> = first.lines().collect();
    assert!(lines.len() > 10_000, "{} lines", lines.len());
    assert!(first.contains(",\"TCP "), "some set has several ranges");
    for line in &lines {
        let fields = match line.split_once(",\"") {
            Some((pair, quoted)) => pair.split(',').count() + usize::from(quoted.ends_with('"')),
            None => line.split(',').count(),
        };
        assert_eq!(fields, 3, "{line}");
    }
    assert_eq!(connlist(&[&path]), connlist(&[&path]));
    // The same cluster as a cluster dump (one List in kubectl's YAML, with what a live cluster
    // adds): the same report, and only the namespaces' ConfigMaps, ServiceAccounts and Secrets
    // ignored.
    let (ok, dump, stderr) = switchboard(&["gen-cluster", "--pods", "300", "--policies", "150", "--dump"]);
    assert!(ok, "{stderr}");
    assert!(
        dump.starts_with("apiVersion: v1\nitems:\n- apiVersion: v1\n")
            && dump.ends_with("kind: List\nmetadata:\n  resourceVersion: \"\"\n")
    );
    let dump_path = format!("{}/connlist-300-dump.yaml", env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(&dump_path, &dump).expect("write");
    let (ok, report, stderr) = switchboard(&["connlist", &dump_path, "--format", "csv"]);
    assert!(ok && report == first, "{stderr}");
    assert_eq!(
        stderr,
        "switchboard: ignored 21 objects of kinds that cannot change a networking answer: ConfigMap 7, Secret 7, ServiceAccount 7\n"
    );
}

#[test]
fn bad_arguments_are_errors_not_panics() {
    for args in [
        &["connlist"][..],
        &["connlist", MANIFESTS, "--format", "xml"],
        &["connlist", MANIFESTS, "--format"],
        &["connlist", MANIFESTS, "--colour"],
        &["connlist", "/no/such/folder"],
        &["gen-cluster", "--pods", "10"],
        &["gen-cluster", "--pods", "x", "--policies", "1"],
    ] {
        let (ok, _, stderr) = switchboard(args);
        assert!(!ok && stderr.starts_with("switchboard: "), "{args:?}: {stderr}");
    }
}

/// A pod bound to a node that does not exist has no IP ("If the named node does not exist,
/// the Pod will not be run", https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename):
/// `0.0.0.0/0 except 10.0.0.0/8` must not admit it as if it were 0.0.0.0, and the report says
/// why it has no line.
#[test]
fn a_pod_without_address_has_no_line_and_the_report_says_so() {
    let dir = std::env::temp_dir().join(format!("switchboard-connlist-unaddressed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ghost.yaml");
    std::fs::write(
        &file,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: ghost, namespace: shop}\nspec:\n  nodeName: gone\n  containers: [{name: c, image: i}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\nspec:\n  containers: [{name: c, image: i, ports: [{containerPort: 8080}]}]\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: outside-only, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress:\n    - from: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]\n",
    )
    .unwrap();
    let (ok, stdout, stderr) = switchboard(&["connlist", file.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).ok();
    assert!(ok, "{stderr}");
    assert!(!stdout.contains("shop/ghost"), "{stdout}");
    assert!(stderr.contains("pod shop/ghost has no IP address: it takes part in no connection"), "{stderr}");
}

/// Cluster dumps with cluster-wide policy (tests/contract/71-dump-anp-banp, an
/// AdminNetworkPolicy and the BaselineAdminNetworkPolicy in YAML; 72-dump-cnp, the same as
/// ClusterNetworkPolicies in JSON) give the tiered report, the same for both: the Admin tier
/// lets prometheus scrape 9187 everywhere and denies the cloud metadata address, the shop's
/// NetworkPolicy decides db (web on 5432), and the Baseline tier closes every pod no
/// NetworkPolicy selects. (NetworkPolicy alone would allow every pair but towards db.)
#[test]
fn dumps_with_cluster_wide_policy_give_the_tiered_report() {
    let want = "\
src,dst,conn
monitoring/prometheus,dev/tool,TCP 9187
monitoring/prometheus,shop/db,TCP 9187
monitoring/prometheus,shop/web,TCP 9187
shop/web,shop/db,TCP 5432
";
    for case in ["71-dump-anp-banp", "72-dump-cnp"] {
        let dir = format!("{}/tests/contract/{case}/manifests", env!("CARGO_MANIFEST_DIR"));
        assert_eq!(connlist(&[&dir, "--pods-only", "--format", "csv"]), want, "{case}");
        let all = connlist(&[&dir]);
        assert!(all.contains("shop/web => 0.0.0.0-169.254.169.253 : all\nshop/web => 169.254.169.255-255.255.255.255 : all\n"), "{case}: {all}");
        assert!(
            !all.contains("=> 169.254.169.254/32"),
            "{case}: the metadata address is denied to all: {all}"
        );
    }
}
