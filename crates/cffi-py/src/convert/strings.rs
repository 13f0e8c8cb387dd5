//! `ffi.string()` and `ffi.unpack()` (F-03.39..F-03.45).

use super::read::{int_list, read};
use super::write::{is_byte_item, is_wide_item};
use crate::object::{CData, PrimPy};
use crate::types::{CType, IntRepr, Kind};
use ctypes_model::{Primitive, Target};
use ffi_runtime::memory as raw;
use ffi_runtime::value::Prim;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString};

/// The code units of `n` wide characters of `unit` bytes at `addr` as a
/// Python str: UTF-16 pairs are combined, lone surrogates kept.
///
/// # Safety
/// `addr` must be readable for `n` units.
pub(crate) unsafe fn wide_str(
    py: Python<'_>,
    item: &CType,
    addr: usize,
    n: usize,
) -> PyResult<Py<PyAny>> {
    let unit = item.size().unwrap_or(4) as usize;
    // SAFETY: the caller vouches for `n` readable units at `addr`.
    let raw = unsafe { raw::bytes(addr, n * unit) };
    let codec = if unit == 2 { "utf-16-le" } else { "utf-32-le" };
    let decoded = PyBytes::new(py, raw).call_method1("decode", (codec, "surrogatepass"));
    decoded.map(Bound::unbind).map_err(|e| {
        // Only UTF-32 units can be out of range (cffi 2.0.0 raises
        // SystemError; docs/compat.md).
        let signed = matches!(item.kind, Kind::Primitive(p) if p.is_signed(&Target::host()));
        raw.chunks_exact(unit)
            .map(|u| {
                let v = u32::from_le_bytes(u.try_into().unwrap_or([0; 4]));
                if signed {
                    i64::from(v as i32)
                } else {
                    i64::from(v)
                }
            })
            .find(|&v| !ffi_runtime::value::is_code_point(v))
            .map_or(e, crate::object::wide_out_of_range)
    })
}

/// `ffi.string(cdata, maxlen)` (F-03.39..F-03.43).
pub fn string(py: Python<'_>, cd: &Bound<'_, CData>, maxlen: isize) -> PyResult<Py<PyAny>> {
    let this = cd.get();
    let ct = this.ctype.get();
    let unexpected = || {
        PyTypeError::new_err(format!(
            "string(): unexpected cdata '{}' argument",
            ct.cname
        ))
    };
    match &ct.kind {
        Kind::Pointer { item } | Kind::Array { item, .. } => {
            let item = item.get();
            if !is_byte_item(item) && !is_wide_item(item) {
                return Err(unexpected());
            }
            let base = this.data_addr(py)?;
            if base == 0 {
                return Err(pyo3::exceptions::PyRuntimeError::new_err(format!(
                    "cannot use string() on {}",
                    cd.repr()?
                )));
            }
            let mut limit = matches!(ct.kind, Kind::Array { .. }).then_some(this.length);
            if let Ok(max) = usize::try_from(maxlen) {
                limit = Some(limit.map_or(max, |l| l.min(max)));
            }
            let unit = item.size().unwrap_or(1) as usize;
            // SAFETY: a live cdata's memory: an array is read up to its
            // length at most; a pointer is trusted to reach a NUL, as in C
            // and in cffi.
            let n = unsafe { raw::units_before_nul(base, unit, limit) };
            if is_byte_item(item) {
                // SAFETY: the `n` bytes before the NUL (or the limit) were just read.
                let bytes = unsafe { raw::bytes(base, n) };
                return Ok(PyBytes::new(py, bytes).into_any().unbind());
            }
            // SAFETY: as for the bytes above, `n` units.
            unsafe { wide_str(py, item, base, n) }
        }
        Kind::Enum(eid) => {
            let Some(Prim::Int(v)) = this.prim() else {
                return Err(unexpected());
            };
            let name = crate::types::enum_name(*eid, v);
            Ok(PyString::new(py, &name.unwrap_or_else(|| v.to_string()))
                .into_any()
                .unbind())
        }
        Kind::Primitive(_) => match this.prim() {
            Some(p @ (Prim::Char(_) | Prim::Wide(_))) => p.to_python(py),
            _ => Err(unexpected()),
        },
        _ => Err(unexpected()),
    }
}

/// `ffi.unpack(cdata, length)` (F-03.44, F-03.45).
pub fn unpack(py: Python<'_>, cd: &Bound<'_, CData>, length: isize) -> PyResult<Py<PyAny>> {
    let this = cd.get();
    let ct = this.ctype.get();
    let (Kind::Pointer { item } | Kind::Array { item, .. }) = &ct.kind else {
        return Err(PyTypeError::new_err(format!(
            "expected a pointer or array, got '{}'",
            ct.cname
        )));
    };
    let Ok(n) = usize::try_from(length) else {
        return Err(PyValueError::new_err("'length' cannot be negative"));
    };
    let base = this.data_addr(py)?;
    if base == 0 {
        return Err(pyo3::exceptions::PyRuntimeError::new_err(format!(
            "cannot use unpack() on {}",
            cd.repr()?
        )));
    }
    let it = item.get();
    let size = match (&it.kind, it.size()) {
        (Kind::Void, _) | (_, None) => {
            return Err(PyValueError::new_err(format!(
                "'{}' points to items of unknown size",
                ct.cname
            )))
        }
        (_, Some(s)) => s as usize,
    };
    if matches!(it.kind, Kind::Primitive(Primitive::Char)) {
        // SAFETY: the user asked for `n` items of this pointer (as in C, no
        // bounds are known for pointers); arrays are trusted the same way
        // cffi trusts them.
        let bytes = unsafe { raw::bytes(base, n) };
        return Ok(PyBytes::new(py, bytes).into_any().unbind());
    }
    if is_wide_item(it) {
        // SAFETY: as for the bytes above.
        return unsafe { wide_str(py, it, base, n) };
    }
    if let Some(repr) = it.int_repr {
        use pyo3::ffi::{PyLong_FromLongLong as signed, PyLong_FromUnsignedLongLong as unsigned};
        // SAFETY: as for the bytes above: the user vouches for `n` items of
        // this type at `base`.
        let list = unsafe {
            match repr {
                IntRepr::I8 => int_list(py, base, n, |v: i8| signed(v.into())),
                IntRepr::U8 => int_list(py, base, n, |v: u8| signed(v.into())),
                IntRepr::I16 => int_list(py, base, n, |v: i16| signed(v.into())),
                IntRepr::U16 => int_list(py, base, n, |v: u16| signed(v.into())),
                IntRepr::I32 => int_list(py, base, n, |v: i32| signed(v.into())),
                IntRepr::U32 => int_list(py, base, n, |v: u32| signed(v.into())),
                IntRepr::I64 => int_list(py, base, n, |v: i64| signed(v)),
                IntRepr::U64 => int_list(py, base, n, |v: u64| unsigned(v)),
            }
        };
        return list;
    }
    let keep = cd.as_any().clone().unbind();
    let items = (0..n)
        // SAFETY: as for the bytes above; the items keep `cd` alive.
        .map(|i| unsafe { read(py, item, base + i * size, &keep) })
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyList::new(py, items)?.into_any().unbind())
}
