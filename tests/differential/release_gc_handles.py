"""Ownership and object-level protocols of cdata.

Covers F-03.103 .. F-03.106 (ffi.release and `with`), F-03.81 .. F-03.85
(ffi.gc), F-03.86 .. F-03.89 (new_handle / from_handle), F-03.119 ..
F-03.121 (init_once), F-03.98 .. F-03.102 (new_allocator, as far as release
goes), F-03.72 .. F-03.75 (typeof / sizeof / alignof on cdata), and
F-05.14 .. F-05.24 (bool, int, float, complex, hash and comparisons of
cdata).

Destructor timing relies on CPython reference counting (objects die at
`del`), which is what both implementations run on.  Addresses are printed
as 0xADDR and results through ascii().
"""

import re
import sys

import os
import sys

import cffi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _probe import norm, show  # noqa: E402

ffi = cffi.FFI()
ffi.cdef("""
    struct pt { int x, y; };
    struct var { int n; int items[]; };
    struct opaque;
    enum color { RED, GREEN = 5 };
""")


events = []


def recorder(name):
    def destructor(cdata):
        events.append((name, norm(repr(cdata))))
    return destructor


def take_events():
    out = list(events)
    del events[:]
    return out


# --- F-03.103 .. F-03.106: release and `with` --------------------------------------
def with_new():
    with ffi.new("int[3]", [1, 2, 3]) as p:
        inside = (type(p).__name__, list(p))
    return inside


def with_binds_same_object():
    q = ffi.new("int *")
    with q as r:
        return r is q


def release_twice():
    p = ffi.new("int *", 5)
    a = ffi.release(p)
    b = ffi.release(p)
    return a, b, norm(repr(p))


base = ffi.new("struct pt *", [1, 2])
show("F-03.103 with ffi.new", with_new)
show("F-03.103 with binds same object", with_binds_same_object)
show("F-03.105 release twice", release_twice)
show("F-03.103 __enter__/__exit__ exist", lambda: (hasattr(base, "__enter__"), hasattr(base, "__exit__")))
show("F-03.105 release cast", lambda: ffi.release(ffi.cast("int *", 0)))
show("F-03.105 release p + 1", lambda: ffi.release(ffi.new("int[2]") + 1))
show("F-03.105 release slice", lambda: ffi.release(ffi.new("int[4]")[0:2]))
show("F-03.105 release field view", lambda: ffi.release(ffi.new("struct pt[1]")[0]))
show("F-03.105 release owning p[0]", lambda: ffi.release(ffi.new("struct pt *")[0]))
show("F-03.105 release primitive", lambda: ffi.release(ffi.cast("int", 1)))
show("F-03.105 release NULL", lambda: ffi.release(ffi.NULL))
show("F-03.105 release non-cdata", lambda: ffi.release(5))
show("F-03.105 release None", lambda: ffi.release(None))


def with_cast():
    try:
        with ffi.cast("int *", 0):
            return "entered"
    except ValueError as e:
        return "ValueError at enter: " + str(e)


show("F-03.105 with cast", with_cast)


def with_exception_propagates():
    try:
        with ffi.new("int *"):
            raise KeyError("inner")
    except KeyError as e:
        return "KeyError " + str(e)


show("F-03.103 with propagates exceptions", with_exception_propagates)
show("F-03.106 memory readable after release", lambda: (lambda p: (ffi.release(p), type(p).__name__)[1])(ffi.new("int *")))

# --- F-03.81 .. F-03.85: ffi.gc -----------------------------------------------------
raw = ffi.new("int *", 7)


def gc_basic():
    g = ffi.gc(raw, recorder("d"))
    info = (norm(repr(g)), type(g).__name__, g == raw, g[0], ffi.typeof(g))
    before = take_events()
    del g
    return info, before, take_events()


show("F-03.81 gc basic", gc_basic)


def gc_passes_original():
    seen = []
    orig = ffi.cast("int *", 0x1000)
    g = ffi.gc(orig, seen.append)
    del g
    return len(seen), seen[0] is orig


show("F-03.81 destructor gets original", gc_passes_original)


def gc_chain():
    p = ffi.cast("int *", 0x2000)
    q1 = ffi.gc(p, recorder("d1"))
    q2 = ffi.gc(q1, recorder("d2"))
    del q1
    step1 = take_events()
    del q2
    return step1, take_events()


show("F-03.82 gc chain", gc_chain)


def gc_chain_outer_only():
    p = ffi.cast("int *", 0x3000)
    q1 = ffi.gc(p, recorder("d1"))
    q2 = ffi.gc(q1, recorder("d2"))
    del q2
    step1 = take_events()
    del q1
    return step1, take_events()


show("F-03.82 gc free outer first", gc_chain_outer_only)


def gc_remove():
    g = ffi.gc(ffi.cast("int *", 0x4000), recorder("never"))
    r = ffi.gc(g, None)
    again = ffi.gc(g, None)
    del g
    return r, again, take_events()


show("F-03.83 gc(x, None) removes", gc_remove)
show("F-03.83 gc(plain, None)", lambda: ffi.gc(ffi.cast("int *", 0), None))
show("F-03.83 gc(new, None)", lambda: ffi.gc(ffi.new("int *"), None))
show("F-03.83 gc(non-cdata)", lambda: ffi.gc(5, recorder("x")))


def gc_size_keywords():
    g = ffi.gc(cdata=ffi.cast("int *", 0x5000), destructor=recorder("kw"), size=100)
    h = ffi.gc(ffi.cast("int *", 0x6000), recorder("neg"), -5)
    del g, h
    return take_events()


show("F-03.84 gc size and keywords", gc_size_keywords)
show("F-03.84 gc size None", lambda: ffi.gc(ffi.cast("int *", 0), recorder("s"), None))


def gc_release():
    g = ffi.gc(ffi.cast("int *", 0x7000), recorder("rel"))
    ffi.release(g)
    first = take_events()
    ffi.release(g)
    second = take_events()
    del g
    return first, second, take_events()


show("F-03.104 release gc runs destructor once", gc_release)


def gc_with():
    with ffi.gc(ffi.cast("int *", 0x8000), recorder("with")) as g:
        inside = take_events()
    return inside, take_events(), norm(repr(g))


show("F-03.104 with gc", gc_with)


def gc_many_wrappers():
    p = ffi.cast("int *", 0x9000)
    a = ffi.gc(p, recorder("a"))
    b = ffi.gc(p, recorder("b"))
    same = a == b
    del b
    first = take_events()
    del a
    return same, first, take_events()


show("F-03.85 many wrappers", gc_many_wrappers)
show("F-03.85 gc of NULL repr", lambda: ffi.gc(ffi.cast("int *", 0), recorder("null")))
take_events()
show("F-03.85 gc of struct*", lambda: ffi.gc(ffi.new("struct pt *"), recorder("s")).x)
take_events()


def gc_destructor_raises():
    def bad(_):
        raise RuntimeError("boom")
    g = ffi.gc(ffi.cast("int *", 0xa000), bad)
    saved, sys.unraisablehook = sys.unraisablehook, lambda u: events.append(("unraisable", type(u.exc_value).__name__))
    try:
        del g
    finally:
        sys.unraisablehook = saved
    return take_events()


show("F-03.81 destructor raising", gc_destructor_raises)


def gc_non_callable():
    """ffi.gc() does not check that the destructor is callable; the error
    only shows up (as an unraisable exception) when the object dies."""
    g = ffi.gc(ffi.cast("int *", 0), 5)
    info = norm(repr(g))
    saved, sys.unraisablehook = sys.unraisablehook, lambda u: events.append(
        ("unraisable", type(u.exc_value).__name__, str(u.exc_value)))
    try:
        del g
    finally:
        sys.unraisablehook = saved
    return info, take_events()


show("F-03.83 gc(non-callable)", gc_non_callable)

# --- F-03.86 .. F-03.89: handles -----------------------------------------------------
obj = ["payload", 1]
h1 = ffi.new_handle(obj)
h2 = ffi.new_handle(obj)
show("F-03.86 handle repr", lambda: h1)
show("F-03.86 handle type", lambda: (type(h1).__name__, ffi.typeof(h1)))
show("F-03.86 handle non-NULL", lambda: h1 != ffi.NULL)
show("F-03.86 two handles differ", lambda: h1 != h2)
show("F-03.86 handle bool", lambda: bool(h1))
show("F-03.87 from_handle", lambda: ffi.from_handle(h1) is obj)
show("F-03.87 from_handle via char*", lambda: ffi.from_handle(ffi.cast("char *", h1)) is obj)
show("F-03.87 from_handle via void*", lambda: ffi.from_handle(ffi.cast("void *", h2)) is obj)
show("F-03.87 from_handle via stored ptr", lambda: ffi.from_handle(ffi.new("void **", h1)[0]) is obj)
show("F-03.86 handle to None", lambda: ffi.new_handle(None))
show("F-03.86 handle to int", lambda: ffi.from_handle(ffi.new_handle(42)))
show("F-03.88 from_handle NULL", lambda: ffi.from_handle(ffi.NULL))
show("F-03.88 from_handle int NULL", lambda: ffi.from_handle(ffi.cast("int *", 0)))
show("F-03.88 from_handle int cdata", lambda: ffi.from_handle(ffi.cast("int", 5)))
show("F-03.88 from_handle non-cdata", lambda: ffi.from_handle(5))
show("F-03.88 from_handle None", lambda: ffi.from_handle(None))
show("F-03.105 release handle", lambda: ffi.release(ffi.new_handle(obj)))
show("F-03.86 handle refcount keep-alive", lambda: (lambda o: (lambda h: ffi.from_handle(h) is o)(ffi.new_handle(o)))(object()))

# --- F-03.119 .. F-03.121: init_once ------------------------------------------------
calls = []


def make(value):
    def init():
        calls.append(value)
        return value
    return init


show("F-03.119 init_once first", lambda: ffi.init_once(make("A"), "tag1"))
show("F-03.119 init_once again", lambda: ffi.init_once(make("B"), "tag1"))
show("F-03.119 init_once other tag", lambda: ffi.init_once(make("C"), "tag2"))
show("F-03.119 init_once tuple tag", lambda: ffi.init_once(make("D"), ("t", 1)))
show("F-03.119 init_once keywords", lambda: ffi.init_once(func=make("E"), tag="tag1"))
show("F-03.119 init_once returns None", lambda: ffi.init_once(lambda: None, "none-tag"))
show("F-03.119 init_once None cached", lambda: ffi.init_once(make("F"), "none-tag"))
show("F-03.119 calls so far", lambda: list(calls))
attempts = []


def flaky():
    attempts.append(1)
    if len(attempts) == 1:
        raise ValueError("first try fails")
    return "ok after %d" % len(attempts)


show("F-03.121 init_once raises", lambda: ffi.init_once(flaky, "flaky"))
show("F-03.121 init_once retried", lambda: ffi.init_once(flaky, "flaky"))
show("F-03.121 init_once cached", lambda: ffi.init_once(flaky, "flaky"))
show("F-03.119 init_once unhashable tag", lambda: ffi.init_once(make("G"), ["list"]))
show("F-03.119 init_once per ffi", lambda: cffi.FFI().init_once(make("H"), "tag1"))
show("F-03.119 init_once non-callable", lambda: ffi.init_once(5, "nc"))

# --- F-03.98 .. F-03.102: custom allocator and release --------------------------------
alloc_log = []


def my_alloc(size):
    alloc_log.append(("alloc", size))
    return ffi.new("char[]", size)


def my_free(ptr):
    alloc_log.append(("free", norm(repr(ptr))))


allocator = ffi.new_allocator(my_alloc, my_free)


def allocator_release():
    p = allocator("int[4]", [1, 2])
    info = (norm(repr(p)), type(p).__name__, list(p), ffi.sizeof(p))
    ffi.release(p)
    ffi.release(p)
    del p
    out = (info, list(alloc_log))
    del alloc_log[:]
    return out


show("F-03.104 allocator release", allocator_release)


def allocator_with():
    with allocator("struct pt *", {"y": 3}) as p:
        inside = (p.y, list(alloc_log))
    out = (inside, list(alloc_log))
    del alloc_log[:]
    return out


show("F-03.102 allocator with", allocator_with)
show("F-03.99 free without alloc", lambda: ffi.new_allocator(free=my_free))
show("F-03.100 alloc returns int", lambda: ffi.new_allocator(lambda n: 5)("int *"))
show("F-03.100 alloc returns int cdata", lambda: ffi.new_allocator(lambda n: ffi.cast("int", 5))("int *"))
show("F-03.100 alloc returns NULL", lambda: ffi.new_allocator(lambda n: ffi.NULL)("int *"))
show("F-03.99 default allocator", lambda: ffi.new_allocator()("int[2]", [4, 5]))

# --- F-03.72 .. F-03.75: typeof / sizeof / alignof on cdata ----------------------------
arr = ffi.new("int[10]")
var = ffi.new("struct var *", [1, 3])
show("F-03.72 typeof cdata int*", lambda: ffi.typeof(ffi.new("int *")))
show("F-03.72 typeof cdata int[]", lambda: ffi.typeof(ffi.new("int[]", 3)))
show("F-03.72 typeof struct ref", lambda: ffi.typeof(base[0]))
show("F-03.72 typeof enum cdata", lambda: ffi.typeof(ffi.cast("enum color", 5)))
show("F-03.72 typeof is cached", lambda: ffi.typeof(arr) is ffi.typeof("int[10]"))
show("F-03.72 typeof ctype", lambda: ffi.typeof(ffi.typeof("int")))
show("F-03.72 typeof int", lambda: ffi.typeof(5))
show("F-03.72 typeof None", lambda: ffi.typeof(None))
show("F-03.73 sizeof int cdata", lambda: ffi.sizeof(ffi.cast("short", 1)))
show("F-03.73 sizeof pointer", lambda: ffi.sizeof(ffi.new("int *")))
show("F-03.73 sizeof int[10]", lambda: ffi.sizeof(arr))
show("F-03.73 sizeof int[] 3", lambda: ffi.sizeof(ffi.new("int[]", 3)))
show("F-03.73 sizeof slice", lambda: ffi.sizeof(arr[2:5]))
show("F-03.73 sizeof struct ref", lambda: ffi.sizeof(base[0]))
show("F-03.73 sizeof varsize p[0]", lambda: ffi.sizeof(var[0]))
show("F-03.73 sizeof varsize p", lambda: ffi.sizeof(var))
show("F-03.73 sizeof varsize cast[0]", lambda: ffi.sizeof(ffi.cast("struct var *", var)[0]))
show("F-03.73 sizeof long double", lambda: ffi.sizeof(ffi.cast("long double", 1)))
show("F-03.73 sizeof opaque ref", lambda: ffi.sizeof(ffi.cast("struct opaque *", arr)[0]))
show("F-03.74 sizeof 5", lambda: ffi.sizeof(5))
show("F-03.74 sizeof void", lambda: ffi.sizeof("void"))
show("F-03.74 sizeof int[]", lambda: ffi.sizeof("int[]"))
show("F-03.75 alignof cdata", lambda: ffi.alignof(arr))
show("F-03.75 alignof int[10]", lambda: ffi.alignof("int[10]"))
show("F-03.75 alignof ctype", lambda: ffi.alignof(ffi.typeof("double")))
show("F-03.75 alignof opaque", lambda: ffi.alignof("struct opaque"))

# --- F-05.14: bool() --------------------------------------------------------------------
for label, value in [
    ("int 0", ffi.cast("int", 0)), ("int 7", ffi.cast("int", 7)),
    ("char 0", ffi.cast("char", 0)), ("char A", ffi.cast("char", 65)),
    ("_Bool 0", ffi.cast("_Bool", 0)), ("_Bool 1", ffi.cast("_Bool", 1)),
    ("double 0.0", ffi.cast("double", 0.0)), ("double -0.0", ffi.cast("double", -0.0)),
    ("double nan", ffi.cast("double", float("nan"))), ("float inf", ffi.cast("float", float("inf"))),
    ("long double 0", ffi.cast("long double", 0)), ("long double 2", ffi.cast("long double", 2)),
    ("complex 0", ffi.cast("double _Complex", 0)), ("complex 1j", ffi.cast("double _Complex", 1j)),
    ("wchar 0", ffi.cast("wchar_t", 0)), ("enum 0", ffi.cast("enum color", 0)),
    ("NULL", ffi.NULL), ("int* 8", ffi.cast("int *", 8)), ("int[3] NULL", ffi.cast("int[3]", 0)),
    ("fnptr NULL", ffi.cast("int(*)(int)", 0)), ("owning array", arr),
    ("struct ref", base[0]), ("empty array", ffi.new("int[]", 0)),
]:
    show("F-05.14 bool %s" % label, lambda v=value: bool(v))

# --- F-05.15 .. F-05.18: int(), float(), complex(), operators -----------------------------
for label, value in [
    ("int -5", ffi.cast("int", -5)), ("ulonglong max", ffi.cast("unsigned long long", -1)),
    ("char 200", ffi.cast("char", 200)), ("schar -1", ffi.cast("signed char", -1)),
    ("wchar -1", ffi.cast("wchar_t", -1)), ("char16 0xffff", ffi.cast("char16_t", 0xFFFF)),
    ("_Bool 1", ffi.cast("_Bool", 1)), ("enum 5", ffi.cast("enum color", 5)),
    ("double 2.9", ffi.cast("double", 2.9)), ("double -2.9", ffi.cast("double", -2.9)),
    ("float 1e10", ffi.cast("float", 1e10)), ("long double 7.5", ffi.cast("long double", 7.5)),
    ("double inf", ffi.cast("double", float("inf"))), ("double nan", ffi.cast("double", float("nan"))),
    ("int*", ffi.cast("int *", 8)), ("int[3]", ffi.new("int[3]")), ("struct", base[0]),
    ("complex", ffi.cast("double _Complex", 1)), ("fnptr", ffi.cast("int(*)(int)", 0)),
]:
    show("F-05.15 int(%s)" % label, lambda v=value: (lambda r: (r, type(r).__name__))(int(v)))
    show("F-05.16 float(%s)" % label, lambda v=value: float(v))
show("F-05.17 complex(complex)", lambda: complex(ffi.cast("double _Complex", 1 - 2j)))
show("F-05.17 complex(float complex)", lambda: complex(ffi.cast("float _Complex", 0.5j)))
show("F-05.17 complex(double)", lambda: complex(ffi.cast("double", 1)))
show("F-05.17 complex(int)", lambda: complex(ffi.cast("int", 1)))
show("F-05.18 operator.index", lambda: __import__("operator").index(ffi.cast("int", 3)))
show("F-05.18 range(cdata)", lambda: range(ffi.cast("int", 3)))
show("F-05.18 -int", lambda: -ffi.cast("int", 3))
show("F-05.18 abs(int)", lambda: abs(ffi.cast("int", -3)))
show("F-05.18 round(double)", lambda: round(ffi.cast("double", 2.5)))
show("F-05.18 int + 1", lambda: ffi.cast("int", 1) + 1)
show("F-05.18 1 + int", lambda: 1 + ffi.cast("int", 1))
show("F-05.18 double * 2", lambda: ffi.cast("double", 1.5) * 2)
show("F-05.18 int + int", lambda: ffi.cast("int", 1) + ffi.cast("int", 2))
show("F-05.18 '%d' % int", lambda: "%d" % ffi.cast("int", 3))

# --- F-05.19 .. F-05.24: comparisons and hashes -------------------------------------------
show("F-05.19 int == 42", lambda: ffi.cast("int", 42) == 42)
show("F-05.19 int == 42.0", lambda: ffi.cast("int", 42) == 42.0)
show("F-05.19 int < 43", lambda: ffi.cast("int", 42) < 43)
show("F-05.19 int >= int cdata", lambda: ffi.cast("int", 42) >= ffi.cast("long", 42))
show("F-05.19 char == b'A'", lambda: ffi.cast("char", 65) == b"A")
show("F-05.19 char == 65", lambda: ffi.cast("char", 65) == 65)
show("F-05.19 char < b'B'", lambda: ffi.cast("char", 65) < b"B")
show("F-05.19 uchar == 65", lambda: ffi.cast("unsigned char", 65) == 65)
show("F-05.19 wchar == 'A'", lambda: ffi.cast("wchar_t", 65) == "A")
show("F-05.19 _Bool == True", lambda: ffi.cast("_Bool", 1) == True)  # noqa: E712
show("F-05.19 enum == 5", lambda: ffi.cast("enum color", 5) == 5)
show("F-05.19 float 0.1 == 0.1", lambda: ffi.cast("float", 0.1) == 0.1)
show("F-05.19 float == double", lambda: ffi.cast("float", 0.1) == ffi.cast("double", 0.1))
show("F-05.19 double == double", lambda: ffi.cast("double", 0.1) == ffi.cast("double", 0.1))
show("F-05.19 uint -1 > int -1", lambda: ffi.cast("unsigned int", -1) > ffi.cast("int", -1))
show("F-05.19 int < 'a'", lambda: ffi.cast("int", 1) < "a")
show("F-05.19 int == 'a'", lambda: ffi.cast("int", 1) == "a")
show("F-05.20 hash int", lambda: hash(ffi.cast("int", 5)) == hash(5))
show("F-05.20 hash char", lambda: hash(ffi.cast("char", 65)) == hash(b"A"))
show("F-05.20 hash double", lambda: hash(ffi.cast("double", 2.5)) == hash(2.5))
show("F-05.20 hash _Bool", lambda: hash(ffi.cast("_Bool", 1)) == hash(True))
show("F-05.20 dict lookup", lambda: {ffi.cast("int", 5): "five"}[5])
show("F-05.20 dict lookup reverse", lambda: {5: "five"}[ffi.cast("long", 5)])
show("F-05.21 hash equal pointers", lambda: hash(ffi.cast("int *", 64)) == hash(ffi.cast("void *", 64)))
show("F-05.21 hash owning vs cast", lambda: hash(arr) == hash(ffi.cast("char *", arr)))
show("F-05.21 struct ref == struct ptr", lambda: base[0] == base)
show("F-05.21 hash struct ref", lambda: hash(base[0]) == hash(base))
show("F-05.22 int == ptr", lambda: ffi.cast("int", 8) == ffi.cast("int *", 8))
show("F-05.22 int < ptr", lambda: ffi.cast("int", 8) < ffi.cast("int *", 8))
show("F-05.23 long double ==", lambda: ffi.cast("long double", 1) == 1)
show("F-05.23 long double <", lambda: ffi.cast("long double", 1) < ffi.cast("long double", 2))
show("F-05.23 long double hashable", lambda: type(hash(ffi.cast("long double", 1))).__name__)
show("F-05.24 NULL == None", lambda: ffi.NULL == None)  # noqa: E711
show("F-05.24 int 0 == None", lambda: ffi.cast("int", 0) == None)  # noqa: E711
show("F-05.24 NULL is None", lambda: ffi.NULL is None)
