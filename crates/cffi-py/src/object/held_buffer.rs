//! Python buffers held by a cdata (`ffi.from_buffer()`): the buffer
//! protocol's `PyObject_GetBuffer` and its release.

use pyo3::ffi;
use pyo3::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// A buffer held from a Python object (`PyObject_GetBuffer`), released
/// when dropped.
pub struct View {
    raw: Box<ffi::Py_buffer>,
}

// SAFETY: the `Py_buffer` is only read (its `buf` and `len`) or released,
// and releasing happens with the thread attached to the interpreter (see
// `Drop`); the exporter's memory is not tied to the creating thread.
unsafe impl Send for View {}
// SAFETY: as for `Send`; shared access only reads plain fields.
unsafe impl Sync for View {}

impl View {
    /// Asks `obj` for its bytes as one contiguous block, writable if
    /// `writable`; the exporter raises what cffi shows (a bytes-like object
    /// is required, not writable, not C-contiguous).
    pub fn get(obj: &Bound<'_, PyAny>, writable: bool) -> PyResult<View> {
        let mut raw = Box::new(ffi::Py_buffer::new());
        let flags = if writable {
            ffi::PyBUF_WRITABLE
        } else {
            ffi::PyBUF_SIMPLE
        };
        // SAFETY: `obj` is a live object (we hold a reference) and `raw`
        // points to a writable `Py_buffer`, which the call fills on success.
        let rc = unsafe { ffi::PyObject_GetBuffer(obj.as_ptr(), &raw mut *raw, flags) };
        if rc != 0 {
            return Err(PyErr::fetch(obj.py()));
        }
        Ok(View { raw })
    }

    /// Where the bytes start.
    pub fn addr(&self) -> usize {
        self.raw.buf as usize
    }

    /// How many bytes there are.
    pub fn len(&self) -> usize {
        self.raw.len as usize
    }

    /// The bytes, for as long as the view is held.
    pub(crate) fn bytes(&self) -> &[u8] {
        if self.len() == 0 {
            return &[];
        }
        // SAFETY: a successful `PyObject_GetBuffer` gives `len` readable
        // contiguous bytes at `buf`, valid until the view is released.
        unsafe { ffi_runtime::memory::bytes(self.raw.buf as usize, self.len()) }
    }
}

impl Drop for View {
    fn drop(&mut self) {
        // A view is dropped by Python's deallocator or by `ffi.release()`,
        // both with the thread attached; `attach` only takes the token.
        Python::attach(|_| {
            // SAFETY: `raw` was filled by a successful `PyObject_GetBuffer`
            // and is released exactly once, here.
            unsafe { ffi::PyBuffer_Release(&raw mut *self.raw) }
        });
    }
}

/// What a `ffi.from_buffer()` cdata holds: the exporter, and its buffer
/// until `ffi.release()`. Boxed, and filled in place: one allocation per
/// `ffi.from_buffer()`, and the `Py_buffer` never moves once filled.
pub struct FromBuffer {
    source: Py<PyAny>,
    raw: std::cell::UnsafeCell<ffi::Py_buffer>,
    /// Set once the buffer is released (or was never obtained).
    released: AtomicBool,
}

// SAFETY: `raw` is written only by `PyObject_GetBuffer` in `new` (before
// the value is shared) and released once (guarded by the `released` swap)
// with the thread attached; otherwise only `buf` and `len` are read. The
// exporter's memory is not tied to the creating thread.
unsafe impl Send for FromBuffer {}
// SAFETY: as for `Send`.
unsafe impl Sync for FromBuffer {}

impl FromBuffer {
    /// Holds `obj`'s bytes (writable if `writable`), as `View::get` does.
    pub fn new(obj: &Bound<'_, PyAny>, writable: bool) -> PyResult<Box<FromBuffer>> {
        let fb = Box::new(FromBuffer {
            source: obj.clone().unbind(),
            raw: std::cell::UnsafeCell::new(ffi::Py_buffer::new()),
            released: AtomicBool::new(true),
        });
        let flags = if writable {
            ffi::PyBUF_WRITABLE
        } else {
            ffi::PyBUF_SIMPLE
        };
        // SAFETY: `obj` is live, and `raw` is a writable `Py_buffer` in
        // the box, not yet shared, which the call fills on success.
        let rc = unsafe { ffi::PyObject_GetBuffer(obj.as_ptr(), fb.raw.get(), flags) };
        if rc != 0 {
            return Err(PyErr::fetch(obj.py()));
        }
        fb.released.store(false, Ordering::Release);
        Ok(fb)
    }

    /// Where the bytes start, and how many there are.
    pub(crate) fn extent(&self) -> (usize, usize) {
        // SAFETY: `raw` was filled in `new` and is not written again;
        // reading its plain fields is fine even after release.
        let raw = unsafe { &*self.raw.get() };
        (raw.buf as usize, raw.len as usize)
    }

    /// The exporter, for the garbage collector's traversal.
    pub fn source(&self) -> &Py<PyAny> {
        &self.source
    }

    /// Releases the exporter's buffer (a bytearray can be resized again).
    /// Called with the thread attached (by `ffi.release()` or `Drop`).
    pub fn release(&self) {
        if !self.released.swap(true, Ordering::AcqRel) {
            // SAFETY: the buffer was obtained in `new`, and the swap above
            // lets exactly one caller release it.
            unsafe { ffi::PyBuffer_Release(self.raw.get()) }
        }
    }

    /// Whether the held buffer's `obj` is the exporter itself: a second
    /// reference to it, for the cycle collector to count.
    pub fn view_holds_source(&self) -> bool {
        if self.is_released() {
            return false;
        }
        // SAFETY: `raw` was filled by `PyObject_GetBuffer` and is not
        // released (checked above; release happens with the thread
        // attached, as this runs); only its `obj` pointer is read.
        let obj = unsafe { (*self.raw.get()).obj };
        obj == self.source.as_ptr()
    }

    /// Whether `ffi.release()` was called.
    pub fn is_released(&self) -> bool {
        self.released.load(Ordering::Acquire)
    }

    /// The repr's words after the type: `buffer len 3 from 'bytes' object`.
    pub fn describe(&self, py: Python<'_>, array_len: Option<usize>) -> PyResult<String> {
        if self.is_released() {
            return Ok("buffer RELEASED".to_owned());
        }
        let tp = self.source.bind(py).get_type();
        let name = tp.fully_qualified_name()?;
        Ok(match array_len {
            Some(n) => format!("buffer len {n} from '{name}' object"),
            None => format!("buffer from '{name}' object"),
        })
    }
}

impl Drop for FromBuffer {
    fn drop(&mut self) {
        if !self.is_released() {
            // Dropped by Python's deallocator, attached already; `attach`
            // only takes the token.
            Python::attach(|_| self.release());
        }
    }
}
