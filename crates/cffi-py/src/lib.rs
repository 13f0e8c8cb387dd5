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

mod backend;
mod buffer;
mod callback;
mod cdata;
mod convert;
mod ctype;
mod errors;
mod fastnew;
mod ffi;
mod file;
mod fncall;
mod iter;
mod library;
mod memory;
mod pressure;
mod registry;
mod value;

pub use cdata::CData;
pub use ctype::CType;
pub use ffi::Ffi;
pub use library::CLibrary;

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
        ("vectorcall", fncall::installed(py)),
        ("cdata_alloc", Some(fastnew::available(py))),
    ]
}

/// The `_cffi_backend` module.
#[pymodule]
fn _cffi_backend(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", CFFI_VERSION)?;
    m.add(
        "__implementation__",
        concat!("cffi-py ", env!("CARGO_PKG_VERSION")),
    )?;
    m.add_class::<CType>()?;
    m.add_class::<CData>()?;
    m.add_class::<cdata::CDataOwn>()?;
    m.add_class::<cdata::CDataGcp>()?;
    m.add_class::<cdata::CDataOwnGc>()?;
    m.add_class::<cdata::CDataFromBuf>()?;
    m.add_class::<Ffi>()?;
    m.add_class::<CLibrary>()?;
    m.add_class::<ctype::CField>()?;
    backend::register(m)?;
    m.add_function(wrap_pyfunction!(_fast_paths, m)?)?;
    Ok(())
}
