//! `docs/features.md`: the project's own list of the original cffi's
//! behaviours that the repository cites by id (`F-<section>.<item>`).
//!
//! The first two columns (id, behaviour) are written by hand; the last two
//! are generated from the markers in the tree: `status` is `tested` when a
//! test cites the id, `pending` when only a pending differential script or
//! a `.todo` list does, and `cited` when only code or docs do; `tests`
//! names the test files that cite it. `cargo xtask features` rewrites
//! them, and `cargo xtask tidy` fails when they are stale or when an id
//! cited somewhere has no row.

use crate::tidy::{has_extension, walk};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// Where the list lives, relative to the workspace root.
pub const FEATURES_MD: &str = "docs/features.md";

/// How many test files a row names before it says "and N more".
const MAX_TESTS_SHOWN: usize = 4;

/// The feature ids in `text`, with the byte offset of each: `F-SS.NN`
/// or, for the longer sections, `F-SS.NNN`.
fn ids_in(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.match_indices("F-").filter_map(move |(i, _)| {
        let b = text.as_bytes().get(i..)?;
        let digit = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
        if !(digit(2) && digit(3) && b.get(4) == Some(&b'.') && digit(5) && digit(6)) {
            return None;
        }
        let len = if digit(7) { 8 } else { 7 };
        (!digit(len)).then(|| (i, &text[i..i + len]))
    })
}

/// What one citation is: a test, a pending test, or code and prose.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Cited,
    Pending,
    Tested,
}

/// Every citation in the tree: id -> (kind -> files).
fn citations(root: &Path) -> BTreeMap<String, BTreeMap<String, Kind>> {
    let mut files = Vec::new();
    for top in [
        "crates",
        "tests",
        "xtask",
        "fuzz",
        "docs",
        "examples",
        "bench",
        "README.md",
    ] {
        let path = root.join(top);
        if path.is_file() {
            files.push(top.to_owned());
        } else {
            walk(root, &path, &mut files);
        }
    }
    files.retain(|f| f != FEATURES_MD && !has_extension(f, "so") && !has_extension(f, "pyc"));
    // The tidy tests plant ids of their own.
    files.retain(|f| !f.starts_with("xtask/"));
    let mut out: BTreeMap<String, BTreeMap<String, Kind>> = BTreeMap::new();
    for file in files {
        let Ok(text) = fs::read_to_string(root.join(&file)) else {
            continue;
        };
        // In a Rust source file, the ids after `#[cfg(test)]` are in tests.
        let test_from = if has_extension(&file, "rs") {
            text.find("#[cfg(test)]").unwrap_or(usize::MAX)
        } else {
            usize::MAX
        };
        let in_tests_dir = file.starts_with("tests/") || file.contains("/tests/");
        let pending =
            file.starts_with("tests/differential/pending/") || has_extension(&file, "todo");
        for (at, id) in ids_in(&text) {
            let kind = if pending {
                Kind::Pending
            } else if in_tests_dir || at > test_from {
                Kind::Tested
            } else {
                Kind::Cited
            };
            let slot = out
                .entry(id.to_owned())
                .or_default()
                .entry(file.clone())
                .or_insert(kind);
            *slot = (*slot).max(kind);
        }
    }
    out
}

/// One row of the table: id, behaviour, and the two generated cells.
struct Row {
    id: String,
    behaviour: String,
}

/// The rows of `docs/features.md`, the text before the table, and the
/// problems with its shape.
fn parse(text: &str) -> (String, Vec<Row>, Vec<String>) {
    let mut head = String::new();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut in_table = false;
    for (n, line) in text.lines().enumerate() {
        if !in_table {
            if line.starts_with("| id |") {
                in_table = true;
            } else {
                head.push_str(line);
                head.push('\n');
            }
            continue;
        }
        if line.starts_with("| ---") || line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if cells.len() != 4 || ids_in(cells[0]).next().is_none_or(|(_, id)| id != cells[0]) {
            problems.push(format!(
                "{FEATURES_MD}:{}: not a row `| id | behaviour | status | tests |`",
                n + 1
            ));
            continue;
        }
        rows.push(Row {
            id: cells[0].to_owned(),
            behaviour: cells[1].to_owned(),
        });
    }
    (head, rows, problems)
}

/// The file as it should be: `text`'s head and behaviours, the generated
/// columns from the tree.
fn generate(root: &Path, text: &str) -> (String, Vec<String>) {
    let (head, rows, mut problems) = parse(text);
    let cites = citations(root);
    let known: BTreeSet<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    for (id, files) in &cites {
        if !known.contains(id.as_str()) {
            let first = files.keys().next().map_or("", String::as_str);
            problems.push(format!(
                "{first}: cites {id}, which has no row in {FEATURES_MD} (add one in your own words)"
            ));
        }
    }
    let mut out = head;
    out.push_str("| id | behaviour | status | tests |\n| --- | --- | --- | --- |\n");
    let mut rows = rows;
    // By section, then item number (`F-03.99` before `F-03.100`).
    let order = |id: &str| -> (u32, u32) {
        let (section, item) = id
            .trim_start_matches("F-")
            .split_once('.')
            .unwrap_or(("", ""));
        (section.parse().unwrap_or(0), item.parse().unwrap_or(0))
    };
    rows.sort_by_key(|r| order(&r.id));
    for row in &rows {
        let files = cites.get(&row.id);
        let status = match files.and_then(|f| f.values().max()) {
            Some(Kind::Tested) => "tested",
            Some(Kind::Pending) => "pending",
            Some(Kind::Cited) => "cited",
            None => "not cited",
        };
        let tests: Vec<&str> = files
            .into_iter()
            .flatten()
            .filter(|(_, k)| **k != Kind::Cited)
            .map(|(f, _)| f.as_str())
            .collect();
        let mut shown = tests
            .iter()
            .take(MAX_TESTS_SHOWN)
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if tests.len() > MAX_TESTS_SHOWN {
            let _ = write!(shown, " and {} more", tests.len() - MAX_TESTS_SHOWN);
        }
        let _ = writeln!(
            out,
            "| {} | {} | {status} | {shown} |",
            row.id, row.behaviour
        );
    }
    (out, problems)
}

/// Tidy's rule: every cited id has a row, and the generated columns are
/// what `cargo xtask features` would write.
pub fn check(root: &Path) -> Vec<String> {
    let Ok(text) = fs::read_to_string(root.join(FEATURES_MD)) else {
        return vec![format!("{FEATURES_MD}: missing")];
    };
    let (expected, mut problems) = generate(root, &text);
    if expected != text {
        problems.push(format!(
            "{FEATURES_MD}: its generated columns are stale: run `cargo xtask features`"
        ));
    }
    problems
}

/// `cargo xtask features`: rewrites the generated columns.
pub fn run(root: &Path) -> Result<(), String> {
    let path = root.join(FEATURES_MD);
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (expected, problems) = generate(root, &text);
    if expected != text {
        fs::write(&path, &expected).map_err(|e| e.to_string())?;
        eprintln!("features: {FEATURES_MD} rewritten");
    }
    for p in &problems {
        eprintln!("features: {p}");
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{} problem(s) in {FEATURES_MD}", problems.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tidy::scratch;

    const HEAD: &str =
        "# Features\n\n| id | behaviour | status | tests |\n| --- | --- | --- | --- |\n";

    #[test]
    fn an_unlisted_id_is_refused() {
        let root = scratch(&[
            (
                FEATURES_MD,
                &format!("{HEAD}| F-01.01 | cdef parses | | |\n"),
            ),
            ("tests/test_a.py", "# F-01.01\n"),
            ("crates/x/src/lib.rs", "// F-02.03\nfn f() {}\n"),
        ]);
        let problems = check(&root);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("crates/x/src/lib.rs: cites F-02.03")),
            "{problems:?}"
        );
    }

    #[test]
    fn ids_have_two_or_three_digit_items() {
        let found: Vec<&str> = ids_in("F-03.115, F-01.02; F-01.0312 F-1.02 F-10.47.")
            .map(|(_, id)| id)
            .collect();
        assert_eq!(found, ["F-03.115", "F-01.02", "F-10.47"]);
    }

    #[test]
    fn generated_columns_follow_the_markers() {
        let root = scratch(&[
            (
                FEATURES_MD,
                &format!("{HEAD}| F-01.02 | b | | |\n| F-01.01 | a | | |\n| F-01.03 | c | | |\n"),
            ),
            ("tests/test_a.py", "# F-01.01, F-01.0312 is not an id\n"),
            ("tests/differential/pending/p.todo", "F-01.02\n"),
            (
                "crates/x/src/lib.rs",
                "// F-01.03\n#[cfg(test)]\nmod tests { // F-01.01\n}\n",
            ),
        ]);
        assert!(!check(&root).is_empty(), "stale columns must be reported");
        run(&root).unwrap();
        assert_eq!(check(&root), Vec::<String>::new());
        let text = fs::read_to_string(root.join(FEATURES_MD)).unwrap();
        assert!(
            text.contains(
                "| F-01.01 | a | tested | `crates/x/src/lib.rs`, `tests/test_a.py` |\n\
             | F-01.02 | b | pending | `tests/differential/pending/p.todo` |\n\
             | F-01.03 | c | cited |  |\n"
            ),
            "{text}"
        );
    }
}
