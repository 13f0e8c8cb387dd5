//! Unit tests of the parser.

use super::*;
use crate::Predeclared;

fn ty(src: &str) -> TypeExpr {
    parse_type(src, &Predeclared).unwrap()
}

fn builtin(ty: Builtin) -> TypeExpr {
    TypeExpr::Builtin {
        ty,
        quals: Quals::NONE,
    }
}

fn ptr(t: TypeExpr) -> TypeExpr {
    TypeExpr::Pointer {
        pointee: Box::new(t),
        quals: Quals::NONE,
    }
}

fn func(result: TypeExpr, params: Vec<TypeExpr>, variadic: bool) -> TypeExpr {
    let params = params
        .into_iter()
        .map(|ty| Param {
            name: None,
            ty,
            span: Span::default(),
        })
        .collect();
    TypeExpr::Function(FunctionExpr {
        result: Box::new(result),
        params,
        variadic,
        call_conv: None,
    })
}

/// Spans make exact comparisons of parameters noisy; erase them.
fn erase(t: TypeExpr) -> TypeExpr {
    match t {
        TypeExpr::Pointer { pointee, quals } => TypeExpr::Pointer {
            pointee: Box::new(erase(*pointee)),
            quals,
        },
        TypeExpr::Array { item, len } => TypeExpr::Array {
            item: Box::new(erase(*item)),
            len,
        },
        TypeExpr::Function(f) => TypeExpr::Function(FunctionExpr {
            result: Box::new(erase(*f.result)),
            params: f
                .params
                .into_iter()
                .map(|p| Param {
                    name: None,
                    ty: erase(p.ty),
                    span: Span::default(),
                })
                .collect(),
            variadic: f.variadic,
            call_conv: f.call_conv,
        }),
        other => other,
    }
}

#[test]
fn integer_spellings_are_canonical() {
    for (src, want) in [
        ("unsigned long int", Builtin::UnsignedLong),
        ("long long unsigned", Builtin::UnsignedLongLong),
        ("short int signed", Builtin::Short),
        ("signed", Builtin::Int),
        ("unsigned", Builtin::UnsignedInt),
        ("signed char", Builtin::SignedChar),
        ("char", Builtin::Char),
        ("long double", Builtin::LongDouble),
        ("double _Complex", Builtin::DoubleComplex),
        ("_Bool", Builtin::Bool),
    ] {
        assert_eq!(ty(src), builtin(want), "{src}");
    }
}

#[test]
fn invalid_specifier_combinations_are_rejected() {
    for src in [
        "short char",
        "long long long",
        "signed unsigned",
        "void int",
        "double float",
        "int int",
    ] {
        let err = parse_type(src, &Predeclared).unwrap_err();
        assert!(
            matches!(err.kind, ParseErrorKind::InvalidTypeSpecifiers(_)),
            "{src}: {err:?}"
        );
    }
}

#[test]
fn declarators_nest_inside_out() {
    // F-02: pointer to array, array of pointers, function pointers.
    assert_eq!(
        ty("int(*)[3]"),
        ptr(TypeExpr::Array {
            item: Box::new(builtin(Builtin::Int)),
            len: Some(ArrayLen::Expr(Expr::Int(3)))
        })
    );
    assert_eq!(
        ty("int *[3]"),
        TypeExpr::Array {
            item: Box::new(ptr(builtin(Builtin::Int))),
            len: Some(ArrayLen::Expr(Expr::Int(3)))
        }
    );
    assert_eq!(
        erase(ty("int(*)(long, ...)")),
        ptr(func(
            builtin(Builtin::Int),
            vec![builtin(Builtin::Long)],
            true
        ))
    );
    assert_eq!(
        erase(ty("int(*[5])(long)")),
        TypeExpr::Array {
            item: Box::new(ptr(func(
                builtin(Builtin::Int),
                vec![builtin(Builtin::Long)],
                false
            ))),
            len: Some(ArrayLen::Expr(Expr::Int(5))),
        }
    );
    assert_eq!(
        erase(ty("int(int)")),
        func(builtin(Builtin::Int), vec![builtin(Builtin::Int)], false)
    );
}

#[test]
fn qualifiers_are_kept_where_written() {
    let t = ty("char * const *");
    assert_eq!(
        t,
        ptr(TypeExpr::Pointer {
            pointee: Box::new(builtin(Builtin::Char)),
            quals: Quals::CONST
        })
    );
    assert_eq!(
        ty("const char *"),
        ptr(TypeExpr::Builtin {
            ty: Builtin::Char,
            quals: Quals::CONST
        })
    );
}

#[test]
fn slice_declarations() {
    let src =
        "int abs(int);\n size_t strlen(const char *);\n double sqrt(double x);\n long labs(long);";
    let cdef = parse_cdef(src, &Predeclared).unwrap();
    let names: Vec<_> = cdef.decls.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["abs", "strlen", "sqrt", "labs"]);
    let DeclKind::Function(f) = &cdef.decls[2].kind else {
        panic!()
    };
    assert_eq!(f.params[0].name.as_deref(), Some("x"));
    assert_eq!(cdef.decls[1].span.text(src), "strlen");
}

#[test]
fn typedefs_become_type_names_for_later_declarations() {
    let cdef = parse_cdef(
        "typedef unsigned int u32, *pu32; u32 f(pu32 p);",
        &Predeclared,
    )
    .unwrap();
    assert_eq!(cdef.decls.len(), 3);
    let DeclKind::Function(f) = &cdef.decls[2].kind else {
        panic!()
    };
    assert_eq!(
        *f.result,
        TypeExpr::Named {
            name: "u32".into(),
            quals: Quals::NONE
        }
    );
}

#[test]
fn variables_and_void_params() {
    let cdef = parse_cdef("extern int errno_like; int f(void); int g();", &Predeclared).unwrap();
    assert!(matches!(
        cdef.decls[0].kind,
        DeclKind::Variable {
            storage: Storage::Extern,
            ..
        }
    ));
    let DeclKind::Function(f) = &cdef.decls[1].kind else {
        panic!()
    };
    assert_eq!(f.params.len(), 1);
    let DeclKind::Function(g) = &cdef.decls[2].kind else {
        panic!()
    };
    assert!(g.params.is_empty());
}

#[test]
fn errors_name_the_offending_token() {
    let err = parse_cdef("int f(;", &Predeclared).unwrap_err();
    assert_eq!(err.span, Span::new(6, 7));
    assert_eq!(err.kind.to_string(), "expected a parameter type, found ';'");

    let err = parse_cdef("\n\n  int foo(unknown_t x);", &Predeclared).unwrap_err();
    assert_eq!(
        err.kind,
        ParseErrorKind::UnknownTypeName("unknown_t".into())
    );

    let err = parse_cdef("int f(...);", &Predeclared).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::OnlyEllipsis);

    let err = parse_cdef("int f(int x)\nint g(int);", &Predeclared).unwrap_err();
    assert_eq!(
        err.kind.to_string(),
        "expected ';' after the declaration, found 'int'"
    );

    let err = parse_cdef("int f(void) { return 0; }", &Predeclared).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::NotInCdef("function definition"));

    let err = parse_cdef("int;", &Predeclared).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::DeclaresNothing);

    let err = parse_cdef("#include <stdio.h>\nint f(void);", &Predeclared).unwrap_err();
    assert_eq!(
        err.kind,
        ParseErrorKind::UnsupportedDirective("#include <stdio.h>".into())
    );
}

#[test]
fn line_directives_are_skipped() {
    let cdef = parse_cdef("# 10 \"foo.h\"\nint f(void);", &Predeclared).unwrap();
    assert_eq!(cdef.decls.len(), 1);
    // Inside a body and inside a declaration too, as `gcc -E` output has
    // them (found by a real package's build script).
    let text = "struct s {\n# 3 \"x.h\" 3 4\n int a;\n#line 9 \"y.h\"\n int b; };\n\
                int\n# 12 \"z.h\"\n g(int);";
    let cdef = parse_cdef(text, &Predeclared).unwrap();
    assert_eq!(cdef.decls.len(), 2);
    let err = parse_cdef("struct t {\n# 7 \"x.h\"\n int a b; };", &Predeclared).unwrap_err();
    let map = crate::SourceMap::with_tokens(
        "struct t {\n# 7 \"x.h\"\n int a b; };",
        &crate::tokenize("struct t {\n# 7 \"x.h\"\n int a b; };").unwrap(),
    );
    assert_eq!(map.locate(err.span.start).file, "x.h");
    assert_eq!(map.locate(err.span.start).line, 7);
}

/// `union { ... } a0, ..., a9;` nested seven deep would copy the
/// innermost body ten million times: an error, not exhausted memory
/// (found by the type_string fuzzer).
#[test]
fn exponential_body_copies_are_refused() {
    let names: Vec<String> = (0..10).map(|i| format!("a{i}")).collect();
    let mut body = "union { int x; }".to_owned();
    for _ in 0..7 {
        body = format!("union {{ {body} {}; }}", names.join(", "));
    }
    let err = parse_cdef(&format!("typedef {body} t;"), &Predeclared).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::TooLarge);
    // Three levels (a thousand copies) are fine.
    let mut body = "union { int x; }".to_owned();
    for _ in 0..3 {
        body = format!("union {{ {body} {}; }}", names.join(", "));
    }
    assert!(parse_cdef(&format!("typedef {body} t;"), &Predeclared).is_ok());
}

/// The parser reads the text a top-level piece at a time; declarations
/// that span what looks like a piece boundary still parse whole.
#[test]
fn pieces_keep_declarations_whole() {
    let names = |src: &str| -> Vec<String> {
        parse_cdef(src, &Predeclared)
            .unwrap()
            .decls
            .into_iter()
            .map(|d| d.name.to_string())
            .collect()
    };
    assert_eq!(
        names("extern \"Python\" { int f(int); int g(void); } int h(void);"),
        ["f", "g", "h"]
    );
    assert_eq!(names("struct s { int x; long y[2]; };\nint a;"), ["s", "a"]);
    assert_eq!(
        names("#define A 1\n#define B (A + 1)\nint c[B];"),
        ["A", "B", "c"]
    );
    assert_eq!(names("enum e { X = (1 << 2), Y };"), ["e"]);
    // A stray closing bracket is reported where it stands.
    let err = parse_cdef("int f(int a));\nint g;", &Predeclared).unwrap_err();
    assert_eq!(err.span.text("int f(int a));\nint g;"), ")");
    // Errors come in source order: the bad declarator before the bad
    // character further down.
    let err = parse_cdef("int 1x;\nint @;", &Predeclared).unwrap_err();
    assert_eq!(err.span.start, 4);
}

#[test]
fn integer_literals() {
    assert_eq!(parse_int_literal("10"), Some(10));
    assert_eq!(parse_int_literal("0x1fUL"), Some(31));
    assert_eq!(parse_int_literal("010"), Some(8));
    assert_eq!(parse_int_literal("0"), Some(0));
    assert_eq!(parse_int_literal("99999999999999999999999"), None);
}

#[test]
fn type_strings_reject_names_and_trailing_tokens() {
    assert!(
        parse_type("int x", &Predeclared).is_ok(),
        "a name is ignored, as in cffi"
    );
    assert!(parse_type("int )", &Predeclared).is_err());
    assert!(parse_type("", &Predeclared).is_err());
    assert!(parse_type("foo_t", &Predeclared).is_err());
}

/// Initializers the original reads (integer literals) and those it ignores
/// (anything else), as preprocessed headers have them (zstd.h's
/// `static ZSTD_customMem const ZSTD_defaultCMem = { NULL, NULL, NULL };`).
#[test]
fn initializers_other_than_integers_are_ignored() {
    let text = "typedef struct { void *a, *b; } M;\n\
                static M const DEF = { NULL, NULL };\n\
                static const int X = 3, Y = (1 << 4);\n\
                double const D = 1.5;\n\
                int arr[3] = { 1, 2, 3 };\n\
                int N = -7;\n\
                char *s = \"text\";";
    let cdef = parse_cdef(text, &Predeclared).unwrap();
    let kinds: Vec<(&str, bool, bool)> = cdef
        .decls
        .iter()
        .map(|d| match &d.kind {
            DeclKind::Constant { value, .. } => (d.name.as_str(), true, value.is_some()),
            DeclKind::Variable { .. } => (d.name.as_str(), false, false),
            _ => (d.name.as_str(), false, true),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("M", false, true),
            ("DEF", true, false),
            ("X", true, true),
            ("Y", true, true),
            ("D", true, false),
            ("arr", false, false),
            ("N", true, true),
            ("s", false, false),
        ]
    );
}
