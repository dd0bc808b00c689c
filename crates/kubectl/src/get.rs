//! `kubectl get KIND [NAME] [-n NS | -A] [-o wide|yaml]` and `kubectl describe KIND NAME`,
//! for every kind of [`crate::kinds::KINDS`]: the rows (or objects) of the namespace, then
//! those named, then their table (or YAML).
//! https://kubernetes.io/docs/reference/kubectl/generated/kubectl_get/

use crate::answer::{err, ok, Answer};
use crate::cluster::Kubectl;
use crate::flags::{flags, Output};
use crate::kinds::Kind;
use crate::objects;
use crate::session::Session;
use crate::table::{render, Row};
use crate::yaml::Yaml;

impl Kubectl<'_> {
    pub(crate) fn kubectl_get(self, session: &Session, words: &[&str]) -> Answer {
        let f = match flags(words) {
            Ok(f) => f,
            Err(e) => return err(e),
        };
        let Some(word) = f.rest.first() else {
            return err("You must specify the type of resource to get. Try: kubectl get svc");
        };
        let ns = f.scope(session);
        let ns = ns.as_deref();
        let Some(kind) = Kind::parse(word) else {
            return err(format!("error: the server doesn't have a resource type \"{word}\""));
        };
        let name = f.rest.get(1).map(String::as_str);
        if f.output == Output::Yaml {
            return self.get_yaml(kind, name, ns);
        }
        let scope = if kind.namespaced { ns } else { None };
        let rows = (kind.rows)(self, scope);
        let all: Vec<&Row> = rows.iter().collect();
        let shown: Vec<&Row> = match name {
            Some(name) => {
                let named: Vec<&Row> = rows.iter().filter(|r| r.name == name).collect();
                if named.is_empty() {
                    return err(format!(
                        "Error from server (NotFound): {} \"{name}\" not found",
                        kind.plural
                    ));
                }
                named
            }
            None => all.clone(),
        };
        if shown.is_empty() {
            return ok(match ns {
                Some(n) => format!("No resources found in {n} namespace.\n"),
                None => "No resources found\n".to_string(),
            });
        }
        let namespaced = ns.is_none() && kind.namespaced;
        // The columns are as wide as the whole listing's (kubectl, fetching one object, sizes
        // them to the rows it prints).
        ok(render(kind.columns, &shown, &all, namespaced, f.output == Output::Wide))
    }

    /// One object when `name` is given, else kubectl's `List` (also for no object at all).
    fn get_yaml(self, kind: &Kind, name: Option<&str>, ns: Option<&str>) -> Answer {
        let objects = (kind.objects)(self, if kind.namespaced { ns } else { None });
        let Some(name) = name else {
            return ok(objects::list(objects.into_iter().map(|(_, o)| o).collect()).text());
        };
        let mut found: Vec<Yaml> = objects.into_iter().filter(|(n, _)| n == name).map(|(_, o)| o).collect();
        match found.len() {
            0 => err(format!("Error from server (NotFound): {} \"{name}\" not found", kind.plural)),
            1 => ok(found.remove(0).text()),
            // The same name in several namespaces (with -A).
            _ => ok(objects::list(found).text()),
        }
    }

    pub(crate) fn kubectl_describe(self, session: &Session, words: &[&str]) -> Answer {
        let f = match flags(words) {
            Ok(f) => f,
            Err(e) => return err(e),
        };
        let ns = f.namespace_in(session);
        let (Some(word), Some(name)) = (f.rest.first(), f.rest.get(1)) else {
            return err("error: say what to describe: kubectl describe svc NAME");
        };
        let Some(describe) = Kind::parse(word).and_then(|k| k.describe) else {
            return err(format!("error: the server doesn't have a resource type \"{word}\""));
        };
        match describe(self, &ns, name) {
            Some(text) => ok(text),
            None => err(format!("Error from server (NotFound): {word} \"{name}\" not found")),
        }
    }
}
