//! Tables → types and declarations: each slot of `_types` realized once
//! into the shared [`TypeTable`] (docs/protocol.md §5), then every name of
//! the module declared as an in-line cdef would have declared it.

use crate::op::{primitive, Op, PrimitiveNumber, Word};
use crate::tables::{flags, DecodeError, RecordSize, Tables};
use ctypes_model::{
    CallConv, Declarations, EnumDef, FieldDef, FunctionType, GivenField, GivenRecord, Primitive,
    RecordBodyDef, RecordFlags, RecordKind, Tag, Type, TypeId, TypeTable,
};

/// How deep types may nest before realizing stops (cffi stops at 1000).
const MAX_DEPTH: usize = 1000;

/// Realizes the slots of one module's tables, each at most once.
pub struct Realizer<'t> {
    tables: &'t Tables,
    done: Progress,
    depth: usize,
}

/// What a [`Realizer`] has made so far, kept between uses (see
/// [`LazyModule`]).
#[derive(Debug, Clone, Default)]
pub struct Progress {
    slots: Vec<Option<TypeId>>,
    structs: Vec<Option<TypeId>>,
    enums: Vec<Option<TypeId>>,
    /// Structs and unions of the included modules, by kind and stored
    /// name, for the `EXTERNAL` entries.
    external: Vec<(RecordKind, String, TypeId)>,
    /// Slots realized since [`Progress::take_fresh`] last ran (an API
    /// module writes them back into its own table, §5.3), when tracked.
    fresh: Vec<(usize, TypeId)>,
    track_fresh: bool,
}

impl Progress {
    /// The slots realized since the last call, with their types.
    pub fn take_fresh(&mut self) -> Vec<(usize, TypeId)> {
        std::mem::take(&mut self.fresh)
    }

    /// Calls `f` with every type realized so far (the roots a module
    /// gives `TypeTable::collect`).
    pub fn for_each_type(&self, f: &mut dyn FnMut(TypeId)) {
        let realized = self.slots.iter().chain(&self.structs).chain(&self.enums);
        realized.flatten().for_each(|&id| f(id));
        self.external.iter().for_each(|&(_, _, id)| f(id));
        self.fresh.iter().for_each(|&(_, id)| f(id));
    }
}

fn ffi_error(msg: impl Into<String>) -> DecodeError {
    DecodeError::Ffi(msg.into())
}

fn malformed(msg: impl Into<String>) -> DecodeError {
    DecodeError::Malformed(msg.into())
}

impl<'t> Realizer<'t> {
    /// A realizer of `tables`, none of whose slots is realized yet.
    pub fn new(tables: &'t Tables) -> Realizer<'t> {
        Realizer::resume(tables, Progress::default())
    }

    /// A realizer of `tables` that goes on from `done` (made by an earlier
    /// realizer of the same tables).
    pub fn resume(tables: &'t Tables, mut done: Progress) -> Realizer<'t> {
        done.slots.resize(tables.types.len(), None);
        done.structs.resize(tables.struct_unions.len(), None);
        done.enums.resize(tables.enums.len(), None);
        Realizer {
            tables,
            done,
            depth: 0,
        }
    }

    /// What was made, for [`Realizer::resume`].
    pub fn into_progress(self) -> Progress {
        self.done
    }

    /// The structs and unions `EXTERNAL` entries refer to: those of the
    /// included modules (kind, stored name, type).
    #[must_use]
    pub fn with_external(mut self, external: Vec<(RecordKind, String, TypeId)>) -> Self {
        self.done.external = external;
        self
    }

    fn word(&self, slot: i32) -> Result<Word, DecodeError> {
        usize::try_from(slot)
            .ok()
            .and_then(|i| self.tables.types.get(i).copied())
            .ok_or_else(|| malformed(format!("type slot {slot} out of range")))
    }

    /// The type of `slot` (a function type comes back as itself: only a
    /// `POINTER` to it is a usable type).
    pub fn realize(&mut self, types: &mut TypeTable, slot: i32) -> Result<TypeId, DecodeError> {
        let word = self.word(slot)?;
        let index = slot as usize;
        if let Some(id) = self.done.slots[index] {
            return Ok(id);
        }
        if self.depth >= MAX_DEPTH {
            return Err(DecodeError::Ffi(
                "type-building recursion too deep or infinite".to_owned(),
            ));
        }
        self.depth += 1;
        let id = self.realize_word(types, slot, word);
        self.depth -= 1;
        let id = id?;
        self.done.slots[index] = Some(id);
        if self.done.track_fresh {
            self.done.fresh.push((index, id));
        }
        Ok(id)
    }

    fn realize_word(
        &mut self,
        types: &mut TypeTable,
        slot: i32,
        word: Word,
    ) -> Result<TypeId, DecodeError> {
        let arg = word.arg();
        match word.op() {
            Some(Op::Primitive) => match arg {
                -1 => Err(ffi_error(
                    "primitive integer type with an unexpected size (or not an integer type at all)",
                )),
                -2 => Err(ffi_error(
                    "primitive floating-point type with an unexpected size (or not a float type at all)",
                )),
                -3 => Err(ffi_error(
                    "primitive floating-point type is 'long double', not supported for now with \
                     the syntax 'typedef double... xxx;'",
                )),
                n => match primitive(n) {
                    Some(PrimitiveNumber::Void) => Ok(types.void()),
                    Some(PrimitiveNumber::Type(p)) => Ok(types.primitive(p)),
                    None => Err(DecodeError::NotImplemented(format!("prim={n}"))),
                },
            },
            Some(Op::Pointer) => {
                let target = self.realize(types, arg)?;
                Ok(types.pointer(target))
            }
            Some(Op::Array) => {
                let item = self.realize_item(types, arg)?;
                let len = self.word(slot + 1)?.0;
                let len = u64::try_from(len)
                    .map_err(|_| malformed(format!("negative array length {len}")))?;
                Ok(types.intern(Type::Array {
                    item,
                    len: Some(len),
                }))
            }
            Some(Op::OpenArray) => {
                let item = self.realize_item(types, arg)?;
                Ok(types.intern(Type::Array { item, len: None }))
            }
            Some(Op::StructUnion) => self.struct_union(types, arg),
            Some(Op::Enum) => self.enumeration(types, arg),
            Some(Op::Function) => self.function(types, slot),
            Some(Op::Noop) => self.realize(types, arg),
            _ => Err(malformed(format!(
                "slot {slot}: op {} is not a type",
                word.op_byte()
            ))),
        }
    }

    /// An array item: a type with a size (not a function, not `void`).
    fn realize_item(&mut self, types: &mut TypeTable, slot: i32) -> Result<TypeId, DecodeError> {
        let item = self.realize(types, slot)?;
        match types.get(item) {
            Type::Function(_) | Type::Void => {
                Err(ffi_error(format!("array of '{}'", types.c_name(item))))
            }
            _ => Ok(item),
        }
    }

    /// The `FUNCTION` shape at `slot`: its result, its parameters up to
    /// `FUNCTION_END`, whose flags say variadic and the ABI.
    fn function(&mut self, types: &mut TypeTable, slot: i32) -> Result<TypeId, DecodeError> {
        let result = self.realize(types, self.word(slot)?.arg())?;
        if let Type::Array { .. } | Type::Function(_) = types.get(result) {
            return Err(ffi_error(format!(
                "invalid result type: '{}'",
                types.c_name(result)
            )));
        }
        let mut args = Vec::new();
        let mut at = slot + 1;
        let end = loop {
            let word = self.word(at)?;
            if word.op() == Some(Op::FunctionEnd) {
                break word.arg();
            }
            let arg = self.realize(types, at)?;
            // Arrays and functions are passed as pointers, as in C.
            args.push(match types.get(arg).clone() {
                Type::Array { item, .. } => types.pointer(item),
                Type::Function(_) => types.pointer(arg),
                _ => arg,
            });
            at += 1;
        };
        let abi = end >> 1;
        if abi != 0 && abi != 2 {
            return Err(ffi_error(format!("abi number {abi} not supported")));
        }
        Ok(types.intern(Type::Function(FunctionType {
            args,
            result,
            variadic: end & 1 != 0,
            abi: CallConv::Default,
        })))
    }

    /// The struct or union at index `k` of its table (−1: the built-in
    /// `FILE`), made once, its fields laid out as the module says.
    fn struct_union(&mut self, types: &mut TypeTable, k: i32) -> Result<TypeId, DecodeError> {
        if k == -1 {
            return Ok(types.file_record());
        }
        let index = usize::try_from(k)
            .ok()
            .filter(|&i| i < self.done.structs.len())
            .ok_or_else(|| malformed(format!("struct/union index {k} out of range")))?;
        if let Some(id) = self.done.structs[index] {
            return Ok(id);
        }
        let tables = self.tables;
        let entry = &tables.struct_unions[index];
        let entry_name = tables.name(entry.name);
        if entry_name == "_IO_FILE" {
            let id = types.file_record();
            self.done.structs[index] = Some(id);
            return Ok(id);
        }
        let kind = if entry.flags & flags::UNION != 0 {
            RecordKind::Union
        } else {
            RecordKind::Struct
        };
        if entry.flags & flags::EXTERNAL != 0 {
            let found = self
                .done
                .external
                .iter()
                .find(|(k, name, _)| *k == kind && name == entry_name)
                .map(|(_, _, id)| *id);
            let Some(id) = found else {
                return Err(ffi_error(format!(
                    "'{}' should come from ffi.include() but was not found",
                    c_name(kind, entry_name)
                )));
            };
            // Completed by the module doing the include, but opaque in
            // the included one: the fields are nowhere (F-08.58).
            let opaque_there =
                matches!(*types.get(id), Type::Record(r) if types.record(r).body.is_none());
            if entry.flags & flags::OPAQUE == 0 && opaque_there {
                let name = c_name(kind, entry_name);
                return Err(DecodeError::NotImplemented(format!(
                    "'{name}' is opaque in the ffi.include(), but no longer in the ffi doing the \
                     include (workaround: don't use ffi.include() but duplicate the declarations \
                     of everything using {name})"
                )));
            }
            self.done.structs[index] = Some(id);
            return Ok(id);
        }
        let id = types.new_record(kind, c_name(kind, entry_name));
        // Known before the fields: a field may point back to this struct.
        self.done.structs[index] = Some(id);
        if entry.flags & flags::OPAQUE != 0 {
            return Ok(id);
        }
        if let Err(e) = self.complete_struct(types, index, id) {
            // Not realized: the next use tries again and fails alike.
            self.done.structs[index] = None;
            return Err(e);
        }
        Ok(id)
    }

    /// Lays out the fields of struct or union `index` (record `id`) as
    /// the module's tables say.
    fn complete_struct(
        &mut self,
        types: &mut TypeTable,
        index: usize,
        id: TypeId,
    ) -> Result<(), DecodeError> {
        let tables = self.tables;
        let entry = &tables.struct_unions[index];
        let mut fields = Vec::with_capacity(entry.fields.len());
        let mut given = Vec::with_capacity(entry.fields.len());
        let record_name = types.c_name(id);
        for f in tables.fields_of(entry) {
            let fname = tables.name(f.name);
            let ty = match f.word.op() {
                Some(Op::Noop | Op::Bitfield) => self.realize(types, f.word.arg())?,
                _ => {
                    return Err(DecodeError::NotImplemented(format!(
                        "field op={}",
                        f.word.op_byte()
                    )))
                }
            };
            let bits = match f.bits {
                Some(b) => Some(u64::try_from(b).map_err(|_| malformed(format!("bit width {b}")))?),
                None => None,
            };
            // The compiler's size of the field must be the cdef's (§4.3).
            if let Some((_, Some(size))) = f.given {
                let cdef = types.size_of(ty).map_or(-1, |s| s as i64);
                if cdef != size as i64 {
                    return Err(ffi_error(format!(
                        "{record_name}: wrong size for field '{fname}' (cdef says {cdef}, but C \
                         compiler says {}). fix it or use \"...;\" as the last field in the cdef \
                         for {record_name} to make it flexible",
                        size as i64
                    )));
                }
            }
            let name = (!fname.is_empty()).then(|| fname.to_owned());
            given.push(GivenField {
                name: name.clone(),
                ty,
                bits,
                offset: f.given.map(|(offset, _)| offset),
            });
            fields.push(FieldDef {
                name: name.as_deref().map(ctypes_model::SmolStr::new),
                ty,
                bits,
                packed: false,
                aligned: None,
                offset: None,
            });
        }
        let Type::Record(rid) = *types.get(id) else {
            return Err(malformed("a struct that is not one"));
        };
        let packed = entry.flags & flags::PACKED != 0;
        match entry.size {
            RecordSize::Given { size, align } => {
                let record = GivenRecord {
                    fields: given,
                    total_size: Some(size),
                    total_align: align,
                    flags: RecordFlags {
                        packed,
                        check_positions: entry.flags & flags::CHECK_FIELDS != 0,
                        ..RecordFlags::default()
                    },
                    pack: None,
                };
                if let Err(e) = types.complete_record_as_given(rid, &record) {
                    return Err(match e {
                        ctypes_model::CompleteError::Position(p) => ffi_error(p.to_string()),
                        ctypes_model::CompleteError::Layout(l) => ffi_error(l.to_string()),
                    });
                }
            }
            RecordSize::Compute | RecordSize::Unknown => types.complete_record(
                rid,
                RecordBodyDef {
                    fields,
                    partial: false,
                    packed,
                    pack: None,
                    aligned: None,
                    total: None,
                    bitfields: None,
                    foreign_byte_order: false,
                },
            ),
        }
        Ok(())
    }

    /// The enum at index `k`, its values from the globals.
    fn enumeration(&mut self, types: &mut TypeTable, k: i32) -> Result<TypeId, DecodeError> {
        let index = usize::try_from(k)
            .ok()
            .filter(|&i| i < self.done.enums.len())
            .ok_or_else(|| malformed(format!("enum index {k} out of range")))?;
        if let Some(id) = self.done.enums[index] {
            return Ok(id);
        }
        let tables = self.tables;
        let entry = &tables.enums[index];
        let entry_name = tables.name(entry.name);
        let underlying = match primitive(entry.prim) {
            Some(PrimitiveNumber::Type(p)) if p.is_integer() => p,
            _ => return Err(DecodeError::NotImplemented(format!("prim={}", entry.prim))),
        };
        let mut values = Vec::new();
        for name in tables.enumerators(entry) {
            let Some(g) = tables.global(name) else {
                return Err(malformed(format!("enumerator '{name}' not in _globals")));
            };
            if g.disagrees {
                return Err(disagreement(name, g.value));
            }
            values.push((ctypes_model::SmolStr::new(name), g.value));
        }
        let name = match entry_name.strip_prefix('$') {
            Some(typedef) if !starts_numbered(typedef) => typedef.to_owned(),
            _ => format!("enum {entry_name}"),
        };
        let id = types.new_enum(EnumDef {
            name,
            values,
            underlying,
            partial: false,
            complete: true,
        });
        self.done.enums[index] = Some(id);
        Ok(id)
    }

    /// Declares every name of the module into `decls`: typedefs, named
    /// structs, unions and enums, functions, variables, integer constants
    /// and enumerators, and constants read from the library.
    pub fn declare_all(
        &mut self,
        types: &mut TypeTable,
        decls: &mut Declarations,
    ) -> Result<(), DecodeError> {
        for k in 0..self.tables.typenames.len() {
            self.declare_typename(types, decls, k)?;
        }
        for k in 0..self.tables.struct_unions.len() {
            self.declare_struct_union(types, decls, k)?;
        }
        for k in 0..self.tables.enums.len() {
            self.declare_enum(types, decls, k)?;
        }
        for k in 0..self.tables.globals.len() {
            // A constant the compiler disagrees with fails when it is
            // used by name, not when everything is listed or included.
            if self.tables.globals[k].disagrees {
                continue;
            }
            self.declare_global(types, decls, k)?;
        }
        Ok(())
    }

    /// Declares typedef `k` of `_typenames`.
    pub fn declare_typename(
        &mut self,
        types: &mut TypeTable,
        decls: &mut Declarations,
        k: usize,
    ) -> Result<(), DecodeError> {
        let t = &self.tables.typenames[k];
        let id = self.realize(types, t.slot)?;
        decls
            .add_typedef(self.tables.name(t.name), id)
            .map_err(|e| duplicate(&e))
    }

    /// Declares the tag of struct or union `k` (none for `$` names).
    pub fn declare_struct_union(
        &mut self,
        types: &mut TypeTable,
        decls: &mut Declarations,
        k: usize,
    ) -> Result<(), DecodeError> {
        let id = self.struct_union(types, k as i32)?;
        let s = &self.tables.struct_unions[k];
        let name = self.tables.name(s.name);
        if name.starts_with('$') {
            return Ok(());
        }
        let tag = if s.flags & flags::UNION != 0 {
            Tag::Union
        } else {
            Tag::Struct
        };
        decls.add_tag(tag, name, id).map_err(|e| duplicate(&e))
    }

    /// Declares the tag of enum `k` (none for `$` names).
    pub fn declare_enum(
        &mut self,
        types: &mut TypeTable,
        decls: &mut Declarations,
        k: usize,
    ) -> Result<(), DecodeError> {
        let id = self.enumeration(types, k as i32)?;
        let e = &self.tables.enums[k];
        let name = self.tables.name(e.name);
        if name.starts_with('$') {
            return Ok(());
        }
        decls
            .add_tag(Tag::Enum, name, id)
            .map_err(|e| duplicate(&e))
    }

    /// Declares global `k`: a function, a variable, an integer constant or
    /// enumerator, or a constant read from the library.
    pub fn declare_global(
        &mut self,
        types: &mut TypeTable,
        decls: &mut Declarations,
        k: usize,
    ) -> Result<(), DecodeError> {
        let g = &self.tables.globals[k];
        let name = self.tables.name(g.name);
        let arg = g.word.arg();
        match g.word.op() {
            Some(Op::ConstantInt | Op::Enum) if g.disagrees => Err(disagreement(name, g.value)),
            Some(Op::ConstantInt | Op::Enum) => decls
                .add_int_constant(name, g.value)
                .map_err(|e| duplicate(&e)),
            // API modules (§4.1): a wrapped function is declared as a
            // function; its `lib` attribute is the module's own builtin.
            Some(Op::CpythonBltnV | Op::CpythonBltnN | Op::CpythonBltnO) => {
                let f = self.realize(types, arg)?;
                if !matches!(types.get(f), Type::Function(_)) {
                    return Err(malformed(format!("'{name}' is not a function")));
                }
                let ptr = types.pointer(f);
                decls.add_function(name, ptr).map_err(|e| duplicate(&e))
            }
            Some(Op::GlobalVarF) => {
                let ty = self.realize(types, arg)?;
                decls.add_variable(name, ty).map_err(|e| duplicate(&e))
            }
            // A constant the compiler computes, and the function pointer
            // of an `extern "Python"` function: values the lib makes.
            Some(Op::Constant | Op::ExternPython) => {
                let ty = self.realize(types, arg)?;
                decls
                    .add_compiler_constant(name, ty)
                    .map_err(|e| duplicate(&e))
            }
            Some(Op::DlopenFunc) => {
                let f = self.realize(types, arg)?;
                if !matches!(types.get(f), Type::Function(_)) {
                    return Err(malformed(format!("'{name}' is not a function")));
                }
                let ptr = types.pointer(f);
                decls.add_function(name, ptr).map_err(|e| duplicate(&e))
            }
            Some(Op::GlobalVar) => {
                let ty = self.realize(types, arg)?;
                decls.add_variable(name, ty).map_err(|e| duplicate(&e))
            }
            Some(Op::DlopenConst) => {
                let ty = self.realize(types, arg)?;
                decls
                    .add_compiler_constant(name, ty)
                    .map_err(|e| duplicate(&e))
            }
            _ => Err(DecodeError::NotImplemented(format!(
                "'{}': op {} is for API-mode modules, not out-of-line ones",
                name,
                g.word.op_byte()
            ))),
        }
    }
}

/// The structs and unions of `decls` (an including module's view of its
/// included modules), as [`LazyModule::new`] takes them for the
/// `EXTERNAL` entries (§4.6): kind, stored name, type.
pub fn external_records(
    decls: &Declarations,
    types: &ctypes_model::TypeTable,
) -> Vec<(RecordKind, String, TypeId)> {
    crate::encode::defined_records(&decls.listing(), types)
}

/// An integer constant whose value the compiler disagrees with (§4.1).
/// A positive value is also shown in hex, a negative one (or zero) not.
fn disagreement(name: &str, value: i128) -> DecodeError {
    let shown = if value > 0 {
        format!("{value} ({:#x})", value as u64)
    } else {
        value.to_string()
    };
    ffi_error(format!(
        "the C compiler says '{name}' is equal to {shown}, but the cdef disagrees"
    ))
}

/// A name declared twice differently.
fn duplicate(e: &ctypes_model::ModelError) -> DecodeError {
    ffi_error(e.to_string())
}

/// `$1`, `$2`, ...: an anonymous type with no typedef name.
fn starts_numbered(rest: &str) -> bool {
    rest.starts_with(|c: char| c.is_ascii_digit() || c == '$')
}

/// The C name of a struct or union stored as `name` (§4.2).
fn c_name(kind: RecordKind, name: &str) -> String {
    let keyword = if kind == RecordKind::Union {
        "union"
    } else {
        "struct"
    };
    match name.strip_prefix('$') {
        Some(typedef) if !starts_numbered(typedef) => typedef.to_owned(),
        _ => format!("{keyword} {name}"),
    }
}

/// The primitive an integer base type number stands for, for callers
/// checking `_enums` (17..=24 in generated modules).
pub fn enum_base(prim: i32) -> Option<Primitive> {
    match primitive(prim)? {
        PrimitiveNumber::Type(p) if p.is_integer() => Some(p),
        _ => None,
    }
}

mod lazy;

pub use lazy::LazyModule;

#[cfg(test)]
mod tests;
