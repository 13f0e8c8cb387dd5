//! The syntax tree: what the text said, before any type is resolved.
//!
//! The tree stays faithful to the source: `int f(void)` keeps its `void`
//! parameter, `int a[5]` as a parameter stays an array, and qualifiers are
//! kept. Adjusting these to C's rules is the type model's job.

use crate::Span;

/// A parsed `cdef()` text: its declarations in source order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cdef {
    /// The declarations, in the order they appear.
    pub decls: Vec<Decl>,
}

/// One declared name.
#[derive(Debug, Clone, PartialEq)]
pub struct Decl {
    /// The declared identifier.
    pub name: String,
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
    /// `[extern] type name;`
    Variable {
        /// The declared type.
        ty: TypeExpr,
        /// The storage-class specifier written, if any.
        storage: Storage,
    },
    /// `typedef type name;`
    Typedef(TypeExpr),
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrayLen {
    /// An integer literal.
    Const(u64),
    /// `[...]`: to be filled in by the C compiler (API mode).
    Dots,
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
        name: String,
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
}

/// One function parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The parameter's name, if written.
    pub name: Option<String>,
    /// The parameter's type as written.
    pub ty: TypeExpr,
    /// Where the parameter stands in the source.
    pub span: Span,
}
