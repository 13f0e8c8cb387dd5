//! The vectorcall entry of function-pointer cdata (F-07.01).
//!
//! A call through `tp_call` costs an argument tuple built by CPython and
//! PyO3's `*args`/`**kwargs` parsing. Function pointers are therefore made
//! as [`CDataFunc`], a Rust subclass of `_CDataBase` (also named
//! `_CDataBase`, as cffi's type for them is) whose instances carry a
//! vectorcall pointer: the interpreter then hands us the arguments as the
//! array it already has, as it does for cffi's API-mode functions.
//!
//! PyO3 offers no vectorcall for its classes, and the limited API of 3.11
//! exposes neither `tp_vectorcall_offset` nor the flag. Both are set here
//! in the type object, whose head has been laid out alike from CPython 3.8
//! to 3.14 — after checking, through what Python shows of the type
//! (`__basicsize__`, `__flags__`, the `tp_call` slot), that the head is
//! where it is expected. Where it is not (a different build), nothing is
//! changed and calls go through `tp_call` as before.

use crate::cdata::CData;
use pyo3::exceptions::PySystemError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::PyTypeInfo;
use std::ffi::{c_char, c_ulong, c_void};

/// Function pointers: `_CDataBase` with a vectorcall entry.
#[pyclass(frozen, extends = CData, module = "_cffi_backend", name = "_CDataBase")]
pub struct CDataFunc {
    /// Read by CPython at the type's `tp_vectorcall_offset`.
    entry: ffi::vectorcallfunc,
}

/// The start of CPython's `PyTypeObject` (3.8 to 3.14, builds with the
/// GIL), as far as `tp_flags`.
#[repr(C)]
struct TypeHead {
    ob_refcnt: isize,
    ob_type: *mut c_void,
    ob_size: isize,
    tp_name: *const c_char,
    tp_basicsize: isize,
    tp_itemsize: isize,
    tp_dealloc: *mut c_void,
    tp_vectorcall_offset: isize,
    tp_getattr: *mut c_void,
    tp_setattr: *mut c_void,
    tp_as_async: *mut c_void,
    tp_repr: *mut c_void,
    tp_as_number: *mut c_void,
    tp_as_sequence: *mut c_void,
    tp_as_mapping: *mut c_void,
    tp_hash: *mut c_void,
    tp_call: *mut c_void,
    tp_str: *mut c_void,
    tp_getattro: *mut c_void,
    tp_setattro: *mut c_void,
    tp_as_buffer: *mut c_void,
    tp_flags: c_ulong,
}

/// `Py_TPFLAGS_HAVE_VECTORCALL`.
const HAVE_VECTORCALL: c_ulong = 1 << 11;
/// `PY_VECTORCALL_ARGUMENTS_OFFSET`.
const ARGUMENTS_OFFSET: usize = 1 << (usize::BITS - 1);

/// Whether the vectorcall entry was installed (decided once).
static INSTALLED: PyOnceLock<bool> = PyOnceLock::new();

/// The Python object for a function-pointer cdata.
pub fn wrap(py: Python<'_>, cdata: CData) -> PyResult<Py<CData>> {
    let init = PyClassInitializer::from(cdata).add_subclass(CDataFunc { entry: vectorcall });
    let obj = Bound::new(py, init)?;
    INSTALLED.get_or_init(py, || install(py, &obj).unwrap_or(false));
    Ok(obj.into_super().unbind())
}

/// Whether the vectorcall entry is installed; `None` before the first
/// function pointer was made (which decides).
pub fn installed(py: Python<'_>) -> Option<bool> {
    INSTALLED.get(py).copied()
}

/// Sets `tp_vectorcall_offset` and the flag on [`CDataFunc`]'s type, if
/// its head is laid out as [`TypeHead`] says; `obj` is an instance.
fn install(py: Python<'_>, obj: &Bound<'_, CDataFunc>) -> PyResult<bool> {
    let ty = obj.get_type();
    let basicsize: isize = ty.getattr("__basicsize__")?.extract()?;
    let flags: c_ulong = ty.getattr("__flags__")?.extract()?;
    let tp = CDataFunc::type_object_raw(py);
    let offset = (&raw const obj.get().entry) as isize - obj.as_ptr() as isize;
    if offset <= 0 || offset + size_of::<ffi::vectorcallfunc>() as isize > basicsize {
        return Ok(false);
    }
    // SAFETY: `tp` is a live heap type object, which is larger than
    // `TypeHead` on every CPython; its fields are read only to compare
    // them with what CPython reports through the public API. The two
    // fields are written only when all three agree, so the head is the
    // one `TypeHead` describes; the GIL is held, and no instance has been
    // called yet through the type's slots with the new values half set
    // (the offset is set before the flag that makes CPython read it).
    unsafe {
        let head = tp.cast::<TypeHead>();
        let call = ffi::PyType_GetSlot(tp, ffi::Py_tp_call);
        if (*head).tp_basicsize != basicsize
            || (*head).tp_flags != flags
            || call.is_null()
            || (*head).tp_call != call
        {
            return Ok(false);
        }
        (*head).tp_vectorcall_offset = offset;
        (*head).tp_flags |= HAVE_VECTORCALL;
        ffi::PyType_Modified(tp);
    }
    Ok(true)
}

/// The vectorcall entry: `args` holds the positional arguments, then the
/// values of the keyword arguments named in `kwnames`.
unsafe extern "C" fn vectorcall(
    callable: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargsf: usize,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: CPython calls this with the thread attached.
    let py = unsafe { Python::assume_attached() };
    // A panic must not unwind into C.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: `callable` is an instance of `CDataFunc` (the only type
        // with this entry), alive for the call; `args` holds `nargs`
        // borrowed references, alive for the call, and `kwnames` is NULL
        // or a tuple.
        unsafe {
            let cd = Borrowed::from_ptr(py, callable).cast_unchecked::<CData>();
            let cd = cd.get();
            if !kwnames.is_null() && ffi::PyTuple_Size(kwnames) > 0 {
                return Err(cd.keyword_call_error());
            }
            let nargs = nargsf & !ARGUMENTS_OFFSET;
            let raw: &[*mut ffi::PyObject] = if nargs == 0 {
                &[]
            } else {
                std::slice::from_raw_parts(args, nargs)
            };
            cd.call_raw(py, raw)
        }
    }));
    match result {
        Ok(Ok(obj)) => obj.into_ptr(),
        Ok(Err(e)) => {
            e.restore(py);
            std::ptr::null_mut()
        }
        Err(_) => {
            PySystemError::new_err("internal error (panic) in a C call").restore(py);
            std::ptr::null_mut()
        }
    }
}
