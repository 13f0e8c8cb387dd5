//! Syntax-tree types into interned types: records and enums completed
//! from their bodies, C's parameter adjustments, and each type's written
//! form (see [`crate::written`]) beside its run-time one.

use super::{Declarations, Space, TagKind};
use crate::error::{ModelError, ModelErrorKind};
use crate::record::{EnumDef, FieldDef, RecordBodyDef, RecordKind};
use crate::types::{CallConv, FunctionType, Type, TypeId, TypeTable};
use crate::written::{Shape, Written, WrittenFunction};
use crate::Primitive;
use cdef_parse::SmolStr;
use cdef_parse::{ArrayLen, Expr, FunctionExpr, Quals, Span, TypeExpr};

impl Declarations {
    /// Resolves a syntax-tree type into an interned type.
    pub fn resolve(
        &mut self,
        types: &mut TypeTable,
        expr: &TypeExpr,
        span: Span,
    ) -> Result<TypeId, ModelError> {
        Ok(self.resolve_written(types, expr, span)?.0)
    }

    /// Resolves a syntax-tree type into an interned type, its written form
    /// (see [`crate::written`]) and the qualifiers of its outer level,
    /// which a pointer to it keeps.
    pub(super) fn resolve_written(
        &mut self,
        types: &mut TypeTable,
        expr: &TypeExpr,
        span: Span,
    ) -> Result<(TypeId, Written, Quals), ModelError> {
        let plain = |id: TypeId, quals: &Quals| (id, Written::Plain(id), *quals);
        Ok(match expr {
            TypeExpr::Builtin { ty, quals } => match Primitive::from_builtin(*ty) {
                Some(p) => plain(types.primitive(p), quals),
                None => plain(types.void(), quals),
            },
            TypeExpr::Named { name, quals } => {
                let (id, written, inner) = self.named(types, name, span)?;
                (id, written, inner | *quals)
            }
            TypeExpr::Pointer { pointee, quals } => {
                let (item, written, inner) = self.resolve_written(types, pointee, span)?;
                let id = types.pointer(item);
                (id, Written::pointer(id, written, inner), *quals)
            }
            TypeExpr::Array { item, len } => {
                let (item_id, item_written, item_quals) =
                    self.resolve_written(types, item, span)?;
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
                    // Items of a length only the compiler knows (`int
                    // a[...][...]`, `int a[][...]`) are fine in API mode.
                    Type::Array { len: None, .. }
                        if !matches!(item_written, Written::CompilerArray(..)) =>
                    {
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
                    // `T[...]`: `T[]` at run time; the C compiler gives
                    // the length of the object the declaration names
                    // (F-08.46), filled in by the declaration.
                    Some(ArrayLen::Dots) => {
                        let id = types.intern(Type::Array {
                            item: item_id,
                            len: None,
                        });
                        return Ok((
                            id,
                            Written::CompilerArray(Box::new(item_written), String::new()),
                            item_quals,
                        ));
                    }
                };
                let id = types.intern(Type::Array { item: item_id, len });
                if len.is_some() && types.size_of(item_id).is_some() && types.size_of(id).is_none()
                {
                    return Err(invalid("array too large"));
                }
                // The items' qualifiers go outwards: a pointer made from
                // the array (a parameter) keeps them.
                (id, Written::array(id, item_written, len), item_quals)
            }
            TypeExpr::Function(f) => {
                let (id, written) = self.resolve_function(types, f, span)?;
                (id, written, Quals::NONE)
            }
            TypeExpr::Record {
                kind,
                tag,
                body,
                quals,
            } => plain(
                self.resolve_record(types, *kind, tag.as_deref(), body.as_deref())?,
                quals,
            ),
            TypeExpr::Enum { tag, body, quals } => plain(
                self.resolve_enum(types, tag.as_deref(), body.as_deref(), span)?,
                quals,
            ),
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
    pub(super) fn resolve_record(
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
            Some(t) => match self.tags.get(&(tag_kind, SmolStr::new(t))) {
                Some(&id) => id,
                None => {
                    let id = types.new_record(kind, format!("{keyword} {t}"));
                    self.tags.insert((tag_kind, SmolStr::new(t)), id);
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
        // Even with `override=True`, as in cffi: ctypes and cdata already
        // made keep the old layout, so a new one cannot replace it.
        if types.record(rid).body.is_some() {
            return Err(ModelError::new(
                ModelErrorKind::Invalid(format!(
                    "duplicate declaration of {}",
                    types.record(rid).name
                )),
                body.span,
            ));
        }
        let mut fields = Vec::with_capacity(body.fields.len());
        let mut written = Vec::new();
        let mut compiler_lengths = false;
        let mut quals = Vec::new();
        for (i, f) in body.fields.iter().enumerate() {
            let (ty, mut w, q) = self.resolve_written(types, &f.ty, f.span)?;
            if q != Quals::NONE {
                quals.push((i, q));
            }
            if w.has_compiler_length() {
                // Named once the record's C name is final (see
                // `Written::with_array_object`); only the C compiler can
                // lay the record out.
                let name = f.name.as_deref().unwrap_or_default();
                w = w.with_array_object(&format!("->{name}"), None);
                compiler_lengths = true;
            }
            if !w.is_plain() {
                written.push((i, w));
            }
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
        // A struct held by value that is partial makes its holder partial
        // too (only the compiler knows either layout), as in the original.
        let holds_partial = fields.iter().any(|f| {
            matches!(types.get(f.ty), Type::Record(r)
                if types.record(*r).kind == RecordKind::Struct
                    && types.record(*r).body.as_ref().is_some_and(|b| b.partial))
        });
        let partial = body.partial || compiler_lengths || holds_partial;
        if partial && kind == RecordKind::Struct && fields.iter().any(|f| f.bits.is_some()) {
            return Err(ModelError::new(
                ModelErrorKind::NotImplemented(format!(
                    "<{}>: using both bitfields and '...;'",
                    types.record(rid).name
                )),
                body.span,
            ));
        }
        let pack = body.pragma_pack.map(u64::from).or(self.current.pack);
        types.complete_record(
            rid,
            RecordBodyDef {
                fields,
                partial,
                packed: body.packed || self.current.packed,
                pack,
                aligned,
                total: None,
                bitfields: None,
                foreign_byte_order: false,
            },
        );
        if written.is_empty() {
            self.written_fields.remove(&id);
        } else {
            self.written_fields.insert(id, written);
        }
        if quals.is_empty() {
            self.field_quals.remove(&id);
        } else {
            self.field_quals.insert(id, quals);
        }
        Ok(id)
    }

    /// `enum tag` or an anonymous enum; its enumerators become integer
    /// constants and choose its integer type (F-01.63..F-01.69).
    pub(super) fn resolve_enum(
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
        let existing = tag.and_then(|t| self.tags.get(&(TagKind::Enum, SmolStr::new(t))).copied());
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
                self.tags.insert((TagKind::Enum, SmolStr::new(t)), id);
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
                // Even with `override=True`, as in cffi (see records).
                if types.enum_def(eid).complete {
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
                        self.tags.insert((TagKind::Enum, SmolStr::new(t)), id);
                    }
                    None => self.unnamed.push(id),
                }
                id
            }
        };
        self.bodies.insert(body.span.start, id);
        if body.partial {
            let order = body.values.iter().map(|e| e.name.clone()).collect();
            self.partial_enum_order.insert(id, order);
        }
        for name in unknown {
            let clash = self.constants.contains_key(&name)
                || self
                    .partial_enumerators
                    .get(&name)
                    .is_some_and(|&e| e != id);
            if clash && !self.enumerator_clashes.contains(&name) {
                // Only C can tell the values apart; generating refuses it.
                self.enumerator_clashes.push(name.clone());
            }
            self.partial_enumerators.insert(name, id);
        }
        Ok(id)
    }

    /// Gives the anonymous records and enums still unnamed their `$N`.
    pub(super) fn number_anonymous(&mut self, types: &mut TypeTable) {
        for id in std::mem::take(&mut self.unnamed) {
            match *types.get(id) {
                Type::Record(r) if types.record(r).name.ends_with(" $") => {
                    self.anonymous_count += 1;
                    let name = format!("{}{}", types.record(r).name, self.anonymous_count);
                    types.rename_record(r, name);
                    self.anonymous.push(id);
                }
                Type::Enum(e) if types.enum_def(e).name.ends_with(" $") => {
                    self.anonymous_count += 1;
                    let mut def = types.enum_def(e).clone();
                    def.name = format!("{}{}", def.name, self.anonymous_count);
                    types.set_enum(e, def);
                    self.anonymous.push(id);
                }
                _ => {}
            }
        }
    }

    pub(super) fn eval_unsigned(
        &self,
        e: &Expr,
        span: Span,
        what: &str,
    ) -> Result<u64, ModelError> {
        let v = self.eval(e, span)?;
        u64::try_from(v).map_err(|_| {
            ModelError::new(
                ModelErrorKind::Invalid(format!("negative {what} {v}")),
                span,
            )
        })
    }

    pub(super) fn named(
        &mut self,
        types: &mut TypeTable,
        name: &str,
        span: Span,
    ) -> Result<(TypeId, Written, Quals), ModelError> {
        if let Some(&id) = self.typedefs.get(name) {
            let quals = self.typedef_quals.get(name).copied().unwrap_or_default();
            return Ok((id, self.written(Space::Typedef, name, id), quals));
        }
        let plain = |id| (id, Written::Plain(id), Quals::NONE);
        if let Some(p) = Primitive::from_name(name) {
            return Ok(plain(types.primitive(p)));
        }
        if name == "FILE" {
            return Ok(plain(types.file_record()));
        }
        Err(ModelError::new(
            ModelErrorKind::UnknownType(name.to_owned()),
            span,
        ))
    }

    /// A function type with C's parameter adjustments applied.
    pub(super) fn resolve_function(
        &mut self,
        types: &mut TypeTable,
        f: &FunctionExpr,
        span: Span,
    ) -> Result<(TypeId, Written), ModelError> {
        // A result's own qualifiers are dropped, as in cffi.
        let (result, result_written, _) = self.resolve_written(types, &f.result, span)?;
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
        let mut args_written = Vec::with_capacity(f.params.len());
        for param in &f.params {
            let (id, written, quals) = self.resolve_written(types, &param.ty, param.span)?;
            let (adjusted, written) = match *types.get(id) {
                // `const char s[]` is a `char const *`.
                Type::Array { item, .. } => {
                    let ptr = types.pointer(item);
                    let item_written = match written.shape(types) {
                        Shape::Array(item_written, _) | Shape::CompilerArray(item_written, _) => {
                            item_written
                        }
                        _ => Written::Plain(item),
                    };
                    (ptr, Written::pointer(ptr, item_written, quals))
                }
                Type::Function(_) => {
                    let ptr = types.pointer(id);
                    (ptr, Written::pointer(ptr, written, Quals::NONE))
                }
                _ => (id, written),
            };
            args.push(adjusted);
            args_written.push(written);
        }
        // `(void)`, also through a typedef of void, means no parameters.
        let void = types.void();
        if args.len() == 1 && args[0] == void && f.params[0].name.is_none() && !f.variadic {
            args.clear();
            args_written.clear();
        }
        if let Some(pos) = args.iter().position(|&a| a == void) {
            return Err(ModelError::new(
                ModelErrorKind::Invalid("'void' must be the only parameter".into()),
                f.params[pos].span,
            ));
        }
        let variadic = f.variadic;
        let id = types.intern(Type::Function(FunctionType {
            args,
            result,
            variadic,
            abi: CallConv::Default,
        }));
        let written = Written::function(
            id,
            WrittenFunction {
                args: args_written,
                result: result_written,
                variadic,
            },
        );
        Ok((id, written))
    }
}

/// The integer type of an enum in the in-line FFI (F-01.69): unsigned
/// if no value is negative, and the smallest of int/long that holds them.
fn enum_underlying(types: &TypeTable, values: &[(SmolStr, i128)]) -> Option<Primitive> {
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
