//! `kubectl config`: kubeconfig's one context and the namespace of later commands.

use crate::answer::{err, ok, Answer};
use crate::session::{Session, CONTEXT};
use crate::table::table;

/// `kubectl config`: the one context, [`CONTEXT`], whose namespace is the session's.
/// `set-context --current --namespace NS` changes it (kubectl checks nothing against the
/// cluster: a namespace that does not exist just has no resources), `current-context`,
/// `get-contexts` and `view --minify -o jsonpath='{..namespace}'` read it.
/// https://kubernetes.io/docs/reference/kubectl/generated/kubectl_config/kubectl_config_set-context/
/// (the "Context %q modified." line: kubectl's pkg/cmd/config/create_context.go)
pub(crate) fn kubectl_config(session: &mut Session, words: &[&str]) -> Answer {
    match words {
        ["set-context", rest @ ..] => set_context(session, rest),
        ["current-context"] => ok(format!("{CONTEXT}\n")),
        ["get-contexts", ..] => ok(table(
            &["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"],
            vec![["*", CONTEXT, CONTEXT, CONTEXT, &session.namespace].map(String::from).to_vec()],
        )),
        ["view", rest @ ..] => {
            let output = rest.iter().enumerate().find_map(|(i, w)| match *w {
                "-o" | "--output" => rest.get(i + 1).copied(),
                _ => w.strip_prefix("--output=").or_else(|| w.strip_prefix("-o")).filter(|o| !o.is_empty()),
            });
            let output = output.map(|o| o.trim_start_matches('=').replace(['\'', '"'], ""));
            match output.as_deref() {
                Some("jsonpath={..namespace}" | "jsonpath={.contexts[0].context.namespace}") => {
                    ok(session.namespace.clone())
                }
                _ => err("error: this terminal prints only the namespace: kubectl config view --minify -o jsonpath='{..namespace}'"),
            }
        }
        [other, ..] => err(format!(
            "error: kubectl config {other} is not available in this terminal (set-context --current --namespace=NS, current-context, get-contexts and view are)"
        )),
        [] => err("error: kubectl config set-context --current --namespace=NS changes the namespace of later commands"),
    }
}

fn set_context(session: &mut Session, words: &[&str]) -> Answer {
    let mut current = false;
    let mut namespace = None;
    let mut name = None;
    let mut i = 0;
    while let Some(&w) = words.get(i) {
        match w {
            "--current" => current = true,
            "--namespace" => {
                i += 1;
                match words.get(i) {
                    Some(ns) => namespace = Some(ns.to_string()),
                    None => return err("error: flag needs an argument: --namespace"),
                }
            }
            _ if w.starts_with("--namespace=") => namespace = Some(w["--namespace=".len()..].to_string()),
            _ if w.starts_with('-') => {
                return err(format!(
                    "error: {w} is not available in this terminal: kubectl config set-context --current --namespace=NS"
                ))
            }
            _ => name = Some(w),
        }
        i += 1;
    }
    match (current, name) {
        (false, None) => return err("error: you must specify a non-empty context name or --current"),
        (true, Some(_)) => return err("error: you cannot specify both a context name and --current"),
        (false, Some(n)) if n != CONTEXT => {
            return err(format!(
                "error: this terminal has one context, {CONTEXT}: kubectl config set-context --current --namespace=NS"
            ))
        }
        _ => {}
    }
    if let Some(ns) = namespace {
        session.namespace = if ns.is_empty() { "default".into() } else { ns };
    }
    ok(format!("Context \"{CONTEXT}\" modified.\n"))
}
