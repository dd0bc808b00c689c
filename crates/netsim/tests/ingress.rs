//! Ingress routing as the docs define it, and requests through the ingress-nginx controller.
//! https://kubernetes.io/docs/concepts/services-networking/ingress/
mod common;

use common::*;
use expect_test::{expect, Expect};
use netsim::ingress::{self, built_in_class, host_matches, path_matches};
use netsim::*;

fn backend(svc: &str) -> IngressBackend {
    match svc.split_once(':') {
        Some((name, port)) => IngressBackend::Service {
            name: name.into(),
            port: port.parse().map(PortRef::Number).unwrap_or_else(|_| PortRef::Name(port.into())),
        },
        None => IngressBackend::Service { name: svc.into(), port: PortRef::Number(80) },
    }
}

fn path_type(t: &str) -> PathType {
    match t {
        "Exact" => PathType::Exact,
        "ImplementationSpecific" => PathType::ImplementationSpecific,
        _ => PathType::Prefix,
    }
}

/// `(host, [(path, pathType, svc[:port])])`; host "" for a rule without host.
type Rule<'a> = (&'a str, &'a [(&'a str, &'a str, &'a str)]);

/// An Ingress of class `nginx` in `default`.
fn ing(name: &str, rules: &[Rule]) -> Ingress {
    Ingress {
        name: name.into(),
        namespace: "default".into(),
        annotations: Labels::new(),
        class_name: Some("nginx".into()),
        default_backend: None,
        rules: rules
            .iter()
            .map(|(host, paths)| IngressRule {
                host: if host.is_empty() { None } else { Some(host.to_string()) },
                paths: paths
                    .iter()
                    .map(|(p, t, svc)| IngressPath {
                        path: Some(p.to_string()),
                        path_type: path_type(t),
                        backend: backend(svc),
                        source: None,
                    })
                    .collect(),
            })
            .collect(),
        tls: Vec::new(),
        source: None,
    }
}

/// The route as one line: `default/a -> web:80`, `default backend default/a -> web:80`, `404`.
fn render(d: &RouteDecision) -> String {
    let svc = |b: &IngressBackend| match b {
        IngressBackend::Service { name, port } => format!("{name}:{port}"),
        IngressBackend::Resource { kind, name } => format!("{kind}/{name}"),
    };
    let mut out = match &d.route {
        Route::Path(m) => format!("{}/{} -> {}", m.ingress.namespace, m.ingress.name, svc(&m.backend)),
        Route::DefaultBackend { ingress, backend } => {
            format!("default backend {}/{} -> {}", ingress.namespace, ingress.name, svc(backend))
        }
        Route::NotFound => "404".into(),
    };
    if let Some(loc) = &d.redirect {
        out = format!("308 {loc}");
    }
    if d.rewrite_target.is_some() {
        out.push_str(&format!(" path {}", d.upstream_path));
    }
    if let Some(c) = &d.canary {
        out.push_str(&format!(
            " + canary {}/{} -> {} {}/{}",
            c.ingress.namespace,
            c.ingress.name,
            svc(&c.backend),
            c.weight,
            c.total
        ));
        if let Some(h) = &c.header {
            out.push_str(&format!(" header {h}"));
        }
        if let Some(k) = &c.cookie {
            out.push_str(&format!(" cookie {k}"));
        }
    }
    out
}

fn classes() -> Vec<IngressClass> {
    vec![built_in_class()]
}

fn route(ingresses: &[Ingress], url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some(("https", r)) => (Scheme::Https, r),
        Some((_, r)) => (Scheme::Http, r),
        None => (Scheme::Http, url),
    };
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    render(&ingress::route(ingresses, &classes(), host, path, scheme))
}

// https://kubernetes.io/docs/concepts/services-networking/ingress/#examples
// Every row of the docs' table: (kind, paths, request path, matches).
#[test]
fn path_type_examples_table() {
    let rows: &[(&str, &[&str], &str, bool)] = &[
        ("Prefix", &["/"], "/anything/at/all", true),
        ("Exact", &["/foo"], "/foo", true),
        ("Exact", &["/foo"], "/bar", false),
        ("Exact", &["/foo"], "/foo/", false),
        ("Exact", &["/foo/"], "/foo", false),
        ("Prefix", &["/foo"], "/foo", true),
        ("Prefix", &["/foo"], "/foo/", true),
        ("Prefix", &["/foo/"], "/foo", true),
        ("Prefix", &["/foo/"], "/foo/", true),
        ("Prefix", &["/aaa/bb"], "/aaa/bbb", false),
        ("Prefix", &["/aaa/bbb"], "/aaa/bbb", true),
        ("Prefix", &["/aaa/bbb/"], "/aaa/bbb", true), // ignores trailing slash
        ("Prefix", &["/aaa/bbb"], "/aaa/bbb/", true), // matches trailing slash
        ("Prefix", &["/aaa/bbb"], "/aaa/bbb/ccc", true), // matches subpath
        ("Prefix", &["/aaa/bbb"], "/aaa/bbbxyz", false), // does not match string prefix
        ("Prefix", &["/", "/aaa"], "/aaa/ccc", true),
        ("Prefix", &["/", "/aaa", "/aaa/bbb"], "/aaa/bbb", true),
        ("Prefix", &["/", "/aaa", "/aaa/bbb"], "/ccc", true),
        ("Prefix", &["/aaa"], "/ccc", false), // uses default backend
        // The brief's own: Prefix is element-wise.
        ("Prefix", &["/foo"], "/foo/bar", true),
        ("Prefix", &["/foo"], "/foobar", false),
        // ImplementationSpecific is a prefix in ingress-nginx without regex.
        ("ImplementationSpecific", &["/foo"], "/foo/bar", true),
        ("ImplementationSpecific", &["/foo"], "/foobar", false),
    ];
    let mut failures = Vec::new();
    for (kind, paths, request, want) in rows {
        let got = paths.iter().any(|p| path_matches(path_type(kind), p, request));
        // And through the router: a match routes to `web`, a miss is a 404.
        let list: Vec<(&str, &str, &str)> = paths.iter().map(|p| (*p, *kind, "web")).collect();
        let routed = route(&[ing("a", &[("", &list)])], &format!("http://x{request}")) != "404";
        if got != *want || routed != *want {
            failures.push(format!("{kind} {paths:?} {request}: want {want}, got {got} (routed {routed})"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

// https://kubernetes.io/docs/concepts/services-networking/ingress/#multiple-matches
#[test]
fn longest_match_then_exact() {
    let paths: &[(&str, &str, &str)] = &[
        ("/", "Prefix", "root"),
        ("/aaa", "Prefix", "aaa"),
        ("/aaa/bbb", "Prefix", "bbb"),
        ("/foo", "Prefix", "foo-prefix"),
        ("/foo", "Exact", "foo-exact"),
    ];
    let a = [ing("a", &[("", paths)])];
    let rows = [
        ("/aaa/bbb", "default/a -> bbb:80"),
        ("/aaa/ccc", "default/a -> aaa:80"),
        ("/ccc", "default/a -> root:80"),
        ("/foo", "default/a -> foo-exact:80"), // Mixed: prefers Exact
        ("/foo/x", "default/a -> foo-prefix:80"),
    ];
    for (path, want) in rows {
        assert_eq!(route(&a, &format!("http://h{path}")), want, "{path}");
    }
}

// https://kubernetes.io/docs/concepts/services-networking/ingress/#hostname-wildcards
#[test]
fn hostname_wildcards_table() {
    let rows = [
        ("*.foo.com", "bar.foo.com", Some(HostMatch::Wildcard)), // shared suffix
        ("*.foo.com", "baz.bar.foo.com", None),                  // only a single DNS label
        ("*.foo.com", "foo.com", None),
        ("foo.bar.com", "foo.bar.com", Some(HostMatch::Exact)),
        ("foo.bar.com", "FOO.bar.com:8080", Some(HostMatch::Exact)), // Host header: case, port
        ("foo.bar.com", "bar.foo.com", None),
    ];
    for (rule, host, want) in rows {
        assert_eq!(host_matches(rule, host), want, "{rule} vs {host}");
    }
}

// https://kubernetes.io/docs/concepts/services-networking/ingress/#name-based-virtual-hosting
#[test]
fn host_precedence_exact_then_wildcard_then_any() {
    let i = [
        ing("any", &[("", &[("/", "Prefix", "any")])]),
        ing("wild", &[("*.example.com", &[("/", "Prefix", "wild")])]),
        ing("exact", &[("shop.example.com", &[("/api", "Prefix", "api")])]),
    ];
    let rows = [
        ("http://shop.example.com/api/cart", "default/exact -> api:80"),
        ("http://blog.example.com/", "default/wild -> wild:80"),
        ("http://example.com/", "default/any -> any:80"),
        ("http://a.b.example.com/", "default/any -> any:80"),
        ("http://10.0.0.1/x", "default/any -> any:80"),
        // The exact server is chosen; its path misses: 404, not the host-less rule (nginx servers).
        ("http://shop.example.com/other", "404"),
    ];
    for (url, want) in rows {
        assert_eq!(route(&i, url), want, "{url}");
    }
}

// https://kubernetes.io/docs/concepts/services-networking/ingress/#default-backend
#[test]
fn default_backends() {
    let mut with_default = ing("a", &[("shop.example.com", &[("/api", "Prefix", "api")])]);
    with_default.default_backend = Some(backend("fallback"));
    let only_default = Ingress { rules: Vec::new(), ..ing("catch", &[]) }.with_default("catch-all");
    let rows = [
        (vec![with_default.clone()], "http://shop.example.com/api", "default/a -> api:80"),
        (vec![with_default.clone()], "http://shop.example.com/x", "default backend default/a -> fallback:80"),
        // Another host goes to the catch-all server `_`, which this Ingress does not touch:
        // see `default_backend_with_rules_answers_only_its_own_hosts`.
        (vec![with_default.clone()], "http://other.com/x", "404"),
        (vec![only_default.clone()], "http://any.host/", "default backend default/catch -> catch-all:80"),
        (
            vec![ing("a", &[("shop.example.com", &[("/api", "Prefix", "api")])])],
            "http://shop.example.com/x",
            "404",
        ),
        (vec![], "http://shop.example.com/", "404"),
    ];
    for (i, url, want) in rows {
        assert_eq!(route(&i, url), want, "{url}");
    }
}

trait WithDefault {
    fn with_default(self, svc: &str) -> Self;
}
impl WithDefault for Ingress {
    fn with_default(mut self, svc: &str) -> Ingress {
        self.default_backend = Some(backend(svc));
        self
    }
}

// https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-class
// https://kubernetes.io/docs/concepts/services-networking/ingress/#default-ingress-class
#[test]
fn class_selection() {
    let rule: &[Rule] = &[("", &[("/", "Prefix", "web")])];
    let no_class = Ingress { class_name: None, ..ing("a", rule) };
    let other = Ingress { class_name: Some("traefik".into()), ..ing("a", rule) };
    let missing = Ingress { class_name: Some("nginx-typo".into()), ..ing("a", rule) };
    let mut legacy = Ingress { class_name: None, ..ing("a", rule) };
    legacy.annotations.insert("kubernetes.io/ingress.class".into(), "nginx".into());
    let traefik = IngressClass {
        name: "traefik".into(),
        controller: "traefik.io/ingress-controller".into(),
        is_default: false,
        source: None,
    };
    let default_nginx = IngressClass { is_default: true, ..built_in_class() };
    let cases: Vec<(Ingress, Vec<IngressClass>, &str)> = vec![
        (ing("a", rule), vec![built_in_class()], "default/a -> web:80"),
        (no_class.clone(), vec![built_in_class()], "404"), // nginx is not default
        (no_class.clone(), vec![default_nginx.clone()], "default/a -> web:80"),
        (
            no_class.clone(),
            vec![IngressClass { is_default: true, ..traefik.clone() }, built_in_class()],
            "404",
        ),
        (other, vec![traefik.clone(), built_in_class()], "404"),
        (missing, vec![built_in_class()], "404"),
        (legacy, vec![built_in_class()], "default/a -> web:80"),
    ];
    for (i, (ingress, classes, want)) in cases.into_iter().enumerate() {
        let d = ingress::route(&[ingress], &classes, "h", "/", Scheme::Http);
        assert_eq!(render(&d), want, "case {i}");
        if want == "404" {
            assert!(!d.skipped.is_empty(), "case {i}: the trace says why the Ingress is ignored");
        }
    }
}

// ingress-nginx merges the rules of every Ingress for a host; for the same path the oldest
// (here: first in file order) wins. https://kubernetes.github.io/ingress-nginx/how-it-works/
#[test]
fn rules_merge_across_ingresses() {
    let i = [
        ing("first", &[("shop.example.com", &[("/api", "Prefix", "api-v1")])]),
        ing("second", &[("shop.example.com", &[("/api", "Prefix", "api-v2"), ("/web", "Prefix", "web")])]),
    ];
    assert_eq!(route(&i, "http://shop.example.com/api/x"), "default/first -> api-v1:80");
    // The admission webhook refuses `second` as a whole (its `/api` overlaps):
    // see `admission_webhook_refuses_a_second_claim_of_a_host_and_path`.
    assert_eq!(route(&i, "http://shop.example.com/web"), "404");
    let i = [
        ing("first", &[("shop.example.com", &[("/api", "Prefix", "api-v1")])]),
        ing("second", &[("shop.example.com", &[("/web", "Prefix", "web")])]),
    ];
    assert_eq!(route(&i, "http://shop.example.com/api/x"), "default/first -> api-v1:80");
    assert_eq!(route(&i, "http://shop.example.com/web"), "default/second -> web:80");
}

// https://kubernetes.io/docs/concepts/services-networking/ingress/#tls
// https://kubernetes.github.io/ingress-nginx/user-guide/tls/#server-side-https-enforcement-through-redirect
#[test]
fn tls_and_ssl_redirect() {
    let mut a = ing("a", &[("shop.example.com", &[("/", "Prefix", "web")])]);
    a.tls = vec![IngressTls { hosts: vec!["shop.example.com".into()], secret_name: Some("shop-tls".into()) }];
    let mut off = a.clone();
    off.annotations.insert("nginx.ingress.kubernetes.io/ssl-redirect".into(), "false".into());
    let mut force = ing("a", &[("", &[("/", "Prefix", "web")])]);
    force.annotations.insert("nginx.ingress.kubernetes.io/force-ssl-redirect".into(), "true".into());
    let rows = [
        (&a, "http://shop.example.com/x", "308 https://shop.example.com/x"),
        (&a, "https://shop.example.com/x", "default/a -> web:80"),
        (&off, "http://shop.example.com/x", "default/a -> web:80"),
        (&force, "http://other/x", "308 https://other/x"),
        // The redirect keeps the query string: `return 308 https://$redirect_host$request_uri`
        // in ingress-nginx's nginx.tmpl ($request_uri holds it).
        (&a, "http://shop.example.com/login?next=/home", "308 https://shop.example.com/login?next=/home"),
    ];
    for (i, url, want) in rows {
        assert_eq!(route(std::slice::from_ref(i), url), want, "{url}");
    }
    let d = ingress::route(&[a], &classes(), "shop.example.com", "/", Scheme::Https);
    assert_eq!(d.tls.and_then(|t| t.secret).as_deref(), Some("shop-tls"));
}

// https://kubernetes.github.io/ingress-nginx/examples/rewrite/
#[test]
fn rewrite_target() {
    let mut regex = ing("a", &[("shop.example.com", &[("/api(/|$)(.*)", "ImplementationSpecific", "api")])]);
    regex.annotations.insert("nginx.ingress.kubernetes.io/rewrite-target".into(), "/$2".into());
    let mut plain = ing("a", &[("shop.example.com", &[("/api", "Prefix", "api")])]);
    plain.annotations.insert("nginx.ingress.kubernetes.io/rewrite-target".into(), "/".into());
    let rows = [
        (&regex, "http://shop.example.com/api/cart", "default/a -> api:80 path /cart"),
        (&regex, "http://shop.example.com/api", "default/a -> api:80 path /"),
        (&regex, "http://shop.example.com/API/Cart", "default/a -> api:80 path /Cart"), // ~* is case-insensitive
        (&regex, "http://shop.example.com/apix", "404"),
        (&plain, "http://shop.example.com/api/cart", "default/a -> api:80 path /"),
        // nginx's `rewrite ... break` keeps the request's arguments unless the replacement
        // ends with `?` (ngx_http_rewrite_module), and proxies them on.
        (&regex, "http://shop.example.com/api/search?q=dns", "default/a -> api:80 path /search?q=dns"),
    ];
    for (i, url, want) in rows {
        assert_eq!(route(std::slice::from_ref(i), url), want, "{url}");
    }
}

// ingress-nginx v1.15.1, internal/ingress/controller/controller.go, `createServers`: an
// Ingress's `spec.defaultBackend` becomes the root location of the servers its own rules
// create (the first Ingress naming a host creates its server); only an Ingress with no rules
// at all configures the catch-all server `_` (since PR #8825, first released in v1.3.1).
// The e2e test test/e2e/ingress/without_host.go checks `only-backend` -> 200 and
// `only-backend-doesnotexist` -> 404.
#[test]
fn default_backend_with_rules_answers_only_its_own_hosts() {
    let shop = ing("shop", &[("shop.example.com", &[("/api", "Prefix", "api")])]).with_default("fallback");
    let only_backend = Ingress {
        rules: vec![IngressRule { host: Some("only-backend".into()), paths: Vec::new() }],
        ..ing("backend", &[])
    }
    .with_default("echo");
    let catch_all = Ingress { rules: Vec::new(), ..ing("catch", &[]) }.with_default("catch-all");
    let hostless = ing("hostless", &[("", &[("/api", "Prefix", "api")])]).with_default("fallback");
    let root = ing("root", &[("", &[("/", "Prefix", "web")])]);
    let plain = ing("plain", &[("shop.example.com", &[("/web", "Prefix", "web")])]);
    let hostonly = Ingress {
        rules: vec![IngressRule { host: Some("h.example.com".into()), paths: Vec::new() }],
        ..ing("hostonly", &[])
    };
    let rows: Vec<(Vec<&Ingress>, &str, &str)> = vec![
        (vec![&shop], "http://shop.example.com/x", "default backend default/shop -> fallback:80"),
        (vec![&shop], "http://other.example.com/x", "404"),
        (vec![&only_backend], "http://only-backend/", "default backend default/backend -> echo:80"),
        (vec![&only_backend], "http://only-backend-doesnotexist/", "404"),
        (
            vec![&shop, &catch_all],
            "http://other.example.com/x",
            "default backend default/catch -> catch-all:80",
        ),
        (vec![&catch_all, &shop], "http://shop.example.com/x", "default backend default/shop -> fallback:80"),
        // Host-less rules join the server `_`, which exists before any Ingress: its root
        // location stays the controller's unless an Ingress without rules claims it.
        (vec![&hostless], "http://any.example.com/x", "404"),
        (vec![&hostless], "http://any.example.com/api", "default/hostless -> api:80"),
        // The catch-all's backend takes `/` of `_` before any path is added
        // (`getBackendServers` then finds `/` configured), whatever the order.
        (
            vec![&root, &catch_all],
            "http://any.example.com/x",
            "default backend default/catch -> catch-all:80",
        ),
        // The server's root location is the default backend of the Ingress that created it.
        (vec![&plain, &shop], "http://shop.example.com/x", "404"),
        (vec![&shop, &plain], "http://shop.example.com/x", "default backend default/shop -> fallback:80"),
        // A rule with a host and no paths still creates that host's server: the host-less
        // rules of `_` do not answer it.
        (vec![&root, &hostonly], "http://h.example.com/", "404"),
    ];
    for (i, (ingresses, url, want)) in rows.into_iter().enumerate() {
        let list: Vec<Ingress> = ingresses.into_iter().cloned().collect();
        assert_eq!(route(&list, url), want, "row {i}: {url}");
    }
    // `createServers` reads only a Service defaultBackend (`Spec.DefaultBackend.Service`): a
    // resource backend leaves the controller's 404.
    let mut resource = Ingress { rules: Vec::new(), ..ing("bucket", &[]) };
    resource.default_backend =
        Some(IngressBackend::Resource { kind: "StorageBucket".into(), name: "static".into() });
    assert_eq!(route(&[resource], "http://any.example.com/"), "404");
    // The 404 says why the defaultBackend did not answer.
    let d = ingress::route(std::slice::from_ref(&shop), &classes(), "other.example.com", "/", Scheme::Http);
    expect![[r#"No Ingress rule matches other.example.com/, and no defaultBackend applies: spec.defaultBackend of Ingress default/shop serves only the hosts of its own rules; a host no rule names reaches the controller's catch-all server, which takes the defaultBackend of an Ingress with no rules at all (ingress-nginx since v1.3.1)"#]]
        .assert_eq(&d.cause());
    let d = ingress::route(&[plain, shop], &classes(), "shop.example.com", "/x", Scheme::Http);
    expect!["No Ingress rule matches shop.example.com/x, and no defaultBackend applies: the server for `shop.example.com` was created by Ingress default/plain (the oldest Ingress naming this host), and its root location takes that Ingress's defaultBackend, which it does not set"].assert_eq(&d.cause());
}

fn annotate(mut i: Ingress, key: &str, value: &str) -> Ingress {
    i.annotations.insert(format!("nginx.ingress.kubernetes.io/{key}"), value.into());
    i
}

// ingress-nginx v1.15.1, internal/ingress/controller/template/template.go:
// `enforceRegexModifier` turns on regex for the whole server when one of its locations
// `needsRewrite` (a rewrite-target other than the location's own path) or has use-regex;
// `buildLocation` then writes every location, Exact included, as `~* "^<path>"`. The
// locations are tried in the order `getBackendServers` sorts them: longer path first, then
// the greater path. Annotation booleans are read with Go's strconv.ParseBool
// (internal/ingress/annotations/parser/main.go).
#[test]
fn regex_on_a_host_makes_every_path_a_case_insensitive_prefix_regex() {
    let transit = ing("transit", &[("t.example", &[("/", "Prefix", "web"), ("/status", "Exact", "uptime")])]);
    let rewrite = annotate(
        ing("rw", &[("t.example", &[("/api(/|$)(.*)", "ImplementationSpecific", "api")])]),
        "rewrite-target",
        "/$2",
    );
    let use_regex = annotate(
        ing("re", &[("t.example", &[("/v[0-9]+", "ImplementationSpecific", "v")])]),
        "use-regex",
        "True",
    );
    let root_to_root =
        annotate(ing("rr", &[("t.example", &[("/", "Prefix", "web")])]), "rewrite-target", "/");
    let kube_lego = ing("kube-lego", &[("t.example", &[("/.well-known/acme/challenge", "Prefix", "acme")])]);
    let rewrite_root = annotate(
        ing("rewrite-index", &[("t.example", &[("/", "Prefix", "web")])]),
        "rewrite-target",
        "/new/backend",
    );
    let bar = ing("foo", &[("t.example", &[("/foo/bar/bar", "Prefix", "bar")])]);
    let bar_regex = annotate(
        annotate(
            ing("regex", &[("t.example", &[("/foo/bar/[a-z]{3}", "ImplementationSpecific", "regex")])]),
            "use-regex",
            "true",
        ),
        "rewrite-target",
        "/new/backend",
    );
    let same_length = annotate(
        ing(
            "same",
            &[(
                "t.example",
                &[("/a.", "ImplementationSpecific", "dot"), ("/ab", "ImplementationSpecific", "ab")],
            )],
        ),
        "use-regex",
        "1",
    );
    let rows: Vec<(Vec<&Ingress>, &str, &str)> = vec![
        // Without regex on the host, Exact is exact.
        (vec![&transit], "http://t.example/status/line-4", "default/transit -> web:80"),
        // rewrite-target on another Ingress of the host: `/status` is now `~* "^/status"`.
        (vec![&transit, &rewrite], "http://t.example/status/line-4", "default/transit -> uptime:80"),
        (vec![&transit, &rewrite], "http://t.example/STATUS", "default/transit -> uptime:80"),
        (vec![&transit, &use_regex], "http://t.example/statusx", "default/transit -> uptime:80"),
        // A rewrite-target equal to the location's path needs no rewrite: no regex.
        (vec![&transit, &root_to_root], "http://t.example/status/line-4", "default/transit -> web:80"),
        // e2e test/e2e/annotations/rewrite.go "should use correct longest path match".
        (
            vec![&kube_lego, &rewrite_root],
            "http://t.example/.well-known/acme/challenge",
            "default/kube-lego -> acme:80",
        ),
        // Same file, "should fail to use longest match for documented warning": the longer
        // regex is tried first and wins over the plain path it also matches.
        (
            vec![&bar, &bar_regex],
            "http://t.example/foo/bar/bar",
            "default/regex -> regex:80 path /new/backend",
        ),
        // Same length: the greater path first (`/ab` > `/a.`), not the order written.
        (vec![&same_length], "http://t.example/ab", "default/same -> ab:80"),
    ];
    for (i, (ingresses, url, want)) in rows.into_iter().enumerate() {
        let list: Vec<Ingress> = ingresses.into_iter().cloned().collect();
        assert_eq!(route(&list, url), want, "row {i}: {url}");
    }
}

// ingress-nginx v1.15.1, internal/ingress/annotations/rewrite/main.go: rewrite-target must
// match `parser.RegexPathWithCapture` (letters, digits, `-._~/:$`), else it is dropped with a
// warning and the path goes upstream unchanged.
#[test]
fn rewrite_target_with_other_characters_is_ignored() {
    let query = annotate(
        ing("q", &[("t.example", &[("/api(/|$)(.*)", "ImplementationSpecific", "api")])]),
        "rewrite-target",
        "/$2?from=api",
    );
    assert_eq!(route(&[query], "http://t.example/api/x"), "404");
}

// ingress-nginx v1.15.1: internal/ingress/controller/config/config.go sets
// `StrictValidatePathType: true` by default, and `CheckIngress` in
// internal/ingress/controller/controller.go (the validating admission webhook) then refuses
// an Ingress whose Prefix or Exact path fails `validPathType`
// (internal/ingress/inspector/rules.go: `/` followed by letters, digits, `.`, `_`, `-`, `/`).
#[test]
fn strict_path_type_validation_refuses_regex_characters_outside_implementation_specific() {
    let wiki = |t: &str| {
        annotate(ing("wiki", &[("t.example", &[("/wiki(/|$)(.*)", t, "wiki")])]), "rewrite-target", "/$2")
    };
    let d = ingress::route(&[wiki("Prefix")], &classes(), "t.example", "/wiki/x", Scheme::Http);
    assert_eq!(render(&d), "404");
    let why = &d.skipped.first().expect("the trace says why").reason;
    assert!(why.contains("admission webhook") && why.contains("ImplementationSpecific"), "{why}");
    assert!(d.served.is_empty(), "{:?}", d.served);
    assert_eq!(route(&[wiki("Exact")], "http://t.example/wiki/x"), "404");
    assert_eq!(
        route(&[wiki("ImplementationSpecific")], "http://t.example/wiki/x"),
        "default/wiki -> wiki:80 path /x"
    );
    let fine = ing("fine", &[("t.example", &[("/A.b_c-d/9", "Exact", "web"), ("/x", "Prefix", "x")])]);
    assert_eq!(route(&[fine], "http://t.example/A.b_c-d/9"), "default/fine -> web:80");
    for bad in ["/caf\u{e9}", "/~user", "/a%20b", "/a:b"] {
        let i = ing("bad", &[("t.example", &[(bad, "Prefix", "web")])]);
        assert_eq!(route(&[i], &format!("http://t.example{bad}")), "404", "{bad}");
    }
    // Only Ingresses of the controller's class go through its webhook.
    let other = Ingress { class_name: Some("traefik".into()), ..wiki("Prefix") };
    let traefik = IngressClass {
        name: "traefik".into(),
        controller: "traefik.io/ingress-controller".into(),
        is_default: false,
        source: None,
    };
    let why = ingress::served_by_controller(&other, &[traefik, built_in_class()]).unwrap_err();
    assert!(!why.contains("admission webhook"), "{why}");
}

// ingress-nginx v1.15.1, `CheckIngress` and `checkOverlap` in
// internal/ingress/controller/controller.go (the admission webhook): a new Ingress is
// refused when one of its paths is already a location of the same server owned by another
// Ingress, unless canary annotations allow it. e2e test/e2e/admission/admission.go "should
// not allow overlaps of host and paths without canary annotations (in any rule)".
#[test]
fn admission_webhook_refuses_a_second_claim_of_a_host_and_path() {
    let first =
        ing("first", &[("h", &[("/safe-path-1", "Prefix", "one"), ("/conflict-path", "Prefix", "one")])]);
    let second =
        ing("second", &[("h", &[("/safe-path-2", "Prefix", "two"), ("/conflict-path", "Prefix", "two")])]);
    let both = [first.clone(), second.clone()];
    assert_eq!(route(&both, "http://h/conflict-path"), "default/first -> one:80");
    // The whole second Ingress is refused, its other paths with it.
    let d = ingress::route(&both, &classes(), "h", "/safe-path-2", Scheme::Http);
    assert_eq!(render(&d), "404");
    assert_eq!(d.served.len(), 1, "{:?}", d.served);
    let why =
        d.skipped.iter().find(|s| s.object.name == "second").map(|s| s.reason.clone()).unwrap_or_default();
    assert!(
        why.contains("\"h\"") && why.contains("/conflict-path") && why.contains("default/first"),
        "{why}"
    );
    // Another host, or the same path under another Ingress's canary annotation, is no overlap.
    let elsewhere = ing("elsewhere", &[("other", &[("/conflict-path", "Prefix", "two")])]);
    assert_eq!(
        route(&[first.clone(), elsewhere], "http://other/conflict-path"),
        "default/elsewhere -> two:80"
    );
    // A canary creates no location of its own ("Ingress ... is marked as Canary, ignoring" in
    // createServers): its `/safe-path-2` has no main location to share, so nothing answers it.
    let canary = annotate(second.clone(), "canary", "true");
    assert_eq!(route(&[first.clone(), canary], "http://h/safe-path-2"), "404");
    // Same path, other type: the locations decide. An Exact path after a Prefix one gets its
    // own location; a Prefix path after an Exact one finds the Exact location `/api` of the
    // other Ingress (the Prefix one becomes `/api/`), and is refused.
    let prefix = ing("prefix", &[("h", &[("/api", "Prefix", "p")])]);
    let exact = ing("exact", &[("h", &[("/api", "Exact", "e")])]);
    assert_eq!(route(&[prefix.clone(), exact.clone()], "http://h/api"), "default/exact -> e:80");
    assert_eq!(route(&[exact.clone(), prefix.clone()], "http://h/api/x"), "404");
    // A Prefix `/api` is the location `/api/` too (`updateServerLocations`): a later `/api/`
    // overlaps it.
    let slashed = ing("slashed", &[("h", &[("/api/", "Prefix", "s")])]);
    let d = ingress::route(&[prefix.clone(), slashed], &classes(), "h", "/api/x", Scheme::Http);
    assert_eq!(render(&d), "default/prefix -> p:80");
    assert!(
        d.skipped.iter().any(|s| s.object.name == "slashed" && s.reason.contains("\"/api/\"")),
        "{:?}",
        d.skipped
    );
    // Many Ingresses on one host: each is judged against the paths it shares, not them all.
    let many: Vec<Ingress> =
        (0..3000).map(|i| ing(&format!("i{i}"), &[("h", &[(&format!("/p{i}"), "Prefix", "web")])])).collect();
    assert_eq!(route(&many, "http://h/p2999"), "default/i2999 -> web:80");
    // Host-less paths are locations of `_`; the catch-all Ingress owns its `/`.
    let catch_all = Ingress { rules: Vec::new(), ..ing("catch", &[]) }.with_default("catch-all");
    let root = ing("root", &[("", &[("/", "Prefix", "web"), ("/x", "Prefix", "x")])]);
    assert_eq!(route(&[catch_all, root], "http://any/x"), "default backend default/catch -> catch-all:80");
}

// ---- Traces through the controller -------------------------------------------------------

/// The shop behind an Ingress: `api` (named port) and `web` in namespace `shop`.
fn shop_ingress() -> S {
    let mut s = scenario()
        .deployment("shop", "web", 2, "app=web", &["http:8080"])
        .svc("shop", "web", "app=web", &["http 80->8080"])
        .deployment("shop", "api", 1, "app=api", &["9090"])
        .svc("shop", "api", "app=api", &["api 8080->9090"])
        .svc("shop", "empty", "app=nothing", &["80->80"])
        .pod_on("node-2", "shop", "client", "app=client", &[]);
    let mut main = ing(
        "shop",
        &[(
            "shop.example.com",
            &[
                ("/", "Prefix", "web"),
                ("/api", "Prefix", "api:api"),
                ("/down", "Prefix", "empty"),
                ("/gone", "Prefix", "missing"),
            ],
        )],
    );
    main.namespace = "shop".into();
    let mut secure = ing("secure", &[("secure.example.com", &[("/", "Prefix", "web")])]);
    secure.namespace = "shop".into();
    secure.tls =
        vec![IngressTls { hosts: vec!["secure.example.com".into()], secret_name: Some("secure-tls".into()) }];
    let mut rewrite =
        ing("rewrite", &[("rw.example.com", &[("/api(/|$)(.*)", "ImplementationSpecific", "api:8080")])]);
    rewrite.namespace = "shop".into();
    rewrite.annotations.insert("nginx.ingress.kubernetes.io/rewrite-target".into(), "/$2".into());
    let mut unclassed = ing("unclassed", &[("old.example.com", &[("/", "Prefix", "web")])]);
    unclassed.namespace = "shop".into();
    unclassed.class_name = None;
    s.scenario.ingresses = vec![main, secure, rewrite, unclassed];
    s
}

/// The trace from the controller's routing hop (`ingress/...`) on, with the outcome: the hops
/// under test. The way to the controller is the same for every URL; [`trace_all`] shows it.
fn trace(s: &S, from: Client, to: &str, want: Expect) {
    let text = s.build().send(&Request::new(from, to)).to_string();
    let lines: Vec<&str> = text.lines().map(|l| l.strip_prefix("  ").unwrap_or(l)).collect();
    let routing = lines
        .iter()
        .position(|l| l.split_whitespace().nth(1).is_some_and(|hop| hop.starts_with("ingress/")))
        .expect("the trace reaches the controller's routing hop");
    want.assert_eq(&lines[routing..].join("\n"));
}

/// The whole trace, for the tests of the way to the controller.
fn trace_all(s: &S, from: Client, to: &str, want: Expect) {
    let text = s.build().send(&Request::new(from, to)).to_string();
    let dedented: Vec<&str> = text.lines().map(|l| l.strip_prefix("  ").unwrap_or(l)).collect();
    want.assert_eq(&dedented.join("\n"));
}

fn internet() -> Client {
    Client::Outside("198.51.100.7".parse().unwrap())
}

#[test]
fn trace_prefix_to_named_port() {
    trace(
        &shop_ingress(),
        internet(),
        "http://shop.example.com/api/cart",
        expect![[r#"
            8 ingress/shop/shop                                            ROUTE    192.168.49.2:55591 -> 10.244.0.4:59012 > 10.244.0.4:80 -> 10.244.0.3:9090 TCP  http://shop.example.com/api/cart (ingress-nginx v1.15.1, the last release of the retired project): host `shop.example.com`, path `/api` (Prefix); backend Service shop/api port 8080; nginx proxies from the controller pod straight to endpoint 1 of 1 (it balances over the EndpointSlices itself; kube-proxy is not involved)
                * 10.244.0.3:9090  pod/shop/api-5b7794cb67-rxgfg  node-1  p=1.00
            9 pod/shop/api-5b7794cb67-rxgfg                                DELIVER  10.244.0.4:59012 > 10.244.0.3:9090 TCP  a container declares port 9090/TCP
            => delivered to pod/shop/api-5b7794cb67-rxgfg (10.244.0.3:9090)"#]],
    );
}

#[test]
fn trace_root_prefix() {
    trace(
        &shop_ingress(),
        internet(),
        "http://shop.example.com/index.html",
        expect![[r#"
            8 ingress/shop/shop                                            ROUTE    192.168.49.2:55591 -> 10.244.0.4:59012 > 10.244.0.4:80 -> 10.244.2.2:8080 TCP  http://shop.example.com/index.html (ingress-nginx v1.15.1, the last release of the retired project): host `shop.example.com`, path `/` (Prefix); backend Service shop/web port 80; nginx proxies from the controller pod straight to endpoint 2 of 2 (it balances over the EndpointSlices itself; kube-proxy is not involved)
                  10.244.1.4:8080  pod/shop/web-64d45958b4-2wv8w  node-2  p=0.50
                * 10.244.2.2:8080  pod/shop/web-64d45958b4-b578b  node-3  p=0.50
            9 node/node-3                                                  PASS     10.244.0.4:59012 > 10.244.2.2:8080 TCP  routed over the pod network from node-1 to node-3, where web-64d45958b4-b578b runs
             10 pod/shop/web-64d45958b4-b578b                                DELIVER  10.244.0.4:59012 > 10.244.2.2:8080 TCP  a container declares port 8080/TCP
            => delivered to pod/shop/web-64d45958b4-b578b (10.244.2.2:8080)"#]],
    );
}

#[test]
fn trace_tls_redirect_and_https() {
    let s = shop_ingress();
    trace(
        &s,
        internet(),
        "http://secure.example.com/login",
        expect![[r#"
            8 ingress/shop/secure                                          ROUTE    192.168.49.2:55591 > 10.244.0.4:80 TCP  http://secure.example.com/login (ingress-nginx v1.15.1, the last release of the retired project): host `secure.example.com`, path `/` (Prefix); ssl-redirect (default when TLS is configured): 308 to HTTPS
            => HTTP 308 Permanent Redirect to https://secure.example.com/login"#]],
    );
    trace_all(
        &s,
        internet(),
        "https://secure.example.com/login",
        expect![[r#"
            1 dns                                                          DNS      198.51.100.7:55592 > 192.168.49.1:53 UDP  secure.example.com -> 203.0.113.1 (public DNS, assumed: Ingress shop/secure names this host, so its DNS record points at the LoadBalancer IP of Service ingress-nginx/ingress-nginx-controller)
            2 internet                                                     SEND     198.51.100.7:55591 > 203.0.113.1:443 TCP  client 198.51.100.7 outside the cluster opens a TCP connection to 203.0.113.1:443
            3 lb/ingress-nginx/ingress-nginx-controller                    FORWARD  198.51.100.7:55591 > 203.0.113.1:443 -> 192.168.49.2:30421 TCP  the load balancer forwards to node-1:30421 (all 3 nodes are healthy)
                * 192.168.49.2:30421  node-1  p=0.33
                  192.168.49.3:30421  node-2  p=0.33
                  192.168.49.4:30421  node-3  p=0.33
            4 node/node-1                                                  PASS     198.51.100.7:55591 > 192.168.49.2:30421 TCP  nodePort 30421 is open on every node for Service ingress-nginx/ingress-nginx-controller:https (port 443)
            5 kube-proxy/node-1                                            DNAT     198.51.100.7:55591 > 192.168.49.2:30421 -> 10.244.0.4:443 TCP  chose 1 of 1 endpoint (p=1.00, chosen at random); the rule: KUBE-NODEPORTS -> KUBE-EXT-EDNDUDH2C75GIR6O -> KUBE-SVC-EDNDUDH2C75GIR6O, its rule 1 of 1 -> KUBE-SEP-QH3ATE54KCFIG4FC (DNAT to 10.244.0.4:443)
                * 10.244.0.4:443  pod/ingress-nginx/ingress-nginx-controller-6bf5bd9575-9w2d6  node-1  p=1.00
            6 node/node-1                                                  SNAT     198.51.100.7:55591 -> 192.168.49.2:55591 > 10.244.0.4:443 TCP  externalTrafficPolicy Cluster: the source is masqueraded to node-1's IP so replies return through it; the pod does not see the client IP
            7 pod/ingress-nginx/ingress-nginx-controller-6bf5bd9575-9w2d6  DELIVER  192.168.49.2:55591 > 10.244.0.4:443 TCP  a container declares port 443/TCP
            8 ingress/shop/secure                                          ROUTE    192.168.49.2:55591 -> 10.244.0.4:59012 > 10.244.0.4:443 -> 10.244.2.2:8080 TCP  https://secure.example.com/login (ingress-nginx v1.15.1, the last release of the retired project): host `secure.example.com`, path `/` (Prefix); TLS terminated with Secret `secure-tls`; backend Service shop/web port 80; nginx proxies from the controller pod straight to endpoint 2 of 2 (it balances over the EndpointSlices itself; kube-proxy is not involved)
                  10.244.1.4:8080  pod/shop/web-64d45958b4-2wv8w  node-2  p=0.50
                * 10.244.2.2:8080  pod/shop/web-64d45958b4-b578b  node-3  p=0.50
            9 node/node-3                                                  PASS     10.244.0.4:59012 > 10.244.2.2:8080 TCP  routed over the pod network from node-1 to node-3, where web-64d45958b4-b578b runs
             10 pod/shop/web-64d45958b4-b578b                                DELIVER  10.244.0.4:59012 > 10.244.2.2:8080 TCP  a container declares port 8080/TCP
            => delivered to pod/shop/web-64d45958b4-b578b (10.244.2.2:8080)"#]],
    );
}

#[test]
fn trace_rewrite_target() {
    trace(
        &shop_ingress(),
        internet(),
        "http://rw.example.com/api/cart",
        expect![[r#"
            8 ingress/shop/rewrite                                         ROUTE    192.168.49.2:55591 -> 10.244.0.4:59012 > 10.244.0.4:80 -> 10.244.0.3:9090 TCP  http://rw.example.com/api/cart (ingress-nginx v1.15.1, the last release of the retired project): host `rw.example.com`, path `/api(/|$)(.*)` (ImplementationSpecific, as a case-insensitive regex); rewrite-target `/$2`: /api/cart -> /cart; backend Service shop/api port 8080; nginx proxies from the controller pod straight to endpoint 1 of 1 (it balances over the EndpointSlices itself; kube-proxy is not involved)
                * 10.244.0.3:9090  pod/shop/api-5b7794cb67-rxgfg  node-1  p=1.00
            9 pod/shop/api-5b7794cb67-rxgfg                                DELIVER  10.244.0.4:59012 > 10.244.0.3:9090 TCP  a container declares port 9090/TCP
            => delivered to pod/shop/api-5b7794cb67-rxgfg (10.244.0.3:9090)"#]],
    );
}

#[test]
fn trace_no_endpoints_and_missing_service_are_503() {
    let s = shop_ingress();
    trace(
        &s,
        internet(),
        "http://shop.example.com/down",
        expect![[r#"
            8 ingress/shop/shop                                            ROUTE    192.168.49.2:55591 > 10.244.0.4:80 TCP  http://shop.example.com/down (ingress-nginx v1.15.1, the last release of the retired project): host `shop.example.com`, path `/down` (Prefix); backend Service shop/empty port 80; Service shop/empty has no ready endpoints
            => HTTP 503 Service Unavailable: Service shop/empty has no ready endpoints"#]],
    );
    trace(
        &s,
        internet(),
        "http://shop.example.com/gone",
        expect![[r#"
            8 ingress/shop/shop                                            ROUTE    192.168.49.2:55591 > 10.244.0.4:80 TCP  http://shop.example.com/gone (ingress-nginx v1.15.1, the last release of the retired project): host `shop.example.com`, path `/gone` (Prefix); Service shop/missing does not exist
            => HTTP 503 Service Unavailable: Service shop/missing does not exist"#]],
    );
}

#[test]
fn trace_ignored_ingress_is_404() {
    trace(
        &shop_ingress(),
        internet(),
        "http://old.example.com/",
        expect![[r#"
            8 ingress/default-backend                                      ROUTE    192.168.49.2:55591 > 10.244.0.4:80 TCP  http://old.example.com/ (ingress-nginx v1.15.1, the last release of the retired project): no Ingress rule matches and no Ingress has a defaultBackend; ignored Ingress shop/unclassed: it has no ingressClassName and no IngressClass is default (the built-in `nginx` is not): set `ingressClassName: nginx`
            => HTTP 404 Not Found (from the controller's default backend)"#]],
    );
}

/// An Ingress the admission webhook refuses (strict-validate-path-type) never routes; the
/// trace names it and why.
#[test]
fn trace_refused_ingress_is_404() {
    let mut s = shop_ingress();
    let mut wiki = annotate(
        ing("wiki", &[("wiki.example.com", &[("/wiki(/|$)(.*)", "Prefix", "web")])]),
        "rewrite-target",
        "/$2",
    );
    wiki.namespace = "shop".into();
    s.scenario.ingresses.push(wiki);
    trace(
        &s,
        internet(),
        "http://wiki.example.com/wiki/Home",
        expect![[r#"
        8 ingress/default-backend                                      ROUTE    192.168.49.2:55591 > 10.244.0.4:80 TCP  http://wiki.example.com/wiki/Home (ingress-nginx v1.15.1, the last release of the retired project): no Ingress rule matches and no Ingress has a defaultBackend; ignored Ingress shop/wiki: ingress-nginx's admission webhook refuses it, so `kubectl apply` fails and the Ingress is never created: path `/wiki(/|$)(.*)` cannot be used with pathType Prefix (strict-validate-path-type, on by default: Prefix and Exact paths take only letters, digits, `.`, `_`, `-` and `/`; a regular expression needs `pathType: ImplementationSpecific`)
        => HTTP 404 Not Found (from the controller's default backend)"#]],
    );
}

#[test]
fn trace_pending_load_balancer_uses_a_node_port() {
    let s = shop_ingress().topology(|t| t.load_balancer_pool = None);
    trace_all(
        &s,
        internet(),
        "http://shop.example.com/",
        expect![[r#"
            1 dns                                                          DNS      198.51.100.7:55592 > 192.168.49.1:53 UDP  shop.example.com: the LoadBalancer of Service ingress-nginx/ingress-nginx-controller is <pending>, so public DNS has no address for Ingress shop/shop; using node-1's IP 192.168.49.2 and nodePort 31660 instead (as with `minikube ip`)
            2 internet                                                     SEND     198.51.100.7:55591 > 192.168.49.2:31660 TCP  client 198.51.100.7 outside the cluster opens a TCP connection to 192.168.49.2:31660
            3 node/node-1                                                  PASS     198.51.100.7:55591 > 192.168.49.2:31660 TCP  nodePort 31660 is open on every node for Service ingress-nginx/ingress-nginx-controller:http (port 80)
            4 kube-proxy/node-1                                            DNAT     198.51.100.7:55591 > 192.168.49.2:31660 -> 10.244.0.4:80 TCP  chose 1 of 1 endpoint (p=1.00, chosen at random); the rule: KUBE-NODEPORTS -> KUBE-EXT-CG5I4G2RS3ZVWGLK -> KUBE-SVC-CG5I4G2RS3ZVWGLK, its rule 1 of 1 -> KUBE-SEP-MXTCW37IOF46JEGH (DNAT to 10.244.0.4:80)
                * 10.244.0.4:80  pod/ingress-nginx/ingress-nginx-controller-6bf5bd9575-9w2d6  node-1  p=1.00
            5 node/node-1                                                  SNAT     198.51.100.7:55591 -> 192.168.49.2:55591 > 10.244.0.4:80 TCP  externalTrafficPolicy Cluster: the source is masqueraded to node-1's IP so replies return through it; the pod does not see the client IP
            6 pod/ingress-nginx/ingress-nginx-controller-6bf5bd9575-9w2d6  DELIVER  192.168.49.2:55591 > 10.244.0.4:80 TCP  a container declares port 80/TCP
            7 ingress/shop/shop                                            ROUTE    192.168.49.2:55591 -> 10.244.0.4:33967 > 10.244.0.4:80 -> 10.244.1.4:8080 TCP  http://shop.example.com/ (ingress-nginx v1.15.1, the last release of the retired project): host `shop.example.com`, path `/` (Prefix); backend Service shop/web port 80; nginx proxies from the controller pod straight to endpoint 1 of 2 (it balances over the EndpointSlices itself; kube-proxy is not involved)
                * 10.244.1.4:8080  pod/shop/web-64d45958b4-2wv8w  node-2  p=0.50
                  10.244.2.2:8080  pod/shop/web-64d45958b4-b578b  node-3  p=0.50
            8 node/node-2                                                  PASS     10.244.0.4:33967 > 10.244.1.4:8080 TCP  routed over the pod network from node-1 to node-2, where web-64d45958b4-2wv8w runs
            9 pod/shop/web-64d45958b4-2wv8w                                DELIVER  10.244.0.4:33967 > 10.244.1.4:8080 TCP  a container declares port 8080/TCP
            => delivered to pod/shop/web-64d45958b4-2wv8w (10.244.1.4:8080)"#]],
    );
}

#[test]
fn trace_from_a_pod_to_the_controller_service() {
    let s = shop_ingress();
    trace_all(
        &s,
        Client::pod("shop", "client"),
        "http://ingress-nginx-controller.ingress-nginx/",
        expect![[r#"
            1 dns                                                          DNS      10.244.1.3:55592 > 10.96.0.10:53 UDP  ingress-nginx-controller.ingress-nginx -> ingress-nginx-controller.ingress-nginx.svc.cluster.local (Service ingress-nginx/ingress-nginx-controller has ClusterIP 10.111.190.54); tried ingress-nginx-controller.ingress-nginx.shop.svc.cluster.local, ingress-nginx-controller.ingress-nginx.svc.cluster.local
            2 pod/shop/client                                              SEND     10.244.1.3:55591 > 10.111.190.54:80 TCP  pod/shop/client opens a TCP connection to 10.111.190.54:80
            3 svc/ingress-nginx/ingress-nginx-controller                   PASS     10.244.1.3:55591 > 10.111.190.54:80 TCP  10.111.190.54:80/TCP is the cluster IP of Service ingress-nginx/ingress-nginx-controller:http, port 80 -> targetPort http
            4 kube-proxy/node-2                                            DNAT     10.244.1.3:55591 > 10.111.190.54:80 -> 10.244.0.4:80 TCP  chose 1 of 1 endpoint (p=1.00, chosen at random); the rule: KUBE-SERVICES -> KUBE-SVC-CG5I4G2RS3ZVWGLK, its rule 1 of 1 -> KUBE-SEP-MXTCW37IOF46JEGH (DNAT to 10.244.0.4:80)
                * 10.244.0.4:80  pod/ingress-nginx/ingress-nginx-controller-6bf5bd9575-9w2d6  node-1  p=1.00
            5 node/node-1                                                  PASS     10.244.1.3:55591 > 10.244.0.4:80 TCP  routed over the pod network from node-2 to node-1, where ingress-nginx-controller-6bf5bd9575-9w2d6 runs
            6 pod/ingress-nginx/ingress-nginx-controller-6bf5bd9575-9w2d6  DELIVER  10.244.1.3:55591 > 10.244.0.4:80 TCP  a container declares port 80/TCP
            7 ingress/default-backend                                      ROUTE    10.244.1.3:55591 > 10.244.0.4:80 TCP  http://ingress-nginx-controller.ingress-nginx/ (ingress-nginx v1.15.1, the last release of the retired project): no Ingress rule matches and no Ingress has a defaultBackend
            => HTTP 404 Not Found (from the controller's default backend)"#]],
    );
}

#[test]
fn outcomes_without_a_controller() {
    let s = shop_ingress().topology(|t| t.ingress_controller = false);
    let c = s.build();
    assert!(c.ingress_controller_service().is_none());
    let t = c.send(&Request::new(internet(), "http://shop.example.com/"));
    assert_eq!(t.outcome.as_str(), "left-cluster", "no controller: the name is just a public name");
}

#[test]
fn http_status_outcomes_are_not_success() {
    let s = shop_ingress();
    let c = s.build();
    let rows = [
        ("http://shop.example.com/api/x", "delivered", true),
        ("http://secure.example.com/", "http-308", true),
        ("http://old.example.com/", "http-404", false),
        ("http://shop.example.com/down", "http-503", false),
        ("http://shop.example.com/gone", "http-503", false),
    ];
    for (url, outcome, success) in rows {
        let t = c.send(&Request::new(internet(), url));
        assert_eq!((t.outcome.as_str(), t.outcome.is_success()), (outcome, success), "{url}");
    }
    // Every endpoint of `web` is reachable through the controller: send_all enumerates the
    // load balancer's 3 nodes and, behind each, the controller's 2 choices of endpoint.
    let all = c.send_all(&Request::new(internet(), "http://shop.example.com/"));
    assert_eq!(all.len(), 6);
    assert!(all.iter().all(|t| t.outcome.as_str() == "delivered"));
    // Named service port resolves to the Service port number.
    let d = c.route_ingress("shop.example.com", "/api", Scheme::Http);
    let rb = c.ingress_backend("shop", d.backend().unwrap()).unwrap();
    assert_eq!(rb.port, 8080);
}

/// The picture (netsim::layout) can draw every hop of a request through the controller: an
/// Ingress routing decision is drawn at the controller's pod.
#[test]
fn every_hop_through_the_controller_has_an_anchor_on_the_picture() {
    let c = shop_ingress().build();
    let layout = c.layout();
    for (from, to) in [
        (internet(), "http://shop.example.com/api/items"),
        (Client::pod("shop", "client"), "http://ingress-nginx-controller.ingress-nginx/"),
    ] {
        let t = c.send(&Request::new(from, to));
        assert!(t.hops.iter().any(|h| h.at.starts_with("ingress/")), "{t}");
        for hop in &t.hops {
            let b = layout.anchor(&hop.at).unwrap_or_else(|| panic!("no anchor for {} in\n{t}", hop.at));
            if hop.at.starts_with("ingress/") {
                assert!(b.id.starts_with("pod/ingress-nginx/ingress-nginx-controller"), "{}", b.id);
            }
        }
    }
}

// ingress-nginx's canary (docs/user-guide/nginx-configuration/annotations.md#canary, v1.15.1):
// an Ingress with `canary: "true"` creates no server or location of its own (createServers:
// "marked as Canary, ignoring"); `mergeAlternativeBackends` (controller.go) adds its backend as
// the alternative of the main backend of the location with the same host, path and pathType.
// The Lua balancer (rootfs/etc/nginx/lua/balancer.lua, `route_to_alternative_balancer`) reads
// the header, then the cookie, then sends `math.random(weightTotal) <= weight` of the rest to it.
#[test]
fn a_canary_shares_the_main_locations_requests_by_its_weight() {
    let main = ing("shop", &[("h", &[("/", "Prefix", "web")])]);
    let canary = |weight: &str| {
        annotate(
            annotate(ing("shop-canary", &[("h", &[("/", "Prefix", "web-v2")])]), "canary", "true"),
            "canary-weight",
            weight,
        )
    };
    assert_eq!(
        route(&[main.clone(), canary("20")], "http://h/cart"),
        "default/shop -> web:80 + canary default/shop-canary -> web-v2:80 20/100"
    );
    // In either file order: canaries are merged once every main location exists.
    assert_eq!(
        route(&[canary("20"), main.clone()], "http://h/"),
        "default/shop -> web:80 + canary default/shop-canary -> web-v2:80 20/100"
    );
    // No weight (or one the controller cannot read) is 0: only a header or cookie reaches it.
    let unweighted = annotate(ing("shop-canary", &[("h", &[("/", "Prefix", "web-v2")])]), "canary", "true");
    assert_eq!(
        route(&[main.clone(), unweighted], "http://h/"),
        "default/shop -> web:80 + canary default/shop-canary -> web-v2:80 0/100"
    );
    assert_eq!(
        route(&[main.clone(), canary("ten")], "http://h/"),
        "default/shop -> web:80 + canary default/shop-canary -> web-v2:80 0/100"
    );
    // A weight over the total sends everything; a negative one nothing.
    assert_eq!(
        route(&[main.clone(), canary("250")], "http://h/"),
        "default/shop -> web:80 + canary default/shop-canary -> web-v2:80 100/100"
    );
    assert_eq!(
        route(&[main.clone(), canary("-5")], "http://h/"),
        "default/shop -> web:80 + canary default/shop-canary -> web-v2:80 0/100"
    );
}

// balancer.lua: `weightTotal` is 100 unless `canary-weight-total` is greater than 100.
#[test]
fn a_canary_weight_total_below_a_hundred_counts_as_a_hundred() {
    let main = ing("shop", &[("h", &[("/", "Prefix", "web")])]);
    let canary = |weight: &str, total: &str| {
        let c = annotate(ing("c", &[("h", &[("/", "Prefix", "web-v2")])]), "canary", "true");
        annotate(annotate(c, "canary-weight", weight), "canary-weight-total", total)
    };
    assert_eq!(
        route(&[main.clone(), canary("5", "10")], "http://h/"),
        "default/shop -> web:80 + canary default/c -> web-v2:80 5/100"
    );
    assert_eq!(
        route(&[main.clone(), canary("250", "1000")], "http://h/"),
        "default/shop -> web:80 + canary default/c -> web-v2:80 250/1000"
    );
}

// mergeAlternativeBackends: the same host (the server's name as written), path and pathType,
// and a main Ingress must exist (`nonCanaryIngressExists`).
#[test]
fn a_canary_needs_a_main_location_with_the_same_host_path_and_path_type() {
    let main = ing("shop", &[("h", &[("/api", "Prefix", "web")])]);
    let canary = |host: &str, path: &str, t: &str| {
        annotate(
            annotate(ing("c", &[(host, &[(path, t, "web-v2")])]), "canary", "true"),
            "canary-weight",
            "50",
        )
    };
    assert_eq!(
        route(&[main.clone(), canary("h", "/api", "Prefix")], "http://h/api"),
        "default/shop -> web:80 + canary default/c -> web-v2:80 50/100"
    );
    assert_eq!(
        route(&[main.clone(), canary("h", "/api", "Exact")], "http://h/api"),
        "default/shop -> web:80"
    );
    assert_eq!(
        route(&[main.clone(), canary("h", "/api/", "Prefix")], "http://h/api"),
        "default/shop -> web:80"
    );
    assert_eq!(
        route(&[main.clone(), canary("other", "/api", "Prefix")], "http://h/api"),
        "default/shop -> web:80"
    );
    // Alone, a canary answers nothing.
    assert_eq!(route(&[canary("h", "/api", "Prefix")], "http://h/api"), "404");
}

// The alternative belongs to the main backend (the upstream `namespace-service-port`), not to
// the location: every location of any host that sends to it shares it, and only the first
// canary merged into a backend is consulted ("TODO: support traffic shaping for n > 1
// alternative backends" in balancer.lua).
#[test]
fn a_canary_follows_the_main_backend_everywhere_and_only_the_first_counts() {
    let main = ing(
        "shop",
        &[
            ("a", &[("/", "Prefix", "web")]),
            ("b", &[("/api", "Prefix", "web"), ("/other", "Prefix", "web:8080")]),
        ],
    );
    let first = annotate(
        annotate(ing("first", &[("a", &[("/", "Prefix", "web-v2")])]), "canary", "true"),
        "canary-weight",
        "10",
    );
    let second = annotate(
        annotate(ing("second", &[("b", &[("/api", "Prefix", "web-v3")])]), "canary", "true"),
        "canary-weight",
        "90",
    );
    let all = [main, first, second];
    assert_eq!(
        route(&all, "http://b/api"),
        "default/shop -> web:80 + canary default/first -> web-v2:80 10/100"
    );
    // Another port of the Service is another backend.
    assert_eq!(route(&all, "http://b/other"), "default/shop -> web:8080");
    // A canary whose backend is already the main backend of a location met first on its
    // server (the root location comes first) is not merged ("alternative upstream ... is
    // primary upstream in Other Ingress").
    let main = ing("shop", &[("h", &[("/api", "Prefix", "api"), ("/", "Prefix", "web")])]);
    let c = annotate(
        annotate(ing("c", &[("h", &[("/api", "Prefix", "web")])]), "canary", "true"),
        "canary-weight",
        "50",
    );
    assert_eq!(route(&[main, c], "http://h/api"), "default/shop -> api:80");
}

// annotations.md#canary: the header, then the cookie, then the weight.
#[test]
fn a_canary_by_header_or_cookie_is_named_with_the_decision() {
    let main = ing("shop", &[("h", &[("/", "Prefix", "web")])]);
    let c = annotate(ing("c", &[("h", &[("/", "Prefix", "web-v2")])]), "canary", "true");
    let c = annotate(annotate(c, "canary-by-header", "X-Canary"), "canary-by-cookie", "beta");
    assert_eq!(
        route(&[main, c], "http://h/"),
        "default/shop -> web:80 + canary default/c -> web-v2:80 0/100 header X-Canary cookie beta"
    );
}

// createServers: a server's root location `/` (Prefix) sends to the defaultBackend of the
// Ingress that created it; a canary of `/` merges there.
#[test]
fn a_canary_of_the_root_path_shares_the_default_backend() {
    let mut main = ing("shop", &[("h", &[("/api", "Prefix", "api")])]);
    main.default_backend = Some(backend("web"));
    let c = annotate(
        annotate(ing("c", &[("h", &[("/", "Prefix", "web-v2")])]), "canary", "true"),
        "canary-weight",
        "30",
    );
    assert_eq!(
        route(&[main, c], "http://h/home"),
        "default backend default/shop -> web:80 + canary default/c -> web-v2:80 30/100"
    );
}

// A request through the controller: the routing hop names the canary and its share, and
// follows the draw (the model's requests carry no header or cookie, so the weight decides).
#[test]
fn the_routing_hop_names_the_canary_and_follows_the_draw() {
    let with = |weight: &str| {
        let mut s = shop_ingress().deployment("shop", "web-v2", 1, "app=web-v2", &["8080"]).svc(
            "shop",
            "web-v2",
            "app=web-v2",
            &["80->8080"],
        );
        let mut c = annotate(
            ing("shop-canary", &[("shop.example.com", &[("/api", "Prefix", "web-v2")])]),
            "canary",
            "true",
        );
        c.namespace = "shop".into();
        s.scenario.ingresses.push(annotate(c, "canary-weight", weight));
        s
    };
    let all = with("100").build().send_all(&Request::new(internet(), "http://shop.example.com/api/x"));
    assert!(!all.is_empty());
    for t in &all {
        let hop = t.hops.iter().find(|h| h.at.starts_with("ingress/")).expect("routing hop");
        assert!(hop.explanation.contains("canary Ingress shop/shop-canary (canary-weight 100 of 100: 100% of the requests): this request goes to the canary"), "{}", hop.explanation);
        assert!(hop.explanation.contains("backend Service shop/web-v2 port 80"), "{}", hop.explanation);
    }
    let t = with("0").build().send(&Request::new(internet(), "http://shop.example.com/api/x"));
    let hop = t.hops.iter().find(|h| h.at.starts_with("ingress/")).expect("routing hop");
    assert!(
        hop.explanation
            .contains("this request stays on the main backend; backend Service shop/api port 8080"),
        "{}",
        hop.explanation
    );
}

// Without an Ingress the routing code is not needed (the browser fetches it with the first
// Ingress): the answer is the one it would give.
#[test]
fn without_an_ingress_the_answer_is_the_routings_own() {
    let c = scenario().build();
    for (host, path, scheme) in [
        ("Shop.Example.com:8080", "/a/b?x=1#top", Scheme::Http),
        ("shop.example.com.", "cart", Scheme::Https),
        ("10.0.0.1", "", Scheme::Http),
    ] {
        assert_eq!(c.route_ingress(host, path, scheme), ingress::route(&[], &classes(), host, path, scheme));
    }
}
