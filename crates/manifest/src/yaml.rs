//! YAML text -> a positioned tree.
//!
//! Reading is done by saphyr-parser (a YAML 1.2 event parser with spans); this module turns
//! its events into [`Node`]s that keep byte ranges, expands aliases within a budget, refuses
//! duplicate keys and over-deep nesting, and resolves plain scalars. A syntax error is reported
//! where the mistake is, in plain words (`explain.rs`).
//!
//! Scalar resolution follows what `kubectl` does, not pure YAML 1.2: kubectl converts YAML
//! to JSON with sigs.k8s.io/yaml, which is built on go-yaml v2 (YAML 1.1 resolution). So the
//! plain scalars `yes`/`no`/`on`/`off`/`y`/`n` (any of their usual casings) are booleans, just
//! as `true`/`false` are. A label value written `enabled: yes` is therefore a boolean and is
//! rejected where a string is wanted, exactly as the API server would reject it, with a hint
//! to quote it. Quoted and block scalars are always strings. Integers as Go reads them, `_`
//! ignored: decimal, `0x` hex, `0b` binary, and `0o` or a leading `0` for octal (`0755` is
//! 493); floats: decimal with `.`/exponent and `.inf`/`.nan`, a whole one passed on as an
//! integer as JSON writes it; null: empty, `~`, `null`.
//!
//! Where go-yaml v2 (a port of libyaml) accepts what saphyr, a YAML 1.2 parser, refuses, the
//! reader accepts it too ([`lenient`]): continuation lines of a quoted scalar or of a flow
//! collection indented less than the block they are in, and `<<` merge keys.

use std::borrow::Cow;
use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};

mod again;
mod lenient;

pub use again::Parses;

pub use crate::tree::{Document, Entry, Node, Resolved, Scalar, Value, MAX_DEPTH};
use crate::{Diagnostic, Severity};

/// Larger files are refused before parsing, by default (the browser's limit; the command
/// line passes its own to [`parse_with`], see [`crate::Limits`]).
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;
/// Documents (`---`) per file.
pub const MAX_DOCUMENTS: usize = 10_000;
/// Nodes per document after alias expansion (billion-laughs guard).
pub const MAX_NODES: usize = 100_000;

/// Resolves a plain scalar as kubectl's YAML reader would (see the module docs).
pub fn resolve_plain(text: &str) -> Resolved {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "y" | "Y" | "on" | "On" | "ON" => {
            return Resolved::Bool(true)
        }
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "n" | "N" | "off" | "Off" | "OFF" => {
            return Resolved::Bool(false)
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Resolved::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        _ => {}
    }
    // Numbers as go-yaml v2 reads them (resolve.go): only a scalar that starts with a digit,
    // a sign or `.` can be one; every `_` is dropped; then Go's `strconv.ParseInt(s, 0, 64)`
    // (`0x`, `0o`, `0b` and a leading `0` for octal, any case), then a float of the form
    // `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
    if !matches!(text.as_bytes()[0], b'0'..=b'9' | b'+' | b'-' | b'.') {
        return Resolved::Str;
    }
    let plain = text.replace('_', "");
    if let Some(i) = go_parse_int(&plain) {
        return Resolved::Int(i);
    }
    if is_go_yaml_float(&plain) {
        if let Ok(f) = plain.parse::<f64>() {
            // sigs.k8s.io/yaml hands the value on as JSON, where a whole float is written
            // as an integer (`80.0` and `1e3` reach the API server as `80` and `1000`).
            if f.fract() == 0.0 && f.abs() < 9.0e18 {
                return Resolved::Int(f as i64);
            }
            return Resolved::Float(f);
        }
    }
    Resolved::Str
}

/// Go's `strconv.ParseInt(s, 0, 64)`: an optional sign, then `0x`/`0X` hex, `0o`/`0O` or a
/// bare leading `0` octal, `0b`/`0B` binary, or decimal.
fn go_parse_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.get(..2).map(str::to_ascii_lowercase);
    let (radix, digits) = match lower.as_deref() {
        Some("0x") => (16, &body[2..]),
        Some("0o") => (8, &body[2..]),
        Some("0b") => (2, &body[2..]),
        _ if body.len() > 1 && body.starts_with('0') => (8, &body[1..]),
        _ => (10, body),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if neg {
        // i64::MIN's magnitude is one more than i64::MAX.
        0i64.checked_sub_unsigned(magnitude)
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// go-yaml v2's float pattern: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
fn is_go_yaml_float(s: &str) -> bool {
    let b = s.strip_prefix(['-', '+']).unwrap_or(s).as_bytes();
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i = digits(0);
    if i == 0 {
        // `.5`: a point, then at least one digit.
        if b.first() != Some(&b'.') || digits(1) == 0 {
            return false;
        }
        i = 1 + digits(1);
    } else if b.get(i) == Some(&b'.') {
        i += 1 + digits(i + 1);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let n = digits(i);
        if n == 0 {
            return false;
        }
        i += n;
    }
    i == b.len()
}

/// Maps the character indexes of the text saphyr read to byte offsets in the file.
struct Offsets {
    /// `None` for an ASCII file read as it is, where the two agree.
    table: Option<Vec<u32>>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Offsets {
        let table = (!text.is_ascii()).then(|| {
            let mut t: Vec<u32> = text.char_indices().map(|(i, _)| i as u32).collect();
            t.push(text.len() as u32);
            t
        });
        Offsets { table, len: text.len() }
    }

    /// For a file read with some lines padded ([`lenient`]).
    fn padded(padded: &lenient::Padded, file_len: usize) -> Offsets {
        let mut t: Vec<u32> = padded.text.char_indices().map(|(i, _)| padded.original[i]).collect();
        t.push(file_len as u32);
        Offsets { table: Some(t), len: file_len }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.len),
            Some(t) => t.get(char_index).map_or(self.len, |&b| b as usize),
        }
    }
}

enum Frame {
    Seq { start: usize, anchor: usize, items: Vec<Node> },
    Map { start: usize, anchor: usize, entries: Vec<Entry>, key: Option<Node> },
}

struct Builder<'a> {
    file: &'a str,
    text: &'a str,
    diags: &'a mut Vec<Diagnostic>,
    stack: Vec<Frame>,
    anchors: BTreeMap<usize, Node>,
    nodes: usize,
    broken: bool,
    /// Depth beyond MAX_DEPTH that is being skipped.
    skipping: usize,
}

impl Builder<'_> {
    /// The end of a list or mapping: the finished node goes to its parent, and is returned
    /// when it is the document's root.
    fn end_collection(&mut self, start: usize, end: usize) -> Option<Node> {
        if self.skipping > 0 {
            self.skipping -= 1;
            // Stand in a null for the skipped subtree.
            return if self.skipping == 0 { self.push(null_node(start), 0) } else { None };
        }
        let frame = self.stack.pop()?;
        let (node, anchor) = match frame {
            Frame::Seq { start: s, anchor, items } => {
                let e = if end > start { end } else { items.last().map_or(s, |n| n.end) };
                (Node { value: Value::Seq(items), start: s, end: e.max(s) }, anchor)
            }
            Frame::Map { start: s, anchor, mut entries, key } => {
                if let Some(k) = key {
                    // Unreachable with a well-formed event stream; keep the key.
                    let at = k.end;
                    entries.push(Entry { key: k, value: null_node(at) });
                }
                self.check_duplicates(&mut entries);
                let e = if end > start {
                    end
                } else {
                    entries.last().map_or(s, |en| en.value.end.max(en.key.end))
                };
                (Node { value: Value::Map(entries), start: s, end: e.max(s) }, anchor)
            }
        };
        self.push(node, anchor)
    }

    /// The node an alias stands for: a copy of its anchor's node placed at the alias, or
    /// null when the anchor is unknown or the copy would pass the node budget.
    fn alias(&mut self, id: usize, start: usize, end: usize) -> Node {
        match self.anchors.get(&id) {
            Some(n) => {
                let count = n.count();
                if self.nodes + count > MAX_NODES {
                    if !self.broken {
                        self.error(
                            "alias-budget",
                            start,
                            end.max(start),
                            format!(
                                "expanding aliases would make more than {MAX_NODES} nodes in this document"
                            ),
                            vec![
                                "this looks like a \"billion laughs\" document; write the values out instead"
                                    .into(),
                            ],
                        );
                    }
                    self.broken = true;
                    null_node(start)
                } else {
                    self.nodes += count;
                    // The copy points at the alias, so diagnostics land where it is used.
                    relocate(n.clone(), start, end.max(start))
                }
            }
            None => null_node(start),
        }
    }

    fn error(&mut self, code: &'static str, start: usize, end: usize, message: String, hints: Vec<String>) {
        self.diags.push(Diagnostic {
            severity: Severity::Error,
            code,
            message,
            file: self.file.to_string(),
            start,
            end,
            hints,
        });
    }

    /// Adds a finished node to its parent; returns it when it is the document root.
    fn push(&mut self, node: Node, anchor: usize) -> Option<Node> {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => Some(node),
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                None
            }
            Some(Frame::Map { entries, key, .. }) => {
                match key.take() {
                    None => *key = Some(node),
                    Some(k) => entries.push(Entry { key: k, value: node }),
                }
                None
            }
        }
    }

    /// A mapping's entries as go-yaml v2 leaves them: a repeated key is refused, and each
    /// `<<` merge key (YAML 1.1, https://yaml.org/type/merge.html) gives way to the entries of
    /// the mapping it names, or of each mapping of a list, the earlier ones winning. As go-yaml
    /// v2 (decode.go, `merge`) applies a mapping's entries in order, a merged entry replaces a
    /// key written before the `<<`, and a key written after it replaces the merged one.
    fn check_duplicates(&mut self, entries: &mut Vec<Entry>) {
        let mut seen: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        let mut keep: Vec<Entry> = Vec::with_capacity(entries.len());
        // Where each key is in `keep`, needed only when a merge key can replace an entry.
        let merging = entries.iter().any(|e| e.key.as_scalar().is_some_and(|k| k.plain && k.text == "<<"));
        let mut at: BTreeMap<String, usize> = BTreeMap::new();
        let mut put = |keep: &mut Vec<Entry>, text: String, e: Entry| match at.get(&text) {
            Some(&i) => keep[i] = e,
            None => {
                if merging {
                    at.insert(text, keep.len());
                }
                keep.push(e);
            }
        };
        for e in entries.drain(..) {
            let Some(scalar) = e.key.as_scalar() else {
                self.error(
                    "invalid-key",
                    e.key.start,
                    e.key.end,
                    "a mapping key must be a scalar, not a list or mapping".into(),
                    vec![],
                );
                self.broken = true;
                continue;
            };
            let text = scalar.text.clone();
            if scalar.plain && text == "<<" {
                match merged(&e.value) {
                    Some(sources) => {
                        for m in sources {
                            for me in m {
                                if let Some(k) = me.key.as_scalar().map(|k| k.text.clone()) {
                                    put(&mut keep, k, me.clone());
                                }
                            }
                        }
                    }
                    None => {
                        self.error(
                            "merge-key",
                            e.value.start,
                            e.value.end,
                            format!(
                                "a `<<` merge key needs a mapping or a list of mappings, not {}",
                                e.value.describe()
                            ),
                            vec!["write an alias of a mapping, such as `<<: *defaults`".into()],
                        );
                        self.broken = true;
                    }
                }
                continue;
            }
            if let Some(&(first, _)) = seen.get(&text) {
                let (line, _) = crate::line_col(self.text, first);
                self.error(
                    "duplicate-key",
                    e.key.start,
                    e.key.end,
                    format!("duplicate key `{text}`: the API server refuses a mapping that repeats a key"),
                    vec![format!("`{text}` is first set on line {line}; keep one of them")],
                );
                self.broken = true;
                continue;
            }
            if merging {
                seen.insert(text.clone(), (e.key.start, e.key.end));
                put(&mut keep, text, e);
            } else {
                seen.insert(text, (e.key.start, e.key.end));
                keep.push(e);
            }
        }
        *entries = keep;
    }
}

/// The mappings a `<<` merge key's value brings in, in the order go-yaml v2 applies them (a
/// list's last mapping first, so that the earlier ones win); `None` when it is not a mapping
/// or a list of mappings.
fn merged(value: &Node) -> Option<Vec<&[Entry]>> {
    match &value.value {
        Value::Map(entries) => Some(vec![entries]),
        Value::Seq(items) => items.iter().rev().map(Node::as_map).collect(),
        Value::Scalar(_) => None,
    }
}

/// Parses one file of at most [`MAX_FILE_BYTES`] into documents, appending diagnostics.
/// Never panics.
pub fn parse(file: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Vec<Document> {
    parse_with(file, text, MAX_FILE_BYTES, diags)
}

/// [`parse`] with another size limit. A file named `*.json` is JSON: its syntax is judged by
/// JSON's grammar first (what YAML would accept, such as a trailing comma or a bare word, is
/// refused, and the error is said in JSON's words), then it is read as the YAML it is.
pub fn parse_with(
    file: &str,
    text: &str,
    max_file_bytes: usize,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Document> {
    if text.len() > max_file_bytes {
        diags.push(Diagnostic {
            severity: Severity::Error,
            code: "file-too-large",
            message: format!(
                "the file is {} bytes; files larger than {max_file_bytes} bytes are not read",
                text.len(),
            ),
            file: file.to_string(),
            start: 0,
            end: 0,
            hints: vec!["split the manifests into several files".into()],
        });
        return Vec::new();
    }
    if file.ends_with(".json") {
        if let Some(error) = json_syntax(file, text) {
            diags.push(error);
            return Vec::new();
        }
    }
    // Read as written; where saphyr refuses what go-yaml v2 accepts, pad the lines it
    // refused and read again (lenient.rs).
    let mut pads: BTreeMap<usize, usize> = BTreeMap::new();
    let mut rereads = 0usize;
    loop {
        let padded = (!pads.is_empty()).then(|| lenient::Padded::new(text, &pads));
        let (source, offsets) = match &padded {
            Some(p) => (p.text.as_str(), Offsets::padded(p, text.len())),
            None => (text, Offsets::new(text)),
        };
        let mark = diags.len();
        let (docs, error) = read(file, text, source, &offsets, diags);
        let Some((e, in_flow)) = error else { return docs };
        let at = source.char_indices().nth(e.marker().index()).map_or(source.len(), |(i, _)| i);
        rereads += 1;
        let fixes = if pads.len() < lenient::MAX_PADDED_LINES
            && rereads.saturating_mul(text.len()) <= lenient::MAX_REREAD_BYTES
        {
            lenient::fix(source, at, e.info(), in_flow)
        } else {
            Vec::new()
        };
        if fixes.is_empty() {
            // Said where the mistake is, in plain words (explain.rs).
            let x = crate::explain::syntax_error(text, offsets.byte(e.marker().index()), e.info());
            diags.push(Diagnostic {
                severity: Severity::Error,
                code: "yaml-syntax",
                message: x.message,
                file: file.to_string(),
                start: x.start,
                end: x.end,
                hints: x.hints,
            });
            return docs;
        }
        diags.truncate(mark);
        for (line, n) in fixes {
            let line = padded.as_ref().map_or(line, |p| p.original[line] as usize);
            *pads.entry(line).or_default() += n;
        }
    }
}

/// Reads the events of `source` (the file, or the file with lines padded) into documents; the
/// syntax error that stopped it, if any, is returned for the caller to report or get past,
/// with whether it was met inside a flow collection.
fn read(
    file: &str,
    text: &str,
    source: &str,
    offsets: &Offsets,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Document>, Option<(ScanError, bool)>) {
    let mut docs = Vec::new();
    let mut parser = Parser::new_from_str(source);
    let mut b = Builder {
        file,
        text,
        diags,
        stack: Vec::new(),
        anchors: BTreeMap::new(),
        nodes: 0,
        broken: false,
        skipping: 0,
    };
    let mut doc_start = 0;
    let mut root: Option<Node> = None;
    let mut doc_count = 0;
    while let Some(event) = parser.next_event() {
        let (event, span) = match event {
            Ok(ok) => ok,
            Err(e) => {
                // The innermost collection the parser has opened: the error is inside a flow
                // collection if one is open between its start and the error.
                let from = b.stack.last().map_or(0, |f| match f {
                    Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
                });
                let at = offsets.byte(e.marker().index());
                let in_flow = lenient::flow_open(text, from, at);
                return (docs, Some((e, in_flow)));
            }
        };
        let start = offsets.byte(span.start.index());
        let end = offsets.byte(span.end.index());
        match event {
            Event::DocumentStart(_) => {
                doc_count += 1;
                if doc_count > MAX_DOCUMENTS {
                    b.error(
                        "too-many-documents",
                        start,
                        end,
                        format!("more than {MAX_DOCUMENTS} documents in one file; the rest is not read"),
                        vec![],
                    );
                    break;
                }
                doc_start = start;
                root = None;
                b.stack.clear();
                b.anchors.clear();
                b.nodes = 0;
                b.broken = false;
                b.skipping = 0;
            }
            Event::DocumentEnd => {
                if let Some(r) = root.take() {
                    let end = r.end;
                    docs.push(Document { root: r, start: doc_start.min(end), end, broken: b.broken });
                }
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if b.skipping > 0 || b.stack.len() >= MAX_DEPTH {
                    if b.skipping == 0 {
                        b.error(
                            "nesting-too-deep",
                            start,
                            end.max(start),
                            format!("lists and mappings are nested more than {MAX_DEPTH} levels deep"),
                            vec![],
                        );
                        b.broken = true;
                    }
                    b.skipping += 1;
                    continue;
                }
                b.nodes += 1;
                b.stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq { start, anchor, items: Vec::new() }
                } else {
                    Frame::Map { start, anchor, entries: Vec::new(), key: None }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(r) = b.end_collection(start, end) {
                    root = Some(r);
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                if b.skipping > 0 {
                    continue;
                }
                b.nodes += 1;
                let node = scalar_node(text, style, tag.as_ref(), start, end);
                if let Some(r) = b.push(node, anchor) {
                    root = Some(r);
                }
            }
            Event::Alias(id) => {
                if b.skipping > 0 {
                    continue;
                }
                let node = b.alias(id, start, end);
                if let Some(r) = b.push(node, 0) {
                    root = Some(r);
                }
            }
        }
    }
    (docs, None)
}

/// The first syntax error of a JSON text, by JSON's grammar (RFC 8259, through serde_json),
/// at its place.
fn json_syntax(file: &str, text: &str) -> Option<Diagnostic> {
    let e = serde_json::from_str::<serde::de::IgnoredAny>(text).err()?;
    // serde_json counts lines from 1 and columns in bytes from 1, at the character it stopped
    // on (0 when it stopped at a line's end).
    let line_start = text.split_inclusive('\n').take(e.line().saturating_sub(1)).map(str::len).sum::<usize>();
    let mut at = crate::floor_char(text, (line_start + e.column().saturating_sub(1)).min(text.len()));
    let said = e.to_string();
    let mut what = said.split(" at line ").next().unwrap_or(&said).to_string();
    if what == "expected ident" {
        // A bare word that began as `true`, `false` or `null`.
        what = "not a JSON value: a bare word must be `true`, `false` or `null`, and a string is in double quotes".into();
    }
    // A `,` before a closing bracket: serde_json says what it wanted next.
    if text[at..].starts_with(['}', ']']) {
        if let Some(comma) = text[..at].trim_end().strip_suffix(',') {
            at = comma.len();
            what = format!(
                "trailing comma: nothing follows this `,` before `{}`",
                &text[at + 1..].trim_start()[..1]
            );
        }
    }
    Some(Diagnostic {
        severity: Severity::Error,
        code: "json-syntax",
        message: format!("JSON syntax error: {what}"),
        file: file.to_string(),
        start: at,
        end: at,
        hints: vec!["the file is named .json, so it is read as JSON (RFC 8259)".into()],
    })
}

/// A scalar's node: a plain scalar's type resolved as YAML 1.2's core schema does, a tag's
/// (`!!int`, `!!bool`, `!!null`) honoured.
fn scalar_node(
    text: Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<&Cow<'_, Tag>>,
    start: usize,
    end: usize,
) -> Node {
    let plain = style == ScalarStyle::Plain && tag.is_none();
    let resolved = if plain { resolve_plain(&text) } else { Resolved::Str };
    let resolved = match (&tag, resolved) {
        (Some(t), _) if t.suffix == "int" => {
            resolve_plain(&text).as_int().map_or(Resolved::Str, Resolved::Int)
        }
        (Some(t), _) if t.suffix == "bool" => match resolve_plain(&text) {
            Resolved::Bool(v) => Resolved::Bool(v),
            _ => Resolved::Str,
        },
        (Some(t), _) if t.suffix == "null" => Resolved::Null,
        (_, r) => r,
    };
    Node {
        value: Value::Scalar(Scalar { text: text.into_owned(), plain, resolved }),
        start,
        end: end.max(start),
    }
}

fn null_node(at: usize) -> Node {
    Node {
        value: Value::Scalar(Scalar { text: String::new(), plain: true, resolved: Resolved::Null }),
        start: at,
        end: at,
    }
}

/// Moves every span of an aliased copy to the alias itself.
fn relocate(mut node: Node, start: usize, end: usize) -> Node {
    fn walk(n: &mut Node, start: usize, end: usize, depth: usize) {
        n.start = start;
        n.end = end;
        if depth > MAX_DEPTH + 2 {
            return;
        }
        match &mut n.value {
            Value::Scalar(_) => {}
            Value::Seq(items) => items.iter_mut().for_each(|i| walk(i, start, end, depth + 1)),
            Value::Map(entries) => entries.iter_mut().for_each(|e| {
                walk(&mut e.key, start, end, depth + 1);
                walk(&mut e.value, start, end, depth + 1);
            }),
        }
    }
    walk(&mut node, start, end, 0);
    node
}
