"""Owned memory is given back: loops that allocate and drop keep the
process's resident memory flat (F-03.02, F-03.14, F-03.47, F-03.59,
F-03.81, F-03.86). Each test measures growth after a warm-up, never time."""

import gc

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
