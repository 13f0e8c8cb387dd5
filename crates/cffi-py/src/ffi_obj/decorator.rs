//! `ffi.callback()` and its decorator form, and `ffi.def_extern()`'s.

use super::Ffi;
use crate::errors;
use crate::object::CData;
use crate::types::CType;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};

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

/// `ffi.def_extern()`'s decorator (see `Ffi::def_extern`).
pub(super) fn def_extern(
    slf: &Bound<'_, Ffi>,
    name: Option<Py<PyAny>>,
    error: Option<Py<PyAny>>,
    onerror: Option<Py<PyAny>>,
) -> PyResult<Py<PyAny>> {
    let py = slf.py();
    let ffi = slf.clone().unbind();
    let decorator = move |args: &Bound<'_, PyTuple>,
                          _kwargs: Option<&Bound<'_, PyDict>>|
          -> PyResult<Py<PyAny>> {
        let py = args.py();
        let func = args.get_item(0)?;
        let name = match name.as_ref().map(|n| n.bind(py)).filter(|n| !n.is_none()) {
            Some(n) => n.cast::<PyString>().map(ToString::to_string).map_err(|_| {
                PyTypeError::new_err(format!(
                    "argument 2 must be str or None, not {}",
                    crate::convert::type_name(n)
                ))
            })?,
            None => func.getattr("__name__")?.extract()?,
        };
        let this = ffi.get();
        let Some(api) = this.api.get() else {
            return Err(errors::compiled_ffi_error(
                py,
                format!("ffi.def_extern('{name}'): no 'extern \"Python\"' function with this name"),
            ));
        };
        let bind = |o: &Option<Py<PyAny>>| o.as_ref().map(|o| o.bind(py).clone());
        let (error, onerror) = (bind(&error), bind(&onerror));
        let def = super::ExternDef {
            func: &func,
            name: &name,
            error: error.as_ref(),
            onerror: onerror.as_ref(),
        };
        api.def_extern(this, &def)?;
        Ok(func.unbind())
    };
    let f = pyo3::types::PyCFunction::new_closure(
        py,
        Some(c"_ffi_def_extern_decorator"),
        None,
        decorator,
    )?;
    Ok(f.into_any().unbind())
}
