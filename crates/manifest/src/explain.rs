//! The YAML parser's syntax errors in a learner's words, at the place of the mistake.
//!
//! saphyr-parser says where it gave up, in its own terms: a key that lost its `:` is reported
//! on the next line as "mapping values are not allowed in this context". Only when a document
//! has a syntax error, this module reads the lines of that document up to the error (their
//! indentation, list dashes and keys, YAML 1.2 §6.1 and §8.2), the quotes and brackets still
//! open (§7.3, §7.4), and the API schema for the fields a mapping takes ([`crate::shape`]),
//! and says the likely mistake where it is: "add `:` after `selector`", "`targetPort` is less
//! indented than the other fields of `spec.ports[0]`; indent it to column 5". The parser's
//! words stay as the last hint. What it does not recognise keeps the parser's message.

use crate::problem::{child_path, path_or_top};
use crate::shape::{takes_field, Step};

/// A syntax error said for a learner: the byte range of the mistake, the message and hints.
pub(crate) struct Explained {
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub hints: Vec<String>,
}

/// Explains the parser's error `info`, reported at byte `at` of `text`. Never panics.
pub(crate) fn syntax_error(text: &str, at: usize, info: &str) -> Explained {
    let at = floor(text, at);
    let doc = document_start(text, at);
    let found = tab(text, at, info)
        .or_else(|| unclosed_quote(text, at, info))
        .or_else(|| unclosed_bracket(text, doc, at, info))
        .or_else(|| structure(text, doc, at, info));
    match found {
        Some(mut e) => {
            let (line, col) = crate::line_col(text, at);
            e.hints.push(format!("the YAML parser says: {info} (line {line}, column {col})"));
            e
        }
        None => Explained {
            start: at,
            end: char_end(text, at),
            message: format!("YAML syntax error: {info}"),
            hints: Vec::new(),
        },
    }
}

fn floor(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn char_end(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(at, |c| at + c.len_utf8())
}

fn found(start: usize, end: usize, message: String) -> Option<Explained> {
    Some(Explained { start, end, message, hints: Vec::new() })
}

/// The byte offset where the document holding `at` starts (after the last `---` line before it).
fn document_start(text: &str, at: usize) -> usize {
    let mut start = 0;
    let mut pos = 0;
    for line in text[..at].split_inclusive('\n') {
        pos += line.len();
        let rest = line.strip_prefix("---");
        if rest.is_some_and(|r| r.chars().next().is_none_or(char::is_whitespace)) && line.ends_with('\n') {
            start = pos;
        }
    }
    start
}

/// The start of the line holding `at`.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// A tab where YAML wants spaces (§6.1): pointed at the tab itself.
fn tab(text: &str, at: usize, info: &str) -> Option<Explained> {
    if !info.contains("tab") {
        return None;
    }
    let start = line_start(text, at);
    let line = text[start..].split('\n').next().unwrap_or("");
    let lead = line.len() - line.trim_start_matches([' ', '\t']).len();
    let (line_no, _) = crate::line_col(text, at);
    match line[..lead].find('\t') {
        Some(i) => found(
            start + i,
            start + i + 1,
            format!("line {line_no} is indented with a tab; YAML indents with spaces only: replace the tab with spaces"),
        ),
        None => {
            let i = line[..(at - start).min(line.len())].rfind('\t').map_or(at, |i| start + i);
            found(i, char_end(text, i), "a tab where YAML allows only spaces: replace it with spaces".into())
        }
    }
}

/// A quoted value whose closing quote is missing: pointed at the opening quote.
fn unclosed_quote(text: &str, at: usize, info: &str) -> Option<Explained> {
    let quote = text[at..].chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let unclosed =
        ["found unexpected end of stream", "invalid indentation in quoted scalar", "document indicator"];
    if !info.contains("quoted scalar") || !unclosed.iter().any(|u| info.contains(u)) {
        return None;
    }
    found(
        at,
        at + 1,
        format!("the `{quote}` opened here is never closed on its line: end the value with `{quote}`"),
    )
}

/// The index of the quote closing the one at `open` (`\"` escapes in double quotes, `''` in
/// single quotes).
fn closing_quote(s: &str, open: usize) -> Option<usize> {
    let b = s.as_bytes();
    let q = *b.get(open)?;
    let mut i = open + 1;
    while i < b.len() {
        if q == b'"' && b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == q {
            if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

/// A `[` or `{` still open at the error (§7.4), when it opened on an earlier line or the parser
/// was reading a flow collection: pointed at the bracket.
fn unclosed_bracket(text: &str, doc: usize, at: usize, info: &str) -> Option<Explained> {
    let b = text.as_bytes();
    let mut open: Vec<usize> = Vec::new();
    // Whether a quote or a bracket here would start a node (not be part of a plain scalar).
    let mut node_start = true;
    let mut i = doc;
    while i < at {
        let c = b[i];
        let spaced = |j: usize| b.get(j).is_none_or(|n| n.is_ascii_whitespace());
        match c {
            b'[' | b'{' if node_start => open.push(i),
            b'\n' => node_start = true,
            b',' if !open.is_empty() => node_start = true,
            b'#' if i == doc || b[i - 1].is_ascii_whitespace() => {
                i = text[i..at].find('\n').map_or(at, |n| i + n);
                continue;
            }
            b'"' | b'\'' if node_start => {
                // An unclosed quote is the other explanation's.
                i = closing_quote(&text[..at], i)?;
                node_start = false;
            }
            b']' | b'}' if !open.is_empty() => {
                open.pop();
                node_start = false;
            }
            b':' | b'-' | b'?' => node_start = spaced(i + 1),
            b' ' | b'\t' | b'\r' => {}
            _ => node_start = false,
        }
        i += 1;
    }
    let &o = open.last()?;
    let earlier_line = text[o..at].contains('\n');
    if !earlier_line && !info.contains("flow") {
        return None;
    }
    let (close, name) = if b[o] == b'[' { (']', "list") } else { ('}', "mapping") };
    let bracket = b[o] as char;
    found(
        o,
        o + 1,
        format!(
            "the `{bracket}` opened here is never closed: add `{close}` after the last item of the {name}"
        ),
    )
}

/// One line of the document, as far as structure goes.
struct Line<'t> {
    /// Byte offset of the line in the text.
    start: usize,
    text: &'t str,
    /// Columns (bytes from the line start) of the `-` that start list items.
    dashes: Vec<usize>,
    /// Column of what follows the dashes.
    content: usize,
    /// A mapping key: its column, its text and the column of its `:`.
    key: Option<(usize, &'t str, usize)>,
    /// The value after the key's `:` (or the whole content), without a comment.
    value: &'t str,
}

fn parse_line(start: usize, raw: &str) -> Line<'_> {
    let text = raw.strip_suffix('\r').unwrap_or(raw);
    let spaces = |p: usize| text[p..].len() - text[p..].trim_start_matches(' ').len();
    let mut p = spaces(0);
    let mut dashes = Vec::new();
    while text[p..].starts_with('-') && text[p + 1..].chars().next().is_none_or(|c| c == ' ') {
        dashes.push(p);
        p += 1;
        p += spaces(p);
    }
    let rest = &text[p..];
    let (key, value) = match key_colon(rest) {
        Some(c) => (Some((p, rest[..c].trim_end(), p + c)), without_comment(&rest[c + 1..])),
        None => (None, without_comment(rest)),
    };
    Line { start, text, dashes, content: p, key, value }
}

/// The index of the `:` that ends a mapping key at the start of `rest`.
fn key_colon(rest: &str) -> Option<usize> {
    let b = rest.as_bytes();
    let ends = |i: usize| b.get(i).is_none_or(|c| *c == b' ' || *c == b'\t');
    let mut i = 0;
    match b.first()? {
        b'"' | b'\'' => {
            i = closing_quote(rest, 0)? + 1;
            while b.get(i) == Some(&b' ') {
                i += 1;
            }
            return (b.get(i) == Some(&b':') && ends(i + 1)).then_some(i);
        }
        b'[' | b'{' | b'#' | b'|' | b'>' => return None,
        _ => {}
    }
    while i < b.len() {
        if b[i] == b':' && ends(i + 1) {
            return Some(i);
        }
        if b[i] == b'#' && i > 0 && b[i - 1] == b' ' {
            return None;
        }
        i += 1;
    }
    None
}

fn without_comment(s: &str) -> &str {
    let s = s.trim();
    if s.starts_with(['"', '\'']) {
        return s;
    }
    let cut = s.find(" #").unwrap_or(s.len());
    if s.starts_with('#') {
        ""
    } else {
        s[..cut].trim_end()
    }
}

/// The lines of the document from `doc` to the line holding `at` (included), without blank
/// lines, comments and the contents of block scalars (`|`, `>`).
fn lines(text: &str, doc: usize, at: usize) -> Vec<Line<'_>> {
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let mut out: Vec<Line<'_>> = Vec::new();
    let mut block_scalar: Option<usize> = None;
    let mut pos = doc;
    for raw in text[doc..end].split('\n') {
        let line = parse_line(pos, raw);
        pos += raw.len() + 1;
        let blank = line.text[line.content..].trim().is_empty() && line.dashes.is_empty();
        let indent = line.text.len() - line.text.trim_start_matches(' ').len();
        if let Some(parent) = block_scalar {
            if blank || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        if blank || line.text[line.content..].starts_with('#') && line.dashes.is_empty() {
            continue;
        }
        if line.value.starts_with(['|', '>']) {
            // Its lines are those indented more than the node holding it.
            block_scalar = Some(line.key.map(|k| k.0).or(line.dashes.last().copied()).unwrap_or(indent));
        }
        out.push(line);
    }
    out
}

/// One open level of block structure: the fields of a mapping at a column, or a list item.
#[derive(Clone, Copy)]
enum Level<'t> {
    Key(usize, &'t str),
    Item(usize, usize),
}

impl Level<'_> {
    fn col(&self) -> usize {
        match self {
            Level::Key(c, _) | Level::Item(c, _) => *c,
        }
    }
}

/// The open levels after `lines`, outermost first.
fn levels<'t>(lines: &[Line<'t>]) -> Vec<Level<'t>> {
    let mut stack: Vec<Level<'t>> = Vec::new();
    for line in lines {
        for &d in &line.dashes {
            while stack.last().is_some_and(|l| l.col() > d) {
                stack.pop();
            }
            let index = match stack.last() {
                Some(&Level::Item(c, i)) if c == d => {
                    stack.pop();
                    i + 1
                }
                _ => 0,
            };
            stack.push(Level::Item(d, index));
        }
        if let Some((k, name, _)) = line.key {
            while stack.last().is_some_and(|l| l.col() >= k) {
                stack.pop();
            }
            stack.push(Level::Key(k, name));
        }
    }
    stack
}

fn render(levels: &[Level<'_>]) -> String {
    levels.iter().fold(String::new(), |path, l| match l {
        Level::Key(_, k) => child_path(&path, k),
        Level::Item(_, i) => format!("{path}[{i}]"),
    })
}

fn steps<'t>(levels: &[Level<'t>]) -> Vec<Step<'t>> {
    levels.iter().map(|l| if let Level::Key(_, k) = l { Step::Key(k) } else { Step::Item }).collect()
}

/// The document's `kind`, from its top-level `kind:` line.
fn kind<'t>(lines: &[Line<'t>]) -> &'t str {
    lines
        .iter()
        .find(|l| l.dashes.is_empty() && l.key.is_some_and(|(c, k, _)| c == 0 && k == "kind"))
        .map_or("", |l| l.value.trim_matches(['"', '\'']))
}

/// Mistakes of structure: a key without its `:`, a second `: ` in a value, a key or a `-` at a
/// column that lines up with nothing above it.
fn structure(text: &str, doc: usize, at: usize, info: &str) -> Option<Explained> {
    let all = lines(text, doc, at);
    // The line of the error, unless it is blank or a comment (the error is then at its end).
    let err = all.last().filter(|l| l.start <= at && at <= l.start + l.text.len());
    let before = &all[..all.len() - usize::from(err.is_some())];
    let placing = info.contains("mapping values are not allowed") || info.contains("simple key expect ':'");
    if let Some((_, key, colon)) = err.and_then(|e| e.key) {
        let err = err?;
        if placing && text[at..].starts_with(':') && at > err.start + colon {
            let quoted = err.value.replace('"', "\\\"");
            return found(
                at,
                at + 1,
                format!(
                    "the value of `{key}` has a second `: `, which YAML reads as another key: quote the value: `{key}: \"{quoted}\"`"
                ),
            );
        }
    }
    let prev = before.last();
    if placing {
        if let Some(p) = prev.filter(|p| p.key.is_none() && !p.value.is_empty()) {
            return missing_colon(p);
        }
        if let (Some(p), Some(err), Some((k, key, _))) = (prev, err, err.and_then(|e| e.key)) {
            if let Some((pk, pkey, _)) = p.key.filter(|_| !p.value.is_empty() && err.dashes.is_empty()) {
                if k > pk {
                    return found(
                        err.start + k,
                        err.start + k + key.len(),
                        format!(
                            "`{key}` is more indented than `{pkey}` above it, so YAML reads it as more of `{pkey}`'s value: move it back to column {}, in line with `{pkey}`",
                            pk + 1
                        ),
                    );
                }
            }
        }
        return None;
    }
    let blocks =
        ["did not find expected key", "did not find expected '-' indicator", "block sequence entries"];
    if !blocks.iter().any(|b| info.contains(b)) {
        return None;
    }
    let err = err?;
    let stack = levels(before);
    match (err.dashes.first(), err.key) {
        (Some(&d), _) => misplaced_dash(err, d, &stack, before.last(), kind(before)),
        (None, Some((k, key, _))) => misplaced_key(err, k, key, &stack, kind(before)),
        (None, None) => None,
    }
}

/// `selector` alone on its line, or `type ClusterIP`: the `:` goes after the first word.
fn missing_colon(p: &Line<'_>) -> Option<Explained> {
    let content = &p.text[p.content..];
    let word = content
        .split([' ', '\t'])
        .next()
        .filter(|w| !w.is_empty() && !w.starts_with(['"', '\'', '[', '{']))?;
    let rest = without_comment(&content[word.len()..]);
    let start = p.start + p.content;
    if !rest.is_empty() {
        return found(start, start + word.len(), format!("add `:` after `{word}`: `{word}: {rest}`"));
    }
    let mut e = found(start, start + word.len(), format!("add `:` after `{word}` to make it a key"))?;
    e.hints.push(format!(
        "without the `:`, YAML reads `{word}` and the line after it as one piece of text, then finds a `:` it cannot place"
    ));
    Some(e)
}

/// A `-` where no list item can start: after `key: value` (the key has its value already),
/// among the fields of a mapping, or at a column between those of two lists' items.
/// `kind` tells a list field (`ports: 80`) from a label (`app: web`) when the `-` is at the
/// key's column.
fn misplaced_dash(
    err: &Line<'_>,
    d: usize,
    stack: &[Level<'_>],
    prev: Option<&Line<'_>>,
    kind: &str,
) -> Option<Explained> {
    let dash = (err.start + d, err.start + d + 1);
    if stack.iter().any(|l| matches!(l, Level::Item(c, _) if *c == d)) {
        return None;
    }
    let list_field = |key: &str| {
        let below = stack.len().saturating_sub(1);
        takes_field(kind, &steps(&stack[..below]), key) == Some(true)
    };
    let valued =
        prev.and_then(|p| p.key.filter(|k| !p.value.is_empty() && (k.0 < d || k.0 == d && list_field(k.1))));
    if let Some((_, key, _)) = valued {
        let value = prev.map_or("", |p| p.value);
        return found(
            dash.0,
            dash.1,
            format!(
                "`{key}` already has a value (`{value}`) on its line, so no list can follow it: remove `{value}` to make the items below the list of `{key}`"
            ),
        );
    }
    // A mapping's fields at this column whose key holds no list (`ports:` then `- port: 80`).
    let mapping = stack.iter().enumerate().position(|(j, l)| {
        matches!(l, Level::Key(c, _) if *c == d) && !matches!(stack.get(j + 1), Some(Level::Item(..)))
    });
    if let Some(j) = mapping {
        let parent = path_or_top(&render(&stack[..j]));
        return found(
            dash.0,
            dash.1,
            format!(
                "a list item (`-`) cannot stand among the fields of {parent}, whose lines are `key: value`: remove the `- `, or move the item under the list it belongs to"
            ),
        );
    }
    let (j, c) = stack
        .iter()
        .enumerate()
        .filter_map(|(j, l)| if let Level::Item(c, _) = l { Some((j, *c)) } else { None })
        .min_by_key(|&(j, c)| (c.abs_diff(d), usize::MAX - j))?;
    let list = render(&stack[..j]);
    found(
        dash.0,
        dash.1,
        format!(
            "this `-` is at column {}: line it up with the other items of {} at column {}",
            d + 1,
            path_or_top(&list),
            c + 1
        ),
    )
}

/// A key at a column that is no mapping's: says which mapping it most likely belongs to (the
/// deepest open one whose type has that field, else the one being written) and its column.
fn misplaced_key(err: &Line<'_>, k: usize, key: &str, stack: &[Level<'_>], kind: &str) -> Option<Explained> {
    let mappings: Vec<(usize, usize)> = stack
        .iter()
        .enumerate()
        .filter_map(|(j, l)| if let Level::Key(c, _) = l { Some((j, *c)) } else { None })
        .filter(|&(_, c)| c != k)
        .collect();
    let steps = steps(stack);
    let &(j, c) = mappings
        .iter()
        .rev()
        .find(|&&(j, _)| takes_field(kind, &steps[..j], key).is_some())
        .or(mappings.last())?;
    let parent = path_or_top(&render(&stack[..j]));
    let under_dash = stack.iter().any(|l| matches!(l, Level::Item(d, _) if *d == k));
    let message = if under_dash {
        let verb = if c > k { "indent it" } else { "move it back" };
        format!(
            "`{key}` is at the same column as the `-` of the list item above it, where only another item can start: {verb} to column {} to make it a field of {parent}",
            c + 1
        )
    } else if c > k {
        format!("`{key}` is less indented than the other fields of {parent}; indent it to column {}", c + 1)
    } else {
        format!(
            "`{key}` is more indented than the other fields of {parent}; move it back to column {}",
            c + 1
        )
    };
    found(err.start + k, err.start + k + key.len(), message)
}
