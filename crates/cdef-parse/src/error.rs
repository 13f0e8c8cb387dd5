//! Parse errors as plain data: what went wrong and where (a byte span).
//! Rendering them for people is [`crate::SourceMap::render`]'s job.

use crate::Span;
use std::fmt;

/// A syntax error in a cdef or a type string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What went wrong.
    pub kind: ParseErrorKind,
    /// The offending text.
    pub span: Span,
}

/// The kinds of syntax error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// A token that cannot stand here.
    Unexpected {
        /// What the parser was looking for.
        expected: &'static str,
        /// The token found (`end of input` at the end).
        found: String,
    },
    /// A character that starts no C token.
    InvalidCharacter(char),
    /// `/*` without `*/`.
    UnterminatedComment,
    /// A string or character literal without its closing quote.
    UnterminatedLiteral,
    /// An integer literal too large for 64 bits.
    IntegerTooLarge,
    /// Keywords that do not make a type together, like `short char`.
    InvalidTypeSpecifiers(String),
    /// An identifier used as a type that names no type.
    UnknownTypeName(String),
    /// `int f(...)`: C needs a named parameter before `...`.
    OnlyEllipsis,
    /// A declaration without a name where one is needed.
    MissingName,
    /// A preprocessor directive that is not supported.
    UnsupportedDirective(String),
    /// C syntax that this version does not support yet.
    Unsupported(&'static str),
    /// Valid C that cdef() does not accept, named as such.
    NotInCdef(&'static str),
    /// A `#define` whose body is neither `...` nor an integer constant
    /// expression.
    BadMacro {
        /// The macro's name.
        name: String,
        /// Its body, as written.
        value: String,
    },
    /// `int;`, `typedef int;`
    DeclaresNothing,
    /// `int... x;` outside a typedef.
    DotsOutsideTypedef,
    /// `extern "Python"` on a variable or constant.
    ExternPythonNotFunction,
    /// Nesting deeper than the parser's limit.
    TooDeep,
    /// Declarators that copy a struct, union or enum body, nested so that
    /// the copies exceed the parser's limit (see `MAX_COPIED_NODES`).
    TooLarge,
}

impl fmt::Display for ParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseErrorKind::Unexpected { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            ParseErrorKind::InvalidCharacter(c) => write!(f, "invalid character {c:?}"),
            ParseErrorKind::UnterminatedComment => f.write_str("unterminated /* comment"),
            ParseErrorKind::UnterminatedLiteral => {
                f.write_str("unterminated string or character literal")
            }
            ParseErrorKind::IntegerTooLarge => {
                f.write_str("integer literal does not fit in 64 bits")
            }
            ParseErrorKind::InvalidTypeSpecifiers(s) => {
                write!(f, "invalid combination of type specifiers: '{s}'")
            }
            ParseErrorKind::UnknownTypeName(s) => write!(f, "unknown type name '{s}'"),
            ParseErrorKind::OnlyEllipsis => {
                f.write_str("a function with only '(...)' as argument is not correct C")
            }
            ParseErrorKind::MissingName => f.write_str("declaration has no name"),
            ParseErrorKind::UnsupportedDirective(d) => {
                write!(f, "preprocessor directive not supported here: '{d}'")
            }
            ParseErrorKind::Unsupported(what) => write!(f, "{what} not supported yet"),
            ParseErrorKind::NotInCdef(what) => write!(f, "{what}: this is valid C but not allowed in cdef()"),
            // cffi's words: the two forms, then what was given.
            ParseErrorKind::BadMacro { name, value } => write!(
                f,
                "only supports one of the following syntax:\n  #define {name} ...     (literally \
                 dot-dot-dot)\n  #define {name} NUMBER  (with NUMBER an integer constant, \
                 decimal/hex/octal)\ngot:\n  #define {name} {value}"
            ),
            ParseErrorKind::DeclaresNothing => f.write_str("declaration declares nothing"),
            ParseErrorKind::DotsOutsideTypedef => {
                f.write_str("'...' types ('typedef ... t;', 'typedef int... t;') are only allowed in typedefs")
            }
            ParseErrorKind::ExternPythonNotFunction => {
                f.write_str("cannot declare constants or variables with 'extern \"Python\"'")
            }
            ParseErrorKind::TooDeep => f.write_str("declaration nested too deeply"),
            ParseErrorKind::TooLarge => f.write_str(
                "declaration too large: a struct, union or enum body is repeated for too many declarators",
            ),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (at bytes {}..{})",
            self.kind, self.span.start, self.span.end
        )
    }
}

impl std::error::Error for ParseError {}
