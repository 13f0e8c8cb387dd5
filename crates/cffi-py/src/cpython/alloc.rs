//! Making objects of a PyO3 class (collected by the cycle collector)
//! without PyO3's initializer.
//!
//! `Py::new` reaches the allocator through `object.__new__` (looked up
//! as a slot, called with an empty tuple), then moves the value in: about
//! a third of the cost of a call returning a pointer. Here the type's own
//! `tp_alloc` is called and the value written where PyO3 keeps it, which
//! is learnt once from an object PyO3 made. That layout — the value, then
//! the weak-reference slot, then room for a tail (a subclass's field);
//! PyO3's other per-object fields are empty for a frozen, `Send` class
//! without `__dict__` — is checked against what the type reports
//! (`__weakrefoffset__`, `__basicsize__`); where it differs (another
//! PyO3), [`Allocator::learn_subclass`] declines. For classes that are
//! not collected, see `plain`.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::PyClass;
use std::marker::PhantomData;

/// Where objects of `T` keep their value, and how they are allocated.
pub struct Allocator<T> {
    alloc: ffi::allocfunc,
    offset: usize,
    /// Bytes after the fixed part (the value, then the weak-reference
    /// slot) that the type's instances have room for: a subclass's field
    /// reserving space for a tail.
    room: usize,
    /// The type objects are made of (`T`'s, or a subclass's: see
    /// [`Allocator::learn_subclass`]), as an address.
    tp: usize,
    _class: PhantomData<fn(T) -> T>,
}

impl<T> Allocator<T>
where
    T: PyClass<Frozen = pyo3::pyclass::boolean_struct::True> + Sync,
{
    /// Learns the layout of `T` (a frozen class with `weakref` and no
    /// `__dict__`) from `sample`, an object PyO3 made of `T`
    /// or of a subclass of `T` whose only field (if any) is room for a
    /// tail right after `T`'s fixed part, whose `T` value is `value`:
    /// objects are then made of `sample`'s type, with the `T` value where
    /// `sample` keeps it.
    pub fn learn_subclass(sample: &Bound<'_, PyAny>, value: &T) -> PyResult<Option<Allocator<T>>> {
        let offset = (std::ptr::from_ref(value) as usize).wrapping_sub(sample.as_ptr() as usize);
        let ty = sample.get_type();
        let basicsize: usize = ty.getattr("__basicsize__")?.extract()?;
        let weakrefoffset: usize = ty.getattr("__weakrefoffset__")?.extract()?;
        let word = size_of::<*mut ffi::PyObject>();
        if offset < size_of::<ffi::PyObject>()
            || offset
                .checked_add(size_of::<T>())
                .is_none_or(|end| end > basicsize)
            || weakrefoffset != offset + size_of::<T>()
            || basicsize < weakrefoffset + word
        {
            return Ok(None);
        }
        let tp = ty.as_type_ptr();
        // SAFETY: a live type object; the slot is read, not called.
        let alloc = unsafe { ffi::PyType_GetSlot(tp, ffi::Py_tp_alloc) };
        if alloc.is_null() {
            return Ok(None);
        }
        // SAFETY: the `Py_tp_alloc` slot holds an `allocfunc`.
        let alloc = unsafe { std::mem::transmute::<*mut std::ffi::c_void, ffi::allocfunc>(alloc) };
        Ok(Some(Allocator {
            alloc,
            offset,
            room: basicsize - weakrefoffset - word,
            tp: tp as usize,
            _class: PhantomData,
        }))
    }

    /// Bytes of room for a tail in the learnt type's instances.
    pub fn room(&self) -> usize {
        self.room
    }

    /// A new object holding `value`, with `tail` filling the first
    /// `extra` bytes (zeroed) of its room for a tail once the object
    /// exists; if it cannot be made, `value` is dropped as it is and
    /// `tail` not run (see `plain::Plain::make`).
    ///
    /// # Safety
    /// After `tail`, `value` and what `tail` wrote agree (see
    /// `plain::Plain::make`), and `extra` is at most [`Allocator::room`].
    pub unsafe fn make_with_tail(
        &self,
        py: Python<'_>,
        value: T,
        extra: usize,
        tail: impl FnOnce(&T, *mut usize),
    ) -> PyResult<Py<T>> {
        debug_assert!(extra <= self.room);
        // SAFETY: `tp_alloc` returns a new, zeroed object of the type's
        // basic size with its header set (or NULL with an exception set).
        // The value is moved to where `learn` found PyO3 keeps it; the
        // weak-reference slot after it stays NULL, as PyO3 leaves it (a
        // subclass adds nothing between, checked by `learn_subclass`);
        // PyO3's deallocator later drops the value from there, as for
        // objects it made.
        unsafe {
            // Heap types live as long as their objects: the class objects
            // of this module live for good.
            let obj = (self.alloc)(self.tp as *mut ffi::PyTypeObject, 0);
            if obj.is_null() {
                return Err(PyErr::fetch(py));
            }
            let place = obj.byte_add(self.offset).cast::<T>();
            place.write(value);
            let at = self.offset + size_of::<T>() + size_of::<usize>();
            tail(&*place, obj.cast::<usize>().add(at / size_of::<usize>()));
            Ok(Bound::from_owned_ptr(py, obj)
                .cast_into_unchecked::<T>()
                .unbind())
        }
    }
}
