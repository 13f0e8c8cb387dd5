//! `cffi-py` is the Python face of cffi-py: the native module
//! `_cffi_backend` (this crate, built by maturin) and the thin `cffi`
//! package beside it (`cffi`).
//!
//! The module converts and delegates: parsing is `cdef-parse`'s, types are
//! `ctypes-model`'s, loading and calling are `ffi-runtime`'s. What lives
//! here is every Python-visible object ([`CType`], [`CData`], [`Ffi`],
//! [`CLibrary`]) and the conversions between Python values and C values.
//!
//! From Python:
//!
//! ```python
//! import cffi
//! ffi = cffi.FFI()
//! ffi.cdef("int abs(int);")
//! C = ffi.dlopen(None)
//! assert C.abs(-5) == 5
//! ```

// The modules, bottom layer first: each imports only from those above it
// in this list (`cargo xtask tidy` checks that there is no cycle).
mod backend;
mod buffer;
mod call;
mod callback;
mod capi;
mod cdata;
mod convert;
mod cpython;
mod errors;
mod ffi_obj;
mod lib_obj;
mod object;
mod types;

pub use ffi_obj::Ffi;
pub use lib_obj::CLibrary;
pub use object::CData;
pub use types::CType;

use pyo3::prelude::*;

/// The cffi API level this module implements.
pub const CFFI_VERSION: &str = "2.0.0";

/// `_cffi_backend._fast_paths()`: which of the layout-dependent speed-ups
/// this interpreter took (each falls back to PyO3's generic path on an
/// interpreter or PyO3 laid out otherwise; `None`: not decided yet), as
/// `(name, taken)` pairs; for tests and diagnosis.
#[pyfunction]
fn _fast_paths(py: Python<'_>) -> Vec<(&'static str, Option<bool>)> {
    vec![
        ("vectorcall", object::vectorcall_installed(py)),
        ("cdata_layout", Some(object::layout_ready(py))),
        ("lib_getattro", Some(cpython::getattro::installed())),
        ("cdata_getattro", Some(cpython::getattro::fast_installed())),
        (
            "cdata_setattro",
            Some(cpython::getattro::fast_set_installed()),
        ),
        ("gc_finalize", Some(cpython::finalize::installed())),
        (
            "buffer_vectorcall",
            Some(BUFFER_VECTORCALL.load(std::sync::atomic::Ordering::Relaxed)),
        ),
        (
            "cast_method",
            Some(CAST_METHOD.load(std::sync::atomic::Ordering::Relaxed)),
        ),
        (
            "cdata_subscript",
            Some(CDATA_SUBSCRIPT.load(std::sync::atomic::Ordering::Relaxed)),
        ),
    ]
}

/// Whether integer items of every cdata class skip PyO3's entry.
static CDATA_SUBSCRIPT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether `ffi.cast(...)` skips PyO3's argument parsing.
static CAST_METHOD: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether `ffi.buffer(...)` calls skip `type`'s `tp_call`.
static BUFFER_VECTORCALL: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Op names and numbers, primitive names and numbers.
type Numbering = (Vec<(&'static str, u8)>, Vec<(&'static str, i32)>);

/// `_cffi_backend._opcodes()`: `(ops, primitives)`, the numbering of the
/// type tables as `(name, number)` pairs (`"OP_POINTER"`, `"int"`...),
/// for `cffi.cffi_opcode`; type-context's one table.
#[pyfunction]
fn _opcodes() -> Numbering {
    let prims = type_context::op::primitive_numbers()
        .map(|(p, n)| (p.name(), n))
        .collect();
    (type_context::op::op_names().collect(), prims)
}

/// The `_cffi_backend` module.
#[pymodule]
fn _cffi_backend(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // Function pointers carry the call layer's entry (see object::func).
    object::set_call_entry(call::entry());
    cpython::foreign_thread::remember_interpreter(m.py());
    m.add("__version__", CFFI_VERSION)?;
    m.add(
        "__implementation__",
        concat!("cffi-py ", env!("CARGO_PKG_VERSION")),
    )?;
    m.add_class::<CType>()?;
    m.add_class::<CData>()?;
    m.add_class::<object::CDataOwn>()?;
    m.add_class::<object::CDataGcp>()?;
    // ffi.gc() destructors run before a garbage cycle is torn down.
    cpython::finalize::install::<object::CDataGcp>(m.py(), object::gc_finalize);
    m.add_class::<object::CDataOwnGc>()?;
    m.add_class::<object::CDataFromBuf>()?;
    m.add_class::<object::CDataRef>()?;
    // Before any cdata exists: the compact layout (plain base classes).
    object::init_layout(m.py())?;
    // Field reads and number-field writes skip PyO3's entries; each
    // cdata class has its own copy of the slots.
    {
        use cpython::getattro::{fast_set_entry, install_fast, install_fast_set};
        let py = m.py();
        install_fast::<CData, CData>(py)?;
        install_fast::<CData, object::CDataOwn>(py)?;
        install_fast::<CData, object::CDataGcp>(py)?;
        install_fast::<CData, object::CDataOwnGc>(py)?;
        install_fast::<CData, object::CDataFromBuf>(py)?;
        install_fast::<CData, object::CDataRef>(py)?;
        // Writes: all six classes or none, each checked first (see
        // `fast_set_entry`).
        let entries = [
            fast_set_entry::<CData>(py)?,
            fast_set_entry::<object::CDataOwn>(py)?,
            fast_set_entry::<object::CDataGcp>(py)?,
            fast_set_entry::<object::CDataOwnGc>(py)?,
            fast_set_entry::<object::CDataFromBuf>(py)?,
            fast_set_entry::<object::CDataRef>(py)?,
        ];
        if entries[0].is_some() && entries.iter().all(|e| *e == entries[0]) {
            install_fast_set::<CData, CData>(py)?;
            install_fast_set::<CData, object::CDataOwn>(py)?;
            install_fast_set::<CData, object::CDataGcp>(py)?;
            install_fast_set::<CData, object::CDataOwnGc>(py)?;
            install_fast_set::<CData, object::CDataFromBuf>(py)?;
            install_fast_set::<CData, object::CDataRef>(py)?;
        }
        // Integer items skip PyO3's `__getitem__` entry.
        let items = [
            cpython::subscript::install::<CData, CData>(py)?,
            cpython::subscript::install::<CData, object::CDataOwn>(py)?,
            cpython::subscript::install::<CData, object::CDataGcp>(py)?,
            cpython::subscript::install::<CData, object::CDataOwnGc>(py)?,
            cpython::subscript::install::<CData, object::CDataFromBuf>(py)?,
            cpython::subscript::install::<CData, object::CDataRef>(py)?,
        ];
        CDATA_SUBSCRIPT.store(
            items.iter().all(|&i| i),
            std::sync::atomic::Ordering::Relaxed,
        );
    }
    // `ffi.buffer(p, n)` without an argument tuple.
    let buffer_vectorcall =
        cpython::vectorcall::install_constructor::<buffer::Buffer, buffer::Construct>(m.py())?;
    BUFFER_VECTORCALL.store(buffer_vectorcall, std::sync::atomic::Ordering::Relaxed);
    m.add_class::<Ffi>()?;
    // `ffi.cast(cdecl, value)` without PyO3's argument parsing.
    let cast_method = cpython::method::install::<ffi_obj::CastMethod>(m.py())?;
    CAST_METHOD.store(cast_method, std::sync::atomic::Ordering::Relaxed);
    m.add_class::<CLibrary>()?;
    m.add_class::<types::CField>()?;
    m.add_class::<ffi_obj::Lib>()?;
    // Lookups of what a lib has cached skip PyO3's `__getattr__` wrapper.
    cpython::getattro::install::<ffi_obj::Lib>(m.py(), ffi_obj::Lib::lookup_c_name)?;
    m.add_class::<lib_obj::GlobSupport>()?;
    m.add("__CData_iterator", cdata::iterator_type(m.py())?)?;
    backend::register(m)?;
    m.add_function(wrap_pyfunction!(capi::_init_cffi_1_0_external_module, m)?)?;
    m.add_function(wrap_pyfunction!(capi::_panic_in_next_export, m)?)?;
    m.add_function(wrap_pyfunction!(types::collect::_type_stats, m)?)?;
    m.add_function(wrap_pyfunction!(types::collect::_collect_types, m)?)?;
    capi::add_capsule(m)?;
    convert::set_builtin_hook(capi::builtin_as_cdata);
    m.add_function(wrap_pyfunction!(_fast_paths, m)?)?;
    m.add_function(wrap_pyfunction!(_opcodes, m)?)?;
    Ok(())
}
