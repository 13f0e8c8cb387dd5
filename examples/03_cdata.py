"""C memory from Python: ffi.new with initializers, structs (one with a
flexible array member), arrays and slices, C strings passed to libc, and
ffi.addressof."""

import cffi

ffi = cffi.FFI()
ffi.cdef("""
    struct point { int x, y; };
    struct path { int count; struct point pts[]; };
    size_t strlen(const char *);
    int strcmp(const char *, const char *);
""")
libc = ffi.dlopen(None)

p = ffi.new("struct point *", {"x": 3, "y": 4})
print("new struct          ->", p, "x =", p.x, "y =", p.y)

path = ffi.new("struct path *", [3, [[0, 0], [1, 2], [5, 8]]])
print("flexible array      ->", path.pts, [(q.x, q.y) for q in path.pts])

arr = ffi.new("int[]", [5, 3, 9, 1])
arr[1:3] = [30, 90]
print("array after slice = ->", list(arr), "len", len(arr))

s = ffi.new("char[]", b"hello, world")
print("C string            ->", ffi.string(s), "strlen", libc.strlen(s))
print("strcmp              ->", libc.strcmp(s, ffi.new("char[]", b"hello")))

with ffi.new("double[3]", [0.5, 1.5, 2.5]) as d:
    print("with-released array ->", ffi.unpack(d, 3))
y = ffi.addressof(p[0], "y")
print("addressof field     ->", ffi.typeof(y), "points to", y[0])
