//! Type string → ctype, per FFI: each type string is parsed once.
//!
//! A Python dict holds every string met (a lookup uses the hash the str
//! caches). In front of it, a few recently used strings are recognised by
//! identity (`cpython::recent`): a type string in a program is nearly
//! always a constant of its code object, the same object at every call,
//! and comparing an address is a fraction of a dict lookup
//! (`ffi.cast("int *", p)` in a qsort comparator asks for the same object
//! thousands of times). The cache holds the strings, so that an address
//! seen there cannot be another string's while it is cached.

use crate::cpython::recent::Recent;
use crate::types::CType;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

pub(super) struct TypeCache {
    all: Py<PyDict>,
    recent: Recent<CType, 4>,
}

impl TypeCache {
    pub(super) fn new(py: Python<'_>) -> TypeCache {
        TypeCache {
            all: PyDict::new(py).unbind(),
            recent: Recent::default(),
        }
    }

    /// The ctype cached for `key` if it is one of the recent strings
    /// (the same object).
    #[inline]
    pub(super) fn recent_hit<'py>(&self, key: &Bound<'py, PyString>) -> Option<Bound<'py, CType>> {
        self.recent.get(key.as_any())
    }

    /// The ctype cached for `key`, if any.
    pub(super) fn get(&self, key: &Bound<'_, PyString>) -> PyResult<Option<Py<CType>>> {
        if let Some(ct) = self.recent_hit(key) {
            return Ok(Some(ct.unbind()));
        }
        let Some(ct) = self.all.bind(key.py()).get_item(key)? else {
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
        if key.is_exact_instance_of::<PyString>() {
            self.recent.put(key.as_any(), ct);
        }
    }

    /// Forgets everything: declarations changed (a typedef replaced by
    /// `override=True`, an `include`), so cached strings may be stale.
    pub(super) fn clear(&self, py: Python<'_>) {
        self.all.bind(py).clear();
        self.recent.clear();
    }
}
