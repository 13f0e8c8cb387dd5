//! Storage for one argument or result value of a C call.

use std::ffi::c_void;

/// Sixteen bytes aligned to sixteen: room for any scalar C value,
/// `long double` included. Arguments are converted into slots on the stack,
/// so a call allocates nothing.
#[repr(C, align(16))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Slot(pub [u8; 16]);

impl Slot {
    /// The address of the value, for libffi.
    pub fn as_mut_ptr(&mut self) -> *mut c_void {
        self.0.as_mut_ptr().cast()
    }

    /// Stores the low `size` bytes of `value` (1, 2, 4 or 8) in native
    /// byte order at the start of the slot.
    pub fn write_int(&mut self, value: i128, size: u32) {
        match size {
            1 => self.0[..1].copy_from_slice(&(value as u8).to_ne_bytes()),
            2 => self.0[..2].copy_from_slice(&(value as u16).to_ne_bytes()),
            4 => self.0[..4].copy_from_slice(&(value as u32).to_ne_bytes()),
            8 => self.0[..8].copy_from_slice(&(value as u64).to_ne_bytes()),
            _ => panic!("no C integer of {size} bytes"),
        }
    }

    /// Reads an integer of `size` bytes stored by C in memory.
    pub fn read_int_sized(&self, size: u32, signed: bool) -> i128 {
        let b = &self.0;
        match (size, signed) {
            (1, true) => i128::from(i8::from_ne_bytes([b[0]])),
            (1, false) => i128::from(b[0]),
            (2, true) => i128::from(i16::from_ne_bytes([b[0], b[1]])),
            (2, false) => i128::from(u16::from_ne_bytes([b[0], b[1]])),
            (4, true) => i128::from(i32::from_ne_bytes([b[0], b[1], b[2], b[3]])),
            (4, false) => i128::from(u32::from_ne_bytes([b[0], b[1], b[2], b[3]])),
            (8, true) => i128::from(i64::from_ne_bytes(b[..8].try_into().expect("8 bytes"))),
            (8, false) => i128::from(u64::from_ne_bytes(b[..8].try_into().expect("8 bytes"))),
            _ => panic!("no C integer of {size} bytes"),
        }
    }

    /// Stores a `float`.
    pub fn write_f32(&mut self, v: f32) {
        self.0[..4].copy_from_slice(&v.to_ne_bytes());
    }

    /// Stores a `double`.
    pub fn write_f64(&mut self, v: f64) {
        self.0[..8].copy_from_slice(&v.to_ne_bytes());
    }

    /// Reads a `float`.
    pub fn read_f32(&self) -> f32 {
        f32::from_ne_bytes(self.0[..4].try_into().expect("4 bytes"))
    }

    /// Reads a `double`.
    pub fn read_f64(&self) -> f64 {
        f64::from_ne_bytes(self.0[..8].try_into().expect("8 bytes"))
    }

    /// Stores a pointer.
    pub fn write_ptr(&mut self, p: *const c_void) {
        self.write_int(p as usize as i128, usize::BITS / 8);
    }

    /// The slot as two native-endian words.
    #[inline]
    pub fn words(&self) -> [u64; 2] {
        let (lo, hi) = self.0.split_at(8);
        [
            u64::from_ne_bytes(lo.try_into().expect("8 bytes")),
            u64::from_ne_bytes(hi.try_into().expect("8 bytes")),
        ]
    }

    /// A slot of two native-endian words.
    #[inline]
    pub fn from_words([lo, hi]: [u64; 2]) -> Slot {
        let mut slot = Slot::default();
        slot.0[..8].copy_from_slice(&lo.to_ne_bytes());
        slot.0[8..].copy_from_slice(&hi.to_ne_bytes());
        slot
    }

    /// Reads a pointer.
    pub fn read_ptr(&self) -> *mut c_void {
        self.read_int_sized(usize::BITS / 8, false) as usize as *mut c_void
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_round_trip_with_sign() {
        let mut s = Slot::default();
        s.write_int(-2, 2);
        assert_eq!(s.read_int_sized(2, true), -2);
        assert_eq!(s.read_int_sized(2, false), 65534);
        s.write_int(i128::from(u64::MAX), 8);
        assert_eq!(s.read_int_sized(8, false), i128::from(u64::MAX));
        assert_eq!(s.read_int_sized(8, true), -1);
    }

    #[test]
    fn floats_and_pointers() {
        let mut s = Slot::default();
        s.write_f64(1.5);
        assert!((s.read_f64() - 1.5).abs() < f64::EPSILON);
        s.write_f32(-2.25);
        assert!((s.read_f32() + 2.25).abs() < f32::EPSILON);
        let x = 5u8;
        s.write_ptr(std::ptr::addr_of!(x).cast());
        assert_eq!(s.read_ptr().cast_const(), std::ptr::addr_of!(x).cast());
    }
}
