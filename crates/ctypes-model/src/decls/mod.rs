//! Declarations by name: what `cdef()` declared, resolved into types.

use crate::error::{ModelError, ModelErrorKind};
use crate::record::{EnumDef, FieldDef, RecordBodyDef, RecordKind};
use crate::types::{CallConv, FunctionType, Type, TypeId, TypeTable};
use crate::Primitive;
use cdef_parse::{
    ArrayLen, Cdef, DeclKind, Expr, FunctionExpr, MacroValue, Predeclared, Span, TypeExpr,
    TypeNames, Warning, WarningKind,
};
use indexmap::IndexMap;
use std::collections::HashMap;

/// The names every cdef knows without declaring them, with what they
/// stand for on this system (cffi's "common types"; Windows adds its own
/// family of names, which this table leaves out off Windows): `FILE` is
/// the opaque `struct _IO_FILE`, `bool` is `_Bool`.
pub const COMMON_TYPES: &[(&str, &str)] = &[("FILE", "struct _IO_FILE"), ("bool", "_Bool")];

/// Options of one `cdef()` call.
#[derive(Debug, Clone, Copy, Default)]
pub struct CdefOptions {
    /// `override=True`: later declarations replace earlier ones silently.
    pub override_: bool,
    /// `packed=True`: every struct of this call is packed.
    pub packed: bool,
    /// `pack=N`: field alignments capped at N in every struct of this call.
    pub pack: Option<u64>,
}

/// What a name was declared as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declared {
    /// A function; the id is of the *pointer* to its function type, which
    /// is what cffi hands out for it.
    Function(TypeId),
    /// A global variable of this type.
    Variable(TypeId),
    /// An integer constant (`#define`, `static const`) and its value.
    IntConstant(i128),
    /// A constant whose value only the C compiler knows (`static const
    /// float x = 1.5;`, `const double c;`, `static const int n;`): usable
    /// in API mode; an in-line ABI library refuses it (F-04.06).
    CompilerConstant(TypeId),
    /// An enumerator of a partial enum (`enum e { A, B, ... };`): only the
    /// C compiler knows its value. Holds the enum type (F-04.05).
    PartialEnumerator(TypeId),
}

/// Everything declared by the `cdef()` calls of one FFI, by name.
///
/// Types are interned in a [`TypeTable`] passed to each call, which may be
/// shared with other `Declarations`.
#[derive(Debug, Clone, Default)]
pub struct Declarations {
    typedefs: IndexMap<String, TypeId>,
    functions: IndexMap<String, TypeId>,
    variables: IndexMap<String, TypeId>,
    constants: IndexMap<String, i128>,
    /// Constants the C compiler gives the value of, by type.
    compiler_constants: IndexMap<String, TypeId>,
    /// `#define X ...`: macros only API mode can reach (F-04.07).
    compiler_macros: IndexMap<String, ()>,
    /// Enumerators of partial enums, with the enum type.
    partial_enumerators: IndexMap<String, TypeId>,
    /// `struct`/`union`/`enum` tags, by kind and name.
    tags: IndexMap<(TagKind, String), TypeId>,
    /// While declaring: the options of the current `cdef()` call, and the
    /// types made from each body already seen (by the body's position), so
    /// that `typedef struct {...} a, *b;` makes one struct.
    current: CdefOptions,
    bodies: HashMap<u32, TypeId>,
    /// Anonymous records and enums waiting for their `$N` name.
    unnamed: Vec<TypeId>,
    /// The anonymous records and enums that got a `$N` name.
    anonymous: Vec<TypeId>,
}

/// The namespaces of tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum TagKind {
    Struct,
    Union,
    Enum,
}

impl TypeNames for Declarations {
    fn is_type_name(&self, name: &str) -> bool {
        self.typedefs.contains_key(name) || Predeclared.is_type_name(name)
    }
}

impl Declarations {
    /// No declarations.
    pub fn new() -> Declarations {
        Declarations::default()
    }

    /// Parses `src` and adds its declarations. All or nothing: on error,
    /// nothing of `src` is kept.
    pub fn cdef(
        &mut self,
        types: &mut TypeTable,
        src: &str,
        options: &CdefOptions,
    ) -> Result<Vec<Warning>, ModelError> {
        let mut cdef = cdef_parse::parse_cdef(src, self)?;
        self.declare(types, &cdef, options)?;
        // `func_t f;` with `func_t` a function typedef declares a function,
        // which needs no `extern`: the parser could not know.
        cdef.warnings.retain(|w| {
            !matches!(&w.kind, WarningKind::MissingStorageClass(name)
                if self.functions.contains_key(name))
        });
        Ok(cdef.warnings)
    }

    /// Adds the declarations of an already parsed text (all or nothing).
    pub fn declare(
        &mut self,
        types: &mut TypeTable,
        cdef: &Cdef,
        options: &CdefOptions,
    ) -> Result<(), ModelError> {
        let mut next = self.clone();
        next.current = *options;
        next.bodies.clear();
        for decl in &cdef.decls {
            let unsupported = |what: &str| {
                Err(ModelError::new(
                    ModelErrorKind::Unsupported(what.to_owned()),
                    decl.span,
                ))
            };
            let (kind, id) = match &decl.kind {
                DeclKind::Typedef(ty) => {
                    let id = next.resolve(types, ty, decl.span)?;
                    name_anonymous(types, ty, id, &decl.name);
                    next.number_anonymous(types);
                    ("typedef", id)
                }
                DeclKind::Function(f) => {
                    let func = next.resolve_function(types, f, decl.span)?;
                    ("function", types.pointer(func))
                }
                DeclKind::Variable { ty, .. } => {
                    let id = next.resolve(types, ty, decl.span)?;
                    if let Type::Function(_) = types.get(id) {
                        // Declared through a function typedef (`func_t
                        // sin;`): a function, as in C.
                        ("function", types.pointer(id))
                    } else if let Type::Void = types.get(id) {
                        return Err(ModelError::new(
                            ModelErrorKind::Invalid(format!(
                                "variable '{}' declared as void",
                                decl.name
                            )),
                            decl.span,
                        ));
                    } else {
                        ("variable", id)
                    }
                }
                DeclKind::Macro(MacroValue::Expr(e)) => {
                    let value = next.eval(e, decl.span)?;
                    next.add_constant(&decl.name, value, decl.span, options.override_)?;
                    continue;
                }
                DeclKind::Constant { ty, value } => {
                    let id = next.resolve(types, ty, decl.span)?;
                    let integer = matches!(types.get(id), Type::Primitive(p) if p.is_integer());
                    match value {
                        Some(e) if integer => {
                            let value = next.eval(e, decl.span)?;
                            next.add_constant(&decl.name, value, decl.span, options.override_)?;
                        }
                        // The value is the C compiler's to compute.
                        _ => {
                            next.compiler_constants.insert(decl.name.clone(), id);
                        }
                    }
                    continue;
                }
                DeclKind::Macro(MacroValue::Dots) => {
                    next.compiler_macros.insert(decl.name.clone(), ());
                    continue;
                }
                DeclKind::ExternPython { .. } => {
                    return unsupported("extern \"Python\" functions (API mode)")
                }
                DeclKind::Tag(ty) => {
                    next.resolve(types, ty, decl.span)?;
                    next.number_anonymous(types);
                    continue;
                }
            };
            next.number_anonymous(types);
            let map = match kind {
                "typedef" => &mut next.typedefs,
                "function" => &mut next.functions,
                _ => &mut next.variables,
            };
            match map.get(&decl.name) {
                Some(&old) if old != id && !options.override_ => {
                    return Err(ModelError::new(
                        ModelErrorKind::Duplicate {
                            kind,
                            name: decl.name.clone(),
                        },
                        decl.span,
                    ));
                }
                _ => {
                    map.insert(decl.name.clone(), id);
                }
            }
        }
        *self = next;
        Ok(())
    }

    /// Parses a type string (`"int *"`, `"size_t"`, `"int(*)(int)"`)
    /// against these declarations. A function type comes back as a pointer
    /// to it, as cffi does; see [`Declarations::parse_type_raw`].
    pub fn parse_type(&mut self, types: &mut TypeTable, src: &str) -> Result<TypeId, ModelError> {
        let id = self.parse_type_raw(types, src)?;
        Ok(match types.get(id) {
            Type::Function(_) => types.pointer(id),
            _ => id,
        })
    }

    /// Parses a type string, keeping a function type as it is written
    /// (`"int(int)"` is a function type, not a pointer to one).
    pub fn parse_type_raw(
        &mut self,
        types: &mut TypeTable,
        src: &str,
    ) -> Result<TypeId, ModelError> {
        let expr = cdef_parse::parse_type(src, self)?;
        let id = self.resolve(types, &expr, Span::new(0, src.len()));
        self.number_anonymous(types);
        let id = id?;
        if let Type::Array { item, len: Some(_) } = *types.get(id) {
            if types.size_of(item).is_none() {
                return Err(ModelError::new(
                    ModelErrorKind::UnknownSize(types.c_name(item)),
                    Span::new(0, src.len()),
                ));
            }
        }
        Ok(id)
    }

    /// Looks up a declared function, variable or integer constant.
    pub fn lookup(&self, name: &str) -> Option<Declared> {
        if let Some(&id) = self.functions.get(name) {
            return Some(Declared::Function(id));
        }
        if let Some(&value) = self.constants.get(name) {
            return Some(Declared::IntConstant(value));
        }
        if let Some(&id) = self.compiler_constants.get(name) {
            return Some(Declared::CompilerConstant(id));
        }
        if let Some(&id) = self.partial_enumerators.get(name) {
            return Some(Declared::PartialEnumerator(id));
        }
        self.variables.get(name).map(|&id| Declared::Variable(id))
    }

    /// Evaluates a constant expression against the constants declared so
    /// far.
    pub fn eval(&self, expr: &Expr, span: Span) -> Result<i128, ModelError> {
        crate::consts::eval(expr, &|name| self.constants.get(name).copied(), span)
    }

    /// Records an integer constant (F-01.19): the same value again is
    /// fine, a different one is a conflict unless overriding.
    fn add_constant(
        &mut self,
        name: &str,
        value: i128,
        span: Span,
        overriding: bool,
    ) -> Result<(), ModelError> {
        match self.constants.get(name) {
            Some(&old) if old != value && !overriding => Err(ModelError::new(
                ModelErrorKind::Duplicate {
                    kind: "constant",
                    name: name.to_owned(),
                },
                span,
            )),
            _ => {
                self.constants.insert(name.to_owned(), value);
                Ok(())
            }
        }
    }

    /// The function type (not the pointer cffi hands out) of a declared
    /// function: what a call interface or a C prototype is built from.
    pub fn function_type(&self, types: &TypeTable, name: &str) -> Option<TypeId> {
        let ptr = *self.functions.get(name)?;
        match types.get(ptr) {
            Type::Pointer(func) => Some(*func),
            _ => None,
        }
    }

    /// The names of declared functions, variables and integer constants,
    /// in declaration order within each kind.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.functions
            .keys()
            .chain(self.variables.keys())
            .chain(self.constants.keys())
            .chain(self.compiler_constants.keys())
            .chain(self.partial_enumerators.keys())
            .map(String::as_str)
    }

    /// How many struct, union and enum tags are known (named or not).
    pub fn tag_count(&self) -> usize {
        self.tags.len()
    }

    /// The user typedef names, in declaration order.
    pub fn typedef_names(&self) -> impl Iterator<Item = &str> {
        self.typedefs.keys().map(String::as_str)
    }

    /// Resolves a syntax-tree type into an interned type.
    pub fn resolve(
        &mut self,
        types: &mut TypeTable,
        expr: &TypeExpr,
        span: Span,
    ) -> Result<TypeId, ModelError> {
        Ok(match expr {
            TypeExpr::Builtin { ty, .. } => match Primitive::from_builtin(*ty) {
                Some(p) => types.primitive(p),
                None => types.void(),
            },
            TypeExpr::Named { name, .. } => self.named(types, name, span)?,
            TypeExpr::Pointer { pointee, .. } => {
                let item = self.resolve(types, pointee, span)?;
                types.pointer(item)
            }
            TypeExpr::Array { item, len } => {
                let item_id = self.resolve(types, item, span)?;
                let invalid =
                    |what: &str| ModelError::new(ModelErrorKind::Invalid(what.to_owned()), span);
                match types.get(item_id) {
                    Type::Void => {
                        return Err(ModelError::new(
                            ModelErrorKind::UnknownSize("void".into()),
                            span,
                        ))
                    }
                    Type::Function(_) => return Err(invalid("array of functions")),
                    Type::Array { len: None, .. } => {
                        return Err(ModelError::new(
                            ModelErrorKind::UnknownSize(types.c_name(item_id)),
                            span,
                        ))
                    }
                    _ => {}
                }
                let len = match len {
                    None => None,
                    Some(ArrayLen::Expr(e)) => {
                        let n = self.eval(e, span)?;
                        Some(u64::try_from(n).map_err(|_| {
                            ModelError::new(ModelErrorKind::NegativeArrayLength, span)
                        })?)
                    }
                    Some(ArrayLen::Dots) => {
                        return Err(ModelError::new(
                            ModelErrorKind::Unsupported("arrays of length '...'".into()),
                            span,
                        ))
                    }
                };
                if len.is_some() && types.size_of(item_id).is_some() {
                    let array = Type::Array { item: item_id, len };
                    let id = types.intern(array);
                    if types.size_of(id).is_none() {
                        return Err(invalid("array too large"));
                    }
                    return Ok(id);
                }
                types.intern(Type::Array { item: item_id, len })
            }
            TypeExpr::Function(f) => self.resolve_function(types, f, span)?,
            TypeExpr::Record {
                kind, tag, body, ..
            } => self.resolve_record(types, *kind, tag.as_deref(), body.as_deref())?,
            TypeExpr::Enum { tag, body, .. } => {
                self.resolve_enum(types, tag.as_deref(), body.as_deref(), span)?
            }
            TypeExpr::Opaque | TypeExpr::UnknownInt | TypeExpr::UnknownFloat => {
                return Err(ModelError::new(
                    ModelErrorKind::Unsupported("types completed by the C compiler ('...')".into()),
                    span,
                ))
            }
        })
    }

    /// `struct tag`, `union tag` or an anonymous one, completing it with
    /// the body if one is written here (F-01.47..F-01.59).
    fn resolve_record(
        &mut self,
        types: &mut TypeTable,
        kind: RecordKind,
        tag: Option<&str>,
        body: Option<&cdef_parse::RecordBody>,
    ) -> Result<TypeId, ModelError> {
        if let Some(b) = body {
            if let Some(&id) = self.bodies.get(&b.span.start) {
                return Ok(id);
            }
        }
        let keyword = match kind {
            RecordKind::Struct => "struct",
            RecordKind::Union => "union",
        };
        let tag_kind = if kind == RecordKind::Struct {
            TagKind::Struct
        } else {
            TagKind::Union
        };
        let id = match tag {
            Some(t) => match self.tags.get(&(tag_kind, t.to_owned())) {
                Some(&id) => id,
                None => {
                    let id = types.new_record(kind, format!("{keyword} {t}"));
                    self.tags.insert((tag_kind, t.to_owned()), id);
                    id
                }
            },
            None => {
                // Numbered once the declaration is done, unless a typedef
                // names it first (cffi numbers only the ones left anonymous).
                let id = types.new_record(kind, format!("{keyword} $"));
                self.unnamed.push(id);
                id
            }
        };
        let Some(body) = body else { return Ok(id) };
        self.bodies.insert(body.span.start, id);
        let Type::Record(rid) = *types.get(id) else {
            unreachable!("a record type")
        };
        if types.record(rid).body.is_some() && !self.current.override_ {
            return Err(ModelError::new(
                ModelErrorKind::Invalid(format!(
                    "duplicate declaration of {}",
                    types.record(rid).name
                )),
                body.span,
            ));
        }
        let mut fields = Vec::with_capacity(body.fields.len());
        for f in &body.fields {
            let ty = self.resolve(types, &f.ty, f.span)?;
            let bits = match &f.bits {
                Some(e) => Some(self.eval_unsigned(e, f.span, "bit field width")?),
                None => None,
            };
            let aligned = match &f.aligned {
                Some(e) => Some(self.eval_unsigned(e, f.span, "alignment")?),
                None => None,
            };
            fields.push(FieldDef {
                name: f.name.clone(),
                ty,
                bits,
                packed: f.packed,
                aligned,
                offset: None,
            });
        }
        let aligned = match &body.aligned {
            Some(e) => Some(self.eval_unsigned(e, body.span, "alignment")?),
            None => None,
        };
        let pack = body.pragma_pack.map(u64::from).or(self.current.pack);
        types.complete_record(
            rid,
            RecordBodyDef {
                fields,
                partial: body.partial,
                packed: body.packed || self.current.packed,
                pack,
                aligned,
                total: None,
                bitfields: None,
                foreign_byte_order: false,
            },
        );
        Ok(id)
    }

    /// `enum tag` or an anonymous enum; its enumerators become integer
    /// constants and choose its integer type (F-01.63..F-01.69).
    fn resolve_enum(
        &mut self,
        types: &mut TypeTable,
        tag: Option<&str>,
        body: Option<&cdef_parse::EnumBody>,
        span: Span,
    ) -> Result<TypeId, ModelError> {
        if let Some(b) = body {
            if let Some(&id) = self.bodies.get(&b.span.start) {
                return Ok(id);
            }
        }
        let existing = tag.and_then(|t| self.tags.get(&(TagKind::Enum, t.to_owned())).copied());
        let Some(body) = body else {
            if let Some(id) = existing {
                return Ok(id);
            }
            let name = format!("enum {}", tag.unwrap_or_default());
            let id = types.new_enum(EnumDef {
                name,
                values: Vec::new(),
                underlying: Primitive::UnsignedInt,
                partial: false,
                complete: false,
            });
            if let Some(t) = tag {
                self.tags.insert((TagKind::Enum, t.to_owned()), id);
            }
            return Ok(id);
        };
        let name = match tag {
            Some(t) => format!("enum {t}"),
            None => "enum $".to_owned(),
        };
        let mut values = Vec::with_capacity(body.values.len());
        let mut unknown = Vec::new();
        let mut next_value: i128 = 0;
        for e in &body.values {
            let value = match &e.value {
                Some(expr) => self.eval(expr, e.span)?,
                None if body.partial => {
                    unknown.push(e.name.clone());
                    continue;
                }
                None => next_value,
            };
            self.add_constant(&e.name, value, e.span, self.current.override_)?;
            values.push((e.name.clone(), value));
            next_value = value + 1;
        }
        let underlying = enum_underlying(types, &values).ok_or_else(|| {
            ModelError::new(
                ModelErrorKind::Invalid(format!(
                    "{name} values don't all fit into either 'long' or 'unsigned long'"
                )),
                span,
            )
        })?;
        let def = EnumDef {
            name,
            values,
            underlying,
            partial: body.partial,
            complete: true,
        };
        let id = match existing {
            Some(id) => {
                let Type::Enum(eid) = *types.get(id) else {
                    unreachable!("an enum type")
                };
                if types.enum_def(eid).complete && !self.current.override_ {
                    return Err(ModelError::new(
                        ModelErrorKind::Invalid(format!("duplicate declaration of {}", def.name)),
                        body.span,
                    ));
                }
                types.set_enum(eid, def);
                id
            }
            None => {
                let id = types.new_enum(def);
                match tag {
                    Some(t) => {
                        self.tags.insert((TagKind::Enum, t.to_owned()), id);
                    }
                    None => self.unnamed.push(id),
                }
                id
            }
        };
        self.bodies.insert(body.span.start, id);
        for name in unknown {
            self.partial_enumerators.insert(name, id);
        }
        Ok(id)
    }

    /// Gives the anonymous records and enums still unnamed their `$N`.
    fn number_anonymous(&mut self, types: &mut TypeTable) {
        for id in std::mem::take(&mut self.unnamed) {
            match *types.get(id) {
                Type::Record(r) if types.record(r).name.ends_with(" $") => {
                    let number = types.anonymous_name();
                    let name = format!("{}{}", types.record(r).name, &number[1..]);
                    types.rename_record(r, name);
                    self.anonymous.push(id);
                }
                Type::Enum(e) if types.enum_def(e).name.ends_with(" $") => {
                    let mut def = types.enum_def(e).clone();
                    def.name = format!("{}{}", def.name, &types.anonymous_name()[1..]);
                    types.set_enum(e, def);
                    self.anonymous.push(id);
                }
                _ => {}
            }
        }
    }

    fn eval_unsigned(&self, e: &Expr, span: Span, what: &str) -> Result<u64, ModelError> {
        let v = self.eval(e, span)?;
        u64::try_from(v).map_err(|_| {
            ModelError::new(
                ModelErrorKind::Invalid(format!("negative {what} {v}")),
                span,
            )
        })
    }

    /// The struct, union and enum tags declared or mentioned, by kind:
    /// `(structs, unions, enums)`, each sorted.
    pub fn tag_names(&self) -> (Vec<String>, Vec<String>, Vec<String>) {
        let mut out = (Vec::new(), Vec::new(), Vec::new());
        for (kind, name) in self.tags.keys() {
            match kind {
                TagKind::Struct => out.0.push(name.clone()),
                TagKind::Union => out.1.push(name.clone()),
                TagKind::Enum => out.2.push(name.clone()),
            }
        }
        out.0.sort();
        out.1.sort();
        out.2.sort();
        out
    }

    fn named(
        &mut self,
        types: &mut TypeTable,
        name: &str,
        span: Span,
    ) -> Result<TypeId, ModelError> {
        if let Some(&id) = self.typedefs.get(name) {
            return Ok(id);
        }
        if let Some(p) = Primitive::from_name(name) {
            return Ok(types.primitive(p));
        }
        if name == "FILE" {
            return Ok(types.file_record());
        }
        Err(ModelError::new(
            ModelErrorKind::UnknownType(name.to_owned()),
            span,
        ))
    }

    /// A function type with C's parameter adjustments applied.
    fn resolve_function(
        &mut self,
        types: &mut TypeTable,
        f: &FunctionExpr,
        span: Span,
    ) -> Result<TypeId, ModelError> {
        let result = self.resolve(types, &f.result, span)?;
        match types.get(result) {
            Type::Array { .. } => {
                return Err(ModelError::new(
                    ModelErrorKind::InvalidResultType(types.c_name(result)),
                    span,
                ))
            }
            Type::Function(_) => {
                return Err(ModelError::new(
                    ModelErrorKind::Invalid("function returning a function".into()),
                    span,
                ))
            }
            _ => {}
        }
        let mut args = Vec::with_capacity(f.params.len());
        for param in &f.params {
            let id = self.resolve(types, &param.ty, param.span)?;
            let adjusted = match types.get(id) {
                Type::Array { item, .. } => types.pointer(*item),
                Type::Function(_) => types.pointer(id),
                _ => id,
            };
            args.push(adjusted);
        }
        // `(void)`, also through a typedef of void, means no parameters.
        let void = types.void();
        if args.len() == 1 && args[0] == void && f.params[0].name.is_none() && !f.variadic {
            args.clear();
        }
        if let Some(pos) = args.iter().position(|&a| a == void) {
            return Err(ModelError::new(
                ModelErrorKind::Invalid("'void' must be the only parameter".into()),
                f.params[pos].span,
            ));
        }
        Ok(types.intern(Type::Function(FunctionType {
            args,
            result,
            variadic: f.variadic,
            abi: CallConv::Default,
        })))
    }
}

/// The integer type of an enum in the in-line FFI (F-01.69): unsigned
/// if no value is negative, and the smallest of int/long that holds them.
fn enum_underlying(types: &TypeTable, values: &[(String, i128)]) -> Option<Primitive> {
    let target = types.target();
    let fits = |p: Primitive| {
        let (lo, hi) = p.int_range(target).expect("integer type");
        values.iter().all(|(_, v)| (lo..=hi).contains(v))
    };
    let candidates: &[Primitive] = if values.iter().all(|(_, v)| *v >= 0) {
        &[
            Primitive::UnsignedInt,
            Primitive::UnsignedLong,
            Primitive::UnsignedLongLong,
        ]
    } else {
        &[Primitive::Int, Primitive::Long, Primitive::LongLong]
    };
    candidates.iter().copied().find(|&p| fits(p))
}

/// The in-line FFI's naming of records and enums by typedefs (F-01.60,
/// F-01.62, F-01.71): the first typedef that names a struct, union or enum
/// directly (not through a pointer) becomes its display name, whether the
/// type was anonymous or tagged (`typedef struct foo {...} foo_t;` and
/// `typedef struct foo foo_t;` both make `struct foo` print as `foo_t`).
fn name_anonymous(types: &mut TypeTable, ty: &TypeExpr, id: TypeId, name: &str) {
    if !matches!(ty, TypeExpr::Record { .. } | TypeExpr::Enum { .. }) {
        return;
    }
    match types.get(id).clone() {
        Type::Record(rid) => {
            let rec = types.record(rid);
            let keyword = if rec.kind == RecordKind::Struct {
                "struct "
            } else {
                "union "
            };
            if rec.name.starts_with(keyword) {
                types.rename_record(rid, name.to_owned());
            }
        }
        Type::Enum(eid) if types.enum_def(eid).name.starts_with("enum ") => {
            let mut def = types.enum_def(eid).clone();
            name.clone_into(&mut def.name);
            types.set_enum(eid, def);
        }
        _ => {}
    }
}

mod build;
mod include;

pub use build::{Listing, Tag};
#[cfg(test)]
mod tests;
