//! The lists the rules of `tidy` check against: which crates stay free of
//! Python, where `unsafe`, raw pointer work and vouching for C memory may
//! appear (each place with its reason), the line budget and its
//! exceptions, the allowed import cycles.

/// The crates that must never see Python (all but the top one and xtask).
pub const PYTHON_FREE_CRATES: &[&str] = &[
    "cdef-parse",
    "ctypes-model",
    "type-context",
    "ffi-runtime",
    "recompiler",
];

/// Files (or folders, ending in `/`) where `unsafe` may appear, relative to
/// the workspace root, and why. Everywhere else `unsafe` is refused: the
/// parser and the model have none. In `cffi-py` an `unsafe` block is either
/// a CPython API call or a call of one of `ffi_runtime`'s documented
/// `unsafe fn`s at the point where an address is vouched for; the raw
/// pointer work itself is `ffi_runtime`'s (see [`RAW_POINTER_ALLOWED`]).
pub const UNSAFE_ALLOWED: &[(&str, &str)] = &[
    (
        "crates/ffi-runtime/src/",
        "the machine layer: libffi, dlopen, raw C memory",
    ),
    (
        "crates/recompiler/src/lib.rs",
        "its tests call the C they compiled",
    ),
    ("fuzz/", "libFuzzer's entry points"),
    (
        "crates/ctypes-model/examples/throughput.rs",
        "a global allocator counting the cdef pipeline's allocations",
    ),
    (
        "crates/cffi-py/src/cpython/",
        "CPython's own structures: type slots, object layouts",
    ),
    (
        "crates/cffi-py/src/object/mod.rs",
        "CData::region, where a cdata's memory is vouched for",
    ),
    (
        "crates/cffi-py/src/backend/mod.rs",
        "the C test helpers of _testfunc (testfuncs.c)",
    ),
    (
        "crates/cffi-py/src/object/layout.rs",
        "the cdata object's tail after its fixed part, as its word says",
    ),
    (
        "crates/cffi-py/src/object/make.rs",
        "a new cdata object's fixed part and tail, written as its word says",
    ),
    (
        "crates/cffi-py/src/object/span.rs",
        "an iterator's integer reads from memory found once, checked live",
    ),
    (
        "crates/cffi-py/src/object/prim.rs",
        "C's %LE of a long double, over its whole range (src/capi/shim.c)",
    ),
    (
        "crates/cffi-py/src/object/held_buffer.rs",
        "the buffer protocol (PyObject_GetBuffer) and the view's bytes",
    ),
    (
        "crates/cffi-py/src/object/handle.rs",
        "a borrowed reference kept alive by a handle",
    ),
    (
        "crates/cffi-py/src/buffer/mod.rs",
        "bf_getbuffer; ffi.buffer's and ffi.memmove's user-given extents",
    ),
    (
        "crates/cffi-py/src/callback/mod.rs",
        "the libffi closure handler: C calling in, its argument and result buffers",
    ),
    (
        "crates/cffi-py/src/call/mod.rs",
        "exact ints and floats read by the C API; the libffi call",
    ),
    (
        "crates/cffi-py/src/convert/to_c.rs",
        "PyNumber_Index, PyType_GetFlags",
    ),
    (
        "crates/cffi-py/src/convert/read.rs",
        "a list filled by PyList_SetItem",
    ),
    (
        "crates/cffi-py/src/convert/file.rs",
        "a FILE * kept in a capsule, closed once",
    ),
    (
        "crates/cffi-py/src/cdata/mod.rs",
        "a call with borrowed argument references",
    ),
    (
        "crates/cffi-py/src/cdata/access.rs",
        "PyLong_AsSsize_t, generic getattr; a C pointer's item at any index",
    ),
    (
        "crates/cffi-py/src/lib_obj/mod.rs",
        "a library from a handle; a global variable's symbol",
    ),
    (
        "crates/cffi-py/src/capi/",
        "API-mode modules: their static C tables, the export table generated C calls, \
         the wrappers, getters and records their tables point at",
    ),
];

/// The points of `cffi-py` where C memory is vouched for: a
/// `ffi_runtime::memory::Region` made from an address (`Region::new`,
/// `Region::open`) or raw memory reached without one. Each file may hold at
/// most the given number; everywhere else in `cffi-py`, memory is reached
/// through a region someone else made (mostly `CData::region`).
pub const VOUCH_POINTS: &[(&str, usize, &str)] = &[
    (
        "crates/cffi-py/src/object/mod.rs",
        2,
        "a cdata's memory: owned (exact), or a C pointer's (open)",
    ),
    (
        "crates/cffi-py/src/cdata/access.rs",
        1,
        "a C pointer's item outside the memory known here (p[-1], p[i] past a buffer)",
    ),
    (
        "crates/cffi-py/src/lib_obj/mod.rs",
        1,
        "a global variable at its symbol's address",
    ),
    (
        "crates/cffi-py/src/callback/mod.rs",
        4,
        "libffi's argument and result buffers; an extern \"Python\" call's slot buffer \
         and the addresses in its slots",
    ),
    (
        "crates/cffi-py/src/capi/exports.rs",
        5,
        "the addresses generated wrappers pass the export table (values, outputs, temporaries)",
    ),
    (
        "crates/cffi-py/src/capi/extern_python.rs",
        1,
        "an extern \"Python\" call's result, zero-filled when nothing is attached",
    ),
    (
        "crates/cffi-py/src/capi/api_lib.rs",
        2,
        "an API module's global variable at the address its table or accessor gives",
    ),
    (
        "crates/cffi-py/src/buffer/mod.rs",
        3,
        "ffi.buffer's size and ffi.memmove's count, given by the user",
    ),
    (
        "crates/cffi-py/src/object/held_buffer.rs",
        1,
        "the bytes of a Py_buffer",
    ),
];

/// What counts as vouching for memory in `cffi-py` (see [`VOUCH_POINTS`]).
pub const VOUCHES: &[&str] = &[
    "Region::new(",
    "Region::open(",
    "memory::bytes(",
    "memory::copy(",
    "memory::zero(",
    "memory::load(",
    "memory::store(",
    "memory::write_bytes(",
    "memory::load_as",
    "memory::units_before_nul(",
    "raw::",
];

/// The raw pointer operations that only `ffi-runtime` and the `cpython/`
/// files of `cffi-py` may use: everywhere else in `cffi-py`, C memory is
/// reached through `ffi_runtime::memory`.
pub const RAW_POINTER_OPS: &[&str] = &[
    "ptr::copy",
    "copy_nonoverlapping",
    "from_raw_parts",
    "read_unaligned",
    "write_unaligned",
    "ptr::read",
    "ptr::write",
    "transmute",
];

/// Where [`RAW_POINTER_OPS`] may appear inside `crates/cffi-py/src`.
pub const RAW_POINTER_ALLOWED: &[&str] = &[
    "crates/cffi-py/src/cpython/",
    // A cdata object's tail (written once when the object is made, read
    // and dropped in place as its word says).
    "crates/cffi-py/src/object/layout.rs",
    "crates/cffi-py/src/object/make.rs",
    // An API module's static tables and function pointers (transmuted
    // from the addresses its tables give).
    "crates/cffi-py/src/capi/",
];

/// The longest a source file may be: one that is longer is doing more
/// than one thing.
pub const LINE_BUDGET: usize = 800;

/// Files allowed past [`LINE_BUDGET`], each with a ceiling (its length
/// when it was listed, so it can only shrink) and the reason. None today:
/// add one only with a reason a reviewer accepts.
pub const LINE_BUDGET_EXCEPTIONS: &[(&str, usize, &str)] = &[];

/// Top-level modules of `crates/cffi-py/src` allowed to be in an import
/// cycle with another (none: the modules form layers, bottom first in
/// `lib.rs`). The files inside one folder are one module and may refer to
/// each other: `mod.rs` re-exports its files, which use what it defines.
pub const CYCLE_EXCEPTIONS: &[&str] = &[];
