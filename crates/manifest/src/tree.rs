//! The positioned tree [`crate::yaml`] reads YAML into: every node keeps its byte range.

/// Collections nested deeper than this are refused.
pub const MAX_DEPTH: usize = 128;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    /// Byte range in the file text.
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    /// The text after unquoting and escapes.
    pub text: String,
    /// Plain scalars are resolved; quoted and block scalars are always strings.
    pub plain: bool,
    pub resolved: Resolved,
}

/// What a scalar means, after resolution.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str,
}

impl Node {
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a string scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) if s.resolved == Resolved::Str => Some(&s.text),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar(s) if s.resolved == Resolved::Null)
    }

    /// The first entry with this key.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.key.as_scalar().is_some_and(|s| s.text == key))
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// How to name this node's type in a message: `the string "eighty"`, `a mapping`.
    pub fn describe(&self) -> String {
        match &self.value {
            Value::Seq(_) => "a list".to_string(),
            Value::Map(_) => "a mapping".to_string(),
            Value::Scalar(s) => match s.resolved {
                Resolved::Null => "null".to_string(),
                Resolved::Bool(b) => format!("the boolean `{}`", s.text_or(b)),
                Resolved::Int(_) | Resolved::Float(_) => format!("the number {}", s.text),
                Resolved::Str => format!("the string {:?}", s.text),
            },
        }
    }

    /// Moves the node and everything in it by `by` bytes (its text moved in the file).
    pub(crate) fn shift(&mut self, by: isize) {
        self.start = self.start.wrapping_add_signed(by);
        self.end = self.end.wrapping_add_signed(by);
        match &mut self.value {
            Value::Scalar(_) => {}
            Value::Seq(items) => items.iter_mut().for_each(|n| n.shift(by)),
            Value::Map(entries) => entries.iter_mut().for_each(|e| {
                e.key.shift(by);
                e.value.shift(by);
            }),
        }
    }

    pub(crate) fn count(&self) -> usize {
        match &self.value {
            Value::Scalar(_) => 1,
            Value::Seq(items) => 1 + items.iter().map(Node::count).sum::<usize>(),
            Value::Map(entries) => 1 + entries.iter().map(|e| e.key.count() + e.value.count()).sum::<usize>(),
        }
    }
}

impl Scalar {
    fn text_or(&self, b: bool) -> String {
        if self.text.is_empty() {
            b.to_string()
        } else {
            self.text.clone()
        }
    }
}

/// One document of a stream: its root node and its byte range.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub root: Node,
    pub start: usize,
    pub end: usize,
    /// Set when the document had errors that make its content untrustworthy (it is skipped).
    pub broken: bool,
}

impl Document {
    /// Moves the document by `by` bytes (see [`Node::shift`]).
    pub(crate) fn shift(&mut self, by: isize) {
        self.start = self.start.wrapping_add_signed(by);
        self.end = self.end.wrapping_add_signed(by);
        self.root.shift(by);
    }
}

impl Resolved {
    pub(crate) fn as_int(self) -> Option<i64> {
        match self {
            Resolved::Int(i) => Some(i),
            _ => None,
        }
    }
}
