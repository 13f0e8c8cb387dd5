//! What Python can do with a cdata: the dunder methods of `_CDataBase`
//! (repr, comparisons, numbers, items, fields, slices, arithmetic,
//! iteration, `with`, calls), each converting its arguments and delegating
//! to `access` (addresses of items and fields), `convert` and `call`.

mod access;
mod iter;

use crate::convert;
use crate::object::not_releasable;
use crate::object::{CData, Own, Owner, PrimPy};
use crate::types::enum_name;
use crate::types::registry;
use crate::types::{Kind, LoadPy};
use access::{eq_only, generic_getattr, has_fields, index_value, item_size_for_arith};
use ffi_runtime::value::Prim;
pub use iter::iterator_type;
use pyo3::basic::CompareOp;
use pyo3::exceptions::PyAttributeError;
use pyo3::exceptions::{PyIndexError, PyNotImplementedError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PySlice;
use pyo3::types::{PyDict, PyString, PyTuple};

#[pymethods]
impl CData {
    /// The cdata classes cannot be subclassed from Python, as in cffi
    /// (F-05.02); the Rust subclasses are made without this hook.
    #[classmethod]
    #[pyo3(signature = (*_args, **_kwargs))]
    fn __init_subclass__(
        cls: &Bound<'_, pyo3::types::PyType>,
        _args: &Bound<'_, PyTuple>,
        _kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        let base = cls
            .getattr("__base__")?
            .cast_into::<pyo3::types::PyType>()?;
        Err(PyTypeError::new_err(format!(
            "type '{}' is not an acceptable base type",
            base.fully_qualified_name()?
        )))
    }

    /// The objects this cdata keeps alive, for the cycle collector: an
    /// object holding its own handle is collected (F-03.89).
    fn __traverse__(&self, visit: pyo3::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        match &self.owner() {
            Own::Handle(h) => visit.call(&h.obj),
            Own::Keep(k) | Own::Slice(k) => visit.call(*k),
            Own::OwnedRecord(c) | Own::Allocated(c) => visit.call(*c),
            Own::FromBuffer(fb) => {
                visit.call(fb.source())?;
                // The held `Py_buffer` is a second reference to it.
                if fb.view_holds_source() {
                    visit.call(fb.source())?;
                }
                Ok(())
            }
            Own::Callback(cb) => {
                visit.call(cb.func())?;
                if let Some(o) = cb.onerror() {
                    visit.call(o)?;
                }
                Ok(())
            }
            Own::Gc(state) => {
                visit.call(&state.original)?;
                // Skipped while another thread holds it (no blocking here).
                if let Ok(d) = state.destructor.try_lock() {
                    visit.call(&*d)?;
                }
                Ok(())
            }
            Own::None | Own::Value(_) | Own::Block(_) | Own::Inline(_) => Ok(()),
        }
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let ct = self.ctype.get();
        match &self.owner() {
            Own::Block(_) | Own::Inline(_) | Own::OwnedRecord(_) => {
                let size = self.owned_size().unwrap_or(0);
                return Ok(format!("<cdata '{}' owning {size} bytes>", ct.cname));
            }
            Own::Slice(_) => {
                return Ok(format!(
                    "<cdata '{}' sliced length {}>",
                    ct.cname,
                    self.length()
                ))
            }
            Own::Handle(h) => {
                return Ok(format!(
                    "<cdata '{}' handle to {}>",
                    ct.cname,
                    h.obj.bind(py).repr()?
                ))
            }
            Own::Callback(cb) => {
                return Ok(format!(
                    "<cdata '{}' calling {}>",
                    ct.cname,
                    cb.func().bind(py).repr()?
                ))
            }
            Own::FromBuffer(fb) => {
                let len = matches!(ct.kind, Kind::Array { .. }).then_some(self.length());
                return Ok(format!("<cdata '{}' {}>", ct.cname, fb.describe(py, len)?));
            }
            Own::Keep(_) | Own::None | Own::Gc(_) | Own::Value(_) | Own::Allocated(_) => {}
        }
        if matches!(ct.kind, Kind::Record { .. }) {
            return Ok(format!("<cdata '{} &' {:#x}>", ct.cname, self.addr()));
        }
        if let Some(p) = self.prim() {
            // Enums show the first name of their value (F-05.08).
            if let (Kind::Enum(eid), Prim::Int(v)) = (&ct.kind, p) {
                if let Some(name) = enum_name(*eid, v) {
                    return Ok(format!("<cdata '{}' {v}: {name}>", ct.cname));
                }
            }
            return Ok(format!("<cdata '{}' {}>", ct.cname, p.repr(py)?));
        }
        Ok(if self.addr() == 0 {
            format!("<cdata '{}' NULL>", ct.cname)
        } else {
            format!("<cdata '{}' {:#x}>", ct.cname, self.addr())
        })
    }

    fn __bool__(&self) -> bool {
        match self.prim() {
            Some(p) => p.is_true(),
            None => self.addr() != 0 || matches!(self.ctype.get().kind, Kind::Record { .. }),
        }
    }

    fn __float__(&self) -> PyResult<f64> {
        match self.prim() {
            Some(p @ (Prim::Float(_) | Prim::LongDouble(_))) => Ok(p.as_f64()),
            _ => Err(PyTypeError::new_err(format!(
                "float() not supported on cdata '{}'",
                self.ctype.get().cname
            ))),
        }
    }

    fn __complex__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let (re, im) = self.complex_value()?;
        Ok(pyo3::types::PyComplex::from_doubles(py, re, im)
            .into_any()
            .unbind())
    }

    fn __int__(&self) -> PyResult<i128> {
        match self.prim() {
            Some(p) if !matches!(p, Prim::Complex(..)) => p.as_int(),
            _ => Err(PyTypeError::new_err(format!(
                "int() not supported on cdata '{}'",
                self.ctype.get().cname
            ))),
        }
    }

    /// Primitive cdata compare by value with Python values and with each
    /// other; pointer-like cdata by address (F-05.19..F-05.24).
    fn __richcmp__(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        op: CompareOp,
    ) -> PyResult<Py<PyAny>> {
        if matches!(self.prim(), Some(Prim::LongDouble(_))) {
            return Err(PyNotImplementedError::new_err(format!(
                "cannot use <cdata '{}'> in a comparison",
                self.ctype.get().cname
            )));
        }
        let other_cd = other.cast::<CData>().ok();
        match (self.prim(), other_cd.as_ref().map(|o| o.get())) {
            (Some(mine), Some(theirs)) => match theirs.prim() {
                Some(t) => mine
                    .to_python(py)?
                    .bind(py)
                    .rich_compare(t.to_python(py)?, op)
                    .map(Bound::unbind),
                None => eq_only(py, op, false),
            },
            (Some(mine), None) => mine
                .to_python(py)?
                .bind(py)
                .rich_compare(other, op)
                .map(Bound::unbind),
            (None, Some(theirs)) if theirs.prim().is_none() => Ok(op
                .matches(self.addr().cmp(&theirs.addr()))
                .into_pyobject(py)?
                .to_owned()
                .into_any()
                .unbind()),
            (None, _) => eq_only(py, op, false),
        }
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        match self.prim() {
            // Pointer-like: equal addresses hash equal (F-05.21).
            None => Ok(self.addr() as isize),
            // Not comparable, so identity is enough (F-05.23).
            Some(Prim::LongDouble(_)) => Ok(std::ptr::from_ref(self) as isize),
            Some(p) => p.to_python(py)?.bind(py).hash(),
        }
    }

    #[getter]
    fn __name__(&self) -> &'static str {
        "<cdata>"
    }

    /// `p[i]`, `a[i]`, `a[i:j]` (F-05.25..F-05.33).
    fn __getitem__(slf: &Bound<'_, Self>, key: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let this = slf.get();
        // Fast path: an integer item of an array, in bounds.
        if let Some((at, repr)) = this.int_item_fast(py, key)? {
            return repr.load_py(py, at);
        }
        if let Ok(slice) = key.cast::<PySlice>() {
            return this.slice(slf, slice).map(Py::into_any);
        }
        let (item, is_array) = this.indexable()?;
        let index = index_value(key).map_err(|e| {
            if e.is_instance_of::<pyo3::exceptions::PyOverflowError>(py) {
                PyIndexError::new_err(e.value(py).to_string())
            } else {
                e
            }
        })?;
        if !is_array && this.owns_one_item() {
            this.only_index_zero(index)?;
        }
        if let (false, Own::OwnedRecord(record)) = (is_array, &this.owner()) {
            // `ffi.new("struct s *")[0]` is the struct object that owns
            // the memory (the same object each time, as in cffi).
            this.item_region(py, item.get(), index, is_array)?;
            return Ok(record.clone_ref(py).into_any());
        }
        if matches!(item.get().kind, Kind::Record { .. }) {
            // A struct item is a reference, made without touching the
            // memory (also after `ffi.release()`, as in cffi): using it
            // checks the memory then. It keeps `slf`, the memory's owner.
            let addr = this.item_addr(item.get(), index, is_array)?;
            let owner = Owner::Keep(slf.as_any().clone().unbind());
            return Ok(CData::reference(item.clone_ref(py), addr, 0, owner)
                .wrap(py)?
                .into_any());
        }
        let at = this.item_region(py, item.get(), index, is_array)?;
        // References keep `slf`, the memory's owner.
        convert::read(py, item, at, slf.as_any().as_unbound())
    }

    fn __setitem__(
        slf: &Bound<'_, Self>,
        key: &Bound<'_, PyAny>,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let py = slf.py();
        let this = slf.get();
        // Fast path for an int value (whose conversion runs no Python code).
        if value.is_exact_instance_of::<pyo3::types::PyInt>() {
            if let Some((at, _)) = this.int_item_fast(py, key)? {
                let (item, _) = this.indexable()?;
                // An exact int runs no Python code meanwhile.
                return convert::write(py, item.get(), value, at);
            }
        }
        if let Ok(slice) = key.cast::<PySlice>() {
            let target = this.slice(slf, slice)?;
            let target = target.get();
            let Kind::Array { item, .. } = &target.ctype.get().kind else {
                unreachable!("slices are arrays")
            };
            // Checked for release at each item by `region`.
            return convert::write_slice(py, item.get(), target.length(), value, &|| {
                target.region(py)
            });
        }
        let (item, is_array) = this.indexable()?;
        let index = index_value(key)?;
        if !is_array && this.owns_one_item() {
            this.only_index_zero(index)?;
        }
        // The address is checked first (bounds, NULL) and again after the
        // value's conversion, which may run Python code.
        this.item_region(py, item.get(), index, is_array)?;
        convert::write_placed(py, item.get(), value, &|| {
            this.item_region(py, item.get(), index, is_array)
        })
    }

    /// Refused, including for slices (which crash cffi 2.0.0).
    fn __delitem__(&self, _key: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(PyTypeError::new_err(
            "'del x[n]' not supported for cdata objects",
        ))
    }

    fn __len__(&self) -> PyResult<usize> {
        match self.ctype.get().kind {
            Kind::Array { .. } => Ok(self.length()),
            _ => Err(PyTypeError::new_err(format!(
                "cdata of type '{}' has no len()",
                self.ctype.get().cname
            ))),
        }
    }

    fn __iter__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        match &slf.get().ctype.get().kind {
            Kind::Array { item, .. } => iter::new(slf.py(), slf, item, slf.get().length()),
            _ => Err(PyTypeError::new_err(format!(
                "cdata '{}' does not support iteration",
                slf.get().ctype.get().cname
            ))),
        }
    }

    /// Field read on a struct, a union, or a pointer to one (F-05.52..).
    /// Fields come first, then the type's own attributes; taking over
    /// `__getattribute__` (not `__getattr__`) spares a field read the
    /// failed generic lookup and its exception.
    fn __getattribute__(slf: &Bound<'_, Self>, name: &Bound<'_, PyString>) -> PyResult<Py<PyAny>> {
        match read_field_of(slf, name)? {
            Some(value) => Ok(value),
            // Not a field: maybe an attribute of the type (`__class__`);
            // if not, `__getattr__` words the error.
            None => generic_getattr(slf, name),
        }
    }

    /// Called (by the slot PyO3 makes) after `__getattribute__` failed with
    /// an `AttributeError`: cffi's message for the missing name.
    fn __getattr__(slf: &Bound<'_, Self>, name: &Bound<'_, PyString>) -> PyResult<Py<PyAny>> {
        let this = slf.get();
        let ct = this.ctype.get();
        let is_record = has_fields(ct);
        if is_record {
            this.field(slf.py(), name, "read")?;
        }
        Err(PyAttributeError::new_err(format!(
            "cdata '{}' has no attribute '{}'",
            ct.cname,
            name.to_cow()?
        )))
    }

    fn __setattr__(
        slf: &Bound<'_, Self>,
        name: &Bound<'_, PyString>,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let py = slf.py();
        let this = slf.get();
        let (field, base) = this.field(py, name, "write")?;
        // If converting the value may run Python code, the record's memory
        // is asked for again after it (see `convert::write_placed`).
        let again = || this.region(py);
        let known = || Ok(base);
        let place: convert::Place<'_, '_> = if convert::conversion_may_run_code(value) {
            &again
        } else {
            &known
        };
        convert::write_field(py, field, value, place, this.flex_len())
    }

    /// The field names of a struct or union (or of the one pointed to).
    fn __dir__(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        let ct = self.ctype.get();
        let record = match &ct.kind {
            Kind::Record { .. } => ct,
            Kind::Pointer { item } if matches!(item.get().kind, Kind::Record { .. }) => item.get(),
            _ => return Ok(Vec::new()),
        };
        Ok(crate::types::fields(py, record)?
            .map(|f| f.iter().map(|f| f.name().to_owned()).collect())
            .unwrap_or_default())
    }

    fn __delattr__(&self, py: Python<'_>, name: &Bound<'_, PyString>) -> PyResult<()> {
        self.field(py, name, "delete")?;
        Err(PyAttributeError::new_err("cannot delete struct field"))
    }

    /// `p + n`: pointer arithmetic; arrays decay to pointers (F-05.25).
    /// As in cffi, the other operand must be an index first of all (so
    /// `cdata + cdata` says that the right one is not an integer).
    fn __add__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let n = index_value(other)?;
        if !matches!(
            self.ctype.get().kind,
            Kind::Pointer { .. } | Kind::Array { .. }
        ) {
            return Err(PyTypeError::new_err(format!(
                "cannot add a cdata '{}' and a number",
                self.ctype.get().cname
            )));
        }
        self.offset_by(py, n)
    }

    fn __radd__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.__add__(py, other)
    }

    /// `p - n`, and `p - q` for two pointers of the same type (F-05.26).
    fn __sub__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Ok(cd) = other.cast::<CData>() {
            let other = cd.get();
            let mine = self.ctype.get();
            // The right operand decays to a pointer; the left must have
            // exactly that type.
            let theirs_id = other.decayed_id();
            let theirs = registry::ctype_for(py, theirs_id)?;
            let same = mine.id == theirs_id && matches!(mine.kind, Kind::Pointer { .. });
            let item_size = match &mine.kind {
                Kind::Pointer { item } if same => item_size_for_arith(item.get()),
                _ => None,
            };
            let Some(size) = item_size else {
                return Err(PyTypeError::new_err(format!(
                    "cannot subtract cdata '{}' and cdata '{}'",
                    mine.cname,
                    theirs.get().cname
                )));
            };
            let bytes = (self.addr() as isize).wrapping_sub(other.addr() as isize);
            if bytes % size as isize != 0 {
                return Err(PyValueError::new_err(
                    "pointer subtraction: the distance between the two pointers is not a multiple of the item size",
                ));
            }
            return Ok((bytes / size as isize)
                .into_pyobject(py)?
                .into_any()
                .unbind());
        }
        if !matches!(
            self.ctype.get().kind,
            Kind::Pointer { .. } | Kind::Array { .. }
        ) {
            return Err(PyTypeError::new_err(format!(
                "cannot subtract a cdata '{}' and a number",
                self.ctype.get().cname
            )));
        }
        self.offset_by(py, index_value(other)?.wrapping_neg())
    }

    /// `with ffi.new(...) as p:` releases the memory at the end (F-03.14).
    fn __enter__(slf: &Bound<'_, Self>) -> PyResult<Py<Self>> {
        if !slf.get().is_releasable() {
            return Err(not_releasable());
        }
        Ok(slf.clone().unbind())
    }

    fn __exit__(
        &self,
        py: Python<'_>,
        _exc_type: &Bound<'_, PyAny>,
        _exc: &Bound<'_, PyAny>,
        _tb: &Bound<'_, PyAny>,
    ) -> PyResult<bool> {
        self.release(py)?;
        Ok(false)
    }

    /// Calls a function-pointer cdata (F-05.51, F-07.01..F-07.03). The
    /// vectorcall entry of function pointers (`object::func`) takes the
    /// usual calls; this one serves the others (`f(*args)` through
    /// `tp_call`, subclasses such as `ffi.gc()` results, and every call
    /// where vectorcall could not be installed).
    #[pyo3(signature = (*args, **kwargs))]
    fn __call__(
        &self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        if kwargs.is_some_and(|k| !k.is_empty()) {
            return Err(self.keyword_call_error());
        }
        let raw: smallvec::SmallVec<[*mut pyo3::ffi::PyObject; 8]> =
            args.iter_borrowed().map(Borrowed::as_ptr).collect();
        // SAFETY: the tuple holds a reference to each item for the call.
        unsafe { self.call_raw(py, &raw) }
    }
}

/// The field `name` of a struct or union cdata (or of the one pointed
/// to), or `None` when `name` is no field.
fn read_field_of(
    slf: &Bound<'_, CData>,
    name: &Bound<'_, PyString>,
) -> PyResult<Option<Py<PyAny>>> {
    let py = slf.py();
    let this = slf.get();
    if let Some((scalar, mem)) = this.scalar_field(py, name) {
        return convert::read_scalar(py, scalar, mem).map(Some);
    }
    if !has_fields(this.ctype.get()) {
        return Ok(None);
    }
    match this.field(py, name, "read") {
        Ok((field, base)) => {
            // `flex_len` items in the flexible array member when `ffi.new()`
            // made it so.
            let flex = if field.is_flexible() {
                this.flex_len()
            } else {
                None
            };
            let keep = slf.as_any().as_unbound();
            Ok(Some(convert::read_field(py, field, base, keep, flex)?))
        }
        Err(e) if e.is_instance_of::<PyAttributeError>(py) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Integer items (`a[i]`, `p[i]`) are read from the type's `mp_subscript`
/// (`cpython::subscript::install`); anything else takes `__getitem__`.
impl crate::cpython::subscript::FastSubscript for CData {
    // Inlined into its entry, as `CastMethod::call` is.
    #[inline(always)]
    #[allow(clippy::inline_always)]
    fn fast_getitem(slf: &Bound<'_, Self>, key: &Bound<'_, PyAny>) -> Option<PyResult<Py<PyAny>>> {
        let py = slf.py();
        match slf.get().int_item_fast(py, key) {
            Ok(Some((at, repr))) => Some(repr.load_py(py, at)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// Writes of number fields go straight to the field from the type's
/// `tp_setattro` (`cpython::getattro::install_fast_set`); anything else
/// (and any value needing a conversion) takes `__setattr__`.
impl crate::cpython::getattro::FastSetattr for CData {
    fn fast_setattr(
        slf: &Bound<'_, Self>,
        name: &Bound<'_, PyString>,
        value: &Bound<'_, PyAny>,
    ) -> bool {
        match slf.get().scalar_field(slf.py(), name) {
            Some((scalar, mem)) => convert::write_scalar(scalar, mem, value),
            None => false,
        }
    }
}

/// Field reads go straight to [`read_field_of`] from the type's
/// `tp_getattro` (`cpython::getattro::install_fast`); anything else takes
/// PyO3's entry, `__getattribute__` then `__getattr__`.
impl crate::cpython::getattro::FastGetattr for CData {
    fn fast_getattr(
        slf: &Bound<'_, Self>,
        name: &Bound<'_, PyString>,
    ) -> PyResult<Option<Py<PyAny>>> {
        read_field_of(slf, name)
    }
}
