//! What reading reports: a [`Diagnostic`] of some [`Severity`] at a byte range of a named file.

/// How serious a [`Diagnostic`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One finding, pointing at a byte range of a named file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable, kebab-case: `unknown-field`, `node-port-range`, `selector-matches-nothing`.
    pub code: &'static str,
    pub message: String,
    pub file: String,
    /// Byte range in the file's text; always on char boundaries.
    pub start: usize,
    pub end: usize,
    pub hints: Vec<String>,
}
