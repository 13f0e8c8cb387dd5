//! The fields of a completed struct or union as cdata access uses them:
//! the model's flattened fields with their ctypes and interned names,
//! built once per ctype.

use super::registry;
use super::{CType, Kind};
use ctypes_model::FlatField;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyString;
use std::sync::Arc;

/// A field of a struct or union, ready for access: the model's flattened
/// field with its Python-side handles.
pub struct FieldInfo {
    /// The name as an interned Python str: attribute names in code are
    /// interned too, so lookups mostly compare pointers.
    pub py_name: Py<PyString>,
    pub ctype: Py<CType>,
    /// Name, offset, bit-field position and union flag, from the model.
    pub layout: FlatField,
    /// For a field read and written as a plain number (an integer that is
    /// not a bit field, a `double`, a `float`): how; such fields skip the
    /// general conversions (`CData::scalar_field`).
    pub scalar: Option<Scalar>,
}

/// A field stored as a plain number (see [`FieldInfo::scalar`]).
#[derive(Clone, Copy, Debug)]
pub enum Scalar {
    /// An integer, read as the ctype's own reads do.
    Int(super::IntRepr),
    Double,
    Float,
}

impl Scalar {
    /// Its size in bytes.
    pub fn size(self) -> usize {
        match self {
            Scalar::Int(repr) => repr.size() as usize,
            Scalar::Double => 8,
            Scalar::Float => 4,
        }
    }

    /// The scalar kind of a field of type `ct`, unless it is a bit field.
    fn of(ct: &CType, layout: &FlatField) -> Option<Scalar> {
        if layout.bit_field().is_some() {
            return None;
        }
        match ct.kind {
            _ if ct.int_repr.is_some() => ct.int_repr.map(Scalar::Int),
            Kind::Primitive(ctypes_model::Primitive::Double) => Some(Scalar::Double),
            Kind::Primitive(ctypes_model::Primitive::Float) => Some(Scalar::Float),
            _ => None,
        }
    }
}

impl FieldInfo {
    /// The field's name.
    pub fn name(&self) -> &str {
        &self.layout.name
    }

    /// The byte offset from the start of the outermost record (of the
    /// storage unit, for a bit field).
    #[inline]
    pub fn offset(&self) -> usize {
        self.layout.offset as usize
    }

    /// A flexible array member (`T x[]`; cffi's bit shift -2).
    pub fn is_flexible(&self) -> bool {
        self.layout.bitshift == -2
    }

    /// Set for union members after the first: list initializers skip them.
    pub fn later_union_member(&self) -> bool {
        self.layout.is_later_union_member()
    }
}

/// The flattened fields of a completed record, built once per ctype.
pub type Fields = Arc<[FieldInfo]>;

/// The fields of record ctype `ct`, or `None` while it is opaque.
pub fn fields<'a>(py: Python<'_>, ct: &'a CType) -> PyResult<Option<&'a Fields>> {
    if let Some(f) = ct.field_cache.get() {
        return Ok(Some(f));
    }
    let Kind::Record { rid, .. } = ct.kind else {
        return Ok(None);
    };
    let raw = {
        let reg = registry::lock();
        if reg.types.record(rid).body.is_none() {
            return Ok(None);
        }
        reg.types
            .flat_fields(rid)
            .map_err(|e| PyTypeError::new_err(e.to_string()))?
    };
    let built: Fields = raw
        .into_iter()
        .map(|f| {
            let ctype = registry::ctype_for(py, f.ty)?;
            Ok(FieldInfo {
                py_name: PyString::intern(py, &f.name).unbind(),
                scalar: Scalar::of(ctype.get(), &f),
                ctype,
                layout: f,
            })
        })
        .collect::<PyResult<Vec<_>>>()?
        .into();
    // A record is completed once, so a racing thread built the same list.
    Ok(Some(ct.field_cache.get_or_init(|| built)))
}
