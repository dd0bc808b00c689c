//! NetworkPolicy on the real path of a request: which hop checks it, against which
//! addresses, and what the trace says.
//!
//! DOCS = https://kubernetes.io/docs/concepts/services-networking/network-policies/
mod common;

use common::*;
use netsim::policy::Verdict;
use netsim::*;

fn sel(text: &str) -> LabelSelector {
    LabelSelector { match_labels: labels(text), match_expressions: Vec::new() }
}

fn policy(ns: &str, name: &str, selector: &str, types: &[PolicyType]) -> NetworkPolicy {
    NetworkPolicy {
        name: name.into(),
        namespace: ns.into(),
        pod_selector: sel(selector),
        policy_types: types.to_vec(),
        ingress: Vec::new(),
        egress: Vec::new(),
        source: None,
    }
}

fn to_pods(pods: &str, ns: Option<&str>, ports: &[(Protocol, u16)]) -> PolicyRule {
    PolicyRule {
        peers: vec![PolicyPeer::Pods { pod_selector: Some(sel(pods)), namespace_selector: ns.map(sel) }],
        ports: ports
            .iter()
            .map(|(protocol, p)| PolicyPort {
                protocol: *protocol,
                port: Some(PortRef::Number(*p)),
                end_port: None,
            })
            .collect(),
        source: None,
    }
}

fn with(mut s: S, p: NetworkPolicy) -> S {
    s.scenario.network_policies.push(p);
    s
}

/// DOCS "Default deny all egress traffic" and curriculum pitfall: the DNS query to kube-dns is
/// pod traffic too, so a default deny without a DNS exception makes every lookup time out.
#[test]
fn default_deny_egress_blocks_dns_lookups() {
    let c = with(shop(), policy("default", "deny-egress", "", &[PolicyType::Egress])).build();
    let t = c.send(&Request::new(Client::pod("default", "client"), "web"));
    let Outcome::Dropped { by, reason } = &t.outcome else { panic!("want dropped:\n{t}") };
    assert_eq!(by, "networkpolicy/default/deny-egress");
    assert!(reason.starts_with("DNS lookup of web times out"), "{reason}");
    let last = t.hops.last().unwrap();
    assert_eq!((last.at.as_str(), last.action), ("dns", Action::Drop));
    assert!(last.explanation.contains("the DNS query for web to 10.96.0.10:53"), "{}", last.explanation);
    assert!(last.explanation.contains("default deny"), "{}", last.explanation);
    // By address there is no lookup: the connection itself is what egress drops, at the source.
    let ip = c.service("default", "web").unwrap().cluster_ip.unwrap();
    let t = c.send(&Request::new(Client::pod("default", "client"), &format!("{ip}:80")));
    assert_eq!(render_outcome(&t.outcome), "dropped");
    assert_eq!(t.hops.last().unwrap().at, "pod/default/client");
}

/// DOCS "Targeting a Namespace by its name": allowing 53/UDP to kube-system by its automatic
/// `kubernetes.io/metadata.name` label fixes the lookups; the connection still needs its own rule.
#[test]
fn a_dns_exception_lets_lookups_through_and_nothing_else() {
    let mut allow_dns = policy("default", "allow-dns", "", &[PolicyType::Egress]);
    allow_dns.egress.push(to_pods(
        "k8s-app=kube-dns",
        Some("kubernetes.io/metadata.name=kube-system"),
        &[(Protocol::Udp, 53), (Protocol::Tcp, 53)],
    ));
    let s = with(with(shop(), policy("default", "deny-egress", "", &[PolicyType::Egress])), allow_dns);
    let t = s.build().send(&Request::new(Client::pod("default", "client"), "web"));
    assert_eq!(render_outcome(&t.outcome), "dropped", "{t}");
    assert_eq!(t.hops[0].action, Action::Resolve, "the lookup succeeds:\n{t}");
    assert_eq!(t.hops.last().unwrap().at, "pod/default/client");

    let mut allow_web = policy("default", "allow-web", "app=client", &[PolicyType::Egress]);
    allow_web.egress.push(to_pods("app=web", None, &[(Protocol::Tcp, 8080)]));
    let t = with(s, allow_web).build().send(&Request::new(Client::pod("default", "client"), "web"));
    assert_eq!(render_outcome(&t.outcome), "delivered default/web:8080", "{t}");
}

/// Policy sees the pod IP and the targetPort after kube-proxy's DNAT: a rule for the Service
/// port (80) admits nothing; one for the targetPort (8080) does.
#[test]
fn policy_sees_the_target_port_not_the_service_port() {
    let rule_on = |port| {
        let mut p = policy("default", "web", "app=web", &[PolicyType::Ingress]);
        p.ingress.push(to_pods("app=client", None, &[(Protocol::Tcp, port)]));
        p
    };
    let c = with(shop(), rule_on(80)).build();
    let t = c.send(&Request::new(Client::pod("default", "client"), "web"));
    assert_eq!(render_outcome(&t.outcome), "dropped", "{t}");
    let hop = t.hops.last().unwrap();
    assert!(hop.explanation.contains("but the connection is to TCP port 8080"), "{}", hop.explanation);
    let c = with(shop(), rule_on(8080)).build();
    let t = c.send(&Request::new(Client::pod("default", "client"), "web"));
    assert_eq!(render_outcome(&t.outcome), "delivered default/web:8080", "{t}");
}

/// The policy hop carries the structured decision: every policy selecting the pod, and the
/// rule that admitted the connection.
#[test]
fn the_policy_hop_names_the_selecting_policies_and_the_rule() {
    let mut p = policy("default", "web", "app=web", &[PolicyType::Ingress]);
    p.ingress.push(to_pods("app=client", None, &[]));
    let c = with(with(shop(), policy("default", "deny-all", "", &[PolicyType::Ingress])), p).build();
    let t = c.send(&Request::new(Client::pod("default", "client"), "web"));
    let hop = t.hops.iter().find(|h| h.action == Action::Allow).expect("a policy hop");
    let check = hop.policy.as_ref().unwrap();
    assert!(check.allowed);
    let ingress = check.ingress.as_ref().unwrap();
    let names: Vec<String> = ingress.selected_by.iter().map(ToString::to_string).collect();
    assert_eq!(names, ["default/deny-all", "default/web"]);
    match &ingress.verdict {
        Verdict::Allowed { by } => assert_eq!(by.to_string(), "default/web rule ingress[0]"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(check.egress.as_ref().unwrap().verdict, Verdict::NotIsolated));
    assert!(hop.objects.iter().any(|o| o.kind == "NetworkPolicy" && o.name == "web"));
}

/// DOCS: "a pod cannot block access to itself": through its own Service, a pod under a
/// default deny reaches itself and no other replica.
#[test]
fn a_pod_reaches_itself_through_its_service_under_default_deny() {
    let c =
        with(shop(), policy("default", "deny-all", "", &[PolicyType::Ingress, PolicyType::Egress])).build();
    let me = c.pods.iter().find(|p| p.spec.labels.get("app").is_some_and(|v| v == "web")).unwrap();
    let ip = c.service("default", "web").unwrap().cluster_ip.unwrap();
    let traces = c.send_all(&Request::new(Client::pod("default", &me.name), &format!("{ip}:80")));
    assert_eq!(traces.len(), 3);
    let delivered: Vec<String> = traces
        .iter()
        .filter_map(|t| match &t.outcome {
            Outcome::Delivered { pod, .. } => Some(pod.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(delivered, [format!("default/{}", me.name)]);
}

/// With no NetworkPolicy in the cluster there is no policy hop at all.
#[test]
fn no_policy_no_policy_hop() {
    let t = shop().build().send(&Request::new(Client::pod("default", "client"), "web"));
    assert!(t.hops.iter().all(|h| h.policy.is_none()), "{t}");
    assert_eq!(render_outcome(&t.outcome), "delivered default/web:8080");
}

/// DOCS "traffic to and from the node where a Pod is running is always allowed": a pod under
/// a default egress deny still reaches its own node, not another node.
#[test]
fn a_pod_always_reaches_its_own_node() {
    let c = with(shop(), policy("default", "deny-egress", "", &[PolicyType::Egress])).build();
    let client = c.pod("default", "client").unwrap();
    let own = c.node(client.node.as_deref().unwrap()).unwrap().ip;
    let other = c.nodes.iter().find(|n| n.ip != own).unwrap().ip;
    let t = c.send(&Request::new(Client::pod("default", "client"), &format!("{own}:6443")));
    assert_eq!(render_outcome(&t.outcome), format!("reached-node {}:6443", client.node.as_deref().unwrap()));
    let t = c.send(&Request::new(Client::pod("default", "client"), &format!("{other}:6443")));
    assert_eq!(render_outcome(&t.outcome), "dropped", "{t}");
}

/// DOCS "Prerequisites": "Network policies are implemented by the network plugin ...
/// creating a NetworkPolicy resource without a controller that implements it will have no
/// effect." With a plugin that ignores them, a default deny blocks nothing, and says so.
#[test]
fn a_plugin_without_policy_support_ignores_every_policy() {
    let s = with(shop(), policy("default", "deny-all", "", &[PolicyType::Ingress, PolicyType::Egress]))
        .topology(|t| t.enforces_network_policy = false);
    let t = s.build().send(&Request::new(Client::pod("default", "client"), "web"));
    assert_eq!(render_outcome(&t.outcome), "delivered default/web:8080", "{t}");
    assert!(t.to_string().contains("NetworkPolicy is not enforced"), "{t}");
}

/// A pod resolves every name through CoreDNS (dnsPolicy ClusterFirst), also a public name an
/// Ingress serves, so a default egress deny without a DNS exception stops that lookup too.
#[test]
fn public_names_are_looked_up_through_cluster_dns_too() {
    let mut s = with(shop(), policy("default", "deny-egress", "", &[PolicyType::Egress]));
    s.scenario.ingresses.push(Ingress {
        name: "site".into(),
        namespace: "default".into(),
        class_name: Some("nginx".into()),
        annotations: Labels::new(),
        default_backend: None,
        rules: vec![IngressRule { host: Some("shop.example.com".into()), paths: Vec::new() }],
        tls: Vec::new(),
        source: None,
    });
    let t = s.build().send(&Request::new(Client::pod("default", "client"), "http://shop.example.com/"));
    let Outcome::Dropped { reason, .. } = &t.outcome else { panic!("want dropped:\n{t}") };
    assert!(reason.starts_with("DNS lookup of shop.example.com times out"), "{reason}");
}
