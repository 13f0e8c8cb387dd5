"""Instructions per operation for the rows of issue #19, counted under
callgrind by `cargo xtask bench ops`:

    python bench/ops.py --count ROW (cffi|limit|floor) N   # one row N times
    python bench/ops.py --rows                        # the rows, a line each
    python bench/ops.py                               # bytes per object (JSON)
    python bench/ops.py --memory KIND                 # one of those, alone

`cffi` runs the statement through whichever cffi is installed (ours or the
original); `floor` what the same work costs at least on this interpreter
(FLOORS); `limit` runs what the same work costs without an FFI layer: the
hand-written C extension of bench/limit.c (built by xtask, found through
CFFIPY_BENCH_LIMIT), `array.array`, `bytearray`, or ctypes for the
callback row. CFFIPY_BENCH_LIB is bench/calls.c compiled.
"""

import array
import ctypes
import gc
import json
import os
import sys

import cffi

ffi = cffi.FFI()
ffi.cdef("""
    struct pt { int x, y; };
    void *ret_ptr(void);
    struct pt move_pt(struct pt p, int d);
    void nothing(void);
    void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
""")
lib = ffi.dlopen(os.environ["CFFIPY_BENCH_LIB"])
libc = ffi.dlopen(None)
p = ffi.new("struct pt *", [1, 2])
pt = p[0]
a = ffi.new("int[1000]", list(range(1000)))
page = ffi.new("char[4096]")
ret_ptr, move_pt, nothing, qsort = lib.ret_ptr, lib.move_pt, lib.nothing, libc.qsort
f = lambda x: x  # noqa: E731


@ffi.callback("int(const void *, const void *)")
def compare(x, y):
    u = ffi.cast("int *", x)[0]
    v = ffi.cast("int *", y)[0]
    return (u > v) - (u < v)


ints = ffi.new("int[1000]", [(i * 7919) % 1000 for i in range(1000)])


def sort():
    qsort(ints, 1000, 4, compare)
    ints[0:1000] = [(i * 7919) % 1000 for i in range(1000)]


# The limits.
aa = array.array("i", range(1000))
mv = memoryview(bytearray(4096))
CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int)
if os.environ.get("CFFIPY_BENCH_LIMIT"):
    sys.path.insert(0, os.environ["CFFIPY_BENCH_LIMIT"])
    import _bench_limit

    lp = _bench_limit.Point()
    lp.x, lp.y = 1, 2
    lnoop, lget_ptr, lmove_pt = _bench_limit.noop, _bench_limit.get_ptr, _bench_limit.move_pt
    rnoop, rget_ptr, rmove_pt = (_bench_limit.noop_released, _bench_limit.get_ptr_released,
                                 _bench_limit.move_pt_released)


class Namespace:
    pass


# `ffi.buffer` as CPython's own exporter: an attribute of an object.
ns = Namespace()
ns.memoryview = memoryview
page_bytes = bytearray(4096)

# (row, statement, limit statement or None, items per statement, N)
ROWS = [
    ("field_read", "p.x", "lp.x", 1, 20_000),
    ("field_write", "p.x = 7", "lp.x = 7", 1, 20_000),
    ("struct_by_value", "move_pt(pt, 3)", "lmove_pt(lp)", 1, 20_000),
    ("callback_create_free", 'ffi.callback("int(int)", f)', "CB(f)", 1, 5_000),
    ("void_ptr_result", "ret_ptr()", "lget_ptr()", 1, 20_000),
    ("qsort_1000_callback", "sort()", None, 1, 4),
    ("iter_per_item", "for _x in a: pass", "for _x in aa: pass", 1000, 20),
    ("item_read", "a[500]", "aa[500]", 1, 20_000),
    ("item_write", "a[500] = 7", "aa[500] = 7", 1, 20_000),
    ("noop", "nothing()", "lnoop()", 1, 20_000),
    ("new_int_1000", 'ffi.new("int[1000]")', "bytearray(4000)", 1, 5_000),
    ("buffer_4096", "bytes(ffi.buffer(page, 4096))", "bytes(mv)", 1, 5_000),
]


# The floors: what the row's work costs at least on this interpreter, with
# what cffi's semantics add to the hand-written limit and nothing else —
# a C call with the GIL released around it, as every cffi call is; an
# exporter object made by an attribute call before bytes() copies from
# it. A goal below its floor cannot be met by any FFI.
FLOORS = {
    "noop": "rnoop()",
    "void_ptr_result": "rget_ptr()",
    "struct_by_value": "rmove_pt(lp)",
    "buffer_4096": "bytes(ns.memoryview(page_bytes))",
}


def count(row, kind, n):
    """Runs one row's statement n times in a loop, and nothing else."""
    if kind == "floor":
        stmt = FLOORS[row]
    else:
        stmt = {r[0]: (r[1] if kind == "cffi" else r[2]) for r in ROWS}[row]
    code = "def run(n):\n    for _ in range(n):\n        %s\n" % stmt
    env = dict(globals())
    exec(code, env)
    env["run"](n)


def rss():
    with open("/proc/self/statm") as fobj:
        return int(fobj.read().split()[1]) * 4096


MEMORY = {
    "new_int_ptr_bytes": lambda i: ffi.new("int *"),
    "cast_void_ptr_bytes": lambda i: ffi.cast("void *", i),
    "cast_int_bytes": lambda i: ffi.cast("int", i),
}


def per_object(make, n=300_000):
    """RSS growth per live object (the list is made first), after one
    object made and dropped (what the first call caches is not counted)."""
    make(0)
    gc.collect()
    keep = [None] * n
    before = rss()
    for i in range(n):
        keep[i] = make(i)
    return (rss() - before) / n


def main():
    if sys.argv[1:2] == ["--count"]:
        row, kind, n = sys.argv[2], sys.argv[3], int(sys.argv[4])
        count(row, kind, n)
    elif sys.argv[1:2] == ["--rows"]:
        # row, items per statement, N, whether it has a limit statement,
        # whether it has a floor
        for row, _, limit, items, n in ROWS:
            print(row, items, n, int(limit is not None), int(row in FLOORS))
    elif sys.argv[1:2] == ["--memory"]:
        print(per_object(MEMORY[sys.argv[2]]))
    else:
        # Each kind in a process of its own: memory freed by one
        # measurement would be reused by the next and flatter it.
        import subprocess
        out = {}
        for kind in MEMORY:
            run = subprocess.run([sys.executable, __file__, "--memory", kind],
                                 check=True, capture_output=True, text=True)
            out[kind] = float(run.stdout)
        print(json.dumps(out))

if __name__ == "__main__":
    main()
