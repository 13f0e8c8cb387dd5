"""Struct and union field access through struct cdata and pointers.

Covers F-05.39 .. F-05.49 (field read/write, nested struct references,
array fields, flexible array members, unknown fields, opaque pointers,
attributes on non-struct cdata, del, bit fields, unions and anonymous
members, dir()), F-03.76 / F-03.77 (offsetof), F-03.78 / F-03.79
(addressof with fields and indexes), F-06.25 / F-06.27 (struct writes and
struct references).

Addresses are printed as 0xADDR and results through ascii().
"""

import os
import sys

import cffi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _probe import norm, show  # noqa: E402

ffi = cffi.FFI()
ffi.cdef("""
    struct pt { int x, y; };
    struct shape {
        char tag;
        short vals[4];
        struct pt origin;
        struct pt *next;
        double weight;
        char name[8];
        struct pt corners[2];
        unsigned char raw[3];
    };
    union u { int i; unsigned int u; float f; unsigned char bytes[4]; };
    struct anon {
        int kind;
        union { int ival; double dval; };
        struct { short lo, hi; };
    };
    struct bits {
        int s3 : 3;
        unsigned int u3 : 3;
        int s1 : 1;
        unsigned int u1 : 1;
        signed char sc : 4;
        unsigned long long big : 40;
        int : 0;
        int after;
    };
    struct flex { int n; short data[]; };
    struct zero { int n; int z[0]; };
    struct opaque;
    typedef struct { int a; char b; } tdef_t;
""")


def setf(obj, name, value):
    """Assign obj.name = value and return the value read back."""
    setattr(obj, name, value)
    return getattr(obj, name)


p = ffi.new("struct shape *")
s = p[0]

# --- F-05.39 / F-05.40: reading ---------------------------------------------
show("F-05.39 p.tag", lambda: p.tag)
show("F-05.39 s.tag", lambda: s.tag)
show("F-05.39 p.weight", lambda: p.weight)
show("F-05.40 p.vals", lambda: p.vals)
show("F-05.40 typeof p.vals", lambda: ffi.typeof(p.vals))
show("F-05.40 list p.vals", lambda: list(p.vals))
show("F-05.40 p.origin", lambda: p.origin)
show("F-05.40 s.origin", lambda: s.origin)
show("F-05.40 typeof p.origin", lambda: ffi.typeof(p.origin))
show("F-05.40 p.next", lambda: p.next)
show("F-05.40 p.name", lambda: p.name)
show("F-05.40 p.corners", lambda: p.corners)
show("F-05.40 p.corners[1]", lambda: p.corners[1])
show("F-05.40 p.raw", lambda: list(p.raw))
show("F-05.40 origin addr", lambda: ffi.addressof(p.origin) == ffi.addressof(p[0], "origin"))

# --- F-05.42: writing scalars and conversions -------------------------------
show("F-05.42 p.tag = b'Z'", lambda: setf(p, "tag", b"Z"))
show("F-05.42 s.tag = b'Y'", lambda: setf(s, "tag", b"Y"))
show("F-05.42 p.tag read via p[0]", lambda: p[0].tag)
show("F-05.42 p.tag = 90", lambda: setf(p, "tag", 90))
show("F-05.42 p.tag = 'Z'", lambda: setf(p, "tag", "Z"))
show("F-05.42 p.tag = b''", lambda: setf(p, "tag", b""))
show("F-05.42 p.weight = 2", lambda: setf(p, "weight", 2))
show("F-05.42 p.weight = 0.5", lambda: setf(p, "weight", 0.5))
show("F-05.42 p.weight = '1'", lambda: setf(p, "weight", "1"))
show("F-05.42 p.weight = None", lambda: setf(p, "weight", None))
show("F-05.42 p.weight = int cdata", lambda: setf(p, "weight", ffi.cast("int", 3)))
show("F-05.42 p.weight = double cdata", lambda: setf(p, "weight", ffi.cast("double", 3.25)))
show("F-05.42 p.origin.x = 5", lambda: setf(p.origin, "x", 5))
show("F-05.42 p.origin.x via s", lambda: s.origin.x)
show("F-05.42 p.origin.y = 2**31", lambda: setf(p.origin, "y", 2**31))
show("F-05.42 p.origin.y = -2**31", lambda: setf(p.origin, "y", -2**31))
show("F-05.42 p.origin.y = 1.5", lambda: setf(p.origin, "y", 1.5))
show("F-05.42 p.raw[0] = 255", lambda: (p.raw.__setitem__(0, 255), p.raw[0])[1])
show("F-05.42 p.raw[0] = 256", lambda: p.raw.__setitem__(0, 256))
show("F-05.42 p.raw[0] = -1", lambda: p.raw.__setitem__(0, -1))

# --- F-06.25: writing a struct field ------------------------------------------
show("F-06.25 p.origin = [1, 2]", lambda: (setattr(p, "origin", [1, 2]), (p.origin.x, p.origin.y))[1])
show("F-06.25 p.origin = {'y': 7}", lambda: (setattr(p, "origin", {"y": 7}), (p.origin.x, p.origin.y))[1])
show("F-06.25 p.origin = (9,)", lambda: (setattr(p, "origin", (9,)), (p.origin.x, p.origin.y))[1])
show("F-06.25 p.origin = pt cdata", lambda: (setattr(p, "origin", ffi.new("struct pt *", [3, 4])[0]), (p.origin.x, p.origin.y))[1])
show("F-06.25 p.origin = pt*", lambda: setf(p, "origin", ffi.new("struct pt *")))
show("F-06.25 p.origin = 5", lambda: setf(p, "origin", 5))
show("F-06.25 p.origin = [1,2,3]", lambda: setf(p, "origin", [1, 2, 3]))
show("F-06.25 p.origin = {'z': 1}", lambda: setf(p, "origin", {"z": 1}))
show("F-06.25 p.origin = shape", lambda: setf(p, "origin", s))


def whole_struct_copy():
    a = ffi.new("struct pt *", [1, 2])
    b = ffi.new("struct pt *", [8, 9])
    a[0] = b[0]
    b.x = 100
    return a.x, a.y, b.x


show("F-06.25 a[0] = b[0] copies", whole_struct_copy)


def view_writes_through():
    q = ffi.new("struct shape *")
    o = q.origin
    o.x = 11
    c = q.corners[1]
    c.y = 22
    return q.origin.x, q.corners[1].y


show("F-06.27 views write through", view_writes_through)

# --- pointer fields ----------------------------------------------------------
target = ffi.new("struct pt *", [5, 6])
show("F-06.16 p.next = target", lambda: setf(p, "next", target) == target)
show("F-06.16 p.next.y", lambda: p.next.y)
show("F-06.16 p.next[0].x", lambda: p.next[0].x)
show("F-06.16 p.next = NULL", lambda: setf(p, "next", ffi.NULL))
show("F-06.16 p.next = None", lambda: setf(p, "next", None))
show("F-06.16 p.next = 0", lambda: setf(p, "next", 0))
show("F-06.16 p.next = int*", lambda: setf(p, "next", ffi.new("int *")))
show("F-06.16 p.next = void*", lambda: setf(p, "next", ffi.cast("void *", target)) == target)
keep_pts = ffi.new("struct pt[2]")
show("F-06.16 p.next = struct pt[2]", lambda: setf(p, "next", keep_pts) == keep_pts)
show("F-06.16 p.next = struct value", lambda: setf(p, "next", target[0]))
show("F-06.16 p.next = NULL again", lambda: setf(p, "next", ffi.NULL))
# Not probed: reading a field through a NULL struct pointer (`p.next.x` with
# p.next == NULL, or `ffi.cast("struct pt *", 0).x`) crashes cffi 2.0.0 with
# a segmentation fault; only indexing (`p.next[0]`) checks for NULL.
show("F-05.28 NULL p.next[0]", lambda: p.next[0])

# --- array fields -------------------------------------------------------------
show("F-05.42 p.vals = [1, 2]", lambda: (setattr(p, "vals", [1, 2]), list(p.vals))[1])
show("F-05.42 p.vals = [9] prefix only", lambda: (setattr(p, "vals", [9]), list(p.vals))[1])
show("F-05.42 p.vals = (1,2,3,4)", lambda: (setattr(p, "vals", (1, 2, 3, 4)), list(p.vals))[1])
show("F-05.42 p.vals = 5 items", lambda: setf(p, "vals", [1, 2, 3, 4, 5]))
show("F-05.42 p.vals = 5", lambda: setf(p, "vals", 5))
show("F-05.42 p.vals = NULL", lambda: setf(p, "vals", ffi.NULL))
show("F-05.42 p.vals = short[4]", lambda: (setattr(p, "vals", ffi.new("short[4]", [4, 3, 2, 1])), list(p.vals))[1])
show("F-05.42 p.vals = int[4]", lambda: setf(p, "vals", ffi.new("int[4]")))
show("F-05.42 p.vals = bytes", lambda: setf(p, "vals", b"ab"))
show("F-05.42 p.vals[4]", lambda: p.vals[4])
show("F-05.42 p.name = b'abc'", lambda: (setattr(p, "name", b"abc"), ffi.string(p.name), list(p.name)[:5])[1:])
show("F-05.42 p.name = b'xy' keeps tail", lambda: (setattr(p, "name", b"xy"), list(p.name)[:5])[1])
show("F-05.42 p.name = 8 bytes", lambda: (setattr(p, "name", b"12345678"), ffi.string(p.name))[1])
show("F-05.42 p.name = 9 bytes", lambda: setf(p, "name", b"123456789"))
show("F-05.42 p.name = 'str'", lambda: setf(p, "name", "str"))
show("F-05.42 p.name = bytearray", lambda: setf(p, "name", bytearray(b"ab")))
show("F-05.42 p.name = [b'q']", lambda: (setattr(p, "name", [b"q"]), ffi.string(p.name))[1])
show("F-05.42 p.raw = b'\\x01\\x02'", lambda: (setattr(p, "raw", b"\x01\x02"), list(p.raw))[1])
show("F-05.42 p.corners = [[1,2],[3,4]]", lambda: (setattr(p, "corners", [[1, 2], [3, 4]]), [(c.x, c.y) for c in p.corners])[1])
show("F-05.42 p.corners = [{'y': 8}]", lambda: (setattr(p, "corners", [{"y": 8}]), [(c.x, c.y) for c in p.corners])[1])
show("F-05.42 p.corners[0] = (0, 0)", lambda: (p.corners.__setitem__(0, (0, 0)), p.corners[0].y)[1])

# --- F-05.41: flexible and zero-length array members ---------------------------
fx = ffi.new("struct flex *", [2, [7, 8, 9]])
show("F-05.41 fx.data owning", lambda: fx.data)
show("F-05.41 len fx.data", lambda: len(fx.data))
show("F-05.41 list fx.data", lambda: list(fx.data))
show("F-05.41 fx[0].data", lambda: fx[0].data)
show("F-05.41 cast fx data", lambda: ffi.cast("struct flex *", fx).data)
show("F-05.41 cast fx data[2]", lambda: ffi.cast("struct flex *", fx).data[2])
show("F-05.41 len cast fx data", lambda: len(ffi.cast("struct flex *", fx).data))
show("F-05.41 fx.data = [1, 2]", lambda: (setattr(fx, "data", [1, 2]), list(fx.data))[1])
show("F-05.41 fx.data = 3 items", lambda: (setattr(fx, "data", [4, 5, 6]), list(fx.data))[1])
# Not probed: `fx.data = [1, 2, 3, 4]` (more items than were allocated for
# the flexible member) is accepted by cffi 2.0.0 without any error and
# writes past the end of the allocation.
show("F-05.41 fx.data[3]", lambda: fx.data[3])
show("F-05.41 sizeof struct flex", lambda: ffi.sizeof("struct flex"))
show("F-05.41 sizeof fx[0]", lambda: ffi.sizeof(fx[0]))
zr = ffi.new("struct zero *", [1])
show("F-05.40 zero-length field", lambda: zr.z)
show("F-05.40 sizeof struct zero", lambda: ffi.sizeof("struct zero"))

# --- F-05.43 .. F-05.46: errors -------------------------------------------------
show("F-05.43 p.missing", lambda: p.missing)
show("F-05.43 s.missing", lambda: s.missing)
show("F-05.43 p.missing = 1", lambda: setattr(p, "missing", 1))
show("F-05.43 s.missing = 1", lambda: setattr(s, "missing", 1))
show("F-05.43 union missing", lambda: ffi.new("union u *").nope)
show("F-05.43 typedef missing", lambda: ffi.new("tdef_t *").c)
show("F-05.43 origin.z", lambda: p.origin.z)
op = ffi.cast("struct opaque *", target)
show("F-05.44 opaque read", lambda: op.x)
show("F-05.44 opaque write", lambda: setattr(op, "x", 1))
show("F-05.45 int.x", lambda: ffi.cast("int", 1).x)
show("F-05.45 int*.x", lambda: ffi.new("int *").x)
show("F-05.45 struct**.x", lambda: ffi.new("struct pt **").x)
show("F-05.45 struct pt[2].x", lambda: ffi.new("struct pt[2]").x)
show("F-05.45 int*.x = 1", lambda: setattr(ffi.new("int *"), "x", 1))
show("F-05.45 NULL.x", lambda: ffi.NULL.x)
show("F-05.46 del p.tag", lambda: delattr(p, "tag"))
show("F-05.46 del s.tag", lambda: delattr(s, "tag"))
show("F-05.46 del p.missing", lambda: delattr(p, "missing"))

# --- F-05.48: unions and anonymous members -------------------------------------
u = ffi.new("union u *")
show("F-05.48 u.i = -1 -> u.u", lambda: (setattr(u, "i", -1), u.u)[1])
show("F-05.48 u.bytes after -1", lambda: list(u.bytes))
show("F-05.48 u.f = 1.0 -> u.i", lambda: (setattr(u, "f", 1.0), u.i)[1])
show("F-05.48 u.bytes = [1]", lambda: (setattr(u, "bytes", [1]), u.i)[1])
show("F-05.48 union value repr", lambda: u[0])
show("F-05.48 sizeof union", lambda: ffi.sizeof(u[0]))
an = ffi.new("struct anon *", {"kind": 3, "dval": 2.5, "hi": -1})
show("F-05.48 anon kind", lambda: an.kind)
show("F-05.48 anon dval", lambda: an.dval)
show("F-05.48 anon hi", lambda: an.hi)
show("F-05.48 anon lo", lambda: an.lo)
show("F-05.48 anon ival = 7", lambda: (setattr(an, "ival", 7), an.ival)[1])
show("F-05.48 anon lo = 40000", lambda: setf(an, "lo", 40000))
show("F-05.48 anon fields", lambda: [n for n, f in ffi.typeof("struct anon").fields])

# --- F-05.47: bit fields ---------------------------------------------------------
b = ffi.new("struct bits *")
for name, values in [
    ("s3", [3, -4, 4, -5, 7]),
    ("u3", [7, 0, 8, -1]),
    ("s1", [0, -1, 1, 2, -2]),
    ("u1", [1, 2, True]),
    ("sc", [7, -8, 8, -9]),
    ("big", [2**40 - 1, 2**40, -1]),
]:
    for v in values:
        show("F-05.47 bits.%s = %r" % (name, v), lambda n=name, v=v: setf(b, n, v))
show("F-05.47 bits.s3 = 1.5", lambda: setf(b, "s3", 1.5))
show("F-05.47 bits.s3 = 2**70", lambda: setf(b, "s3", 2**70))
show("F-05.47 bits neighbours", lambda: (b.s3, b.u3, b.s1, b.u1, b.sc, b.big))


def bits_raw_sign_extension():
    q = ffi.new("struct bits *")
    ffi.buffer(q)[0:1] = b"\xff"
    return q.s3, q.u3, q.s1, q.u1


show("F-05.47 bits from raw 0xff", bits_raw_sign_extension)
show("F-05.47 bits after field", lambda: (setattr(b, "after", 123), b.after, ffi.offsetof("struct bits", "after"))[1:])
show("F-05.47 bits list init", lambda: (lambda q: (q.s3, q.u3, q.s1))(ffi.new("struct bits *", [-1, 5, -1])))
show("F-05.47 bits init overflow", lambda: ffi.new("struct bits *", [4]))
show("F-05.47 bits addressof", lambda: ffi.addressof(b[0], "s3"))

# --- F-05.49: dir() -----------------------------------------------------------------
show("F-05.49 dir p", lambda: dir(p))
show("F-05.49 dir s", lambda: dir(s))
show("F-05.49 dir anon", lambda: dir(an))
show("F-05.49 dir union", lambda: dir(u))
show("F-05.49 dir opaque", lambda: dir(op))
show("F-05.49 dir int", lambda: dir(ffi.cast("int", 1)))
show("F-05.49 dir struct**", lambda: dir(ffi.new("struct pt **")))

# --- F-03.76 / F-03.77: offsetof -------------------------------------------------------
show("F-03.76 offsetof tag", lambda: ffi.offsetof("struct shape", "tag"))
show("F-03.76 offsetof vals", lambda: ffi.offsetof("struct shape", "vals"))
show("F-03.76 offsetof origin", lambda: ffi.offsetof("struct shape", "origin"))
show("F-03.76 offsetof origin.y", lambda: ffi.offsetof("struct shape", "origin", "y"))
show("F-03.76 offsetof weight", lambda: ffi.offsetof("struct shape", "weight"))
show("F-03.76 offsetof corners 1 y", lambda: ffi.offsetof("struct shape", "corners", 1, "y"))
show("F-03.76 offsetof vals 3", lambda: ffi.offsetof("struct shape", "vals", 3))
show("F-03.76 offsetof vals -1", lambda: ffi.offsetof("struct shape", "vals", -1))
show("F-03.76 offsetof struct pt* y", lambda: ffi.offsetof("struct pt *", "y"))
show("F-03.76 offsetof anon hi", lambda: ffi.offsetof("struct anon", "hi"))
show("F-03.76 offsetof ctype", lambda: ffi.offsetof(ffi.typeof("struct pt"), "y"))
show("F-03.77 offsetof missing", lambda: ffi.offsetof("struct pt", "z"))
show("F-03.77 offsetof dotted", lambda: ffi.offsetof("struct shape", "origin.y"))
show("F-03.77 offsetof bitfield", lambda: ffi.offsetof("struct bits", "u3"))
show("F-03.77 offsetof opaque", lambda: ffi.offsetof("struct opaque", "x"))
show("F-03.77 offsetof no field", lambda: ffi.offsetof("struct pt"))
show("F-03.77 offsetof int", lambda: ffi.offsetof("int", "x"))
show("F-03.77 offsetof None", lambda: ffi.offsetof("struct pt", None))
show("F-03.77 offsetof cdata", lambda: ffi.offsetof(p, "tag"))

# --- F-03.78 / F-03.79: addressof --------------------------------------------------------
show("F-03.78 addressof s", lambda: ffi.addressof(s) == p)
show("F-03.78 addressof s type", lambda: ffi.typeof(ffi.addressof(s)))
show("F-03.78 addressof origin type", lambda: ffi.typeof(ffi.addressof(p.origin)))
show("F-03.78 addressof p", lambda: ffi.addressof(p))
show("F-03.78 addressof int", lambda: ffi.addressof(ffi.cast("int", 1)))
show("F-03.78 addressof 5", lambda: ffi.addressof(5))
show("F-03.78 addressof vals type", lambda: ffi.typeof(ffi.addressof(p.vals)))
show("F-03.79 addressof s 'weight' type", lambda: ffi.typeof(ffi.addressof(s, "weight")))
show("F-03.79 addressof p 'weight' offset",
     lambda: ffi.cast("char *", ffi.addressof(p, "weight")) - ffi.cast("char *", p))
show("F-03.79 addressof p 'origin' type", lambda: ffi.typeof(ffi.addressof(p, "origin")))
show("F-03.79 addressof p 'corners' 1", lambda: ffi.addressof(p, "corners", 1) == p.corners + 1)
show("F-03.79 addressof p 'corners' 1 'y'",
     lambda: ffi.cast("char *", ffi.addressof(p, "corners", 1, "y")) - ffi.cast("char *", p))
show("F-03.79 addressof p 1", lambda: ffi.addressof(p, 1) == p + 1)
show("F-03.79 addressof p 1 type", lambda: ffi.typeof(ffi.addressof(p, 1)))
show("F-03.79 addressof s 'missing'", lambda: ffi.addressof(s, "missing"))
show("F-03.79 addressof s 'u3' bitfield", lambda: ffi.addressof(b[0], "u3"))
show("F-03.79 addressof write through", lambda: (ffi.addressof(p, "weight").__setitem__(0, 6.5), p.weight)[1])
arr = ffi.new("int[10]")
show("F-03.79 addressof arr 3", lambda: ffi.addressof(arr, 3) == arr + 3)
show("F-03.79 addressof arr 3 type", lambda: ffi.typeof(ffi.addressof(arr, 3)))
show("F-03.79 addressof arr type", lambda: ffi.typeof(ffi.addressof(arr)))
show("F-03.79 addressof arr 'x'", lambda: ffi.addressof(arr, "x"))
