//! `obj[key]` answered first by a class's own hook, without PyO3's
//! trampoline.
//!
//! PyO3 makes a class's `__getitem__` its `mp_subscript` slot through a
//! trampoline (the GIL count in a thread-local, the pool of deferred
//! references, panic catching) that costs about as much as reading an
//! integer item itself. [`install`] puts in front of it an entry that asks
//! the class's [`FastSubscript`] hook first and reaches PyO3's entry only
//! when the hook declines. As in `getattro.rs`, the type object is
//! written only after checking, through the public API, that the slot is
//! where expected; otherwise nothing changes.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::PyClass;
use std::ffi::c_void;
use std::sync::OnceLock;

/// CPython's `binaryfunc`, the type of `mp_subscript`.
type Subscript = unsafe extern "C" fn(*mut ffi::PyObject, *mut ffi::PyObject) -> *mut ffi::PyObject;

/// A class whose items are mostly read by [`fast_getitem`]: the item, or
/// `None` to let PyO3's entry do the whole read (and raise what it
/// raises). The hook must not drop a `Py` (no PyO3 trampoline marks the
/// thread as holding the GIL here, so the reference would wait in PyO3's
/// pool): it works with `Bound`s.
///
/// [`fast_getitem`]: FastSubscript::fast_getitem
pub trait FastSubscript: PyClass {
    fn fast_getitem(slf: &Bound<'_, Self>, key: &Bound<'_, PyAny>) -> Option<PyResult<Py<PyAny>>>;
}

/// PyO3's `mp_subscript` of the classes [`install`] took (one function,
/// inherited by the subclasses).
static FALLBACK: OnceLock<Subscript> = OnceLock::new();

/// The start of CPython's `PyMappingMethods` (stable since 3.0).
#[repr(C)]
struct MappingHead {
    mp_length: *mut c_void,
    mp_subscript: *mut c_void,
}

/// The entry [`install`] installs.
unsafe extern "C" fn subscript<T: FastSubscript>(
    obj: *mut ffi::PyObject,
    key: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: CPython calls this with the GIL held, `obj` an instance of
    // a class this entry was installed on (all of them `T` or a subclass
    // of it) and `key` live, both borrowed for the call.
    let (py, slf, key) = unsafe {
        let py = Python::assume_attached();
        (
            py,
            Borrowed::from_ptr(py, obj).cast_unchecked::<T>(),
            Borrowed::from_ptr(py, key),
        )
    };
    if let Some(ptr) = super::guarded(py, "an item read", || T::fast_getitem(&slf, &key)) {
        return ptr;
    }
    match FALLBACK.get() {
        // SAFETY: PyO3's entry of this type, called as CPython calls it.
        Some(fallback) => unsafe { fallback(obj, key.as_ptr()) },
        None => {
            pyo3::exceptions::PySystemError::new_err("item read without its entry").restore(py);
            std::ptr::null_mut()
        }
    }
}

/// Installs `T`'s item hook on the type `S` (`T` or a subclass), if its
/// type head is where `vectorcall::TypeHead` says, its mapping methods
/// hold the `mp_length` and `mp_subscript` CPython reports, and that
/// `mp_subscript` is the one PyO3 gave the other classes installed on.
/// Returns whether it did.
pub fn install<T: FastSubscript, S: PyClass>(py: Python<'_>) -> PyResult<bool> {
    let read = |h: &super::vectorcall::TypeHead| h.tp_getattro;
    let Some(head) = super::vectorcall::checked_head::<S>(py, ffi::Py_tp_getattro, read)? else {
        return Ok(false);
    };
    let tp = S::type_object_raw(py);
    // SAFETY: `checked_head` found the head laid out as `TypeHead` says;
    // a heap type's `tp_as_mapping` points to the mapping methods inside
    // its own object, whose first two slots are compared with what
    // CPython reports before the second is written, with the GIL held.
    unsafe {
        let mapping = (*head).tp_as_mapping.cast::<MappingHead>();
        if mapping.is_null() {
            return Ok(false);
        }
        let length = ffi::PyType_GetSlot(tp, ffi::Py_mp_length);
        let found = ffi::PyType_GetSlot(tp, ffi::Py_mp_subscript);
        if found.is_null() || (*mapping).mp_subscript != found || (*mapping).mp_length != length {
            return Ok(false);
        }
        let found = std::mem::transmute::<*mut c_void, Subscript>(found);
        if *FALLBACK.get_or_init(|| found) as usize != found as usize {
            return Ok(false);
        }
        (*mapping).mp_subscript = subscript::<T> as *mut c_void;
        ffi::PyType_Modified(tp);
    }
    Ok(true)
}
