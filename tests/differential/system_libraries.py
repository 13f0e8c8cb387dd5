"""Real system libraries used as a user would (issue #6): libc (qsort with
a Python comparator, strtol with an out-pointer, getenv, snprintf with
variadic arguments, memchr), libm, and zlib (compress/uncompress round
trip, crc32 against Python's zlib.crc32), all declared by hand."""

import ctypes.util
import os
import sys
import zlib

import cffi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _probe import norm, show  # noqa: E402

ffi = cffi.FFI()
ffi.cdef("""
    void qsort(void *base, size_t nmemb, size_t size, int (*compar)(const void *, const void *));
    long strtol(const char *nptr, char **endptr, int base);
    char *getenv(const char *name);
    int snprintf(char *str, size_t size, const char *format, ...);
    void *memchr(const void *s, int c, size_t n);
    size_t strlen(const char *s);
    double pow(double, double);
    double floor(double);
    double ldexp(double, int);
    float sqrtf(float);

    typedef unsigned long uLong;
    typedef unsigned long uLongf;
    typedef unsigned char Bytef;
    int compress(Bytef *dest, uLongf *destLen, const Bytef *source, uLong sourceLen);
    int uncompress(Bytef *dest, uLongf *destLen, const Bytef *source, uLong sourceLen);
    uLong compressBound(uLong sourceLen);
    uLong crc32(uLong crc, const Bytef *buf, unsigned int len);
    const char *zlibVersion(void);
""")
libc = ffi.dlopen(None)
libm = ffi.dlopen("m")
libz = ffi.dlopen(ctypes.util.find_library("z"))

# --- libc ------------------------------------------------------------------
words = [b"pear", b"apple", b"fig", b"banana", b"cherry"]
keep = [ffi.new("char[]", w) for w in words]
table = ffi.new("char *[]", keep)


@ffi.callback("int(const void *, const void *)")
def by_length_then_text(a, b):
    x = ffi.string(ffi.cast("char **", a)[0])
    y = ffi.string(ffi.cast("char **", b)[0])
    return (len(x), x) > (len(y), y) or -((len(x), x) < (len(y), y))


def sort_words():
    libc.qsort(table, len(words), ffi.sizeof("char *"), by_length_then_text)
    return [ffi.string(p) for p in table]


show("F-07.17 qsort of strings", sort_words)


def strtol(text, base):
    end = ffi.new("char **")
    buf = ffi.new("char[]", text)
    value = libc.strtol(buf, end, base)
    return value, end[0] - buf, ffi.errno if value in (-2**63, 2**63 - 1) else 0


show("F-07.01 strtol", lambda: strtol(b"  -1234xyz", 10))
show("F-07.01 strtol hex", lambda: strtol(b"0x7fFF rest", 16))
show("F-07.11 strtol overflow sets errno", lambda: strtol(b"99999999999999999999", 10))
os.environ["CFFIPY_PROBE_VAR"] = "value=42"
show("F-07.01 getenv", lambda: ffi.string(libc.getenv(b"CFFIPY_PROBE_VAR")))
show("F-07.01 getenv missing", lambda: libc.getenv(b"CFFIPY_NO_SUCH_VAR_XYZ") == ffi.NULL)


def snprintf(fmt, *args):
    buf = ffi.new("char[64]")
    n = libc.snprintf(buf, 64, fmt, *args)
    return n, ffi.string(buf)


show("F-07.09 snprintf int", lambda: snprintf(b"[%d|%5d]", ffi.cast("int", 42), ffi.cast("int", -7)))
show("F-07.09 snprintf double", lambda: snprintf(b"%.3f", ffi.cast("double", 3.14159)))
show("F-07.09 snprintf string", lambda: snprintf(b"<%s>", ffi.new("char[]", b"hi")))
show("F-07.09 snprintf long long", lambda: snprintf(b"%lld", ffi.cast("long long", -2**40)))
show("F-07.10 snprintf plain int refused", lambda: snprintf(b"%d", 42))
show("F-07.01 memchr", lambda: (lambda s: ffi.cast("char *", libc.memchr(s, ord("l"), 11)) - s)(ffi.new("char[]", b"hello world")))
show("F-07.01 strlen of bytes", lambda: libc.strlen(b"twelve chars"))

# --- libm ------------------------------------------------------------------
show("F-07.01 pow", lambda: libm.pow(2.0, 10.0))
show("F-07.01 floor", lambda: libm.floor(-2.5))
show("F-07.01 ldexp", lambda: libm.ldexp(0.75, 4))
show("F-07.01 sqrtf", lambda: libm.sqrtf(2.0))

# --- zlib ------------------------------------------------------------------
payload = b"cffi-py " * 500 + bytes(range(256))


def round_trip():
    bound = libz.compressBound(len(payload))
    packed = ffi.new("Bytef[]", bound)
    packed_len = ffi.new("uLongf *", bound)
    rc1 = libz.compress(packed, packed_len, payload, len(payload))
    out = ffi.new("Bytef[]", len(payload))
    out_len = ffi.new("uLongf *", len(payload))
    rc2 = libz.uncompress(out, out_len, packed, packed_len[0])
    same_as_python = zlib.decompress(ffi.buffer(packed, packed_len[0])[:]) == payload
    return rc1, rc2, out_len[0], ffi.buffer(out, out_len[0])[:] == payload, same_as_python, packed_len[0] < len(payload)


show("F-07.01 zlib compress/uncompress", round_trip)
show("F-07.01 zlib crc32", lambda: (libz.crc32(0, payload, len(payload)) == zlib.crc32(payload),
                                    libz.crc32(libz.crc32(0, b"ab", 2), b"cd", 2) == zlib.crc32(b"abcd")))
show("F-07.01 zlib version is text", lambda: ffi.string(libz.zlibVersion()).count(b".") >= 1)

# --- dlclose (F-03.97, F-04.13) ---------------------------------------------
cffi_m = cffi.FFI()
cffi_m.cdef("""
    double cbrt(double);
    #define CFFIPY_K 42
""")
closing = cffi_m.dlopen("m")
show("F-04.13 before dlclose", lambda: (closing.cbrt(27.0), closing.CFFIPY_K))
cffi_m.dlclose(closing)
show("F-04.13 constant after dlclose", lambda: closing.CFFIPY_K)
show("F-03.97 function after dlclose", lambda: closing.cbrt)
show("F-03.97 dlclose twice", lambda: cffi_m.dlclose(closing))
show("F-03.97 dlclose of a non-library", lambda: cffi_m.dlclose(42))
# Address 1 is never called: the argument is refused first.
show("F-06.29 _Bool array from bad bytes", lambda: cffi.FFI().cast("int(*)(_Bool *)", 1)(b"\x02"))

# --- load_library / dlopen of a handle (F-10.36, F-03.95) --------------------
import ctypes  # noqa: E402

import _cffi_backend  # noqa: E402

show("F-10.36 load_library()", lambda: _cffi_backend.load_library())
show("F-10.36 load_library(None)", lambda: _cffi_backend.load_library(None))
show("F-10.36 load_library(int)", lambda: _cffi_backend.load_library(5))
show("F-10.36 load_library(bytes)", lambda: _cffi_backend.load_library(b"libm.so.6"))
show("F-10.36 load_library(NULL)", lambda: _cffi_backend.load_library(ffi.cast("void *", 0)))
show("F-10.36 load_library(int *)", lambda: _cffi_backend.load_library(ffi.cast("int *", 0)))
show("F-03.95 dlopen(NULL handle)", lambda: ffi.dlopen(ffi.cast("void *", 0)))
show("F-03.95 dlopen(int *)", lambda: ffi.dlopen(ffi.cast("int *", 8)))
m_handle = ctypes.CDLL("libm.so.6")._handle
show("F-03.95 dlopen(handle)", lambda: (lambda lib: (type(lib).__name__, lib.pow(2.0, 5.0)))(ffi.dlopen(ffi.cast("void *", m_handle))))
show("F-03.95 handle library name", lambda: repr(_cffi_backend.load_library(ffi.cast("void *", m_handle))) == "<clibrary '%s'>" % hex(m_handle))

# --- CLibrary.load_function on data symbols (F-10.37) ------------------------
process = _cffi_backend.load_library(None)
for t in ["int *", "char[]", "char[4]", "int", "int(*)(int)"]:
    show("F-10.37 load_function %s" % t, lambda t=t: (lambda r: (norm(repr(r)), type(r).__name__))(
        process.load_function(ffi.typeof(t), "abs" if "(" in t else "environ")))


def missing_symbol():
    # The loader's own words name the interpreter's path: kept out.
    try:
        process.load_function(ffi.typeof("int *"), "no_such_symbol_cffipy")
    except AttributeError as e:
        return str(e).split(": ")[0]


show("F-10.37 load_function missing", missing_symbol)

# --- constants only the C compiler knows (F-04.06, F-04.07) ------------------
cffi_k = cffi.FFI()
cffi_k.cdef("""
    #define FROM_C ...
    static const float SF = 42.5;
    const double CD;
    static const int SI;
    extern const int EX;
    char *const PC;
    extern const char *CP_VAR;
""")
klib = cffi_k.dlopen(None)
show("F-04.09 dir lists them", lambda: sorted(dir(klib)))
for kname in ["FROM_C", "SF", "CD", "SI", "EX", "PC"]:
    show("F-04.06 access %s" % kname, lambda kname=kname: getattr(klib, kname))
show("F-04.06 addressof", lambda: cffi_k.addressof(klib, "SF"))

# --- opaque structs by value (F-07.07) ----------------------------------------
cffi_o = cffi.FFI()
cffi_o.cdef("struct op; int takes(struct op); struct op gives(void); struct op *fine(struct op *);")
olib = cffi_o.dlopen(None)
show("F-07.07 argument", lambda: olib.takes)
show("F-07.07 result", lambda: olib.gives)
show("F-07.07 typeof argument", lambda: cffi_o.typeof("int(*)(struct op)"))
show("F-07.07 typeof result", lambda: cffi_o.typeof("struct op(*)(void)"))
show("F-07.07 pointers are fine", lambda: cffi_o.typeof("struct op *(*)(struct op *)"))

# --- partial enums (F-04.05, F-04.09) ------------------------------------------
cffi_e = cffi.FFI()
cffi_e.cdef("enum pe { PA, PB, ... }; enum qe { QA = 5 };")
elib = cffi_e.dlopen(None)
show("F-04.09 dir lists partial enumerators", lambda: sorted(dir(elib)))
show("F-04.05 partial enumerator", lambda: elib.PA)
show("F-04.05 plain enumerator", lambda: elib.QA)
show("F-04.05 typeof partial enum", lambda: cffi_e.typeof("enum pe"))

# --- a float in the variadic part (F-07.10): passed unpromoted, as cffi does --
# The format does not read it: C has no way to read an unpromoted float from
# `...` (valgrind would rightly flag "%f" reading half-set registers).
show("F-07.10 float extra is accepted", lambda: libc.snprintf(ffi.new("char[64]"), 64, b"x", ffi.cast("float", 1.5)))

# --- Python file objects as FILE * (F-06.33, F-06.34) ---------------------------
import tempfile  # noqa: E402

fffi = cffi.FFI()
fffi.cdef("""
    int fprintf(FILE *, const char *, ...);
    int fputs(const char *, FILE *);
    struct other;
""")
flib = fffi.dlopen(None)
fd, fpath = tempfile.mkstemp()
os.close(fd)
with open(fpath, "w") as pyfile:
    pyfile.write("python 1\n")
    show("F-06.33 fputs to a Python file", lambda: flib.fputs(b"C 1\n", pyfile))
    pyfile.write("python 2\n")
    show("F-06.33 fprintf to a Python file", lambda: flib.fprintf(pyfile, b"%s %d\n", fffi.new("char[]", b"C"), fffi.cast("int", 2)))
    show("F-06.33 stream kept on the file", lambda: type(getattr(pyfile, "__cffi_FILE", None)).__name__)
    show("F-06.34 cast to FILE *", lambda: norm(repr(fffi.cast("FILE *", pyfile))))
    show("F-06.34 an int for FILE *", lambda: flib.fputs(b"x", 5))
    # Address 1 is never called: the argument is refused first.
    show("F-06.33 a file for another struct pointer", lambda: fffi.cast("int(*)(struct other *)", 1)(pyfile))
show("F-06.33 what the file holds, in call order", lambda: open(fpath).read())
with open(fpath, "rb") as reading:
    show("F-06.33 writing to a read-only file", lambda: flib.fputs(b"z", reading))
os.unlink(fpath)
