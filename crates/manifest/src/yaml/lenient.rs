//! What go-yaml v2 accepts and saphyr refuses, accepted as kubectl accepts it.
//!
//! kubectl reads YAML with sigs.k8s.io/yaml, built on go-yaml v2, a port of libyaml. libyaml
//! does not check the indentation of a quoted scalar's continuation lines, nor of anything
//! inside a flow collection (`[…]`, `{…}`); YAML 1.2 (§7.3, §7.4) and saphyr require such a
//! line to be indented more than the block it is in. The leading white space of those lines
//! is not part of the value (a quoted or flow scalar folds it away, and it only separates
//! tokens in a flow collection), so the reader pads each such line with spaces and reads the
//! text again: the values are the ones kubectl reads, and every position still points into the
//! text as written.
//!
//! Merge keys (`<<: *base`, YAML 1.1) are the third leniency, applied when mappings are built
//! (`Builder::merge_keys` in yaml.rs).

use std::collections::BTreeMap;

/// At most this many lines are padded in one file, and the file is read again only while all
/// the readings add up to at most [`MAX_REREAD_BYTES`]; past either, the error is reported as
/// it is (a bound on the work a hostile file can cause).
pub(super) const MAX_PADDED_LINES: usize = 200;
pub(super) const MAX_REREAD_BYTES: usize = 4 << 20;

/// The text saphyr reads: the file with some lines padded, and, for each of its bytes, the
/// byte of the file it stands for (an inserted space stands for its line's first byte).
pub(super) struct Padded {
    pub text: String,
    pub original: Vec<u32>,
}

impl Padded {
    /// `pads`: a line's first byte in the file -> the spaces put before it.
    pub fn new(file: &str, pads: &BTreeMap<usize, usize>) -> Padded {
        let extra: usize = pads.values().sum();
        let mut text = String::with_capacity(file.len() + extra);
        let mut original = Vec::with_capacity(file.len() + extra + 1);
        let mut from = 0;
        for (&at, &n) in pads {
            text.push_str(&file[from..at]);
            original.extend((from..at).map(|b| b as u32));
            text.extend(std::iter::repeat_n(' ', n));
            original.extend(std::iter::repeat_n(at as u32, n));
            from = at;
        }
        text.push_str(&file[from..]);
        original.extend((from..=file.len()).map(|b| b as u32));
        Padded { text, original }
    }
}

/// The lines to pad for a saphyr error at `at` (a byte of `text`, the text saphyr read), each
/// as (the line's first byte in `text`, the spaces to add); none when the error is not one
/// go-yaml v2 would have let pass. `in_flow`: the error was met inside a flow collection.
pub(super) fn fix(text: &str, at: usize, info: &str, in_flow: bool) -> Vec<(usize, usize)> {
    match info {
        "invalid indentation in quoted scalar" => quoted(text, at),
        "invalid indentation in flow construct" => flow(text, at).into_iter().collect(),
        "invalid indentation" if in_flow => flow(text, at).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// A quoted scalar opened at `at`: its continuation lines with content that are indented no
/// further than its opening quote, each to be indented one column past that quote.
fn quoted(text: &str, at: usize) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut pads = Vec::new();
    let Some(&quote) = b.get(at).filter(|q| matches!(q, b'"' | b'\'')) else {
        return pads;
    };
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let want = text[line_start..at].chars().count() + 1;
    let mut i = at + 1;
    while i < b.len() {
        match b[i] {
            // `\"` and `\\` in a double-quoted scalar; an escaped line break goes on below.
            b'\\' if quote == b'"' && b.get(i + 1) != Some(&b'\n') => i += 2,
            b'\'' if quote == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 2,
            c if c == quote => break,
            b'\n' => {
                let start = i + 1;
                let width = indentation(&text[start..]);
                let rest = &text[start + width..];
                let content = !rest.is_empty() && !rest.starts_with(['\n', '\r']);
                // A document marker at column 0 ends a quoted scalar for libyaml too.
                let marker = width == 0 && (rest.starts_with("---") || rest.starts_with("..."));
                if content && !marker && width < want {
                    pads.push((start, want - width));
                }
                i = start + width;
            }
            _ => i += 1,
        }
    }
    pads
}

/// A scalar inside a flow collection at `at`, on a line indented too little: pad the line to
/// the length of the line before it (which holds the collection's opening bracket or an
/// earlier item, so is long enough), or one more column when that is no longer.
fn flow(text: &str, at: usize) -> Option<(usize, usize)> {
    let start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let width = indentation(&text[start..]);
    let previous = text[..start.saturating_sub(1)]
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map_or(0, |l| l.trim_end().chars().count());
    Some((start, previous.max(width + 1) - width))
}

/// Whether a flow collection opened in `text[from..at]` is still open at `at`: a `[` or `{`
/// that starts a value (at `from`, or after white space) and is not closed, outside comments
/// and quoted scalars.
pub(super) fn flow_open(text: &str, from: usize, at: usize) -> bool {
    let b = text.as_bytes();
    let at = at.min(b.len());
    let mut depth = 0usize;
    let mut i = from.min(at);
    while i < at {
        let after_space = i == from || matches!(b[i - 1], b' ' | b'\t' | b'\n');
        match b[i] {
            b'[' | b'{' if depth > 0 || after_space => depth += 1,
            b']' | b'}' if depth > 0 => depth -= 1,
            b'#' if after_space => {
                while i < at && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            q @ (b'"' | b'\'') if depth > 0 || after_space => {
                i += 1;
                while i < at && b[i] != q {
                    i += if q == b'"' && b[i] == b'\\' { 2 } else { 1 };
                }
            }
            _ => {}
        }
        i += 1;
    }
    depth > 0
}

/// Leading spaces and tabs (both are white space inside quoted and flow scalars).
fn indentation(line: &str) -> usize {
    line.bytes().take_while(|c| matches!(c, b' ' | b'\t')).count()
}
