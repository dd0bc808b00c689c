//! The grammar common to kubectl's commands: `-n`/`--namespace`, `-A`, `-o`, the words
//! left over, and the command after `--`, read as pflag reads them (`-n NS`, `-nNS`, `-n=NS`,
//! `--namespace NS`, `--namespace=NS`; `-o yaml`, `-oyaml`, `--output=yaml`).
//! https://kubernetes.io/docs/reference/kubectl/#output-options

use crate::session::Session;

/// How `kubectl get` prints: `-o` absent, `-o wide` or `-o yaml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Output {
    Table,
    Wide,
    Yaml,
}

/// Options common to kubectl commands, pulled out of the words.
pub(crate) struct Flags {
    pub(crate) namespace: Option<String>,
    /// `-A`.
    pub(crate) all: bool,
    pub(crate) output: Output,
    /// The words that are not flags.
    pub(crate) rest: Vec<String>,
    /// Words after `--`.
    pub(crate) command: Vec<String>,
}

impl Flags {
    /// `-n`'s namespace, else the session's.
    pub(crate) fn namespace_in(&self, session: &Session) -> String {
        self.namespace.clone().unwrap_or_else(|| session.namespace.clone())
    }

    /// The namespace a listing covers: `None` with `-A` (every namespace).
    pub(crate) fn scope(&self, session: &Session) -> Option<String> {
        if self.all {
            None
        } else {
            Some(self.namespace_in(session))
        }
    }
}

pub(crate) fn flags(words: &[&str]) -> Result<Flags, String> {
    let mut f =
        Flags { namespace: None, all: false, output: Output::Table, rest: Vec::new(), command: Vec::new() };
    let mut output = None;
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        match w {
            "--" => {
                f.command = words[i + 1..].iter().map(|s| s.to_string()).collect();
                break;
            }
            "-n" | "--namespace" => {
                i += 1;
                f.namespace =
                    Some(words.get(i).ok_or("error: flag needs an argument: 'n' in -n")?.to_string());
            }
            "-A" | "--all-namespaces" => f.all = true,
            "-o" | "--output" => {
                i += 1;
                output = Some(words.get(i).ok_or("error: flag needs an argument: 'o' in -o")?.to_string());
            }
            "-it" | "-i" | "-t" | "--stdin" | "--tty" => {}
            _ if w.starts_with("--namespace=") => f.namespace = Some(w["--namespace=".len()..].to_string()),
            // pflag's shorthand with its value attached: `-nradio`, `-n=radio`.
            _ if w.starts_with("-n") && !w.starts_with("--") => {
                let ns = w["-n".len()..].trim_start_matches('=');
                if ns.is_empty() {
                    return Err("error: flag needs an argument: 'n' in -n".into());
                }
                f.namespace = Some(ns.to_string())
            }
            _ if w.starts_with("-o") && w.len() > 2 => {
                output = Some(w.trim_start_matches("-o").trim_start_matches('=').to_string())
            }
            _ if w.starts_with("--output=") => output = Some(w["--output=".len()..].to_string()),
            _ if w.starts_with('-') => return Err(format!("error: unknown flag: {w}")),
            _ => f.rest.push(w.to_string()),
        }
        i += 1;
    }
    f.output = match output.as_deref() {
        None => Output::Table,
        Some("wide") => Output::Wide,
        Some("yaml") => Output::Yaml,
        Some(other) => {
            return Err(format!(
                "error: -o {other} is not available in this terminal (-o wide and -o yaml are)"
            ))
        }
    };
    Ok(f)
}
