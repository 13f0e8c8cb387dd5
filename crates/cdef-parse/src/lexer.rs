//! The tokenizer, written with nom: C tokens with their spans, comments and
//! whitespace skipped, and preprocessor lines kept whole as one token.

use crate::{ParseError, ParseErrorKind, Span};
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while};
use nom::character::complete::{char, digit1, hex_digit1, one_of};
use nom::combinator::{opt, recognize};
use nom::sequence::pair;
use nom::{IResult, Parser};

/// The kinds of token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// An identifier or keyword.
    Ident,
    /// An integer literal, with any `u`/`l` suffix.
    Int,
    /// A floating-point literal.
    Float,
    /// A string literal.
    Str,
    /// A character literal.
    Char,
    /// `...`
    Ellipsis,
    /// A punctuator; the text says which.
    Punct,
    /// A whole preprocessor line, `#` to the end of the logical line.
    Directive,
    /// The end of the input.
    Eof,
}

/// One token: its kind and where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// The kind.
    pub kind: TokenKind,
    /// The text covered.
    pub span: Span,
}

/// Splits `src` into tokens, ending with one [`TokenKind::Eof`].
pub fn tokenize(src: &str) -> Result<Vec<Token>, ParseError> {
    let mut lexer = Lexer::new(src);
    let mut tokens = Vec::with_capacity(src.len() / 4 + 1);
    loop {
        let tok = lexer.next_token()?;
        tokens.push(tok);
        if tok.kind == TokenKind::Eof {
            return Ok(tokens);
        }
    }
}

/// Reads tokens one at a time, so a parser can hold a few in memory
/// instead of the whole text's.
pub(crate) struct Lexer<'s> {
    src: &'s str,
    rest: &'s str,
    /// A directive is recognised only where '#' is the first non-blank
    /// character of a line.
    at_line_start: bool,
}

impl<'s> Lexer<'s> {
    pub(crate) fn new(src: &'s str) -> Self {
        Lexer {
            src,
            rest: src,
            at_line_start: true,
        }
    }

    /// The next token; at the end, [`TokenKind::Eof`] every time.
    pub(crate) fn next_token(&mut self) -> Result<Token, ParseError> {
        let (after, saw_newline) = skip_trivia(self.rest, self.src)?;
        self.at_line_start |= saw_newline;
        self.rest = after;
        let start = self.src.len() - after.len();
        if after.is_empty() {
            return Ok(Token {
                kind: TokenKind::Eof,
                span: Span::new(start, start),
            });
        }
        let (after, kind) = if self.at_line_start && after.starts_with('#') {
            (directive(after), TokenKind::Directive)
        } else {
            match token(after) {
                Ok((after, kind)) => (after, kind),
                Err(_) => return Err(invalid_token(after, start)),
            }
        };
        self.at_line_start = false;
        self.rest = after;
        Ok(Token {
            kind,
            span: Span::new(start, self.src.len() - after.len()),
        })
    }
}

fn invalid_token(rest: &str, start: usize) -> ParseError {
    let c = rest.chars().next().unwrap_or('\0');
    let kind = if c == '"' || c == '\'' {
        ParseErrorKind::UnterminatedLiteral
    } else {
        ParseErrorKind::InvalidCharacter(c)
    };
    ParseError {
        kind,
        span: Span::new(start, start + c.len_utf8()),
    }
}

/// Skips whitespace and comments; reports whether a newline was crossed.
fn skip_trivia<'a>(rest: &'a str, src: &str) -> Result<(&'a str, bool), ParseError> {
    let bytes = rest.as_bytes();
    let mut newline = false;
    let mut i = 0;
    loop {
        match bytes.get(i) {
            Some(b'\n') => {
                newline = true;
                i += 1;
            }
            Some(b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c') => i += 1,
            Some(b'/') if bytes.get(i + 1) == Some(&b'*') => {
                let body = &rest[i + 2..];
                let Some(end) = body.find("*/") else {
                    let start = src.len() - rest.len() + i;
                    return Err(ParseError {
                        kind: ParseErrorKind::UnterminatedComment,
                        span: Span::new(start, start + 2),
                    });
                };
                newline |= body[..end].contains('\n');
                i += 2 + end + 2;
            }
            Some(b'/') if bytes.get(i + 1) == Some(&b'/') => {
                i = rest.len() - skip_line_comment(&rest[i..]).len();
            }
            _ => return Ok((&rest[i..], newline)),
        }
    }
}

/// Skips a `//` comment up to (not including) its newline; a backslash
/// before the newline continues the comment onto the next line.
fn skip_line_comment(s: &str) -> &str {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n'
            && !(i > 0 && bytes[i - 1] == b'\\')
            && !(i > 1 && bytes[i - 1] == b'\r' && bytes[i - 2] == b'\\')
        {
            return &s[i..];
        }
        i += 1;
    }
    ""
}

/// A preprocessor line up to its (unescaped) newline.
fn directive(s: &str) -> &str {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' && !(i > 0 && bytes[i - 1] == b'\\') {
            return &s[i..];
        }
        i += 1;
    }
    ""
}

/// One token. The first byte picks the sub-parser, so the common tokens
/// (identifiers, punctuation) are recognised without trying the others.
fn token(i: &str) -> IResult<&str, TokenKind> {
    let first = i.as_bytes()[0];
    match first {
        // A prefixed literal (L"x", u'x', u8"x") starts like an identifier.
        b'L' | b'u' | b'U' if matches!(i.as_bytes().get(1), Some(b'"' | b'\'' | b'8')) => alt((
            string_literal.map(|_| TokenKind::Str),
            char_literal.map(|_| TokenKind::Char),
            |i| Ok(ident(i)),
        ))
        .parse(i),
        b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'$' => Ok(ident(i)),
        b'0'..=b'9' => plain_decimal(i).map_or_else(|| number(i), Ok),
        b'.' if i.as_bytes().get(1).is_some_and(u8::is_ascii_digit) => number(i),
        b'.' if i.starts_with("...") => Ok((&i[3..], TokenKind::Ellipsis)),
        b'"' => string_literal.map(|_| TokenKind::Str).parse(i),
        b'\'' => char_literal.map(|_| TokenKind::Char).parse(i),
        _ => punct.map(|_| TokenKind::Punct).parse(i),
    }
}

/// An identifier that starts at `i`'s first byte (already known to be a
/// letter, `_` or `$`): the hot path of the tokenizer, so a byte loop.
fn ident(i: &str) -> (&str, TokenKind) {
    let len = i
        .bytes()
        .position(|b| !IDENT_BYTE[b as usize])
        .unwrap_or(i.len());
    (&i[len..], TokenKind::Ident)
}

/// The bytes that continue an identifier: ASCII letters, digits, `_`, `$`.
static IDENT_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'$';
        b += 1;
    }
    table
};

/// A decimal integer without suffix, the common case of a number, if `i`
/// starts with one; anything else goes through [`number`].
fn plain_decimal(i: &str) -> Option<(&str, TokenKind)> {
    let len = i
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(i.len());
    let next = i.as_bytes().get(len).copied().unwrap_or(b' ');
    let starts_other = IDENT_BYTE[next as usize] || next == b'.';
    // `0` prefixes (octal, hex) are left to the full grammar.
    (!starts_other && i.as_bytes()[0] != b'0').then(|| (&i[len..], TokenKind::Int))
}

fn int_suffix(i: &str) -> IResult<&str, &str> {
    take_while(|c: char| matches!(c, 'u' | 'U' | 'l' | 'L')).parse(i)
}

fn number(i: &str) -> IResult<&str, TokenKind> {
    let hex =
        recognize((alt((tag("0x"), tag("0X"))), hex_digit1, int_suffix)).map(|_| TokenKind::Int);
    let float = recognize((
        alt((
            recognize((digit1, char('.'), opt(digit1))),
            recognize((char('.'), digit1)),
        )),
        opt((one_of("eE"), opt(one_of("+-")), digit1)),
        opt(one_of("fFlL")),
    ))
    .map(|_| TokenKind::Float);
    let exp_float = recognize((
        digit1,
        one_of("eE"),
        opt(one_of("+-")),
        digit1,
        opt(one_of("fFlL")),
    ))
    .map(|_| TokenKind::Float);
    let dec = recognize((digit1, int_suffix)).map(|_| TokenKind::Int);
    alt((hex, float, exp_float, dec)).parse(i)
}

fn quoted(quote: char) -> impl FnMut(&str) -> IResult<&str, &str> {
    move |i: &str| {
        let (rest, _) = char(quote).parse(i)?;
        let mut escaped = false;
        for (pos, c) in rest.char_indices() {
            if c == '\n' {
                break;
            }
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == quote {
                let end = 1 + pos + c.len_utf8();
                return Ok((&i[end..], &i[..end]));
            }
        }
        Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Char,
        )))
    }
}

fn string_literal(i: &str) -> IResult<&str, &str> {
    recognize(pair(opt(one_of("LuU8")), quoted('"'))).parse(i)
}

fn char_literal(i: &str) -> IResult<&str, &str> {
    recognize(pair(opt(one_of("LuU")), quoted('\''))).parse(i)
}

/// A punctuator: the two-character ones first, by their first byte.
fn punct(i: &str) -> IResult<&str, &str> {
    let b = i.as_bytes();
    let two = match (b[0], b.get(1)) {
        (b'<', Some(b'<' | b'='))
        | (b'>', Some(b'>' | b'='))
        | (b'&', Some(b'&'))
        | (b'|', Some(b'|'))
        | (b'=' | b'!', Some(b'='))
        | (b'-', Some(b'>')) => true,
        (
            b'{' | b'}' | b'[' | b']' | b'(' | b')' | b';' | b',' | b'*' | b'=' | b':' | b'&'
            | b'|' | b'^' | b'~' | b'!' | b'?' | b'<' | b'>' | b'+' | b'-' | b'/' | b'%' | b'.',
            _,
        ) => false,
        _ => {
            return Err(nom::Err::Error(nom::error::Error::new(
                i,
                nom::error::ErrorKind::OneOf,
            )))
        }
    };
    let len = if two { 2 } else { 1 };
    Ok((&i[len..], &i[..len]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(TokenKind, &str)> {
        tokenize(src)
            .unwrap()
            .into_iter()
            .map(|t| (t.kind, t.span.text(src)))
            .collect()
    }

    #[test]
    fn function_declaration() {
        assert_eq!(
            kinds("size_t strlen(const char *);"),
            vec![
                (TokenKind::Ident, "size_t"),
                (TokenKind::Ident, "strlen"),
                (TokenKind::Punct, "("),
                (TokenKind::Ident, "const"),
                (TokenKind::Ident, "char"),
                (TokenKind::Punct, "*"),
                (TokenKind::Punct, ")"),
                (TokenKind::Punct, ";"),
                (TokenKind::Eof, ""),
            ]
        );
    }

    #[test]
    fn comments_are_skipped_and_line_comments_continue() {
        let src = "int /* a\n b */ x; // one \\\n still comment\nlong y;";
        let texts: Vec<_> = kinds(src).into_iter().map(|(_, t)| t).collect();
        assert_eq!(texts, ["int", "x", ";", "long", "y", ";", ""]);
    }

    #[test]
    fn numbers_and_ellipsis() {
        assert_eq!(
            kinds("0x1Fu 10UL 1.5e3 ... 077"),
            vec![
                (TokenKind::Int, "0x1Fu"),
                (TokenKind::Int, "10UL"),
                (TokenKind::Float, "1.5e3"),
                (TokenKind::Ellipsis, "..."),
                (TokenKind::Int, "077"),
                (TokenKind::Eof, ""),
            ]
        );
    }

    #[test]
    fn directives_only_at_line_start() {
        let k = kinds("  #define X 1\nint a;");
        assert_eq!(k[0], (TokenKind::Directive, "#define X 1"));
        assert!(tokenize("int a; #define X 1").is_err());
    }

    #[test]
    fn errors_have_spans() {
        let err = tokenize("int a; /* open").unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::UnterminatedComment);
        assert_eq!(err.span, Span::new(7, 9));
        let err = tokenize("int @;").unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::InvalidCharacter('@'));
        assert_eq!(err.span, Span::new(4, 5));
    }
}
