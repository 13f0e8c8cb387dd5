//! `ffi.new_allocator()`: `ffi.new()` through the user's `alloc`/`free`.

use super::{Ffi, Method};
use crate::object::CData;
use crate::types::{CType, Kind};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

/// What `ffi.new_allocator()` returns: call it like `ffi.new`.
#[pyclass(frozen, module = "_cffi_backend", name = "__FFIAllocator")]
pub struct Allocator {
    pub(super) ffi: Py<Ffi>,
    pub(super) alloc: Option<Py<PyAny>>,
    pub(super) free: Option<Py<PyAny>>,
    pub(super) clear: bool,
}

#[pymethods]
impl Allocator {
    #[pyo3(signature = (cdecl, init = None))]
    fn __call__(
        &self,
        py: Python<'_>,
        cdecl: &Bound<'_, PyAny>,
        init: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<CData>> {
        self.allocate(py, cdecl, init)
    }
}

impl Allocator {
    fn allocate(
        &self,
        py: Python<'_>,
        cdecl: &Bound<'_, PyAny>,
        init: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<CData>> {
        let ctype = match cdecl.cast::<CType>() {
            Ok(ct) => ct.clone().unbind(),
            // Both FFIs word this refusal as the compiled one does.
            Err(_) => Ffi::ctype_of(self.ffi.bind(py), cdecl, Method::Allocator)?,
        };
        let Some(alloc) = &self.alloc else {
            return crate::convert::newp(py, &ctype, init);
        };
        let ct = ctype.get();
        let plan = crate::convert::plan_new(py, ct, init)?;
        let raw = alloc.bind(py).call1((plan.size,))?;
        let raw = match raw.cast_into::<CData>() {
            Ok(raw) => raw,
            Err(e) => {
                return Err(PyTypeError::new_err(format!(
                    "alloc() must return a cdata object (got {})",
                    crate::convert::type_name(e.into_inner().as_any())
                )))
            }
        };
        if !raw.get().ctype.get().is_pointer_like() {
            return Err(PyTypeError::new_err(format!(
                "alloc() must return a cdata pointer, not '{}'",
                raw.get().ctype.get().cname
            )));
        }
        let mem = raw.get().region(py)?;
        let addr = mem.addr();
        if addr == 0 {
            return Err(pyo3::exceptions::PyMemoryError::new_err(
                "alloc() returned NULL",
            ));
        }
        // `alloc(size)` vouches for `size` writable bytes, as cffi's
        // contract for allocators says.
        // (Memory known here to be shorter, a `from_buffer()` result,
        // is refused rather than written past.)
        let mem = crate::convert::within(mem, plan.size, &raw.get().ctype.get().cname)?;
        if self.clear {
            mem.zero();
        }
        plan.initialize(py, ct, mem)?;
        // As for `ffi.new()`, a struct pointer holds the struct object,
        // which owns the memory (F-05.53); here through the allocator.
        let record = match &ct.kind {
            Kind::Pointer { item } if matches!(item.get().kind, Kind::Record { .. }) => Some(item),
            _ => None,
        };
        let owner = match &self.free {
            Some(free) => crate::object::Owner::Gc(Box::new(crate::object::GcState::new(
                raw.unbind(),
                free.clone_ref(py),
                0,
            ))),
            None => crate::object::Owner::Allocated(raw.unbind()),
        };
        match record {
            Some(item) => {
                let record = CData::reference(item.clone_ref(py), addr, plan.length, owner);
                let owner = crate::object::Owner::OwnedRecord(record.wrap(py)?);
                CData::reference(ctype.clone_ref(py), addr, plan.length, owner).wrap(py)
            }
            None => CData::reference(ctype.clone_ref(py), addr, plan.length, owner).wrap(py),
        }
    }
}
