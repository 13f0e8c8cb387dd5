//! A few (key, value) object pairs recognised by the key's identity,
//! read without a lock: the type strings an FFI saw last (`ffi.cast("int *",
//! p)` in a loop asks for the same str object each time).
//!
//! The pairs are owned by a locked array (replaced only with the GIL
//! held); a copy of their addresses in atomics is what a lookup compares
//! and reads. A lookup runs with the GIL held, so no replacement can
//! happen while it reads, and the owned references keep what it reads
//! alive.

use pyo3::prelude::*;
use pyo3::PyClass;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::Mutex;

type Owned<V> = Option<(Py<PyAny>, Py<V>)>;

/// `N` recently used pairs, each key in the slot its address picks.
pub struct Recent<V: PyClass, const N: usize> {
    owners: Mutex<[Owned<V>; N]>,
    keys: [AtomicPtr<pyo3::ffi::PyObject>; N],
    values: [AtomicPtr<pyo3::ffi::PyObject>; N],
}

impl<V: PyClass, const N: usize> Default for Recent<V, N> {
    fn default() -> Self {
        Recent {
            owners: Mutex::new(std::array::from_fn(|_| None)),
            keys: std::array::from_fn(|_| AtomicPtr::new(std::ptr::null_mut())),
            values: std::array::from_fn(|_| AtomicPtr::new(std::ptr::null_mut())),
        }
    }
}

impl<V: PyClass, const N: usize> Recent<V, N> {
    fn slot(key: &Bound<'_, PyAny>) -> usize {
        (key.as_ptr() as usize >> 4) % N
    }

    /// The value stored with `key` (the same object), if it is there.
    #[inline]
    pub fn get<'py>(&self, key: &Bound<'py, PyAny>) -> Option<Bound<'py, V>> {
        let i = Self::slot(key);
        if self.keys[i].load(Ordering::Relaxed) != key.as_ptr() {
            return None;
        }
        let value = self.values[i].load(Ordering::Relaxed);
        if value.is_null() {
            return None;
        }
        // SAFETY: the GIL is held (`key`'s token), so no `put` or `clear`
        // runs meanwhile; `value` is the address of the value stored with
        // this key, which `owners` holds a reference to until a `put` or
        // `clear` replaces it, and it is a `V` (only `put` stores).
        Some(unsafe { Bound::from_borrowed_ptr(key.py(), value).cast_into_unchecked::<V>() })
    }

    /// Stores `value` with `key`, replacing what that slot held.
    pub fn put(&self, key: &Bound<'_, PyAny>, value: &Py<V>) {
        let py = key.py();
        let i = Self::slot(key);
        let entry = Some((key.clone().unbind(), value.clone_ref(py)));
        let old = {
            let mut owners = self
                .owners
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            self.keys[i].store(key.as_ptr(), Ordering::Relaxed);
            self.values[i].store(value.as_ptr(), Ordering::Relaxed);
            std::mem::replace(&mut owners[i], entry)
        };
        // Released outside the lock: the last reference going may run
        // Python code (weak reference callbacks), which may look here.
        drop(old);
    }

    /// Forgets every pair.
    pub fn clear(&self) {
        let old = {
            let mut owners = self
                .owners
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for (k, v) in self.keys.iter().zip(&self.values) {
                k.store(std::ptr::null_mut(), Ordering::Relaxed);
                v.store(std::ptr::null_mut(), Ordering::Relaxed);
            }
            std::mem::replace(&mut *owners, std::array::from_fn(|_| None))
        };
        drop(old);
    }
}
