//! `switchboard`: the command line for instructors, CI and tests.

mod connlist;
mod dump;
mod exercise;
mod files;
mod matrix;
mod migrate;
mod model;
mod query;
mod shell;
mod trace;
mod unused;

use std::process::ExitCode;

use manifest::Severity;

const USAGE: &str = "\
usage:
  switchboard validate PATH... [--max-file-size SIZE]
      diagnostics as file:line:col: severity[code]: message; exit 1 on any error
  switchboard trace PATH... --from SRC --to DST [--port N] [--protocol TCP|UDP|SCTP] [--seed N] [--json]
      SRC: a pod (ns/name or pod/ns/name; a workload name means its first replica),
           node/NAME, or an outside IPv4 address
      DST: a DNS name, an IP, or a URL, with an optional :port (http://api-svc:80, api-svc.prod:80,
           10.96.0.15:80)
  switchboard matrix PATH... --port N [--protocol TCP|UDP|SCTP] [--outside IP]... [--all] [--json]
                            [--explain SRC DST]
      the NetworkPolicy reachability matrix on one port: every pod and an outside address
      (198.51.100.10 unless --outside is given) as sources, every pod as destination
      (--all adds CoreDNS and the ingress controller); --explain says why for one cell
  switchboard connlist PATH... [--format text|csv|json] [--pods-only] [--all]
      every port NetworkPolicy allows, for every pair of pods and between pods and the outside
      address ranges its ipBlocks define: one line per pair with something allowed, sorted by
      source then destination (`shop/web => shop/api : TCP 8080`; `all` is every port of
      TCP, UDP and SCTP); csv is `src,dst,conn`; --pods-only leaves the outside out, --all
      adds CoreDNS and the ingress controller
  switchboard query --manifests PATH --queries Q.json
      answers a JSON array of queries with a JSON array of answers, in order
  switchboard check PATH... [--coverage]
      every exercise loads, its solution passes every check and its starting files fail one;
      prints the curriculum coverage table (--coverage: fail unless every concept is covered)
  switchboard grade EXERCISE.yaml --files DIR [--json]
      grades the learner's files in DIR (by the exercise's file names); exit 1 unless solved
  switchboard shell EXERCISE.yaml [--files DIR | --solution] [-c LINE]...
      the browser's terminal (kubectl get/describe/exec/run, curl, wget, nslookup; `help`
      lists them) on the exercise's cluster with its starting files, the learner's files in
      DIR (by the exercise's file names) or the solution's: each -c LINE is answered in turn;
      without -c, lines are read from stdin after a `$ ` prompt until exit or end of input.
      The files' diagnostics go to stderr; exit 1 when a command fails (an error, a request
      not answered, a name not found)
  switchboard convert ingress PATH... [--gateway-class NAME]
      writes to stdout the Gateway API objects that route as the Ingresses read do under
      ingress-nginx (a Gateway per IngressClass and namespace, of GatewayClass NAME, default
      `example`, the built-in controller's; an HTTPRoute per host), each annotation or path
      without a standard equivalent named in a comment above what it would have changed
  switchboard replay --ingress PATH... --gateway PATH... [--requests FILE]
      sends the same requests through the ingress controller (the --ingress files) and the
      Gateways (the --gateway files) and prints where each side sends each, and for each
      difference the two decisions; FILE lists http(s)://HOST/PATH lines, else the requests
      are generated from both sides' hosts and paths; exit 1 when any request differs
  switchboard new PATH
      writes a commented exercise template to PATH (exercises/<chapter>/<id>.yaml)
  switchboard schema
      prints the JSON Schema of exercise files

PATH is a YAML or JSON file or a folder (every *.yaml, *.yml and *.json under it, in name
order); a `kind: List` (or PodList, ServiceList, ...) is read item by item.

trace, matrix, connlist and query also take:
  --max-file-size SIZE   larger files are not read (bytes, or with K, M or G; default 256M)
  --allow-skipped        exit 0 even when an object of a networking kind was not used
They say on stderr what they did not use: kinds that cannot change a networking answer
(ConfigMap, Secret, RBAC, ...) in one line; each object of a networking kind skipped or kept
with a warning, listed, with exit 3 (the answer may be incomplete) unless --allow-skipped.
Their JSON carries both lists (`skipped`, `ignored`; for query, in the `valid` answer).

exit codes: 0 done; 1 validate found an error, trace's request was not delivered, grade not
solved, check found a problem, a shell command failed; 2 bad arguments or unreadable files;
3 an analysis command's answer may be incomplete (see above); 141 the output pipe was closed.
";

fn main() -> ExitCode {
    // `switchboard check exercises | head` closes the pipe early: end quietly, as Unix tools do,
    // instead of reporting println!'s failure as a crash.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default_hook(info);
    }));
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("validate") => validate(&args[1..]),
        Some("trace") => trace::run(&args[1..]),
        Some("query") => query::run(&args[1..]),
        Some("matrix") => matrix::run(&args[1..]),
        Some("connlist") => connlist::run(&args[1..]),
        // Hidden: the benchmarks' synthetic cluster as a manifest (see connlist.rs).
        Some("gen-cluster") => connlist::gen_cluster(&args[1..]),
        Some("check") => exercise::check(&args[1..]),
        Some("grade") => exercise::grade_cmd(&args[1..]),
        Some("shell") => shell::run(&args[1..]),
        Some("convert") => migrate::convert(&args[1..]),
        Some("replay") => migrate::replay(&args[1..]),
        Some("new") => exercise::new(&args[1..]),
        Some("schema") => exercise::schema(),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(format!("expected a command\n\n{USAGE}")),
    };
    match outcome {
        Ok(code) => code,
        Err(message) => {
            eprintln!("switchboard: {message}");
            ExitCode::from(2)
        }
    }
}

fn validate(args: &[String]) -> Result<ExitCode, String> {
    // Strict, as `kubectl apply` with strict field validation: an unknown field refuses the object.
    let mut reading = unused::Reading::default();
    reading.limits.warn_unknown_fields = false;
    let mut paths = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--max-file-size" => {
                reading.option(arg, &mut it)?;
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            path => paths.push(path.to_string()),
        }
    }
    if paths.is_empty() {
        return Err(format!("validate needs at least one PATH\n\n{USAGE}"));
    }
    let sources = files::read_all(&paths)?;
    let (loaded, _) = manifest::load_and_build_with(&sources, &netsim::Topology::default(), &reading.limits);
    for line in files::render_all(&sources, &loaded.diagnostics) {
        println!("{line}");
    }
    let errors = loaded.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = loaded.diagnostics.len() - errors;
    eprintln!("{} file(s): {errors} error(s), {warnings} warning(s)", sources.len());
    Ok(if errors > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
