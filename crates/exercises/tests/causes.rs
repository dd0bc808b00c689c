//! The cause comes first: for each kind of cause the model knows, a shipped exercise graded
//! with a wrong answer (its starting files, a wrong answer under tests/wrong/, or its solution
//! with one mistake put in) fails a named check whose explanation's first sentence is that
//! cause, not only the trace below it.

mod common;

use common::{load_exercise, root, with_files, wrong_answers};
use exercises::{grade, Exercise, File};

/// Where the files come from.
enum Files {
    Start,
    /// The wrong answer in tests/wrong/ with this file name.
    Wrong(&'static str),
    /// The solution with `from` replaced by `to` in every file.
    Solution {
        from: &'static str,
        to: &'static str,
    },
}

struct Case {
    name: &'static str,
    exercise: &'static str,
    files: Files,
    check: &'static str,
    /// The explanation's first sentence (up to the first ". ") starts with this.
    first: &'static str,
    /// And contains this, when set.
    contains: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "NetworkPolicy: the closest rule admits another port",
        exercise: "09-network-policy/07-both-ends-must-agree.yaml",
        files: Files::Wrong("09-network-policy-egress-to-service-port.yaml"),
        check: "The frontend reads stock levels from http://inventory.warehouse",
        first: "NetworkPolicy storefront/frontend-egress rule egress[0] admits TCP port 80, but the connection is to TCP port 8080",
        contains: "",
    },
    Case {
        name: "NetworkPolicy: the same cause in a policy table check",
        exercise: "09-network-policy/07-both-ends-must-agree.yaml",
        files: Files::Wrong("09-network-policy-egress-to-service-port.yaml"),
        check: "Both frontend pods get through to both inventory pods, on both ends",
        first: "NetworkPolicy storefront/frontend-egress rule egress[0] admits TCP port 80, but the connection is to TCP port 8080",
        contains: "",
    },
    // https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors
    Case {
        name: "NetworkPolicy: two peers are ORed, the namespaceSelector peer let the debug shell in",
        exercise: "09-network-policy/04-one-peer-two-selectors.yaml",
        files: Files::Wrong("09-network-policy-split-peers.yaml"),
        check: "The debug shell in ops stays out",
        first: "NetworkPolicy library/catalog-db rule ingress[1] admits ops/debug-shell",
        contains: "`from` has 2 peers and one matching peer is enough: the namespaceSelector peer matches, the podSelector peer does not match",
    },
    Case {
        name: "NetworkPolicy: one peer with both selectors needs both",
        exercise: "09-network-policy/04-one-peer-two-selectors.yaml",
        files: Files::Solution { from: "app: backup-agent", to: "app: backup" },
        check: "The backup agents in ops connect to the database",
        first: "NetworkPolicy library/catalog-db rule ingress[1] admits pods labelled app=backup in namespaces labelled kubernetes.io/metadata.name=ops, but the source pod",
        contains: "`from` has one peer with both selectors, so both must match: its namespaceSelector matches, its podSelector does not match",
    },
    Case {
        name: "NetworkPolicy: a default deny",
        exercise: "11-capstones/01-lock-down-three-tiers.yaml",
        files: Files::Start,
        check: "5. The frontend and the backend may ask the cluster DNS (UDP 53)",
        first: "NetworkPolicy sproutly/default-deny-all selects sproutly/frontend-",
        contains: "has no egress rule, so every egress connection of it is denied (default deny)",
    },
    Case {
        name: "NetworkPolicy: nothing selects the pod that should be closed",
        exercise: "09-network-policy/00-isolate-the-playout-server.yaml",
        files: Files::Start,
        check: "A chat-bot request to the playout Service times out",
        first: "No NetworkPolicy selects radio/playout for ingress, so every ingress connection of it is allowed",
        contains: "",
    },
    Case {
        name: "Service without endpoints: the selector diagnostic's label hint",
        exercise: "01-why-services/02-resizer-no-endpoints.yaml",
        files: Files::Start,
        check: "The uploader's requests to http://resizer reach a resizer pod on port 5000",
        first: "Service photos/resizer: the selector app=image-resize,tier=backend matches no pod in namespace `photos` (Deployment `image-resizer` has the label `app: image-resizer`; the selector asks for `app: image-resize`)",
        contains: "",
    },
    Case {
        name: "Service without endpoints: no selector",
        exercise: "01-why-services/00-first-service.yaml",
        files: Files::Start,
        check: "The client reaches a web pod at http://web",
        first: "Service default/web: Service `web` has no selector and no Endpoints or EndpointSlice",
        contains: "add a `selector` matching the pods' labels",
    },
    Case {
        name: "Service refused for a misspelt field: did you mean `selector`?",
        exercise: "01-why-services/00-first-service.yaml",
        files: Files::Solution { from: "  selector:", to: "  selecter:" },
        check: "The client reaches a web pod at http://web",
        first: "There is no Service default/web: its file has an error, so it was not created: service.yaml:",
        contains: "did you mean `selector`?",
    },
    Case {
        name: "DNS: no such Service in the namespace, did you mean a close name",
        exercise: "01-why-services/00-first-service.yaml",
        files: Files::Solution { from: "  name: web\nspec", to: "  name: webb\nspec" },
        check: "The client reaches a web pod at http://web",
        first: "There is no Service web in namespace default (did you mean webb?)",
        contains: "",
    },
    Case {
        name: "DNS: the Service is in another namespace",
        exercise: "03-dns/02-vendor-short-name.yaml",
        files: Files::Start,
        check: "From the widget, gateway resolves to the ClusterIP of payments/gateway",
        first: "There is no Service gateway in namespace shop (there is one in namespace payments, which the name gateway.payments reaches)",
        contains: "",
    },
    Case {
        name: "DNS: an SRV name needs a port of that name and protocol",
        exercise: "03-dns/03-relay-srv-record.yaml",
        files: Files::Wrong("03-dns-srv-named-but-tcp.yaml"),
        check: "The SRV lookup _turn._udp.relay.voice.svc.cluster.local answers port 3478",
        first: "Service voice/relay has no UDP port named turn, so there is no SRV record _turn._udp: its ports are turn 3478/TCP",
        contains: "",
    },
    Case {
        name: "DNS: pod names exist only under a headless Service",
        exercise: "03-dns/04-kv-peer-names.yaml",
        files: Files::Start,
        check: "From kv-0, the short kv-2.kv-peers is exactly pod kv-2",
        first: "Service tern/kv-peers is not headless (it has a ClusterIP)",
        contains: "",
    },
    Case {
        name: "Ingress: the rule that won and the rewrite that changed the path",
        exercise: "08-ingress/04-strip-the-prefix.yaml",
        files: Files::Wrong("08-ingress-rewrite-for-every-path.yaml"),
        check: "/ci/builds/42 reaches ci unchanged",
        first: "The rule of Ingress tools/tools with host `tools.kestrel.example`, path `/ci` (Prefix, as a case-insensitive regex) wins; rewrite-target `/$2` changes the path /ci/builds/42 to /",
        contains: "sends it to Service tools/ci port 80, but the backend should receive path /ci/builds/42",
    },
    Case {
        name: "Ingress: the longest prefix wins, the path is unchanged",
        exercise: "08-ingress/01-which-path-wins.yaml",
        files: Files::Start,
        check: "/api/live goes to live",
        first: "The rule of Ingress transit/transit with host `transit.example`, path `/api` (Prefix) wins; the backend receives the path /api/live unchanged",
        contains: "",
    },
    Case {
        name: "Ingress: no rule matches, and why the Ingress was not used",
        exercise: "08-ingress/00-one-door-for-the-playhouse.yaml",
        files: Files::Wrong("08-ingress-class-named-after-the-controller.yaml"),
        check: "The controller sends /tickets to box-office",
        first: "No Ingress rule matches playhouse.example/tickets (theatre/playhouse: no IngressClass `ingress-nginx` exists: no controller serves it)",
        contains: "",
    },
    // https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#server-side-https-enforcement-through-redirect
    Case {
        name: "Ingress: plain HTTP is not redirected without a tls entry",
        exercise: "08-ingress/03-lock-the-portal.yaml",
        files: Files::Start,
        check: "http://portal.birchwood.example/ is redirected to HTTPS",
        first: "No Ingress lists portal.birchwood.example under `tls` (and none sets force-ssl-redirect)",
        contains: "",
    },
    Case {
        name: "A request through the Ingress: the rule that won, and counts that name the load balancer's nodes and the controller, not kube-proxy",
        exercise: "08-ingress/01-which-path-wins.yaml",
        files: Files::Start,
        check: "A rider's app gets live positions from http://transit.example/api/live/tram/7",
        first: "The rule of Ingress transit/transit with host `transit.example`, path `/api` (Prefix) wins; the backend receives the path /api/live/tram/7 unchanged",
        contains: "(as expected for none of the 6 paths: each node the load balancer may pick, then each endpoint the ingress controller may pick)",
    },
];

fn files_for(ex: &Exercise, files: &Files) -> Vec<manifest::SourceFile> {
    match files {
        Files::Start => with_files(ex, &[]),
        Files::Wrong(name) => {
            let (_, wrong) = wrong_answers()
                .into_iter()
                .find(|(p, _)| p.file_name().is_some_and(|n| n == *name))
                .unwrap_or_else(|| panic!("no wrong answer {name}"));
            with_files(ex, &wrong.files)
        }
        Files::Solution { from, to } => {
            assert!(ex.solution.iter().any(|f| f.text.contains(from)), "{from:?} is not in the solution");
            let edited: Vec<File> = ex
                .solution
                .iter()
                .map(|f| File { name: f.name.clone(), text: f.text.replace(from, to) })
                .collect();
            with_files(ex, &edited)
        }
    }
}

#[test]
fn the_first_sentence_of_a_failing_check_is_its_cause() {
    let mut failures = Vec::new();
    for case in CASES {
        let ex = load_exercise(&root().join(case.exercise));
        let g = grade(&ex, &files_for(&ex, &case.files));
        let Some(r) = g.results.iter().find(|r| r.title == case.check) else {
            failures.push(format!("{}: no check titled {:?}", case.name, case.check));
            continue;
        };
        let first = r.explanation.split(". ").next().unwrap_or("");
        if r.passed {
            failures.push(format!("{}: {:?} passes", case.name, case.check));
        } else if !first.starts_with(case.first) || !r.explanation.contains(case.contains) {
            failures.push(format!(
                "{}:\n  got:  {}\n  want first sentence to start with: {}\n  and to contain: {}",
                case.name, r.explanation, case.first, case.contains
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
