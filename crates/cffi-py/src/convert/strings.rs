//! `ffi.string()` and `ffi.unpack()` (F-03.39..F-03.45).

use super::read::{int_list, read};
use super::write::is_wide_item;
use crate::object::{CData, PrimPy};
use crate::types::{CType, IntRepr, Kind};
use ctypes_model::{Primitive, PrimitiveKind, Target};
use ffi_runtime::memory::Region;
use ffi_runtime::value::Prim;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString};

/// The code units of `n` wide characters of `unit` bytes at the start of
/// `mem` as a Python str: UTF-16 pairs are combined, lone surrogates kept.
pub(crate) fn wide_str(
    py: Python<'_>,
    item: &CType,
    mem: Region<'_>,
    n: usize,
) -> PyResult<Py<PyAny>> {
    let unit = item.size().unwrap_or(4) as usize;
    let raw = mem.at(0, n.saturating_mul(unit)).with_bytes(<[u8]>::to_vec);
    let codec = if unit == 2 { "utf-16-le" } else { "utf-32-le" };
    let decoded = PyBytes::new(py, &raw).call_method1("decode", (codec, "surrogatepass"));
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
            if !is_string_byte(item) && !is_wide_item(item) {
                return Err(unexpected());
            }
            let base = this.region(py)?;
            if base.addr() == 0 {
                return Err(pyo3::exceptions::PyRuntimeError::new_err(format!(
                    "cannot use string() on {}",
                    cd.repr()?
                )));
            }
            let mut limit = matches!(ct.kind, Kind::Array { .. }).then_some(this.length());
            if let Ok(max) = usize::try_from(maxlen) {
                limit = Some(limit.map_or(max, |l| l.min(max)));
            }
            let unit = item.size().unwrap_or(1) as usize;
            // An array is read up to its length at most; a pointer is
            // trusted to reach a NUL, as in C and in cffi.
            let scanned = match limit {
                Some(limit) => base.at(0, limit.saturating_mul(unit).min(base.len())),
                None => base,
            };
            let n = scanned.units_before_nul(unit);
            if is_string_byte(item) {
                let bytes = base.at(0, n).with_bytes(|b| PyBytes::new(py, b));
                return Ok(bytes.into_any().unbind());
            }
            wide_str(py, item, base, n)
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
            // A one-byte integer is one byte (`int8_t`, `unsigned char`).
            Some(Prim::Int(v)) if is_string_byte(ct) => {
                Ok(PyBytes::new(py, &[v as u8]).into_any().unbind())
            }
            _ => Err(unexpected()),
        },
        _ => Err(unexpected()),
    }
}

/// The types `ffi.string()` reads as bytes: `char` and the one-byte
/// integers (not `_Bool`).
fn is_string_byte(ct: &CType) -> bool {
    match ct.kind {
        Kind::Primitive(Primitive::Bool) => false,
        Kind::Primitive(p) => {
            ct.size() == Some(1) && (p.kind() == PrimitiveKind::Char || p.is_integer())
        }
        _ => false,
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
    let base = this.region(py)?;
    if base.addr() == 0 {
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
    // The user asks for `n` items: a pointer's are trusted to be there,
    // as in C; memory known here must hold them.
    let Some(base) = base.try_at(0, n.saturating_mul(size)) else {
        return Err(pyo3::exceptions::PyIndexError::new_err(format!(
            "cannot unpack {n} items of '{}' from the {} bytes of {}",
            it.cname,
            base.len(),
            cd.repr()?
        )));
    };
    if matches!(it.kind, Kind::Primitive(Primitive::Char)) {
        let bytes = base.with_bytes(|b| PyBytes::new(py, b));
        return Ok(bytes.into_any().unbind());
    }
    if is_wide_item(it) {
        return wide_str(py, it, base, n);
    }
    if let Some(repr) = it.int_repr {
        let list = match repr {
            IntRepr::I8 => int_list::<i8>(py, base, n),
            IntRepr::U8 => int_list::<u8>(py, base, n),
            IntRepr::I16 => int_list::<i16>(py, base, n),
            IntRepr::U16 => int_list::<u16>(py, base, n),
            IntRepr::I32 => int_list::<i32>(py, base, n),
            IntRepr::U32 => int_list::<u32>(py, base, n),
            IntRepr::I64 => int_list::<i64>(py, base, n),
            IntRepr::U64 => int_list::<u64>(py, base, n),
        };
        return list;
    }
    let keep = cd.as_any().clone().unbind();
    let items = (0..n)
        // The items keep `cd` alive.
        .map(|i| read(py, item, base.rest(i * size), &keep))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyList::new(py, items)?.into_any().unbind())
}
