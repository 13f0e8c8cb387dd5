"""cdata behaviour that the differential scripts cannot check because
cffi 2.0.0 crashes or is undefined there (docs/compat.md lists each
difference), and concurrency."""

import threading
import time

import cffi
import pytest

ffi = cffi.FFI()
ffi.cdef("""
    struct pt { int x, y; };
    struct flex { int n; short data[]; };
    struct big3 { int x, y, z; };
""")


def test_use_after_release_raises_F_03_14():
    p = ffi.new("int[4]", [1, 2, 3, 4])
    item_view = p[0:2]
    ffi.release(p)
    with pytest.raises(ValueError, match="released"):
        p[0]
    with pytest.raises(ValueError, match="released"):
        item_view[1]
    ffi.release(p)  # twice is fine, as in cffi


def test_fields_of_released_structs_raise_F_03_14():
    # Small structs live inside the object, big ones in a block; both
    # refuse once released, on the fast number-field paths too.
    for p in (ffi.new("struct pt *", [1, 2]), ffi.new("struct big3 *", [1, 2, 3])):
        assert p.x == 1
        ffi.release(p)
        with pytest.raises(ValueError, match="released"):
            p.x
        with pytest.raises(ValueError, match="released"):
            p.x = 5


def test_struct_reference_keeps_owner_alive_F_05_40():
    s = ffi.new("struct pt *", [7, 8])[0]
    # The owning pointer is gone; the struct still reads its memory.
    del_list = [ffi.new("int[100]") for _ in range(100)]
    assert (s.x, s.y) == (7, 8)
    del del_list


def test_null_struct_pointer_field_raises_F_05_28():
    p = ffi.cast("struct pt *", 0)
    with pytest.raises(RuntimeError, match="null pointer"):
        p.x
    with pytest.raises(RuntimeError, match="null pointer"):
        p.y = 1


def test_flexible_member_overflow_raises_F_03_20():
    f = ffi.new("struct flex *", [3, [1, 2, 3]])
    with pytest.raises(IndexError, match="too many initializers"):
        f.data = [1, 2, 3, 4]
    assert list(f.data) == [1, 2, 3]


def test_delete_slice_raises_F_05_32():
    a = ffi.new("int[5]")
    with pytest.raises(TypeError, match="not supported"):
        del a[0:1]


def test_from_handle_on_a_non_handle_raises_F_03_88():
    other = ffi.new("int *")
    with pytest.raises(RuntimeError, match="not a live handle"):
        ffi.from_handle(ffi.cast("void *", other))
    h = ffi.new_handle([1])
    assert ffi.from_handle(h) == [1]
    addr = int(ffi.cast("intptr_t", h))
    del h
    with pytest.raises(RuntimeError, match="not a live handle"):
        ffi.from_handle(ffi.cast("void *", addr))


def test_init_once_runs_once_across_threads_F_03_120():
    calls = []

    def slow():
        calls.append(1)
        time.sleep(0.05)
        return "value"

    results = []
    threads = [
        threading.Thread(target=lambda: results.append(ffi.init_once(slow, "tag")))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [1]
    assert results == ["value"] * 8


def test_exponential_struct_copies_are_a_cdef_error():
    body = "union { int x; }"
    names = ", ".join(f"a{i}" for i in range(10))
    for _ in range(7):
        body = f"union {{ {body} {names}; }}"
    with pytest.raises(cffi.CDefError, match="too large"):
        ffi.typeof(body)


def test_del_on_buffer_raises_F_03_54():
    buf = ffi.buffer(ffi.new("char[4]", b"abc"))
    with pytest.raises(TypeError, match="del"):
        del buf[0]
    with pytest.raises(TypeError, match="del"):
        del buf[0:2]
    assert bytes(buf) == b"abc\x00"


def test_from_buffer_after_release_raises_F_03_65():
    src = bytearray(b"abcd")
    p = ffi.from_buffer(src)
    assert p[1] == b"b"
    ffi.release(p)
    src.extend(b"more" * 1000)  # unlocked: may move the bytes
    with pytest.raises(ValueError, match="released"):
        p[1]
    assert repr(p) == "<cdata 'char[]' buffer RELEASED>"


def test_from_buffer_keeps_source_alive_F_03_64():
    p = ffi.from_buffer(bytearray(b"kept"))
    junk = [bytearray(64) for _ in range(1000)]
    assert ffi.unpack(p, 4) == b"kept"
    del junk


def test_buffer_keeps_cdata_alive_and_is_unhashable_F_03_50_F_03_57():
    buf = ffi.buffer(ffi.new("char[]", b"live"))
    junk = [ffi.new("char[5]", b"xxxx") for _ in range(1000)]
    assert bytes(buf) == b"live\x00"
    with pytest.raises(TypeError, match="unhashable"):
        hash(buf)
    del junk


def test_buffer_arguments_as_cffi_takes_them_F_03_47():
    # F-03.47, F-03.48: positional (the constructor's vectorcall entry)
    # and keyword calls, and cffi's refusals of wrong argument counts.
    a = ffi.new("char[8]", b"abcdefg")
    assert bytes(ffi.buffer(a)) == b"abcdefg\x00"
    assert bytes(ffi.buffer(a, 3)) == b"abc"
    assert bytes(ffi.buffer(a, size=2)) == b"ab"
    assert bytes(ffi.buffer(cdata=a, size=4)) == b"abcd"
    assert type(ffi.buffer(a)) is ffi.buffer
    with pytest.raises(TypeError, match=r"^buffer\(\) missing required argument 'cdata' \(pos 1\)$"):
        ffi.buffer()
    with pytest.raises(TypeError, match=r"^buffer\(\) takes at most 2 arguments \(3 given\)$"):
        ffi.buffer(a, 1, 2)
    with pytest.raises(TypeError, match="argument 1 must be _cffi_backend._CDataBase, not int"):
        ffi.buffer(1)
    with pytest.raises(TypeError, match="cannot be interpreted as an integer"):
        ffi.buffer(a, "x")
    with pytest.raises(TypeError, match="don't know the size pointed to by 'void \\*'"):
        ffi.buffer(ffi.cast("void *", 0))


def test_buffer_exports_writable_bytes_F_03_56():
    p = ffi.new("int[2]")
    view = memoryview(ffi.buffer(p))
    view[0:4] = (7).to_bytes(4, "little")
    assert p[0] == 7
    view.release()


def test_release_during_a_write_conversion_is_caught():
    """F-03.14: a value whose `__int__` releases the destination (item,
    slice item, field, bit field) makes the write fail with cffi's
    use-after-release error instead of writing freed memory."""
    bffi = cffi.FFI()
    bffi.cdef("struct big { long a[10]; long x; int b:3; };")

    def releasing(target):
        class Releases:
            def __int__(self):
                bffi.release(target[0])
                return 1

            __index__ = __int__
        return Releases()

    writes = [
        ("long[100000]", lambda a, v: a.__setitem__(5, v)),
        ("long[100000]", lambda a, v: a.__setitem__(slice(0, 2), [v, v])),
        ("struct big *", lambda a, v: setattr(a, "x", v)),
        ("struct big *", lambda a, v: setattr(a, "b", v)),
    ]
    for cdecl, write in writes:
        holder = [bffi.new(cdecl)]
        with pytest.raises(ValueError, match="released"):
            write(holder[0], releasing(holder))


def test_flexible_array_length_overflow():
    """F-03.20: a flexible array member too long for memory is refused."""
    bffi = cffi.FFI()
    bffi.cdef("struct f { int n; int x[]; };")
    with pytest.raises(OverflowError):
        bffi.new("struct f *", [0, 2**62])


def test_one_byte_integer_arrays_take_bytes():
    """F-06.21: bytes initialize arrays of every one-byte integer type,
    `int8_t` and `uint8_t` too (cffi 2.0.0 does; argon2-cffi-bindings and
    brotlicffi pass their input as `ffi.new("uint8_t[]", data)`)."""
    ffi = cffi.FFI()
    for t in ["uint8_t", "int8_t", "unsigned char", "signed char"]:
        p = ffi.new(t + "[]", b"ab")
        assert (len(p), list(p)) == (3, [97, 98, 0])
    assert list(ffi.new("uint8_t[4]", b"ab")) == [97, 98, 0, 0]
    with pytest.raises(IndexError, match=r"initializer bytes is too long for 'uint8_t\[2\]' \(got 3 characters\)"):
        ffi.new("uint8_t[2]", b"abc")
    with pytest.raises(TypeError, match=r"must be a list or tuple, not bytes"):
        ffi.new("uint16_t[]", b"ab")


def test_cast_calls_int_on_objects_that_have_it():
    """F-03.27: `ffi.cast()` to an integer type accepts any object with
    `__int__` (or `__index__`), converting it with `int()` first."""
    class Number:
        def __int__(self):
            return 42

    ffi = cffi.FFI()
    assert int(ffi.cast("int", Number())) == 42
    assert ffi.cast("_Bool", Number()) == ffi.cast("_Bool", 1)
    assert ffi.cast("char", Number()) == ffi.cast("char", 42)
    with pytest.raises(TypeError, match="an integer is required"):
        ffi.cast("int", [])


def test_long_double_beyond_the_double_range():
    """F-05.07: a `long double` too small (or large) for a double keeps its
    value: its repr is C's `%LE` of the real value, and it is true."""
    ffi = cffi.FFI()
    ffi.cdef("long double powl(long double, long double);")
    m = ffi.dlopen("libm.so.6")
    tiny = m.powl(1e-250, 2.0)
    if not any(bytes(ffi.buffer(ffi.new("long double *", tiny)))):
        pytest.skip("long double arithmetic runs at double precision here (valgrind)")
    assert repr(tiny) == "<cdata 'long double' 1.000000E-500>"
    assert bool(tiny) and int(ffi.cast("_Bool", tiny)) == 1
    assert float(tiny) == 0.0
    assert repr(m.powl(10.0, 400.0)) == "<cdata 'long double' 1.000000E+400>"
    assert not ffi.cast("long double", 0.0) and not ffi.cast("long double", -0.0)


def test_memory_shorter_than_its_type_raises_F_03_59():
    # F-03.59, F-03.65: a pointer ffi.from_buffer() made over fewer bytes
    # than its item has. cffi reads and writes past the buffer; here the
    # accesses that would go beyond it raise ValueError (docs/compat.md),
    # and none panics.
    ffi2 = cffi.FFI()
    ffi2.cdef("struct sb { char a[16]; int x; }; union ub { int i; double d; };")
    p = ffi2.from_buffer("struct sb *", bytearray(b"abc"))
    s = p[0]
    short = "has 3 bytes, 20 needed"
    for action in (lambda: p.x, lambda: setattr(p, "x", 1), lambda: p.a, lambda: s.x,
                   lambda: ffi2.new("struct sb *", s), lambda: ffi2.new("struct sb[1]", [s])):
        with pytest.raises(ValueError, match=short):
            action()
    u = ffi2.from_buffer("union ub *", bytearray(b"abc"))
    with pytest.raises(ValueError, match="has 3 bytes, 8 needed"):
        u.d
    arr = ffi2.from_buffer("int(*)[10]", bytearray(b"abc"))[0]
    with pytest.raises(ValueError, match="has 3 bytes, 40 needed"):
        list(arr)
    # What fits is read as before.
    ok = ffi2.from_buffer("struct sb *", bytearray(range(20)))
    assert ok.a[3] == b"\x03" and ok.x == int.from_bytes(bytes(range(16, 20)), "little")


def test_slices_allocators_and_null_buffers_never_go_past_memory_F_03_47():
    # F-03.47, F-03.59, F-05.35, F-03.98: a slice assignment, an allocator
    # result or an ffi.buffer() over memory shorter than needed (or NULL)
    # raises instead of writing or reading past it (cffi 2.0.0 goes on;
    # docs/compat.md); none panics.
    ffi2 = cffi.FFI()
    ffi2.cdef("struct sc { int x; char a[8]; };")
    short = ffi2.from_buffer("int *", bytearray(3))
    with pytest.raises(ValueError, match="has 3 bytes, 4 needed"):
        short[0:1] = [1]
    with pytest.raises(ValueError, match="has 3 bytes, 12 needed"):
        ffi2.from_buffer("struct sc *", bytearray(3))[0:1] = [{"x": 1}]
    with pytest.raises(ValueError, match="has 2 bytes, 4 needed"):
        ffi2.from_buffer("char *", bytearray(3))[1:5] = b"abcd"
    room = ffi2.from_buffer("int *", bytearray(8))
    room[0:2] = [1, 2]
    assert list(room[0:2]) == [1, 2]
    alloc = ffi2.new_allocator(alloc=lambda n: ffi2.from_buffer("char[]", bytearray(3)), free=None)
    with pytest.raises(ValueError, match="has 3 bytes, 12 needed"):
        alloc("struct sc *")
    null = ffi2.buffer(ffi2.cast("char *", 0), 4)
    assert len(null) == 4
    for action in (lambda: null[0], lambda: bytes(null), lambda: memoryview(null),
                   lambda: null.__setitem__(0, b"x")):
        with pytest.raises(RuntimeError, match="buffer of 4 bytes at a NULL pointer"):
            action()
    assert bytes(ffi2.buffer(ffi2.cast("char *", 0), 0)) == b""
