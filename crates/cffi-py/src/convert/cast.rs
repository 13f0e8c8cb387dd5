//! `ffi.cast()` (F-03.27..F-03.35).

use super::to_c::type_name;
use crate::object::{CData, PrimPy};
use crate::types::CType;
use ctypes_model::{Primitive, PrimitiveKind};
use ffi_runtime::value::Prim;
use ffi_runtime::Slot;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use pyo3::types::{PyFloat, PyInt};

/// The integer a value stands for when cast to an integer or pointer type
/// (F-03.27, F-03.30): ints, bools, floats (truncated), one-character
/// bytes and str, and cdata (their value, or their address).
pub(crate) fn cast_source_int(obj: &Bound<'_, PyAny>, target: &CType) -> PyResult<i128> {
    // A cdata first: the usual source, and the cheapest check.
    if let Some(cd) = crate::object::as_cdata(obj) {
        let cd = cd.get();
        return match cd.prim() {
            Some(p) => p.as_int(),
            None if cd.ctype.get().is_pointer_like() => Ok(cd.addr() as i128),
            None => Err(PyTypeError::new_err(format!(
                "cannot cast ctype '{}' to ctype '{}'",
                cd.ctype.get().cname,
                target.cname
            ))),
        };
    }
    if let Some(f) = super::builtin_function(obj)? {
        return cast_source_int(f.as_any(), target);
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(v) = obj.extract::<i64>() {
            return Ok(i128::from(v));
        }
        // Wider than 128 bits: only the low bits matter once masked.
        let masked = obj.call_method1("__and__", (u128::MAX,))?;
        return Ok(masked.extract::<u128>()? as i128);
    }
    if obj.is_instance_of::<PyFloat>() {
        let f: f64 = obj.extract()?;
        return Prim::Float(f).as_int();
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        if let [c] = b.as_bytes() {
            return Ok(i128::from(*c));
        }
        return Err(PyTypeError::new_err(format!(
            "initializer for ctype 'char' must be a bytes of length 1, not {}",
            type_name(obj)
        )));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        let s = s.to_cow()?;
        let mut chars = s.chars();
        return match (chars.next(), chars.next()) {
            (Some(c), None) => Ok(i128::from(c as u32)),
            _ => Err(PyTypeError::new_err(format!(
                "cannot cast unicode string of length {} to ctype '{}'",
                s.chars().count(),
                target.cname
            ))),
        };
    }
    // Any object with `__int__` or `__index__` casts as its integer, as
    // in the original (which calls `int()` on it).
    let py = obj.py();
    if obj.hasattr(pyo3::intern!(py, "__int__"))? || obj.hasattr(pyo3::intern!(py, "__index__"))? {
        let as_int = py.get_type::<PyInt>().call1((obj,))?;
        return cast_source_int(&as_int, target);
    }
    Err(PyTypeError::new_err("an integer is required"))
}

/// `ffi.cast(ctype, value)`: a new non-owning cdata of `ctype`.
pub fn cast(
    py: Python<'_>,
    ctype: &Py<CType>,
    obj: &Bound<'_, PyAny>,
) -> PyResult<crate::object::NewCData> {
    let ct = ctype.get();
    let mut slot = Slot::default();
    if ct.is_pointer_like() {
        // The usual case first: a pointer or array cdata gives its
        // address (what the checks below come to for it).
        if let Some(cd) = crate::object::as_cdata(obj) {
            let cd = cd.get();
            if cd.prim().is_none() && cd.ctype.get().is_pointer_like() {
                return Ok(CData::pointer(ctype.clone_ref(py), cd.addr()));
            }
        }
        // `ffi.cast("FILE *", fileobj)` (F-06.34).
        if crate::types::is_file_pointer(ct) {
            if let Some(stream) = crate::convert::file::stream_of(py, obj)? {
                return Ok(CData::pointer(ctype.clone_ref(py), stream));
            }
        }
        // Characters make no addresses (unlike for integer targets).
        if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
            return Err(PyTypeError::new_err("an integer is required"));
        }
        let v = cast_source_int(obj, ct)?;
        let bits = usize::BITS;
        let addr = (v as u128 & (u128::MAX >> (128 - bits))) as usize;
        return Ok(CData::pointer(ctype.clone_ref(py), addr));
    }
    let Some(p) = ct.encoding().map(|e| e.primitive) else {
        return Err(PyTypeError::new_err(format!(
            "cannot cast to ctype '{}'",
            ct.cname
        )));
    };
    let kind = p.kind();
    let size = ct.size().unwrap_or(0) as u32;
    match kind {
        PrimitiveKind::Float | PrimitiveKind::LongDouble => {
            let f = if let Some(cd) = crate::object::as_cdata(obj) {
                match cd.get().prim() {
                    Some(Prim::LongDouble(b))
                        if kind == PrimitiveKind::LongDouble && size == 16 =>
                    {
                        slot.0 = b;
                        return Ok(CData::scalar(ctype.clone_ref(py), slot));
                    }
                    Some(v) => v.as_f64(),
                    None => return Err(cannot_cast_cdata(cd.get(), ct)),
                }
            } else if obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyString>() {
                single_char_code(obj, ct)?
            } else {
                obj.extract::<f64>()?
            };
            if kind == PrimitiveKind::LongDouble && size > 8 {
                slot.0 = ffi_runtime::f64_to_long_double(f);
            } else if p == Primitive::Float {
                slot.write_f32(f as f32);
            } else {
                slot.write_f64(f);
            }
        }
        PrimitiveKind::Bool => {
            let truth = match crate::object::as_cdata(obj) {
                Some(cd) => cd.get().prim().map_or(cd.get().addr() != 0, Prim::is_true),
                None if obj.is_instance_of::<PyFloat>() => obj.extract::<f64>()? != 0.0,
                // Any int, however large: only its sign matters.
                None if obj.is_instance_of::<pyo3::types::PyInt>() => obj.is_truthy()?,
                None => cast_source_int(obj, ct)? != 0,
            };
            slot.write_int(i128::from(truth), 1);
        }
        PrimitiveKind::Complex => {
            // A primitive cdata casts by its value (a `char` by its code),
            // a one-character bytes or str by its code; anything else as
            // Python makes a complex of it.
            let (re, im) = if let Some(cd) = crate::object::as_cdata(obj) {
                match cd.get().prim() {
                    Some(Prim::Complex(re, im)) => (re, im),
                    Some(p) => (p.as_f64(), 0.0),
                    None => return Err(cannot_cast_cdata(cd.get(), ct)),
                }
            } else if obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyString>() {
                (single_char_code(obj, ct)?, 0.0)
            } else {
                crate::convert::complex_parts(obj)?
            };
            crate::convert::store_complex(re, im, size, &mut slot);
        }
        _ => {
            let v = cast_source_int(obj, ct)?;
            // Casts wrap modulo 2**bits (F-06.06).
            slot.write_int(v, size);
        }
    }
    Ok(CData::scalar(ctype.clone_ref(py), slot))
}

/// The refusal of a cast from a cdata that is no primitive value.
fn cannot_cast_cdata(cd: &CData, ct: &CType) -> PyErr {
    PyTypeError::new_err(format!(
        "cannot cast ctype '{}' to ctype '{}'",
        cd.ctype.get().cname,
        ct.cname
    ))
}

/// The code of a one-character bytes or str, cast to a float or complex
/// type; a longer one is refused.
fn single_char_code(obj: &Bound<'_, PyAny>, ct: &CType) -> PyResult<f64> {
    if !obj.len().is_ok_and(|n| n == 1) {
        return Err(PyTypeError::new_err(format!(
            "cannot cast {} object to ctype '{}'",
            type_name(obj),
            ct.cname
        )));
    }
    Ok(cast_source_int(obj, ct)? as f64)
}
