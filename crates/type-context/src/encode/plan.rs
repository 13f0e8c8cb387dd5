//! The type table of a generated module (docs/protocol.md §4, §5.1):
//! which types, in which slot, in the original's order; shared by the
//! out-of-line `.py` writer (`Mode::Python`) and the C generator of
//! `recompiler` (`Mode::C`).

use super::EncodeError;
use crate::op::{primitive_number, Op, Word};
use ctypes_model::written::{Quals, Shape, Written};
use ctypes_model::{Declarations, Primitive, RecordKind, Space, Type, TypeId, TypeTable};
use rustc_hash::FxHashMap;
use std::collections::{HashMap, HashSet};

/// Which kind of module a [`Plan`] is for: they collect types alike but
/// for the fields of anonymous members, which C can name only through
/// the struct that holds them (docs/protocol.md §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// An out-of-line ABI module: anonymous members stay fields with an
    /// empty name, and their records are table entries.
    Python,
    /// An API-mode C module: the fields of anonymous members are listed
    /// as the holder's own, and the C compiler lays the holder out.
    C,
}

/// One field of a record as a module table lists it.
#[derive(Debug, Clone)]
pub struct PlannedField {
    /// The name; empty for an anonymous member (Python mode only).
    pub name: String,
    /// The type as written.
    pub ty: Written,
    /// The width, for a bit field.
    pub bits: Option<u64>,
    /// The qualifiers the field was declared with.
    pub quals: Quals,
}

/// The type table of a module: every type its declarations mention, in
/// the original's order, with a slot each, and the struct, enum and
/// typedef tables that index into it (docs/protocol.md §4, §5.1).
#[derive(Debug)]
pub struct Plan {
    /// The words of the type table; the slot after an `ARRAY` holds the
    /// length (0 for a length the C compiler gives).
    pub words: Vec<i32>,
    /// The slot of each type.
    pub slot: FxHashMap<Written, usize>,
    /// The types in slot order of first appearance, with their shapes.
    pub order: Vec<(Written, Shape)>,
    /// The struct and union table: stored names, sorted, and types.
    pub records: Vec<(String, TypeId)>,
    /// The enum table, likewise.
    pub enums: Vec<(String, TypeId)>,
    /// The typedef table: names, sorted, and slots.
    pub typenames: Vec<(String, i32)>,
    /// The records an included module defines.
    pub external: HashSet<TypeId>,
    /// The slots whose word only the C compiler can compute (C mode).
    pub exprs: HashMap<usize, SlotExpr>,
}

/// A type-table word that is a C constant expression (docs/protocol.md
/// §3.2): the generated C has the compiler compute it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotExpr {
    /// A `PRIMITIVE` word whose number is the expression's value.
    Primitive(String),
    /// The length word after an `ARRAY`.
    Length(String),
}

impl SlotExpr {
    /// The C expression.
    pub fn expr(&self) -> &str {
        match self {
            SlotExpr::Primitive(e) | SlotExpr::Length(e) => e,
        }
    }
}

/// The primitive-number expression of a typedef the C compiler completes
/// (F-08.40, F-08.41): `| 0` refuses a non-integer at compile time; a
/// float's halving tells it from an integer.
fn compiler_primitive(name: &str, kind: ctypes_model::CompilerType) -> Option<SlotExpr> {
    match kind {
        ctypes_model::CompilerType::Int => Some(SlotExpr::Primitive(format!(
            "_cffi_prim_int(sizeof({name}), (((({name})-1) | 0) <= 0))"
        ))),
        ctypes_model::CompilerType::Float => Some(SlotExpr::Primitive(format!(
            "_cffi_prim_float(sizeof({name}) * (size_t)(((({name})1) / 2) * 2))"
        ))),
        ctypes_model::CompilerType::Opaque => None,
    }
}

impl Plan {
    /// Plans the tables for `decls`, which includes the declarations
    /// `theirs` (their records become external entries).
    pub fn build(
        types: &mut TypeTable,
        decls: &Declarations,
        theirs: &[ctypes_model::Listing],
        mode: Mode,
    ) -> Result<Plan, EncodeError> {
        let listing = decls.listing();
        let external: HashSet<TypeId> = theirs
            .iter()
            .flat_map(|l| defined_records(l, types))
            .map(|(_, _, id)| id)
            .collect();
        // 1. Every type the declarations mention, as cffi's builder sees
        // it (`const char *` apart from `char *`, see ctypes_model::written).
        let mut collected: Vec<Written> = Vec::new();
        let mut seen: HashSet<Written> = HashSet::new();
        let mut roots: Vec<Written> = Vec::new();
        for (name, id) in &listing.typedefs {
            roots.push(decls.written(Space::Typedef, name, *id));
        }
        for (name, ptr) in &listing.functions {
            let raw = decls.written(Space::Function, name, function_of(types, *ptr));
            // API mode hands a variadic function out as a pointer.
            if mode == Mode::C && is_variadic(types, *ptr) {
                roots.push(Written::pointer(*ptr, raw.clone(), Quals::NONE));
            }
            roots.push(raw);
        }
        for (name, id) in &listing.variables {
            roots.push(decls.written(Space::Variable, name, *id));
        }
        for (name, id) in &listing.compiler_constants {
            roots.push(decls.written(Space::Constant, name, *id));
        }
        if mode == Mode::C {
            for (name, ptr, _) in &listing.extern_python {
                let raw = decls.written(Space::ExternPython, name, function_of(types, *ptr));
                roots.push(Written::pointer(*ptr, raw, Quals::NONE));
            }
        }
        roots.extend(listing.tags.iter().map(|(_, _, id)| Written::Plain(*id)));
        // In C, a record only reached as an anonymous member is no entry
        // of its own: its fields are its holder's.
        let members: HashSet<TypeId> = match mode {
            Mode::Python => HashSet::new(),
            Mode::C => anonymous_members(types, &listing),
        };
        roots.extend(
            listing
                .anonymous
                .iter()
                .filter(|id| !members.contains(id))
                .map(|id| Written::Plain(*id)),
        );
        for root in roots {
            collect(
                types,
                decls,
                root,
                &external,
                mode,
                &mut seen,
                &mut collected,
            );
        }
        // 2. Sorted by their text form, raw functions spelled with `()`.
        let mut keyed: Vec<(String, Written)> = collected
            .into_iter()
            .map(|w| (sort_key(types, &w), w))
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        let order: Vec<(Written, Shape)> = keyed
            .into_iter()
            .map(|(_, w)| {
                let shape = w.shape(types);
                (w, shape)
            })
            .collect();
        // 3. Slots: function shapes first, then everything else.
        let mut slot: FxHashMap<Written, usize> = FxHashMap::default();
        let mut words: Vec<Option<i32>> = Vec::new();
        for (w, shape) in &order {
            if let Shape::Function(f) = shape {
                slot.insert(w.clone(), words.len());
                words.push(None);
                for arg in &f.args {
                    slot.entry(arg.clone()).or_insert(words.len());
                    words.push(None);
                }
                words.push(None);
            }
        }
        for (w, shape) in &order {
            if slot.contains_key(w) {
                continue;
            }
            slot.insert(w.clone(), words.len());
            words.push(None);
            if let Shape::Array(_, Some(_)) | Shape::CompilerArray(..) = shape {
                words.push(None);
            }
        }
        // 4. Struct and enum indexes, by stored name.
        // A tagged type is stored under its tag (`typedef struct s t;`
        // names the C type `t`, the table entry `s`); others by their C
        // name.
        let tag_of: HashMap<TypeId, &str> = listing
            .tags
            .iter()
            .map(|(_, name, id)| (*id, name.as_str()))
            .collect();
        let file = types.file_record();
        let mut records: Vec<(String, TypeId)> = Vec::new();
        let mut enums: Vec<(String, TypeId)> = Vec::new();
        for (_, shape) in &order {
            let Shape::Leaf(id) = *shape else { continue };
            let name = |c_name: &str| match tag_of.get(&id) {
                Some(tag) => (*tag).to_owned(),
                None => stored_name(c_name),
            };
            let by_compiler = decls
                .compiler_type(id)
                .and_then(|(n, k)| compiler_primitive(n, k));
            match types.get(id) {
                Type::Record(_) if by_compiler.is_some() => {}
                Type::Record(_) if id == file => records.push(("_IO_FILE".to_owned(), id)),
                Type::Record(rid) => records.push((name(&types.record(*rid).name), id)),
                Type::Enum(eid) => enums.push((name(&types.enum_def(*eid).name), id)),
                _ => {}
            }
        }
        records.sort();
        enums.sort();
        let record_index: HashMap<TypeId, usize> = records
            .iter()
            .enumerate()
            .map(|(i, (_, id))| (*id, i))
            .collect();
        let enum_index: HashMap<TypeId, usize> = enums
            .iter()
            .enumerate()
            .map(|(i, (_, id))| (*id, i))
            .collect();
        let at = |w: &Written| slot[w] as i32;
        let leaf_word = |id: TypeId| match types.get(id) {
            Type::Void => Word::new(Op::Primitive, 0).0,
            Type::Primitive(p) => prim_word(*p),
            Type::Record(_) => Word::new(Op::StructUnion, record_index[&id] as i32).0,
            _ => Word::new(Op::Enum, enum_index[&id] as i32).0,
        };
        // 5. The words.
        let mut exprs: HashMap<usize, SlotExpr> = HashMap::new();
        for (w, shape) in &order {
            let i = slot[w];
            match shape {
                Shape::Leaf(id) => match decls
                    .compiler_type(*id)
                    .and_then(|(n, k)| compiler_primitive(n, k))
                {
                    Some(e) => {
                        words[i] = Some(0);
                        exprs.insert(i, e);
                    }
                    None => words[i] = Some(leaf_word(*id)),
                },
                Shape::CompilerArray(item, object) => {
                    words[i] = Some(Word::new(Op::Array, at(item)).0);
                    words[i + 1] = Some(0);
                    exprs.insert(
                        i + 1,
                        SlotExpr::Length(format!("_cffi_array_len({object})")),
                    );
                }
                Shape::Function(f) => {
                    words[i] = Some(Word::new(Op::Function, at(&f.result)).0);
                    let mut k = i + 1;
                    for arg in &f.args {
                        if slot[arg] != k {
                            words[k] = Some(match arg.shape(types) {
                                Shape::Leaf(id)
                                    if matches!(types.get(id), Type::Primitive(_) | Type::Void) =>
                                {
                                    leaf_word(id)
                                }
                                _ => Word::new(Op::Noop, at(arg)).0,
                            });
                        }
                        k += 1;
                    }
                    words[k] = Some(Word::new(Op::FunctionEnd, i32::from(f.variadic)).0);
                }
                Shape::Pointer(item, _) => words[i] = Some(Word::new(Op::Pointer, at(item)).0),
                Shape::Array(item, None) => words[i] = Some(Word::new(Op::OpenArray, at(item)).0),
                Shape::Array(item, Some(n)) => {
                    words[i] = Some(Word::new(Op::Array, at(item)).0);
                    let n = i32::try_from(*n).map_err(|_| {
                        EncodeError::Overflow(format!("cannot emit {n}: limited to 2**31-1"))
                    })?;
                    words[i + 1] = Some(n);
                }
            }
        }
        // Typedef names, by name; `FILE` is one when it is used.
        let mut typenames: Vec<(String, i32)> = listing
            .typedefs
            .iter()
            .map(|(name, id)| (name.clone(), at(&decls.written(Space::Typedef, name, *id))))
            .collect();
        let file_written = Written::Plain(file);
        if slot.contains_key(&file_written) && !typenames.iter().any(|(n, _)| n == "FILE") {
            typenames.push(("FILE".to_owned(), at(&file_written)));
        }
        typenames.sort();
        if mode == Mode::Python {
            if let Some(e) = exprs.keys().min().map(|i| &exprs[i]) {
                return Err(EncodeError::Verification(format!(
                    "cannot emit to Python: '{}'",
                    e.expr()
                )));
            }
        }
        Ok(Plan {
            words: words.into_iter().map(|w| w.unwrap_or(0)).collect(),
            slot,
            order,
            records,
            enums,
            typenames,
            external,
            exprs,
        })
    }

    /// The slot of `w`, which the plan holds.
    pub fn at(&self, w: &Written) -> usize {
        self.slot[w]
    }

    /// The slots that hold an array's length (the word after each
    /// `ARRAY`), not an opcode.
    pub fn length_slots(&self) -> HashSet<usize> {
        self.order
            .iter()
            .filter(|(_, shape)| {
                matches!(shape, Shape::Array(_, Some(_)) | Shape::CompilerArray(..))
            })
            .map(|(w, _)| self.at(w) + 1)
            .collect()
    }
}

/// The structs and unions a listing defines, by kind and stored name
/// (§4.2): tagged ones under their tag, the anonymous ones a typedef
/// names under `$name`, the others under `$N`. An including module refers
/// to them by these names (`EXTERNAL` entries).
pub fn defined_records(
    listing: &ctypes_model::Listing,
    types: &TypeTable,
) -> Vec<(RecordKind, String, TypeId)> {
    let kind_of = |id: TypeId| match types.get(id) {
        Type::Record(rid) => Some(types.record(*rid).kind),
        _ => None,
    };
    let mut out: Vec<(RecordKind, String, TypeId)> = Vec::new();
    for (tag, name, id) in &listing.tags {
        if matches!(tag, ctypes_model::Tag::Struct | ctypes_model::Tag::Union) {
            if let Some(kind) = kind_of(*id) {
                out.push((kind, name.clone(), *id));
            }
        }
    }
    let tagged: HashSet<TypeId> = out.iter().map(|(_, _, id)| *id).collect();
    for (name, id) in &listing.typedefs {
        if tagged.contains(id) {
            continue;
        }
        if let (Some(kind), Type::Record(rid)) = (kind_of(*id), types.get(*id)) {
            if types.record(*rid).name == *name {
                out.push((kind, format!("${name}"), *id));
            }
        }
        // Known only through a pointer typedef: `$N`, or `$$t`.
        if let Type::Pointer(to) = types.get(*id) {
            if let (Some(kind), Type::Record(rid)) = (kind_of(*to), types.get(*to)) {
                let record = &types.record(*rid).name;
                if record.contains('$') && !out.iter().any(|(_, _, t)| t == to) {
                    out.push((kind, stored_name(record), *to));
                }
            }
        }
    }
    for id in &listing.anonymous {
        if let (Some(kind), Type::Record(rid)) = (kind_of(*id), types.get(*id)) {
            out.push((kind, stored_name(&types.record(*rid).name), *id));
        }
    }
    out
}

/// The fields of record `id` as a table of `mode` lists them (empty for
/// an opaque record).
pub fn record_fields(
    types: &TypeTable,
    decls: &Declarations,
    id: TypeId,
    mode: Mode,
) -> Vec<PlannedField> {
    let mut out = Vec::new();
    push_fields(types, decls, id, mode, &mut out);
    out
}

fn push_fields(
    types: &TypeTable,
    decls: &Declarations,
    id: TypeId,
    mode: Mode,
    out: &mut Vec<PlannedField>,
) {
    let Type::Record(rid) = *types.get(id) else {
        return;
    };
    let Some(body) = types.record(rid).body.as_ref() else {
        return;
    };
    for (i, f) in body.fields.iter().enumerate() {
        let anonymous = f.name.is_none() && f.bits.is_none();
        if anonymous && mode == Mode::C && matches!(types.get(f.ty), Type::Record(_)) {
            push_fields(types, decls, f.ty, mode, out);
            continue;
        }
        let name = f.name.as_deref().unwrap_or_default().to_owned();
        let ty = decls
            .written_field(id, i, f.ty)
            .with_array_object(&format!("->{name}"), Some(&types.record(rid).name));
        out.push(PlannedField {
            name,
            ty,
            bits: f.bits,
            quals: decls.field_quals(id, i),
        });
    }
}

/// The records that are some record's anonymous member.
fn anonymous_members(types: &TypeTable, listing: &ctypes_model::Listing) -> HashSet<TypeId> {
    let mut out = HashSet::new();
    let holders = listing
        .tags
        .iter()
        .map(|(_, _, id)| *id)
        .chain(listing.anonymous.iter().copied());
    for id in holders {
        let Type::Record(rid) = *types.get(id) else {
            continue;
        };
        for f in types.record(rid).body.iter().flat_map(|b| &b.fields) {
            if f.name.is_none() && f.bits.is_none() && matches!(types.get(f.ty), Type::Record(_)) {
                out.insert(f.ty);
            }
        }
    }
    out
}

fn is_variadic(types: &TypeTable, ptr: TypeId) -> bool {
    matches!(types.get(function_of(types, ptr)), Type::Function(f) if f.variadic)
}

/// The function type a function's pointer type points to.
pub fn function_of(types: &TypeTable, ptr: TypeId) -> TypeId {
    match types.get(ptr) {
        Type::Pointer(f) => *f,
        _ => ptr,
    }
}

/// Adds `w` and every type it mentions to `out`, once each.
fn collect(
    types: &TypeTable,
    decls: &Declarations,
    w: Written,
    external: &HashSet<TypeId>,
    mode: Mode,
    seen: &mut HashSet<Written>,
    out: &mut Vec<Written>,
) {
    if seen.contains(&w) {
        return;
    }
    seen.insert(w.clone());
    let shape = w.shape(types);
    out.push(w);
    match shape {
        Shape::Pointer(item, _) | Shape::Array(item, _) | Shape::CompilerArray(item, _) => {
            collect(types, decls, item, external, mode, seen, out);
        }
        Shape::Function(f) => {
            collect(types, decls, f.result, external, mode, seen, out);
            for a in f.args {
                collect(types, decls, a, external, mode, seen, out);
            }
        }
        // An included struct's fields are the included module's business.
        Shape::Leaf(id) if external.contains(&id) => {}
        Shape::Leaf(id) => {
            for f in record_fields(types, decls, id, mode) {
                collect(types, decls, f.ty, external, mode, seen, out);
            }
        }
    }
}

/// cffi's sort key: the C name in angle brackets, a raw function spelled
/// with `()` where its pointer has `(*)`.
fn sort_key(types: &TypeTable, w: &Written) -> String {
    match w.shape(types) {
        Shape::Function(_) => {
            let ptr = Written::Pointer(Box::new(w.clone()), Quals::NONE);
            format!("<{}>", ptr.c_name(types).replacen("(*)", "()", 1))
        }
        _ => format!("<{}>", w.c_name(types)),
    }
}

/// The table name of a struct, union or enum named `c_name` (§4.2).
fn stored_name(c_name: &str) -> String {
    for keyword in ["struct ", "union ", "enum "] {
        if let Some(rest) = c_name.strip_prefix(keyword) {
            return rest.to_owned();
        }
    }
    format!("${c_name}")
}

fn prim_word(p: Primitive) -> i32 {
    Word::new(Op::Primitive, primitive_number(p)).0
}
