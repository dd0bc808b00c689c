//! Sandboxes: free playgrounds on a starter cluster, with no checks, saved by name. A sandbox
//! is played as an exercise of chapter `sandbox` whose files are whatever the learner made.

use exercises::{Exercise, File, Level, TopologyOptions};

pub const CHAPTER: &str = "sandbox";
const STARTER_CLUSTER: &str = include_str!("sandbox/cluster.yaml");
const STARTER_FILE: &str = include_str!("sandbox/playground.yaml");
pub const FIRST_FILE: &str = "playground.yaml";
/// The file of a sandbox made from the shop on ingress-nginx.
pub const SHOP_FILE: &str = "shop-ingress.yaml";

crate::later::later! {
    /// The shop on ingress-nginx (its Services, and Ingresses with TLS, a regex path and a
    /// rewrite), ready to convert and replay: the file of a sandbox made from it, fetched
    /// when one is made.
    starter: fn shop_starter_later() -> &'static str {
        include_str!("sandbox/shop-ingress.yaml")
    }
}

const STORY: &str =
    "A cluster to play in, with no checks. Namespace `shop` runs `web` (2 pods, port `http` = 8080), \
`api` (3 pods, ports `http` = 9090 and `metrics` = 9100) and a `client` pod; namespace `payments` runs the \
`ledger` StatefulSet (port `pg` = 5432). The read-only `cluster.yaml` tab shows them.\n\n\
Write Services, Ingresses and NetworkPolicies in your files, add files with **+ file**, and ask the cluster \
in the terminal: `kubectl get endpoints -A`, `kubectl exec -n shop client -- curl http://web`, \
`kubectl describe netpol NAME -n shop`. Your sandbox is saved in this browser as you type.";

/// `My Lab 2` -> `my-lab-2`; `None` when nothing usable is left.
pub fn slug(name: &str) -> Option<String> {
    let mut s = String::new();
    for c in name.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-').chars().take(40).collect::<String>();
    (!s.is_empty()).then_some(s)
}

/// A file name the learner may add: letters, digits, `-`, `_` and `.`, ending in .yaml/.yml.
pub fn file_name(name: &str) -> Option<String> {
    let n = name.trim();
    let base = if n.ends_with(".yaml") || n.ends_with(".yml") { n.to_string() } else { format!("{n}.yaml") };
    let ok = base.len() <= 60
        && base != exercises::CLUSTER_FILE
        && base.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !base.starts_with('.');
    ok.then_some(base)
}

/// The exercise that plays sandbox `name` with `files` (names, in tab order).
pub fn exercise(name: &str, files: &[String]) -> Exercise {
    let files = if files.is_empty() { vec![FIRST_FILE.to_string()] } else { files.to_vec() };
    Exercise {
        id: format!("sandbox-{name}"),
        chapter: CHAPTER.into(),
        title: format!("Sandbox: {name}"),
        level: Level::Beginner,
        concepts: Vec::new(),
        story: STORY.into(),
        cluster: STARTER_CLUSTER.into(),
        topology: TopologyOptions {
            kube_proxy_mode: crate::store::sandbox_nftables().then_some(exercises::KubeProxyMode::Nftables),
            ..TopologyOptions::default()
        },
        files: files
            .iter()
            .map(|f| File {
                name: f.clone(),
                text: if f == FIRST_FILE { STARTER_FILE.into() } else { String::new() },
            })
            .collect(),
        checks: Vec::new(),
        hints: Vec::new(),
        solution: Vec::new(),
    }
}
