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
//!
//! On x86-64 System V, a struct of at most 16 bytes travels in registers
//! too, one per eightbyte (8-byte piece): a vector register if every
//! field in it is `float` or `double`, else an integer register. If
//! there are enough registers for all of it, which the counts below
//! ensure, it is passed as that many more words or doubles; returned, it
//! comes back in `rax`/`rdx` and `xmm0`/`xmm1` by the same classes, read
//! through a `#[repr(C)]` pair the compiler returns alike.
//! [`classify`] finds the classes once per type; structs it cannot
//! classify for certain (`long double` fields, larger than 16 bytes,
//! empty eightbytes) go through libffi as before.

use super::Scalar;
use ctypes_model::{Type, TypeId, TypeTable};
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
unsafe fn invoke<R>(code: *const c_void, ints: [u64; INTS], floats: [f64; FLOATS], nf: usize) -> R {
    let [i0, i1, i2, i3, i4, i5] = ints;
    // SAFETY: see `call`: by the calling convention, the function at
    // `code` reads exactly its own parameters from these registers, so
    // one without floating arguments may be called through the type
    // that loads none.
    unsafe {
        if nf == 0 {
            let f = std::mem::transmute::<*const c_void, IntsOnly<R>>(code);
            return f(i0, i1, i2, i3, i4, i5);
        }
        let [f0, f1, f2, f3, f4, f5, f6, f7] = floats;
        let f = std::mem::transmute::<*const c_void, Direct<R>>(code);
        f(i0, i1, i2, i3, i4, i5, f0, f1, f2, f3, f4, f5, f6, f7)
    }
}

/// The direct calls' type for functions without floating arguments: the
/// 8 vector registers are not loaded.
type IntsOnly<R> = unsafe extern "C" fn(u64, u64, u64, u64, u64, u64) -> R;

/// The register class of one eightbyte of a struct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    /// An integer register (some integer or pointer field in it).
    Int,
    /// A vector register (only `float`/`double` fields in it).
    Sse,
}

/// How a struct of at most 16 bytes travels on x86-64 System V: its
/// size and the class of each of its one or two eightbytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Eightbytes {
    size: u8,
    classes: [Class; 2],
}

impl Eightbytes {
    fn count(self) -> usize {
        usize::from(self.size).div_ceil(8)
    }

    fn classes(&self) -> &[Class] {
        &self.classes[..self.count()]
    }
}

/// The eightbyte classes of the struct `id` (already accepted by
/// `record_type`: no unions, bit fields, packing or explicit alignment),
/// if it travels in registers and every field is classified for certain.
pub(super) fn classify(types: &TypeTable, id: TypeId) -> Option<Eightbytes> {
    if !cfg!(all(target_arch = "x86_64", not(windows))) {
        return None;
    }
    let size = types.size_of(id)?;
    if size == 0 || size > 16 {
        return None;
    }
    // Per eightbyte: whether any field lies in it, and whether one of
    // them is an integer.
    let mut seen = [(false, false); 2];
    leaves(types, id, 0, &mut |offset, len, int| {
        let first = (offset / 8) as usize;
        // Naturally aligned fields never straddle; refuse if one did.
        if len == 0 || (offset + len - 1) / 8 != offset / 8 || first > 1 {
            return false;
        }
        seen[first].0 = true;
        seen[first].1 |= int;
        true
    })?;
    let count = size.div_ceil(8) as usize;
    let mut classes = [Class::Int; 2];
    for (class, &(any, int)) in classes.iter_mut().zip(&seen).take(count) {
        if !any {
            return None;
        }
        *class = if int { Class::Int } else { Class::Sse };
    }
    Some(Eightbytes {
        size: size as u8,
        classes,
    })
}

/// Calls `each(offset, size, is_integer)` for every scalar field of `id`
/// at `base`, through nested structs and arrays; `None` if a field is of
/// a kind with no certain class here, or `each` refuses one.
fn leaves(
    types: &TypeTable,
    id: TypeId,
    base: u64,
    each: &mut impl FnMut(u64, u64, bool) -> bool,
) -> Option<()> {
    match types.get(id) {
        Type::Record(rid) => {
            let rec = types.record(*rid);
            let body = rec.body.as_ref()?;
            let layout = types.layout(*rid).ok()?;
            for (field, at) in body.fields.iter().zip(&layout.fields) {
                if at.flexible || at.bit_offset.is_some() {
                    return None;
                }
                leaves(types, field.ty, base + at.offset, each)?;
            }
            Some(())
        }
        Type::Array { item, len: Some(n) } => {
            let step = types.size_of(*item)?;
            for i in 0..*n {
                leaves(types, *item, base + i * step, each)?;
            }
            Some(())
        }
        _ => {
            let len = types.size_of(id)?;
            let int = match super::scalar_of(types, id, "argument").ok()? {
                Scalar::Int { .. } | Scalar::Pointer => true,
                Scalar::F32 | Scalar::F64 => false,
                _ => return None,
            };
            each(base, len, int).then_some(())
        }
    }
}

/// Whether a non-variadic function of these argument and result kinds
/// can be called directly on this target; `arg_regs` and `result_regs`
/// are the classes of the struct ones ([`classify`]).
pub(super) fn fits(
    args: &[Scalar],
    result: Scalar,
    arg_regs: &[Option<Eightbytes>],
    result_regs: Option<Eightbytes>,
) -> bool {
    if !cfg!(all(
        not(windows),
        target_endian = "little",
        any(target_arch = "x86_64", target_arch = "aarch64")
    )) {
        return false;
    }
    let (mut ints, mut floats) = (0, 0);
    for (i, arg) in args.iter().enumerate() {
        // `arg_regs` is empty when no argument is a struct.
        match (arg, arg_regs.get(i).copied().flatten()) {
            (Scalar::Int { .. } | Scalar::Pointer, _) => ints += 1,
            (Scalar::F32 | Scalar::F64, _) => floats += 1,
            (Scalar::Record { .. }, Some(regs)) => {
                for class in regs.classes() {
                    match class {
                        Class::Int => ints += 1,
                        Class::Sse => floats += 1,
                    }
                }
            }
            _ => return false,
        }
    }
    let result_fits = match result {
        Scalar::Void | Scalar::Int { .. } | Scalar::Pointer | Scalar::F32 | Scalar::F64 => true,
        Scalar::Record { .. } => result_regs.is_some(),
        Scalar::LongDouble => false,
    };
    // All of every struct in registers: none is left for the stack,
    // where the convention would put the whole struct instead.
    result_fits && ints <= INTS && floats <= FLOATS
}

/// The struct results: two eightbytes, returned by class.
#[repr(C)]
struct Pair<A, B>(A, B);

/// The direct call.
///
/// # Safety
/// As [`super::CallInterface::call`]; `cif` describes the function at
/// `code` and satisfies [`fits`].
/// `RECORDS` is whether any argument or the result is a struct: the
/// calls of scalars only are compiled without what structs need.
pub(super) unsafe fn call<const RECORDS: bool>(
    cif: &super::CallInterface,
    code: *const c_void,
    args: &[*mut c_void],
    ret: *mut c_void,
) {
    let (kinds, result) = (&cif.args, cif.result);
    let mut ints = [0u64; INTS];
    let mut floats = [0f64; FLOATS];
    let (mut ni, mut nf) = (0, 0);
    for (i, (kind, &p)) in kinds.iter().zip(args).enumerate() {
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
                Scalar::Record { .. } if RECORDS => {
                    let Some(Some(regs)) = cif.arg_regs.get(i) else {
                        unreachable!("classified, checked by `fits`")
                    };
                    // Exactly the struct's bytes (its memory may end
                    // before a whole eightbyte does), as two words (the
                    // direct calls are little-endian only: `fits`).
                    let bytes = crate::memory::load(p as usize, usize::from(regs.size)).0;
                    let both = u128::from_le_bytes(bytes);
                    let words = [both as u64, (both >> 64) as u64];
                    let mut put = |class: Class, word: u64| match class {
                        Class::Int => {
                            ints[ni] = word;
                            ni += 1;
                        }
                        Class::Sse => {
                            floats[nf] = f64::from_bits(word);
                            nf += 1;
                        }
                    };
                    put(regs.classes[0], words[0]);
                    if regs.size > 8 {
                        put(regs.classes[1], words[1]);
                    }
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
        if let (true, Some(regs)) = (RECORDS, cif.result_regs) {
            // A struct result: its eightbytes as the classes say, stored
            // as libffi stores it (`ret` has room for 16 bytes).
            let words: [u64; 2] = match regs.classes() {
                [Class::Int] => [invoke::<u64>(code, ints, floats, nf), 0],
                [Class::Sse] => [invoke::<f64>(code, ints, floats, nf).to_bits(), 0],
                [Class::Int, Class::Int] => {
                    let Pair(a, b) = invoke::<Pair<u64, u64>>(code, ints, floats, nf);
                    [a, b]
                }
                [Class::Int, Class::Sse] => {
                    let Pair(a, b) = invoke::<Pair<u64, f64>>(code, ints, floats, nf);
                    [a, b.to_bits()]
                }
                [Class::Sse, Class::Int] => {
                    let Pair(a, b) = invoke::<Pair<f64, u64>>(code, ints, floats, nf);
                    [a.to_bits(), b]
                }
                [Class::Sse, Class::Sse] => {
                    let Pair(a, b) = invoke::<Pair<f64, f64>>(code, ints, floats, nf);
                    [a.to_bits(), b.to_bits()]
                }
                _ => unreachable!("one or two eightbytes"),
            };
            ret.cast::<[u64; 2]>().write(words);
            return;
        }
        match result {
            Scalar::F64 | Scalar::F32 => {
                let r: f64 = invoke(code, ints, floats, nf);
                if result == Scalar::F64 {
                    ret.cast::<f64>().write(r);
                } else {
                    ret.cast::<u32>().write(r.to_bits() as u32);
                }
            }
            _ => {
                let r: u64 = invoke(code, ints, floats, nf);
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
