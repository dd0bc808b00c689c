//! NetworkPolicy builders for the policy tests (the docs' cases, upstream's e2e cases, the
//! connectivity report): selectors, peers, ports, rules and whole policies, in the model's
//! types.

use netsim::*;

/// Labels from `(key, value)` pairs.
pub fn label_pairs(pairs: &[(&str, &str)]) -> Labels {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// A selector of `matchLabels` only.
pub fn sel(pairs: &[(&str, &str)]) -> LabelSelector {
    LabelSelector::from_labels(&label_pairs(pairs))
}

/// The empty selector: every pod (or namespace).
pub fn all() -> LabelSelector {
    LabelSelector::default()
}

/// A `podSelector` peer (the policy's namespace).
pub fn pods(s: LabelSelector) -> PolicyPeer {
    PolicyPeer::Pods { pod_selector: Some(s), namespace_selector: None }
}

/// A `namespaceSelector` peer (every pod of those namespaces).
pub fn nss(s: LabelSelector) -> PolicyPeer {
    PolicyPeer::Pods { pod_selector: None, namespace_selector: Some(s) }
}

/// A peer with both selectors (those pods in those namespaces).
pub fn both(ns: LabelSelector, pod: LabelSelector) -> PolicyPeer {
    PolicyPeer::Pods { pod_selector: Some(pod), namespace_selector: Some(ns) }
}

/// An `ipBlock` peer; the CIDRs must parse.
pub fn ip_block(cidr: &str, except: &[&str]) -> PolicyPeer {
    PolicyPeer::IpBlock {
        cidr: Cidr::parse(cidr).unwrap(),
        except: except.iter().map(|e| Cidr::parse(e).unwrap()).collect(),
    }
}

pub fn num(protocol: Protocol, port: u16) -> PolicyPort {
    PolicyPort { protocol, port: Some(PortRef::Number(port)), end_port: None }
}

/// `port` to `endPort`.
pub fn range(protocol: Protocol, port: u16, end: u16) -> PolicyPort {
    PolicyPort { protocol, port: Some(PortRef::Number(port)), end_port: Some(end) }
}

pub fn named(protocol: Protocol, name: &str) -> PolicyPort {
    PolicyPort { protocol, port: Some(PortRef::Name(name.into())), end_port: None }
}

/// Every port of `protocol`.
pub fn any_port(protocol: Protocol) -> PolicyPort {
    PolicyPort { protocol, port: None, end_port: None }
}

pub fn rule(peers: Vec<PolicyPeer>, ports: Vec<PolicyPort>) -> PolicyRule {
    PolicyRule { peers, ports, source: None }
}

pub fn policy(
    ns: &str,
    name: &str,
    s: LabelSelector,
    types: &[PolicyType],
    ingress: Vec<PolicyRule>,
    egress: Vec<PolicyRule>,
) -> NetworkPolicy {
    NetworkPolicy {
        name: name.into(),
        namespace: ns.into(),
        pod_selector: s,
        policy_types: types.to_vec(),
        ingress,
        egress,
        source: None,
    }
}
