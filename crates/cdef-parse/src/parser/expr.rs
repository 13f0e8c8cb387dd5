//! Constant expressions (array lengths, enumerator values, `#define`
//! bodies) and C literals.

use super::{
    binary_op, is_keyword, parse_char_literal, parse_int_literal, Expr, NameRule, ParseError,
    ParseErrorKind, Parser, SmolStr, TokenKind, UnaryOp,
};

impl Parser<'_, '_> {
    pub(super) fn expr(&mut self) -> Result<Expr, ParseError> {
        self.binary(1)
    }

    pub(super) fn binary(&mut self, min_prec: u8) -> Result<Expr, ParseError> {
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

    pub(super) fn unary(&mut self) -> Result<Expr, ParseError> {
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
                Expr::Name(SmolStr::new(text), tok.span)
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
