//! `FFI`: the object users hold. `_cffi_backend.FFI` is the compiled FFI;
//! the in-line `cffi.FFI` (python/cffi/api.py) subclasses it and adds
//! `cdef()` and `dlopen()` on top of the private methods here.

use crate::errors;
use crate::object::CData;
use crate::types::registry;
use crate::types::registry::locked;
use crate::types::{CType, Kind};
use ctypes_model::{CompiledTypeFailure, Declarations, Declared, TypeId};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};
use std::sync::{Arc, Mutex};

mod allocator;
mod cdef;
mod compiled;
mod declared;
mod decorator;
mod lib;
mod methods;
mod offsetof;
mod type_cache;
pub(crate) use methods::CastMethod;

use crate::cpython::setattr::generic_setattr;
use allocator::Allocator;
pub use cdef::{
    _ffi_cdef, _ffi_declaration, _ffi_declared_names, _ffi_emit_c, _ffi_emit_python, _ffi_include,
    _ffi_parser_declarations, _ffi_type_table,
};
pub(crate) use declared::Wanted;
pub use decorator::callback;
use decorator::CallbackDecorator;
pub use lib::{ApiSource, Lib};
pub(crate) use offsetof::type_offset;

/// An FFI instance: declarations and a cache of parsed type strings.
#[pyclass(frozen, subclass, module = "_cffi_backend", name = "FFI")]
pub struct Ffi {
    /// Shared (weakly) with the roots of `types::collect`.
    decls: Arc<Mutex<Declarations>>,
    /// Type string → ctype; type strings are parsed once per FFI.
    type_cache: type_cache::TypeCache,
    /// `ffi.callback("int(int)")`: function type strings → the ctype of
    /// their pointer. Apart from `type_cache`, where a function type must
    /// stay refused (`ffi.typeof("int(int)")`).
    fn_pointer_cache: type_cache::TypeCache,
    /// `ffi.init_once()`: tag → `[done, result, lock]`, a Python dict so
    /// any hashable tag works.
    init_once_state: pyo3::sync::PyOnceLock<Py<PyDict>>,
    /// True for cffi's in-line `FFI` (`cffi.api.FFI`, a Python subclass):
    /// some refusals differ from the compiled FFI's (which raises
    /// `ffi.error`).
    inline: bool,
    /// The module a compiled FFI comes from, for messages.
    pub(crate) module_name: std::sync::OnceLock<String>,
    /// A compiled FFI's tables, whose names are declared into `decls` when
    /// first asked for (see [`Ffi::declare_from_module`]).
    module: Arc<Mutex<Option<type_context::LazyModule>>>,
    /// `__init__` ran (it may run once).
    initialized: std::sync::atomic::AtomicBool,
    /// An API module's FFI: what only the module's C side can do.
    api: std::sync::OnceLock<Box<dyn ApiHooks>>,
}

/// What an API module's FFI asks of the module's C side (`crate::capi`).
pub trait ApiHooks: Send + Sync {
    /// Stores the types just realized from the tables (slot, type) back
    /// into the module's own C table (docs/protocol.md §5.3).
    fn write_back(&self, py: Python<'_>, fresh: Vec<(usize, TypeId)>) -> PyResult<()>;
    /// `@ffi.def_extern()`: attaches the function to the `extern
    /// "Python"` function of its name (F-03.114).
    fn def_extern(&self, ffi: &Ffi, def: &ExternDef<'_, '_>) -> PyResult<()>;
}

/// What `@ffi.def_extern(name, error, onerror)` was given, applied to
/// `func`.
pub struct ExternDef<'a, 'py> {
    /// The decorated function.
    pub func: &'a Bound<'py, PyAny>,
    /// The `extern "Python"` function's name (default: `func.__name__`).
    pub name: &'a str,
    /// What to return to C when `func` raises.
    pub error: Option<&'a Bound<'py, PyAny>>,
    /// Called with the exception when `func` raises.
    pub onerror: Option<&'a Bound<'py, PyAny>>,
}

impl Ffi {
    /// An FFI with no declarations (nor tables, nor `__init__` run yet).
    fn empty(py: Python<'_>, inline: bool) -> Ffi {
        let decls = Arc::new(Mutex::new(Declarations::new()));
        let module = Arc::new(Mutex::new(None));
        crate::types::collect::register(&decls, &module);
        Ffi {
            inline,
            decls,
            type_cache: type_cache::TypeCache::new(py),
            fn_pointer_cache: type_cache::TypeCache::new(py),
            init_once_state: pyo3::sync::PyOnceLock::new(),
            module_name: std::sync::OnceLock::new(),
            module,
            initialized: std::sync::atomic::AtomicBool::new(false),
            api: std::sync::OnceLock::new(),
        }
    }

    /// The ctype for a type string, parsed once and cached.
    pub fn parse_ctype(&self, py: Python<'_>, cdecl: &Bound<'_, PyString>) -> PyResult<Py<CType>> {
        self.parse_ctype_as(py, cdecl, false)
    }

    /// As [`Ffi::parse_ctype`]; with `function_as_pointer`, a function
    /// type (`"int(int)"`) stands for its pointer, as `ffi.callback()`
    /// takes it (such results are cached apart: `ffi.typeof("int(int)")`
    /// must still refuse).
    pub fn parse_ctype_as(
        &self,
        py: Python<'_>,
        cdecl: &Bound<'_, PyString>,
        function_as_pointer: bool,
    ) -> PyResult<Py<CType>> {
        // A string is in at most one of the two caches (function types
        // only in the second): the one asked for first.
        if function_as_pointer {
            if let Some(ct) = self.fn_pointer_cache.get(cdecl)? {
                return Ok(ct);
            }
        }
        if let Some(ct) = self.type_cache.get(cdecl)? {
            return Ok(ct);
        }
        let src = &*cdecl.to_cow()?;
        crate::types::collect::maybe_collect(py); // a safe point: no id held yet
        self.declare_from_module(py, Wanted::TypeString(src))?;
        let parsed = {
            let mut decls = locked(&self.decls);
            let mut reg = registry::lock();
            let parsed = if self.inline {
                decls
                    .parse_type_raw(&mut reg.types, src)
                    .map_err(CompiledTypeFailure::Model)
            } else {
                // The compiled FFI's own parser (F-02.19..F-02.23).
                decls.parse_compiled_type_raw(&mut reg.types, src)
            };
            parsed.map(|id| {
                (
                    id,
                    matches!(reg.types.get(id), ctypes_model::Type::Function(_)),
                )
            })
        };
        let (id, is_function) = parsed.map_err(|failure| match failure {
            CompiledTypeFailure::Syntax(e) => errors::compiled_type_error(py, src, e.message, e.at),
            CompiledTypeFailure::Model(e) if self.inline => errors::model_error(py, src, &e),
            // Errors of meaning, found once the text parsed.
            CompiledTypeFailure::Model(e) => match e.kind {
                ctypes_model::ModelErrorKind::UnknownSize(_)
                | ctypes_model::ModelErrorKind::InvalidResultType(_) => {
                    errors::model_error(py, src, &e)
                }
                _ => errors::compiled_ffi_error(py, e.kind.to_string()),
            },
        })?;
        if is_function && function_as_pointer {
            // `ctype_for` maps a raw function type to its pointer.
            let ct = registry::ctype_for(py, id)?;
            self.fn_pointer_cache.insert(cdecl, &ct)?;
            return Ok(ct);
        }
        if is_function {
            // The in-line FFI quotes the text; the compiled one names the
            // type it built (`int(void)` is `int()` there).
            let what = |name: &str| {
                format!("the type '{name}' is a function type, not a pointer-to-function type")
            };
            return Err(if self.inline {
                errors::cdef_error(py, what(src))
            } else {
                let name = registry::lock().types.c_name(id);
                errors::compiled_ffi_error(py, what(&name))
            });
        }
        let ct = registry::ctype_for(py, id)?;
        // A partial enum (`enum e { A, ... };`) cannot be used in-line.
        if let Kind::Enum(eid) = ct.get().kind {
            if registry::lock().types.enum_def(eid).partial {
                return Err(errors::verification_missing(py, ct.get().cname.clone()));
            }
        }
        // In the in-line ABI mode a struct with `...;` cannot be built
        // (F-01.99): cffi raises VerificationMissing as soon as it is named.
        if let Kind::Record { rid, .. } = ct.get().kind {
            if matches!(
                registry::lock().types.layout(rid),
                Err(ctypes_model::LayoutError::Partial(_))
            ) {
                return Err(errors::unknown_size(py, ct.get()));
            }
        }
        self.type_cache.insert(cdecl, &ct)?;
        Ok(ct)
    }

    /// `cdecl` as a ctype for `method`: a type string, a ctype, or (where
    /// the method takes one) a cdata's type. Refusals are worded as cffi
    /// words them, which differs between the in-line `cffi.FFI` (a Python
    /// subclass) and the compiled `_cffi_backend.FFI`.
    /// True for cffi's in-line `FFI` (a Python subclass), false for a
    /// compiled module's `_cffi_backend.FFI`: some refusals differ.
    fn is_inline(slf: &Bound<'_, Ffi>) -> bool {
        slf.get().inline
    }

    /// True for `cffi.api.FFI` and the classes deriving from it; other
    /// subclasses of the compiled FFI behave as it does.
    fn is_inline_class(cls: &Bound<'_, pyo3::types::PyType>) -> bool {
        cls.mro().iter().any(|c| {
            let is = |attr: &str, want: &str| {
                c.getattr(attr)
                    .ok()
                    .and_then(|v| v.extract::<String>().ok())
                    .is_some_and(|v| v == want)
            };
            is("__module__", "cffi.api") && is("__qualname__", "FFI")
        })
    }

    pub(crate) fn ctype_of(
        slf: &Bound<'_, Ffi>,
        cdecl: &Bound<'_, PyAny>,
        method: Method,
    ) -> PyResult<Py<CType>> {
        let py = slf.py();
        if let Ok(s) = cdecl.cast::<PyString>() {
            return slf.get().parse_ctype(py, s);
        }
        // Only refusals and `alignof(cdata)` depend on the FFI kind.
        let inline = || Ffi::is_inline(slf);
        if let Ok(ct) = cdecl.cast::<CType>() {
            if !matches!(method, Method::Typeof) {
                return Ok(ct.clone().unbind());
            }
        } else if let Ok(cd) = cdecl.cast::<CData>() {
            match method {
                Method::Typeof | Method::Sizeof => return Ok(cd.get().ctype.clone_ref(py)),
                Method::Alignof if !inline() => return Ok(cd.get().ctype.clone_ref(py)),
                _ => {}
            }
        }
        if let (Method::Typeof, Some(f)) = (method, crate::convert::builtin_function(cdecl)?) {
            return Ok(f.get().ctype.clone_ref(py));
        }
        let given = crate::convert::type_name(cdecl);
        let msg = match (method, inline()) {
            (Method::Typeof, true) => format!("{}", cdecl.get_type().repr()?),
            (Method::Typeof, false) => format!("expected a string or cdata object, got '{given}'"),
            (Method::Sizeof, true) => "expected a 'cdata' or 'ctype' object".to_owned(),
            (Method::Alignof, true) => "expected a 'ctype' object".to_owned(),
            (Method::Sizeof | Method::Alignof, false) => {
                format!("expected a string or ctype object or cdata object, got '{given}'")
            }
            (Method::Type(backend), true) => {
                format!("{backend}argument 1 must be _cffi_backend.CType, not {given}")
            }
            (Method::Type(_), false) | (Method::Allocator, _) => {
                format!("expected a string or ctype object, got '{given}'")
            }
        };
        Err(PyTypeError::new_err(msg))
    }
}

/// Which method asks [`Ffi::ctype_of`] for a type: what it accepts besides
/// a type string, and how it words a refusal.
#[derive(Clone, Copy)]
pub(crate) enum Method {
    /// `typeof`: a cdata (not a ctype).
    Typeof,
    /// `sizeof`: a ctype or a cdata.
    Sizeof,
    /// `alignof`: a ctype; a cdata too in the compiled FFI.
    Alignof,
    /// Everything else: a ctype only. The in-line FFI names the backend
    /// function that refused (`"newp() "`), or nothing (`""`).
    Type(&'static str),
    /// A `new_allocator()` result: a ctype only, refused in the compiled
    /// FFI's words by both.
    Allocator,
}

#[pymethods]
impl Ffi {
    /// `FFI.__new__`: an empty FFI; `__init__` reads the tables. A
    /// subclass may take arguments of its own (its `__init__` sees them).
    #[new]
    #[classmethod]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(
        cls: &Bound<'_, pyo3::types::PyType>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> Self {
        let _ = (args, kwargs);
        Ffi::empty(cls.py(), Ffi::is_inline_class(cls))
    }

    /// `FFI(module_name=None, _version=-1, _types=..., ...)`: an empty FFI
    /// or, from a generated module's tables, its compiled FFI (F-03.01);
    /// only once per object (F-10.47).
    #[pyo3(signature = (*args, **kwargs))]
    fn __init__(
        &self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        if self
            .initialized
            .swap(true, std::sync::atomic::Ordering::AcqRel)
        {
            return Err(PyValueError::new_err(
                "cannot call FFI.__init__() more than once",
            ));
        }
        compiled::load_tables(py, self, args, kwargs)
    }

    /// `ffi.dlopen(libpath, flags=0)` of a compiled FFI: a `Lib` of its
    /// declarations over the library (F-04.15..F-04.21).
    #[pyo3(signature = (libpath, flags = 0))]
    fn dlopen(slf: &Bound<'_, Self>, libpath: &Bound<'_, PyAny>, flags: i32) -> PyResult<Py<Lib>> {
        compiled::dlopen(slf, libpath, flags)
    }

    /// `ffi.dlclose(lib)`: closes what `dlopen()` opened.
    fn dlclose(&self, lib: &Bound<'_, Lib>) -> PyResult<()> {
        Lib::close(lib)
    }

    /// `ffi.typeof(cdecl)`: the ctype of a type string or of a cdata.
    #[pyo3(name = "typeof")]
    fn typeof_(slf: &Bound<'_, Self>, cdecl: &Bound<'_, PyAny>) -> PyResult<Py<CType>> {
        Ffi::ctype_of(slf, cdecl, Method::Typeof)
    }

    /// `ffi.sizeof(cdecl)`: size in bytes of a type or a cdata's type.
    fn sizeof(slf: &Bound<'_, Self>, cdecl: &Bound<'_, PyAny>) -> PyResult<i64> {
        let py = slf.py();
        if let Ok(cd) = cdecl.cast::<CData>() {
            if let Some(size) = cd.get().data_size(py)? {
                return Ok(size);
            }
        }
        let ct = Ffi::ctype_of(slf, cdecl, Method::Sizeof)?;
        let ct = ct.get();
        ct.size().map(|s| s as i64).ok_or_else(|| {
            // The compiled FFI says so its way.
            if slf.get().inline {
                errors::unknown_size(py, ct)
            } else {
                errors::compiled_ffi_error(
                    py,
                    format!("don't know the size of ctype '{}'", ct.cname),
                )
            }
        })
    }

    /// `ffi.alignof(cdecl)`: alignment in bytes.
    fn alignof(slf: &Bound<'_, Self>, cdecl: &Bound<'_, PyAny>) -> PyResult<u64> {
        let ct = Ffi::ctype_of(slf, cdecl, Method::Alignof)?;
        let ct = ct.get();
        ct.align().ok_or_else(|| {
            PyValueError::new_err(format!("ctype '{}' is of unknown alignment", ct.cname))
        })
    }

    /// `ffi.new(cdecl, init=None)`: zero-filled owned memory (F-03.2).
    #[pyo3(name = "new", signature = (cdecl, init = None))]
    fn new_(
        slf: &Bound<'_, Self>,
        cdecl: &Bound<'_, PyAny>,
        init: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<CData>> {
        let ct = Ffi::ctype_of(slf, cdecl, Method::Type("newp() "))?;
        crate::convert::newp(slf.py(), &ct, init)
    }

    /// `ffi.string(cdata, maxlen=-1)` (F-03.39..F-03.43).
    #[pyo3(signature = (cdata, maxlen = -1))]
    fn string(
        &self,
        py: Python<'_>,
        cdata: &Bound<'_, PyAny>,
        maxlen: isize,
    ) -> PyResult<Py<PyAny>> {
        crate::convert::string(py, crate::convert::expect_cdata(cdata, "string()")?, maxlen)
    }

    /// `ffi.unpack(cdata, length)` (F-03.44, F-03.45).
    fn unpack(
        &self,
        py: Python<'_>,
        cdata: &Bound<'_, PyAny>,
        length: isize,
    ) -> PyResult<Py<PyAny>> {
        crate::convert::unpack(py, crate::convert::expect_cdata(cdata, "unpack()")?, length)
    }

    /// `ffi.new_handle(obj)`: a `void *` cdata standing for `obj`, which it
    /// keeps alive (F-03.86).
    fn new_handle(&self, py: Python<'_>, obj: Py<PyAny>) -> PyResult<Py<CData>> {
        crate::object::new_handle(py, registry::void_pointer(py)?, obj)
    }

    /// `ffi.from_handle(p)` (F-03.87, F-03.88).
    #[pyo3(name = "from_handle")]
    fn handle_object(&self, py: Python<'_>, p: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        crate::object::from_handle(py, p)
    }

    /// `ffi.def_extern(name=None, error=None, onerror=None)` of a compiled
    /// FFI: a decorator attaching a Python function to the module's
    /// `extern "Python"` function of that name (F-03.114). Out-of-line ABI
    /// modules have none (F-08.50), so applying it names the original's
    /// `ffi.error` (F-03.115).
    #[pyo3(signature = (name = None, error = None, onerror = None))]
    fn def_extern(
        slf: &Bound<'_, Self>,
        name: Option<Py<PyAny>>,
        error: Option<Py<PyAny>>,
        onerror: Option<Py<PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        decorator::def_extern(slf, name, error, onerror)
    }

    /// `ffi.init_once(func, tag)`: calls `func()` once per tag and returns
    /// its result ever after; callers racing on a tag wait for the first
    /// one; an exception is not cached (F-03.119..F-03.121).
    fn init_once(
        &self,
        py: Python<'_>,
        func: &Bound<'_, PyAny>,
        tag: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let state = self
            .init_once_state
            .get_or_init(py, || PyDict::new(py).unbind())
            .bind(py);
        let entry = match state.get_item(tag)? {
            Some(entry) => entry,
            None => {
                // `[done, result, lock]`; setdefault is atomic for Python code.
                let fresh = pyo3::types::PyList::new(
                    py,
                    [
                        false.into_pyobject(py)?.to_owned().into_any(),
                        py.None().into_bound(py),
                        py.import("threading")?.getattr("Lock")?.call0()?,
                    ],
                )?;
                state.call_method1("setdefault", (tag, fresh))?
            }
        };
        let done = |entry: &Bound<'_, PyAny>| -> PyResult<bool> { entry.get_item(0)?.is_truthy() };
        if done(&entry)? {
            return Ok(entry.get_item(1)?.unbind());
        }
        let lock = entry.get_item(2)?;
        // Waiting on a Python lock lets the GIL go, so the first caller
        // can finish.
        lock.call_method0("acquire")?;
        let result = (|| -> PyResult<Py<PyAny>> {
            if done(&entry)? {
                return Ok(entry.get_item(1)?.unbind());
            }
            let value = func.call0()?;
            entry.set_item(1, &value)?;
            entry.set_item(0, true)?;
            Ok(value.unbind())
        })();
        lock.call_method0("release")?;
        result
    }

    /// `ffi.gc(cdata, destructor, size=0)` (F-03.81..F-03.85).
    #[pyo3(signature = (cdata, destructor, size = 0))]
    fn gc(
        &self,
        py: Python<'_>,
        cdata: &Bound<'_, PyAny>,
        destructor: &Bound<'_, PyAny>,
        size: isize,
    ) -> PyResult<Option<Py<CData>>> {
        crate::object::gc(py, cdata, destructor, size)
    }

    /// `ffi.new_allocator(alloc=None, free=None,
    /// should_clear_after_alloc=True)`: an `ffi.new()` that gets its memory
    /// from `alloc(size)` and gives it back with `free(p)` (F-03.98..F-03.101).
    #[pyo3(signature = (alloc = None, free = None, should_clear_after_alloc = true))]
    fn new_allocator(
        slf: &Bound<'_, Self>,
        alloc: Option<Py<PyAny>>,
        free: Option<Py<PyAny>>,
        should_clear_after_alloc: bool,
    ) -> PyResult<Allocator> {
        let py = slf.py();
        let alloc = alloc.filter(|a| !a.is_none(py));
        let free = free.filter(|f| !f.is_none(py));
        if alloc.is_none() && free.is_some() {
            return Err(PyTypeError::new_err("cannot pass 'free' without 'alloc'"));
        }
        Ok(Allocator {
            ffi: slf.clone().unbind(),
            alloc,
            free,
            clear: should_clear_after_alloc,
        })
    }

    /// `ffi.release(cdata)`: frees `ffi.new()` memory now (F-03.14).
    fn release(&self, cdata: &Bound<'_, PyAny>) -> PyResult<()> {
        crate::object::release(cdata)
    }

    /// `ffi.cast(cdecl, value)`: a non-owning cdata of that type (F-03.3).
    /// Positional calls come through [`CastMethod`] instead.
    fn cast(
        slf: &Bound<'_, Self>,
        cdecl: &Bound<'_, PyAny>,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<Py<CData>> {
        // A `Bound`: dropped at once, also where no PyO3 trampoline runs
        // (`CastMethod`), where a `Py` would go to PyO3's pool.
        let ct = Ffi::ctype_of(slf, cdecl, Method::Type("cast() "))?.into_bound(slf.py());
        crate::convert::cast(slf.py(), ct.as_unbound(), value)?.wrap(slf.py())
    }

    /// `ffi.errno`: the errno of this thread's last C call.
    #[getter]
    fn get_errno(&self) -> i32 {
        ffi_runtime::errno::saved()
    }

    /// `ffi.callback(cdecl, python_callable=None, error=None, onerror=None)`
    /// (F-03.107..F-03.112): a C function pointer calling
    /// `python_callable`; without it, a decorator.
    #[pyo3(signature = (cdecl, python_callable = None, error = None, onerror = None))]
    fn callback(
        slf: &Bound<'_, Self>,
        cdecl: &Bound<'_, PyAny>,
        python_callable: Option<&Bound<'_, PyAny>>,
        error: Option<&Bound<'_, PyAny>>,
        onerror: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let ctype = match cdecl.cast::<PyString>() {
            Ok(s) => slf.get().parse_ctype_as(py, s, true)?,
            Err(_) => Ffi::ctype_of(slf, cdecl, Method::Type("callback() "))?,
        };
        let Some(func) = python_callable.filter(|f| !f.is_none()) else {
            let decorator = CallbackDecorator {
                ctype,
                error: error.map(|e| e.clone().unbind()),
                onerror: onerror.map(|o| o.clone().unbind()),
            };
            return Ok(Py::new(py, decorator)?.into_any());
        };
        crate::callback::new(py, &ctype, func, error, onerror).map(Py::into_any)
    }

    /// Takes any integer (`__index__`); values outside C's `int` raise
    /// `OverflowError` as in cffi (F-03.36).
    #[setter]
    fn set_errno(&self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let value = crate::convert::index_object(value)?
            .extract::<i32>()
            .map_err(|_| pyo3::exceptions::PyOverflowError::new_err("errno value too large"))?;
        ffi_runtime::errno::set_saved(value);
        Ok(())
    }

    /// `ffi.integer_const(name)` (F-03.129): the value of an integer
    /// constant or enumerator of the module the FFI was built from.
    fn integer_const(&self, py: Python<'_>, name: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let Ok(name) = name.cast::<PyString>() else {
            return Err(PyTypeError::new_err(format!(
                "argument 1 must be str, not {}",
                crate::convert::type_name(name)
            )));
        };
        let name = name.to_cow()?;
        self.declare_from_module(py, Wanted::Name(&name))?;
        // The module's integer constants and enumerators (F-03.09).
        match locked(&self.decls).lookup(&name) {
            Some(Declared::IntConstant(v)) => Ok(v.into_pyobject(py)?.into_any().unbind()),
            Some(Declared::Function(_) | Declared::Variable(_) | Declared::CompilerConstant(_)) => {
                Err(errors::compiled_ffi_error(
                    py,
                    format!(
                        "function, global variable or non-integer constant '{name}' must be \
                     fetched from its original 'lib' object"
                    ),
                ))
            }
            _ => Err(pyo3::exceptions::PyAttributeError::new_err(format!(
                "integer constant '{name}' not found"
            ))),
        }
    }

    /// Plain attribute assignment (PyO3 needs it spelled out once
    /// `__delattr__` exists).
    fn __setattr__(
        slf: &Bound<'_, Self>,
        name: &Bound<'_, PyString>,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        generic_setattr(slf.as_any(), name, Some(value))
    }

    /// `del ffi.errno` is refused with the words of cffi's in-line
    /// property (the compiled FFI of cffi 2.0.0 raises SystemError,
    /// docs/compat.md); other deletions behave as usual.
    fn __delattr__(slf: &Bound<'_, Self>, name: &Bound<'_, PyString>) -> PyResult<()> {
        if name.to_cow()? == "errno" {
            return Err(pyo3::exceptions::PyAttributeError::new_err(format!(
                "property 'errno' of '{}' object has no deleter",
                slf.get_type().name()?
            )));
        }
        generic_setattr(slf.as_any(), name, None)
    }

    #[classattr]
    #[allow(non_snake_case)]
    fn NULL(py: Python<'_>) -> PyResult<Py<CData>> {
        CData::pointer(registry::void_pointer(py)?, 0).wrap(py)
    }

    #[classattr]
    #[allow(non_snake_case)]
    fn CData(py: Python<'_>) -> Py<pyo3::types::PyType> {
        py.get_type::<CData>().unbind()
    }

    #[classattr]
    #[allow(non_snake_case)]
    fn CType(py: Python<'_>) -> Py<pyo3::types::PyType> {
        py.get_type::<CType>().unbind()
    }

    /// `ffi.buffer` is the buffer type itself (F-03.05).
    #[classattr]
    fn buffer(py: Python<'_>) -> Py<pyo3::types::PyType> {
        py.get_type::<crate::buffer::Buffer>().unbind()
    }

    /// `ffi.from_buffer([cdecl,] python_buffer, require_writable=False)`
    /// (F-03.59..F-03.68): `cdecl` defaults to `"char[]"`.
    #[pyo3(signature = (cdecl, python_buffer = None, require_writable = false))]
    fn from_buffer(
        slf: &Bound<'_, Self>,
        cdecl: &Bound<'_, PyAny>,
        python_buffer: Option<&Bound<'_, PyAny>>,
        require_writable: bool,
    ) -> PyResult<Py<CData>> {
        let py = slf.py();
        let (ct, obj) = match python_buffer {
            None => (
                slf.get().parse_ctype(py, pyo3::intern!(py, "char[]"))?,
                cdecl,
            ),
            Some(obj) => (Ffi::ctype_of(slf, cdecl, Method::Type(""))?, obj),
        };
        crate::buffer::from_buffer(py, &ct, obj, require_writable)?.wrap(py)
    }

    /// `ffi.memmove(dest, src, n)` (F-03.69..F-03.71).
    fn memmove(
        &self,
        dest: &Bound<'_, PyAny>,
        src: &Bound<'_, PyAny>,
        n: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        crate::buffer::memmove(dest, src, n)
    }

    /// `ffi.offsetof(cdecl, *fields_or_indexes)` (F-03.76, F-03.77).
    #[pyo3(signature = (cdecl, *fields))]
    fn offsetof(
        slf: &Bound<'_, Self>,
        cdecl: &Bound<'_, PyAny>,
        fields: &Bound<'_, PyTuple>,
    ) -> PyResult<i128> {
        if fields.is_empty() {
            // In-line, cffi's Python method passes the fields on to
            // `_typeoffsetof()`, whose signature words the refusal.
            return Err(PyTypeError::new_err(if Ffi::is_inline(slf) {
                "FFI._typeoffsetof() missing 1 required positional argument: 'field_or_index'"
            } else {
                "offsetof() expects at least 2 arguments"
            }));
        }
        let ct = Ffi::ctype_of(slf, cdecl, Method::Type("typeoffsetof() "))?;
        Ok(type_offset(slf.py(), ct, fields)?.1)
    }

    /// `ffi.addressof(cdata, *fields_or_indexes)`: a pointer to the cdata's
    /// memory, or to a field or item inside it (F-03.78, F-03.79).
    #[pyo3(signature = (cdata, *fields))]
    fn addressof(
        &self,
        py: Python<'_>,
        cdata: &Bound<'_, PyAny>,
        fields: &Bound<'_, PyTuple>,
    ) -> PyResult<Py<PyAny>> {
        if let Ok(lib) = cdata.cast::<Lib>() {
            return Lib::address_of(lib, fields);
        }
        let Ok(cd) = cdata.cast::<CData>() else {
            return Err(PyTypeError::new_err("expected a 'cdata' object"));
        };
        let this = cd.get();
        match this.ctype.get().kind {
            Kind::Record { .. } | Kind::Array { .. } => {}
            Kind::Pointer { .. } if !fields.is_empty() => {}
            Kind::Pointer { .. } => return Err(PyTypeError::new_err("addressof(pointer)")),
            _ => {
                return Err(PyTypeError::new_err(
                    "expected a cdata struct/union/array/pointer object",
                ))
            }
        }
        let base = this.data_addr(py)?;
        let (target, offset) = type_offset(py, this.ctype.clone_ref(py), fields)?;
        let ptr = registry::pointer_to(py, target.get().id)?;
        let addr = base.wrapping_add_signed(offset as isize);
        let owner = crate::object::Owner::Keep(cdata.clone().unbind());
        Ok(CData::reference(ptr, addr, 0, owner).wrap(py)?.into_any())
    }

    /// `ffi.list_types()`: `(typedef names, struct tags, union tags)`, each
    /// sorted (F-01.100).
    fn list_types(&self) -> (Vec<String>, Vec<String>, Vec<String>) {
        let module = locked(&self.module);
        let decls = locked(&self.decls);
        let mut typedefs: Vec<String> = decls.typedef_names().map(str::to_owned).collect();
        let (mut structs, mut unions, _) = decls.tag_names();
        // A compiled FFI's names, realizing nothing.
        if let Some(m) = module.as_ref() {
            let [_, names, s, u] = m.names();
            typedefs.extend(names.into_iter().map(str::to_owned));
            structs.extend(s.into_iter().map(str::to_owned));
            unions.extend(u.into_iter().map(str::to_owned));
        }
        for list in [&mut typedefs, &mut structs, &mut unions] {
            list.sort();
            list.dedup();
        }
        (typedefs, structs, unions)
    }

    /// `ffi.getctype(cdecl, replace_with='')`: the C text of a type with
    /// `replace_with` at the declarator position (F-02.29..F-02.31).
    #[pyo3(signature = (cdecl, replace_with = ""))]
    fn getctype(
        slf: &Bound<'_, Self>,
        cdecl: &Bound<'_, PyAny>,
        replace_with: &str,
    ) -> PyResult<String> {
        let ct = Ffi::ctype_of(slf, cdecl, Method::Type("getcname() "))?;
        let (mut text, pos) = registry::lock().types.c_name_parts(ct.get().id);
        let mut insert = replace_with.trim().to_owned();
        if insert.starts_with('*') && matches!(ct.get().kind, Kind::Array { .. }) {
            insert = format!("({insert})");
        }
        if !insert.is_empty() && !insert.starts_with('[') && !insert.starts_with('(') {
            insert.insert(0, ' ');
        }
        text.insert_str(pos, &insert);
        Ok(text)
    }
}

/// The backend's `getcname(ctype, replace_with)`: the type's C text with
/// `replace_with` inserted as it is at the declarator position (no spacing
/// or parentheses added, unlike `ffi.getctype()`).
pub fn getcname(ct: &CType, replace_with: &str) -> String {
    let (mut text, pos) = registry::lock().types.c_name_parts(ct.id);
    text.insert_str(pos, replace_with);
    text
}
