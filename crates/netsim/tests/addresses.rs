//! Pod addresses and nodes as a cluster dump gives them (`status.podIP`, `status.hostIP`,
//! `spec.nodeName`), and pods the model has no address for.
//!
//! A pod's `status.podIP` is the address the kubelet reported for it ("podIP address allocated to
//! the pod", https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#PodStatus),
//! and `status.hostIP` the IP of the node it was assigned to (same page). A pod bound through
//! `spec.nodeName` to a node the API does not know is never run ("If the named node does not
//! exist, the Pod will not be run", https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename).
mod common;

use std::net::Ipv4Addr;

use common::policies::{ip_block, policy, rule, sel};
use common::*;
use netsim::connlist::Peer;
use netsim::policy::{Connection, Endpoint, Verdict};
use netsim::*;

fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

/// A dumped pod on node `node`, with the status addresses given.
fn dumped(node: &str, pod_ip: Option<&str>, host_ip: Option<&str>) -> S {
    scenario().pod_on(node, "default", "dumped", "app=dumped", &["80"]).with_pod(|p| {
        p.ip = pod_ip.map(ip);
        p.host_ip = host_ip.map(ip);
    })
}

// PodStatus.podIP: the pod keeps the address its status gives, whatever its node.
#[test]
fn a_pod_keeps_its_status_pod_ip_when_its_node_is_unknown() {
    let c = dumped("gone", Some("10.244.9.9"), None).build();
    let p = c.pod("default", "dumped").unwrap();
    assert_eq!(p.ip, Some(ip("10.244.9.9")));
    assert_eq!(p.node, None, "no node named gone: the pod is not run");
    assert!(c.notes.iter().any(|n| n.code == "unknown-node"), "{:?}", c.notes);
}

// PodStatus.hostIP: "IP address of the host to which the pod is assigned": the node the
// dump's pod ran on joins the cluster with that address.
#[test]
fn an_unknown_node_with_the_pods_host_ip_is_added() {
    let c = dumped("worker-9", Some("10.244.9.9"), Some("10.0.0.9")).build();
    let n = c.node("worker-9").expect("the node is added");
    assert_eq!(n.ip, ip("10.0.0.9"));
    let p = c.pod("default", "dumped").unwrap();
    assert_eq!(p.node.as_deref(), Some("worker-9"));
    assert_eq!(p.ip, Some(ip("10.244.9.9")));
    let note = c.notes.iter().find(|n| n.code == "node-added").expect("a note says so");
    assert!(note.message.contains("10.0.0.9"), "{}", note.message);
    assert!(!c.notes.iter().any(|n| n.code == "unknown-node"));
    // The node's other pods (here none) and the topology's nodes are still there.
    assert!(c.node("node-1").is_some());
}

/// An ipBlock that admits every address outside 10.0.0.0/8, in front of `app=target`.
fn with_target_and_open_block(s: S) -> S {
    let mut s = s.pod("default", "target", "app=target", &["80"]);
    s.scenario.network_policies.push(policy(
        "default",
        "outside-only",
        sel(&[("app", "target")]),
        &[PolicyType::Ingress],
        vec![rule(vec![ip_block("0.0.0.0/0", &["10.0.0.0/8"])], vec![])],
        vec![],
    ));
    s
}

// A pod with no address: `0.0.0.0/0 except 10.0.0.0/8` must not admit it, as it would admit
// 0.0.0.0; it opens and receives no connection at all.
#[test]
fn a_pod_without_address_takes_part_in_no_connection() {
    let c = with_target_and_open_block(dumped("gone", None, None)).build();
    let ghost = c.pod("default", "dumped").unwrap();
    assert_eq!(ghost.ip, None);
    let (g, t) = (c.pod_index(ghost).unwrap(), c.pod_index(c.pod("default", "target").unwrap()).unwrap());
    let d = c.policy.decide(&Connection {
        src: Endpoint::Pod(g),
        dst: Endpoint::Pod(t),
        port: 80,
        protocol: Protocol::Tcp,
    });
    assert!(!d.allowed, "{d:?}");
    assert_eq!(d.egress.verdict, Verdict::NoAddress);
    assert!(d.egress.sentence("default/target").contains("no IP address"), "{}", d.egress.sentence(""));
    let back = c.policy.decide(&Connection {
        src: Endpoint::Pod(t),
        dst: Endpoint::Pod(g),
        port: 80,
        protocol: Protocol::Tcp,
    });
    assert!(!back.allowed);
    assert_eq!(back.ingress.verdict, Verdict::NoAddress);
    // Even a pod reaching itself needs an address.
    let own = Connection { src: Endpoint::Pod(g), dst: Endpoint::Pod(g), port: 80, protocol: Protocol::Tcp };
    assert!(!c.policy.decide(&own).allowed);
    // Sending from it stops at the source.
    let trace = c.send(&Request::new(Client::pod("default", "dumped"), "10.96.0.10:53"));
    assert!(!trace.outcome.as_str().starts_with("reached"), "{trace}");
}

// The connectivity report: the pod's row is empty and it appears in no other row; the report
// lists it as unaddressed.
#[test]
fn the_connectivity_report_names_pods_without_address() {
    let c = with_target_and_open_block(dumped("gone", None, None)).build();
    let ghost = c.pod_index(c.pod("default", "dumped").unwrap()).unwrap();
    let conn = c.policy.connectivity();
    assert_eq!(conn.unaddressed(), &[ghost]);
    let mut seen = Vec::new();
    conn.for_each_row(false, |row| {
        if row.src == Peer::Pod(ghost) {
            seen.push(format!("row of the ghost: {} entries", row.allowed.len()));
        }
        for a in &row.allowed {
            if a.dst == Peer::Pod(ghost) {
                seen.push(format!("{:?} reaches the ghost", row.src));
            }
        }
    });
    assert!(seen.iter().all(|s| s.ends_with(": 0 entries")), "{seen:?}");
}
