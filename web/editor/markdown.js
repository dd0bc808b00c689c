// Markdown for the stories of exercise files, which are untrusted text. Bundled with the editor
// into editor.js and exposed as `window.SwitchboardMarkdown`; web/src/markdown.rs is its only
// caller.
//
// Two layers, so that a gap in one is caught by the other:
// 1. marked (CommonMark and GitHub's tables, strikethrough and task lists) renders the Markdown,
//    with raw HTML escaped: `<b>` in a story shows as the text `<b>`.
// 2. DOMPurify, a sanitizer maintained and audited for this job, keeps only a short allowlist of
//    elements, each with its own attributes; links and images keep only http(s), relative and
//    fragment addresses (checked as DOMPurify checks addresses, white space and entities
//    resolved first); a task list's boxes are always disabled.

import DOMPurify from "dompurify";
import { Marked } from "marked";

const escape = (text) =>
  String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    // Raw HTML, block or inline, is shown as text.
    html({ text }) {
      return escape(text);
    },
  },
});

// The elements marked produces, each with the attributes it may keep.
const ALLOWED = {
  p: [], h1: [], h2: [], h3: [], h4: [], h5: [], h6: [], hr: [], br: [],
  em: [], strong: [], del: [], code: ["class"], pre: [], blockquote: [],
  ul: [], ol: ["start"], li: [], input: ["type", "checked", "disabled"],
  a: ["href", "title"], img: ["src", "alt", "title"],
  table: [], thead: [], tbody: [], tr: [], th: ["align"], td: ["align"],
};

// An address the browser follows to the web: http(s), or relative to the page (no scheme before
// the first `/`, `?` or `#`). DOMPurify tests it with the value's white space removed.
const WEB_ADDRESS = /^(?:https?:|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;

const purify = DOMPurify(window);
const CONFIG = {
  ALLOWED_TAGS: Object.keys(ALLOWED),
  ALLOWED_ATTR: [...new Set(Object.values(ALLOWED).flat())],
  ALLOWED_URI_REGEXP: WEB_ADDRESS,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
};

// Each element keeps only its own attributes; an image's `data:` address (which DOMPurify lets
// through for images) goes, and a code block's class only names its language.
purify.addHook("uponSanitizeAttribute", (node, event) => {
  const name = event.attrName;
  const value = event.attrValue.replace(/[\u0000-\u0020\u00a0\u1680\u180e\u2000-\u2029\u205f\u3000]/g, "");
  const tag = node.nodeName.toLowerCase();
  const own = Object.hasOwn(ALLOWED, tag) ? ALLOWED[tag] : [];
  event.keepAttr =
    own.includes(name) &&
    ((name !== "href" && name !== "src") || WEB_ADDRESS.test(value)) &&
    (name !== "class" || /^language-[\w-]+$/.test(event.attrValue));
});

// Only checkboxes, and never one that can be ticked.
purify.addHook("afterSanitizeAttributes", (node) => {
  if (node.nodeName !== "INPUT") return;
  if (node.getAttribute("type") === "checkbox") node.setAttribute("disabled", "");
  else node.remove();
});

/// `html` cut to the allowlist, safe to set as innerHTML.
function sanitize(html) {
  return purify.sanitize(html, CONFIG);
}

/// HTML for a Markdown text, safe to set as innerHTML.
function render(markdown) {
  let html;
  try {
    html = marked.parse(String(markdown));
  } catch {
    html = `<p>${escape(markdown)}</p>`;
  }
  return sanitize(html);
}

// `sanitize` is exposed for tests/markdown.rs, which gives it hostile HTML directly (marked
// escapes raw HTML, so through `render` the cleaner never sees any).
window.SwitchboardMarkdown = { render, sanitize };
