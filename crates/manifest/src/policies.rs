//! Warnings about NetworkPolicies that need the built cluster (its pods, namespaces, Service
//! endpoints and the model's own policy evaluation, `netsim::policy`). The API server accepts
//! every one of these; each is a misconception a learner meets:
//!
//! - `policy-namespace-empty`: the policy's namespace has no pods, so it selects nothing (a
//!   policy only selects pods in its own namespace).
//! - `policy-selector-matches-nothing`: a non-empty `podSelector` (of the spec or of a peer)
//!   or `namespaceSelector` matches no pod or namespace. Empty selectors `{}` match everything
//!   and are never reported; of a peer with both, the part that matches nothing is.
//! - `policy-port-is-service-port`: a rule's port is a Service's `port` where the pods behind
//!   it declare another container port. Policies see the packet after kube-proxy's DNAT: the
//!   API reference defines `ports[].port` as "a numerical or named port on a pod".
//!   <https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/#NetworkPolicySpec>
//! - `egress-blocks-dns`: the policy has egress rules for pods whose egress is isolated, and no
//!   egress rule of any policy selecting them allows DNS (UDP and TCP 53) to the CoreDNS pods:
//!   an allow-list that forgot DNS. A pod that no policy allows any egress is cut off on
//!   purpose (a default deny, a database that opens no connection) and is not warned about.
//!   <https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic>
//!
//! - `cluster-policy-same-priority`: two cluster-wide policies of one tier share a priority
//!   and a pod: which applies first is left to the implementation ("the implementation can
//!   apply any of the matching policies to the connection, and there is no way for the user to
//!   reliably determine which one it will choose", ClusterNetworkPolicy's `priority` docs,
//!   network-policy-api v0.2.0); the model takes the one written first.
//!
//! Cost: per policy, one pass over the pods for each selector and each rule's peers, one over
//! the Services' endpoints for each numbered rule port, and two `decide` calls per pod whose
//! egress it isolates.

use netsim::policy::{describe_selector, Connection, Endpoint};
use netsim::{
    Cluster, ClusterPod, DnsPolicy, LabelSelector, NetworkPolicy, PolicyPeer, PolicyType, PortRef, Protocol,
};

use crate::validate::{diag, near_miss};
use crate::{Diagnostic, Severity};

/// Where a NetworkPolicy's fields are, for the checks against the built cluster
/// ([`crate::policies`]). Rules, peers and ports line up with the model's policy.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PolicySpans {
    pub file: String,
    /// `metadata.namespace` (or `metadata.name` when absent).
    pub namespace: (usize, usize),
    /// The `spec.podSelector` key (or `spec` when absent).
    pub pod_selector: (usize, usize),
    /// The `Egress` item of `spec.policyTypes`, else the `spec.egress` key, else `spec`.
    pub egress_type: (usize, usize),
    pub ingress: Vec<RuleSpans>,
    pub egress: Vec<RuleSpans>,
}

/// One rule's peers (`podSelector` and `namespaceSelector` keys) and ports (`port` values).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RuleSpans {
    pub peers: Vec<((usize, usize), (usize, usize))>,
    pub ports: Vec<(usize, usize)>,
}

/// The rule `egress-blocks-dns` suggests, as flow-style YAML (one line for every face).
const DNS_RULE: &str = "{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]}";

/// One policy with where its fields are.
struct Ctx<'a> {
    cluster: &'a Cluster,
    policy: &'a NetworkPolicy,
    spans: &'a PolicySpans,
}

impl Ctx<'_> {
    fn warn(
        &self,
        code: &'static str,
        span: (usize, usize),
        message: String,
        hints: Vec<String>,
    ) -> Diagnostic {
        diag(Severity::Warning, code, &self.spans.file, span, message, hints)
    }
}

/// Runs every check on every policy of `cluster` (whose policies line up with `spans`).
pub(crate) fn check(cluster: &Cluster, spans: &[PolicySpans], diags: &mut Vec<Diagnostic>) {
    if let Some(warn) = netsim::plugged!(CLUSTER_WARNINGS, &DIRECT_CLUSTER_WARNINGS) {
        warn(cluster, diags);
    }
    let mut reported = vec![false; cluster.pods.len()];
    for (index, (policy, spans)) in cluster.network_policies().iter().zip(spans).enumerate() {
        let ctx = Ctx { cluster, policy, spans };
        if !cluster.pods.iter().any(|p| p.namespace == policy.namespace) {
            diags.push(namespace_empty(&ctx));
            continue;
        }
        let selected: Vec<usize> =
            (0..cluster.pods.len()).filter(|&i| cluster.policy.selects_pod(index, i)).collect();
        if let Some(d) =
            pods_missing(&ctx, &policy.pod_selector, &[policy.namespace.as_str()], None, spans.pod_selector)
        {
            diags.push(d);
        }
        for (direction, rules, rule_spans) in [
            (PolicyType::Ingress, &policy.ingress, &spans.ingress),
            (PolicyType::Egress, &policy.egress, &spans.egress),
        ] {
            for (rule, rs) in rules.iter().zip(rule_spans) {
                peers(&ctx, &rule.peers, rs, diags);
                // An egress rule's ports are ports of the pods its selectors admit (an ipBlock
                // or no peer at all may mean the internet: no Service is implied).
                let by_selector: Vec<PolicyPeer> =
                    rule.peers.iter().filter(|p| matches!(p, PolicyPeer::Pods { .. })).cloned().collect();
                let targets: Vec<usize> = match direction {
                    PolicyType::Ingress => selected.clone(),
                    PolicyType::Egress if by_selector.is_empty() => Vec::new(),
                    PolicyType::Egress => (0..cluster.pods.len())
                        .filter(|&i| cluster.policy.peers_match_pod(index, &by_selector, i))
                        .collect(),
                };
                service_ports(&ctx, &rule.ports, rs, &targets, diags);
            }
        }
        if policy.policy_types.contains(&PolicyType::Egress) {
            diags.extend(egress_blocks_dns(&ctx, &selected, &mut reported));
        }
    }
}

/// The warnings about cluster-wide policies (`cluster-policy-same-priority`), which come with
/// their reading (`kinds::cluster_policy`, installed by `crate::plug::install`).
pub(crate) type ClusterWarnings = fn(&Cluster, &mut Vec<Diagnostic>);

pub(crate) static CLUSTER_WARNINGS: netsim::socket::Socket<ClusterWarnings> = netsim::socket::Socket::new();

#[cfg(feature = "gateway-api")]
pub(crate) static DIRECT_CLUSTER_WARNINGS: ClusterWarnings = same_priority;

/// `cluster-policy-same-priority` (module docs): each later policy of a pair.
fn same_priority(cluster: &Cluster, diags: &mut Vec<Diagnostic>) {
    let all = cluster.cluster_network_policies();
    for (b, later) in all.iter().enumerate() {
        let Some(first) = all[..b].iter().find(|a| {
            a.tier == later.tier
                && a.priority == later.priority
                && (0..cluster.pods.len()).any(|i| {
                    cluster.policy.chooses(&a.subject, i) && cluster.policy.chooses(&later.subject, i)
                })
        }) else {
            continue;
        };
        let Some(src) = &later.source else { continue };
        diags.push(diag(
            Severity::Warning,
            "cluster-policy-same-priority",
            &src.file,
            (src.start, src.start),
            format!(
                "{} {} and {} {} are both {} tier, priority {}, and choose the same pods: which one applies first is up to the network plugin (Switchboard evaluates {} first, as written)",
                first.kind.as_str(),
                first.name,
                later.kind.as_str(),
                later.name,
                later.tier.as_str(),
                later.priority,
                first.name
            ),
            vec!["give each policy its own priority when their rules may match the same traffic".into()],
        ));
    }
}

/// How a pod is known in the YAML: its workload, or its own name.
fn who(pod: &ClusterPod) -> String {
    match &pod.owner {
        Some(o) => format!("{} `{}`", o.kind, o.name),
        None => format!("Pod `{}`", pod.name),
    }
}

fn namespace_empty(ctx: &Ctx<'_>) -> Diagnostic {
    let mut others: Vec<&str> = Vec::new();
    for p in ctx.cluster.pods.iter().filter(|p| !p.built_in) {
        if !others.contains(&p.namespace.as_str()) {
            others.push(&p.namespace);
        }
    }
    let hint = if others.is_empty() {
        "there are no pods in the cluster yet".to_string()
    } else {
        let list: Vec<String> = others.iter().map(|n| format!("`{n}`")).collect();
        format!(
            "a NetworkPolicy selects pods of its own namespace only; the pods are in {}: set `metadata.namespace`",
            list.join(", ")
        )
    };
    ctx.warn(
        "policy-namespace-empty",
        ctx.spans.namespace,
        format!("namespace `{}` has no pods: this NetworkPolicy selects nothing", ctx.policy.namespace),
        vec![hint],
    )
}

/// The checks on a rule's peers: a namespaceSelector matching no namespace, else a
/// podSelector matching no pod in the namespaces the peer looks at.
fn peers(ctx: &Ctx<'_>, peers: &[PolicyPeer], spans: &RuleSpans, diags: &mut Vec<Diagnostic>) {
    for (peer, &(pod_span, ns_span)) in peers.iter().zip(&spans.peers) {
        let PolicyPeer::Pods { pod_selector, namespace_selector } = peer else { continue };
        let namespaces: Vec<&str> = match namespace_selector {
            None => vec![ctx.policy.namespace.as_str()],
            Some(sel) => {
                let names: Vec<&str> = ctx
                    .cluster
                    .namespaces
                    .iter()
                    .filter(|n| sel.matches(&ctx.cluster.policy.namespace_labels(&n.name)))
                    .map(|n| n.name.as_str())
                    .collect();
                if names.is_empty() {
                    diags.push(namespaces_missing(ctx, sel, ns_span));
                    continue;
                }
                names
            }
        };
        if let Some(sel) = pod_selector {
            let own_only = namespace_selector.is_none();
            if let Some(d) = pods_missing(ctx, sel, &namespaces, Some(own_only), pod_span) {
                diags.push(d);
            }
        }
    }
}

/// `policy-selector-matches-nothing` for a pod selector that matches no pod of `namespaces`
/// (`None` for an empty selector or one that matches). `peer` is `Some(own namespace only)`
/// for a peer's selector, `None` for `spec.podSelector`.
fn pods_missing(
    ctx: &Ctx<'_>,
    sel: &LabelSelector,
    namespaces: &[&str],
    peer: Option<bool>,
    span: (usize, usize),
) -> Option<Diagnostic> {
    let pods = &ctx.cluster.pods;
    let in_scope = |p: &&ClusterPod| namespaces.contains(&p.namespace.as_str());
    if sel.is_empty() || pods.iter().filter(in_scope).any(|p| sel.matches(&p.spec.labels)) {
        return None;
    }
    let mut hints = Vec::new();
    let best = pods
        .iter()
        .filter(in_scope)
        .filter_map(|p| near_miss(&sel.match_labels, &p.spec.labels).map(|(d, m)| (d, p, m)))
        .filter(|(_, _, m)| !m.is_empty())
        .min_by_key(|x| x.0);
    if let Some((_, pod, misses)) = best {
        for (k, v, lk, lv) in misses {
            hints.push(format!("{} has the label `{lk}: {lv}`; the selector asks for `{k}: {v}`", who(pod)));
        }
    } else {
        hints.extend(labels_in(pods.iter().filter(in_scope)));
    }
    if peer == Some(true) {
        if let Some(elsewhere) = pods.iter().find(|p| sel.matches(&p.spec.labels) && !p.spec.host_network) {
            hints.insert(0, format!(
                "{} in namespace `{}` has these labels; a peer without `namespaceSelector` only looks in the policy's namespace `{}`: add `namespaceSelector: {{matchLabels: {{kubernetes.io/metadata.name: {}}}}}` to the same peer",
                who(elsewhere),
                elsewhere.namespace,
                ctx.policy.namespace,
                elsewhere.namespace
            ));
        }
    }
    let place = match namespaces {
        [one] => format!("namespace `{one}`"),
        many => {
            format!("namespaces {}", many.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "))
        }
    };
    let effect = match peer {
        None => "this policy selects (and isolates) nothing",
        Some(_) => "this peer admits nothing",
    };
    Some(ctx.warn(
        "policy-selector-matches-nothing",
        span,
        format!("podSelector {} matches no pod in {place}: {effect}", describe_selector(sel)),
        hints,
    ))
}

/// "pods in namespace `shop` have `app: web`, `app: db`": the labels that exist, at most 6.
fn labels_in<'a>(pods: impl Iterator<Item = &'a ClusterPod>) -> Option<String> {
    let mut seen: Vec<(String, &str)> = Vec::new();
    let mut namespaces: Vec<&str> = Vec::new();
    for p in pods {
        if !namespaces.contains(&p.namespace.as_str()) {
            namespaces.push(&p.namespace);
        }
        for (k, v) in &p.spec.labels {
            let l = format!("`{k}: {v}`");
            if !seen.iter().any(|(s, _)| *s == l) && k != "pod-template-hash" {
                seen.push((l, &p.namespace));
            }
        }
    }
    if seen.is_empty() {
        return None;
    }
    let shown: Vec<&str> = seen.iter().take(6).map(|(l, _)| l.as_str()).collect();
    let more = if seen.len() > 6 { ", ..." } else { "" };
    let ns: Vec<String> = namespaces.iter().map(|n| format!("`{n}`")).collect();
    Some(format!("pods in namespace {} have {}{more}", ns.join(", "), shown.join(", ")))
}

fn namespaces_missing(ctx: &Ctx<'_>, sel: &LabelSelector, span: (usize, usize)) -> Diagnostic {
    let cluster = ctx.cluster;
    let mut hints = Vec::new();
    // `name: shop` for a namespace called shop: only the automatic label is there.
    for (k, v) in &sel.match_labels {
        if k != netsim::policy::NAMESPACE_NAME_LABEL && cluster.namespaces.iter().any(|n| &n.name == v) {
            hints.push(format!(
                "namespace `{v}` does not carry `{k}: {v}`; every namespace carries `{}: <its name>`: use `{}: {v}`",
                netsim::policy::NAMESPACE_NAME_LABEL,
                netsim::policy::NAMESPACE_NAME_LABEL
            ));
        }
    }
    if hints.is_empty() {
        let best = cluster
            .namespaces
            .iter()
            .filter_map(|n| {
                let labels = cluster.policy.namespace_labels(&n.name);
                near_miss(&sel.match_labels, &labels).map(|(d, m)| (d, n, m))
            })
            .filter(|(_, _, m)| !m.is_empty())
            .min_by_key(|x| x.0);
        if let Some((_, ns, misses)) = best {
            for (k, v, lk, lv) in misses {
                hints.push(format!(
                    "namespace `{}` has the label `{lk}: {lv}`; the selector asks for `{k}: {v}`",
                    ns.name
                ));
            }
        } else {
            let names: Vec<String> = cluster.namespaces.iter().map(|n| format!("`{}`", n.name)).collect();
            hints.push(format!(
                "namespaces: {}; each carries `{}: <its name>`",
                names.join(", "),
                netsim::policy::NAMESPACE_NAME_LABEL
            ));
        }
    }
    ctx.warn(
        "policy-selector-matches-nothing",
        span,
        format!(
            "namespaceSelector {} matches no namespace: this peer admits nothing",
            describe_selector(sel)
        ),
        hints,
    )
}

/// `policy-port-is-service-port`: a numbered rule port that no target pod declares, but that
/// is the `port` of a Service whose endpoints on those pods are another port.
fn service_ports(
    ctx: &Ctx<'_>,
    ports: &[netsim::PolicyPort],
    spans: &RuleSpans,
    targets: &[usize],
    diags: &mut Vec<Diagnostic>,
) {
    let pods = &ctx.cluster.pods;
    for (pp, &span) in ports.iter().zip(&spans.ports) {
        let (Some(PortRef::Number(n)), None) = (&pp.port, pp.end_port) else { continue };
        if targets.iter().any(|&i| pods[i].declares(*n, pp.protocol).is_some()) {
            continue;
        }
        let names: Vec<String> =
            targets.iter().map(|&i| format!("{}/{}", pods[i].namespace, pods[i].name)).collect();
        let found = ctx.cluster.services.iter().find_map(|svc| {
            let (_, sp, pe) = svc.port(*n, pp.protocol)?;
            let ep = pe
                .endpoints
                .iter()
                .find(|e| e.port != *n && e.pod.as_ref().is_some_and(|p| names.contains(p)))?;
            Some((svc, sp, ep))
        });
        let Some((svc, sp, ep)) = found else { continue };
        let mut hint =
            format!("use `port: {}`, the container port the Service's targetPort points at", ep.port);
        if let PortRef::Name(name) = &sp.target_port {
            hint.push_str(&format!(" (or its name, `port: {name}`)"));
        }
        diags.push(ctx.warn(
            "policy-port-is-service-port",
            span,
            format!(
                "port {n} is the port of Service `{}/{}`, but its pods listen on {}/{}: NetworkPolicy sees the packet after kube-proxy has rewritten it to the pod's port, so this rule admits nothing through the Service",
                svc.namespace(),
                svc.name(),
                ep.port,
                pp.protocol
            ),
            vec![hint],
        ));
    }
}

/// The CoreDNS pod a DNS query over `protocol` reaches (the first ready endpoint of kube-dns,
/// as `netsim::send` checks a query).
fn coredns(cluster: &Cluster, protocol: Protocol) -> Option<usize> {
    let ep = cluster.endpoints("kube-system", "kube-dns", 53, protocol)?.routable().into_iter().next()?;
    let pod = cluster.pod_by_ip(ep.ip)?;
    cluster.pod_index(pod)
}

/// `egress-blocks-dns`: some pod whose egress this policy isolates (and which asks the
/// cluster DNS) may not reach CoreDNS on UDP or TCP 53, by the model's own decision.
/// `reported` marks the pods an earlier policy already warned about (one warning per pod).
fn egress_blocks_dns(ctx: &Ctx<'_>, selected: &[usize], reported: &mut [bool]) -> Option<Diagnostic> {
    let cluster = ctx.cluster;
    let asks_cluster_dns = |i: &usize| {
        matches!(
            cluster.pods[*i].spec.dns_policy,
            DnsPolicy::ClusterFirst | DnsPolicy::ClusterFirstWithHostNet
        )
    };
    let mut blocked: Vec<Protocol> = Vec::new();
    let mut first = None;
    // A policy without egress rules only denies: the pods it isolates are warned about at the
    // policy that allows them some egress, if one does.
    if ctx.policy.egress.is_empty() {
        return None;
    }
    // A pod without an address opens no connection at all: DNS is not what it lacks.
    let candidates: Vec<usize> = selected
        .iter()
        .copied()
        .filter(|i| !reported[*i] && asks_cluster_dns(i) && cluster.pods[*i].ip.is_some())
        .collect();
    for i in candidates {
        for protocol in [Protocol::Udp, Protocol::Tcp] {
            let Some(dns) = coredns(cluster, protocol) else { continue };
            let c = Connection { src: Endpoint::Pod(i), dst: Endpoint::Pod(dns), port: 53, protocol };
            if !cluster.policy.decide(&c).egress.allows() {
                reported[i] = true;
                if !blocked.contains(&protocol) {
                    blocked.push(protocol);
                }
                first.get_or_insert(i);
            }
        }
    }
    let pod = &cluster.pods[first?];
    let (what, effect) = match blocked.as_slice() {
        [Protocol::Tcp] => ("TCP 53", "answers too large for UDP are retried over TCP and fail"),
        [Protocol::Udp] => ("UDP 53", "every name lookup times out"),
        _ => ("UDP or TCP 53", "every name lookup times out"),
    };
    Some(ctx.warn(
        "egress-blocks-dns",
        ctx.spans.egress_type,
        format!(
            "the egress of {} ({}/{}) is isolated and no egress rule of the policies selecting it allows DNS ({what}) to the CoreDNS pods in `kube-system`: {effect}",
            who(pod),
            pod.namespace,
            pod.name
        ),
        vec![format!("add this rule to `egress` (to this policy or another selecting the pod): `{DNS_RULE}`")],
    ))
}
