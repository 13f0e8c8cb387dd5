//! The ctypes Python sees: `CType` objects, one per model type in the one
//! process-wide registry, and the facts about them that cdata access
//! needs (fields, function plans, predicates).

pub mod collect;
mod ctype;
mod fields;
pub mod registry;

pub use ctype::{CField, CType, FastArg, FunctionInfo, IntRepr, Kind, LoadPy};
pub use fields::{fields, FieldInfo, Fields, Scalar};

/// True for `FILE *` (the predeclared `FILE` is `struct _IO_FILE`).
pub fn is_file_pointer(ct: &CType) -> bool {
    match &ct.kind {
        Kind::Pointer { item } => {
            let name = &item.get().cname;
            matches!(item.get().kind, Kind::Record { .. })
                && (name == "FILE" || name == "struct _IO_FILE")
        }
        _ => false,
    }
}

/// libffi's default ABI number on this platform (2 on x86-64 Unix).
pub const FFI_DEFAULT_ABI: i32 = libffi_default_abi();

const fn libffi_default_abi() -> i32 {
    if cfg!(all(target_arch = "x86_64", unix)) {
        2
    } else {
        1
    }
}

/// True if `ct` is a function ctype (a pointer to a function).
pub fn is_function(ct: &CType) -> bool {
    matches!(ct.kind, Kind::Function(_))
}

/// The first enumerator of enum `eid` with value `v` (F-05.08, F-03.42).
pub fn enum_name(eid: ctypes_model::EnumId, v: i128) -> Option<String> {
    registry::lock()
        .types
        .enum_def(eid)
        .name_of(v)
        .map(str::to_owned)
}
