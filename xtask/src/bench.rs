//! `cargo xtask bench`: the same workloads under cffi-py, the original
//! cffi (ABI and API mode) and ctypes, as ratios; `--instructions` counts
//! instructions per call under callgrind.

use crate::{cmd, develop, ensure_oracle, root, run, venv_bin, Result};
use std::fs;
use std::path::Path;

/// Runs a benchmark script under cffi-py and under the original cffi in one
/// go and prints both timings and their ratio.
pub fn bench(args: &[String]) -> Result {
    let which = args.first().map_or("all", String::as_str);
    if ![
        "all",
        "parse",
        "cdata",
        "calls",
        "ops",
        "import",
        "embedding",
    ]
    .contains(&which)
    {
        return Err(format!(
            "unknown benchmark {which:?}; known: parse, cdata, calls, ops, import, embedding"
        ));
    }
    develop()?;
    let oracle = ensure_oracle()?;
    if ["all", "parse"].contains(&which) {
        bench_parse(&oracle)?;
    }
    if ["all", "cdata"].contains(&which) {
        bench_cdata(&oracle)?;
    }
    if ["all", "calls"].contains(&which) {
        let instructions = args.iter().any(|a| a == "--instructions");
        bench_calls(&oracle, instructions)?;
    }
    if ["all", "ops"].contains(&which) {
        crate::bench_ops::bench_ops(&oracle)?;
    }
    if ["all", "import"].contains(&which) {
        bench_import(&oracle)?;
    }
    if ["all", "embedding"].contains(&which) {
        // Embedding (issue #20): a C program's first call into a library
        // (Python's start-up included), then each later call.
        run(cmd(venv_bin("python"))
            .arg(root().join("bench").join("embedding.py"))
            .arg(&oracle))?;
    }
    Ok(())
}

/// Out-of-line modules (issue #15): generating and importing a module of
/// 2,000 functions, 500 structs and 2,000 constants, under cffi-py and
/// the original cffi, as ratios.
fn bench_import(oracle: &Path) -> Result {
    // The API-mode module of the same declarations, built by the
    // original; its import is timed on both backends.
    let api_dir = root().join("target").join("bench-import-api");
    std::fs::create_dir_all(&api_dir).map_err(|e| e.to_string())?;
    run(cmd(oracle)
        .arg(root().join("bench").join("build_import_api.py"))
        .arg(&api_dir))?;
    let api_env = [("CFFIPY_BENCH_API_IMPORT", api_dir.as_path())];
    let ours = bench_script_with(&venv_bin("python"), "import_module.py", &api_env)?;
    let theirs = bench_script_with(oracle, "import_module.py", &api_env)?;
    let get =
        |rows: &[(String, f64)], key: &str| rows.iter().find(|(k, _)| k == key).map(|(_, v)| *v);
    println!(
        "{:<34} {:>10} {:>10} {:>14}",
        "out-of-line module", "cffi-py", "cffi 2.0.0", "cffi-py/cffi"
    );
    for (key, label) in [
        ("compile_ms", "compile(), generation (ms)"),
        ("import_ms", "import from .pyc (ms)"),
        ("ffi_ms", "FFI(...) constructor alone (ms)"),
        ("first_call_us", "first lookup + call (us)"),
        ("rss_kb", "memory the import adds (KB)"),
        ("api_import_ms", "API module: import (ms)"),
        ("api_first_call_us", "API module: first lookup + call (us)"),
        ("api_rss_kb", "API module: memory of the import (KB)"),
    ] {
        let (Some(a), Some(b)) = (get(&ours, key), get(&theirs, key)) else {
            continue;
        };
        let ratio = if b > 0.0 { a / b } else { f64::NAN };
        println!("{label:<34} {a:>10.2} {b:>10.2} {ratio:>13.2}x");
    }
    Ok(())
}

/// Runs `bench/<name>.py` under `python`; its one line of JSON, as numbers.
fn bench_script(python: &Path, name: &str) -> Result<Vec<(String, f64)>> {
    bench_script_with(python, name, &[])
}

/// As [`bench_script`], with extra environment variables.
pub fn bench_script_with(
    python: &Path,
    name: &str,
    env: &[(&str, &Path)],
) -> Result<Vec<(String, f64)>> {
    let script = root().join("bench").join(name);
    let out = cmd(python)
        .arg(&script)
        .envs(env.iter().copied())
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "{}: {}",
            script.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(parse_flat_json(&String::from_utf8_lossy(&out.stdout)))
}

/// The ffi object and cdata rows of issue #5: ns/op under cffi-py, cffi
/// 2.0.0 and ctypes, the time ratio to cffi per row, and the geometric
/// mean of those ratios.
fn bench_cdata(oracle: &Path) -> Result {
    let ours = bench_script(&venv_bin("python"), "cdata.py")?;
    let theirs = bench_script(oracle, "cdata.py")?;
    let get =
        |rows: &[(String, f64)], key: &str| rows.iter().find(|(k, _)| k == key).map(|(_, v)| *v);
    println!(
        "{:<22} {:>12} {:>12} {:>12} {:>15}",
        "operation (ns/op)", "cffi-py", "cffi 2.0.0", "ctypes", "cffi-py/cffi"
    );
    let mut log_sum = 0.0;
    let mut rows = 0;
    for (key, mine) in &ours {
        let Some(row) = key.strip_suffix("_ns").filter(|r| !r.ends_with("_ctypes")) else {
            continue;
        };
        let Some(other) = get(&theirs, key) else {
            continue;
        };
        let ctypes = get(&ours, &format!("{row}_ctypes_ns"))
            .map_or_else(|| "-".to_owned(), |v| format!("{v:.0}"));
        let ratio = mine / other;
        log_sum += ratio.ln();
        rows += 1;
        println!("{row:<22} {mine:>12.0} {other:>12.0} {ctypes:>12} {ratio:>14.2}x");
    }
    if rows > 0 {
        println!(
            "geometric mean of cffi-py/cffi time ratios over {rows} rows: {:.2}x",
            (log_sum / f64::from(rows)).exp()
        );
    }
    if let (Some(mine), Some(other)) = (
        get(&ours, "new_int_ptr_bytes"),
        get(&theirs, "new_int_ptr_bytes"),
    ) {
        println!(
            "memory per live ffi.new(\"int *\") (RSS, list slot included): \
             cffi-py {mine:.0} bytes, cffi 2.0.0 {other:.0} bytes"
        );
    }
    Ok(())
}

/// The calls of issue #6: bench/calls.c compiled here, the ABI mode of
/// cffi-py and of cffi 2.0.0, API mode (the module the original cffi
/// builds now in the oracle venv, run on both backends) and ctypes; ns
/// per call and ratios (ours / the original's, per mode).
fn bench_calls(oracle: &Path, instructions: bool) -> Result {
    let dir = root().join("target").join("bench-calls");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let lib = dir.join("libbenchcalls.so");
    run(cmd(std::env::var_os("CC").unwrap_or_else(|| "cc".into()))
        .args(["-shared", "-fPIC", "-O2"])
        .arg(root().join("bench").join("calls.c"))
        .arg("-o")
        .arg(&lib))?;
    let api_dir = dir.join("api");
    std::fs::create_dir_all(&api_dir).map_err(|e| e.to_string())?;
    run(cmd(oracle)
        .arg(root().join("bench").join("build_calls_api.py"))
        .arg(&api_dir))?;
    // The same module as our generator writes it.
    let gen_dir = dir.join("api-gen");
    std::fs::create_dir_all(&gen_dir).map_err(|e| e.to_string())?;
    run(cmd(venv_bin("python"))
        .arg(root().join("bench").join("build_calls_api.py"))
        .arg(&gen_dir))?;
    let lib_env = ("CFFIPY_BENCH_LIB", lib.as_path());
    if instructions {
        return bench_calls_instructions(
            oracle,
            lib_env,
            ("CFFIPY_BENCH_API", &api_dir),
            ("CFFIPY_BENCH_API", &gen_dir),
        );
    }
    let api_env = ("CFFIPY_BENCH_API", api_dir.as_path());
    // The API module the original built runs on both backends.
    let ours = bench_script_with(&venv_bin("python"), "calls.py", &[lib_env, api_env])?;
    let theirs = bench_script_with(oracle, "calls.py", &[lib_env, api_env])?;
    let generated = bench_script_with(
        &venv_bin("python"),
        "calls.py",
        &[lib_env, ("CFFIPY_BENCH_API", gen_dir.as_path())],
    )?;
    let get =
        |rows: &[(String, f64)], key: &str| rows.iter().find(|(k, _)| k == key).map(|(_, v)| *v);
    print_calls_header("call (ns)");
    for (key, mine) in &ours {
        let Some(row) = key
            .strip_suffix("_ns")
            .filter(|r| !r.ends_with("_ctypes") && !r.ends_with("_api"))
        else {
            continue;
        };
        let api_key = format!("{row}_api_ns");
        let (Some(abi), Some(api)) = (get(&theirs, key), get(&theirs, &api_key)) else {
            continue;
        };
        let my_api = get(&ours, &api_key).unwrap_or(f64::NAN);
        let gen_api = get(&generated, &api_key).unwrap_or(f64::NAN);
        let ctypes = get(&ours, &format!("{row}_ctypes_ns")).unwrap_or(f64::NAN);
        println!(
            "{row:<22} {mine:>10.0} {abi:>10.0} {my_api:>10.0} {gen_api:>10.0} {api:>10.0} {ctypes:>10.0} {:>8.2}x {:>8.2}x {:>8.2}x",
            mine / abi,
            my_api / api,
            gen_api / api
        );
    }
    Ok(())
}

/// The header of the calls tables: our ABI and API mode (the original's
/// module and the one our generator writes), the original's, ctypes, and
/// the ratios to the original.
fn print_calls_header(unit: &str) {
    println!(
        "{unit:<22} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>9} {:>9} {:>9}",
        "ours ABI",
        "cffi ABI",
        "ours API",
        "gen API",
        "cffi API",
        "ctypes",
        "ABI",
        "API",
        "gen API"
    );
}

/// The rows of `bench/calls.py` (first column of its `ROWS`), in order.
const CALL_ROWS: &[(&str, u32)] = &[
    ("add_int_int", 20_000),
    ("mul_add_3_doubles", 20_000),
    ("strlen_bytes", 20_000),
    ("sum6_ints", 20_000),
    ("void_ptr_result", 20_000),
    ("struct_by_value", 20_000),
    ("void_no_args", 20_000),
    ("qsort_1000_callback", 4),
    ("callback_once", 20_000),
];

/// Instructions per call under callgrind, the figure that is stable on a
/// noisy machine: each row runs N and 2N times in its own process, and the
/// difference of the two totals divided by N is the cost of one call
/// (interpreter start-up, imports and set-up cancel out).
fn bench_calls_instructions(
    oracle: &Path,
    lib_env: (&str, &Path),
    api_env: (&str, &Path),
    gen_env: (&str, &Path),
) -> Result {
    let out_file = root()
        .join("target")
        .join("bench-calls")
        .join("callgrind.out");
    let count = |python: &Path, row: &str, kind: &str, n: u32| -> Result<u64> {
        // The API module the original built loads on both backends; "gen"
        // is the one our generator wrote, on ours.
        let (kind, api) = match kind {
            "gen" => ("api", gen_env),
            other => (other, api_env),
        };
        let script = root().join("bench").join("calls.py");
        let n = n.to_string();
        let args: [&std::ffi::OsStr; 5] = [
            script.as_os_str(),
            "--count".as_ref(),
            row.as_ref(),
            kind.as_ref(),
            n.as_ref(),
        ];
        callgrind_instructions(python, &args, &[lib_env, api], &out_file)
    };
    let per_call = |python: &Path, row: &str, kind: &str, n: u32| -> Result<f64> {
        let once = count(python, row, kind, n)?;
        let twice = count(python, row, kind, 2 * n)?;
        Ok((twice.saturating_sub(once)) as f64 / f64::from(n))
    };
    print_calls_header("call (instructions)");
    let only: Option<String> = std::env::var("CFFIPY_BENCH_ROWS").ok();
    for &(row, n) in CALL_ROWS {
        if only
            .as_deref()
            .is_some_and(|o| !o.split(',').any(|r| r == row))
        {
            continue;
        }
        let mine = per_call(&venv_bin("python"), row, "abi", n)?;
        let abi = per_call(oracle, row, "abi", n)?;
        let my_api = per_call(&venv_bin("python"), row, "api", n)?;
        let gen_api = per_call(&venv_bin("python"), row, "gen", n)?;
        let api = per_call(oracle, row, "api", n)?;
        let ctypes = per_call(&venv_bin("python"), row, "ctypes", n)?;
        println!(
            "{row:<22} {mine:>10.0} {abi:>10.0} {my_api:>10.0} {gen_api:>10.0} {api:>10.0} {ctypes:>10.0} {:>8.2}x {:>8.2}x {:>8.2}x",
            mine / abi,
            my_api / api,
            gen_api / api
        );
    }
    Ok(())
}

/// The instructions `python args...` executes under callgrind (the
/// process's total; callers difference two runs).
pub fn callgrind_instructions(
    python: &Path,
    args: &[&std::ffi::OsStr],
    env: &[(&str, &Path)],
    out_file: &Path,
) -> Result<u64> {
    let mut c = cmd("valgrind");
    c.args(["--tool=callgrind", "-q"])
        .arg(format!("--callgrind-out-file={}", out_file.display()))
        .arg(python)
        .args(args)
        .envs(env.iter().copied())
        // The same dict layouts in every run: counts repeat exactly.
        .env("PYTHONHASHSEED", "0");
    if !c
        .status()
        .map_err(|e| format!("cannot start valgrind: {e}"))?
        .success()
    {
        return Err(format!("callgrind run of {args:?} failed"));
    }
    let text = fs::read_to_string(out_file).map_err(|e| e.to_string())?;
    text.lines()
        .find_map(|l| {
            l.strip_prefix("totals:")
                .or_else(|| l.strip_prefix("summary:"))
        })
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| format!("no instruction total in {}", out_file.display()))
}

/// cdef() and type-string timings against cffi 2.0.0, then the bare
/// parser's throughput.
fn bench_parse(oracle: &Path) -> Result {
    let ours = bench_script(&venv_bin("python"), "parse.py")?;
    let theirs = bench_script(oracle, "parse.py")?;
    println!(
        "{:<28} {:>14} {:>14} {:>10}",
        "benchmark (seconds)", "cffi-py", "cffi 2.0.0", "speed-up"
    );
    let get =
        |rows: &[(String, f64)], key: &str| rows.iter().find(|(k, _)| k == key).map(|(_, v)| *v);
    for (key, mine) in &ours {
        if key.ends_with("_bytes") || key.starts_with("repeated_ffi_live") {
            continue;
        }
        match get(&theirs, key) {
            Some(other) => println!(
                "{key:<28} {mine:>14.3e} {other:>14.3e} {:>9.0}x",
                other / mine
            ),
            None if key.starts_with("repeated_ffi_type") => {}
            None => println!("{key:<28} {mine:>14.3e} {:>14} {:>10}", "-", "-"),
        }
    }
    if let (Some(t), Some(b)) = (get(&ours, "cdef_5000_s"), get(&ours, "cdef_5000_bytes")) {
        println!(
            "cffi-py ffi.cdef() throughput on 5,000 declarations: {:.1} MB/s",
            b / t / 1e6
        );
    }
    // The goals of issue #19, with their limits beside them.
    if let (Some(small), Some(big)) = (
        get(&ours, "cdef_per_decl_500_s"),
        get(&ours, "cdef_per_decl_16000_s"),
    ) {
        println!(
            "scaling: cost per declaration at 16,000 / at 500: {:.2}x (limit 1.5x)",
            big / small
        );
    }
    if let (Some(first), Some(last)) = (
        get(&ours, "repeated_ffi_first_cdef_s"),
        get(&ours, "repeated_ffi_last_cdef_s"),
    ) {
        println!(
            "repeated FFI: cdef() of the 200th FFI / of the first: {:.2}x (the original: {:.2}x); \
             live types after: {} in {} slots",
            last / first,
            get(&theirs, "repeated_ffi_last_cdef_s").unwrap_or(f64::NAN)
                / get(&theirs, "repeated_ffi_first_cdef_s").unwrap_or(f64::NAN),
            get(&ours, "repeated_ffi_live_types").unwrap_or(f64::NAN),
            get(&ours, "repeated_ffi_type_slots").unwrap_or(f64::NAN),
        );
    }
    if let (Some(mine), Some(other)) = (get(&ours, "cdef_5000_s"), get(&theirs, "cdef_5000_s")) {
        println!(
            "5,000 declarations: {:.0}x faster than the original (goal: at least 150x)",
            other / mine
        );
    }
    // The bare Rust parser, without Python (best of 30 runs; the criterion
    // bench `cargo bench -p cdef-parse --features bench` gives the spread).
    run(cmd("cargo").args([
        "run",
        "--release",
        "--quiet",
        "-p",
        "ctypes-model",
        "--example",
        "throughput",
    ]))
}

/// Reads the numeric fields of a one-level JSON object (what the benchmark
/// scripts print); other fields are skipped.
fn parse_flat_json(text: &str) -> Vec<(String, f64)> {
    let body = text.trim().trim_start_matches('{').trim_end_matches('}');
    body.split(", \"")
        .filter_map(|field| {
            let (key, value) = field.split_once("\": ")?;
            Some((key.trim_matches('"').to_owned(), value.trim().parse().ok()?))
        })
        .collect()
}
