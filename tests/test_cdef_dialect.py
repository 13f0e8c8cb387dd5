"""The cdef dialect as Python users meet it: what is accepted, what is
rejected and how (F-01.xx). Struct, union and enum *types* come with the
type-model issue; here they must fail cleanly, never crash."""

import warnings

import pytest

import cffi


def lib_of(src):
    ffi = cffi.FFI()
    ffi.cdef(src)
    return ffi, ffi.dlopen(None)


def test_define_integer_literals():
    # F-01.15, F-01.16
    ffi, lib = lib_of("#define A 42\n#define B 0x100u\n#define C 0100l\n#define D -1\n#define E 1000UL\n")
    assert (lib.A, lib.B, lib.C, lib.D, lib.E) == (42, 256, 64, -1, 1000)
    assert "A" in dir(lib)


def test_define_continuation_line():
    # F-01.15: backslash-newline continues the macro.
    ffi, lib = lib_of("#define LONG_ONE 1 + \\\n   2\n")
    assert lib.LONG_ONE == 3


def test_define_expressions_beyond_cffi():
    # Beyond cffi (docs/cdef-extensions.md): constant expressions.
    ffi, lib = lib_of("#define A (-1)\n#define B (1 << 4)\n#define C (B | 3)\n#define D ((int)7 / 2)\n#define E 'A'\n")
    assert (lib.A, lib.B, lib.C, lib.D, lib.E) == (-1, 16, 19, 3, 65)


def test_static_const_integers():
    # F-01.42
    ffi, lib = lib_of("static const int LIMIT = 100;\nstatic const long NEG = -5;\nconst int NOT_STATIC = 7;\n")
    assert (lib.LIMIT, lib.NEG, lib.NOT_STATIC) == (100, -5, 7)


def test_constant_redefinition():
    # F-01.19
    ffi = cffi.FFI()
    ffi.cdef("#define X 1")
    ffi.cdef("#define X 1")
    with pytest.raises(cffi.FFIError, match="multiple declarations of constant X"):
        ffi.cdef("#define X 2")


def test_array_lengths_from_constants():
    # F-01.72
    ffi = cffi.FFI()
    ffi.cdef("#define N 4\n")
    assert ffi.sizeof("int[N * 2]") == 32
    assert ffi.sizeof("char[0x10]") == 16


def test_impossible_keyword_combinations_are_ffi_errors():
    # F-01.84: cffi raises FFIError "Unsupported type".
    for src in ("long long long x;", "short char y;"):
        with pytest.raises(cffi.FFIError, match="Unsupported type: '"):
            cffi.FFI().cdef(src)
    with pytest.raises(cffi.FFIError, match="Unsupported type: 'long long long'"):
        cffi.FFI().typeof("long long long")


@pytest.mark.parametrize(
    "src,gist",
    [
        ("#define F(x) x\n", "function-like macro"),  # F-01.18
        ('#define S "s"\n', "only supports one of the following syntax:\n  #define S ..."),
        ("#define FL 1.5\n", "got:\n  #define FL 1.5"),
        ("#include <stdio.h>\n", "preprocessor directive not supported here: '#include <stdio.h>'"),  # F-01.21
        ("#ifdef X\n#endif\n", "'#ifdef X'"),
        ("int f(void) { return 0; }", "function definition: this is valid C but not allowed in cdef()"),  # F-01.30
        ("int;", "declaration declares nothing"),  # F-01.85
        ("typedef int;", "declaration declares nothing"),
        ("int... x;", "only allowed in typedefs"),  # F-01.80
        ('extern "Python" int x;', "cannot declare constants or variables with 'extern \"Python\"'"),  # F-01.37
        ('extern "Python" {\n int f(int);\n', "expected '}' to close the extern \"Python\" block"),  # F-01.36
        ("enum ... { A };", "an enum named '...'"),  # F-01.67
        ("__thread int tls;", "thread-local"),  # F-01.46
        ("int x /* never closed", "unterminated /* comment"),
        ("int " + "(" * 300 + "x" + ")" * 300 + ";", "nested too deeply"),
    ],
)
def test_rejections(src, gist):
    with pytest.raises(cffi.CDefError) as exc:
        cffi.FFI().cdef(src)
    assert gist in str(exc.value)
    # Located, except the bad #define, whose message (cffi's) names it.
    if not src.startswith("#define S") and not src.startswith("#define FL"):
        assert str(exc.value).startswith("<cdef source string>:")


def test_types_the_compiler_completes_are_declared_in_line():
    """`typedef ... t;` is an opaque type; `typedef int... t;` and
    `typedef float... t;` can only be used once compiled (F-08.40, F-08.41,
    F-08.42); `[...]` lengths leave the length to the compiler (F-08.46)."""
    ffi = cffi.FFI()
    ffi.cdef("typedef ... opaque_t; typedef int... some_int_t; typedef float... some_float_t;"
             " extern int arr[...]; struct s { int a[...]; };")
    assert ffi.typeof("opaque_t *").cname == "opaque_t *"
    with pytest.raises(ValueError, match="ctype 'opaque_t' is of unknown size"):
        ffi.sizeof("opaque_t")
    with pytest.raises(NotImplementedError,
                       match="integer type 'some_int_t' can only be used after compilation"):
        ffi.typeof("some_int_t *")
    with pytest.raises(NotImplementedError,
                       match="float type 'some_float_t' can only be used after compilation"):
        ffi.sizeof("some_float_t")
    with pytest.raises(cffi.VerificationMissing):
        ffi.typeof("struct s")


def test_extern_python_functions_are_declared_but_not_on_an_abi_library():
    # F-01.34, F-01.38: single and block forms, variadic ones too; only API
    # mode implements them, so an in-line library has no such attribute.
    ffi = cffi.FFI()
    ffi.cdef('extern "Python" int cb(int); int abs(int);\n'
             'extern "Python+C" void cb2(void);\n'
             'extern "Python" { int cb3(int); int cb4(int, ...); }')
    lib = ffi.dlopen(None)
    assert lib.abs(-2) == 2
    for name in ("cb", "cb2", "cb3", "cb4"):
        with pytest.raises(AttributeError):
            getattr(lib, name)
    assert dir(lib) == ["abs"]


def test_compiler_constants_are_declared_but_not_reachable_in_abi_mode():
    """F-04.06, F-04.07: `#define X ...` is accepted and absent from the
    lib; constants whose value only C knows are listed but refused."""
    ffi = cffi.FFI()
    ffi.cdef("#define FROM_C ...\nstatic const double PI;\nstatic const float F = 1.5;\nconst int N;")
    lib = ffi.dlopen(None)
    assert sorted(dir(lib)) == ["F", "N", "PI"]
    with pytest.raises(AttributeError):
        lib.FROM_C
    for name in ("PI", "F", "N"):
        with pytest.raises(NotImplementedError, match="non-integer constant '%s' cannot be accessed" % name):
            getattr(lib, name)


def test_attributes_and_calling_conventions_are_accepted():
    # F-01.33 and beyond cffi: attributes, __declspec, __asm__ labels, __restrict.
    ffi, lib = lib_of(
        "__attribute__((deprecated)) int abs(int) __attribute__((nothrow));\n"
        "__declspec(dllimport) long labs(long);\n"
        "int __cdecl atoi(const char *__restrict s);\n"
        "size_t strlen(const char *) __asm__(\"strlen\");\n"
    )
    assert lib.abs(-3) == 3 and lib.labs(-4) == 4 and lib.atoi(b"12") == 12 and lib.strlen(b"ab") == 2


def test_comments_and_line_directives():
    # F-01.12, F-01.13
    ffi = cffi.FFI()
    ffi.cdef("int a; // comment \\\n still a comment ; int bogus(\nint b;".replace("int a;", "extern int a;").replace("int b;", "extern int b;"))
    with pytest.raises(cffi.CDefError, match=r'^bar\.h:7:'):
        cffi.FFI().cdef('/* # 1 "ignored.h" */\n#line 7 "bar.h"\nint f(;')


def test_warnings_are_user_warnings():
    # F-01.20, F-01.39
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cffi.FFI().cdef("#pragma once\nint global_without_extern;\n")
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    assert any("#pragma" in m for m in messages)
    assert any("without 'extern'" in m for m in messages)
    # The warning points at the caller, not at cffi's own code.
    assert all(w.filename == __file__ for w in caught)


def test_pragma_pack_is_honoured_not_warned():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cffi.FFI().cdef("#pragma pack(push, 1)\n#pragma pack(pop)\n")


def test_user_typedef_overrides_predeclared_name():
    # F-01.89
    ffi = cffi.FFI()
    ffi.cdef("typedef char int32_t; typedef int32_t *p32;")
    assert ffi.typeof("int32_t").cname == "char"
    assert ffi.typeof("p32").cname == "char *"
    assert cffi.FFI().typeof("int32_t").cname == "int32_t"


def test_the_private_parser_view_lists_declarations_under_cffis_keys():
    # Some packages (and cffi's own tests) read `ffi._parser._declarations`:
    # the keys are the original's; enumerators are not among them and
    # `static const` integers are macros, as there.
    ffi = cffi.FFI()
    ffi.cdef("""#define FOO 42
    #define BAR ...
    static const int K = 3; static const double D;
    enum e { A, B }; enum { C };
    typedef struct { int x; } p_t; struct s { int a; }; union u { int i; };
    int f(int); extern int v; extern "Python" int cb(int);
    typedef int (*fp)(int); struct opaque;""")
    decls = ffi._parser._declarations
    assert sorted(decls) == [
        "anonymous $enum_$1", "anonymous p_t", "constant D", "enum e", "extern_python cb",
        "function f", "macro BAR", "macro FOO", "macro K", "struct opaque", "struct s",
        "typedef fp", "typedef p_t", "union u", "variable v"]
    assert decls["macro FOO"] == (42, 0) and decls["macro BAR"] == ("...", 0)
    assert decls["function f"] == (ffi.typeof("int(*)(int)"), 0)
    assert decls["constant D"] == (ffi.typeof("double"), 1)
    assert ffi._parser._int_constants == {"FOO": 42, "K": 3, "A": 0, "B": 1, "C": 0}


@pytest.mark.parametrize("src", ["int x = ;", "static int x = ;", "extern int x = ;",
                                 "static const int x = ;", "static const int x = , y = 2;"])
def test_an_empty_initializer_is_a_parse_error(src):
    # cffi 2.0.0 raises CDefError (a parse error) for these; they were
    # accepted as declarations without a value.
    with pytest.raises(cffi.CDefError, match="expected an initializer after '='"):
        cffi.FFI().cdef(src)


def test_memmove_size_overflow_names_ssize_t():
    # F-03.70: as cffi, the size is a C ssize_t.
    ffi = cffi.FFI()
    for n in (2**70, -2**70):
        with pytest.raises(OverflowError, match="to C ssize_t"):
            ffi.memmove(ffi.new("char[4]"), b"x", n)


def test_type_strings_follow_a_typedef_replaced_by_override():
    # F-01.19, F-03.01: a type string asked for before and after
    # `override=True` replaced its typedef names the new type, even when
    # it is the same str object (which the recent-strings cache knows by
    # identity). cffi 2.0.0 keeps answering with the old type
    # (docs/compat.md).
    ffi = cffi.FFI()
    ffi.cdef("typedef int t_cached;")
    s = "t_cached *"
    for _ in range(3):
        assert ffi.typeof(s) is ffi.typeof("int *")
        assert ffi.typeof(ffi.cast(s, 0)) is ffi.typeof("int *")
    ffi.cdef("typedef long t_cached;", override=True)
    assert ffi.typeof(s) is ffi.typeof("long *")
    assert ffi.typeof(ffi.cast(s, 0)) is ffi.typeof("long *")
    other = cffi.FFI()
    other.cdef("typedef short t_cached;")
    assert other.typeof(s) is other.typeof("short *")
    assert ffi.typeof(s) is ffi.typeof("long *")
