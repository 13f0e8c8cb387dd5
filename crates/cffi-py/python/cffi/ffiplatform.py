"""`cffi.ffiplatform`: building a C extension or shared library with
setuptools, as build scripts and cffi's own tests call it (`recompile()`
and `verify()` build on it)."""

import os
import sys

from .error import VerificationError

__all__ = ["get_extension", "compile", "flatten", "maybe_relative_path", "samefile"]

# The Extension keywords that hold file names (verify()'s `relative_to`).
LIST_OF_FILE_NAMES = ["sources", "include_dirs", "library_dirs", "extra_objects", "depends"]


def _setuptools():
    """setuptools, or an error that says to install it (Python 3.12 and
    later have no distutils to fall back on)."""
    try:
        import setuptools
    except ImportError as e:
        raise ImportError("this cffi feature makes a setuptools Extension or runs a setuptools "
                          "build: install the 'setuptools' package (%s)" % (e,)) from e
    return setuptools


def get_extension(srcfilename, modname, sources=(), **kwds):
    """A setuptools `Extension` named `modname` built from `srcfilename`
    and `sources` (normalized paths), with the other setuptools options
    as given (F-08.06, F-08.28)."""
    Extension = _setuptools().Extension
    allsources = [srcfilename] + [os.path.normpath(s) for s in sources]
    return Extension(name=modname, sources=allsources, **kwds)


def compile(tmpdir, ext, compiler_verbose=0, debug=None):
    """Builds `ext` in `tmpdir` (its objects and its output) and returns the
    output's absolute path; compiler and linker errors become
    `VerificationError`. The environment is restored afterwards (the
    build may extend variables such as CFLAGS)."""
    saved = os.environ.copy()
    try:
        return os.path.abspath(_build(tmpdir, ext, compiler_verbose, debug))
    finally:
        for key, value in saved.items():
            if os.environ.get(key) != value:
                os.environ[key] = value


def _build(tmpdir, ext, compiler_verbose, debug):
    Distribution = _setuptools().Distribution

    try:
        from setuptools.errors import CompileError, LinkError
    except ImportError:  # older setuptools
        from distutils.errors import CompileError, LinkError

    dist = Distribution({"ext_modules": [ext]})
    dist.parse_config_files()
    options = dist.get_option_dict("build_ext")
    options["debug"] = ("ffiplatform", sys.flags.debug if debug is None else debug)
    options["force"] = ("ffiplatform", True)
    options["build_lib"] = ("ffiplatform", tmpdir)
    options["build_temp"] = ("ffiplatform", tmpdir)
    dist.verbose = int(bool(compiler_verbose))
    try:
        dist.run_command("build_ext")
    except (CompileError, LinkError) as e:
        raise VerificationError("%s: %s" % (e.__class__.__name__, e))
    [output] = dist.get_command_obj("build_ext").get_outputs()
    return output


def samefile(f1, f2):
    return os.path.abspath(f1) == os.path.abspath(f2)


def maybe_relative_path(path):
    """`path` relative to the current directory when it lies under it,
    else unchanged."""
    if not os.path.isabs(path):
        return path
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def flatten(value):
    """A string that determines `value` (str, int, list, tuple or dict,
    nested), for the verify() module name (F-08.62, F-08.64): each item is
    written with its length or value and a type letter."""
    out = []

    def walk(x):
        if isinstance(x, str):
            out.append("%ds%s" % (len(x), x))
        elif isinstance(x, dict):
            keys = sorted(x)
            out.append("%dd" % len(keys))
            for key in keys:
                walk(key)
                walk(x[key])
        elif isinstance(x, (list, tuple)):
            out.append("%dl" % len(x))
            for item in x:
                walk(item)
        elif isinstance(x, int):
            out.append("%di" % (x,))
        else:
            raise TypeError("the keywords to verify() contains unsupported object %r" % (x,))

    walk(value)
    return "".join(out)
