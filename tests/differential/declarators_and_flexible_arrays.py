"""Two places where the original cffi's own test suite crashed cffi-py, and
their neighbourhoods: declarators whose type is a function typedef
(F-01.31: a function, not a variable, in every position), and `ffi.new()`
of structs whose flexible array member is reached through nested structs
(F-03.20, F-05.41: the allocation holds the items the initializer gives,
at any depth; `ffi.sizeof()` and `ffi.buffer()` of the result say so).
Also run under valgrind (`cargo xtask valgrind`), which catches a write
past the allocation.
"""

import math
import os
import sys
import warnings

import cffi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _probe import show  # noqa: E402

warnings.simplefilter("error")  # a warning about a missing `extern` fails a probe

ffi = cffi.FFI()
ffi.cdef("""
    typedef double func_t(double);
    typedef func_t func2_t;
    func_t sin;
    extern func2_t cos;
    double (*pick(int which))(double);
    struct ops { func_t *op; int n; };
""")
m = ffi.dlopen(None)
show("F-01.31 sin through a typedef", lambda: m.sin(1.23) == math.sin(1.23))
show("F-01.31 cos through a typedef chain", lambda: m.cos(0.5) == math.cos(0.5))
show("F-01.31 typeof", lambda: (ffi.typeof(m.sin).cname, ffi.typeof(m.cos).cname))
show("F-01.31 field of pointer-to-typedef type", lambda: ffi.typeof("struct ops").fields[0][1].type.cname)
show("F-01.31 function type by name", lambda: ffi.typeof("func_t"))
show("F-01.31 callback of the typedef", lambda: ffi.callback("func_t", lambda x: x * 2)(4.0))
show("F-01.31 dir", lambda: sorted(n for n in dir(m) if n in ("sin", "cos")))

ffi2 = cffi.FFI()
ffi2.cdef("""
    struct foo_s { int len[100]; short data[]; };
    struct bar_s { int abc[100]; struct foo_s tail; };
    struct baz_s { char c; struct bar_s inner; };
    struct one_s { long n; double d[]; };
""")


def nested(ctype, init):
    p = ffi2.new(ctype, init)
    return (ffi2.sizeof(p[0]), len(ffi2.buffer(p)), ffi2.sizeof(p))


for i in (0, 1, 7, 50, 300):
    items = [3, 4, 5, 6, 7, 8, 9] * i
    show("F-03.20 bar_s tail.data x%d" % i, lambda: nested("struct bar_s *", [[10], [[20], items]]))
    show("F-03.20 baz_s inner.tail.data x%d" % i,
         lambda: nested("struct baz_s *", [b"x", [[1], [[2], items]]]))
    show("F-03.20 dict bar_s x%d" % i,
         lambda: nested("struct bar_s *", {"tail": {"data": items}}))


def read_back():
    p = ffi2.new("struct baz_s *", [b"x", [[1], [[2], list(range(40))]]])
    data = p.inner.tail.data
    return (p.inner.tail.len[0], [data[k] for k in (0, 1, 38, 39)], ffi2.typeof(data).cname)


show("F-05.41 nested flexible items read back", read_back)
show("F-03.20 length as the member's initializer",
     lambda: nested("struct bar_s *", [[10], [[20], 25]]))
show("F-03.20 direct flexible member", lambda: nested("struct one_s *", [7, [1.5] * 9]))

# An integer sizes a flexible array member only inside a record's
# initializer; assigned to the member, it is refused (F-06.24).
ffi3 = cffi.FFI()
ffi3.cdef("struct one_s { long n; double d[]; }; struct w { int a; struct one_s o; };")
owned = ffi3.new("struct one_s *", [1, 5])
outer = ffi3.new("struct w *")


def assign(target, name, value):
    setattr(target, name, value)
    return "ok"


show("F-06.24 int to an owned flexible member", lambda: assign(owned, "d", 3))
show("F-06.24 int through a cast pointer", lambda: assign(ffi3.cast("struct one_s *", owned), "d", 3))
show("F-06.24 int to a nested flexible member", lambda: assign(outer.o, "d", 2))
show("F-06.24 record initializer sizing its member", lambda: assign(outer, "o", [1, 0]))

# Bit fields read as ints whatever their type; `wchar_t` ones are allowed
# (F-05.47).
ffi4 = cffi.FFI()
ffi4.cdef("struct bits { char b : 8; _Bool a : 1; wchar_t w : 16; int i : 3; };")
bits = ffi4.new("struct bits *")


def fill_bits():
    bits.b, bits.a, bits.w, bits.i = 5, 1, 65, -1
    return (bits.b, bits.a, bits.w, bits.i, ffi4.sizeof("struct bits"))


show("F-05.47 char, _Bool, wchar_t bit fields read as ints", fill_bits)
