//! Plain objects for a PyO3 class: untracked by the cycle collector, and
//! each as large as its own contents.
//!
//! PyO3 makes every class a garbage-collected type, so each instance
//! carries CPython's 16-byte collector header and is tracked. A class
//! whose instances cannot be part of a reference cycle needs neither;
//! [`make_plain`] clears `Py_TPFLAGS_HAVE_GC` on such a type (before it
//! has instances), with the `tp_free` and `tp_dealloc` that go with it.
//! (A `tp_is_gc` asking each instance, as CPython does for type objects,
//! would let a class keep some instances collected; but CPython takes the
//! size of the header before an object from the type's flag alone in
//! places — `sys.getsizeof`, tracemalloc, 3.14's trashcan — so such a
//! class's plain instances would be misread there.)
//!
//! It also clears `Py_TPFLAGS_BASETYPE`, once the PyO3 subclasses exist:
//! a Python subclass of a plain type (whose `subtype_dealloc` would free
//! an object without the header as one with it) cannot be made.
//!
//! Instances are then made by [`Plain::make`]: the object's fixed part
//! (header, the PyO3 value, the weak-reference slot) followed by `extra`
//! bytes the class lays out itself (a tail), in one allocation. The
//! value's type says, in its own fields, whether a tail follows and what
//! it holds; its [`Untracked::drop_attached`] drops the value and its tail.
//!
//! Like the rest of `cpython`, every write to a type object is done after
//! checking, through the public API, that the type is laid out as
//! expected; where it is not, [`make_plain`] declines and changes nothing.

use super::finalize::TypeTail;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::PyClass;
use std::ffi::{c_ulong, c_void};
use std::sync::OnceLock;

/// `Py_TPFLAGS_HAVE_GC`.
const HAVE_GC: c_ulong = 1 << 14;
/// `Py_TPFLAGS_BASETYPE`.
const BASETYPE: c_ulong = 1 << 10;

/// A value kept in plain objects.
pub trait Untracked: PyClass + Sync {
    /// Drops the value at `this` in place, and the tail after its object's
    /// fixed part if it has one, with the thread attached: references are
    /// released now (`Py::drop_ref`), not deferred to PyO3's pool.
    ///
    /// # Safety
    /// `this` is a live value inside an object [`Plain::make`] made; it is
    /// not used again.
    unsafe fn drop_attached(this: *mut Self, py: Python<'_>);
}

/// Where plain objects keep their value and weak-reference slot (one
/// value type per process: `dealloc` reads these).
#[derive(Clone, Copy, PartialEq)]
struct Offsets {
    value: usize,
    weakref: usize,
}

static OFFSETS: OnceLock<Offsets> = OnceLock::new();

/// How to make plain objects of one class.
pub struct Plain<T> {
    tp: usize,
    basicsize: usize,
    value: usize,
    _value: std::marker::PhantomData<fn(T) -> T>,
}

/// Makes `S`'s type (a class whose instances hold a `T` at the start of
/// their contents, with `T`'s weak-reference slot right after it and
/// nothing after that) plain, if it is laid out so and has no instance
/// yet. `T`'s own type first, then its subclasses that add no field.
/// Returns how to make its plain objects, or `None` where it declined.
pub fn make_plain<T: Untracked, S: PyClass>(py: Python<'_>) -> PyResult<Option<Plain<T>>> {
    let ty = py.get_type::<S>();
    let basicsize: usize = ty.getattr("__basicsize__")?.extract()?;
    let weakref: usize = ty.getattr("__weakrefoffset__")?.extract()?;
    let dictoffset: isize = ty.getattr("__dictoffset__")?.extract()?;
    let word = size_of::<usize>();
    let value = size_of::<ffi::PyObject>();
    let offsets = Offsets { value, weakref };
    if weakref != value + size_of::<T>() || basicsize != weakref + word || dictoffset != 0 {
        return Ok(None);
    }
    if *OFFSETS.get_or_init(|| offsets) != offsets {
        return Ok(None);
    }
    let Some(head) =
        super::vectorcall::checked_head::<S>(py, ffi::Py_tp_dealloc, |h| h.tp_dealloc)?
    else {
        return Ok(None);
    };
    let tp = S::type_object_raw(py);
    // SAFETY: `checked_head` found the head where `TypeHead` says; the
    // rest of `TypeTail` follows it on the CPython versions named
    // above, and each field written is first compared with what the
    // public API reports. The GIL is held; the type has no instance yet
    // (the caller's promise), so none was allocated with the collector's
    // header that `PyObject_Free` would not expect.
    unsafe {
        let full = head.cast::<TypeTail>();
        let slot = |s| ffi::PyType_GetSlot(tp, s);
        let agree = (*full).head.tp_flags & HAVE_GC != 0
            && (*full).tp_weaklistoffset == weakref as isize
            && (*full).tp_dictoffset == 0
            && (*full).tp_traverse == slot(ffi::Py_tp_traverse)
            && (*full).tp_alloc == slot(ffi::Py_tp_alloc)
            && (*full).tp_free == slot(ffi::Py_tp_free)
            && !(*full).tp_free.is_null()
            && (*full).tp_is_gc.is_null();
        if !agree {
            return Ok(None);
        }
        (*full).head.tp_flags &= !(HAVE_GC | BASETYPE);
        (*full).tp_free = ffi::PyObject_Free as *mut c_void;
        (*full).head.tp_dealloc = dealloc::<T> as *mut c_void;
        ffi::PyType_Modified(tp);
    }
    Ok(Some(Plain {
        tp: tp as usize,
        basicsize,
        value,
        _value: std::marker::PhantomData,
    }))
}

impl<T: Untracked> Plain<T> {
    /// Where a tail starts, counted from the value.
    pub fn tail_offset(&self) -> usize {
        self.basicsize - self.value
    }

    /// A new object holding `value`, with `extra` bytes after its fixed
    /// part that `tail` fills once the object exists (given the value in
    /// place and the bytes' address; they are zeroed). If the object
    /// cannot be made, `value` is dropped as it is and `tail` is not run:
    /// a value that says it has a tail gets to say so in `tail`.
    ///
    /// # Safety
    /// After `tail`, the value's fields and what `tail` wrote agree: the
    /// value says that a tail of this layout follows (or none, with
    /// `extra` 0).
    // Inlined: its callers make every pointer cdata (calls' results,
    // casts), and left to itself the compiler may keep it out of line.
    #[inline(always)]
    #[allow(clippy::inline_always)]
    pub unsafe fn make(
        &self,
        py: Python<'_>,
        value: T,
        extra: usize,
        tail: impl FnOnce(&T, *mut usize),
    ) -> PyResult<Py<T>> {
        let size = self.basicsize + extra;
        // SAFETY: a fresh block of `size` bytes from CPython's object
        // allocator (what `PyType_GenericAlloc` uses for types without
        // the collector), made an object of the type (`PyObject_Init`
        // sets the header and takes a reference to the heap type, as its
        // instances hold). The value goes where PyO3 keeps it (checked by
        // `make_plain`), and fills the words up to the weak-reference slot,
        // which is set NULL; the tail after it is zeroed. `dealloc` later
        // drops the value and tail and frees the block.
        unsafe {
            let obj = ffi::PyObject_Malloc(size);
            if obj.is_null() {
                return Err(pyo3::exceptions::PyMemoryError::new_err(()));
            }
            let words = obj.cast::<usize>();
            let tail_at = words.add(self.basicsize / size_of::<usize>());
            // The weak-reference slot, the last word of the fixed part.
            tail_at.sub(1).write(0);
            if extra > 0 {
                std::ptr::write_bytes(tail_at.cast::<u8>(), 0, extra);
            }
            let obj = ffi::PyObject_Init(obj.cast(), self.tp as *mut ffi::PyTypeObject);
            let place = obj.byte_add(self.value).cast::<T>();
            place.write(value);
            tail(&*place, tail_at);
            Ok(Bound::from_owned_ptr(py, obj)
                .cast_into_unchecked::<T>()
                .unbind())
        }
    }
}

/// `tp_dealloc` of plain types: clears weak references (callbacks see the
/// object whole), drops the value and its tail, frees the block and
/// releases the type.
unsafe extern "C" fn dealloc<T: Untracked>(obj: *mut ffi::PyObject) {
    // SAFETY: called once by CPython, attached, when the last reference
    // goes, on an object `Plain::make` made (the type is plain only after
    // `make_plain`, before any instance existed); the offsets are the
    // recorded ones.
    unsafe {
        let Some(offsets) = OFFSETS.get() else {
            return;
        };
        let py = Python::assume_attached();
        if !obj
            .byte_add(offsets.weakref)
            .cast::<*mut ffi::PyObject>()
            .read()
            .is_null()
        {
            ffi::PyObject_ClearWeakRefs(obj);
        }
        let value = obj.byte_add(offsets.value).cast::<T>();
        // A panic must not unwind into C; a value that panics while
        // dropping leaks what it still held.
        let _ =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| T::drop_attached(value, py)));
        let tp = ffi::Py_TYPE(obj);
        ffi::PyObject_Free(obj.cast());
        ffi::Py_DECREF(tp.cast());
    }
}
