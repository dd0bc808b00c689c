//! `cargo xtask split-wasm`, Trunk's first post-build hook (Trunk.toml): splits the app's
//! wasm at its split points (web/src/later.rs) into the module the page loads first and one
//! chunk per later part, as cargo-leptos does with the same library.
//!
//! Trunk has built the wasm (feature `split`, linked with `--emit-relocs`, which wasm-split
//! needs) and run wasm-bindgen on it; this step starts again from cargo's output:
//! 1. wasm-split writes the first module, the chunks and the loader script that fetches them;
//! 2. wasm-bindgen runs on the first module under the name Trunk gave its own output
//!    (`web-<hash>`), keeping the exports the chunks import;
//! 3. in a release build, wasm-opt -Oz optimizes each module, and esbuild minifies
//!    wasm-bindgen's script and the loader (both are read before the first grade);
//! 4. the loader script and the chunks are named by a hash of their contents (so no cache
//!    keeps an old one), and index.html's integrity hashes are written anew.
//!
//! A build without split points (the web crate without its feature `split`) passes through
//! as one module, optimized.

use std::path::{Path, PathBuf};

use crate::workspace::{run, target_dir, Result};

/// The loader's module name as the split writes it; replaced by one of the same length
/// that names its contents.
const LINK_PLACEHOLDER: &str = "__wasm_split.______________________.js";

pub fn split_wasm() -> Result {
    let staging = PathBuf::from(
        std::env::var_os("TRUNK_STAGING_DIR")
            .ok_or("split-wasm: TRUNK_STAGING_DIR is not set (run through trunk)")?,
    );
    let release = std::env::var("TRUNK_PROFILE").map_or(true, |p| p == "release");
    let raw = target_dir()
        .join("wasm32-unknown-unknown")
        .join(if release { "release" } else { "debug" })
        .join("web.wasm");
    let stem = trunk_stem(&staging)?;
    let work = target_dir().join("wasm-split");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;

    // 1. The split.
    let input = std::fs::read(&raw).map_err(|e| format!("{}: {e}", raw.display()))?;
    let main_out = work.join("main.wasm");
    let main_module = format!("./{stem}.js");
    let link_name = format!("./{LINK_PLACEHOLDER}");
    let split = wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(&input);
        opts.output_dir = &work;
        opts.main_out_path = &main_out;
        opts.main_module = &main_module;
        opts.link_name = &link_name;
        opts
    })
    .map_err(|e| format!("wasm-split of {}: {e:#}", raw.display()))?;

    // 2. wasm-bindgen on the first module, as Trunk runs it, keeping the split's exports.
    let bindgen = work.join("bindgen");
    run(
        "wasm-bindgen on the split's first module",
        std::process::Command::new("wasm-bindgen")
            .args(["--target=web", "--no-typescript", "--keep-lld-exports", "--no-demangle"])
            .arg(format!("--out-name={stem}"))
            .arg(format!("--out-dir={}", bindgen.display()))
            .arg(&main_out),
    )?;
    let first_wasm = bindgen.join(format!("{stem}_bg.wasm"));
    let chunks: Vec<PathBuf> = split.split_modules.iter().map(PathBuf::from).collect();

    // 3. Optimize.
    if release {
        for wasm in std::iter::once(&first_wasm).chain(&chunks) {
            run(
                &format!("wasm-opt -Oz {}", file_name(wasm)),
                std::process::Command::new("wasm-opt").arg("-Oz").arg("--output").arg(wasm).arg(wasm),
            )?;
        }
    }

    // 4. Names by contents, then into the staging folder.
    let mut js = read_text(&bindgen.join(format!("{stem}.js")))?;
    if chunks.is_empty() && !js.contains(LINK_PLACEHOLDER) {
        // A build without split points (the web crate without its feature `split`): one module.
        write(&staging.join(format!("{stem}.js")), js.as_bytes())?;
        copy(&first_wasm, &staging.join(format!("{stem}_bg.wasm")))?;
        integrity(&staging, &[format!("{stem}.js"), format!("{stem}_bg.wasm")])?;
        eprintln!("split-wasm: no split points, one module: {stem}_bg.wasm");
        return Ok(());
    }
    let mut loader = read_text(&work.join(LINK_PLACEHOLDER))?;
    if release {
        js = minify(&js, &format!("{stem}.js"))?;
        loader = minify(&loader, "the split's loader")?;
    }
    for chunk in &chunks {
        let name = file_name(chunk);
        let hashed =
            hashed_name(name, &std::fs::read(chunk).map_err(|e| format!("{}: {e}", chunk.display()))?);
        if !loader.contains(name) {
            return Err(format!("split-wasm: the loader script does not name the chunk {name}"));
        }
        loader = loader.replace(name, &hashed);
        copy(chunk, &staging.join(&hashed))?;
    }
    let link = format!("__wasm_split.{}.js", &hex_digest(loader.as_bytes())[..22]);
    if !js.contains(LINK_PLACEHOLDER) {
        return Err(format!("split-wasm: {stem}.js does not import {LINK_PLACEHOLDER}"));
    }
    js = js.replace(LINK_PLACEHOLDER, &link);
    // The first module imports the loader by the same name: same length, so a byte swap.
    let wasm = replace_bytes(
        &std::fs::read(&first_wasm).map_err(|e| format!("{}: {e}", first_wasm.display()))?,
        LINK_PLACEHOLDER,
        &link,
    )?;
    write(&staging.join(&link), loader.as_bytes())?;
    write(&staging.join(format!("{stem}.js")), js.as_bytes())?;
    write(&staging.join(format!("{stem}_bg.wasm")), &wasm)?;
    integrity(&staging, &[format!("{stem}.js"), format!("{stem}_bg.wasm")])?;
    eprintln!("split-wasm: {} chunk(s) beside {stem}_bg.wasm, loaded by {link}", chunks.len());
    Ok(())
}

/// `script` (an ES module) minified by esbuild (from npm, first on PATH as `cargo xtask`
/// runs Trunk): names, spaces and comments; every import, export and string stays.
fn minify(script: &str, what: &str) -> Result<String> {
    use std::io::Write;
    let mut child = std::process::Command::new("esbuild")
        .args(["--minify", "--format=esm", "--target=es2020", "--loader=js", "--log-level=warning"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("esbuild (minify {what}): {e}"))?;
    child
        .stdin
        .take()
        .ok_or("esbuild: no stdin")?
        .write_all(script.as_bytes())
        .map_err(|e| format!("esbuild (minify {what}): {e}"))?;
    let out = child.wait_with_output().map_err(|e| format!("esbuild (minify {what}): {e}"))?;
    if !out.status.success() {
        return Err(format!("esbuild could not minify {what}: {}", out.status));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("esbuild (minify {what}): {e}"))
}

/// The name Trunk gave the wasm-bindgen output (`web-<hash>`), from its `.js` file.
fn trunk_stem(staging: &Path) -> Result<String> {
    let entries = std::fs::read_dir(staging).map_err(|e| format!("{}: {e}", staging.display()))?;
    let mut stems: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix("_bg.wasm")).map(String::from))
        .collect();
    match stems.len() {
        1 => Ok(stems.remove(0)),
        n => Err(format!(
            "split-wasm: {} holds {n} wasm-bindgen outputs (*_bg.wasm), expected one",
            staging.display()
        )),
    }
}

/// Rewrites the `integrity` attribute of each file's `<link>` in index.html (Trunk wrote
/// them for its own output).
fn integrity(staging: &Path, files: &[String]) -> Result {
    use base64::Engine;
    use sha2::Digest;
    let index = staging.join("index.html");
    let mut html = read_text(&index)?;
    for file in files {
        let bytes = std::fs::read(staging.join(file)).map_err(|e| format!("{file}: {e}"))?;
        let sri = format!(
            "sha384-{}",
            base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(&bytes))
        );
        let Some(at) = html.find(&format!("{file}\"")) else { continue };
        let tag_end = at + html[at..].find('>').ok_or("index.html: unterminated tag")?;
        let Some(attr) = html[at..tag_end].find("integrity=\"").map(|i| at + i + "integrity=\"".len()) else {
            continue;
        };
        let value_end = attr + html[attr..].find('"').ok_or("index.html: unterminated integrity")?;
        html.replace_range(attr..value_end, &sri);
    }
    write(&index, html.as_bytes())
}

/// `bytes` with every `from` replaced by `to`, which has the same length (a module name in
/// the wasm's import section).
fn replace_bytes(bytes: &[u8], from: &str, to: &str) -> Result<Vec<u8>> {
    assert_eq!(from.len(), to.len(), "a same-length replacement");
    let (from, to) = (from.as_bytes(), to.as_bytes());
    let mut out = bytes.to_vec();
    let mut found = 0;
    let mut at = 0;
    while let Some(i) = out[at..].windows(from.len()).position(|w| w == from) {
        out[at + i..at + i + from.len()].copy_from_slice(to);
        at += i + from.len();
        found += 1;
    }
    if found == 0 {
        return Err(format!(
            "split-wasm: the first module does not import {}",
            String::from_utf8_lossy(from)
        ));
    }
    Ok(out)
}

/// `name.ext` as `name-<16 hex digits of its contents' SHA-256>.ext`.
fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let digest = &hex_digest(bytes)[..16];
    match name.rsplit_once('.') {
        Some((base, ext)) => format!("{base}-{digest}.{ext}"),
        None => format!("{name}-{digest}"),
    }
}

fn hex_digest(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or_default()
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn copy(from: &Path, to: &Path) -> Result {
    std::fs::copy(from, to).map(|_| ()).map_err(|e| format!("{} -> {}: {e}", from.display(), to.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loader_name_swaps_in_place_and_a_missing_one_is_an_error() {
        let wasm = b"\0asm..(./__wasm_split.______________________.js)..".to_vec();
        let to = "./__wasm_split.0123456789abcdef012345.js";
        let out = replace_bytes(&wasm, &format!("./{LINK_PLACEHOLDER}"), to).expect("found");
        assert_eq!(out.len(), wasm.len());
        assert!(out.windows(to.len()).any(|w| w == to.as_bytes()));
        assert!(replace_bytes(b"\0asm", LINK_PLACEHOLDER, &"x".repeat(LINK_PLACEHOLDER.len())).is_err());
    }

    #[test]
    fn chunks_are_named_by_their_contents() {
        let a = hashed_name("split_dock.wasm", b"one");
        assert!(
            a.starts_with("split_dock-") && a.ends_with(".wasm") && a.len() == "split_dock-.wasm".len() + 16,
            "{a}"
        );
        assert_ne!(a, hashed_name("split_dock.wasm", b"two"));
        assert_eq!(a, hashed_name("split_dock.wasm", b"one"));
    }

    #[test]
    fn integrity_hashes_follow_the_new_files() {
        let dir = std::env::temp_dir().join(format!("switchboard-split-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::fs::write(dir.join("web-1.js"), "new").expect("js");
        std::fs::write(
            dir.join("index.html"),
            r#"<link rel="modulepreload" href="/web-1.js" integrity="sha384-old"><link href="/other.css" integrity="sha384-keep">"#,
        )
        .expect("html");
        integrity(&dir, &["web-1.js".to_string()]).expect("rewritten");
        let html = std::fs::read_to_string(dir.join("index.html")).expect("html");
        let _ = std::fs::remove_dir_all(&dir);
        // `printf new | openssl dgst -sha384 -binary | base64`
        let new = "sha384-oQtuWMZdTbA7ICPQ0wcDbydp9VuhdkkSo0MLQoRb042nIb0DSe05+ibZ76lqtnU7";
        assert!(html.contains(&format!(r#"href="/web-1.js" integrity="{new}""#)), "{html}");
        assert!(html.contains("sha384-keep"), "{html}");
    }
}
