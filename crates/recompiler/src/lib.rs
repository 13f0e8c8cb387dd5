//! `recompiler` turns a cffi-py type model back into C, and drives the
//! system C compiler (through the `cc` crate) to build shared libraries.
//!
//! Today it emits C prototypes for declared functions and variables and
//! compiles C sources into a shared library; API mode (one C wrapper per
//! function, the type tables of docs/protocol.md) will be emitted from here.
//! Files are written only when their text changed, so builds stay
//! incremental.
//!
//! ```no_run
//! use ctypes_model::{Declarations, Target, TypeTable};
//! use recompiler::{compile_shared_library, emit_prototypes};
//!
//! let mut types = TypeTable::new(Target::host());
//! let mut decls = Declarations::new();
//! decls.cdef(&mut types, "int twice(int);", &Default::default()).unwrap();
//! assert_eq!(emit_prototypes(&types, &decls), "int twice(int);\n");
//!
//! let dir = std::env::temp_dir();
//! std::fs::write(dir.join("twice.c"), "int twice(int x) { return 2 * x; }\n").unwrap();
//! let lib = compile_shared_library(&[dir.join("twice.c")], &dir.join("libtwice.so")).unwrap();
//! ```

pub mod api;

use ctypes_model::{Declarations, Declared, TypeTable};
use std::fmt;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

/// C prototypes (`int abs(int);`, `extern long counter;`) for everything
/// `decls` declares, one per line, in declaration order.
pub fn emit_prototypes(types: &TypeTable, decls: &Declarations) -> String {
    let mut out = String::new();
    for name in decls.names() {
        match decls.lookup(name) {
            Some(Declared::Function(_)) => {
                // The prototype wants the function type, not the pointer
                // to it that cffi hands out.
                let func = decls
                    .function_type(types, name)
                    .expect("a declared function");
                out.push_str(&types.c_decl(func, name));
                out.push_str(";\n");
            }
            Some(Declared::Variable(ty)) => {
                out.push_str("extern ");
                out.push_str(&types.c_decl(ty, name));
                out.push_str(";\n");
            }
            Some(Declared::IntConstant(value)) => {
                let _ = writeln!(out, "#define {name} {value}");
            }
            // Its value is the C compiler's: declared as the constant it
            // is, for code that includes these prototypes.
            Some(Declared::CompilerConstant(ty)) => {
                out.push_str("extern const ");
                out.push_str(&types.c_decl(ty, name));
                out.push_str(";\n");
            }
            // Defined by the enum in the C headers.
            Some(Declared::PartialEnumerator(_)) | None => {}
        }
    }
    out
}

/// Writes `text` to `path` unless the file already holds exactly that text.
/// Returns whether the file was written.
pub fn write_if_changed(path: &Path, text: &str) -> io::Result<bool> {
    match std::fs::read(path) {
        Ok(old) if old == text.as_bytes() => Ok(false),
        _ => std::fs::write(path, text).map(|()| true),
    }
}

/// A failure to compile C code.
#[derive(Debug)]
pub enum CompileError {
    /// The compiler could not be found or started.
    Compiler(String),
    /// The compiler ran and reported errors; its output is kept.
    Failed {
        /// The command line that was run.
        command: String,
        /// What the compiler printed.
        output: String,
    },
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompileError::Compiler(e) => write!(f, "cannot run the C compiler: {e}"),
            CompileError::Failed { command, output } => {
                write!(f, "C compilation failed: {command}\n{output}")
            }
        }
    }
}

impl std::error::Error for CompileError {}

/// Compiles C `sources` into the shared library `out`, with the C compiler
/// `cc` chooses for this target (honouring `CC` and `CFLAGS`).
pub fn compile_shared_library(sources: &[PathBuf], out: &Path) -> Result<PathBuf, CompileError> {
    let tool = cc::Build::new()
        .target(env!("RECOMPILER_TARGET"))
        .host(env!("RECOMPILER_HOST"))
        .opt_level(2)
        .cargo_metadata(false)
        .cargo_warnings(false)
        .try_get_compiler()
        .map_err(|e| CompileError::Compiler(e.to_string()))?;
    let mut cmd: Command = tool.to_command();
    if tool.is_like_msvc() {
        cmd.arg("/LD")
            .args(sources)
            .arg(format!("/Fe{}", out.display()));
    } else {
        cmd.args(["-shared", "-fPIC"])
            .args(sources)
            .arg("-o")
            .arg(out);
        if cfg!(target_vendor = "apple") {
            cmd.args(["-undefined", "dynamic_lookup"]);
        }
    }
    let command = format!("{cmd:?}");
    let output = cmd
        .output()
        .map_err(|e| CompileError::Compiler(format!("{command}: {e}")))?;
    if !output.status.success() {
        let mut text = String::from_utf8_lossy(&output.stderr).into_owned();
        text.push_str(&String::from_utf8_lossy(&output.stdout));
        return Err(CompileError::Failed {
            command,
            output: text,
        });
    }
    Ok(out.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ctypes_model::Target;
    use ffi_runtime::{CallInterface, Library, Slot};

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("recompiler-test-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn prototypes_for_functions_and_variables() {
        let mut types = TypeTable::new(Target::host());
        let mut decls = Declarations::new();
        decls
            .cdef(&mut types, "int abs(int); size_t strlen(const char *); extern long counter; int (*pick(int))(long);", &Default::default())
            .unwrap();
        assert_eq!(
            emit_prototypes(&types, &decls),
            "int abs(int);\nsize_t strlen(char *);\nint(*pick(int))(long);\nextern long counter;\n"
        );
    }

    #[test]
    fn write_if_changed_skips_identical_text() {
        let dir = scratch("write");
        let path = dir.join("a.c");
        assert!(write_if_changed(&path, "int x;\n").unwrap());
        assert!(!write_if_changed(&path, "int x;\n").unwrap());
        assert!(write_if_changed(&path, "int y;\n").unwrap());
    }

    #[test]
    fn compiled_library_is_callable() {
        // The emitted prototypes must agree with a definition the C compiler
        // checks, and the result must load and run through ffi-runtime.
        let mut types = TypeTable::new(Target::host());
        let mut decls = Declarations::new();
        decls
            .cdef(
                &mut types,
                "long scale(long x, int by);",
                &Default::default(),
            )
            .unwrap();
        let dir = scratch("compile");
        let src = dir.join("scale.c");
        let text = format!(
            "{}long scale(long x, int by) {{ return x * by; }}\n",
            emit_prototypes(&types, &decls)
        );
        write_if_changed(&src, &text).unwrap();
        let lib_path = compile_shared_library(&[src], &dir.join("libscale.so")).unwrap();

        let lib = Library::open(Some(lib_path.to_str().unwrap()), 0).unwrap();
        let func = decls.function_type(&types, "scale").unwrap();
        let cif = CallInterface::new(&types, func).unwrap();
        let (mut a, mut b, mut ret) = (Slot::default(), Slot::default(), Slot::default());
        a.write_int(-21, 8);
        b.write_int(2, 4);
        // SAFETY: `scale` was just compiled with exactly this signature.
        unsafe {
            cif.call(
                lib.symbol("scale").unwrap(),
                &mut [a.as_mut_ptr(), b.as_mut_ptr()],
                ret.as_mut_ptr(),
            );
        };
        assert_eq!(ret.read_result_int(8, true), -42);
    }

    #[test]
    fn compiler_errors_are_reported() {
        let dir = scratch("bad");
        let src = dir.join("bad.c");
        std::fs::write(&src, "int broken( {\n").unwrap();
        let err = compile_shared_library(&[src], &dir.join("libbad.so")).unwrap_err();
        assert!(matches!(err, CompileError::Failed { .. }), "{err}");
    }
}
