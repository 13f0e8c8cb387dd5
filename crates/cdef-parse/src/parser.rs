//! A recursive-descent parser over the tokens of [`crate::tokenize`].
//!
//! C declarators are read inside-out: `int (*f[2])(long)` is "f is an array
//! of 2 pointers to functions taking long and returning int". The parser
//! collects a declarator's derivations (pointer, array, function) as a list
//! of operations and applies them to the base type in the order C gives
//! them, which handles any nesting of parentheses.

use crate::ast::{
    ArrayLen, Builtin, Cdef, Decl, DeclKind, FunctionExpr, Param, Quals, Storage, TypeExpr,
};
use crate::diagnostic::parse_line_directive;
use crate::lexer::{tokenize, Token, TokenKind};
use crate::{ParseError, ParseErrorKind, Span, TypeNames};
use std::collections::HashSet;

/// Parses the text of one `cdef()` call.
///
/// `names` says which identifiers are typedef names before this text; the
/// typedefs this text declares are added as the parse goes, so later
/// declarations can use them.
pub fn parse_cdef(src: &str, names: &dyn TypeNames) -> Result<Cdef, ParseError> {
    let mut p = Parser::new(src, names)?;
    let mut cdef = Cdef::default();
    while !p.at(TokenKind::Eof) {
        p.declaration(&mut cdef.decls)?;
    }
    Ok(cdef)
}

/// Parses a C type string such as `"int *"`, `"char[10]"` or
/// `"int(*)(long, ...)"`: a type without a declared name.
pub fn parse_type(src: &str, names: &dyn TypeNames) -> Result<TypeExpr, ParseError> {
    let mut p = Parser::new(src, names)?;
    let Some(spec) = p.specifiers(false)? else {
        return Err(p.missing_type("a type"));
    };
    let (name, ty) = p.declarator(spec.base, NameRule::Forbidden)?;
    debug_assert!(name.is_none());
    if !p.at(TokenKind::Eof) {
        return Err(p.expected("the end of the type"));
    }
    Ok(ty)
}

/// Whether a declarator may, must or must not carry a name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NameRule {
    Required,
    Optional,
    Forbidden,
}

/// A declared name and where it stands.
type Name = (String, Span);

/// One derivation step of a declarator, applied to the type built so far.
enum Derive {
    Pointer(Quals),
    Array(Option<ArrayLen>),
    Function(Vec<Param>, bool),
}

struct Specifiers {
    base: TypeExpr,
    storage: Storage,
}

struct Parser<'s, 'n> {
    src: &'s str,
    tokens: Vec<Token>,
    pos: usize,
    names: &'n dyn TypeNames,
    /// Typedef names declared earlier in this same text.
    local_typedefs: HashSet<String>,
}

const QUALIFIERS: &[(&str, Quals)] = &[
    ("const", Quals::CONST),
    ("__const", Quals::CONST),
    ("volatile", Quals::VOLATILE),
    ("__volatile", Quals::VOLATILE),
    ("__volatile__", Quals::VOLATILE),
    ("restrict", Quals::RESTRICT),
    ("__restrict", Quals::RESTRICT),
    ("__restrict__", Quals::RESTRICT),
];

const TYPE_KEYWORDS: &[&str] = &[
    "void",
    "char",
    "short",
    "int",
    "long",
    "float",
    "double",
    "signed",
    "__signed",
    "__signed__",
    "unsigned",
    "_Bool",
    "_Complex",
    "__complex__",
];

const OTHER_KEYWORDS: &[&str] = &[
    "typedef",
    "extern",
    "static",
    "inline",
    "__inline",
    "__inline__",
    "register",
    "auto",
    "struct",
    "union",
    "enum",
    "sizeof",
    "return",
    "if",
    "else",
    "while",
    "for",
    "do",
    "switch",
    "case",
    "default",
    "break",
    "continue",
    "goto",
];

fn is_keyword(word: &str) -> bool {
    TYPE_KEYWORDS.contains(&word)
        || OTHER_KEYWORDS.contains(&word)
        || QUALIFIERS.iter().any(|(q, _)| *q == word)
}

/// Counts of the type keywords seen in one declaration's specifiers.
#[derive(Default)]
struct KeywordCounts {
    void: u8,
    char: u8,
    short: u8,
    int: u8,
    long: u8,
    float: u8,
    double: u8,
    signed: u8,
    unsigned: u8,
    bool: u8,
    complex: u8,
}

impl KeywordCounts {
    fn any(&self) -> bool {
        self.void
            + self.char
            + self.short
            + self.int
            + self.long
            + self.float
            + self.double
            + self.signed
            + self.unsigned
            + self.bool
            + self.complex
            > 0
    }

    fn add(&mut self, word: &str) {
        let slot = match word {
            "void" => &mut self.void,
            "char" => &mut self.char,
            "short" => &mut self.short,
            "int" => &mut self.int,
            "long" => &mut self.long,
            "float" => &mut self.float,
            "double" => &mut self.double,
            "signed" | "__signed" | "__signed__" => &mut self.signed,
            "unsigned" => &mut self.unsigned,
            "_Bool" => &mut self.bool,
            _ => &mut self.complex,
        };
        *slot = slot.saturating_add(1);
    }

    /// The builtin type these keywords spell together, if they do.
    fn resolve(&self) -> Option<Builtin> {
        let c = self;
        let sign = c.signed + c.unsigned;
        let others = |allowed: &[u8]| -> bool {
            let all = [
                c.void, c.char, c.short, c.int, c.long, c.float, c.double, c.bool, c.complex, sign,
            ];
            all.iter().sum::<u8>() == allowed.iter().sum::<u8>()
        };
        if c.signed > 1 || c.unsigned > 1 || (c.signed > 0 && c.unsigned > 0) {
            return None;
        }
        if c.void == 1 {
            return others(&[1]).then_some(Builtin::Void);
        }
        if c.bool == 1 {
            return others(&[1]).then_some(Builtin::Bool);
        }
        if c.float == 1 {
            if c.complex == 1 && others(&[1, 1]) {
                return Some(Builtin::FloatComplex);
            }
            return others(&[1]).then_some(Builtin::Float);
        }
        if c.double == 1 {
            return match (c.long, c.complex) {
                (0, 0) if others(&[1]) => Some(Builtin::Double),
                (1, 0) if others(&[1, 1]) => Some(Builtin::LongDouble),
                (0, 1) if others(&[1, 1]) => Some(Builtin::DoubleComplex),
                _ => None,
            };
        }
        if c.complex > 0 || c.void + c.bool + c.float + c.double > 0 || c.int > 1 {
            return None;
        }
        if c.char == 1 {
            if c.short + c.long + c.int > 0 || c.char > 1 {
                return None;
            }
            return Some(match (c.signed, c.unsigned) {
                (1, _) => Builtin::SignedChar,
                (_, 1) => Builtin::UnsignedChar,
                _ => Builtin::Char,
            });
        }
        if c.char > 1 || (c.short > 0 && c.long > 0) || c.short > 1 || c.long > 2 {
            return None;
        }
        let unsigned = c.unsigned == 1;
        Some(match (c.short, c.long, unsigned) {
            (1, _, false) => Builtin::Short,
            (1, _, true) => Builtin::UnsignedShort,
            (_, 1, false) => Builtin::Long,
            (_, 1, true) => Builtin::UnsignedLong,
            (_, 2, false) => Builtin::LongLong,
            (_, 2, true) => Builtin::UnsignedLongLong,
            (_, _, false) => Builtin::Int,
            (_, _, true) => Builtin::UnsignedInt,
        })
    }
}

impl<'s, 'n> Parser<'s, 'n> {
    fn new(src: &'s str, names: &'n dyn TypeNames) -> Result<Self, ParseError> {
        Ok(Parser {
            src,
            tokens: tokenize(src)?,
            pos: 0,
            names,
            local_typedefs: HashSet::new(),
        })
    }

    fn peek(&self) -> Token {
        self.tokens[self.pos]
    }

    fn peek_at(&self, ahead: usize) -> Token {
        self.tokens[(self.pos + ahead).min(self.tokens.len() - 1)]
    }

    fn text(&self, tok: Token) -> &'s str {
        tok.span.text(self.src)
    }

    fn at(&self, kind: TokenKind) -> bool {
        self.peek().kind == kind
    }

    fn at_punct(&self, p: &str) -> bool {
        let t = self.peek();
        t.kind == TokenKind::Punct && self.text(t) == p
    }

    fn at_word(&self, w: &str) -> bool {
        let t = self.peek();
        t.kind == TokenKind::Ident && self.text(t) == w
    }

    fn bump(&mut self) -> Token {
        let t = self.peek();
        if t.kind != TokenKind::Eof {
            self.pos += 1;
        }
        t
    }

    fn eat_punct(&mut self, p: &str) -> bool {
        let yes = self.at_punct(p);
        if yes {
            self.bump();
        }
        yes
    }

    fn describe(&self, tok: Token) -> String {
        match tok.kind {
            TokenKind::Eof => "end of input".to_owned(),
            TokenKind::Directive => "a preprocessor directive".to_owned(),
            _ => format!("'{}'", self.text(tok)),
        }
    }

    fn expected(&self, what: &'static str) -> ParseError {
        let tok = self.peek();
        ParseError {
            kind: ParseErrorKind::Unexpected {
                expected: what,
                found: self.describe(tok),
            },
            span: tok.span,
        }
    }

    fn expect_punct(&mut self, p: &'static str, what: &'static str) -> Result<(), ParseError> {
        if self.eat_punct(p) {
            Ok(())
        } else {
            Err(self.expected(what))
        }
    }

    fn error_here(&self, kind: ParseErrorKind) -> ParseError {
        ParseError {
            kind,
            span: self.peek().span,
        }
    }

    fn is_type_name(&self, word: &str) -> bool {
        self.local_typedefs.contains(word) || self.names.is_type_name(word)
    }

    /// One top-level declaration, possibly declaring several names.
    fn declaration(&mut self, out: &mut Vec<Decl>) -> Result<(), ParseError> {
        let tok = self.peek();
        if tok.kind == TokenKind::Directive {
            let text = self.text(tok);
            if parse_line_directive(text).is_none() {
                let line = text.lines().next().unwrap_or(text).trim_end().to_owned();
                return Err(ParseError {
                    kind: ParseErrorKind::UnsupportedDirective(line),
                    span: tok.span,
                });
            }
            self.bump();
            return Ok(());
        }
        if self.eat_punct(";") {
            return Ok(());
        }
        let is_typedef = self.at_word("typedef");
        if is_typedef {
            self.bump();
        }
        let Some(spec) = self.specifiers(true)? else {
            return Err(self.missing_type("a type to start a declaration"));
        };
        loop {
            let (name, ty) = self.declarator(spec.base.clone(), NameRule::Required)?;
            let (name, span) = name.expect("NameRule::Required yields a name");
            if self.at_punct("=") {
                return Err(
                    self.error_here(ParseErrorKind::Unsupported("initialized declarations"))
                );
            }
            let kind = if is_typedef {
                self.local_typedefs.insert(name.clone());
                DeclKind::Typedef(ty)
            } else if let TypeExpr::Function(func) = ty {
                DeclKind::Function(func)
            } else {
                DeclKind::Variable {
                    ty,
                    storage: spec.storage,
                }
            };
            out.push(Decl { name, kind, span });
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct(";", "';' after the declaration")
    }

    /// The error for a place where a type should start but does not.
    fn missing_type(&self, expected: &'static str) -> ParseError {
        let tok = self.peek();
        if tok.kind == TokenKind::Ident && !is_keyword(self.text(tok)) {
            return ParseError {
                kind: ParseErrorKind::UnknownTypeName(self.text(tok).to_owned()),
                span: tok.span,
            };
        }
        self.expected(expected)
    }

    /// Declaration specifiers: qualifiers, storage class and the base type.
    /// Returns `None` (consuming nothing) if no type specifier is present.
    fn specifiers(&mut self, allow_storage: bool) -> Result<Option<Specifiers>, ParseError> {
        let start = self.pos;
        let first = self.peek().span;
        let mut quals = Quals::NONE;
        let mut storage = Storage::None;
        let mut counts = KeywordCounts::default();
        let mut named: Option<String> = None;
        loop {
            let tok = self.peek();
            if tok.kind != TokenKind::Ident {
                break;
            }
            let word = self.text(tok);
            if let Some((_, q)) = QUALIFIERS.iter().find(|(q, _)| *q == word) {
                quals |= *q;
            } else if allow_storage && (word == "extern" || word == "static") {
                storage = if word == "extern" {
                    Storage::Extern
                } else {
                    Storage::Static
                };
            } else if allow_storage
                && matches!(word, "inline" | "__inline" | "__inline__" | "register")
            {
                // Accepted and irrelevant to the type.
            } else if TYPE_KEYWORDS.contains(&word) {
                if named.is_some() {
                    return Err(self
                        .error_here(ParseErrorKind::InvalidTypeSpecifiers(self.spec_text(first))));
                }
                counts.add(word);
            } else if matches!(word, "struct" | "union" | "enum") {
                return Err(
                    self.error_here(ParseErrorKind::Unsupported("struct, union and enum types"))
                );
            } else if named.is_none() && !counts.any() && self.is_type_name(word) {
                named = Some(word.to_owned());
            } else {
                break;
            }
            self.bump();
        }
        let base = if let Some(name) = named {
            TypeExpr::Named { name, quals }
        } else if counts.any() {
            let Some(ty) = counts.resolve() else {
                let end = self.tokens[self.pos - 1].span.end;
                return Err(ParseError {
                    kind: ParseErrorKind::InvalidTypeSpecifiers(self.spec_text(first)),
                    span: Span {
                        start: first.start,
                        end,
                    },
                });
            };
            TypeExpr::Builtin { ty, quals }
        } else {
            self.pos = start;
            return Ok(None);
        };
        Ok(Some(Specifiers { base, storage }))
    }

    fn spec_text(&self, first: Span) -> String {
        let end = self.tokens[self.pos.saturating_sub(1)]
            .span
            .end
            .max(first.end);
        Span {
            start: first.start,
            end,
        }
        .text(self.src)
        .to_owned()
    }

    /// A (possibly abstract) declarator applied to `base`.
    fn declarator(
        &mut self,
        base: TypeExpr,
        rule: NameRule,
    ) -> Result<(Option<Name>, TypeExpr), ParseError> {
        let (name, derives) = self.derivations(rule)?;
        if rule == NameRule::Required && name.is_none() {
            return Err(self.expected("a name for the declaration"));
        }
        let mut ty = base;
        for d in derives {
            ty = match d {
                Derive::Pointer(quals) => TypeExpr::Pointer {
                    pointee: Box::new(ty),
                    quals,
                },
                Derive::Array(len) => TypeExpr::Array {
                    item: Box::new(ty),
                    len,
                },
                Derive::Function(params, variadic) => TypeExpr::Function(FunctionExpr {
                    result: Box::new(ty),
                    params,
                    variadic,
                }),
            };
        }
        Ok((name, ty))
    }

    /// Reads a declarator into its name and the derivations to apply to the
    /// base type, innermost type first.
    fn derivations(&mut self, rule: NameRule) -> Result<(Option<Name>, Vec<Derive>), ParseError> {
        let mut pointers = Vec::new();
        while self.eat_punct("*") {
            pointers.push(Derive::Pointer(self.qualifiers()));
        }
        let (name, inner) = if self.at_punct("(") && self.starts_nested_declarator() {
            self.bump();
            let r = self.derivations(rule)?;
            self.expect_punct(")", "')' to close the declarator")?;
            r
        } else if self.at(TokenKind::Ident) && !is_keyword(self.text(self.peek())) {
            if rule == NameRule::Forbidden {
                return Err(self.expected("the end of the type"));
            }
            let tok = self.bump();
            (Some((self.text(tok).to_owned(), tok.span)), Vec::new())
        } else {
            (None, Vec::new())
        };
        let mut suffixes = Vec::new();
        loop {
            if self.eat_punct("[") {
                suffixes.push(Derive::Array(self.array_len()?));
            } else if self.eat_punct("(") {
                let (params, variadic) = self.parameters()?;
                suffixes.push(Derive::Function(params, variadic));
            } else {
                break;
            }
        }
        let mut derives = pointers;
        derives.extend(suffixes.into_iter().rev());
        derives.extend(inner);
        Ok((name, derives))
    }

    /// After a `(` in declarator position: does a nested declarator follow
    /// (`(*f)`, `(name)`), or a parameter list?
    fn starts_nested_declarator(&self) -> bool {
        let next = self.peek_at(1);
        match next.kind {
            TokenKind::Punct => matches!(self.text(next), "*" | "(" | "["),
            TokenKind::Ident => {
                let w = self.text(next);
                !is_keyword(w) && !self.is_type_name(w)
            }
            _ => false,
        }
    }

    fn qualifiers(&mut self) -> Quals {
        let mut quals = Quals::NONE;
        while let Some((_, q)) = QUALIFIERS.iter().find(|(q, _)| self.at_word(q)) {
            quals |= *q;
            self.bump();
        }
        quals
    }

    /// The inside of `[...]`, after the `[`.
    fn array_len(&mut self) -> Result<Option<ArrayLen>, ParseError> {
        if self.eat_punct("]") {
            return Ok(None);
        }
        let tok = self.peek();
        let len = match tok.kind {
            TokenKind::Ellipsis => ArrayLen::Dots,
            TokenKind::Int => {
                ArrayLen::Const(parse_int_literal(self.text(tok)).ok_or(ParseError {
                    kind: ParseErrorKind::IntegerTooLarge,
                    span: tok.span,
                })?)
            }
            _ => {
                return Err(self.error_here(ParseErrorKind::Unsupported(
                    "array lengths other than an integer literal",
                )))
            }
        };
        self.bump();
        self.expect_punct("]", "']' to close the array length")?;
        Ok(Some(len))
    }

    /// A parameter list, after its `(`; consumes the `)`.
    fn parameters(&mut self) -> Result<(Vec<Param>, bool), ParseError> {
        let mut params = Vec::new();
        if self.eat_punct(")") {
            return Ok((params, false));
        }
        loop {
            if self.at(TokenKind::Ellipsis) {
                if params.is_empty() {
                    return Err(self.error_here(ParseErrorKind::OnlyEllipsis));
                }
                self.bump();
                self.expect_punct(")", "')' after '...'")?;
                return Ok((params, true));
            }
            let start = self.peek().span.start;
            let Some(spec) = self.specifiers(false)? else {
                return Err(self.missing_type("a parameter type"));
            };
            let (name, ty) = self.declarator(spec.base, NameRule::Optional)?;
            let end = self.tokens[self.pos - 1].span.end;
            params.push(Param {
                name: name.map(|(n, _)| n),
                ty,
                span: Span { start, end },
            });
            if self.eat_punct(")") {
                return Ok((params, false));
            }
            self.expect_punct(",", "',' or ')' in the parameter list")?;
        }
    }
}

/// The value of a C integer literal (decimal, `0x` hex or `0` octal, with
/// any `u`/`l` suffix); `None` if it does not fit in 64 bits.
pub(crate) fn parse_int_literal(text: &str) -> Option<u64> {
    let digits = text.trim_end_matches(['u', 'U', 'l', 'L']);
    if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        u64::from_str_radix(hex, 16).ok()
    } else if digits.len() > 1 && digits.starts_with('0') {
        u64::from_str_radix(&digits[1..], 8).ok()
    } else {
        digits.parse().ok()
    }
}

#[cfg(test)]
mod tests {
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
                len: Some(ArrayLen::Const(3))
            })
        );
        assert_eq!(
            ty("int *[3]"),
            TypeExpr::Array {
                item: Box::new(ptr(builtin(Builtin::Int))),
                len: Some(ArrayLen::Const(3))
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
                len: Some(ArrayLen::Const(5)),
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
        let src = "int abs(int);\n size_t strlen(const char *);\n double sqrt(double x);\n long labs(long);";
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
        let cdef =
            parse_cdef("extern int errno_like; int f(void); int g();", &Predeclared).unwrap();
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

        let err = parse_cdef("int;", &Predeclared).unwrap_err();
        assert!(matches!(err.kind, ParseErrorKind::Unexpected { .. }));

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
        assert!(parse_type("int x", &Predeclared).is_err());
        assert!(parse_type("int )", &Predeclared).is_err());
        assert!(parse_type("", &Predeclared).is_err());
        assert!(parse_type("foo_t", &Predeclared).is_err());
    }
}
