//! Top-level declarations: one statement declaring one or more names,
//! and `extern "Python"` blocks.

use super::{
    contains_dots_type, is_keyword, top_quals, value_is_compilers, Attributes, Decl, DeclKind,
    NameRule, ParseError, ParseErrorKind, Parser, Quals, Storage, TokenKind, TypeExpr, Warning,
    WarningKind,
};

impl Parser<'_, '_> {
    /// One top-level declaration, possibly declaring several names.
    pub(super) fn declaration(&mut self, out: &mut Vec<Decl>) -> Result<(), ParseError> {
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
                let value = if self.eat_initializer_sign()? {
                    // An integer expression is the value; anything else
                    // (a float, a pointer, `{ ... }` for a struct) is the
                    // C compiler's to compute (API mode): not kept.
                    if value_is_compilers(&ty) {
                        self.skip_initializer();
                        None
                    } else {
                        self.initializer_expr()
                    }
                } else {
                    None
                };
                DeclKind::Constant { ty, value }
            } else {
                if spec.storage == Storage::None {
                    self.warnings.push(Warning {
                        kind: WarningKind::MissingStorageClass(name.to_string()),
                        span,
                    });
                }
                DeclKind::Variable {
                    ty,
                    storage: spec.storage,
                }
            };
            let kind = match kind {
                // `int X = 11;` (or `= -11`): an integer constant, as in
                // cffi, which reads a literal initializer as the value;
                // any other initializer is ignored, as cffi ignores it
                // (`int a[3] = {1, 2, 3};` stays a variable).
                DeclKind::Variable { ty, storage } if self.eat_initializer_sign()? => {
                    let literal = match self.initializer_expr() {
                        Some(value @ crate::Expr::Int(_)) => Some(value),
                        Some(crate::Expr::Unary(crate::UnaryOp::Neg, inner))
                            if matches!(*inner, crate::Expr::Int(_)) =>
                        {
                            Some(crate::Expr::Unary(crate::UnaryOp::Neg, inner))
                        }
                        _ => None,
                    };
                    match literal {
                        Some(value) if !value_is_compilers(&ty) => {
                            // A constant needs no `extern`.
                            self.warnings.retain(|w| {
                                !matches!(&w.kind, WarningKind::MissingStorageClass(n) if *n == name)
                            });
                            DeclKind::Constant {
                                ty,
                                value: Some(value),
                            }
                        }
                        _ => DeclKind::Variable { ty, storage },
                    }
                }
                kind => kind,
            };
            out.push(Decl { name, kind, span });
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct(";", "';' after the declaration")
    }

    /// After a declarator: attributes and `__asm__("name")` are skipped.
    pub(super) fn skip_declarator_extras(&mut self) -> Result<Attributes, ParseError> {
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
    pub(super) fn extern_python(&mut self, out: &mut Vec<Decl>) -> Result<(), ParseError> {
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
    pub(super) fn missing_type(&self, expected: &'static str) -> ParseError {
        let tok = self.peek();
        if tok.kind == TokenKind::Ident && !is_keyword(self.text(tok)) {
            return ParseError {
                kind: ParseErrorKind::UnknownTypeName(self.text(tok).to_owned()),
                span: tok.span,
            };
        }
        self.expected(expected)
    }
}
