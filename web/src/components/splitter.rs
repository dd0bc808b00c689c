//! A splitter between two parts of the workbench, after the WAI-ARIA window splitter pattern:
//! a focusable `role="separator"` whose value is the size of the part it controls, in percent
//! of the container. Dragging moves it; arrow keys move it by 2 % (10 % with Shift), Home and
//! End to its limits, Enter collapses the part to its minimum and restores it.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::workbench::{Part, Workbench};

/// The pointer's place along the container, in percent of its size.
fn fraction(ev: &web_sys::PointerEvent, container: &str, across: bool) -> Option<f64> {
    let el = crate::workbench::element(container)?;
    let r = el.get_bounding_client_rect();
    let (at, start, size) = if across {
        (f64::from(ev.client_x()), r.left(), r.width())
    } else {
        (f64::from(ev.client_y()), r.top(), r.height())
    };
    (size > 0.0).then(|| (at - start) / size * 100.0)
}

#[component]
pub fn Splitter(
    id: &'static str,
    /// What it resizes, said to assistive technology ("Resize the lesson").
    label: &'static str,
    /// The id of the part whose size is the value.
    controls: &'static str,
    /// The id of the element whose size is 100 %.
    container: &'static str,
    /// A bar between columns (moves left and right) rather than between rows.
    across: bool,
    /// The size it sets.
    part: Part,
) -> impl IntoView {
    let sizes = expect_context::<Workbench>().sizes;
    let (min, max) = part.limits();
    let value = move || sizes.get().get(part);
    let dragging = StoredValue::new(false);
    let restore = StoredValue::new(None::<f64>);
    let put = move |v: f64| sizes.update(|s| *s = s.with(part, v));
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let step = if ev.shift_key() { 10.0 } else { 2.0 };
        let now = sizes.get_untracked().get(part);
        let (less, more) = if across { ("ArrowLeft", "ArrowRight") } else { ("ArrowUp", "ArrowDown") };
        let next = match ev.key().as_str() {
            k if k == less => now - step,
            k if k == more => now + step,
            "Home" => min,
            "End" => max,
            "Enter" => match restore.get_value() {
                Some(v) => {
                    restore.set_value(None);
                    v
                }
                None => {
                    restore.set_value(Some(now));
                    min
                }
            },
            _ => return,
        };
        ev.prevent_default();
        put(next);
    };
    let down = move |ev: web_sys::PointerEvent| {
        if let Some(el) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
        dragging.set_value(true);
        ev.prevent_default();
    };
    let moved = move |ev: web_sys::PointerEvent| {
        if dragging.get_value() {
            if let Some(f) = fraction(&ev, container, across) {
                put(f - sizes.get_untracked().before(part));
            }
        }
    };
    let up = move |_: web_sys::PointerEvent| dragging.set_value(false);
    view! {
        <div
            id=id
            class=if across { "splitter across" } else { "splitter down" }
            role="separator"
            tabindex="0"
            aria-label=label
            aria-controls=controls
            aria-orientation=if across { "vertical" } else { "horizontal" }
            aria-valuemin=min.to_string()
            aria-valuemax=max.to_string()
            aria-valuenow=move || format!("{:.0}", value())
            on:keydown=on_key
            on:pointerdown=down
            on:pointermove=moved
            on:pointerup=up
            on:pointercancel=up
        ></div>
    }
}
