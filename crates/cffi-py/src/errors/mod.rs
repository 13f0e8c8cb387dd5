//! Raising the exceptions of the `cffi` package (`CDefError`, `FFIError`)
//! from Rust, and rendering model errors the way users read them.

use cdef_parse::ParseErrorKind;
use cdef_parse::SourceMap;
use ctypes_model::{ModelError, ModelErrorKind};
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

static CDEF_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static FFI_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// An exception of class `cffi.error.<name>`. The classes are defined in
/// Python (they carry cffi's `__str__` behaviour); should the package be
/// missing, a plain `Exception` still carries the message.
fn cffi_error(
    py: Python<'_>,
    cell: &'static PyOnceLock<Py<PyType>>,
    name: &str,
    msg: String,
) -> PyErr {
    match cell.import(py, "cffi.error", name) {
        Ok(cls) => PyErr::from_type(cls.clone(), msg),
        Err(_) => PyException::new_err(msg),
    }
}

/// `cffi.CDefError(msg)`
pub fn cdef_error(py: Python<'_>, msg: String) -> PyErr {
    cffi_error(py, &CDEF_ERROR, "CDefError", msg)
}

/// `cffi.FFIError(msg)`
pub fn ffi_error(py: Python<'_>, msg: String) -> PyErr {
    cffi_error(py, &FFI_ERROR, "FFIError", msg)
}

/// `ffi.error(msg)` of the compiled FFI: the exception class hung on
/// `_cffi_backend.FFI` at import (F-03.07).
pub fn compiled_ffi_error(py: Python<'_>, msg: String) -> PyErr {
    match py
        .get_type::<crate::Ffi>()
        .getattr("error")
        .and_then(|e| e.cast_into::<pyo3::types::PyType>().map_err(PyErr::from))
    {
        Ok(error) => PyErr::from_type(error, msg),
        Err(e) => e,
    }
}

/// A type string the compiled FFI refuses, in its words (F-02.3x):
/// `message`, then the string and a caret under the byte where parsing
/// stopped; the string shows printable ASCII as it is, tabs and newlines
/// as spaces, any other byte as `?`. A string longer than 500 bytes gives
/// the message alone.
pub fn compiled_type_error(py: Python<'_>, src: &str, message: &str, at: usize) -> PyErr {
    if src.len() > 500 {
        return compiled_ffi_error(py, message.to_owned());
    }
    let shown: String = src
        .bytes()
        .map(|b| match b {
            b'\t' | b'\n' => ' ',
            0x20..=0x7e => char::from(b),
            _ => '?',
        })
        .collect();
    compiled_ffi_error(
        py,
        format!("{message}\n{shown}\n{}^", " ".repeat(at.min(src.len()))),
    )
}

/// Renders a model error about `src` (a cdef text or a type string) and
/// raises it as cffi does: duplicates are `FFIError`, the rest `CDefError`
/// located by file:line:col with the offending line quoted.
pub fn model_error(py: Python<'_>, src: &str, err: &ModelError) -> PyErr {
    let mut message = err.kind.to_string();
    if let ModelErrorKind::Syntax(ParseErrorKind::InvalidTypeSpecifiers(spelling)) = &err.kind {
        // cffi's words, and its exception class (FFIError), for impossible
        // keyword combinations.
        message =
            format!("Unsupported type: '{spelling}' is not a valid combination of type specifiers");
    }
    match &err.kind {
        ModelErrorKind::Duplicate { .. } | ModelErrorKind::CompilerLengthHere => {
            return ffi_error(py, message)
        }
        // cffi's multi-line text names the macro itself: no location.
        ModelErrorKind::Syntax(ParseErrorKind::BadMacro { .. }) => return cdef_error(py, message),
        ModelErrorKind::UnknownSize(_) | ModelErrorKind::NegativeArrayLength => {
            return PyValueError::new_err(message)
        }
        ModelErrorKind::InvalidResultType(_) => {
            return pyo3::exceptions::PyTypeError::new_err(message)
        }
        ModelErrorKind::AfterCompilation(_) | ModelErrorKind::NotImplemented(_) => {
            return pyo3::exceptions::PyNotImplementedError::new_err(message)
        }
        _ => {}
    }
    let is_unsupported_type = matches!(
        err.kind,
        ModelErrorKind::Syntax(ParseErrorKind::InvalidTypeSpecifiers(_))
    );
    let text = match err.span {
        Some(span) => match cdef_parse::tokenize(src) {
            Ok(tokens) => SourceMap::with_tokens(src, &tokens).render(span, &message),
            Err(_) => SourceMap::new(src).render(span, &message),
        },
        None => message,
    };
    if is_unsupported_type {
        // cffi reports impossible keyword combinations as FFIError.
        return ffi_error(py, text);
    }
    cdef_error(py, text)
}

/// Emits a parser warning as a Python `UserWarning`, located like errors.
pub fn warn(py: Python<'_>, src: &str, w: &cdef_parse::Warning) -> PyResult<()> {
    let loc = SourceMap::new(src).locate(w.span.start);
    let msg = format!("{}:{}: {}", loc.file, loc.line, w.kind);
    let category = py.get_type::<pyo3::exceptions::PyUserWarning>();
    let msg = std::ffi::CString::new(msg.replace('\0', " ")).expect("no NUL left");
    // Level 2: the user's `ffi.cdef(...)` line, not cffi/api.py.
    PyErr::warn(py, &category, &msg, 2)
}

static VERIFICATION_MISSING: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// cffi's `VerificationMissing` with `msg`: something only the C compiler
/// can complete (API mode).
pub fn verification_missing(py: Python<'_>, msg: String) -> PyErr {
    cffi_error(py, &VERIFICATION_MISSING, "VerificationMissing", msg)
}

static VERIFICATION_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// `cffi.VerificationError(msg)`: what a generator cannot write.
pub fn verification_error(py: Python<'_>, msg: String) -> PyErr {
    cffi_error(py, &VERIFICATION_ERROR, "VerificationError", msg)
}

/// The exception for a type whose size is asked but cannot be known, as
/// cffi raises it when it builds the type: opaque types give ValueError,
/// partial (`...;`) ones VerificationMissing, bad fields TypeError, and a
/// struct that contains itself NotImplementedError (F-01.98, F-01.99).
pub fn unknown_size(py: Python<'_>, ct: &crate::types::CType) -> PyErr {
    use ctypes_model::LayoutError;
    let plain = || PyValueError::new_err(format!("ctype '{}' is of unknown size", ct.cname));
    let crate::types::Kind::Record { rid, .. } = ct.kind else {
        return plain();
    };
    let err = crate::types::registry::lock().types.layout(rid).err();
    match err {
        Some(LayoutError::Partial(_)) => cffi_error(
            py,
            &VERIFICATION_MISSING,
            "VerificationMissing",
            format!(
                "'{}' has '...;' fields: it is only usable after compilation (API mode)",
                ct.cname
            ),
        ),
        Some(LayoutError::Recursive(_) | LayoutError::PackedBitFieldReuse(_)) => {
            pyo3::exceptions::PyNotImplementedError::new_err(err.expect("matched").to_string())
        }
        Some(LayoutError::Opaque(_)) | None => plain(),
        Some(other) => pyo3::exceptions::PyTypeError::new_err(other.to_string()),
    }
}
