//! kubectl's tables and describe: properties that hold whatever the addresses.
//! https://kubernetes.io/docs/reference/kubectl/
#[path = "../../netsim/tests/common/mod.rs"]
mod common;

use common::*;
use netsim::*;

fn contains(text: &str, needles: &[&str]) {
    for n in needles {
        assert!(text.contains(n), "missing {n:?} in\n{text}");
    }
}

#[test]
fn kubectl_get_svc_columns() {
    let c = world().build();
    let text = kubectl::get_services(&c, Some("default"));
    let np = text.lines().find(|l| l.starts_with("np ")).unwrap();
    contains(np, &["NodePort", "80:30080/TCP", "app=web", "<none>"]);
    let ext = text.lines().find(|l| l.starts_with("ext ")).unwrap();
    contains(ext, &["ExternalName", "<none>", "example.com"]);
    let db = text.lines().find(|l| l.starts_with("db ")).unwrap();
    contains(db, &["ClusterIP", "None", "5432/TCP"]);
    let manual = text.lines().find(|l| l.starts_with("manual ")).unwrap();
    assert!(manual.trim_end().ends_with("<none>"), "no selector: {manual}");
    let lb = text.lines().find(|l| l.starts_with("lb ")).unwrap();
    contains(lb, &["LoadBalancer", "203.0.113."]);
}

// https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#conditions
#[test]
fn not_ready_pods_are_not_listed_as_endpoints() {
    let c = world().build();
    let eps = kubectl::get_endpoints(&c, Some("default"));
    let row = eps.lines().find(|l| l.starts_with("unready ")).unwrap();
    assert!(row.contains("<none>"), "{row}");
    let pods = kubectl::get_pods(&c, Some("default"));
    let row = pods.lines().find(|l| l.starts_with("unready ")).unwrap();
    contains(row, &["0/1", "Running"]);
}

#[test]
fn more_than_three_endpoints_are_elided() {
    let c = scenario()
        .deployment("default", "web", 5, "app=web", &["80"])
        .svc("default", "web", "app=web", &["80"])
        .build();
    let eps = kubectl::get_endpoints(&c, Some("default"));
    assert!(eps.contains(" + 2 more..."), "{eps}");
}

#[test]
fn pending_pods_show_pending() {
    let c = scenario().pod_on("node-9", "default", "lost", "", &[]).build();
    let pods = kubectl::get_pods(&c, Some("default"));
    contains(pods.lines().find(|l| l.starts_with("lost ")).unwrap(), &["Pending", "<none>"]);
}

#[test]
fn describe_unnamed_port_and_no_endpoints() {
    let c = scenario().svc("default", "s", "app=x", &["80->8080"]).svc_type(ServiceType::NodePort).build();
    let d = kubectl::describe_service(&c, "default", "s").unwrap();
    contains(
        &d,
        &[
            "Port:                     <unset>  80/TCP",
            "NodePort:                 <unset>  ",
            "External Traffic Policy:  Cluster",
            "Endpoints:\n",
        ],
    );
}
