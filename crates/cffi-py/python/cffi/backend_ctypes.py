"""`cffi.backend_ctypes`: the original cffi's second backend, written on
top of `ctypes`. cffi-py has one backend, `_cffi_backend` (in Rust); this
module exists so that code importing the name keeps importing, and making
a `CTypesBackend` says clearly that it is not there (F-10.51,
docs/compat.md)."""

__all__ = ["CTypesBackend"]


class CTypesBackend(object):
    """Not provided by cffi-py: use the default backend (`cffi.FFI()`)."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(
            "cffi-py has no ctypes-based backend: use cffi.FFI() without "
            "backend= (the default backend, _cffi_backend)"
        )
