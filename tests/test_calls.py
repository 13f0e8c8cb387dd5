"""In-line ABI calls through every layer: the issue's slice, and every
primitive type in and out of a real C function (F-04.02, F-05.51,
F-06.01..F-06.14, F-07.01..F-07.03)."""

import math
import threading

import pytest

import cffi

# (C type, suffix of the test library's functions)
INTEGER_TYPES = [
    ("signed char", "schar"),
    ("unsigned char", "uchar"),
    ("short", "short"),
    ("unsigned short", "ushort"),
    ("int", "int"),
    ("unsigned int", "uint"),
    ("long", "long"),
    ("unsigned long", "ulong"),
    ("long long", "llong"),
    ("unsigned long long", "ullong"),
    ("int8_t", "int8"),
    ("uint8_t", "uint8"),
    ("int16_t", "int16"),
    ("uint16_t", "uint16"),
    ("int32_t", "int32"),
    ("uint32_t", "uint32"),
    ("int64_t", "int64"),
    ("uint64_t", "uint64"),
    ("int_fast16_t", "fast16"),
    ("uint_least32_t", "least32"),
    ("intptr_t", "intptr"),
    ("uintptr_t", "uintptr"),
    ("intmax_t", "intmax"),
    ("size_t", "size"),
    ("ssize_t", "ssize"),
    ("ptrdiff_t", "ptrdiff"),
]
OTHER_TYPES = [
    ("char", "char"),
    ("_Bool", "bool"),
    ("wchar_t", "wchar"),
    ("char16_t", "char16"),
    ("char32_t", "char32"),
    ("float", "float"),
    ("double", "double"),
    ("long double", "ldouble"),
]


def declarations():
    lines = []
    for ctype, suffix in INTEGER_TYPES + OTHER_TYPES:
        for prefix in ("min", "max"):
            lines.append("%s %s_%s(void);" % (ctype, prefix, suffix))
        lines.append("%s id_%s(%s);" % (ctype, suffix, ctype))
    lines += [
        "unsigned char bad_bool(void);",
        "_Bool bad_bool_as_bool(void);",
        "double mix(signed char, short, int, long, float, double, unsigned long long);",
        "int fail_with_errno(int);",
        "int read_errno(void);",
        "void *pass_pointer(void *);",
        "const char *greeting(void);",
        "size_t count_bytes(const unsigned char *);",
        "int first_byte(const char *);",
        "int sum3(int, int, int);",
        "int (*pick_sum3(void))(int, int, int);",
        "int call_binary(int (*)(int, int, int), int);",
    ]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def ffi():
    ffi = cffi.FFI()
    ffi.cdef(declarations())
    return ffi


@pytest.fixture(scope="module")
def lib(ffi, testlib_path):
    return ffi.dlopen(testlib_path)


def test_issue_slice():
    """The slice of the foundation issue, verbatim (F-03.90, F-03.91, F-04.02)."""
    ffi = cffi.FFI()
    ffi.cdef(
        """
        int abs(int);
        size_t strlen(const char *);
        double sqrt(double x);
        long labs(long);
    """
    )
    C = ffi.dlopen(None)
    assert C.abs(-5) == 5
    assert C.strlen(b"hello") == 5
    assert C.labs(-(2**40)) == 2**40
    m = ffi.dlopen("m")
    assert m.sqrt(2.0) == 2.0**0.5


def test_function_cdata(ffi, lib):
    # F-04.02, F-05.09, F-05.55, F-05.56
    f = lib.id_int
    assert repr(f).startswith("<cdata 'int(*)(int)' 0x")
    ct = ffi.typeof(f)
    assert repr(ct) == "<ctype 'int(*)(int)'>"
    assert ct.kind == "function"
    assert ct.args == (ffi.typeof("int"),)
    assert ct.result is ffi.typeof("int")
    assert ct.ellipsis is False
    assert ffi.typeof(lib.greeting).cname == "char *(*)()"
    assert ffi.typeof(lib.count_bytes).cname == "size_t(*)(unsigned char *)"
    assert isinstance(f, ffi.CData)
    assert f.__name__ == "<cdata>"


def test_lib_attributes_are_cached_and_listed(ffi, testlib_path):
    # F-04.01, F-04.09, F-04.10
    lib = ffi.dlopen(testlib_path)
    assert type(lib).__name__ == "FFILibrary_" + testlib_path
    assert lib.__dict__ == {}
    assert "id_int" in dir(lib) and "sum3" in dir(lib)
    f = lib.id_int
    assert lib.__dict__ == {"id_int": f}
    assert lib.id_int is f


@pytest.mark.parametrize("ctype,suffix", INTEGER_TYPES)
def test_integer_limits_round_trip(ffi, lib, ctype, suffix):
    # F-06.01..F-06.03, F-06.06: limits come back exact, both directions.
    bits = ffi.sizeof(ctype) * 8
    signed = getattr(lib, "min_" + suffix)() < 0
    lo, hi = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if signed else (0, 2**bits - 1)
    assert getattr(lib, "min_" + suffix)() == lo
    assert getattr(lib, "max_" + suffix)() == hi
    ident = getattr(lib, "id_" + suffix)
    assert ident(lo) == lo and ident(hi) == hi and ident(True) == 1
    # Past C's long long range cffi reports Python's "int too big" instead.
    expected = "int too big to convert" if bits == 64 else "does not fit '%s'" % ctype
    with pytest.raises(OverflowError, match=expected):
        ident(hi + 1)
    if signed:
        with pytest.raises(OverflowError):
            ident(lo - 1)
    else:
        with pytest.raises(OverflowError, match="can't convert negative number to unsigned"):
            ident(-1)
    with pytest.raises(TypeError, match="an integer is required"):
        ident(1.0)
    with pytest.raises(TypeError, match="an integer is required"):
        ident("1")


def test_integer_from_objects_with_int(lib):
    # F-06.01: objects implementing __int__ are accepted.
    class Seven:
        def __int__(self):
            return 7

    assert lib.id_int(Seven()) == 7


def test_char(lib):
    # F-06.07
    assert lib.id_char(b"A") == b"A"
    assert lib.max_char() == b"\x7f"
    for bad, name in ((b"AB", "bytes"), ("A", "str"), (65, "int")):
        with pytest.raises(TypeError, match="must be a bytes of length 1, not %s" % name):
            lib.id_char(bad)


def test_bool(ffi, lib):
    # F-06.04
    assert lib.id_bool(True) is True
    assert lib.id_bool(0) is False
    with pytest.raises(OverflowError, match="does not fit '_Bool'"):
        lib.id_bool(2)
    with pytest.raises(TypeError):
        lib.id_bool(1.0)


def test_bool_result_out_of_range(ffi, testlib_path):
    # F-06.04, F-07.03: a _Bool result that is not 0 or 1 raises.
    ffi2 = cffi.FFI()
    ffi2.cdef("_Bool bad_bool(void);")
    lib = ffi2.dlopen(testlib_path)
    with pytest.raises(ValueError, match="got a _Bool of value 2, expected 0 or 1"):
        lib.bad_bool()


@pytest.mark.parametrize("suffix,char", [("wchar", "\u20ac"), ("char16", "\u20ac"), ("char32", "\U0001f600")])
def test_wide_chars(lib, suffix, char):
    assert getattr(lib, "id_" + suffix)("A") == "A"
    assert getattr(lib, "id_" + suffix)(char) == char


def test_char16_rejects_astral(lib):
    with pytest.raises(TypeError):
        lib.id_char16("\U0001f600")


def test_floats(ffi, lib):
    # F-06.13
    assert lib.id_float(1.5) == 1.5
    assert lib.id_float(1e300) == math.inf
    assert lib.id_double(2) == 2.0
    assert lib.id_double(True) == 1.0
    assert lib.max_double() == 1.7976931348623157e308
    with pytest.raises(TypeError, match="must be real number, not str"):
        lib.id_double("x")
    with pytest.raises(OverflowError):
        lib.id_double(10**400)


def test_long_double_results_are_cdata(ffi, lib):
    # F-06.14, F-05.07
    v = lib.id_ldouble(-2.5)
    assert isinstance(v, ffi.CData)
    assert ffi.typeof(v) is ffi.typeof("long double")
    assert float(v) == -2.5
    assert repr(v) == "<cdata 'long double' -2.500000E+00>"
    # A long double cdata passes back without loss.
    assert float(lib.id_ldouble(lib.max_ldouble())) == 1.5


def test_many_argument_kinds(lib):
    assert lib.mix(-1, -2, 3, 4, 0.5, 0.25, 2**40) == -1 - 2 + 3 + 4 + 0.5 + 0.25 + 2**40


def test_errno_is_saved_and_restored(ffi, lib):
    # F-03.4 / F-07.3: errno of the last call, and the value for the next.
    assert lib.fail_with_errno(42) == -1
    assert ffi.errno == 42
    ffi.errno = 7
    assert lib.read_errno() == 7


def test_errno_is_per_thread(ffi, lib):
    seen = []

    def worker():
        lib.fail_with_errno(5)
        seen.append(ffi.errno)

    lib.fail_with_errno(9)
    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert seen == [5]
    assert ffi.errno == 9


def test_pointers(ffi, lib):
    # F-06.16, F-06.20, F-06.29
    assert repr(ffi.NULL) == "<cdata 'void *' NULL>"
    p = lib.pass_pointer(ffi.NULL)
    assert ffi.typeof(p) is ffi.typeof("void *")
    assert repr(p) == "<cdata 'void *' NULL>"
    g = lib.greeting()
    assert ffi.typeof(g) is ffi.typeof("char *") and repr(g).startswith("<cdata 'char *' 0x")
    same = lib.pass_pointer(g)
    assert repr(same) == repr(g).replace("'char *'", "'void *'")
    assert lib.count_bytes(b"abc") == 3
    assert lib.first_byte(b"xyz") == ord("x")
    assert repr(lib.pass_pointer(b"abc")).startswith("<cdata 'void *' 0x")


def test_pointer_argument_errors(ffi, lib):
    # F-06.16, F-06.30
    with pytest.raises(TypeError, match="initializer for ctype 'char \\*' must be a cdata pointer, not NoneType"):
        lib.first_byte(None)
    with pytest.raises(TypeError, match="must be a bytes or list or tuple, not str"):
        lib.first_byte("xyz")
    with pytest.raises(TypeError, match="must be a cdata pointer, not int"):
        lib.pass_pointer(5)
    with pytest.raises(TypeError, match="must be a cdata pointer, not bytearray"):
        lib.first_byte(bytearray(b"x"))


def test_function_pointers(ffi, lib):
    # F-05.51, F-07.03: function pointers as results and as arguments.
    f = lib.pick_sum3()
    assert ffi.typeof(f).cname == "int(*)(int, int, int)"
    assert f(1, 2, 3) == 6
    assert lib.call_binary(lib.sum3, 4) == 12
    with pytest.raises(TypeError, match="must be a pointer to same type"):
        lib.call_binary(lib.id_int, 4)


def test_function_pointers_take_vectorcall(ffi, lib):
    # F-07.01: every way a function pointer comes to Python gets the fast
    # call entry (CPython's Py_TPFLAGS_HAVE_VECTORCALL on its type), and
    # the tp_call entry still serves `f(*args)` and keyword refusals.
    have_vectorcall = 1 << 11
    casted = ffi.cast("int(*)(int, int, int)", lib.pick_sum3())
    sources = [lib.sum3, lib.pick_sum3(), casted, ffi.addressof(lib, "sum3")]
    for f in sources:
        assert type(f).__name__ == "_CDataBase"
        assert isinstance(f, ffi.CData)
        assert type(f).__flags__ & have_vectorcall
        assert f(1, 2, 3) == 6
        assert f(*[1, 2, 3]) == 6
        assert type(f).__call__(f, 1, 2, 3) == 6
        with pytest.raises(TypeError, match="cannot be called with keyword arguments"):
            f(1, 2, c=3)
        with pytest.raises(TypeError, match="expects 3 arguments, got 2"):
            f(1, 2)
    # Other cdata are not callable, whatever the keywords.
    with pytest.raises(TypeError, match="is not callable"):
        ffi.cast("int *", 0)(x=1)
    # The layout-dependent speed-ups are taken on this CPython.
    import _cffi_backend

    assert dict(_cffi_backend._fast_paths()) == {
        "vectorcall": True,
        "cdata_layout": True,
        "lib_getattro": True,
        "cdata_getattro": True,
        "cdata_setattro": True,
        "gc_finalize": True,
        "buffer_vectorcall": True,
        "cast_method": True,
        "cdata_subscript": True,
    }
    # Nor can the type be subclassed (F-05.02).
    with pytest.raises(TypeError):

        class Sub(type(lib.sum3)):
            pass


def test_calls_from_threads(lib):
    # The GIL is released around calls; concurrent calls stay correct.
    results = []

    def worker(n):
        results.append(sum(lib.sum3(i, n, 1) for i in range(1000)))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == sorted(sum(i + n + 1 for i in range(1000)) for n in range(8))


def test_callbacks_through_c(testlib_path):
    """Issue #6 (F-03.107, F-07.17): callbacks called by qsort, twice in a
    row, and from a C thread Python never saw; an exception gives the error
    value. Part of the valgrind subset of `cargo xtask ci`."""
    cffi_ = __import__("cffi")
    cb_ffi = cffi_.FFI()
    cb_ffi.cdef("""
        int call_twice(int (*f)(int), int x);
        int call_in_new_thread(int (*f)(int), int arg);
        void qsort(void *, size_t, size_t, int (*)(const void *, const void *));
    """)
    tl = cb_ffi.dlopen(testlib_path)
    libc = cb_ffi.dlopen(None)
    seen = []

    @cb_ffi.callback("int(int)", error=-1, onerror=lambda *exc: seen.append(exc[0]))
    def halve(x):
        if x % 2:
            raise ValueError(x)
        return x // 2

    assert tl.call_twice(halve, 12) == 3
    assert tl.call_in_new_thread(halve, 40) == 20
    assert tl.call_in_new_thread(halve, 7) == -1 and seen == [ValueError]

    values = cb_ffi.new("int[]", [9, -3, 7, 0, 7, 2**31 - 1])
    cmp = cb_ffi.callback("int(const void *, const void *)",
                          lambda a, b: (lambda x, y: (x > y) - (x < y))(
                              cb_ffi.cast("int *", a)[0], cb_ffi.cast("int *", b)[0]))
    libc.qsort(values, len(values), cb_ffi.sizeof("int"), cmp)
    assert list(values) == sorted([9, -3, 7, 0, 7, 2**31 - 1])


def test_struct_calls_refused_or_safe(testlib_path):
    """Issue #6 review: a struct with an explicit alignment is refused at
    call time (libffi would pass it wrongly); a large struct error value of
    a callback is returned whole; a struct too large for libffi is refused,
    not a crash."""
    cffi_ = __import__("cffi")
    f = cffi_.FFI()
    f.cdef("""
        struct aligned32 { int x; } __attribute__((aligned(32)));
        struct aligned32 ret_aligned32(int v);
        struct S { long a[64]; };
        struct big { char a[2000000000]; };
        int snprintf(char *, size_t, const char *, ...);
    """)
    lib = f.dlopen(testlib_path)
    with pytest.raises(NotImplementedError, match="explicit alignment"):
        lib.ret_aligned32(5)
    cb = f.callback("struct S(void)", lambda: 1 // 0, error={"a": list(range(64))},
                    onerror=lambda *exc: None)
    assert list(cb().a) == list(range(64))
    with pytest.raises(NotImplementedError, match="more than"):
        f.cast("struct big(*)(void)", 1)()


def test_gil_is_released_during_calls(testlib_path):
    """F-07.15: while one thread waits inside C for a flag, another runs
    Python code that sets it; without the GIL released the flag could only
    be set after the C function gave up (it would then return 0)."""
    import threading

    cffi_ = __import__("cffi")
    f = cffi_.FFI()
    f.cdef("int wait_for_flag(volatile int *entered, volatile int *flag, long max_spins);")
    lib = f.dlopen(testlib_path)
    entered = f.new("int *")
    flag = f.new("int *")
    result = []
    t = threading.Thread(target=lambda: result.append(lib.wait_for_flag(entered, flag, 10**8)))
    t.start()
    # Python code running while the other thread is inside C.
    while not entered[0]:
        pass
    flag[0] = 1
    t.join()
    assert result == [1]


def test_errno_is_saved_per_thread_and_across_python_code(testlib_path):
    """F-07.13: errno is saved after each call, per thread, and Python code
    between calls (os.stat failing sets C errno) does not change it."""
    import os
    import threading

    cffi_ = __import__("cffi")
    f = cffi_.FFI()
    f.cdef("int fail_with_errno(int value); int read_errno(void);")
    lib = f.dlopen(testlib_path)
    lib.fail_with_errno(5)
    try:
        os.stat("/nonexistent/cffi-py")
    except OSError:
        pass
    assert f.errno == 5
    seen = []

    def other():
        seen.append(f.errno)  # starts at 0 in a new thread
        lib.fail_with_errno(7)
        seen.append(f.errno)

    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert seen == [0, 7] and f.errno == 5
    f.errno = 11
    assert lib.read_errno() == 11  # written to C errno before the call


def test_arguments_past_the_registers_F_07_05(testlib_path):
    # F-07.05: structs and scalars the registers cannot take go
    # on the stack in order, and a later argument still takes a register
    # left free; struct results over 16 bytes come back whole. The first
    # call is one cffi 2.0.0 gets wrong through its libffi (bug #574:
    # `x` arrives as the struct's double); the values here are C's.
    ffi = cffi.FFI()
    ffi.cdef("""
        struct ifd { int a; float b; double c; };
        struct big3 { long long a; double b; long long c; };
        double last_register_ifd(long long, long long, long long, long long, long long,
                                 double, struct ifd);
        struct big3 spill_big3(long long, long long, long long, long long, long long,
                               struct ifd, long long, struct big3, short);
    """)
    lib = ffi.dlopen(testlib_path)
    s = ffi.new("struct ifd *", [7, 2.5, 0.25])[0]
    want = (1 + 2 * 2 + 3 * 3 + 4 * 4 + 5 * 5) * 1000 + 1.5 * 100 + 7 + 2.5 * 10 + 0.25
    assert lib.last_register_ifd(1, 2, 3, 4, 5, 1.5, s) == want
    assert lib.last_register_ifd(1, 2, 3, 4, 5, 1.5, [7, 2.5, 0.25]) == want
    t = ffi.new("struct big3 *", [100, -2.25, 30])[0]
    for arg in (t, {"a": 100, "b": -2.25, "c": 30}):
        r = lib.spill_big3(1, 2, 3, 4, 5, s, 6, arg, -8)
        assert (r.a, r.b, r.c) == (1 + 2 + 3 + 4 + 5 + 7 + 6 * 7 - 8, 2.5 + 0.25 - 2.25, 70)


def test_small_struct_arguments_and_results_F_07_01(testlib_path):
    # F-07.01, F-06.23: structs of at most 16 bytes by value, through the
    # call fast path (a cdata of the parameter's own struct type) and the
    # general one (initializers, other cdata), in registers where x86-64
    # allows (one of each eightbyte class mix, and one after five words,
    # where it no longer fits and libffi passes it).
    ffi = cffi.FFI()
    ffi.cdef("""
        struct sv_i2 { int a, b; }; struct sv_c3 { char a, b, c; };
        struct sv_f3 { float a, b, c; }; struct sv_id { int a; double b; };
        struct sv_di { double a; int b; }; struct sv_d2 { double a, b; };
        struct sv_i2 echo_i2(struct sv_i2); struct sv_c3 echo_c3(struct sv_c3);
        struct sv_f3 echo_f3(struct sv_f3); struct sv_id echo_id(struct sv_id);
        struct sv_di echo_di(struct sv_di); struct sv_d2 echo_d2(struct sv_d2);
        double mixed_id(int, struct sv_id, double, struct sv_id);
    """)
    lib = ffi.dlopen(testlib_path)
    cases = [("i2", [3, -4]), ("c3", [b"a", b"b", b"c"]), ("f3", [0.5, 1.5, -2.25]),
             ("id", [9, 0.125]), ("di", [-7.5, 11]), ("d2", [1e300, -2.5])]
    for name, values in cases:
        echo = getattr(lib, "echo_" + name)
        s = ffi.new("struct sv_%s *" % name, values)[0]
        for arg in (s, values, ffi.new("struct sv_%s *" % name, values)[0]):
            r = echo(arg)
            assert ffi.typeof(r) is ffi.typeof("struct sv_" + name)
            assert [getattr(r, f) for f in "abc"[:len(values)]] == values, name
    x = ffi.new("struct sv_id *", [2, 0.5])[0]
    y = ffi.new("struct sv_id *", [30, 0.25])[0]
    assert lib.mixed_id(1, x, 100.0, y) == lib.mixed_id(1, [2, 0.5], 100.0, {"a": 30, "b": 0.25})
    # Refusals are those of the general path.
    other = cffi.FFI()
    other.cdef("struct sv_i2 { int a, b; };")
    with pytest.raises(TypeError):
        lib.echo_i2(other.new("struct sv_i2 *", [1, 2])[0])
    with pytest.raises(TypeError, match="must be a list or tuple or dict or struct-cdata"):
        lib.echo_i2(ffi.new("struct sv_id *")[0])
    p = ffi.new("struct sv_i2 *", [5, 6])
    s = p[0]
    ffi.release(p)
    with pytest.raises(ValueError):
        lib.echo_i2(s)
