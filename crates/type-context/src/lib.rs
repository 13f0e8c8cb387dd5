//! The type context of the modules cffi generates (docs/protocol.md §3 to
//! §5 and §9): the opcode numbering, the tables an out-of-line `.py`
//! module hands `_cffi_backend.FFI(...)`, and their realization into
//! cffi-py's type model.
//!
//! No Python and no unsafe code: the tables come from files anyone can
//! write, so every index and length is checked and a bad table is an
//! error, never a panic (fuzzed: `fuzz/fuzz_targets/type_context_decode.rs`).

#![forbid(unsafe_code)]

pub mod decode;
pub mod encode;
pub mod op;
pub mod tables;

pub use decode::{LazyModule, Realizer};
pub use op::{Op, Word};
pub use tables::{DecodeError, RecordSize, Tables};
