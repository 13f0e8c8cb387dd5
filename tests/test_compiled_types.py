"""The compiled FFI's type strings (F-02.19..F-02.23): its own parser,
which never declares anything, with the original's messages, the input
echoed (non-printable bytes as `?`) and a caret under the token where
parsing stopped. Expectations were taken from cffi 2.0.0; with the oracle
configured, the original is asked again."""

import os
import subprocess
import sys

import pytest

import _cffi_backend

ORACLE = os.environ.get("CFFI_ORACLE_PYTHON")

CASES = [
    ("", "identifier expected", 0),
    ("int int", "unexpected symbol", 4),
    ("struct baz *", "undefined struct/union name", 7),
    ("union baz *", "undefined struct/union name", 6),
    ("enum baz", "undefined enum name", 5),
    ("foo_t", "undefined type name", 0),
    ("_Complex float", "identifier expected", 0),
    ("long double _Complex", "_Complex type combination unsupported", 12),
    ("int _Complex", "_Complex type combination unsupported", 4),
    ("int[", "expected a positive integer constant", 4),
    ("int(", "identifier expected", 4),
    ("int[-1]", "expected a positive integer constant", 4),
    ("int[99999999999999999999999]", "number too large", 4),
    ("long long long", "'long long long' is too long", 10),
    ("unsigned signed int", "multiple 'signed' or 'unsigned'", 9),
    ("struct", "struct or union name expected", 6),
    ("enum", "enum name expected", 4),
    ("int)", "unexpected symbol", 3),
    ("char[0x]", "invalid number", 5),
    ("short long", "'long' after 'short'", 6),
    ("unsigned float", "invalid combination of types", 9),
]


@pytest.mark.parametrize("src,message,at", CASES)
def test_refusals_name_the_token_where_parsing_stopped(src, message, at):
    # F-02.19, F-02.20, F-02.21, F-02.23
    ffi = _cffi_backend.FFI()
    with pytest.raises(ffi.error) as e:
        ffi.typeof(src)
    assert str(e.value) == "%s\n%s\n%s^" % (message, src, " " * at)


def test_the_echo_shows_unprintable_bytes_as_question_marks_and_long_inputs_not_at_all():
    # F-02.19
    ffi = _cffi_backend.FFI()
    with pytest.raises(ffi.error) as e:
        ffi.typeof("int\t*\x01\u00e9[")
    assert str(e.value) == "unexpected symbol\nint *???[\n     ^"
    with pytest.raises(ffi.error) as e:
        ffi.typeof("int" + " " * 600 + "[")
    assert str(e.value) == "expected a positive integer constant"


def test_what_the_compiled_parser_accepts():
    # F-02.22, F-02.23: variadic without fixed parameters, the common types
    # in an empty FFI, complex only after float or double.
    ffi = _cffi_backend.FFI()
    assert ffi.typeof("int(*)(...)").cname == "int(*)(...)"
    assert ffi.typeof("bool").cname == "_Bool"
    assert ffi.typeof("FILE *").cname == "FILE *"
    assert ffi.typeof("struct _IO_FILE *") is ffi.typeof("FILE *")
    assert ffi.typeof("float _Complex").cname == "_cffi_float_complex_t"
    assert ffi.typeof("char[0x10]").length == 16
    assert ffi.typeof("char[010]").length == 8
    assert ffi.typeof("int (*(*)(long))[3]").cname == "int(*(*)(long))[3]"


def test_init_reads_the_tables_once():
    # F-10.47
    ffi = _cffi_backend.FFI("m", _version=0x2601, _types=b"\x00\x00\x07\x01")
    with pytest.raises(ValueError, match=r"cannot call FFI.__init__\(\) more than once"):
        ffi.__init__("m", _version=0x2601, _types=b"\x00\x00\x07\x01")
    with pytest.raises(ValueError, match="more than once"):
        _cffi_backend.FFI().__init__()


def test_set_source_rules(tmp_path, capsys):
    # F-08.02, F-08.03, F-08.04, F-08.23
    import cffi
    b = cffi.FFI()
    with pytest.raises(TypeError, match="'module_name' must be a string"):
        b.set_source(42, None)
    with pytest.raises(ValueError, match="must not contain '/': use a dotted name"):
        b.set_source("a/b", None)
    b.cdef("int q(int);")
    b.set_source("pkg.mod", None)
    with pytest.raises(ValueError, match="cannot be called several times per ffi object"):
        b.set_source("x", None)
    path = b.compile(tmpdir=str(tmp_path), verbose=True)
    assert capsys.readouterr().out == "generating %s\n" % path
    assert path.endswith(os.path.join("pkg", "mod.py"))


@pytest.mark.skipif(not ORACLE, reason="no oracle: run `cargo xtask oracle` and set CFFI_ORACLE_PYTHON")
def test_the_original_agrees():
    # F-02.19, F-02.20: the table above, asked of the original again.
    script = ("import _cffi_backend, sys\nffi = _cffi_backend.FFI()\n"
              "for src in eval(sys.argv[1]):\n"
              "    try:\n        ffi.typeof(src); print(repr(src), 'ok')\n"
              "    except ffi.error as e:\n        print(repr(src), repr(str(e)))\n")
    srcs = repr([c[0] for c in CASES])
    outs = [subprocess.run([py, "-c", script, srcs], capture_output=True, text=True).stdout
            for py in (sys.executable, ORACLE)]
    assert outs[0] == outs[1] and outs[0].count("\n") == len(CASES)
