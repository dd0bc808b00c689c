//! The cluster as a picture: an SVG drawn from the model's layout (`netsim::layout`), redrawn
//! whenever the learner's files change. Every box has its details on hover and focus (a
//! `<title>`), pods show a shield per isolated direction, Services draw arrows to their ready
//! endpoints, and the hops of the last request from the terminal are numbered in order.

use leptos::prelude::*;
use netsim::layout::{BoxKind, Boxed, Layout};

use crate::app::AppState;

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

fn draw_box(b: &Boxed, hops: &[(usize, String)]) -> impl IntoView {
    let class = format!(
        "box {}{}{}",
        kind_class(b.kind),
        if b.ok { "" } else { " bad" },
        if hops.is_empty() { "" } else { " on-path" }
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
                        <rect x=sx y=y + 3.0 width=28 height=13 rx=3 />
                        <text x=sx + 14.0 y=y + 13.0 text-anchor="middle">{text}</text>
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

fn picture(layout: Layout, hops: Vec<(String, String)>) -> impl IntoView {
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
    order.sort_by_key(|b| u8::from(b.kind != BoxKind::Node));
    let boxes = order
        .into_iter()
        .map(|b| {
            let mine: Vec<(usize, String)> = hops
                .iter()
                .enumerate()
                .filter(|(_, (at, _))| *at == b.id)
                .map(|(i, (_, action))| (i + 1, action.clone()))
                .collect();
            draw_box(b, &mine)
        })
        .collect_view();
    view! {
        <svg class="cluster-picture" id="cluster-picture" viewBox=view_box role="img" aria-label="The cluster: internet, load balancers, Services, nodes with kube-proxy and pods">
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

#[component]
pub fn TopologyPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Redrawn only when the picture changes (not on every keystroke inside a comment).
    let layout = Memo::new(move |_| state.grade.with(|g| g.as_ref().map(|g| g.cluster.layout())));
    let drawn = move || {
        let layout = layout.get()?;
        let hops = state.last_hops.get();
        Some(picture(layout, hops))
    };
    let hop_list = move || {
        let hops = state.last_hops.get();
        (!hops.is_empty()).then(|| {
            let items = hops
                .into_iter()
                .map(|(at, action)| view! { <li>{format!("{action} at {at}")}</li> })
                .collect_view();
            view! {
                <details class="hop-list">
                    <summary>"The last request, hop by hop"</summary>
                    <ol id="hop-list">{items}</ol>
                </details>
            }
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
                    {drawn}
                    <p class="picture-hint">"Hover or focus a box for its details. Requests sent from the terminal are numbered on the picture."</p>
                    {hop_list}
                </Show>
            </div>
        </section>
    }
}
