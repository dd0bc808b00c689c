//! Cluster-wide policy (policy.networking.k8s.io): ClusterNetworkPolicy `v1alpha2`
//! (network-policy-api v0.2.0) and AdminNetworkPolicy and BaselineAdminNetworkPolicy
//! `v1alpha1` (v0.1.8), read from the tree the schema check accepted (`policy_schema.txt`,
//! generated from their standard-channel CRDs) into [`netsim::ClusterNetworkPolicy`]. The
//! earlier kinds become tiers: an AdminNetworkPolicy is the Admin tier, its `Allow` read as
//! `Accept`; the BaselineAdminNetworkPolicy the Baseline tier.
//!
//! Checked in Rust, with the CRDs' words: the CEL rules of [`crate::policy_schema::RULES`]
//! (`validation-rule`), and the schema's bounds the table does not hold: `priority` 0 to 1000,
//! at most 25 rules and 25 peers or protocols per rule for a ClusterNetworkPolicy (100 for the
//! earlier kinds), `from`/`to` not empty, exactly one field in a subject, a peer, a protocol
//! and a port (`minProperties`/`maxProperties` 1), ports 1 to 65535.
//!
//! The experimental channel's `nodes` and `domainNames` peers and `namedPort` (v1alpha1) are
//! not in the standard CRDs: the schema check names them as unknown fields. A peer left with no
//! field the model reads fails closed as the API's docs say: in an Accept rule it matches no
//! traffic; a Deny or Pass rule becomes "Deny all".

use netsim::{
    Cidr, ClusterAction, ClusterNetworkPolicy, ClusterPeer, ClusterPolicyKind, ClusterPort, ClusterRule,
    ClusterSelector, PolicyType, Protocol, Source, Tier,
};

use crate::fields::label_selector;
use crate::gateway_schema::message;
use crate::kinds::gateway::{int, items, max_items, port, string, text};
use crate::object::{item_source, At, Meta, Obj};

/// One object of `kind` (ClusterNetworkPolicy, AdminNetworkPolicy or
/// BaselineAdminNetworkPolicy).
pub(crate) fn read(
    kind: &str,
    o: &mut Obj<'_>,
    root: At<'_>,
    m: Meta,
    source: Option<Source>,
) -> ClusterNetworkPolicy {
    let kind = match kind {
        "ClusterNetworkPolicy" => ClusterPolicyKind::ClusterNetworkPolicy,
        "AdminNetworkPolicy" => ClusterPolicyKind::AdminNetworkPolicy,
        _ => ClusterPolicyKind::BaselineAdminNetworkPolicy,
    };
    let spec = root.key("spec");
    let tier = match kind {
        ClusterPolicyKind::ClusterNetworkPolicy if text(spec.key("tier")) == Some("Baseline") => {
            Tier::Baseline
        }
        ClusterPolicyKind::BaselineAdminNetworkPolicy => Tier::Baseline,
        _ => Tier::Admin,
    };
    if kind == ClusterPolicyKind::BaselineAdminNetworkPolicy && m.name != "default" {
        broken(
            o,
            root.key("metadata").key("name"),
            "baseline-named-default",
            "name it `default`: the cluster has one",
        );
    }
    let priority = match kind {
        ClusterPolicyKind::BaselineAdminNetworkPolicy => 0,
        _ => {
            let p = int(spec.key("priority")).unwrap_or(0);
            if !(0..=1000).contains(&p) {
                o.error(
                    "invalid-value",
                    spec.key("priority").span(),
                    format!("`priority` {p} is out of range: it is 0 to 1000, lower first"),
                    vec!["write a priority from 0 to 1000".into()],
                );
            }
            p.clamp(0, 1000) as u32
        }
    };
    let max = if kind == ClusterPolicyKind::ClusterNetworkPolicy { 25 } else { 100 };
    let subject = selection(o, spec.key("subject"), "spec.subject").unwrap_or(ClusterSelector::Namespaces(
        netsim::LabelSelector { match_labels: Default::default(), match_expressions: vec![] },
    ));
    let ingress = rules(o, kind, spec.key("ingress"), PolicyType::Ingress, max);
    let egress = rules(o, kind, spec.key("egress"), PolicyType::Egress, max);
    ClusterNetworkPolicy { kind, name: m.name, tier, priority, subject, ingress, egress, source }
}

/// Reports the CEL rule `id` of [`crate::policy_schema::RULES`] as broken at `at`.
fn broken(o: &mut Obj<'_>, at: At<'_>, id: &str, hint: &str) {
    debug_assert!(crate::policy_schema::RULES.iter().any(|r| r.id == id), "rule {id}");
    o.error("validation-rule", at.key_span(), message(id).to_string(), vec![hint.to_string()]);
}

/// Exactly one field of `fields` set (`minProperties: 1`, `maxProperties: 1`): its name.
fn one_of<'a>(o: &mut Obj<'_>, at: At<'_>, what: &str, fields: &[&'a str]) -> Option<&'a str> {
    let set: Vec<&str> = fields.iter().copied().filter(|f| at.key(f).present()).collect();
    match set.as_slice() {
        [one] => Some(one),
        [] => None,
        more => {
            o.error(
                "invalid-value",
                at.span(),
                format!(
                    "`{what}` sets {}; exactly one may be set",
                    more.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(" and ")
                ),
                vec![format!(
                    "keep one of them; write another {} for the other",
                    what.rsplit('.').next().unwrap_or(what)
                )],
            );
            None
        }
    }
}

/// A subject or a `namespaces`/`pods` peer: `namespaces` (a label selector), or `pods`
/// (`namespaceSelector` and `podSelector`; an empty selector selects all).
fn selection(o: &mut Obj<'_>, at: At<'_>, what: &str) -> Option<ClusterSelector> {
    match one_of(o, at, what, &["namespaces", "pods"]) {
        Some("namespaces") => Some(ClusterSelector::Namespaces(selector(o, at.key("namespaces")))),
        Some(_) => {
            let pods = at.key("pods");
            Some(ClusterSelector::Pods {
                namespaces: selector(o, pods.key("namespaceSelector")),
                pods: selector(o, pods.key("podSelector")),
            })
        }
        None => {
            // A mapping with fields the model does not read (`nodes`, `domainNames`) was named
            // by the schema check; an empty one is said here (`minProperties: 1`).
            if at.node.and_then(|n| n.as_map()).is_some_and(<[_]>::is_empty) {
                o.error(
                    "missing-field",
                    at.span(),
                    format!("`{what}` sets nothing; set `namespaces` or `pods`"),
                    vec!["`namespaces: {}` selects every pod of every namespace".into()],
                );
            }
            None
        }
    }
}

fn selector(o: &mut Obj<'_>, at: At<'_>) -> netsim::LabelSelector {
    o.selector(at, &label_selector(at.node))
}

/// The rules of one direction.
fn rules(
    o: &mut Obj<'_>,
    kind: ClusterPolicyKind,
    list: At<'_>,
    direction: PolicyType,
    max: usize,
) -> Vec<ClusterRule> {
    let field = direction.as_str().to_ascii_lowercase();
    max_items(o, list, &format!("spec.{field}"), max);
    let peers_key = if direction == PolicyType::Ingress { "from" } else { "to" };
    items(list)
        .enumerate()
        .map(|(i, at)| {
            let action = match text(at.key("action")) {
                Some("Deny") => ClusterAction::Deny,
                Some("Pass") => ClusterAction::Pass,
                _ => ClusterAction::Accept,
            };
            let place = format!("spec.{field}[{i}]");
            let peer_list = at.key(peers_key);
            if items(peer_list).next().is_none() {
                o.error(
                    "missing-field",
                    peer_list.key_span(),
                    format!("`{place}.{peers_key}` needs at least one peer"),
                    vec![format!("add a peer such as `- namespaces: {{}}` (every pod)")],
                );
            }
            max_items(o, peer_list, &format!("{place}.{peers_key}"), max);
            let mut unreadable = false;
            let mut peers = Vec::new();
            for (k, p) in items(peer_list).enumerate() {
                let what = format!("{place}.{peers_key}[{k}]");
                for field in ["nodes", "domainNames"].into_iter().filter(|f| p.key(f).present()) {
                    o.warn(
                        "experimental-field",
                        p.key(field).key_span(),
                        format!("`{field}` is a peer of network-policy-api's experimental channel; Switchboard reads the standard channel and leaves it out"),
                        vec!["name the peers by `namespaces`, `pods` or (egress) `networks`".into()],
                    );
                }
                if p.key("networks").present() && direction == PolicyType::Egress {
                    if one_of(o, p, &what, &["namespaces", "pods", "networks"]).is_some() {
                        peers.push(ClusterPeer::Networks(networks(o, p.key("networks"))));
                    }
                } else {
                    match selection(o, p, &what) {
                        Some(sel) => peers.push(ClusterPeer::Pods(sel)),
                        None => unreadable = true,
                    }
                }
            }
            let ports = match kind {
                ClusterPolicyKind::ClusterNetworkPolicy => protocols(o, at.key("protocols"), &place, max),
                _ => v1alpha1_ports(o, at.key("ports"), &place, max),
            };
            let mut rule = ClusterRule {
                name: string(at.key("name")),
                action,
                peers,
                ports,
                source: item_source(o.file, at),
            };
            if unreadable && action != ClusterAction::Accept {
                // The API's docs: "For "Deny" and "Pass" rules, "fail closed" means: "treat
                // the rule as a 'Deny all' rule"".
                o.warn(
                    "cluster-policy-fail-closed",
                    peer_list.key_span(),
                    format!("a peer of `{place}` has no field Switchboard reads, so the rule fails closed: it denies all traffic"),
                    vec!["`nodes` and `domainNames` are experimental; write the peer with `namespaces`, `pods` or `networks`".into()],
                );
                rule.action = ClusterAction::Deny;
                rule.ports = None;
                rule.peers = vec![
                    ClusterPeer::Pods(ClusterSelector::Namespaces(netsim::LabelSelector::default())),
                    ClusterPeer::Networks(vec![Cidr::new(std::net::Ipv4Addr::UNSPECIFIED, 0)]),
                ];
            }
            rule
        })
        .collect()
}

/// A `networks` list: IPv4 CIDRs (IPv6 ones are read but not modelled).
fn networks(o: &mut Obj<'_>, list: At<'_>) -> Vec<Cidr> {
    let mut out = Vec::new();
    for at in items(list) {
        let value = text(at).unwrap_or_default();
        if value.contains(':') {
            o.warn(
                "ipv6-not-modelled",
                at.span(),
                format!(
                    "`{value}` is an IPv6 block; Switchboard models IPv4 only, so it matches nothing here"
                ),
                vec![],
            );
            continue;
        }
        match Cidr::parse(value) {
            Some(c) => out.push(c),
            None => broken(o, at, "networks-cidr", "write a block such as 169.254.169.254/32"),
        }
    }
    out
}

/// A port range's `start` and `end`, inclusive. ClusterNetworkPolicy's CRD refuses a start
/// that is not below the end (`refused`, a CEL rule); AdminNetworkPolicy's v0.1.8 CRD only says
/// so in its docs, so the API server takes it: a warning, and the range holds the ports from
/// `start` to `end` (none when `start` is above `end`).
fn port_range(o: &mut Obj<'_>, at: At<'_>, refused: bool) -> Option<(u16, u16)> {
    let first = port(o, at.key("start"), "start port");
    let last = port(o, at.key("end"), "end port");
    let (first, last) = (first?, last?);
    if first >= last {
        if refused {
            broken(o, at, "range-start-below-end", "write the lower port as `start`; one port is `number`");
            return None;
        }
        o.warn(
            "invalid-value",
            at.span(),
            format!("`start` {first} is not less than `end` {last}, as the API's docs ask"),
            vec!["write the lower port as `start`; one port is `portNumber`".into()],
        );
    }
    Some((first, last))
}

/// ClusterNetworkPolicy's `protocols`: each entry one of `tcp`, `udp`, `sctp` (a
/// `destinationPort`: a `number` or a `range`) or `destinationNamedPort`.
fn protocols(o: &mut Obj<'_>, list: At<'_>, place: &str, max: usize) -> Option<Vec<ClusterPort>> {
    if !list.present() {
        return None;
    }
    max_items(o, list, &format!("{place}.protocols"), max);
    let mut out = Vec::new();
    for (k, at) in items(list).enumerate() {
        let what = format!("{place}.protocols[{k}]");
        let which = one_of(o, at, &what, &["tcp", "udp", "sctp", "destinationNamedPort"]);
        let protocol = match which {
            Some("destinationNamedPort") => {
                out.push(ClusterPort::Named(string(at.key("destinationNamedPort"))));
                continue;
            }
            Some("tcp") => Protocol::Tcp,
            Some("udp") => Protocol::Udp,
            Some(_) => Protocol::Sctp,
            None => continue,
        };
        let destination = at.key(which.unwrap_or("tcp")).key("destinationPort");
        let field = format!("{what}.{}.destinationPort", which.unwrap_or("tcp"));
        match one_of(o, destination, &field, &["number", "range"]) {
            Some("number") => {
                if let Some(n) = port(o, destination.key("number"), "port") {
                    out.push(ClusterPort::Range { protocol, first: n, last: n });
                }
            }
            Some(_) => {
                if let Some((first, last)) = port_range(o, destination.key("range"), true) {
                    out.push(ClusterPort::Range { protocol, first, last });
                }
            }
            None => {
                o.error(
                    "missing-field",
                    destination.span(),
                    format!("`{field}` sets neither `number` nor `range`"),
                    vec!["write `number: 80` or `range: {start: 8000, end: 8080}`".into()],
                );
            }
        }
    }
    Some(out)
}

/// AdminNetworkPolicy's and BaselineAdminNetworkPolicy's `ports`: each entry `portNumber`
/// (`protocol`, default TCP, and `port`) or `portRange` (`protocol`, `start`, `end`).
fn v1alpha1_ports(o: &mut Obj<'_>, list: At<'_>, place: &str, max: usize) -> Option<Vec<ClusterPort>> {
    if !list.present() {
        return None;
    }
    max_items(o, list, &format!("{place}.ports"), max);
    let mut out = Vec::new();
    for (k, at) in items(list).enumerate() {
        let what = format!("{place}.ports[{k}]");
        let which = one_of(o, at, &what, &["portNumber", "portRange"]);
        let Some(which) = which else { continue };
        let entry = at.key(which);
        let protocol = o.protocol(entry.key("protocol"), text(entry.key("protocol")));
        if which == "portNumber" {
            if let Some(n) = port(o, entry.key("port"), "port") {
                out.push(ClusterPort::Range { protocol, first: n, last: n });
            }
        } else if let Some((first, last)) = port_range(o, entry, false) {
            out.push(ClusterPort::Range { protocol, first, last });
        }
    }
    Some(out)
}
