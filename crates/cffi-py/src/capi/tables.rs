//! An API module's C tables (docs/protocol.md §4), read once into
//! `type_context`'s [`Tables`], and what the runtime keeps beside them:
//! its globals' addresses and its own `types` array.

use crate::ffi_obj::Lib;
use pyo3::prelude::*;
use std::ffi::{c_char, c_int, c_void, CStr};
use std::sync::Mutex;
use type_context::{op::Op, DecodeError, RecordSize, Tables, Word};

/// `_cffi_type_context_s` (§4).
#[repr(C)]
pub(super) struct TypeContext {
    pub(super) types: *mut usize,
    globals: *const GlobalEntry,
    fields: *const FieldEntry,
    struct_unions: *const StructEntry,
    enums: *const EnumEntry,
    typenames: *const TypenameEntry,
    num_globals: c_int,
    num_struct_unions: c_int,
    num_enums: c_int,
    num_typenames: c_int,
    pub(super) includes: *const *const c_char,
    pub(super) num_types: c_int,
    pub(super) flags: c_int,
}

/// Context flag of a module cffi-py generated: a [`ContextExtension`]
/// follows the context (docs/api-mode.md, "Fast calls"). The original
/// backend reads only bit 0 of the flags.
pub(super) const CFFIPY_EXTENSION: c_int = 0x4000_0000;

/// What follows the context of a module cffi-py generated.
#[repr(C)]
struct ContextExtension {
    version: c_int,
    /// METH_FASTCALL wrappers, one per global (NULL where none), or NULL.
    fast: *const *const c_void,
}

/// `_cffi_global_s` (§4.1).
#[repr(C)]
struct GlobalEntry {
    name: *const c_char,
    address: *mut c_void,
    type_op: usize,
    size_or_direct_fn: *mut c_void,
}

/// `_cffi_struct_union_s` (§4.2).
#[repr(C)]
struct StructEntry {
    name: *const c_char,
    type_index: c_int,
    flags: c_int,
    size: usize,
    alignment: c_int,
    first_field_index: c_int,
    num_fields: c_int,
}

/// `_cffi_field_s` (§4.3).
#[repr(C)]
struct FieldEntry {
    name: *const c_char,
    field_offset: usize,
    field_size: usize,
    field_type_op: usize,
}

/// `_cffi_enum_s` (§4.4).
#[repr(C)]
struct EnumEntry {
    name: *const c_char,
    type_index: c_int,
    type_prim: c_int,
    enumerators: *const c_char,
}

/// `_cffi_typename_s` (§4.5).
#[repr(C)]
struct TypenameEntry {
    name: *const c_char,
    type_index: c_int,
}

/// The version tags this runtime reads (§2).
pub(super) const VERSIONS: std::ops::RangeInclusive<usize> = 0x2601..=0x28FF;

/// One global of an API module, as its C table gives it.
#[derive(Clone, Copy)]
pub(super) struct ApiGlobal {
    /// The name, a C string of the extension.
    pub(super) name: usize,
    /// What it is.
    pub(super) op: Op,
    /// `address`: a wrapper, getter, variable or `extern "Python"` record.
    pub(super) address: usize,
    /// `size_or_direct_fn`.
    pub(super) extra: usize,
    /// A METH_FASTCALL wrapper of the same function (modules cffi-py
    /// generated), or 0.
    pub(super) fast: usize,
}

/// An API module: its name, its C `types` array, and its globals beside
/// the FFI's tables (same order, same names).
pub(super) struct ApiModule {
    pub(super) name: String,
    /// The module's own `types` array (writable static memory).
    pub(super) types: usize,
    pub(super) num_types: usize,
    pub(super) globals: Vec<ApiGlobal>,
    /// The globals are sorted by name (generated tables are, §4), which
    /// allows a binary search.
    pub(super) sorted: bool,
    /// The included modules' `lib`, in order (§4.6).
    pub(super) includes: Vec<Py<Lib>>,
    /// The function-pointer ctypes of the module's function shapes, kept
    /// as the types written back into its table are.
    pub(super) kept: Mutex<Vec<Py<crate::types::CType>>>,
}

impl ApiGlobal {
    /// Its name, a C string of the extension (never unloaded).
    pub(super) fn name_bytes(&self) -> &'static [u8] {
        // SAFETY: `name` is a C string of the extension's static tables.
        unsafe { c_bytes(self.name as *const c_char) }
    }
}

impl ApiModule {
    /// The index of the global `name` (names are read in place, in the
    /// extension's tables: nothing is copied at import).
    pub(super) fn find(&self, name: &str) -> Option<usize> {
        let name = name.as_bytes();
        if self.sorted {
            self.globals
                .binary_search_by(|g| g.name_bytes().cmp(name))
                .ok()
        } else {
            self.globals.iter().position(|g| g.name_bytes() == name)
        }
    }

    /// Every global's name.
    pub(super) fn names(&self) -> Vec<String> {
        self.globals
            .iter()
            .map(|g| String::from_utf8_lossy(g.name_bytes()).into_owned())
            .collect()
    }
}

/// The slots holding a primitive type (not the sentinels of §3.3).
pub(super) fn primitive_slots(tables: &Tables) -> Vec<i32> {
    let mut out = Vec::new();
    let mut after_array = false;
    for (i, w) in tables.types.iter().enumerate() {
        if !after_array && w.op() == Some(Op::Primitive) && w.arg() >= 0 {
            out.push(i as i32);
        }
        after_array = !after_array && w.op() == Some(Op::Array);
    }
    out
}

/// A C string of the extension as a Rust string (lossy: names are ASCII).
///
/// # Safety
/// `p` is NULL or a NUL-terminated string that outlives the call.
pub(super) unsafe fn c_str(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: as the caller promises.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// The bytes of a C string of the extension.
///
/// # Safety
/// As for [`c_str`].
pub(super) unsafe fn c_bytes<'a>(p: *const c_char) -> &'a [u8] {
    if p.is_null() {
        return b"";
    }
    // SAFETY: as the caller promises; the extension is never unloaded.
    unsafe { CStr::from_ptr(p) }.to_bytes()
}

/// An opcode word of the C table as the tables' 32-bit word.
fn word(raw: usize, what: &str) -> Result<Word, DecodeError> {
    i32::try_from(raw as isize)
        .map(Word)
        .map_err(|_| DecodeError::Malformed(format!("{what}: word {raw:#x} out of range")))
}

/// A C array of `n` entries, empty when NULL.
///
/// # Safety
/// `p` is NULL or points at `n` entries.
unsafe fn entries<'a, T>(p: *const T, n: c_int) -> &'a [T] {
    match usize::try_from(n) {
        Ok(n) if n > 0 && !p.is_null() => {
            // SAFETY: as the caller promises.
            unsafe { std::slice::from_raw_parts(p, n) }
        }
        _ => &[],
    }
}

/// Reads a module's context into tables, and its globals' addresses.
/// Integer constants are asked of their getters now (§4.1).
///
/// # Safety
/// `ctx` is a generated module's type context: every array has the length
/// the context gives, every name is a C string.
pub(super) unsafe fn read_tables(
    ctx: &TypeContext,
) -> Result<(Tables, Vec<ApiGlobal>), DecodeError> {
    // SAFETY: the context's arrays, as the caller promises.
    let (types, globals, structs, enums, typenames) = unsafe {
        (
            entries(ctx.types.cast_const(), ctx.num_types),
            entries(ctx.globals, ctx.num_globals),
            entries(ctx.struct_unions, ctx.num_struct_unions),
            entries(ctx.enums, ctx.num_enums),
            entries(ctx.typenames, ctx.num_typenames),
        )
    };
    let mut words = Vec::with_capacity(types.len());
    let mut after_array = false;
    for &w in types {
        // The word after an ARRAY is its length, not an opcode (§3).
        let as_word =
            if after_array {
                Word(i32::try_from(w).map_err(|_| {
                    DecodeError::NotImplemented(format!("array length {w} too large"))
                })?)
            } else {
                word(w, "types")?
            };
        after_array = !after_array && as_word.op() == Some(Op::Array);
        words.push(as_word);
    }
    // Names are short: room for 24 bytes each saves regrowing the text.
    let mut tables = Tables::from_words(words, globals.len(), 24 * globals.len());
    let mut api = Vec::with_capacity(globals.len());
    let fast: &[*const c_void] = if ctx.flags & CFFIPY_EXTENSION != 0 {
        // SAFETY: the flag says the generated module put a
        // `ContextExtension` right after the context (same `repr(C)`
        // layout), whose table has one entry per global.
        unsafe {
            let ext = &*std::ptr::from_ref(ctx).add(1).cast::<ContextExtension>();
            if ext.version >= 1 && !ext.fast.is_null() {
                std::slice::from_raw_parts(ext.fast, globals.len())
            } else {
                &[]
            }
        }
    } else {
        &[]
    };
    for (i, g) in globals.iter().enumerate() {
        let w = word(g.type_op, "globals")?;
        let op = w
            .op()
            .ok_or_else(|| DecodeError::Malformed(format!("global op {}", w.op_byte())))?;
        let (value, disagrees) = match op {
            // SAFETY: the getter of an integer constant (§4.1).
            Op::ConstantInt | Op::Enum => unsafe { integer_constant(g.address as usize) },
            _ => (0, false),
        };
        // SAFETY: a C string of the extension.
        let name = unsafe { c_bytes(g.name) };
        tables.push_global(name, w, value, disagrees)?;
        api.push(ApiGlobal {
            name: g.name as usize,
            op,
            address: g.address as usize,
            extra: g.size_or_direct_fn as usize,
            fast: fast.get(i).map_or(0, |f| *f as usize),
        });
    }
    for s in structs {
        // SAFETY: `first_field_index` and `num_fields` delimit this
        // struct's fields in the context's field array.
        let fields = unsafe {
            match usize::try_from(s.first_field_index) {
                Ok(first) if s.num_fields > 0 && !ctx.fields.is_null() => {
                    entries(ctx.fields.add(first), s.num_fields)
                }
                _ => &[],
            }
        };
        let mut given = Vec::with_capacity(fields.len());
        for f in fields {
            // SAFETY: a C string of the extension (never unloaded).
            let fname = unsafe { c_bytes(f.name) };
            let w = word(f.field_type_op, "fields")?;
            given.push((fname, w, f.field_offset as u64, f.field_size as u64));
        }
        // SAFETY: a C string of the extension.
        let name = unsafe { c_bytes(s.name) };
        let size = RecordSize::from_raw(s.size as u64, s.alignment);
        tables.push_struct(name, s.type_index, s.flags as u32, size, given)?;
    }
    for e in enums {
        // SAFETY: C strings of the extension.
        let (name, list) = unsafe { (c_bytes(e.name), c_bytes(e.enumerators)) };
        tables.push_enum(name, e.type_index, e.type_prim, list)?;
    }
    for t in typenames {
        // SAFETY: a C string of the extension.
        tables.push_typename(unsafe { c_bytes(t.name) }, t.type_index)?;
    }
    Ok((tables, api))
}

/// Calls an integer constant's getter (§4.1): its value and whether the
/// compiler disagrees with the cdef.
///
/// # Safety
/// `getter` is a generated `int get(unsigned long long *)`.
unsafe fn integer_constant(getter: usize) -> (i128, bool) {
    if getter == 0 {
        return (0, false);
    }
    // The getter may be given a larger record; it writes 8 bytes.
    let mut out = [0u64; 4];
    // SAFETY: as the caller promises.
    let status = unsafe {
        let f: unsafe extern "C" fn(*mut u64) -> c_int = std::mem::transmute(getter);
        f(out.as_mut_ptr())
    };
    let value = if status & 1 == 0 {
        i128::from(out[0])
    } else {
        i128::from(out[0] as i64)
    };
    (value, status & 2 != 0)
}
