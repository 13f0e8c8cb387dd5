//! Making plain `_CDataBase` objects without PyO3's initializer.
//!
//! `Py::new` reaches the allocator through `object.__new__` (looked up
//! as a slot, called with an empty tuple), then moves the value in: about
//! a third of the cost of a call returning a pointer, and of each pointer
//! a callback receives. Here the type's own `tp_alloc` is called and the
//! value written where PyO3 keeps it, which is learnt once from an object
//! PyO3 made. That layout — the value, then the weak-reference slot, then
//! the end of the object; PyO3's other per-object fields are empty for a
//! frozen, `Send` class without `__dict__` — is checked against what the
//! type reports (`__weakrefoffset__`, `__basicsize__`); where it differs
//! (another PyO3), objects are made by `Py::new` as before.

use crate::cdata::CData;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::PyTypeInfo;

/// Where a `_CDataBase` object keeps its value, and how it is allocated.
struct Maker {
    alloc: ffi::allocfunc,
    offset: usize,
}

static MAKER: PyOnceLock<Option<Maker>> = PyOnceLock::new();

/// The maker, after checking the layout once.
fn maker(py: Python<'_>) -> Option<&Maker> {
    MAKER.get_or_init(py, || probe(py).ok().flatten()).as_ref()
}

/// Learns the layout from an object made by PyO3.
fn probe(py: Python<'_>) -> PyResult<Option<Maker>> {
    let probe = Py::new(py, CData::pointer(crate::registry::void_pointer(py)?, 0))?;
    let probe = probe.bind(py);
    let offset = (std::ptr::from_ref(probe.get()) as usize).wrapping_sub(probe.as_ptr() as usize);
    let ty = probe.get_type();
    let basicsize: usize = ty.getattr("__basicsize__")?.extract()?;
    let weakrefoffset: usize = ty.getattr("__weakrefoffset__")?.extract()?;
    let word = size_of::<*mut ffi::PyObject>();
    if offset < size_of::<ffi::PyObject>()
        || weakrefoffset != offset + size_of::<CData>()
        || basicsize != weakrefoffset + word
    {
        return Ok(None);
    }
    // SAFETY: a live type object; the slot is read, not called.
    let alloc = unsafe { ffi::PyType_GetSlot(CData::type_object_raw(py), ffi::Py_tp_alloc) };
    if alloc.is_null() {
        return Ok(None);
    }
    // SAFETY: the `Py_tp_alloc` slot holds an `allocfunc`.
    let alloc = unsafe { std::mem::transmute::<*mut std::ffi::c_void, ffi::allocfunc>(alloc) };
    Ok(Some(Maker { alloc, offset }))
}

/// Whether objects are made here (the layout check passed).
pub fn available(py: Python<'_>) -> bool {
    maker(py).is_some()
}

/// A new `_CDataBase` object holding `cd`.
pub fn new_cdata(py: Python<'_>, cd: CData) -> PyResult<Py<CData>> {
    let Some(m) = maker(py) else {
        return Py::new(py, cd);
    };
    // SAFETY: `tp_alloc` returns a new, zeroed object of the type's basic
    // size with its header set (or NULL with an exception set). The value
    // is moved to where the probe found PyO3 keeps it; the weak-reference
    // slot after it stays NULL, as PyO3 leaves it; PyO3's deallocator
    // later drops the value from there, as for objects it made.
    unsafe {
        let obj = (m.alloc)(CData::type_object_raw(py), 0);
        if obj.is_null() {
            return Err(PyErr::fetch(py));
        }
        obj.byte_add(m.offset).cast::<CData>().write(cd);
        Ok(Bound::from_owned_ptr(py, obj)
            .cast_into_unchecked::<CData>()
            .unbind())
    }
}
