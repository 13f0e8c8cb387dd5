//! `cargo xtask bench ops`: instructions per operation under callgrind for
//! the rows of issue #19, under cffi-py and the original cffi, beside the
//! hand-written limit (bench/limit.c, `array.array`, `bytearray`, ctypes)
//! and the goal each row is held to; then memory per small cdata.

use crate::bench::{bench_script_with, callgrind_instructions};
use crate::{cmd, root, run, venv_bin, Result};
use std::path::{Path, PathBuf};

/// Builds bench/calls.c and the limit extension into `target/bench-ops`.
fn build(python: &Path) -> Result<(PathBuf, PathBuf)> {
    let dir = root().join("target").join("bench-ops");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let cc = std::env::var_os("CC").unwrap_or_else(|| "cc".into());
    let lib = dir.join("libbenchcalls.so");
    run(cmd(&cc)
        .args(["-shared", "-fPIC", "-O2"])
        .arg(root().join("bench").join("calls.c"))
        .arg("-o")
        .arg(&lib))?;
    let query = |what: &str| -> Result<String> {
        let out = cmd(python)
            .args(["-c", &format!("import sysconfig; print({what})")])
            .output()
            .map_err(|e| e.to_string())?;
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    let include = query("sysconfig.get_paths()['include']")?;
    let suffix = query("sysconfig.get_config_var('EXT_SUFFIX')")?;
    run(cmd(&cc)
        .args(["-shared", "-fPIC", "-O2"])
        .arg(format!("-I{include}"))
        .arg(root().join("bench").join("limit.c"))
        .arg("-o")
        .arg(dir.join(format!("_bench_limit{suffix}"))))?;
    Ok((lib, dir))
}

/// The goal of a row: half the original's instructions, or, where half
/// would be below the hand-written limit, within 1.2x of that limit (the
/// callback row: half the original's, whatever ctypes costs).
fn goal(row: &str, original: f64, limit: Option<f64>) -> f64 {
    match limit {
        Some(l) if row != "callback_create_free" && original * 0.5 < l => 1.2 * l,
        _ => original * 0.5,
    }
}

/// `CFFIPY_BENCH_PYTHON` and `CFFIPY_BENCH_ORACLE` name other
/// interpreters (with cffi-py's wheel, and with cffi 2.0.0) to measure on
/// another CPython version; `.venv` and `.oracle-venv` by default.
pub fn bench_ops(oracle: &Path) -> Result {
    let ours =
        std::env::var_os("CFFIPY_BENCH_PYTHON").map_or_else(|| venv_bin("python"), PathBuf::from);
    let oracle_override = std::env::var_os("CFFIPY_BENCH_ORACLE").map(PathBuf::from);
    let oracle = oracle_override.as_deref().unwrap_or(oracle);
    let (lib, limit_dir) = build(&ours)?;
    let env: Vec<(&str, &Path)> = vec![
        ("CFFIPY_BENCH_LIB", lib.as_path()),
        ("CFFIPY_BENCH_LIMIT", limit_dir.as_path()),
    ];
    let script = root().join("bench").join("ops.py");
    let out_file = limit_dir.join("callgrind.out");
    // (row, items per statement, N, has a limit, has a floor), from the
    // script itself.
    let listing = cmd(&ours)
        .arg(&script)
        .arg("--rows")
        .envs(env.iter().copied())
        .output()
        .map_err(|e| e.to_string())?;
    let listing = String::from_utf8_lossy(&listing.stdout).into_owned();
    let rows: Vec<(String, f64, u32, bool, bool)> = listing
        .lines()
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let name = parts.next()?.to_owned();
            let items = parts.next()?.parse().ok()?;
            let n = parts.next()?.parse().ok()?;
            let limit = parts.next()? == "1";
            let floor = parts.next()? == "1";
            Some((name, items, n, limit, floor))
        })
        .collect();
    if rows.is_empty() {
        return Err(format!("bench/ops.py --rows listed no rows: {listing:?}"));
    }
    let per_op = |python: &Path, row: &str, kind: &str, n: u32, items: f64| -> Result<f64> {
        let total = |n: u32| {
            callgrind_instructions(
                python,
                &[
                    script.as_os_str(),
                    "--count".as_ref(),
                    row.as_ref(),
                    kind.as_ref(),
                    n.to_string().as_ref(),
                ],
                &env,
                &out_file,
            )
        };
        let once = total(n)?;
        let twice = total(2 * n)?;
        Ok(twice.saturating_sub(once) as f64 / f64::from(n) / items)
    };
    println!(
        "{:<22} {:>10} {:>10} {:>7} {:>10} {:>10} {:>7} {:>10}",
        "instructions per op", "cffi-py", "cffi 2.0.0", "ratio", "limit", "goal", "met", "floor"
    );
    let only: Option<String> = std::env::var("CFFIPY_BENCH_ROWS").ok();
    for (row, items, n, has_limit, has_floor) in &rows {
        if only
            .as_deref()
            .is_some_and(|o| !o.split(',').any(|r| r == row))
        {
            continue;
        }
        let mine = per_op(&ours, row, "cffi", *n, *items)?;
        let original = per_op(oracle, row, "cffi", *n, *items)?;
        let limit = if *has_limit {
            Some(per_op(&ours, row, "limit", *n, *items)?)
        } else {
            None
        };
        // What the row's work costs at least here (bench/ops.py FLOORS).
        let floor = if *has_floor {
            Some(per_op(&ours, row, "floor", *n, *items)?)
        } else {
            None
        };
        let goal = goal(row, original, limit);
        let fmt = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.0}"));
        println!(
            "{row:<22} {mine:>10.0} {original:>10.0} {:>6.2}x {:>10} {goal:>10.0} {:>7} {:>10}",
            mine / original,
            fmt(limit),
            if mine <= goal { "yes" } else { "no" },
            fmt(floor)
        );
    }
    // Bytes per small cdata: the script's JSON without arguments.
    let m_ours = bench_script_with(&ours, "ops.py", &env)?;
    let m_theirs = bench_script_with(oracle, "ops.py", &env)?;
    for (key, mine) in &m_ours {
        let other = m_theirs
            .iter()
            .find(|(k, _)| k == key)
            .map_or(f64::NAN, |(_, v)| *v);
        // RSS growth over 300,000 objects, per object: a difference under
        // a byte is page rounding, not object size (CPython's allocator
        // hands out 8- or 16-byte steps).
        println!(
            "memory {key:<30} cffi-py {mine:>6.1} B   cffi 2.0.0 {other:>6.1} B   {}",
            if *mine < other + 1.0 {
                "met"
            } else {
                "not met"
            }
        );
    }
    Ok(())
}
