"""The other direction: Python shipped as a C shared library (embedding).

The build script declares the C API the library exports, gives the
Python that implements it, and `compile()` makes `_demo_plugin.so`. A C
program links the library and calls its functions from four threads; the
first call starts Python, runs the init code once, and every call then
runs the Python function attached with `@ffi.def_extern()`
(docs/embedding.md).
"""

import os
import shutil
import subprocess
import sys
import sysconfig

import cffi

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
work = os.path.join(ROOT, "target", "demo-embedding")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)

ffibuilder = cffi.FFI()
ffibuilder.embedding_api("""
    int word_score(const char *word);
""")
ffibuilder.embedding_init_code("""
    import sys, threading
    from _demo_plugin import ffi

    sys.stdout.write("[python] started once, in thread %s\\n" % threading.current_thread().name)
    sys.stdout.flush()

    @ffi.def_extern()
    def word_score(word):
        text = ffi.string(word).decode()
        return sum(ord(c) - 96 for c in text.lower() if c.isalpha())
""")
ffibuilder.set_source("_demo_plugin", "")
library = ffibuilder.compile(tmpdir=work)
print("built", os.path.basename(library))

with open(os.path.join(work, "main.c"), "w") as f:
    f.write(r"""
#include <pthread.h>
#include <stdio.h>
int word_score(const char *word);
static const char *words[4] = { "cffi", "embedding", "from", "c" };
static int scores[4];
static void *score(void *arg) { int i = *(int *)arg; scores[i] = word_score(words[i]); return NULL; }
int main(void) {
    pthread_t t[4]; int idx[4], i;
    for (i = 0; i < 4; i++) { idx[i] = i; pthread_create(&t[i], NULL, score, &idx[i]); }
    for (i = 0; i < 4; i++) pthread_join(t[i], NULL);
    for (i = 0; i < 4; i++) printf("[c] word_score(\"%s\") = %d\n", words[i], scores[i]);
    return 0;
}
""")
if shutil.which("gcc") is None:
    print("no gcc: the C program is not built")
    sys.exit(0)
exe = os.path.join(work, "main")
subprocess.run(["gcc", "-pthread", "-o", exe, os.path.join(work, "main.c"), library,
                "-Wl,-rpath," + work], check=True)
# The embedded interpreter finds our cffi where this one does.
paths = sysconfig.get_paths()
env = dict(os.environ, PYTHONPATH=os.pathsep.join([paths["purelib"], paths["platlib"]]))
subprocess.run([exe], check=True, env=env)
