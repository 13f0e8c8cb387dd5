//! A module's tables realized on demand: a name is declared (and the
//! types it needs realized) when it is first asked for, so that building
//! the FFI of a module of thousands of functions costs little more than
//! reading its tables, as in the original cffi.

use super::{Progress, Realizer};
use crate::tables::{DecodeError, Name, Tables};
use ctypes_model::{Declarations, RecordKind, TypeId, TypeTable};

/// A module's tables and what of them is declared so far.
#[derive(Debug, Clone)]
pub struct LazyModule {
    tables: Tables,
    done: Progress,
    /// Which entries of `_globals`, `_typenames`, `_struct_unions` and
    /// `_enums` are declared.
    globals: Vec<bool>,
    typenames: Vec<bool>,
    struct_unions: Vec<bool>,
    enums: Vec<bool>,
    /// Whether each table is sorted by name (generated ones are), which
    /// allows a binary search.
    sorted: [bool; 4],
    /// Every name is declared.
    complete: bool,
}

impl LazyModule {
    /// The tables of a module whose `EXTERNAL` structs are `external`
    /// (the included modules' own: kind, stored name, type). Nothing is
    /// realized yet.
    pub fn new(tables: Tables, external: Vec<(RecordKind, String, TypeId)>) -> LazyModule {
        let done = Realizer::new(&tables)
            .with_external(external)
            .into_progress();
        let t = &tables;
        let sorted = [
            is_sorted(t, t.globals.len(), |k| t.globals[k].name),
            is_sorted(t, t.typenames.len(), |k| t.typenames[k].name),
            is_sorted(t, t.struct_unions.len(), |k| t.struct_unions[k].name),
            is_sorted(t, t.enums.len(), |k| t.enums[k].name),
        ];
        LazyModule {
            globals: vec![false; tables.globals.len()],
            typenames: vec![false; tables.typenames.len()],
            struct_unions: vec![false; tables.struct_unions.len()],
            enums: vec![false; tables.enums.len()],
            tables,
            done,
            sorted,
            complete: false,
        }
    }

    /// Keeps the slots realized from now on for [`LazyModule::take_fresh`].
    pub fn track_fresh(&mut self) {
        self.done.track_fresh = true;
    }

    /// The tables.
    pub fn tables(&self) -> &Tables {
        &self.tables
    }

    /// The type of `slot`, realized now if it was not yet (a function
    /// shape comes back as its function type).
    pub fn realize_slot(
        &mut self,
        types: &mut TypeTable,
        slot: i32,
    ) -> Result<TypeId, DecodeError> {
        let mut r = Realizer::resume(&self.tables, std::mem::take(&mut self.done));
        let result = r.realize(types, slot);
        self.done = r.into_progress();
        result
    }

    /// The slots realized since the last call, with their types (for an
    /// API module's write-back, docs/protocol.md §5.3).
    pub fn take_fresh(&mut self) -> Vec<(usize, TypeId)> {
        self.done.take_fresh()
    }

    /// Calls `f` with every type realized so far (see
    /// [`Progress::for_each_type`]).
    pub fn for_each_type(&self, f: &mut dyn FnMut(TypeId)) {
        self.done.for_each_type(f);
    }

    /// Whether the globals are sorted by name (as generated tables are).
    pub fn globals_sorted(&self) -> bool {
        self.sorted[0]
    }

    /// True once every name is declared.
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// The module's names, realizing nothing: its functions, variables and
    /// constants; its typedefs; its struct tags; its union tags.
    pub fn names(&self) -> [Vec<&str>; 4] {
        let t = &self.tables;
        let tags = |union: bool| {
            t.struct_unions
                .iter()
                .filter(move |s| (s.flags & crate::tables::flags::UNION != 0) == union)
                .map(|s| t.name(s.name))
                .filter(|n| !n.starts_with('$'))
                .collect()
        };
        [
            t.globals.iter().map(|g| t.name(g.name)).collect(),
            t.typenames.iter().map(|n| t.name(n.name)).collect(),
            tags(false),
            tags(true),
        ]
    }

    /// Declares whatever the module calls `name`: a function, variable or
    /// constant, a typedef, a struct, union or enum tag. A name the module
    /// does not have is no error.
    pub fn declare_name(
        &mut self,
        types: &mut TypeTable,
        decls: &mut Declarations,
        name: &str,
    ) -> Result<(), DecodeError> {
        if self.complete {
            return Ok(());
        }
        let t = &self.tables;
        let s = self.sorted;
        let globals = find(t, t.globals.len(), s[0], name, |k| t.globals[k].name);
        let typenames = find(t, t.typenames.len(), s[1], name, |k| t.typenames[k].name);
        let struct_unions = find(t, t.struct_unions.len(), s[2], name, |k| {
            t.struct_unions[k].name
        });
        let enums = find(t, t.enums.len(), s[3], name, |k| t.enums[k].name);
        let mut r = Realizer::resume(&self.tables, std::mem::take(&mut self.done));
        let result = (|| {
            once(globals, &mut self.globals, |k| {
                r.declare_global(types, decls, k)
            })?;
            once(typenames, &mut self.typenames, |k| {
                r.declare_typename(types, decls, k)
            })?;
            once(struct_unions, &mut self.struct_unions, |k| {
                r.declare_struct_union(types, decls, k)
            })?;
            once(enums, &mut self.enums, |k| r.declare_enum(types, decls, k))
        })();
        self.done = r.into_progress();
        result
    }

    /// Declares every name of the module (for listings, `dir()`, and
    /// modules that include this one). A struct whose layout the module's
    /// compiler contradicts (an `ffi.error`), or a constant it disagrees
    /// with, is left undeclared: it fails when it is used by name, as in
    /// cffi, not when everything is listed or included.
    pub fn declare_all(
        &mut self,
        types: &mut TypeTable,
        decls: &mut Declarations,
    ) -> Result<(), DecodeError> {
        if self.complete {
            return Ok(());
        }
        let mut r = Realizer::resume(&self.tables, std::mem::take(&mut self.done));
        let mut skipped = false;
        let s = &mut skipped;
        let result = (|| {
            declare_each(&mut self.typenames, None, |k| {
                r.declare_typename(types, decls, k)
            })?;
            declare_each(&mut self.struct_unions, Some(&mut *s), |k| {
                r.declare_struct_union(types, decls, k)
            })?;
            declare_each(&mut self.enums, Some(&mut *s), |k| {
                r.declare_enum(types, decls, k)
            })?;
            declare_each(&mut self.globals, Some(&mut *s), |k| {
                r.declare_global(types, decls, k)
            })
        })();
        self.done = r.into_progress();
        result?;
        self.complete = !skipped;
        Ok(())
    }
}

/// Runs `declare` for every entry not yet `done`, marking each done once
/// it succeeded. With `skipped` given, an entry that fails with what cffi
/// reports as `ffi.error` is left undeclared (and `skipped` set) instead
/// of stopping.
fn declare_each(
    done: &mut [bool],
    mut skipped: Option<&mut bool>,
    mut declare: impl FnMut(usize) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    for (k, declared) in done.iter_mut().enumerate() {
        if *declared {
            continue;
        }
        match (declare(k), skipped.as_deref_mut()) {
            (Ok(()), _) => *declared = true,
            (Err(DecodeError::Ffi(_)), Some(skipped)) => *skipped = true,
            (Err(e), _) => return Err(e),
        }
    }
    Ok(())
}

/// Runs `declare` for each of the entries `ks` not yet `done`, marking
/// each done once it succeeded.
fn once(
    ks: Vec<usize>,
    done: &mut [bool],
    mut declare: impl FnMut(usize) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    for k in ks {
        if !done[k] {
            declare(k)?;
            done[k] = true;
        }
    }
    Ok(())
}

fn is_sorted(t: &Tables, len: usize, name_at: impl Fn(usize) -> Name) -> bool {
    (1..len).all(|k| t.name(name_at(k - 1)) < t.name(name_at(k)))
}

/// The indexes of the `len` entries whose name (`name_at(k)`) is `name`:
/// by binary search in a sorted table, else by a scan.
fn find(
    t: &Tables,
    len: usize,
    sorted: bool,
    name: &str,
    name_at: impl Fn(usize) -> Name,
) -> Vec<usize> {
    let at = |k: usize| t.name(name_at(k));
    if sorted {
        let (mut lo, mut hi) = (0, len);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if at(mid) < name {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        (lo..len).take_while(|&k| at(k) == name).collect()
    } else {
        (0..len).filter(|&k| at(k) == name).collect()
    }
}
