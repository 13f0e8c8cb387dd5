"""Embedding start-up (issue #20): the time from a C program's first call
into an embedding library to its return (Python started, the module
created, the init code run, the call made), and the cost of a later call,
for a library built by cffi-py and one built by the original cffi 2.0.0
from the same build script, driven by the same C program. Medians of
many runs of the program; the ratio is cffi-py / original.

    python bench/embedding.py ORACLE_PYTHON [RUNS]

Run by `cargo xtask bench embedding` with this interpreter being ours.
"""

import os
import statistics
import subprocess
import sys
import tempfile

BUILD = """
import cffi
ffi = cffi.FFI()
ffi.embedding_api("int add(int, int);")
ffi.embedding_init_code('''
    from _bench_emb import ffi

    @ffi.def_extern()
    def add(x, y):
        return x + y
''')
ffi.set_source("_bench_emb", "")
ffi.compile()
"""

DRIVER = r"""
#include <stdio.h>
#include <time.h>
int add(int, int);
static double now(void) {
    struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}
int main(void) {
    double t0 = now(), t1, t2;
    int i, s = add(1, 2);
    t1 = now();
    for (i = 0; i < 100000; i++) s += add(i, 1);
    t2 = now();
    printf("%.6f %.9f %d\n", t1 - t0, (t2 - t1) / 100000, s != 0);
    return 0;
}
"""


def site_packages(python):
    out = subprocess.run([python, "-c", "import sysconfig; p = sysconfig.get_paths(); "
                          "print(p['purelib'] + '%s' + p['platlib'])" % os.pathsep],
                         capture_output=True, text=True, check=True).stdout
    return out.strip()


def measure(python, folder, runs):
    subprocess.run([python, "-c", BUILD], cwd=folder, check=True, capture_output=True)
    with open(os.path.join(folder, "main.c"), "w") as f:
        f.write(DRIVER)
    exe = os.path.join(folder, "main")
    subprocess.run(["gcc", "-O2", "-o", exe, os.path.join(folder, "main.c"),
                    os.path.join(folder, "_bench_emb.so"), "-Wl,-rpath," + folder], check=True)
    env = dict(os.environ, PYTHONPATH=site_packages(python))
    first, later = [], []
    for _ in range(runs):
        out = subprocess.run([exe], capture_output=True, text=True, env=env, check=True).stdout
        a, b, _ok = out.split()
        first.append(float(a))
        later.append(float(b))
    return statistics.median(first), statistics.median(later)


def main():
    oracle = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for who, python in [("cffi-py", sys.executable), ("cffi 2.0.0", oracle)]:
            folder = os.path.join(tmp, who.replace(" ", "_"))
            os.makedirs(folder)
            results[who] = measure(python, folder, runs)
    (mine_first, mine_later), (their_first, their_later) = results["cffi-py"], results["cffi 2.0.0"]
    print("%-44s %12s %12s %8s" % ("embedding (median of %d runs)" % runs, "cffi-py", "cffi 2.0.0",
                                   "ratio"))
    print("%-44s %10.2f ms %10.2f ms %7.2fx" % ("first call from C (starts Python)",
                                                mine_first * 1e3, their_first * 1e3,
                                                mine_first / their_first))
    print("%-44s %10.0f ns %10.0f ns %7.2fx" % ("each later call", mine_later * 1e9,
                                                their_later * 1e9, mine_later / their_later))


if __name__ == "__main__":
    main()
