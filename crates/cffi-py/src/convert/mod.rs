//! The one home of conversion between Python values and C values: call
//! arguments and results (`to_c`), `ffi.cast()` (`cast`), values in C
//! memory and initializers (`read`, `write`), new memory (`alloc`),
//! strings (`strings`), and `FILE *` streams from Python files (`file`).
//!
//! C memory is read and written through `ffi_runtime::memory::Region`,
//! bounds-checked: the functions here are safe, and the memory is vouched
//! for where a region is made (`CData::region` and the few points tidy's
//! `VOUCH_POINTS` lists) (F-03.2, F-05.5..F-05.7, F-06.1..F-06.6).

use crate::object::CData;
use pyo3::prelude::*;

mod alloc;
mod cast;
pub mod file;
mod read;
mod strings;
mod to_c;
mod write;

pub use alloc::{newp, open_array_of, owned_copy, plan_new};
pub use cast::cast;
pub use read::{read, read_field, read_scalar, write_scalar};
pub use strings::{string, unpack};
pub use to_c::*;
pub use write::{conversion_may_run_code, write, write_field, write_placed, write_slice, Place};
pub(crate) use write::{is_byte_item, is_wide_item, open_array_length, write_array};

/// A function that finds the function-pointer cdata an object stands for
/// (see [`set_builtin_hook`]).
pub type BuiltinHook = for<'py> fn(&Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>>;

static BUILTIN_HOOK: std::sync::OnceLock<BuiltinHook> = std::sync::OnceLock::new();

/// Registers how a builtin function of an API module's `lib` becomes the
/// function-pointer cdata of its direct C function (`capi`, above this
/// layer; F-04.27).
pub fn set_builtin_hook(hook: BuiltinHook) {
    let _ = BUILTIN_HOOK.set(hook);
}

/// The first `len` bytes of `mem`, the memory of a cdata of type
/// `cname`, or the error for memory known to be shorter: what a pointer
/// `ffi.from_buffer()` made over fewer bytes than its item has designates
/// (cffi reads and writes past the buffer there; docs/compat.md).
pub(crate) fn within<'a>(
    mem: ffi_runtime::memory::Region<'a>,
    len: usize,
    cname: &str,
) -> PyResult<ffi_runtime::memory::Region<'a>> {
    mem.try_at(0, len)
        .ok_or_else(|| short_memory(cname, mem.len(), len))
}

/// The error of [`within`]: `have` bytes where `need` are.
pub(crate) fn short_memory(cname: &str, have: usize, need: usize) -> PyErr {
    pyo3::exceptions::PyValueError::new_err(format!(
        "the memory of this cdata '{cname}' has {have} bytes, {need} needed: \
         it is a buffer shorter than its type"
    ))
}

/// The function-pointer cdata `obj` stands for when it is a builtin
/// function of an API module's `lib` (F-04.27); `None` otherwise.
pub fn builtin_function<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, CData>>> {
    if !obj.is_instance_of::<pyo3::types::PyCFunction>() {
        return Ok(None);
    }
    let Some(hook) = BUILTIN_HOOK.get() else {
        return Ok(None);
    };
    Ok(hook(obj)?.and_then(|v| v.cast_into::<CData>().ok()))
}
