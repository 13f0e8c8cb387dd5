//! `ffi.callback()` and its decorator form.

use crate::object::CData;
use crate::types::CType;
use pyo3::prelude::*;

/// What `@ffi.callback(cdecl)` returns: applied to a function, makes the
/// callback.
#[pyclass(frozen, module = "_cffi_backend", name = "__CallbackDecorator")]
pub struct CallbackDecorator {
    pub(super) ctype: Py<CType>,
    pub(super) error: Option<Py<PyAny>>,
    pub(super) onerror: Option<Py<PyAny>>,
}

#[pymethods]
impl CallbackDecorator {
    fn __call__(&self, py: Python<'_>, python_callable: &Bound<'_, PyAny>) -> PyResult<Py<CData>> {
        crate::callback::new(
            py,
            &self.ctype,
            python_callable,
            self.error.as_ref().map(|e| e.bind(py)),
            self.onerror.as_ref().map(|o| o.bind(py)),
        )
    }
}

/// `_cffi_backend.callback(ctype, python_callable, error=None,
/// onerror=None)` (F-10.27).
#[pyfunction]
#[pyo3(signature = (ctype, python_callable, error = None, onerror = None))]
pub fn callback(
    ctype: &Bound<'_, CType>,
    python_callable: &Bound<'_, PyAny>,
    error: Option<&Bound<'_, PyAny>>,
    onerror: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<CData>> {
    crate::callback::new(
        ctype.py(),
        ctype.as_unbound(),
        python_callable,
        error,
        onerror,
    )
}
