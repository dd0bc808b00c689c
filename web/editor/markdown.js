// Markdown for the stories of exercise files, which are untrusted text. Bundled with the editor
// into editor.js and exposed as `window.SwitchboardMarkdown`; web/src/markdown.rs is its only
// caller.
//
// Two layers, so that a gap in one is caught by the other:
// 1. marked (CommonMark and GitHub's tables, strikethrough and task lists) renders the Markdown,
//    with raw HTML escaped: `<b>` in a story shows as the text `<b>`.
// 2. The HTML is parsed in an inert <template> and every element, attribute and address outside
//    a short allowlist is removed: links and images keep only http(s), relative and fragment
//    addresses, as the browser itself resolves them (entities and tabs included).

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
  P: [], H1: [], H2: [], H3: [], H4: [], H5: [], H6: [], HR: [], BR: [],
  EM: [], STRONG: [], DEL: [], CODE: ["class"], PRE: [], BLOCKQUOTE: [],
  UL: [], OL: ["start"], LI: [], INPUT: ["type", "checked", "disabled"],
  A: ["href", "title"], IMG: ["src", "alt", "title"],
  TABLE: [], THEAD: [], TBODY: [], TR: [], TH: ["align"], TD: ["align"],
};

/// Whether the browser would follow `value` to a web address: http(s), or relative to the page.
function webAddress(value) {
  try {
    const url = new URL(value, "https://switchboard.invalid/");
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

const HTML_NAMESPACE = "http://www.w3.org/1999/xhtml";
// Parents in which the HTML parser moves text out (in front of the table) when parsed again.
const TABLE_PARTS = new Set(["TABLE", "THEAD", "TBODY", "TR"]);

/// Keeps, below `node`, only text and the allowed HTML elements with their allowed attributes;
/// a disallowed element becomes its text, anything else (comments, processing instructions)
/// goes.
function clean(node) {
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) {
      if (TABLE_PARTS.has(node.tagName)) child.remove();
      continue;
    }
    if (child.nodeType !== Node.ELEMENT_NODE) {
      child.remove();
      continue;
    }
    const allowed = child.namespaceURI === HTML_NAMESPACE && Object.hasOwn(ALLOWED, child.tagName);
    const keep = allowed ? ALLOWED[child.tagName] : null;
    if (!keep) {
      const text = document.createTextNode(child.textContent);
      if (TABLE_PARTS.has(node.tagName)) child.remove();
      else child.replaceWith(text);
      continue;
    }
    for (const attr of Array.from(child.attributes)) {
      if (!keep.includes(attr.name)) child.removeAttribute(attr.name);
    }
    if (child.tagName === "A" && child.hasAttribute("href") && !webAddress(child.getAttribute("href"))) {
      child.setAttribute("href", "#");
    }
    if (child.tagName === "IMG" && child.hasAttribute("src") && !webAddress(child.getAttribute("src"))) {
      child.removeAttribute("src");
    }
    if (child.tagName === "CODE" && !/^language-[\w-]+$/.test(child.getAttribute("class") || "")) {
      child.removeAttribute("class");
    }
    if (child.tagName === "INPUT") {
      if (child.getAttribute("type") !== "checkbox") {
        child.remove();
        continue;
      }
      child.setAttribute("disabled", "");
    }
    clean(child);
  }
}

/// `html` cut to the allowlist, safe to set as innerHTML.
function sanitize(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  clean(template.content);
  return template.innerHTML;
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
