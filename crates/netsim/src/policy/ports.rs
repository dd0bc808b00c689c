//! Ports as NetworkPolicy rules name them: sets of port ranges per protocol, named ports.

use std::fmt;

use crate::scenario::{ClusterPort, PolicyPort, PortRef, Protocol};

/// The three protocols NetworkPolicy knows, in the order port sets print them.
pub const PROTOCOLS: [Protocol; 3] = [Protocol::Tcp, Protocol::Udp, Protocol::Sctp];

/// The lowest and highest port: "port 0 is not a port".
const FIRST_PORT: u16 = 1;
const LAST_PORT: u16 = u16::MAX;

/// A set of ports of one protocol: sorted, disjoint, non-adjacent inclusive ranges within
/// `1..=65535`, so that equal sets are equal values and print alike.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PortRanges {
    ranges: Vec<(u16, u16)>,
}

impl PortRanges {
    /// No port.
    pub fn none() -> PortRanges {
        PortRanges::default()
    }

    /// Every port, `1-65535`.
    pub fn all() -> PortRanges {
        PortRanges { ranges: vec![(FIRST_PORT, LAST_PORT)] }
    }

    /// `first..=last` clipped to `1..=65535`; empty when `last < first` (an `endPort` below
    /// `port` admits nothing, see [`crate::policy`]).
    pub fn range(first: u16, last: u16) -> PortRanges {
        let first = first.max(FIRST_PORT);
        if last < first {
            return PortRanges::none();
        }
        PortRanges { ranges: vec![(first, last)] }
    }

    /// One port (none for port 0).
    pub fn port(port: u16) -> PortRanges {
        PortRanges::range(port, port)
    }

    /// The inclusive ranges, ascending.
    pub fn ranges(&self) -> &[(u16, u16)] {
        &self.ranges
    }

    pub fn contains(&self, port: u16) -> bool {
        let after = self.ranges.partition_point(|&(first, _)| first <= port);
        after > 0 && port <= self.ranges[after - 1].1
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    pub fn is_all(&self) -> bool {
        self.ranges == [(FIRST_PORT, LAST_PORT)]
    }

    /// How many ports the set holds.
    pub fn count(&self) -> u32 {
        self.ranges.iter().map(|&(a, b)| u32::from(b) - u32::from(a) + 1).sum()
    }

    pub fn union(&self, other: &PortRanges) -> PortRanges {
        let mut all: Vec<(u16, u16)> = Vec::with_capacity(self.ranges.len() + other.ranges.len());
        let (mut a, mut b) = (self.ranges.iter().peekable(), other.ranges.iter().peekable());
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x.0 <= y.0 => a.next(),
                (Some(_), Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (None, None) => break,
            };
            let Some(&(first, last)) = next else { break };
            match all.last_mut() {
                // Overlapping or adjacent: one range.
                Some(prev) if u32::from(first) <= u32::from(prev.1) + 1 => prev.1 = prev.1.max(last),
                _ => all.push((first, last)),
            }
        }
        PortRanges { ranges: all }
    }

    pub fn intersection(&self, other: &PortRanges) -> PortRanges {
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while let (Some(&(a1, a2)), Some(&(b1, b2))) = (self.ranges.get(i), other.ranges.get(j)) {
            let (first, last) = (a1.max(b1), a2.min(b2));
            if first <= last {
                out.push((first, last));
            }
            if a2 < b2 {
                i += 1;
            } else {
                j += 1;
            }
        }
        PortRanges { ranges: out }
    }

    /// The ports of `1..=65535` not in the set.
    pub fn complement(&self) -> PortRanges {
        let mut out = Vec::new();
        let mut next = u32::from(FIRST_PORT);
        for &(first, last) in &self.ranges {
            if u32::from(first) > next {
                out.push((next as u16, first - 1));
            }
            next = u32::from(last) + 1;
        }
        if next <= u32::from(LAST_PORT) {
            out.push((next as u16, LAST_PORT));
        }
        PortRanges { ranges: out }
    }
}

/// `5000-7767,9200`; `none` when empty.
impl fmt::Display for PortRanges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ranges.is_empty() {
            return f.write_str("none");
        }
        for (k, &(first, last)) in self.ranges.iter().enumerate() {
            if k > 0 {
                f.write_str(",")?;
            }
            if first == last {
                write!(f, "{first}")?;
            } else {
                write!(f, "{first}-{last}")?;
            }
        }
        Ok(())
    }
}

/// A named container port of a destination pod, which a policy's named port resolves to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NamedPort {
    pub name: String,
    pub protocol: Protocol,
    pub port: u16,
}

/// The ports a connection may use, per protocol (TCP, UDP, SCTP).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct PortSet {
    by_protocol: [PortRanges; 3],
}

fn slot(protocol: Protocol) -> usize {
    match protocol {
        Protocol::Tcp => 0,
        Protocol::Udp => 1,
        Protocol::Sctp => 2,
    }
}

impl PortSet {
    /// Nothing allowed.
    pub fn none() -> PortSet {
        PortSet::default()
    }

    /// Every port of every protocol.
    pub fn all() -> PortSet {
        PortSet { by_protocol: [PortRanges::all(), PortRanges::all(), PortRanges::all()] }
    }

    /// `ports` of one protocol.
    pub fn of(protocol: Protocol, ports: PortRanges) -> PortSet {
        let mut set = PortSet::none();
        set.by_protocol[slot(protocol)] = ports;
        set
    }

    /// The ports of one protocol.
    pub fn get(&self, protocol: Protocol) -> &PortRanges {
        &self.by_protocol[slot(protocol)]
    }

    pub fn contains(&self, protocol: Protocol, port: u16) -> bool {
        self.get(protocol).contains(port)
    }

    pub fn is_empty(&self) -> bool {
        self.by_protocol.iter().all(PortRanges::is_empty)
    }

    pub fn is_all(&self) -> bool {
        self.by_protocol.iter().all(PortRanges::is_all)
    }

    pub fn union(&self, other: &PortSet) -> PortSet {
        PortSet { by_protocol: std::array::from_fn(|k| self.by_protocol[k].union(&other.by_protocol[k])) }
    }

    pub fn intersection(&self, other: &PortSet) -> PortSet {
        PortSet {
            by_protocol: std::array::from_fn(|k| self.by_protocol[k].intersection(&other.by_protocol[k])),
        }
    }

    /// The ports of `self` not in `other`.
    pub fn difference(&self, other: &PortSet) -> PortSet {
        PortSet {
            by_protocol: std::array::from_fn(|k| {
                self.by_protocol[k].intersection(&other.by_protocol[k].complement())
            }),
        }
    }

    /// The ports a cluster-wide rule's `protocols` (`ports` in v1alpha1) admit towards a
    /// destination whose named container ports are `named`: `None` is every port ("If
    /// unspecified, protocol-specific attributes will not be used to match traffic",
    /// ClusterNetworkPolicyIngressRule); a named port is the destination's container ports of
    /// that name, whatever their protocol (`destinationNamedPort`: "selects a destination port
    /// on a pod based on the ContainerPort name").
    pub fn from_cluster_ports(ports: Option<&[ClusterPort]>, named: &[NamedPort]) -> PortSet {
        let Some(ports) = ports else { return PortSet::all() };
        let mut set = PortSet::none();
        for p in ports {
            match p {
                ClusterPort::Range { protocol, first, last } => {
                    let k = slot(*protocol);
                    set.by_protocol[k] = set.by_protocol[k].union(&PortRanges::range(*first, *last));
                }
                ClusterPort::Named(name) => {
                    for np in named.iter().filter(|np| np.name == *name) {
                        let k = slot(np.protocol);
                        set.by_protocol[k] = set.by_protocol[k].union(&PortRanges::port(np.port));
                    }
                }
            }
        }
        set
    }

    /// The ports a rule's `ports` list admits towards a destination whose named container
    /// ports are `named` (empty for an outside address or a host-network pod).
    ///
    /// From the API reference (NetworkPolicyIngressRule, NetworkPolicyPort) and the docs
    /// ("Targeting a range of ports"): an empty list "matches all ports (traffic not
    /// restricted by port)"; `protocol` defaults to TCP (done when reading); without `port`
    /// "this matches all port names and numbers" of the protocol; `endPort` "indicates that
    /// the range of ports from port to endPort if set, inclusive, should be allowed" and
    /// "cannot be defined if the port field is ... a named (string) port" (ignored there, as
    /// the engine does); a named port is "a numerical or named port on a pod": the
    /// destination pod's container ports of that name and protocol.
    pub fn from_policy_ports(ports: &[PolicyPort], named: &[NamedPort]) -> PortSet {
        if ports.is_empty() {
            return PortSet::all();
        }
        let mut set = PortSet::none();
        for pp in ports {
            let k = slot(pp.protocol);
            let admitted = match &pp.port {
                None => PortRanges::all(),
                Some(PortRef::Number(first)) => PortRanges::range(*first, pp.end_port.unwrap_or(*first)),
                Some(PortRef::Name(name)) => named
                    .iter()
                    .filter(|np| np.protocol == pp.protocol && np.name == *name)
                    .fold(PortRanges::none(), |acc, np| acc.union(&PortRanges::port(np.port))),
            };
            set.by_protocol[k] = set.by_protocol[k].union(&admitted);
        }
        set
    }
}

/// Whether a port list names a port, so that what it admits depends on the destination.
pub(crate) fn names_a_port(ports: &[PolicyPort]) -> bool {
    ports.iter().any(|pp| matches!(pp.port, Some(PortRef::Name(_))))
}

/// `all`, `none`, or the non-empty protocols as `TCP 5000-7767,9200; UDP 53`.
impl fmt::Display for PortSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_all() {
            return f.write_str("all");
        }
        if self.is_empty() {
            return f.write_str("none");
        }
        let mut first = true;
        for protocol in PROTOCOLS {
            let ports = self.get(protocol);
            if ports.is_empty() {
                continue;
            }
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            write!(f, "{protocol} {ports}")?;
        }
        Ok(())
    }
}
