//! Making cdata objects: the allocators of each class, learnt once, and
//! the fixed part and tail of each layout (see `layout`).

use super::layout::{
    type_length, word_size, BigHeader, Generic, Room, BIG, GENERIC, INLINE, RECORD, SMALL, TAIL_AT,
    VALUE, WORD,
};
use super::{CData, Owner};
use crate::cpython::alloc::Allocator;
use crate::cpython::plain::{self, Plain};
use crate::cpython::vectorcall;
use crate::types::CType;
use ffi_runtime::memory::{Inline, InlineWord};
use pyo3::exceptions::PySystemError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The allocators, learnt (and the plain types made) once, when the
/// module is initialized.
struct Makers {
    base: Plain<CData>,
    refs: Allocator<CData>,
    own: Plain<CData>,
    gcp: Allocator<CData>,
    own_gc: Allocator<CData>,
    from_buf: Allocator<CData>,
}

static MAKERS: PyOnceLock<Makers> = PyOnceLock::new();

/// Makes `_CDataBase` and `__CDataOwn` plain and learns how to make every
/// cdata class. Run at module initialization, before any cdata exists.
pub fn init(py: Python<'_>) -> PyResult<()> {
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
    let refs = learn(py, &ctype, |cd| {
        pyo3::PyClassInitializer::from(cd).add_subclass(super::CDataRef { _tail: Room::new() })
    })?;
    super::record_classes(py);
    let _ = MAKERS.set(
        py,
        Makers {
            base,
            refs,
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
        a: InlineWord::new(0),
        word: AtomicUsize::new(0),
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
    Ref,
}

/// What a tail will hold.
enum TailInit {
    None,
    Value([u8; 16]),
    Inline(Inline),
    Generic(Generic),
    Big(usize),
    Record(Py<CData>),
}

/// A plain object of the class `maker` picks, with no tail, holding `a`
/// and `word`: the two tailless cases of [`make`], alone.
///
/// # Safety
/// `word` is NULL, a call entry, or the tag of a layout without a tail
/// that `a` holds the value of.
#[inline(always)]
#[allow(clippy::inline_always)] // every pointer cdata is made here
unsafe fn make_untailed(
    py: Python<'_>,
    maker: fn(&Makers) -> &Plain<CData>,
    ctype: Py<CType>,
    a: u64,
    word: usize,
) -> PyResult<Py<CData>> {
    let Some(makers) = MAKERS.get(py) else {
        return Err(layout_error("the module was not initialized"));
    };
    let value = CData {
        ctype,
        a: InlineWord::new(a),
        word: AtomicUsize::new(0),
    };
    // SAFETY: no tail; the word agrees with `a` (the caller's contract).
    unsafe {
        maker(makers).make(py, value, 0, |placed, _| {
            placed.word.store(word, Ordering::Release);
        })
    }
}

/// A `_CDataBase` object owning nothing, of its type's length, holding
/// `addr` and `word` (NULL or a call entry): [`make`]'s usual case, alone.
pub(super) fn make_bare(
    py: Python<'_>,
    ctype: Py<CType>,
    addr: usize,
    word: usize,
) -> PyResult<Py<CData>> {
    // SAFETY: the word is NULL or a call entry, whose layout has no tail.
    unsafe { make_untailed(py, |m| &m.base, ctype, addr as u64, word) }
}

/// A `__CDataOwn` object of a type whose `ffi.new()` memory is kept in
/// its word (at most 8 bytes), holding `bytes`: [`make`]'s case of
/// `Owner::Inline` of that size (a small struct a call returned), alone.
/// `None` for other types. The check is inlined where it is asked.
#[inline(always)]
#[allow(clippy::inline_always)]
pub(super) fn make_word(
    py: Python<'_>,
    ctype: &Py<CType>,
    bytes: &[u8],
) -> Option<PyResult<Py<CData>>> {
    let ct = ctype.get();
    if bytes.len() > 8 || word_size(ct) != Some(bytes.len()) || ct.align().unwrap_or(1) > 8 {
        return None;
    }
    Some(make_word_checked(py, ctype, bytes))
}

/// [`make_word`] once the type was found to fit.
#[inline(never)]
fn make_word_checked(py: Python<'_>, ctype: &Py<CType>, bytes: &[u8]) -> PyResult<Py<CData>> {
    let word = match <[u8; 8]>::try_from(bytes) {
        Ok(whole) => u64::from_ne_bytes(whole),
        Err(_) => {
            let mut word = [0u8; 8];
            word[..bytes.len()].copy_from_slice(bytes);
            u64::from_ne_bytes(word)
        }
    };
    let tag = vectorcall::tag(WORD);
    // SAFETY: the word layout's memory is the object's own word, which
    // holds the bytes, of the size the type gives (checked by
    // `make_word`); it has no tail.
    unsafe { make_untailed(py, |m| &m.own, ctype.clone_ref(py), word, tag) }
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
    } = new;
    let plain = matches!(class, Class::Base | Class::Own);
    let bare_length = length == type_length(ctype.get());
    let (a, word, tail) = match owner {
        Owner::None if plain && bare_length => return make_bare(py, ctype, addr, 0),
        Owner::Value(v) if plain && ctype.get().size().is_some_and(|s| s <= 8) => {
            let mut word = [0u8; 8];
            word.copy_from_slice(&v[..8]);
            (
                usize::from_ne_bytes(word),
                vectorcall::tag(SMALL),
                TailInit::None,
            )
        }
        Owner::Value(v) if plain => (0, vectorcall::tag(VALUE), TailInit::Value(v)),
        Owner::Tail(size) if plain => (length, vectorcall::tag(BIG), TailInit::Big(size)),
        Owner::Tail(_) => return Err(layout_error("memory inside a collected object")),
        Owner::OwnedRecord(p) if plain && bare_length => {
            (addr, vectorcall::tag(RECORD), TailInit::Record(p))
        }
        // Small `ffi.new()` memory whose size and length the type gives:
        // in the object's word.
        Owner::Inline(i) if plain && bare_length && word_size(ctype.get()) == Some(i.size()) => {
            (0, vectorcall::tag(WORD), TailInit::None)
        }
        // Inline memory is always an `Inline` tail (`addr` counts on it).
        Owner::Inline(i) => (length, vectorcall::tag(INLINE), TailInit::Inline(i)),
        owner => (
            addr,
            vectorcall::tag(GENERIC),
            TailInit::Generic(Generic { length, owner }),
        ),
    };
    // The word is set only once the object exists and its tail is in
    // place: if the object cannot be made, this value is dropped with a
    // NULL word (its ctype only), and the tail with the closure.
    let value = CData {
        ctype,
        a: InlineWord::new(a as u64),
        word: AtomicUsize::new(0),
    };
    let extra = match &tail {
        TailInit::None => 0,
        TailInit::Value(_) => 16,
        TailInit::Inline(_) => size_of::<Inline>(),
        TailInit::Generic(_) => size_of::<Generic>(),
        TailInit::Big(size) => size_of::<BigHeader>() + size,
        TailInit::Record(_) => size_of::<Py<CData>>(),
    };
    let write = move |placed: &CData, at: *mut usize| {
        placed.word.store(word, Ordering::Release);
        // SAFETY: `at` is the tail's place, `extra` zeroed bytes with the
        // alignment of the object's words; each layout writes its own
        // type there, which the word just set says.
        unsafe {
            match tail {
                TailInit::None => {}
                TailInit::Value(v) => at.cast::<[u8; 16]>().write(v),
                TailInit::Inline(i) => at.cast::<Inline>().write(i),
                TailInit::Generic(g) => at.cast::<Generic>().write(g),
                TailInit::Big(size) => at.cast::<BigHeader>().write(BigHeader {
                    size,
                    released: std::sync::atomic::AtomicBool::new(false),
                }),
                TailInit::Record(p) => at.cast::<Py<CData>>().write(p),
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
            Class::Ref => makers.refs.make_with_tail(py, value, extra, write),
        }
    }
}
