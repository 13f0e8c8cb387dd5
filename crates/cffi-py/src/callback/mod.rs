//! `ffi.callback()` (F-03.107..F-03.112, F-07.12..): a Python callable
//! behind a C function pointer. The pointer is a libffi closure
//! (`ffi_runtime::Closure`); when C calls it, the handler below attaches
//! to the interpreter (from any thread, also one Python never saw),
//! converts the arguments, calls the callable and converts its result
//! back. An exception is reported as cffi reports it (or handed to
//! `onerror`) and the `error` value is returned to C instead.

use crate::convert;
use crate::object::{CData, Callback, CallbackState, Owner};
use crate::types::{CType, Kind};
use ffi_runtime::memory::Region;
use ffi_runtime::{Closure, Slot};
use pyo3::exceptions::{PyNotImplementedError, PyTypeError};
use pyo3::prelude::*;
use std::ffi::c_void;

/// `ffi.callback(ctype, python_callable, error, onerror)` once the ctype
/// is known: a new function-pointer cdata calling `func`.
pub fn new(
    py: Python<'_>,
    ctype: &Py<CType>,
    func: &Bound<'_, PyAny>,
    error: Option<&Bound<'_, PyAny>>,
    onerror: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<CData>> {
    let mut state = state(py, ctype, func, error, onerror, true)?;
    let Kind::Function(info) = &ctype.get().kind else {
        return Err(PyTypeError::new_err("expected a function ctype"));
    };
    // The function type's own interface, shared.
    let cif = info
        .cif
        .clone()
        .map_err(|e| PyNotImplementedError::new_err(e.to_string()))?;
    let userdata: *mut CallbackState = &raw mut *state;
    // SAFETY: the state is boxed (its address is stable) and owned by the
    // same `Callback` as the closure, which is dropped first (field
    // order), so the state outlives every call C can make.
    let closure = unsafe { Closure::new(cif, handler, userdata.cast()) }
        .map_err(|e| PyNotImplementedError::new_err(e.to_string()))?;
    let addr = closure.code() as usize;
    let owner = Owner::Callback(Box::new(Callback::new(closure, state)));
    CData::reference(ctype.clone_ref(py), addr, 0, owner).wrap(py)
}

/// What a call of `func` for the function-pointer type `ctype` needs,
/// checked as `ffi.callback()` checks it (also for `@ffi.def_extern()`,
/// whose calls need no libffi interface: `need_cif` false).
pub fn state(
    py: Python<'_>,
    ctype: &Py<CType>,
    func: &Bound<'_, PyAny>,
    error: Option<&Bound<'_, PyAny>>,
    onerror: Option<&Bound<'_, PyAny>>,
    need_cif: bool,
) -> PyResult<Box<CallbackState>> {
    let ct = ctype.get();
    let Kind::Function(info) = &ct.kind else {
        return Err(PyTypeError::new_err(format!(
            "expected a function ctype, got '{}'",
            ct.cname
        )));
    };
    if !func.is_callable() {
        return Err(PyTypeError::new_err(
            "the 'python_callable' argument is not callable",
        ));
    }
    let onerror = onerror.filter(|o| !o.is_none());
    if let Some(o) = onerror {
        if !o.is_callable() {
            return Err(PyTypeError::new_err(format!(
                "expected a callable object for 'onerror', not {}",
                convert::type_name(o)
            )));
        }
    }
    // No interface for C to call through (a variadic function, a struct
    // libffi cannot pass): cffi's one message for all of them.
    if info.variadic || (need_cif && info.cif.is_err()) {
        return Err(PyNotImplementedError::new_err(format!(
            "{}: callback with unsupported argument or return type or with '...'",
            ct.cname
        )));
    }
    let result_size = info.result.get().size().unwrap_or(0) as usize;
    let mut error_value = vec![0u128; result_size.max(16).div_ceil(16)];
    if let Some(e) = error.filter(|e| !e.is_none()) {
        write_result_value(py, &info.result, e, Region::of_units(&mut error_value))?;
    }
    let error_value = error_value.iter().flat_map(|u| u.to_ne_bytes()).collect();
    Ok(Box::new(CallbackState {
        func: func.clone().unbind(),
        onerror: onerror.map(|o| o.clone().unbind()),
        error: error_value,
        args: info
            .args
            .iter()
            .map(|a| (a.clone_ref(py), a.get().size().unwrap_or(0) as usize))
            .collect(),
        result: info.result.clone_ref(py),
        result_room: result_size.max(size_of::<usize>()),
    }))
}

/// An `extern "Python"` call (docs/protocol.md §8.2): argument `k` in the
/// 8-byte slot `k` of `buf` (structs, unions and `long double` by
/// address), the result written at the start of `buf`. The caller holds
/// the GIL; nothing raises: an exception is reported as a callback's is.
///
/// # Safety
/// `buf` is the generated function's buffer for a function of `state`'s
/// type: one slot per argument, and room for the result.
pub unsafe fn call_from_slots(py: Python<'_>, state: &CallbackState, buf: usize) {
    // SAFETY: the buffer's room for the result, as the caller promises
    // (at least 8 bytes, 16 for `long double`, the size of a struct).
    let ret = unsafe { Region::new(buf, state.result_room) };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut ptrs: smallvec::SmallVec<[*mut c_void; 8]> = smallvec::SmallVec::new();
        for (k, (ct, _)) in state.args.iter().enumerate() {
            let at = buf + 8 * k;
            let by_address = match &ct.get().kind {
                Kind::Record { .. } => true,
                Kind::Primitive(p) => *p == ctypes_model::Primitive::LongDouble,
                _ => false,
            };
            ptrs.push(if by_address {
                // SAFETY: the slot holds the argument's address.
                unsafe { ffi_runtime::memory::load_as::<usize>(at) as *mut c_void }
            } else {
                at as *mut c_void
            });
        }
        // SAFETY: one pointer per argument, each to a value of its type,
        // alive for this call; `ret` has room for the result.
        unsafe { invoke(py, state, ret, ptrs.as_mut_ptr()) }
    }));
    if outcome.is_err() {
        write_error_value(state, ret);
    }
}

/// Called by libffi when C calls a callback.
unsafe extern "C" fn handler(
    _cif: *mut ffi_runtime::ffi_cif,
    ret: *mut c_void,
    args: *mut *mut c_void,
    userdata: *mut c_void,
) {
    // SAFETY: `userdata` is the `CallbackState` of a live callback (see `new`).
    let state = unsafe { &*userdata.cast::<CallbackState>() };
    // SAFETY: libffi's result buffer, alive for this call: room for the
    // result type and for at least a whole `ffi_arg`.
    let ret = unsafe { Region::new(ret as usize, state.result_room) };
    // The C caller's errno is what `ffi.errno` reads inside the callback,
    // and what the callback leaves there is what C sees after (F-03.36).
    ffi_runtime::errno::set_saved(ffi_runtime::errno::get());
    // Take the GIL first, with the C API: a C call made from Python
    // releases it without telling PyO3 (see `RawCall::run`), so PyO3's
    // own bookkeeping may believe this thread still has it. This works
    // from any thread, also one Python never saw.
    // SAFETY: balanced by the `PyGILState_Release` below.
    let gil = unsafe { pyo3::ffi::PyGILState_Ensure() };
    // SAFETY: the GIL is held from here to the release below. PyO3 is not
    // told (`Python::attach` would take the GIL state a second time and
    // drain its pool of deferred references on each call): `invoke` holds
    // what it makes as `Bound`s, whose drops decrement at once.
    let py = unsafe { Python::assume_attached() };
    // No panic may unwind into C.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: libffi passes one pointer per argument of the
        // callback's type, and room for its result at `ret`.
        unsafe { invoke(py, state, ret, args) }
    }));
    if outcome.is_err() {
        write_error_value(state, ret);
    }
    // SAFETY: the state from the matching `PyGILState_Ensure` above.
    unsafe { pyo3::ffi::PyGILState_Release(gil) };
    ffi_runtime::errno::set(ffi_runtime::errno::saved());
}

/// Converts the arguments, calls the callable, stores the result (or,
/// on an exception, reports it and stores the error value).
///
/// # Safety
/// As for `handler`: `args` holds one valid pointer per argument.
unsafe fn invoke(py: Python<'_>, state: &CallbackState, ret: Region<'_>, args: *mut *mut c_void) {
    // `None`, borrowed: what `read` keeps alive for values that need no
    // owner.
    let none = pyo3::types::PyNone::get(py);
    let none = none.as_any().as_unbound();
    let mut values = Owned(smallvec::SmallVec::new());
    for (i, (ct, size)) in state.args.iter().enumerate() {
        // SAFETY: libffi gives one pointer per argument, to a value of the
        // parameter's type, alive for this call.
        let arg = unsafe { Region::new(ffi_runtime::argument_address(args, i), *size) };
        let value = match &ct.get().kind {
            // A struct argument lives in libffi's memory only during the
            // call: the callable gets its own copy.
            Kind::Record { .. } => arg
                .with_bytes(|b| convert::owned_copy(py, ct, b))
                .map(Py::into_any),
            // A pointer or scalar is read out whole: no reference into
            // libffi's memory survives the call.
            Kind::Pointer { .. } => CData::pointer(ct.clone_ref(py), arg.load_item::<usize>(0))
                .wrap(py)
                .map(Py::into_any),
            _ => convert::read(py, ct, arg, none),
        };
        match value {
            Ok(v) => values.0.push(v.into_ptr()),
            Err(e) => return report(py, state, e, "", ret),
        }
    }
    // SAFETY: `func` and every argument are live objects, held here for
    // the call; the result is a new reference or NULL with an exception
    // set.
    let result = unsafe {
        let r = PyObject_Vectorcall(
            state.func.as_ptr(),
            values.0.as_ptr(),
            values.0.len(),
            std::ptr::null_mut(),
        );
        Bound::from_owned_ptr_or_err(py, r)
    };
    drop(values);
    let (err, context) = match result {
        Ok(obj) => match write_result_value(py, &state.result, &obj, ret) {
            Ok(()) => return,
            Err(e) => (e, ", trying to convert the result back to C"),
        },
        Err(e) => (e, ""),
    };
    report(py, state, err, context, ret);
}

/// The callable's arguments: strong references, released when dropped
/// (the thread holds the GIL wherever one is).
struct Owned(smallvec::SmallVec<[*mut pyo3::ffi::PyObject; 8]>);

impl Drop for Owned {
    fn drop(&mut self) {
        for &p in &self.0 {
            // SAFETY: each is a strong reference this owns, and the GIL is
            // held (see the type).
            unsafe { pyo3::ffi::Py_DECREF(p) };
        }
    }
}

unsafe extern "C" {
    /// CPython's vectorcall entry (exported since 3.9, in the limited API
    /// since 3.12; PyO3 declares it for abi3 only from 3.12).
    fn PyObject_Vectorcall(
        callable: *mut pyo3::ffi::PyObject,
        args: *const *mut pyo3::ffi::PyObject,
        nargsf: usize,
        kwnames: *mut pyo3::ffi::PyObject,
    ) -> *mut pyo3::ffi::PyObject;
}

/// Handles an exception of the callback: `onerror(exc_type, exc, tb)` may
/// give a result to return; otherwise the exception is reported as an
/// unraisable one and the `error` value is returned (in `ret`).
fn report(py: Python<'_>, state: &CallbackState, err: PyErr, context: &str, ret: Region<'_>) {
    report_inner(py, state, err, context, ret);
    // PyO3 defers the references `Py` values drop where it was not told
    // the GIL is held (the handler): taking the GIL its way empties that
    // pool, so that a C loop calling a callback that raises, with no
    // other entry into PyO3 between calls, does not keep them all.
    Python::attach(|_| ());
}

fn report_inner(py: Python<'_>, state: &CallbackState, err: PyErr, context: &str, ret: Region<'_>) {
    if let Some(onerror) = &state.onerror {
        let args = (
            err.get_type(py),
            err.value(py).clone(),
            err.traceback(py)
                .map_or_else(|| py.None(), |t| t.into_any().unbind()),
        );
        let second = match onerror.bind(py).call1(args) {
            Ok(r) if r.is_none() => None,
            Ok(r) => match write_result_value(py, &state.result, &r, ret) {
                Ok(()) => return,
                Err(e) => Some(e),
            },
            Err(e) => Some(e),
        };
        // `onerror` failed too: both are reported, the callback's first.
        if let Some(second) = second {
            unraisable(py, state, err, context);
            second.restore(py);
            crate::cpython::unraisable::write_with_message(
                py,
                "during handling of the above exception by 'onerror'",
                state.func.bind(py),
            );
        }
    } else {
        unraisable(py, state, err, context);
    }
    write_error_value(state, ret);
}

/// Stores the `error=` value as the result, in `ret`.
fn write_error_value(state: &CallbackState, ret: Region<'_>) {
    let ct = state.result.get();
    let size = ct.size().unwrap_or(0) as usize;
    if matches!(ct.kind, Kind::Void) || size == 0 {
        return;
    }
    if matches!(ct.kind, Kind::Record { .. }) {
        // `state.error` is never shorter than the result.
        ret.write_bytes(&state.error[..size]);
    } else {
        // A scalar result is in the first 16 bytes (`state.error` has at
        // least one unit).
        let mut slot = Slot::default();
        slot.0.copy_from_slice(&state.error[..16]);
        widen_into(ct, &slot, ret);
    }
}

/// Converts `obj` to the callback's result type and stores it at `ret`
/// as libffi expects it (small integers widened to a whole word).
fn write_result_value(
    py: Python<'_>,
    result: &Py<CType>,
    obj: &Bound<'_, PyAny>,
    ret: Region<'_>,
) -> PyResult<()> {
    let ct = result.get();
    match &ct.kind {
        Kind::Void => {
            if obj.is_none() {
                Ok(())
            } else {
                Err(PyTypeError::new_err(format!(
                    "callback with the return type 'void' must return None, not {}",
                    convert::type_name(obj)
                )))
            }
        }
        Kind::Record { .. } => convert::write(py, ct, obj, ret),
        // Fast path: an exact int in range for an integer result.
        _ if ct.int_repr.is_some() && obj.is_exact_instance_of::<pyo3::types::PyInt>() => {
            let mut overflow = 0;
            // SAFETY: `obj` is a live exact int; with the overflow flag,
            // no exception is set.
            let v =
                unsafe { pyo3::ffi::PyLong_AsLongLongAndOverflow(obj.as_ptr(), &raw mut overflow) };
            let (min, max) = ct.int_range.unwrap_or((i128::MIN, i128::MAX));
            let mut slot = Slot::default();
            if overflow == 0 && (min..=max).contains(&i128::from(v)) {
                slot.write_int(i128::from(v), ct.size().unwrap_or(0) as u32);
            } else {
                crate::convert::write_arg(ct, obj, &mut slot)?;
            }
            widen_into(ct, &slot, ret);
            Ok(())
        }
        // The argument-only conveniences do not apply to results: a
        // pointer into a `bytes` object would dangle once it is freed.
        Kind::Pointer { .. }
            if obj.is_instance_of::<pyo3::types::PyBytes>()
                || obj.is_instance_of::<pyo3::types::PyString>() =>
        {
            Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "initializer for ctype '{}' must be a cdata pointer, not {}",
                ct.cname,
                convert::type_name(obj)
            )))
        }
        _ => {
            let mut slot = Slot::default();
            convert::write_arg(ct, obj, &mut slot)?;
            widen_into(ct, &slot, ret);
            Ok(())
        }
    }
}

/// Stores a scalar result: integers narrower than `ffi_arg` as a whole,
/// sign- or zero-extended `ffi_arg` (libffi's rule for closures); others
/// as their bytes.
fn widen_into(ct: &CType, slot: &Slot, ret: Region<'_>) {
    let size = ct.size().unwrap_or(0) as usize;
    let integer = ct.int_range.is_some()
        || matches!(ct.kind, Kind::Enum(_))
        || matches!(&ct.kind, Kind::Primitive(p) if matches!(
            p.kind(),
            ctypes_model::PrimitiveKind::Char | ctypes_model::PrimitiveKind::WideChar
        ));
    let widen = integer.then(|| ct.int_range.is_some_and(|(min, _)| min < 0));
    ffi_runtime::store_result(ret, slot, size, widen);
}

/// Reports `err` as cffi does: an unraisable exception "from cffi
/// callback <the callable>", through `sys.unraisablehook`.
fn unraisable(py: Python<'_>, state: &CallbackState, err: PyErr, context: &str) {
    let func = state.func.bind(py);
    let what = func
        .repr()
        .map_or_else(|_| "<callback>".to_owned(), |r| r.to_string());
    err.restore(py);
    crate::cpython::unraisable::write_with_message(
        py,
        &format!("from cffi callback {what}{context}"),
        func,
    );
}
