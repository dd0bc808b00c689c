use leptos::prelude::*;

/// A titled region of the workspace. `id` is stable: tests and links use it.
#[component]
pub fn Panel(
    id: &'static str,
    title: &'static str,
    /// What appears here once there is something to show.
    empty: &'static str,
) -> impl IntoView {
    let heading = format!("{id}-title");
    let labelled_by = heading.clone();
    view! {
        <section class="panel" id=id aria-labelledby=labelled_by>
            <h2 id=heading>{title}</h2>
            <div class="panel-body">
                <p class="empty-state">{empty}</p>
            </div>
        </section>
    }
}
