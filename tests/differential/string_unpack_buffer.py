"""ffi.string, ffi.unpack, ffi.buffer, ffi.from_buffer and ffi.memmove.

Covers F-03.39 .. F-03.46 (string/unpack), F-03.47 .. F-03.58 (buffer
objects), F-03.59 .. F-03.68 (from_buffer), F-03.69 .. F-03.71 (memmove).

`del buf[i]` / `del buf[a:b]` (F-03.54) are not probed: cffi 2.0.0 crashes
the process with a segmentation fault on both.

Addresses are printed as 0xADDR and results through ascii().
"""

import array
import re
import warnings

import os
import sys

import cffi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _probe import norm, show  # noqa: E402

ffi = cffi.FFI()
ffi.cdef("""
    struct pt { int x, y; };
    struct var { int n; short items[]; };
    struct opaque;
    enum color { RED, GREEN = 5, BLUE, ALSO_GREEN = 5 };
    enum uns { U_BIG = 4000000000 };
    enum sgn { SN = -1, SP = 1 };
""")


hello = ffi.new("char[10]", b"hello")
full = ffi.new("char[3]", b"abc")
hp = ffi.cast("char *", hello)
null_c = ffi.cast("char *", 0)

# --- F-03.39 .. F-03.43: ffi.string --------------------------------------------
show("F-03.39 string char[10]", lambda: ffi.string(hello))
show("F-03.39 string char[3] no NUL", lambda: ffi.string(full))
show("F-03.39 string char*", lambda: ffi.string(hp))
show("F-03.39 string char* maxlen 3", lambda: ffi.string(hp, 3))
show("F-03.39 string char* maxlen 0", lambda: ffi.string(hp, 0))
show("F-03.39 string char* maxlen 99", lambda: ffi.string(hp, 99))
show("F-03.39 string char[10] maxlen 2", lambda: ffi.string(hello, 2))
show("F-03.39 string char[10] maxlen -1", lambda: ffi.string(hello, -1))
show("F-03.39 string char[3] maxlen 10", lambda: ffi.string(full, 10))
show("F-03.39 string embedded NUL", lambda: ffi.string(ffi.new("char[]", b"ab\x00cd")))
show("F-03.39 string unsigned char[]", lambda: ffi.string(ffi.new("unsigned char[]", b"\xffz")))
show("F-03.39 string signed char[]", lambda: ffi.string(ffi.new("signed char[]", b"xy")))
show("F-03.39 string empty", lambda: ffi.string(ffi.new("char[]", b"")))
show("F-03.39 string slice", lambda: ffi.string(hello[1:4]))
show("F-03.39 string p+1", lambda: ffi.string(hp + 1))
show("F-03.46 string keywords", lambda: ffi.string(cdata=hello, maxlen=4))
show("F-03.39 string maxlen float", lambda: ffi.string(hello, 1.5))
wide = ffi.new("wchar_t[8]", "h\u00e9\U00012345")
show("F-03.40 string wchar_t[]", lambda: ffi.string(wide))
show("F-03.40 string wchar_t maxlen 2", lambda: ffi.string(wide, 2))
show("F-03.40 string wchar_t*", lambda: ffi.string(ffi.cast("wchar_t *", wide)))
c16 = ffi.new("char16_t[]", "a\U00012345b")
show("F-03.40 string char16_t[] pair", lambda: ffi.string(c16))
show("F-03.40 string char16_t maxlen 2", lambda: ffi.string(c16, 2))
show("F-03.40 string char16_t lone", lambda: ffi.string(ffi.new("char16_t[]", [ "\ud800", "x"])))
show("F-03.40 string char32_t[]", lambda: ffi.string(ffi.new("char32_t[]", "x\U00012345")))
show("F-03.40 string char32_t too big",
     lambda: ffi.string(ffi.new("char32_t[]", [ffi.cast("char32_t", 0x110000)])))
show("F-03.40 string wchar_t negative",
     lambda: ffi.string(ffi.new("wchar_t[]", [ffi.cast("wchar_t", -1)])))
show("F-03.41 string char", lambda: ffi.string(ffi.cast("char", 65)))
show("F-03.41 string char 0", lambda: ffi.string(ffi.cast("char", 0)))
show("F-03.41 string wchar_t", lambda: ffi.string(ffi.cast("wchar_t", 0x1234)))
show("F-03.41 string char16_t 0", lambda: ffi.string(ffi.cast("char16_t", 0)))
show("F-03.43 string bytes item", lambda: ffi.string(hello[0]))
show("F-03.42 string enum GREEN", lambda: ffi.string(ffi.cast("enum color", 5)))
show("F-03.42 string enum BLUE", lambda: ffi.string(ffi.cast("enum color", 6)))
show("F-03.42 string enum unnamed", lambda: ffi.string(ffi.cast("enum color", 4)))
show("F-03.42 string enum negative", lambda: ffi.string(ffi.cast("enum color", -242)))
show("F-03.42 string signed enum -242", lambda: ffi.string(ffi.cast("enum sgn", -242)))
show("F-03.42 string signed enum SN", lambda: ffi.string(ffi.cast("enum sgn", -1)))
show("F-03.42 string enum unsigned", lambda: ffi.string(ffi.cast("enum uns", 4000000000)))
show("F-03.43 string NULL", lambda: ffi.string(null_c))
show("F-03.43 string NULL wchar", lambda: ffi.string(ffi.cast("wchar_t *", 0)))
show("F-03.43 string int", lambda: ffi.string(ffi.cast("int", 65)))
show("F-03.43 string short[]", lambda: ffi.string(ffi.new("short[]", [1, 0])))
show("F-03.43 string _Bool", lambda: ffi.string(ffi.cast("_Bool", 1)))
show("F-03.43 string _Bool[]", lambda: ffi.string(ffi.new("_Bool[]", [1, 0])))
show("F-03.43 string float", lambda: ffi.string(ffi.cast("float", 1)))
show("F-03.43 string int*", lambda: ffi.string(ffi.new("int *")))
show("F-03.43 string void*", lambda: ffi.string(ffi.cast("void *", hello)))
show("F-03.43 string struct", lambda: ffi.string(ffi.new("struct pt *")[0]))
show("F-03.43 string bytes", lambda: ffi.string(b"abc"))
show("F-03.43 string None", lambda: ffi.string(None))

# --- F-03.44 .. F-03.46: ffi.unpack --------------------------------------------
ints = ffi.new("int[]", [1, -2, 3, 0, 5])
show("F-03.44 unpack char* 7", lambda: ffi.unpack(hp, 7))
show("F-03.44 unpack char[] 3", lambda: ffi.unpack(hello, 3))
show("F-03.44 unpack char* 0", lambda: ffi.unpack(hp, 0))
show("F-03.44 unpack uchar*", lambda: ffi.unpack(ffi.cast("unsigned char *", hello), 3))
show("F-03.44 unpack schar*", lambda: ffi.unpack(ffi.cast("signed char *", hello), 2))
show("F-03.44 unpack int*", lambda: ffi.unpack(ffi.cast("int *", ints), 5))
show("F-03.44 unpack int[] past NUL", lambda: ffi.unpack(ints, 5))
show("F-03.44 unpack wchar_t*", lambda: ffi.unpack(ffi.cast("wchar_t *", wide), 4))
show("F-03.44 unpack char16_t pair", lambda: ffi.unpack(c16, 4))
show("F-03.44 unpack char16_t half pair", lambda: ffi.unpack(c16, 2))
show("F-03.44 unpack char32_t", lambda: ffi.unpack(ffi.new("char32_t[]", "xy"), 3))
show("F-03.44 unpack double[]", lambda: ffi.unpack(ffi.new("double[]", [0.5, -1]), 2))
show("F-03.44 unpack float[]", lambda: ffi.unpack(ffi.new("float[]", [0.1]), 1))
show("F-03.44 unpack _Bool[]", lambda: ffi.unpack(ffi.new("_Bool[]", [1, 0]), 2))
show("F-03.44 unpack long double[]", lambda: ffi.unpack(ffi.new("long double[]", [1.5]), 1))
show("F-03.44 unpack enum[]", lambda: ffi.unpack(ffi.new("enum color[]", [5, 7]), 2))
show("F-03.44 unpack int*[]", lambda: ffi.unpack(ffi.new("int *[]", [ints, ffi.NULL]), 2))
show("F-03.44 unpack struct pt[]", lambda: ffi.unpack(ffi.new("struct pt[]", [[1, 2], [3, 4]]), 2))
pts = ffi.new("struct pt[]", [[1, 2], [3, 4]])
show("F-03.44 unpack struct fields", lambda: [(q.x, q.y) for q in ffi.unpack(pts, 2)])
show("F-03.44 unpack struct refs share memory",
     lambda: (ffi.unpack(pts, 1)[0].__setattr__("x", 50), pts[0].x)[1])
show("F-03.44 unpack int[2][2]", lambda: ffi.unpack(ffi.new("int[2][2]", [[1, 2], [3, 4]]), 2))
show("F-03.46 unpack keywords", lambda: ffi.unpack(cdata=hp, length=2))
show("F-03.45 unpack int", lambda: ffi.unpack(ffi.cast("int", 1), 1))
show("F-03.45 unpack struct", lambda: ffi.unpack(ffi.new("struct pt *")[0], 1))
show("F-03.45 unpack bytes", lambda: ffi.unpack(b"abc", 1))
show("F-03.45 unpack no length", lambda: ffi.unpack(hp))
show("F-03.45 unpack -1", lambda: ffi.unpack(hp, -1))
show("F-03.45 unpack NULL 0", lambda: ffi.unpack(null_c, 0))
show("F-03.45 unpack NULL int* 2", lambda: ffi.unpack(ffi.cast("int *", 0), 2))
show("F-03.45 unpack void*", lambda: ffi.unpack(ffi.cast("void *", hello), 2))
show("F-03.45 unpack opaque*", lambda: ffi.unpack(ffi.cast("struct opaque *", hello), 1))
show("F-03.45 unpack length float", lambda: ffi.unpack(hp, 2.0))
show("F-03.45 unpack fnptr", lambda: ffi.unpack(ffi.cast("int(*)(int)", 0), 1))

# --- F-03.47 .. F-03.58: ffi.buffer --------------------------------------------
data = ffi.new("char[]", b"abcdef")
buf = ffi.buffer(data)
show("F-03.47 len buffer char[]", lambda: len(buf))
show("F-03.47 len buffer int*", lambda: len(ffi.buffer(ffi.new("int *"))))
show("F-03.47 len buffer int[5]", lambda: len(ffi.buffer(ffi.new("int[5]"))))
show("F-03.47 len buffer size 3", lambda: len(ffi.buffer(data, 3)))
show("F-03.47 len buffer size -1", lambda: len(ffi.buffer(data, -1)))
show("F-03.47 len buffer size 0", lambda: len(ffi.buffer(data, 0)))
show("F-03.47 len buffer struct*", lambda: len(ffi.buffer(ffi.new("struct pt *"))))
show("F-03.47 len buffer varsize", lambda: len(ffi.buffer(ffi.new("struct var *", [1, 5]))))
show("F-03.47 len buffer slice", lambda: len(ffi.buffer(ffi.new("int[8]")[2:5])))
show("F-03.47 len buffer keywords", lambda: len(ffi.buffer(cdata=data, size=2)))
show("F-03.47 buffer void* with size", lambda: bytes(ffi.buffer(ffi.cast("void *", data), 2)))
show("F-03.48 buffer int", lambda: ffi.buffer(ffi.cast("int", 1)))
show("F-03.48 buffer struct", lambda: len(ffi.buffer(ffi.new("struct pt *")[0])))
show("F-03.48 buffer bytes", lambda: ffi.buffer(b"abc"))
show("F-03.48 buffer void*", lambda: ffi.buffer(ffi.cast("void *", data)))
show("F-03.48 buffer opaque*", lambda: ffi.buffer(ffi.cast("struct opaque *", data)))
show("F-03.48 buffer NULL", lambda: ffi.buffer(ffi.cast("int *", 0)))
show("F-03.48 buffer size float", lambda: ffi.buffer(data, 1.0))


def buffer_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        b = ffi.buffer(ffi.new("char[4]"), 4)
        b2 = ffi.buffer(ffi.new("char[4]"), 4)
        del b, b2
        big = ffi.new("char[8]")
        b3 = ffi.buffer(big, 16)
        n = len(b3)
    return n, [(w.category.__name__, norm(str(w.message))) for w in caught]


show("F-03.49 buffer larger than owned", buffer_warning)
show("F-03.51 buf[0]", lambda: buf[0])
show("F-03.51 buf[-1]", lambda: buf[-1])
show("F-03.51 buf[6] NUL", lambda: buf[6])
show("F-03.51 buf[7]", lambda: buf[7])
show("F-03.51 buf[-8]", lambda: buf[-8])
show("F-03.51 buf[1.0]", lambda: buf[1.0])
show("F-03.51 buf[0] = b'A'", lambda: (buf.__setitem__(0, b"A"), buf[0], data[0])[1:])
show("F-03.51 buf[0] = 66", lambda: buf.__setitem__(0, 66))
show("F-03.51 buf[0] = b'AB'", lambda: buf.__setitem__(0, b"AB"))
show("F-03.51 buf[0] = 'A'", lambda: buf.__setitem__(0, "A"))
show("F-03.51 buf[0] = bytearray", lambda: buf.__setitem__(0, bytearray(b"C")))
show("F-03.51 buf[9] = b'x'", lambda: buf.__setitem__(9, b"x"))
show("F-03.52 buf[1:3]", lambda: buf[1:3])
show("F-03.52 buf[:]", lambda: buf[:])
show("F-03.52 buf[-3:]", lambda: buf[-3:])
show("F-03.52 buf[5:100]", lambda: buf[5:100])
show("F-03.52 buf[4:2]", lambda: buf[4:2])
show("F-03.52 buf[::2]", lambda: buf[::2])
show("F-03.52 buf[0:4:1]", lambda: buf[0:4:1])
show("F-03.52 buf[::-1]", lambda: buf[::-1])


def slice_set(lo, hi, value):
    def probe():
        d = ffi.new("char[]", b"abcdef")
        b = ffi.buffer(d)
        b[lo:hi] = value
        return bytes(b)
    return probe


show("F-03.53 buf[1:3] = b'XY'", slice_set(1, 3, b"XY"))
show("F-03.53 buf[1:3] = bytearray", slice_set(1, 3, bytearray(b"XY")))
show("F-03.53 buf[1:3] = memoryview", slice_set(1, 3, memoryview(b"XY")))
show("F-03.53 buf[0:4] = array", slice_set(0, 4, array.array("i", [0x44434241])))
show("F-03.53 buf[1:3] = buffer", slice_set(1, 3, ffi.buffer(ffi.new("char[]", b"Z"))))
show("F-03.53 buf[:] = 7 bytes", slice_set(None, None, b"1234567"))
show("F-03.53 buf[1:3] = b'X'", slice_set(1, 3, b"X"))
show("F-03.53 buf[1:3] = b'XYZ'", slice_set(1, 3, b"XYZ"))
show("F-03.53 buf[1:3] = 'XY'", slice_set(1, 3, "XY"))
show("F-03.53 buf[1:3] = [1, 2]", slice_set(1, 3, [1, 2]))
show("F-03.53 buf[::2] = b'xy'", lambda: ffi.buffer(ffi.new("char[4]")).__setitem__(slice(None, None, 2), b"xy"))
show("F-03.53 buf[5:100] = b'Z'", slice_set(5, 100, b"ZZ"))
show("F-03.55 bytes(buf)", lambda: bytes(buf))
show("F-03.55 str(buf)", lambda: str(buf))
show("F-03.55 repr(buf)", lambda: repr(buf))
show("F-03.55 list(buf)", lambda: list(buf))
show("F-03.55 buf copy independent", lambda: (lambda c: (data.__setitem__(1, b"b"), c)[1])(buf[:]))
show("F-03.56 memoryview tobytes", lambda: memoryview(buf).tobytes())
show("F-03.56 memoryview format", lambda: (lambda m: (m.format, m.ndim, m.shape, m.readonly, m.itemsize))(memoryview(buf)))
show("F-03.56 memoryview write", lambda: (memoryview(buf).__setitem__(1, ord("Q")), data[1])[1])
show("F-03.56 bytearray(buf)", lambda: bytearray(buf))
show("F-03.57 buf == bytes", lambda: buf == bytes(buf))
show("F-03.57 buf == prefix", lambda: buf == bytes(buf)[:3])
show("F-03.57 buf != bytes", lambda: buf != b"zzz")
show("F-03.57 buf < b'b'", lambda: buf < b"b")
show("F-03.57 buf > b'A'", lambda: buf > b"A")
show("F-03.57 buf <= same", lambda: buf <= bytes(buf))
show("F-03.57 buf >= longer", lambda: buf >= bytes(buf) + b"x")
show("F-03.57 buf == bytearray", lambda: buf == bytearray(bytes(buf)))
show("F-03.57 buf == other buffer", lambda: buf == ffi.buffer(ffi.new("char[]", bytes(buf)[:-1])))
show("F-03.57 buf == str", lambda: buf == "AQcdef\x00")
show("F-03.57 buf < str", lambda: buf < "a")
show("F-03.57 buf == 5", lambda: buf == 5)
show("F-03.57 hash(buf)", lambda: hash(buf))
show("F-03.57 bool(buf)", lambda: bool(buf))
show("F-03.57 bool(empty buf)", lambda: bool(ffi.buffer(data, 0)))
show("F-03.58 isinstance", lambda: isinstance(buf, ffi.buffer))
show("F-03.58 type is", lambda: type(buf) is ffi.buffer)
show("F-03.58 type name", lambda: type(buf).__module__ + "." + type(buf).__name__)
show("F-03.58 typeof(buf)", lambda: ffi.typeof(buf))
show("F-03.05 ffi.buffer(...) constructor", lambda: bytes(ffi.buffer(full)))
show("F-03.50 buffer keeps cdata alive", lambda: bytes(ffi.buffer(ffi.new("char[]", b"live"))))

# --- F-03.59 .. F-03.68: ffi.from_buffer -------------------------------------------
ba = bytearray(b"0123456789")
show("F-03.59 from_buffer bytes", lambda: ffi.from_buffer(b"xyz"))
show("F-03.59 from_buffer bytearray", lambda: ffi.from_buffer(ba))
show("F-03.59 from_buffer bytearray len", lambda: len(ffi.from_buffer(ba)))
show("F-03.59 from_buffer bytearray items", lambda: ffi.from_buffer(ba)[2])
show("F-03.59 from_buffer memoryview", lambda: ffi.from_buffer(memoryview(ba)))
show("F-03.59 from_buffer array", lambda: ffi.from_buffer(array.array("h", [1, 2, 3])))
show("F-03.59 from_buffer ffi.buffer", lambda: ffi.from_buffer(ffi.buffer(hello)))
show("F-03.59 from_buffer typeof", lambda: ffi.typeof(ffi.from_buffer(ba)))
show("F-03.59 from_buffer writes through", lambda: (ffi.from_buffer(ba).__setitem__(0, b"Z"), bytes(ba))[1])
show("F-03.59 from_buffer empty", lambda: ffi.from_buffer(b""))
show("F-03.60 from_buffer str", lambda: ffi.from_buffer("abc"))
show("F-03.60 from_buffer int", lambda: ffi.from_buffer(5))
show("F-03.60 from_buffer list", lambda: ffi.from_buffer([1, 2]))
show("F-03.60 from_buffer non-contiguous", lambda: ffi.from_buffer(memoryview(ba)[::2]))
show("F-03.61 from_buffer int[]", lambda: ffi.from_buffer("int[]", ba))
show("F-03.61 from_buffer int[] items", lambda: list(ffi.from_buffer("int[]", array.array("i", [7, -8]))))
show("F-03.61 from_buffer short[] odd", lambda: len(ffi.from_buffer("short[]", bytearray(7))))
show("F-03.61 from_buffer int[2]", lambda: ffi.from_buffer("int[2]", ba))
show("F-03.61 from_buffer int[3] too small", lambda: ffi.from_buffer("int[3]", ba))
show("F-03.61 from_buffer char[2][5]", lambda: ffi.from_buffer("char[2][5]", ba))
rows_src = bytearray(b"ab\x00\x00\x00cd\x00\x00\x00")
rows = ffi.from_buffer("char[2][5]", rows_src)
show("F-03.61 from_buffer char[2][5] row", lambda: ffi.string(rows[1]))
show("F-03.61 from_buffer int*", lambda: ffi.from_buffer("int *", ba))
show("F-03.61 from_buffer int* [1]", lambda: ffi.from_buffer("int *", array.array("i", [3, 4]))[1])
show("F-03.61 from_buffer struct pt*", lambda: ffi.from_buffer("struct pt *", array.array("i", [3, 4])).y)
show("F-03.61 from_buffer struct pt[]", lambda: ffi.from_buffer("struct pt[]", array.array("i", [3, 4, 5])))
show("F-03.62 from_buffer int", lambda: ffi.from_buffer("int", ba))
show("F-03.62 from_buffer struct pt", lambda: ffi.from_buffer("struct pt", ba))
show("F-03.62 from_buffer void[]", lambda: ffi.from_buffer("void *", ba))
show("F-03.62 from_buffer opaque[]", lambda: ffi.from_buffer("struct opaque *", ba))
show("F-03.63 require_writable bytes", lambda: ffi.from_buffer(b"abc", require_writable=True))
show("F-03.63 require_writable bytearray", lambda: ffi.from_buffer(ba, require_writable=True))
show("F-03.63 require_writable ro memoryview", lambda: ffi.from_buffer(memoryview(b"ab"), require_writable=True))
show("F-03.63 require_writable cdecl", lambda: ffi.from_buffer("char[]", b"ab", True))
show("F-03.63 bytes result writable-looking", lambda: ffi.typeof(ffi.from_buffer(b"ab")))
show("F-03.68 from_buffer(a, True)", lambda: ffi.from_buffer(ba, True))
show("F-03.68 from_buffer keywords", lambda: ffi.from_buffer(cdecl="char[]", python_buffer=ba, require_writable=False))


def from_buffer_locks():
    b = bytearray(b"abc")
    p = ffi.from_buffer(b)
    try:
        b.extend(b"d")
        first = "resized"
    except BufferError as e:
        first = "BufferError " + str(e)
    ffi.release(p)
    b.extend(b"e")
    return first, repr(p), bytes(b)


show("F-03.64 from_buffer locks bytearray", from_buffer_locks)
show("F-03.65 from_buffer ptr repr", lambda: ffi.from_buffer("int *", ba))
show("F-03.65 from_buffer ptr [0] struct", lambda: ffi.from_buffer("struct pt *", array.array("i", [3, 4]))[0])
show("F-03.66 release from_buffer [0]", lambda: ffi.release(ffi.from_buffer("struct pt *", array.array("i", [3, 4]))[0]))
show("F-03.66 sizeof from_buffer varsize [0]", lambda: ffi.sizeof(ffi.from_buffer("struct var *", bytearray(16))[0]))
show("F-03.67 from_buffer equal", lambda: ffi.from_buffer(ba) == ffi.from_buffer(ba))
show("F-03.67 from_buffer ptr == arr", lambda: ffi.from_buffer("char *", ba) == ffi.from_buffer(ba))
show("F-03.65 with from_buffer", lambda: (lambda p: (p.__enter__() is p, p.__exit__(None, None, None), p)[::2])(ffi.from_buffer(ba)))

# --- F-03.69 .. F-03.71: ffi.memmove ------------------------------------------------
def mm(dest_init, src, n, dest_kind="cdata"):
    def probe():
        if dest_kind == "cdata":
            d = ffi.new("char[]", dest_init)
        elif dest_kind == "bytearray":
            d = bytearray(dest_init)
        else:
            d = dest_kind(dest_init)
        r = ffi.memmove(d, src, n)
        out = ffi.unpack(d, len(d)) if isinstance(d, ffi.CData) else bytes(d)
        return r, out
    return probe


show("F-03.69 memmove cdata<-cdata", mm(b"........", ffi.new("char[]", b"xyz"), 3))
show("F-03.69 memmove cdata<-bytes", mm(b"........", b"abc", 2))
show("F-03.69 memmove cdata<-bytearray", mm(b"........", bytearray(b"abc"), 3))
show("F-03.69 memmove cdata<-buffer", mm(b"........", ffi.buffer(ffi.new("char[]", b"BUF")), 3))
show("F-03.69 memmove cdata<-array", mm(b"........", array.array("b", [65, 66]), 2))
show("F-03.69 memmove bytearray<-cdata", mm(b"........", ffi.new("char[]", b"xyz"), 4, "bytearray"))
show("F-03.69 memmove buffer<-bytes", lambda: (lambda d: (ffi.memmove(ffi.buffer(d), b"QQ", 2), ffi.string(d))[1])(ffi.new("char[]", b"abcd")))
show("F-03.69 memmove int[]<-int[]", lambda: (lambda d: (ffi.memmove(d, ffi.new("int[]", [7, 8]), 8), list(d))[1])(ffi.new("int[3]")))
show("F-03.69 memmove int[]<-bytes", lambda: (lambda d: (ffi.memmove(d, b"\x01\x00\x00\x00", 4), list(d))[1])(ffi.new("int[2]")))
show("F-03.69 memmove n=0", mm(b"..", b"zz", 0))
show("F-03.69 memmove keywords", lambda: (lambda d: (ffi.memmove(dest=d, src=b"k", n=1), ffi.string(d))[1])(ffi.new("char[]", b"ab")))


def overlap(shift):
    def probe():
        d = ffi.new("char[]", b"0123456789")
        if shift > 0:
            ffi.memmove(d + shift, d, 6)
        else:
            ffi.memmove(d, d - shift, 6)
        return ffi.unpack(d, 10)
    return probe


show("F-03.69 memmove overlap forward", overlap(2))
show("F-03.69 memmove overlap backward", overlap(-2))
show("F-03.69 memmove overlap slices", lambda: (lambda d: (ffi.memmove(d[1:5], d[0:4], 4), ffi.unpack(d, 6))[1])(ffi.new("char[]", b"abcdef")))
show("F-03.70 memmove n=-1", mm(b"..", b"zz", -1))
show("F-03.70 memmove dest bytes", lambda: ffi.memmove(b"abc", b"x", 1))
show("F-03.70 memmove dest int cdata", lambda: ffi.memmove(ffi.cast("int", 1), b"x", 1))
show("F-03.70 memmove src int cdata", lambda: ffi.memmove(ffi.new("char[2]"), ffi.cast("int", 1), 1))
show("F-03.70 memmove src int", lambda: ffi.memmove(ffi.new("char[2]"), 5, 1))
show("F-03.70 memmove src str", lambda: ffi.memmove(ffi.new("char[2]"), "x", 1))
show("F-03.70 memmove dest None", lambda: ffi.memmove(None, b"x", 1))
show("F-03.70 memmove src non-contiguous", lambda: ffi.memmove(ffi.new("char[2]"), memoryview(b"abcd")[::2], 2))
show("F-03.70 memmove n float", lambda: ffi.memmove(ffi.new("char[2]"), b"x", 1.0))
