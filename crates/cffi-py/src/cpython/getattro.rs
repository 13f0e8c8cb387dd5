//! A faster attribute lookup for a PyO3 class that defines `__getattr__`
//! and caches what it computes in the instance dict (the `Lib` objects).
//!
//! PyO3 makes such a class's `tp_getattro` a wrapper that runs Python's
//! generic lookup and, when that fails, the class's `__getattr__`; the
//! wrapper itself (PyO3's trampoline) costs more than the dict lookup that
//! answers almost every call. [`install`] puts in front of it an entry
//! that runs the generic lookup directly and reaches PyO3's wrapper only
//! on a miss. Like `vectorcall.rs`, it writes the type object only after
//! checking, through the public API, that its head is laid out as
//! expected; otherwise nothing changes.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::PyClass;
use std::ffi::c_ulong;
use std::sync::OnceLock;

/// CPython's `getattrofunc`.
type GetAttro = unsafe extern "C" fn(*mut ffi::PyObject, *mut ffi::PyObject) -> *mut ffi::PyObject;

/// PyO3's own `tp_getattro` of the class, called on a miss.
static FALLBACK: OnceLock<GetAttro> = OnceLock::new();

/// The entry installed in front of PyO3's: the generic lookup (type
/// attributes, then the instance dict), then PyO3's wrapper.
unsafe extern "C" fn getattro(
    obj: *mut ffi::PyObject,
    name: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: CPython calls this with the GIL held and live `obj` and
    // `name`; the generic lookup returns a new reference or NULL with an
    // exception set.
    unsafe {
        let found = ffi::PyObject_GenericGetAttr(obj, name);
        if !found.is_null() {
            return found;
        }
        match FALLBACK.get() {
            Some(fallback) if ffi::PyErr_ExceptionMatches(ffi::PyExc_AttributeError) != 0 => {
                ffi::PyErr_Clear();
                fallback(obj, name)
            }
            _ => std::ptr::null_mut(),
        }
    }
}

/// Whether [`install`] installed the entry.
pub fn installed() -> bool {
    FALLBACK.get().is_some()
}

/// Installs [`getattro`] on `T`'s type, keeping PyO3's `tp_getattro` as
/// the fallback, if the type's head is where `vectorcall::TypeHead` says.
/// Returns whether it did. For one class only (the fallback is global).
pub fn install<T: PyClass>(py: Python<'_>) -> PyResult<bool> {
    let ty = py.get_type::<T>();
    let basicsize: isize = ty.getattr("__basicsize__")?.extract()?;
    let flags: c_ulong = ty.getattr("__flags__")?.extract()?;
    let tp = T::type_object_raw(py);
    // SAFETY: as in `vectorcall::install`: the head is read only to compare
    // it with what CPython reports, and written only when all agree; the
    // GIL is held.
    unsafe {
        let head = tp.cast::<super::vectorcall::TypeHead>();
        let current = ffi::PyType_GetSlot(tp, ffi::Py_tp_getattro);
        if (*head).tp_basicsize != basicsize
            || (*head).tp_flags != flags
            || current.is_null()
            || (*head).tp_getattro != current
        {
            return Ok(false);
        }
        let fallback: GetAttro = std::mem::transmute::<*mut std::ffi::c_void, GetAttro>(current);
        if FALLBACK.set(fallback).is_err() {
            return Ok(false);
        }
        (*head).tp_getattro = getattro as *mut std::ffi::c_void;
        ffi::PyType_Modified(tp);
    }
    Ok(true)
}
