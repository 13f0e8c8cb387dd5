//! Type string → ctype, per FFI: each type string is parsed once.
//!
//! A Python dict holds every string met (a lookup uses the hash the str
//! caches). In front of it, a few recently used strings are recognised by
//! identity: a type string in a program is nearly always a constant of
//! its code object, the same object at every call, and comparing an
//! address is a fraction of a dict lookup (`ffi.cast("int *", p)` in a
//! qsort comparator asks for the same object thousands of times).

use crate::types::CType;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use std::sync::Mutex;

/// How many strings are recognised by identity.
const RECENT: usize = 4;

type Entry = Option<(Py<PyString>, Py<CType>)>;

pub(super) struct TypeCache {
    all: Py<PyDict>,
    /// Strong references to the strings, so that an address seen here
    /// cannot be reused by another string while it is cached.
    recent: Mutex<[Entry; RECENT]>,
}

impl TypeCache {
    pub(super) fn new(py: Python<'_>) -> TypeCache {
        TypeCache {
            all: PyDict::new(py).unbind(),
            recent: Mutex::new(Default::default()),
        }
    }

    /// The recent ones (a panic while they were held left them whole).
    fn entries(&self) -> std::sync::MutexGuard<'_, [Entry; RECENT]> {
        self.recent
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Where `key` goes among the recent ones: by its address.
    fn slot(key: &Bound<'_, PyString>) -> usize {
        (key.as_ptr() as usize >> 4) % RECENT
    }

    /// The ctype cached for `key` if it is one of the recent strings
    /// (the same object).
    #[inline]
    pub(super) fn recent_hit<'py>(&self, key: &Bound<'py, PyString>) -> Option<Bound<'py, CType>> {
        let entries = self.entries();
        match &entries[Self::slot(key)] {
            Some((k, ct)) if k.as_ptr() == key.as_ptr() => Some(ct.bind(key.py()).clone()),
            _ => None,
        }
    }

    /// The ctype cached for `key`, if any.
    pub(super) fn get(&self, key: &Bound<'_, PyString>) -> PyResult<Option<Py<CType>>> {
        let py = key.py();
        {
            let recent = self.entries();
            if let Some((k, ct)) = &recent[Self::slot(key)] {
                if k.as_ptr() == key.as_ptr() {
                    return Ok(Some(ct.clone_ref(py)));
                }
            }
        }
        let Some(ct) = self.all.bind(py).get_item(key)? else {
            return Ok(None);
        };
        let ct = ct.cast_into::<CType>()?.unbind();
        self.remember(key, &ct);
        Ok(Some(ct))
    }

    /// Caches `ct` for `key`. Only exact strs: a subclass may hash or
    /// compare its own way.
    pub(super) fn insert(&self, key: &Bound<'_, PyString>, ct: &Py<CType>) -> PyResult<()> {
        if key.is_exact_instance_of::<PyString>() {
            self.all.bind(key.py()).set_item(key, ct)?;
            self.remember(key, ct);
        }
        Ok(())
    }

    fn remember(&self, key: &Bound<'_, PyString>, ct: &Py<CType>) {
        if !key.is_exact_instance_of::<PyString>() {
            return;
        }
        let entry = Some((key.clone().unbind(), ct.clone_ref(key.py())));
        let old = {
            let mut recent = self.entries();
            std::mem::replace(&mut recent[Self::slot(key)], entry)
        };
        // Dropped outside the lock: a ctype's last reference going may
        // run Python code (weak reference callbacks).
        drop(old);
    }

    /// Forgets everything: declarations changed (a typedef replaced by
    /// `override=True`, an `include`), so cached strings may be stale.
    pub(super) fn clear(&self, py: Python<'_>) {
        self.all.bind(py).clear();
        let old = std::mem::take(&mut *self.entries());
        drop(old);
    }
}
