//! Random scenarios and random requests never panic (a panic in WebAssembly kills the page).
mod common;

use common::random_scenarios::*;
use netsim::*;

#[test]
fn random_scenarios_never_panic() {
    let mut r = SplitMix64::new(0x5eed);
    for _ in 0..3000 {
        let (s, t) = random_scenario(&mut r);
        let c = Cluster::build(&s, &t);
        for _ in 0..4 {
            let req = random_request(&mut r, &c);
            let trace = c.send(&req);
            let _ = trace.to_string();
            let _ = c.send_all(&req);
        }
        for q in [QueryType::A, QueryType::Srv, QueryType::Ptr] {
            let name = r.pick(&[
                "web",
                "_http._tcp.web",
                "10.96.0.1",
                "1.0.96.10.in-addr.arpa",
                "",
                "...",
                "a-b-c-d.x.pod.cluster.local",
            ]);
            let _ = c.dns(&DnsQuery {
                from: DnsClient::Namespace(r.pick(&NAMESPACES).to_string()),
                name: name.to_string(),
                qtype: q,
            });
        }
        if let Some(p) = c.pods.first() {
            let _ = c.service_env(p);
            let _ = c.dns(&DnsQuery {
                from: DnsClient::Pod { namespace: p.namespace.clone(), name: p.name.clone() },
                name: "web".into(),
                qtype: QueryType::A,
            });
        }
        for n in &c.nodes {
            let _ = c.iptables_save(&n.name);
        }
    }
}
