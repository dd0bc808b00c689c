//! The Gateway API's checks: `gateway` (what the built-in controller does with one request)
//! and `route_status` (the conditions it writes on a Route for one parent). Each case is an
//! HTTPRoute, a check and what the grader says, from the Gateway API spec (v1.6.1, standard
//! channel, https://gateway-api.sigs.k8s.io/reference/spec/):
//! - HTTPRouteRule `backendRefs` weights: each backend takes weight / sum of the requests;
//!   a reference that does not resolve answers 500 for its share (HTTPBackendRef), a Service
//!   with no ready endpoint 503 (the conformance test HTTPRouteServiceTypes' "no endpoints");
//! - no rule matching answers 404 (HTTPRouteRule "If no matches are specified ... 404");
//! - HTTPRequestRedirectFilter (scheme, statusCode) and HTTPURLRewriteFilter
//!   (ReplacePrefixMatch): conformance tests HTTPRouteRedirectScheme and HTTPRouteRewritePath;
//! - RouteParentStatus conditions: `Accepted` False with `NoMatchingListenerHostname` when no
//!   listener hostname intersects the Route's (conformance HTTPRouteHostnameIntersection),
//!   `ResolvedRefs` False with `RefNotPermitted` for a cross-namespace backendRef without a
//!   ReferenceGrant (conformance HTTPRouteReferenceGrant and HTTPRoutePartiallyInvalidViaInvalidReferenceGrant).

use exercises::{grade, load};
use manifest::SourceFile;

/// Two versions of the shop's web app, a Service with no pods, and the platform team's
/// Gateway `infra/gw`: HTTP on 80 for every host, HTTPS on 443 for `*.example.com`.
const CLUSTER: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Namespace
metadata: {name: infra}
---
apiVersion: v1
kind: Namespace
metadata: {name: other}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-v1, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web, v: '1'}}
  template:
    metadata: {labels: {app: web, v: '1'}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-v2, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: web, v: '2'}}
  template:
    metadata: {labels: {app: web, v: '2'}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-v1, namespace: shop}
spec: {selector: {app: web, v: '1'}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-v2, namespace: shop}
spec: {selector: {app: web, v: '2'}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: idle, namespace: shop}
spec: {selector: {app: nothing}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: other}
spec: {selector: {app: web, v: '1'}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: example}
spec: {controllerName: example.net/gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: example
  listeners:
  - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}
  - name: https
    protocol: HTTPS
    port: 443
    hostname: '*.example.com'
    tls: {certificateRefs: [{name: shop-cert}]}
    allowedRoutes: {namespaces: {from: All}}";

/// An HTTPRoute `shop/web` on `infra/gw` for `shop.example.com`, with `rules` (YAML, a list).
fn route(rules: &str) -> String {
    format!(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {{name: web, namespace: shop}}\nspec:\n  parentRefs: [{{name: gw, namespace: infra}}]\n  hostnames: [shop.example.com]\n  rules:\n{}",
        indent(rules, 2)
    )
}

fn indent(text: &str, by: usize) -> String {
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| format!("{}{l}\n", " ".repeat(by))).collect()
}

/// The exercise with `routes.yaml` holding `file`, and one check (`kind: {fields}`).
fn exercise(file: &str, check: &str) -> String {
    format!(
        "id: gateway\nchapter: checks\ntitle: Gateway\nlevel: beginner\nconcepts: [S1]\nstory: s\ncluster: |\n{}files:\n  - name: routes.yaml\n    text: |\n{}checks:\n  - title: t\n    {check}\nhints: [a, b]\nsolution:\n  - name: routes.yaml\n    text: |\n{}",
        indent(CLUSTER, 2),
        indent(file, 6),
        indent(file, 6)
    )
}

/// (passed, explanation) of one check with `routes.yaml` holding `file`.
fn judge(file: &str, check: &str) -> (bool, String) {
    let text = exercise(file, check);
    let loaded = load("gateway.yaml", &text);
    let ex = loaded.exercise.unwrap_or_else(|| panic!("{text}\n{:#?}", loaded.diagnostics));
    let files = [SourceFile { name: "routes.yaml".into(), text: file.to_string() }];
    let r = grade(&ex, &files).results.remove(0);
    (r.passed, r.explanation)
}

const PREFIX: &str =
    "- matches: [{path: {type: PathPrefix, value: /shop}}]\n  backendRefs: [{name: web-v1, port: 80}]";
const CANARY: &str =
    "- backendRefs: [{name: web-v1, port: 80, weight: 90}, {name: web-v2, port: 80, weight: 10}]";
const TO_HTTPS: &str =
    "- filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}]";
const REWRITE: &str = "- matches: [{path: {type: PathPrefix, value: /shop}}]\n  filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}]\n  backendRefs: [{name: web-v1, port: 80}]";
const MISSING: &str = "- backendRefs: [{name: gone, port: 80}]";
const IDLE: &str = "- backendRefs: [{name: idle, port: 80}]";

const GW: &str = "gateway: infra/gw, host: shop.example.com";

/// (the route's rules, the `gateway` check's fields besides `gateway` and `host`, passes, said).
const CASES: &[(&str, &str, bool, &str)] = &[
    (PREFIX, "path: /shop/cart, expect: service/shop/web-v1", true, "GET http://shop.example.com:80/shop/cart: HTTPRoute shop/web rule 1 sends it to Service shop/web-v1:80"),
    (PREFIX, "path: /shop/cart, expect: service/shop/web-v1:80", true, "sends it to Service shop/web-v1:80"),
    (PREFIX, "path: /shop/cart, expect: service/shop/web-v2", false, "expected service/shop/web-v2, but GET http://shop.example.com:80/shop/cart: HTTPRoute shop/web rule 1 sends it to Service shop/web-v1:80"),
    // PathPrefix matches whole path elements: /shopping is not under /shop.
    (PREFIX, "path: /shopping, expect: status/404", true, "no rule matches: the Gateway answers 404"),
    (PREFIX, "path: /shopping, expect: service/shop/web-v1", false, "No rule attached to listener `http` matches shop.example.com/shopping: 404"),
    // Weights are shares: 90/10 is 9/1; 50/50 is not.
    (CANARY, "path: /, expect: split, weights: [shop/web-v1=9, shop/web-v2=1]", true, "Service shop/web-v1:80 (90 of 100), Service shop/web-v2:80 (10 of 100)"),
    (CANARY, "path: /, expect: split, weights: [shop/web-v1=50, shop/web-v2=50]", false, "expected split, but"),
    (CANARY, "path: /, expect: service/shop/web-v1", false, "expected service/shop/web-v1"),
    (PREFIX, "path: /shop, expect: split, weights: [shop/web-v1=1]", true, "sends it to Service shop/web-v1:80"),
    // A redirect: scheme https, status 301, the rest of the URL kept.
    (TO_HTTPS, "path: /a?b=1, expect: redirect, location: 'https://shop.example.com/a?b=1'", true, "redirects it (301) to https://shop.example.com/a?b=1"),
    (TO_HTTPS, "path: /a, expect: status/301", true, "redirects it (301)"),
    (TO_HTTPS, "path: /a, expect: redirect, location: 'https://shop.example.com/b'", false, "the redirect should point to https://shop.example.com/b"),
    // ReplacePrefixMatch: /shop/cart reaches the backend as /cart.
    (REWRITE, "path: /shop/cart, expect: service/shop/web-v1, upstream_path: /cart", true, "sends it to Service shop/web-v1:80"),
    (REWRITE, "path: /shop/cart, expect: service/shop/web-v1, upstream_path: /shop/cart", false, "the backend should receive path /shop/cart, and receives /cart"),
    (PREFIX, "path: /shop/cart, expect: service/shop/web-v1, upstream_host: shop.example.com", true, "sends it to Service shop/web-v1:80"),
    // 500 for a backend that does not resolve, 503 for one with no ready endpoint.
    (MISSING, "path: /, expect: status/500", true, "500 for"),
    (IDLE, "path: /, expect: status/503", true, "503 for shop/idle:80"),
    (IDLE, "path: /, expect: service/shop/idle", false, "expected service/shop/idle"),
    // HTTPS on 443, whose listener serves *.example.com.
    (PREFIX, "path: /shop, https: true, expect: service/shop/web-v1", true, "GET https://shop.example.com:443/shop"),
    // No listener on 8080.
    (PREFIX, "path: /shop, port: 8080, expect: no-listener", true, "no listener takes it"),
    // Headers and methods are part of the request.
    ("- matches: [{method: POST, headers: [{name: x-team, value: blue}]}]\n  backendRefs: [{name: web-v2, port: 80}]", "path: /, method: POST, headers: [x-team=blue], expect: service/shop/web-v2", true, "sends it to Service shop/web-v2:80"),
    ("- matches: [{method: POST, headers: [{name: x-team, value: blue}]}]\n  backendRefs: [{name: web-v2, port: 80}]", "path: /, headers: [x-team=blue], expect: status/404", true, "answers 404"),
];

#[test]
fn where_a_gateway_sends_a_request() {
    let mut wrong = Vec::new();
    for (rules, fields, passes, said) in CASES {
        let (passed, explanation) = judge(&route(rules), &format!("gateway: {{{GW}, {fields}}}"));
        if passed != *passes || !explanation.contains(said) {
            wrong.push(format!("{fields} over {rules:?}: passed {passed}: {explanation}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// (the route file, the `route_status` check's fields, passes, said).
const STATUSES: &[(&str, &str, bool, &str)] = &[
    ("", "accepted: true, resolved_refs: true", true, "HTTPRoute shop/web under Gateway infra/gw: Accepted True (Accepted); ResolvedRefs True (ResolvedRefs)"),
    ("", "accepted: false", false, "expected Accepted False, but HTTPRoute shop/web under Gateway infra/gw: Accepted True"),
    // A hostname no listener's intersects: only the HTTPS listener names one, and the HTTP
    // listener takes every host, so bind to the HTTPS listener alone.
    ("other.test", "section: https, accepted: false, reason: NoMatchingListenerHostname", true, "Accepted False (NoMatchingListenerHostname)"),
    // A Service in another namespace without a ReferenceGrant.
    ("cross", "accepted: true, resolved_refs: false, reason: RefNotPermitted", true, "ResolvedRefs False (RefNotPermitted)"),
    ("cross+grant", "resolved_refs: true, accepted: true", true, "ResolvedRefs True"),
];

/// The route file of a `STATUSES` case: a plain route, one for `other.test` bound to the
/// HTTPS listener, one whose backend is in namespace `other` (with its ReferenceGrant).
fn status_file(case: &str) -> String {
    let plain = route("- backendRefs: [{name: web-v1, port: 80}]");
    match case {
        "other.test" => plain
            .replace("[{name: gw, namespace: infra}]", "[{name: gw, namespace: infra, sectionName: https}]")
            .replace("[shop.example.com]", "[other.test]"),
        "cross" | "cross+grant" => {
            let mut file = route("- backendRefs: [{name: echo, namespace: other, port: 80}]");
            if case == "cross+grant" {
                file.push_str("---\napiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {name: from-shop, namespace: other}\nspec:\n  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}]\n  to: [{group: '', kind: Service}]\n");
            }
            file
        }
        _ => plain,
    }
}

/// `replay` with no Ingress at all: every request the Route takes differs (the ingress
/// controller answers 404), so `same: false` holds and `same: true` names the first.
#[test]
fn a_replay_says_the_first_request_that_differs() {
    let file = route(PREFIX);
    let (passed, explanation) = judge(
        &file,
        "replay: {gateway: [routes.yaml], requests: [\"http://shop.example.com/shop\"], same: false}",
    );
    assert!(passed, "{explanation}");
    let (passed, explanation) = judge(
        &file,
        "replay: {gateway: [routes.yaml], requests: [\"http://shop.example.com/shop\"], same: true}",
    );
    assert!(!passed);
    assert!(
        explanation
            .starts_with("1 of 1 request(s) differ; http://shop.example.com/shop: the Ingress answers 404"),
        "{explanation}"
    );
}

#[test]
fn the_status_the_controller_writes_on_a_route() {
    let mut wrong = Vec::new();
    for (case, fields, passes, said) in STATUSES {
        let (passed, explanation) = judge(
            &status_file(case),
            &format!("route_status: {{route: shop/web, parent: infra/gw, {fields}}}"),
        );
        if passed != *passes || !explanation.contains(said) {
            wrong.push(format!("{case} {fields}: passed {passed}: {explanation}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A check's fields that cannot work together are errors at their key, before grading.
#[test]
fn fields_that_would_be_ignored_are_errors() {
    let file = route(PREFIX);
    for (fields, said) in [
        ("path: /, expect: split", "`expect: split` compares the requests' shares with `weights`"),
        (
            "path: /, expect: service/shop/web-v1, weights: [shop/web-v1=1]",
            "`weights` are the shares of `expect: split`",
        ),
        ("path: /, expect: status/404, location: 'https://x/'", "`location` is where a redirect points"),
        ("path: /, expect: redirect, upstream_path: /x", "`upstream_path` is what a backend receives"),
        ("path: /, expect: status/99", "`99` is not an HTTP status code"),
        ("path: /, expect: elsewhere", "`elsewhere` is not a Gateway expectation"),
        ("path: /, method: get, expect: status/404", "`get` is not an HTTP method"),
        ("path: /, expect: split, weights: [shop/web-v1]", "`shop/web-v1`: expected `<ns>/<name>=<share>`"),
        ("path: /, headers: [x-team], expect: status/404", "`x-team`: expected `<name>=<value>`"),
    ] {
        let text = exercise(&file, &format!("gateway: {{{GW}, {fields}}}"));
        let loaded = load("gateway.yaml", &text);
        let messages: Vec<&str> = loaded.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert!(messages.iter().any(|m| m.contains(said)), "{fields}: {messages:?}");
    }
    let text =
        exercise(&file, "route_status: {route: shop/web, kind: TLSRoute, parent: infra/gw, accepted: true}");
    let messages: Vec<String> =
        load("gateway.yaml", &text).diagnostics.into_iter().map(|d| d.message).collect();
    assert!(
        messages.iter().any(|m| m.contains("`TLSRoute` is not a Route kind the model routes")),
        "{messages:?}"
    );
    // A replay's requests are http:// or https:// URLs.
    let text =
        exercise(&file, "replay: {gateway: [routes.yaml], requests: [\"ftp://shop.example/\"], same: true}");
    let messages: Vec<String> =
        load("gateway.yaml", &text).diagnostics.into_iter().map(|d| d.message).collect();
    assert!(
        messages.iter().any(|m| m.contains("`ftp://shop.example/` is not an http:// or https:// URL")),
        "{messages:?}"
    );
    // A Gateway or Route the solution does not have is the author's mistake.
    let text = exercise(&file, "route_status: {route: shop/webb, parent: infra/gw, accepted: true}");
    let messages: Vec<String> =
        load("gateway.yaml", &text).diagnostics.into_iter().map(|d| d.message).collect();
    assert!(
        messages.iter().any(|m| m.contains("no HTTPRoute `shop/webb`: did you mean `web`?")),
        "{messages:?}"
    );
}
