"""Per-operation timings of the ffi object and cdata (issue #5), run by
`cargo xtask bench cdata` under cffi-py and under the original cffi; prints
one JSON object: `<row>_ns` for cffi, `<row>_ctypes_ns` for the nearest
ctypes equivalent where there is one, and `new_int_ptr_bytes` (memory per
`ffi.new("int *")` object, list slot included).

Each row is the best of several timeit repeats, in nanoseconds per
operation. The same statements run under both implementations.
"""

import ctypes
import gc
import json
import sys
import timeit

import cffi

ffi = cffi.FFI()
ffi.cdef("""
    struct point { int x, y; };
    struct big { int a[100]; double d[50]; char c[7]; struct point p[10]; };
""")


class POINT(ctypes.Structure):
    _fields_ = [("x", ctypes.c_int), ("y", ctypes.c_int)]


class BIG(ctypes.Structure):
    _fields_ = [("a", ctypes.c_int * 100), ("d", ctypes.c_double * 50),
                ("c", ctypes.c_char * 7), ("p", POINT * 10)]


p = ffi.new("struct point *", [1, 2])
cp = POINT(1, 2)
arr = ffi.new("int[1000]", list(range(1000)))
carr = (ctypes.c_int * 1000)(*range(1000))
s64 = ffi.new("char[]", b"x" * 64)
cs64 = ctypes.create_string_buffer(b"x" * 64)
page = ffi.new("char[4096]")
cpage = ctypes.create_string_buffer(4096)
cpage_addr = ctypes.addressof(cpage)
void_p = ffi.cast("void *", page)
cvoid_p = ctypes.c_void_p(cpage_addr)

ENV = dict(globals())

# (row, cffi statement, ctypes statement or None, iterations)
ROWS = [
    ("new_int_ptr", 'ffi.new("int *")', "ctypes.c_int()", 200_000),
    ("new_int_1000", 'ffi.new("int[1000]")', "(ctypes.c_int * 1000)()", 50_000),
    ("new_struct_point", 'ffi.new("struct point *", [1, 2])', "POINT(1, 2)", 200_000),
    ("field_read", "p.x", "cp.x", 500_000),
    ("field_write", "p.x = 5", "cp.x = 5", 500_000),
    ("item_read", "arr[5]", "carr[5]", 500_000),
    ("item_write", "arr[5] = 7", "carr[5] = 7", 500_000),
    ("cast_int", 'ffi.cast("int", 42)', "ctypes.c_int(42)", 200_000),
    ("cast_char_ptr", 'ffi.cast("char *", void_p)', "ctypes.cast(cvoid_p, ctypes.c_char_p)", 200_000),
    ("string_64", "ffi.string(s64)", "cs64.value", 200_000),
    ("buffer_bytes_4096", "bytes(ffi.buffer(page, 4096))", "ctypes.string_at(cpage_addr, 4096)", 100_000),
    ("from_buffer_4096", "ffi.from_buffer(bytearray(4096))", "(ctypes.c_char * 4096).from_buffer(bytearray(4096))", 100_000),
    ("unpack_int_1000", "ffi.unpack(arr, 1000)", "carr[:]", 20_000),
    ("iter_int_1000", "for _x in arr: pass", "for _x in carr: pass", 10_000),
    ("sizeof_struct_big", 'ffi.sizeof("struct big")', "ctypes.sizeof(BIG)", 500_000),
    ("typeof_point_ptr", 'ffi.typeof("struct point *")', "ctypes.POINTER(POINT)", 500_000),
]


def ns_per_op(stmt, number, repeat):
    timer = timeit.Timer(stmt, globals=ENV)
    return min(timer.repeat(repeat=repeat, number=number)) / number * 1e9


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def bytes_per_new_int_ptr(n=300_000):
    """RSS growth per live `ffi.new("int *")`, list slot included."""
    gc.collect()
    keep = [None] * n
    before = rss_bytes()
    for i in range(n):
        keep[i] = ffi.new("int *")
    after = rss_bytes()
    del keep
    return (after - before) / n


def main():
    quick = "--quick" in sys.argv
    scale = 20 if quick else 1
    repeat = 2 if quick else 7
    results = {
        "implementation": getattr(__import__("_cffi_backend"), "__implementation__",
                                  "cffi " + cffi.__version__),
    }
    results["new_int_ptr_bytes"] = bytes_per_new_int_ptr(300_000 // scale)
    for row, stmt, ctypes_stmt, number in ROWS:
        number = max(1, number // scale)
        results[row + "_ns"] = ns_per_op(stmt, number, repeat)
        if ctypes_stmt is not None:
            results[row + "_ctypes_ns"] = ns_per_op(ctypes_stmt, number, repeat)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
