"""Owned memory is given back: loops that allocate and drop keep the
process's resident memory flat (F-03.02, F-03.14, F-03.47, F-03.59,
F-03.81, F-03.86). Each test measures growth after a warm-up, never time."""

import gc
import subprocess
import sys
import textwrap

import cffi
import pytest

ffi = cffi.FFI()
ffi.cdef("struct pt { int x, y; }; struct flex { int n; short data[]; };")

MB = 1024 * 1024


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def growth(step, n):
    """RSS growth over `n` calls of `step`, after `n // 10` to warm up."""
    for _ in range(n // 10):
        step()
    gc.collect()
    before = rss()
    for _ in range(n):
        step()
    gc.collect()
    return rss() - before


@pytest.mark.skipif(not __import__("os").path.exists("/proc/self/statm"), reason="needs /proc")
@pytest.mark.parametrize(
    "label, step, n",
    [
        # 1M x 64 bytes would be 61 MB if each leaked.
        ("F-03.02 new int[16]", lambda: ffi.new("int[16]"), 1_000_000),
        ("F-03.02 new struct with flexible array", lambda: ffi.new("struct flex *", [3, [1, 2, 3]]), 300_000),
        ("F-03.14 new + release", lambda: ffi.release(ffi.new("int[16]")), 300_000),
        ("F-03.47 buffer", lambda: bytes(ffi.buffer(ffi.new("char[64]"))), 300_000),
        ("F-03.59 from_buffer", lambda: ffi.from_buffer(bytearray(64)), 300_000),
        ("F-03.81 gc", lambda: ffi.gc(ffi.new("int[16]"), lambda p: None), 300_000),
        ("F-03.86 handles", lambda: ffi.from_handle(ffi.new_handle([1])), 300_000),
        ("F-05.40 struct field references", lambda: ffi.new("struct pt[2]")[1], 300_000),
    ],
)
def test_rss_stays_flat(label, step, n):
    assert growth(step, n) < 8 * MB, label


class Cycle:
    """An object that refers to itself: only the cycle collector frees it."""

    def __init__(self, payload):
        self.me = self
        self.payload = payload


def peak_growth_with_cycles(make_payload, n):
    """The largest RSS growth seen while making `n` self-referencing objects
    that each hold `make_payload()`, with the collector's object-count
    thresholds set so high that only the memory-pressure nudge can run it.
    Also returns how many collections ran meanwhile."""
    old = gc.get_threshold()
    gc.collect()
    gc.set_threshold(10**9, 10**9, 10**9)
    collections = sum(s["collections"] for s in gc.get_stats())
    try:
        before = rss()
        peak = 0
        for _ in range(n):
            Cycle(make_payload())
            peak = max(peak, rss() - before)
        return peak, sum(s["collections"] for s in gc.get_stats()) - collections
    finally:
        gc.set_threshold(*old)
        gc.collect()


@pytest.mark.skipif(not __import__("os").path.exists("/proc/self/statm"), reason="needs /proc")
def test_owned_memory_in_cycles_nudges_the_collector():
    """Issue #5 "memory pressure": 600 cycles holding 1 MB each would keep
    600 MB; the nudge (a full collection once owned memory has doubled
    since the last one, past 64 MB) keeps the peak far below."""
    # Initialized, so that the pages are resident (untouched zero pages
    # would not show in RSS).
    filler = b"x" * MB
    peak, collections = peak_growth_with_cycles(lambda: ffi.new("char[]", filler), 600)
    assert collections > 0
    assert peak < 300 * MB, peak // MB


@pytest.mark.skipif(not __import__("os").path.exists("/proc/self/statm"), reason="needs /proc")
def test_gc_size_counts_as_pressure():
    """F-03.84: `ffi.gc(p, d, size)` counts `size` bytes (for memory that C
    allocated, which we cannot see) until the result dies: cycles holding
    such results are collected too, and their destructors run."""
    _, collections = peak_growth_with_cycles(
        lambda: ffi.gc(ffi.cast("void *", 1), lambda p: None, 4 * MB), 100)
    # 400 MB claimed in all: at least a nudge at 64 MB and one later.
    assert collections >= 2


@pytest.mark.skipif(not __import__("os").path.exists("/proc/self/statm"), reason="needs /proc")
def test_callbacks_are_freed():
    """F-03.107: a callback's closure and state go with its cdata (100k
    made and dropped keep RSS flat)."""
    assert growth(lambda: ffi.callback("int(int)", lambda x: x), 100_000) < 8 * MB


def test_callback_in_a_cycle_is_collected():
    """Issue #6: a callback only referenced from a cycle (an object holding
    its own callback, whose function refers back to it) is collected."""
    import weakref

    class Holder:
        pass

    h = Holder()
    h.cb = ffi.callback("int(int)", lambda x: x + len(h.__dict__))
    assert h.cb(1) == 2
    ref = weakref.ref(h)
    cb_ref = weakref.ref(h.cb)
    del h
    gc.collect()
    assert ref() is None and cb_ref() is None


def test_gc_destructor_of_a_garbage_cycle_sees_the_cycle_intact():
    """F-03.81: when an `ffi.gc()` object is part of a garbage cycle, its
    destructor runs before the collector clears the cycle (a finalizer, as
    cffi's), so it can still use its globals, closures and the objects of
    the cycle. pymunk's suite crashed the interpreter before this (its
    destructor walks objects the cycle holds). Run in a subprocess: the
    failure mode is a crash."""
    code = textwrap.dedent(
        """
        import cffi, gc
        ffi = cffi.FFI()
        class Holder:
            pass
        def make():
            h = Holder()
            h.items = [1, 2, 3]
            def destructor(p):
                print("destructor", sum(h.items), ffi.typeof(p))
            h.ptr = ffi.gc(ffi.new("int *"), destructor)
            h.me = h
        make()
        gc.collect()
        print("after")
        """
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["destructor 6 <ctype 'int *'>", "after"]


@pytest.mark.parametrize("with_onerror", [False, True])
def test_what_a_callback_raises_is_freed_at_once(with_onerror):
    # F-03.107, F-07.17: the exceptions a callback raises (and its
    # arguments) are freed when the call returns, also in a C loop that
    # never enters the module otherwise (the handler runs without PyO3's
    # bookkeeping, which would defer those references).
    import weakref

    ffi = cffi.FFI()
    ffi.cdef("void qsort(void *, size_t, size_t, int (*)(const void *, const void *));")
    libc = ffi.dlopen(None)

    class Payload:
        pass

    refs = []

    def compare(x, y):
        p = Payload()
        refs.append(weakref.ref(p))
        raise ValueError(p)

    cb = ffi.callback("int(const void *, const void *)", compare,
                      onerror=(lambda t, v, tb: 0) if with_onerror else None)
    arr = ffi.new("int[8]", [5, 3, 7, 1, 8, 2, 6, 4])
    hook, sys.unraisablehook = sys.unraisablehook, lambda u: None
    try:
        libc.qsort(arr, 8, 4, cb)
    finally:
        sys.unraisablehook = hook
    assert refs and not [r for r in refs if r() is not None]
