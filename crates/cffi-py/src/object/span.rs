//! Reading the integers of an array's `ffi.new()` memory one by one
//! without finding the memory again each time: what an iterator over such
//! an array holds.

use super::CData;
use ffi_runtime::memory::IntRepr;

/// How [`OwnedInts::get`] sees that the memory was not released.
#[derive(Clone, Copy)]
pub(super) enum Live {
    Block,
    Big,
    Inline,
    Word,
}

/// Where an array's `ffi.new()` memory is, as integers of one kind, found
/// once ([`CData::owned_ints`]) and then read with one check per read that
/// it is still there.
#[derive(Clone, Copy)]
pub struct OwnedInts {
    pub(super) obj: usize,
    pub(super) addr: usize,
    pub(super) repr: IntRepr,
    /// The size of `repr`.
    pub(super) size: usize,
    /// How many whole integers the memory holds.
    pub(super) count: usize,
    pub(super) live: Live,
}

impl OwnedInts {
    /// The kind of integer read.
    pub(crate) fn repr(&self) -> IntRepr {
        self.repr
    }

    /// Integer `i`, if `array` is the object the memory was found in, the
    /// memory was not released since, and `i` is inside it.
    #[inline(always)]
    #[allow(clippy::inline_always)] // an iterator's step
    pub(crate) fn get(&self, array: &CData, i: usize) -> Option<i128> {
        let same = std::ptr::from_ref(array) as usize == self.obj;
        // SAFETY: `live` was found for `array` itself (`same`, and `&&`
        // evaluates it only then).
        (same && i < self.count && unsafe { array.is_live(self.live) }).then(|| {
            // SAFETY: integer `i` lies inside the memory `array` owns (`i`
            // is below the count of whole integers found with it, each
            // `size` bytes, `repr`'s size); `array`, borrowed, keeps that
            // memory, and it was not released (checked just above, with
            // the GIL held).
            unsafe { self.repr.load(self.addr + i * self.size) }
        })
    }
}
