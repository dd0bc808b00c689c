//! kubectl's YAML output: a value tree and its printer, in the style of sigs.k8s.io/yaml on
//! go-yaml v2, which kubectl prints with: keys sorted, two spaces of indent, a list inside a
//! mapping not indented (`- ` at the key's column), `{}` and `[]` for empty collections, and
//! strings quoted only where YAML needs it: double quotes when the plain text would read back
//! as another type (`"80"`, `"true"`, `""`), single quotes when it would not parse as plain
//! text (`'*.example.com'`). Writing only: this crate reads no YAML (`tests/round_trip.rs` reads
//! it back with the manifest reader).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::Ipv4Addr;

use netsim::scenario::Labels;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Yaml {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    List(Vec<Yaml>),
    /// Sorted by key, as kubectl prints (Go's JSON encoding of maps and structs, re-sorted).
    Map(BTreeMap<String, Yaml>),
}

impl From<&str> for Yaml {
    fn from(s: &str) -> Yaml {
        Yaml::Str(s.to_string())
    }
}

impl From<String> for Yaml {
    fn from(s: String) -> Yaml {
        Yaml::Str(s)
    }
}

impl From<&String> for Yaml {
    fn from(s: &String) -> Yaml {
        Yaml::Str(s.clone())
    }
}

impl From<bool> for Yaml {
    fn from(b: bool) -> Yaml {
        Yaml::Bool(b)
    }
}

impl From<u16> for Yaml {
    fn from(n: u16) -> Yaml {
        Yaml::Int(i64::from(n))
    }
}

impl From<u32> for Yaml {
    fn from(n: u32) -> Yaml {
        Yaml::Int(i64::from(n))
    }
}

impl From<Ipv4Addr> for Yaml {
    fn from(ip: Ipv4Addr) -> Yaml {
        Yaml::Str(ip.to_string())
    }
}

impl From<Vec<Yaml>> for Yaml {
    fn from(items: Vec<Yaml>) -> Yaml {
        Yaml::List(items)
    }
}

impl From<&Labels> for Yaml {
    fn from(labels: &Labels) -> Yaml {
        Yaml::Map(sorted::map(labels.iter().map(|(k, v)| (k.clone(), Yaml::from(v)))))
    }
}

impl From<Map> for Yaml {
    fn from(m: Map) -> Yaml {
        Yaml::Map(m.0)
    }
}

/// A mapping being built. `maybe`, `list` and `strings` leave a field out when it has no
/// value, as Go's `omitempty` does.
#[derive(Default)]
pub(crate) struct Map(BTreeMap<String, Yaml>);

impl Map {
    pub(crate) fn new() -> Map {
        Map::default()
    }

    pub(crate) fn with(mut self, key: &str, value: impl Into<Yaml>) -> Map {
        self.0.insert(key.to_string(), value.into());
        self
    }

    pub(crate) fn maybe<V: Into<Yaml>>(self, key: &str, value: Option<V>) -> Map {
        match value {
            Some(v) => self.with(key, v),
            None => self,
        }
    }

    pub(crate) fn list(self, key: &str, items: Vec<Yaml>) -> Map {
        if items.is_empty() {
            self
        } else {
            self.with(key, Yaml::List(items))
        }
    }

    pub(crate) fn strings(self, key: &str, labels: &Labels) -> Map {
        if labels.is_empty() {
            self
        } else {
            self.with(key, labels)
        }
    }
}

impl Yaml {
    /// The document, ending in a newline.
    pub(crate) fn text(&self) -> String {
        let mut out = String::new();
        if is_block(self) {
            block(self, 0, &mut out);
        } else {
            out.push_str(&inline(self));
            out.push('\n');
        }
        out
    }
}

/// Whether `v` prints on lines of its own (a non-empty mapping or list).
fn is_block(v: &Yaml) -> bool {
    match v {
        Yaml::Map(m) => !m.is_empty(),
        Yaml::List(l) => !l.is_empty(),
        _ => false,
    }
}

fn block(v: &Yaml, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Yaml::Map(m) => {
            for (key, value) in m {
                let _ = write!(out, "{pad}{}:", scalar(key));
                match value {
                    Yaml::Map(_) if is_block(value) => {
                        out.push('\n');
                        block(value, indent + 2, out);
                    }
                    // go-yaml v2 does not indent a list inside a mapping.
                    Yaml::List(_) if is_block(value) => {
                        out.push('\n');
                        block(value, indent, out);
                    }
                    _ => {
                        let _ = writeln!(out, " {}", inline(value));
                    }
                }
            }
        }
        Yaml::List(items) => {
            for item in items {
                if is_block(item) {
                    // The item's first line carries the dash in place of its indent.
                    let mut inner = String::new();
                    block(item, indent + 2, &mut inner);
                    let _ = write!(out, "{pad}- {}", inner.get(indent + 2..).unwrap_or(&inner));
                } else {
                    let _ = writeln!(out, "{pad}- {}", inline(item));
                }
            }
        }
        other => {
            let _ = writeln!(out, "{pad}{}", inline(other));
        }
    }
}

fn inline(v: &Yaml) -> String {
    match v {
        Yaml::Null => "null".into(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Int(n) => n.to_string(),
        Yaml::Str(s) => scalar(s),
        Yaml::Map(_) => "{}".into(),
        Yaml::List(_) => "[]".into(),
    }
}

/// A string as go-yaml v2 writes it.
pub(crate) fn scalar(s: &str) -> String {
    if s.chars().any(escaped) || reads_as_other_type(s) {
        double_quoted(s)
    } else if !plain_allowed(s) {
        format!("'{}'", s.replace('\'', "''"))
    } else {
        s.to_string()
    }
}

/// Characters written only escaped, in double quotes: control characters, and the byte
/// order mark, which YAML reads only at the start of a stream (go-yaml's `is_printable`
/// leaves it out; its writer says `\uFEFF`).
fn escaped(c: char) -> bool {
    c.is_control() || c == '\u{feff}'
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\u{feff}' => out.push_str("\\uFEFF"),
            c if c.is_control() => {
                let _ = write!(out, "\\x{:02X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Words YAML 1.1 reads as booleans, null, infinities and NaN, as go-yaml v2 resolves them.
const SPECIAL_WORDS: [&str; 39] = [
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False",
    "FALSE", "on", "On", "ON", "off", "Off", "OFF", "~", "null", "Null", "NULL", ".inf", ".Inf", ".INF",
    "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", "<<",
];

/// Whether plain `s` would read back as something other than this string: a boolean,
/// null, a number (decimal, 0x/0o/0b, float, base 60) or a timestamp.
fn reads_as_other_type(s: &str) -> bool {
    if s.is_empty() {
        return true;
    }
    if SPECIAL_WORDS.contains(&s) {
        return true;
    }
    if !s.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c)) {
        return false;
    }
    let plain: String = s.chars().filter(|&c| c != '_').collect();
    if plain.parse::<i64>().is_ok() || plain.parse::<f64>().is_ok() {
        return true;
    }
    let unsigned = plain.trim_start_matches(['+', '-']);
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(digits) = unsigned.strip_prefix(prefix) {
            if !digits.is_empty() && u64::from_str_radix(digits, radix).is_ok() {
                return true;
            }
        }
    }
    base_60(s) || timestamp(s)
}

/// YAML 1.1's sexagesimal numbers, `190:20:30` (`[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?`).
fn base_60(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit() || c == '_');
    let mut parts = whole.split(':');
    let head = parts.next().unwrap_or("");
    let tail: Vec<&str> = parts.collect();
    head.starts_with(|c: char| c.is_ascii_digit())
        && digits(head)
        && !tail.is_empty()
        && tail.iter().all(|p| {
            matches!(p.len(), 1 | 2) && p.chars().all(|c| c.is_ascii_digit()) && (p.len() == 1 || p < &"60")
        })
        && digits(fraction)
}

/// A date (`2006-1-2`), alone or starting a timestamp.
fn timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |from: usize, to: usize| b.get(from..to).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if !digits(0, 4) || b.get(4) != Some(&b'-') {
        return false;
    }
    let rest = &s[5..];
    let mut parts = rest.splitn(3, '-');
    let (Some(month), Some(day_and_time)) = (parts.next(), parts.next()) else { return false };
    let day = day_and_time.split(['T', 't', ' ']).next().unwrap_or("");
    let number = |t: &str| matches!(t.len(), 1 | 2) && t.bytes().all(|c| c.is_ascii_digit());
    number(month) && number(day) && parts.next().is_none()
}

/// Whether `s` may be written plain in block context (libyaml's scalar analysis).
fn plain_allowed(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&first) = b.first() else { return false };
    if s.starts_with(' ') || s.ends_with(' ') || s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    let followed_by_space = |i: usize| b.get(i + 1).is_none_or(|c| *c == b' ');
    match first {
        b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"' | b'%'
        | b'@' | b'`' => return false,
        b'?' | b':' | b'-' if followed_by_space(0) => return false,
        _ => {}
    }
    !b.iter()
        .enumerate()
        .skip(1)
        .any(|(i, &c)| (c == b':' && followed_by_space(i)) || (c == b'#' && b.get(i - 1) == Some(&b' ')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_quoted_as_go_yaml_quotes_them() {
        for (s, want) in [
            ("web", "web"),
            ("10.96.0.10", "10.96.0.10"),
            ("v1.35.0", "v1.35.0"),
            ("/", "/"),
            ("", "\"\""),
            ("80", "\"80\""),
            ("1e3", "\"1e3\""),
            ("0x1F", "\"0x1F\""),
            ("true", "\"true\""),
            ("yes", "\"yes\""),
            ("null", "\"null\""),
            ("1:20", "\"1:20\""),
            ("2024-01-31", "\"2024-01-31\""),
            ("*.example.com", "'*.example.com'"),
            ("a: b", "'a: b'"),
            ("- x", "'- x'"),
            ("-x", "-x"),
            ("a#b", "a#b"),
            ("it's #1", "'it''s #1'"),
            ("-", "'-'"),
            ("line\nbreak", "\"line\\nbreak\""),
            ("\u{feff}x", "\"\\uFEFFx\""),
        ] {
            assert_eq!(scalar(s), want, "{s:?}");
        }
    }

    #[test]
    fn lists_in_maps_are_not_indented_and_items_carry_their_first_key() {
        let doc: Yaml = Map::new()
            .with("items", vec![Yaml::from(Map::new().with("b", 1u16).with("a", vec![Yaml::from("x")]))])
            .with("empty", Map::new())
            .with("none", Vec::new())
            .into();
        assert_eq!(doc.text(), "empty: {}\nitems:\n- a:\n  - x\n  b: 1\nnone: []\n");
    }
}
