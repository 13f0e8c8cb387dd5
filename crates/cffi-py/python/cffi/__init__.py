"""cffi, implemented in Rust by cffi-py: the C Foreign Function Interface for Python."""

__all__ = ["FFI", "VerificationError", "VerificationMissing", "CDefError", "FFIError"]

from .api import FFI
from .error import CDefError, FFIError, VerificationError, VerificationMissing, PkgConfigError

import _cffi_backend

__version__ = _cffi_backend.__version__
__version_info__ = tuple(int(part) for part in __version__.split("."))
__version_verifier_modules__ = "0.8.6"
