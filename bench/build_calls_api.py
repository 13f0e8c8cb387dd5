"""Builds the API-mode module `_bench_calls_api` (bench/calls.c with the
declarations of bench/calls.py) into the directory given, under the
original cffi: `cargo xtask bench calls` runs it in the oracle venv."""

import os
import sys

import cffi

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
out = sys.argv[1]
with open(os.path.join(HERE, "calls.py")) as f:
    text = f.read()
cdef = text.split('CDEF = """', 1)[1].split('"""', 1)[0]
# An `extern "Python"` function and a C function calling it once.
cdef += 'extern "Python" int bench_py(int);\nint call_py_once(int);\n'
builder = cffi.FFI()
builder.cdef(cdef)
builder.set_source(
    "_bench_calls_api",
    '#include <stdlib.h>\n#include <string.h>\n#include "calls.c"\n'
    "static int bench_py(int);\n"
    "static int call_py_once(int x) { return bench_py(x); }\n",
    include_dirs=[HERE],
    extra_compile_args=["-O2"],
)
builder.compile(tmpdir=out, verbose=False)
