//! Python's own attribute assignment, for a class that takes over
//! `__setattr__` and falls back to the default.

use pyo3::prelude::*;
use pyo3::types::PyString;

/// `object.__setattr__(obj, name, value)`, or `object.__delattr__(obj,
/// name)` for `None`.
pub fn generic_setattr(
    obj: &Bound<'_, PyAny>,
    name: &Bound<'_, PyString>,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let value = value.map_or(std::ptr::null_mut(), Bound::as_ptr);
    // SAFETY: `obj` and `name` are live objects and `value` is a live object
    // or NULL (delete); the call returns -1 with an exception set on failure.
    let rc = unsafe { pyo3::ffi::PyObject_GenericSetAttr(obj.as_ptr(), name.as_ptr(), value) };
    if rc < 0 {
        return Err(PyErr::fetch(obj.py()));
    }
    Ok(())
}
