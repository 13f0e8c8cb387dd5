//! Preprocessor lines: `#define` constants and `#pragma pack`.

use super::{
    parse_int_literal, parse_line_directive, tokenize, Decl, DeclKind, MacroValue, ParseError,
    ParseErrorKind, Parser, SmolStr, Span, Token, TokenKind, Warning, WarningKind,
};

impl Parser<'_, '_> {
    /// The tokens of a preprocessor line after its directive word, spans
    /// into the main source. Backslash-newline continuations are blanked
    /// first (same length, so spans stay right).
    pub(super) fn directive_tokens(
        &self,
        tok: Token,
        word_end: usize,
    ) -> Result<Vec<Token>, ParseError> {
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

    pub(super) fn directive(&mut self, tok: Token, out: &mut Vec<Decl>) -> Result<(), ParseError> {
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
    pub(super) fn define(&mut self, out: &mut Vec<Decl>) -> Result<(), ParseError> {
        let name_tok = self.peek();
        if name_tok.kind != TokenKind::Ident {
            return Err(self.expected("a macro name after #define"));
        }
        self.bump();
        let name = SmolStr::new(self.text(name_tok));
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
                    let value = body.text(self.src).trim().to_owned();
                    return Err(ParseError {
                        kind: ParseErrorKind::BadMacro {
                            name: name.to_string(),
                            value,
                        },
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
    pub(super) fn pragma(&mut self) -> Result<(), ParseError> {
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
}
