"""Bad input gets the exception cffi 2.0 raises, with a message that says
what was expected and what was given, never a crash."""

import subprocess
import sys

import pytest

import cffi


@pytest.fixture
def C():
    ffi = cffi.FFI()
    ffi.cdef("int abs(int); size_t strlen(const char *); int no_such_function_xyz(int);")
    return ffi.dlopen(None)


def test_cdef_syntax_error_names_the_line():
    # F-01.95: file:line:col, the offending token, the line itself.
    ffi = cffi.FFI()
    with pytest.raises(cffi.CDefError) as exc:
        ffi.cdef("int f(int);\nint g(;")
    msg = str(exc.value)
    assert msg.startswith("<cdef source string>:2:7: ")
    assert "found ';'" in msg
    assert "int g(;" in msg


def test_cdef_unknown_type_name():
    # F-01.92
    ffi = cffi.FFI()
    with pytest.raises(cffi.CDefError, match=r"<cdef source string>:3:11: unknown type name 'unknown_t'"):
        ffi.cdef("\n\n  int foo(unknown_t x);")


def test_cdef_missing_semicolon():
    ffi = cffi.FFI()
    with pytest.raises(cffi.CDefError, match=r"<cdef source string>:2:1: expected ';'"):
        ffi.cdef("int f(int x)\nint g(int);")


def test_cdef_only_ellipsis():
    # F-01.26
    ffi = cffi.FFI()
    with pytest.raises(cffi.CDefError, match=r"a function with only '\(\.\.\.\)' as argument is not correct C"):
        ffi.cdef("int f(...);")


def test_cdef_line_directive_moves_locations():
    # F-01.13
    ffi = cffi.FFI()
    with pytest.raises(cffi.CDefError, match=r"^foo\.h:42:"):
        ffi.cdef('# 42 "foo.h"\nint f(;')


def test_cdef_requires_str():
    # F-01.02
    with pytest.raises(TypeError, match="cdef\\(\\) argument must be a string"):
        cffi.FFI().cdef(b"int f(int);")


def test_failed_cdef_declares_nothing():
    ffi = cffi.FFI()
    with pytest.raises(cffi.CDefError):
        ffi.cdef("int ok(int); int bad(;")
    assert "ok" not in dir(ffi.dlopen(None))


def test_conflicting_declarations():
    # F-01.93, F-01.94
    ffi = cffi.FFI()
    ffi.cdef("int abs(int);")
    ffi.cdef("int abs(int x);")  # identical: accepted
    with pytest.raises(cffi.FFIError, match="multiple declarations of function abs"):
        ffi.cdef("long abs(int);")
    ffi.cdef("long abs(long);", override=True)
    assert ffi.typeof(ffi.dlopen(None).abs).cname == "long(*)(long)"


def test_unknown_library():
    # F-03.91
    ffi = cffi.FFI()
    with pytest.raises(OSError, match="ctypes.util.find_library\\(\\) did not manage to locate a library called 'no_such_lib_xyz'"):
        ffi.dlopen("no_such_lib_xyz")


def test_unknown_library_path():
    # F-03.91, F-03.92: the loader's message, then find_library's.
    ffi = cffi.FFI()
    with pytest.raises(OSError) as exc:
        ffi.dlopen("/nonexistent/libfoo.so")
    msg = str(exc.value)
    assert msg.startswith("cannot load library '/nonexistent/libfoo.so': ")
    assert "No such file or directory" in msg
    assert ".  Additionally, ctypes.util.find_library()" in msg


def test_dlopen_wrong_argument_type():
    # F-03.90
    with pytest.raises(TypeError, match="dlopen\\(name\\): name must be a file name, None"):
        cffi.FFI().dlopen(42)


def test_missing_symbol_raises_on_attribute_read(C):
    # F-04.03: declared but absent.
    with pytest.raises(AttributeError, match="function/symbol 'no_such_function_xyz' not found in library '<None>': .*no_such_function_xyz"):
        C.no_such_function_xyz
    assert not hasattr(C, "no_such_function_xyz")


def test_undeclared_attribute(C):
    # F-04.08
    with pytest.raises(AttributeError, match="^undeclared_name$"):
        C.undeclared_name


def test_wrong_argument_type(C):
    # F-06.01, F-06.30
    with pytest.raises(TypeError, match="an integer is required"):
        C.abs("x")
    with pytest.raises(TypeError, match="an integer is required"):
        C.abs(None)
    with pytest.raises(TypeError, match="initializer for ctype 'char \\*' must be a bytes or list or tuple, not str"):
        C.strlen("hello")
    with pytest.raises(TypeError, match="initializer for ctype 'char \\*' must be a cdata pointer, not int"):
        C.strlen(5)


def test_out_of_range_integer(C):
    # F-06.02
    with pytest.raises(OverflowError, match="integer 2147483648 does not fit 'int'"):
        C.abs(2**31)
    with pytest.raises(OverflowError, match="integer -2147483649 does not fit 'int'"):
        C.abs(-(2**31) - 1)
    with pytest.raises(OverflowError, match="int too big to convert"):
        C.abs(2**64)


def test_wrong_number_of_arguments(C):
    # F-07.01
    with pytest.raises(TypeError, match="'int\\(\\*\\)\\(int\\)' expects 1 arguments, got 0"):
        C.abs()
    with pytest.raises(TypeError, match="'int\\(\\*\\)\\(int\\)' expects 1 arguments, got 2"):
        C.abs(1, 2)
    with pytest.raises(TypeError, match="a cdata function cannot be called with keyword arguments"):
        C.abs(x=1)


def test_non_function_cdata_is_not_callable():
    # F-05.51
    ffi = cffi.FFI()
    with pytest.raises(TypeError, match="cdata 'void \\*' is not callable"):
        ffi.NULL()


def test_unsupported_result_type_fails_at_call_time(C):
    # F-07.06: building the type succeeds, calling raises.
    ffi = cffi.FFI()
    ffi.cdef("double _Complex abs(int);")
    g = ffi.dlopen(None).abs
    with pytest.raises(NotImplementedError, match="not supported as return value"):
        g(1)


def test_type_string_errors():
    ffi = cffi.FFI()
    with pytest.raises(cffi.CDefError, match="unknown type name 'foo_t'"):
        ffi.typeof("foo_t")
    with pytest.raises(ValueError, match="ctype 'void' is of unknown size"):
        ffi.sizeof("void")


def test_garbage_cdef_never_crashes():
    # Whatever the text, cdef() raises a clean exception or succeeds; run in a
    # subprocess so that a crash would show as a failure, not kill pytest.
    script = r"""
import cffi, random
random.seed(1234)
alphabet = "int char long (*)[];,... const void struct x y #\n/*'\"0x9"
for i in range(3000):
    text = "".join(random.choice(alphabet) for _ in range(random.randint(0, 40)))
    try:
        cffi.FFI().cdef(text)
    except (cffi.CDefError, cffi.FFIError):
        pass
    try:
        cffi.FFI().typeof(text)
    except (cffi.CDefError, cffi.FFIError, ValueError, TypeError):
        pass
print("done")
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "done"
