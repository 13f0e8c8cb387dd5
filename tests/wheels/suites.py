"""Run the test suites of PyPI packages whose binary wheels hold API-mode
cffi extension modules, against our `_cffi_backend`, and compare the
counts with those the original cffi 2.0.0 gave.

For each package: a venv in WORK/<pkg>/venv with our wheel and the
package's pinned binary wheels (installed with --no-deps, so the original
cffi never comes in), a check that `_cffi_backend` is ours, the tests
extracted from the package's sdist into WORK/<pkg>, and the suite run from
WORK/<pkg>, so the INSTALLED package is imported. Logs: WORK/<pkg>/log.txt.

    python tests/wheels/suites.py --wheel WHEEL [--work DIR] [--only PKG ...] [--quick]
"""

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PYENV_PYTHON = Path("/root/.pyenv/versions/3.11.7/bin/python")
DEFAULT_WORK = Path(__file__).resolve().parents[2] / "target" / "wheels-suites"
SUITE_TIMEOUT = 1800  # seconds, per run

PYTEST = ("pytest==9.2.0", "iniconfig==2.3.1", "packaging==26.4", "pluggy==1.7.0", "Pygments==2.21.0")
HYPOTHESIS = ("hypothesis==6.170.27", "sortedcontainers==2.4.0")
PYTEST_ARGS = ("-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs")

# cryptography 41.0.7's [tool.pytest.ini_options], minus --capture=no.
CRYPTOGRAPHY_INI = """\
[pytest]
addopts = -r s --strict-markers --benchmark-disable -p no:cacheprovider
markers =
    skip_fips: this test is not executed in FIPS mode
    supported: parametrized test requiring only_if and skip_message
"""


@dataclass(frozen=True)
class Run:
    """One test command and the summary the original cffi 2.0.0 gave."""

    args: tuple[str, ...]  # after `python`
    original: str  # as summarize() renders it
    label: str = ""  # "" for the main run, else a variant such as "slow"
    env: dict[str, str] = field(default_factory=dict)
    slow: bool = False  # skipped by --quick


@dataclass(frozen=True)
class Suite:
    """A package: what to install, where its tests come from, how to run them."""

    name: str
    wheels: tuple[str, ...]  # pinned packages and test deps, binary wheels only
    # (sdist requirement, path inside the sdist, destination under WORK/<pkg>)
    sources: tuple[tuple[str, str, str], ...]
    runs: tuple[Run, ...]
    files: dict[str, str] = field(default_factory=dict)  # written under WORK/<pkg>
    check: str = ""  # Python run in the venv (with the first run's env) before the tests


SUITES = (
    Suite(
        "argon2-cffi-bindings",
        ("argon2-cffi-bindings==26.2.0", "argon2-cffi==25.1.0", *PYTEST, *HYPOTHESIS),
        (
            ("argon2-cffi==25.1.0", "tests", "tests"),
            ("argon2-cffi-bindings==26.2.0", "tests", "tests-bindings"),
        ),
        (Run((*PYTEST_ARGS, "tests", "tests-bindings"), "79 passed"),),
    ),
    Suite(
        "bcrypt",
        ("bcrypt==3.2.2", *PYTEST),
        (("bcrypt==3.2.2", "tests", "tests"),),
        (Run((*PYTEST_ARGS, "tests"), "145 passed"),),
    ),
    Suite(
        "brotlicffi",
        ("brotlicffi==1.2.1.0", *PYTEST, *HYPOTHESIS),
        (
            ("brotlicffi==1.2.1.0", "test", "tests"),
            # test_compatibility.py reads it; conftest.py wants the test data next to it,
            # which only the Brotli sdist ships.
            ("brotlicffi==1.2.1.0", "libbrotli/c/common/version.h", "libbrotli/c/common/version.h"),
            ("brotli==1.2.0", "tests/testdata", "libbrotli/tests/testdata"),
        ),
        (Run((*PYTEST_ARGS, "tests"), "158 passed", slow=True),),
    ),
    Suite(
        "cmarkgfm",
        ("cmarkgfm==2025.10.22", *PYTEST),
        (("cmarkgfm==2025.10.22", "tests", "tests"),),
        (Run((*PYTEST_ARGS, "tests"), "11 passed"),),
    ),
    Suite(
        "cryptography",
        (
            "cryptography==41.0.7", "cryptography-vectors==41.0.7", "bcrypt==3.2.2", *PYTEST,
            "pytest-xdist==3.8.0", "execnet==2.1.2", "pytest-benchmark==5.3.1",
            "py-cpuinfo2==10.1.1", "pretend==1.0.9",
        ),
        (("cryptography==41.0.7", "tests", "tests"),),
        (Run(("-m", "pytest", "-n", "2", "-q", "tests"), "3024 passed, 44 skipped", slow=True),),
        files={"pytest.ini": CRYPTOGRAPHY_INI},
    ),
    Suite(
        "pygit2",
        ("pygit2==1.21.0", *PYTEST),
        (("pygit2==1.21.0", "test", "tests"),),
        (Run((*PYTEST_ARGS, "tests"), "647 passed, 35 skipped"),),
    ),
    Suite(
        "pymunk",
        ("pymunk==7.3.1", *PYTEST),
        (),  # the tests ship inside the wheel
        (Run(("-m", "pymunk.tests"), "Ran 287, OK (skipped=2)"),),
    ),
    Suite(
        "pynacl",
        ("PyNaCl==1.6.2", *PYTEST, *HYPOTHESIS),
        (("PyNaCl==1.6.2", "tests", "tests"),),
        (Run((*PYTEST_ARGS, "tests"), "4661 passed, 10 skipped", slow=True),),
    ),
    Suite(
        "xattr",
        ("xattr==1.3.1", *PYTEST),
        (("xattr==1.3.1", "tests", "tests"),),
        (Run((*PYTEST_ARGS, "tests"), "15 passed, 6 skipped"),),
    ),
    Suite(
        "zstandard",
        ("zstandard==0.25.0", *PYTEST, *HYPOTHESIS),
        (("zstandard==0.25.0", "tests", "tests"),),
        (
            # Without the policy, zstandard uses its C extension and never touches cffi.
            Run((*PYTEST_ARGS, "tests"), "224 passed, 68 skipped",
                env={"PYTHON_ZSTANDARD_IMPORT_POLICY": "cffi"}),
            Run((*PYTEST_ARGS, "tests"), "266 passed, 26 skipped", label="slow",
                env={"PYTHON_ZSTANDARD_IMPORT_POLICY": "cffi", "ZSTD_SLOW_TESTS": "1"}, slow=True),
        ),
        check="import zstandard; assert zstandard.backend == 'cffi', zstandard.backend",
    ),
)


class SetupError(Exception):
    """A package could not be prepared; the message says why."""


def sh(*cmd, **kwargs):
    """Run a command, echoing it; raise SetupError if it fails."""
    print("   $", shlex.join(map(str, cmd)), flush=True)
    result = subprocess.run(cmd, **kwargs)
    if result.returncode != 0:
        raise SetupError(f"{Path(cmd[0]).name} exited with {result.returncode}")
    return result


def make_venv(suite, pkg_dir, wheel, cache):
    """Create or reuse the venv; (re)install our wheel and the pinned wheels. Return its python."""
    venv = pkg_dir / "venv"
    python = venv / "bin" / "python"
    if not python.exists():
        base = PYENV_PYTHON if PYENV_PYTHON.exists() else Path(sys.executable)
        sh(base, "-m", "venv", venv)
    pip = (python, "-m", "pip", "install", "-q", "--cache-dir", cache)
    sh(*pip, "--force-reinstall", "--no-deps", wheel)
    sh(*pip, "--only-binary", ":all:", "--no-deps", *suite.wheels)
    return python


def check_backend(python, suite):
    """Fail unless the venv imports our `_cffi_backend` (and passes the suite's own check)."""
    out = sh(python, "-c", "import _cffi_backend; print(_cffi_backend.__file__)",
             capture_output=True, text=True).stdout.strip()
    if Path(out).parent.parent.name != "site-packages" or Path(out).parent.name != "_cffi_backend":
        raise SetupError(f"_cffi_backend is not ours: {out}")
    if suite.check:
        sh(python, "-c", suite.check, env=os.environ | suite.runs[0].env)


def fetch_sdist(requirement, sdists, cache):
    """Download an sdist once into its own directory; return the archive's path."""
    dest = sdists / requirement
    if not any(dest.glob("*.tar.gz")):
        # pip prepares the sdist's metadata, so its build deps are installed: as
        # wheels, since `--no-binary :all:` would build them (cmake...) from source.
        project = requirement.split("==")[0]
        sh(sys.executable, "-m", "pip", "download", "-q", "--cache-dir", cache,
           "--no-binary", project, "--no-deps", "-d", dest, requirement)
    archives = list(dest.glob("*.tar.gz"))
    if len(archives) != 1:
        raise SetupError(f"expected one sdist in {dest}, found {archives}")
    return archives[0]


def extract(archive, inner, target):
    """Extract `inner` (a file or a directory) of the sdist to `target`, replacing it."""
    if target.is_dir():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        top = tar.getnames()[0].split("/")[0]
        prefix = f"{top}/{inner}"
        members = [m for m in tar.getmembers() if m.name == prefix or m.name.startswith(prefix + "/")]
        if not members:
            raise SetupError(f"{archive.name} has no {inner}")
        for member in members:
            member.name = target.name + member.name[len(prefix):]
            tar.extract(member, target.parent, filter="data")


def prepare_tests(suite, pkg_dir, sdists, cache):
    """Put the suite's test files and config files in pkg_dir."""
    for requirement, inner, dest in suite.sources:
        extract(fetch_sdist(requirement, sdists, cache), inner, pkg_dir / dest)
    for name, text in suite.files.items():
        (pkg_dir / name).write_text(text)


def summarize(log):
    """The final pytest counts ("3 passed, 1 skipped", no warnings) or unittest's
    "Ran N, OK (skipped=K)"; None if the log has neither."""
    tested = re.findall(r"^Ran (\d+) tests? in .*\n\n(OK|FAILED)(.*)$", log, re.M)
    if tested:
        count, verdict, detail = tested[-1]
        return f"Ran {count}, {verdict}{detail}"
    lines = re.findall(r"^=*\s*((?:\d+ \w+, )*\d+ \w+) in [\d.]+s", log, re.M)
    if lines:
        counts = [c for c in lines[-1].split(", ") if not c.split()[1].startswith("warning")]
        return ", ".join(counts)
    return None


def run_suite(python, pkg_dir, run):
    """Run one test command in pkg_dir; return (summary or failure, ok)."""
    log_path = pkg_dir / (f"log-{run.label}.txt" if run.label else "log.txt")
    env = os.environ | {"PYTHONDONTWRITEBYTECODE": "1"} | run.env
    with open(log_path, "w") as log:
        try:
            rc = subprocess.run((python, *run.args), cwd=pkg_dir, env=env, stdout=log,
                                stderr=subprocess.STDOUT, timeout=SUITE_TIMEOUT).returncode
        except subprocess.TimeoutExpired:
            return f"TIMEOUT after {SUITE_TIMEOUT} s", False
    if rc < 0:
        return f"CRASH (signal {-rc})", False
    summary = summarize(log_path.read_text(errors="replace"))
    if summary is None:
        return f"no summary (rc {rc})", False
    return summary, summary == run.original and rc == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", required=True, type=Path, help="our cffi-py wheel")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help=f"default {DEFAULT_WORK}")
    parser.add_argument("--only", nargs="+", metavar="PKG", choices=[s.name for s in SUITES])
    parser.add_argument("--quick", action="store_true", help="skip the slow suites")
    args = parser.parse_args()
    wheel = args.wheel.resolve(strict=True)
    work = args.work.resolve()
    cache, sdists = work / "pip-cache", work / "sdists"
    sdists.mkdir(parents=True, exist_ok=True)

    rows = []  # (name, original, ours, ok)
    for suite in SUITES:
        runs = [r for r in suite.runs if not (args.quick and r.slow)]
        if not runs or (args.only and suite.name not in args.only):
            continue
        print(f"== {suite.name}", flush=True)
        pkg_dir = work / suite.name
        pkg_dir.mkdir(exist_ok=True)
        try:
            python = make_venv(suite, pkg_dir, wheel, cache)
            check_backend(python, suite)
            prepare_tests(suite, pkg_dir, sdists, cache)
        except SetupError as e:
            print(f"!! {suite.name}: SETUP FAILED: {e}", file=sys.stderr, flush=True)
            rows += [(suite.name, r.original, f"SETUP FAILED: {e}", False) for r in runs]
            continue
        for run in runs:
            name = f"{suite.name} ({run.label})" if run.label else suite.name
            start = time.monotonic()
            ours, ok = run_suite(python, pkg_dir, run)
            print(f"   {name}: {ours} [{time.monotonic() - start:.0f} s]", flush=True)
            rows.append((name, run.original, ours, ok))

    header = ("package", "original cffi 2.0.0", "ours", "status")
    table = [header] + [(n, orig, ours, "OK" if ok else "DIFF") for n, orig, ours, ok in rows]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    print()
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    return 0 if rows and all(ok for *_, ok in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
