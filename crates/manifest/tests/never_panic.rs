//! Random and truncated variants of real manifests never panic, and every diagnostic range
//! lies within its file on char boundaries.

use manifest::{load, SourceFile};
use netsim::rng::SplitMix64;

fn seeds() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/load");
    let mut out = Vec::new();
    for name in [
        "clean-service-and-deployment",
        "clean-multiport",
        "clean-networkpolicy",
        "clean-ingress",
        "clean-endpoints-manual",
        "clean-namespace-node-pod",
        "anchors-and-aliases",
        "unicode-in-annotation",
    ] {
        out.push(std::fs::read_to_string(dir.join(format!("{name}.yaml"))).unwrap());
    }
    out
}

const ALPHABET: &[&str] = &[
    " ", "\t", "\n", "\r\n", ":", "-", "[", "]", "{", "}", "\"", "'", "&a", "*a", "!!int", "#", "é", "☕",
    "0", "65536", "?", "|", ">", ",", "%", "@", "`", "\u{feff}", "---", "...",
];

fn mutate(rng: &mut SplitMix64, text: &str) -> String {
    match rng.index(5) {
        0 => {
            // Byte truncation at a random point (kept on a char boundary).
            let mut at = rng.index(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text[..at].to_string()
        }
        1 => {
            let mut lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                lines.remove(rng.index(lines.len()));
            }
            lines.join("\n")
        }
        2 => {
            let mut lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let i = rng.index(lines.len());
                lines.insert(rng.index(lines.len()), lines[i]);
            }
            lines.join("\n")
        }
        _ => {
            let mut chars: Vec<String> = text.chars().map(String::from).collect();
            for _ in 0..1 + rng.index(4) {
                if chars.is_empty() {
                    break;
                }
                let i = rng.index(chars.len());
                chars[i] = ALPHABET[rng.index(ALPHABET.len())].to_string();
            }
            chars.concat()
        }
    }
}

#[test]
fn random_variants_never_panic() {
    let mut rng = SplitMix64::new(0x5eed);
    let seeds = seeds();
    let topology = netsim::Topology::default();
    let mut total = 0;
    for round in 0..3000 {
        let base = &seeds[round % seeds.len()];
        let mut text = mutate(&mut rng, base);
        if round % 3 == 0 {
            text = mutate(&mut rng, &text);
        }
        let files = [SourceFile { name: "f.yaml".into(), text: text.clone() }];
        // With the checks that need the built cluster (`policies`), which must not panic either.
        let (loaded, _) = manifest::load_and_build(&files, &topology);
        for d in &loaded.diagnostics {
            assert!(d.start <= d.end && d.end <= text.len(), "range out of file: {d:?}\n{text}");
            assert!(text.is_char_boundary(d.start) && text.is_char_boundary(d.end), "{d:?}\n{text}");
            assert!(!d.code.is_empty() && !d.message.is_empty());
        }
        total += 1;
    }
    assert_eq!(total, 3000);
}

#[test]
fn pathological_inputs() {
    let topology = netsim::Topology::default();
    let big = "a".repeat(manifest::yaml::MAX_FILE_BYTES + 1);
    let many_docs = "---\na: 1\n".repeat(manifest::yaml::MAX_DOCUMENTS + 5);
    let deep_seq = format!("{}{}", "- ".repeat(5000), "x");
    let deep_flow = format!("{}{}", "[".repeat(20000), "]".repeat(20000));
    for (text, code) in [
        (big, Some("file-too-large")),
        (many_docs, Some("too-many-documents")),
        (deep_seq, Some("nesting-too-deep")),
        (deep_flow, None),
        ("\0\u{1}\u{7f}".to_string(), None),
        ("*unknown\n".to_string(), None),
        ("&a [*a]\n".to_string(), None),
    ] {
        let loaded = load(&[SourceFile { name: "p.yaml".into(), text: text.clone() }], &topology);
        if let Some(code) = code {
            assert!(loaded.diagnostics.iter().any(|d| d.code == code), "{code}: {:?}", loaded.diagnostics);
        }
    }
}
