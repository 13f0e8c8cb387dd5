//! A recursive-descent parser over the tokens of [`crate::tokenize`].
//!
//! C declarators are read inside-out: `int (*f[2])(long)` is "f is an array
//! of 2 pointers to functions taking long and returning int". The parser
//! collects a declarator's derivations (pointer, array, function) as a list
//! of operations and applies them to the base type in the order C gives
//! them, which handles any nesting of parentheses.
//!
//! Preprocessor lines arrive as single tokens; `#define` and `#pragma pack`
//! bodies are tokenized again and parsed with the same machinery.
//! Recursion is bounded ([`MAX_DEPTH`]) so hostile input ends in an error,
//! not a stack overflow.

use crate::ast::{
    ArrayLen, BinaryOp, Builtin, CallConvKw, Cdef, Decl, DeclKind, EnumBody, Enumerator, Expr,
    Field, FunctionExpr, MacroValue, Param, Quals, RecordBody, RecordKind, SmolStr, Storage,
    TypeExpr, UnaryOp, Warning, WarningKind,
};
use crate::diagnostic::parse_line_directive;
use crate::lexer::{tokenize, Lexer, Token, TokenKind};
use crate::{ParseError, ParseErrorKind, Span, TypeNames};
use rustc_hash::FxHashSet;

/// How deeply declarators, bodies and expressions may nest.
pub const MAX_DEPTH: u32 = 256;

/// How many type nodes the copies of declaration specifiers may add up to
/// in one text. Each declarator of `union { ... } a, b, c;` gets its own
/// copy of the body, so bodies nested that way grow exponentially with
/// the nesting; the limit turns that into an error instead of exhausted
/// memory. Real headers stay far below it.
pub const MAX_COPIED_NODES: usize = 1 << 20;

/// Parses the text of one `cdef()` call.
///
/// `names` says which identifiers are typedef names before this text; the
/// typedefs this text declares are added as the parse goes, so later
/// declarations can use them.
pub fn parse_cdef(src: &str, names: &dyn TypeNames) -> Result<Cdef, ParseError> {
    let mut decls = Vec::new();
    let warnings = parse_cdef_each(src, names, |batch| decls.append(batch))?;
    Ok(Cdef { decls, warnings })
}

/// As [`parse_cdef`], handing the declarations to `each` as they are read,
/// one top-level declaration at a time (`int a, b;` gives two), in a
/// buffer `each` may empty; returns the warnings. A consumer that handles
/// each declaration at once never holds the whole text's syntax tree.
pub fn parse_cdef_each(
    src: &str,
    names: &dyn TypeNames,
    mut each: impl FnMut(&mut Vec<Decl>),
) -> Result<Vec<Warning>, ParseError> {
    let mut p = Parser::new(src, names, Vec::with_capacity(64));
    let mut lexer = Lexer::new(src);
    let mut batch = Vec::new();
    // Tokens are read one top-level declaration at a time: the buffer stays
    // small and in cache, however big the text.
    while p.refill(&mut lexer)? {
        while !p.at(TokenKind::Eof) {
            p.declaration(&mut batch)?;
            if !batch.is_empty() {
                each(&mut batch);
                batch.clear();
            }
        }
    }
    Ok(p.warnings)
}

/// Parses a C type string such as `"int *"`, `"char[10]"`, `"struct foo *"`
/// or `"int(*)(long, ...)"`: a type without a declared name.
pub fn parse_type(src: &str, names: &dyn TypeNames) -> Result<TypeExpr, ParseError> {
    let mut p = Parser::new(src, names, tokenize(src)?);
    let Some(spec) = p.specifiers(false)? else {
        return Err(p.missing_type("a type"));
    };
    // cffi accepts and ignores a name (`"int x"`).
    let (_, ty) = p.declarator(spec.base, NameRule::Optional, spec.call_conv)?;
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
type Name = (SmolStr, Span);

/// One derivation step of a declarator, applied to the type built so far.
enum Derive {
    Pointer(Quals),
    Array(Option<ArrayLen>),
    Function(Vec<Param>, bool),
}

struct Specifiers {
    base: TypeExpr,
    storage: Storage,
    call_conv: Option<CallConvKw>,
}

/// What `__attribute__((...))` lists said that matters to layout.
#[derive(Default)]
struct Attributes {
    packed: bool,
    aligned: Option<Expr>,
}

struct Parser<'s, 'n> {
    src: &'s str,
    tokens: Vec<Token>,
    pos: usize,
    names: &'n dyn TypeNames,
    /// Typedef names declared earlier in this same text.
    local_typedefs: FxHashSet<&'s str>,
    depth: u32,
    /// `#pragma pack` state: the value in force and the pushed ones.
    pack: Option<u32>,
    pack_stack: Vec<Option<u32>>,
    warnings: Vec<Warning>,
    /// Spare storage for [`Parser::declarator`].
    derive_buf: Vec<Derive>,
    /// Type nodes copied so far (see [`MAX_COPIED_NODES`]).
    copied_nodes: usize,
}

impl<'s, 'n> Parser<'s, 'n> {
    fn new(src: &'s str, names: &'n dyn TypeNames, tokens: Vec<Token>) -> Self {
        Parser {
            src,
            tokens,
            pos: 0,
            names,
            local_typedefs: FxHashSet::default(),
            depth: 0,
            pack: None,
            pack_stack: Vec::new(),
            warnings: Vec::new(),
            derive_buf: Vec::new(),
            copied_nodes: 0,
        }
    }

    // ---- token access -------------------------------------------------

    /// Replaces the token buffer with the next top-level piece of the
    /// text: tokens up to a `;` outside brackets, or up to a directive that
    /// stands outside brackets, then an end marker. No declaration reads
    /// past such a `;` or directive, so a piece holds whole declarations
    /// (several, after an `extern "Python" { ... }` block). Returns false
    /// once the text is used up.
    fn refill(&mut self, lexer: &mut Lexer<'s>) -> Result<bool, ParseError> {
        self.tokens.clear();
        self.pos = 0;
        let mut depth = 0u32;
        loop {
            let tok = lexer.next_token()?;
            // Line markers (`# 3 "x.h" 3 4`, what `gcc -E` leaves between
            // the lines of a preprocessed header) may stand anywhere, even
            // between the fields of a struct: they only move locations,
            // which the source map reads from the text.
            if tok.kind == TokenKind::Directive
                && parse_line_directive(tok.span.text(self.src)).is_some()
            {
                continue;
            }
            self.tokens.push(tok);
            match tok.kind {
                TokenKind::Eof => return Ok(self.tokens.len() > 1),
                TokenKind::Directive if depth == 0 => break,
                TokenKind::Punct if tok.span.end - tok.span.start == 1 => {
                    match self.src.as_bytes()[tok.span.start as usize] {
                        b'{' | b'(' | b'[' => depth += 1,
                        b'}' | b')' | b']' => depth = depth.saturating_sub(1),
                        b';' if depth == 0 => break,
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        let end = self.tokens.last().map_or(0, |t| t.span.end);
        self.tokens.push(Token {
            kind: TokenKind::Eof,
            span: Span { start: end, end },
        });
        Ok(true)
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
        // Bytes, not text: a punctuator is ASCII, and slicing bytes skips
        // the char-boundary checks of `text` (this is asked for every
        // token, often several times).
        t.kind == TokenKind::Punct
            && self
                .src
                .as_bytes()
                .get(t.span.start as usize..t.span.end as usize)
                == Some(p.as_bytes())
    }

    fn at_word(&self, w: &str) -> bool {
        let t = self.peek();
        t.kind == TokenKind::Ident && self.text(t) == w
    }

    /// The current token's text if it is an identifier.
    fn word(&self) -> Option<&'s str> {
        let t = self.peek();
        (t.kind == TokenKind::Ident).then(|| self.text(t))
    }

    fn at_any_word(&self, words: &[&str]) -> bool {
        let t = self.peek();
        t.kind == TokenKind::Ident && words.contains(&self.text(t))
    }

    fn bump(&mut self) -> Token {
        let t = self.peek();
        if t.kind != TokenKind::Eof {
            self.pos += 1;
        }
        t
    }

    /// Skips an initializer up to the `;` or `,` that ends it (outside
    /// brackets).
    fn skip_initializer(&mut self) {
        let mut depth = 0usize;
        loop {
            let t = self.peek();
            if t.kind == TokenKind::Eof {
                return;
            }
            if t.kind == TokenKind::Punct {
                match self.text(t) {
                    "(" | "[" | "{" => depth += 1,
                    ")" | "]" | "}" => depth = depth.saturating_sub(1),
                    ";" | "," if depth == 0 => return,
                    _ => {}
                }
            }
            self.bump();
        }
    }

    /// The initializer after `=` as an integer expression, or None (the
    /// whole initializer skipped) when it is not one: a brace list, a
    /// float, a string.
    fn initializer_expr(&mut self) -> Option<Expr> {
        let (start, depth) = (self.pos, self.depth);
        match self.expr() {
            Ok(value) if self.at_punct(";") || self.at_punct(",") => Some(value),
            _ => {
                (self.pos, self.depth) = (start, depth);
                self.skip_initializer();
                None
            }
        }
    }

    /// Eats the `=` of an initializer, refusing an empty one (`int x = ;`,
    /// which cffi refuses as a parse error).
    fn eat_initializer_sign(&mut self) -> Result<bool, ParseError> {
        if !self.eat_punct("=") {
            return Ok(false);
        }
        if self.at_punct(";") || self.at_punct(",") || self.at(TokenKind::Eof) {
            return Err(self.expected("an initializer after '='"));
        }
        Ok(true)
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

    fn prev_end(&self) -> u32 {
        self.tokens[self.pos.saturating_sub(1)].span.end
    }

    /// A copy of declaration specifiers for one more declarator, counted
    /// against [`MAX_COPIED_NODES`] when it carries a body.
    fn copy_base(&mut self, base: &TypeExpr) -> Result<TypeExpr, ParseError> {
        if matches!(
            base,
            TypeExpr::Record { body: Some(_), .. } | TypeExpr::Enum { body: Some(_), .. }
        ) {
            self.copied_nodes += node_count(base);
            if self.copied_nodes > MAX_COPIED_NODES {
                return Err(self.error_here(ParseErrorKind::TooLarge));
            }
        }
        Ok(base.clone())
    }

    /// Bounds recursion; pair with [`Parser::leave`].
    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_here(ParseErrorKind::TooDeep));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Parses with `tokens` (spans into the same source) in place of the
    /// main token stream, then restores it.
    fn with_tokens<T>(
        &mut self,
        tokens: Vec<Token>,
        f: impl FnOnce(&mut Self) -> Result<T, ParseError>,
    ) -> Result<T, ParseError> {
        let saved = std::mem::replace(&mut self.tokens, tokens);
        let saved_pos = std::mem::replace(&mut self.pos, 0);
        let result = f(self);
        self.tokens = saved;
        self.pos = saved_pos;
        result
    }
}

/// Adds qualifiers written in the specifiers to the base type.
fn with_quals(base: TypeExpr, extra: Quals) -> TypeExpr {
    match base {
        TypeExpr::Builtin { ty, quals } => TypeExpr::Builtin {
            ty,
            quals: quals | extra,
        },
        TypeExpr::Named { name, quals } => TypeExpr::Named {
            name,
            quals: quals | extra,
        },
        TypeExpr::Record {
            kind,
            tag,
            body,
            quals,
        } => TypeExpr::Record {
            kind,
            tag,
            body,
            quals: quals | extra,
        },
        TypeExpr::Enum { tag, body, quals } => TypeExpr::Enum {
            tag,
            body,
            quals: quals | extra,
        },
        other => other,
    }
}

/// The value of a C character literal: `'a'`, `'\n'`, `'\x41'`, `'\101'`.
fn parse_char_literal(text: &str) -> Option<u32> {
    let inner = text
        .trim_start_matches(['L', 'u', 'U'])
        .strip_prefix('\'')?
        .strip_suffix('\'')?;
    let mut chars = inner.chars();
    let c = chars.next()?;
    if c != '\\' {
        return chars.next().is_none().then_some(c as u32);
    }
    let rest: String = chars.collect();
    Some(match rest.as_str() {
        "n" => 10,
        "t" => 9,
        "r" => 13,
        "0" => 0,
        "a" => 7,
        "b" => 8,
        "f" => 12,
        "v" => 11,
        "\\" => 92,
        "'" => 39,
        "\"" => 34,
        "?" => 63,
        _ => {
            if let Some(hex) = rest.strip_prefix('x') {
                u32::from_str_radix(hex, 16).ok()?
            } else {
                u32::from_str_radix(&rest, 8).ok()?
            }
        }
    })
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

/// True for constant types whose value is not an integer expression: the
/// floating types and pointers (their value is the C compiler's).
fn value_is_compilers(ty: &TypeExpr) -> bool {
    match ty {
        TypeExpr::Builtin { ty, .. } => matches!(
            ty,
            Builtin::Float
                | Builtin::Double
                | Builtin::LongDouble
                | Builtin::FloatComplex
                | Builtin::DoubleComplex
        ),
        TypeExpr::Pointer { .. } | TypeExpr::Array { .. } => true,
        _ => false,
    }
}

mod decl;
mod declarator;
mod directive;
mod expr;
mod keywords;
mod specifiers;
#[cfg(test)]
mod tests;

pub(crate) use keywords::binary_op;
use keywords::{
    call_conv, contains_dots_type, is_keyword, keyword, node_count, qualifier, top_quals, Keyword,
    KeywordCounts,
};
