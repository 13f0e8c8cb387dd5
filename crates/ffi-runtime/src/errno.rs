//! The C `errno` of the calling thread, read and written.

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
    fn round_trip() {
        super::set(42);
        assert_eq!(super::get(), 42);
        super::set(0);
        assert_eq!(super::get(), 0);
    }
}
