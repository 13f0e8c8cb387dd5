"""`setup(cffi_modules=["pkg/foo_build.py:ffibuilder", ...])`: the
setuptools keyword our wheel registers (entry point group
`distutils.setup_keywords`), F-08.31 to F-08.36.

Each entry names a build script and a variable in it holding an FFI (or a
function returning one) on which `set_source()` was called. An API-mode
FFI becomes an `Extension` whose C file is generated into `build_temp`
when `build_ext` runs; an out-of-line ABI FFI becomes a `.py` module
generated into `build_lib` by `build_py` (and next to the package's
sources by `build_ext --inplace`). See docs/distribution.md."""

import os
import sys
import sysconfig

__all__ = ["cffi_modules", "add_cffi_module", "execfile"]


def error(msg):
    """Raises setuptools' DistutilsSetupError, which setup() reports as
    'error: <msg>' without a traceback."""
    import setuptools  # noqa: F401  (makes `distutils` importable on 3.12+)
    from distutils.errors import DistutilsSetupError

    raise DistutilsSetupError(msg)


def execfile(filename, glob):
    """Runs the build script `filename` with `glob` as its globals. Not an
    import: a package's `__init__.py` may itself import the module the
    script is about to generate."""
    with open(filename) as f:
        code = compile(f.read() + "\n", filename, "exec")
    exec(code, glob, glob)


def cffi_modules(dist, attr, value):
    """The `cffi_modules=` keyword: a string or a list of strings of the
    form `"path/to/build.py:variable"`."""
    assert attr == "cffi_modules"
    if isinstance(value, str):
        value = [value]
    for spec in value:
        add_cffi_module(dist, spec)


def add_cffi_module(dist, mod_spec):
    from .api import FFI

    if not isinstance(mod_spec, str):
        error("argument to 'cffi_modules=...' must be a str or a list of str, not %r"
              % (type(mod_spec).__name__,))
    try:
        build_file_name, ffi_var_name = mod_spec.split(":")
    except ValueError:
        error("%r must be of the form 'path/build.py:ffi_variable'" % (mod_spec,))
    if not os.path.exists(build_file_name):
        hint = ""
        as_path = build_file_name.replace(".", "/") + ".py"
        if os.path.exists(as_path):
            hint = " (rewrite cffi_modules to [%r])" % (as_path + ":" + ffi_var_name,)
        error("%r does not name an existing file%s" % (build_file_name, hint))

    script_globals = {"__name__": "__cffi__", "__file__": build_file_name}
    execfile(build_file_name, script_globals)
    try:
        ffi = script_globals[ffi_var_name]
    except KeyError:
        error("%r: object %r not found in module" % (mod_spec, ffi_var_name))
    if not isinstance(ffi, FFI) and callable(ffi):
        ffi = ffi()  # a function that makes the FFI
    if not isinstance(ffi, FFI):
        error("%r is not an FFI instance (got %r)" % (mod_spec, type(ffi).__name__))
    if not hasattr(ffi, "_assigned_source"):
        error("%r: the set_source() method was not called" % (mod_spec,))
    module_name, source, source_extension, kwds = ffi._assigned_source
    if ffi._windows_unicode:
        kwds = kwds.copy()
        ffi._apply_windows_unicode(kwds)
    if source is None:
        _add_py_module(dist, ffi, module_name)
    else:
        _add_c_module(dist, ffi, module_name, source, source_extension, kwds)


def _set_py_limited_api(Extension, kwds):
    """Fills in `py_limited_api` in `kwds` (in place; returned too) as cffi
    does (F-08.36): true unless the build script chose, the interpreter
    is a debug build (which does not load `.abi3.so` files reliably), or
    setuptools is older than 26 (which lacks the keyword); false on a
    free-threaded interpreter (no limited API there). When it ends
    false, `_CFFI_NO_LIMITED_API` keeps the generated C off the limited
    API too."""
    import setuptools

    major = setuptools.__version__.partition(".")[0]
    # An unparsable (development) version is taken as recent enough.
    recent = not major.isdigit() or int(major) >= 26
    if "py_limited_api" not in kwds and not hasattr(sys, "gettotalrefcount") and recent:
        kwds["py_limited_api"] = True
    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        if kwds.get("py_limited_api"):
            _log("Ignoring py_limited_api=True for free-threaded build.")
        kwds["py_limited_api"] = False
    if kwds.get("py_limited_api") is False:
        kwds["define_macros"] = list(kwds.get("define_macros", ())) + [
            ("_CFFI_NO_LIMITED_API", None)]
    return kwds


def _log(msg):
    try:
        from distutils import log
    except ImportError:
        print(msg)
    else:
        log.info(msg)


def _add_c_module(dist, ffi, module_name, source, source_extension, kwds):
    from setuptools import Extension
    from setuptools.command.build_ext import build_ext

    from . import recompiler

    kwds = dict(kwds)
    # The generated file's name is known only once build_ext has its
    # build_temp; until then a placeholder holds its place.
    sources = ["$PLACEHOLDER"] + list(kwds.pop("sources", []))
    ext = Extension(name=module_name, sources=sources, **_set_py_limited_api(Extension, kwds))
    if dist.ext_modules is None:
        dist.ext_modules = []
    dist.ext_modules.append(ext)

    def generate(build_temp, pre_run):
        c_file = os.path.join(build_temp, module_name + source_extension)
        _log("generating cffi module %r" % (c_file,))
        os.makedirs(build_temp, exist_ok=True)
        # A build_ext subclass may define pre_run(ext, ffi) to adjust
        # either just before the C is written (a setuptools-only hook).
        if pre_run is not None:
            pre_run(ext, ffi)
        if not recompiler.make_c_source(ffi, module_name, source, c_file):
            _log("already up-to-date")
        return c_file

    base = dist.cmdclass.get("build_ext", build_ext)

    class build_ext_make_mod(base):
        def run(self):
            if ext.sources[0] == "$PLACEHOLDER":
                ext.sources[0] = generate(self.build_temp, getattr(self, "pre_run", None))
            base.run(self)

    dist.cmdclass["build_ext"] = build_ext_make_mod


def _add_py_module(dist, ffi, module_name):
    from setuptools.command.build_ext import build_ext
    from setuptools.command.build_py import build_py

    from . import recompiler

    def generate(py_file):
        _log("generating cffi module %r" % (py_file,))
        os.makedirs(os.path.dirname(py_file) or ".", exist_ok=True)
        if not recompiler.make_py_source(ffi, module_name, py_file):
            _log("already up-to-date")

    *package, leaf = module_name.split(".")
    base_py = dist.cmdclass.get("build_py", build_py)

    class build_py_make_mod(base_py):
        def run(self):
            base_py.run(self)
            generate(os.path.join(self.build_lib, *package, leaf + ".py"))

        def get_source_files(self):
            # Used by sdist only: the generated module is no source.
            saved = self.py_modules
            try:
                if saved:
                    self.py_modules = [m for m in saved if m != module_name]
                return base_py.get_source_files(self)
            finally:
                self.py_modules = saved

    dist.cmdclass["build_py"] = build_py_make_mod
    # Listed as a module so that install --root/--record know of it; the
    # file exists only in the build tree (hence get_source_files above).
    if dist.py_modules is None:
        dist.py_modules = []
    dist.py_modules.append(module_name)

    base_ext = dist.cmdclass.get("build_ext", build_ext)

    class build_ext_make_mod(base_ext):
        def run(self):
            base_ext.run(self)
            if self.inplace:
                package_dir = self.get_finalized_command("build_py").get_package_dir(
                    ".".join(package))
                generate(os.path.join(package_dir, leaf + ".py"))

    dist.cmdclass["build_ext"] = build_ext_make_mod
