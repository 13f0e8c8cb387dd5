"""ffi.new with every kind of initializer, and the repr of what it returns.

Covers F-03.10 .. F-03.26 (ffi.new: pointer/array cdecls, `T[]` lengths,
list/tuple/bytes/str/dict/cdata initializers, too many initializers,
wrong types, opaque and void types, size overflow) and F-05.06 .. F-05.13
(repr of primitives, long double, enums, pointers, struct references,
owning objects, slices, handles).

Every address in a repr or message is replaced by 0xADDR; results are
printed with ascii() so that the output does not depend on the locale.
"""

import os
import sys

import cffi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _probe import norm, show  # noqa: E402

ffi = cffi.FFI()
ffi.cdef("""
    struct pt { int x, y; };
    union num { int i; double d; char c[8]; };
    struct line { struct pt a, b; };
    struct rec { char name[6]; short vals[3]; struct pt *link; };
    struct anon { int tag; union { int i; float f; }; struct { short lo, hi; }; };
    struct var { int n; int items[]; };
    struct opaque;
    enum color { RED, GREEN = 5, BLUE };
    enum big { NEG = -3, HUGE = 4000000000 };
    typedef struct { double re, im; } cplx_t;
""")


def held(cdecl, init, func):
    """Call func on a fresh ffi.new() result while keeping that owner alive
    (reading through a view of a freed temporary would print garbage)."""
    owner = ffi.new(cdecl, init)
    return func(owner)


# --- F-03.11 / F-03.16 / F-05.11: scalars through `T *` ---------------------
show("F-03.11 new int*", lambda: ffi.new("int *"))
show("F-03.11 new int* [0]", lambda: ffi.new("int *")[0])
show("F-03.16 new int* 42", lambda: ffi.new("int *", 42)[0])
show("F-03.16 new int* -1", lambda: ffi.new("int *", -1)[0])
show("F-03.16 new uint* 2**32-1", lambda: ffi.new("unsigned int *", 2**32 - 1)[0])
show("F-03.16 new char*", lambda: ffi.new("char *"))
show("F-03.16 new char* b'A'", lambda: ffi.new("char *", b"A")[0])
show("F-03.16 new _Bool*", lambda: ffi.new("_Bool *"))
show("F-03.16 new _Bool* True", lambda: ffi.new("_Bool *", True)[0])
show("F-03.16 new _Bool* 1", lambda: ffi.new("_Bool *", 1)[0])
show("F-03.16 new float* 1.1", lambda: ffi.new("float *", 1.1)[0])
show("F-03.16 new double* 1.1", lambda: ffi.new("double *", 1.1)[0])
show("F-03.16 new double* 3", lambda: ffi.new("double *", 3)[0])
show("F-03.16 new long double*", lambda: ffi.new("long double *", 2.5))
show("F-03.16 new long double* [0]", lambda: ffi.new("long double *", 2.5)[0])
show("F-03.16 new enum*", lambda: ffi.new("enum color *"))
show("F-03.16 new enum* 5", lambda: ffi.new("enum color *", 5)[0])
show("F-03.16 new enum* BLUE value", lambda: ffi.new("enum color *", 6)[0])
show("F-03.16 new enum* 'RED'", lambda: ffi.new("enum color *", "RED"))
show("F-03.16 new int* list", lambda: ffi.new("int *", [1]))
show("F-03.16 new int* 1.5", lambda: ffi.new("int *", 1.5))
show("F-03.16 new int* None", lambda: ffi.new("int *", None))
show("F-03.16 new int* b'A'", lambda: ffi.new("int *", b"A"))
show("F-03.16 new char* 65", lambda: ffi.new("char *", 65))
show("F-03.16 new char* 'A'", lambda: ffi.new("char *", "A"))
show("F-03.16 new char* b'AB'", lambda: ffi.new("char *", b"AB"))
show("F-03.16 new short* 70000", lambda: ffi.new("short *", 70000))
show("F-03.16 new wchar_t* 'x'", lambda: ffi.new("wchar_t *", "x")[0])
show("F-03.16 new char16_t*", lambda: ffi.new("char16_t *", "\u1234"))
show("F-03.16 new char32_t* [0]", lambda: ffi.new("char32_t *", "\U00012345")[0])

# --- pointers to pointers: None / NULL / cdata -----------------------------
target = ffi.new("int *", 7)
show("F-03.16 new int** default", lambda: ffi.new("int **")[0])
show("F-03.16 new int** NULL", lambda: ffi.new("int **", ffi.NULL)[0])
show("F-03.16 new int** None", lambda: ffi.new("int **", None))
show("F-03.16 new int** 0", lambda: ffi.new("int **", 0))
show("F-03.16 new int** target eq", lambda: ffi.new("int **", target)[0] == target)
show("F-03.16 new int** target deref", lambda: ffi.new("int **", target)[0][0])
show("F-03.16 new int** char*", lambda: ffi.new("int **", ffi.new("char *")))
show("F-03.16 new void** target", lambda: ffi.new("void **", target)[0] == target)
show("F-03.21 new struct opaque**", lambda: ffi.new("struct opaque **"))
show("F-03.22 new void**", lambda: ffi.new("void **"))

# --- F-03.10 / F-03.21 / F-03.22: types that cannot be allocated -----------
show("F-03.10 new int", lambda: ffi.new("int"))
show("F-03.10 new struct pt", lambda: ffi.new("struct pt"))
show("F-03.10 new enum color", lambda: ffi.new("enum color"))
show("F-03.10 new cdata cdecl", lambda: ffi.new(ffi.new("int *")))
show("F-03.10 new ctype int*", lambda: ffi.new(ffi.typeof("int *"), 3)[0])
show("F-03.10 new fnptr", lambda: ffi.new("int(*)(int)"))
show("F-03.21 new struct opaque*", lambda: ffi.new("struct opaque *"))
show("F-03.22 new void*", lambda: ffi.new("void *"))
show("F-03.22 new void[]", lambda: ffi.new("void[]", 3))
show("F-03.25 new keywords", lambda: ffi.new(cdecl="int[]", init=[4, 5]))

# --- F-03.11 .. F-03.15: arrays ---------------------------------------------
show("F-03.11 new int[3]", lambda: ffi.new("int[3]"))
show("F-03.11 new int[3] list", lambda: list(ffi.new("int[3]")))
show("F-03.12 new int[] 5", lambda: ffi.new("int[]", 5))
show("F-03.12 new int[] 0", lambda: ffi.new("int[]", 0))
show("F-03.12 new int[] 0 len", lambda: len(ffi.new("int[]", 0)))
show("F-03.12 new int[] -1", lambda: ffi.new("int[]", -1))
show("F-03.12 new int[] no init", lambda: ffi.new("int[]"))
show("F-03.12 new int[] 2.0", lambda: ffi.new("int[]", 2.0))
show("F-03.12 new int[] True", lambda: ffi.new("int[]", True))
show("F-03.13 new int[] list", lambda: ffi.new("int[]", [1, 2, 3]))
show("F-03.13 new int[] tuple", lambda: list(ffi.new("int[]", (4, 5))))
show("F-03.13 new int[] empty", lambda: ffi.new("int[]", []))
show("F-03.13 new char[] b'abc'", lambda: ffi.new("char[]", b"abc"))
show("F-03.13 new char[] b'abc' items", lambda: list(ffi.new("char[]", b"abc")))
show("F-03.13 new char[] b''", lambda: ffi.new("char[]", b""))
show("F-03.13 new uchar[] bytes", lambda: list(ffi.new("unsigned char[]", b"\xff\x01")))
show("F-03.13 new schar[] bytes", lambda: list(ffi.new("signed char[]", b"\xff\x01")))
show("F-03.13 new wchar_t[] 'abc'", lambda: ffi.new("wchar_t[]", "abc"))
show("F-03.13 new wchar_t[] len", lambda: len(ffi.new("wchar_t[]", "a\U00012345")))
show("F-03.13 new char16_t[] len", lambda: len(ffi.new("char16_t[]", "a\U00012345")))
show("F-03.13 new char16_t[] items", lambda: list(ffi.new("char16_t[]", "a\U00012345")))
show("F-03.13 new char32_t[] items", lambda: list(ffi.new("char32_t[]", "a\U00012345")))
show("F-03.13 new char[] str", lambda: ffi.new("char[]", "abc"))
show("F-03.13 new wchar_t[] bytes", lambda: ffi.new("wchar_t[]", b"abc"))
show("F-03.13 new char[] bytearray", lambda: ffi.new("char[]", bytearray(b"ab")))
show("F-03.13 new int[] bytes", lambda: ffi.new("int[]", b"ab"))
show("F-03.14 new int[4] partial", lambda: list(ffi.new("int[4]", [9, 8])))
show("F-03.14 new int[2] too many", lambda: ffi.new("int[2]", [1, 2, 3]))
show("F-03.14 new char[3] b'abcd'", lambda: ffi.new("char[3]", b"abcd"))
show("F-03.14 new char[3] b'abc' no NUL", lambda: list(ffi.new("char[3]", b"abc")))
show("F-03.14 new char[5] b'ab'", lambda: list(ffi.new("char[5]", b"ab")))
show("F-03.14 new wchar_t[2] 'abc'", lambda: ffi.new("wchar_t[2]", "abc"))
show("F-03.14 new int[2] bad item", lambda: ffi.new("int[2]", [1, "x"]))
show("F-03.14 new int[] 2**31 item", lambda: ffi.new("int[]", [2**31]))
src3 = ffi.new("int[3]", [7, 8, 9])
show("F-03.14 new int[3] 5", lambda: ffi.new("int[3]", 5))
show("F-03.14 new char[3] 3", lambda: ffi.new("char[3]", 3))
show("F-03.14 new char[] 3", lambda: ffi.new("char[]", 3))
show("F-03.15 new int[3] from int[3]", lambda: list(ffi.new("int[3]", src3)))
show("F-03.15 new int[4] from int[3]", lambda: ffi.new("int[4]", src3))
show("F-03.15 new int[] from int[3]", lambda: ffi.new("int[]", src3))
show("F-03.15 new long[3] from int[3]", lambda: ffi.new("long[3]", src3))
show("F-03.15 new int[3] from int*", lambda: ffi.new("int[3]", ffi.cast("int *", src3)))

# --- nested arrays ----------------------------------------------------------
show("F-03.19 new int[2][3]", lambda: ffi.new("int[2][3]"))
show("F-03.19 new int[2][3] nested", lambda: [list(r) for r in ffi.new("int[2][3]", [[1, 2], [3, 4, 5]])])
show("F-03.19 new int[][2]", lambda: ffi.new("int[][2]", [[1, 2], [3, 4], [5]]))
show("F-03.19 new int[][2] 3", lambda: ffi.new("int[][2]", 3))
show("F-03.19 new int[][2] row", lambda: ffi.new("int[][2]", 3)[1])
show("F-03.19 new int[2][2] too many inner", lambda: ffi.new("int[2][2]", [[1, 2, 3]]))
show("F-03.19 new char[2][4] bytes", lambda: [ffi.string(r) for r in ffi.new("char[2][4]", [b"ab", b"xyz"])])

# --- F-03.17 .. F-03.20: structs and unions ---------------------------------
show("F-03.17 new struct pt*", lambda: ffi.new("struct pt *"))
show("F-03.17 new struct pt* list", lambda: (lambda p: (p.x, p.y))(ffi.new("struct pt *", [1, 2])))
show("F-03.17 new struct pt* tuple", lambda: (lambda p: (p.x, p.y))(ffi.new("struct pt *", (3,))))
show("F-03.17 new struct pt* dict", lambda: (lambda p: (p.x, p.y))(ffi.new("struct pt *", {"y": 9})))
show("F-03.17 new struct pt* too many", lambda: ffi.new("struct pt *", [1, 2, 3]))
show("F-03.17 new struct pt* unknown key", lambda: ffi.new("struct pt *", {"z": 1}))
show("F-03.17 new struct pt* int", lambda: ffi.new("struct pt *", 5))
show("F-03.17 new struct pt* bytes", lambda: ffi.new("struct pt *", b"ab"))
show("F-03.17 new struct pt* bad field", lambda: ffi.new("struct pt *", ["a"]))
show("F-03.17 new struct pt* bad dict val", lambda: ffi.new("struct pt *", {"x": 1.5}))
orig = ffi.new("struct pt *", [10, 20])
show("F-03.17 new struct pt* from struct", lambda: (lambda p: (p.x, p.y))(ffi.new("struct pt *", orig[0])))
show("F-03.17 new struct pt* from pointer", lambda: ffi.new("struct pt *", orig))
show("F-03.17 new struct line* from pt", lambda: ffi.new("struct line *", orig[0]))
show("F-03.17 new cplx_t*", lambda: ffi.new("cplx_t *", [1.5, -2]))
show("F-03.17 new cplx_t* re", lambda: ffi.new("cplx_t *", [1.5, -2]).im)
show("F-03.18 new union num* [5]", lambda: ffi.new("union num *", [5]).i)
show("F-03.18 new union num* too many", lambda: ffi.new("union num *", [5, 6.0]))
show("F-03.18 new union num* dict d", lambda: ffi.new("union num *", {"d": 1.0}).d)
show("F-03.18 new union num* dict c", lambda: held("union num *", {"c": b"hi"}, lambda q: ffi.string(q.c)))
show("F-03.18 new union num", lambda: ffi.new("union num *"))
show("F-03.19 new struct line* nested list", lambda: held("struct line *", [[1, 2], [3, 4]], lambda q: q.b.y))
show("F-03.19 new struct line* nested dict", lambda: held("struct line *", {"b": {"x": 7}}, lambda q: q.b.x))
show("F-03.19 new struct line* mixed", lambda: held("struct line *", [{"y": 5}, (6,)], lambda q: (q.a.y, q.b.x)))
show("F-03.19 new struct line* from pt cdata", lambda: held("struct line *", [orig[0]], lambda q: q.a.y))
show("F-03.19 new struct rec*", lambda: ffi.new("struct rec *", [b"hello", [1, 2, 3], orig]))
show("F-03.19 new struct rec* name", lambda: held("struct rec *", [b"hello"], lambda q: ffi.string(q.name)))
show("F-03.19 new struct rec* vals", lambda: held("struct rec *", {"vals": [4, 5]}, lambda q: list(q.vals)))
show("F-03.19 new struct rec* link", lambda: ffi.new("struct rec *", {"link": orig}).link.y)
show("F-03.19 new struct rec* name too long", lambda: ffi.new("struct rec *", [b"toolong"]))
show("F-03.19 new struct rec* vals too many", lambda: ffi.new("struct rec *", [b"", [1, 2, 3, 4]]))
show("F-03.19 new struct rec* link None", lambda: ffi.new("struct rec *", [b"", [], None]))
show("F-03.17 new struct anon* flat list", lambda: (lambda p: (p.tag, p.i, p.lo, p.hi))(ffi.new("struct anon *", [1, 2, 3, 4])))
show("F-03.17 new struct anon* too many", lambda: ffi.new("struct anon *", [1, 2, 3, 4, 5]))
show("F-03.18 new struct anon* dict f", lambda: ffi.new("struct anon *", {"f": 1.5}).f)
show("F-03.19 new struct pt[2]", lambda: ffi.new("struct pt[2]"))
show("F-03.19 new struct pt[] lists", lambda: [(q.x, q.y) for q in ffi.new("struct pt[]", [[1, 2], {"y": 3}, orig[0]])])
show("F-03.19 new struct pt[] item", lambda: ffi.new("struct pt[]", 2)[1])
show("F-03.19 new struct pt[1] too many", lambda: ffi.new("struct pt[1]", [[1], [2]]))
show("F-03.20 new struct var* [5,[6,7,8]]", lambda: ffi.new("struct var *", [5, [6, 7, 8]]))
show("F-03.20 new struct var* len", lambda: len(ffi.new("struct var *", [5, [6, 7, 8]]).items))
show("F-03.20 new struct var* [5,3]", lambda: ffi.new("struct var *", [5, 3]))
show("F-03.20 new struct var* dict", lambda: held("struct var *", {"items": 2}, lambda q: list(q.items)))
show("F-03.20 new struct var* plain", lambda: ffi.new("struct var *"))
show("F-03.20 new struct var* sizeof [0]", lambda: ffi.sizeof(ffi.new("struct var *", [0, 4])[0]))
show("F-03.24 new struct pt* [0]", lambda: ffi.new("struct pt *")[0])
show("F-03.24 new struct var* [0]", lambda: ffi.new("struct var *", [1, 3])[0])

# --- F-03.26: huge and overflowing sizes ------------------------------------
show("F-03.26 new char[] 2**62", lambda: ffi.new("char[]", 2**62))
show("F-03.26 new int[] 2**62", lambda: ffi.new("int[]", 2**62))
show("F-03.26 new char[] 2**63", lambda: ffi.new("char[]", 2**63))
show("F-03.26 new int[] 2**64", lambda: ffi.new("int[]", 2**64))
show("F-03.26 new int[] -2**63", lambda: ffi.new("int[]", -2**63))
show("F-03.26 new struct pt[] 2**61", lambda: ffi.new("struct pt[]", 2**61))

# --- F-05.06 .. F-05.13: reprs of every kind --------------------------------
show("F-05.06 repr int", lambda: ffi.cast("int", 42))
show("F-05.06 repr ushort", lambda: ffi.cast("unsigned short", 0))
show("F-05.06 repr ulonglong max", lambda: ffi.cast("unsigned long long", -1))
show("F-05.06 repr float", lambda: ffi.cast("float", 1.5))
show("F-05.06 repr float 0.1", lambda: ffi.cast("float", 0.1))
show("F-05.06 repr double inf", lambda: ffi.cast("double", float("inf")))
show("F-05.06 repr double nan", lambda: ffi.cast("double", float("nan")))
show("F-05.06 repr _Bool", lambda: ffi.cast("_Bool", 1))
show("F-05.06 repr char", lambda: ffi.cast("char", 65))
show("F-05.06 repr char 0", lambda: ffi.cast("char", 0))
show("F-05.06 repr char 255", lambda: ffi.cast("char", 255))
show("F-05.06 repr wchar_t", lambda: ffi.cast("wchar_t", 65))
show("F-05.06 repr char16_t", lambda: ffi.cast("char16_t", 0x1234))
show("F-05.06 repr char32_t", lambda: ffi.cast("char32_t", 0x12345))
show("F-05.06 repr double complex", lambda: ffi.cast("double _Complex", 1 + 2j))
show("F-05.07 repr long double", lambda: ffi.cast("long double", 1.5))
show("F-05.07 repr long double neg", lambda: ffi.cast("long double", -1e-300))
show("F-05.08 repr enum named", lambda: ffi.cast("enum color", 5))
show("F-05.08 repr enum first", lambda: ffi.cast("enum color", 0))
show("F-05.08 repr enum unnamed", lambda: ffi.cast("enum color", 7))
show("F-05.08 repr enum neg", lambda: ffi.cast("enum big", -3))
show("F-05.08 repr enum big", lambda: ffi.cast("enum big", 4000000000))
show("F-05.08 repr enum -1", lambda: ffi.cast("enum big", -1))
show("F-05.09 repr NULL", lambda: ffi.NULL)
show("F-05.09 repr int* NULL", lambda: ffi.cast("int *", 0))
show("F-05.09 repr int* addr", lambda: ffi.cast("int *", 0x1000))
show("F-05.09 repr int[5] cast", lambda: ffi.cast("int[5]", 0x1000))
show("F-05.09 repr int[5] NULL", lambda: ffi.cast("int[5]", 0))
show("F-05.09 repr fnptr NULL", lambda: ffi.cast("int(*)(int)", 0))
show("F-05.09 repr struct pt**", lambda: ffi.new("struct pt **"))
show("F-05.10 repr struct &", lambda: ffi.cast("struct pt *", orig)[0])
show("F-05.10 repr nested struct &", lambda: ffi.new("struct line *").b)
show("F-05.10 repr array item struct &", lambda: ffi.new("struct pt[2]")[1])
show("F-05.10 repr union &", lambda: ffi.cast("union num *", orig)[0])
show("F-05.11 repr char[] owning", lambda: ffi.new("char[]", b"hello!"))
show("F-05.11 repr int[10] owning", lambda: ffi.new("int[10]"))
show("F-05.11 repr struct pt* owning", lambda: ffi.new("struct pt *"))
show("F-05.11 repr union* owning", lambda: ffi.new("union num *"))
show("F-05.11 repr long double* owning", lambda: ffi.new("long double *"))
show("F-05.11 repr struct rec* owning", lambda: ffi.new("struct rec *"))
show("F-05.12 repr slice", lambda: ffi.new("int[10]")[2:5])
show("F-05.12 repr slice of ptr", lambda: ffi.cast("int *", src3)[0:2])
show("F-05.12 repr empty slice", lambda: src3[1:1])
show("F-05.12 repr flexible empty", lambda: ffi.new("struct var *").items)
show("F-05.13 repr handle", lambda: ffi.new_handle([1, 2]))
show("F-05.13 repr gc", lambda: ffi.gc(ffi.cast("int *", 0), lambda p: None))
show("F-05.05 str int", lambda: str(ffi.cast("int", 3)))
show("F-05.05 format char[]", lambda: format(ffi.new("char[2]")))
show("F-05.24 new ptr is None", lambda: ffi.new("int **")[0] is None)


def owning_item_outlives_pointer():
    p = ffi.new("struct pt *", [3, 4])
    s = p[0]
    del p
    return s, s.x, s.y


show("F-03.24 p[0] outlives p", owning_item_outlives_pointer)
show("F-03.24 p+1 not owning", lambda: ffi.new("int[2]") + 1)
show("F-03.24 cast not owning", lambda: type(ffi.cast("int *", src3)).__name__)
show("F-03.24 new type name", lambda: type(src3).__name__)
show("F-03.24 p[0] type name", lambda: type(orig[0]).__name__)
show("F-03.23 zero-filled struct", lambda: bytes(ffi.buffer(ffi.new("struct rec *"))))
