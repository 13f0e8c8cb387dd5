//! Errors of the type model: plain data with the span of the declaration
//! or type expression they concern, when there is one.

use cdef_parse::{ParseError, Span};
use std::fmt;

/// An error building types or declarations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError {
    /// What went wrong.
    pub kind: ModelErrorKind,
    /// Where, in the text being declared or parsed.
    pub span: Option<Span>,
}

/// The kinds of model error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelErrorKind {
    /// The text did not parse.
    Syntax(cdef_parse::ParseErrorKind),
    /// A name used as a type that is not one.
    UnknownType(String),
    /// A type that this version cannot represent yet.
    Unsupported(String),
    /// A declaration that can not be: `void x;`, an array of functions...
    Invalid(String),
    /// An array whose items have no size (`void[3]`, `struct opaque[2]`,
    /// `int[10][]`).
    UnknownSize(String),
    /// An array of negative length (`int[-5]`).
    NegativeArrayLength,
    /// A function type whose result cannot be one (`int(*)(int)[5]` is a
    /// function returning an array): the result's C name.
    InvalidResultType(String),
    /// What the original refuses with `NotImplementedError` (bit fields
    /// in a partial struct).
    NotImplemented(String),
    /// A type only the C compiler completes (`typedef int... t;`) used
    /// in-line: "integer type 't'" or "float type 't'".
    AfterCompilation(String),
    /// `[...]` in a type string: only a cdef's declarations may leave a
    /// length to the C compiler.
    CompilerLengthHere,
    /// A name declared twice with different types (F-01.93).
    Duplicate {
        /// `"function"`, `"variable"` or `"typedef"`.
        kind: &'static str,
        /// The declared name.
        name: String,
    },
}

impl ModelError {
    pub(crate) fn new(kind: ModelErrorKind, span: Span) -> ModelError {
        ModelError {
            kind,
            span: Some(span),
        }
    }
}

impl From<ParseError> for ModelError {
    fn from(e: ParseError) -> ModelError {
        ModelError {
            kind: ModelErrorKind::Syntax(e.kind),
            span: Some(e.span),
        }
    }
}

impl fmt::Display for ModelErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelErrorKind::Syntax(k) => k.fmt(f),
            ModelErrorKind::UnknownType(name) => write!(f, "unknown type name '{name}'"),
            ModelErrorKind::Unsupported(what) => write!(f, "{what} not supported yet"),
            ModelErrorKind::Invalid(what) | ModelErrorKind::NotImplemented(what) => {
                f.write_str(what)
            }
            ModelErrorKind::UnknownSize(item) => write!(f, "array item of unknown size: '{item}'"),
            ModelErrorKind::NegativeArrayLength => f.write_str("negative array length"),
            ModelErrorKind::InvalidResultType(t) => write!(f, "invalid result type: '{t}'"),
            ModelErrorKind::AfterCompilation(what) => {
                write!(f, "{what} can only be used after compilation")
            }
            ModelErrorKind::CompilerLengthHere => f.write_str(
                "unsupported '[...]' here, cannot derive the actual array length in this context",
            ),
            ModelErrorKind::Duplicate { kind, name } => write!(
                f,
                "multiple declarations of {kind} {name} (for interactive usage, try cdef(xx, override=True))"
            ),
        }
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for ModelError {}
