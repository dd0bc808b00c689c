//! (c) `exercises::load` of arbitrary text, then grading: the starting files (twice: the
//! grader is deterministic) and the solution files. Never panics; diagnostics point inside
//! the file. Seeds: exercises/**/*.yaml.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let loaded = exercises::load("exercise.yaml", text);
    for d in &loaded.diagnostics {
        assert!(d.start <= d.end && d.end <= text.len(), "range out of the file: {d:?}");
        assert!(text.is_char_boundary(d.start) && text.is_char_boundary(d.end), "{d:?}");
    }
    let Some(ex) = loaded.exercise else { return };
    let start = exercises::starting_files(&ex);
    let graded = exercises::grade(&ex, &start);
    assert_eq!(graded.results, exercises::grade(&ex, &start).results, "grading is not deterministic");
    let _ = graded.summary();
    let solved = exercises::grade(&ex, &exercises::solution_files(&ex));
    let _ = solved.summary();
    let _ = exercises::cluster(&ex, &start);
});
