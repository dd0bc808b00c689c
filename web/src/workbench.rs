//! The workbench's own state: how the learner arranged the screen (column widths, the
//! picture's share of its column, the open tab of the dock, the picture's zoom, whether
//! system pods are drawn), kept in local storage per browser, and what is selected or
//! focused on the picture. None of it is progress: export and import leave it alone.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Outside the `switchboard.v1.` keys of progress, which export, import and undo cover.
const KEY: &str = "switchboard.layout";

/// The tabs of the dock under the picture. Their names start with these words (tests and
/// assistive technology find them by name).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tab {
    #[default]
    Terminal,
    Hops,
    Rules,
    Spread,
    Connections,
    Replay,
}

impl Tab {
    pub const ALL: [Tab; 6] =
        [Tab::Terminal, Tab::Hops, Tab::Rules, Tab::Spread, Tab::Connections, Tab::Replay];

    pub fn name(self) -> &'static str {
        match self {
            Tab::Terminal => "Terminal",
            Tab::Hops => "Hops",
            Tab::Rules => "Rules",
            Tab::Spread => "Spread",
            Tab::Connections => "Connections",
            Tab::Replay => "Replay",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Tab::Terminal => "dock-tab-terminal",
            Tab::Hops => "dock-tab-hops",
            Tab::Rules => "dock-tab-rules",
            Tab::Spread => "dock-tab-spread",
            Tab::Connections => "dock-tab-connections",
            Tab::Replay => "dock-tab-replay",
        }
    }

    pub fn panel(self) -> &'static str {
        match self {
            Tab::Terminal => "dock-terminal",
            Tab::Hops => "dock-hops",
            Tab::Rules => "dock-rules",
            Tab::Spread => "dock-spread",
            Tab::Connections => "dock-connections",
            Tab::Replay => "dock-replay",
        }
    }
}

/// The panels that can be maximized.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Region {
    Lesson,
    Editor,
    Picture,
    Dock,
}

impl Region {
    pub fn class(self) -> &'static str {
        match self {
            Region::Lesson => "max-lesson",
            Region::Editor => "max-editor",
            Region::Picture => "max-picture",
            Region::Dock => "max-dock",
        }
    }
}

/// Percentages of the workspace the learner gave each part (wide screens only).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Sizes {
    /// The lesson column's share of the width.
    pub lesson: f64,
    /// The editor column's share of the width.
    pub editor: f64,
    /// The picture's share of the right column's height (the dock has the rest).
    pub picture: f64,
}

impl Default for Sizes {
    fn default() -> Self {
        Sizes { lesson: 26.0, editor: 34.0, picture: 62.0 }
    }
}

/// The sizes a splitter sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Lesson,
    Editor,
    Picture,
}

impl Part {
    /// Its limits, in percent: no part can be dragged out of sight.
    pub fn limits(self) -> (f64, f64) {
        match self {
            Part::Lesson => (16.0, 50.0),
            Part::Editor => (20.0, 60.0),
            Part::Picture => (20.0, 85.0),
        }
    }
}

impl Sizes {
    pub fn get(self, part: Part) -> f64 {
        match part {
            Part::Lesson => self.lesson,
            Part::Editor => self.editor,
            Part::Picture => self.picture,
        }
    }

    /// Where `part` starts, in percent of its container.
    pub fn before(self, part: Part) -> f64 {
        if part == Part::Editor {
            self.lesson
        } else {
            0.0
        }
    }

    /// The sizes with `part` set to `value`, kept inside the limits.
    pub fn with(self, part: Part, value: f64) -> Sizes {
        let mut s = self;
        match part {
            Part::Lesson => s.lesson = value,
            Part::Editor => s.editor = value,
            Part::Picture => s.picture = value,
        }
        s.clamped()
    }

    /// The sizes with every part inside its limits, and room left for the right column.
    pub fn clamped(self) -> Sizes {
        let within = |v: f64, part: Part| v.clamp(part.limits().0, part.limits().1);
        let lesson = within(self.lesson, Part::Lesson);
        let editor = within(self.editor, Part::Editor).min(85.0 - lesson);
        Sizes { lesson, editor, picture: within(self.picture, Part::Picture) }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct Saved {
    tab: Tab,
    sizes: Sizes,
    show_system: bool,
    zoom: Option<f64>,
    /// The address of the exercise the learner last opened (`#/chapter/id`).
    last: Option<String>,
    /// The introduction to the workbench was dismissed.
    intro_seen: bool,
}

/// Shared through the context, next to the app's state.
#[derive(Clone, Copy)]
pub struct Workbench {
    pub tab: RwSignal<Tab>,
    pub sizes: RwSignal<Sizes>,
    pub maximized: RwSignal<Option<Region>>,
    /// The pod whose connections the dock shows (`pod/ns/name`).
    pub selected: RwSignal<Option<String>>,
    /// The box whose details are shown under the picture (focused or hovered).
    pub focused: RwSignal<Option<String>>,
    /// The box that takes the picture's single tab stop (arrow keys move it).
    pub roving: RwSignal<Option<String>>,
    /// Draw CoreDNS and the ingress controller even when the exercise does not use them.
    pub show_system: RwSignal<bool>,
    /// The picture's scale: 1 draws 12 px labels; `None` fits the picture to its panel.
    pub zoom: RwSignal<Option<f64>>,
    /// The address of the exercise last opened: where `/` goes back to.
    pub last: RwSignal<Option<String>>,
    /// The introduction to the four parts is shown (on a first visit, or from Help).
    pub intro: RwSignal<bool>,
}

pub const ZOOM_STEPS: [f64; 7] = [0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0];

impl Workbench {
    pub fn new() -> Workbench {
        let saved: Saved = storage()
            .and_then(|s| s.get_item(KEY).ok().flatten())
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        // Until the learner zooms: the whole picture on a wide screen, 12 px labels on a small
        // one (where the picture pans inside its box).
        let zoom = match saved.zoom {
            Some(z) if ZOOM_STEPS.contains(&z) => Some(z),
            _ if narrow() => Some(1.0),
            _ => None,
        };
        let wb = Workbench {
            tab: RwSignal::new(saved.tab),
            sizes: RwSignal::new(saved.sizes.clamped()),
            maximized: RwSignal::new(None),
            selected: RwSignal::new(None),
            focused: RwSignal::new(None),
            roving: RwSignal::new(None),
            show_system: RwSignal::new(saved.show_system),
            zoom: RwSignal::new(zoom),
            last: RwSignal::new(saved.last),
            intro: RwSignal::new(!saved.intro_seen),
        };
        // Dismissed once, never shown again unless asked for.
        let seen = StoredValue::new(saved.intro_seen);
        // Kept for the next visit. A failure to save is harmless: the layout is not work.
        Effect::new(move |_| {
            let saved = Saved {
                tab: wb.tab.get(),
                sizes: wb.sizes.get(),
                show_system: wb.show_system.get(),
                zoom: wb.zoom.get(),
                last: wb.last.get(),
                intro_seen: {
                    if !wb.intro.get() {
                        seen.set_value(true);
                    }
                    seen.get_value()
                },
            };
            if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(&saved)) {
                let _ = s.set_item(KEY, &text);
            }
        });
        wb
    }

    /// Shows `tab` in the dock (a request was sent, a pod selected).
    pub fn show(&self, tab: Tab) {
        if self.tab.get_untracked() != tab {
            self.tab.set(tab);
        }
    }

    /// Maximizes `region`, or restores the layout when it is the maximized one.
    pub fn toggle_max(&self, region: Region) {
        self.maximized.update(|m| *m = if *m == Some(region) { None } else { Some(region) });
    }
}

impl Default for Workbench {
    fn default() -> Self {
        Workbench::new()
    }
}

/// Whether the screen is laid out as one column (style.css's breakpoint).
pub fn narrow() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(max-width: 999.98px)").ok().flatten())
        .is_some_and(|m| m.matches())
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Scrolls `container` (and nothing around it) so that `target` is inside it, centring it
/// when it was out of view; smoothly, unless the learner asked for less motion.
pub fn reveal(container: &web_sys::Element, target: &web_sys::Element) {
    let c = container.get_bounding_client_rect();
    let t = target.get_bounding_client_rect();
    let dx = if t.left() < c.left() || t.right() > c.right() {
        (t.left() + t.width() / 2.0) - (c.left() + c.width() / 2.0)
    } else {
        0.0
    };
    let dy = if t.top() < c.top() || t.bottom() > c.bottom() {
        (t.top() + t.height() / 2.0) - (c.top() + c.height() / 2.0)
    } else {
        0.0
    };
    if dx == 0.0 && dy == 0.0 {
        return;
    }
    let options = web_sys::ScrollToOptions::new();
    options.set_left(f64::from(container.scroll_left()) + dx);
    options.set_top(f64::from(container.scroll_top()) + dy);
    options.set_behavior(if crate::playback::reduced_motion() {
        web_sys::ScrollBehavior::Instant
    } else {
        web_sys::ScrollBehavior::Smooth
    });
    container.scroll_to_with_scroll_to_options(&options);
}

/// The element with `id`, when it is in the page.
pub fn element(id: &str) -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id(id)
}
