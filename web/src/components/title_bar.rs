use leptos::prelude::*;

#[component]
pub fn TitleBar() -> impl IntoView {
    view! {
        <header class="title-bar">
            <span class="logo" aria-hidden="true">"⇄"</span>
            <h1>"Switchboard"</h1>
            <p class="tagline">"Kubernetes Services and networking, hands on, in your browser"</p>
        </header>
    }
}
