"""Errors when a type is built (F-01.98, F-01.99), the FILE type (F-01.88),
getctype (F-02.29..F-02.31) and offsetof (F-03.76, F-03.77)."""

import cffi

ffi = cffi.FFI()
ffi.cdef("""
    struct a { struct b x; };
    struct c { float f : 3; };
    struct d { int x : 40; };
    struct e { int x : 0; };
    struct r { struct r self; };
    struct part { int x; ...; };
    struct bar { int a; struct { int b; } e; int c[60]; unsigned bits : 3; };
    struct opaque;
    FILE *fopen(const char *, const char *);
""")


def show(label, func):
    try:
        print(label, "->", func())
    except Exception as e:
        print(label, "-> EXC", type(e).__name__)


for t in ["struct a", "struct c", "struct d", "struct e", "struct r", "struct part", "struct bar",
          "struct opaque", "FILE", "FILE *"]:
    show("sizeof " + t, lambda: ffi.sizeof(t))
    show("typeof " + t, lambda: ffi.typeof(t))
show("typeof fopen", lambda: ffi.typeof(ffi.dlopen(None).fopen))

for cdecl, repl in [("int", "x"), ("int*", "x"), ("int", "*"), ("int", " * x "), ("int", "[5]"),
                    ("int[5]", "[6]"), ("int[5]", "(*)"), ("char[80]", "a"), ("int *[5]", "foo"),
                    ("int(*)(int)", "foo"), ("int[5]", "*"), ("int[5]", "*foo"), ("int[5]", " ** foo "),
                    ("struct bar", "*p"), ("FILE", "*f")]:
    show("getctype %r %r" % (cdecl, repl), lambda: ffi.getctype(cdecl, repl))
show("getctype ctype", lambda: ffi.getctype(ffi.typeof("int*"), "*"))

for args in [("struct bar", "a"), ("struct bar", "e", "b"), ("struct bar", "c", 51), ("struct bar *", "c"),
             ("int[5]", 2), ("int *", 2), ("int[5]", -1), ("struct bar", "nope"), ("struct bar", "e.b"),
             ("struct bar", "bits"), ("struct opaque", "x"), ("int", "x"), ("int", 1), ("struct bar", None),
             ("struct bar", "e", "b", 0)]:
    show("offsetof %r" % (args,), lambda: ffi.offsetof(*args))
