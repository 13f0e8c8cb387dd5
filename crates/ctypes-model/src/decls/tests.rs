//! Declarations built from cdef text: typedefs, tags, functions,
//! variables, constants, and their errors.

use super::*;
use crate::{Primitive, Target};

fn setup(src: &str) -> (TypeTable, Declarations) {
    let mut types = TypeTable::new(Target::X86_64_LINUX);
    let mut decls = Declarations::new();
    decls
        .cdef(&mut types, src, &CdefOptions::default())
        .unwrap();
    (types, decls)
}

fn fn_name(types: &TypeTable, decls: &Declarations, name: &str) -> String {
    match decls.lookup(name) {
        Some(Declared::Function(id)) => types.c_name(id),
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn slice_functions() {
    let (types, decls) =
        setup("int abs(int); size_t strlen(const char *); double sqrt(double x); long labs(long);");
    assert_eq!(fn_name(&types, &decls, "abs"), "int(*)(int)");
    assert_eq!(fn_name(&types, &decls, "strlen"), "size_t(*)(char *)");
    assert_eq!(fn_name(&types, &decls, "sqrt"), "double(*)(double)");
    assert_eq!(fn_name(&types, &decls, "labs"), "long(*)(long)");
    assert_eq!(
        decls.names().collect::<Vec<_>>(),
        ["abs", "strlen", "sqrt", "labs"]
    );
}

#[test]
fn parameter_adjustments() {
    // F-01.24, F-01.25, F-01.27, F-01.28
    let (types, decls) = setup(
        "typedef void v; int f(void); int g(); int h(v); int a(int x[5], int b[][3]); int c(int fn(long)); \
         int q(const char * restrict);",
    );
    assert_eq!(fn_name(&types, &decls, "f"), "int(*)()");
    assert_eq!(fn_name(&types, &decls, "g"), "int(*)()");
    assert_eq!(fn_name(&types, &decls, "h"), "int(*)()");
    assert_eq!(fn_name(&types, &decls, "a"), "int(*)(int *, int(*)[3])");
    assert_eq!(fn_name(&types, &decls, "c"), "int(*)(int(*)(long))");
    assert_eq!(fn_name(&types, &decls, "q"), "int(*)(char *)");
}

#[test]
fn typedefs_and_overriding_predeclared_names() {
    // F-01.89: a user typedef replaces a predeclared name.
    let (mut types, mut decls) = setup("typedef char int32_t; typedef int32_t *p_t; p_t f(long);");
    assert_eq!(fn_name(&types, &decls, "f"), "char *(*)(long)");
    let id = decls.parse_type(&mut types, "int32_t").unwrap();
    assert_eq!(types.c_name(id), "char");
}

#[test]
fn type_strings() {
    let (mut types, mut decls) = setup("");
    for (src, name) in [
        ("int", "int"),
        ("unsigned long int", "unsigned long"),
        ("const char *", "char *"),
        ("char * const *", "char * *"),
        ("int(int)", "int(*)(int)"),
        ("int(*)(int, ...)", "int(*)(int, ...)"),
        ("bool", "_Bool"),
        ("size_t", "size_t"),
        ("int[]", "int[]"),
    ] {
        let id = decls.parse_type(&mut types, src).unwrap();
        assert_eq!(types.c_name(id), name, "{src}");
    }
    let a = decls.parse_type(&mut types, "int(*)(int)").unwrap();
    let b = decls.parse_type(&mut types, "int(int)").unwrap();
    assert_eq!(a, b);
}

#[test]
fn errors() {
    let mut types = TypeTable::new(Target::X86_64_LINUX);
    let mut decls = Declarations::new();
    let err = decls
        .cdef(&mut types, "void x;", &CdefOptions::default())
        .unwrap_err();
    assert!(matches!(err.kind, ModelErrorKind::Invalid(_)));
    let err = decls.parse_type(&mut types, "void[3]").unwrap_err();
    assert_eq!(err.kind, ModelErrorKind::UnknownSize("void".into()));
    let err = decls
        .cdef(&mut types, "int f(int, void);", &CdefOptions::default())
        .unwrap_err();
    assert!(matches!(err.kind, ModelErrorKind::Invalid(_)));
    let err = decls.parse_type(&mut types, "foo_t").unwrap_err();
    assert!(matches!(err.kind, ModelErrorKind::Syntax(_)));
}

#[test]
fn duplicates_and_override() {
    // F-01.93, F-01.94
    let mut types = TypeTable::new(Target::X86_64_LINUX);
    let mut decls = Declarations::new();
    let opts = CdefOptions::default();
    decls.cdef(&mut types, "int f(int);", &opts).unwrap();
    decls.cdef(&mut types, "int f(int x);", &opts).unwrap();
    let err = decls.cdef(&mut types, "long f(int);", &opts).unwrap_err();
    assert_eq!(
        err.to_string(),
        "multiple declarations of function f (for interactive usage, try cdef(xx, override=True))"
    );
    decls
        .cdef(
            &mut types,
            "long f(int);",
            &CdefOptions {
                override_: true,
                ..CdefOptions::default()
            },
        )
        .unwrap();
    assert_eq!(fn_name(&types, &decls, "f"), "long(*)(int)");
}

fn layout_of(src: &str, ty: &str) -> (u64, u64, Vec<(u64, i64)>) {
    let (mut types, mut decls) = setup(src);
    let id = decls.parse_type(&mut types, ty).unwrap();
    let Type::Record(r) = *types.get(id) else {
        panic!("{ty} is not a record")
    };
    let l = types.layout(r).unwrap_or_else(|e| panic!("{ty}: {e}"));
    (
        l.size,
        l.align,
        l.fields.iter().map(|f| (f.offset, f.bitshift())).collect(),
    )
}

#[test]
fn struct_layouts() {
    // F-01.07: natural alignment.
    assert_eq!(layout_of("struct s { char a; int b; };", "struct s").0, 8);
    let (size, align, fields) = layout_of("struct s { char a; double d; short s; };", "struct s");
    assert_eq!((size, align), (24, 8));
    assert_eq!(fields, [(0, -1), (8, -1), (16, -1)]);
    // Unions, arrays, nested structs.
    assert_eq!(layout_of("union u { char c[5]; int i; };", "union u").0, 8);
    let (size, _, fields) = layout_of(
        "struct in { char c; }; struct out { char a; struct in x[3]; long l; };",
        "struct out",
    );
    assert_eq!((size, fields[2].0), (16, 8));
    // F-10.23: a flexible array sits after the fields, maybe in padding.
    let (size, _, fields) = layout_of("struct f { int x; char y; char z[]; };", "struct f");
    assert_eq!((size, fields[2]), (8, (5, -2)));
}

#[test]
fn packed_and_pack() {
    // F-01.05..F-01.07
    let mut types = TypeTable::new(Target::X86_64_LINUX);
    let mut decls = Declarations::new();
    let size = |decls: &mut Declarations, types: &mut TypeTable, opts: CdefOptions, tag: &str| {
        decls
            .cdef(types, &format!("struct {tag} {{ char a; int b; }};"), &opts)
            .unwrap();
        let id = decls.parse_type(types, &format!("struct {tag}")).unwrap();
        (types.size_of(id).unwrap(), types.align_of(id).unwrap())
    };
    let packed = CdefOptions {
        packed: true,
        ..CdefOptions::default()
    };
    assert_eq!(size(&mut decls, &mut types, packed, "p"), (5, 1));
    for (n, want) in [(1, (5, 1)), (2, (6, 2)), (4, (8, 4)), (8, (8, 4))] {
        let opts = CdefOptions {
            pack: Some(n),
            ..CdefOptions::default()
        };
        assert_eq!(
            size(&mut decls, &mut types, opts, &format!("pack{n}")),
            want,
            "pack={n}"
        );
    }
    assert_eq!(
        layout_of(
            "#pragma pack(push, 2)\nstruct q { char a; int b; };\n#pragma pack(pop)\n",
            "struct q"
        )
        .0,
        6
    );
    assert_eq!(
        layout_of(
            "struct __attribute__((packed)) r { char a; int b; };",
            "struct r"
        )
        .0,
        5
    );
    assert_eq!(
        layout_of(
            "struct al { char a; int b __attribute__((aligned(16))); };",
            "struct al"
        )
        .0,
        32
    );
}

#[test]
fn bit_fields_follow_gcc() {
    // F-10.21 (GCC x86 rules)
    let (size, _, fields) = layout_of(
        "struct b { char a; int b1:9; unsigned b2:7; char c; };",
        "struct b",
    );
    assert_eq!((size, fields[3].0), (4, 3));
    let (size, align, _) = layout_of("struct b2 { char a; short :9; char c; };", "struct b2");
    assert_eq!((size, align), (5, 1));
    let (size, align, fields) = layout_of(
        "struct b3 { char a; int :0; int :0; char c; };",
        "struct b3",
    );
    assert_eq!((size, align, fields[3].0), (5, 1, 4));
}

fn layout_on(target: Target, src: &str, ty: &str) -> (u64, u64, Vec<u64>) {
    let mut types = TypeTable::new(target);
    let mut decls = Declarations::new();
    decls
        .cdef(&mut types, src, &CdefOptions::default())
        .unwrap();
    let id = decls.parse_type(&mut types, ty).unwrap();
    let Type::Record(r) = *types.get(id) else {
        panic!()
    };
    let l = types.layout(r).unwrap();
    (l.size, l.align, l.fields.iter().map(|f| f.offset).collect())
}

#[test]
fn bit_field_rules_per_target() {
    // F-10.21: the same three structs under GCC x86, GCC ARM and MSVC.
    let s1 = "struct s { char a; int b1 : 9; unsigned b2 : 7; char c; };";
    let s2 = "struct s { char a; short : 9; char c; };";
    let s3 = "struct s { char a; int : 0; int : 0; char c; };";
    let x86 = Target::X86_64_LINUX;
    let arm = Target::AARCH64_LINUX;
    let msvc = Target::X86_64_WINDOWS;
    assert_eq!(layout_on(x86, s1, "struct s").0, 4);
    assert_eq!(layout_on(x86, s1, "struct s").2[3], 3);
    assert_eq!(layout_on(msvc, s1, "struct s").0, 12);
    assert_eq!(layout_on(msvc, s1, "struct s").2[3], 8);
    assert_eq!(layout_on(x86, s2, "struct s").0, 5);
    assert_eq!(layout_on(x86, s2, "struct s").1, 1);
    assert_eq!(
        (
            layout_on(arm, s2, "struct s").0,
            layout_on(arm, s2, "struct s").1
        ),
        (6, 2)
    );
    assert_eq!(
        (
            layout_on(msvc, s2, "struct s").0,
            layout_on(msvc, s2, "struct s").1
        ),
        (6, 2)
    );
    let (size, align, offsets) = layout_on(x86, s3, "struct s");
    assert_eq!((size, align, offsets[3]), (5, 1, 4));
    let (size, align, offsets) = layout_on(arm, s3, "struct s");
    assert_eq!((size, align, offsets[3]), (8, 4, 4));
    let (size, align, offsets) = layout_on(msvc, s3, "struct s");
    assert_eq!((size, align, offsets[3]), (2, 1, 1));
    // MSVC packs at 8 by default (F-01.08): a double after a char is
    // still 8-aligned, but nothing is aligned beyond 8.
    assert_eq!(
        layout_on(msvc, "struct d { char c; double d; };", "struct d").0,
        16
    );
    assert_eq!(
        layout_on(msvc, "struct d { char c; long l; };", "struct d").0,
        8
    );
}

#[test]
fn gcc_corner_cases_found_by_layout_check() {
    // Under any #pragma pack, bit fields may straddle units...
    let src = "#pragma pack(push, 8)\nstruct p { unsigned char a[2]; unsigned short b : 15; unsigned short c; \
               unsigned long long d : 63; short e; };\n#pragma pack(pop)\n";
    let (size, _, fields) = layout_of(src, "struct p");
    assert_eq!((size, fields[3].1), (16, 48));
    // ...and keep their alignment in a packed struct.
    let src = "#pragma pack(push, 8)\nstruct q { char c; unsigned short f : 13; } __attribute__((packed));\n#pragma pack(pop)\n";
    assert_eq!(layout_of(src, "struct q").0, 4);
    // `:0` aligns to its type even when packed or pack-capped.
    assert_eq!(
        layout_of(
            "struct z { char c; int : 0; char b; } __attribute__((packed));",
            "struct z"
        )
        .0,
        5
    );
    // A union of only unnamed bits is as big as the bits.
    assert_eq!(layout_of("union u { int : 9; };", "union u").0, 2);
}

#[test]
fn layout_errors_come_when_the_size_is_needed() {
    // F-01.98
    let (mut types, mut decls) =
        setup("struct a { struct b x; }; struct c { float f : 3; }; struct d { int x : 40; };");
    let err = |decls: &mut Declarations, types: &mut TypeTable, t: &str| {
        let id = decls.parse_type(types, t).unwrap();
        let Type::Record(r) = *types.get(id) else {
            panic!()
        };
        types.layout(r).unwrap_err().to_string()
    };
    assert_eq!(
        err(&mut decls, &mut types, "struct a"),
        "field 'struct a.x' has ctype 'struct b' of unknown size"
    );
    assert!(err(&mut decls, &mut types, "struct c").contains("cannot be a bit field"));
    assert!(err(&mut decls, &mut types, "struct d").contains("exceeds the width"));
    // Completing struct b later makes struct a usable (F-01.47).
    decls
        .cdef(&mut types, "struct b { int y; };", &CdefOptions::default())
        .unwrap();
    let id = decls.parse_type(&mut types, "struct a").unwrap();
    assert_eq!(types.size_of(id), Some(4));
    let (mut types, mut decls) = setup("struct r { struct r x; };");
    assert_eq!(
        err(&mut decls, &mut types, "struct r"),
        "recursive structure declaration for 'r'"
    );
}

#[test]
fn typedef_names_anonymous_structs() {
    // F-01.60, F-01.61
    let (mut types, mut decls) =
        setup("typedef struct { int x; } a_t, *a_p; typedef struct { int y; } *b_p;");
    let a = decls.parse_type(&mut types, "a_t").unwrap();
    assert_eq!(types.c_name(a), "a_t");
    let ap = decls.parse_type(&mut types, "a_p").unwrap();
    assert_eq!(types.c_name(ap), "a_t *");
    let bp = decls.parse_type(&mut types, "b_p").unwrap();
    assert!(
        types.c_name(bp).starts_with("struct $"),
        "{}",
        types.c_name(bp)
    );
    let err = Declarations::new().cdef(
        &mut types,
        "struct z { int a; }; struct z { int b; };",
        &CdefOptions::default(),
    );
    assert!(err
        .unwrap_err()
        .to_string()
        .contains("duplicate declaration of struct z"));
}

#[test]
fn enums() {
    // F-01.63, F-01.64, F-01.69
    let (mut types, mut decls) = setup("enum e { A, B = 5, C, D = B + 10, E = 'A' }; enum neg { N = -1 }; enum big { G = 0x100000000 };");
    let value = |decls: &Declarations, n: &str| match decls.lookup(n) {
        Some(Declared::IntConstant(v)) => v,
        other => panic!("{n}: {other:?}"),
    };
    assert_eq!(
        [
            value(&decls, "A"),
            value(&decls, "B"),
            value(&decls, "C"),
            value(&decls, "D"),
            value(&decls, "E")
        ],
        [0, 5, 6, 15, 65]
    );
    let e = decls.parse_type(&mut types, "enum e").unwrap();
    assert_eq!(
        (types.c_name(e), types.size_of(e)),
        ("enum e".to_owned(), Some(4))
    );
    let Type::Enum(id) = *types.get(e) else {
        panic!()
    };
    assert_eq!(types.enum_def(id).underlying, Primitive::UnsignedInt);
    let n = decls.parse_type(&mut types, "enum neg").unwrap();
    let Type::Enum(id) = *types.get(n) else {
        panic!()
    };
    assert_eq!(types.enum_def(id).underlying, Primitive::Int);
    let b = decls.parse_type(&mut types, "enum big").unwrap();
    assert_eq!(types.size_of(b), Some(8));
}

#[test]
fn failed_cdef_keeps_nothing() {
    let mut types = TypeTable::new(Target::X86_64_LINUX);
    let mut decls = Declarations::new();
    assert!(decls
        .cdef(
            &mut types,
            "int ok(int); void bad;",
            &CdefOptions::default()
        )
        .is_err());
    assert!(decls.lookup("ok").is_none());
}

#[test]
fn declarators_through_function_typedefs_declare_functions() {
    // `func_t sin;` declares a function, in every position a declarator
    // can take a function typedef (F-01.31).
    let mut types = TypeTable::new(Target::X86_64_LINUX);
    let mut decls = Declarations::new();
    let warnings = decls
        .cdef(
            &mut types,
            "typedef double func_t(double); typedef func_t func2_t;\n\
             func_t sin; extern func2_t cos;\n\
             struct s { func_t *fp; };\n\
             double apply(func_t f, double x);\n\
             int plain;",
            &CdefOptions::default(),
        )
        .unwrap();
    assert_eq!(fn_name(&types, &decls, "sin"), "double(*)(double)");
    assert_eq!(fn_name(&types, &decls, "cos"), "double(*)(double)");
    assert_eq!(
        fn_name(&types, &decls, "apply"),
        "double(*)(double(*)(double), double)",
        "a function parameter is a function pointer"
    );
    // Only the real variable is missing its `extern`.
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(matches!(&warnings[0].kind, WarningKind::MissingStorageClass(n) if n == "plain"));
}

#[test]
fn include_shares_types_and_integer_constants() {
    // F-03.123, F-03.124, F-03.125
    let mut types = TypeTable::new(Target::X86_64_LINUX);
    let mut one = Declarations::new();
    one.cdef(
        &mut types,
        "typedef signed char schar_t; struct foo { int x; }; enum e { FA, FB, FC };\n\
         enum { EE1 = 7 }; int f(int); extern int v;\n#define N 3",
        &CdefOptions::default(),
    )
    .unwrap();
    let mut two = Declarations::new();
    two.include(&one, false).unwrap();
    let foo =
        |d: &mut Declarations, types: &mut TypeTable| d.parse_type(types, "struct foo").unwrap();
    assert_eq!(
        foo(&mut two, &mut types),
        foo(&mut one, &mut types),
        "the same type"
    );
    assert_eq!(
        two.parse_type(&mut types, "schar_t").unwrap(),
        one.parse_type(&mut types, "schar_t").unwrap()
    );
    assert_eq!(two.lookup("FB"), Some(Declared::IntConstant(1)));
    assert_eq!(two.lookup("EE1"), Some(Declared::IntConstant(7)));
    assert_eq!(two.lookup("N"), Some(Declared::IntConstant(3)));
    assert_eq!(two.lookup("f"), None, "functions stay the included set's");
    assert_eq!(two.lookup("v"), None, "so do variables");
    // A conflicting declaration refuses the whole include.
    let mut three = Declarations::new();
    three
        .cdef(
            &mut types,
            "typedef int schar_t;\n#define N 3",
            &CdefOptions::default(),
        )
        .unwrap();
    let err = three.include(&one, false).unwrap_err();
    assert!(
        matches!(
            err.kind,
            ModelErrorKind::Duplicate {
                kind: "typedef",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(three.lookup("FB"), None, "all or nothing");
}

#[test]
fn declaring_while_reading_keeps_all_or_nothing_and_syntax_errors_first() {
    let mut types = TypeTable::new(Target::host());
    let mut decls = Declarations::new();
    decls
        .cdef(&mut types, "int kept;", &Default::default())
        .unwrap();
    // An error of meaning (a duplicate), then a syntax error further on:
    // the syntax error is reported, as when the whole text is parsed
    // before anything is declared.
    let err = decls
        .cdef(&mut types, "int a; long a; int b(;", &Default::default())
        .unwrap_err();
    assert!(matches!(err.kind, ModelErrorKind::Syntax(_)), "{err:?}");
    // Only an error of meaning: that one.
    let err = decls
        .cdef(&mut types, "int c; long c; int d;", &Default::default())
        .unwrap_err();
    assert!(
        matches!(err.kind, ModelErrorKind::Duplicate { .. }),
        "{err:?}"
    );
    // Nothing of either text was declared; the earlier one stays.
    for name in ["a", "b", "c", "d"] {
        assert!(decls.lookup(name).is_none(), "{name}");
    }
    assert!(decls.lookup("kept").is_some());
}

#[test]
fn bodies_are_not_replaced_even_with_override() {
    let mut types = TypeTable::new(Target::host());
    let mut decls = Declarations::new();
    let over = CdefOptions {
        override_: true,
        ..CdefOptions::default()
    };
    decls
        .cdef(&mut types, "struct s { int a; }; enum e { A };", &over)
        .unwrap();
    for src in ["struct s { double b[11]; };", "enum e { B, C };"] {
        let err = decls.cdef(&mut types, src, &over).unwrap_err();
        assert!(
            err.to_string().starts_with("duplicate declaration of"),
            "{err}"
        );
    }
    let s = decls.parse_type(&mut types, "struct s").unwrap();
    assert_eq!(types.size_of(s), Some(4));
}

#[test]
fn compiler_lengths_are_refused_in_type_strings() {
    // Found by the type_string fuzz target: `int[...][...]` became `int[][]`,
    // a type whose name does not parse back. cffi refuses `[...]` there.
    let (mut types, mut decls) = setup("");
    for src in [
        "int[...]",
        "signed Long[...][...]",
        "int(*)(int[...])",
        "int *[...]",
    ] {
        let err = decls.parse_type(&mut types, src).unwrap_err();
        assert_eq!(err.kind, ModelErrorKind::CompilerLengthHere, "{src}");
    }
}
