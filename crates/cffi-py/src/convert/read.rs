//! Values read from C memory into Python.

use crate::object::{CData, Owner, PrimPy};
use crate::types::registry;
use crate::types::{CType, Kind, LoadPy};
use ctypes_model::bitfield;
use ffi_runtime::memory as raw;
use ffi_runtime::value::Prim;
use ffi_runtime::Slot;
use pyo3::exceptions::{PyNotImplementedError, PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;

/// A list of the `n` integers of type `T` at `base`, each made a Python
/// int by `to_int` (a C-API constructor: new reference or NULL).
///
/// # Safety
/// `base` must be readable for `n` items of `T`.
pub(crate) unsafe fn int_list<T: Copy>(
    py: Python<'_>,
    base: usize,
    n: usize,
    to_int: impl Fn(T) -> *mut pyo3::ffi::PyObject,
) -> PyResult<Py<PyAny>> {
    let len = isize::try_from(n).map_err(|_| PyOverflowError::new_err("too many items"))?;
    // SAFETY: `PyList_New` returns a new list of `len` NULL slots (or NULL
    // with an exception); each slot is filled once by `PyList_SetItem`,
    // which takes over the new reference. A list left partly NULL by an
    // error is still valid to drop. The loads are in bounds by the
    // caller's promise.
    unsafe {
        let list = Bound::from_owned_ptr_or_err(py, pyo3::ffi::PyList_New(len))?;
        for i in 0..n {
            let item = to_int(raw::load_as::<T>(base + i * size_of::<T>()));
            if item.is_null() {
                return Err(PyErr::fetch(py));
            }
            pyo3::ffi::PyList_SetItem(list.as_ptr(), i as isize, item);
        }
        Ok(list.unbind())
    }
}

/// Reads the value of `ctype` at `addr`: a Python value for primitives and
/// enums, a cdata otherwise. Arrays and records come back as references
/// into the memory that keep `keep` (the memory's owner) alive.
///
/// # Safety
/// `addr` must be readable for the ctype's size while the result is
/// made, and stay valid while `keep` lives (references into it).
pub unsafe fn read(
    py: Python<'_>,
    ctype: &Py<CType>,
    addr: usize,
    keep: &Py<PyAny>,
) -> PyResult<Py<PyAny>> {
    let ct = ctype.get();
    if let Some(repr) = ct.int_repr {
        // SAFETY: the caller's address is valid for the ctype's size.
        return unsafe { repr.load_py(py, addr) };
    }
    match &ct.kind {
        Kind::Primitive(_) | Kind::Enum(_) => {
            let size = ct.size().unwrap_or(0) as usize;
            // SAFETY: the caller's address is valid for the ctype's size.
            let slot = unsafe { raw::load(addr, size) };
            match ct.read_prim(&slot) {
                Some(Prim::LongDouble(b)) => {
                    Ok(Py::new(py, CData::long_double(ctype.clone_ref(py), b))?.into_any())
                }
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
            // SAFETY: the caller's address is valid for a pointer.
            let slot = unsafe { raw::load(addr, std::mem::size_of::<usize>()) };
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
            Ok(Py::new(py, cd)?.into_any())
        }
        Kind::Record { .. } => {
            let cd = CData::reference(
                ctype.clone_ref(py),
                addr,
                0,
                Owner::Keep(keep.clone_ref(py)),
            );
            Ok(Py::new(py, cd)?.into_any())
        }
        Kind::Void => Err(PyTypeError::new_err(format!(
            "cdata '{}' is opaque",
            ct.cname
        ))),
    }
}

/// Reads field `f` of the record at `base`.
///
/// # Safety
/// `base` must be a record of `f`'s type, readable, and valid while `keep`
/// lives (with `flex` items in its flexible array member, if given).
pub unsafe fn read_field(
    py: Python<'_>,
    f: &crate::types::FieldInfo,
    base: usize,
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
        let addr = base + f.offset();
        let open = matches!(f.ctype.get().kind, Kind::Array { len: None, .. });
        return Ok(match flex.filter(|_| open) {
            Some(n) => {
                let owner = Owner::Slice(keep.clone_ref(py));
                Py::new(py, CData::reference(f.ctype.clone_ref(py), addr, n, owner))?.into_any()
            }
            None => {
                let ptr = registry::pointer_to(py, item.get().id)?;
                CData::pointer(ptr, addr).wrap(py)?.into_any()
            }
        });
    }
    let Some((shift, width)) = f.layout.bit_field() else {
        // SAFETY: the field is inside the caller's record.
        return unsafe { read(py, &f.ctype, base + f.offset(), keep) };
    };
    let ct = f.ctype.get();
    let unit = ct.size().unwrap_or(0) as usize;
    // SAFETY: the bit field's storage unit is inside the caller's record.
    let raw =
        unsafe { raw::load(base + f.offset(), unit) }.read_int_sized(unit as u32, false) as u128;
    let value = bitfield::extract(raw, shift, width, is_signed(ct));
    match ct.read_prim(&{
        let mut s = Slot::default();
        s.write_int(value, unit as u32);
        s
    }) {
        Some(p @ (Prim::Bool(_) | Prim::Char(_) | Prim::Wide(_))) => p.to_python(py),
        _ => Ok(value.into_pyobject(py)?.into_any().unbind()),
    }
}

/// Whether a bit field of integer type `ct` holds signed values.
pub(crate) fn is_signed(ct: &CType) -> bool {
    ct.int_range.is_some_and(|(min, _)| min < 0)
}
