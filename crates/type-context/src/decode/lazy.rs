//! A module's tables realized on demand: a name is declared (and the
//! types it needs realized) when it is first asked for, so that building
//! the FFI of a module of thousands of functions costs little more than
//! reading its tables, as in the original cffi.

use super::{Progress, Realizer};
use crate::tables::{DecodeError, Tables};
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
        let sorted = [
            is_sorted(&tables.globals, |g| &g.name),
            is_sorted(&tables.typenames, |t| &t.name),
            is_sorted(&tables.struct_unions, |s| &s.name),
            is_sorted(&tables.enums, |e| &e.name),
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
                .filter(move |s| !s.name.starts_with('$'))
                .filter(move |s| (s.flags & crate::tables::flags::UNION != 0) == union)
                .map(|s| s.name.as_str())
                .collect()
        };
        [
            t.globals.iter().map(|g| g.name.as_str()).collect(),
            t.typenames.iter().map(|n| n.name.as_str()).collect(),
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
        let globals = find(&t.globals, self.sorted[0], name, |g| &g.name);
        let typenames = find(&t.typenames, self.sorted[1], name, |t| &t.name);
        let struct_unions = find(&t.struct_unions, self.sorted[2], name, |s| &s.name);
        let enums = find(&t.enums, self.sorted[3], name, |e| &e.name);
        let mut r = Realizer::resume(&self.tables, std::mem::take(&mut self.done));
        let result = (|| {
            for k in globals {
                if !self.globals[k] {
                    r.declare_global(types, decls, k)?;
                    self.globals[k] = true;
                }
            }
            for k in typenames {
                if !self.typenames[k] {
                    r.declare_typename(types, decls, k)?;
                    self.typenames[k] = true;
                }
            }
            for k in struct_unions {
                if !self.struct_unions[k] {
                    r.declare_struct_union(types, decls, k)?;
                    self.struct_unions[k] = true;
                }
            }
            for k in enums {
                if !self.enums[k] {
                    r.declare_enum(types, decls, k)?;
                    self.enums[k] = true;
                }
            }
            Ok(())
        })();
        self.done = r.into_progress();
        result
    }

    /// Declares every name of the module (for listings, `dir()`, and
    /// modules that include this one).
    pub fn declare_all(
        &mut self,
        types: &mut TypeTable,
        decls: &mut Declarations,
    ) -> Result<(), DecodeError> {
        if self.complete {
            return Ok(());
        }
        let mut r = Realizer::resume(&self.tables, std::mem::take(&mut self.done));
        let result = r.declare_all(types, decls);
        self.done = r.into_progress();
        result?;
        self.complete = true;
        Ok(())
    }
}

fn is_sorted<T>(items: &[T], name: impl Fn(&T) -> &str) -> bool {
    items.windows(2).all(|w| name(&w[0]) < name(&w[1]))
}

/// The indexes of the entries named `name`: by binary search in a sorted
/// table, else by a scan.
fn find<T>(items: &[T], sorted: bool, name: &str, name_of: impl Fn(&T) -> &str) -> Vec<usize> {
    if sorted {
        let start = items.partition_point(|x| name_of(x) < name);
        let end = start
            + items[start..]
                .iter()
                .take_while(|x| name_of(x) == name)
                .count();
        (start..end).collect()
    } else {
        (0..items.len())
            .filter(|&k| name_of(&items[k]) == name)
            .collect()
    }
}
