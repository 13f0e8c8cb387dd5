"""Indexing, slicing, len(), iteration, pointer arithmetic and pointer
comparisons on cdata.

Covers F-05.25 .. F-05.26 (pointer/array arithmetic and subtraction),
F-05.27 .. F-05.36 (indexing, slicing, slice assignment), F-05.37 .. F-05.38
(len and iteration), F-05.21 / F-05.22 (address comparisons and hashes).

Pointer indexes are never bounds-checked by cffi, so only indexes inside
the allocated memory are probed.  Addresses are printed as 0xADDR and
results through ascii() (locale independent).
"""

import os
import sys

import cffi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _probe import norm, show  # noqa: E402

ffi = cffi.FFI()
ffi.cdef("""
    struct pt { int x, y; };
    struct opaque;
""")


def addr(p):
    """The address of a pointer cdata as a Python int (int() refuses pointers)."""
    return int(ffi.cast("intptr_t", p))


arr = ffi.new("int[5]", [10, 11, 12, 13, 14])
ptr = ffi.cast("int *", arr)
one = ffi.new("int *", 99)
open_arr = ffi.new("int[]", [1, 2, 3, 4])
null = ffi.cast("int *", 0)

# --- F-05.27 .. F-05.31: indexing ------------------------------------------
show("F-05.29 arr[0]", lambda: arr[0])
show("F-05.29 arr[4]", lambda: arr[4])
show("F-05.29 arr[5]", lambda: arr[5])
show("F-05.29 arr[-1]", lambda: arr[-1])
show("F-05.29 arr[100]", lambda: arr[100])
show("F-05.29 open_arr[4]", lambda: open_arr[4])
show("F-05.29 open_arr[3]", lambda: open_arr[3])
show("F-05.29 arr[2**70]", lambda: arr[2**70])
show("F-05.29 arr[1.0]", lambda: arr[1.0])
show("F-05.29 arr['1']", lambda: arr["1"])
show("F-05.29 arr[True]", lambda: arr[True])
show("F-05.27 ptr[3]", lambda: ptr[3])
show("F-05.27 (ptr+4)[-2]", lambda: (ptr + 4)[-2])
show("F-05.27 one[0]", lambda: one[0])
show("F-05.27 one[1]", lambda: one[1])
show("F-05.27 one[-1]", lambda: one[-1])
show("F-05.27 owning struct* [1]", lambda: ffi.new("struct pt *")[1])
show("F-05.28 NULL[0]", lambda: null[0])
show("F-05.28 NULL[5]", lambda: null[5])
show("F-05.28 NULL[0] = 1", lambda: null.__setitem__(0, 1))
show("F-05.28 NULL struct[0]", lambda: ffi.cast("struct pt *", 0)[0])
show("F-05.30 int[0]", lambda: ffi.cast("int", 5)[0])
show("F-05.30 void*[0]", lambda: ffi.cast("void *", ptr)[0])
show("F-05.30 opaque*[0]", lambda: ffi.cast("struct opaque *", ptr)[0])
show("F-05.30 struct[0]", lambda: ffi.new("struct pt *")[0][0])
show("F-05.30 fnptr[0]", lambda: ffi.cast("int(*)(int)", 0)[0])


def write_items():
    a = ffi.new("int[3]")
    a[0] = 5
    a[2] = -7
    ptr2 = ffi.cast("int *", a)
    ptr2[1] = 42
    return list(a)


show("F-05.31 write items", write_items)
show("F-05.31 write arr[5]", lambda: arr.__setitem__(5, 0))
show("F-05.31 write arr[-1]", lambda: arr.__setitem__(-1, 0))
show("F-05.31 write overflow", lambda: arr.__setitem__(0, 2**40))
show("F-05.31 write float", lambda: arr.__setitem__(0, 1.0))
show("F-05.31 write None", lambda: arr.__setitem__(0, None))
show("F-05.32 del arr[0]", lambda: arr.__delitem__(0))
show("F-05.32 del ptr[0]", lambda: ptr.__delitem__(0))
# Not probed: `del arr[0:1]` (deleting a slice of a cdata) crashes cffi
# 2.0.0 with a segmentation fault instead of raising TypeError.

grid = ffi.new("int[2][3]", [[1, 2, 3], [4, 5, 6]])
show("F-05.31 grid[1]", lambda: grid[1])
show("F-05.31 grid[1][2]", lambda: grid[1][2])
show("F-05.31 grid[1][3]", lambda: grid[1][3])
show("F-05.31 grid[2]", lambda: grid[2])


def write_row():
    g = ffi.new("int[2][3]", [[1, 2, 3], [4, 5, 6]])
    g[0] = [7, 8]
    return [list(r) for r in g]


show("F-05.31 grid[0] = [7, 8]", write_row)
show("F-05.31 grid[0] = 5", lambda: grid.__setitem__(0, 5))
show("F-05.31 grid[0] = [1,2,3,4]", lambda: grid.__setitem__(0, [1, 2, 3, 4]))

pts = ffi.new("struct pt[3]", [[1, 2], [3, 4], [5, 6]])
show("F-05.31 pts[1]", lambda: pts[1])
show("F-05.31 pts[1].y", lambda: pts[1].y)


def write_struct_item():
    p = ffi.new("struct pt[2]", [[1, 2], [3, 4]])
    p[0] = {"x": 10}
    p[1] = (30,)
    return [(q.x, q.y) for q in p]


show("F-05.31 struct item dict/tuple", write_struct_item)
show("F-05.31 struct item = 5", lambda: pts.__setitem__(0, 5))

chars = ffi.new("char[]", b"hello")
show("F-05.31 char item", lambda: chars[1])
show("F-05.31 char item = b'J'", lambda: (chars.__setitem__(0, b"J"), ffi.string(chars))[1])
show("F-05.31 char item = 74", lambda: chars.__setitem__(0, 74))
show("F-05.31 char item = b'ab'", lambda: chars.__setitem__(0, b"ab"))

# --- F-05.33 .. F-05.36: slicing --------------------------------------------
show("F-05.34 arr[1:3]", lambda: arr[1:3])
show("F-05.34 list(arr[1:3])", lambda: list(arr[1:3]))
show("F-05.34 len(arr[1:4])", lambda: len(arr[1:4]))
show("F-05.34 sizeof(arr[1:4])", lambda: ffi.sizeof(arr[1:4]))
show("F-05.34 typeof(arr[1:4])", lambda: ffi.typeof(arr[1:4]))
show("F-05.34 arr[0:5]", lambda: list(arr[0:5]))
show("F-05.34 arr[5:5]", lambda: list(arr[5:5]))
show("F-05.34 arr[2:2]", lambda: arr[2:2])
show("F-05.34 slice[1]", lambda: arr[1:4][1])
show("F-05.34 slice[3]", lambda: arr[1:4][3])
show("F-05.34 slice of slice", lambda: list(arr[1:4][1:3]))
show("F-05.34 slice eq ptr+1", lambda: arr[1:3] == ptr + 1)
show("F-05.33 arr[:3]", lambda: arr[:3])
show("F-05.33 arr[1:]", lambda: arr[1:])
show("F-05.33 arr[:]", lambda: arr[:])
show("F-05.33 arr[0:3:1]", lambda: arr[0:3:1])
show("F-05.33 arr[0:4:2]", lambda: arr[0:4:2])
show("F-05.33 arr[3:1]", lambda: arr[3:1])
show("F-05.33 arr[-1:2]", lambda: arr[-1:2])
show("F-05.33 arr[0:6]", lambda: arr[0:6])
show("F-05.33 arr[2:-1]", lambda: arr[2:-1])
show("F-05.33 arr[0:2**70]", lambda: arr[0:2**70])
show("F-05.33 arr['a':2]", lambda: arr["a":2])
show("F-05.33 ptr[1:3]", lambda: list(ptr[1:3]))
show("F-05.33 (ptr+3)[-2:0]", lambda: list((ptr + 3)[-2:0]))
show("F-05.33 ptr[:2]", lambda: ptr[:2])
show("F-05.33 ptr[3:1]", lambda: ptr[3:1])
show("F-05.33 NULL[0:0]", lambda: null[0:0])
show("F-05.33 int slice", lambda: ffi.cast("int", 1)[0:1])
show("F-05.33 void* slice", lambda: ffi.cast("void *", ptr)[0:1])
show("F-05.33 one[0:1]", lambda: list(one[0:1]))
show("F-05.33 grid[0:2]", lambda: grid[0:2])
show("F-05.33 grid[0:2][1]", lambda: list(grid[0:2][1]))


def slice_assign(init, lo, hi, value, ctype="int[]"):
    """A probe that builds `ctype` from init, assigns value to [lo:hi] and
    returns the whole array as a list."""
    def probe():
        a = ffi.new(ctype, init)
        a[lo:hi] = value
        return list(a)
    return probe


show("F-05.35 slice = list", slice_assign([0] * 5, 1, 3, [7, 8]))
show("F-05.35 slice = tuple", slice_assign([0] * 5, 0, 2, (7, 8)))
show("F-05.35 slice = range", slice_assign([0] * 5, 2, 5, range(3)))
show("F-05.35 slice = generator", slice_assign([0] * 5, 0, 2, (i * 3 for i in (1, 2))))
show("F-05.35 slice = short list", slice_assign([0] * 5, 1, 4, [1, 2]))
show("F-05.35 slice = long list", slice_assign([0] * 5, 1, 3, [1, 2, 3]))
show("F-05.35 slice = empty on empty", slice_assign([0] * 5, 2, 2, []))
show("F-05.35 slice = int", slice_assign([0] * 5, 0, 1, 5))
show("F-05.35 slice = bad item", slice_assign([0] * 5, 0, 2, [1, "x"]))
show("F-05.35 slice = overflow item", slice_assign([0] * 5, 0, 1, [2**40]))
show("F-05.35 slice = bytes into int", slice_assign([0] * 5, 0, 2, b"ab"))
show("F-05.35 slice = int[2] cdata", slice_assign([0] * 5, 1, 3, ffi.new("int[2]", [5, 6])))
show("F-05.35 slice = int[3] cdata", slice_assign([0] * 5, 1, 3, ffi.new("int[3]", [5, 6, 7])))
show("F-05.35 slice = own slice", slice_assign([1, 2, 3, 4, 5], 0, 2, arr[3:5]))
show("F-05.36 slice = short[2]", slice_assign([0] * 5, 1, 3, ffi.new("short[2]", [-1, 2])))
show("F-05.36 slice = long[]", slice_assign([0] * 5, 3, 5, ffi.new("long[]", [8, 9])))
show("F-05.35 slice = int* cdata", slice_assign([0] * 5, 0, 2, ptr))
show("F-05.35 slice assign with step", lambda: arr.__setitem__(slice(0, 4, 2), [1, 2]))
show("F-05.35 slice assign no start", lambda: arr.__setitem__(slice(None, 2), [1, 2]))
show("F-05.35 slice assign out of range", lambda: arr.__setitem__(slice(4, 6), [1, 2]))
show("F-05.35 char slice = bytes", slice_assign(b"hello", 1, 3, b"EL", "char[]"))
show("F-05.35 char slice = bytearray", slice_assign(b"hello", 1, 3, bytearray(b"EL"), "char[]"))
show("F-05.35 char slice = bytes short", slice_assign(b"hello", 1, 4, b"EL", "char[]"))
show("F-05.35 char slice = bytes long", slice_assign(b"hello", 1, 2, b"EL", "char[]"))
show("F-05.35 char slice = str", slice_assign(b"hello", 1, 3, "EL", "char[]"))
show("F-05.35 char slice = ints", slice_assign(b"hello", 1, 3, [69, 76], "char[]"))
show("F-05.35 char slice = list of bytes", slice_assign(b"hello", 1, 3, [b"E", b"L"], "char[]"))
show("F-05.35 uchar slice = bytes", slice_assign(b"abc", 0, 2, b"\xff\x01", "unsigned char[]"))
show("F-05.35 schar slice = bytes", slice_assign(b"abc", 0, 2, b"\xff\x01", "signed char[]"))
show("F-05.35 uchar slice = ints", slice_assign(b"abc", 0, 2, [255, 1], "unsigned char[]"))
show("F-05.35 _Bool slice = bytes", slice_assign([0, 0, 0], 0, 2, b"\x01\x00", "_Bool[]"))
show("F-05.35 wchar slice = str", slice_assign("hello", 1, 3, "EL", "wchar_t[]"))
show("F-05.35 wchar slice = list", slice_assign("hello", 1, 3, ["E", "L"], "wchar_t[]"))
show("F-05.35 wchar slice = short str", slice_assign("hello", 1, 4, "EL", "wchar_t[]"))
show("F-05.35 wchar slice = bytes", slice_assign("hello", 1, 3, b"EL", "wchar_t[]"))
show("F-05.35 char16 slice = str", slice_assign("hello", 0, 2, "ab", "char16_t[]"))
show("F-05.35 struct slice = list", lambda: [(q.x, q.y) for q in (lambda a: (a.__setitem__(slice(0, 2), [[1, 2], {"y": 9}]), a)[1])(ffi.new("struct pt[3]"))])
show("F-05.35 ptr slice write", lambda: (lambda a: (ffi.cast("int *", a).__setitem__(slice(1, 3), [4, 5]), list(a))[1])(ffi.new("int[4]")))

# --- F-05.37 / F-05.38: len() and iteration ---------------------------------
show("F-05.37 len int[5]", lambda: len(arr))
show("F-05.37 len int[] 4", lambda: len(open_arr))
show("F-05.37 len char[] b'hello'", lambda: len(chars))
show("F-05.37 len int[2][3]", lambda: len(grid))
show("F-05.37 len grid[0]", lambda: len(grid[0]))
show("F-05.37 len int*", lambda: len(ptr))
show("F-05.37 len owning int*", lambda: len(one))
show("F-05.37 len int", lambda: len(ffi.cast("int", 5)))
show("F-05.37 len struct", lambda: len(ffi.new("struct pt *")[0]))
show("F-05.37 len struct*", lambda: len(ffi.new("struct pt *")))
show("F-05.37 len NULL", lambda: len(ffi.NULL))
show("F-05.37 len cast int[3]", lambda: len(ffi.cast("int[3]", 0)))
show("F-05.38 iter int[5]", lambda: list(arr))
show("F-05.38 iter char[]", lambda: list(chars))
show("F-05.38 iter grid", lambda: [list(r) for r in grid])
show("F-05.38 iter struct[3]", lambda: [q.x for q in pts])
show("F-05.38 iter type", lambda: type(iter(arr)).__name__)
show("F-05.38 iter next", lambda: next(iter(open_arr)))
show("F-05.38 iter exhaust", lambda: (lambda it: (list(it), list(it)))(iter(ffi.new("int[2]", [1, 2]))))
show("F-05.38 iter int*", lambda: iter(ptr))
show("F-05.38 iter int", lambda: iter(ffi.cast("int", 5)))
show("F-05.38 iter struct", lambda: iter(ffi.new("struct pt *")[0]))
show("F-05.38 iter owning int*", lambda: list(one))
show("F-05.38 iter empty", lambda: list(ffi.new("int[]", 0)))
show("F-05.38 in arr", lambda: 12 in arr)
show("F-05.38 in ptr", lambda: 12 in ptr)
show("F-05.38 tuple(arr)", lambda: tuple(arr))
show("F-05.38 sorted reversed", lambda: sorted(arr, reverse=True))

# --- F-05.25 / F-05.26: arithmetic ------------------------------------------
show("F-05.25 arr + 0", lambda: arr + 0)
show("F-05.25 typeof arr + 1", lambda: ffi.typeof(arr + 1))
show("F-05.25 (arr + 1)[0]", lambda: (arr + 1)[0])
show("F-05.25 1 + arr", lambda: (1 + arr)[0])
show("F-05.25 (ptr + 3) - 2", lambda: ((ptr + 3) - 2)[0])
show("F-05.25 ptr + True", lambda: (ptr + True)[0])
show("F-05.25 typeof grid + 1", lambda: ffi.typeof(grid + 1))
show("F-05.25 (grid + 1)[0][2]", lambda: (grid + 1)[0][2])
show("F-05.25 typeof open_arr + 1", lambda: ffi.typeof(open_arr + 1))
show("F-05.25 typeof one + 0", lambda: ffi.typeof(one + 0))
show("F-05.25 typeof pts + 1", lambda: ffi.typeof(pts + 1))
show("F-05.25 (pts + 2).x", lambda: (pts + 2).x)
show("F-05.25 void* + 3", lambda: addr(ffi.cast("void *", 100) + 3))
show("F-05.25 char* + 3", lambda: addr(ffi.cast("char *", 100) + 3))
show("F-05.25 int* + 3", lambda: addr(ffi.cast("int *", 100) + 3))
show("F-05.25 int* - 3", lambda: addr(ffi.cast("int *", 100) - 3))
show("F-05.25 struct* + 2", lambda: addr(ffi.cast("struct pt *", 100) + 2))
show("F-05.25 NULL + 1 addr", lambda: addr(null + 1))
show("F-05.25 opaque* + 1", lambda: ffi.cast("struct opaque *", 100) + 1)
show("F-05.25 fnptr + 1", lambda: ffi.cast("int(*)(int)", 100) + 1)
show("F-05.25 int + 1", lambda: ffi.cast("int", 1) + 1)
show("F-05.25 ptr + 1.0", lambda: ptr + 1.0)
show("F-05.25 ptr + None", lambda: ptr + None)
show("F-05.25 ptr + 2**70", lambda: ptr + 2**70)
show("F-05.15 int(ptr)", lambda: int(ptr))
show("F-05.25 ptr * 2", lambda: ptr * 2)
show("F-05.25 -ptr", lambda: -ptr)
show("F-05.26 (ptr+3) - ptr", lambda: (ptr + 3) - ptr)
show("F-05.26 ptr - (ptr+3)", lambda: ptr - (ptr + 3))
show("F-05.26 (ptr+2) - arr", lambda: (ptr + 2) - arr)
show("F-05.26 arr - ptr", lambda: arr - ptr)
show("F-05.26 arr - arr", lambda: arr - arr)
show("F-05.26 void* diff", lambda: ffi.cast("void *", 110) - ffi.cast("void *", 100))
show("F-05.26 char* diff", lambda: ffi.cast("char *", 110) - ffi.cast("char *", 100))
show("F-05.26 int* diff not multiple", lambda: ffi.cast("int *", 110) - ffi.cast("int *", 100))
show("F-05.26 struct* diff", lambda: ffi.cast("struct pt *", 124) - ffi.cast("struct pt *", 100))
show("F-05.26 int* - char*", lambda: ptr - ffi.cast("char *", ptr))
show("F-05.26 int* - long*", lambda: ptr - ffi.cast("long *", ptr))
show("F-05.26 int* - void*", lambda: ptr - ffi.cast("void *", ptr))
show("F-05.26 int - int", lambda: ffi.cast("int", 5) - ffi.cast("int", 2))
show("F-05.26 int* - int cdata", lambda: ptr - ffi.cast("int", 2))
show("F-05.26 int - ptr", lambda: 5 - ptr)
show("F-05.26 opaque* diff", lambda: ffi.cast("struct opaque *", 8) - ffi.cast("struct opaque *", 0))

# --- F-05.21 / F-05.22: comparisons between pointers ------------------------
p0 = ffi.cast("int *", 0x1000)
p1 = ffi.cast("int *", 0x1004)
show("F-05.21 p0 == p0'", lambda: p0 == ffi.cast("int *", 0x1000))
show("F-05.21 p0 == void*", lambda: p0 == ffi.cast("void *", 0x1000))
show("F-05.21 p0 == char*", lambda: p0 == ffi.cast("char *", 0x1000))
show("F-05.21 p0 != p1", lambda: p0 != p1)
show("F-05.21 p0 < p1", lambda: p0 < p1)
show("F-05.21 p0 <= p1", lambda: p0 <= p1)
show("F-05.21 p0 > p1", lambda: p0 > p1)
show("F-05.21 p1 >= p0", lambda: p1 >= p0)
show("F-05.21 p0 + 1 == p1", lambda: p0 + 1 == p1)
show("F-05.21 arr == ptr", lambda: arr == ptr)
show("F-05.21 arr == arr+0", lambda: arr == arr + 0)
show("F-05.21 arr < arr+1", lambda: arr < arr + 1)
show("F-05.21 arr[1:3] == ptr+1", lambda: arr[1:3] == ptr + 1)
show("F-05.21 pts == pts[0] addr", lambda: pts == ffi.addressof(pts[0]))
show("F-05.21 struct & == struct *", lambda: pts[0] == ffi.cast("struct pt *", pts))
show("F-05.21 hash equal", lambda: hash(p0) == hash(ffi.cast("char *", 0x1000)))
show("F-05.21 hash arr == ptr", lambda: hash(arr) == hash(ptr))
show("F-05.21 set of ptrs", lambda: len({p0, ffi.cast("void *", 0x1000), p1}))
show("F-05.21 fnptr == void*", lambda: ffi.cast("int(*)(int)", 0x1000) == ffi.cast("void *", 0x1000))
show("F-05.21 sorted ptrs", lambda: [addr(x) for x in sorted([p1, p0, ffi.cast("char *", 0x1002)])])
show("F-05.22 ptr == int cdata", lambda: p0 == ffi.cast("int", 0x1000))
show("F-05.22 ptr != int cdata", lambda: p0 != ffi.cast("int", 0x1000))
show("F-05.22 ptr < int cdata", lambda: p0 < ffi.cast("int", 0x1000))
show("F-05.22 ptr == 4096", lambda: p0 == 0x1000)
show("F-05.22 ptr < 4096", lambda: p0 < 0x1000)
show("F-05.22 NULL == 0", lambda: ffi.NULL == 0)
show("F-05.22 NULL == None", lambda: ffi.NULL == None)  # noqa: E711
show("F-05.22 NULL != None", lambda: ffi.NULL != None)  # noqa: E711
show("F-05.22 ptr == 'x'", lambda: p0 == "x")
