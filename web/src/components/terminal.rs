//! The terminal panel: a prompt with history (arrow keys) and completion (Tab) whose
//! commands are answered by the model's shell (`netsim::shell`) on the learner's cluster.

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
    let lines = RwSignal::new(vec![Line {
        input: false,
        failed: false,
        text: "Ask the cluster as you would a real one. Try: kubectl get endpoints, kubectl exec client -- curl http://web, help".into(),
    }]);
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
    let scroll = move || {
        if let Some(el) = output.get() {
            el.set_scroll_top(el.scroll_height());
        }
    };
    let run = move |line: String| {
        if line.trim() == "clear" {
            lines.set(Vec::new());
        } else {
            let answer = cluster().shell(&line);
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
            "Tab" => {
                ev.prevent_default();
                let line = el.value();
                let options = cluster().completions(&line);
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
                <div class="term-output-area" id="terminal-output" node_ref=output role="log" aria-live="polite">
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
                        placeholder="kubectl get endpoints"
                        node_ref=input
                        on:keydown=on_key
                    />
                </div>
            </div>
        </section>
    }
}
