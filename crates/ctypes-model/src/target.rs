//! Target ABI descriptions: everything about the primitive types that
//! differs between platforms.

/// The facts about one platform's C ABI that the type model needs.
///
/// The model never looks at the machine it runs on; callers pick a target,
/// usually [`Target::host`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    /// A short name, for messages (`"x86_64-linux"`).
    pub name: &'static str,
    /// Size of pointers, `size_t`, `intptr_t`...
    pub pointer_size: u32,
    /// Size of `long` (8 on LP64, 4 on LLP64 and 32-bit targets).
    pub long_size: u32,
    /// Alignment of 8-byte integers and of `double`.
    pub align_8byte: u32,
    /// Size and alignment of `long double`.
    pub long_double: (u32, u32),
    /// Size of `wchar_t`.
    pub wchar_size: u32,
    /// Whether `wchar_t` is signed.
    pub wchar_signed: bool,
    /// Whether plain `char` is signed (it is read as bytes either way, but
    /// the C compiler and libffi care).
    pub char_signed: bool,
    /// Sizes of `int_fast16_t` and `int_fast32_t` (they vary the most).
    pub fast16_size: u32,
    /// See `fast16_size`.
    pub fast32_size: u32,
    /// Whether multi-byte values are stored most significant byte first.
    pub big_endian: bool,
    /// How the C compiler places bit fields.
    pub bitfields: BitfieldRule,
    /// The packing in force when nothing says otherwise (MSVC: 8).
    pub default_pack: Option<u64>,
}

/// The bit-field layout rules of the C compilers cffi targets (F-10.20,
/// F-10.21).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BitfieldRule {
    /// GCC and Clang on x86 (and Apple arm64): unnamed bit fields and `:0`
    /// do not raise the record's alignment.
    Gcc,
    /// GCC on ARM/AArch64: unnamed bit fields and `:0` raise the record's
    /// alignment like named ones.
    GccArm,
    /// MSVC: bit fields share a storage unit only with neighbours of the
    /// same type size; `:0` only ends a run of bit fields.
    Msvc,
}

impl Target {
    /// x86-64 Linux and other System V LP64 x86-64 systems.
    pub const X86_64_LINUX: Target = Target {
        name: "x86_64-linux",
        pointer_size: 8,
        long_size: 8,
        align_8byte: 8,
        long_double: (16, 16),
        wchar_size: 4,
        wchar_signed: true,
        char_signed: true,
        fast16_size: 8,
        fast32_size: 8,
        big_endian: false,
        bitfields: BitfieldRule::Gcc,
        default_pack: None,
    };

    /// AArch64 Linux: `char` and `wchar_t` unsigned, 128-bit `long double`.
    pub const AARCH64_LINUX: Target = Target {
        name: "aarch64-linux",
        pointer_size: 8,
        long_size: 8,
        align_8byte: 8,
        long_double: (16, 16),
        wchar_size: 4,
        wchar_signed: false,
        char_signed: false,
        fast16_size: 8,
        fast32_size: 8,
        big_endian: false,
        bitfields: BitfieldRule::GccArm,
        default_pack: None,
    };

    /// x86-64 macOS.
    pub const X86_64_MACOS: Target = Target {
        name: "x86_64-macos",
        pointer_size: 8,
        long_size: 8,
        align_8byte: 8,
        long_double: (16, 16),
        wchar_size: 4,
        wchar_signed: true,
        char_signed: true,
        fast16_size: 2,
        fast32_size: 4,
        big_endian: false,
        bitfields: BitfieldRule::Gcc,
        default_pack: None,
    };

    /// Apple arm64: `long double` is `double`, `char` is signed.
    pub const AARCH64_MACOS: Target = Target {
        name: "aarch64-macos",
        pointer_size: 8,
        long_size: 8,
        align_8byte: 8,
        long_double: (8, 8),
        wchar_size: 4,
        wchar_signed: true,
        char_signed: true,
        fast16_size: 2,
        fast32_size: 4,
        big_endian: false,
        bitfields: BitfieldRule::Gcc,
        default_pack: None,
    };

    /// x86-64 Windows (LLP64, MSVC).
    pub const X86_64_WINDOWS: Target = Target {
        name: "x86_64-windows",
        pointer_size: 8,
        long_size: 4,
        align_8byte: 8,
        long_double: (8, 8),
        wchar_size: 2,
        wchar_signed: false,
        char_signed: true,
        fast16_size: 4,
        fast32_size: 4,
        big_endian: false,
        bitfields: BitfieldRule::Msvc,
        default_pack: Some(8),
    };

    /// 32-bit x86 Linux: 8-byte scalars are 4-aligned inside structs.
    pub const I686_LINUX: Target = Target {
        name: "i686-linux",
        pointer_size: 4,
        long_size: 4,
        align_8byte: 4,
        long_double: (12, 4),
        wchar_size: 4,
        wchar_signed: true,
        char_signed: true,
        fast16_size: 4,
        fast32_size: 4,
        big_endian: false,
        bitfields: BitfieldRule::Gcc,
        default_pack: None,
    };

    /// The target this program was compiled for, where it is one of the
    /// known ones; other hosts get the closest description by pointer width.
    pub const fn host() -> Target {
        if cfg!(all(target_arch = "x86_64", windows)) {
            Target::X86_64_WINDOWS
        } else if cfg!(all(target_arch = "x86_64", target_vendor = "apple")) {
            Target::X86_64_MACOS
        } else if cfg!(all(target_arch = "aarch64", target_vendor = "apple")) {
            Target::AARCH64_MACOS
        } else if cfg!(target_arch = "aarch64") {
            Target::AARCH64_LINUX
        } else if cfg!(target_arch = "x86") {
            Target::I686_LINUX
        } else {
            Target::X86_64_LINUX
        }
    }
}
