//! Job and CronJob (batch/v1): the job spec the model reads (parallelism, completions,
//! completion mode, suspend, the selector and the pod template), its defaulting
//! (pkg/apis/batch/v1/defaults.go `SetDefaults_Job`) and its validation
//! (pkg/apis/batch/validation: `ValidateJob`, `validateJobSpec`, `validateGeneratedSelector`,
//! `ValidateCronJobCreate`, `ValidateJobTemplateSpec`) for those fields.

use k8s_openapi::api::batch::v1 as batch;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;
use netsim::{Labels, Source, WorkloadKind};

use crate::fields::{boolean, get, int, label_selector, object, object_meta, present, req_string, string};
use crate::names;
use crate::object::{At, Meta, Obj, Object};
use crate::tree::Node;

use super::pod::{build_template, pod_spec};

/// What the conversion reads of a Job.
pub struct Job {
    pub metadata: meta::ObjectMeta,
    /// `metadata.uid`, when written (a dump): the value of the `controller-uid` labels.
    pub uid: Option<String>,
    pub spec: batch::JobSpec,
}

/// What the conversion reads of a CronJob.
pub struct CronJob {
    pub metadata: meta::ObjectMeta,
    pub schedule: String,
    pub job_template: batch::JobTemplateSpec,
    /// `status.lastScheduleTime`, as written (checked as RFC 3339 by the schema).
    pub last_schedule_time: Option<String>,
}

fn job_spec(s: Option<&Node>) -> batch::JobSpec {
    batch::JobSpec {
        completion_mode: string(s, "completionMode"),
        completions: int(s, "completions"),
        manual_selector: boolean(s, "manualSelector"),
        parallelism: int(s, "parallelism"),
        selector: object(s, "selector", label_selector),
        suspend: boolean(s, "suspend"),
        template: object(s, "template", build_template).unwrap_or_default(),
        ..Default::default()
    }
}

pub fn build(node: &Node) -> Job {
    let n = Some(node);
    Job {
        metadata: object_meta(n),
        uid: string(present(get(n, "metadata")), "uid"),
        spec: object(n, "spec", job_spec).unwrap_or_default(),
    }
}

pub fn build_cron(node: &Node) -> CronJob {
    let n = Some(node);
    let spec = present(get(n, "spec"));
    CronJob {
        metadata: object_meta(n),
        schedule: req_string(spec, "schedule"),
        job_template: object(spec, "jobTemplate", |t| batch::JobTemplateSpec {
            metadata: present(get(t, "metadata")).map(|_| object_meta(t)),
            spec: object(t, "spec", job_spec),
        })
        .unwrap_or_default(),
        last_schedule_time: string(present(get(n, "status")), "lastScheduleTime"),
    }
}

/// A CronJob's name: a DNS subdomain of at most 52 characters, since the controller appends
/// `-<minutes>` (11 characters) to name its Jobs (`ValidateCronJobCreate`).
pub(crate) fn cronjob_name(name: &str) -> Result<(), String> {
    names::dns1123_subdomain(name)?;
    if name.len() > 52 {
        return Err(format!(
            "must be no more than 52 characters (it has {}): the CronJob's Jobs are named `<name>-<minutes>`",
            name.len()
        ));
    }
    Ok(())
}

/// The labels the API server's Job strategy puts on the template and selects by
/// (pkg/registry/batch/job/strategy.go `generateSelector`).
const NAME_LABELS: [&str; 2] = ["job-name", "batch.kubernetes.io/job-name"];
const UID_LABELS: [&str; 2] = ["controller-uid", "batch.kubernetes.io/controller-uid"];

pub(crate) fn read(o: &mut Obj<'_>, root: At<'_>, v: Job, m: Meta, source: Option<Source>) -> Object {
    let spec_at = root.key("spec");
    let tlabels = v.spec.template.metadata.as_ref().and_then(|t| t.labels.clone()).unwrap_or_default();
    let labels_at = spec_at.key("template").key("metadata").key("labels");
    let manual = v.spec.manual_selector == Some(true);
    let sel_at = spec_at.key("selector");
    let raw = v.spec.selector.clone().unwrap_or_default();
    let errors = o.errors;
    let selector = o.selector(sel_at, &raw);
    let written = !selector.is_empty();
    if manual && !written {
        o.error(
            "missing-field",
            sel_at.key_span(),
            "`manualSelector: true` needs a `spec.selector`".into(),
            vec!["or leave both out: the API server generates the selector".into()],
        );
    } else if manual && o.errors == errors && !selector.matches(&tlabels) {
        o.error(
            "selector-mismatch",
            sel_at.key_span(),
            "`spec.selector` does not match the template's labels (`spec.template.metadata.labels`)".into(),
            vec!["the selector's labels must all appear on the pod template".into()],
        );
    }
    if !manual {
        generated_selector(
            o,
            (&m.name, v.uid.as_deref()),
            written.then_some(&selector),
            sel_at,
            labels_at,
            &tlabels,
        );
    }
    // `WarningsOnCreate`: the name is used in pod names and hostnames.
    if let (false, Err(why)) = (m.name.is_empty(), names::dns1123_label(&m.name)) {
        o.warn(
            "name-not-a-label",
            root.key("metadata").key("name").span(),
            format!("the Job's name is used in its pods' names and hostnames, so a DNS label is recommended: {why}"),
            vec![],
        );
    }
    let (replicas, mut job, mut template) = read_job_spec(o, spec_at, &v.spec);
    // `generateSelector` labels the template with the Job's name (its UID labels are the
    // model's to add when the cluster is built, as the UID may be derived).
    if !manual {
        for key in NAME_LABELS {
            template.labels.entry(key.to_string()).or_insert_with(|| m.name.clone());
        }
    }
    // An Indexed Job's pods have the hostname `<name>-<index>`, a DNS label (`ValidateJob`).
    if let (true, Some(c)) = (job.indexed, job.completions.filter(|&c| c > 0)) {
        let last = format!("{}-{}", m.name, c - 1);
        if let Err(why) = names::dns1123_label(&last) {
            o.error(
                "invalid-name",
                root.key("metadata").key("name").span(),
                format!(
                    "an Indexed Job's pods are named `{last}` at most, which is not a valid hostname: {why}"
                ),
                vec![],
            );
        }
    }
    job.uid = v.uid;
    let selector = if manual {
        selector
    } else {
        netsim::LabelSelector::from_labels(&sorted::map([(
            "batch.kubernetes.io/job-name".to_string(),
            m.name.clone(),
        )]))
    };
    Object::Workload(netsim::Workload {
        kind: WorkloadKind::Job,
        name: m.name,
        namespace: m.namespace,
        replicas,
        selector,
        template,
        service_name: None,
        job: Some(job),
        source,
    })
}

/// `validateGeneratedSelector`: without `manualSelector`, a written selector must select
/// the labels the API server generates, and the template may set them only to the Job's
/// name and UID.
fn generated_selector(
    o: &mut Obj<'_>,
    (name, uid): (&str, Option<&str>),
    selector: Option<&netsim::LabelSelector>,
    sel_at: At<'_>,
    labels_at: At<'_>,
    tlabels: &Labels,
) {
    for (keys, want, what) in
        [(NAME_LABELS, Some(name), "the Job's name"), (UID_LABELS, uid, "the Job's `metadata.uid`")]
    {
        for key in keys {
            let Some(value) = tlabels.get(key) else { continue };
            if want != Some(value.as_str()) {
                o.error(
                    "invalid-value",
                    labels_at.key(key).span(),
                    format!("the template label `{key}` must be {what}, not `{value}`"),
                    vec![format!("leave `{key}` out: the API server sets it")],
                );
            }
        }
    }
    let Some(selector) = selector else { return };
    let uid = uid.unwrap_or("(the Job's uid)");
    let expected: Labels = sorted::map(
        NAME_LABELS
            .iter()
            .map(|k| (k.to_string(), name.to_string()))
            .chain(UID_LABELS.iter().map(|k| (k.to_string(), uid.to_string()))),
    );
    if !selector.matches(&expected) {
        o.error(
            "selector-mismatch",
            sel_at.key_span(),
            "`spec.selector` is not the generated one: without `manualSelector: true` a Job selects its own `controller-uid`".into(),
            vec!["leave `selector` out (the API server generates it), or set `manualSelector: true`".into()],
        );
    }
}

/// The job spec a Job and a CronJob's `jobTemplate` share (`validateJobSpec` and
/// `SetDefaults_Job`): parallelism (the pods' count, returned first), completions,
/// completion mode, suspend, the pod template and its restart policy.
fn read_job_spec(
    o: &mut Obj<'_>,
    spec_at: At<'_>,
    spec: &batch::JobSpec,
) -> (u32, netsim::JobSpec, netsim::PodSpec) {
    let mut count = |field: &str, value: Option<i32>| match value {
        Some(v) if v < 0 => {
            o.error(
                "invalid-value",
                spec_at.key(field).span(),
                format!("`{field}` must not be negative, not {v}"),
                vec![],
            );
            Some(0)
        }
        v => v.map(|v| v as u32),
    };
    let parallelism = count("parallelism", spec.parallelism);
    let completions = count("completions", spec.completions);
    // Neither set: both 1; parallelism alone defaults to 1, completions stays unset.
    let completions = if parallelism.is_none() && completions.is_none() { Some(1) } else { completions };
    let parallelism = parallelism.unwrap_or(1);
    let mode_at = spec_at.key("completionMode");
    let indexed = spec
        .completion_mode
        .as_deref()
        .and_then(|m| o.pick(mode_at, "completionMode", m, &[("NonIndexed", false), ("Indexed", true)]))
        .unwrap_or(false);
    if indexed && spec.completions.is_none() {
        o.error(
            "missing-field",
            mode_at.span(),
            "`completionMode: Indexed` needs `completions`".into(),
            vec!["set `completions` to the number of indexes".into()],
        );
    }
    let tmpl_at = spec_at.key("template");
    let tmeta = spec.template.metadata.clone().unwrap_or_default();
    let tlabels = tmeta.labels.clone().unwrap_or_default();
    o.labels(tmpl_at.key("metadata").key("labels"), &tlabels);
    let tannotations = tmeta.annotations.unwrap_or_default();
    restart_policy(
        o,
        tmpl_at.key("spec"),
        spec.template.spec.as_ref().and_then(|s| s.restart_policy.as_deref()),
    );
    let template = pod_spec(o, tmpl_at.key("spec"), spec.template.spec.as_ref(), tlabels, tannotations);
    let job = netsim::JobSpec {
        completions,
        indexed,
        suspend: spec.suspend == Some(true),
        manual_selector: spec.manual_selector == Some(true),
        uid: None,
        scheduled_minute: None,
    };
    (parallelism, job, template)
}

/// A Job's pods end: "Only a RestartPolicy equal to Never or OnFailure is allowed"
/// (https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-template).
fn restart_policy(o: &mut Obj<'_>, spec_at: At<'_>, policy: Option<&str>) {
    let hint = || vec!["add `restartPolicy: Never` (or `OnFailure`) to the pod template's spec".to_string()];
    match policy {
        Some("Never" | "OnFailure") => {}
        None => o.error(
            "missing-field",
            spec_at.key_span(),
            "a Job's pod template needs `restartPolicy: OnFailure` or `Never`".into(),
            hint(),
        ),
        Some(other) => o.error(
            "invalid-value",
            spec_at.key("restartPolicy").span(),
            format!("a Job's pods need `restartPolicy` OnFailure or Never, not `{other}`"),
            hint(),
        ),
    }
}

pub(crate) fn read_cron(
    o: &mut Obj<'_>,
    root: At<'_>,
    v: CronJob,
    m: Meta,
    source: Option<Source>,
) -> Object {
    let spec_at = root.key("spec");
    if v.schedule.is_empty() {
        o.error(
            "missing-field",
            spec_at.key_span(),
            "a CronJob needs a `schedule` (cron syntax, such as \"*/5 * * * *\")".into(),
            vec![],
        );
    }
    let job_at = spec_at.key("jobTemplate").key("spec");
    let job_spec = v.job_template.spec.clone().unwrap_or_default();
    // `ValidateJobTemplateSpec`: the selector of the CronJob's Jobs is always generated.
    if job_spec.selector.is_some() {
        o.error(
            "invalid-value",
            job_at.key("selector").key_span(),
            "a CronJob's `jobTemplate` takes no `selector`: it will be auto-generated".into(),
            vec!["remove `selector`".into()],
        );
    }
    if job_spec.manual_selector == Some(true) {
        o.error(
            "invalid-value",
            job_at.key("manualSelector").span(),
            "a CronJob's `jobTemplate` cannot set `manualSelector: true`".into(),
            vec![],
        );
    }
    let (replicas, mut job, template) = read_job_spec(o, job_at, &job_spec);
    job.scheduled_minute = v.last_schedule_time.as_deref().and_then(unix_minutes);
    let selector = netsim::LabelSelector::from_labels(&template.labels);
    Object::Workload(netsim::Workload {
        kind: WorkloadKind::CronJob,
        name: m.name,
        namespace: m.namespace,
        replicas,
        selector,
        template,
        service_name: None,
        job: Some(job),
        source,
    })
}

/// Minutes since the Unix epoch of an RFC 3339 time (`2026-01-01T03:00:00Z`, with an
/// optional fraction and a `Z` or `±hh:mm` offset), as the CronJob controller numbers its
/// Jobs (`getTimeHashInMinutes`: seconds / 60). `None` before 1970 or when unreadable.
pub(crate) fn unix_minutes(t: &str) -> Option<u64> {
    let num = |a: usize, b: usize| t.get(a..b).and_then(|s| s.parse::<i64>().ok());
    let (y, mo, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (h, mi, s) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    let zone = t.get(19..)?.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let offset = match zone {
        "Z" | "z" => 0,
        _ => {
            let sign = match zone.get(..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            sign * (zone.get(1..3)?.parse::<i64>().ok()? * 60 + zone.get(4..6)?.parse::<i64>().ok()?)
        }
    };
    // Days from 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (mo + if mo > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let minutes = days * 1440 + h * 60 + mi - offset + s / 60;
    u64::try_from(minutes).ok()
}

#[cfg(test)]
mod tests {
    use super::unix_minutes;

    #[test]
    fn rfc3339_times_in_minutes() {
        assert_eq!(unix_minutes("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(unix_minutes("2026-01-01T00:00:00Z"), Some(29_453_760));
        assert_eq!(unix_minutes("2026-01-01T03:00:59.5Z"), Some(29_453_760 + 180));
        assert_eq!(unix_minutes("2026-01-01T05:00:00+02:00"), Some(29_453_760 + 180));
        assert_eq!(unix_minutes("2024-02-29T00:00:00Z"), Some(19_782 * 1440));
        assert_eq!(unix_minutes("1969-12-31T23:59:00Z"), None);
        assert_eq!(unix_minutes("garbage"), None);
    }
}
