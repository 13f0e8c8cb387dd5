"""cdef() and type-string timings, run by `cargo xtask bench parse` under
cffi-py and under the original cffi; prints one JSON object.

The synthetic cdef is deterministic and mixes what real headers hold:
functions (with function-pointer parameters), typedefs, structs with
nested unions and arrays, self-referencing structs, enums, function-pointer
typedefs, #define and static const integers.
"""

import gc
import json
import sys
import time

import _cffi_backend
import cffi

OURS = hasattr(_cffi_backend, "_type_stats")


def synthetic_cdef(n):
    lines = []
    for i in range(n):
        k = i % 8
        if k == 0:
            lines.append("int func_%d(int a, const char *b, double c);" % i)
        elif k == 1:
            lines.append("typedef unsigned long type_%d_t;" % i)
        elif k == 2:
            lines.append("#define CONST_%d %d" % (i, i))
        elif k == 3:
            lines.append(
                "struct s_%d { int a; union { long l; char c[8]; } u; struct s_%d *next; "
                "double d[4]; };" % (i, i)
            )
        elif k == 4:
            lines.append("enum e_%d { E_%d_A, E_%d_B = %d, E_%d_C };" % (i, i, i, i, i))
        elif k == 5:
            lines.append("void *ptr_func_%d(void *p, size_t n, long (*cb)(int, long));" % i)
        elif k == 6:
            lines.append("static const int SCONST_%d = %d;" % (i, i))
        else:
            lines.append(
                "typedef int (*fp_%d_t)(struct s_%d *, enum e_%d);" % (i, i - 4, i - 3)
            )
    return "\n".join(lines) + "\n"


def best_of(func, repeat):
    """The fastest of at least `repeat` runs, going on (up to 50 runs) while
    less than a second has been spent: fast implementations get enough runs
    to see past machine noise, slow ones are not run for minutes."""
    times = []
    spent = 0.0
    while len(times) < repeat or (spent < 1.0 and len(times) < 50):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
        spent += times[-1]
    return min(times)


def main():
    quick = "--quick" in sys.argv
    results = {"implementation": getattr(__import__("_cffi_backend"), "__implementation__", "cffi " + cffi.__version__)}
    for n in (1, 500, 5000):
        src = synthetic_cdef(n)
        repeat = 1 if n == 5000 else 10
        if quick:
            repeat = 1
        results["cdef_%d_s" % n] = best_of(lambda: cffi.FFI().cdef(src), repeat)
        results["cdef_%d_bytes" % n] = len(src)
    if OURS:
        # Linear in the input: the cost per declaration of a 16,000-line
        # text against a 500-line one (the original would take minutes).
        for n in (500, 16000):
            src = synthetic_cdef(n)
            t = best_of(lambda: cffi.FFI().cdef(src), 1 if quick else 5)
            results["cdef_per_decl_%d_s" % n] = t / n
    # The same 500-declaration text declared by 200 FFIs in turn, each
    # dropped: the cost of the last ten against the first ten (median),
    # and what stays behind.
    src = synthetic_cdef(500)
    times = []
    rounds = 40 if quick else 200
    for i in range(rounds):
        ffi = cffi.FFI()
        t0 = time.perf_counter()
        ffi.cdef(src)
        times.append(time.perf_counter() - t0)
        del ffi
        gc.collect()
    first = sorted(times[:10])[5]
    last = sorted(times[-10:])[5]
    results["repeated_ffi_first_cdef_s"] = first
    results["repeated_ffi_last_cdef_s"] = last
    if OURS:
        live, slots, runs = _cffi_backend._type_stats()
        results["repeated_ffi_live_types"] = live
        results["repeated_ffi_type_slots"] = slots

    # A new type string in an FFI that knows 5,000 typedefs: every string
    # is different, so no cache can answer it.
    ffi = cffi.FFI()
    ffi.cdef("".join("typedef int td_%d;\n" % i for i in range(5000)))
    strings = ["td_%d *" % i for i in range(0, 5000, 5 if not quick else 50)]
    t0 = time.perf_counter()
    for s in strings:
        ffi.typeof(s)
    results["new_type_string_s"] = (time.perf_counter() - t0) / len(strings)
    # The same string again: the per-FFI cache.
    t0 = time.perf_counter()
    for _ in range(10000):
        ffi.typeof("td_7 *")
    results["cached_type_string_s"] = (time.perf_counter() - t0) / 10000
    # API-mode generation (issue #17): the C source of a 2,000-function
    # module with 200 structs, written to memory.
    import io

    api_cdef = "\n".join(
        "int api_func_%d(int a, const char *b, double c, void *d);" % i for i in range(2000)
    ) + "\n" + "\n".join(
        "struct api_s%d { int a; double b; char c[4]; struct api_s%d *next; };" % (i, i)
        for i in range(200)
    )
    builder = cffi.FFI()
    builder.cdef(api_cdef)
    builder.set_source("_bench_gen", "")

    def emit():
        out = io.StringIO()
        builder.emit_c_code(out)

    import contextlib

    with contextlib.redirect_stdout(io.StringIO()):
        results["emit_c_2000_functions_s"] = best_of(emit, 1 if quick else 5)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
