//! YAML text -> `netsim::Scenario` + positioned diagnostics.
//!
//! Stages: [`yaml`] (text -> positioned tree; `explain` says its syntax errors in plain words), [`de`] (tree -> k8s-openapi objects, strictly),
//! [`convert`] (API objects -> model types, with the API server's defaulting and per-object
//! validation) and [`validate`] (name and label rules; checks across objects). [`load_and_build`]
//! also builds the model's cluster and adds the warnings that need it ([`policies`]:
//! NetworkPolicy selectors, ports and DNS, judged by the model's own policy evaluation).
//!
//! An object with an error is reported and left out of the scenario, as the API server would
//! refuse it; the rest load. Reading never fails as a whole and never panics.

pub mod convert;
pub mod de;
mod explain;
pub mod kinds;
pub mod names;
mod object;
pub mod policies;
pub mod problem;
pub mod shape;
pub mod validate;
pub mod yaml;

/// A named file of YAML text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

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

/// What [`load`] read: the scenario (objects without errors) and every diagnostic.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Loaded {
    pub scenario: netsim::Scenario,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}

/// A file's bytes as text. Kubernetes manifests are UTF-8 (YAML 1.2 also allows UTF-16 and
/// UTF-32, which kubectl does not read); other bytes are refused with a diagnostic at the first
/// bad byte, positioned in the text before it, and nothing is guessed.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<SourceFile, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile { name: name.to_string(), text }),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let bad: Vec<String> = bytes[at..].iter().take(4).map(|b| format!("0x{b:02x}")).collect();
            let before = String::from_utf8_lossy(&bytes[..at]);
            let (line, col) = line_col(&before, at);
            Err(Diagnostic {
                severity: Severity::Error,
                code: "not-utf8",
                message: format!(
                    "not UTF-8 text: byte {at} (line {line}, column {col}) is {}, which is not UTF-8",
                    bad.join(" ")
                ),
                file: name.to_string(),
                start: at,
                end: at,
                hints: vec!["save the file as UTF-8 (Kubernetes manifests are UTF-8)".into()],
            })
        }
    }
}

/// Reads and validates every file; diagnostics are sorted by file, then position.
pub fn load(files: &[SourceFile], topology: &netsim::Topology) -> Loaded {
    let (mut loaded, _) = read(files, topology);
    tidy(files, &mut loaded.diagnostics);
    loaded
}

/// [`load`], then builds the cluster and adds the warnings that need it (see [`policies`]).
/// The cluster is the one `netsim::Cluster::build` makes from the loaded scenario.
pub fn load_and_build(files: &[SourceFile], topology: &netsim::Topology) -> (Loaded, netsim::Cluster) {
    let (mut loaded, spans) = read(files, topology);
    let cluster = netsim::Cluster::build(&loaded.scenario, topology);
    policies::check(&cluster, &spans, &mut loaded.diagnostics);
    tidy(files, &mut loaded.diagnostics);
    (loaded, cluster)
}

fn read(files: &[SourceFile], topology: &netsim::Topology) -> (Loaded, Vec<policies::PolicySpans>) {
    let mut diagnostics = Vec::new();
    let mut reader = convert::Reader::new(topology);
    for file in files {
        let docs = yaml::parse(&file.name, &file.text, &mut diagnostics);
        for doc in &docs {
            if !doc.broken {
                reader.document(&file.name, &file.text, doc, &mut diagnostics);
            }
        }
    }
    let (scenario, spans) = reader.finish_with_spans(&mut diagnostics);
    (Loaded { scenario, diagnostics }, spans)
}

/// Clamps every range to char boundaries, whatever a stage computed, and sorts by file and
/// position.
fn tidy(files: &[SourceFile], diagnostics: &mut Vec<Diagnostic>) {
    for d in diagnostics.iter_mut() {
        if let Some(f) = files.iter().find(|f| f.name == d.file) {
            d.start = floor_char(&f.text, d.start);
            d.end = floor_char(&f.text, d.end.max(d.start));
        }
    }
    sorted::sort_by(diagnostics, |a, b| {
        (&a.file, a.start, a.end, a.code).cmp(&(&b.file, b.start, b.end, b.code))
    });
    diagnostics.dedup();
}

fn floor_char(text: &str, mut byte: usize) -> usize {
    byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    byte
}

/// Positions in one text, for many lookups: the start of every line is found once, so each
/// lookup costs a binary search and the length of one line, not the length of the text before
/// it. (Turning every diagnostic of a 5,000-object file into a line and column by counting
/// from the start is quadratic: seconds, on every keystroke, in the browser.)
pub struct LineIndex<'t> {
    text: &'t str,
    /// Byte offset of each line's first byte.
    starts: Vec<usize>,
    /// UTF-16 offset of each line's first byte (the editor counts in UTF-16 units).
    utf16_starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> LineIndex<'t> {
        let mut starts = vec![0];
        let mut utf16_starts = vec![0];
        let mut utf16 = 0;
        for (i, c) in text.char_indices() {
            utf16 += c.len_utf16();
            if c == '\n' {
                starts.push(i + 1);
                utf16_starts.push(utf16);
            }
        }
        LineIndex { text, starts, utf16_starts }
    }

    /// The 0-based index of the line holding `byte` (a char boundary).
    fn line_of(&self, byte: usize) -> usize {
        self.starts.partition_point(|&s| s <= byte).saturating_sub(1)
    }

    /// The same as [`line_col`]: 1-based line and column in characters, clamped.
    pub fn line_col(&self, byte: usize) -> (usize, usize) {
        let byte = floor_char(self.text, byte);
        let line = self.line_of(byte);
        let start = self.starts[line];
        let mut col = self.text[start..byte].chars().count() + 1;
        if line == 0 && self.text[..byte].starts_with('\u{feff}') {
            col -= 1;
        }
        (line + 1, col)
    }

    /// The UTF-16 offset of a byte offset (clamped to the text and to a char boundary).
    pub fn utf16(&self, byte: usize) -> usize {
        let byte = floor_char(self.text, byte);
        let line = self.line_of(byte);
        self.utf16_starts[line] + self.text[self.starts[line]..byte].encode_utf16().count()
    }
}

/// 1-based line and column (in characters) of a byte offset; offsets past the end or inside
/// a character are clamped.
pub fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let byte = floor_char(text, byte);
    let before = &text[..byte];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let mut col = before[line_start..].chars().count() + 1;
    // A byte-order mark is not a column.
    if line == 1 && before.starts_with('\u{feff}') {
        col -= 1;
    }
    (line, col)
}
