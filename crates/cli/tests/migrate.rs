//! `switchboard convert ingress` and `switchboard replay`, on every Ingress of the curriculum
//! (chapters 8 and 11): each solution's Ingresses are converted, and the same requests
//! (generated from both sides' hosts and paths) are replayed through the ingress controller
//! and the converted Gateways. They differ only where ingress-nginx behaves in a way the
//! Gateway API's standard channel has no words for, and `migrate/differences.txt` lists each
//! such difference, with both decisions (`UPDATE_EXPECT=1` to bless, after reading it):
//! - a path that is a regular expression (use-regex, or a rewrite-target with capture
//!   groups) matches case-insensitively and not element by element under ingress-nginx
//!   (`/CI` and `/cix` match `/ci`); the converted PathPrefix does neither.
//!
//! Requests over HTTPS go only to the hosts either side has a certificate for (ingress-nginx
//! answers HTTPS for every other host with its self-signed default certificate, which a
//! Gateway has no equivalent for). Everything else agrees: hosts, Prefix and Exact paths, the default backend, the 308 from
//! HTTP to HTTPS of a TLS host, and the `/$2` rewrite idiom as ReplacePrefixMatch.

use std::path::{Path, PathBuf};
use std::process::Command;

use expect_test::expect_file;

fn switchboard(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_switchboard")).args(args).output().expect("switchboard runs");
    (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
        out.status.code().unwrap_or(-1),
    )
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../exercises")
}

/// Each exercise of chapters 8 and 11 whose solution has an Ingress: its cluster and solution
/// written to a folder of their own.
fn ingress_solutions() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for chapter in ["08-ingress", "11-capstones"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(chapter))
            .expect("chapter")
            .map(|e| e.expect("entry").path())
            .collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path).expect("exercise");
            let ex = exercises::load(&path.display().to_string(), &text).exercise.expect("loads");
            let solution = exercises::solution_files(&ex);
            if !solution.iter().any(|f| f.text.contains("kind: Ingress")) {
                continue;
            }
            let name = format!("{chapter}/{}", path.file_stem().unwrap_or_default().to_string_lossy());
            let dir = std::env::temp_dir().join(format!(
                "switchboard-migrate-{}-{}",
                std::process::id(),
                name.replace('/', "-")
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("ingress")).expect("dir");
            std::fs::write(dir.join("ingress/cluster.yaml"), &ex.cluster).expect("cluster");
            for f in &solution {
                std::fs::write(dir.join("ingress").join(&f.name), &f.text).expect("file");
            }
            out.push((name, dir));
        }
    }
    out
}

#[test]
fn every_curriculum_ingress_converts_and_replays_with_its_differences_listed() {
    let cases = ingress_solutions();
    assert!(cases.len() >= 5, "the curriculum's Ingress exercises: {}", cases.len());
    let mut listed = String::new();
    for (name, dir) in cases {
        let ingress = dir.join("ingress");
        let (yaml, stderr, code) = switchboard(&["convert", "ingress", &ingress.display().to_string()]);
        assert_eq!(code, 0, "{name}: convert: {stderr}");
        // The converted objects beside the same Services and pods.
        std::fs::write(dir.join("converted.yaml"), &yaml).expect("write");
        let (valid, stderr, code) =
            switchboard(&["validate", &dir.join("converted.yaml").display().to_string()]);
        assert_eq!(code, 0, "{name}: the converted objects are valid:\n{valid}{stderr}\n{yaml}");
        let (table, stderr, code) = switchboard(&[
            "replay",
            "--ingress",
            &ingress.display().to_string(),
            "--gateway",
            &ingress.display().to_string(),
            &dir.join("converted.yaml").display().to_string(),
        ]);
        assert!(code == 0 || code == 1, "{name}: replay: {stderr}");
        let differences: Vec<&str> =
            table.lines().filter(|l| l.starts_with("  ") || l.contains("differ")).collect();
        listed.push_str(&format!("## {name}\n"));
        // The comments convert wrote: what it could not say.
        for line in yaml.lines().filter(|l| {
            l.starts_with("# ") && !l.starts_with("# Converted") && !l.starts_with("# The built-in")
        }) {
            listed.push_str(&format!("{line}\n"));
        }
        let rows: Vec<&str> = table.lines().collect();
        for (i, line) in rows.iter().enumerate() {
            if rows.get(i + 1).is_some_and(|n| n.starts_with("  differs")) {
                listed.push_str(&format!("{line}\n"));
            }
        }
        for line in differences {
            listed.push_str(&format!("{line}\n"));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    expect_file!["migrate/differences.txt"].assert_eq(&listed);
}

/// A converted Ingress is a Gateway with an HTTP listener (and an HTTPS one per TLS host with
/// a Secret) and a Route per host; an annotation without an equivalent is named above the
/// Route it would have changed.
#[test]
fn convert_writes_a_gateway_and_routes_and_names_what_it_leaves_out() {
    let dir = std::env::temp_dir().join(format!("switchboard-convert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("ingress.yaml");
    std::fs::write(
        &file,
        "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
spec:
  ingressClassName: nginx
  tls:
    - hosts: [shop.example]
      secretName: shop-tls
  rules:
    - host: shop.example
      http:
        paths:
          - path: /api
            pathType: Prefix
            backend:
              service: {name: api, port: {number: 80}}
",
    )
    .expect("write");
    let (yaml, stderr, code) = switchboard(&["convert", "ingress", &file.display().to_string()]);
    assert_eq!(code, 0, "{stderr}");
    for expected in [
        "kind: GatewayClass",
        "controllerName: example.net/gateway-controller",
        "kind: Gateway\n",
        "name: https-shop-example",
        "name: shop-tls",
        "name: shop-to-https",
        "scheme: https",
        "statusCode: 308",
        "sectionName: https-shop-example",
        "type: PathPrefix\n        value: /api",
        "# annotation `nginx.ingress.kubernetes.io/proxy-body-size` has no Gateway API equivalent: not converted",
    ] {
        assert!(yaml.contains(expected), "missing {expected:?} in:\n{yaml}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Each annotation with a standard equivalent, as the conversion writes it (ingress-nginx's
/// annotation reference for what each does; the Gateway API's HTTPRoute filters for the
/// equivalent): (the Ingress's annotations and path, what the converted YAML holds).
const ANNOTATIONS: &[(&str, &str, &[&str])] = &[
    // rewrite-target without capture groups: the whole path becomes the target.
    ("rewrite-target: /", "/app", &["type: URLRewrite", "replaceFullPath: / type: ReplaceFullPath"]),
    // The documented capture idiom: the prefix is stripped.
    (
        "rewrite-target: /$2",
        "/app(/|$)(.*)",
        &["type: PathPrefix value: /app", "replacePrefixMatch: / type: ReplacePrefixMatch"],
    ),
    // Any other capture: not converted, and said.
    ("rewrite-target: /v2/$1", "/api/(.*)", &["uses regex capture groups", "not converted"]),
    (
        "permanent-redirect: https://new.example/landing",
        "/",
        &["type: RequestRedirect", "hostname: new.example", "replaceFullPath: /landing", "statusCode: 301"],
    ),
    ("temporal-redirect: https://new.example/", "/", &["statusCode: 302"]),
    ("app-root: /shop", "/", &["type: Exact value: /", "replaceFullPath: /shop", "statusCode: 302"]),
    ("upstream-vhost: internal.example", "/", &["type: URLRewrite", "hostname: internal.example"]),
    ("force-ssl-redirect: \"true\"", "/", &["force-ssl-redirect without a tls entry"]),
    (
        "enable-cors: \"true\"",
        "/",
        &["annotation `nginx.ingress.kubernetes.io/enable-cors` has no Gateway API equivalent"],
    ),
];

/// `yaml` on one line, each run of white space one space (the emitter's indentation aside).
fn flat(yaml: &str) -> String {
    yaml.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn converted(ingresses: &str) -> String {
    let dir = std::env::temp_dir().join(format!(
        "switchboard-annotations-{}-{}",
        std::process::id(),
        ingresses.len()
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("ingress.yaml");
    std::fs::write(&file, ingresses).expect("write");
    let (yaml, stderr, code) = switchboard(&["convert", "ingress", &file.display().to_string()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 0, "{stderr}");
    yaml
}

fn ingress(name: &str, annotations: &str, path: &str, path_type: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {name}\n  namespace: shop\n  annotations:\n    nginx.ingress.kubernetes.io/{annotations}\nspec:\n  ingressClassName: nginx\n  rules:\n    - host: shop.example\n      http:\n        paths:\n          - path: \"{path}\"\n            pathType: {path_type}\n            backend:\n              service: {{name: web, port: {{number: 80}}}}\n"
    )
}

#[test]
fn each_annotation_with_an_equivalent_converts_and_the_rest_are_named() {
    for (annotation, path, wanted) in ANNOTATIONS {
        let kind = if path.contains('(') { "ImplementationSpecific" } else { "Prefix" };
        let yaml = flat(&converted(&ingress("web", annotation, path, kind)));
        for want in *wanted {
            assert!(yaml.contains(want), "{annotation}: missing {want:?} in:\n{yaml}");
        }
    }
}

/// A canary Ingress with `canary-weight` shares the main Ingress's rule for the same host and
/// path: 80 to the main backend, 20 to the canary's (of `canary-weight-total`, 100).
#[test]
fn a_weighted_canary_becomes_backend_weights() {
    let main = ingress("web", "proxy-body-size: 1m", "/", "Prefix");
    let canary = ingress("web-canary", "canary: \"true\"", "/", "Prefix")
        .replace("    nginx.ingress.kubernetes.io/canary: \"true\"\n", "    nginx.ingress.kubernetes.io/canary: \"true\"\n    nginx.ingress.kubernetes.io/canary-weight: \"20\"\n")
        .replace("name: web, port", "name: web-v2, port");
    let yaml = flat(&converted(&format!("{main}---\n{canary}")));
    assert!(
        yaml.contains("name: web port: 80 weight: 80") && yaml.contains("name: web-v2 port: 80 weight: 20"),
        "{yaml}"
    );
    assert_eq!(yaml.matches("kind: HTTPRoute").count(), 1, "the canary has no Route of its own:\n{yaml}");
}

/// An Ingress's notes stand above its own first Route, even when another Ingress's name is a
/// prefix of its name (`shop` and `shop-admin`).
#[test]
fn notes_stand_above_the_route_of_their_own_ingress() {
    let plain = ingress("shop", "proxy-body-size: 1m", "/", "Prefix")
        .replace("    nginx.ingress.kubernetes.io/proxy-body-size: 1m\n", "")
        .replace("  annotations:\n", "");
    let admin = ingress("shop-admin", "enable-cors: \"true\"", "/", "Prefix")
        .replace("shop.example", "admin.example");
    let yaml = converted(&format!("{plain}---\n{admin}"));
    let admin_doc =
        yaml.split("---\n").find(|d| d.contains("kind: HTTPRoute") && d.contains("name: shop-admin"));
    let admin_doc = admin_doc.unwrap_or_else(|| panic!("no Route shop-admin in:\n{yaml}"));
    assert!(admin_doc.starts_with("# From Ingress shop/shop-admin:"), "{yaml}");
}
