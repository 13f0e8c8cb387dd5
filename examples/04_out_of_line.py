"""The second way to ship a binding: an out-of-line ABI module.

A build step writes `_libc_example.py` from the cdef once (no compiler
needed); the program imports that module and opens the library, without
parsing any C at import time. The generated file is the one the original
cffi would write, so it also loads under the original cffi.
"""

import os
import sys
import tempfile

import cffi

# --- the build step (usually a separate script run at packaging time) ---
builder = cffi.FFI()
builder.cdef("""
    struct tm_like { int sec, min, hour; };
    size_t strlen(const char *);
    int abs(int);
    #define ANSWER 42
""")
builder.set_source("_libc_example", None)
outdir = tempfile.mkdtemp()
path = builder.compile(tmpdir=outdir)
print("generated", os.path.basename(path), "(%d bytes)" % os.path.getsize(path))

# --- the program ---
sys.path.insert(0, outdir)
from _libc_example import ffi  # noqa: E402

lib = ffi.dlopen(None)
print("strlen(b'out-of-line') =", lib.strlen(b"out-of-line"))
print("abs(-7) =", lib.abs(-7), "  ANSWER =", lib.ANSWER)
t = ffi.new("struct tm_like *", {"hour": 12, "min": 30})
print("struct from the module's tables:", ffi.typeof(t), "->", (t.hour, t.min, t.sec))
print("lib repr:", lib)
