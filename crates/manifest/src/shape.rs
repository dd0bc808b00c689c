//! Checks a document against the Kubernetes API's field names and value types, from a table
//! generated out of k8s-openapi's schemas (`k8s_schema.txt`, written by `cargo xtask
//! k8s-schema`) or from a CustomResourceDefinition's schema ([`crate::crd`]). Each kind's
//! module then builds its k8s-openapi object from the checked tree ([`crate::fields`]).
//!
//! The table stands in for k8s-openapi's `Deserialize` impls, whose visitors for the 220 API
//! types a Pod or a Deployment reaches would dominate the wasm. The checks agree with what
//! those impls (through [`crate::de`]) report: same codes, same ranges, same messages for
//! unknown fields and wrong types; the differential test `tests/shape.rs` compares both on
//! every test manifest, every exercise and mutations of them.
//!
//! Like k8s-openapi, a missing field that is optional there is not an error here (a Go zero
//! value); the kinds' modules check the fields the model needs.

use std::sync::OnceLock;

use crate::de::type_hint;
use crate::problem::{child_path, closest, path_or_top, Problem};
use crate::tree::{Entry, Node, Resolved, Value};

const TABLE: &str = include_str!("k8s_schema.txt");

/// The kinds defined by CRDs: the Gateway API's (`cargo xtask gateway-schema`,
/// `crate::gateway_schema`) and the cluster-wide policy kinds (`cargo xtask policy-schema`,
/// `crate::policy_schema`), read after [`TABLE`], whose types (ObjectMeta) they name.
#[cfg(feature = "gateway-api")]
pub(crate) const CRD_TEXT: &str =
    concat!(include_str!("gateway_schema.txt"), include_str!("policy_schema.txt"));

/// Where [`CRD_TEXT`] plugs in (`crate::plug`).
pub(crate) static CRD_TABLE: netsim::socket::Socket<str> = netsim::socket::Socket::new();

/// [`CRD_TEXT`], or nothing while the reading of the kinds defined by CRDs is not there.
fn gateway_table() -> &'static str {
    netsim::plugged!(CRD_TABLE, CRD_TEXT).unwrap_or("")
}

/// A field's value type (see tools/k8s-schema for the letters).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Ty {
    Str,
    I32,
    I64,
    Bool,
    Number,
    Time,
    Quantity,
    IntOrString,
    Bytes,
    Any,
    List(Box<Ty>),
    Map(Box<Ty>),
    Struct(usize),
    /// A string from a fixed list (a CustomResourceDefinition's `enum`).
    Enum(Vec<String>),
}

#[derive(Clone, Debug)]
pub(crate) struct Type {
    /// Sorted by name.
    pub fields: Vec<(String, Ty)>,
    /// Fields whose absence is an error (`!` in the table, `required` in an OpenAPI schema).
    pub required: Vec<String>,
}

/// Types, and the kinds whose objects they describe (kind, index of its type).
#[derive(Clone, Debug)]
pub(crate) struct Schema {
    pub types: Vec<Type>,
    pub kinds: Vec<(String, usize)>,
}

/// The name of the table's type `index` (`ObjectMeta`).
#[cfg_attr(not(feature = "gateway-api"), allow(dead_code))]
pub(crate) fn type_name(index: usize) -> Option<&'static str> {
    table_lines(gateway_table()).filter_map(|l| l.strip_prefix('@')).nth(index)
}

/// The lines of both tables that describe kinds and types (not comments, versions or rules).
fn table_lines(gateway: &'static str) -> impl Iterator<Item = &'static str> + Clone {
    TABLE.lines().chain(gateway.lines()).filter(|l| !l.starts_with(['#', '%', '+']))
}

/// The API's own kinds, from `k8s_schema.txt`, and the Gateway API's, from
/// `gateway_schema.txt` once their reading is there.
pub(crate) fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    static WITH_GATEWAY: OnceLock<Schema> = OnceLock::new();
    let gateway = gateway_table();
    let once = if gateway.is_empty() { &SCHEMA } else { &WITH_GATEWAY };
    once.get_or_init(|| {
        let lines = || table_lines(gateway);
        let names: Vec<&str> = lines().filter_map(|l| l.strip_prefix('@')).collect();
        let index = |name: &str| names.iter().position(|n| *n == name);
        fn ty(code: &str, index: &dyn Fn(&str) -> Option<usize>) -> Ty {
            match code {
                "s" => Ty::Str,
                "i" => Ty::I32,
                "l" => Ty::I64,
                "b" => Ty::Bool,
                "f" => Ty::Number,
                "t" => Ty::Time,
                "q" => Ty::Quantity,
                "n" => Ty::IntOrString,
                "y" => Ty::Bytes,
                _ if code.starts_with('|') => Ty::Enum(code[1..].split('|').map(str::to_string).collect()),
                _ if code.starts_with('[') => Ty::List(Box::new(ty(&code[1..], index))),
                _ if code.starts_with('{') => Ty::Map(Box::new(ty(&code[1..], index))),
                _ => index(code).map_or(Ty::Any, Ty::Struct),
            }
        }
        let mut types: Vec<Type> = Vec::with_capacity(names.len());
        let mut kinds = Vec::new();
        for line in lines() {
            if let Some(kind) = line.strip_prefix('=') {
                let (kind, name) = kind.split_once(' ').unwrap_or((kind, kind));
                if let Some(i) = index(name) {
                    kinds.push((kind.to_string(), i));
                }
            } else if line.starts_with('@') {
                types.push(Type { fields: Vec::new(), required: Vec::new() });
            } else if let (Some(t), Some((field, code))) = (types.last_mut(), line.split_once(' ')) {
                let field = match field.strip_suffix('!') {
                    Some(f) => {
                        t.required.push(f.to_string());
                        f
                    }
                    None => field,
                };
                t.fields.push((field.to_string(), ty(code, &index)));
            }
        }
        Schema { types, kinds }
    })
}

/// Checks a document of `kind` (one of convert's `KINDS`): every problem found, and whether
/// one of them is a type error (the object is then left out; unknown fields alone are
/// reported and the object is still read, as with strict field validation's report).
///
/// With `learner`, an unknown field whose name a nearby mapping takes gets "did you mean to
/// indent it under `spec.selector`?" instead of the list of valid fields (and `-port` gets "put
/// a space after `-`"); without it the hints are k8s-openapi's, as the differential test compares.
pub fn check(kind: &str, node: &Node, learner: bool) -> (Vec<Problem>, bool) {
    check_in(schema(), kind, node, learner)
}

/// [`check`] against the kinds of `s`.
pub(crate) fn check_in(s: &Schema, kind: &str, node: &Node, learner: bool) -> (Vec<Problem>, bool) {
    let Some(&(_, root)) = s.kinds.iter().find(|(k, _)| k == kind) else { return (Vec::new(), false) };
    let mut problems = Vec::new();
    let walker = Walker { s, learner };
    walker.walk(node, &Ty::Struct(root), &Path::Root, true, &mut problems);
    let fatal = problems.iter().any(|p| p.code != "unknown-field");
    (problems, fatal)
}

/// Where a node is (`spec.ports[0].port`), kept as a chain on the stack and written out only
/// when a problem is reported: most documents have none, and the walk then allocates nothing.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn render(&self) -> String {
        match self {
            Path::Root => String::new(),
            Path::Key(parent, key) => child_path(&parent.render(), key),
            Path::Index(parent, i) => format!("{}[{i}]", parent.render()),
        }
    }
}

fn problem(code: &'static str, node: &Node, message: String, hints: Vec<String>) -> Problem {
    Problem { code, message, start: node.start, end: node.end, hints }
}

/// `expected X for PATH, found Y` with de.rs's hints (quote a plain scalar for a string,
/// unquote a number for an integer).
fn type_error(node: &Node, path: &Path<'_>, expected: &str) -> Problem {
    let path = &path.render();
    let hint = type_hint(node, expected);
    let message = format!("expected {expected} for {}, found {}", path_or_top(path), node.describe());
    problem("invalid-type", node, message, hint.into_iter().collect())
}

fn invalid_value(node: &Node, path: &Path<'_>, why: String) -> Problem {
    let message = format!("invalid value for {}: {why}", path_or_top(&path.render()));
    problem("invalid-value", node, message, Vec::new())
}

pub(crate) fn resolved(node: &Node) -> Option<Resolved> {
    node.as_scalar().map(|s| s.resolved)
}

struct Walker<'s> {
    s: &'s Schema,
    learner: bool,
}

impl Walker<'_> {
    /// `optional`: the field is an `Option` in k8s-openapi, so null is simply absent.
    fn walk(&self, node: &Node, ty: &Ty, path: &Path<'_>, optional: bool, out: &mut Vec<Problem>) {
        let s = self.s;
        if optional && node.is_null() {
            return;
        }
        let null = node.is_null();
        match ty {
            Ty::Any => {}
            // JSON null leaves a Go string, number, bool, list or map at its zero value.
            Ty::Str => {
                if !null && resolved(node) != Some(Resolved::Str) {
                    out.push(type_error(node, path, "a string"));
                }
            }
            Ty::I32 | Ty::I64 => match resolved(node) {
                Some(Resolved::Null) => {}
                Some(Resolved::Int(i)) => {
                    if *ty == Ty::I32 && i32::try_from(i).is_err() {
                        out.push(invalid_value(
                            node,
                            path,
                            format!("invalid value: integer `{i}`, expected i32"),
                        ));
                    }
                }
                _ => out.push(type_error(node, path, "an integer")),
            },
            Ty::Bool => {
                if !matches!(resolved(node), Some(Resolved::Null | Resolved::Bool(_))) {
                    out.push(type_error(node, path, "a boolean (`true` or `false`)"));
                }
            }
            Ty::Number => {
                if !matches!(resolved(node), Some(Resolved::Int(_) | Resolved::Float(_))) {
                    out.push(type_error(node, path, "a number"));
                }
            }
            Ty::Time => match node.as_scalar() {
                Some(sc) if matches!(sc.resolved, Resolved::Str | Resolved::Null) => {
                    if !is_timestamp(&sc.text) || sc.resolved == Resolved::Null {
                        out.push(invalid_value(
                            node,
                            path,
                            format!(
                                "`{}` is not an RFC 3339 timestamp such as `2025-01-31T09:30:00Z`",
                                if sc.resolved == Resolved::Null { "" } else { &sc.text }
                            ),
                        ));
                    }
                }
                _ => out.push(type_error(node, path, "a string")),
            },
            Ty::Quantity => {
                if !matches!(resolved(node), Some(Resolved::Str | Resolved::Int(_) | Resolved::Float(_))) {
                    out.push(type_error(
                        node,
                        path,
                        "a quantity (a number or a string such as `500m` or `1Gi`)",
                    ));
                }
            }
            Ty::IntOrString => match resolved(node) {
                Some(Resolved::Str) => {}
                Some(Resolved::Int(i)) => {
                    if i32::try_from(i).is_err() {
                        out.push(invalid_value(
                            node,
                            path,
                            format!("invalid value: integer `{i}`, expected a 32-bit integer"),
                        ));
                    }
                }
                _ => out.push(type_error(node, path, "an integer or a string")),
            },
            Ty::Bytes => match resolved(node) {
                Some(Resolved::Null) => {}
                Some(Resolved::Str) => {
                    let text = node.as_str().unwrap_or("");
                    if !is_base64(text) {
                        out.push(invalid_value(node, path, format!("`{text}` is not base64")));
                    }
                }
                _ => out.push(type_error(node, path, "a string")),
            },
            Ty::List(item) => match &node.value {
                Value::Seq(items) => {
                    for (i, n) in items.iter().enumerate() {
                        self.walk(n, item, &Path::Index(path, i), false, out);
                    }
                }
                _ if null => {}
                _ => out.push(type_error(node, path, "a list")),
            },
            Ty::Map(value) => match &node.value {
                Value::Map(entries) => {
                    for e in entries {
                        let key = e.key.as_scalar().map_or("", |k| k.text.as_str());
                        self.walk(&e.value, value, &Path::Key(path, key), false, out);
                    }
                }
                _ if null => {}
                _ => out.push(type_error(node, path, "a mapping")),
            },
            Ty::Struct(t) => match &node.value {
                Value::Map(entries) => self.walk_fields(node, entries, *t, path, out),
                _ if null => {
                    for name in &s.types[*t].required {
                        let message =
                            format!("missing required field `{}`", child_path(&path.render(), name));
                        out.push(problem("missing-field", node, message, Vec::new()));
                    }
                }
                _ => out.push(type_error(node, path, "a mapping")),
            },
            Ty::Enum(values) => match node.as_scalar() {
                Some(sc) if sc.resolved == Resolved::Str => {
                    if !values.contains(&sc.text) {
                        out.push(not_one_of(node, path, &sc.text, values));
                    }
                }
                _ => out.push(type_error(node, path, "a string")),
            },
        }
    }

    /// The entries of a mapping of the struct type `t`: each known field walked, each unknown
    /// one reported, each missing required one reported.
    fn walk_fields(&self, node: &Node, entries: &[Entry], t: usize, path: &Path<'_>, out: &mut Vec<Problem>) {
        let s = self.s;
        let Type { fields, required } = &s.types[t];
        for (j, e) in entries.iter().enumerate() {
            let key = e.key.as_scalar().map_or("", |k| k.text.as_str());
            match fields.binary_search_by(|(f, _)| f.as_str().cmp(key)) {
                Ok(i) => {
                    // A required timestamp is not an Option: null is read as "".
                    let optional = !required.iter().any(|r| r == key);
                    self.walk(&e.value, &fields[i].1, &Path::Key(path, key), optional, out);
                }
                Err(_) => {
                    let mut p = unknown_field(&e.key, key, &path.render(), fields);
                    if let Some(hint) =
                        self.learner.then(|| learner_hint(s, &entries[..j], fields, path, key)).flatten()
                    {
                        p.hints = vec![hint];
                    }
                    out.push(p);
                }
            }
        }
        for name in required {
            if !entries.iter().any(|e| e.key.as_scalar().is_some_and(|k| k.text == *name)) {
                let message = format!("missing required field `{}`", child_path(&path.render(), name));
                out.push(problem("missing-field", node, message, Vec::new()));
            }
        }
    }
}

/// A value outside an `enum`, with the closest allowed value.
fn not_one_of(node: &Node, path: &Path<'_>, value: &str, values: &[String]) -> Problem {
    let hint = closest(value, values.iter().map(String::as_str)).map(|c| format!("did you mean `{c}`?"));
    let message =
        format!("{} must be one of {}, not `{value}`", path_or_top(&path.render()), values.join(", "));
    problem("invalid-value", node, message, hint.into_iter().collect())
}

fn field<'s>(fields: &'s [(String, Ty)], key: &str) -> Option<&'s Ty> {
    fields.binary_search_by(|(f, _)| f.as_str().cmp(key)).ok().map(|i| &fields[i].1)
}

/// For a learner, about an unknown `key` after the entries `before` of a mapping at `path`:
/// `-port` is a list item without the space after its `-`; a key that the value of the entry
/// before it takes (that value's last entry or item, down to the first that takes it) was
/// written one level too shallow: `app:` beside an empty `selector:`, `targetPort:` beside
/// `ports:`, `metadata:` beside an empty `template:`.
fn learner_hint<'s>(
    s: &'s Schema,
    before: &[Entry],
    fields: &'s [(String, Ty)],
    path: &Path<'_>,
    key: &str,
) -> Option<String> {
    if let Some(rest) = key.strip_prefix('-').filter(|r| !r.is_empty() && !r.starts_with(' ')) {
        return Some(format!("put a space after `-` to start a list item: `- {rest}`"));
    }
    let prev = before.last()?;
    let name = prev.key.as_scalar()?.text.as_str();
    let mut ty = field(fields, name)?;
    let mut node = &prev.value;
    let mut at = child_path(&path.render(), name);
    let under = |at: &str| Some(format!("did you mean to indent it under `{at}`?"));
    for _ in 0..crate::tree::MAX_DEPTH {
        match (ty, &node.value) {
            (Ty::Struct(t), value) => {
                let fields = &s.types[*t].fields;
                if field(fields, key).is_some() {
                    return under(&at);
                }
                let last = if let Value::Map(entries) = value { entries.last()? } else { return None };
                let name = last.key.as_scalar()?.text.as_str();
                ty = field(fields, name)?;
                node = &last.value;
                at = child_path(&at, name);
            }
            (Ty::Map(_), _) if node.is_null() => return under(&at),
            (Ty::List(item), Value::Seq(items)) => {
                node = items.last()?;
                at = format!("{at}[{}]", items.len() - 1);
                ty = item;
            }
            _ => return None,
        }
    }
    None
}

/// A step of a path written in the text (`spec`, `ports`, an item), for [`takes_field`].
pub(crate) enum Step<'a> {
    Key(&'a str),
    Item,
}

/// Whether the value at `path` in an object of `kind` is a mapping of API fields with a field
/// `key` (a map of free keys, such as labels, does not count): `None` if not, else whether
/// that field is a list.
pub(crate) fn takes_field(kind: &str, path: &[Step<'_>], key: &str) -> Option<bool> {
    let s = schema();
    let &(_, root) = s.kinds.iter().find(|(k, _)| k == kind)?;
    let root = Ty::Struct(root);
    let mut ty = &root;
    for step in path {
        ty = match (ty, step) {
            (Ty::Struct(t), Step::Key(k)) => field(&s.types[*t].fields, k)?,
            (Ty::List(item), Step::Item) => item,
            (Ty::Map(value), Step::Key(_)) => value,
            _ => return None,
        };
    }
    let Ty::Struct(t) = ty else { return None };
    field(&s.types[*t].fields, key).map(|f| matches!(f, Ty::List(_)))
}

fn unknown_field(key_node: &Node, key: &str, parent: &str, fields: &[(String, Ty)]) -> Problem {
    let names = fields.iter().map(|(f, _)| f.as_str());
    let hint = match closest(key, names.clone()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("valid fields here: {}", names.collect::<Vec<_>>().join(", ")),
    };
    problem(
        "unknown-field",
        key_node,
        format!("unknown field `{key}` in {}", path_or_top(parent)),
        vec![hint],
    )
}

/// RFC 3339 as Kubernetes writes it: `2025-01-31T09:30:00Z`, with optional fractional seconds
/// and a `Z` or `±hh:mm` offset.
fn is_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if b.len() < 20 || !digits(0..4) || b[4] != b'-' || !digits(5..7) || b[7] != b'-' || !digits(8..10) {
        return false;
    }
    if !matches!(b[10], b'T' | b't' | b' ') || !digits(11..13) || b[13] != b':' || !digits(14..16) {
        return false;
    }
    if b[16] != b':' || !digits(17..19) {
        return false;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start || i - start > 9 {
            return false;
        }
    }
    let rest = &b[i..];
    let (month, day, hour, minute, second) =
        (&text[5..7], &text[8..10], &text[11..13], &text[14..16], &text[17..19]);
    let in_range = |v: &str, lo: u32, hi: u32| v.parse::<u32>().is_ok_and(|n| (lo..=hi).contains(&n));
    let fields_ok = in_range(month, 1, 12)
        && in_range(day, 1, 31)
        && in_range(hour, 0, 23)
        && in_range(minute, 0, 59)
        && in_range(second, 0, 59);
    let offset_ok = matches!(rest, [b'Z' | b'z'])
        || (rest.len() == 6
            && matches!(rest[0], b'+' | b'-')
            && rest[1..3].iter().all(u8::is_ascii_digit)
            && rest[3] == b':'
            && rest[4..6].iter().all(u8::is_ascii_digit));
    fields_ok && offset_ok
}

/// Standard base64 with padding, as Go's encoding/json reads `[]byte`.
fn is_base64(text: &str) -> bool {
    let b = text.as_bytes();
    if !b.len().is_multiple_of(4) {
        return false;
    }
    let pad = b.iter().rev().take_while(|c| **c == b'=').count();
    pad <= 2 && b[..b.len() - pad].iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/'))
}

// ---------------------------------------------------------------------------------------------
// Building the k8s-openapi objects from a checked document (no type errors: [`check`] ran
// first), field by field, as k8s-openapi's generated `Deserialize` impls would:
// - an absent or null optional field is `None`;
// - an absent or null required field is its Go zero value (`""`, `0`, an empty list, a default
//   struct), as k8s-openapi's visitors fill it with `unwrap_or_default`;
// - null inside a list or as a map's value is the zero value of the item (serde reads it as an
//   empty string, zero, or an empty mapping);
// - of duplicate keys, the last wins.
// The large types (Pod, PodSpec, Container, statuses, ObjectMeta) are built with only the
// fields the conversion reads; the small ones it reads whole are built whole. The
// differential test (`tests/shape.rs`) compares every one with what `Deserialize` builds.
