//! A check as written ([`CheckFile`]) into a loaded [`Check`]: exactly one kind, a title,
//! each reference parsed once, with an error at its place for what does not parse.

use netsim::{Protocol, QueryType};

use crate::check::{
    AnswerCheck, Check, CheckKind, Dns, Env, Expect, Gateway, Ingress, KubeProxy, LoadBalancer, PodPair,
    Policy, Replay, Request, RouteStatus,
};
use crate::ends::DROPPED_KEYS;
use crate::format::{
    CheckFile, DnsCheck, EnvCheck, GatewayCheck, IngressCheck, KubeProxyCheck, LoadBalancerCheck,
    PolicyCheck, ReplayCheck, RequestCheck, RouteStatusCheck,
};
use crate::paths::{Errors, Seg};
use crate::refs::{self, PodSet, PolicyPort, Spanned};

fn protocol(name: Option<&str>) -> Result<Protocol, String> {
    match name {
        None => Ok(Protocol::Tcp),
        Some(p) => Protocol::parse(p).ok_or_else(|| format!("`{p}` is not a protocol: use TCP, UDP or SCTP")),
    }
}

fn qtype(name: Option<&str>) -> Result<QueryType, String> {
    match name.unwrap_or("A") {
        "A" => Ok(QueryType::A),
        "SRV" => Ok(QueryType::Srv),
        "PTR" => Ok(QueryType::Ptr),
        other => Err(format!("`{other}` is not a question type: use A, SRV or PTR")),
    }
}

/// The path of a field of check `i`'s kind `kind`.
pub(crate) struct At<'a> {
    pub(crate) check: usize,
    pub(crate) kind: &'a str,
}

fn route(key: &'static str, index: usize, raw: manifest::de::Raw) -> CheckKind {
    CheckKind::Route(Box::new(crate::check::RouteCheck { key, index, raw }))
}

impl<'a> At<'a> {
    fn key(&self, key: &'a str) -> Vec<Seg<'a>> {
        self.path(&[Seg::Key(key)])
    }

    pub(crate) fn path(&self, rest: &[Seg<'a>]) -> Vec<Seg<'a>> {
        let mut path = vec![Seg::Key("checks"), Seg::Index(self.check), Seg::Key(self.kind)];
        path.extend_from_slice(rest);
        path
    }
}

impl Errors<'_> {
    /// The reference at `path`, parsed, or an `invalid-reference` error there.
    fn reference<T>(
        &mut self,
        path: &[Seg],
        text: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<Spanned<T>> {
        let (start, end) = self.span(path);
        match parse(text) {
            Ok(value) => Some(Spanned { value, text: text.to_string(), start, end }),
            Err(message) => {
                self.at(path, "invalid-reference", message);
                None
            }
        }
    }

    /// A value that is not a reference but parses the same way (a protocol, a question type).
    fn parsed<T>(&mut self, path: &[Seg], parsed: Result<T, String>) -> Option<T> {
        parsed.map_err(|m| self.at(path, "invalid-reference", m)).ok()
    }
}

/// Check `i`, or `None` after its errors. Every kind written is read, so that a check with
/// two kinds also gets the errors of both.
pub(crate) fn check(i: usize, c: CheckFile, files: &[&str], errors: &mut Errors) -> Option<Check> {
    let CheckFile {
        title,
        request,
        dns,
        policy,
        ingress,
        gateway,
        route_status,
        replay,
        object,
        valid,
        unchanged,
        env,
        kube_proxy,
        load_balancer,
        answer,
    } = c;
    let mut found = errors.another();
    let at = |kind| At { check: i, kind };
    let kinds: Vec<Option<CheckKind>> = [
        request
            .map(|r| self::request(&at("request"), r, &mut found).map(|r| CheckKind::Request(Box::new(r)))),
        dns.map(|d| self::dns(&at("dns"), d, &mut found).map(CheckKind::Dns)),
        policy.map(|p| self::policy(&at("policy"), p, &mut found).map(CheckKind::Policy)),
        ingress.map(|g| self::ingress(&at("ingress"), g, &mut found).map(CheckKind::Ingress)),
        // Read by the Gateway API's code (`routes`).
        gateway.map(|g| Some(route("gateway", i, g.raw))),
        route_status.map(|r| Some(route("route_status", i, r.raw))),
        replay.map(|r| Some(route("replay", i, r.raw))),
        object.map(|o| Some(CheckKind::Object(o))),
        valid.map(|v| Some(CheckKind::Valid(v))),
        unchanged.map(|u| Some(CheckKind::Unchanged(u))),
        env.map(|e| self::env(&at("env"), e, &mut found).map(CheckKind::Env)),
        kube_proxy.map(|k| self::kube_proxy(&at("kube_proxy"), k, &mut found).map(CheckKind::KubeProxy)),
        load_balancer
            .map(|l| self::load_balancer(&at("load_balancer"), l, &mut found).map(CheckKind::LoadBalancer)),
        answer.map(|a| self::answer(&at("answer"), a, files, &mut found).map(CheckKind::Answer)),
    ]
    .into_iter()
    .flatten()
    .collect();
    if kinds.len() != 1 {
        errors.at(
            &[Seg::Key("checks"), Seg::Index(i)],
            "check-kind",
            format!(
                "a check has exactly one of {} (this one has {})",
                CheckFile::kind_keys().join(", "),
                kinds.len()
            ),
        );
    }
    let titled = !title.trim().is_empty();
    if !titled {
        errors.at(
            &[Seg::Key("checks"), Seg::Index(i), Seg::Key("title")],
            "no-title",
            "say what the check wants, for the learner".into(),
        );
    }
    errors.append(found);
    // Exactly one kind, converted without error.
    match <[Option<CheckKind>; 1]>::try_from(kinds) {
        Ok([Some(kind)]) if titled => Some(Check { title, kind }),
        _ => None,
    }
}

fn request(at: &At, r: RequestCheck, errors: &mut Errors) -> Option<Request> {
    let from = errors.reference(&at.key("from"), &r.from, refs::client);
    let to = errors.reference(&at.key("to"), &r.to, refs::target);
    let protocol = errors.parsed(&at.key("protocol"), protocol(r.protocol.as_deref()));
    let by = match &r.by {
        Some(b) => Some(errors.reference(&at.key("by"), b, crate::ends::By::parse)?),
        None => None,
    };
    if let Some(b) = &by {
        let fits = match r.expect {
            Expect::Blocked => true,
            Expect::Dropped => DROPPED_KEYS.contains(&b.key()),
            _ => false,
        };
        if !fits {
            let why = match r.expect {
                Expect::Dropped => format!(
                    "`{}` never ends a request as dropped: use expect: blocked, or one of {}",
                    b.text,
                    DROPPED_KEYS.join(", ")
                ),
                other => format!(
                    "`by` names what stopped a request: use it with expect: blocked or dropped, not {}",
                    other.as_str()
                ),
            };
            errors.at(&at.key("by"), "invalid-reference", why);
            return None;
        }
    }
    let lands_on = match &r.lands_on {
        Some(l) => Some(errors.reference(&at.key("lands_on"), l, refs::lands_on)?),
        None => None,
    };
    let on_node = match &r.on_node {
        Some(n) => Some(errors.reference(&at.key("on_node"), n, node_name)?),
        None => None,
    };
    let sees_source = match &r.sees_source {
        Some(s) => Some(errors.reference(&at.key("sees_source"), s, refs::seen_source)?),
        None => None,
    };
    let http = http(at, &r, errors);
    arrival_fits(at, &r, errors)?;
    let node = match &r.node {
        Some(n) => Some(errors.reference(&at.key("node"), n, node_name)?),
        None => None,
    };
    let (from, to) = (from?, to?);
    meaningful(at, &r, &from, &to, errors)?;
    let (host, upstream_path, tls_secret) = http?;
    Some(Request {
        from,
        to,
        port: r.port,
        protocol: protocol?,
        node,
        expect: r.expect,
        by,
        lands_on,
        on_node,
        on_port: r.on_port,
        sees_source,
        host,
        upstream_path,
        tls_secret,
        any_endpoint: r.any_endpoint,
        any_client: r.any_client,
        sticky: r.sticky,
    })
}

fn node_name(text: &str) -> Result<String, String> {
    let name = text.trim();
    if name.is_empty() || name.contains('/') {
        return Err(format!(
            "`{text}` is not a node name: write it as `kubectl get nodes` lists it (node-1)"
        ));
    }
    Ok(name.to_string())
}

/// `node` picks the node a `nodeport/` request enters through, `any_client` one client of a
/// `pods/` set, and `sticky` asks only that delivered requests stick to one pod: a key they
/// would make ignored is an error at its key.
fn meaningful(
    at: &At,
    r: &RequestCheck,
    from: &Spanned<refs::ClientRef>,
    to: &Spanned<refs::TargetRef>,
    errors: &mut Errors,
) -> Option<()> {
    let mut ok = Some(());
    if r.node.is_some() && !matches!(to.value, refs::TargetRef::NodePort { .. }) {
        let why = format!(
            "`node` picks the node a `to: nodeport/<ns>/<name>` request enters through; `to: {}` has no node to pick, so it would be ignored: remove `node`, or send the request to nodeport/",
            to.text
        );
        errors.at(&at.key("node"), "invalid-reference", why);
        ok = None;
    }
    if r.any_client && !matches!(from.value, refs::ClientRef::Pods { .. }) {
        errors.at(&at.key("any_client"), "invalid-reference", one_client(&from.text));
        ok = None;
    }
    if r.sticky && r.expect != Expect::Delivered {
        let why = format!(
            "`sticky: true` sends ten requests that must all be delivered to one pod, so `expect: {}` would be ignored: use expect: delivered, or put the expectation in a check of its own",
            r.expect.as_str()
        );
        errors.at(&at.key("sticky"), "invalid-reference", why);
        ok = None;
    }
    if r.sticky && r.any_endpoint {
        let why = "`sticky: true` judges only that ten requests land on one pod, so `any_endpoint` would be ignored: remove it".into();
        errors.at(&at.key("any_endpoint"), "invalid-reference", why);
        ok = None;
    }
    ok
}

/// Why `any_client` means nothing with a client that is not a `pods/` set.
fn one_client(from: &str) -> String {
    format!("`any_client` lets one pod of a `from: pods/<ns>/<selector>` set stand for all; `from: {from}` is one client, so it would be ignored: remove it")
}

/// A request check's HTTP keys: `host` a Host header's value, `upstream_path` a path,
/// `tls_secret` a Secret of an HTTPS request; all three over TCP. Every error at its key.
type Http = (Option<String>, Option<Spanned<String>>, Option<Spanned<refs::NamespacedName>>);
fn http(at: &At, r: &RequestCheck, errors: &mut Errors) -> Option<Http> {
    let tcp = r.protocol.as_deref().is_none_or(|p| p.eq_ignore_ascii_case("tcp"));
    let mut ok = true;
    for (key, set) in [("host", &r.host), ("upstream_path", &r.upstream_path), ("tls_secret", &r.tls_secret)]
    {
        if set.is_some() && !tcp {
            errors.at(
                &at.key(key),
                "invalid-reference",
                format!(
                    "`{key}` is about HTTP, which goes over TCP, not {}",
                    r.protocol.as_deref().unwrap_or("")
                ),
            );
            ok = false;
        }
    }
    let host = match &r.host {
        Some(h) if h.trim().is_empty() || h.contains(['/', ' ']) => {
            let why = format!(
                "`{h}` is not a Host header: write the name alone, as curl -H 'Host: shop.example' sends it"
            );
            errors.at(&at.key("host"), "invalid-reference", why);
            None
        }
        h => h.clone(),
    };
    let path = match &r.upstream_path {
        Some(p) => errors.reference(&at.key("upstream_path"), p, |p| match p.starts_with('/') {
            true => Ok(p.to_string()),
            false => Err(format!("`{p}` is not a path: a path starts with `/` (/api/x)")),
        }),
        None => None,
    };
    let secret = match &r.tls_secret {
        Some(s) => errors.reference(&at.key("tls_secret"), s, refs::namespaced_name),
        None => None,
    };
    // An https:// URL, or port 443 (the check's, else the URL's): what the model sends as HTTPS.
    let to = r.to.trim().to_ascii_lowercase();
    let authority = to.split_once("://").map_or(to.as_str(), |(_, rest)| rest).split('/').next();
    let url_443 = authority.is_some_and(|a| a.ends_with(":443"));
    let https = to.starts_with("https://") || r.port.map_or(url_443, |p| p == 443);
    if r.tls_secret.is_some() && !https {
        let why = format!("`tls_secret` names the certificate of an HTTPS request, and `{}` is not one: write an https:// URL, or use port 443", r.to);
        errors.at(&at.key("tls_secret"), "invalid-reference", why);
        ok = false;
    }
    let fine = ok
        && r.host.is_some() == host.is_some()
        && r.upstream_path.is_some() == path.is_some()
        && r.tls_secret.is_some() == secret.is_some();
    fine.then_some((host, path, secret))
}

/// `lands_on`, `on_node`, `on_port`, `sees_source` and `upstream_path` judge where a delivered
/// request arrives: with another expectation, or with `sticky` (which judges only that ten
/// requests stick to one pod), they would be ignored, so they are an error at their key; so is
/// `tls_secret` with `sticky`.
fn arrival_fits(at: &At, r: &RequestCheck, errors: &mut Errors) -> Option<()> {
    let written = [
        ("lands_on", r.lands_on.is_some()),
        ("on_node", r.on_node.is_some()),
        ("on_port", r.on_port.is_some()),
        ("sees_source", r.sees_source.is_some()),
        ("upstream_path", r.upstream_path.is_some()),
        ("tls_secret", r.tls_secret.is_some()),
    ];
    let mut ok = Some(());
    for (key, _) in written.iter().filter(|(_, set)| *set) {
        let why = if r.expect != Expect::Delivered && *key != "tls_secret" {
            format!(
                "`{key}` says where a delivered request arrives: use it with expect: delivered, not {}",
                r.expect.as_str()
            )
        } else if r.sticky {
            format!("`sticky: true` judges only that the requests stick to one pod, so `{key}` would be ignored: put it in a check of its own")
        } else {
            continue;
        };
        errors.at(&at.key(key), "invalid-reference", why);
        ok = None;
    }
    ok
}

fn dns(at: &At, d: DnsCheck, errors: &mut Errors) -> Option<Dns> {
    let from = errors.reference(&at.key("from"), &d.from, refs::dns_from);
    let expect = errors.reference(&at.key("expect"), &d.expect, refs::dns_expect);
    let qtype = errors.parsed(&at.key("qtype"), qtype(d.qtype.as_deref()));
    let pods = matches!(from.as_deref(), Some(refs::DnsFrom::Pod(refs::ClientRef::Pods { .. })));
    if d.any_client && from.is_some() && !pods {
        errors.at(&at.key("any_client"), "invalid-reference", one_client(&d.from));
        return None;
    }
    Some(Dns {
        from: from?,
        name: d.name,
        qtype: qtype?,
        expect: expect?,
        any_client: d.any_client,
        ignore_policy: d.ignore_policy,
    })
}

fn policy(at: &At, p: PolicyCheck, errors: &mut Errors) -> Option<Policy> {
    let protocol = errors.parsed(&at.key("protocol"), protocol(p.protocol.as_deref()));
    let port = errors.reference(&at.key("port"), &p.port.text(), refs::policy_port);
    let named = matches!(port.as_deref(), Some(PolicyPort::Name(_)));
    let mut pairs = |list: &'static str, written: Vec<crate::format::Pair>| -> Option<Vec<PodPair>> {
        let mut ok = Some(Vec::new());
        for (j, pair) in written.into_iter().enumerate() {
            let path = |k| at.path(&[Seg::Key(list), Seg::Index(j), Seg::Key(k)]);
            let from = errors.reference(&path("from"), &pair.from, |t| refs::pod_set(t, true));
            let to = errors.reference(&path("to"), &pair.to, |t| refs::pod_set(t, true));
            let outside = |end: &Option<Spanned<PodSet>>| matches!(end.as_deref(), Some(PodSet::Outside(_)));
            if outside(&from) && outside(&to) {
                let why =
                    "NetworkPolicy judges connections of pods: make `from` or `to` a set of pods".into();
                errors.at(&path("to"), "invalid-reference", why);
                ok = None;
            }
            if outside(&to) && named {
                let why = format!(
                    "addresses outside the cluster have no named ports: give `{}` as a number",
                    p.port.text()
                );
                errors.at(&path("to"), "invalid-reference", why);
                ok = None;
            }
            match (from, to, &mut ok) {
                (Some(from), Some(to), Some(list)) => list.push(PodPair { from, to }),
                _ => ok = None,
            }
        }
        ok
    };
    let empty = p.allow.is_empty() && p.deny.is_empty();
    let allow = pairs("allow", p.allow);
    let deny = pairs("deny", p.deny);
    if empty {
        errors.at(&at.path(&[]), "empty-check", "list pairs under allow or deny".into());
        return None;
    }
    Some(Policy { port: port?, protocol: protocol?, allow: allow?, deny: deny? })
}

/// A `gateway` check: `weights` only with `expect: split` (and there required), `location`
/// only with `redirect`, the upstream's path and host only where a backend receives the
/// request; each at its key.
pub(crate) fn gateway(at: &At, g: GatewayCheck, errors: &mut Errors) -> Option<Gateway> {
    let gateway = errors.reference(&at.key("gateway"), &g.gateway, refs::namespaced_name);
    let expect = errors.reference(&at.key("expect"), &g.expect, refs::gateway_expect)?;
    let gateway = gateway?;
    let split = expect.value == refs::GatewayExpect::Split;
    let proxied = split || matches!(expect.value, refs::GatewayExpect::Service { .. });
    let mut ok = true;
    let mut refuse = |key: &str, why: String| {
        errors.at(&at.key(key), "invalid-reference", why);
        ok = false;
    };
    if split && g.weights.is_empty() {
        refuse("expect", "`expect: split` compares the requests' shares with `weights`: add `weights: [<ns>/<name>=<share>, …]`".into());
    }
    if !split && !g.weights.is_empty() {
        refuse("weights", format!("`weights` are the shares of `expect: split`; with `expect: {}` they would be ignored: remove them, or expect split", expect.text));
    }
    if g.location.is_some() && expect.value != refs::GatewayExpect::Redirect {
        refuse("location", format!("`location` is where a redirect points; with `expect: {}` there is none: remove it, or expect redirect", expect.text));
    }
    for (key, set) in
        [("upstream_path", g.upstream_path.is_some()), ("upstream_host", g.upstream_host.is_some())]
    {
        if set && !proxied {
            refuse(key, format!("`{key}` is what a backend receives; with `expect: {}` no backend receives the request: remove it, or expect service/<ns>/<name>", expect.text));
        }
    }
    let mut weights = Vec::new();
    for text in &g.weights {
        let parsed = text
            .split_once('=')
            .ok_or_else(|| "expected `<ns>/<name>=<share>`".to_string())
            .and_then(|(service, share)| {
                let share = share
                    .trim()
                    .parse::<u32>()
                    .map_err(|_| format!("`{share}` is not a share (a whole number)"))?;
                Ok((refs::namespaced_name(service.trim())?, share))
            });
        match parsed {
            Ok(w) => weights.push(w),
            Err(why) => refuse("weights", format!("`{text}`: {why}")),
        }
    }
    let mut headers = Vec::new();
    for text in &g.headers {
        match text.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => {
                headers.push((name.trim().to_string(), value.trim().to_string()))
            }
            _ => refuse("headers", format!("`{text}`: expected `<name>=<value>`")),
        }
    }
    let method = g.method.unwrap_or_else(|| "GET".into());
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        refuse("method", format!("`{method}` is not an HTTP method: use capitals, as GET or POST"));
    }
    ok.then(|| Gateway {
        gateway,
        host: g.host,
        path: g.path,
        https: g.https,
        port: g.port.unwrap_or(if g.https { 443 } else { 80 }),
        method,
        headers,
        expect,
        weights,
        location: g.location,
        upstream_path: g.upstream_path,
        upstream_host: g.upstream_host,
    })
}

/// A `replay` check: every request an `http://` or `https://` URL, and at least one file of
/// Gateways.
pub(crate) fn replay(at: &At, r: ReplayCheck, errors: &mut Errors) -> Option<Replay> {
    let mut ok = true;
    if r.gateway.is_empty() {
        errors.at(
            &at.key("gateway"),
            "invalid-reference",
            "name the files whose Gateways and Routes are replayed".into(),
        );
        ok = false;
    }
    let mut requests = Vec::new();
    for (n, url) in r.requests.iter().enumerate() {
        let parsed = url.split_once("://").and_then(|(scheme, rest)| {
            let https = match scheme {
                "http" => false,
                "https" => true,
                _ => return None,
            };
            let (host, path) = rest.find('/').map_or((rest, "/"), |i| (&rest[..i], &rest[i..]));
            (!host.is_empty()).then(|| (https, host.to_string(), path.to_string()))
        });
        match parsed {
            Some(req) => requests.push(req),
            None => {
                errors.at(
                    &at.path(&[Seg::Key("requests"), Seg::Index(n)]),
                    "invalid-reference",
                    format!("`{url}` is not an http:// or https:// URL with a host"),
                );
                ok = false;
            }
        }
    }
    ok.then_some(Replay { ingress: r.ingress, gateway: r.gateway, requests, same: r.same })
}

pub(crate) fn route_status(at: &At, r: RouteStatusCheck, errors: &mut Errors) -> Option<RouteStatus> {
    let route = errors.reference(&at.key("route"), &r.route, refs::namespaced_name);
    let parent = errors.reference(&at.key("parent"), &r.parent, refs::namespaced_name);
    let kind = r.kind.as_deref().unwrap_or("HTTPRoute");
    let kind = match netsim::gateway::RouteKind::parse(kind) {
        Some(k) => Some(k),
        None => {
            errors.at(
                &at.key("kind"),
                "invalid-reference",
                format!("`{kind}` is not a Route kind the model routes: use HTTPRoute or GRPCRoute"),
            );
            None
        }
    };
    Some(RouteStatus {
        route: route?,
        kind: kind?,
        parent: parent?,
        section: r.section,
        accepted: r.accepted,
        resolved_refs: r.resolved_refs,
        reason: r.reason,
    })
}

fn ingress(at: &At, i: IngressCheck, errors: &mut Errors) -> Option<Ingress> {
    let expect = errors.reference(&at.key("expect"), &i.expect, refs::ingress_expect)?;
    if i.upstream_path.is_some() && !matches!(expect.value, refs::IngressExpect::Service { .. }) {
        let why = format!(
            "`upstream_path` is the path a backend receives; with `expect: {}` no backend receives the request, so it would be ignored: remove it, or expect service/<ns>/<name>",
            expect.text
        );
        errors.at(&at.key("upstream_path"), "invalid-reference", why);
        return None;
    }
    let tls_secret = match &i.tls_secret {
        Some(s) => Some(errors.reference(&at.key("tls_secret"), s, refs::namespaced_name)?),
        None => None,
    };
    if tls_secret.is_some() && !i.https {
        let why = "`tls_secret` names the certificate that answers an HTTPS request, and this check asks over HTTP: add `https: true`, or remove it".to_string();
        errors.at(&at.key("tls_secret"), "invalid-reference", why);
        return None;
    }
    Some(Ingress {
        host: i.host,
        path: i.path,
        https: i.https,
        expect,
        upstream_path: i.upstream_path,
        tls_secret,
    })
}

fn env(at: &At, e: EnvCheck, errors: &mut Errors) -> Option<Env> {
    let pod = errors.reference(&at.key("pod"), &e.pod, |t| refs::pod_set(t, false))?;
    Some(Env { pod, has: e.has, lacks: e.lacks })
}

fn kube_proxy(at: &At, k: KubeProxyCheck, errors: &mut Errors) -> Option<KubeProxy> {
    let service = errors.reference(&at.key("service"), &k.service, refs::namespaced_name)?;
    let node = match &k.node {
        Some(n) => errors.reference(&at.key("node"), n, node_name)?,
        None => {
            let (start, end) = errors.span(&at.path(&[]));
            Spanned { value: "node-1".into(), text: "node-1".into(), start, end }
        }
    };
    Some(KubeProxy { service, port: k.port, chain: k.chain, endpoints: k.endpoints, node })
}

fn load_balancer(at: &At, l: LoadBalancerCheck, errors: &mut Errors) -> Option<LoadBalancer> {
    let service = errors.reference(&at.key("service"), &l.service, refs::namespaced_name);
    let protocol = errors.parsed(&at.key("protocol"), protocol(l.protocol.as_deref()));
    let mut nodes: Option<Vec<Spanned<String>>> = Some(Vec::new());
    for (j, n) in l.nodes.iter().enumerate() {
        let path = at.path(&[Seg::Key("nodes"), Seg::Index(j)]);
        let node = errors.reference(&path, n, node_name);
        let twice = node.as_ref().is_some_and(|n| l.nodes[..j].iter().any(|m| m.trim() == n.value));
        if twice {
            errors.at(&path, "invalid-reference", format!("node `{n}` is listed twice"));
        }
        match (node, &mut nodes) {
            (Some(node), Some(list)) if !twice => list.push(node),
            _ => nodes = None,
        }
    }
    Some(LoadBalancer { service: service?, port: l.port, protocol: protocol?, nodes: nodes? })
}

fn answer(at: &At, a: AnswerCheck, files: &[&str], errors: &mut Errors) -> Option<AnswerCheck> {
    let known = files.contains(&a.file.as_str());
    if !known {
        errors.at(
            &at.key("file"),
            "unknown-file",
            format!("`{}` is not one of the exercise's files", a.file),
        );
    }
    if a.accept.is_empty() {
        errors.at(&at.key("accept"), "empty-check", "list the accepted answers".into());
        return None;
    }
    let mut twice = false;
    if a.set {
        // A set holds each value once: a repeated one is a slip that would make it unanswerable.
        let norm = |s: &crate::check::Scalar| s.0.trim().to_ascii_lowercase();
        for (j, value) in a.accept.iter().enumerate() {
            if a.accept[..j].iter().any(|earlier| norm(earlier) == norm(value)) {
                let path = at.path(&[Seg::Key("accept"), Seg::Index(j)]);
                errors.at(&path, "invalid-reference", format!("`{}` is listed twice in the set", value.0));
                twice = true;
            }
        }
    }
    (known && !twice).then_some(a)
}
