//! (d) Share-link decoding: `exercises::share`, which the web app uses for `#/share/` links.
//! Never panics, and a decoded attempt encodes back to a link that decodes to the same thing.
//!
//! The first byte picks what the rest is, so every stage gets fed well-formed input:
//! `0` the fragment text, `1` the deflated bytes (base64url-encoded here), `2` the JSON
//! (deflated and encoded here). Seeds: fuzz/corpus/share/.
#![no_main]

use exercises::share;
use libfuzzer_sys::fuzz_target;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Unpadded base64url, written independently of share.rs's.
fn base64url(bytes: &[u8]) -> String {
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = String::new();
    for &b in bytes {
        bits = (bits << 8) | u32::from(b);
        n += 8;
        while n >= 6 {
            n -= 6;
            out.push(ALPHABET[((bits >> n) & 63) as usize] as char);
        }
    }
    if n > 0 {
        out.push(ALPHABET[((bits << (6 - n)) & 63) as usize] as char);
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let fragment = match mode % 3 {
        0 => String::from_utf8_lossy(rest).into_owned(),
        1 => format!("{}{}", share::PREFIX, base64url(rest)),
        _ => format!("{}{}", share::PREFIX, base64url(&miniz_oxide::deflate::compress_to_vec(rest, 1))),
    };
    if let Ok(shared) = share::decode(&fragment) {
        let files: Vec<(String, String)> = shared.files.clone().into_iter().collect();
        let again = share::decode(&share::encode(&shared.exercise, &files));
        assert_eq!(again.as_ref(), Ok(&shared), "encode(decode(link)) does not round-trip");
    }
});
