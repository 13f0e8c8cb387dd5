//! The memory of one C call: a slot per argument, buffers for structs
//! passed by value, and room for the result; then the call itself, with
//! errno swapped in and out around it.
//!
//! Up to 8 arguments, 2 by-value structs of up to 64 bytes and a result of
//! up to 32 bytes live inline: a usual call allocates nothing.

use crate::memory::Region;
use crate::{errno, CallInterface, Slot};
use smallvec::{smallvec, SmallVec};
use std::ffi::c_void;

/// The bytes of a struct passed by value, in 16-byte units (so any
/// alignment holds); up to 64 bytes inline.
pub type RecordBuf = SmallVec<[u128; 4]>;

/// A zeroed buffer for a struct of `size` bytes.
#[inline]
pub fn record_buf(size: usize) -> RecordBuf {
    let units = size.div_ceil(16);
    if units <= 4 {
        // Inline: no element-by-element fill.
        let mut buf = RecordBuf::from_buf([0; 4]);
        buf.truncate(units);
        buf
    } else {
        smallvec![0u128; units]
    }
}

/// What a caller lets go of around a C call and takes back after it (the
/// Python layer: the GIL), so that other threads run meanwhile.
pub trait Release {
    /// What [`Release::release`] hands to [`Release::reacquire`].
    type Saved;
    /// Lets go, right before the call.
    fn release(&mut self) -> Self::Saved;
    /// Takes back, right after the call.
    fn reacquire(&mut self, saved: Self::Saved);
}

/// Nothing to let go of.
pub struct NoRelease;

impl Release for NoRelease {
    type Saved = ();
    fn release(&mut self) {}
    fn reacquire(&mut self, (): ()) {}
}

/// Runs the C call between `release` and `reacquire`, with errno swapped
/// in and out right around it.
///
/// # Safety
/// As for [`CallInterface::call`].
#[inline]
unsafe fn call_released(
    cif: &CallInterface,
    code: *const c_void,
    args: &mut [*mut c_void],
    ret: *mut c_void,
    mut lock: impl Release,
) {
    let saved = lock.release();
    // SAFETY: forwarded to the caller.
    errno::around(|| unsafe { cif.call(code, args, ret) });
    lock.reacquire(saved);
}

/// Calls `code` through `cif` with scalar arguments only (the first
/// `nargs` of `slots`, no struct passed by value) and a scalar result,
/// which is returned: the lean frame of the call fast path (fixed-size
/// arrays, so building the argument pointers has no bounds to check).
/// `release` and errno are as for [`Frame::call`].
///
/// # Safety
/// As for [`Frame::call`]; the first `nargs` slots hold one converted
/// argument per parameter of `cif`, and the result is at most 16 bytes.
#[inline]
pub unsafe fn call_scalars(
    cif: &CallInterface,
    code: *const c_void,
    slots: &mut [Slot; INLINE_ARGS],
    nargs: usize,
    release: impl Release,
) -> Slot {
    let mut ptrs = [std::ptr::null_mut::<c_void>(); INLINE_ARGS];
    for (p, slot) in ptrs.iter_mut().zip(slots.iter_mut()).take(nargs) {
        *p = slot.as_mut_ptr();
    }
    let mut ret = Slot::default();
    let ret_ptr = ret.as_mut_ptr();
    // SAFETY: the caller's contract; a slot has room for a scalar result.
    unsafe { call_released(cif, code, &mut ptrs[..nargs], ret_ptr, release) };
    ret
}

/// How many arguments and result bytes live inline.
pub const INLINE_ARGS: usize = 8;
const INLINE_RESULT: usize = 2;

/// The memory of one call.
pub struct Frame {
    inline: [Slot; INLINE_ARGS],
    /// The slots when there are more than [`INLINE_ARGS`] arguments.
    heap: Vec<Slot>,
    nargs: usize,
    /// By-value structs: the argument index and its bytes.
    records: SmallVec<[(usize, RecordBuf); 2]>,
    ret_inline: [u128; INLINE_RESULT],
    /// The result when it is larger than the inline 32 bytes.
    ret_heap: Vec<u128>,
}

impl Frame {
    /// A frame for `nargs` arguments and a result of `result_size` bytes.
    // Always inlined: made in its caller's stack frame rather than
    // returned by a copy of its 400 bytes (measured: 3% of a call).
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub fn new(nargs: usize, result_size: usize) -> Frame {
        let units = result_size.div_ceil(16);
        Frame {
            inline: [Slot::default(); INLINE_ARGS],
            heap: if nargs > INLINE_ARGS {
                vec![Slot::default(); nargs]
            } else {
                Vec::new()
            },
            nargs,
            records: SmallVec::new(),
            ret_inline: [0; INLINE_RESULT],
            ret_heap: if units > INLINE_RESULT {
                vec![0; units]
            } else {
                Vec::new()
            },
        }
    }

    /// The argument slots (scalars and pointers), one per argument.
    #[inline]
    pub fn slots_mut(&mut self) -> &mut [Slot] {
        if self.nargs > INLINE_ARGS {
            &mut self.heap
        } else {
            &mut self.inline[..self.nargs]
        }
    }

    /// Passes argument `i` by value as the `size` bytes that `fill`
    /// writes into the region it is given (a zeroed buffer of that size,
    /// lent for the call of `fill` only).
    #[inline]
    pub fn record_arg<E>(
        &mut self,
        i: usize,
        size: usize,
        fill: impl for<'a> FnOnce(Region<'a>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut buf = record_buf(size);
        fill(Region::of_units(&mut buf).at(0, size))?;
        self.records.push((i, buf));
        Ok(())
    }

    /// Passes argument `i` by value as the bytes in `buf`.
    pub fn set_record_arg(&mut self, i: usize, buf: RecordBuf) {
        self.records.push((i, buf));
    }

    /// The result buffer (16-aligned, at least 32 bytes).
    #[inline]
    fn ret(&self) -> &[u128] {
        if self.ret_heap.is_empty() {
            &self.ret_inline
        } else {
            &self.ret_heap
        }
    }

    /// Calls `code` through `cif` with the arguments in this frame; the
    /// result lands in the frame. The caller's `release` lets go of its
    /// own locks around the call (the Python layer releases the GIL);
    /// errno is swapped in and out inside, right around the C call.
    ///
    /// # Safety
    /// `code` is the non-null address of a function whose type `cif`
    /// describes; each argument slot or by-value buffer holds a value
    /// converted for its declared type; the frame was made for `cif`'s
    /// argument count and result size.
    #[inline]
    pub unsafe fn call(&mut self, cif: &CallInterface, code: *const c_void, release: impl Release) {
        let mut inline_ptrs = [std::ptr::null_mut::<c_void>(); INLINE_ARGS];
        let mut heap_ptrs = Vec::new();
        let nargs = self.nargs;
        let ptrs: &mut [*mut c_void] = if nargs <= INLINE_ARGS {
            &mut inline_ptrs[..nargs]
        } else {
            heap_ptrs.resize(nargs, std::ptr::null_mut());
            &mut heap_ptrs
        };
        for (p, slot) in ptrs.iter_mut().zip(self.slots_mut().iter_mut()) {
            *p = slot.as_mut_ptr();
        }
        for (i, buf) in &mut self.records {
            ptrs[*i] = buf.as_mut_ptr().cast();
        }
        let ret = if self.ret_heap.is_empty() {
            self.ret_inline.as_mut_ptr()
        } else {
            self.ret_heap.as_mut_ptr()
        }
        .cast::<c_void>();
        // SAFETY: the caller's contract; `ret` has room for the result.
        unsafe { call_released(cif, code, ptrs, ret, release) };
    }

    /// The first 16 bytes of the result, for scalar results.
    #[inline]
    pub fn result_slot(&self) -> Slot {
        Slot(self.ret()[0].to_ne_bytes())
    }

    /// The first `size` bytes of the result, for struct results.
    pub fn result_bytes(&self, size: usize) -> &[u8] {
        let ret = self.ret();
        // SAFETY: the result buffer's own bytes, borrowed with the frame;
        // `size` is clamped to its length.
        unsafe { crate::memory::bytes(ret.as_ptr() as usize, size.min(ret.len() * 16)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Library;
    use ctypes_model::{Declarations, Target, TypeTable};

    /// Counts releases (1 each) and reacquisitions (what release saved).
    struct Count<'a>(&'a mut u32);

    impl Release for Count<'_> {
        type Saved = u32;
        fn release(&mut self) -> u32 {
            *self.0 += 1;
            7
        }
        fn reacquire(&mut self, saved: u32) {
            *self.0 += saved;
        }
    }

    #[test]
    fn a_call_through_a_frame_passes_structs_and_returns_a_result() {
        let mut types = TypeTable::new(Target::host());
        let mut decls = Declarations::new();
        decls
            .cdef(&mut types, "typedef struct { long quot; long rem; } ldiv_t; ldiv_t ldiv(long, long); int abs(int); long labs(long);", &Default::default())
            .unwrap();
        let libc = Library::open(None, crate::RTLD_NOW).unwrap();

        let abs = CallInterface::new(&types, decls.function_type(&types, "abs").unwrap()).unwrap();
        let mut frame = Frame::new(1, abs.result_size());
        frame.slots_mut()[0].write_int(-7, 4);
        let mut count = 0;
        // SAFETY: `abs` is libc's `int abs(int)`, as `abs` describes.
        unsafe { frame.call(&abs, libc.symbol("abs").unwrap(), Count(&mut count)) };
        assert_eq!(
            count, 8,
            "released once, reacquired with what release saved"
        );
        assert_eq!(frame.result_slot().read_result_int(4, true), 7);

        let ldiv =
            CallInterface::new(&types, decls.function_type(&types, "ldiv").unwrap()).unwrap();
        let mut frame = Frame::new(2, ldiv.result_size());
        frame.slots_mut()[0].write_int(17, 8);
        frame.slots_mut()[1].write_int(5, 8);
        // SAFETY: libc's `ldiv`, as `ldiv` describes; the result is a
        // struct of two longs in the frame's result buffer.
        unsafe {
            frame.call(&ldiv, libc.symbol("ldiv").unwrap(), NoRelease);
        }
        let r = frame.result_bytes(16);
        assert_eq!(i64::from_ne_bytes(r[..8].try_into().unwrap()), 3);
        assert_eq!(i64::from_ne_bytes(r[8..].try_into().unwrap()), 2);
    }

    #[test]
    fn by_value_buffers_are_zeroed_and_filled() {
        let mut frame = Frame::new(3, 0);
        let seen = frame.record_arg(1, 40, |mem| {
            if mem.len() == 40 && mem.with_bytes(|b| b.iter().all(|&b| b == 0)) {
                Ok(())
            } else {
                Err("not zeroed")
            }
        });
        assert_eq!(seen, Ok(()));
        let failed: Result<(), &str> = frame.record_arg(2, 8, |_| Err("conversion failed"));
        assert_eq!(failed, Err("conversion failed"));
        assert_eq!(frame.records.len(), 1, "a failed fill passes nothing");
    }
}
