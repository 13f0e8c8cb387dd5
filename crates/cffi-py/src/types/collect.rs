//! Freeing the types of dropped FFIs (issue #19).
//!
//! The registry's [`TypeTable`](ctypes_model::TypeTable) is shared by every
//! FFI of the process, so without help it would keep every record,
//! typedef'd type and derived type any FFI ever declared. From time to
//! time (when the live types have doubled since the last time) a
//! collection asks the table to free what no root reaches. The roots:
//!
//! - every ctype object that exists (counted from its creation to its
//!   deallocation: a weak reference is not enough, since the cycle
//!   collector clears it before the `__del__` methods of a garbage cycle
//!   run, and those may keep the ctype), with the argument types of the
//!   variadic call caches of function ctypes;
//! - the declarations of every live FFI, and what a compiled FFI realized
//!   from its module's tables (registered here when the FFI is made, held
//!   weakly);
//! - the table's own predeclared `FILE`.
//!
//! A collection only runs at a safe point: at the start of `ffi.cdef()` or
//! of the parse of a new type string, and only when no Rust frame of the
//! process holds ids not yet rooted ([`Pin`]: `ctype_for` makes child
//! ctypes, which may run the garbage collector and so any Python code,
//! while the ids it works on are only on its stack). The GIL serializes
//! everything else: an FFI whose declarations are locked by another
//! thread makes the collection give up.

use super::registry::{lock, Registry};
use ctypes_model::{Declarations, TypeId};
use ffi_runtime::VariadicCache;
use pyo3::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
use type_context::LazyModule;

/// Below this many live types nothing is collected.
const MIN_LIVE: usize = 4096;

/// The declarations (and module tables) of one FFI, held weakly.
pub(super) struct RootSource {
    decls: Weak<Mutex<Declarations>>,
    module: Weak<Mutex<Option<LazyModule>>>,
}

/// What the registry knows about collections.
#[derive(Default)]
pub(super) struct Collector {
    sources: Vec<RootSource>,
    /// Sources alive after the last pruning (the list is pruned when it
    /// has doubled since).
    sources_kept: usize,
    /// Live types after the last collection.
    live_after: usize,
    /// Collections run so far.
    runs: usize,
}

/// `CFFI_PY_COLLECT_STRESS=1`: collect at every safe point (for running
/// test suites against the collector; slow).
static STRESS: std::sync::LazyLock<bool> = std::sync::LazyLock::new(|| {
    std::env::var_os("CFFI_PY_COLLECT_STRESS").is_some_and(|v| v == "1")
});

/// The ctype objects that exist, by type, and the variadic call caches of
/// function ctypes (held weakly). Apart from the registry's lock: a ctype
/// may be deallocated while that lock is held.
#[derive(Default)]
struct Existing {
    ctypes: std::collections::HashMap<TypeId, u32>,
    variadic: Vec<Weak<VariadicCache>>,
}

static EXISTING: std::sync::LazyLock<Mutex<Existing>> = std::sync::LazyLock::new(Mutex::default);

/// A ctype of type `id` is being made (its `Drop` calls [`ctype_gone`]).
pub(super) fn ctype_made(id: TypeId) {
    *super::registry::locked(&EXISTING)
        .ctypes
        .entry(id)
        .or_insert(0) += 1;
}

/// A ctype of type `id` is deallocated.
pub(super) fn ctype_gone(id: TypeId) {
    let mut e = super::registry::locked(&EXISTING);
    if let std::collections::hash_map::Entry::Occupied(mut n) = e.ctypes.entry(id) {
        *n.get_mut() -= 1;
        if *n.get() == 0 {
            n.remove();
        }
    }
}

/// A function ctype's variadic call cache, whose keys are roots while it
/// exists.
pub(super) fn variadic_cache_made(cache: &Arc<VariadicCache>) {
    let mut e = super::registry::locked(&EXISTING);
    if e.variadic.len() >= 64 && e.variadic.len().is_power_of_two() {
        e.prune();
    }
    e.variadic.push(Arc::downgrade(cache));
}

/// Rust frames holding ids that no root reaches yet.
static PINS: AtomicUsize = AtomicUsize::new(0);

/// While alive, no collection runs.
pub struct Pin(());

impl Pin {
    pub fn new() -> Pin {
        PINS.fetch_add(1, Ordering::Relaxed);
        Pin(())
    }
}

impl Drop for Pin {
    fn drop(&mut self) {
        PINS.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Collector {
    /// Forgets the FFIs that are gone.
    fn prune(&mut self) {
        self.sources.retain(|s| s.decls.strong_count() > 0);
        self.sources_kept = self.sources.len();
    }
}

impl Existing {
    /// Forgets the variadic caches that are gone.
    fn prune(&mut self) {
        self.variadic.retain(|c| c.strong_count() > 0);
    }
}

/// Makes an FFI's declarations and module tables roots for as long as
/// they live.
pub fn register(decls: &Arc<Mutex<Declarations>>, module: &Arc<Mutex<Option<LazyModule>>>) {
    let mut reg = lock();
    let c = &mut reg.collector;
    if c.sources.len() >= 2 * c.sources_kept.max(64) {
        c.prune();
    }
    c.sources.push(RootSource {
        decls: Arc::downgrade(decls),
        module: Arc::downgrade(module),
    });
}

/// Collects if the live types have doubled since the last collection (and
/// nothing is pinned): the cost of each collection is paid for by the
/// types made since the one before.
pub fn maybe_collect(py: Python<'_>) {
    if PINS.load(Ordering::Relaxed) != 0 {
        return;
    }
    let due = *STRESS || {
        let reg = lock();
        let live = reg.types.len();
        live >= MIN_LIVE && live >= 2 * reg.collector.live_after
    };
    if due {
        collect(py);
    }
}

/// Frees every type nothing alive uses; returns how many, or `None` if it
/// could not run now (something pinned, or an FFI's declarations locked).
/// Needs the GIL: it serializes collections with everything that holds
/// ids.
pub fn collect(_py: Python<'_>) -> Option<usize> {
    if PINS.load(Ordering::Relaxed) != 0 {
        return None;
    }
    let mut reg = lock();
    let roots = roots(&mut reg)?;
    let freed = reg.types.collect(roots);
    // No ctype of a freed type exists (it would have been a root); the
    // registry's dead weak references to them go.
    for id in &freed {
        if let Some(slot) = reg.ctypes.get_mut(id.index()) {
            *slot = None;
        }
    }
    reg.collector.live_after = reg.types.len();
    reg.collector.runs += 1;
    Some(freed.len())
}

/// Every root (see the module documentation), or `None` if an FFI's
/// declarations are locked.
fn roots(reg: &mut Registry) -> Option<Vec<TypeId>> {
    let mut roots = Vec::new();
    {
        let mut e = super::registry::locked(&EXISTING);
        roots.extend(e.ctypes.keys().copied());
        e.prune();
        for cache in e.variadic.iter().filter_map(Weak::upgrade) {
            cache.for_each_type(&mut |id| roots.push(id));
        }
    }
    let c = &mut reg.collector;
    c.prune();
    for source in &c.sources {
        if let Some(decls) = source.decls.upgrade() {
            let decls = try_locked(&decls)?;
            decls.for_each_type(&mut |id| roots.push(id));
        }
        if let Some(module) = source.module.upgrade() {
            let module = try_locked(&module)?;
            if let Some(m) = module.as_ref() {
                m.for_each_type(&mut |id| roots.push(id));
            }
        }
    }
    Some(roots)
}

/// `m` locked, unless another thread holds it (poisoning is ignored, as
/// `registry::locked` does).
fn try_locked<T>(m: &Mutex<T>) -> Option<std::sync::MutexGuard<'_, T>> {
    match m.try_lock() {
        Ok(guard) => Some(guard),
        Err(std::sync::TryLockError::Poisoned(p)) => Some(p.into_inner()),
        Err(std::sync::TryLockError::WouldBlock) => None,
    }
}

/// `_cffi_backend._type_stats()`: `(live types, type slots, collections
/// run)` of the process-wide table, for tests and benchmarks.
#[pyfunction]
pub fn _type_stats() -> (usize, usize, usize) {
    let reg = lock();
    (reg.types.len(), reg.types.capacity(), reg.collector.runs)
}

/// `_cffi_backend._collect_types()`: a collection now; the number of types
/// freed, or `None` if it could not run at this point.
#[pyfunction]
pub fn _collect_types(py: Python<'_>) -> Option<usize> {
    collect(py)
}
