//! The Gateway API's checks: `gateway` (what the built-in controller does with one request
//! sent to a Gateway's listener, `netsim::gateway::route`) and `route_status` (the conditions
//! it writes on a Route for one parent, `netsim::gateway::status`). A loaded exercise keeps
//! them as written (`CheckKind::Route`); they are read, converted and graded here, through a
//! socket of their own (`netsim::socket`), as the model reaches its Gateway API code. In the
//! browser's build that code comes after the first grade ([`install`] plugs it all in);
//! until it is there, an exercise still loads, and such a check says it cannot be graded
//! yet. Where the code is there, loading reads them too, so that their errors are
//! said at their place in the file.

use manifest::{Diagnostic, Severity};
use netsim::gateway::{BackendAnswer, Decision, GatewayRequest, Objects, Outcome};
use netsim::Cluster;

use crate::check::{CheckKind, Gateway, Replay, RouteCheck, RouteStatus};
use crate::convert::At;
use crate::format::{Exercise, GatewayCheck, ReplayCheck, RouteStatusCheck};
use crate::paths::Errors;
use crate::refs::GatewayExpect;

const NOT_LOADED: &str =
    "the Gateway API's part of the model is not loaded here, so this check cannot be graded";

/// A Gateway API check, read and converted.
pub(crate) enum Read {
    Gateway(Gateway),
    RouteStatus(RouteStatus),
    Replay(Replay),
}

/// What a check is graded against: the learner's cluster, and (for `replay`) the files it
/// was loaded from with the exercise's topology.
pub(crate) struct Against<'a> {
    pub(crate) cluster: &'a Cluster,
    /// The read-only cluster (`CLUSTER_FILE`) first, then the learner's files.
    pub(crate) sources: &'a [manifest::SourceFile],
    pub(crate) topology: &'a netsim::Topology,
}

/// The checks' code, as the loader and the grader call it.
struct Plug {
    read: fn(&RouteCheck, &mut Errors) -> Option<Read>,
    grade: fn(&Against, &Read) -> (bool, String),
}

#[cfg(feature = "gateway-api")]
static PLUG: Plug = Plug { read: read_now, grade: grade_now };

static SOCKET: netsim::socket::Socket<Plug> = netsim::socket::Socket::new();

fn installed() -> Option<&'static Plug> {
    netsim::plugged!(SOCKET, &PLUG)
}

/// Makes the Gateway API's checks graded, its kinds read and requests through Gateways routed
/// from now on (with `gateway-later`; nothing to do otherwise).
pub fn install() {
    #[cfg(feature = "gateway-api")]
    SOCKET.plug(&PLUG);
    manifest::plug::install();
}

/// Reads the Gateway API checks of `ex`, where their code is there, for their errors: each
/// goes to `errors`, at its place in the exercise file.
pub(crate) fn check_written(ex: &Exercise, errors: &mut Errors) {
    let Some(plug) = installed() else { return };
    for c in &ex.checks {
        if let CheckKind::Route(r) = &c.kind {
            (plug.read)(r, errors);
        }
    }
}

/// `written` read and converted, where its code is there and it has no error.
pub(crate) fn read(written: &RouteCheck) -> Option<Read> {
    let plug = installed()?;
    (plug.read)(written, &mut Errors::new("", &written.raw.node))
}

/// Whether `written` holds in `cluster`, and why, in words.
pub(crate) fn grade(against: &Against, written: &RouteCheck) -> (bool, String) {
    let Some(plug) = installed() else { return (false, NOT_LOADED.into()) };
    let mut errors = Errors::new("", &written.raw.node);
    match (plug.read)(written, &mut errors) {
        Some(read) => (plug.grade)(against, &read),
        None => {
            let why: Vec<String> = errors.found.into_iter().map(|d| d.message).collect();
            (false, format!("this check cannot be read: {}", why.join("; ")))
        }
    }
}

/// `written` read as its type and converted (its errors in `errors`).
#[cfg_attr(not(feature = "gateway-api"), allow(dead_code))]
fn read_now(written: &RouteCheck, errors: &mut Errors) -> Option<Read> {
    let at = At { check: written.index, kind: written.key };
    match written.key {
        "gateway" => {
            let g = typed::<GatewayCheck>(written, errors)?;
            crate::convert::gateway(&at, g, errors).map(Read::Gateway)
        }
        "replay" => {
            let r = typed::<ReplayCheck>(written, errors)?;
            crate::convert::replay(&at, r, errors).map(Read::Replay)
        }
        _ => {
            let r = typed::<RouteStatusCheck>(written, errors)?;
            crate::convert::route_status(&at, r, errors).map(Read::RouteStatus)
        }
    }
}

#[cfg_attr(not(feature = "gateway-api"), allow(dead_code))]
fn typed<T: serde::de::DeserializeOwned>(written: &RouteCheck, errors: &mut Errors) -> Option<T> {
    let (value, problems) = manifest::de::from_node_at::<T>(&written.raw.node, &written.raw.path);
    for p in problems {
        errors.found.push(Diagnostic {
            severity: Severity::Error,
            code: p.code,
            message: p.message,
            file: errors.file().to_string(),
            start: p.start,
            end: p.end,
            hints: p.hints,
        });
    }
    value
}

#[cfg_attr(not(feature = "gateway-api"), allow(dead_code))]
fn grade_now(against: &Against, read: &Read) -> (bool, String) {
    match read {
        Read::Gateway(g) => gateway_now(against.cluster, g),
        Read::RouteStatus(r) => route_status_now(against.cluster, r),
        Read::Replay(r) => replay_now(against, r),
    }
}

/// The same requests through the ingress controller of the cluster with `r.ingress` and the
/// Gateways of the cluster with `r.gateway`.
#[cfg_attr(not(feature = "gateway-api"), allow(dead_code))]
fn replay_now(against: &Against, r: &Replay) -> (bool, String) {
    use netsim::gateway::migrate;
    let side = |files: &[String]| -> Result<Cluster, String> {
        if let Some(missing) = files.iter().find(|f| !against.sources.iter().any(|s| s.name == **f)) {
            return Err(format!("the exercise has no file `{missing}`"));
        }
        let picked: Vec<manifest::SourceFile> = against
            .sources
            .iter()
            .filter(|s| s.name == crate::format::CLUSTER_FILE || files.contains(&s.name))
            .cloned()
            .collect();
        Ok(manifest::load_and_build(&picked, against.topology).1)
    };
    let (ingress, gateway) = match (side(&r.ingress), side(&r.gateway)) {
        (Ok(i), Ok(g)) => (i, g),
        (Err(why), _) | (_, Err(why)) => return (false, why),
    };
    let requests: Vec<(netsim::Scheme, String, String)> = if r.requests.is_empty() {
        migrate::requests(&ingress, &gateway)
    } else {
        r.requests
            .iter()
            .map(|(https, h, p)| {
                (if *https { netsim::Scheme::Https } else { netsim::Scheme::Http }, h.clone(), p.clone())
            })
            .collect()
    };
    let rows = migrate::replay(&ingress, &gateway, &requests);
    let differ: Vec<&migrate::Replayed> = rows.iter().filter(|x| !x.same()).collect();
    // `sends it to shop/web:80 (path /)`, `answers 404`, `answers 308 https://…`.
    let did = |a: &migrate::Answer| {
        if a.what.starts_with(|c: char| c.is_ascii_digit()) || a.what == "no listener" {
            format!("answers {} ({})", a.text(), a.why)
        } else {
            format!("sends it to {} ({})", a.text(), a.why)
        }
    };
    let said = |x: &migrate::Replayed| {
        format!("{}: the Ingress {}, the Gateway {}", x.url, did(&x.ingress), did(&x.gateway))
    };
    match (differ.first(), r.same) {
        (None, true) => (
            true,
            format!("the {} request(s) go the same way through the Ingress and the Gateway", rows.len()),
        ),
        (None, false) => (
            false,
            format!("the {} request(s) go the same way through both, and some should differ", rows.len()),
        ),
        (Some(first), true) => {
            let more =
                if differ.len() > 1 { format!(" (and {} more)", differ.len() - 1) } else { String::new() };
            (false, format!("{} of {} request(s) differ; {}{more}", differ.len(), rows.len(), said(first)))
        }
        (Some(first), false) => {
            (true, format!("{} of {} request(s) differ; {}", differ.len(), rows.len(), said(first)))
        }
    }
}

#[cfg_attr(not(feature = "gateway-api"), allow(dead_code))]
fn gateway_now(cluster: &Cluster, g: &Gateway) -> (bool, String) {
    let Some(plug) = netsim::gateway::plug::installed() else { return (false, NOT_LOADED.into()) };
    let (namespace, name) = (&g.gateway.namespace, &g.gateway.name);
    let api = &cluster.gateway_api;
    if !api.gateways.iter().any(|gw| gw.namespace == *namespace && gw.name == *name) {
        return (false, format!("there is no Gateway {namespace}/{name}"));
    }
    let scheme = if g.https { netsim::Scheme::Https } else { netsim::Scheme::Http };
    let request = GatewayRequest {
        namespace: namespace.clone(),
        gateway: name.clone(),
        scheme,
        port: g.port,
        host: g.host.clone(),
        target: g.path.clone(),
        method: g.method.clone(),
        headers: g.headers.clone(),
    };
    let d = (plug.route)(&Objects::of_api(api), cluster, &request);
    let url = format!("{} {}://{}:{}{}", g.method, scheme.as_str(), g.host, g.port, g.path);
    let got = said(&d);
    let shares = services(&d);
    let ok = match &g.expect.value {
        GatewayExpect::Service { namespace, name, port } => {
            let want = format!("{namespace}/{name}");
            !shares.is_empty()
                && shares.iter().all(|(svc, p, _, proxied)| {
                    *proxied && *svc == want && port.is_none_or(|want| Some(want) == *p)
                })
        }
        GatewayExpect::Split => {
            // The same shares: each Service's part of the requests, in the check's units.
            let total: u64 = shares.iter().map(|s| u64::from(s.2)).sum();
            let want: u64 = g.weights.iter().map(|(_, w)| u64::from(*w)).sum();
            let share = |svc: &str| shares.iter().filter(|s| s.0 == svc).map(|s| u64::from(s.2)).sum::<u64>();
            let named = |svc: &str| {
                g.weights.iter().any(|(n, w)| *w > 0 && format!("{}/{}", n.namespace, n.name) == svc)
            };
            total > 0
                && g.weights.iter().all(|(n, w)| {
                    share(&format!("{}/{}", n.namespace, n.name)) * want == u64::from(*w) * total
                })
                && shares.iter().all(|s| s.2 == 0 || named(&s.0))
        }
        GatewayExpect::Redirect => matches!(d.outcome, Outcome::Redirect { .. }),
        GatewayExpect::Status(code) => d.status() == Some(*code),
        GatewayExpect::NoListener => matches!(d.outcome, Outcome::NoListener),
    };
    let text = format!("{url}: {got}");
    if !ok {
        return (false, format!("{}: expected {}, but {text}", d.cause(), g.expect.text));
    }
    let upstream = d.upstream.as_ref();
    let mut wrong = Vec::new();
    if let (Some(want), Outcome::Redirect { location, .. }) = (&g.location, &d.outcome) {
        if want != location {
            wrong.push(format!("the redirect should point to {want}"));
        }
    }
    if let Some(want) = &g.upstream_path {
        let path = upstream.map(|u| u.target()).unwrap_or_default();
        if *want != path {
            wrong.push(format!("the backend should receive path {want}, and receives {path}"));
        }
    }
    if let Some(want) = &g.upstream_host {
        let host = upstream.map(|u| u.host.as_str()).unwrap_or_default();
        if want != host {
            wrong.push(format!("the backend should receive Host {want}, and receives {host}"));
        }
    }
    if wrong.is_empty() {
        (true, text)
    } else {
        let filters = if d.filters.is_empty() { "no filter applies".into() } else { d.filters.join("; ") };
        (false, format!("{text}, but {} ({filters})", wrong.join(", and ")))
    }
}

#[cfg_attr(not(feature = "gateway-api"), allow(dead_code))]
/// Each backendRef's share: Service `ns/name`, port, weight, whether it is proxied (else the
/// Gateway answers 500 or 503 for it).
fn services(d: &Decision) -> Vec<(String, Option<u16>, u32, bool)> {
    let Outcome::Backends(shares) = &d.outcome else { return Vec::new() };
    shares
        .iter()
        .map(|s| {
            let (svc, port) = match s.backend.rsplit_once(':') {
                Some((svc, port)) => (svc.to_string(), port.parse().ok()),
                None => (s.backend.clone(), None),
            };
            (svc, port, s.weight, matches!(s.answer, BackendAnswer::Proxied { .. }))
        })
        .collect()
}

#[cfg_attr(not(feature = "gateway-api"), allow(dead_code))]
/// What the Gateway did with the request, in words.
fn said(d: &Decision) -> String {
    let by = d.winner().map(|w| format!("{} rule {} ", w.route, w.rule + 1)).unwrap_or_default();
    match &d.outcome {
        Outcome::NoListener => format!("no listener takes it ({})", d.listener_reason),
        Outcome::NotFound => "no rule matches: the Gateway answers 404".into(),
        Outcome::Redirect { status, location } => format!("{by}redirects it ({status}) to {location}"),
        Outcome::Error { status, reason } => format!("{by}cannot send it anywhere: {reason} ({status})"),
        Outcome::Backends(shares) => {
            let parts: Vec<String> = shares
                .iter()
                .map(|s| {
                    let share = if shares.len() > 1 {
                        format!(" ({} of {})", s.weight, s.total)
                    } else {
                        String::new()
                    };
                    match &s.answer {
                        BackendAnswer::Proxied { .. } => format!("Service {}{share}", s.backend),
                        BackendAnswer::Error { status, reason } => {
                            format!("{status} for {}{share}: {reason}", s.backend)
                        }
                    }
                })
                .collect();
            format!("{by}sends it to {}", parts.join(", "))
        }
    }
}

#[cfg_attr(not(feature = "gateway-api"), allow(dead_code))]
fn route_status_now(cluster: &Cluster, r: &RouteStatus) -> (bool, String) {
    let Some(plug) = netsim::gateway::plug::installed() else { return (false, NOT_LOADED.into()) };
    let st = (plug.status)(&Objects::of_api(&cluster.gateway_api), cluster);
    let route = (r.route.namespace.as_str(), r.route.name.as_str());
    let parent = (r.parent.namespace.as_str(), r.parent.name.as_str());
    let entry = match st.route_parent(r.kind, route, parent, r.section.as_deref()) {
        Ok(entry) => entry,
        Err(why) => return (false, why),
    };
    let conditions: Vec<String> =
        entry.conditions.iter().map(|c| format!("{} {} ({})", c.kind, c.status.as_str(), c.reason)).collect();
    let reasons = entry.reasons();
    let ok = entry.holds("Accepted") == r.accepted
        && r.resolved_refs.is_none_or(|want| entry.holds("ResolvedRefs") == want)
        && r.reason.as_deref().is_none_or(|want| reasons.contains(&want));
    let text = format!(
        "{} {}/{} under Gateway {}/{}: {}",
        r.kind.as_str(),
        route.0,
        route.1,
        parent.0,
        parent.1,
        conditions.join("; ")
    );
    if ok {
        return (true, text);
    }
    let mut want = vec![format!("Accepted {}", if r.accepted { "True" } else { "False" })];
    if let Some(rr) = r.resolved_refs {
        want.push(format!("ResolvedRefs {}", if rr { "True" } else { "False" }));
    }
    if let Some(reason) = &r.reason {
        want.push(format!("reason {reason}"));
    }
    (false, format!("expected {}, but {text}", want.join(", ")))
}
