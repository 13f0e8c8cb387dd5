//! The in-line FFI's `cdef()` and its declarations, for `python/cffi/api.py`.

use super::Ffi;
use pyo3::prelude::*;

/// `_cffi_backend._ffi_cdef(ffi, csource, ...)`: the in-line `cdef()`,
/// after its argument checks.
#[pyfunction]
#[pyo3(signature = (ffi, csource, override_ = false, packed = false, pack = None, dllexport = false))]
pub fn _ffi_cdef(
    ffi: &Bound<'_, Ffi>,
    csource: &str,
    override_: bool,
    packed: bool,
    pack: Option<u64>,
    dllexport: bool,
) -> PyResult<()> {
    ffi.get()
        .cdef(ffi.py(), csource, override_, packed, pack, dllexport)
}

/// `_cffi_backend._ffi_include(ffi, other)`: the in-line `include()`,
/// after its argument checks.
#[pyfunction]
pub fn _ffi_include(ffi: &Bound<'_, Ffi>, other: &Bound<'_, Ffi>) -> PyResult<()> {
    ffi.get().include(ffi.py(), other.get())
}

/// `_cffi_backend._ffi_declaration(ffi, name)`: what `name` was declared as.
#[pyfunction]
pub fn _ffi_declaration(
    ffi: &Bound<'_, Ffi>,
    name: &str,
) -> PyResult<Option<(&'static str, Py<PyAny>)>> {
    ffi.get().declaration(ffi.py(), name)
}

/// `_cffi_backend._ffi_declared_names(ffi)`: the declared function and
/// variable names.
#[pyfunction]
pub fn _ffi_declared_names(ffi: &Bound<'_, Ffi>) -> Vec<String> {
    ffi.get().declared_names()
}

/// `_cffi_backend._ffi_emit_python(ffi, module_name, includes=())`: the
/// text of the out-of-line `.py` module for the in-line FFI's
/// declarations, importing the included modules, given as `(module name,
/// ffi)` pairs (F-08.10).
#[pyfunction]
#[pyo3(signature = (ffi, module_name, includes = None))]
pub fn _ffi_emit_python(
    ffi: &Bound<'_, Ffi>,
    module_name: &str,
    includes: Option<Vec<(String, Py<Ffi>)>>,
) -> PyResult<String> {
    ffi.get()
        .emit_python(ffi.py(), module_name, includes.unwrap_or_default())
}

/// `_cffi_backend._ffi_emit_c(ffi, module_name, preamble, includes=())`:
/// the C source of the API-mode module for the in-line FFI's declarations,
/// with `preamble` pasted in and the included API-mode modules given as
/// `(module name, ffi)` pairs (F-08.14); with `embedding` (the init
/// code), an embedding library that starts Python on its first call
/// (F-09.07).
#[pyfunction]
#[pyo3(signature = (ffi, module_name, preamble, includes = None, embedding = None))]
pub fn _ffi_emit_c(
    ffi: &Bound<'_, Ffi>,
    module_name: &str,
    preamble: &str,
    includes: Option<Vec<(String, Py<Ffi>)>>,
    embedding: Option<&str>,
) -> PyResult<String> {
    ffi.get().emit_c(
        ffi.py(),
        recompiler::api::ModuleSource {
            module_name,
            preamble,
            embedding,
        },
        includes.unwrap_or_default(),
    )
}

/// `_cffi_backend._ffi_type_table(ffi, includes=())`: the type table of
/// the API-mode module for the FFI's declarations, as `(op, arg)` pairs
/// (`op` is `None` for an array length), for `cffi.recompiler.Recompiler`.
#[pyfunction]
#[pyo3(signature = (ffi, includes = None))]
pub fn _ffi_type_table(
    ffi: &Bound<'_, Ffi>,
    includes: Option<Vec<Py<Ffi>>>,
) -> PyResult<Vec<(Option<u8>, Py<PyAny>)>> {
    ffi.get()
        .api_type_table(ffi.py(), includes.unwrap_or_default())
}

/// `_cffi_backend._ffi_parser_declarations(ffi)`: every declaration as
/// `(key, value, qualifiers)` under the keys of cffi's private parser
/// (`"function f"`, `"macro N"`, `"struct s"`...), for `ffi._parser`.
#[pyfunction]
pub fn _ffi_parser_declarations(ffi: &Bound<'_, Ffi>) -> PyResult<Vec<(String, Py<PyAny>, u8)>> {
    ffi.get().parser_declarations(ffi.py())
}
