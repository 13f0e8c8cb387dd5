//! Memory pressure: the garbage collector counts objects, not bytes, so a
//! reference cycle that holds a large `ffi.new()` block looks as cheap to
//! it as any other. Owning cdata report their bytes here (and `ffi.gc()`
//! its `size=` estimate); when the bytes they hold have grown well past
//! what was live after the last nudge, a full collection runs, which frees
//! memory held only by cycles. Memory freed by reference counting (the
//! usual case) never triggers anything.

use pyo3::prelude::*;
use std::sync::atomic::{AtomicIsize, Ordering};

/// The `ffi.gc(..., size)` estimates of live objects (the blocks of
/// owning cdata are counted by `ffi_runtime::memory`).
static LIVE: AtomicIsize = AtomicIsize::new(0);

/// The collection below runs once `LIVE` passes this.
static TRIGGER: AtomicIsize = AtomicIsize::new(MIN_TRIGGER);

/// No nudge below this many live bytes.
const MIN_TRIGGER: isize = 64 << 20;

/// Records `bytes` more (or, if negative, fewer) estimated bytes.
#[inline]
pub fn add(bytes: isize) {
    LIVE.fetch_add(bytes, Ordering::Relaxed);
}

/// The bytes held now: owned blocks plus estimates.
pub fn live() -> isize {
    LIVE.load(Ordering::Relaxed) + ffi_runtime::memory::owned_bytes()
}

/// Runs `gc.collect()` if the owned bytes passed the trigger (and the
/// collector is enabled); the next trigger is twice what is live after it.
#[inline]
pub fn maybe_collect(py: Python<'_>) {
    if live() > TRIGGER.load(Ordering::Relaxed) {
        collect(py);
    }
}

#[cold]
fn collect(py: Python<'_>) {
    crate::cpython::gc::collect_if_enabled(py);
    let next = live().saturating_mul(2).max(MIN_TRIGGER);
    TRIGGER.store(next, Ordering::Relaxed);
}
