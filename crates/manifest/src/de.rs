//! A strict serde `Deserializer` over the positioned YAML tree.
//!
//! k8s-openapi's `Deserialize` impls call `deserialize_struct(name, FIELDS, visitor)` and read
//! an unknown key's value as `IgnoredAny`. This deserializer remembers the field list of each
//! struct, so when a struct field is read through `deserialize_ignored_any` the key was
//! unknown: it records `unknown-field` (naming the closest valid field) and carries on.
//!
//! A type error aborts serde's visit of the object. To still report every type error of an
//! object, [`from_node`] masks the offending value (as if it were absent) and reads the
//! object again, up to a limit; the object is then skipped, since it had errors. The unknown
//! keys every reading met are kept, and a mistake is said once: a masked value is not also a
//! missing field, and a required field missing where an unknown key stands is said at the key.
//!
//! A field of type [`Raw`] is not read: it keeps its node and path, to be read later with
//! [`from_node_at`] (the code that knows its type may not be there yet: a wasm module of its
//! own in the browser).

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Visitor};

use crate::problem::{child_path, closest, path_or_top, Problem};
use crate::tree::{Node, Resolved, Value};

#[derive(Debug)]
enum Kind {
    InvalidType { expected: String, found: String, hint: Option<String> },
    MissingField(&'static str),
    Custom(String),
}

/// The serde error: what went wrong and, once known, where.
#[derive(Debug)]
pub struct Error {
    kind: Kind,
    at: Option<(usize, usize, String)>,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::InvalidType { expected, found, .. } => write!(f, "expected {expected}, found {found}"),
            Kind::MissingField(name) => write!(f, "missing field `{name}`"),
            Kind::Custom(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error { kind: Kind::Custom(msg.to_string()), at: None }
    }

    fn invalid_type(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        Error {
            kind: Kind::InvalidType {
                expected: expected_name(&exp.to_string()),
                found: unexp.to_string(),
                hint: None,
            },
            at: None,
        }
    }

    fn missing_field(field: &'static str) -> Self {
        Error { kind: Kind::MissingField(field), at: None }
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        let list: Vec<String> = expected.iter().map(|v| format!("`{v}`")).collect();
        let hint = match closest(variant, expected.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("use one of {}", list.join(", ")),
        };
        Error {
            kind: Kind::InvalidType {
                expected: format!("one of {}", list.join(", ")),
                found: format!("`{variant}`"),
                hint: Some(hint),
            },
            at: None,
        }
    }
}

/// Turns serde's and k8s-openapi's `expecting` texts into plain words.
fn expected_name(exp: &str) -> String {
    match exp {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "an integer" => "an integer".into(),
        "a boolean" | "bool" => "a boolean (`true` or `false`)".into(),
        "a string" | "string" => "a string".into(),
        "a sequence" => "a list".into(),
        "a map" => "a mapping".into(),
        other if other.chars().next().is_some_and(|c| c.is_ascii_uppercase()) => {
            format!("a mapping ({other})")
        }
        other => other.to_string(),
    }
}

struct Ctx {
    masked: BTreeSet<String>,
    /// The unknown keys met: each under the path of its mapping, with the closest valid field.
    unknown: RefCell<Vec<Unknown>>,
}

#[derive(PartialEq)]
struct Unknown {
    parent: String,
    key: String,
    closest: Option<&'static str>,
    problem: Problem,
}

/// The name under which [`Raw`] asks this deserializer for its node.
const RAW: &str = "$manifest::de::Raw";

thread_local! {
    /// The node a [`Raw`] is being read from, handed over by `deserialize_newtype_struct`.
    static TAKEN: RefCell<Option<Raw>> = const { RefCell::new(None) };
}

/// A value kept unread: its positioned node and its path in the document (`checks[2].gateway`),
/// for [`from_node_at`]. Only this crate's deserializer can fill one.
#[derive(Clone, Debug, PartialEq)]
pub struct Raw {
    pub node: Node,
    pub path: String,
}

impl<'de> de::Deserialize<'de> for Raw {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Raw, D::Error> {
        struct Taken;
        impl<'de> Visitor<'de> for Taken {
            type Value = Raw;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value of a YAML document")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
                TAKEN.with(|t| t.borrow_mut().take()).ok_or_else(|| E::custom("a value of a YAML document"))
            }
        }
        deserializer.deserialize_newtype_struct(RAW, Taken)
    }
}

/// Reads a `T` from `node`; every problem found is returned, and `None` when any was an error
/// that made the value unusable (type errors, missing fields). One problem per mistake: a
/// required field whose value was wrong is not also missing, and a required field missing
/// where an unknown key stands (`src:` for `from:`) is said once, at the key, which names it.
pub fn from_node<T: DeserializeOwned>(node: &Node) -> (Option<T>, Vec<Problem>) {
    from_node_at(node, "")
}

/// [`from_node`] of a node at `path` in its document (a [`Raw`]'s), which problems name.
pub fn from_node_at<T: DeserializeOwned>(node: &Node, at: &str) -> (Option<T>, Vec<Problem>) {
    let mut fatal: Vec<Problem> = Vec::new();
    let mut failed = false;
    let mut value = None;
    // From every reading, once each: a reading that fails still met the keys before the error.
    let mut unknown: Vec<Unknown> = Vec::new();
    let mut masked = BTreeSet::new();
    for _ in 0..32 {
        let ctx = Ctx { masked: masked.clone(), unknown: RefCell::new(Vec::new()) };
        let result = T::deserialize(NodeDe { node, path: at.to_string(), ctx: &ctx, field_of: None });
        for u in ctx.unknown.into_inner() {
            if !unknown.contains(&u) {
                unknown.push(u);
            }
        }
        let e = match result {
            Ok(v) => {
                value = Some(v);
                break;
            }
            Err(e) => e,
        };
        failed = true;
        let (start, end, path) = e.at.clone().unwrap_or((node.start, node.end, String::new()));
        let again = !path.is_empty() && masked.insert(path.clone());
        match e.kind {
            // Its value was masked for an error already said.
            Kind::MissingField(name) if masked.contains(&child_path(&path, name)) => {}
            Kind::MissingField(name) if said_at_unknown_key(&mut unknown, &path, name) => {}
            _ => fatal.push(problem_of(e, start, end, &path)),
        }
        if !again {
            break;
        }
    }
    fatal.extend(unknown.into_iter().map(|u| u.problem));
    (value.filter(|_| !failed), fatal)
}

/// A required field `name` missing from the mapping at `path`, where an unknown key stands
/// that is likely its misspelling: the key's problem names it (when it named no other field),
/// and `true` when it does.
fn said_at_unknown_key(unknown: &mut [Unknown], path: &str, name: &'static str) -> bool {
    let candidate = unknown
        .iter_mut()
        .filter(|u| u.parent == path && u.closest.is_none_or(|c| c == name))
        .min_by_key(|u| crate::problem::edit_distance(&u.key, name));
    let Some(u) = candidate else { return false };
    if u.closest.is_none() {
        u.closest = Some(name);
        u.problem.hints = vec![format!("did you mean `{name}`? it is required, and missing here")];
    }
    true
}

fn problem_of(e: Error, start: usize, end: usize, path: &str) -> Problem {
    match e.kind {
        Kind::InvalidType { expected, found, hint } => Problem {
            code: "invalid-type",
            message: format!("expected {expected} for {}, found {found}", path_or_top(path)),
            start,
            end,
            hints: hint.into_iter().collect(),
        },
        Kind::MissingField(name) => Problem {
            code: "missing-field",
            message: format!("missing required field `{}`", child_path(path, name)),
            start,
            end,
            hints: vec![],
        },
        Kind::Custom(m) => Problem {
            code: "invalid-value",
            message: format!("invalid value for {}: {m}", path_or_top(path)),
            start,
            end,
            hints: vec![],
        },
    }
}

#[derive(Clone, Copy)]
struct FieldOf<'a> {
    key: &'a Node,
    fields: &'static [&'static str],
    parent: &'a str,
}

struct NodeDe<'a> {
    node: &'a Node,
    path: String,
    ctx: &'a Ctx,
    /// Set when this node is the value of a key in a struct (for unknown-field detection).
    field_of: Option<FieldOf<'a>>,
}

impl NodeDe<'_> {
    fn locate(&self, mut e: Error) -> Error {
        if e.at.is_none() {
            e.at = Some((self.node.start, self.node.end, self.path.clone()));
        }
        e
    }

    fn type_error(&self, expected: &str) -> Error {
        let hint = type_hint(self.node, expected);
        self.locate(Error {
            kind: Kind::InvalidType { expected: expected.to_string(), found: self.node.describe(), hint },
            at: None,
        })
    }

    fn resolved(&self) -> Option<(Resolved, &str)> {
        match &self.node.value {
            Value::Scalar(s) => Some((s.resolved, s.text.as_str())),
            _ => None,
        }
    }

    fn visit_int<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let r = match self.resolved() {
            Some((Resolved::Int(i), _)) => visitor.visit_i64(i),
            Some((Resolved::Null, _)) => visitor.visit_i64(0),
            _ => return Err(self.type_error("an integer")),
        };
        r.map_err(|e| self.locate(e))
    }
}

/// What to change when `node` is not the `expected` type: quote a plain scalar that should be
/// a string, unquote a number that should be an integer.
pub(crate) fn type_hint(node: &Node, expected: &str) -> Option<String> {
    match &node.value {
        Value::Scalar(s) if s.plain && expected == "a string" && s.resolved != Resolved::Null => {
            Some(format!("quote it to make it a string: \"{}\"", s.text))
        }
        Value::Scalar(s)
            if expected == "an integer" && s.resolved == Resolved::Str && s.text.parse::<i64>().is_ok() =>
        {
            Some(format!("remove the quotes to make it a number: {}", s.text))
        }
        // `app:web`: without a space after the `:`, YAML reads one string.
        Value::Scalar(s) if s.plain && expected == "a mapping" && s.resolved == Resolved::Str => {
            let (key, value) =
                s.text.split_once(':').filter(|(k, v)| !k.is_empty() && !v.starts_with(' '))?;
            Some(format!("put a space after `:` to make a key and its value: `{key}: {value}`"))
        }
        Value::Map(entries) if expected == "a list" => {
            let key = entries.first().and_then(|e| e.key.as_scalar()).map_or("", |k| k.text.as_str());
            Some(format!("start each item with `- `, as in `- {key}: …`"))
        }
        _ => None,
    }
}

macro_rules! ints {
    ($($m:ident)*) => {$(
        fn $m<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.visit_int(visitor)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for NodeDe<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let r = match &self.node.value {
            Value::Scalar(s) => match s.resolved {
                Resolved::Null => visitor.visit_unit(),
                Resolved::Bool(b) => visitor.visit_bool(b),
                Resolved::Int(i) => visitor.visit_i64(i),
                Resolved::Float(f) => visitor.visit_f64(f),
                Resolved::Str => visitor.visit_str(&s.text),
            },
            Value::Seq(_) => return self.deserialize_seq(visitor),
            Value::Map(_) => return self.deserialize_map(visitor),
        };
        r.map_err(|e| self.locate(e))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let r = match self.resolved() {
            Some((Resolved::Bool(b), _)) => visitor.visit_bool(b),
            Some((Resolved::Null, _)) => visitor.visit_bool(false),
            _ => return Err(self.type_error("a boolean (`true` or `false`)")),
        };
        r.map_err(|e| self.locate(e))
    }

    ints!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64);

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let r = match self.resolved() {
            Some((Resolved::Int(i), _)) => visitor.visit_f64(i as f64),
            Some((Resolved::Float(f), _)) => visitor.visit_f64(f),
            _ => return Err(self.type_error("a number")),
        };
        r.map_err(|e| self.locate(e))
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let r = match self.resolved() {
            Some((Resolved::Str, text)) => visitor.visit_str(text),
            // JSON null leaves a Go string empty.
            Some((Resolved::Null, _)) => visitor.visit_str(""),
            _ => return Err(self.type_error("a string")),
        };
        r.map_err(|e| self.locate(e))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.node.is_null() {
            visitor.visit_none().map_err(|e| self.locate(e))
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.node.is_null() {
            visitor.visit_unit().map_err(|e| self.locate(e))
        } else {
            Err(self.type_error("null"))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        if name == RAW {
            TAKEN.with(|t| *t.borrow_mut() = Some(Raw { node: self.node.clone(), path: self.path.clone() }));
            return visitor.visit_unit();
        }
        let (node, path, ctx) = (self.node, self.path.clone(), self.ctx);
        visitor.visit_newtype_struct(NodeDe { node, path: path.clone(), ctx, field_of: None }).map_err(
            |mut e| {
                if e.at.is_none() {
                    e.at = Some((node.start, node.end, path));
                }
                e
            },
        )
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        static EMPTY: Vec<Node> = Vec::new();
        let items: &[Node] = match &self.node.value {
            Value::Seq(items) => items,
            // JSON null leaves a Go slice nil.
            Value::Scalar(s) if s.resolved == Resolved::Null => &EMPTY,
            _ => return Err(self.type_error("a list")),
        };
        let acc = SeqAcc { items, index: 0, path: &self.path, ctx: self.ctx };
        visitor.visit_seq(acc).map_err(|e| self.locate(e))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.map_with(visitor, None)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.map_with(visitor, Some(fields))
    }

    /// Externally tagged enums, as serde writes them in YAML: a unit variant is its name
    /// (`expect: delivered`), any other variant a mapping with one key (`request: {...}`).
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (key, value) = match &self.node.value {
            Value::Scalar(s) if s.resolved != Resolved::Null => (self.node, None),
            Value::Map(entries) if entries.len() == 1 => (&entries[0].key, Some(&entries[0].value)),
            _ => {
                let list: Vec<String> = variants.iter().map(|v| format!("`{v}`")).collect();
                return Err(self.type_error(&format!("one of {}", list.join(", "))));
            }
        };
        let acc = EnumAcc { key, value, path: &self.path, ctx: self.ctx };
        visitor.visit_enum(acc).map_err(|e| self.locate(e))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if let Some(f) = self.field_of {
            let name = f.key.as_scalar().map(|s| s.text.as_str()).unwrap_or("");
            let mut hints = Vec::new();
            let best = closest(name, f.fields.iter().copied());
            if let Some(best) = best {
                hints.push(format!("did you mean `{best}`?"));
            } else {
                let mut list: Vec<&str> = f.fields.to_vec();
                sorted::sort(&mut list);
                hints.push(format!("valid fields here: {}", list.join(", ")));
            }
            let problem = Problem {
                code: "unknown-field",
                message: format!("unknown field `{name}` in {}", path_or_top(f.parent)),
                start: f.key.start,
                end: f.key.end,
                hints,
            };
            self.ctx.unknown.borrow_mut().push(Unknown {
                parent: f.parent.to_string(),
                key: name.to_string(),
                closest: best,
                problem,
            });
        }
        visitor.visit_unit()
    }
}

impl NodeDe<'_> {
    fn map_with<'de, V: Visitor<'de>>(
        self,
        visitor: V,
        fields: Option<&'static [&'static str]>,
    ) -> Result<V::Value, Error> {
        static EMPTY: Vec<crate::tree::Entry> = Vec::new();
        let entries: &[crate::tree::Entry] = match &self.node.value {
            Value::Map(entries) => entries,
            Value::Scalar(s) if s.resolved == Resolved::Null => &EMPTY,
            _ => return Err(self.type_error("a mapping")),
        };
        let acc = MapAcc { entries, index: 0, path: &self.path, ctx: self.ctx, fields, current: None };
        visitor.visit_map(acc).map_err(|e| self.locate(e))
    }
}

struct SeqAcc<'a> {
    items: &'a [Node],
    index: usize,
    path: &'a str,
    ctx: &'a Ctx,
}

impl<'de> de::SeqAccess<'de> for SeqAcc<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        while let Some(item) = self.items.get(self.index) {
            let path = format!("{}[{}]", self.path, self.index);
            self.index += 1;
            if self.ctx.masked.contains(&path) {
                continue;
            }
            return seed.deserialize(NodeDe { node: item, path, ctx: self.ctx, field_of: None }).map(Some);
        }
        Ok(None)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len().saturating_sub(self.index))
    }
}

struct MapAcc<'a> {
    entries: &'a [crate::tree::Entry],
    index: usize,
    path: &'a str,
    ctx: &'a Ctx,
    fields: Option<&'static [&'static str]>,
    current: Option<(&'a crate::tree::Entry, String)>,
}

impl<'de> de::MapAccess<'de> for MapAcc<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        while let Some(entry) = self.entries.get(self.index) {
            self.index += 1;
            let key = entry.key.as_scalar().map(|s| s.text.as_str()).unwrap_or("");
            let path = child_path(self.path, key);
            if self.ctx.masked.contains(&path) {
                continue;
            }
            self.current = Some((entry, path));
            return seed.deserialize(KeyDe { node: &entry.key, path: self.path }).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((entry, path)) = self.current.take() else {
            return Err(de::Error::custom("value without a key"));
        };
        let field_of = self.fields.map(|fields| FieldOf { key: &entry.key, fields, parent: self.path });
        seed.deserialize(NodeDe { node: &entry.value, path, ctx: self.ctx, field_of })
    }
}

struct EnumAcc<'a> {
    key: &'a Node,
    value: Option<&'a Node>,
    path: &'a str,
    ctx: &'a Ctx,
}

impl<'de, 'a> de::EnumAccess<'de> for EnumAcc<'a> {
    type Error = Error;
    type Variant = VariantAcc<'a>;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, VariantAcc<'a>), Error> {
        let variant = seed.deserialize(KeyDe { node: self.key, path: self.path })?;
        let name = self.key.as_scalar().map(|s| s.text.clone()).unwrap_or_default();
        let path = child_path(self.path, &name);
        Ok((variant, VariantAcc { key: self.key, value: self.value, path, ctx: self.ctx }))
    }
}

struct VariantAcc<'a> {
    key: &'a Node,
    value: Option<&'a Node>,
    path: String,
    ctx: &'a Ctx,
}

impl VariantAcc<'_> {
    fn value_de(&self, expected: &str) -> Result<NodeDe<'_>, Error> {
        match self.value {
            Some(node) => Ok(NodeDe { node, path: self.path.clone(), ctx: self.ctx, field_of: None }),
            None => Err(Error {
                kind: Kind::InvalidType {
                    expected: expected.to_string(),
                    found: "a bare name".to_string(),
                    hint: None,
                },
                at: Some((self.key.start, self.key.end, self.path.clone())),
            }),
        }
    }
}

impl<'de> de::VariantAccess<'de> for VariantAcc<'_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.value {
            None => Ok(()),
            Some(node) if node.is_null() => Ok(()),
            Some(node) => Err(Error {
                kind: Kind::InvalidType { expected: "nothing".into(), found: node.describe(), hint: None },
                at: Some((node.start, node.end, self.path.clone())),
            }),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self.value_de("a value")?)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self.value_de("a list")?, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.value_de("a mapping")?.map_with(visitor, Some(fields))
    }
}

/// Keys are read as strings whatever they resolve to (`80: x` has the key "80"), as
/// sigs.k8s.io/yaml does when it turns YAML into JSON.
struct KeyDe<'a> {
    node: &'a Node,
    path: &'a str,
}

impl<'de> de::Deserializer<'de> for KeyDe<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let text = self.node.as_scalar().map(|s| s.text.as_str()).unwrap_or("");
        visitor.visit_str(text).map_err(|mut e: Error| {
            e.at = Some((self.node.start, self.node.end, self.path.to_string()));
            e
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}
