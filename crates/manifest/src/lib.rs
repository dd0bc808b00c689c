//! YAML text -> `netsim::Scenario` + positioned diagnostics.
//!
//! Stages: [`yaml`] (text -> positioned tree; `explain` says its syntax errors in plain words),
//! [`convert`] (each document's `kind` and `apiVersion`, duplicates, the scenario), [`shape`]
//! (the document against the API schema: the generated table, or a CustomResourceDefinition's
//! schema through [`crd`]), [`kinds`] (one module per kind: its k8s-openapi object, its
//! conversion to the model's types with the API server's defaulting, its per-object
//! validation; [`names`] for name and label syntax) and [`validate`] (checks across objects).
//! [`load_and_build`] also builds the model's cluster and adds the warnings that need it
//! ([`policies`]: NetworkPolicy selectors, ports and DNS, judged by the model's own policy
//! evaluation). [`de`] is a strict serde deserializer over the positioned tree, for the
//! exercise files; [`problem`] holds what a check reports and the typo helpers.
//!
//! An object with an error is reported and left out of the scenario, as the API server would
//! refuse it; the rest load. Reading never fails as a whole and never panics. What was not used
//! is listed in [`Loaded::unused`]: nothing is dropped silently.
//!
//! What kubectl writes is read as it writes it: a `kind: List` (and the API server's typed
//! lists, `PodList`, `NetworkPolicyList`, …) is read item by item, each item an object with
//! positions inside the list; a file named `*.json` is JSON (which is YAML), its syntax judged
//! by JSON's grammar and its errors said in JSON's words. How much is read is a parameter,
//! [`Limits`]: the browser's default and the command line's, for cluster dumps.

pub mod convert;
pub mod crd;
pub mod de;
mod diagnostic;
mod explain;
mod fields;
#[cfg(feature = "gateway-api")]
pub mod gateway_schema;
pub mod kinds;
mod lines;
pub mod names;
mod object;
mod placement;
pub mod plug;
pub mod policies;
#[cfg(feature = "gateway-api")]
pub mod policy_schema;
pub mod problem;
mod reading;
pub mod shape;
mod tree;
pub mod validate;
pub mod yaml;

pub use diagnostic::{Diagnostic, Severity};
use lines::floor_char;
pub use lines::{line_col, LineIndex};
pub use reading::{Limits, Unused, UnusedStatus, MAX_OBJECTS};

/// A named file of YAML text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

/// What [`load`] read: the scenario (objects without errors), every diagnostic, and what was
/// not used.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Loaded {
    pub scenario: netsim::Scenario,
    pub diagnostics: Vec<Diagnostic>,
    /// Every object (or part of a file) the scenario does not hold, and every object of a
    /// networking kind kept with a warning of its own, in reading order.
    pub unused: Vec<Unused>,
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

/// Reads and validates every file with the browser's [`Limits`]; diagnostics are sorted by
/// file, then position.
pub fn load(files: &[SourceFile], topology: &netsim::Topology) -> Loaded {
    load_with(files, topology, &Limits::default())
}

/// [`load`] with other limits.
pub fn load_with(files: &[SourceFile], topology: &netsim::Topology, limits: &Limits) -> Loaded {
    let (mut loaded, _) = read(files, topology, limits, None);
    tidy(files, &mut loaded.diagnostics);
    loaded
}

/// [`load`], then builds the cluster and adds the warnings that need it (see [`policies`]).
/// The cluster is the one `netsim::Cluster::build` makes from the loaded scenario.
pub fn load_and_build(files: &[SourceFile], topology: &netsim::Topology) -> (Loaded, netsim::Cluster) {
    load_and_build_with(files, topology, &Limits::default())
}

/// [`load_and_build`] with other limits.
pub fn load_and_build_with(
    files: &[SourceFile],
    topology: &netsim::Topology,
    limits: &Limits,
) -> (Loaded, netsim::Cluster) {
    build(files, topology, limits, None)
}

/// [`load_and_build`] after an edit: what `parses` kept of the last reading of each file that
/// the edit left as it was is reused (see [`yaml::Parses`]); the answer is the same.
pub fn load_and_build_again(
    files: &[SourceFile],
    topology: &netsim::Topology,
    parses: &mut yaml::Parses,
) -> (Loaded, netsim::Cluster) {
    parses.keep_only(|name| files.iter().any(|f| f.name == name));
    build(files, topology, &Limits::default(), Some(parses))
}

fn build(
    files: &[SourceFile],
    topology: &netsim::Topology,
    limits: &Limits,
    parses: Option<&mut yaml::Parses>,
) -> (Loaded, netsim::Cluster) {
    let (mut loaded, spans) = read(files, topology, limits, parses);
    let cluster = netsim::Cluster::build(&loaded.scenario, topology);
    policies::check(&cluster, &spans, &mut loaded.diagnostics);
    let text = |name: &str| files.iter().find(|f| f.name == name).map(|f| f.text.as_str());
    placement::check(&cluster, text, &mut loaded.diagnostics);
    tidy(files, &mut loaded.diagnostics);
    (loaded, cluster)
}

fn read(
    files: &[SourceFile],
    topology: &netsim::Topology,
    limits: &Limits,
    mut parses: Option<&mut yaml::Parses>,
) -> (Loaded, Vec<policies::PolicySpans>) {
    let mut diagnostics = Vec::new();
    let mut reader = convert::Reader::with_limit(topology, limits.max_objects, limits.warn_unknown_fields);
    for file in files {
        if reader.exhausted() {
            break; // `too-many-objects` said where; the rest is not read.
        }
        let first = diagnostics.len();
        let read_whole;
        let docs = match parses.as_deref_mut() {
            Some(p) => p.parse(&file.name, &file.text, limits.max_file_bytes, &mut diagnostics),
            None => {
                read_whole =
                    yaml::parse_with(&file.name, &file.text, limits.max_file_bytes, &mut diagnostics);
                &read_whole
            }
        };
        reader.unreadable(&file.name, docs, &diagnostics[first..]);
        // Built for the first document read: a file whose only document is broken needs none.
        let mut lines = None;
        for doc in docs {
            if !doc.broken {
                let lines = lines.get_or_insert_with(|| LineIndex::new(&file.text));
                reader.document(&file.name, lines, doc, &mut diagnostics);
            }
        }
    }
    let (scenario, spans, mut unused) = reader.finish_with_spans(&mut diagnostics);
    // In reading order: by file as given, then place (Services refused across objects are
    // found last).
    let order = |name: &str| files.iter().position(|f| f.name == name);
    sorted::sort_by(&mut unused, |a, b| (order(&a.file), a.start).cmp(&(order(&b.file), b.start)));
    (Loaded { scenario, diagnostics, unused }, spans)
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
