"""`cffi.pkgconfig`: the compiler and linker flags of system libraries,
asked of `pkg-config`, turned into `set_source()` keywords (F-08.08,
F-08.09). `ffi.set_source_pkgconfig()` is the usual way in."""

import os
import subprocess
import sys

from .error import PkgConfigError

__all__ = ["merge_flags", "call", "flags_from_pkgconfig"]


def merge_flags(cfg1, cfg2):
    """Adds the keywords of `cfg2` to `cfg1` in place: a key `cfg1` lacks
    is taken as it is, a key both have gets `cfg2`'s list appended to
    `cfg1`'s. Returns `cfg1`."""
    for key, value in cfg2.items():
        if key not in cfg1:
            cfg1[key] = value
            continue
        if not isinstance(cfg1[key], list):
            raise TypeError("cfg1[%r] should be a list of strings" % (key,))
        if not isinstance(value, list):
            raise TypeError("cfg2[%r] should be a list of strings" % (key,))
        cfg1[key].extend(value)
    return cfg1


def call(libname, flag, encoding=sys.getfilesystemencoding()):
    """The text `pkg-config --print-errors <flag> <libname>` prints.
    PkgConfigError when pkg-config cannot run, fails (its error text is the
    message), prints bytes `encoding` cannot decode, or prints backslash
    escapes (which the split into words below would not undo)."""
    command = ["pkg-config", "--print-errors", flag, libname]
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as e:
        raise PkgConfigError("cannot run pkg-config: %s" % (str(e).strip(),))
    out, err = process.communicate()
    if process.returncode != 0:
        if isinstance(err, bytes):
            err = err.decode(encoding, "replace")
        raise PkgConfigError(err.strip())
    if isinstance(out, bytes):
        try:
            out = out.decode(encoding)
        except UnicodeDecodeError:
            raise PkgConfigError("pkg-config %s %s returned bytes that cannot be decoded "
                                 "with encoding %r:\n%r" % (flag, libname, encoding, out))
    if os.altsep != "\\" and "\\" in out:
        raise PkgConfigError("pkg-config %s %s returned an unsupported backslash-escaped "
                             "output:\n%r" % (flag, libname, out))
    return out


def _keywords(cflags, libs):
    """setuptools `Extension` keywords from pkg-config's two outputs."""
    cwords, lwords = cflags.split(), libs.split()

    def macro(word):
        name, eq, value = word[2:].partition("=")
        return (name, value) if eq else (name, None)

    return {
        "include_dirs": [w[2:] for w in cwords if w.startswith("-I")],
        "library_dirs": [w[2:] for w in lwords if w.startswith("-L")],
        "libraries": [w[2:] for w in lwords if w.startswith("-l")],
        "define_macros": [macro(w) for w in cwords if w.startswith("-D")],
        "extra_compile_args": [w for w in cwords if not w.startswith(("-I", "-D"))],
        "extra_link_args": [w for w in lwords if not w.startswith(("-L", "-l"))],
    }


def flags_from_pkgconfig(libs):
    """The `set_source()` keywords (`include_dirs`, `library_dirs`,
    `libraries`, `define_macros`, `extra_compile_args`, `extra_link_args`)
    that the pkg-config packages `libs` (such as `"libfoo >= 1.2"`) need,
    merged in order; PkgConfigError when pkg-config fails for one."""
    result = {}
    for libname in libs:
        # Through the module's `call`, so that tests can replace it.
        merge_flags(result, _keywords(call(libname, "--cflags"), call(libname, "--libs")))
    return result
