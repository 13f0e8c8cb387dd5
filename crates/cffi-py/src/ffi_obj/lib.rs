//! `Lib`: what the compiled FFI's `dlopen()` returns (F-04.15..F-04.21): the
//! module's functions, variables and constants over an opened library.
//! A name is looked up in the library on first use and cached in the
//! object's dict; variables are read and written through C on every
//! access.

use super::Ffi;
use crate::errors;
use crate::lib_obj::CLibrary;
use crate::types::CType;
use pyo3::exceptions::PyAttributeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The `lib` of an out-of-line module or of an API-mode one.
#[pyclass(frozen, module = "_cffi_backend", name = "Lib", dict)]
pub struct Lib {
    ffi: Py<Ffi>,
    source: Source,
    module: String,
}

/// Where a `lib`'s values come from.
enum Source {
    /// An out-of-line module's: symbols of an opened library.
    Library(Py<CLibrary>),
    /// An API module's: its own C tables (`capi`).
    Api(Box<dyn ApiSource>),
}

/// What an API module's `lib` asks of the module (implemented where the
/// module's C tables are read, `crate::capi`).
pub trait ApiSource: Send + Sync {
    /// The value of `name`, and whether it may be cached; `None` when the
    /// module has no such global.
    fn get(&self, lib: &Bound<'_, Lib>, name: &str) -> PyResult<Option<(Py<PyAny>, bool)>>;
    /// Writes a variable; `false` when the module has no such global.
    fn set(&self, lib: &Bound<'_, Lib>, name: &str, value: &Bound<'_, PyAny>) -> PyResult<bool>;
    /// `ffi.addressof(lib, name)`; `None` when there is no such global.
    fn address_of(&self, lib: &Bound<'_, Lib>, name: &str) -> PyResult<Option<Py<PyAny>>>;
    /// Every global's name.
    fn names(&self) -> Vec<String>;
}

impl Lib {
    /// A `lib` for `ffi`'s declarations over `library`.
    pub fn new(ffi: Py<Ffi>, library: Py<CLibrary>, module: String) -> Lib {
        Lib {
            ffi,
            source: Source::Library(library),
            module,
        }
    }

    /// The `lib` of an API module named `module`.
    pub fn api(ffi: Py<Ffi>, source: Box<dyn ApiSource>, module: String) -> Lib {
        Lib {
            ffi,
            source: Source::Api(source),
            module,
        }
    }

    /// The FFI whose declarations this lib holds.
    pub fn ffi(&self) -> &Py<Ffi> {
        &self.ffi
    }

    /// The module name given at creation.
    pub fn module_name(&self) -> &str {
        &self.module
    }

    /// The API source of an API module's lib.
    pub fn api_source(&self) -> Option<&dyn ApiSource> {
        match &self.source {
            Source::Api(s) => Some(s.as_ref()),
            Source::Library(_) => None,
        }
    }

    fn library(&self) -> PyResult<&Py<CLibrary>> {
        match &self.source {
            Source::Library(l) => Ok(l),
            Source::Api(_) => Err(pyo3::exceptions::PyTypeError::new_err(
                "the lib of an API-mode module has no library to close",
            )),
        }
    }

    /// Closes the library and forgets what was looked up.
    pub fn close(slf: &Bound<'_, Self>) -> PyResult<()> {
        slf.get().library()?.get().close_lib()?;
        slf.as_any()
            .getattr("__dict__")?
            .cast_into::<PyDict>()?
            .clear();
        Ok(())
    }

    fn library_error(&self, py: Python<'_>, name: &str) -> Option<PyErr> {
        let library = match self.library() {
            Ok(l) => l.get(),
            Err(e) => return Some(e),
        };
        if library.closed() {
            return Some(errors::compiled_ffi_error(
                py,
                format!("library '{}' has been closed", library.name()),
            ));
        }
        library.find(name).err().map(|msg| {
            errors::compiled_ffi_error(
                py,
                format!(
                    "symbol '{name}' not found in library '{}': {msg}",
                    library.name()
                ),
            )
        })
    }

    /// `ffi.addressof(lib, "name")` (F-04.18): a pointer to a variable,
    /// the function cdata itself for a function; constants have none.
    pub fn address_of(
        slf: &Bound<'_, Self>,
        names: &Bound<'_, pyo3::types::PyTuple>,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let this = slf.get();
        if names.len() != 1 {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "addressof(lib, name): expected one name (a str)",
            ));
        }
        let name: String = names.get_item(0)?.extract()?;
        if let Some(api) = this.api_source() {
            return api
                .address_of(slf, &name)?
                .ok_or_else(|| this.missing(&name));
        }
        match this.ffi.get().declaration(py, &name)? {
            Some(("variable", ctype)) => {
                if let Some(e) = this.library_error(py, &name) {
                    return Err(e);
                }
                let ctype = ctype.bind(py).cast::<CType>()?;
                CLibrary::variable_address(this.library()?.bind(py), ctype, &name)
            }
            Some(("function", _)) => Lib::__getattr__(slf, &name),
            Some(_) => Err(PyAttributeError::new_err(format!(
                "cannot take the address of the constant '{name}'"
            ))),
            None => Err(this.missing(&name)),
        }
    }

    /// The module-like attributes a `lib` has when no C name shadows them
    /// (F-04.33): `__name__`, `__all__`, `__loader__`, `__spec__`.
    fn module_attribute(
        &self,
        py: Python<'_>,
        name: &str,
        names: Vec<String>,
    ) -> PyResult<Py<PyAny>> {
        match name {
            "__name__" => Ok(
                pyo3::types::PyString::new(py, &format!("{}.lib", self.module))
                    .into_any()
                    .unbind(),
            ),
            "__all__" => {
                let mut all = Vec::new();
                for n in names {
                    // A name that fails to declare (a constant the
                    // compiler disagrees with) is no variable.
                    let declared = self.ffi.get().declaration(py, &n).ok().flatten();
                    if declared.is_none_or(|(k, _)| k != "variable") {
                        all.push(n);
                    }
                }
                Ok(pyo3::types::PyList::new(py, all)?.into_any().unbind())
            }
            "__loader__" | "__spec__" => Ok(py.None()),
            _ => Err(self.missing(name)),
        }
    }

    /// The C name `name` of an API module's lib, looked up (and cached)
    /// before any Python attribute of the same name, as cffi does
    /// (F-04.34); `None` for anything else, which the generic lookup and
    /// `__getattr__` then answer. Installed as the lib's dict-miss hook.
    pub fn lookup_c_name(
        obj: &Bound<'_, PyAny>,
        name: &Bound<'_, pyo3::types::PyString>,
    ) -> PyResult<Option<Py<PyAny>>> {
        let Ok(lib) = obj.cast::<Lib>() else {
            return Ok(None);
        };
        // A lib says it is a module, as the original's does, for help().
        if name.to_str()? == "__class__" {
            return Ok(Some(
                obj.py()
                    .get_type::<pyo3::types::PyModule>()
                    .into_any()
                    .unbind(),
            ));
        }
        let Some(api) = lib.get().api_source() else {
            return Ok(None);
        };
        let Some((value, cache)) = api.get(lib, name.to_str()?)? else {
            return Ok(None);
        };
        if cache {
            Lib::cache(lib, name, &value)?;
        }
        Ok(Some(value))
    }

    /// Keeps `value` in the lib's dict, where the next lookup of `name`
    /// finds it first. The key is the very string looked up (usually
    /// interned by the compiler), so the next lookup matches it by
    /// identity, without comparing characters.
    fn cache(
        lib: &Bound<'_, Self>,
        name: &Bound<'_, pyo3::types::PyString>,
        value: &Py<PyAny>,
    ) -> PyResult<()> {
        crate::cpython::getattro::instance_dict(lib.as_any())?
            .set_item(name, value.clone_ref(lib.py()))
    }

    pub(crate) fn missing(&self, name: &str) -> PyErr {
        PyAttributeError::new_err(format!(
            "cffi library '{}' has no function, constant or global variable named '{name}'",
            self.module
        ))
    }
}

#[pymethods]
impl Lib {
    fn __getattr__(slf: &Bound<'_, Self>, name: &str) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let this = slf.get();
        if let Some(api) = this.api_source() {
            // Where the lib's own `tp_getattro` is in place, its dict-miss
            // hook has asked the C names already: not twice.
            if !crate::cpython::getattro::installed() {
                let name = pyo3::types::PyString::new(py, name);
                if let Some(value) = Lib::lookup_c_name(slf.as_any(), &name)? {
                    return Ok(value);
                }
            }
            return this.module_attribute(py, name, api.names());
        }
        let Some((kind, value)) = this.ffi.get().declaration(py, name)? else {
            return Err(this.missing(name));
        };
        let value = match kind {
            "constant" => value,
            "function" | "variable" | "compiler_constant" => {
                if let Some(e) = this.library_error(py, name) {
                    return Err(e);
                }
                let ctype = value.bind(py).cast::<CType>()?;
                let library = this.library()?.bind(py);
                match kind {
                    "function" => library.get().load_function(py, ctype, name)?.into_any(),
                    // Read on every access, never cached.
                    "variable" => return CLibrary::read_variable(library, ctype, name),
                    // A constant the library holds: read once.
                    _ => CLibrary::read_variable(library, ctype, name)?,
                }
            }
            _ => return Err(this.missing(name)),
        };
        Lib::cache(slf, &pyo3::types::PyString::new(py, name), &value)?;
        Ok(value)
    }

    fn __setattr__(slf: &Bound<'_, Self>, name: &str, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = slf.py();
        let this = slf.get();
        if let Some(api) = this.api_source() {
            return if api.set(slf, name, value)? {
                Ok(())
            } else {
                Err(this.missing(name))
            };
        }
        match this.ffi.get().declaration(py, name)? {
            Some(("variable", ctype)) => {
                if let Some(e) = this.library_error(py, name) {
                    return Err(e);
                }
                let ctype = ctype.bind(py).cast::<CType>()?;
                this.library()?.get().write_variable(py, ctype, name, value)
            }
            Some(_) => Err(PyAttributeError::new_err(format!(
                "cannot write to function or constant '{name}'"
            ))),
            None => Err(this.missing(name)),
        }
    }

    fn __delattr__(&self, _name: &str) -> PyResult<()> {
        Err(PyAttributeError::new_err("C attribute cannot be deleted"))
    }

    fn __dir__(&self) -> Vec<String> {
        match self.api_source() {
            Some(api) => api.names(),
            None => self.ffi.get().declared_names(),
        }
    }

    fn __repr__(&self) -> String {
        format!("<Lib object for '{}'>", self.module)
    }
}
