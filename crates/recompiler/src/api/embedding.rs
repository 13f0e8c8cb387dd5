//! Embedding libraries (docs/embedding.md, F-09): the start-up path
//! appended after the module's `PyInit` function, with the module's name
//! and its init code.

use std::fmt::Write;

/// The start-up path, written for cffi-py (see the file's comment).
const EMBEDDING_H: &str = include_str!("embedding.h");

/// The version tag of an embedding module (docs/protocol.md §2).
pub const VERSION_EMBEDDING: u32 = 0x2701;

/// What follows `PyInit_<base>` in an embedding library: the module name,
/// the init code as a C string (each source line on its own line of C, as
/// a comment shows nothing a string would not), and the start-up path.
pub(crate) fn tail(module_name: &str, base: &str, init_code: &str) -> String {
    let mut out = String::with_capacity(EMBEDDING_H.len() + 2 * init_code.len() + 256);
    let _ = write!(
        out,
        "\n/************************************************************/\n\n\
         #define _CFFIPY_EMBEDDING_MODULE \"{module_name}\"\n\
         #define _CFFIPY_EMBEDDING_INIT PyInit_{base}\n\
         static const char _cffipy_init_code[] =\n"
    );
    if init_code.is_empty() {
        out.push_str("  \"\"");
    }
    for line in init_code.split_inclusive('\n') {
        out.push_str("  \"");
        out.push_str(&c_string_body(line));
        out.push_str("\"\n");
    }
    out.push_str(";\n\n");
    out.push_str(EMBEDDING_H);
    out
}

/// `text` as the inside of a C string literal: printable ASCII as is,
/// everything else (newlines, UTF-8 bytes) as octal escapes, and `?`
/// escaped so that no trigraph forms.
fn c_string_body(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 8);
    for b in text.bytes() {
        match b {
            b'"' => s.push_str("\\\""),
            b'\\' => s.push_str("\\\\"),
            b'?' => s.push_str("\\?"),
            b'\n' => s.push_str("\\n"),
            0x20..=0x7e => s.push(b as char),
            _ => {
                let _ = write!(s, "\\{b:03o}");
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_code_is_an_exact_c_string() {
        assert_eq!(
            c_string_body("print(\"é?\")\\\n"),
            "print(\\\"\\303\\251\\?\\\")\\\\\\n"
        );
        let t = tail("pkg._m", "_m", "a = 1\nb = 2\n");
        assert!(t.contains("#define _CFFIPY_EMBEDDING_MODULE \"pkg._m\""));
        assert!(t.contains("  \"a = 1\\n\"\n  \"b = 2\\n\"\n;"));
        assert!(tail("m", "m", "").contains("_cffipy_init_code[] =\n  \"\";"));
    }
}
