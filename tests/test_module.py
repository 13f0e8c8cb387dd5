"""The importable surface: versions, exception classes, ctype objects and
the low-level backend functions (F-10, F-05.54..F-05.57)."""

import pytest

import _cffi_backend
import cffi


def test_versions():
    # F-10.01, F-10.08
    assert cffi.__version__ == _cffi_backend.__version__ == "2.0.0"
    assert cffi.__version_info__ == (2, 0, 0)
    assert cffi.__version_verifier_modules__ == "0.8.6"
    assert _cffi_backend.__implementation__.startswith("cffi-py ")


def test_all_and_exceptions():
    # F-10.02, F-10.04
    assert cffi.__all__ == ["FFI", "VerificationError", "VerificationMissing", "CDefError", "FFIError"]
    for cls in (cffi.CDefError, cffi.FFIError, cffi.VerificationError, cffi.VerificationMissing, cffi.PkgConfigError):
        assert cls.__mro__[1:] == (Exception, BaseException, object)
        assert cls.__module__ == "cffi"
    import cffi.error as cffi_error

    assert cffi_error.CDefError is cffi.CDefError


def test_cdef_error_str_with_location():
    # F-10.05
    class Coord:
        file = "foo.h"
        line = 12

    class Decl:
        coord = Coord()

    assert str(cffi.CDefError("bad thing", Decl())) == "foo.h:12: bad thing"
    assert str(cffi.CDefError("bad thing")) == "bad thing"


def test_backend_types_live_in_the_backend_module():
    # F-10.09 (the classes that exist so far)
    for name in ("CType", "_CDataBase", "FFI", "CLibrary"):
        tp = getattr(_cffi_backend, name)
        assert (tp.__module__, tp.__name__) == ("_cffi_backend", name)


def test_constants():
    # F-10.10
    assert _cffi_backend.FFI_DEFAULT_ABI == _cffi_backend.FFI_CDECL
    for name in ("RTLD_LAZY", "RTLD_NOW", "RTLD_GLOBAL", "RTLD_LOCAL"):
        assert isinstance(getattr(_cffi_backend, name), int)
        assert getattr(cffi.FFI, name) == getattr(_cffi_backend, name)


def test_ctypes_are_unique_and_named_like_cffi():
    # F-05.54, F-02.24..F-02.27: identity across FFIs, canonical names.
    a, b = cffi.FFI(), cffi.FFI()
    assert a.typeof("int") is b.typeof("int")
    # A function type is not a type cffi can make values of (F-02).
    with pytest.raises(cffi.CDefError, match="is a function type, not a pointer-to-function type"):
        a.typeof("int(int)")
    for spelling, name in [
        ("unsigned long int", "unsigned long"),
        ("long long unsigned", "unsigned long long"),
        ("const char *", "char *"),
        ("char * const *", "char * *"),
        ("int(**)(int)", "int(* *)(int)"),
        ("int(*)(void)", "int(*)()"),
        ("int(*[5])(long)", "int(*[5])(long)"),
        ("int(*)[3]", "int(*)[3]"),
        ("int *[3]", "int *[3]"),
        ("char *(*)(char *, ...)", "char *(*)(char *, ...)"),
        ("int(*(*)(int))(long)", "int(*(*)(int))(long)"),
        ("bool", "_Bool"),
        ("int32_t", "int32_t"),
        ("size_t", "size_t"),
    ]:
        assert a.typeof(spelling).cname == name, spelling


def test_ctype_attributes():
    # F-05.55..F-05.57
    ffi = cffi.FFI()
    arr = ffi.typeof("int[3]")
    assert (arr.kind, arr.length, arr.item) == ("array", 3, ffi.typeof("int"))
    assert dir(arr) == ["cname", "item", "kind", "length"]
    assert ffi.typeof("int[]").length is None
    p = ffi.typeof("char *")
    assert (p.kind, p.item) == ("pointer", ffi.typeof("char"))
    assert ffi.typeof("void").kind == "void"
    assert ffi.typeof("double").kind == "primitive"
    fn = ffi.typeof("int(*)(long, ...)")
    assert dir(fn) == ["abi", "args", "cname", "ellipsis", "kind", "result"]
    assert fn.ellipsis is True and fn.abi == _cffi_backend.FFI_DEFAULT_ABI
    with pytest.raises(AttributeError, match="^item$"):
        ffi.typeof("int").item


def test_sizes_and_alignments():
    ffi = cffi.FFI()
    assert ffi.sizeof("long double") == 16
    assert ffi.sizeof("int[10]") == 40
    assert ffi.alignof("long long") == 8
    assert ffi.sizeof(ffi.NULL) == ffi.sizeof("void *")
    assert ffi.sizeof(ffi.typeof("short")) == 2


def test_low_level_backend_functions():
    # F-10.13..F-10.16, F-10.24
    b = _cffi_backend
    BInt = b.new_primitive_type("int")
    assert BInt is cffi.FFI().typeof("int")
    with pytest.raises(KeyError):
        b.new_primitive_type("integer")
    BIntP = b.new_pointer_type(BInt)
    assert BIntP.cname == "int *"
    BArr = b.new_array_type(BIntP, 4)
    assert (BArr.cname, b.sizeof(BArr)) == ("int[4]", 16)
    assert b.new_array_type(BIntP, None).cname == "int[]"
    with pytest.raises(TypeError, match="first arg must be a pointer ctype"):
        b.new_array_type(BInt, 3)
    assert b.new_void_type().kind == "void"
    BFunc = b.new_function_type((BInt,), BInt)
    assert BFunc is cffi.FFI().typeof("int(*)(int)")
    with pytest.raises(TypeError, match="expected a tuple of ctypes"):
        b.new_function_type((1,), BInt)
    libc = b.load_library(None)
    absf = libc.load_function(BFunc, "abs")
    assert absf(-3) == 3
    with pytest.raises(OSError, match="cannot load library"):
        b.load_library("/nonexistent/libx.so")


def test_dlclose():
    # F-03.97, F-04.13
    ffi = cffi.FFI()
    ffi.cdef("int abs(int);")
    lib = ffi.dlopen("m")
    ffi.dlclose(lib)
    ffi.dlclose(lib)
    # The message names the file found for "m", as cffi's does.
    with pytest.raises(ValueError, match=r"library 'libm\.so\.6' has already been closed"):
        lib.abs


def test_complete_struct_or_union_only_once():
    """F-10.18: completing a record twice, or something that is not a
    record, is refused (cffi 2.0.0 crashes; docs/compat.md)."""
    import _cffi_backend as b

    i = b.new_primitive_type("int")
    s = b.new_struct_type("struct once")
    b.complete_struct_or_union(s, [("a", i, -1)])
    for target in (s, i):
        with pytest.raises(TypeError, match="first arg must be a non-initialized struct or union ctype"):
            b.complete_struct_or_union(target, [("b", i, -1)])
    assert b.sizeof(s) == 4
