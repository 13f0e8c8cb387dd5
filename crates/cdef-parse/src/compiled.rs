//! The type strings of a compiled FFI (`_cffi_backend.FFI`, an
//! out-of-line or API-mode module's `ffi`): `ffi.new("struct s *")`.
//!
//! The original cffi reads these with a parser of its own, smaller than
//! the one for `cdef()`, with its own rules and error texts (F-02.19 to
//! F-02.23): it never declares anything, only `const` and `volatile` are
//! qualifiers, array lengths are integer literals (base prefix as in C)
//! or integer constants of the module, `_Complex` follows `float` or
//! `double`, and the first error stops it with one of a fixed set of
//! messages at the start of the token where it stopped. This module gives
//! the same answers, as a syntax tree for `ctypes-model` to resolve.

use crate::ast::{ArrayLen, Builtin, Expr, FunctionExpr, Param, Quals, SmolStr, TypeExpr};
use crate::{CallConvKw, Span, TypeNames};

/// What a compiled FFI knows by name.
pub trait CompiledNames: TypeNames {
    /// `Some(is_union)` if `name` is a struct (or union) tag it knows.
    fn record_tag(&self, name: &str) -> Option<bool>;
    /// True if `name` is an enum tag it knows.
    fn enum_tag(&self, name: &str) -> bool;
    /// The value of the integer constant or enumerator `name`.
    fn int_constant(&self, name: &str) -> Option<i128>;
}

/// Why a type string was refused: one of the original's messages, and
/// the byte offset of the token where parsing stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompiledTypeError {
    /// The message, as the original words it.
    pub message: &'static str,
    /// Where, in bytes from the start of the string.
    pub at: usize,
}

/// Parses a compiled FFI's type string.
pub fn parse_compiled_type(
    src: &str,
    names: &dyn CompiledNames,
) -> Result<TypeExpr, CompiledTypeError> {
    let mut p = Parser {
        src: src.as_bytes(),
        names,
        tok: Tok::End,
        at: 0,
        len: 0,
        depth: 0,
    };
    p.advance();
    let ty = p.complete()?;
    if p.tok != Tok::End {
        return Err(p.error("unexpected symbol"));
    }
    Ok(ty)
}

/// How deep parameters and groups may nest (the original stops at a
/// fixed output size; this keeps the stack bounded).
const MAX_NESTING: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Punct(u8),
    End,
    Ident,
    Integer,
    DotDotDot,
    Bool,
    Char,
    Complex,
    Const,
    Double,
    Enum,
    Float,
    Int,
    Long,
    Short,
    Signed,
    Struct,
    Union,
    Unsigned,
    Void,
    Volatile,
    Cdecl,
    Stdcall,
}

struct Parser<'a> {
    src: &'a [u8],
    names: &'a dyn CompiledNames,
    /// The current token, its start and its length.
    tok: Tok,
    at: usize,
    len: usize,
    depth: usize,
}

/// One step of a declarator, applied to the type built so far.
enum Step {
    Pointer,
    Array(Option<u64>),
    Function(Vec<Param>, bool, Option<CallConvKw>),
}

fn ident_first(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b'$'
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

impl Parser<'_> {
    fn byte(&self, i: usize) -> u8 {
        self.src.get(i).copied().unwrap_or(0)
    }

    fn text(&self) -> &str {
        std::str::from_utf8(&self.src[self.at..self.at + self.len]).unwrap_or("")
    }

    fn error(&self, message: &'static str) -> CompiledTypeError {
        CompiledTypeError {
            message,
            at: self.at,
        }
    }

    /// Moves to the next token (a NUL byte ends the string, as in C).
    fn advance(&mut self) {
        let mut i = self.at + self.len;
        loop {
            let c = self.byte(i);
            if is_space(c) {
                i += 1;
                continue;
            }
            self.at = i;
            if ident_first(c) {
                let mut n = 1;
                while ident_first(self.byte(i + n)) || self.byte(i + n).is_ascii_digit() {
                    n += 1;
                }
                self.len = n;
                self.tok = keyword(&self.src[i..i + n]);
            } else if c.is_ascii_digit() {
                let mut n = if matches!(self.byte(i + 1), b'x' | b'X') {
                    2
                } else {
                    1
                };
                while self.byte(i + n).is_ascii_hexdigit() {
                    n += 1;
                }
                self.len = n;
                self.tok = Tok::Integer;
            } else if c == b'.' && self.byte(i + 1) == b'.' && self.byte(i + 2) == b'.' {
                self.len = 3;
                self.tok = Tok::DotDotDot;
            } else if c == 0 {
                self.len = 0;
                self.tok = Tok::End;
            } else {
                // Any other byte is a token of its own (a UTF-8 sequence
                // gives one per byte; none of them is expected anywhere).
                self.len = 1;
                self.tok = Tok::Punct(c);
            }
            return;
        }
    }

    /// The character after the current token, spaces skipped.
    fn following(&self) -> u8 {
        let mut i = self.at + self.len;
        while is_space(self.byte(i)) {
            i += 1;
        }
        self.byte(i)
    }

    /// A whole type: qualifiers, the base type, its declarator.
    fn complete(&mut self) -> Result<TypeExpr, CompiledTypeError> {
        while matches!(self.tok, Tok::Const | Tok::Volatile) {
            self.advance();
        }
        let (mut length, mut sign) = (0i32, 0i32);
        loop {
            match self.tok {
                Tok::Short if length != 0 => {
                    return Err(self.error("'short' after another 'short' or 'long'"))
                }
                Tok::Short => length -= 1,
                Tok::Long if length < 0 => return Err(self.error("'long' after 'short'")),
                Tok::Long if length >= 2 => return Err(self.error("'long long long' is too long")),
                Tok::Long => length += 1,
                Tok::Signed | Tok::Unsigned if sign != 0 => {
                    return Err(self.error("multiple 'signed' or 'unsigned'"))
                }
                Tok::Signed => sign = 1,
                Tok::Unsigned => sign = -1,
                _ => break,
            }
            self.advance();
        }
        let builtin = |b: Builtin| TypeExpr::Builtin {
            ty: b,
            quals: Quals::NONE,
        };
        let mut complex = None;
        let base = if length != 0 || sign != 0 {
            let combination = "invalid combination of types";
            match self.tok {
                Tok::Void
                | Tok::Bool
                | Tok::Float
                | Tok::Struct
                | Tok::Union
                | Tok::Enum
                | Tok::Complex => return Err(self.error(combination)),
                Tok::Double if sign != 0 || length != 1 => return Err(self.error(combination)),
                Tok::Double => {
                    self.advance();
                    builtin(Builtin::LongDouble)
                }
                Tok::Char if length != 0 => return Err(self.error(combination)),
                Tok::Char => {
                    self.advance();
                    builtin(match sign {
                        s if s < 0 => Builtin::UnsignedChar,
                        _ => Builtin::SignedChar,
                    })
                }
                other => {
                    if other == Tok::Int {
                        self.advance();
                    }
                    builtin(match (sign < 0, length) {
                        (false, -1) => Builtin::Short,
                        (false, 1) => Builtin::Long,
                        (false, 2) => Builtin::LongLong,
                        (false, _) => Builtin::Int,
                        (true, -1) => Builtin::UnsignedShort,
                        (true, 1) => Builtin::UnsignedLong,
                        (true, 2) => Builtin::UnsignedLongLong,
                        (true, _) => Builtin::UnsignedInt,
                    })
                }
            }
        } else {
            let base = match self.tok {
                Tok::Int => builtin(Builtin::Int),
                Tok::Char => builtin(Builtin::Char),
                Tok::Void => builtin(Builtin::Void),
                Tok::Bool => builtin(Builtin::Bool),
                Tok::Float => {
                    complex = Some(Builtin::FloatComplex);
                    builtin(Builtin::Float)
                }
                Tok::Double => {
                    complex = Some(Builtin::DoubleComplex);
                    builtin(Builtin::Double)
                }
                Tok::Ident => {
                    let name = self.text();
                    if !self.names.is_type_name(name) {
                        return Err(self.error("undefined type name"));
                    }
                    TypeExpr::Named {
                        name: SmolStr::new(name),
                        quals: Quals::NONE,
                    }
                }
                Tok::Struct | Tok::Union => {
                    let union = self.tok == Tok::Union;
                    self.advance();
                    if self.tok != Tok::Ident {
                        return Err(self.error("struct or union name expected"));
                    }
                    let tag = self.text();
                    match self.names.record_tag(tag) {
                        // C's own name of `FILE`, known without a declaration.
                        None if !union && tag == "_IO_FILE" => {
                            self.advance();
                            return self.finish(
                                TypeExpr::Named {
                                    name: SmolStr::new_static("FILE"),
                                    quals: Quals::NONE,
                                },
                                None,
                            );
                        }
                        None => return Err(self.error("undefined struct/union name")),
                        Some(is_union) if is_union != union => {
                            return Err(self.error("wrong kind of tag: struct vs union"))
                        }
                        Some(_) => {}
                    }
                    TypeExpr::Record {
                        kind: if union {
                            crate::RecordKind::Union
                        } else {
                            crate::RecordKind::Struct
                        },
                        tag: Some(SmolStr::new(tag)),
                        body: None,
                        quals: Quals::NONE,
                    }
                }
                Tok::Enum => {
                    self.advance();
                    if self.tok != Tok::Ident {
                        return Err(self.error("enum name expected"));
                    }
                    if !self.names.enum_tag(self.text()) {
                        return Err(self.error("undefined enum name"));
                    }
                    TypeExpr::Enum {
                        tag: Some(SmolStr::new(self.text())),
                        body: None,
                        quals: Quals::NONE,
                    }
                }
                _ => return Err(self.error("identifier expected")),
            };
            self.advance();
            base
        };
        self.finish(base, complex)
    }

    /// After the base type: an optional `_Complex` (which only `float`
    /// and `double` take), then the declarator.
    fn finish(
        &mut self,
        base: TypeExpr,
        complex: Option<Builtin>,
    ) -> Result<TypeExpr, CompiledTypeError> {
        let base = if self.tok == Tok::Complex {
            let Some(c) = complex else {
                return Err(self.error("_Complex type combination unsupported"));
            };
            self.advance();
            TypeExpr::Builtin {
                ty: c,
                quals: Quals::NONE,
            }
        } else {
            base
        };
        let steps = self.sequel()?;
        Ok(apply(base, steps))
    }

    /// The declarator after a base type (`*`, `[N]`, `(params)`, groups),
    /// as the steps that build the whole type from the base, in order.
    fn sequel(&mut self) -> Result<Vec<Step>, CompiledTypeError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error("internal type complexity limit reached"));
        }
        let mut stars = 0;
        let mut abi = None;
        loop {
            match self.tok {
                Tok::Punct(b'*') => stars += 1,
                Tok::Const | Tok::Volatile => {}
                Tok::Cdecl => abi = Some(CallConvKw::Cdecl),
                Tok::Stdcall => abi = Some(CallConvKw::Stdcall),
                _ => break,
            }
            self.advance();
        }
        let mut may_group = true;
        if self.tok == Tok::Ident {
            // A declarator name: allowed, and ignored.
            self.advance();
            may_group = false;
        }
        let mut group: Vec<Step> = Vec::new();
        let mut suffixes: Vec<Step> = Vec::new();
        while self.tok == Tok::Punct(b'(') {
            self.advance();
            if let Tok::Cdecl | Tok::Stdcall = self.tok {
                abi = Some(if self.tok == Tok::Cdecl {
                    CallConvKw::Cdecl
                } else {
                    CallConvKw::Stdcall
                });
                self.advance();
            }
            let grouping = may_group
                && matches!(
                    self.tok,
                    Tok::Punct(b'*' | b'[') | Tok::Const | Tok::Volatile
                );
            may_group = false;
            if grouping {
                group = self.sequel()?;
            } else {
                suffixes.push(self.parameters(abi.take())?);
            }
            if self.tok != Tok::Punct(b')') {
                return Err(self.error("expected ')'"));
            }
            self.advance();
        }
        if abi.is_some() {
            return Err(self.error("expected '('"));
        }
        while self.tok == Tok::Punct(b'[') {
            self.advance();
            let len = if self.tok == Tok::Punct(b']') {
                None
            } else {
                let n = self.array_length()?;
                self.advance();
                Some(n)
            };
            if self.tok != Tok::Punct(b']') {
                return Err(self.error("expected ']'"));
            }
            self.advance();
            suffixes.push(Step::Array(len));
        }
        self.depth -= 1;
        // The stars apply to the base first, then the suffixes from the
        // last written to the first, then what the group declares.
        let mut steps: Vec<Step> = (0..stars).map(|_| Step::Pointer).collect();
        steps.extend(suffixes.into_iter().rev());
        steps.extend(group);
        Ok(steps)
    }

    /// A parameter list after its `(`, up to (not including) the `)`.
    fn parameters(&mut self, abi: Option<CallConvKw>) -> Result<Step, CompiledTypeError> {
        if self.tok == Tok::Void && self.following() == b')' {
            self.advance();
        }
        let mut params = Vec::new();
        let mut variadic = false;
        if self.tok != Tok::Punct(b')') {
            loop {
                if self.tok == Tok::DotDotDot {
                    variadic = true;
                    self.advance();
                    break;
                }
                let start = self.at;
                let ty = self.complete()?;
                params.push(Param {
                    name: None,
                    ty,
                    span: Span::new(start, self.at),
                });
                if self.tok != Tok::Punct(b',') {
                    break;
                }
                self.advance();
            }
        }
        Ok(Step::Function(params, variadic, abi))
    }

    /// The length inside `[...]`: an integer literal or constant.
    fn array_length(&mut self) -> Result<u64, CompiledTypeError> {
        let max = i64::MAX as u128;
        match self.tok {
            Tok::Integer => {
                let text = self.text();
                let (digits, radix) = if let Some(hex) =
                    text.strip_prefix("0x").or_else(|| text.strip_prefix("0X"))
                {
                    (hex, 16)
                } else if text.len() > 1 && text.starts_with('0') {
                    (&text[1..], 8)
                } else {
                    (text, 10)
                };
                if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
                    return Err(self.error("invalid number"));
                }
                match u128::from_str_radix(digits, radix) {
                    Ok(n) if n <= max => Ok(n as u64),
                    _ => Err(self.error("number too large")),
                }
            }
            Tok::Ident => match self.names.int_constant(self.text()) {
                Some(v) if v > max as i128 => Err(self.error("integer constant too large")),
                Some(v) if v >= 0 => Ok(v as u64),
                _ => Err(self.error("expected a positive integer constant")),
            },
            _ => Err(self.error("expected a positive integer constant")),
        }
    }
}

/// The type made by applying `steps` to `base`, in order.
fn apply(base: TypeExpr, steps: Vec<Step>) -> TypeExpr {
    steps.into_iter().fold(base, |ty, step| match step {
        Step::Pointer => TypeExpr::Pointer {
            pointee: Box::new(ty),
            quals: Quals::NONE,
        },
        Step::Array(len) => TypeExpr::Array {
            item: Box::new(ty),
            len: len.map(|n| ArrayLen::Expr(Expr::Int(n))),
        },
        Step::Function(params, variadic, call_conv) => TypeExpr::Function(FunctionExpr {
            result: Box::new(ty),
            params,
            variadic,
            call_conv,
        }),
    })
}

/// The token kind of an identifier-like word.
fn keyword(word: &[u8]) -> Tok {
    match word {
        b"_Bool" => Tok::Bool,
        b"__cdecl" => Tok::Cdecl,
        b"__stdcall" => Tok::Stdcall,
        b"_Complex" => Tok::Complex,
        b"char" => Tok::Char,
        b"const" => Tok::Const,
        b"double" => Tok::Double,
        b"enum" => Tok::Enum,
        b"float" => Tok::Float,
        b"int" => Tok::Int,
        b"long" => Tok::Long,
        b"short" => Tok::Short,
        b"signed" => Tok::Signed,
        b"struct" => Tok::Struct,
        b"union" => Tok::Union,
        b"unsigned" => Tok::Unsigned,
        b"void" => Tok::Void,
        b"volatile" => Tok::Volatile,
        _ => Tok::Ident,
    }
}

#[cfg(test)]
mod tests;
