//! How a cdata object is laid out in memory, and how it is made.
//!
//! Every cdata object has a fixed part of three words after the Python
//! header (the ctype, an address or small value, and a word saying what
//! else there is), then its weak-reference slot: 48 bytes, the size of a
//! pointer from `ffi.cast()` in cffi. What a cdata owns or keeps alive,
//! its length when that is not its type's, `ffi.new()` memory and values
//! larger than a word live in a tail right after the fixed part, in the
//! same allocation, for the objects that have them. The word is also
//! where CPython finds a function pointer's vectorcall entry
//! (`cpython::vectorcall`): it holds NULL, the call entry, or a tag, which
//! is a vectorcall entry too (`vectorcall::tag`, calling `tp_call`), so
//! whatever an object holds there, calling it is safe; which tag a word
//! is takes one subtraction and a compare.
//!
//! | word          | the second word      | tail                         |
//! |---------------|----------------------|------------------------------|
//! | NULL or entry | address              | none (owns nothing, type's length) |
//! | `SMALL`       | a value of ≤ 8 bytes | none                         |
//! | `VALUE`       | unused               | a 16-byte value              |
//! | `WORD`        | `ffi.new()` memory of ≤ 8 bytes | none (`WORD_RELEASED` once released) |
//! | `INLINE`      | length               | [`Inline`] memory (≤ 8 bytes, an open array's) |
//! | `BIG`         | length               | [`BigHeader`], then `ffi.new()` memory (≤ 448 bytes) |
//! | `RECORD`      | the struct's address | the struct object `ffi.new("struct s *")` made |
//! | `GENERIC`     | address              | [`Generic`]: length, owner   |
//!
//! `_CDataBase` and `__CDataOwn` objects are plain (`cpython::plain`: not
//! tracked by the cycle collector; what they hold — memory, their struct,
//! ctypes — cannot lead back to them) and get their tail from one
//! allocation of the right size. The other classes are collected, and
//! their PyO3 value reserves room for a [`Generic`] tail (their only
//! layout). Among them `__CDataRef`: fields, items and slices that keep
//! a collected parent alive, which may be part of a cycle through it
//! (an `ffi.gc()` result whose destructor is a method of an object holding
//! the field).

// The accessors of the hot paths (item and field access, calls) are
// forced inline: they are small, and whether LLVM inlined them or not
// moved those paths by 10% from one build to the next.
#![allow(clippy::inline_always)]

use super::span::{Live, OwnedInts};
use super::{CData, Owner};
use crate::cpython::plain;
use crate::cpython::vectorcall;
use crate::types::{CType, Kind};
use ffi_runtime::memory::{Block, Inline, IntRepr};
use ffi_runtime::Slot;
use pyo3::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The tail of objects that own or keep something alive.
#[repr(C)]
pub(super) struct Generic {
    pub(super) length: usize,
    pub(super) owner: Owner,
}

/// Room for a [`Generic`] tail in the collected classes' PyO3 values.
pub struct Room(#[allow(dead_code)] [std::mem::MaybeUninit<u64>; 4]);

impl Room {
    pub(super) const fn new() -> Room {
        Room([std::mem::MaybeUninit::uninit(); 4])
    }
}

const _: () = assert!(size_of::<Generic>() == size_of::<Room>());
const _: () = assert!(size_of::<CData>() == 3 * size_of::<usize>());

/// Where the tail starts, from the start of the [`CData`] value: after it
/// and the weak-reference slot (checked against the types when the
/// allocators are learnt).
pub(super) const TAIL_AT: usize = size_of::<CData>() + size_of::<usize>();

/// The tags (`vectorcall::tag`), by what follows the fixed part.
pub(super) const SMALL: usize = 1;
pub(super) const VALUE: usize = 2;
pub(super) const INLINE: usize = 3;
pub(super) const GENERIC: usize = 4;
pub(super) const WORD: usize = 5;
pub(super) const WORD_RELEASED: usize = 6;
pub(super) const BIG: usize = 7;
pub(super) const RECORD: usize = 8;

/// The start of a `BIG` tail: the memory's size and whether it was
/// released; the memory follows, 16-byte aligned (objects are, and the
/// tail starts 48 bytes in).
#[repr(C)]
pub struct BigHeader {
    pub(super) size: usize,
    pub(super) released: std::sync::atomic::AtomicBool,
}

impl BigHeader {
    fn data(&self) -> usize {
        std::ptr::from_ref(self) as usize + size_of::<BigHeader>()
    }
}

const _: () = assert!(size_of::<BigHeader>() == 16);
const _: () = assert!(TAIL_AT % 16 == 0);

/// What the word says.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    Bare,
    Small,
    Value,
    Inline,
    Generic,
    Word,
    WordReleased,
    Big,
    Record,
}

/// `ffi.new()` memory kept inside the object: in its second word, in a
/// 16-byte tail (an open array's), or after a [`BigHeader`].
#[derive(Clone, Copy)]
pub enum InlineRef<'a> {
    Tail(&'a Inline),
    Word(&'a CData),
    Big(&'a BigHeader),
}

impl InlineRef<'_> {
    /// Where the bytes are.
    #[inline]
    pub fn addr(&self) -> usize {
        match self {
            InlineRef::Tail(i) => i.addr(),
            InlineRef::Word(cd) => cd.a.addr(),
            InlineRef::Big(h) => h.data(),
        }
    }

    /// How many bytes there are.
    #[inline]
    pub fn size(&self) -> usize {
        match self {
            InlineRef::Tail(i) => i.size(),
            InlineRef::Word(cd) => word_size(cd.ctype.get()).unwrap_or(0),
            InlineRef::Big(h) => h.size,
        }
    }

    /// Whether `ffi.release()` released them.
    #[inline]
    pub fn is_released(&self) -> bool {
        match self {
            InlineRef::Tail(i) => i.is_released(),
            InlineRef::Word(cd) => {
                cd.word.load(Ordering::Acquire) == vectorcall::tag(WORD_RELEASED)
            }
            InlineRef::Big(h) => h.released.load(Ordering::Acquire),
        }
    }

    /// Marks them released.
    pub fn release(&self) {
        match self {
            InlineRef::Tail(i) => i.release(),
            InlineRef::Word(cd) => cd
                .word
                .store(vectorcall::tag(WORD_RELEASED), Ordering::Release),
            InlineRef::Big(h) => h.released.store(true, Ordering::Release),
        }
    }
}

/// The bytes `ffi.new()` gives a cdata of type `ct` when they are kept in
/// its word: the item of a pointer, or the whole array or record.
#[inline(always)]
pub(super) fn word_size(ct: &CType) -> Option<usize> {
    match &ct.kind {
        Kind::Pointer { item } => item.get().size(),
        _ => ct.size(),
    }
    .map(|s| s as usize)
}

/// What a cdata owns or keeps alive, seen in place (see [`Owner`]).
pub enum Own<'a> {
    None,
    Value(Slot),
    Inline(InlineRef<'a>),
    Block(&'a Block),
    Keep(&'a Py<PyAny>),
    OwnedRecord(&'a Py<CData>),
    Allocated(&'a Py<CData>),
    Slice(&'a Py<PyAny>),
    Handle(&'a super::Handle),
    Gc(&'a super::GcState),
    FromBuffer(&'a super::FromBuffer),
    Callback(&'a super::Callback),
}

impl CData {
    #[inline(always)]
    pub(super) fn layout(&self) -> Layout {
        match vectorcall::which_tag(self.word.load(Ordering::Relaxed)) {
            Some(GENERIC) => Layout::Generic,
            Some(WORD) => Layout::Word,
            Some(RECORD) => Layout::Record,
            Some(BIG) => Layout::Big,
            Some(INLINE) => Layout::Inline,
            Some(SMALL) => Layout::Small,
            Some(VALUE) => Layout::Value,
            Some(WORD_RELEASED) => Layout::WordReleased,
            // NULL, a call entry, or an unused tag.
            _ => Layout::Bare,
        }
    }

    /// The tail's address (word-aligned, as the object's words are).
    #[inline]
    fn tail(&self) -> *const usize {
        // SAFETY: only the address is computed (inside or one past the
        // object); it is read only for layouts that have a tail there.
        unsafe {
            std::ptr::from_ref(self)
                .cast::<usize>()
                .add(TAIL_AT / size_of::<usize>())
        }
    }

    /// The tail as a `Generic`.
    ///
    /// # Safety
    /// The layout is [`Layout::Generic`].
    #[inline]
    unsafe fn generic_unchecked(&self) -> &Generic {
        // SAFETY: the caller's promise: the word says a `Generic` tail was
        // written there when the object was made (`make`); it lives as
        // long as the object.
        unsafe { &*self.tail().cast::<Generic>() }
    }

    /// The tail as `Inline` memory.
    ///
    /// # Safety
    /// The layout is [`Layout::Inline`].
    #[inline]
    unsafe fn inline_unchecked(&self) -> &Inline {
        // SAFETY: as in `generic_unchecked`, for an `Inline` tail.
        unsafe { &*self.tail().cast::<Inline>() }
    }

    /// The tail as a [`BigHeader`] and the memory after it.
    ///
    /// # Safety
    /// The layout is [`Layout::Big`].
    #[inline]
    unsafe fn big_unchecked(&self) -> &BigHeader {
        // SAFETY: as in `generic_unchecked`, for a `BigHeader`.
        unsafe { &*self.tail().cast::<BigHeader>() }
    }

    /// The tail as the struct object of `ffi.new("struct s *")`.
    ///
    /// # Safety
    /// The layout is [`Layout::Record`].
    #[inline]
    unsafe fn record_unchecked(&self) -> &Py<CData> {
        // SAFETY: as in `generic_unchecked`, for a `Py<CData>`.
        unsafe { &*self.tail().cast::<Py<CData>>() }
    }

    /// What this cdata owns or keeps alive.
    #[inline]
    pub fn owner(&self) -> Own<'_> {
        match self.layout() {
            Layout::Bare => Own::None,
            // SAFETY: the layout was just read.
            Layout::Inline => Own::Inline(InlineRef::Tail(unsafe { self.inline_unchecked() })),
            Layout::Word | Layout::WordReleased => Own::Inline(InlineRef::Word(self)),
            // SAFETY: the layout was just read.
            Layout::Big => Own::Inline(InlineRef::Big(unsafe { self.big_unchecked() })),
            // SAFETY: the layout was just read.
            Layout::Record => Own::OwnedRecord(unsafe { self.record_unchecked() }),
            Layout::Small => {
                let mut slot = [0u8; 16];
                slot[..8].copy_from_slice(&self.a.get().to_ne_bytes());
                Own::Value(Slot(slot))
            }
            // SAFETY: the word says a 16-byte value was written there.
            Layout::Value => Own::Value(Slot(unsafe { self.tail().cast::<[u8; 16]>().read() })),
            // SAFETY: the layout was just read.
            Layout::Generic => match unsafe { &self.generic_unchecked().owner } {
                // `Tail` is never stored (`make` lays it out).
                Owner::None | Owner::Tail(_) => Own::None,
                Owner::Value(v) => Own::Value(Slot(*v)),
                Owner::Block(b) => Own::Block(b),
                Owner::Inline(i) => Own::Inline(InlineRef::Tail(i)),
                Owner::Keep(k) => Own::Keep(k),
                Owner::OwnedRecord(c) => Own::OwnedRecord(c),
                Owner::Allocated(c) => Own::Allocated(c),
                Owner::Slice(k) => Own::Slice(k),
                Owner::Handle(h) => Own::Handle(h),
                Owner::Gc(g) => Own::Gc(g),
                Owner::FromBuffer(f) => Own::FromBuffer(f),
                Owner::Callback(c) => Own::Callback(c),
            },
        }
    }

    /// Where the memory is and, when known, where it ends, for the usual
    /// cases of [`CData::region`]: memory this object owns that was not
    /// released, or a C pointer. `None` for the others.
    #[inline(always)]
    pub(super) fn fast_extent(&self) -> Option<(usize, Option<usize>)> {
        match self.layout() {
            // SAFETY: the layout was just read. The struct object is kept
            // alive by this one, so its memory is where this one points.
            Layout::Record => unsafe { self.record_unchecked() }.get().own_extent(),
            _ => self.own_extent(),
        }
    }

    /// For memory `ffi.new()` made that this object holds itself and that
    /// was not released: the length the object keeps, where the memory is
    /// and where it ends, read with one look at the word (the item access
    /// and iteration of `ffi.new()` arrays; the extent of `region`).
    #[inline(always)]
    pub(super) fn owned_memory(&self) -> Option<(usize, usize, usize)> {
        self.owned_memory_as(self.layout())
    }

    /// This object's `ffi.new()` memory as integers of `repr`, found
    /// once for reads one by one (an iterator's); `None` if it holds none,
    /// or it was released.
    pub(crate) fn owned_ints(&self, repr: IntRepr) -> Option<OwnedInts> {
        let layout = self.layout();
        let (_, addr, end) = self.owned_memory_as(layout)?;
        let size = repr.size() as usize;
        let count = (end - addr).checked_div(size)?;
        let live = match layout {
            Layout::Generic => Live::Block,
            Layout::Big => Live::Big,
            Layout::Inline => Live::Inline,
            Layout::Word => Live::Word,
            _ => return None,
        };
        Some(OwnedInts {
            obj: std::ptr::from_ref(self) as usize,
            addr,
            repr,
            size,
            count,
            live,
        })
    }

    /// Whether the memory found as `live` says is still there.
    ///
    /// # Safety
    /// `live` must have been found for this very object
    /// ([`CData::owned_ints`]): the layouts it stands for never change,
    /// but for `WORD`, which becomes `WORD_RELEASED` (and that is what is
    /// checked).
    #[inline(always)]
    pub(super) unsafe fn is_live(&self, live: Live) -> bool {
        match live {
            Live::Block => {
                // SAFETY: the caller's promise: this object's layout is
                // `GENERIC`.
                let generic = unsafe { self.generic_unchecked() };
                matches!(generic.owner, Owner::Block(ref b) if !b.is_released())
            }
            // SAFETY: the caller's promise: this object's layout is `BIG`.
            Live::Big => !unsafe { self.big_unchecked() }
                .released
                .load(Ordering::Acquire),
            // SAFETY: the caller's promise: this object's layout is `INLINE`.
            Live::Inline => !unsafe { self.inline_unchecked() }.is_released(),
            Live::Word => self.word.load(Ordering::Acquire) == vectorcall::tag(WORD),
        }
    }

    /// [`CData::owned_memory`], `layout` being this object's.
    #[inline(always)]
    fn owned_memory_as(&self, layout: Layout) -> Option<(usize, usize, usize)> {
        debug_assert!(layout == self.layout());
        match layout {
            // SAFETY: the layout is this object's.
            Layout::Generic => match unsafe { self.generic_unchecked() } {
                Generic {
                    length,
                    owner: Owner::Block(b),
                } => {
                    // One look at the block (its loads are atomic).
                    let addr = b.addr();
                    (addr != 0).then(|| (*length, addr, addr + b.size()))
                }
                _ => None,
            },
            Layout::Big => {
                // SAFETY: the layout is this object's.
                let h = unsafe { self.big_unchecked() };
                (!h.released.load(Ordering::Acquire))
                    .then(|| (self.a(), h.data(), h.data() + h.size))
            }
            Layout::Inline => {
                // SAFETY: the layout is this object's.
                let i = unsafe { self.inline_unchecked() };
                (!i.is_released()).then(|| (self.a(), i.addr(), i.addr() + i.size()))
            }
            Layout::Word => {
                let at = self.a.addr();
                word_size(self.ctype.get())
                    .map(|size| (type_length(self.ctype.get()), at, at + size))
            }
            _ => None,
        }
    }

    /// [`CData::fast_extent`] for memory of this object itself.
    #[inline(always)]
    fn own_extent(&self) -> Option<(usize, Option<usize>)> {
        match self.layout() {
            Layout::Bare => Some((self.a(), None)),
            layout => self
                .owned_memory_as(layout)
                .map(|(_, addr, end)| (addr, Some(end))),
        }
    }

    /// Whether this cdata owns nothing, or only memory `ffi.new()` made
    /// (its own or its struct's): the owners whose memory
    /// [`CData::region`] finds without running Python code.
    #[inline(always)]
    pub(crate) fn owns_plainly(&self) -> bool {
        match self.layout() {
            Layout::Bare
            | Layout::Word
            | Layout::WordReleased
            | Layout::Big
            | Layout::Inline
            | Layout::Record => true,
            Layout::Generic => matches!(
                // SAFETY: the layout was just read.
                unsafe { &self.generic_unchecked().owner },
                Owner::None | Owner::Block(_) | Owner::OwnedRecord(_)
            ),
            Layout::Small | Layout::Value => false,
        }
    }

    /// The pointer value, or where the array or record is (without the
    /// check of [`CData::data_addr`]); 0 for a primitive value.
    #[inline]
    pub fn addr(&self) -> usize {
        match self.layout() {
            // A generic tail never holds inline memory (`make`).
            Layout::Bare | Layout::Generic | Layout::Record => self.a(),
            // SAFETY: the layout was just read.
            Layout::Big => unsafe { self.big_unchecked() }.data(),
            // SAFETY: the layout was just read.
            Layout::Inline => unsafe { self.inline_unchecked() }.addr(),
            Layout::Word | Layout::WordReleased => self.a.addr(),
            Layout::Small | Layout::Value => 0,
        }
    }

    /// Arrays: the number of items (a `T[]` gets it from `ffi.new()` or
    /// from the slice); 0 for what is not an array.
    #[inline]
    pub fn length(&self) -> usize {
        match self.layout() {
            Layout::Bare | Layout::Word | Layout::WordReleased | Layout::Record => {
                type_length(self.ctype.get())
            }
            // SAFETY: the layout was just read.
            Layout::Generic => unsafe { self.generic_unchecked() }.length,
            Layout::Inline | Layout::Big => self.a(),
            Layout::Small | Layout::Value => 0,
        }
    }

    /// The second word as a plain value (an address or a length).
    #[inline(always)]
    pub(super) fn a(&self) -> usize {
        self.a.get() as usize
    }

    /// The word CPython reads as the vectorcall entry.
    pub(super) fn call_word(&self) -> &AtomicUsize {
        &self.word
    }
}

/// The length an array type gives its cdata (0 for other types).
pub(super) fn type_length(ct: &CType) -> usize {
    match ct.kind {
        Kind::Array { len: Some(n), .. } => n as usize,
        _ => 0,
    }
}

impl Drop for CData {
    fn drop(&mut self) {
        // SAFETY: the word says which tail was written (`wrap`); it is
        // dropped once, here, with the value.
        unsafe {
            match self.layout() {
                Layout::Generic => {
                    std::ptr::drop_in_place(self.tail().cast_mut().cast::<Generic>());
                }
                Layout::Inline => {
                    std::ptr::drop_in_place(self.tail().cast_mut().cast::<Inline>());
                }
                Layout::Record => {
                    std::ptr::drop_in_place(self.tail().cast_mut().cast::<Py<CData>>());
                }
                _ => {}
            }
        }
    }
}

impl plain::Untracked for CData {
    unsafe fn drop_attached(this: *mut CData, py: Python<'_>) {
        // SAFETY: the caller's promise: `this` is a live value of an
        // object being deallocated, not used again. Its tail and ctype
        // are each read out and dropped once; the value itself is not
        // dropped (its `Drop` would drop the tail again), only freed with
        // the object.
        unsafe {
            match (*this).layout() {
                Layout::Generic => match (*this).tail().cast::<Generic>().read().owner {
                    Owner::Keep(k) | Owner::Slice(k) => k.drop_ref(py),
                    Owner::OwnedRecord(c) | Owner::Allocated(c) => c.drop_ref(py),
                    other => drop(other),
                },
                Layout::Inline => {
                    std::ptr::drop_in_place((*this).tail().cast_mut().cast::<Inline>());
                }
                Layout::Record => (*this).tail().cast::<Py<CData>>().read().drop_ref(py),
                _ => {}
            }
            std::ptr::read(&raw const (*this).ctype).drop_ref(py);
        }
    }
}
