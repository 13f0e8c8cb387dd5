//! Python values written into C memory: assignments and initializers.

use super::read::is_signed;
use super::to_c::type_name;
use crate::convert;
use crate::types::{CType, Kind};
use ctypes_model::{bitfield, Primitive, PrimitiveKind};
use ffi_runtime::memory::Region;
use ffi_runtime::Slot;
use pyo3::exceptions::{PyIndexError, PyKeyError, PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

/// Writes `obj` as a value of `ct` at the start of `mem` (F-06: the
/// conversion rules of initializers and assignments; the argument-only
/// ones excluded). An open array takes as many items as `obj` gives.
pub fn write(py: Python<'_>, ct: &CType, obj: &Bound<'_, PyAny>, mem: Region<'_>) -> PyResult<()> {
    // Fast path: a Python int in range for an integer type. Anything else
    // (and every error message) takes the general path below.
    if let (Some(repr), Some((min, max))) = (ct.int_repr, ct.int_range) {
        if obj.is_exact_instance_of::<pyo3::types::PyInt>() {
            if let Ok(v) = obj.extract::<i64>() {
                let v = i128::from(v);
                if (min..=max).contains(&v) {
                    mem.store_int(repr, v);
                    return Ok(());
                }
            }
        }
    }
    match &ct.kind {
        Kind::Primitive(_) | Kind::Enum(_) | Kind::Function(_) => {
            let mut slot = Slot::default();
            convert::write_arg(ct, obj, &mut slot)?;
            mem.store(&slot, ct.size().unwrap_or(0) as usize);
            Ok(())
        }
        Kind::Pointer { .. } if crate::object::as_cdata(obj).is_none() => {
            match super::builtin_function(obj)? {
                Some(f) => write(py, ct, f.as_any(), mem),
                None => Err(PyTypeError::new_err(format!(
                    "initializer for ctype '{}' must be a cdata pointer, not {}",
                    ct.cname,
                    type_name(obj)
                ))),
            }
        }
        Kind::Pointer { item } => {
            let Some(cd) = crate::object::as_cdata(obj) else {
                return Err(PyTypeError::new_err(format!(
                    "initializer for ctype '{}' must be a cdata pointer, not {}",
                    ct.cname,
                    type_name(obj)
                )));
            };
            let cd = cd.get();
            convert::check_pointer_compat(ct, item.get(), cd.ctype.get())?;
            let mut slot = Slot::default();
            slot.write_ptr(cd.data_addr(py)? as *const std::ffi::c_void);
            mem.store(&slot, size_of::<usize>());
            Ok(())
        }
        Kind::Array { item, len } => {
            // An open array takes as many items as it is given; the
            // memory belongs to whoever made the pointer (F-06.24).
            let len = match len {
                Some(len) => *len as usize,
                // A length is no value for an array (only `ffi.new()` and
                // a record's initializer take one, to size it).
                None if obj.is_instance_of::<pyo3::types::PyInt>() => {
                    return Err(array_init_error(ct, item.get(), obj))
                }
                None => open_array_length(ct, item.get(), obj)?,
            };
            write_array(py, ct, item.get(), len, obj, mem)
        }
        Kind::Record { .. } => write_record(py, ct, obj, mem, None),
        Kind::Void => Err(PyTypeError::new_err(format!(
            "cannot write a value of type '{}'",
            ct.cname
        ))),
    }
}

/// True for the one-byte character and integer types (`char`, `signed
/// char`, `unsigned char`, `int8_t`, `uint8_t`): arrays of these take
/// `bytes` initializers (as do arrays of `_Bool`, checked apart).
pub(crate) fn is_byte_item(item: &CType) -> bool {
    // Every one-byte integer type, as in cffi: `int8_t`, `uint8_t` too.
    matches!(&item.kind, Kind::Primitive(p) if matches!(
        p.kind(),
        PrimitiveKind::Char | PrimitiveKind::Signed | PrimitiveKind::Unsigned
    ) && item.size() == Some(1))
}

pub(crate) fn is_wide_item(item: &CType) -> bool {
    matches!(&item.kind, Kind::Primitive(p) if p.kind() == PrimitiveKind::WideChar)
}

/// How many items an initializer gives an array of unknown length
/// (`ffi.new("int[]", init)`), as cffi counts them.
pub fn open_array_length(ct: &CType, item: &CType, init: &Bound<'_, PyAny>) -> PyResult<usize> {
    if let Ok(list) = init.cast::<PyList>() {
        return Ok(list.len());
    }
    if let Ok(tuple) = init.cast::<PyTuple>() {
        return Ok(tuple.len());
    }
    if is_byte_item(item) {
        if let Ok(b) = init.cast::<PyBytes>() {
            return Ok(b.as_bytes().len() + 1);
        }
    }
    if matches!(item.kind, Kind::Primitive(Primitive::Bool)) {
        if let Ok(b) = init.cast::<PyBytes>() {
            // Like `char[]`, with room for a terminating zero.
            return Ok(b.as_bytes().len() + 1);
        }
    }
    if is_wide_item(item) {
        if let Ok(s) = init.cast::<PyString>() {
            return Ok(wide_units(item, s)?.len() + 1);
        }
    }
    if init.is_instance_of::<PyBytes>() || init.is_instance_of::<PyString>() {
        // A string of the wrong kind: the initializer's own error.
        return Err(array_init_error(ct, item, init));
    }
    if init.is_instance_of::<pyo3::types::PyInt>() {
        let n: i128 = init.extract()?;
        if n < 0 {
            return Err(PyValueError::new_err("negative array length"));
        }
        return usize::try_from(n)
            .ok()
            .filter(|&n| isize::try_from(n).is_ok())
            .ok_or_else(|| {
                PyOverflowError::new_err("cannot fit 'int' into an index-sized integer")
            });
    }
    Err(PyTypeError::new_err(format!(
        "expected new array length or list/tuple/str, not {}",
        type_name(init)
    )))
}

/// The code units of `s` for a wide character type of `item`'s size:
/// UTF-16 (with surrogates) for 2 bytes, UTF-32 for 4.
/// Lone surrogates (which a Python str may hold) are kept as they are.
pub(crate) fn wide_units(item: &CType, s: &Bound<'_, PyString>) -> PyResult<Vec<u32>> {
    let utf16 = item.size() == Some(2);
    if let Ok(text) = s.to_str() {
        return Ok(if utf16 {
            text.encode_utf16().map(u32::from).collect()
        } else {
            text.chars().map(|c| c as u32).collect()
        });
    }
    // Not valid UTF-8: the str holds a lone surrogate.
    let raw = s.call_method1("encode", ("utf-32-le", "surrogatepass"))?;
    let raw = raw.cast::<PyBytes>()?.as_bytes();
    let mut units = Vec::with_capacity(raw.len() / 4);
    for chunk in raw.chunks_exact(4) {
        let c = u32::from_le_bytes(chunk.try_into().expect("4 bytes"));
        if utf16 && c >= 0x10000 {
            let c = c - 0x10000;
            units.extend([0xD800 | (c >> 10), 0xDC00 | (c & 0x3FF)]);
        } else {
            units.push(c);
        }
    }
    Ok(units)
}

/// Writes an array initializer: a list or tuple of items, `bytes` for
/// byte arrays, `str` for wide-character arrays, or an array cdata of the
/// same type, into the `len` items at the start of `mem`.
pub fn write_array(
    py: Python<'_>,
    ct: &CType,
    item: &CType,
    len: usize,
    obj: &Bound<'_, PyAny>,
    mem: Region<'_>,
) -> PyResult<()> {
    let item_size = item.size().unwrap_or(0) as usize;
    // Only a struct nested in memory too small for its flexible array
    // member gets here with too little: refused, not written past.
    let Some(mem) = mem.try_at(0, len.saturating_mul(item_size)) else {
        return Err(PyIndexError::new_err(format!(
            "{len} items of '{}' do not fit in the {} bytes of memory here",
            item.cname,
            mem.len()
        )));
    };
    let items: Option<Vec<Bound<'_, PyAny>>> = if let Ok(list) = obj.cast::<PyList>() {
        Some(list.iter().collect())
    } else if let Ok(tuple) = obj.cast::<PyTuple>() {
        Some(tuple.iter().collect())
    } else {
        None
    };
    if let Some(items) = items {
        if items.len() > len {
            return Err(PyIndexError::new_err(format!(
                "too many initializers for '{}' (got {})",
                ct.cname,
                items.len()
            )));
        }
        for (i, value) in items.iter().enumerate() {
            write(py, item, value, mem.rest(i * item_size))?;
        }
        return Ok(());
    }
    let is_bool = matches!(item.kind, Kind::Primitive(Primitive::Bool));
    if is_byte_item(item) || is_bool {
        if let Ok(b) = obj.cast::<PyBytes>() {
            let data = b.as_bytes();
            if is_bool && data.iter().any(|&c| c > 1) {
                return Err(PyValueError::new_err(
                    "an array of _Bool can only contain \\x00 or \\x01",
                ));
            }
            if data.len() > len {
                return Err(PyIndexError::new_err(format!(
                    "initializer bytes is too long for '{}' (got {} characters)",
                    ct.cname,
                    data.len()
                )));
            }
            mem.write_bytes(data);
            if data.len() < len {
                mem.at(data.len(), 1).zero();
            }
            return Ok(());
        }
    }
    if is_wide_item(item) {
        if let Ok(s) = obj.cast::<PyString>() {
            let units = wide_units(item, s)?;
            if units.len() > len {
                return Err(PyIndexError::new_err(format!(
                    "initializer unicode is too long for '{}' (got {} characters)",
                    ct.cname,
                    units.len()
                )));
            }
            let mut slot = Slot::default();
            for (i, &u) in units
                .iter()
                .chain(std::iter::once(&0))
                .take(len)
                .enumerate()
            {
                slot.write_int(i128::from(u), item_size as u32);
                mem.at(i * item_size, item_size).store(&slot, item_size);
            }
            return Ok(());
        }
    }
    if let Some(cd) = crate::object::as_cdata(obj) {
        let cd = cd.get();
        if cd.ctype.get().id == ct.id {
            // Both are arrays of this type, `len` items each.
            mem.copy_from(convert::within(
                cd.region(py)?,
                mem.len(),
                &cd.ctype.get().cname,
            )?);
            return Ok(());
        }
    }
    Err(array_init_error(ct, item, obj))
}

/// The TypeError for an initializer an array of `item` cannot take.
pub(crate) fn array_init_error(ct: &CType, item: &CType, obj: &Bound<'_, PyAny>) -> PyErr {
    let what = if is_byte_item(item) {
        "a bytes or list or tuple"
    } else if is_wide_item(item) {
        "a unicode or list or tuple"
    } else {
        "a list or tuple"
    };
    PyTypeError::new_err(format!(
        "initializer for ctype '{}' must be {what}, not {}",
        ct.cname,
        convert::given_name(obj)
    ))
}

/// `a[i:j] = value` (F-05.35, F-05.36): `bytes` or `bytearray` of exactly
/// the slice's length into `char` items; otherwise any iterable giving
/// exactly that many items, each converted as an item assignment.
/// Where a write goes, computed on demand (and checked against
/// `ffi.release()` by the cdata's `region`): after a conversion that may
/// have run Python code, the memory is asked for again.
pub type Place<'a, 'm> = &'a dyn Fn() -> PyResult<Region<'m>>;

/// True when converting `obj` may run Python code (a user `__int__`,
/// `__index__`, `__float__`, ...); exact ints, floats, bytes, strs and
/// cdata never do.
pub fn conversion_may_run_code(obj: &Bound<'_, PyAny>) -> bool {
    !(obj.is_exact_instance_of::<pyo3::types::PyInt>()
        || obj.is_exact_instance_of::<pyo3::types::PyFloat>()
        || obj.is_exact_instance_of::<pyo3::types::PyBool>()
        || obj.is_exact_instance_of::<PyBytes>()
        || obj.is_exact_instance_of::<PyString>()
        || crate::object::as_cdata(obj).is_some())
}

/// Writes `obj` as a `ct` value at `place()`. A scalar whose conversion
/// may run Python code is converted first and its address computed after:
/// that code could have released the memory (`__int__` calling
/// `ffi.release()`), which the region check then reports.
pub fn write_placed(
    py: Python<'_>,
    ct: &CType,
    obj: &Bound<'_, PyAny>,
    place: Place<'_, '_>,
) -> PyResult<()> {
    if matches!(ct.kind, Kind::Primitive(_) | Kind::Enum(_)) && conversion_may_run_code(obj) {
        let mut slot = Slot::default();
        convert::write_arg(ct, obj, &mut slot)?;
        place()?.store(&slot, ct.size().unwrap_or(0) as usize);
        return Ok(());
    }
    write(py, ct, obj, place()?)
}

pub fn write_slice(
    py: Python<'_>,
    item: &CType,
    len: usize,
    obj: &Bound<'_, PyAny>,
    base: Place<'_, '_>,
) -> PyResult<()> {
    // All `len` items must lie in the memory known here (a slice of a
    // pointer over a buffer shorter than it: cffi writes past the end).
    let item_size = item.size().unwrap_or(0) as usize;
    let need = len.saturating_mul(item_size);
    let base = &|| {
        let mem = base()?;
        if mem.len() < need {
            let what = format!("{}[{len}]", item.cname);
            return Err(convert::short_memory(&what, mem.len(), need));
        }
        Ok(mem)
    };
    if matches!(item.kind, Kind::Primitive(Primitive::Char)) {
        let data = if let Ok(b) = obj.cast::<PyBytes>() {
            Some(b.as_bytes().to_vec())
        } else if let Ok(b) = obj.cast::<pyo3::types::PyByteArray>() {
            Some(b.to_vec())
        } else {
            None
        };
        if let Some(data) = data {
            if data.len() != len {
                return Err(PyValueError::new_err(format!(
                    "need a string of length {len}, got {}",
                    data.len()
                )));
            }
            base()?.write_bytes(&data);
            return Ok(());
        }
    }
    let mut written = 0;
    for value in obj.try_iter()? {
        if written == len {
            return Err(PyValueError::new_err(format!(
                "got more than {len} values to unpack"
            )));
        }
        // Each item's place is checked anew: converting the previous one
        // (or iterating) may have run Python code.
        let at = written * item_size;
        write_placed(py, item, &value?, &|| Ok(base()?.rest(at)))?;
        written += 1;
    }
    if written < len {
        return Err(PyValueError::new_err(format!(
            "need {len} values to unpack, got {written}"
        )));
    }
    Ok(())
}

/// Writes a struct or union initializer: a list or tuple (fields in
/// order), a dict (by name), or a cdata of the same record type; at the
/// start of `mem` (which holds the flexible array member's `flex` items
/// too, when given).
pub(crate) fn write_record(
    py: Python<'_>,
    ct: &CType,
    obj: &Bound<'_, PyAny>,
    mem: Region<'_>,
    flex: Option<usize>,
) -> PyResult<()> {
    let Some(size) = ct.size() else {
        return Err(PyTypeError::new_err(format!("'{}' is opaque", ct.cname)));
    };
    let size = size as usize;
    if let Some(cd) = crate::object::as_cdata(obj) {
        let cd = cd.get();
        if cd.ctype.get().id == ct.id {
            // Both hold a value of this record type.
            let from = convert::within(cd.region(py)?, size, &cd.ctype.get().cname)?;
            mem.at(0, size).copy_from(from);
            return Ok(());
        }
        if cd.ctype.get().cname == ct.cname {
            return Err(convert::same_name_other_type(ct));
        }
    }
    let bad_type = || {
        PyTypeError::new_err(format!(
            "initializer for ctype '{}' must be a list or tuple or dict or struct-cdata, not {}",
            ct.cname,
            convert::given_name(obj)
        ))
    };
    let is_seq = obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>();
    if !is_seq && !obj.is_instance_of::<PyDict>() {
        return Err(bad_type());
    }
    let Some(fields) = crate::types::fields(py, ct)? else {
        return Err(PyTypeError::new_err(format!(
            "'{}' is opaque or not completed yet",
            ct.cname
        )));
    };
    if let Ok(dict) = obj.cast::<PyDict>() {
        for (key, value) in dict.iter() {
            let name: String = key.extract()?;
            let Some(f) = fields.iter().find(|f| f.name() == name) else {
                return Err(PyKeyError::new_err(name));
            };
            if !sizes_only(f, &value) {
                write_field(py, f, &value, &|| Ok(mem), flex)?;
            }
        }
        return Ok(());
    }
    // A list or tuple: fields in order, but only the first member of each
    // union (of this union, or of one nested anonymously) takes a value.
    let targets = || fields.iter().filter(|f| !f.later_union_member());
    let given = obj.len()?;
    if given > targets().count() {
        return Err(PyValueError::new_err(format!(
            "too many initializers for '{}' (got {given})",
            ct.cname
        )));
    }
    for (i, f) in targets().take(given).enumerate() {
        // Indexed each time: a conversion may run Python code that
        // shrinks the list, which then fails here instead of misreading.
        let value = obj.get_item(i)?;
        if !sizes_only(f, &value) {
            write_field(py, f, &value, &|| Ok(mem), flex)?;
        }
    }
    Ok(())
}

/// In a record's initializer, an integer for a flexible array member
/// (`T[]`) only gives its length (see [`flexible_length`]): nothing to
/// write.
fn sizes_only(f: &crate::types::FieldInfo, value: &Bound<'_, PyAny>) -> bool {
    matches!(f.ctype.get().kind, Kind::Array { len: None, .. })
        && value.is_instance_of::<pyo3::types::PyInt>()
}

/// For a struct ending in a flexible array member `T[]`, directly or in a
/// struct that is its last member (at any depth): the member's offset
/// from the outer struct's start, its item size, and the number of items
/// `init` gives it, if any.
pub(crate) fn flexible_length(
    py: Python<'_>,
    record: &CType,
    init: &Bound<'_, PyAny>,
) -> PyResult<Option<(usize, usize, usize)>> {
    let Some(fields) = crate::types::fields(py, record)? else {
        return Ok(None);
    };
    // The flexible member (usually last; anywhere with an explicit
    // position), else the last member, which may be a struct ending in one.
    let Some((pos, last)) = fields
        .iter()
        .enumerate()
        .find(|(_, f)| f.is_flexible())
        .or_else(|| {
            fields
                .iter()
                .enumerate()
                .rfind(|(_, f)| !f.later_union_member())
        })
    else {
        return Ok(None);
    };
    let value = if let Ok(d) = init.cast::<PyDict>() {
        d.get_item(last.name())?
    } else if init.is_instance_of::<PyList>() || init.is_instance_of::<PyTuple>() {
        init.get_item(pos).ok()
    } else {
        None
    };
    let Some(value) = value else {
        return Ok(None);
    };
    match &last.ctype.get().kind {
        Kind::Array { item, len: None } => {
            let n = open_array_length(last.ctype.get(), item.get(), &value)?;
            let item_size = item.get().size().unwrap_or(0) as usize;
            Ok(Some((last.offset(), item_size, n)))
        }
        // A struct whose last member is such a struct: its member counts.
        Kind::Record { union: false, .. } => Ok(flexible_length(py, last.ctype.get(), &value)?
            .map(|(offset, item_size, n)| (last.offset() + offset, item_size, n))),
        _ => Ok(None),
    }
}

/// Writes `obj` into field `f` of the record at the start of `base()`
/// (with `flex` items in its flexible array member, if given); bit fields
/// check that the value fits their width.
pub fn write_field(
    py: Python<'_>,
    f: &crate::types::FieldInfo,
    obj: &Bound<'_, PyAny>,
    base: Place<'_, '_>,
    flex: Option<usize>,
) -> PyResult<()> {
    if let (Kind::Array { item, len: None }, Some(n)) = (&f.ctype.get().kind, flex) {
        let at = base()?.rest(f.offset());
        return write_array(py, f.ctype.get(), item.get(), n, obj, at);
    }
    let Some((shift, width)) = f.layout.bit_field() else {
        return write_placed(py, f.ctype.get(), obj, &|| Ok(base()?.rest(f.offset())));
    };
    let ct = f.ctype.get();
    // Bit fields take integers as `operator.index()` does, as a signed
    // 64-bit value (as in cffi: 2**63 and above are "too big", even for an
    // unsigned 64-bit field).
    let index = convert::index_object(obj)?;
    let value = i128::from(
        index
            .extract::<i64>()
            .map_err(|_| PyOverflowError::new_err("int too big to convert"))?,
    );
    bitfield::check(value, width, is_signed(ct))
        .map_err(|e| PyOverflowError::new_err(e.to_string()))?;
    let unit = ct.size().unwrap_or(0) as usize;
    // Only now, after `__index__` ran: it may have released the memory.
    let n = bitfield::bytes_spanned(shift, width, unit);
    let storage = super::read::bit_field_bytes(f, base()?, n)?;
    let mut slot = storage.load(n);
    // The unit's other bytes read as zeros and are not written back.
    let raw = slot.read_int_sized(unit as u32, false) as u128;
    let new = bitfield::insert(raw, shift, width, value);
    slot.write_int(new as i128, unit as u32);
    storage.store(&slot, n);
    Ok(())
}
