//! Holds the wasm to one copy of the standard sort (see crates/sorted and clippy.toml). The
//! clippy lint catches `slice::sort*` in the wasm's crates, but not `collect()` into a
//! `BTreeMap` or `BTreeSet`, which sorts too: each brings back a copy of about 4.5 KB. This
//! counts the copies by name in the release build's function names (the `name` section of
//! cargo's wasm, before wasm-bindgen and wasm-opt strip it), read with `wasmparser`.

use crate::workspace::Result;

/// Fails unless the wasm at `path` holds exactly one copy of the stable sort and none of the
/// unstable one.
pub fn check(path: &std::path::Path) -> Result {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let names = function_names(&bytes);
    if names.is_empty() {
        return Err(format!(
            "{}: no function names (a `name` section) to count the sorts by",
            path.display()
        ));
    }
    let stable: Vec<&String> = names.iter().filter(|n| n.contains("driftsort_main")).collect();
    let unstable: Vec<&String> = names.iter().filter(|n| n.contains("ipnsort")).collect();
    eprintln!(
        "\n==> copies of the standard sort in the wasm: {} stable, {} unstable (want 1 and 0)",
        stable.len(),
        unstable.len()
    );
    if stable.len() == 1 && unstable.is_empty() {
        return Ok(());
    }
    if stable.is_empty() {
        return Err("no `driftsort_main` in the wasm: did the standard library rename its sort? \
                    Update crates/xtask/src/sorts.rs"
            .into());
    }
    Err(format!(
        "the wasm holds {} copies of the stable sort and {} of the unstable one: a sort or a \
         collect() into a BTreeMap/BTreeSet in netsim, manifest, exercises or web should use \
         `sorted` (crates/sorted). Build with RUSTFLAGS=\"-C symbol-mangling-version=v0\" and \
         look for driftsort_main in the names to find the caller.",
        stable.len(),
        unstable.len()
    ))
}

/// The function names of a wasm module's `name` section (empty when it has none, or when it is
/// damaged).
pub fn function_names(bytes: &[u8]) -> Vec<String> {
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let custom = match payload {
            Ok(wasmparser::Payload::CustomSection(custom)) => custom,
            Ok(_) => continue,
            Err(_) => break,
        };
        let wasmparser::KnownCustom::Name(names) = custom.as_known() else { continue };
        for name in names {
            match name {
                Ok(wasmparser::Name::Function(map)) => {
                    return map.into_iter().map_while(|n| n.ok()).map(|n| n.name.to_string()).collect()
                }
                Ok(_) => continue,
                Err(_) => break,
            }
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module with a type section to skip, then a `name` section naming two functions.
    fn module(names: &[&str]) -> Vec<u8> {
        let mut entries = vec![names.len() as u8];
        for (i, n) in names.iter().enumerate() {
            entries.push(i as u8);
            entries.push(n.len() as u8);
            entries.extend_from_slice(n.as_bytes());
        }
        let mut name_body = vec![4];
        name_body.extend_from_slice(b"name");
        name_body.extend_from_slice(&[0, 2, 1, b'm']); // a module-name subsection ("m") to skip
        name_body.push(1);
        name_body.push(entries.len() as u8);
        name_body.extend(entries);
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]); // type section: one `() -> ()`
        wasm.push(0);
        wasm.push(name_body.len() as u8);
        wasm.extend(name_body);
        wasm
    }

    #[test]
    fn names_are_read_from_the_name_section() {
        let wasm = module(&["_ZN4core5slice4sort6stable14driftsort_main17h0E", "main"]);
        assert_eq!(function_names(&wasm), ["_ZN4core5slice4sort6stable14driftsort_main17h0E", "main"]);
        assert_eq!(function_names(b"\0asm\x01\0\0\0"), Vec::<String>::new());
        // wasmparser refuses a section cut short as a whole: `check` then fails on "no function
        // names" instead of counting part of them.
        assert_eq!(function_names(&wasm[..wasm.len() - 3]), Vec::<String>::new());
    }
}
