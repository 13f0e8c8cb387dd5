//! `__CData_iterator`: the iterator over an array cdata (F-05.35).
//!
//! Made by hand with `PyType_FromSpec` rather than as a PyO3 class: a step
//! is then one direct C call from the interpreter's loop, as in cffi,
//! instead of going through PyO3's trampoline (which cost about a third of
//! each step; see `cargo xtask bench cdata`, row `iter_int_1000`).

use crate::cdata::CData;
use crate::ctype::{CType, IntRepr, LoadPy};
use crate::memory;
use pyo3::exceptions::PySystemError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use std::ffi::{c_int, c_uint, c_void};
use std::mem::ManuallyDrop;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The object's memory: a Python object header, then our fields.
#[repr(C)]
struct RawIter {
    ob_base: ffi::PyObject,
    /// The array (kept alive; released by `dealloc`).
    array: ManuallyDrop<Py<CData>>,
    /// Its item type.
    item: ManuallyDrop<Py<CType>>,
    item_size: usize,
    /// Integer items: read directly.
    int_repr: Option<IntRepr>,
    len: usize,
    /// The next index; atomic so that a step needs no lock.
    next: AtomicUsize,
}

static TYPE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// The iterator type, created on first use.
fn iter_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    TYPE.get_or_try_init(py, || {
        let mut slots = [
            ffi::PyType_Slot {
                slot: ffi::Py_tp_iter,
                pfunc: ffi::PyObject_SelfIter as *mut c_void,
            },
            ffi::PyType_Slot {
                slot: ffi::Py_tp_iternext,
                pfunc: iternext as *mut c_void,
            },
            ffi::PyType_Slot {
                slot: ffi::Py_tp_dealloc,
                pfunc: dealloc as *mut c_void,
            },
            ffi::PyType_Slot {
                slot: 0,
                pfunc: std::ptr::null_mut(),
            },
        ];
        let mut spec = ffi::PyType_Spec {
            name: c"_cffi_backend.__CData_iterator".as_ptr(),
            basicsize: std::mem::size_of::<RawIter>() as c_int,
            itemsize: 0,
            flags: (ffi::Py_TPFLAGS_DEFAULT
                | ffi::Py_TPFLAGS_IMMUTABLETYPE
                | ffi::Py_TPFLAGS_DISALLOW_INSTANTIATION) as c_uint,
            slots: slots.as_mut_ptr(),
        };
        // SAFETY: the spec and its slots are valid for the call (CPython
        // copies what it keeps; the name is a static string). The result
        // is a new reference or NULL with an exception set.
        let tp = unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyType_FromSpec(&raw mut spec)) }?;
        Ok(tp.cast_into::<PyType>()?.unbind())
    })
    .map(|t| t.bind(py))
}

/// `iter(array)`: a new iterator over `array`'s `len` items of `item`.
pub fn new(
    py: Python<'_>,
    array: &Bound<'_, CData>,
    item: &Py<CType>,
    len: usize,
) -> PyResult<Py<PyAny>> {
    let tp = iter_type(py)?;
    let item_size = item.get().size().unwrap_or(0) as usize;
    // SAFETY: `tp` is our type, whose basic size is that of `RawIter`;
    // `PyType_GenericAlloc` returns zeroed memory with the header set (and
    // a reference to the type taken), or NULL with an exception. Every
    // field is then written once before the object is used.
    unsafe {
        let obj = ffi::PyType_GenericAlloc(tp.as_ptr().cast(), 0);
        let obj = Bound::from_owned_ptr_or_err(py, obj)?;
        let raw = obj.as_ptr().cast::<RawIter>();
        std::ptr::addr_of_mut!((*raw).array).write(ManuallyDrop::new(array.clone().unbind()));
        std::ptr::addr_of_mut!((*raw).item).write(ManuallyDrop::new(item.clone_ref(py)));
        std::ptr::addr_of_mut!((*raw).item_size).write(item_size);
        std::ptr::addr_of_mut!((*raw).int_repr).write(item.get().int_repr);
        std::ptr::addr_of_mut!((*raw).len).write(len);
        std::ptr::addr_of_mut!((*raw).next).write(AtomicUsize::new(0));
        Ok(obj.unbind())
    }
}

/// One step: the next item, or `None` at the end.
fn step(py: Python<'_>, it: &RawIter) -> PyResult<Option<Py<PyAny>>> {
    let i = it.next.fetch_add(1, Ordering::Relaxed);
    if i >= it.len {
        // Stay at the end (also after many calls past it).
        it.next.store(it.len, Ordering::Relaxed);
        return Ok(None);
    }
    // Checks on every step that the memory was not released meanwhile.
    let addr = it.array.get().data_addr(py)? + i * it.item_size;
    if let Some(repr) = it.int_repr {
        // SAFETY: item `i < len` of the live array memory.
        return unsafe { repr.load_py(py, addr) }.map(Some);
    }
    // SAFETY: item `i < len` of the live array memory; references keep
    // the array alive.
    unsafe { memory::read(py, &it.item, addr, it.array.as_any()) }.map(Some)
}

/// `tp_iternext`: a new reference, or NULL (with no exception at the end,
/// with one on error).
unsafe extern "C" fn iternext(slf: *mut ffi::PyObject) -> *mut ffi::PyObject {
    // SAFETY: CPython calls this slot with the GIL held (attached), on an
    // object of our type, so it is a `RawIter` whose fields are set.
    let (py, it) = unsafe { (Python::assume_attached(), &*slf.cast::<RawIter>()) };
    // A panic must not unwind into C.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| step(py, it)));
    match result {
        Ok(Ok(Some(obj))) => obj.into_ptr(),
        Ok(Ok(None)) => std::ptr::null_mut(),
        Ok(Err(e)) => {
            e.restore(py);
            std::ptr::null_mut()
        }
        Err(_) => {
            PySystemError::new_err("internal error (panic) in array iteration").restore(py);
            std::ptr::null_mut()
        }
    }
}

/// `tp_dealloc`: drops our references, frees the object and releases the
/// type (instances of heap types hold one).
unsafe extern "C" fn dealloc(slf: *mut ffi::PyObject) {
    // SAFETY: called once by CPython, attached, when the last reference
    // goes; the fields were set by `new`. The references are released
    // directly (the thread is attached; PyO3's deferred pool is not
    // needed), then the memory goes back through the type's `tp_free`.
    unsafe {
        let raw = slf.cast::<RawIter>();
        let array = ManuallyDrop::take(&mut (*raw).array);
        let item = ManuallyDrop::take(&mut (*raw).item);
        ffi::Py_DECREF(array.into_ptr());
        ffi::Py_DECREF(item.into_ptr());
        let tp = ffi::Py_TYPE(slf);
        let free = ffi::PyType_GetSlot(tp, ffi::Py_tp_free);
        if !free.is_null() {
            let free: ffi::freefunc = std::mem::transmute(free);
            free(slf.cast());
        }
        ffi::Py_DECREF(tp.cast());
    }
}
