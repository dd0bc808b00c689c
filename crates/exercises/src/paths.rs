//! Where a load error goes: a path into the exercise file's YAML tree ([`Seg`]), its byte
//! range ([`span`]), and [`Errors`], which gathers the positioned diagnostics.

use manifest::yaml::{Node, Value};
use manifest::{Diagnostic, Severity};

/// One step of a path into the YAML tree.
#[derive(Clone, Copy)]
pub(crate) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// The byte range of the node at `path`, or of its deepest existing ancestor.
pub(crate) fn span(root: &Node, path: &[Seg]) -> (usize, usize) {
    let mut node = root;
    for seg in path {
        let next = match (seg, &node.value) {
            (Seg::Key(k), Value::Map(_)) => node.get(k),
            (Seg::Index(i), Value::Seq(items)) => items.get(*i),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => break,
        }
    }
    (node.start, node.end)
}

pub(crate) fn error(file: &str, span: (usize, usize), code: &'static str, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        code,
        message,
        file: file.to_string(),
        start: span.0,
        end: span.1,
        hints: vec![],
    }
}

/// The errors found in one exercise file, each at the node of its path.
pub(crate) struct Errors<'a> {
    file: &'a str,
    root: &'a Node,
    pub(crate) found: Vec<Diagnostic>,
}

impl<'a> Errors<'a> {
    pub(crate) fn new(file: &'a str, root: &'a Node) -> Errors<'a> {
        Errors { file, root, found: Vec::new() }
    }

    /// An empty list for the same file, to be [`Errors::append`]ed later.
    pub(crate) fn another(&self) -> Errors<'a> {
        Errors::new(self.file, self.root)
    }

    pub(crate) fn append(&mut self, other: Errors<'_>) {
        self.found.extend(other.found);
    }

    pub(crate) fn file(&self) -> &'a str {
        self.file
    }

    pub(crate) fn span(&self, path: &[Seg]) -> (usize, usize) {
        span(self.root, path)
    }

    pub(crate) fn at(&mut self, path: &[Seg], code: &'static str, message: String) {
        self.found.push(error(self.file, span(self.root, path), code, message));
    }
}
