//! `switchboard convert ingress` (Ingresses to Gateway API objects, `netsim::gateway::migrate`)
//! and `switchboard replay` (the same requests through the ingress controller and through
//! the Gateways, and every difference with the two decisions that made it).

use std::process::ExitCode;

use netsim::gateway;
use netsim::Scheme;

use crate::model::Model;
use crate::unused::Reading;

/// `switchboard convert ingress PATH... [--gateway-class NAME]`.
pub fn convert(args: &[String]) -> Result<ExitCode, String> {
    let mut args = args.iter();
    if args.next().map(String::as_str) != Some("ingress") {
        return Err("convert: say what to convert: switchboard convert ingress PATH...".into());
    }
    let mut paths = Vec::new();
    let mut class = kubectl::DEFAULT_GATEWAY_CLASS.to_string();
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
    let out = kubectl::converted_ingresses_yaml(s, &class);
    print!("{out}");
    Ok(ExitCode::SUCCESS)
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
        None => gateway::migrate::requests(&a.cluster, &b.cluster),
    };
    let rows = gateway::migrate::replay(&a.cluster, &b.cluster, &list);
    let w0 = rows.iter().map(|r| r.url.len()).max().unwrap_or(0).max(7);
    let w1 = rows.iter().map(|r| r.ingress.text().len()).max().unwrap_or(0).max(7);
    println!("{:<w0$}  {:<w1$}  GATEWAY", "REQUEST", "INGRESS");
    let mut differ = 0;
    for r in &rows {
        println!("{:<w0$}  {:<w1$}  {}", r.url, r.ingress.text(), r.gateway.text());
        if !r.same() {
            differ += 1;
            println!("  differs: the Ingress: {}", r.ingress.why);
            println!("           the Gateway: {}", r.gateway.why);
        }
    }
    println!("{} request(s), {differ} differ", rows.len());
    Ok(if differ == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
