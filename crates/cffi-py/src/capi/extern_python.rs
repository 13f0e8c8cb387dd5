//! `extern "Python"` functions of API modules (FEATURES 7.5,
//! docs/protocol.md §8): `@ffi.def_extern()` attaches a Python function to
//! the module's record of that name, and export 25 runs it when C calls
//! the generated C function — from any thread, never raising into C.

use super::tables::ApiModule;
use crate::errors;
use crate::ffi_obj::{ExternDef, Ffi};
use crate::object::CallbackState;
use crate::types::registry::locked;
use crate::types::CType;
use ffi_runtime::memory::Region;
use pyo3::prelude::*;
use std::collections::HashMap;
use std::ffi::{c_char, c_void, CStr};
use std::sync::{Arc, LazyLock, Mutex};
use type_context::op::Op;

/// `_cffi_externpy_s` (§8.1).
#[repr(C)]
pub struct ExternPy {
    name: *const c_char,
    size_of_result: usize,
    reserved1: *mut c_void,
    reserved2: *mut c_void,
}

/// The Python functions attached, by the address of their record. (One
/// table for the process: cffi-py runs in the main interpreter only.)
static ATTACHED: LazyLock<Mutex<HashMap<usize, Arc<CallbackState>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// `@ffi.def_extern(name, error, onerror)` applied to `func` (§8.2).
pub(super) fn def_extern(module: &ApiModule, ffi: &Ffi, def: &ExternDef<'_, '_>) -> PyResult<()> {
    let (func, name) = (def.func, def.name);
    let py = func.py();
    let missing = || {
        errors::compiled_ffi_error(
            py,
            format!("ffi.def_extern('{name}'): no 'extern \"Python\"' function with this name"),
        )
    };
    let g = module
        .find(name)
        .map(|k| module.globals[k])
        .filter(|g| g.op == Op::ExternPython && g.address != 0)
        .ok_or_else(missing)?;
    let Some((_, ctype)) = ffi.declaration(py, name)? else {
        return Err(missing());
    };
    let ctype: Py<CType> = ctype.bind(py).cast::<CType>()?.clone().unbind();
    let state = crate::callback::state(py, &ctype, func, def.error, def.onerror, false)?;
    locked(&ATTACHED).insert(g.address, Arc::from(state));
    // SAFETY: the record is writable static memory of the extension
    // (§8.1); `reserved1` non-NULL says "something was attached".
    unsafe { (*(g.address as *mut ExternPy)).reserved1 = g.address as *mut c_void };
    Ok(())
}

/// Export 25, `_cffi_call_python(record, args)` (§8.2): runs the Python
/// function attached to `record` with the arguments in `args`' 8-byte
/// slots, and leaves the result at the start of `args`. Nothing raises
/// into C: a missing function is reported on stderr and gives zero.
///
/// # Safety
/// `record` is a module's `extern "Python"` record, `args` the buffer its
/// generated C function filled (§8.1).
pub unsafe extern "C" fn call_python(record: *mut ExternPy, args: *mut c_char) {
    // The C caller's errno is what `ffi.errno` reads inside, and what the
    // function leaves there is what C sees after.
    ffi_runtime::errno::set_saved(ffi_runtime::errno::get());
    let _ = std::panic::catch_unwind(|| {
        if record.is_null() || args.is_null() {
            return;
        }
        // SAFETY: a record of the extension, as the caller promises.
        let rec = unsafe { &*record };
        // SAFETY: the buffer has room for the result (§8.1).
        let result = unsafe { Region::new(args as usize, rec.size_of_result) };
        if rec.reserved1.is_null() {
            return not_attached(
                rec,
                "no code was attached to it yet with @ffi.def_extern()",
                result,
            );
        }
        // A C thread keeps its Python thread state from call to call.
        crate::cpython::foreign_thread::adopt();
        // SAFETY: balanced by the release below; works from any thread.
        let gil = unsafe { pyo3::ffi::PyGILState_Ensure() };
        Python::attach(|py| {
            let state = locked(&ATTACHED).get(&(record as usize)).cloned();
            match state {
                // SAFETY: the generated buffer of this function (§8.1).
                Some(state) => unsafe {
                    crate::callback::call_from_slots(py, &state, args as usize);
                },
                None => not_attached(
                    rec,
                    "@ffi.def_extern() was not called in the current subinterpreter",
                    result,
                ),
            }
        });
        // SAFETY: the state from the matching ensure above.
        unsafe { pyo3::ffi::PyGILState_Release(gil) };
    });
    ffi_runtime::errno::set(ffi_runtime::errno::saved());
}

/// Reports a call with nothing to run, and returns zero to C.
fn not_attached(rec: &ExternPy, reason: &str, result: Region<'_>) {
    let name = if rec.name.is_null() {
        String::new()
    } else {
        // SAFETY: the record's name, a C string of the extension.
        unsafe { CStr::from_ptr(rec.name) }
            .to_string_lossy()
            .into_owned()
    };
    eprintln!("extern \"Python\": function {name}() called, but {reason}.  Returning 0.");
    result.zero();
}
