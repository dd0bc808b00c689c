//! The page's address: its fragment names the open exercise or carries a share link.

/// Navigates to `#/chapter/exercise` (the hashchange listener opens it).
pub fn set_hash(hash: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(hash);
    }
}

/// The address's fragment (`#/chapter/exercise`, a share link), `""` when there is none.
pub fn current_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}
