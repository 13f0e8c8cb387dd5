"""`cffi.recompiler`: the generator entry points that build scripts and
cffi's own tests call directly. Out-of-line ABI modules (`preamble=None`)
are written by `_cffi_backend` (crates/type-context), API-mode C modules
by `_cffi_backend` too (crates/recompiler), and compiled by `_build`."""

import io
import os

import _cffi_backend

# cffi.recompiler.get_extension, as build scripts call it.
from .ffiplatform import get_extension

__all__ = ["NativeIO", "Recompiler", "make_c_source", "make_py_source", "recompile"]

# The text stream a module is written to in memory (the original's name).
NativeIO = io.StringIO


def _is_file_like(target):
    return hasattr(target, "write")


def _write_if_changed(target, make_output, verbose):
    """Writes what `make_output()` returns to `target` (a path or a
    file-like object). A path is written only when its content changes,
    through a temporary file renamed into place; returns False when it was
    already up to date (F-08.11). "generating" is printed first, as the
    original does, even when generating fails."""
    if verbose:
        print("generating %s" % (target,))
    output = make_output()
    if _is_file_like(target):
        target.write(output)
        return True
    try:
        with open(target, "r") as f:
            if f.read(len(output) + 1) == output:
                if verbose:
                    print("(already up-to-date)")
                return False
    except OSError:
        pass
    tmp = "%s.~%d" % (target, os.getpid())
    with open(tmp, "w") as f:
        f.write(output)
    os.replace(tmp, target)
    return True


def make_py_source(ffi, module_name, target_py_file, verbose=False):
    """Writes the out-of-line module `module_name` for `ffi`'s declarations
    to `target_py_file` (F-08.10, F-08.11)."""
    return _write_if_changed(
        target_py_file,
        lambda: _cffi_backend._ffi_emit_python(ffi, module_name, _included_modules(ffi, False)),
        verbose)


def make_c_source(ffi, module_name, preamble, target_c_file, verbose=False):
    """Writes the C source of the API-mode module `module_name` to
    `target_c_file` (F-08.10, F-08.11, F-08.14)."""
    return _write_if_changed(
        target_c_file,
        lambda: _cffi_backend._ffi_emit_c(ffi, module_name, preamble,
                                          _included_modules(ffi, True),
                                          getattr(ffi, "_embedding", None)),
        verbose)


def _included_modules(ffi, c_based):
    """(module name, ffi) of each module `ffi` includes; the included FFIs
    must have been given their own `set_source()` of the same mode
    (F-08.55, F-08.56)."""
    from .error import VerificationError

    modules = []
    for other in getattr(ffi, "_included_ffis", ()):
        try:
            name, source = other._assigned_source[:2]
        except AttributeError:
            if hasattr(other, "verifier"):
                # verify()'s module of the included FFI (cffi/verifier.py).
                modules.append((other.verifier.get_module_name(), other))
                continue
            raise VerificationError(
                "ffi object %r includes %r, but the latter has not been prepared "
                "with set_source()" % (ffi, other))
        if c_based and source is None:
            raise VerificationError(
                "not implemented yet: ffi.include() of a Python-based ffi inside a C-based ffi")
        if not c_based and source is not None:
            raise VerificationError(
                "not implemented yet: ffi.include() of a C-based ffi inside a Python-based ffi")
        modules.append((name, other))
    return modules


def _modname_to_file(outputdir, modname, extension):
    parts = modname.split(".")
    os.makedirs(os.path.join(outputdir, *parts[:-1]), exist_ok=True)
    parts[-1] += extension
    return os.path.join(outputdir, *parts), parts


def recompile(ffi, module_name, preamble, tmpdir=".", call_c_compiler=True,
              c_file=None, source_extension=".c", extradir=None,
              compiler_verbose=1, target=None, debug=None,
              uses_ffiplatform=True, **kwds):
    """Generates the module for `ffi`: with `preamble=None`, the `.py` file
    `<tmpdir>/<name as a path>.py` (or `c_file`); returns its path, or
    `(None, updated)` when `call_c_compiler` is false (F-08.19, F-08.20)."""
    if not isinstance(module_name, str):
        module_name = module_name.decode("ascii")
    if preamble is not None:
        return _recompile_c(ffi, module_name, preamble, tmpdir, call_c_compiler, c_file,
                            source_extension, extradir, compiler_verbose, target, debug,
                            uses_ffiplatform, kwds)
    if c_file is None:
        c_file, _ = _modname_to_file(tmpdir, module_name, ".py")
    updated = make_py_source(ffi, module_name, c_file, verbose=compiler_verbose)
    if call_c_compiler:
        return c_file
    return None, updated


def _recompile_c(ffi, module_name, preamble, tmpdir, call_c_compiler, c_file,
                 source_extension, extradir, verbose, target, debug, uses_ffiplatform, kwds):
    """API mode: writes `<tmpdir>/<package dirs>/<name><source_extension>`
    and, with `call_c_compiler`, compiles it in `tmpdir` and returns the
    absolute path of the extension (F-08.21..F-08.26); otherwise returns
    `(extension or None, updated)`."""
    if getattr(ffi, "_windows_unicode", None):
        kwds = _with_unicode_macros(kwds)
    embedding = getattr(ffi, "_embedding", None) is not None
    if embedding:
        # A shared library linking libpython, named after the module
        # (F-09.06).
        kwds = dict(kwds)
        ffi._apply_embedding_fix(kwds)
        if target is None:
            target = module_name.rsplit(".", 1)[-1] + ".*"
    if c_file is None:
        c_file, parts = _modname_to_file(tmpdir, module_name, source_extension)
        if extradir:
            parts = [extradir] + parts
        ext_c_file = os.path.join(*parts)
    else:
        ext_c_file = c_file
    if target is None:
        target = "*"
    ext = None
    if uses_ffiplatform and not call_c_compiler:
        ext = get_extension(ext_c_file, module_name, **kwds)
    updated = make_c_source(ffi, module_name, preamble, c_file, verbose=verbose)
    if not call_c_compiler:
        return ext, updated
    from . import _build

    package_dir = os.path.dirname(ext_c_file)
    if target == "*":
        output = module_name.rsplit(".", 1)[-1] + _build.extension_suffix(
            bool(kwds.get("py_limited_api", False)))
    elif target.endswith(".*"):
        output = target[:-2] + _build.shared_library_suffix()
    else:
        output = target
    output = os.path.join(package_dir, output)
    cwd = os.getcwd()
    if verbose:
        msg = "the current directory is" if tmpdir == "." else "setting the current directory to"
        print("%s %r" % (msg, os.path.abspath(tmpdir)))
    saved_env = dict(os.environ)
    try:
        os.chdir(tmpdir)
        _build.build_module(ext_c_file, output, kwds, source_extension, debug=debug,
                            verbose=verbose)
        return os.path.abspath(output)
    finally:
        os.chdir(cwd)
        if os.environ != saved_env:
            os.environ.clear()
            os.environ.update(saved_env)


class Recompiler:
    """The type table a module for `ffi` would carry, for tools and tests
    that inspect it: `collect_type_table()` fills `cffi_types` with one
    `CffiOp` per slot (docs/protocol.md section 5)."""

    def __init__(self, ffi, module_name, target_is_python=False):
        self.ffi = ffi
        self.module_name = module_name
        self.target_is_python = target_is_python
        self.cffi_types = []

    def collect_type_table(self):
        from .cffi_opcode import CffiOp

        includes = list(getattr(self.ffi, "_included_ffis", ()))
        self.cffi_types = [CffiOp(op, arg)
                           for op, arg in _cffi_backend._ffi_type_table(self.ffi, includes)]


def _with_unicode_macros(kwds):
    """`set_unicode(True)`: the build also defines UNICODE and _UNICODE
    (F-08.07)."""
    kwds = dict(kwds)
    macros = kwds.get("define_macros", ())
    if not isinstance(macros, (list, tuple)):
        raise TypeError("'define_macros' must be a list or tuple")
    kwds["define_macros"] = list(macros) + [("UNICODE", "1"), ("_UNICODE", "1")]
    return kwds
