//! A method of a PyO3 class called through `METH_FASTCALL` directly.
//!
//! PyO3 gives each method a `METH_FASTCALL | METH_KEYWORDS` descriptor
//! whose C function is its trampoline: it counts the GIL in a
//! thread-local, catches panics, and parses the arguments against the
//! signature (names, defaults, keywords) before the method runs. For a
//! method called in inner loops (`ffi.cast(cdecl, value)` in a qsort
//! comparator), that is a good part of the call. [`install`] replaces
//! the class's descriptor with one of its own kind whose C function hands
//! the positional arguments to a [`Method`]; calls it leaves alone (with
//! keywords, another count of arguments, or wherever the method says so)
//! go to PyO3's descriptor, kept, exactly as before.

use pyo3::exceptions::PySystemError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::PyClass;
use std::ffi::{c_int, CStr};

/// The positional arguments of a call: borrowed objects, alive for it.
/// (Dropping a `Py` in a method called here defers its reference to
/// PyO3's pool, since no PyO3 trampoline marked the thread as holding the
/// GIL: keep values as `Bound`s.)
#[derive(Clone, Copy)]
pub struct Args<'a> {
    raw: &'a [*mut ffi::PyObject],
}

// No `is_empty`: methods ask for a count.
#[allow(clippy::len_without_is_empty)]
impl<'a> Args<'a> {
    /// How many there are.
    pub fn len(self) -> usize {
        self.raw.len()
    }

    /// Argument `i`, if there is one.
    pub fn get<'py>(self, py: Python<'py>, i: usize) -> Option<Borrowed<'a, 'py, PyAny>> {
        // SAFETY: the entry made `raw` from the live objects CPython
        // passed, borrowed for the call, which outlives `'a`.
        self.raw
            .get(i)
            .map(|&p| unsafe { Borrowed::from_ptr(py, p) })
    }
}

/// The Rust side of a method installed by [`install`].
pub trait Method {
    /// The class the method is of.
    type Class: PyClass;

    /// The method's name in the class.
    const NAME: &'static CStr;

    /// Where PyO3's own descriptor is kept.
    fn original() -> &'static PyOnceLock<Py<PyAny>>;

    /// `slf.NAME(*args)`, called without keywords; `None` leaves the call
    /// to PyO3's descriptor (which then also gives its errors).
    fn call(
        py: Python<'_>,
        slf: &Bound<'_, Self::Class>,
        args: Args<'_>,
    ) -> Option<PyResult<Py<PyAny>>>;
}

unsafe extern "C" {
    /// CPython's vectorcall entry (exported since 3.9, in the limited API
    /// since 3.12; PyO3 declares it for abi3 only from 3.12).
    fn PyObject_Vectorcall(
        callable: *mut ffi::PyObject,
        args: *const *mut ffi::PyObject,
        nargsf: usize,
        kwnames: *mut ffi::PyObject,
    ) -> *mut ffi::PyObject;
}

/// The descriptor's `METH_FASTCALL | METH_KEYWORDS` function.
unsafe extern "C" fn entry<M: Method>(
    slf: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: CPython calls this with the thread attached, `slf` an
    // instance of the class (the descriptor checked it), `args` holding
    // `nargs` positional arguments then one value per name of `kwnames`
    // (NULL or a tuple), all borrowed for the call.
    unsafe {
        let py = Python::assume_attached();
        let nargs = nargs.max(0) as usize;
        let keywords = !kwnames.is_null() && ffi::PyTuple_Size(kwnames) > 0;
        if !keywords {
            let raw: &[*mut ffi::PyObject] = if nargs == 0 {
                &[]
            } else {
                std::slice::from_raw_parts(args, nargs)
            };
            let handled = super::guarded(py, "a method", || {
                // The descriptor let only instances of the class (or of
                // its subclasses) through.
                let slf = Borrowed::from_ptr(py, slf).cast_unchecked::<M::Class>();
                M::call(py, &slf, Args { raw })
            });
            if let Some(ptr) = handled {
                return ptr;
            }
        }
        // PyO3's descriptor, called as `descr(slf, *args, **kw)`.
        let Some(original) = M::original().get(py) else {
            PySystemError::new_err("method entry installed without its original").restore(py);
            return std::ptr::null_mut();
        };
        let nkw = if keywords {
            ffi::PyTuple_Size(kwnames) as usize
        } else {
            0
        };
        let mut all: smallvec::SmallVec<[*mut ffi::PyObject; 8]> =
            smallvec::SmallVec::with_capacity(1 + nargs + nkw);
        all.push(slf);
        all.extend_from_slice(std::slice::from_raw_parts(args, nargs + nkw));
        PyObject_Vectorcall(
            original.as_ptr(),
            all.as_ptr(),
            1 + nargs,
            if keywords {
                kwnames
            } else {
                std::ptr::null_mut()
            },
        )
    }
}

/// Replaces `M::Class`'s method `M::NAME` (a PyO3 method descriptor) with one
/// calling `M`, keeping PyO3's for the calls `M` leaves alone. Returns
/// whether it did (not if the class has no such method, or cannot be
/// written).
pub fn install<M: Method>(py: Python<'_>) -> PyResult<bool> {
    let ty = py.get_type::<M::Class>();
    let name = M::NAME
        .to_str()
        .map_err(|e| PySystemError::new_err(e.to_string()))?;
    let dict = ty.getattr("__dict__")?;
    let Ok(original) = dict.get_item(name) else {
        return Ok(false);
    };
    if !original
        .get_type()
        .name()?
        .to_cow()?
        .eq("method_descriptor")
    {
        return Ok(false);
    }
    let doc = match original.getattr("__doc__")?.extract::<Option<String>>()? {
        Some(d) => std::ffi::CString::new(d).ok(),
        None => None,
    };
    if M::original().set(py, original.clone().unbind()).is_err() {
        return Ok(false);
    }
    // The definition lives as long as the descriptor, which the class
    // keeps for the process: leaked once, on purpose.
    let def = Box::leak(Box::new(ffi::PyMethodDef {
        ml_name: M::NAME.as_ptr(),
        ml_meth: ffi::PyMethodDefPointer {
            PyCFunctionFastWithKeywords: entry::<M>,
        },
        ml_flags: (ffi::METH_FASTCALL | ffi::METH_KEYWORDS) as c_int,
        ml_doc: doc.map_or(std::ptr::null(), |d| {
            Box::leak(d.into_boxed_c_str()).as_ptr()
        }),
    }));
    // SAFETY: `ty` is the live class object; `def` is valid for the
    // process. `PyDescr_NewMethod` returns a new reference or NULL with
    // an exception set.
    let descr =
        unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyDescr_NewMethod(ty.as_type_ptr(), def))? };
    ty.setattr(name, descr)?;
    Ok(true)
}
