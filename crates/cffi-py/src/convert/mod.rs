//! The one home of conversion between Python values and C values: call
//! arguments and results (`to_c`), `ffi.cast()` (`cast`), values in C
//! memory and initializers (`read`, `write`), new memory (`alloc`),
//! strings (`strings`), and `FILE *` streams from Python files (`file`).
//!
//! C memory is read and written through `ffi_runtime::memory::Region`,
//! bounds-checked: the functions here are safe, and the memory is vouched
//! for where a region is made (`CData::region` and the few points tidy's
//! `VOUCH_POINTS` lists) (F-03.2, F-05.5..F-05.7, F-06.1..F-06.6).

mod alloc;
mod cast;
pub mod file;
mod read;
mod strings;
mod to_c;
mod write;

pub use alloc::{newp, open_array_of, owned_copy, plan_new};
pub use cast::cast;
pub use read::{read, read_field};
pub use strings::{string, unpack};
pub use to_c::*;
pub use write::{conversion_may_run_code, write, write_field, write_placed, write_slice, Place};
pub(crate) use write::{is_wide_item, wide_units, write_array};
