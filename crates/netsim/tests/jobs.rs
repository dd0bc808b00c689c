//! Job, CronJob and ReplicationController pods: how many run and how they are named and
//! labelled, as the controllers in kubernetes/kubernetes do it (with a hash of the object
//! where they draw random characters, as for Deployment and ReplicaSet pods).
#![allow(clippy::disallowed_methods)] // Not in the wasm: the standard sort is fine (clippy.toml).
mod common;

use common::*;
use netsim::*;

/// A Job `name` in `default` with the given parallelism (after defaulting) and job fields.
fn job(name: &str, parallelism: u32, spec: JobSpec) -> S {
    scenario()
        .workload(WorkloadKind::Job, "default", name, parallelism, "app=batch", &["80"])
        .with_workload(|w| w.job = Some(spec))
}

fn pods_of<'a>(c: &'a Cluster, prefix: &str) -> Vec<&'a ClusterPod> {
    c.pods.iter().filter(|p| p.namespace == "default" && p.name.starts_with(prefix)).collect()
}

/// The alphabet of generated names (k8s.io/apimachinery/pkg/util/rand): no vowels, no
/// confusable digits.
fn generated(suffix: &str, len: usize) -> bool {
    suffix.len() == len && suffix.chars().all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c))
}

fn label<'a>(p: &'a ClusterPod, key: &str) -> Option<&'a str> {
    p.spec.labels.get(key).map(String::as_str)
}

// pkg/controller/job/job_controller.go: NonIndexed pods are created with the Job as their
// controller and no generateName of its own, so the pod control's default prefix
// `<job>-` applies (pkg/controller/controller_utils.go getPodsPrefix), then 5 random
// characters (names.SimpleNameGenerator). The API server's Job strategy
// (pkg/registry/batch/job/strategy.go, generateSelector) labels the template with
// `job-name`, `batch.kubernetes.io/job-name` (the Job's name), `controller-uid` and
// `batch.kubernetes.io/controller-uid` (its UID), and selects
// `batch.kubernetes.io/controller-uid`.
#[test]
fn job_pods_are_named_and_labelled_as_the_job_controller_and_strategy_do() {
    let spec = JobSpec { uid: Some("5f1e3d2a-0000-4000-8000-000000000001".into()), ..JobSpec::default() };
    let c = job("pi", 1, spec).build();
    let pods = pods_of(&c, "pi-");
    assert_eq!(pods.len(), 1);
    let p = pods[0];
    let suffix = p.name.strip_prefix("pi-").unwrap();
    assert!(generated(suffix, 5), "{}", p.name);
    assert_eq!(label(p, "job-name"), Some("pi"));
    assert_eq!(label(p, "batch.kubernetes.io/job-name"), Some("pi"));
    assert_eq!(label(p, "controller-uid"), Some("5f1e3d2a-0000-4000-8000-000000000001"));
    assert_eq!(label(p, "batch.kubernetes.io/controller-uid"), Some("5f1e3d2a-0000-4000-8000-000000000001"));
    assert_eq!(label(p, "app"), Some("batch"), "the template's own labels stay");
    assert_eq!(p.owner.as_ref().map(|o| (o.kind, o.name.as_str())), Some(("Job", "pi")));
    // Without a written uid the model derives one, stable across builds.
    let c1 = job("pi", 1, JobSpec::default()).build();
    let uid = label(pods_of(&c1, "pi-")[0], "controller-uid").unwrap().to_string();
    assert_eq!(uid.len(), 36, "{uid}");
    assert_eq!(c1, job("pi", 1, JobSpec::default()).build());
    // "If you specify manualSelector: true ... the system does not generate" the selector
    // nor these labels (strategy.go: generateSelector runs only without it).
    // https://kubernetes.io/docs/concepts/workloads/controllers/job/#specifying-your-own-pod-selector
    let manual = job("pi", 1, JobSpec { manual_selector: true, ..JobSpec::default() }).build();
    let p = pods_of(&manual, "pi-")[0];
    assert_eq!((label(p, "job-name"), label(p, "controller-uid")), (None, None));
}

// https://kubernetes.io/docs/concepts/workloads/controllers/job/#controlling-parallelism:
// "For fixed completion count Jobs, the actual number of pods running in parallel will not
// exceed the number of remaining completions. Higher values of .spec.parallelism are
// effectively ignored"; "If it is specified as 0, then the Job is effectively paused";
// https://kubernetes.io/docs/concepts/workloads/controllers/job/#suspending-a-job:
// "Suspending a Job will delete its active Pods". Work queues (no completions) run
// `parallelism` pods.
#[test]
fn parallelism_and_completions_decide_how_many_pods_run() {
    let count = |parallelism: u32, spec: JobSpec| pods_of(&job("j", parallelism, spec).build(), "j-").len();
    assert_eq!(count(1, JobSpec { completions: Some(1), ..JobSpec::default() }), 1);
    assert_eq!(count(3, JobSpec { completions: Some(2), ..JobSpec::default() }), 2);
    assert_eq!(count(2, JobSpec { completions: Some(5), ..JobSpec::default() }), 2);
    assert_eq!(count(4, JobSpec { completions: None, ..JobSpec::default() }), 4);
    assert_eq!(count(0, JobSpec { completions: Some(3), ..JobSpec::default() }), 0);
    assert_eq!(count(2, JobSpec { completions: Some(2), suspend: true, ..JobSpec::default() }), 0);
}

// pkg/controller/job/indexed_job_utils.go: an Indexed Job's pod for index i is named from
// `<job>-<i>-` (podGenerateNameWithIndex), its hostname is `<job>-<i>`, and it carries the
// `batch.kubernetes.io/job-completion-index` label and annotation; the lowest indexes run
// first. https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode
#[test]
fn indexed_job_pods_carry_their_index() {
    let spec = JobSpec { completions: Some(5), indexed: true, ..JobSpec::default() };
    let c = job("render", 2, spec).build();
    let mut pods = pods_of(&c, "render-");
    pods.sort_by_key(|p| p.spec.hostname.clone());
    assert_eq!(pods.len(), 2);
    for (i, p) in pods.iter().enumerate() {
        let rest = p.name.strip_prefix(&format!("render-{i}-")).unwrap_or_else(|| panic!("{}", p.name));
        assert!(generated(rest, 5), "{}", p.name);
        assert_eq!(p.spec.hostname.as_deref(), Some(format!("render-{i}").as_str()));
        assert_eq!(label(p, "batch.kubernetes.io/job-completion-index"), Some(i.to_string().as_str()));
        assert_eq!(
            p.spec.annotations.get("batch.kubernetes.io/job-completion-index").map(String::as_str),
            Some(i.to_string().as_str())
        );
    }
}

// pkg/controller/cronjob/utils.go getJobName: a CronJob's Job is `<cronjob>-<scheduled time
// in minutes since the Unix epoch>`; its pods are that Job's. The model shows the CronJob
// while one run is in progress: the Job of its last schedule (`status.lastScheduleTime`),
// else of a minute derived from its name.
#[test]
fn cronjob_pods_belong_to_the_job_of_its_scheduled_minute() {
    let cron = |spec: JobSpec| {
        scenario()
            .workload(WorkloadKind::CronJob, "default", "backup", 1, "app=backup", &[])
            .with_workload(|w| w.job = Some(spec))
            .build()
    };
    // 2026-01-01T00:00:00Z is 29453760 minutes after the epoch.
    let c = cron(JobSpec { scheduled_minute: Some(29_453_760), ..JobSpec::default() });
    let pods = pods_of(&c, "backup-");
    assert_eq!(pods.len(), 1);
    let p = pods[0];
    let rest = p.name.strip_prefix("backup-29453760-").unwrap_or_else(|| panic!("{}", p.name));
    assert!(generated(rest, 5), "{}", p.name);
    assert_eq!(label(p, "job-name"), Some("backup-29453760"));
    assert_eq!(label(p, "batch.kubernetes.io/job-name"), Some("backup-29453760"));
    assert_eq!(p.owner.as_ref().map(|o| (o.kind, o.name.as_str())), Some(("CronJob", "backup")));
    // Without a last schedule time: a minute of 2026 that the name decides, the same on
    // every build.
    let c = cron(JobSpec::default());
    let name = &pods_of(&c, "backup-")[0].name;
    let minute: u64 = name.split('-').nth(1).unwrap().parse().unwrap();
    assert!((29_453_760..29_453_760 + 525_600).contains(&minute), "{name}");
    assert_eq!(c, cron(JobSpec::default()));
}

// pkg/controller/replication: the ReplicationManager is the ReplicaSet controller over
// ReplicationControllers, so its pods are `<rc>-<5 random>` like a ReplicaSet's.
#[test]
fn replication_controller_pods_are_named_like_replica_set_pods() {
    let c = scenario()
        .workload(WorkloadKind::ReplicationController, "default", "legacy", 3, "app=legacy", &[])
        .build();
    let pods = pods_of(&c, "legacy-");
    assert_eq!(pods.len(), 3);
    for p in &pods {
        assert!(generated(p.name.strip_prefix("legacy-").unwrap(), 5), "{}", p.name);
        assert_eq!(label(p, "app"), Some("legacy"));
        assert_eq!(p.owner.as_ref().map(|o| o.kind), Some("ReplicationController"));
    }
}
