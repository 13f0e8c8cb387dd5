//! Values read from C memory into Python.

use crate::object::{CData, Owner, PrimPy};
use crate::types::registry;
use crate::types::{CType, Kind, LoadPy};
use ctypes_model::bitfield;
use ffi_runtime::memory::Region;
use ffi_runtime::value::Prim;
use pyo3::exceptions::{PyNotImplementedError, PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;

/// A list of the `n` integers of type `T` at the start of `mem`.
pub(crate) fn int_list<T: Copy + Into<i128>>(
    py: Python<'_>,
    mem: Region<'_>,
    n: usize,
) -> PyResult<Py<PyAny>> {
    let len = isize::try_from(n).map_err(|_| PyOverflowError::new_err("too many items"))?;
    let items = mem.at(0, n.saturating_mul(size_of::<T>()));
    // SAFETY: `PyList_New` returns a new list of `len` NULL slots (or NULL
    // with an exception); each slot is filled once by `PyList_SetItem`,
    // which takes over the new reference. A list left partly NULL by an
    // error is still valid to drop. The int constructors return a new
    // reference or NULL with an exception set.
    unsafe {
        let list = Bound::from_owned_ptr_or_err(py, pyo3::ffi::PyList_New(len))?;
        for i in 0..n {
            let v: i128 = items.load_item::<T>(i).into();
            let item = match i64::try_from(v) {
                Ok(v) => pyo3::ffi::PyLong_FromLongLong(v),
                Err(_) => pyo3::ffi::PyLong_FromUnsignedLongLong(v as u64),
            };
            if item.is_null() {
                return Err(PyErr::fetch(py));
            }
            pyo3::ffi::PyList_SetItem(list.as_ptr(), i as isize, item);
        }
        Ok(list.unbind())
    }
}

/// Reads the value of `ctype` at the start of `mem`: a Python value for
/// primitives and enums, a cdata otherwise. Arrays and records come back
/// as references into the memory that keep `keep` (the memory's owner,
/// which keeps it valid) alive.
pub fn read(
    py: Python<'_>,
    ctype: &Py<CType>,
    mem: Region<'_>,
    keep: &Py<PyAny>,
) -> PyResult<Py<PyAny>> {
    let ct = ctype.get();
    if let Some(repr) = ct.int_repr {
        return repr.load_py(py, mem);
    }
    let addr = mem.addr();
    match &ct.kind {
        Kind::Primitive(_) | Kind::Enum(_) => {
            let slot = mem.load(ct.size().unwrap_or(0) as usize);
            match ct.read_prim(&slot) {
                Some(Prim::LongDouble(b)) => Ok(CData::long_double(ctype.clone_ref(py), b)
                    .wrap(py)?
                    .into_any()),
                // Memory written by C may hold other bytes (F-06.04).
                Some(Prim::Bool(b)) if b > 1 => Err(PyValueError::new_err(format!(
                    "got a _Bool of value {b}, expected 0 or 1"
                ))),
                Some(p) => p.to_python(py),
                None => Err(PyNotImplementedError::new_err(format!(
                    "reading a '{}' is not supported yet",
                    ct.cname
                ))),
            }
        }
        Kind::Pointer { .. } | Kind::Function(_) => {
            let slot = mem.load(size_of::<usize>());
            let value = slot.read_ptr() as usize;
            Ok(CData::pointer(ctype.clone_ref(py), value)
                .wrap(py)?
                .into_any())
        }
        // An array of unknown length is seen as a pointer to its first
        // item, as in C (F-06.24).
        Kind::Array { item, len: None } => {
            let id = registry::lock().types.pointer(item.get().id);
            let ptr = registry::ctype_for(py, id)?;
            Ok(CData::pointer(ptr, addr).wrap(py)?.into_any())
        }
        Kind::Array { len, .. } => {
            let len = len.unwrap_or(0) as usize;
            let cd = CData::reference(
                ctype.clone_ref(py),
                addr,
                len,
                Owner::Keep(keep.clone_ref(py)),
            );
            Ok(cd.wrap(py)?.into_any())
        }
        Kind::Record { .. } => {
            let cd = CData::reference(
                ctype.clone_ref(py),
                addr,
                0,
                Owner::Keep(keep.clone_ref(py)),
            );
            Ok(cd.wrap(py)?.into_any())
        }
        Kind::Void => Err(PyTypeError::new_err(format!(
            "cdata '{}' is opaque",
            ct.cname
        ))),
    }
}

/// Reads a plain number field (see `CData::scalar_field`).
#[inline]
pub fn read_scalar(
    py: Python<'_>,
    scalar: crate::types::Scalar,
    mem: Region<'_>,
) -> PyResult<Py<PyAny>> {
    use crate::types::Scalar;
    match scalar {
        Scalar::Int(repr) => repr.load_py(py, mem),
        Scalar::Double => Ok(pyo3::types::PyFloat::new(py, mem.load(8).read_f64())
            .into_any()
            .unbind()),
        Scalar::Float => Ok(
            pyo3::types::PyFloat::new(py, f64::from(mem.load(4).read_f32()))
                .into_any()
                .unbind(),
        ),
    }
}

/// Writes `value` into a plain number field when it is an exact `int` in
/// range (or an exact `float`, for a floating field): `true` once
/// written; `false` leaves the write, or the error, to the general path.
#[inline]
pub fn write_scalar(
    scalar: crate::types::Scalar,
    mem: Region<'_>,
    value: &Bound<'_, PyAny>,
) -> bool {
    use crate::types::Scalar;
    use ffi_runtime::memory::IntRepr;
    use pyo3::types::{PyFloat, PyFloatMethods, PyInt};
    match scalar {
        Scalar::Int(repr) if value.is_exact_instance_of::<PyInt>() => {
            let Ok(v) = value.extract::<i64>() else {
                return false;
            };
            // By kind, not through the ctype's `int_range`: comparing with
            // 128-bit bounds costs a write about 20 instructions more
            // (`cargo xtask bench ops`, field_write).
            let fits = match repr {
                IntRepr::I8 => i8::try_from(v).is_ok(),
                IntRepr::U8 => u8::try_from(v).is_ok(),
                IntRepr::I16 => i16::try_from(v).is_ok(),
                IntRepr::U16 => u16::try_from(v).is_ok(),
                IntRepr::I32 => i32::try_from(v).is_ok(),
                IntRepr::U32 => u32::try_from(v).is_ok(),
                IntRepr::I64 => true,
                IntRepr::U64 => v >= 0,
            };
            if !fits {
                return false;
            }
            mem.store_int(repr, i128::from(v));
            true
        }
        Scalar::Double | Scalar::Float => {
            let Ok(f) = value.cast_exact::<PyFloat>() else {
                return false;
            };
            let mut slot = ffi_runtime::Slot::default();
            if matches!(scalar, Scalar::Double) {
                slot.write_f64(f.value());
                mem.store(&slot, 8);
            } else {
                slot.write_f32(f.value() as f32);
                mem.store(&slot, 4);
            }
            true
        }
        Scalar::Int(_) => false,
    }
}

/// Reads field `f` of the record at the start of `base` (kept valid by
/// `keep`; with `flex` items in its flexible array member, if given).
pub fn read_field(
    py: Python<'_>,
    f: &crate::types::FieldInfo,
    base: Region<'_>,
    keep: &Py<PyAny>,
    flex: Option<usize>,
) -> PyResult<Py<PyAny>> {
    if let Kind::Array {
        item,
        len: None | Some(0),
    } = &f.ctype.get().kind
    {
        // A flexible array member (or GCC's `T x[0]`): as long as
        // `ffi.new()` made it, else a pointer to its first item.
        let addr = base.addr() + f.offset();
        let open = matches!(f.ctype.get().kind, Kind::Array { len: None, .. });
        // As many items as `ffi.new()` made room for: all the memory from
        // the member to the end of the allocation (cffi's rule).
        let item_size = item.get().size().unwrap_or(0) as usize;
        let room = (flex.is_some() && item_size > 0)
            .then(|| base.len().saturating_sub(f.offset()) / item_size);
        return Ok(match room.filter(|_| open) {
            Some(n) => {
                let owner = Owner::Slice(keep.clone_ref(py));
                CData::reference(f.ctype.clone_ref(py), addr, n, owner)
                    .wrap(py)?
                    .into_any()
            }
            None => {
                let ptr = registry::pointer_to(py, item.get().id)?;
                CData::pointer(ptr, addr).wrap(py)?.into_any()
            }
        });
    }
    let Some((shift, width)) = f.layout.bit_field() else {
        return read(py, &f.ctype, base.rest(f.offset()), keep);
    };
    let ct = f.ctype.get();
    let unit = ct.size().unwrap_or(0) as usize;
    let n = bitfield::bytes_spanned(shift, width, unit);
    // The unit's other bytes read as zeros: only the field's bits are used.
    let raw = bit_field_bytes(f, base, n)?
        .load(n)
        .read_int_sized(unit as u32, false) as u128;
    // A bit field reads as an int, whatever its type (`char`, `_Bool` and
    // `wchar_t` ones too), as in cffi.
    let value = bitfield::extract(raw, shift, width, is_signed(ct));
    Ok(value.into_pyobject(py)?.into_any().unbind())
}

/// The `n` bytes of memory holding bit field `f` of the record at the
/// start of `base`. Under some layout flags (packed, with big-endian bit
/// order) a field's bits lie past the end of the record; memory known to
/// end there refuses them (cffi 2.0.0 reads and writes past the end:
/// docs/compat.md).
pub(crate) fn bit_field_bytes<'m>(
    f: &crate::types::FieldInfo,
    base: Region<'m>,
    n: usize,
) -> PyResult<Region<'m>> {
    base.try_at(f.offset(), n).ok_or_else(|| {
        PyValueError::new_err(format!(
            "bit field '{}' lies past the end of the {} bytes of its struct",
            f.name(),
            base.len()
        ))
    })
}

/// Whether a bit field of integer type `ct` holds signed values.
pub(crate) fn is_signed(ct: &CType) -> bool {
    ct.int_range.is_some_and(|(min, _)| min < 0)
}
