//! The primitive C types cffi knows by name, in one table: name, kind and
//! width class. Sizes come from the [`Target`].

use crate::Target;
use cdef_parse::Builtin;

/// What a primitive type is, as far as conversions are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrimitiveKind {
    /// A signed integer.
    Signed,
    /// An unsigned integer.
    Unsigned,
    /// `char`: a one-byte character, read and written as `bytes`.
    Char,
    /// `wchar_t`, `char16_t`, `char32_t`: a character, as `str`.
    WideChar,
    /// `_Bool`.
    Bool,
    /// `float` or `double`.
    Float,
    /// `long double`: wider than any Python float.
    LongDouble,
    /// `float _Complex` or `double _Complex`.
    Complex,
}

/// How a primitive's size is found on a target.
#[derive(Debug, Clone, Copy)]
enum Width {
    Fixed(u32),
    Long,
    Pointer,
    LongDouble,
    WChar,
    Fast16,
    Fast32,
}

macro_rules! primitives {
    ($( $variant:ident => $name:literal, $kind:ident, $width:expr; )*) => {
        /// A primitive C type: one of the names of cffi's
        /// `new_primitive_type()` (F-10.13).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[allow(missing_docs)] // each variant is the C type of its name
        pub enum Primitive { $( $variant, )* }

        impl Primitive {
            /// Every primitive, in table order.
            pub const ALL: &'static [Primitive] = &[ $( Primitive::$variant, )* ];

            /// The C name, as cffi prints it.
            pub fn name(self) -> &'static str {
                match self { $( Primitive::$variant => $name, )* }
            }

            fn width(self) -> Width {
                match self { $( Primitive::$variant => $width, )* }
            }

            fn base_kind(self) -> PrimitiveKind {
                match self { $( Primitive::$variant => PrimitiveKind::$kind, )* }
            }
        }
    };
}

use Width::{Fast16, Fast32, Fixed, Long, LongDouble as LD, Pointer as Ptr, WChar};

primitives! {
    Char => "char", Char, Fixed(1);
    SignedChar => "signed char", Signed, Fixed(1);
    UnsignedChar => "unsigned char", Unsigned, Fixed(1);
    Short => "short", Signed, Fixed(2);
    UnsignedShort => "unsigned short", Unsigned, Fixed(2);
    Int => "int", Signed, Fixed(4);
    UnsignedInt => "unsigned int", Unsigned, Fixed(4);
    Long => "long", Signed, Long;
    UnsignedLong => "unsigned long", Unsigned, Long;
    LongLong => "long long", Signed, Fixed(8);
    UnsignedLongLong => "unsigned long long", Unsigned, Fixed(8);
    Float => "float", Float, Fixed(4);
    Double => "double", Float, Fixed(8);
    LongDouble => "long double", LongDouble, LD;
    Bool => "_Bool", Bool, Fixed(1);
    WChar => "wchar_t", WideChar, WChar;
    Char16 => "char16_t", WideChar, Fixed(2);
    Char32 => "char32_t", WideChar, Fixed(4);
    Int8 => "int8_t", Signed, Fixed(1);
    UInt8 => "uint8_t", Unsigned, Fixed(1);
    Int16 => "int16_t", Signed, Fixed(2);
    UInt16 => "uint16_t", Unsigned, Fixed(2);
    Int32 => "int32_t", Signed, Fixed(4);
    UInt32 => "uint32_t", Unsigned, Fixed(4);
    Int64 => "int64_t", Signed, Fixed(8);
    UInt64 => "uint64_t", Unsigned, Fixed(8);
    IntLeast8 => "int_least8_t", Signed, Fixed(1);
    UIntLeast8 => "uint_least8_t", Unsigned, Fixed(1);
    IntLeast16 => "int_least16_t", Signed, Fixed(2);
    UIntLeast16 => "uint_least16_t", Unsigned, Fixed(2);
    IntLeast32 => "int_least32_t", Signed, Fixed(4);
    UIntLeast32 => "uint_least32_t", Unsigned, Fixed(4);
    IntLeast64 => "int_least64_t", Signed, Fixed(8);
    UIntLeast64 => "uint_least64_t", Unsigned, Fixed(8);
    IntFast8 => "int_fast8_t", Signed, Fixed(1);
    UIntFast8 => "uint_fast8_t", Unsigned, Fixed(1);
    IntFast16 => "int_fast16_t", Signed, Fast16;
    UIntFast16 => "uint_fast16_t", Unsigned, Fast16;
    IntFast32 => "int_fast32_t", Signed, Fast32;
    UIntFast32 => "uint_fast32_t", Unsigned, Fast32;
    IntFast64 => "int_fast64_t", Signed, Fixed(8);
    UIntFast64 => "uint_fast64_t", Unsigned, Fixed(8);
    IntPtr => "intptr_t", Signed, Ptr;
    UIntPtr => "uintptr_t", Unsigned, Ptr;
    IntMax => "intmax_t", Signed, Fixed(8);
    UIntMax => "uintmax_t", Unsigned, Fixed(8);
    PtrDiff => "ptrdiff_t", Signed, Ptr;
    Size => "size_t", Unsigned, Ptr;
    SSize => "ssize_t", Signed, Ptr;
    FloatComplex => "_cffi_float_complex_t", Complex, Fixed(8);
    DoubleComplex => "_cffi_double_complex_t", Complex, Fixed(16);
}

impl Primitive {
    /// Looks a primitive up by the name `new_primitive_type()` takes, or by
    /// a predeclared alias (`bool` is `_Bool`).
    pub fn from_name(name: &str) -> Option<Primitive> {
        match name {
            "bool" => Some(Primitive::Bool),
            "float _Complex" => Some(Primitive::FloatComplex),
            "double _Complex" => Some(Primitive::DoubleComplex),
            _ => Primitive::ALL.iter().copied().find(|p| p.name() == name),
        }
    }

    /// The primitive a keyword type spells; `None` for `void`.
    pub fn from_builtin(b: Builtin) -> Option<Primitive> {
        Some(match b {
            Builtin::Void => return None,
            Builtin::Char => Primitive::Char,
            Builtin::SignedChar => Primitive::SignedChar,
            Builtin::UnsignedChar => Primitive::UnsignedChar,
            Builtin::Short => Primitive::Short,
            Builtin::UnsignedShort => Primitive::UnsignedShort,
            Builtin::Int => Primitive::Int,
            Builtin::UnsignedInt => Primitive::UnsignedInt,
            Builtin::Long => Primitive::Long,
            Builtin::UnsignedLong => Primitive::UnsignedLong,
            Builtin::LongLong => Primitive::LongLong,
            Builtin::UnsignedLongLong => Primitive::UnsignedLongLong,
            Builtin::Float => Primitive::Float,
            Builtin::Double => Primitive::Double,
            Builtin::LongDouble => Primitive::LongDouble,
            Builtin::Bool => Primitive::Bool,
            Builtin::FloatComplex => Primitive::FloatComplex,
            Builtin::DoubleComplex => Primitive::DoubleComplex,
        })
    }

    /// The kind on `target` (`wchar_t`'s signedness does not change its
    /// kind, only its range).
    pub fn kind(self) -> PrimitiveKind {
        self.base_kind()
    }

    /// True for the integer kinds that convert from Python `int`: signed,
    /// unsigned (not `char`, not `_Bool`, not wide chars).
    pub fn is_integer(self) -> bool {
        matches!(self.kind(), PrimitiveKind::Signed | PrimitiveKind::Unsigned)
    }

    /// True if the values of this type are signed on `target`.
    pub fn is_signed(self, target: &Target) -> bool {
        match self.kind() {
            PrimitiveKind::Signed
            | PrimitiveKind::Float
            | PrimitiveKind::LongDouble
            | PrimitiveKind::Complex => true,
            PrimitiveKind::Char => target.char_signed,
            PrimitiveKind::WideChar => self == Primitive::WChar && target.wchar_signed,
            PrimitiveKind::Unsigned | PrimitiveKind::Bool => false,
        }
    }

    /// Size in bytes on `target`.
    pub fn size(self, target: &Target) -> u32 {
        match self.width() {
            Width::Fixed(n) => n,
            Width::Long => target.long_size,
            Width::Pointer => target.pointer_size,
            Width::LongDouble => target.long_double.0,
            Width::WChar => target.wchar_size,
            Width::Fast16 => target.fast16_size,
            Width::Fast32 => target.fast32_size,
        }
    }

    /// Alignment in bytes on `target`, as inside a struct.
    pub fn align(self, target: &Target) -> u32 {
        match self {
            Primitive::LongDouble => target.long_double.1,
            Primitive::FloatComplex => 4,
            Primitive::DoubleComplex => target.align_8byte,
            _ => {
                let size = self.size(target);
                if size == 8 {
                    target.align_8byte
                } else {
                    size
                }
            }
        }
    }

    /// The range of an integer type on `target` as `(min, max)`; `None` for
    /// non-integers.
    pub fn int_range(self, target: &Target) -> Option<(i128, i128)> {
        if !(self.is_integer() || self.kind() == PrimitiveKind::Bool) {
            return None;
        }
        if self == Primitive::Bool {
            return Some((0, 1));
        }
        let bits = self.size(target) * 8;
        Some(if self.is_signed(target) {
            (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
        } else {
            (0, (1i128 << bits) - 1)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_predeclared_name_is_known() {
        for name in cdef_parse::PREDECLARED_TYPE_NAMES {
            if *name == "FILE" {
                continue; // an opaque struct, not a primitive
            }
            assert!(Primitive::from_name(name).is_some(), "{name}");
        }
    }

    #[test]
    fn names_round_trip() {
        for p in Primitive::ALL {
            assert_eq!(Primitive::from_name(p.name()), Some(*p));
        }
    }

    #[test]
    fn sizes_on_x86_64_linux() {
        let t = Target::X86_64_LINUX;
        let size = |n: &str| Primitive::from_name(n).unwrap().size(&t);
        assert_eq!(size("long"), 8);
        assert_eq!(size("long double"), 16);
        assert_eq!(size("int_fast16_t"), 8);
        assert_eq!(size("wchar_t"), 4);
        assert_eq!(size("size_t"), 8);
        assert_eq!(size("_cffi_double_complex_t"), 16);
    }

    #[test]
    fn sizes_differ_per_target() {
        let long = Primitive::Long;
        assert_eq!(long.size(&Target::X86_64_WINDOWS), 4);
        assert_eq!(Primitive::WChar.size(&Target::X86_64_WINDOWS), 2);
        assert_eq!(Primitive::LongLong.align(&Target::I686_LINUX), 4);
        assert_eq!(Primitive::LongDouble.size(&Target::AARCH64_MACOS), 8);
        assert!(!Primitive::Char.is_signed(&Target::AARCH64_LINUX));
    }

    #[test]
    fn integer_ranges() {
        let t = Target::X86_64_LINUX;
        assert_eq!(
            Primitive::Int.int_range(&t),
            Some((-(1 << 31), (1 << 31) - 1))
        );
        assert_eq!(
            Primitive::UnsignedLongLong.int_range(&t),
            Some((0, (1 << 64) - 1))
        );
        assert_eq!(Primitive::Bool.int_range(&t), Some((0, 1)));
        assert_eq!(Primitive::Double.int_range(&t), None);
    }
}
