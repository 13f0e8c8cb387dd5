//! The words of C's declaration syntax: keywords, qualifiers, calling
//! conventions, and how a run of type keywords names a builtin type.

use super::{BinaryOp, Builtin, CallConvKw, Quals, RecordKind, Storage, TypeExpr};

/// What a reserved word means to the parser.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Keyword {
    Qual(Quals),
    CallConv(CallConvKw),
    Storage(Storage),
    /// `inline`, `register`, `__extension__`: accepted, no effect on types.
    Ignored,
    /// `__attribute__`, `__declspec`.
    Attribute,
    ThreadLocal,
    Int128,
    /// One word of a builtin type's spelling (`unsigned`, `long`, ...).
    TypeWord(TypeWord),
    Record(RecordKind),
    Enum,
    /// Reserved, never a name: `typedef`, `sizeof`, `asm`, statements' words.
    Other,
}

/// The words that spell builtin types.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TypeWord {
    Void,
    Char,
    Short,
    Int,
    Long,
    Float,
    Double,
    Signed,
    Unsigned,
    Bool,
    Complex,
}

/// Classifies a word in one `match`, which the compiler turns into a
/// length dispatch and a few comparisons: identifiers stay cheap.
pub(super) fn keyword(word: &str) -> Option<Keyword> {
    use Keyword as K;
    use TypeWord as T;
    Some(match word {
        "const" | "__const" => K::Qual(Quals::CONST),
        "volatile" | "__volatile" | "__volatile__" => K::Qual(Quals::VOLATILE),
        "restrict" | "__restrict" | "__restrict__" => K::Qual(Quals::RESTRICT),
        "__cdecl" | "_cdecl" => K::CallConv(CallConvKw::Cdecl),
        "__stdcall" | "_stdcall" | "WINAPI" => K::CallConv(CallConvKw::Stdcall),
        "extern" => K::Storage(Storage::Extern),
        "static" => K::Storage(Storage::Static),
        "inline" | "__inline" | "__inline__" | "register" | "__extension__" => K::Ignored,
        "__attribute__" | "__attribute" | "__declspec" => K::Attribute,
        "__thread" | "_Thread_local" => K::ThreadLocal,
        "__int128" | "__int128_t" | "__uint128_t" => K::Int128,
        "void" => K::TypeWord(T::Void),
        "char" => K::TypeWord(T::Char),
        "short" => K::TypeWord(T::Short),
        "int" => K::TypeWord(T::Int),
        "long" => K::TypeWord(T::Long),
        "float" => K::TypeWord(T::Float),
        "double" => K::TypeWord(T::Double),
        "signed" | "__signed" | "__signed__" => K::TypeWord(T::Signed),
        "unsigned" => K::TypeWord(T::Unsigned),
        "_Bool" => K::TypeWord(T::Bool),
        "_Complex" | "__complex__" => K::TypeWord(T::Complex),
        "struct" => K::Record(RecordKind::Struct),
        "union" => K::Record(RecordKind::Union),
        "enum" => K::Enum,
        "typedef" | "auto" | "sizeof" | "return" | "if" | "else" | "while" | "for" | "do"
        | "switch" | "case" | "default" | "break" | "continue" | "goto" | "__asm__" | "__asm"
        | "asm" => K::Other,
        _ => return None,
    })
}

pub(super) fn qualifier(word: &str) -> Option<Quals> {
    match keyword(word) {
        Some(Keyword::Qual(q)) => Some(q),
        _ => None,
    }
}

pub(super) fn call_conv(word: &str) -> Option<CallConvKw> {
    match keyword(word) {
        Some(Keyword::CallConv(c)) => Some(c),
        _ => None,
    }
}

pub(super) fn is_keyword(word: &str) -> bool {
    keyword(word).is_some()
}

/// The number of nodes in a type, bodies included.
pub(super) fn node_count(ty: &TypeExpr) -> usize {
    match ty {
        TypeExpr::Pointer { pointee: t, .. } | TypeExpr::Array { item: t, .. } => 1 + node_count(t),
        TypeExpr::Function(f) => {
            1 + node_count(&f.result) + f.params.iter().map(|p| node_count(&p.ty)).sum::<usize>()
        }
        TypeExpr::Record { body: Some(b), .. } => {
            1 + b.fields.iter().map(|f| node_count(&f.ty)).sum::<usize>()
        }
        TypeExpr::Enum { body: Some(b), .. } => 1 + b.values.len(),
        _ => 1,
    }
}

/// The top-level qualifiers of a type: those of the outermost pointer or
/// of the base type; arrays and functions have none.
pub(super) fn top_quals(ty: &TypeExpr) -> Quals {
    match ty {
        TypeExpr::Builtin { quals, .. }
        | TypeExpr::Named { quals, .. }
        | TypeExpr::Pointer { quals, .. }
        | TypeExpr::Record { quals, .. }
        | TypeExpr::Enum { quals, .. } => *quals,
        _ => Quals::NONE,
    }
}

/// True for the `...` placeholder types, which only typedefs may declare.
pub(super) fn contains_dots_type(ty: &TypeExpr) -> bool {
    match ty {
        TypeExpr::Opaque | TypeExpr::UnknownInt | TypeExpr::UnknownFloat => true,
        TypeExpr::Pointer { pointee, .. } => contains_dots_type(pointee),
        TypeExpr::Array { item, .. } => contains_dots_type(item),
        TypeExpr::Function(f) => {
            contains_dots_type(&f.result) || f.params.iter().any(|p| contains_dots_type(&p.ty))
        }
        _ => false,
    }
}

pub(crate) fn binary_op(text: &str) -> Option<(BinaryOp, u8)> {
    Some(match text {
        "||" => (BinaryOp::Or, 1),
        "&&" => (BinaryOp::And, 2),
        "|" => (BinaryOp::BitOr, 3),
        "^" => (BinaryOp::BitXor, 4),
        "&" => (BinaryOp::BitAnd, 5),
        "==" => (BinaryOp::Eq, 6),
        "!=" => (BinaryOp::Ne, 6),
        "<" => (BinaryOp::Lt, 7),
        ">" => (BinaryOp::Gt, 7),
        "<=" => (BinaryOp::Le, 7),
        ">=" => (BinaryOp::Ge, 7),
        "<<" => (BinaryOp::Shl, 8),
        ">>" => (BinaryOp::Shr, 8),
        "+" => (BinaryOp::Add, 9),
        "-" => (BinaryOp::Sub, 9),
        "*" => (BinaryOp::Mul, 10),
        "/" => (BinaryOp::Div, 10),
        "%" => (BinaryOp::Rem, 10),
        _ => return None,
    })
}

/// Counts of the type keywords seen in one declaration's specifiers.
#[derive(Default)]
pub(super) struct KeywordCounts {
    void: u8,
    char: u8,
    short: u8,
    int: u8,
    long: u8,
    float: u8,
    double: u8,
    signed: u8,
    unsigned: u8,
    bool: u8,
    complex: u8,
}

impl KeywordCounts {
    pub(super) fn any(&self) -> bool {
        self.void
            + self.char
            + self.short
            + self.int
            + self.long
            + self.float
            + self.double
            + self.signed
            + self.unsigned
            + self.bool
            + self.complex
            > 0
    }

    pub(super) fn add(&mut self, word: TypeWord) {
        let slot = match word {
            TypeWord::Void => &mut self.void,
            TypeWord::Char => &mut self.char,
            TypeWord::Short => &mut self.short,
            TypeWord::Int => &mut self.int,
            TypeWord::Long => &mut self.long,
            TypeWord::Float => &mut self.float,
            TypeWord::Double => &mut self.double,
            TypeWord::Signed => &mut self.signed,
            TypeWord::Unsigned => &mut self.unsigned,
            TypeWord::Bool => &mut self.bool,
            TypeWord::Complex => &mut self.complex,
        };
        *slot = slot.saturating_add(1);
    }

    /// The builtin type these keywords spell together, if they do.
    pub(super) fn resolve(&self) -> Option<Builtin> {
        let c = self;
        let sign = c.signed + c.unsigned;
        let others = |allowed: &[u8]| -> bool {
            let all = [
                c.void, c.char, c.short, c.int, c.long, c.float, c.double, c.bool, c.complex, sign,
            ];
            all.iter().sum::<u8>() == allowed.iter().sum::<u8>()
        };
        if c.signed > 1 || c.unsigned > 1 || (c.signed > 0 && c.unsigned > 0) {
            return None;
        }
        if c.void == 1 {
            return others(&[1]).then_some(Builtin::Void);
        }
        if c.bool == 1 {
            return others(&[1]).then_some(Builtin::Bool);
        }
        if c.float == 1 {
            if c.complex == 1 && others(&[1, 1]) {
                return Some(Builtin::FloatComplex);
            }
            return others(&[1]).then_some(Builtin::Float);
        }
        if c.double == 1 {
            return match (c.long, c.complex) {
                (0, 0) if others(&[1]) => Some(Builtin::Double),
                (1, 0) if others(&[1, 1]) => Some(Builtin::LongDouble),
                (0, 1) if others(&[1, 1]) => Some(Builtin::DoubleComplex),
                _ => None,
            };
        }
        if c.complex > 0 || c.void + c.bool + c.float + c.double > 0 || c.int > 1 {
            return None;
        }
        if c.char == 1 {
            if c.short + c.long + c.int > 0 || c.char > 1 {
                return None;
            }
            return Some(match (c.signed, c.unsigned) {
                (1, _) => Builtin::SignedChar,
                (_, 1) => Builtin::UnsignedChar,
                _ => Builtin::Char,
            });
        }
        if c.char > 1 || (c.short > 0 && c.long > 0) || c.short > 1 || c.long > 2 {
            return None;
        }
        let unsigned = c.unsigned == 1;
        Some(match (c.short, c.long, unsigned) {
            (1, _, false) => Builtin::Short,
            (1, _, true) => Builtin::UnsignedShort,
            (_, 1, false) => Builtin::Long,
            (_, 1, true) => Builtin::UnsignedLong,
            (_, 2, false) => Builtin::LongLong,
            (_, 2, true) => Builtin::UnsignedLongLong,
            (_, _, false) => Builtin::Int,
            (_, _, true) => Builtin::UnsignedInt,
        })
    }
}
