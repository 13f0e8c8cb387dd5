//! Tidy's rules, each shown failing on a planted violation, and the
//! real tree passing them all.

use super::*;

#[test]
fn the_real_tree_is_tidy() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let problems = check(root);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn pyo3_below_the_top_crate_is_refused() {
    let lock = "[[package]]\nname = \"ctypes-model\"\ndependencies = [\n \"helper\",\n]\n\n\
                [[package]]\nname = \"helper\"\ndependencies = [\n \"pyo3 0.30.1\",\n]\n\n\
                [[package]]\nname = \"pyo3\"\n";
    let root = scratch(&[("Cargo.lock", lock)]);
    let problems = python_free_crates(&root);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("ctypes-model -> helper -> pyo3"),
        "{problems:?}"
    );
}

#[test]
fn unsafe_outside_the_allow_list_is_refused() {
    let root = scratch(&[
        (
            "crates/ctypes-model/src/lib.rs",
            "fn f() {\n    unsafe { g() }\n}\n",
        ),
        (
            "crates/cdef-parse/src/lib.rs",
            "#![forbid(unsafe_code)]\n// unsafe in a comment\nlet s = \"unsafe\";\n",
        ),
        ("crates/ffi-runtime/src/lib.rs", "unsafe fn f() {}\n"),
    ]);
    let files = source_files(&root);
    let problems = unsafe_confined(&root, &files);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("crates/ctypes-model/src/lib.rs:2:"),
        "{problems:?}"
    );
}

#[test]
fn memory_vouched_for_outside_the_vouch_points_is_refused() {
    let root = scratch(&[
        (
            "crates/cffi-py/src/convert/write.rs",
            "fn f() { let r = unsafe { Region::open(addr) }; }\n// Region::new( in a comment is fine\n",
        ),
        (
            "crates/cffi-py/src/object/mod.rs",
            "fn a() { unsafe { Region::new(x, 4) } }\nfn b() { unsafe { Region::open(y) } }\nfn c() { unsafe { memory::copy(a, b, 1) } }\n",
        ),
        ("crates/cffi-py/src/cpython/alloc.rs", "fn f() { unsafe { Region::new(x, 1) } }\n"),
        ("crates/cffi-py/src/lib_obj/mod.rs", "fn f() { unsafe { Region::open(s) } }\n"),
    ]);
    let problems = vouches_confined(&root, &source_files(&root));
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with("crates/cffi-py/src/convert/write.rs:1: 1 places"),
        "{problems:?}"
    );
    assert!(
        problems[1].starts_with("crates/cffi-py/src/object/mod.rs:3: 3 places"),
        "{problems:?}"
    );
}

#[test]
fn raw_pointer_work_in_cffi_py_is_refused() {
    let root = scratch(&[
        ("crates/cffi-py/src/convert/read.rs", "// std::ptr::copy in a comment is fine\nfn f() { unsafe { std::ptr::copy(a, b, n) } }\n"),
        ("crates/cffi-py/src/cpython/alloc.rs", "fn f() { unsafe { std::mem::transmute::<A, B>(x) } }\n"),
    ]);
    let problems = raw_pointers_confined(&root, &source_files(&root));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("crates/cffi-py/src/convert/read.rs:2:"),
        "{problems:?}"
    );
}

#[test]
fn a_file_over_budget_is_refused() {
    let long = "// line\n".repeat(LINE_BUDGET + 1);
    let root = scratch(&[("crates/recompiler/src/big.rs", &long)]);
    let problems = line_budget(&root, &source_files(&root));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("over its budget"));
}

#[test]
fn an_import_cycle_is_refused() {
    let root = scratch(&[
        (
            "crates/cffi-py/src/lib.rs",
            "mod alpha; mod beta; mod gamma;\n",
        ),
        ("crates/cffi-py/src/alpha.rs", "use crate::beta::B;\n"),
        ("crates/cffi-py/src/beta/mod.rs", "mod inner;\n"),
        ("crates/cffi-py/src/beta/inner.rs", "use crate::alpha::A;\n"),
        ("crates/cffi-py/src/gamma.rs", "use crate::alpha::A;\n"),
    ]);
    let problems = no_module_cycles(&root);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("crates/cffi-py/src/alpha:"));
    assert!(problems[1].starts_with("crates/cffi-py/src/beta:"));
}

#[test]
fn a_file_cycle_is_refused_outside_the_explained_folders() {
    let root = scratch(&[
        ("crates/cffi-py/src/lib.rs", "mod convert; mod object;\n"),
        // Re-exports and declarations are structure, not imports.
        (
            "crates/cffi-py/src/convert/mod.rs",
            "mod read;\nmod write;\npub use read::read;\n",
        ),
        (
            "crates/cffi-py/src/convert/read.rs",
            "use super::write::helper;\n",
        ),
        (
            "crates/cffi-py/src/convert/write.rs",
            "fn f() { super::read::read() }\n",
        ),
        (
            "crates/cffi-py/src/object/mod.rs",
            "mod owner;\npub struct CData(owner::Owner);\n",
        ),
        (
            "crates/cffi-py/src/object/owner.rs",
            "pub enum Owner { Keep(super::CData) }\n",
        ),
    ]);
    let problems = no_file_cycles(&root);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with("crates/cffi-py/src/convert/read.rs:"),
        "{problems:?}"
    );
    assert!(
        problems[1].starts_with("crates/cffi-py/src/convert/write.rs:"),
        "{problems:?}"
    );
}

#[test]
fn a_wheel_version_behind_the_workspace_is_refused() {
    let files = |wheel: &str| {
        scratch(&[
            ("Cargo.toml", "[workspace.package]\nversion = \"0.2.0\"\n"),
            (
                "crates/cffi-py/src/lib.rs",
                "pub const CFFI_VERSION: &str = \"2.0.0\";\n",
            ),
            ("crates/cffi-py/pyproject.toml", wheel),
        ])
    };
    let stale = wheel_version(&files("[project]\nversion = \"2.0.0+cffi.py.0.1.0\"\n"));
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert!(stale[0].contains("\"2.0.0+cffi.py.0.1.0\""));
    assert!(wheel_version(&files("[project]\nversion = \"2.0.0+cffi.py.0.2.0\"\n")).is_empty());
}
