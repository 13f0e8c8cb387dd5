"""The layout-dependent fast paths (`_cffi_backend._fast_paths()`: the
vectorcall entry of function cdata, the direct cdata allocators, the lib
and cdata attribute entries, the finalizer) are taken on every CPython the
abi3 wheel supports, not only the one it was built with (issue #19). The
built wheel is unpacked and imported by each interpreter found (pyenv's
3.12 and 3.13 here); one that is missing is skipped, saying so."""

import glob
import json
import os
import shutil
import subprocess
import zipfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SCRIPT = r"""
import json, cffi, _cffi_backend
ffi = cffi.FFI()
ffi.cdef("struct pt { int x, y; }; int abs(int);")
lib = ffi.dlopen(None)
assert lib.abs(-3) == 3
p = ffi.new("struct pt *", [1, 2])
p.x = 5
p.__setattr__("y", 7)  # the repointed wrapper
assert (p.x, p.y) == (5, 7)
q = ffi.gc(ffi.new("int *"), lambda _: None)
# The compact layout (object/layout.rs): every layout's word is safe to
# call through (3.12+ may hand subclasses the vectorcall flag), plain
# classes are untracked, the collected ones tracked, callbacks callable.
import gc, weakref
arr = ffi.new("int[10]")
objs = [ffi.cast("void *", 1), ffi.cast("int", 2), ffi.cast("long double", 3),
        ffi.new("int *"), ffi.new("int[]", 2), arr, arr[1:3], p, p[0], q,
        ffi.new_handle(ffi), ffi.from_buffer(bytearray(4))]
for o in objs:
    try:
        o(1, k=2)
    except TypeError as e:
        assert "not callable" in str(e), e
    else:
        raise AssertionError(o)
assert [gc.is_tracked(o) for o in objs] == [False] * 9 + [True] * 3
assert gc.is_tracked(q[0:1]) and type(q[0:1]).__name__ == "__CDataRef"
cb = ffi.callback("int(int)", lambda x: x + 1)
assert cb(2) == 3 and gc.is_tracked(cb)
refs = [weakref.ref(o) for o in objs]
del objs, o, arr, q
gc.collect()
assert [r() is not None for r in refs] == [False] * 7 + [True, True] + [False] * 3  # p and its struct
# ffi.buffer() through its constructor entry, and keywords the usual way.
chars = ffi.new("char[8]", b"abcdefg")
assert bytes(ffi.buffer(chars, 3)) == b"abc" and bytes(ffi.buffer(chars, size=2)) == b"ab"
assert len(ffi.buffer(chars)) == 8 and len(ffi.buffer(cdata=chars)) == 8
# ffi.cast() through its own method entry (keywords PyO3's way), items
# through the cdata classes' subscript entry.
assert ffi.cast("int", 7) == 7 and ffi.cast(cdecl="int", value=8) == 8
ints = ffi.new("int[3]", [4, 5, 6])
assert ints[2] == 6 and ffi.cast("int *", ints)[1] == 5 and ints[0:2][1] == 5
print(json.dumps(dict(_cffi_backend._fast_paths())))
"""


def interpreter(version):
    """A working python<version>: pyenv's, else one on PATH (a pyenv shim
    for a version not selected fails, so each candidate is tried)."""
    root = os.path.expanduser("~/.pyenv/versions")
    candidates = sorted(glob.glob(os.path.join(root, version + ".*", "bin", "python" + version)))
    candidates.append(shutil.which("python" + version))
    for path in filter(None, candidates):
        if subprocess.run([path, "-c", "pass"], capture_output=True).returncode == 0:
            return path
    return None


@pytest.mark.parametrize("version", ["3.12", "3.13"])
def test_fast_paths_hold_on_each_cpython(version, tmp_path):
    python = interpreter(version)
    if python is None:
        pytest.skip("no python%s on this machine" % version)
    wheels = sorted(glob.glob(os.path.join(ROOT, "target", "wheels", "cffi-*-abi3-*.whl")),
                    key=os.path.getmtime)
    if not wheels:
        pytest.skip("no built wheel in target/wheels (cargo xtask develop makes one)")
    with zipfile.ZipFile(wheels[-1]) as z:
        z.extractall(tmp_path)
    env = dict(os.environ, PYTHONPATH=str(tmp_path), PYTHONNOUSERSITE="1")
    out = subprocess.run([python, "-I", "-c", "import sys; sys.path.insert(0, %r)\n" % str(tmp_path) + SCRIPT],
                         capture_output=True, text=True, env=env, cwd=str(tmp_path))
    assert out.returncode == 0, out.stderr
    paths = json.loads(out.stdout.strip().splitlines()[-1])
    # The same paths as this interpreter knows (test_calls.py checks them
    # here), each taken.
    import _cffi_backend

    assert set(paths) == {name for name, _ in _cffi_backend._fast_paths()}
    assert all(taken is True for taken in paths.values()), paths
