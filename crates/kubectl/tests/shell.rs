//! The terminal: kubectl's commands answered from the model, in kubectl's formats.
//! https://kubernetes.io/docs/reference/kubectl/ (get, describe, exec, run)
#[path = "../../netsim/tests/common/mod.rs"]
mod common;

use common::*;
use expect_test::{expect, Expect};
use kubectl::Session;
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
    let a = kubectl::run(&c, &mut Session::default(), "kubectl get endpoints");
    assert!(a.ok);
    let mut lines = a.output.lines();
    assert_eq!(lines.next().unwrap().split_whitespace().collect::<Vec<_>>(), ["NAME", "ENDPOINTS", "AGE"]);
    let web = a.output.lines().find(|l| l.starts_with("web ")).expect("web row");
    assert_eq!(web.matches(":8080").count(), 3, "{web}");
    let one = kubectl::run(&c, &mut Session::default(), "kubectl get ep web");
    assert_eq!(one.output.lines().count(), 2, "{}", one.output);
    let missing = kubectl::run(&c, &mut Session::default(), "kubectl get ep nope");
    assert!(
        !missing.ok && missing.output.contains("Error from server (NotFound): endpoints \"nope\" not found")
    );
    let other_ns = kubectl::run(&c, &mut Session::default(), "kubectl get endpoints -n backend");
    assert!(other_ns.output.contains("api "), "{}", other_ns.output);
}

#[test]
fn kubectl_get_svc_hides_the_selector_unless_wide() {
    let c = cluster();
    let plain = kubectl::run(&c, &mut Session::default(), "kubectl get svc");
    assert!(!plain.output.contains("SELECTOR"), "{}", plain.output);
    assert!(plain.output.lines().next().unwrap().starts_with("NAME"));
    let wide = kubectl::run(&c, &mut Session::default(), "kubectl get svc -o wide");
    assert!(wide.output.contains("SELECTOR") && wide.output.contains("app=web"), "{}", wide.output);
    let all = kubectl::run(&c, &mut Session::default(), "kubectl get svc -A");
    assert!(all.output.starts_with("NAMESPACE"), "{}", all.output);
    assert!(all.output.contains("kube-dns"), "{}", all.output);
    let json = kubectl::run(&c, &mut Session::default(), "kubectl get svc web -o json");
    assert!(!json.ok && json.output.contains("-o wide and -o yaml are"), "{}", json.output);
}

#[test]
fn exec_curl_and_wget_speak_in_the_tools_words() {
    let c = cluster();
    let ok = kubectl::run(&c, &mut Session::default(), "kubectl exec client -- curl -s http://web");
    assert!(ok.output.starts_with("HTTP/1.1 200 OK"), "{}", ok.output);
    assert!(ok.trace.as_ref().is_some_and(|t| t.outcome.is_success()));
    let nx = kubectl::run(&c, &mut Session::default(), "kubectl exec client -- curl http://api");
    assert!(nx.output.starts_with("curl: (6) Could not resolve host: api"), "{}", nx.output);
    let w = kubectl::run(&c, &mut Session::default(), "kubectl exec client -- wget -qO- http://api");
    assert!(w.output.starts_with("wget: bad address 'api'"), "{}", w.output);
    let cross = kubectl::run(
        &c,
        &mut Session::default(),
        "kubectl exec -n backend deploy/api -- wget -qO- http://web.default",
    );
    assert!(cross.output.starts_with("HTTP/1.1 200 OK"), "{}", cross.output);
    let refused = kubectl::run(&c, &mut Session::default(), "kubectl exec client -- curl http://web:81");
    assert!(
        refused.output.starts_with("curl: (28)"),
        "a Service port that does not exist times out: {}",
        refused.output
    );
    let gone = kubectl::run(&c, &mut Session::default(), "kubectl exec nobody -- curl http://web");
    assert!(!gone.ok && gone.output.contains("pods \"nobody\" not found"));
}

/// `Answer::exit_zero` is the exit code a shell would see: curl, wget and nslookup exit
/// non-zero when the request is not answered or the name is not found, and `kubectl exec`
/// and an attached `kubectl run` pass that on; errors never exit 0.
#[test]
fn exit_zero_follows_the_tools_exit_codes() {
    let c = cluster();
    for (line, ok, exit_zero) in [
        ("kubectl get pods", true, true),
        ("kubectl exec client -- curl -s http://web", true, true),
        ("kubectl exec client -- curl http://api", true, false),
        ("kubectl exec client -- wget -qO- http://web:81", true, false),
        ("kubectl exec client -- nslookup web", true, true),
        ("kubectl exec client -- nslookup api", true, false),
        ("nslookup no-such-name.invalid", true, false),
        ("kubectl run probe --image=busybox --rm -it --restart=Never -- wget -qO- http://api", true, false),
        ("kubectl run probe --image=busybox --restart=Never -- wget -qO- http://api", true, true),
        ("kubectl get pods nobody", false, false),
        ("frobnicate", false, false),
    ] {
        let a = kubectl::run(&c, &mut Session::default(), line);
        assert_eq!((a.ok, a.exit_zero), (ok, exit_zero), "{line}: {}", a.output);
    }
}

#[test]
fn nslookup_answers_like_busybox() {
    let c = cluster();
    let a = kubectl::run(&c, &mut Session::default(), "kubectl exec client -- nslookup web");
    assert!(a.output.starts_with("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n"), "{}", a.output);
    assert!(a.output.contains("Name:\tweb.default.svc.cluster.local"), "{}", a.output);
    let nx = kubectl::run(&c, &mut Session::default(), "kubectl exec client -- nslookup api");
    assert!(nx.output.contains("** server can't find api: NXDOMAIN"), "{}", nx.output);
}

#[test]
fn describe_network_policy_follows_kubectl() {
    let c = cluster();
    let a = kubectl::run(&c, &mut Session::default(), "kubectl describe netpol api-from-web -n backend");
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
    let table = kubectl::run(&c, &mut Session::default(), "kubectl get netpol -A");
    assert!(table.output.contains("api-from-web") && table.output.contains("app=api"), "{}", table.output);
}

#[test]
fn node_shell_prints_kube_proxy_rules_and_bad_input_is_an_error() {
    let c = cluster();
    let a = kubectl::run(&c, &mut Session::default(), "kubectl node-shell node-1 -- iptables-save -t nat");
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
        let a = kubectl::run(&c, &mut Session::default(), line);
        assert!(!a.ok && !a.output.is_empty(), "{line}: {}", a.output);
    }
    assert!(kubectl::run(&c, &mut Session::default(), "help").output.contains("kubectl get"));
}

#[test]
fn completion_offers_commands_kinds_and_names() {
    let c = cluster();
    assert!(kubectl::completions(&c, &Session::default(), "kub").contains(&"kubectl".to_string()));
    assert!(kubectl::completions(&c, &Session::default(), "kubectl get ").contains(&"endpoints".to_string()));
    assert_eq!(
        kubectl::completions(&c, &Session::default(), "kubectl get endp"),
        ["endpoints", "endpointslices"]
    );
    assert!(kubectl::completions(&c, &Session::default(), "kubectl exec cli").contains(&"client".to_string()));
    assert!(
        kubectl::completions(&c, &Session::default(), "kubectl get svc -n ").contains(&"backend".to_string())
    );
}

/// After a kind, completion offers the names of that kind's objects (of every namespace);
/// after `kubectl describe`, only for the kinds it describes.
#[test]
fn completion_offers_the_names_of_the_kind_asked_for() {
    let c = cluster();
    let s = Session::default();
    assert!(kubectl::completions(&c, &s, "kubectl get svc ").contains(&"api".to_string()));
    assert_eq!(kubectl::completions(&c, &s, "kubectl get po cli"), ["client"]);
    assert_eq!(kubectl::completions(&c, &s, "kubectl get netpol "), ["api-from-web"]);
    assert_eq!(kubectl::completions(&c, &s, "kubectl describe networkpolicies a"), ["api-from-web"]);
    assert!(kubectl::completions(&c, &s, "kubectl get nodes ").contains(&"node-1".to_string()));
    let described = kubectl::completions(&c, &s, "kubectl describe ");
    if cfg!(feature = "gateway-api") {
        let every = [
            "anp",
            "banp",
            "cnp",
            "gatewayclasses",
            "gateways",
            "grpcroutes",
            "httproutes",
            "ingress",
            "networkpolicy",
            "referencegrants",
            "svc",
        ];
        assert_eq!(described, every);
    } else {
        assert_eq!(described, ["ingress", "networkpolicy", "svc"]);
    }
    assert!(!kubectl::completions(&c, &s, "kubectl describe pods ").contains(&"client".to_string()));
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
        "run",
        "tmp",
        "--image=busybox",
        "--image",
        "--rm",
        "-it",
        "-i",
        "--restart=Never",
        "--restart",
        "--labels=run=tmp",
        "--labels=a",
        "-l",
        "--attach=false",
        "-q",
        "-oyaml",
        "--output=yaml",
        "endpointslices",
    ];
    let mut rng = netsim::rng::SplitMix64::new(0x2545_f491_4f6c_dd1d);
    for _ in 0..3000 {
        let mut line = Vec::new();
        for _ in 0..rng.below(7) {
            line.push(*rng.pick(&words));
        }
        let line = line.join(" ");
        let _ = kubectl::run(&c, &mut Session::default(), &line);
        let _ = kubectl::completions(&c, &Session::default(), &line);
    }
}

/// A cluster with one of each thing `-o yaml` prints differently: a ClusterIP Service with
/// labels, a LoadBalancer with a named targetPort, a headless Service of a StatefulSet in its
/// own namespace, an ExternalName, ClientIP affinity, an Ingress with TLS, a NetworkPolicy
/// with every kind of peer.
fn yaml_cluster() -> Cluster {
    let mut s = scenario()
        .deployment("default", "web", 2, "app=web", &["http:8080"])
        .svc("default", "web", "app=web", &["http 80->8080"])
        .with_svc(|s| s.labels = labels("app=web"))
        .pod_on("node-1", "default", "client", "app=client", &[])
        .svc("default", "lb", "app=web", &["http 80->http"])
        .svc_type(ServiceType::LoadBalancer)
        .svc("default", "ext", "", &[])
        .with_svc(|s| {
            s.service_type = ServiceType::ExternalName;
            s.external_name = Some("example.com".into());
        })
        .svc("default", "sticky", "app=web", &["80->8080"])
        .with_svc(|s| s.session_affinity = SessionAffinity::ClientIp { timeout_seconds: 10800 })
        .namespace("data", "team=data")
        .statefulset("data", "db", 2, "db", "app=db", &["pg:5432"])
        .svc("data", "db", "app=db", &["pg 5432->pg"])
        .with_svc(|s| s.cluster_ip = ClusterIpSpec::Headless);
    s.scenario.ingresses.push(Ingress {
        name: "shop".into(),
        namespace: "default".into(),
        annotations: labels("nginx.ingress.kubernetes.io/ssl-redirect=false"),
        class_name: Some("nginx".into()),
        default_backend: None,
        rules: vec![IngressRule {
            host: Some("*.shop.example.com".into()),
            paths: vec![IngressPath {
                path: Some("/".into()),
                path_type: PathType::Prefix,
                backend: IngressBackend::Service { name: "web".into(), port: PortRef::Number(80) },
                source: None,
            }],
        }],
        tls: vec![IngressTls {
            hosts: vec!["*.shop.example.com".into()],
            secret_name: Some("shop-tls".into()),
        }],
        source: None,
    });
    s.scenario.network_policies.push(NetworkPolicy {
        name: "db-from-web".into(),
        namespace: "data".into(),
        pod_selector: LabelSelector { match_labels: labels("app=db"), match_expressions: Vec::new() },
        policy_types: vec![PolicyType::Ingress, PolicyType::Egress],
        ingress: vec![PolicyRule {
            peers: vec![
                PolicyPeer::Pods {
                    pod_selector: Some(LabelSelector {
                        match_labels: Labels::new(),
                        match_expressions: vec![LabelRequirement {
                            key: "app".into(),
                            operator: SelectorOperator::In,
                            values: vec!["web".into()],
                        }],
                    }),
                    namespace_selector: Some(LabelSelector::default()),
                },
                PolicyPeer::IpBlock {
                    cidr: Cidr::parse("10.0.0.0/8").unwrap(),
                    except: vec![Cidr::parse("10.244.0.0/16").unwrap()],
                },
            ],
            ports: vec![PolicyPort {
                protocol: Protocol::Tcp,
                port: Some(PortRef::Name("pg".into())),
                end_port: None,
            }],
            source: None,
        }],
        egress: vec![PolicyRule { peers: Vec::new(), ports: Vec::new(), source: None }],
        source: None,
    });
    s.build()
}

fn yaml(c: &Cluster, line: &str, want: Expect) {
    let a = kubectl::run(c, &mut Session::default(), line);
    assert!(a.ok, "{line}: {}", a.output);
    want.assert_eq(&a.output);
}

/// https://kubernetes.io/docs/reference/kubectl/#output-options (`-o yaml`): a Service as the
/// API server returns it, with its allocated clusterIP and the defaults filled in.
#[test]
fn kubectl_get_svc_o_yaml_shows_the_allocated_ip_and_defaults() {
    let c = yaml_cluster();
    yaml(
        &c,
        "kubectl get svc web -o yaml",
        expect![[r#"
        apiVersion: v1
        kind: Service
        metadata:
          labels:
            app: web
          name: web
          namespace: default
        spec:
          clusterIP: 10.109.202.138
          clusterIPs:
          - 10.109.202.138
          internalTrafficPolicy: Cluster
          ipFamilies:
          - IPv4
          ipFamilyPolicy: SingleStack
          ports:
          - name: http
            port: 80
            protocol: TCP
            targetPort: 8080
          selector:
            app: web
          sessionAffinity: None
          type: ClusterIP
        status:
          loadBalancer: {}
    "#]],
    );
    yaml(
        &c,
        "kubectl get service lb --output=yaml",
        expect![[r#"
        apiVersion: v1
        kind: Service
        metadata:
          name: lb
          namespace: default
        spec:
          allocateLoadBalancerNodePorts: true
          clusterIP: 10.99.221.108
          clusterIPs:
          - 10.99.221.108
          externalTrafficPolicy: Cluster
          internalTrafficPolicy: Cluster
          ipFamilies:
          - IPv4
          ipFamilyPolicy: SingleStack
          ports:
          - name: http
            nodePort: 32070
            port: 80
            protocol: TCP
            targetPort: http
          selector:
            app: web
          sessionAffinity: None
          type: LoadBalancer
        status:
          loadBalancer:
            ingress:
            - ip: 203.0.113.1
              ipMode: VIP
    "#]],
    );
    let ext = kubectl::run(&c, &mut Session::default(), "kubectl get svc ext -oyaml").output;
    assert!(ext.contains("  externalName: example.com\n") && !ext.contains("clusterIP"), "{ext}");
    assert!(!ext.contains("ipFamilies"), "ExternalName Services have no IP families: {ext}");
    let sticky = kubectl::run(&c, &mut Session::default(), "kubectl get svc sticky -o yaml").output;
    assert!(
        sticky.contains("  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 10800\n"),
        "{sticky}"
    );
    let headless = kubectl::run(&c, &mut Session::default(), "kubectl get svc db -n data -o yaml").output;
    assert!(headless.contains("  clusterIP: None\n  clusterIPs:\n  - None\n"), "{headless}");
}

/// https://kubernetes.io/docs/reference/kubectl/generated/kubectl_get/: a pod with its node,
/// addresses and phase; a Deployment's pod names its ReplicaSet as owner.
#[test]
fn kubectl_get_pod_o_yaml_shows_node_addresses_and_owner() {
    let c = yaml_cluster();
    yaml(
        &c,
        "kubectl get pod client -o yaml",
        expect![[r#"
        apiVersion: v1
        kind: Pod
        metadata:
          labels:
            app: client
          name: client
          namespace: default
        spec:
          containers:
          - name: app
          dnsPolicy: ClusterFirst
          enableServiceLinks: true
          nodeName: node-1
        status:
          conditions:
          - status: "True"
            type: Ready
          - status: "True"
            type: PodScheduled
          hostIP: 192.168.49.2
          hostIPs:
          - ip: 192.168.49.2
          phase: Running
          podIP: 10.244.0.4
          podIPs:
          - ip: 10.244.0.4
    "#]],
    );
    let web = c.pods.iter().find(|p| p.name.starts_with("web-")).unwrap();
    let text =
        kubectl::run(&c, &mut Session::default(), &format!("kubectl get pod {} -o yaml", web.name)).output;
    let hash = &web.spec.labels["pod-template-hash"];
    assert!(text.contains(&format!("    kind: ReplicaSet\n    name: web-{hash}\n")), "{text}");
    assert!(text.contains("    - containerPort: 8080\n      name: http\n      protocol: TCP\n"), "{text}");
}

#[test]
fn kubectl_get_endpoints_o_yaml_is_the_legacy_subsets_form() {
    let c = yaml_cluster();
    yaml(
        &c,
        "kubectl get endpoints web -o yaml",
        expect![[r#"
        apiVersion: v1
        kind: Endpoints
        metadata:
          labels:
            app: web
          name: web
          namespace: default
        subsets:
        - addresses:
          - ip: 10.244.0.5
            nodeName: node-1
            targetRef:
              kind: Pod
              name: web-4b779ff549-xh8rk
              namespace: default
          - ip: 10.244.2.2
            nodeName: node-3
            targetRef:
              kind: Pod
              name: web-4b779ff549-dr6nd
              namespace: default
          ports:
          - name: http
            port: 8080
            protocol: TCP
    "#]],
    );
}

/// Without a name `-o yaml` prints kubectl's `List`, here of a headless Service's slice.
#[test]
fn kubectl_get_endpointslices_o_yaml_is_a_list() {
    let c = yaml_cluster();
    yaml(
        &c,
        "kubectl get endpointslices -n data -o yaml",
        expect![[r#"
        apiVersion: v1
        items:
        - addressType: IPv4
          apiVersion: discovery.k8s.io/v1
          endpoints:
          - addresses:
            - 10.244.0.3
            conditions:
              ready: true
              serving: true
              terminating: false
            hostname: db-0
            nodeName: node-1
            targetRef:
              kind: Pod
              name: db-0
              namespace: data
          - addresses:
            - 10.244.1.3
            conditions:
              ready: true
              serving: true
              terminating: false
            hostname: db-1
            nodeName: node-2
            targetRef:
              kind: Pod
              name: db-1
              namespace: data
          kind: EndpointSlice
          metadata:
            generateName: db-
            labels:
              endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io
              kubernetes.io/service-name: db
              service.kubernetes.io/headless: ""
            name: db-trrqw
            namespace: data
            ownerReferences:
            - apiVersion: v1
              blockOwnerDeletion: true
              controller: true
              kind: Service
              name: db
          ports:
          - name: pg
            port: 5432
            protocol: TCP
        kind: List
        metadata:
          resourceVersion: ""
    "#]],
    );
}

#[test]
fn kubectl_get_ingress_o_yaml_shows_the_controllers_address() {
    let c = yaml_cluster();
    yaml(
        &c,
        "kubectl get ingress shop -o yaml",
        expect![[r#"
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          annotations:
            nginx.ingress.kubernetes.io/ssl-redirect: "false"
          name: shop
          namespace: default
        spec:
          ingressClassName: nginx
          rules:
          - host: '*.shop.example.com'
            http:
              paths:
              - backend:
                  service:
                    name: web
                    port:
                      number: 80
                path: /
                pathType: Prefix
          tls:
          - hosts:
            - '*.shop.example.com'
            secretName: shop-tls
        status:
          loadBalancer:
            ingress:
            - ip: 203.0.113.2
    "#]],
    );
}

#[test]
fn kubectl_get_networkpolicy_o_yaml_shows_the_spec_as_modelled() {
    let c = yaml_cluster();
    yaml(
        &c,
        "kubectl get netpol db-from-web -n data -o yaml",
        expect![[r#"
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: db-from-web
          namespace: data
        spec:
          egress:
          - {}
          ingress:
          - from:
            - namespaceSelector: {}
              podSelector:
                matchExpressions:
                - key: app
                  operator: In
                  values:
                  - web
            - ipBlock:
                cidr: 10.0.0.0/8
                except:
                - 10.244.0.0/16
            ports:
            - port: pg
              protocol: TCP
          podSelector:
            matchLabels:
              app: db
          policyTypes:
          - Ingress
          - Egress
    "#]],
    );
}

#[test]
fn kubectl_get_node_o_yaml_shows_its_pod_cidr_and_addresses() {
    let c = yaml_cluster();
    yaml(
        &c,
        "kubectl get node node-1 -o yaml",
        expect![[r#"
            apiVersion: v1
            kind: Node
            metadata:
              labels:
                kubernetes.io/arch: amd64
                kubernetes.io/hostname: node-1
                kubernetes.io/os: linux
                node-role.kubernetes.io/control-plane: ""
                topology.kubernetes.io/zone: zone-a
              name: node-1
            spec:
              podCIDR: 10.244.0.0/24
              podCIDRs:
              - 10.244.0.0/24
            status:
              addresses:
              - address: 192.168.49.2
                type: InternalIP
              - address: node-1
                type: Hostname
              conditions:
              - message: kubelet is posting ready status
                reason: KubeletReady
                status: "True"
                type: Ready
              nodeInfo:
                kubeletVersion: v1.35.0
        "#]],
    );
}

#[test]
fn kubectl_get_o_yaml_lists_names_errors_and_empty_lists_like_kubectl() {
    let c = yaml_cluster();
    yaml(
        &c,
        "kubectl get netpol -o yaml",
        expect![[r#"
        apiVersion: v1
        items: []
        kind: List
        metadata:
          resourceVersion: ""
    "#]],
    );
    let list = kubectl::run(&c, &mut Session::default(), "kubectl get svc -A -o yaml").output;
    assert!(list.starts_with("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Service\n"), "{list}");
    assert!(list.ends_with("kind: List\nmetadata:\n  resourceVersion: \"\"\n"), "{list}");
    for kind in ["svc", "pods", "endpoints", "endpointslices", "ingress", "networkpolicy", "nodes"] {
        let a = kubectl::run(&c, &mut Session::default(), &format!("kubectl get {kind} -A -o yaml"));
        assert!(a.ok && a.output.starts_with("apiVersion: v1\nitems:"), "{kind}: {}", a.output);
    }
    assert_eq!(
        kubectl::run(&c, &mut Session::default(), "kubectl get svc web -oyaml"),
        kubectl::run(&c, &mut Session::default(), "kubectl get svc web -o yaml")
    );
    let missing = kubectl::run(&c, &mut Session::default(), "kubectl get svc nope -o yaml");
    assert!(!missing.ok && missing.output.contains("services \"nope\" not found"), "{}", missing.output);
}

/// The shop plus a default-deny ingress policy in `backend` and an egress policy in
/// `default` that lets pods labelled `run=tmp` resolve names but reach nothing else.
fn run_cluster() -> Cluster {
    let mut s = shop().svc_type(ServiceType::ClusterIp);
    s.scenario.network_policies.push(NetworkPolicy {
        name: "default-deny-ingress".into(),
        namespace: "backend".into(),
        pod_selector: LabelSelector::default(),
        policy_types: vec![PolicyType::Ingress],
        ingress: Vec::new(),
        egress: Vec::new(),
        source: None,
    });
    let dns = |protocol| PolicyPort { protocol, port: Some(PortRef::Number(53)), end_port: None };
    s.scenario.network_policies.push(NetworkPolicy {
        name: "tmp-dns-only".into(),
        namespace: "default".into(),
        pod_selector: LabelSelector { match_labels: labels("run=tmp"), match_expressions: Vec::new() },
        policy_types: vec![PolicyType::Egress],
        ingress: Vec::new(),
        egress: vec![PolicyRule {
            peers: Vec::new(),
            ports: vec![dns(Protocol::Udp), dns(Protocol::Tcp)],
            source: None,
        }],
        source: None,
    });
    s.build()
}

/// https://kubernetes.io/docs/reference/kubectl/generated/kubectl_run/: a throwaway pod runs
/// one command as `kubectl exec` would, and `--rm` deletes it.
#[test]
fn kubectl_run_rm_wget_reaches_a_service() {
    let c = run_cluster();
    let a = kubectl::run(
        &c,
        &mut Session::default(),
        "kubectl run probe --image=busybox --rm -it --restart=Never -- wget -qO- http://web",
    );
    assert!(a.ok, "{}", a.output);
    assert!(a.trace.as_ref().is_some_and(|t| t.outcome.is_success()), "{}", a.output);
    expect![[r#"
        If you don't see a command prompt, try pressing enter.
        HTTP/1.1 200 OK
        (answered by pod default/web-4b779ff549-dr6nd at 10.244.2.2:8080; the model does not run the app, so there is no page body)

        # pod default/probe -> http://web: delivered to pod/default/web-4b779ff549-dr6nd (10.244.2.2:8080)
          1 dns                               DNS      10.244.2.3:55592 > 10.96.0.10:53 UDP  web -> web.default.svc.cluster.local (Service default/web has ClusterIP 10.109.202.138); tried web.default.svc.cluster.local
          2 pod/default/probe                 SEND     10.244.2.3:55591 > 10.109.202.138:80 TCP  pod/default/probe opens a TCP connection to 10.109.202.138:80
          3 svc/default/web                   PASS     10.244.2.3:55591 > 10.109.202.138:80 TCP  10.109.202.138:80/TCP is the cluster IP of Service default/web:http, port 80 -> targetPort 8080
          4 kube-proxy/node-3                 DNAT     10.244.2.3:55591 > 10.109.202.138:80 -> 10.244.2.2:8080 TCP  chose 1 of 3 endpoints (p=0.33, chosen at random); the rule: KUBE-SERVICES -> KUBE-SVC-CDGGSHYLG3RE2FKL, its rule 1 of 3 -> KUBE-SEP-4EX2N4PG4ASNZOBF (DNAT to 10.244.2.2:8080)
              * 10.244.2.2:8080  pod/default/web-4b779ff549-dr6nd  node-3  p=0.33
                10.244.0.5:8080  pod/default/web-4b779ff549-t5nbh  node-1  p=0.33
                10.244.1.5:8080  pod/default/web-4b779ff549-xh8rk  node-2  p=0.33
          5 pod/default/web-4b779ff549-dr6nd  ALLOW    10.244.2.3:55591 > 10.244.2.2:8080 TCP  NetworkPolicy: egress of default/probe: not isolated (no NetworkPolicy selects it for egress); ingress of default/web-4b779ff549-dr6nd: not isolated (no NetworkPolicy selects it for ingress)
          6 pod/default/web-4b779ff549-dr6nd  DELIVER  10.244.2.3:55591 > 10.244.2.2:8080 TCP  a container declares port 8080/TCP
          => delivered to pod/default/web-4b779ff549-dr6nd (10.244.2.2:8080)
        pod "probe" deleted from default namespace
    "#]].assert_eq(&a.output);
    assert!(c.pod("default", "probe").is_none(), "the terminal changes nothing");
}

/// A default-deny ingress policy on the destination drops the new pod's request, as it
/// drops any pod's.
#[test]
fn kubectl_run_in_a_namespace_with_default_deny_ingress_times_out() {
    let c = run_cluster();
    let a = kubectl::run(&c, &mut Session::default(), "kubectl run tmp -n backend --image=busybox --rm -i --tty --restart=Never -- wget -qO- -T 5 http://api");
    assert!(a.ok, "{}", a.output);
    let trace = a.trace.as_ref().expect("a trace");
    assert_eq!(trace.outcome.as_str(), "dropped", "{}", a.output);
    assert!(a.output.contains("default-deny-ingress"), "the trace names the policy: {}", a.output);
    assert!(
        a.output.starts_with(
            "If you don't see a command prompt, try pressing enter.\nwget: download timed out\n"
        ),
        "{}",
        a.output
    );
    assert!(
        a.output.ends_with(
            "pod \"tmp\" deleted from backend namespace\nerror: pod backend/tmp terminated (Error)\n"
        ),
        "{}",
        a.output
    );
}

/// An egress policy selecting `run=tmp` (kubectl run's label) applies to the new pod; another
/// name, or `--labels` (which replaces `run=NAME`, as in kubectl), escapes it.
#[test]
fn kubectl_run_pods_carry_the_run_label_that_egress_policies_select() {
    let c = run_cluster();
    let tmp = kubectl::run(
        &c,
        &mut Session::default(),
        "kubectl run tmp --image=busybox --rm -it -- wget -qO- http://web",
    );
    let outcome = |a: &kubectl::Answer| a.trace.as_ref().map(|t| t.outcome.as_str()).unwrap_or("none");
    assert_eq!(outcome(&tmp), "dropped", "{}", tmp.output);
    assert!(tmp.output.contains("tmp-dns-only"), "{}", tmp.output);
    assert!(
        tmp.output.ends_with("Session ended, resume using 'kubectl attach tmp -c tmp -i -t' command when the pod is running\npod \"tmp\" deleted from default namespace\n"),
        "restart Always (kubectl's default) with -it: {}",
        tmp.output
    );
    let other = kubectl::run(
        &c,
        &mut Session::default(),
        "kubectl run other --image=busybox --rm -it --restart=Never -- wget -qO- http://web",
    );
    assert_eq!(outcome(&other), "delivered", "{}", other.output);
    let relabelled = kubectl::run(
        &c,
        &mut Session::default(),
        "kubectl run tmp --image=busybox --labels=app=probe --rm -it --restart=Never -- curl http://web",
    );
    assert_eq!(outcome(&relabelled), "delivered", "{}", relabelled.output);
    let dns = kubectl::run(
        &c,
        &mut Session::default(),
        "kubectl run tmp --image=busybox --rm -it --restart=Never -- nslookup web",
    );
    assert!(dns.output.contains("Name:\tweb.default.svc.cluster.local"), "{}", dns.output);
    let kept =
        kubectl::run(&c, &mut Session::default(), "kubectl run keep --image=busybox -- wget -qO- http://web");
    assert!(kept.output.starts_with("pod/keep created\n"), "{}", kept.output);
    assert!(kept.output.contains("declare a Pod in your YAML"), "{}", kept.output);
}

#[test]
fn kubectl_run_with_a_taken_name_is_already_exists() {
    let c = run_cluster();
    let a = kubectl::run(
        &c,
        &mut Session::default(),
        "kubectl run client --image=busybox --rm -it -- wget -qO- http://web",
    );
    assert!(!a.ok);
    assert_eq!(a.output, "Error from server (AlreadyExists): pods \"client\" already exists");
    let other_ns = kubectl::run(
        &c,
        &mut Session::default(),
        "kubectl run client -n backend --image=busybox --rm -it -- wget -qO- http://api",
    );
    assert!(other_ns.ok, "the name is free in backend: {}", other_ns.output);
}

/// kubectl's own checks, in its words; and a line without `--` explains the one-shot terminal.
#[test]
fn kubectl_run_without_a_command_or_with_bad_flags_explains() {
    let c = run_cluster();
    let a =
        kubectl::run(&c, &mut Session::default(), "kubectl run tmp --image=busybox --rm -it --restart=Never");
    assert!(
        !a.ok && a.output.contains("runs one command in a new pod") && a.output.contains(" -- wget"),
        "{}",
        a.output
    );
    for (line, want) in [
        ("kubectl run tmp --rm -it -- wget http://web", "error: required flag(s) \"image\" not set"),
        ("kubectl run --image=busybox -- wget http://web", "error: NAME is required for run"),
        (
            "kubectl run tmp --image=busybox --rm -- wget http://web",
            "error: --rm should only be used for attached containers",
        ),
        (
            "kubectl run tmp --image=busybox -t -- wget http://web",
            "error: -i/--stdin is required for containers with -t/--tty=true",
        ),
        (
            "kubectl run tmp --image=busybox --restart=Sometimes -- wget http://web",
            "error: invalid restart policy: Sometimes",
        ),
        (
            "kubectl run tmp --image=busybox --labels=oops -- wget http://web",
            "error: unexpected label spec: oops",
        ),
        ("kubectl run Tmp --image=busybox -- wget http://web", "The Pod \"Tmp\" is invalid: metadata.name"),
        (
            "kubectl run tmp -n nowhere --image=busybox -- wget http://web",
            "Error from server (NotFound): namespaces \"nowhere\" not found",
        ),
        ("kubectl run tmp --image=busybox -it -- sh", "exec: \"sh\": not available in this terminal"),
    ] {
        let a = kubectl::run(&c, &mut Session::default(), line);
        assert!(!a.ok && a.output.starts_with(want), "{line}: {}", a.output);
    }
}

#[test]
fn help_and_completion_know_run_and_yaml() {
    let c = cluster();
    let help = kubectl::run(&c, &mut Session::default(), "help").output;
    assert!(help.contains("kubectl run NAME --image=busybox") && help.contains("-o wide|yaml"), "{help}");
    assert!(kubectl::completions(&c, &Session::default(), "kubectl r").contains(&"run".to_string()));
    assert_eq!(kubectl::completions(&c, &Session::default(), "kubectl get svc -o "), ["wide", "yaml"]);
    assert!(kubectl::completions(&c, &Session::default(), "kubectl run tmp --image=busybox ")
        .contains(&"--rm".to_string()));
    assert!(kubectl::completions(&c, &Session::default(), "kubectl run tmp --image=busybox --rm -it -- ")
        .contains(&"wget".to_string()));
}

/// The session's namespace stands in for `-n` in every command that takes one, as the
/// namespace of kubeconfig's current context does; `-n` still wins for one command.
/// https://kubernetes.io/docs/reference/kubectl/#namespaces (and kubectl's pflag shorthands:
/// `-n NS`, `-nNS`, `-n=NS`, `--namespace NS`, `--namespace=NS`)
#[test]
fn the_session_namespace_is_used_by_commands_without_n() {
    let c = cluster();
    let mut s = Session::new("backend");
    let eps = kubectl::run(&c, &mut s, "kubectl get endpoints");
    assert!(eps.output.contains("api ") && !eps.output.contains("web "), "{}", eps.output);
    let pods = kubectl::run(&c, &mut s, "kubectl get pods");
    assert!(pods.output.contains("debug") && !pods.output.contains("client"), "{}", pods.output);
    assert!(kubectl::run(&c, &mut s, "kubectl describe svc api").ok);
    assert!(kubectl::run(&c, &mut s, "kubectl describe netpol api-from-web").ok);
    let exec = kubectl::run(&c, &mut s, "kubectl exec debug -- curl http://api");
    assert!(exec.output.starts_with("HTTP/1.1 200 OK"), "{}", exec.output);
    let run =
        kubectl::run(&c, &mut s, "kubectl run tmp --image=busybox --rm -it --restart=Never -- nslookup api");
    assert!(run.output.contains("pod \"tmp\" deleted from backend namespace"), "{}", run.output);
    let none = kubectl::run(&c, &mut s, "kubectl get ingress");
    assert_eq!(none.output, "No resources found in backend namespace.\n");
    for one in ["-n default", "-ndefault", "-n=default", "--namespace default", "--namespace=default"] {
        let a = kubectl::run(&c, &mut s, &format!("kubectl get ep web {one}"));
        assert!(a.ok && a.output.contains("web "), "{one}: {}", a.output);
    }
    assert_eq!(s, Session::new("backend"), "-n applies to one command only");
    assert!(!kubectl::run(&c, &mut s, "kubectl get ep web").ok, "back in backend after -n");
    let empty = kubectl::run(&c, &mut s, "kubectl get pods -n=");
    assert!(!empty.ok && empty.output.contains("flag needs an argument"), "{}", empty.output);
}

/// `kubectl config set-context --current --namespace NS` changes the namespace of the later
/// commands and answers as kubectl does (pkg/cmd/config/create_context.go: `Context %q
/// modified.`); kubectl checks no namespace against the cluster.
/// https://kubernetes.io/docs/reference/kubectl/generated/kubectl_config/kubectl_config_set-context/
#[test]
fn set_context_changes_the_namespace_of_later_commands() {
    let c = cluster();
    let mut s = Session::default();
    assert!(!kubectl::run(&c, &mut s, "kubectl get ep api").ok);
    let set = kubectl::run(&c, &mut s, "kubectl config set-context --current --namespace=backend");
    assert_eq!((set.ok, set.output.as_str()), (true, "Context \"switchboard\" modified.\n"));
    assert_eq!(s.namespace, "backend");
    assert!(kubectl::run(&c, &mut s, "kubectl get ep api").ok);
    let view = kubectl::run(&c, &mut s, "kubectl config view --minify -o jsonpath='{..namespace}'");
    assert_eq!(view.output, "backend");
    let contexts = kubectl::run(&c, &mut s, "kubectl config get-contexts").output;
    assert!(
        contexts.lines().nth(1).is_some_and(|l| l.starts_with('*') && l.ends_with("backend")),
        "{contexts}"
    );
    assert_eq!(kubectl::run(&c, &mut s, "kubectl config current-context").output, "switchboard\n");
    assert!(kubectl::run(&c, &mut s, "kubectl config set-context --current --namespace default").ok);
    assert_eq!(s.namespace, "default");
    assert!(kubectl::run(&c, &mut s, "kubectl config set-context switchboard --namespace=backend").ok);
    assert_eq!(s.namespace, "backend");
    let nowhere = kubectl::run(&c, &mut s, "kubectl config set-context --current --namespace=nowhere");
    assert!(nowhere.ok, "kubectl does not look the namespace up");
    assert_eq!(
        kubectl::run(&c, &mut s, "kubectl get svc").output,
        "No resources found in nowhere namespace.\n"
    );
    for bad in [
        "kubectl config set-context --namespace=backend",
        "kubectl config set-context prod --namespace=backend",
        "kubectl config set-context switchboard --current --namespace=backend",
        "kubectl config set-context --current --namespace",
        "kubectl config set-context --current --cluster=other",
        "kubectl config use-context prod",
        "kubectl config view",
        "kubectl config",
    ] {
        let a = kubectl::run(&c, &mut s, bad);
        assert!(!a.ok && a.output.starts_with("error: "), "{bad}: {}", a.output);
        assert_eq!(s.namespace, "nowhere", "{bad} changed the namespace");
    }
}

#[test]
fn completion_offers_the_pods_of_the_namespace_in_use_and_config() {
    let c = cluster();
    let backend = Session::new("backend");
    assert_eq!(kubectl::completions(&c, &backend, "kubectl exec deb"), ["debug"]);
    assert!(kubectl::completions(&c, &backend, "kubectl exec cli").is_empty());
    assert_eq!(kubectl::completions(&c, &backend, "kubectl exec -n default cli"), ["client"]);
    assert_eq!(kubectl::completions(&c, &backend, "kubectl config set"), ["set-context"]);
    assert_eq!(kubectl::completions(&c, &backend, "kubectl config set-context "), ["--current"]);
    assert!(kubectl::completions(&c, &backend, "kubectl config set-context --current --namespace ")
        .contains(&"backend".into()));
}

/// The terminal's first line suggests a real pod (the given one, else one the Service does
/// not select) asking a real Service, from the session's namespace when it has them, with
/// `-n` and `svc.ns` when it does not.
#[test]
fn suggestions_name_a_real_client_and_service() {
    let c = cluster();
    let cases = [
        ("default", vec!["kubectl get endpoints", "kubectl exec client -- curl http://web:80"]),
        ("backend", vec!["kubectl get endpoints", "kubectl exec debug -- curl http://api:80"]),
        (
            "empty",
            vec!["kubectl get endpoints -n backend", "kubectl exec -n backend debug -- curl http://api:80"],
        ),
    ];
    for (ns, want) in cases {
        let mut s = Session::new(ns);
        assert_eq!(kubectl::suggestions(&c, &s, None), want, "{ns}");
        assert_eq!(
            kubectl::suggestions(&c, &s, Some("pod/default/nobody")),
            want,
            "{ns}: an unknown client is passed over"
        );
        for line in kubectl::suggestions(&c, &s, None) {
            let a = kubectl::run(&c, &mut s, &line);
            assert!(a.ok, "{line}: {}", a.output);
            assert!(!a.output.contains("Could not resolve"), "{line}: {}", a.output);
        }
    }
    let debug = kubectl::suggestions(&c, &Session::default(), Some("pod/backend/debug"));
    assert_eq!(debug[1], "kubectl exec -n backend debug -- curl http://web.default:80", "the given client");
    let intro = kubectl::intro(&c, &Session::new("backend"), None);
    assert!(intro.contains("namespace backend"), "{intro}");
    assert!(intro.ends_with("\n  kubectl exec debug -- curl http://api:80\n  help\n"), "{intro}");
}

/// Without Services: the pods and a DNS question from one of them; without pods: the pods
/// of every namespace. A Deployment's pod is named as `deploy/NAME`.
#[test]
fn suggestions_without_services_or_pods_still_answer() {
    let pods_only = scenario().deployment("shop", "web", 2, "app=web", &["8080"]).build();
    let mut s = Session::new("shop");
    let want = ["kubectl get pods", "kubectl exec deploy/web -- nslookup kubernetes.default"];
    assert_eq!(kubectl::suggestions(&pods_only, &s, None), want);
    for line in want {
        let a = kubectl::run(&pods_only, &mut s, line);
        assert!(a.ok && !a.output.contains("NXDOMAIN"), "{line}: {}", a.output);
    }
    let nothing = scenario().build();
    assert_eq!(kubectl::suggestions(&nothing, &Session::default(), None), ["kubectl get pods -A"]);
    assert!(kubectl::run(&nothing, &mut Session::default(), "kubectl get pods -A").ok);
}

/// A pod's `ownerReferences` name its controller with that controller's apiVersion: a Job's
/// pod its Job (batch/v1), a CronJob's pod the Job of its run, `<cronjob>-<minutes>`
/// (pkg/controller/cronjob getJobName), a ReplicationController's pod its RC (v1).
#[test]
fn owner_references_of_job_cronjob_and_rc_pods() {
    let c = scenario()
        .workload(WorkloadKind::Job, "default", "pi", 1, "app=pi", &[])
        .with_workload(|w| w.job = Some(JobSpec::default()))
        .workload(WorkloadKind::CronJob, "default", "backup", 1, "app=backup", &[])
        .with_workload(|w| w.job = Some(JobSpec { scheduled_minute: Some(29_453_760), ..JobSpec::default() }))
        .workload(WorkloadKind::ReplicationController, "default", "legacy", 1, "app=legacy", &[])
        .build();
    let owner = |prefix: &str| {
        let pod = c.pods.iter().find(|p| p.name.starts_with(prefix)).unwrap();
        let yaml =
            kubectl::run(&c, &mut Session::default(), &format!("kubectl get pod {} -o yaml", pod.name))
                .output;
        let at = yaml.find("ownerReferences:").unwrap_or_else(|| panic!("{yaml}"));
        yaml[at..].lines().skip(1).take(6).map(str::trim).collect::<Vec<_>>().join(" ")
    };
    let pi = owner("pi-");
    assert!(
        pi.contains("apiVersion: batch/v1") && pi.contains("kind: Job") && pi.contains("name: pi"),
        "{pi}"
    );
    let backup = owner("backup-");
    assert!(backup.contains("kind: Job") && backup.contains("name: backup-29453760"), "{backup}");
    let legacy = owner("legacy-");
    assert!(legacy.contains("apiVersion: v1") && legacy.contains("kind: ReplicationController"), "{legacy}");
}

/// The Gateway API's kinds, with the CRDs' printer columns and the model controller's status:
/// the manifest case `gateway/clean.yaml`.
#[cfg(feature = "gateway-api")]
#[test]
fn kubectl_get_the_gateway_api_kinds() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../manifest/tests/cases/gateway/clean.yaml"
    ))
    .unwrap();
    let files = [manifest::SourceFile { name: "gw.yaml".into(), text }];
    let (_, c) = manifest::load_and_build(&files, &netsim::Topology::default());
    let get = |line: &str| {
        let a = kubectl::run(&c, &mut Session::default(), line);
        assert!(a.ok, "{line}: {}", a.output);
        a.output
    };
    let rows = |out: String| -> Vec<Vec<String>> {
        out.lines().map(|l| l.split_whitespace().map(str::to_string).collect()).collect()
    };
    assert_eq!(
        rows(get("kubectl get gatewayclasses")),
        [
            vec!["NAME", "CONTROLLER", "ACCEPTED", "AGE"],
            vec!["example", "example.net/gateway-controller", "True", "5m"]
        ]
    );
    assert_eq!(
        rows(get("kubectl get gtw")),
        [
            vec!["NAME", "CLASS", "ADDRESS", "PROGRAMMED", "AGE"],
            vec!["gw", "example", "203.0.113.1", "True", "5m"]
        ]
    );
    assert_eq!(
        rows(get("kubectl get httproutes -A")),
        [
            vec!["NAMESPACE", "NAME", "HOSTNAMES", "AGE"],
            vec!["default", "web", "[\"shop.example.com\"]", "5m"]
        ]
    );
    assert_eq!(rows(get("kubectl get referencegrants -n canary"))[1], ["from-default", "5m"]);
    let yaml = get("kubectl get grpcroute health -o yaml");
    assert!(yaml.contains("kind: GRPCRoute") && yaml.contains("service: grpc.health.v1.Health"), "{yaml}");
}

/// curl's `-H 'Host: …'` (quoted, as a shell passes it) and `--resolve HOST:PORT:ADDRESS`:
/// the connection goes to the address, and the Ingress controller routes by the Host header
/// (https://curl.se/docs/manpage.html#-H, #--resolve;
/// https://kubernetes.io/docs/concepts/services-networking/ingress/#name-based-virtual-hosting).
#[test]
fn curl_sends_the_host_header_it_is_told_to() {
    let c = yaml_cluster();
    let lb = c
        .service(netsim::ingress::NAMESPACE, netsim::ingress::SERVICE)
        .and_then(|s| s.load_balancer_ip)
        .expect("the controller's LoadBalancer IP");
    let run = |line: &str| kubectl::run(&c, &mut Session::default(), line).output;
    let bare = run(&format!("curl http://{lb}/"));
    assert!(bare.starts_with("HTTP/1.1 404"), "no Host header for the rule: {bare}");
    for line in [
        format!("curl -H 'Host: www.shop.example.com' http://{lb}/"),
        format!("curl --header \"Host: www.shop.example.com:80\" http://{lb}/"),
        format!("curl --resolve www.shop.example.com:80:{lb} http://www.shop.example.com/"),
    ] {
        let out = run(&line);
        assert!(out.starts_with("HTTP/1.1 200 OK"), "{line}:\n{out}");
        assert!(out.contains("pod default/web-"), "{line}:\n{out}");
    }
    let bad = kubectl::run(&c, &mut Session::default(), "curl --resolve nonsense http://x/");
    assert!(bad.output.contains("is not HOST:PORT:ADDRESS"), "{}", bad.output);
    let missing = kubectl::run(&c, &mut Session::default(), "curl http://x/ -H");
    assert!(missing.output.contains("requires parameter"), "{}", missing.output);
}
