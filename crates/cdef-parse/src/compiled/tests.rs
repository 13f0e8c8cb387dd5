//! The compiled FFI's type strings: what parses to what, and each refusal
//! with the original's message and position (F-02.19..F-02.23).

use super::*;

struct Names;

impl TypeNames for Names {
    fn is_type_name(&self, name: &str) -> bool {
        name == "foo_t" || crate::Predeclared.is_type_name(name)
    }
}

impl CompiledNames for Names {
    fn record_tag(&self, name: &str) -> Option<bool> {
        match name {
            "s" => Some(false),
            "u" => Some(true),
            _ => None,
        }
    }
    fn enum_tag(&self, name: &str) -> bool {
        name == "e"
    }
    fn int_constant(&self, name: &str) -> Option<i128> {
        match name {
            "N" => Some(4),
            "NEG" => Some(-1),
            "HUGE" => Some(1 << 70),
            _ => None,
        }
    }
}

fn ok(src: &str) -> String {
    parse_compiled_type(src, &Names).unwrap().to_string()
}

fn err(src: &str) -> (&'static str, usize) {
    let e = parse_compiled_type(src, &Names).unwrap_err();
    (e.message, e.at)
}

#[test]
fn declarators_build_types_inside_out() {
    assert_eq!(ok("int"), "int");
    assert_eq!(ok("unsigned"), "unsigned int");
    assert_eq!(ok("long double"), "long double");
    assert_eq!(ok("unsigned char *"), "unsigned char *");
    assert_eq!(ok("int(*)(long)"), "int (*)(long)");
    assert_eq!(ok("int *[3]"), "int *[3]");
    assert_eq!(ok("int (*)[3]"), "int (*)[3]");
    assert_eq!(ok("int (*(*)(long))[3]"), "int (*(*)(long))[3]");
    assert_eq!(ok("int[2][3]"), "int [2][3]");
    assert_eq!(ok("int(*)(...)"), "int (*)(...)");
    assert_eq!(ok("int(void)"), "int ()");
    assert_eq!(ok("char[0x10]"), "char [16]");
    assert_eq!(ok("char[010]"), "char [8]");
    assert_eq!(ok("char[N]"), "char [4]");
    assert_eq!(ok("const struct s * volatile x"), "struct s *");
    assert_eq!(ok("double _Complex"), "double _Complex");
    assert_eq!(ok("foo_t"), "foo_t");
    assert_eq!(ok("struct _IO_FILE *"), "FILE *");
}

#[test]
fn refusals_have_the_originals_words_and_places() {
    assert_eq!(err(""), ("identifier expected", 0));
    assert_eq!(err("int int"), ("unexpected symbol", 4));
    assert_eq!(err("bar_t"), ("undefined type name", 0));
    assert_eq!(err("struct"), ("struct or union name expected", 6));
    assert_eq!(err("struct baz"), ("undefined struct/union name", 7));
    assert_eq!(err("union s"), ("wrong kind of tag: struct vs union", 6));
    assert_eq!(err("enum"), ("enum name expected", 4));
    assert_eq!(err("enum f"), ("undefined enum name", 5));
    assert_eq!(err("int("), ("identifier expected", 4));
    assert_eq!(err("int(*"), ("expected ')'", 5));
    assert_eq!(err("int[3"), ("expected ']'", 5));
    assert_eq!(err("int["), ("expected a positive integer constant", 4));
    assert_eq!(err("int[NEG]"), ("expected a positive integer constant", 4));
    assert_eq!(err("int[HUGE]"), ("integer constant too large", 4));
    assert_eq!(err("char[0x]"), ("invalid number", 5));
    assert_eq!(err("char[09]"), ("invalid number", 5));
    assert_eq!(err("int[99999999999999999999999]"), ("number too large", 4));
    assert_eq!(err("long long long"), ("'long long long' is too long", 10));
    assert_eq!(err("short long"), ("'long' after 'short'", 6));
    assert_eq!(
        err("long short"),
        ("'short' after another 'short' or 'long'", 5)
    );
    assert_eq!(
        err("unsigned signed"),
        ("multiple 'signed' or 'unsigned'", 9)
    );
    assert_eq!(err("unsigned float"), ("invalid combination of types", 9));
    assert_eq!(err("long char"), ("invalid combination of types", 5));
    assert_eq!(err("_Complex float"), ("identifier expected", 0));
    assert_eq!(
        err("int _Complex"),
        ("_Complex type combination unsupported", 4)
    );
    assert_eq!(err("int __stdcall"), ("expected '('", 13));
    assert_eq!(err("int)"), ("unexpected symbol", 3));
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let deep = format!("int{}{}", "(*".repeat(5000), ")".repeat(5000));
    assert_eq!(
        parse_compiled_type(&deep, &Names).unwrap_err().message,
        "internal type complexity limit reached"
    );
}
