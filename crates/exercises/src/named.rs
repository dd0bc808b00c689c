//! The things a loaded exercise's checks name in the cluster its solution builds: pods (a
//! client, a destination pod, `lands_on`, a policy pair's side, an `env` pod), Services (a
//! destination, a DNS, Ingress or Gateway expectation, `kube_proxy` and `load_balancer`),
//! nodes (a client, `on_node`, `node`, `nodes`), Gateways and Routes (`gateway`,
//! `route_status`). One that names nothing there is the author's
//! mistake, a check that could only fail or pass for no reason: an error at its place.

use netsim::Cluster;

use crate::check::CheckKind;
use crate::format::Exercise;
use crate::paths::{error, Errors};
use crate::refs::{
    ClientRef, DnsExpect, DnsFrom, GatewayExpect, IngressExpect, LandsOn, PodSet, Spanned, TargetRef,
};
use crate::routes::Read;

/// What a reference names.
enum Thing {
    /// Never `PodSet::Outside`.
    Pods(PodSet),
    Service(String, String),
    Node(String),
    Gateway(String, String),
    Route(netsim::gateway::RouteKind, String, String),
}

/// A thing named, with the reference as written and its place.
struct Named {
    thing: Thing,
    text: String,
    at: (usize, usize),
}

fn named<T>(s: &Spanned<T>, thing: Thing) -> Named {
    Named { thing, text: s.text.clone(), at: (s.start, s.end) }
}

fn client(c: &ClientRef) -> Option<Thing> {
    match c {
        ClientRef::Pod { namespace, name } => {
            Some(Thing::Pods(PodSet::Pod { namespace: namespace.clone(), name: name.clone() }))
        }
        ClientRef::Pods { namespace, selector } => {
            Some(Thing::Pods(PodSet::Pods { namespace: namespace.clone(), selector: selector.clone() }))
        }
        ClientRef::Node(n) => Some(Thing::Node(n.clone())),
        ClientRef::Outside(_) => None,
    }
}

fn pods(set: &PodSet) -> Option<Thing> {
    (!matches!(set, PodSet::Outside(_))).then(|| Thing::Pods(set.clone()))
}

fn service(namespace: &str, name: &str) -> Thing {
    Thing::Service(namespace.to_string(), name.to_string())
}

/// Every thing the checks name, in the checks' order.
fn things(ex: &Exercise) -> Vec<Named> {
    let mut out = Vec::new();
    let node = |n: &Spanned<String>| named(n, Thing::Node(n.value.clone()));
    for c in &ex.checks {
        match &c.kind {
            CheckKind::Request(r) => {
                out.extend(client(&r.from).map(|t| named(&r.from, t)));
                let to = match &r.to.value {
                    TargetRef::Service { namespace, name }
                    | TargetRef::NodePort { namespace, name }
                    | TargetRef::LoadBalancer { namespace, name } => Some(service(namespace, name)),
                    TargetRef::Pod { namespace, name } => {
                        Some(Thing::Pods(PodSet::Pod { namespace: namespace.clone(), name: name.clone() }))
                    }
                    TargetRef::Raw(_) => None,
                };
                out.extend(to.map(|t| named(&r.to, t)));
                if let Some(l) = &r.lands_on {
                    if let LandsOn::Pods(set) = &l.value {
                        out.extend(pods(set).map(|t| named(l, t)));
                    }
                }
                out.extend(r.on_node.iter().chain(&r.node).map(node));
            }
            CheckKind::Dns(d) => {
                if let DnsFrom::Pod(c) = &d.from.value {
                    out.extend(client(c).map(|t| named(&d.from, t)));
                }
                if let DnsExpect::Service { namespace, name } = &d.expect.value {
                    out.push(named(&d.expect, service(namespace, name)));
                }
            }
            CheckKind::Policy(p) => {
                for end in p.allow.iter().chain(&p.deny).flat_map(|pair| [&pair.from, &pair.to]) {
                    out.extend(pods(end).map(|t| named(end, t)));
                }
            }
            CheckKind::Ingress(i) => {
                if let IngressExpect::Service { namespace, name, .. } = &i.expect.value {
                    out.push(named(&i.expect, service(namespace, name)));
                }
            }
            CheckKind::Env(e) => out.extend(pods(&e.pod).map(|t| named(&e.pod, t))),
            CheckKind::KubeProxy(k) => {
                out.push(named(&k.service, service(&k.service.namespace, &k.service.name)));
                out.push(node(&k.node));
            }
            CheckKind::LoadBalancer(l) => {
                out.push(named(&l.service, service(&l.service.namespace, &l.service.name)));
                out.extend(l.nodes.iter().map(node));
            }
            CheckKind::Route(written) => match crate::routes::read(written) {
                Some(Read::Gateway(g)) => {
                    let gateway = Thing::Gateway(g.gateway.namespace.clone(), g.gateway.name.clone());
                    out.push(named(&g.gateway, gateway));
                    if let GatewayExpect::Service { namespace, name, .. } = &g.expect.value {
                        out.push(named(&g.expect, service(namespace, name)));
                    }
                }
                Some(Read::RouteStatus(r)) => {
                    let route = Thing::Route(r.kind, r.route.namespace.clone(), r.route.name.clone());
                    out.push(named(&r.route, route));
                    let parent = Thing::Gateway(r.parent.namespace.clone(), r.parent.name.clone());
                    out.push(named(&r.parent, parent));
                }
                Some(Read::Replay(_)) | None => {}
            },
            CheckKind::Object(_) | CheckKind::Valid(_) | CheckKind::Unchanged(_) | CheckKind::Answer(_) => {}
        }
    }
    out
}

/// Why `thing` is not in `cluster`, or `None` when it is.
fn missing(cluster: &Cluster, thing: &Thing, text: &str) -> Option<String> {
    let near = |word: &str, names: Vec<&str>| {
        manifest::problem::closest(word, names).map(|b| format!(": did you mean `{b}`?")).unwrap_or_default()
    };
    match thing {
        Thing::Pods(set) if set.pods(cluster).is_empty() => Some(match set {
            PodSet::Pod { namespace, name } => {
                let names = cluster
                    .pods
                    .iter()
                    .filter(|p| p.namespace == *namespace)
                    .flat_map(|p| [Some(p.name.as_str()), p.owner.as_ref().map(|o| o.name.as_str())])
                    .flatten()
                    .collect();
                format!("`{text}` names no pod or workload of the cluster with the solution's files{}", near(name, names))
            }
            _ => format!("`{text}` matches no pod of the cluster with the solution's files: check the namespace and the labels of the pods' template"),
        }),
        Thing::Service(namespace, name) if cluster.service(namespace, name).is_none() => {
            let names = cluster
                .services
                .iter()
                .filter(|s| s.spec.namespace == *namespace)
                .map(|s| s.spec.name.as_str())
                .collect();
            Some(format!(
                "the cluster with the solution's files has no Service `{namespace}/{name}`{}",
                near(name, names)
            ))
        }
        Thing::Node(n) if cluster.node(n).is_none() => {
            let names: Vec<&str> = cluster.nodes.iter().map(|n| n.name.as_str()).collect();
            let near = manifest::problem::closest(n, names.iter().copied())
                .map(|b| format!("did you mean `{b}`? "))
                .unwrap_or_default();
            Some(format!("the cluster has no node `{n}`: {near}its nodes are {}", names.join(", ")))
        }
        Thing::Gateway(namespace, name)
            if !cluster.gateway_api.gateways.iter().any(|g| g.namespace == *namespace && g.name == *name) =>
        {
            let names = cluster.gateway_api.gateways.iter().map(|g| g.name.as_str()).collect();
            Some(format!(
                "the solution's files have no Gateway `{namespace}/{name}`{}",
                near(name, names)
            ))
        }
        Thing::Route(kind, namespace, name) => {
            let api = &cluster.gateway_api;
            let routes: Vec<(&str, &str)> = match kind {
                netsim::gateway::RouteKind::Http => {
                    api.http_routes.iter().map(|r| (r.namespace.as_str(), r.name.as_str())).collect()
                }
                netsim::gateway::RouteKind::Grpc => {
                    api.grpc_routes.iter().map(|r| (r.namespace.as_str(), r.name.as_str())).collect()
                }
            };
            (!routes.contains(&(namespace.as_str(), name.as_str()))).then(|| {
                let names = routes.iter().map(|(_, n)| *n).collect();
                format!("the solution's files have no {} `{namespace}/{name}`{}", kind.as_str(), near(name, names))
            })
        }
        _ => None,
    }
}

/// An error at each reference that names nothing in the cluster the solution builds (built
/// only when a check names something).
pub(crate) fn places_exist(ex: &Exercise, errors: &mut Errors) {
    let things = things(ex);
    if things.is_empty() {
        return;
    }
    let (_, cluster) = manifest::load_and_build(&ex.sources(&ex.solution_files()), &ex.topology.topology());
    for n in things {
        if let Some(message) = missing(&cluster, &n.thing, &n.text) {
            errors.found.push(error(errors.file(), n.at, "unknown-reference", message));
        }
    }
}
