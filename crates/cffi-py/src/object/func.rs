//! Function-pointer cdata: plain `_CDataBase` objects whose `call` field
//! holds a vectorcall entry (`cpython::vectorcall`, installed on the type
//! once), so the interpreter hands a call the arguments as the array it
//! already has, as it does for cffi's API-mode functions (F-07.01).
//!
//! The entry is the call layer's (`crate::call`, above this one): the
//! module's initialization registers it with [`set_call_entry`] before any
//! cdata exists.

use super::CData;
use crate::cpython::vectorcall::{self, Entry};
use crate::types::CType;
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

/// Whether the vectorcall entry was installed (decided once).
static INSTALLED: PyOnceLock<bool> = PyOnceLock::new();

/// The Python object for a function-pointer cdata: a plain `_CDataBase`,
/// as in cffi (`type(lib.f) is ffi.CData`), whose instances carry the
/// call entry in their word (see `layout`): the function at `addr`.
pub fn wrap(py: Python<'_>, ctype: Py<CType>, addr: usize) -> PyResult<Py<CData>> {
    let Some(&entry) = CALL_ENTRY.get() else {
        return Err(PySystemError::new_err("_cffi_backend is not initialized"));
    };
    let obj = super::make::make_bare(py, ctype, addr, entry as usize)?;
    INSTALLED.get_or_init(py, || {
        let bound = obj.bind(py);
        vectorcall::install(bound, bound.get().call_word()).unwrap_or(false)
    });
    Ok(obj)
}

/// Whether the vectorcall entry is installed; `None` before the first
/// function pointer was made (which decides).
pub fn vectorcall_installed(py: Python<'_>) -> Option<bool> {
    INSTALLED.get(py).copied()
}
