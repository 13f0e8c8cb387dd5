//! Closures: C function pointers that call back into the host (Python,
//! for cffi-py's `ffi.callback`). Each owns a libffi closure (from
//! libffi's closure allocator, which uses static trampolines where the
//! libffi build has them) and the call interface describing its C type.

use crate::call::{CallError, CallInterface};
use crate::memory::Region;
use libffi::low;
use std::ffi::c_void;
use std::sync::Arc;

/// What runs when C calls the closure: `ret` has room for the result
/// (libffi's rules: integer results narrower than a word are written as a
/// whole `ffi_arg`), `args` points to one pointer per argument, and
/// `userdata` is the pointer given to [`Closure::new`].
pub type Handler = unsafe extern "C" fn(
    cif: *mut low::ffi_cif,
    ret: *mut c_void,
    args: *mut *mut c_void,
    userdata: *mut c_void,
);

/// A C function pointer of one C function type, backed by a handler.
pub struct Closure {
    /// Shared (the function type's own, usually) and kept alive here:
    /// libffi keeps a pointer to the prepared CIF.
    cif: Arc<CallInterface>,
    alloc: *mut low::ffi_closure,
    code: *const c_void,
}

// SAFETY: the closure memory is written once by `ffi_prep_closure_loc`
// and then only executed; the CIF is read-only after preparation (see
// `CallInterface`). Any thread may call the code pointer, and dropping
// frees it once.
unsafe impl Send for Closure {}
// SAFETY: as for `Send`: shared access never writes.
unsafe impl Sync for Closure {}

impl Closure {
    /// A closure for the function type of `cif` that calls `handler` with
    /// `userdata`.
    ///
    /// # Safety
    /// `userdata` must stay valid (and `handler` must be able to use it)
    /// for as long as C may call the closure, i.e. until it is dropped and
    /// no call is running.
    pub unsafe fn new(
        cif: Arc<CallInterface>,
        handler: Handler,
        userdata: *mut c_void,
    ) -> Result<Closure, CallError> {
        let (alloc, code) = low::try_closure_alloc()
            .ok_or_else(|| CallError::Prep("libffi could not allocate a closure".to_owned()))?;
        // SAFETY: `alloc` is a fresh closure from `ffi_closure_alloc`, the
        // CIF is prepared and held by the closure (its address outlives it),
        // and the caller vouches for `userdata`.
        let status = unsafe {
            libffi::raw::ffi_prep_closure_loc(
                alloc,
                cif.raw_cif(),
                Some(handler),
                userdata,
                code.as_mut_ptr(),
            )
        };
        if status != libffi::raw::ffi_status_FFI_OK {
            // SAFETY: allocated above and not handed out.
            unsafe { libffi::raw::ffi_closure_free(alloc.cast()) };
            return Err(CallError::Prep(format!(
                "ffi_prep_closure_loc failed ({status})"
            )));
        }
        Ok(Closure {
            cif,
            alloc,
            code: code.as_ptr(),
        })
    }

    /// The C function pointer.
    pub fn code(&self) -> *const c_void {
        self.code
    }

    /// The call interface of its C type.
    pub fn interface(&self) -> &CallInterface {
        &self.cif
    }
}

impl Drop for Closure {
    fn drop(&mut self) {
        // SAFETY: allocated by `ffi_closure_alloc` in `new` and freed once.
        unsafe { libffi::raw::ffi_closure_free(self.alloc.cast()) };
    }
}

/// The address of argument `i` of a closure call (libffi's `args[i]`).
///
/// # Safety
/// `args` is the argument array libffi gave the handler, with more than
/// `i` entries.
#[inline]
pub unsafe fn argument_address(args: *mut *mut c_void, i: usize) -> usize {
    // SAFETY: forwarded to the caller.
    unsafe { *args.add(i) as usize }
}

/// Stores a scalar result of `size` bytes (the first bytes of `slot`) in
/// `ret`, the result buffer libffi gave the handler, as libffi expects it
/// from a closure: an integer narrower than `ffi_arg` as a whole
/// `ffi_arg`, sign- or zero-extended (`widen` says whether it is such an
/// integer and whether it is signed); anything else as its bytes.
pub fn store_result(ret: Region<'_>, slot: &crate::Slot, size: usize, widen: Option<bool>) {
    let word = std::mem::size_of::<libffi::raw::ffi_arg>();
    if let Some(signed) = widen.filter(|_| size < word) {
        let v = slot.read_int_sized(size as u32, signed);
        ret.at(0, word)
            .write_bytes(&(v as libffi::raw::ffi_arg).to_ne_bytes());
        return;
    }
    ret.write_bytes(&slot.0[..size.min(16)]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Slot;
    use ctypes_model::{Declarations, Target, TypeTable};

    unsafe extern "C" fn add_offset(
        _cif: *mut low::ffi_cif,
        ret: *mut c_void,
        args: *mut *mut c_void,
        userdata: *mut c_void,
    ) {
        // SAFETY: the closure below is `int(int, int)` with userdata an i32.
        unsafe {
            let a = *(*args.add(0)).cast::<i32>();
            let b = *(*args.add(1)).cast::<i32>();
            let k = *userdata.cast::<i32>();
            *ret.cast::<libffi::raw::ffi_arg>() = (a + b + k) as libffi::raw::ffi_arg;
        }
    }

    #[test]
    fn a_closure_is_a_callable_c_function() {
        let mut types = TypeTable::new(Target::host());
        let mut decls = Declarations::new();
        decls
            .cdef(&mut types, "int f(int, int);", &Default::default())
            .unwrap();
        let func = decls.function_type(&types, "f").unwrap();
        let mut offset = 100i32;
        // SAFETY: `offset` outlives the closure.
        let closure = unsafe {
            Closure::new(
                Arc::new(CallInterface::new(&types, func).unwrap()),
                add_offset,
                (&raw mut offset).cast(),
            )
        }
        .unwrap();
        // SAFETY: the code pointer is an `int(int, int)`.
        let add: extern "C" fn(i32, i32) -> i32 = unsafe { std::mem::transmute(closure.code()) };
        assert_eq!(add(2, 3), 105);
        let cif = CallInterface::new(&types, decls.function_type(&types, "f").unwrap()).unwrap();
        let (mut first, mut second, mut ret) = (Slot::default(), Slot::default(), Slot::default());
        first.write_int(7, 4);
        second.write_int(8, 4);
        // SAFETY: calling the closure through libffi with its own type.
        unsafe {
            cif.call(
                closure.code(),
                &mut [first.as_mut_ptr(), second.as_mut_ptr()],
                ret.as_mut_ptr(),
            );
        }
        assert_eq!(ret.read_result_int(4, true), 115);
    }
}
