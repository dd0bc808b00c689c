//! Kinds defined by CustomResourceDefinitions: a made-up namespaced kind (`crd/widget.yaml`)
//! is checked as the API's own kinds are (unknown fields with "did you mean", required fields,
//! enum values, value types), and its `x-kubernetes-validations` rules are kept for its module.

use manifest::crd::{Crd, Rule};
use manifest::problem::Problem;
use manifest::yaml;

fn widget() -> Crd {
    Crd::parse(include_str!("crd/widget.yaml")).expect("the fixture is a CRD")
}

/// The problems of the first document of `text`, and whether they leave the object out.
fn check(text: &str) -> (Vec<Problem>, bool) {
    let mut diags = Vec::new();
    let docs = yaml::parse("widget.yaml", text, &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    widget().check(&docs[0].root, true)
}

const HEADER: &str =
    "apiVersion: example.switchboard.dev/v1alpha1\nkind: Widget\nmetadata:\n  name: w\n  namespace: shop\n";

fn messages(text: &str) -> Vec<(String, String, Vec<String>)> {
    check(text).0.into_iter().map(|p| (p.code.to_string(), p.message, p.hints)).collect()
}

#[test]
fn the_crd_names_its_kind() {
    let crd = widget();
    assert_eq!(crd.kind, "Widget");
    assert_eq!(crd.plural, "widgets");
    assert_eq!(crd.api_version(), "example.switchboard.dev/v1alpha1");
    assert!(crd.namespaced);
}

#[test]
fn a_valid_object_has_no_problem() {
    let text = format!(
        "{HEADER}  labels: {{app: w}}\nspec:\n  size: Large\n  replicas: 12\n  color: red\n  target: http\n  selector: {{app: w}}\n  ports:\n  - name: http\n    port: 80\n"
    );
    assert_eq!(check(&text), (vec![], false));
}

#[test]
fn unknown_fields_are_errors_with_the_closest_name() {
    let text = format!("{HEADER}  lables: {{app: w}}\nspec:\n  size: Small\n  colour: red\n");
    assert_eq!(
        messages(&text),
        vec![
            (
                "unknown-field".to_string(),
                "unknown field `lables` in `metadata`".to_string(),
                vec!["did you mean `labels`?".to_string()]
            ),
            (
                "unknown-field".to_string(),
                "unknown field `colour` in `spec`".to_string(),
                vec!["did you mean `color`?".to_string()]
            ),
        ]
    );
    // Unknown fields alone leave the object readable, as for the API's own kinds.
    assert!(!check(&text).1);
}

#[test]
fn required_fields_are_enforced() {
    let text = format!("{HEADER}spec:\n  replicas: 2\n  ports:\n  - name: http\n");
    assert_eq!(
        messages(&text),
        vec![
            ("missing-field".to_string(), "missing required field `spec.ports[0].port`".to_string(), vec![]),
            ("missing-field".to_string(), "missing required field `spec.size`".to_string(), vec![]),
        ]
    );
    assert!(check(&text).1);
}

#[test]
fn enum_values_are_enforced() {
    let text = format!("{HEADER}spec:\n  size: Lage\n");
    assert_eq!(
        messages(&text),
        vec![(
            "invalid-value".to_string(),
            "`spec.size` must be one of Small, Medium, Large, not `Lage`".to_string(),
            vec!["did you mean `Large`?".to_string()]
        )]
    );
    assert!(check(&text).1);
}

#[test]
fn value_types_are_checked() {
    let text = format!("{HEADER}spec:\n  size: Small\n  replicas: many\n  selector: {{app: 1}}\n");
    let codes: Vec<(String, String)> = messages(&text).into_iter().map(|(c, m, _)| (c, m)).collect();
    assert_eq!(
        codes,
        vec![
            (
                "invalid-type".to_string(),
                "expected an integer for `spec.replicas`, found the string \"many\"".to_string()
            ),
            (
                "invalid-type".to_string(),
                "expected a string for `spec.selector.app`, found the number 1".to_string()
            ),
        ]
    );
}

#[test]
fn validation_rules_are_kept_for_the_kinds_module() {
    assert_eq!(
        widget().rules,
        vec![
            Rule {
                path: "spec".into(),
                rule: "self.replicas <= 10 || self.size == 'Large'".into(),
                message: Some("more than 10 replicas need a Large widget".into()),
            },
            Rule {
                path: "spec.ports[*]".into(),
                rule: "self.port >= 1 && self.port <= 65535".into(),
                message: None,
            },
        ]
    );
}

#[test]
fn what_is_not_a_crd_is_refused_in_words() {
    assert!(Crd::parse("kind: Service\n").is_err());
    assert!(Crd::parse("kind: CustomResourceDefinition\nspec: {}\n").is_err());
    assert!(Crd::parse("").is_err());
}
