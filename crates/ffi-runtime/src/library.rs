//! Shared libraries: opening by path or name, the process itself, symbols.

use std::ffi::c_void;
use std::fmt;

/// `dlopen` flag: resolve symbols when first used.
pub const RTLD_LAZY: i32 = libloading::os::unix::RTLD_LAZY;
/// `dlopen` flag: resolve all symbols at load time.
pub const RTLD_NOW: i32 = libloading::os::unix::RTLD_NOW;
/// `dlopen` flag: make symbols available to later loads.
pub const RTLD_GLOBAL: i32 = libloading::os::unix::RTLD_GLOBAL;
/// `dlopen` flag: the opposite of `RTLD_GLOBAL` (the default).
pub const RTLD_LOCAL: i32 = libloading::os::unix::RTLD_LOCAL;

/// The platform-specific `RTLD_*` flags beyond the four POSIX ones, by name.
#[cfg(target_os = "linux")]
pub const EXTRA_RTLD_FLAGS: &[(&str, i32)] = &[
    ("RTLD_NODELETE", 0x1000),
    ("RTLD_NOLOAD", 0x4),
    ("RTLD_DEEPBIND", 0x8),
];
/// The platform-specific `RTLD_*` flags beyond the four POSIX ones, by name.
#[cfg(target_vendor = "apple")]
pub const EXTRA_RTLD_FLAGS: &[(&str, i32)] = &[("RTLD_NODELETE", 0x80), ("RTLD_NOLOAD", 0x10)];
/// The platform-specific `RTLD_*` flags beyond the four POSIX ones, by name.
#[cfg(not(any(target_os = "linux", target_vendor = "apple")))]
pub const EXTRA_RTLD_FLAGS: &[(&str, i32)] = &[];

/// Why a library could not be opened or a symbol not found: the system
/// loader's own message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError(pub String);

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

fn loader_message(e: &libloading::Error) -> String {
    // libloading keeps dlerror()'s text as the error's source; show that
    // alone, as cffi does.
    match std::error::Error::source(e) {
        Some(source) => source.to_string(),
        None => e.to_string(),
    }
}

/// An open shared library (or the running process, for `dlopen(NULL)`).
///
/// Closing is explicit ([`Library::close`]) or happens on drop.
#[derive(Debug)]
pub struct Library {
    inner: Option<libloading::os::unix::Library>,
    /// False for a handle opened elsewhere: dropping leaves it open.
    close_on_drop: bool,
}

impl Drop for Library {
    fn drop(&mut self) {
        if !self.close_on_drop {
            // Not ours to close implicitly; an explicit `close` still is.
            if let Some(lib) = self.inner.take() {
                let _ = lib.into_raw();
            }
        }
    }
}

impl Library {
    /// Opens `path` with the system loader, or the whole process namespace
    /// when `path` is `None`. If neither `RTLD_NOW` nor `RTLD_LAZY` is in
    /// `flags`, `RTLD_NOW` is added (cffi's rule).
    pub fn open(path: Option<&str>, flags: i32) -> Result<Library, LoadError> {
        let mut flags = flags;
        if flags & (RTLD_NOW | RTLD_LAZY) == 0 {
            flags |= RTLD_NOW;
        }
        // SAFETY: opening a library runs its initialisers; loading native code
        // is what the caller asked for, as with ctypes or cffi. The path is a
        // Rust string, which libloading turns into a NUL-terminated C string.
        let lib = unsafe { libloading::os::unix::Library::open(path, flags) };
        lib.map(|l| Library {
            inner: Some(l),
            close_on_drop: true,
        })
        .map_err(|e| LoadError(loader_message(&e)))
    }

    /// A library from a handle `dlopen()` returned elsewhere (cffi's
    /// `dlopen(handle)`): an explicit [`Library::close`] calls `dlclose()`
    /// on it, dropping does not (F-03.95).
    ///
    /// # Safety
    /// `handle` must be a live handle from the system's `dlopen()`, not
    /// closed by anyone else while this library is open.
    pub unsafe fn from_handle(handle: *mut c_void) -> Library {
        // SAFETY: forwarded to the caller.
        let lib = unsafe { libloading::os::unix::Library::from_raw(handle) };
        Library {
            inner: Some(lib),
            close_on_drop: false,
        }
    }

    /// True once [`Library::close`] has been called.
    pub fn is_closed(&self) -> bool {
        self.inner.is_none()
    }

    /// The address of the symbol `name`.
    pub fn symbol(&self, name: &str) -> Result<*mut c_void, LoadError> {
        let Some(lib) = &self.inner else {
            return Err(LoadError("library has been closed".to_owned()));
        };
        if name.contains('\0') {
            return Err(LoadError(format!(
                "symbol name {name:?} contains a NUL byte"
            )));
        }
        // SAFETY: we only take the symbol's address (as an untyped pointer);
        // nothing is read or called here. libloading adds the terminating NUL.
        let sym = unsafe { lib.get::<*mut c_void>(name.as_bytes()) };
        sym.map(libloading::os::unix::Symbol::into_raw)
            .map_err(|e| LoadError(loader_message(&e)))
    }

    /// Closes the library now; later [`Library::symbol`] calls fail. A
    /// second close does nothing.
    pub fn close(&mut self) -> Result<(), LoadError> {
        match self.inner.take() {
            Some(lib) => lib.close().map_err(|e| LoadError(loader_message(&e))),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn process_symbols() {
        let lib = Library::open(None, 0).unwrap();
        assert!(!lib.symbol("strlen").unwrap().is_null());
        let err = lib.symbol("no_such_symbol_cffi_py").unwrap_err();
        assert!(err.0.contains("no_such_symbol_cffi_py"), "{err}");
    }

    #[test]
    fn missing_library_reports_loader_message() {
        let err = Library::open(Some("/nonexistent/libnothing.so"), RTLD_NOW).unwrap_err();
        assert!(err.0.contains("/nonexistent/libnothing.so"), "{err}");
        assert!(err.0.contains("No such file"), "{err}");
    }

    #[test]
    fn close_then_symbol_fails() {
        let mut lib = Library::open(None, RTLD_NOW).unwrap();
        lib.close().unwrap();
        assert!(lib.is_closed());
        assert!(lib.symbol("strlen").is_err());
        lib.close().unwrap();
    }
}
