//! Threads Python never saw that call `extern "Python"` functions (a C
//! program's own threads calling an embedding library's exports): each
//! gets one Python thread state for as long as it lives, so that what
//! Python keeps per thread (`threading.local`, F-09.12) lasts from one
//! call to the next. `PyGILState_Ensure` alone would make and destroy a
//! fresh state around every call. The state is cleared and deleted when
//! the thread ends, which takes the GIL then: a thread joining such a
//! thread while holding the GIL would wait forever (docs/embedding.md).
//! `ffi.callback()` keeps cffi's per-call states, free of that rule.

use pyo3::ffi;
use std::cell::Cell;
use std::sync::atomic::{AtomicPtr, Ordering};

extern "C" {
    /// In every CPython since 3.4 (pyo3-ffi leaves it out of the stable
    /// ABI's list): whether this thread holds the GIL.
    fn PyGILState_Check() -> std::ffi::c_int;
}

/// The interpreter the module was loaded into (cffi-py runs in the main
/// interpreter only); set by [`remember_interpreter`].
static INTERPRETER: AtomicPtr<ffi::PyInterpreterState> = AtomicPtr::new(std::ptr::null_mut());

/// Called once with the GIL held, when the module initializes.
pub fn remember_interpreter(_py: pyo3::Python<'_>) {
    // SAFETY: the GIL is held (the token says so): the current
    // interpreter exists.
    let interp = unsafe { ffi::PyInterpreterState_Get() };
    INTERPRETER.store(interp, Ordering::Release);
}

/// The thread state this thread made, deleted at the thread's end.
struct Owned(Cell<*mut ffi::PyThreadState>);

impl Drop for Owned {
    fn drop(&mut self) {
        let ts = self.0.get();
        // SAFETY: `ts` is the state `adopt` made for this thread, not the
        // current one (every call ended with PyGILState_Release). Taking
        // the GIL with it, clearing it, letting go, then deleting it is
        // the order the C API asks for; nothing is done once the
        // interpreter is finalized.
        unsafe {
            // A thread ending while it holds the GIL (a `pthread_exit()`
            // in C called from Python) would wait for itself: then the
            // state is left behind, as it is when Python is gone.
            if ts.is_null() || ffi::Py_IsInitialized() == 0 || PyGILState_Check() != 0 {
                return;
            }
            ffi::PyEval_RestoreThread(ts);
            ffi::PyThreadState_Clear(ts);
            ffi::PyEval_SaveThread();
            ffi::PyThreadState_Delete(ts);
        }
    }
}

thread_local! {
    static OWNED: Owned = const { Owned(Cell::new(std::ptr::null_mut())) };
}

/// Before `PyGILState_Ensure` in code C may call from any thread: a
/// thread with no Python state gets a lasting one. Does nothing for
/// threads Python knows, and nothing before the module initialized.
pub fn adopt() {
    // SAFETY: callable without the GIL; reads this thread's binding.
    if !unsafe { ffi::PyGILState_GetThisThreadState() }.is_null() {
        return;
    }
    let interp = INTERPRETER.load(Ordering::Acquire);
    if interp.is_null() {
        return;
    }
    // A thread being torn down has no thread-locals left: let
    // PyGILState make its short-lived state then.
    let _ = OWNED.try_with(|owned| {
        // SAFETY: `interp` is the live main interpreter; PyThreadState_New
        // needs no GIL, and binds the new state to this thread for
        // PyGILState (its count of 1 keeps PyGILState_Release from
        // deleting it).
        let ts = unsafe { ffi::PyThreadState_New(interp) };
        owned.0.set(ts);
    });
}
