//! Declarations by name: what `cdef()` declared, resolved into types.

use crate::error::{ModelError, ModelErrorKind};
use crate::types::{CallConv, FunctionType, Type, TypeId, TypeTable};
use crate::Primitive;
use cdef_parse::{
    ArrayLen, Cdef, DeclKind, Expr, FunctionExpr, MacroValue, Predeclared, Span, TypeExpr,
    TypeNames, Warning,
};
use indexmap::IndexMap;

/// Options of one `cdef()` call.
#[derive(Debug, Clone, Copy, Default)]
pub struct CdefOptions {
    /// `override=True`: later declarations replace earlier ones silently.
    pub override_: bool,
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
        let cdef = cdef_parse::parse_cdef(src, self)?;
        self.declare(types, &cdef, options)?;
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
        for decl in &cdef.decls {
            let unsupported = |what: &str| {
                Err(ModelError::new(
                    ModelErrorKind::Unsupported(what.to_owned()),
                    decl.span,
                ))
            };
            let (kind, id) = match &decl.kind {
                DeclKind::Typedef(ty) => ("typedef", next.resolve(types, ty, decl.span)?),
                DeclKind::Function(f) => {
                    let func = next.resolve_function(types, f, decl.span)?;
                    ("function", types.pointer(func))
                }
                DeclKind::Variable { ty, .. } => {
                    let id = next.resolve(types, ty, decl.span)?;
                    if let Type::Void = types.get(id) {
                        return Err(ModelError::new(
                            ModelErrorKind::Invalid(format!(
                                "variable '{}' declared as void",
                                decl.name
                            )),
                            decl.span,
                        ));
                    }
                    ("variable", id)
                }
                DeclKind::Macro(MacroValue::Expr(e)) => {
                    let value = next.eval(e, decl.span)?;
                    next.add_constant(&decl.name, value, decl.span, options.override_)?;
                    continue;
                }
                DeclKind::Constant { ty, value: Some(e) } => {
                    let id = next.resolve(types, ty, decl.span)?;
                    match types.get(id) {
                        Type::Primitive(p) if p.is_integer() => {}
                        _ => return unsupported("'static const' constants of non-integer types"),
                    }
                    let value = next.eval(e, decl.span)?;
                    next.add_constant(&decl.name, value, decl.span, options.override_)?;
                    continue;
                }
                DeclKind::Macro(MacroValue::Dots) | DeclKind::Constant { value: None, .. } => {
                    return unsupported(
                        "constants whose value comes from the C compiler (API mode)",
                    )
                }
                DeclKind::ExternPython { .. } => {
                    return unsupported("extern \"Python\" functions (API mode)")
                }
                DeclKind::Tag(TypeExpr::Enum { .. }) => return unsupported("enum types"),
                DeclKind::Tag(_) => return unsupported("struct and union types"),
            };
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
    /// to it, as cffi does.
    pub fn parse_type(&self, types: &mut TypeTable, src: &str) -> Result<TypeId, ModelError> {
        let expr = cdef_parse::parse_type(src, self)?;
        let id = self.resolve(types, &expr, Span::new(0, src.len()))?;
        Ok(match types.get(id) {
            Type::Function(_) => types.pointer(id),
            _ => id,
        })
    }

    /// Looks up a declared function, variable or integer constant.
    pub fn lookup(&self, name: &str) -> Option<Declared> {
        if let Some(&id) = self.functions.get(name) {
            return Some(Declared::Function(id));
        }
        if let Some(&value) = self.constants.get(name) {
            return Some(Declared::IntConstant(value));
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
            .map(String::as_str)
    }

    /// The user typedef names, in declaration order.
    pub fn typedef_names(&self) -> impl Iterator<Item = &str> {
        self.typedefs.keys().map(String::as_str)
    }

    /// Resolves a syntax-tree type into an interned type.
    pub fn resolve(
        &self,
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
                    Type::Void => return Err(invalid("array of void")),
                    Type::Function(_) => return Err(invalid("array of functions")),
                    Type::Array { len: None, .. } => {
                        return Err(invalid("array of arrays of unknown length"))
                    }
                    _ => {}
                }
                let len = match len {
                    None => None,
                    Some(ArrayLen::Expr(e)) => {
                        let n = self.eval(e, span)?;
                        Some(
                            u64::try_from(n)
                                .map_err(|_| invalid(&format!("negative array length {n}")))?,
                        )
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
            TypeExpr::Record { .. } => {
                return Err(ModelError::new(
                    ModelErrorKind::Unsupported("struct and union types".into()),
                    span,
                ))
            }
            TypeExpr::Enum { .. } => {
                return Err(ModelError::new(
                    ModelErrorKind::Unsupported("enum types".into()),
                    span,
                ))
            }
            TypeExpr::Opaque | TypeExpr::UnknownInt | TypeExpr::UnknownFloat => {
                return Err(ModelError::new(
                    ModelErrorKind::Unsupported("types completed by the C compiler ('...')".into()),
                    span,
                ))
            }
        })
    }

    fn named(&self, types: &mut TypeTable, name: &str, span: Span) -> Result<TypeId, ModelError> {
        if let Some(&id) = self.typedefs.get(name) {
            return Ok(id);
        }
        if let Some(p) = Primitive::from_name(name) {
            return Ok(types.primitive(p));
        }
        if name == "FILE" {
            return Err(ModelError::new(
                ModelErrorKind::Unsupported("the FILE type".into()),
                span,
            ));
        }
        Err(ModelError::new(
            ModelErrorKind::UnknownType(name.to_owned()),
            span,
        ))
    }

    /// A function type with C's parameter adjustments applied.
    fn resolve_function(
        &self,
        types: &mut TypeTable,
        f: &FunctionExpr,
        span: Span,
    ) -> Result<TypeId, ModelError> {
        let result = self.resolve(types, &f.result, span)?;
        match types.get(result) {
            Type::Array { .. } => {
                return Err(ModelError::new(
                    ModelErrorKind::Invalid("function returning an array".into()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Target;

    fn setup(src: &str) -> (TypeTable, Declarations) {
        let mut types = TypeTable::new(Target::X86_64_LINUX);
        let mut decls = Declarations::new();
        decls
            .cdef(&mut types, src, &CdefOptions::default())
            .unwrap();
        (types, decls)
    }

    fn fn_name(types: &TypeTable, decls: &Declarations, name: &str) -> String {
        match decls.lookup(name) {
            Some(Declared::Function(id)) => types.c_name(id),
            other => panic!("{name}: {other:?}"),
        }
    }

    #[test]
    fn slice_functions() {
        let (types, decls) = setup(
            "int abs(int); size_t strlen(const char *); double sqrt(double x); long labs(long);",
        );
        assert_eq!(fn_name(&types, &decls, "abs"), "int(*)(int)");
        assert_eq!(fn_name(&types, &decls, "strlen"), "size_t(*)(char *)");
        assert_eq!(fn_name(&types, &decls, "sqrt"), "double(*)(double)");
        assert_eq!(fn_name(&types, &decls, "labs"), "long(*)(long)");
        assert_eq!(
            decls.names().collect::<Vec<_>>(),
            ["abs", "strlen", "sqrt", "labs"]
        );
    }

    #[test]
    fn parameter_adjustments() {
        // F-01.24, F-01.25, F-01.27, F-01.28
        let (types, decls) = setup(
            "typedef void v; int f(void); int g(); int h(v); int a(int x[5], int b[][3]); int c(int fn(long)); \
             int q(const char * restrict);",
        );
        assert_eq!(fn_name(&types, &decls, "f"), "int(*)()");
        assert_eq!(fn_name(&types, &decls, "g"), "int(*)()");
        assert_eq!(fn_name(&types, &decls, "h"), "int(*)()");
        assert_eq!(fn_name(&types, &decls, "a"), "int(*)(int *, int(*)[3])");
        assert_eq!(fn_name(&types, &decls, "c"), "int(*)(int(*)(long))");
        assert_eq!(fn_name(&types, &decls, "q"), "int(*)(char *)");
    }

    #[test]
    fn typedefs_and_overriding_predeclared_names() {
        // F-01.89: a user typedef replaces a predeclared name.
        let (mut types, decls) = setup("typedef char int32_t; typedef int32_t *p_t; p_t f(long);");
        assert_eq!(fn_name(&types, &decls, "f"), "char *(*)(long)");
        let id = decls.parse_type(&mut types, "int32_t").unwrap();
        assert_eq!(types.c_name(id), "char");
    }

    #[test]
    fn type_strings() {
        let (mut types, decls) = setup("");
        for (src, name) in [
            ("int", "int"),
            ("unsigned long int", "unsigned long"),
            ("const char *", "char *"),
            ("char * const *", "char * *"),
            ("int(int)", "int(*)(int)"),
            ("int(*)(int, ...)", "int(*)(int, ...)"),
            ("bool", "_Bool"),
            ("size_t", "size_t"),
            ("int[]", "int[]"),
        ] {
            let id = decls.parse_type(&mut types, src).unwrap();
            assert_eq!(types.c_name(id), name, "{src}");
        }
        let a = decls.parse_type(&mut types, "int(*)(int)").unwrap();
        let b = decls.parse_type(&mut types, "int(int)").unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn errors() {
        let mut types = TypeTable::new(Target::X86_64_LINUX);
        let mut decls = Declarations::new();
        let err = decls
            .cdef(&mut types, "void x;", &CdefOptions::default())
            .unwrap_err();
        assert!(matches!(err.kind, ModelErrorKind::Invalid(_)));
        let err = decls.parse_type(&mut types, "void[3]").unwrap_err();
        assert!(matches!(err.kind, ModelErrorKind::Invalid(_)));
        let err = decls
            .cdef(&mut types, "int f(int, void);", &CdefOptions::default())
            .unwrap_err();
        assert!(matches!(err.kind, ModelErrorKind::Invalid(_)));
        let err = decls.parse_type(&mut types, "foo_t").unwrap_err();
        assert!(matches!(err.kind, ModelErrorKind::Syntax(_)));
    }

    #[test]
    fn duplicates_and_override() {
        // F-01.93, F-01.94
        let mut types = TypeTable::new(Target::X86_64_LINUX);
        let mut decls = Declarations::new();
        let opts = CdefOptions::default();
        decls.cdef(&mut types, "int f(int);", &opts).unwrap();
        decls.cdef(&mut types, "int f(int x);", &opts).unwrap();
        let err = decls.cdef(&mut types, "long f(int);", &opts).unwrap_err();
        assert_eq!(
            err.to_string(),
            "multiple declarations of function f (for interactive usage, try cdef(xx, override=True))"
        );
        decls
            .cdef(&mut types, "long f(int);", &CdefOptions { override_: true })
            .unwrap();
        assert_eq!(fn_name(&types, &decls, "f"), "long(*)(int)");
    }

    #[test]
    fn failed_cdef_keeps_nothing() {
        let mut types = TypeTable::new(Target::X86_64_LINUX);
        let mut decls = Declarations::new();
        assert!(decls
            .cdef(
                &mut types,
                "int ok(int); void bad;",
                &CdefOptions::default()
            )
            .is_err());
        assert!(decls.lookup("ok").is_none());
    }
}
