//! The syntax tree: what the text said, before any type is resolved.
//!
//! The tree stays faithful to the source: `int f(void)` keeps its `void`
//! parameter, `int a[5]` as a parameter stays an array, and qualifiers are
//! kept. Adjusting these to C's rules is the type model's job.

use crate::Span;
pub use smol_str::SmolStr;

/// A parsed `cdef()` text: its declarations in source order, and what the
/// parser warns about (cffi reports these as Python `UserWarning`s).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cdef {
    /// The declarations, in the order they appear.
    pub decls: Vec<Decl>,
    /// Things accepted but worth telling the user about.
    pub warnings: Vec<Warning>,
}

/// A warning: accepted, but probably not what the user meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// What it is about.
    pub kind: WarningKind,
    /// Where.
    pub span: Span,
}

/// The kinds of warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WarningKind {
    /// A `#pragma` other than `pack`, ignored.
    PragmaIgnored,
    /// A string literal (inside an attribute), ignored.
    StringLiteralIgnored,
    /// A global declared without `extern` or `static`.
    MissingStorageClass(String),
}

impl std::fmt::Display for WarningKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WarningKind::PragmaIgnored => f.write_str("#pragma in cdef() is ignored (only '#pragma pack' is honoured)"),
            WarningKind::StringLiteralIgnored => f.write_str("string literals are ignored in cdef()"),
            WarningKind::MissingStorageClass(name) => write!(
                f,
                "global variable '{name}' is declared without 'extern' or 'static'; write 'extern' to declare a variable defined in C"
            ),
        }
    }
}

/// One declared name.
#[derive(Debug, Clone, PartialEq)]
pub struct Decl {
    /// The declared identifier (for a tag declaration, the tag; empty for
    /// an anonymous one).
    pub name: SmolStr,
    /// What kind of declaration this is, and its type.
    pub kind: DeclKind,
    /// Where the declarator's name stands in the source (for diagnostics).
    pub span: Span,
}

/// The kinds of declaration.
#[derive(Debug, Clone, PartialEq)]
pub enum DeclKind {
    /// `ret name(params);`
    Function(FunctionExpr),
    /// `extern "Python" ret name(params);`: implemented in Python.
    ExternPython {
        /// The function's type.
        func: FunctionExpr,
        /// `"Python+C"`: the generated C function is not `static`.
        plus_c: bool,
    },
    /// `[extern] type name;`
    Variable {
        /// The declared type.
        ty: TypeExpr,
        /// The storage-class specifier written, if any.
        storage: Storage,
    },
    /// `typedef type name;`
    Typedef(TypeExpr),
    /// `static const T NAME = expr;` or `static const T NAME;` (the value
    /// then comes from C).
    Constant {
        /// The declared type.
        ty: TypeExpr,
        /// The initializer, if written.
        value: Option<Expr>,
    },
    /// `#define NAME value`.
    Macro(MacroValue),
    /// A struct, union or enum declared by itself: `struct foo { ... };`,
    /// `struct foo;`, `enum e { A, B };`. The type holds the body, if any.
    Tag(TypeExpr),
}

/// The value of a `#define`.
#[derive(Debug, Clone, PartialEq)]
pub enum MacroValue {
    /// `#define X ...`: the C compiler knows.
    Dots,
    /// An integer constant expression.
    Expr(Expr),
}

/// A storage-class specifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Storage {
    /// None written.
    #[default]
    None,
    /// `extern`
    Extern,
    /// `static`
    Static,
}

/// Type qualifiers, as a small set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Quals(u8);

impl Quals {
    /// No qualifier.
    pub const NONE: Quals = Quals(0);
    /// `const`
    pub const CONST: Quals = Quals(1);
    /// `volatile`
    pub const VOLATILE: Quals = Quals(2);
    /// `restrict` (and its spellings `__restrict`, `__restrict__`)
    pub const RESTRICT: Quals = Quals(4);

    /// True if every qualifier of `other` is in `self`.
    pub fn contains(self, other: Quals) -> bool {
        self.0 & other.0 == other.0
    }

    /// True if no qualifier is set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl std::ops::BitOr for Quals {
    type Output = Quals;
    fn bitor(self, rhs: Quals) -> Quals {
        Quals(self.0 | rhs.0)
    }
}

impl std::ops::BitOrAssign for Quals {
    fn bitor_assign(&mut self, rhs: Quals) {
        self.0 |= rhs.0;
    }
}

/// The types that C spells with keywords, in their canonical form:
/// `long int signed` and `signed long` are both [`Builtin::Long`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each variant is the C type its name spells
pub enum Builtin {
    Void,
    Char,
    SignedChar,
    UnsignedChar,
    Short,
    UnsignedShort,
    Int,
    UnsignedInt,
    Long,
    UnsignedLong,
    LongLong,
    UnsignedLongLong,
    Float,
    Double,
    LongDouble,
    Bool,
    FloatComplex,
    DoubleComplex,
}

impl Builtin {
    /// True for the integer types (`char` included, `_Bool` not).
    pub fn is_integer(self) -> bool {
        !matches!(
            self,
            Builtin::Void
                | Builtin::Float
                | Builtin::Double
                | Builtin::LongDouble
                | Builtin::Bool
                | Builtin::FloatComplex
                | Builtin::DoubleComplex
        )
    }

    /// The canonical C spelling, as cffi prints it.
    pub fn c_name(self) -> &'static str {
        match self {
            Builtin::Void => "void",
            Builtin::Char => "char",
            Builtin::SignedChar => "signed char",
            Builtin::UnsignedChar => "unsigned char",
            Builtin::Short => "short",
            Builtin::UnsignedShort => "unsigned short",
            Builtin::Int => "int",
            Builtin::UnsignedInt => "unsigned int",
            Builtin::Long => "long",
            Builtin::UnsignedLong => "unsigned long",
            Builtin::LongLong => "long long",
            Builtin::UnsignedLongLong => "unsigned long long",
            Builtin::Float => "float",
            Builtin::Double => "double",
            Builtin::LongDouble => "long double",
            Builtin::Bool => "_Bool",
            Builtin::FloatComplex => "float _Complex",
            Builtin::DoubleComplex => "double _Complex",
        }
    }
}

/// The length written between the brackets of an array declarator.
#[derive(Debug, Clone, PartialEq)]
pub enum ArrayLen {
    /// An integer constant expression.
    Expr(Expr),
    /// `[...]`: to be filled in by the C compiler (API mode).
    Dots,
}

/// An integer constant expression, as in `#define`, enumerator values,
/// array lengths and bit widths.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// An integer literal (any base, suffixes dropped) or character literal.
    Int(u64),
    /// A reference to an earlier constant.
    Name(SmolStr, Span),
    /// A unary operator applied to an operand.
    Unary(UnaryOp, Box<Expr>),
    /// A binary operator.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `(type) expr`.
    Cast(Box<TypeExpr>, Box<Expr>),
}

/// Unary operators of constant expressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)] // C's operators
pub enum UnaryOp {
    Neg,
    Plus,
    Not,
    BitNot,
}

/// Binary operators of constant expressions, in C's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)] // C's operators
pub enum BinaryOp {
    Mul,
    Div,
    Rem,
    Add,
    Sub,
    Shl,
    Shr,
    Lt,
    Gt,
    Le,
    Ge,
    Eq,
    Ne,
    BitAnd,
    BitXor,
    BitOr,
    And,
    Or,
}

/// `struct` or `union`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// `struct`
    Struct,
    /// `union`
    Union,
}

/// The `{ ... }` of a struct or union.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordBody {
    /// Where the body starts (its `{`): identifies the body when one
    /// declaration names it several times (`typedef struct {...} a, *b;`).
    pub span: Span,
    /// The fields in order.
    pub fields: Vec<Field>,
    /// True if `...;` ends the field list (layout from the C compiler).
    pub partial: bool,
    /// `__attribute__((packed))` on the struct.
    pub packed: bool,
    /// `__attribute__((aligned(N)))` on the struct.
    pub aligned: Option<Expr>,
    /// The `#pragma pack` value in force where the body was written.
    pub pragma_pack: Option<u32>,
}

/// One field of a struct or union.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The field's name; `None` for unnamed bit fields and anonymous
    /// nested structs/unions.
    pub name: Option<SmolStr>,
    /// The field's type.
    pub ty: TypeExpr,
    /// The width of a bit field.
    pub bits: Option<Expr>,
    /// `__attribute__((packed))` on the field.
    pub packed: bool,
    /// `__attribute__((aligned(N)))` on the field.
    pub aligned: Option<Expr>,
    /// Where the field stands.
    pub span: Span,
}

/// The `{ ... }` of an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumBody {
    /// Where the body starts (its `{`).
    pub span: Span,
    /// The enumerators in order.
    pub values: Vec<Enumerator>,
    /// True if the list ends with `...` or some value is `...`.
    pub partial: bool,
}

/// One enumerator.
#[derive(Debug, Clone, PartialEq)]
pub struct Enumerator {
    /// Its name.
    pub name: SmolStr,
    /// Its value expression; `None` means previous + 1 (or 0). A `= ...`
    /// value is recorded as `None` and makes the enum partial.
    pub value: Option<Expr>,
    /// Where the name stands.
    pub span: Span,
}

/// A type as written, with its declarator applied.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeExpr {
    /// A keyword type such as `unsigned long`.
    Builtin {
        /// Which one.
        ty: Builtin,
        /// Qualifiers written with it.
        quals: Quals,
    },
    /// A typedef name, predeclared (`size_t`) or user-declared.
    Named {
        /// The identifier.
        name: SmolStr,
        /// Qualifiers written with it.
        quals: Quals,
    },
    /// `T *`
    Pointer {
        /// The pointed-to type.
        pointee: Box<TypeExpr>,
        /// Qualifiers of the pointer itself (`T * const`).
        quals: Quals,
    },
    /// `T[N]` or `T[]` (`len` is `None`).
    Array {
        /// The item type.
        item: Box<TypeExpr>,
        /// The length, if written.
        len: Option<ArrayLen>,
    },
    /// A function type `R(params)`.
    Function(FunctionExpr),
    /// `struct tag`, `union tag`, with the body if written here.
    Record {
        /// Struct or union.
        kind: RecordKind,
        /// The tag, if written.
        tag: Option<SmolStr>,
        /// The field list, if written here.
        body: Option<Box<RecordBody>>,
        /// Qualifiers written with it.
        quals: Quals,
    },
    /// `enum tag`, with the body if written here.
    Enum {
        /// The tag, if written.
        tag: Option<SmolStr>,
        /// The enumerators, if written here.
        body: Option<Box<EnumBody>>,
        /// Qualifiers written with it.
        quals: Quals,
    },
    /// `typedef ... name;`: an opaque type known to the C compiler.
    Opaque,
    /// `typedef int... name;` (any integer spelling): an integer type whose
    /// size and signedness come from the C compiler.
    UnknownInt,
    /// `typedef float... name;` / `double...`: float or double.
    UnknownFloat,
}

/// The parts of a function type.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionExpr {
    /// The result type.
    pub result: Box<TypeExpr>,
    /// The parameters as written (`(void)` is one `void` parameter).
    pub params: Vec<Param>,
    /// True if the list ends with `, ...`.
    pub variadic: bool,
    /// A calling-convention keyword written with it.
    pub call_conv: Option<CallConvKw>,
}

/// Calling-convention keywords (meaningful on 32-bit Windows only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallConvKw {
    /// `__cdecl`
    Cdecl,
    /// `__stdcall` or `WINAPI`
    Stdcall,
}

/// One function parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The parameter's name, if written.
    pub name: Option<SmolStr>,
    /// The parameter's type as written.
    pub ty: TypeExpr,
    /// Where the parameter stands in the source.
    pub span: Span,
}

#[cfg(test)]
mod tests {
    /// Syntax trees are moved around a lot while parsing; keep the node
    /// types small (bodies are boxed).
    #[test]
    fn node_sizes_stay_small() {
        assert!(
            std::mem::size_of::<super::TypeExpr>() <= 48,
            "{}",
            std::mem::size_of::<super::TypeExpr>()
        );
        assert!(
            std::mem::size_of::<super::Expr>() <= 48,
            "{}",
            std::mem::size_of::<super::Expr>()
        );
    }
}
