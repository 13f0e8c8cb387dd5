//! Parses a header written in cffi's cdef dialect and prints one line per
//! declaration, or the error with its location.
//!
//! ```text
//! cargo run -p cdef-parse --example dump -- path/to/decls.h
//! ```

use cdef_parse::{parse_cdef, DeclKind, Predeclared, SourceMap};
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump <file.h>");
        return ExitCode::from(2);
    };
    let src = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let tokens = cdef_parse::tokenize(&src).unwrap_or_default();
    let map = SourceMap::with_tokens(&src, &tokens);
    match parse_cdef(&src, &Predeclared) {
        Ok(cdef) => {
            for decl in &cdef.decls {
                let kind = match &decl.kind {
                    DeclKind::Function(_) => "function",
                    DeclKind::ExternPython { .. } => "extern \"Python\"",
                    DeclKind::Variable { .. } => "variable",
                    DeclKind::Typedef(_) => "typedef",
                    DeclKind::Constant { .. } => "constant",
                    DeclKind::Macro(_) => "macro",
                    DeclKind::Tag(_) => "tag",
                };
                let loc = map.locate(decl.span.start);
                println!("{}:{}: {kind} {}", loc.file, loc.line, decl.name);
            }
            for w in &cdef.warnings {
                let loc = map.locate(w.span.start);
                eprintln!("{}:{}: warning: {}", loc.file, loc.line, w.kind);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}", map.render(e.span, &e.kind.to_string()));
            ExitCode::FAILURE
        }
    }
}
