"""ffi.cast (F-03.27..F-03.35), numeric conversions and comparisons of
cdata (F-05.14..F-05.24), and variadic calls (F-07.09..F-07.11)."""

import cffi

ffi = cffi.FFI()
ffi.cdef("""
    int printf(const char *, ...);
    int snprintf(char *, size_t, const char *, ...);
    long labs(long);
    enum e { A = 1, B = 5 };
""")
C = ffi.dlopen(None)


def show(label, func):
    try:
        print(label, "->", repr(func()))
    except Exception as e:
        print(label, "-> EXC", type(e).__name__, e)


p = ffi.cast("void *", 5)
for label, func in [
    ("int(void*)", lambda: int(p)),
    ("int 300", lambda: ffi.cast("int", 300)),
    ("uchar 300", lambda: ffi.cast("unsigned char", 300)),
    ("char 65", lambda: ffi.cast("char", 65)),
    ("bool -0.1", lambda: ffi.cast("_Bool", -0.1)),
    ("bool 0.0", lambda: ffi.cast("_Bool", 0.0)),
    ("bool 2**70", lambda: ffi.cast("_Bool", 2**70)),
    ("double 3", lambda: ffi.cast("double", 3)),
    ("float 1e300", lambda: ffi.cast("float", 1e300)),
    ("int 2.7", lambda: ffi.cast("int", 2.7)),
    ("int -2.7", lambda: ffi.cast("int", -2.7)),
    ("int b'A'", lambda: ffi.cast("int", b"A")),
    ("int 'A'", lambda: ffi.cast("int", "A")),
    ("int 'AB'", lambda: ffi.cast("int", "AB")),
    ("int *", lambda: ffi.cast("int *", 16)),
    ("double(void*)", lambda: ffi.cast("double", p)),
    ("int None", lambda: ffi.cast("int", None)),
    ("long double", lambda: ffi.cast("long double", 1.5)),
    ("wchar_t 65", lambda: ffi.cast("wchar_t", 65)),
    ("int(double 7.9)", lambda: ffi.cast("int", ffi.cast("double", 7.9))),
    ("int(char 200)", lambda: int(ffi.cast("char", 200))),
    ("float(int)", lambda: float(ffi.cast("int", 3))),
    ("float(double)", lambda: float(ffi.cast("double", 2.5))),
    ("eq", lambda: ffi.cast("int", 5) == 5),
    ("eq char", lambda: ffi.cast("char", 65) == b"A"),
    ("ne char int", lambda: ffi.cast("char", 65) != 65),
    ("uint > int", lambda: ffi.cast("unsigned int", -1) > ffi.cast("int", -1)),
    ("hash", lambda: hash(ffi.cast("int", 5)) == hash(5)),
    ("bool 0", lambda: bool(ffi.cast("int", 0))),
    ("uint8 -1", lambda: ffi.cast("uint8_t", -1)),
    ("int 2**70", lambda: ffi.cast("int", 2**70)),
    ("int64 -1", lambda: ffi.cast("int64_t", -1)),
    ("ptr eq", lambda: ffi.cast("void *", 16) == ffi.cast("int *", 16)),
    ("ptr lt", lambda: ffi.cast("void *", 8) < ffi.cast("char *", 16)),
    ("ptr hash", lambda: hash(ffi.cast("void *", 16)) == hash(ffi.cast("int *", 16))),
    ("ptr eq int", lambda: ffi.cast("void *", 0) == 0),
    ("ptr eq None", lambda: ffi.cast("void *", 0) == None),  # noqa: E711
    ("NULL", lambda: ffi.cast("int *", 0)),
    ("fnptr", lambda: ffi.cast("int(*)(int)", 0)),
    ("enum", lambda: ffi.cast("enum e", 5)),
    ("int(enum)", lambda: int(ffi.cast("enum e", 5))),
    ("bool(NULL)", lambda: bool(ffi.NULL)),
    ("int(long double)", lambda: int(ffi.cast("long double", 7.5))),
    ("ld cmp", lambda: ffi.cast("long double", 1) == 1),
    ("labs(cast)", lambda: C.labs(ffi.cast("long", -7))),
]:
    show(label, func)

buf = ffi.cast("char *", 0)
show("variadic no cdata", lambda: C.printf(b"%d\n", 5))
show("variadic too few", lambda: C.printf())
out = bytearray(64)
show(
    "snprintf",
    lambda: C.snprintf(
        ffi.cast("char *", 0), 0, b"%d %ld %c %f %s",
        ffi.cast("int", 42), ffi.cast("long", -7), ffi.cast("char", 65), ffi.cast("double", 1.5), ffi.cast("char *", 0),
    ),
)
show("snprintf short", lambda: C.snprintf(ffi.NULL, 0, b"%d", ffi.cast("short", -3)))
show("snprintf bool", lambda: C.snprintf(ffi.NULL, 0, b"%d", ffi.cast("_Bool", 1)))

ffi2 = cffi.FFI()
ffi2.cdef("double sqrt(double); long labs(long);")
m = ffi2.dlopen("m")
show("sqrt(double cdata)", lambda: m.sqrt(ffi2.cast("double", 4.0)))
show("sqrt(float cdata)", lambda: m.sqrt(ffi2.cast("float", 9.0)))
show("sqrt(int cdata)", lambda: m.sqrt(ffi2.cast("int", 4)))
show("labs(char cdata)", lambda: m.labs(ffi2.cast("char", 65)))
