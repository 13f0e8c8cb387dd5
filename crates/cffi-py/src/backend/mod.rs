//! The low-level module functions of `_cffi_backend` (docs/features.md, section 10) and
//! its constants (10.2).

use crate::lib_obj::CLibrary;
use crate::object::CData;
use crate::types::registry;
use crate::types::{CType, Kind, FFI_DEFAULT_ABI};
use ctypes_model::{CallConv, FunctionType, Primitive, Type};
use pyo3::exceptions::{PyKeyError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// `load_library(name, flags=0)`: opens a library by path, or the process
/// for `None` (no name search: that is the in-line FFI's job).
#[pyfunction]
#[pyo3(signature = (name = None, flags = 0))]
fn load_library(name: Option<&Bound<'_, PyAny>>, flags: i32) -> PyResult<CLibrary> {
    CLibrary::load(name, flags)
}

/// `new_primitive_type(name)`: the ctype of a primitive C type by name.
#[pyfunction]
fn new_primitive_type(py: Python<'_>, name: &str) -> PyResult<Py<CType>> {
    let p = Primitive::from_name(name)
        .filter(|_| name != "bool")
        .ok_or_else(|| PyKeyError::new_err(name.to_owned()))?;
    let id = registry::lock().types.primitive(p);
    registry::ctype_for(py, id)
}

/// `new_void_type()`
#[pyfunction]
fn new_void_type(py: Python<'_>) -> PyResult<Py<CType>> {
    let id = registry::lock().types.void();
    registry::ctype_for(py, id)
}

/// `new_pointer_type(ctype)`
#[pyfunction]
fn new_pointer_type(py: Python<'_>, ctype: &Bound<'_, PyAny>) -> PyResult<Py<CType>> {
    let ctype = expect_ctype(ctype, "new_pointer_type() argument 1")?;
    registry::pointer_to(py, ctype.get().id)
}

/// `new_array_type(pointer_ctype, length)`; `length=None` for `T[]`.
#[pyfunction]
fn new_array_type(
    py: Python<'_>,
    ctype: &Bound<'_, PyAny>,
    length: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<CType>> {
    let ctype = expect_ctype(ctype, "new_array_type() argument 1")?;
    let Kind::Pointer { item } = &ctype.get().kind else {
        return Err(PyTypeError::new_err("first arg must be a pointer ctype"));
    };
    let item = item.get();
    let len = match length {
        None => None,
        Some(obj) if obj.is_none() => None,
        Some(obj) => {
            let n: i64 = crate::convert::index_object(obj)?.extract().map_err(|_| {
                pyo3::exceptions::PyOverflowError::new_err(
                    "cannot fit 'int' into an index-sized integer",
                )
            })?;
            if n < 0 {
                return Err(PyValueError::new_err("negative array length"));
            }
            Some(n as u64)
        }
    };
    let Some(item_size) = item.size() else {
        return Err(PyValueError::new_err(format!(
            "array item of unknown size: '{}'",
            item.cname
        )));
    };
    if len.is_some_and(|n| {
        n.checked_mul(item_size)
            .is_none_or(|total| total > isize::MAX as u64)
    }) {
        return Err(pyo3::exceptions::PyOverflowError::new_err(
            "array size would overflow a Py_ssize_t",
        ));
    }
    let id = registry::lock()
        .types
        .intern(Type::Array { item: item.id, len });
    registry::ctype_for(py, id)
}

/// `new_function_type(args, result, ellipsis=False, abi=FFI_DEFAULT_ABI)`:
/// the function-pointer ctype.
#[pyfunction]
#[pyo3(signature = (args, result, ellipsis = None, abi = FFI_DEFAULT_ABI))]
fn new_function_type(
    py: Python<'_>,
    args: &Bound<'_, PyAny>,
    result: &Bound<'_, PyAny>,
    ellipsis: Option<&Bound<'_, PyAny>>,
    abi: i32,
) -> PyResult<Py<CType>> {
    let _ = abi;
    // Any true value (cffi's tests pass 1).
    let ellipsis = match ellipsis {
        Some(e) => e.is_truthy()?,
        None => false,
    };
    let Ok(args) = args.cast::<PyTuple>() else {
        return Err(PyTypeError::new_err(format!(
            "new_function_type() argument 1 must be tuple, not {}",
            crate::convert::type_name(args)
        )));
    };
    let result = expect_ctype(result, "new_function_type() argument 2")?;
    let mut arg_ids = Vec::with_capacity(args.len());
    for a in args.iter() {
        let ct = a
            .cast::<CType>()
            .map_err(|_| PyTypeError::new_err("expected a tuple of ctypes"))?;
        let ct = ct.get();
        if matches!(ct.kind, Kind::Void) {
            return Err(PyTypeError::new_err("ctype 'void' has incomplete type"));
        }
        // An array parameter is a pointer, as in C (F-01.24).
        arg_ids.push(match &ct.kind {
            Kind::Array { item, .. } => registry::lock().types.pointer(item.get().id),
            _ => ct.id,
        });
    }
    if matches!(result.get().kind, Kind::Array { .. }) {
        return Err(PyTypeError::new_err(format!(
            "invalid result type: '{}'",
            result.get().cname
        )));
    }
    let id = {
        let mut reg = registry::lock();
        let func = reg.types.intern(Type::Function(FunctionType {
            args: arg_ids,
            result: result.get().id,
            variadic: ellipsis,
            abi: CallConv::Default,
        }));
        reg.types.pointer(func)
    };
    registry::ctype_for(py, id)
}

/// `new_struct_type(name)` (F-10.17): a new, incomplete struct ctype
/// shown as exactly `name`.
#[pyfunction]
fn new_struct_type(py: Python<'_>, name: &str) -> PyResult<Py<CType>> {
    new_record_type(py, ctypes_model::RecordKind::Struct, name)
}

/// `new_union_type(name)` (F-10.17).
#[pyfunction]
fn new_union_type(py: Python<'_>, name: &str) -> PyResult<Py<CType>> {
    new_record_type(py, ctypes_model::RecordKind::Union, name)
}

fn new_record_type(
    py: Python<'_>,
    kind: ctypes_model::RecordKind,
    name: &str,
) -> PyResult<Py<CType>> {
    let id = registry::lock().types.new_record(kind, name.to_owned());
    registry::ctype_for(py, id)
}

/// `complete_struct_or_union(ctype, fields, tp=None, totalsize=-1,
/// totalalignment=-1, sflags=0, pack=0)` (F-10.18): lays the record out
/// with the platform's rules, or the bit-field rules and byte order that
/// `sflags` names; explicit offsets, size and alignment are used as given,
/// or with `SF_STD_FIELD_POS` checked against the computed ones (the model's
/// [`ctypes_model::TypeTable::complete_record_as_given`]).
#[pyfunction]
#[pyo3(signature = (ctype, fields, tp = None, totalsize = -1, totalalignment = -1, sflags = 0, pack = 0))]
#[allow(clippy::too_many_arguments)]
fn complete_struct_or_union(
    ctype: &Bound<'_, PyAny>,
    fields: &Bound<'_, PyAny>,
    tp: Option<&Bound<'_, PyAny>>,
    totalsize: i64,
    totalalignment: i64,
    sflags: i64,
    pack: i64,
) -> PyResult<()> {
    let _ = tp;
    let ctype = expect_ctype(ctype, "complete_struct_or_union() argument 1")?;
    let ct = ctype.get();
    let Kind::Record { rid, .. } = ct.kind else {
        return Err(PyTypeError::new_err(
            "first arg must be a non-initialized struct or union ctype",
        ));
    };
    if registry::lock().types.record(rid).body.is_some() {
        // cffi 2.0.0 crashes here (docs/compat.md).
        return Err(PyTypeError::new_err(
            "first arg must be a non-initialized struct or union ctype",
        ));
    }
    // The fields' ids are held here only, while `fields` (any iterable)
    // runs Python code: no collection until the record holds them.
    let _pin = crate::types::collect::Pin::new();
    let given = ctypes_model::GivenRecord {
        fields: given_fields(fields)?,
        total_size: u64::try_from(totalsize).ok(),
        total_align: u64::try_from(totalalignment).ok(),
        flags: ctypes_model::RecordFlags::from_sflags(sflags, cfg!(target_endian = "big")),
        pack: u64::try_from(pack).ok(),
    };
    let done = registry::lock().types.complete_record_as_given(rid, &given);
    match done {
        Ok(()) => Ok(()),
        // Layout errors (a field of unknown size, a bit field too wide, ...)
        // show now, as in cffi.
        Err(ctypes_model::CompleteError::Layout(
            e @ ctypes_model::LayoutError::PackedBitFieldReuse(_),
        )) => Err(pyo3::exceptions::PyNotImplementedError::new_err(
            e.to_string(),
        )),
        Err(ctypes_model::CompleteError::Layout(e)) => Err(PyTypeError::new_err(e.to_string())),
        // `ffi.error`, the class set on the backend's FFI at import.
        Err(ctypes_model::CompleteError::Position(e)) => {
            Err(crate::errors::compiled_ffi_error(ctype.py(), e.to_string()))
        }
    }
}

/// The `(name, ctype[, bitsize[, offset]])` tuples of
/// `complete_struct_or_union`, for the model; a negative bit size or offset
/// is none given. Field names must be distinct.
fn given_fields(fields: &Bound<'_, PyAny>) -> PyResult<Vec<ctypes_model::GivenField>> {
    let mut out = Vec::new();
    let mut names = std::collections::HashSet::new();
    for item in fields.try_iter()? {
        let item = item?;
        let tuple = item.cast::<PyTuple>().map_err(|_| {
            PyTypeError::new_err(
                "fields must be a list of (name, ctype[, bitsize[, offset]]) tuples",
            )
        })?;
        let name: String = tuple.get_item(0)?.extract()?;
        let fct = tuple.get_item(1)?;
        let fct = expect_ctype(&fct, "field ctype")?;
        let bitsize: i64 = if tuple.len() > 2 {
            tuple.get_item(2)?.extract()?
        } else {
            -1
        };
        let offset: i64 = if tuple.len() > 3 {
            tuple.get_item(3)?.extract()?
        } else {
            -1
        };
        if !name.is_empty() && !names.insert(name.clone()) {
            return Err(PyKeyError::new_err(format!(
                "duplicate field name '{name}'"
            )));
        }
        out.push(ctypes_model::GivenField {
            name: (!name.is_empty()).then_some(name),
            ty: fct.get().id,
            bits: u64::try_from(bitsize).ok(),
            offset: u64::try_from(offset).ok(),
        });
    }
    Ok(out)
}

/// `new_enum_type(name, enumerators, values, basetype)` (F-10.25).
#[pyfunction]
fn new_enum_type(
    py: Python<'_>,
    name: &str,
    enumerators: &Bound<'_, PyTuple>,
    values: &Bound<'_, PyTuple>,
    basetype: &Bound<'_, PyAny>,
) -> PyResult<Py<CType>> {
    let base = expect_ctype(basetype, "new_enum_type() argument 4")?;
    let (Kind::Primitive(p), Some((min, max))) = (&base.get().kind, base.get().int_range) else {
        return Err(PyTypeError::new_err(
            "expected a primitive signed or unsigned base type",
        ));
    };
    if !p.is_integer() {
        return Err(PyTypeError::new_err(
            "expected a primitive signed or unsigned base type",
        ));
    }
    if enumerators.len() != values.len() {
        return Err(PyValueError::new_err("tuple args must have the same size"));
    }
    let mut pairs = Vec::with_capacity(enumerators.len());
    for (e, v) in enumerators.iter().zip(values.iter()) {
        let Ok(e) = e.cast::<pyo3::types::PyString>() else {
            return Err(PyTypeError::new_err(
                "enumerators must be a list of strings",
            ));
        };
        let v = crate::convert::int_to_i128(&crate::convert::index_object(&v)?)?;
        if !(min..=max).contains(&v) {
            return Err(pyo3::exceptions::PyOverflowError::new_err(format!(
                "integer {v} does not fit '{}'",
                base.get().cname
            )));
        }
        pairs.push((ctypes_model::SmolStr::new(e.to_cow()?), v));
    }
    let id = registry::lock().types.new_enum(ctypes_model::EnumDef {
        name: name.to_owned(),
        values: pairs,
        underlying: *p,
        partial: false,
        complete: true,
    });
    registry::ctype_for(py, id)
}

/// `sizeof(ctype_or_cdata)`
#[pyfunction]
fn sizeof(obj: &Bound<'_, PyAny>) -> PyResult<i64> {
    if let Ok(cd) = obj.cast::<CData>() {
        if let Some(size) = cd.get().data_size(obj.py())? {
            return Ok(size);
        }
    }
    let ct = ctype_arg(obj)?;
    let ct = ct.get();
    ct.size()
        .map(|s| s as i64)
        .ok_or_else(|| PyValueError::new_err(format!("ctype '{}' is of unknown size", ct.cname)))
}

/// `alignof(ctype)`
#[pyfunction]
fn alignof(obj: &Bound<'_, CType>) -> PyResult<u64> {
    let ct = obj.get();
    ct.align().ok_or_else(|| {
        PyValueError::new_err(format!("ctype '{}' is of unknown alignment", ct.cname))
    })
}

/// `typeof(cdata)`
#[pyfunction]
#[pyo3(name = "typeof")]
fn typeof_(py: Python<'_>, cdata: &Bound<'_, CData>) -> Py<CType> {
    cdata.get().ctype.clone_ref(py)
}

/// `cast(ctype, value)`
#[pyfunction]
fn cast(py: Python<'_>, ctype: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<Py<CData>> {
    let ctype = expect_ctype(ctype, "cast() argument 1")?;
    crate::convert::cast(py, &ctype.clone().unbind(), value)?.wrap(py)
}

/// `newp(ctype, init)`: `ffi.new()` on a ctype object (F-10.3).
#[pyfunction]
#[pyo3(signature = (ctype, init = None))]
fn newp(
    py: Python<'_>,
    ctype: &Bound<'_, PyAny>,
    init: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<CData>> {
    let ctype = expect_ctype(ctype, "newp() argument 1")?;
    crate::convert::newp(py, &ctype.clone().unbind(), init)
}

/// `string(cdata, maxlen=-1)`
#[pyfunction]
#[pyo3(signature = (cdata, maxlen = -1))]
fn string(py: Python<'_>, cdata: &Bound<'_, PyAny>, maxlen: isize) -> PyResult<Py<PyAny>> {
    crate::convert::string(py, crate::convert::expect_cdata(cdata, "string()")?, maxlen)
}

/// `unpack(cdata, length)`
#[pyfunction]
fn unpack(py: Python<'_>, cdata: &Bound<'_, PyAny>, length: isize) -> PyResult<Py<PyAny>> {
    crate::convert::unpack(py, crate::convert::expect_cdata(cdata, "unpack()")?, length)
}

/// `release(cdata)`
#[pyfunction]
fn release(cdata: &Bound<'_, PyAny>) -> PyResult<()> {
    crate::object::release(cdata)
}

/// `get_errno()`
#[pyfunction]
fn get_errno() -> i32 {
    ffi_runtime::errno::saved()
}

/// `set_errno(value)`
#[pyfunction]
fn set_errno(value: i32) {
    ffi_runtime::errno::set_saved(value);
}

/// `obj` as a ctype, or the TypeError CPython's argument parsing words for
/// `what` ("newp() argument 1").
fn expect_ctype<'a, 'py>(
    obj: &'a Bound<'py, PyAny>,
    what: &str,
) -> PyResult<&'a Bound<'py, CType>> {
    obj.cast::<CType>().map_err(|_| {
        PyTypeError::new_err(format!(
            "{what} must be _cffi_backend.CType, not {}",
            crate::convert::type_name(obj)
        ))
    })
}

fn ctype_arg<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, CType>> {
    if let Ok(ct) = obj.cast::<CType>() {
        return Ok(ct.clone());
    }
    if let Ok(cd) = obj.cast::<CData>() {
        return Ok(cd.get().ctype.bind(obj.py()).clone());
    }
    Err(PyTypeError::new_err("expected a 'ctype' or 'cdata' object"))
}

/// `_parse_cdef(csource)`: parses a cdef text with the predeclared names
/// only and returns how many declarations it holds, without declaring
/// anything. For tools and tests that check a header parses (struct and
/// enum types included, which the model does not build yet).
#[pyfunction]
fn _parse_cdef(py: Python<'_>, csource: &str) -> PyResult<usize> {
    cdef_parse::parse_cdef(csource, &cdef_parse::Predeclared)
        .map(|cdef| cdef.decls.len())
        .map_err(|e| crate::errors::model_error(py, csource, &e.into()))
}

/// Adds the functions and constants to the module.
/// `from_buffer(ctype, obj, require_writable=False)` (F-10.33).
#[pyfunction]
#[pyo3(signature = (ctype, obj, require_writable = false))]
fn from_buffer(
    py: Python<'_>,
    ctype: &Bound<'_, CType>,
    obj: &Bound<'_, PyAny>,
    require_writable: bool,
) -> PyResult<Py<CData>> {
    crate::buffer::from_buffer(py, &ctype.clone().unbind(), obj, require_writable)?.wrap(py)
}

/// `memmove(dest, src, n)` (F-10.33).
#[pyfunction]
fn memmove(dest: &Bound<'_, PyAny>, src: &Bound<'_, PyAny>, n: &Bound<'_, PyAny>) -> PyResult<()> {
    crate::buffer::memmove(dest, src, n)
}

/// `_get_types()`: the two classes behind cdata and ctypes,
/// `(_CDataBase, CType)` (F-10.38).
#[pyfunction]
fn _get_types(
    py: Python<'_>,
) -> (
    Bound<'_, pyo3::types::PyType>,
    Bound<'_, pyo3::types::PyType>,
) {
    (py.get_type::<CData>(), py.get_type::<CType>())
}

/// `_get_common_types(d)`: stores in the dict `d` the names every cdef
/// knows without a declaration, each with the C type it stands for
/// (F-10.38).
#[pyfunction]
fn _get_common_types(d: &Bound<'_, pyo3::types::PyDict>) -> PyResult<()> {
    for (name, definition) in ctypes_model::COMMON_TYPES {
        d.set_item(name, definition)?;
    }
    Ok(())
}

/// `typeoffsetof(ctype, field_or_index, following=0)`: the type and
/// offset of a field of a struct or union (or, unless `following`, of the
/// one a pointer points to), or of item `index` of an array or pointer
/// (F-10.30).
#[pyfunction]
#[pyo3(signature = (ctype, field_or_index, following = 0))]
fn typeoffsetof(
    py: Python<'_>,
    ctype: &Bound<'_, CType>,
    field_or_index: &Bound<'_, PyAny>,
    following: i32,
) -> PyResult<(Py<CType>, i128)> {
    let ct = ctype.get();
    if field_or_index.is_instance_of::<pyo3::types::PyString>() {
        let record = match &ct.kind {
            Kind::Pointer { item } if following == 0 => item.get(),
            _ => ct,
        };
        if !matches!(record.kind, Kind::Record { .. }) {
            return Err(PyTypeError::new_err(
                "with a field name argument, expected a struct or union ctype",
            ));
        }
        if record.size().is_none() {
            return Err(PyTypeError::new_err("struct/union is opaque"));
        }
    } else {
        let Ok(index) = field_or_index.extract::<isize>() else {
            return Err(PyTypeError::new_err("field name or array index expected"));
        };
        let item = match &ct.kind {
            Kind::Pointer { item } | Kind::Array { item, .. } => Some(item),
            _ => None,
        };
        let Some((item, size)) = item.and_then(|i| Some((i, i.get().size()?))) else {
            return Err(PyTypeError::new_err(
                "with an integer argument, expected an array ctype or a pointer to non-opaque",
            ));
        };
        // Any index, as in C; only the byte offset must fit.
        let offset = isize::try_from(size)
            .ok()
            .and_then(|size| index.checked_mul(size))
            .ok_or_else(|| {
                pyo3::exceptions::PyOverflowError::new_err(
                    "array offset would overflow a Py_ssize_t",
                )
            })?;
        return Ok((item.clone_ref(py), offset as i128));
    }
    let path = PyTuple::new(py, [field_or_index])?;
    crate::ffi_obj::type_offset(py, ctype.clone().unbind(), &path)
}

/// `rawaddressof(ctype, cdata, offset)`: a pointer of type `ctype` to the
/// memory of `cdata` (a struct, union, array or pointer) plus `offset`
/// bytes (F-10.31).
#[pyfunction]
fn rawaddressof(
    py: Python<'_>,
    ctype: &Bound<'_, CType>,
    cdata: &Bound<'_, CData>,
    offset: isize,
) -> PyResult<Py<CData>> {
    let cd = cdata.get();
    if !matches!(
        cd.ctype.get().kind,
        Kind::Record { .. } | Kind::Array { .. } | Kind::Pointer { .. }
    ) {
        return Err(PyTypeError::new_err(
            "expected a cdata struct/union/array/pointer object",
        ));
    }
    if !matches!(ctype.get().kind, Kind::Pointer { .. }) {
        return Err(PyTypeError::new_err("expected a pointer ctype"));
    }
    let addr = cd.addr().wrapping_add_signed(offset);
    CData::pointer(ctype.clone().unbind(), addr).wrap(py)
}

/// `getcname(ctype, replace_with)`: the type's C text with `replace_with`
/// at the declarator position, inserted as it is (F-10.32).
#[pyfunction]
fn getcname(ctype: &Bound<'_, CType>, replace_with: &str) -> String {
    crate::ffi_obj::getcname(ctype.get(), replace_with)
}

/// `newp_handle(ctype, x)`: a new handle of type `ctype` (which must be
/// `void *`) for `x`, as `ffi.new_handle()` (F-10.33).
#[pyfunction]
fn newp_handle(py: Python<'_>, ctype: &Bound<'_, CType>, x: Py<PyAny>) -> PyResult<Py<CData>> {
    let ct = ctype.get();
    let is_void_ptr =
        matches!(&ct.kind, Kind::Pointer { item } if matches!(item.get().kind, Kind::Void));
    if !is_void_ptr {
        return Err(PyTypeError::new_err(format!(
            "needs 'void *', got '{}'",
            ct.cname
        )));
    }
    crate::object::new_handle(py, ctype.clone().unbind(), x)
}

/// `from_handle(cdata)`: the object a handle stands for (F-10.33).
#[pyfunction]
fn from_handle(py: Python<'_>, cdata: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    crate::object::from_handle(py, cdata)
}

/// `gcp(cdata, destructor, size=0)`: `ffi.gc()` (F-10.33).
#[pyfunction]
#[pyo3(signature = (cdata, destructor, size = 0))]
fn gcp(
    py: Python<'_>,
    cdata: &Bound<'_, PyAny>,
    destructor: &Bound<'_, PyAny>,
    size: isize,
) -> PyResult<Option<Py<CData>>> {
    crate::object::gc(py, cdata, destructor, size)
}

unsafe extern "C" {
    /// The address of C test helper `n` (testfuncs.c), or NULL.
    fn cffipy_testfunc(n: std::ffi::c_int) -> *mut std::ffi::c_void;
}

/// `_testfunc(n)`: the address of C function `n` of known behaviour (0 to
/// 23; 8 is the C library's `stderr`), for the backend's own tests to call
/// through a cast (F-10.39).
#[pyfunction]
fn _testfunc(n: i32) -> PyResult<usize> {
    // SAFETY: a C function of ours that only returns a static address (or
    // NULL) for any argument.
    let f = unsafe { cffipy_testfunc(n) };
    if f.is_null() {
        return Err(PyValueError::new_err(()));
    }
    Ok(f as usize)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_testfunc, m)?)?;
    m.add_function(wrap_pyfunction!(typeoffsetof, m)?)?;
    m.add_function(wrap_pyfunction!(rawaddressof, m)?)?;
    m.add_function(wrap_pyfunction!(getcname, m)?)?;
    m.add_function(wrap_pyfunction!(newp_handle, m)?)?;
    m.add_function(wrap_pyfunction!(from_handle, m)?)?;
    m.add_function(wrap_pyfunction!(gcp, m)?)?;
    m.add_function(wrap_pyfunction!(_get_types, m)?)?;
    m.add_function(wrap_pyfunction!(_get_common_types, m)?)?;
    m.add_function(wrap_pyfunction!(load_library, m)?)?;
    m.add_function(wrap_pyfunction!(new_primitive_type, m)?)?;
    m.add_function(wrap_pyfunction!(new_void_type, m)?)?;
    m.add_function(wrap_pyfunction!(new_pointer_type, m)?)?;
    m.add_function(wrap_pyfunction!(new_array_type, m)?)?;
    m.add_function(wrap_pyfunction!(new_function_type, m)?)?;
    m.add_function(wrap_pyfunction!(sizeof, m)?)?;
    m.add_function(wrap_pyfunction!(alignof, m)?)?;
    m.add_function(wrap_pyfunction!(typeof_, m)?)?;
    m.add_function(wrap_pyfunction!(get_errno, m)?)?;
    m.add_function(wrap_pyfunction!(cast, m)?)?;
    m.add_function(wrap_pyfunction!(newp, m)?)?;
    m.add_function(wrap_pyfunction!(release, m)?)?;
    m.add_function(wrap_pyfunction!(string, m)?)?;
    m.add_function(wrap_pyfunction!(unpack, m)?)?;
    m.add_function(wrap_pyfunction!(set_errno, m)?)?;
    m.add_function(wrap_pyfunction!(from_buffer, m)?)?;
    m.add_function(wrap_pyfunction!(memmove, m)?)?;
    m.add_class::<crate::buffer::Buffer>()?;
    m.add_function(wrap_pyfunction!(_parse_cdef, m)?)?;
    m.add_function(wrap_pyfunction!(crate::ffi_obj::_ffi_cdef, m)?)?;
    m.add_function(wrap_pyfunction!(crate::ffi_obj::_ffi_include, m)?)?;
    m.add_function(wrap_pyfunction!(crate::ffi_obj::_ffi_emit_python, m)?)?;
    m.add_function(wrap_pyfunction!(crate::ffi_obj::_ffi_emit_c, m)?)?;
    m.add_function(wrap_pyfunction!(crate::ffi_obj::_ffi_type_table, m)?)?;
    m.add_function(wrap_pyfunction!(crate::ffi_obj::callback, m)?)?;
    m.add_function(wrap_pyfunction!(new_struct_type, m)?)?;
    m.add_function(wrap_pyfunction!(new_union_type, m)?)?;
    m.add_function(wrap_pyfunction!(complete_struct_or_union, m)?)?;
    m.add_function(wrap_pyfunction!(new_enum_type, m)?)?;
    m.add_function(wrap_pyfunction!(crate::ffi_obj::_ffi_declaration, m)?)?;
    m.add_function(wrap_pyfunction!(crate::ffi_obj::_ffi_declared_names, m)?)?;
    m.add_function(wrap_pyfunction!(
        crate::ffi_obj::_ffi_parser_declarations,
        m
    )?)?;
    m.add("FFI_DEFAULT_ABI", FFI_DEFAULT_ABI)?;
    m.add("FFI_CDECL", FFI_DEFAULT_ABI)?;
    let ffi_class = m.getattr("FFI")?;
    let mut rtld = vec![
        ("RTLD_LAZY", ffi_runtime::RTLD_LAZY),
        ("RTLD_NOW", ffi_runtime::RTLD_NOW),
        ("RTLD_GLOBAL", ffi_runtime::RTLD_GLOBAL),
        ("RTLD_LOCAL", ffi_runtime::RTLD_LOCAL),
    ];
    rtld.extend_from_slice(ffi_runtime::EXTRA_RTLD_FLAGS);
    for (name, value) in rtld {
        m.add(name, value)?;
        ffi_class.setattr(name, value)?;
    }
    // `ffi.error` of compiled FFIs: one exception class shared by all
    // (F-03.07); the in-line FFI hides it.
    let error = PyErr::new_type(
        m.py(),
        c"ffi.error",
        None,
        Some(&m.py().get_type::<pyo3::exceptions::PyException>()),
        None,
    )?;
    ffi_class.setattr("error", error)?;
    Ok(())
}
