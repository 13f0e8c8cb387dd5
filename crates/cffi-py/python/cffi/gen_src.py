"""`cffi-gen-src` and `python -m cffi.gen_src`: write the generated source
of a module without setuptools, for build systems such as meson-python
or a Rust `build.rs` that compile it themselves (docs/distribution.md).

    cffi-gen-src exec-python [--ffi-var NAME] build_script.py OUT
    cffi-gen-src read-sources package.module decls.cdef prelude.c OUT

`exec-python` runs a build script (as `setup(cffi_modules=...)` would,
but with `__name__` set to "cffi.gen_src" so that its `__main__` block
stays idle) and writes the C of its FFI's API-mode module, or the `.py`
of an out-of-line ABI module when `set_source()` was given None.
`read-sources` makes the FFI from a file of declarations and a file of C
prelude. An input may be `-` for standard input, OUT `-` for standard
output. Importing this module does
nothing; `main()` is the command."""

import argparse
import io
import os
import sys

__all__ = ["main", "ffi_from_script", "ffi_from_sources", "generated_source"]


def _program_name():
    argv0 = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return "cffi-gen-src" if argv0.startswith("cffi-gen-src") else "python -m cffi.gen_src"


def ffi_from_script(text, filename, ffi_var):
    """Runs the build script `text` (read from `filename`, whose folder is
    put first on `sys.path` meanwhile so the script can import its
    neighbours) and returns the FFI bound to `ffi_var`, calling it first
    when it is a function. NameError when the script binds no such name,
    TypeError when it is no FFI."""
    from .api import FFI

    filename = os.path.abspath(filename)
    namespace = {"__name__": "cffi.gen_src", "__file__": filename}
    saved_path = list(sys.path)
    sys.path.insert(0, os.path.dirname(filename))
    try:
        exec(compile(text, filename, "exec"), namespace, namespace)
        if ffi_var not in namespace:
            raise NameError("the build script %s binds no FFI object named %r"
                            % (filename, ffi_var))
        ffi = namespace[ffi_var]
        if not isinstance(ffi, FFI) and callable(ffi):
            ffi = ffi()
        if not isinstance(ffi, FFI):
            raise TypeError("%r in %s is a %s object, not an instance of cffi.api.FFI"
                            % (ffi_var, filename, type(ffi).__name__))
        return ffi
    finally:
        sys.path[:] = saved_path


def ffi_from_sources(module_name, cdef, prelude):
    """An API-mode FFI named `module_name` from declarations and C prelude."""
    from .api import FFI

    ffi = FFI()
    ffi.cdef(cdef)
    ffi.set_source(module_name, prelude)
    return ffi


def generated_source(ffi):
    """The text `emit_c_code()` (API mode) or `emit_python_code()` (an
    out-of-line ABI module) would write for `ffi`."""
    from .recompiler import make_c_source, make_py_source

    out = io.StringIO()
    if not hasattr(ffi, "_assigned_source"):
        raise ValueError("the FFI has no set_source(): nothing names the module to generate")
    module_name, source = ffi._assigned_source[:2]
    # Quietly: the text may be going to standard output.
    if source is None:
        make_py_source(ffi, module_name, out)
    else:
        make_c_source(ffi, module_name, source, out)
    return out.getvalue()


def _write(output, text):
    if output == "-":
        sys.stdout.write(text)
    else:
        with open(output, "w", encoding="utf-8") as f:
            f.write(text)


def _same_file(a, b):
    if a == "-" or b == "-":
        return a == b  # both standard input
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _parser():
    parser = argparse.ArgumentParser(
        prog=_program_name(),
        description="Write the generated source of a cffi module, for build systems "
                    "that compile it themselves.")
    commands = parser.add_subparsers(dest="command")
    script = commands.add_parser(
        "exec-python", help="run a build script and generate the module of its FFI")
    script.add_argument("--ffi-var", default="ffibuilder",
                        help="the script's name for the FFI (default: ffibuilder)")
    script.add_argument("pyfile", help="the build script")
    script.add_argument("output", help="where to write the source ('-': standard output)")
    sources = commands.add_parser(
        "read-sources", help="generate a module from a declarations file and a C prelude file")
    sources.add_argument("module_name", help="the module's full dotted name")
    sources.add_argument("cdef", help="file of C declarations, as given to cdef()")
    sources.add_argument("csrc", help="file of C source, as given to set_source()")
    sources.add_argument("output", help="where to write the source ('-': standard output)")
    return parser


def _read(parser, path):
    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        parser.error("cannot read %s: %s" % (path, e.strerror or e))


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "exec-python":
        ffi = ffi_from_script(_read(parser, args.pyfile), args.pyfile, args.ffi_var)
    elif args.command == "read-sources":
        if _same_file(args.cdef, args.csrc):
            parser.error("cdef and csrc are the same file and should not be: "
                         "one holds the declarations, the other the C prelude")
        ffi = ffi_from_sources(args.module_name, _read(parser, args.cdef),
                               _read(parser, args.csrc))
    else:
        parser.error("a subcommand is required: exec-python or read-sources")
    _write(args.output, generated_source(ffi))
    return 0


if __name__ == "__main__":
    sys.exit(main())
