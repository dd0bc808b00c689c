//! `gen-cluster --dump`: the synthetic cluster written as `kubectl get -A -o yaml` writes a
//! cluster: one `kind: List` document, keys sorted, lists at their key's indentation (go-yaml
//! v2 through sigs.k8s.io/yaml), each pod with the fields a live cluster adds (owner, uid,
//! service account volume, tolerations, status), and in each namespace the objects every
//! namespace holds (the `kube-root-ca.crt` ConfigMap, the `default` ServiceAccount) and a
//! Secret. The benchmark of `cargo xtask bench` reads it (one file, as a dump is).

use serde_json::{json, Value};

/// `docs` as one List, in kubectl's YAML, with every Pod dressed as a live cluster writes it
/// and the objects of each namespace added.
pub fn list_yaml(docs: Vec<Value>) -> String {
    let mut items = Vec::with_capacity(docs.len() * 2);
    for (i, mut doc) in docs.into_iter().enumerate() {
        match doc["kind"].as_str() {
            Some("Pod") => dress_pod(&mut doc, i),
            Some("Namespace") => {
                let ns = doc["metadata"]["name"].as_str().unwrap_or_default().to_string();
                items.extend(namespace_objects(&ns, i));
            }
            _ => {}
        }
        items.push(doc);
    }
    let list =
        json!({"apiVersion": "v1", "kind": "List", "items": items, "metadata": {"resourceVersion": ""}});
    let mut out = String::new();
    block(&list, 0, &mut out);
    out
}

/// A deterministic UUID-shaped id.
fn uid(i: usize, salt: u64) -> String {
    let x = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ salt;
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        x >> 32,
        x & 0xffff,
        (x >> 20) & 0xfff,
        (x >> 8) & 0xfff,
        x & 0xffff_ffff_ffff
    )
}

fn namespace_objects(ns: &str, i: usize) -> Vec<Value> {
    let meta = |name: &str| json!({"name": name, "namespace": ns, "uid": uid(i, 1), "resourceVersion": "412", "creationTimestamp": "2026-11-30T09:20:01Z"});
    vec![
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("kube-root-ca.crt"),
            "data": {"ca.crt": "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAjMSEwHwYDVQQDDBhrM3Mtc2Vy\n-----END CERTIFICATE-----\n"}}),
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta("default")}),
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": meta("app-credentials"), "type": "Opaque",
            "data": {"password": "czNjcjN0", "username": "YXBw"}}),
    ]
}

/// The fields a live cluster adds to a pod of a ReplicaSet.
fn dress_pod(pod: &mut Value, i: usize) {
    let hash = format!("{:010x}", (i as u64 / 20).wrapping_mul(0x2545_f491_4f6c_dd1d) & 0xff_ffff_ffff);
    let meta = &mut pod["metadata"];
    meta["uid"] = json!(uid(i, 2));
    meta["resourceVersion"] = json!((1000 + i).to_string());
    meta["creationTimestamp"] = json!("2026-11-30T09:21:04Z");
    meta["ownerReferences"] = json!([{"apiVersion": "apps/v1", "blockOwnerDeletion": true, "controller": true,
        "kind": "ReplicaSet", "name": format!("app-{hash}"), "uid": uid(i / 20, 3)}]);
    let volume = format!("kube-api-access-{}", &uid(i, 4)[..5]);
    let spec = &mut pod["spec"];
    if let Some(c) = spec["containers"].get_mut(0) {
        c["imagePullPolicy"] = json!("IfNotPresent");
        c["resources"] =
            json!({"limits": {"memory": "256Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}});
        c["terminationMessagePath"] = json!("/dev/termination-log");
        c["terminationMessagePolicy"] = json!("File");
        c["volumeMounts"] = json!([{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": volume, "readOnly": true}]);
        c["env"] = json!([{"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}}]);
    }
    let extra = json!({
        "dnsPolicy": "ClusterFirst", "enableServiceLinks": true, "preemptionPolicy": "PreemptLowerPriority",
        "priority": 0, "restartPolicy": "Always", "schedulerName": "default-scheduler", "securityContext": {},
        "serviceAccount": "default", "serviceAccountName": "default", "terminationGracePeriodSeconds": 30,
        "tolerations": [
            {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
            {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300},
        ],
        "volumes": [{"name": volume, "projected": {"defaultMode": 420, "sources": [
            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
            {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
            {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}},
        ]}}],
    });
    if let (Some(spec), Value::Object(extra)) = (spec.as_object_mut(), extra) {
        spec.extend(extra);
    }
    let conditions: Vec<Value> = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
        .iter()
        .map(|t| json!({"lastProbeTime": null, "lastTransitionTime": "2026-11-30T09:21:09Z", "status": "True", "type": t}))
        .collect();
    pod["status"] = json!({
        "conditions": conditions,
        "containerStatuses": [{
            "containerID": format!("containerd://{}{}", uid(i, 5).replace('-', ""), uid(i, 6).replace('-', "")),
            "image": "registry.example/app:1", "imageID": "registry.example/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "lastState": {}, "name": "app", "ready": true, "restartCount": 0, "started": true,
            "state": {"running": {"startedAt": "2026-11-30T09:21:08Z"}},
        }],
        "phase": "Running", "qosClass": "Burstable", "startTime": "2026-11-30T09:21:04Z",
    });
}

/// A non-empty mapping or list, each line at `indent`.
fn block(v: &Value, indent: usize, out: &mut String) {
    match v {
        Value::Object(m) => {
            for (k, val) in m {
                out.extend(std::iter::repeat_n(' ', indent));
                out.push_str(&scalar_text(k));
                out.push(':');
                match val {
                    Value::Object(o) if !o.is_empty() => {
                        out.push('\n');
                        block(val, indent + 2, out);
                    }
                    Value::Array(a) if !a.is_empty() => {
                        out.push('\n');
                        block(val, indent, out);
                    }
                    _ => {
                        out.push(' ');
                        out.push_str(&inline(val));
                        out.push('\n');
                    }
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                out.extend(std::iter::repeat_n(' ', indent));
                out.push_str("- ");
                match item {
                    Value::Object(o) if !o.is_empty() => item_block(item, indent + 2, out),
                    Value::Array(a) if !a.is_empty() => item_block(item, indent + 2, out),
                    _ => {
                        out.push_str(&inline(item));
                        out.push('\n');
                    }
                }
            }
        }
        _ => {
            out.push_str(&inline(v));
            out.push('\n');
        }
    }
}

/// A list item's block: its first line follows the `- `.
fn item_block(v: &Value, indent: usize, out: &mut String) {
    let mut s = String::new();
    block(v, indent, &mut s);
    out.push_str(&s[indent..]);
}

fn inline(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar_text(s),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
    }
}

/// A string plain when YAML reads it back as the same string, else double-quoted (JSON's
/// escapes are YAML's).
fn scalar_text(s: &str) -> String {
    let plain = !s.is_empty()
        && s.trim() == s
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric() || "/._".contains(c))
        && !s.chars().any(|c| c.is_control() || ":#{}[],&*!|>'\"%@`".contains(c))
        && manifest::yaml::resolve_plain(s) == manifest::yaml::Resolved::Str;
    if plain {
        s.to_string()
    } else {
        Value::String(s.to_string()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// kubectl's layout: lists at their key's indentation, maps under a list item indented
    /// past the dash, strings quoted when YAML would read them otherwise.
    #[test]
    fn yaml_as_kubectl_writes_it() {
        let v = json!({"items": [{"a": 1, "b": {"c": ["x", "80", "yes", ""]}}, {}], "kind": "List", "e": []});
        let mut out = String::new();
        block(&v, 0, &mut out);
        assert_eq!(
            out,
            "e: []\nitems:\n- a: 1\n  b:\n    c:\n    - x\n    - \"80\"\n    - \"yes\"\n    - \"\"\n- {}\nkind: List\n"
        );
    }
}
