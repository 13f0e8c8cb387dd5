//! Primitive C values decoded from their memory layout: what a `Slot`
//! holds read as integers, characters, floats, `long double` bytes or
//! complex numbers, and the conversions C applies between them.

use crate::Slot;
use ctypes_model::{Primitive, PrimitiveKind, Target};

/// A primitive value, decoded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Prim {
    /// Integers and enums (sign-extended per the type).
    Int(i128),
    /// `char`: one byte.
    Char(u8),
    /// `wchar_t`, `char16_t`, `char32_t`: a code unit (negative only for
    /// a signed `wchar_t`).
    Wide(i64),
    /// `_Bool` (a stored byte other than 0/1 is kept to report it).
    Bool(u8),
    /// `float` and `double`.
    Float(f64),
    /// `long double`, in the host's encoding.
    LongDouble([u8; 16]),
    /// `float _Complex` and `double _Complex`: real and imaginary parts.
    Complex(f64, f64),
}

/// Why a value has no integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAnInt {
    /// A complex number.
    Complex,
    /// A floating NaN.
    NaN,
    /// A floating infinity.
    Infinite,
}

/// How a primitive is stored: enough to decode it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Encoding {
    /// The primitive (for an enum, its integer type).
    pub primitive: Primitive,
    /// Its size in bytes.
    pub size: u32,
    /// For integers: whether the type is signed.
    pub signed: bool,
}

impl Encoding {
    /// Decodes the value stored (in memory layout) in `slot`.
    pub fn read(self, slot: &Slot) -> Prim {
        self.decode(slot, false)
    }

    /// Decodes the result of a call: libffi widens integer results
    /// narrower than a machine word, which matters on big-endian machines.
    pub fn read_result(self, slot: &Slot) -> Prim {
        self.decode(slot, true)
    }

    fn decode(self, slot: &Slot, widened: bool) -> Prim {
        let size = self.size;
        let int = |signed: bool| {
            if widened {
                slot.read_result_int(size, signed)
            } else {
                slot.read_int_sized(size, signed)
            }
        };
        match self.primitive.kind() {
            PrimitiveKind::Signed | PrimitiveKind::Unsigned => Prim::Int(int(self.signed)),
            PrimitiveKind::Char => Prim::Char(int(false) as u8),
            PrimitiveKind::WideChar => {
                Prim::Wide(int(self.primitive.is_signed(&Target::host())) as i64)
            }
            PrimitiveKind::Bool => Prim::Bool(int(false) as u8),
            PrimitiveKind::Float if self.primitive == Primitive::Float => {
                Prim::Float(f64::from(slot.read_f32()))
            }
            PrimitiveKind::Float => Prim::Float(slot.read_f64()),
            PrimitiveKind::LongDouble => Prim::LongDouble(slot.0),
            PrimitiveKind::Complex if size == 8 => {
                let (re, im) = slot.0.split_at(4);
                let part =
                    |b: &[u8]| f64::from(f32::from_ne_bytes(b[..4].try_into().expect("4 bytes")));
                Prim::Complex(part(re), part(im))
            }
            PrimitiveKind::Complex => {
                let (re, im) = slot.0.split_at(8);
                let part = |b: &[u8]| f64::from_ne_bytes(b[..8].try_into().expect("8 bytes"));
                Prim::Complex(part(re), part(im))
            }
        }
    }
}

impl Prim {
    /// The value as a float, for float targets and comparisons.
    pub fn as_f64(self) -> f64 {
        match self {
            Prim::Int(v) => v as f64,
            Prim::Char(c) | Prim::Bool(c) => f64::from(c),
            Prim::Wide(c) => c as f64,
            Prim::Float(f) => f,
            Prim::LongDouble(b) => crate::long_double_to_f64(&b),
            Prim::Complex(re, _) => re,
        }
    }

    /// The value as an integer, as C converts it (floats truncate toward
    /// zero).
    pub fn to_int(self) -> Result<i128, NotAnInt> {
        Ok(match self {
            Prim::Int(v) => v,
            Prim::Char(c) | Prim::Bool(c) => i128::from(c),
            Prim::Wide(c) => i128::from(c),
            Prim::Complex(..) => return Err(NotAnInt::Complex),
            Prim::Float(_) | Prim::LongDouble(_) => {
                let f = self.as_f64();
                if f.is_nan() {
                    return Err(NotAnInt::NaN);
                }
                if f.is_infinite() {
                    return Err(NotAnInt::Infinite);
                }
                f.trunc() as i128
            }
        })
    }

    /// Truth value, as C's `!= 0`.
    pub fn is_true(self) -> bool {
        match self {
            Prim::Int(v) => v != 0,
            Prim::Char(c) | Prim::Bool(c) => c != 0,
            Prim::Wide(c) => c != 0,
            Prim::Float(_) => self.as_f64() != 0.0,
            Prim::LongDouble(b) => !crate::longdouble::long_double_is_zero(&b),
            Prim::Complex(re, im) => re != 0.0 || im != 0.0,
        }
    }
}

/// C's default argument promotion in the `...` part of a call, as cffi
/// applies it: an integer-like value (integer, `char`, `_Bool`, wide
/// character) stored in fewer bytes than an `int` (`size`, of
/// `int_size`) travels as an `int`, and this is its value; anything else
/// travels as it is (`None`; a `float` too, which cffi does not promote).
pub fn promoted_to_int(p: Prim, size: u64, int_size: u64) -> Option<i128> {
    match p {
        Prim::Int(_) | Prim::Char(_) | Prim::Bool(_) | Prim::Wide(_) if size < int_size => {
            p.to_int().ok()
        }
        _ => None,
    }
}

/// True for the values a Unicode string can hold as one character.
pub fn is_code_point(c: i64) -> bool {
    (0..=0x0010_FFFF).contains(&c)
}

/// C's `%LE` format (how cffi prints `long double` values).
pub fn format_le(v: f64) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "NAN".into()
        } else if v > 0.0 {
            "INF".into()
        } else {
            "-INF".into()
        };
    }
    let s = format!("{v:.6E}");
    let (mantissa, exp) = s.split_once('E').expect("E format");
    let exp: i32 = exp.parse().expect("exponent");
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}E{sign}{:02}", exp.abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(primitive: Primitive, size: u32, signed: bool) -> Encoding {
        Encoding {
            primitive,
            size,
            signed,
        }
    }

    #[test]
    fn integers_characters_and_bools_decode_with_their_sign() {
        let mut s = Slot::default();
        s.write_int(-2, 2);
        assert_eq!(enc(Primitive::Short, 2, true).read(&s), Prim::Int(-2));
        assert_eq!(
            enc(Primitive::UnsignedShort, 2, false).read(&s),
            Prim::Int(65534)
        );
        s.write_int(0xC8, 1);
        assert_eq!(enc(Primitive::Char, 1, false).read(&s), Prim::Char(0xC8));
        s.write_int(2, 1);
        assert_eq!(enc(Primitive::Bool, 1, false).read(&s), Prim::Bool(2));
        s.write_int(0x1F600, 4);
        assert_eq!(
            enc(Primitive::Char32, 4, false).read(&s),
            Prim::Wide(0x1F600)
        );
    }

    #[test]
    fn floats_and_complex_numbers_decode() {
        let mut s = Slot::default();
        s.write_f32(1.5);
        assert_eq!(enc(Primitive::Float, 4, true).read(&s), Prim::Float(1.5));
        s.write_f64(-2.25);
        assert_eq!(enc(Primitive::Double, 8, true).read(&s), Prim::Float(-2.25));
        let mut c = Slot::default();
        c.0[..8].copy_from_slice(&1.0f64.to_ne_bytes());
        c.0[8..].copy_from_slice(&(-3.0f64).to_ne_bytes());
        assert_eq!(
            enc(Primitive::DoubleComplex, 16, true).read(&c),
            Prim::Complex(1.0, -3.0)
        );
    }

    #[test]
    fn conversions_to_int_follow_c() {
        assert_eq!(Prim::Float(-2.9).to_int(), Ok(-2));
        assert_eq!(Prim::Char(b'A').to_int(), Ok(65));
        assert_eq!(Prim::Float(f64::NAN).to_int(), Err(NotAnInt::NaN));
        assert_eq!(Prim::Float(f64::INFINITY).to_int(), Err(NotAnInt::Infinite));
        assert_eq!(Prim::Complex(1.0, 0.0).to_int(), Err(NotAnInt::Complex));
        assert!(Prim::Complex(0.0, 1.0).is_true());
        assert!(!Prim::Float(0.0).is_true());
    }

    #[test]
    fn small_integers_are_promoted_to_int() {
        assert_eq!(promoted_to_int(Prim::Char(b'x'), 1, 4), Some(120));
        assert_eq!(promoted_to_int(Prim::Int(-3), 2, 4), Some(-3));
        assert_eq!(promoted_to_int(Prim::Bool(1), 1, 4), Some(1));
        assert_eq!(promoted_to_int(Prim::Wide(0x263A), 2, 4), Some(0x263A));
        assert_eq!(promoted_to_int(Prim::Int(5), 4, 4), None);
        assert_eq!(promoted_to_int(Prim::Int(5), 8, 4), None);
        assert_eq!(promoted_to_int(Prim::Float(1.5), 4, 4), None);
    }

    #[test]
    fn long_doubles_print_as_c_does() {
        assert_eq!(format_le(1.5), "1.500000E+00");
        assert_eq!(format_le(-0.000_123), "-1.230000E-04");
        assert_eq!(format_le(1e300), "1.000000E+300");
        assert_eq!(format_le(0.0), "0.000000E+00");
        assert_eq!(format_le(f64::NEG_INFINITY), "-INF");
        assert!(is_code_point(0x0010_FFFF) && !is_code_point(0x0011_0000) && !is_code_point(-1));
    }
}
