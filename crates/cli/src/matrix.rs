//! `switchboard matrix PATH... --port N [--protocol TCP] [--json]`: who may open a connection
//! to whom on one port, by NetworkPolicy alone. Rows are sources (every pod, then the outside
//! addresses), columns destination pods. `--explain SRC DST` says why for one cell.

use std::net::Ipv4Addr;
use std::process::ExitCode;

use netsim::policy::{Endpoint, Reachability};
use serde_json::json;

use crate::model::{protocol, Model};
use crate::unused::Reading;

/// The outside client when none is given: an address of TEST-NET-2 (RFC 5737).
const DEFAULT_OUTSIDE: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 10);

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let mut paths = Vec::new();
    let (mut port, mut proto, mut as_json, mut all) = (None, None, false, false);
    let mut outside = Vec::new();
    let mut explain = None;
    let mut reading = Reading::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if reading.option(arg, &mut it)? {
            continue;
        }
        let mut value = |flag: &str| it.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--port" => port = Some(value("--port")?.parse::<u16>().map_err(|e| format!("--port: {e}"))?),
            "--protocol" => proto = Some(value("--protocol")?),
            "--outside" => {
                let v = value("--outside")?;
                outside.push(v.parse::<Ipv4Addr>().map_err(|e| format!("--outside {v}: {e}"))?);
            }
            "--explain" => explain = Some((value("--explain")?, value("--explain")?)),
            "--json" => as_json = true,
            "--all" => all = true,
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            path => paths.push(path.to_string()),
        }
    }
    let Some(port) = port else { return Err("matrix needs --port N".into()) };
    if port == 0 {
        return Err("--port must be 1 to 65535".into());
    }
    if paths.is_empty() {
        return Err("matrix needs at least one PATH".into());
    }
    if outside.is_empty() {
        outside.push(DEFAULT_OUTSIDE);
    }
    let protocol = protocol(proto.as_deref())?;
    let model = Model::load(&paths, &reading)?;
    model.say_problems(&reading);
    let cluster = &model.cluster;
    let matrix = cluster.policy.reachability(port, protocol, &outside);

    if let Some((src, dst)) = explain {
        let row = source_row(&model, &matrix, &src)?;
        let (namespace, name) = model.pod(&dst)?;
        let col = matrix
            .pod_names
            .iter()
            .position(|n| *n == format!("{namespace}/{name}"))
            .ok_or_else(|| format!("no pod {namespace}/{name}"))?;
        let decision = matrix.decision(&cluster.policy, row, col).ok_or("no such cell")?;
        print!("{decision}");
        return Ok(model.exit(&reading, ExitCode::SUCCESS));
    }

    // Columns: the learner's pods, unless --all asks for CoreDNS and the ingress controller too.
    let shown: Vec<usize> =
        (0..matrix.pod_names.len()).filter(|&i| all || !cluster.pods[i].built_in).collect();
    let rows: Vec<usize> = (0..matrix.sources.len())
        .filter(|&s| match matrix.sources[s] {
            Endpoint::Pod(i) => shown.contains(&i),
            Endpoint::Outside(_) => true,
        })
        .collect();
    let name = |s: usize| match matrix.sources[s] {
        Endpoint::Pod(i) => matrix.pod_names[i].clone(),
        Endpoint::Outside(ip) => ip.to_string(),
    };
    let allowed: usize = rows.iter().map(|&s| shown.iter().filter(|&&d| matrix.allowed(s, d)).count()).sum();
    let cells = rows.len() * shown.len();
    if as_json {
        let (skipped, ignored) = model.unused_json();
        let out = json!({
            "port": port,
            "protocol": protocol.to_string(),
            "sources": rows.iter().map(|&s| name(s)).collect::<Vec<_>>(),
            "destinations": shown.iter().map(|&d| matrix.pod_names[d].clone()).collect::<Vec<_>>(),
            "rows": rows.iter().map(|&s| shown.iter().map(|&d| if matrix.allowed(s, d) { '.' } else { 'X' }).collect::<String>()).collect::<Vec<_>>(),
            "allowed": allowed,
            "denied": cells - allowed,
            "skipped": skipped,
            "ignored": ignored,
        });
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return Ok(model.exit(&reading, ExitCode::SUCCESS));
    }
    println!(
        "NetworkPolicy reachability on {protocol}/{port}: rows are sources, columns destinations; `.` allowed, `X` denied"
    );
    println!("(policy only: whether a container listens is not checked; `--explain SRC DST` says why)");
    let width = rows.iter().map(|&s| name(s).len()).max().unwrap_or(0);
    for (k, &d) in shown.iter().enumerate() {
        println!("{:width$}  {}{}", "", "| ".repeat(k), matrix.pod_names[d]);
    }
    println!("{}", format!("{:width$}  {}", "", "| ".repeat(shown.len())).trim_end());
    for &s in &rows {
        let marks: Vec<&str> = shown.iter().map(|&d| if matrix.allowed(s, d) { "." } else { "X" }).collect();
        println!("{:width$}  {}", name(s), marks.join(" "));
    }
    println!("{allowed} allowed, {} denied", cells - allowed);
    Ok(model.exit(&reading, ExitCode::SUCCESS))
}

/// The row of a source: a pod reference, or one of the outside addresses.
fn source_row(model: &Model, matrix: &Reachability, source: &str) -> Result<usize, String> {
    if let Ok(ip) = source.parse::<Ipv4Addr>() {
        return matrix
            .sources
            .iter()
            .position(|e| *e == Endpoint::Outside(ip))
            .ok_or_else(|| format!("{ip} is not one of the outside addresses (add --outside {ip})"));
    }
    let (namespace, name) = model.pod(source)?;
    let i = matrix
        .pod_names
        .iter()
        .position(|n| *n == format!("{namespace}/{name}"))
        .ok_or_else(|| format!("no pod {namespace}/{name}"))?;
    matrix.sources.iter().position(|e| *e == Endpoint::Pod(i)).ok_or_else(|| format!("no row for {source}"))
}
