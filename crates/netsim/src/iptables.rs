//! kube-proxy's rules (iptables mode) for one node, as data, and their `iptables-save` text.
//! Chain names are kube-proxy's own: `KUBE-SVC-` + the first 16 base32 characters of
//! SHA-256 over the service port name and protocol (so kube-dns's chain is the familiar
//! `KUBE-SVC-TCOU7JCQXEZGVUNU`); `KUBE-SEP-` adds the endpoint.
//! https://kubernetes.io/docs/reference/networking/virtual-ips/#proxy-mode-iptables
//! The rules follow kube-proxy's `syncProxyRules`:
//! https://github.com/kubernetes/kubernetes/blob/master/pkg/proxy/iptables/proxier.go

use std::fmt;

use crate::build::Cluster;
use crate::hash::chain_hash;
use crate::kube_proxy::iptables_probability;
use crate::kube_proxy::PortPlan;

/// What `iptables-save` prints: the `filter` and `nat` tables kube-proxy writes to.
#[derive(Clone, Debug, PartialEq)]
pub struct Ruleset {
    pub tables: Vec<Table>,
}

/// One table: its chains (built-in ones with their policy first) and its rules in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub name: &'static str,
    pub chains: Vec<Chain>,
    pub rules: Vec<Rule>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Chain {
    pub name: String,
    /// `ACCEPT` for a built-in chain; `None` for a user chain (`-`).
    pub policy: Option<&'static str>,
}

/// Where a connection to a Service port enters kube-proxy's nat rules ([`Ruleset::path`]),
/// with the port it is matched on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// The cluster IP, at the Service port.
    ClusterIp(u16),
    /// The load balancer IP, at the Service port.
    LoadBalancer(u16),
    /// A node's address, at the nodePort.
    NodePort(u16),
}

/// The name kube-proxy gives a Service port's chain of kind `prefix` (`KUBE-SVL`, `KUBE-EXT`,
/// ...): the prefix and 16 base32 characters of SHA-256 over the port's name and protocol.
pub fn chain_name(prefix: &str, port_name: &str, protocol: crate::scenario::Protocol) -> String {
    svc_chain(prefix, port_name, &protocol.as_str().to_ascii_lowercase())
}

/// `-A chain <matches> -j target`.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub chain: String,
    pub matches: Vec<Match>,
    pub target: Target,
}

/// One match of a rule, in the order iptables-save prints them.
#[derive(Clone, Debug, PartialEq)]
pub enum Match {
    /// `-s cidr`, or `! -s cidr`.
    Source { cidr: String, negated: bool },
    /// `-d cidr`.
    Destination(String),
    /// `-p tcp`.
    Protocol(String),
    /// `-m comment --comment "text"`.
    Comment(String),
    /// `-m tcp` with `--dport port` when there is one.
    Port { protocol: String, dport: Option<u16> },
    /// `-m addrtype --dst-type LOCAL` (or `--src-type` when `source`).
    LocalAddress { source: bool },
    /// `-m statistic --mode random --probability 1/one_in`.
    Random { one_in: usize },
    /// `-m recent --name chain ... --rcheck --seconds s --reap`: the client was sent to
    /// `chain` in the last `seconds`.
    RecentCheck { name: String, seconds: u32 },
    /// `-m recent --set --name chain ...`: remember the client for `chain`.
    RecentSet { name: String },
    /// `-m conntrack --ctstate NEW`.
    NewConnection,
    /// `-m mark ! --mark 0x4000/0x4000`: packets not marked for masquerade.
    NotMarkedMasq,
}

/// Where a rule sends the packets it matches.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// `-j CHAIN`.
    Jump(String),
    /// `-j DNAT --to-destination ip:port`.
    Dnat(String),
    /// `-j REJECT --reject-with icmp-port-unreachable`.
    Reject,
    Drop,
    Return,
    /// `-j MASQUERADE --random-fully`.
    Masquerade,
    /// `-j MARK --set-xmark value`.
    SetMark(&'static str),
    /// No target: a rule that only counts (and comments), then the next rule applies.
    Continue,
}

impl Ruleset {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The chains a new connection to a Service port (`ns/name:port`) passes in the nat table
    /// from where it enters, `entry`, down to the chain of endpoints it ends in (KUBE-SVC, or
    /// KUBE-SVL for a Local traffic policy): KUBE-SERVICES' rule for the cluster IP or the load
    /// balancer IP, or KUBE-NODEPORTS' rule for the nodePort, then KUBE-FW (a client inside
    /// loadBalancerSourceRanges goes on) and KUBE-EXT, whose rules for pod and node traffic
    /// are skipped (the client is outside). Empty when no rule takes it; it ends at KUBE-EXT
    /// when no rule there takes traffic from outside (Local, and no endpoint on this node).
    pub fn path(&self, port_name: &str, entry: Entry) -> Vec<&str> {
        let Some(nat) = self.table("nat") else { return Vec::new() };
        let (chain, text, port) = match entry {
            Entry::ClusterIp(p) => ("KUBE-SERVICES", format!("{port_name} cluster IP"), p),
            Entry::LoadBalancer(p) => ("KUBE-SERVICES", format!("{port_name} loadbalancer IP"), p),
            Entry::NodePort(p) => ("KUBE-NODEPORTS", port_name.to_string(), p),
        };
        let first =
            nat.rules_of(chain).find(|r| r.comment() == Some(text.as_str()) && r.dport() == Some(port));
        let mut path: Vec<&str> = first.and_then(Rule::jump).into_iter().collect();
        while let Some(&last) = path.last() {
            let next = nat.rules_of(last).filter_map(|r| Some((r, r.jump()?))).find(|(r, to)| {
                if last.starts_with("KUBE-FW-") {
                    to.starts_with("KUBE-EXT-")
                } else {
                    last.starts_with("KUBE-EXT-")
                        && !to.starts_with("KUBE-MARK-")
                        && r.matches.iter().all(|m| matches!(m, Match::Comment(_)))
                }
            });
            match next {
                Some((_, to)) if path.len() < 4 => path.push(to),
                _ => break,
            }
        }
        path
    }

    /// The distinct `KUBE-SEP-` endpoint chains `chain` (nat) jumps to, in name order.
    pub fn endpoint_chains<'a>(&'a self, chain: &str) -> Vec<&'a str> {
        let mut seps: Vec<&str> = self
            .table("nat")
            .into_iter()
            .flat_map(|t| t.rules.iter().filter(|r| r.chain == chain))
            .filter_map(Rule::jump)
            .filter(|t| t.starts_with("KUBE-SEP-"))
            .collect();
        sorted::sort(&mut seps);
        seps.dedup();
        seps
    }

    /// The lines of the `iptables-save` text that name `chain`: its declaration, its rules
    /// and the rules that jump to it.
    pub fn lines_naming(&self, chain: &str) -> Vec<String> {
        self.to_string().lines().filter(|l| l.contains(chain)).map(str::to_string).collect()
    }
}

impl Table {
    /// The rules appended to `chain`, in order.
    pub fn rules_of<'a>(&'a self, chain: &'a str) -> impl Iterator<Item = &'a Rule> + 'a {
        self.rules.iter().filter(move |r| r.chain == chain)
    }
}

impl Rule {
    fn new(chain: &str, matches: Vec<Match>, target: Target) -> Rule {
        Rule { chain: chain.to_string(), matches, target }
    }

    /// The chain this rule jumps to, if its target is a chain.
    pub fn jump(&self) -> Option<&str> {
        match &self.target {
            Target::Jump(c) => Some(c),
            _ => None,
        }
    }

    pub fn comment(&self) -> Option<&str> {
        self.matches.iter().find_map(|m| match m {
            Match::Comment(c) => Some(c.as_str()),
            _ => None,
        })
    }

    pub fn dport(&self) -> Option<u16> {
        self.matches.iter().find_map(|m| match m {
            Match::Port { dport, .. } => *dport,
            _ => None,
        })
    }

    /// The probability of the `statistic` match (1 without one).
    pub fn probability(&self) -> f64 {
        self.matches
            .iter()
            .find_map(|m| match m {
                Match::Random { one_in } => Some(1.0 / (*one_in).max(1) as f64),
                _ => None,
            })
            .unwrap_or(1.0)
    }
}

impl fmt::Display for Match {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Match::Source { cidr, negated: false } => write!(f, "-s {cidr}"),
            Match::Source { cidr, negated: true } => write!(f, "! -s {cidr}"),
            Match::Destination(cidr) => write!(f, "-d {cidr}"),
            Match::Protocol(p) => write!(f, "-p {p}"),
            Match::Comment(c) => write!(f, "-m comment --comment \"{c}\""),
            Match::Port { protocol, dport: Some(port) } => write!(f, "-m {protocol} --dport {port}"),
            Match::Port { protocol, dport: None } => write!(f, "-m {protocol}"),
            Match::LocalAddress { source: false } => write!(f, "-m addrtype --dst-type LOCAL"),
            Match::LocalAddress { source: true } => write!(f, "-m addrtype --src-type LOCAL"),
            Match::Random { one_in } => {
                write!(f, "-m statistic --mode random --probability {}", iptables_probability(*one_in))
            }
            Match::RecentCheck { name, seconds } => write!(
                f,
                "-m recent --name {name} --mask 255.255.255.255 --rsource --rcheck --seconds {seconds} --reap"
            ),
            Match::RecentSet { name } => {
                write!(f, "-m recent --set --name {name} --mask 255.255.255.255 --rsource")
            }
            Match::NewConnection => write!(f, "-m conntrack --ctstate NEW"),
            Match::NotMarkedMasq => write!(f, "-m mark ! --mark 0x4000/0x4000"),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Jump(c) => write!(f, "-j {c}"),
            Target::Dnat(to) => write!(f, "-j DNAT --to-destination {to}"),
            Target::Reject => write!(f, "-j REJECT --reject-with icmp-port-unreachable"),
            Target::Drop => write!(f, "-j DROP"),
            Target::Return => write!(f, "-j RETURN"),
            Target::Masquerade => write!(f, "-j MASQUERADE --random-fully"),
            Target::SetMark(m) => write!(f, "-j MARK --set-xmark {m}"),
            Target::Continue => Ok(()),
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "-A {}", self.chain)?;
        for m in &self.matches {
            write!(f, " {m}")?;
        }
        match self.target {
            Target::Continue => Ok(()),
            _ => write!(f, " {}", self.target),
        }
    }
}

impl fmt::Display for Ruleset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "# Generated by iptables-save v1.8.9")?;
        for t in &self.tables {
            writeln!(f, "*{}", t.name)?;
            for c in &t.chains {
                writeln!(f, ":{} {} [0:0]", c.name, c.policy.unwrap_or("-"))?;
            }
            for r in &t.rules {
                writeln!(f, "{r}")?;
            }
            writeln!(f, "COMMIT")?;
        }
        Ok(())
    }
}

fn svc_chain(prefix: &str, port_name: &str, proto: &str) -> String {
    format!("{prefix}-{}", chain_hash(&format!("{port_name}{proto}")))
}

/// The `KUBE-SEP-` chain of endpoint `e` of a Service port.
pub(crate) fn sep_chain(port_name: &str, proto: &str, e: &crate::build::ServiceEndpoint) -> String {
    svc_chain("KUBE-SEP", port_name, &format!("{proto}{}:{}", e.ip, e.port))
}

fn built_in(names: &[&str]) -> Vec<Chain> {
    names.iter().map(|n| Chain { name: n.to_string(), policy: Some("ACCEPT") }).collect()
}

fn comment(text: impl Into<String>) -> Match {
    Match::Comment(text.into())
}

fn jump(chain: &str) -> Target {
    Target::Jump(chain.to_string())
}

/// The rules being gathered, by where they go in the listing.
#[derive(Default)]
struct Gathered {
    /// The nat table's user chains.
    chains: Vec<String>,
    /// `KUBE-SERVICES` rules (nat).
    services: Vec<Rule>,
    /// `KUBE-NODEPORTS` rules (nat).
    nodeports: Vec<Rule>,
    /// The per-Service chains' rules (nat).
    other: Vec<Rule>,
    /// The filter table's `KUBE-SERVICES` and `KUBE-EXTERNAL-SERVICES` rules.
    filter: Vec<Rule>,
}

/// The signature of the code that writes a node's rules, for [`RULES`].
pub type WriteFn = fn(&Cluster, &str) -> Option<Ruleset>;

static WRITE: WriteFn = Cluster::write_rules;

/// Where the writing of kube-proxy's iptables rules plugs in: always there without
/// `gateway-later`; in the browser's build a module of its own, fetched with the terminal or
/// for an exercise with a `kube_proxy` check ([`install`]).
pub static RULES: crate::socket::Socket<WriteFn> = crate::socket::Socket::new();

/// Makes kube-proxy's iptables rules written from now on (with `gateway-later`; nothing to
/// do otherwise).
pub fn install() {
    RULES.plug(&WRITE);
}

/// Whether the rules' code is there ([`install`]).
pub fn rules_installed() -> bool {
    RULES.get(|| Some(&WRITE)).is_some()
}

impl Cluster {
    /// `iptables-save` on `node`, restricted to what kube-proxy writes.
    pub fn iptables_save(&self, node: &str) -> Option<String> {
        Some(self.kube_proxy_rules(node)?.to_string())
    }

    /// The rules kube-proxy writes on `node` (`None`: no such node, or in the browser, the
    /// rules' code not fetched yet: [`rules_installed`]).
    pub fn kube_proxy_rules(&self, node: &str) -> Option<Ruleset> {
        RULES.get(|| Some(&WRITE))?(self, node)
    }

    /// [`Cluster::kube_proxy_rules`], written.
    fn write_rules(&self, node: &str) -> Option<Ruleset> {
        let node = self.node(node)?;
        let mut g = Gathered {
            chains: ["KUBE-MARK-MASQ", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-SERVICES"]
                .map(String::from)
                .to_vec(),
            ..Gathered::default()
        };
        for plan in self.port_plans(&node.name) {
            self.service_port_rules(&plan, &node.name, &mut g);
        }
        sorted::sort(&mut g.chains);
        g.chains.dedup();
        Some(assemble(g))
    }

    /// The rules for one Service port on node `node`, as `syncProxyRules` writes them: the
    /// cluster IP jumps to the internal policy chain (KUBE-SVC, or KUBE-SVL under
    /// `internalTrafficPolicy: Local`); KUBE-SVC holds the Cluster policy's endpoints and is
    /// written when some traffic uses them, KUBE-SVL this node's endpoints when some traffic
    /// policy is Local and the node has one (`UsesClusterEndpoints`, `UsesLocalEndpoints`).
    fn service_port_rules(&self, p: &PortPlan, node: &str, g: &mut Gathered) {
        let (port_name, proto) = (&p.port_name, &p.proto);
        let svc = svc_chain("KUBE-SVC", port_name, proto);
        let svl = svc_chain("KUBE-SVL", port_name, proto);
        let dport = |port: u16| Match::Port { protocol: proto.clone(), dport: Some(port) };
        let cluster_ip = format!("{port_name} cluster IP");
        let proto_match = Match::Protocol(proto.clone());
        let to_cip = |text: &str| {
            vec![
                Match::Destination(format!("{}/32", p.cluster_ip)),
                proto_match.clone(),
                comment(text),
                dport(p.port),
            ]
        };
        if !p.any {
            let no_endpoints = format!("{port_name} has no endpoints");
            g.filter.push(Rule::new("KUBE-SERVICES", to_cip(&no_endpoints), Target::Reject));
            external_filter(p, no_endpoints, Target::Reject, g);
            return;
        }
        let internal = if p.internal_local { &svl } else { &svc };
        if p.internal_local && p.local.is_empty() {
            let text = format!("{port_name} has no local endpoints");
            g.filter.push(Rule::new("KUBE-SERVICES", to_cip(&text), Target::Drop));
        } else {
            g.services.push(Rule::new("KUBE-SERVICES", to_cip(&cluster_ip), jump(internal)));
            let mut matches = to_cip(&cluster_ip);
            matches.insert(0, Match::Source { cidr: self.topology.pod_cidr.to_string(), negated: true });
            g.other.push(Rule::new(internal, matches, jump("KUBE-MARK-MASQ")));
        }
        let sep_of = |e: &crate::build::ServiceEndpoint| sep_chain(port_name, proto, e);
        for (chain, endpoints, used) in
            [(&svc, &p.cluster, p.uses_cluster()), (&svl, &p.local, p.uses_local())]
        {
            if !used || endpoints.is_empty() {
                continue;
            }
            g.chains.push(chain.clone());
            if let Some(seconds) = p.affinity {
                for e in endpoints {
                    g.other.push(Rule::new(
                        chain,
                        vec![
                            comment(format!("{port_name} -> {}:{}", e.ip, e.port)),
                            Match::RecentCheck { name: sep_of(e), seconds },
                        ],
                        jump(&sep_of(e)),
                    ));
                }
            }
            let targets: Vec<(String, String)> =
                endpoints.iter().map(|e| (format!("{}:{}", e.ip, e.port), sep_of(e))).collect();
            spread(chain, port_name, &targets, &mut g.other);
        }
        for e in p.reachable() {
            let sep = sep_of(e);
            g.chains.push(sep.clone());
            g.other.push(Rule::new(
                &sep,
                vec![Match::Source { cidr: format!("{}/32", e.ip), negated: false }, comment(port_name)],
                jump("KUBE-MARK-MASQ"),
            ));
            let mut matches = vec![proto_match.clone(), comment(port_name)];
            if p.affinity.is_some() {
                matches.push(Match::RecentSet { name: sep.clone() });
            }
            matches.push(Match::Port { protocol: proto.clone(), dport: None });
            g.other.push(Rule::new(&sep, matches, Target::Dnat(format!("{}:{}", e.ip, e.port))));
        }
        if p.service.has_node_ports() {
            self.external_rules(p, node, g);
        }
    }

    /// The rules for the external destinations of a Service port (NodePorts and the load
    /// balancer address), which has endpoints.
    fn external_rules(&self, p: &PortPlan, node: &str, g: &mut Gathered) {
        let (port_name, proto) = (&p.port_name, &p.proto);
        let svc = svc_chain("KUBE-SVC", port_name, proto);
        let ext = svc_chain("KUBE-EXT", port_name, proto);
        let fw = svc_chain("KUBE-FW", port_name, proto);
        let svl = svc_chain("KUBE-SVL", port_name, proto);
        let dport = |port: u16| Match::Port { protocol: proto.clone(), dport: Some(port) };
        let proto_match = Match::Protocol(proto.clone());
        g.chains.push(ext.clone());
        if let Some(lb) = p.load_balancer {
            let ranges = &p.service.spec.load_balancer_source_ranges;
            let lb_comment = format!("{port_name} loadbalancer IP");
            g.services.push(Rule::new(
                "KUBE-SERVICES",
                vec![
                    Match::Destination(format!("{lb}/32")),
                    proto_match.clone(),
                    comment(&lb_comment),
                    dport(p.port),
                ],
                jump(if ranges.is_empty() { &ext } else { &fw }),
            ));
            if !ranges.is_empty() {
                g.chains.push(fw.clone());
                let from = |cidr: String| {
                    Rule::new(
                        &fw,
                        vec![Match::Source { cidr, negated: false }, comment(&lb_comment)],
                        jump(&ext),
                    )
                };
                g.other.extend(ranges.iter().map(|r| from(r.to_string())));
                // A request from this node to a load balancer IP held as a local address comes
                // back with that IP as its source: let it through when a range holds the node.
                if self.node(node).is_some_and(|n| ranges.iter().any(|r| r.contains(n.ip))) {
                    g.other.push(from(format!("{lb}/32")));
                }
                // What no range let through is not DNATed, so the filter table's
                // KUBE-PROXY-FIREWALL drops it at the load balancer IP.
                let other = format!("other traffic to {port_name} will be dropped by KUBE-PROXY-FIREWALL");
                g.other.push(Rule::new(&fw, vec![comment(other)], Target::Continue));
                g.filter.push(Rule::new(
                    "KUBE-PROXY-FIREWALL",
                    vec![
                        Match::Destination(format!("{lb}/32")),
                        proto_match.clone(),
                        comment(format!("{port_name} traffic not accepted by {fw}")),
                        dport(p.port),
                    ],
                    Target::Drop,
                ));
            }
        }
        if let Some(np) = p.node_port {
            g.nodeports.push(Rule::new(
                "KUBE-NODEPORTS",
                vec![proto_match.clone(), comment(port_name), dport(np)],
                jump(&ext),
            ));
        }
        if !p.external_local {
            g.other.push(Rule::new(
                &ext,
                vec![comment(format!("masquerade traffic for {port_name} external destinations"))],
                jump("KUBE-MARK-MASQ"),
            ));
            g.other.push(Rule::new(&ext, vec![], jump(&svc)));
            return;
        }
        let cluster_cidr = self.topology.pod_cidr.to_string();
        g.other.push(Rule::new(
            &ext,
            vec![
                Match::Source { cidr: cluster_cidr, negated: false },
                comment(format!("pod traffic for {port_name} external destinations")),
            ],
            jump(&svc),
        ));
        for (what, target) in [("masquerade", "KUBE-MARK-MASQ"), ("route", svc.as_str())] {
            g.other.push(Rule::new(
                &ext,
                vec![
                    comment(format!("{what} LOCAL traffic for {port_name} external destinations")),
                    Match::LocalAddress { source: true },
                ],
                jump(target),
            ));
        }
        if !p.local.is_empty() {
            g.other.push(Rule::new(&ext, vec![], jump(&svl)));
        } else {
            // No endpoint for external traffic on this node: what the EXT chain did not take
            // (a pod's or the node's own traffic) is dropped at the load balancer IP and at
            // the nodePorts alike.
            external_filter(p, format!("{port_name} has no local endpoints"), Target::Drop, g);
        }
    }
}

/// The filter rules of a Service port for traffic that must not reach an endpoint from
/// outside, commented `text`: at the load balancer IP, then at the nodePort, in
/// KUBE-EXTERNAL-SERVICES (`Reject` when the Service has no endpoints, `Drop` when this node
/// has none for an external Local policy).
fn external_filter(p: &PortPlan, text: String, target: Target, g: &mut Gathered) {
    let dport = |port: u16| Match::Port { protocol: p.proto.clone(), dport: Some(port) };
    if let Some(lb) = p.load_balancer {
        let at_lb = vec![
            Match::Destination(format!("{lb}/32")),
            Match::Protocol(p.proto.clone()),
            comment(&text),
            dport(p.port),
        ];
        g.filter.push(Rule::new("KUBE-EXTERNAL-SERVICES", at_lb, target.clone()));
    }
    if let Some(np) = p.node_port {
        let at_node_port = vec![
            Match::Protocol(p.proto.clone()),
            comment(&text),
            Match::LocalAddress { source: false },
            dport(np),
        ];
        g.filter.push(Rule::new("KUBE-EXTERNAL-SERVICES", at_node_port, target));
    }
}

/// The rules of `chain` that spread connections evenly over `targets` (address, KUBE-SEP
/// chain): rule k of n matches with probability 1/(n-k), the last one always.
fn spread(chain: &str, port_name: &str, targets: &[(String, String)], out: &mut Vec<Rule>) {
    let n = targets.len();
    for (k, (address, sep)) in targets.iter().enumerate() {
        let mut matches = vec![comment(format!("{port_name} -> {address}"))];
        if k + 1 < n {
            matches.push(Match::Random { one_in: n - k });
        }
        out.push(Rule::new(chain, matches, jump(sep)));
    }
}

/// The two tables in iptables-save's order, with kube-proxy's fixed rules around the
/// gathered ones.
fn assemble(g: Gathered) -> Ruleset {
    let portals = |chain: &str, text: &str, to: &str, new: bool| {
        let mut matches = if new { vec![Match::NewConnection] } else { vec![] };
        matches.push(comment(text));
        Rule::new(chain, matches, jump(to))
    };
    let mut filter_chains = built_in(&["INPUT", "FORWARD", "OUTPUT"]);
    filter_chains.extend(
        ["KUBE-EXTERNAL-SERVICES", "KUBE-PROXY-FIREWALL", "KUBE-SERVICES"]
            .map(|n| Chain { name: n.into(), policy: None }),
    );
    // The jumps from the built-in chains (`iptablesJumpChains`), each put first in its chain
    // in turn, so the last one put comes first.
    let firewall = "kubernetes load balancer firewall";
    let mut filter_rules = vec![
        portals("INPUT", firewall, "KUBE-PROXY-FIREWALL", true),
        portals("INPUT", "kubernetes externally-visible service portals", "KUBE-EXTERNAL-SERVICES", true),
        portals("FORWARD", firewall, "KUBE-PROXY-FIREWALL", true),
        portals("FORWARD", "kubernetes service portals", "KUBE-SERVICES", true),
        portals("FORWARD", "kubernetes externally-visible service portals", "KUBE-EXTERNAL-SERVICES", true),
        portals("OUTPUT", firewall, "KUBE-PROXY-FIREWALL", true),
        portals("OUTPUT", "kubernetes service portals", "KUBE-SERVICES", true),
    ];
    // iptables-save lists a table's rules chain by chain, in the order the chains were made.
    let order = |r: &Rule| {
        ["KUBE-EXTERNAL-SERVICES", "KUBE-PROXY-FIREWALL", "KUBE-SERVICES"].iter().position(|c| *c == r.chain)
    };
    let mut gathered = g.filter;
    sorted::sort_by_key(&mut gathered, order);
    filter_rules.extend(gathered);

    let mut nat_chains = built_in(&["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"]);
    nat_chains.extend(g.chains.iter().map(|c| Chain { name: c.clone(), policy: None }));
    let mut nat = vec![
        portals("PREROUTING", "kubernetes service portals", "KUBE-SERVICES", false),
        portals("OUTPUT", "kubernetes service portals", "KUBE-SERVICES", false),
        portals("POSTROUTING", "kubernetes postrouting rules", "KUBE-POSTROUTING", false),
    ];
    nat.push(Rule::new("KUBE-MARK-MASQ", vec![], Target::SetMark("0x4000/0x4000")));
    nat.extend(g.nodeports);
    nat.push(Rule::new("KUBE-POSTROUTING", vec![Match::NotMarkedMasq], Target::Return));
    nat.push(Rule::new("KUBE-POSTROUTING", vec![], Target::SetMark("0x4000/0x0")));
    nat.push(Rule::new(
        "KUBE-POSTROUTING",
        vec![comment("kubernetes service traffic requiring SNAT")],
        Target::Masquerade,
    ));
    nat.extend(g.services);
    nat.push(Rule::new(
        "KUBE-SERVICES",
        vec![
            comment("kubernetes service nodeports; NOTE: this must be the last rule in this chain"),
            Match::LocalAddress { source: false },
        ],
        jump("KUBE-NODEPORTS"),
    ));
    nat.extend(g.other);
    Ruleset {
        tables: vec![
            Table { name: "filter", chains: filter_chains, rules: filter_rules },
            Table { name: "nat", chains: nat_chains, rules: nat },
        ],
    }
}
