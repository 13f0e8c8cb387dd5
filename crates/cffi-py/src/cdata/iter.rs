//! `__CData_iterator`: the iterator over an array cdata (F-05.35), a type
//! made by hand (`cpython::iter_type`) so that a step is one C call.

use crate::convert;
use crate::cpython::iter_type::{IterType, Step};
use crate::object::{CData, OwnedInts};
use crate::types::{CType, IntRepr, LoadPy};
use pyo3::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One iteration over an array.
struct ArrayIter {
    /// The array (kept alive).
    array: Py<CData>,
    /// Its item type.
    item: Py<CType>,
    item_size: usize,
    /// Integer items: read directly.
    int_repr: Option<IntRepr>,
    /// For integer items of `ffi.new()` memory: that memory, found once.
    ints: Option<OwnedInts>,
    len: usize,
    /// The next index (atomic only so that the state is `Sync`).
    next: AtomicUsize,
}

static ITER_TYPE: IterType<ArrayIter> = IterType::new(c"_cffi_backend.__CData_iterator");

/// The class of array iterators, `_cffi_backend.__CData_iterator`.
pub fn iterator_type(py: Python<'_>) -> PyResult<Bound<'_, pyo3::types::PyType>> {
    ITER_TYPE.type_object(py).cloned()
}

/// `iter(array)`: a new iterator over `array`'s `len` items of `item`.
pub fn new(
    py: Python<'_>,
    array: &Bound<'_, CData>,
    item: &Py<CType>,
    len: usize,
) -> PyResult<Py<PyAny>> {
    let int_repr = item.get().int_repr;
    let item_size = item.get().size().unwrap_or(0) as usize;
    // All the items must lie in the memory known here (an array over a
    // buffer shorter than its type does not; cffi reads past the end).
    // Checked once: that extent stays, and a release is found at each
    // step.
    let mem = array.get().region(py)?;
    convert::within(
        mem,
        len.saturating_mul(item_size),
        &array.get().ctype.get().cname,
    )?;
    ITER_TYPE.make(
        py,
        ArrayIter {
            array: array.clone().unbind(),
            item: item.clone_ref(py),
            item_size,
            int_repr,
            ints: int_repr
                .filter(|r| r.size() as usize == item_size)
                .and_then(|r| array.get().owned_ints(r)),
            len,
            next: AtomicUsize::new(0),
        },
    )
}

impl Step for ArrayIter {
    #[inline]
    fn next(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        // A plain load and store, not a locked add: steps run under the
        // GIL (the wheel is for GIL builds), and the locked add was most of
        // a step's time on x86-64.
        let i = self.next.load(Ordering::Relaxed);
        if i >= self.len {
            // Stay at the end (also after many calls past it).
            return Ok(None);
        }
        self.next.store(i + 1, Ordering::Relaxed);
        let array = self.array.get();
        // The usual case: integers in memory `ffi.new()` made, found when
        // the iterator was; `get` checks that it is still there.
        if let Some(ints) = &self.ints {
            if let Some(v) = ints.get(array, i) {
                let int = match ints.repr() {
                    // Every other kind fits an `i64`.
                    IntRepr::U64 => (v as u64).into_pyobject(py)?.into_any(),
                    _ => (v as i64).into_pyobject(py)?.into_any(),
                };
                return Ok(Some(int.unbind()));
            }
        }
        // Checks on every step that the memory was not released meanwhile.
        let base = match array.owned_items() {
            Some((_, items)) => items,
            None => array.region(py)?,
        };
        let at = base.rest(i * self.item_size);
        if let Some(repr) = self.int_repr {
            return repr.load_py(py, at).map(Some);
        }
        // References keep the array alive.
        convert::read(py, &self.item, at, self.array.as_any()).map(Some)
    }

    fn drop_attached(self, py: Python<'_>) {
        self.array.drop_ref(py);
        self.item.drop_ref(py);
    }
}
