//! Share links with no server: an exercise attempt's files, deflated and base64url-encoded
//! into the URL fragment (`#/share/<data>`). Decoding is defensive: the data comes from
//! whoever sent the link, so sizes are capped and every field is checked.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// The fragment prefix of a share link.
pub const PREFIX: &str = "#/share/";
/// At most this many bytes once inflated (a link cannot be a zip bomb).
const MAX_INFLATED: usize = 512 * 1024;
const FORMAT: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shared {
    /// Format version.
    pub v: u32,
    /// The exercise's id.
    pub exercise: String,
    /// File name -> text.
    pub files: BTreeMap<String, String>,
}

/// The fragment for an attempt: `#/share/<data>`.
pub fn encode(exercise: &str, files: &[(String, String)]) -> String {
    let shared =
        Shared { v: FORMAT, exercise: exercise.to_string(), files: sorted::map(files.iter().cloned()) };
    let json = serde_json::to_vec(&shared).unwrap_or_default();
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&json, 9)))
}

/// The attempt in a share fragment, or why it cannot be read.
pub fn decode(fragment: &str) -> Result<Shared, String> {
    let data = fragment.strip_prefix(PREFIX).ok_or("this is not a share link")?;
    let bytes = URL_SAFE_NO_PAD.decode(data).map_err(|_| "the link is damaged (it is not base64url)")?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_INFLATED)
        .map_err(|_| "the link is damaged or too large to open".to_string())?;
    let shared: Shared = serde_json::from_slice(&json)
        .map_err(|e| format!("the link does not hold a Switchboard attempt: {e}"))?;
    if shared.v != FORMAT {
        return Err(format!("the link uses format {}, this version reads format {FORMAT}", shared.v));
    }
    Ok(shared)
}
