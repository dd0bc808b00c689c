//! The crate dependency invariants of ARCHITECTURE.md, checked from the Cargo.toml files.

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::root;

    /// The names under `[dependencies]` (not dev- or build-dependencies) of a Cargo.toml.
    fn dependencies(manifest: &str) -> Vec<String> {
        let mut in_deps = false;
        let mut names = Vec::new();
        for line in manifest.lines().map(str::trim) {
            if line.starts_with('[') {
                in_deps = line == "[dependencies]";
                continue;
            }
            if in_deps && !line.is_empty() && !line.starts_with('#') {
                if let Some(name) = line.split(['=', '.', ' ']).next() {
                    names.push(name.trim().to_string());
                }
            }
        }
        names
    }

    fn crates() -> BTreeMap<&'static str, Vec<String>> {
        let paths = [
            ("manifest", "crates/manifest"),
            ("netsim", "crates/netsim"),
            ("kubectl", "crates/kubectl"),
            ("sorted", "crates/sorted"),
            ("exercises", "crates/exercises"),
            ("cli", "crates/cli"),
            ("xtask", "crates/xtask"),
            ("web", "web"),
            ("e2e", "tests"),
            ("fuzz", "fuzz"),
        ];
        paths
            .iter()
            .map(|(name, dir)| {
                let text = std::fs::read_to_string(root().join(dir).join("Cargo.toml")).expect("Cargo.toml");
                (*name, dependencies(&text))
            })
            .collect()
    }

    const OURS: [&str; 5] = ["sorted", "manifest", "netsim", "kubectl", "exercises"];

    #[test]
    fn dependencies_point_one_way() {
        // sorted <- netsim <- manifest <- exercises <- cli, web, and netsim <- kubectl <- cli,
        // web, fuzz (ARCHITECTURE.md, "Invariants").
        let allowed: [(&str, &[&str]); 10] = [
            ("sorted", &[]),
            ("netsim", &["sorted"]),
            ("kubectl", &["netsim", "sorted"]),
            ("manifest", &["netsim", "sorted"]),
            ("exercises", &["manifest", "netsim", "sorted"]),
            ("cli", &["manifest", "netsim", "kubectl", "exercises"]),
            ("web", &["manifest", "netsim", "kubectl", "exercises", "sorted"]),
            ("xtask", &["manifest", "exercises"]),
            ("e2e", &[]),
            ("fuzz", &["manifest", "netsim", "kubectl", "exercises"]),
        ];
        let crates = crates();
        for (name, ok) in allowed {
            for dep in &crates[name] {
                if OURS.contains(&dep.as_str()) {
                    assert!(ok.contains(&dep.as_str()), "{name} must not depend on {dep}");
                }
            }
        }
    }

    #[test]
    fn kubectl_is_the_terminal_only() {
        // The model and the grader answer without it; only the faces that run commands use it.
        let crates = crates();
        for (name, deps) in &crates {
            if deps.iter().any(|d| d == "kubectl") {
                assert!(
                    ["web", "cli", "fuzz"].contains(name),
                    "only web, cli and fuzz may use kubectl, not {name}"
                );
            }
        }
        assert!(
            crates["kubectl"].iter().all(|d| d == "netsim" || d == "sorted"),
            "kubectl is std-only over the model: {:?}",
            crates["kubectl"]
        );
    }

    #[test]
    fn netsim_is_std_only() {
        // Its one dependency is ours and has none: sorting with one copy of the standard sort.
        let crates = crates();
        assert_eq!(crates["netsim"], ["sorted"], "netsim depends on nothing but sorted");
        assert_eq!(crates["sorted"], Vec::<String>::new(), "sorted has no dependencies");
    }

    #[test]
    fn browser_crates_only_in_web() {
        let browser = ["wasm-bindgen", "wasm-bindgen-futures", "web-sys", "js-sys", "gloo", "leptos"];
        for (name, deps) in crates() {
            if name == "web" {
                continue;
            }
            for dep in deps {
                assert!(!browser.contains(&dep.as_str()), "only web may use {dep}, but {name} does");
            }
        }
    }

    #[test]
    fn yaml_and_api_types_only_in_manifest() {
        let manifest_only = ["serde_yaml", "saphyr-parser", "k8s-openapi"];
        for (name, deps) in crates() {
            if name == "manifest" {
                continue;
            }
            for dep in deps {
                assert!(
                    !manifest_only.contains(&dep.as_str()),
                    "only manifest may use {dep}, but {name} does"
                );
            }
        }
    }

    #[test]
    fn reads_dependency_names() {
        let text = "[package]\nname = \"x\"\n[dependencies]\nnetsim.workspace = true\nserde = { version = \"1\" }\n\n[dev-dependencies]\nleptos = \"0.8\"\n";
        assert_eq!(dependencies(text), ["netsim", "serde"]);
    }
}
