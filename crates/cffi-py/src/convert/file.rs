//! Python file objects as C `FILE *` (F-06.33, F-06.34): for a parameter
//! (or an `ffi.cast()`) of type `FILE *`, a Python file object stands for
//! a C stream opened on a duplicate of its file descriptor, with its mode,
//! unbuffered so that what C and Python write stays in call order. The
//! stream is made once per file object and kept on it (as cffi does, in
//! the attribute `__cffi_FILE`); it is closed when the file object is
//! collected, not by `close()`.

use pyo3::prelude::*;
use pyo3::types::PyCapsule;
use std::ffi::{c_int, CString};

/// The attribute the stream is kept in.
const ATTRIBUTE: &str = "__cffi_FILE";

/// The C stream for `obj` if it is a Python file object (`io.IOBase`),
/// made on first use; `None` for other objects.
pub fn stream_of(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Option<usize>> {
    let iobase = py.import("io")?.getattr("IOBase")?;
    if !obj.is_instance(&iobase)? {
        return Ok(None);
    }
    // What Python buffered must reach the file before C writes to it.
    obj.call_method0("flush")?;
    if let Ok(cached) = obj.getattr(ATTRIBUTE) {
        if let Ok(capsule) = cached.cast::<PyCapsule>() {
            if let Some(stream) = stored_stream(capsule) {
                return Ok(Some(stream));
            }
        }
    }
    let fd: c_int = obj.call_method0("fileno")?.extract()?;
    let mode: String = obj.getattr("mode")?.extract()?;
    let mode = CString::new(mode)
        .map_err(|_| pyo3::exceptions::PyValueError::new_err("file mode contains a NUL"))?;
    let os = py.import("os")?;
    let dup: c_int = os.call_method1("dup", (fd,))?.extract()?;
    // The stream takes over `dup` on success; else it is ours to close.
    let addr = match ffi_runtime::stream::open_unbuffered(dup, &mode) {
        Ok(addr) => addr,
        Err(e) => {
            let err = PyErr::from(e);
            os.call_method1("close", (dup,))?;
            return Err(err);
        }
    };
    // The capsule closes the stream when the file object lets it go.
    let capsule =
        PyCapsule::new_with_value_and_destructor(py, addr, CAPSULE_NAME, |addr: usize, _| {
            // SAFETY: the stream opened above, closed once, here.
            unsafe { ffi_runtime::stream::close(addr) };
        })?;
    obj.setattr(ATTRIBUTE, &capsule)?;
    Ok(Some(addr))
}

/// The name of our capsules.
const CAPSULE_NAME: &std::ffi::CStr = c"FILE";

/// The stream kept in one of our capsules; `None` for any other capsule
/// someone put in that attribute.
fn stored_stream(capsule: &Bound<'_, PyCapsule>) -> Option<usize> {
    let pointer = capsule.pointer_checked(Some(CAPSULE_NAME)).ok()?;
    // SAFETY: a capsule of this name made by `stream_of` stores a `usize`
    // (the stream) at its pointer, and no Python code runs meanwhile.
    Some(unsafe { *pointer.cast::<usize>().as_ptr() })
}
