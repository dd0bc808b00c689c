//! The terminal: kubectl's commands answered from the model, in kubectl's formats.
//! https://kubernetes.io/docs/reference/kubectl/ (get, describe, exec)
mod common;

use common::*;
use netsim::*;

fn cluster() -> Cluster {
    let mut s = shop().svc_type(ServiceType::ClusterIp);
    s.scenario.network_policies.push(NetworkPolicy {
        name: "api-from-web".into(),
        namespace: "backend".into(),
        pod_selector: LabelSelector { match_labels: labels("app=api"), match_expressions: Vec::new() },
        policy_types: vec![PolicyType::Ingress],
        ingress: vec![PolicyRule {
            peers: vec![PolicyPeer::Pods {
                pod_selector: None,
                namespace_selector: Some(LabelSelector::default()),
            }],
            ports: vec![PolicyPort {
                protocol: Protocol::Tcp,
                port: Some(PortRef::Number(9090)),
                end_port: None,
            }],
            source: None,
        }],
        egress: Vec::new(),
        source: None,
    });
    s.build()
}

#[test]
fn kubectl_get_endpoints_lists_ready_pod_addresses() {
    let c = cluster();
    let a = c.shell("kubectl get endpoints");
    assert!(a.ok);
    let mut lines = a.output.lines();
    assert_eq!(lines.next().unwrap().split_whitespace().collect::<Vec<_>>(), ["NAME", "ENDPOINTS", "AGE"]);
    let web = a.output.lines().find(|l| l.starts_with("web ")).expect("web row");
    assert_eq!(web.matches(":8080").count(), 3, "{web}");
    let one = c.shell("kubectl get ep web");
    assert_eq!(one.output.lines().count(), 2, "{}", one.output);
    let missing = c.shell("kubectl get ep nope");
    assert!(
        !missing.ok && missing.output.contains("Error from server (NotFound): endpoints \"nope\" not found")
    );
    let other_ns = c.shell("kubectl get endpoints -n backend");
    assert!(other_ns.output.contains("api "), "{}", other_ns.output);
}

#[test]
fn kubectl_get_svc_hides_the_selector_unless_wide() {
    let c = cluster();
    let plain = c.shell("kubectl get svc");
    assert!(!plain.output.contains("SELECTOR"), "{}", plain.output);
    assert!(plain.output.lines().next().unwrap().starts_with("NAME"));
    let wide = c.shell("kubectl get svc -o wide");
    assert!(wide.output.contains("SELECTOR") && wide.output.contains("app=web"), "{}", wide.output);
    let all = c.shell("kubectl get svc -A");
    assert!(all.output.starts_with("NAMESPACE"), "{}", all.output);
    assert!(all.output.contains("kube-dns"), "{}", all.output);
    let yaml = c.shell("kubectl get svc web -o yaml");
    assert!(!yaml.ok && yaml.output.contains("-o wide is"));
}

#[test]
fn exec_curl_and_wget_speak_in_the_tools_words() {
    let c = cluster();
    let ok = c.shell("kubectl exec client -- curl -s http://web");
    assert!(ok.output.starts_with("HTTP/1.1 200 OK"), "{}", ok.output);
    assert!(ok.trace.as_ref().is_some_and(|t| t.outcome.is_success()));
    let nx = c.shell("kubectl exec client -- curl http://api");
    assert!(nx.output.starts_with("curl: (6) Could not resolve host: api"), "{}", nx.output);
    let w = c.shell("kubectl exec client -- wget -qO- http://api");
    assert!(w.output.starts_with("wget: bad address 'api'"), "{}", w.output);
    let cross = c.shell("kubectl exec -n backend deploy/api -- wget -qO- http://web.default");
    assert!(cross.output.starts_with("HTTP/1.1 200 OK"), "{}", cross.output);
    let refused = c.shell("kubectl exec client -- curl http://web:81");
    assert!(
        refused.output.starts_with("curl: (28)"),
        "a Service port that does not exist times out: {}",
        refused.output
    );
    let gone = c.shell("kubectl exec nobody -- curl http://web");
    assert!(!gone.ok && gone.output.contains("pods \"nobody\" not found"));
}

#[test]
fn nslookup_answers_like_busybox() {
    let c = cluster();
    let a = c.shell("kubectl exec client -- nslookup web");
    assert!(a.output.starts_with("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n"), "{}", a.output);
    assert!(a.output.contains("Name:\tweb.default.svc.cluster.local"), "{}", a.output);
    let nx = c.shell("kubectl exec client -- nslookup api");
    assert!(nx.output.contains("** server can't find api: NXDOMAIN"), "{}", nx.output);
}

#[test]
fn describe_network_policy_follows_kubectl() {
    let c = cluster();
    let a = c.shell("kubectl describe netpol api-from-web -n backend");
    assert!(a.ok, "{}", a.output);
    for want in [
        "Name:         api-from-web",
        "PodSelector:     app=api",
        "Allowing ingress traffic:",
        "To Port: 9090/TCP",
        "NamespaceSelector: ",
        "Not affecting egress traffic",
        "Policy Types: Ingress",
    ] {
        assert!(a.output.contains(want), "missing {want:?} in\n{}", a.output);
    }
    let table = c.shell("kubectl get netpol -A");
    assert!(table.output.contains("api-from-web") && table.output.contains("app=api"), "{}", table.output);
}

#[test]
fn node_shell_prints_kube_proxy_rules_and_bad_input_is_an_error() {
    let c = cluster();
    let a = c.shell("kubectl node-shell node-1 -- iptables-save -t nat");
    assert!(a.output.contains("-A KUBE-SERVICES"), "{}", a.output);
    for line in [
        "kubectl frobnicate",
        "rm -rf /",
        "kubectl get",
        "kubectl get svc -n",
        "kubectl get widgets",
        "kubectl exec client",
        "kubectl node-shell nope -- iptables-save",
    ] {
        let a = c.shell(line);
        assert!(!a.ok && !a.output.is_empty(), "{line}: {}", a.output);
    }
    assert!(c.shell("help").output.contains("kubectl get"));
}

#[test]
fn completion_offers_commands_kinds_and_names() {
    let c = cluster();
    assert!(c.completions("kub").contains(&"kubectl".to_string()));
    assert!(c.completions("kubectl get ").contains(&"endpoints".to_string()));
    assert_eq!(c.completions("kubectl get endp"), ["endpoints", "endpointslices"]);
    assert!(c.completions("kubectl exec cli").contains(&"client".to_string()));
    assert!(c.completions("kubectl get svc -n ").contains(&"backend".to_string()));
}

/// Any line, however mangled, gets an answer and never a panic.
#[test]
fn random_lines_never_panic() {
    let c = cluster();
    let words = [
        "kubectl",
        "get",
        "describe",
        "exec",
        "node-shell",
        "--",
        "-n",
        "-A",
        "-o",
        "wide",
        "yaml",
        "svc",
        "pods",
        "ep",
        "ingress",
        "netpol",
        "nodes",
        "client",
        "web",
        "deploy/api",
        "curl",
        "wget",
        "-qO-",
        "nslookup",
        "http://web",
        "http://",
        "://",
        "web:99999",
        "iptables-save",
        "-t",
        "nat",
        "node-1",
        "backend",
        "",
        "--namespace=",
        "-o=wide",
        "localhost",
        "127.0.0.1:1",
    ];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..3000 {
        let mut line = Vec::new();
        for _ in 0..(seed % 7) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            line.push(words[(seed % words.len() as u64) as usize]);
        }
        seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let line = line.join(" ");
        let _ = c.shell(&line);
        let _ = c.completions(&line);
    }
}
