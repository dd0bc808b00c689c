//! The terminal: kubectl-style commands answered from the model, in kubectl's own formats.
//! Pure text in, text (and the trace of a request) out; the web terminal and tests use it.
//!
//! `kubectl get svc|pods|endpoints|endpointslices|ingress|networkpolicy|nodes [NAME]
//! [-n NS|-A] [-o wide|yaml]`, `kubectl config set-context --current --namespace=NS`, `kubectl describe svc|ingress|networkpolicy NAME [-n NS]`,
//! `kubectl exec [-n NS] POD -- curl|wget URL`, `kubectl exec POD -- nslookup NAME`,
//! `kubectl run NAME --image=IMAGE [--rm] [-it] [--restart=Never] [-n NS] [--labels=k=v]
//! -- curl|wget|nslookup ...` (a pod for one command), `kubectl node-shell NODE --
//! iptables-save [-t nat]` (or `nft list table ip kube-proxy` in nftables mode), `curl URL` and `nslookup NAME` from outside the cluster, and `help`.
//!
//! `-o yaml` prints the objects as the API server would return them, as the model sees them
//! (allocated addresses and ports, defaults filled in), through a small emitter of kubectl's
//! YAML style (`yaml`): the crate reads no YAML and depends on the model only.
//!
//! What lasts between commands (the namespace of kubeconfig's current context) is a
//! [`Session`] that the caller keeps and passes to every command.
//!
//! The modules, each using only those listed before it:
//! - `yaml` (the YAML emitter), `table` (rows, columns and kubectl's tabwriter),
//!   `answer`, `session`, `cluster` (the cluster seen through kubectl, and lookups
//!   several commands share), `cells` (the words a table cell and a description share);
//! - `flags` (the grammar of `-n`, `-A`, `-o` and `--`);
//! - each kind's `rows`, `describe` text and `objects` for `-o yaml`, and `kinds`, the
//!   one table of the kinds that ties them together with kubectl's names and columns;
//! - the commands: `get` (`get` and `describe`), `exec` (`exec`, `curl`, `wget`,
//!   `nslookup`, `node-shell`), `run`, `config`, and `complete` (completion and the
//!   first lines' suggestions);
//! - this file: the public API, `help` and the dispatch of a command line.
//!
//! A new kind is one entry in `kinds::KINDS` and its three builders: its rows in `rows`,
//! its description in `describe` (or none), its objects in `objects`.

mod answer;
mod cells;
mod cluster;
#[cfg(feature = "gateway-api")]
mod cluster_policy;
mod complete;
mod config;
mod describe;
mod exec;
mod flags;
#[cfg(feature = "gateway-api")]
mod gateway;
mod get;
mod kinds;
mod objects;
mod rows;
mod run;
mod session;
mod table;
mod yaml;

use netsim::build::Cluster;
use netsim::send::Client;

pub use answer::Answer;
pub use exec::OUTSIDE_CLIENT;
pub use session::{Session, CONTEXT};

use answer::{err, ok};
use cluster::Kubectl;
use kinds::{Kind, KINDS};

/// Runs one command line on `cluster` in `session` (which `kubectl config set-context`
/// changes).
pub fn run(cluster: &Cluster, session: &mut Session, line: &str) -> Answer {
    Kubectl(cluster).shell(session, line)
}

/// Words that may complete the last word of `line`: commands, kinds, flags, and the names of
/// pods (of the namespace the line or `session` names), the objects of the kind being asked
/// for, nodes and namespaces.
pub fn completions(cluster: &Cluster, session: &Session, line: &str) -> Vec<String> {
    Kubectl(cluster).completions(session, line)
}

/// Commands that answer in `cluster` from `session`, for the terminal's first line (see
/// [`intro`]); `client` is a pod's id, `pod/<ns>/<name>`, to send from.
pub fn suggestions(cluster: &Cluster, session: &Session, client: Option<&str>) -> Vec<String> {
    Kubectl(cluster).suggestions(session, client)
}

/// The terminal's first lines: where commands run, and [`suggestions`] one a line.
pub fn intro(cluster: &Cluster, session: &Session, client: Option<&str>) -> String {
    Kubectl(cluster).intro(session, client)
}

/// The table of `kind`'s objects that `kubectl get KIND -o wide` prints in `namespace` (in
/// every namespace when `None`).
fn wide_table(cluster: &Cluster, kind: &str, namespace: Option<&str>) -> String {
    Kind::parse(kind).map(|k| k.table(Kubectl(cluster), namespace, true)).unwrap_or_default()
}

/// `kubectl get svc -o wide` in `namespace`, or in every namespace.
pub fn get_services(cluster: &Cluster, namespace: Option<&str>) -> String {
    wide_table(cluster, "services", namespace)
}

/// `kubectl get endpoints` in `namespace`, or in every namespace.
pub fn get_endpoints(cluster: &Cluster, namespace: Option<&str>) -> String {
    wide_table(cluster, "endpoints", namespace)
}

/// `kubectl get endpointslices` in `namespace`, or in every namespace.
pub fn get_endpoint_slices(cluster: &Cluster, namespace: Option<&str>) -> String {
    wide_table(cluster, "endpointslices", namespace)
}

/// `kubectl get pods -o wide` in `namespace`, or in every namespace.
pub fn get_pods(cluster: &Cluster, namespace: Option<&str>) -> String {
    wide_table(cluster, "pods", namespace)
}

/// `kubectl describe svc NAME -n NAMESPACE`, or `None` when there is no such Service.
pub fn describe_service(cluster: &Cluster, namespace: &str, name: &str) -> Option<String> {
    describe::service(Kubectl(cluster), namespace, name)
}

/// What `help` prints: the commands, with the kinds of `kinds::KINDS`.
/// The GatewayClass a conversion names unless told otherwise: the built-in controller's.
#[cfg(feature = "gateway-api")]
pub const DEFAULT_GATEWAY_CLASS: &str = "example";

/// The Gateway API objects that route as the Ingresses of `s` do
/// (`netsim::gateway::migrate`), as YAML documents in kubectl's `-o yaml` style: the
/// built-in controller's GatewayClass when `class` is [`DEFAULT_GATEWAY_CLASS`] and `s` has
/// none of that name, the Gateways, then the Routes, each note of the conversion a comment
/// above the Route it concerns (an Ingress's above its first Route).
#[cfg(feature = "gateway-api")]
pub fn converted_ingresses_yaml(s: &netsim::Scenario, class: &str) -> String {
    let converted = netsim::gateway::migrate::convert(&s.ingresses, &s.services, class);
    let mut out =
        String::from("# Converted by `switchboard convert ingress` from ingress-nginx Ingresses.\n");
    if class == DEFAULT_GATEWAY_CLASS && !s.gateway_classes.iter().any(|c| c.name == class) {
        out.push_str(&format!(
            "# The built-in controller's GatewayClass ({}): in a real cluster its provider installs one.\n",
            netsim::gateway::CONTROLLER_NAME
        ));
        out.push_str(&gateway::class_yaml(DEFAULT_GATEWAY_CLASS));
    }
    let notes_of = |kind: &str, ns: &str, name: &str| -> String {
        converted
            .notes
            .iter()
            .filter(|((k, n, m), _)| *k == kind && n == ns && m == name)
            .map(|(_, text)| format!("# {text}\n"))
            .collect()
    };
    for g in &converted.gateways {
        out.push_str("---\n");
        out.push_str(&gateway::gateway_yaml(g));
    }
    let mut noted = std::collections::BTreeSet::new();
    for (r, from) in converted.http_routes.iter().zip(&converted.route_sources) {
        out.push_str("---\n");
        // The notes of the Ingress a Route comes from, above its first Route.
        if let Some(ing) = s.ingresses.iter().find(|i| i.namespace == r.namespace && i.name == *from) {
            if noted.insert((ing.namespace.clone(), ing.name.clone())) {
                let notes = notes_of("Ingress", &ing.namespace, &ing.name);
                if !notes.is_empty() {
                    out.push_str(&format!("# From Ingress {}/{}:\n{notes}", ing.namespace, ing.name));
                }
            }
        }
        out.push_str(&notes_of("HTTPRoute", &r.namespace, &r.name));
        out.push_str(&gateway::http_route_yaml(r));
    }
    // Notes of Ingresses none of whose Routes were written.
    for ing in &s.ingresses {
        if !noted.contains(&(ing.namespace.clone(), ing.name.clone())) {
            let notes = notes_of("Ingress", &ing.namespace, &ing.name);
            if !notes.is_empty() {
                out.push_str(&format!("# From Ingress {}/{}:\n{notes}", ing.namespace, ing.name));
            }
        }
    }
    out
}

pub fn help() -> String {
    let kinds = |describe: bool| -> String {
        let words: Vec<&str> =
            KINDS.iter().filter(|k| !describe || k.describe.is_some()).map(|k| k.offered).collect();
        words.join("|")
    };
    format!(
        "\
Switchboard's terminal answers from the model of your cluster:

  kubectl get {} [NAME] [-n NS | -A] [-o wide|yaml]
  kubectl describe {} NAME [-n NS]
  kubectl exec [-n NS] POD -- curl URL        (also: wget -qO- URL)
  kubectl exec [-n NS] POD -- nslookup NAME
  kubectl run NAME --image=busybox [--rm] [-it] [--restart=Never] [-n NS] [--labels=k=v,...] -- wget -qO- URL
                                              (a new pod for one command: curl, wget or nslookup)
  kubectl node-shell NODE -- iptables-save -t nat
  kubectl node-shell NODE -- nft list table ip kube-proxy   (when kube-proxy runs in nftables mode)
  kubectl config set-context --current --namespace=NS   (the namespace of later commands)
  kubectl config view --minify -o jsonpath='{{..namespace}}'  (which namespace that is)
  curl URL                                    (from a laptop on the internet, 198.51.100.10)
      curl also takes -H 'Host: NAME', --resolve NAME:PORT:ADDRESS and -m SECONDS
  nslookup NAME                               (the same laptop's resolver)
  clear, help

POD may be a pod name or deploy/NAME, ds/NAME... (its first pod). Commands act in the current
context's namespace (the terminal starts in the exercise's) unless -n says otherwise.
-o yaml shows what the cluster filled in: addresses, ports, defaults.
",
        kinds(false),
        kinds(true)
    )
}

impl Kubectl<'_> {
    /// Runs one command line in `session` (which `kubectl config set-context` changes).
    fn shell(self, session: &mut Session, line: &str) -> Answer {
        let owned = shell_words(line);
        let words: Vec<&str> = owned.iter().map(String::as_str).collect();
        match words.as_slice() {
            [] => ok(String::new()),
            ["help" | "?" | "--help"] | ["kubectl", "help"] => ok(help()),
            ["kubectl", "get", rest @ ..] => self.kubectl_get(session, rest),
            ["kubectl", "describe", rest @ ..] => self.kubectl_describe(session, rest),
            ["kubectl", "exec", rest @ ..] => self.kubectl_exec(session, rest),
            ["kubectl", "node-shell", rest @ ..] => self.node_shell(rest),
            ["kubectl", "run", rest @ ..] => self.kubectl_run(session, rest),
            ["kubectl", "config", rest @ ..] => config::kubectl_config(session, rest),
            ["kubectl", other, ..] => {
                err(format!("error: unknown command \"{other}\" for \"kubectl\" (try help)"))
            }
            ["kubectl"] => ok(help()),
            ["curl" | "wget", args @ ..] => {
                self.fetch(Client::Outside(OUTSIDE_CLIENT), words[0], args, "your laptop (198.51.100.10)")
            }
            ["nslookup", name, ..] => self.nslookup_outside(name),
            ["iptables-save", ..] => {
                err("iptables-save runs on a node: kubectl node-shell node-1 -- iptables-save -t nat")
            }
            ["nft", ..] => {
                err("nft runs on a node: kubectl node-shell node-1 -- nft list table ip kube-proxy")
            }
            [other, ..] => err(format!("{other}: command not found (try help)")),
        }
    }
}

/// A command line split into words as a shell splits it: at white space, except inside
/// `'…'` or `"…"` (the quotes removed; an unclosed quote runs to the end of the line).
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_with(String::new).push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                word.get_or_insert_with(String::new);
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}
