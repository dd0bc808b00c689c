//! What lasts between commands: kubeconfig's one context and its namespace.

/// The name of the one kubeconfig context, as `kubectl config` prints it.
pub const CONTEXT: &str = "switchboard";

/// The terminal's state between commands: the namespace of kubeconfig's current context,
/// used by every command that is not given `-n`. Kept by the caller, one per terminal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub namespace: String,
}

impl Session {
    pub fn new(namespace: impl Into<String>) -> Session {
        Session { namespace: namespace.into() }
    }
}

impl Default for Session {
    /// A kubeconfig context without a namespace: kubectl uses `default`.
    fn default() -> Session {
        Session::new("default")
    }
}
