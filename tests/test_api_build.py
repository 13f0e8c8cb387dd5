"""API mode, the generator half: `set_source()` with C source, then
`emit_c_code()`, `compile()` and `distutils_extension()` (FEATURES 8.1 to
8.4, 8.6; docs/api-mode.md). Each test builds real extension modules with
the system C compiler and imports them in a fresh interpreter."""

import os
import subprocess
import sys
import textwrap

import pytest

import cffi

ORACLE = os.environ.get("CFFI_ORACLE_PYTHON")


def builder(cdef, source, name="_m", **kwds):
    ffi = cffi.FFI()
    ffi.cdef(cdef)
    ffi.set_source(name, source, **kwds)
    return ffi


def run_in(path, code, python=sys.executable):
    """Runs `code` in a new interpreter whose path starts with `path`."""
    env = dict(os.environ, PYTHONPATH=str(path))
    r = subprocess.run([python, "-c", textwrap.dedent(code)], cwd=path,
                       capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_emit_c_code_writes_only_changes(tmp_path):
    """F-08.10, F-08.11: a path is written when its text changes (an
    identical file keeps its mtime); a file-like object gets the text;
    the user's source is in it verbatim (F-08.04, F-08.14)."""
    ffi = builder("int f(int);", "/* the user source */\nstatic int f(int x) { return x; }")
    target = tmp_path / "m.c"
    ffi.emit_c_code(str(target))
    text = target.read_text()
    assert "/* the user source */\nstatic int f(int x) { return x; }" in text
    os.utime(target, (1, 1))
    ffi.emit_c_code(str(target))
    assert os.stat(target).st_mtime == 1
    import io

    buf = io.StringIO()
    ffi.emit_c_code(buf)
    assert buf.getvalue() == text
    with pytest.raises(OSError):
        ffi.emit_c_code(str(tmp_path / "missing" / "m.c"))


def test_emit_needs_the_right_mode():
    """F-08.10: each emitter needs `set_source()` of its own mode."""
    ffi = cffi.FFI()
    with pytest.raises(ValueError, match=r"set_source\(\) must be called before emit_c_code\(\)"):
        ffi.emit_c_code("x.c")
    ffi.set_source("_m", None)
    with pytest.raises(TypeError, match="not for C extension modules"):
        ffi.emit_c_code("x.c")
    api = builder("int f(int);", "")
    with pytest.raises(TypeError, match="not for dlopen"):
        api.emit_python_code("x.py")


def test_version_tag_is_the_smallest_sufficient(tmp_path):
    """F-08.15: 0x2601, or 0x2801 when a wrapper converts `char16_t`."""
    plain = tmp_path / "a.c"
    builder("int f(int);", "").emit_c_code(str(plain))
    assert '_cffi_init("_m", 0x2601,' in plain.read_text()
    wide = tmp_path / "b.c"
    builder("char16_t f(char16_t);", "").emit_c_code(str(wide))
    assert '_cffi_init("_m", 0x2801,' in wide.read_text()


STRICT = ["-Wall", "-Wextra", "-Werror", "-fvisibility=hidden"]

# Something of every kind a module can hold.
EVERYTHING_CDEF = """
struct point { int x; int y; ...; };
typedef struct { double re, im; } cplx_t;
struct anon { int a; union { int b; float c; }; };
typedef int... myint_t;
typedef float... myfloat_t;
typedef ... opaque_t;
enum color { RED, GREEN = 5, BLUE };
#define ANSWER 42
#define FROM_C ...
static const double PI;
extern int counter;
extern int arr[...];
int add(int, int);
void nothing(void);
int sum(int *, int);
myint_t twice(myint_t);
myfloat_t half(myfloat_t);
struct point mk(int, int);
cplx_t conj_c(cplx_t);
int printf(const char *, ...);
_Bool neg(_Bool);
char16_t c16(char16_t);
long double ld(long double);
enum color nextc(enum color);
int (*get_cb(void))(int);
extern "Python" int py_cb(int, cplx_t);
"""

EVERYTHING_SOURCE = r"""
#include <stdio.h>
#ifndef __cplusplus
#include <uchar.h>
#else
typedef char16_t char16_t_check;
#endif
#ifndef _CFFI_
#error "_CFFI_ is defined before the user source"
#endif
struct point { int y, x; };
typedef struct { double re, im; } cplx_t;
struct anon { int a; union { int b; float c; }; };
typedef unsigned short myint_t;
typedef float myfloat_t;
typedef struct { int hidden; } opaque_t;
enum color { RED, GREEN = 5, BLUE };
#define ANSWER 42
#define FROM_C (40 + 3)
#define PI 3.5
static int counter = 7;
static int arr[5] = { 1, 2, 3, 4, 5 };
static int add(int a, int b) { return a + b; }
static void nothing(void) { }
static int sum(int *p, int n) { int s = 0; while (n--) s += *p++; return s; }
static myint_t twice(myint_t x) { return (myint_t)(x * 2); }
static myfloat_t half(myfloat_t x) { return x / 2; }
static struct point mk(int x, int y) { struct point p; p.x = x; p.y = y; return p; }
static cplx_t conj_c(cplx_t c) { c.im = -c.im; return c; }
static _Bool neg(_Bool b) { return !b; }
static char16_t c16(char16_t c) { return (char16_t)(c + 1); }
static long double ld(long double x) { return x * 3; }
static enum color nextc(enum color c) { return c == RED ? GREEN : BLUE; }
static int inc(int x) { return x + 1; }
static int (*get_cb(void))(int) { return inc; }
static int py_cb(int, cplx_t);
"""

EVERYTHING_PROBE = """
from _every import ffi, lib
p = lib.mk(3, 4)
print(lib.add(2, 3), lib.nothing(), lib.sum([1, 2, 3], 3), lib.twice(21), lib.half(3.0))
print(p.x, p.y, ffi.sizeof("struct point"), lib.conj_c((1.0, 2.0)).im)
print(lib.ANSWER, lib.FROM_C, lib.PI, lib.counter, list(lib.arr), ffi.typeof("myint_t"))
print(lib.neg(True), lib.c16("a"), float(lib.ld(2.0)), lib.nextc(lib.RED), lib.get_cb()(1))
print(ffi.typeof(lib.printf), ffi.sizeof("struct anon"), ffi.typeof("myfloat_t"))
@ffi.def_extern()
def py_cb(x, c):
    return x + int(c.re)
print(ffi.addressof(lib, "py_cb") is not None, ffi.typeof(lib.py_cb))
"""


@pytest.mark.parametrize("extension", [".c", ".cpp"])
def test_generated_code_compiles_without_warnings(tmp_path, extension):
    """F-08.17: the generated code compiles with -Wall -Wextra -Werror and
    -fvisibility=hidden, as C and as C++ (F-08.05), with `_CFFI_` defined
    before the user source (F-08.16); the module is then as
    usable as the declarations say (F-08.21)."""
    source = EVERYTHING_SOURCE
    if extension == ".cpp":
        source = source.replace("static int py_cb(int, cplx_t);", "static int py_cb(int, cplx_t);")
    ffi = builder(EVERYTHING_CDEF, source, name="_every", source_extension=extension,
                  extra_compile_args=STRICT)
    path = ffi.compile(tmpdir=str(tmp_path))
    assert os.path.isabs(path) and os.path.exists(path)
    out = run_in(tmp_path, EVERYTHING_PROBE)
    assert out.splitlines()[0] == "5 None 6 42 1.5"
    assert out.splitlines()[2].startswith("42 43 3.5 7 [1, 2, 3, 4, 5] <ctype 'uint16_t'>")
    if ORACLE:
        # The original backend reads the same module the same way.
        assert run_in(tmp_path, EVERYTHING_PROBE, ORACLE) == out


def test_compile_paths_and_target(tmp_path):
    """F-08.21, F-08.25, F-08.73: the extension lands in the package
    directory under the interpreter's suffix, or under `target`; a dotted
    name's init function is named after its last part."""
    import sysconfig

    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    ffi = builder("int f(void);", "static int f(void) { return 3; }", name="pkg.sub._mod")
    path = ffi.compile(tmpdir=str(tmp_path))
    assert path == str(tmp_path / "pkg" / "sub" / ("_mod" + suffix))
    assert (tmp_path / "pkg" / "sub" / "_mod.c").exists()
    assert (tmp_path / "pkg" / "sub" / "_mod.o").exists()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "sub" / "__init__.py").write_text("")
    out = run_in(tmp_path, "from pkg.sub._mod import lib; print(lib.f(), lib.__name__)")
    assert out.split() == ["3", "pkg.sub._mod.lib"]
    ffi2 = builder("int f(void);", "static int f(void) { return 3; }", name="_t")
    assert ffi2.compile(tmpdir=str(tmp_path), target="libt.*") == str(tmp_path / "libt.so")
    ffi3 = builder("int f(void);", "static int f(void) { return 3; }", name="_u")
    assert ffi3.compile(tmpdir=str(tmp_path), target="u.bin") == str(tmp_path / "u.bin")


def test_extra_sources_and_flags_relative_to_tmpdir(tmp_path):
    """F-08.06, F-08.22: extra sources, include directories and macros are
    used as given, relative paths from `tmpdir`; the current directory is
    restored."""
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "lib.h").write_text("int triple(int);\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "lib.c").write_text("int triple(int x) { return 3 * x + OFFSET; }\n")
    ffi = builder("int triple(int);", '#include "lib.h"', name="_x",
                  sources=["src/../src/lib.c"], include_dirs=["inc"],
                  define_macros=[("OFFSET", "1")])
    cwd = os.getcwd()
    ffi.compile(tmpdir=str(tmp_path))
    assert os.getcwd() == cwd
    assert run_in(tmp_path, "from _x import lib; print(lib.triple(2))").strip() == "7"


def test_compile_and_link_errors(tmp_path, capsys):
    """F-08.26: a compiler failure is `VerificationError("CompileError:
    ...")`, a linker failure `VerificationError("LinkError: ...")`; F-08.23:
    `verbose` prints the commands and the directory."""
    bad = builder("int f(void);", "this is not C;", name="_bad")
    with pytest.raises(cffi.VerificationError, match="^CompileError: "):
        bad.compile(tmpdir=str(tmp_path))
    unlinked = builder("int f(void);", "int f(void);", name="_unlinked",
                       extra_link_args=["-Wl,--no-undefined"], libraries=["no_such_lib_xyz"])
    with pytest.raises(cffi.VerificationError, match="^LinkError: "):
        unlinked.compile(tmpdir=str(tmp_path))
    capsys.readouterr()
    ok = builder("int f(void);", "static int f(void) { return 1; }", name="_ok")
    ok.compile(tmpdir=str(tmp_path), verbose=True)
    out = capsys.readouterr().out
    assert "setting the current directory to %r" % str(tmp_path) in out
    assert " -c _ok.c -o _ok.o" in out


def test_compiles_without_setuptools(tmp_path):
    """Compiling needs no setuptools (the original needs it from Python
    3.12 on): the build runs with setuptools and distutils unimportable."""
    code = f"""
    import sys
    sys.modules["setuptools"] = None
    sys.modules["distutils"] = None
    import cffi
    ffi = cffi.FFI()
    ffi.cdef("int f(int);")
    ffi.set_source("_nost", "static int f(int x) {{ return x + 1; }}")
    ffi.compile(tmpdir={str(tmp_path)!r})
    from _nost import lib
    print(lib.f(1))
    """
    assert run_in(tmp_path, code).strip() == "2"


def test_distutils_extension(tmp_path, capsys):
    """F-08.28, F-08.29, F-08.30: the C file under `tmpdir` and a setuptools
    Extension with the other keywords; API mode only (setuptools needed,
    as for the original)."""
    pytest.importorskip("setuptools")
    ffi = builder("int f(int);", "", name="pkg._e", libraries=["m"], sources=["a/../b.c"])
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        ext = ffi.distutils_extension()
        assert ext.name == "pkg._e"
        assert ext.sources == [os.path.join("build", "pkg", "_e.c"), "b.c"]
        assert ext.libraries == ["m"]
        assert "regenerated: " in capsys.readouterr().err
        ffi.distutils_extension()
        assert "not modified: " in capsys.readouterr().err
    finally:
        os.chdir(cwd)
    with pytest.raises(ValueError, match=r"set_source\(\) must be called before distutils_extension"):
        cffi.FFI().distutils_extension()
    abi = cffi.FFI()
    abi.set_source("_a", None)
    with pytest.raises(TypeError):
        abi.distutils_extension()


def test_misdeclared_numbers_are_converted_by_the_compiler(tmp_path):
    """F-08.47: integer and float argument and result types may differ from
    the C ones; the C compiler converts."""
    ffi = builder("long f(short, float);",
                  "static int f(int a, double b) { return a + (int)b; }", name="_mis")
    ffi.compile(tmpdir=str(tmp_path))
    assert run_in(tmp_path, "from _mis import lib; print(lib.f(2, 3.0))").strip() == "5"


@pytest.mark.parametrize(
    "cdef, error, message",
    [
        ("struct a { struct b x; };", TypeError,
         "struct a: field 'a.x' is of an opaque type (not declared in cdef())"),
        ("struct a { struct b x[2]; };", TypeError,
         "struct a: field 'a.x' is of an opaque type (not declared in cdef())"),
        ("struct a; struct a f(void);", TypeError,
         "function f: 'struct a' is used as result type, but is opaque"),
    ],
)
def test_generation_errors(tmp_path, cdef, error, message):
    """F-08.49, F-08.51: what cannot be generated, by declaration."""
    ffi = builder(cdef, "")
    with pytest.raises(error) as exc:
        ffi.emit_c_code(str(tmp_path / "x.c"))
    assert str(exc.value) == message
    if ORACLE:
        code = f"""
        import cffi
        ffi = cffi.FFI()
        ffi.cdef({cdef!r})
        ffi.set_source("_m", "")
        try:
            ffi.emit_c_code({str(tmp_path / "y.c")!r})
        except Exception as e:
            print(type(e).__name__, e)
        """
        lines = run_in(tmp_path, code, ORACLE).splitlines()
        assert lines[-1] == f"{error.__name__} {message}"


def test_pack_above_one_is_refused(tmp_path):
    """F-08.49: `pack=N` with N > 1 is `NotImplementedError`."""
    ffi = cffi.FFI()
    ffi.cdef("struct p { char a; int b; };", pack=2)
    ffi.set_source("_m", "")
    with pytest.raises(NotImplementedError, match="pack=2"):
        ffi.emit_c_code(str(tmp_path / "x.c"))


def test_include_between_api_modules(tmp_path):
    """F-08.55, F-08.56, F-08.57: an API module includes only API modules
    that were given `set_source()`; the includer shares their types."""
    base = builder("struct s { int a; }; int get(struct s *);",
                   "struct s { int a; }; static int get(struct s *p) { return p->a; }",
                   name="_base")
    top = cffi.FFI()
    top.include(base)
    top.cdef("struct s *make(int);")
    top.set_source("_top", "#include <stdlib.h>\nstruct s { int a; };\n"
                   "static struct s *make(int a) { struct s *p = malloc(sizeof *p); p->a = a; return p; }")
    base.compile(tmpdir=str(tmp_path))
    top.compile(tmpdir=str(tmp_path))
    out = run_in(tmp_path, """
        from _top import ffi, lib
        import _base
        print(_base.lib.get(lib.make(9)), ffi.typeof("struct s") is _base.ffi.typeof("struct s"))
    """)
    assert out.split() == ["9", "True"]
    abi = cffi.FFI()
    abi.set_source("_abi", None)
    mixed = cffi.FFI()
    mixed.include(abi)
    mixed.set_source("_mixed", "")
    with pytest.raises(cffi.VerificationError, match="Python-based ffi inside a C-based ffi"):
        mixed.emit_c_code(str(tmp_path / "mixed.c"))


SNAPSHOTS = os.path.join(os.path.dirname(__file__), "..", "crates", "recompiler", "tests", "api")


def as_c(cdef):
    """The C declarations a cdef of the snapshot corpus stands for: each
    `...` made concrete, `extern "Python"` left to the generator."""
    import re

    lines = []
    for line in cdef.splitlines():
        if line.startswith('extern "Python'):
            continue
        line = line.replace(" ...; ", " ").replace("[...]", "[3]").replace(", ... }", " }")
        line = re.sub(r"#define (\w+) \.\.\.", r"#define \1 1", line)
        line = re.sub(r"typedef int\.\.\. ", "typedef int ", line)
        line = re.sub(r"typedef float\.\.\. ", "typedef float ", line)
        line = re.sub(r"typedef \.\.\. (\w+);", r"typedef struct { int x; } \1;", line)
        line = re.sub(r"typedef \.\.\. \*(\w+);", r"typedef struct { int x; } *\1;", line)
        line = re.sub(r"static const ([^=]*) (\w+);", r"static const \1 \2 = { 0 };", line)
        lines.append(line)
    return "#include <stdio.h>\n#include <wchar.h>\n#include <uchar.h>\n" + "\n".join(lines)


@pytest.mark.parametrize("name", ["constants", "functions", "globals", "structs", "typedefs"])
def test_snapshot_corpus_compiles_cleanly(tmp_path, name):
    """F-08.17: the generated code for each cdef of the snapshot corpus
    (crates/recompiler/tests/api) compiles with -Wall -Wextra -Werror
    against C declarations that match it."""
    with open(os.path.join(SNAPSHOTS, name + ".h")) as f:
        cdef = f.read()
    ffi = builder(cdef, as_c(cdef), name="_snap_" + name, extra_compile_args=STRICT)
    assert os.path.exists(ffi.compile(tmpdir=str(tmp_path)))


def test_same_cdef_same_text_in_one_process(tmp_path):
    """F-08.14: anonymous types are numbered per FFI, so a cdef gives the
    same module text however many FFIs the process made before."""
    cdef = "struct s { union { int a; float b; }; struct { int c; } named; }; enum { Z };"
    texts = []
    for k in range(2):
        cffi.FFI().cdef("extern struct { int unrelated; } *p%d;" % k)
        target = tmp_path / ("m%d.c" % k)
        builder(cdef, "").emit_c_code(str(target))
        texts.append(target.read_text())
    assert texts[0] == texts[1]
    assert '{ "$2", ' in texts[0]


def test_our_modules_get_fast_calls_on_our_backend(tmp_path):
    """docs/api-mode.md "Fast calls": on cffi-py's backend, a function of
    two or more parameters in a module we generated is a METH_FASTCALL
    builtin (no argument tuple); under the original backend the same
    module's builtin is the METH_VARARGS wrapper, with the same results
    and errors (F-04.23)."""
    ffi = builder("int add(int, int); int neg(int);",
                  "static int add(int a, int b) { return a + b; }\n"
                  "static int neg(int a) { return -a; }", name="_fast")
    ffi.compile(tmpdir=str(tmp_path))
    code = """
        import ctypes
        from _fast import lib
        class MethodDef(ctypes.Structure):
            _fields_ = [("name", ctypes.c_char_p), ("meth", ctypes.c_void_p),
                        ("flags", ctypes.c_int), ("doc", ctypes.c_char_p)]
        def flags(f):
            # PyCFunctionObject: the object head, then the PyMethodDef *.
            head = ctypes.sizeof(ctypes.c_ssize_t) + ctypes.sizeof(ctypes.c_void_p)
            return ctypes.cast(id(f) + head, ctypes.POINTER(ctypes.POINTER(MethodDef)))[0][0].flags
        print(hex(flags(lib.add)), hex(flags(lib.neg)))
        print(lib.add(2, 3), lib.add(-2**31, 0), lib.neg(4))
        for call in (lambda: lib.add(1), lambda: lib.add(1, 2, 3), lambda: lib.add(a=1),
                     lambda: lib.add(2**31, 0), lambda: lib.add(True, 1.5)):
            try:
                call()
            except Exception as e:
                print(type(e).__name__, e)
    """
    ours = run_in(tmp_path, code).splitlines()
    assert ours[0] == "0x82 0x8"   # METH_FASTCALL | METH_KEYWORDS; METH_O
    if ORACLE:
        theirs = run_in(tmp_path, code, ORACLE).splitlines()
        assert theirs[0] == "0x1 0x8"   # METH_VARARGS; METH_O
        assert ours[1:] == theirs[1:]


def test_partial_structs_spread_to_their_holders():
    """F-08.37: a struct or union holding a partial struct by value is
    partial too (only the compiler knows either layout); bit fields in a
    partial struct are refused, as the original refuses them; `ffi.new()`
    of a partial struct in-line is VerificationMissing like `sizeof`."""
    ffi = cffi.FFI()
    ffi.cdef("struct p { int x; ...; }; union u { struct p s; }; struct h { struct p s; int y; };")
    for name in ("struct p", "union u", "struct h"):
        with pytest.raises(cffi.VerificationMissing):
            ffi.sizeof(name)
    with pytest.raises(cffi.VerificationMissing):
        ffi.new("struct p *")
    with pytest.raises(NotImplementedError, match=r"<struct b>: using both bitfields and '\.\.\.;'"):
        cffi.FFI().cdef("struct b { int a:2, b:3; ...; };")


def test_const_array_and_unnameable_types(tmp_path):
    """F-08.48: a variable's qualifiers stay on its address (a `const int
    a[]` is read through `int const *`); a function whose parameter type
    C cannot spell is refused at generation (F-08.49)."""
    ffi = builder("extern const int a[]; extern volatile int v;",
                  "const int a[3] = { 4, 5, 6 }; volatile int v = 9;", name="_consts",
                  extra_compile_args=STRICT)
    ffi.compile(tmpdir=str(tmp_path))
    out = run_in(tmp_path, "from _consts import ffi, lib; print(ffi.typeof(lib.a), lib.a[2], lib.v)")
    assert out.strip() == "<ctype 'int *'> 6 9"
    bad = builder("typedef struct { int x; } **sp; void foo(sp);", "", name="_bad_name")
    with pytest.raises(cffi.VerificationError, match="in argument of foo: unknown type name"):
        bad.emit_c_code(str(tmp_path / "bad.c"))


def test_set_unicode(tmp_path):
    """F-03.127, F-03.128, F-08.07: the TCHAR typedefs, once per FFI; with
    true, the build defines UNICODE and _UNICODE."""
    ffi = cffi.FFI()
    ffi.set_unicode(True)
    assert ffi.typeof("TCHAR") is ffi.typeof("wchar_t")
    assert ffi.typeof("LPCTSTR") is ffi.typeof("wchar_t *")
    with pytest.raises(ValueError, match="set_unicode\\(\\) can only be called once"):
        ffi.set_unicode(False)
    ffi.cdef("int unicode_on(void);")
    ffi.set_source("_uni", "static int unicode_on(void) {\n#if defined(UNICODE) && defined(_UNICODE)\n"
                   "return 1;\n#else\nreturn 0;\n#endif\n}")
    ffi.compile(tmpdir=str(tmp_path))
    assert run_in(tmp_path, "from _uni import lib; print(lib.unicode_on())").strip() == "1"
    narrow = cffi.FFI()
    narrow.set_unicode(False)
    assert narrow.typeof("PTBYTE") is narrow.typeof("char *")


def test_extern_python_keeps_its_qualifiers_and_literal_initializers(tmp_path):
    """F-07.27, F-08.54: an `extern "Python"` function is defined with its
    declared types, qualifiers included, so a forward declaration in the
    source matches it (pymunk's `ext_pyLog(const char *)`); F-01.42:
    `int X = 11;` is the integer constant 11 (brotlicffi's cdef)."""
    ffi = builder('extern "Python" void cb(const char *msg); void call_cb(void);'
                  " int QUALITY = 11; long NEG = -3;",
                  "static void cb(const char *msg);\n"
                  'static void call_cb(void) { cb("hello"); }\n'
                  "#define QUALITY 11\n#define NEG (-3)", name="_xconst",
                  extra_compile_args=STRICT)
    ffi.compile(tmpdir=str(tmp_path))
    out = run_in(tmp_path, """
        from _xconst import ffi, lib
        @ffi.def_extern()
        def cb(msg):
            print(ffi.string(msg))
        lib.call_cb()
        print(lib.QUALITY, lib.NEG)
    """)
    assert out.split() == ["b'hello'", "11", "-3"]
    inline = cffi.FFI()
    inline.cdef("int W = 5; int V = -7;")
    libc = inline.dlopen(None)
    assert (libc.W, libc.V) == (5, -7)


def test_debug_builds_and_abi_mode_refusals(tmp_path, capsys):
    """F-08.24: `debug=True` builds with debugging information (`-g`);
    F-08.50: what only the C compiler can complete cannot go into an
    out-of-line `.py` module ("cannot emit to Python")."""
    ffi = builder("int f(void);", "static int f(void) { return 1; }", name="_dbg")
    ffi.compile(tmpdir=str(tmp_path), verbose=True, debug=True)
    assert " -g " in capsys.readouterr().out
    for cdef in ("typedef int... t; t f(void);", "extern int arr[...];"):
        abi = cffi.FFI()
        abi.cdef(cdef)
        abi.set_source("_abi_refused", None)
        with pytest.raises(cffi.VerificationError, match="cannot emit to Python: "):
            abi.emit_python_code(str(tmp_path / "m.py"))
