//! Calls without libffi for the shapes that travel in registers only.
//!
//! libffi classifies every argument again on each call (on x86-64, a
//! few hundred instructions for a two-`int` call, about a third of what a
//! whole call from Python costs). In the System V x86-64 and AArch64
//! conventions, integer-class arguments (integers, pointers) take the
//! integer registers in order and `float`/`double` arguments the vector
//! registers in order, each sequence independently of the other, and a
//! callee reads only the registers of its own parameters. So a
//! non-variadic function with at most 6 integer-class and at most 8
//! floating arguments, returning nothing, an integer, a pointer or a
//! floating value, is called correctly through one fixed Rust type:
//! 6 words and 8 doubles, returning a word or a double — with each
//! integer widened to a whole word as its type says (narrower values
//! must be extended by the caller at least to 32 bits on some
//! compilers' reading of the ABI) and each `float` in the low half of
//! its register.

use super::Scalar;
use std::ffi::c_void;

/// Integer registers used (both conventions have at least 6).
const INTS: usize = 6;
/// Vector registers used (both conventions have 8).
const FLOATS: usize = 8;

/// Every direct call's type: 6 words and 8 doubles, returning `R`
/// (a word or a double).
type Direct<R> =
    unsafe extern "C" fn(u64, u64, u64, u64, u64, u64, f64, f64, f64, f64, f64, f64, f64, f64) -> R;

/// Calls `code` as a [`Direct`] function.
///
/// # Safety
/// As for [`call`], whose checks it relies on.
unsafe fn invoke<R>(code: *const c_void, ints: [u64; INTS], floats: [f64; FLOATS]) -> R {
    let [i0, i1, i2, i3, i4, i5] = ints;
    let [f0, f1, f2, f3, f4, f5, f6, f7] = floats;
    // SAFETY: see `call`: by the calling convention, the function at
    // `code` reads exactly its own parameters from these registers.
    unsafe {
        let f = std::mem::transmute::<*const c_void, Direct<R>>(code);
        f(i0, i1, i2, i3, i4, i5, f0, f1, f2, f3, f4, f5, f6, f7)
    }
}

/// Whether a non-variadic function of these argument and result kinds
/// can be called directly on this target.
pub(super) fn fits(args: &[Scalar], result: Scalar) -> bool {
    if !cfg!(all(
        not(windows),
        target_endian = "little",
        any(target_arch = "x86_64", target_arch = "aarch64")
    )) {
        return false;
    }
    let (mut ints, mut floats) = (0, 0);
    for arg in args {
        match arg {
            Scalar::Int { .. } | Scalar::Pointer => ints += 1,
            Scalar::F32 | Scalar::F64 => floats += 1,
            _ => return false,
        }
    }
    let result_fits = matches!(
        result,
        Scalar::Void | Scalar::Int { .. } | Scalar::Pointer | Scalar::F32 | Scalar::F64
    );
    result_fits && ints <= INTS && floats <= FLOATS
}

/// The direct call.
///
/// # Safety
/// As [`super::CallInterface::call`]; `kinds` and `result` describe
/// the function at `code` and satisfy [`fits`].
pub(super) unsafe fn call(
    code: *const c_void,
    kinds: &[Scalar],
    args: &[*mut c_void],
    result: Scalar,
    ret: *mut c_void,
) {
    let mut ints = [0u64; INTS];
    let mut floats = [0f64; FLOATS];
    let (mut ni, mut nf) = (0, 0);
    for (kind, &p) in kinds.iter().zip(args) {
        // SAFETY: each argument pointer refers to a value of its kind
        // (the caller's contract); the slots are 16-byte aligned.
        unsafe {
            match *kind {
                Scalar::Int { size, signed } => {
                    ints[ni] = widen(p, size, signed);
                    ni += 1;
                }
                Scalar::Pointer => {
                    ints[ni] = p.cast::<usize>().read() as u64;
                    ni += 1;
                }
                Scalar::F64 => {
                    floats[nf] = p.cast::<f64>().read();
                    nf += 1;
                }
                Scalar::F32 => {
                    let bits = p.cast::<f32>().read().to_bits();
                    floats[nf] = f64::from_bits(u64::from(bits));
                    nf += 1;
                }
                _ => unreachable!("checked by `fits`"),
            }
        }
    }
    // SAFETY: `code` is a function whose parameters are the integer
    // and floating arguments above in order (`fits` bounds their
    // counts by the registers that carry them), so by the calling
    // convention (see the module's comment) it reads exactly what it
    // would from a call of its own type; the registers beyond its
    // parameters are ignored. Its result register is read as the
    // type's class says and stored as libffi would store it (a
    // whole word for integers; the value for floating types).
    unsafe {
        match result {
            Scalar::F64 | Scalar::F32 => {
                let r: f64 = invoke(code, ints, floats);
                if result == Scalar::F64 {
                    ret.cast::<f64>().write(r);
                } else {
                    ret.cast::<u32>().write(r.to_bits() as u32);
                }
            }
            _ => {
                let r: u64 = invoke(code, ints, floats);
                match result {
                    Scalar::Void => {}
                    // The register's bits beyond the type are not
                    // defined; the word is extended as libffi does.
                    Scalar::Int { size, signed } => {
                        ret.cast::<u64>().write(extend(r, size, signed));
                    }
                    _ => ret.cast::<u64>().write(r),
                }
            }
        }
    }
}

/// The low `size` bytes of `word`, extended to a word.
fn extend(word: u64, size: u32, signed: bool) -> u64 {
    match (size, signed) {
        (1, true) => word as i8 as i64 as u64,
        (1, false) => u64::from(word as u8),
        (2, true) => word as i16 as i64 as u64,
        (2, false) => u64::from(word as u16),
        (4, true) => word as i32 as i64 as u64,
        (4, false) => u64::from(word as u32),
        _ => word,
    }
}

/// The integer of `size` bytes at `p`, extended to a word.
///
/// # Safety
/// `p` points to `size` readable bytes, aligned for that size.
unsafe fn widen(p: *const c_void, size: u32, signed: bool) -> u64 {
    // SAFETY: the caller's contract.
    unsafe {
        match (size, signed) {
            (1, true) => p.cast::<i8>().read() as i64 as u64,
            (1, false) => u64::from(p.cast::<u8>().read()),
            (2, true) => p.cast::<i16>().read() as i64 as u64,
            (2, false) => u64::from(p.cast::<u16>().read()),
            (4, true) => p.cast::<i32>().read() as i64 as u64,
            (4, false) => u64::from(p.cast::<u32>().read()),
            _ => p.cast::<u64>().read(),
        }
    }
}
