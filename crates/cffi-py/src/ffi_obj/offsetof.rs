//! `ffi.offsetof()` and `ffi.addressof()`'s path walk.

use crate::types::registry;
use crate::types::CType;
use pyo3::exceptions::{PyKeyError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};

/// Walks `fields` (names and indexes) from `ct` as `offsetof` does: the
/// type reached and its byte offset (the model's
/// [`ctypes_model::PathWalk`]). A first name steps through a pointer.
pub(crate) fn type_offset(
    py: Python<'_>,
    ct: Py<CType>,
    fields: &Bound<'_, PyTuple>,
) -> PyResult<(Py<CType>, i128)> {
    let mut walk = ctypes_model::PathWalk::new(ct.get().id);
    for key in fields.iter() {
        // One key at a time, in order: converting a key may fail or run
        // Python code, so the registry is locked only for the step itself.
        let done = if let Ok(name) = key.cast::<PyString>() {
            let name = name.to_cow()?;
            // As field access does, build the ctypes of all the record's
            // fields first: one that cannot be built fails here too (cffi
            // builds them when it completes the struct).
            let record = walk.record_for_name(&registry::lock().types);
            if let Some(record) = record {
                let record = registry::ctype_for(py, record)?;
                crate::types::fields(py, record.get())?;
            }
            let step = ctypes_model::PathStep::Name(&name);
            walk.step(&registry::lock().types, step)
        } else if let Ok(index) = key.extract::<i64>() {
            let step = ctypes_model::PathStep::Index(index);
            walk.step(&registry::lock().types, step)
        } else {
            return Err(PyTypeError::new_err("field name or array index expected"));
        };
        done.map_err(|e| match e {
            ctypes_model::PathError::NoField(name) => PyKeyError::new_err(name),
            other => PyTypeError::new_err(other.to_string()),
        })?;
    }
    let target = if walk.ty() == ct.get().id {
        ct
    } else {
        registry::ctype_for(py, walk.ty())?
    };
    Ok((target, walk.offset()))
}
