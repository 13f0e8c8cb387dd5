//! Any text given to `cdef()` must give declarations or an error, never a
//! panic: parse it, declare it into a model, render any error with its
//! location, and print every declared type's C name.
#![no_main]

use ctypes_model::{Declarations, Declared, Target, TypeTable};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    let mut types = TypeTable::new(Target::X86_64_LINUX);
    let mut decls = Declarations::new();
    match decls.cdef(&mut types, src, &Default::default()) {
        Ok(_warnings) => {
            let names: Vec<String> = decls.names().map(str::to_owned).collect();
            for name in names {
                if let Some(Declared::Function(id) | Declared::Variable(id)) = decls.lookup(&name) {
                    let _ = types.c_name(id);
                    let _ = types.size_of(id);
                }
            }
        }
        Err(err) => {
            if let Some(span) = err.span {
                let _ = cdef_parse::SourceMap::new(src).render(span, &err.to_string());
            }
        }
    }
});
