//! What only the compiled FFI (`_cffi_backend.FFI`) does: being built
//! from the tables of an out-of-line module (docs/protocol.md §9.2),
//! opening libraries as `Lib` objects, refusing undeclared tags.

use super::Ffi;
use super::Lib;
use crate::errors;
use crate::lib_obj::CLibrary;
use crate::types::registry::{self, locked};
use pyo3::exceptions::{PyImportError, PyNotImplementedError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyInt, PyString, PyTuple};
use type_context::{DecodeError, LazyModule, Tables};

/// The keywords of the constructor, in their positional order.
const KEYWORDS: [&str; 8] = [
    "module_name",
    "_version",
    "_types",
    "_globals",
    "_struct_unions",
    "_enums",
    "_typenames",
    "_includes",
];

/// The version tags of out-of-line modules this runtime reads (§2).
const VERSIONS: std::ops::RangeInclusive<i64> = 0x2601..=0x28FF;

/// `_cffi_backend.FFI(module_name, _version, _types, _globals,
/// _struct_unions, _enums, _typenames, _includes)` (F-03.01): every
/// argument optional, by position or keyword. Without tables (no version
/// and no types) the FFI is empty.
pub(super) fn load_tables(
    py: Python<'_>,
    ffi: &Ffi,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<()> {
    if args.len() > KEYWORDS.len() {
        return Err(PyTypeError::new_err(format!(
            "FFI() takes at most {} arguments ({} given)",
            KEYWORDS.len(),
            args.len()
        )));
    }
    let mut given: [Option<Bound<'_, PyAny>>; 8] = Default::default();
    for (i, a) in args.iter().enumerate() {
        given[i] = Some(a);
    }
    if let Some(kwargs) = kwargs {
        for (k, v) in kwargs.iter() {
            let k: String = k.extract()?;
            let Some(i) = KEYWORDS.iter().position(|n| *n == k) else {
                return Err(PyTypeError::new_err(format!(
                    "'{k}' is an invalid keyword argument for FFI()"
                )));
            };
            if given[i].is_some() {
                return Err(PyTypeError::new_err(format!(
                    "argument for FFI() given by name ('{k}') and position ({})",
                    i + 1
                )));
            }
            given[i] = Some(v);
        }
    }
    let [module_name, version, types, globals, struct_unions, enums, typenames, includes] = given;
    let module_name = match module_name.filter(|m| !m.is_none()) {
        Some(m) => match m.cast::<PyString>() {
            Ok(s) => s.to_cow()?.into_owned(),
            Err(_) => {
                return Err(PyTypeError::new_err(format!(
                    "FFI() argument 1 must be str, not {}",
                    crate::convert::type_name(&m)
                )))
            }
        },
        None => "?".to_owned(),
    };
    let _ = ffi.module_name.set(module_name.clone());
    let version: i64 = match &version {
        Some(v) => v.extract()?,
        None => -1,
    };
    let types = match types.filter(|t| !t.is_none()) {
        None => None,
        Some(t) => Some(
            t.cast_into::<PyBytes>()
                .map_err(|_| PyTypeError::new_err("_types must be bytes"))?,
        ),
    };
    let type_bytes = types.as_ref().map_or(&[][..], PyBytesMethods::as_bytes);
    if version == -1 && type_bytes.is_empty() {
        return Ok(());
    }
    if !VERSIONS.contains(&version) {
        return Err(PyImportError::new_err(format!(
            "cffi out-of-line Python module '{module_name}' has unknown version {version:#x}"
        )));
    }
    // The tables are read in place, entry by entry: names are borrowed
    // from the bytes objects and copied once, into the tables' text.
    let bad = |e: DecodeError| decode_error(py, &e);
    let mut tables = Tables::with_types(type_bytes).map_err(bad)?;
    let globals = tuple_arg(py, globals.as_ref(), "_globals")?;
    if globals.len() % 2 != 0 {
        return Err(bad(DecodeError::Malformed(
            "_globals has an odd number of items".to_owned(),
        )));
    }
    for k in (0..globals.len()).step_by(2) {
        let name = globals.get_item(k)?;
        let value = globals.get_item(k + 1)?;
        // Most values fit 64 bits, whose conversion is the fast one.
        let value: i128 = match value.cast::<PyInt>() {
            Ok(v) => match v.extract::<i64>() {
                Ok(small) => i128::from(small),
                Err(_) => v.extract()?,
            },
            Err(_) => 0,
        };
        tables
            .add_global(name.cast::<PyBytes>()?.as_bytes(), value)
            .map_err(bad)?;
    }
    for s in tuple_arg(py, struct_unions.as_ref(), "_struct_unions")?.iter() {
        let items: Vec<Bound<'_, PyAny>> = s.cast_into::<PyTuple>()?.iter().collect();
        let slices: Vec<&[u8]> = items
            .iter()
            .map(|i| Ok(i.cast::<PyBytes>()?.as_bytes()))
            .collect::<PyResult<_>>()?;
        tables.add_struct(&slices).map_err(bad)?;
    }
    for b in bytes_items(py, enums.as_ref(), "_enums")? {
        tables.add_enum(b.as_bytes()).map_err(bad)?;
    }
    for b in bytes_items(py, typenames.as_ref(), "_typenames")? {
        tables.add_typename(b.as_bytes()).map_err(bad)?;
    }
    // Included FFIs first: their types are shared, by identity (§4.6).
    let mut decls = ctypes_model::Declarations::new();
    for other in tuple_arg(py, includes.as_ref(), "_includes")?.iter() {
        let other = other
            .cast::<Ffi>()
            .map_err(|_| PyTypeError::new_err("_includes must be a tuple of FFI objects"))?;
        other.get().include_into(py, &mut decls)?;
    }
    // `EXTERNAL` structs are the included modules' own.
    let external = type_context::decode::external_records(&decls, &registry::lock().types);
    // Names are declared when first asked for (`Ffi::declare_from_module`).
    *locked(&ffi.module) = Some(LazyModule::new(tables, external));
    *locked(&ffi.decls) = decls;
    Ok(())
}

fn tuple_arg<'py>(
    py: Python<'py>,
    arg: Option<&Bound<'py, PyAny>>,
    what: &str,
) -> PyResult<Bound<'py, PyTuple>> {
    match arg.filter(|a| !a.is_none()) {
        None => Ok(PyTuple::empty(py)),
        Some(a) => a
            .cast_exact::<PyTuple>()
            .cloned()
            .map_err(|_| PyTypeError::new_err(format!("{what} must be a tuple"))),
    }
}

fn bytes_items<'py>(
    py: Python<'py>,
    arg: Option<&Bound<'py, PyAny>>,
    what: &str,
) -> PyResult<Vec<Bound<'py, PyBytes>>> {
    tuple_arg(py, arg, what)?
        .iter()
        .map(|i| {
            i.cast_into::<PyBytes>()
                .map_err(|_| PyTypeError::new_err(format!("{what} must hold bytes")))
        })
        .collect()
}

/// A table the module cannot be built from, as cffi reports it.
pub(super) fn decode_error(py: Python<'_>, e: &DecodeError) -> PyErr {
    match e {
        DecodeError::NotImplemented(msg) => PyNotImplementedError::new_err(msg.clone()),
        DecodeError::Ffi(_) | DecodeError::Malformed(_) => {
            errors::compiled_ffi_error(py, e.to_string())
        }
    }
}

/// `ffi.dlopen(libpath, flags)`: the library opened as the in-line FFI
/// opens it (a path, `None` for the process, or a `void *` handle), and a
/// `Lib` over this FFI's declarations.
pub(super) fn dlopen(
    slf: &Bound<'_, Ffi>,
    libpath: &Bound<'_, PyAny>,
    flags: i32,
) -> PyResult<Py<Lib>> {
    let py = slf.py();
    let library = CLibrary::load(Some(libpath), flags)?;
    // Messages and the repr name the library, as cffi's do.
    let name = library.name().to_owned();
    let lib = Lib::new(slf.clone().unbind(), Py::new(py, library)?, name);
    Py::new(py, lib)
}

impl Ffi {
    /// Runs a module generator over this FFI's declarations (read in
    /// place, under its lock) and those of the included modules, given as
    /// `(module name, ffi)`.
    fn generate<T>(
        &self,
        py: Python<'_>,
        includes: Vec<(String, Py<Ffi>)>,
        generator: impl FnOnce(
            &mut ctypes_model::TypeTable,
            &ctypes_model::Declarations,
            &[(&str, &ctypes_model::Declarations)],
        ) -> T,
    ) -> PyResult<T> {
        let theirs: Vec<(String, ctypes_model::Declarations)> = includes
            .into_iter()
            .map(|(name, ffi)| Ok((name, ffi.get().all_declarations(py)?)))
            .collect::<PyResult<_>>()?;
        let their_refs: Vec<(&str, &ctypes_model::Declarations)> =
            theirs.iter().map(|(n, d)| (n.as_str(), d)).collect();
        self.declare_from_module(py, super::Wanted::All)?;
        let decls = locked(&self.decls);
        let mut reg = registry::lock();
        Ok(generator(&mut reg.types, &decls, &their_refs))
    }

    /// The `.py` module text for these declarations (F-08.10), or cffi's
    /// `VerificationError` for what ABI mode cannot hold.
    pub(crate) fn emit_python(
        &self,
        py: Python<'_>,
        module_name: &str,
        includes: Vec<(String, Py<Ffi>)>,
    ) -> PyResult<String> {
        let text = self.generate(py, includes, |types, decls, theirs| {
            type_context::encode::python_module(types, decls, module_name, theirs)
        })?;
        text.map_err(|e| match e {
            type_context::encode::EncodeError::Verification(m) => errors::verification_error(py, m),
            type_context::encode::EncodeError::Missing(m) => errors::verification_missing(py, m),
            type_context::encode::EncodeError::Overflow(m) => {
                pyo3::exceptions::PyOverflowError::new_err(m)
            }
        })
    }

    /// The C source of the API-mode module `module_name` (F-08.14).
    pub(crate) fn emit_c(
        &self,
        py: Python<'_>,
        source: recompiler::api::ModuleSource<'_>,
        includes: Vec<(String, Py<Ffi>)>,
    ) -> PyResult<String> {
        let text = self.generate(py, includes, |types, decls, theirs| {
            recompiler::api::c_module(types, decls, source, theirs)
        })?;
        text.map_err(|e| match e {
            recompiler::api::EmitError::Verification(m) => errors::verification_error(py, m),
            recompiler::api::EmitError::Type(m) => pyo3::exceptions::PyTypeError::new_err(m),
            recompiler::api::EmitError::NotImplemented(m) => {
                pyo3::exceptions::PyNotImplementedError::new_err(m)
            }
            recompiler::api::EmitError::Overflow(m) => {
                pyo3::exceptions::PyOverflowError::new_err(m)
            }
        })
    }

    /// The type table of the API-mode module for these declarations, one
    /// `(op, arg)` per slot: the op's number, or `None` for the length
    /// after an `ARRAY`; the arg is a C expression (a `str`) where only the
    /// compiler knows it (docs/api-mode.md).
    pub(crate) fn api_type_table(
        &self,
        py: Python<'_>,
        includes: Vec<Py<Ffi>>,
    ) -> PyResult<Vec<(Option<u8>, Py<PyAny>)>> {
        use type_context::encode::{Mode, Plan, SlotExpr};
        let theirs: Vec<ctypes_model::Listing> = includes
            .into_iter()
            .map(|ffi| Ok(ffi.get().all_declarations(py)?.listing()))
            .collect::<PyResult<_>>()?;
        self.declare_from_module(py, super::Wanted::All)?;
        let plan = {
            let decls = locked(&self.decls);
            let mut reg = registry::lock();
            Plan::build(&mut reg.types, &decls, &theirs, Mode::C)
        }
        .map_err(|e| errors::verification_error(py, e.to_string()))?;
        let lengths = plan.length_slots();
        let mut out = Vec::with_capacity(plan.words.len());
        for (i, &word) in plan.words.iter().enumerate() {
            let w = type_context::Word(word);
            let (op, arg) = match plan.exprs.get(&i) {
                Some(SlotExpr::Primitive(e)) => (
                    Some(type_context::Op::Primitive.number()),
                    e.into_pyobject(py)?.into_any().unbind(),
                ),
                Some(SlotExpr::Length(e)) => (None, e.into_pyobject(py)?.into_any().unbind()),
                None if lengths.contains(&i) => (None, word.into_pyobject(py)?.into_any().unbind()),
                None => (
                    Some(w.op_byte()),
                    w.arg().into_pyobject(py)?.into_any().unbind(),
                ),
            };
            out.push((op, arg));
        }
        Ok(out)
    }
}
