//! `switchboard convert ingress` (Ingresses to Gateway API objects, `netsim::gateway::migrate`)
//! and `switchboard replay` (the same requests through the ingress controller and through
//! the Gateways, and every difference with the two decisions that made it).

use std::collections::BTreeSet;
use std::process::ExitCode;

use netsim::gateway::{self, BackendAnswer, GatewayRequest, Objects, Outcome};
use netsim::{Cluster, Scheme};

use crate::model::Model;
use crate::unused::Reading;

/// The built-in controller's GatewayClass, written with a converted Gateway unless the files
/// name another class.
const DEFAULT_CLASS: &str = "example";

/// `switchboard convert ingress PATH... [--gateway-class NAME]`.
pub fn convert(args: &[String]) -> Result<ExitCode, String> {
    let mut args = args.iter();
    if args.next().map(String::as_str) != Some("ingress") {
        return Err("convert: say what to convert: switchboard convert ingress PATH...".into());
    }
    let mut paths = Vec::new();
    let mut class = DEFAULT_CLASS.to_string();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--gateway-class" => class = args.next().ok_or("--gateway-class needs a name")?.clone(),
            flag if flag.starts_with("--") => return Err(format!("convert: unknown option {flag}")),
            path => paths.push(path.to_string()),
        }
    }
    if paths.is_empty() {
        return Err("convert ingress needs at least one PATH".into());
    }
    let reading = Reading::default();
    let model = Model::load(&paths, &reading)?;
    model.say_problems(&reading);
    let s = &model.loaded.scenario;
    if s.ingresses.is_empty() {
        eprintln!("switchboard: no Ingress in {}", paths.join(", "));
        return Ok(ExitCode::from(1));
    }
    let converted = gateway::migrate::convert(&s.ingresses, &s.services, &class);
    let mut out =
        String::from("# Converted by `switchboard convert ingress` from ingress-nginx Ingresses.\n");
    if class == DEFAULT_CLASS && !s.gateway_classes.iter().any(|c| c.name == class) {
        out.push_str(&format!(
            "# The built-in controller's GatewayClass ({}): in a real cluster its provider installs one.\n",
            gateway::CONTROLLER_NAME
        ));
        out.push_str(&kubectl::gateway_class_yaml(DEFAULT_CLASS));
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
        out.push_str(&kubectl::gateway_yaml(g));
    }
    let mut noted = BTreeSet::new();
    for r in &converted.http_routes {
        out.push_str("---\n");
        // The notes of the Ingress a Route comes from, above its first Route.
        if let Some(ing) =
            s.ingresses.iter().find(|i| i.namespace == r.namespace && r.name.starts_with(&i.name))
        {
            if noted.insert((ing.namespace.clone(), ing.name.clone())) {
                let notes = notes_of("Ingress", &ing.namespace, &ing.name);
                if !notes.is_empty() {
                    out.push_str(&format!("# From Ingress {}/{}:\n{notes}", ing.namespace, ing.name));
                }
            }
        }
        out.push_str(&notes_of("HTTPRoute", &r.namespace, &r.name));
        out.push_str(&kubectl::http_route_yaml(r));
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
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// Where one side sends a request: a Service port, a status, a redirect; and the path the
/// backend receives.
#[derive(Clone, Debug, PartialEq)]
struct Answer {
    what: String,
    upstream: Option<String>,
    why: String,
}

impl Answer {
    fn text(&self) -> String {
        match &self.upstream {
            Some(p) => format!("{} (path {p})", self.what),
            None => self.what.clone(),
        }
    }
}

/// The ingress controller's answer.
fn through_ingress(c: &Cluster, scheme: Scheme, host: &str, path: &str) -> Answer {
    let d = c.route_ingress(host, path, scheme);
    let why = d.cause();
    if let Some(to) = &d.redirect {
        return Answer { what: format!("308 {to}"), upstream: None, why };
    }
    match (d.ingress(), d.backend()) {
        (Some(ing), Some(b)) => match c.ingress_backend(&ing.namespace, b) {
            Ok(rb) => Answer {
                what: format!("{}/{}:{}", rb.service.namespace(), rb.service.name(), rb.port),
                upstream: Some(d.upstream_path.clone()),
                why,
            },
            Err(e) => Answer { what: "503".into(), upstream: None, why: format!("{why}; {e}") },
        },
        _ => Answer { what: "404".into(), upstream: None, why },
    }
}

/// The Gateways' answer: the first Gateway of the built-in controller with a listener for
/// the scheme's port whose hostname covers `host`.
fn through_gateway(c: &Cluster, scheme: Scheme, host: &str, path: &str) -> Answer {
    let api = &c.gateway_api;
    let port = if scheme == Scheme::Https { 443 } else { 80 };
    let covers = |l: &gateway::types::Listener| {
        l.port == port && l.hostname.as_deref().is_none_or(|h| gateway::hostname::matches(h, host))
    };
    let Some(g) = gateway::dataplane::served_gateways(&api.gateways, &api.classes)
        .find(|g| g.listeners.iter().any(covers))
    else {
        return Answer {
            what: "no listener".into(),
            upstream: None,
            why: format!("no Gateway has a listener on port {port} for {host}"),
        };
    };
    let request = GatewayRequest {
        namespace: g.namespace.clone(),
        gateway: g.name.clone(),
        scheme,
        port,
        host: host.to_string(),
        target: path.to_string(),
        method: "GET".into(),
        headers: Vec::new(),
    };
    let d = gateway::route(&Objects::of_api(api), c, &request);
    let why = d.cause();
    let upstream = d.upstream.as_ref().map(|u| u.target());
    let what = match &d.outcome {
        Outcome::NoListener => "no listener".to_string(),
        Outcome::NotFound => "404".into(),
        Outcome::Redirect { status, location } => format!("{status} {location}"),
        Outcome::Error { status, .. } => status.to_string(),
        Outcome::Backends(shares) if shares.len() == 1 => match &shares[0].answer {
            BackendAnswer::Proxied { .. } => shares[0].backend.clone(),
            BackendAnswer::Error { status, .. } => status.to_string(),
        },
        Outcome::Backends(shares) => {
            let parts: Vec<String> = shares.iter().map(|s| format!("{} x{}", s.backend, s.weight)).collect();
            format!("split {}", parts.join(" "))
        }
    };
    let proxied = matches!(&d.outcome, Outcome::Backends(s) if s.iter().any(|s| matches!(s.answer, BackendAnswer::Proxied { .. })));
    Answer { what, upstream: upstream.filter(|_| proxied), why }
}

/// Requests that tell an Ingress and its conversion apart: every host and path of both, with
/// and without a trailing slash, in another case, one level deeper, a sibling prefix, an
/// unknown host; over HTTP and HTTPS.
fn generated(ingress: &Cluster, gateway: &Cluster) -> Vec<(Scheme, String, String)> {
    let mut hosts = BTreeSet::new();
    let mut paths = BTreeSet::from(["/".to_string()]);
    for i in &ingress.ingresses {
        for r in &i.rules {
            hosts.extend(r.host.clone());
            for p in &r.paths {
                paths
                    .extend(p.path.clone().filter(|p| !p.contains(['(', '[', '*', '+', '?', '$', '^', '|'])));
            }
        }
    }
    for r in &gateway.gateway_api.http_routes {
        hosts.extend(r.hostnames.iter().cloned());
        for rule in &r.rules {
            paths.extend(rule.matches.iter().map(|m| m.path.value.clone()));
        }
    }
    hosts.retain(|h| !h.starts_with('*'));
    hosts.insert("unknown.invalid".to_string());
    let mut variants = BTreeSet::new();
    for p in &paths {
        let base = p.trim_end_matches('/');
        variants.insert(p.clone());
        variants.insert(format!("{base}/"));
        variants.insert(p.to_uppercase());
        variants.insert(format!("{base}/x"));
        if !base.is_empty() {
            variants.insert(format!("{base}x"));
        }
    }
    let mut out = Vec::new();
    for host in &hosts {
        for path in &variants {
            for scheme in [Scheme::Http, Scheme::Https] {
                out.push((scheme, host.clone(), path.clone()));
            }
        }
    }
    out
}

/// `http://host/path` lines (blank lines and `#` comments left out).
fn read_requests(file: &str) -> Result<Vec<(Scheme, String, String)>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (scheme, rest) = match line.split_once("://") {
            Some(("http", r)) => (Scheme::Http, r),
            Some(("https", r)) => (Scheme::Https, r),
            _ => return Err(format!("{file}:{}: expected http://HOST/PATH or https://HOST/PATH", n + 1)),
        };
        let (host, path) = rest.find('/').map_or((rest, "/"), |i| (&rest[..i], &rest[i..]));
        out.push((scheme, host.to_string(), path.to_string()));
    }
    Ok(out)
}

/// `switchboard replay --ingress PATH... --gateway PATH... [--requests FILE]`.
pub fn replay(args: &[String]) -> Result<ExitCode, String> {
    let (mut ingress, mut gateway, mut requests) = (Vec::new(), Vec::new(), None);
    let mut side = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--ingress" => side = Some(0),
            "--gateway" => side = Some(1),
            "--requests" => requests = Some(args.next().ok_or("--requests needs a FILE")?.clone()),
            flag if flag.starts_with("--") => return Err(format!("replay: unknown option {flag}")),
            path => match side {
                Some(0) => ingress.push(path.to_string()),
                Some(_) => gateway.push(path.to_string()),
                None => return Err(format!("replay: say whether {path} is --ingress or --gateway")),
            },
        }
    }
    if ingress.is_empty() || gateway.is_empty() {
        return Err("replay needs --ingress PATH... and --gateway PATH...".into());
    }
    let reading = Reading::default();
    let a = Model::load(&ingress, &reading)?;
    let b = Model::load(&gateway, &reading)?;
    a.say_problems(&reading);
    b.say_problems(&reading);
    let list = match &requests {
        Some(file) => read_requests(file)?,
        None => generated(&a.cluster, &b.cluster),
    };
    let rows: Vec<(String, Answer, Answer)> = list
        .iter()
        .map(|(scheme, host, path)| {
            let url = format!("{}://{host}{path}", scheme.as_str());
            (
                url,
                through_ingress(&a.cluster, *scheme, host, path),
                through_gateway(&b.cluster, *scheme, host, path),
            )
        })
        .collect();
    let width = |f: &dyn Fn(&(String, Answer, Answer)) -> usize| rows.iter().map(f).max().unwrap_or(0);
    let (w0, w1) = (width(&|r| r.0.len()).max(7), width(&|r| r.1.text().len()).max(7));
    println!("{:<w0$}  {:<w1$}  GATEWAY", "REQUEST", "INGRESS");
    let mut differ = 0;
    for (url, i, g) in &rows {
        let same = i.what == g.what && i.upstream == g.upstream;
        println!("{url:<w0$}  {:<w1$}  {}", i.text(), g.text());
        if !same {
            differ += 1;
            println!("  differs: the Ingress: {}", i.why);
            println!("           the Gateway: {}", g.why);
        }
    }
    println!("{} request(s), {differ} differ", rows.len());
    Ok(if differ == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
