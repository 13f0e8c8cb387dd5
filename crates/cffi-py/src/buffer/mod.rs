//! Memory through Python's buffer protocol, both ways: `ffi.buffer` shows
//! cdata memory to Python as bytes (F-03.47..F-03.58); `ffi.from_buffer`
//! shows a Python object's bytes to C as a cdata (F-03.59..F-03.68);
//! `ffi.memmove` copies between either kind (F-03.69..F-03.71).

use crate::convert;
use crate::object::{CData, Owner};
use crate::types::{CType, Kind};
use pyo3::basic::CompareOp;
use pyo3::exceptions::{PyIndexError, PyOverflowError, PyTypeError, PyUserWarning, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PySlice, PyString};
use std::ffi::{c_int, c_void};

use crate::object::{FromBuffer, View};

/// `ffi.from_buffer(ctype, obj, require_writable)` once the type is known
/// (F-03.59..F-03.68): a cdata over `obj`'s memory, holding its buffer.
pub fn from_buffer(
    py: Python<'_>,
    ctype: &Py<CType>,
    obj: &Bound<'_, PyAny>,
    require_writable: bool,
) -> PyResult<crate::object::NewCData> {
    let ct = ctype.get();
    let item = match &ct.kind {
        Kind::Array { item, len } => Some((item.get().size(), *len)),
        Kind::Pointer { .. } => None,
        _ => {
            return Err(PyTypeError::new_err(format!(
                "expected a pointer or array ctype, got '{}'",
                ct.cname
            )))
        }
    };
    if obj.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "from_buffer() cannot return the address of a unicode object",
        ));
    }
    let held = FromBuffer::new(obj, require_writable)?;
    let (addr, len) = held.extent();
    let length = match item {
        Some((size, Some(n))) => {
            let need = size.unwrap_or(0).saturating_mul(n);
            if (len as u64) < need {
                return Err(PyValueError::new_err(format!(
                    "buffer is too small ({len} bytes) for '{}' ({need} bytes)",
                    ct.cname
                )));
            }
            n as usize
        }
        None | Some((None, None)) => 0,
        // `empty[]`: no length can be computed (cffi's own words and
        // exception class).
        Some((Some(0), None)) => {
            return Err(pyo3::exceptions::PyZeroDivisionError::new_err(format!(
                "from_buffer('{}', ..): the actual length of the array cannot be computed",
                ct.cname
            )))
        }
        Some((Some(size), None)) => len / size as usize,
    };
    Ok(CData::reference(
        ctype.clone_ref(py),
        addr,
        length,
        Owner::FromBuffer(held),
    ))
}

/// Where `obj`'s memory is for `ffi.memmove()`, and how many bytes it
/// has where that is known (memory a cdata owns or is a part of, a
/// Python buffer): a pointer or array cdata, or a buffer (held in `hold`
/// while the copy runs).
fn memmove_end(
    obj: &Bound<'_, PyAny>,
    writable: bool,
    hold: &mut Option<View>,
) -> PyResult<(usize, Option<usize>)> {
    if let Some(cd) = crate::object::as_cdata(obj) {
        let cd = cd.get();
        let ct = cd.ctype.get();
        if !matches!(ct.kind, Kind::Pointer { .. } | Kind::Array { .. }) {
            return Err(PyTypeError::new_err(format!(
                "expected a pointer or array ctype, got '{}'",
                ct.cname
            )));
        }
        let region = cd.region(obj.py())?;
        return Ok((region.addr(), (!region.is_open()).then(|| region.len())));
    }
    let view = View::get(obj, writable)?;
    let (addr, len) = (view.addr(), view.len());
    *hold = Some(view);
    Ok((addr, Some(len)))
}

/// `ffi.memmove(dest, src, n)` (F-03.69..F-03.71): copies `n` bytes, the
/// areas may overlap. As in cffi, `n` is not checked against a C
/// pointer's memory, nor the source's; but where the destination's size
/// is known here (memory a cdata owns or is a part of, a Python buffer),
/// writing past it, which corrupts the heap in cffi, raises `ValueError`.
pub fn memmove(
    dest: &Bound<'_, PyAny>,
    src: &Bound<'_, PyAny>,
    n: &Bound<'_, PyAny>,
) -> PyResult<()> {
    let n = convert::index_object(n)?
        .extract::<isize>()
        .map_err(|_| PyOverflowError::new_err("Python int too large to convert to C ssize_t"))?;
    if n < 0 {
        return Err(PyValueError::new_err("negative size"));
    }
    let (mut src_view, mut dest_view) = (None, None);
    let (from, _) = memmove_end(src, false, &mut src_view)?;
    let (to, room) = memmove_end(dest, true, &mut dest_view)?;
    if let Some(room) = room.filter(|&room| n as usize > room) {
        return Err(PyValueError::new_err(format!(
            "ffi.memmove() of {n} bytes would write past the end of the \
             destination, which has {room} bytes"
        )));
    }
    if n > 0 {
        // SAFETY: as in C's memmove, the caller vouches for `n` bytes at
        // both addresses where their extent is unknown here (F-03.71:
        // cffi checks neither); a known destination was checked above.
        // Buffers are held in the views until after the copy. `copy`
        // allows overlap.
        unsafe { ffi_runtime::memory::copy(to, from, n as usize) };
    }
    Ok(())
}

/// `ffi.buffer(cdata[, size])` called with positional arguments: to
/// [`Buffer::py_new`] with the interpreter's argument array
/// (`cpython::vectorcall::install_constructor`).
pub struct Construct;

impl crate::cpython::vectorcall::Handler for Construct {
    unsafe fn call(
        py: Python<'_>,
        _callable: Borrowed<'_, '_, PyAny>,
        args: &[*mut ffi::PyObject],
        _keywords: bool,
    ) -> PyResult<Py<PyAny>> {
        // SAFETY: live objects, held by the caller for the call.
        let arg = |i: usize| unsafe { Borrowed::from_ptr(py, args[i]) };
        let made = match args.len() {
            1 => Buffer::py_new(py, &arg(0), None)?,
            2 => Buffer::py_new(py, &arg(0), Some(&arg(1)))?,
            // A wrong count, refused in cffi's words.
            0 => {
                return Err(PyTypeError::new_err(
                    "buffer() missing required argument 'cdata' (pos 1)",
                ))
            }
            n => {
                return Err(PyTypeError::new_err(format!(
                    "buffer() takes at most 2 arguments ({n} given)"
                )))
            }
        };
        Ok(Py::new(py, made)?.into_any())
    }
}

/// `ffi.buffer`: a cdata's memory as a mutable run of bytes (F-03.47).
#[pyclass(frozen, weakref, module = "_cffi_backend", name = "buffer")]
pub struct Buffer {
    addr: usize,
    size: usize,
    /// The cdata whose memory this is, kept alive (F-03.50).
    keep: Py<PyAny>,
}

impl Buffer {
    /// Refuses access once the cdata's memory was released by
    /// `ffi.release()`, with the error the cdata itself raises.
    fn live(&self, py: Python<'_>) -> PyResult<()> {
        if let Some(cd) = crate::object::as_cdata(self.keep.bind(py)) {
            cd.get().region(py)?;
        }
        // Bytes at address 0 (cffi reads and writes there).
        if self.addr == 0 && self.size > 0 {
            return Err(pyo3::exceptions::PyRuntimeError::new_err(format!(
                "cannot access a buffer of {} bytes at a NULL pointer",
                self.size
            )));
        }
        Ok(())
    }

    /// The bytes (for reading and for writing through raw pointers).
    fn bytes(&self) -> &[u8] {
        if self.size == 0 || self.addr == 0 {
            return &[];
        }
        // SAFETY: the buffer was made over `size` bytes at `addr` of a cdata
        // it keeps alive; sizes beyond what the cdata owns were warned about
        // when created (F-03.49), as cffi does.
        unsafe { ffi_runtime::memory::bytes(self.addr, self.size) }
    }

    /// `buf[a:b]` bounds, refusing a step other than 1 (F-03.52).
    fn range(&self, slice: &Bound<'_, PySlice>) -> PyResult<(usize, usize)> {
        let ind = slice.indices(self.size as isize)?;
        if ind.step != 1 {
            return Err(PyTypeError::new_err(
                "buffer doesn't support slicing with step != 1",
            ));
        }
        let start = ind.start.max(0) as usize;
        Ok((start, start.max(ind.stop.max(0) as usize)))
    }

    /// `buf[i]` position, counting from the end for negative `i`.
    fn position(&self, index: &Bound<'_, PyAny>, msg: &'static str) -> PyResult<usize> {
        let i = convert::index_object(index)
            .map_err(|_| {
                PyTypeError::new_err(format!(
                    "buffer indices must be integers, not {}",
                    convert::type_name(index)
                ))
            })?
            .extract::<isize>()
            .map_err(|_| PyIndexError::new_err(msg))?;
        let i = if i < 0 { i + self.size as isize } else { i };
        if i < 0 || i as usize >= self.size {
            return Err(PyIndexError::new_err(msg));
        }
        Ok(i as usize)
    }

    /// Writes `data` at `offset` (memmove: `data` may be this buffer).
    fn write(&self, offset: usize, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        // SAFETY: callers checked `offset + data.len() <= size`; the
        // memory is writable cdata memory kept alive by this buffer, and
        // `copy` allows the source to overlap it.
        unsafe {
            ffi_runtime::memory::copy(self.addr + offset, data.as_ptr() as usize, data.len());
        };
    }
}

#[pymethods]
impl Buffer {
    /// The cdata it keeps alive, for the cycle collector: a buffer held by
    /// an object its cdata's `ffi.gc()` destructor refers to is collected.
    fn __traverse__(&self, visit: pyo3::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        visit.call(&self.keep)
    }

    /// `ffi.buffer(cdata, size=-1)`: default size is the pointed-to item,
    /// the whole array, or a varsize struct's whole allocation.
    #[new]
    #[pyo3(signature = (cdata, size = None))]
    fn py_new(
        py: Python<'_>,
        cdata: &Bound<'_, PyAny>,
        size: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Buffer> {
        let Some(cd) = crate::object::as_cdata(cdata) else {
            return Err(PyTypeError::new_err(format!(
                "buffer() argument 1 must be _cffi_backend._CDataBase, not {}",
                convert::type_name(cdata)
            )));
        };
        let this = cd.get();
        let ct = this.ctype.get();
        let requested = match size {
            Some(s) => convert::index_object(s)?.extract::<isize>()?,
            None => -1,
        };
        let owned = this.owned_size();
        let natural = || -> PyResult<usize> {
            Ok(match &ct.kind {
                Kind::Array { .. } => this.array_bytes().unwrap_or(0) as usize,
                Kind::Pointer { item } => match owned {
                    Some(n) => n,
                    None => match (&item.get().kind, item.get().size()) {
                        (Kind::Void, _) | (_, None) => {
                            return Err(PyTypeError::new_err(format!(
                                "don't know the size pointed to by '{}'",
                                ct.cname
                            )))
                        }
                        (_, Some(n)) => n as usize,
                    },
                },
                _ => {
                    return Err(PyTypeError::new_err(format!(
                        "expected a pointer or array cdata, got '{}'",
                        ct.cname
                    )))
                }
            })
        };
        let size = if requested < 0 {
            natural()?
        } else {
            requested as usize
        };
        if let Some(own) = owned.filter(|&own| size > own) {
            PyErr::warn(
                py,
                &py.get_type::<PyUserWarning>(),
                &std::ffi::CString::new(format!(
                    "ffi.buffer(cdata, bytes): creating a buffer of {size} bytes over a cdata \
                     that owns only {own} bytes.  This will crash if you access the extra memory"
                ))
                .expect("no NUL in the message"),
                1,
            )?;
        }
        Ok(Buffer {
            addr: this.region(py)?.addr(),
            size,
            keep: cdata.clone().unbind(),
        })
    }

    fn __len__(&self) -> usize {
        self.size
    }

    fn __getitem__(&self, py: Python<'_>, index: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.live(py)?;
        let bytes = self.bytes();
        if let Ok(slice) = index.cast::<PySlice>() {
            let (a, b) = self.range(slice)?;
            return Ok(PyBytes::new(py, &bytes[a..b]).into_any().unbind());
        }
        let i = self.position(index, "buffer index out of range")?;
        Ok(PyBytes::new(py, &bytes[i..=i]).into_any().unbind())
    }

    fn __setitem__(&self, index: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        if let Ok(slice) = index.cast::<PySlice>() {
            let (a, b) = self.range(slice)?;
            let view = View::get(value, false)?;
            // After taking the view: getting it may run Python code.
            self.live(value.py())?;
            if view.len() != b - a {
                return Err(PyValueError::new_err(
                    "right operand length must match slice length",
                ));
            }
            self.write(a, view.bytes());
            return Ok(());
        }
        let i = self.position(index, "buffer assignment index out of range")?;
        self.live(value.py())?;
        match value.cast::<PyBytes>() {
            Ok(b) if b.as_bytes().len() == 1 => {
                self.write(i, b.as_bytes());
                Ok(())
            }
            _ => Err(PyTypeError::new_err(format!(
                "must assign a bytes of length 1, not {}",
                convert::type_name(value)
            ))),
        }
    }

    /// cffi 2.0.0 crashes here; we refuse, as cffi 2.1 does (F-03.54).
    fn __delitem__(&self, _index: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(PyTypeError::new_err("del not supported for buffer objects"))
    }

    fn __iter__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.live(py)?;
        let items = self.bytes().iter().map(|b| PyBytes::new(py, &[*b]));
        Ok(PyList::new(py, items)?.try_iter()?.into_any().unbind())
    }

    /// Compares as bytes with anything that has the buffer protocol
    /// (F-03.57); other objects are not comparable.
    fn __richcmp__(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        op: CompareOp,
    ) -> PyResult<Py<PyAny>> {
        let Ok(view) = View::get(other, false) else {
            return Ok(py.NotImplemented());
        };
        self.live(py)?;
        let ord = self.bytes().cmp(view.bytes());
        Ok(op
            .matches(ord)
            .into_pyobject(py)?
            .to_owned()
            .into_any()
            .unbind())
    }

    /// Exports the memory as writable unsigned bytes (format `B`, F-03.56).
    unsafe fn __getbuffer__(
        slf: &Bound<'_, Self>,
        view: *mut ffi::Py_buffer,
        flags: c_int,
    ) -> PyResult<()> {
        // The view may outlive an `ffi.release()` of the cdata: its memory
        // stays until the cdata is gone, which the view keeps alive.
        slf.get().live(slf.py())?;
        let (addr, size) = (slf.get().addr, slf.get().size);
        // SAFETY: Python passes a `Py_buffer` to fill; the memory stays
        // valid while the view holds a reference to this buffer, which
        // keeps the cdata alive. `FillInfo` takes a new reference to `slf`.
        let rc = unsafe {
            ffi::PyBuffer_FillInfo(
                view,
                slf.as_ptr(),
                addr as *mut c_void,
                size as ffi::Py_ssize_t,
                0,
                flags,
            )
        };
        if rc != 0 {
            return Err(PyErr::fetch(slf.py()));
        }
        Ok(())
    }
    // No `__releasebuffer__`: nothing to undo (the view's reference to
    // this object is dropped by Python), and without the slot a release
    // costs no call.
}
