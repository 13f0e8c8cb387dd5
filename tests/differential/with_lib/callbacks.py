"""ffi.callback (F-03.107..F-03.112, F-06.35, F-07.17..): created from a
cdecl or a ctype, as a decorator; called by C directly, repeatedly, from a
thread Python never saw, through qsort; every result kind; struct
arguments and results; exceptions reported through sys.unraisablehook or
handed to onerror, with the error value returned. Needs the test library
($CFFIPY_TESTLIB)."""

import os
import sys

import cffi

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _probe import norm, show  # noqa: E402

ffi = cffi.FFI()
ffi.cdef("""
    struct sv_i2 { int a, b; };
    struct sv_d2 { double a, b; };
    int call_twice(int (*f)(int), int x);
    int call_in_new_thread(int (*f)(int), int arg);
    double apply_point(double (*f)(struct sv_i2, double), int a, int b);
    struct sv_d2 make_pair(struct sv_d2 (*f)(int), int k);
    signed char get_schar(signed char (*f)(void));
    unsigned short get_ushort(unsigned short (*f)(void));
    _Bool get_bool(_Bool (*f)(void));
    char get_char(char (*f)(void));
    float get_float(float (*f)(float), float x);
    long double get_ldouble(long double (*f)(long double), long double x);
    long long get_llong(long long (*f)(long long), long long x);
    void *get_ptr(void *(*f)(void *), void *p);
    void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
""")
lib = ffi.dlopen(os.environ["CFFIPY_TESTLIB"])
libc = ffi.dlopen(None)

reports = []
sys.unraisablehook = lambda u: reports.append(
    (u.exc_type.__name__, norm(str(u.exc_value)), norm(u.err_msg or ""), u.object))


def taken():
    out = list(reports)
    reports.clear()
    return out


def plus1(x):
    return x + 1


cb = ffi.callback("int(*)(int)", plus1)
show("F-03.107 repr", lambda: norm(repr(cb)).replace(hex(id(plus1)), "ID"))
show("F-03.107 class", lambda: [c.__name__ for c in type(cb).__mro__])
show("F-03.107 typeof", lambda: ffi.typeof(cb))
show("F-03.107 from function type", lambda: ffi.typeof(ffi.callback("int(int)", plus1)))
show("F-03.107 from ctype", lambda: lib.call_twice(ffi.callback(ffi.typeof("int(*)(int)"), plus1), 5))
show("F-03.107 called from Python", lambda: cb(41))
show("F-03.107 called by C twice", lambda: lib.call_twice(cb, 10))
show("F-03.107 called from a new C thread", lambda: lib.call_in_new_thread(cb, 99))


@ffi.callback("int(int)")
def times3(x):
    return x * 3


show("F-03.108 decorator", lambda: lib.call_twice(times3, 2))
show("F-03.108 decorator with error", lambda: lib.call_twice(ffi.callback("int(int)", error=-1)(lambda x: 1 // 0), 1))
taken()
show("F-03.109 not callable", lambda: ffi.callback("int(int)", 5))
show("F-03.109 not a function type", lambda: ffi.callback("int", plus1))
show("F-03.109 bad onerror", lambda: ffi.callback("int(int)", plus1, onerror=5))
show("F-03.109 bad error value", lambda: ffi.callback("int(int)", plus1, error="x"))


def boom(x):
    raise ValueError("boom %d" % x)


show("F-03.110 exception: error value", lambda: lib.call_twice(ffi.callback("int(int)", boom, error=-7), 1))
show("F-03.110 exception: reported", lambda: [(t, v, m.replace(hex(id(boom)), "ID"), o) for t, v, m, o in taken()])
show("F-03.110 exception: default 0", lambda: (lib.call_twice(ffi.callback("int(int)", boom), 1), len(taken())))
show("F-03.111 onerror result", lambda: lib.call_twice(
    ffi.callback("int(int)", boom, error=-1, onerror=lambda t, v, tb: 40), 3))
show("F-03.111 onerror sees", lambda: (lambda seen: (lib.call_twice(ffi.callback(
    "int(int)", boom, onerror=lambda t, v, tb: seen.append((t.__name__, str(v), tb is not None))), 2), seen))([]))
show("F-03.111 onerror None gives error value", lambda: lib.call_twice(
    ffi.callback("int(int)", boom, error=9, onerror=lambda *a: None), 3))
show("F-03.111 nothing reported with onerror", lambda: taken())
show("F-03.110 bad result type", lambda: (ffi.callback("int(int)", lambda x: "no")(1), len(taken())))
show("F-03.110 void returning a value", lambda: (ffi.callback("void(int)", lambda x: 5)(1), len(taken())))
show("F-03.110 out of range result", lambda: (ffi.callback("signed char(int)", lambda x: 300, error=7)(1), len(taken())))

show("F-06.35 schar", lambda: lib.get_schar(ffi.callback("signed char(void)", lambda: -5)))
show("F-06.35 ushort", lambda: lib.get_ushort(ffi.callback("unsigned short(void)", lambda: 65535)))
show("F-06.35 bool", lambda: lib.get_bool(ffi.callback("_Bool(void)", lambda: True)))
show("F-06.35 char", lambda: lib.get_char(ffi.callback("char(void)", lambda: b"z")))
show("F-06.35 float", lambda: lib.get_float(ffi.callback("float(float)", lambda x: x / 4), 3.0))
show("F-06.35 long double", lambda: float(lib.get_ldouble(ffi.callback(
    "long double(long double)", lambda x: x), 2.5)))
show("F-06.35 long long", lambda: lib.get_llong(ffi.callback("long long(long long)", lambda x: x * 2), 2**40))
show("F-06.35 pointer", lambda: lib.get_ptr(ffi.callback("void *(void *)", lambda p: p + 1), ffi.cast("void *", 4096)))
show("F-06.35 struct argument", lambda: lib.apply_point(ffi.callback(
    "double(struct sv_i2, double)", lambda p, d: p.a * 10 + p.b + d), 3, 4))
show("F-06.35 struct result", lambda: (lambda r: (r.a, r.b))(lib.make_pair(ffi.callback(
    "struct sv_d2(int)", lambda k: [k, k / 2]), 5)))

data = ffi.new("int[]", [5, 3, 9, 1, 7, 3])


@ffi.callback("int(const void *, const void *)")
def compare(a, b):
    x, y = ffi.cast("int *", a)[0], ffi.cast("int *", b)[0]
    return (x > y) - (x < y)


show("F-07.17 qsort with a Python comparator", lambda: (libc.qsort(data, len(data), ffi.sizeof("int"), compare), list(data))[1])
show("F-07.17 many live callbacks", lambda: sum(lib.call_twice(c, 1) for c in [ffi.callback("int(int)", lambda x, k=k: x + k) for k in range(2000)]))
