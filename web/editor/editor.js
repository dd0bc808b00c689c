// The CodeMirror 6 editor, bundled by esbuild into web/editor/dist/editor.js (cargo xtask runs
// it) and exposed as `window.SwitchboardEditor`. The Rust side talks to it only through
// web/src/editor.rs. Nothing here knows about Kubernetes: it shows text and diagnostics.
// The bundle also carries the Markdown renderer of the stories (markdown.js), so that the first
// visit loads one script for both.

import "./markdown.js";
import { yamlEnter, yamlTyping } from "./yaml-keys.js";

import { EditorState, Compartment } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  drawSelection, highlightSpecialChars, rectangularSelection,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  bracketMatching, indentOnInput, indentUnit, syntaxHighlighting, defaultHighlightStyle, foldGutter, foldKeymap,
} from "@codemirror/language";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { lintGutter, setDiagnostics, lintKeymap } from "@codemirror/lint";
import { yaml } from "@codemirror/lang-yaml";

const theme = EditorView.theme({
  "&": { height: "100%", fontSize: "13px" },
  ".cm-scroller": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" },
});

/// Creates an editor in `parent` holding `doc`, labelled `label` and described by the element
/// whose id is `describedBy` (how to leave the editor with the keyboard). `onChange(text)` is
/// called after every change of the document. Returns a handle; all positions are character
/// offsets (UTF-16 units).
function create(parent, doc, readOnly, label, describedBy, onChange) {
  const editable = new Compartment();
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        foldGutter(),
        drawSelection(),
        indentOnInput(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        bracketMatching(),
        rectangularSelection(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        lintGutter(),
        yaml(),
        theme,
        EditorState.tabSize.of(2),
        indentUnit.of("  "),
        yamlTyping,
        editable.of([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
        // A tab stop even when read-only, so the keyboard can reach and scroll every file.
        EditorView.contentAttributes.of({ "aria-label": label, "aria-describedby": describedBy, tabindex: "0" }),
        // Tab indents; Esc then Tab leaves the editor (CodeMirror's tab-focus mode).
        keymap.of([
          { key: "Enter", run: yamlEnter }, indentWithTab,
          ...defaultKeymap, ...historyKeymap, ...foldKeymap, ...searchKeymap, ...lintKeymap,
        ]),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && onChange) onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    text() {
      return view.state.doc.toString();
    },
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    // diagnostics: [{from, to, severity: "error" | "warning", message}] in character offsets.
    setDiagnostics(list) {
      const len = view.state.doc.length;
      const clamp = (n) => Math.max(0, Math.min(len, n | 0));
      const diags = Array.from(list || []).map((d) => ({
        from: clamp(d.from),
        to: Math.max(clamp(d.from), clamp(d.to)),
        severity: d.severity === "warning" ? "warning" : "error",
        message: String(d.message),
      }));
      view.dispatch(setDiagnostics(view.state, diags));
    },
    // Moves the cursor to a character offset and focuses the editor.
    select(pos) {
      const p = Math.max(0, Math.min(view.state.doc.length, pos | 0));
      view.dispatch({ selection: { anchor: p }, scrollIntoView: true });
      view.focus();
    },
    focus() {
      view.focus();
    },
    destroy() {
      view.destroy();
    },
  };
}

window.SwitchboardEditor = { create };
