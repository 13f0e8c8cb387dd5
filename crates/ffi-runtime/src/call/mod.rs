//! Call interfaces: a libffi CIF prepared once per C function type.

use crate::Slot;
use ctypes_model::{Primitive, PrimitiveKind, Type, TypeId, TypeTable};
use libffi::middle::{Cif, Type as FfiType};
use std::ffi::c_void;
use std::fmt;

/// How one argument or result travels through libffi.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    /// No value (results only).
    Void,
    /// An integer of `size` bytes (also `char`, `_Bool`, wide chars).
    Int {
        /// 1, 2, 4 or 8.
        size: u32,
        /// Whether it is sign-extended.
        signed: bool,
    },
    /// `float`
    F32,
    /// `double`
    F64,
    /// The host's `long double`.
    LongDouble,
    /// Any data or function pointer.
    Pointer,
    /// A struct passed or returned by value: `size` bytes at a pointer to
    /// its memory (libffi copies it; the interface has its field types).
    Record {
        /// `sizeof` the struct.
        size: u64,
        /// Its alignment.
        align: u64,
    },
}

impl Scalar {
    fn ffi_type(self) -> FfiType {
        match self {
            Scalar::Void => FfiType::void(),
            Scalar::Int {
                size: 1,
                signed: true,
            } => FfiType::i8(),
            Scalar::Int {
                size: 1,
                signed: false,
            } => FfiType::u8(),
            Scalar::Int {
                size: 2,
                signed: true,
            } => FfiType::i16(),
            Scalar::Int {
                size: 2,
                signed: false,
            } => FfiType::u16(),
            Scalar::Int {
                size: 4,
                signed: true,
            } => FfiType::i32(),
            Scalar::Int {
                size: 4,
                signed: false,
            } => FfiType::u32(),
            Scalar::Int { signed: true, .. } => FfiType::i64(),
            Scalar::Int { signed: false, .. } => FfiType::u64(),
            Scalar::F32 => FfiType::f32(),
            Scalar::F64 => FfiType::f64(),
            Scalar::LongDouble => FfiType::longdouble(),
            Scalar::Pointer => FfiType::pointer(),
            Scalar::Record { .. } => unreachable!("records get their type from `record_type`"),
        }
    }
}

/// The most scalar elements a struct passed by value may have (libffi
/// describes each one).
const MAX_ELEMENTS: u64 = 1 << 16;

/// The end of cffi's refusals of records that libffi cannot pass.
fn api_mode_only(what: &str, place: &str) -> String {
    format!(
        "  {what} are only supported as {place} if the function is 'API mode' and \
         non-variadic (i.e. declared inside ffibuilder.cdef()+ffibuilder.set_source() and \
         not taking a final '...' argument)"
    )
}

/// The libffi type of the struct `id` passed by value, in cffi's words
/// when libffi cannot describe it (unions, bit fields, packed layouts).
fn record_type(types: &TypeTable, id: TypeId, place: &'static str) -> Result<FfiType, CallError> {
    let unsupported = |reason: String| CallError::Unsupported {
        ctype: types.c_name(id),
        place,
        reason,
    };
    let Type::Record(rid) = types.get(id) else {
        return element_type(types, id, place);
    };
    let rec = types.record(*rid);
    if rec.kind == ctypes_model::RecordKind::Union {
        return Err(unsupported(format!(
            " by libffi.{}",
            api_mode_only("Unions", place)
        )));
    }
    let Some(body) = &rec.body else {
        return Err(unsupported(": it is opaque".to_owned()));
    };
    if types.has_custom_positions(*rid) {
        return Err(unsupported(format!(
            ".  It is a struct declared with \"...;\", but the C calling convention may depend \
             on the missing fields; or, it contains anonymous struct/unions.{}",
            api_mode_only("Such structs", place)
        )));
    }
    if body.packed || body.pack.is_some() || body.fields.iter().any(|f| f.packed) {
        return Err(unsupported(format!(
            ".  It is a 'packed' structure, with a different layout than expected by libffi.{}",
            api_mode_only("Such structs", place)
        )));
    }
    // An explicit alignment changes the layout, and the ABI class, in
    // ways libffi's struct description cannot say.
    if body.aligned.is_some() || body.fields.iter().any(|f| f.aligned.is_some()) {
        return Err(unsupported(format!(
            ".  It is a struct with an explicit alignment ('aligned' attribute), which libffi \
             does not support.{}",
            api_mode_only("Such structs", place)
        )));
    }
    if body.fields.iter().any(|f| f.bits.is_some()) {
        return Err(unsupported(format!(
            ".  It is a struct with bit fields, which libffi does not support.{}",
            api_mode_only("Such structs", place)
        )));
    }
    // An array of no items (or of unknown length) flattens to nothing.
    let empty_array = |mut ty: TypeId| loop {
        match types.get(ty) {
            Type::Array {
                len: None | Some(0),
                ..
            } => return true,
            Type::Array { item, .. } => ty = *item,
            _ => return false,
        }
    };
    if body.fields.iter().any(|f| empty_array(f.ty)) {
        return Err(unsupported(format!(
            ".  It is a struct with a zero-length array, which libffi does not support.{}",
            api_mode_only("Such structs", place)
        )));
    }
    let layout = types
        .layout(*rid)
        .map_err(|e| unsupported(format!(": {e}")))?;
    let mut elements = Vec::new();
    for (field, at) in body.fields.iter().zip(&layout.fields) {
        if !at.flexible {
            push_elements(types, field.ty, place, &mut elements)?;
        }
    }
    Ok(FfiType::structure(elements))
}

/// Appends the libffi element types of one field: arrays as their items
/// repeated (libffi has no array type), records nested.
fn push_elements(
    types: &TypeTable,
    id: TypeId,
    place: &'static str,
    out: &mut Vec<FfiType>,
) -> Result<(), CallError> {
    match types.get(id) {
        Type::Array { item, len: Some(n) } => {
            // libffi needs one element per item: refuse absurd sizes
            // instead of running out of memory.
            if out.len() as u64 + *n > MAX_ELEMENTS {
                return Err(CallError::Unsupported {
                    ctype: types.c_name(id),
                    place,
                    reason: format!(": more than {MAX_ELEMENTS} items in a struct passed by value"),
                });
            }
            for _ in 0..*n {
                push_elements(types, *item, place, out)?;
            }
            Ok(())
        }
        _ => {
            out.push(element_type(types, id, place)?);
            Ok(())
        }
    }
}

/// The libffi type of a scalar or a nested record.
fn element_type(types: &TypeTable, id: TypeId, place: &'static str) -> Result<FfiType, CallError> {
    match types.get(id) {
        Type::Record(_) => record_type(types, id, place),
        _ => Ok(scalar_of(types, id, place)?.ffi_type()),
    }
}

/// Why a function type cannot be called through libffi.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// The type given is not a function type.
    NotAFunction(String),
    /// An argument or result type that libffi cannot pass.
    Unsupported {
        /// The C name of the offending type.
        ctype: String,
        /// `"argument"` or `"return value"`.
        place: &'static str,
        /// Why, in a sentence.
        reason: String,
    },
    /// libffi refused to prepare the interface.
    Prep(String),
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::NotAFunction(t) => write!(f, "ctype '{t}' is not a function type"),
            CallError::Unsupported {
                ctype,
                place,
                reason,
            } => {
                write!(f, "ctype '{ctype}' not supported as {place}{reason}")
            }
            CallError::Prep(e) => write!(f, "libffi could not prepare the call: {e}"),
        }
    }
}

impl std::error::Error for CallError {}

/// The way a value of type `id` travels through libffi, if it can.
pub fn scalar_of(types: &TypeTable, id: TypeId, place: &'static str) -> Result<Scalar, CallError> {
    let target = types.target();
    let unsupported = |reason: String| CallError::Unsupported {
        ctype: types.c_name(id),
        place,
        reason,
    };
    Ok(match types.get(id) {
        Type::Void if place == "return value" => Scalar::Void,
        Type::Void | Type::Function(_) => return Err(unsupported(String::new())),
        Type::Pointer(_) | Type::Array { .. } => Scalar::Pointer,
        Type::Enum(e) => {
            let p = types.enum_def(*e).underlying;
            Scalar::Int { size: p.size(target), signed: p.is_signed(target) }
        }
        Type::Record(_) => {
            let (Some(size), Some(align)) = (types.size_of(id), types.align_of(id)) else {
                return Err(unsupported(": its size is not known".to_owned()));
            };
            Scalar::Record { size, align }
        }
        Type::Primitive(p) => match p.kind() {
            PrimitiveKind::Float if *p == Primitive::Float => Scalar::F32,
            PrimitiveKind::Float => Scalar::F64,
            PrimitiveKind::LongDouble if p.size(target) == 8 => Scalar::F64,
            PrimitiveKind::LongDouble => Scalar::LongDouble,
            PrimitiveKind::Complex => {
                return Err(unsupported(format!(
                    " (size {}): complex types are only supported as arguments or results of API-mode functions",
                    p.size(target)
                )))
            }
            _ => Scalar::Int { size: p.size(target), signed: p.is_signed(target) },
        },
    })
}

/// A libffi call interface for one C function type, built once and then
/// used for every call of every function of that type.
#[derive(Debug)]
pub struct CallInterface {
    cif: Cif,
    args: Vec<Scalar>,
    result: Scalar,
    /// Where each argument goes when calls skip libffi (see [`direct`]).
    direct: Option<direct::Plan>,
}

// SAFETY: a prepared `ffi_cif` and the `ffi_type`s it points to (owned by
// the `Cif`) are never written after preparation; `ffi_call` only reads
// them, so sharing one between threads is sound.
unsafe impl Send for CallInterface {}
// SAFETY: see `Send` above: all access after construction is read-only.
unsafe impl Sync for CallInterface {}

impl CallInterface {
    /// Prepares the interface of the function type `func` (a
    /// [`Type::Function`], not a pointer to one). For a variadic function
    /// this covers the fixed arguments only; see
    /// [`CallInterface::new_variadic`].
    pub fn new(types: &TypeTable, func: TypeId) -> Result<CallInterface, CallError> {
        Self::new_variadic(types, func, &[])
    }

    /// Prepares the interface for one call of a variadic function with
    /// `extra` as the types of the arguments after the fixed ones.
    pub fn new_variadic(
        types: &TypeTable,
        func: TypeId,
        extra: &[TypeId],
    ) -> Result<CallInterface, CallError> {
        let Type::Function(f) = types.get(func) else {
            return Err(CallError::NotAFunction(types.c_name(func)));
        };
        // The result first: cffi reports a bad result before bad arguments.
        let result = scalar_of(types, f.result, "return value")?;
        let result_type = element_or_void(types, f.result, result, "return value")?;
        let mut args = Vec::with_capacity(f.args.len() + extra.len());
        let mut ffi_args = Vec::with_capacity(f.args.len() + extra.len());
        for &a in f.args.iter().chain(extra) {
            let scalar = scalar_of(types, a, "argument")?;
            ffi_args.push(element_or_void(types, a, scalar, "argument")?);
            args.push(scalar);
        }
        let cif = if f.variadic {
            match Cif::try_new_variadic(ffi_args.clone(), f.args.len(), result_type.clone()) {
                Ok(cif) => Ok(cif),
                // libffi 3.4 refuses a `float` in the `...` part (C would
                // have promoted it). cffi passes it as a float anyway; on
                // x86-64 System V a plain interface does that (the callee
                // sees the same registers, and libffi always sets %al).
                Err(_) if cfg!(all(target_arch = "x86_64", not(windows))) => {
                    Cif::try_new(ffi_args, result_type)
                }
                Err(e) => Err(e),
            }
        } else {
            Cif::try_new(ffi_args, result_type)
        }
        .map_err(|e| CallError::Prep(format!("{e:?}")))?;
        let regs = |id: TypeId, scalar: Scalar| match scalar {
            Scalar::Record { .. } => direct::classify(types, id),
            _ => None,
        };
        // Only where a struct is passed (no allocation otherwise).
        let arg_regs: Vec<_> = if args.iter().any(|a| matches!(a, Scalar::Record { .. })) {
            f.args
                .iter()
                .chain(extra)
                .zip(&args)
                .map(|(&a, &scalar)| regs(a, scalar))
                .collect()
        } else {
            Vec::new()
        };
        let result_regs = regs(f.result, result);
        let direct = if f.variadic {
            None
        } else {
            direct::plan(&args, result, &arg_regs, result_regs)
        };
        Ok(CallInterface {
            cif,
            args,
            result,
            direct,
        })
    }

    /// The bytes the result needs (at least a [`Slot`]'s 16: libffi writes
    /// whole words for small results).
    pub fn result_size(&self) -> usize {
        match self.result {
            Scalar::Record { size, .. } => (size as usize).max(16),
            _ => 16,
        }
    }

    /// The prepared libffi CIF, for closures.
    pub(crate) fn raw_cif(&self) -> *mut libffi::raw::ffi_cif {
        self.cif.as_raw_ptr()
    }

    /// How each argument is passed.
    pub fn args(&self) -> &[Scalar] {
        &self.args
    }

    /// How the result comes back.
    pub fn result(&self) -> Scalar {
        self.result
    }

    /// The direct plan, when calls of this interface skip libffi (see
    /// [`direct`]): for callers that put the arguments in registers
    /// themselves.
    #[inline]
    pub fn direct(&self) -> Option<Direct<'_>> {
        self.direct
            .as_ref()
            .filter(|plan| plan.registers_only())
            .map(Direct)
    }

    /// Calls the C function at `code`.
    ///
    /// # Safety
    /// `code` must be a function of the type this interface was built for;
    /// `args` must hold one pointer per argument, each to a value of the
    /// argument's [`Scalar`] kind (a record: its `size` bytes); `ret` must
    /// point to [`CallInterface::result_size`] writable, 16-aligned bytes. What the C function itself does with
    /// its arguments is the caller's responsibility, as in C.
    pub unsafe fn call(&self, code: *const c_void, args: &mut [*mut c_void], ret: *mut c_void) {
        assert_eq!(
            args.len(),
            self.args.len(),
            "argument count checked by the caller"
        );
        if let Some(plan) = &self.direct {
            // SAFETY: the caller's contract, which `direct::call` shares;
            // the plan is this interface's.
            unsafe { direct::call(plan, &self.args, code, args, ret) };
            return;
        }
        // SAFETY: `code` is a non-null function address by the caller's
        // contract; transmuting a data pointer to a function pointer of the
        // generic `fn()` type is how libffi's API takes it.
        let code: unsafe extern "C" fn() =
            unsafe { std::mem::transmute::<*const c_void, unsafe extern "C" fn()>(code) };
        // SAFETY: the CIF is prepared for `args.len()` arguments of the
        // given kinds, each pointer refers to a value of that kind, and `ret`
        // has room for the result (libffi writes at most an `ffi_arg` or the
        // result's size, both at most 16 bytes).
        unsafe { libffi::raw::ffi_call(self.cif.as_raw_ptr(), Some(code), ret, args.as_mut_ptr()) };
    }
}

mod direct;

pub use direct::{Place, Registers};

/// The direct plan of an interface ([`CallInterface::direct`]).
#[derive(Debug, Clone, Copy)]
pub struct Direct<'a>(&'a direct::Plan);

impl<'a> Direct<'a> {
    /// Where each argument goes.
    #[inline]
    pub fn places(self) -> &'a [Place] {
        &self.0.places
    }

    /// Calls the C function at `code` with its arguments already in
    /// `regs` (each put where [`Direct::places`] says), between `release`
    /// and its reacquiring, with errno swapped in and out around it (as
    /// [`crate::Frame::call`] does); the result is returned as
    /// [`CallInterface::call`] stores it.
    ///
    /// # Safety
    /// `code` must be a function of the type this plan's interface was
    /// built for. What it does with its arguments is the caller's
    /// responsibility, as in C.
    #[inline]
    pub unsafe fn call(
        self,
        code: *const c_void,
        regs: &Registers,
        mut release: impl crate::Release,
    ) -> Slot {
        let saved = release.release();
        // SAFETY: the caller's contract.
        let words =
            crate::errno::around(|| unsafe { direct::call_registers(self.0, code, regs, None) });
        release.reacquire(saved);
        Slot::from_words(words)
    }
}

/// The libffi type for a value already classified as `scalar`.
fn element_or_void(
    types: &TypeTable,
    id: TypeId,
    scalar: Scalar,
    place: &'static str,
) -> Result<FfiType, CallError> {
    match scalar {
        Scalar::Record { .. } => record_type(types, id, place),
        _ => Ok(scalar.ffi_type()),
    }
}

impl Slot {
    /// Reads an integer result of a call. libffi widens integer results
    /// narrower than a machine word to a whole `ffi_arg`; reading the word
    /// and then narrowing is right on big-endian machines too.
    pub fn read_result_int(&self, size: u32, signed: bool) -> i128 {
        let word = std::mem::size_of::<libffi::raw::ffi_arg>() as u32;
        if size >= word {
            return self.read_int_sized(size, signed);
        }
        let wide = self.read_int_sized(word, false) as u64;
        let bits = size * 8;
        let low = wide & ((1u64 << bits) - 1);
        if signed && low >> (bits - 1) == 1 {
            i128::from(low) - (1i128 << bits)
        } else {
            i128::from(low)
        }
    }
}

#[cfg(test)]
mod tests;
