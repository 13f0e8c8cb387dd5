//! Declarations → the tables of an out-of-line `.py` module, and the
//! module's text (docs/protocol.md §5.2, §9.1–9.3), in the order the
//! original cffi writes them, so that the same cdef gives the same file.

use crate::op::{primitive_number, Op, Word};
use crate::tables::flags;
use ctypes_model::written::Written;
use ctypes_model::{Declarations, Primitive, RecordKind, Space, Type, TypeId, TypeTable};
use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;

mod plan;

pub use plan::{defined_records, function_of, record_fields, Mode, Plan, PlannedField, SlotExpr};

/// What ABI mode cannot write into a `.py` module, by the exception cffi
/// raises for it (F-08.50).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodeError {
    /// `VerificationError`.
    Verification(String),
    /// `VerificationMissing`: only the C compiler knows.
    Missing(String),
    /// `OverflowError`: a number the format cannot hold.
    Overflow(String),
}

impl std::fmt::Display for EncodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EncodeError::Verification(m) | EncodeError::Missing(m) | EncodeError::Overflow(m) => {
                f.write_str(m)
            }
        }
    }
}

impl std::error::Error for EncodeError {}

/// The version tag every out-of-line module carries.
pub const VERSION: u32 = 0x2601;

/// The text of the `.py` module named `module_name` for `decls`, which
/// includes the modules `included` (their names and declarations, §4.6):
/// their structs are written as external entries, their constants not at
/// all; the generated module imports them.
pub fn python_module(
    types: &mut TypeTable,
    decls: &Declarations,
    module_name: &str,
    included: &[(&str, &Declarations)],
) -> Result<String, EncodeError> {
    let listing = decls.listing();
    let theirs: Vec<ctypes_model::Listing> = included.iter().map(|(_, d)| d.listing()).collect();
    let their_constants: HashSet<&str> = theirs
        .iter()
        .flat_map(|l| l.constants.iter().map(|(n, _)| n.as_str()))
        .collect();
    // The original generates declarations sorted by kind ("enum" <
    // "extern_python" < "macro") and name, and stops at the first refusal.
    if let Some((_, id)) = listing.partial_enumerators.first() {
        return Err(EncodeError::Missing(format!(
            "'{}' has ... values: only the C compiler knows them (API mode)",
            types.c_name(*id)
        )));
    }
    if let Some((name, _, _)) = listing.extern_python.iter().min_by(|a, b| a.0.cmp(&b.0)) {
        return Err(EncodeError::Verification(format!(
            "extern_python {name}: cannot use 'extern \"Python\"' in the ABI mode"
        )));
    }
    if let Some(name) = listing.compiler_macros.iter().min() {
        return Err(EncodeError::Verification(format!(
            "macro {name}: cannot use the syntax '...' in '#define {name} ...' when using the \
             ABI mode"
        )));
    }
    let plan = Plan::build(types, decls, &theirs, Mode::Python)?;
    let Plan {
        words,
        slot,
        records,
        enums,
        typenames,
        external,
        ..
    } = &plan;
    let file = types.file_record();
    let at = |w: &Written| slot[w] as i32;
    // Globals, by name.
    let mut enumerators: BTreeSet<String> = BTreeSet::new();
    for (_, id) in enums {
        if let Type::Enum(eid) = types.get(*id) {
            for (name, _) in &types.enum_def(*eid).values {
                enumerators.insert(name.to_string());
            }
        }
    }
    let mut globals: Vec<(String, i32, i128)> = Vec::new();
    for (name, value) in &listing.constants {
        if their_constants.contains(name.as_str()) {
            continue;
        }
        let op = if enumerators.contains(name) {
            Op::Enum
        } else {
            Op::ConstantInt
        };
        globals.push((name.clone(), Word::new(op, -1).0, *value));
    }
    for (name, ptr) in &listing.functions {
        let f = decls.written(Space::Function, name, function_of(types, *ptr));
        globals.push((name.clone(), Word::new(Op::DlopenFunc, at(&f)).0, 0));
    }
    for (name, id) in &listing.variables {
        let w = decls.written(Space::Variable, name, *id);
        globals.push((name.clone(), Word::new(Op::GlobalVar, at(&w)).0, 0));
    }
    for (name, id) in &listing.compiler_constants {
        let w = decls.written(Space::Constant, name, *id);
        globals.push((name.clone(), Word::new(Op::DlopenConst, at(&w)).0, 0));
    }
    globals.sort_by(|a, b| a.0.cmp(&b.0));
    // The text.
    let mut out = String::new();
    out.push_str("# auto-generated file\nimport _cffi_backend\n");
    for (k, (name, _)) in included.iter().enumerate() {
        let _ = writeln!(out, "from {name} import ffi as _ffi{k}");
    }
    out.push('\n');
    let _ = writeln!(out, "ffi = _cffi_backend.FFI('{module_name}',");
    let _ = writeln!(out, "    _version = {VERSION:#x},");
    let mut types_bytes = String::with_capacity(words.len() * 16);
    for w in words {
        push_hex4(&mut types_bytes, *w);
    }
    let _ = writeln!(out, "    _types = b'{types_bytes}',");
    if !globals.is_empty() {
        let items: Vec<String> = globals
            .iter()
            .map(|(name, word, value)| {
                let mut item = String::with_capacity(name.len() + 24);
                item.push_str("b'");
                push_hex4(&mut item, *word);
                let _ = write!(item, "{name}',{value}");
                item
            })
            .collect();
        let _ = writeln!(out, "    _globals = ({}),", tuple_body(&items));
    }
    if !records.is_empty() {
        let mut items = Vec::new();
        for (name, id) in records {
            items.push(record_entry(
                types,
                decls,
                name,
                *id,
                file,
                external.contains(id),
                &at,
            )?);
        }
        let _ = writeln!(out, "    _struct_unions = ({}),", tuple_body(&items));
    }
    if !enums.is_empty() {
        let items: Vec<String> = enums
            .iter()
            .map(|(name, id)| {
                let Type::Enum(eid) = types.get(*id) else {
                    return String::new();
                };
                let def = types.enum_def(*eid);
                let size = types.size_of(*id).unwrap_or(4);
                let signed = def.values.iter().any(|(_, v)| *v < 0);
                let names: Vec<&str> = def.values.iter().map(|(n, _)| n.as_str()).collect();
                format!(
                    "b'{}{}{name}\\x00{}'",
                    hex4(at(&Written::Plain(*id))),
                    hex4(fixed_width(size, signed)),
                    names.join(",")
                )
            })
            .collect();
        let _ = writeln!(out, "    _enums = ({}),", tuple_body(&items));
    }
    if !typenames.is_empty() {
        let items: Vec<String> = typenames
            .iter()
            .map(|(name, s)| format!("b'{}{name}'", hex4(*s)))
            .collect();
        let _ = writeln!(out, "    _typenames = ({}),", tuple_body(&items));
    }
    if !included.is_empty() {
        let names: Vec<String> = (0..included.len()).map(|k| format!("_ffi{k}")).collect();
        let _ = writeln!(out, "    _includes = ({},),", names.join(", "));
    }
    out.push_str(")\n");
    Ok(out)
}

/// The fixed-width primitive number for an integer of `size` bytes.
fn fixed_width(size: u64, signed: bool) -> i32 {
    let p = match (size, signed) {
        (1, true) => Primitive::Int8,
        (1, false) => Primitive::UInt8,
        (2, true) => Primitive::Int16,
        (2, false) => Primitive::UInt16,
        (8, true) => Primitive::Int64,
        (8, false) => Primitive::UInt64,
        (_, true) => Primitive::Int32,
        (_, false) => Primitive::UInt32,
    };
    primitive_number(p)
}

/// Four bytes, big-endian, as `\xHH` escapes.
fn hex4(v: i32) -> String {
    let mut s = String::with_capacity(16);
    push_hex4(&mut s, v);
    s
}

/// Appends four bytes, big-endian, as `\xHH` escapes (a table lookup per
/// digit: a module of thousands of words is mostly these).
fn push_hex4(out: &mut String, v: i32) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    for b in v.to_be_bytes() {
        out.push_str("\\x");
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
}

/// The inside of a tuple literal: one item gets a trailing comma.
fn tuple_body(items: &[String]) -> String {
    if items.len() == 1 {
        format!("{},", items[0])
    } else {
        items.join(",")
    }
}

fn record_entry(
    types: &TypeTable,
    decls: &Declarations,
    name: &str,
    id: TypeId,
    file: TypeId,
    external: bool,
    at: &dyn Fn(&Written) -> i32,
) -> Result<String, EncodeError> {
    let primary = at(&Written::Plain(id));
    let Type::Record(rid) = *types.get(id) else {
        return Err(EncodeError::Verification(format!(
            "'{name}' is not a struct"
        )));
    };
    let rec = types.record(rid);
    let mut flag = 0u32;
    if rec.kind == RecordKind::Union {
        flag |= flags::UNION;
    }
    let body = rec.body.as_ref().filter(|_| id != file);
    let mut fields = Vec::new();
    match body {
        // Still opaque where it is shared: the included module's own.
        None if external => flag |= flags::EXTERNAL | flags::OPAQUE,
        _ if external => flag |= flags::EXTERNAL,
        None => flag |= flags::OPAQUE,
        Some(body) => {
            if body.partial {
                return Err(EncodeError::Verification(format!(
                    "'{}' has '...;' fields: only API mode can lay it out",
                    rec.name
                )));
            }
            let anonymous = body
                .fields
                .iter()
                .any(|f| f.name.is_none() && f.bits.is_none());
            if !anonymous {
                flag |= flags::CHECK_FIELDS;
            }
            match body.pack {
                Some(p) if p > 1 => {
                    return Err(EncodeError::Verification(format!(
                        "'{}' is declared with 'pack={p}'; only 0 or 1 are supported in API mode \
                         (try to use \"...;\", which does not require a 'pack' declaration)",
                        rec.name
                    )))
                }
                Some(_) => flag |= flags::PACKED,
                None if body.packed => flag |= flags::PACKED,
                None => {}
            }
            for f in record_fields(types, decls, id, Mode::Python) {
                let fname = &f.name;
                fields.push(match f.bits {
                    Some(bits) => format!(
                        "b'{}{}{fname}'",
                        hex4(Word::new(Op::Bitfield, at(&f.ty)).0),
                        hex4(bits as i32)
                    ),
                    None => format!("b'{}{fname}'", hex4(Word::new(Op::Noop, at(&f.ty)).0)),
                });
            }
        }
    }
    Ok(format!(
        "(b'{}{}{name}',{})",
        hex4(primary),
        hex4(flag as i32),
        fields.join(",")
    ))
}
