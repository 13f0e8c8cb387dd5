# The native module is built as `_cffi_backend/_cffi_backend*.so` (maturin's
# layout for a wheel that also ships the pure-Python `cffi` package). Code
# written for cffi expects `_cffi_backend` to *be* that module, private names
# included, so the package replaces itself with it: the import system returns
# whatever `sys.modules` holds once this file has run.
import sys

from . import _cffi_backend as _native

_native.__name__ = __name__
sys.modules[__name__] = _native
