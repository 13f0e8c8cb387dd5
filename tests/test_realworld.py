"""Real-world cdefs parse: the declarations of three cffi-using packages,
taken from their sdists on PyPI at test time (nothing third-party is
committed). The parser sees exactly the text the package gives cffi.

Downloads are cached under target/realworld; without network access the
test is skipped, saying so.
"""

import os
import re
import subprocess
import sys
import tarfile

import pytest

import _cffi_backend

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(ROOT, "target", "realworld")


def sdist(name, version):
    os.makedirs(CACHE, exist_ok=True)
    wanted = ("%s-%s." % (name, version)).lower().replace("_", "-")

    def cached():
        return [f for f in os.listdir(CACHE) if f.lower().replace("_", "-").startswith(wanted)]

    found = cached()
    if not found:
        cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
               "%s==%s" % (name, version), "-d", CACHE]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=300)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
            pytest.skip("cannot download %s %s from PyPI: %s" % (name, version, getattr(e, "stderr", e)))
        found = cached()
    return tarfile.open(os.path.join(CACHE, found[0]))


def member_text(tar, suffix):
    for m in tar.getmembers():
        if m.name.endswith(suffix):
            return tar.extractfile(m).read().decode("utf-8")
    raise AssertionError("%s not in %s" % (suffix, tar.name))


def cairocffi_cdef():
    # cairocffi keeps its cdef in one raw string constant.
    src = member_text(sdist("cairocffi", "1.7.1"), "cairocffi/constants.py")
    return re.search(r'_CAIRO_HEADERS = r"""(.*?)"""', src, re.S).group(1)


def pynacl_cdef():
    # PyNaCl cdefs every header of src/bindings, one after the other.
    tar = sdist("PyNaCl", "1.5.0")
    headers = sorted(m.name for m in tar.getmembers() if re.search(r"src/bindings/[^/]+\.h$", m.name))
    return "\n".join(tar.extractfile(h).read().decode("utf-8") for h in headers)


def pygit2_cdef():
    # pygit2 cdefs decl/*.h in the order its build script lists.
    tar = sdist("pygit2", "1.14.1")
    run = member_text(tar, "pygit2/_run.py")
    order = re.findall(r"'(\w+\.h)'", run.split("h_files = [")[1].split("]")[0])
    return "\n".join(member_text(tar, "pygit2/decl/" + h) for h in order)


@pytest.mark.parametrize(
    "getter,at_least",
    [(cairocffi_cdef, 400), (pynacl_cdef, 200), (pygit2_cdef, 300)],
    ids=["cairocffi-1.7.1", "PyNaCl-1.5.0", "pygit2-1.14.1"],
)
def test_real_world_cdef_parses(getter, at_least):
    text = getter()
    count = _cffi_backend._parse_cdef(text)
    assert count >= at_least, count
