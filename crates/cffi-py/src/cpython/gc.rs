//! Running the garbage collector from Rust.

use pyo3::prelude::*;

/// A full collection, if the collector is enabled (`gc.isenabled()`);
/// errors of finalizers are reported as unraisable by CPython itself.
pub fn collect_if_enabled(_py: Python<'_>) {
    // SAFETY: the thread is attached (the token proves it); both calls
    // are plain C-API calls without further preconditions.
    unsafe {
        if pyo3::ffi::PyGC_IsEnabled() != 0 {
            pyo3::ffi::PyGC_Collect();
        }
    }
}

/// Whether the collector tracks `obj` (`gc.is_tracked`).
pub fn is_tracked(obj: &Bound<'_, PyAny>) -> bool {
    // SAFETY: a live object, the thread attached; a plain C-API query.
    unsafe { pyo3::ffi::PyObject_GC_IsTracked(obj.as_ptr()) == 1 }
}
