//! Printing a syntax tree back as cdef text.
//!
//! The output parses back to the same tree (checked by the corpus tests and
//! the `cdef_roundtrip` fuzz target); it is canonical rather than pretty:
//! one declaration per line, expressions fully parenthesised, attributes
//! reduced to the ones that matter (packed, aligned).

use crate::ast::{
    ArrayLen, BinaryOp, CallConvKw, Cdef, Decl, DeclKind, EnumBody, Expr, Field, FunctionExpr,
    MacroValue, Quals, RecordBody, RecordKind, Storage, TypeExpr, UnaryOp,
};
use std::fmt::{self, Write as _};

impl fmt::Display for Cdef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for decl in &self.decls {
            writeln!(f, "{decl}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Decl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pack = pragma_pack(&self.kind);
        if let Some(n) = pack {
            writeln!(f, "#pragma pack(push, {n})")?;
        }
        match &self.kind {
            DeclKind::Function(func) => write!(
                f,
                "{};",
                declaration(&TypeExpr::Function(func.clone()), &self.name)
            )?,
            DeclKind::ExternPython { func, plus_c } => {
                let linkage = if *plus_c { "Python+C" } else { "Python" };
                write!(
                    f,
                    "extern \"{linkage}\" {};",
                    declaration(&TypeExpr::Function(func.clone()), &self.name)
                )?;
            }
            DeclKind::Variable { ty, storage } => {
                let storage = match storage {
                    Storage::None => "",
                    Storage::Extern => "extern ",
                    Storage::Static => "static ",
                };
                write!(f, "{storage}{};", declaration(ty, &self.name))?;
            }
            DeclKind::Typedef(ty) => write!(f, "typedef {};", declaration(ty, &self.name))?,
            DeclKind::Constant { ty, value } => {
                write!(f, "static {}", declaration(ty, &self.name))?;
                if let Some(v) = value {
                    write!(f, " = {v}")?;
                }
                f.write_str(";")?;
            }
            DeclKind::Macro(MacroValue::Dots) => write!(f, "#define {} ...", self.name)?,
            DeclKind::Macro(MacroValue::Expr(e)) => write!(f, "#define {} {e}", self.name)?,
            DeclKind::Tag(ty) => write!(f, "{};", base(ty))?,
        }
        if pack.is_some() {
            write!(f, "\n#pragma pack(pop)")?;
        }
        Ok(())
    }
}

/// The `#pragma pack` value in force for a declaration's struct bodies
/// (directives stand between declarations, so one value covers them all).
fn pragma_pack(kind: &DeclKind) -> Option<u32> {
    fn in_type(ty: &TypeExpr) -> Option<u32> {
        match ty {
            TypeExpr::Record { body: Some(b), .. } => b
                .pragma_pack
                .or_else(|| b.fields.iter().find_map(|field| in_type(&field.ty))),
            TypeExpr::Pointer { pointee: t, .. } | TypeExpr::Array { item: t, .. } => in_type(t),
            TypeExpr::Function(func) => {
                in_type(&func.result).or_else(|| func.params.iter().find_map(|p| in_type(&p.ty)))
            }
            _ => None,
        }
    }
    match kind {
        DeclKind::Variable { ty, .. }
        | DeclKind::Typedef(ty)
        | DeclKind::Constant { ty, .. }
        | DeclKind::Tag(ty) => in_type(ty),
        DeclKind::Function(func) | DeclKind::ExternPython { func, .. } => {
            in_type(&TypeExpr::Function(func.clone()))
        }
        DeclKind::Macro(_) => None,
    }
}

impl fmt::Display for TypeExpr {
    /// The type as a type string (an abstract declarator).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(declaration(self, "").trim_end())
    }
}

fn quals_prefix(quals: Quals) -> String {
    let mut s = String::new();
    if quals.contains(Quals::CONST) {
        s.push_str("const ");
    }
    if quals.contains(Quals::VOLATILE) {
        s.push_str("volatile ");
    }
    if quals.contains(Quals::RESTRICT) {
        s.push_str("restrict ");
    }
    s
}

/// `ty` declaring `name` (empty for an abstract declarator), C's
/// inside-out syntax: the declarator grows around the name while walking
/// from the outermost derivation to the base type.
pub(crate) fn declaration(ty: &TypeExpr, name: &str) -> String {
    let mut inner = name.to_owned();
    let mut ty = ty;
    loop {
        match ty {
            TypeExpr::Pointer { pointee, quals } => {
                inner = format!("*{}{inner}", quals_prefix(*quals));
                ty = pointee;
            }
            TypeExpr::Array { item, len } => {
                if inner.starts_with('*') {
                    inner = format!("({inner})");
                }
                let len = match len {
                    None => String::new(),
                    Some(ArrayLen::Dots) => "...".to_owned(),
                    Some(ArrayLen::Expr(e)) => e.to_string(),
                };
                let _ = write!(inner, "[{len}]");
                ty = item;
            }
            TypeExpr::Function(func) => {
                let cc = match func.call_conv {
                    Some(CallConvKw::Cdecl) => "__cdecl ",
                    Some(CallConvKw::Stdcall) => "__stdcall ",
                    None => "",
                };
                if inner.starts_with('*') {
                    inner = format!("({cc}{inner})");
                } else {
                    inner = format!("{cc}{inner}");
                }
                let _ = write!(inner, "({})", params(func));
                ty = &func.result;
            }
            _ => {
                let base = base(ty);
                return if inner.is_empty() {
                    base
                } else {
                    format!("{base} {inner}")
                };
            }
        }
    }
}

fn params(func: &FunctionExpr) -> String {
    let mut parts: Vec<String> = func
        .params
        .iter()
        .map(|p| {
            declaration(&p.ty, p.name.as_deref().unwrap_or(""))
                .trim_end()
                .to_owned()
        })
        .collect();
    if func.variadic {
        parts.push("...".to_owned());
    }
    parts.join(", ")
}

/// The base of a declaration: everything but the declarator.
fn base(ty: &TypeExpr) -> String {
    match ty {
        TypeExpr::Builtin { ty, quals } => format!("{}{}", quals_prefix(*quals), ty.c_name()),
        TypeExpr::Named { name, quals } => format!("{}{name}", quals_prefix(*quals)),
        TypeExpr::Record {
            kind,
            tag,
            body,
            quals,
        } => {
            let mut s = quals_prefix(*quals);
            s.push_str(match kind {
                RecordKind::Struct => "struct",
                RecordKind::Union => "union",
            });
            if let Some(tag) = tag {
                s.push(' ');
                s.push_str(tag);
            }
            if let Some(body) = body {
                s.push_str(&record_body(body));
            }
            s
        }
        TypeExpr::Enum { tag, body, quals } => {
            let mut s = quals_prefix(*quals);
            s.push_str("enum");
            if let Some(tag) = tag {
                s.push(' ');
                s.push_str(tag);
            }
            if let Some(body) = body {
                s.push_str(&enum_body(body));
            }
            s
        }
        TypeExpr::Opaque => "...".to_owned(),
        TypeExpr::UnknownInt => "int...".to_owned(),
        TypeExpr::UnknownFloat => "double...".to_owned(),
        TypeExpr::Pointer { .. } | TypeExpr::Array { .. } | TypeExpr::Function(_) => {
            declaration(ty, "")
        }
    }
}

fn record_body(body: &RecordBody) -> String {
    let mut s = String::from(" { ");
    for field in &body.fields {
        s.push_str(&field_text(field));
        s.push(' ');
    }
    if body.partial {
        s.push_str("...; ");
    }
    s.push('}');
    if body.packed {
        s.push_str(" __attribute__((packed))");
    }
    if let Some(a) = &body.aligned {
        let _ = write!(s, " __attribute__((aligned({a})))");
    }
    s
}

fn field_text(field: &Field) -> String {
    let mut s = declaration(&field.ty, field.name.as_deref().unwrap_or(""));
    if let Some(bits) = &field.bits {
        let _ = write!(s, " : {bits}");
    }
    if field.packed {
        s.push_str(" __attribute__((packed))");
    }
    if let Some(a) = &field.aligned {
        let _ = write!(s, " __attribute__((aligned({a})))");
    }
    s.push(';');
    s
}

fn enum_body(body: &EnumBody) -> String {
    let mut items: Vec<String> = body
        .values
        .iter()
        .map(|e| match &e.value {
            Some(v) => format!("{} = {v}", e.name),
            None => e.name.to_string(),
        })
        .collect();
    if body.partial {
        items.push("...".to_owned());
    }
    format!(" {{ {} }}", items.join(", "))
}

impl fmt::Display for Expr {
    /// With the fewest parentheses that keep the tree: printing must not
    /// make expressions nest deeper than the parser's limit allows.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_expr(f, self, 0)
    }
}

/// Binding strength of the operators, as the parser reads them; unary
/// operators and casts bind tighter than any binary operator.
const UNARY_PREC: u8 = 11;

fn write_expr(f: &mut fmt::Formatter<'_>, e: &Expr, min_prec: u8) -> fmt::Result {
    match e {
        Expr::Int(n) => write!(f, "{n}"),
        Expr::Name(name, _) => f.write_str(name),
        Expr::Unary(op, inner) => {
            f.write_str(match op {
                UnaryOp::Neg => "-",
                UnaryOp::Plus => "+",
                UnaryOp::Not => "!",
                UnaryOp::BitNot => "~",
            })?;
            write_expr(f, inner, UNARY_PREC)
        }
        Expr::Cast(ty, inner) => {
            write!(f, "({ty})")?;
            write_expr(f, inner, UNARY_PREC)
        }
        Expr::Binary(op, a, b) => {
            let (text, prec) = binary_text(*op);
            let parens = prec < min_prec;
            if parens {
                f.write_str("(")?;
            }
            // Left-associative: the right operand needs parentheses at the
            // same strength, the left one does not.
            write_expr(f, a, prec)?;
            write!(f, " {text} ")?;
            write_expr(f, b, prec + 1)?;
            if parens {
                f.write_str(")")?;
            }
            Ok(())
        }
    }
}

/// The operator's text and binding strength (the parser's table).
fn binary_text(op: BinaryOp) -> (&'static str, u8) {
    let text = match op {
        BinaryOp::Mul => "*",
        BinaryOp::Div => "/",
        BinaryOp::Rem => "%",
        BinaryOp::Add => "+",
        BinaryOp::Sub => "-",
        BinaryOp::Shl => "<<",
        BinaryOp::Shr => ">>",
        BinaryOp::Lt => "<",
        BinaryOp::Gt => ">",
        BinaryOp::Le => "<=",
        BinaryOp::Ge => ">=",
        BinaryOp::Eq => "==",
        BinaryOp::Ne => "!=",
        BinaryOp::BitAnd => "&",
        BinaryOp::BitXor => "^",
        BinaryOp::BitOr => "|",
        BinaryOp::And => "&&",
        BinaryOp::Or => "||",
    };
    let (_, prec) =
        crate::parser::binary_op(text).expect("every operator is in the parser's table");
    (text, prec)
}
