//! What a cdata owns or keeps alive.

use super::{CData, GcState, Handle};
use ffi_runtime::memory::{Block, Inline};
use pyo3::prelude::*;

impl Owner {
    /// The most bytes of `ffi.new()` memory kept after the object's fixed
    /// part (the object then stays within CPython's small-object
    /// allocator); larger memory is a [`Block`] of its own.
    pub const TAIL_MAX: usize = 448;
}

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
    /// Memory from `ffi.new()` of this many bytes (at most
    /// [`Owner::TAIL_MAX`], aligned to at most 16), inside the object
    /// after its fixed part. Only for making the object: `wrap` lays it
    /// out (`layout`), and no object's owner is ever this.
    Tail(usize),
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
