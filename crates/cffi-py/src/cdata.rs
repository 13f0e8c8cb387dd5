//! `_CDataBase`: the Python object for a C value (`<cdata 'int(*)(int)' 0x...>`).
//!
//! A cdata is one of: a pointer value (pointers and function pointers: the
//! address is the value); a primitive value (from `ffi.cast()` and `long
//! double` results, kept in a slot in C's memory layout); or a reference
//! to an array or record in memory, which it may own (`ffi.new()`) or keep
//! its owner alive for.

use crate::convert;
use crate::ctype::{CType, Kind, LoadPy};
use crate::memory::{self, Block};
use crate::registry;
use crate::value::{self, Prim};
use ffi_runtime::Slot;
use pyo3::basic::CompareOp;
use pyo3::exceptions::{
    PyAttributeError, PyIndexError, PyNotImplementedError, PyRuntimeError, PyTypeError,
    PyValueError,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PySlice, PyString, PyTuple};
use std::ffi::c_void;

/// What a cdata owns or keeps alive.
pub enum Owner {
    /// Nothing: a value, or memory that C owns.
    None,
    /// A primitive value (`ffi.cast("int", 42)`, a `long double` result),
    /// in C's memory layout. Kept as bytes: a `Slot`'s 16-byte alignment
    /// would grow every cdata object.
    Value([u8; 16]),
    /// Memory from `ffi.new()`, freed with this object or by `ffi.release()`.
    Block(Block),
    /// Small memory from `ffi.new()`, inside this object.
    Inline(Inline),
    /// A reference into memory that this object (the owner) keeps alive.
    Keep(Py<PyAny>),
    /// For an owning `T *` from `ffi.new()` with `T` a struct or union:
    /// the struct object, which owns the memory. `p[0]` returns it, and it
    /// outlives `p` (F-05.53), as in cffi.
    OwnedRecord(Py<CData>),
    /// Memory from a custom allocator without `free` (`ffi.new_allocator`):
    /// the `alloc()` result, kept alive.
    Allocated(Py<CData>),
    /// A slice `a[i:j]` of an array, keeping the array alive.
    Slice(Py<PyAny>),
    /// `ffi.new_handle(obj)`: a unique `void *` that `ffi.from_handle()`
    /// maps back to `obj` while this cdata lives.
    Handle(Handle),
    /// `ffi.gc(original, destructor)`: calls the destructor with the
    /// original cdata when this one dies or is released.
    Gc(Box<GcState>),
    /// `ffi.from_buffer(obj)`: memory of `obj`, whose buffer it holds.
    FromBuffer(Box<crate::buffer::FromBuffer>),
    /// `ffi.callback()`: the C function pointer (a closure) and the
    /// Python callable behind it.
    Callback(Box<crate::callback::Callback>),
}

/// Memory of at most [`Inline::MAX`] bytes (aligned to at most 8) kept
/// inside the cdata object: `ffi.new("int *")` needs no allocation of its
/// own. `ffi.release()` only marks it released.
pub struct Inline {
    data: std::cell::UnsafeCell<[u64; 2]>,
    size: u8,
    released: std::sync::atomic::AtomicBool,
}

// SAFETY: the bytes are C memory: only ever read and written through raw
// pointers (from `addr()`), like a `Block`'s heap memory, never through
// Rust references; concurrent access is the program's business as in C.
unsafe impl Sync for Inline {}

impl Inline {
    /// The most bytes kept inline.
    pub const MAX: usize = 16;

    /// `size` zero bytes (at most [`Inline::MAX`]).
    pub fn zeroed(size: usize) -> Inline {
        debug_assert!(size <= Inline::MAX);
        Inline {
            data: std::cell::UnsafeCell::new([0; 2]),
            size: size as u8,
            released: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Where the bytes are: valid once the owning object is in place.
    pub fn addr(&self) -> usize {
        self.data.get() as usize
    }

    /// The bytes asked for.
    pub fn size(&self) -> usize {
        usize::from(self.size)
    }

    fn is_released(&self) -> bool {
        self.released.load(std::sync::atomic::Ordering::Acquire)
    }

    fn release(&self) {
        self.released
            .store(true, std::sync::atomic::Ordering::Release);
    }
}

/// What `ffi.gc()` attaches: the original (kept alive) and the destructor
/// still to run, if any.
pub struct GcState {
    original: Py<CData>,
    destructor: std::sync::Mutex<Option<Py<PyAny>>>,
    /// The `size=` estimate recorded as memory pressure, until the holder
    /// dies or its destructor is removed.
    pressure: std::sync::atomic::AtomicIsize,
}

impl GcState {
    /// Calls `destructor(original)` when the holder dies or is released;
    /// `pressure` bytes (already counted) are uncounted then.
    pub fn new(original: Py<CData>, destructor: Py<PyAny>, pressure: isize) -> GcState {
        GcState {
            original,
            destructor: std::sync::Mutex::new(Some(destructor)),
            pressure: std::sync::atomic::AtomicIsize::new(pressure),
        }
    }

    /// Stops counting this holder's `size=` estimate.
    fn forget_pressure(&self) {
        let size = self.pressure.swap(0, std::sync::atomic::Ordering::Relaxed);
        crate::pressure::add(-size);
    }

    /// Runs the destructor now if it has not run; its exceptions are
    /// reported as unraisable, as cffi does.
    fn run(&self, py: Python<'_>) {
        let destructor = registry::locked(&self.destructor).take();
        if let Some(d) = destructor {
            if let Err(e) = d.bind(py).call1((self.original.clone_ref(py),)) {
                e.write_unraisable(py, Some(d.bind(py)));
            }
        }
    }
}

impl Drop for GcState {
    fn drop(&mut self) {
        self.forget_pressure();
        if registry::locked(&self.destructor).is_some() {
            // A cdata is dropped by Python's deallocator, so this thread
            // is attached already; `attach` only takes the token.
            Python::attach(|py| self.run(py));
        }
    }
}

/// `ffi.gc(cdata, destructor, size)` (F-03.81..F-03.85). `None` removes
/// the destructor of an earlier `ffi.gc()` result and returns `None`. A
/// positive `size` counts as memory pressure while the result lives (see
/// `pressure`; cffi ignores it on CPython).
pub fn gc(
    py: Python<'_>,
    cdata: &Bound<'_, PyAny>,
    destructor: &Bound<'_, PyAny>,
    size: isize,
) -> PyResult<Option<CData>> {
    let Ok(cd) = cdata.cast::<CData>() else {
        return Err(PyTypeError::new_err(format!(
            "gc() argument 1 must be _cffi_backend._CDataBase, not {}",
            cdata.get_type().name()?
        )));
    };
    let this = cd.get();
    if destructor.is_none() {
        let Owner::Gc(state) = &this.owner else {
            return Err(PyTypeError::new_err(
                "Can remove destructor only on a object previously returned by ffi.gc()",
            ));
        };
        registry::locked(&state.destructor).take();
        state.forget_pressure();
        return Ok(None);
    }
    // A made-up huge size would switch the nudge off for good: at most
    // 1 TB is counted per object.
    let size = size.clamp(0, 1 << 40);
    crate::pressure::maybe_collect(py);
    crate::pressure::add(size);
    let state = GcState::new(cd.clone().unbind(), destructor.clone().unbind(), size);
    Ok(Some(CData {
        ctype: this.ctype.clone_ref(py),
        addr: this.addr(),
        length: this.length,
        owner: Owner::Gc(Box::new(state)),
    }))
}

/// The live handles: unique address to object (F-03.86..F-03.88).
/// The object is held by its `Handle` (in the handle cdata), not by the
/// map, so an object that holds its own handle is a plain cycle the
/// collector frees (F-03.89).
type HandleMap = std::collections::HashMap<usize, usize>;
static HANDLES: std::sync::LazyLock<std::sync::Mutex<HandleMap>> =
    std::sync::LazyLock::new(Default::default);

/// One handle: a one-byte allocation gives it an address no other live
/// handle has; dropping it forgets the mapping.
pub struct Handle {
    token: Box<u8>,
    obj: Py<PyAny>,
}

impl Handle {
    /// A new handle to `obj`, registered for `ffi.from_handle()`.
    pub fn new(obj: Py<PyAny>) -> Handle {
        let token = Box::new(0u8);
        let addr = std::ptr::from_ref(&*token) as usize;
        registry::locked(&HANDLES).insert(addr, obj.as_ptr() as usize);
        Handle { token, obj }
    }

    /// The handle's `void *` value.
    pub fn addr(&self) -> usize {
        std::ptr::from_ref(&*self.token) as usize
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        registry::locked(&HANDLES).remove(&self.addr());
    }
}

/// `ffi.from_handle(p)`: the object of the live handle whose value `p` is.
pub fn from_handle(py: Python<'_>, p: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let Ok(cd) = p.cast::<CData>() else {
        return Err(PyTypeError::new_err("expected a 'cdata' object"));
    };
    let cd = cd.get();
    let ct = cd.ctype.get();
    let ok_type = match &ct.kind {
        Kind::Pointer { item } => matches!(
            item.get().kind,
            Kind::Void | Kind::Primitive(ctypes_model::Primitive::Char)
        ),
        _ => false,
    };
    if !ok_type {
        return Err(PyTypeError::new_err(format!(
            "expected a 'cdata' object with a 'void *' out of new_handle(), got '{}'",
            ct.cname
        )));
    }
    if cd.addr() == 0 {
        return Err(PyRuntimeError::new_err(
            "cannot use from_handle() on NULL pointer",
        ));
    }
    let handles = registry::locked(&HANDLES);
    match handles.get(&cd.addr()) {
        Some(&obj) => {
            let obj = obj as *mut pyo3::ffi::PyObject;
            // SAFETY: an entry exists only while its `Handle` holds a
            // strong reference to the object, and `Handle::drop` removes
            // the entry (under this lock, which is held here) before that
            // reference goes; so the object is alive while the new
            // reference is taken.
            let obj = unsafe { Bound::from_borrowed_ptr(py, obj) };
            Ok(obj.unbind())
        }
        None => Err(PyRuntimeError::new_err(format!(
            "cdata '{}' {:#x} is not a live handle from ffi.new_handle()",
            ct.cname,
            cd.addr()
        ))),
    }
}

/// A C value seen from Python.
#[pyclass(
    frozen,
    subclass,
    weakref,
    module = "_cffi_backend",
    name = "_CDataBase"
)]
pub struct CData {
    /// The value's type.
    pub ctype: Py<CType>,
    /// For pointer-like ctypes, the pointer itself; for arrays and records,
    /// where their memory starts (read it with [`CData::addr`]: memory
    /// kept inside the object has no address before the object exists).
    addr: usize,
    /// Arrays: the number of items (a `T[]` gets it from `ffi.new()` or
    /// from the slice).
    pub length: usize,
    /// What the object owns or keeps alive.
    pub owner: Owner,
}

impl CData {
    /// A pointer-like cdata (pointer, function pointer) holding `addr`.
    pub fn pointer(ctype: Py<CType>, addr: usize) -> CData {
        let length = match ctype.get().kind {
            Kind::Array { len: Some(n), .. } => n as usize,
            _ => 0,
        };
        CData {
            ctype,
            addr,
            length,
            owner: Owner::None,
        }
    }

    /// For a struct that `ffi.new()` made with room for its flexible array
    /// member: the size including those items (F-05.41).
    pub fn varsize_record_bytes(&self, py: Python<'_>) -> PyResult<Option<u64>> {
        let ct = self.ctype.get();
        let (Kind::Record { .. }, Some(n)) = (&ct.kind, self.flex_len()) else {
            return Ok(None);
        };
        let Some(fields) = memory::fields(py, ct)? else {
            return Ok(None);
        };
        let Some(last) = fields.last() else {
            return Ok(None);
        };
        let Kind::Array { item, len: None } = &last.ctype.get().kind else {
            return Ok(None);
        };
        let size = ct.size().unwrap_or(0);
        let end = last.offset() as u64 + item.get().size().unwrap_or(0) * n as u64;
        Ok(Some(size.max(end)))
    }

    /// For array cdata: the bytes of its items.
    pub fn array_bytes(&self) -> Option<u64> {
        match &self.ctype.get().kind {
            Kind::Array { item, .. } => Some(item.get().size()? * self.length as u64),
            _ => None,
        }
    }

    /// A primitive value (memory layout in `slot`).
    pub fn scalar(ctype: Py<CType>, slot: Slot) -> CData {
        CData {
            ctype,
            addr: 0,
            length: 0,
            owner: Owner::Value(slot.0),
        }
    }

    /// An array or record at `addr`, `length` items for arrays.
    pub fn reference(ctype: Py<CType>, addr: usize, length: usize, owner: Owner) -> CData {
        CData {
            ctype,
            addr,
            length,
            owner,
        }
    }

    /// The Python object for this cdata, of the subclass cffi gives what it
    /// owns (F-05.01): `__CDataOwn` for `ffi.new()` memory (and the struct
    /// an owning pointer points to), `__CDataGCP` for `ffi.gc()` and
    /// custom allocators, `__CDataOwnGC` for handles, `__CDataFromBuf` for
    /// `ffi.from_buffer()`; `_CDataBase` itself for everything else.
    pub fn wrap(self, py: Python<'_>) -> PyResult<Py<CData>> {
        fn sub<S: pyo3::PyClass<BaseType = CData>>(
            py: Python<'_>,
            base: CData,
            s: S,
        ) -> PyResult<Py<CData>> {
            let obj = Bound::new(py, PyClassInitializer::from(base).add_subclass(s))?;
            Ok(obj.into_super().unbind())
        }
        match self.owner {
            Owner::Block(_) | Owner::Inline(_) | Owner::OwnedRecord(_) => sub(py, self, CDataOwn),
            Owner::Gc(_) | Owner::Allocated(_) => sub(py, self, CDataGcp),
            Owner::Handle(_) | Owner::Callback(_) => {
                let init = PyClassInitializer::from(self)
                    .add_subclass(CDataOwn)
                    .add_subclass(CDataOwnGc);
                Ok(Bound::new(py, init)?.into_super().into_super().unbind())
            }
            Owner::FromBuffer(_) => sub(py, self, CDataFromBuf),
            // Function pointers get the vectorcall entry.
            Owner::None if matches!(self.ctype.get().kind, Kind::Function(_)) => {
                crate::fncall::wrap(py, self)
            }
            _ => crate::fastnew::new_cdata(py, self),
        }
    }

    /// Memory owned by the new cdata: `ffi.new()`'s result.
    pub fn owning(ctype: Py<CType>, block: Block, length: usize) -> CData {
        CData {
            ctype,
            addr: block.addr(),
            length,
            owner: Owner::Block(block),
        }
    }

    /// The pointer value, or where the array or record is (without the
    /// check of [`CData::data_addr`]).
    #[inline]
    pub fn addr(&self) -> usize {
        match &self.owner {
            Owner::Inline(i) => i.addr(),
            _ => self.addr,
        }
    }

    /// The address this cdata designates (its pointer value, or where its
    /// array or record is), checking that owned memory was not released.
    #[inline]
    pub fn data_addr(&self, py: Python<'_>) -> PyResult<usize> {
        match &self.owner {
            // The pointer of `ffi.new("struct s *")`: its address is the
            // struct's, fixed at creation; only a release is to check.
            Owner::OwnedRecord(p) => match &p.get().owner {
                Owner::Inline(i) if !i.is_released() => Ok(self.addr),
                Owner::Block(b) if b.addr() != 0 => Ok(self.addr),
                _ => p.get().data_addr(py),
            },
            Owner::Block(b) if b.addr() == 0 => Err(released()),
            Owner::Inline(i) if i.is_released() => Err(released()),
            Owner::FromBuffer(fb) if fb.is_released() => Err(released()),
            Owner::Gc(state) => state.original.get().data_addr(py),
            Owner::Allocated(a) => a.get().data_addr(py).map(|_| self.addr()),
            Owner::Keep(k) | Owner::Slice(k) => match k.bind(py).cast::<CData>() {
                Ok(parent) => parent.get().data_addr(py).map(|_| self.addr()),
                Err(_) => Ok(self.addr()),
            },
            _ => Ok(self.addr()),
        }
    }

    /// The bytes `ffi.new()` gave this cdata (or its struct), if any.
    pub fn owned_size(&self) -> Option<usize> {
        match &self.owner {
            Owner::Block(b) => Some(b.size()),
            Owner::Inline(i) => Some(i.size()),
            // A struct from an allocator owns through its `alloc()` result.
            Owner::OwnedRecord(p) => p
                .get()
                .owned_size()
                .or_else(|| p.get().ctype.get().size().map(|s| s as usize)),
            _ => None,
        }
    }

    /// Frees (inline: marks released) the memory this cdata or its struct
    /// owns, or runs its `ffi.gc()`/allocator destructor, or releases its
    /// buffer. Memory from an allocator without `free` is left alone.
    fn release_now(&self, py: Python<'_>) {
        match &self.owner {
            Owner::Block(b) => b.release(),
            Owner::Inline(i) => i.release(),
            Owner::Gc(state) => state.run(py),
            Owner::FromBuffer(fb) => fb.release(),
            Owner::OwnedRecord(p) => p.get().release_now(py),
            _ => {}
        }
    }

    /// A `long double` value.
    pub fn long_double(ctype: Py<CType>, bytes: [u8; 16]) -> CData {
        CData::scalar(ctype, Slot(bytes))
    }

    /// The primitive value this cdata holds, decoded.
    pub fn prim(&self) -> Option<Prim> {
        value::read(self.ctype.get(), &self.slot()?)
    }

    /// The raw slot of a primitive value (also through `ffi.gc()`).
    pub fn slot(&self) -> Option<Slot> {
        match &self.owner {
            Owner::Value(bytes) => Some(Slot(*bytes)),
            Owner::Gc(state) => state.original.get().slot(),
            _ => None,
        }
    }

    /// The value of a complex cdata; others refuse as cffi's `complex()`
    /// does.
    pub fn complex_value(&self) -> PyResult<(f64, f64)> {
        match self.prim() {
            Some(Prim::Complex(re, im)) => Ok((re, im)),
            _ => Err(PyTypeError::new_err(format!(
                "complex() not supported on cdata '{}'",
                self.ctype.get().cname
            ))),
        }
    }

    /// The bytes of a `long double` value, if this is one.
    pub fn long_double_bytes(&self) -> Option<[u8; 16]> {
        match self.prim()? {
            Prim::LongDouble(b) => Some(b),
            _ => None,
        }
    }
}

/// The pieces of one C call, moved to the thread-state-free section.
struct RawCall<'a> {
    cif: &'a ffi_runtime::CallInterface,
    code: *const c_void,
    args: &'a mut [*mut c_void],
    ret: *mut c_void,
}

impl RawCall<'_> {
    /// Makes the call with the GIL released (F-07.13) and errno swapped
    /// in and out (F-07.11).
    fn run(self, _py: Python<'_>) {
        // SAFETY: the thread is attached (the token shows it), so it holds
        // the GIL, which `PyEval_SaveThread` releases and the matching
        // `PyEval_RestoreThread` takes back before anything else happens.
        // In between, only C runs: no Python object is touched (the
        // arguments were converted before, the result is read after), and
        // errno is swapped in and out right around the call, after and
        // before the interpreter's own code. PyO3's `detach` would do the
        // same with more bookkeeping.
        unsafe {
            let state = pyo3::ffi::PyEval_SaveThread();
            // SAFETY (the call): `code` is the non-null address of a
            // function whose type the cif describes (checked by the
            // caller), each argument pointer refers to a value converted
            // for its declared type, and `ret` has room for the result.
            ffi_runtime::errno::around(|| self.cif.call(self.code, self.args, self.ret));
            pyo3::ffi::PyEval_RestoreThread(state);
        }
    }
}

#[pymethods]
impl CData {
    /// The cdata classes cannot be subclassed from Python, as in cffi
    /// (F-05.02); the Rust subclasses are made without this hook.
    #[classmethod]
    #[pyo3(signature = (*_args, **_kwargs))]
    fn __init_subclass__(
        cls: &Bound<'_, pyo3::types::PyType>,
        _args: &Bound<'_, PyTuple>,
        _kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        let base = cls
            .getattr("__base__")?
            .cast_into::<pyo3::types::PyType>()?;
        Err(PyTypeError::new_err(format!(
            "type '{}' is not an acceptable base type",
            base.fully_qualified_name()?
        )))
    }

    /// The objects this cdata keeps alive, for the cycle collector: an
    /// object holding its own handle is collected (F-03.89).
    fn __traverse__(&self, visit: pyo3::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        match &self.owner {
            Owner::Handle(h) => visit.call(&h.obj),
            Owner::Keep(k) | Owner::Slice(k) => visit.call(k),
            Owner::OwnedRecord(c) | Owner::Allocated(c) => visit.call(c),
            Owner::FromBuffer(fb) => visit.call(fb.source()),
            Owner::Callback(cb) => {
                visit.call(cb.func())?;
                if let Some(o) = cb.onerror() {
                    visit.call(o)?;
                }
                Ok(())
            }
            Owner::Gc(state) => {
                visit.call(&state.original)?;
                // Skipped while another thread holds it (no blocking here).
                if let Ok(d) = state.destructor.try_lock() {
                    visit.call(&*d)?;
                }
                Ok(())
            }
            Owner::None | Owner::Value(_) | Owner::Block(_) | Owner::Inline(_) => Ok(()),
        }
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let ct = self.ctype.get();
        match &self.owner {
            Owner::Block(_) | Owner::Inline(_) | Owner::OwnedRecord(_) => {
                let size = self.owned_size().unwrap_or(0);
                return Ok(format!("<cdata '{}' owning {size} bytes>", ct.cname));
            }
            Owner::Slice(_) => {
                return Ok(format!(
                    "<cdata '{}' sliced length {}>",
                    ct.cname, self.length
                ))
            }
            Owner::Handle(h) => {
                return Ok(format!(
                    "<cdata '{}' handle to {}>",
                    ct.cname,
                    h.obj.bind(py).repr()?
                ))
            }
            Owner::Callback(cb) => {
                return Ok(format!(
                    "<cdata '{}' calling {}>",
                    ct.cname,
                    cb.func().bind(py).repr()?
                ))
            }
            Owner::FromBuffer(fb) => {
                let len = matches!(ct.kind, Kind::Array { .. }).then_some(self.length);
                return Ok(format!("<cdata '{}' {}>", ct.cname, fb.describe(py, len)?));
            }
            Owner::Keep(_) | Owner::None | Owner::Gc(_) | Owner::Value(_) | Owner::Allocated(_) => {
            }
        }
        if matches!(ct.kind, Kind::Record { .. }) {
            return Ok(format!("<cdata '{} &' {:#x}>", ct.cname, self.addr()));
        }
        if let Some(p) = self.prim() {
            // Enums show the first name of their value (F-05.08).
            if let (Kind::Enum(eid), Prim::Int(v)) = (&ct.kind, p) {
                if let Some(name) = enum_name(*eid, v) {
                    return Ok(format!("<cdata '{}' {v}: {name}>", ct.cname));
                }
            }
            return Ok(format!("<cdata '{}' {}>", ct.cname, p.repr(py)?));
        }
        Ok(if self.addr() == 0 {
            format!("<cdata '{}' NULL>", ct.cname)
        } else {
            format!("<cdata '{}' {:#x}>", ct.cname, self.addr())
        })
    }

    fn __bool__(&self) -> bool {
        match self.prim() {
            Some(p) => p.is_true(),
            None => self.addr() != 0 || matches!(self.ctype.get().kind, Kind::Record { .. }),
        }
    }

    fn __float__(&self) -> PyResult<f64> {
        match self.prim() {
            Some(p @ (Prim::Float(_) | Prim::LongDouble(_))) => Ok(p.as_f64()),
            _ => Err(PyTypeError::new_err(format!(
                "float() not supported on cdata '{}'",
                self.ctype.get().cname
            ))),
        }
    }

    fn __complex__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let (re, im) = self.complex_value()?;
        Ok(pyo3::types::PyComplex::from_doubles(py, re, im)
            .into_any()
            .unbind())
    }

    fn __int__(&self) -> PyResult<i128> {
        match self.prim() {
            Some(p) if !matches!(p, Prim::Complex(..)) => p.as_int(),
            _ => Err(PyTypeError::new_err(format!(
                "int() not supported on cdata '{}'",
                self.ctype.get().cname
            ))),
        }
    }

    /// Primitive cdata compare by value with Python values and with each
    /// other; pointer-like cdata by address (F-05.19..F-05.24).
    fn __richcmp__(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        op: CompareOp,
    ) -> PyResult<Py<PyAny>> {
        if matches!(self.prim(), Some(Prim::LongDouble(_))) {
            return Err(PyNotImplementedError::new_err(format!(
                "cannot use <cdata '{}'> in a comparison",
                self.ctype.get().cname
            )));
        }
        let other_cd = other.cast::<CData>().ok();
        match (self.prim(), other_cd.as_ref().map(|o| o.get())) {
            (Some(mine), Some(theirs)) => match theirs.prim() {
                Some(t) => mine
                    .to_python(py)?
                    .bind(py)
                    .rich_compare(t.to_python(py)?, op)
                    .map(Bound::unbind),
                None => eq_only(py, op, false),
            },
            (Some(mine), None) => mine
                .to_python(py)?
                .bind(py)
                .rich_compare(other, op)
                .map(Bound::unbind),
            (None, Some(theirs)) if theirs.prim().is_none() => Ok(op
                .matches(self.addr().cmp(&theirs.addr()))
                .into_pyobject(py)?
                .to_owned()
                .into_any()
                .unbind()),
            (None, _) => eq_only(py, op, false),
        }
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        match self.prim() {
            // Pointer-like: equal addresses hash equal (F-05.21).
            None => Ok(self.addr() as isize),
            // Not comparable, so identity is enough (F-05.23).
            Some(Prim::LongDouble(_)) => Ok(std::ptr::from_ref(self) as isize),
            Some(p) => p.to_python(py)?.bind(py).hash(),
        }
    }

    #[getter]
    fn __name__(&self) -> &'static str {
        "<cdata>"
    }

    /// `p[i]`, `a[i]`, `a[i:j]` (F-05.25..F-05.33).
    fn __getitem__(slf: &Bound<'_, Self>, key: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let this = slf.get();
        // Fast path: an integer item of an array, in bounds.
        if let Some((addr, repr)) = this.int_item_fast(py, key)? {
            // SAFETY: `addr` is an in-bounds item of this array's live memory.
            return unsafe { repr.load_py(py, addr) };
        }
        if let Ok(slice) = key.cast::<PySlice>() {
            return this.slice(slf, slice).map(Py::into_any);
        }
        let (item, is_array) = this.indexable()?;
        let index = index_value(key).map_err(|e| {
            if e.is_instance_of::<pyo3::exceptions::PyOverflowError>(py) {
                PyIndexError::new_err(e.value(py).to_string())
            } else {
                e
            }
        })?;
        let addr = this.item_addr(py, item.get(), index, is_array)?;
        if !is_array && this.owns_one_item() {
            this.only_index_zero(index)?;
            // `ffi.new("struct s *")[0]` is the struct object that owns
            // the memory (the same object each time, as in cffi).
            if let Owner::OwnedRecord(record) = &this.owner {
                return Ok(record.clone_ref(py).into_any());
            }
        }
        // SAFETY: `item_addr` checked the index against the length (for
        // arrays) and the memory is alive (not released); references
        // keep `slf`, the memory's owner.
        unsafe { memory::read(py, item, addr, slf.as_any().as_unbound()) }
    }

    fn __setitem__(
        slf: &Bound<'_, Self>,
        key: &Bound<'_, PyAny>,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let py = slf.py();
        let this = slf.get();
        // Fast path for an int value (whose conversion runs no Python code).
        if value.is_exact_instance_of::<pyo3::types::PyInt>() {
            if let Some((addr, _)) = this.int_item_fast(py, key)? {
                let (item, _) = this.indexable()?;
                // SAFETY: the fast path checked the index and the memory
                // is alive; an exact int runs no Python code meanwhile.
                return unsafe { memory::write(py, item.get(), value, addr) };
            }
        }
        if let Ok(slice) = key.cast::<PySlice>() {
            let target = this.slice(slf, slice)?;
            let target = target.get();
            let Kind::Array { item, .. } = &target.ctype.get().kind else {
                unreachable!("slices are arrays")
            };
            // SAFETY: the slice's memory holds `length` items, checked for
            // release at each item by `data_addr`.
            return unsafe {
                memory::write_slice(py, item.get(), target.length, value, &|| {
                    target.data_addr(py)
                })
            };
        }
        let (item, is_array) = this.indexable()?;
        let index = index_value(key)?;
        if !is_array && this.owns_one_item() {
            this.only_index_zero(index)?;
        }
        // The address is checked first (bounds, NULL) and again after the
        // value's conversion, which may run Python code.
        this.item_addr(py, item.get(), index, is_array)?;
        // SAFETY: `item_addr` checks bounds and release each time.
        unsafe {
            memory::write_placed(py, item.get(), value, &|| {
                this.item_addr(py, item.get(), index, is_array)
            })
        }
    }

    /// Refused, including for slices (which crash cffi 2.0.0).
    fn __delitem__(&self, _key: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(PyTypeError::new_err(
            "'del x[n]' not supported for cdata objects",
        ))
    }

    fn __len__(&self) -> PyResult<usize> {
        match self.ctype.get().kind {
            Kind::Array { .. } => Ok(self.length),
            _ => Err(PyTypeError::new_err(format!(
                "cdata of type '{}' has no len()",
                self.ctype.get().cname
            ))),
        }
    }

    fn __iter__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        match &slf.get().ctype.get().kind {
            Kind::Array { item, .. } => crate::iter::new(slf.py(), slf, item, slf.get().length),
            _ => Err(PyTypeError::new_err(format!(
                "cdata '{}' does not support iteration",
                slf.get().ctype.get().cname
            ))),
        }
    }

    /// Field read on a struct, a union, or a pointer to one (F-05.52..).
    /// Fields come first, then the type's own attributes; taking over
    /// `__getattribute__` (not `__getattr__`) spares a field read the
    /// failed generic lookup and its exception.
    fn __getattribute__(slf: &Bound<'_, Self>, name: &Bound<'_, PyString>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let this = slf.get();
        let ct = this.ctype.get();
        let is_record = has_fields(ct);
        if is_record {
            match this.field(py, name, "read") {
                Ok((field, base)) => {
                    // SAFETY: `field` found the live record at `base`, of
                    // the field's record type, with `flex_len` items in its
                    // flexible array member when `ffi.new()` made it so.
                    return unsafe {
                        memory::read_field(
                            py,
                            field,
                            base,
                            slf.as_any().as_unbound(),
                            this.flex_len(),
                        )
                    };
                }
                // Not a field: maybe an attribute of the type (`__class__`);
                // if not, `__getattr__` words the error.
                Err(e) if e.is_instance_of::<PyAttributeError>(py) => {}
                Err(e) => return Err(e),
            }
        }
        generic_getattr(slf, name)
    }

    /// Called (by the slot PyO3 makes) after `__getattribute__` failed with
    /// an `AttributeError`: cffi's message for the missing name.
    fn __getattr__(slf: &Bound<'_, Self>, name: &Bound<'_, PyString>) -> PyResult<Py<PyAny>> {
        let this = slf.get();
        let ct = this.ctype.get();
        let is_record = has_fields(ct);
        if is_record {
            this.field(slf.py(), name, "read")?;
        }
        Err(PyAttributeError::new_err(format!(
            "cdata '{}' has no attribute '{}'",
            ct.cname,
            name.to_cow()?
        )))
    }

    fn __setattr__(
        slf: &Bound<'_, Self>,
        name: &Bound<'_, PyString>,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let py = slf.py();
        let this = slf.get();
        let (field, base) = this.field(py, name, "write")?;
        // If converting the value may run Python code, the record's address
        // is taken again after it (see `memory::write_placed`).
        let again = || this.data_addr(py);
        let known = || Ok(base);
        let place: memory::Place<'_> = if memory::conversion_may_run_code(value) {
            &again
        } else {
            &known
        };
        // SAFETY: as in `__getattribute__`; `again` checks for release.
        unsafe { memory::write_field(py, field, value, place, this.flex_len()) }
    }

    /// The field names of a struct or union (or of the one pointed to).
    fn __dir__(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        let ct = self.ctype.get();
        let record = match &ct.kind {
            Kind::Record { .. } => ct,
            Kind::Pointer { item } if matches!(item.get().kind, Kind::Record { .. }) => item.get(),
            _ => return Ok(Vec::new()),
        };
        Ok(memory::fields(py, record)?
            .map(|f| f.iter().map(|f| f.name().to_owned()).collect())
            .unwrap_or_default())
    }

    fn __delattr__(&self, py: Python<'_>, name: &Bound<'_, PyString>) -> PyResult<()> {
        self.field(py, name, "delete")?;
        Err(PyAttributeError::new_err("cannot delete struct field"))
    }

    /// `p + n`: pointer arithmetic; arrays decay to pointers (F-05.25).
    /// As in cffi, the other operand must be an index first of all (so
    /// `cdata + cdata` says that the right one is not an integer).
    fn __add__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let n = index_value(other)?;
        if !matches!(
            self.ctype.get().kind,
            Kind::Pointer { .. } | Kind::Array { .. }
        ) {
            return Err(PyTypeError::new_err(format!(
                "cannot add a cdata '{}' and a number",
                self.ctype.get().cname
            )));
        }
        self.offset_by(py, n)
    }

    fn __radd__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.__add__(py, other)
    }

    /// `p - n`, and `p - q` for two pointers of the same type (F-05.26).
    fn __sub__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Ok(cd) = other.cast::<CData>() {
            let other = cd.get();
            let mine = self.ctype.get();
            // The right operand decays to a pointer; the left must have
            // exactly that type.
            let theirs_id = other.decayed_id();
            let theirs = registry::ctype_for(py, theirs_id)?;
            let same = mine.id == theirs_id && matches!(mine.kind, Kind::Pointer { .. });
            let item_size = match &mine.kind {
                Kind::Pointer { item } if same => item_size_for_arith(item.get()),
                _ => None,
            };
            let Some(size) = item_size else {
                return Err(PyTypeError::new_err(format!(
                    "cannot subtract cdata '{}' and cdata '{}'",
                    mine.cname,
                    theirs.get().cname
                )));
            };
            let bytes = (self.addr() as isize).wrapping_sub(other.addr() as isize);
            if bytes % size as isize != 0 {
                return Err(PyValueError::new_err(
                    "pointer subtraction: the distance between the two pointers is not a multiple of the item size",
                ));
            }
            return Ok((bytes / size as isize)
                .into_pyobject(py)?
                .into_any()
                .unbind());
        }
        if !matches!(
            self.ctype.get().kind,
            Kind::Pointer { .. } | Kind::Array { .. }
        ) {
            return Err(PyTypeError::new_err(format!(
                "cannot subtract a cdata '{}' and a number",
                self.ctype.get().cname
            )));
        }
        self.offset_by(py, index_value(other)?.wrapping_neg())
    }

    /// `with ffi.new(...) as p:` releases the memory at the end (F-03.14).
    fn __enter__(slf: &Bound<'_, Self>) -> PyResult<Py<Self>> {
        if !slf.get().is_releasable() {
            return Err(not_releasable());
        }
        Ok(slf.clone().unbind())
    }

    fn __exit__(
        &self,
        py: Python<'_>,
        _exc_type: &Bound<'_, PyAny>,
        _exc: &Bound<'_, PyAny>,
        _tb: &Bound<'_, PyAny>,
    ) -> PyResult<bool> {
        self.release(py)?;
        Ok(false)
    }

    /// Calls a function-pointer cdata (F-05.51, F-07.01..F-07.03). The
    /// vectorcall entry of [`CDataFunc`] takes the usual calls; this one
    /// serves the others (`f(*args)` through `tp_call`, and every call
    /// where vectorcall could not be installed).
    #[pyo3(signature = (*args, **kwargs))]
    fn __call__(
        &self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        if kwargs.is_some_and(|k| !k.is_empty()) {
            return Err(self.keyword_call_error());
        }
        let raw: smallvec::SmallVec<[*mut pyo3::ffi::PyObject; 8]> =
            args.iter_borrowed().map(Borrowed::as_ptr).collect();
        // SAFETY: the tuple holds a reference to each item for the call.
        unsafe { self.call_raw(py, &raw) }
    }
}

impl CData {
    /// A call with the positional arguments `args` (borrowed references),
    /// from either entry: the fast path if it takes them, else the general
    /// one.
    ///
    /// # Safety
    /// Each pointer is a live object, kept alive by the caller for the call.
    pub(crate) unsafe fn call_raw(
        &self,
        py: Python<'_>,
        args: &[*mut pyo3::ffi::PyObject],
    ) -> PyResult<Py<PyAny>> {
        if let Some(result) = self.call_fast(py, args)? {
            return Ok(result);
        }
        let args: smallvec::SmallVec<[Borrowed<'_, '_, PyAny>; 8]> = args
            .iter()
            // SAFETY: live objects (the function's contract).
            .map(|&p| unsafe { Borrowed::from_ptr(py, p) })
            .collect();
        self.call_with(py, &args)
    }

    /// The fast path of a call (F-07.01), for `args` (borrowed
    /// references): when this is a callable function pointer with a fast
    /// plan ([`FunctionInfo::fast_args`](crate::ctype::FunctionInfo)), the arguments are as many as
    /// it takes and each of the Python type its plan takes, converts them
    /// with no further dispatch, calls, and converts the result. `None`
    /// (before anything is called) sends the call down the general path,
    /// which also gives every error but those of pointer conversion.
    #[inline]
    pub(crate) fn call_fast(
        &self,
        py: Python<'_>,
        args: &[*mut pyo3::ffi::PyObject],
    ) -> PyResult<Option<Py<PyAny>>> {
        use crate::ctype::FastArg;
        use pyo3::ffi;
        let Kind::Function(info) = &self.ctype.get().kind else {
            return Ok(None);
        };
        let (Some(plan), Ok(cif)) = (&info.fast_args, &info.cif) else {
            return Ok(None);
        };
        if plan.len() != args.len() || self.addr == 0 {
            return Ok(None);
        }
        let mut slots = [Slot::default(); 8];
        for (i, ((kind, &arg), slot)) in plan.iter().zip(args).zip(slots.iter_mut()).enumerate() {
            // SAFETY: `arg` is a live object (the caller's borrowed
            // reference); the checks below only read its type, and the
            // conversions are those of its exact type.
            unsafe {
                let tp = ffi::Py_TYPE(arg);
                match *kind {
                    FastArg::Int { size, min, max } => {
                        if tp != &raw mut ffi::PyLong_Type {
                            return Ok(None);
                        }
                        let mut overflow = 0;
                        // An exact int: no exception, only the flag.
                        let v = ffi::PyLong_AsLongLongAndOverflow(arg, &raw mut overflow);
                        if overflow != 0 || v < min || v > max {
                            return Ok(None);
                        }
                        slot.write_int(i128::from(v), size);
                    }
                    FastArg::F64 | FastArg::F32 => {
                        if tp != &raw mut ffi::PyFloat_Type {
                            return Ok(None);
                        }
                        let v = ffi::PyFloat_AsDouble(arg);
                        if matches!(kind, FastArg::F32) {
                            slot.write_f32(v as f32);
                        } else {
                            slot.write_f64(v);
                        }
                    }
                    FastArg::Pointer => {
                        let arg = Borrowed::from_ptr(py, arg);
                        if !(arg.is_instance_of::<CData>() || tp == &raw mut ffi::PyBytes_Type) {
                            return Ok(None);
                        }
                        convert::write_arg(info.args[i].get(), &arg, slot)?;
                    }
                }
            }
        }
        let mut ptrs = [std::ptr::null_mut::<c_void>(); 8];
        for (p, slot) in ptrs.iter_mut().zip(slots.iter_mut()) {
            *p = slot.as_mut_ptr();
        }
        let mut ret = Slot::default();
        RawCall {
            cif,
            code: self.addr as *const c_void,
            args: &mut ptrs[..args.len()],
            ret: ret.as_mut_ptr(),
        }
        .run(py);
        convert::read_result(py, &info.result, &ret).map(Some)
    }

    /// The refusal of a call with keyword arguments (or of any call, for
    /// a cdata that is not a function pointer).
    pub(crate) fn keyword_call_error(&self) -> PyErr {
        match self.callable_info() {
            Ok(_) => {
                PyTypeError::new_err("a cdata function cannot be called with keyword arguments")
            }
            Err(e) => e,
        }
    }

    /// The function type of a function-pointer cdata; others are not
    /// callable.
    fn callable_info(&self) -> PyResult<&crate::ctype::FunctionInfo> {
        let ct = self.ctype.get();
        match &ct.kind {
            Kind::Function(info) => Ok(info),
            _ => Err(PyTypeError::new_err(format!(
                "cdata '{}' is not callable",
                ct.cname
            ))),
        }
    }

    /// The general path of a call (after [`CData::call_fast`] declined):
    /// checks and converts `args`, calls with the GIL released, converts
    /// the result.
    pub(crate) fn call_with(
        &self,
        py: Python<'_>,
        args: &[Borrowed<'_, '_, PyAny>],
    ) -> PyResult<Py<PyAny>> {
        let ct = self.ctype.get();
        let info = self.callable_info()?;
        let nargs = args.len();
        let nfixed = info.args.len();
        if info.variadic {
            if nargs < nfixed {
                return Err(PyTypeError::new_err(format!(
                    "'{}' expects at least {nfixed} arguments, got {nargs}",
                    ct.cname
                )));
            }
        } else if nargs != nfixed {
            return Err(PyTypeError::new_err(format!(
                "'{}' expects {nfixed} arguments, got {nargs}",
                ct.cname
            )));
        }
        let fixed_cif = info
            .cif
            .as_ref()
            .map_err(|e| PyNotImplementedError::new_err(e.to_string()))?;
        // The variadic part: cdata only, promoted as C promotes them
        // (F-07.09, F-07.10), with an interface made for this call.
        let extras = if info.variadic {
            variadic_extras(py, args, nfixed)?
        } else {
            Vec::new()
        };
        let variadic_cif = if extras.is_empty() {
            None
        } else {
            let ids: Vec<_> = extras.iter().map(|(id, _)| *id).collect();
            Some(variadic_interface(info, ids)?)
        };
        let cif = variadic_cif.as_deref().unwrap_or(fixed_cif);
        if self.addr() == 0 {
            return Err(PyRuntimeError::new_err(format!(
                "cannot call null pointer pointer from cdata '{}'",
                ct.cname
            )));
        }
        // Up to 8 arguments on the stack; more on the heap.
        let mut inline_slots = [Slot::default(); 8];
        let mut heap_slots = Vec::new();
        let slots: &mut [Slot] = if nargs <= inline_slots.len() {
            &mut inline_slots[..nargs]
        } else {
            heap_slots.resize(nargs, Slot::default());
            &mut heap_slots
        };
        // Structs by value: their bytes in buffers of their own (16-byte
        // units, so any alignment holds), pointed to like the slots.
        let mut records: smallvec::SmallVec<[(usize, RecordBuf); 2]> = smallvec::SmallVec::new();
        // Temporary arrays built from lists, tuples and strs for pointer
        // parameters (F-06.28); alive until the call returns (F-06.31).
        let mut temporaries: Vec<Py<CData>> = Vec::new();
        for (i, ((arg_ct, arg), slot)) in info
            .args
            .iter()
            .zip(args.iter().copied())
            .zip(slots.iter_mut())
            .enumerate()
        {
            let arg_ct = arg_ct.get();
            if let ffi_runtime::Scalar::Record { size, .. } = cif.args()[i] {
                let mut buf: RecordBuf = smallvec::smallvec![0u128; (size as usize).div_ceil(16)];
                // SAFETY: the buffer has room for the record's `size` bytes.
                unsafe { memory::write(py, arg_ct, &arg, buf.as_mut_ptr() as usize)? };
                records.push((i, buf));
                continue;
            }
            // Fast path: an exact int for an integer parameter.
            if let (Some(repr), true) = (
                arg_ct.int_repr,
                arg.is_exact_instance_of::<pyo3::types::PyInt>(),
            ) {
                if let Ok(v) = arg.extract::<i64>() {
                    let (min, max) = arg_ct.int_range.unwrap_or((i128::MIN, i128::MAX));
                    if (min..=max).contains(&i128::from(v)) {
                        slot.write_int(i128::from(v), repr.size() as u32);
                        continue;
                    }
                }
            }
            // The argument-only conversions, for objects that are not
            // cdata (so a cdata argument, the usual case, skips them).
            if !arg.is_instance_of::<CData>() {
                // A Python file object for `FILE *` (F-06.33).
                if crate::file::is_file_pointer(arg_ct) {
                    if let Some(stream) = crate::file::stream_of(py, &arg)? {
                        slot.write_ptr(stream as *const c_void);
                        continue;
                    }
                }
                if let Some(temp) = temporary_array(py, arg_ct, &arg)? {
                    slot.write_ptr(temp.get().addr() as *const c_void);
                    temporaries.push(temp);
                    continue;
                }
                if arg.is_instance_of::<PyString>() {
                    if let Some(e) = convert::str_argument_error(arg_ct) {
                        return Err(e);
                    }
                }
            }
            convert::write_arg(arg_ct, &arg, slot)?;
        }
        for (i, ((_, value), slot)) in extras
            .into_iter()
            .zip(slots.iter_mut().skip(nfixed))
            .enumerate()
        {
            match value {
                Extra::Value(v) => *slot = v,
                Extra::Record(buf) => records.push((nfixed + i, buf)),
            }
        }
        let mut inline_ptrs = [std::ptr::null_mut::<c_void>(); 8];
        let mut heap_ptrs = Vec::new();
        let ptrs: &mut [*mut c_void] = if nargs <= inline_ptrs.len() {
            &mut inline_ptrs[..nargs]
        } else {
            heap_ptrs.resize(nargs, std::ptr::null_mut());
            &mut heap_ptrs
        };
        for (p, slot) in ptrs.iter_mut().zip(slots.iter_mut()) {
            *p = slot.as_mut_ptr();
        }
        for (i, buf) in &mut records {
            ptrs[*i] = buf.as_mut_ptr().cast();
        }
        // The result: a slot, or room for a large struct.
        let mut inline_ret = [0u128; 2];
        let mut heap_ret = Vec::new();
        let ret: &mut [u128] = if cif.result_size() <= 32 {
            &mut inline_ret
        } else {
            heap_ret.resize(cif.result_size().div_ceil(16), 0u128);
            &mut heap_ret
        };
        let call = RawCall {
            cif,
            code: self.addr() as *const c_void,
            args: ptrs,
            ret: ret.as_mut_ptr().cast(),
        };
        call.run(py);
        if let ffi_runtime::Scalar::Record { .. } = cif.result() {
            // A struct result: a new struct cdata owning a copy.
            // SAFETY: libffi wrote the whole struct at `ret`.
            let obj = unsafe { memory::owned_copy(py, &info.result, ret.as_ptr() as usize) };
            return obj.map(Py::into_any);
        }
        // SAFETY: the buffer is at least a `Slot` (16 bytes, 16-aligned).
        let ret = unsafe { &*ret.as_ptr().cast::<Slot>() };
        convert::read_result(py, &info.result, ret)
    }
}

impl CData {
    /// For `a[i]` with `a` an array of integers and `i` a Python int in
    /// bounds, or `p[i]` with `p` a pointer to integers: the item's address
    /// and representation. `None` sends every other case (and every error)
    /// down the general path.
    #[inline]
    fn int_item_fast(
        &self,
        py: Python<'_>,
        key: &Bound<'_, PyAny>,
    ) -> PyResult<Option<(usize, crate::ctype::IntRepr)>> {
        let (item, is_array) = match &self.ctype.get().kind {
            Kind::Array { item, .. } => (item, true),
            Kind::Pointer { item } => (item, false),
            _ => return Ok(None),
        };
        let Some(repr) = item.get().int_repr else {
            return Ok(None);
        };
        if !key.is_exact_instance_of::<pyo3::types::PyInt>() {
            return Ok(None);
        }
        // SAFETY: `key` is a live int; the call returns -1 with an
        // exception set when it does not fit, which is cleared below (the
        // general path reports it).
        let index = unsafe { pyo3::ffi::PyLong_AsSsize_t(key.as_ptr()) };
        if index == -1 && PyErr::take(py).is_some() {
            return Ok(None);
        }
        if is_array {
            // Negative indexes wrap to huge values and fail this test too.
            if index as usize >= self.length {
                return Ok(None);
            }
        } else if index != 0 && self.owns_one_item() {
            // `ffi.new("int *")[1]`: the general path refuses it.
            return Ok(None);
        }
        let base = self.data_addr(py)?;
        if base == 0 {
            return Ok(None);
        }
        // As in C, a pointer's item `index` is wherever that lands.
        let offset = index.wrapping_mul(repr.size() as isize);
        Ok(Some((base.wrapping_add_signed(offset), repr)))
    }

    /// The item type of a pointer or array, and whether it is an array.
    fn indexable(&self) -> PyResult<(&Py<CType>, bool)> {
        match &self.ctype.get().kind {
            Kind::Pointer { item } => Ok((item, false)),
            Kind::Array { item, .. } => Ok((item, true)),
            _ => Err(PyTypeError::new_err(format!(
                "cdata of type '{}' cannot be indexed",
                self.ctype.get().cname
            ))),
        }
    }

    /// The address of item `index`, bounds-checked for arrays.
    fn item_addr(
        &self,
        py: Python<'_>,
        item: &CType,
        index: isize,
        is_array: bool,
    ) -> PyResult<usize> {
        if is_array {
            if index < 0 {
                return Err(PyIndexError::new_err("negative index"));
            }
            if index as usize >= self.length {
                return Err(PyIndexError::new_err(format!(
                    "index too large for cdata '{}' (expected {index} < {})",
                    self.ctype.get().cname,
                    self.length
                )));
            }
        }
        let base = self.data_addr(py)?;
        if base == 0 {
            return Err(null_deref(&self.ctype.get().cname));
        }
        let size = match item.size().filter(|_| !matches!(item.kind, Kind::Void)) {
            Some(size) => size,
            // Item 0 of an opaque struct, a `void` or an open array is
            // still there to designate (as a reference, an error, or a
            // pointer: see `memory::read`); others cannot be placed.
            // (cffi 2.0.0 places item i at `-i` bytes; docs/compat.md.)
            None if index == 0 || matches!(item.kind, Kind::Void) => 0,
            None => {
                return Err(PyTypeError::new_err(format!(
                    "cdata '{}' points to items of unknown size",
                    self.ctype.get().cname
                )))
            }
        };
        Ok(base.wrapping_add_signed(index.wrapping_mul(size as isize)))
    }

    /// `a[i:j]`: an open array over items `i..j`, keeping `a` alive.
    fn slice(&self, this: &Bound<'_, Self>, slice: &Bound<'_, PySlice>) -> PyResult<Py<CData>> {
        let py = this.py();
        let (item, is_array) = self.indexable()?;
        if !slice.getattr("step")?.is_none() {
            return Err(PyIndexError::new_err("slice with step not supported"));
        }
        let bound = |attr: &str| -> PyResult<isize> {
            let v = slice.getattr(attr)?;
            if v.is_none() {
                return Err(PyIndexError::new_err(format!(
                    "slice {attr} must be specified"
                )));
            }
            // Ints only (not `__index__`), as cffi reads them.
            if !v.is_instance_of::<pyo3::types::PyInt>() {
                return Err(PyTypeError::new_err("an integer is required"));
            }
            v.extract().map_err(|_| {
                pyo3::exceptions::PyOverflowError::new_err(
                    "Python int too large to convert to C ssize_t",
                )
            })
        };
        let (start, stop) = (bound("start")?, bound("stop")?);
        if item.get().size().is_none() || matches!(item.get().kind, Kind::Void) {
            return Err(PyValueError::new_err(format!(
                "array item of unknown size: '{}'",
                item.get().cname
            )));
        }
        if start > stop {
            return Err(PyIndexError::new_err("slice start > stop"));
        }
        if is_array {
            if start < 0 {
                return Err(PyIndexError::new_err("negative index"));
            }
            if stop as usize > self.length {
                return Err(PyIndexError::new_err(format!(
                    "index too large (expected {stop} <= {})",
                    self.length
                )));
            }
        }
        let base = self.data_addr(py)?;
        let size = item.get().size().unwrap_or(0) as isize;
        let ctype = memory::open_array_of(py, item.get())?;
        let addr = base.wrapping_add_signed(start.wrapping_mul(size));
        let owner = Owner::Slice(this.as_any().clone().unbind());
        Py::new(
            py,
            CData::reference(ctype, addr, (stop - start) as usize, owner),
        )
    }

    /// The field `name` of this struct/union (or of the one this points
    /// to), with the address of the record.
    fn field(
        &self,
        py: Python<'_>,
        name: &Bound<'_, PyString>,
        verb: &str,
    ) -> PyResult<(&memory::FieldInfo, usize)> {
        let ct = self.ctype.get();
        let (record, base) = match &ct.kind {
            Kind::Record { .. } => (ct, self.data_addr(py)?),
            Kind::Pointer { item } if matches!(item.get().kind, Kind::Record { .. }) => {
                (item.get(), self.data_addr(py)?)
            }
            _ => {
                return Err(PyAttributeError::new_err(format!(
                    "cdata '{}' has no attribute '{}'",
                    ct.cname,
                    name.to_cow()?
                )))
            }
        };
        let Some(fields) = memory::fields(py, record)? else {
            return Err(PyAttributeError::new_err(format!(
                "cdata '{}' points to an opaque type: cannot {verb} fields",
                ct.cname
            )));
        };
        // Interned names compare by pointer; others by text.
        let found = match fields.iter().find(|f| f.py_name.as_ptr() == name.as_ptr()) {
            Some(f) => Some(f),
            None => {
                let text = name.to_cow()?;
                fields.iter().find(|f| f.name() == text)
            }
        };
        let Some(field) = found else {
            return Err(PyAttributeError::new_err(format!(
                "cdata '{}' has no field '{}'",
                ct.cname,
                name.to_cow()?
            )));
        };
        if base == 0 {
            return Err(null_deref(&ct.cname));
        }
        Ok((field, base))
    }

    /// The pointer type this cdata decays to (its own for pointers).
    fn decayed_id(&self) -> ctypes_model::TypeId {
        match &self.ctype.get().kind {
            Kind::Array { item, .. } => registry::lock().types.pointer(item.get().id),
            _ => self.ctype.get().id,
        }
    }

    /// The length `ffi.new()` gave the flexible array member of the struct
    /// this owns (or is), if any.
    fn flex_len(&self) -> Option<usize> {
        match &self.owner {
            Owner::Block(_) | Owner::Inline(_)
                if matches!(self.ctype.get().kind, Kind::Record { .. }) =>
            {
                Some(self.length)
            }
            Owner::OwnedRecord(p) => p.get().flex_len(),
            _ => None,
        }
    }

    /// True for the pointers `ffi.new("T *")` returns, which own their one
    /// item.
    fn owns_one_item(&self) -> bool {
        matches!(
            self.owner,
            Owner::Block(_) | Owner::Inline(_) | Owner::OwnedRecord(_)
        ) && matches!(self.ctype.get().kind, Kind::Pointer { .. })
    }

    /// `ffi.new("T *")` owns one item: only index 0 is valid.
    fn only_index_zero(&self, index: isize) -> PyResult<()> {
        if index == 0 {
            return Ok(());
        }
        Err(PyIndexError::new_err(format!(
            "cdata '{}' can only be indexed by 0",
            self.ctype.get().cname
        )))
    }

    /// `self + n` as a pointer.
    fn offset_by(&self, py: Python<'_>, n: isize) -> PyResult<Py<PyAny>> {
        let (item, _) = self.indexable()?;
        let size = item_size_for_arith(item.get()).ok_or_else(|| {
            PyTypeError::new_err(format!(
                "ctype '{}' points to items of unknown size",
                self.ctype.get().cname
            ))
        })? as isize;
        let ptr_type = registry::ctype_for(py, self.decayed_id())?;
        let addr = self
            .data_addr(py)?
            .wrapping_add_signed(n.wrapping_mul(size));
        Ok(CData::pointer(ptr_type, addr).wrap(py)?.into_any())
    }

    /// True for the owners `ffi.release()` and `with` apply to.
    /// (`p[0]` of an owning struct pointer owns the memory but is not
    /// one: cffi releases it only through `p`.)
    fn is_releasable(&self) -> bool {
        match self.owner {
            Owner::Block(_) | Owner::Inline(_) => {
                !matches!(self.ctype.get().kind, Kind::Record { .. })
            }
            Owner::OwnedRecord(_) | Owner::Gc(_) | Owner::FromBuffer(_) | Owner::Allocated(_) => {
                true
            }
            _ => false,
        }
    }

    /// `ffi.release(self)` (F-03.14).
    pub fn release(&self, py: Python<'_>) -> PyResult<()> {
        if !self.is_releasable() {
            return Err(not_releasable());
        }
        self.release_now(py);
        Ok(())
    }
}

/// `ffi.release(obj)` (F-03.14, F-03.105).
pub fn release(obj: &Bound<'_, PyAny>) -> PyResult<()> {
    match obj.cast::<CData>() {
        Ok(cd) => cd.get().release(obj.py()),
        Err(_) => Err(PyTypeError::new_err("expected a 'cdata' object")),
    }
}

/// `ffi.new()` results (F-05.01).
#[pyclass(frozen, subclass, extends = CData, module = "_cffi_backend", name = "__CDataOwn")]
pub struct CDataOwn;

/// `ffi.gc()` results and custom allocators' (F-05.01).
#[pyclass(frozen, extends = CData, module = "_cffi_backend", name = "__CDataGCP")]
pub struct CDataGcp;

/// `ffi.new_handle()` results (F-05.01).
#[pyclass(frozen, extends = CDataOwn, module = "_cffi_backend", name = "__CDataOwnGC")]
pub struct CDataOwnGc;

/// `ffi.from_buffer()` results (F-05.01).
#[pyclass(frozen, extends = CData, module = "_cffi_backend", name = "__CDataFromBuf")]
pub struct CDataFromBuf;

/// The call interface of a variadic function for these `...` argument
/// types: from the function's small cache, or made now (and cached).
fn variadic_interface(
    info: &crate::ctype::FunctionInfo,
    ids: Vec<ctypes_model::TypeId>,
) -> PyResult<std::sync::Arc<ffi_runtime::CallInterface>> {
    info.variadic_cifs
        .get_or_build(ids, |ids| {
            let reg = registry::lock();
            ffi_runtime::CallInterface::new_variadic(&reg.types, info.func, ids)
        })
        .map_err(|e| PyNotImplementedError::new_err(e.to_string()))
}

/// For a pointer parameter `T *` given a list or tuple (or a str, for wide
/// characters): a new `T[]` holding it, as `ffi.new("T[]", arg)` would
/// (F-06.28).
fn temporary_array(
    py: Python<'_>,
    param: &CType,
    arg: &Bound<'_, PyAny>,
) -> PyResult<Option<Py<CData>>> {
    let Kind::Pointer { item } = &param.kind else {
        return Ok(None);
    };
    let wide = matches!(&item.get().kind, Kind::Primitive(p)
        if p.kind() == ctypes_model::PrimitiveKind::WideChar);
    let is_sequence = arg.is_instance_of::<pyo3::types::PyList>()
        || arg.is_instance_of::<PyTuple>()
        || (wide && arg.is_instance_of::<PyString>());
    if !is_sequence || matches!(item.get().kind, Kind::Void) {
        return Ok(None);
    }
    let array = memory::open_array_of(py, item.get())?;
    memory::newp(py, &array, Some(arg)).map(Some)
}

/// True for the cdata kinds that have fields: a struct or union, or a
/// pointer to one.
fn has_fields(ct: &CType) -> bool {
    match &ct.kind {
        Kind::Record { .. } => true,
        Kind::Pointer { item } => matches!(item.get().kind, Kind::Record { .. }),
        _ => false,
    }
}

/// Python's own attribute lookup (methods, `__class__`, ...).
fn generic_getattr(obj: &Bound<'_, CData>, name: &Bound<'_, PyString>) -> PyResult<Py<PyAny>> {
    // SAFETY: both are live objects; the call returns a new reference or
    // NULL with an exception set, which `from_owned_ptr_or_err` takes over.
    unsafe {
        Bound::from_owned_ptr_or_err(
            obj.py(),
            pyo3::ffi::PyObject_GenericGetAttr(obj.as_ptr(), name.as_ptr()),
        )
    }
    .map(Bound::unbind)
}

/// The item size pointer arithmetic steps by: `void *` steps by bytes as
/// in GCC; other items need a known size.
fn item_size_for_arith(item: &CType) -> Option<u64> {
    match item.kind {
        Kind::Void => Some(1),
        _ => item.size().filter(|&s| s > 0),
    }
}

/// An index or offset as cffi reads it: `operator.index()`, with the
/// messages cffi gives for other types and for huge values.
fn index_value(obj: &Bound<'_, PyAny>) -> PyResult<isize> {
    convert::index_object(obj)?.extract::<isize>().map_err(|_| {
        pyo3::exceptions::PyOverflowError::new_err("cannot fit 'int' into an index-sized integer")
    })
}

/// The first enumerator of enum `eid` with value `v` (F-05.08, F-03.42).
pub fn enum_name(eid: ctypes_model::EnumId, v: i128) -> Option<String> {
    registry::lock()
        .types
        .enum_def(eid)
        .name_of(v)
        .map(str::to_owned)
}

fn not_releasable() -> PyErr {
    PyValueError::new_err(
        "only 'cdata' object from ffi.new(), ffi.gc(), ffi.from_buffer() or ffi.new_allocator()() \
         can be used with the 'with' keyword or ffi.release()",
    )
}

fn null_deref(cname: &str) -> PyErr {
    PyRuntimeError::new_err(format!(
        "cannot dereference null pointer from cdata '{cname}'"
    ))
}

fn released() -> PyErr {
    PyValueError::new_err("cdata memory was released by ffi.release()")
}

/// `==`/`!=` between things that are never equal; ordering is a TypeError
/// (F-05.22).
fn eq_only(py: Python<'_>, op: CompareOp, equal: bool) -> PyResult<Py<PyAny>> {
    let result = match op {
        CompareOp::Eq => equal,
        CompareOp::Ne => !equal,
        // Python then reports the unsupported ordering itself.
        _ => return Ok(py.NotImplemented()),
    };
    Ok(result.into_pyobject(py)?.to_owned().into_any().unbind())
}

/// The arguments after the fixed ones of a variadic call: each must be a
/// cdata; small integers are promoted to `int` and arrays passed as
/// pointers to their first item. Returns the C type of each and its value.
fn variadic_extras(
    py: Python<'_>,
    args: &[Borrowed<'_, '_, PyAny>],
    nfixed: usize,
) -> PyResult<Vec<(ctypes_model::TypeId, Extra)>> {
    let mut out = Vec::new();
    for (i, arg) in args.iter().enumerate().skip(nfixed) {
        let Ok(cd) = arg.cast::<CData>() else {
            return Err(PyTypeError::new_err(format!(
                "argument {} passed in the variadic part needs to be a cdata object (got {})",
                i + 1,
                arg.get_type().name()?
            )));
        };
        let cd = cd.get();
        let ct = cd.ctype.get();
        let mut slot = Slot::default();
        let id = match (&ct.kind, cd.prim()) {
            // A struct by value (F-07.10): a copy of its bytes.
            (Kind::Record { .. }, _) => {
                let size = ct.size().unwrap_or(0) as usize;
                let mut buf: RecordBuf = smallvec::smallvec![0u128; size.div_ceil(16)];
                let src = cd.data_addr(py)?;
                // SAFETY: the struct's `size` bytes are live at `src` (its
                // release was checked); the buffer has room for them.
                unsafe {
                    std::ptr::copy_nonoverlapping(src as *const u8, buf.as_mut_ptr().cast(), size);
                }
                out.push((ct.id, Extra::Record(buf)));
                continue;
            }
            (Kind::Array { item, .. }, _) => {
                slot.write_ptr(cd.data_addr(py)? as *const c_void);
                registry::lock().types.pointer(item.get().id)
            }
            (_, None) => {
                slot.write_ptr(cd.data_addr(py)? as *const c_void);
                ct.id
            }
            (_, Some(p @ (Prim::Int(_) | Prim::Char(_) | Prim::Bool(_) | Prim::Wide(_))))
                if ct.size().is_some_and(|s| s < 4) =>
            {
                slot.write_int(p.as_int()?, 4);
                registry::lock()
                    .types
                    .primitive(ctypes_model::Primitive::Int)
            }
            (_, Some(_)) => {
                slot = cd.slot().expect("a primitive value");
                ct.id
            }
        };
        out.push((id, Extra::Value(slot)));
    }
    Ok(out)
}

/// One argument of the variadic part, converted.
enum Extra {
    /// A scalar, in a slot.
    Value(Slot),
    /// A struct by value: its bytes (16-byte units, for any alignment).
    Record(RecordBuf),
}

/// The bytes of a struct passed by value, in 16-byte units (any
/// alignment holds); up to 64 bytes without an allocation.
type RecordBuf = smallvec::SmallVec<[u128; 4]>;

#[cfg(test)]
mod tests {
    use crate::value::format_le;

    #[test]
    fn long_double_repr_matches_c_format() {
        assert_eq!(format_le(1.5), "1.500000E+00");
        assert_eq!(format_le(-0.000_123), "-1.230000E-04");
        assert_eq!(format_le(1e300), "1.000000E+300");
        assert_eq!(format_le(0.0), "0.000000E+00");
    }
}
