"""The exceptions of the cffi package (FEATURES F-10.04, F-10.05)."""

__all__ = ["FFIError", "CDefError", "VerificationError", "VerificationMissing", "PkgConfigError"]


class FFIError(Exception):
    """An error in the use of an FFI object (e.g. conflicting declarations)."""

    __module__ = "cffi"


class CDefError(Exception):
    """An error in the C declarations given to cdef() or in a type string."""

    __module__ = "cffi"

    def __str__(self):
        # CDefError(msg, decl): a second argument with a source location
        # (an object with a `coord` having `file` and `line`) is rendered
        # in front of the message.
        try:
            current_decl = self.args[1]
            filename = current_decl.coord.file
            linenum = current_decl.coord.line
            prefix = "%s:%d: " % (filename, linenum)
        except (AttributeError, TypeError, IndexError):
            prefix = ""
        return "%s%s" % (prefix, self.args[0] if self.args else "")


class VerificationError(Exception):
    """An error raised when verification (compilation) fails."""

    __module__ = "cffi"


class VerificationMissing(Exception):
    """An incomplete structure definition was used where it cannot be."""

    __module__ = "cffi"


class PkgConfigError(Exception):
    """An error raised for missing modules in pkg-config."""

    __module__ = "cffi"
