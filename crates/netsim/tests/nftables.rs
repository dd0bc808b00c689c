//! kube-proxy's rules in nftables mode (`Cluster::nft_list`), family by family, against the
//! layout of Kubernetes 1.35's pkg/proxy/nftables/proxier.go that ARCHITECTURE.md describes
//! (its proxier_test.go `TestOverallNFTablesRules` holds the same families): the base chains
//! and their jumps, the sets and verdict maps, and per Service port the `service-`, `local-`,
//! `external-`, `firewall-` and `endpoint-` chains. The same cluster's iptables rules are in
//! views.rs; `both_modes_send_every_request_alike` checks that the two modes agree.
mod common;

use common::*;
use expect_test::expect;
use netsim::send::{Client, Request};

/// The lines of `dump` that name `default/<name>` (elements and chains, with each chain's
/// rules), in order; names' hashes and addresses as written.
fn of(dump: &str, name: &str) -> String {
    let needle = format!("default/{name}/");
    let comments = [format!("\"default/{name}\""), format!("\"default/{name}:")];
    let mut out = Vec::new();
    let mut inside = false;
    for line in dump.lines() {
        let t = line.trim();
        if t.starts_with("chain ") {
            inside = t.contains(&needle);
        }
        if inside || t.contains(&needle) || comments.iter().any(|c| t.contains(c.as_str())) {
            out.push(t.to_string());
        }
        if t == "}" {
            inside = false;
        }
    }
    out.join("\n")
}

#[test]
fn the_table_its_base_chains_and_its_maps() {
    let c = world().topology(|t| t.kube_proxy_mode = netsim::ProxyMode::Nftables).build();
    let dump = c.nft_list("node-1").unwrap();
    assert!(c.nft_list("node-9").is_none());
    let head: Vec<&str> = dump.lines().take(4).collect();
    assert_eq!(
        head,
        [
            "table ip kube-proxy {",
            "\tcomment \"rules for kube-proxy\"",
            "\tset cluster-ips {",
            "\t\ttype ipv4_addr"
        ]
    );
    for needle in [
        "chain filter-prerouting-pre-dnat {\n\t\ttype filter hook prerouting priority dstnat - 10; policy accept;\n\t\tct state new jump firewall-check\n\t}",
        "chain filter-input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\tct state new jump nodeport-endpoints-check\n\t\tct state new jump service-endpoints-check\n\t}",
        "chain nat-postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\t\tjump masquerading\n\t}",
        "chain services {\n\t\tip daddr . meta l4proto . th dport vmap @service-ips\n\t\tip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports\n\t}",
        "map service-ips {\n\t\ttype ipv4_addr . inet_proto . inet_service : verdict\n\t\tcomment \"ClusterIP, ExternalIP and LoadBalancer IP traffic\"",
        "set nodeport-ips {\n\t\ttype ipv4_addr\n\t\tcomment \"IPs that accept NodePort traffic\"\n\t\telements = { 192.168.49.2 }",
        "ip daddr { 10.96.0.0/12 } drop comment \"Drop traffic to unallocated ClusterIPs\"",
        // kube-dns keeps a name of its own: the hash of `kube-system/kube-dns/udp/dns`.
        "goto service-",
    ] {
        assert!(dump.contains(needle), "missing {needle:?} in\n{dump}");
    }
    // The fixed chains come in kube-proxy's order of creation.
    let order: Vec<&str> = dump
        .lines()
        .filter_map(|l| l.trim().strip_prefix("chain "))
        .map(|l| l.trim_end_matches(" {"))
        .take(16)
        .collect();
    expect![[r#"
        [
            "filter-prerouting-pre-dnat",
            "filter-output-pre-dnat",
            "filter-input",
            "filter-forward",
            "filter-output",
            "nat-prerouting",
            "nat-output",
            "nat-postrouting",
            "nodeport-endpoints-check",
            "service-endpoints-check",
            "firewall-check",
            "services",
            "masquerading",
            "cluster-ips-check",
            "mark-for-masquerade",
            "reject-chain",
        ]
    "#]]
    .assert_debug_eq(&order);
}

#[test]
fn each_family_of_service_port_rules() {
    let c = world().topology(|t| t.kube_proxy_mode = netsim::ProxyMode::Nftables).build();
    let dump = c.nft_list("node-1").unwrap();
    // Three endpoints: the cluster IP's element, the masquerade rule, the numgen vmap.
    expect![[r#"
        10.109.202.138 . tcp . 80 : goto service-SUSTUHLJ-default/web/tcp/http,
        chain endpoint-3UO6JXKY-default/web/tcp/http__10.244.0.6/8080 {
        ip saddr 10.244.0.6 jump mark-for-masquerade
        meta l4proto tcp dnat to 10.244.0.6:8080
        }
        chain endpoint-JHLVF6GI-default/web/tcp/http__10.244.2.4/8080 {
        ip saddr 10.244.2.4 jump mark-for-masquerade
        meta l4proto tcp dnat to 10.244.2.4:8080
        }
        chain endpoint-T3YFOJIQ-default/web/tcp/http__10.244.1.7/8080 {
        ip saddr 10.244.1.7 jump mark-for-masquerade
        meta l4proto tcp dnat to 10.244.1.7:8080
        }
        chain service-SUSTUHLJ-default/web/tcp/http {
        ip daddr 10.109.202.138 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
        numgen random mod 3 vmap { 0 : goto endpoint-3UO6JXKY-default/web/tcp/http__10.244.0.6/8080, 1 : goto endpoint-T3YFOJIQ-default/web/tcp/http__10.244.1.7/8080, 2 : goto endpoint-JHLVF6GI-default/web/tcp/http__10.244.2.4/8080 }
        }"#]].assert_eq(&of(&dump, "web"));
    // A NodePort: its element in service-nodeports, and the external- chain of the Cluster
    // policy (masquerade, then the service- chain).
    expect![[r#"
        10.108.22.56 . tcp . 80 : goto service-ASNVMIOD-default/np/tcp/http,
        elements = { tcp . 30080 : goto external-ASNVMIOD-default/np/tcp/http,
        chain endpoint-5WE6HIDW-default/np/tcp/http__10.244.2.4/8080 {
        ip saddr 10.244.2.4 jump mark-for-masquerade
        meta l4proto tcp dnat to 10.244.2.4:8080
        }
        chain endpoint-6SVHWYS2-default/np/tcp/http__10.244.0.6/8080 {
        ip saddr 10.244.0.6 jump mark-for-masquerade
        meta l4proto tcp dnat to 10.244.0.6:8080
        }
        chain endpoint-I5B7ZJP4-default/np/tcp/http__10.244.1.7/8080 {
        ip saddr 10.244.1.7 jump mark-for-masquerade
        meta l4proto tcp dnat to 10.244.1.7:8080
        }
        chain external-ASNVMIOD-default/np/tcp/http {
        jump mark-for-masquerade
        goto service-ASNVMIOD-default/np/tcp/http
        }
        chain service-ASNVMIOD-default/np/tcp/http {
        ip daddr 10.108.22.56 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
        numgen random mod 3 vmap { 0 : goto endpoint-6SVHWYS2-default/np/tcp/http__10.244.0.6/8080, 1 : goto endpoint-I5B7ZJP4-default/np/tcp/http__10.244.1.7/8080, 2 : goto endpoint-5WE6HIDW-default/np/tcp/http__10.244.2.4/8080 }
        }"#]].assert_eq(&of(&dump, "np"));
    // A LoadBalancer with loadBalancerSourceRanges: the firewall-ips element and chain.
    expect![[r#"
        elements = { 203.0.113.1 . tcp . 80 : goto firewall-D2RGPZ6L-default/lb/tcp/http }
        10.99.221.108 . tcp . 80 : goto service-D2RGPZ6L-default/lb/tcp/http,
        203.0.113.1 . tcp . 80 : goto external-D2RGPZ6L-default/lb/tcp/http,
        tcp . 32070 : goto external-D2RGPZ6L-default/lb/tcp/http }
        chain endpoint-EG6RLLFK-default/lb/tcp/http__10.244.2.4/8080 {
        ip saddr 10.244.2.4 jump mark-for-masquerade
        meta l4proto tcp dnat to 10.244.2.4:8080
        }
        chain endpoint-K4SP4K3S-default/lb/tcp/http__10.244.1.7/8080 {
        ip saddr 10.244.1.7 jump mark-for-masquerade
        meta l4proto tcp dnat to 10.244.1.7:8080
        }
        chain endpoint-PJAPWS6J-default/lb/tcp/http__10.244.0.6/8080 {
        ip saddr 10.244.0.6 jump mark-for-masquerade
        meta l4proto tcp dnat to 10.244.0.6:8080
        }
        chain external-D2RGPZ6L-default/lb/tcp/http {
        jump mark-for-masquerade
        goto service-D2RGPZ6L-default/lb/tcp/http
        }
        chain firewall-D2RGPZ6L-default/lb/tcp/http {
        ip saddr != { 192.0.2.0/25 } drop
        }
        chain service-D2RGPZ6L-default/lb/tcp/http {
        ip daddr 10.99.221.108 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
        numgen random mod 3 vmap { 0 : goto endpoint-PJAPWS6J-default/lb/tcp/http__10.244.0.6/8080, 1 : goto endpoint-K4SP4K3S-default/lb/tcp/http__10.244.1.7/8080, 2 : goto endpoint-EG6RLLFK-default/lb/tcp/http__10.244.2.4/8080 }
        }"#]].assert_eq(&of(&dump, "lb"));
    // externalTrafficPolicy Local with no endpoint on node-1: drop at the load balancer IP
    // and the nodePort, pods and the node itself still short-circuited to service-.
    expect![[r#"
        203.0.113.2 . tcp . 80 comment "default/lb-local:http" : drop }
        tcp . 30204 comment "default/lb-local:http" : drop }
        10.105.74.114 . tcp . 80 : goto service-KFCEHOL4-default/lb-local/tcp/http,
        203.0.113.2 . tcp . 80 : goto external-KFCEHOL4-default/lb-local/tcp/http,
        tcp . 30204 : goto external-KFCEHOL4-default/lb-local/tcp/http,
        chain endpoint-XXX4Y7H3-default/lb-local/tcp/http__10.244.1.6/8080 {
        ip saddr 10.244.1.6 jump mark-for-masquerade
        meta l4proto tcp dnat to 10.244.1.6:8080
        }
        chain external-KFCEHOL4-default/lb-local/tcp/http {
        ip saddr 10.244.0.0/16 goto service-KFCEHOL4-default/lb-local/tcp/http comment "short-circuit pod traffic"
        fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"
        fib saddr type local goto service-KFCEHOL4-default/lb-local/tcp/http comment "short-circuit local traffic"
        }
        chain service-KFCEHOL4-default/lb-local/tcp/http {
        ip daddr 10.105.74.114 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
        numgen random mod 1 vmap { 0 : goto endpoint-XXX4Y7H3-default/lb-local/tcp/http__10.244.1.6/8080 }
        }"#]].assert_eq(&of(&dump, "lb-local"));
    // internalTrafficPolicy Local with no endpoint on node-1: drop at the cluster IP.
    expect![[r#"10.106.234.93 . tcp . 80 comment "default/local" : drop,"#]].assert_eq(&of(&dump, "local"));
    // No endpoint anywhere: reject at the cluster IP.
    expect![[r#"10.109.8.168 . tcp . 80 comment "default/typo" : goto reject-chain,"#]]
        .assert_eq(&of(&dump, "typo"));
    // sessionAffinity ClientIP: an affinity- set per endpoint, checked before the vmap and
    // updated by the endpoint chain.
    expect![[r#"
        10.110.195.227 . tcp . 80 : goto service-EDE2N7RF-default/sticky/tcp/,
        set affinity-4EUNKWOF-default/sticky/tcp/__10.244.0.6/8080 {
        set affinity-PHJEG6PV-default/sticky/tcp/__10.244.2.4/8080 {
        set affinity-ZAK533EE-default/sticky/tcp/__10.244.1.7/8080 {
        chain endpoint-4EUNKWOF-default/sticky/tcp/__10.244.0.6/8080 {
        ip saddr 10.244.0.6 jump mark-for-masquerade
        update @affinity-4EUNKWOF-default/sticky/tcp/__10.244.0.6/8080 { ip saddr }
        meta l4proto tcp dnat to 10.244.0.6:8080
        }
        chain endpoint-PHJEG6PV-default/sticky/tcp/__10.244.2.4/8080 {
        ip saddr 10.244.2.4 jump mark-for-masquerade
        update @affinity-PHJEG6PV-default/sticky/tcp/__10.244.2.4/8080 { ip saddr }
        meta l4proto tcp dnat to 10.244.2.4:8080
        }
        chain endpoint-ZAK533EE-default/sticky/tcp/__10.244.1.7/8080 {
        ip saddr 10.244.1.7 jump mark-for-masquerade
        update @affinity-ZAK533EE-default/sticky/tcp/__10.244.1.7/8080 { ip saddr }
        meta l4proto tcp dnat to 10.244.1.7:8080
        }
        chain service-EDE2N7RF-default/sticky/tcp/ {
        ip daddr 10.110.195.227 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
        ip saddr @affinity-4EUNKWOF-default/sticky/tcp/__10.244.0.6/8080 goto endpoint-4EUNKWOF-default/sticky/tcp/__10.244.0.6/8080
        ip saddr @affinity-ZAK533EE-default/sticky/tcp/__10.244.1.7/8080 goto endpoint-ZAK533EE-default/sticky/tcp/__10.244.1.7/8080
        ip saddr @affinity-PHJEG6PV-default/sticky/tcp/__10.244.2.4/8080 goto endpoint-PHJEG6PV-default/sticky/tcp/__10.244.2.4/8080
        numgen random mod 3 vmap { 0 : goto endpoint-4EUNKWOF-default/sticky/tcp/__10.244.0.6/8080, 1 : goto endpoint-ZAK533EE-default/sticky/tcp/__10.244.1.7/8080, 2 : goto endpoint-PHJEG6PV-default/sticky/tcp/__10.244.2.4/8080 }
        }"#]].assert_eq(&of(&dump, "sticky"));
    // internalTrafficPolicy Local where the node has an endpoint: local- with the masquerade
    // rule.
    let n2 = c.nft_list("node-2").unwrap();
    expect![[r#"
        10.106.234.93 . tcp . 80 : goto local-O7JKBUXF-default/local/tcp/,
        chain endpoint-UPKUEFQZ-default/local/tcp/__10.244.1.6/8080 {
        ip saddr 10.244.1.6 jump mark-for-masquerade
        meta l4proto tcp dnat to 10.244.1.6:8080
        }
        chain local-O7JKBUXF-default/local/tcp/ {
        ip daddr 10.106.234.93 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
        numgen random mod 1 vmap { 0 : goto endpoint-UPKUEFQZ-default/local/tcp/__10.244.1.6/8080 }
        }"#]]
    .assert_eq(&of(&n2, "local"));
}

/// Each kube-proxy hop names the rule that fired (the Service chain's rule and the KUBE-SEP
/// chain in iptables mode; the verdict-map element and the `numgen` element's endpoint chain
/// in nftables mode), and that rule is in the node's listing, for traffic at the cluster IP,
/// at a nodePort from outside and at a load balancer IP from inside.
#[test]
fn the_rule_a_hop_names_is_in_the_nodes_rules() {
    for mode in [netsim::ProxyMode::Iptables, netsim::ProxyMode::Nftables] {
        let c = world().topology(|t| t.kube_proxy_mode = mode).build();
        let np = c.node("node-1").unwrap().ip;
        let lb = c.service("default", "lb-local").unwrap().load_balancer_ip.unwrap();
        for (from, to) in [
            (Client::pod("default", "client"), "http://web".to_string()),
            (Client::Outside("198.51.100.10".parse().unwrap()), format!("http://{np}:30080")),
            (Client::pod("default", "client"), format!("http://{lb}")),
            (Client::pod("default", "client"), "http://sticky".to_string()),
        ] {
            for t in c.send_all(&Request::new(from.clone(), &to)) {
                let hop = t.hops.iter().find(|h| h.at.starts_with("kube-proxy/")).expect("a kube-proxy hop");
                let node = hop.at.trim_start_matches("kube-proxy/");
                let rule = hop
                    .explanation
                    .split("the rule: ")
                    .nth(1)
                    .unwrap_or_else(|| panic!("{mode:?} {to}: {}", hop.explanation));
                let listing = match mode {
                    netsim::ProxyMode::Iptables => c.iptables_save(node).unwrap(),
                    netsim::ProxyMode::Nftables => c.nft_list(node).unwrap(),
                };
                // Every chain the words name is in the listing.
                for name in rule.split([' ', ',', '`', '(']).filter(|w| {
                    ["KUBE-", "service-", "local-", "external-", "endpoint-"].iter().any(|p| w.starts_with(p))
                }) {
                    assert!(listing.contains(name), "{mode:?} {to}: {name} is not on {node}:\n{rule}");
                }
                if mode == netsim::ProxyMode::Nftables {
                    let element = rule.split('`').nth(1).expect("an element");
                    assert!(listing.contains(element), "{to}: element {element} is not on {node}");
                }
            }
        }
    }
}
