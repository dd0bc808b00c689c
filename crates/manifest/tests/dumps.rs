//! Reading what kubectl and the API server write: `kind: List` and typed lists (`PodList`, …)
//! read item by item, with positions inside the list; JSON files, with JSON's syntax errors
//! in JSON's words; the reading limits as a parameter (`Limits`: the browser's 2 MiB per file,
//! the command line's 256 MiB, 200,000 objects per run); and what the reader did not use
//! (`Loaded::unused`), so that no object is dropped silently.
//!
//! Sources: `kubectl get -o yaml` prints a `List` of objects that each carry `apiVersion` and
//! `kind`; the API server's typed lists (`PodList`) carry neither on their items, and
//! apimachinery's unstructured decoder gives each item the list's `apiVersion` and its kind
//! without the `List` suffix (k8s.io/apimachinery/pkg/apis/meta/v1/unstructured,
//! `UnstructuredJSONScheme.decodeToList`).

use manifest::{line_col, load_with, Limits, Loaded, SourceFile, UnusedStatus};

fn read_with(name: &str, text: &str, limits: &Limits) -> Loaded {
    load_with(&[SourceFile { name: name.into(), text: text.into() }], &netsim::Topology::default(), limits)
}

fn read(name: &str, text: &str) -> Loaded {
    read_with(name, text, &Limits::default())
}

/// Each diagnostic as `severity code line:col`.
fn places(text: &str, loaded: &Loaded) -> Vec<String> {
    loaded
        .diagnostics
        .iter()
        .map(|d| {
            let (l, c) = line_col(text, d.start);
            format!("{} {} {l}:{c}", d.severity.as_str(), d.code)
        })
        .collect()
}

/// Each unused object as `status kind namespace/name line:col`.
fn unused(text: &str, loaded: &Loaded) -> Vec<String> {
    loaded
        .unused
        .iter()
        .map(|u| {
            let (l, c) = line_col(text, u.start);
            let status = match u.status {
                UnusedStatus::Ignored => "ignored",
                UnusedStatus::Skipped => "skipped",
                UnusedStatus::Kept => "kept",
            };
            format!("{status} {} {}/{} {l}:{c}", u.kind, u.namespace, u.name)
        })
        .collect()
}

const LIST: &str = "\
apiVersion: v1
items:
- apiVersion: v1
  kind: Namespace
  metadata:
    name: shop
- apiVersion: v1
  kind: Pod
  metadata:
    labels:
      app: web
    name: web
    namespace: shop
  spec:
    containers:
    - image: nginx:1.27
      name: nginx
      ports:
      - containerPort: 80
- apiVersion: v1
  kind: Service
  metadata:
    name: web
    namespace: shop
  spec:
    ports:
    - port: 70000
    selector:
      app: web
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: settings
    namespace: shop
kind: List
metadata:
  resourceVersion: \"\"
";

/// `kubectl get -A -o yaml`: one List; its items are read as objects, and a diagnostic of an
/// item is placed inside the list (line 27, column 13: the port of the Service).
#[test]
fn a_list_s_items_are_objects_with_positions_inside_the_list() {
    let loaded = read("dump.yaml", LIST);
    assert_eq!(loaded.scenario.namespaces.len(), 1);
    assert_eq!(loaded.scenario.pods.len(), 1);
    assert_eq!(loaded.scenario.pods[0].name, "web");
    assert!(loaded.scenario.services.is_empty(), "the Service has an error");
    assert!(
        places(LIST, &loaded).contains(&"error port-range 27:13".to_string()),
        "{:?}",
        places(LIST, &loaded)
    );
    assert_eq!(
        unused(LIST, &loaded),
        ["skipped Service shop/web 20:3", "ignored ConfigMap shop/settings 30:3"],
        "{:#?}",
        loaded.unused
    );
    let skipped = &loaded.unused[0];
    assert!(skipped.why.contains("70000"), "{}", skipped.why);
    // The object's source is its item, so a trace's objects point into the list.
    let pod = loaded.scenario.pods[0].source.as_ref().expect("source");
    assert!(
        LIST[pod.start..pod.end].starts_with("apiVersion: v1\n  kind: Pod"),
        "{}",
        &LIST[pod.start..pod.end]
    );
}

/// The API server's typed lists: items without `apiVersion` and `kind` are the list's kind
/// without `List`, of the list's apiVersion.
#[test]
fn a_typed_list_s_items_take_its_kind_and_api_version() {
    let text = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicyList\nmetadata:\n  resourceVersion: \"9\"\nitems:\n- metadata:\n    name: deny\n    namespace: shop\n  spec:\n    podSelector: {}\n- metadata:\n    name: allow\n    namespace: shop\n  spec:\n    podSelector: {}\n    ingress:\n    - {}\n";
    let loaded = read("netpol.yaml", text);
    assert!(loaded.diagnostics.is_empty(), "{:?}", places(text, &loaded));
    let names: Vec<&str> = loaded.scenario.network_policies.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["deny", "allow"]);
    // Written kinds win over the list's.
    let mixed = "apiVersion: v1\nkind: PodList\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: shop\n- metadata:\n    name: p\n    namespace: shop\n  spec:\n    containers: [{name: c, image: i}]\n";
    let loaded = read("pods.yaml", mixed);
    assert!(loaded.diagnostics.is_empty(), "{:?}", places(mixed, &loaded));
    assert_eq!((loaded.scenario.namespaces.len(), loaded.scenario.pods.len()), (1, 1));
}

/// A List holding a List (not written by kubectl, but legal) is read through; an item of a
/// plain List without a kind is an error at the item; `items` that is not a list is an error.
#[test]
fn nested_lists_items_without_kind_and_items_of_the_wrong_type() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n  - apiVersion: v1\n    kind: Namespace\n    metadata:\n      name: inner\n- metadata:\n    name: nameless\n";
    let loaded = read("nested.yaml", text);
    assert_eq!(loaded.scenario.namespaces.len(), 1);
    assert_eq!(places(text, &loaded), ["error missing-kind 11:3"]);
    assert_eq!(unused(text, &loaded), ["skipped  /nameless 11:3"]);
    let text = "apiVersion: v1\nkind: List\nitems: {a: b}\n";
    let loaded = read("bad.yaml", text);
    assert_eq!(places(text, &loaded), ["error invalid-type 3:8"]);
    assert_eq!(unused(text, &loaded), ["skipped List / 1:1"]);
    // An empty List is nothing to read and nothing dropped.
    let loaded =
        read("empty.yaml", "apiVersion: v1\nkind: List\nitems: []\nmetadata:\n  resourceVersion: \"\"\n");
    assert!(loaded.diagnostics.is_empty() && loaded.unused.is_empty(), "{loaded:#?}");
}

/// What is not used, by kind: kinds that cannot change a networking answer are ignored;
/// networking kinds the model does not simulate (the Gateway API, cluster-wide policies) are
/// skipped, as are objects with errors, second copies and documents without a kind; an object
/// of a networking kind kept with a warning of its own is listed as kept.
#[test]
fn unused_objects_are_told_apart_by_kind() {
    let text = "\
apiVersion: v1
kind: Secret
metadata: {name: s, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: admin}
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: web, namespace: shop}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: cluster-wide}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: orphan, namespace: shop}
addressType: IPv4
endpoints: []
---
just text
";
    let loaded = read("mixed.yaml", text);
    assert_eq!(
        unused(text, &loaded),
        [
            "ignored Secret shop/s 1:1",
            "ignored ClusterRoleBinding /admin 5:1",
            "skipped TLSRoute shop/web 9:1",
            "skipped AdminNetworkPolicy /cluster-wide 13:1",
            "skipped Namespace /shop 21:1",
            "kept EndpointSlice shop/orphan 25:1",
            "skipped  / 31:1",
        ],
        "{:#?}",
        loaded.unused
    );
    assert!(loaded.unused[4].why.contains("defined twice"), "{}", loaded.unused[4].why);
    assert!(loaded.unused[5].why.contains("kubernetes.io/service-name"), "{}", loaded.unused[5].why);
}

/// A Service refused across objects (a clusterIP another Service holds) is skipped too.
#[test]
fn a_service_refused_across_objects_is_skipped() {
    let text = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  clusterIP: 10.96.0.50\n  ports: [{port: 80}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec:\n  clusterIP: 10.96.0.50\n  ports: [{port: 80}]\n";
    let loaded = read("svc.yaml", text);
    assert_eq!(unused(text, &loaded), ["skipped Service default/b 8:1"], "{:#?}", loaded.unused);
    assert!(loaded.unused[0].why.contains("already allocated"), "{}", loaded.unused[0].why);
}

/// The file size limit is a parameter: 2 MiB by default (the browser), 256 MiB for the command
/// line; a file over it is refused before parsing and listed as not used.
#[test]
fn the_file_size_limit_is_a_parameter() {
    assert_eq!(Limits::default().max_file_bytes, 2 * 1024 * 1024);
    assert_eq!(Limits::command_line().max_file_bytes, 256 * 1024 * 1024);
    assert_eq!(Limits::default().max_objects, 200_000);
    assert_eq!(Limits::command_line().max_objects, 200_000);
    let ns = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-NUM\n  annotations:\n    note: \"PADDING\"\n---\n";
    let pad = "x".repeat(1000);
    let text: String =
        (0..3000).map(|i| ns.replace("NUM", &i.to_string()).replace("PADDING", &pad)).collect();
    assert!(text.len() > 3 * 1024 * 1024);
    let browser = read("big.yaml", &text);
    assert_eq!(places(&text, &browser), ["error file-too-large 1:1"]);
    assert_eq!(unused(&text, &browser), ["skipped  / 1:1"]);
    let cli = read_with("big.yaml", &text, &Limits::command_line());
    assert!(cli.diagnostics.is_empty(), "{:?}", places(&text, &cli));
    assert_eq!(cli.scenario.namespaces.len(), 3000);
    let small = Limits { max_file_bytes: 1000, ..Limits::command_line() };
    let refused = read_with("big.yaml", &text, &small);
    assert!(refused.diagnostics[0].message.contains("1000 bytes"), "{}", refused.diagnostics[0].message);
}

/// A budget of objects per run (documents and list items, in every file): the first one over
/// is `too-many-objects`, and the rest is not read.
#[test]
fn the_object_budget_counts_list_items_across_files() {
    let limits = Limits { max_objects: 3, ..Limits::command_line() };
    let files = [
        SourceFile {
            name: "a.yaml".into(),
            text: "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n".into(),
        },
        SourceFile { name: "b.yaml".into(), text: LIST.into() },
    ];
    let loaded = load_with(&files, &netsim::Topology::default(), &limits);
    let codes: Vec<(&str, usize)> = loaded.diagnostics.iter().map(|d| (d.code, d.start)).collect();
    let at = LIST.find("- apiVersion: v1\n  kind: Service").unwrap() + 2;
    assert!(codes.contains(&("too-many-objects", at)), "{codes:?}");
    assert_eq!((loaded.scenario.namespaces.len(), loaded.scenario.pods.len()), (2, 1));
    let last = loaded.unused.last().expect("listed");
    assert_eq!((last.file.as_str(), last.start, last.status), ("b.yaml", at, UnusedStatus::Skipped));
}

/// JSON is YAML, but its syntax errors are said in JSON's words, at their place: what YAML
/// would accept (a trailing comma, a bare word) or word differently is JSON's error.
#[test]
fn json_files_are_read_and_their_syntax_errors_said_in_json_s_words() {
    let good = "{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"List\",\n    \"items\": [\n        {\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"caf\\u00e9-free\"}},\n        {\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"shop\"}}\n    ]\n}\n";
    let loaded = read("ns.json", good);
    assert_eq!(places(good, &loaded), ["error invalid-name 5:72"]);
    assert_eq!(loaded.scenario.namespaces.len(), 1);
    for (text, at, words) in [
        ("{\"apiVersion\": \"v1\", \"kind\": \"Pod\" \"metadata\": {}}\n", "1:36", "expected `,` or `}`"),
        (
            "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"a\",}}\n",
            "1:67",
            "trailing comma",
        ),
        ("{\"kind\": tru}\n", "1:13", "`true`, `false` or `null`"),
        ("{\"kind\": 'Pod'}\n", "1:10", "expected value"),
        ("{\"kind\": \"Pod\"}\n{\"kind\": \"Pod\"}\n", "2:1", "trailing characters"),
        ("{\"kind\": \"Pod\"\n", "2:1", "EOF while parsing an object"),
    ] {
        let loaded = read("bad.json", text);
        let got = places(text, &loaded);
        assert_eq!(got, [format!("error json-syntax {at}")], "{text}: {:?}", loaded.diagnostics);
        let message = &loaded.diagnostics[0].message;
        assert!(message.contains(words) && message.contains("JSON"), "{text}: {message}");
        assert!(!message.contains("YAML"), "{text}: {message}");
        assert_eq!(unused(text, &loaded).len(), 1, "{text}: listed as not used");
    }
    // The same text in a .yaml file is YAML's to judge.
    let loaded = read("bad.yaml", "{\"kind\": \"Pod\" \"metadata\": {}}\n");
    assert_eq!(loaded.diagnostics[0].code, "yaml-syntax");
}

/// A document the YAML reading gives up on is listed with what can be read of it (a repeated
/// key: the API server refuses the document), skipped or, for a kind that cannot change a
/// networking answer, ignored; so is where a syntax error stopped the reading.
#[test]
fn documents_the_yaml_reading_gives_up_on_are_listed() {
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  name: api\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: v\n  k: w\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: [p\n";
    let loaded = read("broken.yaml", text);
    assert_eq!(
        unused(text, &loaded),
        ["skipped Service default/web 1:1", "ignored ConfigMap /c 7:1", "skipped  / 17:18"],
        "{:#?}",
        loaded.unused
    );
    assert!(loaded.unused[0].why.contains("duplicate key `name`"), "{}", loaded.unused[0].why);
}

/// A dump's object with a field the schema does not know (an obsolete one, or `status: {}` on
/// a NetworkPolicy) is refused by strict reading, as `kubectl apply` with strict field
/// validation refuses it; with `warn_unknown_fields` (the analysis commands) it is kept with a
/// warning and listed as kept, as the API server's `fieldValidation=Warn` keeps the object and
/// drops the field. https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
#[test]
fn unknown_fields_refuse_the_object_or_are_warned_and_kept() {
    let text = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\nstatus: {}\n";
    let strict = read_with("p.yaml", text, &Limits::command_line());
    assert!(strict.scenario.network_policies.is_empty());
    assert_eq!(places(text, &strict), ["error unknown-field 9:1"]);
    let warned = read_with("p.yaml", text, &Limits { warn_unknown_fields: true, ..Limits::command_line() });
    assert_eq!(warned.scenario.network_policies.len(), 1, "kept");
    assert_eq!(places(text, &warned), ["warning unknown-field 9:1"]);
    assert_eq!(unused(text, &warned), ["kept NetworkPolicy shop/deny 1:1"]);
}
