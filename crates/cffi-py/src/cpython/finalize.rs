//! A `tp_finalize` (PEP 442) for a PyO3 class: the collector calls it on
//! every object of a garbage cycle before it clears any of them, so code
//! run then sees the cycle intact. PyO3 offers none, so it is set in the
//! type object, after checking — as `vectorcall.rs` does for its slot —
//! that the type is laid out as CPython 3.8 to 3.13 lay it out: the
//! fields before it must hold what `PyType_GetSlot` reports.

use super::vectorcall::TypeHead;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::PyClass;
use std::ffi::c_void;
use std::sync::OnceLock;

/// `PyTypeObject` from `tp_as_buffer` on, up to `tp_finalize` (GIL builds,
/// CPython 3.8 to 3.14), after the head of [`TypeHead`]; `plain.rs` uses
/// it too.
#[repr(C)]
pub(super) struct TypeTail {
    pub(super) head: TypeHead,
    pub(super) tp_doc: *const c_void,
    pub(super) tp_traverse: *mut c_void,
    pub(super) tp_clear: *mut c_void,
    pub(super) tp_richcompare: *mut c_void,
    pub(super) tp_weaklistoffset: isize,
    pub(super) tp_iter: *mut c_void,
    pub(super) tp_iternext: *mut c_void,
    pub(super) tp_methods: *mut c_void,
    pub(super) tp_members: *mut c_void,
    pub(super) tp_getset: *mut c_void,
    pub(super) tp_base: *mut c_void,
    pub(super) tp_dict: *mut c_void,
    pub(super) tp_descr_get: *mut c_void,
    pub(super) tp_descr_set: *mut c_void,
    pub(super) tp_dictoffset: isize,
    pub(super) tp_init: *mut c_void,
    pub(super) tp_alloc: *mut c_void,
    pub(super) tp_new: *mut c_void,
    pub(super) tp_free: *mut c_void,
    pub(super) tp_is_gc: *mut c_void,
    pub(super) tp_bases: *mut c_void,
    pub(super) tp_mro: *mut c_void,
    pub(super) tp_cache: *mut c_void,
    pub(super) tp_subclasses: *mut c_void,
    pub(super) tp_weaklist: *mut c_void,
    pub(super) tp_del: *mut c_void,
    pub(super) tp_version_tag: u32,
    pub(super) tp_finalize: *mut c_void,
}

/// What the finalizer runs, given the object.
pub type Hook = fn(&Bound<'_, PyAny>);

static HOOK: OnceLock<Hook> = OnceLock::new();

/// The `tp_finalize` installed: runs the hook with the error indicator
/// saved and restored, as PEP 442 asks, and no panic reaching C.
unsafe extern "C" fn finalize(obj: *mut ffi::PyObject) {
    // SAFETY: CPython calls finalizers with the GIL held.
    let py = unsafe { Python::assume_attached() };
    let Some(hook) = HOOK.get() else {
        return;
    };
    let pending = PyErr::take(py);
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: a live object, borrowed for the call.
        let obj = unsafe { Bound::from_borrowed_ptr(py, obj) };
        hook(&obj);
    }));
    if let Some(e) = pending {
        e.restore(py);
    }
}

/// Installs `hook` as `T`'s finalizer if `T`'s type object is laid out as
/// [`TypeTail`] says (checked against `PyType_GetSlot` for six slots);
/// returns whether it did. For one class only.
pub fn install<T: PyClass>(py: Python<'_>, hook: Hook) -> bool {
    let tp = T::type_object_raw(py);
    // SAFETY: `tp` is a live heap type, larger than `TypeTail` on every
    // CPython this checks for; fields are read to compare them with what
    // CPython reports, and `tp_finalize` is written only when all agree.
    // The GIL is held.
    unsafe {
        let t = tp.cast::<TypeTail>();
        let slot = |s| ffi::PyType_GetSlot(tp, s);
        let agree = (*t).head.tp_dealloc == slot(ffi::Py_tp_dealloc)
            && (*t).tp_traverse == slot(ffi::Py_tp_traverse)
            && (*t).tp_alloc == slot(ffi::Py_tp_alloc)
            && (*t).tp_new == slot(ffi::Py_tp_new)
            && (*t).tp_free == slot(ffi::Py_tp_free)
            && (*t).tp_finalize == slot(ffi::Py_tp_finalize)
            && !(*t).tp_traverse.is_null()
            && !(*t).tp_free.is_null();
        if !agree || HOOK.set(hook).is_err() {
            return false;
        }
        (*t).tp_finalize = finalize as *mut c_void;
    }
    true
}

/// Whether [`install`] installed a finalizer.
pub fn installed() -> bool {
    HOOK.get().is_some()
}
