//! Conversions between Python values and C values (FEATURES section 6),
//! for function arguments and results.

use crate::object::CData;
use crate::types::{CType, Kind};
use ctypes_model::{Primitive, PrimitiveKind};
use ffi_runtime::Slot;
use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyFloat, PyInt, PyString};
use std::ffi::c_void;

use crate::object::PrimPy;
use ffi_runtime::value::Prim;

/// The type name cffi's messages give `obj`: C's `tp_name`, which is
/// `type(obj).__name__` for builtin and Python classes and module-qualified
/// for ours.
pub fn type_name(obj: &Bound<'_, PyAny>) -> String {
    let tp = obj.get_type();
    if let Some(name) = crate::cpython::vectorcall::tp_name(&tp) {
        return name;
    }
    let name = || -> PyResult<String> {
        let short = tp.name()?.to_string();
        let module = tp.module()?.to_string();
        // SAFETY: `tp` is a live type object; reading its flags has no
        // other precondition.
        let flags = unsafe { pyo3::ffi::PyType_GetFlags(tp.as_ptr().cast()) };
        let heap = flags & pyo3::ffi::Py_TPFLAGS_HEAPTYPE != 0;
        // Where the type object cannot be read, C's `tp_name` as it
        // usually is: classes made at run time carry their bare name,
        // except ours, which are named with their module, as are static
        // types outside builtins (`array.array`).
        Ok(
            if module == "builtins" || (heap && module != "_cffi_backend") {
                short
            } else {
                format!("{module}.{short}")
            },
        )
    };
    name().unwrap_or_else(|_| "?".to_owned())
}

/// `obj` as a cdata, or the `TypeError` CPython's argument parser gives
/// `func` (`"string()"`) for anything else.
pub fn expect_cdata<'a, 'py>(
    obj: &'a Bound<'py, PyAny>,
    func: &str,
) -> PyResult<&'a Bound<'py, CData>> {
    obj.cast::<CData>().map_err(|_| {
        let given = if obj.is_none() {
            "None".to_owned()
        } else {
            type_name(obj)
        };
        PyTypeError::new_err(format!(
            "{func} argument 1 must be _cffi_backend._CDataBase, not {given}"
        ))
    })
}

/// `operator.index(obj)` with cffi's message for what is not an integer;
/// each caller then reads the result into its own width, with its own
/// overflow message.
pub fn index_object<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    if obj.is_instance_of::<PyInt>() {
        return Ok(obj.clone());
    }
    // SAFETY: `obj` is a live object; `PyNumber_Index` returns a new
    // reference or NULL with an exception set, which `from_owned_ptr_or_err`
    // takes over.
    unsafe { Bound::from_owned_ptr_or_err(obj.py(), pyo3::ffi::PyNumber_Index(obj.as_ptr())) }
}

/// A Python int as `i128`, through the fast `long long` conversion when
/// it fits (the general 128-bit one is slow under the stable ABI).
pub fn int_to_i128(value: &Bound<'_, PyAny>) -> PyResult<i128> {
    match value.extract::<i64>() {
        Ok(v) => Ok(i128::from(v)),
        Err(_) => value.extract::<i128>(),
    }
}

/// How array and struct initializer messages name `obj`: `cdata 'T'` for
/// a cdata, else its type name.
pub fn given_name(obj: &Bound<'_, PyAny>) -> String {
    match crate::object::as_cdata(obj) {
        Some(cd) => format!("cdata '{}'", cd.get().ctype.get().cname),
        None => type_name(obj),
    }
}

/// The integer value of `obj` for an integer-like C type (F-06.01): Python
/// ints and bools, objects with `__int__` (floats and float cdata
/// excluded), and integer cdata.
pub(crate) fn integer_value(obj: &Bound<'_, PyAny>) -> PyResult<i128> {
    let float_cdata = obj
        .cast::<CData>()
        .is_ok_and(|cd| matches!(cd.get().prim(), Some(Prim::Float(_) | Prim::LongDouble(_))));
    let value = if obj.is_instance_of::<PyInt>() {
        obj.clone()
    } else if float_cdata || obj.is_instance_of::<PyFloat>() || !obj.hasattr("__int__")? {
        return Err(PyTypeError::new_err("an integer is required"));
    } else {
        obj.call_method0("__int__")?
    };
    int_to_i128(&value).map_err(|_| PyOverflowError::new_err("int too big to convert"))
}

/// Checks `value` against the range of the integer ctype `ct`, with cffi's
/// messages (F-06.02, F-06.04): values beyond C's `long long` (signed
/// types) or `unsigned long long` (unsigned types) are "too big" before
/// they are checked against the type itself.
fn check_range(ct: &CType, value: i128, obj: &Bound<'_, PyAny>) -> PyResult<()> {
    let (min, max) = ct.int_range.expect("integer primitive");
    let unsigned = min == 0;
    if unsigned && value < 0 {
        return Err(PyOverflowError::new_err(
            "can't convert negative number to unsigned",
        ));
    }
    let c_range = if unsigned {
        0..=i128::from(u64::MAX)
    } else {
        i128::from(i64::MIN)..=i128::from(i64::MAX)
    };
    if !c_range.contains(&value) {
        return Err(PyOverflowError::new_err("int too big to convert"));
    }
    if value < min || value > max {
        // cffi names the object given (`<cdata 'long' 100000>`, an object
        // with `__int__`), which for an int is its value.
        let shown = obj
            .repr()
            .map_or_else(|_| value.to_string(), |r| r.to_string());
        return Err(PyOverflowError::new_err(format!(
            "integer {shown} does not fit '{}'",
            ct.cname
        )));
    }
    Ok(())
}

/// True for the one-byte types whose pointers accept a `bytes` argument.
fn is_byte_like(ct: &CType) -> bool {
    match ct.kind {
        Kind::Void => true,
        Kind::Primitive(p) => {
            ct.size() == Some(1)
                && matches!(
                    p.kind(),
                    PrimitiveKind::Char
                        | PrimitiveKind::Signed
                        | PrimitiveKind::Unsigned
                        | PrimitiveKind::Bool
                )
        }
        _ => false,
    }
}

/// The refusal of a `str` argument for the pointer parameter `ct` (the
/// `wchar_t *` case is a conversion, made before): cffi names what a call
/// argument could have been, per item type. Memory writes and callback
/// results refuse a `str` as [`write_arg`] does.
pub fn str_argument_error(ct: &CType) -> Option<PyErr> {
    let Kind::Pointer { item } = &ct.kind else {
        return None;
    };
    let item = item.get();
    let expected = match item.kind {
        Kind::Void => "cdata pointer",
        _ if is_byte_like(item) => "bytes or list or tuple",
        _ => "list or tuple",
    };
    Some(PyTypeError::new_err(format!(
        "initializer for ctype '{}' must be a {expected}, not str",
        ct.cname
    )))
}

/// Converts one function argument into `slot`, following the writing rules
/// plus the argument-only conveniences (F-06.28..F-06.30). Pointers handed
/// out (into `bytes` objects) stay valid as long as `obj` does.
pub fn write_arg(ct: &CType, obj: &Bound<'_, PyAny>, slot: &mut Slot) -> PyResult<()> {
    if let (Kind::Pointer { .. } | Kind::Function(_), Some(f)) =
        (&ct.kind, super::builtin_function(obj)?)
    {
        return write_arg(ct, f.as_any(), slot);
    }
    match &ct.kind {
        Kind::Primitive(p) => write_primitive(*p, ct, obj, slot),
        Kind::Pointer { item } => {
            let item = item.get();
            if let Some(cd) = crate::object::as_cdata(obj) {
                check_pointer_compat(ct, item, cd.get().ctype.get())?;
                slot.write_ptr(cd.get().data_addr(obj.py())? as *const c_void);
                return Ok(());
            }
            if is_byte_like(item) {
                if let Ok(bytes) = obj.cast::<PyBytes>() {
                    let data = bytes.as_bytes();
                    if matches!(item.kind, Kind::Primitive(Primitive::Bool))
                        && data.iter().any(|&b| b > 1)
                    {
                        return Err(PyValueError::new_err(
                            "an array of _Bool can only contain \\x00 or \\x01",
                        ));
                    }
                    slot.write_ptr(data.as_ptr().cast());
                    return Ok(());
                }
                if obj.is_instance_of::<PyString>() {
                    return Err(PyTypeError::new_err(format!(
                        "initializer for ctype '{}' must be a bytes or list or tuple, not str",
                        ct.cname
                    )));
                }
            }
            Err(PyTypeError::new_err(format!(
                "initializer for ctype '{}' must be a cdata pointer, not {}",
                ct.cname,
                type_name(obj)
            )))
        }
        Kind::Function(_) => {
            if let Some(cd) = crate::object::as_cdata(obj) {
                let src = cd.get().ctype.get();
                let void_ptr = matches!(&src.kind, Kind::Pointer { item } if matches!(item.get().kind, Kind::Void));
                if src.id == ct.id || void_ptr {
                    slot.write_ptr(cd.get().data_addr(obj.py())? as *const c_void);
                    return Ok(());
                }
                return Err(same_type_error(ct, src));
            }
            Err(PyTypeError::new_err(format!(
                "initializer for ctype '{}' must be a cdata pointer, not {}",
                ct.cname,
                type_name(obj)
            )))
        }
        Kind::Enum(_) => {
            // Enums convert as their integer type; names are refused (F-06.05).
            let value = integer_value(obj)?;
            check_range(ct, value, obj)?;
            slot.write_int(value, ct.size().expect("enums have a size") as u32);
            Ok(())
        }
        Kind::Void | Kind::Array { .. } | Kind::Record { .. } => Err(PyTypeError::new_err(
            format!("ctype '{}' cannot be a function argument", ct.cname),
        )),
    }
}

/// Two types that print the same but are not the same: typically from two
/// `FFI` instances.
pub(crate) fn same_name_other_type(target: &CType) -> PyErr {
    PyTypeError::new_err(format!(
        "initializer for ctype '{0}' appears indeed to be '{0}', but the types are different \
         (check that you are not e.g. mixing up different ffi instances)",
        target.cname
    ))
}

/// Pointer compatibility on write (F-06.17).
pub(crate) fn check_pointer_compat(
    target: &CType,
    target_item: &CType,
    src: &CType,
) -> PyResult<()> {
    let src_item = match &src.kind {
        Kind::Pointer { item } | Kind::Array { item, .. } => Some(item.get()),
        Kind::Function(_) => None,
        _ => {
            return Err(PyTypeError::new_err(format!(
                "initializer for ctype '{}' must be a pointer or array, not cdata '{}'",
                target.cname, src.cname
            )))
        }
    };
    if src.id == target.id || matches!(target_item.kind, Kind::Void) {
        return Ok(());
    }
    let Some(src_item) = src_item else {
        return Err(same_type_error(target, src));
    };
    if src_item.id == target_item.id || matches!(src_item.kind, Kind::Void) {
        return Ok(());
    }
    let is_char = |c: &CType| matches!(c.kind, Kind::Primitive(Primitive::Char));
    if is_char(target_item) || is_char(src_item) {
        if is_byte_like(target_item) && is_byte_like(src_item) {
            return Ok(());
        }
        // cffi's two messages differ in punctuation; kept as they are.
        let head = if is_char(target_item) {
            "implicit cast to 'char *' from a different pointer type."
        } else {
            "implicit cast from 'char *' to a different pointer type: "
        };
        return Err(PyTypeError::new_err(format!(
            "{head}(check that the types are as you expect; use an explicit ffi.cast() if they are correct)"
        )));
    }
    Err(same_type_error(target, src))
}

fn same_type_error(target: &CType, src: &CType) -> PyErr {
    if target.cname == src.cname {
        return same_name_other_type(target);
    }
    PyTypeError::new_err(format!(
        "initializer for ctype '{}' must be a pointer to same type, not cdata '{}'",
        target.cname, src.cname
    ))
}

fn write_primitive(
    p: Primitive,
    ct: &CType,
    obj: &Bound<'_, PyAny>,
    slot: &mut Slot,
) -> PyResult<()> {
    let size = ct.size().expect("primitives have a size") as u32;
    match p.kind() {
        PrimitiveKind::Signed | PrimitiveKind::Unsigned | PrimitiveKind::Bool => {
            let value = integer_value(obj)?;
            check_range(ct, value, obj)?;
            slot.write_int(value, size);
        }
        PrimitiveKind::Char => slot.write_int(i128::from(char_value(obj)?), 1),
        PrimitiveKind::WideChar => slot.write_int(i128::from(wide_char_value(obj, size)?), size),
        PrimitiveKind::Float => {
            let v: f64 = float_value(obj)?;
            if size == 4 {
                slot.write_f32(v as f32);
            } else {
                slot.write_f64(v);
            }
        }
        PrimitiveKind::LongDouble => {
            if let Some(cd) = crate::object::as_cdata(obj) {
                if let Some(bytes) = cd.get().long_double_bytes() {
                    slot.0 = bytes;
                    return Ok(());
                }
            }
            let v = float_value(obj)?;
            if size == 8 {
                slot.write_f64(v);
            } else {
                slot.0 = ffi_runtime::f64_to_long_double(v);
            }
        }
        PrimitiveKind::Complex => write_complex(obj, size, slot)?,
    }
    Ok(())
}

/// The byte a `char` initializer stands for: a `bytes` of length 1 or a
/// `char` cdata.
pub(crate) fn char_value(obj: &Bound<'_, PyAny>) -> PyResult<u8> {
    let byte = match obj.cast::<PyBytes>() {
        Ok(b) => match b.as_bytes() {
            [c] => Some(*c),
            _ => None,
        },
        // A `char` cdata is a char too.
        Err(_) => obj
            .cast::<CData>()
            .ok()
            .and_then(|cd| match cd.get().prim() {
                Some(Prim::Char(c)) => Some(c),
                _ => None,
            }),
    };
    let Some(byte) = byte else {
        return Err(PyTypeError::new_err(format!(
            "initializer for ctype 'char' must be a bytes of length 1, not {}",
            type_name(obj)
        )));
    };
    Ok(byte)
}

/// The code unit a wide-character initializer of `size` bytes stands for:
/// a one-character str (within 16 bits for `char16_t`) or a wide-character
/// cdata of the same size.
pub(crate) fn wide_char_value(obj: &Bound<'_, PyAny>, size: u32) -> PyResult<u32> {
    // cffi names the wide types by their size in these messages.
    let name = if size >= 4 { "char32_t" } else { "char16_t" };
    let code = if let Ok(s) = obj.cast::<PyString>() {
        let n = s.len()?;
        let code: Option<u32> = if n == 1 {
            // `ord()` also takes a lone surrogate, which Rust's
            // strings cannot hold.
            Some(
                obj.py()
                    .import("builtins")?
                    .getattr("ord")?
                    .call1((s,))?
                    .extract()?,
            )
        } else {
            None
        };
        match code {
            Some(c) if size >= 4 || c < 0x10000 => c,
            Some(_) => {
                return Err(PyTypeError::new_err(format!(
                    "initializer for ctype '{name}' must be a unicode string of length 1, \
                     not larger-than-0xFFFF character"
                )))
            }
            None => {
                return Err(PyTypeError::new_err(format!(
                    "initializer for ctype '{name}' must be a unicode string of length 1, \
                     not unicode string of length {n}"
                )))
            }
        }
    } else {
        // A wide-character cdata of the same size converts as is.
        let same = obj.cast::<CData>().ok().and_then(|cd| {
            let cd = cd.get();
            match cd.prim() {
                Some(Prim::Wide(c)) if cd.ctype.get().size() == Some(u64::from(size)) => {
                    Some(c as u32)
                }
                _ => None,
            }
        });
        let Some(c) = same else {
            return Err(PyTypeError::new_err(format!(
                "initializer for ctype '{name}' must be a unicode string of length 1, not {}",
                type_name(obj)
            )));
        };
        c
    };
    Ok(code)
}

/// `complex(obj)` as C sees it (F-06.15): complex numbers, anything
/// `float()` takes, and complex cdata (other cdata refuse, as their
/// `__complex__` does); stored as two `float`s or two `double`s.
pub fn write_complex(obj: &Bound<'_, PyAny>, size: u32, slot: &mut Slot) -> PyResult<()> {
    let (re, im) = if let Some(cd) = crate::object::as_cdata(obj) {
        cd.get().complex_value()?
    } else {
        complex_parts(obj)?
    };
    store_complex(re, im, size, slot);
    Ok(())
}

/// A Python object as a complex number, as C's `PyComplex_AsCComplex`
/// takes it: a complex, `__complex__`, else a float (`__float__`,
/// `__index__`) with no imaginary part.
pub(crate) fn complex_parts(obj: &Bound<'_, PyAny>) -> PyResult<(f64, f64)> {
    if let Ok(c) = obj.cast::<pyo3::types::PyComplex>() {
        return Ok((c.real(), c.imag()));
    }
    if obj.get_type().hasattr("__complex__")? {
        let c = obj.call_method0("__complex__")?;
        let Ok(c) = c.cast::<pyo3::types::PyComplex>() else {
            return Err(PyTypeError::new_err(format!(
                "__complex__ returned non-complex (type {})",
                type_name(&c)
            )));
        };
        return Ok((c.real(), c.imag()));
    }
    Ok((obj.extract::<f64>()?, 0.0))
}

/// Stores a complex value of `size` bytes (8: two floats, 16: two
/// doubles).
pub(crate) fn store_complex(re: f64, im: f64, size: u32, slot: &mut Slot) {
    if size == 8 {
        slot.0[..4].copy_from_slice(&(re as f32).to_ne_bytes());
        slot.0[4..8].copy_from_slice(&(im as f32).to_ne_bytes());
    } else {
        slot.0[..8].copy_from_slice(&re.to_ne_bytes());
        slot.0[8..16].copy_from_slice(&im.to_ne_bytes());
    }
}

/// `float(obj)` as C sees it (F-06.13): floats, ints, `__float__`, float
/// cdata.
fn float_value(obj: &Bound<'_, PyAny>) -> PyResult<f64> {
    if let Some(cd) = crate::object::as_cdata(obj) {
        if let Some(p @ (Prim::Float(_) | Prim::LongDouble(_))) = cd.get().prim() {
            return Ok(p.as_f64());
        }
        return Err(PyTypeError::new_err(format!(
            "float() not supported on cdata '{}'",
            cd.get().ctype.get().cname
        )));
    }
    obj.extract::<f64>()
}

/// Converts a call's result (F-07.03).
pub fn read_result(py: Python<'_>, ctype: &Py<CType>, slot: &Slot) -> PyResult<Py<PyAny>> {
    let ct = ctype.get();
    // Fast path: integer results (widened by libffi to a word).
    if let Some(repr) = ct.int_repr {
        let v = slot.read_result_int(repr.size() as u32, repr.signed());
        return Ok(match repr {
            crate::types::IntRepr::U64 => (v as u64).into_pyobject(py)?.into_any().unbind(),
            _ => (v as i64).into_pyobject(py)?.into_any().unbind(),
        });
    }
    match &ct.kind {
        Kind::Primitive(ctypes_model::Primitive::Double) => {
            Ok(pyo3::types::PyFloat::new(py, slot.read_f64())
                .into_any()
                .unbind())
        }
        Kind::Void => Ok(py.None()),
        Kind::Record { .. } => Err(PyTypeError::new_err(format!(
            "ctype '{}' not supported as return value yet",
            ct.cname
        ))),
        Kind::Pointer { .. } | Kind::Function(_) | Kind::Array { .. } => Ok(CData::pointer(
            ctype.clone_ref(py),
            slot.read_ptr() as usize,
        )
        .wrap(py)?
        .into_any()),
        Kind::Primitive(_) | Kind::Enum(_) => match ct.read_prim_result(slot) {
            // `long double` stays a cdata, to keep its precision (F-06.14).
            Some(Prim::LongDouble(bytes)) => Ok(CData::long_double(ctype.clone_ref(py), bytes)
                .wrap(py)?
                .into_any()),
            Some(Prim::Bool(v)) if v > 1 => Err(PyValueError::new_err(format!(
                "got a _Bool of value {v}, expected 0 or 1"
            ))),
            Some(p) => p.to_python(py),
            None => Err(PyTypeError::new_err(format!(
                "ctype '{}' is not supported here yet",
                ct.cname
            ))),
        },
    }
}
