//! Primitive C values held by cdata objects (`ffi.cast("int", 42)`, a
//! `long double` result): reading them as Rust values, `ffi.cast()` into
//! them, and what Python sees of them (F-03.27..F-03.35, F-05.14..F-05.24).

use crate::cdata::CData;
use crate::convert::type_name;
use crate::ctype::{CType, Kind};
use ctypes_model::{Primitive, PrimitiveKind};
use ffi_runtime::Slot;
use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyFloat, PyInt, PyString};

/// A primitive value, decoded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Prim {
    /// Integers and enums (sign-extended per the type).
    Int(i128),
    /// `char`: one byte.
    Char(u8),
    /// `wchar_t`, `char16_t`, `char32_t`: a code unit (negative only for
    /// a signed `wchar_t`).
    Wide(i64),
    /// `_Bool` (a stored byte other than 0/1 is kept to report it).
    Bool(u8),
    /// `float` and `double`.
    Float(f64),
    /// `long double`, in the host's encoding.
    LongDouble([u8; 16]),
    /// `float _Complex` and `double _Complex`: real and imaginary parts.
    Complex(f64, f64),
}

/// The primitive kind of a ctype, with enums as their integer type.
fn prim_kind(ct: &CType) -> Option<(PrimitiveKind, Primitive)> {
    match ct.kind {
        Kind::Primitive(p) => Some((p.kind(), p)),
        Kind::Enum(_) => Some((PrimitiveKind::Signed, Primitive::Int)),
        _ => None,
    }
}

/// Decodes the value stored (in memory layout) in `slot`.
pub fn read(ct: &CType, slot: &Slot) -> Option<Prim> {
    decode(ct, slot, false)
}

/// Decodes the result of a call: libffi widens integer results narrower
/// than a machine word, which matters on big-endian machines.
pub fn read_result(ct: &CType, slot: &Slot) -> Option<Prim> {
    decode(ct, slot, true)
}

fn decode(ct: &CType, slot: &Slot, widened: bool) -> Option<Prim> {
    let (kind, p) = prim_kind(ct)?;
    let size = ct.size()? as u32;
    let int = |signed: bool| {
        if widened {
            slot.read_result_int(size, signed)
        } else {
            slot.read_int_sized(size, signed)
        }
    };
    Some(match kind {
        PrimitiveKind::Signed | PrimitiveKind::Unsigned => {
            Prim::Int(int(ct.int_range.is_some_and(|(min, _)| min < 0)))
        }
        PrimitiveKind::Char => Prim::Char(int(false) as u8),
        PrimitiveKind::WideChar => Prim::Wide(int(p.is_signed(&HOST)) as i64),
        PrimitiveKind::Bool => Prim::Bool(int(false) as u8),
        PrimitiveKind::Float if p == Primitive::Float => Prim::Float(f64::from(slot.read_f32())),
        PrimitiveKind::Float => Prim::Float(slot.read_f64()),
        PrimitiveKind::LongDouble => Prim::LongDouble(slot.0),
        PrimitiveKind::Complex if size == 8 => {
            let (re, im) = slot.0.split_at(4);
            let part =
                |b: &[u8]| f64::from(f32::from_ne_bytes(b[..4].try_into().expect("4 bytes")));
            Prim::Complex(part(re), part(im))
        }
        PrimitiveKind::Complex => {
            let (re, im) = slot.0.split_at(8);
            let part = |b: &[u8]| f64::from_ne_bytes(b[..8].try_into().expect("8 bytes"));
            Prim::Complex(part(re), part(im))
        }
    })
}

impl Prim {
    /// The value as a float, for float targets and comparisons.
    pub fn as_f64(self) -> f64 {
        match self {
            Prim::Int(v) => v as f64,
            Prim::Char(c) | Prim::Bool(c) => f64::from(c),
            Prim::Wide(c) => c as f64,
            Prim::Float(f) => f,
            Prim::LongDouble(b) => long_double(&b),
            Prim::Complex(re, _) => re,
        }
    }

    /// The value as an integer (floats truncate toward zero).
    pub fn as_int(self) -> PyResult<i128> {
        Ok(match self {
            Prim::Int(v) => v,
            Prim::Char(c) | Prim::Bool(c) => i128::from(c),
            Prim::Wide(c) => i128::from(c),
            Prim::Complex(..) => {
                return Err(pyo3::exceptions::PyTypeError::new_err(
                    "can't convert complex to int",
                ))
            }
            Prim::Float(_) | Prim::LongDouble(_) => {
                let f = self.as_f64();
                if f.is_nan() {
                    return Err(PyValueError::new_err("cannot convert float NaN to integer"));
                }
                if f.is_infinite() {
                    return Err(PyOverflowError::new_err(
                        "cannot convert float infinity to integer",
                    ));
                }
                f.trunc() as i128
            }
        })
    }

    /// What Python sees of the value when comparing (F-05.19): ints,
    /// bytes for `char`, str for wide chars, floats.
    pub fn to_python(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(match self {
            // The 64-bit conversions are direct calls; the 128-bit one is
            // slow under the stable ABI.
            Prim::Int(v) => match i64::try_from(v) {
                Ok(v) => v.into_pyobject(py)?.into_any().unbind(),
                Err(_) => match u64::try_from(v) {
                    Ok(v) => v.into_pyobject(py)?.into_any().unbind(),
                    Err(_) => v.into_pyobject(py)?.into_any().unbind(),
                },
            },
            Prim::Char(c) => PyBytes::new(py, &[c]).into_any().unbind(),
            Prim::Wide(c) => match u32::try_from(c).ok().and_then(char::from_u32) {
                Some(ch) => PyString::new(py, ch.encode_utf8(&mut [0; 4]))
                    .into_any()
                    .unbind(),
                // A lone surrogate (from char16_t) is a valid Python str.
                None if (0xD800..0xE000).contains(&c) => {
                    py.import("builtins")?.getattr("chr")?.call1((c,))?.unbind()
                }
                // cffi 2.0.0 raises SystemError here (docs/compat.md).
                None => return Err(wide_out_of_range(c)),
            },
            Prim::Bool(b) => PyBool::new(py, b != 0).to_owned().into_any().unbind(),
            Prim::Float(f) => f.into_pyobject(py)?.into_any().unbind(),
            Prim::LongDouble(b) => long_double(&b).into_pyobject(py)?.into_any().unbind(),
            Prim::Complex(re, im) => pyo3::types::PyComplex::from_doubles(py, re, im)
                .into_any()
                .unbind(),
        })
    }

    /// The text after the type in a repr (F-05.06, F-05.07).
    pub fn repr(self, py: Python<'_>) -> PyResult<String> {
        match self {
            Prim::LongDouble(b) => return Ok(format_le(long_double(&b))),
            // Not a character Python can hold: the number (cffi 2.0.0's
            // repr raises SystemError, docs/compat.md).
            Prim::Wide(c) if !is_code_point(c) => return Ok(c.to_string()),
            _ => {}
        }
        let obj = self.to_python(py)?;
        Ok(obj.bind(py).repr()?.to_string())
    }

    /// Truth value (F-05.14).
    pub fn is_true(self) -> bool {
        match self {
            Prim::Int(v) => v != 0,
            Prim::Char(c) | Prim::Bool(c) => c != 0,
            Prim::Wide(c) => c != 0,
            Prim::Float(_) | Prim::LongDouble(_) => self.as_f64() != 0.0,
            Prim::Complex(re, im) => re != 0.0 || im != 0.0,
        }
    }
}

/// The target wide-character signedness comes from.
const HOST: ctypes_model::Target = ctypes_model::Target::host();

/// True for the values a Python `str` can hold as one character.
pub fn is_code_point(c: i64) -> bool {
    (0..=0x0010_FFFF).contains(&c)
}

/// A wide character Python's `str` cannot hold.
pub fn wide_out_of_range(c: i64) -> PyErr {
    PyValueError::new_err(format!(
        "wide character value {c} is not a Unicode code point (0 to U+10FFFF)"
    ))
}

fn long_double(bytes: &[u8; 16]) -> f64 {
    ffi_runtime::long_double_to_f64(bytes)
}

/// C's `%LE` format, as cffi prints `long double` values.
pub fn format_le(v: f64) -> String {
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

/// The integer a value stands for when cast to an integer or pointer type
/// (F-03.27, F-03.30): ints, bools, floats (truncated), one-character
/// bytes and str, and cdata (their value, or their address).
fn cast_source_int(obj: &Bound<'_, PyAny>, target: &CType) -> PyResult<i128> {
    if let Ok(cd) = obj.cast::<CData>() {
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
    Err(PyTypeError::new_err("an integer is required"))
}

/// `ffi.cast(ctype, value)`: a new non-owning cdata of `ctype`.
pub fn cast(py: Python<'_>, ctype: &Py<CType>, obj: &Bound<'_, PyAny>) -> PyResult<CData> {
    let ct = ctype.get();
    let mut slot = Slot::default();
    if ct.is_pointer_like() {
        // `ffi.cast("FILE *", fileobj)` (F-06.34).
        if crate::file::is_file_pointer(ct) {
            if let Some(stream) = crate::file::stream_of(py, obj)? {
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
    let Some((kind, p)) = prim_kind(ct) else {
        return Err(PyTypeError::new_err(format!(
            "cannot cast to ctype '{}'",
            ct.cname
        )));
    };
    let size = ct.size().unwrap_or(0) as u32;
    match kind {
        PrimitiveKind::Float | PrimitiveKind::LongDouble => {
            let f = if let Ok(cd) = obj.cast::<CData>() {
                match cd.get().prim() {
                    Some(Prim::LongDouble(b))
                        if kind == PrimitiveKind::LongDouble && size == 16 =>
                    {
                        slot.0 = b;
                        return Ok(CData::scalar(ctype.clone_ref(py), slot));
                    }
                    Some(v) => v.as_f64(),
                    None => {
                        return Err(PyTypeError::new_err(format!(
                            "cannot cast ctype '{}' to ctype '{}'",
                            cd.get().ctype.get().cname,
                            ct.cname
                        )))
                    }
                }
            } else if obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyString>() {
                let is_single = obj.len().is_ok_and(|n| n == 1);
                if !is_single {
                    return Err(PyTypeError::new_err(format!(
                        "cannot cast {} object to ctype '{}'",
                        type_name(obj),
                        ct.cname
                    )));
                }
                cast_source_int(obj, ct)? as f64
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
            let truth = match obj.cast::<CData>() {
                Ok(cd) => cd.get().prim().map_or(cd.get().addr() != 0, Prim::is_true),
                Err(_) if obj.is_instance_of::<PyFloat>() => obj.extract::<f64>()? != 0.0,
                Err(_) => cast_source_int(obj, ct)? != 0,
            };
            slot.write_int(i128::from(truth), 1);
        }
        PrimitiveKind::Complex => crate::convert::write_complex(obj, size, &mut slot)?,
        _ => {
            let v = cast_source_int(obj, ct)?;
            // Casts wrap modulo 2**bits (F-06.06).
            slot.write_int(v, size);
        }
    }
    Ok(CData::scalar(ctype.clone_ref(py), slot))
}
