//! Hostile tables given to `_cffi_backend.FFI(...)` (an out-of-line module
//! anyone can write) must give declarations or an error, never a panic or
//! an out-of-bounds index. The input is cut into the five tables at `|`,
//! their items at `;` (a struct's fields at `,`). The same tables are
//! then given the layouts an API module's compiler would (sizes,
//! alignments, field offsets and sizes), taken from the input's bytes:
//! those must be checked, never trusted into a panic.
#![no_main]

use ctypes_model::{Declarations, Target, Type, TypeTable};
use libfuzzer_sys::fuzz_target;
use type_context::{LazyModule, RecordSize, Realizer, Tables};

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(5, |&b| b == b'|');
    let types = parts.next().unwrap_or_default();
    fn items(p: Option<&[u8]>) -> Vec<&[u8]> {
        p.map(|p| p.split(|&b| b == b';').collect()).unwrap_or_default()
    }
    let globals: Vec<(&[u8], i128)> = items(parts.next())
        .into_iter()
        .map(|g| (g, g.len() as i128 - 8))
        .collect();
    let structs: Vec<Vec<&[u8]>> = items(parts.next())
        .into_iter()
        .map(|s| s.split(|&b| b == b',').collect())
        .collect();
    let enums = items(parts.next());
    let typenames = items(parts.next());
    let Ok(tables) = Tables::parse(types, &globals, &structs, &enums, &typenames) else {
        return;
    };
    let mut table = TypeTable::new(Target::X86_64_LINUX);
    // Name by name, as a compiled FFI declares them when asked for.
    let mut lazy = LazyModule::new(tables.clone(), Vec::new());
    let mut decls = Declarations::new();
    let names: Vec<String> = lazy.names().iter().flatten().map(|n| n.to_string()).collect();
    for name in names.iter().rev() {
        let _ = lazy.declare_name(&mut table, &mut decls, name);
    }
    let _ = lazy.declare_all(&mut table, &mut decls);
    // As an API module: layouts the compiler gives, from the input bytes.
    let mut api = tables.clone();
    let byte = |i: usize| u64::from(data.get(i % data.len().max(1)).copied().unwrap_or(0));
    for (k, s) in api.struct_unions.iter_mut().enumerate() {
        s.size = match byte(k) % 3 {
            0 => RecordSize::Unknown,
            1 => RecordSize::Compute,
            _ => RecordSize::Given {
                size: byte(k + 1) * byte(k + 2),
                align: Some(1 << (byte(k + 3) % 5)).filter(|_| byte(k) % 2 == 0),
            },
        };
    }
    for (k, f) in api.fields.iter_mut().enumerate() {
        f.given = (byte(k + 5) % 4 != 0).then(|| (byte(k + 6), Some(byte(k + 7) % 17)));
    }
    let mut decls = Declarations::new();
    for i in 0..api.types.len() {
        let _ = Realizer::new(&api).realize(&mut table, i as i32);
    }
    let _ = Realizer::new(&api).declare_all(&mut table, &mut decls);
    let mut decls = Declarations::new();
    if Realizer::new(&tables).declare_all(&mut table, &mut decls).is_ok() {
        // Every struct the module made can be laid out (or refuses to be).
        for i in 0..tables.types.len() {
            if let Ok(id) = Realizer::new(&tables).realize(&mut table, i as i32) {
                if let Type::Record(rid) = *table.get(id) {
                    let _ = table.layout(rid);
                }
                let _ = table.size_of(id);
            }
        }
    }
});
