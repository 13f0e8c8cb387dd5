"""Differential tests: each script in tests/differential/ runs under
cffi-py and under the original cffi 2.0.0 (the `.oracle-venv` that
`cargo xtask oracle` creates; CI passes its interpreter in
CFFI_ORACLE_PYTHON), and both must print exactly the same lines.

The scripts print results and exception classes with messages, so any
difference in behaviour shows up as a diff.
"""

import glob
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = sorted(glob.glob(os.path.join(HERE, "differential", "[!_]*.py")))
ORACLE = os.environ.get("CFFI_ORACLE_PYTHON")


# Probes where cffi-py differs from cffi 2.0.0 on purpose (docs/compat.md
# says why: each is a SystemError or a crash in 2.0.0). The file holds the
# exact line cffi-py must print; the test also checks that cffi still prints
# something else, so a stale entry fails.
with open(os.path.join(HERE, "differential", "deliberate.txt")) as _f:
    DELIBERATE = {
        line.split(" -> ", 1)[0]: line.rstrip("\n")
        for line in _f
        if line.strip() and not line.startswith("#")
    }


def split_deliberate(ours, theirs):
    """Checks the deliberate probes of two outputs; returns both outputs
    without them, as lists of lines."""
    mine, reference = by_label(ours), by_label(theirs)
    for label, expected in DELIBERATE.items():
        if label in reference:
            assert mine.get(label) == expected, f"cffi-py: {mine.get(label)}\nexpected: {expected}"
            assert reference[label] != expected, f"cffi now agrees, drop it from deliberate.txt: {expected}"
    keep = lambda out: [l for l in out.splitlines() if l.split(" -> ", 1)[0] not in DELIBERATE]
    return keep(ours), keep(theirs)


def run(python, script):
    out = subprocess.run([python, script], capture_output=True, text=True, timeout=300)
    return out.returncode, out.stdout, out.stderr


def run_both(script):
    """(ours, theirs) as (returncode, stdout, stderr); the oracle must succeed."""
    ours = run(sys.executable, script)
    theirs = run(ORACLE, script)
    assert theirs[0] == 0, "the script fails under the original cffi:\n" + theirs[2]
    return ours, theirs


@pytest.mark.skipif(not ORACLE, reason="no oracle: run `cargo xtask oracle` and set CFFI_ORACLE_PYTHON")
@pytest.mark.parametrize("script", SCRIPTS, ids=[os.path.basename(s) for s in SCRIPTS])
def test_same_output_as_cffi(script):
    ours, theirs = run_both(script)
    assert ours[0] == 0, ours[2]
    mine, reference = split_deliberate(ours[1], theirs[1])
    assert mine == reference


# Scripts for features still being built (issue #5) live in
# differential/pending/. Each has a `.todo` file listing the labels of the
# probes that do not match cffi yet; every other probe must match, and a
# listed probe that starts matching must be removed from the list, so the
# list only shrinks. `UPDATE_TODO=1` rewrites the lists.
PENDING = sorted(glob.glob(os.path.join(HERE, "differential", "pending", "[!_]*.py")))


def by_label(output):
    lines = {}
    for line in output.splitlines():
        label = line.split(" -> ", 1)[0]
        lines[label] = line
    return lines


@pytest.mark.skipif(not ORACLE, reason="no oracle: run `cargo xtask oracle` and set CFFI_ORACLE_PYTHON")
@pytest.mark.parametrize("script", PENDING, ids=[os.path.basename(s) for s in PENDING])
def test_pending_probes_match_except_listed(script):
    ours, theirs = run_both(script)
    with open(script[:-3] + ".todo") as f:
        todo = {line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")}
    mine, reference = split_deliberate(ours[1], theirs[1])
    mine, reference = by_label("\n".join(mine)), by_label("\n".join(reference))
    differing = {label for label, line in reference.items() if mine.get(label) != line}
    if os.environ.get("UPDATE_TODO"):
        # Rewrites the list after a feature lands (review the diff: it must only shrink).
        with open(script[:-3] + ".todo", "w") as f:
            f.write("# Probes that do not match cffi 2.0.0 yet (issue #5); the list only shrinks.\n")
            f.writelines(label + "\n" for label in sorted(differing))
        return
    unexpected = sorted(differing - todo)
    assert not unexpected, "probes that differ from cffi:\n" + "\n".join(
        f"  cffi:    {reference[l]}\n  cffi-py: {mine.get(l, '(missing)')}" for l in unexpected
    )
    fixed = sorted(todo - differing)
    assert not fixed, "these probes match now; remove them from the .todo file:\n" + "\n".join(fixed)


# Scripts that drive the C test library (tests/c/testlib.c, built by the
# `testlib_path` fixture); its path is passed in $CFFIPY_TESTLIB.
WITH_LIB = sorted(glob.glob(os.path.join(HERE, "differential", "with_lib", "[!_]*.py")))


@pytest.mark.skipif(not ORACLE, reason="no oracle: run `cargo xtask oracle` and set CFFI_ORACLE_PYTHON")
@pytest.mark.parametrize("script", WITH_LIB, ids=[os.path.basename(s) for s in WITH_LIB])
def test_same_output_as_cffi_with_testlib(script, testlib_path, monkeypatch):
    monkeypatch.setenv("CFFIPY_TESTLIB", testlib_path)
    ours, theirs = run_both(script)
    assert ours[0] == 0, ours[2]
    mine, reference = split_deliberate(ours[1], theirs[1])
    assert mine == reference
