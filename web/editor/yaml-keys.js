// Typing YAML in the editor: Enter indents as a YAML author expects, a paste keeps its relative
// indentation. Tab, Shift+Tab (indentWithTab) and Backspace in leading spaces (one indent unit
// back, deleteCharBackward) are CodeMirror's own, with the indent unit of two spaces set in
// editor.js. Nothing here knows about Kubernetes.
//
// Enter, on the text of the line before the cursor (a trailing comment and spaces ignored):
// - `key:` (or `key: |`, a block scalar): one level (two spaces) deeper than the key;
// - `- key: value`: aligned with the key, for the next field of the same item (the common case
//   in a manifest: `- port: 80` then `targetPort: 8080`); lang-yaml's own indentation does the
//   same, while VS Code with Red Hat's YAML keeps the dash's column (its language-configuration
//   indents only after a line ending in `:` or `-`) and leaves the learner to type the field's
//   two spaces;
// - `- value` (an item with no key): the list goes on, `- ` at the same column;
// - `-` alone, the cursor at the end of the line: the list ends, the dash goes and the cursor
//   stays on the line at the dash's column, as Markdown editors end a list;
// - anything else: the line's own indentation.

import { EditorSelection } from "@codemirror/state";
import { EditorView } from "@codemirror/view";

const UNIT = 2;

/// `text` up to its comment: a `#` at the start or after a space, outside quotes.
function withoutComment(text) {
  let quote = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === "#" && (i === 0 || text[i - 1] === " " || text[i - 1] === "\t")) {
      return text.slice(0, i);
    }
  }
  return text;
}

/// The parts of a line: its indentation, its dashes (`- - `) and what follows them.
function parts(line) {
  const [, indent, dashes, rest] = /^( *)((?:-(?: +|$))*)(.*)$/.exec(line);
  return { indent: indent.length, dashes, content: withoutComment(rest).trimEnd() };
}

/// What Enter puts at the start of the new line after `before`, the line's text up to the
/// cursor: `{ column, dash }`.
export function enterIndent(before) {
  const { indent, dashes, content } = parts(before);
  const column = indent + dashes.length;
  if (/:(?: +[|>][-+0-9]*)?$/.test(content)) return { column: column + UNIT, dash: false };
  if (!dashes || !content) return { column: indent, dash: false };
  // A key: plain (not a flow collection or an alias) or quoted, then `:` and a space.
  const key = /^(?:"[^"]*"|'[^']*'|[^\s"'{[&*!|>%@`][^#]*?): /.test(content);
  if (key) return { column, dash: false };
  return { column: indent + dashes.lastIndexOf("-"), dash: true };
}

const isEmptyItem = (line) => /^ *- *$/.test(line);

function enterRange(state, range) {
  const line = state.doc.lineAt(range.from);
  const before = line.text.slice(0, range.from - line.from);
  // An empty item ends the list: the dash goes, the cursor stays at its column.
  if (range.empty && range.from === line.to && isEmptyItem(line.text)) {
    const dash = line.from + line.text.indexOf("-");
    return { changes: { from: dash, to: line.to }, range: EditorSelection.cursor(dash) };
  }
  // In leading spaces the line moves down as it is.
  if (!before.trim()) {
    const insert = "\n" + before;
    const cursor = EditorSelection.cursor(line.from + insert.length);
    return { changes: { from: line.from, to: range.to, insert }, range: cursor };
  }
  const { column, dash } = enterIndent(before);
  const insert = "\n" + " ".repeat(column) + (dash ? "- " : "");
  // Trailing spaces before the cursor and leading spaces after it go (a blank line is cleared).
  const from = line.from + before.trimEnd().length;
  const after = line.text.slice(range.to - line.from);
  const to = range.to + (after.length - after.trimStart().length);
  return { changes: { from, to, insert }, range: EditorSelection.cursor(from + insert.length) };
}

/// Enter: see the rules at the top of this file.
export function yamlEnter({ state, dispatch }) {
  if (state.readOnly) return false;
  const changes = state.changeByRange((range) => enterRange(state, range));
  dispatch(state.update(changes, { scrollIntoView: true, userEvent: "input" }));
  return true;
}

const leading = (line) => /^ */.exec(line)[0].length;

/// A pasted block of several lines, moved as a whole to the cursor's column: every line keeps
/// its indentation relative to the block's least indented line. The first line starts at the
/// cursor, without its own indentation when the cursor is where a line's content starts
/// (after indentation and dashes only).
export function reindentPaste(text, state) {
  const lines = text.split(/\r\n?|\n/);
  if (lines.length < 2) return text;
  const at = state.selection.main.from;
  const line = state.doc.lineAt(at);
  const before = line.text.slice(0, at - line.from);
  const atStart = /^ *(?:- +)*$/.test(before);
  const target = atStart ? before.length : leading(line.text);
  const counted = lines.filter((l, i) => l.trim() && (i > 0 || leading(l) > 0));
  const base = Math.min(...counted.map(leading));
  if (!Number.isFinite(base)) return text;
  const moved = lines.map((l, i) => {
    if (i === 0) return atStart ? l.trimStart() : l;
    if (!l.trim()) return "";
    return " ".repeat(target) + l.slice(Math.min(base, leading(l)));
  });
  return moved.join(state.lineBreak);
}

export const yamlTyping = [EditorView.clipboardInputFilter.of(reindentPaste)];
