//! What the first grade does not need, loaded after it: the editor's tabs and Problems list,
//! the picture, the dock (terminal, hops, spread, connections), the import dialog, export,
//! undo, making and opening share links, the course pack reader, and the Gateway API's part
//! of the model (`exercises::install_gateway_api`). Each is declared with `later!` next to its code;
//! in the site's build (feature `split`) it is a wasm-split point: wasm-split (run by
//! `cargo xtask split-wasm` after Trunk's build) moves the code only such functions reach
//! into a module of its own, fetched when first called, so that a slow network downloads the
//! model and the lesson first. Without the feature (the wasm-bindgen tests) they are plain
//! async functions in the one module. The panels are drawn by `boot::Later` once the shell
//! has given way.

use leptos::prelude::*;

/// Declares `pub async fn $name(..) -> Result<$ret, Unavailable>` whose body goes to the wasm
/// module `$chunk`; `Err` when that module could not be fetched (a later call tries again).
macro_rules! later {
    ($(#[$doc:meta])* $chunk:ident: fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty $body:block) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        #[allow(clippy::unit_arg)]
        pub fn $name($($arg: $ty),*) -> Result<$ret, crate::later::Unavailable> {
            Ok($body)
        }

        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        #[allow(clippy::unit_arg)]
        pub async fn $name($($arg: $ty),*) -> Result<$ret, crate::later::Unavailable> {
            Ok($body)
        }
    };
}
pub(crate) use later;

/// A part of the app whose wasm module could not be fetched: the network went away before
/// the service worker kept it.
#[derive(Clone, Copy, Debug)]
pub struct Unavailable;

impl From<leptos::wasm_split::SplitLoaderError> for Unavailable {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        Unavailable
    }
}

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("This part of Switchboard could not be downloaded: check the connection, then try again. Your files are saved.")
    }
}

/// What `load` brings while `shown` holds; nothing otherwise.
pub fn when<S, F, Fut>(shown: S, load: F) -> impl IntoView
where
    S: Fn() -> bool + Send + Sync + 'static,
    F: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<AnyView, Unavailable>> + 'static,
{
    let shown = Memo::new(move |_| shown());
    move || shown.get().then(|| arriving(load(), |why| said(why, None)))
}

/// The view a split function's future brings, drawn when it arrives, or what `failed` makes of
/// why its module could not be fetched. The future stays on this thread (the browser's only
/// one); Leptos's `Suspend` asks for `Send`.
pub fn arriving<Fut, F>(part: Fut, failed: F) -> Suspend<AnyView>
where
    Fut: std::future::Future<Output = Result<AnyView, Unavailable>> + 'static,
    F: FnOnce(Unavailable) -> AnyView + Send + 'static,
{
    let part = send_wrapper::SendWrapper::new(part);
    Suspend::new(async move {
        match part.await {
            Ok(view) => view,
            Err(why) => failed(why),
        }
    })
}

/// Why a part is missing, as an alert, with a "Try again" button that counts on `again` when
/// one is given.
pub fn said(why: Unavailable, again: Option<RwSignal<u32>>) -> AnyView {
    view! {
        <div class="empty-state" role="alert">
            <p>{why.to_string()}</p>
            {again.map(|a| view! { <button on:click=move |_| a.update(|n| *n += 1)>"Try again"</button> })}
        </div>
    }
    .into_any()
}

/// Runs an action whose code is loaded later (`load` is a split function's future); if its
/// module could not be fetched, `banner` says so (the next click tries again).
pub fn run<Fut>(load: Fut, banner: RwSignal<Option<String>>)
where
    Fut: std::future::Future<Output = Result<(), Unavailable>> + 'static,
{
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(why) = load.await {
            banner.set(Some(why.to_string()));
        }
    });
}
