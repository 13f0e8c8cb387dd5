//! Plain `_CDataBase` objects made by the type's `tp_alloc`
//! (`cpython::alloc`), where PyO3's layout allows it.

use super::CData;
use crate::cpython::alloc::Allocator;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

static ALLOCATOR: PyOnceLock<Option<Allocator<CData>>> = PyOnceLock::new();

/// The allocator, after checking the layout once on a probe object.
fn allocator(py: Python<'_>) -> Option<&Allocator<CData>> {
    ALLOCATOR
        .get_or_init(py, || {
            let probe = || -> PyResult<Option<Allocator<CData>>> {
                let void_p = crate::types::registry::void_pointer(py)?;
                let probe = Py::new(py, CData::pointer(void_p, 0))?;
                Allocator::learn(probe.bind(py))
            };
            probe().ok().flatten()
        })
        .as_ref()
}

/// Whether objects are made here (the layout check passed).
pub fn available(py: Python<'_>) -> bool {
    allocator(py).is_some()
}

static OWN_ALLOCATOR: PyOnceLock<Option<Allocator<CData>>> = PyOnceLock::new();

/// The allocator of `__CDataOwn` objects (what `ffi.new()` and struct
/// results make), learnt from a probe PyO3 made.
fn own_allocator(py: Python<'_>) -> Option<&Allocator<CData>> {
    OWN_ALLOCATOR
        .get_or_init(py, || {
            let probe = || -> PyResult<Option<Allocator<CData>>> {
                let char_t = crate::types::registry::lock()
                    .types
                    .primitive(ctypes_model::Primitive::Char);
                let ctype = crate::types::registry::ctype_for(py, char_t)?;
                let owner = super::Owner::Inline(super::Inline::zeroed(1));
                let cd = CData::reference(ctype, 0, 0, owner);
                let obj = Bound::new(
                    py,
                    pyo3::PyClassInitializer::from(cd).add_subclass(super::CDataOwn),
                )?;
                let base = obj.as_super();
                Allocator::learn_subclass(obj.as_any(), base.get())
            };
            probe().ok().flatten()
        })
        .as_ref()
}

/// Whether `__CDataOwn` objects are made here (the layout check passed).
pub fn own_available(py: Python<'_>) -> bool {
    own_allocator(py).is_some()
}

/// A new `__CDataOwn` object holding `cd`; `cd` back where the layout
/// check declined (the caller then uses PyO3's initializer).
pub fn new_owned(py: Python<'_>, cd: CData) -> Result<PyResult<Py<CData>>, CData> {
    match own_allocator(py) {
        Some(a) => Ok(a.make(py, cd)),
        None => Err(cd),
    }
}

/// A new `_CDataBase` object holding `cd`.
pub fn new_cdata(py: Python<'_>, cd: CData) -> PyResult<Py<CData>> {
    match allocator(py) {
        Some(a) => a.make(py, cd),
        None => Py::new(py, cd),
    }
}
