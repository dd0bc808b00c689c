//! Cluster-wide policy in the terminal: `kubectl get` with the CRDs' printer columns
//! (ClusterNetworkPolicy: NAME TIER PRIORITY AGE; AdminNetworkPolicy: NAME PRIORITY AGE;
//! BaselineAdminNetworkPolicy: NAME AGE, network-policy-api v0.2.0 and v0.1.8), the short
//! names `cnp`, `anp` and `banp`, and `kubectl describe` as kubectl prints a custom resource.
#![cfg(feature = "gateway-api")]

use expect_test::expect;
use kubectl::Session;
use manifest::SourceFile;
use netsim::{Cluster, Topology};

/// The cluster of a contract case's manifests folder.
fn cluster(case: &str) -> Cluster {
    let dir = format!("{}/../cli/tests/contract/{case}/manifests", env!("CARGO_MANIFEST_DIR"));
    let files: Vec<SourceFile> = std::fs::read_dir(&dir)
        .expect("contract case")
        .flatten()
        .map(|e| SourceFile {
            name: e.file_name().to_string_lossy().into_owned(),
            text: std::fs::read_to_string(e.path()).expect("read"),
        })
        .collect();
    let (loaded, c) = manifest::load_and_build(&files, &Topology::default());
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    c
}

fn run(c: &Cluster, line: &str) -> String {
    let a = kubectl::run(c, &mut Session::default(), line);
    assert!(a.ok, "{line}: {}", a.output);
    a.output
}

#[test]
fn each_kind_is_listed_with_its_printer_columns() {
    let c = cluster("72-dump-cnp");
    expect![[r#"
        NAME              TIER       PRIORITY   AGE
        guardrails        Admin      10         5m
        baseline-closed   Baseline   0          5m
    "#]]
    .assert_eq(&run(&c, "kubectl get cnp"));
    let c = cluster("71-dump-anp-banp");
    expect![[r#"
        NAME         PRIORITY   AGE
        guardrails   10         5m
    "#]]
    .assert_eq(&run(&c, "kubectl get adminnetworkpolicies"));
    expect![[r#"
        NAME      AGE
        default   5m
    "#]]
    .assert_eq(&run(&c, "kubectl get banp"));
}

#[test]
fn a_policy_is_described_as_a_custom_resource() {
    let c = cluster("71-dump-anp-banp");
    expect![[r#"
        Name:         guardrails
        Labels:       <none>
        Annotations:  <none>
        API Version:  policy.networking.k8s.io/v1alpha1
        Kind:         AdminNetworkPolicy
        Spec:
          Egress:
            Action:  Deny
            Name:    no-cloud-metadata
            To:
              Networks:
                169.254.169.254/32
          Ingress:
            Action:  Allow
            From:
              Namespaces:
                Match Labels:
                  Team:  platform
            Name:    monitoring-scrapes
            Ports:
              Port Number:
                Port:      9187
                Protocol:  TCP
            Action:  Pass
            From:
              Namespaces:
                Match Labels:
                  Kubernetes.io/metadata.name:  shop
            Name:    shop-decides
          Priority:  10
          Subject:
            Namespaces:
        Events:       <none>
    "#]]
    .assert_eq(&run(&c, "kubectl describe anp guardrails"));
}
