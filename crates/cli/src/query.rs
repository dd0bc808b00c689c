//! `switchboard query --manifests PATH --queries Q.json`: a batch of questions answered as
//! JSON, one answer per query, in order. This is a contract that tests outside the crates
//! rely on; each answer carries its query's `kind`. A question the model cannot answer yet
//! gets `{"kind": ..., "error": "unsupported: ..."}`, never a guess; a malformed query (an
//! unknown field included) gets `{"kind": ..., "error": ...}` and does not stop the batch.
//! The kinds: `reach`, `dns`, `endpoints`, `valid`, `ingress_route`, and for the Gateway API
//! `gateway_route` (what the built-in controller does with one request: status, Route, rule,
//! backends with weights, redirect, the upstream path, host and headers) and `route_status`
//! (a Route's `Accepted` and `ResolvedRefs` under one parent, and the reasons of those not
//! `True`).

use std::net::Ipv4Addr;
use std::process::ExitCode;

use manifest::Severity;
use netsim::gateway::{self, BackendAnswer, GatewayRequest, Objects, Outcome as GatewayOutcome};
use netsim::{Client, DnsClient, DnsQuery, QueryType, Rcode, Record, Request, ServiceType, Trace};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::model::{protocol, split_ref, Model};
use crate::unused::Reading;

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum Query {
    Reach {
        from: From,
        to: To,
        port: u16,
        protocol: Option<String>,
        pod_network_routed: Option<bool>,
    },
    Dns {
        from_namespace: String,
        name: String,
        qtype: String,
    },
    Endpoints {
        service: String,
        port: u16,
    },
    Valid {},
    IngressRoute {
        host: String,
        path: String,
    },
    GatewayRoute {
        gateway: String,
        port: Option<u16>,
        scheme: Option<String>,
        host: String,
        path: String,
        method: Option<String>,
        headers: Option<std::collections::BTreeMap<String, String>>,
    },
    RouteStatus {
        route: String,
        route_kind: String,
        parent: String,
        section: Option<String>,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum From {
    Pod(String),
    External(Ipv4Addr),
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum To {
    Pod(String),
    Service(String),
    Ip(Ipv4Addr),
}

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let (mut manifests, mut queries) = (None, None);
    let mut reading = Reading::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if reading.option(arg, &mut it)? {
            continue;
        }
        match arg.as_str() {
            "--manifests" => manifests = it.next().cloned(),
            "--queries" => queries = it.next().cloned(),
            other => return Err(format!("unexpected argument `{other}` to query")),
        }
    }
    let (Some(manifests), Some(queries)) = (manifests, queries) else {
        return Err("query needs --manifests PATH and --queries Q.json".into());
    };
    let text = std::fs::read_to_string(&queries).map_err(|e| format!("{queries}: {e}"))?;
    let batch: Vec<Value> =
        serde_json::from_str(&text).map_err(|e| format!("{queries}: not a JSON array: {e}"))?;
    let model = Model::load(&[manifests], &reading)?;
    for line in crate::unused::stderr_lines(&model.sources, &model.loaded.unused, &reading) {
        eprintln!("{line}");
    }
    let answers: Vec<Value> = batch.iter().map(|q| answer(&model, q)).collect();
    println!("{}", serde_json::to_string_pretty(&answers).unwrap_or_else(|_| "[]".into()));
    Ok(model.exit(&reading, ExitCode::SUCCESS))
}

/// One query's answer; errors become `{"kind", "error"}`.
pub fn answer(model: &Model, query: &Value) -> Value {
    let kind = query.get("kind").and_then(Value::as_str).unwrap_or("unknown").to_string();
    let result = Query::deserialize(query).map_err(|e| format!("invalid query: {e}")).and_then(|q| match q {
        Query::Reach { from, to, port, protocol, pod_network_routed } => {
            // The question is the policy's, so by default a client outside reaches pod IPs (a
            // routed pod network); the answer says which was assumed.
            let routed = pod_network_routed.unwrap_or(true);
            reach(model, &from, &to, port, protocol.as_deref(), routed).map(|mut v| {
                v["pod_network_routed"] = Value::Bool(routed);
                v
            })
        }
        Query::Dns { from_namespace, name, qtype } => dns(model, &from_namespace, &name, &qtype),
        Query::Endpoints { service, port } => endpoints(model, &service, port),
        Query::Valid {} => Ok(valid(model)),
        Query::IngressRoute { host, path } => Ok(ingress_route(model, &host, &path)),
        Query::GatewayRoute { gateway, port, scheme, host, path, method, headers } => {
            let scheme = match scheme.as_deref() {
                None | Some("http") => netsim::Scheme::Http,
                Some("https") => netsim::Scheme::Https,
                Some(other) => return Err(format!("unknown scheme `{other}`: use http or https")),
            };
            let (namespace, name) = split_ref(&gateway);
            let request = GatewayRequest {
                namespace: namespace.to_string(),
                gateway: name.to_string(),
                scheme,
                port: port.unwrap_or(80),
                host,
                target: path,
                method: method.unwrap_or_else(|| "GET".into()),
                headers: headers.unwrap_or_default().into_iter().collect(),
            };
            gateway_route(model, &request)
        }
        Query::RouteStatus { route, route_kind, parent, section } => {
            route_status(model, &route, &route_kind, &parent, section.as_deref())
        }
    });
    match result {
        Ok(mut value) => {
            value["kind"] = Value::String(kind);
            value
        }
        Err(error) => json!({ "kind": kind, "error": error }),
    }
}

fn reach(
    model: &Model,
    from: &From,
    to: &To,
    port: u16,
    proto: Option<&str>,
    routed: bool,
) -> Result<Value, String> {
    let protocol = protocol(proto)?;
    let client = match from {
        From::Pod(reference) => {
            let (namespace, name) = model.pod(reference)?;
            Client::pod(&namespace, &name)
        }
        From::External(ip) => model.outside(*ip),
    };
    let outside = matches!(client, Client::Outside(_));
    let target = match to {
        To::Pod(reference) => {
            let (namespace, name) = model.pod(reference)?;
            let pod = model.cluster.pod(&namespace, &name).ok_or("pod vanished")?;
            match pod.ip {
                Some(ip) => format!("{ip}:{port}"),
                None => {
                    return Ok(unreachable("no-route", &format!("pod {namespace}/{name} is Pending: no IP")))
                }
            }
        }
        To::Ip(ip) => format!("{ip}:{port}"),
        To::Service(reference) => {
            let (namespace, name) = split_ref(reference);
            let svc = model
                .cluster
                .service(namespace, name)
                .ok_or_else(|| format!("no Service {namespace}/{name}"))?;
            let fqdn = format!("{name}.{namespace}.svc.{}:{port}", model.cluster.topology.cluster_domain);
            if outside {
                // From outside: the LoadBalancer address, else a node's IP at the nodePort.
                if let Some(lb) = svc.load_balancer_ip {
                    format!("{lb}:{port}")
                } else if let Some(node_port) = node_port_for(svc, port, protocol) {
                    let node = model.cluster.nodes.first().ok_or("the cluster has no node")?;
                    format!("{}:{node_port}", node.ip)
                } else {
                    let why = format!(
                        "Service {namespace}/{name} is of type {} with no LoadBalancer address or nodePort for port {port}: \
                         it is reachable only inside the cluster",
                        svc.spec.service_type.as_str()
                    );
                    return Ok(unreachable("no-route", &why));
                }
            } else if svc.spec.service_type == ServiceType::ExternalName || svc.is_headless() {
                // No virtual IP: the client resolves the name and connects where DNS points.
                fqdn
            } else {
                match svc.cluster_ip {
                    Some(ip) => format!("{ip}:{port}"),
                    None => return Ok(unreachable("no-route", "the Service has no cluster IP")),
                }
            }
        }
    };
    let request = Request::new(client, &target).protocol(protocol);
    let traces = if model.cluster.topology.pod_network_routed == routed {
        model.cluster.send_all(&request)
    } else {
        let mut cluster = model.cluster.clone();
        cluster.topology.pod_network_routed = routed;
        cluster.send_all(&request)
    };
    Ok(verdict(&traces))
}

fn node_port_for(svc: &netsim::ClusterService, port: u16, protocol: netsim::Protocol) -> Option<u16> {
    svc.spec.ports.iter().find(|p| p.port == port && p.protocol == protocol).and_then(|p| p.node_port)
}

fn unreachable(outcome: &str, why: &str) -> Value {
    json!({ "verdict": "deny", "outcome": outcome, "trace": format!("  => {why}") })
}

/// allow when every endpoint kube-proxy may pick delivers, deny when none does, partial
/// otherwise; the trace shown is the first failing one (it explains the problem), else the first.
fn verdict(traces: &[Trace]) -> Value {
    let delivered = traces.iter().filter(|t| t.outcome.is_success()).count();
    let verdict = match delivered {
        0 => "deny",
        n if n == traces.len() => "allow",
        _ => "partial",
    };
    let shown = traces.iter().find(|t| !t.outcome.is_success()).or(traces.first());
    json!({
        "verdict": verdict,
        "outcome": shown.map(|t| t.outcome.as_str()).unwrap_or("no-route"),
        "trace": shown.map(|t| t.to_string()).unwrap_or_default(),
    })
}

fn dns(model: &Model, namespace: &str, name: &str, qtype: &str) -> Result<Value, String> {
    let qtype = match qtype {
        "A" => QueryType::A,
        "SRV" => QueryType::Srv,
        "PTR" => QueryType::Ptr,
        other => return Err(format!("unsupported: qtype {other} (A, SRV and PTR are modelled)")),
    };
    let answer = model.cluster.dns(&DnsQuery {
        from: DnsClient::Namespace(namespace.into()),
        name: name.into(),
        qtype,
    });
    if answer.rcode == Rcode::NxDomain {
        return Ok(json!({ "type": "NXDOMAIN", "values": [] }));
    }
    if let Some(target) = answer.cname() {
        return Ok(json!({ "type": "CNAME", "values": [target] }));
    }
    let mut values: Vec<String> = Vec::new();
    let mut kind = "NODATA";
    let mut addresses = Vec::new();
    for record in &answer.records {
        match record {
            Record::A { ip, .. } => {
                kind = "A";
                addresses.push(*ip);
            }
            Record::Srv { port, target, .. } => {
                kind = "SRV";
                values.push(format!("{port} {target}"));
            }
            Record::Ptr { target, .. } => {
                kind = "PTR";
                values.push(target.clone());
            }
            Record::Cname { .. } => {}
        }
    }
    addresses.sort();
    values.extend(addresses.iter().map(Ipv4Addr::to_string));
    if kind != "A" {
        values.sort();
    }
    Ok(json!({ "type": kind, "values": values }))
}

fn endpoints(model: &Model, service: &str, port: u16) -> Result<Value, String> {
    let (namespace, name) = split_ref(service);
    let svc =
        model.cluster.service(namespace, name).ok_or_else(|| format!("no Service {namespace}/{name}"))?;
    let ports: Vec<_> = svc.ports.iter().filter(|p| p.port == port).collect();
    if ports.is_empty() {
        return Err(format!("Service {namespace}/{name} has no port {port}"));
    }
    let mut found: Vec<_> = ports.iter().flat_map(|p| p.routable()).map(|e| (e.ip, e.port)).collect();
    found.sort();
    found.dedup();
    Ok(json!({ "values": found.iter().map(|(ip, p)| format!("{ip}:{p}")).collect::<Vec<_>>() }))
}

/// What the ingress-nginx controller routes `host` + `path` to: the Ingress, the backend
/// Service and its port number (resolved from a port name when the Service exists), or null
/// (the controller's 404). TLS redirects are not part of the route.
fn ingress_route(model: &Model, host: &str, path: &str) -> Value {
    let d = model.cluster.route_ingress(host, path, netsim::Scheme::Http);
    let (Some(ing), Some(netsim::IngressBackend::Service { name, port })) = (d.ingress(), d.backend()) else {
        return json!({ "route": null });
    };
    let port = match (port, d.backend().map(|b| model.cluster.ingress_backend(&ing.namespace, b))) {
        (_, Some(Ok(rb))) => json!(rb.port),
        (netsim::PortRef::Number(n), _) => json!(n),
        (netsim::PortRef::Name(_), _) => Value::Null,
    };
    // A canary (ingress-nginx's `canary` annotations) sharing the backend, with its weight of
    // the total; its header and cookie rules, when set, are read before the weight.
    let canary = d.canary.as_ref().map(|c| {
        let service = match &c.backend {
            netsim::IngressBackend::Service { name, .. } => format!("{}/{name}", c.ingress.namespace),
            netsim::IngressBackend::Resource { kind, name } => format!("{kind}/{name}"),
        };
        json!({
            "ingress": format!("{}/{}", c.ingress.namespace, c.ingress.name),
            "service": service,
            "weight": c.weight,
            "total": c.total,
            "header": c.header,
            "cookie": c.cookie,
        })
    });
    let mut route = json!({
        "ingress": format!("{}/{}", ing.namespace, ing.name),
        "service": format!("{}/{name}", ing.namespace),
        "port": port,
    });
    if let Some(canary) = canary {
        route["canary"] = canary;
    }
    json!({ "route": route })
}

/// What the built-in Gateway controller does with one request: the status most requests get
/// (`null` when no listener takes the connection), the Route and rule that won, the backends
/// with their weights, the redirect's Location, and the request as the backends receive it.
fn gateway_route(model: &Model, request: &GatewayRequest) -> Result<Value, String> {
    let objects = Objects::of(&model.loaded.scenario);
    if !objects.gateways.iter().any(|g| g.namespace == request.namespace && g.name == request.gateway) {
        return Err(format!("no Gateway {}/{}", request.namespace, request.gateway));
    }
    let d = gateway::route(&objects, &model.cluster, request);
    let winner = d.winner();
    let backends: Vec<Value> = match &d.outcome {
        GatewayOutcome::Backends(shares) => shares
            .iter()
            .map(|s| {
                // `namespace/name:port`, or the reference as written when it does not resolve.
                let (service, port) = match s.backend.rsplit_once(':') {
                    Some((service, port)) => (service, port.parse::<u16>().ok()),
                    None => (s.backend.as_str(), None),
                };
                json!({ "service": service, "port": port, "weight": s.weight })
            })
            .collect(),
        _ => Vec::new(),
    };
    let proxied = matches!(&d.outcome, GatewayOutcome::Backends(shares)
        if shares.iter().any(|s| matches!(s.answer, BackendAnswer::Proxied { .. })));
    let upstream = d.upstream.as_ref().filter(|_| proxied);
    let redirect = match &d.outcome {
        GatewayOutcome::Redirect { location, .. } => json!(location),
        _ => Value::Null,
    };
    Ok(json!({
        "status": d.status(),
        "route": winner.map(|w| format!("{}/{}", w.route.namespace, w.route.name)),
        "route_kind": winner.map(|w| w.id.kind.as_str()),
        "rule": winner.map(|w| w.rule),
        "backends": backends,
        "redirect": redirect,
        "upstream_path": upstream.map(|u| u.target()),
        "upstream_host": upstream.map(|u| u.host.clone()),
        "request_headers": upstream.map(|u| {
            u.headers.iter().map(|(k, v)| (k.clone(), json!(v))).collect::<serde_json::Map<_, _>>()
        }),
    }))
}

/// A Route's status under one parent Gateway (and listener, when `section` is given), as the
/// built-in controller writes it: `Accepted` and `ResolvedRefs`, and the reasons of the
/// conditions that are not `True`.
fn route_status(
    model: &Model,
    route: &str,
    kind: &str,
    parent: &str,
    section: Option<&str>,
) -> Result<Value, String> {
    let objects = Objects::of(&model.loaded.scenario);
    let st = gateway::status(&objects, &model.cluster);
    let kind = gateway::RouteKind::parse(kind)
        .ok_or_else(|| format!("no {kind} {route} (route_kind is HTTPRoute or GRPCRoute)"))?;
    let entry = st.route_parent(kind, split_ref(route), split_ref(parent), section)?;
    Ok(
        json!({ "accepted": entry.holds("Accepted"), "resolved_refs": entry.holds("ResolvedRefs"), "reasons": entry.reasons() }),
    )
}

fn valid(model: &Model) -> Value {
    let indexes: Vec<manifest::LineIndex<'_>> =
        model.sources.iter().map(|s| manifest::LineIndex::new(&s.text)).collect();
    let diagnostics: Vec<Value> = model
        .loaded
        .diagnostics
        .iter()
        .map(|d| {
            let at = model.sources.iter().position(|s| s.name == d.file);
            let (line, column) = at.map_or((0, 0), |i| indexes[i].line_col(d.start));
            json!({
                "severity": d.severity.as_str(),
                "code": d.code,
                "message": d.message,
                "file": d.file,
                "line": line,
                "column": column,
            })
        })
        .collect();
    let valid = !model.loaded.diagnostics.iter().any(|d| d.severity == Severity::Error);
    let (skipped, ignored) = model.unused_json();
    json!({ "valid": valid, "diagnostics": diagnostics, "skipped": skipped, "ignored": ignored })
}
