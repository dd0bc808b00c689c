//! `switchboard shell EXERCISE.yaml [--files DIR | --solution] [-c LINE]...`: the browser's
//! terminal (the `kubectl` crate: kubectl, curl, wget, nslookup) on an exercise's cluster, so
//! that authors see placement, addresses and rules as learners will.
//!
//! The cluster is built as the browser builds it: the exercise's read-only cluster with its
//! starting files, the learner's files read from DIR by the exercise's file names, or the
//! solution's. The session starts in the namespace the browser's terminal starts in.
//!
//! Each `-c LINE` is run in turn and its answer printed (after a `$ LINE` line when there are
//! several). Without `-c`, the terminal's first lines are printed and lines are read from
//! stdin after a `$ ` prompt until `exit` or the end of input; when stdin is not a terminal,
//! each line read is printed after the prompt, so the output reads as the screen would.
//!
//! Exit code: 0 when every command would exit 0 in a shell; 1 when one did not: the terminal
//! answered with an error (an unknown command, object or flag), a curl or wget request was not
//! answered with success (as `switchboard trace` judges it), or nslookup found no such name
//! (see `kubectl::Answer::exit_zero`); 2 for bad arguments, unreadable files or an exercise
//! that does not load. Diagnostics of the files go to stderr and do not change the exit code.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use exercises::{Embedded, Exercise, CLUSTER_FILE};
use manifest::{Diagnostic, SourceFile};

use crate::exercise::{read, render};

/// Whose files the cluster is built with.
enum Files {
    Starting,
    Solution,
    Dir(String),
}

struct Args {
    exercise: String,
    files: Files,
    commands: Vec<String>,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let (mut exercise, mut files, mut commands) = (None, Files::Starting, Vec::new());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--files" | "--solution" if !matches!(files, Files::Starting) => {
                return Err("shell takes one of --files DIR and --solution".into())
            }
            "--files" => files = Files::Dir(it.next().cloned().ok_or("--files needs a folder")?),
            "--solution" => files = Files::Solution,
            "-c" => commands.push(
                it.next().cloned().ok_or("-c needs a command line, e.g. -c 'kubectl get pods -o wide'")?,
            ),
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            p if exercise.is_none() => exercise = Some(p.to_string()),
            p => return Err(format!("shell takes one EXERCISE.yaml, not also {p}")),
        }
    }
    let exercise = exercise.ok_or("shell needs EXERCISE.yaml")?;
    Ok(Args { exercise, files, commands })
}

/// `switchboard shell`.
pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let args = parse(args)?;
    let (name, text) = read(Path::new(&args.exercise))?;
    let loaded = exercises::load(&name, &text);
    for d in &loaded.diagnostics {
        eprintln!("{}", render(&name, &text, d));
    }
    let ex = loaded.exercise.ok_or_else(|| format!("{name} does not load"))?;
    let files = match &args.files {
        Files::Starting => exercises::starting_files(&ex),
        Files::Solution => exercises::solution_files(&ex),
        Files::Dir(dir) => read_dir_files(&ex, Path::new(dir))?,
    };
    let (model, cluster) = exercises::model(&ex, &files);
    for d in &model.diagnostics {
        eprintln!("{}", place(&name, &text, &args.files, &ex, &files, d));
    }
    let mut session = kubectl::Session::new(exercises::terminal_namespace(&ex, &files));
    let mut failed = false;
    if args.commands.is_empty() {
        let from = exercises::default_source(&ex, &cluster);
        println!("{}", kubectl::intro(&cluster, &session, from.as_deref()).trim_end());
        println!("(exit or the end of input leaves)");
        failed = interactive(&cluster, &mut session)?;
    } else {
        let several = args.commands.len() > 1;
        for line in &args.commands {
            if line.trim() == "exit" {
                break;
            }
            if several {
                println!("$ {line}");
            }
            failed |= answer(&cluster, &mut session, line);
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Runs one line and prints its answer; whether the command failed.
fn answer(cluster: &netsim::Cluster, session: &mut kubectl::Session, line: &str) -> bool {
    let answer = kubectl::run(cluster, session, line);
    if !answer.output.is_empty() {
        print!("{}", answer.output);
        if !answer.output.ends_with('\n') {
            println!();
        }
    }
    !answer.exit_zero
}

/// Lines from stdin until `exit` or its end; whether a command failed.
fn interactive(cluster: &netsim::Cluster, session: &mut kubectl::Session) -> Result<bool, String> {
    let stdin = std::io::stdin();
    let typed = stdin.is_terminal();
    let mut input = stdin.lock();
    let mut failed = false;
    loop {
        print!("$ ");
        std::io::stdout().flush().map_err(|e| format!("stdout: {e}"))?;
        let mut line = String::new();
        if input.read_line(&mut line).map_err(|e| format!("stdin: {e}"))? == 0 {
            println!();
            break;
        }
        let line = line.trim_end_matches(['\n', '\r']);
        if !typed {
            println!("{line}");
        }
        match line.trim() {
            "exit" => break,
            // As the browser's terminal: a clear screen, when there is a screen.
            "clear" => {
                if std::io::stdout().is_terminal() {
                    print!("\x1b[H\x1b[2J");
                }
            }
            _ => failed |= answer(cluster, session, line),
        }
    }
    Ok(failed)
}

/// The learner's files from `dir`, one per file the exercise names (a missing one counts as
/// empty, as in `grade`); a missing file and a file the exercise does not name are said on
/// stderr.
fn read_dir_files(ex: &Exercise, dir: &Path) -> Result<Vec<SourceFile>, String> {
    if !dir.is_dir() {
        return Err(format!("{}: no such folder", dir.display()));
    }
    let names: Vec<&str> = ex.files.iter().map(|f| f.name.as_str()).collect();
    let mut files = Vec::new();
    for name in &names {
        let p = dir.join(name);
        if !p.exists() {
            eprintln!("{}: warning: missing: the exercise's file {name} counts as empty", p.display());
            continue;
        }
        let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        files.push(SourceFile { name: name.to_string(), text });
    }
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut extra: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && !names.contains(&n.as_str()))
        .collect();
    extra.sort();
    for n in extra {
        eprintln!(
            "{}: warning: not one of the exercise's files ({}): not loaded",
            dir.join(&n).display(),
            names.join(", ")
        );
    }
    Ok(files)
}

/// A diagnostic of the built files at its place: in DIR's file, or inside the exercise file
/// where it holds the text (the read-only cluster, a starting or a solution file).
fn place(
    name: &str,
    text: &str,
    from: &Files,
    ex: &Exercise,
    files: &[SourceFile],
    d: &Diagnostic,
) -> String {
    let file_text = files.iter().find(|f| f.name == d.file).map_or("", |f| f.text.as_str());
    let which = match from {
        _ if d.file == CLUSTER_FILE => Embedded::Cluster,
        Files::Dir(dir) => {
            let shown = Path::new(dir).join(&d.file).display().to_string();
            return render(&shown, file_text, d);
        }
        Files::Solution if ex.solution.iter().any(|f| f.name == d.file) => Embedded::Solution(&d.file),
        Files::Starting | Files::Solution => Embedded::File(&d.file),
    };
    let at = |offset| exercises::embedded_position(text, which, offset);
    match at(d.start) {
        Some(start) => {
            let end = at(d.end).unwrap_or(start).max(start);
            let message = match which {
                Embedded::Cluster => format!("in `cluster`: {}", d.message),
                Embedded::File(f) => format!("in file `{f}`: {}", d.message),
                Embedded::Solution(f) => format!("in the solution's `{f}`: {}", d.message),
            };
            render(name, text, &Diagnostic { start, end, message, ..d.clone() })
        }
        // Not a block scalar: at its place in the file's own text, named as the exercise names it.
        None => render(&d.file, if d.file == CLUSTER_FILE { &ex.cluster } else { file_text }, d),
    }
}
