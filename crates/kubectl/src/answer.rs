//! What a command answers.

use netsim::trace::Trace;

/// What a command printed, and the request it sent, if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub output: String,
    /// Whether the command succeeded (a failed request is still a successful command).
    pub ok: bool,
    pub trace: Option<Trace>,
    /// Whether the command would exit 0 in a shell: not after an error, nor when its request
    /// is not answered (curl and wget exit non-zero on a refused, dropped or unresolved
    /// request, as `kubectl exec` and an attached `kubectl run` then do) or its name is not
    /// found (nslookup's NXDOMAIN). The command line's `switchboard shell` exits by it.
    pub exit_zero: bool,
}

pub(crate) fn ok(output: String) -> Answer {
    Answer { output, ok: true, trace: None, exit_zero: true }
}

pub(crate) fn err(output: impl Into<String>) -> Answer {
    Answer { output: output.into(), ok: false, trace: None, exit_zero: false }
}
