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
    Field, FunctionExpr, MacroValue, Param, Quals, RecordBody, RecordKind, Storage, TypeExpr,
    UnaryOp, Warning, WarningKind,
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
    let mut p = Parser::new(src, names, Vec::with_capacity(64));
    let mut lexer = Lexer::new(src);
    let mut cdef = Cdef::default();
    // Tokens are read one top-level declaration at a time: the buffer stays
    // small and in cache, however big the text.
    while p.refill(&mut lexer)? {
        while !p.at(TokenKind::Eof) {
            p.declaration(&mut cdef.decls)?;
        }
    }
    cdef.warnings = p.warnings;
    Ok(cdef)
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

/// What a reserved word means to the parser.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keyword {
    Qual(Quals),
    CallConv(CallConvKw),
    Storage(Storage),
    /// `inline`, `register`, `__extension__`: accepted, no effect on types.
    Ignored,
    /// `__attribute__`, `__declspec`.
    Attribute,
    ThreadLocal,
    Int128,
    /// One word of a builtin type's spelling (`unsigned`, `long`, ...).
    TypeWord(TypeWord),
    Record(RecordKind),
    Enum,
    /// Reserved, never a name: `typedef`, `sizeof`, `asm`, statements' words.
    Other,
}

/// The words that spell builtin types.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TypeWord {
    Void,
    Char,
    Short,
    Int,
    Long,
    Float,
    Double,
    Signed,
    Unsigned,
    Bool,
    Complex,
}

/// Classifies a word in one `match`, which the compiler turns into a
/// length dispatch and a few comparisons: identifiers stay cheap.
fn keyword(word: &str) -> Option<Keyword> {
    use Keyword as K;
    use TypeWord as T;
    Some(match word {
        "const" | "__const" => K::Qual(Quals::CONST),
        "volatile" | "__volatile" | "__volatile__" => K::Qual(Quals::VOLATILE),
        "restrict" | "__restrict" | "__restrict__" => K::Qual(Quals::RESTRICT),
        "__cdecl" | "_cdecl" => K::CallConv(CallConvKw::Cdecl),
        "__stdcall" | "_stdcall" | "WINAPI" => K::CallConv(CallConvKw::Stdcall),
        "extern" => K::Storage(Storage::Extern),
        "static" => K::Storage(Storage::Static),
        "inline" | "__inline" | "__inline__" | "register" | "__extension__" => K::Ignored,
        "__attribute__" | "__attribute" | "__declspec" => K::Attribute,
        "__thread" | "_Thread_local" => K::ThreadLocal,
        "__int128" | "__int128_t" | "__uint128_t" => K::Int128,
        "void" => K::TypeWord(T::Void),
        "char" => K::TypeWord(T::Char),
        "short" => K::TypeWord(T::Short),
        "int" => K::TypeWord(T::Int),
        "long" => K::TypeWord(T::Long),
        "float" => K::TypeWord(T::Float),
        "double" => K::TypeWord(T::Double),
        "signed" | "__signed" | "__signed__" => K::TypeWord(T::Signed),
        "unsigned" => K::TypeWord(T::Unsigned),
        "_Bool" => K::TypeWord(T::Bool),
        "_Complex" | "__complex__" => K::TypeWord(T::Complex),
        "struct" => K::Record(RecordKind::Struct),
        "union" => K::Record(RecordKind::Union),
        "enum" => K::Enum,
        "typedef" | "auto" | "sizeof" | "return" | "if" | "else" | "while" | "for" | "do"
        | "switch" | "case" | "default" | "break" | "continue" | "goto" | "__asm__" | "__asm"
        | "asm" => K::Other,
        _ => return None,
    })
}

fn qualifier(word: &str) -> Option<Quals> {
    match keyword(word) {
        Some(Keyword::Qual(q)) => Some(q),
        _ => None,
    }
}

fn call_conv(word: &str) -> Option<CallConvKw> {
    match keyword(word) {
        Some(Keyword::CallConv(c)) => Some(c),
        _ => None,
    }
}

fn is_keyword(word: &str) -> bool {
    keyword(word).is_some()
}

/// The number of nodes in a type, bodies included.
fn node_count(ty: &TypeExpr) -> usize {
    match ty {
        TypeExpr::Pointer { pointee: t, .. } | TypeExpr::Array { item: t, .. } => 1 + node_count(t),
        TypeExpr::Function(f) => {
            1 + node_count(&f.result) + f.params.iter().map(|p| node_count(&p.ty)).sum::<usize>()
        }
        TypeExpr::Record { body: Some(b), .. } => {
            1 + b.fields.iter().map(|f| node_count(&f.ty)).sum::<usize>()
        }
        TypeExpr::Enum { body: Some(b), .. } => 1 + b.values.len(),
        _ => 1,
    }
}

/// The top-level qualifiers of a type: those of the outermost pointer or
/// of the base type; arrays and functions have none.
fn top_quals(ty: &TypeExpr) -> Quals {
    match ty {
        TypeExpr::Builtin { quals, .. }
        | TypeExpr::Named { quals, .. }
        | TypeExpr::Pointer { quals, .. }
        | TypeExpr::Record { quals, .. }
        | TypeExpr::Enum { quals, .. } => *quals,
        _ => Quals::NONE,
    }
}

/// True for the `...` placeholder types, which only typedefs may declare.
fn contains_dots_type(ty: &TypeExpr) -> bool {
    match ty {
        TypeExpr::Opaque | TypeExpr::UnknownInt | TypeExpr::UnknownFloat => true,
        TypeExpr::Pointer { pointee, .. } => contains_dots_type(pointee),
        TypeExpr::Array { item, .. } => contains_dots_type(item),
        TypeExpr::Function(f) => {
            contains_dots_type(&f.result) || f.params.iter().any(|p| contains_dots_type(&p.ty))
        }
        _ => false,
    }
}

pub(crate) fn binary_op(text: &str) -> Option<(BinaryOp, u8)> {
    Some(match text {
        "||" => (BinaryOp::Or, 1),
        "&&" => (BinaryOp::And, 2),
        "|" => (BinaryOp::BitOr, 3),
        "^" => (BinaryOp::BitXor, 4),
        "&" => (BinaryOp::BitAnd, 5),
        "==" => (BinaryOp::Eq, 6),
        "!=" => (BinaryOp::Ne, 6),
        "<" => (BinaryOp::Lt, 7),
        ">" => (BinaryOp::Gt, 7),
        "<=" => (BinaryOp::Le, 7),
        ">=" => (BinaryOp::Ge, 7),
        "<<" => (BinaryOp::Shl, 8),
        ">>" => (BinaryOp::Shr, 8),
        "+" => (BinaryOp::Add, 9),
        "-" => (BinaryOp::Sub, 9),
        "*" => (BinaryOp::Mul, 10),
        "/" => (BinaryOp::Div, 10),
        "%" => (BinaryOp::Rem, 10),
        _ => return None,
    })
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

    fn add(&mut self, word: TypeWord) {
        let slot = match word {
            TypeWord::Void => &mut self.void,
            TypeWord::Char => &mut self.char,
            TypeWord::Short => &mut self.short,
            TypeWord::Int => &mut self.int,
            TypeWord::Long => &mut self.long,
            TypeWord::Float => &mut self.float,
            TypeWord::Double => &mut self.double,
            TypeWord::Signed => &mut self.signed,
            TypeWord::Unsigned => &mut self.unsigned,
            TypeWord::Bool => &mut self.bool,
            TypeWord::Complex => &mut self.complex,
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
        t.kind == TokenKind::Punct && self.text(t) == p
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

    // ---- declarations -------------------------------------------------

    /// One top-level declaration, possibly declaring several names.
    fn declaration(&mut self, out: &mut Vec<Decl>) -> Result<(), ParseError> {
        let tok = self.peek();
        if tok.kind == TokenKind::Directive {
            self.bump();
            return self.directive(tok, out);
        }
        if self.eat_punct(";") {
            return Ok(());
        }
        if self.at_word("extern") && self.peek_at(1).kind == TokenKind::Str {
            return self.extern_python(out);
        }
        while self.at_word("__extension__") {
            self.bump();
        }
        let is_typedef = self.at_word("typedef");
        if is_typedef {
            self.bump();
        }
        let Some(spec) = self.specifiers(true)? else {
            return Err(self.missing_type("a type to start a declaration"));
        };
        if self.at_punct(";") {
            // `struct foo { ... };`, `struct foo;`, `enum e { A };` declare
            // a tag; anything else declares nothing.
            return match (&spec.base, is_typedef) {
                (TypeExpr::Record { tag, .. } | TypeExpr::Enum { tag, .. }, false) => {
                    let span = self.peek().span;
                    let name = tag.clone().unwrap_or_default();
                    self.bump();
                    out.push(Decl {
                        name,
                        kind: DeclKind::Tag(spec.base),
                        span,
                    });
                    Ok(())
                }
                _ => Err(self.error_here(ParseErrorKind::DeclaresNothing)),
            };
        }
        loop {
            let base = self.copy_base(&spec.base)?;
            let (name, ty) = self.declarator(base, NameRule::Required, spec.call_conv)?;
            let (name, span) = name.expect("NameRule::Required yields a name");
            self.skip_declarator_extras()?;
            if !is_typedef && contains_dots_type(&ty) {
                return Err(ParseError {
                    kind: ParseErrorKind::DotsOutsideTypedef,
                    span,
                });
            }
            if self.at_punct("{") {
                if let TypeExpr::Function(_) = ty {
                    return Err(self.error_here(ParseErrorKind::NotInCdef("function definition")));
                }
            }
            let is_const = top_quals(&ty).contains(Quals::CONST);
            let kind = if is_typedef {
                self.local_typedefs.insert(span.text(self.src));
                DeclKind::Typedef(ty)
            } else if let TypeExpr::Function(func) = ty {
                DeclKind::Function(func)
            } else if is_const {
                // Any declaration whose own type is const is a constant, as
                // in cffi: `static const T X;`, `[extern] const T X;`,
                // `const T X = value;`.
                let value = if self.eat_punct("=") {
                    if value_is_compilers(&ty) {
                        // A floating or pointer constant: the C compiler
                        // computes it (API mode); the initializer is not
                        // an integer expression and is not kept.
                        self.skip_initializer();
                        None
                    } else {
                        Some(self.expr()?)
                    }
                } else {
                    None
                };
                DeclKind::Constant { ty, value }
            } else {
                if spec.storage == Storage::None {
                    self.warnings.push(Warning {
                        kind: WarningKind::MissingStorageClass(name.clone()),
                        span,
                    });
                }
                DeclKind::Variable {
                    ty,
                    storage: spec.storage,
                }
            };
            if self.at_punct("=") {
                return Err(self.error_here(ParseErrorKind::Unsupported(
                    "initializers other than on 'const' constants",
                )));
            }
            out.push(Decl { name, kind, span });
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct(";", "';' after the declaration")
    }

    /// After a declarator: attributes and `__asm__("name")` are skipped.
    fn skip_declarator_extras(&mut self) -> Result<Attributes, ParseError> {
        let mut attrs = Attributes::default();
        loop {
            if self.peek().kind != TokenKind::Ident {
                // The common case: `;`, `,`, `)` or `=` follows.
                return Ok(attrs);
            }
            if self.at_any_word(&["__asm__", "__asm", "asm"]) {
                self.bump();
                self.skip_parens()?;
            } else if !self.attribute(&mut attrs)? {
                return Ok(attrs);
            }
        }
    }

    /// `extern "Python" decl;` or `extern "Python" { decls }` (F-01.34..37).
    fn extern_python(&mut self, out: &mut Vec<Decl>) -> Result<(), ParseError> {
        self.bump(); // extern
        let lit = self.bump();
        let spec: String = self
            .text(lit)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let plus_c = match spec.as_str() {
            "\"Python\"" => false,
            "\"Python+C\"" | "\"C+Python\"" => true,
            _ => {
                return Err(ParseError {
                    kind: ParseErrorKind::Unsupported(
                        "extern linkage other than \"Python\" and \"Python+C\"",
                    ),
                    span: lit.span,
                })
            }
        };
        let mut decls = Vec::new();
        if self.eat_punct("{") {
            while !self.eat_punct("}") {
                if self.at(TokenKind::Eof) {
                    return Err(self.expected("'}' to close the extern \"Python\" block"));
                }
                if self.at_punct("{") {
                    return Err(self.error_here(ParseErrorKind::NotInCdef(
                        "braces inside an extern \"Python\" block",
                    )));
                }
                self.declaration(&mut decls)?;
            }
        } else {
            self.declaration(&mut decls)?;
        }
        for decl in decls {
            let kind = match decl.kind {
                DeclKind::Function(func) => DeclKind::ExternPython { func, plus_c },
                DeclKind::Variable { .. } | DeclKind::Constant { .. } => {
                    return Err(ParseError {
                        kind: ParseErrorKind::ExternPythonNotFunction,
                        span: decl.span,
                    })
                }
                other => other,
            };
            out.push(Decl { kind, ..decl });
        }
        Ok(())
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

    // ---- preprocessor lines -------------------------------------------

    /// The tokens of a preprocessor line after its directive word, spans
    /// into the main source. Backslash-newline continuations are blanked
    /// first (same length, so spans stay right).
    fn directive_tokens(&self, tok: Token, word_end: usize) -> Result<Vec<Token>, ParseError> {
        let start = tok.span.start as usize;
        let text = tok.span.text(self.src);
        let cleaned = if text.contains('\\') {
            std::borrow::Cow::Owned(text.replace("\\\r\n", "   ").replace("\\\n", "  "))
        } else {
            std::borrow::Cow::Borrowed(text)
        };
        let body = cleaned.get(word_end..).unwrap_or("");
        let offset = start + word_end;
        let mut tokens = tokenize(body).map_err(|mut e| {
            e.span = Span::new(e.span.start as usize + offset, e.span.end as usize + offset);
            e
        })?;
        for t in &mut tokens {
            t.span = Span::new(t.span.start as usize + offset, t.span.end as usize + offset);
        }
        Ok(tokens)
    }

    fn directive(&mut self, tok: Token, out: &mut Vec<Decl>) -> Result<(), ParseError> {
        let text = self.text(tok);
        if parse_line_directive(text).is_some() {
            return Ok(());
        }
        let after_hash = text[1..].trim_start();
        let word_start = text.len() - after_hash.len();
        let word_len = after_hash
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .unwrap_or(after_hash.len());
        let word = &after_hash[..word_len];
        let tokens = self.directive_tokens(tok, word_start + word_len)?;
        match word {
            "define" => self.with_tokens(tokens, |p| p.define(out)),
            "pragma" => self.with_tokens(tokens, Parser::pragma),
            _ => {
                let line = text.lines().next().unwrap_or(text).trim_end().to_owned();
                Err(ParseError {
                    kind: ParseErrorKind::UnsupportedDirective(line),
                    span: tok.span,
                })
            }
        }
    }

    /// `#define NAME ...` or `#define NAME <integer constant expression>`.
    fn define(&mut self, out: &mut Vec<Decl>) -> Result<(), ParseError> {
        let name_tok = self.peek();
        if name_tok.kind != TokenKind::Ident {
            return Err(self.expected("a macro name after #define"));
        }
        self.bump();
        let name = self.text(name_tok).to_owned();
        let next = self.peek();
        if self.at_punct("(") && next.span.start == name_tok.span.end {
            return Err(self.error_here(ParseErrorKind::NotInCdef("function-like macro")));
        }
        let value = if self.at(TokenKind::Ellipsis) && self.peek_at(1).kind == TokenKind::Eof {
            self.bump();
            MacroValue::Dots
        } else {
            let start = self.pos;
            match self.expr() {
                Ok(e) if self.at(TokenKind::Eof) => MacroValue::Expr(e),
                Err(e) if e.kind == ParseErrorKind::TooDeep => return Err(e),
                _ => {
                    let first = self.tokens[start].span;
                    let last = self.tokens[self.tokens.len() - 1].span;
                    let body = Span {
                        start: first.start,
                        end: last.end.max(first.end),
                    };
                    let text = body.text(self.src).trim();
                    let found = match text.char_indices().nth(60) {
                        _ if text.is_empty() => "an empty body".to_owned(),
                        Some((cut, _)) => format!("'{}...'", &text[..cut]),
                        None => format!("'{text}'"),
                    };
                    return Err(ParseError {
                        kind: ParseErrorKind::BadMacro(found),
                        span: body,
                    });
                }
            }
        };
        out.push(Decl {
            name,
            kind: DeclKind::Macro(value),
            span: name_tok.span,
        });
        Ok(())
    }

    /// `#pragma pack(...)` is honoured; other pragmas warn.
    fn pragma(&mut self) -> Result<(), ParseError> {
        if !self.at_word("pack") {
            let span = self.peek().span;
            self.warnings.push(Warning {
                kind: WarningKind::PragmaIgnored,
                span,
            });
            return Ok(());
        }
        self.bump();
        self.expect_punct("(", "'(' after #pragma pack")?;
        let mut push = false;
        let mut pop = false;
        let mut value = None;
        while !self.eat_punct(")") {
            let tok = self.bump();
            match (tok.kind, self.text(tok)) {
                (TokenKind::Ident, "push") => push = true,
                (TokenKind::Ident, "pop") => pop = true,
                (TokenKind::Int, text) => {
                    let n = parse_int_literal(text).filter(|n| n.is_power_of_two() && *n <= 256);
                    let n = n.ok_or(ParseError {
                        kind: ParseErrorKind::Unsupported(
                            "#pragma pack values other than powers of two up to 256",
                        ),
                        span: tok.span,
                    })?;
                    value = Some(n as u32);
                }
                (TokenKind::Punct, ",") => {}
                _ => {
                    self.pos -= 1;
                    return Err(self.expected("push, pop or a number in #pragma pack(...)"));
                }
            }
        }
        if pop {
            self.pack = self.pack_stack.pop().unwrap_or(None);
        }
        if push {
            self.pack_stack.push(self.pack);
        }
        if value.is_some() || !(push || pop) {
            self.pack = value;
        }
        Ok(())
    }

    // ---- specifiers ---------------------------------------------------

    /// Declaration specifiers: qualifiers, storage class, attributes and
    /// the base type (keywords, a typedef name, struct/union/enum, or the
    /// `...` placeholders). Returns `None`, consuming nothing, if no type
    /// is present.
    fn specifiers(&mut self, allow_storage: bool) -> Result<Option<Specifiers>, ParseError> {
        let start = self.pos;
        let first = self.peek().span;
        let mut quals = Quals::NONE;
        let mut storage = Storage::None;
        let mut call_conv = None;
        let mut counts = KeywordCounts::default();
        let mut base: Option<TypeExpr> = None;
        let mut attrs = Attributes::default();
        loop {
            let tok = self.peek();
            if tok.kind == TokenKind::Ellipsis {
                if base.is_some() {
                    break;
                }
                self.bump();
                base = Some(if counts.any() {
                    match counts.resolve() {
                        Some(b) if b.is_integer() => TypeExpr::UnknownInt,
                        Some(Builtin::Float | Builtin::Double) => TypeExpr::UnknownFloat,
                        _ => {
                            return Err(ParseError {
                                kind: ParseErrorKind::InvalidTypeSpecifiers(format!(
                                    "{}...",
                                    Span {
                                        start: first.start,
                                        end: tok.span.start
                                    }
                                    .text(self.src)
                                    .trim()
                                )),
                                span: Span {
                                    start: first.start,
                                    end: tok.span.end,
                                },
                            })
                        }
                    }
                } else {
                    TypeExpr::Opaque
                });
                counts = KeywordCounts::default();
                continue;
            }
            if tok.kind != TokenKind::Ident {
                break;
            }
            let word = self.text(tok);
            match keyword(word) {
                Some(Keyword::Qual(q)) => quals |= q,
                Some(Keyword::CallConv(c)) => call_conv = Some(c),
                Some(Keyword::Storage(st)) if allow_storage => storage = st,
                Some(Keyword::Ignored) => {}
                Some(Keyword::Attribute) => {
                    self.attribute(&mut attrs)?;
                    continue;
                }
                Some(Keyword::ThreadLocal) => {
                    return Err(self.error_here(ParseErrorKind::Unsupported(
                        "thread-local variables (__thread)",
                    )));
                }
                Some(Keyword::Int128) => {
                    return Err(
                        self.error_here(ParseErrorKind::Unsupported("128-bit integer types"))
                    );
                }
                Some(Keyword::TypeWord(w)) => {
                    if base.is_some() {
                        return Err(self.error_here(ParseErrorKind::InvalidTypeSpecifiers(
                            self.spec_text(first),
                        )));
                    }
                    counts.add(w);
                }
                Some(kw @ (Keyword::Record(_) | Keyword::Enum)) => {
                    if base.is_some() || counts.any() {
                        return Err(self.error_here(ParseErrorKind::InvalidTypeSpecifiers(
                            self.spec_text(first),
                        )));
                    }
                    self.bump();
                    base = Some(match kw {
                        Keyword::Record(kind) => self.record_type(kind, quals, &mut attrs)?,
                        _ => self.enum_type(quals)?,
                    });
                    continue;
                }
                None if base.is_none() && !counts.any() && self.is_type_name(word) => {
                    base = Some(TypeExpr::Named {
                        name: word.to_owned(),
                        quals: Quals::NONE,
                    });
                }
                // Another keyword, or a word that is not a type: the
                // declarator starts here.
                Some(_) | None => break,
            }
            self.bump();
        }
        let base = match base {
            Some(b) => b,
            None if counts.any() => {
                let Some(ty) = counts.resolve() else {
                    return Err(ParseError {
                        kind: ParseErrorKind::InvalidTypeSpecifiers(self.spec_text(first)),
                        span: Span {
                            start: first.start,
                            end: self.prev_end(),
                        },
                    });
                };
                TypeExpr::Builtin {
                    ty,
                    quals: Quals::NONE,
                }
            }
            None => {
                self.pos = start;
                return Ok(None);
            }
        };
        Ok(Some(Specifiers {
            base: with_quals(base, quals),
            storage,
            call_conv,
        }))
    }

    fn spec_text(&self, first: Span) -> String {
        let end = self.prev_end().max(first.end);
        Span {
            start: first.start,
            end,
        }
        .text(self.src)
        .to_owned()
    }

    /// `__attribute__((...))` or `__declspec(...)`, if one is next: packed
    /// and aligned(N) are recorded, everything else is skipped.
    fn attribute(&mut self, attrs: &mut Attributes) -> Result<bool, ParseError> {
        // All three spellings start with `__`: most words fail at the first byte.
        let first = self.src.as_bytes()[self.peek().span.start as usize..].first();
        if first != Some(&b'_')
            || !self.at_any_word(&["__attribute__", "__attribute", "__declspec"])
        {
            return Ok(false);
        }
        self.bump();
        let open = self.pos;
        self.skip_parens()?;
        let close = self.pos;
        // Look inside for the two attributes that change layout.
        let mut i = open;
        while i < close {
            let t = self.tokens[i];
            if t.kind == TokenKind::Ident {
                match self.text(t) {
                    "packed" | "__packed__" => attrs.packed = true,
                    "aligned" | "__aligned__" | "align" => {
                        let inner: Vec<Token> = self.tokens[i + 1..close].to_vec();
                        if inner
                            .first()
                            .is_some_and(|t| t.kind == TokenKind::Punct && self.text(*t) == "(")
                        {
                            let mut tokens = inner[1..].to_vec();
                            tokens.push(Token {
                                kind: TokenKind::Eof,
                                span: Span::new(0, 0),
                            });
                            let e = self.with_tokens(tokens, Parser::expr)?;
                            attrs.aligned = Some(e);
                        }
                    }
                    _ => {}
                }
            } else if t.kind == TokenKind::Str {
                self.warnings.push(Warning {
                    kind: WarningKind::StringLiteralIgnored,
                    span: t.span,
                });
            }
            i += 1;
        }
        Ok(true)
    }

    /// Skips a balanced `( ... )` group starting at the current token.
    fn skip_parens(&mut self) -> Result<(), ParseError> {
        self.expect_punct("(", "'('")?;
        let mut level = 1u32;
        while level > 0 {
            let t = self.bump();
            match (t.kind, self.text(t)) {
                (TokenKind::Eof, _) => return Err(self.expected("')'")),
                (TokenKind::Punct, "(") => level += 1,
                (TokenKind::Punct, ")") => level -= 1,
                _ => {}
            }
        }
        Ok(())
    }

    /// The tag after `struct`, `union` or `enum`, if one is written.
    fn tag(&mut self) -> Option<String> {
        let word = self.word().filter(|w| !is_keyword(w))?;
        self.bump();
        Some(word.to_owned())
    }

    /// After `struct`/`union`: attributes, the tag, and the body if any.
    fn record_type(
        &mut self,
        kind: RecordKind,
        quals: Quals,
        attrs: &mut Attributes,
    ) -> Result<TypeExpr, ParseError> {
        while self.attribute(attrs)? {}
        let tag = self.tag();
        let body = if self.at_punct("{") {
            let open = self.bump().span;
            self.enter()?;
            let mut body = RecordBody {
                span: open,
                fields: Vec::new(),
                partial: false,
                packed: false,
                aligned: None,
                pragma_pack: self.pack,
            };
            while !self.eat_punct("}") {
                self.field_declaration(&mut body)?;
            }
            self.leave();
            while self.attribute(attrs)? {}
            body.packed = attrs.packed;
            body.aligned = attrs.aligned.take();
            Some(Box::new(body))
        } else {
            None
        };
        if tag.is_none() && body.is_none() {
            return Err(self.expected("a tag name or '{' after struct/union"));
        }
        Ok(TypeExpr::Record {
            kind,
            tag,
            body,
            quals,
        })
    }

    /// One line of fields inside a struct or union body.
    fn field_declaration(&mut self, body: &mut RecordBody) -> Result<(), ParseError> {
        if self.at(TokenKind::Ellipsis) {
            self.bump();
            self.expect_punct(";", "';' after '...' in a struct")?;
            body.partial = true;
            return Ok(());
        }
        if self.eat_punct(";") {
            return Ok(());
        }
        let start = self.peek().span.start;
        let Some(spec) = self.specifiers(false)? else {
            return Err(self.missing_type("a field type or '}'"));
        };
        if self.eat_punct(";") {
            // An anonymous nested struct/union member (F-01.51).
            let span = Span {
                start,
                end: self.prev_end(),
            };
            body.fields.push(Field {
                name: None,
                ty: spec.base,
                bits: None,
                packed: false,
                aligned: None,
                span,
            });
            return Ok(());
        }
        loop {
            let base = self.copy_base(&spec.base)?;
            let (name, ty) = if self.at_punct(":") {
                (None, base)
            } else {
                let (name, ty) = self.declarator(base, NameRule::Required, spec.call_conv)?;
                (name.map(|(n, _)| n), ty)
            };
            let bits = if self.eat_punct(":") {
                Some(self.expr()?)
            } else {
                None
            };
            let attrs = self.skip_declarator_extras()?;
            let span = Span {
                start,
                end: self.prev_end(),
            };
            body.fields.push(Field {
                name,
                ty,
                bits,
                packed: attrs.packed,
                aligned: attrs.aligned,
                span,
            });
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct(";", "';' after the field")
    }

    /// After `enum`: the tag and the enumerators if any.
    fn enum_type(&mut self, quals: Quals) -> Result<TypeExpr, ParseError> {
        let mut attrs = Attributes::default();
        while self.attribute(&mut attrs)? {}
        if self.at(TokenKind::Ellipsis) {
            return Err(self.error_here(ParseErrorKind::NotInCdef("an enum named '...'")));
        }
        let tag = self.tag();
        let body = if self.at_punct("{") {
            let open = self.bump().span;
            let mut body = EnumBody {
                span: open,
                values: Vec::new(),
                partial: false,
            };
            loop {
                if self.eat_punct("}") {
                    break;
                }
                if self.at(TokenKind::Ellipsis) {
                    self.bump();
                    body.partial = true;
                    self.expect_punct("}", "'}' after '...' in an enum")?;
                    break;
                }
                let tok = self.peek();
                if tok.kind != TokenKind::Ident || is_keyword(self.text(tok)) {
                    return Err(self.expected("an enumerator name"));
                }
                self.bump();
                let value = if self.eat_punct("=") {
                    if self.at(TokenKind::Ellipsis) {
                        self.bump();
                        body.partial = true;
                        None
                    } else {
                        Some(self.expr()?)
                    }
                } else {
                    None
                };
                body.values.push(Enumerator {
                    name: self.text(tok).to_owned(),
                    value,
                    span: tok.span,
                });
                if !self.eat_punct(",") {
                    self.expect_punct("}", "',' or '}' in the enumerator list")?;
                    break;
                }
            }
            while self.attribute(&mut attrs)? {}
            Some(Box::new(body))
        } else {
            None
        };
        if tag.is_none() && body.is_none() {
            return Err(self.expected("a tag name or '{' after enum"));
        }
        Ok(TypeExpr::Enum { tag, body, quals })
    }

    // ---- declarators --------------------------------------------------

    /// A (possibly abstract) declarator applied to `base`.
    fn declarator(
        &mut self,
        base: TypeExpr,
        rule: NameRule,
        call_conv: Option<CallConvKw>,
    ) -> Result<(Option<Name>, TypeExpr), ParseError> {
        let mut call_conv = call_conv;
        // A buffer kept between declarators saves an allocation for most.
        let mut derives = std::mem::take(&mut self.derive_buf);
        let name = self.derivations(rule, &mut call_conv, &mut derives)?;
        if rule == NameRule::Required && name.is_none() {
            return Err(self.expected("a name for the declaration"));
        }
        let mut ty = base;
        let last_function = derives
            .iter()
            .rposition(|d| matches!(d, Derive::Function(..)));
        for (i, d) in derives.drain(..).enumerate() {
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
                    // The keyword belongs to the outermost function.
                    call_conv: if Some(i) == last_function {
                        call_conv
                    } else {
                        None
                    },
                }),
            };
        }
        self.derive_buf = derives;
        Ok((name, ty))
    }

    /// Reads a declarator into its name, and appends to `out` the
    /// derivations to apply to the base type, innermost type first: the
    /// pointers, then the suffixes right to left, then what a parenthesized
    /// inner declarator adds.
    fn derivations(
        &mut self,
        rule: NameRule,
        call_conv: &mut Option<CallConvKw>,
        out: &mut Vec<Derive>,
    ) -> Result<Option<Name>, ParseError> {
        self.enter()?;
        loop {
            if let Some(c) = self.word().and_then(self::call_conv) {
                *call_conv = Some(c);
                self.bump();
            } else if self.eat_punct("*") {
                let quals = self.qualifiers()?;
                out.push(Derive::Pointer(quals));
            } else if !self.attribute(&mut Attributes::default())? {
                break;
            }
        }
        // The suffixes go between the pointers and the inner declarator's
        // derivations, which are read first.
        let suffixes_at = out.len();
        let name = if self.at_punct("(") && self.starts_nested_declarator() {
            self.bump();
            let name = self.derivations(rule, call_conv, out)?;
            self.expect_punct(")", "')' to close the declarator")?;
            name
        } else if self.at(TokenKind::Ident) && !is_keyword(self.text(self.peek())) {
            if rule == NameRule::Forbidden {
                return Err(self.expected("the end of the type"));
            }
            let tok = self.bump();
            Some((self.text(tok).to_owned(), tok.span))
        } else {
            None
        };
        loop {
            let suffix = if self.eat_punct("[") {
                Derive::Array(self.array_len()?)
            } else if self.eat_punct("(") {
                let (params, variadic) = self.parameters()?;
                Derive::Function(params, variadic)
            } else {
                break;
            };
            // Each suffix applies before the ones read earlier.
            out.insert(suffixes_at, suffix);
        }
        self.leave();
        Ok(name)
    }

    /// After a `(` in declarator position: does a nested declarator follow
    /// (`(*f)`, `(name)`, `(__stdcall *f)`), or a parameter list?
    fn starts_nested_declarator(&self) -> bool {
        let next = self.peek_at(1);
        match next.kind {
            TokenKind::Punct => matches!(self.text(next), "*" | "(" | "["),
            TokenKind::Ident => {
                let w = self.text(next);
                self::call_conv(w).is_some()
                    || matches!(w, "__attribute__" | "__attribute")
                    || (!is_keyword(w) && !self.is_type_name(w))
            }
            _ => false,
        }
    }

    fn qualifiers(&mut self) -> Result<Quals, ParseError> {
        let mut quals = Quals::NONE;
        loop {
            if let Some(q) = self.word().and_then(qualifier) {
                quals |= q;
                self.bump();
            } else if !self.attribute(&mut Attributes::default())? {
                return Ok(quals);
            }
        }
    }

    /// The inside of `[...]`, after the `[`.
    fn array_len(&mut self) -> Result<Option<ArrayLen>, ParseError> {
        if self.eat_punct("]") {
            return Ok(None);
        }
        let len = if self.at(TokenKind::Ellipsis) {
            self.bump();
            ArrayLen::Dots
        } else {
            ArrayLen::Expr(self.expr()?)
        };
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
            let (name, ty) = self.declarator(spec.base, NameRule::Optional, spec.call_conv)?;
            self.skip_declarator_extras()?;
            if contains_dots_type(&ty) {
                return Err(ParseError {
                    kind: ParseErrorKind::DotsOutsideTypedef,
                    span: Span {
                        start,
                        end: self.prev_end(),
                    },
                });
            }
            params.push(Param {
                name: name.map(|(n, _)| n),
                ty,
                span: Span {
                    start,
                    end: self.prev_end(),
                },
            });
            if self.eat_punct(")") {
                return Ok((params, false));
            }
            self.expect_punct(",", "',' or ')' in the parameter list")?;
        }
    }

    // ---- constant expressions -----------------------------------------

    fn expr(&mut self) -> Result<Expr, ParseError> {
        self.binary(1)
    }

    fn binary(&mut self, min_prec: u8) -> Result<Expr, ParseError> {
        self.enter()?;
        let mut lhs = self.unary()?;
        loop {
            let tok = self.peek();
            let Some((op, prec)) = (tok.kind == TokenKind::Punct)
                .then(|| binary_op(self.text(tok)))
                .flatten()
            else {
                break;
            };
            if prec < min_prec {
                break;
            }
            self.bump();
            let rhs = self.binary(prec + 1)?;
            lhs = Expr::Binary(op, Box::new(lhs), Box::new(rhs));
        }
        self.leave();
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        self.enter()?;
        let tok = self.peek();
        let text = self.text(tok);
        let e = match tok.kind {
            TokenKind::Punct if matches!(text, "-" | "+" | "~" | "!") => {
                self.bump();
                let op = match text {
                    "-" => UnaryOp::Neg,
                    "+" => UnaryOp::Plus,
                    "~" => UnaryOp::BitNot,
                    _ => UnaryOp::Not,
                };
                Expr::Unary(op, Box::new(self.unary()?))
            }
            TokenKind::Punct if text == "(" => {
                self.bump();
                if let Some(spec) = self.specifiers(false)? {
                    let (_, ty) =
                        self.declarator(spec.base, NameRule::Forbidden, spec.call_conv)?;
                    self.expect_punct(")", "')' after the cast's type")?;
                    Expr::Cast(Box::new(ty), Box::new(self.unary()?))
                } else {
                    let e = self.expr()?;
                    self.expect_punct(")", "')'")?;
                    e
                }
            }
            TokenKind::Int => {
                self.bump();
                Expr::Int(parse_int_literal(text).ok_or(ParseError {
                    kind: ParseErrorKind::IntegerTooLarge,
                    span: tok.span,
                })?)
            }
            TokenKind::Char => {
                self.bump();
                Expr::Int(u64::from(parse_char_literal(text).ok_or(ParseError {
                    kind: ParseErrorKind::Unsupported("this character literal"),
                    span: tok.span,
                })?))
            }
            TokenKind::Ident if !is_keyword(text) => {
                self.bump();
                Expr::Name(text.to_owned(), tok.span)
            }
            TokenKind::Ident if text == "sizeof" => {
                return Err(self.error_here(ParseErrorKind::Unsupported(
                    "sizeof in constant expressions",
                )));
            }
            _ => return Err(self.expected("an integer constant expression")),
        };
        self.leave();
        Ok(e)
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
                .map(|d| d.name)
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
}
