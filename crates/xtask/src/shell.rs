//! The first lesson as static HTML, for the page's shell (index.html): what a first visit
//! reads while the wasm is still on its way. It is the lesson panel of the curriculum's first
//! exercise as the app draws it on a first visit (the chapter's introduction, open; the
//! exercise's title, level, concepts and story), rendered here from the same files: Markdown
//! by pulldown-cmark (CommonMark with tables and strikethrough, raw HTML shown as text, as the
//! app's marked renders it), then cleaned by ammonia to the allowlist of the app's cleaner
//! (web/editor/markdown.js). The end-to-end test `first_visit` compares it with what the app
//! draws.
//!
//! `trunk_build_at` writes it to `target/shell/first-lesson.json` and web/pwa/postbuild.mjs
//! puts it into the built index.html.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::workspace::Result;

/// The shell's part of the first lesson.
pub struct FirstLesson {
    /// The address of the exercise (`#/<chapter>/<id>`).
    pub hash: String,
    /// Its file, relative to the site (`exercises/<chapter>/<file>.yaml`).
    pub path: String,
    /// The picker's row as the app draws it with this exercise open and nothing solved.
    pub picker: String,
    /// The lesson's HTML (chapter introduction and story), safe to put in the page.
    pub html: String,
}

#[derive(serde::Deserialize)]
struct Chapter {
    id: String,
    title: String,
    #[serde(default)]
    intro: String,
}

/// Reads the first chapter and its first exercise under `root` (the exercises/ folder).
pub fn first_lesson(root: &Path) -> Result<FirstLesson> {
    let chapters_file = root.join("chapters.yaml");
    let text = read(&chapters_file)?;
    let mut diagnostics = Vec::new();
    let docs = manifest::yaml::parse("chapters.yaml", &text, &mut diagnostics);
    let (chapters, problems) = match docs.first() {
        Some(doc) => manifest::de::from_node::<Vec<Chapter>>(&doc.root),
        None => (None, Vec::new()),
    };
    let Some(chapter) = chapters.and_then(|c| c.into_iter().next()) else {
        return Err(format!(
            "{}: no first chapter ({} {})",
            chapters_file.display(),
            diagnostics.iter().map(|d| d.message.as_str()).collect::<Vec<_>>().join("; "),
            problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join("; ")
        ));
    };
    let folder = root.join(&chapter.id);
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .map_err(|e| format!("{}: {e}", folder.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let file = files.first().ok_or_else(|| format!("{}: no exercise file", folder.display()))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let loaded = exercises::load(&name, &read(file)?);
    let ex = loaded.exercise.ok_or_else(|| format!("{}: the exercise does not load", file.display()))?;
    let concepts: String = ex
        .concepts
        .iter()
        .map(|id| {
            let title =
                exercises::concepts::CONCEPTS.iter().find(|(c, _, _)| c == id).map_or("", |(_, _, t)| t);
            format!("<li><span class=\"concept-id\">{}</span> {}</li>", escape(id), escape(title))
        })
        .collect();
    let mut html = String::new();
    if !chapter.intro.is_empty() {
        html.push_str(&format!(
            "<details class=\"chapter-intro shell-first\" open><summary>Chapter 1: {}</summary><div data-prerendered=\"chapter:{}\">{}</div></details>",
            escape(&chapter.title),
            escape(&chapter.id),
            markdown(&chapter.intro)
        ));
    }
    html.push_str(&format!(
        "<article class=\"lesson shell-first\" id=\"shell-story\"><h3>{}</h3><p class=\"lesson-meta\">{}</p><ul class=\"concepts\" aria-label=\"Concepts\">{concepts}</ul><div class=\"story\" data-prerendered=\"story:{}\">{}</div></article>",
        escape(&ex.title),
        ex.level.as_str(),
        escape(&ex.id),
        markdown(&ex.story)
    ));
    let picker = format!(
        "<div class=\"picker shell-first\"><label for=\"shell-picker\">Exercise</label><select id=\"shell-picker\" disabled><option>{} ({})</option></select><span class=\"progress-count\">0 of {} solved</span><button disabled>Open scenario…</button></div>",
        escape(&ex.title),
        ex.level.as_str(),
        graded_count(root)?
    );
    Ok(FirstLesson {
        hash: format!("#/{}/{}", chapter.id, ex.id),
        path: format!("exercises/{}/{name}", chapter.id),
        picker,
        html,
    })
}

/// How many exercises have checks (the picker's \"0 of N solved\").
fn graded_count(root: &Path) -> Result<usize> {
    let mut count = 0;
    for chapter in std::fs::read_dir(root).map_err(|e| format!("{}: {e}", root.display()))?.flatten() {
        if !chapter.path().is_dir() {
            continue;
        }
        for file in
            std::fs::read_dir(chapter.path()).map_err(|e| format!("{}: {e}", root.display()))?.flatten()
        {
            let path = file.path();
            if path.extension().is_some_and(|e| e == "yaml") {
                let loaded = exercises::load(&path.display().to_string(), &read(&path)?);
                count += usize::from(loaded.exercise.is_some_and(|ex| !ex.checks.is_empty()));
            }
        }
    }
    Ok(count)
}

/// Writes the first lesson where web/pwa/postbuild.mjs reads it, and returns that path.
pub fn write_first_lesson(root: &Path, out: &Path) -> Result<std::path::PathBuf> {
    let lesson = first_lesson(root)?;
    let json = serde_json::json!({ "hash": lesson.hash, "path": lesson.path, "picker": lesson.picker, "html": lesson.html });
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let path = out.join("first-lesson.json");
    std::fs::write(&path, json.to_string()).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Text as HTML content or a quoted attribute value.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Markdown to clean HTML, as the app renders a story: CommonMark with tables and
/// strikethrough, raw HTML shown as text, and only the elements and attributes the app's
/// cleaner keeps, with web addresses only.
pub fn markdown(text: &str) -> String {
    use pulldown_cmark::{html, Event, Options, Parser};
    let parser =
        Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(|e| match e {
            Event::Html(t) | Event::InlineHtml(t) => Event::Text(t),
            e => e,
        });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    clean(&out)
}

/// The allowlist of web/editor/markdown.js: each element with its own attributes.
const ALLOWED: &[(&str, &[&str])] = &[
    ("p", &[]),
    ("h1", &[]),
    ("h2", &[]),
    ("h3", &[]),
    ("h4", &[]),
    ("h5", &[]),
    ("h6", &[]),
    ("hr", &[]),
    ("br", &[]),
    ("em", &[]),
    ("strong", &[]),
    ("del", &[]),
    ("code", &["class"]),
    ("pre", &[]),
    ("blockquote", &[]),
    ("ul", &[]),
    ("ol", &["start"]),
    ("li", &[]),
    ("a", &["href", "title"]),
    ("img", &["src", "alt", "title"]),
    ("table", &[]),
    ("thead", &[]),
    ("tbody", &[]),
    ("tr", &[]),
    ("th", &["align"]),
    ("td", &["align"]),
];

fn clean(html: &str) -> String {
    let tags: HashSet<&str> = ALLOWED.iter().map(|(t, _)| *t).collect();
    let attributes: HashMap<&str, HashSet<&str>> =
        ALLOWED.iter().map(|(t, a)| (*t, a.iter().copied().collect())).collect();
    ammonia::Builder::new()
        .tags(tags)
        .tag_attributes(attributes)
        .generic_attributes(HashSet::new())
        .url_schemes(["http", "https"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None)
        // A code block's class only names its language.
        .attribute_filter(|_, attribute, value| {
            let ok = attribute != "class"
                || value.strip_prefix("language-").is_some_and(|l| {
                    !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                });
            ok.then(|| value.into())
        })
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_and_hostile_addresses_do_not_survive() {
        let html = markdown("<script>alert(1)</script>\n\n[x](javascript:alert(1)) ![i](data:image/png;base64,AA) [ok](https://kubernetes.io/docs/) [here](#/01-why-services/first-service)");
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(html.contains(r#"href="https://kubernetes.io/docs/""#), "{html}");
        assert!(html.contains(r##"href="#/01-why-services/first-service""##), "{html}");
    }

    #[test]
    fn a_code_block_keeps_only_its_language_class() {
        assert!(markdown("```yaml\na: 1\n```").contains(r#"<code class="language-yaml">"#));
        assert!(!markdown("```x\" onclick=\"y\na\n```").contains("onclick"));
    }

    #[test]
    fn the_first_lesson_is_the_first_chapters_first_exercise() {
        let lesson = first_lesson(&crate::root().join("exercises")).expect("the first lesson");
        assert_eq!(lesson.hash, "#/01-why-services/first-service");
        assert_eq!(lesson.path, "exercises/01-why-services/00-first-service.yaml");
        assert!(lesson.html.contains("<summary>Chapter 1: Why Services</summary>"), "{}", lesson.html);
        assert!(lesson.html.contains(r#"data-prerendered="story:first-service""#), "{}", lesson.html);
        assert!(lesson.picker.contains(" solved</span>"), "{}", lesson.picker);
    }
}
