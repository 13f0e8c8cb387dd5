"""Compiles and links an API-mode extension module with the platform's C
compiler, the way setuptools' `build_ext` would, without needing
setuptools (docs/api-mode.md, "Compiling"): the interpreter's own build
flags from `sysconfig`, then `CC`, `CXX`, `CFLAGS`, `CPPFLAGS`, `LDFLAGS`
and `LDSHARED` from the environment, then the `set_source()` keywords."""

import os
import shlex
import subprocess
import sys
import sysconfig

from .error import VerificationError


def _config(name):
    return sysconfig.get_config_var(name) or ""


def _split(text):
    return shlex.split(text) if text else []


def toolchain(cplusplus=False):
    """(compile command, link command) as argument lists. As setuptools
    does, every source is compiled by the C compiler driver (which picks
    the language from the file's extension) and a module with C++ sources
    is linked by the C++ driver."""
    env = os.environ
    cc = env.get("CC") or _config("CC") or "cc"
    ldshared = env.get("LDSHARED") or _config("LDSHARED") or (cc + " -shared")
    if cplusplus:
        cxx = env.get("CXX") or _config("CXX") or "c++"
        ld_words = _split(ldshared)
        ldshared = " ".join(_split(cxx)[:1] + ld_words[1:])
    cflags = _config("CFLAGS")
    if "CFLAGS" in env:
        cflags = cflags + " " + env["CFLAGS"]
        ldshared = ldshared + " " + env["CFLAGS"]
    if "CPPFLAGS" in env:
        cflags = cflags + " " + env["CPPFLAGS"]
        ldshared = ldshared + " " + env["CPPFLAGS"]
    if "LDFLAGS" in env:
        ldshared = ldshared + " " + env["LDFLAGS"]
    compile_cmd = _split(cc) + _split(cflags) + _split(_config("CCSHARED"))
    return compile_cmd, _split(ldshared)


def _macro_args(kwds):
    args = []
    for item in kwds.get("define_macros", ()):
        name, value = item
        args.append("-D%s" % name if value is None else "-D%s=%s" % (name, value))
    for name in kwds.get("undef_macros", ()):
        args.append("-U%s" % name)
    return args


def _run(cmd, verbose, what):
    if verbose:
        print(" ".join(shlex.quote(c) for c in cmd))
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    except OSError as e:
        raise VerificationError("%s: command %r failed: %s" % (what, cmd[0], e))
    output = proc.stdout.decode("utf-8", "replace")
    if output and (verbose or proc.returncode != 0):
        sys.stdout.write(output)
    if proc.returncode != 0:
        raise VerificationError("%s: command '%s' failed with exit code %d"
                                % (what, cmd[0], proc.returncode))


def build(sources, output, kwds, debug=False, verbose=False, cplusplus=False, objdir=None):
    """Compiles `sources` (paths relative to the current directory) into
    objects next to them, or into `objdir`, and links `output`; raises
    VerificationError ("CompileError: ..." / "LinkError: ...") on
    failure."""
    compile_cmd, link_cmd = toolchain(cplusplus)
    includes = [sysconfig.get_paths()["include"]]
    platinclude = sysconfig.get_paths().get("platinclude")
    if platinclude and platinclude not in includes:
        includes.append(platinclude)
    include_args = ["-I" + d for d in list(kwds.get("include_dirs", ())) + includes]
    extra_compile = list(kwds.get("extra_compile_args", ()))
    debug_args = ["-g"] if debug else []
    objects = []
    for index, src in enumerate(sources):
        obj = os.path.splitext(src)[0] + ".o"
        if objdir is not None:
            obj = os.path.join(objdir, "%d-%s" % (index, os.path.basename(obj)))
        os.makedirs(os.path.dirname(obj) or ".", exist_ok=True)
        cmd = (compile_cmd + debug_args + _macro_args(kwds) + include_args
               + ["-c", src, "-o", obj] + extra_compile)
        _run(cmd, verbose, "CompileError")
        objects.append(obj)
    link = list(link_cmd) + debug_args + objects + list(kwds.get("extra_objects", ()))
    link += ["-L" + d for d in kwds.get("library_dirs", ())]
    link += ["-Wl,-rpath," + d for d in kwds.get("runtime_library_dirs", ())]
    link += ["-l" + lib for lib in kwds.get("libraries", ())]
    link += ["-o", output] + list(kwds.get("extra_link_args", ()))
    os.makedirs(os.path.dirname(output) or ".", exist_ok=True)
    _run(link, verbose, "LinkError")
    return output


def build_module(c_file, output, kwds, source_extension, debug=None, verbose=False,
                 objdir=None):
    """Builds a generated module: `c_file` and the `sources` of the
    set_source() keywords, compiled as C++ when the generated file's
    extension (`source_extension`) or `language` says so; `debug` defaults
    to the interpreter's `-d` flag."""
    sources = [c_file] + [os.path.normpath(s) for s in kwds.get("sources", ())]
    cplusplus = (source_extension in (".cpp", ".cxx", ".cc", ".c++")
                 or kwds.get("language") == "c++")
    if debug is None:
        debug = bool(sys.flags.debug)
    return build(sources, output, kwds, debug=debug, verbose=verbose, cplusplus=cplusplus,
                 objdir=objdir)


def extension_suffix(limited_api=False):
    """`.cpython-311-x86_64-linux-gnu.so`, or `.abi3.so` for the limited API."""
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    if limited_api and sys.platform != "win32":
        return ".abi3" + os.path.splitext(suffix)[1]
    return suffix


def shared_library_suffix():
    if sys.platform == "win32":
        return ".dll"
    if sys.platform == "darwin":
        return ".dylib"
    return ".so"


def embedding_link_keywords():
    """What an embedding library links with: the interpreter's shared
    library (`-lpython3.11`), found in its LIBDIR, which is also recorded
    as the run-time search path when it is not a system folder, so that a
    C program linking the library finds libpython without
    LD_LIBRARY_PATH (docs/embedding.md)."""
    abiflags = getattr(sys, "abiflags", "")
    kwds = {"libraries": ["python%d.%d%s" % (sys.version_info[:2] + (abiflags,))]}
    libdir = _config("LIBDIR")
    if libdir and _config("Py_ENABLE_SHARED"):
        kwds["library_dirs"] = [libdir]
        if os.path.normpath(libdir) not in ("/usr/lib", "/usr/lib64", "/lib", "/lib64",
                                           "/usr/local/lib") and sys.platform != "win32":
            kwds["runtime_library_dirs"] = [libdir]
    return kwds
