//! C values in memory: the zero-filled blocks `ffi.new()` owns, and the
//! rules for reading a value of any ctype at an address into Python and
//! writing a Python object there (F-03.2, F-05.5..F-05.7, F-06.1..F-06.6).
//!
//! Every function taking an address requires that it points to memory
//! valid for the ctype's size: the callers get addresses from owned
//! blocks, from C, or from `ffi.cast()` (where the user vouches for them).

use crate::cdata::{CData, Inline, Owner};
use crate::convert::{self, type_name};
use crate::ctype::{CType, IntRepr, Kind, LoadPy};
use crate::registry;
use crate::value::{self, Prim};
use ctypes_model::{bitfield, FlatField, Primitive, PrimitiveKind, Target, Type};
use ffi_runtime::memory::{self as raw, AllocError};
use ffi_runtime::Slot;
use pyo3::exceptions::{
    PyIndexError, PyKeyError, PyMemoryError, PyNotImplementedError, PyOverflowError, PyTypeError,
    PyValueError,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use std::sync::Arc;

pub use ffi_runtime::memory::Block;

/// A zero-filled [`Block`] of `size` bytes aligned for `align`, with the
/// exceptions cffi raises when it cannot be had.
pub fn alloc_block(size: usize, align: usize) -> PyResult<Block> {
    Block::zeroed(size, align).map_err(|e| match e {
        AllocError::TooLarge => PyOverflowError::new_err("array size would overflow a Py_ssize_t"),
        AllocError::OutOfMemory => PyMemoryError::new_err(()),
    })
}

/// A field of a struct or union, ready for access: the model's flattened
/// field with its Python-side handles.
pub struct FieldInfo {
    /// The name as an interned Python str: attribute names in code are
    /// interned too, so lookups mostly compare pointers.
    pub py_name: Py<PyString>,
    pub ctype: Py<CType>,
    /// Name, offset, bit-field position and union flag, from the model.
    pub layout: FlatField,
}

impl FieldInfo {
    /// The field's name.
    pub fn name(&self) -> &str {
        &self.layout.name
    }

    /// The byte offset from the start of the outermost record (of the
    /// storage unit, for a bit field).
    #[inline]
    pub fn offset(&self) -> usize {
        self.layout.offset as usize
    }

    /// Set for union members after the first: list initializers skip them.
    pub fn later_union_member(&self) -> bool {
        self.layout.is_later_union_member()
    }
}

/// The flattened fields of a completed record, built once per ctype.
pub type Fields = Arc<[FieldInfo]>;

/// The fields of record ctype `ct`, or `None` while it is opaque.
pub fn fields<'a>(py: Python<'_>, ct: &'a CType) -> PyResult<Option<&'a Fields>> {
    if let Some(f) = ct.field_cache.get() {
        return Ok(Some(f));
    }
    let Kind::Record { rid, .. } = ct.kind else {
        return Ok(None);
    };
    let raw = {
        let reg = registry::lock();
        if reg.types.record(rid).body.is_none() {
            return Ok(None);
        }
        reg.types
            .flat_fields(rid)
            .map_err(|e| PyTypeError::new_err(e.to_string()))?
    };
    let built: Fields = raw
        .into_iter()
        .map(|f| {
            Ok(FieldInfo {
                py_name: PyString::intern(py, &f.name).unbind(),
                ctype: registry::ctype_for(py, f.ty)?,
                layout: f,
            })
        })
        .collect::<PyResult<Vec<_>>>()?
        .into();
    // A record is completed once, so a racing thread built the same list.
    Ok(Some(ct.field_cache.get_or_init(|| built)))
}

/// The size of `ct`, or the error cffi gives when instantiating a type of
/// unknown size.
pub fn size_for_new(ct: &CType) -> PyResult<usize> {
    match ct.size() {
        Some(s) if !matches!(ct.kind, Kind::Void) => Ok(s as usize),
        _ => Err(PyTypeError::new_err(format!(
            "cannot instantiate ctype '{}' of unknown size",
            ct.cname
        ))),
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
    let owner = if plan.size <= Inline::MAX && plan.align <= 8 {
        CData::reference(
            owner_type,
            0,
            plan.length,
            Owner::Inline(Inline::zeroed(plan.size)),
        )
    } else {
        crate::pressure::maybe_collect(py);
        CData::owning(owner_type, alloc_block(plan.size, plan.align)?, plan.length)
    }
    .wrap(py)?;
    let addr = owner.get().addr();
    // SAFETY: the memory was just allocated with the plan's size.
    unsafe { plan.initialize(py, ct, addr)? };
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

/// A new owning cdata of record type `ctype` holding a copy of the
/// `size` bytes at `src` (a struct result or a callback's struct
/// argument): inside the object when small, as `ffi.new()` does.
///
/// # Safety
/// `src` must be readable for the type's size.
pub unsafe fn owned_copy(py: Python<'_>, ctype: &Py<CType>, src: usize) -> PyResult<Py<CData>> {
    let ct = ctype.get();
    let size = ct.size().unwrap_or(0) as usize;
    let align = ct.align().unwrap_or(1) as usize;
    let obj = if size <= Inline::MAX && align <= 8 {
        CData::reference(
            ctype.clone_ref(py),
            0,
            0,
            Owner::Inline(Inline::zeroed(size)),
        )
    } else {
        CData::owning(ctype.clone_ref(py), alloc_block(size, align)?, 0)
    }
    .wrap(py)?;
    // SAFETY: the caller vouches for `size` bytes at `src`; the new
    // object's memory has room for them and is not `src`'s.
    unsafe { raw::copy(obj.get().addr(), src, size) };
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
    /// Writes the initializer into the new memory at `addr`.
    ///
    /// # Safety
    /// `addr` must be writable for the plan's `size` bytes.
    pub unsafe fn initialize(&self, py: Python<'_>, ct: &CType, addr: usize) -> PyResult<()> {
        let Some(init) = &self.init else {
            return Ok(());
        };
        match &ct.kind {
            Kind::Pointer { item } => match &item.get().kind {
                // SAFETY: the plan's size covers the record and its
                // flexible array member's `flex` items; the caller vouches
                // for that size.
                Kind::Record { union, .. } => unsafe {
                    write_record(py, item.get(), *union, init, addr, self.flex)
                },
                // SAFETY: the plan's size is the item's.
                _ => unsafe { write(py, item.get(), init, addr) },
            },
            // SAFETY: the plan's size covers `length` items.
            Kind::Array { item, .. } => unsafe {
                write_array(py, ct, item.get(), self.length, init, addr)
            },
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

/// The width and signedness of an integer primitive (not `char`, `_Bool`
/// or the wide chars, whose Python values are not ints), for the fast
/// paths of [`read`] and [`write`].
fn plain_int(ct: &CType) -> Option<(u64, bool)> {
    ct.int_repr.map(|r| (r.size(), r.signed()))
}

/// A list of the `n` integers of type `T` at `base`, each made a Python
/// int by `to_int` (a C-API constructor: new reference or NULL).
///
/// # Safety
/// `base` must be readable for `n` items of `T`.
unsafe fn int_list<T: Copy>(
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
        let p = base as *const T;
        for i in 0..n {
            let item = to_int(p.add(i).read_unaligned());
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
            match value::read(ct, &slot) {
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

/// Writes `obj` as a value of `ct` at `addr` (F-06: the conversion rules of
/// initializers and assignments; the argument-only ones excluded).
///
/// # Safety
/// `addr` must be writable for the ctype's size (for an open array, for as
/// many items as `obj` gives).
pub unsafe fn write(
    py: Python<'_>,
    ct: &CType,
    obj: &Bound<'_, PyAny>,
    addr: usize,
) -> PyResult<()> {
    // Fast path: a Python int in range for an integer type. Anything else
    // (and every error message) takes the general path below.
    if let (Some((size, _)), Some((min, max))) = (plain_int(ct), ct.int_range) {
        if obj.is_exact_instance_of::<pyo3::types::PyInt>() {
            if let Ok(v) = obj.extract::<i64>() {
                let v = i128::from(v);
                if (min..=max).contains(&v) && size <= 8 {
                    let mut slot = Slot::default();
                    slot.write_int(v, size as u32);
                    // SAFETY: the caller's address is valid for the ctype's
                    // size.
                    unsafe { raw::store(addr, &slot, size as usize) };
                    return Ok(());
                }
            }
        }
    }
    match &ct.kind {
        Kind::Primitive(_) | Kind::Enum(_) | Kind::Function(_) => {
            let mut slot = Slot::default();
            convert::write_arg(ct, obj, &mut slot)?;
            // SAFETY: the caller's address is valid for the ctype's size.
            unsafe { raw::store(addr, &slot, ct.size().unwrap_or(0) as usize) };
            Ok(())
        }
        Kind::Pointer { item } => {
            let Ok(cd) = obj.cast::<CData>() else {
                return Err(PyTypeError::new_err(format!(
                    "initializer for ctype '{}' must be a cdata pointer, not {}",
                    ct.cname,
                    type_name(obj)
                )));
            };
            let cd = cd.get();
            convert::check_pointer_compat(ct, item.get(), cd.ctype.get())?;
            let mut slot = Slot::default();
            slot.write_ptr(cd.data_addr(py)? as *const std::ffi::c_void);
            // SAFETY: the caller's address is valid for a pointer.
            unsafe { raw::store(addr, &slot, std::mem::size_of::<usize>()) };
            Ok(())
        }
        Kind::Array { item, len } => {
            // An open array takes as many items as it is given; the
            // memory belongs to whoever made the pointer (F-06.24).
            let len = match len {
                Some(len) => *len as usize,
                None => open_array_length(ct, item.get(), obj)?,
            };
            // SAFETY: the caller's memory holds `len` items (an open
            // array's length is the initializer's, as the caller sized it).
            unsafe { write_array(py, ct, item.get(), len, obj, addr) }
        }
        // SAFETY: the caller's address is valid for the record's size.
        Kind::Record { union, .. } => unsafe { write_record(py, ct, *union, obj, addr, None) },
        Kind::Void => Err(PyTypeError::new_err(format!(
            "cannot write a value of type '{}'",
            ct.cname
        ))),
    }
}

/// True for `char`, `signed char`, `unsigned char` (and `_Bool`): arrays
/// of these take `bytes` initializers.
fn is_byte_item(item: &CType) -> bool {
    matches!(
        item.kind,
        Kind::Primitive(Primitive::Char | Primitive::SignedChar | Primitive::UnsignedChar)
    )
}

fn is_wide_item(item: &CType) -> bool {
    matches!(&item.kind, Kind::Primitive(p) if p.kind() == PrimitiveKind::WideChar)
}

/// How many items an initializer gives an array of unknown length
/// (`ffi.new("int[]", init)`), as cffi counts them.
pub fn open_array_length(ct: &CType, item: &CType, init: &Bound<'_, PyAny>) -> PyResult<usize> {
    if let Ok(list) = init.cast::<PyList>() {
        return Ok(list.len());
    }
    if let Ok(tuple) = init.cast::<PyTuple>() {
        return Ok(tuple.len());
    }
    if is_byte_item(item) {
        if let Ok(b) = init.cast::<PyBytes>() {
            return Ok(b.as_bytes().len() + 1);
        }
    }
    if matches!(item.kind, Kind::Primitive(Primitive::Bool)) {
        if let Ok(b) = init.cast::<PyBytes>() {
            // Like `char[]`, with room for a terminating zero.
            return Ok(b.as_bytes().len() + 1);
        }
    }
    if is_wide_item(item) {
        if let Ok(s) = init.cast::<PyString>() {
            return Ok(wide_units(item, s)?.len() + 1);
        }
    }
    if init.is_instance_of::<PyBytes>() || init.is_instance_of::<PyString>() {
        // A string of the wrong kind: the initializer's own error.
        return Err(array_init_error(ct, item, init));
    }
    if init.is_instance_of::<pyo3::types::PyInt>() {
        let n: i128 = init.extract()?;
        if n < 0 {
            return Err(PyValueError::new_err("negative array length"));
        }
        return usize::try_from(n)
            .ok()
            .filter(|&n| isize::try_from(n).is_ok())
            .ok_or_else(|| {
                PyOverflowError::new_err("cannot fit 'int' into an index-sized integer")
            });
    }
    Err(PyTypeError::new_err(format!(
        "expected new array length or list/tuple/str, not {}",
        type_name(init)
    )))
}

/// The code units of `s` for a wide character type of `item`'s size:
/// UTF-16 (with surrogates) for 2 bytes, UTF-32 for 4.
/// Lone surrogates (which a Python str may hold) are kept as they are.
fn wide_units(item: &CType, s: &Bound<'_, PyString>) -> PyResult<Vec<u32>> {
    let utf16 = item.size() == Some(2);
    if let Ok(text) = s.to_str() {
        return Ok(if utf16 {
            text.encode_utf16().map(u32::from).collect()
        } else {
            text.chars().map(|c| c as u32).collect()
        });
    }
    // Not valid UTF-8: the str holds a lone surrogate.
    let raw = s.call_method1("encode", ("utf-32-le", "surrogatepass"))?;
    let raw = raw.cast::<PyBytes>()?.as_bytes();
    let mut units = Vec::with_capacity(raw.len() / 4);
    for chunk in raw.chunks_exact(4) {
        let c = u32::from_le_bytes(chunk.try_into().expect("4 bytes"));
        if utf16 && c >= 0x10000 {
            let c = c - 0x10000;
            units.extend([0xD800 | (c >> 10), 0xDC00 | (c & 0x3FF)]);
        } else {
            units.push(c);
        }
    }
    Ok(units)
}

/// Writes an array initializer: a list or tuple of items, `bytes` for
/// byte arrays, `str` for wide-character arrays, or an array cdata of the
/// same type.
///
/// # Safety
/// `addr` must be writable for `len` items.
pub unsafe fn write_array(
    py: Python<'_>,
    ct: &CType,
    item: &CType,
    len: usize,
    obj: &Bound<'_, PyAny>,
    addr: usize,
) -> PyResult<()> {
    let item_size = item.size().unwrap_or(0) as usize;
    let items: Option<Vec<Bound<'_, PyAny>>> = if let Ok(list) = obj.cast::<PyList>() {
        Some(list.iter().collect())
    } else if let Ok(tuple) = obj.cast::<PyTuple>() {
        Some(tuple.iter().collect())
    } else {
        None
    };
    if let Some(items) = items {
        if items.len() > len {
            return Err(PyIndexError::new_err(format!(
                "too many initializers for '{}' (got {})",
                ct.cname,
                items.len()
            )));
        }
        for (i, value) in items.iter().enumerate() {
            // SAFETY: `i < items.len() <= len`: inside the caller's array.
            unsafe { write(py, item, value, addr + i * item_size)? };
        }
        return Ok(());
    }
    let is_bool = matches!(item.kind, Kind::Primitive(Primitive::Bool));
    if is_byte_item(item) || is_bool {
        if let Ok(b) = obj.cast::<PyBytes>() {
            let data = b.as_bytes();
            if is_bool && data.iter().any(|&c| c > 1) {
                return Err(PyValueError::new_err(
                    "an array of _Bool can only contain \\x00 or \\x01",
                ));
            }
            if data.len() > len {
                return Err(PyIndexError::new_err(format!(
                    "initializer bytes is too long for '{}' (got {} characters)",
                    ct.cname,
                    data.len()
                )));
            }
            // SAFETY: `addr` holds `len` >= data.len() bytes (the caller's
            // promise), and one more when data.len() < len.
            unsafe {
                raw::write_bytes(addr, data);
                if data.len() < len {
                    raw::zero(addr + data.len(), 1);
                }
            }
            return Ok(());
        }
    }
    if is_wide_item(item) {
        if let Ok(s) = obj.cast::<PyString>() {
            let units = wide_units(item, s)?;
            if units.len() > len {
                return Err(PyIndexError::new_err(format!(
                    "initializer unicode is too long for '{}' (got {} characters)",
                    ct.cname,
                    units.len()
                )));
            }
            let mut slot = Slot::default();
            for (i, &u) in units
                .iter()
                .chain(std::iter::once(&0))
                .take(len)
                .enumerate()
            {
                slot.write_int(i128::from(u), item_size as u32);
                // SAFETY: `i < len`: inside the caller's array.
                unsafe { raw::store(addr + i * item_size, &slot, item_size) };
            }
            return Ok(());
        }
    }
    if let Ok(cd) = obj.cast::<CData>() {
        let cd = cd.get();
        if cd.ctype.get().id == ct.id {
            let src = cd.data_addr(py)?;
            // SAFETY: both are arrays of this type, `len` items each (the
            // source is a live cdata); `copy` allows overlap.
            unsafe { raw::copy(addr, src, len * item_size) };
            return Ok(());
        }
    }
    Err(array_init_error(ct, item, obj))
}

/// The TypeError for an initializer an array of `item` cannot take.
fn array_init_error(ct: &CType, item: &CType, obj: &Bound<'_, PyAny>) -> PyErr {
    let what = if is_byte_item(item) {
        "a bytes or list or tuple"
    } else if is_wide_item(item) {
        "a unicode or list or tuple"
    } else {
        "a list or tuple"
    };
    PyTypeError::new_err(format!(
        "initializer for ctype '{}' must be {what}, not {}",
        ct.cname,
        convert::given_name(obj)
    ))
}

/// `a[i:j] = value` (F-05.35, F-05.36): `bytes` or `bytearray` of exactly
/// the slice's length into `char` items; otherwise any iterable giving
/// exactly that many items, each converted as an item assignment.
/// Where a write goes, computed on demand (and checked against
/// `ffi.release()` by the cdata's `data_addr`). An unsafe function taking
/// one requires the addresses it returns to be valid for what is written.
pub type Place<'a> = &'a dyn Fn() -> PyResult<usize>;

/// True when converting `obj` may run Python code (a user `__int__`,
/// `__index__`, `__float__`, ...); exact ints, floats, bytes, strs and
/// cdata never do.
pub fn conversion_may_run_code(obj: &Bound<'_, PyAny>) -> bool {
    !(obj.is_exact_instance_of::<pyo3::types::PyInt>()
        || obj.is_exact_instance_of::<pyo3::types::PyFloat>()
        || obj.is_exact_instance_of::<pyo3::types::PyBool>()
        || obj.is_exact_instance_of::<PyBytes>()
        || obj.is_exact_instance_of::<PyString>()
        || obj.is_instance_of::<CData>())
}

/// Writes `obj` as a `ct` value at `place()`. A scalar whose conversion
/// may run Python code is converted first and its address computed after:
/// that code could have released the memory (`__int__` calling
/// `ffi.release()`), which the address check then reports.
///
/// # Safety
/// `place()` must return memory writable for the ctype's size.
pub unsafe fn write_placed(
    py: Python<'_>,
    ct: &CType,
    obj: &Bound<'_, PyAny>,
    place: Place<'_>,
) -> PyResult<()> {
    if matches!(ct.kind, Kind::Primitive(_) | Kind::Enum(_)) && conversion_may_run_code(obj) {
        let mut slot = Slot::default();
        convert::write_arg(ct, obj, &mut slot)?;
        let addr = place()?;
        // SAFETY: `place()` gives memory for the ctype's size (the
        // caller's promise).
        unsafe { raw::store(addr, &slot, ct.size().unwrap_or(0) as usize) };
        return Ok(());
    }
    let addr = place()?;
    // SAFETY: as above.
    unsafe { write(py, ct, obj, addr) }
}

///
/// # Safety
/// `base()` must return memory writable for `len` items.
pub unsafe fn write_slice(
    py: Python<'_>,
    item: &CType,
    len: usize,
    obj: &Bound<'_, PyAny>,
    base: Place<'_>,
) -> PyResult<()> {
    if matches!(item.kind, Kind::Primitive(Primitive::Char)) {
        let data = if let Ok(b) = obj.cast::<PyBytes>() {
            Some(b.as_bytes().to_vec())
        } else if let Ok(b) = obj.cast::<pyo3::types::PyByteArray>() {
            Some(b.to_vec())
        } else {
            None
        };
        if let Some(data) = data {
            if data.len() != len {
                return Err(PyValueError::new_err(format!(
                    "need a string of length {len}, got {}",
                    data.len()
                )));
            }
            let addr = base()?;
            // SAFETY: the slice designates `len` == data.len() bytes.
            unsafe { raw::write_bytes(addr, &data) };
            return Ok(());
        }
    }
    let item_size = item.size().unwrap_or(0) as usize;
    let mut written = 0;
    for value in obj.try_iter()? {
        if written == len {
            return Err(PyValueError::new_err(format!(
                "got more than {len} values to unpack"
            )));
        }
        // Each item's place is checked anew: converting the previous one
        // (or iterating) may have run Python code.
        let at = written * item_size;
        // SAFETY: `written < len`: the item is inside the caller's slice.
        unsafe { write_placed(py, item, &value?, &|| Ok(base()? + at))? };
        written += 1;
    }
    if written < len {
        return Err(PyValueError::new_err(format!(
            "need {len} values to unpack, got {written}"
        )));
    }
    Ok(())
}

/// Writes a struct or union initializer: a list or tuple (fields in
/// order), a dict (by name), or a cdata of the same record type.
///
/// # Safety
/// `addr` must be writable for the record's size (and its flexible array
/// member's `flex` items).
unsafe fn write_record(
    py: Python<'_>,
    ct: &CType,
    union: bool,
    obj: &Bound<'_, PyAny>,
    addr: usize,
    flex: Option<usize>,
) -> PyResult<()> {
    if ct.size().is_none() {
        return Err(PyTypeError::new_err(format!("'{}' is opaque", ct.cname)));
    }
    if let Ok(cd) = obj.cast::<CData>() {
        let cd = cd.get();
        if cd.ctype.get().id == ct.id {
            let size = ct.size().unwrap_or(0) as usize;
            let src = cd.data_addr(py)?;
            // SAFETY: both hold a value of this record type.
            unsafe { raw::copy(addr, src, size) };
            return Ok(());
        }
        if cd.ctype.get().cname == ct.cname {
            return Err(convert::same_name_other_type(ct));
        }
    }
    let bad_type = || {
        PyTypeError::new_err(format!(
            "initializer for ctype '{}' must be a list or tuple or dict or struct-cdata, not {}",
            ct.cname,
            convert::given_name(obj)
        ))
    };
    let is_seq = obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>();
    if !is_seq && !obj.is_instance_of::<PyDict>() {
        return Err(bad_type());
    }
    let Some(fields) = fields(py, ct)? else {
        return Err(PyTypeError::new_err(format!(
            "'{}' is opaque or not completed yet",
            ct.cname
        )));
    };
    if let Ok(dict) = obj.cast::<PyDict>() {
        for (key, value) in dict.iter() {
            let name: String = key.extract()?;
            let Some(f) = fields.iter().find(|f| f.name() == name) else {
                return Err(PyKeyError::new_err(name));
            };
            // SAFETY: the field is inside the caller's record.
            unsafe { write_field(py, f, &value, &|| Ok(addr), flex)? };
        }
        return Ok(());
    }
    // A list or tuple: fields in order (a union takes one).
    let targets = || {
        fields
            .iter()
            .filter(|f| !f.later_union_member())
            .take(if union { 1 } else { usize::MAX })
    };
    let given = obj.len()?;
    if given > targets().count() {
        return Err(PyValueError::new_err(format!(
            "too many initializers for '{}' (got {given})",
            ct.cname
        )));
    }
    for (i, f) in targets().take(given).enumerate() {
        // Indexed each time: a conversion may run Python code that
        // shrinks the list, which then fails here instead of misreading.
        // SAFETY: the field is inside the caller's record.
        unsafe { write_field(py, f, &obj.get_item(i)?, &|| Ok(addr), flex)? };
    }
    Ok(())
}

/// For a struct ending in a flexible array member `T[]`: the member's
/// offset, item size, and the number of items `init` gives it, if any.
fn flexible_length(
    py: Python<'_>,
    record: &CType,
    init: &Bound<'_, PyAny>,
) -> PyResult<Option<(usize, usize, usize)>> {
    let Some(fields) = fields(py, record)? else {
        return Ok(None);
    };
    let Some((pos, last)) = fields
        .iter()
        .enumerate()
        .rfind(|(_, f)| !f.later_union_member())
    else {
        return Ok(None);
    };
    let Kind::Array { item, len: None } = &last.ctype.get().kind else {
        return Ok(None);
    };
    let value = if let Ok(d) = init.cast::<PyDict>() {
        d.get_item(last.name())?
    } else if init.is_instance_of::<PyList>() || init.is_instance_of::<PyTuple>() {
        init.get_item(pos).ok()
    } else {
        None
    };
    let Some(value) = value else {
        return Ok(None);
    };
    let n = open_array_length(last.ctype.get(), item.get(), &value)?;
    let item_size = item.get().size().unwrap_or(0) as usize;
    Ok(Some((last.offset(), item_size, n)))
}

/// Reads field `f` of the record at `base`.
///
/// # Safety
/// `base` must be a record of `f`'s type, readable, and valid while `keep`
/// lives (with `flex` items in its flexible array member, if given).
pub unsafe fn read_field(
    py: Python<'_>,
    f: &FieldInfo,
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
    match value::read(ct, &{
        let mut s = Slot::default();
        s.write_int(value, unit as u32);
        s
    }) {
        Some(p @ (Prim::Bool(_) | Prim::Char(_) | Prim::Wide(_))) => p.to_python(py),
        _ => Ok(value.into_pyobject(py)?.into_any().unbind()),
    }
}

/// Whether a bit field of integer type `ct` holds signed values.
fn is_signed(ct: &CType) -> bool {
    ct.int_range.is_some_and(|(min, _)| min < 0)
}

/// Writes `obj` into field `f` of the record at `base`; bit fields check
/// that the value fits their width.
///
/// # Safety
/// `base()` must return a record of `f`'s type, writable (with `flex`
/// items in its flexible array member, if given).
pub unsafe fn write_field(
    py: Python<'_>,
    f: &FieldInfo,
    obj: &Bound<'_, PyAny>,
    base: Place<'_>,
    flex: Option<usize>,
) -> PyResult<()> {
    if let (Kind::Array { item, len: None }, Some(n)) = (&f.ctype.get().kind, flex) {
        if obj.is_instance_of::<pyo3::types::PyInt>() {
            // An integer only sized the member (see `flexible_length`).
            return Ok(());
        }
        let addr = base()? + f.offset();
        // SAFETY: the record was allocated with `n` items in its flexible
        // array member (the caller's promise).
        return unsafe { write_array(py, f.ctype.get(), item.get(), n, obj, addr) };
    }
    let Some((shift, width)) = f.layout.bit_field() else {
        // SAFETY: the field is inside the caller's record.
        return unsafe { write_placed(py, f.ctype.get(), obj, &|| Ok(base()? + f.offset())) };
    };
    let ct = f.ctype.get();
    // Bit fields take integers as `operator.index()` does, within 64 bits.
    let index = convert::index_object(obj)?;
    let value = i128::from(
        index
            .extract::<i64>()
            .or_else(|_| index.extract::<u64>().map(|u| u as i64))
            .map_err(|_| PyOverflowError::new_err("int too big to convert"))?,
    );
    bitfield::check(value, width, is_signed(ct))
        .map_err(|e| PyOverflowError::new_err(e.to_string()))?;
    let unit = ct.size().unwrap_or(0) as usize;
    // Only now, after `__index__` ran: it may have released the memory.
    let addr = base()? + f.offset();
    // SAFETY: the storage unit is inside the caller's record.
    let mut slot = unsafe { raw::load(addr, unit) };
    let raw = slot.read_int_sized(unit as u32, false) as u128;
    let new = bitfield::insert(raw, shift, width, value);
    slot.write_int(new as i128, unit as u32);
    // SAFETY: as for the load above.
    unsafe { raw::store(addr, &slot, unit) };
    Ok(())
}

/// The code units of `n` wide characters of `unit` bytes at `addr` as a
/// Python str: UTF-16 pairs are combined, lone surrogates kept.
///
/// # Safety
/// `addr` must be readable for `n` units.
unsafe fn wide_str(py: Python<'_>, item: &CType, addr: usize, n: usize) -> PyResult<Py<PyAny>> {
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
            .find(|&v| !value::is_code_point(v))
            .map_or(e, crate::value::wide_out_of_range)
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
            let name = crate::cdata::enum_name(*eid, v);
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
