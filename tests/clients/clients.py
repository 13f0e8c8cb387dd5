#!/usr/bin/env python3
"""Real PyPI packages that build with cffi, built from their sdists with
cffi-py's wheel (the distribution named `cffi`), then their own tests run
(issue #18; `cargo xtask clients` runs this, CI the two marked `ci`).

    clients.py --wheel target/wheels/cffi-...whl --work target/clients      # ours
    clients.py --oracle --work target/clients                               # cffi==2.0.0
    clients.py --wheel W --work D --only bcrypt misaka --step download      # network step
    clients.py --wheel W --work D --only bcrypt misaka --step build         # offline step

Steps:
  download  apt-get install the -dev packages, then `pip download` every sdist
            into WORK/sdists and every build/test tool as wheels into
            WORK/wheelhouse (plus cffi==2.0.0 when --oracle).  Needs the network.
  build     offline (PIP_NO_INDEX=1): make WORK/venv-ours (or venv-oracle), install
            cffi + tools from the wheelhouse, unpack each sdist to WORK/build-FLAVOR/,
            `pip install --no-build-isolation` it, time it, then run its own tests
            from a scratch directory (so the source tree cannot shadow the install).
  report    print the table of the last build again (after an --oracle run, to
            compare against it).
  all       download, then build (the default).

A package fails when: its build fails, a `.eggs/` directory appears in its tree
(setuptools fetched a setup_requires itself), `pip list` no longer shows the cffi
we installed, or its tests have failures.  When WORK/results-oracle.json exists
(written by an --oracle run), only failures the oracle does not have count.
Exit status: 0 when nothing failed, 1 otherwise.

Only the standard library is used.  The packages marked `ci` are the two fastest.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

# --------------------------------------------------------------------------
# The packages.  Keys:
#   name, version  PyPI distribution; `sdist` the file name stem if it differs
#   feature        which cffi feature the build exercises
#   apt            Debian packages needed to build or test
#   env            environment variables for the build
#   pip_args       extra arguments for `pip install` of the sdist
#   build_deps     wheels installed in the venv before the build (besides
#                  setuptools and wheel, which every venv gets)
#   test_deps      wheels installed for the tests
#   prebuild       name of a function below run on the unpacked tree (flavor given)
#   expect_log     text the verbose build log must contain (proof cffi ran)
#   tests          directories/files of the sdist copied into the scratch dir
#   test_cmd       command run in the scratch dir; "{py}" is the venv python
#   parser         how to count results: pytest | unittest | chibitest
#   ci             one of the two fastest: run these in CI
# --------------------------------------------------------------------------
PACKAGES = [
    dict(
        name="bcrypt", version="3.2.2", ci=True,
        feature="(b) API mode, bundled C; cffi_modules",
        build_deps=[], test_deps=["pytest"],
        expect_log="generating cffi module",
        tests=["tests"], test_cmd=["{py}", "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider", "tests"],
        parser="pytest",
    ),
    dict(
        name="cairocffi", version="1.3.0", ci=True,
        feature="(a) out-of-line ABI, set_source(name, None); cffi_modules, setup_requires",
        apt=["libcairo2", "libgdk-pixbuf-2.0-0"],
        build_deps=["pytest-runner"], test_deps=["pytest", "numpy"],
        expect_log="generating cffi module",
        tests=[],  # the tests are modules of the installed package
        test_cmd=["{py}", "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider", "--pyargs", "cairocffi"],
        parser="pytest",
    ),
    dict(
        name="misaka", version="2.1.1",
        feature="(b) API mode, bundled C (hoedown); cffi_modules",
        apt=["tidy"],  # tests/utils.py pipes HTML through tidy
        build_deps=[], test_deps=[],
        expect_log="generating cffi module",
        tests=["tests"], test_cmd=["{py}", "tests/run_tests.py"],
        parser="chibitest",
    ),
    dict(
        name="libcpuid", version="0.1.0",
        feature="(c) API mode, set_source_pkgconfig; system libcpuid via pkg-config",
        apt=["libcpuid-dev", "pkg-config"],
        build_deps=[], test_deps=[],
        expect_log="generating cffi module",
        tests=[],  # the sdist ships no tests: a smoke test instead
        test_cmd=["{py}", "-c", "import libcpuid, sys\n"
                  "checks = [('version', lambda: libcpuid.version()),\n"
                  "          ('cpuid_present', lambda: libcpuid.cpuid_present()),\n"
                  "          ('total_cpus', lambda: libcpuid.get_total_cpus()),\n"
                  "          ('vendor', lambda: libcpuid.get_vendor())]\n"
                  "ok = bad = 0\n"
                  "for name, f in checks:\n"
                  "    try:\n"
                  "        print(name, f()); ok += 1\n"
                  "    except Exception as e:\n"
                  "        print('FAIL:', name, type(e).__name__, e); bad += 1\n"
                  "print(f'{ok} passed, {bad} failed')\n"],
        parser="plain",
    ),
    dict(
        name="zstandard", version="0.25.0",
        feature="(d) ffi.distutils_extension() in setup.py (cffi backend only)",
        pip_args=["--config-settings=--build-option=--no-c-backend"],
        build_deps=["packaging"], test_deps=["pytest"],
        expect_log="generating",
        tests=["tests"],
        test_cmd=["{py}", "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider", "tests"],
        test_env={"PYTHON_ZSTANDARD_IMPORT_POLICY": "cffi"},
        parser="pytest",
    ),
    dict(
        name="argon2-cffi-bindings", version="26.2.0", sdist="argon2_cffi_bindings-26.2.0",
        feature="(e) cffi-gen-src read-sources + scikit-build-core/CMake (no setuptools)",
        build_deps=["scikit-build-core", "setuptools-scm", "cmake", "ninja"],
        test_deps=["pytest"],
        env={"SETUPTOOLS_SCM_PRETEND_VERSION": "26.2.0"},
        prebuild="regenerate_argon2_ffi_c",
        expect_log=None,
        tests=["tests"],
        test_cmd=["{py}", "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider", "tests"],
        parser="pytest",
    ),
    dict(
        name="pymunk", version="7.3.1",
        feature="(f) extern \"Python\" + @ffi.def_extern; API mode, bundled Chipmunk",
        build_deps=[], test_deps=[],
        expect_log="generating cffi module",
        tests=[],  # pymunk.tests is installed with the package
        test_cmd=["{py}", "-m", "pymunk.tests"],
        parser="unittest",
    ),
    dict(
        name="pycares", version="5.2.1",
        feature="(f) extern \"Python\" callbacks; API mode, bundled c-ares",
        build_deps=[], test_deps=["pytest"],
        expect_log="generating cffi module",
        tests=["tests"],
        # The suite mostly resolves real names; without a network those fail
        # under both cffis alike, so only the difference to the oracle matters.
        test_cmd=["{py}", "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider", "--timeout=20", "tests"],
        parser="pytest",
        extra_test_deps=["pytest-timeout"],
    ),
]

BASE_TOOLS = ["setuptools", "wheel", "pip"]
ORACLE_REQ = "cffi==2.0.0"


# --------------------------------------------------------------------------
# Pre-build hooks
# --------------------------------------------------------------------------
def regenerate_argon2_ffi_c(tree, venv, flavor, log):
    """argon2-cffi-bindings checks in _ffi.c made by upstream's cffi-gen-src.
    For ours, delete it and regenerate it with our cffi-gen-src so the CMake
    build compiles our output.  The oracle (cffi 2.0.0) has no cffi-gen-src,
    so it builds the checked-in file, which upstream generated with cffi."""
    if flavor != "ours":
        return
    d = tree / "src" / "_argon2_cffi_bindings"
    (d / "_ffi.c").unlink()
    run([str(venv / "bin" / "cffi-gen-src"), "read-sources", "_argon2_cffi_bindings._ffi",
         str(d / "_ffi.cdef.txt"), str(d / "_ffi.csrc.c"), str(d / "_ffi.c")], log=log)


PREBUILD = {"regenerate_argon2_ffi_c": regenerate_argon2_ffi_c}


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------
def run(cmd, log=None, env=None, cwd=None, check=True, timeout=None):
    """Run cmd, appending its output to the open file `log` (or inheriting)."""
    if log is not None:
        log.write("$ " + " ".join(map(str, cmd)) + "\n")
        log.flush()
    res = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT if log else None,
                         env=env, cwd=cwd, timeout=timeout)
    if check and res.returncode != 0:
        raise subprocess.CalledProcessError(res.returncode, cmd)
    return res.returncode


def sdist_stem(pkg):
    return pkg.get("sdist") or f"{pkg['name']}-{pkg['version']}"


def find_sdist(work, pkg):
    stem_norm = re.sub(r"[-_.]+", "_", sdist_stem(pkg)).lower()
    for f in (work / "sdists").iterdir():
        if f.name.endswith(".tar.gz") and re.sub(r"[-_.]+", "_", f.name[:-7]).lower() == stem_norm:
            return f
    raise FileNotFoundError(f"no sdist for {pkg['name']} {pkg['version']} in {work / 'sdists'}")


def all_wheels(pkgs, oracle):
    reqs = list(BASE_TOOLS)
    for p in pkgs:
        reqs += p.get("build_deps", []) + p.get("test_deps", []) + p.get("extra_test_deps", [])
    if oracle:
        reqs.append(ORACLE_REQ)
    return sorted(set(reqs))


def offline_env(work, extra=None):
    env = dict(os.environ)
    env.update(PIP_NO_INDEX="1", PIP_FIND_LINKS=str(work / "wheelhouse"),
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PIP_INDEX_URL", None)
    env.update(extra or {})
    return env


# --------------------------------------------------------------------------
# Step 1: download (needs the network)
# --------------------------------------------------------------------------
def download(args, pkgs):
    work = args.work
    (work / "sdists").mkdir(parents=True, exist_ok=True)
    (work / "wheelhouse").mkdir(parents=True, exist_ok=True)
    apt = sorted({a for p in pkgs for a in p.get("apt", [])})
    missing = [a for a in apt if subprocess.run(["dpkg", "-s", a], capture_output=True).returncode]
    if missing:
        print("apt-get install", *missing)
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        run([*sudo, "apt-get", "update", "-q"])
        run([*sudo, "apt-get", "install", "-y", "-q", *missing],
            env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    py = args.python
    for p in pkgs:
        try:
            find_sdist(work, p)
            continue
        except FileNotFoundError:
            pass
        print(f"download sdist {p['name']}=={p['version']}")
        # --no-binary only for the package itself: its build deps (used by pip to
        # read the metadata) may come as wheels.
        run([py, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", p["name"],
             f"{p['name']}=={p['version']}", "-d", str(work / "sdists")])
    wheels = all_wheels(pkgs, args.oracle)
    print("download wheels:", " ".join(wheels))
    run([py, "-m", "pip", "download", "-q", "--only-binary", ":all:",
         "-d", str(work / "wheelhouse"), *wheels])


# --------------------------------------------------------------------------
# Step 2-4: offline build and test
# --------------------------------------------------------------------------
def make_venv(args, flavor, pkgs):
    work = args.work
    venv = work / f"venv-{flavor}"
    if venv.exists():
        shutil.rmtree(venv)
    run([args.python, "-m", "venv", str(venv)])
    py = str(venv / "bin" / "python")
    cffi = ORACLE_REQ if args.oracle else str(args.wheel)
    # -U: a fresh venv already has an old pip and (before 3.12) setuptools.
    run([py, "-m", "pip", "install", "-q", "-U", cffi, *all_wheels(pkgs, False)],
        env=offline_env(work))
    return venv


def cffi_version(py):
    out = subprocess.run([py, "-m", "pip", "list", "--format=json"], capture_output=True,
                         text=True, env=offline_env(Path("/nonexistent"))).stdout
    for d in json.loads(out or "[]"):
        if d["name"].lower() == "cffi":
            return d["version"]
    return None


def build_one(args, flavor, venv, pkg, logdir):
    """Unpack and build one sdist; return (ok, seconds, notes)."""
    work = args.work
    py = str(venv / "bin" / "python")
    notes = []
    sdist = find_sdist(work, pkg)
    root = work / f"build-{flavor}"
    root.mkdir(exist_ok=True)
    tree = root / sdist.name[:-7]
    if tree.exists():
        shutil.rmtree(tree)
    with tarfile.open(sdist) as tf:
        tf.extractall(root, filter="data") if hasattr(tarfile, "data_filter") else tf.extractall(root)
    logpath = logdir / f"{pkg['name']}-build.log"
    want = cffi_version(py)
    with open(logpath, "w") as log:
        if pkg.get("prebuild"):
            try:
                PREBUILD[pkg["prebuild"]](tree, venv, flavor, log)
            except Exception as e:  # noqa: BLE001 - report any hook failure
                return False, 0.0, [f"prebuild failed: {e}"]
        cmd = [py, "-m", "pip", "install", "-v", "--no-build-isolation", "--no-deps",
               "--no-binary", ":all:", "--find-links", str(work / "wheelhouse"),
               *pkg.get("pip_args", []), str(tree)]
        t0 = time.monotonic()
        env = offline_env(work, pkg.get("env"))
        env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"  # cmake, ninja wheels
        rc = run(cmd, log=log, env=env, check=False)
        secs = time.monotonic() - t0
    text = logpath.read_text(errors="replace")
    ok = rc == 0
    if not ok:
        notes.append(f"build failed (see {logpath})")
    if list(tree.rglob(".eggs")):
        ok = False
        notes.append(".eggs/ appeared (setup_requires fetched)")
    if re.search(r"(Downloading|Collecting|Searching for) cffi\b", text):
        ok = False
        notes.append("a cffi download was attempted")
    if pkg.get("expect_log") and pkg["expect_log"] not in text:
        notes.append(f"log lacks {pkg['expect_log']!r}")
    got = cffi_version(py)
    if got != want:
        ok = False
        notes.append(f"cffi changed: {want} -> {got}")
    return ok, secs, notes


def parse_results(parser, text):
    """Return (passed, failed, skipped, set_of_failed_names)."""
    failed_names = set()
    p = f = s = 0
    if parser == "pytest":
        tail = text.strip().splitlines()[-1] if text.strip() else ""
        for n, what in re.findall(r"(\d+) (passed|failed|skipped|error|errors|xfailed|xpassed|deselected)", tail):
            n = int(n)
            if what == "passed" or what == "xfailed":
                p += n
            elif what in ("failed", "error", "errors", "xpassed"):
                f += n
            elif what == "skipped":
                s += n
        failed_names = set(re.findall(r"^(?:FAILED|ERROR) (\S+)", text, re.M))
    elif parser == "unittest":
        m = re.search(r"^Ran (\d+) tests?", text, re.M)
        total = int(m.group(1)) if m else 0
        m = re.search(r"^(?:FAILED|OK) ?\((.*)\)$", text, re.M)
        counts = dict(re.findall(r"(\w+)=(\d+)", m.group(1))) if m else {}
        f = int(counts.get("failures", 0)) + int(counts.get("errors", 0))
        s = int(counts.get("skipped", 0))
        p = total - f - s - int(counts.get("expected_failures", 0))
        failed_names = set(re.findall(r"^(?:FAIL|ERROR): (.+)$", text, re.M))
    elif parser == "chibitest":
        for m in re.finditer(r"^(\d+) passed; (\d+) failed\.$", text, re.M):
            p, f = p + int(m.group(1)), f + int(m.group(2))
        failed_names = set(re.findall(r"^(\S+) \.\.\. (?:FAILED|ERROR)", text, re.M))
    else:  # plain: "N passed, N failed"
        m = re.search(r"^(\d+) passed, (\d+) failed", text, re.M)
        if m:
            p, f = int(m.group(1)), int(m.group(2))
        failed_names = set(re.findall(r"^FAIL: (\S+)", text, re.M))
    return p, f, s, failed_names


def test_one(args, flavor, venv, pkg, logdir):
    work = args.work
    py = str(venv / "bin" / "python")
    tree = work / f"build-{flavor}" / find_sdist(work, pkg).name[:-7]
    scratch = work / f"scratch-{flavor}" / pkg["name"]
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True)
    for t in pkg.get("tests", []):
        src = tree / t
        (shutil.copytree if src.is_dir() else shutil.copy)(src, scratch / t)
    cmd = [c.replace("{py}", py) for c in pkg["test_cmd"]]
    env = offline_env(work, pkg.get("test_env"))
    env.pop("PYTHONPATH", None)
    logpath = logdir / f"{pkg['name']}-test.log"
    with open(logpath, "w") as log:
        try:
            rc = run(cmd, log=log, env=env, cwd=scratch, check=False, timeout=args.test_timeout)
        except subprocess.TimeoutExpired:
            log.write("\nTIMEOUT\n")
            rc = -1
    text = logpath.read_text(errors="replace")
    p, f, s, names = parse_results(pkg["parser"], text)
    if rc != 0 and f == 0:
        f, names = 1, {f"<exit status {rc}>"}  # crash, import error, timeout...
    return p, f, s, names


def build_and_test(args, pkgs):
    flavor = "oracle" if args.oracle else "ours"
    work = args.work
    logdir = work / f"logs-{flavor}"
    logdir.mkdir(parents=True, exist_ok=True)
    venv = make_venv(args, flavor, pkgs)
    print(f"venv {venv}: cffi {cffi_version(str(venv / 'bin' / 'python'))}")
    results_path = work / f"results-{flavor}.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    for pkg in pkgs:
        print(f"--- {pkg['name']} {pkg['version']}: build", flush=True)
        ok, secs, notes = build_one(args, flavor, venv, pkg, logdir)
        r = dict(version=pkg["version"], feature=pkg["feature"], built=ok,
                 build_seconds=round(secs, 1), notes=notes,
                 passed=0, failed=0, skipped=0, failed_names=[])
        if ok:
            print(f"--- {pkg['name']}: tests", flush=True)
            p, f, s, names = test_one(args, flavor, venv, pkg, logdir)
            r.update(passed=p, failed=f, skipped=s, failed_names=sorted(names))
        results[pkg["name"]] = r
        results_path.write_text(json.dumps(results, indent=1))
    return flavor, results


def report(flavor, results, pkgs, work):
    oracle_path = work / "results-oracle.json"
    oracle = json.loads(oracle_path.read_text()) if flavor == "ours" and oracle_path.exists() else None
    rows = [("package", "version", "feature", "build s", "pass/fail/skip", "oracle p/f/s", "verdict")]
    bad = 0
    for pkg in pkgs:
        r = results[pkg["name"]]
        o = (oracle or {}).get(pkg["name"])
        new_failures = set(r["failed_names"]) - set(o["failed_names"] if o else [])
        verdict = "ok"
        if not r["built"] or any(".eggs" in n or "cffi changed" in n or "download" in n for n in r["notes"]):
            verdict = "BUILD FAILED"
        elif r["failed"] and (o is None or new_failures or r["failed"] > o["failed"]):
            verdict = "TESTS FAILED"
        if verdict != "ok":
            bad += 1
        rows.append((pkg["name"] + (" [ci]" if pkg.get("ci") else ""), pkg["version"],
                     pkg["feature"].split(";")[0], f"{r['build_seconds']:.0f}",
                     f"{r['passed']}/{r['failed']}/{r['skipped']}",
                     f"{o['passed']}/{o['failed']}/{o['skipped']}" if o else "-", verdict))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))
    for pkg in pkgs:
        r = results[pkg["name"]]
        for n in r["notes"]:
            print(f"note {pkg['name']}: {n}")
        for n in r["failed_names"][:20]:
            print(f"fail {pkg['name']}: {n}")
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel", type=Path, help="the cffi-py wheel to test")
    ap.add_argument("--work", type=Path, required=True, help="work directory")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="only these packages")
    ap.add_argument("--ci", action="store_true", help="only the packages marked ci")
    ap.add_argument("--oracle", action="store_true", help=f"use {ORACLE_REQ} from PyPI instead")
    ap.add_argument("--step", choices=["download", "build", "report", "all"], default="all",
                    help="report: print the table of the last build again")
    ap.add_argument("--python", default=sys.executable, help="interpreter for the venvs")
    ap.add_argument("--test-timeout", type=int, default=900)
    args = ap.parse_args()
    if not args.oracle and not args.wheel:
        ap.error("--wheel is required unless --oracle")
    args.work = args.work.resolve()
    if args.wheel:
        args.wheel = args.wheel.resolve()
    pkgs = [p for p in PACKAGES if (not args.only or p["name"] in args.only)
            and (not args.ci or p.get("ci"))]
    unknown = set(args.only or []) - {p["name"] for p in PACKAGES}
    if unknown:
        ap.error(f"unknown package(s): {', '.join(sorted(unknown))}")
    if args.step in ("download", "all"):
        download(args, pkgs)
    if args.step in ("build", "all"):
        flavor, results = build_and_test(args, pkgs)
        return 1 if report(flavor, results, pkgs, args.work) else 0
    if args.step == "report":
        flavor = "oracle" if args.oracle else "ours"
        results = json.loads((args.work / f"results-{flavor}.json").read_text())
        return 1 if report(flavor, results, [p for p in pkgs if p["name"] in results], args.work) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
