//! `CType`: the Python object for a C type (`ffi.typeof("int *")`).
//!
//! CType objects are immutable and unique per type (see `registry`), so
//! generated C code may hold them by pointer, and the hot call path reads
//! them without any lock.

use super::registry;
use ctypes_model::{EnumId, Primitive, RecordId, TypeId};
use ffi_runtime::value::{Encoding, Prim};
use ffi_runtime::{CallError, CallInterface, Slot};
use pyo3::exceptions::{PyAttributeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

/// `ctype.fields`: `(name, CField)` pairs, or `None` for an opaque type.
pub type FieldList = Vec<(String, Py<CField>)>;

/// What a function ctype needs at call time, prepared once.
pub struct FunctionInfo {
    /// The model's (raw) function type.
    pub func: TypeId,
    pub args: Vec<Py<CType>>,
    pub result: Py<CType>,
    pub variadic: bool,
    /// The libffi interface, or why there cannot be one; cffi accepts such
    /// types and fails only when a call is made.
    /// Shared with the callbacks of the type (`ffi.callback()`).
    pub cif: Result<std::sync::Arc<CallInterface>, CallError>,
    /// Variadic functions: the interfaces made for the types of the
    /// `...` arguments seen so far (a `printf` is called with a handful of
    /// argument lists).
    pub variadic_cifs: std::sync::Arc<ffi_runtime::VariadicCache>,
    /// How each argument converts on the call's fast path, for a
    /// function with no `...`, at most 8 arguments each of a [`FastArg`]
    /// kind, and a result that is not a struct. `None` sends every call
    /// down the general path.
    pub fast_args: Option<Vec<FastArg>>,
}

/// How one argument of a call on the fast path converts. An argument of
/// any other Python type (or out of range) sends the call down the
/// general path, which converts it or raises cffi's error.
#[derive(Clone, Copy, Debug)]
pub enum FastArg {
    /// An integer parameter of `size` bytes: an exact `int` in the range
    /// (the type's, within `i64`).
    Int { size: u32, min: i64, max: i64 },
    /// `double`: an exact `float`.
    F64,
    /// `float`: an exact `float`, rounded as C rounds it.
    F32,
    /// A pointer other than `FILE *`: a cdata or `bytes`.
    Pointer,
    /// A struct of at most 16 bytes: a cdata of that very struct type,
    /// whose bytes are copied.
    Record { size: u32 },
}

/// The largest struct the fast path passes or returns (a slot's size).
const FAST_RECORD: u64 = 16;

impl FunctionInfo {
    /// The fast-path plan for these argument and result types (see
    /// [`FunctionInfo::fast_args`]).
    pub fn fast_plan(args: &[Py<CType>], result: &CType, variadic: bool) -> Option<Vec<FastArg>> {
        let small_record = |ct: &CType| ct.size().is_some_and(|n| n > 0 && n <= FAST_RECORD);
        if variadic || args.len() > 8 {
            return None;
        }
        if matches!(result.kind, Kind::Record { .. }) && !small_record(result) {
            return None;
        }
        args.iter()
            .map(|arg| {
                let arg = arg.get();
                if let (Some(repr), Some((min, max))) = (arg.int_repr, arg.int_range) {
                    let clamp =
                        |v: i128| v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
                    return Some(FastArg::Int {
                        size: repr.size() as u32,
                        min: clamp(min),
                        max: clamp(max),
                    });
                }
                match &arg.kind {
                    Kind::Primitive(Primitive::Double) => Some(FastArg::F64),
                    Kind::Primitive(Primitive::Float) => Some(FastArg::F32),
                    Kind::Pointer { .. } if !crate::types::is_file_pointer(arg) => {
                        Some(FastArg::Pointer)
                    }
                    Kind::Record { .. } if small_record(arg) => Some(FastArg::Record {
                        size: arg.size().unwrap_or(0) as u32,
                    }),
                    _ => None,
                }
            })
            .collect()
    }
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
    /// A struct or union.
    Record {
        /// The model's record.
        rid: RecordId,
        /// True for unions.
        union: bool,
    },
    /// An enum.
    Enum(EnumId),
}

/// A C type, as `ffi.typeof()` returns it.
#[pyclass(frozen, weakref, module = "_cffi_backend", name = "CType")]
pub struct CType {
    /// The interned type (from the process-wide registry).
    pub id: TypeId,
    /// The canonical C name, as cffi prints it.
    pub cname: String,
    /// Size in bytes, if the type has one (records and enums: see
    /// [`CType::size`], as a later `cdef()` may complete them).
    pub fixed_size: Option<u64>,
    /// Alignment in bytes, likewise.
    pub fixed_align: Option<u64>,
    /// `(min, max)` for integer primitives and `_Bool`, from the target.
    pub int_range: Option<(i128, i128)>,
    /// What kind of type, with its kind-specific parts.
    pub kind: Kind,
    /// Records: the fields for cdata access, built on first use once the
    /// record is complete (see [`crate::types::fields`]).
    pub field_cache: std::sync::OnceLock<crate::types::Fields>,
    /// Records and enums: size and alignment, once the type is complete
    /// (it never changes after that), so that hot paths take no lock.
    pub layout_cache: std::sync::OnceLock<(u64, u64)>,
    /// Integer primitives: how to load and store them directly.
    pub int_repr: Option<IntRepr>,
}

pub use ffi_runtime::memory::IntRepr;
use ffi_runtime::memory::Region;

/// Loading an integer straight into a Python int, for the fast paths of
/// item reads and iteration.
pub trait LoadPy {
    /// Loads the integer at the start of `mem` as a Python int.
    fn load_py(self, py: Python<'_>, mem: Region<'_>) -> PyResult<Py<PyAny>>;
}

impl LoadPy for IntRepr {
    #[inline]
    fn load_py(self, py: Python<'_>, mem: Region<'_>) -> PyResult<Py<PyAny>> {
        let v = mem.load_int(self);
        Ok(match self {
            // Every other kind fits an `i64`: one direct conversion.
            IntRepr::U64 => (v as u64).into_pyobject(py)?.into_any().unbind(),
            _ => (v as i64).into_pyobject(py)?.into_any().unbind(),
        })
    }
}

impl Drop for CType {
    /// Its type is no longer a root of `collect` because of this object.
    fn drop(&mut self) {
        super::collect::ctype_gone(self.id);
    }
}

impl CType {
    /// How a value of this primitive or enum type is stored, for decoding
    /// (an enum as its integer type); `None` for other kinds.
    pub fn encoding(&self) -> Option<Encoding> {
        let primitive = match self.kind {
            Kind::Primitive(p) => p,
            Kind::Enum(_) => Primitive::Int,
            _ => return None,
        };
        Some(Encoding {
            primitive,
            size: self.size()? as u32,
            signed: self.int_range.is_some_and(|(min, _)| min < 0),
        })
    }

    /// The primitive value stored (in memory layout) in `slot`.
    #[inline]
    pub fn read_prim(&self, slot: &Slot) -> Option<Prim> {
        Some(self.encoding()?.read(slot))
    }

    /// The primitive result of a call, from its (possibly widened) slot.
    #[inline]
    pub fn read_prim_result(&self, slot: &Slot) -> Option<Prim> {
        Some(self.encoding()?.read_result(slot))
    }

    /// cffi's name for the kind.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Void => "void",
            Kind::Primitive(_) => "primitive",
            Kind::Pointer { .. } => "pointer",
            Kind::Array { .. } => "array",
            Kind::Function(_) => "function",
            Kind::Record { union: false, .. } => "struct",
            Kind::Record { union: true, .. } => "union",
            Kind::Enum(_) => "enum",
        }
    }

    /// Size in bytes, if known now.
    #[inline]
    pub fn size(&self) -> Option<u64> {
        match self.kind {
            Kind::Record { .. } | Kind::Enum(_) => self.completed_layout().map(|l| l.0),
            _ => self.fixed_size,
        }
    }

    /// Alignment in bytes, if known now.
    pub fn align(&self) -> Option<u64> {
        match self.kind {
            Kind::Record { .. } | Kind::Enum(_) => self.completed_layout().map(|l| l.1),
            _ => self.fixed_align,
        }
    }

    /// A record's or enum's size and alignment, once it is complete.
    #[inline]
    fn completed_layout(&self) -> Option<(u64, u64)> {
        match self.layout_cache.get() {
            Some(l) => Some(*l),
            None => self.completed_layout_slow(),
        }
    }

    #[cold]
    fn completed_layout_slow(&self) -> Option<(u64, u64)> {
        let layout = {
            let reg = registry::lock();
            (reg.types.size_of(self.id)?, reg.types.align_of(self.id)?)
        };
        Some(*self.layout_cache.get_or_init(|| layout))
    }

    /// The fields of a struct or union, anonymous members flattened
    /// (F-05.58); `None` while opaque.
    pub fn flat_fields(&self, py: Python<'_>) -> PyResult<Option<FieldList>> {
        let Kind::Record { rid, .. } = self.kind else {
            return Err(PyAttributeError::new_err("fields"));
        };
        let raw = {
            let reg = registry::lock();
            let types = &reg.types;
            if types.record(rid).body.is_none() {
                return Ok(None);
            }
            types
                .flat_fields(rid)
                .map_err(|e| PyTypeError::new_err(e.to_string()))?
        };
        raw.into_iter()
            .map(|f| {
                let cfield = CField {
                    ctype: registry::ctype_for(py, f.ty)?,
                    offset: f.offset,
                    bitshift: f.bitshift,
                    bitsize: f.bitsize,
                    flags: f.flags,
                };
                Ok((f.name, Py::new(py, cfield)?))
            })
            .collect::<PyResult<Vec<_>>>()
            .map(Some)
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
        Ok(crate::types::FFI_DEFAULT_ABI)
    }

    fn __dir__(&self) -> Vec<&'static str> {
        match self.kind {
            Kind::Void | Kind::Primitive(_) => vec!["cname", "kind"],
            Kind::Pointer { .. } => vec!["cname", "item", "kind"],
            Kind::Array { .. } => vec!["cname", "item", "kind", "length"],
            Kind::Function(_) => vec!["abi", "args", "cname", "ellipsis", "kind", "result"],
            Kind::Record { .. } => vec!["cname", "fields", "kind"],
            Kind::Enum(_) => vec!["cname", "elements", "kind", "relements"],
        }
    }

    #[getter]
    fn fields(&self, py: Python<'_>) -> PyResult<Option<FieldList>> {
        self.flat_fields(py)
    }

    #[getter]
    fn elements<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let Kind::Enum(eid) = self.kind else {
            return Err(PyAttributeError::new_err("elements"));
        };
        let values = registry::lock().types.enum_def(eid).values.clone();
        let d = PyDict::new(py);
        // The first name wins for duplicate values (F-05.60).
        for (name, value) in values.iter().rev() {
            d.set_item(*value, name.as_str())?;
        }
        Ok(d)
    }

    #[getter]
    fn relements<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let Kind::Enum(eid) = self.kind else {
            return Err(PyAttributeError::new_err("relements"));
        };
        let values = registry::lock().types.enum_def(eid).values.clone();
        let d = PyDict::new(py);
        // cffi lists them last to first.
        for (name, value) in values.into_iter().rev() {
            d.set_item(name.as_str(), value)?;
        }
        Ok(d)
    }
}

/// A field of a struct or union, as `ctype.fields` lists it (F-05.59).
#[pyclass(frozen, module = "_cffi_backend", name = "CField")]
pub struct CField {
    /// The field's ctype.
    #[pyo3(get, name = "type")]
    pub ctype: Py<CType>,
    /// Byte offset from the start of the outermost record.
    #[pyo3(get)]
    pub offset: u64,
    /// -1 (plain), -2 (flexible array), or the bit shift of a bit field.
    #[pyo3(get)]
    pub bitshift: i64,
    /// -1, or the width of a bit field.
    #[pyo3(get)]
    pub bitsize: i64,
    /// 1 for union members after the first, else 0.
    #[pyo3(get)]
    pub flags: i64,
}
