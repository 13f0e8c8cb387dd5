//! `CLibrary`: a loaded shared library, as `_cffi_backend.load_library()`
//! returns it. The in-line `lib` object (python/cffi/api.py) is built on it.

use crate::object::CData;
use crate::types::is_function;
use crate::types::registry::locked;
use crate::types::CType;
use ffi_runtime::memory::Region;
use ffi_runtime::Library;
use pyo3::exceptions::{PyAttributeError, PyKeyError, PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use std::sync::Mutex;

/// A shared library opened with the system loader.
#[pyclass(frozen, module = "_cffi_backend", name = "CLibrary")]
pub struct CLibrary {
    lib: Mutex<Library>,
    name: String,
}

impl CLibrary {
    /// `load_library(name=None, flags=0)` (F-10.36): a path (str, bytes or
    /// bytearray), `None` for the process itself, or a `void *` handle
    /// from another `dlopen()` (F-03.95).
    pub fn load(name: Option<&Bound<'_, PyAny>>, flags: i32) -> PyResult<CLibrary> {
        let Some(name) = name.filter(|n| !n.is_none()) else {
            return CLibrary::open(None, flags);
        };
        if let Ok(s) = name.cast::<pyo3::types::PyString>() {
            return CLibrary::open(Some(&s.to_cow()?), flags);
        }
        if let Ok(b) = name.cast::<pyo3::types::PyBytes>() {
            return CLibrary::open(Some(&String::from_utf8_lossy(b.as_bytes())), flags);
        }
        if let Ok(b) = name.cast::<pyo3::types::PyByteArray>() {
            return CLibrary::open(Some(&String::from_utf8_lossy(&b.to_vec())), flags);
        }
        if let Ok(cd) = name.cast::<CData>() {
            let cd = cd.get();
            let ct = cd.ctype.get();
            if !matches!(&ct.kind, crate::types::Kind::Pointer { item } if matches!(item.get().kind, crate::types::Kind::Void))
            {
                return Err(PyTypeError::new_err(format!(
                    "dlopen() takes a file name or 'void *' handle, not '{}'",
                    ct.cname
                )));
            }
            let handle = cd.addr();
            if handle == 0 {
                return Err(pyo3::exceptions::PyRuntimeError::new_err(
                    "cannot call dlopen(NULL)",
                ));
            }
            // SAFETY: the user hands over a handle from `dlopen()`, as
            // cffi's contract for `dlopen(handle)` says; like any pointer
            // made up with `ffi.cast()`, a wrong one is theirs.
            let lib = unsafe { Library::from_handle(handle as *mut std::ffi::c_void) };
            return Ok(CLibrary {
                lib: Mutex::new(lib),
                name: format!("{handle:#x}"),
            });
        }
        Err(PyTypeError::new_err(format!(
            "load_library() argument 1 must be str, bytes or bytearray, not {}",
            crate::convert::type_name(name)
        )))
    }

    /// Opens `path` (`None`: the process itself) with `dlopen` flags.
    pub fn open(path: Option<&str>, flags: i32) -> PyResult<CLibrary> {
        let name = path.map_or_else(|| "<None>".to_owned(), str::to_owned);
        let lib = Library::open(path, flags)
            .map_err(|e| PyOSError::new_err(format!("cannot load library '{name}': {e}")))?;
        Ok(CLibrary {
            lib: Mutex::new(lib),
            name,
        })
    }
}

impl CLibrary {
    /// Where symbol `name` is, refusing a closed library; a missing
    /// symbol is worded by `missing` (given the loader's message).
    fn symbol_addr(
        &self,
        name: &str,
        missing: impl FnOnce(&ffi_runtime::LoadError) -> PyErr,
    ) -> PyResult<usize> {
        let lib = locked(&self.lib);
        if lib.is_closed() {
            return Err(PyValueError::new_err(format!(
                "library '{}' has already been closed",
                self.name
            )));
        }
        lib.symbol(name)
            .map(|addr| addr as usize)
            .map_err(|e| missing(&e))
    }

    /// Whether `name` is a symbol of the library: `Err` with the loader's
    /// message if not (or if the library is closed).
    pub(crate) fn find(&self, name: &str) -> Result<(), String> {
        let lib = locked(&self.lib);
        lib.symbol(name).map(|_| ()).map_err(|e| e.to_string())
    }

    /// The name it was opened by, for messages.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// Where global variable `name` is (F-04.04).
    fn variable_addr(&self, name: &str) -> PyResult<usize> {
        self.symbol_addr(name, |e| {
            PyKeyError::new_err(format!(
                "variable '{name}' not found in library '{}': {e}",
                self.name
            ))
        })
    }

    /// The memory of the global variable `name`.
    fn variable(&self, name: &str) -> PyResult<Region<'_>> {
        let addr = self.variable_addr(name)?;
        // SAFETY: the symbol's address in the library, open while this
        // object (borrowed for the region) lives and is not closed (the
        // lookup above checked that). Its extent is the variable's
        // declared type, which the caller (the `cffi` package) gives from
        // the user's cdef: trusted, as C trusts a declaration.
        Ok(unsafe { Region::open(addr) })
    }
}

#[pymethods]
impl CLibrary {
    /// The function `name`, as a cdata of the function ctype `ctype`.
    pub(crate) fn load_function(
        &self,
        py: Python<'_>,
        ctype: &Bound<'_, CType>,
        name: &str,
    ) -> PyResult<Py<CData>> {
        use crate::types::Kind;
        let ct = ctype.get();
        if !(is_function(ct) || matches!(ct.kind, Kind::Pointer { .. } | Kind::Array { .. })) {
            return Err(PyTypeError::new_err(format!(
                "function or pointer or array cdata expected, got '{}'",
                ct.cname
            )));
        }
        let addr = self.symbol_addr(name, |e| {
            PyAttributeError::new_err(format!(
                "function/symbol '{name}' not found in library '{}': {e}",
                self.name
            ))
        })?;
        // The symbol's address as that type (F-10.37); an array of unknown
        // length is seen as a pointer to its first item.
        let ctype = match &ct.kind {
            Kind::Array { item, len: None } => {
                crate::types::registry::pointer_to(py, item.get().id)?
            }
            _ => ctype.clone().unbind(),
        };
        CData::pointer(ctype, addr).wrap(py)
    }

    /// `lib.read_variable(ctype, name)`: the value of the global variable
    /// `name` of type `ctype`, converted as a field read is (F-04.04):
    /// arrays and structs come back as references into the library.
    pub(crate) fn read_variable(
        slf: &Bound<'_, Self>,
        ctype: &Bound<'_, CType>,
        name: &str,
    ) -> PyResult<Py<PyAny>> {
        let mem = slf.get().variable(name)?;
        // References keep the library open.
        crate::convert::read(slf.py(), ctype.as_unbound(), mem, slf.as_any().as_unbound())
    }

    /// `lib.write_variable(ctype, name, value)`: stores `value` into the
    /// global variable, converted as a field write is (F-04.04).
    pub(crate) fn write_variable(
        &self,
        py: Python<'_>,
        ctype: &Bound<'_, CType>,
        name: &str,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let ct = ctype.get();
        // Checked again after the conversion, which may run Python code
        // (that could close the library).
        let place = || self.variable(name);
        place()?;
        crate::convert::write_placed(py, ct, value, &place)
    }

    /// `ffi.addressof(lib, "var")` for the in-line FFI (F-03.80): a `T *`
    /// to the variable, or for an array variable the array itself.
    pub(crate) fn variable_address(
        slf: &Bound<'_, Self>,
        ctype: &Bound<'_, CType>,
        name: &str,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let ct = ctype.get();
        let mem = slf.get().variable(name)?;
        if matches!(ct.kind, crate::types::Kind::Array { .. }) {
            return crate::convert::read(py, ctype.as_unbound(), mem, slf.as_any().as_unbound());
        }
        let ptr = crate::types::registry::pointer_to(py, ct.id)?;
        Ok(CData::pointer(ptr, mem.addr()).wrap(py)?.into_any())
    }

    /// Closes the library; later lookups fail. Closing twice is harmless.
    pub(crate) fn close_lib(&self) -> PyResult<()> {
        let mut lib = locked(&self.lib);
        lib.close()
            .map_err(|e| PyOSError::new_err(format!("closing library '{}': {e}", self.name)))
    }

    /// True once closed.
    #[getter]
    pub(crate) fn closed(&self) -> bool {
        locked(&self.lib).is_closed()
    }

    fn __repr__(&self) -> String {
        format!("<clibrary '{}'>", self.name)
    }
}

/// The class of the accessors an API-mode `lib` keeps for its global
/// variables, as the original names it (F-10.09).
#[pyclass(frozen, module = "_cffi_backend", name = "__FFIGlobSupport")]
pub struct GlobSupport;
