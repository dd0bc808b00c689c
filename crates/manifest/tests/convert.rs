//! Defaulting and conversion, through the public API.

#![allow(clippy::disallowed_methods)] // Not in the wasm: the standard sort is fine (clippy.toml).

use manifest::{line_col, load, Loaded, SourceFile};
use netsim::{
    ClusterIpSpec, PolicyType, PortRef, Protocol, ServiceType, SessionAffinity, TrafficPolicy, WorkloadKind,
};

fn read(text: &str) -> Loaded {
    load(&[SourceFile { name: "t.yaml".into(), text: text.into() }], &netsim::Topology::default())
}

fn clean(text: &str) -> netsim::Scenario {
    let loaded = read(text);
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    loaded.scenario
}

// https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/
#[test]
fn service_defaults() {
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n    - port: 80\n  sessionAffinity: ClientIP\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {app: web}\nspec:\n  containers: [{name: c, image: i, ports: [{containerPort: 80}]}]\n";
    let s = clean(text);
    let svc = &s.services[0];
    assert_eq!(svc.namespace, "default");
    assert_eq!(svc.service_type, ServiceType::ClusterIp);
    assert_eq!(svc.cluster_ip, ClusterIpSpec::Auto);
    assert_eq!(svc.ports[0].protocol, Protocol::Tcp);
    assert_eq!(svc.ports[0].target_port, PortRef::Number(80));
    assert_eq!(svc.ports[0].node_port, None);
    assert_eq!(svc.session_affinity, SessionAffinity::ClientIp { timeout_seconds: 10800 });
    assert_eq!(svc.external_traffic_policy, TrafficPolicy::Cluster);
    let src = svc.source.as_ref().unwrap();
    assert!(text[src.start..src.end].starts_with("apiVersion: v1\nkind: Service"));
    assert!(text[src.start..src.end].ends_with("sessionAffinity: ClientIP"));
    let port_src = svc.ports[0].source.as_ref().unwrap();
    assert_eq!(&text[port_src.start..port_src.end], "port: 80");
}

#[test]
fn empty_selector_is_none_and_named_target_port() {
    let s = read("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {}\n  type: NodePort\n  ports:\n    - {port: 80, targetPort: http, nodePort: 30080, protocol: UDP}\n").scenario;
    let svc = &s.services[0];
    assert_eq!(svc.selector, None);
    assert_eq!(svc.ports[0].target_port, PortRef::Name("http".into()));
    assert_eq!(svc.ports[0].node_port, Some(30080));
    assert_eq!(svc.ports[0].protocol, Protocol::Udp);
}

#[test]
fn workload_defaults_and_template() {
    let s = clean("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web, tier: fe}}\n    spec:\n      containers: [{name: c, image: i, ports: [{name: http, containerPort: 8080}]}]\n");
    let w = &s.workloads[0];
    assert_eq!(w.kind, WorkloadKind::Deployment);
    assert_eq!(w.replicas, 1);
    assert_eq!(w.namespace, "shop");
    assert_eq!(w.template.labels.get("tier").map(String::as_str), Some("fe"));
    assert_eq!(w.template.containers[0].ports[0].name.as_deref(), Some("http"));
    assert_eq!(w.template.containers[0].ports[0].container_port, 8080);
}

// https://kubernetes.io/docs/concepts/services-networking/network-policies/
#[test]
fn network_policy_types_default() {
    let s = clean("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: a\nspec:\n  podSelector: {}\n  ingress:\n    - ports: [{port: 80}]\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: b\nspec:\n  podSelector: {}\n  egress:\n    - to: [{ipBlock: {cidr: 10.0.0.0/8}}]\n");
    let a = &s.network_policies[0];
    assert_eq!(a.policy_types, vec![PolicyType::Ingress]);
    assert_eq!(a.ingress[0].ports[0].protocol, Protocol::Tcp);
    assert!(a.ingress[0].peers.is_empty());
    assert!(a.ingress[0].source.is_some());
    let b = &s.network_policies[1];
    assert_eq!(b.policy_types, vec![PolicyType::Ingress, PolicyType::Egress]);
}

/// `policyTypes` left out: Egress is added only when the `egress` list has rules. `egress: []`
/// (present but empty) leaves the policy ingress-only, so it does not isolate egress.
/// Source: kubernetes/kubernetes pkg/apis/networking/v1/defaults.go, `SetDefaults_NetworkPolicy`
/// (`if len(obj.Spec.Egress) != 0`), and the `policyTypes` field's API reference.
#[test]
fn network_policy_types_default_ignores_an_empty_egress_list() {
    let s = clean("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: a\nspec:\n  podSelector: {}\n  egress: []\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: b\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress: []\n");
    assert_eq!(s.network_policies[0].policy_types, vec![PolicyType::Ingress]);
    assert_eq!(s.network_policies[1].policy_types, vec![PolicyType::Egress]);
}

#[test]
fn pod_readiness_and_ip() {
    let s = clean("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [{name: c, image: i}]\nstatus:\n  podIP: 10.244.1.7\n  conditions:\n    - {type: Ready, status: \"False\"}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: q\nspec:\n  containers: [{name: c, image: i}]\n");
    assert_eq!(s.pods[0].ready, Some(false));
    assert_eq!(s.pods[0].ip, Some("10.244.1.7".parse().unwrap()));
    assert_eq!(s.pods[1].ready, None);
}

/// `metadata.deletionTimestamp` marks a pod terminating; `status.phase` is kept as written
/// (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-phase); an
/// EndpointSlice endpoint's `serving` defaults to its `ready`, `terminating` to false
/// (EndpointConditions in the discovery/v1 API reference).
#[test]
fn pod_phase_termination_and_endpoint_conditions() {
    let s = clean("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  deletionTimestamp: \"2026-12-05T08:00:00Z\"\nspec:\n  containers: [{name: c, image: nginx}]\nstatus:\n  phase: Succeeded\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\nspec:\n  containers: [{name: c, image: nginx}]\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: s-1\n  labels: {kubernetes.io/service-name: s}\naddressType: IPv4\nendpoints:\n  - addresses: [192.0.2.1]\n    conditions: {ready: false}\n  - addresses: [192.0.2.2]\n    conditions: {ready: false, serving: true, terminating: true}\n");
    assert_eq!((s.pods[0].terminating, s.pods[0].phase), (true, Some(netsim::PodPhase::Succeeded)));
    assert_eq!((s.pods[1].terminating, s.pods[1].phase), (false, None));
    let e = &s.endpoint_slices[0].endpoints;
    assert_eq!((e[0].ready, e[0].serving, e[0].terminating), (false, false, false));
    assert_eq!((e[1].ready, e[1].serving, e[1].terminating), (false, true, true));
}

// https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors
#[test]
fn endpoints_are_mirrored_into_slices() {
    let s = clean("apiVersion: v1\nkind: Service\nmetadata:\n  name: legacy\nspec:\n  ports: [{port: 80}]\n---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: legacy\nsubsets:\n  - addresses: [{ip: 192.0.2.1}]\n    notReadyAddresses: [{ip: 192.0.2.2}]\n    ports: [{port: 9376}]\n");
    let slice = &s.endpoint_slices[0];
    assert_eq!(slice.service_name, "legacy");
    assert_eq!(slice.endpoints.len(), 2);
    assert!(slice.endpoints[0].ready);
    assert!(!slice.endpoints[1].ready);
    assert_eq!(slice.ports[0].port, 9376);
}

#[test]
fn ingress_and_class() {
    let loaded = read("apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\n  annotations: {ingressclass.kubernetes.io/is-default-class: \"true\"}\nspec: {controller: k8s.io/ingress-nginx}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  rules:\n    - host: a.example.com\n      http:\n        paths:\n          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}\n");
    // The only finding: Service `web` is not among the files (creation order is free).
    let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["ingress-backend-missing"]);
    let s = loaded.scenario;
    assert!(s.ingress_classes[0].is_default);
    assert_eq!(s.ingress_classes[0].name, "nginx");
    let path = &s.ingresses[0].rules[0].paths[0];
    assert_eq!(
        path.backend,
        netsim::IngressBackend::Service { name: "web".into(), port: PortRef::Name("http".into()) }
    );
}

#[test]
fn broken_object_is_skipped_and_the_rest_load() {
    let loaded = read("apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ports: [{port: \"eighty\"}]\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\nspec:\n  ports: [{port: 80}]\n");
    assert_eq!(loaded.scenario.services.len(), 1);
    assert_eq!(loaded.scenario.services[0].name, "b");
    assert!(loaded.has_errors());
}

#[test]
fn duplicate_object_across_files_points_at_the_second() {
    let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n";
    let files = [
        SourceFile { name: "a.yaml".into(), text: text.into() },
        SourceFile { name: "b.yaml".into(), text: text.into() },
    ];
    let loaded = load(&files, &netsim::Topology::default());
    assert_eq!(loaded.scenario.namespaces.len(), 1);
    let d = &loaded.diagnostics[0];
    assert_eq!((d.code, d.file.as_str()), ("duplicate-object", "b.yaml"));
    assert_eq!(d.hints[0], "it is first defined at a.yaml:1; this copy is ignored");
}

#[test]
fn line_col_counts_characters() {
    assert_eq!(line_col("ab\ncé d", 7), (2, 4));
    assert_eq!(line_col("\u{feff}a: 1", 3), (1, 1));
    assert_eq!(line_col("x", 99), (1, 2));
}

#[test]
fn unknown_field_message_names_the_path() {
    let loaded = read("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n      targetport: 8080\n");
    let d = &loaded.diagnostics[0];
    assert_eq!(d.message, "unknown field `targetport` in `spec.ports[0]`");
    assert_eq!(d.hints, vec!["did you mean `targetPort`?".to_string()]);
    assert_eq!(line_col("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n      targetport: 8080\n", d.start), (8, 7));
}

// PodStatus: `podIPs` holds at most one address per family, `hostIP` the node's address
// (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#PodStatus);
// the model reads the IPv4 ones and never an IPv6 one as IPv4.
#[test]
fn pod_status_addresses_ipv4_family_and_host_ip() {
    let s = read("apiVersion: v1\nkind: Pod\nmetadata:\n  name: dual\nspec:\n  nodeName: worker-9\n  containers: [{name: c, image: i}]\nstatus:\n  hostIP: 10.0.0.9\n  podIP: fd00::7\n  podIPs: [{ip: 'fd00::7'}, {ip: 10.244.9.7}]\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: v6\nspec:\n  containers: [{name: c, image: i}]\nstatus:\n  podIP: fd00::8\n").scenario;
    let dual = s.pods.iter().find(|p| p.name == "dual").unwrap();
    assert_eq!(dual.ip, Some("10.244.9.7".parse().unwrap()));
    assert_eq!(dual.host_ip, Some("10.0.0.9".parse().unwrap()));
    assert!(!dual.ipv6_only);
    let v6 = s.pods.iter().find(|p| p.name == "v6").expect("an IPv6-only pod is kept");
    assert_eq!(v6.ip, None);
    assert!(v6.ipv6_only);
}

// ServiceSpec.clusterIPs: "the first value must be the same as the clusterIP field"; a
// dual-stack Service with IPv6 first keeps its IPv4 address.
// https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/#ServiceSpec
#[test]
fn service_cluster_ips_ipv4_family() {
    let s = read("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  clusterIP: fd00::10\n  clusterIPs: [fd00::10, 10.96.7.7]\n  ports: [{port: 80}]\n").scenario;
    assert_eq!(s.services[0].cluster_ip, ClusterIpSpec::Fixed("10.96.7.7".parse().unwrap()));
}

// pkg/apis/batch/v1/defaults.go SetDefaults_Job: with neither completions nor parallelism
// both are 1; parallelism alone defaults to 1 and completions stays unset (a work queue).
// https://kubernetes.io/docs/concepts/workloads/controllers/job/#parallel-jobs
#[test]
fn job_defaults_and_fields() {
    let job = |spec: &str| {
        let s = clean(&format!("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  uid: 9b2f7a3e-1c44-4d0e-8a55-0f3c2b1d4e5f\nspec:\n{spec}  template:\n    spec:\n      containers: [{{name: c, image: i}}]\n      restartPolicy: Never\n"));
        let w = s.workloads[0].clone();
        assert_eq!(w.kind, WorkloadKind::Job);
        (w.replicas, w.job.unwrap())
    };
    let (parallelism, j) = job("");
    assert_eq!((parallelism, j.completions, j.indexed, j.suspend), (1, Some(1), false, false));
    assert_eq!(j.uid.as_deref(), Some("9b2f7a3e-1c44-4d0e-8a55-0f3c2b1d4e5f"));
    let (parallelism, j) = job("  parallelism: 3\n");
    assert_eq!((parallelism, j.completions), (3, None));
    let (parallelism, j) = job("  completions: 5\n  completionMode: Indexed\n  suspend: true\n");
    assert_eq!((parallelism, j.completions, j.indexed, j.suspend), (1, Some(5), true, true));
}

// A CronJob's Job is named after its scheduled time in minutes (pkg/controller/cronjob
// getJobName): the last one, `status.lastScheduleTime`, is read as such.
#[test]
fn cronjob_reads_its_job_template_and_last_schedule() {
    let s = clean("apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: backup\nspec:\n  schedule: \"0 3 * * *\"\n  jobTemplate:\n    spec:\n      parallelism: 2\n      completions: 2\n      template:\n        metadata:\n          labels: {app: backup}\n        spec:\n          containers: [{name: c, image: i}]\n          restartPolicy: OnFailure\nstatus:\n  lastScheduleTime: \"2026-01-01T03:00:00Z\"\n");
    let w = &s.workloads[0];
    assert_eq!(w.kind, WorkloadKind::CronJob);
    assert_eq!(w.replicas, 2);
    assert_eq!(w.template.labels.get("app").map(String::as_str), Some("backup"));
    let j = w.job.as_ref().unwrap();
    assert_eq!(j.completions, Some(2));
    assert_eq!(j.scheduled_minute, Some(29_453_760 + 180));
}

// pkg/apis/core/v1/defaults.go SetDefaults_ReplicationController: an empty selector is the
// template's labels; replicas default to 1.
#[test]
fn replication_controller_selector_defaults_to_the_template_labels() {
    let s = clean("apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: nginx\nspec:\n  template:\n    metadata:\n      labels: {app: nginx}\n    spec:\n      containers: [{name: c, image: i}]\n");
    let w = &s.workloads[0];
    assert_eq!(w.kind, WorkloadKind::ReplicationController);
    assert_eq!(w.replicas, 1);
    assert_eq!(w.selector.match_labels.get("app").map(String::as_str), Some("nginx"));
}

/// A cluster dump lists a Deployment, the ReplicaSet it owns and the pods that ReplicaSet owns.
/// They are one set of pods, not three: a workload that another listed object names as its
/// owner (`metadata.ownerReferences`) adds no pods of its own, since what it owns stands for it.
/// https://kubernetes.io/docs/concepts/overview/working-with-objects/owners-dependents/
#[test]
fn a_dump_s_deployment_replica_set_and_pods_are_one_set_of_pods() {
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n";
    let replica_set = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web-5d4f8c7b9\n  namespace: shop\n  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d1, controller: true}]\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web, pod-template-hash: 5d4f8c7b9}}\n  template:\n    metadata: {labels: {app: web, pod-template-hash: 5d4f8c7b9}}\n    spec: {containers: [{name: web, image: nginx}]}\n";
    let pod = |n: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-5d4f8c7b9-{n}\n  namespace: shop\n  labels: {{app: web, pod-template-hash: 5d4f8c7b9}}\n  ownerReferences: [{{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d4f8c7b9, uid: r1, controller: true}}]\nspec:\n  containers: [{{name: web, image: nginx}}]\n")
    };
    let namespace = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n";
    let topology = netsim::Topology::default();
    let count = |docs: &[&str]| {
        let text = docs.join("---\n");
        let loaded = read(&text);
        assert!(
            loaded.diagnostics.iter().all(|d| d.severity != manifest::Severity::Error),
            "{:?}",
            loaded.diagnostics
        );
        let cluster = netsim::Cluster::build(&loaded.scenario, &topology);
        let mut names: Vec<String> =
            cluster.pods.iter().filter(|p| p.namespace == "shop").map(|p| p.name.clone()).collect();
        names.sort();
        names
    };
    let (a, b) = (pod("abcde"), pod("fghij"));
    assert_eq!(
        count(&[namespace, deployment, replica_set, &a, &b]),
        ["web-5d4f8c7b9-abcde", "web-5d4f8c7b9-fghij"]
    );
    // The Deployment and its ReplicaSet without pods: the ReplicaSet's two.
    let names = count(&[namespace, deployment, replica_set]);
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().all(|n| n.starts_with("web-5d4f8c7b9-")), "{names:?}");
    // The Deployment alone still makes its pods.
    assert_eq!(count(&[namespace, deployment]).len(), 2);
}
