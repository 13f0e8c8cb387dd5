//! Snapshots of the generated C: every `tests/api/*.h` is a cdef whose
//! module (`_snap_<name>`, with an empty source) is compared with the
//! `.c` beside it, from the line after the support header on. The
//! snapshots make every change to the generated code a reviewable diff;
//! run with `UPDATE_SNAPSHOTS=1` after a deliberate change. Whether the
//! code compiles and runs is the Python tests' business
//! (tests/test_api_build.py, tests/test_api_mode.py).

use ctypes_model::{CdefOptions, Declarations, Target, TypeTable};
use recompiler::api::{c_module, ModuleSource};
use std::fs;
use std::path::Path;

/// The emitted module after the support header and the (empty) source.
fn generated(cdef: &str, name: &str, options: &CdefOptions) -> String {
    // `options` is the cdef's (`packed`...).
    let mut types = TypeTable::new(Target::X86_64_LINUX);
    let mut decls = Declarations::new();
    decls
        .cdef(&mut types, cdef, options)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let text = c_module(
        &mut types,
        &decls,
        ModuleSource {
            module_name: &format!("_snap_{name}"),
            preamble: "",
            embedding: None,
        },
        &[],
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    // The header and the source end at the second separator line.
    let separator = "/************************************************************/\n";
    let mut parts = text.splitn(3, separator);
    parts.nth(2).expect("two separators").to_owned()
}

#[test]
fn generated_c_matches_the_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api");
    let mut inputs: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "h"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 5, "the corpus is in {}", dir.display());
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut stale = Vec::new();
    for input in inputs {
        let name = input.file_stem().unwrap().to_str().unwrap().to_owned();
        let cdef = fs::read_to_string(&input).unwrap();
        let actual = generated(&cdef, &name, &CdefOptions::default());
        let snapshot = input.with_extension("c");
        if update {
            fs::write(&snapshot, &actual).unwrap();
        } else if fs::read_to_string(&snapshot).ok().as_deref() != Some(actual.as_str()) {
            stale.push(format!(
                "{} differs from what the generator writes now:\n{actual}",
                snapshot.display()
            ));
        }
    }
    assert!(stale.is_empty(), "{}", stale.join("\n\n"));
}

#[test]
fn the_module_is_the_same_every_time() {
    // F-08.14: one cdef, one text (no addresses, no hash order).
    let cdef =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api/constants.h"))
            .unwrap();
    let first = generated(&cdef, "again", &CdefOptions::default());
    for _ in 0..5 {
        assert_eq!(generated(&cdef, "again", &CdefOptions::default()), first);
    }
}
