"""Argument-only conversions (F-06.28 .. F-06.31): lists and tuples become
temporary arrays for `T *` parameters (ints, structs from lists or dicts,
char ** from char[] cdata), strs become wide strings, bytes are passed in
place, other objects are refused; a list of 3 million items works."""

import os
import sys

import cffi

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _probe import show  # noqa: E402

ffi = cffi.FFI()
ffi.cdef("""
    struct sv_i2 { int a, b; };
    long long sum_ints(const int *p, long n);
    int sum_points(const struct sv_i2 *p, int n);
    int count_strings(const char **p);
    size_t wcslen(const wchar_t *);
    size_t strlen(const char *);
    int memcmp(const void *, const void *, size_t);
    char *strchr(const char *, int);
""")
lib = ffi.dlopen(os.environ["CFFIPY_TESTLIB"])
libc = ffi.dlopen(None)

show("F-06.28 list for int *", lambda: lib.sum_ints([1, 2, 3, 4], 4))
show("F-06.28 tuple for int *", lambda: lib.sum_ints((5, 6), 2))
show("F-06.28 empty list", lambda: lib.sum_ints([], 0))
show("F-06.28 list with a bad item", lambda: lib.sum_ints([1, "x"], 2))
show("F-06.28 list out of range", lambda: lib.sum_ints([2**40], 1))
show("F-06.28 structs from lists", lambda: lib.sum_points([[1, 2], [3, 4]], 2))
show("F-06.28 structs from dicts", lambda: lib.sum_points([{"a": 5}, {"b": 6}], 2))
show("F-06.28 char ** from char[] cdata", lambda: lib.count_strings(
    [ffi.new("char[]", b"a"), ffi.new("char[]", b"bc"), ffi.NULL]))
show("F-06.28 str for wchar_t *", lambda: libc.wcslen("h\u00e9llo \U0001f600"))
show("F-06.28 list of str for wchar_t *", lambda: libc.wcslen(["a", "b", "\0"]))
show("F-06.28 list of bytes for char *", lambda: libc.strlen([b"a", b"b", b"\0"]))
show("F-06.29 bytes for char *", lambda: libc.strlen(b"twelve chars"))
show("F-06.30 str for char *", lambda: libc.strlen("abc"))
show("F-06.30 bytearray for char *", lambda: libc.strlen(bytearray(b"ab")))
show("F-06.30 None for char *", lambda: libc.strlen(None))
show("F-06.30 dict for char *", lambda: libc.strlen({}))
show("F-06.30 list for void *", lambda: libc.memcmp([1, 2], [1, 3], 2))
show("F-06.28 result points into the temporary", lambda: libc.strchr([b"a", b"b"], 98) != ffi.NULL)
show("F-06.31 a list of 3 million ints", lambda: lib.sum_ints(list(range(3_000_000)), 3_000_000))
