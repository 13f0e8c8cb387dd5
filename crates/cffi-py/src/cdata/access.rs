//! Where the items, fields and slices of a cdata are: bounds, NULL and
//! release checks before any memory is touched.

use crate::convert;
use crate::object::null_deref;
use crate::object::{CData, Own, Owner};
use crate::types::registry;
use crate::types::{CType, Kind};
use ffi_runtime::memory::Region;
use pyo3::basic::CompareOp;
use pyo3::exceptions::PyAttributeError;
use pyo3::exceptions::{PyIndexError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PySlice;
use pyo3::types::PyString;

impl CData {
    /// For `a[i]` with `a` an array of integers and `i` a Python int in
    /// bounds, or `p[i]` with `p` a pointer to integers: the item's memory
    /// and representation. `None` sends every other case (and every error)
    /// down the general path.
    #[inline]
    pub(crate) fn int_item_fast(
        &self,
        py: Python<'_>,
        key: &Bound<'_, PyAny>,
    ) -> PyResult<Option<(Region<'_>, crate::types::IntRepr)>> {
        let (item, is_array) = match &self.ctype.get().kind {
            Kind::Array { item, .. } => (item, true),
            Kind::Pointer { item } => (item, false),
            _ => return Ok(None),
        };
        let Some(repr) = item.get().int_repr else {
            return Ok(None);
        };
        if !key.is_exact_instance_of::<pyo3::types::PyInt>() {
            return Ok(None);
        }
        // SAFETY: `key` is a live int; the call returns -1 with an
        // exception set when it does not fit, which is cleared below (the
        // general path reports it).
        let index = unsafe { pyo3::ffi::PyLong_AsSsize_t(key.as_ptr()) };
        if index == -1 && PyErr::take(py).is_some() {
            return Ok(None);
        }
        let size = repr.size() as usize;
        if is_array {
            // The usual array first: one `ffi.new()` made.
            if let Some((length, items)) = self.owned_items() {
                // Negative indexes wrap to huge values and fail this too.
                if index as usize >= length {
                    return Ok(None);
                }
                return Ok(items
                    .try_at(index as usize * size, size)
                    .map(|at| (at, repr)));
            }
            if index as usize >= self.length() {
                return Ok(None);
            }
        } else if index != 0 && self.owns_one_item() {
            // `ffi.new("int *")[1]`: the general path refuses it.
            return Ok(None);
        }
        let base = self.region(py)?;
        if base.addr() == 0 || index < 0 {
            return Ok(None);
        }
        Ok(base
            .try_at(index as usize * size, size)
            .map(|at| (at, repr)))
    }

    /// The item type of a pointer or array, and whether it is an array.
    pub(crate) fn indexable(&self) -> PyResult<(&Py<CType>, bool)> {
        match &self.ctype.get().kind {
            Kind::Pointer { item } => Ok((item, false)),
            Kind::Array { item, .. } => Ok((item, true)),
            _ => Err(PyTypeError::new_err(format!(
                "cdata of type '{}' cannot be indexed",
                self.ctype.get().cname
            ))),
        }
    }

    /// Where item `index` is (bounds-checked for arrays, NULL refused),
    /// without looking at the memory: for references to struct items.
    pub(crate) fn item_addr(&self, item: &CType, index: isize, is_array: bool) -> PyResult<usize> {
        self.check_index(index, is_array)?;
        if self.addr() == 0 {
            return Err(null_deref(&self.ctype.get().cname));
        }
        let size = self.item_size(item, index)?;
        Ok(self
            .addr()
            .wrapping_add_signed(index.wrapping_mul(size as isize)))
    }

    /// Refuses an index outside an array.
    fn check_index(&self, index: isize, is_array: bool) -> PyResult<()> {
        if is_array {
            if index < 0 {
                return Err(PyIndexError::new_err("negative index"));
            }
            if index as usize >= self.length() {
                return Err(PyIndexError::new_err(format!(
                    "index too large for cdata '{}' (expected {index} < {})",
                    self.ctype.get().cname,
                    self.length()
                )));
            }
        }
        Ok(())
    }

    /// The size of the items being indexed (0 where item 0 of an item of
    /// unknown size is asked for).
    fn item_size(&self, item: &CType, index: isize) -> PyResult<u64> {
        match item.size().filter(|_| !matches!(item.kind, Kind::Void)) {
            Some(size) => Ok(size),
            // Item 0 of an opaque struct, a `void` or an open array is
            // still there to designate (as a reference, an error, or a
            // pointer: see `convert::read`); others cannot be placed.
            // (cffi 2.0.0 places item i at `-i` bytes; docs/compat.md.)
            None if index == 0 || matches!(item.kind, Kind::Void) => Ok(0),
            None => Err(PyTypeError::new_err(format!(
                "cdata '{}' points to items of unknown size",
                self.ctype.get().cname
            ))),
        }
    }

    /// The memory of item `index` (and what follows it), bounds-checked
    /// for arrays.
    pub(crate) fn item_region(
        &self,
        py: Python<'_>,
        item: &CType,
        index: isize,
        is_array: bool,
    ) -> PyResult<Region<'_>> {
        self.check_index(index, is_array)?;
        let base = self.region(py)?;
        if base.addr() == 0 {
            return Err(null_deref(&self.ctype.get().cname));
        }
        let size = self.item_size(item, index)?;
        let offset = index.wrapping_mul(size as isize);
        if let Some(at) = usize::try_from(offset)
            .ok()
            .and_then(|off| base.try_at(off, base.len() - off.min(base.len())))
            .filter(|at| at.len() >= size as usize)
        {
            return Ok(at);
        }
        // As in C (and in cffi, which documents it for the pointers
        // `from_buffer()` makes), a pointer's item `index` is wherever that
        // lands, before its start or past the memory known here.
        // SAFETY: a C pointer's item, at the address the user's index
        // designates: whoever made the pointer vouches for it, as in C and
        // in cffi (which read and write it unchecked).
        Ok(unsafe { Region::open(base.addr().wrapping_add_signed(offset)) })
    }

    /// `a[i:j]`: an open array over items `i..j`, keeping `a` alive.
    pub(crate) fn slice(
        &self,
        this: &Bound<'_, Self>,
        slice: &Bound<'_, PySlice>,
    ) -> PyResult<Py<CData>> {
        let py = this.py();
        let (item, is_array) = self.indexable()?;
        // Interned names: no allocation (which could fail) per slice.
        if !slice.getattr(pyo3::intern!(py, "step"))?.is_none() {
            return Err(PyIndexError::new_err("slice with step not supported"));
        }
        let bound = |attr: &str, name: &Bound<'_, PyString>| -> PyResult<isize> {
            let v = slice.getattr(name)?;
            if v.is_none() {
                return Err(PyIndexError::new_err(format!(
                    "slice {attr} must be specified"
                )));
            }
            // Ints only (not `__index__`), as cffi reads them.
            if !v.is_instance_of::<pyo3::types::PyInt>() {
                return Err(PyTypeError::new_err("an integer is required"));
            }
            v.extract().map_err(|_| {
                pyo3::exceptions::PyOverflowError::new_err(
                    "Python int too large to convert to C ssize_t",
                )
            })
        };
        let (start, stop) = (
            bound("start", pyo3::intern!(py, "start"))?,
            bound("stop", pyo3::intern!(py, "stop"))?,
        );
        if item.get().size().is_none() || matches!(item.get().kind, Kind::Void) {
            return Err(PyValueError::new_err(format!(
                "array item of unknown size: '{}'",
                item.get().cname
            )));
        }
        if start > stop {
            return Err(PyIndexError::new_err("slice start > stop"));
        }
        if is_array {
            if start < 0 {
                return Err(PyIndexError::new_err("negative index"));
            }
            if stop as usize > self.length() {
                return Err(PyIndexError::new_err(format!(
                    "index too large (expected {stop} <= {})",
                    self.length()
                )));
            }
        }
        let base = self.data_addr(py)?;
        let size = item.get().size().unwrap_or(0) as isize;
        let ctype = convert::open_array_of(py, item.get())?;
        let addr = base.wrapping_add_signed(start.wrapping_mul(size));
        let owner = Owner::Slice(this.as_any().clone().unbind());
        CData::reference(ctype, addr, (stop - start) as usize, owner).wrap(py)
    }

    /// The field `name` of this struct/union (or of the one this points
    /// to), with the address of the record.
    pub(crate) fn field(
        &self,
        py: Python<'_>,
        name: &Bound<'_, PyString>,
        verb: &str,
    ) -> PyResult<(&crate::types::FieldInfo, Region<'_>)> {
        let ct = self.ctype.get();
        let (record, base) = match &ct.kind {
            Kind::Record { .. } => (ct, self.region(py)?),
            Kind::Pointer { item } if matches!(item.get().kind, Kind::Record { .. }) => {
                (item.get(), self.region(py)?)
            }
            _ => {
                return Err(PyAttributeError::new_err(format!(
                    "cdata '{}' has no attribute '{}'",
                    ct.cname,
                    name.to_cow()?
                )))
            }
        };
        let Some(fields) = crate::types::fields(py, record)? else {
            return Err(PyAttributeError::new_err(format!(
                "cdata '{}' points to an opaque type: cannot {verb} fields",
                ct.cname
            )));
        };
        // Interned names compare by pointer; others by text.
        let found = match fields.iter().find(|f| f.py_name.as_ptr() == name.as_ptr()) {
            Some(f) => Some(f),
            None => {
                let text = name.to_cow()?;
                fields.iter().find(|f| f.name() == text)
            }
        };
        let Some(field) = found else {
            return Err(PyAttributeError::new_err(format!(
                "cdata '{}' has no field '{}'",
                ct.cname,
                name.to_cow()?
            )));
        };
        if base.addr() == 0 {
            return Err(null_deref(&ct.cname));
        }
        if !base.is_open() {
            let size = record.size().unwrap_or(0) as usize;
            crate::convert::within(base, size, &ct.cname)?;
        }
        Ok((field, base))
    }

    /// A field of the record this cdata is or points to that is a plain
    /// number ([`crate::types::Scalar`]), and its memory: the common case
    /// of `p.x`, found without the general path. `None` when anything is
    /// unusual (another kind of field, fields not built yet, memory that
    /// is not simply this object's or a C pointer's, released memory, a
    /// NULL pointer): the general path then does the access, or raises.
    #[inline]
    pub(crate) fn scalar_field(
        &self,
        py: Python<'_>,
        name: &Bound<'_, PyString>,
    ) -> Option<(crate::types::Scalar, Region<'_>)> {
        let ct = self.ctype.get();
        let record = match &ct.kind {
            Kind::Record { .. } => ct,
            Kind::Pointer { item } => item.get(),
            _ => return None,
        };
        let fields = record.field_cache.get()?;
        let f = fields
            .iter()
            .find(|f| f.py_name.as_ptr() == name.as_ptr())?;
        let scalar = f.scalar?;
        if !self.owns_plainly() {
            return None;
        }
        let base = self.region(py).ok().filter(|b| b.addr() != 0)?;
        Some((scalar, base.try_at(f.offset(), scalar.size())?))
    }

    /// The pointer type this cdata decays to (its own for pointers).
    pub(crate) fn decayed_id(&self) -> ctypes_model::TypeId {
        match &self.ctype.get().kind {
            Kind::Array { item, .. } => registry::lock().types.pointer(item.get().id),
            _ => self.ctype.get().id,
        }
    }

    /// True for the pointers `ffi.new("T *")` returns, which own their one
    /// item.
    pub(crate) fn owns_one_item(&self) -> bool {
        matches!(
            self.owner(),
            Own::Block(_) | Own::Inline(_) | Own::OwnedRecord(_)
        ) && matches!(self.ctype.get().kind, Kind::Pointer { .. })
    }

    /// `ffi.new("T *")` owns one item: only index 0 is valid.
    pub(crate) fn only_index_zero(&self, index: isize) -> PyResult<()> {
        if index == 0 {
            return Ok(());
        }
        Err(PyIndexError::new_err(format!(
            "cdata '{}' can only be indexed by 0",
            self.ctype.get().cname
        )))
    }

    /// `self + n` as a pointer.
    pub(crate) fn offset_by(&self, py: Python<'_>, n: isize) -> PyResult<Py<PyAny>> {
        let (item, _) = self.indexable()?;
        let size = item_size_for_arith(item.get()).ok_or_else(|| {
            PyTypeError::new_err(format!(
                "ctype '{}' points to items of unknown size",
                self.ctype.get().cname
            ))
        })? as isize;
        let ptr_type = registry::ctype_for(py, self.decayed_id())?;
        let addr = self
            .data_addr(py)?
            .wrapping_add_signed(n.wrapping_mul(size));
        Ok(CData::pointer(ptr_type, addr).wrap(py)?.into_any())
    }
}

/// True for the cdata kinds that have fields: a struct or union, or a
/// pointer to one.
pub(crate) fn has_fields(ct: &CType) -> bool {
    match &ct.kind {
        Kind::Record { .. } => true,
        Kind::Pointer { item } => matches!(item.get().kind, Kind::Record { .. }),
        _ => false,
    }
}

/// Python's own attribute lookup (methods, `__class__`, ...).
pub(crate) fn generic_getattr(
    obj: &Bound<'_, CData>,
    name: &Bound<'_, PyString>,
) -> PyResult<Py<PyAny>> {
    // SAFETY: both are live objects; the call returns a new reference or
    // NULL with an exception set, which `from_owned_ptr_or_err` takes over.
    unsafe {
        Bound::from_owned_ptr_or_err(
            obj.py(),
            pyo3::ffi::PyObject_GenericGetAttr(obj.as_ptr(), name.as_ptr()),
        )
    }
    .map(Bound::unbind)
}

/// The item size pointer arithmetic steps by: `void *` steps by bytes as
/// in GCC; other items need a known size.
pub(crate) fn item_size_for_arith(item: &CType) -> Option<u64> {
    match item.kind {
        Kind::Void => Some(1),
        _ => item.size().filter(|&s| s > 0),
    }
}

/// An index or offset as cffi reads it: `operator.index()`, with the
/// messages cffi gives for other types and for huge values.
pub(crate) fn index_value(obj: &Bound<'_, PyAny>) -> PyResult<isize> {
    convert::index_object(obj)?.extract::<isize>().map_err(|_| {
        pyo3::exceptions::PyOverflowError::new_err("cannot fit 'int' into an index-sized integer")
    })
}

/// `==`/`!=` between things that are never equal; ordering is a TypeError
/// (F-05.22).
pub(crate) fn eq_only(py: Python<'_>, op: CompareOp, equal: bool) -> PyResult<Py<PyAny>> {
    let result = match op {
        CompareOp::Eq => equal,
        CompareOp::Ne => !equal,
        // Python then reports the unsupported ordering itself.
        _ => return Ok(py.NotImplemented()),
    };
    Ok(result.into_pyobject(py)?.to_owned().into_any().unbind())
}
