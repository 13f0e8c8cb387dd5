//! The only files of the crate that read or write CPython's own
//! structures (type objects, object layouts, slots) instead of going
//! through PyO3. Each speed-up here checks its assumptions once against
//! what the interpreter reports and otherwise declines, so the callers fall
//! back to PyO3's generic path.
//!
//! Nothing here knows cdata or ctypes: each piece is generic over the
//! PyO3 class or the state it serves, and the layers above plug in.

pub mod alloc;
pub mod finalize;
pub mod foreign_thread;
pub mod gc;
pub mod getattro;
pub mod iter_type;
pub mod method;
pub mod plain;
pub mod recent;
pub mod setattr;
pub mod subscript;
pub mod unraisable;
pub mod vectorcall;
