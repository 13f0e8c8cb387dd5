//! Decoding the worked example of docs/protocol.md §9.5, as the original
//! cffi 2.0.0 generated it, and hostile tables.

use super::*;
use ctypes_model::{Declared, Target};

const TYPES: &[u8] = b"\x00\x00\x0F\x0D\x00\x00\x13\x03\x00\x00\x01\x0F\x00\x00\x04\x0D\x00\x00\x07\x01\x00\x00\x07\x01\x00\x00\x00\x0F\x00\x00\x04\x0D\x00\x00\x07\x01\x00\x00\x18\x03\x00\x00\x00\x0F\x00\x00\x0C\x03\x00\x00\x02\x01\x00\x00\x0C\x05\x00\x00\x00\x08\x00\x00\x0E\x01\x00\x00\x00\x0B\x00\x00\x0D\x01\x00\x00\x07\x03\x00\x00\x00\x09\x00\x00\x15\x03\x00\x00\x01\x09\x00\x00\x02\x09\x00\x00\x08\x01\x00\x00\x00\x01";

fn example() -> Tables {
    Tables::parse(
        TYPES,
        &[
            (b"\xFF\xFF\xFF\x1FANSWER", 42),
            (b"\xFF\xFF\xFF\x0BBLUE", 6),
            (b"\xFF\xFF\xFF\x0BGREEN", 5),
            (b"\xFF\xFF\xFF\x0BRED", 0),
            (b"\x00\x00\x03\x23add", 0),
            (b"\x00\x00\x04\x21counter", 0),
            (b"\x00\x00\x0B\x25greeting", 0),
            (b"\x00\x00\x00\x23scale", 0),
        ],
        &[
            vec![
                b"\x00\x00\x00\x13\x00\x00\x00\x02$point_t",
                b"\x00\x00\x04\x11x",
                b"\x00\x00\x17\x13\x00\x00\x00\x03y",
                b"\x00\x00\x0D\x11name",
            ],
            vec![
                b"\x00\x00\x00\x15\x00\x00\x00\x02node",
                b"\x00\x00\x14\x11next",
                b"\x00\x00\x0F\x11v",
            ],
            vec![
                b"\x00\x00\x00\x16\x00\x00\x00\x03u",
                b"\x00\x00\x04\x11i",
                b"\x00\x00\x11\x11f",
            ],
        ],
        &[b"\x00\x00\x00\x10\x00\x00\x00\x16color\x00RED,GREEN,BLUE"],
        &[b"\x00\x00\x00\x12cb_t", b"\x00\x00\x00\x13point_t"],
    )
    .unwrap()
}

fn declared() -> (TypeTable, Declarations) {
    let tables = example();
    let mut types = TypeTable::new(Target::X86_64_LINUX);
    let mut decls = Declarations::new();
    Realizer::new(&tables)
        .declare_all(&mut types, &mut decls)
        .unwrap();
    (types, decls)
}

#[test]
fn the_worked_example_declares_what_its_cdef_did() {
    let (mut types, mut decls) = declared();
    let name = |types: &TypeTable, d: Option<Declared>| match d {
        Some(Declared::Function(id) | Declared::Variable(id) | Declared::CompilerConstant(id)) => {
            types.c_name(id)
        }
        other => format!("{other:?}"),
    };
    assert_eq!(name(&types, decls.lookup("add")), "int(*)(int, int)");
    assert_eq!(
        name(&types, decls.lookup("scale")),
        "double(*)(point_t *, ...)"
    );
    assert_eq!(name(&types, decls.lookup("counter")), "int");
    assert_eq!(name(&types, decls.lookup("greeting")), "char *");
    assert_eq!(decls.lookup("ANSWER"), Some(Declared::IntConstant(42)));
    assert_eq!(decls.lookup("GREEN"), Some(Declared::IntConstant(5)));
    let cb = decls.parse_type(&mut types, "cb_t").unwrap();
    assert_eq!(types.c_name(cb), "int(*)(int, void *)");
    let point = decls.parse_type(&mut types, "point_t").unwrap();
    let Type::Record(rid) = *types.get(point) else {
        panic!()
    };
    let layout = types.layout(rid).unwrap();
    assert_eq!((layout.size, layout.align), (16, 4));
    let node = decls.parse_type(&mut types, "struct node").unwrap();
    assert_eq!(types.size_of(node), Some(16));
    let u = decls.parse_type(&mut types, "union u").unwrap();
    assert_eq!(types.size_of(u), Some(4));
    let color = decls.parse_type(&mut types, "enum color").unwrap();
    let Type::Enum(eid) = *types.get(color) else {
        panic!()
    };
    assert_eq!(types.enum_def(eid).name_of(6), Some("BLUE"));
    assert_eq!(types.enum_def(eid).underlying, Primitive::UInt32);
}

#[test]
fn hostile_tables_are_errors_not_panics() {
    let bad_types: [&[u8]; 6] = [
        b"\x00\x00\x09\x03", // POINTER to slot 9 of 1
        b"\x00\x00\x00\x11", // NOOP to itself: a loop
        b"\x00\x00\x05\x09", // STRUCT_UNION index 5 of none
        b"\x00\x00\x00\x05", // ARRAY without its length word
        b"\x00\x00\x01\x0D", // FUNCTION without FUNCTION_END
        b"\x00\x00\x40\x01", // PRIMITIVE 64
    ];
    for types in bad_types {
        let tables = Tables::parse(types, &[(b"\x00\x00\x00\x21v", 0)], &[], &[], &[]).unwrap();
        let mut t = TypeTable::new(Target::X86_64_LINUX);
        let r = Realizer::new(&tables).declare_all(&mut t, &mut Declarations::new());
        assert!(r.is_err(), "{types:?}");
    }
}

#[test]
fn a_lazy_module_declares_a_name_when_asked_and_only_it() {
    let mut module = LazyModule::new(example(), Vec::new());
    let mut types = TypeTable::new(Target::X86_64_LINUX);
    let mut decls = Declarations::new();
    let [globals, typenames, structs, unions] = module.names();
    assert_eq!(globals.len(), 8);
    assert_eq!(
        (typenames, structs, unions),
        (vec!["cb_t", "point_t"], vec!["node"], vec!["u"])
    );
    module.declare_name(&mut types, &mut decls, "add").unwrap();
    assert!(matches!(decls.lookup("add"), Some(Declared::Function(_))));
    assert_eq!(decls.lookup("counter"), None, "not asked for");
    assert_eq!(decls.typedef_names().count(), 0);
    // Asking again, or for a name the module lacks, is no error.
    module.declare_name(&mut types, &mut decls, "add").unwrap();
    module
        .declare_name(&mut types, &mut decls, "nothing")
        .unwrap();
    module
        .declare_name(&mut types, &mut decls, "point_t")
        .unwrap();
    assert_eq!(decls.typedef_names().collect::<Vec<_>>(), ["point_t"]);
    assert!(!module.is_complete());
    module.declare_all(&mut types, &mut decls).unwrap();
    assert!(module.is_complete());
    assert!(matches!(
        decls.lookup("counter"),
        Some(Declared::Variable(_))
    ));
    assert_eq!(decls.lookup("BLUE"), Some(Declared::IntConstant(6)));
}

/// An API module's tables, as `cffi-py`'s `capi` reads them from C: a
/// struct `struct pt { int x; int y; ...; }` the compiler laid out as
/// `{ int y; int x; long pad; }`, a complete `struct bad { int x; }` that
/// is really 8 bytes wide, and constants the compiler agrees and
/// disagrees with.
fn api_tables() -> Tables {
    use crate::op::Op;
    // Slots: 0 int, 1 struct pt, 2 struct bad, 3 long; the struct table
    // is sorted by name, so `bad` is entry 0 and `pt` entry 1.
    let mut t = Tables::from_words(
        vec![
            Word::new(Op::Primitive, 7),
            Word::new(Op::StructUnion, 1),
            Word::new(Op::StructUnion, 0),
            Word::new(Op::Primitive, 9),
        ],
        2,
        16,
    );
    t.push_global(b"GOOD", Word::new(Op::ConstantInt, -1), 42, false)
        .unwrap();
    t.push_global(b"WRONG", Word::new(Op::ConstantInt, -1), -3, true)
        .unwrap();
    let noop = |slot| Word::new(Op::Noop, slot);
    t.push_struct(
        b"bad",
        2,
        flags::CHECK_FIELDS,
        RecordSize::Given {
            size: 8,
            align: Some(8),
        },
        [(&b"x"[..], noop(3), 0, 8)],
    )
    .unwrap();
    t.push_struct(
        b"pt",
        1,
        0,
        RecordSize::Given {
            size: 16,
            align: Some(8),
        },
        [(&b"x"[..], noop(0), 4, 4), (&b"y"[..], noop(0), 0, 4)],
    )
    .unwrap();
    t
}

#[test]
fn api_layouts_come_from_the_compiler() {
    let tables = api_tables();
    let mut types = TypeTable::new(Target::X86_64_LINUX);
    let mut r = Realizer::new(&tables);
    let pt = r.realize(&mut types, 1).unwrap();
    assert_eq!((types.size_of(pt), types.align_of(pt)), (Some(16), Some(8)));
    let Type::Record(rid) = *types.get(pt) else {
        panic!("not a record")
    };
    let offsets: Vec<u64> = types
        .layout(rid)
        .unwrap()
        .fields
        .iter()
        .map(|f| f.offset)
        .collect();
    assert_eq!(offsets, [4, 0]);
}

#[test]
fn a_field_of_another_size_fails_on_every_use() {
    // `long` (8 bytes) in the cdef, as the compiler says: it realizes.
    let tables = api_tables();
    let mut types = TypeTable::new(Target::X86_64_LINUX);
    assert!(Realizer::new(&tables).realize(&mut types, 2).is_ok());
    // `int` (4 bytes) in the cdef: the compiler's 8 disagrees, each time.
    let mut tables = api_tables();
    tables.fields[0].word = Word::new(crate::op::Op::Noop, 0);
    let mut r = Realizer::new(&tables);
    for _ in 0..2 {
        let e = r.realize(&mut types, 2).unwrap_err();
        assert_eq!(
            e.to_string(),
            "struct bad: wrong size for field 'x' (cdef says 4, but C compiler says 8). fix it or \
             use \"...;\" as the last field in the cdef for struct bad to make it flexible"
        );
    }
}

#[test]
fn a_constant_the_compiler_disagrees_with_fails_by_name_only() {
    let tables = api_tables();
    let mut types = TypeTable::new(Target::X86_64_LINUX);
    let mut decls = Declarations::new();
    let mut lazy = LazyModule::new(tables, Vec::new());
    let e = lazy
        .declare_name(&mut types, &mut decls, "WRONG")
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "the C compiler says 'WRONG' is equal to -3, but the cdef disagrees"
    );
    // Listing everything skips it (and the struct whose layout fails).
    lazy.declare_all(&mut types, &mut decls).unwrap();
    assert!(!lazy.is_complete());
    assert_eq!(decls.lookup("GOOD"), Some(Declared::IntConstant(42)));
    assert_eq!(decls.lookup("WRONG"), None);
}
