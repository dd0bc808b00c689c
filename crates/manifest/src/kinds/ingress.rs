//! Ingress (networking.k8s.io/v1): rules, paths and backends, with where the backends are
//! for the checks across objects.

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::networking::v1 as networking;
use netsim::{Labels, PathType, PortRef, Source};

use crate::fields::{int, items, object, object_meta, req_string, string, strings};
use crate::names;
use crate::object::{item_source, At, Meta, Obj, Object};
use crate::tree::Node;
use crate::validate::IngressSpans;

/// The spellings of a path's `pathType`.
const PATH_TYPES: [(&str, PathType); 3] = [
    ("Exact", PathType::Exact),
    ("Prefix", PathType::Prefix),
    ("ImplementationSpecific", PathType::ImplementationSpecific),
];

pub(crate) fn read(
    o: &mut Obj<'_>,
    root: At<'_>,
    v: networking::Ingress,
    m: Meta,
    source: Option<Source>,
) -> Object {
    let spec = root.key("spec");
    let ing = ingress(o, spec, v.spec.unwrap_or_default());
    class_annotation(o, root, &m, ing.class_name.as_deref());
    let svc = |b: At<'_>| {
        let s = b.key("service");
        (s.key("name").span(), s.key("port").span())
    };
    let spans = IngressSpans {
        file: o.file.to_string(),
        class: spec.key("ingressClassName").span(),
        default_backend: ing.default_backend.as_ref().map(|_| svc(spec.key("defaultBackend"))),
        paths: ing
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let rat = spec.key("rules").idx(i);
                (0..r.paths.len()).map(|j| svc(rat.key("http").key("paths").idx(j).key("backend"))).collect()
            })
            .collect(),
    };
    let ing =
        netsim::Ingress { name: m.name, namespace: m.namespace, annotations: m.annotations, source, ..ing };
    Object::Ingress(ing, spans)
}

fn backend(o: &mut Obj<'_>, at: At<'_>, b: &networking::IngressBackend) -> Option<netsim::IngressBackend> {
    match (&b.service, &b.resource) {
        (Some(s), None) => {
            let sat = at.key("service");
            o.check("invalid-name", sat.key("name"), "Service name", &s.name, names::dns1035_label);
            let pat = sat.key("port");
            let port = match s.port.as_ref().map(|p| (p.name.as_deref().filter(|n| !n.is_empty()), p.number))
            {
                Some((None, Some(n))) => PortRef::Number(o.port(pat.key("number"), "port number", n)),
                Some((Some(name), None)) => {
                    // validateIngressBackend: an IANA service name, as a container port's.
                    o.check("invalid-port-name", pat.key("name"), "port name", name, names::iana_svc_name);
                    PortRef::Name(name.to_string())
                }
                _ => {
                    o.error(
                        "missing-field",
                        pat.key_span(),
                        "a service backend needs exactly one of `port.number` and `port.name`".into(),
                        vec![],
                    );
                    PortRef::Number(0)
                }
            };
            Some(netsim::IngressBackend::Service { name: s.name.clone(), port })
        }
        (None, Some(r)) => {
            Some(netsim::IngressBackend::Resource { kind: r.kind.clone(), name: r.name.clone() })
        }
        _ => {
            o.error(
                "missing-field",
                at.key_span(),
                "a backend needs exactly one of `service` and `resource`".into(),
                vec![],
            );
            None
        }
    }
}

fn ingress(o: &mut Obj<'_>, at: At<'_>, spec: networking::IngressSpec) -> netsim::Ingress {
    let default_backend = spec.default_backend.as_ref().and_then(|b| backend(o, at.key("defaultBackend"), b));
    let mut rules = Vec::new();
    for (i, r) in spec.rules.iter().flatten().enumerate() {
        let rat = at.key("rules").idx(i);
        let host = r.host.clone().filter(|h| !h.is_empty());
        if let Some(h) = &host {
            let bare = h.strip_prefix("*.").unwrap_or(h);
            if h.parse::<std::net::IpAddr>().is_ok() {
                // validateIngressRules: "must be a DNS name, not an IP address".
                o.error(
                    "invalid-host",
                    rat.key("host").span(),
                    format!("host `{h}` is an IP address; an Ingress host must be a DNS name"),
                    vec!["leave `host` out to match requests to any address".into()],
                );
            } else if let Err(why) = names::dns1123_subdomain(bare) {
                o.error("invalid-host", rat.key("host").span(), format!("invalid host `{h}`: {why}"), vec![]);
            }
        }
        if r.http.as_ref().is_some_and(|h| h.paths.is_empty()) {
            // validateHTTPIngressRuleValue: `paths` is required under `http`.
            let paths_at = rat.key("http").key("paths");
            let at = if paths_at.present() { paths_at } else { rat.key("http") };
            o.error(
                "missing-field",
                at.key_span(),
                "`http` needs at least one item under `paths`".into(),
                vec!["add a path, or leave `http` out for a rule with no routes".into()],
            );
        }
        let mut paths = Vec::new();
        for (j, p) in r.http.iter().flat_map(|h| &h.paths).enumerate() {
            let pat = rat.key("http").key("paths").idx(j);
            let path_type = match p.path_type.as_str() {
                "" => {
                    o.error(
                        "missing-field",
                        pat.key_span(),
                        "`pathType` is required: Exact, Prefix or ImplementationSpecific".into(),
                        vec!["`pathType: Prefix` matches the path and everything below it".into()],
                    );
                    PathType::Prefix
                }
                other => {
                    o.pick(pat.key("pathType"), "pathType", other, &PATH_TYPES).unwrap_or(PathType::Prefix)
                }
            };
            path_rules(o, pat, p.path.as_deref().unwrap_or(""), path_type);
            if let Some(b) = backend(o, pat.key("backend"), &p.backend) {
                paths.push(netsim::IngressPath {
                    path: p.path.clone(),
                    path_type,
                    backend: b,
                    source: item_source(o.file, pat),
                });
            }
        }
        rules.push(netsim::IngressRule { host, paths });
    }
    if default_backend.is_none() && rules.is_empty() {
        o.error(
            "missing-field",
            at.key_span(),
            "an Ingress needs `rules` or a `defaultBackend`".into(),
            vec![],
        );
    }
    if let Some(class) = spec.ingress_class_name.as_deref() {
        o.check(
            "invalid-name",
            at.key("ingressClassName"),
            "ingressClassName",
            class,
            names::dns1123_subdomain,
        );
    }
    tls_rules(o, at.key("tls"), spec.tls.as_deref().unwrap_or_default());
    let tls = spec
        .tls
        .iter()
        .flatten()
        .map(|t| netsim::IngressTls {
            hosts: t.hosts.clone().unwrap_or_default(),
            secret_name: t.secret_name.clone(),
        })
        .collect();
    netsim::Ingress {
        name: String::new(),
        namespace: String::new(),
        annotations: Labels::new(),
        class_name: spec.ingress_class_name.clone(),
        default_backend,
        rules,
        tls,
        source: None,
    }
}

/// validateIngressTLS: each host a DNS subdomain (a wildcard one with `*`), the secret's name a
/// DNS subdomain.
fn tls_rules(o: &mut Obj<'_>, at: At<'_>, tls: &[networking::IngressTLS]) {
    for (i, t) in tls.iter().enumerate() {
        for (j, host) in t.hosts.iter().flatten().enumerate() {
            let bare = host.strip_prefix("*.").unwrap_or(host);
            if let Err(why) = names::dns1123_subdomain(bare) {
                o.error(
                    "invalid-host",
                    at.idx(i).key("hosts").idx(j).span(),
                    format!("invalid TLS host `{host}`: {why}"),
                    vec![],
                );
            }
        }
        if let Some(secret) = t.secret_name.as_deref().filter(|s| !s.is_empty()) {
            o.check(
                "invalid-name",
                at.idx(i).key("secretName"),
                "Secret name",
                secret,
                names::dns1123_subdomain,
            );
        }
    }
}

/// ValidateIngressCreate: the old `kubernetes.io/ingress.class` annotation, when set beside
/// `ingressClassName`, must name the same class.
fn class_annotation(o: &mut Obj<'_>, root: At<'_>, m: &Meta, class: Option<&str>) {
    const ANNOTATION: &str = "kubernetes.io/ingress.class";
    if let (Some(annotated), Some(class)) = (m.annotations.get(ANNOTATION), class) {
        if annotated != class {
            o.error(
                "invalid-value",
                root.key("metadata").key("annotations").key(ANNOTATION).span(),
                format!("annotation `{ANNOTATION}: {annotated}` must match `ingressClassName: {class}`"),
                vec!["remove the annotation: `ingressClassName` replaces it".into()],
            );
        }
    }
}

/// The API server's rules for a path (validateHTTPIngressPath, pkg/apis/networking/validation):
/// an Exact or Prefix path is absolute (so not empty) and has no `//`, `/./`, `/../`, `%2f`,
/// and does not end in `/..` or `/.`; an ImplementationSpecific path may be empty, and is
/// otherwise absolute.
fn path_rules(o: &mut Obj<'_>, pat: At<'_>, path: &str, path_type: PathType) {
    let at = if pat.key("path").present() { pat.key("path").span() } else { pat.key_span() };
    let mut problem = |message: String| o.error("invalid-value", at, message, vec![]);
    if path_type == PathType::ImplementationSpecific {
        if !path.is_empty() && !path.starts_with('/') {
            problem(format!("path `{path}` must start with '/'"));
        }
        return;
    }
    if !path.starts_with('/') {
        problem(if path.is_empty() {
            let name = PATH_TYPES.iter().find(|(_, t)| *t == path_type).map_or("", |(n, _)| n);
            format!("`pathType: {name}` needs a path that starts with '/'")
        } else {
            format!("path `{path}` must start with '/'")
        });
        return;
    }
    let sequence = ["//", "/./", "/../", "%2f", "%2F"].into_iter().find(|s| path.contains(s));
    if let Some(sequence) = sequence {
        problem(format!("path `{path}` must not contain `{sequence}`"));
    } else if let Some(end) = ["/..", "/."].into_iter().find(|e| path.ends_with(e)) {
        problem(format!("path `{path}` must not end with `{end}`"));
    }
}

fn ingress_backend(b: Option<&Node>) -> networking::IngressBackend {
    networking::IngressBackend {
        resource: object(b, "resource", |r| core::TypedLocalObjectReference {
            api_group: string(r, "apiGroup"),
            kind: req_string(r, "kind"),
            name: req_string(r, "name"),
        }),
        service: object(b, "service", |s| networking::IngressServiceBackend {
            name: req_string(s, "name"),
            port: object(s, "port", |p| networking::ServiceBackendPort {
                name: string(p, "name"),
                number: int(p, "number"),
            }),
        }),
    }
}

pub fn build(node: &Node) -> networking::Ingress {
    let n = Some(node);
    networking::Ingress {
        metadata: object_meta(n),
        spec: object(n, "spec", |s| networking::IngressSpec {
            default_backend: object(s, "defaultBackend", ingress_backend),
            ingress_class_name: string(s, "ingressClassName"),
            rules: items(s, "rules", |r| networking::IngressRule {
                host: string(r, "host"),
                http: object(r, "http", |h| networking::HTTPIngressRuleValue {
                    paths: items(h, "paths", |p| networking::HTTPIngressPath {
                        backend: object(p, "backend", ingress_backend).unwrap_or_default(),
                        path: string(p, "path"),
                        path_type: req_string(p, "pathType"),
                    })
                    .unwrap_or_default(),
                }),
            }),
            tls: items(s, "tls", |t| networking::IngressTLS {
                hosts: strings(t, "hosts"),
                secret_name: string(t, "secretName"),
            }),
        }),
        ..Default::default()
    }
}
