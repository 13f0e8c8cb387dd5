//! The opcode words of cffi's type tables (docs/protocol.md §3): one
//! numbering, used to read tables and to write them.

use ctypes_model::Primitive;

/// The op of a table word (its low byte). Every number is odd.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// A primitive type, by number (§3.2).
    Primitive,
    /// A pointer to the type in slot arg.
    Pointer,
    /// An array of the type in slot arg; the next word is its length.
    Array,
    /// `T[]` of the type in slot arg.
    OpenArray,
    /// The struct or union at index arg (−1: the built-in `FILE`).
    StructUnion,
    /// The enum at index arg; in globals, an enumerator.
    Enum,
    /// A function type returning slot arg; parameters follow.
    Function,
    /// The end of a parameter list; arg: variadic bit and ABI.
    FunctionEnd,
    /// The type in slot arg.
    Noop,
    /// A bit field of the integer type in slot arg.
    Bitfield,
    /// A typedef name (temporary tables only).
    Typename,
    /// API mode: a function wrapper taking several arguments.
    CpythonBltnV,
    /// API mode: a function wrapper taking none.
    CpythonBltnN,
    /// API mode: a function wrapper taking one.
    CpythonBltnO,
    /// API mode: a non-integer constant.
    Constant,
    /// An integer constant.
    ConstantInt,
    /// A global variable.
    GlobalVar,
    /// ABI mode: a function looked up in the library.
    DlopenFunc,
    /// ABI mode: a constant read from the library.
    DlopenConst,
    /// API mode: a variable reached through an accessor.
    GlobalVarF,
    /// API mode: an `extern "Python"` function.
    ExternPython,
}

/// Each op with its number and the name cffi's `cffi_opcode` gives it:
/// the one table both directions (and the Python view) use.
const OPS: [(Op, u8, &str); 21] = [
    (Op::Primitive, 1, "OP_PRIMITIVE"),
    (Op::Pointer, 3, "OP_POINTER"),
    (Op::Array, 5, "OP_ARRAY"),
    (Op::OpenArray, 7, "OP_OPEN_ARRAY"),
    (Op::StructUnion, 9, "OP_STRUCT_UNION"),
    (Op::Enum, 11, "OP_ENUM"),
    (Op::Function, 13, "OP_FUNCTION"),
    (Op::FunctionEnd, 15, "OP_FUNCTION_END"),
    (Op::Noop, 17, "OP_NOOP"),
    (Op::Bitfield, 19, "OP_BITFIELD"),
    (Op::Typename, 21, "OP_TYPENAME"),
    (Op::CpythonBltnV, 23, "OP_CPYTHON_BLTN_V"),
    (Op::CpythonBltnN, 25, "OP_CPYTHON_BLTN_N"),
    (Op::CpythonBltnO, 27, "OP_CPYTHON_BLTN_O"),
    (Op::Constant, 29, "OP_CONSTANT"),
    (Op::ConstantInt, 31, "OP_CONSTANT_INT"),
    (Op::GlobalVar, 33, "OP_GLOBAL_VAR"),
    (Op::DlopenFunc, 35, "OP_DLOPEN_FUNC"),
    (Op::DlopenConst, 37, "OP_DLOPEN_CONST"),
    (Op::GlobalVarF, 39, "OP_GLOBAL_VAR_F"),
    (Op::ExternPython, 41, "OP_EXTERN_PYTHON"),
];

/// Every op's name and number.
pub fn op_names() -> impl Iterator<Item = (&'static str, u8)> {
    OPS.iter().map(|(_, n, name)| (*name, *n))
}

/// Every primitive type with its number (1 to 51; `void` is 0).
pub fn primitive_numbers() -> impl Iterator<Item = (Primitive, i32)> {
    PRIMITIVES
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.map(|p| (p, i as i32)))
}

impl Op {
    /// The op numbered `n`, if any.
    pub fn from_number(n: u8) -> Option<Op> {
        OPS.iter().find(|(_, k, _)| *k == n).map(|(op, _, _)| *op)
    }

    /// Its number.
    pub fn number(self) -> u8 {
        OPS.iter()
            .find(|(op, _, _)| *op == self)
            .map_or(0, |(_, k, _)| *k)
    }
}

/// A table word as the `.py` constructor carries it: 4 bytes, big-endian,
/// signed; the op in the low byte, the (signed) argument above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word(pub i32);

impl Word {
    /// The word for `op` with argument `arg` (which must fit 24 signed
    /// bits).
    pub fn new(op: Op, arg: i32) -> Word {
        Word((arg << 8) | i32::from(op.number()))
    }

    /// Its op byte (not necessarily a known op).
    pub fn op_byte(self) -> u8 {
        (self.0 & 0xFF) as u8
    }

    /// Its op, if the byte names one.
    pub fn op(self) -> Option<Op> {
        Op::from_number(self.op_byte())
    }

    /// Its argument (an arithmetic shift: negative arguments stay so).
    pub fn arg(self) -> i32 {
        self.0 >> 8
    }

    /// The word in 4 big-endian bytes.
    pub fn to_bytes(self) -> [u8; 4] {
        self.0.to_be_bytes()
    }

    /// The word from the first 4 bytes of `b`, if there are 4.
    pub fn from_bytes(b: &[u8]) -> Option<Word> {
        Some(Word(i32::from_be_bytes(b.get(..4)?.try_into().ok()?)))
    }
}

/// The primitive types by number (§3.2); `None` is `void` (number 0).
const PRIMITIVES: [Option<Primitive>; 52] = [
    None,
    Some(Primitive::Bool),
    Some(Primitive::Char),
    Some(Primitive::SignedChar),
    Some(Primitive::UnsignedChar),
    Some(Primitive::Short),
    Some(Primitive::UnsignedShort),
    Some(Primitive::Int),
    Some(Primitive::UnsignedInt),
    Some(Primitive::Long),
    Some(Primitive::UnsignedLong),
    Some(Primitive::LongLong),
    Some(Primitive::UnsignedLongLong),
    Some(Primitive::Float),
    Some(Primitive::Double),
    Some(Primitive::LongDouble),
    Some(Primitive::WChar),
    Some(Primitive::Int8),
    Some(Primitive::UInt8),
    Some(Primitive::Int16),
    Some(Primitive::UInt16),
    Some(Primitive::Int32),
    Some(Primitive::UInt32),
    Some(Primitive::Int64),
    Some(Primitive::UInt64),
    Some(Primitive::IntPtr),
    Some(Primitive::UIntPtr),
    Some(Primitive::PtrDiff),
    Some(Primitive::Size),
    Some(Primitive::SSize),
    Some(Primitive::IntLeast8),
    Some(Primitive::UIntLeast8),
    Some(Primitive::IntLeast16),
    Some(Primitive::UIntLeast16),
    Some(Primitive::IntLeast32),
    Some(Primitive::UIntLeast32),
    Some(Primitive::IntLeast64),
    Some(Primitive::UIntLeast64),
    Some(Primitive::IntFast8),
    Some(Primitive::UIntFast8),
    Some(Primitive::IntFast16),
    Some(Primitive::UIntFast16),
    Some(Primitive::IntFast32),
    Some(Primitive::UIntFast32),
    Some(Primitive::IntFast64),
    Some(Primitive::UIntFast64),
    Some(Primitive::IntMax),
    Some(Primitive::UIntMax),
    Some(Primitive::FloatComplex),
    Some(Primitive::DoubleComplex),
    Some(Primitive::Char16),
    Some(Primitive::Char32),
];

/// What a primitive number stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrimitiveNumber {
    /// Number 0: `void`.
    Void,
    /// A primitive type.
    Type(Primitive),
}

/// The primitive numbered `n`, if it is one (0 to 51).
pub fn primitive(n: i32) -> Option<PrimitiveNumber> {
    let entry = PRIMITIVES.get(usize::try_from(n).ok()?)?;
    Some(entry.map_or(PrimitiveNumber::Void, PrimitiveNumber::Type))
}

/// The number of primitive `p`.
pub fn primitive_number(p: Primitive) -> i32 {
    PRIMITIVES
        .iter()
        .position(|e| *e == Some(p))
        .map_or(0, |i| i as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_pack_op_and_signed_argument() {
        // The two words decoded by hand in docs/protocol.md §9.5.
        let w = Word::from_bytes(b"\x00\x00\x13\x03").unwrap();
        assert_eq!((w.op(), w.arg()), (Some(Op::Pointer), 19));
        let w = Word::from_bytes(b"\xFF\xFF\xFF\x1F").unwrap();
        assert_eq!((w.op(), w.arg()), (Some(Op::ConstantInt), -1));
        assert_eq!(
            Word::new(Op::ConstantInt, -1).to_bytes(),
            *b"\xFF\xFF\xFF\x1F"
        );
        assert_eq!(Word::from_bytes(b"\x01\x02"), None);
    }

    #[test]
    fn every_op_number_is_odd_and_round_trips() {
        for (op, n, _) in OPS {
            assert_eq!(n % 2, 1, "{op:?}");
            assert_eq!(Op::from_number(n), Some(op));
            assert_eq!(op.number(), n);
        }
        assert_eq!(Op::from_number(2), None);
    }

    #[test]
    fn primitive_numbers_round_trip() {
        assert_eq!(primitive(0), Some(PrimitiveNumber::Void));
        assert_eq!(primitive(7), Some(PrimitiveNumber::Type(Primitive::Int)));
        assert_eq!(
            primitive(22),
            Some(PrimitiveNumber::Type(Primitive::UInt32))
        );
        assert_eq!(primitive(52), None);
        assert_eq!(primitive(-1), None);
        for n in 1..52 {
            let Some(PrimitiveNumber::Type(p)) = primitive(n) else {
                panic!("{n}")
            };
            assert_eq!(primitive_number(p), n);
        }
    }
}
