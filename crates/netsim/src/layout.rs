//! Where everything goes in the cluster picture: a deterministic layout computed from the
//! Cluster alone, so the same files always draw the same picture. Rows from the top: the
//! internet (and cluster DNS), cloud load balancers, Services (virtual boxes), then one column
//! per node holding its kube-proxy and its pods grouped by namespace. Box ids are the trace's
//! hop ids (`internet`, `lb/ns/name`, `svc/ns/name`, `node/NAME`, `kube-proxy/NAME`,
//! `pod/ns/name`, `dns`), so a trace can be drawn over the picture. A Gateway is drawn as its
//! data plane: the proxy pod, labelled with the Gateway's name and listener ports, its tooltip
//! listing the listeners and the Routes attached, and the proxy's load balancer and Service.

use crate::build::Cluster;
use crate::scenario::{PolicyType, ServiceType};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoxKind {
    Internet,
    Dns,
    LoadBalancer,
    Service,
    Node,
    KubeProxy,
    Namespace,
    Pod,
}

/// One box of the picture.
#[derive(Clone, Debug, PartialEq)]
pub struct Boxed {
    pub id: String,
    pub kind: BoxKind,
    pub label: String,
    /// A second line (an address, ports).
    pub detail: String,
    /// Everything to show on hover or focus.
    pub tooltip: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// The node a box is drawn inside.
    pub parent: Option<String>,
    /// Pods: isolated by NetworkPolicy for ingress / egress.
    pub shields: (bool, bool),
    /// Pods: the cluster-wide policies whose `subject` chooses the pod, in evaluation order
    /// (Admin tier by priority, then Baseline), each as `Kind name (Tier tier, priority N)`.
    pub tiers: Vec<String>,
    /// Pods: Ready; Services: has ready endpoints.
    pub ok: bool,
    /// A Gateway's proxy pod: the Gateway (`ns/name`).
    pub gateway: Option<String>,
}

impl Boxed {
    pub fn center(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// Whether two boxes overlap (touching edges do not count).
    pub fn intersects(&self, o: &Boxed) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    pub fn contains(&self, o: &Boxed) -> bool {
        o.x >= self.x && o.y >= self.y && o.x + o.w <= self.x + self.w && o.y + o.h <= self.y + self.h
    }
}

/// A connection drawn between two boxes: a load balancer to its Service, a Service to each
/// endpoint pod.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub from: String,
    pub to: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub boxes: Vec<Boxed>,
    pub edges: Vec<Edge>,
}

impl Layout {
    pub fn get(&self, id: &str) -> Option<&Boxed> {
        self.boxes.iter().find(|b| b.id == id)
    }

    /// Where a trace hop happens on the picture: the box whose id is the hop's `at`, and for
    /// an Ingress routing decision (`ingress/...`, made inside the controller) the Ingress
    /// controller's pod. `None` when nothing on the picture stands for it (the packet then
    /// stays where it was).
    pub fn anchor(&self, at: &str) -> Option<&Boxed> {
        if let Some(b) = self.get(at) {
            return Some(b);
        }
        if at.starts_with("ingress/") {
            let controller = format!("pod/{}/", crate::ingress::NAMESPACE);
            return self.boxes.iter().find(|b| b.id.starts_with(&controller));
        }
        // A Gateway's routing decision (`gateway/ns/name`) is made in its proxy pod.
        if let Some(gateway) = at.strip_prefix("gateway/") {
            return self.boxes.iter().find(|b| b.gateway.as_deref() == Some(gateway));
        }
        None
    }
}

const GAP: f64 = 16.0;
const ROW: f64 = 44.0;
const POD_W: f64 = 170.0;
const POD_H: f64 = 36.0;
const NODE_PAD: f64 = 10.0;
const SVC_W: f64 = 190.0;

fn short(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_string()
    } else {
        let cut: String = name.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// A pod name cut in the middle to `max` characters: the end of a name (a ReplicaSet's hash
/// and the pod's random suffix, a StatefulSet's ordinal) is what tells two pods apart, so the
/// last part is kept whole and the cut falls inside the rest.
pub fn short_middle(name: &str, max: usize) -> String {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() <= max || max < 5 {
        return name.to_string();
    }
    // The last dash-separated part, and the one before it when the two fit in half the room.
    let tail_len = |parts: usize| {
        chars
            .iter()
            .rev()
            .enumerate()
            .filter(|(_, c)| **c == '-')
            .nth(parts - 1)
            .map_or(chars.len(), |(i, _)| i + 1)
    };
    let room = max - 1;
    let keep =
        [2, 1].into_iter().map(tail_len).find(|n| *n <= room * 2 / 3).unwrap_or(room / 2).min(room - 2);
    let head: String = chars[..room - keep].iter().collect();
    let tail: String = chars[chars.len() - keep..].iter().collect();
    format!("{head}…{tail}")
}

/// The system components the picture draws besides the learner's objects: CoreDNS, and the
/// ingress controller with its Service, load balancer and pods. The web app draws each only
/// when the exercise uses it or the learner asks for system pods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct System {
    pub dns: bool,
    pub ingress: bool,
}

impl System {
    pub const ALL: System = System { dns: true, ingress: true };
}

/// A box with its tooltip made of its label and detail, drawn at `(x, y, w, h)`.
fn plain(
    id: String,
    kind: BoxKind,
    label: String,
    detail: String,
    (x, y, w, h): (f64, f64, f64, f64),
) -> Boxed {
    Boxed {
        tooltip: format!("{label}\n{detail}"),
        id,
        kind,
        label,
        detail,
        x,
        y,
        w,
        h,
        parent: None,
        shields: (false, false),
        tiers: Vec::new(),
        ok: true,
        gateway: None,
    }
}

impl Cluster {
    /// The cluster picture's layout, with every system component.
    pub fn layout(&self) -> Layout {
        self.layout_showing(System::ALL)
    }

    /// The cluster picture's layout, with the system components `system` names.
    pub fn layout_showing(&self, system: System) -> Layout {
        let node_w = POD_W + 2.0 * NODE_PAD;
        let columns = self.nodes.len().max(1) as f64;
        let width = (columns * node_w + (columns + 1.0) * GAP).max(3.0 * SVC_W + 4.0 * GAP);
        let mut boxes = Vec::new();
        let mut edges = Vec::new();

        // Row 1: the internet, and the cluster's DNS.
        let mut y = GAP;
        boxes.push(plain(
            "internet".into(),
            BoxKind::Internet,
            "Internet".into(),
            // Whether a client out there can reach a pod IP (the topology's pod network).
            if self.topology.pod_network_routed {
                "clients; pod IPs routed".into()
            } else {
                "clients; pod IPs not routed".into()
            },
            (GAP, y, 200.0, ROW),
        ));
        if system.dns {
            let dns = self.topology.dns_service_ip();
            boxes.push(plain(
                "dns".into(),
                BoxKind::Dns,
                "CoreDNS".into(),
                format!("kube-dns {dns}"),
                (width - GAP - 200.0, y, 200.0, ROW),
            ));
        }
        y += ROW + GAP;
        let y = self.service_rows(system, width, y, &mut boxes, &mut edges);
        let bottom = self.node_columns(system, y + GAP, &mut boxes);
        // Edges only between boxes that are drawn.
        edges.retain(|e| boxes.iter().any(|b| b.id == e.from) && boxes.iter().any(|b| b.id == e.to));
        Layout { width, height: bottom + GAP, boxes, edges }
    }

    /// Rows of load balancers, then of Services, wrapped to the width, from `y` on; returns
    /// the `y` below them.
    fn service_rows(
        &self,
        system: System,
        width: f64,
        mut y: f64,
        boxes: &mut Vec<Boxed>,
        edges: &mut Vec<Edge>,
    ) -> f64 {
        let per_row = (((width - GAP) / (SVC_W + GAP)).floor() as usize).max(1);
        let shown_services: Vec<_> = self
            .services
            .iter()
            .filter(|s| {
                !s.built_in
                    || (system.ingress && s.namespace() == crate::ingress::NAMESPACE)
                    || crate::gateway::dataplane::gateway_of(&s.spec.labels).is_some()
            })
            .collect();
        let lbs: Vec<_> =
            shown_services.iter().filter(|s| s.spec.service_type == ServiceType::LoadBalancer).collect();
        for (i, s) in lbs.iter().enumerate() {
            if i > 0 && i % per_row == 0 {
                y += ROW + GAP;
            }
            let x = GAP + (i % per_row) as f64 * (SVC_W + GAP);
            let ip = s.load_balancer_ip.map_or("<pending>".to_string(), |ip| ip.to_string());
            let id = format!("lb/{}/{}", s.namespace(), s.name());
            boxes.push(plain(
                id.clone(),
                BoxKind::LoadBalancer,
                format!("load balancer {}", short(s.name(), 10)),
                ip,
                (x, y, SVC_W, ROW),
            ));
            edges.push(Edge { from: id, to: s.id() });
        }
        if !lbs.is_empty() {
            y += ROW + GAP;
        }
        for (i, s) in shown_services.iter().enumerate() {
            if i > 0 && i % per_row == 0 {
                y += ROW + GAP;
            }
            let x = GAP + (i % per_row) as f64 * (SVC_W + GAP);
            let ip = match (s.spec.service_type, s.cluster_ip) {
                (ServiceType::ExternalName, _) => {
                    format!("→ {}", s.spec.external_name.clone().unwrap_or_default())
                }
                (_, Some(ip)) => ip.to_string(),
                (_, None) => "None (headless)".into(),
            };
            let ports: Vec<String> = s
                .spec
                .ports
                .iter()
                .map(|p| match p.node_port {
                    Some(np) => format!("{}:{np}/{}", p.port, p.protocol),
                    None => format!("{}/{}", p.port, p.protocol),
                })
                .collect();
            let ready = s.ports.iter().any(|pe| !pe.routable().is_empty());
            let mut b = plain(
                s.id(),
                BoxKind::Service,
                short(s.name(), 24),
                format!("{} {}", s.spec.service_type.as_str(), short(&ip, 16)),
                (x, y, SVC_W, ROW),
            );
            b.tooltip =
                format!("Service {}/{}\n{}\nports {}", s.namespace(), s.name(), b.detail, ports.join(", "));
            b.ok = ready || s.spec.service_type == ServiceType::ExternalName;
            boxes.push(b);
            let mut targets: Vec<String> = s
                .ports
                .iter()
                .flat_map(|pe| pe.routable())
                .filter_map(|e| e.pod.as_ref().map(|p| format!("pod/{p}")))
                .collect();
            sorted::sort(&mut targets);
            targets.dedup();
            edges.extend(targets.into_iter().map(|t| Edge { from: s.id(), to: t }));
        }
        if !shown_services.is_empty() {
            y += ROW + GAP;
        }
        y
    }

    /// Labels the proxy pod `b` of Gateway `namespace/name` with the Gateway: its name and
    /// listener ports, and in the tooltip its class, its listeners and the Routes attached
    /// to each (the statuses the controller writes, `gateway::status`).
    fn gateway_proxy(&self, b: &mut Boxed, namespace: &str, name: &str) {
        let api = &self.gateway_api;
        let Some(g) = api.gateways.iter().find(|g| g.namespace == namespace && g.name == name) else {
            return;
        };
        let status = crate::gateway::plug::installed()
            .map(|p| (p.status)(&crate::gateway::Objects::of_api(api), self))
            .unwrap_or_default();
        let mut ports: Vec<String> = g.listeners.iter().map(|l| format!(":{}", l.port)).collect();
        ports.dedup();
        b.label = format!("gateway {}", short(name, 14));
        b.detail = format!("{} {}", b.detail, ports.join(" "));
        let mut tip =
            format!("Gateway {namespace}/{name} (class {}), its proxy {}", g.gateway_class_name, b.tooltip);
        for l in &g.listeners {
            let routes: Vec<String> = status
                .routes
                .iter()
                .filter(|r| {
                    r.parents.iter().any(|p| {
                        p.gateway.namespace == namespace
                            && p.gateway.name == name
                            && p.listeners.contains(&l.name)
                    })
                })
                .map(|r| format!("{} {}/{}", r.route.kind, r.route.namespace, r.route.name))
                .collect();
            tip.push_str(&format!(
                "\nlistener {} {}/{}{}: {}",
                l.name,
                l.protocol.as_str(),
                l.port,
                l.hostname.as_deref().map(|h| format!(" {h}")).unwrap_or_default(),
                if routes.is_empty() { "no Route attached".to_string() } else { routes.join(", ") }
            ));
        }
        b.tooltip = tip;
        b.gateway = Some(format!("{namespace}/{name}"));
    }

    /// The nodes, side by side from `top` down, each with kube-proxy and its pods by
    /// namespace; returns the bottom of the tallest.
    fn node_columns(&self, system: System, top: f64, boxes: &mut Vec<Boxed>) -> f64 {
        let node_w = POD_W + 2.0 * NODE_PAD;
        let mut bottom: f64 = top;
        let node_ports: Vec<String> = self
            .services
            .iter()
            .flat_map(|s| s.spec.ports.iter().filter_map(|p| p.node_port))
            .map(|p| p.to_string())
            .collect();
        for (n, node) in self.nodes.iter().enumerate() {
            let x = GAP + n as f64 * (node_w + GAP);
            let node_id = format!("node/{}", node.name);
            let inner_x = x + NODE_PAD;
            let mut cy = top + ROW;
            let mut children = Vec::new();
            let mut kp = plain(
                format!("kube-proxy/{}", node.name),
                BoxKind::KubeProxy,
                "kube-proxy".into(),
                format!("{} rules", self.topology.kube_proxy_mode.as_str()),
                (inner_x, cy, POD_W, 26.0),
            );
            kp.parent = Some(node_id.clone());
            children.push(kp);
            cy += 26.0 + 8.0;
            let mut pods: Vec<(usize, &crate::build::ClusterPod)> = self
                .pods
                .iter()
                .enumerate()
                .filter(|(_, p)| p.node.as_deref() == Some(node.name.as_str()))
                .filter(|(_, p)| {
                    !p.built_in
                        || (system.ingress && p.namespace == crate::ingress::NAMESPACE)
                        || crate::gateway::dataplane::gateway_of(&p.spec.labels).is_some()
                })
                .collect();
            sorted::sort_by(&mut pods, |a, b| (&a.1.namespace, &a.1.name).cmp(&(&b.1.namespace, &b.1.name)));
            let mut current_ns: Option<&str> = None;
            for (i, p) in pods {
                if current_ns != Some(p.namespace.as_str()) {
                    current_ns = Some(p.namespace.as_str());
                    let mut label = plain(
                        format!("ns/{}/{}", node.name, p.namespace),
                        BoxKind::Namespace,
                        format!("ns {}", short(&p.namespace, 20)),
                        String::new(),
                        (inner_x, cy, POD_W, 18.0),
                    );
                    label.parent = Some(node_id.clone());
                    children.push(label);
                    cy += 18.0 + 4.0;
                }
                let labels: Vec<String> = p.spec.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
                let ip = p.ip.map_or("Pending".to_string(), |ip| ip.to_string());
                let mut b = plain(
                    p.id(),
                    BoxKind::Pod,
                    short_middle(&p.name, 22),
                    ip.clone(),
                    (inner_x, cy, POD_W, POD_H),
                );
                b.tooltip = format!(
                    "Pod {}/{}\n{ip} on {}\nlabels: {}{}",
                    p.namespace,
                    p.name,
                    node.name,
                    if labels.is_empty() { "none".into() } else { labels.join(", ") },
                    if p.ready { "" } else { "\nnot Ready" }
                );
                if let Some(gateway) = crate::gateway::dataplane::gateway_of(&p.spec.labels) {
                    self.gateway_proxy(&mut b, &p.namespace, gateway);
                }
                b.parent = Some(node_id.clone());
                b.ok = p.ready && p.ip.is_some();
                b.shields = (
                    self.policy.isolated(i, PolicyType::Ingress),
                    self.policy.isolated(i, PolicyType::Egress),
                );
                b.tiers = self.policy.choosing(i);
                if !b.tiers.is_empty() {
                    b.tooltip.push_str(&format!("\ncluster-wide policy (alpha): {}", b.tiers.join(", ")));
                }
                children.push(b);
                cy += POD_H + 6.0;
            }
            let h = (cy - top + NODE_PAD).max(ROW * 2.0);
            bottom = bottom.max(top + h);
            let mut nb =
                plain(node_id, BoxKind::Node, node.name.clone(), node.ip.to_string(), (x, top, node_w, h));
            let open = if node_ports.is_empty() { "none".to_string() } else { node_ports.join(", ") };
            nb.tooltip = format!(
                "Node {}\n{}\npod CIDR {}\nNodePorts open: {open}",
                node.name, node.ip, node.pod_cidr
            );
            boxes.push(nb);
            boxes.extend(children);
        }
        bottom
    }
}
