//! Memory with an owner: the zero-filled heap [`Block`]s that owning
//! cdata hold, and the small runs kept inside the owner itself.

use std::alloc::{self, Layout};
use std::fmt;
use std::sync::atomic::{AtomicIsize, AtomicPtr, AtomicU64, Ordering};

/// Bytes held by live [`Block`]s, for a caller that wants to weigh memory
/// (the Python layer runs a garbage collection when it has grown).
static OWNED: AtomicIsize = AtomicIsize::new(0);

/// The bytes held by live [`Block`]s now (their allocation sizes).
pub fn owned_bytes() -> isize {
    OWNED.load(Ordering::Relaxed)
}

/// Why a [`Block`] could not be had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllocError {
    /// The size and alignment describe no possible allocation (the size
    /// overflows `isize` once rounded up, or the alignment is not a power
    /// of two that fits in 32 bits).
    TooLarge,
    /// The allocator returned nothing.
    OutOfMemory,
}

impl fmt::Display for AllocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AllocError::TooLarge => "allocation size or alignment out of range",
            AllocError::OutOfMemory => "out of memory",
        })
    }
}

impl std::error::Error for AllocError {}

/// Zero-filled memory with one owner, freed when it is dropped.
/// [`Block::release`] only marks it released (its address then reads 0
/// for the owner): addresses handed out before, to C or to views, stay
/// valid until the drop, as the memory of cffi's own `ffi.new()` objects
/// does. Two words, so that an owner enum holding one fits three (and a
/// cdata object keeps its size).
pub struct Block {
    ptr: AtomicPtr<u8>,
    /// The size asked for (the allocation is at least one byte) in the
    /// low [`SIZE_BITS`] bits, log2 of the alignment in the five above
    /// them, and the [`RELEASED`] flag.
    meta: AtomicU64,
}

/// The bits of [`Block`]'s `meta` that hold the size (256 PiB and more
/// is refused as out of memory, as no system allocates it).
const SIZE_BITS: u32 = 58;
/// The bits of `meta` holding log2 of the alignment (at most 31).
const ALIGN_MASK: u64 = 0x1f << SIZE_BITS;
/// `meta`'s flag: [`Block::release`] was called.
const RELEASED: u64 = 1 << 63;

impl Block {
    /// Allocates `size` zero bytes aligned for `align` (0 counts as 1).
    ///
    /// ```
    /// let b = ffi_runtime::memory::Block::zeroed(24, 8).unwrap();
    /// assert_eq!(b.addr() % 8, 0);
    /// assert_eq!(b.size(), 24);
    /// ```
    pub fn zeroed(size: usize, align: usize) -> Result<Block, AllocError> {
        let align = align.max(1);
        if u32::try_from(align).is_err() {
            return Err(AllocError::TooLarge);
        }
        if (size as u64) >> SIZE_BITS != 0 && Layout::from_size_align(size, align).is_ok() {
            // A valid request no allocator can grant: what malloc says.
            return Err(AllocError::OutOfMemory);
        }
        let layout =
            Layout::from_size_align(size.max(1), align).map_err(|_| AllocError::TooLarge)?;
        // SAFETY: the layout's size is at least one byte.
        let ptr = unsafe { alloc::alloc_zeroed(layout) };
        if ptr.is_null() {
            return Err(AllocError::OutOfMemory);
        }
        OWNED.fetch_add(layout.size() as isize, Ordering::Relaxed);
        Ok(Block {
            ptr: AtomicPtr::new(ptr),
            meta: AtomicU64::new(size as u64 | u64::from(align.trailing_zeros()) << SIZE_BITS),
        })
    }

    /// The layout the memory was allocated with.
    fn layout(&self) -> Layout {
        let meta = self.meta.load(Ordering::Relaxed);
        let align = 1usize << ((meta & ALIGN_MASK) >> SIZE_BITS);
        // SAFETY: `zeroed` built this very layout from these values
        // successfully, so they satisfy `from_size_align`'s rules.
        unsafe { Layout::from_size_align_unchecked(self.size().max(1), align) }
    }

    /// The bytes asked for.
    pub fn size(&self) -> usize {
        (self.meta.load(Ordering::Relaxed) & ((1 << SIZE_BITS) - 1)) as usize
    }

    /// The address of the memory (0 once released).
    #[inline]
    pub fn addr(&self) -> usize {
        if self.meta.load(Ordering::Acquire) & RELEASED != 0 {
            return 0;
        }
        self.ptr.load(Ordering::Acquire) as usize
    }

    /// Whether [`Block::release`] was called (then [`Block::addr`] is 0).
    #[inline]
    pub fn is_released(&self) -> bool {
        self.meta.load(Ordering::Acquire) & RELEASED != 0
    }

    /// Marks the memory released: [`Block::addr`] reads 0 from now on,
    /// and the memory stays until the block is dropped (safe to call
    /// from several threads, and more than once).
    pub fn release(&self) {
        self.meta.fetch_or(RELEASED, Ordering::AcqRel);
    }
}

impl Drop for Block {
    fn drop(&mut self) {
        let layout = self.layout();
        // SAFETY: the pointer came from `alloc_zeroed` with this layout
        // (the released flag leaves the layout's bits alone), and only the
        // drop frees it.
        unsafe { alloc::dealloc(*self.ptr.get_mut(), layout) };
        OWNED.fetch_sub(layout.size() as isize, Ordering::Relaxed);
    }
}

impl fmt::Debug for Block {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Block({:#x}, {} bytes)", self.addr(), self.size())
    }
}

/// Memory of at most [`Inline::MAX`] bytes (aligned to at most 8) kept
/// inside its owner (the Python layer keeps it inside the cdata object, so
/// `ffi.new("int *")` needs no allocation of its own); releasing only marks
/// it released. Its address is fixed once the owner is in place. Two
/// words, as a [`Block`].
pub struct Inline {
    data: std::cell::UnsafeCell<u64>,
    size: u8,
    released: std::sync::atomic::AtomicBool,
}

// SAFETY: the bytes are C memory: only ever read and written through raw
// pointers (from `addr()`), like a `Block`'s heap memory, never through
// Rust references; concurrent access is the program's business as in C.
unsafe impl Sync for Inline {}

impl Inline {
    /// The most bytes kept inline.
    pub const MAX: usize = 8;

    /// `size` zero bytes (at most [`Inline::MAX`]).
    pub fn zeroed(size: usize) -> Inline {
        debug_assert!(size <= Inline::MAX);
        Inline {
            data: std::cell::UnsafeCell::new(0),
            size: size as u8,
            released: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Where the bytes are: valid once the owning object is in place.
    pub fn addr(&self) -> usize {
        self.data.get() as usize
    }

    /// The bytes asked for.
    pub fn size(&self) -> usize {
        usize::from(self.size)
    }

    /// Whether [`Inline::release`] was called.
    pub fn is_released(&self) -> bool {
        self.released.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Marks the bytes released (they stay where they are, unused).
    pub fn release(&self) {
        self.released
            .store(true, std::sync::atomic::Ordering::Release);
    }
}

/// One word that is either a plain value of its owner or, for memory of
/// at most 8 bytes kept in that word (`ffi.new("int *")`), C memory: read
/// and written through raw pointers from [`InlineWord::addr`] while Rust
/// holds shared references to its owner. Released-ness is the owner's.
#[repr(transparent)]
pub struct InlineWord(std::cell::UnsafeCell<u64>);

// SAFETY: as for `Inline`: the bytes are C memory, written only through
// raw pointers; concurrent access is the program's business as in C.
unsafe impl Sync for InlineWord {}

impl InlineWord {
    /// A word holding `value`.
    pub const fn new(value: u64) -> InlineWord {
        InlineWord(std::cell::UnsafeCell::new(value))
    }

    /// The word's value now.
    #[inline]
    pub fn get(&self) -> u64 {
        // SAFETY: the cell is always initialized and aligned; C may have
        // written it through `addr()`, which is what is read.
        unsafe { self.0.get().read() }
    }

    /// Where the word is: valid while its owner stays in place.
    #[inline]
    pub fn addr(&self) -> usize {
        self.0.get() as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::{bytes, write_bytes};

    #[test]
    fn blocks_are_zeroed_aligned_and_counted() {
        let before = owned_bytes();
        let b = Block::zeroed(100, 64).unwrap();
        assert_eq!(b.addr() % 64, 0);
        // SAFETY: the block holds 100 bytes.
        assert!(unsafe { bytes(b.addr(), 100) }.iter().all(|&x| x == 0));
        assert!(owned_bytes() >= before + 100);
        b.release();
        assert_eq!(b.addr(), 0);
        b.release(); // a second release does nothing
        drop(b);
        // Other tests run in parallel and allocate too: only check that
        // this block's bytes are no longer counted when nothing else is.
        let empty = Block::zeroed(0, 1).unwrap();
        assert_ne!(empty.addr(), 0, "a zero-size block still has an address");
        assert_eq!(empty.size(), 0);
    }

    #[test]
    fn a_released_block_keeps_its_memory_until_dropped() {
        let b = Block::zeroed(64, 16).unwrap();
        let addr = b.addr();
        assert!(!b.is_released());
        b.release();
        assert!(b.is_released());
        assert_eq!(b.addr(), 0, "released for its owner");
        assert_eq!(b.size(), 64);
        assert_eq!(b.layout().align(), 16, "the flag leaves the layout alone");
        // SAFETY: released memory stays until the block is dropped.
        unsafe { write_bytes(addr, b"still here") };
        // SAFETY: as above.
        assert_eq!(unsafe { bytes(addr, 10) }, b"still here");
        b.release();
        drop(b); // frees once (valgrind and miri would see a leak or a double free)
    }

    #[test]
    fn inline_memory_is_zeroed_and_released_by_marking() {
        let inline = Inline::zeroed(6);
        assert_eq!(inline.size(), 6);
        assert_eq!(inline.addr() % 8, 0);
        // SAFETY: the 8 inline bytes, within the value.
        unsafe {
            assert_eq!(bytes(inline.addr(), 8), &[0; 8]);
            write_bytes(inline.addr(), b"abc");
            assert_eq!(bytes(inline.addr(), 3), b"abc");
        }
        assert!(!inline.is_released());
        inline.release();
        assert!(inline.is_released());
    }

    #[test]
    fn impossible_blocks_are_refused() {
        assert_eq!(
            Block::zeroed(usize::MAX, 8).unwrap_err(),
            AllocError::TooLarge
        );
        assert_eq!(Block::zeroed(8, 3).unwrap_err(), AllocError::TooLarge);
        assert_eq!(Block::zeroed(8, 1 << 40).unwrap_err(), AllocError::TooLarge);
        assert_eq!(
            Block::zeroed(1 << 58, 8).unwrap_err(),
            AllocError::OutOfMemory
        );
    }

    #[test]
    fn blocks_and_inline_memory_are_two_words() {
        assert_eq!(size_of::<Block>(), 16);
        assert_eq!(size_of::<Inline>(), 16);
        let b = Block::zeroed(1000, 64).unwrap();
        assert_eq!((b.size(), b.addr() % 64), (1000, 0));
        assert_eq!(b.layout().align(), 64);
    }
}
