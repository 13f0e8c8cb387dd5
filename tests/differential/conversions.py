"""Conversions between Python objects and C values (F-06.01 .. F-06.27).

Integers of every standard type at both ends of their range (F-06.01 ..
F-06.06), _Bool (F-06.04), char and the wide character types (F-06.07 ..
F-06.12), float/double/long double/complex (F-06.13 .. F-06.15), pointers
(F-06.16 .. F-06.20), arrays (F-06.21 .. F-06.24), structs (F-06.25 ..
F-06.27).  Each write goes through `ffi.new("T *", value)` or an item or
field assignment; reads go through `[0]` or a field.

The integer ranges below are those of x86-64 Linux (LP64, glibc).
Addresses are printed as 0xADDR and results through ascii().
"""

import os
import sys

import cffi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _probe import norm, show  # noqa: E402

ffi = cffi.FFI()
ffi.cdef("""
    enum color { RED, GREEN = 5, BLUE };
    enum neg { MINUS = -2, PLUS = 2 };
    enum wide { W0 = 0, WBIG = 0x80000000 };
    struct holder { enum color c; enum neg n; enum color arr[3]; _Bool flag; char ch; wchar_t wc; };
    struct pt { int x, y; };
    struct opaque;
""")
ffi2 = cffi.FFI()
ffi2.cdef("struct pt { int x, y; };")


def rt(ctype, value):
    """Write value into a fresh `ctype *` and read it back."""
    return lambda: ffi.new(ctype + " *", value)[0]


class HasInt:
    def __init__(self, v):
        self.v = v

    def __int__(self):
        return self.v


class HasIndex:
    def __index__(self):
        return 3


class HasFloat:
    def __float__(self):
        return 2.5


# --- F-06.02 / F-06.06: every integer type at both ends ----------------------
INT_TYPES = [
    ("signed char", 8, True), ("unsigned char", 8, False),
    ("short", 16, True), ("unsigned short", 16, False),
    ("int", 32, True), ("unsigned int", 32, False),
    ("long", 64, True), ("unsigned long", 64, False),
    ("long long", 64, True), ("unsigned long long", 64, False),
    ("int8_t", 8, True), ("uint8_t", 8, False),
    ("int16_t", 16, True), ("uint16_t", 16, False),
    ("int32_t", 32, True), ("uint32_t", 32, False),
    ("int64_t", 64, True), ("uint64_t", 64, False),
    ("int_least8_t", 8, True), ("uint_least32_t", 32, False),
    ("int_fast8_t", 8, True), ("uint_fast16_t", 64, False),
    ("intptr_t", 64, True), ("uintptr_t", 64, False),
    ("size_t", 64, False), ("ssize_t", 64, True), ("ptrdiff_t", 64, True),
    ("intmax_t", 64, True), ("uintmax_t", 64, False),
]
for name, bits, signed in INT_TYPES:
    lo, hi = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if signed else (0, 2 ** bits - 1)
    show("F-06.06 %s sizeof" % name, lambda n=name: ffi.sizeof(n))
    show("F-06.06 %s min" % name, rt(name, lo))
    show("F-06.06 %s max" % name, rt(name, hi))
    show("F-06.02 %s min-1" % name, rt(name, lo - 1))
    show("F-06.02 %s max+1" % name, rt(name, hi + 1))
show("F-06.02 int 2**64", rt("int", 2**64))
show("F-06.02 uint64 2**64", rt("uint64_t", 2**64))
show("F-06.02 int64 -2**64", rt("int64_t", -2**64))
show("F-06.02 uint64 -2**70", rt("uint64_t", -2**70))
show("F-06.02 int 2**100", rt("int", 2**100))
show("F-06.06 cast wraps", lambda: ffi.cast("uint16_t", 2**16 + 5))

# --- F-06.01: what is accepted as an integer ------------------------------------
show("F-06.01 int True", rt("int", True))
show("F-06.01 int __int__", rt("int", HasInt(17)))
show("F-06.01 int __int__ overflow", rt("short", HasInt(2**20)))
show("F-06.01 int __index__ only", rt("int", HasIndex()))
show("F-06.01 int 1.0", rt("int", 1.0))
show("F-06.01 int None", lambda: ffi.new("int[1]", [None]))
show("F-06.01 int '1'", rt("int", "1"))
show("F-06.01 int b'1'", rt("int", b"1"))
show("F-06.01 int [1]", rt("int", [1]))
show("F-06.01 int from int cdata", rt("int", ffi.cast("long", 42)))
show("F-06.01 int from char cdata", rt("int", ffi.cast("char", 65)))
show("F-06.01 int from enum cdata", rt("int", ffi.cast("enum color", 5)))
show("F-06.01 int from bool cdata", rt("int", ffi.cast("_Bool", 1)))
show("F-06.01 int from double cdata", rt("int", ffi.cast("double", 1.0)))
show("F-06.01 int from pointer", rt("long", ffi.cast("void *", 8)))
show("F-06.01 short from big cdata", rt("short", ffi.cast("long", 100000)))
show("F-06.01 uint from neg cdata", rt("unsigned int", ffi.cast("int", -1)))
show("F-06.03 read ulonglong type", lambda: type(ffi.new("unsigned long long *", 2**64 - 1)[0]).__name__)

# --- F-06.04: _Bool ----------------------------------------------------------------
for v in [0, 1, True, False, 2, -1, 1.0, b"\x01", None, HasInt(1), HasInt(2), ffi.cast("int", 1)]:
    show("F-06.04 _Bool %s" % norm(ascii(v)) if not isinstance(v, HasInt) else "F-06.04 _Bool HasInt(%d)" % v.v,
         rt("_Bool", v))


def bool_from_raw(byte):
    def probe():
        p = ffi.new("_Bool *")
        ffi.cast("unsigned char *", p)[0] = byte
        return p[0]
    return probe


show("F-06.04 _Bool raw 1", bool_from_raw(1))
show("F-06.04 _Bool raw 2", bool_from_raw(2))
show("F-06.04 _Bool raw 255", bool_from_raw(255))
show("F-06.04 _Bool cast 2 type", lambda: type(ffi.cast("_Bool", 2) == True).__name__)  # noqa: E712
show("F-06.04 _Bool[] from bytes 0/1", lambda: list(ffi.new("_Bool[]", b"\x00\x01")))
show("F-06.04 _Bool[] from bytes 2", lambda: ffi.new("_Bool[]", b"\x02"))
show("F-06.04 _Bool[] list 2", lambda: ffi.new("_Bool[]", [0, 2]))

# --- F-06.05: enums ---------------------------------------------------------------
h = ffi.new("struct holder *")
show("F-06.05 enum field default", lambda: h.c)
show("F-06.05 enum field = 5", lambda: (setattr(h, "c", 5), h.c)[1])
show("F-06.05 enum field type", lambda: type(h.c).__name__)
show("F-06.05 enum field = 99", lambda: (setattr(h, "c", 99), h.c)[1])
show("F-06.05 enum field = 'RED'", lambda: setattr(h, "c", "RED"))
show("F-06.05 enum field = -1", lambda: (setattr(h, "c", -1), h.c)[1])
show("F-06.05 enum field = 2**32", lambda: setattr(h, "c", 2**32))
show("F-06.05 enum field = enum cdata", lambda: (setattr(h, "c", ffi.cast("enum color", 6)), h.c)[1])
show("F-06.05 enum neg field = -2", lambda: (setattr(h, "n", -2), h.n)[1])
show("F-06.05 enum arr", lambda: (setattr(h, "arr", [0, 5, 6]), list(h.arr))[1])
show("F-06.05 enum arr item = 'BLUE'", lambda: h.arr.__setitem__(0, "BLUE"))
show("F-06.05 enum[] new", lambda: list(ffi.new("enum color[]", [6, 0])))
show("F-06.05 enum wide max", rt("enum wide", 2**32 - 1))
show("F-06.05 enum wide -1", rt("enum wide", -1))
show("F-06.05 enum wide sizeof", lambda: ffi.sizeof("enum wide"))
show("F-06.05 enum neg min", rt("enum neg", -2**31))
show("F-06.05 enum neg min-1", rt("enum neg", -2**31 - 1))
show("F-06.05 enum color max+1", rt("enum color", 2**32))

# --- F-06.07 / F-06.08: char --------------------------------------------------------
for v in [b"A", b"\x00", b"\xff", b"", b"AB", "A", 65, bytearray(b"A"), ffi.cast("char", 66),
          ffi.cast("unsigned char", 67), ffi.cast("int", 68), None]:
    show("F-06.07 char %s" % norm(ascii(v)), rt("char", v))
show("F-06.07 char field", lambda: (setattr(h, "ch", b"q"), h.ch)[1])
show("F-06.08 signed char b'A'", rt("signed char", b"A"))
show("F-06.08 unsigned char b'A'", rt("unsigned char", b"A"))
show("F-06.08 unsigned char 200", rt("unsigned char", 200))
show("F-06.08 signed char -100", rt("signed char", -100))
show("F-06.08 int(char 200)", lambda: int(ffi.cast("char", 200)))

# --- F-06.09 .. F-06.12: wide characters ---------------------------------------------
for ct in ["wchar_t", "char16_t", "char32_t"]:
    for v in ["A", "\u1234", "\U00012345", "\ud800", "ab", "", b"A", 65, None,
              ffi.cast("char16_t", 0x41), ffi.cast("char32_t", 0x42), ffi.cast("wchar_t", 0x43),
              ffi.cast("char", 0x44), ffi.cast("int", 0x45)]:
        show("F-06.09 %s %s" % (ct, norm(ascii(v))), rt(ct, v))
    show("F-06.11 %s signedness" % ct, lambda c=ct: int(ffi.cast(c, -1)))
    show("F-06.11 %s sizeof" % ct, lambda c=ct: ffi.sizeof(c))
show("F-06.09 wchar_t field", lambda: (setattr(h, "wc", "\u00e9"), h.wc)[1])
# (quirk) In cffi 2.0.0 on CPython 3.11 the next two reads and the repr of
# an out-of-range char32_t raise SystemError ("invalid maximum character
# passed to PyUnicode_New"), not the ValueError that F-06.12 describes;
# ffi.string() on the same data raises ValueError (see string_unpack_buffer).
show("F-06.12 char32_t 0x110000 repr", lambda: ffi.cast("char32_t", 0x110000))
show("F-06.12 char32_t 0x110000 read", lambda: ffi.new("char32_t[]", [ffi.cast("char32_t", 0x110000)])[0])
show("F-06.12 wchar_t -1 read", lambda: ffi.new("wchar_t[]", [ffi.cast("wchar_t", -1)])[0])
show("F-06.12 char32 0x10FFFF read", lambda: ffi.new("char32_t[]", [ffi.cast("char32_t", 0x10FFFF)])[0])
show("F-06.12 int(char32_t 0x110000)", lambda: int(ffi.cast("char32_t", 0x110000)))
show("F-06.12 int(wchar_t -1)", lambda: int(ffi.cast("wchar_t", -1)))
show("F-06.12 int(char16 0xffff)", lambda: int(ffi.cast("char16_t", 0xFFFF)))

# --- F-06.13 .. F-06.15: floating point ---------------------------------------------
BIG = 2**1024
for ct in ["float", "double"]:
    for v in [1, -2, 1.5, 0.1, 1e300, -1e300, BIG, 2**53 + 1, True, HasFloat(), "1.5", None,
              b"1", ffi.cast("double", 3.5), ffi.cast("float", 0.1), ffi.cast("int", 2),
              ffi.cast("long double", 1.25), float("nan"), float("-inf")]:
        vlabel = "2**1024" if v is BIG else norm(ascii(v))
        show("F-06.13 %s %s" % (ct, vlabel), rt(ct, v))
show("F-06.13 float type", lambda: type(ffi.new("float *", 1)[0]).__name__)
show("F-06.14 long double read", rt("long double", 1.5))
show("F-06.14 long double from int", rt("long double", 3))
show("F-06.14 long double from ld cdata", rt("long double", ffi.cast("long double", 2.5)))
show("F-06.14 long double from int cdata", rt("long double", ffi.cast("int", 3)))
show("F-06.14 long double from str", rt("long double", "1"))
show("F-06.14 float(long double)", lambda: float(ffi.new("long double *", 0.75)[0]))
show("F-06.14 long double[]", lambda: list(ffi.new("long double[]", [1, 2.5])))
show("F-06.15 double complex", rt("double _Complex", 1 + 2j))
show("F-06.15 float complex", rt("float _Complex", 0.1 + 0.5j))
show("F-06.15 double complex from int", rt("double _Complex", 3))
show("F-06.15 double complex from str", rt("double _Complex", "1+2j"))
show("F-06.15 double complex from cdata", rt("double _Complex", ffi.cast("double", 1.5)))
show("F-06.15 complex(int cdata)", lambda: complex(ffi.cast("int", 1)))

# --- F-06.16 .. F-06.20: pointers ------------------------------------------------------
def check_pointer(ptr_type, value):
    """Store value into a new `ptr_type` and tell whether it reads back equal."""
    item = ffi.new(ptr_type, value)[0]
    if isinstance(value, ffi.CData):
        return item == value
    return item


ip = ffi.new("int *", 5)
ia = ffi.new("int[3]", [1, 2, 3])
pt = ffi.new("struct pt *")
for target, value, label in [
    ("int **", ip, "int* from int*"),
    ("int **", ia, "int* from int[3]"),
    ("int **", ffi.NULL, "int* from NULL"),
    ("int **", None, "int* from None (no initializer)"),
    ("int **", 0, "int* from 0"),
    ("int **", ffi.cast("void *", ip), "int* from void*"),
    ("void **", ip, "void* from int*"),
    ("void **", pt, "void* from struct*"),
    ("void **", ia, "void* from int[3]"),
    ("int **", ffi.cast("long *", ip), "int* from long*"),
    ("int **", ffi.cast("unsigned int *", ip), "int* from uint*"),
    ("long **", ia, "long* from int[3]"),
    ("char **", ffi.cast("unsigned char *", ip), "char* from uchar*"),
    ("char **", ffi.cast("signed char *", ip), "char* from schar*"),
    ("char **", ffi.cast("_Bool *", ip), "char* from _Bool*"),
    ("unsigned char **", ffi.cast("char *", ip), "uchar* from char*"),
    ("_Bool **", ffi.cast("char *", ip), "_Bool* from char*"),
    ("char **", ip, "char* from int*"),
    ("int **", ffi.cast("char *", ip), "int* from char*"),
    ("unsigned char **", ffi.cast("signed char *", ip), "uchar* from schar*"),
    ("char **", b"abc", "char* from bytes"),
    ("char **", ffi.new("char[]", b"x"), "char* from char[]"),
    ("int **", ffi.cast("int", 5), "int* from int cdata"),
    ("int **", pt, "int* from struct pt*"),
    ("int **", pt[0], "int* from struct pt"),
    ("struct pt **", ffi2.new("struct pt *"), "struct pt* from other ffi"),
    ("int(**)(int)", ffi.cast("int(*)(int)", 0), "fnptr from fnptr"),
    ("int(**)(int)", ffi.cast("long(*)(int)", 0), "fnptr from other fnptr"),
    ("int(**)(int)", ffi.cast("void *", 0), "fnptr from void*"),
    ("void **", ffi.cast("int(*)(int)", 0), "void* from fnptr"),
    ("int ***", ffi.new("int *[1]"), "int** from int*[1]"),
    ("int ***", ffi.new("int[1][1]"), "int** from int[1][1]"),
    ("int(**)[3]", ffi.addressof(ia), "int(*)[3] from addressof"),
    ("int(**)[3]", ia, "int(*)[3] from int[3]"),
]:
    show("F-06.17 %s" % label, lambda t=target, v=value: check_pointer(t, v))
show("F-06.20 read pointer type", lambda: ffi.new("int **", ip)[0])
show("F-06.20 read NULL pointer", lambda: ffi.new("int **")[0])
show("F-06.20 read NULL is not None", lambda: ffi.new("int **")[0] is not None)
show("F-06.20 read ptr owns?", lambda: ffi.new("int **", ip)[0][0])

# --- F-06.21 .. F-06.24: arrays ---------------------------------------------------------
show("F-06.21 int[3] from list", lambda: list(ffi.new("int[3]", [1, 2])))
show("F-06.21 int[3] from tuple", lambda: list(ffi.new("int[3]", (1,))))
show("F-06.21 int[3] from range", lambda: ffi.new("int[3]", range(3)))
show("F-06.21 int[3] from generator", lambda: ffi.new("int[3]", (i for i in range(3))))
show("F-06.21 int[3] from set", lambda: ffi.new("int[3]", {1}))
show("F-06.21 int[3] from dict", lambda: ffi.new("int[3]", {0: 1}))
show("F-06.21 int[3] same type", lambda: list(ffi.new("int[3]", ia)))
show("F-06.21 char[4] bytes", lambda: ffi.string(ffi.new("char[4]", b"ab")))
show("F-06.21 uchar[] bytes", lambda: list(ffi.new("unsigned char[]", b"\x80")))
show("F-06.21 short[] bytes", lambda: ffi.new("short[]", b"ab"))
show("F-06.21 wchar_t[] str", lambda: list(ffi.new("wchar_t[]", "h\u00e9")))
show("F-06.21 char16_t[3] str pair", lambda: list(ffi.new("char16_t[3]", "\U00012345")))
show("F-06.21 char16_t[2] str pair", lambda: ffi.new("char16_t[2]", "\U00012345"))
show("F-06.21 char16_t[1] str pair", lambda: ffi.new("char16_t[1]", "\U00012345"))
show("F-06.21 char32_t[] lone surrogate", lambda: list(ffi.new("char32_t[]", "\ud800x")))
show("F-06.22 char[] bytearray", lambda: ffi.new("char[4]", bytearray(b"ab")))
show("F-06.23 char[] str", lambda: ffi.new("char[4]", "ab"))
show("F-06.23 wchar_t[] bytes", lambda: ffi.new("wchar_t[4]", b"ab"))
show("F-06.23 char[] list of ints", lambda: ffi.new("char[4]", [65]))
show("F-06.23 char[] list of bytes", lambda: ffi.string(ffi.new("char[4]", [b"A", b"B"])))
show("F-06.21 struct pt[] list", lambda: [(q.x, q.y) for q in ffi.new("struct pt[]", [[1, 2], (3,)])])
show("F-06.21 int*[] list", lambda: ffi.new("int *[]", [ip, ffi.NULL])[0] == ip)
show("F-06.21 int*[] None", lambda: ffi.new("int *[]", [None]))
show("F-06.24 open array field read", lambda: ffi.typeof(ffi.cast("int(*)[]", ia)[0]))

# --- F-06.25 .. F-06.27: structs ---------------------------------------------------------
show("F-06.25 struct from other ffi", lambda: ffi.new("struct pt *", ffi2.new("struct pt *")[0]))
opq = ffi.cast("struct opaque *", ia)
show("F-06.26 write opaque int", lambda: opq.__setitem__(0, 1))
show("F-06.26 write opaque list", lambda: opq.__setitem__(0, [1]))
show("F-06.26 write opaque from itself", lambda: opq.__setitem__(0, opq[0]))
show("F-06.26 opaque[0] read", lambda: opq[0])
show("F-06.26 typeof opaque[0]", lambda: ffi.typeof(opq[0]))
show("F-06.26 void* [0] read", lambda: ffi.cast("void *", ia)[0])
show("F-06.27 struct item ref", lambda: ffi.new("struct pt[1]")[0])
