//! `cargo xtask tidy`: the rules of docs/ARCHITECTURE.md that a machine
//! can check, run by `cargo xtask ci` (after rust-analyzer's
//! `xtask/src/tidy/mod.rs`). Each rule reads the tree as text; each has a test
//! below that plants a violation in a scratch tree and sees it reported.
//!
//! The rules:
//! - no crate below `cffi-py` depends on `pyo3`, directly or through
//!   another package (read from `Cargo.lock`);
//! - `unsafe` appears only in the files of [`UNSAFE_ALLOWED`];
//! - no source file is longer than [`LINE_BUDGET`] lines, except those of
//!   [`LINE_BUDGET_EXCEPTIONS`], each under its own ceiling;
//! - the modules of `crates/cffi-py/src` import each other without cycles,
//!   except inside one folder;
//! - every feature id (`F-<section>.<item>`) cited in code, tests or docs
//!   has a row in `docs/features.md`, and that file's generated columns are
//!   up to date (`cargo xtask features` rewrites them).

use crate::features;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
#[cfg(test)]
use std::path::PathBuf;

mod lists;
pub use lists::*;

/// Runs every rule on the tree at `root`; the problems found, one line each.
pub fn check(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    problems.extend(python_free_crates(root));
    let files = source_files(root);
    problems.extend(unsafe_confined(root, &files));
    problems.extend(raw_pointers_confined(root, &files));
    problems.extend(vouches_confined(root, &files));
    problems.extend(line_budget(root, &files));
    problems.extend(no_module_cycles(root));
    problems.extend(no_file_cycles(root));
    problems.extend(features::check(root));
    problems.extend(wheel_version(root));
    problems
}

/// `cargo xtask tidy`.
pub fn run(root: &Path) -> Result<(), String> {
    let problems = check(root);
    if problems.is_empty() {
        eprintln!("tidy: ok");
        return Ok(());
    }
    for p in &problems {
        eprintln!("tidy: {p}");
    }
    Err(format!("tidy found {} problem(s)", problems.len()))
}

/// Whether `path` ends in `.ext`.
pub fn has_extension(path: &str, ext: &str) -> bool {
    Path::new(path).extension().is_some_and(|e| e == ext)
}

/// Every `.rs` file of the workspace and the fuzz workspace, relative to
/// `root`, with `/` separators, sorted.
fn source_files(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for top in ["crates", "xtask", "fuzz"] {
        walk(root, &root.join(top), &mut out);
    }
    out.retain(|p| has_extension(p, "rs"));
    out.sort();
    out
}

/// Collects the files under `dir` (skipping build output) as paths
/// relative to `root`.
pub fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if ![
                "target",
                "corpus",
                "artifacts",
                "__pycache__",
                ".venv",
                ".oracle-venv",
            ]
            .contains(&name.as_ref())
            {
                walk(root, &path, out);
            }
        } else if let Ok(rel) = path.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// The packages reachable from `name` in `Cargo.lock`'s graph.
fn lock_dependencies(lock: &str) -> BTreeMap<String, Vec<String>> {
    let mut graph: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut in_deps = false;
    for line in lock.lines() {
        let line = line.trim();
        if line == "[[package]]" {
            current = None;
            in_deps = false;
        } else if let Some(name) = line.strip_prefix("name = ") {
            let name = name.trim_matches('"').to_owned();
            graph.entry(name.clone()).or_default();
            current = Some(name);
        } else if line.starts_with("dependencies = [") {
            in_deps = !line.ends_with(']');
        } else if in_deps && line == "]" {
            in_deps = false;
        } else if in_deps {
            let dep = line.trim_matches(|c| c == '"' || c == ',');
            let dep = dep.split(' ').next().unwrap_or(dep).to_owned();
            if let Some(cur) = &current {
                graph.entry(cur.clone()).or_default().push(dep);
            }
        }
    }
    graph
}

fn python_free_crates(root: &Path) -> Vec<String> {
    let Ok(lock) = fs::read_to_string(root.join("Cargo.lock")) else {
        return vec!["Cargo.lock: cannot be read".to_owned()];
    };
    let graph = lock_dependencies(&lock);
    let mut problems = Vec::new();
    for krate in PYTHON_FREE_CRATES {
        let mut seen = BTreeSet::new();
        let mut stack = vec![((*krate).to_owned(), vec![(*krate).to_owned()])];
        while let Some((name, path)) = stack.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            if name.starts_with("pyo3") {
                problems.push(format!(
                    "crate {krate} depends on {name} ({}): only cffi-py may know Python",
                    path.join(" -> ")
                ));
                break;
            }
            for dep in graph.get(&name).into_iter().flatten() {
                let mut p = path.clone();
                p.push(dep.clone());
                stack.push((dep.clone(), p));
            }
        }
    }
    problems
}

/// Whether `line` (code, comments stripped) uses the `unsafe` keyword.
fn uses_unsafe(line: &str) -> bool {
    let code = line.split("//").next().unwrap_or("");
    code.match_indices("unsafe").any(|(i, _)| {
        let before = code[..i].chars().next_back();
        let after = code[i + "unsafe".len()..].chars().next();
        let ident =
            |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '"');
        !ident(before) && !ident(after)
    })
}

fn unsafe_confined(root: &Path, files: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    // xtask itself is `#![forbid(unsafe_code)]`, and its strings talk about
    // `unsafe`.
    for file in files.iter().filter(|f| !f.starts_with("xtask/")) {
        if UNSAFE_ALLOWED.iter().any(|(allowed, _)| {
            file == allowed || (allowed.ends_with('/') && file.starts_with(allowed))
        }) {
            continue;
        }
        let Ok(text) = fs::read_to_string(root.join(file)) else {
            continue;
        };
        if let Some((n, _)) = text.lines().enumerate().find(|(_, l)| uses_unsafe(l)) {
            problems.push(format!(
                "{file}:{}: `unsafe` outside the files allowed to use it (xtask/src/tidy/mod.rs UNSAFE_ALLOWED)",
                n + 1
            ));
        }
    }
    problems
}

fn raw_pointers_confined(root: &Path, files: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    for file in files
        .iter()
        .filter(|f| f.starts_with("crates/cffi-py/src/"))
    {
        if RAW_POINTER_ALLOWED.iter().any(|a| file.starts_with(a)) {
            continue;
        }
        let Ok(text) = fs::read_to_string(root.join(file)) else {
            continue;
        };
        let code = code_only(&text);
        for (n, line) in code.lines().enumerate() {
            if let Some(op) = RAW_POINTER_OPS.iter().find(|op| line.contains(*op)) {
                problems.push(format!(
                    "{file}:{}: `{op}` in cffi-py: raw memory goes through ffi_runtime::memory",
                    n + 1
                ));
            }
        }
    }
    problems
}

fn vouches_confined(root: &Path, files: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    for file in files.iter().filter(|f| {
        f.starts_with("crates/cffi-py/src/") && !f.starts_with("crates/cffi-py/src/cpython/")
    }) {
        let Ok(text) = fs::read_to_string(root.join(file)) else {
            continue;
        };
        let code = code_only(&text);
        let found: Vec<usize> = code
            .lines()
            .enumerate()
            .flat_map(|(n, line)| {
                VOUCHES
                    .iter()
                    .filter(move |v| line.contains(*v))
                    .map(move |_| n + 1)
            })
            .collect();
        let allowed = VOUCH_POINTS
            .iter()
            .find(|(f, _, _)| f == file)
            .map_or(0, |(_, n, _)| *n);
        if found.len() > allowed {
            problems.push(format!(
                "{file}:{}: {} places vouch for C memory, {allowed} allowed (xtask/src/tidy/mod.rs VOUCH_POINTS)",
                found[allowed],
                found.len()
            ));
        }
    }
    problems
}

fn line_budget(root: &Path, files: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    for file in files {
        let Ok(text) = fs::read_to_string(root.join(file)) else {
            continue;
        };
        let lines = text.lines().count();
        let ceiling = LINE_BUDGET_EXCEPTIONS
            .iter()
            .find(|(f, _, _)| f == file)
            .map_or(LINE_BUDGET, |(_, n, _)| *n);
        if lines > ceiling {
            problems.push(format!(
                "{file}: {lines} lines, over its budget of {ceiling}: split it by concern"
            ));
        }
    }
    problems
}

/// `text` without its line comments (doc comments included), which may
/// name modules without importing them.
fn code_only(text: &str) -> String {
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level module (file stem or folder) of each `crate::x` path in
/// `text`'s code.
fn crate_imports(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let text = code_only(text);
    let text = text.as_str();
    for (i, _) in text.match_indices("crate::") {
        if text[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue; // `foo_crate::`
        }
        let rest = &text[i + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() && name.chars().next().is_some_and(char::is_lowercase) {
            out.insert(name);
        }
    }
    out
}

/// The import graph between the top-level modules of `src` (a file
/// `x.rs` or a folder `x/`), from the `crate::` paths in their text.
pub fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = Vec::new();
    walk(src, src, &mut files);
    for file in files.iter().filter(|f| has_extension(f, "rs")) {
        let module = file
            .split('/')
            .next()
            .unwrap_or(file)
            .trim_end_matches(".rs")
            .to_owned();
        if module == "lib" {
            continue; // registration only: it names everything
        }
        let text = fs::read_to_string(src.join(file)).unwrap_or_default();
        let deps = graph.entry(module.clone()).or_default();
        for dep in crate_imports(&text) {
            if dep != module {
                deps.insert(dep);
            }
        }
    }
    let known: BTreeSet<String> = graph.keys().cloned().collect();
    for deps in graph.values_mut() {
        deps.retain(|d| known.contains(d));
    }
    graph
}

/// The modules that lie on some import cycle (a module reaching itself).
pub fn modules_in_cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> BTreeSet<String> {
    graph
        .iter()
        .filter(|(m, deps)| deps.iter().any(|d| reaches(graph, d, m)))
        .map(|(m, _)| m.clone())
        .collect()
}

fn no_module_cycles(root: &Path) -> Vec<String> {
    let graph = module_graph(&root.join("crates/cffi-py/src"));
    modules_in_cycles(&graph)
        .into_iter()
        .filter(|m| !CYCLE_EXCEPTIONS.contains(&m.as_str()))
        .map(|m| {
            format!(
                "crates/cffi-py/src/{m}: in an import cycle with other top-level modules \
                 (imports {}); layer the modules or merge them into one folder",
                graph[&m].iter().cloned().collect::<Vec<_>>().join(", ")
            )
        })
        .collect()
}

/// Folders of `crates/cffi-py/src` whose files may import each other in a
/// cycle, and why. Everywhere else the files of a folder are layered too
/// (`mod.rs` re-exporting its files does not count: that is structure).
pub const FILE_CYCLE_FOLDERS: &[(&str, &str)] = &[
    (
        "types",
        "the registry makes each CType, and a CType asks the registry for \
         the ctypes it refers to (items, fields, results)",
    ),
    (
        "object",
        "the cdata struct (mod.rs) and what it owns (owner.rs, gc.rs, \
         handle.rs, func.rs, alloc.rs) refer to each other: an owner holds \
         cdata, a cdata holds its owner",
    ),
    (
        "ffi_obj",
        "the FFI class makes allocators and callback decorators, which hold \
         the FFI and use its type-string parser",
    ),
];

/// The module path of `file` (relative to a crate's `src`): `a/b.rs` is
/// `a::b`, `a/mod.rs` is `a`, `lib.rs` is the root.
fn module_path(file: &str) -> Vec<String> {
    let trimmed = file.trim_end_matches(".rs");
    let mut segs: Vec<String> = trimmed.split('/').map(str::to_owned).collect();
    if segs.last().is_some_and(|l| l == "mod" || l == "lib") {
        segs.pop();
    }
    segs
}

/// The paths (`a::b::c`, as segments) that `text`, the code of the module
/// at `here`, refers to through `crate::`, `super::` and `self::`, and
/// through the child modules it declares; re-exports (`pub use`) and
/// module declarations are left out.
fn referenced_paths(text: &str, here: &[String]) -> Vec<Vec<String>> {
    let code = code_only(text);
    let children: BTreeSet<String> = code
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l
                .strip_prefix("pub ")
                .or(l.strip_prefix("pub(crate) "))
                .unwrap_or(l);
            l.strip_prefix("mod ")?.strip_suffix(';').map(str::to_owned)
        })
        .collect();
    let mut out = Vec::new();
    for line in code.lines() {
        let t = line.trim_start();
        if t.starts_with("pub use ")
            || t.starts_with("pub(crate) use ")
            || t.starts_with("mod ")
            || t.starts_with("pub mod ")
            || t.starts_with("pub(crate) mod ")
        {
            continue;
        }
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < line.len() {
            let start_ok = i == 0
                || !(bytes[i - 1].is_ascii_alphanumeric()
                    || bytes[i - 1] == b'_'
                    || bytes[i - 1] == b':');
            let word: String = line[i..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if word.is_empty() || !start_ok {
                i += word.len().max(1);
                continue;
            }
            let after = &line[i + word.len()..];
            if !after.starts_with("::") {
                i += word.len();
                continue;
            }
            let mut base: Vec<String> = match word.as_str() {
                "crate" => Vec::new(),
                "super" => here[..here.len().saturating_sub(1)].to_vec(),
                "self" => here.to_vec(),
                w if children.contains(w) => {
                    let mut b = here.to_vec();
                    b.push(w.to_owned());
                    b
                }
                _ => {
                    i += word.len();
                    continue;
                }
            };
            let rest = &after[2..];
            let mut supers = rest;
            while let Some(r) = supers.strip_prefix("super::") {
                base.pop();
                supers = r;
            }
            for seg in supers.split("::") {
                let seg: String = seg
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if seg.is_empty() {
                    break;
                }
                base.push(seg);
            }
            out.push(base);
            i += word.len() + 2;
        }
    }
    out
}

/// The import graph between the files of `src`: file -> files it uses.
pub fn file_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    walk(src, src, &mut files);
    files.retain(|f| has_extension(f, "rs"));
    let by_path: BTreeMap<Vec<String>, String> =
        files.iter().map(|f| (module_path(f), f.clone())).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let here = module_path(file);
        let text = fs::read_to_string(src.join(file)).unwrap_or_default();
        let deps = graph.entry(file.clone()).or_default();
        for mut path in referenced_paths(&text, &here) {
            // The longest prefix that is a file's module.
            while !path.is_empty() && !by_path.contains_key(&path) {
                path.pop();
            }
            if let Some(target) = by_path.get(&path) {
                if target != file && !path.is_empty() {
                    deps.insert(target.clone());
                }
            }
        }
    }
    graph
}

fn no_file_cycles(root: &Path) -> Vec<String> {
    let graph = file_graph(&root.join("crates/cffi-py/src"));
    let folder = |f: &str| f.split('/').next().unwrap_or(f).to_owned();
    let mut problems = Vec::new();
    for file in modules_in_cycles(&graph) {
        // The files of the cycles through `file` all in one allowed folder?
        let allowed = FILE_CYCLE_FOLDERS
            .iter()
            .any(|(dir, _)| folder(&file) == *dir && file.contains('/'));
        let crosses = graph[&file]
            .iter()
            .any(|d| folder(d) != folder(&file) && reaches(&graph, d, &file));
        if !allowed || crosses {
            problems.push(format!(
                "crates/cffi-py/src/{file}: in an import cycle of files (imports {}); \
                 layer them, or explain the folder in FILE_CYCLE_FOLDERS",
                graph[&file].iter().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    problems
}

/// Whether `from` reaches `to` in `graph`.
fn reaches(graph: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_owned()];
    while let Some(m) = stack.pop() {
        if m == to {
            return true;
        }
        if seen.insert(m.clone()) {
            stack.extend(graph.get(&m).into_iter().flatten().cloned());
        }
    }
    false
}

/// A scratch tree for the tests: the files given, under a fresh temporary
/// directory.
#[cfg(test)]
pub fn scratch(files: &[(&str, &str)]) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "xtask-tidy-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = fs::remove_dir_all(&dir);
    for (path, text) in files {
        let p = dir.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    dir
}

#[cfg(test)]
mod tests;

/// The wheel's version (docs/distribution.md) is the original's that
/// `_cffi_backend.__version__` reports, with a local label ending in the
/// workspace version: `2.0.0+cffi.py.0.1.0`.
fn wheel_version(root: &Path) -> Vec<String> {
    let read = |p: &str| fs::read_to_string(root.join(p)).unwrap_or_default();
    let quoted_after = |text: &str, key: &str| {
        let line = text.lines().find(|l| l.trim_start().starts_with(key))?;
        Some(line.split('"').nth(1)?.to_owned())
    };
    let workspace = quoted_after(&read("Cargo.toml"), "version =");
    let cffi = quoted_after(&read("crates/cffi-py/src/lib.rs"), "pub const CFFI_VERSION");
    let wheel = quoted_after(&read("crates/cffi-py/pyproject.toml"), "version =");
    match (workspace, cffi, wheel) {
        (Some(w), Some(c), Some(v)) if v == format!("{c}+cffi.py.{w}") => vec![],
        (w, c, v) => vec![format!(
            "crates/cffi-py/pyproject.toml: version {v:?} should be \"<CFFI_VERSION>+cffi.py.<workspace \
             version>\" (CFFI_VERSION {c:?}, workspace {w:?})"
        )],
    }
}
