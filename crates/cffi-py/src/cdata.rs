//! `_CDataBase`: the Python object for a C value (`<cdata 'int(*)(int)' 0x...>`).
//!
//! This first version holds pointer-like values (pointers and function
//! pointers: the address is the value) and `long double` values returned by
//! calls (kept as bytes, F-06.14). Owned memory from `ffi.new()` comes with
//! the cdata issue.

use crate::convert;
use crate::ctype::{CType, Kind};
use ffi_runtime::Slot;
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
    /// For primitive values held by the cdata (`long double` results).
    value: Option<Box<[u8; 16]>>,
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

    /// A `long double` value.
    pub fn long_double(ctype: Py<CType>, bytes: [u8; 16]) -> CData {
        CData {
            ctype,
            addr: 0,
            value: Some(Box::new(bytes)),
        }
    }

    /// The bytes of a `long double` value, if this is one.
    pub fn long_double_bytes(&self) -> Option<[u8; 16]> {
        match self.ctype.get().kind {
            Kind::Primitive(ctypes_model::Primitive::LongDouble) => self.value.as_deref().copied(),
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

/// C's `%LE` format, as cffi prints `long double` values.
fn format_le(v: f64) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "NAN".into()
        } else if v > 0.0 {
            "INF".into()
        } else {
            "-INF".into()
        };
    }
    let s = format!("{v:.6E}");
    let (mantissa, exp) = s.split_once('E').expect("E format");
    let exp: i32 = exp.parse().expect("exponent");
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}E{sign}{:02}", exp.abs())
}

#[pymethods]
impl CData {
    fn __repr__(&self) -> String {
        let ct = self.ctype.get();
        if let Some(bytes) = self.long_double_bytes() {
            return format!(
                "<cdata '{}' {}>",
                ct.cname,
                format_le(ffi_runtime::long_double_to_f64(&bytes))
            );
        }
        if self.addr == 0 {
            format!("<cdata '{}' NULL>", ct.cname)
        } else {
            format!("<cdata '{}' {:#x}>", ct.cname, self.addr)
        }
    }

    fn __bool__(&self) -> bool {
        match self.long_double_bytes() {
            Some(bytes) => ffi_runtime::long_double_to_f64(&bytes) != 0.0,
            None => self.addr != 0,
        }
    }

    fn __float__(&self) -> PyResult<f64> {
        match self.long_double_bytes() {
            Some(bytes) => Ok(ffi_runtime::long_double_to_f64(&bytes)),
            None => Err(PyTypeError::new_err(format!(
                "float() not supported on cdata '{}'",
                self.ctype.get().cname
            ))),
        }
    }

    fn __int__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        if let Some(bytes) = self.long_double_bytes() {
            let v = ffi_runtime::long_double_to_f64(&bytes);
            return py
                .get_type::<pyo3::types::PyInt>()
                .call1((v,))
                .map(Bound::unbind);
        }
        Ok(self.addr.into_pyobject(py)?.into_any().unbind())
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
            if nargs > nfixed {
                return Err(PyNotImplementedError::new_err(
                    "arguments in the '...' part of a variadic function are not supported yet",
                ));
            }
        } else if nargs != nfixed {
            return Err(PyTypeError::new_err(format!(
                "'{}' expects {nfixed} arguments, got {nargs}",
                ct.cname
            )));
        }
        let cif = info
            .cif
            .as_ref()
            .map_err(|e| PyNotImplementedError::new_err(e.to_string()))?;
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

#[cfg(test)]
mod tests {
    use super::format_le;

    #[test]
    fn long_double_repr_matches_c_format() {
        assert_eq!(format_le(1.5), "1.500000E+00");
        assert_eq!(format_le(-0.000_123), "-1.230000E-04");
        assert_eq!(format_le(1e300), "1.000000E+300");
        assert_eq!(format_le(0.0), "0.000000E+00");
    }
}
