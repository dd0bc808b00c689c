//! (a) `manifest::load_and_build` (read, convert, validate, build, the policy checks) of
//! arbitrary bytes: never panics, and every diagnostic points inside its file. Bytes that are not UTF-8 go through `manifest::decode`.
//! Seeds: exercises/**/*.yaml, crates/manifest/tests/cases/**/*.yaml, the CLI contract manifests.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = match manifest::decode("a.yaml", data.to_vec()) {
        Ok(file) => file.text,
        Err(d) => {
            assert!(d.start <= data.len() && d.code == "not-utf8", "{d:?}");
            return;
        }
    };
    let files = common::files(&text);
    let (loaded, _) = manifest::load_and_build(&files, &netsim::Topology::default());
    common::check_diagnostics(&files, &loaded);
    for d in &loaded.diagnostics {
        let _ = manifest::line_col(&files.iter().find(|f| f.name == d.file).unwrap().text, d.start);
    }
});
