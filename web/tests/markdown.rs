//! Stories in headless Chromium, rendered by the real script bundle (web/editor/dist/editor.js,
//! put in the page here as the site's index.html puts it): raw HTML shows as text, hostile
//! addresses and markup never survive, and every story and hint of the curriculum renders as
//! pulldown-cmark (a CommonMark reference implementation, the renderer before marked) renders it.

use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web::markdown::to_html;

wasm_bindgen_test_configure!(run_in_browser);

include!(concat!(env!("OUT_DIR"), "/stories.rs"));

#[cfg(editor_bundle)]
const BUNDLE: &str = include_str!("../editor/dist/editor.js");
#[cfg(not(editor_bundle))]
const BUNDLE: &str = "";
#[cfg(not(editor_bundle))]
compile_error!(
    "these tests run the script bundle web/editor/dist/editor.js, which is not built: run \
     `cargo xtask setup` (installs esbuild), then `npm run -s editor` in the repository's root \
     (`cargo xtask test` does both)"
);

/// Runs the bundle in this page once (an inline script runs when it is added).
fn load_bundle() {
    let document = web_sys::window().unwrap().document().unwrap();
    if document.get_element_by_id("bundle").is_some() {
        return;
    }
    let script = document.create_element("script").unwrap();
    script.set_id("bundle");
    script.set_text_content(Some(BUNDLE));
    document.body().unwrap().append_child(&script).unwrap();
}

#[wasm_bindgen(inline_js = r#"
// What a rendering means, with what does not change it left out: the tree of elements, each
// with its attributes sorted (a table cell's alignment as `align`, whether written as an
// attribute or a style), text with runs of white space as one space, and no white space
// around block elements.
export function canonical(html) {
  const t = document.createElement("template");
  t.innerHTML = html;
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent.replace(/\s+/g, " ");
    if (node.nodeType !== Node.ELEMENT_NODE) return "";
    const attrs = Array.from(node.attributes).map((a) => {
      const m = a.name === "style" && /text-align:\s*(\w+)/.exec(a.value);
      return m ? `align=${m[1]}` : `${a.name}=${a.value}`;
    });
    attrs.sort();
    const tag = node.tagName.toLowerCase();
    const inner = Array.from(node.childNodes).map(walk).join("");
    return `<${tag}${attrs.map((a) => " " + a).join("")}>${inner}</${tag}>`;
  };
  const block = /\s*(<\/?(?:p|h[1-6]|ul|ol|li|pre|blockquote|table|thead|tbody|tr|th|td|hr)\b[^>]*>)\s*/g;
  return Array.from(t.content.childNodes).map(walk).join("").replace(block, "$1").trim();
}

// Every element, attribute and comment of the rendering, and where each link and image would
// lead.
export function inventory(html) {
  const t = document.createElement("template");
  t.innerHTML = html;
  const out = [];
  const walker = document.createTreeWalker(t.content, NodeFilter.SHOW_COMMENT | NodeFilter.SHOW_PROCESSING_INSTRUCTION);
  while (walker.nextNode()) out.push("node " + walker.currentNode.nodeName);
  for (const el of t.content.querySelectorAll("*")) {
    out.push("element " + el.tagName.toLowerCase());
    for (const a of el.attributes) out.push("attribute " + a.name);
    for (const name of ["href", "src"]) {
      if (el.hasAttribute(name)) {
        out.push("protocol " + new URL(el.getAttribute(name), "https://switchboard.invalid/").protocol);
      }
    }
  }
  return out.join("\n");
}

// The cleaner alone, on HTML that did not come from marked.
export function sanitize(html) {
  return window.SwitchboardMarkdown.sanitize(html);
}

// `html` as the page has it after setting it as the innerHTML of a `tag` element.
export function reparsed(html, tag) {
  const e = document.createElement(tag);
  e.innerHTML = html;
  return e.innerHTML;
}
"#)]
extern "C" {
    fn canonical(html: &str) -> String;
    fn inventory(html: &str) -> String;
    fn sanitize(html: &str) -> String;
    fn reparsed(html: &str, tag: &str) -> String;
}

const ALLOWED_ELEMENTS: [&str; 27] = [
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "br",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "input",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
];
const ALLOWED_ATTRIBUTES: [&str; 10] =
    ["href", "title", "src", "alt", "class", "start", "type", "checked", "disabled", "align"];

/// Fails unless every element and attribute of `html` is allowed, every address is a web one,
/// and there is no comment or processing instruction.
fn assert_clean(input: &str, html: &str) {
    for line in inventory(html).lines() {
        let ok = match line.split_once(' ') {
            Some(("element", name)) => ALLOWED_ELEMENTS.contains(&name),
            Some(("attribute", name)) => ALLOWED_ATTRIBUTES.contains(&name),
            Some(("protocol", p)) => p == "https:" || p == "http:",
            _ => false,
        };
        assert!(ok, "{input:?} gives {line:?}: {html}");
    }
}

fn reference(markdown: &str) -> String {
    use pulldown_cmark::{html, Event, Options, Parser};
    let parser =
        Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(|e| match e {
            Event::Html(t) | Event::InlineHtml(t) => Event::Text(t),
            e => e,
        });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    out
}

#[wasm_bindgen_test]
fn every_story_and_hint_renders_as_the_commonmark_reference_renders_it() {
    load_bundle();
    assert!(STORIES.len() > 150, "the curriculum's stories and hints: {}", STORIES.len());
    let mut differ = Vec::new();
    for (path, story) in STORIES {
        let (ours, theirs) = (canonical(&to_html(story)), canonical(&reference(story)));
        if ours != theirs {
            differ.push(format!("{path}:\n  marked:         {ours}\n  pulldown-cmark: {theirs}"));
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {} stories render differently:\n{}",
        differ.len(),
        STORIES.len(),
        differ.join("\n")
    );
}

#[wasm_bindgen_test]
fn raw_html_shows_as_text() {
    load_bundle();
    let script = to_html("<script>alert(1)</script>");
    assert!(
        script.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !script.contains("<script"),
        "{script}"
    );
    let inline = to_html("a <b onclick=x>b</b>");
    assert!(inline.contains("&lt;b onclick=x&gt;") && !inline.contains("<b"), "{inline}");
    assert_eq!(canonical(&to_html("`web` **svc**")), "<p><code>web</code> <strong>svc</strong></p>");
    assert!(to_html("[x](https://kubernetes.io/)").contains("href=\"https://kubernetes.io/\""));
}

#[wasm_bindgen_test]
fn hostile_stories_leave_no_script_handler_or_foreign_address() {
    load_bundle();
    let vectors = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "**<img src=x onerror=alert(1)>**",
        "<svg onload=alert(1)>",
        "<iframe src=\"https://example.com\"></iframe>",
        "<style>*{display:none}</style>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "[x](javascript:alert(1))",
        "[x](JavaScript:alert(1))",
        "[x](  javascript:alert(1))",
        "[x](javascript&#58;alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](java&#9;script:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
        "<javascript:alert(1)>",
        "![i](javascript:alert(1))",
        "![i](data:image/svg+xml,<svg onload=alert(1)>)",
        "[x](https://example.com \"a\\\" onmouseover=\\\"alert(1)\")",
        "- [ ] a task\n- [x] done",
        "```html\n<script>alert(1)</script>\n```",
        "| a | b |\n|:-:|--:|\n| <b>1</b> | [y](javascript:alert(1)) |",
    ];
    for markdown in vectors {
        assert_clean(markdown, &to_html(markdown));
    }
    // A task list's boxes cannot be ticked.
    assert!(inventory(&to_html("- [ ] a")).contains("attribute disabled"));
}

/// marked escapes raw HTML, so through `to_html` the cleaner never meets any: here it gets
/// hostile HTML directly (namespace confusion, mutation XSS, comments, clobbering, forms).
#[wasm_bindgen_test]
fn the_cleaner_alone_leaves_only_the_allowlist_and_its_output_is_stable() {
    load_bundle();
    let vectors = [
        "<p><![CDATA[<img src=x onerror=alert(1)>]]></p>",
        "<?x --><img src=x onerror=alert(1)>",
        "<!--><img src=x onerror=alert(1)>-->",
        "<svg><style><img src=x onerror=alert(1)></style></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
        "<template><img src=x onerror=alert(1)></template>",
        "<xmp><img src=x onerror=alert(1)></xmp>",
        "<textarea><img src=x onerror=alert(1)></textarea>",
        "<select><option><img src=x onerror=alert(1)></option></select>",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<base href=\"javascript:alert(1)//\">",
        "<a id=\"SwitchboardMarkdown\" name=\"x\" href=\"https://example.com\">x</a>",
        "<table><tr><td>a</td></tr><style>x</style></table>",
        "<table><tr>text in a row<td>a</td></tr></table>",
        "<p style=\"background:url(javascript:alert(1))\">x</p>",
        "<input type=\"text\" autofocus onfocus=\"alert(1)\"><input type=\"checkbox\">",
        "<a href=\"java&#x09;script:alert(1)\">x</a>",
        "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">",
        "<svg><a href=\"javascript:alert(1)\"><text>x</text></a></svg>",
        "<math><a href=\"javascript:alert(1)\">x</a></math>",
        "<plaintext><img src=x onerror=alert(1)>",
    ];
    for html in vectors {
        let out = sanitize(html);
        assert_clean(html, &out);
        for tag in ["div", "li"] {
            assert_eq!(reparsed(&out, tag), out, "{html:?} changes when parsed again in a <{tag}>");
        }
    }
    assert!(inventory(&sanitize("<input type=\"checkbox\">")).contains("attribute disabled"));
}

/// The allowlist is per element (DOMPurify's ALLOWED_ATTR is one list for all, narrowed by a
/// hook): what each element keeps, and the addresses that stay.
#[wasm_bindgen_test]
fn each_element_keeps_only_its_own_attributes_and_web_addresses() {
    load_bundle();
    let cases = [
        (
            "<p align=\"center\" start=\"3\" data-x=\"1\" aria-label=\"x\" class=\"language-yaml\">x</p>",
            "<p>x</p>",
        ),
        ("<td align=\"right\" title=\"t\">x</td>", "x"),
        (
            "<table><tbody><tr><td align=\"right\" title=\"t\">x</td></tr></tbody></table>",
            "<table><tbody><tr><td align=right>x</td></tr></tbody></table>",
        ),
        ("<ol start=\"3\" type=\"a\"><li>a</li></ol>", "<ol start=3><li>a</li></ol>"),
        ("<code class=\"language-yaml\">x</code>", "<code class=language-yaml>x</code>"),
        ("<code class=\"language-yaml evil\">x</code>", "<code>x</code>"),
        ("<img src=\"data:image/png;base64,AAAA\" alt=\"a\">", "<img alt=a></img>"),
        ("<img src=\"/icon.svg\" alt=\"a\" width=\"1\">", "<img alt=a src=/icon.svg></img>"),
        (
            "<a href=\"HTTPS://kubernetes.io/\" target=\"_blank\">x</a>",
            "<a href=HTTPS://kubernetes.io/>x</a>",
        ),
        ("<a href=\"docs/a:b?c#d\">x</a>", "<a href=docs/a:b?c#d>x</a>"),
        ("<a href=\"#top\">x</a>", "<a href=#top>x</a>"),
        ("<a href=\"mailto:a@b.c\">x</a>", "<a>x</a>"),
        ("<input type=\"checkbox\" checked>", "<input checked= disabled= type=checkbox></input>"),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(html, want)| {
            let got = canonical(&sanitize(html));
            (got != *want).then(|| format!("{html:?} gives {got:?}, expected {want:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[wasm_bindgen_test]
fn without_the_bundle_a_story_is_its_text() {
    // Runs in a page where the bundle may or may not be loaded yet: only the no-bundle path
    // is checked, through the same escaping.
    let window = web_sys::window().unwrap();
    let saved = js_sys::Reflect::get(&window, &JsValue::from_str("SwitchboardMarkdown")).unwrap();
    js_sys::Reflect::set(&window, &JsValue::from_str("SwitchboardMarkdown"), &JsValue::UNDEFINED).unwrap();
    let html = to_html("a <b>\n\nb & c");
    js_sys::Reflect::set(&window, &JsValue::from_str("SwitchboardMarkdown"), &saved).unwrap();
    assert_eq!(html, "<p class=\"plain\">a &lt;b&gt;\n\nb &amp; c</p>");
}
