//! The crate's modules use one another one way: each names (`crate::x`, `super::`) only the
//! modules before it in the order `lib.rs` gives, so no two modules depend on each other
//! through any path. Test modules (`#[cfg(test)]` and after) are not counted.
#![allow(clippy::disallowed_methods)] // Not in the wasm: the standard sort is fine (clippy.toml).

use std::path::Path;

/// The order in lib.rs's documentation: "Modules use only those before them in this order:
/// `a`, `b`, ...; ".
fn order(lib: &str) -> Vec<String> {
    let doc: String = lib.lines().filter_map(|l| l.strip_prefix("//!")).collect::<Vec<_>>().join(" ");
    let (_, rest) = doc.split_once("in this order:").expect("lib.rs gives the modules' order");
    let (list, _) = rest.split_once(';').expect("the order ends with `;`");
    list.split(',').map(|m| m.trim().trim_matches('`').to_string()).collect()
}

/// The crate modules `text` names through `crate::` or `super::`.
fn named(text: &str) -> Vec<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let name: String =
            code[i + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        out.push(name);
    }
    if code.contains("super::") {
        out.push("super".into());
    }
    out
}

#[test]
fn modules_use_only_those_before_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    let order = order(&lib);
    let mut files: Vec<String> = std::fs::read_dir(&src)
        .expect("src")
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".rs")).map(str::to_string))
        .filter(|m| m != "lib")
        .collect();
    files.sort_unstable();
    let mut listed = order.clone();
    listed.sort_unstable();
    assert_eq!(files, listed, "lib.rs's order lists every module of src/, once");
    let mut wrong = Vec::new();
    for (i, module) in order.iter().enumerate() {
        let text = std::fs::read_to_string(src.join(format!("{module}.rs"))).expect("module");
        for used in named(&text) {
            if used != *module && !order[..i].contains(&used) {
                wrong.push(format!("{module} uses {used}, which does not come before it"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
