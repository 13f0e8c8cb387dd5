//! `_CDataBase`: the Python object for a C value (`<cdata 'int(*)(int)' 0x...>`).
//!
//! This version holds pointer-like values (pointers, arrays, function
//! pointers: the address is the value) and primitive values (from
//! `ffi.cast()` and `long double` results, kept in a slot in C's memory
//! layout). Owned memory from `ffi.new()` comes with the cdata issue.

use crate::convert;
use crate::ctype::{CType, Kind};
use crate::registry;
use crate::value::{self, Prim};
use ffi_runtime::Slot;
use pyo3::basic::CompareOp;
use pyo3::exceptions::{PyNotImplementedError, PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use smallvec::SmallVec;
use std::cell::Cell;
use std::ffi::c_void;

thread_local! {
    /// `ffi.errno`: the errno saved after this thread's last C call, and
    /// restored before its next one (F-03.4, F-07.3).
    pub static SAVED_ERRNO: Cell<i32> = const { Cell::new(0) };
}

/// A C value seen from Python.
#[pyclass(frozen, module = "_cffi_backend", name = "_CDataBase")]
pub struct CData {
    /// The value's type.
    pub ctype: Py<CType>,
    /// For pointer-like ctypes, the pointer itself.
    pub addr: usize,
    /// For primitive and enum values: the value, in C's memory layout.
    value: Option<Box<Slot>>,
}

impl CData {
    /// A pointer-like cdata (pointer, function pointer) holding `addr`.
    pub fn pointer(ctype: Py<CType>, addr: usize) -> CData {
        CData {
            ctype,
            addr,
            value: None,
        }
    }

    /// A primitive value (memory layout in `slot`).
    pub fn scalar(ctype: Py<CType>, slot: Slot) -> CData {
        CData {
            ctype,
            addr: 0,
            value: Some(Box::new(slot)),
        }
    }

    /// A `long double` value.
    pub fn long_double(ctype: Py<CType>, bytes: [u8; 16]) -> CData {
        CData::scalar(ctype, Slot(bytes))
    }

    /// The primitive value this cdata holds, decoded.
    pub fn prim(&self) -> Option<Prim> {
        value::read(self.ctype.get(), self.value.as_deref()?)
    }

    /// The raw slot of a primitive value.
    pub fn slot(&self) -> Option<&Slot> {
        self.value.as_deref()
    }

    /// The bytes of a `long double` value, if this is one.
    pub fn long_double_bytes(&self) -> Option<[u8; 16]> {
        match self.prim()? {
            Prim::LongDouble(b) => Some(b),
            _ => None,
        }
    }
}

/// The pieces of one C call, moved to the thread-state-free section.
struct RawCall<'a> {
    cif: &'a ffi_runtime::CallInterface,
    code: *const c_void,
    args: &'a mut [*mut c_void],
    ret: *mut c_void,
}

// SAFETY: a `RawCall` is only moved into `Python::detach`, which runs the
// closure on the same OS thread; the pointers stay valid for its duration
// because their owners (the argument tuple, the slots) outlive the call.
unsafe impl Send for RawCall<'_> {}

impl RawCall<'_> {
    fn run(self) {
        ffi_runtime::errno::set(SAVED_ERRNO.with(Cell::get));
        // SAFETY: `code` is the non-null address of a function whose type
        // the cif describes (checked by the caller), each argument pointer
        // refers to a slot converted for its declared type, and `ret` is a
        // whole slot.
        unsafe { self.cif.call(self.code, self.args, self.ret) };
        SAVED_ERRNO.with(|e| e.set(ffi_runtime::errno::get()));
    }
}

#[pymethods]
impl CData {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let ct = self.ctype.get();
        if let Some(p) = self.prim() {
            // Enums show the first name of their value (F-05.08).
            if let (Kind::Enum(eid), Prim::Int(v)) = (&ct.kind, p) {
                let name = registry::lock()
                    .types
                    .enum_def(*eid)
                    .values
                    .iter()
                    .find(|(_, x)| *x == v)
                    .map(|(n, _)| n.clone());
                if let Some(name) = name {
                    return Ok(format!("<cdata '{}' {v}: {name}>", ct.cname));
                }
            }
            return Ok(format!("<cdata '{}' {}>", ct.cname, p.repr(py)?));
        }
        Ok(if self.addr == 0 {
            format!("<cdata '{}' NULL>", ct.cname)
        } else {
            format!("<cdata '{}' {:#x}>", ct.cname, self.addr)
        })
    }

    fn __bool__(&self) -> bool {
        match self.prim() {
            Some(p) => p.is_true(),
            None => self.addr != 0,
        }
    }

    fn __float__(&self) -> PyResult<f64> {
        match self.prim() {
            Some(p @ (Prim::Float(_) | Prim::LongDouble(_))) => Ok(p.as_f64()),
            _ => Err(PyTypeError::new_err(format!(
                "float() not supported on cdata '{}'",
                self.ctype.get().cname
            ))),
        }
    }

    fn __int__(&self) -> PyResult<i128> {
        match self.prim() {
            Some(p) => p.as_int(),
            None => Err(PyTypeError::new_err(format!(
                "int() not supported on cdata '{}'",
                self.ctype.get().cname
            ))),
        }
    }

    /// Primitive cdata compare by value with Python values and with each
    /// other; pointer-like cdata by address (F-05.19..F-05.24).
    fn __richcmp__(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        op: CompareOp,
    ) -> PyResult<Py<PyAny>> {
        if matches!(self.prim(), Some(Prim::LongDouble(_))) {
            return Err(PyNotImplementedError::new_err(format!(
                "cannot use <cdata '{}'> in a comparison",
                self.ctype.get().cname
            )));
        }
        let other_cd = other.cast::<CData>().ok();
        match (self.prim(), other_cd.as_ref().map(|o| o.get())) {
            (Some(mine), Some(theirs)) => match theirs.prim() {
                Some(t) => mine
                    .to_python(py)?
                    .bind(py)
                    .rich_compare(t.to_python(py)?, op)
                    .map(Bound::unbind),
                None => eq_only(py, op, false),
            },
            (Some(mine), None) => mine
                .to_python(py)?
                .bind(py)
                .rich_compare(other, op)
                .map(Bound::unbind),
            (None, Some(theirs)) if theirs.prim().is_none() => Ok(op
                .matches(self.addr.cmp(&theirs.addr))
                .into_pyobject(py)?
                .to_owned()
                .into_any()
                .unbind()),
            (None, _) => eq_only(py, op, false),
        }
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        match self.prim() {
            // Pointer-like: equal addresses hash equal (F-05.21).
            None => Ok(self.addr as isize),
            // Not comparable, so identity is enough (F-05.23).
            Some(Prim::LongDouble(_)) => Ok(std::ptr::from_ref(self) as isize),
            Some(p) => p.to_python(py)?.bind(py).hash(),
        }
    }

    #[getter]
    fn __name__(&self) -> &'static str {
        "<cdata>"
    }

    /// Calls a function-pointer cdata (F-05.51, F-07.01..F-07.03).
    #[pyo3(signature = (*args, **kwargs))]
    fn __call__(
        &self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let ct = self.ctype.get();
        let Kind::Function(info) = &ct.kind else {
            return Err(PyTypeError::new_err(format!(
                "cdata '{}' is not callable",
                ct.cname
            )));
        };
        if kwargs.is_some_and(|k| !k.is_empty()) {
            return Err(PyTypeError::new_err(
                "a cdata function cannot be called with keyword arguments",
            ));
        }
        let nargs = args.len();
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
        let fixed_cif = info
            .cif
            .as_ref()
            .map_err(|e| PyNotImplementedError::new_err(e.to_string()))?;
        // The variadic part: cdata only, promoted as C promotes them
        // (F-07.09, F-07.10), with an interface made for this call.
        let extras = variadic_extras(args, nfixed)?;
        let variadic_cif = if extras.is_empty() {
            None
        } else {
            let reg = registry::lock();
            let ids: Vec<_> = extras.iter().map(|(id, _)| *id).collect();
            let built = ffi_runtime::CallInterface::new_variadic(&reg.types, info.func, &ids);
            drop(reg);
            Some(built.map_err(|e| PyNotImplementedError::new_err(e.to_string()))?)
        };
        let cif = variadic_cif.as_ref().unwrap_or(fixed_cif);
        if self.addr == 0 {
            return Err(PyRuntimeError::new_err(format!(
                "cannot call null pointer pointer from cdata '{}'",
                ct.cname
            )));
        }
        let mut slots: SmallVec<[Slot; 8]> = SmallVec::from_elem(Slot::default(), nargs);
        for ((arg_ct, arg), slot) in info.args.iter().zip(args.iter()).zip(slots.iter_mut()) {
            convert::write_arg(arg_ct.get(), &arg, slot)?;
        }
        for ((_, value), slot) in extras.into_iter().zip(slots.iter_mut().skip(nfixed)) {
            *slot = value;
        }
        let mut ptrs: SmallVec<[*mut c_void; 8]> = slots.iter_mut().map(Slot::as_mut_ptr).collect();
        let mut ret = Slot::default();
        let call = RawCall {
            cif,
            code: self.addr as *const c_void,
            args: &mut ptrs,
            ret: ret.as_mut_ptr(),
        };
        py.detach(move || call.run());
        convert::read_result(py, &info.result, &ret)
    }
}

/// `==`/`!=` between things that are never equal; ordering is a TypeError
/// (F-05.22).
fn eq_only(py: Python<'_>, op: CompareOp, equal: bool) -> PyResult<Py<PyAny>> {
    let result = match op {
        CompareOp::Eq => equal,
        CompareOp::Ne => !equal,
        _ => return Err(PyTypeError::new_err("cannot compare these cdata by order")),
    };
    Ok(result.into_pyobject(py)?.to_owned().into_any().unbind())
}

/// The arguments after the fixed ones of a variadic call: each must be a
/// cdata; small integers are promoted to `int` and arrays passed as
/// pointers to their first item. Returns the C type of each and its value.
fn variadic_extras(
    args: &Bound<'_, PyTuple>,
    nfixed: usize,
) -> PyResult<Vec<(ctypes_model::TypeId, Slot)>> {
    let mut out = Vec::new();
    for (i, arg) in args.iter().enumerate().skip(nfixed) {
        let Ok(cd) = arg.cast::<CData>() else {
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
            (Kind::Array { item, .. }, _) => {
                slot.write_ptr(cd.addr as *const c_void);
                registry::lock().types.pointer(item.get().id)
            }
            (_, None) => {
                slot.write_ptr(cd.addr as *const c_void);
                ct.id
            }
            (_, Some(p @ (Prim::Int(_) | Prim::Char(_) | Prim::Bool(_) | Prim::Wide(_))))
                if ct.size().is_some_and(|s| s < 4) =>
            {
                slot.write_int(p.as_int()?, 4);
                registry::lock()
                    .types
                    .primitive(ctypes_model::Primitive::Int)
            }
            (_, Some(_)) => {
                slot = *cd.slot().expect("a primitive value");
                ct.id
            }
        };
        out.push((id, slot));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::value::format_le;

    #[test]
    fn long_double_repr_matches_c_format() {
        assert_eq!(format_le(1.5), "1.500000E+00");
        assert_eq!(format_le(-0.000_123), "-1.230000E-04");
        assert_eq!(format_le(1e300), "1.000000E+300");
        assert_eq!(format_le(0.0), "0.000000E+00");
    }
}
