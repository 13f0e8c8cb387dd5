//! The only files of the crate that read or write CPython's own
//! structures (type objects, object layouts, slots) instead of going
//! through PyO3. Each speed-up here checks its assumptions once against
//! what the interpreter reports and otherwise declines, so the callers fall
//! back to PyO3's generic path.
//!
//! Nothing here knows cdata or ctypes: each piece is generic over the
//! PyO3 class or the state it serves, and the layers above plug in.

pub mod alloc;
pub mod finalize;
pub mod foreign_thread;
pub mod gc;
pub mod getattro;
pub mod iter_type;
pub mod method;
pub mod plain;
pub mod recent;
pub mod setattr;
pub mod subscript;
pub mod unraisable;
pub mod vectorcall;

use pyo3::prelude::*;

/// Runs the Rust side of an entry CPython calls directly so that no panic
/// unwinds into C, and gives what CPython takes: a new reference, or NULL
/// with the exception set (a panic becomes `SystemError`, "internal error
/// (panic) in `what`"); `None` where `f` declined the call. The result
/// becomes a pointer inside the unwinding guard, so that what crosses it
/// fits registers (a `PyResult` was copied through the stack twice).
#[inline(always)]
#[allow(clippy::inline_always)] // on every fast entry
pub(crate) fn guarded(
    py: Python<'_>,
    what: &str,
    f: impl FnOnce() -> Option<PyResult<Py<PyAny>>>,
) -> Option<*mut pyo3::ffi::PyObject> {
    let handled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match f() {
        Some(Ok(obj)) => Some(obj.into_ptr()),
        Some(Err(e)) => {
            e.restore(py);
            Some(std::ptr::null_mut())
        }
        None => None,
    }));
    handled.unwrap_or_else(|_| {
        pyo3::exceptions::PySystemError::new_err(format!("internal error (panic) in {what}"))
            .restore(py);
        Some(std::ptr::null_mut())
    })
}
