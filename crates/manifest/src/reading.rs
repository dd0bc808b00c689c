//! What a reading takes in ([`Limits`]) and what it did not use ([`Unused`]).

use crate::yaml;

/// How much one reading takes in. The browser reads a learner's files with
/// [`Limits::default`]; the command line reads cluster dumps (`kubectl get -A -o yaml` of
/// 10,000 pods is about 50 MB) with [`Limits::command_line`]. The other budgets hold for both:
/// 10,000 documents per file ([`yaml::MAX_DOCUMENTS`]), nesting ([`yaml::MAX_DEPTH`]) and
/// alias expansion ([`yaml::MAX_NODES`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Larger files are refused before parsing (`file-too-large`).
    pub max_file_bytes: usize,
    /// Objects per reading, in every file: documents and list items (`too-many-objects` at the
    /// first one over; the rest is not read).
    pub max_objects: usize,
    /// A field the schema does not know: an error that refuses the object (`false`, as
    /// `kubectl apply` with strict field validation), or a warning, the object kept without it
    /// (`true`, as the API server's `fieldValidation=Warn`).
    pub warn_unknown_fields: bool,
}

impl Default for Limits {
    /// The browser's: 2 MiB per file ([`yaml::MAX_FILE_BYTES`]), 200,000 objects.
    fn default() -> Limits {
        Limits { max_file_bytes: yaml::MAX_FILE_BYTES, max_objects: MAX_OBJECTS, warn_unknown_fields: false }
    }
}

impl Limits {
    /// The command line's: 256 MiB per file, 200,000 objects.
    pub fn command_line() -> Limits {
        Limits { max_file_bytes: 256 * 1024 * 1024, max_objects: MAX_OBJECTS, warn_unknown_fields: false }
    }
}

/// Objects per reading, by default.
pub const MAX_OBJECTS: usize = 200_000;

/// An object the scenario does not hold as written, or a part of a file that was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unused {
    pub file: String,
    /// The object's byte range (a document, or an item of a list); for a part of a file, where
    /// reading stopped.
    pub start: usize,
    pub end: usize,
    /// As written; empty when the document has none or could not be read.
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// Why, in a sentence: the first error (or, for [`UnusedStatus::Kept`], warning) of the object.
    pub why: String,
    pub status: UnusedStatus,
}

/// How an object was not used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnusedStatus {
    /// A kind that cannot change a networking answer (ConfigMap, Secret, RBAC, …:
    /// [`crate::kinds::networking`] is false).
    Ignored,
    /// An object of a networking kind (or of a kind unknown because the document could not be
    /// read) that the scenario does not hold: an error, a kind not simulated, a second copy.
    Skipped,
    /// An object of a networking kind that the scenario holds, with a warning of its own.
    Kept,
}
