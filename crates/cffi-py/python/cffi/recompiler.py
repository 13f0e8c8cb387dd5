"""`cffi.recompiler`: the generator entry points that build scripts and
cffi's own tests call directly. Out-of-line ABI modules (`preamble=None`)
are written by `_cffi_backend` (crates/type-context); API mode (C source)
is not supported yet."""

import os

import _cffi_backend

__all__ = ["make_py_source", "recompile"]


def _is_file_like(target):
    return hasattr(target, "write")


def make_py_source(ffi, module_name, target_py_file, verbose=False):
    """Writes the out-of-line module `module_name` for `ffi`'s declarations
    to `target_py_file` (a path or a file-like object). A path is written
    only when its content changes, through a temporary file renamed into
    place; returns False when it was already up to date (F-08.11)."""
    if verbose:
        print("generating %s" % (target_py_file,))
    output = _cffi_backend._ffi_emit_python(ffi, module_name, _included_modules(ffi))
    if _is_file_like(target_py_file):
        target_py_file.write(output)
        return True
    try:
        with open(target_py_file, "r") as f:
            if f.read(len(output) + 1) == output:
                if verbose:
                    print("(already up-to-date)")
                return False
    except OSError:
        pass
    tmp = "%s.~%d" % (target_py_file, os.getpid())
    with open(tmp, "w") as f:
        f.write(output)
    os.replace(tmp, target_py_file)
    return True


def _included_modules(ffi):
    """(module name, ffi) of each out-of-line module `ffi` includes; the
    included FFIs must have been given their own `set_source(name, None)`
    (F-08.55, F-08.56)."""
    from .error import VerificationError

    modules = []
    for other in getattr(ffi, "_included_ffis", ()):
        try:
            name, source = other._assigned_source[:2]
        except AttributeError:
            raise VerificationError(
                "ffi object %r includes %r, but the latter has not been prepared "
                "with set_source()" % (ffi, other))
        if source is not None:
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
        raise NotImplementedError(
            "API mode (set_source() with C source) is not supported yet by cffi-py")
    if c_file is None:
        c_file, _ = _modname_to_file(tmpdir, module_name, ".py")
    updated = make_py_source(ffi, module_name, c_file, verbose=compiler_verbose)
    if call_c_compiler:
        return c_file
    return None, updated
