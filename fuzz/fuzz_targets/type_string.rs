//! Any type string given to `ffi.typeof()` must give a type or an error,
//! never a panic; a type that parses has a C name that parses back to the
//! same type (round trip), except for anonymous structs, unions and enums,
//! whose `$N` names cffi prints but nobody can write back. The compiled
//! FFI's own parser gets the same string: a type or an error, and where
//! both parse, the same type.
#![no_main]

use ctypes_model::{Declarations, Target, TypeTable};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    let mut types = TypeTable::new(Target::X86_64_LINUX);
    let mut decls = Declarations::new();
    let compiled = Declarations::new().parse_compiled_type_raw(&mut types, src);
    if let Ok(id) = decls.parse_type(&mut types, src) {
        if let (Ok(other), false) = (&compiled, src.contains("...")) {
            // `parse_type` gives a function's pointer, the raw parse the
            // function itself.
            let raw = decls.parse_type_raw(&mut types, src).unwrap();
            assert_eq!(raw, *other, "{src:?}");
        }
        let name = types.c_name(id);
        if name.contains('$') {
            return;
        }
        let again = decls.parse_type(&mut types, &name).unwrap_or_else(|e| panic!("{name:?} from {src:?}: {e}"));
        assert_eq!(again, id, "{name:?} from {src:?}");
    }
});
