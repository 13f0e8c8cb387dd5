//! What a cdata owns or keeps alive.

use super::{CData, GcState, Handle};
use ffi_runtime::memory::Block;
use pyo3::prelude::*;

/// What a cdata owns or keeps alive.
pub enum Owner {
    /// Nothing: a value, or memory that C owns.
    None,
    /// A primitive value (`ffi.cast("int", 42)`, a `long double` result),
    /// in C's memory layout. Kept as bytes: a `Slot`'s 16-byte alignment
    /// would grow every cdata object.
    Value([u8; 16]),
    /// Memory from `ffi.new()`, freed with this object or by `ffi.release()`.
    Block(Block),
    /// Small memory from `ffi.new()`, inside this object.
    Inline(Inline),
    /// A reference into memory that this object (the owner) keeps alive.
    Keep(Py<PyAny>),
    /// For an owning `T *` from `ffi.new()` with `T` a struct or union:
    /// the struct object, which owns the memory. `p[0]` returns it, and it
    /// outlives `p` (F-05.53), as in cffi.
    OwnedRecord(Py<CData>),
    /// Memory from a custom allocator without `free` (`ffi.new_allocator`):
    /// the `alloc()` result, kept alive.
    Allocated(Py<CData>),
    /// A slice `a[i:j]` of an array, keeping the array alive.
    Slice(Py<PyAny>),
    /// `ffi.new_handle(obj)`: a unique `void *` that `ffi.from_handle()`
    /// maps back to `obj` while this cdata lives.
    Handle(Handle),
    /// `ffi.gc(original, destructor)`: calls the destructor with the
    /// original cdata when this one dies or is released.
    Gc(Box<GcState>),
    /// `ffi.from_buffer(obj)`: memory of `obj`, whose buffer it holds.
    FromBuffer(Box<crate::object::FromBuffer>),
    /// `ffi.callback()`: the C function pointer (a closure) and the
    /// Python callable behind it.
    Callback(Box<crate::object::Callback>),
}

/// Memory of at most [`Inline::MAX`] bytes (aligned to at most 8) kept
/// inside the cdata object: `ffi.new("int *")` needs no allocation of its
/// own. `ffi.release()` only marks it released.
pub struct Inline {
    data: std::cell::UnsafeCell<[u64; 2]>,
    size: u8,
    released: std::sync::atomic::AtomicBool,
}

// SAFETY: the bytes are C memory: only ever read and written through raw
// pointers (from `addr()`), like a `Block`'s heap memory, never through
// Rust references; concurrent access is the program's business as in C.
unsafe impl Sync for Inline {}

impl Inline {
    /// The most bytes kept inline.
    pub const MAX: usize = 16;

    /// `size` zero bytes (at most [`Inline::MAX`]).
    pub fn zeroed(size: usize) -> Inline {
        debug_assert!(size <= Inline::MAX);
        Inline {
            data: std::cell::UnsafeCell::new([0; 2]),
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

    pub(crate) fn is_released(&self) -> bool {
        self.released.load(std::sync::atomic::Ordering::Acquire)
    }

    pub(crate) fn release(&self) {
        self.released
            .store(true, std::sync::atomic::Ordering::Release);
    }
}
