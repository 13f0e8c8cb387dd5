"""`ffi.verify()` and `cffi.verifier` (deprecated in cffi, still used by
older packages): F-08.59 to F-08.72, built on the API-mode generator.

The module verify() compiles is an ordinary API-mode extension module of
the FFI's declarations, written by our generator, named and cached as the
original names and caches it (`_cffi_<tag>_<engine letter><crc32 hex>
<crc32 hex>` in `__pycache__` beside the caller). Once imported, the FFI
hands its type-taking methods to the module's own FFI, so that what
`ffi.new()` makes is what the module's functions take; the declared
layouts of the structs and unions that were not left open with `...;`
are checked against the compiler's first (docs/distribution.md,
"verify()")."""

import binascii
import re
import importlib.machinery
import os
import shutil
import sys

from . import __version_verifier_modules__, ffiplatform
from .api import _known_declaration
from .error import VerificationError

__all__ = ["Verifier", "set_tmpdir", "cleanup_tmpdir"]

# The FFI methods that take or make types: after verify(), the FFI's own
# are replaced by the compiled module's FFI's.
_DELEGATED = ("new", "cast", "typeof", "sizeof", "alignof", "offsetof", "addressof",
              "getctype", "callback", "new_allocator", "from_buffer", "list_types",
              "integer_const", "unpack")


class Verifier:
    """Generates, compiles and loads the module of `ffi.verify(preamble)`."""

    def __init__(self, ffi, preamble, tmpdir=None, modulename=None, ext_package=None,
                 tag="", force_generic_engine=False, source_extension=".c", flags=None,
                 relative_to=None, **kwds):
        feature = _verify_only_refuses(ffi)
        if feature:
            raise VerificationError("feature not supported with ffi.verify(), but only "
                                    "with ffi.set_source(): %s" % (feature,))
        self.ffi = ffi
        self.preamble = preamble
        self._vengine = _locate_engine_class(ffi, force_generic_engine)
        if not modulename:
            flattened_kwds = ffiplatform.flatten(kwds)
        self.flags = flags
        self.kwds = self.make_relative_to(kwds, relative_to)
        if modulename:
            if tag:
                raise TypeError("can't specify both 'modulename' and 'tag'")
        else:
            modulename = "_cffi_%s_%s%s" % (
                tag, self._vengine._class_key,
                _digests("\x00".join(["%d.%d" % sys.version_info[:2],
                                      __version_verifier_modules__, preamble, flattened_kwds]
                                     + list(getattr(ffi, "_cdefsources", ())))))
        self.tmpdir = tmpdir or _caller_dir_pycache()
        self.sourcefilename = os.path.join(self.tmpdir, modulename + source_extension)
        self.modulefilename = os.path.join(self.tmpdir, modulename + _get_so_suffixes()[0])
        self.ext_package = ext_package
        self._has_source = False
        self._has_module = False

    def write_source(self, file=None):
        """Writes the C source to `self.sourcefilename` (rewritten only when
        it changed), or to the open text file `file`."""
        with self.ffi._lock:
            if self._has_source and file is None:
                raise VerificationError("source code already written")
            self._write_source(file)

    def compile_module(self):
        """Writes the source if needed and compiles it into
        `self.modulefilename`."""
        with self.ffi._lock:
            if self._has_module:
                raise VerificationError("module already compiled")
            if not self._has_source:
                self._write_source()
            self._compile_module()

    def load_library(self):
        """The `lib` of the module: an existing compiled module of this name
        is reused, otherwise it is generated and compiled first."""
        with self.ffi._lock:
            if not self._has_module:
                self._locate_module()
                if not self._has_module:
                    if not self._has_source:
                        self._write_source()
                    self._compile_module()
            return self._load_library()

    def get_module_name(self):
        # "name.cpython-311-x86_64-linux-gnu.so" -> "name"
        name = os.path.basename(self.modulefilename).split(".", 1)[0]
        if name.endswith("_d") and hasattr(sys, "gettotalrefcount"):
            name = name[:-2]
        return name

    def get_extension(self):
        """The setuptools `Extension` that builds the module."""
        if not self._has_source:
            with self.ffi._lock:
                if not self._has_source:
                    self._write_source()
        return ffiplatform.get_extension(ffiplatform.maybe_relative_path(self.sourcefilename),
                                         self.get_module_name(), **self.kwds)

    def generates_python_module(self):
        return self._vengine._gen_python_module

    def make_relative_to(self, kwds, relative_to):
        if not (relative_to and os.path.dirname(relative_to)):
            return kwds
        folder = os.path.dirname(relative_to)
        kwds = dict(kwds)
        for key in ffiplatform.LIST_OF_FILE_NAMES:
            if key in kwds:
                names = kwds[key]
                if not isinstance(names, (list, tuple)):
                    raise TypeError("keyword '%s' should be a list or tuple" % (key,))
                kwds[key] = [os.path.join(folder, name) for name in names]
        return kwds

    # ----

    def _locate_module(self):
        if not os.path.isfile(self.modulefilename):
            if self.ext_package:
                try:
                    package = __import__(self.ext_package, None, None, ["__doc__"])
                except ImportError:
                    return  # not importable (yet): compile afresh
                path = list(package.__path__)
            else:
                path = None
            found = _find_module(self.get_module_name(), path)
            if found is None:
                return
            self.modulefilename = found
        self._has_module = True

    def _write_source(self, file=None):
        from .recompiler import make_c_source

        name = self.get_module_name()
        if file is not None:
            make_c_source(self.ffi, name, self.preamble, file)
            return
        os.makedirs(os.path.dirname(self.sourcefilename) or ".", exist_ok=True)
        make_c_source(self.ffi, name, self.preamble, self.sourcefilename)
        self._has_source = True

    def _compile_module(self):
        from . import _build

        tmpdir = os.path.dirname(self.sourcefilename) or "."
        # A folder per process: two processes verifying the same module
        # (pytest-xdist) must not share objects or a half-written output.
        scratch = os.path.join(tmpdir, "build", str(os.getpid()))
        output = os.path.join(scratch, os.path.basename(self.modulefilename))
        _build.build_module(self.sourcefilename, output, self.kwds,
                            os.path.splitext(self.sourcefilename)[1], objdir=scratch)
        os.makedirs(os.path.dirname(self.modulefilename) or ".", exist_ok=True)
        try:
            os.replace(output, self.modulefilename)  # atomic on one file system
        except OSError:
            shutil.move(output, self.modulefilename)
        self._has_module = True

    def _load_library(self):
        assert self._has_module
        module = _import_extension(self.get_module_name(), self.modulefilename, self.flags)
        if not (hasattr(module, "ffi") and hasattr(module, "lib")):
            raise VerificationError(
                "%r is not a module compiled by this cffi's verify() (it has no 'ffi' and "
                "'lib'; the original cffi's verify() modules work differently): delete it, "
                "or give verify() another 'modulename'" % (self.modulefilename,))
        _check_layouts(self.ffi, module.ffi, module.lib)
        _adopt(self.ffi, module.ffi)
        return _library(self.ffi, module, self._vengine)


def _digests(key):
    """The two CRC32 hex digests the original appends to a verify()
    module's name: of the even and of the odd bytes of the key."""
    data = key.encode("utf-8")
    first = hex(binascii.crc32(data[0::2]) & 0xFFFFFFFF).lstrip("0x")
    second = hex(binascii.crc32(data[1::2]) & 0xFFFFFFFF).lstrip("0")
    return first + second


def _verify_only_refuses(ffi):
    """The first declaration only set_source() supports (`typedef int...
    t;`, `typedef double... t;`, F-08.68), as the original names it, or
    None."""
    for text in getattr(ffi, "_cdefsources", ()):
        found = re.search(r"\btypedef\s+(\w+)\s*\.\.\.\s*(\w+)", text)
        if found:
            kind = "float" if found.group(1) in ("float", "double") else "int"
            return "'typedef %s... %s'" % (kind, found.group(2))
    return None


def _import_extension(name, path, flags):
    """Imports the module with `flags` as the dlopen flags meanwhile. It goes
    into sys.modules, as the original's loader put it: a module that
    includes this one's FFI finds it there."""
    from ._imp_emulation import load_dynamic

    previous = sys.getdlopenflags() if hasattr(sys, "getdlopenflags") else None
    try:
        if flags is not None and previous is not None:
            sys.setdlopenflags(flags)
        return load_dynamic(name, path)
    except ImportError as e:
        raise VerificationError("importing %r: %s" % (path, e))
    finally:
        if previous is not None:
            sys.setdlopenflags(previous)


def _check_layouts(ffi, compiled, lib):
    """What the declarations say must be what the compiler says (F-08.69):
    the layout of each struct and union declared whole (no `...;`), the
    values of the enumerators of enums declared whole and of integer
    constants given a value. The compiled module's own refusals (a
    partial struct's field of the wrong size...) are raised here too,
    rather than at first use."""
    import _cffi_backend

    base = _cffi_backend.FFI
    declarations = ffi._parser._declarations  # a snapshot, built on each access
    enumerators = set()
    for ctype, _quals in declarations.values():
        if getattr(ctype, "kind", None) == "enum":
            try:
                enumerators.update(base.typeof(ffi, ctype).relements)
            except Exception:
                continue  # a partial enum: no values in-line
    checked = set()
    for key, (ctype, _quals) in declarations.items():
        kind, _, name = key.partition(" ")
        cname = key if kind in ("struct", "union", "enum") else name
        ctype_kind = getattr(ctype, "kind", None)
        # `$1`-like names are the anonymous records nested in others: they
        # are checked as part of the record holding them.
        if cname in checked or "$" in cname or kind not in (
                "struct", "union", "enum", "anonymous", "typedef"):
            continue
        checked.add(cname)
        if ctype_kind in ("struct", "union"):
            _check_record(ffi, base, compiled, cname)
        elif ctype_kind == "enum":
            _check_enum(ffi, base, compiled, lib, cname)
    for name, value in ffi._parser._int_constants.items():
        if name not in enumerators:
            try:
                real = getattr(lib, name)
            except compiled.error as e:
                # The module checks a `#define N 123` itself, in its words.
                found = re.search(r"says '\w+' is equal to (-?\d+)", str(e))
                if not found:
                    raise VerificationError(str(e))
                real = int(found.group(1))
            if real != value:
                raise VerificationError("%s has the real value %d, not %d" % (name, real, value))


def _realized(compiled, get):
    try:
        return get()
    except compiled.error as e:
        raise VerificationError(_in_verify_words(str(e)))


def _in_verify_words(message):
    """The compiled FFI's layout refusal ("struct s: wrong offset for field
    'x' (cdef says 0, but C compiler says 4). fix it or ...") in the words
    verify() has always used ("... (we have 0, but C compiler says 4)")."""
    found = re.match(r"(.*?: wrong [^(]*) \(cdef says (\d+), but C compiler says (\d+)\)",
                     message)
    if found:
        return "%s (we have %s, but C compiler says %s)" % found.groups()
    return message


def _check_record(ffi, base, compiled, cname):
    from .error import VerificationMissing

    theirs = _realized(compiled, lambda: compiled.typeof(cname))
    try:
        mine = base.typeof(ffi, cname)
        fields = mine.fields
    except VerificationMissing:
        mine = fields = None  # partial: the compiler's layout is taken as it is
    else:
        if fields is None:
            return  # opaque in the cdef: nothing to check
    # Laying the record out surfaces the module's own refusals (a partial
    # record's field whose type has the wrong size).
    real_size = _realized(compiled, lambda: compiled.sizeof(theirs))
    if mine is None:
        return
    size, align = base.sizeof(ffi, mine), base.alignof(ffi, mine)
    prefix = cname + ": "
    _expect(real_size, size, prefix + "wrong total size")
    _expect(compiled.alignof(theirs), align, prefix + "wrong total alignment")
    real_fields = dict(theirs.fields or ())
    for fname, field in fields:
        if field.bitsize >= 0 or not fname or fname not in real_fields:
            continue
        _expect(compiled.offsetof(theirs, fname), field.offset,
                prefix + "wrong offset for field %r" % (fname,))
        try:
            sizes = compiled.sizeof(real_fields[fname].type), base.sizeof(ffi, field.type)
        except Exception:
            continue  # a flexible array member: no size to compare
        _expect(sizes[0], sizes[1], prefix + "wrong size for field %r" % (fname,))


def _check_enum(ffi, base, compiled, lib, cname):
    try:
        declared = base.typeof(ffi, cname).relements
    except Exception:
        return  # a partial enum: its values are the compiler's
    for name, value in sorted(declared.items(), key=lambda item: item[1]):
        real = _realized(compiled, lambda: getattr(lib, name))
        if real != value:
            raise VerificationError("%s: %s has the real value %d, not %d"
                                    % (cname, name, real, value))


def _expect(real, declared, what):
    if real != declared:
        raise VerificationError("%s (we have %d, but C compiler says %d)"
                                % (what, declared, real))


def _adopt(ffi, compiled):
    for name in _DELEGATED:
        method = getattr(compiled, name, None)
        if method is not None:
            setattr(ffi, name, method)
    compiled_addressof = compiled.addressof

    def addressof(cdata, *fields_or_indexes):
        if isinstance(cdata, _VerifiedLibrary):
            cdata = type(cdata)._cffi_lib
        return compiled_addressof(cdata, *fields_or_indexes)

    ffi.addressof = addressof


class _VerifiedLibrary:
    """What verify() returns, as the original's: a plain object that keeps
    its FFI alive and can be weakly referenced, and reaches the compiled
    module's `lib` for every name (functions and constants are cached in
    the instance; variables are read and written through on each use)."""

    def __getattr__(self, name):
        cls = type(self)
        value = getattr(cls._cffi_lib, name)
        decl = _known_declaration(cls._cffi_ffi, name)
        if decl is not None and decl[0] == "variable":
            setattr(cls, name, property(lambda _self: getattr(cls._cffi_lib, name),
                                        lambda _self, v: setattr(cls._cffi_lib, name, v)))
        else:
            self.__dict__[name] = value
        return value

    def __setattr__(self, name, value):
        setattr(type(self)._cffi_lib, name, value)

    def __dir__(self):
        return dir(type(self)._cffi_lib)


def _library(ffi, module, engine):
    """A class of its own per library (so that variables can be
    properties), holding the FFI, the module and its lib."""
    attrs = {"_cffi_ffi": ffi, "_cffi_lib": module.lib}
    # The original's two engines each marked their library so.
    attrs["_cffi_python_module" if engine._gen_python_module else "_cffi_generic_module"] = module
    cls = type("FFILibrary", (_VerifiedLibrary,), attrs)
    return cls()


def _find_module(name, path):
    for folder in (path if path is not None else sys.path):
        for suffix in _get_so_suffixes():
            candidate = os.path.join(folder or ".", name + suffix)
            if os.path.isfile(candidate):
                return candidate
    return None


# ____________________________________________________________


class _CPythonEngine:
    """The original had two generators for verify(); only the letter in
    the module name and this flag remain of them here (ours always builds
    an extension module with the API-mode generator)."""

    _class_key = "x"
    _gen_python_module = True


class _GenericEngine:
    """The original's generic engine built a plain shared library."""

    _class_key = "g"
    _gen_python_module = False


def _locate_engine_class(ffi, force_generic_engine):
    if force_generic_engine or _FORCE_GENERIC_ENGINE:
        return _GenericEngine
    return _CPythonEngine


_FORCE_GENERIC_ENGINE = False  # cffi's tests set it
_TMPDIR = None


def _caller_dir_pycache():
    """The default tmpdir (F-08.61): set_tmpdir()'s, else $CFFI_TMPDIR,
    else `__pycache__` beside the file that called verify()."""
    if _TMPDIR:
        return _TMPDIR
    result = os.environ.get("CFFI_TMPDIR")
    if result:
        return result
    filename = sys._getframe(2).f_code.co_filename
    return os.path.abspath(os.path.join(os.path.dirname(filename), "__pycache__"))


def set_tmpdir(dirname):
    """Sets the folder verify() uses instead of `__pycache__`."""
    global _TMPDIR
    _TMPDIR = dirname


def cleanup_tmpdir(tmpdir=None, keep_so=False):
    """Deletes the `_cffi_*` sources (and compiled modules, unless
    `keep_so`) in `tmpdir`, and every file under `tmpdir/build`."""
    tmpdir = tmpdir or _caller_dir_pycache()
    try:
        names = os.listdir(tmpdir)
    except OSError:
        return
    suffix = ".c" if keep_so else _get_so_suffixes()[0].lower()
    for name in names:
        lower = name.lower()
        if lower.startswith("_cffi_") and (lower.endswith(suffix) or lower.endswith(".c")):
            try:
                os.unlink(os.path.join(tmpdir, name))
            except OSError:
                pass
    folders = [os.path.join(tmpdir, "build")]
    for folder in folders:
        try:
            for name in os.listdir(folder):
                path = os.path.join(folder, name)
                if os.path.isdir(path):
                    folders.append(path)
                else:
                    os.unlink(path)
        except OSError:
            pass


def _get_so_suffixes():
    return importlib.machinery.EXTENSION_SUFFIXES[:] or [".so"]
