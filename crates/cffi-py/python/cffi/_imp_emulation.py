"""The few names of the removed `imp` module that cffi's own tests and the
old `ffi.verify()` code path use, written on top of importlib (the `imp`
module is gone from Python 3.12)."""

import importlib.machinery
import importlib.util
import sys

__all__ = ["load_dynamic", "find_module", "get_suffixes", "C_EXTENSION", "PY_SOURCE", "PY_COMPILED",
           "PKG_DIRECTORY"]

PY_SOURCE = 1
PY_COMPILED = 2
C_EXTENSION = 3
PKG_DIRECTORY = 5


def get_suffixes():
    """(suffix, mode, kind) for the file kinds Python imports, extension
    modules first."""
    return (
        [(s, "rb", C_EXTENSION) for s in importlib.machinery.EXTENSION_SUFFIXES]
        + [(s, "r", PY_SOURCE) for s in importlib.machinery.SOURCE_SUFFIXES]
        + [(s, "rb", PY_COMPILED) for s in importlib.machinery.BYTECODE_SUFFIXES]
    )


def load_dynamic(name, path, file=None):
    """Imports the extension module `name` from the file `path` (reloading
    it if a module of that name is imported already) and returns it."""
    loader = importlib.machinery.ExtensionFileLoader(name, path)
    spec = importlib.util.spec_from_file_location(name, path, loader=loader)
    if spec is None:
        raise ImportError("cannot load %r from %r" % (name, path), name=name, path=path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def find_module(name, path=None):
    """(open file or None, path, (suffix, mode, kind)) of the top-level
    module or package `name` in the folders `path` (default: sys.path);
    ImportError when none has it."""
    import os

    for folder in sys.path if path is None else path:
        folder = folder or "."
        package = os.path.join(folder, name)
        if os.path.isfile(os.path.join(package, "__init__.py")):
            return None, package, ("", "", PKG_DIRECTORY)
        for suffix, mode, kind in get_suffixes():
            candidate = package + suffix
            if os.path.isfile(candidate):
                return open(candidate, mode), candidate, (suffix, mode, kind)
    raise ImportError("No module named %r" % (name,), name=name)
