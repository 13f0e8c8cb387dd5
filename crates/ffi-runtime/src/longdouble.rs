//! `long double` values: converting between Rust's `f64` and the host's
//! `long double` format (x87 80-bit extended on x86, IEEE binary128 on
//! AArch64 Linux, plain `double` elsewhere). Pure bit manipulation.

/// The encodings of `long double` this module knows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    /// x87 80-bit extended precision, padded to 16 bytes.
    X87,
    /// IEEE 754 binary128.
    Binary128,
    /// `long double` is `double`.
    Double,
}

/// The host's format, decided once at compile time.
const HOST: Format = if cfg!(all(
    any(target_arch = "x86_64", target_arch = "x86"),
    not(windows)
)) {
    Format::X87
} else if cfg!(all(
    target_arch = "aarch64",
    not(target_vendor = "apple"),
    not(windows)
)) {
    Format::Binary128
} else {
    Format::Double
};

/// Encodes `v` as the host's `long double`, in native byte order, padded to
/// 16 bytes. Every `f64` is exactly representable, so this is lossless.
pub fn f64_to_long_double(v: f64) -> [u8; 16] {
    match HOST {
        Format::X87 => f64_to_x87(v),
        Format::Binary128 => f64_to_binary128(v),
        Format::Double => {
            let mut out = [0; 16];
            out[..8].copy_from_slice(&v.to_ne_bytes());
            out
        }
    }
}

/// Decodes a host `long double` into the nearest `f64` (values beyond the
/// `f64` range become infinities, as a C cast would).
pub fn long_double_to_f64(bytes: &[u8; 16]) -> f64 {
    match HOST {
        Format::X87 => x87_to_f64(bytes),
        Format::Binary128 => binary128_to_f64(bytes),
        Format::Double => f64::from_ne_bytes(bytes[..8].try_into().expect("8 bytes")),
    }
}

/// True if the host `long double` in `bytes` is zero (of either sign).
/// Exact, where [`long_double_to_f64`] may round a tiny value to zero.
pub fn long_double_is_zero(bytes: &[u8; 16]) -> bool {
    match HOST {
        Format::X87 => {
            let mant = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes"));
            let exp = u16::from_le_bytes([bytes[8], bytes[9]]) & 0x7fff;
            mant == 0 && exp == 0
        }
        Format::Binary128 => u128::from_ne_bytes(*bytes) << 1 == 0,
        Format::Double => long_double_to_f64(bytes) == 0.0,
    }
}

/// `x * 2**k` without intermediate overflow or underflow.
fn scale(mut x: f64, mut k: i32) -> f64 {
    let step = |e: i32| f64::from_bits(((e + 1023) as u64) << 52);
    while k > 1000 {
        x *= step(1000);
        k -= 1000;
    }
    while k < -1000 {
        x *= step(-1000);
        k += 1000;
    }
    x * step(k)
}

/// Splits an `f64` into (sign, unbiased exponent of the leading bit,
/// 64-bit mantissa with the leading 1 in bit 63); `None` for 0, inf, NaN.
fn normalized(v: f64) -> Option<(bool, i32, u64)> {
    let bits = v.to_bits();
    let sign = bits >> 63 == 1;
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1 << 52) - 1);
    match exp {
        0x7ff => None,
        0 if frac == 0 => None,
        0 => {
            let lz = frac.leading_zeros() as i32;
            Some((sign, -1074 + 63 - lz, frac << lz))
        }
        _ => Some((sign, exp - 1023, (1 << 63) | (frac << 11))),
    }
}

fn f64_to_x87(v: f64) -> [u8; 16] {
    let sign = u16::from(v.is_sign_negative()) << 15;
    let (exp, mant): (u16, u64) = if v.is_nan() {
        (0x7fff, 0xc000_0000_0000_0000)
    } else if v.is_infinite() {
        (0x7fff, 1 << 63)
    } else if v == 0.0 {
        (0, 0)
    } else {
        let (_, e, m) = normalized(v).expect("finite nonzero");
        ((e + 16383) as u16, m)
    };
    let mut out = [0; 16];
    out[..8].copy_from_slice(&mant.to_le_bytes());
    out[8..10].copy_from_slice(&(sign | exp).to_le_bytes());
    out
}

fn x87_to_f64(b: &[u8; 16]) -> f64 {
    let mant = u64::from_le_bytes(b[..8].try_into().expect("8 bytes"));
    let se = u16::from_le_bytes([b[8], b[9]]);
    let sign = if se >> 15 == 1 { -1.0 } else { 1.0 };
    let exp = i32::from(se & 0x7fff);
    if exp == 0x7fff {
        return if mant << 1 == 0 {
            sign * f64::INFINITY
        } else {
            f64::NAN
        };
    }
    let e = if exp == 0 { -16382 } else { exp - 16383 };
    sign * scale(mant as f64, e - 63)
}

fn f64_to_binary128(v: f64) -> [u8; 16] {
    let sign = u128::from(v.is_sign_negative()) << 127;
    let bits: u128 = if v.is_nan() {
        (0x7fff << 112) | (1 << 111)
    } else if v.is_infinite() {
        0x7fff << 112
    } else if v == 0.0 {
        0
    } else {
        let (_, e, m) = normalized(v).expect("finite nonzero");
        let frac = u128::from(m & !(1 << 63)) << 49;
        (((e + 16383) as u128) << 112) | frac
    };
    (sign | bits).to_ne_bytes()
}

fn binary128_to_f64(b: &[u8; 16]) -> f64 {
    let bits = u128::from_ne_bytes(*b);
    let sign = if bits >> 127 == 1 { -1.0 } else { 1.0 };
    let exp = ((bits >> 112) & 0x7fff) as i32;
    let frac = bits & ((1 << 112) - 1);
    if exp == 0x7fff {
        return if frac == 0 {
            sign * f64::INFINITY
        } else {
            f64::NAN
        };
    }
    let (mant, e) = if exp == 0 {
        (frac, -16382)
    } else {
        (frac | (1 << 112), exp - 16383)
    };
    sign * scale(mant as f64, e - 112)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLES: &[f64] = &[
        0.0,
        -0.0,
        1.0,
        -1.5,
        0.1,
        1e300,
        -1e-300,
        5e-324,
        f64::MAX,
        f64::MIN_POSITIVE,
        3.0e-310,
    ];

    #[test]
    fn x87_round_trip() {
        for &v in SAMPLES {
            assert_eq!(x87_to_f64(&f64_to_x87(v)).to_bits(), v.to_bits(), "{v}");
        }
        assert!(x87_to_f64(&f64_to_x87(f64::NAN)).is_nan());
        assert_eq!(
            x87_to_f64(&f64_to_x87(f64::NEG_INFINITY)).to_bits(),
            f64::NEG_INFINITY.to_bits()
        );
    }

    #[test]
    fn x87_known_encoding() {
        // 1.0 is mantissa 0x8000000000000000, exponent 0x3fff.
        let b = f64_to_x87(1.0);
        assert_eq!(u64::from_le_bytes(b[..8].try_into().unwrap()), 1 << 63);
        assert_eq!(u16::from_le_bytes([b[8], b[9]]), 0x3fff);
    }

    #[test]
    fn binary128_round_trip() {
        for &v in SAMPLES {
            assert_eq!(
                binary128_to_f64(&f64_to_binary128(v)).to_bits(),
                v.to_bits(),
                "{v}"
            );
        }
        let one = u128::from_ne_bytes(f64_to_binary128(1.0));
        assert_eq!(one, 0x3fff << 112);
    }

    #[test]
    fn host_round_trip() {
        for &v in SAMPLES {
            assert_eq!(
                long_double_to_f64(&f64_to_long_double(v)).to_bits(),
                v.to_bits(),
                "{v}"
            );
        }
    }
}
