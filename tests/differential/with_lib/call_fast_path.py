"""The edges of the call fast path (F-07.01, F-06.01..F-06.14): every
argument that is not the exact Python type a parameter's fast path takes
(int subclasses, objects with __index__ or __float__, ints for doubles,
floats for ints, out-of-range values, None, str, lists, wrong cdata) must
give what cffi gives, as must results of each simple kind, calls with the
wrong count or keywords, and function pointers from every source."""

import enum
import os
import sys

import cffi

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _probe import show  # noqa: E402

ffi = cffi.FFI()
ffi.cdef("""
    int id_int(int);
    unsigned int id_uint(unsigned int);
    signed char id_schar(signed char);
    unsigned long long id_ullong(unsigned long long);
    long long id_llong(long long);
    _Bool id_bool(_Bool);
    char id_char(char);
    float id_float(float);
    double id_double(double);
    double mix(signed char a, short b, int c, long d, float e, double f, unsigned long long g);
    void *pass_pointer(void *p);
    size_t count_bytes(const unsigned char *p);
    int first_byte(const char *p);
    int sum3(int a, int b, int c);
    int (*pick_sum3(void))(int, int, int);
    int call_binary(int (*f)(int, int, int), int x);
    const char *greeting(void);
""")
lib = ffi.dlopen(os.environ["CFFIPY_TESTLIB"])


class Color(enum.IntEnum):
    RED = 7


class Index:
    def __index__(self):
        return 42


class Floaty:
    def __float__(self):
        return 2.5


class MyInt(int):
    pass


class MyFloat(float):
    pass


# Integer parameters.
show("int from int", lambda: lib.id_int(-5))
show("int from True", lambda: lib.id_int(True))
show("int from IntEnum", lambda: lib.id_int(Color.RED))
show("int from int subclass", lambda: lib.id_int(MyInt(9)))
show("int from __index__", lambda: lib.id_int(Index()))
show("int from float", lambda: lib.id_int(1.5))
show("int from str", lambda: lib.id_int("1"))
show("int from None", lambda: lib.id_int(None))
show("int from bytes", lambda: lib.id_int(b"1"))
show("int from cdata int", lambda: lib.id_int(ffi.cast("int", 3)))
show("int overflow +", lambda: lib.id_int(2**31))
show("int overflow -", lambda: lib.id_int(-(2**31) - 1))
show("int limits", lambda: (lib.id_int(2**31 - 1), lib.id_int(-(2**31))))
show("int huge", lambda: lib.id_int(2**100))
show("uint negative", lambda: lib.id_uint(-1))
show("uint max", lambda: lib.id_uint(2**32 - 1))
show("uint overflow", lambda: lib.id_uint(2**32))
show("schar range", lambda: (lib.id_schar(-128), lib.id_schar(127)))
show("schar overflow", lambda: lib.id_schar(128))
show("ullong beyond i64", lambda: lib.id_ullong(2**64 - 1))
show("ullong overflow", lambda: lib.id_ullong(2**64))
show("ullong negative", lambda: lib.id_ullong(-1))
show("llong min", lambda: lib.id_llong(-(2**63)))
show("llong overflow", lambda: lib.id_llong(2**63))
show("bool from 2", lambda: lib.id_bool(2))
show("bool from True", lambda: lib.id_bool(True))
show("char from bytes", lambda: lib.id_char(b"x"))
show("char from int", lambda: lib.id_char(65))

# Floating parameters.
show("double from float", lambda: lib.id_double(0.1))
show("double from int", lambda: lib.id_double(3))
show("double from big int", lambda: lib.id_double(2**70))
show("double from float subclass", lambda: lib.id_double(MyFloat(1.25)))
show("double from __float__", lambda: lib.id_double(Floaty()))
show("double from str", lambda: lib.id_double("1.0"))
show("double from None", lambda: lib.id_double(None))
show("double from cdata", lambda: lib.id_double(ffi.cast("double", 4.5)))
show("double inf nan", lambda: (lib.id_double(float("inf")), str(lib.id_double(float("nan")))))
show("float rounding", lambda: lib.id_float(0.1))
show("float overflow", lambda: lib.id_float(1e300))
show("float from int", lambda: lib.id_float(7))
show("mixed registers", lambda: lib.mix(-1, -2, -3, -4, 0.5, 0.25, 2**64 - 1))
show("mixed with a bool", lambda: lib.mix(True, 2, 3, 4, 1, 2, 3))

# Pointer parameters.
buf = ffi.new("char[]", b"abc")
show("void * from cdata", lambda: lib.pass_pointer(buf) == ffi.cast("void *", buf))
show("void * from None", lambda: lib.pass_pointer(None))
show("void * from int", lambda: lib.pass_pointer(0))
show("void * from bytes", lambda: lib.pass_pointer(b"x") is not None)
show("void * from str", lambda: lib.pass_pointer("x"))
show("uchar * from bytes", lambda: lib.count_bytes(b"hello"))
show("uchar * from bytearray", lambda: lib.count_bytes(bytearray(b"hi")))
show("uchar * from char[] cdata", lambda: lib.count_bytes(buf))
show("char * from uchar[] cdata", lambda: lib.first_byte(ffi.new("unsigned char[]", b"z")))
show("char * from int * cdata", lambda: lib.first_byte(ffi.new("int *", 65)))
show("char * from list", lambda: lib.first_byte([b"q", b"\0"]))
show("char * from NULL", lambda: lib.pass_pointer(ffi.NULL))

# Results, counts, keywords, function pointers.
show("char * result", lambda: ffi.string(lib.greeting()))
show("void * result type", lambda: ffi.typeof(lib.pass_pointer(buf)))
show("too few", lambda: lib.sum3(1, 2))
show("too many", lambda: lib.sum3(1, 2, 3, 4))
show("keywords", lambda: lib.sum3(1, 2, c=3))
show("star args", lambda: lib.sum3(*[1, 2, 3]))
show("fnptr result call", lambda: lib.pick_sum3()(4, 5, 6))
show("fnptr cast call", lambda: ffi.cast("int(*)(int, int, int)", lib.pick_sum3())(1, 1, 1))
show("fnptr as argument", lambda: lib.call_binary(lib.pick_sum3(), 5))
show("fnptr wrong type", lambda: lib.call_binary(lib.id_int, 5))
show("null fnptr call", lambda: ffi.cast("int(*)(int)", 0)(1))
show("fnptr repr", lambda: repr(lib.sum3)[:22])
show("fnptr type name", lambda: type(lib.sum3).__name__)
show("fnptr isinstance", lambda: isinstance(lib.sum3, ffi.CData))

# str and bytes where a pointer goes: call arguments (the wording names
# what the parameter could take), casts, memory writes, callback results
# (a pointer into a bytes object would dangle: refused).
libc = ffi.dlopen(None)
ffi.cdef("""
    long long sum_ints(const int *p, long n);
    size_t wcslen(const wchar_t *);
    struct sv_i2 { int a, b; };
    int sum_points(const struct sv_i2 *p, int n);
""")
for label, call in [
    ("char *", lib.first_byte),
    ("void *", lib.pass_pointer),
    ("int *", lambda x: lib.sum_ints(x, 0)),
    ("wchar_t *", libc.wcslen),
    ("struct *", lambda x: lib.sum_points(x, 0)),
    ("fnptr", lambda x: lib.call_binary(x, 0)),
]:
    for arg in ["x", 5, 1.5, {}, b"ab", bytearray(b"a"), object()]:
        show("arg %s from %s" % (label, type(arg).__name__), lambda: call(arg))


def callback_result(ctype, value):
    seen = []

    def onerror(exc_type, exc, tb):
        seen.append("%s: %s" % (exc_type.__name__, exc))

    # A function returning `ctype` (for a function pointer, spelt inside).
    cdecl = ctype + "(void)" if "(" not in ctype else "int(*(void))(int)"
    cb = ffi.callback(cdecl, lambda: value, onerror=onerror)
    return (cb() == ffi.NULL, seen)


for ctype in ["int *", "void *", "char *", "unsigned char *", "int(*)(int)"]:
    for value in ["x", "xy", b"x", b"", 1.5, True, None]:
        show("cast %s from %r" % (ctype, value), lambda: ffi.cast(ctype, value) == ffi.NULL)
        show("result %s from %r" % (ctype, value), lambda: callback_result(ctype, value))
    cell = ffi.new(ctype.replace("*", "**") if "(" not in ctype else "int(**)(int)")
    for value in ["x", b"x"]:
        show("store %s from %r" % (ctype, value), lambda: cell.__setitem__(0, value))
