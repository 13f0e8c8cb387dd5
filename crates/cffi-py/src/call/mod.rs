//! Calling C through function-pointer cdata (F-07): the vectorcall entry,
//! the fast plan for simple signatures, the general path (structs by
//! value, temporary arrays, `FILE *`, the variadic part), and the call
//! itself with the GIL released.

use crate::convert;
use crate::cpython::vectorcall::{self, Entry, Handler};
use crate::object::CData;
use crate::types::registry;
use crate::types::{CType, Kind};
use ffi_runtime::memory::Region;
use ffi_runtime::value::Prim;
use ffi_runtime::{Frame, RecordBuf, Slot};
use pyo3::exceptions::{PyNotImplementedError, PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};
use std::ffi::c_void;

/// The entry function-pointer cdata carry, for `object::set_call_entry`.
pub fn entry() -> Entry {
    vectorcall::entry::<Call>()
}

/// Calls through the vectorcall entry.
struct Call;

impl Handler for Call {
    unsafe fn call(
        py: Python<'_>,
        callable: Borrowed<'_, '_, PyAny>,
        args: &[*mut pyo3::ffi::PyObject],
        keywords: bool,
    ) -> PyResult<Py<PyAny>> {
        // SAFETY: only function-pointer cdata carry this entry (the
        // cdata types refuse Python subclasses), so `callable` is one.
        let cd = unsafe { callable.cast_unchecked::<CData>() };
        let cd = cd.get();
        if keywords {
            return Err(cd.keyword_call_error());
        }
        // SAFETY: the interpreter keeps the arguments alive for the call
        // (the handler's contract).
        unsafe { cd.call_raw(py, args) }
    }
}

/// The GIL, let go of around a C call (F-07.13) and taken back after it;
/// errno is swapped in and out inside (F-07.11).
struct WithoutGil<'py>(Python<'py>);

impl ffi_runtime::Release for WithoutGil<'_> {
    type Saved = *mut pyo3::ffi::PyThreadState;

    #[inline]
    fn release(&mut self) -> Self::Saved {
        // SAFETY: the thread is attached (the token shows it), so it holds
        // the GIL; `reacquire` takes it back right after the C call, and
        // in between only C runs: no Python object is touched (arguments
        // were converted before, the result is read after). PyO3's
        // `detach` would do the same with more bookkeeping.
        unsafe { pyo3::ffi::PyEval_SaveThread() }
    }

    #[inline]
    fn reacquire(&mut self, saved: Self::Saved) {
        // SAFETY: `saved` is this thread's state from `release`.
        unsafe { pyo3::ffi::PyEval_RestoreThread(saved) };
    }
}

impl CData {
    /// A call with the positional arguments `args` (borrowed references),
    /// from either entry: the fast path if it takes them, else the general
    /// one.
    ///
    /// # Safety
    /// Each pointer is a live object, kept alive by the caller for the call.
    pub(crate) unsafe fn call_raw(
        &self,
        py: Python<'_>,
        args: &[*mut pyo3::ffi::PyObject],
    ) -> PyResult<Py<PyAny>> {
        if let Some(result) = self.call_fast(py, args)? {
            return Ok(result);
        }
        let args: smallvec::SmallVec<[Borrowed<'_, '_, PyAny>; 8]> = args
            .iter()
            // SAFETY: live objects (the function's contract).
            .map(|&p| unsafe { Borrowed::from_ptr(py, p) })
            .collect();
        self.call_with(py, &args)
    }

    /// The fast path of a call (F-07.01), for `args` (borrowed
    /// references): when this is a callable function pointer with a fast
    /// plan ([`FunctionInfo::fast_args`](crate::types::FunctionInfo)), the arguments are as many as
    /// it takes and each of the Python type its plan takes, converts them
    /// with no further dispatch, calls, and converts the result. `None`
    /// (before anything is called) sends the call down the general path,
    /// which also gives every error but those of pointer conversion.
    #[inline]
    pub(crate) fn call_fast(
        &self,
        py: Python<'_>,
        args: &[*mut pyo3::ffi::PyObject],
    ) -> PyResult<Option<Py<PyAny>>> {
        let Kind::Function(info) = &self.ctype.get().kind else {
            return Ok(None);
        };
        let (Some(plan), Ok(cif)) = (&info.fast_args, &info.cif) else {
            return Ok(None);
        };
        if plan.len() != args.len() || self.addr() == 0 {
            return Ok(None);
        }
        let code = self.addr() as *const c_void;
        let ret = if let Some(direct) = cif.direct() {
            // Straight into the registers the function reads them from.
            let mut regs = ffi_runtime::Registers::default();
            for (i, ((&kind, &arg), &place)) in
                plan.iter().zip(args).zip(direct.places()).enumerate()
            {
                let Some(value) = fast_value(py, info, i, kind, arg)? else {
                    return Ok(None);
                };
                let [lo, hi] = value.words();
                regs.put(place, lo, hi);
            }
            // SAFETY: `code` is the non-null address of a function of this
            // type (the cdata's, checked above).
            unsafe { direct.call(code, &regs, WithoutGil(py)) }
        } else {
            let mut slots = [Slot::default(); ffi_runtime::INLINE_ARGS];
            for (i, ((&kind, &arg), slot)) in
                plan.iter().zip(args).zip(slots.iter_mut()).enumerate()
            {
                let Some(value) = fast_value(py, info, i, kind, arg)? else {
                    return Ok(None);
                };
                value.store(slot);
            }
            // SAFETY: `code` is the non-null address of a function of this
            // type (the cdata's, checked above), and each slot holds an
            // argument converted for its parameter.
            unsafe { ffi_runtime::call_scalars(cif, code, &mut slots, args.len(), WithoutGil(py)) }
        };
        match cif.result() {
            ffi_runtime::Scalar::Void => return Ok(Some(py.None())),
            // A data pointer: a new pointer cdata, as `read_result` makes
            // it, without its dispatch.
            ffi_runtime::Scalar::Pointer
                if matches!(info.result.get().kind, Kind::Pointer { .. }) =>
            {
                let made =
                    CData::pointer(info.result.clone_ref(py), ret.read_ptr() as usize).wrap(py);
                return made.map(|r| Some(r.into_any()));
            }
            ffi_runtime::Scalar::Record { size, .. } => {
                // A struct of at most a slot's bytes (`fast_plan`), in the new
                // object's own word where it fits.
                let bytes = &ret.0[..(size as usize).min(ret.0.len())];
                let made = match CData::owned_word(py, &info.result, bytes) {
                    Some(made) => made,
                    None => convert::owned_copy(py, &info.result, bytes),
                };
                return made.map(|r| Some(r.into_any()));
            }
            _ => {}
        }
        convert::read_result(py, &info.result, &ret).map(Some)
    }

    /// The refusal of a call with keyword arguments (or of any call, for
    /// a cdata that is not a function pointer).
    pub(crate) fn keyword_call_error(&self) -> PyErr {
        match self.callable_info() {
            Ok(_) => {
                PyTypeError::new_err("a cdata function cannot be called with keyword arguments")
            }
            Err(e) => e,
        }
    }

    /// The function type of a function-pointer cdata; others are not
    /// callable.
    pub(crate) fn callable_info(&self) -> PyResult<&crate::types::FunctionInfo> {
        let ct = self.ctype.get();
        match &ct.kind {
            Kind::Function(info) => Ok(info),
            _ => Err(PyTypeError::new_err(format!(
                "cdata '{}' is not callable",
                ct.cname
            ))),
        }
    }

    /// The general path of a call (after [`CData::call_fast`] declined):
    /// checks and converts `args`, calls with the GIL released, converts
    /// the result.
    pub(crate) fn call_with(
        &self,
        py: Python<'_>,
        args: &[Borrowed<'_, '_, PyAny>],
    ) -> PyResult<Py<PyAny>> {
        let ct = self.ctype.get();
        let info = self.callable_info()?;
        let nargs = args.len();
        let nfixed = info.args.len();
        check_arity(ct, info, nargs)?;
        let fixed_cif = info
            .cif
            .as_ref()
            .map_err(|e| PyNotImplementedError::new_err(e.to_string()))?;
        // The variadic part: cdata only, promoted as C promotes them
        // (F-07.09, F-07.10), with an interface made for this call.
        let (extras, variadic_cif) = if info.variadic {
            // The extras' ids (a decayed array's pointer may be new) are
            // rooted once the function's cache holds them.
            let _pin = crate::types::collect::Pin::new();
            let extras = variadic_extras(py, args, nfixed)?;
            let ids: Vec<_> = extras.iter().map(|(id, _)| *id).collect();
            let cif = if ids.is_empty() {
                None
            } else {
                Some(variadic_interface(info, ids)?)
            };
            (extras, cif)
        } else {
            (Vec::new(), None)
        };
        let cif = variadic_cif.as_deref().unwrap_or(fixed_cif);
        if self.addr() == 0 {
            return Err(PyRuntimeError::new_err(format!(
                "cannot call null pointer pointer from cdata '{}'",
                ct.cname
            )));
        }
        let mut frame = Frame::new(nargs, cif.result_size());
        // Temporary arrays built from lists, tuples and strs for pointer
        // parameters (F-06.28); alive until the call returns (F-06.31).
        let mut temporaries: Vec<Py<CData>> = Vec::new();
        for (i, (arg_ct, arg)) in info.args.iter().zip(args.iter().copied()).enumerate() {
            let arg_ct = arg_ct.get();
            if let ffi_runtime::Scalar::Record { size, .. } = cif.args()[i] {
                frame.record_arg(i, size as usize, |mem| {
                    convert::write(py, arg_ct, &arg, mem)
                })?;
                continue;
            }
            let slot = &mut frame.slots_mut()[i];
            convert_argument(py, arg_ct, &arg, slot, &mut temporaries)?;
        }
        for (i, (_, value)) in extras.into_iter().enumerate() {
            match value {
                Extra::Value(v) => frame.slots_mut()[nfixed + i] = v,
                Extra::Record(buf) => frame.set_record_arg(nfixed + i, buf),
            }
        }
        // SAFETY: `code` is the non-null address of a function of this
        // type (checked above; for the variadic part, `cif` was made for
        // these arguments), each slot or buffer holds an argument
        // converted for its parameter, and the temporaries they point to
        // live until after the call.
        unsafe { frame.call(cif, self.addr() as *const c_void, WithoutGil(py)) };
        if let ffi_runtime::Scalar::Record { size, .. } = cif.result() {
            // A struct result: a new struct cdata owning a copy.
            let obj = convert::owned_copy(py, &info.result, frame.result_bytes(size as usize));
            return obj.map(Py::into_any);
        }
        convert::read_result(py, &info.result, &frame.result_slot())
    }
}

/// One argument converted by the call fast path.
enum Fast {
    /// An integer of `size` bytes.
    Int { value: i64, size: u32 },
    /// A `double`.
    F64(f64),
    /// A `float`.
    F32(f32),
    /// A pointer or a small struct's bytes, as libffi takes them.
    Slot(Slot),
}

// Always inlined: the match on the value folds into the one on the fast
// plan that made it.
#[allow(clippy::inline_always)]
impl Fast {
    /// The argument as register words (`Registers::put`): integers
    /// extended to a word (the value is in its type's range, so its
    /// two's complement is both extensions), floating values' bits.
    #[inline(always)]
    fn words(self) -> [u64; 2] {
        match self {
            Fast::Int { value, .. } => [value as u64, 0],
            Fast::F64(v) => [v.to_bits(), 0],
            Fast::F32(v) => [u64::from(v.to_bits()), 0],
            Fast::Slot(slot) => slot.words(),
        }
    }

    /// The argument in a libffi slot.
    #[inline(always)]
    fn store(self, slot: &mut Slot) {
        match self {
            Fast::Int { value, size } => slot.write_int(i128::from(value), size),
            Fast::F64(v) => slot.write_f64(v),
            Fast::F32(v) => slot.write_f32(v),
            Fast::Slot(s) => *slot = s,
        }
    }
}

/// Argument `i` of a fast call, `arg` (a borrowed reference), converted
/// as the fast plan's `kind` says; `None` if it is not of the Python type
/// the plan takes (the general path converts it, or says why not).
#[allow(clippy::inline_always)]
#[inline(always)]
fn fast_value(
    py: Python<'_>,
    info: &crate::types::FunctionInfo,
    i: usize,
    kind: crate::types::FastArg,
    arg: *mut pyo3::ffi::PyObject,
) -> PyResult<Option<Fast>> {
    use crate::types::FastArg;
    use pyo3::ffi;
    // SAFETY: `arg` is a live object (the caller's borrowed reference);
    // the checks below only read its type, and the conversions are those
    // of its exact type.
    unsafe {
        let tp = ffi::Py_TYPE(arg);
        Ok(Some(match kind {
            FastArg::Int { size, min, max } => {
                if tp != &raw mut ffi::PyLong_Type {
                    return Ok(None);
                }
                let mut overflow = 0;
                // An exact int: no exception, only the flag.
                let v = ffi::PyLong_AsLongLongAndOverflow(arg, &raw mut overflow);
                if overflow != 0 || v < min || v > max {
                    return Ok(None);
                }
                Fast::Int { value: v, size }
            }
            FastArg::F64 | FastArg::F32 => {
                if tp != &raw mut ffi::PyFloat_Type {
                    return Ok(None);
                }
                let v = ffi::PyFloat_AsDouble(arg);
                if matches!(kind, FastArg::F32) {
                    Fast::F32(v as f32)
                } else {
                    Fast::F64(v)
                }
            }
            FastArg::Pointer => {
                let arg = Borrowed::from_ptr(py, arg);
                if !(crate::object::as_cdata(&arg).is_some() || tp == &raw mut ffi::PyBytes_Type) {
                    return Ok(None);
                }
                let mut slot = Slot::default();
                convert::write_arg(info.args[i].get(), &arg, &mut slot)?;
                Fast::Slot(slot)
            }
            FastArg::Record { size } => {
                // A cdata of the parameter's own struct type: its bytes,
                // as the general path copies them. Anything else
                // (initializers, errors) goes that way.
                let arg = Borrowed::from_ptr(py, arg);
                let Some(cd) = crate::object::as_cdata(&arg) else {
                    return Ok(None);
                };
                let cd = cd.get();
                let param = &info.args[i];
                if cd.ctype.as_ptr() != param.as_ptr() && cd.ctype.get().id != param.get().id {
                    return Ok(None);
                }
                let Some(mem) = cd.region(py).ok().and_then(|m| m.try_at(0, size as usize)) else {
                    return Ok(None);
                };
                Fast::Slot(mem.load(size as usize))
            }
        }))
    }
}

/// The refusal of a call with the wrong number of arguments (at least the
/// fixed ones, for a variadic function).
fn check_arity(ct: &CType, info: &crate::types::FunctionInfo, nargs: usize) -> PyResult<()> {
    let nfixed = info.args.len();
    if info.variadic {
        if nargs < nfixed {
            return Err(PyTypeError::new_err(format!(
                "'{}' expects at least {nfixed} arguments, got {nargs}",
                ct.cname
            )));
        }
    } else if nargs != nfixed {
        return Err(PyTypeError::new_err(format!(
            "'{}' expects {nfixed} arguments, got {nargs}",
            ct.cname
        )));
    }
    Ok(())
}

/// Converts `arg` for a (non-struct) parameter of type `param` into
/// `slot`: an exact int directly; for objects that are not cdata, the
/// argument-only conversions (a Python file for `FILE *`, a list, tuple or
/// str as a temporary array, which `temporaries` keeps alive until the
/// call returns, F-06.28, F-06.31); everything else as an initializer.
fn convert_argument(
    py: Python<'_>,
    param: &CType,
    arg: &Bound<'_, PyAny>,
    slot: &mut Slot,
    temporaries: &mut Vec<Py<CData>>,
) -> PyResult<()> {
    // Fast path: an exact int for an integer parameter.
    if let (Some(repr), true) = (
        param.int_repr,
        arg.is_exact_instance_of::<pyo3::types::PyInt>(),
    ) {
        if let Ok(v) = arg.extract::<i64>() {
            let (min, max) = param.int_range.unwrap_or((i128::MIN, i128::MAX));
            if (min..=max).contains(&i128::from(v)) {
                slot.write_int(i128::from(v), repr.size() as u32);
                return Ok(());
            }
        }
    }
    // The argument-only conversions, for objects that are not cdata (so a
    // cdata argument, the usual case, skips them).
    if crate::object::as_cdata(arg).is_none() {
        // A Python file object for `FILE *` (F-06.33).
        if crate::types::is_file_pointer(param) {
            if let Some(stream) = crate::convert::file::stream_of(py, arg)? {
                slot.write_ptr(stream as *const c_void);
                return Ok(());
            }
        }
        if let Some(temp) = temporary_array(py, param, arg)? {
            slot.write_ptr(temp.get().addr() as *const c_void);
            temporaries.push(temp);
            return Ok(());
        }
        if arg.is_instance_of::<PyString>() {
            if let Some(e) = convert::str_argument_error(param) {
                return Err(e);
            }
        }
    }
    convert::write_arg(param, arg, slot)
}

/// The call interface of a variadic function for these `...` argument
/// types: from the function's small cache, or made now (and cached).
fn variadic_interface(
    info: &crate::types::FunctionInfo,
    ids: Vec<ctypes_model::TypeId>,
) -> PyResult<std::sync::Arc<ffi_runtime::CallInterface>> {
    info.variadic_cifs
        .get_or_build(ids, |ids| {
            let reg = registry::lock();
            ffi_runtime::CallInterface::new_variadic(&reg.types, info.func, ids)
        })
        .map_err(|e| PyNotImplementedError::new_err(e.to_string()))
}

/// For a pointer parameter `T *` given a list or tuple (or a str, for wide
/// characters): a new `T[]` holding it, as `ffi.new("T[]", arg)` would
/// (F-06.28).
fn temporary_array(
    py: Python<'_>,
    param: &CType,
    arg: &Bound<'_, PyAny>,
) -> PyResult<Option<Py<CData>>> {
    let Kind::Pointer { item } = &param.kind else {
        return Ok(None);
    };
    let wide = matches!(&item.get().kind, Kind::Primitive(p)
        if p.kind() == ctypes_model::PrimitiveKind::WideChar);
    let is_sequence = arg.is_instance_of::<pyo3::types::PyList>()
        || arg.is_instance_of::<PyTuple>()
        || (wide && arg.is_instance_of::<PyString>());
    if !is_sequence || matches!(item.get().kind, Kind::Void) {
        return Ok(None);
    }
    let array = convert::open_array_of(py, item.get())?;
    convert::newp(py, &array, Some(arg)).map(Some)
}

/// The arguments after the fixed ones of a variadic call: each must be a
/// cdata; small integers are promoted to `int` and arrays passed as
/// pointers to their first item. Returns the C type of each and its value.
fn variadic_extras(
    py: Python<'_>,
    args: &[Borrowed<'_, '_, PyAny>],
    nfixed: usize,
) -> PyResult<Vec<(ctypes_model::TypeId, Extra)>> {
    let mut out = Vec::new();
    for (i, arg) in args.iter().enumerate().skip(nfixed) {
        let Some(cd) = crate::object::as_cdata(arg) else {
            return Err(PyTypeError::new_err(format!(
                "argument {} passed in the variadic part needs to be a cdata object (got {})",
                i + 1,
                arg.get_type().name()?
            )));
        };
        let cd = cd.get();
        let ct = cd.ctype.get();
        let mut slot = Slot::default();
        let id = match (&ct.kind, cd.prim()) {
            // A struct by value (F-07.10): a copy of its bytes.
            (Kind::Record { .. }, _) => {
                let size = ct.size().unwrap_or(0) as usize;
                let mut buf = ffi_runtime::record_buf(size);
                let from = convert::within(cd.region(py)?, size, &ct.cname)?;
                Region::of_units(&mut buf).at(0, size).copy_from(from);
                out.push((ct.id, Extra::Record(buf)));
                continue;
            }
            (Kind::Array { item, .. }, _) => {
                slot.write_ptr(cd.data_addr(py)? as *const c_void);
                registry::lock().types.pointer(item.get().id)
            }
            (_, None) => {
                slot.write_ptr(cd.data_addr(py)? as *const c_void);
                ct.id
            }
            (_, Some(p)) => match promoted(p, ct) {
                Some(v) => {
                    slot.write_int(v, 4);
                    registry::lock()
                        .types
                        .primitive(ctypes_model::Primitive::Int)
                }
                None => {
                    slot = cd.slot().expect("a primitive value");
                    ct.id
                }
            },
        };
        out.push((id, Extra::Value(slot)));
    }
    Ok(out)
}

/// The `int` a small integer-like value of type `ct` is promoted to in
/// the variadic part (F-07.10), if it is.
fn promoted(p: Prim, ct: &CType) -> Option<i128> {
    ffi_runtime::value::promoted_to_int(p, ct.size()?, 4)
}

/// One argument of the variadic part, converted.
enum Extra {
    /// A scalar, in a slot.
    Value(Slot),
    /// A struct by value: its bytes (16-byte units, for any alignment).
    Record(RecordBuf),
}
