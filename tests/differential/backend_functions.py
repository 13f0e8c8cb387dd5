"""The low-level `_cffi_backend` type constructors and their refusals
(F-10.14, F-10.15, F-10.24, F-10.26, F-07.08), as code written against
the backend directly uses them."""

import os
import sys

import _cffi_backend as b

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _probe import show  # noqa: E402

I = b.new_primitive_type("int")
IP = b.new_pointer_type(I)
show("F-10.14 new_pointer_type", lambda: IP)
show("F-10.14 new_pointer_type of non-ctype", lambda: b.new_pointer_type(5))
show("F-10.15 new_array_type", lambda: b.new_array_type(IP, 3))
show("F-10.15 new_array_type open", lambda: b.new_array_type(IP, None))
show("F-10.15 new_array_type of non-ctype", lambda: b.new_array_type(5, 3))
show("F-10.15 new_array_type float length", lambda: b.new_array_type(IP, 1.5))
show("F-10.15 new_array_type huge length", lambda: b.new_array_type(IP, 2**70))
show("F-10.15 new_array_type too large", lambda: b.new_array_type(IP, 2**62))
show("F-10.15 new_array_type negative", lambda: b.new_array_type(IP, -1))
show("F-10.24 new_function_type", lambda: b.new_function_type((I, IP), I))
show("F-10.24 new_function_type variadic", lambda: b.new_function_type((I,), I, 1))
show("F-10.24 new_function_type list", lambda: b.new_function_type([], I))
show("F-10.24 new_function_type bad result", lambda: b.new_function_type((), 5))
show("F-10.24 new_function_type bad argument", lambda: b.new_function_type((5,), I))
show("F-07.08 new_function_type void argument", lambda: b.new_function_type((b.new_void_type(),), I))
show("F-10.26 newp", lambda: b.newp(IP, 5)[0])
show("F-10.26 newp of a string", lambda: b.newp("int *"))
show("F-10.26 cast", lambda: b.cast(I, 7))
show("F-10.26 cast of a string", lambda: b.cast("int", 1))

# --- new_struct_type / complete_struct_or_union / new_enum_type ----------------
CHAR = b.new_primitive_type("char")
SHORT = b.new_primitive_type("short")
LONG = b.new_primitive_type("long")
DOUBLE = b.new_primitive_type("double")


def make_struct(name, fields, union=False, sflags=0, pack=0):
    t = (b.new_union_type if union else b.new_struct_type)(name)
    # Positional only: cffi takes no keywords here.
    b.complete_struct_or_union(t, fields, None, -1, -1, sflags, pack)
    return t


def describe(t):
    return (repr(t), b.sizeof(t), b.alignof(t),
            [(n, f.offset, f.bitshift, f.bitsize) for n, f in t.fields])


S = b.new_struct_type("struct foo")
show("F-10.17 new struct type", lambda: (repr(S), S.kind, S.fields))
show("F-10.17 sizeof incomplete", lambda: b.sizeof(S))
show("F-10.17 plain name", lambda: repr(b.new_struct_type("foo")))
show("F-10.17 new union type", lambda: repr(b.new_union_type("union u")))
show("F-10.17 not cached", lambda: b.new_struct_type("struct foo") is S)
b.complete_struct_or_union(S, [("a", CHAR, -1), ("b", LONG, -1), ("c", SHORT)])
show("F-10.18 completed", lambda: describe(S))
show("F-10.18 newp of it", lambda: (lambda p: (p.a, p.b, p.c))(b.newp(b.new_pointer_type(S), [b"x", 2, 3])))
show("F-10.18 union", lambda: describe(make_struct("union u2", [("i", I, -1), ("d", DOUBLE, -1)], union=True)))
show("F-10.18 bit fields", lambda: describe(make_struct("struct bits", [("a", CHAR), ("b1", I, 9), ("b2", b.new_primitive_type("unsigned int"), 7), ("c", CHAR)])))
show("F-10.18 anonymous member", lambda: describe(make_struct("struct outer", [
    ("x", I), ("", make_struct("struct $in", [("y", I), ("z", I)])), ("w", I)])))
show("F-10.19 duplicate field", lambda: make_struct("struct dup", [("a", I), ("a", I)]))
show("F-10.22 empty struct", lambda: describe(make_struct("struct empty", [])))
show("F-10.22 empty union", lambda: describe(make_struct("union uempty", [], union=True)))
show("F-10.23 open array last", lambda: describe(make_struct("struct flex", [("x", I), ("y", CHAR), ("z", b.new_array_type(b.new_pointer_type(CHAR), None))])))
show("F-10.20 packed flag", lambda: describe(make_struct("struct pk", [("c", CHAR), ("i", I)], sflags=8)))
show("F-10.20 pack=2", lambda: describe(make_struct("struct p2", [("c", CHAR), ("i", I)], pack=2)))

E = b.new_enum_type("enum e", ("A", "B", "C"), (0, 5, -1), I)
show("F-10.25 new_enum_type", lambda: (repr(E), E.kind, sorted(E.elements.items()), b.sizeof(E)))
show("F-10.25 cast to enum", lambda: repr(b.cast(E, 5)))
show("F-10.25 sizes differ", lambda: b.new_enum_type("enum f", ("A",), (0, 1), I))
show("F-10.25 non-str enumerator", lambda: b.new_enum_type("enum g", (1,), (0,), I))
show("F-10.25 non-integer base", lambda: b.new_enum_type("enum h", ("A",), (0,), DOUBLE))
show("F-10.25 value too big", lambda: b.new_enum_type("enum k", ("A",), (2**40,), I))


def with_totals(name, fields, totalsize=-1, totalalignment=-1):
    t = b.new_struct_type(name)
    b.complete_struct_or_union(t, fields, None, totalsize, totalalignment)
    return b.sizeof(t), b.alignof(t)


show("F-10.18 totalsize", lambda: with_totals("struct ta", [("x", I, -1)], 16))
show("F-10.18 totalalignment", lambda: with_totals("struct tb", [("x", I, -1)], -1, 8))
show("F-10.18 both", lambda: with_totals("struct tc", [("x", I, -1)], 12, 2))
show("F-10.19 totalsize too small", lambda: with_totals("struct td", [("x", I, -1), ("y", I, -1)], 4))
show("F-10.22 empty with size 0", lambda: with_totals("struct te", [], 0, 1))


def with_offsets(name, fields, totalsize=-1, totalalignment=-1):
    t = b.new_struct_type(name)
    b.complete_struct_or_union(t, fields, None, totalsize, totalalignment)
    return b.sizeof(t), b.alignof(t), [(n, f.offset) for n, f in t.fields]


show("F-10.18 explicit offsets", lambda: with_offsets("struct oa", [("a", CHAR, -1, 0), ("b", I, -1, 8), ("c", CHAR, -1, 4)], 12, 4))
show("F-10.18 explicit offsets, computed size", lambda: with_offsets("struct ob", [("a", CHAR, -1, 0), ("b", I, -1, 8)]))
show("F-10.19 bit field with a fixed offset", lambda: with_offsets("struct oc", [("a", I, 3, 4)]))

# Bit-field rules by sflags (F-10.20, F-10.21): 0x10 GCC x86, 0x02 GCC ARM, 0x01 MSVC.
UNSIGNED = b.new_primitive_type("unsigned int")
for rule, flag in [("gcc-x86", 0x10), ("gcc-arm", 0x02), ("msvc", 0x01)]:
    show("F-10.21 %s char/int:9/unsigned:7/char" % rule, lambda flag=flag: describe(make_struct(
        "struct r1", [("a", CHAR), ("b1", I, 9), ("b2", UNSIGNED, 7), ("c", CHAR)], sflags=flag)))
    show("F-10.21 %s char/short:9/char" % rule, lambda flag=flag: describe(make_struct(
        "struct r2", [("a", CHAR), ("", SHORT, 9), ("c", CHAR)], sflags=flag)))
    show("F-10.21 %s char/int:0/int:0/char" % rule, lambda flag=flag: describe(make_struct(
        "struct r3", [("a", CHAR), ("", I, 0), ("", I, 0), ("c", CHAR)], sflags=flag)))

# F-10.20: the byte-order flags (the host's changes nothing; the other
# numbers bit fields from the other end of their unit, cffi's overlapping
# reads included), unknown bits ignored, and SF_STD_FIELD_POS checking
# the given positions against the computed ones (ffi.error).
import _cffi_backend as _B  # noqa: E402

_int = _B.new_primitive_type("int")
_uchar = _B.new_primitive_type("unsigned char")
_short = _B.new_primitive_type("short")
_char = _B.new_primitive_type("char")


def byte_order(flags):
    S = _B.new_struct_type("struct bo%d" % flags)
    _B.complete_struct_or_union(
        S, [("a", _int, 3), ("b", _int, 5), ("c", _uchar, 2), ("d", _short, 9)], None, -1, -1, flags)
    p = _B.newp(_B.new_pointer_type(S), None)
    p.a, p.b, p.c, p.d = -2, 9, 3, -100
    fields = [(n, f.offset, f.bitshift, f.bitsize) for n, f in S.fields]
    return _B.sizeof(S), fields, (p.a, p.b, p.c, p.d), bytes(_B.buffer(p)).hex()


for _flags in [0x04, 0x14, 0x06, 0x05, 0x40, 0x100, 0x0C]:
    show("F-10.20 sflags %#x" % _flags, lambda: byte_order(_flags))


def positions(flags, fields, totalsize, totalalignment=-1):
    S = _B.new_struct_type("struct pos")
    _B.complete_struct_or_union(S, fields, None, totalsize, totalalignment, flags)
    return _B.sizeof(S), _B.alignof(S), [(n, f.offset) for n, f in S.fields]


_good = [("a", _char, -1, 0), ("b", _int, -1, 4)]
_moved = [("a", _char, -1, 0), ("b", _int, -1, 2)]
for _flags in [0x80, 0]:
    show("F-10.20 %#x matching offsets" % _flags, lambda: positions(_flags, _good, -1))
    show("F-10.20 %#x moved field" % _flags, lambda: positions(_flags, _moved, -1))
    show("F-10.20 %#x other size" % _flags, lambda: positions(_flags, _good, 12))
    show("F-10.20 %#x same size" % _flags, lambda: positions(_flags, _good, 8))
    show("F-10.20 %#x other alignment" % _flags, lambda: positions(_flags, _good, -1, 8))
