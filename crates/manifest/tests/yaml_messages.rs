//! Broken manifests as a learner types them, each with where the mistake is and what the
//! message must say. The YAML rules are YAML 1.2's (https://yaml.org/spec/1.2.2/: §6.1
//! indentation is spaces only, §7.3 quoted scalars, §7.4 flow collections, §8.2 block
//! collections); the field names are the API's (https://kubernetes.io/docs/reference/kubernetes-api/).
//!
//! A case is `(name, yaml, "code line:col", fragment)`: some diagnostic of that code at that
//! line and column (1-based, in characters) has the fragment in its message or in a hint. In
//! the YAML, `⇥` stands for a tab. A `yaml-syntax` diagnostic also keeps the parser's own words
//! in a hint ("the YAML parser says: …").

use manifest::{line_col, load, SourceFile};

const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n";
const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n";
const POLICY: &str =
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-web\nspec:\n";
const INGRESS: &str = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n";

/// (name, header, body, expected "code line:col", fragment). The header's lines come first:
/// SERVICE and POLICY end at line 5, DEPLOYMENT at line 15, INGRESS at line 9.
const CASES: &[(&str, &str, &str, &str, &str)] = &[
    // Service
    (
        "service: selector without its colon",
        SERVICE,
        "  selector\n    app: web\n  ports:\n  - port: 80\n",
        "yaml-syntax 6:3",
        "add `:` after `selector`",
    ),
    (
        "service: `type ClusterIP` without its colon",
        SERVICE,
        "  type ClusterIP\n  selector:\n    app: web\n",
        "yaml-syntax 6:3",
        "add `:` after `type`",
    ),
    (
        "service: targetPort out-dented by one",
        SERVICE,
        "  selector:\n    app: web\n  ports:\n  - port: 80\n   targetPort: 8080\n",
        "yaml-syntax 10:4",
        "less indented than the other fields of `spec.ports[0]`",
    ),
    (
        "service: targetPort out-dented by one, the column",
        SERVICE,
        "  selector:\n    app: web\n  ports:\n  - port: 80\n   targetPort: 8080\n",
        "yaml-syntax 10:4",
        "column 5",
    ),
    (
        "service: app one level too shallow",
        SERVICE,
        "  selector:\n  app: web\n  ports:\n  - port: 80\n",
        "unknown-field 7:3",
        "did you mean to indent it under `spec.selector`?",
    ),
    (
        "service: a tab indents a label",
        SERVICE,
        "  selector:\n⇥app: web\n  ports:\n  - port: 80\n",
        "yaml-syntax 7:1",
        "indented with a tab",
    ),
    (
        "service: unclosed double quote",
        SERVICE,
        "  selector:\n    app: \"web\n  ports:\n  - port: 80\n",
        "yaml-syntax 7:10",
        "never closed",
    ),
    (
        "service: unclosed single quote",
        SERVICE,
        "  selector:\n    app: 'web\n  ports:\n  - port: 80\n",
        "yaml-syntax 7:10",
        "never closed",
    ),
    (
        "service: unclosed flow mapping",
        SERVICE,
        "  selector: {app: web\n  ports:\n  - port: 80\n",
        "yaml-syntax 6:13",
        "the `{` opened here is never closed",
    ),
    (
        "service: unclosed flow list",
        SERVICE,
        "  selector:\n    app: web\n  ports: [80\n  type: ClusterIP\n",
        "yaml-syntax 8:10",
        "the `[` opened here is never closed",
    ),
    (
        "service: targetPort at the column of the list's dash",
        SERVICE,
        "  selector:\n    app: web\n  ports:\n  - port: 80\n  targetPort: 8080\n",
        "unknown-field 10:3",
        "did you mean to indent it under `spec.ports[0]`?",
    ),
    (
        "service: a value with a second `: `",
        SERVICE,
        "  selector:\n    app: web: frontend\n  ports:\n  - port: 80\n",
        "yaml-syntax 7:13",
        "quote the value: `app: \"web: frontend\"`",
    ),
    (
        "service: no space after the colon",
        SERVICE,
        "  selector:\n    app:web\n  ports:\n  - port: 80\n",
        "invalid-type 7:5",
        "put a space after `:`",
    ),
    (
        "service: no space after the list dash",
        SERVICE,
        "  selector:\n    app: web\n  ports:\n  -port: 80\n",
        "unknown-field 9:3",
        "put a space after `-`",
    ),
    (
        "service: a port item after the selector's fields",
        SERVICE,
        "  ports:\n  - port: 80\n  selector:\n    app: web\n  - port: 81\n",
        "yaml-syntax 10:3",
        "a list item (`-`) cannot stand among the fields of `spec`",
    ),
    (
        "service: ports with a value and then items",
        SERVICE,
        "  type: ClusterIP\n  ports: 80\n  - port: 81\n",
        "yaml-syntax 8:3",
        "`ports` already has a value (`80`) on its line",
    ),
    (
        "service: the second port's dash one column too far",
        SERVICE,
        "  ports:\n  - port: 80\n    targetPort: 8080\n   - port: 81\n",
        "yaml-syntax 9:4",
        "line it up with the other items of `spec.ports` at column 3",
    ),
    (
        "service: a label written as a list item",
        SERVICE,
        "  selector:\n    app: web\n    - tier: front\n",
        "yaml-syntax 8:5",
        "cannot stand among the fields of `spec.selector`",
    ),
    (
        "service: a label more indented than the one above it",
        SERVICE,
        "  selector:\n    app: web\n     tier: front\n  ports:\n  - port: 80\n",
        "yaml-syntax 8:6",
        "more indented than `app`",
    ),
    (
        "service: spec's field out-dented into the top level's column range",
        SERVICE,
        "  selector:\n    app: web\n ports:\n  - port: 80\n",
        "yaml-syntax 8:2",
        "indent it to column 3",
    ),
    // Deployment
    (
        "deployment: image without its colon",
        DEPLOYMENT,
        "      - name: web\n        image nginx\n        ports:\n        - containerPort: 80\n",
        "yaml-syntax 17:9",
        "add `:` after `image`",
    ),
    (
        "deployment: a port's name out-dented",
        DEPLOYMENT,
        "      - name: web\n        image: nginx\n        ports:\n        - containerPort: 80\n       name: http\n",
        "yaml-syntax 20:8",
        "less indented than the other fields of `spec.template.spec.containers[0].ports[0]`; indent it to column 11",
    ),
    (
        "deployment: image at the column of the container's dash",
        DEPLOYMENT,
        "        - name: web\n        image: nginx\n",
        "yaml-syntax 17:9",
        "same column as the `-`",
    ),
    (
        "deployment: the second container's dash misaligned",
        DEPLOYMENT,
        "      - name: web\n        image: nginx\n       - name: side\n         image: busybox\n",
        "yaml-syntax 18:8",
        "line it up with the other items of `spec.template.spec.containers` at column 7",
    ),
    (
        "deployment: ports one level too shallow",
        DEPLOYMENT,
        "      - name: web\n        image: nginx\n      ports:\n      - containerPort: 80\n",
        "unknown-field 18:7",
        "did you mean to indent it under `spec.template.spec.containers[0]`?",
    ),
    (
        "deployment: args list never closed",
        DEPLOYMENT,
        "      - name: web\n        image: nginx\n        args: [\"--port\", \"80\"\n",
        "yaml-syntax 18:15",
        "the `[` opened here is never closed",
    ),
    (
        "deployment: image more indented than name",
        DEPLOYMENT,
        "      - name: web\n         image: nginx\n",
        "yaml-syntax 17:10",
        "more indented than `name`",
    ),
    (
        "deployment: ports written as a mapping",
        DEPLOYMENT,
        "      - name: web\n        image: nginx\n        ports:\n          containerPort: 80\n",
        "invalid-type 19:11",
        "start each item with `- `",
    ),
    (
        "deployment: image quote never closed at the end of the file",
        DEPLOYMENT,
        "      - name: web\n        image: \"nginx\n",
        "yaml-syntax 17:16",
        "never closed",
    ),
    // NetworkPolicy
    (
        "networkpolicy: matchLabels one level too shallow",
        POLICY,
        "  podSelector:\n  matchLabels:\n    app: web\n",
        "unknown-field 7:3",
        "did you mean to indent it under `spec.podSelector`?",
    ),
    (
        "networkpolicy: ingress without its colon",
        POLICY,
        "  podSelector: {}\n  ingress\n  - from:\n    - podSelector: {}\n",
        "yaml-syntax 7:3",
        "add `:` after `ingress`",
    ),
    (
        "networkpolicy: a key at the column of policyTypes' dashes",
        POLICY,
        "  podSelector: {}\n  policyTypes:\n    - Ingress\n    ingress:\n    - from:\n      - podSelector: {}\n",
        "yaml-syntax 9:5",
        "same column as the `-`",
    ),
    // Ingress
    (
        "ingress: number one level too shallow",
        INGRESS,
        "      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n            number: 80\n",
        "unknown-field 16:13",
        "did you mean to indent it under `spec.rules[0].http.paths[0].backend.service.port`?",
    ),
    (
        "ingress: pathType out-dented",
        INGRESS,
        "      - path: /\n       pathType: Prefix\n",
        "yaml-syntax 11:8",
        "less indented than the other fields of `spec.rules[0].http.paths[0]`; indent it to column 9",
    ),
];

fn render(d: &manifest::Diagnostic, text: &str) -> String {
    let (l, c) = line_col(text, d.start);
    let mut s = format!("{} {l}:{c}: {}", d.code, d.message);
    for h in &d.hints {
        s.push_str(&format!("\n    hint: {h}"));
    }
    s
}

#[test]
fn learner_mistakes_are_explained_where_they_are() {
    let mut failures = String::new();
    let mut failed = 0;
    for (name, header, body, at, fragment) in CASES {
        let text = format!("{header}{}", body.replace('⇥', "\t"));
        let files = [SourceFile { name: "f.yaml".into(), text: text.clone() }];
        let loaded = load(&files, &netsim::Topology::default());
        let found = loaded.diagnostics.iter().any(|d| {
            let (l, c) = line_col(&text, d.start);
            let here = format!("{} {l}:{c}", d.code) == *at;
            let says = d.message.contains(fragment) || d.hints.iter().any(|h| h.contains(fragment));
            let keeps_parser = d.code != "yaml-syntax"
                || d.message.starts_with("YAML syntax error:")
                || d.hints.iter().any(|h| h.starts_with("the YAML parser says: "));
            here && says && keeps_parser
        });
        if !found {
            failed += 1;
            let got: Vec<String> = loaded.diagnostics.iter().map(|d| render(d, &text)).collect();
            failures.push_str(&format!(
                "\n{name}: want {at} saying {fragment:?}\n  got:\n  {}\n",
                got.join("\n  ")
            ));
        }
    }
    assert!(failed == 0, "{failed} of {} cases failed:{failures}", CASES.len());
}

/// The translated messages replace the 20-name list of a Service spec's fields when a
/// nearby field takes the key.
#[test]
fn an_indentation_hint_replaces_the_list_of_valid_fields() {
    let text = format!("{SERVICE}  selector:\n  app: web\n  ports:\n  - port: 80\n");
    let loaded = load(&[SourceFile { name: "f.yaml".into(), text }], &netsim::Topology::default());
    let d = loaded.diagnostics.iter().find(|d| d.code == "unknown-field").expect("unknown-field");
    assert!(d.hints.iter().all(|h| !h.contains("allocateLoadBalancerNodePorts")), "{:?}", d.hints);
}

/// The explanations read the text around an error by hand: every truncation of every case, and
/// every case with one character deleted or a tab, a quote or a bracket inserted, gives
/// diagnostics inside the file on char boundaries, without a panic.
#[test]
fn explaining_never_panics_on_variants_of_the_cases() {
    let topology = netsim::Topology::default();
    let mut loads = 0;
    for (_, header, body, _, _) in CASES {
        let text = format!("{header}{}", body.replace('⇥', "\t"));
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).skip(header.len()).collect();
        for &i in &cuts {
            let next = text[i..].chars().next().map_or(i, |c| i + c.len_utf8());
            let mut variants = vec![text[..i].to_string(), format!("{}{}", &text[..i], &text[next..])];
            for insert in ["\t", "\"", "'", "[", "{", "- ", ": "] {
                variants.push(format!("{}{insert}{}", &text[..i], &text[i..]));
            }
            for v in variants {
                let loaded = load(&[SourceFile { name: "f.yaml".into(), text: v.clone() }], &topology);
                for d in &loaded.diagnostics {
                    assert!(d.start <= d.end && d.end <= v.len(), "{d:?}\n{v}");
                    assert!(v.is_char_boundary(d.start) && v.is_char_boundary(d.end), "{d:?}\n{v}");
                }
                loads += 1;
            }
        }
    }
    assert!(loads > 10_000, "{loads}");
}
