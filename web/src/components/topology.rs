//! The cluster as a picture: an SVG drawn from the model's layout (`netsim::layout`), redrawn
//! whenever the learner's files change. Every box has its details on hover and focus (a
//! `<title>`), pods show a shield per isolated direction, Services draw arrows to their ready
//! endpoints, and the hops of the last request from the terminal are numbered in order.

use leptos::prelude::*;
use netsim::layout::{BoxKind, Boxed, Layout};

use crate::app::AppState;
use crate::playback::{self, Flight, Run};

fn kind_class(k: BoxKind) -> &'static str {
    match k {
        BoxKind::Internet => "internet",
        BoxKind::Dns => "dns",
        BoxKind::LoadBalancer => "lb",
        BoxKind::Service => "svc",
        BoxKind::Node => "node",
        BoxKind::KubeProxy => "kube-proxy",
        BoxKind::Namespace => "ns",
        BoxKind::Pod => "pod",
    }
}

fn draw_box(b: &Boxed, hops: &[(usize, String)], selected: bool) -> impl IntoView {
    let class = format!(
        "box {}{}{}{}",
        kind_class(b.kind),
        if b.ok { "" } else { " bad" },
        if hops.is_empty() { "" } else { " on-path" },
        if selected { " selected" } else { "" }
    );
    let (x, y, w, h) = (b.x, b.y, b.w, b.h);
    let title = b.tooltip.clone();
    let label = b.label.clone();
    let detail = b.detail.clone();
    let namespace = b.kind == BoxKind::Namespace;
    let node = b.kind == BoxKind::Node;
    let text_y = if node {
        y + 16.0
    } else if namespace {
        y + 13.0
    } else {
        y + h / 2.0 - 2.0
    };
    let detail_y = if node { y + 31.0 } else { y + h / 2.0 + 12.0 };
    let shields = (b.kind == BoxKind::Pod).then(|| {
        let (ingress, egress) = b.shields;
        let mut marks = Vec::new();
        if ingress {
            marks.push(("in", "isolated for ingress"));
        }
        if egress {
            marks.push(("out", "isolated for egress"));
        }
        marks
            .into_iter()
            .enumerate()
            .map(|(i, (text, what))| {
                let sx = x + w - 30.0 - i as f64 * 32.0;
                view! {
                    <g class="shield">
                        <title>{what}</title>
                        <rect x=sx y=y - 7.0 width=28 height=13 rx=3 />
                        <text x=sx + 14.0 y=y + 3.0 text-anchor="middle">{text}</text>
                    </g>
                }
            })
            .collect_view()
    });
    let badges = hops
        .iter()
        .enumerate()
        .map(|(k, (n, action))| {
            let bx = x - 6.0 + k as f64 * 20.0;
            let class = format!("hop-badge {}", action.to_ascii_lowercase());
            view! {
                <g class=class>
                    <circle cx=bx + 9.0 cy=y - 1.0 r=9 />
                    <text x=bx + 9.0 y=y + 3.0 text-anchor="middle">{n.to_string()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <g class=class tabindex="0" data-id=b.id.clone()>
            <title>{title}</title>
            <rect x=x y=y width=w height=h rx=6 />
            <text class="label" x=x + 8.0 y=text_y>{label}</text>
            {(!namespace).then(|| view! { <text class="detail" x=x + 8.0 y=detail_y>{detail}</text> })}
            {shields}
            {badges}
        </g>
    }
}

/// The pod box an event happened in (a click, or Enter on a focused pod), by its id.
fn pod_of(ev: &web_sys::Event) -> Option<String> {
    use wasm_bindgen::JsCast;
    let el = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let g = el.closest("g[data-id^='pod/']").ok()??;
    g.get_attribute("data-id")
}

fn picture(layout: &Layout, hops: &[(String, String)], selected: RwSignal<Option<String>>) -> impl IntoView {
    let chosen = selected.get_untracked();
    let view_box = format!("0 0 {:.0} {:.0}", layout.width, layout.height);
    let lines = layout
        .edges
        .iter()
        .filter_map(|e| {
            let (a, b) = (layout.get(&e.from)?, layout.get(&e.to)?);
            let (x1, y1) = (a.x + a.w / 2.0, a.y + a.h);
            let (x2, y2) = (b.x + b.w / 2.0, b.y);
            Some(view! { <line class="edge" x1=x1 y1=y1 x2=x2 y2=y2 /> })
        })
        .collect_view();
    // Nodes first, so pods draw over them.
    let mut order: Vec<&Boxed> = layout.boxes.iter().collect();
    sorted::sort_by_key(&mut order, |b| u8::from(b.kind != BoxKind::Node));
    let boxes = order
        .into_iter()
        .map(|b| {
            let mine: Vec<(usize, String)> = hops
                .iter()
                .enumerate()
                .filter(|(_, (at, _))| layout.anchor(at).is_some_and(|a| a.id == b.id))
                .map(|(i, (_, action))| (i + 1, action.clone()))
                .collect();
            draw_box(b, &mine, chosen.as_deref() == Some(b.id.as_str()))
        })
        .collect_view();
    view! {
        <svg
            class="cluster-picture"
            id="cluster-picture"
            viewBox=view_box
            role="img"
            aria-label="The cluster: internet, load balancers, Services, nodes with kube-proxy and pods. Select a pod (click, or Enter) for what it can reach."
            on:click=move |ev| {
                if let Some(id) = pod_of(&ev) {
                    selected.set(Some(id));
                }
            }
            on:keydown=move |ev: web_sys::KeyboardEvent| {
                if ev.key() == "Enter" || ev.key() == " " {
                    if let Some(id) = pod_of(&ev) {
                        ev.prevent_default();
                        selected.set(Some(id));
                    }
                }
            }
        >
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" />
                </marker>
            </defs>
            {lines}
            {boxes}
        </svg>
    }
}

/// `outside`, `node/NAME` or `pod/ns/name` -> the client.
fn client(value: &str) -> netsim::Client {
    if let Some(n) = value.strip_prefix("node/") {
        return netsim::Client::Node(n.to_string());
    }
    if let Some(rest) = value.strip_prefix("pod/") {
        if let Some((ns, name)) = rest.split_once('/') {
            return netsim::Client::pod(ns, name);
        }
    }
    netsim::Client::Outside(netsim::shell::OUTSIDE_CLIENT)
}

/// The centre of each hop's box; a hop with no box on the picture keeps the packet where it
/// was (or, first of all, where it goes next).
fn hop_points(layout: &Layout, flight: &Flight) -> Vec<(f64, f64)> {
    let found: Vec<Option<(f64, f64)>> =
        flight.trace.hops.iter().map(|h| layout.anchor(&h.at).map(|b| b.center())).collect();
    let first = found.iter().flatten().next().copied().unwrap_or((0.0, 0.0));
    let mut last = first;
    found
        .into_iter()
        .map(|p| {
            if let Some(p) = p {
                last = p;
            }
            last
        })
        .collect()
}

/// The packets, and at the current hop of a single request its rewrite and kube-proxy's
/// candidates with their probabilities: an SVG laid over the picture, redrawn per hop, with
/// only the packets' positions following the clock.
fn overlay(state: AppState, layout: &Layout, run: &Run) -> impl IntoView {
    let play = state.play;
    let view_box = format!("0 0 {:.0} {:.0}", layout.width, layout.height);
    let packets = run
        .flights
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let points = hop_points(layout, f);
            let start = f.start;
            let end = f.end();
            let stops = f.trace.hops.last().is_some_and(|h| h.stops());
            // Finished packets of a spread pile up beside each other on where they landed.
            let (dx, dy) = if run.spread {
                (((i % 6) as f64 - 2.5) * 9.0, ((i / 6) % 3) as f64 * 9.0 - 9.0)
            } else {
                (0.0, 0.0)
            };
            let transform = move || {
                let t = play.clock.get();
                let (x, y) = playback::position(&points, t - start).unwrap_or_default();
                let (ox, oy) = if t >= end { (dx, dy) } else { (0.0, 0.0) };
                format!("translate({:.1} {:.1})", x + ox, y + oy)
            };
            let class = move || {
                let t = play.clock.get();
                let mut c = String::from("packet");
                if t < start {
                    c.push_str(" waiting");
                }
                if stops && t >= end {
                    c.push_str(" dropped");
                }
                c
            };
            let id = (i == 0).then_some("packet");
            view! { <circle class=class id=id r=if run.spread { 5 } else { 7 } transform=transform /> }
        })
        .collect_view();
    // Single request: what happens at the current hop.
    let current = (!run.spread)
        .then(|| {
            let f = run.flights.first()?;
            let step = play.step.get();
            let hop = f.trace.hops.get(step.checked_sub(1)?)?;
            let at = layout.anchor(&hop.at)?;
            let (cx, cy) = at.center();
            let lines = hop
                .candidates
                .iter()
                .filter_map(|c| {
                    let b = layout.get(c.at.as_deref()?)?;
                    let (x2, y2) = b.center();
                    let class = if c.chosen { "candidate chosen" } else { "candidate" };
                    let label = format!("{:.0} %", c.probability * 100.0);
                    Some(view! {
                        <g class=class>
                            <line x1=cx y1=cy x2=x2 y2=y2 />
                            <text x=b.x + b.w - 4.0 y=b.y + b.h - 4.0 text-anchor="end">{label}</text>
                        </g>
                    })
                })
                .collect_view();
            let note = hop.rewrite.clone().map(|r| {
                let w = r.chars().count() as f64 * 6.4 + 12.0;
                let x = (cx - w / 2.0).clamp(2.0, (layout.width - w - 2.0).max(2.0));
                let y = (at.y - 24.0).max(2.0);
                view! {
                    <g class="rewrite">
                        <rect x=x y=y width=w height=18 rx=4 />
                        <text x=x + 6.0 y=y + 13.0>{r}</text>
                    </g>
                }
            });
            let mark = hop.stops().then(|| {
                view! {
                    <g class="drop-mark">
                        <line x1=cx - 12.0 y1=cy - 12.0 x2=cx + 12.0 y2=cy + 12.0 />
                        <line x1=cx - 12.0 y1=cy + 12.0 x2=cx + 12.0 y2=cy - 12.0 />
                    </g>
                }
            });
            Some(view! { {lines} {note} {mark} })
        })
        .flatten();
    view! {
        <svg class="packet-layer" viewBox=view_box aria-hidden="true">
            {current}
            {packets}
        </svg>
    }
}

/// Where to send a request from and to, one request or ten.
#[component]
fn Composer() -> impl IntoView {
    let state = expect_context::<AppState>();
    let from = RwSignal::new("outside".to_string());
    // The pod the exercise's checks send from, when they do; set again when it changes.
    let start = Memo::new(move |_| {
        let found = state
            .grade
            .with(|g| Some(exercises::default_source(&state.exercise_untracked()?, &g.as_ref()?.cluster)));
        found.flatten().unwrap_or_else(|| "outside".to_string())
    });
    Effect::new(move |_| from.set(start.get()));
    let to = RwSignal::new(String::new());
    let seed = StoredValue::new(0u64);
    let sources = move || {
        // Read in place: `get` would clone the whole grade, with the learner's cluster.
        let options = state.grade.with(|g| {
            let g = g.as_ref()?;
            let mut options = vec![("outside".to_string(), "a laptop on the internet".to_string())];
            options.extend(
                g.cluster.nodes.iter().map(|n| (format!("node/{}", n.name), format!("node {}", n.name))),
            );
            options.extend(g.cluster.pods.iter().filter(|p| !p.built_in).map(|p| {
                (format!("pod/{}/{}", p.namespace, p.name), format!("pod {}/{}", p.namespace, p.name))
            }));
            Some(options)
        })?;
        Some(options.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view())
    };
    // Suggestions: Service names, load balancer addresses, node IPs at each nodePort, and
    // the hosts and paths the Ingresses serve.
    let targets = move || {
        let t = state.grade.with(|g| g.as_ref().map(|g| suggestions(&g.cluster)))?;
        Some(t.into_iter().map(|v| view! { <option value=v></option> }).collect_view())
    };
    let request = move |n: u64| -> Option<(Vec<netsim::Trace>, String)> {
        let g = state.grade.get_untracked()?;
        let target = to.get_untracked();
        let target = target.trim();
        if target.is_empty() {
            return None;
        }
        let source = from.get_untracked();
        let base = seed.get_value();
        seed.set_value(base + n);
        let traces = (0..n)
            .map(|i| g.cluster.send(&netsim::Request::new(client(&source), target).seed(base + i)))
            .collect();
        let who = if source == "outside" { "a laptop on the internet".to_string() } else { source };
        Some((traces, format!("from {who} to {target}")))
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some((traces, label)) = request(1) {
            if let Some(t) = traces.first() {
                state.play.single(t, label);
            }
        }
    };
    let send_ten = move |_| {
        if let Some((traces, label)) = request(10) {
            state.play.spread(&traces, label);
        }
    };
    view! {
        <form class="composer" id="composer" on:submit=send aria-label="Send a request">
            <label for="composer-from">"From"</label>
            <select id="composer-from" on:change=move |ev| from.set(event_target_value(&ev)) prop:value=move || from.get()>
                {sources}
            </select>
            <label for="composer-to">"to"</label>
            <input
                id="composer-to"
                type="text"
                list="composer-targets"
                placeholder="http://web.shop:80, 192.168.49.2:30080, http://shop.example.com/api"
                autocomplete="off"
                spellcheck="false"
                on:input=move |ev| to.set(event_target_value(&ev))
                prop:value=move || to.get()
            />
            <datalist id="composer-targets">{targets}</datalist>
            <button id="composer-send" type="submit">"Send"</button>
            <button id="composer-send10" type="button" on:click=send_ten title="Send 10 requests and see how they spread over the endpoints">
                "Send 10"
            </button>
        </form>
    }
}

/// Play, pause, step and speed: for the packets on the picture.
#[component]
fn Controls() -> impl IntoView {
    let state = expect_context::<AppState>();
    let play = state.play;
    let total = move || {
        play.run.with(|r| r.as_ref().and_then(|r| r.flights.first()).map_or(0, |f| f.trace.hops.len()))
    };
    let prev = move |_| play.step_to(play.step.get_untracked().saturating_sub(1).max(1));
    let next = move |_| play.step_to((play.step.get_untracked() + 1).min(total()));
    let toggle = move |_| {
        if play.playing.get_untracked() {
            play.pause()
        } else {
            play.play()
        }
    };
    let speed = move |ev| {
        if let Ok(v) = event_target_value(&ev).parse::<f64>() {
            play.speed.set(v);
        }
    };
    view! {
        <div class="playback-controls" role="group" aria-label="Play the request">
            <button id="play" on:click=toggle>{move || if play.playing.get() { "❚❚ Pause" } else { "▶ Play" }}</button>
            <button id="step-prev" on:click=prev>"◀ Step back"</button>
            <button id="step-next" on:click=next>"Step ▶"</button>
            <button id="replay" on:click=move |_| play.replay()>"Replay"</button>
            <label>
                "Speed "
                <select id="speed" on:change=speed prop:value=move || play.speed.get().to_string()>
                    <option value="0.5">"0.5×"</option>
                    <option value="1">"1×"</option>
                    <option value="2">"2×"</option>
                    <option value="4">"4×"</option>
                </select>
            </label>
            <span class="step-count">{move || format!("hop {} of {}", play.step.get(), total())}</span>
        </div>
    }
}

/// One request as text: every hop reached so far, with its rewrite, kube-proxy's candidates
/// and the places in the files that decided it.
fn hop_listing(state: AppState, run: &Run) -> Option<impl IntoView> {
    let f = run.flights.first().cloned();
    let step = state.play.step.get();
    let f = f?;
    let total = f.trace.hops.len();
    let items = f
        .trace
        .hops
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let class = if i + 1 == step {
                "current"
            } else if i < step {
                "done"
            } else {
                "todo"
            };
            let current = (i + 1 == step).then_some("step");
            let candidates = (!h.candidates.is_empty()).then(|| {
                let items = h
                    .candidates
                    .iter()
                    .map(|c| {
                        let text = format!(
                            "{}{}: p = {:.2}",
                            if c.chosen { "chosen " } else { "" },
                            c.label,
                            c.probability
                        );
                        view! { <li class:chosen=c.chosen>{text}</li> }
                    })
                    .collect_view();
                view! { <ul class="candidates" aria-label="candidates">{items}</ul> }
            });
            let causes = h
                .causes
                .iter()
                .map(|c| {
                    let line = state
                        .file_text(&c.file)
                        .map(|t| manifest::line_col(&t, c.start).0)
                        .unwrap_or_default();
                    let (file, start) = (c.file.clone(), c.start);
                    let text = format!("{} ({}:{line})", c.label, c.file);
                    view! {
                        <button class="cause" title="Show it in the editor" on:click=move |_| state.jump.set(Some((file.clone(), start)))>
                            {text}
                        </button>
                    }
                })
                .collect_view();
            view! {
                <li class=class aria-current=current>
                    <strong>{format!("{} ", h.action)}</strong>
                    <code>{h.at.clone()}</code>
                    <span>{format!(": {}", h.text)}</span>
                    {h.rewrite.clone().map(|r| view! { <div class="rewrite-text">{r}</div> })}
                    {candidates}
                    {(!h.causes.is_empty()).then(|| view! { <div class="causes">"Decided by: " {causes}</div> })}
                </li>
            }
        })
        .collect_view();
    let class = if f.trace.delivered { "outcome ok" } else { "outcome bad" };
    let outcome = (step >= total).then(
        || view! { <p class=class id="trace-outcome" role="status">{format!("=> {}", f.trace.outcome)}</p> },
    );
    Some(view! {
        <p class="run-label">{format!("One request {}", run.label)}</p>
        <ol id="hop-list" class="hop-list" aria-label="The request's hops">{items}</ol>
        {outcome}
    })
}

/// Many requests as text: where each landed, and the spread over the endpoints.
fn spread_listing(state: AppState, run: &Run) -> impl IntoView {
    let done = state.play.finished.get();
    let now = state.play.clock.get_untracked();
    let mut tally: Vec<(String, usize)> = Vec::new();
    for f in run.flights.iter().filter(|f| f.end() <= now) {
        match tally.iter_mut().find(|(l, _)| *l == f.trace.landed) {
            Some((_, n)) => *n += 1,
            None => tally.push((f.trace.landed.clone(), 1)),
        }
    }
    sorted::sort(&mut tally);
    let rows = tally
        .iter()
        .map(|(landed, n)| {
            let pct = *n as f64 * 100.0 / done.max(1) as f64;
            view! { <tr><td><code>{landed.clone()}</code></td><td>{n.to_string()}</td><td>{format!("{pct:.0} %")}</td></tr> }
        })
        .collect_view();
    // kube-proxy's rule for this Service, from the first request: its candidates and why.
    let choice = run.flights.first().and_then(|f| f.trace.hops.iter().find(|h| !h.candidates.is_empty())).map(|h| {
        let odds = h
            .candidates
            .iter()
            .map(|c| format!("{} p = {:.2}", c.label, c.probability))
            .collect::<Vec<_>>()
            .join("; ");
        view! { <p class="spread-why">{format!("{} at {}: {}. Candidates: {odds}.", h.action, h.at, h.text)}</p> }
    });
    view! {
        <p class="run-label">{format!("{} requests {}", run.flights.len(), run.label)}</p>
        <table id="spread" class="spread" aria-label="Where the requests landed">
            <caption>{format!("{done} of {} arrived", run.flights.len())}</caption>
            <thead><tr><th>"Landed on"</th><th>"Requests"</th><th>"Share"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {choice}
    }
}

#[component]
pub fn TopologyPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let play = state.play;
    // Redrawn only when the picture changes (not on every keystroke inside a comment).
    let layout = Memo::new(move |_| state.grade.with(|g| g.as_ref().map(|g| g.cluster.layout())));
    // The hops of a single request reached so far, numbered on the picture.
    let shown = Memo::new(move |_| {
        let step = play.step.get();
        play.run.with(|r| match r {
            Some(r) if !r.spread => r
                .flights
                .first()
                .map(|f| f.trace.hops.iter().take(step).map(|h| (h.at.clone(), h.action.clone())).collect())
                .unwrap_or_default(),
            _ => Vec::new(),
        })
    });
    let selected: RwSignal<Option<String>> = RwSignal::new(None);
    let drawn = move || {
        let layout = layout.get()?;
        let hops = shown.get();
        selected.track();
        Some(picture(&layout, &hops, selected))
    };
    let packets = move || {
        let layout = layout.get()?;
        play.run.with(|r| r.as_ref().map(|r| overlay(state, &layout, r)))
    };
    let listing = move || {
        play.run.with(|r| {
            r.as_ref().map(|r| {
                if r.spread {
                    spread_listing(state, r).into_any()
                } else {
                    hop_listing(state, r).into_any()
                }
            })
        })
    };
    view! {
        <section class="panel" id="topology" aria-labelledby="topology-title">
            <h2 id="topology-title">"Cluster"</h2>
            <div class="panel-body topology-body">
                <Show
                    when=move || state.grade.with(Option::is_some)
                    fallback=|| view! {
                        <p class="empty-state">
                            "The cluster is drawn here: the internet, load balancers, nodes, kube-proxy, Services and pods. Send a request to watch it travel hop by hop."
                        </p>
                    }
                >
                    <Composer />
                    <div class="picture-wrap">{drawn} {packets}</div>
                    <p class="picture-hint">"Hover or focus a box for its details. Requests (from here or the terminal) are numbered on the picture, hop by hop."</p>
                    <Connections selected=selected />
                    <Show when=move || play.run.with(Option::is_some)>
                        <Controls />
                    </Show>
                    <div class="playback">{listing}</div>
                </Show>
            </div>
        </section>
    }
}

/// What the selected pod may reach and what may reach it under NetworkPolicy, with ports
/// (`netsim::connlist`, the same answers as `switchboard connlist`).
#[component]
fn Connections(selected: RwSignal<Option<String>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let body = move || {
        let id = selected.get()?;
        state.grade.with(|g| {
            let g = g.as_ref()?;
            let c = &g.cluster;
            let Some(index) = c.pods.iter().position(|p| format!("pod/{}/{}", p.namespace, p.name) == id) else {
                return Some(view! { <p class="connections-none">{format!("{id} is no longer in the cluster.")}</p> }.into_any());
            };
            let answer = c.policy.connectivity().pod_connections(index);
            let pods = c.policy.pods();
            let name = |peer: &netsim::connlist::Peer| match peer {
                netsim::connlist::Peer::Pod(i) => {
                    pods.get(*i).map_or_else(|| format!("pod #{i}"), |p| format!("{}/{}", p.namespace, p.name))
                }
                netsim::connlist::Peer::Outside(r) => format!("outside {r}"),
            };
            let rows = |list: &[(netsim::connlist::Peer, netsim::connlist::PortSet)]| {
                if list.is_empty() {
                    return view! { <li class="connections-none">"nothing: NetworkPolicy allows no connection"</li> }.into_any();
                }
                list.iter()
                    .map(|(peer, ports)| {
                        view! { <li><code>{name(peer)}</code>": "{ports.to_string()}</li> }
                    })
                    .collect_view()
                    .into_any()
            };
            let me = format!("{}/{}", c.pods[index].namespace, c.pods[index].name);
            Some(
                view! {
                    <div class="connections-head">
                        <h3>{format!("What pod {me} can talk to (NetworkPolicy only)")}</h3>
                        <button id="connections-close" on:click=move |_| selected.set(None)>"Close"</button>
                    </div>
                    <div class="connections-lists">
                        <div>
                            <h4>"It can reach"</h4>
                            <ul id="connections-out">{rows(&answer.outgoing)}</ul>
                        </div>
                        <div>
                            <h4>"Can reach it"</h4>
                            <ul id="connections-in">{rows(&answer.incoming)}</ul>
                        </div>
                    </div>
                    <p class="picture-hint">"Ports are what the policies allow; whether something listens there is another matter (send a request to see)."</p>
                }
                .into_any(),
            )
        })
    };
    view! { <section class="connections" id="connections" aria-live="polite">{body}</section> }
}

/// The composer's suggestions: Service names, load balancer addresses, node IPs at each
/// nodePort, and the hosts and paths the Ingresses serve.
fn suggestions(c: &netsim::Cluster) -> Vec<String> {
    let mut t: Vec<String> = Vec::new();
    for s in c.services.iter().filter(|s| !s.built_in) {
        let port = s.spec.ports.first().map_or(80, |p| p.port);
        t.push(format!("http://{}.{}:{port}", s.name(), s.namespace()));
        if let Some(ip) = s.load_balancer_ip {
            t.push(format!("http://{ip}:{port}"));
        }
        for p in s.spec.ports.iter().filter_map(|p| p.node_port) {
            if let Some(n) = c.nodes.first() {
                t.push(format!("{}:{p}", n.ip));
            }
        }
    }
    for ing in &c.ingresses {
        for rule in &ing.rules {
            let host = rule.host.as_deref().unwrap_or("").replace('*', "www");
            for path in &rule.paths {
                if !host.is_empty() {
                    t.push(format!("http://{host}{}", path.path.as_deref().unwrap_or("/")));
                }
            }
        }
    }
    t.dedup();
    t
}
