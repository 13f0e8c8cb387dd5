//! Reporting an unraisable exception with a message of our own, as
//! CPython's own C code does.

use pyo3::prelude::*;
use std::ffi::{c_char, c_void, CString};

/// `PyErr_WriteUnraisable` with a message of our own: through
/// `PyErr_FormatUnraisable` (CPython 3.13+) or `_PyErr_WriteUnraisableMsg`
/// (3.8 .. 3.12), looked up at run time since neither is in the stable
/// ABI; with neither, the plain call (the hook then gets no message).
pub fn write_with_message(_py: Python<'_>, msg: &str, obj: &Bound<'_, PyAny>) {
    type Format = unsafe extern "C" fn(*const c_char, ...);
    type WithMsg = unsafe extern "C" fn(*const c_char, *mut pyo3::ffi::PyObject);
    static FUNCS: std::sync::OnceLock<(Option<Format>, Option<WithMsg>)> =
        std::sync::OnceLock::new();
    let (format, with_msg) = *FUNCS.get_or_init(|| {
        let Ok(me) = ffi_runtime::Library::open(None, ffi_runtime::RTLD_NOW) else {
            return (None, None);
        };
        // SAFETY: when present, these symbols have these C signatures.
        unsafe {
            (
                me.symbol("PyErr_FormatUnraisable")
                    .ok()
                    .map(|p| std::mem::transmute::<*const c_void, Format>(p)),
                me.symbol("_PyErr_WriteUnraisableMsg")
                    .ok()
                    .map(|p| std::mem::transmute::<*const c_void, WithMsg>(p)),
            )
        }
    });
    // SAFETY: the thread is attached (the token shows it) and an
    // exception is set (restored by the caller); the strings are
    // NUL-terminated, and "%s" keeps the message from being a format.
    unsafe {
        if let Some(format) = format {
            if let Ok(full) = CString::new(format!("Exception ignored {msg}")) {
                format(c"%s".as_ptr(), full.as_ptr());
                return;
            }
        }
        if let Some(with_msg) = with_msg {
            if let Ok(text) = CString::new(msg) {
                with_msg(text.as_ptr(), std::ptr::null_mut());
                return;
            }
        }
        pyo3::ffi::PyErr_WriteUnraisable(obj.as_ptr());
    }
}
