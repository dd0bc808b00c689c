//! The reachability matrix of a whole cluster on one port ([`NetworkPolicies::reachability`]).

use std::fmt;
use std::net::Ipv4Addr;

use super::bitset::Bitset;
use super::decide::{Connection, Decision, Endpoint, NetworkPolicies};
use super::ports::{NamedPort, PortSet};
use super::selection::Selection;
use crate::scenario::{PolicyPort, PolicyType, PortRef, Protocol};

impl NetworkPolicies {
    /// The reachability matrix for one port and protocol: every pod and every address in
    /// `outside` as a source, every pod as a destination.
    ///
    /// Precomputes, without evaluating any selector per pair (see `Selection`): the pods
    /// each policy selects, the peers each rule admits and the destination pods on which
    /// each rule's ports admit `port`/`protocol` (a named port: the pods with that container
    /// port), then one bitset of admitted sources per ingress-isolated pod and one of
    /// admitted destinations per egress-isolated pod.
    pub fn reachability(&self, port: u16, protocol: Protocol, outside: &[Ipv4Addr]) -> Reachability {
        let n = self.pods.len();
        let universe = n + outside.len();
        let selection = Selection::new(self);
        // Destination pods on which a port list admits `port`/`protocol`.
        let port_set = |ports: &[PolicyPort]| -> Bitset {
            if PortSet::from_policy_ports(ports, &[]).contains(protocol, port) {
                return Bitset::full(n);
            }
            let mut out = Bitset::new(n);
            for pp in ports.iter().filter(|pp| pp.protocol == protocol) {
                if let Some(PortRef::Name(name)) = &pp.port {
                    let key = NamedPort { name: name.clone(), protocol, port };
                    if let Some(pods) = selection.with_named_port.get(&key) {
                        out.or_with(pods);
                    }
                }
            }
            out
        };
        let mut ingress: Vec<Option<Bitset>> = vec![None; n];
        let mut egress: Vec<Option<Bitset>> = vec![None; n];
        for policy in &self.policies {
            let selected = selection.selected(policy, PolicyType::Ingress);
            for j in selected.ones() {
                ingress[j].get_or_insert_with(|| Bitset::new(universe));
            }
            for rule in policy.ingress.iter().filter(|_| !selected.is_empty()) {
                let mut targets = selected.clone();
                targets.and_with(&port_set(&rule.ports));
                if targets.is_empty() {
                    continue;
                }
                let peers = selection.peers(policy, &rule.peers, outside);
                for j in targets.ones() {
                    if let Some(set) = ingress[j].as_mut() {
                        set.or_with(&peers);
                    }
                }
            }
            let selected = selection.selected(policy, PolicyType::Egress);
            for i in selected.ones() {
                egress[i].get_or_insert_with(|| Bitset::new(n));
            }
            for rule in policy.egress.iter().filter(|_| !selected.is_empty()) {
                let mut dsts = selection.peers(policy, &rule.peers, outside).truncated(n);
                dsts.and_with(&port_set(&rule.ports));
                if dsts.is_empty() {
                    continue;
                }
                for i in selected.ones() {
                    if let Some(set) = egress[i].as_mut() {
                        set.or_with(&dsts);
                    }
                }
            }
        }
        let mut rows = Vec::with_capacity(universe);
        for s in 0..universe {
            let mut row = match egress.get(s).and_then(Option::as_ref) {
                Some(set) => set.clone(),
                None => Bitset::full(n),
            };
            for (j, admitted) in ingress.iter().enumerate() {
                if let Some(admitted) = admitted {
                    if row.get(j) && !admitted.get(s) {
                        row.clear(j);
                    }
                }
            }
            if self.options.pod_to_itself_always_allowed && s < n {
                row.set(s);
            }
            // A pod without an address takes part in no connection.
            if s < n && self.pods[s].ip.is_none() {
                row = Bitset::new(n);
            }
            for j in (0..n).filter(|&j| self.pods[j].ip.is_none()) {
                row.clear(j);
            }
            // With cluster-wide tiers (`super::tiers`), each pair is decided as one
            // connection: the matrix is small, and the tiers' order is the connection's.
            if !self.cluster.is_empty() {
                let src = if s < n { Endpoint::Pod(s) } else { Endpoint::Outside(outside[s - n]) };
                row = Bitset::new(n);
                for j in 0..n {
                    if self.allows(&Connection { src, dst: Endpoint::Pod(j), port, protocol }) {
                        row.set(j);
                    }
                }
            }
            rows.push(row);
        }
        let sources =
            (0..n).map(Endpoint::Pod).chain(outside.iter().map(|&ip| Endpoint::Outside(ip))).collect();
        let names = self.pods.iter().map(|p| format!("{}/{}", p.namespace, p.name)).collect();
        Reachability { port, protocol, sources, pod_names: names, rows }
    }
}

/// Who reaches which pod on one port and protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reachability {
    pub port: u16,
    pub protocol: Protocol,
    /// Row order: every pod, then the outside addresses.
    pub sources: Vec<Endpoint>,
    /// Column labels: `namespace/name` of every pod.
    pub pod_names: Vec<String>,
    rows: Vec<Bitset>,
}

impl Reachability {
    /// Whether source row `src` reaches destination pod `dst`; `false` when out of range.
    pub fn allowed(&self, src: usize, dst: usize) -> bool {
        self.rows.get(src).is_some_and(|r| dst < r.len() && r.get(dst))
    }

    pub fn allowed_count(&self) -> usize {
        self.rows.iter().map(Bitset::count).sum()
    }

    pub fn denied_count(&self) -> usize {
        self.rows.len() * self.pod_names.len() - self.allowed_count()
    }

    /// The explained decision behind one cell, recomputed on demand.
    pub fn decision(&self, policies: &NetworkPolicies, src: usize, dst: usize) -> Option<Decision> {
        let src = *self.sources.get(src)?;
        (dst < self.pod_names.len()).then(|| {
            policies.decide(&Connection {
                src,
                dst: Endpoint::Pod(dst),
                port: self.port,
                protocol: self.protocol,
            })
        })
    }

    fn source_name(&self, s: usize) -> String {
        match self.sources[s] {
            Endpoint::Pod(i) => self.pod_names.get(i).cloned().unwrap_or_default(),
            Endpoint::Outside(ip) => ip.to_string(),
        }
    }

    /// `src -> dst` for every allowed cell, row by row.
    pub fn allowed_pairs(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (s, row) in self.rows.iter().enumerate() {
            for d in row.ones() {
                out.push((self.source_name(s), self.pod_names[d].clone()));
            }
        }
        out
    }
}

/// A grid as the upstream e2e tests print it: `.` allowed, `X` denied; rows are sources.
impl fmt::Display for Reachability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = (0..self.sources.len()).map(|s| self.source_name(s)).collect();
        let width = names.iter().map(String::len).max().unwrap_or(0);
        writeln!(f, "{} {}", self.protocol, self.port)?;
        let mut header = " ".repeat(width);
        for d in &self.pod_names {
            header.push(' ');
            header.push_str(d);
        }
        writeln!(f, "{}", header.trim_end())?;
        for (s, name) in names.iter().enumerate() {
            let mut line = format!("{name:width$}");
            for (d, col) in self.pod_names.iter().enumerate() {
                let mark = if self.allowed(s, d) { "." } else { "X" };
                line.push_str(&format!(" {mark:<w$}", w = col.len()));
            }
            writeln!(f, "{}", line.trim_end())?;
        }
        Ok(())
    }
}
