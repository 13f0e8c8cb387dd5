//! What the in-line `cffi.FFI` (python/cffi/api.py) and the `Lib` objects
//! ask of an FFI's declarations: adding to them, including another FFI's,
//! looking a name up, and a compiled FFI's names declared from its module
//! when first asked for.

use super::{compiled, Ffi};
use crate::errors;
use crate::types::registry::{self, locked};
use ctypes_model::{CdefOptions, Declarations, Declared, TypeId};
use pyo3::prelude::*;

/// What [`Ffi::declare_from_module`] should declare.
#[derive(Clone, Copy)]
pub(crate) enum Wanted<'a> {
    /// Whatever the module calls this.
    Name(&'a str),
    /// Every name a type string mentions.
    TypeString(&'a str),
    /// Everything.
    All,
}

/// What the in-line `cffi.FFI` (Python) needs of an FFI beyond cffi's
/// methods; reached through the module functions below, so that the FFI
/// class itself has exactly cffi's attributes (F-03.08).
impl Ffi {
    /// Adds declarations (the in-line `cdef()`, after argument checks).
    pub(crate) fn cdef(
        &self,
        py: Python<'_>,
        csource: &str,
        override_: bool,
        packed: bool,
        pack: Option<u64>,
        dllexport: bool,
    ) -> PyResult<()> {
        // A safe point (see `types::collect`): the types of FFIs dropped
        // since are freed before this one declares more.
        crate::types::collect::maybe_collect(py);
        let options = CdefOptions {
            override_,
            packed,
            pack,
            dllexport,
        };
        let result = {
            let mut decls = locked(&self.decls);
            let mut reg = registry::lock();
            decls.cdef(&mut reg.types, csource, &options)
        };
        let warnings = result.map_err(|e| errors::model_error(py, csource, &e))?;
        for w in warnings {
            errors::warn(py, csource, &w)?;
        }
        // A typedef may have been replaced (override=True): cached type
        // strings could be stale.
        self.type_cache.clear(py);
        self.fn_pointer_cache.clear(py);
        Ok(())
    }

    /// `ffi.include(other)` for the in-line FFI, after its argument checks
    /// (F-03.123): `other`'s types and integer constants become this FFI's
    /// too.
    pub(crate) fn include(&self, py: Python<'_>, other: &Ffi) -> PyResult<()> {
        // One declarations lock at a time: a copy of `other`'s first.
        let theirs = other.all_declarations(py)?;
        let result = locked(&self.decls).include(&theirs, false);
        result.map_err(|e| errors::model_error(py, "", &e))?;
        self.type_cache.clear(py);
        self.fn_pointer_cache.clear(py);
        Ok(())
    }

    /// `("function" | "variable" | "compiler_constant", ctype)` or
    /// `("constant", int)` for a declared name, else `None`.
    pub(crate) fn declaration(
        &self,
        py: Python<'_>,
        name: &str,
    ) -> PyResult<Option<(&'static str, Py<PyAny>)>> {
        self.declare_from_module(py, Wanted::Name(name))?;
        let found = locked(&self.decls).lookup(name);
        Ok(match found {
            Some(Declared::Function(id)) => {
                Some(("function", registry::ctype_for(py, id)?.into_any()))
            }
            Some(Declared::Variable(id)) => {
                Some(("variable", registry::ctype_for(py, id)?.into_any()))
            }
            Some(Declared::IntConstant(v)) => {
                Some(("constant", v.into_pyobject(py)?.into_any().unbind()))
            }
            Some(Declared::CompilerConstant(id)) => {
                Some(("compiler_constant", registry::ctype_for(py, id)?.into_any()))
            }
            // Only the C compiler knows its value (F-04.05).
            Some(Declared::PartialEnumerator(id)) => {
                let name = registry::lock().types.c_name(id);
                return Err(errors::verification_missing(py, name));
            }
            None => None,
        })
    }

    /// The declared function and variable names.
    pub(crate) fn declared_names(&self) -> Vec<String> {
        let module = locked(&self.module);
        let mut names: Vec<String> = locked(&self.decls).names().map(str::to_owned).collect();
        // A compiled FFI's names, realizing nothing.
        if let Some(m) = module.as_ref() {
            let [globals, ..] = m.names();
            names.extend(globals.into_iter().map(str::to_owned));
            names.sort();
            names.dedup();
        }
        names
    }

    /// A copy of every declaration, a compiled FFI's whole module included.
    pub(crate) fn all_declarations(&self, py: Python<'_>) -> PyResult<Declarations> {
        self.declare_from_module(py, Wanted::All)?;
        Ok(locked(&self.decls).clone())
    }

    /// Declares from a compiled FFI's module what is wanted and not
    /// declared yet (nothing for an in-line FFI). Locks: the module, then
    /// the declarations, then the registry.
    pub(crate) fn declare_from_module(&self, py: Python<'_>, wanted: Wanted<'_>) -> PyResult<()> {
        let (result, fresh) = {
            let mut module = locked(&self.module);
            let Some(m) = module.as_mut().filter(|m| !m.is_complete()) else {
                return Ok(());
            };
            let mut decls = locked(&self.decls);
            let mut reg = registry::lock();
            let result = match wanted {
                Wanted::Name(name) => m.declare_name(&mut reg.types, &mut decls, name),
                Wanted::TypeString(src) => src
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .filter(|w| w.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
                    .try_for_each(|w| m.declare_name(&mut reg.types, &mut decls, w)),
                Wanted::All => m.declare_all(&mut reg.types, &mut decls),
            };
            (result, m.take_fresh())
        };
        self.write_back_fresh(py, fresh)?;
        result.map_err(|e| compiled::decode_error(py, &e))
    }

    /// Adds this FFI's declarations to `decls`, those of a module that
    /// includes this one (§4.6): its types are shared, by identity.
    pub(crate) fn include_into(&self, py: Python<'_>, decls: &mut Declarations) -> PyResult<()> {
        let theirs = self.all_declarations(py)?;
        decls
            .include(&theirs, false)
            .map_err(|e| errors::compiled_ffi_error(py, e.kind.to_string()))
    }

    /// An API module's FFI over its tables (already read from C); `hooks`
    /// store its realized types into the module's own table.
    pub(crate) fn api_module(
        py: Python<'_>,
        module_name: &str,
        mut module: type_context::LazyModule,
        decls: Declarations,
        hooks: Box<dyn super::ApiHooks>,
    ) -> Ffi {
        module.track_fresh();
        let ffi = Ffi {
            initialized: std::sync::atomic::AtomicBool::new(true),
            ..Ffi::empty(py, false)
        };
        *locked(&ffi.decls) = decls;
        *locked(&ffi.module) = Some(module);
        let _ = ffi.module_name.set(module_name.to_owned());
        let _ = ffi.api.set(hooks);
        ffi
    }

    /// Realizes `slots` of a compiled FFI's tables now, those that were
    /// not yet (and writes them back, for an API module); one that fails
    /// is left for its first use, which fails alike.
    pub(crate) fn realize_slots(&self, py: Python<'_>, slots: &[i32]) -> PyResult<()> {
        let fresh = {
            let mut module = locked(&self.module);
            let Some(m) = module.as_mut() else {
                return Ok(());
            };
            let mut reg = registry::lock();
            for &slot in slots {
                let _ = m.realize_slot(&mut reg.types, slot);
            }
            m.take_fresh()
        };
        self.write_back_fresh(py, fresh)
    }

    fn write_back_fresh(&self, py: Python<'_>, fresh: Vec<(usize, TypeId)>) -> PyResult<()> {
        match self.api.get() {
            Some(api) if !fresh.is_empty() => api.write_back(py, fresh),
            _ => Ok(()),
        }
    }

    /// Every declaration under the keys of cffi's private parser, with a
    /// value (a ctype; an int, or `"..."`, for a macro) and qualifiers
    /// (a private attribute some packages and cffi's tests read).
    /// Enumerators are not declarations there; `static const`
    /// integers are macros, as in cffi.
    pub(crate) fn parser_declarations(
        &self,
        py: Python<'_>,
    ) -> PyResult<Vec<(String, Py<PyAny>, u8)>> {
        let decls = self.all_declarations(py)?;
        let listing = decls.listing();
        let enumerators: std::collections::HashSet<String> = {
            let reg = registry::lock();
            listing
                .tags
                .iter()
                .map(|(_, _, id)| *id)
                .chain(listing.anonymous.iter().copied())
                .filter_map(|id| match reg.types.get(id) {
                    ctypes_model::Type::Enum(e) => Some(reg.types.enum_def(*e).values.clone()),
                    _ => None,
                })
                .flatten()
                .map(|(name, _)| name.to_string())
                .collect()
        };
        let ctype = |id| -> PyResult<Py<PyAny>> { Ok(registry::ctype_for(py, id)?.into_any()) };
        let mut out = Vec::new();
        for (name, id) in &listing.typedefs {
            out.push((format!("typedef {name}"), ctype(*id)?, 0));
        }
        for (tag, name, id) in &listing.tags {
            let kind = match tag {
                ctypes_model::Tag::Struct => "struct",
                ctypes_model::Tag::Union => "union",
                ctypes_model::Tag::Enum => "enum",
            };
            out.push((format!("{kind} {name}"), ctype(*id)?, 0));
        }
        // Untagged structs, unions and enums: under the typedef that
        // names them, or their number (`$enum_$N` for enums, as in cffi).
        let tagged: std::collections::HashSet<_> =
            listing.tags.iter().map(|(_, _, id)| *id).collect();
        for (name, id) in &listing.typedefs {
            let record_or_enum = matches!(
                registry::lock().types.get(*id),
                ctypes_model::Type::Record(_) | ctypes_model::Type::Enum(_)
            );
            if record_or_enum && !tagged.contains(id) && !listing.anonymous.contains(id) {
                out.push((format!("anonymous {name}"), ctype(*id)?, 0));
            }
        }
        for id in &listing.anonymous {
            let c_name = registry::lock().types.c_name(*id);
            let name = match c_name.strip_prefix("enum ") {
                Some(n) => format!("$enum_{n}"),
                None => ["struct ", "union "]
                    .iter()
                    .find_map(|k| c_name.strip_prefix(k))
                    .unwrap_or(&c_name)
                    .to_owned(),
            };
            out.push((format!("anonymous {name}"), ctype(*id)?, 0));
        }
        for (name, ptr) in &listing.functions {
            out.push((format!("function {name}"), ctype(*ptr)?, 0));
        }
        for (name, ptr, _) in &listing.extern_python {
            out.push((format!("extern_python {name}"), ctype(*ptr)?, 0));
        }
        for (name, id) in &listing.variables {
            out.push((format!("variable {name}"), ctype(*id)?, 0));
        }
        for (name, id) in &listing.compiler_constants {
            // Declared `const`: cffi's qualifier bit 1.
            out.push((format!("constant {name}"), ctype(*id)?, 1));
        }
        for (name, value) in &listing.constants {
            if !enumerators.contains(name) {
                let value = value.into_pyobject(py)?.into_any().unbind();
                out.push((format!("macro {name}"), value, 0));
            }
        }
        for name in &listing.compiler_macros {
            let dots = pyo3::types::PyString::new(py, "...").into_any().unbind();
            out.push((format!("macro {name}"), dots, 0));
        }
        Ok(out)
    }
}
