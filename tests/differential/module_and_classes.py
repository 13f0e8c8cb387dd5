"""How the ffi classes, the cdata classes and the two modules present
themselves, plus a few ownership and threading corners nothing else probes.

Covers:
  * the FFI classes: construction and the version check (F-03.01), the
    shared NULL (F-03.03), the RTLD_* constants (F-03.06), `error`
    (F-03.07), which methods each flavour has (F-03.08), unknown attributes
    (F-03.09), getwinerror on POSIX (F-03.38), integer_const / list_types /
    docstrings (F-03.129 .. F-03.131); the in-line `cffi.FFI()` and an
    empty compiled `_cffi_backend.FFI()` are compared wherever the two differ;
  * ffi.errno per thread (F-03.36);
  * init_once: concurrent callers (F-03.120) and the per-object cache of
    a compiled FFI, as far as an empty one shows it (F-03.122);
  * new_allocator: the basics (F-03.98), should_clear_after_alloc
    (F-03.101), what alloc gets and what is kept alive (F-03.132);
  * the buffer's `del` (F-03.54), memmove past an array's declared end but
    inside its allocation (F-03.71), a handle cycle (F-03.89);
  * the cdata and ctype classes (F-05.01 .. F-05.04, F-05.62), keep-alive
    rules (F-05.52, F-05.53), enum sizes (F-05.61), silence when dropping
    gc / from_buffer results (F-05.63);
  * pointer-type mismatches between two FFIs and between function pointer
    types (F-06.18, F-06.19), surrogate splitting in str-built arrays
    (F-06.36);
  * the modules: cffi.FFI (F-10.03), the submodules client code uses
    (F-10.06), importing cffi without setuptools (F-10.07), `_C_API`
    (F-10.11), the class attributes of `_cffi_backend.FFI` (F-10.12).

Also addressof(lib, name) of a dlopen() library for functions, constants
and unknown names (F-03.80; global variables wait for issue #6).

Left out: F-03.37 (Windows only), F-05.50 (needs a compiled module with
lazily built structs), and
the subinterpreter half of F-03.122.  ffi.callback (section 3.15, out of
scope here) is not used, so its classes and alloc-as-C-function are not
probed.

About F-03.54: cffi 2.0.0 crashes on `del buf[i]`; cffi-py raises the
TypeError of later cffi versions (F-10.50). The probe runs in a child
process and prints the outcome; ../deliberate.txt holds our exact line.

Every result goes through ascii() and addresses are masked, so runs compare.
"""

import copy
import gc
import inspect
import os
import pickle
import subprocess
import sys
import tempfile
import threading
import warnings
import weakref

import _cffi_backend
import cffi

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _probe import norm, show  # noqa: E402

ffi = cffi.FFI()
ffi.cdef("""
    struct pt { int x, y; };
    struct holder { int a[2]; struct pt p; };
    struct var { int n; int items[]; };
    typedef int myint_t;
    union un { int a; char b; };
    enum small { S_A, S_B = 3 };
    enum neg { N_A = -1, N_B = 1 };
    enum big { B_A = 0xFFFFFFFF };
    enum huge { H_A = 0x100000000 };
    enum shuge { SH_A = -1, SH_B = 0x100000000 };
""")
cffi_ = _cffi_backend.FFI()
RTLD_NAMES = ["RTLD_DEEPBIND", "RTLD_GLOBAL", "RTLD_LAZY", "RTLD_LOCAL",
              "RTLD_NODELETE", "RTLD_NOLOAD", "RTLD_NOW"]


def exc(func):
    """Run func and return the exception it raised as (class, message)."""
    try:
        func()
    except Exception as e:
        return type(e).__name__, norm(str(e))
    return "no exception"


# --- F-03.01: construction and the version check ------------------------------------
show("F-03.01 FFI(backend=None)", lambda: type(cffi.FFI(backend=None)).__name__)
show("F-03.01 FFI(backend=_cffi_backend)", lambda: cffi.FFI(backend=_cffi_backend).sizeof("int"))
show("F-03.01 versions agree", lambda: _cffi_backend.__version__ == cffi.__version__)


def version_mismatch():
    saved = _cffi_backend.__version__
    _cffi_backend.__version__ = "9.9.9"
    try:
        cffi.FFI()
    except Exception as e:
        msg = str(e)
        return type(e).__name__, "9.9.9" in msg, cffi.__version__ in msg
    finally:
        _cffi_backend.__version__ = saved
    return "no exception"


show("F-03.01 version mismatch", version_mismatch)
show("F-03.01 usable after mismatch", lambda: cffi.FFI().sizeof("long"))

# --- F-03.03: NULL -------------------------------------------------------------------
show("F-03.03 NULL reprs", lambda: (norm(repr(ffi.NULL)), norm(repr(cffi_.NULL))))
show("F-03.03 NULL on both classes", lambda: ("NULL" in vars(cffi.FFI), "NULL" in vars(_cffi_backend.FFI)))
show("F-03.03 NULL shared by instances", lambda: (ffi.NULL is cffi.FFI().NULL, cffi_.NULL is _cffi_backend.FFI().NULL))
show("F-03.03 NULL in-line vs compiled", lambda: (ffi.NULL == cffi_.NULL, ffi.typeof(ffi.NULL) is cffi_.typeof(cffi_.NULL)))

# --- F-03.06: RTLD_* -----------------------------------------------------------------
show("F-03.06 in-line RTLD values", lambda: [(n, getattr(ffi, n)) for n in RTLD_NAMES])
show("F-03.06 compiled RTLD values", lambda: [(n, getattr(cffi_, n)) for n in RTLD_NAMES])
show("F-03.06 in-line RTLD are instance attributes", lambda: sorted(k for k in vars(ffi) if k.startswith("RTLD_")))
show("F-03.06 cffi.FFI class RTLD / module equal", lambda: (
    sorted(k for k in vars(cffi.FFI) if k.startswith("RTLD_")),
    all(getattr(_cffi_backend, n) == getattr(ffi, n) for n in RTLD_NAMES)))

# --- F-03.07: error ------------------------------------------------------------------
show("F-03.07 in-line has error", lambda: hasattr(ffi, "error"))
show("F-03.07 compiled error", lambda: (cffi_.error.__name__, cffi_.error.__module__, [c.__name__ for c in cffi_.error.__mro__]))
show("F-03.07 error shared", lambda: cffi_.error is _cffi_backend.FFI().error is _cffi_backend.FFI.error)
show("F-03.07 error is not FFIError", lambda: (issubclass(cffi_.error, cffi.FFIError), issubclass(cffi.FFIError, cffi_.error)))
show("F-03.07 error instance", lambda: (lambda e: (str(e), e.args, isinstance(e, Exception)))(cffi_.error("msg", 2)))

# --- F-03.08 / F-03.131: which methods exist -----------------------------------------
BUILDER_ONLY = ["cdef", "set_source", "set_source_pkgconfig", "compile", "verify", "include",
                "set_unicode", "embedding_api", "embedding_init_code", "emit_c_code",
                "emit_python_code", "distutils_extension"]
show("F-03.08 compiled lacks builder methods", lambda: [n for n in BUILDER_ONLY if hasattr(cffi_, n)])
show("F-03.08 in-line has builder methods", lambda: [n for n in BUILDER_ONLY if not hasattr(ffi, n)])
show("F-03.08 integer_const per flavour", lambda: (hasattr(cffi_, "integer_const"), hasattr(ffi, "integer_const")))
show("F-03.08 dir(_cffi_backend.FFI)", lambda: sorted(n for n in dir(_cffi_backend.FFI) if not n.startswith("__")))
show("F-03.131 compiled methods lacking docs", lambda: sorted(
    n for n in dir(_cffi_backend.FFI)
    if not n.startswith("_") and callable(getattr(_cffi_backend.FFI, n))
    and not isinstance(getattr(_cffi_backend.FFI, n), type)
    and not (getattr(_cffi_backend.FFI, n).__doc__ or "").strip()))
show("F-03.131 errno has doc", lambda: bool((_cffi_backend.FFI.errno.__doc__ or "").strip()))

# --- F-03.09: unknown attributes on the compiled FFI ---------------------------------
show("F-03.09 get unknown", lambda: cffi_.no_such_thing)


def set_unknown():
    cffi_.no_such_thing = 1


def del_unknown():
    del cffi_.no_such_thing


def set_null():
    cffi_.NULL = 1


show("F-03.09 set unknown", set_unknown)
show("F-03.09 del unknown", del_unknown)
show("F-03.09 set NULL", set_null)
show("F-03.09 no __dict__", lambda: hasattr(cffi_, "__dict__"))


class SubFFI(_cffi_backend.FFI):
    pass


def subclass_attrs():
    s = SubFFI()
    s.extra = 5
    return s.extra, sorted(vars(s)), s.sizeof("short")


show("F-03.09 subclass has dict", subclass_attrs)

# --- F-03.38: getwinerror on POSIX ---------------------------------------------------
show("F-03.38 in-line has getwinerror", lambda: callable(getattr(ffi, "getwinerror", None)))
show("F-03.38 in-line getwinerror()", lambda: ffi.getwinerror())
show("F-03.38 compiled has getwinerror", lambda: hasattr(cffi_, "getwinerror"))

# --- F-03.129 / F-03.130: integer_const and list_types -------------------------------
show("F-03.129 integer_const unknown", lambda: cffi_.integer_const("FOO"))
show("F-03.129 integer_const non-str", lambda: cffi_.integer_const(5))
show("F-03.129 integer_const keyword", lambda: cffi_.integer_const(name="BAR"))
show("F-03.129 in-line integer_const", lambda: ffi.integer_const("S_B"))
show("F-03.130 compiled list_types empty", lambda: cffi_.list_types())
show("F-03.130 in-line list_types", lambda: ffi.list_types())

# --- F-03.36: errno ----------------------------------------------------------------
results = {}


def errno_thread(name, value):
    results[name + " start"] = ffi.errno
    ffi.errno = value
    results[name + " after set"] = ffi.errno
    results[name + " compiled view"] = cffi_.errno


def errno_threads():
    ffi.errno = 42
    threads = [threading.Thread(target=errno_thread, args=("t%d" % i, 100 + i)) for i in range(3)]
    for t in threads:
        t.start()
        t.join()
    out = sorted(results.items()), ffi.errno, cffi_.errno, _cffi_backend.get_errno()
    ffi.errno = 0
    return out


show("F-03.36 errno starts at 0", lambda: ffi.errno)
show("F-03.36 errno per thread", errno_threads)


def errno_set(value, via=None):
    target = via or ffi
    try:
        target.errno = value
        return target.errno
    finally:
        ffi.errno = 0


show("F-03.36 errno INT_MAX", lambda: errno_set(2 ** 31 - 1))
show("F-03.36 errno INT_MIN", lambda: errno_set(-2 ** 31))
show("F-03.36 errno too large", lambda: errno_set(2 ** 31))
show("F-03.36 errno too small", lambda: errno_set(-2 ** 31 - 1))
show("F-03.36 errno str", lambda: errno_set("3"))
show("F-03.36 compiled errno set", lambda: errno_set(9, cffi_))
show("F-03.36 errno set_errno shared", lambda: (_cffi_backend.set_errno(11), ffi.errno, cffi_.errno, _cffi_backend.set_errno(0))[1:3])


def del_errno():
    del ffi.errno


show("F-03.36 del errno", lambda: exc(del_errno))

# --- F-03.120 / F-03.122: init_once -------------------------------------------------


def start_then_release(worker, n, release):
    """Starts `n` threads running `worker`, sets `release` once all have
    started, and waits for them."""
    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    release.set()
    for t in threads:
        t.join()


def init_once_concurrent():
    release = threading.Event()
    calls = []
    out = []

    def func():
        calls.append(1)
        release.wait(5)
        return ["shared"]

    def worker():
        out.append(ffi.init_once(func, "concurrent"))

    start_then_release(worker, 4, release)
    return len(calls), len(out), all(r is out[0] for r in out), out[0]


show("F-03.120 init_once concurrent", init_once_concurrent)


def init_once_concurrent_failure():
    release = threading.Event()
    lock = threading.Lock()
    calls = []
    out = []

    def func():
        with lock:
            calls.append(1)
            first = len(calls) == 1
        if first:
            release.wait(5)
            raise ValueError("first fails")
        return "second"

    def worker():
        try:
            out.append(ffi.init_once(func, "concurrent-fail"))
        except ValueError as e:
            out.append("ValueError " + str(e))

    start_then_release(worker, 3, release)
    return len(calls), sorted(out)


show("F-03.120 init_once concurrent failure", init_once_concurrent_failure)
show("F-03.122 compiled init_once", lambda: cffi_.init_once(lambda: "A", "tag"))
show("F-03.122 compiled init_once cached", lambda: cffi_.init_once(lambda: "B", "tag"))
show("F-03.122 other compiled FFI", lambda: _cffi_backend.FFI().init_once(lambda: "C", "tag"))

# --- F-03.98 / F-03.101 / F-03.132: new_allocator ------------------------------------
log = []


def logging_alloc(size):
    obj = ffi.new("char[]", size)
    log.append(("alloc", size))
    logging_alloc.last = obj
    return obj


def logging_free(ptr):
    log.append(("free", ptr is logging_alloc.last))


def take_log():
    out = list(log)
    del log[:]
    return out


alloc_free = ffi.new_allocator(logging_alloc, logging_free)


def allocator_lifecycle():
    p = alloc_free("int[3]", [7, 8, 9])
    info = list(p), ffi.sizeof(p), type(p).__name__, take_log()
    del p
    return info, take_log()


show("F-03.98 allocator lifecycle", allocator_lifecycle)
show("F-03.98 compiled allocator", lambda: (lambda p: (list(p), type(p).__name__))(
    cffi_.new_allocator(lambda n: cffi_.new("char[]", n))("short[2]", [3, 4])))
show("F-03.98 allocator keywords", lambda: list(ffi.new_allocator(alloc=logging_alloc)(cdecl="int[2]", init=[5]))
     + [take_log()])
show("F-03.98 allocator alloc raises", lambda: ffi.new_allocator(lambda n: 1 // 0)("int *"))


def dirty_alloc(size):
    return ffi.new("unsigned char[]", [0xAB] * size)


show("F-03.101 clear after alloc (default)", lambda: list(ffi.new_allocator(dirty_alloc)("unsigned char[6]", [1, 2])))
show("F-03.101 no clear after alloc", lambda: list(ffi.new_allocator(dirty_alloc, should_clear_after_alloc=False)("unsigned char[6]", [1, 2])))
show("F-03.101 no clear, struct", lambda: (lambda p: (p.x, p.y & 0xFFFFFFFF))(
    ffi.new_allocator(dirty_alloc, None, False)("struct pt *", {"x": 1})))
show("F-03.101 no clear, no init", lambda: list(ffi.new_allocator(dirty_alloc, should_clear_after_alloc=False)("unsigned char[3]")))


def alloc_sizes(cdecl, init=None):
    take_log()
    p = alloc_free(cdecl, init)
    during = take_log()
    size = ffi.sizeof(p[0] if ffi.typeof(p).kind == "pointer" else p)
    del p
    return during, size, take_log()


show("F-03.132 alloc size int[]", lambda: alloc_sizes("int[]", 5))
show("F-03.132 alloc size varsize struct", lambda: alloc_sizes("struct var *", [2, [1, 2, 3]]))
show("F-03.132 alloc size varsize struct by dict", lambda: alloc_sizes("struct var *", {"items": [1, 2, 3, 4, 5]}))
show("F-03.132 alloc size struct", lambda: alloc_sizes("struct pt *"))
show("F-03.132 alloc size char[] from bytes", lambda: alloc_sizes("char[]", b"hello"))


def alloc_kept_alive():
    # The alloc() result is a gc() object, so its destructor says when it dies.
    died = []

    def alloc(size):
        return ffi.gc(ffi.new("char[]", size), lambda _: died.append(size))
    p = ffi.new_allocator(alloc)("int[2]", [1, 2])
    gc.collect()
    alive = list(died), list(p)
    del p
    gc.collect()
    return alive, died


show("F-03.132 alloc result kept alive", alloc_kept_alive)


def free_gets_same_object():
    made, freed = [], []

    def alloc(size):
        obj = ffi.new("char[]", size)
        made.append(obj)
        return obj
    p = ffi.new_allocator(alloc, freed.append)("short *")
    ffi.release(p)
    return len(freed), freed[0] is made[0]


show("F-03.132 free gets alloc result", free_gets_same_object)

# --- F-03.54: del on a buffer (child process, see the docstring) ---------------------
DEL_CHILD = """
import cffi
ffi = cffi.FFI()
b = ffi.buffer(ffi.new("char[4]", b"abc"))
try:
    del b[%s]
except TypeError as e:
    print("TypeError", e, bytes(b))
else:
    print("deleted", bytes(b))
"""


def buffer_del(index):
    proc = subprocess.run([sys.executable, "-c", DEL_CHILD % index],
                          capture_output=True, text=True, timeout=60)
    if proc.returncode < 0:
        return "crashed"
    return proc.returncode, proc.stdout.strip()


show("F-03.54 del buf[i]", lambda: buffer_del("0"))
show("F-03.54 del buf[a:b]", lambda: buffer_del("0:2"))
show("F-03.54 buffer type has __delitem__", lambda: hasattr(ffi.buffer, "__delitem__"))

# --- F-03.71: memmove is not bounds-checked ----------------------------------------


def memmove_past_slice():
    whole = ffi.new("char[12]", b"............")
    ffi.memmove(whole[0:2], b"ABCDEFGH", 6)
    return ffi.buffer(whole)[:]


def memmove_past_view():
    whole = ffi.new("int[6]")
    view = ffi.cast("int(*)[2]", whole)[0]
    ffi.memmove(view, ffi.new("int[5]", [1, 2, 3, 4, 5]), 20)
    return ffi.typeof(view), list(whole)


def memmove_from_past_view():
    src = ffi.new("short[4]", [10, 20, 30, 40])
    dest = ffi.new("short[4]")
    ffi.memmove(dest, ffi.cast("short(*)[1]", src)[0], 8)
    return list(dest)


show("F-03.71 memmove past slice end", memmove_past_slice)
show("F-03.71 memmove past array view", memmove_past_view)
show("F-03.71 memmove from past array view", memmove_from_past_view)

# --- F-03.89: handle cycle -----------------------------------------------------------


class Holder:
    pass


def handle_cycle():
    o = Holder()
    o.handle = ffi.new_handle(o)
    ref = weakref.ref(o)
    back = ffi.from_handle(o.handle) is o
    del o
    gc.collect()
    return back, ref() is None


show("F-03.89 handle cycle collected", handle_cycle)


def handle_keeps_alive():
    o = Holder()
    h = ffi.new_handle(o)
    ref = weakref.ref(o)
    del o
    gc.collect()
    alive = ref() is not None
    del h
    gc.collect()
    return alive, ref() is None


show("F-03.89 handle keeps object until dropped", handle_keeps_alive)

# --- F-05.01: classes ----------------------------------------------------------------
base_pt = ffi.new("struct pt *", [1, 2])
arr = ffi.new("int[4]", [1, 2, 3, 4])
source = bytearray(16)
samples = [
    ("new int*", lambda: ffi.new("int *")),
    ("new struct*", lambda: base_pt),
    ("owning p[0]", lambda: base_pt[0]),
    ("compiled new", lambda: cffi_.new("int[2]")),
    ("new_handle", lambda: ffi.new_handle(source)),
    ("gc", lambda: ffi.gc(ffi.cast("int *", 0), lambda _: None)),
    ("allocator", lambda: ffi.new_allocator(lambda n: ffi.new("char[]", n))("int *")),
    ("from_buffer", lambda: ffi.from_buffer(source)),
    ("compiled from_buffer", lambda: cffi_.from_buffer("int[]", source)),
    ("cast", lambda: ffi.cast("int", 1)),
    ("item", lambda: ffi.new("int *[1]")[0]),
    ("array field", lambda: ffi.new("struct holder *").a),
    ("struct field", lambda: ffi.new("struct holder *").p),
    ("struct item", lambda: ffi.new("struct pt[2]")[1]),
    ("slice", lambda: arr[1:3]),
    ("pointer + 1", lambda: arr + 1),
    ("NULL", lambda: ffi.NULL),
    ("addressof", lambda: ffi.addressof(base_pt[0])),
]


def class_names(kinds):
    def probe():
        out = []
        for label, make in samples:
            if label in kinds:
                x = make()
                out.append((label, type(x).__module__, type(x).__name__))
        return out
    return probe


show("F-05.01 classes of owning", class_names(["new int*", "new struct*", "owning p[0]", "compiled new"]))
show("F-05.01 classes of OwnGC", class_names(["new_handle"]))
show("F-05.01 classes of GCP", class_names(["gc", "allocator"]))
show("F-05.01 classes of FromBuf", class_names(["from_buffer", "compiled from_buffer"]))
show("F-05.01 classes of plain", class_names(["cast", "item", "array field", "struct field", "struct item",
                                              "slice", "pointer + 1", "NULL", "addressof"]))
for label in ["new int*", "new_handle", "gc", "from_buffer"]:
    show("F-05.01 mro of %s" % label, lambda label=label: [
        c.__name__ for c in type(dict(samples)[label]()).__mro__])
show("F-05.01 CData is _CDataBase", lambda: (ffi.CData is _cffi_backend._CDataBase, cffi_.CData is ffi.CData))
show("F-05.01 CType class", lambda: (ffi.CType is _cffi_backend.CType, cffi_.CType is ffi.CType, type(ffi.typeof("int")) is ffi.CType))

# --- F-05.02 / F-05.62: no subclassing, no direct instantiation -----------------------


def subclass(base):
    def make():
        return type("Sub", (base,), {})
    return make


show("F-05.02 subclass _CDataBase", subclass(ffi.CData))
show("F-05.02 subclass CType", subclass(ffi.CType))
show("F-05.02 subclass concrete cdata classes", lambda: [exc(subclass(type(make())))[0] for make in (
    lambda: ffi.new("int *"), lambda: ffi.new_handle(1), lambda: ffi.from_buffer(source),
    lambda: ffi.gc(ffi.cast("int *", 0), lambda _: None))])
show("F-05.02 subclass buffer", subclass(ffi.buffer))
show("F-05.02 subclass FFI", lambda: subclass(_cffi_backend.FFI)().__mro__[1].__name__)
show("F-05.62 instantiate CType", lambda: type(ffi.typeof("void *"))())
show("F-05.62 instantiate _CDataBase", lambda: type(ffi.cast("void *", 0))(ffi.NULL))
show("F-05.62 instantiate concrete cdata classes", lambda: [exc(lambda: type(x)(*args)) for x, args in (
    (ffi.new("int *"), ()), (ffi.new_handle(1), (1,)), (ffi.from_buffer(source), (source,)),
    (ffi.gc(ffi.cast("int *", 0), lambda _: None), (ffi.NULL,)))])
show("F-05.62 CData.__new__", lambda: ffi.CData.__new__(ffi.CData))

# --- F-05.03: weakrefs, pickle, copy -------------------------------------------------


def weakref_of(obj):
    r = weakref.ref(obj)
    return r() is obj


show("F-05.03 weakrefs", lambda: [weakref_of(x) for x in (
    ffi.new("int *"), ffi.cast("int", 3), ffi.typeof("struct pt"), ffi.new_handle(5),
    ffi.from_buffer(source), ffi.gc(ffi.cast("int *", 0), lambda _: None), cffi_.typeof("int"))])


def weakref_dies():
    p = ffi.new("int *")
    r = weakref.ref(p)
    del p
    return r() is None


show("F-05.03 weakref dies with cdata", weakref_dies)
show("F-05.03 pickle owning cdata", lambda: pickle.dumps(ffi.new("int *")))
show("F-05.03 pickle cast cdata", lambda: pickle.dumps(ffi.cast("int", 3)))
show("F-05.03 pickle ctype", lambda: pickle.dumps(ffi.typeof("int")))
show("F-05.03 copy cdata", lambda: copy.copy(ffi.cast("int", 3)))
show("F-05.03 deepcopy struct", lambda: copy.deepcopy(base_pt))

# --- F-05.04: instance-level names --------------------------------------------------
show("F-05.04 instance names", lambda: [
    (x.__module__, x.__name__, type(x.__doc__).__name__, bool(x.__doc__))
    for x in (ffi.new("int *"), ffi.cast("int", 1), ffi.from_buffer(source), ffi.new_handle(1))])
show("F-05.04 ctype names", lambda: (ffi.CType.__module__, ffi.CType.__name__))

# --- F-05.52 / F-05.53: what keeps memory alive --------------------------------------


def stored_pointer():
    inner = ffi.new("char[]", b"x")
    holder = ffi.new("char **", inner)
    stored = holder[0]
    return norm(repr(stored)), type(stored).__name__, stored == inner


def stored_pointer_does_not_keep():
    inner = ffi.new("char[]", b"x")
    holder = ffi.new("char **", inner)
    r = weakref.ref(inner)
    del inner
    gc.collect()
    return r() is None, holder[0] != ffi.NULL


def derived_by(fn):
    # The owner is a gc() object (an owner too, F-05.52) whose destructor
    # reports its death; that needs no weak reference.
    def probe():
        died = []
        owner = ffi.gc(ffi.new("int[4]", [1, 2, 3, 4]), died.append)
        derived = fn(owner)
        del owner
        gc.collect()
        result = "freed" if died else "kept"
        del derived
        gc.collect()
        return result, len(died)
    return probe


show("F-05.52 pointer stored in C", stored_pointer)
show("F-05.52 pointer stored in C does not keep", stored_pointer_does_not_keep)
show("F-05.52 p + 1 does not keep", derived_by(lambda o: o + 1))
show("F-05.52 cast does not keep", derived_by(lambda o: ffi.cast("int *", o)))
show("F-05.52 slice does not keep", derived_by(lambda o: o[1:3]))
show("F-05.52 item address does not keep", derived_by(lambda o: ffi.addressof(o, 2)))
show("F-05.52 buffer keeps", derived_by(lambda o: ffi.buffer(o)))
show("F-05.52 gc of gc keeps", derived_by(lambda o: ffi.gc(o, lambda _: None)))


def struct_owner_ref():
    p = ffi.new("struct pt *", [3, 4])
    ref = p[0]
    same = ref is p[0]
    del p
    gc.collect()
    return same, norm(repr(ref)), (ref.x, ref.y), ffi.sizeof(ref), type(ref).__name__


def struct_owner_ref_lets_p_die():
    p = ffi.new("struct pt *", [3, 4])
    ref = p[0]
    wp = weakref.ref(p)
    del p
    gc.collect()
    return wp() is None, ref.x


def struct_cast_ref():
    p = ffi.new("struct pt *", [5, 6])
    ref = ffi.cast("struct pt *", p)[0]
    return norm(repr(ref)), type(ref).__name__, ref == p


show("F-05.53 owning p[0] outlives p", struct_owner_ref)
show("F-05.53 p itself can die", struct_owner_ref_lets_p_die)
show("F-05.53 cast()[0] not owning", struct_cast_ref)
show("F-05.53 union p[0] repr", lambda: norm(repr(ffi.new("union un *")[0])))
show("F-05.53 array p[0] of struct[] not owning", lambda: norm(repr(ffi.new("struct pt[2]")[0])))

# --- F-05.61: enum sizes ----------------------------------------------------------
show("F-05.61 enum sizes", lambda: [(n, ffi.sizeof("enum %s" % n)) for n in ["small", "neg", "big", "huge", "shuge"]])
show("F-05.61 enum unsigned reads", lambda: [int(ffi.cast("enum %s" % n, v)) for n, v in [
    ("small", -1), ("small", 2 ** 32 + 5), ("big", -1), ("big", 2 ** 32 + 7), ("huge", -1), ("huge", 2 ** 64 + 9)]])
show("F-05.61 enum signed reads", lambda: [int(ffi.cast("enum %s" % n, v)) for n, v in [
    ("neg", -5), ("neg", 2 ** 32 - 1), ("shuge", -1), ("shuge", 2 ** 64 - 1), ("shuge", 2 ** 63)]])
show("F-05.61 enum cast repr", lambda: [repr(ffi.cast("enum %s" % n, v)) for n, v in [("small", -1), ("neg", -1), ("huge", 3)]])
show("F-05.61 new enum big overflow", lambda: ffi.new("enum big *", -1))
show("F-05.61 new enum neg overflow", lambda: ffi.new("enum neg *", 2 ** 31))

# --- F-05.63: no warnings when dropping -------------------------------------------


def drop_quietly():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            ffi.gc(ffi.new("int *"), lambda _: None)
            ffi.from_buffer(bytearray(8))
            ffi.from_buffer("int[]", bytearray(8))
            alloc_free("int[2]")
        gc.collect()
    take_log()
    return len(caught)


show("F-05.63 dropping gc/from_buffer warns", drop_quietly)

# --- F-06.18 / F-06.19: pointer type mismatches -----------------------------------
other = cffi.FFI()
other.cdef("struct pt { int x, y; };")
show("F-06.18 struct pt* from another ffi", lambda: ffi.new("struct pt **", other.new("struct pt *")))
show("F-06.18 struct pt from another ffi", lambda: ffi.new("struct pt *", other.new("struct pt *")[0]))
show("F-06.18 store into other ffi's array", lambda: exc(lambda: other.new("struct pt *[1]").__setitem__(0, base_pt)))
show("F-06.18 void* from another ffi", lambda: other.new("void **", base_pt)[0] == base_pt)
show("F-06.18 int* shared across flavours", lambda: (ffi.typeof("int *") is cffi_.typeof("int *"), cffi_.new("int **", ffi.new("int *"))[0] != ffi.NULL))
show("F-06.19 fnptr same type", lambda: ffi.new("int(**)(int)", ffi.cast("int(*)(int)", 8))[0] == ffi.cast("void *", 8))
show("F-06.19 fnptr other result", lambda: ffi.new("int(**)(int)", ffi.cast("long(*)(int)", 8)))
show("F-06.19 fnptr other args", lambda: ffi.new("int(**)(int)", ffi.cast("int(*)(int, int)", 8)))
show("F-06.19 fnptr from void*", lambda: ffi.new("int(**)(int)", ffi.cast("void *", 8))[0] == ffi.cast("void *", 8))
show("F-06.19 stdcall spelled on POSIX", lambda: ffi.typeof("int(__stdcall *)(int)") is ffi.typeof("int(*)(int)"))

# --- F-06.36: surrogates in str-built arrays -------------------------------------
show("F-06.36 char16_t[] splits", lambda: (lambda a: (len(a), [ord(c) for c in a]))(ffi.new("char16_t[]", "a\U00012345")))
show("F-06.36 char16_t string recombines", lambda: ffi.string(ffi.new("char16_t[]", "a\U00012345")))
show("F-06.36 char16_t unpack recombines", lambda: ffi.unpack(ffi.new("char16_t[]", "\U00012345b"), 3))
show("F-06.36 char16_t unpack half pair", lambda: ffi.unpack(ffi.new("char16_t[]", "\U00012345"), 1))
show("F-06.36 char16_t[1] too small", lambda: ffi.new("char16_t[1]", "\U00012345"))
show("F-06.36 char32_t[] one-to-one", lambda: (lambda a: (len(a), [ord(c) for c in a]))(ffi.new("char32_t[]", "a\U00012345")))
show("F-06.36 char32_t[] from surrogates", lambda: (lambda a: (len(a), [ord(c) for c in a]))(ffi.new("char32_t[]", "\ud808\udf45")))
show("F-06.36 char32_t string of surrogates", lambda: ascii(ffi.string(ffi.new("char32_t[]", "\ud808\udf45"))))
show("F-06.36 compiled char16_t[]", lambda: len(cffi_.new("char16_t[]", "\U00012345\U00012345")))

# --- F-10.03 / F-10.06 / F-10.07 / F-10.11 / F-10.12: modules ---------------------
show("F-10.03 cffi.FFI is cffi.api.FFI", lambda: cffi.FFI is __import__("cffi.api").api.FFI)
show("F-10.03 cffi.FFI names", lambda: (cffi.FFI.__module__, cffi.FFI.__name__, cffi.FFI.__qualname__))
show("F-10.03 cffi.FFI not compiled FFI", lambda: (issubclass(cffi.FFI, _cffi_backend.FFI), isinstance(ffi, _cffi_backend.FFI)))

SUBMODULES = [
    ("cffi.verifier", ["Verifier", "set_tmpdir", "cleanup_tmpdir"]),
    ("cffi.setuptools_ext", ["cffi_modules"]),
    ("cffi.recompiler", ["make_c_source", "make_py_source", "recompile"]),
    ("cffi.ffiplatform", ["get_extension", "compile"]),
    ("cffi.pkgconfig", ["flags_from_pkgconfig", "merge_flags"]),
]


def submodule(name, attrs):
    def probe():
        mod = __import__(name, fromlist=["_"])
        return [(a, str(inspect.signature(getattr(mod, a))) if hasattr(mod, a) else None) for a in attrs]
    return probe


for name, attrs in SUBMODULES:
    show("F-10.06 %s" % name, submodule(name, attrs))
show("F-10.06 merge_flags", lambda: __import__("cffi.pkgconfig", fromlist=["_"]).merge_flags(
    {"libraries": ["a"], "define_macros": [("X", "1")]}, {"libraries": ["b"], "include_dirs": ["/i"]}))


def make_sources():
    recompiler = __import__("cffi.recompiler", fromlist=["_"])
    builder = cffi.FFI()
    builder.cdef("int f(int);")
    builder.set_source("_probe_mod", "static int f(int x) { return x; }")
    with tempfile.TemporaryDirectory() as d:
        c_file = os.path.join(d, "m.c")
        py_ffi = cffi.FFI()
        py_ffi.cdef("struct s { int a; };")
        py_ffi.set_source("_probe_py", None)
        py_file = os.path.join(d, "m.py")
        return (recompiler.make_c_source(builder, "_probe_mod", "static int f(int x) { return x; }", c_file),
                recompiler.make_c_source(builder, "_probe_mod", "static int f(int x) { return x; }", c_file),
                recompiler.make_py_source(py_ffi, "_probe_py", py_file),
                recompiler.make_py_source(py_ffi, "_probe_py", py_file),
                sorted(os.listdir(d)))


show("F-10.06 make_c_source / make_py_source", make_sources)

NO_SETUPTOOLS = """
import sys
for name in ("setuptools", "distutils", "_distutils_hack"):
    sys.modules[name] = None
import cffi
ffi = cffi.FFI()
ffi.cdef("struct s { int a; };")
p = ffi.new("struct s *", [5])
print(p.a, sorted(m for m in ("setuptools", "distutils") if sys.modules.get(m) is not None))
"""
FRESH_IMPORT = """
import sys
import cffi
print(sorted(m for m in sys.modules if m.split(".")[0] in ("setuptools", "distutils")))
"""


def child(code):
    def probe():
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        return proc.returncode, proc.stdout.strip(), proc.stderr.strip()[-300:]
    return probe


show("F-10.07 cffi works without setuptools", child(NO_SETUPTOOLS))
show("F-10.07 import cffi loads no setuptools", child(FRESH_IMPORT))
show("F-10.11 _C_API", lambda: _cffi_backend._C_API)


def capsule_valid():
    import ctypes
    api = ctypes.pythonapi
    api.PyCapsule_IsValid.restype = ctypes.c_int
    api.PyCapsule_IsValid.argtypes = [ctypes.py_object, ctypes.c_char_p]
    api.PyCapsule_GetName.restype = ctypes.c_char_p
    api.PyCapsule_GetName.argtypes = [ctypes.py_object]
    cap = _cffi_backend._C_API
    return api.PyCapsule_IsValid(cap, b"cffi"), api.PyCapsule_GetName(cap)


show("F-10.11 _C_API capsule name", capsule_valid)
CLASS_ATTRS = ["NULL", "CData", "CType", "buffer", "error"] + RTLD_NAMES
show("F-10.12 class attributes", lambda: [n for n in CLASS_ATTRS if n not in vars(_cffi_backend.FFI)])
show("F-10.12 class attribute values", lambda: (
    norm(repr(_cffi_backend.FFI.NULL)), _cffi_backend.FFI.CData is _cffi_backend._CDataBase,
    _cffi_backend.FFI.CType is _cffi_backend.CType, _cffi_backend.FFI.buffer is _cffi_backend.buffer,
    [getattr(_cffi_backend.FFI, n) == getattr(_cffi_backend, n) for n in RTLD_NAMES]))
show("F-10.12 instance sees class attributes", lambda: all(getattr(cffi_, n) is getattr(_cffi_backend.FFI, n) for n in CLASS_ATTRS))
show("F-10.12 FFI.errno is a descriptor", lambda: type(vars(_cffi_backend.FFI)["errno"]).__name__)

# --- F-03.98 / F-05.53: allocator results, struct pointers, release -------------------
_kept = []


def _keeping_alloc(n):
    p = ffi.new("char[]", n)
    _kept.append(p)
    return p


def allocator_shapes(free):
    def probe():
        A = ffi.new_allocator(_keeping_alloc, free)
        out = []
        for cdecl in ("int[3]", "struct pt *", "int *"):
            p = A(cdecl)
            row = [cdecl, type(p).__name__, "owning" in repr(p)]
            if cdecl == "struct pt *":
                row += [type(p[0]).__name__, p[0] is p[0]]
            row.append(exc(lambda: ffi.release(p)))
            out.append(row)
        return out
    return probe


show("F-03.98 allocator shapes without free", allocator_shapes(None))
show("F-03.98 allocator shapes with free", allocator_shapes(lambda p: None))

# --- F-03.80: addressof(lib, name) on an in-line (dlopen) library -----------------
lffi = cffi.FFI()
lffi.cdef("""
    int abs(int);
    #define LIB_K 5
    enum { LIB_E = 7 };
""")
libc = lffi.dlopen(None)
show("F-03.80 function", lambda: (norm(repr(lffi.addressof(libc, "abs"))), lffi.addressof(libc, "abs") == libc.abs))
show("F-03.80 integer constant gives its value", lambda: (lffi.addressof(libc, "LIB_K"), lffi.addressof(libc, "LIB_E")))
show("F-03.80 unknown name", lambda: lffi.addressof(libc, "no_such_name"))
