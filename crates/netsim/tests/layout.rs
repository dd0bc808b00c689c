//! The cluster picture's layout: deterministic, and its box ids are the trace's hop ids, so a
//! request can be drawn over it.
mod common;

use common::*;
use netsim::layout::BoxKind;
use netsim::*;

#[test]
fn every_hop_of_a_trace_has_a_box() {
    let c = world().build();
    let layout = c.layout();
    assert_eq!(layout, c.layout(), "the same cluster draws the same picture");
    let lb = c.service("default", "lb").unwrap().load_balancer_ip.unwrap();
    for (from, to) in [
        (Client::pod("default", "client"), "http://web".to_string()),
        (Client::Outside("192.0.2.9".parse().unwrap()), format!("{lb}:80")),
        (Client::Outside("192.0.2.9".parse().unwrap()), "192.168.49.3:30080".to_string()),
    ] {
        let t = c.send(&Request::new(from, &to));
        for hop in &t.hops {
            assert!(layout.get(&hop.at).is_some(), "no box for hop {} in\n{t}", hop.at);
        }
    }
}

#[test]
fn services_point_at_their_ready_endpoints_and_pods_sit_in_their_node() {
    let c = shop().build();
    let layout = c.layout();
    let web_edges: Vec<&str> =
        layout.edges.iter().filter(|e| e.from == "svc/default/web").map(|e| e.to.as_str()).collect();
    assert_eq!(web_edges.len(), 3, "{web_edges:?}");
    for p in c.pods.iter().filter(|p| !p.built_in) {
        let b = layout.get(&p.id()).expect("pod box");
        assert_eq!(b.kind, BoxKind::Pod);
        assert_eq!(b.parent.as_deref(), p.node.as_ref().map(|n| format!("node/{n}")).as_deref());
    }
    assert!(layout.get("svc/default/kubernetes").is_none(), "the cluster's own Services are left out");
}

/// Pod names from a Deployment differ only at the end (`<deployment>-<hash>-<suffix>`), so a
/// name too long for its box is cut in the middle and its last part stays whole.
#[test]
fn long_pod_names_keep_the_part_that_tells_them_apart() {
    use netsim::layout::short_middle;
    for (name, max, want) in [
        ("web-1", 22, "web-1"),
        ("chat-bot-5c49d5f5c6-cx2z9", 22, "chat-bot-5c49d5…-cx2z9"),
        ("chat-bot-5c49d5f5c6-vq7lm", 22, "chat-bot-5c49d5…-vq7lm"),
        ("payments-api-7f9c8d6b5-abcde", 22, "payments-api-7f…-abcde"),
        ("a-very-long-statefulset-name-12", 22, "a-very-long-s…-name-12"),
        ("nodashesatallinthisverylongname", 22, "nodashesata…rylongname"),
    ] {
        let got = short_middle(name, max);
        assert_eq!(got, want, "{name}");
        assert!(got.chars().count() <= max, "{got} is longer than {max}");
    }
}

#[test]
fn system_components_are_drawn_only_when_asked() {
    let c = world().build();
    let all = c.layout();
    assert!(all.get("dns").is_some());
    let none = c.layout_showing(netsim::layout::System { dns: false, ingress: false });
    assert!(none.get("dns").is_none(), "CoreDNS is left out");
    assert!(
        none.boxes.iter().all(|b| !b.id.contains(netsim::ingress::NAMESPACE)),
        "the ingress controller is left out"
    );
    for p in c.pods.iter().filter(|p| !p.built_in) {
        assert!(none.get(&p.id()).is_some(), "the learner's pod {} is drawn", p.id());
    }
}

/// The internet's box says whether a client out there can reach pod IPs (the topology's pod
/// network), as the traces do.
#[test]
fn the_internet_box_says_whether_pod_ips_are_routed() {
    for (routed, want) in [(false, "pod IPs not routed"), (true, "pod IPs routed")] {
        let c = shop().topology(|t| t.pod_network_routed = routed).build();
        let layout = c.layout();
        let internet = layout.boxes.iter().find(|b| b.kind == BoxKind::Internet).unwrap();
        assert!(internet.detail.ends_with(want), "{}", internet.detail);
    }
}
