//! Tests as data: every `tests/corpus/ok/*.h` must parse, and its syntax
//! tree is compared with the snapshot beside it (`.ast`); every
//! `tests/corpus/err/*.h` must fail, and its rendered error is compared
//! with `.err`. Run with `UPDATE_SNAPSHOTS=1` to write the snapshots after
//! a deliberate change, then review the diff.

use cdef_parse::{parse_cdef, Predeclared, SourceMap};
use std::fs;
use std::path::{Path, PathBuf};

fn inputs(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(dir);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "h"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    files
}

/// Compares `actual` with the snapshot file, or writes it when updating.
fn check(snapshot: &Path, actual: &str, failures: &mut Vec<String>) {
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        fs::write(snapshot, actual).unwrap();
        return;
    }
    match fs::read_to_string(snapshot) {
        Ok(expected) if expected == actual => {}
        Ok(expected) => failures.push(format!(
            "{} differs:\n--- expected\n{expected}\n--- actual\n{actual}",
            snapshot.display()
        )),
        Err(_) => failures.push(format!(
            "{} is missing (run with UPDATE_SNAPSHOTS=1)",
            snapshot.display()
        )),
    }
}

#[test]
fn valid_inputs_match_their_ast_snapshots() {
    let mut failures = Vec::new();
    for path in inputs("ok") {
        let src = fs::read_to_string(&path).unwrap();
        let cdef = match parse_cdef(&src, &Predeclared) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!(
                    "{}: {}",
                    path.display(),
                    SourceMap::new(&src).render(e.span, &e.kind.to_string())
                ));
                continue;
            }
        };
        check(
            &path.with_extension("ast"),
            &format!("{cdef:#?}\n"),
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn invalid_inputs_match_their_error_snapshots() {
    let mut failures = Vec::new();
    for path in inputs("err") {
        let src = fs::read_to_string(&path).unwrap();
        match parse_cdef(&src, &Predeclared) {
            Ok(cdef) => failures.push(format!(
                "{} parsed but should not: {cdef:?}",
                path.display()
            )),
            Err(e) => {
                let tokens = cdef_parse::tokenize(&src).unwrap_or_default();
                let text =
                    SourceMap::with_tokens(&src, &tokens).render(e.span, &e.kind.to_string());
                check(
                    &path.with_extension("err"),
                    &format!("{text}\n"),
                    &mut failures,
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Printing a tree and parsing the text again gives the same text: the
/// printer loses nothing the parser keeps (spans aside).
#[test]
fn valid_inputs_round_trip_through_the_printer() {
    let mut failures = Vec::new();
    for path in inputs("ok") {
        let src = fs::read_to_string(&path).unwrap();
        let printed = parse_cdef(&src, &Predeclared).unwrap().to_string();
        match parse_cdef(&printed, &Predeclared) {
            Ok(again) if again.to_string() == printed => {}
            Ok(again) => failures.push(format!(
                "{}:\n{printed}\n--- printed again ---\n{again}",
                path.display()
            )),
            Err(e) => failures.push(format!(
                "{}: printed text does not parse:\n{printed}\n{}",
                path.display(),
                SourceMap::new(&printed).render(e.span, &e.kind.to_string())
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
