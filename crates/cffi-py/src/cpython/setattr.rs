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
        let err = PyErr::fetch(obj.py());
        return Err(as_generic_says(obj, name, err));
    }
    Ok(())
}

/// The error of setting (or deleting) an unknown attribute as CPython
/// words it for a class whose `tp_setattro` is the generic one (as the
/// original's is): since 3.13 it adds that there is no `__dict__`, which
/// it leaves out when a class has its own `tp_setattro`, as ours does
/// (`__delattr__` needs one). Any other error is `err` itself.
fn as_generic_says(obj: &Bound<'_, PyAny>, name: &Bound<'_, PyString>, err: PyErr) -> PyErr {
    let py = obj.py();
    if py.version_info() < (3, 13) || !err.is_instance_of::<pyo3::exceptions::PyAttributeError>(py)
    {
        return err;
    }
    let Ok(message) = err
        .value(py)
        .str()
        .and_then(|m| m.to_cow().map(std::borrow::Cow::into_owned))
    else {
        return err;
    };
    // CPython's own words for that case, without the ending.
    if !(message.starts_with('\'')
        && message.ends_with(&format!("' object has no attribute '{name}'")))
    {
        return err;
    }
    let longer = pyo3::exceptions::PyAttributeError::new_err(format!(
        "{message} and no __dict__ for setting new attributes"
    ));
    // The attributes CPython sets on the error it raises.
    let value = longer.value(py);
    let _ = value.setattr("name", name);
    let _ = value.setattr("obj", obj);
    longer
}
