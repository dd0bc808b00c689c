//! The dock under the picture: the terminal, the hops of the last request, the spread of
//! many requests and a selected pod's connections, one tab each (WAI-ARIA tabs: arrow keys
//! move between them). A request from the composer opens its tab; the terminal keeps focus
//! when the request came from it. The open tab is kept in the workbench's state.

use leptos::prelude::*;

use crate::app::AppState;
use crate::components::TerminalPanel;
use crate::playback::Run;
use crate::workbench::{Region, Tab, Workbench};

crate::later::later! {
    /// The dock, loaded after the first grade (`crate::later`).
    dock: fn dock_part() -> AnyView {
        // The terminal's node-shell shows kube-proxy's rules.
        netsim::iptables::install();
        view! { <Dock /> }.into_any()
    }
}

#[component]
pub fn Dock() -> impl IntoView {
    let state = expect_context::<AppState>();
    let wb = expect_context::<Workbench>();
    let play = state.play;
    // A new run shows its listing, unless the learner is typing in the terminal.
    Effect::new(move |previous: Option<bool>| {
        let spread = play.run.with(|r| r.as_ref().map(|r| r.spread));
        let typing = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .is_some_and(|e| e.id() == "terminal-input");
        if let (Some(spread), Some(_)) = (spread, previous) {
            if !typing {
                wb.show(if spread { Tab::Spread } else { Tab::Hops });
            }
        }
        spread.is_some()
    });
    // A pod selected on the picture shows its connections.
    Effect::new(move |previous: Option<()>| {
        if wb.selected.get().is_some() && previous.is_some() {
            wb.show(Tab::Connections);
        }
    });
    // The current hop's line stays in view while stepping (after the listing is redrawn).
    Effect::new(move |_| {
        play.step.track();
        wb.tab.track();
        request_animation_frame(|| {
            let current = crate::workbench::element("hop-list")
                .and_then(|list| list.query_selector("li[aria-current]").ok().flatten());
            if let (Some(panel), Some(item)) = (crate::workbench::element(Tab::Hops.panel()), current) {
                crate::workbench::reveal(&panel, &item);
            }
            // And the rule that fired, in the Rules tab.
            let fired = crate::workbench::element("rules-listing")
                .and_then(|list| list.query_selector(".fired").ok().flatten());
            if let (Some(panel), Some(line)) = (crate::workbench::element(Tab::Rules.panel()), fired) {
                crate::workbench::reveal(&panel, &line);
            }
        });
    });
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let at = Tab::ALL.iter().position(|t| *t == wb.tab.get_untracked()).unwrap_or(0);
        let n = Tab::ALL.len();
        let next = match ev.key().as_str() {
            "ArrowRight" => (at + 1) % n,
            "ArrowLeft" => (at + n - 1) % n,
            "Home" => 0,
            "End" => n - 1,
            _ => return,
        };
        ev.prevent_default();
        wb.tab.set(Tab::ALL[next]);
        use wasm_bindgen::JsCast;
        if let Some(el) = crate::workbench::element(Tab::ALL[next].id())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    };
    let tabs = Tab::ALL
        .into_iter()
        .map(|t| {
            let selected = move || wb.tab.get() == t;
            let badge = move || match t {
                Tab::Hops => play.run.with(|r| {
                    r.as_ref()
                        .filter(|r| !r.spread)
                        .and_then(|r| r.flights.first())
                        .map(|f| format!(" ({})", f.trace.hops.len()))
                }),
                Tab::Spread => play
                    .run
                    .with(|r| r.as_ref().filter(|r| r.spread).map(|r| format!(" ({})", r.flights.len()))),
                _ => None,
            };
            view! {
                <button
                    role="tab"
                    class="dock-tab"
                    id=t.id()
                    aria-controls=t.panel()
                    aria-selected=move || selected().to_string()
                    tabindex=move || if selected() { "0" } else { "-1" }
                    on:click=move |_| wb.tab.set(t)
                >
                    {t.name()}
                    {badge}
                </button>
            }
        })
        .collect_view();
    let listing = move |spread: bool| {
        play.run.with(|r| match r {
            Some(r) if r.spread == spread => Some(if spread {
                spread_listing(state, r).into_any()
            } else {
                hop_listing(state, r).into_any()
            }),
            _ => None,
        })
    };
    let hidden = move |t: Tab| move || wb.tab.get() != t;
    view! {
        <section class="panel dock" id="dock" aria-label="Terminal and request details">
            <div class="dock-head">
                <div class="dock-tabs" role="tablist" aria-label="Terminal and request details" on:keydown=on_key>
                    {tabs}
                </div>
                <button class="maximize" title="Maximize or restore this panel" aria-label="Maximize the dock" aria-pressed=move || (wb.maximized.get() == Some(Region::Dock)).to_string() on:click=move |_| wb.toggle_max(Region::Dock)>"⤢"</button>
            </div>
            <div class="dock-panel" role="tabpanel" id=Tab::Terminal.panel() aria-labelledby=Tab::Terminal.id() class:hidden=hidden(Tab::Terminal)>
                <TerminalPanel />
            </div>
            <div class="dock-panel scroll" role="tabpanel" tabindex="0" id=Tab::Hops.panel() aria-labelledby=Tab::Hops.id() class:hidden=hidden(Tab::Hops)>
                {move || listing(false).unwrap_or_else(|| view! {
                    <p class="empty-state">"Send a request from the composer above the picture (or curl from the terminal): each hop is listed here with what decided it."</p>
                }.into_any())}
            </div>
            <div class="dock-panel scroll" role="tabpanel" tabindex="0" id=Tab::Rules.panel() aria-labelledby=Tab::Rules.id() class:hidden=hidden(Tab::Rules)>
                <Rules />
            </div>
            <div class="dock-panel scroll" role="tabpanel" tabindex="0" id=Tab::Spread.panel() aria-labelledby=Tab::Spread.id() class:hidden=hidden(Tab::Spread)>
                {move || listing(true).unwrap_or_else(|| view! {
                    <p class="empty-state">"Send 10 requests to see how kube-proxy spreads them over the endpoints."</p>
                }.into_any())}
            </div>
            <div class="dock-panel scroll" role="tabpanel" tabindex="0" id=Tab::Connections.panel() aria-labelledby=Tab::Connections.id() class:hidden=hidden(Tab::Connections)>
                <Show when=move || wb.selected.with(Option::is_none)>
                    <p class="empty-state">"Select a pod on the picture (click it, or Enter on it) to list what NetworkPolicy lets it reach and what may reach it."</p>
                </Show>
                <Connections />
            </div>
            <div class="dock-panel scroll" role="tabpanel" tabindex="0" id=Tab::Replay.panel() aria-labelledby=Tab::Replay.id() class:hidden=hidden(Tab::Replay)>
                <Replay />
            </div>
        </section>
    }
}

/// kube-proxy's rules on the node where the request met them, in the node's mode
/// (`iptables-save`, or `nft list table ip kube-proxy`), with the lines of the rule that
/// fired marked once the request has reached that hop: the jump into the Service's chain (or
/// the verdict-map element) and the endpoint's chain. The words are the hop's own ("the
/// rule: ..."); this view holds no rule of its own.
#[component]
fn Rules() -> impl IntoView {
    let state = expect_context::<AppState>();
    let play = state.play;
    let body = move || {
        let step = play.step.get();
        let hop = play.run.with(|r| {
            let f = r.as_ref().filter(|r| !r.spread)?.flights.first()?;
            f.trace.hops.iter().enumerate().find_map(|(i, h)| {
                let rule = h.text.split("the rule: ").nth(1)?;
                let node = h.at.strip_prefix("kube-proxy/")?;
                Some((i, node.to_string(), rule.to_string()))
            })
        });
        let Some((index, node, rule)) = hop else {
            return view! {
                <p class="empty-state">"Send a request through a Service: the rules kube-proxy wrote on the node it met are listed here, and the one that sent it to its endpoint is marked as the request reaches it."</p>
            }
            .into_any();
        };
        let reached = step > index;
        // What marks a line: a jump to a chain the rule went through, the endpoint's chain,
        // or (nftables) the verdict-map element.
        let mut marks: Vec<String> = Vec::new();
        for word in rule.split([' ', ',', '(', ')']).filter(|w| !w.is_empty()) {
            if word.starts_with("KUBE-SEP-") || word.starts_with("endpoint-") {
                marks.push(word.to_string());
            } else if ["KUBE-", "service-", "local-", "external-"].iter().any(|p| word.starts_with(p)) {
                marks.extend([format!("-j {word}"), format!("goto {word}")]);
            }
        }
        marks.extend(rule.split('`').nth(1).map(|e| format!("{e} :")));
        let listing = state.grade.with(|g| {
            let c = &g.as_ref()?.cluster;
            match c.topology.kube_proxy_mode {
                netsim::ProxyMode::Iptables => c.iptables_save(&node),
                netsim::ProxyMode::Nftables => c.nft_list(&node),
            }
        });
        let Some(listing) = listing else {
            return view! { <p class="empty-state">{format!("{node} is no longer in the cluster.")}</p> }
                .into_any();
        };
        let lines = listing
            .lines()
            .map(|line| {
                let fired = reached && marks.iter().any(|m| line.contains(m.as_str()));
                view! { <span class:fired=fired>{line.to_string()}"\n"</span> }
            })
            .collect_view();
        let head = format!(
            "kube-proxy's rules on {node} ({}){}",
            state.grade.with(|g| g.as_ref().map_or("", |g| g.cluster.topology.kube_proxy_mode.as_str())),
            if reached { ": the marked lines sent this request to its endpoint" } else { "" }
        );
        view! {
            <p class="rules-head">{head}</p>
            <pre class="rules" id="rules-listing">{lines}</pre>
        }
        .into_any()
    };
    view! { {body} }
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

/// The same requests through the ingress controller and through the Gateways of the
/// learner's cluster (`netsim::gateway::migrate::replay`, as `switchboard replay`): the
/// requests that differ first, each with both decisions, then how many agree.
#[component]
fn Replay() -> impl IntoView {
    let state = expect_context::<AppState>();
    let body = move || {
        state.grade.with(|g| {
            let c = &g.as_ref()?.cluster;
            if c.ingresses.is_empty() || c.gateway_api.gateways.is_empty() {
                return None;
            }
            let requests = netsim::gateway::migrate::requests(c, c);
            let rows = netsim::gateway::migrate::replay(c, c, &requests);
            let differ: Vec<_> = rows.iter().filter(|r| !r.same()).collect();
            let summary = format!(
                "{} request(s) through the Ingress and through the Gateway: {} differ",
                rows.len(),
                differ.len()
            );
            let items = differ
                .iter()
                .map(|r| {
                    view! {
                        <li>
                            <code>{r.url.clone()}</code>
                            <div>"Ingress: " <b>{r.ingress.text()}</b> <span class="connections-none">" — " {r.ingress.why.clone()}</span></div>
                            <div>"Gateway: " <b>{r.gateway.text()}</b> <span class="connections-none">" — " {r.gateway.why.clone()}</span></div>
                        </li>
                    }
                })
                .collect_view();
            Some(
                view! {
                    <p id="replay-summary">{summary}</p>
                    <ul id="replay-list">{items}</ul>
                }
                .into_any(),
            )
        })
    };
    view! {
        {move || body().unwrap_or_else(|| view! {
            <p class="empty-state">"Write an Ingress and the Gateway and Routes that should replace it (in a sandbox, \"Convert to Gateway API\" in the editor writes them): the same requests then go through both, and every difference is listed here with both decisions."</p>
        }.into_any())}
    }
}

/// What the selected pod may reach and what may reach it under policy (NetworkPolicy, and the
/// cluster-wide tiers when the cluster has any), with ports (`netsim::connlist`, the same
/// answers as `switchboard connlist`).
#[component]
fn Connections() -> impl IntoView {
    let state = expect_context::<AppState>();
    let selected = expect_context::<Workbench>().selected;
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
            let by = if c.cluster_network_policies().is_empty() { "NetworkPolicy" } else { "policy" };
            let rows = |list: &[(netsim::connlist::Peer, netsim::connlist::PortSet)]| {
                if list.is_empty() {
                    let none = format!("nothing: {by} allows no connection");
                    return view! { <li class="connections-none">{none}</li> }.into_any();
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
                        <h3>{format!("What pod {me} can talk to ({})", if by == "policy" { "NetworkPolicy and cluster-wide policy only" } else { "NetworkPolicy only" })}</h3>
                        <button id="connections-close" on:click=move |_| selected.set(None)>"Close"</button>
                    </div>
                    <div class="connections-lists">
                        <div>
                            <h4>"It can reach"</h4>
                            <ul id="connections-out" tabindex="0" aria-label="It can reach">{rows(&answer.outgoing)}</ul>
                        </div>
                        <div>
                            <h4>"Can reach it"</h4>
                            <ul id="connections-in" tabindex="0" aria-label="Can reach it">{rows(&answer.incoming)}</ul>
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
