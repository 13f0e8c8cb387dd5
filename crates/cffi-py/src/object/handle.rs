//! `ffi.new_handle()` and `ffi.from_handle()`: Python objects behind
//! `void *` values.

use super::CData;
use crate::types::registry;
use crate::types::Kind;
use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;

/// The live handles: unique address to object (F-03.86..F-03.88).
/// The object is held by its `Handle` (in the handle cdata), not by the
/// map, so an object that holds its own handle is a plain cycle the
/// collector frees (F-03.89).
type HandleMap = std::collections::HashMap<usize, usize>;
static HANDLES: std::sync::LazyLock<std::sync::Mutex<HandleMap>> =
    std::sync::LazyLock::new(Default::default);

/// One handle: a one-byte allocation gives it an address no other live
/// handle has; dropping it forgets the mapping.
pub struct Handle {
    token: Box<u8>,
    pub(crate) obj: Py<PyAny>,
}

impl Handle {
    /// A new handle to `obj`, registered for `ffi.from_handle()`.
    pub fn new(obj: Py<PyAny>) -> Handle {
        let token = Box::new(0u8);
        let addr = std::ptr::from_ref(&*token) as usize;
        registry::locked(&HANDLES).insert(addr, obj.as_ptr() as usize);
        Handle { token, obj }
    }

    /// The handle's `void *` value.
    pub fn addr(&self) -> usize {
        std::ptr::from_ref(&*self.token) as usize
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        registry::locked(&HANDLES).remove(&self.addr());
    }
}

/// `ffi.from_handle(p)`: the object of the live handle whose value `p` is.
pub fn from_handle(py: Python<'_>, p: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let Ok(cd) = p.cast::<CData>() else {
        return Err(PyTypeError::new_err("expected a 'cdata' object"));
    };
    let cd = cd.get();
    let ct = cd.ctype.get();
    let ok_type = match &ct.kind {
        Kind::Pointer { item } => matches!(
            item.get().kind,
            Kind::Void | Kind::Primitive(ctypes_model::Primitive::Char)
        ),
        _ => false,
    };
    if !ok_type {
        return Err(PyTypeError::new_err(format!(
            "expected a 'cdata' object with a 'void *' out of new_handle(), got '{}'",
            ct.cname
        )));
    }
    if cd.addr() == 0 {
        return Err(PyRuntimeError::new_err(
            "cannot use from_handle() on NULL pointer",
        ));
    }
    let handles = registry::locked(&HANDLES);
    match handles.get(&cd.addr()) {
        Some(&obj) => {
            let obj = obj as *mut pyo3::ffi::PyObject;
            // SAFETY: an entry exists only while its `Handle` holds a
            // strong reference to the object, and `Handle::drop` removes
            // the entry (under this lock, which is held here) before that
            // reference goes; so the object is alive while the new
            // reference is taken.
            let obj = unsafe { Bound::from_borrowed_ptr(py, obj) };
            Ok(obj.unbind())
        }
        None => Err(PyRuntimeError::new_err(format!(
            "cdata '{}' {:#x} is not a live handle from ffi.new_handle()",
            ct.cname,
            cd.addr()
        ))),
    }
}

/// A new handle cdata of type `ctype` (`void *`) for `obj` (F-03.86).
pub fn new_handle(
    py: Python<'_>,
    ctype: Py<crate::types::CType>,
    obj: Py<PyAny>,
) -> PyResult<Py<CData>> {
    let handle = Handle::new(obj);
    let addr = handle.addr();
    CData::reference(ctype, addr, 0, super::Owner::Handle(handle)).wrap(py)
}
