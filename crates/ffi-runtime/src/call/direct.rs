//! Calls without libffi for the shapes that travel in registers (and, on
//! x86-64 System V, on the stack: [`stack`]).
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
//! classify for certain (`long double` fields, empty eightbytes) go
//! through libffi as before. Arguments the registers cannot take, and
//! structs of more than 16 bytes, go on the stack on x86-64 System V
//! (elsewhere: libffi); see [`plan`].

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

/// Calls `code` as a [`Direct`] function with the arguments in `regs`
/// (as an [`IntsOnly`] one if `any_float` is false), and `stack`'s words
/// on the stack after them when there are any.
///
/// # Safety
/// As for [`call_registers`], whose checks it relies on.
#[allow(clippy::inline_always)] // one call instruction and its loads
#[inline(always)]
unsafe fn invoke<R>(
    code: *const c_void,
    regs: &Registers,
    any_float: bool,
    stack: Option<&Stack>,
) -> R {
    let w = &regs.words;
    let [i0, i1, i2, i3, i4, i5] = [w[0], w[1], w[2], w[3], w[4], w[5]];
    // SAFETY: see `call`: by the calling convention, the function at
    // `code` reads exactly its own parameters from these registers, so
    // one without floating arguments may be called through the type
    // that loads none.
    unsafe {
        if let Some(stack) = stack {
            return stack::invoke(code, regs, stack);
        }
        if !any_float {
            let f = std::mem::transmute::<*const c_void, IntsOnly<R>>(code);
            return f(i0, i1, i2, i3, i4, i5);
        }
        let f = |k: usize| f64::from_bits(w[INTS + k]);
        let f = (f(0), f(1), f(2), f(3), f(4), f(5), f(6), f(7));
        let call = std::mem::transmute::<*const c_void, Direct<R>>(code);
        call(
            i0, i1, i2, i3, i4, i5, f.0, f.1, f.2, f.3, f.4, f.5, f.6, f.7,
        )
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

/// Where one argument of a direct call travels: the register of its
/// (first) word and that of a struct's second eightbyte, as indices in
/// [`Registers`] (a scalar's second is a register no call reads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    lo: u8,
    hi: u8,
}

/// Where the vector registers start in [`Registers`].
const FIRST_FLOAT: u8 = INTS as u8;
/// The register in [`Registers`] that no call reads.
const UNUSED: u8 = (INTS + FLOATS) as u8;

/// How the result of a direct call comes back, and is stored as libffi
/// stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Returned {
    /// Nothing.
    Void,
    /// An integer of `size` bytes in `rax`, extended to a word.
    Int { size: u8, signed: bool },
    /// A pointer in `rax`.
    Word,
    /// A `double` in `xmm0`.
    F64,
    /// A `float` in the low half of `xmm0`.
    F32,
    /// A struct, its eightbytes by class.
    Record(Eightbytes),
    /// A struct of more than 16 bytes, written by the callee where the
    /// hidden first integer argument points (x86-64 System V).
    Memory,
}

/// The registers of a direct call's arguments, filled by [`Place`]: the
/// integer ones, then the vector ones (as their bits), then one no call
/// reads (and room to index without a bounds check).
#[derive(Debug, Clone, Copy, Default)]
pub struct Registers {
    words: [u64; 16],
}

impl Registers {
    /// Puts an argument's words where `place` says: `lo` is an integer
    /// extended to a word, a pointer, the bits of a `double`, those of a
    /// `float` (zero-extended) or a struct's first eightbyte; `hi` is a
    /// struct's second eightbyte (ignored for anything else).
    #[inline]
    pub fn put(&mut self, place: Place, lo: u64, hi: u64) {
        // The second first: a scalar's is the unused register, a struct
        // of one eightbyte has its `hi` where its `lo` goes.
        self.words[usize::from(place.hi & 15)] = hi;
        self.words[usize::from(place.lo & 15)] = lo;
    }
}

/// The direct plan of an interface: where each argument goes, how the
/// result comes back, and whether any argument is floating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Plan {
    /// Each argument's registers ([`UNUSED`] ones for an argument on the
    /// stack).
    pub(super) places: Box<[Place]>,
    /// The arguments passed on the stack, and its size in words (none:
    /// the plan is for registers only, [`super::CallInterface::direct`]).
    pub(super) spills: Box<[stack::Spill]>,
    pub(super) stack_words: u8,
    result: Returned,
    floats: bool,
}

impl Plan {
    /// Whether every argument is in registers and the result comes back
    /// in them.
    pub(super) fn registers_only(&self) -> bool {
        self.stack_words == 0 && self.result != Returned::Memory
    }
}

/// The plan of a non-variadic function of these argument and result
/// kinds, if it can be called directly on this target; `arg_regs` and
/// `result_regs` are the classes of the struct ones ([`classify`]).
///
/// Arguments for which the registers run out go on the stack, in order,
/// each in whole words (a struct that does not fit in what is left goes
/// there whole, and leaves the registers to the arguments after it), as
/// do structs of more than 16 bytes; a struct result of more than 16
/// bytes is written where a hidden first integer argument points. That
/// is x86-64 System V's convention; elsewhere a plan is registers only.
pub(super) fn plan(
    args: &[Scalar],
    result: Scalar,
    arg_regs: &[Option<Eightbytes>],
    result_regs: Option<Eightbytes>,
) -> Option<Plan> {
    if !cfg!(all(
        not(windows),
        target_endian = "little",
        any(target_arch = "x86_64", target_arch = "aarch64")
    )) {
        return None;
    }
    let stack_ok = cfg!(all(target_arch = "x86_64", not(windows)));
    let result = match result {
        Scalar::Void => Returned::Void,
        Scalar::Int { size, signed } => Returned::Int {
            size: size as u8,
            signed,
        },
        Scalar::Pointer => Returned::Word,
        Scalar::F64 => Returned::F64,
        Scalar::F32 => Returned::F32,
        Scalar::Record { size, .. } if size > 16 && stack_ok => Returned::Memory,
        Scalar::Record { .. } => Returned::Record(result_regs?),
        Scalar::LongDouble => return None,
    };
    // The hidden result pointer takes the first integer register.
    let mut used = Used {
        ints: u8::from(result == Returned::Memory),
        floats: 0,
    };
    let mut places = Vec::with_capacity(args.len());
    let mut spills = Vec::new();
    let mut words = 0usize;
    let none = Place {
        lo: UNUSED,
        hi: UNUSED,
    };
    for (i, arg) in args.iter().enumerate() {
        // The registers this argument needs, by class; `None` for a
        // struct that always goes on the stack.
        let need = match (*arg, arg_regs.get(i).copied().flatten()) {
            (Scalar::Int { .. } | Scalar::Pointer, _) => Some((1, 0)),
            (Scalar::F64 | Scalar::F32, _) => Some((0, 1)),
            (Scalar::Record { .. }, Some(eb)) => {
                let n = eb.classes().iter().filter(|c| **c == Class::Int).count();
                Some((n, eb.count() - n))
            }
            (Scalar::Record { size, align }, None) if size > 16 && align <= 8 => None,
            _ => return None,
        };
        let fits = need.is_some_and(|(ni, nf)| {
            usize::from(used.ints) + ni <= INTS && usize::from(used.floats) + nf <= FLOATS
        });
        if !fits {
            // On the stack, in whole words.
            if !stack_ok {
                return None;
            }
            let size = match *arg {
                Scalar::Int { size, .. } => u64::from(size),
                Scalar::Record { size, .. } => size,
                Scalar::F32 => 4,
                _ => 8,
            };
            spills.push(stack::Spill::new(i, words, size)?);
            words += usize::try_from(size.div_ceil(8)).ok()?;
            places.push(none);
            continue;
        }
        let place = match (*arg, arg_regs.get(i).copied().flatten()) {
            (Scalar::F64 | Scalar::F32, _) => Place {
                lo: used.take(Class::Sse),
                hi: UNUSED,
            },
            (Scalar::Record { .. }, Some(eb)) => {
                let lo = used.take(eb.classes[0]);
                let hi = if eb.count() > 1 {
                    used.take(eb.classes[1])
                } else {
                    UNUSED
                };
                Place { lo, hi }
            }
            _ => Place {
                lo: used.take(Class::Int),
                hi: UNUSED,
            },
        };
        places.push(place);
    }
    (words <= stack::MAX_WORDS).then(|| Plan {
        places: places.into_boxed_slice(),
        spills: spills.into_boxed_slice(),
        stack_words: words as u8,
        result,
        floats: used.floats > 0,
    })
}

/// The registers a plan has given out so far, by class.
struct Used {
    ints: u8,
    floats: u8,
}

impl Used {
    /// The next register of `class` (its index in [`Registers`]).
    fn take(&mut self, class: Class) -> u8 {
        match class {
            Class::Int => {
                self.ints += 1;
                self.ints - 1
            }
            Class::Sse => {
                self.floats += 1;
                FIRST_FLOAT + self.floats - 1
            }
        }
    }
}

/// The struct results: two eightbytes, returned by class.
#[repr(C)]
struct Pair<A, B>(A, B);

/// The direct call of `code` with its arguments at `args` (pointers to
/// values of the kinds `kinds`, as libffi takes them), its result stored
/// at `ret` as libffi stores it (16 bytes written).
///
/// # Safety
/// As [`super::CallInterface::call`]; `plan` and `kinds` are those of the
/// interface.
pub(super) unsafe fn call(
    plan: &Plan,
    kinds: &[Scalar],
    code: *const c_void,
    args: &[*mut c_void],
    ret: *mut c_void,
) {
    let mut regs = Registers::default();
    for ((&place, &kind), &p) in plan.places.iter().zip(kinds).zip(args) {
        if place.lo == UNUSED {
            // On the stack: below.
            continue;
        }
        // SAFETY: each argument pointer refers to a value of its kind
        // (the caller's contract).
        let (lo, hi) = unsafe {
            match kind {
                Scalar::Int { size, signed } => (widen(p, size, signed), 0),
                // A pointer's word, a `double`'s bits.
                Scalar::Pointer | Scalar::F64 => (p.cast::<u64>().read_unaligned(), 0),
                Scalar::F32 => (u64::from(p.cast::<u32>().read_unaligned()), 0),
                Scalar::Record { size, .. } => {
                    // Exactly the struct's bytes (its memory may end
                    // before a whole eightbyte does), as two words (the
                    // direct calls are little-endian only: `plan`).
                    let bytes = crate::memory::load(p as usize, size as usize).0;
                    let both = u128::from_le_bytes(bytes);
                    (both as u64, (both >> 64) as u64)
                }
                Scalar::Void | Scalar::LongDouble => unreachable!("not planned: `plan`"),
            }
        };
        regs.put(place, lo, hi);
    }
    if plan.result == Returned::Memory {
        regs.words[0] = ret as u64;
    }
    let stack = (plan.stack_words > 0).then(|| {
        // SAFETY: each spilled argument's pointer refers to its value's
        // bytes (the caller's contract).
        unsafe { stack::Stack::of(plan, args) }
    });
    // SAFETY: the caller's contract; `ret` has room for 16 bytes, and
    // for the result's size when the callee writes it there.
    unsafe {
        let words = call_registers(plan, code, &regs, stack.as_ref());
        if plan.result != Returned::Memory {
            ret.cast::<[u64; 2]>().write_unaligned(words);
        }
    }
}

/// The direct call of `code` with its arguments in `regs`; its result as
/// libffi stores it (an integer extended to a word, a `float`'s bits in
/// the low half, a struct's bytes).
///
/// # Safety
/// `code` is a function of the interface `plan` was made for.
#[inline]
pub(super) unsafe fn call_registers(
    plan: &Plan,
    code: *const c_void,
    regs: &Registers,
    stack: Option<&Stack>,
) -> [u64; 2] {
    let nf = plan.floats;
    // SAFETY: `code` is a function whose parameters are the integer and
    // floating arguments of the plan, in order (`plan` bounds their
    // counts by the registers that carry them), so by the calling
    // convention (see the module's comment) it reads exactly what it
    // would from a call of its own type; the registers beyond its
    // parameters are ignored. Its result register is read as the
    // type's class says.
    unsafe {
        match plan.result {
            // The callee returns the hidden pointer, which the caller
            // already has.
            Returned::Void | Returned::Memory => {
                invoke::<u64>(code, regs, nf, stack);
                [0, 0]
            }
            // The register's bits beyond the type are not defined; the
            // word is extended as libffi does.
            Returned::Int { size, signed } => {
                [extend(invoke(code, regs, nf, stack), size, signed), 0]
            }
            Returned::Word => [invoke(code, regs, nf, stack), 0],
            Returned::F64 => [invoke::<f64>(code, regs, nf, stack).to_bits(), 0],
            Returned::F32 => [
                u64::from(invoke::<f64>(code, regs, nf, stack).to_bits() as u32),
                0,
            ],
            Returned::Record(eightbytes) => match eightbytes.classes() {
                [Class::Int] => [invoke::<u64>(code, regs, nf, stack), 0],
                [Class::Sse] => [invoke::<f64>(code, regs, nf, stack).to_bits(), 0],
                [Class::Int, Class::Int] => {
                    let Pair(a, b) = invoke::<Pair<u64, u64>>(code, regs, nf, stack);
                    [a, b]
                }
                [Class::Int, Class::Sse] => {
                    let Pair(a, b) = invoke::<Pair<u64, f64>>(code, regs, nf, stack);
                    [a, b.to_bits()]
                }
                [Class::Sse, Class::Int] => {
                    let Pair(a, b) = invoke::<Pair<f64, u64>>(code, regs, nf, stack);
                    [a.to_bits(), b]
                }
                [Class::Sse, Class::Sse] => {
                    let Pair(a, b) = invoke::<Pair<f64, f64>>(code, regs, nf, stack);
                    [a.to_bits(), b.to_bits()]
                }
                _ => unreachable!("one or two eightbytes"),
            },
        }
    }
}

mod stack;

use stack::Stack;

/// The low `size` bytes of `word`, extended to a word.
fn extend(word: u64, size: u8, signed: bool) -> u64 {
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
