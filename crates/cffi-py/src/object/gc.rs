//! `ffi.gc()`: a destructor attached to a cdata, and the memory pressure
//! its `size=` reports.

use super::{CData, NewCData, Own, Owner};
use crate::types::registry;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

/// What `ffi.gc()` attaches: the original (kept alive) and the destructor
/// still to run, if any.
pub struct GcState {
    pub(crate) original: Py<CData>,
    pub(crate) destructor: std::sync::Mutex<Option<Py<PyAny>>>,
    /// The `size=` estimate recorded as memory pressure, until the holder
    /// dies or its destructor is removed.
    pressure: std::sync::atomic::AtomicIsize,
}

impl GcState {
    /// Calls `destructor(original)` when the holder dies or is released;
    /// `pressure` bytes (already counted) are uncounted then.
    pub fn new(original: Py<CData>, destructor: Py<PyAny>, pressure: isize) -> GcState {
        GcState {
            original,
            destructor: std::sync::Mutex::new(Some(destructor)),
            pressure: std::sync::atomic::AtomicIsize::new(pressure),
        }
    }

    /// Stops counting this holder's `size=` estimate.
    pub(crate) fn forget_pressure(&self) {
        let size = self.pressure.swap(0, std::sync::atomic::Ordering::Relaxed);
        crate::object::pressure::add(-size);
    }

    /// Runs the destructor now if it has not run; its exceptions are
    /// reported as unraisable, as cffi does.
    pub(crate) fn run(&self, py: Python<'_>) {
        let destructor = registry::locked(&self.destructor).take();
        if let Some(d) = destructor {
            if let Err(e) = d.bind(py).call1((self.original.clone_ref(py),)) {
                e.write_unraisable(py, Some(d.bind(py)));
            }
            // Released now: this runs from the collector's finalizer too,
            // outside any PyO3 call, where a plain drop would be deferred
            // to PyO3's pool and the collector would see the destructor's
            // referents as still referenced.
            d.drop_ref(py);
        }
    }
}

impl Drop for GcState {
    fn drop(&mut self) {
        self.forget_pressure();
        if registry::locked(&self.destructor).is_some() {
            // A cdata is dropped by Python's deallocator, so this thread
            // is attached already; `attach` only takes the token.
            Python::attach(|py| self.run(py));
        }
    }
}

/// The finalizer of `ffi.gc()` results (installed on `__CDataGCP` by
/// `lib.rs`): runs the destructor while everything it may use is intact.
pub fn finalize(obj: &Bound<'_, PyAny>) {
    if let Ok(cd) = obj.cast::<CData>() {
        if let Own::Gc(state) = &cd.get().owner() {
            state.run(obj.py());
        }
    }
}

/// `ffi.gc(cdata, destructor, size)` (F-03.81..F-03.85). `None` removes
/// the destructor of an earlier `ffi.gc()` result and returns `None`. A
/// positive `size` counts as memory pressure while the result lives (see
/// `pressure`; cffi ignores it on CPython).
pub fn gc(
    py: Python<'_>,
    cdata: &Bound<'_, PyAny>,
    destructor: &Bound<'_, PyAny>,
    size: isize,
) -> PyResult<Option<Py<CData>>> {
    let Ok(cd) = cdata.cast::<CData>() else {
        return Err(PyTypeError::new_err(format!(
            "gc() argument 1 must be _cffi_backend._CDataBase, not {}",
            cdata.get_type().name()?
        )));
    };
    let this = cd.get();
    if destructor.is_none() {
        let Own::Gc(state) = &this.owner() else {
            return Err(PyTypeError::new_err(
                "Can remove destructor only on a object previously returned by ffi.gc()",
            ));
        };
        registry::locked(&state.destructor).take();
        state.forget_pressure();
        return Ok(None);
    }
    // A made-up huge size would switch the nudge off for good: at most
    // 1 TB is counted per object.
    let size = size.clamp(0, 1 << 40);
    crate::object::pressure::maybe_collect(py);
    crate::object::pressure::add(size);
    let state = GcState::new(cd.clone().unbind(), destructor.clone().unbind(), size);
    let result = NewCData {
        ctype: this.ctype.clone_ref(py),
        addr: this.addr(),
        length: this.length(),
        owner: Owner::Gc(Box::new(state)),
    };
    result.wrap(py).map(Some)
}
