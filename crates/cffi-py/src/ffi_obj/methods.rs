//! `FFI` methods called in inner loops, given their positional arguments
//! without PyO3's argument parsing (`cpython::method`); other calls go
//! through PyO3's methods as before.

use super::Ffi;
use pyo3::prelude::*;

/// `ffi.cast(cdecl, value)` with positional arguments, without PyO3's
/// argument parsing (`cpython::method`).
pub(crate) struct CastMethod;

static CAST_ORIGINAL: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();

impl crate::cpython::method::Method for CastMethod {
    type Class = Ffi;
    const NAME: &'static std::ffi::CStr = c"cast";

    fn original() -> &'static pyo3::sync::PyOnceLock<Py<PyAny>> {
        &CAST_ORIGINAL
    }

    // Inlined into its entry (`cpython::method`): left to the compiler,
    // it moved in and out of line between builds, 10% of a qsort with a
    // Python comparator.
    #[inline(always)]
    #[allow(clippy::inline_always)]
    fn call(
        py: Python<'_>,
        slf: &Bound<'_, Ffi>,
        args: crate::cpython::method::Args<'_>,
    ) -> Option<PyResult<Py<PyAny>>> {
        let (2, Some(cdecl), Some(value)) = (args.len(), args.get(py, 0), args.get(py, 1)) else {
            return None;
        };
        // A type string seen just before (the same str object): its
        // ctype without the general lookup, then as `ffi.cast` does.
        if let Some(ct) = cdecl
            .cast_exact::<pyo3::types::PyString>()
            .ok()
            .and_then(|s| slf.get().type_cache.recent_hit(&s))
        {
            let made = crate::convert::cast(py, ct.as_unbound(), &value);
            return Some(made.and_then(|c| c.wrap(py)).map(Py::into_any));
        }
        Some(Ffi::cast(slf, &cdecl, &value).map(Py::into_any))
    }
}
