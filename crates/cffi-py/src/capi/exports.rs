//! The export table (docs/protocol.md §6.2): the 28 functions an API-mode
//! module calls from its generated wrappers, in the original's order, and
//! the `_C_API` capsule over them (§7).
//!
//! Every function is called from C. None lets a panic unwind into C: the
//! body runs under [`guarded`], which turns an error into the pending
//! Python exception and a panic into `SystemError`, and returns the value
//! the contract uses for "failed" (the caller checks `PyErr_Occurred()`).
//! Slots 13 and 14 run without the GIL and touch no Python object.

use crate::convert;
use crate::object::CData;
use crate::types::{CType, Kind};
use ffi_runtime::memory::Region;
use ffi_runtime::Slot;
use pyo3::exceptions::{PyOverflowError, PySystemError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString, PyTuple};
use std::ffi::{c_char, c_int, c_uint, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Set by `_cffi_backend._panic_in_next_export()`: the next export
/// called panics, so that tests can show that no panic reaches C.
pub static PANIC_NEXT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// How many entries the table has.
pub const COUNT: usize = 28;

/// Runs `f` with the calling thread's GIL (which the caller holds): an
/// error becomes the pending exception, a panic a `SystemError`, and
/// either returns `failed`.
fn guarded<T>(failed: T, f: impl FnOnce(Python<'_>) -> PyResult<T>) -> T {
    // SAFETY: every export but 13 and 14 is called by generated code with
    // the GIL held (docs/protocol.md §6.3), and those two do not come here.
    let py = unsafe { Python::assume_attached() };
    match catch_unwind(AssertUnwindSafe(|| {
        let asked = PANIC_NEXT.load(std::sync::atomic::Ordering::Relaxed)
            && PANIC_NEXT.swap(false, std::sync::atomic::Ordering::Relaxed);
        assert!(
            !asked,
            "a panic asked for by _cffi_backend._panic_in_next_export()"
        );
        body(f, py)
    })) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            e.restore(py);
            failed
        }
        Err(_) => {
            PySystemError::new_err("internal error (panic) in a cffi export function").restore(py);
            failed
        }
    }
}

/// Runs an export's body, out of line: inlined into the panic guard, a
/// body's error paths made its common path spill hundreds of stack slots
/// per call (the struct argument of `to_c` cost 700 instructions, 200
/// once apart).
#[inline(never)]
fn body<T>(f: impl FnOnce(Python<'_>) -> PyResult<T>, py: Python<'_>) -> PyResult<T> {
    f(py)
}

/// The object generated code passed, borrowed for the call.
///
/// # Safety
/// `obj` is NULL or a live object the caller holds a reference to.
unsafe fn object<'a>(py: Python<'_>, obj: *mut ffi::PyObject) -> PyResult<Borrowed<'a, '_, PyAny>> {
    if obj.is_null() {
        return Err(PySystemError::new_err(
            "NULL object passed to a cffi export",
        ));
    }
    // SAFETY: as the caller promises.
    Ok(unsafe { Borrowed::from_ptr(py, obj) })
}

/// The ctype generated code read from its `types` table (§5.3).
///
/// # Safety
/// `ct` is a word of a realized slot: a pointer to a live `CType`, which
/// the runtime stored there and keeps for the life of the process.
unsafe fn ctype<'a>(py: Python<'_>, ct: *mut c_void) -> PyResult<Borrowed<'a, '_, CType>> {
    if ct.is_null() || (ct as usize) & 1 != 0 {
        return Err(PySystemError::new_err(
            "cffi export called with a type slot that was never realized",
        ));
    }
    // SAFETY: an even, non-NULL slot word is a ctype the runtime stored
    // (`Hooks::write_back` writes nothing else), alive forever.
    Ok(unsafe { Borrowed::from_ptr(py, ct.cast()).cast_unchecked::<CType>() })
}

/// The value of an exact Python int that fits `min..=max`, read without
/// creating any object: the common case of slots 1..8.
///
/// # Safety
/// `obj` is a live object; the GIL is held.
#[inline]
unsafe fn small_int(obj: *mut ffi::PyObject, min: i64, max: i64) -> Option<i64> {
    // SAFETY: a type check and a conversion that cannot fail for an exact
    // int (overflow is reported in `overflow`, not as an exception).
    unsafe {
        if obj.is_null() || ffi::PyLong_CheckExact(obj) == 0 {
            return None;
        }
        let mut overflow = 0;
        let v = ffi::PyLong_AsLongLongAndOverflow(obj, &raw mut overflow);
        (overflow == 0 && (min..=max).contains(&v)).then_some(v)
    }
}

/// The C memory of a value of `ct` at `addr`, for exports given an
/// address by generated code.
///
/// # Safety
/// `addr` holds a value of `ct` (or `size` bytes when given), valid and
/// writable for the call.
unsafe fn memory<'a>(addr: *mut c_char, ct: &CType) -> PyResult<Region<'a>> {
    if addr.is_null() {
        return Err(PySystemError::new_err(
            "NULL address passed to a cffi export",
        ));
    }
    Ok(match ct.size() {
        // SAFETY: as the caller promises.
        Some(size) => unsafe { Region::new(addr as usize, size as usize) },
        // SAFETY: as the caller promises; the conversions stay in bounds.
        None => unsafe { Region::open(addr as usize) },
    })
}

/// The values of a C integer of `bits` bits.
const fn c_range(bits: u32, signed: bool) -> (i128, i128) {
    if signed {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    } else {
        (0, (1i128 << bits) - 1)
    }
}

/// Slots 1..8 (the general path, after [`small_int`]): a Python integer
/// (or an object with `__int__`, or an integer cdata) as a C integer of
/// `bits` bits, with the original's messages.
fn integer(obj: &Bound<'_, PyAny>, bits: u32, signed: bool) -> PyResult<i128> {
    let value = convert::integer_value(obj)?;
    if signed && !(i128::from(i64::MIN)..=i128::from(i64::MAX)).contains(&value) {
        return Err(PyOverflowError::new_err("int too big to convert"));
    }
    if !signed && value < 0 {
        return Err(PyOverflowError::new_err(
            "can't convert negative number to unsigned",
        ));
    }
    if !signed && value > i128::from(u64::MAX) {
        return Err(PyOverflowError::new_err("int too big to convert"));
    }
    let (min, max) = c_range(bits, signed);
    if (min..=max).contains(&value) {
        return Ok(value);
    }
    let what = if signed { "int" } else { "unsigned int" };
    Err(PyOverflowError::new_err(format!(
        "integer {} does not fit '{bits}-bit {what}'",
        obj.str()?
    )))
}

macro_rules! integer_export {
    ($name:ident, $ret:ty, $bits:expr, $signed:expr) => {
        /// An integer argument (docs/protocol.md §6.2, slots 1..8);
        /// −1 with an exception on error.
        ///
        /// # Safety
        /// Called by generated code with the GIL and a live object.
        unsafe extern "C" fn $name(obj: *mut ffi::PyObject) -> $ret {
            let (min, max) = c_range($bits, $signed);
            let (min, max) = (
                min.max(i128::from(i64::MIN)) as i64,
                max.min(i128::from(i64::MAX)) as i64,
            );
            // SAFETY: as the caller promises.
            if let Some(v) = unsafe { small_int(obj, min, max) } {
                return v as $ret;
            }
            guarded(-1i64 as $ret, |py| {
                // SAFETY: as the caller promises.
                let obj = unsafe { object(py, obj)? };
                Ok(integer(&obj, $bits, $signed)? as $ret)
            })
        }
    };
}

integer_export!(to_c_i8, c_int, 8, true);
integer_export!(to_c_u8, c_int, 8, false);
integer_export!(to_c_i16, c_int, 16, true);
integer_export!(to_c_u16, c_int, 16, false);
integer_export!(to_c_i32, c_int, 32, true);
integer_export!(to_c_u32, c_uint, 32, false);
integer_export!(to_c_i64, i64, 64, true);
integer_export!(to_c_u64, u64, 64, false);

/// Slot 9: a 1-byte `bytes` or a `char` cdata; −1 on error.
///
/// # Safety
/// Called by generated code with the GIL and a live object.
unsafe extern "C" fn to_c_char(obj: *mut ffi::PyObject) -> c_int {
    guarded(-1, |py| {
        // SAFETY: as the caller promises.
        let obj = unsafe { object(py, obj)? };
        Ok(c_int::from(convert::char_value(&obj)?))
    })
}

/// Slot 10: a pointer value as a non-owning cdata of pointer type `ct`.
///
/// # Safety
/// Called by generated code with the GIL and a realized type slot.
unsafe extern "C" fn from_c_pointer(ptr: *mut c_char, ct: *mut c_void) -> *mut ffi::PyObject {
    guarded(std::ptr::null_mut(), |py| {
        // SAFETY: as the caller promises.
        let ct = unsafe { ctype(py, ct)? };
        Ok(CData::pointer(ct.to_owned().unbind(), ptr as usize)
            .wrap(py)?
            .into_ptr())
    })
}

/// Slot 11: a cdata (or a file, for `FILE *`; or a builtin of an API
/// module, for a function pointer) as a pointer; NULL with an exception
/// on error.
///
/// # Safety
/// Called by generated code with the GIL, a live object and a realized
/// type slot.
unsafe extern "C" fn to_c_pointer(obj: *mut ffi::PyObject, ct: *mut c_void) -> *mut c_char {
    guarded(std::ptr::null_mut(), |py| {
        // SAFETY: as the caller promises.
        let (obj, ct) = unsafe { (object(py, obj)?, ctype(py, ct)?) };
        pointer_value(py, &obj, ct.get())
    })
}

/// The pointer `obj` stands for as a value of the pointer type `ct`.
fn pointer_value(py: Python<'_>, obj: &Bound<'_, PyAny>, ct: &CType) -> PyResult<*mut c_char> {
    let mut slot = Slot::default();
    match convert::write_arg(ct, obj, &mut slot) {
        Ok(()) => Ok(slot.read_ptr().cast()),
        Err(e) if crate::types::is_file_pointer(ct) => match convert::file::stream_of(py, obj)? {
            Some(stream) => Ok(stream as *mut c_char),
            None => Err(e),
        },
        Err(e) => Err(e),
    }
}

/// Slot 12: the integers of `items` up to the first negative one, as a
/// list (a layout helper of old generated modules).
///
/// # Safety
/// `items` holds a negative number at or before its end.
unsafe extern "C" fn struct_layout_list(items: *const isize) -> *mut ffi::PyObject {
    guarded(std::ptr::null_mut(), |py| {
        if items.is_null() {
            return Err(PySystemError::new_err("NULL array passed to a cffi export"));
        }
        let list = PyList::empty(py);
        let mut at = items;
        loop {
            // SAFETY: the array ends with a negative number (as promised),
            // which stops the walk before its end.
            let v = unsafe { *at };
            if v < 0 {
                break;
            }
            list.append(v)?;
            // SAFETY: still inside the array (see above).
            at = unsafe { at.add(1) };
        }
        Ok(list.into_ptr())
    })
}

/// Slot 13: this thread's saved errno into C's `errno`, before a call.
/// Runs without the GIL; no Python object is touched.
extern "C" fn restore_errno() {
    let _ = catch_unwind(|| ffi_runtime::errno::set(ffi_runtime::errno::saved()));
}

/// Slot 14: C's `errno` saved for `ffi.errno`, after a call. Runs without
/// the GIL; no Python object is touched.
extern "C" fn save_errno() {
    let _ = catch_unwind(|| ffi_runtime::errno::set_saved(ffi_runtime::errno::get()));
}

/// Slot 15: a `char` result as a 1-byte `bytes`.
extern "C" fn from_c_char(c: c_char) -> *mut ffi::PyObject {
    guarded(std::ptr::null_mut(), |py| {
        Ok(PyBytes::new(py, &[c as u8]).into_any().into_ptr())
    })
}

/// Slot 16: the value of type `ct` at `addr` (enum, `long double`,
/// complex results).
///
/// # Safety
/// Called with the GIL; `addr` holds a value of the realized type `ct`.
unsafe extern "C" fn from_c_deref(addr: *mut c_char, ct: *mut c_void) -> *mut ffi::PyObject {
    guarded(std::ptr::null_mut(), |py| {
        // SAFETY: as the caller promises.
        let ct = unsafe { ctype(py, ct)? };
        // SAFETY: as the caller promises.
        let mem = unsafe { memory(addr, ct.get())? };
        let value = match &ct.get().kind {
            Kind::Record { .. } => mem
                .with_bytes(|b| convert::owned_copy(py, ct.as_unbound(), b))?
                .into_any(),
            _ => convert::read(py, ct.as_unbound(), mem, &py.None())?,
        };
        Ok(value.into_ptr())
    })
}

/// Slot 17: `obj` converted to type `ct` and stored at `addr` (struct,
/// union, enum and complex arguments); 0, or −1 with an exception.
///
/// # Safety
/// Called with the GIL; `addr` has room for a value of the realized type
/// `ct`.
unsafe extern "C" fn to_c(addr: *mut c_char, ct: *mut c_void, obj: *mut ffi::PyObject) -> c_int {
    guarded(-1, |py| {
        // SAFETY: as the caller promises.
        let (ct, obj) = unsafe { (ctype(py, ct)?, object(py, obj)?) };
        // SAFETY: as the caller promises.
        let mem = unsafe { memory(addr, ct.get())? };
        // A struct cdata of this very type (the common struct argument) is
        // copied as it is.
        if let (Kind::Record { .. }, Ok(cd)) = (&ct.get().kind, obj.cast::<CData>()) {
            if cd.get().ctype.get().id == ct.get().id {
                // The cdata's region may be longer than the value (a
                // global variable's is open-ended): the value's bytes.
                if let Some(src) = cd.get().region(py)?.try_at(0, mem.len()) {
                    mem.copy_from(src);
                    return Ok(0);
                }
            }
        }
        convert::write(py, ct.get(), &obj, mem)?;
        Ok(0)
    })
}

/// Slot 18: a new owning cdata holding a copy of the struct or union at
/// `addr` (by-value results).
///
/// # Safety
/// Called with the GIL; `addr` holds a value of the realized type `ct`.
unsafe extern "C" fn from_c_struct(addr: *mut c_char, ct: *mut c_void) -> *mut ffi::PyObject {
    guarded(std::ptr::null_mut(), |py| {
        // SAFETY: as the caller promises.
        let ct = unsafe { ctype(py, ct)? };
        // SAFETY: as the caller promises.
        let mem = unsafe { memory(addr, ct.get())? };
        let copy = mem.with_bytes(|b| convert::owned_copy(py, ct.as_unbound(), b))?;
        Ok(copy.into_ptr())
    })
}

/// C's `wchar_t`.
#[cfg(windows)]
type WChar = u16;
/// C's `wchar_t`.
#[cfg(not(windows))]
type WChar = i32;

/// The width of `wchar_t` here.
const WCHAR_SIZE: u32 = size_of::<WChar>() as u32;

/// Slot 19: a 1-character `str` (or wide-character cdata) as `wchar_t`.
///
/// # Safety
/// Called with the GIL and a live object.
unsafe extern "C" fn to_c_wchar_t(obj: *mut ffi::PyObject) -> WChar {
    guarded(-1i32 as WChar, |py| {
        // SAFETY: as the caller promises.
        let obj = unsafe { object(py, obj)? };
        Ok(convert::wide_char_value(&obj, WCHAR_SIZE)? as WChar)
    })
}

/// A code unit as a 1-character `str`.
fn wide_str(py: Python<'_>, code: u32) -> PyResult<*mut ffi::PyObject> {
    let chr = py.import("builtins")?.getattr("chr")?;
    match chr.call1((code,)) {
        Ok(s) => Ok(s.into_ptr()),
        Err(_) => Err(crate::object::wide_out_of_range(i64::from(code))),
    }
}

/// Slot 20: a `wchar_t` result as a 1-character `str`.
extern "C" fn from_c_wchar_t(c: WChar) -> *mut ffi::PyObject {
    guarded(std::ptr::null_mut(), |py| wide_str(py, c as u32))
}

/// Slot 21's bytes: `long double` (x87) as its 16 bytes, for the C shim
/// that returns it (Rust has no `long double` return). 0, or −1 with an
/// exception. Its name starts with `_`: the module exports it (the shim
/// links to it), and cffi's suite allows only such names besides
/// `PyInit__cffi_backend` (`test_no_unknown_exported_symbols`).
///
/// # Safety
/// Called with the GIL and a live object; `out` has room for 16 bytes.
#[no_mangle]
pub unsafe extern "C" fn _cffipy_long_double_bytes(obj: *mut ffi::PyObject, out: *mut u8) -> c_int {
    guarded(-1, |py| {
        // SAFETY: as the caller promises.
        let obj = unsafe { object(py, obj)? };
        let bytes = match obj.cast::<CData>().ok().and_then(|cd| cd.get().prim()) {
            Some(ffi_runtime::value::Prim::LongDouble(b)) => b,
            _ => ffi_runtime::f64_to_long_double(obj.extract::<f64>()?),
        };
        // SAFETY: `out` has room for 16 bytes, as the caller promises.
        let out = unsafe { Region::new(out as usize, 16) };
        out.write_bytes(&bytes);
        Ok(0)
    })
}

unsafe extern "C" {
    /// Slot 21, in C (src/capi/shim.c): returns a `long double`.
    fn cffipy_to_c_long_double(obj: *mut ffi::PyObject);
}

/// Slot 22: only 0 and 1; anything else is an `OverflowError`.
///
/// # Safety
/// Called with the GIL and a live object.
unsafe extern "C" fn to_c_bool(obj: *mut ffi::PyObject) -> u8 {
    guarded(1, |py| {
        // SAFETY: as the caller promises.
        let obj = unsafe { object(py, obj)? };
        let value = integer(&obj, 64, true)?;
        match value {
            0 | 1 => Ok(value as u8),
            _ => Err(PyOverflowError::new_err(format!(
                "integer {} does not fit '_Bool'",
                obj.str()?
            ))),
        }
    })
}

/// The bytes of temporary storage a list, tuple or string argument for
/// the pointer type `ct` needs, if it is one (slot 23).
fn temporary_size(ct: &CType, obj: &Bound<'_, PyAny>) -> PyResult<Option<usize>> {
    let Kind::Pointer { item } = &ct.kind else {
        return Ok(None);
    };
    let item = item.get();
    let initializer = obj.is_instance_of::<PyList>()
        || obj.is_instance_of::<PyTuple>()
        || (obj.is_instance_of::<PyString>() && convert::is_wide_item(item));
    if !initializer {
        return Ok(None);
    }
    let count = convert::open_array_length(ct, item, obj)?;
    let Some(size) = item.size().filter(|&s| s > 0) else {
        return Ok(None);
    };
    let total = (count as u64)
        .checked_mul(size)
        .filter(|&t| isize::try_from(t).is_ok())
        .ok_or_else(|| PyOverflowError::new_err("array size would overflow a Py_ssize_t"))?;
    Ok(Some(total.max(1) as usize))
}

/// The address a cdata of exactly the pointer type `ct` holds (the common
/// pointer argument), if `obj` is one.
fn same_pointer(py: Python<'_>, obj: &Bound<'_, PyAny>, ct: &CType) -> PyResult<Option<usize>> {
    match obj.cast::<CData>() {
        Ok(cd) if cd.get().ctype.get().id == ct.id => Ok(Some(cd.get().data_addr(py)?)),
        _ => Ok(None),
    }
}

/// The characters of a `bytes` argument for a pointer to a one-byte
/// character or integer type (kept alive by the caller's reference).
fn byte_string(obj: &Bound<'_, PyAny>, ct: &CType) -> Option<*mut c_char> {
    let Kind::Pointer { item } = &ct.kind else {
        return None;
    };
    let byte_item = convert::is_byte_item(item.get());
    let bytes = obj.cast_exact::<PyBytes>().ok().filter(|_| byte_item)?;
    Some(bytes.as_bytes().as_ptr().cast_mut().cast())
}

/// Slot 23: for a `T *` parameter, 0 after storing the pointer at `out`,
/// or the bytes of temporary storage a list, tuple or string initializer
/// needs (filled by slot 24), or −1 with an exception.
///
/// # Safety
/// Called with the GIL, a realized type slot, a live object and a
/// writable `out`.
unsafe extern "C" fn prepare_pointer_call_argument(
    ct: *mut c_void,
    obj: *mut ffi::PyObject,
    out: *mut *mut c_char,
) -> isize {
    guarded(-1, |py| {
        // SAFETY: as the caller promises.
        let (ct, obj) = unsafe { (ctype(py, ct)?, object(py, obj)?) };
        let ptr = if let Some(addr) = same_pointer(py, &obj, ct.get())? {
            addr as *mut c_char
        } else if let Some(bytes) = byte_string(&obj, ct.get()) {
            bytes
        } else if let Some(size) = temporary_size(ct.get(), &obj)? {
            return Ok(size as isize);
        } else {
            pointer_value(py, &obj, ct.get())?
        };
        if out.is_null() {
            return Err(PySystemError::new_err(
                "NULL output passed to a cffi export",
            ));
        }
        // SAFETY: `out` is writable, as the caller promises.
        let out = unsafe { Region::new(out as usize, size_of::<usize>()) };
        let mut slot = Slot::default();
        slot.write_ptr(ptr.cast());
        out.store(&slot, size_of::<usize>());
        Ok(0)
    })
}

/// Slot 24: fills the temporary storage of slot 23 from the initializer;
/// 0, or −1 with an exception.
///
/// # Safety
/// Called with the GIL; `buf` has the room slot 23 asked for, for the
/// same type and object.
unsafe extern "C" fn convert_array_from_object(
    buf: *mut c_char,
    ct: *mut c_void,
    obj: *mut ffi::PyObject,
) -> c_int {
    guarded(-1, |py| {
        // SAFETY: as the caller promises.
        let (ct, obj) = unsafe { (ctype(py, ct)?, object(py, obj)?) };
        let Kind::Pointer { item } = &ct.get().kind else {
            return Err(PyTypeError::new_err(format!(
                "expected a pointer ctype, got '{}'",
                ct.get().cname
            )));
        };
        let Some(size) = temporary_size(ct.get(), &obj)? else {
            return Err(PyTypeError::new_err("expected a list, tuple or string"));
        };
        let item = item.get();
        let len = size / item.size().unwrap_or(1).max(1) as usize;
        if buf.is_null() {
            return Err(PySystemError::new_err(
                "NULL buffer passed to a cffi export",
            ));
        }
        // SAFETY: `buf` has `size` bytes, as the caller promises.
        let mem = unsafe { Region::new(buf as usize, size) };
        let open = crate::convert::open_array_of(py, item)?;
        convert::write_array(py, open.get(), item, len, &obj, mem)?;
        Ok(0)
    })
}

/// The other wide type's size: `char16_t` where `wchar_t` has 4 bytes.
const OTHER_WIDE_SIZE: u32 = if WCHAR_SIZE == 4 { 2 } else { 4 };

/// Slot 26: a 1-character `str` as whichever of `char16_t`/`char32_t`
/// is not as wide as `wchar_t`.
///
/// # Safety
/// Called with the GIL and a live object.
unsafe extern "C" fn to_c_wchar3216_t(obj: *mut ffi::PyObject) -> c_int {
    guarded(-1, |py| {
        // SAFETY: as the caller promises.
        let obj = unsafe { object(py, obj)? };
        Ok(convert::wide_char_value(&obj, OTHER_WIDE_SIZE)? as c_int)
    })
}

/// Slot 27: the inverse of slot 26.
extern "C" fn from_c_wchar3216_t(c: c_int) -> *mut ffi::PyObject {
    guarded(std::ptr::null_mut(), |py| wide_str(py, c as u32))
}

/// The table, in the original's order (slot 0 unused).
pub fn table() -> [*const c_void; COUNT] {
    [
        std::ptr::null(),
        to_c_i8 as *const c_void,
        to_c_u8 as *const c_void,
        to_c_i16 as *const c_void,
        to_c_u16 as *const c_void,
        to_c_i32 as *const c_void,
        to_c_u32 as *const c_void,
        to_c_i64 as *const c_void,
        to_c_u64 as *const c_void,
        to_c_char as *const c_void,
        from_c_pointer as *const c_void,
        to_c_pointer as *const c_void,
        struct_layout_list as *const c_void,
        restore_errno as *const c_void,
        save_errno as *const c_void,
        from_c_char as *const c_void,
        from_c_deref as *const c_void,
        to_c as *const c_void,
        from_c_struct as *const c_void,
        to_c_wchar_t as *const c_void,
        from_c_wchar_t as *const c_void,
        cffipy_to_c_long_double as *const c_void,
        to_c_bool as *const c_void,
        prepare_pointer_call_argument as *const c_void,
        convert_array_from_object as *const c_void,
        super::extern_python::call_python as *const c_void,
        to_c_wchar3216_t as *const c_void,
        from_c_wchar3216_t as *const c_void,
    ]
}
