//! The call interfaces of one variadic function, by the types of its
//! `...` arguments: libffi needs one per argument list, and a `printf` is
//! called with a handful of lists over and over.

use crate::CallInterface;
use ctypes_model::TypeId;
use std::sync::{Arc, Mutex, PoisonError};

/// The interfaces of the most recent distinct `...` argument lists of one
/// function, most recent first, at most [`VariadicCache::CAPACITY`].
#[derive(Default)]
pub struct VariadicCache {
    entries: Mutex<Vec<(Vec<TypeId>, Arc<CallInterface>)>>,
}

impl VariadicCache {
    /// How many argument lists are remembered.
    pub const CAPACITY: usize = 16;

    /// An empty cache.
    pub fn new() -> VariadicCache {
        VariadicCache::default()
    }

    /// The interface for the `...` argument types `ids`: the remembered
    /// one, or `build(&ids)`'s, remembered from now on. `build` runs
    /// without the cache's lock held, so it may take other locks.
    pub fn get_or_build<E>(
        &self,
        ids: Vec<TypeId>,
        build: impl FnOnce(&[TypeId]) -> Result<CallInterface, E>,
    ) -> Result<Arc<CallInterface>, E> {
        {
            let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(pos) = entries.iter().position(|(k, _)| *k == ids) {
                let entry = entries.remove(pos);
                let cif = entry.1.clone();
                entries.insert(0, entry);
                return Ok(cif);
            }
        }
        let cif = Arc::new(build(&ids)?);
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.insert(0, (ids, cif.clone()));
        entries.truncate(Self::CAPACITY);
        Ok(cif)
    }

    /// Calls `f` with every type of the remembered argument lists: the
    /// roots the cache gives `TypeTable::collect` (a freed id could come
    /// back as another type and find this one's interface).
    pub fn for_each_type(&self, f: &mut dyn FnMut(TypeId)) {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries
            .iter()
            .flat_map(|(ids, _)| ids)
            .for_each(|&id| f(id));
    }

    /// How many argument lists are remembered now.
    pub fn len(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// True when nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ctypes_model::{Declarations, Primitive, Target, TypeTable};

    #[test]
    fn interfaces_are_remembered_most_recent_first() {
        let mut types = TypeTable::new(Target::host());
        let mut decls = Declarations::new();
        decls
            .cdef(
                &mut types,
                "int printf(const char *, ...);",
                &Default::default(),
            )
            .unwrap();
        let func = decls.function_type(&types, "printf").unwrap();
        let int = types.primitive(Primitive::Int);
        let double = types.primitive(Primitive::Double);
        let cache = VariadicCache::new();
        let builds = std::cell::Cell::new(0);
        let get = |ids: Vec<TypeId>| {
            cache
                .get_or_build(ids, |ids| {
                    builds.set(builds.get() + 1);
                    CallInterface::new_variadic(&types, func, ids)
                })
                .unwrap()
        };
        let a = get(vec![int]);
        let b = get(vec![int]);
        assert!(
            Arc::ptr_eq(&a, &b),
            "the same list gives the same interface"
        );
        get(vec![double, int]);
        assert_eq!(builds.get(), 2);
        // Many distinct lists: only the most recent CAPACITY stay.
        for n in 0..VariadicCache::CAPACITY {
            get(vec![int; n + 2]);
        }
        assert_eq!(cache.len(), VariadicCache::CAPACITY);
        let before = builds.get();
        get(vec![int]); // evicted long ago
        assert_eq!(builds.get(), before + 1);
    }

    #[test]
    fn a_failed_build_is_not_remembered() {
        let cache = VariadicCache::new();
        let r: Result<_, &str> = cache.get_or_build(vec![], |_| Err("no"));
        assert_eq!(r.err(), Some("no"));
        assert!(cache.is_empty());
    }
}
