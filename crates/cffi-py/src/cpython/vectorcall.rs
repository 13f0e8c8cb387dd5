//! A vectorcall entry for the instances of a PyO3 class.
//!
//! A call through `tp_call` costs an argument tuple built by CPython and
//! PyO3's `*args`/`**kwargs` parsing. A class whose instances carry an
//! [`Entry`] field, and whose type gets `tp_vectorcall_offset` pointing at
//! it, is called with the argument array the interpreter already has.
//!
//! PyO3 offers no vectorcall for its classes, and the limited API of 3.11
//! exposes neither `tp_vectorcall_offset` nor the flag. Both are set here
//! in the type object, whose head has been laid out alike from CPython 3.8
//! to 3.14 — after checking, through what Python shows of the type
//! (`__basicsize__`, `__flags__`, the `tp_call` slot), that the head is
//! where it is expected. Where it is not (a different build), nothing is
//! changed and calls go through `tp_call` as before.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::PyClass;
use std::ffi::{c_char, c_ulong, c_void};

/// What the interpreter calls: CPython's `vectorcallfunc`.
pub type Entry = ffi::vectorcallfunc;

/// The Rust side of a vectorcall entry made by [`entry`].
pub trait Handler {
    /// Calls `callable` with the positional arguments `args`; `keywords`
    /// says whether keyword arguments were given too.
    ///
    /// # Safety
    /// Each pointer of `args` is a live object, kept alive for the call.
    unsafe fn call(
        py: Python<'_>,
        callable: Borrowed<'_, '_, PyAny>,
        args: &[*mut ffi::PyObject],
        keywords: bool,
    ) -> PyResult<Py<PyAny>>;
}

/// The start of CPython's `PyTypeObject` (3.8 to 3.14, builds with the
/// GIL), as far as `tp_flags`.
#[repr(C)]
pub(super) struct TypeHead {
    pub(super) ob_refcnt: isize,
    pub(super) ob_type: *mut c_void,
    pub(super) ob_size: isize,
    pub(super) tp_name: *const c_char,
    pub(super) tp_basicsize: isize,
    pub(super) tp_itemsize: isize,
    pub(super) tp_dealloc: *mut c_void,
    pub(super) tp_vectorcall_offset: isize,
    pub(super) tp_getattr: *mut c_void,
    pub(super) tp_setattr: *mut c_void,
    pub(super) tp_as_async: *mut c_void,
    pub(super) tp_repr: *mut c_void,
    pub(super) tp_as_number: *mut c_void,
    pub(super) tp_as_sequence: *mut c_void,
    pub(super) tp_as_mapping: *mut c_void,
    pub(super) tp_hash: *mut c_void,
    pub(super) tp_call: *mut c_void,
    pub(super) tp_str: *mut c_void,
    pub(super) tp_getattro: *mut c_void,
    pub(super) tp_setattro: *mut c_void,
    pub(super) tp_as_buffer: *mut c_void,
    pub(super) tp_flags: c_ulong,
}

/// `Py_TPFLAGS_HAVE_VECTORCALL`.
const HAVE_VECTORCALL: c_ulong = 1 << 11;
/// `PY_VECTORCALL_ARGUMENTS_OFFSET`.
const ARGUMENTS_OFFSET: usize = 1 << (usize::BITS - 1);

/// Sets `tp_vectorcall_offset` and the flag on `T`'s type so that calls
/// read the entry at `field` of each instance, if the type's head is laid
/// out as [`TypeHead`] says; `obj` is an instance and `field` its entry
/// (`None`, a null pointer, in instances that are not callable: CPython
/// then falls back to `tp_call`). Returns whether it did.
// A reference to the field itself: its address is what counts.
pub fn install<T: PyClass>(
    obj: &Bound<'_, T>,
    field: &std::sync::atomic::AtomicUsize,
) -> PyResult<bool> {
    let py = obj.py();
    let offset = std::ptr::from_ref(field) as isize - obj.as_ptr() as isize;
    let basicsize: isize = obj
        .as_any()
        .get_type()
        .getattr("__basicsize__")?
        .extract()?;
    if offset <= 0 || offset + size_of::<usize>() as isize > basicsize {
        return Ok(false);
    }
    let Some(head) = checked_head::<T>(py, ffi::Py_tp_call, |h| h.tp_call)? else {
        return Ok(false);
    };
    // SAFETY: `checked_head` found the head laid out as `TypeHead` says;
    // the GIL is held, and no instance has been called yet through the
    // type's slots with the new values half set (the offset is set
    // before the flag that makes CPython read it).
    unsafe {
        (*head).tp_vectorcall_offset = offset;
        (*head).tp_flags |= HAVE_VECTORCALL;
        ffi::PyType_Modified(T::type_object_raw(py));
    }
    Ok(true)
}

/// Makes calls of the class `T` itself (`T(...)`, which constructs an
/// instance) go to `H` with the interpreter's argument array, instead of
/// through `type`'s `tp_call` (an argument tuple, `tp_new` through PyO3's
/// `*args`/`**kwargs` parsing, `tp_init`). Calls with keyword arguments
/// still go that way. The entry is stored in the type object's
/// `tp_vectorcall`, at the offset from which CPython's `type` reads it
/// (`type`'s own `tp_vectorcall_offset`), once `type`'s head is found laid
/// out as [`TypeHead`] says, `type` has the vectorcall flag, the offset is
/// inside a heap type object, and `T`'s slot there is still empty.
/// Returns whether it did.
pub fn install_constructor<T: PyClass, H: Handler>(py: Python<'_>) -> PyResult<bool> {
    let meta = py.get_type::<pyo3::types::PyType>();
    let Some(head) = checked_head_of(&meta, ffi::Py_tp_call, |h| h.tp_call)? else {
        return Ok(false);
    };
    let ours = T::type_object_raw(py);
    // SAFETY: `checked_head_of` found `type`'s head laid out as `TypeHead`
    // says (its basic size, that of a heap type object, included); it is
    // only read here. `T`'s type object is a heap type of that size; the
    // word at `offset` is inside it, and written (with the GIL held,
    // before any call of `T`) only once it reads as empty.
    unsafe {
        let (basicsize, flags) = ((*head).tp_basicsize, (*head).tp_flags);
        let offset = (*head).tp_vectorcall_offset;
        let inside = offset >= size_of::<TypeHead>() as isize
            && offset % size_of::<usize>() as isize == 0
            && offset + size_of::<usize>() as isize <= basicsize;
        if flags & HAVE_VECTORCALL == 0 || !inside {
            return Ok(false);
        }
        // `offset` is a multiple of a word (checked above), and type
        // objects are word-aligned.
        #[allow(clippy::cast_ptr_alignment)]
        let slot = ours.cast::<u8>().offset(offset).cast::<Option<Entry>>();
        if slot.read().is_some() {
            return Ok(false);
        }
        slot.write(Some(construct::<H>));
        ffi::PyType_Modified(ours);
    }
    Ok(true)
}

/// The constructor entry of [`install_constructor`]: keyword arguments
/// go through `type`'s `tp_call` as without it.
unsafe extern "C" fn construct<H: Handler>(
    callable: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargsf: usize,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: as CPython calls a vectorcall entry; `kwnames` is NULL or a
    // tuple.
    unsafe {
        if !kwnames.is_null() && ffi::PyTuple_Size(kwnames) > 0 {
            return call_tp_call(callable, args, nargsf, kwnames);
        }
        vectorcall::<H>(callable, args, nargsf, kwnames)
    }
}

/// `T`'s type object as a [`TypeHead`], if its head is laid out so: the
/// basic size and flags Python reports for the type are in the head, and
/// so is the (non-NULL) value `PyType_GetSlot(slot)` reports, where
/// `field` says. The caller may then write the head's fields.
pub(super) fn checked_head<T: PyClass>(
    py: Python<'_>,
    slot: std::ffi::c_int,
    field: fn(&TypeHead) -> *mut c_void,
) -> PyResult<Option<*mut TypeHead>> {
    checked_head_of(&py.get_type::<T>(), slot, field)
}

/// [`checked_head`] of any type object (`type` itself, for
/// [`install_constructor`]).
fn checked_head_of(
    ty: &Bound<'_, pyo3::types::PyType>,
    slot: std::ffi::c_int,
    field: fn(&TypeHead) -> *mut c_void,
) -> PyResult<Option<*mut TypeHead>> {
    let Some(head) = agreeing_head(ty)? else {
        return Ok(None);
    };
    // SAFETY: `head` is the live type object's head, laid out as
    // `TypeHead` says (`agreeing_head`); it is only read, to compare the
    // field with what CPython reports for the slot.
    unsafe {
        let reported = ffi::PyType_GetSlot(ty.as_type_ptr(), slot);
        Ok((!reported.is_null() && field(&*head) == reported).then_some(head))
    }
}

/// The head of the type object `ty`, if it is laid out as [`TypeHead`]
/// says: its size and flags there agree with what CPython reports.
fn agreeing_head(ty: &Bound<'_, pyo3::types::PyType>) -> PyResult<Option<*mut TypeHead>> {
    let basicsize: isize = ty.getattr("__basicsize__")?.extract()?;
    let flags: c_ulong = ty.getattr("__flags__")?.extract()?;
    let head = ty.as_type_ptr().cast::<TypeHead>();
    // SAFETY: `ty` is a live type object, which is larger than `TypeHead`
    // on every CPython; these fields are only read, to compare them with
    // what CPython reports through the public API.
    let agree = unsafe { (*head).tp_basicsize == basicsize && (*head).tp_flags == flags };
    Ok(agree.then_some(head))
}

/// C's `tp_name` of `ty` (what CPython and the original's messages name
/// a type by), read where its type object is laid out as [`TypeHead`]
/// says ([`agreeing_head`]). `None` elsewhere.
pub fn tp_name(ty: &Bound<'_, pyo3::types::PyType>) -> Option<String> {
    let head = agreeing_head(ty).ok()??;
    // SAFETY: the head is laid out as `TypeHead` says; its name is a
    // NUL-terminated string the type owns, alive while it is.
    unsafe {
        let name = (*head).tp_name;
        (!name.is_null()).then(|| {
            std::ffi::CStr::from_ptr(name)
                .to_string_lossy()
                .into_owned()
        })
    }
}

/// The entry to store in instances whose calls `H` handles.
pub fn entry<H: Handler>() -> Entry {
    vectorcall::<H>
}

/// The vectorcall entry: `args` holds the positional arguments, then the
/// values of the keyword arguments named in `kwnames`.
unsafe extern "C" fn vectorcall<H: Handler>(
    callable: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargsf: usize,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: CPython calls this with the thread attached.
    let py = unsafe { Python::assume_attached() };
    // A panic must not unwind into C. (Not `super::guarded`: a call is
    // never declined, and the plain result keeps calls a few
    // instructions shorter.)
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: `callable` is alive for the call; `args` holds `nargs`
        // borrowed references, alive for the call, and `kwnames` is NULL
        // or a tuple.
        unsafe {
            let keywords = !kwnames.is_null() && ffi::PyTuple_Size(kwnames) > 0;
            let nargs = nargsf & !ARGUMENTS_OFFSET;
            let raw: &[*mut ffi::PyObject] = if nargs == 0 {
                &[]
            } else {
                std::slice::from_raw_parts(args, nargs)
            };
            // The result becomes a pointer inside: what crosses the
            // unwinding guard fits a register.
            match H::call(py, Borrowed::from_ptr(py, callable), raw, keywords) {
                Ok(obj) => obj.into_ptr(),
                Err(e) => {
                    e.restore(py);
                    std::ptr::null_mut()
                }
            }
        }
    }));
    result.unwrap_or_else(|_| {
        pyo3::exceptions::PySystemError::new_err("internal error (panic) in a C call").restore(py);
        std::ptr::null_mut()
    })
}

/// How many tags [`tag`] gives.
pub const TAGS: usize = 16;

/// Vectorcall entries that mark instances of a class whose `Entry` field
/// holds something other than an entry (the layout tags of `object`):
/// called, each does what CPython does without vectorcall, the type's
/// `tp_call` with an argument tuple. Telling them apart must be cheap (it
/// is done on every cdata access), so on x86-64 and AArch64 they are 16
/// slots of 16 bytes in one table, each a jump to the same function: a
/// word is a tag if it falls in the table, and which one is its offset.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod tag_table {
    /// A jump to the entry, in one slot.
    #[cfg(target_arch = "x86_64")]
    macro_rules! jump {
        () => {
            "jmp {body}"
        };
    }
    #[cfg(target_arch = "aarch64")]
    macro_rules! jump {
        () => {
            "b {body}"
        };
    }

    std::arch::global_asm!(
        ".pushsection .text.cffi_py_vectorcall_tags,\"ax\",@progbits",
        ".p2align 4",
        ".hidden cffi_py_vectorcall_tags",
        ".globl cffi_py_vectorcall_tags",
        "cffi_py_vectorcall_tags:",
        ".rept 16",
        jump!(),
        ".p2align 4",
        ".endr",
        ".popsection",
        body = sym super::tag_entry,
    );

    unsafe extern "C" {
        /// The table: `TAGS` slots of `STRIDE` bytes of code.
        static cffi_py_vectorcall_tags: [u8; super::TAGS * STRIDE];
    }

    /// Bytes per slot.
    pub const STRIDE: usize = 16;

    /// Where the table starts.
    #[inline(always)]
    #[allow(clippy::inline_always)] // the address of a symbol
    pub fn base() -> usize {
        // Only the address of the code is taken.
        (&raw const cffi_py_vectorcall_tags) as usize
    }
}

/// The `i`th tag (`i < TAGS`), as a word.
pub fn tag(i: usize) -> usize {
    assert!(i < TAGS);
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    {
        tag_table::base() + i * tag_table::STRIDE
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        fallback::TAGS_BY_INDEX[i] as usize
    }
}

/// Which tag `word` is, if it is one.
#[inline(always)]
#[allow(clippy::inline_always)] // one subtraction and a compare
pub fn which_tag(word: usize) -> Option<usize> {
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    {
        let d = word.wrapping_sub(tag_table::base());
        (d < TAGS * tag_table::STRIDE).then_some(d / tag_table::STRIDE)
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        fallback::TAGS_BY_INDEX
            .iter()
            .position(|&t| t as usize == word)
    }
}

/// Elsewhere: one function per tag (the const parameter kept in its code,
/// so that no two are merged into one address).
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
mod fallback {
    use super::{ffi, Entry};

    unsafe extern "C" fn each<const K: usize>(
        callable: *mut ffi::PyObject,
        args: *const *mut ffi::PyObject,
        nargsf: usize,
        kwnames: *mut ffi::PyObject,
    ) -> *mut ffi::PyObject {
        std::hint::black_box(K);
        // SAFETY: as CPython calls a vectorcall entry.
        unsafe { super::tag_entry(callable, args, nargsf, kwnames) }
    }

    pub static TAGS_BY_INDEX: [Entry; super::TAGS] = [
        each::<0>, each::<1>, each::<2>, each::<3>, each::<4>, each::<5>, each::<6>, each::<7>,
        each::<8>, each::<9>, each::<10>, each::<11>, each::<12>, each::<13>, each::<14>,
        each::<15>,
    ];
}

/// What every tag runs.
unsafe extern "C" fn tag_entry(
    callable: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargsf: usize,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: as CPython calls a vectorcall entry.
    unsafe { call_tp_call(callable, args, nargsf, kwnames) }
}

/// Calls `callable`'s `tp_call` with the arguments of a vectorcall.
///
/// # Safety
/// As CPython calls a vectorcall entry: attached, `args` holding the
/// positional arguments then the keyword values named in `kwnames`
/// (NULL or a tuple of str).
unsafe fn call_tp_call(
    callable: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargsf: usize,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: the references read are borrowed for the call; the tuple
    // and dict made here are owned and released before returning.
    unsafe {
        let nargs = (nargsf & !ARGUMENTS_OFFSET) as isize;
        let call = ffi::PyType_GetSlot(ffi::Py_TYPE(callable), ffi::Py_tp_call);
        if call.is_null() {
            let py = Python::assume_attached();
            pyo3::exceptions::PyTypeError::new_err("object is not callable").restore(py);
            return std::ptr::null_mut();
        }
        let call: ffi::ternaryfunc = std::mem::transmute(call);
        let tuple = ffi::PyTuple_New(nargs);
        if tuple.is_null() {
            return std::ptr::null_mut();
        }
        for i in 0..nargs {
            let arg = *args.offset(i);
            ffi::Py_INCREF(arg);
            ffi::PyTuple_SetItem(tuple, i, arg);
        }
        let mut kwargs = std::ptr::null_mut();
        let nkw = if kwnames.is_null() {
            0
        } else {
            ffi::PyTuple_Size(kwnames)
        };
        if nkw > 0 {
            kwargs = ffi::PyDict_New();
            if kwargs.is_null() {
                ffi::Py_DECREF(tuple);
                return std::ptr::null_mut();
            }
            for j in 0..nkw {
                let key = ffi::PyTuple_GetItem(kwnames, j);
                if ffi::PyDict_SetItem(kwargs, key, *args.offset(nargs + j)) < 0 {
                    ffi::Py_DECREF(kwargs);
                    ffi::Py_DECREF(tuple);
                    return std::ptr::null_mut();
                }
            }
        }
        let result = call(callable, tuple, kwargs);
        ffi::Py_DECREF(tuple);
        if !kwargs.is_null() {
            ffi::Py_DECREF(kwargs);
        }
        result
    }
}
