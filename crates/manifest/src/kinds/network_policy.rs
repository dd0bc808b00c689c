//! NetworkPolicy (networking.k8s.io/v1): its pod selector, its rules (peers and ports) and
//! its policy types, with where their fields are for the checks against the built cluster.

use k8s_openapi::api::networking::v1 as networking;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use netsim::{PolicyType, PortRef, Source};

use crate::fields::{
    int, int_or_string, items, label_selector, object, object_meta, req_string, string, strings,
};
use crate::names;
use crate::object::{item_source, At, Meta, Obj, Object};
use crate::policies::{PolicySpans, RuleSpans};
use crate::tree::Node;

/// The spellings of `policyTypes`.
const POLICY_TYPES: [(&str, PolicyType); 2] =
    [("Ingress", PolicyType::Ingress), ("Egress", PolicyType::Egress)];

fn policy_type(spelling: &str) -> Option<PolicyType> {
    POLICY_TYPES.iter().find(|(s, _)| *s == spelling).map(|&(_, t)| t)
}

pub(crate) fn read(
    o: &mut Obj<'_>,
    root: At<'_>,
    v: networking::NetworkPolicy,
    m: Meta,
    source: Option<Source>,
) -> Object {
    let spec_at = root.key("spec");
    let np = network_policy(o, spec_at, v.spec.unwrap_or_default());
    let ns_at = root.key("metadata").key("namespace");
    let namespace_span = if ns_at.present() { ns_at.span() } else { root.key("metadata").key("name").span() };
    let spans = policy_spans(o.file, namespace_span, spec_at, &np);
    Object::NetworkPolicy(netsim::NetworkPolicy { name: m.name, namespace: m.namespace, source, ..np }, spans)
}

fn network_policy(o: &mut Obj<'_>, at: At<'_>, spec: networking::NetworkPolicySpec) -> netsim::NetworkPolicy {
    let pod_selector = o.selector(at.key("podSelector"), &spec.pod_selector.clone().unwrap_or_default());
    let ingress_in: Vec<_> = spec
        .ingress
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|r| (r.from.unwrap_or_default(), r.ports.unwrap_or_default()))
        .collect();
    let egress_in: Vec<_> = spec
        .egress
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|r| (r.to.unwrap_or_default(), r.ports.unwrap_or_default()))
        .collect();
    let ingress = rules(o, at, "ingress", "from", ingress_in);
    let egress = rules(o, at, "egress", "to", egress_in);
    let policy_types = match &spec.policy_types {
        Some(types) if types.len() > 2 => {
            // ValidateNetworkPolicySpec: "may not specify more than two policyTypes".
            o.error(
                "invalid-value",
                at.key("policyTypes").span(),
                format!(
                    "`policyTypes` lists {} types; it may list at most two (Ingress, Egress)",
                    types.len()
                ),
                vec![],
            );
            vec![PolicyType::Ingress]
        }
        Some(types) if !types.is_empty() => {
            let mut out = Vec::new();
            for (i, t) in types.iter().enumerate() {
                out.extend(o.pick(at.key("policyTypes").idx(i), "policyTypes", t, &POLICY_TYPES));
            }
            out
        }
        _ => {
            // The API server's defaulting: Ingress, and Egress only when `egress` has rules
            // (`egress: []` does not count). kubernetes/kubernetes
            // pkg/apis/networking/v1/defaults.go, SetDefaults_NetworkPolicy.
            let mut out = vec![PolicyType::Ingress];
            if spec.egress.as_ref().is_some_and(|e| !e.is_empty()) {
                out.push(PolicyType::Egress);
            }
            out
        }
    };
    netsim::NetworkPolicy {
        name: String::new(),
        namespace: String::new(),
        pod_selector,
        policy_types,
        ingress,
        egress,
        source: None,
    }
}

/// The rules of `spec.<field>` (at `at`), each peer under `peer_field` (`from` or `to`).
fn rules(
    o: &mut Obj<'_>,
    at: At<'_>,
    field: &str,
    peer_field: &str,
    list: Vec<(Vec<networking::NetworkPolicyPeer>, Vec<networking::NetworkPolicyPort>)>,
) -> Vec<netsim::PolicyRule> {
    let mut out = Vec::new();
    for (i, (peers_in, ports_in)) in list.into_iter().enumerate() {
        let rat = at.key(field).idx(i);
        let mut peers = Vec::new();
        for (j, p) in peers_in.iter().enumerate() {
            let pat = rat.key(peer_field).idx(j);
            if let Some(b) = &p.ip_block {
                if p.pod_selector.is_some() || p.namespace_selector.is_some() {
                    o.error(
                        "invalid-value",
                        pat.span(),
                        "a peer with `ipBlock` may not also have `podSelector` or `namespaceSelector`".into(),
                        vec!["make them two separate peers (list items)".into()],
                    );
                }
                let bat = pat.key("ipBlock");
                if let Some(cidr) = o.cidr(bat.key("cidr"), &b.cidr) {
                    let mut except = Vec::new();
                    for (k, e) in b.except.iter().flatten().enumerate() {
                        let eat = bat.key("except").idx(k);
                        if let Some(ex) = o.cidr(eat, e) {
                            if !cidr.contains(ex.addr) || ex.prefix <= cidr.prefix {
                                o.error(
                                    "invalid-cidr",
                                    eat.span(),
                                    format!("except {ex} must be a strict subset of {cidr}"),
                                    vec![],
                                );
                            }
                            except.push(ex);
                        }
                    }
                    peers.push(netsim::PolicyPeer::IpBlock { cidr, except });
                }
            } else if p.pod_selector.is_none() && p.namespace_selector.is_none() {
                o.error(
                    "missing-field",
                    pat.span(),
                    "a peer needs `podSelector`, `namespaceSelector` or `ipBlock`".into(),
                    vec![],
                );
            } else {
                let pod_selector = p.pod_selector.as_ref().map(|s| o.selector(pat.key("podSelector"), s));
                let namespace_selector =
                    p.namespace_selector.as_ref().map(|s| o.selector(pat.key("namespaceSelector"), s));
                peers.push(netsim::PolicyPeer::Pods { pod_selector, namespace_selector });
            }
        }
        let mut ports = Vec::new();
        for (j, p) in ports_in.iter().enumerate() {
            let pat = rat.key("ports").idx(j);
            let protocol = o.protocol(pat.key("protocol"), p.protocol.as_deref());
            let port = match &p.port {
                None => None,
                Some(IntOrString::Int(n)) => Some(PortRef::Number(o.port(pat.key("port"), "port", *n))),
                Some(IntOrString::String(s)) => {
                    o.check("invalid-port-name", pat.key("port"), "port name", s, names::iana_svc_name);
                    Some(PortRef::Name(s.clone()))
                }
            };
            let end_port = p.end_port.map(|e| {
                let e16 = o.port(pat.key("endPort"), "endPort", e);
                match &port {
                    Some(PortRef::Number(n)) if e16 != 0 && e16 < *n => o.error(
                        "invalid-value",
                        pat.key("endPort").span(),
                        format!("endPort {e16} must not be below port {n}"),
                        vec![],
                    ),
                    Some(PortRef::Number(_)) => {}
                    _ => o.error(
                        "invalid-value",
                        pat.key("endPort").span(),
                        "endPort needs a numeric `port`".into(),
                        vec![],
                    ),
                }
                e16
            });
            ports.push(netsim::PolicyPort { protocol, port, end_port });
        }
        out.push(netsim::PolicyRule { peers, ports, source: item_source(o.file, rat) });
    }
    out
}

/// Where the fields of a NetworkPolicy read without errors are (`spec` at `at`).
fn policy_spans(
    file: &str,
    namespace: (usize, usize),
    at: At<'_>,
    np: &netsim::NetworkPolicy,
) -> PolicySpans {
    let or_spec = |a: At<'_>| if a.present() { a.key_span() } else { at.key_span() };
    let rules = |field: &str, peer_field: &str, rules: &[netsim::PolicyRule]| -> Vec<RuleSpans> {
        let rules_at = at.key(field);
        (0..rules.len())
            .map(|i| {
                let r = rules_at.idx(i);
                RuleSpans {
                    peers: (0..rules[i].peers.len())
                        .map(|j| {
                            let p = r.key(peer_field).idx(j);
                            (p.key("podSelector").key_span(), p.key("namespaceSelector").key_span())
                        })
                        .collect(),
                    ports: (0..rules[i].ports.len())
                        .map(|j| r.key("ports").idx(j).key("port").span())
                        .collect(),
                }
            })
            .collect()
    };
    let types_at = at.key("policyTypes");
    let egress_item = types_at.node.and_then(|n| n.as_seq()).and_then(|items| {
        items.iter().position(|t| t.as_str().and_then(policy_type) == Some(PolicyType::Egress))
    });
    PolicySpans {
        file: file.to_string(),
        namespace,
        pod_selector: or_spec(at.key("podSelector")),
        egress_type: match egress_item {
            Some(i) => types_at.idx(i).span(),
            None => or_spec(at.key("egress")),
        },
        ingress: rules("ingress", "from", &np.ingress),
        egress: rules("egress", "to", &np.egress),
    }
}

fn policy_peer(p: Option<&Node>) -> networking::NetworkPolicyPeer {
    networking::NetworkPolicyPeer {
        ip_block: object(p, "ipBlock", |b| networking::IPBlock {
            cidr: req_string(b, "cidr"),
            except: strings(b, "except"),
        }),
        namespace_selector: object(p, "namespaceSelector", label_selector),
        pod_selector: object(p, "podSelector", label_selector),
    }
}

fn policy_port(p: Option<&Node>) -> networking::NetworkPolicyPort {
    networking::NetworkPolicyPort {
        end_port: int(p, "endPort"),
        port: int_or_string(p, "port"),
        protocol: string(p, "protocol"),
    }
}

pub fn build(node: &Node) -> networking::NetworkPolicy {
    let n = Some(node);
    networking::NetworkPolicy {
        metadata: object_meta(n),
        spec: object(n, "spec", |s| networking::NetworkPolicySpec {
            egress: items(s, "egress", |r| networking::NetworkPolicyEgressRule {
                ports: items(r, "ports", policy_port),
                to: items(r, "to", policy_peer),
            }),
            ingress: items(s, "ingress", |r| networking::NetworkPolicyIngressRule {
                from: items(r, "from", policy_peer),
                ports: items(r, "ports", policy_port),
            }),
            pod_selector: object(s, "podSelector", label_selector),
            policy_types: strings(s, "policyTypes"),
        }),
    }
}
