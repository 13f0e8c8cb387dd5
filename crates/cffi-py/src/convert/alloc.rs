//! New C memory: `ffi.new()`'s blocks and their initialization.

use super::write::{flexible_length, open_array_length, write, write_array, write_record};
use crate::object::Inline;
use crate::object::{CData, Owner};
use crate::types::registry;
use crate::types::{CType, Kind};
use ctypes_model::Type;
use ffi_runtime::memory::{AllocError, Region};
use pyo3::exceptions::{PyMemoryError, PyOverflowError, PyTypeError};
use pyo3::prelude::*;

pub use ffi_runtime::memory::Block;

/// A zero-filled [`Block`] of `size` bytes aligned for `align`, with the
/// exceptions cffi raises when it cannot be had.
pub fn alloc_block(size: usize, align: usize) -> PyResult<Block> {
    Block::zeroed(size, align).map_err(|e| match e {
        AllocError::TooLarge => PyOverflowError::new_err("array size would overflow a Py_ssize_t"),
        AllocError::OutOfMemory => PyMemoryError::new_err(()),
    })
}

/// `ffi.new()` memory of `size` bytes kept inside the new object, where
/// it is small enough: in the object's word or a 16-byte tail (at most 8
/// bytes), or after its fixed part.
fn inside_object(size: usize, align: usize) -> Option<Owner> {
    if size <= Inline::MAX && align <= 8 {
        Some(Owner::Inline(Inline::zeroed(size)))
    } else if size <= Owner::TAIL_MAX && align <= 16 {
        Some(Owner::Tail(size))
    } else {
        None
    }
}

/// The size of `ct`, or the error cffi gives when instantiating a type of
/// unknown size.
pub fn size_for_new(ct: &CType) -> PyResult<usize> {
    match ct.size() {
        Some(s) if !matches!(ct.kind, Kind::Void) => Ok(s as usize),
        _ => {
            // A partial (`...;`) struct is VerificationMissing, as for
            // `ffi.sizeof()` (F-08.37).
            if let Kind::Record { rid, .. } = ct.kind {
                let partial = matches!(
                    crate::types::registry::lock().types.layout(rid),
                    Err(ctypes_model::LayoutError::Partial(_))
                );
                if partial {
                    return Err(Python::attach(|py| crate::errors::unknown_size(py, ct)));
                }
            }
            Err(PyTypeError::new_err(format!(
                "cannot instantiate ctype '{}' of unknown size",
                ct.cname
            )))
        }
    }
}

/// `ffi.new(ctype, init)`: a zero-filled block for the pointer's item or
/// for the array, initialized from `init` (F-03.2).
pub fn newp(
    py: Python<'_>,
    ctype: &Py<CType>,
    init: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<CData>> {
    let ct = ctype.get();
    let plan = plan_new(py, ct, init)?;
    // For a struct pointer, the struct object owns the memory and the
    // pointer holds it (F-05.53); else the cdata owns it.
    let record = match &ct.kind {
        Kind::Pointer { item } if matches!(item.get().kind, Kind::Record { .. }) => Some(item),
        _ => None,
    };
    let owner_type = record.unwrap_or(ctype).clone_ref(py);
    // Small memory lives inside the object: it is placed (and so gets its
    // address) before it is initialized.
    let owner = if let Some(inside) = inside_object(plan.size, plan.align) {
        CData::reference(owner_type, 0, plan.length, inside)
    } else {
        crate::object::pressure::maybe_collect(py);
        CData::owning(owner_type, alloc_block(plan.size, plan.align)?, plan.length)
    }
    .wrap(py)?;
    plan.initialize(py, ct, owner.get().region(py)?)?;
    let addr = owner.get().addr();
    match record {
        Some(_) => CData::reference(
            ctype.clone_ref(py),
            addr,
            plan.length,
            Owner::OwnedRecord(owner),
        )
        .wrap(py),
        None => Ok(owner),
    }
}

/// A new owning cdata of record type `ctype` holding a copy of `src`, all
/// of the type's bytes (a struct result or a callback's struct argument):
/// inside the object when small, as `ffi.new()` does.
pub fn owned_copy(py: Python<'_>, ctype: &Py<CType>, src: &[u8]) -> PyResult<Py<CData>> {
    let ct = ctype.get();
    let size = src.len();
    let align = ct.align().unwrap_or(1) as usize;
    if let Some(made) = CData::owned_word(py, ctype, src) {
        // In the object's own word (a small struct result of a call).
        return made;
    }
    let obj = if let Some(inside) = inside_object(size, align) {
        CData::reference(ctype.clone_ref(py), 0, 0, inside)
    } else {
        CData::owning(ctype.clone_ref(py), alloc_block(size, align)?, 0)
    }
    .wrap(py)?;
    obj.get()
        .region(py)?
        .write_bytes(&src[..size.min(src.len())]);
    Ok(obj)
}

/// What `ffi.new()` (or an allocator) must allocate for a ctype and an
/// initializer, and how to fill it in.
pub struct NewPlan<'py> {
    /// Bytes to allocate.
    pub size: usize,
    /// Their alignment.
    pub align: usize,
    /// Items of an array; for a pointer to a struct ending in `T[]`, the
    /// items of that member.
    pub length: usize,
    flex: Option<usize>,
    init: Option<Bound<'py, PyAny>>,
}

/// Sizes a new object of pointer or array type `ct` (F-03.2).
pub fn plan_new<'py>(
    py: Python<'py>,
    ct: &CType,
    init: Option<&Bound<'py, PyAny>>,
) -> PyResult<NewPlan<'py>> {
    let init = init.filter(|i| !i.is_none());
    match &ct.kind {
        Kind::Pointer { item } => {
            let item = item.get();
            let mut size = size_for_new(item)?;
            // A struct ending in `T[]` gets room for the items its
            // initializer gives that member (F-03.20).
            let flex = match (&item.kind, init) {
                (Kind::Record { .. }, Some(init)) => flexible_length(py, item, init)?,
                _ => None,
            };
            if let Some((offset, item_size, n)) = flex {
                let end = item_size
                    .checked_mul(n)
                    .and_then(|items| items.checked_add(offset))
                    .filter(|&end| isize::try_from(end).is_ok())
                    .ok_or_else(|| {
                        PyOverflowError::new_err("array size would overflow a Py_ssize_t")
                    })?;
                size = size.max(end);
            }
            Ok(NewPlan {
                size,
                align: item.align().unwrap_or(1) as usize,
                length: flex.map_or(0, |f| f.2),
                flex: flex.map(|f| f.2),
                init: init.cloned(),
            })
        }
        Kind::Array { item, len } => {
            let item = item.get();
            let item_size = size_for_new(item)?;
            let (n, init) = match (len, init) {
                (Some(n), init) => (*n as usize, init),
                // `ffi.new("int[]", 5)`: a length, not an initializer.
                (None, Some(i)) if i.is_instance_of::<pyo3::types::PyInt>() => {
                    (open_array_length(ct, item, i)?, None)
                }
                (None, Some(i)) => (open_array_length(ct, item, i)?, Some(i)),
                (None, None) => {
                    return Err(PyTypeError::new_err(
                        "expected new array length or list/tuple/str, not NoneType",
                    ))
                }
            };
            let size = n
                .checked_mul(item_size)
                .filter(|&t| isize::try_from(t).is_ok())
                .ok_or_else(|| {
                    PyOverflowError::new_err("array size would overflow a Py_ssize_t")
                })?;
            Ok(NewPlan {
                size,
                align: item.align().unwrap_or(1) as usize,
                length: n,
                flex: None,
                init: init.cloned(),
            })
        }
        _ => Err(PyTypeError::new_err(format!(
            "expected a pointer or array ctype, got '{}'",
            ct.cname
        ))),
    }
}

impl NewPlan<'_> {
    /// Writes the initializer into the new memory, `mem` (the plan's
    /// `size` bytes).
    pub fn initialize(&self, py: Python<'_>, ct: &CType, mem: Region<'_>) -> PyResult<()> {
        let Some(init) = &self.init else {
            return Ok(());
        };
        match &ct.kind {
            Kind::Pointer { item } => match &item.get().kind {
                // The plan's size covers the record and its flexible
                // array member's `flex` items.
                Kind::Record { .. } => write_record(py, item.get(), init, mem, self.flex),
                _ => write(py, item.get(), init, mem),
            },
            Kind::Array { item, .. } => write_array(py, ct, item.get(), self.length, init, mem),
            _ => unreachable!("plan_new only accepts pointers and arrays"),
        }
    }
}

/// The `T[]` ctype for items of `item` (slices are of this type).
pub fn open_array_of(py: Python<'_>, item: &CType) -> PyResult<Py<CType>> {
    let id = registry::lock().types.intern(Type::Array {
        item: item.id,
        len: None,
    });
    registry::ctype_for(py, id)
}
