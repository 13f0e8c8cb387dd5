"""Structs by value through dlopen() calls (issue #6, F-07.05): every
shape of tests/c/structs.h (1 to 64 bytes, int/float mixes, a long
double) as argument and result, alone and between scalars; nested structs
and arrays inside structs; unions, bit fields and packed structs refused
(F-07.06). The cdef is built from structs.h, so both stay in step."""

import os
import re
import sys

import cffi

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from _probe import norm, show  # noqa: E402

with open(os.path.join(HERE, "..", "..", "c", "structs.h")) as f:
    header = f.read()
shapes = {
    m.group(1): re.findall(r"F\(([^,]+), (\w)\)", m.group(2))
    for m in re.finditer(r"#define S_(\w+)\(F\) (.*)", header)
}

decls = []
for name, fields in shapes.items():
    body = " ".join("%s %s;" % (t, n) for t, n in fields)
    decls.append("struct sv_%s { %s };" % (name, body))
    decls.append("struct sv_%s echo_%s(struct sv_%s);" % (name, name, name))
    decls.append("double sum_%s(struct sv_%s);" % (name, name))
    decls.append("double mixed_%s(int, struct sv_%s, double, struct sv_%s);" % (name, name, name))
decls.append("""
    struct nested { struct sv_i2 p; double d; struct sv_c3 q; };
    struct nested echo_nested(struct nested);
    struct with_array { float v[3]; int n; };
    struct with_array echo_with_array(struct with_array);
""")
ffi = cffi.FFI()
ffi.cdef("\n".join(decls))
lib = ffi.dlopen(os.environ["CFFIPY_TESTLIB"])


def value(ctype, i):
    """A field value for field number i: small, exact in every type."""
    if ctype == "char":
        return bytes([65 + i])
    if ctype == "void *":
        return ffi.cast("void *", 4096 * (i + 1))
    return i + 2


def fields_of(s, fields):
    out = []
    for _, n in fields:
        v = getattr(s, n)
        out.append(norm(repr(v)) if isinstance(v, ffi.CData) else v)
    return out


for name, fields in shapes.items():
    init = [value(t, i) for i, (t, _) in enumerate(fields)]
    other = [value(t, i + 3) for i, (t, _) in enumerate(fields)]
    s = ffi.new("struct sv_%s *" % name, init)[0]
    show("F-07.05 echo %s" % name, lambda: fields_of(getattr(lib, "echo_" + name)(s), fields))
    show("F-07.05 echo %s repr" % name, lambda: norm(repr(getattr(lib, "echo_" + name)(s))))
    show("F-07.05 sum %s" % name, lambda: getattr(lib, "sum_" + name)(s))
    show("F-07.05 sum %s from list" % name, lambda: getattr(lib, "sum_" + name)(init))
    show("F-07.05 mixed %s" % name, lambda: getattr(lib, "mixed_" + name)(
        7, s, 0.5, ffi.new("struct sv_%s *" % name, other)[0]))

show("F-07.05 nested", lambda: (lambda r: (r.p.a, r.p.b, r.d, r.q.a, r.q.c))(
    lib.echo_nested({"p": [1, 2], "d": 2.5, "q": [b"x", b"y", b"z"]})))
show("F-07.05 array inside", lambda: (lambda r: (list(r.v), r.n))(lib.echo_with_array([[1.5, 2.5, 3], 0])))
show("F-07.05 wrong struct type", lambda: lib.sum_i2(ffi.new("struct sv_i3 *")[0]))
show("F-07.05 pointer for a struct", lambda: lib.sum_i2(ffi.new("struct sv_i2 *")))
show("F-07.05 too many initializers", lambda: lib.sum_i2([1, 2, 3]))

# Refused at call time (F-07.06): only the call fails, the type and the
# function object are fine.
rffi = cffi.FFI()
rffi.cdef("""
    union u { int a; float b; };
    struct bits { int a : 3; };
    union u get_union(void);
    int take_union(union u);
    struct bits get_bits(void);
    int take_bits(struct bits);
""")
rlib = rffi.dlopen(os.environ["CFFIPY_TESTLIB"])
refused = [
    ("get_union", "union u(*)(void)", ()),
    ("take_union", "int(*)(union u)", ("union u *",)),
    ("get_bits", "struct bits(*)(void)", ()),
    ("take_bits", "int(*)(struct bits)", ("struct bits *",)),
]
for fname, ftype, args in refused:
    # Called through a made-up address: the refusal comes before any call.
    show("F-07.06 refused %s" % fname,
         lambda ftype=ftype, args=args: rffi.cast(ftype, 1)(*[rffi.new(a)[0] for a in args]))
pffi = cffi.FFI()
pffi.cdef("struct pk { char c; int i; };", packed=True)
show("F-07.06 refused packed argument", lambda: pffi.cast("int(*)(struct pk)", 1)(pffi.new("struct pk *")[0]))
show("F-07.06 refused packed result", lambda: pffi.cast("struct pk(*)(void)", 1)())

# Structs in the variadic part are passed by value (F-07.10).
vffi = cffi.FFI()
vffi.cdef("""
    struct sv_i2 { int a, b; };
    struct long8 { long a[8]; };
    long sum_point_args(int n, ...);
    long sum_long8_args(int n, ...);
""")
vlib = vffi.dlopen(os.environ["CFFIPY_TESTLIB"])
show("F-07.10 small structs in ...", lambda: vlib.sum_point_args(
    2, vffi.new("struct sv_i2 *", [1, 2])[0], vffi.new("struct sv_i2 *", [3, 4])[0]))
show("F-07.10 large struct in ...", lambda: vlib.sum_long8_args(
    1, vffi.new("struct long8 *", [list(range(8))])[0]))
show("F-07.10 struct list in ... refused", lambda: vlib.sum_point_args(1, [1, 2]))
