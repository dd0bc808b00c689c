//! The trace listing, as snapshots (`UPDATE_EXPECT=1` to bless).
mod common;

use common::*;
use expect_test::{expect, Expect};
use netsim::*;

fn trace(from: Client, to: &str, port: Option<u16>, want: Expect) {
    let c = world().build();
    let mut req = Request::new(from, to);
    req.port = port;
    // expect-test strips common indentation, so the listing's two leading spaces go too.
    let text = c.send(&req).to_string();
    let dedented: Vec<&str> = text.lines().map(|l| l.strip_prefix("  ").unwrap_or(l)).collect();
    want.assert_eq(&dedented.join("\n"));
}

fn outside(ip: &str) -> Client {
    Client::Outside(ip.parse().unwrap())
}

// https://kubernetes.io/docs/reference/networking/virtual-ips/#proxy-mode-iptables
#[test]
fn cluster_ip() {
    trace(
        Client::pod("default", "client"),
        "web",
        None,
        expect![[r#"
            1 dns                               DNS      10.244.0.4:55592 > 10.96.0.10:53 UDP  web -> web.default.svc.cluster.local (Service default/web has ClusterIP 10.109.202.138); tried web.default.svc.cluster.local
            2 pod/default/client                SEND     10.244.0.4:55591 > 10.109.202.138:80 TCP  pod/default/client opens a TCP connection to 10.109.202.138:80
            3 svc/default/web                   PASS     10.244.0.4:55591 > 10.109.202.138:80 TCP  10.109.202.138:80/TCP is the cluster IP of Service default/web:http, port 80 -> targetPort 8080
            4 kube-proxy/node-1                 DNAT     10.244.0.4:55591 > 10.109.202.138:80 -> 10.244.0.6:8080 TCP  chose 1 of 3 endpoints (p=0.33, chosen at random); the rule: KUBE-SERVICES -> KUBE-SVC-CDGGSHYLG3RE2FKL, its rule 1 of 3 -> KUBE-SEP-WBD4CCV6JIIBARLY (DNAT to 10.244.0.6:8080)
                * 10.244.0.6:8080  pod/default/web-4b779ff549-dr6nd  node-1  p=0.33
                  10.244.1.7:8080  pod/default/web-4b779ff549-t5nbh  node-2  p=0.33
                  10.244.2.4:8080  pod/default/web-4b779ff549-xh8rk  node-3  p=0.33
            5 pod/default/web-4b779ff549-dr6nd  DELIVER  10.244.0.4:55591 > 10.244.0.6:8080 TCP  a container declares port 8080/TCP
            => delivered to pod/default/web-4b779ff549-dr6nd (10.244.0.6:8080)"#]],
    );
}

// https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport
#[test]
fn node_port_cluster_policy() {
    trace(
        outside("192.0.2.9"),
        "192.168.49.2:30082",
        None,
        expect![[r#"
            1 internet                           SEND     192.0.2.9:55591 > 192.168.49.2:30082 TCP  client 192.0.2.9 outside the cluster opens a TCP connection to 192.168.49.2:30082
            2 node/node-1                        PASS     192.0.2.9:55591 > 192.168.49.2:30082 TCP  nodePort 30082 is open on every node for Service default/solo-cluster:http (port 80)
            3 kube-proxy/node-1                  DNAT     192.0.2.9:55591 > 192.168.49.2:30082 -> 10.244.1.6:8080 TCP  chose 1 of 1 endpoint (p=1.00, chosen at random); the rule: KUBE-NODEPORTS -> KUBE-EXT-LIRV3MSZUICG4J3J -> KUBE-SVC-LIRV3MSZUICG4J3J, its rule 1 of 1 -> KUBE-SEP-KCZWQK63NBRROHDU (DNAT to 10.244.1.6:8080)
                * 10.244.1.6:8080  pod/default/solo-7b6c8687fd-nhr4p  node-2  p=1.00
            4 node/node-1                        SNAT     192.0.2.9:55591 -> 192.168.49.2:55591 > 10.244.1.6:8080 TCP  externalTrafficPolicy Cluster: the source is masqueraded to node-1's IP so replies return through it; the pod does not see the client IP
            5 node/node-2                        PASS     192.168.49.2:55591 > 10.244.1.6:8080 TCP  routed over the pod network from node-1 to node-2, where solo-7b6c8687fd-nhr4p runs
            6 pod/default/solo-7b6c8687fd-nhr4p  DELIVER  192.168.49.2:55591 > 10.244.1.6:8080 TCP  a container declares port 8080/TCP
            => delivered to pod/default/solo-7b6c8687fd-nhr4p (10.244.1.6:8080)"#]],
    );
}

// https://kubernetes.io/docs/reference/networking/virtual-ips/#external-traffic-policy
#[test]
fn node_port_local_policy() {
    trace(
        outside("192.0.2.9"),
        "192.168.49.3:30081",
        None,
        expect![[r#"
            1 internet                           SEND     192.0.2.9:55591 > 192.168.49.3:30081 TCP  client 192.0.2.9 outside the cluster opens a TCP connection to 192.168.49.3:30081
            2 node/node-2                        PASS     192.0.2.9:55591 > 192.168.49.3:30081 TCP  nodePort 30081 is open on every node for Service default/solo-local:http (port 80)
            3 kube-proxy/node-2                  DNAT     192.0.2.9:55591 > 192.168.49.3:30081 -> 10.244.1.6:8080 TCP  chose 1 of 1 endpoint (p=1.00, chosen at random); externalTrafficPolicy Local: only the 1 endpoint on node-2, client IP kept; the rule: KUBE-NODEPORTS -> KUBE-EXT-X5MIH5CHUWSSNI7W -> KUBE-SVL-X5MIH5CHUWSSNI7W, its rule 1 of 1 -> KUBE-SEP-3J5CGH42HPTW6UTN (DNAT to 10.244.1.6:8080)
                * 10.244.1.6:8080  pod/default/solo-7b6c8687fd-nhr4p  node-2  p=1.00
            4 pod/default/solo-7b6c8687fd-nhr4p  DELIVER  192.0.2.9:55591 > 10.244.1.6:8080 TCP  a container declares port 8080/TCP
            => delivered to pod/default/solo-7b6c8687fd-nhr4p (10.244.1.6:8080)"#]],
    );
}

#[test]
fn node_port_local_policy_without_local_endpoint() {
    trace(
        outside("192.0.2.9"),
        "192.168.49.2:30081",
        None,
        expect![[r#"
            1 internet           SEND     192.0.2.9:55591 > 192.168.49.2:30081 TCP  client 192.0.2.9 outside the cluster opens a TCP connection to 192.168.49.2:30081
            2 node/node-1        PASS     192.0.2.9:55591 > 192.168.49.2:30081 TCP  nodePort 30081 is open on every node for Service default/solo-local:http (port 80)
            3 kube-proxy/node-1  DROP     192.0.2.9:55591 > 192.168.49.2:30081 TCP  externalTrafficPolicy Local: the only endpoint does not run on node-1, so the packet is dropped
            => dropped by svc/default/solo-local: externalTrafficPolicy Local and no endpoint on node-1"#]],
    );
}

// https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/
#[test]
fn load_balancer_source_range_allows() {
    trace(
        outside("192.0.2.9"),
        "203.0.113.1",
        Some(80),
        expect![[r#"
            1 internet                          SEND     192.0.2.9:55591 > 203.0.113.1:80 TCP  client 192.0.2.9 outside the cluster opens a TCP connection to 203.0.113.1:80
            2 lb/default/lb                     FORWARD  192.0.2.9:55591 > 203.0.113.1:80 -> 192.168.49.2:32070 TCP  client 192.0.2.9 is within loadBalancerSourceRanges; the load balancer forwards to node-1:32070 (all 3 nodes are healthy)
                * 192.168.49.2:32070  node-1  p=0.33
                  192.168.49.3:32070  node-2  p=0.33
                  192.168.49.4:32070  node-3  p=0.33
            3 node/node-1                       PASS     192.0.2.9:55591 > 192.168.49.2:32070 TCP  nodePort 32070 is open on every node for Service default/lb:http (port 80)
            4 kube-proxy/node-1                 DNAT     192.0.2.9:55591 > 192.168.49.2:32070 -> 10.244.1.7:8080 TCP  chose 2 of 3 endpoints (p=0.33, chosen at random); the rule: KUBE-NODEPORTS -> KUBE-EXT-JSLCNGWSGB5JPS5Q -> KUBE-SVC-JSLCNGWSGB5JPS5Q, its rule 2 of 3 -> KUBE-SEP-HPZMXISJ2WHSLXFE (DNAT to 10.244.1.7:8080)
                  10.244.0.6:8080  pod/default/web-4b779ff549-dr6nd  node-1  p=0.33
                * 10.244.1.7:8080  pod/default/web-4b779ff549-t5nbh  node-2  p=0.33
                  10.244.2.4:8080  pod/default/web-4b779ff549-xh8rk  node-3  p=0.33
            5 node/node-1                       SNAT     192.0.2.9:55591 -> 192.168.49.2:55591 > 10.244.1.7:8080 TCP  externalTrafficPolicy Cluster: the source is masqueraded to node-1's IP so replies return through it; the pod does not see the client IP
            6 node/node-2                       PASS     192.168.49.2:55591 > 10.244.1.7:8080 TCP  routed over the pod network from node-1 to node-2, where web-4b779ff549-t5nbh runs
            7 pod/default/web-4b779ff549-t5nbh  DELIVER  192.168.49.2:55591 > 10.244.1.7:8080 TCP  a container declares port 8080/TCP
            => delivered to pod/default/web-4b779ff549-t5nbh (10.244.1.7:8080)"#]],
    );
}

#[test]
fn load_balancer_source_range_denies() {
    trace(
        outside("192.0.2.200"),
        "203.0.113.1",
        Some(80),
        expect![[r#"
            1 internet       SEND     192.0.2.200:55591 > 203.0.113.1:80 TCP  client 192.0.2.200 outside the cluster opens a TCP connection to 203.0.113.1:80
            2 lb/default/lb  DROP     192.0.2.200:55591 > 203.0.113.1:80 TCP  loadBalancerSourceRanges (192.0.2.0/25) do not include the client 192.0.2.200
            => dropped by lb/default/lb: client 192.0.2.200 is not in loadBalancerSourceRanges"#]],
    );
}

/// A pod using the load balancer's address: kube-proxy short-circuits it inside the cluster, and
/// its firewall chain (KUBE-FW) still filters by loadBalancerSourceRanges, so a pod outside the
/// ranges is dropped (pkg/proxy/iptables/proxier.go; upstream e2e "should only allow access from
/// service loadbalancer source ranges").
#[test]
fn load_balancer_source_range_applies_inside_the_cluster() {
    trace(
        Client::pod("default", "client"),
        "203.0.113.1",
        Some(80),
        expect![[r#"
            1 pod/default/client  SEND     10.244.0.4:55591 > 203.0.113.1:80 TCP  pod/default/client opens a TCP connection to 203.0.113.1:80
            2 svc/default/lb      PASS     10.244.0.4:55591 > 203.0.113.1:80 TCP  203.0.113.1:80/TCP is the loadbalancer IP (in-cluster traffic is short-circuited by kube-proxy) of Service default/lb:http, port 80 -> targetPort 8080
            3 kube-proxy/node-1   DROP     10.244.0.4:55591 > 203.0.113.1:80 TCP  loadBalancerSourceRanges (192.0.2.0/25) do not include 10.244.0.4: kube-proxy filters traffic to the load balancer IP by source inside the cluster too
            => dropped by kube-proxy/node-1: client 10.244.0.4 is not in loadBalancerSourceRanges"#]],
    );
}

// https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors
#[test]
fn no_endpoints() {
    trace(
        Client::pod("default", "client"),
        "typo",
        None,
        expect![[r#"
              1 dns                 DNS      10.244.0.4:55592 > 10.96.0.10:53 UDP  typo -> typo.default.svc.cluster.local (Service default/typo has ClusterIP 10.109.8.168); tried typo.default.svc.cluster.local
              2 pod/default/client  SEND     10.244.0.4:55591 > 10.109.8.168:80 TCP  pod/default/client opens a TCP connection to 10.109.8.168:80
              3 svc/default/typo    PASS     10.244.0.4:55591 > 10.109.8.168:80 TCP  10.109.8.168:80/TCP is the cluster IP of Service default/typo, port 80 -> targetPort 8080
              4 kube-proxy/node-1   REJECT   10.244.0.4:55591 > 10.109.8.168:80 TCP  Service typo has no ready endpoints (its selector matches no pod in the namespace): kube-proxy REJECTs, connection refused
              => no endpoints for svc/default/typo: connection refused"#]],
    );
}

// https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports (targetPort)
#[test]
fn wrong_target_port_is_refused() {
    trace(
        Client::pod("default", "client"),
        "broken",
        None,
        expect![[r#"
            1 dns                               DNS      10.244.0.4:55592 > 10.96.0.10:53 UDP  broken -> broken.default.svc.cluster.local (Service default/broken has ClusterIP 10.100.250.1); tried broken.default.svc.cluster.local
            2 pod/default/client                SEND     10.244.0.4:55591 > 10.100.250.1:80 TCP  pod/default/client opens a TCP connection to 10.100.250.1:80
            3 svc/default/broken                PASS     10.244.0.4:55591 > 10.100.250.1:80 TCP  10.100.250.1:80/TCP is the cluster IP of Service default/broken, port 80 -> targetPort 9999
            4 kube-proxy/node-1                 DNAT     10.244.0.4:55591 > 10.100.250.1:80 -> 10.244.0.6:9999 TCP  chose 1 of 3 endpoints (p=0.33, chosen at random); the rule: KUBE-SERVICES -> KUBE-SVC-KI2OKZBKVXZG6QT5, its rule 1 of 3 -> KUBE-SEP-DON3KFCE53CEE6IW (DNAT to 10.244.0.6:9999)
                * 10.244.0.6:9999  pod/default/web-4b779ff549-dr6nd  node-1  p=0.33
                  10.244.1.7:9999  pod/default/web-4b779ff549-t5nbh  node-2  p=0.33
                  10.244.2.4:9999  pod/default/web-4b779ff549-xh8rk  node-3  p=0.33
            5 pod/default/web-4b779ff549-dr6nd  REFUSED  10.244.0.4:55591 > 10.244.0.6:9999 TCP  no container declares port 9999/TCP (declared: 8080/TCP), so the connection is refused
            => connection refused by pod/default/web-4b779ff549-dr6nd (nothing listens on port 9999)"#]],
    );
}

// https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#namespaces-of-services
#[test]
fn short_name_from_another_namespace() {
    trace(
        Client::pod("backend", "debug"),
        "web",
        None,
        expect![[r#"
              1 dns  NXDOMAIN 10.244.1.4:55592 > 10.96.0.10:53 UDP  web: NXDOMAIN: none of the 4 names tried exists (with ndots:5 and this search list, only names in the pod's own namespace work unqualified) (tried web.backend.svc.cluster.local, web.svc.cluster.local, web.cluster.local, web)
              => name not found: web (NXDOMAIN)"#]],
    );
}

// https://kubernetes.io/docs/concepts/services-networking/service/#externalname
#[test]
fn external_name() {
    trace(
        Client::pod("default", "client"),
        "ext",
        Some(443),
        expect![[r#"
              1 dns                 DNS      10.244.0.4:55592 > 10.96.0.10:53 UDP  ext -> ext.default.svc.cluster.local (ExternalName Service default/ext: CoreDNS answers with a CNAME to example.com; no ClusterIP, no proxying); tried ext.default.svc.cluster.local
              2 pod/default/client  SEND     10.244.0.4:55591 > 198.51.100.29:443 TCP  pod/default/client opens a TCP connection to 198.51.100.29:443
              3 node/node-1         SNAT     10.244.0.4:55591 -> 192.168.49.2:55591 > 198.51.100.29:443 TCP  leaving the cluster, the pod's address is masqueraded to node-1's IP
              4 internet            LEAVE    192.168.49.2:55591 > 198.51.100.29:443 TCP  198.51.100.29 is outside the cluster
              => leaves the cluster to example.com (198.51.100.29) via an ExternalName CNAME"#]],
    );
}

// https://kubernetes.io/docs/concepts/services-networking/service/#headless-services
#[test]
fn headless() {
    trace(
        Client::pod("default", "client"),
        "db",
        Some(5432),
        expect![[r#"
              1 dns                 DNS      10.244.0.4:55592 > 10.96.0.10:53 UDP  db -> db.default.svc.cluster.local (headless Service default/db: one A record per ready endpoint (2), no virtual IP); tried db.default.svc.cluster.local; 2 A records rotate (CoreDNS loadbalance), the client takes the first: 10.244.0.5
                  * 10.244.0.5:5432  pod/default/db-1  node-1  p=0.50
                    10.244.2.2:5432  pod/default/db-0  node-3  p=0.50
              2 pod/default/client  SEND     10.244.0.4:55591 > 10.244.0.5:5432 TCP  pod/default/client opens a TCP connection to 10.244.0.5:5432
              3 pod/default/db-1    DELIVER  10.244.0.4:55591 > 10.244.0.5:5432 TCP  a container declares port 5432/TCP
              => delivered to pod/default/db-1 (10.244.0.5:5432)"#]],
    );
}

// https://kubernetes.io/docs/reference/networking/virtual-ips/#session-affinity
#[test]
fn session_affinity() {
    trace(
        Client::pod("default", "client"),
        "sticky",
        None,
        expect![[r#"
            1 dns                               DNS      10.244.0.4:55592 > 10.96.0.10:53 UDP  sticky -> sticky.default.svc.cluster.local (Service default/sticky has ClusterIP 10.110.195.227); tried sticky.default.svc.cluster.local
            2 pod/default/client                SEND     10.244.0.4:55591 > 10.110.195.227:80 TCP  pod/default/client opens a TCP connection to 10.110.195.227:80
            3 svc/default/sticky                PASS     10.244.0.4:55591 > 10.110.195.227:80 TCP  10.110.195.227:80/TCP is the cluster IP of Service default/sticky, port 80 -> targetPort 8080
            4 kube-proxy/node-1                 DNAT     10.244.0.4:55591 > 10.110.195.227:80 -> 10.244.1.7:8080 TCP  chose 2 of 3 endpoints (p=0.33, sessionAffinity ClientIP: client 10.244.0.4 sticks to the same endpoint for 10800s (the model pins each client IP to one endpoint)); the rule: KUBE-SERVICES -> KUBE-SVC-BJWR5DPVIKTHVKZU, its rule 2 of 3 -> KUBE-SEP-HDHHAHZKGDZRXD6F (DNAT to 10.244.1.7:8080)
                  10.244.0.6:8080  pod/default/web-4b779ff549-dr6nd  node-1  p=0.33
                * 10.244.1.7:8080  pod/default/web-4b779ff549-t5nbh  node-2  p=0.33
                  10.244.2.4:8080  pod/default/web-4b779ff549-xh8rk  node-3  p=0.33
            5 node/node-2                       PASS     10.244.0.4:55591 > 10.244.1.7:8080 TCP  routed over the pod network from node-1 to node-2, where web-4b779ff549-t5nbh runs
            6 pod/default/web-4b779ff549-t5nbh  DELIVER  10.244.0.4:55591 > 10.244.1.7:8080 TCP  a container declares port 8080/TCP
            => delivered to pod/default/web-4b779ff549-t5nbh (10.244.1.7:8080)"#]],
    );
}

// https://kubernetes.io/docs/concepts/services-networking/service-traffic-policy/
#[test]
fn internal_traffic_policy_local() {
    trace(
        Client::pod("default", "client"),
        "local",
        None,
        expect![[r#"
            1 dns                 DNS      10.244.0.4:55592 > 10.96.0.10:53 UDP  local -> local.default.svc.cluster.local (Service default/local has ClusterIP 10.106.234.93); tried local.default.svc.cluster.local
            2 pod/default/client  SEND     10.244.0.4:55591 > 10.106.234.93:80 TCP  pod/default/client opens a TCP connection to 10.106.234.93:80
            3 svc/default/local   PASS     10.244.0.4:55591 > 10.106.234.93:80 TCP  10.106.234.93:80/TCP is the cluster IP of Service default/local, port 80 -> targetPort 8080
            4 kube-proxy/node-1   DROP     10.244.0.4:55591 > 10.106.234.93:80 TCP  internalTrafficPolicy Local: the only endpoint is not on node-1, so kube-proxy drops the packet (no local endpoints)
            => dropped by svc/default/local: internalTrafficPolicy Local and no local endpoints"#]],
    );
}

#[test]
fn cluster_ip_from_outside() {
    trace(
        outside("192.0.2.9"),
        "web.default.svc.cluster.local",
        None,
        expect![[r#"
              1 dns  NXDOMAIN 192.0.2.9:55592 > 192.168.49.1:53 UDP  web.default.svc.cluster.local: NXDOMAIN: this resolver is outside the cluster and does not know cluster names (tried web.default.svc.cluster.local)
              => name not found: web.default.svc.cluster.local (NXDOMAIN)"#]],
    );
}

#[test]
fn iptables_save() {
    expect![[r##"
        # Generated by iptables-save v1.8.9
        *filter
        :INPUT ACCEPT [0:0]
        :FORWARD ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :KUBE-EXTERNAL-SERVICES - [0:0]
        :KUBE-PROXY-FIREWALL - [0:0]
        :KUBE-SERVICES - [0:0]
        -A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
        -A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
        -A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
        -A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
        -A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
        -A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
        -A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
        -A KUBE-EXTERNAL-SERVICES -d 203.0.113.1/32 -p tcp -m comment --comment "default/front:http has no local endpoints" -m tcp --dport 80 -j DROP
        -A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/front:http has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 31567 -j DROP
        -A KUBE-EXTERNAL-SERVICES -d 203.0.113.1/32 -p tcp -m comment --comment "default/front:https has no local endpoints" -m tcp --dport 443 -j DROP
        -A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/front:https has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30980 -j DROP
        -A KUBE-PROXY-FIREWALL -d 203.0.113.1/32 -p tcp -m comment --comment "default/front:http traffic not accepted by KUBE-FW-OPPHYL3DE7QEONHQ" -m tcp --dport 80 -j DROP
        -A KUBE-PROXY-FIREWALL -d 203.0.113.1/32 -p tcp -m comment --comment "default/front:https traffic not accepted by KUBE-FW-YLFQ6NE5CHZ6LNVL" -m tcp --dport 443 -j DROP
        -A KUBE-SERVICES -d 10.109.8.168/32 -p tcp -m comment --comment "default/typo has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable
        COMMIT
        *nat
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        :KUBE-EXT-2262UYG6EQJDKK3I - [0:0]
        :KUBE-EXT-CG5I4G2RS3ZVWGLK - [0:0]
        :KUBE-EXT-EDNDUDH2C75GIR6O - [0:0]
        :KUBE-EXT-OPPHYL3DE7QEONHQ - [0:0]
        :KUBE-EXT-YLFQ6NE5CHZ6LNVL - [0:0]
        :KUBE-FW-OPPHYL3DE7QEONHQ - [0:0]
        :KUBE-FW-YLFQ6NE5CHZ6LNVL - [0:0]
        :KUBE-MARK-MASQ - [0:0]
        :KUBE-NODEPORTS - [0:0]
        :KUBE-POSTROUTING - [0:0]
        :KUBE-SEP-2AZ33KU3V5PGPQZH - [0:0]
        :KUBE-SEP-3IBUFA4PAZFIXUKV - [0:0]
        :KUBE-SEP-4EX2N4PG4ASNZOBF - [0:0]
        :KUBE-SEP-5GU3CZYGQNYNZLFF - [0:0]
        :KUBE-SEP-6VSJZUSQZX2522B5 - [0:0]
        :KUBE-SEP-BEFBIAVR5AKPCDDD - [0:0]
        :KUBE-SEP-BWHGELGX6BITPZVO - [0:0]
        :KUBE-SEP-HK254EL4IH3TTFBT - [0:0]
        :KUBE-SEP-IT2ZTR26TO4XFPTO - [0:0]
        :KUBE-SEP-KX7KPTXPYEOXLF2G - [0:0]
        :KUBE-SEP-MXTCW37IOF46JEGH - [0:0]
        :KUBE-SEP-N4G2XR5TDX7PQE7P - [0:0]
        :KUBE-SEP-PL3DNJ6CN2CWBO5J - [0:0]
        :KUBE-SEP-QH3ATE54KCFIG4FC - [0:0]
        :KUBE-SEP-RLR6ZXJXMQP3D2RN - [0:0]
        :KUBE-SEP-VTZ7APYAASJJZN2M - [0:0]
        :KUBE-SEP-VWU4IHON47IJSMCC - [0:0]
        :KUBE-SEP-YIL6JZP7A3QYXJU2 - [0:0]
        :KUBE-SEP-Z6M7ZHWCTBNMPLD7 - [0:0]
        :KUBE-SERVICES - [0:0]
        :KUBE-SVC-2262UYG6EQJDKK3I - [0:0]
        :KUBE-SVC-BJWR5DPVIKTHVKZU - [0:0]
        :KUBE-SVC-CDGGSHYLG3RE2FKL - [0:0]
        :KUBE-SVC-CG5I4G2RS3ZVWGLK - [0:0]
        :KUBE-SVC-EDNDUDH2C75GIR6O - [0:0]
        :KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]
        :KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
        :KUBE-SVC-NPX46M4PTMTKRN6Y - [0:0]
        :KUBE-SVC-OPPHYL3DE7QEONHQ - [0:0]
        :KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
        :KUBE-SVC-YLFQ6NE5CHZ6LNVL - [0:0]
        -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
        -A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
        -A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
        -A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
        -A KUBE-NODEPORTS -p tcp -m comment --comment "default/front:http" -m tcp --dport 31567 -j KUBE-EXT-OPPHYL3DE7QEONHQ
        -A KUBE-NODEPORTS -p tcp -m comment --comment "default/front:https" -m tcp --dport 30980 -j KUBE-EXT-YLFQ6NE5CHZ6LNVL
        -A KUBE-NODEPORTS -p tcp -m comment --comment "default/web-np:http" -m tcp --dport 30080 -j KUBE-EXT-2262UYG6EQJDKK3I
        -A KUBE-NODEPORTS -p tcp -m comment --comment "ingress-nginx/ingress-nginx-controller:http" -m tcp --dport 31660 -j KUBE-EXT-CG5I4G2RS3ZVWGLK
        -A KUBE-NODEPORTS -p tcp -m comment --comment "ingress-nginx/ingress-nginx-controller:https" -m tcp --dport 30421 -j KUBE-EXT-EDNDUDH2C75GIR6O
        -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
        -A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
        -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
        -A KUBE-SERVICES -d 10.107.72.173/32 -p tcp -m comment --comment "default/front:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-OPPHYL3DE7QEONHQ
        -A KUBE-SERVICES -d 203.0.113.1/32 -p tcp -m comment --comment "default/front:http loadbalancer IP" -m tcp --dport 80 -j KUBE-FW-OPPHYL3DE7QEONHQ
        -A KUBE-SERVICES -d 10.107.72.173/32 -p tcp -m comment --comment "default/front:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-YLFQ6NE5CHZ6LNVL
        -A KUBE-SERVICES -d 203.0.113.1/32 -p tcp -m comment --comment "default/front:https loadbalancer IP" -m tcp --dport 443 -j KUBE-FW-YLFQ6NE5CHZ6LNVL
        -A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y
        -A KUBE-SERVICES -d 10.110.195.227/32 -p tcp -m comment --comment "default/sticky cluster IP" -m tcp --dport 80 -j KUBE-SVC-BJWR5DPVIKTHVKZU
        -A KUBE-SERVICES -d 10.109.202.138/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
        -A KUBE-SERVICES -d 10.107.3.35/32 -p tcp -m comment --comment "default/web-np:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-2262UYG6EQJDKK3I
        -A KUBE-SERVICES -d 10.111.190.54/32 -p tcp -m comment --comment "ingress-nginx/ingress-nginx-controller:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-CG5I4G2RS3ZVWGLK
        -A KUBE-SERVICES -d 203.0.113.2/32 -p tcp -m comment --comment "ingress-nginx/ingress-nginx-controller:http loadbalancer IP" -m tcp --dport 80 -j KUBE-EXT-CG5I4G2RS3ZVWGLK
        -A KUBE-SERVICES -d 10.111.190.54/32 -p tcp -m comment --comment "ingress-nginx/ingress-nginx-controller:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-EDNDUDH2C75GIR6O
        -A KUBE-SERVICES -d 203.0.113.2/32 -p tcp -m comment --comment "ingress-nginx/ingress-nginx-controller:https loadbalancer IP" -m tcp --dport 443 -j KUBE-EXT-EDNDUDH2C75GIR6O
        -A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
        -A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4
        -A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
        -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
        -A KUBE-SVC-OPPHYL3DE7QEONHQ ! -s 10.244.0.0/16 -d 10.107.72.173/32 -p tcp -m comment --comment "default/front:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
        -A KUBE-SVC-OPPHYL3DE7QEONHQ -m comment --comment "default/front:http -> 10.244.1.3:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-VWU4IHON47IJSMCC
        -A KUBE-SVC-OPPHYL3DE7QEONHQ -m comment --comment "default/front:http -> 10.244.2.2:8080" -j KUBE-SEP-BEFBIAVR5AKPCDDD
        -A KUBE-SEP-VWU4IHON47IJSMCC -s 10.244.1.3/32 -m comment --comment "default/front:http" -j KUBE-MARK-MASQ
        -A KUBE-SEP-VWU4IHON47IJSMCC -p tcp -m comment --comment "default/front:http" -m tcp -j DNAT --to-destination 10.244.1.3:8080
        -A KUBE-SEP-BEFBIAVR5AKPCDDD -s 10.244.2.2/32 -m comment --comment "default/front:http" -j KUBE-MARK-MASQ
        -A KUBE-SEP-BEFBIAVR5AKPCDDD -p tcp -m comment --comment "default/front:http" -m tcp -j DNAT --to-destination 10.244.2.2:8080
        -A KUBE-FW-OPPHYL3DE7QEONHQ -s 192.0.2.0/24 -m comment --comment "default/front:http loadbalancer IP" -j KUBE-EXT-OPPHYL3DE7QEONHQ
        -A KUBE-FW-OPPHYL3DE7QEONHQ -m comment --comment "other traffic to default/front:http will be dropped by KUBE-PROXY-FIREWALL"
        -A KUBE-EXT-OPPHYL3DE7QEONHQ -s 10.244.0.0/16 -m comment --comment "pod traffic for default/front:http external destinations" -j KUBE-SVC-OPPHYL3DE7QEONHQ
        -A KUBE-EXT-OPPHYL3DE7QEONHQ -m comment --comment "masquerade LOCAL traffic for default/front:http external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
        -A KUBE-EXT-OPPHYL3DE7QEONHQ -m comment --comment "route LOCAL traffic for default/front:http external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-OPPHYL3DE7QEONHQ
        -A KUBE-SVC-YLFQ6NE5CHZ6LNVL ! -s 10.244.0.0/16 -d 10.107.72.173/32 -p tcp -m comment --comment "default/front:https cluster IP" -m tcp --dport 443 -j KUBE-MARK-MASQ
        -A KUBE-SVC-YLFQ6NE5CHZ6LNVL -m comment --comment "default/front:https -> 10.244.1.3:8443" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-PL3DNJ6CN2CWBO5J
        -A KUBE-SVC-YLFQ6NE5CHZ6LNVL -m comment --comment "default/front:https -> 10.244.2.2:8443" -j KUBE-SEP-5GU3CZYGQNYNZLFF
        -A KUBE-SEP-PL3DNJ6CN2CWBO5J -s 10.244.1.3/32 -m comment --comment "default/front:https" -j KUBE-MARK-MASQ
        -A KUBE-SEP-PL3DNJ6CN2CWBO5J -p tcp -m comment --comment "default/front:https" -m tcp -j DNAT --to-destination 10.244.1.3:8443
        -A KUBE-SEP-5GU3CZYGQNYNZLFF -s 10.244.2.2/32 -m comment --comment "default/front:https" -j KUBE-MARK-MASQ
        -A KUBE-SEP-5GU3CZYGQNYNZLFF -p tcp -m comment --comment "default/front:https" -m tcp -j DNAT --to-destination 10.244.2.2:8443
        -A KUBE-FW-YLFQ6NE5CHZ6LNVL -s 192.0.2.0/24 -m comment --comment "default/front:https loadbalancer IP" -j KUBE-EXT-YLFQ6NE5CHZ6LNVL
        -A KUBE-FW-YLFQ6NE5CHZ6LNVL -m comment --comment "other traffic to default/front:https will be dropped by KUBE-PROXY-FIREWALL"
        -A KUBE-EXT-YLFQ6NE5CHZ6LNVL -s 10.244.0.0/16 -m comment --comment "pod traffic for default/front:https external destinations" -j KUBE-SVC-YLFQ6NE5CHZ6LNVL
        -A KUBE-EXT-YLFQ6NE5CHZ6LNVL -m comment --comment "masquerade LOCAL traffic for default/front:https external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
        -A KUBE-EXT-YLFQ6NE5CHZ6LNVL -m comment --comment "route LOCAL traffic for default/front:https external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-YLFQ6NE5CHZ6LNVL
        -A KUBE-SVC-NPX46M4PTMTKRN6Y ! -s 10.244.0.0/16 -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-MARK-MASQ
        -A KUBE-SVC-NPX46M4PTMTKRN6Y -m comment --comment "default/kubernetes:https -> 192.168.49.2:6443" -j KUBE-SEP-RLR6ZXJXMQP3D2RN
        -A KUBE-SEP-RLR6ZXJXMQP3D2RN -s 192.168.49.2/32 -m comment --comment "default/kubernetes:https" -j KUBE-MARK-MASQ
        -A KUBE-SEP-RLR6ZXJXMQP3D2RN -p tcp -m comment --comment "default/kubernetes:https" -m tcp -j DNAT --to-destination 192.168.49.2:6443
        -A KUBE-SVC-BJWR5DPVIKTHVKZU ! -s 10.244.0.0/16 -d 10.110.195.227/32 -p tcp -m comment --comment "default/sticky cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
        -A KUBE-SVC-BJWR5DPVIKTHVKZU -m comment --comment "default/sticky -> 10.244.1.3:8080" -m recent --name KUBE-SEP-3IBUFA4PAZFIXUKV --mask 255.255.255.255 --rsource --rcheck --seconds 10800 --reap -j KUBE-SEP-3IBUFA4PAZFIXUKV
        -A KUBE-SVC-BJWR5DPVIKTHVKZU -m comment --comment "default/sticky -> 10.244.2.2:8080" -m recent --name KUBE-SEP-6VSJZUSQZX2522B5 --mask 255.255.255.255 --rsource --rcheck --seconds 10800 --reap -j KUBE-SEP-6VSJZUSQZX2522B5
        -A KUBE-SVC-BJWR5DPVIKTHVKZU -m comment --comment "default/sticky -> 10.244.1.3:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-3IBUFA4PAZFIXUKV
        -A KUBE-SVC-BJWR5DPVIKTHVKZU -m comment --comment "default/sticky -> 10.244.2.2:8080" -j KUBE-SEP-6VSJZUSQZX2522B5
        -A KUBE-SEP-3IBUFA4PAZFIXUKV -s 10.244.1.3/32 -m comment --comment "default/sticky" -j KUBE-MARK-MASQ
        -A KUBE-SEP-3IBUFA4PAZFIXUKV -p tcp -m comment --comment "default/sticky" -m recent --set --name KUBE-SEP-3IBUFA4PAZFIXUKV --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.244.1.3:8080
        -A KUBE-SEP-6VSJZUSQZX2522B5 -s 10.244.2.2/32 -m comment --comment "default/sticky" -j KUBE-MARK-MASQ
        -A KUBE-SEP-6VSJZUSQZX2522B5 -p tcp -m comment --comment "default/sticky" -m recent --set --name KUBE-SEP-6VSJZUSQZX2522B5 --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.244.2.2:8080
        -A KUBE-SVC-CDGGSHYLG3RE2FKL ! -s 10.244.0.0/16 -d 10.109.202.138/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
        -A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.3:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-2AZ33KU3V5PGPQZH
        -A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.2.2:8080" -j KUBE-SEP-4EX2N4PG4ASNZOBF
        -A KUBE-SEP-2AZ33KU3V5PGPQZH -s 10.244.1.3/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ
        -A KUBE-SEP-2AZ33KU3V5PGPQZH -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.1.3:8080
        -A KUBE-SEP-4EX2N4PG4ASNZOBF -s 10.244.2.2/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ
        -A KUBE-SEP-4EX2N4PG4ASNZOBF -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.2.2:8080
        -A KUBE-SVC-2262UYG6EQJDKK3I ! -s 10.244.0.0/16 -d 10.107.3.35/32 -p tcp -m comment --comment "default/web-np:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
        -A KUBE-SVC-2262UYG6EQJDKK3I -m comment --comment "default/web-np:http -> 10.244.1.3:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-VTZ7APYAASJJZN2M
        -A KUBE-SVC-2262UYG6EQJDKK3I -m comment --comment "default/web-np:http -> 10.244.2.2:8080" -j KUBE-SEP-KX7KPTXPYEOXLF2G
        -A KUBE-SEP-VTZ7APYAASJJZN2M -s 10.244.1.3/32 -m comment --comment "default/web-np:http" -j KUBE-MARK-MASQ
        -A KUBE-SEP-VTZ7APYAASJJZN2M -p tcp -m comment --comment "default/web-np:http" -m tcp -j DNAT --to-destination 10.244.1.3:8080
        -A KUBE-SEP-KX7KPTXPYEOXLF2G -s 10.244.2.2/32 -m comment --comment "default/web-np:http" -j KUBE-MARK-MASQ
        -A KUBE-SEP-KX7KPTXPYEOXLF2G -p tcp -m comment --comment "default/web-np:http" -m tcp -j DNAT --to-destination 10.244.2.2:8080
        -A KUBE-EXT-2262UYG6EQJDKK3I -m comment --comment "masquerade traffic for default/web-np:http external destinations" -j KUBE-MARK-MASQ
        -A KUBE-EXT-2262UYG6EQJDKK3I -j KUBE-SVC-2262UYG6EQJDKK3I
        -A KUBE-SVC-CG5I4G2RS3ZVWGLK ! -s 10.244.0.0/16 -d 10.111.190.54/32 -p tcp -m comment --comment "ingress-nginx/ingress-nginx-controller:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
        -A KUBE-SVC-CG5I4G2RS3ZVWGLK -m comment --comment "ingress-nginx/ingress-nginx-controller:http -> 10.244.0.4:80" -j KUBE-SEP-MXTCW37IOF46JEGH
        -A KUBE-SEP-MXTCW37IOF46JEGH -s 10.244.0.4/32 -m comment --comment "ingress-nginx/ingress-nginx-controller:http" -j KUBE-MARK-MASQ
        -A KUBE-SEP-MXTCW37IOF46JEGH -p tcp -m comment --comment "ingress-nginx/ingress-nginx-controller:http" -m tcp -j DNAT --to-destination 10.244.0.4:80
        -A KUBE-EXT-CG5I4G2RS3ZVWGLK -m comment --comment "masquerade traffic for ingress-nginx/ingress-nginx-controller:http external destinations" -j KUBE-MARK-MASQ
        -A KUBE-EXT-CG5I4G2RS3ZVWGLK -j KUBE-SVC-CG5I4G2RS3ZVWGLK
        -A KUBE-SVC-EDNDUDH2C75GIR6O ! -s 10.244.0.0/16 -d 10.111.190.54/32 -p tcp -m comment --comment "ingress-nginx/ingress-nginx-controller:https cluster IP" -m tcp --dport 443 -j KUBE-MARK-MASQ
        -A KUBE-SVC-EDNDUDH2C75GIR6O -m comment --comment "ingress-nginx/ingress-nginx-controller:https -> 10.244.0.4:443" -j KUBE-SEP-QH3ATE54KCFIG4FC
        -A KUBE-SEP-QH3ATE54KCFIG4FC -s 10.244.0.4/32 -m comment --comment "ingress-nginx/ingress-nginx-controller:https" -j KUBE-MARK-MASQ
        -A KUBE-SEP-QH3ATE54KCFIG4FC -p tcp -m comment --comment "ingress-nginx/ingress-nginx-controller:https" -m tcp -j DNAT --to-destination 10.244.0.4:443
        -A KUBE-EXT-EDNDUDH2C75GIR6O -m comment --comment "masquerade traffic for ingress-nginx/ingress-nginx-controller:https external destinations" -j KUBE-MARK-MASQ
        -A KUBE-EXT-EDNDUDH2C75GIR6O -j KUBE-SVC-EDNDUDH2C75GIR6O
        -A KUBE-SVC-TCOU7JCQXEZGVUNU ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-MARK-MASQ
        -A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.1.2:53" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-Z6M7ZHWCTBNMPLD7
        -A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.2:53" -j KUBE-SEP-YIL6JZP7A3QYXJU2
        -A KUBE-SEP-Z6M7ZHWCTBNMPLD7 -s 10.244.1.2/32 -m comment --comment "kube-system/kube-dns:dns" -j KUBE-MARK-MASQ
        -A KUBE-SEP-Z6M7ZHWCTBNMPLD7 -p udp -m comment --comment "kube-system/kube-dns:dns" -m udp -j DNAT --to-destination 10.244.1.2:53
        -A KUBE-SEP-YIL6JZP7A3QYXJU2 -s 10.244.0.2/32 -m comment --comment "kube-system/kube-dns:dns" -j KUBE-MARK-MASQ
        -A KUBE-SEP-YIL6JZP7A3QYXJU2 -p udp -m comment --comment "kube-system/kube-dns:dns" -m udp -j DNAT --to-destination 10.244.0.2:53
        -A KUBE-SVC-ERIFXISQEP7F7OF4 ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p tcp -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp --dport 53 -j KUBE-MARK-MASQ
        -A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.1.2:53" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-BWHGELGX6BITPZVO
        -A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.2:53" -j KUBE-SEP-IT2ZTR26TO4XFPTO
        -A KUBE-SEP-BWHGELGX6BITPZVO -s 10.244.1.2/32 -m comment --comment "kube-system/kube-dns:dns-tcp" -j KUBE-MARK-MASQ
        -A KUBE-SEP-BWHGELGX6BITPZVO -p tcp -m comment --comment "kube-system/kube-dns:dns-tcp" -m tcp -j DNAT --to-destination 10.244.1.2:53
        -A KUBE-SEP-IT2ZTR26TO4XFPTO -s 10.244.0.2/32 -m comment --comment "kube-system/kube-dns:dns-tcp" -j KUBE-MARK-MASQ
        -A KUBE-SEP-IT2ZTR26TO4XFPTO -p tcp -m comment --comment "kube-system/kube-dns:dns-tcp" -m tcp -j DNAT --to-destination 10.244.0.2:53
        -A KUBE-SVC-JD5MR3NA4I4DYORP ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p tcp -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp --dport 9153 -j KUBE-MARK-MASQ
        -A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.1.2:9153" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-HK254EL4IH3TTFBT
        -A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.2:9153" -j KUBE-SEP-N4G2XR5TDX7PQE7P
        -A KUBE-SEP-HK254EL4IH3TTFBT -s 10.244.1.2/32 -m comment --comment "kube-system/kube-dns:metrics" -j KUBE-MARK-MASQ
        -A KUBE-SEP-HK254EL4IH3TTFBT -p tcp -m comment --comment "kube-system/kube-dns:metrics" -m tcp -j DNAT --to-destination 10.244.1.2:9153
        -A KUBE-SEP-N4G2XR5TDX7PQE7P -s 10.244.0.2/32 -m comment --comment "kube-system/kube-dns:metrics" -j KUBE-MARK-MASQ
        -A KUBE-SEP-N4G2XR5TDX7PQE7P -p tcp -m comment --comment "kube-system/kube-dns:metrics" -m tcp -j DNAT --to-destination 10.244.0.2:9153
        COMMIT
    "##]].assert_eq(&views().iptables_save("node-1").unwrap());
}
