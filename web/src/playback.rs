//! Requests played over the cluster picture: what the picture and its text listing show of a
//! Trace, and the clock that moves packets along the hops.
//!
//! A *run* is one or more *flights* (a request's trace and the time it leaves). One clock, in
//! milliseconds of animation time, drives every packet: a packet reaches hop `k` of its flight
//! at `start + k * HOP_MS`, rests there, then moves on to hop `k + 1`. The clock advances on
//! animation frames while playing, scaled by the speed; stepping sets it to a hop and pauses.
//! With `prefers-reduced-motion` a run is shown at its end at once (stepping still works).
//! Nothing here decides anything about networking: every hop, rewrite, candidate and cause
//! comes from the model's Trace.

use leptos::prelude::*;

/// Animation time from one hop to the next, at speed 1.
pub const HOP_MS: f64 = 700.0;
/// Between two packets of a "send 10 requests" run.
pub const GAP_MS: f64 = 160.0;
/// The part of a hop's time a packet rests on its box before moving on.
const REST: f64 = 0.35;

/// A place in the learner's files that decided a hop (a policy rule, a Service, a slice).
#[derive(Clone, Debug, PartialEq)]
pub struct Cause {
    pub label: String,
    pub file: String,
    pub start: usize,
}

/// One of kube-proxy's (or DNS's) candidates at a random choice.
#[derive(Clone, Debug, PartialEq)]
pub struct CandidateView {
    /// The box of the pod behind the address, when there is one.
    pub at: Option<String>,
    pub label: String,
    pub probability: f64,
    pub chosen: bool,
}

/// One hop of a request as the picture and its text listing show it.
#[derive(Clone, Debug, PartialEq)]
pub struct HopView {
    /// The box it happens at (a layout id, or `ingress/...` drawn at the controller).
    pub at: String,
    pub action: String,
    pub text: String,
    /// `dst 10.96.0.15:80 -> 10.244.2.7:8080` when the hop rewrote the packet.
    pub rewrite: Option<String>,
    pub candidates: Vec<CandidateView>,
    pub causes: Vec<Cause>,
}

impl HopView {
    /// Whether the packet stops here without an answer.
    pub fn stops(&self) -> bool {
        matches!(self.action.as_str(), "DROP" | "REFUSED" | "REJECT" | "NXDOMAIN")
    }
}

/// A request's hops and how it ended.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceView {
    pub hops: Vec<HopView>,
    pub outcome: String,
    pub delivered: bool,
    /// Where it ended, for the spread of many requests: `pod/ns/name`, or the outcome's kind.
    pub landed: String,
}

fn causes(h: &netsim::Hop) -> Vec<Cause> {
    let mut out: Vec<Cause> = Vec::new();
    let mut add = |label: String, source: &Option<netsim::Source>| {
        if let Some(s) = source {
            if !out.iter().any(|c| c.file == s.file && c.start == s.start) {
                out.push(Cause { label, file: s.file.clone(), start: s.start });
            }
        }
    };
    if let Some(p) = &h.policy {
        for side in [&p.egress, &p.ingress].into_iter().flatten() {
            match &side.verdict {
                netsim::policy::Verdict::Allowed { by } => add(format!("rule {by}"), &by.source),
                netsim::policy::Verdict::Denied { closest: Some(near) } => {
                    add(format!("closest rule {}", near.rule), &near.rule.source)
                }
                _ => {}
            }
            for policy in &side.selected_by {
                add(format!("NetworkPolicy {policy}"), &policy.source);
            }
        }
    }
    for o in &h.objects {
        add(o.to_string(), &o.source);
    }
    out
}

impl TraceView {
    pub fn of(t: &netsim::Trace) -> TraceView {
        let hops = t
            .hops
            .iter()
            .map(|h| {
                let mut rewrite = Vec::new();
                if h.before.src != h.after.src {
                    rewrite.push(format!("src {} -> {}", h.before.src, h.after.src));
                }
                if h.before.dst != h.after.dst {
                    rewrite.push(format!("dst {} -> {}", h.before.dst, h.after.dst));
                }
                HopView {
                    at: h.at.clone(),
                    action: h.action.as_str().to_string(),
                    text: h.explanation.clone(),
                    rewrite: (!rewrite.is_empty()).then(|| rewrite.join(", ")),
                    candidates: h
                        .candidates
                        .iter()
                        .map(|c| CandidateView {
                            at: c.pod.as_ref().map(|p| format!("pod/{p}")),
                            label: match (&c.pod, &c.node) {
                                (Some(p), Some(n)) => format!("{}:{} {p} on {n}", c.ip, c.port),
                                (Some(p), None) => format!("{}:{} {p}", c.ip, c.port),
                                _ => format!("{}:{}", c.ip, c.port),
                            },
                            probability: c.probability,
                            chosen: c.chosen,
                        })
                        .collect(),
                    causes: causes(h),
                }
            })
            .collect();
        let landed = match &t.outcome {
            netsim::Outcome::Delivered { pod, .. } => format!("pod/{pod}"),
            other => other.as_str().to_string(),
        };
        TraceView { hops, outcome: t.outcome.to_string(), delivered: t.outcome.is_success(), landed }
    }
}

/// A request on its way: its trace and when it leaves, in clock time.
#[derive(Clone, Debug, PartialEq)]
pub struct Flight {
    pub trace: TraceView,
    pub start: f64,
}

impl Flight {
    /// The clock time it reaches its last hop.
    pub fn end(&self) -> f64 {
        self.start + self.trace.hops.len().saturating_sub(1) as f64 * HOP_MS
    }
}

/// What is being played: one request, or a spread of many ("send 10 requests").
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub flights: Vec<Flight>,
    pub spread: bool,
    /// What was sent, in words: `from outside to http://web.shop`.
    pub label: String,
}

impl Run {
    pub fn end(&self) -> f64 {
        self.flights.iter().map(Flight::end).fold(0.0, f64::max)
    }
}

/// Where a packet is at `local` ms after it left, given the centre of each of its hops: on
/// hop `k` from `k * HOP_MS` for a rest, then moving (eased) to hop `k + 1`.
pub fn position(points: &[(f64, f64)], local: f64) -> Option<(f64, f64)> {
    let last = points.len().checked_sub(1)?;
    if local <= 0.0 {
        return points.first().copied();
    }
    let k = (local / HOP_MS).floor() as usize;
    if k >= last {
        return points.get(last).copied();
    }
    let f = local / HOP_MS - k as f64;
    let (a, b) = (points[k], points[k + 1]);
    if f <= REST {
        return Some(a);
    }
    let t = (f - REST) / (1.0 - REST);
    let eased = t * t * (3.0 - 2.0 * t);
    Some((a.0 + (b.0 - a.0) * eased, a.1 + (b.1 - a.1) * eased))
}

/// How many hops of a flight are reached at `local` ms after it left (0 before it leaves).
pub fn hops_reached(hops: usize, local: f64) -> usize {
    if local < 0.0 || hops == 0 {
        return 0;
    }
    ((local / HOP_MS).floor() as usize + 1).min(hops)
}

pub fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|m| m.matches())
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// The playback state shared by the picture, its controls, the composer and the terminal.
#[derive(Clone, Copy)]
pub struct Playback {
    pub run: RwSignal<Option<Run>>,
    /// Animation time in ms since the run began.
    pub clock: RwSignal<f64>,
    pub playing: RwSignal<bool>,
    /// 0.5, 1, 2 or 4.
    pub speed: RwSignal<f64>,
    /// How many hops of the first request are reached (the text listing's position).
    pub step: Memo<usize>,
    /// How many requests of the run have reached their last hop.
    pub finished: Memo<usize>,
    /// The last frame's timestamp while the frame loop runs.
    last_frame: StoredValue<Option<f64>>,
}

impl Playback {
    pub fn new() -> Playback {
        let run: RwSignal<Option<Run>> = RwSignal::new(None);
        let clock = RwSignal::new(0.0);
        let step = Memo::new(move |_| {
            let t = clock.get();
            run.with(|r| {
                r.as_ref()
                    .and_then(|r| r.flights.first())
                    .map_or(0, |f| hops_reached(f.trace.hops.len(), t - f.start))
            })
        });
        let finished = Memo::new(move |_| {
            let t = clock.get();
            run.with(|r| r.as_ref().map_or(0, |r| r.flights.iter().filter(|f| f.end() <= t).count()))
        });
        Playback {
            run,
            clock,
            playing: RwSignal::new(false),
            speed: RwSignal::new(1.0),
            step,
            finished,
            last_frame: StoredValue::new(None),
        }
    }

    /// Plays one request from its first hop.
    pub fn single(&self, t: &netsim::Trace, label: String) {
        self.run.set(Some(Run {
            flights: vec![Flight { trace: TraceView::of(t), start: 0.0 }],
            spread: false,
            label,
        }));
        self.clock.set(0.0);
        self.play();
    }

    /// Plays many requests, one leaving every `GAP_MS`. While a spread of the same request
    /// is still playing, the new packets join it (two clicks: 20 packets in flight).
    pub fn spread(&self, traces: &[netsim::Trace], label: String) {
        let clock = self.clock.get_untracked();
        let joined = self.run.try_update(|r| match r {
            Some(r) if r.spread && r.label == label && clock < r.end() => {
                for (i, t) in traces.iter().enumerate() {
                    r.flights.push(Flight { trace: TraceView::of(t), start: clock + i as f64 * GAP_MS });
                }
                true
            }
            _ => false,
        });
        if joined != Some(true) {
            let flights = traces
                .iter()
                .enumerate()
                .map(|(i, t)| Flight { trace: TraceView::of(t), start: i as f64 * GAP_MS })
                .collect();
            self.run.set(Some(Run { flights, spread: true, label }));
            self.clock.set(0.0);
        }
        self.play();
    }

    pub fn clear(&self) {
        self.playing.set(false);
        self.run.set(None);
        self.clock.set(0.0);
    }

    fn end(&self) -> f64 {
        self.run.with_untracked(|r| r.as_ref().map_or(0.0, Run::end))
    }

    /// Plays from the clock's time (from the start when at the end).
    pub fn play(&self) {
        let end = self.end();
        if reduced_motion() {
            self.clock.set(end);
            self.playing.set(false);
            return;
        }
        if self.clock.get_untracked() >= end {
            self.clock.set(0.0);
        }
        if !self.playing.get_untracked() {
            self.playing.set(true);
            self.last_frame.set_value(None);
            self.frame();
        }
    }

    pub fn pause(&self) {
        self.playing.set(false);
    }

    pub fn replay(&self) {
        self.clock.set(0.0);
        self.play();
    }

    /// Shows the first request at hop `k` (1-based), paused.
    pub fn step_to(&self, k: usize) {
        self.pause();
        let start = self.run.with_untracked(|r| r.as_ref().and_then(|r| r.flights.first()).map(|f| f.start));
        if let Some(start) = start {
            self.clock.set(start + k.saturating_sub(1) as f64 * HOP_MS);
        }
    }

    fn frame(self) {
        request_animation_frame(move || {
            if !self.playing.get_untracked() {
                return;
            }
            let t = now();
            let dt = self.last_frame.get_value().map_or(0.0, |last| (t - last).clamp(0.0, 100.0));
            self.last_frame.set_value(Some(t));
            let end = self.end();
            let clock = (self.clock.get_untracked() + dt * self.speed.get_untracked()).min(end);
            self.clock.set(clock);
            if clock >= end {
                self.playing.set(false);
            } else {
                self.frame();
            }
        });
    }
}

impl Default for Playback {
    fn default() -> Self {
        Playback::new()
    }
}
