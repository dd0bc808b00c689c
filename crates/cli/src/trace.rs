//! `switchboard trace PATH... --from SRC --to DST`: one request, hop by hop.

use std::process::ExitCode;

use netsim::{Hop, Request, Trace};
use serde_json::{json, Value};

use crate::model::{protocol, Model};
use crate::unused::Reading;

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let mut paths = Vec::new();
    let (mut from, mut to, mut port, mut proto, mut seed, mut as_json) =
        (None, None, None, None, 0u64, false);
    let mut reading = Reading::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if reading.option(arg, &mut it)? {
            continue;
        }
        let mut value = |flag: &str| it.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--from" => from = Some(value("--from")?),
            "--to" => to = Some(value("--to")?),
            "--port" => port = Some(value("--port")?.parse::<u16>().map_err(|e| format!("--port: {e}"))?),
            "--protocol" => proto = Some(value("--protocol")?),
            "--seed" => seed = value("--seed")?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--json" => as_json = true,
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            path => paths.push(path.to_string()),
        }
    }
    let (Some(from), Some(to)) = (from, to) else {
        return Err("trace needs --from SRC and --to DST".into());
    };
    if paths.is_empty() {
        return Err("trace needs at least one PATH".into());
    }
    let model = Model::load(&paths, &reading)?;
    model.say_problems(&reading);
    let mut request =
        Request::new(model.client(&from)?, &to).protocol(protocol(proto.as_deref())?).seed(seed);
    request.port = port;
    let trace = model.cluster.send(&request);
    if as_json {
        let mut json = trace_json(&trace);
        (json["skipped"], json["ignored"]) = model.unused_json();
        println!("{}", serde_json::to_string_pretty(&json).unwrap_or_default());
    } else {
        println!("{trace}");
    }
    let code = if trace.outcome.is_success() { ExitCode::SUCCESS } else { ExitCode::FAILURE };
    Ok(model.exit(&reading, code))
}

/// A trace as JSON: the hops with packets, decisions and candidates, and the outcome.
pub fn trace_json(trace: &Trace) -> Value {
    json!({
        "outcome": trace.outcome.as_str(),
        "summary": trace.outcome.to_string(),
        "hops": trace.hops.iter().map(hop_json).collect::<Vec<_>>(),
        "text": trace.to_string(),
    })
}

fn hop_json(hop: &Hop) -> Value {
    json!({
        "at": hop.at,
        "action": hop.action.as_str(),
        "before": packet_json(&hop.before),
        "after": packet_json(&hop.after),
        "explanation": hop.explanation,
        "objects": hop.objects.iter().map(|o| json!({
            "kind": o.kind,
            "namespace": o.namespace,
            "name": o.name,
            "file": o.source.as_ref().map(|s| s.file.clone()),
            "start": o.source.as_ref().map(|s| s.start),
            "end": o.source.as_ref().map(|s| s.end),
        })).collect::<Vec<_>>(),
        "candidates": hop.candidates.iter().map(|c| json!({
            "address": format!("{}:{}", c.ip, c.port),
            "pod": c.pod,
            "node": c.node,
            "probability": c.probability,
            "chosen": c.chosen,
        })).collect::<Vec<_>>(),
    })
}

fn packet_json(p: &netsim::trace::Packet) -> Value {
    json!({ "src": p.src.to_string(), "dst": p.dst.to_string(), "protocol": p.protocol.as_str() })
}
