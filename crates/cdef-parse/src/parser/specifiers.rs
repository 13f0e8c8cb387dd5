//! Declaration specifiers: storage, qualifiers, base types, attributes,
//! and the bodies of struct, union and enum types.

use super::{
    is_keyword, keyword, with_quals, Attributes, Builtin, EnumBody, Enumerator, Field, Keyword,
    KeywordCounts, NameRule, ParseError, ParseErrorKind, Parser, Quals, RecordBody, RecordKind,
    SmolStr, Span, Specifiers, Storage, Token, TokenKind, TypeExpr, Warning, WarningKind,
};

impl Parser<'_, '_> {
    /// Declaration specifiers: qualifiers, storage class, attributes and
    /// the base type (keywords, a typedef name, struct/union/enum, or the
    /// `...` placeholders). Returns `None`, consuming nothing, if no type
    /// is present.
    pub(super) fn specifiers(
        &mut self,
        allow_storage: bool,
    ) -> Result<Option<Specifiers>, ParseError> {
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
                        name: SmolStr::new(word),
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

    pub(super) fn spec_text(&self, first: Span) -> String {
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
    pub(super) fn attribute(&mut self, attrs: &mut Attributes) -> Result<bool, ParseError> {
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
    pub(super) fn skip_parens(&mut self) -> Result<(), ParseError> {
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
    pub(super) fn tag(&mut self) -> Option<SmolStr> {
        let word = self.word().filter(|w| !is_keyword(w))?;
        self.bump();
        Some(SmolStr::new(word))
    }

    /// After `struct`/`union`: attributes, the tag, and the body if any.
    pub(super) fn record_type(
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
    pub(super) fn field_declaration(&mut self, body: &mut RecordBody) -> Result<(), ParseError> {
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
    pub(super) fn enum_type(&mut self, quals: Quals) -> Result<TypeExpr, ParseError> {
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
                    name: SmolStr::new(self.text(tok)),
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
}
