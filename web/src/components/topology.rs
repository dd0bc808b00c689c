//! The cluster as a picture: an SVG drawn from the model's layout (`netsim::layout`), redrawn
//! whenever the learner's files change, in a viewport that pans and zooms. A focused or hovered
//! box shows its details under the picture (and in its `<title>`); the picture is one tab stop
//! whose arrow keys move between boxes. Pods show a shield per isolated direction (and `cnp` when a cluster-wide policy chooses them), Services
//! draw arrows to their ready endpoints, the hops of the last request are numbered in order,
//! and the current hop's box is marked `aria-current="step"`, kept in view, and said in words
//! under the picture next to the playback controls.

use leptos::prelude::*;
use netsim::layout::{BoxKind, Boxed, Layout};

use crate::app::AppState;
use crate::playback::{self, Flight, Run};
use crate::workbench::{Region, Workbench, ZOOM_STEPS};

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

fn draw_box(
    b: &Boxed,
    hops: &[(usize, String)],
    selected: bool,
    wb: Workbench,
    current: Memo<Option<String>>,
) -> impl IntoView {
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
            marks.push(("in", "isolated for ingress".to_string()));
        }
        if egress {
            marks.push(("out", "isolated for egress".to_string()));
        }
        if !b.tiers.is_empty() {
            marks.push(("cnp", format!("chosen by cluster-wide policy (alpha): {}", b.tiers.join(", "))));
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
    let id = b.id.clone();
    let me = id.clone();
    let here = move || current.with(|c| c.as_deref() == Some(me.as_str())).then_some("step");
    // One tab stop for the whole picture (a roving tabindex): arrow keys move between boxes.
    // Namespace labels are captions, not stops.
    let stop = id.clone();
    let tabindex = move || {
        (!namespace).then(|| if wb.roving.with(|r| r.as_deref() == Some(stop.as_str())) { "0" } else { "-1" })
    };
    view! {
        <g class=class tabindex=tabindex data-id=id aria-current=here>
            <title>{title}</title>
            <rect x=x y=y width=w height=h rx=6 />
            <text class="label" x=x + 8.0 y=text_y>{label}</text>
            {(!namespace).then(|| view! { <text class="detail" x=x + 8.0 y=detail_y>{detail}</text> })}
            {shields}
            {badges}
        </g>
    }
}

/// The box an event happened in, by its id (namespace captions excepted).
fn box_of(ev: &web_sys::Event) -> Option<String> {
    use wasm_bindgen::JsCast;
    let el = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let g = el.closest("g.box:not(.ns)").ok()??;
    g.get_attribute("data-id")
}

/// The pod box an event happened in (a click, or Enter on a focused pod), by its id.
fn pod_of(ev: &web_sys::Event) -> Option<String> {
    box_of(ev).filter(|id| id.starts_with("pod/"))
}

/// Moves the picture's tab stop to the box before or after the focused one (in reading order:
/// the internet, load balancers, Services, then each node's kube-proxy and pods).
fn rove(wb: Workbench, order: &[String], ev: &web_sys::KeyboardEvent) {
    use wasm_bindgen::JsCast;
    let step: isize = match ev.key().as_str() {
        "ArrowRight" | "ArrowDown" => 1,
        "ArrowLeft" | "ArrowUp" => -1,
        "Home" => isize::MIN,
        "End" => isize::MAX,
        _ => return,
    };
    if order.is_empty() {
        return;
    }
    ev.prevent_default();
    let at = wb.roving.with_untracked(|r| order.iter().position(|id| Some(id) == r.as_ref())).unwrap_or(0);
    let next = match step {
        isize::MIN => 0,
        isize::MAX => order.len() - 1,
        s => (at as isize + s).clamp(0, order.len() as isize - 1) as usize,
    };
    wb.roving.set(Some(order[next].clone()));
    let selector = format!("#cluster-picture g[data-id=\"{}\"]", order[next]);
    let found = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(&selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::SvgElement>().ok());
    if let Some(g) = found {
        let _ = g.focus();
    }
}

fn picture(
    layout: &Layout,
    hops: &[(String, String)],
    wb: Workbench,
    current: Memo<Option<String>>,
) -> impl IntoView {
    let selected = wb.selected;
    let chosen = selected.get_untracked();
    // The tab stops in reading order; the first takes the tab stop until the learner moves it.
    let stops: Vec<String> =
        layout.boxes.iter().filter(|b| b.kind != BoxKind::Namespace).map(|b| b.id.clone()).collect();
    if wb.roving.with_untracked(|r| r.as_ref().is_none_or(|r| !stops.contains(r))) {
        wb.roving.set(stops.first().cloned());
    }
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
            draw_box(b, &mine, chosen.as_deref() == Some(b.id.as_str()), wb, current)
        })
        .collect_view();
    view! {
        <svg
            class="cluster-picture"
            id="cluster-picture"
            viewBox=view_box
            role="group"
            aria-label="The cluster: internet, load balancers, Services, nodes with kube-proxy and pods. Arrow keys move between boxes; Enter on a pod lists what it can reach."
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
                    return;
                }
                rove(wb, &stops, &ev);
            }
            on:focusin=move |ev| {
                if let Some(id) = box_of(&ev) {
                    wb.roving.set(Some(id.clone()));
                    wb.focused.set(Some(id));
                }
            }
            on:mouseover=move |ev| {
                if let Some(id) = box_of(&ev) {
                    wb.focused.set(Some(id));
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
    netsim::Client::Outside(kubectl::OUTSIDE_CLIENT)
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
        let found =
            state.grade.with(|g| state.with_open(|ex| exercises::default_source(ex, &g.as_ref()?.cluster)));
        found.flatten().unwrap_or_else(|| "outside".to_string())
    });
    Effect::new(move |_| from.set(start.get()));
    let to = RwSignal::new(String::new());
    let seed = StoredValue::new(0u64);
    // Lists kept apart from the grade, so that the options are redrawn only when they change
    // (not on every keystroke). Read in place: `get` would clone the whole grade.
    let sources = Memo::new(move |_| {
        state.grade.with(|g| {
            let g = g.as_ref()?;
            let mut options = vec![("outside".to_string(), "a laptop on the internet".to_string())];
            options.extend(
                g.cluster.nodes.iter().map(|n| (format!("node/{}", n.name), format!("node {}", n.name))),
            );
            options.extend(g.cluster.pods.iter().filter(|p| !p.built_in).map(|p| {
                (format!("pod/{}/{}", p.namespace, p.name), format!("pod {}/{}", p.namespace, p.name))
            }));
            Some(options)
        })
    });
    let source_options = move || {
        let options = sources.get()?;
        Some(options.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view())
    };
    // Suggestions: Service names, load balancer addresses, node IPs at each nodePort, and
    // the hosts and paths the Ingresses serve.
    let targets = Memo::new(move |_| state.grade.with(|g| g.as_ref().map(|g| suggestions(&g.cluster))));
    let target_options = move || {
        let t = targets.get()?;
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
                {source_options}
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
            <datalist id="composer-targets">{target_options}</datalist>
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

/// Which system components the picture draws: all of them when the learner asks; otherwise
/// CoreDNS where names matter (a DNS lesson, egress isolation, a request that looked a name
/// up) and the ingress controller where Ingresses are (or a request went through it).
fn system_shown(state: AppState, wb: Workbench) -> netsim::layout::System {
    if wb.show_system.get() {
        return netsim::layout::System::ALL;
    }
    let run_at = |prefixes: &[&str]| {
        state.play.run.with(|r| {
            r.as_ref().is_some_and(|r| {
                r.flights
                    .iter()
                    .any(|f| f.trace.hops.iter().any(|h| prefixes.iter().any(|p| h.at.starts_with(p))))
            })
        })
    };
    let (ingresses, egress) = state.grade.with(|g| {
        g.as_ref().map_or((false, false), |g| {
            let c = &g.cluster;
            let egress = (0..c.pods.len()).any(|i| c.policy.isolated(i, netsim::PolicyType::Egress));
            (!c.ingresses.is_empty(), egress)
        })
    });
    let dns_lesson = state
        .with_open(|ex| {
            ex.concepts.iter().any(|id| {
                exercises::concepts::CONCEPTS.iter().any(|(cid, chapter, _)| cid == id && *chapter == 3)
                    || id == "E1"
                    || id == "E2"
            })
        })
        .unwrap_or(false);
    let ingress_ns = netsim::ingress::NAMESPACE;
    netsim::layout::System {
        dns: dns_lesson || egress || run_at(&["dns"]),
        ingress: ingresses
            || run_at(&[
                "ingress/",
                &format!("pod/{ingress_ns}/"),
                &format!("lb/{ingress_ns}/"),
                &format!("svc/{ingress_ns}/"),
            ]),
    }
}

/// Under the picture: what happens at the current hop, in words, next to the controls.
fn hop_caption(state: AppState) -> Option<impl IntoView> {
    let play = state.play;
    let step = play.step.get();
    play.run.with(|r| {
        let r = r.as_ref().filter(|r| !r.spread)?;
        let f = r.flights.first()?;
        let total = f.trace.hops.len();
        let Some(hop) = step.checked_sub(1).and_then(|k| f.trace.hops.get(k)) else {
            return Some(view! { <p class="hop-caption" id="hop-caption">{format!("A request {}: {total} hops. Step or play to follow it.", r.label)}</p> }.into_any());
        };
        let class = if hop.stops() { "hop-caption stops" } else { "hop-caption" };
        let outcome = (step >= total).then(|| {
            let class = if f.trace.delivered { "outcome ok" } else { "outcome bad" };
            view! { <span class=class>{format!(" => {}", f.trace.outcome)}</span> }
        });
        Some(view! {
            <p class=class id="hop-caption">
                <strong>{format!("{step}/{total} {} ", hop.action)}</strong>
                <code>{hop.at.clone()}</code>
                {format!(": {}", hop.text)}
                {hop.rewrite.clone().map(|w| view! { <span class="rewrite-text">{format!(" ({w})")}</span> })}
                {outcome}
            </p>
        }.into_any())
    })
}

/// The details of the focused or hovered box (its SVG title never shows on focus or touch).
fn box_details(wb: Workbench, layout: Memo<Option<Layout>>) -> impl IntoView {
    move || {
        let id = wb.focused.get()?;
        let text = layout.with(|l| l.as_ref().and_then(|l| l.get(&id)).map(|b| b.tooltip.clone()))?;
        let mut lines = text.lines().map(str::to_string);
        let head = lines.next().unwrap_or_default();
        let rest: Vec<String> = lines.collect();
        Some(view! {
            <p class="box-details" id="box-details" role="status">
                <strong>{head}</strong>
                {rest.into_iter().map(|l| view! { <span>{format!(" · {l}")}</span> }).collect_view()}
            </p>
        })
    }
}

/// Zoom buttons and the system pods switch, in the panel's heading.
#[component]
fn PictureTools() -> impl IntoView {
    let wb = expect_context::<Workbench>();
    let zoom = move |dir: i32| {
        let now = wb.zoom.get_untracked().unwrap_or(1.0);
        let at = ZOOM_STEPS.iter().position(|z| *z >= now).unwrap_or(3) as i32;
        let next = (at + dir).clamp(0, ZOOM_STEPS.len() as i32 - 1) as usize;
        wb.zoom.set(Some(ZOOM_STEPS[next]));
    };
    view! {
        <div class="panel-tools">
            <label class="system-switch">
                <input type="checkbox" id="show-system" prop:checked=move || wb.show_system.get() on:change=move |ev| wb.show_system.set(event_target_checked(&ev)) />
                "System pods"
            </label>
            <button id="zoom-out" aria-label="Zoom out" on:click=move |_| zoom(-1)>"−"</button>
            <button id="zoom-fit" aria-pressed=move || wb.zoom.get().is_none().to_string() on:click=move |_| wb.zoom.set(None)>"Fit"</button>
            <button id="zoom-in" aria-label="Zoom in" on:click=move |_| zoom(1)>"+"</button>
            <button class="maximize" aria-label="Maximize the picture" aria-pressed=move || (wb.maximized.get() == Some(Region::Picture)).to_string() on:click=move |_| wb.toggle_max(Region::Picture)>"⤢"</button>
        </div>
    }
}

crate::later::later! {
    /// The picture's panel, loaded after the first grade (`crate::later`).
    picture: fn picture_part() -> AnyView {
        view! { <TopologyPanel /> }.into_any()
    }
}

#[component]
pub fn TopologyPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let wb = expect_context::<Workbench>();
    let play = state.play;
    let system = Memo::new(move |_| system_shown(state, wb));
    // Redrawn only when the picture changes (not on every keystroke inside a comment).
    let layout = Memo::new(move |_| {
        let system = system.get();
        state.grade.with(|g| g.as_ref().map(|g| g.cluster.layout_showing(system)))
    });
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
    // The box of the current hop: marked `aria-current="step"` and kept in view.
    let current = Memo::new(move |_| {
        let step = play.step.get();
        let at = play.run.with(|r| {
            let f = r.as_ref().filter(|r| !r.spread)?.flights.first()?;
            Some(f.trace.hops.get(step.checked_sub(1)?)?.at.clone())
        })?;
        layout.with(|l| l.as_ref()?.anchor(&at).map(|b| b.id.clone()))
    });
    Effect::new(move |_| {
        let Some(id) = current.get() else { return };
        request_animation_frame(move || {
            let selector = format!("#cluster-picture g[data-id=\"{id}\"]");
            let target = crate::workbench::element("cluster-picture")
                .and_then(|svg| svg.owner_document())
                .and_then(|d| d.query_selector(&selector).ok().flatten());
            if let (Some(viewport), Some(target)) = (crate::workbench::element("picture-viewport"), target) {
                crate::workbench::reveal(&viewport, &target);
                // One column: the page scrolls too, so the picture, its foot and the top of
                // the hop listing under it share the screen while stepping.
                if crate::workbench::narrow() {
                    let options = web_sys::ScrollIntoViewOptions::new();
                    options.set_block(web_sys::ScrollLogicalPosition::Start);
                    viewport.scroll_into_view_with_scroll_into_view_options(&options);
                }
            }
        });
    });
    let drawn = move || {
        let layout = layout.get()?;
        let hops = shown.get();
        wb.selected.track();
        Some(picture(&layout, &hops, wb, current))
    };
    let packets = move || {
        let layout = layout.get()?;
        play.run.with(|r| r.as_ref().map(|r| overlay(state, &layout, r)))
    };
    let size = move || match (wb.zoom.get(), layout.with(|l| l.as_ref().map(|l| l.width))) {
        (Some(z), Some(w)) => format!("width: {:.0}px", w * z),
        _ => "width: 100%".to_string(),
    };
    view! {
        <section class="panel" id="topology" aria-labelledby="topology-title">
            <div class="panel-head">
                <h2 id="topology-title">"Cluster"</h2>
                <PictureTools />
            </div>
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
                    <div class="picture-viewport" id="picture-viewport">
                        <div class="picture-wrap" style=size>{drawn} {packets}</div>
                    </div>
                    <div class="picture-foot">
                        <Show when=move || play.run.with(Option::is_some)>
                            <Controls />
                        </Show>
                        {move || hop_caption(state)}
                        {box_details(wb, layout)}
                    </div>
                </Show>
            </div>
        </section>
    }
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
