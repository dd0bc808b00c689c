//! Lists the curriculum: the chapters of exercises/chapters.yaml and, for every exercise file
//! under exercises/, its path, id, title and level. The wasm carries only this list; an
//! exercise's file is fetched when it is opened (Trunk copies exercises/ into the site, and
//! the service worker keeps every file for offline use). Embedding every exercise made the
//! curriculum 262 KB of the wasm (50 KB gzipped), loaded and parsed before the first paint.
//! It also writes every story and hint to `stories.rs`, which only tests/markdown.rs includes.

use std::path::{Path, PathBuf};

use saphyr_parser::{Event, Parser};

fn main() {
    // The directory is read from the environment when the script runs, not baked in when it
    // was compiled: cargo reuses a build script's binary across checkouts of the workspace (its
    // hash does not include the absolute path), and a baked-in path to a deleted checkout gave
    // a silently empty curriculum.
    let manifest_dir =
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR for build scripts");
    editor_bundle(Path::new(&manifest_dir));
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
    #[allow(clippy::disallowed_methods)] // The build script runs on the build machine, not in the wasm.
    files.sort();
    let chapters_file = root.join("chapters.yaml");
    // An empty curriculum would build a site with no exercises: fail the build instead.
    let Ok(chapters_text) = std::fs::read_to_string(&chapters_file) else {
        panic!("no curriculum under {}: expected chapters.yaml and the exercise files", root.display());
    };
    let mut out = String::from(
        "/// `(folder, title, intro)` of each chapter, in order (exercises/chapters.yaml).\npub static CHAPTERS: &[(&str, &str, &str)] = &[\n",
    );
    for item in parse(&chapters_text, &chapters_file).seq() {
        let (Some(id), Some(title)) = (item.get("id"), item.get("title")) else {
            panic!("{}: every chapter needs an id and a title", chapters_file.display());
        };
        let intro = item.get("intro").unwrap_or_default();
        out.push_str(&format!("    ({id:?}, {title:?}, {intro:?}),\n"));
    }
    out.push_str("];\n\n/// Every exercise file, in path order.\npub static EXERCISES: &[Listing] = &[\n");
    // Each exercise's story, for tests/markdown.rs only (the app fetches exercise files).
    let mut stories =
        String::from("/// `(path, story)` of every exercise.\npub static STORIES: &[(&str, &str)] = &[\n");
    let mut count = 0;
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap_or(f).to_string_lossy().replace('\\', "/");
        let Some((folder, _)) = rel.split_once('/') else { continue };
        let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let doc = parse(&text, f);
        let field = |key: &str| {
            doc.get(key).unwrap_or_else(|| panic!("{}: the exercise has no `{key}`", f.display()))
        };
        let level = match field("level") {
            "beginner" => "Beginner",
            "intermediate" => "Intermediate",
            "advanced" => "Advanced",
            other => panic!("{}: unknown level `{other}`", f.display()),
        };
        out.push_str(&format!(
            "    Listing {{ folder: {folder:?}, path: {rel:?}, id: {:?}, title: {:?}, level: Level::{level} }},\n",
            field("id"),
            field("title"),
        ));
        stories.push_str(&format!("    ({rel:?}, {:?}),\n", field("story")));
        let hints = match &doc {
            Yaml::Map(entries) => entries.iter().rev().find(|(k, _)| k == "hints").map(|(_, v)| v.seq()),
            _ => None,
        };
        for (i, hint) in hints.unwrap_or(&[]).iter().enumerate() {
            if let Yaml::Scalar(text) = hint {
                stories.push_str(&format!("    (\"{rel} hint {}\", {text:?}),\n", i + 1));
            }
        }
        count += 1;
    }
    stories.push_str("];\n");
    out.push_str("];\n");
    if count == 0 {
        panic!("no exercise files under {}", root.display());
    }
    let out_dir = std::env::var("OUT_DIR").unwrap_or_default();
    for (name, text) in [("curriculum.rs", out), ("stories.rs", stories)] {
        let dest = Path::new(&out_dir).join(name);
        if let Err(e) = std::fs::write(&dest, text) {
            panic!("cannot write {}: {e}", dest.display());
        }
    }
}

/// Just enough of a YAML tree for the listing: scalars, sequences and mappings.
enum Yaml {
    Scalar(String),
    Seq(Vec<Yaml>),
    Map(Vec<(String, Yaml)>),
}

impl Yaml {
    fn get(&self, key: &str) -> Option<&str> {
        let Yaml::Map(entries) = self else { return None };
        entries.iter().rev().find(|(k, _)| k == key).and_then(|(_, v)| match v {
            Yaml::Scalar(s) => Some(s.as_str()),
            _ => None,
        })
    }

    fn seq(&self) -> &[Yaml] {
        match self {
            Yaml::Seq(items) => items,
            _ => &[],
        }
    }
}

/// The first document of `text`; a syntax error fails the build with its place.
fn parse(text: &str, file: &Path) -> Yaml {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<(Yaml, Option<String>)> = Vec::new();
    while let Some(event) = parser.next_event() {
        let (event, _) = event.unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let value = match event {
            Event::SequenceStart(..) => {
                stack.push((Yaml::Seq(Vec::new()), None));
                continue;
            }
            Event::MappingStart(..) => {
                stack.push((Yaml::Map(Vec::new()), None));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some((v, _)) => v,
                None => continue,
            },
            Event::Scalar(text, ..) => Yaml::Scalar(text.into_owned()),
            Event::Alias(_) => Yaml::Scalar(String::new()),
            _ => continue,
        };
        match stack.last_mut() {
            None => return value,
            Some((Yaml::Seq(items), _)) => items.push(value),
            Some((Yaml::Map(entries), key)) => match (key.take(), value) {
                (None, Yaml::Scalar(k)) => *key = Some(k),
                (None, _) => *key = Some(String::new()),
                (Some(k), v) => entries.push((k, v)),
            },
            Some((Yaml::Scalar(_), _)) => {}
        }
    }
    Yaml::Map(Vec::new())
}

/// Sets `cfg(editor_bundle)` when the script bundle (web/editor/dist/editor.js, built by esbuild)
/// is there: tests/markdown.rs includes it, and without it says how to build it instead of
/// failing on a missing file.
fn editor_bundle(manifest_dir: &Path) {
    println!("cargo:rustc-check-cfg=cfg(editor_bundle)");
    // The folder, not the file: a path that does not exist would rerun this script every build.
    println!("cargo:rerun-if-changed={}", manifest_dir.join("editor").display());
    if manifest_dir.join("editor/dist/editor.js").is_file() {
        println!("cargo:rustc-cfg=editor_bundle");
    }
}
