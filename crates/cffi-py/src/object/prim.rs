//! What Python sees of a primitive value held by a cdata (decoded by
//! `ffi_runtime::value`): ints, bytes, strs, floats, complex numbers, and
//! the text of their reprs (F-05.06, F-05.07, F-05.19).

use ffi_runtime::long_double_to_f64;
use ffi_runtime::value::{format_le, is_code_point, NotAnInt, Prim};
use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyString};

/// The Python side of [`Prim`].
#[allow(clippy::wrong_self_convention)] // `Prim` is `Copy`; `as_int` mirrors `as_f64`.
pub trait PrimPy {
    /// The value as an integer (floats truncate toward zero), with
    /// Python's errors for complex numbers, NaN and infinities.
    fn as_int(self) -> PyResult<i128>;
    /// What Python sees of the value when comparing (F-05.19): ints,
    /// bytes for `char`, str for wide chars, floats.
    fn to_python(self, py: Python<'_>) -> PyResult<Py<PyAny>>;
    /// The text after the type in a repr (F-05.06, F-05.07).
    fn repr(self, py: Python<'_>) -> PyResult<String>;
}

impl PrimPy for Prim {
    fn as_int(self) -> PyResult<i128> {
        self.to_int().map_err(|e| match e {
            NotAnInt::Complex => PyTypeError::new_err("can't convert complex to int"),
            NotAnInt::NaN => PyValueError::new_err("cannot convert float NaN to integer"),
            NotAnInt::Infinite => {
                PyOverflowError::new_err("cannot convert float infinity to integer")
            }
        })
    }

    fn to_python(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
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
            Prim::LongDouble(_) => self.as_f64().into_pyobject(py)?.into_any().unbind(),
            Prim::Complex(re, im) => pyo3::types::PyComplex::from_doubles(py, re, im)
                .into_any()
                .unbind(),
        })
    }

    fn repr(self, py: Python<'_>) -> PyResult<String> {
        match self {
            Prim::LongDouble(b) => return Ok(format_long_double(&b)),
            // Not a character Python can hold: the number (cffi 2.0.0's
            // repr raises SystemError, docs/compat.md).
            Prim::Wide(c) if !is_code_point(c) => return Ok(c.to_string()),
            _ => {}
        }
        let obj = self.to_python(py)?;
        Ok(obj.bind(py).repr()?.to_string())
    }
}

/// A wide character Python's `str` cannot hold.
pub fn wide_out_of_range(c: i64) -> PyErr {
    PyValueError::new_err(format!(
        "wide character value {c} is not a Unicode code point (0 to U+10FFFF)"
    ))
}

extern "C" {
    /// `snprintf(out, size, "%LE", *(long double *)bytes)` (src/capi/shim.c).
    fn cffipy_format_long_double(bytes: *const u8, out: *mut std::ffi::c_char, size: i32) -> i32;
}

/// A host `long double` as C's `%LE` prints it (cffi's repr of one).
fn format_long_double(bytes: &[u8; 16]) -> String {
    let mut out = [0u8; 64];
    // SAFETY: `bytes` holds a `long double` (16 bytes, the host format);
    // `out` has room for the 64 bytes said, NUL included.
    let n = unsafe { cffipy_format_long_double(bytes.as_ptr(), out.as_mut_ptr().cast(), 64) };
    match usize::try_from(n) {
        Ok(n) if n < out.len() => String::from_utf8_lossy(&out[..n]).into_owned(),
        _ => format_le(long_double_to_f64(bytes)),
    }
}
