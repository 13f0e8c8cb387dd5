"""Builds the API-mode module `_bench_import_api` into the directory given,
under the original cffi (`cargo xtask bench import` runs it in the oracle
venv): the declarations of bench/import_module.py (2,000 functions, 500
structs, 2,000 constants) with C source defining them."""

import os
import sys

import cffi

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import import_module  # noqa: E402

src = []
for i in range(import_module.N_STRUCTS):
    src.append("struct s%d { int a; double b; struct s%d *next; char name[16]; };" % (i, i))
for i in range(import_module.N_FUNCS):
    src.append("static int f%d(int x, struct s%d *p, double d) { (void)p; (void)d; return x + %d; }"
               % (i, i % import_module.N_STRUCTS, i))
for i in range(import_module.N_CONSTS):
    src.append("#define C%d %d" % (i, i))
src.append("#include <stdlib.h>")
builder = cffi.FFI()
builder.cdef(import_module.cdef_text())
builder.set_source("_bench_import_api", "\n".join(src))
builder.compile(tmpdir=sys.argv[1], verbose=False)
