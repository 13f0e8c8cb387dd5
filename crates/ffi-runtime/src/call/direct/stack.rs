//! The direct calls' arguments on the stack (x86-64 System V).
//!
//! Past the 6 integer and 8 vector registers, and for structs of more
//! than 16 bytes, the caller puts arguments on the stack in order, each
//! in whole 8-byte words starting right above the return address. A
//! function type of 6 words, 8 doubles and one `#[repr(C)]` struct of N
//! words (more than 16 bytes, so itself passed on the stack) lays those N
//! words out exactly so; every register is loaded, so the struct lands
//! where the callee's first stack argument is. A callee reads only its
//! own arguments, so N may be rounded up to one of a few sizes.
//!
//! Doing this here rather than through libffi also avoids libffi's bug
//! #574 (fixed upstream in 2024, after the libffi the wheels use): a
//! struct of an integer eightbyte and a vector one whose integer half
//! takes the last integer register had its vector half written over an
//! earlier floating argument.

use super::{Plan, Registers, INTS};
use std::ffi::c_void;

/// The most stack words a direct call passes (1 KiB); larger argument
/// lists go through libffi.
pub(super) const MAX_WORDS: usize = 128;

/// One argument on the stack: `size` bytes of argument `arg`, from word
/// `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::call) struct Spill {
    arg: u16,
    at: u8,
    size: u16,
}

impl Spill {
    /// The spill of argument `arg`, `size` bytes at word `at`, if the
    /// stack has room for it.
    pub(super) fn new(arg: usize, at: usize, size: u64) -> Option<Spill> {
        let size = usize::try_from(size).ok()?;
        if at + size.div_ceil(8) > MAX_WORDS {
            return None;
        }
        Some(Spill {
            arg: u16::try_from(arg).ok()?,
            at: u8::try_from(at).ok()?,
            size: u16::try_from(size).ok()?,
        })
    }
}

/// The stack arguments of one call, in words.
pub(in crate::call) struct Stack {
    words: [u64; MAX_WORDS],
    len: usize,
}

impl Stack {
    /// The stack arguments of a call of `plan` with its arguments at
    /// `args`: each spilled argument's bytes from its word on, the rest
    /// zero.
    ///
    /// # Safety
    /// The pointer of each spilled argument refers to its `size` readable
    /// bytes (as [`super::call`]'s caller vouches).
    pub(super) unsafe fn of(plan: &Plan, args: &[*mut c_void]) -> Stack {
        let mut stack = Stack {
            words: [0; MAX_WORDS],
            len: usize::from(plan.stack_words),
        };
        let base = stack.words.as_mut_ptr() as usize;
        for spill in &plan.spills {
            let src = args[usize::from(spill.arg)] as usize;
            // SAFETY: `Spill::new` keeps `at * 8 + size` within the
            // words; the source is the caller's.
            unsafe {
                crate::memory::copy(
                    base + usize::from(spill.at) * 8,
                    src,
                    usize::from(spill.size),
                );
            };
        }
        stack
    }
}

/// A block of stack words, passed by value (on the stack).
#[repr(C)]
#[derive(Clone, Copy)]
struct Words<const N: usize>([u64; N]);

/// The direct calls' type with `N` stack words.
type WithStack<R, const N: usize> = unsafe extern "C" fn(
    u64,
    u64,
    u64,
    u64,
    u64,
    u64,
    f64,
    f64,
    f64,
    f64,
    f64,
    f64,
    f64,
    f64,
    Words<N>,
) -> R;

/// Calls `code` with the arguments in `regs` and on `stack`.
///
/// # Safety
/// As for [`super::call_registers`].
pub(super) unsafe fn invoke<R>(code: *const c_void, regs: &Registers, stack: &Stack) -> R {
    // SAFETY: the caller's contract.
    unsafe {
        match stack.len {
            0..=4 => with::<R, 4>(code, regs, stack),
            5..=8 => with::<R, 8>(code, regs, stack),
            9..=16 => with::<R, 16>(code, regs, stack),
            17..=32 => with::<R, 32>(code, regs, stack),
            33..=64 => with::<R, 64>(code, regs, stack),
            _ => with::<R, MAX_WORDS>(code, regs, stack),
        }
    }
}

/// [`invoke`] through the type of `N` stack words.
///
/// # Safety
/// As for [`invoke`]; `N` is at least the stack's length.
unsafe fn with<R, const N: usize>(code: *const c_void, regs: &Registers, stack: &Stack) -> R {
    let mut words = [0u64; N];
    words.copy_from_slice(&stack.words[..N]);
    let w = &regs.words;
    let f = |k: usize| f64::from_bits(w[INTS + k]);
    // SAFETY: `code` takes its register arguments as the plan placed
    // them and its stack arguments as the words hold them (see the
    // module's comment); it reads nothing beyond its own.
    unsafe {
        let call = std::mem::transmute::<*const c_void, WithStack<R, N>>(code);
        call(
            w[0],
            w[1],
            w[2],
            w[3],
            w[4],
            w[5],
            f(0),
            f(1),
            f(2),
            f(3),
            f(4),
            f(5),
            f(6),
            f(7),
            Words(words),
        )
    }
}
