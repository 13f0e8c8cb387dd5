//! Declarators, read inside-out: pointers, arrays, function parameters.

use super::{
    call_conv, contains_dots_type, is_keyword, qualifier, ArrayLen, Attributes, CallConvKw, Derive,
    FunctionExpr, Name, NameRule, Param, ParseError, ParseErrorKind, Parser, Quals, SmolStr, Span,
    TokenKind, TypeExpr,
};

impl Parser<'_, '_> {
    /// A (possibly abstract) declarator applied to `base`.
    pub(super) fn declarator(
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
    pub(super) fn derivations(
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
            Some((SmolStr::new(self.text(tok)), tok.span))
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
    pub(super) fn starts_nested_declarator(&self) -> bool {
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

    pub(super) fn qualifiers(&mut self) -> Result<Quals, ParseError> {
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
    pub(super) fn array_len(&mut self) -> Result<Option<ArrayLen>, ParseError> {
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
    pub(super) fn parameters(&mut self) -> Result<(Vec<Param>, bool), ParseError> {
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
}
