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
    if body.packed || body.pack.is_some() || body.fields.iter().any(|f| f.packed) {
        return Err(unsupported(format!(
            ".  It is a 'packed' structure, with a different layout than expected by libffi.{}",
            api_mode_only("Such structs", place)
        )));
    }
    // An explicit alignment (or size) changes the layout, and the ABI
    // class, in ways libffi's struct description cannot say.
    if body.aligned.is_some()
        || body.total.is_some()
        || body
            .fields
            .iter()
            .any(|f| f.aligned.is_some() || f.offset.is_some())
    {
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
    /// Whether calls skip libffi (see [`direct`]).
    direct: bool,
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
        let direct = !f.variadic && direct::fits(&args, result);
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
        if self.direct {
            // SAFETY: the caller's contract, which `direct::call` shares;
            // the interface was checked to fit it when made.
            unsafe { direct::call(code, &self.args, args, self.result, ret) };
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

/// Calls without libffi for the shapes that travel in registers only.
///
/// libffi classifies every argument again on each call (on x86-64, a
/// few hundred instructions for a two-`int` call, about a third of what a
/// whole call from Python costs). In the System V x86-64 and AArch64
/// conventions, integer-class arguments (integers, pointers) take the
/// integer registers in order and `float`/`double` arguments the vector
/// registers in order, each sequence independently of the other, and a
/// callee reads only the registers of its own parameters. So a
/// non-variadic function with at most 6 integer-class and at most 8
/// floating arguments, returning nothing, an integer, a pointer or a
/// floating value, is called correctly through one fixed Rust type:
/// 6 words and 8 doubles, returning a word or a double — with each
/// integer widened to a whole word as its type says (narrower values
/// must be extended by the caller at least to 32 bits on some
/// compilers' reading of the ABI) and each `float` in the low half of
/// its register.
mod direct {
    use super::Scalar;
    use std::ffi::c_void;

    /// Integer registers used (both conventions have at least 6).
    const INTS: usize = 6;
    /// Vector registers used (both conventions have 8).
    const FLOATS: usize = 8;

    /// Every direct call's type: 6 words and 8 doubles, returning `R`
    /// (a word or a double).
    type Direct<R> = unsafe extern "C" fn(
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
    ) -> R;

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
mod tests {
    use super::*;
    use crate::Library;
    use ctypes_model::{Declarations, Target};

    fn interface(src: &str, name: &str) -> (TypeTable, CallInterface) {
        let mut types = TypeTable::new(Target::host());
        let mut decls = Declarations::new();
        decls.cdef(&mut types, src, &Default::default()).unwrap();
        let f = decls.function_type(&types, name).unwrap();
        let cif = CallInterface::new(&types, f).unwrap();
        (types, cif)
    }

    #[test]
    fn calls_strlen_and_labs() {
        let libc = Library::open(None, 0).unwrap();
        let (_, cif) = interface("size_t strlen(const char *);", "strlen");
        assert_eq!(cif.args(), &[Scalar::Pointer]);
        let text = b"hello\0";
        let mut arg = Slot::default();
        arg.write_ptr(text.as_ptr().cast());
        let mut ret = Slot::default();
        // SAFETY: strlen(const char *) with a NUL-terminated string.
        unsafe {
            cif.call(
                libc.symbol("strlen").unwrap(),
                &mut [arg.as_mut_ptr()],
                ret.as_mut_ptr(),
            );
        };
        assert_eq!(ret.read_result_int(8, false), 5);

        let (_, cif) = interface("long labs(long);", "labs");
        let mut arg = Slot::default();
        arg.write_int(-(1 << 40), 8);
        // SAFETY: labs(long) with a long.
        unsafe {
            cif.call(
                libc.symbol("labs").unwrap(),
                &mut [arg.as_mut_ptr()],
                ret.as_mut_ptr(),
            );
        };
        assert_eq!(ret.read_result_int(8, true), 1 << 40);
    }

    // Functions of mixed shapes, called both directly and through libffi.
    // (Their parameters are just positions: single letters read best.)
    #[allow(clippy::many_single_char_names)]
    extern "C" fn mixed(a: i8, b: f64, c: u16, d: f32, e: i64, f: *const u8, g: f64) -> f32 {
        // SAFETY: the tests pass a readable byte.
        let byte = unsafe { *f };
        (f64::from(a) * 1000.0 + b + f64::from(c) + f64::from(d) + e as f64 + f64::from(byte) + g)
            as f32
    }
    #[allow(clippy::many_single_char_names)]
    extern "C" fn narrow(a: i8, b: u8, c: i16, d: u16, e: i32, f: u32) -> i16 {
        (i64::from(a) + i64::from(b) + i64::from(c) + i64::from(d) + i64::from(e) + i64::from(f))
            as i16
    }
    #[allow(clippy::too_many_arguments, clippy::many_single_char_names)]
    extern "C" fn most(
        a: i64,
        b: f64,
        c: i64,
        d: f64,
        e: i64,
        f: f64,
        g: i64,
        h: f64,
        i: i64,
        j: f64,
        k: i64,
        l: f64,
        m: f64,
        n: f64,
    ) -> f64 {
        let ints = [a, c, e, g, i, k]
            .iter()
            .enumerate()
            .map(|(n, v)| *v << n)
            .sum::<i64>();
        let floats = [b, d, f, h, j, l, m, n]
            .iter()
            .enumerate()
            .map(|(n, v)| v * f64::from(n as u32 + 1))
            .sum::<f64>();
        ints as f64 + floats
    }
    #[allow(clippy::many_single_char_names)]
    extern "C" fn seven(a: i32, b: i32, c: i32, d: i32, e: i32, f: i32, g: i32) -> u8 {
        (a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g) as u8
    }

    /// Calls `code` through `cif` both ways with the slots `args`; both
    /// results (as 16 bytes) must agree, and are returned.
    fn both_ways(cif: &mut CallInterface, code: *const c_void, args: &mut [Slot]) -> Slot {
        let mut results = [Slot::default(); 2];
        let direct = cif.direct;
        for (way, result) in results.iter_mut().enumerate() {
            cif.direct = way == 0 && direct;
            let mut ptrs: Vec<*mut c_void> = args.iter_mut().map(Slot::as_mut_ptr).collect();
            // SAFETY: each test passes the function `code` its own
            // declaration describes, with arguments of those types.
            unsafe { cif.call(code, &mut ptrs, result.as_mut_ptr()) };
        }
        cif.direct = direct;
        assert_eq!(
            results[0].read_int_sized(8, false),
            results[1].read_int_sized(8, false)
        );
        results[0]
    }

    #[test]
    // The same computation on the same values: bit-equal results.
    #[allow(clippy::float_cmp)]
    fn direct_calls_agree_with_libffi() {
        let (_, mut cif) = interface(
            "float mixed(signed char, double, unsigned short, float, long long, unsigned char *, double);",
            "mixed",
        );
        assert_eq!(
            cif.direct,
            cfg!(any(target_arch = "x86_64", target_arch = "aarch64"))
        );
        let byte = 7u8;
        let mut args = [Slot::default(); 7];
        args[0].write_int(-3, 1);
        args[1].write_f64(0.5);
        args[2].write_int(65535, 2);
        args[3].write_f32(0.25);
        args[4].write_int(-(1 << 40), 8);
        args[5].write_ptr((&raw const byte).cast());
        args[6].write_f64(100.0);
        let r = both_ways(&mut cif, mixed as *const c_void, &mut args);
        assert_eq!(
            r.read_f32(),
            mixed(-3, 0.5, 65535, 0.25, -(1 << 40), &raw const byte, 100.0)
        );

        let (_, mut cif) = interface(
            "short narrow(signed char, unsigned char, short, unsigned short, int, unsigned int);",
            "narrow",
        );
        let values: [(i128, u32); 6] = [
            (-128, 1),
            (255, 1),
            (-32768, 2),
            (65535, 2),
            (-7, 4),
            (4_000_000_000, 4),
        ];
        let mut args = values.map(|(v, size)| {
            let mut s = Slot::default();
            s.write_int(v, size);
            s
        });
        let r = both_ways(&mut cif, narrow as *const c_void, &mut args);
        assert_eq!(
            r.read_result_int(2, true),
            i128::from(narrow(-128, 255, -32768, 65535, -7, 4_000_000_000))
        );

        let (_, mut cif) = interface(
            "double most(long long, double, long long, double, long long, double, long long, double, long long, double, long long, double, double, double);",
            "most",
        );
        assert_eq!(
            cif.direct,
            cfg!(any(target_arch = "x86_64", target_arch = "aarch64"))
        );
        let mut args = [Slot::default(); 14];
        for (i, slot) in args.iter_mut().enumerate() {
            if [0, 2, 4, 6, 8, 10].contains(&i) {
                slot.write_int(i as i128 - 5, 8);
            } else {
                slot.write_f64(i as f64 * 0.5);
            }
        }
        let r = both_ways(&mut cif, most as *const c_void, &mut args);
        assert_eq!(
            r.read_f64(),
            most(-5, 0.5, -3, 1.5, -1, 2.5, 1, 3.5, 3, 4.5, 5, 5.5, 6.0, 6.5)
        );

        // Seven integer arguments: one goes on the stack, so libffi.
        let (_, mut cif) = interface(
            "unsigned char seven(int, int, int, int, int, int, int);",
            "seven",
        );
        assert!(!cif.direct);
        let mut args = [Slot::default(); 7];
        for (i, slot) in args.iter_mut().enumerate() {
            slot.write_int(i as i128 * 10 + 1, 4);
        }
        let r = both_ways(&mut cif, seven as *const c_void, &mut args);
        assert_eq!(
            r.read_result_int(1, false),
            i128::from(seven(1, 11, 21, 31, 41, 51, 61))
        );
    }

    #[test]
    fn calls_a_double_function() {
        let libm = Library::open(Some("libm.so.6"), 0).unwrap();
        let (_, cif) = interface("double sqrt(double);", "sqrt");
        let mut arg = Slot::default();
        arg.write_f64(2.0);
        let mut ret = Slot::default();
        // SAFETY: sqrt(double) with a double.
        unsafe {
            cif.call(
                libm.symbol("sqrt").unwrap(),
                &mut [arg.as_mut_ptr()],
                ret.as_mut_ptr(),
            );
        };
        assert!((ret.read_f64() - std::f64::consts::SQRT_2).abs() < 1e-15);
    }

    #[test]
    fn narrow_results_are_sign_extended() {
        let mut s = Slot::default();
        s.write_int(0xff, 8);
        assert_eq!(s.read_result_int(1, true), -1);
        assert_eq!(s.read_result_int(1, false), 255);
    }

    #[test]
    fn complex_is_refused_with_a_reason() {
        let mut types = TypeTable::new(Target::host());
        let mut decls = Declarations::new();
        decls
            .cdef(&mut types, "double _Complex f(int);", &Default::default())
            .unwrap();
        let f = decls.function_type(&types, "f").unwrap();
        let err = CallInterface::new(&types, f).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("ctype '_cffi_double_complex_t' not supported as return value"),
            "{err}"
        );
    }
}
