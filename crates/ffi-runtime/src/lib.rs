//! `ffi-runtime` is the part of cffi-py that touches the machine: it loads
//! shared libraries, finds their symbols, and calls C functions through
//! libffi with one call interface built per function type. It knows
//! nothing of Python; the types come from `ctypes-model`.
//!
//! ```
//! use ctypes_model::{Declarations, Target, TypeTable};
//! use ffi_runtime::{CallInterface, Library, Slot};
//!
//! let mut types = TypeTable::new(Target::host());
//! let mut decls = Declarations::new();
//! decls.cdef(&mut types, "int abs(int);", &Default::default()).unwrap();
//! let func = decls.function_type(&types, "abs").unwrap();
//! let cif = CallInterface::new(&types, func).unwrap();
//!
//! let libc = Library::open(None, ffi_runtime::RTLD_NOW).unwrap();
//! let abs = libc.symbol("abs").unwrap();
//! let mut arg = Slot::default();
//! arg.write_int(-5, 4);
//! let mut ret = Slot::default();
//! // SAFETY: `abs` is the C library's `int abs(int)`, matching `cif`.
//! unsafe { cif.call(abs, &mut [arg.as_mut_ptr()], ret.as_mut_ptr()) };
//! assert_eq!(ret.read_result_int(4, true), 5);
//! ```

mod call;
mod closure;
pub mod errno;
mod frame;
mod library;
mod longdouble;
pub mod memory;
mod slot;
pub mod stream;
pub mod value;
mod variadic;

pub use call::{scalar_of, CallError, CallInterface, Direct, Place, Registers, Scalar};
pub use closure::{argument_address, store_result, Closure, Handler};
pub use frame::{call_scalars, record_buf, Frame, NoRelease, RecordBuf, Release, INLINE_ARGS};
pub use libffi::raw::{ffi_arg, ffi_cif};
pub use library::{
    Library, LoadError, EXTRA_RTLD_FLAGS, RTLD_GLOBAL, RTLD_LAZY, RTLD_LOCAL, RTLD_NOW,
};
pub use longdouble::{f64_to_long_double, long_double_to_f64};
pub use slot::Slot;
pub use variadic::VariadicCache;
