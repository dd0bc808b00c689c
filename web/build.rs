//! Embeds the curriculum: every exercise file under exercises/ (and chapters.yaml) becomes a
//! `(path, text)` entry of `CURRICULUM`, so the site works offline from its own wasm.

use std::path::{Path, PathBuf};

fn main() {
    // The directory is read from the environment when the script runs, not baked in when it
    // was compiled: cargo reuses a build script's binary across checkouts of the workspace (its
    // hash does not include the absolute path), and a baked-in path to a deleted checkout gave
    // a silently empty curriculum.
    let manifest_dir =
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR for build scripts");
    let root = Path::new(&manifest_dir).join("../exercises");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        println!("cargo:rerun-if-changed={}", dir.display());
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "yaml") {
                files.push(p);
            }
        }
    }
    files.sort();
    // An empty curriculum would build a site with no exercises: fail the build instead.
    if !files.iter().any(|f| f.ends_with("chapters.yaml")) {
        panic!("no curriculum under {}: expected chapters.yaml and the exercise files", root.display());
    }
    let mut out = String::from("/// `(path under exercises/, text)` of every YAML file of the curriculum.\npub static CURRICULUM: &[(&str, &str)] = &[\n");
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap_or(f).to_string_lossy().replace('\\', "/");
        out.push_str(&format!("    ({rel:?}, include_str!({:?})),\n", f.display().to_string()));
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("curriculum.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}
