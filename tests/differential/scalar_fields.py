"""Number fields read and written through every kind of struct cdata
(issue #19's fast paths: plain integer, double and float fields go
straight to memory; anything unusual takes the general path). The same
script runs under the original cffi; the outputs must match.

Covers F-05.39 (struct cdata and pointers alike), F-05.40 (reads give
Python values), F-05.42 (writes convert the value), F-06.01 (integer
ranges).
"""

import os
import sys

import cffi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _probe import show  # noqa: E402

ffi = cffi.FFI()
ffi.cdef("""
    struct all {
        signed char sc; unsigned char uc; short s; unsigned short us;
        int i; unsigned int ui; long l; unsigned long ul;
        long long ll; unsigned long long ull; float f; double d;
        _Bool b; char c; int bits : 5;
    };
    struct small { int x; };
    struct big { int x, y, z; double w; struct small inner; };
""")
ffi2 = cffi.FFI()
ffi2.cdef("struct packed { char c; int i; double d; };", packed=True)

INTS = ["sc", "uc", "s", "us", "i", "ui", "l", "ul", "ll", "ull"]
p = ffi.new("struct all *")
for name in INTS:
    ct = ffi.typeof("struct all").fields[[f[0] for f in ffi.typeof("struct all").fields].index(name)][1].type
    size = ffi.sizeof(ct)
    signed = ffi.cast(ct, -1) < 0
    lo, hi = (-(1 << (8 * size - 1)), (1 << (8 * size - 1)) - 1) if signed else (0, (1 << (8 * size)) - 1)
    for v in (lo, hi, 0, 7, lo - 1, hi + 1, True, 2.5, "x", None):
        show("F-06.01 write %s = %r" % (name, v), lambda: (setattr(p, name, v), getattr(p, name))[1])
for name, v in [("f", 1.5), ("f", 3), ("f", 1e300), ("d", -2.25), ("d", 7), ("d", "x"),
                ("b", 1), ("b", 2), ("b", True), ("c", b"A"), ("c", 65), ("bits", 15), ("bits", 16),
                ("bits", 2**63), ("bits", 2**64 - 1)]:
    show("F-05.42 write %s = %r" % (name, v), lambda: (setattr(p, name, v), getattr(p, name))[1])

# Every kind of owner: Inline (small), Block (big), the owned record, a
# reference into an array, a cast pointer, a struct by value.
small = ffi.new("struct small *", [5])
big = ffi.new("struct big *", [1, 2, 3, 4.5, [6]])
arr = ffi.new("struct big[3]")
show("F-05.39 small pointer", lambda: (setattr(small, "x", 9), small.x, small[0].x)[1:])
show("F-05.39 big pointer", lambda: (setattr(big, "z", -3), big.z, big[0].z, big.w, big.inner.x)[1:])
show("F-05.39 nested", lambda: (setattr(big.inner, "x", 11), big.inner.x)[1])
show("F-05.39 array item", lambda: (setattr(arr[2], "y", 8), arr[2].y, arr[1].y)[1:])
show("F-05.39 struct by value", lambda: (setattr(big[0], "x", 42), big.x)[1])
cast = ffi.cast("struct big *", big)
show("F-05.39 cast pointer", lambda: (setattr(cast, "y", 13), cast.y, big.y)[1:])
show("F-05.39 explicit __setattr__", lambda: (big.__setattr__("x", 21), big.x)[1])
show("F-05.39 explicit __getattribute__", lambda: big.__getattribute__("x"))
show("F-05.46 del field", lambda: big.__delattr__("x"))
pk = ffi2.new("struct packed *", [b"a", 0x01020304, 1.25])
show("F-01.05 packed unaligned", lambda: (pk.i, pk.d, setattr(pk, "i", -5), pk.i, setattr(pk, "d", 9.5), pk.d))

# A NULL struct pointer's fields (the original crashes) and released
# memory (the original reads it) differ on purpose, docs/compat.md; ours
# are in tests/test_cdata.py.
show("F-05.43 unknown field", lambda: big.nope)
show("F-05.43 unknown write", lambda: setattr(big, "nope", 1))
