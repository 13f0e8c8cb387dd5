//! A faster attribute lookup for a PyO3 class that defines `__getattr__`
//! and caches what it computes in the instance dict (the `Lib` objects).
//!
//! PyO3 makes such a class's `tp_getattro` a wrapper that runs Python's
//! generic lookup and, when that fails, the class's `__getattr__`; the
//! wrapper itself (PyO3's trampoline) costs more than the dict lookup that
//! answers almost every call. [`install`] puts in front of it an entry
//! that looks in the instance dict first and reaches PyO3's wrapper only
//! on a miss. Like `vectorcall.rs`, it writes the type object only after
//! checking, through the public API, that its head is laid out as
//! expected; otherwise nothing changes.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyString;
use pyo3::PyClass;
use std::sync::OnceLock;

/// CPython's `getattrofunc`.
type GetAttro = unsafe extern "C" fn(*mut ffi::PyObject, *mut ffi::PyObject) -> *mut ffi::PyObject;

/// PyO3's own `tp_getattro` of the class, called on a miss.
static FALLBACK: OnceLock<GetAttro> = OnceLock::new();

/// What the class looks up on a dict miss before the generic lookup: a
/// value, or `None` to go on with PyO3's wrapper (see [`install`]).
pub type Miss = fn(&Bound<'_, PyAny>, &Bound<'_, PyString>) -> PyResult<Option<Py<PyAny>>>;

static MISS: OnceLock<Miss> = OnceLock::new();

/// Runs the class's miss hook: a new reference, NULL with an exception,
/// or `None` to fall back. No panic reaches C.
///
/// # Safety
/// The GIL is held; `obj` and `name` are live, `name` a str.
unsafe fn on_miss(obj: *mut ffi::PyObject, name: *mut ffi::PyObject) -> Option<*mut ffi::PyObject> {
    let miss = MISS.get()?;
    // SAFETY: as the caller promises.
    let py = unsafe { Python::assume_attached() };
    // SAFETY: live objects borrowed for the call; `name` is a str (CPython
    // checks attribute names before calling `tp_getattro`).
    let (obj, name) = unsafe {
        (
            Bound::from_borrowed_ptr(py, obj),
            Bound::from_borrowed_ptr(py, name).cast_into_unchecked::<PyString>(),
        )
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| miss(&obj, &name))) {
        Ok(Ok(Some(v))) => Some(v.into_ptr()),
        Ok(Ok(None)) => None,
        Ok(Err(e)) => {
            e.restore(py);
            Some(std::ptr::null_mut())
        }
        Err(_) => {
            pyo3::exceptions::PySystemError::new_err(
                "internal error (panic) in an attribute lookup",
            )
            .restore(py);
            Some(std::ptr::null_mut())
        }
    }
}

/// The entry installed in front of PyO3's: the instance dict first (what
/// the lib has cached, as cffi's own lookup does), then PyO3's wrapper
/// (the generic lookup, then `__getattr__`). A miss raises no exception
/// here, so a first lookup costs no more than PyO3's wrapper alone.
unsafe extern "C" fn getattro(
    obj: *mut ffi::PyObject,
    name: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: CPython calls this with the GIL held and live `obj` and
    // `name`; the dict is a new reference (or NULL with an exception),
    // the item a borrowed one (or NULL, with an exception only on error).
    unsafe {
        let dict = ffi::PyObject_GenericGetDict(obj, std::ptr::null_mut());
        if dict.is_null() {
            ffi::PyErr_Clear();
        } else {
            let found = ffi::PyDict_GetItemWithError(dict, name);
            if !found.is_null() {
                ffi::Py_INCREF(found);
                ffi::Py_DECREF(dict);
                return found;
            }
            ffi::Py_DECREF(dict);
            if !ffi::PyErr_Occurred().is_null() {
                return std::ptr::null_mut();
            }
        }
        if let Some(found) = on_miss(obj, name) {
            return found;
        }
        match FALLBACK.get() {
            Some(fallback) => fallback(obj, name),
            None => ffi::PyObject_GenericGetAttr(obj, name),
        }
    }
}

/// Whether [`install`] installed the entry.
pub fn installed() -> bool {
    FALLBACK.get().is_some()
}

/// Installs [`getattro`] on `T`'s type, with `miss` run on a dict miss
/// and PyO3's `tp_getattro` as the fallback, if the type's head is where
/// `vectorcall::TypeHead` says. Returns whether it did. For one class only
/// (the fallback is global).
pub fn install<T: PyClass>(py: Python<'_>, miss: Miss) -> PyResult<bool> {
    replace_entry::<T>(py, getattro, |fallback| {
        FALLBACK.set(fallback).is_ok() && MISS.set(miss).is_ok()
    })
}

/// Puts `entry` in `S`'s `tp_getattro` if the type's head is where
/// `vectorcall::TypeHead` says and `accept` takes the entry found there
/// (PyO3's, which `accept` keeps as the fallback). Returns whether it did.
fn replace_entry<S: PyClass>(
    py: Python<'_>,
    entry: GetAttro,
    accept: impl FnOnce(GetAttro) -> bool,
) -> PyResult<bool> {
    replace_slot::<S>(
        py,
        ffi::Py_tp_getattro,
        |h| &mut h.tp_getattro,
        entry as *mut std::ffi::c_void,
        |found| {
            // SAFETY: the slot holds a `getattrofunc`.
            let found = unsafe { std::mem::transmute::<*mut std::ffi::c_void, GetAttro>(found) };
            accept(found)
        },
    )
}

/// Puts `entry` in the slot of `S`'s type that `field` designates (the
/// one CPython's `PyType_GetSlot(slot)` reports), if the type's head is
/// where `vectorcall::TypeHead` says and `accept` takes the entry found
/// there (non-NULL). Returns whether it did.
fn replace_slot<S: PyClass>(
    py: Python<'_>,
    slot: std::ffi::c_int,
    field: fn(&mut super::vectorcall::TypeHead) -> &mut *mut std::ffi::c_void,
    entry: *mut std::ffi::c_void,
    accept: impl FnOnce(*mut std::ffi::c_void) -> bool,
) -> PyResult<bool> {
    let read: fn(&super::vectorcall::TypeHead) -> *mut std::ffi::c_void =
        if slot == ffi::Py_tp_setattro {
            |h| h.tp_setattro
        } else {
            |h| h.tp_getattro
        };
    let Some(head) = super::vectorcall::checked_head::<S>(py, slot, read)? else {
        return Ok(false);
    };
    // SAFETY: `checked_head` found the head laid out as `TypeHead` says,
    // and the slot's entry is the one CPython reports (non-NULL); the GIL
    // is held.
    unsafe {
        let place = field(&mut *head);
        if !accept(*place) {
            return Ok(false);
        }
        *place = entry;
        ffi::PyType_Modified(S::type_object_raw(py));
    }
    Ok(true)
}

// ---- classes whose writes a hook answers first (the cdata fields) ------

/// CPython's `setattrofunc`.
type SetAttro = unsafe extern "C" fn(
    *mut ffi::PyObject,
    *mut ffi::PyObject,
    *mut ffi::PyObject,
) -> std::ffi::c_int;

/// A class whose attribute writes are mostly done by [`fast_setattr`]
/// (a struct cdata's number fields): `true` once written, `false` to let
/// PyO3's entry do the whole write (and raise what it raises).
///
/// [`fast_setattr`]: FastSetattr::fast_setattr
pub trait FastSetattr: PyClass {
    fn fast_setattr(
        slf: &Bound<'_, Self>,
        name: &Bound<'_, PyString>,
        value: &Bound<'_, PyAny>,
    ) -> bool;
}

/// PyO3's `tp_setattro` of the classes [`install_fast_set`] took.
static FAST_SET_FALLBACK: OnceLock<SetAttro> = OnceLock::new();

/// The entry [`install_fast_set`] installs: `T`'s hook, without PyO3's
/// trampoline, then PyO3's entry when it declines (and for deletions).
unsafe extern "C" fn setattro_fast<T: FastSetattr>(
    obj: *mut ffi::PyObject,
    name: *mut ffi::PyObject,
    value: *mut ffi::PyObject,
) -> std::ffi::c_int {
    if !value.is_null() {
        // SAFETY: CPython calls this with the GIL held.
        let py = unsafe { Python::assume_attached() };
        // SAFETY: as in `getattro_fast`; `value` is live, borrowed for the
        // call.
        // Borrowed: no reference counting on this path.
        let (slf, text, value) = unsafe {
            (
                Borrowed::from_ptr(py, obj).cast_unchecked::<T>(),
                Borrowed::from_ptr(py, name).cast_unchecked::<PyString>(),
                Borrowed::from_ptr(py, value),
            )
        };
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            T::fast_setattr(&slf, &text, &value)
        })) {
            Ok(true) => return 0,
            Ok(false) => {}
            Err(_) => {
                pyo3::exceptions::PySystemError::new_err(
                    "internal error (panic) in an attribute write",
                )
                .restore(py);
                return -1;
            }
        }
    }
    match FAST_SET_FALLBACK.get() {
        // SAFETY: PyO3's entry of this type, called as CPython calls it.
        Some(fallback) => unsafe { fallback(obj, name, value) },
        // SAFETY: as above.
        None => unsafe { ffi::PyObject_GenericSetAttr(obj, name, value) },
    }
}

/// Installs `T`'s write hook on the type `S` (`T` or a subclass), as
/// [`install_fast`] does for reads. Returns whether it did.
///
/// CPython's `__setattr__`/`__delattr__` wrappers in the class dict (what
/// `obj.__setattr__(...)` calls) refuse to run unless the type's slot is
/// the function they wrap, so they are pointed at the new entry too; if
/// they cannot be (another layout), nothing changes.
pub fn install_fast_set<T: FastSetattr, S: PyClass>(py: Python<'_>) -> PyResult<bool> {
    let entry = setattro_fast::<T> as *mut std::ffi::c_void;
    let (Some(wrapped), Some(wrappers)) = (fast_set_entry::<S>(py)?, own_set_wrappers::<S>(py)?)
    else {
        return Ok(false);
    };
    let replaced = replace_slot::<S>(
        py,
        ffi::Py_tp_setattro,
        |h| &mut h.tp_setattro,
        entry,
        |found| {
            // SAFETY: the slot holds a `setattrofunc`.
            let as_fn = unsafe { std::mem::transmute::<*mut std::ffi::c_void, SetAttro>(found) };
            found as usize == wrapped
                && *FAST_SET_FALLBACK.get_or_init(|| as_fn) as usize == wrapped
        },
    )?;
    if replaced {
        for w in &wrappers {
            // SAFETY: `fast_set_entry` checked that word 6 (`d_wrapped`) of
            // each wrapper held the old entry; it now wraps the new one,
            // which calls the old one for everything it does not do
            // itself. The GIL is held.
            unsafe { *w.as_ptr().cast::<*mut std::ffi::c_void>().add(6) = entry };
        }
    }
    Ok(replaced)
}

/// The instance dict of `obj` (made if it has none yet), without an
/// attribute lookup.
pub fn instance_dict<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
    // SAFETY: a live object; a new reference or NULL with an exception.
    let dict = unsafe {
        Bound::from_owned_ptr_or_err(
            obj.py(),
            ffi::PyObject_GenericGetDict(obj.as_ptr(), std::ptr::null_mut()),
        )?
    };
    Ok(dict.cast_into::<pyo3::types::PyDict>()?)
}

// ---- classes whose reads a hook answers first (the cdata fields) -------

/// A class whose attribute reads are mostly answered by [`fast_getattr`]
/// (a struct cdata's fields): a value, or `None` to let PyO3's entry do
/// the whole lookup.
///
/// [`fast_getattr`]: FastGetattr::fast_getattr
pub trait FastGetattr: PyClass {
    fn fast_getattr(
        slf: &Bound<'_, Self>,
        name: &Bound<'_, PyString>,
    ) -> PyResult<Option<Py<PyAny>>>;
}

/// PyO3's `tp_getattro` of the classes [`install_fast`] took (the same
/// entry for a class and its subclasses, checked there).
static FAST_FALLBACK: OnceLock<GetAttro> = OnceLock::new();

/// The entry [`install_fast`] installs: `T`'s hook, without PyO3's
/// trampoline and argument extraction, then PyO3's entry when it declines.
unsafe extern "C" fn getattro_fast<T: FastGetattr>(
    obj: *mut ffi::PyObject,
    name: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: CPython calls this with the GIL held.
    let py = unsafe { Python::assume_attached() };
    // SAFETY: installed only on `T` and its subclasses (whose instances
    // start with `T`'s layout), so `obj` is a `T`; `name` is a str (CPython
    // checks attribute names before calling `tp_getattro`). Both are
    // borrowed for the call.
    // Borrowed: no reference counting on this path.
    let (slf, text) = unsafe {
        (
            Borrowed::from_ptr(py, obj).cast_unchecked::<T>(),
            Borrowed::from_ptr(py, name).cast_unchecked::<PyString>(),
        )
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        T::fast_getattr(&slf, &text)
    })) {
        Ok(Ok(Some(v))) => v.into_ptr(),
        Ok(Ok(None)) => match FAST_FALLBACK.get() {
            // SAFETY: PyO3's entry of this type, called as CPython calls it.
            Some(fallback) => unsafe { fallback(obj, name) },
            // SAFETY: as above.
            None => unsafe { ffi::PyObject_GenericGetAttr(obj, name) },
        },
        Ok(Err(e)) => {
            e.restore(py);
            std::ptr::null_mut()
        }
        Err(_) => {
            pyo3::exceptions::PySystemError::new_err(
                "internal error (panic) in an attribute lookup",
            )
            .restore(py);
            std::ptr::null_mut()
        }
    }
}

/// Installs `T`'s hook on the type `S` (`T` itself or a subclass: each has
/// its own copy of the slot), if `S`'s head is where
/// `vectorcall::TypeHead` says and its PyO3 entry is the one the classes
/// installed before have. Returns whether it did.
pub fn install_fast<T: FastGetattr, S: PyClass>(py: Python<'_>) -> PyResult<bool> {
    replace_entry::<S>(py, getattro_fast::<T>, |fallback| {
        *FAST_FALLBACK.get_or_init(|| fallback) as usize == fallback as usize
    })
}

/// Whether [`install_fast`] installed its entry on a class.
pub fn fast_installed() -> bool {
    FAST_FALLBACK.get().is_some()
}

/// The `__setattr__`/`__delattr__` wrappers in `S`'s own dict, or `None`
/// if one of them is not CPython's `wrapper_descriptor`.
fn own_set_wrappers<S: PyClass>(py: Python<'_>) -> PyResult<Option<Vec<Bound<'_, PyAny>>>> {
    let own = py.get_type::<S>().getattr("__dict__")?;
    let mut wrappers = Vec::new();
    for name in ["__setattr__", "__delattr__"] {
        if let Some(w) = own.get_item(name).ok().filter(|w| !w.is_none()) {
            if w.get_type().name()?.to_cow()? != "wrapper_descriptor" {
                return Ok(None);
            }
            wrappers.push(w);
        }
    }
    Ok(Some(wrappers))
}

/// What [`install_fast_set`] would find on `S`, writing nothing: the
/// slot's entry, if the head is laid out as expected and every wrapper of
/// `S`'s own dict wraps that entry. The classes are installed all or none
/// (a class left with PyO3's entry under a repointed inherited wrapper
/// would refuse explicit `obj.__setattr__` calls).
pub fn fast_set_entry<S: PyClass>(py: Python<'_>) -> PyResult<Option<usize>> {
    let Some(wrappers) = own_set_wrappers::<S>(py)? else {
        return Ok(None);
    };
    let Some(head) =
        super::vectorcall::checked_head::<S>(py, ffi::Py_tp_setattro, |h| h.tp_setattro)?
    else {
        return Ok(None);
    };
    // SAFETY: `checked_head` found the head laid out as `TypeHead` says;
    // it is only read.
    let found = unsafe { (*head).tp_setattro };
    let wraps_it = wrappers.iter().all(|w| {
        // SAFETY: a live `wrapper_descriptor`, whose C struct is
        // `PyDescr_COMMON` (head, type, name, qualname) then `d_base`,
        // `d_wrapped`: word 6 is the wrapped function; only read.
        unsafe { *w.as_ptr().cast::<*mut std::ffi::c_void>().add(6) == found }
    });
    Ok(wraps_it.then_some(found as usize))
}

/// Whether [`install_fast_set`] installed its entry on a class.
pub fn fast_set_installed() -> bool {
    FAST_SET_FALLBACK.get().is_some()
}
