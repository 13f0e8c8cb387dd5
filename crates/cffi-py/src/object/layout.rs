//! How a cdata object is laid out in memory, and how it is made.
//!
//! Every cdata object has a fixed part of three words after the Python
//! header (the ctype, an address or small value, and a word saying what
//! else there is), then its weak-reference slot: 48 bytes, the size of a
//! pointer from `ffi.cast()` in cffi. What a cdata owns or keeps alive,
//! its length when that is not its type's, and values larger than a word
//! live in a tail right after the fixed part, in the same allocation, for
//! the objects that have them. The word is also where CPython finds a
//! function pointer's vectorcall entry (`cpython::vectorcall`): it holds
//! NULL, the call entry, or one of four tags, which are vectorcall entries
//! too (`vectorcall::tag`, calling `tp_call`), so whatever an object holds
//! there, calling it is safe.
//!
//! | word          | the second word      | tail                         |
//! |---------------|----------------------|------------------------------|
//! | NULL or entry | address              | none (owns nothing, type's length) |
//! | `SMALL`       | a value of ≤ 8 bytes | none                         |
//! | `VALUE`       | unused               | a 16-byte value              |
//! | `INLINE`      | length               | [`Inline`] memory            |
//! | `GENERIC`     | address              | [`Generic`]: length, owner   |
//!
//! `_CDataBase` and `__CDataOwn` objects are plain (`cpython::plain`: not
//! tracked by the cycle collector, their owners hold no Python object that
//! could lead back to them) and get their tail from one allocation of the
//! right size. The other classes are collected, and their PyO3 value
//! reserves room for a [`Generic`] tail (their only layout).

use super::{CData, Owner};
use crate::cpython::alloc::Allocator;
use crate::cpython::plain::{self, Plain};
use crate::cpython::vectorcall::{self, Entry};
use crate::types::{CType, Kind};
use ffi_runtime::memory::{Block, Inline};
use ffi_runtime::Slot;
use pyo3::exceptions::PySystemError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

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
const TAIL_AT: usize = size_of::<CData>() + size_of::<usize>();

fn tag_small() -> usize {
    vectorcall::tag::<1>() as usize
}
fn tag_value() -> usize {
    vectorcall::tag::<2>() as usize
}
fn tag_inline() -> usize {
    vectorcall::tag::<3>() as usize
}
fn tag_generic() -> usize {
    vectorcall::tag::<4>() as usize
}

/// What the word says.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    Bare,
    Small,
    Value,
    Inline,
    Generic,
}

/// What a cdata owns or keeps alive, seen in place (see [`Owner`]).
pub enum Own<'a> {
    None,
    Value(Slot),
    Inline(&'a Inline),
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
    #[inline]
    pub(super) fn layout(&self) -> Layout {
        let w = self.word;
        if w == tag_generic() {
            Layout::Generic
        } else if w == 0 {
            Layout::Bare
        } else if w == tag_inline() {
            Layout::Inline
        } else if w == tag_small() {
            Layout::Small
        } else if w == tag_value() {
            Layout::Value
        } else {
            Layout::Bare
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

    /// What this cdata owns or keeps alive.
    #[inline]
    pub fn owner(&self) -> Own<'_> {
        match self.layout() {
            Layout::Bare => Own::None,
            // SAFETY: the layout was just read.
            Layout::Inline => Own::Inline(unsafe { self.inline_unchecked() }),
            Layout::Small => {
                let mut slot = [0u8; 16];
                slot[..8].copy_from_slice(&self.a.to_ne_bytes());
                Own::Value(Slot(slot))
            }
            // SAFETY: the word says a 16-byte value was written there.
            Layout::Value => Own::Value(Slot(unsafe { self.tail().cast::<[u8; 16]>().read() })),
            // SAFETY: the layout was just read.
            Layout::Generic => match unsafe { &self.generic_unchecked().owner } {
                Owner::None => Own::None,
                Owner::Value(v) => Own::Value(Slot(*v)),
                Owner::Block(b) => Own::Block(b),
                Owner::Inline(i) => Own::Inline(i),
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

    /// The pointer value, or where the array or record is (without the
    /// check of [`CData::data_addr`]); 0 for a primitive value.
    #[inline]
    pub fn addr(&self) -> usize {
        match self.layout() {
            // A generic tail never holds inline memory (`make`).
            Layout::Bare | Layout::Generic => self.a,
            // SAFETY: the layout was just read.
            Layout::Inline => unsafe { self.inline_unchecked() }.addr(),
            Layout::Small | Layout::Value => 0,
        }
    }

    /// Arrays: the number of items (a `T[]` gets it from `ffi.new()` or
    /// from the slice); 0 for what is not an array.
    #[inline]
    pub fn length(&self) -> usize {
        match self.layout() {
            Layout::Bare => type_length(self.ctype.get()),
            // SAFETY: the layout was just read.
            Layout::Generic => unsafe { self.generic_unchecked() }.length,
            Layout::Inline => self.a,
            Layout::Small | Layout::Value => 0,
        }
    }

    /// The vectorcall entry this object carries, if it is one.
    pub(super) fn call_word(&self) -> &usize {
        &self.word
    }
}

/// The length an array type gives its cdata (0 for other types).
fn type_length(ct: &CType) -> usize {
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
                _ => {}
            }
            std::ptr::read(&raw const (*this).ctype).drop_ref(py);
        }
    }
}

/// The allocators, learnt (and the plain types made) once, when the
/// module is initialized.
struct Makers {
    base: Plain<CData>,
    own: Plain<CData>,
    gcp: Allocator<CData>,
    own_gc: Allocator<CData>,
    from_buf: Allocator<CData>,
}

static MAKERS: PyOnceLock<Makers> = PyOnceLock::new();

/// Makes `_CDataBase` and `__CDataOwn` plain and learns how to make every
/// cdata class. Run at module initialization, before any cdata exists.
pub fn init(py: Python<'_>) -> PyResult<()> {
    let tags = [tag_small(), tag_value(), tag_inline(), tag_generic()];
    if tags.iter().enumerate().any(|(i, t)| tags[..i].contains(t)) {
        return Err(layout_error("the layout tags are not distinct"));
    }
    let base = plain::make_plain::<CData, CData>(py)?;
    let own = plain::make_plain::<CData, super::CDataOwn>(py)?;
    let (Some(base), Some(own)) = (base, own) else {
        return Err(layout_error("the cdata types are not laid out as expected"));
    };
    if base.tail_offset() != TAIL_AT || own.tail_offset() != TAIL_AT {
        return Err(layout_error("the cdata tail is not where expected"));
    }
    let ctype = crate::types::registry::void_pointer(py)?;
    let gcp = learn(py, &ctype, |cd| {
        pyo3::PyClassInitializer::from(cd).add_subclass(super::CDataGcp { _tail: Room::new() })
    })?;
    let own_gc = learn(py, &ctype, |cd| {
        pyo3::PyClassInitializer::from(cd)
            .add_subclass(super::CDataOwn)
            .add_subclass(super::CDataOwnGc { _tail: Room::new() })
    })?;
    let from_buf = learn(py, &ctype, |cd| {
        pyo3::PyClassInitializer::from(cd).add_subclass(super::CDataFromBuf { _tail: Room::new() })
    })?;
    let _ = MAKERS.set(
        py,
        Makers {
            base,
            own,
            gcp,
            own_gc,
            from_buf,
        },
    );
    Ok(())
}

/// Whether [`init`] ran.
pub fn ready(py: Python<'_>) -> bool {
    MAKERS.get(py).is_some()
}

/// The allocator of a collected class, learnt from an object PyO3 makes
/// with `init` (a bare pointer, no tail); its room must hold a
/// [`Generic`] tail where [`TAIL_AT`] says.
fn learn<S: pyo3::PyClass>(
    py: Python<'_>,
    ctype: &Py<CType>,
    init: impl FnOnce(CData) -> pyo3::PyClassInitializer<S>,
) -> PyResult<Allocator<CData>> {
    let bare = CData {
        ctype: ctype.clone_ref(py),
        a: 0,
        word: 0,
    };
    let obj = Bound::new(py, init(bare))?;
    let any = obj.as_any();
    let value = any.cast::<CData>()?;
    let offset = std::ptr::from_ref(value.get()) as usize - any.as_ptr() as usize;
    match Allocator::learn_subclass(any, value.get())? {
        Some(a)
            if a.room() >= size_of::<Generic>() && offset == size_of::<pyo3::ffi::PyObject>() =>
        {
            Ok(a)
        }
        _ => Err(layout_error(
            "a collected cdata class has no room for its tail",
        )),
    }
}

fn layout_error(what: &str) -> PyErr {
    PySystemError::new_err(format!(
        "_cffi_backend cannot lay out its cdata objects on this interpreter: {what}"
    ))
}

/// Which class a new cdata object is of.
#[derive(Clone, Copy)]
pub(super) enum Class {
    Base,
    Own,
    Gcp,
    OwnGc,
    FromBuf,
}

/// What a tail will hold.
enum TailInit {
    None,
    Value([u8; 16]),
    Inline(Inline),
    Generic(Generic),
}

/// Makes the object for `new`, of class `class`: the fixed part, and the
/// tail its owner needs.
pub(super) fn make(py: Python<'_>, new: super::NewCData, class: Class) -> PyResult<Py<CData>> {
    let Some(makers) = MAKERS.get(py) else {
        return Err(layout_error("the module was not initialized"));
    };
    let super::NewCData {
        ctype,
        addr,
        length,
        owner,
        call,
    } = new;
    let plain = matches!(class, Class::Base | Class::Own);
    let bare_length = length == type_length(ctype.get());
    let (a, word, tail) = match owner {
        Owner::None if plain && bare_length => {
            (addr, call.map_or(0, |e: Entry| e as usize), TailInit::None)
        }
        Owner::Value(v) if plain && ctype.get().size().is_some_and(|s| s <= 8) => {
            let mut word = [0u8; 8];
            word.copy_from_slice(&v[..8]);
            (usize::from_ne_bytes(word), tag_small(), TailInit::None)
        }
        Owner::Value(v) if plain => (0, tag_value(), TailInit::Value(v)),
        // Inline memory is always an `Inline` tail (`addr` counts on it).
        Owner::Inline(i) => (length, tag_inline(), TailInit::Inline(i)),
        owner => (
            addr,
            tag_generic(),
            TailInit::Generic(Generic { length, owner }),
        ),
    };
    let value = CData { ctype, a, word };
    let extra = match &tail {
        TailInit::None => 0,
        TailInit::Value(_) => 16,
        TailInit::Inline(_) => size_of::<Inline>(),
        TailInit::Generic(_) => size_of::<Generic>(),
    };
    let write = move |at: *mut usize| {
        // SAFETY: `at` is the tail's place, `extra` zeroed bytes with the
        // alignment of the object's words; each layout writes its own
        // type there, which the word above says.
        unsafe {
            match tail {
                TailInit::None => {}
                TailInit::Value(v) => at.cast::<[u8; 16]>().write(v),
                TailInit::Inline(i) => at.cast::<Inline>().write(i),
                TailInit::Generic(g) => at.cast::<Generic>().write(g),
            }
        }
    };
    // SAFETY: the word of `value` and the tail written agree (above).
    unsafe {
        match class {
            Class::Base => makers.base.make(py, value, extra, write),
            Class::Own => makers.own.make(py, value, extra, write),
            Class::Gcp => makers.gcp.make_with_tail(py, value, extra, write),
            Class::OwnGc => makers.own_gc.make_with_tail(py, value, extra, write),
            Class::FromBuf => makers.from_buf.make_with_tail(py, value, extra, write),
        }
    }
}
