"""The compact cdata object (crates/cffi-py/src/object/layout.rs): what
each layout costs in memory, that plain objects are not tracked by the
cycle collector while the classes that can hold cycles are, and that every
layout behaves alike when called, weakly referenced, released and freed
(issue #19, memory rows; F-05.01)."""

import gc
import sys
import tracemalloc
import weakref

import pytest

import cffi

ffi = cffi.FFI()
ffi.cdef("struct pt { int x, y; }; struct big { double d[4]; };")


def bytes_per_object(make, n=20_000):
    """Bytes CPython's allocators hold per live object (tracemalloc sees
    both the object allocator and the raw one), the list excluded."""
    make(0)
    keep = [None] * n
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(n):
            keep[i] = make(i)
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return (after - before) / n


@pytest.mark.parametrize(
    "make, most",
    [
        # cffi 2.0.0: 48 bytes for a pointer or a small value...
        (lambda i: ffi.cast("void *", i), 48),
        (lambda i: ffi.cast("int", i), 48),
        (lambda i: ffi.cast("double", i), 48),
        # ... and 64 for ffi.new("int *") (glibc's chunk for 40 + 8 + 4
        # bytes): here up to 8 bytes of memory live in the object's word.
        (lambda i: ffi.new("int *"), 48),
        (lambda i: ffi.new("char[8]"), 48),
        (lambda i: ffi.new("struct pt *")[0], 48),
        # The pointer of ffi.new("struct s *") and its struct: cffi 128.
        (lambda i: ffi.new("struct pt *"), 64 + 48),
        # An open array keeps its length: a 16-byte tail (cffi 64).
        (lambda i: ffi.new("int[]", 2), 64),
        # Larger memory follows the fixed part and a 16-byte header (cffi
        # 160 for the struct and its pointer, 464 for int[100]).
        (lambda i: ffi.new("struct big *"), 64 + 48 + 16 + 32),
        (lambda i: ffi.new("int[100]"), 464),
        # 16-byte values follow the fixed part.
        (lambda i: ffi.cast("long double", i), 64),
    ],
    ids=["cast_void_p", "cast_int", "cast_double", "new_int_p", "new_char8", "struct",
         "new_struct_p", "open_array", "new_big_struct_p", "new_int100", "long_double"],
)
def test_small_cdata_size(make, most):
    # Within half a byte: the loop's own int objects are traced too.
    assert bytes_per_object(make) <= most + 0.5


def test_plain_objects_are_not_tracked():
    # As in cffi: the cdata that cannot be part of a cycle are not
    # collected; those that hold arbitrary Python objects are, and so are
    # the references that keep a collected parent alive (fields, items,
    # slices of an ffi.gc() result: cffi's do not keep it, so they are in
    # no cycle there).
    p = ffi.new("struct pt *", [1, 2])
    plain = [
        ffi.cast("void *", 1),
        ffi.cast("int", 1),
        ffi.cast("long double", 1),
        ffi.new("int *"),
        ffi.new("int[100]"),
        ffi.new("int[]", 3),
        p,
        p[0],
        ffi.NULL,
        ffi.new("int[10]")[2:5],
        ffi.new("struct big *").d,
        ffi.addressof(p[0], "y"),
    ]
    for cd in plain:
        assert not gc.is_tracked(cd), cd
        # The type is not collected either: CPython sizes the header
        # before an object from the type (sys.getsizeof, tracemalloc).
        assert not type(cd).__flags__ & (1 << 14), type(cd)
    assert sys.getsizeof(ffi.cast("void *", 0)) == 48
    arr = ffi.gc(ffi.new("int[10]"), lambda _: None)
    big = ffi.gc(ffi.new("struct big *"), lambda _: None)
    collected = [
        arr[2:5],
        arr[2:5][0:1],
        big.d,
        ffi.addressof(big[0], "d"),
        ffi.gc(ffi.cast("void *", 1), lambda x: None),
        ffi.new_handle(object()),
        ffi.callback("int(int)", lambda x: x),
        ffi.from_buffer(bytearray(8)),
    ]
    for cd in collected:
        assert gc.is_tracked(cd), cd


def every_layout():
    s = ffi.new("struct pt *", [3, 4])
    arr = ffi.new("int[10]", list(range(10)))
    return [
        ffi.cast("void *", 5),
        ffi.cast("int", -7),
        ffi.cast("long double", 2.5),
        ffi.new("int *", 9),
        ffi.new("int[]", 2),
        arr,
        arr[2:6],
        s,
        s[0],
        ffi.gc(ffi.new("int *", 1), lambda x: None),
        ffi.new_handle(object()),
        ffi.from_buffer(bytearray(b"abcd")),
    ]


@pytest.mark.parametrize("index", range(12))
def test_calling_what_is_not_a_function(index):
    cd = every_layout()[index]
    # Whatever the object's word holds, a call reaches tp_call and raises.
    with pytest.raises(TypeError, match="is not callable"):
        cd()
    with pytest.raises(TypeError, match="is not callable"):
        cd(1, 2, key=3)


def test_weakrefs_and_release_of_every_layout():
    fired = []
    objs = every_layout()
    refs = [weakref.ref(o, lambda r: fired.append(r)) for o in objs]
    reprs = [repr(o) for o in objs]
    assert all("cdata" in r for r in reprs)
    del objs
    gc.collect()
    assert all(r() is None for r in refs)
    assert len(fired) == len(refs)


def test_values_round_trip_through_both_value_layouts():
    for t, v in [("char", b"x"), ("short", -3), ("int", -2**31), ("long long", 2**63 - 1),
                 ("unsigned long long", 2**64 - 1), ("float", 1.5), ("double", -0.25),
                 ("_Bool", True), ("long double", 1.25)]:
        cd = ffi.cast(t, v)
        if t == "char":
            assert ffi.string(cd) == v
        elif t in ("float", "double", "long double"):
            assert float(cd) == v
        else:
            assert int(cd) == int(v)


def test_inline_memory_released():
    # Ours raises where cffi reads freed memory (docs/compat.md).
    with ffi.new("int *", 5) as p:
        assert p[0] == 5
    with pytest.raises(ValueError, match="released"):
        p[0]
    for a in [ffi.new("int[]", 2), ffi.new("int[50]"), ffi.new("int[5000]")]:
        n = len(a)
        a[n - 1] = 7
        ffi.release(a)
        with pytest.raises(ValueError, match="released"):
            a[0]
    s = ffi.new("struct big *")
    ffi.release(s)
    with pytest.raises(ValueError, match="released"):
        s.d


def rss():
    with open("/proc/self/statm") as fobj:
        return int(fobj.read().split()[1]) * 4096


def test_tails_are_freed():
    # Each layout's tail (and what it owns: blocks, handles, ffi.gc
    # destructors, buffers) goes with its object: made and dropped many
    # times, memory stays flat.
    ran = [0]

    def destructor(_):
        ran[0] += 1

    def churn():
        for i in range(20_000):
            every_layout()
            ffi.new("int[200]")
            ffi.gc(ffi.new("char[100]"), destructor)

    churn()
    gc.collect()
    before = rss()
    churn()
    gc.collect()
    assert rss() - before < 2 * 1024 * 1024
    assert ran[0] == 40_000


def test_cycles_through_a_kept_parent_are_collected():
    # A wrapper holding an ffi.gc() result whose destructor is one of its
    # methods, and a field and a slice of it: the field and the slice keep
    # the struct alive, and the cycle wrapper -> field -> struct -> its
    # destructor -> wrapper is collected (issue #19 review).
    freed = []

    class Wrapper:
        def __init__(self):
            self.p = ffi.gc(ffi.new("struct big *"), lambda p: self.close())
            self.d = self.p.d
            self.head = self.p.d[0:2]

        def close(self):
            freed.append(1)

    for _ in range(500):
        Wrapper()
    gc.collect()
    assert len(freed) == 500


def _no_finalizer(_):
    pass


@pytest.mark.parametrize("make", [
    lambda s: s.d,
    lambda s: s.d[0:2],
    lambda s: ffi.new_handle(s),
    # The finalizer exists beforehand: CPython 3.13.0 crashes making a
    # function object when an allocation fails (with either backend).
    lambda s: ffi.gc(ffi.new("int *"), _no_finalizer),
    lambda s: ffi.new("int *"),
    lambda s: ffi.new("int[50]"),
    lambda s: ffi.new("struct big *"),
    lambda s: ffi.cast("long double", 1),
    lambda s: ffi.cast("void *", 1),
], ids=["field", "slice", "handle", "gc", "word", "big", "record", "value", "bare"])
def test_allocation_failure_raises_memoryerror(make):
    # The object's allocation failing drops what it would have held, once:
    # it raised a bus error or freed a garbage pointer before.
    _testcapi = pytest.importorskip("_testcapi")
    s = ffi.new("struct big *")
    make(s)
    for first in range(4):
        _testcapi.set_nomemory(first, first + 1)
        try:
            make(s)
        except MemoryError:
            pass
        finally:
            _testcapi.remove_mem_hooks()
    gc.collect()


def test_cycles_through_buffers_are_collected():
    # ffi.buffer() and ffi.from_buffer() results in a cycle through an
    # ffi.gc() destructor, or through the exporter holding a slice.
    freed = []

    class Holder:
        pass

    for _ in range(200):
        h = Holder()
        g = ffi.gc(ffi.new("int[3]"), lambda q, h=h: freed.append(1))
        h.buf = ffi.buffer(g)
        del h, g

    class Exporter(bytearray):
        pass

    refs = []
    for _ in range(200):
        b = Exporter(16)
        fb = ffi.from_buffer("int[]", b)
        b.keep = fb[0:2]
        refs.append(weakref.ref(b))
        del b, fb
    gc.collect()
    assert len(freed) == 200
    assert all(r() is None for r in refs)


def test_cdata_classes_cannot_be_subclassed():
    # Not even past __init_subclass__ (a mixin that does not chain to it):
    # the plain classes are not base types, as in cffi.
    class Mixin:
        __slots__ = ()

        def __init_subclass__(cls, **kw):
            pass

    for base in (ffi.CData, type(ffi.new("int *"))):
        with pytest.raises(TypeError, match="not an acceptable base type"):
            type("X", (Mixin, base), {"__slots__": ()})


@pytest.mark.parametrize("n", [2, 50, 5000])
def test_buffer_of_released_memory_raises(n):
    # An ffi.buffer() taken before ffi.release() no longer reads the memory
    # (freed at once for large arrays): every access raises, as the cdata
    # does (docs/compat.md). cffi reads it.
    a = ffi.new("int[]", n)
    b = ffi.buffer(a)
    a[0] = 7
    assert b[0:4] == b"\x07\x00\x00\x00"
    ffi.release(a)
    for access in (lambda: b[0:4], lambda: bytes(b), lambda: memoryview(b), lambda: list(b),
                   lambda: b == b"x", lambda: b.__setitem__(0, b"a"),
                   lambda: ffi.from_buffer(b)):
        with pytest.raises(ValueError, match="released"):
            access()


@pytest.mark.parametrize("n", [2, 50, 5000, 1 << 20])
def test_views_exported_before_release_keep_the_memory(n):
    # A memoryview or ffi.from_buffer() of an ffi.buffer() holds the
    # address past ffi.release(): the memory stays until the cdata is gone
    # (the view keeps it alive), so reading it is safe; cffi never frees on
    # release. A million ints is an mmap'd block, unmapped when freed.
    a = ffi.new("int[]", n)
    a[n - 1] = 7
    mv = memoryview(ffi.buffer(a))
    fb = ffi.from_buffer("int[]", ffi.buffer(a))
    ffi.release(a)
    with pytest.raises(ValueError, match="released"):
        a[0]
    assert mv[-4:].tobytes() == (7).to_bytes(4, sys.byteorder)
    assert fb[n - 1] == 7
    fb[0] = 3
    assert mv[0] == 3
    del a, fb
    gc.collect()
    assert mv[0] == 3
    mv.release()


def test_views_of_a_field_or_slice_keep_the_memory():
    # The same through a part of the memory: the owner found through the
    # field's or slice's parent is the one kept.
    ffi2 = cffi.FFI()
    ffi2.cdef("struct big { int a[1000]; };")
    p = ffi2.new("struct big *")
    p.a[999] = 9
    mv_field = memoryview(ffi2.buffer(p.a))
    arr = ffi2.new("int[100000]")
    arr[99999] = 5
    mv_slice = memoryview(ffi2.buffer(arr[99990:100000]))
    ffi2.release(p)
    ffi2.release(arr)
    assert mv_field[-4:].tobytes() == (9).to_bytes(4, sys.byteorder)
    assert mv_slice[-4:].tobytes() == (5).to_bytes(4, sys.byteorder)


def test_memmove_refuses_to_write_past_known_memory():
    # F-03.71: cffi never checks n. Where the destination's size is known
    # (memory ffi.new() made, a part of it, a Python buffer) writing past
    # it would corrupt the heap (with ffi.new("int *"), this object's own
    # fields): ValueError instead. C pointers and sources stay unchecked.
    p = ffi.new("int *")
    a = ffi.new("char[10]")
    ba = bytearray(4)
    for dest, room in ((p, 4), (a, 10), (a[8:10], 2), (ba, 4), (ffi.buffer(a), 10)):
        with pytest.raises(ValueError, match=f"which has {room} bytes"):
            ffi.memmove(dest, b"x" * 100, room + 1)
    ffi.memmove(a[0:2], b"0123456789", 10)  # a slice reaches its array's end
    ffi.memmove(ffi.cast("char *", a), b"ab", 2)  # a C pointer: unchecked
    ffi.memmove(ba, a, 4)  # the source is not checked against n
    assert ffi.string(a) == b"ab23456789"
    assert bytes(ba) == b"ab23"
    assert p[0] == 0


@pytest.mark.parametrize("n", [1, 2, 3, 50, 112, 1000])
@pytest.mark.parametrize("ctype", ["int8_t", "uint16_t", "int", "unsigned int", "long long",
                                   "unsigned long long"])
def test_iteration_over_every_owned_layout(ctype, n):
    # F-05.35: iterators over ffi.new() integer arrays read the memory found
    # once (in the word, an inline tail, a big tail or a heap block) and
    # check on each step that it was not released.
    size = ffi.sizeof(ctype)
    lo, hi = (0, (1 << (8 * size)) - 1) if ctype.startswith("u") else \
        (-(1 << (8 * size - 1)), (1 << (8 * size - 1)) - 1)
    values = [(lo if i % 2 else hi) - (i % 3) * (1 if i % 2 == 0 else -1) for i in range(n)]
    for declared in ("%s[%d]" % (ctype, n), "%s[]" % ctype):
        a = ffi.new(declared, values)
        assert list(a) == values
        it = iter(a)
        assert next(it) == values[0]
        ffi.release(a)
        if n > 1:
            with pytest.raises(ValueError, match="released"):
                next(it)
    # The same memory reached through a slice takes the general path.
    a = ffi.new("%s[]" % ctype, values)
    assert list(a[0:n]) == values


def test_iterators_of_other_arrays_are_unchanged():
    # Non-integer items and memory not owned by the array (a struct's
    # field, from_buffer) keep the general path.
    ffi2 = cffi.FFI()
    ffi2.cdef("struct s { int a[3]; double d[2]; };")
    s = ffi2.new("struct s *", {"a": [1, 2, 3], "d": [0.5, 1.5]})
    assert list(s.a) == [1, 2, 3]
    assert list(s.d) == [0.5, 1.5]
    buf = bytearray((7).to_bytes(4, sys.byteorder) * 3)
    assert list(ffi2.from_buffer("int[]", buf)) == [7, 7, 7]
    assert list(ffi2.new("char[]", b"ab")) == [b"a", b"b", b"\0"]


def test_release_frees_nothing_still_in_use():
    # F-03.104, F-03.106: ffi.release() of ffi.new() memory marks it
    # released and frees it with the object, as cffi keeps its memory
    # until then. Freeing large blocks at once let a conversion that runs
    # Python code (here an __index__ releasing the owner) write the rest
    # of a composite value into freed memory, and left pointers made from
    # the array dangling (found by review, under valgrind).
    ffi2 = cffi.FFI()
    ffi2.cdef("struct s { int x; int arr[200]; };")
    p = ffi2.new("struct s *")

    class ReleasesP:
        def __index__(self):
            ffi2.release(p)
            return 7
        __int__ = __index__

    p.arr = [1, ReleasesP(), 3]
    with pytest.raises(ValueError, match="released"):
        p.arr[0]
    a = ffi2.new("int[]", 100_000)
    q = a + 10
    ffi2.release(a)
    q[0] = 42
    assert q[0] == 42
    with pytest.raises(ValueError, match="released"):
        a[10]
