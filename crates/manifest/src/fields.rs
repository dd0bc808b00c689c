//! Reading the fields of a tree [`crate::shape::check`] accepted into k8s-openapi's types,
//! with k8s-openapi's rules: an absent or null optional field is `None`, an absent or null
//! required field its Go zero value, and the last of duplicate keys wins. Each kind's module
//! builds its object with these.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::shape::resolved;
use crate::tree::{Node, Resolved};

/// The last entry with this key (serde keeps the last of duplicate keys).
pub(crate) fn get<'a>(node: Option<&'a Node>, key: &str) -> Option<&'a Node> {
    node?.as_map()?.iter().rev().find(|e| e.key.as_scalar().is_some_and(|s| s.text == key)).map(|e| &e.value)
}

/// A string scalar's text; null (or, after [`check`], nothing else) is `""`.
pub(crate) fn text(node: &Node) -> String {
    node.as_str().unwrap_or_default().to_string()
}

pub(crate) fn string(node: Option<&Node>, key: &str) -> Option<String> {
    let n = get(node, key)?;
    n.as_str().map(str::to_string)
}

/// A required string: absent or null is `""`.
pub(crate) fn req_string(node: Option<&Node>, key: &str) -> String {
    string(node, key).unwrap_or_default()
}

pub(crate) fn int(node: Option<&Node>, key: &str) -> Option<i32> {
    match resolved(get(node, key)?)? {
        Resolved::Int(i) => i32::try_from(i).ok(),
        _ => None,
    }
}

/// A required integer: absent or null is 0.
pub(crate) fn req_int(node: Option<&Node>, key: &str) -> i32 {
    int(node, key).unwrap_or_default()
}

pub(crate) fn boolean(node: Option<&Node>, key: &str) -> Option<bool> {
    match resolved(get(node, key)?)? {
        Resolved::Bool(b) => Some(b),
        _ => None,
    }
}

pub(crate) fn int_or_string(node: Option<&Node>, key: &str) -> Option<IntOrString> {
    let n = get(node, key)?;
    match resolved(n)? {
        Resolved::Int(i) => i32::try_from(i).ok().map(IntOrString::Int),
        Resolved::Str => Some(IntOrString::String(text(n))),
        _ => None,
    }
}

pub(crate) fn present(node: Option<&Node>) -> Option<&Node> {
    node.filter(|n| !n.is_null())
}

pub(crate) fn list<'a>(node: Option<&'a Node>, key: &str) -> Option<&'a [Node]> {
    present(get(node, key)).map(|n| n.as_seq().unwrap_or(&[]))
}

/// An optional list, each item built by `f`.
pub(crate) fn items<T>(node: Option<&Node>, key: &str, f: impl Fn(Option<&Node>) -> T) -> Option<Vec<T>> {
    list(node, key).map(|xs| xs.iter().map(|x| f(Some(x))).collect())
}

pub(crate) fn strings(node: Option<&Node>, key: &str) -> Option<Vec<String>> {
    list(node, key).map(|xs| xs.iter().map(text).collect())
}

/// An optional object, built by `f`.
pub(crate) fn object<T>(node: Option<&Node>, key: &str, f: impl Fn(Option<&Node>) -> T) -> Option<T> {
    present(get(node, key)).map(|n| f(Some(n)))
}

/// A string-to-string map. Keys are read as text whatever they resolve to (`80: x` has the
/// key "80"), as sigs.k8s.io/yaml does; the last of duplicate keys wins.
pub(crate) fn string_map(node: Option<&Node>, key: &str) -> Option<BTreeMap<String, String>> {
    let n = present(get(node, key))?;
    let entries = n.as_map().unwrap_or(&[]);
    let key_text = |e: &crate::tree::Entry| e.key.as_scalar().map_or(String::new(), |k| k.text.clone());
    Some(sorted::map(entries.iter().map(|e| (key_text(e), text(&e.value)))))
}

pub(crate) fn object_meta(node: Option<&Node>) -> meta::ObjectMeta {
    let m = present(get(node, "metadata"));
    meta::ObjectMeta {
        name: string(m, "name"),
        namespace: string(m, "namespace"),
        labels: string_map(m, "labels"),
        annotations: string_map(m, "annotations"),
        ..Default::default()
    }
}

pub(crate) fn label_selector(s: Option<&Node>) -> meta::LabelSelector {
    meta::LabelSelector {
        match_expressions: items(s, "matchExpressions", |r| meta::LabelSelectorRequirement {
            key: req_string(r, "key"),
            operator: req_string(r, "operator"),
            values: strings(r, "values"),
        }),
        match_labels: string_map(s, "matchLabels"),
    }
}

pub(crate) fn object_reference(r: Option<&Node>) -> core::ObjectReference {
    core::ObjectReference {
        api_version: string(r, "apiVersion"),
        field_path: string(r, "fieldPath"),
        kind: string(r, "kind"),
        name: string(r, "name"),
        namespace: string(r, "namespace"),
        resource_version: string(r, "resourceVersion"),
        uid: string(r, "uid"),
    }
}
