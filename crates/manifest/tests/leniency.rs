//! What kubectl's YAML reader accepts, read as kubectl reads it.
//!
//! kubectl turns YAML into JSON with sigs.k8s.io/yaml, built on go-yaml v2, a port of libyaml
//! that reads YAML 1.1. The reader is a YAML 1.2 parser (saphyr), stricter in a few places;
//! each leniency adopted is a row here: the document, and the value go-yaml v2 gives it (the
//! rows were checked against libyaml, through PyYAML's binding to it, and against go-yaml v2's
//! resolve.go and decode.go). The last rows are what libyaml refuses too, and stays refused.
//!
//! A value is written as flow YAML: `{key: value}`, `[item]`, strings quoted, numbers and
//! booleans bare, `null`.

use manifest::yaml::{parse, Node, Resolved, Value};

/// (what, YAML, the value go-yaml v2 reads).
const ACCEPTED: &[(&str, &str, &str)] = &[
    // libyaml does not check the indentation of a quoted scalar's continuation lines.
    (
        "double-quoted, last line under-indented",
        "metadata:\n  annotations:\n    note: \"line one\n  line two\"\nkind: x\n",
        r#"{metadata: {annotations: {note: "line one line two"}}, kind: "x"}"#,
    ),
    (
        "double-quoted, a line at column 0",
        "metadata:\n  annotations:\n    note: \"line one\nline two\"\n",
        r#"{metadata: {annotations: {note: "line one line two"}}}"#,
    ),
    (
        "single-quoted, last line under-indented",
        "metadata:\n  annotations:\n    note: 'it''s one\n  line two'\n",
        r#"{metadata: {annotations: {note: "it's one line two"}}}"#,
    ),
    (
        "double-quoted, several lines, some under-indented",
        "a:\n  b: \"one\n two\n      three\n four\"\n",
        r#"{a: {b: "one two three four"}}"#,
    ),
    (
        "double-quoted, an escaped line break before an under-indented line",
        "a:\n  b: \"one\\\n two\"\n",
        r#"{a: {b: "onetwo"}}"#,
    ),
    (
        "double-quoted, an empty line keeps its line break",
        "a:\n  b: \"one\n\n two\"\n",
        r#"{a: {b: "one\ntwo"}}"#,
    ),
    ("double-quoted, the closing quote alone under-indented", "a:\n  b: \"one\n \"\n", r#"{a: {b: "one "}}"#),
    ("double-quoted in a list item", "items:\n  - \"one\n two\"\n", r#"{items: ["one two"]}"#),
    // Nor of a flow collection's content.
    (
        "flow list, second line at column 0",
        "spec:\n  ports: [80,\n443]\nkind: x\n",
        r#"{spec: {ports: [80, 443]}, kind: "x"}"#,
    ),
    (
        "flow mapping, second line under-indented",
        "spec:\n  selector: {app: web,\n tier: db}\n",
        r#"{spec: {selector: {app: "web", tier: "db"}}}"#,
    ),
    (
        "flow list, a plain scalar over two lines",
        "spec:\n  list: [one\ntwo]\n",
        r#"{spec: {list: ["one two"]}}"#,
    ),
    ("flow list in a list item", "items:\n  - [a,\n b]\n", r#"{items: [["a", "b"]]}"#),
    ("flow list, three lines", "a:\n  b:\n    c: [1,\n2,\n3]\n", r#"{a: {b: {c: [1, 2, 3]}}}"#),
    // YAML 1.1 merge keys (go-yaml v2 decode.go `merge`).
    ("merge key", "base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n", r#"{base: {x: 1}, d: {x: 1, y: 2}}"#),
    (
        "merge key, a key after it wins",
        "base: &b {x: 1, y: 1}\nd:\n  <<: *b\n  y: 2\n",
        r#"{base: {x: 1, y: 1}, d: {x: 1, y: 2}}"#,
    ),
    (
        "merge key, go-yaml v2 lets it replace a key written before it",
        "base: &b {x: 1}\nd:\n  x: 2\n  <<: *b\n",
        r#"{base: {x: 1}, d: {x: 1}}"#,
    ),
    (
        "merge key, a list of mappings: the earlier wins",
        "a: &a {x: a}\nb: &b {x: b, y: b}\nd:\n  <<: [*a, *b]\n",
        r#"{a: {x: "a"}, b: {x: "b", y: "b"}, d: {x: "a", y: "b"}}"#,
    ),
    ("merge key, an inline mapping", "d:\n  <<: {x: 1}\n  y: 2\n", r#"{d: {x: 1, y: 2}}"#),
    ("a quoted `<<` is an ordinary key", "d:\n  \"<<\": 1\n", r#"{d: {<<: 1}}"#),
    // Scalars resolved as go-yaml v2's resolve.go does (YAML 1.1), then passed on as JSON.
    (
        "y, n, on, off, yes, no are booleans",
        "[y, N, on, Off, yes, NO]",
        "[true, false, true, false, true, false]",
    ),
    ("a leading 0 is octal", "[0755, -010, 0]", "[493, -8, 0]"),
    (
        "0o octal, 0x hex, 0b binary, any case",
        "[0o17, 0O17, 0x1F, 0X1f, 0b101, -0B11]",
        "[15, 15, 31, 31, 5, -3]",
    ),
    ("underscores are dropped", "[1_000, 0x_ff, 1_0.5]", "[1000, 255, 10.5]"),
    ("08 and 09 are not octal: floats, so 8 and 9", "[08, 09]", "[8, 9]"),
    ("a whole float reaches the API server as an integer", "[80.0, 1e3, 1., +12]", "[80, 1000, 1, 12]"),
    ("fractions stay floats", "[.5, -1.25, 2.5e-1]", "[0.5, -1.25, 0.25]"),
    ("timestamps stay strings", "[2001-12-14, 12:30]", r#"["2001-12-14", "12:30"]"#),
    ("a number with a letter is a string", "[123abc, 0x, 1e, _1]", r#"["123abc", "0x", "1e", "_1"]"#),
];

/// (what, YAML): refused by libyaml as well, so refused here.
const REFUSED: &[(&str, &str)] = &[
    ("a plain scalar's continuation under-indented in a block", "items:\n  - one\n two\n"),
    ("a document marker inside a quoted scalar", "a: \"one\n---\ntwo\"\n"),
    ("a tab as indentation", "a:\n\tb: 1\n"),
    ("a merge key with a scalar", "d:\n  <<: 1\n"),
    ("a merge key with a list of scalars", "d:\n  <<: [1, 2]\n"),
];

fn render(n: &Node) -> String {
    match &n.value {
        Value::Map(entries) => {
            let items: Vec<String> = entries
                .iter()
                .map(|e| {
                    format!("{}: {}", e.key.as_scalar().map_or("?", |s| s.text.as_str()), render(&e.value))
                })
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        Value::Seq(items) => format!("[{}]", items.iter().map(render).collect::<Vec<_>>().join(", ")),
        Value::Scalar(s) => match s.resolved {
            Resolved::Null => "null".into(),
            Resolved::Bool(b) => b.to_string(),
            Resolved::Int(i) => i.to_string(),
            Resolved::Float(f) => f.to_string(),
            Resolved::Str => format!("{:?}", s.text),
        },
    }
}

#[test]
fn what_go_yaml_v2_accepts_is_read_as_it_reads_it() {
    let mut failures = Vec::new();
    for (what, yaml, want) in ACCEPTED {
        let mut diags = Vec::new();
        let docs = parse("case.yaml", yaml, &mut diags);
        let got = docs.first().map_or("(no document)".to_string(), |d| render(&d.root));
        if !diags.is_empty() || got != *want {
            let said: Vec<String> = diags.iter().map(|d| d.message.clone()).collect();
            failures.push(format!("{what}:\n  want {want}\n  got  {got}\n  said {said:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn what_libyaml_refuses_stays_refused() {
    for (what, yaml) in REFUSED {
        let mut diags = Vec::new();
        parse("case.yaml", yaml, &mut diags);
        assert!(!diags.is_empty(), "{what}: accepted");
    }
}

/// A mistake after a padded line is reported where it is in the file as written: at the same
/// line and column as in the same file indented as YAML 1.2 wants.
#[test]
fn positions_after_a_padded_line_are_the_files() {
    let lenient = "a:\n  b: \"one\ntwo\"\n  c: [1,\n2]\n  d: [\n";
    let strict = "a:\n  b: \"one\n    two\"\n  c: [1,\n    2]\n  d: [\n";
    let at = |text: &str| {
        let mut diags = Vec::new();
        parse("case.yaml", text, &mut diags);
        let d = diags.first().expect("the unclosed list is an error").clone();
        (manifest::line_col(text, d.start), manifest::line_col(text, d.end), d.message)
    };
    assert_eq!(at(lenient), at(strict));
}
