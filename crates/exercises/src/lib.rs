//! Exercises: the file format ([`mod@format`]), loading with positioned diagnostics ([`load()`])
//! into typed checks ([`check`]), and the grader ([`grade()`]) that runs every check against
//! the same model the rest of Switchboard uses.
//!
//! Loading is strict like manifest loading: an unknown field names the closest valid one,
//! a wrong type or a malformed reference (`pod/web`) is an error at its line and column, and
//! nothing panics. Each reference is parsed once, at load; grading matches on the kind of
//! each check.
//!
//! Modules use only those before them in this order: `refs`, `concepts`, `share`, `paths`,
//! `ends`, `check`, `format`, `convert`, `routes`, `named`, `load`, `pack`, `world`, `causes`,
//! `arrival`, `chains`, `grade`, `start`; this file
//! declares and re-exports them and holds the functions over a loaded exercise
//! (`starting_files`, `solution_files`, `audit`, `review`) and `schema`.

mod arrival;
mod causes;
mod chains;
pub mod check;
pub mod concepts;
mod convert;
pub mod ends;
pub mod format;
mod grade;
mod load;
mod named;
pub mod pack;
mod paths;
pub mod refs;
mod routes;
pub mod share;
mod start;
mod world;

use manifest::{Severity, SourceFile};

pub use check::{
    AnswerCheck, Check, CheckKind, Expect, KubeProxyChain, ObjectCheck, Scalar, UnchangedCheck, ValidCheck,
};
pub use format::{
    CheckFile, DnsCheck, EnvCheck, Exercise, File, GatewayCheck, IngressCheck, KubeProxyCheck, KubeProxyMode,
    Level, LoadBalancerCheck, Pair, PolicyCheck, RequestCheck, RouteStatusCheck, TopologyOptions,
    CLUSTER_FILE,
};
pub use grade::{grade, grade_again, CheckResult, Grade};
pub use load::{embedded_position, load, locate, Embedded, Loaded, Place};
pub use routes::install as install_gateway_api;
pub use start::{default_source, terminal_namespace};
pub use world::{cluster, model};

/// The learner's files at the start of an exercise.
pub fn starting_files(ex: &Exercise) -> Vec<SourceFile> {
    ex.files.iter().map(|f| SourceFile { name: f.name.clone(), text: f.text.clone() }).collect()
}

/// The starting files with the solution's files put in.
pub fn solution_files(ex: &Exercise) -> Vec<SourceFile> {
    ex.solution_files()
}

/// What `switchboard check` says of a loaded exercise: the problems that make it unsound
/// and the warnings about checks that may pass for the wrong reason, each at its place
/// ([`locate`] finds it in the exercise file).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Review {
    pub problems: Vec<Finding>,
    pub warnings: Vec<Finding>,
}

/// One problem or warning of [`review`]: its words, its hints and its place.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub message: String,
    pub hints: Vec<String>,
    pub place: Place,
}

impl Finding {
    fn at(place: Place, message: String) -> Finding {
        Finding { message, hints: Vec::new(), place }
    }
}

/// What `switchboard check` proves of a loaded exercise: its solution passes every check and
/// loads without error, and its starting files fail at least one check. Problems in words.
pub fn audit(ex: &Exercise) -> Vec<String> {
    review(ex).problems.into_iter().map(|f| f.message).collect()
}

/// [`audit`]'s problems, and a warning for each negative request check without `by:` that
/// holds for both the starting files and the solution, but for different causes: the
/// starting files may pass it for a reason the exercise does not teach. A failing check is
/// placed at the check, an error in the solution's files where its text is written (and said
/// first: the checks it makes fail follow).
pub fn review(ex: &Exercise) -> Review {
    let mut problems = Vec::new();
    let solved = grade(ex, &solution_files(ex));
    for d in solved.diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        problems.push(Finding {
            message: format!("the solution has an error in {}: {}", d.file, d.message),
            hints: d.hints.clone(),
            place: Place::Solution { file: d.file.clone(), start: d.start, end: d.end },
        });
    }
    for (i, r) in solved.results.iter().enumerate().filter(|(_, r)| !r.passed) {
        let message = format!("the solution fails check \"{}\": {}", r.title, r.explanation);
        problems.push(Finding::at(Place::Check(i), message));
    }
    let start = grade(ex, &starting_files(ex));
    if start.solved() {
        let message = "the starting files already pass every check: the exercise asks nothing".into();
        problems.push(Finding::at(Place::Key("files"), message));
    }
    let mut warnings = Vec::new();
    for (i, ((c, a), b)) in ex.checks.iter().zip(&start.results).zip(&solved.results).enumerate() {
        let CheckKind::Request(r) = &c.kind else { continue };
        let negative = matches!(r.expect, Expect::Blocked | Expect::Dropped);
        if negative && r.by.is_none() && a.passed && b.passed && a.causes != b.causes {
            let message = format!(
                "check \"{}\" holds for the starting files ({}) and for the solution ({}), for different causes: it may pass for the wrong reason; say which cause with `by: {}`",
                c.title,
                a.causes.join(", "),
                b.causes.join(", "),
                b.causes.first().map_or("...", String::as_str),
            );
            warnings.push(Finding::at(Place::Check(i), message));
        }
    }
    Review { problems, warnings }
}

/// The JSON Schema of the exercise format (what `exercises/exercise.schema.json` holds).
pub fn schema() -> String {
    let schema = schemars::schema_for!(Exercise<CheckFile>);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
