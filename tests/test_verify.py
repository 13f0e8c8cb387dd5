"""`ffi.verify()` and `cffi.verifier` (FEATURES 8.8, deprecated in cffi but
still used; docs/distribution.md "verify()"). Each test compiles real
modules with the system C compiler into its own folder."""

import gc
import os
import re
import weakref

import pytest

import cffi
import cffi.verifier
from cffi import VerificationError


def verify(tmp_path, cdef, source, **kwds):
    ffi = cffi.FFI()
    ffi.cdef(cdef)
    return ffi, ffi.verify(source, tmpdir=str(tmp_path), **kwds)


def test_verify_names_compiles_reuses_and_keeps_alive(tmp_path):
    """F-08.59, F-08.62, F-08.65, F-08.70: the module is named after what
    went into it, compiled once, reused by an FFI declaring the same, and
    the library keeps its FFI alive and can be weakly referenced."""
    cdef = "int triple(int); struct pt { int x, y; }; int sum(struct pt *);"
    source = ("int triple(int x) { return 3 * x; }\n"
              "struct pt { int x, y; };\nint sum(struct pt *p) { return p->x + p->y; }")
    ffi, lib = verify(tmp_path, cdef, source)
    assert lib.triple(14) == 42
    assert lib.sum(ffi.new("struct pt *", [40, 2])) == 42
    name = ffi.verifier.get_module_name()
    # The second digest keeps the "x" of its hex() (the original's quirk).
    assert re.fullmatch(r"_cffi__x[0-9a-f]+x[0-9a-f]+", name), name
    assert ffi.verifier.modulefilename.startswith(str(tmp_path / name))
    assert ffi.verifier.generates_python_module()
    built = os.stat(ffi.verifier.modulefilename).st_mtime_ns
    written = os.stat(ffi.verifier.sourcefilename).st_mtime_ns

    again, lib2 = verify(tmp_path, cdef, source)
    assert again.verifier.get_module_name() == name
    assert os.stat(again.verifier.modulefilename).st_mtime_ns == built
    assert os.stat(again.verifier.sourcefilename).st_mtime_ns == written
    assert lib2.triple(1) == 3
    other, _ = verify(tmp_path, cdef, source + "\n/* changed */")
    assert other.verifier.get_module_name() != name
    tagged = cffi.FFI()
    tagged.cdef(cdef)
    tagged.verify(source, tmpdir=str(tmp_path), tag="mytag")
    assert tagged.verifier.get_module_name().startswith("_cffi_mytag_x")

    ffi_ref, lib_ref = weakref.ref(ffi), weakref.ref(lib)
    func = lib.triple
    del ffi
    gc.collect()
    assert ffi_ref() is not None and lib_ref() is not None
    assert func(2) == 6


def test_default_folder(tmp_path, monkeypatch):
    """F-08.61: set_tmpdir() first, then $CFFI_TMPDIR, then __pycache__
    beside the caller."""
    monkeypatch.setenv("CFFI_TMPDIR", str(tmp_path / "env"))
    ffi = cffi.FFI()
    ffi.cdef("int one(void);")
    ffi.verify("int one(void) { return 1; }")
    assert ffi.verifier.tmpdir == str(tmp_path / "env")
    cffi.verifier.set_tmpdir(str(tmp_path / "set"))
    try:
        ffi = cffi.FFI()
        ffi.cdef("int two(void);")
        assert ffi.verify("int two(void) { return 2; }").two() == 2
        assert ffi.verifier.tmpdir == str(tmp_path / "set")
    finally:
        cffi.verifier.set_tmpdir(None)
    monkeypatch.delenv("CFFI_TMPDIR")
    v = cffi.verifier.Verifier(cffi.FFI(), "")
    assert v.tmpdir == os.path.join(os.path.dirname(os.path.abspath(__file__)), "__pycache__")


def test_keyword_rules(tmp_path):
    """F-08.60, F-08.63, F-08.64, F-08.66, F-08.67: modulename, the
    keyword types, relative_to, flags, compile errors."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "extra.c").write_text("int from_extra(void) { return 7; }\n")
    ffi = cffi.FFI()
    ffi.cdef("int from_extra(void);")
    lib = ffi.verify("int from_extra(void);", tmpdir=str(tmp_path), modulename="_my_verified",
                     sources=["extra.c"], relative_to=str(tmp_path / "src" / "build.py"),
                     flags=os.RTLD_NOW | os.RTLD_GLOBAL)
    assert lib.from_extra() == 7
    assert ffi.verifier.get_module_name() == "_my_verified"
    with pytest.raises(TypeError, match="can't specify both 'modulename' and 'tag'"):
        ffi.verify("", tmpdir=str(tmp_path), modulename="x", tag="y")
    with pytest.raises(TypeError, match="unsupported object"):
        ffi.verify("", tmpdir=str(tmp_path), define_macros=[("A", 1.5)])
    with pytest.raises(TypeError, match="keyword 'sources' should be a list or tuple"):
        ffi.verify("", tmpdir=str(tmp_path), sources="x.c", relative_to="a/b.py")
    broken = cffi.FFI()
    broken.cdef("int g(void);")
    with pytest.raises(VerificationError, match="CompileError"):
        broken.verify("this is not C;", tmpdir=str(tmp_path))


def test_refuses_compiler_typedefs(tmp_path):
    """F-08.68."""
    for decl, name in [("typedef int... t1;", "'typedef int... t1'"),
                       ("typedef double... t2;", "'typedef float... t2'")]:
        ffi = cffi.FFI()
        ffi.cdef(decl)
        with pytest.raises(VerificationError) as e:
            ffi.verify("", tmpdir=str(tmp_path))
        assert str(e.value) == ("feature not supported with ffi.verify(), but only with "
                                "ffi.set_source(): " + name)


@pytest.mark.parametrize("cdef, source, message", [
    ("struct s1 { int x; };", "struct s1 { char c; int x; };",
     "struct s1: wrong offset for field 'x' (we have 0, but C compiler says 4)"),
    ("struct s2 { int x; };", "struct s2 { int x; int y; };",
     "struct s2: wrong total size (we have 4, but C compiler says 8)"),
    ("enum e3 { A3, B3, C3 };", "enum e3 { A3, C3, B3 };",
     "enum e3: B3 has the real value 2, not 1"),
    ("#define N4 123", "#define N4 124", "N4 has the real value 124, not 123"),
])
def test_checks_what_the_cdef_states(tmp_path, cdef, source, message):
    """F-08.69: layouts, enumerators and constants the cdef states are
    checked against the compiler, in the original's words."""
    ffi = cffi.FFI()
    ffi.cdef(cdef)
    with pytest.raises(VerificationError) as e:
        ffi.verify(source, tmpdir=str(tmp_path))
    assert str(e.value) == message


def test_partial_declarations_are_completed(tmp_path):
    """F-08.69: partial structs and enums take the compiler's layout and
    values."""
    ffi, lib = verify(tmp_path, "struct p5 { int y; ...; }; enum e5 { X5, ... };",
                      "struct p5 { char pad[12]; int y; }; enum e5 { W5, X5 = 9 };")
    assert ffi.sizeof("struct p5") == 16 and ffi.offsetof("struct p5", "y") == 12
    assert lib.X5 == 9



def test_partial_enum_names_values_in_written_order(tmp_path):
    """F-08.69, F-05.08: a partial enum names a value by the first
    enumerator written with it, whether or not the cdef gave its value
    (`D1 = 0` written, `D0` left to the compiler)."""
    ffi, lib = verify(tmp_path, "enum d6 { D0, D1 = 0, D2, ... };",
                      "enum d6 { D0, D1 = 0, D2 };")
    assert (lib.D0, lib.D1, lib.D2) == (0, 0, 1)
    assert ffi.string(ffi.cast("enum d6", 0)) == "D0"
    assert ffi.string(ffi.cast("enum d6", 1)) == "D2"
    assert repr(ffi.cast("enum d6", 0)) == "<cdata 'enum d6' 0: D0>"

def test_verifier_methods_and_cleanup(tmp_path):
    """F-08.70, F-08.71, F-08.72."""
    ffi = cffi.FFI()
    ffi.set_unicode(True)
    ffi.cdef("int uni(void);")
    v = cffi.verifier.Verifier(ffi, "int uni(void) {\n#ifdef UNICODE\nreturn 1;\n#else\n"
                                    "return 0;\n#endif\n}", tmpdir=str(tmp_path))
    v.write_source()
    with pytest.raises(VerificationError, match="source code already written"):
        v.write_source()
    v.compile_module()
    with pytest.raises(VerificationError, match="module already compiled"):
        v.compile_module()
    assert os.path.exists(v.modulefilename) and os.path.exists(v.sourcefilename)
    assert v.get_extension().name == v.get_module_name()
    lib = ffi.verify("int uni(void) { return UNICODE; }", tmpdir=str(tmp_path))
    assert lib.uni() == 1
    (tmp_path / "build").mkdir(exist_ok=True)
    (tmp_path / "build" / "junk.o").write_text("")
    (tmp_path / "keep.txt").write_text("")
    cffi.verifier.cleanup_tmpdir(str(tmp_path), keep_so=True)
    assert not os.path.exists(v.sourcefilename) and os.path.exists(v.modulefilename)
    cffi.verifier.cleanup_tmpdir(str(tmp_path))
    assert not os.path.exists(v.modulefilename)
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["keep.txt"]
    assert [p for p in (tmp_path / "build").rglob("*") if p.is_file()] == []
    cffi.verifier.cleanup_tmpdir(str(tmp_path / "missing"))
