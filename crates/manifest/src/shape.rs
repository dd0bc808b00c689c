//! Checks a document against the Kubernetes API's field names and value types, from a table
//! generated out of k8s-openapi's schemas (`k8s_schema.txt`, written by `cargo xtask
//! k8s-schema`), then builds the k8s-openapi object with the fields Switchboard models.
//!
//! Why not k8s-openapi's `Deserialize` for the whole object: a Pod or a Deployment reaches
//! 220 API types (volumes, probes, security contexts, statuses, timestamps), and their
//! generated visitors were 700 KB of the wasm, a third of it. The table is 22 KB of text.
//! The checks agree with what the `Deserialize` impls (through [`crate::de`]) report: same
//! codes, same ranges, same messages for unknown fields and wrong types; the differential test
//! `tests/shape.rs` compares both on every test manifest, every exercise and mutations of them.
//!
//! Like k8s-openapi, a missing required field is not an error here (a Go zero value); the
//! conversion checks the fields the model needs.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::discovery::v1 as discovery;
use k8s_openapi::api::networking::v1 as networking;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::de::type_hint;
use crate::problem::{child_path, closest, path_or_top, Problem};
use crate::yaml::{Entry, Node, Resolved, Value};

const TABLE: &str = include_str!("k8s_schema.txt");

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

/// The API's own kinds, from `k8s_schema.txt`.
pub(crate) fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let lines = || TABLE.lines().filter(|l| !l.starts_with('#'));
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

fn resolved(node: &Node) -> Option<Resolved> {
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
                Value::Map(entries) => {
                    let Type { fields, required } = &s.types[*t];
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
                                if let Some(hint) = self
                                    .learner
                                    .then(|| learner_hint(s, &entries[..j], fields, path, key))
                                    .flatten()
                                {
                                    p.hints = vec![hint];
                                }
                                out.push(p);
                            }
                        }
                    }
                    for name in required {
                        if !entries.iter().any(|e| e.key.as_scalar().is_some_and(|k| k.text == *name)) {
                            let message =
                                format!("missing required field `{}`", child_path(&path.render(), name));
                            out.push(problem("missing-field", node, message, Vec::new()));
                        }
                    }
                }
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
    for _ in 0..crate::yaml::MAX_DEPTH {
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

/// The last entry with this key (serde keeps the last of duplicate keys).
fn get<'a>(node: Option<&'a Node>, key: &str) -> Option<&'a Node> {
    node?.as_map()?.iter().rev().find(|e| e.key.as_scalar().is_some_and(|s| s.text == key)).map(|e| &e.value)
}

/// A string scalar's text; null (or, after [`check`], nothing else) is `""`.
fn text(node: &Node) -> String {
    node.as_str().unwrap_or_default().to_string()
}

fn string(node: Option<&Node>, key: &str) -> Option<String> {
    let n = get(node, key)?;
    n.as_str().map(str::to_string)
}

/// A required string: absent or null is `""`.
fn req_string(node: Option<&Node>, key: &str) -> String {
    string(node, key).unwrap_or_default()
}

fn int(node: Option<&Node>, key: &str) -> Option<i32> {
    match resolved(get(node, key)?)? {
        Resolved::Int(i) => i32::try_from(i).ok(),
        _ => None,
    }
}

/// A required integer: absent or null is 0.
fn req_int(node: Option<&Node>, key: &str) -> i32 {
    int(node, key).unwrap_or_default()
}

fn boolean(node: Option<&Node>, key: &str) -> Option<bool> {
    match resolved(get(node, key)?)? {
        Resolved::Bool(b) => Some(b),
        _ => None,
    }
}

fn int_or_string(node: Option<&Node>, key: &str) -> Option<IntOrString> {
    let n = get(node, key)?;
    match resolved(n)? {
        Resolved::Int(i) => i32::try_from(i).ok().map(IntOrString::Int),
        Resolved::Str => Some(IntOrString::String(text(n))),
        _ => None,
    }
}

fn present(node: Option<&Node>) -> Option<&Node> {
    node.filter(|n| !n.is_null())
}

fn list<'a>(node: Option<&'a Node>, key: &str) -> Option<&'a [Node]> {
    present(get(node, key)).map(|n| n.as_seq().unwrap_or(&[]))
}

/// An optional list, each item built by `f`.
fn items<T>(node: Option<&Node>, key: &str, f: impl Fn(Option<&Node>) -> T) -> Option<Vec<T>> {
    list(node, key).map(|xs| xs.iter().map(|x| f(Some(x))).collect())
}

fn strings(node: Option<&Node>, key: &str) -> Option<Vec<String>> {
    list(node, key).map(|xs| xs.iter().map(text).collect())
}

/// An optional object, built by `f`.
fn object<T>(node: Option<&Node>, key: &str, f: impl Fn(Option<&Node>) -> T) -> Option<T> {
    present(get(node, key)).map(|n| f(Some(n)))
}

/// A string-to-string map. Keys are read as text whatever they resolve to (`80: x` has the
/// key "80"), as sigs.k8s.io/yaml does; the last of duplicate keys wins.
fn string_map(node: Option<&Node>, key: &str) -> Option<BTreeMap<String, String>> {
    let n = present(get(node, key))?;
    let entries = n.as_map().unwrap_or(&[]);
    let key_text = |e: &crate::yaml::Entry| e.key.as_scalar().map_or(String::new(), |k| k.text.clone());
    Some(sorted::map(entries.iter().map(|e| (key_text(e), text(&e.value)))))
}

fn object_meta(node: Option<&Node>) -> meta::ObjectMeta {
    let m = present(get(node, "metadata"));
    meta::ObjectMeta {
        name: string(m, "name"),
        namespace: string(m, "namespace"),
        labels: string_map(m, "labels"),
        annotations: string_map(m, "annotations"),
        ..Default::default()
    }
}

fn label_selector(s: Option<&Node>) -> meta::LabelSelector {
    meta::LabelSelector {
        match_expressions: items(s, "matchExpressions", |r| meta::LabelSelectorRequirement {
            key: req_string(r, "key"),
            operator: req_string(r, "operator"),
            values: strings(r, "values"),
        }),
        match_labels: string_map(s, "matchLabels"),
    }
}

fn object_reference(r: Option<&Node>) -> core::ObjectReference {
    core::ObjectReference {
        api_version: string(r, "apiVersion"),
        field_path: string(r, "fieldPath"),
        kind: string(r, "kind"),
        name: string(r, "name"),
        namespace: string(r, "namespace"),
        resource_version: string(r, "resourceVersion"),
        uid: string(r, "uid"),
    }
}

fn container_port(p: Option<&Node>) -> core::ContainerPort {
    core::ContainerPort {
        container_port: req_int(p, "containerPort"),
        host_ip: string(p, "hostIP"),
        host_port: int(p, "hostPort"),
        name: string(p, "name"),
        protocol: string(p, "protocol"),
    }
}

fn container(c: Option<&Node>) -> core::Container {
    core::Container {
        name: req_string(c, "name"),
        ports: items(c, "ports", container_port),
        ..Default::default()
    }
}

fn dns_config(d: Option<&Node>) -> core::PodDNSConfig {
    core::PodDNSConfig {
        nameservers: strings(d, "nameservers"),
        options: items(d, "options", |o| core::PodDNSConfigOption {
            name: string(o, "name"),
            value: string(o, "value"),
        }),
        searches: strings(d, "searches"),
    }
}

fn pod_spec(s: Option<&Node>) -> core::PodSpec {
    core::PodSpec {
        containers: items(s, "containers", container).unwrap_or_default(),
        dns_policy: string(s, "dnsPolicy"),
        dns_config: object(s, "dnsConfig", dns_config),
        node_selector: string_map(s, "nodeSelector"),
        host_network: boolean(s, "hostNetwork"),
        enable_service_links: boolean(s, "enableServiceLinks"),
        hostname: string(s, "hostname"),
        subdomain: string(s, "subdomain"),
        node_name: string(s, "nodeName"),
        ..Default::default()
    }
}

fn pod_template(t: Option<&Node>) -> core::PodTemplateSpec {
    core::PodTemplateSpec {
        metadata: present(get(t, "metadata")).map(|_| object_meta(t)),
        spec: object(t, "spec", pod_spec),
    }
}

pub fn namespace(node: &Node) -> core::Namespace {
    core::Namespace { metadata: object_meta(Some(node)), ..Default::default() }
}

pub fn node(node: &Node) -> core::Node {
    let n = Some(node);
    core::Node {
        metadata: object_meta(n),
        spec: object(n, "spec", |s| core::NodeSpec { pod_cidr: string(s, "podCIDR"), ..Default::default() }),
        status: object(n, "status", |s| core::NodeStatus {
            addresses: items(s, "addresses", |a| core::NodeAddress {
                address: req_string(a, "address"),
                type_: req_string(a, "type"),
            }),
            ..Default::default()
        }),
    }
}

pub fn pod(node: &Node) -> core::Pod {
    let n = Some(node);
    core::Pod {
        metadata: object_meta(n),
        spec: object(n, "spec", pod_spec),
        status: object(n, "status", |s| core::PodStatus {
            pod_ip: string(s, "podIP"),
            conditions: items(s, "conditions", |c| core::PodCondition {
                type_: req_string(c, "type"),
                status: req_string(c, "status"),
                ..Default::default()
            }),
            ..Default::default()
        }),
    }
}

/// What the conversion reads of a workload: metadata, replicas, selector, template and (for
/// a StatefulSet) serviceName.
pub struct Workload {
    pub metadata: meta::ObjectMeta,
    pub replicas: Option<i32>,
    pub selector: meta::LabelSelector,
    /// The default when absent, as for a Deployment's required `template`.
    pub template: core::PodTemplateSpec,
    pub service_name: Option<String>,
}

pub fn workload(node: &Node) -> Workload {
    let n = Some(node);
    let spec = present(get(n, "spec"));
    Workload {
        metadata: object_meta(n),
        replicas: int(spec, "replicas"),
        selector: object(spec, "selector", label_selector).unwrap_or_default(),
        template: object(spec, "template", pod_template).unwrap_or_default(),
        service_name: string(spec, "serviceName"),
    }
}

fn service_port(p: Option<&Node>) -> core::ServicePort {
    core::ServicePort {
        app_protocol: string(p, "appProtocol"),
        name: string(p, "name"),
        node_port: int(p, "nodePort"),
        port: req_int(p, "port"),
        protocol: string(p, "protocol"),
        target_port: int_or_string(p, "targetPort"),
    }
}

fn service_spec(s: Option<&Node>) -> core::ServiceSpec {
    core::ServiceSpec {
        allocate_load_balancer_node_ports: boolean(s, "allocateLoadBalancerNodePorts"),
        cluster_ip: string(s, "clusterIP"),
        cluster_ips: strings(s, "clusterIPs"),
        external_ips: strings(s, "externalIPs"),
        external_name: string(s, "externalName"),
        external_traffic_policy: string(s, "externalTrafficPolicy"),
        health_check_node_port: int(s, "healthCheckNodePort"),
        internal_traffic_policy: string(s, "internalTrafficPolicy"),
        ip_families: strings(s, "ipFamilies"),
        ip_family_policy: string(s, "ipFamilyPolicy"),
        load_balancer_class: string(s, "loadBalancerClass"),
        load_balancer_ip: string(s, "loadBalancerIP"),
        load_balancer_source_ranges: strings(s, "loadBalancerSourceRanges"),
        ports: items(s, "ports", service_port),
        publish_not_ready_addresses: boolean(s, "publishNotReadyAddresses"),
        selector: string_map(s, "selector"),
        session_affinity: string(s, "sessionAffinity"),
        session_affinity_config: object(s, "sessionAffinityConfig", |c| core::SessionAffinityConfig {
            client_ip: object(c, "clientIP", |ip| core::ClientIPConfig {
                timeout_seconds: int(ip, "timeoutSeconds"),
            }),
        }),
        traffic_distribution: string(s, "trafficDistribution"),
        type_: string(s, "type"),
    }
}

fn load_balancer_status(s: Option<&Node>) -> core::LoadBalancerStatus {
    core::LoadBalancerStatus {
        ingress: items(s, "ingress", |i| core::LoadBalancerIngress {
            hostname: string(i, "hostname"),
            ip: string(i, "ip"),
            ip_mode: string(i, "ipMode"),
            ports: items(i, "ports", |p| core::PortStatus {
                error: string(p, "error"),
                port: req_int(p, "port"),
                protocol: req_string(p, "protocol"),
            }),
        }),
    }
}

pub fn service(node: &Node) -> core::Service {
    let n = Some(node);
    core::Service {
        metadata: object_meta(n),
        spec: object(n, "spec", service_spec),
        status: object(n, "status", |s| core::ServiceStatus {
            load_balancer: object(s, "loadBalancer", load_balancer_status),
            ..Default::default()
        }),
    }
}

fn endpoint_address(a: Option<&Node>) -> core::EndpointAddress {
    core::EndpointAddress {
        hostname: string(a, "hostname"),
        ip: req_string(a, "ip"),
        node_name: string(a, "nodeName"),
        target_ref: object(a, "targetRef", object_reference),
    }
}

pub fn endpoints(node: &Node) -> core::Endpoints {
    let n = Some(node);
    core::Endpoints {
        metadata: object_meta(n),
        subsets: items(n, "subsets", |s| core::EndpointSubset {
            addresses: items(s, "addresses", endpoint_address),
            not_ready_addresses: items(s, "notReadyAddresses", endpoint_address),
            ports: items(s, "ports", |p| core::EndpointPort {
                app_protocol: string(p, "appProtocol"),
                name: string(p, "name"),
                port: req_int(p, "port"),
                protocol: string(p, "protocol"),
            }),
        }),
    }
}

fn endpoint(e: Option<&Node>) -> discovery::Endpoint {
    discovery::Endpoint {
        addresses: strings(e, "addresses").unwrap_or_default(),
        conditions: object(e, "conditions", |c| discovery::EndpointConditions {
            ready: boolean(c, "ready"),
            serving: boolean(c, "serving"),
            terminating: boolean(c, "terminating"),
        }),
        deprecated_topology: string_map(e, "deprecatedTopology"),
        hints: object(e, "hints", |h| discovery::EndpointHints {
            for_nodes: items(h, "forNodes", |f| discovery::ForNode { name: req_string(f, "name") }),
            for_zones: items(h, "forZones", |f| discovery::ForZone { name: req_string(f, "name") }),
        }),
        hostname: string(e, "hostname"),
        node_name: string(e, "nodeName"),
        target_ref: object(e, "targetRef", object_reference),
        zone: string(e, "zone"),
    }
}

pub fn endpoint_slice(node: &Node) -> discovery::EndpointSlice {
    let n = Some(node);
    discovery::EndpointSlice {
        metadata: object_meta(n),
        address_type: req_string(n, "addressType"),
        endpoints: items(n, "endpoints", endpoint).unwrap_or_default(),
        ports: items(n, "ports", |p| discovery::EndpointPort {
            app_protocol: string(p, "appProtocol"),
            name: string(p, "name"),
            port: int(p, "port"),
            protocol: string(p, "protocol"),
        }),
    }
}

fn policy_peer(p: Option<&Node>) -> networking::NetworkPolicyPeer {
    networking::NetworkPolicyPeer {
        ip_block: object(p, "ipBlock", |b| networking::IPBlock {
            cidr: req_string(b, "cidr"),
            except: strings(b, "except"),
        }),
        namespace_selector: object(p, "namespaceSelector", label_selector),
        pod_selector: object(p, "podSelector", label_selector),
    }
}

fn policy_port(p: Option<&Node>) -> networking::NetworkPolicyPort {
    networking::NetworkPolicyPort {
        end_port: int(p, "endPort"),
        port: int_or_string(p, "port"),
        protocol: string(p, "protocol"),
    }
}

pub fn network_policy(node: &Node) -> networking::NetworkPolicy {
    let n = Some(node);
    networking::NetworkPolicy {
        metadata: object_meta(n),
        spec: object(n, "spec", |s| networking::NetworkPolicySpec {
            egress: items(s, "egress", |r| networking::NetworkPolicyEgressRule {
                ports: items(r, "ports", policy_port),
                to: items(r, "to", policy_peer),
            }),
            ingress: items(s, "ingress", |r| networking::NetworkPolicyIngressRule {
                from: items(r, "from", policy_peer),
                ports: items(r, "ports", policy_port),
            }),
            pod_selector: object(s, "podSelector", label_selector),
            policy_types: strings(s, "policyTypes"),
        }),
    }
}

fn ingress_backend(b: Option<&Node>) -> networking::IngressBackend {
    networking::IngressBackend {
        resource: object(b, "resource", |r| core::TypedLocalObjectReference {
            api_group: string(r, "apiGroup"),
            kind: req_string(r, "kind"),
            name: req_string(r, "name"),
        }),
        service: object(b, "service", |s| networking::IngressServiceBackend {
            name: req_string(s, "name"),
            port: object(s, "port", |p| networking::ServiceBackendPort {
                name: string(p, "name"),
                number: int(p, "number"),
            }),
        }),
    }
}

pub fn ingress(node: &Node) -> networking::Ingress {
    let n = Some(node);
    networking::Ingress {
        metadata: object_meta(n),
        spec: object(n, "spec", |s| networking::IngressSpec {
            default_backend: object(s, "defaultBackend", ingress_backend),
            ingress_class_name: string(s, "ingressClassName"),
            rules: items(s, "rules", |r| networking::IngressRule {
                host: string(r, "host"),
                http: object(r, "http", |h| networking::HTTPIngressRuleValue {
                    paths: items(h, "paths", |p| networking::HTTPIngressPath {
                        backend: object(p, "backend", ingress_backend).unwrap_or_default(),
                        path: string(p, "path"),
                        path_type: req_string(p, "pathType"),
                    })
                    .unwrap_or_default(),
                }),
            }),
            tls: items(s, "tls", |t| networking::IngressTLS {
                hosts: strings(t, "hosts"),
                secret_name: string(t, "secretName"),
            }),
        }),
        ..Default::default()
    }
}

pub fn ingress_class(node: &Node) -> networking::IngressClass {
    let n = Some(node);
    networking::IngressClass {
        metadata: object_meta(n),
        spec: object(n, "spec", |s| networking::IngressClassSpec {
            controller: string(s, "controller"),
            parameters: object(s, "parameters", |p| networking::IngressClassParametersReference {
                api_group: string(p, "apiGroup"),
                kind: req_string(p, "kind"),
                name: req_string(p, "name"),
                namespace: string(p, "namespace"),
                scope: string(p, "scope"),
            }),
        }),
    }
}
