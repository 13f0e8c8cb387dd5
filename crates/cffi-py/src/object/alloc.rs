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

/// A new `_CDataBase` object holding `cd`.
pub fn new_cdata(py: Python<'_>, cd: CData) -> PyResult<Py<CData>> {
    match allocator(py) {
        Some(a) => a.make(py, cd),
        None => Py::new(py, cd),
    }
}
