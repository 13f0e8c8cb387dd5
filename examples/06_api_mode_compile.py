"""API mode built by cffi-py: the build script declares the C interface
(with `...` where the C compiler knows better), `set_source()` gives real
C, and `compile()` writes `_demo_api.c` and builds the extension module
with the system C compiler (no setuptools needed). The program then
imports it as `from _demo_api import ffi, lib`.

The same module loads in the original cffi's backend too: the generated
tables are the original's, only the C around them is ours.
"""

import os
import subprocess
import sys
import textwrap

import cffi

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
build = os.path.join(ROOT, "target", "demo-api")
os.makedirs(build, exist_ok=True)

# -- the build script ------------------------------------------------------
ffibuilder = cffi.FFI()
ffibuilder.cdef("""
    struct point { double x, y; ...; };      /* the compiler lays it out */
    typedef int... counter_t;                 /* some integer type        */
    #define MAX_POINTS ...                    /* the compiler's value     */
    double distance(struct point *, struct point *);
    counter_t count_calls(void);
    extern "Python" double weight(double);    /* C calls Python           */
    double weighted(double);
""")
ffibuilder.set_source("_demo_api", r"""
    #include <math.h>
    struct point { const char *label; double y, x; };
    typedef unsigned short counter_t;
    #define MAX_POINTS (8 * 1024)
    static counter_t calls;
    static double distance(struct point *a, struct point *b) {
        calls++;
        return sqrt((a->x - b->x) * (a->x - b->x) + (a->y - b->y) * (a->y - b->y));
    }
    static counter_t count_calls(void) { return calls; }
    static double weight(double);
    static double weighted(double v) { return 2 * weight(v); }
""", libraries=["m"])
path = ffibuilder.compile(tmpdir=build)
print("built:", os.path.relpath(path, ROOT))

# -- the program -------------------------------------------------------------
sys.path.insert(0, build)
from _demo_api import ffi, lib  # noqa: E402

a = ffi.new("struct point *", {"x": 0.0, "y": 0.0})
b = ffi.new("struct point *", {"x": 3.0, "y": 4.0})
print("distance:", lib.distance(a, b))
print("sizeof(struct point):", ffi.sizeof("struct point"), "(the C compiler's, with a field the cdef omits)")
print("counter_t is", ffi.typeof("counter_t"), "- calls so far:", lib.count_calls())
print("MAX_POINTS:", lib.MAX_POINTS)


@ffi.def_extern()
def weight(v):
    return v + 0.5


print("weighted(1.0) via a Python callback:", lib.weighted(1.0))

# The same module under the original cffi, if the oracle venv exists.
oracle = os.path.join(ROOT, ".oracle-venv", "bin", "python")
if os.path.exists(oracle):
    code = textwrap.dedent("""
        import sys; sys.path.insert(0, %r)
        import _cffi_backend
        from _demo_api import ffi, lib
        print("under cffi", _cffi_backend.__version__, "(original):", lib.distance(
            ffi.new("struct point *", [0, 0]), ffi.new("struct point *", {"x": 3, "y": 4})))
    """ % build)
    subprocess.run([oracle, "-c", code], check=False)
