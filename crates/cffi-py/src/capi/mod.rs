//! API-mode modules (docs/protocol.md §4 to §8): extension modules built
//! by cffi's `set_source()` + `compile()` — by the original cffi or by
//! ours — that hand `_cffi_backend` their C tables when imported.
//!
//! - [`_init_cffi_1_0_external_module`] is the handshake of §6.1: the
//!   version check, the export table copied into the module, a new module
//!   holding `ffi` and `lib`.
//! - The module's tables are read here, once, into `type_context`'s
//!   [`Tables`]: the compiled FFI then realizes them lazily, as it does an
//!   out-of-line module's, and every type it realizes is written back into
//!   the module's own `types` array, where the generated wrappers read
//!   it (§5.3).
//! - `exports` is the table of §6.2, `api_lib` the API `Lib`'s values,
//!   `extern_python` the `extern "Python"` functions of §8.
//!
//! Everything here reads or writes memory the extension owns: the tables
//! are static data of the extension, which is never unloaded.

mod api_lib;
mod exports;
mod extern_python;
mod tables;

use crate::errors;
use crate::ffi_obj::{ApiHooks, ExternDef, Ffi, Lib};
use crate::types::registry::{self, locked};
use crate::types::CType;
pub use api_lib::builtin_as_cdata;
use ctypes_model::{Type, TypeId};
use pyo3::exceptions::{PyImportError, PySystemError};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyModule};
use std::collections::HashMap;
use std::ffi::{c_char, c_void};
use std::sync::{Arc, LazyLock, Mutex};
use tables::{c_str, primitive_slots, read_tables, ApiModule, TypeContext, VERSIONS};
use type_context::{DecodeError, LazyModule};

/// The hooks the module's FFI calls.
struct Hooks(Arc<ApiModule>);

impl ApiHooks for Hooks {
    fn write_back(&self, py: Python<'_>, fresh: Vec<(usize, TypeId)>) -> PyResult<()> {
        let module = &self.0;
        for (slot, id) in fresh {
            if slot >= module.num_types {
                continue;
            }
            // Function shapes are not read by generated code; their slot
            // keeps its opcode (the runtime reads its own copy). Their
            // function-pointer ctype is kept alive here, so that every
            // lookup of a function of that type finds it made.
            let function = matches!(registry::lock().types.get(id), Type::Function(_));
            let ct: Py<CType> = registry::ctype_for(py, id)?;
            if function {
                registry::locked(&module.kept).push(ct);
                continue;
            }
            // Kept for the life of the process: the module's wrappers use
            // it for as long as the extension is loaded, which is forever.
            let ptr = ct.into_ptr() as usize;
            // SAFETY: `types` is the module's writable array of
            // `num_types` words (§4), and `slot` is inside it; the GIL
            // serializes writers.
            unsafe { *(module.types as *mut usize).add(slot) = ptr };
        }
        Ok(())
    }

    fn def_extern(&self, ffi: &Ffi, def: &ExternDef<'_, '_>) -> PyResult<()> {
        extern_python::def_extern(&self.0, ffi, def)
    }
}

/// A module's `ffi` and `lib`.
type FfiAndLib = (Py<Ffi>, Py<Lib>);

/// The modules initialized so far, by the address of their context: a
/// module initialized again (another import after its removal from
/// `sys.modules`) gets the same `ffi` and `lib`, since its `types` array
/// already holds what the first realized.
static LOADED: LazyLock<Mutex<HashMap<usize, FfiAndLib>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// `_cffi_backend._init_cffi_1_0_external_module(address)` (§6.1): the
/// module's name, version tag, export array and type context at
/// `address`; returns the new module holding `ffi` and `lib`.
#[pyfunction]
pub fn _init_cffi_1_0_external_module(
    py: Python<'_>,
    address: &Bound<'_, PyAny>,
) -> PyResult<Py<PyModule>> {
    let address: usize = address.extract()?;
    if address == 0 {
        return Err(PySystemError::new_err("NULL address"));
    }
    // SAFETY: the generated `_cffi_init` passes the address of its array
    // of four pointers (§6.1), alive during this call.
    let raw = unsafe { std::slice::from_raw_parts(address as *const usize, 4) };
    let (name_ptr, version, exports, ctx) = (raw[0], raw[1], raw[2], raw[3]);
    // SAFETY: slot 0 is the module's name, a C string of the extension.
    let name = unsafe { c_str(name_ptr as *const c_char) };
    if !VERSIONS.contains(&version) {
        return Err(PyImportError::new_err(format!(
            "cffi extension module '{name}' uses an unknown version tag {version:#x}. This module \
             might need a more recent version of cffi than the one currently installed, which is {}",
            crate::CFFI_VERSION
        )));
    }
    if ctx == 0 || exports == 0 {
        return Err(PySystemError::new_err("NULL type context or export array"));
    }
    // SAFETY: slot 3 is the module's static type context (§4).
    let context = unsafe { &*(ctx as *const TypeContext) };
    let count = if version >= 0x2801 {
        exports::COUNT
    } else if context.flags & 1 != 0 {
        26
    } else {
        25
    };
    let table = exports::table();
    // SAFETY: slot 2 is the module's export array, of 28 pointers (§6.2).
    let out = unsafe { std::slice::from_raw_parts_mut(exports as *mut *const c_void, count) };
    out.copy_from_slice(&table[..count]);

    let existing = locked(&LOADED)
        .get(&ctx)
        .map(|(f, l)| (f.clone_ref(py), l.clone_ref(py)));
    let (ffi, lib) = match existing {
        Some(both) => both,
        None => {
            let both = load(py, &name, context)?;
            locked(&LOADED).insert(ctx, (both.0.clone_ref(py), both.1.clone_ref(py)));
            both
        }
    };
    let module = new_module(py, &name)?;
    module.add("ffi", ffi)?;
    module.add("lib", lib.clone_ref(py))?;
    let modules = py.import("sys")?.getattr("modules")?;
    modules.set_item(format!("{name}.lib"), lib)?;
    modules.set_item(&name, &module)?;
    Ok(module.unbind())
}

/// A new extension module named `name`, with no methods: CPython accepts
/// only a module made from a module definition as what an extension's
/// init function returns (the runtime owns the definition, §6.1).
fn new_module<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyModule>> {
    let name = std::ffi::CString::new(name)
        .map_err(|_| PySystemError::new_err("a module name with a NUL byte"))?;
    // One per module initialization, alive as long as the module (that is,
    // the process: CPython keeps extension modules' definitions).
    let def = Box::leak(Box::new(pyo3::ffi::PyModuleDef {
        m_base: pyo3::ffi::PyModuleDef_HEAD_INIT,
        m_name: name.into_raw(),
        m_doc: std::ptr::null(),
        m_size: -1,
        m_methods: std::ptr::null_mut(),
        m_slots: std::ptr::null_mut(),
        m_traverse: None,
        m_clear: None,
        m_free: None,
    }));
    // SAFETY: a complete definition that lives forever; a new reference
    // or NULL with an exception.
    unsafe {
        let m = pyo3::ffi::PyModule_Create2(def, pyo3::ffi::PYTHON_API_VERSION);
        Ok(Bound::from_owned_ptr_or_err(py, m)?.cast_into::<PyModule>()?)
    }
}

/// The `ffi` and `lib` of the module `name` over its context.
fn load(py: Python<'_>, name: &str, context: &TypeContext) -> PyResult<(Py<Ffi>, Py<Lib>)> {
    // SAFETY: the context's arrays have the lengths it gives (§4).
    let (tables, globals) = unsafe { read_tables(context) }.map_err(|e| match e {
        DecodeError::NotImplemented(m) => pyo3::exceptions::PyNotImplementedError::new_err(m),
        e => errors::compiled_ffi_error(py, e.to_string()),
    })?;
    // Included modules first: their structs are shared (§4.6).
    let mut includes = Vec::new();
    let mut decls = ctypes_model::Declarations::new();
    if !context.includes.is_null() {
        let mut at = context.includes;
        loop {
            // SAFETY: a NULL-terminated array of C strings (§4).
            let item = unsafe { *at };
            if item.is_null() {
                break;
            }
            // SAFETY: a C string of the extension.
            let other_name = unsafe { c_str(item) };
            let failed = || {
                PyImportError::new_err(format!(
                    "while loading '{name}': failed to import ffi, lib from '{other_name}'"
                ))
            };
            let m = py.import(other_name.as_str())?;
            let ffi = m
                .getattr("ffi")
                .ok()
                .and_then(|f| f.cast_into::<Ffi>().ok())
                .ok_or_else(failed)?;
            let lib = m
                .getattr("lib")
                .ok()
                .and_then(|l| l.cast_into::<Lib>().ok())
                .ok_or_else(failed)?;
            ffi.get().include_into(py, &mut decls)?;
            includes.push(lib.unbind());
            // SAFETY: still inside the NULL-terminated array.
            at = unsafe { at.add(1) };
        }
    }
    let primitives = primitive_slots(&tables);
    let external =
        type_context::decode::external_records(&decls, &crate::types::registry::lock().types);
    let lazy = LazyModule::new(tables, external);
    let module = Arc::new(ApiModule {
        name: name.to_owned(),
        types: context.types as usize,
        num_types: usize::try_from(context.num_types).unwrap_or(0),
        sorted: lazy.globals_sorted(),
        globals,
        includes,
        kept: Mutex::new(Vec::new()),
    });
    let ffi = Ffi::api_module(py, name, lazy, decls, Box::new(Hooks(module.clone())));
    let ffi = Py::new(py, ffi)?;
    // Wrappers may read a primitive's slot that no function shape
    // realizes (a parameter written in place, §5.1): realized now.
    // One that fails (an unknown number) fails again when used.
    ffi.get().realize_slots(py, &primitives)?;
    let source = api_lib::Source::new(py, module);
    let lib = Py::new(
        py,
        Lib::api(ffi.clone_ref(py), Box::new(source), name.to_owned()),
    )?;
    Ok((ffi, lib))
}

/// `_cffi_backend._panic_in_next_export()`: makes the next call of an
/// export panic (for the test that shows a panic never reaches C).
#[pyfunction]
pub fn _panic_in_next_export() {
    exports::PANIC_NEXT.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Adds `_C_API` (§7): a capsule named "cffi" over the export table.
pub fn add_capsule(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // Alive for the life of the process: modules copy from it when they
    // are imported, at any time.
    let table: &'static [*const c_void; exports::COUNT] = Box::leak(Box::new(exports::table()));
    let ptr = std::ptr::NonNull::new(table.as_ptr().cast_mut().cast::<c_void>())
        .ok_or_else(|| PySystemError::new_err("no export table"))?;
    // SAFETY: the pointer is valid forever (leaked above) and the capsule
    // has no destructor.
    let capsule = unsafe { PyCapsule::new_with_pointer(m.py(), ptr, c"cffi")? };
    m.add("_C_API", capsule)
}
