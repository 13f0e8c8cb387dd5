//! `cargo xtask cffi-suite`: the original cffi's own test suite as a judge.
//!
//! The suite is fetched at run time (pip downloads the sdist of the cffi
//! version we report into a cache outside the repository; nothing of it is
//! committed), and only `testing/` and `src/c/` are extracted. Each test
//! file runs in its own pytest process from that directory, against the
//! wheel installed in `.venv` (or, with `--oracle`, against the original
//! cffi in `.oracle-venv`), so that a crash names its file. A small pytest
//! plugin written next to the suite records each test's outcome.
//!
//! The outcomes are compared with `tests/cffi-suite/expected.txt`: the
//! tests known not to pass yet, one pytest node id per line (`FILE::*`
//! for a whole file that needs a later feature). A test that does not pass
//! and is not listed fails the run, and so does a listed test that passes
//! now (the list can only shrink). A crash or a hang in any file fails the
//! run, listed or not.
//!
//! ```text
//! cargo xtask cffi-suite                 # the files CI runs (CI_FILES)
//! cargo xtask cffi-suite --all           # every test file of the suite
//! cargo xtask cffi-suite FILE...         # these files (paths inside the sdist)
//!   --oracle   also run the original cffi and show its counts beside ours
//!   --update   rewrite the expectations of the files run from this run
//! ```

use crate::{cmd, ensure_oracle, run, venv_bin, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// The cffi release whose suite judges us: the version we report.
const VERSION: &str = "2.0.0";

/// The files CI runs: those that exercise what exists (the in-line ABI
/// mode, the backend's module functions, the compiled FFI object). Each
/// later feature adds its files here.
pub const CI_FILES: &[&str] = &[
    "src/c/test_c.py",
    "testing/cffi0/test_ffi_backend.py",
    "testing/cffi0/test_cdata.py",
    "testing/cffi0/test_unicode_literals.py",
    "testing/cffi1/test_ffi_obj.py",
    "testing/cffi1/test_commontypes.py",
    "testing/cffi1/test_unicode_literals.py",
    "testing/cffi1/test_dlopen.py",
    "testing/cffi1/test_dlopen_unicode_literals.py",
    "testing/cffi1/test_re_python.py",
    "testing/cffi1/test_realize_c_type.py",
    "testing/cffi1/test_cffi_binary.py",
    "testing/cffi1/test_recompiler.py",
    "testing/cffi1/test_new_ffi_1.py",
    "testing/cffi1/test_verify1.py",
    // Distribution (#18). test_verify2, test_vgen and test_vgen2 run
    // test_verify's tests again with other switches, and test_zintegration
    // makes virtualenvs from the index: `--all` runs them.
    "testing/cffi0/test_verify.py",
    "testing/cffi0/test_zdistutils.py",
    "testing/cffi0/test_platform.py",
    "testing/cffi1/test_zdist.py",
    "testing/cffi1/test_pkgconfig.py",
    "testing/cffi1/test_cffi_gen_src.py",
    // Embedding (#20); test_performance (timings, no checks beyond them)
    // runs with `--all`.
    "testing/embedding/test_basic.py",
    "testing/embedding/test_recursive.py",
    "testing/embedding/test_thread.py",
    "testing/embedding/test_tlocal.py",
    // Random signatures through calls and callbacks, which the original
    // skips (its libffi fails them); run un-skipped and derandomized here
    // (`unskip_function_args`).
    FUNCTION_ARGS,
];

/// The hypothesis test of random signatures, and the hypothesis release
/// it runs with (pinned: derandomized examples depend on it).
const FUNCTION_ARGS: &str = "testing/cffi1/test_function_args.py";
const HYPOTHESIS: &str = "hypothesis==6.170.29";

/// The command-line generator's tests arrived in a later release than
/// VERSION: these files of that release's sdist join the suite.
const GEN_SRC_VERSION: &str = "2.1.0";
const GEN_SRC_FILES: &[&str] = &[
    "testing/cffi1/test_cffi_gen_src.py",
    "testing/cffi1/test_cffi_gen_src_meson.py",
    "testing/cffi1/cffi_gen_src_examples/",
];

/// The expectations, relative to the workspace root.
const EXPECTED: &str = "tests/cffi-suite/expected.txt";

/// How long one file may run before it counts as hung (seconds). Not a
/// speed limit: the slowest file takes well under a minute.
const HANG_SECONDS: u32 = 900;

/// The pytest plugin that records outcomes: one `outcome<TAB>node id` line
/// per test (and per failed collection) in `$CFFIPY_SUITE_REPORT`.
const PLUGIN: &str = r#"import os

def _write(outcome, nodeid):
    with open(os.environ["CFFIPY_SUITE_REPORT"], "a", encoding="utf-8") as f:
        f.write("%s\t%s\n" % (outcome, nodeid.replace("\n", " ")))

def pytest_collectreport(report):
    if report.failed:
        _write("error", report.nodeid or "<collection>")

def pytest_runtest_logreport(report):
    if report.when == "call":
        if hasattr(report, "wasxfail"):
            _write("xfailed" if report.skipped else "xpassed", report.nodeid)
        else:
            _write(report.outcome, report.nodeid)
    elif report.failed:
        _write("error", report.nodeid)
    elif report.skipped:
        _write("skipped", report.nodeid)
"#;

/// One file's run.
#[derive(Default)]
struct FileRun {
    /// Each test's outcome (the worst one reported for it).
    outcomes: BTreeMap<String, Outcome>,
    /// Set when the process died by a signal or hung.
    crash: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Outcome {
    Passed,
    XFailed,
    Skipped,
    XPassed,
    Failed,
    Error,
}

impl Outcome {
    fn parse(s: &str) -> Option<Outcome> {
        Some(match s {
            "passed" => Outcome::Passed,
            "xfailed" => Outcome::XFailed,
            "skipped" => Outcome::Skipped,
            "xpassed" => Outcome::XPassed,
            "failed" => Outcome::Failed,
            "error" => Outcome::Error,
            _ => return None,
        })
    }

    /// Not passing, for the expectations: a failure or an error.
    fn is_failure(self) -> bool {
        matches!(self, Outcome::Failed | Outcome::Error)
    }
}

impl FileRun {
    fn count(&self, o: Outcome) -> usize {
        self.outcomes.values().filter(|&&x| x == o).count()
    }
}

/// `cargo xtask cffi-suite [--all] [--oracle] [--update] [FILE...]`.
pub fn cffi_suite(args: &[String]) -> Result {
    let all = args.iter().any(|a| a == "--all");
    let oracle = args.iter().any(|a| a == "--oracle");
    let update = args.iter().any(|a| a == "--update");
    if let Some(bad) = args
        .iter()
        .find(|a| a.starts_with("--") && !matches!(a.as_str(), "--all" | "--oracle" | "--update"))
    {
        return Err(format!("cffi-suite: unknown option {bad}"));
    }
    let suite = ensure_suite()?;
    let named: Vec<String> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .cloned()
        .collect();
    let files = if all {
        all_files(&suite)?
    } else if named.is_empty() {
        CI_FILES.iter().map(|s| (*s).to_owned()).collect()
    } else {
        named
    };
    for f in &files {
        if !suite.join(f).is_file() {
            return Err(format!(
                "cffi-suite: no file {f} in the suite ({})",
                suite.display()
            ));
        }
    }
    let ours_python = venv_bin("python");
    check_not_shadowed(&ours_python, &suite, &crate::root().join(".venv"))?;
    let version = HYPOTHESIS.trim_start_matches("hypothesis==");
    let pinned = format!("import hypothesis, sys; sys.exit(hypothesis.__version__ != {version:?})");
    if files.iter().any(|f| f == FUNCTION_ARGS)
        && !crate::succeeds(cmd(&ours_python).args(["-c", &pinned]))
    {
        crate::pip_install(&ours_python, &[HYPOTHESIS])?;
    }
    let oracle_python = if oracle {
        let p = ensure_oracle()?;
        let dir = crate::root().join(".oracle-venv");
        crate::pip_install(&p, &["pytest"])?;
        check_not_shadowed(&p, &suite, &dir)?;
        Some(p)
    } else {
        None
    };
    let mut ours = BTreeMap::new();
    let mut theirs = BTreeMap::new();
    for f in &files {
        eprintln!("cffi-suite: {f}");
        ours.insert(f.clone(), run_file(&ours_python, &suite, f, "ours")?);
        if let Some(p) = &oracle_python {
            theirs.insert(f.clone(), run_file(p, &suite, f, "oracle")?);
        }
    }
    print_table(&ours, &theirs);
    let expected_path = crate::root().join(EXPECTED);
    let expected = read_expected(&expected_path)?;
    if update {
        write_expected(&expected_path, &expected, &ours)?;
        eprintln!("cffi-suite: rewrote {EXPECTED} for the files run");
    }
    let mut problems = Vec::new();
    for (f, r) in &ours {
        if let Some(c) = &r.crash {
            problems.push(format!("{f}: {c}"));
        }
    }
    if !update {
        problems.extend(compare(&ours, &expected));
    }
    if problems.is_empty() {
        eprintln!("cffi-suite: every outcome as expected, no crash");
        Ok(())
    } else {
        for p in &problems {
            eprintln!("cffi-suite: {p}");
        }
        Err(format!("cffi-suite: {} problem(s)", problems.len()))
    }
}

/// Where downloads and the extracted suite live: outside the repository.
fn cache_dir() -> PathBuf {
    let base = env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(env::temp_dir);
    base.join("cffi-py")
}

/// The extracted suite (`testing/`, `src/c/`), downloaded on first use.
fn ensure_suite() -> Result<PathBuf> {
    let cache = cache_dir();
    let suite = cache.join(format!("cffi-{VERSION}-suite"));
    let done = suite.join(".extracted");
    let marker = format!("{VERSION} {GEN_SRC_VERSION} function-args-unskipped");
    if fs::read_to_string(&done).is_ok_and(|m| m == marker) {
        fs::write(suite.join("cffipy_suite_report.py"), PLUGIN)
            .map_err(|e| format!("writing the report plugin: {e}"))?;
        return Ok(suite);
    }
    let sdists = cache.join("sdist");
    fs::create_dir_all(&sdists).map_err(|e| format!("creating {}: {e}", sdists.display()))?;
    let sdist = |version: &str| -> Result<PathBuf> {
        let tarball = sdists.join(format!("cffi-{version}.tar.gz"));
        if !tarball.is_file() {
            run(cmd(venv_bin("python"))
                .args(["-m", "pip", "download", "-q", "--disable-pip-version-check"])
                .args(["--no-deps", "--no-binary", ":all:", "-d"])
                .arg(&sdists)
                .arg(format!("cffi=={version}")))?;
        }
        Ok(tarball)
    };
    let tarball = sdist(VERSION)?;
    let gen_src_tarball = sdist(GEN_SRC_VERSION)?;
    let _ = fs::remove_dir_all(&suite);
    fs::create_dir_all(&suite).map_err(|e| format!("creating {}: {e}", suite.display()))?;
    // Only the tests and the C sources they read; nothing that could be
    // imported as `cffi` (the package lives in `src/cffi`, left out).
    let extract = r#"
import sys, tarfile, os
tarball, dest, prefix, wanted = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
with tarfile.open(tarball) as t:
    for m in t.getmembers():
        name = m.name[len(prefix):] if m.name.startswith(prefix) else None
        if name is None or not any(name.startswith(w) for w in wanted):
            continue
        if "libffi_" in name or not (m.isfile() or m.isdir()):
            continue
        m.name = name
        t.extract(m, dest, filter="data")
"#;
    run(cmd(venv_bin("python"))
        .args(["-c", extract])
        .arg(&tarball)
        .arg(&suite)
        .arg(format!("cffi-{VERSION}/"))
        .args(["testing/", "src/c/"]))?;
    run(cmd(venv_bin("python"))
        .args(["-c", extract])
        .arg(&gen_src_tarball)
        .arg(&suite)
        .arg(format!("cffi-{GEN_SRC_VERSION}/"))
        .args(GEN_SRC_FILES))?;
    fs::write(suite.join("cffipy_suite_report.py"), PLUGIN)
        .map_err(|e| format!("writing the report plugin: {e}"))?;
    unskip_function_args(&suite)?;
    fs::write(&done, marker).map_err(|e| format!("writing {}: {e}", done.display()))?;
    Ok(suite)
}

/// The original skips its test of random signatures everywhere but
/// Windows "because it keeps finding failures in libffi"; cffi-py's
/// direct calls do not go through libffi there (docs/compat.md, libffi
/// #574), so the extracted copy runs it, with hypothesis derandomized so
/// that every run draws the same signatures (and no time limit: each
/// example compiles a module).
fn unskip_function_args(suite: &Path) -> Result {
    let path = suite.join(FUNCTION_ARGS);
    let text = fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let edits = [
        (
            "    if sys.platform != 'win32':\n        raise ImportError(",
            "    if False:\n        raise ImportError(",
        ),
        (
            "@settings(max_examples=100, deadline=5000)",
            "@settings(max_examples=100, deadline=None, derandomize=True)",
        ),
    ];
    let mut patched = text;
    for (from, to) in edits {
        if !patched.contains(from) {
            return Err(format!(
                "cffi-suite: {FUNCTION_ARGS} has no {from:?} to change"
            ));
        }
        patched = patched.replacen(from, to, 1);
    }
    fs::write(&path, patched).map_err(|e| format!("writing {}: {e}", path.display()))
}

/// Every test file of the suite, `src/c/test_c.py` first.
fn all_files(suite: &Path) -> Result<Vec<String>> {
    let mut files = vec!["src/c/test_c.py".to_owned()];
    let mut found = BTreeSet::new();
    let mut stack = vec![suite.join("testing")];
    while let Some(dir) = stack.pop() {
        let entries = fs::read_dir(&dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                // The snippets are packages built by the verify() tests.
                if !path.ends_with("snippets") {
                    stack.push(path);
                }
                continue;
            }
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let is_py = path.extension().is_some_and(|e| e == "py");
            if name.starts_with("test_") && is_py {
                if let Ok(rel) = path.strip_prefix(suite) {
                    found.insert(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
    }
    files.extend(found);
    Ok(files)
}

/// Fails unless `python`, run from the suite's directory, imports `cffi`
/// and `_cffi_backend` from inside `venv` (not from the extracted suite).
fn check_not_shadowed(python: &Path, suite: &Path, venv: &Path) -> Result {
    let out = cmd(python)
        .current_dir(suite)
        .args([
            "-c",
            "import cffi, _cffi_backend; print(cffi.__file__); print(_cffi_backend.__file__)",
        ])
        .output()
        .map_err(|e| format!("cannot start {}: {e}", python.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} cannot import cffi from the suite's directory:\n{}",
            python.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let venv = venv.canonicalize().unwrap_or_else(|_| venv.to_path_buf());
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let path = Path::new(line.trim());
        let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        if !path.starts_with(&venv) {
            return Err(format!(
                "the suite would test {} instead of the module in {}",
                path.display(),
                venv.display()
            ));
        }
    }
    Ok(())
}

/// Runs one test file in its own process; its outcomes, or its crash.
fn run_file(python: &Path, suite: &Path, file: &str, who: &str) -> Result<FileRun> {
    let logs = crate::root().join("target").join("cffi-suite").join(who);
    fs::create_dir_all(&logs).map_err(|e| format!("creating {}: {e}", logs.display()))?;
    let stem = file.replace(['/', '.'], "_");
    let report = logs.join(format!("{stem}.outcomes"));
    let log = logs.join(format!("{stem}.log"));
    let _ = fs::remove_file(&report);
    // verify() caches its modules in `__pycache__` beside the test file;
    // a module the other interpreter's cffi compiled would be reused.
    for dir in ["testing/cffi0/__pycache__", "testing/cffi1/__pycache__"] {
        let _ = fs::remove_dir_all(suite.join(dir));
    }
    let log_file =
        fs::File::create(&log).map_err(|e| format!("creating {}: {e}", log.display()))?;
    let log_err = log_file
        .try_clone()
        .map_err(|e| format!("opening {}: {e}", log.display()))?;
    let status = cmd("timeout")
        .current_dir(suite)
        .args(["--signal=KILL", &HANG_SECONDS.to_string()])
        .arg(python)
        .args([
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "cffipy_suite_report",
        ])
        .arg(file)
        .env("PYTHONPATH", suite)
        .env("CFFIPY_SUITE_REPORT", &report)
        .stdin(Stdio::null())
        .stdout(log_file)
        .stderr(log_err)
        .status()
        .map_err(|e| format!("cannot run pytest on {file}: {e}"))?;
    let mut run = FileRun::default();
    if let Ok(text) = fs::read_to_string(&report) {
        for line in text.lines() {
            let Some((outcome, id)) = line.split_once('\t') else {
                continue;
            };
            if let Some(o) = Outcome::parse(outcome) {
                let slot = run.outcomes.entry(id.to_owned()).or_insert(o);
                *slot = (*slot).max(o);
            }
        }
    }
    run.crash = match status.code() {
        // pytest's own codes: passed, failed, interrupted, usage, no tests.
        Some(0..=5) => None,
        Some(124 | 137) => Some(format!(
            "hung (killed after {HANG_SECONDS} s); log: {}",
            log.display()
        )),
        Some(c) if c > 128 => Some(format!(
            "crashed (signal {}); log: {}",
            c - 128,
            log.display()
        )),
        Some(c) => Some(format!("pytest exited with {c}; log: {}", log.display())),
        None => Some(format!(
            "crashed (killed by a signal); log: {}",
            log.display()
        )),
    };
    Ok(run)
}

fn print_table(ours: &BTreeMap<String, FileRun>, theirs: &BTreeMap<String, FileRun>) {
    let cell = |r: &FileRun| {
        format!(
            "{:>5} {:>5} {:>5} {:>5}{}",
            r.count(Outcome::Passed),
            r.count(Outcome::Failed),
            r.count(Outcome::Error),
            r.count(Outcome::Skipped) + r.count(Outcome::XFailed) + r.count(Outcome::XPassed),
            if r.crash.is_some() { "  CRASH" } else { "" }
        )
    };
    let oracle = !theirs.is_empty();
    println!(
        "{:<44} {:>23}{}",
        "file",
        "ours: pass  fail   err  skip",
        if oracle {
            "    cffi: pass  fail   err  skip"
        } else {
            ""
        }
    );
    let (mut total_ours, mut total_theirs) = ([0usize; 4], [0usize; 4]);
    let add = |t: &mut [usize; 4], r: &FileRun| {
        t[0] += r.count(Outcome::Passed);
        t[1] += r.count(Outcome::Failed);
        t[2] += r.count(Outcome::Error);
        t[3] += r.count(Outcome::Skipped) + r.count(Outcome::XFailed) + r.count(Outcome::XPassed);
    };
    for (f, r) in ours {
        add(&mut total_ours, r);
        let other = theirs.get(f).map(|t| {
            add(&mut total_theirs, t);
            format!("      {}", cell(t))
        });
        println!("{f:<44} {}{}", cell(r), other.unwrap_or_default());
    }
    let fmt = |t: [usize; 4]| format!("{:>5} {:>5} {:>5} {:>5}", t[0], t[1], t[2], t[3]);
    println!(
        "{:<44} {}{}",
        "total",
        fmt(total_ours),
        if oracle {
            format!("      {}", fmt(total_theirs))
        } else {
            String::new()
        }
    );
}

/// The expectations: node ids (or `FILE::*`) that may fail.
fn read_expected(path: &Path) -> Result<BTreeSet<String>> {
    let text = fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    Ok(text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect())
}

/// Whether `id` (of `file`) is expected not to pass.
fn listed(expected: &BTreeSet<String>, file: &str, id: &str) -> bool {
    expected.contains(id) || expected.contains(&format!("{file}::*"))
}

fn compare(ours: &BTreeMap<String, FileRun>, expected: &BTreeSet<String>) -> Vec<String> {
    let mut problems = Vec::new();
    for (file, run) in ours {
        for (id, o) in &run.outcomes {
            if o.is_failure() && !listed(expected, file, id) {
                problems.push(format!("{id}: {o:?}, not in {EXPECTED}"));
            }
            if *o == Outcome::Passed && expected.contains(id) {
                problems.push(format!("{id}: passes now: remove it from {EXPECTED}"));
            }
        }
    }
    problems
}

/// Rewrites the expectations of the files run from their outcomes: the
/// leading comments, then the single tests (the other files' kept as they
/// were), then the commented list of whole files, unchanged.
fn write_expected(
    path: &Path,
    expected: &BTreeSet<String>,
    ours: &BTreeMap<String, FileRun>,
) -> Result {
    let text = fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let header: Vec<&str> = text
        .lines()
        .take_while(|l| l.starts_with('#') || l.is_empty())
        .collect();
    let whole_files: Vec<&str> = text
        .lines()
        .skip(header.len())
        .skip_while(|l| !l.starts_with('#'))
        .collect();
    let in_run = |id: &str| ours.keys().any(|f| id.starts_with(&format!("{f}::")));
    let mut single: BTreeSet<String> = expected
        .iter()
        .filter(|id| !id.ends_with("::*") && !in_run(id))
        .cloned()
        .collect();
    for (file, run) in ours {
        if expected.contains(&format!("{file}::*")) {
            continue;
        }
        for (id, o) in &run.outcomes {
            if o.is_failure() {
                single.insert(id.clone());
            }
        }
    }
    let mut out = header.join("\n");
    out.push('\n');
    for id in single {
        out.push_str(&id);
        out.push('\n');
    }
    for line in whole_files {
        out.push_str(line);
        out.push('\n');
    }
    fs::write(path, out).map_err(|e| format!("writing {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_of(outcomes: &[(&str, Outcome)]) -> FileRun {
        FileRun {
            outcomes: outcomes
                .iter()
                .map(|(id, o)| ((*id).to_owned(), *o))
                .collect(),
            crash: None,
        }
    }

    #[test]
    fn the_expectations_only_shrink() {
        let f = "testing/a.py";
        let ours = BTreeMap::from([(
            f.to_owned(),
            run_of(&[
                ("testing/a.py::listed_fails", Outcome::Failed),
                ("testing/a.py::listed_passes", Outcome::Passed),
                ("testing/a.py::unlisted_errors", Outcome::Error),
                ("testing/a.py::skipped", Outcome::Skipped),
            ]),
        )]);
        let expected: BTreeSet<String> =
            ["testing/a.py::listed_fails", "testing/a.py::listed_passes"]
                .into_iter()
                .map(str::to_owned)
                .collect();
        let problems = compare(&ours, &expected);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("testing/a.py::listed_passes: passes now"));
        assert!(problems[1].starts_with("testing/a.py::unlisted_errors: Error, not in"));
        // A whole file listed: its failures are expected.
        let whole: BTreeSet<String> = ["testing/a.py::*".to_owned()].into();
        assert!(compare(&ours, &whole).is_empty());
    }
}
