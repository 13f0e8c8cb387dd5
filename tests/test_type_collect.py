"""The types of a dropped FFI are freed (issue #19, F-02.05): the
process-wide type table counts live types, and what something alive still
uses stays whole while the freed slots are reused by other FFIs.

Counts come from `_cffi_backend._type_stats()` -> (live types, slots,
collections run); `_collect_types()` runs a collection at once."""

import gc
import os

import _cffi_backend
import cffi
import pytest

MB = 1024 * 1024


def decls(n, tag):
    """A mix like real headers: functions, typedefs, structs with nested
    unions and arrays, enums, function pointers, #defines."""
    out = []
    for i in range(n):
        k = i % 6
        if k == 0:
            out.append("int f_%s_%d(int a, const char *b, double c);" % (tag, i))
        elif k == 1:
            out.append("typedef unsigned long t_%s_%d;" % (tag, i))
        elif k == 2:
            out.append(
                "struct s_%s_%d { int a; union { long l; char c[8]; } u; "
                "struct s_%s_%d *next; double d[%d]; };" % (tag, i, tag, i, i % 7 + 1)
            )
        elif k == 3:
            out.append("enum e_%s_%d { A_%s_%d, B_%s_%d = %d };" % (tag, i, tag, i, tag, i, i))
        elif k == 4:
            out.append(
                "typedef int (*fp_%s_%d)(struct s_%s_%d *, enum e_%s_%d);"
                % (tag, i, tag, i - 2, tag, i - 1)
            )
        else:
            out.append("#define C_%s_%d %d" % (tag, i, i))
    return "\n".join(out)


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def cycle(src):
    ffi = cffi.FFI()
    ffi.cdef(src)
    # Make some ctypes too, as real use does.
    for name in ("struct s_x_2", "struct s_x_8 *", "fp_x_4", "enum e_x_3"):
        ffi.typeof(name)
    del ffi
    gc.collect()


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc")
def test_make_declare_drop_keeps_the_table_and_rss_flat():
    src = decls(300, "x")
    for _ in range(100):
        cycle(src)
    live_100, slots_100, runs_100 = _cffi_backend._type_stats()
    rss_100 = rss()
    live_max = 0
    for _ in range(900):
        cycle(src)
        live_max = max(live_max, _cffi_backend._type_stats()[0])
    live, slots, runs = _cffi_backend._type_stats()
    # Collections ran, and reused the slots: none added after warm-up.
    assert runs > runs_100
    assert slots == slots_100
    # Live types stay within a few FFIs' worth (one FFI makes ~400).
    assert live_max < 10_000, live_max
    assert rss() - rss_100 < 2 * MB


def test_what_is_alive_stays_whole_across_collections():
    ffi = cffi.FFI()
    ffi.cdef(
        "struct inner { short s[3]; }; struct outer { int a; struct inner in; "
        "struct outer *next; }; typedef int (*cb_t)(struct outer *); "
        "enum color { RED, GREEN = 5 };"
    )
    p = ffi.new("struct outer *", {"a": 7, "in": {"s": [1, 2, 3]}})
    cb_type = ffi.typeof("cb_t")
    color = ffi.cast("enum color", 5)
    del ffi
    gc.collect()
    assert _cffi_backend._collect_types() is not None
    # Other FFIs reuse whatever was freed.
    for i in range(20):
        cycle(decls(200, "x"))
    assert _cffi_backend._collect_types() is not None
    assert p.a == 7
    assert list(getattr(p, "in").s) == [1, 2, 3]
    assert cffi.FFI().typeof(p) is not None
    assert [f[0] for f in cffi.FFI().typeof(p[0]).fields] == ["a", "in", "next"]
    assert cb_type.args[0].item.cname == "struct outer"
    assert cb_type.args[0].item.fields[1][1].type.cname == "struct inner"
    assert repr(color) == "<cdata 'enum color' 5: GREEN>"
    p.next = p
    assert p.next.next.a == 7


def test_identity_of_ctypes_holds_for_live_ffis():
    a = cffi.FFI()
    b = cffi.FFI()
    a.cdef("struct only_a { int x; };")
    t = a.typeof("struct only_a *")
    for _ in range(5):
        cycle(decls(200, "x"))
    _cffi_backend._collect_types()
    assert a.typeof("int *") is b.typeof("int *")
    assert a.typeof("struct only_a *") is t
    assert a.new("struct only_a *", [3]).x == 3


def test_an_out_of_line_module_keeps_its_types(tmp_path):
    builder = cffi.FFI()
    builder.cdef("struct rec { int a; double b[2]; }; typedef struct rec rec_t;")
    builder.set_source("_collect_ool", None)
    builder.emit_python_code(str(tmp_path / "_collect_ool.py"))
    import importlib.util

    spec = importlib.util.spec_from_file_location("_collect_ool", tmp_path / "_collect_ool.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    t = mod.ffi.typeof("rec_t")
    del t
    gc.collect()
    for _ in range(5):
        cycle(decls(200, "x"))
    _cffi_backend._collect_types()
    p = mod.ffi.new("rec_t *", [1, [2.5, 3.5]])
    assert (p.a, p.b[1]) == (1, 3.5)
    assert mod.ffi.sizeof("struct rec") == 24


def test_a_ctype_kept_by_a_garbage_cycles_finalizer_stays_whole():
    # The cycle collector clears weak references before it runs __del__:
    # a ctype reachable only from the cycle must still count as alive.
    kept = []

    class Holder:
        def __del__(self):
            _cffi_backend._collect_types()
            other = cffi.FFI()
            other.cdef("struct big { char x[4096]; int y; };")
            kept.append((self.t, self.arr, other, other.typeof("struct big")))

    def make():
        ffi = cffi.FFI()
        ffi.cdef("struct foo { int a; double b; };")
        h = Holder()
        h.t = ffi.typeof("struct foo")
        h.arr = ffi.typeof("int[4]")
        h.me = h

    make()
    gc.collect()
    t, arr, _, big = kept[0]
    assert (t.cname, _cffi_backend.sizeof(t), [f[0] for f in t.fields]) == (
        "struct foo", 16, ["a", "b"])
    assert _cffi_backend.new_pointer_type(t).cname == "struct foo *"
    assert arr.cname == "int[4]" and big.cname == "struct big"


def test_fields_given_by_a_generator_are_held_while_it_runs():
    B = _cffi_backend
    pint = B.new_pointer_type(B.new_primitive_type("int"))
    kept = []

    def fields():
        yield ("a", B.new_array_type(pint, 3))  # nothing else holds int[3]
        B._collect_types()
        other = cffi.FFI()
        other.cdef("struct big { char x[4000]; };")
        kept.append((other, other.typeof("struct big")))
        yield ("b", B.new_primitive_type("int"))

    s = B.new_struct_type("struct s")
    B.complete_struct_or_union(s, fields())
    assert B.sizeof(s) == 16
    assert [(n, f.type.cname, f.offset) for n, f in s.fields] == [("a", "int[3]", 0), ("b", "int", 12)]
