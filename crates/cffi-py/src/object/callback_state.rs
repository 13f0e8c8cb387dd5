//! What a callback cdata owns: its libffi closure and the state the
//! handler (in `crate::callback`) reads.

use crate::types::CType;
use ffi_runtime::Closure;
use pyo3::prelude::*;

/// What the handler needs, at a fixed address (the closure's userdata).
pub struct CallbackState {
    /// The Python callable.
    pub func: Py<PyAny>,
    /// The `onerror` callable, if any.
    pub onerror: Option<Py<PyAny>>,
    /// The `error=` value, converted once, in C's layout; room for the
    /// whole result (a struct may be large), at least a word.
    pub error: Vec<u8>,
    /// The parameter types, with their sizes.
    pub args: Vec<(Py<CType>, usize)>,
    /// The result type.
    pub result: Py<CType>,
    /// The bytes libffi's result buffer has: the result's, at least a
    /// whole `ffi_arg`.
    pub result_room: usize,
}

/// What a callback cdata owns: the closure (dropped first, so C can no
/// longer reach the state) and the state.
pub struct Callback {
    // Read only by C, through its code pointer; dropped before `state`.
    _closure: Closure,
    state: Box<CallbackState>,
}

impl Callback {
    /// The closure and the state it was made with (whose address it
    /// holds: the box keeps that address fixed).
    pub fn new(closure: Closure, state: Box<CallbackState>) -> Callback {
        Callback {
            _closure: closure,
            state,
        }
    }

    /// The Python callable, for the repr and the cycle collector.
    pub fn func(&self) -> &Py<PyAny> {
        &self.state.func
    }

    /// The `onerror` callable, if any, for the cycle collector.
    pub fn onerror(&self) -> Option<&Py<PyAny>> {
        self.state.onerror.as_ref()
    }
}
