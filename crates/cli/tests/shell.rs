//! `switchboard shell`: the terminal on an exercise's cluster, with its starting files, the
//! learner's files from a folder or the solution's; pods pinned with `spec.nodeName` (in the
//! read-only cluster and in the learner's files) run on the node they name.
//! Docs: https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename

use std::io::Write;
use std::process::{Command, Stdio};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/shell");

/// Runs `switchboard shell EXERCISE args...` with `stdin`: (exit code, stdout, stderr).
fn shell(exercise: &str, args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .arg("shell")
        .arg(exercise)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The NODE column of `kubectl get pods -o wide`'s row for `pod`.
fn node_of(table: &str, pod: &str) -> String {
    let row = table.lines().find(|l| l.split_whitespace().next() == Some(pod)).unwrap_or_default();
    row.split_whitespace().nth(6).unwrap_or_default().to_string()
}

struct Case {
    name: &'static str,
    args: &'static [&'static str],
    stdin: &'static str,
    code: i32,
    /// (pod, node) as `kubectl get pods -o wide` shows them in stdout.
    nodes: &'static [(&'static str, &'static str)],
    stdout: &'static [&'static str],
    /// Each line, with the folder of this file's fixtures for `{dir}`.
    stderr: &'static [&'static str],
}

const GET: &str = "kubectl get pods -o wide";

#[rustfmt::skip]
const CASES: &[Case] = &[
    Case {
        name: "starting files: db pinned to node-3 by the cluster, web to node-2 by its file",
        args: &["-c", GET], stdin: "", code: 0,
        nodes: &[("db", "node-3"), ("web", "node-2"), ("client", "node-1")],
        stdout: &["NAME     READY   STATUS"],
        // The starting Service's warning, at its place inside the exercise file.
        stderr: &["{dir}/pinned.yaml:57:15: warning[no-selector-no-endpoints]: in file `service.yaml`: Service `web` has no selector"],
    },
    Case {
        name: "the learner's files: web pinned to node-1; the missing and the extra file said",
        args: &["--files", "{dir}/learner", "-c", GET], stdin: "", code: 0,
        nodes: &[("db", "node-3"), ("web", "node-1")],
        stdout: &[],
        stderr: &[
            "{dir}/learner/service.yaml: warning: missing: the exercise's file service.yaml counts as empty",
            "{dir}/learner/notes.md: warning: not one of the exercise's files (web.yaml, service.yaml): not loaded",
        ],
    },
    Case {
        name: "a YAML error and a node that does not exist, at file:line:col of DIR's files",
        args: &["--files", "{dir}/broken", "-c", GET], stdin: "", code: 0,
        nodes: &[("web", "<none>")],
        stdout: &["web      0/1     Pending"],
        stderr: &[
            "{dir}/broken/service.yaml:6:13: error[yaml-syntax]: the `{` opened here is never closed",
            "{dir}/broken/web.yaml:8:13: warning[unknown-node]: Pod default/web names node node-9, which does not exist",
        ],
    },
    Case {
        name: "the solution: the request is delivered, exit 0; several -c each after `$ LINE`",
        args: &["--solution", "-c", GET, "-c", "kubectl exec client -- curl http://web"], stdin: "", code: 0,
        nodes: &[("web", "node-2")],
        stdout: &["$ kubectl get pods -o wide\nNAME", "$ kubectl exec client -- curl http://web\nHTTP/1.1 200 OK"],
        stderr: &[],
    },
    Case {
        name: "a request refused is a failed command: exit 1",
        args: &["-c", "kubectl exec client -- curl http://web"], stdin: "", code: 1,
        nodes: &[],
        stdout: &["curl: (7) Failed to connect to web port 80: Connection refused"],
        stderr: &[],
    },
    Case {
        name: "an unknown command fails; the next one still runs; `exit` ends them",
        args: &["-c", "kubectl frobnicate", "-c", "nslookup kubernetes.io", "-c", "exit", "-c", GET], stdin: "", code: 1,
        nodes: &[],
        stdout: &["error: unknown command \"frobnicate\" for \"kubectl\"", "$ nslookup kubernetes.io\n"],
        stderr: &[],
    },
    Case {
        name: "interactive on stdin: the first lines, each line after the prompt, until exit",
        args: &[], stdin: "kubectl get pods -o wide\nkubectl config view --minify -o jsonpath='{..namespace}'\nexit\nkubectl get nodes\n", code: 0,
        nodes: &[("db", "node-3")],
        stdout: &[
            "commands run in namespace default",
            "(exit or the end of input leaves)\n$ kubectl get pods -o wide\nNAME",
            "$ kubectl config view --minify -o jsonpath='{..namespace}'\ndefault\n$ exit\n",
        ],
        stderr: &[],
    },
    Case {
        name: "interactive until the end of input; a failed command makes exit 1",
        args: &["--solution"], stdin: "kubectl describe svc nothing", code: 1,
        nodes: &[],
        stdout: &["$ kubectl describe svc nothing\n", "$ \n"],
        stderr: &[],
    },
];

#[test]
fn cases() {
    let exercise = format!("{DIR}/pinned.yaml");
    for c in CASES {
        let args: Vec<String> = c.args.iter().map(|a| a.replace("{dir}", DIR)).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, stdout, stderr) = shell(&exercise, &args, c.stdin);
        let all = format!("{}\n--- stdout:\n{stdout}--- stderr:\n{stderr}", c.name);
        assert_eq!(code, c.code, "{all}");
        for (pod, node) in c.nodes {
            assert_eq!(node_of(&stdout, pod), *node, "{pod}: {all}");
        }
        for want in c.stdout {
            assert!(stdout.contains(want), "stdout lacks {want:?}: {all}");
        }
        for want in c.stderr {
            let want = want.replace("{dir}", DIR);
            assert!(stderr.lines().any(|l| l.starts_with(&want)), "stderr lacks {want:?}: {all}");
        }
    }
}

#[test]
fn warnings_of_the_cluster_and_the_solution_point_into_the_exercise() {
    let text = std::fs::read_to_string(format!("{DIR}/pinned.yaml")).expect("read");
    let text = text
        .replace("nodeName: node-3", "nodeName: ghost")
        .replace("          app: web\n        ports:", "          app: nobody\n        ports:");
    let dir = std::env::temp_dir().join(format!("switchboard-shell-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("ghost.yaml");
    std::fs::write(&path, text).expect("write");
    let (code, stdout, stderr) = shell(path.to_str().expect("utf-8"), &["--solution", "-c", GET], "");
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(node_of(&stdout, "db"), "<none>", "{stdout}");
    let p = path.display();
    for want in [
        format!("{p}:20:15: warning[unknown-node]: in `cluster`: Pod default/db names node ghost, which does not exist"),
        format!("{p}:81:9: warning[selector-matches-nothing]: in the solution's `service.yaml`: the selector app=nobody"),
    ] {
        assert!(stderr.lines().any(|l| l.starts_with(&want)), "{want}\n{stderr}");
    }
}

#[test]
fn bad_arguments_exit_2() {
    let exercise = format!("{DIR}/pinned.yaml");
    let learner = format!("{DIR}/learner");
    let cases: &[(&str, &[&str], &str)] = &[
        (&exercise, &["--files", &learner, "--solution"], "one of --files DIR and --solution"),
        (&exercise, &["--files"], "--files needs a folder"),
        (&exercise, &["-c"], "-c needs a command line"),
        (&exercise, &["--frob"], "unknown option --frob"),
        (&exercise, &[&exercise], "shell takes one EXERCISE.yaml"),
        (&exercise, &["--files", "/nonexistent/folder"], "/nonexistent/folder: no such folder"),
        ("/nonexistent/exercise.yaml", &[], "/nonexistent/exercise.yaml: "),
        (&learner, &[], "Is a directory"),
    ];
    for (ex, args, want) in cases {
        let (code, stdout, stderr) = shell(ex, args, "");
        assert_eq!(code, 2, "{args:?}: {stdout}{stderr}");
        assert!(stderr.starts_with("switchboard: ") && stderr.contains(want), "{args:?}: {stderr}");
    }
    let (code, _, stderr) = shell(&format!("{DIR}/learner/web.yaml"), &[], "");
    assert_eq!(code, 2);
    assert!(stderr.contains("does not load"), "{stderr}");
}
