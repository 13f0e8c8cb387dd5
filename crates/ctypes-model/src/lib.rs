//! `ctypes-model` is the C type system behind cffi-py: what each declared
//! type is, how big it is and how it is aligned, for a given target ABI.
//!
//! * [`Target`] describes an ABI (sizes and alignments of the primitive
//!   types, signedness of `char`...). Nothing here reads the host implicitly:
//!   [`Target::host`] is asked for by the caller.
//! * [`TypeTable`] interns types: equal types get the same [`TypeId`], so
//!   type identity is an integer comparison. One table can be shared by any
//!   number of [`Declarations`].
//! * [`Declarations`] holds what `cdef()` declared (functions, variables,
//!   typedefs) by name, resolving `cdef-parse` syntax trees into types.
//! * Record layouts answer the questions cdata access asks: [`bitfield`]
//!   reads, writes and range-checks bit-field values in their unit,
//!   [`PathWalk`] walks `offsetof` paths, and
//!   [`TypeTable::complete_record_as_given`] completes a record from
//!   `complete_struct_or_union`'s arguments ([`RecordFlags`] decodes its
//!   `sflags`).
//!
//! It contains no `unsafe` code and knows nothing of Python or libffi.
//!
//! ```
//! use ctypes_model::{Declarations, Declared, Target, TypeTable};
//!
//! let mut types = TypeTable::new(Target::X86_64_LINUX);
//! let mut decls = Declarations::new();
//! decls.cdef(&mut types, "size_t strlen(const char *);", &Default::default()).unwrap();
//! let Some(Declared::Function(f)) = decls.lookup("strlen") else { panic!() };
//! assert_eq!(types.c_name(f), "size_t(*)(char *)");
//! let int_ptr = decls.parse_type(&mut types, "int *").unwrap();
//! assert_eq!(types.size_of(int_ptr), Some(8));
//! ```

#![forbid(unsafe_code)]

pub mod bitfield;
mod consts;
mod decls;
mod error;
mod offsetof;
mod primitive;
mod record;
mod record_flags;
mod target;
mod types;
pub mod written;

pub use cdef_parse::SmolStr;
pub use consts::eval;
pub use decls::{
    CdefOptions, CompiledTypeFailure, CompilerType, Declarations, Declared, Listing, Space, Tag,
    COMMON_TYPES,
};
pub use error::{ModelError, ModelErrorKind};
pub use offsetof::{PathError, PathStep, PathWalk};
pub use primitive::{Primitive, PrimitiveKind};
pub use record::{
    EnumDef, EnumId, FieldDef, FieldLayout, FlatField, Layout, LayoutError, RecordBodyDef,
    RecordDef, RecordId, RecordKind,
};
pub use record_flags::{
    CompleteError, GivenField, GivenRecord, Position, PositionMismatch, RecordFlags,
    SF_GCC_ARM_BITFIELDS, SF_GCC_BIG_ENDIAN, SF_GCC_LITTLE_ENDIAN, SF_GCC_X86_BITFIELDS,
    SF_MSVC_BITFIELDS, SF_PACKED, SF_STD_FIELD_POS,
};
pub use target::{BitfieldRule, Target};
pub use types::{CallConv, FunctionType, Type, TypeId, TypeTable};
