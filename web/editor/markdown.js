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

function clean(node) {
  for (const child of Array.from(node.children)) {
    const keep = Object.hasOwn(ALLOWED, child.tagName) ? ALLOWED[child.tagName] : null;
    if (!keep) {
      child.replaceWith(document.createTextNode(child.textContent));
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

/// HTML for a Markdown text, safe to set as innerHTML.
function render(markdown) {
  let html;
  try {
    html = marked.parse(String(markdown));
  } catch {
    html = `<p>${escape(markdown)}</p>`;
  }
  const template = document.createElement("template");
  template.innerHTML = html;
  clean(template.content);
  return template.innerHTML;
}

window.SwitchboardMarkdown = { render };
