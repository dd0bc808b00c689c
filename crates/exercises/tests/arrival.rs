//! Where a delivered request arrives: `sees_source` (the source address the pod sees),
//! `lands_on: same-node` and `on_node`; and the nodes a cloud load balancer targets
//! (`load_balancer`). Each case is a Service, a check and what the grader says, from the
//! behaviour the Kubernetes docs give:
//! - https://kubernetes.io/docs/tutorials/services/source-ip/ (a ClusterIP keeps the pod's
//!   address; NodePort and LoadBalancer with `externalTrafficPolicy: Cluster` masquerade to
//!   the receiving node's address, `Local` keeps the client's and never leaves the node);
//! - https://kubernetes.io/docs/reference/networking/virtual-ips/#external-traffic-policy
//! - https://kubernetes.io/docs/concepts/services-networking/service-traffic-policy/
//!   (`internalTrafficPolicy: Local`: only endpoints on the client's node);
//! - https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/#preserving-the-client-source-ip
//!   (under `Local` the load balancer's health check fails on nodes without an endpoint).
//!
//! And kube-proxy's chains on a node (`kube_proxy` with `chain:`), as `syncProxyRules` in
//! kubernetes/kubernetes pkg/proxy/iptables/proxier.go writes them: the cluster IP jumps to
//! the internal policy chain (KUBE-SVC, or KUBE-SVL under `internalTrafficPolicy: Local`,
//! DROPped in the filter table when the node has no local endpoint); the nodePort
//! (KUBE-NODEPORTS) and the load balancer IP (KUBE-SERVICES, through KUBE-FW with
//! loadBalancerSourceRanges) jump to KUBE-EXT, which sends traffic from outside to KUBE-SVC,
//! or to KUBE-SVL under `externalTrafficPolicy: Local` (no rule when the node has no local
//! endpoint); KUBE-SVL holds this node's endpoints and exists only when a policy is Local.

use exercises::{grade, load};
use manifest::SourceFile;

/// The web pod runs on node-2; a client pod runs on node-1 and one on node-2.
const CLUSTER: &str = "
    apiVersion: v1
    kind: Namespace
    metadata: {name: shop}
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web, namespace: shop}
    spec:
      replicas: 1
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-2}
          containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: near, namespace: shop, labels: {app: client}}
    spec:
      nodeName: node-2
      containers: [{name: c, image: busybox}]
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: far, namespace: shop, labels: {app: client}}
    spec:
      nodeName: node-1
      containers: [{name: c, image: busybox}]";

/// The web Service with `spec` lines added (indented by six).
fn service(spec: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata: {{name: web, namespace: shop}}\nspec:\n  selector: {{app: web}}\n  ports: [{{port: 80, targetPort: 8080}}]\n{}",
        spec.lines().map(|l| format!("  {l}\n")).collect::<String>()
    )
}

fn indent(text: &str, by: usize) -> String {
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| format!("{}{l}\n", " ".repeat(by))).collect()
}

/// (passed, explanation) of one check (`kind: {fields}`) with `service.yaml` holding the
/// Service of `spec`.
fn judge(spec: &str, check: &str) -> (bool, String) {
    judge_in(spec, check, "")
}

/// [`judge`] with `topology` lines (`topology: {...}\n`) in the exercise.
fn judge_in(spec: &str, check: &str, topology: &str) -> (bool, String) {
    let cluster: String = CLUSTER.lines().map(|l| l.get(4..).unwrap_or("")).collect::<Vec<_>>().join("\n");
    let file = service(spec);
    let text = format!(
        "id: arrival\nchapter: checks\ntitle: Arrival\nlevel: beginner\nconcepts: [S1]\nstory: s\n{topology}cluster: |\n{}files:\n  - name: service.yaml\n    text: |\n{}checks:\n  - title: t\n    {check}\nhints: [a, b]\nsolution:\n  - name: service.yaml\n    text: |\n{}",
        indent(&cluster, 2),
        indent(&file, 6),
        indent(&file, 6)
    );
    let loaded = load("arrival.yaml", &text);
    let ex = loaded.exercise.unwrap_or_else(|| panic!("{text}\n{:#?}", loaded.diagnostics));
    let files = [SourceFile { name: "service.yaml".into(), text: file }];
    let r = grade(&ex, &files).results.remove(0);
    (r.passed, r.explanation)
}

const LB: &str = "type: LoadBalancer";
const LB_LOCAL: &str = "type: LoadBalancer\nexternalTrafficPolicy: Local";
const NODE_PORT: &str = "type: NodePort";
const CLUSTER_IP: &str = "";
const INTERNAL_LOCAL: &str = "internalTrafficPolicy: Local";
const PARTNER: &str = "from: outside/192.0.2.25, to: loadbalancer/shop/web, expect: delivered";
const FAR: &str = "from: pod/shop/far, to: http://web, expect: delivered";
const NEAR: &str = "from: pod/shop/near, to: http://web, expect: delivered";

/// (the Service's spec, the check's fields besides the request, passes, said).
const CASES: &[(&str, &str, &str, bool, &str)] = &[
    // externalTrafficPolicy Cluster: every node the load balancer picks masquerades.
    (LB, PARTNER, "sees_source: node", true, "the pod sees the source 192.168.49."),
    (LB, PARTNER, "sees_source: client", false, "but the pod sees the source 192.168.49.2 (node-1's address, after SNAT), not the client's own address 192.0.2.25"),
    (LB, PARTNER, "sees_source: 192.0.2.25", false, "(node-1's address, after SNAT), not 192.0.2.25"),
    (LB, PARTNER, "lands_on: same-node", false, "on node-2, but node-1 received the request: it was forwarded to another node"),
    (LB, PARTNER, "on_node: node-2", true, "on node-2"),
    (LB, PARTNER, "on_node: node-3", false, "on node-2, not on node-3"),
    // externalTrafficPolicy Local: the client's address, and only node-2 is targeted.
    (LB_LOCAL, PARTNER, "sees_source: client", true, "the pod sees the source 192.0.2.25 (the client's own address)"),
    (LB_LOCAL, PARTNER, "sees_source: node", false, "not a node's address"),
    (LB_LOCAL, PARTNER, "lands_on: same-node, on_node: node-2", true, "on node-2, the node that received it"),
    // A NodePort hop: the node whose port the client used masquerades under Cluster.
    (NODE_PORT, "from: outside/192.0.2.25, to: nodeport/shop/web, node: node-3, expect: delivered", "sees_source: 192.168.49.4", true, "192.168.49.4 (node-3's address, after SNAT)"),
    (NODE_PORT, "from: outside/192.0.2.25, to: nodeport/shop/web, node: node-3, expect: delivered", "lands_on: same-node", false, "but node-3 received the request"),
    (NODE_PORT, "from: outside/192.0.2.25, to: nodeport/shop/web, node: node-2, expect: delivered", "lands_on: same-node", true, "on node-2, the node that received it"),
    // A ClusterIP from a pod: no SNAT; the client's own node receives it.
    (CLUSTER_IP, FAR, "sees_source: client", true, "(the client's own address)"),
    (CLUSTER_IP, FAR, "lands_on: same-node", false, "on node-2, but node-1 received the request"),
    (CLUSTER_IP, NEAR, "lands_on: same-node", true, "on node-2, the node that received it"),
    (INTERNAL_LOCAL, NEAR, "lands_on: same-node, sees_source: client", true, "on node-2, the node that received it; the pod sees the source"),
    // A pod IP from another node is routed there: it never lands on the client's node.
    (CLUSTER_IP, "from: pod/shop/far, to: pod/shop/web, port: 8080, expect: delivered", "lands_on: same-node", false, "but node-1 received the request"),
];

#[test]
fn where_a_request_arrives() {
    let mut wrong = Vec::new();
    for (spec, request, arrival, passes, said) in CASES {
        let (passed, explanation) = judge(spec, &format!("request: {{{request}, {arrival}}}"));
        if passed != *passes || !explanation.contains(said) {
            wrong.push(format!("{spec:?} {request} {arrival}: passed {passed}: {explanation}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// (the Service's spec, the `load_balancer` check's fields, passes, said).
const TARGETS: &[(&str, &str, bool, &str)] = &[
    (LB, "nodes: [node-1, node-2, node-3]", true, "sends port 80/TCP to node-1, node-2, node-3 (externalTrafficPolicy Cluster: every node passes the health check"),
    (LB, "nodes: [node-3, node-1, node-2], port: 80", true, "to node-1, node-2, node-3"),
    (LB, "nodes: [node-2]", false, "expected node-2, but the load balancer of shop/web sends port 80/TCP to node-1, node-2, node-3"),
    (LB_LOCAL, "nodes: [node-2]", true, "to node-2 (externalTrafficPolicy Local: only the nodes with a ready endpoint pass the health check)"),
    (LB_LOCAL, "nodes: [node-1, node-2, node-3]", false, "but the load balancer of shop/web sends port 80/TCP to node-2"),
    (LB, "nodes: [node-2], port: 81", false, "Service shop/web has no port 81/TCP"),
    (NODE_PORT, "nodes: []", false, "Service shop/web is of type NodePort: no cloud load balancer sends it traffic"),
];

#[test]
fn the_nodes_a_load_balancer_targets() {
    let mut wrong = Vec::new();
    for (spec, fields, passes, said) in TARGETS {
        let (passed, explanation) = judge(spec, &format!("load_balancer: {{service: shop/web, {fields}}}"));
        if passed != *passes || !explanation.contains(said) {
            wrong.push(format!("{spec:?} {fields}: passed {passed}: {explanation}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// On a laptop cluster (no cloud provider) a LoadBalancer Service stays `<pending>`: no load
/// balancer sends anything to any node.
/// https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer
#[test]
fn a_pending_load_balancer_targets_nothing() {
    let laptop = "topology: {cloud_load_balancer: false}\n";
    let (passed, explanation) = judge_in(LB, "load_balancer: {service: shop/web, nodes: []}", laptop);
    assert!(!passed && explanation.contains("has no external IP (<pending>)"), "{explanation}");
}

/// (the Service's spec, the `kube_proxy` check's fields, passes, said). The web pod runs on
/// node-2 only.
const CHAINS: &[(&str, &str, bool, &str)] = &[
    (
        CLUSTER_IP,
        "endpoints: 1",
        true,
        "on node-1, the cluster IP of shop/web:80 (KUBE-SERVICES) goes to KUBE-SVC-",
    ),
    (CLUSTER_IP, "chain: cluster, endpoints: 2", false, "expected 2 endpoint chains, but on node-1"),
    (INTERNAL_LOCAL, "chain: cluster, node: node-2, endpoints: 1", true, "goes to KUBE-SVL-"),
    (
        INTERNAL_LOCAL,
        "chain: cluster, node: node-1, endpoints: 0",
        true,
        "has no local endpoints: the filter table DROPs it",
    ),
    (INTERNAL_LOCAL, "chain: local, node: node-2, endpoints: 1", true, "on node-2, KUBE-SVL-"),
    (
        INTERNAL_LOCAL,
        "chain: local, node: node-1, endpoints: 0",
        true,
        "node-1 has no KUBE-SVL chain for shop/web:80: no endpoint of it runs there",
    ),
    (NODE_PORT, "chain: nodeport, node: node-1, endpoints: 1", true, "(KUBE-NODEPORTS) goes to KUBE-EXT-"),
    (
        NODE_PORT,
        "chain: local, endpoints: 0",
        false,
        "both traffic policies are Cluster: kube-proxy writes no KUBE-SVL chain",
    ),
    (
        CLUSTER_IP,
        "chain: nodeport, endpoints: 1",
        false,
        "Service shop/web is of type ClusterIP: port 80 has no nodePort",
    ),
    (LB_LOCAL, "chain: nodeport, node: node-1, endpoints: 0", true, "stops in KUBE-EXT-"),
    (
        LB_LOCAL,
        "chain: load-balancer, node: node-1, endpoints: 1",
        false,
        "no rule there takes traffic from outside (externalTrafficPolicy Local, and no endpoint on node-1)",
    ),
    (LB_LOCAL, "chain: load-balancer, node: node-2, endpoints: 1", true, "then KUBE-SVL-"),
    (LB_LOCAL, "chain: local, node: node-2, endpoints: 1", true, "KUBE-SVL-"),
    (
        "type: LoadBalancer\nloadBalancerSourceRanges: [192.0.2.0/24]",
        "chain: load-balancer, endpoints: 1",
        true,
        "goes to KUBE-FW-",
    ),
    (NODE_PORT, "chain: load-balancer, endpoints: 1", false, "Service shop/web has no load balancer IP"),
];

#[test]
fn kube_proxy_chains_on_a_node() {
    let mut wrong = Vec::new();
    for (spec, fields, passes, said) in CHAINS {
        let (passed, explanation) =
            judge(spec, &format!("kube_proxy: {{service: shop/web, port: 80, {fields}}}"));
        if passed != *passes || !explanation.contains(said) {
            wrong.push(format!("{spec:?} {fields}: passed {passed}: {explanation}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
