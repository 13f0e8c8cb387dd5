"""Per-call timings of the in-line ABI mode (issue #6), run by
`cargo xtask bench calls` under cffi-py and under the original cffi.
Prints one JSON object: `<row>_ns` (ABI mode: `ffi.dlopen()`),
`<row>_api_ns` (API mode, only where a compiled module is given) and
`<row>_ctypes_ns` (ctypes, where there is an equivalent).

$CFFIPY_BENCH_LIB is the compiled bench/calls.c; $CFFIPY_BENCH_API, if
set, is a directory holding the API-mode module `_bench_calls_api` built
from the same declarations (the original cffi builds it; cffi-py cannot
yet). Each row is the best of several timeit repeats, in ns per call.
"""

import ctypes
import json
import os
import sys
import timeit

import cffi

CDEF = """
    struct pt { int x, y; };
    int add(int a, int b);
    double mul_add(double a, double b, double c);
    int sum6(int a, int b, int c, int d, int e, int f);
    void *ret_ptr(void);
    struct pt move_pt(struct pt p, int d);
    void nothing(void);
    size_t strlen(const char *);
    void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
    int call_cb_once(int (*cb)(int), int x);
"""

ffi = cffi.FFI()
ffi.cdef(CDEF)
lib = ffi.dlopen(os.environ["CFFIPY_BENCH_LIB"])
libc = ffi.dlopen(None)
pt = ffi.new("struct pt *", [1, 2])[0]
SORT_INPUT = list(range(1000, 0, -1))


def sorter(some_ffi, some_lib, cdecl):
    """A function sorting 1000 ints with `qsort` and a Python comparator
    (the same under ABI and API mode; a compiled FFI's type parser takes
    no `const`, hence `cdecl`)."""
    ints = some_ffi.new("int[1000]")

    @some_ffi.callback(cdecl)
    def compare(a, b):
        x = some_ffi.cast("int *", a)[0]
        y = some_ffi.cast("int *", b)[0]
        return (x > y) - (x < y)

    def sort():
        ints[0:1000] = SORT_INPUT
        some_lib.qsort(ints, 1000, 4, compare)

    return sort


sort_abi = sorter(ffi, libc, "int(const void *, const void *)")


api = None
if os.environ.get("CFFIPY_BENCH_API"):
    sys.path.insert(0, os.environ["CFFIPY_BENCH_API"])
    from _bench_calls_api import ffi as api_ffi, lib as api  # noqa: E402

    api_pt = api_ffi.new("struct pt *", [1, 2])[0]
    sort_api = sorter(api_ffi, api, "int(void *, void *)")

    # `extern "Python"` (declared by bench/build_calls_api.py): C calls it
    # once per `api.call_py_once(x)`.
    @api_ffi.def_extern()
    def bench_py(x):
        return x


class CPT(ctypes.Structure):
    _fields_ = [("x", ctypes.c_int), ("y", ctypes.c_int)]


cl = ctypes.CDLL(os.environ["CFFIPY_BENCH_LIB"])
cl.add.argtypes = [ctypes.c_int, ctypes.c_int]
cl.add.restype = ctypes.c_int
cl.mul_add.argtypes = [ctypes.c_double] * 3
cl.mul_add.restype = ctypes.c_double
cl.sum6.argtypes = [ctypes.c_int] * 6
cl.sum6.restype = ctypes.c_int
cl.ret_ptr.restype = ctypes.c_void_p
cl.move_pt.argtypes = [CPT, ctypes.c_int]
cl.move_pt.restype = CPT
cl.nothing.restype = None
CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int)
c_identity = CB(lambda x: x)
cl.call_cb_once.argtypes = [CB, ctypes.c_int]
cl.call_cb_once.restype = ctypes.c_int
cstrlen = ctypes.CDLL(None).strlen
cstrlen.argtypes = [ctypes.c_char_p]
cstrlen.restype = ctypes.c_size_t
cqsort = ctypes.CDLL(None).qsort
CMP = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
c_ints = (ctypes.c_int * 1000)()
IntP = ctypes.POINTER(ctypes.c_int)


@CMP
def c_compare(a, b):
    x = ctypes.cast(a, IntP)[0]
    y = ctypes.cast(b, IntP)[0]
    return (x > y) - (x < y)


def sort_ctypes():
    c_ints[0:1000] = SORT_INPUT
    cqsort(c_ints, 1000, 4, c_compare)


cpt = CPT(1, 2)
add, mul_add, sum6, ret_ptr, move_pt, nothing, strlen, call_cb_once = (
    lib.add, lib.mul_add, lib.sum6, lib.ret_ptr, lib.move_pt, lib.nothing, libc.strlen, lib.call_cb_once)
identity = ffi.callback("int(int)", lambda x: x)
ENV = dict(globals())

# (row, ABI statement, API statement, ctypes statement, calls per timing)
ROWS = [
    ("add_int_int", "add(1, 2)", "api.add(1, 2)", "cl.add(1, 2)", 300_000),
    ("mul_add_3_doubles", "mul_add(1.5, 2.0, 0.5)", "api.mul_add(1.5, 2.0, 0.5)", "cl.mul_add(1.5, 2.0, 0.5)", 300_000),
    ("strlen_bytes", "strlen(b'hello, world')", "api.strlen(b'hello, world')", "cstrlen(b'hello, world')", 300_000),
    ("sum6_ints", "sum6(1, 2, 3, 4, 5, 6)", "api.sum6(1, 2, 3, 4, 5, 6)", "cl.sum6(1, 2, 3, 4, 5, 6)", 300_000),
    ("void_ptr_result", "ret_ptr()", "api.ret_ptr()", "cl.ret_ptr()", 300_000),
    ("struct_by_value", "move_pt(pt, 3)", "api.move_pt(api_pt, 3)", "cl.move_pt(cpt, 3)", 200_000),
    ("void_no_args", "nothing()", "api.nothing()", "cl.nothing()", 300_000),
    ("qsort_1000_callback", "sort_abi()", "sort_api()", "sort_ctypes()", 100),
    # C calling Python once: ffi.callback (ABI), extern "Python" (API).
    ("callback_once", "call_cb_once(identity, 1)", "api.call_py_once(1)", "cl.call_cb_once(c_identity, 1)", 100_000),
]


def ns_per_call(stmt, number, repeat):
    timer = timeit.Timer(stmt, globals=ENV)
    return min(timer.repeat(repeat=repeat, number=number)) / number * 1e9


def count_mode(row, kind, number):
    """Runs one row's statement `number` times and nothing else, for
    `cargo xtask bench calls --instructions`, which runs this under
    callgrind twice (N and 2N calls) and divides the difference of the
    instruction totals by N: start-up and set-up cancel out."""
    stmts = {r[0]: r[1:4] for r in ROWS}
    which = {"abi": 0, "api": 1, "ctypes": 2}[kind]
    stmt = stmts[row][which]
    if kind == "api" and api is None:
        raise SystemExit("the API module is not loaded ($CFFIPY_BENCH_API)")
    timeit.Timer(stmt, globals=ENV).timeit(number)


def main():
    if sys.argv[1:2] == ["--count"]:
        count_mode(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    quick = "--quick" in sys.argv
    scale = 20 if quick else 1
    repeat = 2 if quick else 7
    results = {}
    for row, abi, api_stmt, ctypes_stmt, number in ROWS:
        number = max(1, number // scale)
        results[row + "_ns"] = ns_per_call(abi, number, repeat)
        if api is not None:
            results[row + "_api_ns"] = ns_per_call(api_stmt, number, repeat)
        results[row + "_ctypes_ns"] = ns_per_call(ctypes_stmt, number, repeat)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
