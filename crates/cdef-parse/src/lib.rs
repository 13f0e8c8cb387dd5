//! `cdef-parse` reads the C declarations that cffi users pass to
//! `ffi.cdef()`, and the small C type strings that `ffi.new()`,
//! `ffi.cast()` or `ffi.typeof()` take, into a syntax tree with byte spans.
//!
//! It knows C syntax and nothing else: not the size of a type, not Python,
//! not libffi. Which identifiers name types is asked of the caller through
//! [`TypeNames`], so that typedefs declared by an earlier `cdef()` call (or a
//! user typedef that replaces a predeclared name such as `int32_t`) steer the
//! parse of later text.
//!
//! Errors are plain data (a kind and a byte span); [`SourceMap`] renders them
//! with file, line, column and the offending line, honouring `# N "file"`
//! line directives.
//!
//! ```
//! use cdef_parse::{parse_cdef, DeclKind, Predeclared, TypeExpr, Builtin};
//!
//! let cdef = parse_cdef("size_t strlen(const char *s);", &Predeclared).unwrap();
//! let decl = &cdef.decls[0];
//! assert_eq!(decl.name, "strlen");
//! let DeclKind::Function(func) = &decl.kind else { panic!() };
//! assert_eq!(*func.result, TypeExpr::Named { name: "size_t".into(), quals: Default::default() });
//! assert!(matches!(&func.params[0].ty, TypeExpr::Pointer { pointee, .. }
//!     if **pointee == TypeExpr::Builtin { ty: Builtin::Char, quals: cdef_parse::Quals::CONST }));
//! ```

#![forbid(unsafe_code)]

mod ast;
mod compiled;
mod diagnostic;
mod error;
mod lexer;
mod parser;
mod print;

pub use ast::{
    ArrayLen, BinaryOp, Builtin, CallConvKw, Cdef, Decl, DeclKind, EnumBody, Enumerator, Expr,
    Field, FunctionExpr, MacroValue, Param, Quals, RecordBody, RecordKind, SmolStr, Storage,
    TypeExpr, UnaryOp, Warning, WarningKind,
};
pub use compiled::{parse_compiled_type, CompiledNames, CompiledTypeError};
pub use diagnostic::{Location, SourceMap};
pub use error::{ParseError, ParseErrorKind};
pub use lexer::{tokenize, Token, TokenKind};
pub use parser::{parse_cdef, parse_cdef_each, parse_type, MAX_DEPTH};

/// Byte range `start..end` into the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Offset of the first byte.
    pub start: u32,
    /// Offset one past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from byte offsets.
    #[inline]
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    /// The covered text, or `""` if the span lies outside `src`.
    #[inline]
    pub fn text(self, src: &str) -> &str {
        src.get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }
}

/// Answers whether an identifier currently names a type.
///
/// C cannot be parsed without this: `foo_t * x;` declares a pointer if
/// `foo_t` is a typedef name and is an expression otherwise.
pub trait TypeNames {
    /// True if `name` is a typedef name (user-declared or predeclared).
    fn is_type_name(&self, name: &str) -> bool;
}

/// The names that cffi makes available without a declaration (F-01.87):
/// every one of them is a typedef name unless the caller says otherwise.
///
/// The meaning of each (its size, signedness...) belongs to `ctypes-model`,
/// which checks in its tests that it knows every name listed here.
pub const PREDECLARED_TYPE_NAMES: &[&str] = &[
    "bool",
    "wchar_t",
    "char16_t",
    "char32_t",
    "int8_t",
    "uint8_t",
    "int16_t",
    "uint16_t",
    "int32_t",
    "uint32_t",
    "int64_t",
    "uint64_t",
    "int_least8_t",
    "uint_least8_t",
    "int_least16_t",
    "uint_least16_t",
    "int_least32_t",
    "uint_least32_t",
    "int_least64_t",
    "uint_least64_t",
    "int_fast8_t",
    "uint_fast8_t",
    "int_fast16_t",
    "uint_fast16_t",
    "int_fast32_t",
    "uint_fast32_t",
    "int_fast64_t",
    "uint_fast64_t",
    "intptr_t",
    "uintptr_t",
    "intmax_t",
    "uintmax_t",
    "ptrdiff_t",
    "size_t",
    "ssize_t",
    "FILE",
    // The names cffi prints for the complex types; accepted back so that
    // every printed type name parses.
    "_cffi_float_complex_t",
    "_cffi_double_complex_t",
];

/// The type-name scope that knows only the predeclared names.
#[derive(Debug, Clone, Copy, Default)]
pub struct Predeclared;

impl TypeNames for Predeclared {
    fn is_type_name(&self, name: &str) -> bool {
        // Every predeclared name ends in `_t` except these three, so most
        // identifiers are answered without a search.
        (name.ends_with("_t") || matches!(name, "bool" | "FILE"))
            && PREDECLARED_TYPE_NAMES.contains(&name)
    }
}
