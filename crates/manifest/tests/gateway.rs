//! The Gateway API's kinds read from YAML into `netsim::gateway::types` with the CRDs'
//! defaults (gateway.networking.k8s.io v1.6.1 standard channel), and the model's controller
//! serving what was read: the case file `cases/gateway/clean.yaml` is loaded, its Routes
//! attach, and a request is routed, rewritten and sent to its backends.

use manifest::{load_and_build, Severity, SourceFile};
use netsim::gateway::types::*;
use netsim::gateway::{self, GatewayRequest, Objects, Outcome, RouteKind};

fn load(text: &str) -> (manifest::Loaded, netsim::Cluster) {
    load_and_build(&[SourceFile { name: "gw.yaml".into(), text: text.into() }], &netsim::Topology::default())
}

fn clean() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases/gateway/clean.yaml")).unwrap()
}

#[test]
fn every_kind_is_read_with_the_crds_defaults() {
    let (loaded, _) = load(&clean());
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let s = &loaded.scenario;
    assert_eq!(s.gateway_classes[0].controller_name, gateway::CONTROLLER_NAME);
    let gw = &s.gateways[0];
    assert_eq!(
        (gw.namespace.as_str(), gw.name.as_str(), gw.gateway_class_name.as_str()),
        ("default", "gw", "example")
    );
    let https = &gw.listeners[1];
    assert_eq!(
        (https.port, &https.protocol, https.hostname.as_deref()),
        (443, &ListenerProtocol::Https, Some("*.example.com"))
    );
    // tls.mode Terminate, certificateRefs' group "" and kind Secret by default.
    let tls = https.tls.as_ref().unwrap();
    assert_eq!(tls.mode, TlsMode::Terminate);
    assert_eq!(
        tls.certificate_refs,
        [ObjectReference {
            group: String::new(),
            kind: "Secret".into(),
            name: "example-cert".into(),
            namespace: None
        }]
    );
    assert_eq!(https.allowed_routes.from, FromNamespaces::Selector);
    assert_eq!(
        https.allowed_routes.selector.as_ref().unwrap().match_labels.get("team").map(String::as_str),
        Some("web")
    );
    assert_eq!(gw.listeners[0].allowed_routes.from, FromNamespaces::Same);

    let route = &s.http_routes[0];
    // parentRefs: group gateway.networking.k8s.io and kind Gateway by default.
    assert_eq!((route.parent_refs[0].group.as_str(), route.parent_refs[0].kind.as_str()), (GROUP, "Gateway"));
    assert_eq!(route.parent_refs[1].section_name.as_deref(), Some("https"));
    let rule = &route.rules[0];
    assert_eq!(rule.matches[0].path, PathMatch { kind: PathMatchType::PathPrefix, value: "/api".into() });
    assert_eq!(rule.matches[0].headers[0].kind, StringMatchType::Exact);
    assert_eq!(rule.matches[0].method.as_deref(), Some("GET"));
    assert_eq!(
        rule.filters[0],
        RouteFilter::UrlRewrite(UrlRewrite {
            hostname: None,
            path: Some(PathModifier::ReplacePrefixMatch("/".into()))
        })
    );
    let weights: Vec<(u32, Option<&str>)> =
        rule.backend_refs.iter().map(|b| (b.weight, b.namespace.as_deref())).collect();
    assert_eq!(weights, [(90, None), (10, Some("canary"))]);
    assert_eq!((rule.backend_refs[0].group.as_str(), rule.backend_refs[0].kind.as_str()), ("", "Service"));
    match &route.rules[1].filters[0] {
        RouteFilter::RequestRedirect(r) => {
            assert_eq!(
                (r.status_code, &r.path),
                (Some(301), &Some(PathModifier::ReplaceFullPath("/new".into())))
            )
        }
        other => panic!("{other:?}"),
    }
    let grpc = &s.grpc_routes[0];
    let m = grpc.rules[0].matches[0].method.as_ref().unwrap();
    assert_eq!(
        (m.kind, m.service.as_deref(), m.method.as_deref()),
        (StringMatchType::Exact, Some("grpc.health.v1.Health"), Some("Check"))
    );
    assert_eq!(grpc.rules[0].backend_refs[0].weight, 1);
    let grant = &s.reference_grants[0];
    assert_eq!(
        (grant.namespace.as_str(), grant.from[0].namespace.as_str(), grant.to[0].name.as_ref()),
        ("canary", "default", None)
    );
}

#[test]
fn an_httproute_without_rules_gets_the_default_rule() {
    let text = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\nspec:\n  parentRefs: [{name: gw}]\n";
    let (loaded, _) = load(text);
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let rules = &loaded.scenario.http_routes[0].rules;
    assert_eq!(rules.len(), 1);
    assert!(rules[0].matches.is_empty() && rules[0].backend_refs.is_empty());
}

#[test]
fn the_controller_serves_what_was_read() {
    let (loaded, cluster) = load(&clean());
    assert!(loaded.diagnostics.iter().all(|d| d.severity != Severity::Error));
    let objects = Objects::of(&loaded.scenario);
    let status = gateway::status(&objects, &cluster);
    let route = status.route(RouteKind::Http, "default", "web").expect("the HTTPRoute's status");
    let attached: Vec<&[String]> = route.parents.iter().map(|p| p.listeners.as_slice()).collect();
    assert_eq!(attached, [&["http".to_string()][..], &[]]);
    let req = GatewayRequest::get("default", "gw", "http://shop.example.com/api/items");
    let mut req = req;
    req.headers.push(("x-canary".into(), "true".into()));
    let d = gateway::route(&objects, &cluster, &req);
    assert_eq!(d.upstream.as_ref().map(|u| u.path.as_str()), Some("/items"), "{d:#?}");
    match &d.outcome {
        Outcome::Backends(shares) => {
            assert_eq!(shares.iter().map(|s| s.weight).collect::<Vec<_>>(), [90, 10])
        }
        other => panic!("{other:?}"),
    }
    let old = gateway::route(
        &objects,
        &cluster,
        &GatewayRequest::get("default", "gw", "http://shop.example.com/old"),
    );
    assert!(matches!(&old.outcome, Outcome::Redirect { status: 301, .. }), "{old:#?}");
}
