//! The values of an API module's `lib` (FEATURES 4.3, docs/protocol.md
//! §4.1 and §6.4): the module's own wrappers as builtin functions,
//! variables read and written through C on every access, constants from
//! their getters, `extern "Python"` functions as function pointers.

use super::tables::{ApiGlobal, ApiModule};
use crate::convert;
use crate::errors;
use crate::ffi_obj::{ApiSource, Lib};
use crate::object::CData;
use crate::types::registry;
use crate::types::{CType, Kind};
use ffi_runtime::memory::Region;
use pyo3::exceptions::{PyAttributeError, PyNotImplementedError, PySystemError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyString;
use std::ffi::{c_void, CString};
use std::sync::Arc;
use type_context::op::Op;

/// How deep `lib` lookups may delegate to included modules (§4.6).
const MAX_DELEGATION: usize = 100;

/// An API module's `lib` values.
pub(crate) struct Source {
    module: Arc<ApiModule>,
    /// The module's name, the builtins' `__module__`.
    module_name: Py<PyString>,
}

impl Source {
    pub(super) fn new(py: Python<'_>, module: Arc<ApiModule>) -> Source {
        let module_name = PyString::new(py, &module.name).unbind();
        Source {
            module,
            module_name,
        }
    }

    fn global(&self, name: &str) -> Option<ApiGlobal> {
        self.module.find(name).map(|k| self.module.globals[k])
    }

    /// The declared ctype of `name` (declaring it realizes its types and
    /// writes them back, §5.3).
    fn ctype<'py>(&self, lib: &Bound<'py, Lib>, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        let py = lib.py();
        Ok(lib
            .get()
            .ffi()
            .get()
            .declaration(py, name)?
            .map(|(_, v)| v.into_bound(py)))
    }

    /// The memory of a variable (§4.1 `GLOBAL_VAR_F`, `GLOBAL_VAR`).
    fn variable<'m>(
        &self,
        py: Python<'_>,
        name: &str,
        g: ApiGlobal,
        ct: &CType,
    ) -> PyResult<Region<'m>> {
        let addr = match g.op {
            Op::GlobalVarF if g.address != 0 => {
                // SAFETY: the generated accessor `T *f(void)` (§4.1).
                unsafe {
                    let f: unsafe extern "C" fn() -> *mut c_void = std::mem::transmute(g.address);
                    f() as usize
                }
            }
            _ => g.address,
        };
        if addr == 0 {
            return Err(errors::compiled_ffi_error(
                py,
                format!("global variable '{name}' is at address NULL"),
            ));
        }
        if g.op == Op::GlobalVar && g.extra != 0 {
            if let Some(size) = ct.size().filter(|&s| s != g.extra as u64) {
                return Err(errors::compiled_ffi_error(
                    py,
                    format!(
                        "global variable '{name}' should be {size} bytes according to the cdef, \
                         but is actually {}",
                        g.extra
                    ),
                ));
            }
        }
        Ok(match ct.size() {
            // SAFETY: the variable's address, given by the module, holds a
            // value of its declared type (checked by the C compiler).
            Some(size) => unsafe { Region::new(addr, size as usize) },
            // SAFETY: as above; an array of unknown length is read as a
            // pointer to its first item, nothing beyond.
            None => unsafe { Region::open(addr) },
        })
    }

    /// A non-integer constant (§4.1 `CONSTANT`): its getter fills memory
    /// of the constant's type.
    fn constant(
        &self,
        py: Python<'_>,
        name: &str,
        g: ApiGlobal,
        ctype: &Bound<'_, CType>,
    ) -> PyResult<Py<PyAny>> {
        let ct = ctype.get();
        let size = ct.size().unwrap_or(0) as usize;
        if size == 0 {
            return Err(errors::compiled_ffi_error(
                py,
                format!(
                    "constant '{name}' is of type '{}', whose size is not known",
                    ct.cname
                ),
            ));
        }
        let mut buf = vec![0u128; size.div_ceil(16)];
        let mem = Region::of_units(&mut buf);
        if g.address == 0 {
            return Err(PySystemError::new_err(format!(
                "constant '{name}' has no getter"
            )));
        }
        // SAFETY: the generated `void f(char *out)`, which stores a value
        // of the constant's type (`size` bytes) at `out`.
        unsafe {
            let f: unsafe extern "C" fn(*mut u8) = std::mem::transmute(g.address);
            f(mem.addr() as *mut u8);
        }
        match &ct.kind {
            Kind::Record { .. } | Kind::Array { .. } => Ok(mem
                .with_bytes(|b| convert::owned_copy(py, ctype.as_unbound(), &b[..size]))?
                .into_any()),
            _ => convert::read(py, ctype.as_unbound(), mem, &py.None()),
        }
    }

    /// The builtin function of a wrapped C function (§6.4).
    fn builtin(
        &self,
        lib: &Bound<'_, Lib>,
        name: &str,
        g: ApiGlobal,
        ct: &CType,
    ) -> PyResult<Py<PyAny>> {
        let py = lib.py();
        let flags = match g.op {
            Op::CpythonBltnN => ffi::METH_NOARGS,
            Op::CpythonBltnO => ffi::METH_O,
            _ => ffi::METH_VARARGS,
        };
        if g.address == 0 {
            return Err(PySystemError::new_err(format!(
                "function '{name}' has no wrapper"
            )));
        }
        let decl = declaration_text(&ct.cname, name);
        let mut doc = String::with_capacity(decl.len() + 40 + self.module.name.len());
        doc.push_str(&decl);
        doc.push_str(";\n\nCFFI C function from ");
        doc.push_str(&self.module.name);
        doc.push_str(".lib");
        let doc = CString::new(doc).unwrap_or_default();
        // One per function and `lib` (it is cached in the lib's dict),
        // alive as long as the extension, which is never unloaded.
        let (meth, flags) = if g.fast != 0 && g.op == Op::CpythonBltnV {
            (
                ffi::PyMethodDefPointer {
                    // SAFETY: the module's METH_FASTCALL | METH_KEYWORDS
                    // wrapper of the same function (docs/api-mode.md,
                    // "Fast calls").
                    PyCFunctionFastWithKeywords: unsafe {
                        std::mem::transmute::<usize, ffi::PyCFunctionFastWithKeywords>(g.fast)
                    },
                },
                ffi::METH_FASTCALL | ffi::METH_KEYWORDS,
            )
        } else {
            (
                ffi::PyMethodDefPointer {
                    // SAFETY: the module's wrapper, of the calling
                    // convention its op says (§4.1).
                    PyCFunction: unsafe {
                        std::mem::transmute::<usize, ffi::PyCFunction>(g.address)
                    },
                },
                flags,
            )
        };
        let def = Box::leak(Box::new(ffi::PyMethodDef {
            ml_name: g.name as *const std::ffi::c_char,
            ml_meth: meth,
            ml_flags: flags,
            ml_doc: doc.into_raw(),
        }));
        let module = self.module_name.bind(py);
        // SAFETY: a method definition that lives forever, a live `self`
        // and module name; a new reference or NULL with an exception.
        unsafe {
            let f = ffi::PyCFunction_NewEx(def, lib.as_ptr(), module.as_ptr());
            Ok(Bound::from_owned_ptr_or_err(py, f)?.unbind())
        }
    }

    /// A name the module does not have, looked up in the included
    /// modules' libs, in order (§4.6).
    fn in_includes(&self, lib: &Bound<'_, Lib>, name: &str) -> PyResult<Option<(Py<PyAny>, bool)>> {
        let py = lib.py();
        thread_local! {
            static DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        }
        for other in &self.module.includes {
            let depth = DEPTH.with(std::cell::Cell::get);
            if depth >= MAX_DELEGATION {
                return Err(pyo3::exceptions::PyRecursionError::new_err(
                    "recursion overflow in ffi.include() delegations",
                ));
            }
            DEPTH.with(|d| d.set(depth + 1));
            let found = other.bind(py).as_any().getattr(name);
            DEPTH.with(|d| d.set(depth));
            match found {
                Ok(v) => return Ok(Some((v.unbind(), true))),
                Err(e) if e.is_instance_of::<PyAttributeError>(py) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(None)
    }
}

/// The C declaration of function `name` from its pointer type's name:
/// `int(*)(int, int)` gives `int add(int, int)`.
fn declaration_text(fnptr: &str, name: &str) -> String {
    match fnptr.find("(*)") {
        Some(at) => {
            let head = &fnptr[..at];
            let sep = if head.ends_with('*') || head.ends_with(' ') {
                ""
            } else {
                " "
            };
            format!("{head}{sep}{name}{}", &fnptr[at + 3..])
        }
        None => format!("{fnptr} {name}"),
    }
}

impl ApiSource for Source {
    fn get(&self, lib: &Bound<'_, Lib>, name: &str) -> PyResult<Option<(Py<PyAny>, bool)>> {
        let py = lib.py();
        let Some(g) = self.global(name) else {
            return self.in_includes(lib, name);
        };
        // A constant the compiler disagrees with fails to declare (§4.1).
        let Some(value) = self.ctype(lib, name)? else {
            return Ok(None);
        };
        let ctype = || value.cast::<CType>().map_err(PyErr::from);
        Ok(Some(match g.op {
            Op::CpythonBltnV | Op::CpythonBltnN | Op::CpythonBltnO => {
                (self.builtin(lib, name, g, ctype()?.get())?, true)
            }
            Op::ConstantInt | Op::Enum => (value.unbind(), true),
            Op::Constant => (self.constant(py, name, g, ctype()?)?, true),
            Op::GlobalVarF | Op::GlobalVar => {
                let ct = ctype()?;
                if matches!(ct.get().kind, Kind::Record { .. }) && ct.get().size().is_none() {
                    return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                        "cdata '{}' is opaque",
                        ct.get().cname
                    )));
                }
                let mem = self.variable(py, name, g, ct.get())?;
                let keep = lib.as_any().as_unbound();
                (convert::read(py, ct.as_unbound(), mem, keep)?, false)
            }
            Op::ExternPython => {
                let ct = ctype()?.clone().unbind();
                (CData::pointer(ct, g.extra).wrap(py)?.into_any(), true)
            }
            op => {
                return Err(PyNotImplementedError::new_err(format!(
                    "'{name}': op {op:?} in an API-mode module"
                )))
            }
        }))
    }

    fn set(&self, lib: &Bound<'_, Lib>, name: &str, value: &Bound<'_, PyAny>) -> PyResult<bool> {
        let py = lib.py();
        let Some(g) = self.global(name) else {
            return Ok(false);
        };
        if !matches!(g.op, Op::GlobalVarF | Op::GlobalVar) {
            return Err(PyAttributeError::new_err(format!(
                "cannot write to function or constant '{name}'"
            )));
        }
        let Some(ct) = self.ctype(lib, name)? else {
            return Ok(false);
        };
        let ct = ct.cast::<CType>()?;
        let place = || self.variable(py, name, g, ct.get());
        convert::write_placed(py, ct.get(), value, &place)?;
        Ok(true)
    }

    fn address_of(&self, lib: &Bound<'_, Lib>, name: &str) -> PyResult<Option<Py<PyAny>>> {
        let py = lib.py();
        let Some(g) = self.global(name) else {
            return Ok(None);
        };
        let Some(value) = self.ctype(lib, name)? else {
            return Ok(None);
        };
        match g.op {
            Op::CpythonBltnV | Op::CpythonBltnN | Op::CpythonBltnO if g.extra != 0 => {
                let ct = value.cast::<CType>()?.clone().unbind();
                Ok(Some(CData::pointer(ct, g.extra).wrap(py)?.into_any()))
            }
            Op::CpythonBltnV | Op::CpythonBltnN | Op::CpythonBltnO | Op::ExternPython => {
                Ok(self.get(lib, name)?.map(|(v, _)| v))
            }
            Op::GlobalVarF | Op::GlobalVar => {
                let ct = value.cast::<CType>()?;
                let mem = self.variable(py, name, g, ct.get())?;
                let ptr = registry::pointer_to(py, ct.get().id)?;
                Ok(Some(CData::pointer(ptr, mem.addr()).wrap(py)?.into_any()))
            }
            Op::Constant
                if value
                    .cast::<CType>()
                    .is_ok_and(|c| matches!(c.get().kind, Kind::Function(_))) =>
            {
                Ok(self.get(lib, name)?.map(|(v, _)| v))
            }
            _ => Err(PyAttributeError::new_err(format!(
                "cannot take the address of the constant '{name}'"
            ))),
        }
    }

    fn names(&self) -> Vec<String> {
        self.module.names()
    }
}

/// A builtin function of an API module's `lib` where a function pointer
/// is wanted (F-04.27, §6.4): the function-pointer cdata of its direct C
/// function; `None` for any other object.
/// (`convert::builtin_function` calls it for builtin functions only.)
pub fn builtin_as_cdata<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>> {
    let Ok(this) = obj.getattr("__self__") else {
        return Ok(None);
    };
    let Ok(lib) = this.cast_into::<Lib>() else {
        return Ok(None);
    };
    let Some(api) = lib.get().api_source() else {
        return Ok(None);
    };
    let name: String = obj.getattr("__name__")?.extract()?;
    Ok(api.address_of(&lib, &name)?.map(|v| v.into_bound(obj.py())))
}
