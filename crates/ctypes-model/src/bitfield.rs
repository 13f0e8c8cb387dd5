//! Bit-field values in their storage unit: reading one out, writing one
//! in, and the range of values a width admits, as cffi does.
//!
//! The storage unit is handled as a `u128` holding the unit's bytes read
//! as an unsigned integer (native byte order); the field is the `width`
//! bits starting `shift` bits from its least significant end (cffi's
//! `CField.bitshift` and `CField.bitsize`). Widths are at most 127 bits:
//! bit fields are of integer types of at most 8 bytes.

use std::fmt;

/// The value of the `width`-bit field at `shift` in `raw`, sign-extended
/// when the field's type is `signed`. A field of width 0 reads as 0.
pub fn extract(raw: u128, shift: u32, width: u32, signed: bool) -> i128 {
    if width == 0 {
        return 0;
    }
    let unused = 128 - width;
    // Move the field to the top, then back down: an arithmetic shift for
    // signed fields copies their sign bit into the bits above.
    let top = (raw >> shift) << unused;
    if signed {
        (top as i128) >> unused
    } else {
        (top >> unused) as i128
    }
}

/// `raw` with the `width`-bit field at `shift` replaced by the low bits
/// of `value` (two's complement for negative values); the other bits are
/// kept.
pub fn insert(raw: u128, shift: u32, width: u32, value: i128) -> u128 {
    let mask = low_bits(width) << shift;
    (raw & !mask) | (((value as u128) << shift) & mask)
}

/// The values a field of `width` bits accepts, as `(min, max)`.
///
/// As in cffi, a signed field of width 1 also accepts 1 (which reads back
/// as -1), and a field of width 0 only 0.
pub fn range(width: u32, signed: bool) -> (i128, i128) {
    if width == 0 {
        (0, 0)
    } else if signed && width == 1 {
        (-1, 1)
    } else if signed {
        (-(1i128 << (width - 1)), (1i128 << (width - 1)) - 1)
    } else {
        (0, low_bits(width) as i128)
    }
}

/// Checks that `value` fits a field of `width` bits (see [`range`]).
pub fn check(value: i128, width: u32, signed: bool) -> Result<(), OutOfRange> {
    let (min, max) = range(width, signed);
    if value < min || value > max {
        return Err(OutOfRange { value, min, max });
    }
    Ok(())
}

/// A value that does not fit a bit field; its `Display` is cffi's
/// `OverflowError` message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange {
    /// The value refused.
    pub value: i128,
    /// The smallest value the field accepts.
    pub min: i128,
    /// The largest value the field accepts.
    pub max: i128,
}

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let OutOfRange { value, min, max } = self;
        write!(
            f,
            "value {value} outside the range allowed by the bit field width: {min} <= x <= {max}"
        )
    }
}

impl std::error::Error for OutOfRange {}

/// A mask of the `width` lowest bits.
fn low_bits(width: u32) -> u128 {
    if width >= 128 {
        u128::MAX
    } else {
        (1u128 << width) - 1
    }
}

/// How many bytes of a `unit`-byte storage unit hold the field's bits,
/// from the unit's first byte on a little-endian machine: reading and
/// writing only those never touches memory past the field's last byte (a
/// packed struct may end before its bit field's storage unit does).
pub fn bytes_spanned(shift: u32, width: u32, unit: usize) -> usize {
    ((shift as usize + width as usize).div_ceil(8)).clamp(1, unit.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_bytes_holding_the_bits_are_spanned() {
        assert_eq!(
            bytes_spanned(0, 20, 4),
            3,
            "a 20-bit field of a packed 3-byte struct"
        );
        assert_eq!(bytes_spanned(3, 5, 4), 1);
        assert_eq!(bytes_spanned(3, 6, 4), 2);
        assert_eq!(bytes_spanned(0, 64, 8), 8);
        assert_eq!(bytes_spanned(0, 0, 4), 1);
    }

    #[test]
    fn extract_unsigned_takes_the_bits_at_the_shift() {
        let raw = 0b1011_0110u128;
        assert_eq!(extract(raw, 0, 1, false), 0);
        assert_eq!(extract(raw, 1, 2, false), 0b11);
        assert_eq!(extract(raw, 4, 4, false), 0b1011);
        assert_eq!(extract(raw, 0, 8, false), 0b1011_0110);
        // Bits above the field are ignored.
        assert_eq!(extract(u128::MAX, 3, 5, false), 31);
    }

    #[test]
    fn extract_signed_extends_the_sign_bit() {
        assert_eq!(extract(0b1, 0, 1, true), -1);
        assert_eq!(extract(0b0, 0, 1, true), 0);
        assert_eq!(extract(0b0111 << 4, 4, 4, true), 7);
        assert_eq!(extract(0b1000 << 4, 4, 4, true), -8);
        assert_eq!(extract(0b1111 << 4, 4, 4, true), -1);
        // Unsigned reading of the same bits.
        assert_eq!(extract(0b1000 << 4, 4, 4, false), 8);
    }

    #[test]
    fn extract_width_zero_is_zero() {
        assert_eq!(extract(u128::MAX, 5, 0, true), 0);
        assert_eq!(extract(u128::MAX, 5, 0, false), 0);
    }

    #[test]
    fn extract_at_both_ends_of_a_64_bit_unit() {
        let top = 1u128 << 63;
        assert_eq!(extract(top, 63, 1, false), 1);
        assert_eq!(extract(top, 63, 1, true), -1);
        assert_eq!(extract(1, 0, 1, false), 1);
        assert_eq!(extract(u64::MAX.into(), 0, 64, false), i128::from(u64::MAX));
        assert_eq!(extract(u64::MAX.into(), 0, 64, true), -1);
        assert_eq!(extract(top, 0, 64, true), i128::from(i64::MIN));
        assert_eq!(extract(0xffff_0000_0000_0000, 48, 16, false), 0xffff);
        assert_eq!(extract(0xffff_0000_0000_0000, 48, 16, true), -1);
    }

    #[test]
    fn every_width_reads_back_its_extremes() {
        for width in 1..=64u32 {
            for shift in [0, 64 - width] {
                let (min, max) = range(width, true);
                for v in [min, -1, 0, max] {
                    let raw = insert(0, shift, width, v);
                    // A signed 1-bit field takes 1, which reads back as -1.
                    let back = if width == 1 && v == 1 { -1 } else { v };
                    assert_eq!(
                        extract(raw, shift, width, true),
                        back,
                        "w={width} s={shift}"
                    );
                }
                let (umin, umax) = range(width, false);
                for v in [umin, umax] {
                    let raw = insert(u128::from(u64::MAX), shift, width, v);
                    assert_eq!(extract(raw, shift, width, false), v, "w={width} s={shift}");
                }
            }
        }
    }

    #[test]
    fn insert_keeps_the_other_bits() {
        let raw = 0xffu128;
        assert_eq!(insert(raw, 2, 3, 0), 0b1110_0011);
        assert_eq!(insert(0, 2, 3, 0b101), 0b1_0100);
        // Negative values go in as their low bits.
        assert_eq!(insert(0, 4, 4, -1), 0xf0);
        assert_eq!(insert(0, 0, 3, -4), 0b100);
        // Bits of the value beyond the width are dropped.
        assert_eq!(insert(0, 0, 2, 0b111), 0b11);
        assert_eq!(insert(0, 63, 1, 1), 1 << 63);
        assert_eq!(insert(u128::from(u64::MAX), 0, 64, 0), 0);
    }

    #[test]
    fn ranges_follow_width_and_signedness() {
        assert_eq!(range(0, true), (0, 0));
        assert_eq!(range(0, false), (0, 0));
        assert_eq!(range(1, true), (-1, 1));
        assert_eq!(range(1, false), (0, 1));
        assert_eq!(range(3, true), (-4, 3));
        assert_eq!(range(3, false), (0, 7));
        assert_eq!(range(8, true), (-128, 127));
        assert_eq!(range(32, false), (0, i128::from(u32::MAX)));
        assert_eq!(
            range(64, true),
            (i128::from(i64::MIN), i128::from(i64::MAX))
        );
        assert_eq!(range(64, false), (0, i128::from(u64::MAX)));
    }

    #[test]
    fn check_refuses_out_of_range_values_with_cffis_message() {
        assert_eq!(check(3, 2, false), Ok(()));
        assert_eq!(check(-2, 2, true), Ok(()));
        assert_eq!(check(1, 1, true), Ok(()));
        assert_eq!(check(0, 0, false), Ok(()));
        let err = check(4, 2, false).unwrap_err();
        assert_eq!(
            err,
            OutOfRange {
                value: 4,
                min: 0,
                max: 3
            }
        );
        assert_eq!(
            err.to_string(),
            "value 4 outside the range allowed by the bit field width: 0 <= x <= 3"
        );
        assert_eq!(
            check(-1, 3, false).unwrap_err().to_string(),
            "value -1 outside the range allowed by the bit field width: 0 <= x <= 7"
        );
        assert_eq!(
            check(-3, 2, true).unwrap_err().to_string(),
            "value -3 outside the range allowed by the bit field width: -2 <= x <= 1"
        );
        assert_eq!(
            check(2, 1, true).unwrap_err().to_string(),
            "value 2 outside the range allowed by the bit field width: -1 <= x <= 1"
        );
        assert_eq!(
            check(1, 0, true).unwrap_err().to_string(),
            "value 1 outside the range allowed by the bit field width: 0 <= x <= 0"
        );
    }
}
