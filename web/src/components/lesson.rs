//! The lesson panel: the exercise picker with progress, a first-visit introduction, the
//! chapter's introduction, the story, hints one at a time (Markdown, as the story is), reset
//! and show solution, then the checks in a region of their own that stays in view (updated
//! live, failing first) with the success state.

use leptos::prelude::*;
use manifest::SourceFile;

use crate::app::AppState;
use crate::workbench::{Region, Workbench};

#[component]
pub fn LessonPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let wb = expect_context::<Workbench>();
    view! {
        <section
            class="panel"
            id="lesson"
            aria-labelledby="lesson-title"
            on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
            on:drop=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                if let Some(files) = ev.data_transfer().and_then(|d| d.files()) {
                    load_scenarios(state, files);
                }
            }
        >
            <div class="panel-head">
                <h2 id="lesson-title">"Lesson and checks"</h2>
                <div class="panel-tools">
                    <button class="maximize" aria-label="Maximize the lesson" aria-pressed=move || (wb.maximized.get() == Some(Region::Lesson)).to_string() on:click=move |_| wb.toggle_max(Region::Lesson)>"⤢"</button>
                </div>
            </div>
            <div class="panel-body lesson-body">
                <Picker />
                {move || match state.exercise() {
                    None if state.current.get().is_some() => match state.unavailable.get() {
                        None => view! {
                            <p class="empty-state" id="exercise-loading">"Loading the exercise…"</p>
                        }
                        .into_any(),
                        Some(why) => view! {
                            <div class="empty-state" id="exercise-unavailable" role="alert">
                                <p>"This exercise could not be loaded: " {why}</p>
                                <p>
                                    "Each exercise is fetched the first time it is opened, then kept for offline use. Check the connection, then try again."
                                </p>
                                <button on:click=move |_| state.retry()>"Try again"</button>
                            </div>
                        }
                        .into_any(),
                    },
                    None => view! {
                        <p class="empty-state">
                            "Pick an exercise to read its story here. Its checks appear below it and turn green as your YAML starts to work."
                        </p>
                    }
                    .into_any(),
                    Some(_) => view! { <Lesson /> }.into_any(),
                }}
            </div>
        </section>
    }
}

/// Makes a share link of the open files, copies it to the clipboard and shows it.
fn share(state: AppState) {
    let Some(link) = state.make_share_link() else { return };
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(&link);
    }
    state.share_link.set(Some(link));
}

crate::later::later! {
    /// `share`, its code (deflate and the link's format) loaded when first used.
    share: fn share_later(state: AppState) -> () {
        share(state)
    }
}

crate::later::later! {
    /// `AppState::add_scenario`, with the course pack reader.
    packs: fn add_scenario_later(state: AppState, text: String, name: String) -> Result<(), Vec<String>> {
        crate::app::install_model();
        state.add_scenario(&text, &name)
    }
}

/// Reads an instructor's exercise file and plays it, or shows why it cannot be played.
pub fn load_scenarios(state: AppState, list: web_sys::FileList) {
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    wasm_bindgen_futures::spawn_local(async move {
        // Each file on its own: one that cannot be played leaves the others loaded.
        let mut refused = Vec::new();
        for file in files {
            let name = file.name();
            let text =
                wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
            let Some(text) = text else {
                refused.push(format!("{name} could not be read"));
                continue;
            };
            let problems = match add_scenario_later(state, text, name.clone()).await {
                Ok(added) => added.err(),
                Err(why) => Some(vec![why.to_string()]),
            };
            if let Some(problems) = problems {
                let shown: Vec<String> = problems.iter().take(5).cloned().collect();
                let more = if problems.len() > 5 {
                    format!(" (and {} more)", problems.len() - 5)
                } else {
                    String::new()
                };
                refused.push(format!("{name} cannot be played: {}{more}", shown.join("; ")));
            }
        }
        if !refused.is_empty() {
            state.banner.set(Some(refused.join(". ")));
        }
    });
}

/// Chapters and exercises as a select box, with solved marks.
#[component]
fn Picker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let options = move || {
        state.replaced.track();
        let progress = state.progress.get();
        state.chapters.with_value(|chs| {
            chs.iter()
                .enumerate()
                .map(|(c, ch)| {
                    let items = ch
                        .exercises
                        .iter()
                        .enumerate()
                        .map(|(e, ex)| {
                            let mark = if progress.solved.contains(&ex.id) {
                                "✓ "
                            } else if progress.revealed.contains(&ex.id) {
                                "◐ "
                            } else {
                                ""
                            };
                            let value = format!("{c}/{e}");
                            let label = match ex.level {
                                Some(level) => format!("{mark}{} ({})", ex.title, level.as_str()),
                                None => ex.title.clone(),
                            };
                            view! { <option value=value>{label}</option> }
                        })
                        .collect_view();
                    let sandboxes = ch.id == crate::sandbox::CHAPTER;
                    let label = if sandboxes {
                        ch.title.clone()
                    } else {
                        let solved =
                            ch.exercises.iter().filter(|ex| progress.solved.contains(&ex.id)).count();
                        format!("{} ({solved}/{})", ch.title, ch.exercises.len())
                    };
                    let new_one = sandboxes.then(|| {
                        view! {
                            <option value="new-sandbox">"New sandbox…"</option>
                            <option value="new-shop-sandbox">"New sandbox: the shop on ingress-nginx, to convert…"</option>
                        }
                    });
                    view! { <optgroup label=label>{items}{new_one}</optgroup> }
                })
                .collect_view()
        })
    };
    let selected = move || {
        state.replaced.track();
        state.current.get().map(|(c, e)| format!("{c}/{e}")).unwrap_or_default()
    };
    // Arrow keys on a closed select change its value at each press: the choice is only taken
    // on Enter (or a pointer's pick); leaving without Enter puts the open exercise back.
    let arrowing = StoredValue::new(false);
    let choose = move |value: String| {
        arrowing.set_value(false);
        if value == "new-sandbox" || value == "new-shop-sandbox" {
            new_sandbox(state, value == "new-shop-sandbox");
            // Put the select back on the open exercise.
            state.replaced.update(|n| *n += 1);
            return;
        }
        let parsed = value.split_once('/').and_then(|(c, e)| Some((c.parse().ok()?, e.parse().ok()?)));
        if let Some((c, e)) = parsed {
            if let Some(hash) = state.hash_of(c, e) {
                crate::address::set_hash(&hash);
            }
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        if !arrowing.get_value() {
            choose(event_target_value(&ev));
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "ArrowUp" | "ArrowDown" | "Home" | "End" | "PageUp" | "PageDown" => arrowing.set_value(true),
        "Enter" if arrowing.get_value() => {
            ev.prevent_default();
            choose(event_target_value(&ev));
        }
        _ => {}
    };
    let on_blur = move |_| {
        if arrowing.get_value() {
            arrowing.set_value(false);
            state.replaced.update(|n| *n += 1);
        }
    };
    let total = move || {
        let (solved, revealed) = state
            .progress
            .with(|p| (p.solved.len(), p.revealed.iter().filter(|id| !p.solved.contains(*id)).count()));
        let all = state
            .chapters
            .with_value(|chs| chs.iter().flat_map(|c| c.exercises.iter()).filter(|ex| ex.graded()).count());
        if revealed == 0 {
            format!("{solved} of {all} solved")
        } else {
            format!("{solved} of {all} solved, {revealed} revealed")
        }
    };
    let file_input = NodeRef::<leptos::html::Input>::new();
    let open_file = move |_| {
        if let Some(i) = file_input.get() {
            i.click();
        }
    };
    let on_file = move |_| {
        let Some(files) = file_input.get().and_then(|i| i.files()) else { return };
        load_scenarios(state, files);
        if let Some(i) = file_input.get() {
            i.set_value("");
        }
    };
    view! {
        <div class="picker">
            <label for="exercise-picker">"Exercise"</label>
            <select id="exercise-picker" on:change=on_change on:keydown=on_key on:blur=on_blur prop:value=selected>
                <option value="" disabled=true>"Choose an exercise"</option>
                {options}
            </select>
            <span class="progress-count" id="progress-count">{total}</span>
            <button id="open-scenario" title="Open exercise YAML files or a course pack (or drop them on this panel)" on:click=open_file>
                "Open scenario…"
            </button>
            <input
                id="scenario-file"
                type="file"
                accept=".yaml,.yml,text/yaml"
                multiple=true
                class="visually-hidden"
                aria-label="Scenario files to open"
                tabindex="-1"
                node_ref=file_input
                on:change=on_file
            />
        </div>
    }
}

#[component]
fn Lesson() -> impl IntoView {
    let state = expect_context::<AppState>();
    let exercise = move || state.exercise();
    let story = move || {
        exercise()
            .map(|ex| crate::markdown::to_html_keyed(&format!("story:{}", ex.id), &ex.story))
            .unwrap_or_default()
    };
    // The story is on the page: the first-visit benchmark's "story readable".
    Effect::new(move |_| crate::app::mark("switchboard-story"));
    let title = move || exercise().map(|ex| ex.title).unwrap_or_default();
    let meta = move || exercise().map(|ex| ex.level.as_str().to_string()).unwrap_or_default();
    // Each concept with its name: "S1 Stable virtual IP…" says more than "S1".
    let concepts = move || {
        exercise().map(|ex| {
            ex.concepts
                .iter()
                .map(|id| {
                    let name = exercises::concepts::CONCEPTS
                        .iter()
                        .find(|(c, _, _)| c == id)
                        .map_or("", |(_, _, name)| name);
                    view! { <li><span class="concept-id">{id.clone()}</span>" "{name}</li> }
                })
                .collect_view()
        })
    };
    view! {
        <div class="lesson-scroll" id="lesson-scroll">
            <Intro />
            <ChapterIntro />
            <article class="lesson" id="lesson-story">
                <h3 id="exercise-title">{title}</h3>
                <p class="lesson-meta">{meta}</p>
                <ul class="concepts" aria-label="Concepts">{concepts}</ul>
                // The story is untrusted Markdown: raw HTML in it is rendered as text (see markdown.rs).
                <div class="story" inner_html=story></div>
            </article>
            <Hints />
            <Actions />
        </div>
        <Checks />
    }
}

/// What the open exercise's chapter is about: open on the chapter's first exercise, folded
/// on the others.
#[component]
fn ChapterIntro() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let (c, e) = state.current.get()?;
        let (number, id, title, intro) = state.chapters.with_value(|chs| {
            let ch = chs.get(c)?;
            (!ch.intro.is_empty()).then(|| (c + 1, ch.id.clone(), ch.title.clone(), ch.intro.clone()))
        })?;
        Some(view! {
            <details class="chapter-intro" id="chapter-intro" open=e == 0>
                <summary>{format!("Chapter {number}: {title}")}</summary>
                <div inner_html=move || crate::markdown::to_html_keyed(&format!("chapter:{id}"), &intro)></div>
            </details>
        })
    }
}

/// The four parts of the workbench, on a first visit (and from Help in the title bar).
#[component]
fn Intro() -> impl IntoView {
    let wb = expect_context::<Workbench>();
    view! {
        <Show when=move || wb.intro.get()>
            <section class="intro" id="intro" aria-labelledby="intro-title">
                <h3 id="intro-title">"How this works"</h3>
                <ol>
                    <li><strong>"Lesson"</strong>" (here): the story of the exercise, then its checks, which turn green as your YAML starts to work. Failing checks come first, each with its cause."</li>
                    <li><strong>"Editor"</strong>": your files. Mistakes are underlined as you type; the Problems list under it says how to fix them."</li>
                    <li><strong>"Cluster"</strong>": the cluster as a picture. Send a request from a pod or the internet and step through it hop by hop: the box of each hop lights up and its reason is written under the picture."</li>
                    <li><strong>"Terminal and details"</strong>": kubectl, curl and nslookup against the same cluster, the hops of the last request, how ten requests spread, and what a selected pod may reach."</li>
                </ol>
                <p>"Everything is saved in this browser as you type. Drag the bars between the parts to resize them."</p>
                <button id="intro-close" on:click=move |_| wb.intro.set(false)>"Got it"</button>
            </section>
        </Show>
    }
}

#[component]
fn Checks() -> impl IntoView {
    let state = expect_context::<AppState>();
    let rows = move || {
        // Redrawn when the results change, not on every keystroke: the list is read aloud.
        state.results.get().map(|mut results| {
            // Failing checks first: they are what the learner works on (a stable sort keeps the
            // author's order within each group).
            sorted::sort_by_key(&mut results, |r| r.passed);
            results
                .into_iter()
                .map(|r| {
                    let class = if r.passed { "check pass" } else { "check fail" };
                    let mark = if r.passed { "✓" } else { "✗" };
                    let status = if r.passed { "Passes: " } else { "Fails: " };
                    let trace = r.trace.filter(|_| !r.passed).map(|t| {
                        view! {
                            <details class="trace">
                                <summary>"Trace"</summary>
                                <pre tabindex="0">{t}</pre>
                            </details>
                        }
                    });
                    view! {
                        <li class=class>
                            <span class="check-mark" aria-hidden="true">{mark}</span>
                            <div class="check-body">
                                <p class="check-title"><span class="visually-hidden">{status}</span>{r.title}</p>
                                <p class="check-explanation">{r.explanation}</p>
                                {trace}
                            </div>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let summary = move || state.grade.with(|g| g.as_ref().map(|g| g.summary()).unwrap_or_default());
    let solved =
        move || state.grade.with(|g| g.as_ref().is_some_and(|g| g.solved() && !g.results.is_empty()));
    let next = move || {
        let (c, e) = state.current.get()?;
        let at = state.next(c, e)?;
        state.hash_of(at.0, at.1)
    };
    let no_checks = move || state.exercise().is_some_and(|ex| ex.checks.is_empty());
    let open = RwSignal::new(false);
    view! {
        <Show when=no_checks>
            <p class="sandbox-note" id="sandbox-note">
                "No checks here: this sandbox is yours to explore. Add files with + file; everything is saved as you type."
            </p>
            <Show when=move || state.in_sandbox()>
            <label class="sandbox-note" id="sandbox-mode" title="kube-proxy's nftables mode is GA since Kubernetes 1.33; iptables is still the default in 1.35. Every sandbox runs in the mode chosen here.">
                <input
                    type="checkbox"
                    id="sandbox-nftables"
                    prop:checked=move || state.exercise().is_some_and(|ex| ex.topology.kube_proxy_mode.is_some())
                    on:change=move |ev| state.set_sandbox_nftables(event_target_checked(&ev))
                />
                " kube-proxy in nftables mode"
            </label>
            </Show>
        </Show>
        <section class="checks" id="checks-region" aria-labelledby="checks-title" class:hidden=no_checks class:open=move || open.get()>
            <div class="checks-head">
                <h3 id="checks-title">"Checks " <span class="summary" id="checks-summary">{summary}</span></h3>
                // Small screens show the checks as a bar of marks; this opens their words.
                <button id="checks-toggle" aria-expanded=move || open.get().to_string() aria-controls="checks" on:click=move |_| open.update(|o| *o = !*o)>
                    {move || if open.get() { "Less" } else { "Details" }}
                </button>
            </div>
            <Show when=solved>
                <div class="success" id="success" role="status">
                    <p>"Solved: every check passes."</p>
                    {move || next().map(|href| view! { <a class="next" id="next-exercise" href=href>"Next exercise →"</a> })}
                </div>
            </Show>
            <ul id="checks" aria-live="polite">{rows}</ul>
        </section>
    }
}

#[component]
fn Hints() -> impl IntoView {
    let state = expect_context::<AppState>();
    let shown = move || {
        let ex = state.exercise()?;
        let n = state.progress.with(|p| p.hints.get(&ex.id).copied().unwrap_or(0)).min(ex.hints.len());
        Some((ex, n))
    };
    let reveal = move |_| {
        if let Some((ex, n)) = shown() {
            if n < ex.hints.len() {
                state.progress.update(|p| {
                    p.hints.insert(ex.id.clone(), n + 1);
                });
                state.save_progress();
            }
        }
    };
    let none = move || state.exercise().is_some_and(|ex| ex.hints.is_empty());
    view! {
        <section class="hints" aria-labelledby="hints-title" class:hidden=none>
            <h3 id="hints-title">"Hints"</h3>
            <ol id="hints">
                {move || {
                    shown()
                        .map(|(ex, n)| {
                            ex.hints
                                .into_iter()
                                .take(n)
                                .map(|h| view! { <li inner_html=crate::markdown::to_html(&h)></li> })
                                .collect_view()
                        })
                }}
            </ol>
            {move || {
                shown()
                    .map(|(ex, n)| {
                        let left = ex.hints.len() - n;
                        let label = if left == 0 {
                            "No more hints".to_string()
                        } else {
                            format!("Show a hint ({left} left)")
                        };
                        view! {
                            <button id="hint-button" on:click=reveal disabled=left == 0>
                                {label}
                            </button>
                        }
                    })
            }}
        </section>
    }
}

fn confirm(message: &str) -> bool {
    web_sys::window().and_then(|w| w.confirm_with_message(message).ok()).unwrap_or(false)
}

#[component]
fn Actions() -> impl IntoView {
    let state = expect_context::<AppState>();
    let reset = move |_| {
        let Some(ex) = state.exercise_untracked() else { return };
        if confirm("Put every file back as it was at the start? (Undo reset brings your changes back.)") {
            let files =
                ex.files.iter().map(|f| SourceFile { name: f.name.clone(), text: f.text.clone() }).collect();
            state.replace(files, "reset", "Every file is back as it was at the start");
        }
    };
    let solution = move |_| {
        let Some(ex) = state.exercise_untracked() else { return };
        if confirm("Show the solution? It replaces your files, and the exercise is marked as revealed (it does not count as solved).") {
            let files = ex
                .files
                .iter()
                .map(|f| {
                    let text = ex.solution.iter().find(|s| s.name == f.name).map_or(&f.text, |s| &s.text);
                    SourceFile { name: f.name.clone(), text: text.clone() }
                })
                .collect();
            state.progress.update(|p| {
                p.revealed.insert(ex.id.clone());
            });
            state.save_progress();
            state.replace(files, "solution", "The solution replaced your files");
        }
    };
    let revealed =
        move || state.exercise().is_some_and(|ex| state.progress.with(|p| p.revealed.contains(&ex.id)));
    let share = move |_| crate::later::run(share_later(state), state.banner);
    let copy = move |_| {
        if confirm(
            "Replace your own files for this exercise with the shared ones? (Undo copy brings yours back.)",
        ) {
            state.copy_shared();
        }
    };
    view! {
        <Show when=move || state.shared.get()>
            <div class="shared-notice" id="shared-notice" role="status">
                <span>"These files come from a share link: read-only, and not saved."</span>
                <button id="copy-shared" on:click=copy>"Copy into my attempt"</button>
            </div>
        </Show>
        <div class="actions">
            <button id="reset-button" on:click=reset>"Reset to start"</button>
            <Show when=move || state.exercise().is_some_and(|ex| !ex.solution.is_empty())>
                <button id="solution-button" on:click=solution>"Show solution"</button>
            </Show>
            <button id="share-button" on:click=share>"Share link"</button>
            <Show when=revealed>
                <span class="revealed">"Solution revealed"</span>
            </Show>
        </div>
        {move || {
            state.share_link.get().map(|link| {
                let note = format!(
                    "Copied to the clipboard ({} characters). Anyone with the link sees your files, read-only.",
                    link.len()
                );
                view! {
                    <div class="share-link">
                        <input id="share-link" type="text" readonly=true prop:value=link aria-label="Share link" />
                        <p>{note}</p>
                    </div>
                }
            })
        }}
    }
}

/// Asks for a name and makes a sandbox of it: an empty playground, or (`shop`) the shop on
/// ingress-nginx, whose file is fetched first.
fn new_sandbox(state: AppState, shop: bool) {
    let name = web_sys::window().and_then(|w| {
        w.prompt_with_message_and_default("Name the new sandbox", if shop { "shop" } else { "lab" })
            .ok()
            .flatten()
    });
    let Some(name) = name else { return };
    leptos::task::spawn_local(async move {
        let made = match shop {
            true => match crate::sandbox::shop_starter_later().await {
                Ok(text) => state.new_sandbox(&name, Some((crate::sandbox::SHOP_FILE, text))),
                Err(e) => Err(e.to_string()),
            },
            false => state.new_sandbox(&name, None),
        };
        if let Err(e) = made {
            state.banner.set(Some(e));
        }
    });
}
