//! What a cdata is: the `_CDataBase` object (`<cdata 'int(*)(int)' 0x...>`),
//! what it owns or keeps alive, how it is made, and how it is released.
//!
//! A cdata is one of: a pointer value (pointers and function pointers: the
//! address is the value); a primitive value (from `ffi.cast()` and `long
//! double` results, kept in a slot in C's memory layout); or a reference
//! to an array or record in memory, which it may own (`ffi.new()`) or keep
//! its owner alive for.
//!
//! This layer knows no conversion: `convert` (above) reads and writes
//! values, `call` calls function pointers, `cdata` gives the object its
//! Python behaviour.

mod callback_state;
mod func;
mod gc;
mod handle;
mod held_buffer;
mod layout;
mod make;
mod owner;
pub mod pressure;
mod prim;
mod span;

pub use callback_state::{Callback, CallbackState};
pub use ffi_runtime::memory::Inline;
pub use func::{set_call_entry, vectorcall_installed};
pub use gc::{finalize as gc_finalize, gc, GcState};
pub use handle::{from_handle, new_handle, Handle};
pub use held_buffer::{FromBuffer, View};
pub use layout::{Own, Room};
pub use make::{init as init_layout, ready as layout_ready};
pub use owner::Owner;
pub use prim::{wide_out_of_range, PrimPy};
pub use span::OwnedInts;

use crate::types::{CType, Kind};
use ffi_runtime::memory::{Block, Region};
use ffi_runtime::value::Prim;
use ffi_runtime::Slot;
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;

/// A C value seen from Python. Its fields are laid out for size (see
/// [`layout`]): what it owns, its length and values larger than a word
/// are reached through [`CData::owner`], [`CData::length`] and
/// [`CData::addr`]. Made only inside its object, from a [`NewCData`].
#[pyclass(
    frozen,
    subclass,
    weakref,
    module = "_cffi_backend",
    name = "_CDataBase"
)]
pub struct CData {
    /// The value's type.
    pub ctype: Py<CType>,
    /// The pointer value, or where the array or record is; a value of at
    /// most 8 bytes; up to 8 bytes of `ffi.new()` memory; or an inline
    /// array's length (see [`layout`]).
    a: ffi_runtime::memory::InlineWord,
    /// NULL, a function pointer's vectorcall entry, or a layout tag (which
    /// changes only when inline memory is released).
    word: std::sync::atomic::AtomicUsize,
}

/// What a new cdata object is made of ([`NewCData::wrap`]).
pub struct NewCData {
    /// The value's type.
    pub ctype: Py<CType>,
    /// For pointer-like ctypes, the pointer itself; for arrays and records,
    /// where their memory starts (for inline memory, fixed only once the
    /// object exists).
    pub addr: usize,
    /// Arrays: the number of items.
    pub length: usize,
    /// What the object owns or keeps alive.
    pub owner: Owner,
}

impl CData {
    /// A pointer-like cdata (pointer, function pointer) holding `addr`.
    pub fn pointer(ctype: Py<CType>, addr: usize) -> NewCData {
        let length = match ctype.get().kind {
            Kind::Array { len: Some(n), .. } => n as usize,
            _ => 0,
        };
        NewCData {
            ctype,
            addr,
            length,
            owner: Owner::None,
        }
    }

    /// For a struct that `ffi.new()` made with room for its flexible array
    /// member (its own, or that of a struct ending it): the size including
    /// those items (F-05.41).
    pub fn varsize_record_bytes(&self, py: Python<'_>) -> PyResult<Option<u64>> {
        let ct = self.ctype.get();
        let (Kind::Record { .. }, Some(n)) = (&ct.kind, self.flex_len()) else {
            return Ok(None);
        };
        let Some((offset, item_size)) = flexible_member(py, ct)? else {
            return Ok(None);
        };
        let size = ct.size().unwrap_or(0);
        Ok(Some(size.max(offset + item_size * n as u64)))
    }

    /// `sizeof()` of this cdata where it is not its type's: the bytes of
    /// an array's items, whatever its type says (`int[]` from `ffi.new()`,
    /// a slice, `ffi.from_buffer()`; F-03.73), the bytes `ffi.new()` gave
    /// a struct with a flexible array member (F-05.41), and -1 for a
    /// reference to an opaque struct (`p[0]`), as cffi answers.
    pub fn data_size(&self, py: Python<'_>) -> PyResult<Option<i64>> {
        let ct = self.ctype.get();
        if matches!(ct.kind, Kind::Record { .. }) && ct.size().is_none() {
            return Ok(Some(-1));
        }
        if let Some(size) = self.array_bytes() {
            return Ok(Some(size as i64));
        }
        Ok(self.varsize_record_bytes(py)?.map(|s| s as i64))
    }

    /// The length `ffi.new()` gave the flexible array member of the struct
    /// this owns (or is), if any.
    pub(crate) fn flex_len(&self) -> Option<usize> {
        match self.owner() {
            Own::Block(_) | Own::Inline(_)
                if matches!(self.ctype.get().kind, Kind::Record { .. }) =>
            {
                Some(self.length())
            }
            Own::OwnedRecord(p) => p.get().flex_len(),
            _ => None,
        }
    }

    /// For array cdata: the bytes of its items.
    pub fn array_bytes(&self) -> Option<u64> {
        match &self.ctype.get().kind {
            Kind::Array { item, .. } => Some(item.get().size()? * self.length() as u64),
            _ => None,
        }
    }

    /// A primitive value (memory layout in `slot`).
    pub fn scalar(ctype: Py<CType>, slot: Slot) -> NewCData {
        NewCData {
            ctype,
            addr: 0,
            length: 0,
            owner: Owner::Value(slot.0),
        }
    }

    /// An array or record at `addr`, `length` items for arrays.
    pub fn reference(ctype: Py<CType>, addr: usize, length: usize, owner: Owner) -> NewCData {
        NewCData {
            ctype,
            addr,
            length,
            owner,
        }
    }

    /// A new cdata owning a copy of `bytes`, kept in its own word, if its
    /// type keeps `ffi.new()` memory so (at most 8 bytes).
    #[inline(always)]
    #[allow(clippy::inline_always)] // a size check, then the maker
    pub fn owned_word(
        py: Python<'_>,
        ctype: &Py<CType>,
        bytes: &[u8],
    ) -> Option<PyResult<Py<CData>>> {
        make::make_word(py, ctype, bytes)
    }

    /// Memory owned by the new cdata: `ffi.new()`'s result.
    pub fn owning(ctype: Py<CType>, block: Block, length: usize) -> NewCData {
        NewCData {
            ctype,
            addr: block.addr(),
            length,
            owner: Owner::Block(block),
        }
    }

    /// The address this cdata designates (its pointer value, or where its
    /// array or record is), checking that owned memory was not released.
    #[inline]
    pub fn data_addr(&self, py: Python<'_>) -> PyResult<usize> {
        match self.owner() {
            // The pointer of `ffi.new("struct s *")`: its address is the
            // struct's, fixed at creation; only a release is to check.
            Own::OwnedRecord(p) => match p.get().owner() {
                Own::Inline(i) if !i.is_released() => Ok(self.addr()),
                Own::Block(b) if b.addr() != 0 => Ok(self.addr()),
                _ => p.get().data_addr(py),
            },
            Own::Block(b) if b.addr() == 0 => Err(released()),
            Own::Inline(i) if i.is_released() => Err(released()),
            Own::FromBuffer(fb) if fb.is_released() => Err(released()),
            Own::Gc(state) => state.original.get().data_addr(py),
            Own::Allocated(a) => a.get().data_addr(py).map(|_| self.addr()),
            Own::Keep(k) | Own::Slice(k) => match k.bind(py).cast::<CData>() {
                Ok(parent) => parent.get().data_addr(py).map(|_| self.addr()),
                Err(_) => Ok(self.addr()),
            },
            _ => Ok(self.addr()),
        }
    }

    /// The memory this cdata designates (its array or record, or what its
    /// pointer points to), checked against `ffi.release()` as
    /// [`CData::data_addr`] is. Its extent is exact where the memory is
    /// known here (owned by this cdata, or a part of memory a cdata owns
    /// or holds from a buffer); elsewhere it is a C pointer's, open-ended:
    /// only whoever made the pointer knows how far it reaches, as in C.
    ///
    /// The region is good until Python code next runs (which may release
    /// the memory): ask again after any conversion that can run code.
    #[inline(always)]
    #[allow(clippy::inline_always)] // see `layout`
    pub fn region(&self, py: Python<'_>) -> PyResult<Region<'_>> {
        // The usual cases first, small enough to be inlined where the
        // region is asked for: memory this object owns (not released), or
        // a C pointer.
        match self.fast_extent() {
            Some((addr, end)) => Ok(vouch(addr, end)),
            None => self.region_slow(py),
        }
    }

    /// For an array `ffi.new()` made (not released): its length and its
    /// memory, found at once; `None` for every other cdata.
    #[inline(always)]
    #[allow(clippy::inline_always)] // see `layout`
    pub(crate) fn owned_items(&self) -> Option<(usize, Region<'_>)> {
        let (length, addr, end) = self.owned_memory()?;
        Some((length, vouch(addr, Some(end))))
    }

    /// [`CData::region`] for the other cases (memory this object holds
    /// itself, not released, is `fast_extent`'s).
    fn region_slow(&self, py: Python<'_>) -> PyResult<Region<'_>> {
        let (addr, end) = match self.owner() {
            Own::None => (self.a(), None),
            // The pointer `ffi.new("struct s *")` made: the struct's memory.
            Own::OwnedRecord(p) => return p.get().region(py),
            _ => (self.data_addr(py)?, self.known_end(py)),
        };
        Ok(vouch(addr, end))
    }

    /// Where the memory known to this cdata ends (exclusive), when its
    /// extent is known: memory it owns, holds from a buffer, or is a part
    /// of (a field, item or slice of such memory).
    fn known_end(&self, py: Python<'_>) -> Option<usize> {
        match self.owner() {
            Own::Block(b) => Some(b.addr() + b.size()),
            Own::Inline(i) => Some(i.addr() + i.size()),
            Own::FromBuffer(fb) => {
                let (addr, len) = fb.extent();
                Some(addr + len)
            }
            Own::OwnedRecord(p) => p.get().known_end(py),
            Own::Gc(state) => state.original.get().known_end(py),
            Own::Keep(k) | Own::Slice(k) => {
                let parent = k.bind(py).cast::<CData>().ok()?;
                let parent = parent.get();
                // A part of the parent's memory ends where it does; a
                // pointer's target (a field read through a pointer) is
                // C's, unbounded here.
                let end = parent.known_end(py)?;
                (parent.addr()..=end).contains(&self.addr()).then_some(end)
            }
            _ => None,
        }
    }

    /// The bytes `ffi.new()` gave this cdata (or its struct), if any.
    pub fn owned_size(&self) -> Option<usize> {
        match self.owner() {
            Own::Block(b) => Some(b.size()),
            Own::Inline(i) => Some(i.size()),
            // A struct from an allocator owns through its `alloc()` result.
            Own::OwnedRecord(p) => p
                .get()
                .owned_size()
                .or_else(|| p.get().ctype.get().size().map(|s| s as usize)),
            _ => None,
        }
    }

    /// Marks released the memory this cdata or its struct owns (it stays
    /// until the object goes, as cffi's does: C may still hold its
    /// address), or runs its `ffi.gc()`/allocator destructor, or releases
    /// its buffer. Memory from an allocator without `free` is left alone.
    pub(crate) fn release_now(&self, py: Python<'_>) {
        match self.owner() {
            Own::Block(b) => b.release(),
            Own::Inline(i) => i.release(),
            Own::Gc(state) => state.run(py),
            Own::FromBuffer(fb) => fb.release(),
            Own::OwnedRecord(p) => p.get().release_now(py),
            _ => {}
        }
    }

    /// A `long double` value.
    pub fn long_double(ctype: Py<CType>, bytes: [u8; 16]) -> NewCData {
        CData::scalar(ctype, Slot(bytes))
    }

    /// The primitive value this cdata holds, decoded.
    pub fn prim(&self) -> Option<Prim> {
        self.ctype.get().read_prim(&self.slot()?)
    }

    /// The raw slot of a primitive value (also through `ffi.gc()`).
    pub fn slot(&self) -> Option<Slot> {
        match self.owner() {
            Own::Value(slot) => Some(slot),
            Own::Gc(state) => state.original.get().slot(),
            _ => None,
        }
    }

    /// The value of a complex cdata; others refuse as cffi's `complex()`
    /// does.
    pub fn complex_value(&self) -> PyResult<(f64, f64)> {
        match self.prim() {
            Some(Prim::Complex(re, im)) => Ok((re, im)),
            _ => Err(PyTypeError::new_err(format!(
                "complex() not supported on cdata '{}'",
                self.ctype.get().cname
            ))),
        }
    }

    /// The bytes of a `long double` value, if this is one.
    pub fn long_double_bytes(&self) -> Option<[u8; 16]> {
        match self.prim()? {
            Prim::LongDouble(b) => Some(b),
            _ => None,
        }
    }
}

impl NewCData {
    /// The Python object for this cdata, of the subclass cffi gives what it
    /// owns (F-05.01): `__CDataOwn` for `ffi.new()` memory (and the struct
    /// an owning pointer points to), `__CDataGCP` for `ffi.gc()` and
    /// custom allocators, `__CDataOwnGC` for handles, `__CDataFromBuf` for
    /// `ffi.from_buffer()`; `_CDataBase` itself for everything else.
    #[inline]
    pub fn wrap(self, py: Python<'_>) -> PyResult<Py<CData>> {
        // The usual case first, inlined: a pointer, or an array or record
        // C owns; function pointers get the vectorcall entry.
        if matches!(self.owner, Owner::None) && self.length == layout::type_length(self.ctype.get())
        {
            let NewCData {
                ctype, addr, owner, ..
            } = self;
            // `Owner::None` holds nothing: no drop (which the compiler
            // kept as an out-of-line call on every cdata made here).
            std::mem::forget(owner);
            return match ctype.get().kind {
                Kind::Function(_) => func::wrap(py, ctype, addr),
                _ => make::make_bare(py, ctype, addr, 0),
            };
        }
        self.wrap_owning(py)
    }

    /// [`NewCData::wrap`] of the other cases.
    #[inline(never)]
    fn wrap_owning(self, py: Python<'_>) -> PyResult<Py<CData>> {
        use make::Class;
        let class = match self.owner {
            Owner::Block(_) | Owner::Inline(_) | Owner::Tail(_) | Owner::OwnedRecord(_) => {
                Class::Own
            }
            Owner::Gc(_) | Owner::Allocated(_) => Class::Gcp,
            Owner::Handle(_) | Owner::Callback(_) => Class::OwnGc,
            Owner::FromBuffer(_) => Class::FromBuf,
            // A reference keeping a collected parent alive may be part of
            // a cycle through it (an `ffi.gc()` result whose destructor
            // refers to an object holding the field): collected too. Of
            // a plain parent, a plain `_CDataBase`, as in cffi.
            Owner::Keep(ref p) | Owner::Slice(ref p)
                if crate::cpython::gc::is_tracked(p.bind(py)) =>
            {
                Class::Ref
            }
            _ => Class::Base,
        };
        make::make(py, self, class)
    }
}

impl CData {
    /// True for the owners `ffi.release()` and `with` apply to.
    /// (`p[0]` of an owning struct pointer owns the memory but is not
    /// one: cffi releases it only through `p`.)
    pub(crate) fn is_releasable(&self) -> bool {
        match self.owner() {
            Own::Block(_) | Own::Inline(_) => !matches!(self.ctype.get().kind, Kind::Record { .. }),
            Own::OwnedRecord(_) | Own::Gc(_) | Own::FromBuffer(_) | Own::Allocated(_) => true,
            _ => false,
        }
    }

    /// `ffi.release(self)` (F-03.14).
    pub fn release(&self, py: Python<'_>) -> PyResult<()> {
        if !self.is_releasable() {
            return Err(not_releasable());
        }
        self.release_now(py);
        Ok(())
    }
}

/// The type objects of `_CDataBase` and its five subclasses, recorded
/// once they exist (see [`as_cdata`]).
static CLASSES: [std::sync::atomic::AtomicUsize; 6] =
    [const { std::sync::atomic::AtomicUsize::new(0) }; 6];

/// Records the cdata classes' type objects (at module initialization).
pub(crate) fn record_classes(py: Python<'_>) {
    let classes = [
        py.get_type::<CData>(),
        py.get_type::<CDataOwn>(),
        py.get_type::<CDataGcp>(),
        py.get_type::<CDataOwnGc>(),
        py.get_type::<CDataRef>(),
        py.get_type::<CDataFromBuf>(),
    ];
    for (slot, class) in CLASSES.iter().zip(classes) {
        slot.store(
            class.as_ptr() as usize,
            std::sync::atomic::Ordering::Relaxed,
        );
    }
}

/// `obj` as a cdata, if it is one. An object of one of the cdata classes
/// is known by its type object in a few compares; PyO3's `cast` walks the
/// type's MRO for every class but `_CDataBase` itself (an `ffi.new()`
/// result is a `__CDataOwn`), and is left for anything else.
#[inline(always)]
#[allow(clippy::inline_always)] // a load and a few compares, on every conversion
pub fn as_cdata<'a, 'py>(obj: &'a Bound<'py, PyAny>) -> Option<&'a Bound<'py, CData>> {
    let tp = obj.get_type_ptr() as usize;
    if CLASSES
        .iter()
        .any(|c| c.load(std::sync::atomic::Ordering::Relaxed) == tp)
    {
        // SAFETY: the object's type is one of the cdata classes, each
        // `CData` or a subclass of it.
        return Some(unsafe { obj.cast_unchecked::<CData>() });
    }
    obj.cast::<CData>().ok()
}

/// `ffi.release(obj)` (F-03.14, F-03.105).
pub fn release(obj: &Bound<'_, PyAny>) -> PyResult<()> {
    match obj.cast::<CData>() {
        Ok(cd) => cd.get().release(obj.py()),
        Err(_) => Err(PyTypeError::new_err("expected a 'cdata' object")),
    }
}

/// `ffi.new()` results (F-05.01).
#[pyclass(frozen, subclass, extends = CData, module = "_cffi_backend", name = "__CDataOwn")]
pub struct CDataOwn;

/// `ffi.gc()` results and custom allocators' (F-05.01). In a garbage
/// cycle the destructor runs from the type's finalizer (`gc::finalize`),
/// before the collector clears anything of the cycle, as in cffi. Like
/// the other collected classes, it holds room for the object's tail.
#[pyclass(frozen, extends = CData, module = "_cffi_backend", name = "__CDataGCP")]
pub struct CDataGcp {
    pub(crate) _tail: Room,
}

/// `ffi.new_handle()` results (F-05.01).
#[pyclass(frozen, extends = CDataOwn, module = "_cffi_backend", name = "__CDataOwnGC")]
pub struct CDataOwnGc {
    pub(crate) _tail: Room,
}

/// Fields, items and slices of a collected cdata (an `ffi.gc()`,
/// allocator or `ffi.from_buffer()` result, or another such reference),
/// which keep their parent alive (cffi returns plain `_CDataBase`
/// references that dangle once the parent is gone; docs/compat.md).
/// Collected: the parent may be part of a cycle through them.
#[pyclass(frozen, extends = CData, module = "_cffi_backend", name = "__CDataRef")]
pub struct CDataRef {
    pub(crate) _tail: Room,
}

/// `ffi.from_buffer()` results (F-05.01).
#[pyclass(frozen, extends = CData, module = "_cffi_backend", name = "__CDataFromBuf")]
pub struct CDataFromBuf {
    pub(crate) _tail: Room,
}

/// The flexible array member `T[]` a struct ends with, directly or
/// through a struct that is its last member: its offset from the outer
/// struct's start, and its item size.
fn flexible_member(py: Python<'_>, record: &CType) -> PyResult<Option<(u64, u64)>> {
    let Some(fields) = crate::types::fields(py, record)? else {
        return Ok(None);
    };
    let Some(last) = fields
        .iter()
        .find(|f| f.is_flexible())
        .or_else(|| fields.iter().rfind(|f| !f.later_union_member()))
    else {
        return Ok(None);
    };
    let offset = last.offset() as u64;
    Ok(match &last.ctype.get().kind {
        Kind::Array { item, len: None } => Some((offset, item.get().size().unwrap_or(0))),
        Kind::Record { union: false, .. } => {
            flexible_member(py, last.ctype.get())?.map(|(o, size)| (offset + o, size))
        }
        _ => None,
    })
}

/// The region of a cdata's memory at `addr`, bounded by `end` when known.
///
/// This is the one place a cdata's memory is vouched for: the callers
/// ([`CData::region`]) checked that owned memory was not released, and the
/// cdata (borrowed for the region's lifetime) keeps its memory or the
/// memory's owner alive. A known end bounds the region to that memory;
/// without one, the address is a C pointer the user made or C returned,
/// trusted as C and cffi trust it.
#[inline(always)]
#[allow(clippy::inline_always)] // see `layout`
fn vouch<'a>(addr: usize, end: Option<usize>) -> Region<'a> {
    // SAFETY: as said above.
    unsafe {
        match end {
            Some(end) => Region::new(addr, end.saturating_sub(addr)),
            None => Region::open(addr),
        }
    }
}

pub(crate) fn not_releasable() -> PyErr {
    PyValueError::new_err(
        "only 'cdata' object from ffi.new(), ffi.gc(), ffi.from_buffer() or ffi.new_allocator()() \
         can be used with the 'with' keyword or ffi.release()",
    )
}

pub(crate) fn null_deref(cname: &str) -> PyErr {
    PyRuntimeError::new_err(format!(
        "cannot dereference null pointer from cdata '{cname}'"
    ))
}

pub(crate) fn released() -> PyErr {
    PyValueError::new_err("cdata memory was released by ffi.release()")
}
