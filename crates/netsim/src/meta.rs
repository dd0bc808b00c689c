//! What every object of the model shares, below `scenario` and the kinds' own modules (such
//! as `gateway::types`): where it was written ([`Source`]), labels, label selectors, and a
//! reference to an object that decided something ([`ObjectRef`]). `scenario` re-exports them.

use std::collections::BTreeMap;

/// Labels and annotations: ordered, so output never depends on hash order.
pub type Labels = BTreeMap<String, String>;

/// Where an object or field came from: a named file and a byte range in its text.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Source {
    pub file: String,
    pub start: usize,
    pub end: usize,
}

/// A label selector (`metav1.LabelSelector`). An empty selector selects everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelector {
    pub match_labels: Labels,
    pub match_expressions: Vec<LabelRequirement>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelRequirement {
    pub key: String,
    pub operator: SelectorOperator,
    pub values: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelectorOperator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

impl SelectorOperator {
    /// The operator as the API spells it (`matchExpressions[].operator`).
    pub fn as_str(self) -> &'static str {
        match self {
            SelectorOperator::In => "In",
            SelectorOperator::NotIn => "NotIn",
            SelectorOperator::Exists => "Exists",
            SelectorOperator::DoesNotExist => "DoesNotExist",
        }
    }
}

impl LabelSelector {
    /// A selector from plain `key: value` pairs, as Services and ReplicationControllers use.
    pub fn from_labels(labels: &Labels) -> LabelSelector {
        LabelSelector { match_labels: labels.clone(), match_expressions: Vec::new() }
    }

    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }

    /// Whether `labels` satisfy every requirement (the requirements are ANDed).
    /// https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
    pub fn matches(&self, labels: &Labels) -> bool {
        self.match_labels.iter().all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|r| r.matches(labels))
    }
}

impl LabelRequirement {
    pub fn matches(&self, labels: &Labels) -> bool {
        let value = labels.get(&self.key);
        match self.operator {
            SelectorOperator::In => value.is_some_and(|v| self.values.contains(v)),
            // NotIn also matches objects that lack the key.
            SelectorOperator::NotIn => value.is_none_or(|v| !self.values.contains(v)),
            SelectorOperator::Exists => value.is_some(),
            SelectorOperator::DoesNotExist => value.is_none(),
        }
    }
}

/// A reference to the Kubernetes object that decided something, with where it was written.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectRef {
    pub kind: &'static str,
    pub namespace: String,
    pub name: String,
    pub source: Option<Source>,
}

impl ObjectRef {
    pub fn new(kind: &'static str, namespace: &str, name: &str, source: Option<Source>) -> ObjectRef {
        ObjectRef { kind, namespace: namespace.to_string(), name: name.to_string(), source }
    }
}

impl std::fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{} {}", self.kind, self.name)
        } else {
            write!(f, "{} {}/{}", self.kind, self.namespace, self.name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    // https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#set-based-requirement
    #[test]
    fn set_based_requirements_follow_the_labels_doc() {
        let req = |op, values: &[&str]| LabelRequirement {
            key: "env".into(),
            operator: op,
            values: values.iter().map(|s| s.to_string()).collect(),
        };
        let prod = labels(&[("env", "prod")]);
        let none = labels(&[("app", "web")]);
        assert!(req(SelectorOperator::In, &["prod", "qa"]).matches(&prod));
        assert!(!req(SelectorOperator::In, &["prod"]).matches(&none));
        assert!(!req(SelectorOperator::NotIn, &["prod"]).matches(&prod));
        // "tier notin (frontend,backend)" also selects resources without the key.
        assert!(req(SelectorOperator::NotIn, &["prod"]).matches(&none));
        assert!(req(SelectorOperator::Exists, &[]).matches(&prod));
        assert!(req(SelectorOperator::DoesNotExist, &[]).matches(&none));
        assert!(LabelSelector::default().matches(&none), "an empty selector selects everything");
    }
}
