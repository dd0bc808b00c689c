//! `switchboard trace` through a Gateway, from outside: public DNS points the Route's host at
//! the LoadBalancer of the Gateway's data plane, the cloud load balancer and a node hand the
//! connection to the proxy pod, which routes it (the hop that says why the rule won) and
//! opens its own connection to an endpoint of the backend. The scenario is the query
//! contract's tests/contract/69-gateway-shop (its README says what each Route does, from the
//! Gateway API v1.6.1 spec).

use std::process::Command;

fn trace(to: &str) -> (String, bool) {
    let manifests = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/contract/69-gateway-shop/manifests");
    let out = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["trace", manifests, "--from", "203.0.113.7", "--to", to])
        .output()
        .expect("switchboard runs");
    (String::from_utf8_lossy(&out.stdout).to_string(), out.status.success())
}

#[test]
fn a_rewritten_request_reaches_the_backend_from_the_proxy_pod() {
    let (text, ok) = trace("http://store.example.com/v1/items");
    assert!(ok, "{text}");
    for expected in [
        "store.example.com -> ",
        "Gateway shop/gw names this host",
        "gateway/shop/gw",
        "the rules in precedence order",
        "the backend receives GET /v2/items with Host store.example.com",
        "kube-proxy is not involved",
        "delivered to pod/shop/api-",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn a_redirect_is_answered_by_the_gateway() {
    let (text, ok) = trace("http://store.example.com/old");
    assert!(ok, "a redirect is an answer:\n{text}");
    assert!(text.contains("Redirect to http://store.example.com/new"), "{text}");
}

#[test]
fn a_backend_without_its_reference_grant_gets_500() {
    let (text, ok) = trace("http://store.example.com/pay");
    assert!(!ok, "{text}");
    assert!(text.contains("500"), "{text}");
}

/// `billing` names pay.example.com but is not accepted (its namespace is not allowed by the
/// listener): public DNS, pretended from the Route's hostname, still leads to the Gateway,
/// which has no rule for the host.
#[test]
fn a_host_no_accepted_route_names_gets_404() {
    let (text, ok) = trace("http://pay.example.com/");
    assert!(!ok, "{text}");
    assert!(text.contains("404"), "{text}");
}

/// An HTTPS listener terminates TLS at the proxy with its certificateRefs' Secret.
#[test]
fn tls_ends_at_the_proxy_of_an_https_listener() {
    let (text, ok) = trace("https://store.example.com/v1/items");
    assert!(ok, "{text}");
    assert!(text.contains("listener `https`"), "{text}");
    assert!(text.contains("TLS ends at the proxy with the certificate of Secret shop/shop-tls"), "{text}");
}
