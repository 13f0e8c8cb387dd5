"""Out-of-line modules, run by `cargo xtask bench import` under cffi-py
and under the original cffi; prints one JSON object.

A module of 2,000 functions, 500 structs and 2,000 constants is generated
(set_source(name, None) + compile(), timed: `compile_ms`, generation only,
after cdef), then imported in fresh processes from its `.pyc`, as an
installed module is: `import_ms` (best of 7),
`first_call_us` (the first lookup and call of a function), `rss_kb`, the
resident memory the import adds to a process that already imported the
backend, and `ffi_ms`, the module's `_cffi_backend.FFI(...)` call alone.

With $CFFIPY_BENCH_API_IMPORT, a directory holding the API-mode module
`_bench_import_api` of the same declarations (bench/build_import_api.py,
built by the original cffi), its import is timed the same way, on the
backend this interpreter has: `api_import_ms`, `api_first_call_us`,
`api_rss_kb`.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import cffi

N_FUNCS, N_STRUCTS, N_CONSTS = 2000, 500, 2000


def cdef_text():
    lines = []
    for i in range(N_STRUCTS):
        lines.append("struct s%d { int a; double b; struct s%d *next; char name[16]; };" % (i, i))
    for i in range(N_FUNCS):
        lines.append("int f%d(int, struct s%d *, double);" % (i, i % N_STRUCTS))
    for i in range(N_CONSTS):
        lines.append("#define C%d %d" % (i, i))
    lines.append("int abs(int);")
    return "\n".join(lines)


# What both probes start with: the backend imported, and a measure of the
# resident memory, taken before the timed import.
PROBE_HEAD = r"""
import os, sys, time
import _cffi_backend
def rss_kb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
before = rss_kb()
t0 = time.perf_counter()
"""

PROBE = PROBE_HEAD + r"""
import _bench_import
t1 = time.perf_counter()
after = rss_kb()
lib = _bench_import.ffi.dlopen(None)
t2 = time.perf_counter()
lib.abs(-3)
t3 = time.perf_counter()
# The constructor alone (what a runtime controls), from the loaded code.
with open(_bench_import.__file__) as f:
    code = compile(f.read(), "_bench_import.py", "exec")
t4 = time.perf_counter()
exec(code, {})
t5 = time.perf_counter()
print((t1 - t0) * 1e3, (t3 - t2) * 1e6, after - before, (t5 - t4) * 1e3)
"""


API_PROBE = PROBE_HEAD + r"""
import _bench_import_api
t1 = time.perf_counter()
after = rss_kb()
t2 = time.perf_counter()
_bench_import_api.lib.f5(1, _bench_import_api.ffi.NULL, 2.0)
t3 = time.perf_counter()
print((t1 - t0) * 1e3, (t3 - t2) * 1e6, after - before)
"""


def api_rows():
    """The API-mode module's import, when one is given."""
    where = os.environ.get("CFFIPY_BENCH_API_IMPORT")
    if not where:
        return {}
    runs = []
    for _ in range(7):
        out = subprocess.run([sys.executable, "-c", API_PROBE], cwd=where, check=True,
                             capture_output=True, text=True).stdout.split()
        runs.append(tuple(float(x) for x in out))
    return {
        "api_import_ms": min(r[0] for r in runs),
        "api_first_call_us": min(r[1] for r in runs),
        "api_rss_kb": min(r[2] for r in runs),
    }


def main():
    builder = cffi.FFI()
    builder.cdef(cdef_text())
    builder.set_source("_bench_import", None)
    outdir = tempfile.mkdtemp()
    t0 = time.perf_counter()
    builder.compile(tmpdir=outdir)
    compile_ms = (time.perf_counter() - t0) * 1e3
    # One import compiles the .py to a .pyc; the timed ones read it, as an
    # installed package's imports do (whatever this shell says about
    # writing bytecode).
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-c", "import _bench_import"], cwd=outdir, check=True, env=env)
    runs = []
    for _ in range(7):
        out = subprocess.run([sys.executable, "-c", PROBE], cwd=outdir, check=True, env=env,
                             capture_output=True, text=True).stdout.split()
        runs.append(tuple(float(x) for x in out))
    print(json.dumps({
        "compile_ms": compile_ms,
        "import_ms": min(r[0] for r in runs),
        "first_call_us": min(r[1] for r in runs),
        "rss_kb": min(r[2] for r in runs),
        "ffi_ms": min(r[3] for r in runs),
        **api_rows(),
    }))


if __name__ == "__main__":
    main()
