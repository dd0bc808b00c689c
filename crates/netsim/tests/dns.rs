//! DNS as CoreDNS answers and as a pod's resolver asks.
//! https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/
mod common;

use common::*;
use netsim::*;

fn cluster() -> Cluster {
    shop()
        .statefulset("default", "db", 2, "db", "app=db", &["pg:5432"])
        .svc("default", "db", "app=db", &["pg 5432->5432"])
        .with_svc(|s| s.cluster_ip = ClusterIpSpec::Headless)
        .svc("default", "empty-headless", "app=nothing", &["80"])
        .with_svc(|s| s.cluster_ip = ClusterIpSpec::Headless)
        .svc("default", "search", "", &[])
        .with_svc(|s| {
            s.service_type = ServiceType::ExternalName;
            s.external_name = Some("search.example.com".into());
        })
        .svc("default", "alias", "", &[])
        .with_svc(|s| {
            s.service_type = ServiceType::ExternalName;
            s.external_name = Some("api.backend.svc.cluster.local".into());
        })
        .pod("default", "lone", "app=lone", &[])
        .with_pod(|p| {
            p.spec.hostname = Some("box".into());
            p.spec.subdomain = Some("db".into());
        })
        .build()
}

fn check(c: &Cluster, from: &str, name: &str, qtype: QueryType, want: &str) {
    let from = match from.split_once('/') {
        Some((ns, pod)) => DnsClient::Pod { namespace: ns.into(), name: pod.into() },
        None => DnsClient::Namespace(from.into()),
    };
    let answer = c.dns(&DnsQuery { from: from.clone(), name: name.into(), qtype });
    assert_eq!(
        render_answer(c, &answer),
        want,
        "{from:?} asks {} {name}: {}",
        qtype.as_str(),
        answer.explanation
    );
}

#[test]
fn a_records_table() {
    let c = cluster();
    let db0 = "pod/default/db-0";
    let db1 = "pod/default/db-1";
    let rows: &[(&str, &str, String)] = &[
        // Services: https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#a-aaaa-records
        ("default", "web.default.svc.cluster.local", "A svc/default/web".into()),
        ("default", "web.default.svc.cluster.local.", "A svc/default/web".into()),
        ("default", "web", "A svc/default/web".into()),
        ("default", "WEB", "A svc/default/web".into()),
        ("default", "web.default", "A svc/default/web".into()),
        ("default", "web.default.svc", "A svc/default/web".into()),
        ("backend", "web", "NXDOMAIN".into()),
        ("backend", "web.default", "A svc/default/web".into()),
        ("backend", "api", "A svc/backend/api".into()),
        ("default", "api", "NXDOMAIN".into()),
        ("default", "api.backend", "A svc/backend/api".into()),
        ("default", "api.backend.svc.cluster.local", "A svc/backend/api".into()),
        ("default", "api.default.svc.cluster.local", "NXDOMAIN".into()),
        ("default", "nope", "NXDOMAIN".into()),
        ("default", "web.nowhere", "NXDOMAIN".into()),
        ("default", "kubernetes", "A svc/default/kubernetes".into()),
        ("backend", "kubernetes.default", "A svc/default/kubernetes".into()),
        ("backend", "kube-dns.kube-system", "A svc/kube-system/kube-dns".into()),
        // Headless: the ready endpoints, sorted.
        ("default", "db", {
            let (a, b) = (c.pod("default", "db-0").unwrap().ip, c.pod("default", "db-1").unwrap().ip);
            if a < b {
                format!("A {db0}; A {db1}")
            } else {
                format!("A {db1}; A {db0}")
            }
        }),
        ("default", "empty-headless", "NXDOMAIN".into()),
        // StatefulSet pods through their headless Service.
        ("default", "db-0.db", format!("A {db0}")),
        ("default", "db-1.db.default.svc.cluster.local", format!("A {db1}")),
        ("backend", "db-0.db.default", format!("A {db0}")),
        ("default", "db-7.db", "NXDOMAIN".into()),
        // hostname + subdomain, but the Service does not select the pod: CoreDNS serves
        // these names from EndpointSlices, so there is no record.
        ("default", "box.db", "NXDOMAIN".into()),
        // ExternalName: a CNAME, followed.
        ("default", "search", "CNAME search.example.com; A 198.51.100.".into()),
        ("default", "alias", "CNAME api.backend.svc.cluster.local; A svc/backend/api".into()),
        // Outside names.
        ("default", "example.com", "A 198.51.100.".into()),
        ("default", "example.invalid", "NXDOMAIN".into()),
        ("default", "web.default.svc.cluster.local.example.com", "A 198.51.100.".into()),
    ];
    for (from, name, want) in rows {
        let answer = c.dns(&DnsQuery {
            from: DnsClient::Namespace(from.to_string()),
            name: name.to_string(),
            qtype: QueryType::A,
        });
        let got = render_answer(&c, &answer);
        if want.ends_with("198.51.100.") {
            assert!(got.starts_with(want.as_str()), "{from} asks {name}: {got}");
        } else {
            assert_eq!(&got, want, "{from} asks {name}: {}", answer.explanation);
        }
    }
}

// https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-a-aaaa-records
#[test]
fn pod_a_records() {
    let c = cluster();
    let client = c.pod("default", "client").unwrap();
    let dashed = client.ip.unwrap().to_string().replace('.', "-");
    check(
        &c,
        "default",
        &format!("{dashed}.default.pod.cluster.local"),
        QueryType::A,
        "A pod/default/client",
    );
    check(
        &c,
        "backend",
        &format!("{dashed}.default.pod.cluster.local"),
        QueryType::A,
        "A pod/default/client",
    );
    // "pods insecure": any dashed address in an existing namespace is answered.
    check(&c, "default", "1-2-3-4.default.pod.cluster.local", QueryType::A, "A 1.2.3.4");
    check(&c, "default", "1-2-3-4.nowhere.pod.cluster.local", QueryType::A, "NXDOMAIN");
    check(&c, "default", "not-an-ip.default.pod.cluster.local", QueryType::A, "NXDOMAIN");
}

// https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#srv-records
#[test]
fn srv_records_table() {
    let c = cluster();
    let rows = [
        ("_http._tcp.web.default.svc.cluster.local", "SRV 80 web.default.svc.cluster.local"),
        ("_http._tcp.web", "SRV 80 web.default.svc.cluster.local"),
        ("_http._udp.web.default.svc.cluster.local", "NXDOMAIN"),
        ("_nope._tcp.web.default.svc.cluster.local", "NXDOMAIN"),
        (
            "_pg._tcp.db.default.svc.cluster.local",
            "SRV 5432 db-0.db.default.svc.cluster.local; SRV 5432 db-1.db.default.svc.cluster.local",
        ),
        ("_dns._udp.kube-dns.kube-system.svc.cluster.local", "SRV 53 kube-dns.kube-system.svc.cluster.local"),
        ("_https._tcp.kubernetes.default.svc.cluster.local", "SRV 443 kubernetes.default.svc.cluster.local"),
        // An unnamed port has no SRV record.
        ("_http._tcp.api.backend.svc.cluster.local", "NXDOMAIN"),
    ];
    for (name, want) in rows {
        check(&c, "default", name, QueryType::Srv, want);
    }
}

#[test]
fn ptr_records_table() {
    let c = cluster();
    let web = c.service("default", "web").unwrap().cluster_ip.unwrap();
    check(&c, "default", &web.to_string(), QueryType::Ptr, "PTR web.default.svc.cluster.local");
    let o = web.octets();
    check(
        &c,
        "default",
        &format!("{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0]),
        QueryType::Ptr,
        "PTR web.default.svc.cluster.local",
    );
    let db0 = c.pod("default", "db-0").unwrap().ip.unwrap();
    check(&c, "default", &db0.to_string(), QueryType::Ptr, "PTR db-0.db.default.svc.cluster.local");
    let api = c.pods.iter().find(|p| p.namespace == "backend" && p.name.starts_with("api-")).unwrap();
    let dashed = api.ip.unwrap().to_string().replace('.', "-");
    check(
        &c,
        "default",
        &api.ip.unwrap().to_string(),
        QueryType::Ptr,
        &format!("PTR {dashed}.api.backend.svc.cluster.local"),
    );
    check(&c, "default", "10.99.99.99", QueryType::Ptr, "NXDOMAIN");
}

/// A headless Service with no selector and a hand-written EndpointSlice whose endpoint has a
/// `hostname` and an address outside the pod network: the A record of `<hostname>.<svc>` and
/// the PTR record of the address both exist. Source: the Kubernetes DNS specification
/// (kubernetes/dns docs/specification.md), 2.4.1 and 2.4.3: "Given a ready endpoint with
/// hostname `<hostname>` and IPv4 address `<a>.<b>.<c>.<d>`" there is a PTR record to
/// `<hostname>.<service>.<ns>.svc.<zone>`; nothing there asks for a pod behind the endpoint.
#[test]
fn a_hand_written_endpoint_with_a_hostname_has_a_ptr_record() {
    let c = shop()
        .svc("default", "legacy", "", &["pg 5432->5432"])
        .with_svc(|s| s.cluster_ip = ClusterIpSpec::Headless)
        .slice("default", "legacy", &["192.0.2.15"], &[("pg", 5432)])
        .build();
    check(&c, "default", "192.0.2.15", QueryType::Ptr, "PTR 192-0-2-15.legacy.default.svc.cluster.local");
    let named = shop()
        .svc("default", "legacy", "", &["pg 5432->5432"])
        .with_svc(|s| s.cluster_ip = ClusterIpSpec::Headless)
        .slice("default", "legacy", &["192.0.2.15"], &[("pg", 5432)])
        .with_slice(|s| s.endpoints[0].hostname = Some("primary".into()))
        .build();
    check(&named, "default", "primary.legacy.default.svc.cluster.local", QueryType::A, "A 192.0.2.15");
    check(&named, "default", "192.0.2.15", QueryType::Ptr, "PTR primary.legacy.default.svc.cluster.local");
}

// The search list and ndots, glibc style.
// https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#namespaces-of-services
#[test]
fn names_tried_follow_the_search_list() {
    let c = cluster();
    let tried = |from: &str, name: &str| c.dns(&DnsQuery::a(from, name)).tried;
    assert_eq!(tried("default", "web"), ["web.default.svc.cluster.local"]);
    assert_eq!(
        tried("backend", "web"),
        ["web.backend.svc.cluster.local", "web.svc.cluster.local", "web.cluster.local", "web"]
    );
    assert_eq!(
        tried("backend", "web.default"),
        [
            "web.backend.svc.cluster.local".replace("web.", "web.default.").as_str(),
            "web.default.svc.cluster.local"
        ]
    );
    assert_eq!(tried("default", "web.default.svc.cluster.local."), ["web.default.svc.cluster.local"]);
    // 5 dots >= ndots: tried as-is first.
    assert_eq!(tried("default", "a.b.c.d.e.f").first().map(String::as_str), Some("a.b.c.d.e.f"));
    assert_eq!(tried("default", "example.com").last().map(String::as_str), Some("example.com"));
    assert_eq!(tried("default", "example.com").len(), 4);
}

// https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-s-dns-policy
#[test]
fn dns_policy_table() {
    let base = || shop();
    struct Case {
        name: &'static str,
        f: fn(&mut Pod),
        web: &'static str,
        external_resolves: bool,
    }
    let cases = [
        Case { name: "ClusterFirst", f: |_| {}, web: "A svc/default/web", external_resolves: true },
        Case {
            name: "hostNetwork falls back to Default",
            f: |p| p.spec.host_network = true,
            web: "NXDOMAIN",
            external_resolves: true,
        },
        Case {
            name: "ClusterFirstWithHostNet",
            f: |p| {
                p.spec.host_network = true;
                p.spec.dns_policy = DnsPolicy::ClusterFirstWithHostNet;
            },
            web: "A svc/default/web",
            external_resolves: true,
        },
        Case {
            name: "Default",
            f: |p| p.spec.dns_policy = DnsPolicy::Default,
            web: "NXDOMAIN",
            external_resolves: true,
        },
        Case {
            name: "None without config",
            f: |p| p.spec.dns_policy = DnsPolicy::None,
            web: "NXDOMAIN",
            external_resolves: false,
        },
        Case {
            name: "None with kube-dns and a search list",
            f: |p| {
                p.spec.dns_policy = DnsPolicy::None;
                p.spec.dns_config = Some(DnsConfig {
                    nameservers: vec!["10.96.0.10".parse().unwrap()],
                    searches: vec!["default.svc.cluster.local".into()],
                    options: vec![("ndots".into(), Some("2".into()))],
                });
            },
            web: "A svc/default/web",
            external_resolves: true,
        },
        Case {
            name: "None with an outside nameserver",
            f: |p| {
                p.spec.dns_policy = DnsPolicy::None;
                p.spec.dns_config = Some(DnsConfig {
                    nameservers: vec!["1.1.1.1".parse().unwrap()],
                    searches: vec![],
                    options: vec![],
                });
            },
            web: "NXDOMAIN",
            external_resolves: true,
        },
    ];
    for case in cases {
        let c = base().pod_on("node-1", "default", "probe", "", &[]).with_pod(case.f).build();
        let ask = |name: &str| {
            c.dns(&DnsQuery {
                from: DnsClient::Pod { namespace: "default".into(), name: "probe".into() },
                name: name.into(),
                qtype: QueryType::A,
            })
        };
        let web = ask("web.default.svc.cluster.local");
        assert_eq!(render_answer(&c, &web), case.web, "{}: {}", case.name, web.explanation);
        assert_eq!(ask("example.com").rcode == Rcode::NoError, case.external_resolves, "{}", case.name);
    }
}

#[test]
fn dns_config_is_merged_into_cluster_first() {
    let c = shop()
        .pod("default", "probe", "", &[])
        .with_pod(|p| {
            p.spec.dns_config = Some(DnsConfig {
                nameservers: vec!["192.0.2.53".parse().unwrap()],
                searches: vec!["corp.example".into()],
                options: vec![("ndots".into(), Some("2".into())), ("edns0".into(), None)],
            })
        })
        .build();
    let conf = c.resolv_conf(c.pod("default", "probe").unwrap());
    assert_eq!(
        conf.to_string(),
        "nameserver 10.96.0.10\nnameserver 192.0.2.53\nsearch default.svc.cluster.local svc.cluster.local cluster.local corp.example\noptions ndots:2\n"
    );
}

#[test]
fn cluster_domain_comes_from_the_topology() {
    let c = shop().topology(|t| t.cluster_domain = "corp.internal".into()).build();
    check(&c, "default", "web.default.svc.corp.internal", QueryType::A, "A svc/default/web");
    check(&c, "default", "web.default.svc.cluster.local", QueryType::A, "NXDOMAIN");
    check(&c, "default", "web", QueryType::A, "A svc/default/web");
}

// https://kubernetes.io/docs/concepts/services-networking/service/#environment-variables
#[test]
fn service_environment_variables() {
    let c = scenario()
        .svc("default", "redis-primary", "app=redis", &["6379"])
        .with_svc(|s| s.cluster_ip = ClusterIpSpec::Fixed("10.96.0.11".parse().unwrap()))
        .svc("default", "web", "app=web", &["http 80->8080", "metrics 9090"])
        .with_svc(|s| s.cluster_ip = ClusterIpSpec::Fixed("10.96.0.12".parse().unwrap()))
        .svc("default", "db", "app=db", &["5432"])
        .with_svc(|s| s.cluster_ip = ClusterIpSpec::Headless)
        .svc("other", "hidden", "app=x", &["80"])
        .pod("default", "p", "", &[])
        .pod("other", "q", "", &[])
        .build();
    let env = c.service_env(c.pod("default", "p").unwrap());
    let get = |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    // The example from the Service docs.
    assert_eq!(get("REDIS_PRIMARY_SERVICE_HOST"), Some("10.96.0.11"));
    assert_eq!(get("REDIS_PRIMARY_SERVICE_PORT"), Some("6379"));
    assert_eq!(get("REDIS_PRIMARY_PORT"), Some("tcp://10.96.0.11:6379"));
    assert_eq!(get("REDIS_PRIMARY_PORT_6379_TCP"), Some("tcp://10.96.0.11:6379"));
    assert_eq!(get("REDIS_PRIMARY_PORT_6379_TCP_PROTO"), Some("tcp"));
    assert_eq!(get("REDIS_PRIMARY_PORT_6379_TCP_PORT"), Some("6379"));
    assert_eq!(get("REDIS_PRIMARY_PORT_6379_TCP_ADDR"), Some("10.96.0.11"));
    assert_eq!(get("WEB_SERVICE_PORT"), Some("80"));
    assert_eq!(get("WEB_SERVICE_PORT_HTTP"), Some("80"));
    assert_eq!(get("WEB_SERVICE_PORT_METRICS"), Some("9090"));
    assert_eq!(get("WEB_PORT_9090_TCP"), Some("tcp://10.96.0.12:9090"));
    assert_eq!(get("KUBERNETES_SERVICE_HOST"), Some("10.96.0.1"));
    assert_eq!(get("KUBERNETES_SERVICE_PORT"), Some("443"));
    assert_eq!(get("DB_SERVICE_HOST"), None, "headless Services get no variables");
    assert_eq!(get("HIDDEN_SERVICE_HOST"), None, "only the pod's namespace");
    let other = c.service_env(c.pod("other", "q").unwrap());
    assert!(other.iter().any(|(k, _)| k == "HIDDEN_SERVICE_HOST"));
    assert!(
        other.iter().any(|(k, _)| k == "KUBERNETES_SERVICE_HOST"),
        "kubernetes from default is always there"
    );
}

// https://kubernetes.io/docs/concepts/services-networking/service/#environment-variables
// (`enableServiceLinks: false`: the kubelet injects only the `kubernetes` Service's variables.)
#[test]
fn enable_service_links_false_keeps_only_kubernetes() {
    let c = scenario()
        .svc("default", "web", "app=web", &["80"])
        .pod("default", "p", "", &[])
        .with_pod(|p| p.spec.no_service_links = true)
        .build();
    let env = c.service_env(c.pod("default", "p").unwrap());
    assert!(env.iter().all(|(k, _)| !k.starts_with("WEB_")), "{env:?}");
    assert!(env.iter().any(|(k, _)| k == "KUBERNETES_SERVICE_HOST"));
}

#[test]
fn answers_explain_themselves() {
    let c = cluster();
    let a = c.dns(&DnsQuery::a("backend", "web"));
    assert!(a.explanation.contains("NXDOMAIN") && a.explanation.contains("namespace"), "{}", a.explanation);
    let a = c.dns(&DnsQuery::a("default", "search"));
    assert!(a.explanation.contains("CNAME"), "{}", a.explanation);
    assert_eq!(a.objects.first().map(|o| o.name.as_str()), Some("search"));
    let a = c.dns(&DnsQuery::a("default", "db"));
    assert!(a.explanation.contains("headless"));
}

// https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-hostname-and-subdomain-field
#[test]
fn hostname_and_subdomain_of_a_selected_pod() {
    let c = scenario()
        .svc("default", "busybox-subdomain", "name=busybox", &["foo 1234"])
        .with_svc(|s| s.cluster_ip = ClusterIpSpec::Headless)
        .pod("default", "busybox1", "name=busybox", &["1234"])
        .with_pod(|p| {
            p.spec.hostname = Some("busybox-1".into());
            p.spec.subdomain = Some("busybox-subdomain".into());
        })
        .pod("default", "busybox2", "name=busybox", &["1234"])
        .build();
    check(
        &c,
        "default",
        "busybox-1.busybox-subdomain.default.svc.cluster.local",
        QueryType::A,
        "A pod/default/busybox1",
    );
    let b2 = c.pod("default", "busybox2").unwrap().ip.unwrap().to_string().replace('.', "-");
    // Without a hostname, the endpoint is named after its dashed address.
    check(
        &c,
        "default",
        &format!("{b2}.busybox-subdomain.default.svc.cluster.local"),
        QueryType::A,
        "A pod/default/busybox2",
    );
    check(&c, "default", "busybox2.busybox-subdomain.default.svc.cluster.local", QueryType::A, "NXDOMAIN");
}
