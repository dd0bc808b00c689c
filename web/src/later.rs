//! What the first grade does not need, loaded after it: the editor's tabs and Problems list,
//! the picture, the dock (terminal, hops, spread, connections), the import dialog, export,
//! undo, and making and opening share links. Each is declared with `later!` next to its code;
//! in the site's build (feature `split`) it is a wasm-split point: wasm-split (run by
//! `cargo xtask split-wasm` after Trunk's build) moves the code only such functions reach
//! into a module of its own, fetched when first called, so that a slow network downloads the
//! model and the lesson first. Without the feature (the wasm-bindgen tests) they are plain
//! async functions in the one module. The panels are drawn by `boot::Later` once the shell
//! has given way.

use leptos::prelude::*;

/// Declares `pub async fn $name(..) -> $ret` whose body goes to the chunk `$chunk`.
macro_rules! later {
    ($(#[$doc:meta])* $chunk:ident: fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty $body:block) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split)]
        pub fn $name($($arg: $ty),*) -> $ret $body

        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        pub async fn $name($($arg: $ty),*) -> $ret $body
    };
}
pub(crate) use later;

/// What `load` brings while `shown` holds; nothing otherwise.
pub fn when<S, F, Fut>(shown: S, load: F) -> impl IntoView
where
    S: Fn() -> bool + Send + Sync + 'static,
    F: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = AnyView> + 'static,
{
    let shown = Memo::new(move |_| shown());
    move || shown.get().then(|| arriving(load()))
}

/// The view a split function's future brings, drawn when it arrives. The future stays on
/// this thread (the browser's only one); Leptos's `Suspend` asks for `Send`.
pub fn arriving<Fut>(part: Fut) -> Suspend<AnyView>
where
    Fut: std::future::Future<Output = AnyView> + 'static,
{
    Suspend::new(send_wrapper::SendWrapper::new(part))
}

/// Runs an action whose code is loaded later (`load` is a split function's future).
pub fn run<Fut>(load: Fut)
where
    Fut: std::future::Future<Output = ()> + 'static,
{
    wasm_bindgen_futures::spawn_local(load);
}
