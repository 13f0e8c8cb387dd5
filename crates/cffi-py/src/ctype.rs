//! `CType`: the Python object for a C type (`ffi.typeof("int *")`).
//!
//! CType objects are immutable and unique per type (see `registry`), so
//! generated C code may hold them by pointer, and the hot call path reads
//! them without any lock.

use ctypes_model::{Primitive, TypeId};
use ffi_runtime::{CallError, CallInterface};
use pyo3::exceptions::PyAttributeError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// What a function ctype needs at call time, prepared once.
pub struct FunctionInfo {
    /// The model's (raw) function type.
    pub func: TypeId,
    pub args: Vec<Py<CType>>,
    pub result: Py<CType>,
    pub variadic: bool,
    /// The libffi interface, or why there cannot be one; cffi accepts such
    /// types and fails only when a call is made.
    pub cif: Result<CallInterface, CallError>,
}

/// The kind-specific part of a ctype.
pub enum Kind {
    Void,
    Primitive(Primitive),
    Pointer {
        item: Py<CType>,
    },
    Array {
        item: Py<CType>,
        len: Option<u64>,
    },
    /// A pointer to a function: cffi's "function" ctypes.
    Function(Box<FunctionInfo>),
}

/// A C type, as `ffi.typeof()` returns it.
#[pyclass(frozen, module = "_cffi_backend", name = "CType")]
pub struct CType {
    /// The interned type (from the process-wide registry).
    pub id: TypeId,
    /// The canonical C name, as cffi prints it.
    pub cname: String,
    /// Size in bytes, if the type has one.
    pub size: Option<u64>,
    /// Alignment in bytes, if the type has one.
    pub align: Option<u64>,
    /// `(min, max)` for integer primitives and `_Bool`, from the target.
    pub int_range: Option<(i128, i128)>,
    /// What kind of type, with its kind-specific parts.
    pub kind: Kind,
}

impl CType {
    /// cffi's name for the kind.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Void => "void",
            Kind::Primitive(_) => "primitive",
            Kind::Pointer { .. } => "pointer",
            Kind::Array { .. } => "array",
            Kind::Function(_) => "function",
        }
    }

    /// True for ctypes whose cdata hold an address (pointers, arrays,
    /// function pointers).
    pub fn is_pointer_like(&self) -> bool {
        matches!(
            self.kind,
            Kind::Pointer { .. } | Kind::Array { .. } | Kind::Function(_)
        )
    }

    fn function(&self, attr: &str) -> PyResult<&FunctionInfo> {
        match &self.kind {
            Kind::Function(f) => Ok(f),
            _ => Err(PyAttributeError::new_err(attr.to_owned())),
        }
    }
}

#[pymethods]
impl CType {
    fn __repr__(&self) -> String {
        format!("<ctype '{}'>", self.cname)
    }

    #[getter]
    fn kind(&self) -> &'static str {
        self.kind_name()
    }

    #[getter]
    fn cname(&self) -> &str {
        &self.cname
    }

    #[getter]
    fn item(&self, py: Python<'_>) -> PyResult<Py<CType>> {
        match &self.kind {
            Kind::Pointer { item } | Kind::Array { item, .. } => Ok(item.clone_ref(py)),
            _ => Err(PyAttributeError::new_err("item")),
        }
    }

    #[getter]
    fn length(&self) -> PyResult<Option<u64>> {
        match &self.kind {
            Kind::Array { len, .. } => Ok(*len),
            _ => Err(PyAttributeError::new_err("length")),
        }
    }

    #[getter]
    fn args<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.function("args")?.args.iter().map(|a| a.clone_ref(py)),
        )
    }

    #[getter]
    fn result(&self, py: Python<'_>) -> PyResult<Py<CType>> {
        Ok(self.function("result")?.result.clone_ref(py))
    }

    #[getter]
    fn ellipsis(&self) -> PyResult<bool> {
        Ok(self.function("ellipsis")?.variadic)
    }

    #[getter]
    fn abi(&self) -> PyResult<i32> {
        self.function("abi")?;
        Ok(crate::backend::FFI_DEFAULT_ABI)
    }

    fn __dir__(&self) -> Vec<&'static str> {
        match self.kind {
            Kind::Void | Kind::Primitive(_) => vec!["cname", "kind"],
            Kind::Pointer { .. } => vec!["cname", "item", "kind"],
            Kind::Array { .. } => vec!["cname", "item", "kind", "length"],
            Kind::Function(_) => vec!["abi", "args", "cname", "ellipsis", "kind", "result"],
        }
    }
}
