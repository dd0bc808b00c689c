//! What the targets share: input splitting and the invariants every load must keep.

use manifest::{Loaded, SourceFile};

/// The files in one input: the text split at NUL bytes (YAML never holds one), at most four,
/// named `a.yaml`, `b.yaml`, ... so cross-file checks (duplicates, selectors) are reached too.
pub fn files(text: &str) -> Vec<SourceFile> {
    text.split('\0')
        .take(4)
        .zip(["a.yaml", "b.yaml", "c.yaml", "d.yaml"])
        .map(|(text, name)| SourceFile { name: name.into(), text: text.into() })
        .collect()
}

/// The promises of `manifest::load`: every diagnostic points inside its file on char
/// boundaries, and they come sorted by file and position.
pub fn check_diagnostics(files: &[SourceFile], loaded: &Loaded) {
    for d in &loaded.diagnostics {
        let file = files.iter().find(|f| f.name == d.file).unwrap_or_else(|| panic!("unknown file in {d:?}"));
        assert!(d.start <= d.end && d.end <= file.text.len(), "range out of the file: {d:?}");
        assert!(file.text.is_char_boundary(d.start) && file.text.is_char_boundary(d.end), "{d:?}");
        assert!(!d.code.is_empty() && !d.message.is_empty(), "{d:?}");
    }
    let keys: Vec<_> = loaded.diagnostics.iter().map(|d| (&d.file, d.start, d.end, d.code)).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "diagnostics out of order");
}
