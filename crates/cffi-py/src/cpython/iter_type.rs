//! Iterator types made by hand with `PyType_FromSpec` rather than as PyO3
//! classes: a step is then one direct C call from the interpreter's loop
//! instead of going through PyO3's trampoline (which cost about a third of
//! each step of an array iteration; `cargo xtask bench cdata`, row
//! `iter_int_1000`).

use pyo3::exceptions::PySystemError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use std::ffi::{c_int, c_uint, c_void, CStr};
use std::marker::PhantomData;
use std::mem::ManuallyDrop;

/// The state of one iterator and its step.
pub trait Step: Sized + Send + Sync + 'static {
    /// The next item, or `None` at the end (and at every call after it).
    fn next(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>>;

    /// Drops the state with the thread attached: its references are
    /// released now (`Py::drop_ref`), not deferred.
    fn drop_attached(self, py: Python<'_>);
}

/// An iterator type whose instances hold an `S`; made on first use.
pub struct IterType<S> {
    name: &'static CStr,
    tp: PyOnceLock<Py<PyType>>,
    _state: PhantomData<fn(S) -> S>,
}

/// The object's memory: a Python object header, then the state.
#[repr(C)]
struct RawIter<S> {
    ob_base: ffi::PyObject,
    state: ManuallyDrop<S>,
}

impl<S: Step> IterType<S> {
    /// The type named `name` (`module.Name`), not made yet.
    pub const fn new(name: &'static CStr) -> IterType<S> {
        IterType {
            name,
            tp: PyOnceLock::new(),
            _state: PhantomData,
        }
    }

    /// The type object, created on first use.
    pub fn type_object<'py>(&'py self, py: Python<'py>) -> PyResult<&'py Bound<'py, PyType>> {
        self.tp
            .get_or_try_init(py, || {
                let mut slots = [
                    ffi::PyType_Slot {
                        slot: ffi::Py_tp_iter,
                        pfunc: ffi::PyObject_SelfIter as *mut c_void,
                    },
                    ffi::PyType_Slot {
                        slot: ffi::Py_tp_iternext,
                        pfunc: iternext::<S> as *mut c_void,
                    },
                    ffi::PyType_Slot {
                        slot: ffi::Py_tp_dealloc,
                        pfunc: dealloc::<S> as *mut c_void,
                    },
                    ffi::PyType_Slot {
                        slot: 0,
                        pfunc: std::ptr::null_mut(),
                    },
                ];
                let mut spec = ffi::PyType_Spec {
                    name: self.name.as_ptr(),
                    basicsize: std::mem::size_of::<RawIter<S>>() as c_int,
                    itemsize: 0,
                    flags: (ffi::Py_TPFLAGS_DEFAULT
                        | ffi::Py_TPFLAGS_IMMUTABLETYPE
                        | ffi::Py_TPFLAGS_DISALLOW_INSTANTIATION)
                        as c_uint,
                    slots: slots.as_mut_ptr(),
                };
                // SAFETY: the spec and its slots are valid for the call
                // (CPython copies what it keeps; the name is static). The
                // result is a new reference or NULL with an exception set.
                let tp = unsafe {
                    Bound::from_owned_ptr_or_err(py, ffi::PyType_FromSpec(&raw mut spec))
                }?;
                Ok(tp.cast_into::<PyType>()?.unbind())
            })
            .map(|t| t.bind(py))
    }

    /// A new iterator holding `state`.
    pub fn make(&'static self, py: Python<'_>, state: S) -> PyResult<Py<PyAny>> {
        let tp = self.type_object(py)?;
        // SAFETY: `tp` is this type, whose basic size is that of
        // `RawIter<S>`; `PyType_GenericAlloc` returns zeroed memory with the
        // header set (and a reference to the type taken), or NULL with an
        // exception. The state is written once before the object is used.
        unsafe {
            let obj = ffi::PyType_GenericAlloc(tp.as_ptr().cast(), 0);
            let obj = match Bound::from_owned_ptr_or_err(py, obj) {
                Ok(obj) => obj,
                Err(e) => {
                    state.drop_attached(py);
                    return Err(e);
                }
            };
            let raw = obj.as_ptr().cast::<RawIter<S>>();
            std::ptr::addr_of_mut!((*raw).state).write(ManuallyDrop::new(state));
            Ok(obj.unbind())
        }
    }
}

/// `tp_iternext`: a new reference, or NULL (with no exception at the end,
/// with one on error).
unsafe extern "C" fn iternext<S: Step>(slf: *mut ffi::PyObject) -> *mut ffi::PyObject {
    // SAFETY: CPython calls this slot with the GIL held (attached), on an
    // object of this type, so it is a `RawIter<S>` whose state is set.
    let (py, state) = unsafe {
        (
            Python::assume_attached(),
            &*(*slf.cast::<RawIter<S>>()).state,
        )
    };
    // A panic must not unwind into C.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| state.next(py)));
    match result {
        Ok(Ok(Some(obj))) => obj.into_ptr(),
        Ok(Ok(None)) => std::ptr::null_mut(),
        Ok(Err(e)) => {
            e.restore(py);
            std::ptr::null_mut()
        }
        Err(_) => {
            PySystemError::new_err("internal error (panic) in an iterator").restore(py);
            std::ptr::null_mut()
        }
    }
}

/// `tp_dealloc`: drops the state, frees the object and releases the type
/// (instances of heap types hold one).
unsafe extern "C" fn dealloc<S: Step>(slf: *mut ffi::PyObject) {
    // SAFETY: called once by CPython, attached, when the last reference
    // goes; the state was set by `make`. The memory then goes back through
    // the type's `tp_free`.
    unsafe {
        let py = Python::assume_attached();
        let raw = slf.cast::<RawIter<S>>();
        let state = ManuallyDrop::take(&mut (*raw).state);
        // A panic must not unwind into C; a state that panics while
        // dropping leaks what it still held.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| state.drop_attached(py)));
        let tp = ffi::Py_TYPE(slf);
        let free = ffi::PyType_GetSlot(tp, ffi::Py_tp_free);
        if !free.is_null() {
            let free: ffi::freefunc = std::mem::transmute(free);
            free(slf.cast());
        }
        ffi::Py_DECREF(tp.cast());
    }
}
