//! The process-wide type registry: one [`TypeTable`] for the host target,
//! shared by every FFI, and the [`CType`] object of each interned type.
//!
//! Sharing the table makes ctype identity global as in cffi
//! (`ffi1.typeof("int") is ffi2.typeof("int")`). The lock is only ever
//! held for pure-Rust work: no Python code runs while it is held, so it
//! cannot deadlock against the GIL (or against other threads on
//! free-threaded builds).

use super::{CType, FunctionInfo, IntRepr, Kind};
use ctypes_model::{Target, Type, TypeId, TypeTable};
use ffi_runtime::CallInterface;
use pyo3::prelude::*;
use pyo3::types::{PyWeakrefMethods, PyWeakrefReference};
use std::sync::{LazyLock, Mutex, MutexGuard};

pub struct Registry {
    pub types: TypeTable,
    /// The ctype of each type, by [`TypeId::index`].
    pub(super) ctypes: Vec<Option<Held>>,
    pub(super) collector: super::collect::Collector,
}

/// How the registry holds the ctype of a type. The few basic ones (`void`,
/// primitives, pointers to those) live for the whole process; any other
/// lives while something uses it (a cdata, an FFI's cache, a ctype built
/// on it) and is made again when asked for after that, as in cffi: the
/// types of a dropped FFI are freed.
pub(super) enum Held {
    Always(Py<CType>),
    WhileUsed(Py<PyWeakrefReference>),
}

impl Held {
    /// The ctype, if it is still alive.
    fn get(&self, py: Python<'_>) -> Option<Py<CType>> {
        match self {
            Held::Always(ct) => Some(ct.clone_ref(py)),
            Held::WhileUsed(weak) => weak
                .bind(py)
                .upgrade()
                .and_then(|obj| obj.cast_into::<CType>().ok())
                .map(Bound::unbind),
        }
    }
}

/// True for the types the registry keeps for good.
fn basic(types: &TypeTable, ty: &Type) -> bool {
    match *ty {
        Type::Void | Type::Primitive(_) => true,
        Type::Pointer(item) => matches!(types.get(item), Type::Void | Type::Primitive(_)),
        _ => false,
    }
}

static REGISTRY: LazyLock<Mutex<Registry>> = LazyLock::new(|| {
    Mutex::new(Registry {
        types: TypeTable::new(Target::host()),
        ctypes: Vec::new(),
        collector: super::collect::Collector::default(),
    })
});

/// Locks the registry. A panic while it was held cannot leave it
/// inconsistent (every mutation is a push or a slot fill), so poisoning is
/// ignored.
pub fn lock() -> MutexGuard<'static, Registry> {
    locked(&REGISTRY)
}

/// Locks `m`, ignoring poisoning: every update in this crate is
/// all-or-nothing (declarations are replaced whole, the registry only
/// grows), so a panic elsewhere cannot leave the data half-written.
pub fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The ctype of a pointer to `item`.
pub fn pointer_to(py: Python<'_>, item: TypeId) -> PyResult<Py<CType>> {
    let id = lock().types.pointer(item);
    ctype_for(py, id)
}

/// The ctype `void *`.
pub fn void_pointer(py: Python<'_>) -> PyResult<Py<CType>> {
    let void = lock().types.void();
    pointer_to(py, void)
}

/// The unique [`CType`] object of an interned type, created on first use.
/// A raw function type is represented by its pointer, as in cffi.
pub fn ctype_for(py: Python<'_>, id: TypeId) -> PyResult<Py<CType>> {
    let (ty, cname, size, align, int_range, id, _pin) = {
        let mut reg = lock();
        let id = match reg.types.get(id) {
            Type::Function(_) => reg.types.pointer(id),
            _ => id,
        };
        if let Some(existing) = reg.ctypes.get(id.index()).and_then(Option::as_ref) {
            if let Some(existing) = existing.get(py) {
                return Ok(existing);
            }
        }
        if !reg.types.is_live(id) {
            // Only an id no root held can name a freed slot: a bug here,
            // refused rather than given another type's ctype.
            return Err(pyo3::exceptions::PySystemError::new_err(
                "internal error: a freed type was asked for",
            ));
        }
        let ty = reg.types.get(id).clone();
        let int_range = match ty {
            Type::Primitive(p) => p.int_range(reg.types.target()),
            Type::Enum(e) => reg
                .types
                .enum_def(e)
                .underlying
                .int_range(reg.types.target()),
            _ => None,
        };
        (
            ty,
            reg.types.c_name(id),
            reg.types.size_of(id),
            reg.types.align_of(id),
            int_range,
            id,
            // Until published, `id` and the ids of the children made
            // below are rooted only here (`collect`).
            super::collect::Pin::new(),
        )
    };
    // An enum declared without values (`enum foo;`) is taken as
    // `unsigned int`, with cffi's warning, when its ctype is first made.
    if let Type::Enum(e) = ty {
        let opaque = !lock().types.enum_def(e).complete;
        if opaque {
            let msg = std::ffi::CString::new(format!(
                "'{cname}' has no values explicitly defined; guessing that it is equivalent to \
                 'unsigned int'"
            ))
            .unwrap_or_default();
            PyErr::warn(
                py,
                &py.get_type::<pyo3::exceptions::PyUserWarning>(),
                &msg,
                1,
            )?;
        }
    }
    // Build the children without the lock: creating Python objects may run
    // arbitrary Python code (garbage collection).
    let kind = kind_for(py, &ty)?;
    // Counted from here until the object's deallocation (a root of
    // `collect` for as long as it exists).
    super::collect::ctype_made(id);
    let obj = Py::new(
        py,
        CType {
            id,
            cname,
            fixed_size: size,
            fixed_align: align,
            int_range,
            int_repr: match kind {
                Kind::Primitive(p) if p.is_integer() => {
                    size.and_then(|s| IntRepr::new(s, int_range.is_some_and(|(min, _)| min < 0)))
                }
                _ => None,
            },
            kind,
            field_cache: std::sync::OnceLock::new(),
            layout_cache: std::sync::OnceLock::new(),
        },
    )?;
    publish(py, id, obj)
}

/// The kind-specific part of the ctype for `ty`, with the ctypes it refers
/// to made first (the registry lock is not held while they are).
fn kind_for(py: Python<'_>, ty: &Type) -> PyResult<Kind> {
    Ok(match *ty {
        Type::Void => Kind::Void,
        Type::Primitive(p) => Kind::Primitive(p),
        Type::Array { item, len } => Kind::Array {
            item: ctype_for(py, item)?,
            len,
        },
        Type::Pointer(item) => {
            let func = match lock().types.get(item) {
                Type::Function(f) => Some(f.clone()),
                _ => None,
            };
            match func {
                Some(f) => Kind::Function(Box::new(function_info(py, item, &f)?)),
                None => Kind::Pointer {
                    item: ctype_for(py, item)?,
                },
            }
        }
        Type::Function(_) => unreachable!("raw functions are mapped to their pointer above"),
        Type::Record(rid) => Kind::Record {
            rid,
            union: lock().types.record(rid).kind == ctypes_model::RecordKind::Union,
        },
        Type::Enum(eid) => Kind::Enum(eid),
    })
}

/// What a function-pointer ctype knows of its function type `func` (the
/// type `f`): parameter and result ctypes, the call interface, the fast
/// plan. An opaque struct or union by value makes no function type, as in
/// cffi (F-07.07).
fn function_info(
    py: Python<'_>,
    func: TypeId,
    f: &ctypes_model::FunctionType,
) -> PyResult<FunctionInfo> {
    let cif = {
        let reg = lock();
        let opaque = |t: TypeId| match reg.types.get(t) {
            Type::Record(rid) => reg.types.record(*rid).body.is_none(),
            _ => false,
        };
        if opaque(f.result) {
            let name = reg.types.c_name(f.result);
            return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "result type '{name}' is not yet initialized"
            )));
        }
        if let Some(&arg) = f.args.iter().find(|&&a| opaque(a)) {
            let name = reg.types.c_name(arg);
            return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "ctype '{name}' has incomplete type"
            )));
        }
        CallInterface::new(&reg.types, func).map(std::sync::Arc::new)
    };
    let args = f
        .args
        .iter()
        .map(|&a| ctype_for(py, a))
        .collect::<PyResult<Vec<_>>>()?;
    let result = ctype_for(py, f.result)?;
    let fast_args = FunctionInfo::fast_plan(&args, result.get(), f.variadic);
    let variadic_cifs = std::sync::Arc::new(ffi_runtime::VariadicCache::new());
    super::collect::variadic_cache_made(&variadic_cifs);
    Ok(FunctionInfo {
        fast_args,
        func,
        args,
        result,
        variadic: f.variadic,
        cif,
        variadic_cifs,
    })
}

/// Records `obj` as the ctype of `id`, unless another thread won the race,
/// whose object is kept so that identity holds; the one recorded.
fn publish(py: Python<'_>, id: TypeId, obj: Py<CType>) -> PyResult<Py<CType>> {
    // Made before the lock is taken: allocating may run the collector.
    let always = {
        let reg = lock();
        basic(&reg.types, reg.types.get(id))
    };
    let held = if always {
        Held::Always(obj.clone_ref(py))
    } else {
        Held::WhileUsed(PyWeakrefReference::new(obj.bind(py).as_any())?.unbind())
    };
    let mut reg = lock();
    if reg.ctypes.len() <= id.index() {
        reg.ctypes.resize_with(id.index() + 1, || None);
    }
    if let Some(existing) = reg.ctypes[id.index()].as_ref().and_then(|h| h.get(py)) {
        return Ok(existing);
    }
    reg.ctypes[id.index()] = Some(held);
    Ok(obj)
}
