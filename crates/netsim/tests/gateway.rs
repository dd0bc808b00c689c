//! The Gateway API model (`netsim::gateway`) against the spec (v1.6.1, standard channel):
//! https://gateway-api.sigs.k8s.io/reference/spec/ and the conformance tests named at each
//! case (kubernetes-sigs/gateway-api, conformance/tests/), restated as data in our words.
//! The cluster behind the Gateway is a real `Cluster`: `web` (2 ready pods), `api` (1),
//! `empty` (a Service selecting nothing) in `default`, `cart` in `shop`, `echo` (no pods) in
//! `other`.
mod common;

use common::*;
use netsim::gateway::filters::replace_prefix;
use netsim::gateway::hostname;
use netsim::gateway::status::{condition, RouteParentStatus};
use netsim::gateway::types::*;
use netsim::gateway::{
    self, BackendAnswer, ConditionStatus, Decision, GatewayRequest, Objects, RouteKind, CONTROLLER_NAME,
};
use netsim::{Cluster, LabelSelector, Scenario};

// ---------------------------------------------------------------- builders

fn cluster_objects() -> S {
    scenario()
        .namespace("default", "")
        .namespace("shop", "team=shop")
        .namespace("other", "team=other")
        .deployment("default", "web", 2, "app=web", &["8080"])
        .svc("default", "web", "app=web", &["80->8080"])
        .deployment("default", "api", 1, "app=api", &["8080"])
        .svc("default", "api", "app=api", &["80->8080"])
        .svc("default", "empty", "app=nothing", &["80->8080"])
        .deployment("shop", "cart", 1, "app=cart", &["8080"])
        .svc("shop", "cart", "app=cart", &["80->8080"])
        .svc("other", "echo", "app=echo", &["80->8080"])
}

fn class() -> GatewayClass {
    GatewayClass { name: "example".into(), controller_name: CONTROLLER_NAME.into(), source: None }
}

/// `http:80`, `https:443:*.example.com`, `tcp:9000`: protocol, port and hostname; every
/// namespace allowed. The listener's name is the text before the first `:` unless `name=`.
fn listener(text: &str) -> Listener {
    let (name, text) = match text.split_once('=') {
        Some((n, t)) => (n.to_string(), t),
        None => (text.split(':').next().unwrap_or("").to_string(), text),
    };
    let mut parts = text.split(':');
    let protocol = ListenerProtocol::parse(&parts.next().unwrap_or("").to_ascii_uppercase());
    let port = parts.next().and_then(|p| p.parse().ok()).unwrap_or(80);
    let hostname = parts.next().map(str::to_string);
    let tls = (protocol == ListenerProtocol::Https).then(|| ListenerTls {
        mode: TlsMode::Terminate,
        certificate_refs: vec![ObjectReference {
            group: String::new(),
            kind: "Secret".into(),
            name: "cert".into(),
            namespace: None,
        }],
    });
    Listener {
        name,
        hostname,
        port,
        protocol,
        tls,
        allowed_routes: AllowedRoutes { from: FromNamespaces::All, selector: None, kinds: Vec::new() },
        source: None,
    }
}

fn gateway_of(listeners: &[&str]) -> Gateway {
    Gateway {
        namespace: "default".into(),
        name: "gw".into(),
        gateway_class_name: "example".into(),
        listeners: listeners.iter().map(|l| listener(l)).collect(),
        source: None,
    }
}

/// `web:80`, `shop/cart:80`, `web:80*3` (weight 3).
fn backend(text: &str) -> BackendRef {
    let (text, weight) = match text.split_once('*') {
        Some((t, w)) => (t, w.parse().unwrap_or(1)),
        None => (text, 1),
    };
    let (ns, rest) = match text.split_once('/') {
        Some((ns, r)) => (Some(ns.to_string()), r),
        None => (None, text),
    };
    let (name, port) = rest.split_once(':').unwrap_or((rest, "80"));
    BackendRef { namespace: ns, weight, ..BackendRef::service(name, port.parse().unwrap_or(80)) }
}

fn path(kind: PathMatchType, value: &str) -> HttpRouteMatch {
    HttpRouteMatch { path: PathMatch { kind, value: value.into() }, ..HttpRouteMatch::default() }
}
fn prefix(value: &str) -> HttpRouteMatch {
    path(PathMatchType::PathPrefix, value)
}
fn exact(value: &str) -> HttpRouteMatch {
    path(PathMatchType::Exact, value)
}
fn values(pairs: &[(&str, &str)]) -> Vec<ValueMatch> {
    pairs
        .iter()
        .map(|(n, v)| ValueMatch { kind: StringMatchType::Exact, name: n.to_string(), value: v.to_string() })
        .collect()
}
fn with_headers(mut m: HttpRouteMatch, pairs: &[(&str, &str)]) -> HttpRouteMatch {
    m.headers = values(pairs);
    m
}
fn with_query(mut m: HttpRouteMatch, pairs: &[(&str, &str)]) -> HttpRouteMatch {
    m.query_params = values(pairs);
    m
}
fn with_method(mut m: HttpRouteMatch, method: &str) -> HttpRouteMatch {
    m.method = Some(method.into());
    m
}

fn rule(matches: Vec<HttpRouteMatch>, backends: &[&str]) -> HttpRouteRule {
    HttpRouteRule {
        matches,
        backend_refs: backends.iter().map(|b| backend(b)).collect(),
        ..HttpRouteRule::default()
    }
}
fn filtered(mut r: HttpRouteRule, filters: Vec<RouteFilter>) -> HttpRouteRule {
    r.filters = filters;
    r
}

/// An HTTPRoute `ns/name` attached to Gateway default/gw.
fn route(ns_name: &str, hostnames: &[&str], rules: Vec<HttpRouteRule>) -> HttpRoute {
    let (ns, name) = ns_name.split_once('/').unwrap_or(("default", ns_name));
    let mut parent = ParentRef::gateway("gw");
    parent.namespace = Some("default".into());
    HttpRoute {
        namespace: ns.into(),
        name: name.into(),
        parent_refs: vec![parent],
        hostnames: hostnames.iter().map(|h| h.to_string()).collect(),
        rules,
        creation_timestamp: None,
        source: None,
    }
}

fn created(mut r: HttpRoute, at: i64) -> HttpRoute {
    r.creation_timestamp = Some(at);
    r
}

/// The cluster, with the class, Gateway default/gw of `listeners`, and `routes`.
struct World {
    s: S,
    cluster: Cluster,
}

fn world(listeners: &[&str], routes: Vec<HttpRoute>) -> World {
    world_with(listeners, routes, |_| {})
}

fn world_with(listeners: &[&str], routes: Vec<HttpRoute>, f: impl FnOnce(&mut Scenario)) -> World {
    let mut s = cluster_objects();
    s.scenario.gateway_classes.push(class());
    s.scenario.gateways.push(gateway_of(listeners));
    s.scenario.http_routes = routes;
    f(&mut s.scenario);
    let cluster = s.build();
    World { s, cluster }
}

impl World {
    fn objects(&self) -> Objects<'_> {
        Objects::of(&self.s.scenario)
    }
    fn decide(&self, req: &GatewayRequest) -> Decision {
        gateway::route(&self.objects(), &self.cluster, req)
    }
    /// `GET url` through default/gw, rendered by [`render`].
    fn get(&self, url: &str) -> String {
        render(&self.decide(&GatewayRequest::get("default", "gw", url)))
    }
    fn send(&self, req: GatewayRequest) -> String {
        render(&self.decide(&req))
    }
    fn status(&self) -> gateway::Status {
        gateway::status(&self.objects(), &self.cluster)
    }
    /// The route's conditions for its first parent: `Accepted=True/Accepted ResolvedRefs=False/BackendNotFound`.
    fn route_conditions(&self, ns: &str, name: &str) -> String {
        let st = self.status();
        let r = st.route(RouteKind::Http, ns, name).expect("route status");
        r.parents.first().map(render_conditions).unwrap_or_else(|| "no parent status".into())
    }
}

fn render_conditions(p: &RouteParentStatus) -> String {
    p.conditions
        .iter()
        .map(|c| format!("{}={}/{}", c.kind, c.status.as_str(), c.reason))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `default/a r1 -> default/web:80 200`, `404`, `default/a r1 -> 302 https://…`,
/// `… -> default/web:80 1/2 200 + default/gone:80 1/2 500`, `no listener`.
fn render(d: &Decision) -> String {
    let out = match &d.outcome {
        gateway::Outcome::NoListener => "no listener".to_string(),
        gateway::Outcome::NotFound => "404".to_string(),
        gateway::Outcome::Redirect { status, location } => format!("{status} {location}"),
        gateway::Outcome::Error { status, .. } => status.to_string(),
        gateway::Outcome::Backends(shares) => shares
            .iter()
            .map(|s| {
                let code = match &s.answer {
                    BackendAnswer::Proxied { .. } => 200,
                    BackendAnswer::Error { status, .. } => *status,
                };
                if s.weight == s.total {
                    format!("{} {code}", s.backend)
                } else {
                    format!("{} {}/{} {code}", s.backend, s.weight, s.total)
                }
            })
            .collect::<Vec<_>>()
            .join(" + "),
    };
    match d.winner() {
        Some(w) => format!("{}/{} r{} -> {out}", w.route.namespace, w.route.name, w.rule + 1),
        None => out,
    }
}

fn check(rows: &[(&str, &str)], got: impl Fn(&str) -> String) {
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|(input, want)| {
            let g = got(input);
            (g != *want).then(|| format!("{input}: want `{want}`, got `{g}`"))
        })
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

// ---------------------------------------------------------------- precedence, step by step
// HTTPRoute `hostnames` (hostname specificity) and HTTPRouteRule `matches` (the chain).

#[test]
fn precedence_1_hostname_non_wildcard_characters_first() {
    let w = world(
        &["http:80"],
        vec![
            route("any", &[], vec![rule(vec![], &["api:80"])]),
            route("wild", &["*.example.com"], vec![rule(vec![], &["api:80"])]),
            route("exact", &["foo.example.com"], vec![rule(vec![], &["web:80"])]),
        ],
    );
    check(
        &[
            ("http://foo.example.com/", "default/exact r1 -> default/web:80 200"),
            ("http://bar.example.com/", "default/wild r1 -> default/api:80 200"),
            ("http://a.b.example.com/", "default/wild r1 -> default/api:80 200"),
            ("http://example.com/", "default/any r1 -> default/api:80 200"),
        ],
        |url| w.get(url),
    );
}

#[test]
fn precedence_2_longer_wildcard_hostname_wins() {
    let w = world(
        &["http:80"],
        vec![
            route("short", &["*.example.com"], vec![rule(vec![], &["api:80"])]),
            route("long", &["*.foo.example.com"], vec![rule(vec![], &["web:80"])]),
        ],
    );
    check(
        &[
            ("http://a.foo.example.com/", "default/long r1 -> default/web:80 200"),
            ("http://a.bar.example.com/", "default/short r1 -> default/api:80 200"),
        ],
        |url| w.get(url),
    );
}

// Conformance HTTPRouteExactPathMatching, HTTPRouteMatchingAcrossRoutes.
#[test]
fn precedence_3_exact_path_over_prefix() {
    let w = world(
        &["http:80"],
        vec![
            route("a-prefix", &[], vec![rule(vec![prefix("/foo")], &["api:80"])]),
            route("b-exact", &[], vec![rule(vec![exact("/foo")], &["web:80"])]),
        ],
    );
    check(
        &[
            ("http://x/foo", "default/b-exact r1 -> default/web:80 200"),
            ("http://x/foo/", "default/a-prefix r1 -> default/api:80 200"),
            ("http://x/foo/bar", "default/a-prefix r1 -> default/api:80 200"),
            ("http://x/foobar", "404"),
        ],
        |url| w.get(url),
    );
}

#[test]
fn precedence_4_longest_prefix() {
    let w = world(
        &["http:80"],
        vec![route(
            "r",
            &[],
            vec![
                rule(vec![prefix("/")], &["api:80"]),
                rule(vec![prefix("/v1/")], &["web:80"]),
                rule(vec![prefix("/v1/users")], &["empty:80"]),
            ],
        )],
    );
    check(
        &[
            ("http://x/", "default/r r1 -> default/api:80 200"),
            ("http://x/v1", "default/r r2 -> default/web:80 200"),
            ("http://x/v1/orders", "default/r r2 -> default/web:80 200"),
            ("http://x/v1/users/7", "default/r r3 -> default/empty:80 503"),
            ("http://x/v1/usersx", "default/r r2 -> default/web:80 200"),
        ],
        |url| w.get(url),
    );
}

// Conformance HTTPRouteMethodMatching.
#[test]
fn precedence_5_method_match() {
    let w = world(
        &["http:80"],
        vec![route(
            "r",
            &[],
            vec![
                rule(vec![prefix("/")], &["api:80"]),
                rule(vec![with_method(prefix("/"), "POST")], &["web:80"]),
            ],
        )],
    );
    let get = GatewayRequest::get("default", "gw", "http://x/");
    assert_eq!(w.send(get.clone()), "default/r r1 -> default/api:80 200");
    assert_eq!(w.send(get.method("POST")), "default/r r2 -> default/web:80 200");
}

// Conformance HTTPRouteHeaderMatching.
#[test]
fn precedence_6_most_header_matches() {
    let w = world(
        &["http:80"],
        vec![route(
            "r",
            &[],
            vec![
                rule(vec![with_headers(prefix("/"), &[("version", "2")])], &["api:80"]),
                rule(vec![with_headers(prefix("/"), &[("version", "2"), ("color", "blue")])], &["web:80"]),
            ],
        )],
    );
    let req = GatewayRequest::get("default", "gw", "http://x/");
    assert_eq!(w.send(req.clone()), "404");
    assert_eq!(
        w.send(req.clone().header("Version", "2")),
        "default/r r1 -> default/api:80 200",
        "header names compare without case"
    );
    let both = req.header("version", "2").header("color", "blue");
    let d = w.decide(&both);
    assert_eq!(render(&d), "default/r r2 -> default/web:80 200");
    let loser = d.candidates.iter().find(|c| c.rule == 0).unwrap();
    assert_eq!(loser.lost.as_deref(), Some("header matches: 1 against the winner's 2"));
}

// Conformance HTTPRouteQueryParamMatching.
#[test]
fn precedence_7_most_query_param_matches() {
    let w = world(
        &["http:80"],
        vec![route(
            "r",
            &[],
            vec![
                rule(vec![with_headers(prefix("/"), &[("version", "2")])], &["api:80"]),
                rule(
                    vec![with_headers(with_query(prefix("/"), &[("animal", "whale")]), &[("version", "2")])],
                    &["web:80"],
                ),
            ],
        )],
    );
    let req = GatewayRequest::get("default", "gw", "http://x/?animal=whale&x=1").header("version", "2");
    assert_eq!(w.send(req), "default/r r2 -> default/web:80 200");
    let req = GatewayRequest::get("default", "gw", "http://x/?animal=dolphin").header("version", "2");
    assert_eq!(w.send(req), "default/r r1 -> default/api:80 200");
}

#[test]
fn precedence_8_oldest_route_then_9_namespace_name() {
    let same = || vec![rule(vec![prefix("/")], &["web:80"])];
    // b is older than a: the timestamp decides before the name.
    let w = world(
        &["http:80"],
        vec![created(route("a", &[], same()), 2_000), created(route("b", &[], same()), 1_000)],
    );
    let d = w.decide(&GatewayRequest::get("default", "gw", "http://x/"));
    assert_eq!(render(&d), "default/b r1 -> default/web:80 200");
    assert_eq!(
        d.candidates[1].lost.as_deref(),
        Some("ties on every criterion; HTTPRoute default/b is older (creationTimestamp)")
    );
    // The same second: `namespace/name` alphabetically; `default/z` before `shop/a`.
    let w = world(
        &["http:80"],
        vec![created(route("shop/a", &[], same()), 1_000), created(route("z", &[], same()), 1_000)],
    );
    assert_eq!(w.get("http://x/"), "default/z r1 -> default/web:80 200");
    // No timestamp: created when the scenario was applied, after any Route that has one.
    let w = world(&["http:80"], vec![route("a", &[], same()), created(route("b", &[], same()), 5)]);
    assert_eq!(w.get("http://x/"), "default/b r1 -> default/web:80 200");
    let w = world(&["http:80"], vec![route("b", &[], same()), route("a", &[], same())]);
    assert_eq!(w.get("http://x/"), "default/a r1 -> default/web:80 200");
}

#[test]
fn precedence_10_rule_order_then_11_match_order() {
    let w = world(
        &["http:80"],
        vec![route(
            "r",
            &[],
            vec![rule(vec![prefix("/a"), prefix("/b")], &["api:80"]), rule(vec![prefix("/a")], &["web:80"])],
        )],
    );
    let d = w.decide(&GatewayRequest::get("default", "gw", "http://x/a"));
    assert_eq!(render(&d), "default/r r1 -> default/api:80 200");
    let order: Vec<(usize, Option<usize>, bool)> =
        d.candidates.iter().map(|c| (c.rule, c.match_index, c.lacked.is_none())).collect();
    // Precedence order, matching or not: the three prefixes tie on every criterion, so rule
    // order, then match order, sorts them; the first that matched wins.
    assert_eq!(order, vec![(0, Some(0), true), (0, Some(1), false), (1, Some(0), true)]);
    assert_eq!(d.candidates[1].lacked.as_deref(), Some("path `/a` is not under the prefix `/b`"));
    assert_eq!(
        d.candidates[2].lost.as_deref(),
        Some("ties on every criterion; the winner is an earlier rule of the same Route")
    );
}

#[test]
fn hostname_specificity_comes_before_the_path() {
    // A specific hostname's `/` beats a wildcard's `/api/v1`: hostname first, then path.
    let w = world(
        &["http:80"],
        vec![
            route("wild", &["*.example.com"], vec![rule(vec![prefix("/api/v1")], &["api:80"])]),
            route("exact", &["foo.example.com"], vec![rule(vec![prefix("/")], &["web:80"])]),
        ],
    );
    let d = w.decide(&GatewayRequest::get("default", "gw", "http://foo.example.com/api/v1"));
    assert_eq!(render(&d), "default/exact r1 -> default/web:80 200");
    assert_eq!(
        d.candidates[1].lost.as_deref(),
        Some("non-wildcard hostname characters: 0 against the winner's 15")
    );
    assert_eq!(
        d.cause(),
        "HTTPRoute default/exact rule 1 (PathPrefix `/`) wins over 1 other matching rule(s)"
    );
}

#[test]
fn regular_expression_paths_whole_and_case_sensitive() {
    let w = world(
        &["http:80"],
        vec![route(
            "r",
            &[],
            vec![
                rule(vec![prefix("/")], &["api:80"]),
                rule(vec![path(PathMatchType::RegularExpression, "/v[0-9]+/items")], &["web:80"]),
            ],
        )],
    );
    check(
        &[
            ("http://x/v2/items", "default/r r2 -> default/web:80 200"),
            ("http://x/v2/items/7", "default/r r1 -> default/api:80 200"),
            ("http://x/V2/items", "default/r r1 -> default/api:80 200"),
        ],
        |url| w.get(url),
    );
}

#[test]
fn no_match_is_404_and_every_candidate_says_what_it_lacked() {
    let w = world(
        &["http:80"],
        vec![route(
            "r",
            &[],
            vec![
                rule(vec![exact("/login")], &["web:80"]),
                rule(vec![with_method(prefix("/api"), "POST")], &["api:80"]),
                rule(vec![with_query(prefix("/search"), &[("q", "x")])], &["api:80"]),
            ],
        )],
    );
    let d = w.decide(&GatewayRequest::get("default", "gw", "http://x/api/items"));
    assert_eq!(render(&d), "404");
    let lacked: Vec<&str> = d.candidates.iter().filter_map(|c| c.lacked.as_deref()).collect();
    assert_eq!(
        lacked,
        vec![
            "path `/api/items` is not exactly `/login`",
            "path `/api/items` is not under the prefix `/search`",
            "method is GET, not POST"
        ]
    );
    assert_eq!(d.cause(), "No rule attached to listener `http` matches x/api/items: 404");
}

// ---------------------------------------------------------------- filters

fn redirect_rule(r: RequestRedirect) -> HttpRouteRule {
    filtered(rule(vec![prefix("/old")], &[]), vec![RouteFilter::RequestRedirect(r)])
}

// Conformance HTTPRouteRedirectScheme, …HostAndStatus, …Port, …PortAndScheme, …Path,
// HTTPRoute303/307/308Redirect; HTTPRequestRedirectFilter's `port` rules.
#[test]
fn request_redirect() {
    let rows: Vec<(RequestRedirect, &str, &str)> = vec![
        (RequestRedirect::default(), "http://x/old/a?q=1", "302 http://x/old/a?q=1"),
        (
            RequestRedirect { scheme: Some("https".into()), ..Default::default() },
            "http://x/old",
            "302 https://x/old",
        ),
        (
            RequestRedirect { scheme: Some("https".into()), ..Default::default() },
            "http://x:8080/old",
            "302 https://x/old",
        ),
        (
            RequestRedirect {
                hostname: Some("y.example".into()),
                status_code: Some(301),
                ..Default::default()
            },
            "http://x/old",
            "301 http://y.example/old",
        ),
        (
            RequestRedirect { hostname: Some("y.example".into()), ..Default::default() },
            "http://x:8080/old",
            "302 http://y.example:8080/old",
        ),
        (
            RequestRedirect { port: Some(8443), scheme: Some("https".into()), ..Default::default() },
            "http://x/old",
            "302 https://x:8443/old",
        ),
        (
            RequestRedirect { scheme: Some("http".into()), port: Some(80), ..Default::default() },
            "http://x:8080/old",
            "302 http://x/old",
        ),
        (
            RequestRedirect {
                path: Some(PathModifier::ReplaceFullPath("/new".into())),
                status_code: Some(303),
                ..Default::default()
            },
            "http://x/old/a",
            "303 http://x/new",
        ),
        (
            RequestRedirect {
                path: Some(PathModifier::ReplacePrefixMatch("/new".into())),
                status_code: Some(307),
                ..Default::default()
            },
            "http://x/old/a",
            "307 http://x/new/a",
        ),
        (
            RequestRedirect {
                path: Some(PathModifier::ReplacePrefixMatch("/".into())),
                status_code: Some(308),
                ..Default::default()
            },
            "http://x/old/a",
            "308 http://x/a",
        ),
    ];
    let mut failures = Vec::new();
    for (r, url, want) in rows {
        let w = world(&["http:80", "alt=http:8080"], vec![route("r", &[], vec![redirect_rule(r.clone())])]);
        let got = w.get(url);
        let want = format!("default/r r1 -> {want}");
        if got != want {
            failures.push(format!("{r:?} {url}: want {want}, got {got}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

// HTTPPathModifier `replacePrefixMatch`: every row of its table.
#[test]
fn replace_prefix_match_table() {
    let rows = [
        ("/foo/bar", "/foo", "/xyz", "/xyz/bar"),
        ("/foo/bar", "/foo", "/xyz/", "/xyz/bar"),
        ("/foo/bar", "/foo/", "/xyz", "/xyz/bar"),
        ("/foo/bar", "/foo/", "/xyz/", "/xyz/bar"),
        ("/foo", "/foo", "/xyz", "/xyz"),
        ("/foo/", "/foo", "/xyz", "/xyz/"),
        ("/foo/bar", "/foo", "", "/bar"),
        ("/foo/", "/foo", "", "/"),
        ("/foo", "/foo", "", "/"),
        ("/foo/", "/foo", "/", "/"),
        ("/foo", "/foo", "/", "/"),
    ];
    for (path, prefix, replacement, want) in rows {
        assert_eq!(replace_prefix(path, prefix, replacement), want, "{path} {prefix} {replacement}");
    }
}

// Conformance HTTPRouteRewriteHost, HTTPRouteRewritePath.
#[test]
fn url_rewrite_hostname_full_path_and_prefix() {
    let rewrite = |hostname: Option<&str>, path: Option<PathModifier>, m: HttpRouteMatch| {
        filtered(
            rule(vec![m], &["web:80"]),
            vec![RouteFilter::UrlRewrite(UrlRewrite { hostname: hostname.map(str::to_string), path })],
        )
    };
    let w = world(
        &["http:80"],
        vec![route(
            "r",
            &[],
            vec![
                rewrite(Some("one.example.org"), None, prefix("/one")),
                rewrite(None, Some(PathModifier::ReplaceFullPath("/full".into())), prefix("/full")),
                rewrite(None, Some(PathModifier::ReplacePrefixMatch("/two".into())), prefix("/prefix/one")),
                rewrite(None, Some(PathModifier::ReplacePrefixMatch("/v2".into())), prefix("/")),
            ],
        )],
    );
    let upstream = |url: &str| {
        let d = w.decide(&GatewayRequest::get("default", "gw", url));
        let up = d.upstream.expect("proxied");
        format!("{} {}", up.host, up.target())
    };
    check(
        &[
            ("http://x/one/a", "one.example.org /one/a"),
            ("http://x/full/a?k=v", "x /full?k=v"),
            ("http://x/prefix/one/three", "x /two/three"),
            ("http://x/prefix/one", "x /two"),
            ("http://x/other", "x /v2/other"),
        ],
        upstream,
    );
    let d = w.decide(&GatewayRequest::get("default", "gw", "http://x/prefix/one/three"));
    assert_eq!(d.filters, vec!["URLRewrite: path /prefix/one/three -> /two/three"]);
}

// Conformance HTTPRouteRequestHeaderModifier, HTTPRouteResponseHeaderModifier, HTTPRouteRequestMirror.
#[test]
fn header_modifiers_and_mirror() {
    let m = HeaderModifier {
        set: vec![("X-Set".into(), "new".into())],
        add: vec![("X-Add".into(), "more".into())],
        remove: vec!["X-Remove".into()],
    };
    let mirror =
        ObjectReference { group: String::new(), kind: "Service".into(), name: "api".into(), namespace: None };
    let filters = vec![
        RouteFilter::RequestHeaderModifier(m.clone()),
        RouteFilter::ResponseHeaderModifier(HeaderModifier {
            set: vec![("X-Answer".into(), "1".into())],
            ..Default::default()
        }),
        RouteFilter::RequestMirror { backend: mirror, port: Some(80) },
    ];
    let w = world(&["http:80"], vec![route("r", &[], vec![filtered(rule(vec![], &["web:80"]), filters)])]);
    let req = GatewayRequest::get("default", "gw", "http://x/")
        .header("x-set", "old")
        .header("X-Add", "first")
        .header("x-remove", "gone")
        .header("Keep", "k");
    let d = w.decide(&req);
    let headers: Vec<String> =
        d.upstream.as_ref().unwrap().headers.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    assert_eq!(headers, vec!["X-Add: first", "Keep: k", "X-Set: new", "X-Add: more"]);
    assert_eq!(
        d.filters,
        vec![
            "RequestHeaderModifier: set X-Set: new, add X-Add: more, remove X-Remove",
            "ResponseHeaderModifier (on the answer): set X-Answer: 1",
            "RequestMirror: a copy goes to default/api:80, its answer ignored",
        ]
    );
    assert_eq!(d.mirrors, vec!["default/api:80"]);
    assert_eq!(render(&d), "default/r r1 -> default/web:80 200");
    // A mirror's backend is a reference like any other: across namespaces it needs a grant.
    let far = ObjectReference {
        group: String::new(),
        kind: "Service".into(),
        name: "cart".into(),
        namespace: Some("shop".into()),
    };
    let mirrored = filtered(
        rule(vec![], &["web:80"]),
        vec![RouteFilter::RequestMirror { backend: far, port: Some(80) }],
    );
    let w = world(&["http:80"], vec![route("r", &[], vec![mirrored])]);
    assert_eq!(
        w.route_conditions("default", "r"),
        "Accepted=True/Accepted ResolvedRefs=False/RefNotPermitted"
    );
}

// ---------------------------------------------------------------- backends: weights, 500, 503

#[test]
fn weights_give_each_backend_its_share_and_broken_ones_answer_500_or_503() {
    let w = world(
        &["http:80"],
        vec![route(
            "r",
            &[],
            vec![
                rule(vec![prefix("/split")], &["web:80*3", "api:80*1"]),
                rule(vec![prefix("/half")], &["web:80", "gone:80"]),
                rule(vec![prefix("/empty")], &["empty:80"]),
                rule(vec![prefix("/none")], &[]),
                rule(vec![prefix("/zero")], &["web:80*0"]),
                rule(vec![prefix("/badport")], &["web:81"]),
            ],
        )],
    );
    check(
        &[
            ("http://x/split", "default/r r1 -> default/web:80 3/4 200 + default/api:80 1/4 200"),
            ("http://x/half", "default/r r2 -> default/web:80 1/2 200 + default/gone:80 1/2 500"),
            ("http://x/empty", "default/r r3 -> default/empty:80 503"),
            ("http://x/none", "default/r r4 -> 500"),
            ("http://x/zero", "default/r r5 -> 500"),
            ("http://x/badport", "default/r r6 -> default/web:81 500"),
            ("http://x/nothing", "404"),
        ],
        |url| w.get(url),
    );
    let d = w.decide(&GatewayRequest::get("default", "gw", "http://x/split"));
    match &d.outcome {
        gateway::Outcome::Backends(s) => {
            assert_eq!(s[0].answer, BackendAnswer::Proxied { ready: 2, grant: None })
        }
        o => panic!("{o:?}"),
    }
    assert_eq!(d.status(), Some(200));
}

// ---------------------------------------------------------------- ReferenceGrant

fn grant(name: Option<&str>, from_ns: &str) -> ReferenceGrant {
    ReferenceGrant {
        namespace: "shop".into(),
        name: "allow".into(),
        from: vec![GrantFrom { group: GROUP.into(), kind: "HTTPRoute".into(), namespace: from_ns.into() }],
        to: vec![GrantTo { group: String::new(), kind: "Service".into(), name: name.map(str::to_string) }],
        source: None,
    }
}

// Conformance HTTPRouteCrossNamespace (no: HTTPRouteReferenceGrant), HTTPRouteInvalidReferenceGrant,
// HTTPRoutePartiallyInvalidViaInvalidReferenceGrant; ReferenceGrant's `to.name`.
#[test]
fn cross_namespace_backend_needs_a_reference_grant_in_the_target_namespace() {
    let routes = || vec![route("r", &[], vec![rule(vec![], &["shop/cart:80"])])];
    let cases: Vec<(&str, Vec<ReferenceGrant>, &str, &str)> = vec![
        ("no grant", vec![], "default/r r1 -> shop/cart:80 500", "ResolvedRefs=False/RefNotPermitted"),
        (
            "grant for every Service",
            vec![grant(None, "default")],
            "default/r r1 -> shop/cart:80 200",
            "ResolvedRefs=True/ResolvedRefs",
        ),
        (
            "grant for cart",
            vec![grant(Some("cart"), "default")],
            "default/r r1 -> shop/cart:80 200",
            "ResolvedRefs=True/ResolvedRefs",
        ),
        (
            "grant for another name",
            vec![grant(Some("other"), "default")],
            "default/r r1 -> shop/cart:80 500",
            "ResolvedRefs=False/RefNotPermitted",
        ),
        (
            "grant from another namespace",
            vec![grant(None, "other")],
            "default/r r1 -> shop/cart:80 500",
            "ResolvedRefs=False/RefNotPermitted",
        ),
        (
            "grant in the route's namespace",
            vec![ReferenceGrant { namespace: "default".into(), ..grant(None, "default") }],
            "default/r r1 -> shop/cart:80 500",
            "ResolvedRefs=False/RefNotPermitted",
        ),
    ];
    for (what, grants, want, resolved) in cases {
        let w = world_with(&["http:80"], routes(), |s| s.reference_grants = grants);
        assert_eq!(w.get("http://x/"), want, "{what}");
        let conditions = w.route_conditions("default", "r");
        assert!(conditions.ends_with(resolved), "{what}: {conditions}");
    }
    let w = world_with(&["http:80"], routes(), |s| s.reference_grants = vec![grant(None, "default")]);
    let d = w.decide(&GatewayRequest::get("default", "gw", "http://x/"));
    match &d.outcome {
        gateway::Outcome::Backends(s) => match &s[0].answer {
            BackendAnswer::Proxied { grant: Some(g), .. } => {
                assert_eq!(g.to_string(), "ReferenceGrant shop/allow")
            }
            a => panic!("{a:?}"),
        },
        o => panic!("{o:?}"),
    }
}

// ---------------------------------------------------------------- Route conditions

fn parent(name: &str, section: Option<&str>, port: Option<u16>) -> ParentRef {
    ParentRef {
        section_name: section.map(str::to_string),
        port,
        namespace: Some("default".into()),
        ..ParentRef::gateway(name)
    }
}

fn with_parent(mut r: HttpRoute, p: ParentRef) -> HttpRoute {
    r.parent_refs = vec![p];
    r
}

// Each reason of the Route's `Accepted` and `ResolvedRefs` conditions, one Route each.
#[test]
fn route_condition_reasons() {
    let ok = || vec![rule(vec![], &["web:80"])];
    let same_only = |l: &mut Listener| l.allowed_routes.from = FromNamespaces::Same;
    let routes = vec![
        route("accepted", &[], ok()),
        // HTTPRouteInvalidParentRefNotMatchingSectionName
        with_parent(route("no-section", &[], ok()), parent("gw", Some("nope"), None)),
        // HTTPRouteInvalidParentRefNotMatchingListenerPort
        with_parent(route("no-port", &[], ok()), parent("gw", None, Some(9999))),
        // HTTPRouteInvalidParentRefSectionNameNotMatchingPort
        with_parent(route("section-port", &[], ok()), parent("gw", Some("http"), Some(8080))),
        // HTTPRouteInvalidCrossNamespaceParentRef: the `same` listener admits its own namespace only.
        with_parent(
            route("shop/other-ns", &[], vec![rule(vec![], &["cart:80"])]),
            parent("gw", Some("same"), None),
        ),
        // HTTPRouteHostnameIntersection: the `named` listener serves a.example.com only.
        with_parent(route("no-host", &["b.example.com"], ok()), parent("gw", Some("named"), None)),
        // HTTPRouteInvalidNonExistentBackendRef
        route("missing", &[], vec![rule(vec![], &["gone:80"])]),
        // HTTPRouteInvalidBackendRefUnknownKind
        route(
            "bad-kind",
            &[],
            vec![HttpRouteRule {
                backend_refs: vec![BackendRef { kind: "Pod".into(), ..backend("web:80") }],
                ..Default::default()
            }],
        ),
        // HTTPRouteInvalidCrossNamespaceBackendRef
        route("cross", &[], vec![rule(vec![], &["shop/cart:80"])]),
        // A filter type the model does not implement makes the only rule invalid.
        route(
            "bad-filter",
            &[],
            vec![filtered(rule(vec![], &["web:80"]), vec![RouteFilter::Other("CORS".into())])],
        ),
        // One valid rule, one invalid: Accepted with PartiallyInvalid.
        route(
            "partly",
            &[],
            vec![
                rule(vec![prefix("/ok")], &["web:80"]),
                filtered(
                    rule(vec![exact("/x")], &["web:80"]),
                    vec![RouteFilter::UrlRewrite(UrlRewrite {
                        hostname: None,
                        path: Some(PathModifier::ReplacePrefixMatch("/y".into())),
                    })],
                ),
            ],
        ),
        route(
            "both-filters",
            &[],
            vec![filtered(
                rule(vec![], &[]),
                vec![
                    RouteFilter::RequestRedirect(RequestRedirect::default()),
                    RouteFilter::UrlRewrite(UrlRewrite::default()),
                ],
            )],
        ),
    ];
    let w = world_with(
        &["http:80", "alt=http:8080", "same=http:81", "named=http:82:a.example.com"],
        routes,
        |s| {
            same_only(&mut s.gateways[0].listeners[2]);
        },
    );
    let rows = [
        ("default/accepted", "Accepted=True/Accepted ResolvedRefs=True/ResolvedRefs"),
        ("default/no-section", "Accepted=False/NoMatchingParent ResolvedRefs=True/ResolvedRefs"),
        ("default/no-port", "Accepted=False/NoMatchingParent ResolvedRefs=True/ResolvedRefs"),
        ("default/section-port", "Accepted=False/NoMatchingParent ResolvedRefs=True/ResolvedRefs"),
        ("shop/other-ns", "Accepted=False/NotAllowedByListeners ResolvedRefs=True/ResolvedRefs"),
        ("default/no-host", "Accepted=False/NoMatchingListenerHostname ResolvedRefs=True/ResolvedRefs"),
        ("default/missing", "Accepted=True/Accepted ResolvedRefs=False/BackendNotFound"),
        ("default/bad-kind", "Accepted=True/Accepted ResolvedRefs=False/InvalidKind"),
        ("default/cross", "Accepted=True/Accepted ResolvedRefs=False/RefNotPermitted"),
        ("default/bad-filter", "Accepted=False/UnsupportedValue ResolvedRefs=True/ResolvedRefs"),
        (
            "default/partly",
            "Accepted=True/Accepted PartiallyInvalid=True/UnsupportedValue ResolvedRefs=True/ResolvedRefs",
        ),
        ("default/both-filters", "Accepted=False/IncompatibleFilters ResolvedRefs=True/ResolvedRefs"),
    ];
    check(&rows, |r| {
        let (ns, name) = r.split_once('/').unwrap();
        w.route_conditions(ns, name)
    });
    // The messages say what was missing.
    let st = w.status();
    let msg = |name: &str| {
        let (ns, n) = name.split_once('/').unwrap();
        let p = &st.route(RouteKind::Http, ns, n).unwrap().parents[0];
        p.conditions
            .iter()
            .map(|c| c.message.clone())
            .filter(|m| !m.is_empty())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    assert_eq!(msg("default/no-section"), "Gateway default/gw has no listener named `nope`");
    assert_eq!(msg("shop/other-ns"), "listener `same` admits Routes from its own namespace default only");
    assert_eq!(msg("default/missing"), "Service default/gone does not exist");
    assert_eq!(
        msg("default/partly"),
        "dropped rule 2: ReplacePrefixMatch is used with a match that is not PathPrefix"
    );
    // Routing: a Route that is not accepted serves nothing; the valid rule of a partly
    // invalid one does.
    assert_eq!(w.get("http://x:82/"), "404");
    assert_eq!(w.get("http://x/ok"), "default/partly r1 -> default/web:80 200");
    assert_eq!(
        w.get("http://x/x"),
        "default/accepted r1 -> default/web:80 200",
        "the dropped Exact /x rule would win"
    );
}

// Listener `allowedRoutes.namespaces.from: Selector` against namespace labels, and `kinds`
// (HTTPRouteDisallowedKind).
#[test]
fn allowed_routes_selector_and_kinds() {
    let routes = vec![
        route("shop/s", &["s.example"], vec![rule(vec![], &["cart:80"])]),
        route("other/o", &["o.example"], vec![rule(vec![], &["echo:80"])]),
    ];
    let w = world_with(&["http:80"], routes.clone(), |s| {
        let l = &mut s.gateways[0].listeners[0];
        l.allowed_routes.from = FromNamespaces::Selector;
        l.allowed_routes.selector = Some(LabelSelector::from_labels(&labels("team=shop")));
    });
    assert_eq!(w.route_conditions("shop", "s"), "Accepted=True/Accepted ResolvedRefs=True/ResolvedRefs");
    assert_eq!(
        w.route_conditions("other", "o"),
        "Accepted=False/NotAllowedByListeners ResolvedRefs=True/ResolvedRefs"
    );
    assert_eq!(w.get("http://s.example/"), "shop/s r1 -> shop/cart:80 200");
    assert_eq!(w.get("http://o.example/"), "404");
    let w = world_with(&["http:80"], routes, |s| {
        s.gateways[0].listeners[0].allowed_routes.kinds = vec![RouteGroupKind::new("GRPCRoute")];
    });
    assert_eq!(
        w.route_conditions("shop", "s"),
        "Accepted=False/NotAllowedByListeners ResolvedRefs=True/ResolvedRefs"
    );
}

// ---------------------------------------------------------------- Gateway, listeners, class

fn listener_conditions(st: &gateway::Status, name: &str) -> String {
    let l = st.gateway("default", "gw").unwrap().listener(name).unwrap();
    l.conditions
        .iter()
        .map(|c| format!("{}={}/{}", c.kind, c.status.as_str(), c.reason))
        .collect::<Vec<_>>()
        .join(" ")
}

// Gateway `listeners` (distinct listeners, Conflicted), GatewayListenerUnsupportedProtocol,
// GatewayInvalidRouteKind, GatewayInvalidTLSConfiguration, GatewaySecretMissingReferenceGrant.
#[test]
fn listener_conditions_and_gateway_accepted() {
    let w = world_with(
        &[
            "http:80",
            "https:443",
            "tcp:9000",
            "dup-a=http:8080:a.example",
            "dup-b=http:8080:a.example",
            "mixed=https:8080:b.example",
            "kinds=http:81",
            "nocert=https:8443",
            "foreign=https:9443",
        ],
        vec![route("r", &[], vec![rule(vec![], &["web:80"])])],
        |s| {
            let ls = &mut s.gateways[0].listeners;
            ls[6].allowed_routes.kinds = vec![RouteGroupKind::new("TCPRoute")];
            ls[7].tls = Some(ListenerTls { mode: TlsMode::Terminate, certificate_refs: vec![] });
            if let Some(t) = ls[8].tls.as_mut() {
                t.certificate_refs[0].namespace = Some("shop".into());
            }
        },
    );
    let st = w.status();
    check(
        &[
            ("http", "Accepted=True/Accepted Programmed=True/Programmed ResolvedRefs=True/ResolvedRefs Conflicted=False/NoConflicts"),
            ("https", "Accepted=True/Accepted Programmed=True/Programmed ResolvedRefs=True/ResolvedRefs Conflicted=False/NoConflicts"),
            ("tcp", "Accepted=False/UnsupportedProtocol Programmed=False/Invalid ResolvedRefs=True/ResolvedRefs Conflicted=False/NoConflicts"),
            ("dup-a", "Accepted=False/PortUnavailable Programmed=False/Invalid ResolvedRefs=True/ResolvedRefs Conflicted=True/HostnameConflict"),
            ("dup-b", "Accepted=False/PortUnavailable Programmed=False/Invalid ResolvedRefs=True/ResolvedRefs Conflicted=True/HostnameConflict"),
            ("mixed", "Accepted=False/PortUnavailable Programmed=False/Invalid ResolvedRefs=True/ResolvedRefs Conflicted=True/ProtocolConflict"),
            ("kinds", "Accepted=True/Accepted Programmed=True/Programmed ResolvedRefs=False/InvalidRouteKinds Conflicted=False/NoConflicts"),
            ("nocert", "Accepted=True/Accepted Programmed=False/Invalid ResolvedRefs=False/InvalidCertificateRef Conflicted=False/NoConflicts"),
            ("foreign", "Accepted=True/Accepted Programmed=False/Invalid ResolvedRefs=False/RefNotPermitted Conflicted=False/NoConflicts"),
        ],
        |name| listener_conditions(&st, name),
    );
    let gw = st.gateway("default", "gw").unwrap();
    let accepted = condition(&gw.conditions, "Accepted").unwrap();
    assert_eq!((accepted.status, accepted.reason), (ConditionStatus::True, "ListenersNotValid"));
    assert_eq!(accepted.message, "listeners not valid: tcp, dup-a, dup-b, mixed, nocert, foreign");
    // The Route attached to every accepted listener that allows HTTPRoutes.
    let attached: Vec<(String, usize)> =
        gw.listeners.iter().map(|l| (l.name.clone(), l.attached_routes)).collect();
    let want: Vec<(String, usize)> = [
        ("http", 1),
        ("https", 1),
        ("tcp", 0),
        ("dup-a", 0),
        ("dup-b", 0),
        ("mixed", 0),
        ("kinds", 0),
        ("nocert", 1),
        ("foreign", 1),
    ]
    .iter()
    .map(|(n, c)| (n.to_string(), *c))
    .collect();
    assert_eq!(attached, want);
    assert!(gw.listener("kinds").unwrap().supported_kinds.is_empty());
    // A grant for the Secret fixes `foreign`.
    let w2 = world_with(&["foreign=https:9443"], vec![], |s| {
        if let Some(t) = s.gateways[0].listeners[0].tls.as_mut() {
            t.certificate_refs[0].namespace = Some("shop".into());
        }
        s.reference_grants.push(ReferenceGrant {
            namespace: "shop".into(),
            name: "certs".into(),
            from: vec![GrantFrom {
                group: GROUP.into(),
                kind: "Gateway".into(),
                namespace: "default".into(),
            }],
            to: vec![GrantTo { group: String::new(), kind: "Secret".into(), name: None }],
            source: None,
        });
    });
    assert!(listener_conditions(&w2.status(), "foreign")
        .starts_with("Accepted=True/Accepted Programmed=True/Programmed ResolvedRefs=True"));
    // Only conflicted or unsupported listeners: the Gateway is not accepted.
    let w3 = world(&["tcp:9000", "a=http:80", "b=http:80"], vec![]);
    let gw = w3.status();
    let gw = gw.gateway("default", "gw").unwrap();
    assert_eq!(
        condition(&gw.conditions, "Accepted").map(|c| (c.status, c.reason)),
        Some((ConditionStatus::False, "ListenersNotValid"))
    );
    assert_eq!(condition(&gw.conditions, "Programmed").map(|c| c.status), Some(ConditionStatus::False));
}

#[test]
fn gateway_class_of_another_controller_leaves_its_gateways_pending() {
    let w = world_with(&["http:80"], vec![route("r", &[], vec![rule(vec![], &["web:80"])])], |s| {
        s.gateway_classes[0].controller_name = "other.io/controller".into();
    });
    let st = w.status();
    assert!(st.classes.is_empty());
    let gw = st.gateway("default", "gw").unwrap();
    assert_eq!(
        condition(&gw.conditions, "Accepted").map(|c| (c.status, c.reason)),
        Some((ConditionStatus::Unknown, "Pending"))
    );
    assert!(
        st.route(RouteKind::Http, "default", "r").unwrap().parents.is_empty(),
        "no status for a parent of another controller"
    );
    let ignored: Vec<String> = st.ignored.iter().map(|s| format!("{}: {}", s.object, s.reason)).collect();
    assert_eq!(
        ignored,
        vec![
            "GatewayClass example: its controllerName is other.io/controller, not example.net/gateway-controller",
            "Gateway default/gw: its GatewayClass `example` belongs to controller other.io/controller, not example.net/gateway-controller",
            "HTTPRoute default/r: parentRef Gateway default/gw: its GatewayClass `example` belongs to controller other.io/controller, not example.net/gateway-controller",
        ]
    );
    assert_eq!(w.get("http://x/"), "no listener");
    let w = world(&["http:80"], vec![]);
    let class = &w.status().classes[0];
    assert_eq!(class.conditions[0].reason, "Accepted");
}

// ---------------------------------------------------------------- hostnames

// HTTPRoute `hostnames`: a wildcard is a suffix match over one or more labels.
#[test]
fn wildcard_hostnames_match_one_or_more_labels() {
    check(
        &[
            ("*.example.com a.example.com", "true"),
            ("*.example.com a.b.example.com", "true"),
            ("*.example.com example.com", "false"),
            ("*.example.com aexample.com", "false"),
            ("foo.example.com FOO.example.com", "true"),
            ("foo.example.com bar.example.com", "false"),
        ],
        |row| {
            let (pattern, host) = row.split_once(' ').unwrap();
            hostname::matches(pattern, host).to_string()
        },
    );
    assert_eq!(hostname::normalize("Foo.Example.com:8080"), "foo.example.com");
}

// HTTPRoute `hostnames`: the intersection of a listener's and a Route's hostnames, the
// narrower of each pair, non-intersecting Route hostnames ignored.
#[test]
fn hostname_intersection_table() {
    check(
        &[
            ("- | -", "every host"),
            ("- | a.example.com *.example.com", "a.example.com, *.example.com"),
            ("test.example.com | -", "test.example.com"),
            ("test.example.com | test.example.com", "test.example.com"),
            ("test.example.com | *.example.com", "test.example.com"),
            ("test.example.com | other.example.com", "no match"),
            ("*.example.com | -", "*.example.com"),
            ("*.example.com | *.example.com", "*.example.com"),
            (
                "*.example.com | test.example.com foo.test.example.com",
                "test.example.com, foo.test.example.com",
            ),
            ("*.example.com | example.com test.example.net", "no match"),
            ("*.example.com | test.example.com test.example.net", "test.example.com"),
            ("*.example.com | *.foo.example.com", "*.foo.example.com"),
            ("*.foo.example.com | *.example.com", "*.foo.example.com"),
        ],
        |row| {
            let (l, r) = row.split_once(" | ").unwrap();
            let listener = (l != "-").then_some(l);
            let route: Vec<String> =
                if r == "-" { vec![] } else { r.split(' ').map(str::to_string).collect() };
            match hostname::intersect(listener, &route) {
                Ok(h) if h.is_empty() => "every host".to_string(),
                Ok(h) => h.join(", "),
                Err(()) => "no match".to_string(),
            }
        },
    );
}

// Conformance HTTPRouteHostnameIntersection: four Routes on listeners for a specific host
// and two wildcards; each answers for its intersection only.
#[test]
fn hostname_intersection_through_the_gateway() {
    let to = |p: &str, svc: &str| vec![rule(vec![prefix(p)], &[svc])];
    let on = |r: HttpRoute, section: &str| with_parent(r, parent("gw", Some(section), None));
    let w = world(
        &[
            "specific=http:80:very.specific.com",
            "wild=http:80:*.wildcard.io",
            "another=http:80:*.anotherwildcard.io",
        ],
        vec![
            on(route("s1", &["non.matching.com", "very.specific.com"], to("/s1", "web:80")), "specific"),
            on(
                route(
                    "s2",
                    &["non.matching.com", "foo.wildcard.io", "bar.wildcard.io", "foo.bar.wildcard.io"],
                    to("/s2", "api:80"),
                ),
                "wild",
            ),
            on(route("s3", &["*.specific.com", "*.nonmatchingwildcard.io"], to("/s3", "web:80")), "specific"),
            on(
                route("s4", &["*.anotherwildcard.io", "*.nonmatchingwildcard.io"], to("/s4", "api:80")),
                "another",
            ),
        ],
    );
    // A port in the Host header is ignored.
    let req = GatewayRequest::get("default", "gw", "http://x/s1").host("very.specific.com:1234");
    assert_eq!(w.send(req), "default/s1 r1 -> default/web:80 200");
    check(
        &[
            ("http://very.specific.com/s1", "default/s1 r1 -> default/web:80 200"),
            ("http://non.matching.com/s1", "404"),
            ("http://foo.wildcard.io/s1", "404"),
            ("http://very.specific.com/non-matching-prefix", "404"),
            ("http://foo.wildcard.io/s2", "default/s2 r1 -> default/api:80 200"),
            ("http://foo.bar.wildcard.io/s2", "default/s2 r1 -> default/api:80 200"),
            ("http://wildcard.io/s2", "404"),
            ("http://baz.wildcard.io/s2", "404"),
            ("http://very.specific.com/s3", "default/s3 r1 -> default/web:80 200"),
            ("http://foo.specific.com/s3", "404"),
            ("http://foo.anotherwildcard.io/s4", "default/s4 r1 -> default/api:80 200"),
            ("http://foo.bar.anotherwildcard.io/s4", "default/s4 r1 -> default/api:80 200"),
            ("http://anotherwildcard.io/s4", "404"),
        ],
        |url| w.get(url),
    );
    let st = w.status();
    let hosts: Vec<String> =
        st.attachments.iter().map(|a| format!("{} {}", a.listener, a.hostnames.join(","))).collect();
    assert_eq!(
        hosts,
        vec![
            "specific very.specific.com",
            "wild foo.wildcard.io,bar.wildcard.io,foo.bar.wildcard.io",
            "specific very.specific.com",
            "another *.anotherwildcard.io",
        ]
    );
}

// Gateway `listeners`: exact listener hostnames before wildcards, longer wildcards first,
// no hostname last (HTTPRouteListenerHostnameMatching).
#[test]
fn listener_choice_by_hostname_and_port() {
    let on = |name: &str, section: &str, svc: &str| {
        with_parent(route(name, &[], vec![rule(vec![], &[svc])]), parent("gw", Some(section), None))
    };
    let w = world(
        &[
            "any=http:80",
            "wild=http:80:*.example.com",
            "deeper=http:80:*.foo.example.com",
            "exact=http:80:bar.foo.example.com",
            "tls=https:443:secure.example.com",
        ],
        vec![
            on("any", "any", "web:80"),
            on("wild", "wild", "api:80"),
            on("deeper", "deeper", "empty:80"),
            on("exact", "exact", "web:80"),
            on("tls", "tls", "api:80"),
        ],
    );
    check(
        &[
            ("http://bar.foo.example.com/", "default/exact r1 -> default/web:80 200"),
            ("http://baz.foo.example.com/", "default/deeper r1 -> default/empty:80 503"),
            ("http://baz.example.com/", "default/wild r1 -> default/api:80 200"),
            ("http://other.org/", "default/any r1 -> default/web:80 200"),
            ("http://other.org:8080/", "no listener"),
            ("https://secure.example.com/", "default/tls r1 -> default/api:80 200"),
            ("https://other.example.com/", "404"),
            ("http://secure.example.com:443/", "no listener"),
        ],
        |url| w.get(url),
    );
    let d = w.decide(&GatewayRequest::get("default", "gw", "http://x:443/"));
    assert_eq!(d.listener_reason, "no programmed HTTP listener on port 443 (there: `tls` (HTTPS))");
    let d = w.decide(&GatewayRequest::get("default", "gw", "https://other.example.com/"));
    assert_eq!(d.cause(), "no listener on port 443 covers the host other.example.com: 404");
}

// ---------------------------------------------------------------- GRPCRoute

fn grpc_route(name: &str, hostnames: &[&str], rules: Vec<GrpcRouteRule>) -> GrpcRoute {
    GrpcRoute {
        namespace: "default".into(),
        name: name.into(),
        parent_refs: vec![parent("gw", None, None)],
        hostnames: hostnames.iter().map(|h| h.to_string()).collect(),
        rules,
        creation_timestamp: None,
        source: None,
    }
}

fn grpc_rule(
    service: Option<&str>,
    method: Option<&str>,
    headers: &[(&str, &str)],
    svc: &str,
) -> GrpcRouteRule {
    let m = GrpcRouteMatch {
        method: (service.is_some() || method.is_some()).then(|| GrpcMethodMatch {
            kind: StringMatchType::Exact,
            service: service.map(str::to_string),
            method: method.map(str::to_string),
        }),
        headers: values(headers),
    };
    GrpcRouteRule { matches: vec![m], backend_refs: vec![backend(svc)], ..Default::default() }
}

// GRPCRouteRule `matches` precedence: service characters, method characters, headers
// (GRPCExactMethodMatching, GRPCRouteHeaderMatching); gRPC requests never use HTTPRoutes.
#[test]
fn grpc_routes_by_service_method_and_headers() {
    let w = world_with(
        &["http:80"],
        vec![route("plain", &["www.example.com"], vec![rule(vec![], &["api:80"])])],
        |s| {
            s.grpc_routes = vec![grpc_route(
                "g",
                &["grpc.example.com"],
                vec![
                    grpc_rule(Some("shop.Cart"), None, &[], "web:80"),
                    grpc_rule(Some("shop.Cart"), Some("Add"), &[], "api:80"),
                    grpc_rule(None, Some("Add"), &[("version", "2")], "empty:80"),
                    grpc_rule(Some("shop.Cart"), Some("Add"), &[("version", "2")], "web:80"),
                ],
            )];
        },
    );
    let call = |path: &str, headers: &[(&str, &str)]| {
        let mut req = GatewayRequest::get("default", "gw", &format!("http://grpc.example.com{path}"))
            .method("POST")
            .header("content-type", "application/grpc");
        for (k, v) in headers {
            req = req.header(k, v);
        }
        w.send(req)
    };
    assert_eq!(call("/shop.Cart/List", &[]), "default/g r1 -> default/web:80 200");
    assert_eq!(call("/shop.Cart/Add", &[]), "default/g r2 -> default/api:80 200");
    assert_eq!(call("/shop.Cart/Add", &[("version", "2")]), "default/g r4 -> default/web:80 200");
    assert_eq!(call("/other.Svc/Add", &[("version", "2")]), "default/g r3 -> default/empty:80 503");
    assert_eq!(call("/other.Svc/Get", &[]), "404");
    assert_eq!(
        w.get("http://www.example.com/shop.Cart/Add"),
        "default/plain r1 -> default/api:80 200",
        "not gRPC: HTTPRoutes"
    );
    assert_eq!(
        w.route_conditions("default", "plain"),
        "Accepted=True/Accepted ResolvedRefs=True/ResolvedRefs"
    );
    let st = w.status();
    assert_eq!(
        st.route(RouteKind::Grpc, "default", "g").unwrap().parents[0].conditions[0].reason,
        "Accepted"
    );
}

// ---------------------------------------------------------------- odd input never panics

#[test]
fn odd_requests_and_objects_do_not_panic() {
    let odd_rules = vec![
        rule(vec![path(PathMatchType::RegularExpression, "(((")], &["web:80"]),
        rule(
            vec![path(PathMatchType::RegularExpression, "(a*)*b")],
            &["web:80*4294967295", "api:80*4294967295"],
        ),
        rule(vec![exact("")], &["web:0"]),
        filtered(
            rule(vec![prefix("")], &[]),
            vec![RouteFilter::RequestRedirect(RequestRedirect {
                path: Some(PathModifier::ReplacePrefixMatch(String::new())),
                port: Some(0),
                ..Default::default()
            })],
        ),
    ];
    let w = world(
        &["http:80", "weird=http:80:*", "empty=http:80:", "https:443:*.", "http:0"],
        vec![route("r", &["*", "", "*.", "..", "*.*.x"], odd_rules), route("shop/none", &[], vec![])],
    );
    let urls = [
        "http://",
        "http://:/",
        "http://x:99999/",
        "http://[::1]:80/a",
        "http://x/?&&==&a",
        "x",
        "https://*./%%",
        "http://x/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ];
    for url in urls {
        let d = w.decide(
            &GatewayRequest::get("default", "gw", url)
                .header("", "")
                .header("content-type", "application/grpc"),
        );
        let _ = (d.cause(), d.status());
        let d = w.decide(&GatewayRequest::get("default", "gw", url));
        let _ = (render(&d), d.cause(), d.status());
    }
    let _ = w.decide(&GatewayRequest::get("nowhere", "none", "http://x/"));
}

// GRPCRoute `hostnames`: an HTTPRoute and a GRPCRoute with intersecting hostnames on one
// listener: only the older is accepted there.
#[test]
fn http_and_grpc_routes_cannot_share_a_hostname_on_a_listener() {
    let w = world_with(
        &["http:80"],
        vec![created(route("web", &["*.example.com"], vec![rule(vec![], &["web:80"])]), 20)],
        |s| {
            let mut g = grpc_route("rpc", &["api.example.com"], vec![grpc_rule(None, None, &[], "api:80")]);
            g.creation_timestamp = Some(10);
            let mut other =
                grpc_route("other", &["api.example.org"], vec![grpc_rule(None, None, &[], "api:80")]);
            other.creation_timestamp = Some(30);
            s.grpc_routes = vec![g, other];
        },
    );
    assert_eq!(
        w.route_conditions("default", "web"),
        "Accepted=False/NotAllowedByListeners ResolvedRefs=True/ResolvedRefs"
    );
    let st = w.status();
    let grpc =
        |name: &str| st.route(RouteKind::Grpc, "default", name).unwrap().parents[0].conditions[0].reason;
    assert_eq!((grpc("rpc"), grpc("other")), ("Accepted", "Accepted"));
    assert_eq!(st.gateway("default", "gw").unwrap().listener("http").unwrap().attached_routes, 2);
    assert_eq!(w.get("http://www.example.com/"), "404");
}

// HTTPHeaderMatch and HTTPQueryParamMatch: RegularExpression values (whole, case-sensitive),
// Exact values case-sensitive, only the first of several entries with one name counts.
#[test]
fn header_and_query_param_value_matching() {
    let regex = |name: &str, value: &str| ValueMatch {
        kind: StringMatchType::RegularExpression,
        name: name.into(),
        value: value.into(),
    };
    let mut by_regex = prefix("/");
    by_regex.headers = vec![regex("x-version", "v[0-9]+")];
    let mut first_counts = prefix("/first");
    first_counts.headers = values(&[("color", "blue"), ("Color", "red")]);
    let mut query_regex = prefix("/q");
    query_regex.query_params = vec![regex("id", "[0-9]+")];
    let w = world(
        &["http:80"],
        vec![route(
            "r",
            &[],
            vec![
                rule(vec![by_regex], &["web:80"]),
                rule(vec![first_counts], &["api:80"]),
                rule(vec![query_regex], &["api:80"]),
            ],
        )],
    );
    let get = |url: &str, headers: &[(&str, &str)]| {
        let mut req = GatewayRequest::get("default", "gw", url);
        for (k, v) in headers {
            req = req.header(k, v);
        }
        w.send(req)
    };
    assert_eq!(get("http://x/", &[("x-version", "v12")]), "default/r r1 -> default/web:80 200");
    assert_eq!(get("http://x/", &[("x-version", "v12-beta")]), "404", "the regex must match the whole value");
    assert_eq!(get("http://x/", &[("x-version", "V12")]), "404", "case-sensitive");
    assert_eq!(get("http://x/first", &[("color", "blue")]), "default/r r2 -> default/api:80 200");
    assert_eq!(get("http://x/first", &[("color", "Blue")]), "404", "Exact values are case-sensitive");
    assert_eq!(get("http://x/q?id=42", &[]), "default/r r3 -> default/api:80 200");
    assert_eq!(get("http://x/q?id=42x", &[]), "404");
    assert_eq!(get("http://x/q?ID=42", &[]), "404", "query parameter names are case-sensitive");
}

/// A request sent through the data plane says what the proxy did (`Trace::proxied`): the
/// path a URLRewrite's ReplacePrefixMatch leaves the backend, and over an HTTPS listener the
/// Secret of its certificateRefs (in the Gateway's namespace when the ref names none).
/// https://gateway-api.sigs.k8s.io/guides/http-redirect-rewrite/#rewrites
#[test]
fn a_request_through_the_proxy_records_its_path_and_certificate() {
    let rewrite = RouteFilter::UrlRewrite(UrlRewrite {
        hostname: None,
        path: Some(PathModifier::ReplacePrefixMatch("/".into())),
    });
    let rules = vec![filtered(rule(vec![prefix("/wiki")], &["web:80"]), vec![rewrite])];
    let w = world(&["http:80", "https:443"], vec![route("r", &["shop.example"], rules)]);
    let outside = netsim::Client::Outside("203.0.113.7".parse().expect("an address"));
    let mut seen = Vec::new();
    for url in ["https://shop.example/wiki/a", "http://shop.example/wiki/b"] {
        let t = w.cluster.send(&netsim::Request::new(outside.clone(), url));
        let p = t.proxied.as_ref().unwrap_or_else(|| panic!("{t}"));
        seen.push(format!("{url}: {} {:?}", p.upstream_path, p.tls));
    }
    assert_eq!(
        seen,
        ["https://shop.example/wiki/a: /a Some([\"default/cert\"])", "http://shop.example/wiki/b: /b None"]
    );
}

// ---------------------------------------------------------------- the picture

/// The picture draws a Gateway as its data plane (the proxy pod and its load balancer), the
/// pod labelled with the Gateway and its listener ports, its tooltip naming each listener
/// and the Routes attached to it; the routing hop (`gateway/ns/name`) is drawn at that pod.
#[test]
fn the_picture_draws_a_gateway_as_its_proxy_with_listeners_and_routes() {
    let w = world(
        &["http:80", "https:443:*.example.com"],
        vec![route("shop-route", &["shop.example.com"], vec![rule(vec![prefix("/")], &["web:80"])])],
    );
    let layout = w.cluster.layout();
    let proxy = layout.anchor("gateway/default/gw").expect("the routing hop has a box");
    assert_eq!(proxy.label, "gateway gw");
    assert!(proxy.detail.ends_with(":80 :443"), "{}", proxy.detail);
    assert!(proxy.tooltip.starts_with("Gateway default/gw (class example)"), "{}", proxy.tooltip);
    assert!(
        proxy.tooltip.contains("listener http HTTP/80: HTTPRoute default/shop-route"),
        "{}",
        proxy.tooltip
    );
    assert!(
        proxy.tooltip.contains("listener https HTTPS/443 *.example.com: HTTPRoute default/shop-route"),
        "{}",
        proxy.tooltip
    );
    assert!(layout.get("lb/default/gw-example").is_some(), "the proxy's load balancer is drawn");
    // A Gateway with no Route says so.
    let lone = world(&["http:80"], vec![]).cluster.layout();
    let tip = &lone.anchor("gateway/default/gw").expect("proxy").tooltip;
    assert!(tip.contains("listener http HTTP/80: no Route attached"), "{tip}");
}
