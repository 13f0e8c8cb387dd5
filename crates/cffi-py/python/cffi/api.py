"""The in-line FFI: `cffi.FFI`, with cdef() and dlopen().

Everything that is done per call or per attribute lives in `_cffi_backend`
(Rust); this module only checks arguments, applies cffi's library search
rules and builds the `lib` objects.
"""

import os
import sys
import threading

import _cffi_backend

from .error import CDefError, FFIError

__all__ = ["FFI"]



class _Absent:
    """Hides an attribute of `_cffi_backend.FFI` that cffi's in-line FFI
    does not have (`error`, `integer_const`: F-03.07, F-03.08)."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            raise AttributeError("type object %r has no attribute %r" % (objtype.__name__, self.name))
        raise AttributeError("%r object has no attribute %r" % (type(obj).__name__, self.name))


class FFI(_cffi_backend.FFI):
    """The in-line FFI: declare C with cdef(), then open libraries with dlopen().

        ffi = FFI()
        ffi.cdef("int abs(int);")
        C = ffi.dlopen(None)
        C.abs(-5)
    """

    # Its own state in slots, and the instance dict left empty until a
    # user sets something: on CPython 3.12+, a method lookup (`ffi.cast`)
    # on an instance of a subclass of a native type is specialized only
    # while its dict does not exist (a third of an `ffi.cast()` call on
    # 3.13 otherwise). The RTLD_* flags come from the backend's class
    # (cffi keeps copies in each instance; docs/compat.md).
    __slots__ = ("__dict__", "__weakref__", "_libraries", "_included_ffis", "_embedding",
                 "_cdefsources", "_lock", "_windows_unicode", "_assigned_source")

    # A class attribute of its own, equal to the compiled FFI's (F-03.03).
    NULL = _cffi_backend.FFI().cast("void *", 0)
    error = _Absent()
    integer_const = _Absent()

    def __new__(cls, backend=None):
        return super().__new__(cls)

    def __init__(self, backend=None):
        # The package and the backend must come from one installation (F-03.01).
        from . import __version__

        if _cffi_backend.__version__ != __version__:
            raise Exception(
                "version mismatch: the cffi package is version %s (%s) but the "
                "_cffi_backend it imports is version %s (%s); reinstall cffi-py"
                % (__version__, os.path.dirname(__file__), _cffi_backend.__version__,
                   getattr(_cffi_backend, "__file__", "?"))
            )
        self._libraries = []
        self._included_ffis = []
        # The init code of an embedding library, once embedding_api() or
        # embedding_init_code() was called (F-09).
        self._embedding = None
        # Every cdef() text, in order: verify() names its module after them.
        self._cdefsources = []
        self._lock = threading.Lock()
        self._windows_unicode = None

    def addressof(self, cdata, *fields_or_indexes):
        """The address of a cdata's memory, or of a field or item inside it
        (F-03.78); for a dlopen() library, `addressof(lib, "name")` gives a
        function as its function pointer, an integer constant as its value
        (cffi's in-line quirk), and raises AttributeError for unknown names
        (F-03.80)."""
        library = type(cdata).__dict__.get("_cffi_backendlib")
        if library is None:
            return super().addressof(cdata, *fields_or_indexes)
        if len(fields_or_indexes) != 1 or not isinstance(fields_or_indexes[0], str):
            raise TypeError("addressof(lib, name): expected one name (a str)")
        name = fields_or_indexes[0]
        decl = _cffi_backend._ffi_declaration(type(cdata)._cffi_ffi, name)
        if decl is None:
            raise AttributeError(name)
        if decl[0] == "variable":
            return library.variable_address(decl[1], name)
        if decl[0] == "compiler_constant":
            raise _compiler_constant(name)
        return getattr(cdata, name)

    def def_extern(self, *args, **kwds):
        """API mode only: declares the Python implementation of an
        `extern "Python"` function (F-03.113)."""
        raise ValueError("ffi.def_extern() is only available on API-mode FFI objects")

    def getwinerror(self, code=-1):
        """Windows only: (code, message) of a Windows error (F-03.37); on
        other systems the backend has no such function (F-03.38)."""
        return _cffi_backend.getwinerror(code)

    def cdef(self, csource, override=False, packed=False, pack=None):
        """Parse the C declarations in `csource` and record them (F-01.01)."""
        _check_declare_arguments("cdef", csource, packed, pack)
        # Called from here, not from a helper: the backend's warnings point
        # two frames up, at the user's line.
        _cffi_backend._ffi_cdef(self, csource, bool(override), packed, pack)
        self._cdefsources.append(csource)

    def embedding_api(self, csource, packed=False, pack=None):
        """Declares the C functions an embedding library exports, each
        implemented in Python with `@ffi.def_extern()`; types and other
        declarations are as in cdef() (F-09.01, F-01.03)."""
        _check_declare_arguments("embedding_api", csource, packed, pack)
        _cffi_backend._ffi_cdef(self, csource, False, packed, pack, True)
        self._cdefsources.append(csource)
        if self._embedding is None:
            self._embedding = ""

    def embedding_init_code(self, pysource):
        """The Python code an embedding library runs once, when its first
        function is called (F-09.03): leading blank lines and the common
        indentation are removed, and a SyntaxError is raised now."""
        if self._embedding:
            raise ValueError("embedding_init_code() can only be called once")
        lines = pysource.splitlines()
        while lines and not lines[0].strip():
            del lines[0]
        indents = [len(l) - len(l.lstrip()) for l in lines if l.strip()]
        cut = min(indents) if indents else 0
        # Only a prefix every non-blank line shares is removed.
        while cut and len({l[:cut] for l in lines if l.strip()}) > 1:
            cut -= 1
        pysource = "".join(l[cut:] + "\n" for l in lines)
        compile(pysource, "cffi_init", "exec")
        self._embedding = pysource

    def _apply_embedding_fix(self, kwds):
        """The build keywords of an embedding library: it links the Python
        library itself (F-09.06)."""
        from ._build import embedding_link_keywords

        for key, values in embedding_link_keywords().items():
            listed = kwds.setdefault(key, [])
            for value in values:
                if value not in listed:
                    listed.append(value)

    def include(self, ffi_to_include):
        """Makes the typedefs, structs, unions, enums and integer constants
        declared in another in-line FFI known to this one, as the same
        types (F-03.123..F-03.125); its functions and variables stay its own."""
        if not isinstance(ffi_to_include, FFI):
            raise TypeError("ffi.include() expects an argument that is also of"
                            " type cffi.FFI, not %r" % (type(ffi_to_include).__name__,))
        if ffi_to_include is self:
            raise ValueError("self.include(self)")
        _cffi_backend._ffi_include(self, ffi_to_include)
        self._included_ffis.append(ffi_to_include)
        self._cdefsources.append("[")
        self._cdefsources.extend(ffi_to_include._cdefsources)
        self._cdefsources.append("]")

    def verify(self, source="", tmpdir=None, **kwargs):
        """Deprecated (F-08.59): compiles an extension module of the
        declarations with `source` as its C prelude, or reuses the one
        compiled before, and returns its library; see cffi/verifier.py."""
        from .verifier import Verifier, _caller_dir_pycache

        if self._windows_unicode:
            self._apply_windows_unicode(kwargs)
        # Here, not in Verifier: the default folder is beside verify()'s caller.
        tmpdir = tmpdir or _caller_dir_pycache()
        self.verifier = Verifier(self, source, tmpdir, **kwargs)
        lib = self.verifier.load_library()
        self._libraries.append(lib)
        return lib

    def set_unicode(self, enabled_flag):
        """Declares the Windows `TCHAR` family of typedefs as `wchar_t`
        (true) or `char` (false) based; with true, compiling also defines
        `UNICODE` and `_UNICODE` (F-03.127, F-03.128, F-08.07)."""
        if self._windows_unicode is not None:
            raise ValueError("set_unicode() can only be called once")
        enabled_flag = bool(enabled_flag)
        base = "wchar_t" if enabled_flag else "char"
        self.cdef("typedef {0} TBYTE, TCHAR; typedef const {0} *LPCTSTR, *PCTSTR;"
                  " typedef {0} *LPTSTR, *PTSTR, *PTBYTE, *PTCHAR;".format(base))
        self._windows_unicode = enabled_flag

    def _apply_windows_unicode(self, kwds):
        """Adds the UNICODE and _UNICODE macros to the build keywords
        `kwds`, in place (F-08.07); setuptools_ext and verify() call it."""
        from .recompiler import _with_unicode_macros

        kwds.update(_with_unicode_macros(kwds))

    def set_source(self, module_name, source, source_extension=".c", **kwds):
        """Names the module to generate (F-08.01): `source=None` makes an
        out-of-line ABI module (a `.py` file), C source an API-mode
        extension module; the other keywords go to the compile step as
        setuptools' `Extension` takes them (F-08.06)."""
        if hasattr(self, "_assigned_source"):
            raise ValueError("set_source() cannot be called several times per ffi object")
        if not isinstance(module_name, str):
            raise TypeError("'module_name' must be a string")
        if os.sep in module_name or (os.altsep and os.altsep in module_name):
            raise ValueError("'module_name' must not contain '/': use a dotted "
                             "name to make a 'package.module' location")
        self._assigned_source = (str(module_name), source, source_extension, kwds)

    def set_source_pkgconfig(self, module_name, pkgconfig_libs, source,
                             source_extension=".c", **kwds):
        """set_source() with the compiler and linker flags that pkg-config
        gives for each package of `pkgconfig_libs` added to `kwds`
        (F-08.08, F-08.09)."""
        from . import pkgconfig

        if not isinstance(pkgconfig_libs, list):
            raise TypeError("the pkgconfig_libs argument must be a list of package names")
        pkgconfig.merge_flags(kwds, pkgconfig.flags_from_pkgconfig(pkgconfig_libs))
        self.set_source(module_name, source, source_extension, **kwds)

    def emit_python_code(self, filename):
        """Writes the out-of-line module for `set_source(name, None)` to
        `filename` (a path or an open text file) (F-08.10)."""
        from .recompiler import recompile

        module_name, source, _, _ = self._source("emit_c_code")
        if source is not None:
            raise TypeError("can't emit Python code: this FFI is for C extension "
                            "modules, not for dlopen()-style pure Python modules")
        recompile(self, module_name, source, c_file=filename, call_c_compiler=False,
                  uses_ffiplatform=False)

    def emit_c_code(self, filename):
        """Writes the C source of the API-mode module to `filename` (a path
        or an open text file) (F-08.10, F-08.14)."""
        from .recompiler import recompile

        module_name, source, source_extension, kwds = self._source("emit_c_code")
        if source is None:
            raise TypeError("can't emit C code: this FFI is for dlopen()-style pure "
                            "Python modules, not for C extension modules")
        recompile(self, module_name, source, c_file=filename, call_c_compiler=False,
                  uses_ffiplatform=False, **kwds)

    def compile(self, tmpdir=".", verbose=0, target=None, debug=None):
        """Generates the module in `tmpdir` and, in API mode, compiles it;
        returns the path of the `.py` file or of the extension (F-08.19 to
        F-08.26)."""
        from .recompiler import recompile

        module_name, source, source_extension, kwds = self._source("compile")
        if source is None:
            if target is not None:
                raise TypeError("'target' argument is only for API mode")
            return recompile(self, module_name, source, tmpdir=tmpdir,
                             compiler_verbose=verbose, debug=debug)
        return recompile(self, module_name, source, tmpdir=tmpdir, target=target,
                         source_extension=source_extension, compiler_verbose=verbose,
                         debug=debug, **kwds)

    def distutils_extension(self, tmpdir="build", verbose=True):
        """Writes the C source to `<tmpdir>/<package dirs>/<name>.c` (when it
        changed) and returns the setuptools `Extension` that builds it
        (F-08.28 to F-08.30)."""
        from .recompiler import recompile

        if not hasattr(self, "_assigned_source"):
            if hasattr(self, "verifier"):
                return self.verifier.get_extension()
            raise ValueError("set_source() must be called before distutils_extension()")
        module_name, source, source_extension, kwds = self._assigned_source
        if source is None:
            raise TypeError("distutils_extension() is only for C extension modules")
        os.makedirs(tmpdir, exist_ok=True)
        ext, updated = recompile(self, module_name, source, tmpdir=tmpdir, extradir=tmpdir,
                                 call_c_compiler=False, source_extension=source_extension,
                                 compiler_verbose=verbose, **kwds)
        if verbose:
            if updated:
                sys.stderr.write("regenerated: %r\n" % (ext.sources[0],))
            else:
                sys.stderr.write("not modified: %r\n" % (ext.sources[0],))
        return ext

    def _source(self, what):
        if not hasattr(self, "_assigned_source"):
            raise ValueError("set_source() must be called before %s()" % (what,))
        return self._assigned_source

    def dlopen(self, name, flags=0):
        """Open a shared library and return a `lib` object for the functions
        and variables declared so far (F-03.90, F-03.91)."""
        if isinstance(name, _cffi_backend._CDataBase):
            # An already-opened handle (F-03.95): the backend checks it is
            # a non-NULL 'void *'.
            backendlib = _cffi_backend.load_library(name, flags)
            lib = _make_ffi_library(self, backendlib, None)
            self._libraries.append(lib)
            return lib
        if not (name is None or isinstance(name, str)):
            raise TypeError("dlopen(name): name must be a file name, None, or an already-opened 'void *' handle")
        backendlib = _load_backend_lib(name, flags)
        lib = _make_ffi_library(self, backendlib, name)
        self._libraries.append(lib)
        return lib

    def dlclose(self, lib):
        """Close a library opened by dlopen() (F-03.97)."""
        type(lib).__cffi_close__(lib)

    @property
    def _parser(self):
        """A read-only view of what cffi's private parser object holds,
        for the packages (and tests) that read it; see _ParserView."""
        return _ParserView(self)


class _ParserView:
    """`ffi._parser`: cffi's parser is private, but some code reads its
    `_declarations` (`"function f"` -> (type, qualifiers), `"macro N"` ->
    (value, 0)...) and `_int_constants`. The keys are cffi's; the types are
    this backend's ctypes where cffi has its model objects (a function's is
    its pointer ctype, with `.args` and `.result` as cffi's model has).
    Built on each access: a snapshot, as a listing should be."""

    __slots__ = ("_ffi",)

    def __init__(self, ffi):
        self._ffi = ffi

    @property
    def _declarations(self):
        return {key: (value, quals)
                for key, value, quals in _cffi_backend._ffi_parser_declarations(self._ffi)}

    @property
    def _int_constants(self):
        out = {}
        for name in _cffi_backend._ffi_declared_names(self._ffi):
            found = _known_declaration(self._ffi, name)
            if found is not None and found[0] == "constant":
                out[name] = found[1]
        return out


def _known_declaration(ffi, name):
    """What `name` was declared as, as `_cffi_backend._ffi_declaration`
    says, but None for an enumerator of a partial enum (its value is the
    compiler's: none in-line)."""
    from .error import VerificationMissing

    try:
        return _cffi_backend._ffi_declaration(ffi, name)
    except VerificationMissing:
        return None


def _check_declare_arguments(what, csource, packed, pack):
    if not isinstance(csource, str):
        raise TypeError("%s() argument must be a string" % (what,))
    if packed not in (False, True):
        raise ValueError("'packed' should be False or True; use 'pack' to give another value")
    if pack is not None and packed:
        raise ValueError("'packed' should be False if 'pack' is given")
    if pack is not None and (not isinstance(pack, int) or pack <= 0 or pack & (pack - 1)):
        raise ValueError("'pack' must be a power of two, not %r" % (pack,))


def _load_backend_lib(name, flags):
    """cffi's search rules: a name that looks like a path goes to the system
    loader first; otherwise (or if that fails) ctypes.util.find_library()."""
    if name is None:
        return _cffi_backend.load_library(None, flags)
    first_error = None
    if "." in name or "/" in name or os.sep in name:
        try:
            return _cffi_backend.load_library(name, flags)
        except OSError as e:
            first_error = e
    import ctypes.util

    path = ctypes.util.find_library(name)
    if path is None:
        msg = "ctypes.util.find_library() did not manage to locate a library called %r" % (name,)
        if first_error is not None:
            msg = "%s.  Additionally, %s" % (first_error, msg)
        raise OSError(msg)
    return _cffi_backend.load_library(path, flags)


def _make_ffi_library(ffi, backendlib, libname):
    """A fresh class per library: attributes are looked up on first access
    and then cached in the instance dict, so later accesses cost a plain
    attribute lookup (F-04.01, F-04.02)."""

    def load(lib, name):
        decl = _cffi_backend._ffi_declaration(ffi, name)
        if decl is None:
            raise AttributeError(name)
        kind, ctype = decl
        # A closed library refuses functions and variables (the backend
        # says so, naming the file it opened); constants stay (F-04.13).
        if kind == "constant":
            lib.__dict__[name] = ctype  # the value itself
            return ctype
        if kind == "compiler_constant":
            raise _compiler_constant(name)
        if kind == "function":
            value = backendlib.load_function(ctype, name)
            lib.__dict__[name] = value
            return value
        # A variable: a property of the class, read and written through C
        # on every access (F-04.04, F-04.10).
        prop = _variable_property(backendlib, ctype, name)
        setattr(FFILibrary, name, prop)
        return prop.__get__(lib, FFILibrary)

    class FFILibrary(object):
        _cffi_backendlib = backendlib
        _cffi_ffi = ffi

        def __getattr__(self, name):
            return load(self, name)

        def __setattr__(self, name, value):
            decl = _cffi_backend._ffi_declaration(ffi, name)
            if decl is None or decl[0] != "variable":
                raise AttributeError("cannot set attribute %r on a dlopen() library" % (name,))
            if name not in FFILibrary.__dict__:
                setattr(FFILibrary, name, _variable_property(backendlib, decl[1], name))
            object.__setattr__(self, name, value)

        def __dir__(self):
            return _cffi_backend._ffi_declared_names(ffi)

        def __cffi_close__(self):
            backendlib.close_lib()
            self.__dict__.clear()

    if isinstance(libname, str):
        FFILibrary.__name__ = "FFILibrary_%s" % (libname,)
    return FFILibrary()


def _compiler_constant(name):
    """A constant whose value only the C compiler knows (F-04.06)."""
    return NotImplementedError(
        "non-integer constant %r cannot be accessed from a dlopen() library" % (name,))


def _variable_property(backendlib, ctype, name):
    def get(lib):
        return backendlib.read_variable(ctype, name)

    def set(lib, value):
        backendlib.write_variable(ctype, name, value)

    return property(get, set)


def _display_name(libname):
    return "<None>" if libname is None else libname
