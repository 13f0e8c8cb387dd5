//! The C `errno` of the calling thread, read and written, and the value
//! saved per thread between calls (what Python sees as `ffi.errno`).
//!
//! A language runtime runs code of its own between two C calls, which may
//! change `errno`; so the value C left is saved right after each call and
//! put back right before the next one, and that saved value is what the
//! user reads and writes.

use std::cell::Cell;

thread_local! {
    /// The errno saved after this thread's last C call.
    static SAVED: Cell<i32> = const { Cell::new(0) };
}

/// The errno saved after this thread's last C call (or set since).
pub fn saved() -> i32 {
    SAVED.with(Cell::get)
}

/// Sets the value the next C call of this thread starts with.
pub fn set_saved(value: i32) {
    SAVED.with(|s| s.set(value));
}

/// Runs the C call `f` with the saved errno in `errno`, and saves what
/// it leaves there. Nothing else may run between (the caller releases its
/// interpreter lock outside this, since that may change `errno` too).
///
/// The thread-local and `errno` are each located once, outside
/// `LocalKey::with` (a call inside that closure keeps the whole C call
/// out of line, a closure call more per C call).
#[inline(always)]
#[allow(clippy::inline_always)] // on every C call, around the call itself
pub fn around<R>(f: impl FnOnce() -> R) -> R {
    let saved: *const Cell<i32> = SAVED.with(std::ptr::from_ref);
    let errno = location();
    // SAFETY: `saved` is this thread's cell, which lives as long as the
    // thread, and this is that thread; only this thread uses either
    // location, and `f` (the C call) does not reach the cell.
    unsafe {
        *errno = (*saved).get();
        let r = f();
        (*saved).set(*errno);
        r
    }
}

/// The calling thread's `errno`.
pub fn get() -> i32 {
    // SAFETY: the errno location is valid for the calling thread's lifetime.
    unsafe { *location() }
}

/// Sets the calling thread's `errno`.
pub fn set(value: i32) {
    // SAFETY: the errno location is valid for the calling thread's lifetime
    // and only this thread writes to it.
    unsafe { *location() = value }
}

#[cfg(any(target_os = "linux", target_os = "android", target_os = "emscripten"))]
fn location() -> *mut i32 {
    // SAFETY: a libc function without preconditions.
    unsafe { libc::__errno_location() }
}

#[cfg(any(target_vendor = "apple", target_os = "freebsd"))]
fn location() -> *mut i32 {
    // SAFETY: a libc function without preconditions.
    unsafe { libc::__error() }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_saved_value_goes_in_and_out_of_a_call() {
        super::set_saved(7);
        super::set(99); // what the runtime left: not seen by the call
        let seen = super::around(|| {
            let seen = super::get();
            super::set(13); // what the call leaves
            seen
        });
        assert_eq!(seen, 7);
        assert_eq!(super::saved(), 13);
        // Per thread: another thread starts from 0.
        assert_eq!(std::thread::spawn(super::saved).join().unwrap(), 0);
    }

    #[test]
    fn round_trip() {
        super::set(42);
        assert_eq!(super::get(), 42);
        super::set(0);
        assert_eq!(super::get(), 0);
    }
}
