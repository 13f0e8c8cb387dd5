//! C stdio streams (`FILE *`) opened on file descriptors, for callers that
//! hand their own files to C.

use std::ffi::{c_char, c_int, c_void, CStr};

unsafe extern "C" {
    fn fdopen(fd: c_int, mode: *const c_char) -> *mut c_void;
    fn setvbuf(stream: *mut c_void, buf: *mut c_char, mode: c_int, size: usize) -> c_int;
    fn fclose(stream: *mut c_void) -> c_int;
}

/// `_IONBF` (glibc, musl and the BSDs agree on 2).
const IONBF: c_int = 2;

/// A new unbuffered stream on `fd` with `mode` (`"r"`, `"wb"`, ...), as
/// an address; on success the stream owns `fd`, on failure the caller
/// still does. Unbuffered, so that what C writes lands in order with what
/// the caller writes to the same descriptor.
pub fn open_unbuffered(fd: i32, mode: &CStr) -> std::io::Result<usize> {
    // SAFETY: `fdopen` takes any descriptor and a NUL-terminated mode; it
    // fails cleanly (NULL, errno) on a bad one.
    let stream = unsafe { fdopen(fd, mode.as_ptr()) };
    if stream.is_null() {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: a stream just opened, not yet used.
    unsafe { setvbuf(stream, std::ptr::null_mut(), IONBF, 0) };
    Ok(stream as usize)
}

/// Closes a stream from [`open_unbuffered`] (and its descriptor).
///
/// # Safety
/// `stream` came from [`open_unbuffered`] and is closed once, when no one
/// uses it any more.
pub unsafe fn close(stream: usize) {
    // SAFETY: forwarded to the caller.
    unsafe { fclose(stream as *mut c_void) };
}

#[cfg(test)]
mod tests {
    use super::*;

    unsafe extern "C" {
        fn fputs(s: *const c_char, stream: *mut c_void) -> c_int;
    }

    #[test]
    fn a_stream_writes_through_at_once() {
        let path = std::env::temp_dir().join(format!("ffi-runtime-stream-{}", std::process::id()));
        let file = std::fs::File::create(&path).unwrap();
        let fd = std::os::fd::IntoRawFd::into_raw_fd(file);
        let stream = open_unbuffered(fd, c"wb").unwrap();
        // SAFETY: a NUL-terminated string and the stream just opened.
        unsafe { fputs(c"hello".as_ptr(), stream as *mut c_void) };
        // Unbuffered: on disk before the stream is closed.
        assert_eq!(std::fs::read(&path).unwrap(), b"hello");
        // SAFETY: opened above, closed once.
        unsafe { close(stream) };
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn a_bad_descriptor_is_an_error() {
        assert!(open_unbuffered(-1, c"r").is_err());
    }
}
