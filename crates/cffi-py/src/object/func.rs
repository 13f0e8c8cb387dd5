//! Function-pointer cdata: objects of [`CDataFunc`], a Rust subclass of
//! `_CDataBase` (also named `_CDataBase`, as cffi's type for them is)
//! whose instances carry a vectorcall entry (`cpython::vectorcall`), so
//! the interpreter hands a call the arguments as the array it already has,
//! as it does for cffi's API-mode functions (F-07.01).
//!
//! The entry is the call layer's (`crate::call`, above this one): the
//! module's initialization registers it with [`set_call_entry`] before any
//! cdata exists.

use super::CData;
use crate::cpython::vectorcall::{self, Entry};
use pyo3::exceptions::PySystemError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use std::sync::OnceLock;

/// The entry every function pointer carries (set once, at module init).
static CALL_ENTRY: OnceLock<Entry> = OnceLock::new();

/// Registers the call layer's vectorcall entry; later calls are ignored.
pub fn set_call_entry(entry: Entry) {
    let _ = CALL_ENTRY.set(entry);
}

/// Function pointers: `_CDataBase` with a vectorcall entry.
#[pyclass(frozen, extends = CData, module = "_cffi_backend", name = "_CDataBase")]
pub struct CDataFunc {
    /// Read by CPython at the type's `tp_vectorcall_offset`.
    entry: Entry,
}

/// Whether the vectorcall entry was installed (decided once).
static INSTALLED: PyOnceLock<bool> = PyOnceLock::new();

/// The Python object for a function-pointer cdata.
pub fn wrap(py: Python<'_>, cdata: CData) -> PyResult<Py<CData>> {
    let Some(&entry) = CALL_ENTRY.get() else {
        return Err(PySystemError::new_err("_cffi_backend is not initialized"));
    };
    let obj = Bound::new(
        py,
        PyClassInitializer::from(cdata).add_subclass(CDataFunc { entry }),
    )?;
    INSTALLED.get_or_init(py, || {
        vectorcall::install(&obj, &obj.get().entry).unwrap_or(false)
    });
    Ok(obj.into_super().unbind())
}

/// Whether the vectorcall entry is installed; `None` before the first
/// function pointer was made (which decides).
pub fn vectorcall_installed(py: Python<'_>) -> Option<bool> {
    INSTALLED.get(py).copied()
}
