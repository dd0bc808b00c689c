//! The terminal panel: a prompt with history (arrow keys) and completion (Tab) whose
//! commands are answered by the `kubectl` crate on the learner's cluster.
//! Each exercise opens a new session, in the exercise's namespace, with a first line of
//! commands that answer there. Tab completes only when there is something to complete, and
//! Esc leaves the prompt, so the keyboard is never trapped in it (WCAG 2.1.2).

use kubectl::Session;
use leptos::prelude::*;

use crate::app::AppState;

#[derive(Clone, Debug, PartialEq)]
struct Line {
    input: bool,
    failed: bool,
    text: String,
}

#[component]
pub fn TerminalPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lines = RwSignal::new(Vec::<Line>::new());
    let session = StoredValue::new(Session::default());
    let history = StoredValue::new(Vec::<String>::new());
    let cursor = StoredValue::new(0usize);
    let input = NodeRef::<leptos::html::Input>::new();
    let output = NodeRef::<leptos::html::Div>::new();

    let cluster = move || {
        let files = state.files.get_untracked();
        match state.exercise_untracked() {
            Some(ex) => exercises::cluster(&ex, &files),
            None => netsim::Cluster::build(&netsim::Scenario::default(), &netsim::Topology::default()),
        }
    };
    // A new session and first line for each exercise opened, from its files at that moment
    // (`replaced` follows them in; a reset or the solution keeps the session).
    let opened = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        state.replaced.track();
        let ex = state.exercise_untracked();
        let id = ex.as_ref().map(|ex| ex.id.clone());
        if opened.get_value().is_some() && opened.get_value() == id {
            return;
        }
        opened.set_value(id);
        let files = state.files.get_untracked();
        let start = ex.as_ref().map(|ex| exercises::terminal_namespace(ex, &files));
        let s = start.map(Session::new).unwrap_or_default();
        let c = cluster();
        let from = ex.as_ref().and_then(|ex| exercises::default_source(ex, &c));
        let text = kubectl::intro(&c, &s, from.as_deref());
        session.set_value(s);
        lines.set(vec![Line { input: false, failed: false, text }]);
    });
    let scroll = move || {
        if let Some(el) = output.get() {
            el.set_scroll_top(el.scroll_height());
        }
    };
    let run = move |line: String| {
        if line.trim() == "clear" {
            lines.set(Vec::new());
        } else {
            let mut s = session.get_value();
            let answer = kubectl::run(&cluster(), &mut s, &line);
            session.set_value(s);
            if let Some(t) = &answer.trace {
                state.play.single(t, format!("from the terminal: {line}"));
            }
            lines.update(|l| {
                l.push(Line { input: true, failed: false, text: line.clone() });
                l.push(Line { input: false, failed: !answer.ok, text: answer.output });
            });
        }
        if !line.trim().is_empty() {
            history.update_value(|h| h.push(line));
        }
        cursor.set_value(history.with_value(Vec::len));
        request_animation_frame(scroll);
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let Some(el) = input.get() else { return };
        match ev.key().as_str() {
            "Enter" => {
                let line = el.value();
                el.set_value("");
                run(line);
            }
            "ArrowUp" | "ArrowDown" => {
                ev.prevent_default();
                let len = history.with_value(Vec::len);
                let at = cursor.get_value();
                let next = if ev.key() == "ArrowUp" { at.saturating_sub(1) } else { (at + 1).min(len) };
                cursor.set_value(next);
                el.set_value(&history.with_value(|h| h.get(next).cloned().unwrap_or_default()));
            }
            // Shift+Tab, Tab on an empty prompt and Tab with nothing to complete move the
            // focus on, as everywhere else on the page.
            "Tab" if !ev.shift_key() && !el.value().trim().is_empty() => {
                let line = el.value();
                let options = session.with_value(|s| kubectl::completions(&cluster(), s, &line));
                if options.is_empty() {
                    return;
                }
                ev.prevent_default();
                let typed =
                    if line.ends_with(' ') { "" } else { line.split_whitespace().last().unwrap_or("") };
                match options.as_slice() {
                    [] => {}
                    [one] => {
                        let base = &line[..line.len() - typed.len()];
                        el.set_value(&format!("{base}{one} "));
                    }
                    many => {
                        lines.update(|l| l.push(Line { input: false, failed: false, text: many.join("  ") }))
                    }
                }
            }
            // Leaves the prompt; the next Tab goes on from where it was.
            "Escape" => {
                let _ = el.blur();
            }
            _ => {}
        }
    };
    let rendered = move || {
        lines
            .get()
            .into_iter()
            .map(|l| {
                let class = match (l.input, l.failed) {
                    (true, _) => "term-input",
                    (false, true) => "term-error",
                    (false, false) => "term-output",
                };
                let text = if l.input { format!("$ {}", l.text) } else { l.text };
                view! { <pre class=class>{text}</pre> }
            })
            .collect_view()
    };
    view! {
        <section class="panel" id="terminal" aria-labelledby="terminal-title">
            <h2 id="terminal-title">"Terminal"</h2>
            <div class="panel-body terminal-body">
                <div class="term-output-area" id="terminal-output" tabindex="0" node_ref=output role="log" aria-live="polite">
                    {rendered}
                </div>
                <div class="term-prompt">
                    <label for="terminal-input" class="prompt-sign">"$"</label>
                    <input
                        id="terminal-input"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        aria-label="Terminal command"
                        aria-describedby="terminal-keys"
                        placeholder="kubectl get endpoints"
                        node_ref=input
                        on:keydown=on_key
                    />
                    <span id="terminal-keys" class="visually-hidden">
                        "Tab completes what you typed; Esc leaves the terminal."
                    </span>
                </div>
            </div>
        </section>
    }
}
