//! Hostnames of listeners and Routes: wildcard matching, their intersection (which decides
//! whether a Route attaches to a listener and for which names) and their specificity (which
//! decides precedence). https://gateway-api.sigs.k8s.io/reference/spec/#hostname and the
//! `hostnames` field of HTTPRoute.

/// The request's Host header as matching sees it: lower-case, without a port (the spec: a
/// port in the Host header MUST be ignored) or a trailing dot.
pub fn normalize(host: &str) -> String {
    let h = host.trim();
    let h = match h.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => h,
    };
    h.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether hostname `pattern` (a name or `*.suffix`) covers `host`. A wildcard is a suffix
/// match over any number of labels: `*.example.com` covers `a.example.com` and
/// `a.b.example.com`, never `example.com` (HTTPRoute `hostnames`).
pub fn matches(pattern: &str, host: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    let host = host.to_ascii_lowercase();
    match pattern.strip_prefix('*') {
        Some(suffix) => host.len() > suffix.len() && host.ends_with(suffix),
        None => pattern == host,
    }
}

/// The names both `listener` and `route` accept, the narrower of each pair: a Route's
/// `*.example.com` on a listener for `foo.example.com` serves `foo.example.com`, and a
/// Route's `foo.example.com` on a `*.example.com` listener serves `foo.example.com`.
fn intersect_pair(listener: &str, route: &str) -> Option<String> {
    if matches(listener, route) || listener.eq_ignore_ascii_case(route) {
        Some(route.to_ascii_lowercase())
    } else if matches(route, listener) {
        Some(listener.to_ascii_lowercase())
    } else {
        None
    }
}

/// The hostnames a Route serves through a listener. `Ok(empty)`: every hostname (neither
/// says one). `Err(())`: both say hostnames and none intersect, so the Route does not attach
/// to this listener (reason `NoMatchingListenerHostname`). Route hostnames outside the
/// listener's are dropped, as the spec says they MUST be ignored.
#[allow(clippy::result_unit_err)]
pub fn intersect(listener: Option<&str>, route: &[String]) -> Result<Vec<String>, ()> {
    match (listener, route) {
        (None, r) => Ok(r.iter().map(|h| h.to_ascii_lowercase()).collect()),
        (Some(l), []) => Ok(vec![l.to_ascii_lowercase()]),
        (Some(l), r) => {
            let mut out: Vec<String> = Vec::new();
            for h in r {
                if let Some(i) = intersect_pair(l, h) {
                    if !out.contains(&i) {
                        out.push(i);
                    }
                }
            }
            if out.is_empty() {
                Err(())
            } else {
                Ok(out)
            }
        }
    }
}

/// How specific a matching hostname is, for the Routes' precedence: the characters of a
/// matching non-wildcard hostname, then the characters of the matching hostname (`(0, 0)`
/// when the Route matches every host).
pub fn specificity(hostname: Option<&str>) -> (usize, usize) {
    match hostname {
        None => (0, 0),
        Some(h) if h.starts_with('*') => (0, h.len()),
        Some(h) => (h.len(), h.len()),
    }
}

/// A listener's rank for a request's host: exact names first, then wildcards with more
/// labels after the `*` (the spec counts the dots), then a listener without hostname.
pub fn listener_rank(hostname: Option<&str>) -> (u8, usize, usize) {
    match hostname {
        None => (0, 0, 0),
        Some(h) if h.starts_with('*') => (1, h.matches('.').count(), h.len()),
        Some(h) => (2, 0, h.len()),
    }
}

/// The most specific of `hostnames` that covers `host` (`Ok(None)`: the list is empty, every
/// host matches; `Err(())`: none covers it).
#[allow(clippy::result_unit_err)]
pub fn best_match<'a>(hostnames: &'a [String], host: &str) -> Result<Option<&'a str>, ()> {
    if hostnames.is_empty() {
        return Ok(None);
    }
    hostnames
        .iter()
        .filter(|h| matches(h, host))
        .max_by_key(|h| specificity(Some(h)))
        .map(|h| Some(h.as_str()))
        .ok_or(())
}
