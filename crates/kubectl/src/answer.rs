//! What a command answers.

use netsim::trace::Trace;

/// What a command printed, and the request it sent, if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub output: String,
    /// Whether the command succeeded (a failed request is still a successful command).
    pub ok: bool,
    pub trace: Option<Trace>,
}

pub(crate) fn ok(output: String) -> Answer {
    Answer { output, ok: true, trace: None }
}

pub(crate) fn err(output: impl Into<String>) -> Answer {
    Answer { output: output.into(), ok: false, trace: None }
}
