//! C memory: the zero-filled blocks that owning cdata hold, and the raw
//! loads and stores of C values at an address.
//!
//! Addresses are plain `usize`s, as they come from C, from `ffi.cast()` or
//! from a [`Block`]; every function that reads or writes through one is an
//! `unsafe fn` whose caller vouches for the memory.

use crate::Slot;
mod owned;

pub use owned::{owned_bytes, AllocError, Block, Inline, InlineWord};

/// A run of C memory someone vouched for: `len` bytes at `addr`. Made by
/// one `unsafe` call ([`Region::new`]) where the address comes from, it
/// is then read and written through safe, bounds-checked methods (a
/// check that fails panics: it is a bug in the caller's arithmetic, not a
/// user error). Copy, like the address it stands for; `'a` is how long
/// the maker vouched for it (unbounded where the memory is C's to keep,
/// a borrow where it is a buffer here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region<'a> {
    addr: usize,
    len: usize,
    _memory: std::marker::PhantomData<&'a [u8]>,
}

impl<'a> Region<'a> {
    /// The `len` bytes at `addr`.
    ///
    /// # Safety
    /// For `'a` (as long as the region or any copy or part of it is
    /// used), `addr` must be valid for reads and writes of `len` bytes (only
    /// reads, if the region is only read), and nothing else may access
    /// that memory in a way Rust would call a data race.
    #[inline]
    pub unsafe fn new(addr: usize, len: usize) -> Region<'a> {
        Region {
            addr,
            len,
            _memory: std::marker::PhantomData,
        }
    }

    /// The bytes of `buf`, borrowed for the region's lifetime (16-byte
    /// units: any bits are valid in them, and any C value is aligned).
    #[inline]
    pub fn of_units(buf: &'a mut [u128]) -> Region<'a> {
        // SAFETY: the slice's bytes, exclusively borrowed for `'a`.
        unsafe { Region::new(buf.as_mut_ptr() as usize, size_of_val(buf)) }
    }

    /// Memory of unknown extent at `addr`: what a C pointer designates.
    /// Its length runs to the end of the address space, so only the
    /// maker's word bounds it, as in C.
    ///
    /// # Safety
    /// As for [`Region::new`], for every byte actually read or written.
    #[inline]
    pub unsafe fn open(addr: usize) -> Region<'a> {
        // SAFETY: forwarded to the caller.
        unsafe { Region::new(addr, usize::MAX - addr) }
    }

    /// True for a region made by [`Region::open`]: its extent is unknown.
    #[inline]
    pub fn is_open(self) -> bool {
        self.len == usize::MAX - self.addr
    }

    /// Where it starts.
    #[inline]
    pub fn addr(self) -> usize {
        self.addr
    }

    /// How many bytes it has.
    #[inline]
    pub fn len(self) -> usize {
        self.len
    }

    /// True for an empty region.
    #[inline]
    pub fn is_empty(self) -> bool {
        self.len == 0
    }

    /// The `len` bytes at `offset`, inside this region.
    #[inline]
    #[must_use]
    pub fn at(self, offset: usize, len: usize) -> Region<'a> {
        match self.try_at(offset, len) {
            Some(r) => r,
            None => outside(offset, len, self.len),
        }
    }

    /// The `len` bytes at `offset`, if they are inside this region.
    #[inline]
    pub fn try_at(self, offset: usize, len: usize) -> Option<Region<'a>> {
        let end = offset.checked_add(len)?;
        (end <= self.len).then_some(Region {
            addr: self.addr + offset,
            len,
            _memory: std::marker::PhantomData,
        })
    }

    /// Everything from `offset` to the end.
    #[inline]
    #[must_use]
    pub fn rest(self, offset: usize) -> Region<'a> {
        self.at(offset, self.len.saturating_sub(offset))
    }

    /// The first `size` bytes (at most 16) in a slot.
    #[inline]
    pub fn load(self, size: usize) -> Slot {
        let n = size.min(16);
        self.check(n);
        // SAFETY: `n` bytes are inside the region (checked), which its
        // maker vouched for.
        unsafe { load(self.addr, n) }
    }

    /// Stores the first `size` bytes (at most 16) of `slot`.
    #[inline]
    pub fn store(self, slot: &Slot, size: usize) {
        let n = size.min(16);
        self.check(n);
        // SAFETY: as in `load`, for writing.
        unsafe { store(self.addr, slot, n) };
    }

    /// The integer of representation `repr` at the start.
    #[inline]
    pub fn load_int(self, repr: IntRepr) -> i128 {
        self.check(repr.size() as usize);
        // SAFETY: as in `load`.
        unsafe { repr.load(self.addr) }
    }

    /// Stores `value` as an integer of representation `repr` at the start.
    #[inline]
    pub fn store_int(self, repr: IntRepr, value: i128) {
        self.check(repr.size() as usize);
        // SAFETY: as in `store`.
        unsafe { repr.store(self.addr, value) };
    }

    /// Item `i` of an array of `T` starting here.
    #[inline]
    pub fn load_item<T: Copy>(self, i: usize) -> T {
        let at = self.at(i * size_of::<T>(), size_of::<T>());
        // SAFETY: as in `load`; `T` is a plain C value type (any bits).
        unsafe { load_as::<T>(at.addr) }
    }

    /// Calls `f` with the bytes, borrowed for the call only.
    #[inline]
    pub fn with_bytes<R>(self, f: impl FnOnce(&[u8]) -> R) -> R {
        // SAFETY: the region's bytes, vouched for by its maker; the borrow
        // does not outlive the call.
        f(unsafe { bytes(self.addr, self.len) })
    }

    /// Copies `data` to the start.
    #[inline]
    pub fn write_bytes(self, data: &[u8]) {
        self.check(data.len());
        // SAFETY: as in `store`; `data` may even be this memory (`copy`
        // allows overlap).
        unsafe { copy(self.addr, data.as_ptr() as usize, data.len()) };
    }

    /// Copies all of `src` to the start (the two may overlap).
    #[inline]
    pub fn copy_from(self, src: Region<'_>) {
        self.check(src.len);
        // SAFETY: both regions were vouched for; `copy` allows overlap.
        unsafe { copy(self.addr, src.addr, src.len) };
    }

    /// Zeroes the region.
    #[inline]
    pub fn zero(self) {
        // SAFETY: the region's bytes, vouched for by its maker.
        unsafe { zero(self.addr, self.len) };
    }

    /// How many `unit`-byte code units come before the first zero unit,
    /// within the region.
    #[inline]
    pub fn units_before_nul(self, unit: usize) -> usize {
        // SAFETY: the scan stops at the region's end at the latest.
        unsafe { units_before_nul(self.addr, unit, Some(self.len / unit.max(1))) }
    }

    #[inline]
    fn check(self, n: usize) {
        if n > self.len {
            outside(0, n, self.len);
        }
    }
}

/// The panic of a failed bounds check: a bug in the caller's arithmetic.
#[cold]
#[inline(never)]
#[track_caller]
fn outside(offset: usize, len: usize, region: usize) -> ! {
    panic!("{len} bytes at offset {offset} outside a region of {region}")
}

/// The in-memory representation of a C integer of 1, 2, 4 or 8 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntRepr {
    /// `int8_t`-like.
    I8,
    /// `uint8_t`-like.
    U8,
    /// `int16_t`-like.
    I16,
    /// `uint16_t`-like.
    U16,
    /// `int32_t`-like.
    I32,
    /// `uint32_t`-like.
    U32,
    /// `int64_t`-like.
    I64,
    /// `uint64_t`-like.
    U64,
}

impl IntRepr {
    /// The representation of a `size`-byte integer.
    pub fn new(size: u64, signed: bool) -> Option<IntRepr> {
        Some(match (size, signed) {
            (1, true) => IntRepr::I8,
            (1, false) => IntRepr::U8,
            (2, true) => IntRepr::I16,
            (2, false) => IntRepr::U16,
            (4, true) => IntRepr::I32,
            (4, false) => IntRepr::U32,
            (8, true) => IntRepr::I64,
            (8, false) => IntRepr::U64,
            _ => return None,
        })
    }

    /// Size in bytes.
    pub fn size(self) -> u64 {
        match self {
            IntRepr::I8 | IntRepr::U8 => 1,
            IntRepr::I16 | IntRepr::U16 => 2,
            IntRepr::I32 | IntRepr::U32 => 4,
            IntRepr::I64 | IntRepr::U64 => 8,
        }
    }

    /// True for the signed ones.
    pub fn signed(self) -> bool {
        matches!(
            self,
            IntRepr::I8 | IntRepr::I16 | IntRepr::I32 | IntRepr::I64
        )
    }

    /// Loads the integer at `addr`.
    ///
    /// # Safety
    /// `addr` must be readable for [`IntRepr::size`] bytes.
    #[inline]
    pub unsafe fn load(self, addr: usize) -> i128 {
        let p = addr as *const u8;
        // SAFETY: the caller vouches for `size` readable bytes; the reads
        // are unaligned-safe.
        unsafe {
            match self {
                IntRepr::I8 => i128::from(p.cast::<i8>().read_unaligned()),
                IntRepr::U8 => i128::from(p.read_unaligned()),
                IntRepr::I16 => i128::from(p.cast::<i16>().read_unaligned()),
                IntRepr::U16 => i128::from(p.cast::<u16>().read_unaligned()),
                IntRepr::I32 => i128::from(p.cast::<i32>().read_unaligned()),
                IntRepr::U32 => i128::from(p.cast::<u32>().read_unaligned()),
                IntRepr::I64 => i128::from(p.cast::<i64>().read_unaligned()),
                IntRepr::U64 => i128::from(p.cast::<u64>().read_unaligned()),
            }
        }
    }

    /// Stores the low [`IntRepr::size`] bytes of `value` at `addr`, in
    /// native byte order (the caller has range-checked it).
    ///
    /// # Safety
    /// `addr` must be writable for [`IntRepr::size`] bytes.
    #[inline]
    pub unsafe fn store(self, addr: usize, value: i128) {
        let mut slot = Slot::default();
        slot.write_int(value, self.size() as u32);
        // SAFETY: forwarded to the caller.
        unsafe { store(addr, &slot, self.size() as usize) };
    }
}

/// The `T` at `addr` (no alignment needed).
///
/// # Safety
/// `addr` must be readable for `size_of::<T>()` bytes holding a valid `T`.
#[inline]
pub unsafe fn load_as<T: Copy>(addr: usize) -> T {
    // SAFETY: forwarded to the caller; the read is unaligned-safe.
    unsafe { (addr as *const T).read_unaligned() }
}

/// The first `size` bytes (at most 16) at `addr`, in a slot.
///
/// # Safety
/// `addr` must be readable for `min(size, 16)` bytes.
#[inline]
pub unsafe fn load(addr: usize, size: usize) -> Slot {
    let mut slot = Slot::default();
    let n = size.min(slot.0.len());
    let src = addr as *const u8;
    // SAFETY: the caller vouches for `n` readable bytes, and `n` fits the
    // slot. The usual sizes are single unaligned reads (a size known
    // where this is inlined folds to its case; a variable one avoids a
    // call to `memcpy`).
    unsafe {
        let dst = slot.0.as_mut_ptr();
        match n {
            4 => dst
                .cast::<u32>()
                .write_unaligned(src.cast::<u32>().read_unaligned()),
            8 => dst
                .cast::<u64>()
                .write_unaligned(src.cast::<u64>().read_unaligned()),
            16 => dst
                .cast::<u128>()
                .write_unaligned(src.cast::<u128>().read_unaligned()),
            _ => std::ptr::copy_nonoverlapping(src, dst, n),
        }
    }
    slot
}

/// Stores the first `size` bytes (at most 16) of `slot` at `addr`.
///
/// # Safety
/// `addr` must be writable for `min(size, 16)` bytes.
#[inline]
pub unsafe fn store(addr: usize, slot: &Slot, size: usize) {
    let n = size.min(slot.0.len());
    // SAFETY: the caller vouches for `n` writable bytes.
    unsafe { std::ptr::copy_nonoverlapping(slot.0.as_ptr(), addr as *mut u8, n) };
}

/// The `n` bytes at `addr`, borrowed.
///
/// # Safety
/// `addr` must be readable for `n` bytes (or `n` is 0) and the memory must
/// stay valid and unchanged by others while the slice lives.
#[inline]
pub unsafe fn bytes<'a>(addr: usize, n: usize) -> &'a [u8] {
    if n == 0 {
        return &[];
    }
    // SAFETY: forwarded to the caller; `addr` is not null for `n > 0`.
    unsafe { std::slice::from_raw_parts(addr as *const u8, n) }
}

/// Copies `data` to `addr`.
///
/// # Safety
/// `addr` must be writable for `data.len()` bytes and must not overlap
/// `data`.
#[inline]
pub unsafe fn write_bytes(addr: usize, data: &[u8]) {
    // SAFETY: forwarded to the caller.
    unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), addr as *mut u8, data.len()) };
}

/// Copies `n` bytes from `src` to `dst` (the ranges may overlap).
///
/// # Safety
/// `src` must be readable and `dst` writable for `n` bytes.
#[inline]
pub unsafe fn copy(dst: usize, src: usize, n: usize) {
    // SAFETY: forwarded to the caller; `copy` allows overlap.
    unsafe { std::ptr::copy(src as *const u8, dst as *mut u8, n) };
}

/// Sets `n` bytes at `addr` to zero.
///
/// # Safety
/// `addr` must be writable for `n` bytes.
#[inline]
pub unsafe fn zero(addr: usize, n: usize) {
    // SAFETY: forwarded to the caller.
    unsafe { std::ptr::write_bytes(addr as *mut u8, 0, n) };
}

/// How many `unit`-byte code units (1, 2 or 4) at `addr` come before the
/// first zero unit, looking at `limit` units at most.
///
/// # Safety
/// The memory at `addr` must be readable up to and including the first
/// zero unit, or for `limit` units, whichever comes first.
pub unsafe fn units_before_nul(addr: usize, unit: usize, limit: Option<usize>) -> usize {
    let mut n = 0;
    if unit == 1 {
        let p = addr as *const u8;
        // SAFETY: reading stops at the NUL or the limit, both within what
        // the caller vouches for.
        while limit.is_none_or(|l| n < l) && unsafe { p.add(n).read() } != 0 {
            n += 1;
        }
        return n;
    }
    while limit.is_none_or(|l| n < l) {
        // SAFETY: as above, one unit at a time.
        let slot = unsafe { load(addr + n * unit, unit) };
        if slot.read_int_sized(unit as u32, false) == 0 {
            break;
        }
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_read_and_write_inside_their_bounds() {
        let b = Block::zeroed(32, 16).unwrap();
        // SAFETY: the block's 32 bytes, alive for the test.
        let r = unsafe { Region::new(b.addr(), 32) };
        let mut s = Slot::default();
        s.write_int(-5, 4);
        r.at(8, 4).store(&s, 4);
        assert_eq!(r.at(8, 4).load_int(IntRepr::I32), -5);
        assert_eq!(r.load_item::<i32>(2), -5);
        r.at(16, 8).write_bytes(b"hi");
        assert_eq!(r.at(16, 8).units_before_nul(1), 2);
        assert_eq!(r.at(16, 2).units_before_nul(1), 2, "bounded by the region");
        r.at(0, 8).copy_from(r.at(16, 8));
        assert_eq!(r.at(0, 3).with_bytes(<[u8]>::to_vec), b"hi\0");
        r.zero();
        assert!(r.with_bytes(|b| b.iter().all(|&x| x == 0)));
        assert_eq!(r.try_at(30, 4), None);
        assert_eq!(r.try_at(usize::MAX, 2), None);
        assert!(r.try_at(32, 0).is_some_and(Region::is_empty));
        r.at(4, 4).store_int(IntRepr::U16, 0xBEEF);
        assert_eq!(r.rest(4).load_int(IntRepr::U16), 0xBEEF);
        assert_eq!(r.rest(28).len(), 4);
        // SAFETY: only the block's bytes are read.
        let open = unsafe { Region::open(b.addr()) };
        assert_eq!(open.at(4, 2).load_int(IntRepr::U16), 0xBEEF);
    }

    #[test]
    #[should_panic(expected = "outside a region")]
    fn a_region_refuses_bytes_beyond_it() {
        // SAFETY: never read: the range check fails first.
        let r = unsafe { Region::new(0x1000, 4) };
        let _ = r.at(2, 4);
    }

    #[test]
    fn integers_load_and_store_with_their_sign() {
        let b = Block::zeroed(8, 8).unwrap();
        for (size, signed) in [
            (1, true),
            (1, false),
            (2, true),
            (2, false),
            (4, true),
            (4, false),
            (8, true),
            (8, false),
        ] {
            let r = IntRepr::new(size, signed).unwrap();
            assert_eq!((r.size(), r.signed()), (size, signed));
            // SAFETY: the block holds 8 bytes.
            unsafe {
                r.store(b.addr(), -1);
                let expect = if signed {
                    -1
                } else {
                    (1i128 << (8 * size)) - 1
                };
                assert_eq!(r.load(b.addr()), expect, "{size} {signed}");
                r.store(b.addr(), 5);
                assert_eq!(r.load(b.addr()), 5);
            }
        }
        assert_eq!(IntRepr::new(3, true), None);
    }

    #[test]
    fn loads_and_stores_keep_the_bytes() {
        let b = Block::zeroed(32, 16).unwrap();
        let mut s = Slot::default();
        s.write_f64(2.5);
        // SAFETY: the block holds 32 bytes; every access below is within.
        unsafe {
            store(b.addr() + 3, &s, 8);
            assert_eq!(load(b.addr() + 3, 8).read_f64().to_bits(), 2.5f64.to_bits());
            write_bytes(b.addr() + 16, b"abc");
            assert_eq!(bytes(b.addr() + 16, 4), b"abc\0");
            copy(b.addr() + 17, b.addr() + 16, 3);
            assert_eq!(bytes(b.addr() + 16, 4), b"aabc");
            zero(b.addr() + 16, 2);
            assert_eq!(bytes(b.addr() + 16, 4), b"\0\0bc");
            assert_eq!(bytes(0, 0), b"");
        }
    }

    #[test]
    fn nul_scans_stop_at_the_nul_or_the_limit() {
        let b = Block::zeroed(32, 4).unwrap();
        // SAFETY: every scan stays within the 32-byte block, which ends
        // in zero units.
        unsafe {
            write_bytes(b.addr(), b"hello");
            assert_eq!(units_before_nul(b.addr(), 1, None), 5);
            assert_eq!(units_before_nul(b.addr(), 1, Some(3)), 3);
            let wide: Vec<u8> = [104u32, 105, 0x1F600]
                .iter()
                .flat_map(|u| u.to_ne_bytes())
                .collect();
            write_bytes(b.addr(), &wide);
            assert_eq!(units_before_nul(b.addr(), 4, None), 3);
            let utf16: Vec<u8> = [104u16, 105].iter().flat_map(|u| u.to_ne_bytes()).collect();
            zero(b.addr(), 32);
            write_bytes(b.addr(), &utf16);
            assert_eq!(units_before_nul(b.addr(), 2, None), 2);
            assert_eq!(units_before_nul(b.addr(), 2, Some(0)), 0);
        }
    }
}
