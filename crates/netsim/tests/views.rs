//! kube-proxy's rules and the EndpointSlices the controller writes: properties that hold
//! whatever the addresses.
//! https://kubernetes.io/docs/reference/networking/virtual-ips/#proxy-mode-iptables
mod common;

use common::*;

#[test]
fn iptables_rules_table() {
    let c = world().build();
    let dump = c.iptables_save("node-1").unwrap();
    let web = c.service("default", "web").unwrap().cluster_ip.unwrap();
    let rows: &[(&str, String)] = &[
        ("kube-dns chain keeps its well-known name", "-j KUBE-SVC-TCOU7JCQXEZGVUNU".into()),
        ("kubernetes chain keeps its well-known name", "-j KUBE-SVC-NPX46M4PTMTKRN6Y".into()),
        ("3 endpoints: first rule 1/3 as iptables-save prints it", "--probability 0.33333333349".into()),
        ("3 endpoints: second rule 1/2", "--probability 0.50000000000".into()),
        (
            "cluster IP comment",
            format!(
                "-d {web}/32 -p tcp -m comment --comment \"default/web:http cluster IP\" -m tcp --dport 80"
            ),
        ),
        ("masquerade off-cluster sources", format!("! -s 10.244.0.0/16 -d {web}/32")),
        ("nodePort rule", "-m tcp --dport 30080 -j KUBE-EXT-".into()),
        (
            "nodeports last in KUBE-SERVICES",
            "kubernetes service nodeports; NOTE: this must be the last rule in this chain".into(),
        ),
        ("no endpoints: REJECT", "\"default/typo has no endpoints\"".into()),
        ("session affinity: recent match", "--rcheck --seconds 10800 --reap".into()),
        (
            "LoadBalancer source ranges: firewall chain",
            "-s 192.0.2.0/25 -m comment --comment \"default/lb:http loadbalancer IP\"".into(),
        ),
        (
            "Local policy without local endpoint drops",
            "\"default/solo-local:http has no local endpoints\"".into(),
        ),
        ("DNAT to the endpoint", "-j DNAT --to-destination".into()),
        ("mark for masquerade", "-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000".into()),
    ];
    for (name, needle) in rows {
        assert!(dump.contains(needle.as_str()), "{name}: missing {needle:?}");
    }
    assert!(!dump.contains("default/ext"), "ExternalName Services are not proxied");
    assert!(!dump.contains("default/db"), "headless Services are not proxied");
    assert!(c.iptables_save("node-9").is_none());
    // internalTrafficPolicy Local: node-1 has no endpoint for `local`, node-2 has one.
    let n2 = c.iptables_save("node-2").unwrap();
    let local_chain = |d: &str| d.lines().filter(|l| l.contains("\"default/local -> ")).count();
    assert_eq!((local_chain(&dump), local_chain(&n2)), (0, 1));
}

#[test]
fn endpoint_slices_split_by_resolved_ports() {
    let c = scenario()
        .deployment("default", "web", 2, "app=web", &["http:8080"])
        .pod("default", "old", "app=web", &["http:9000"])
        .svc("default", "web", "app=web", &["80->http"])
        .build();
    let slices = c.service("default", "web").unwrap().endpoint_slices();
    let ports: Vec<Vec<u16>> = slices.iter().map(|(_, p, _)| p.clone()).collect();
    assert_eq!(ports.len(), 2, "{ports:?}");
    assert!(ports.contains(&vec![8080]) && ports.contains(&vec![9000]));
}
