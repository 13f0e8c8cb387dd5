//! Freeing the types nothing uses any more.
//!
//! A table shared by every FFI of a process would otherwise keep the
//! records, typedef'd types and derived types of every FFI ever made
//! (issue #19). [`TypeTable::collect`] is a mark-and-sweep over the type
//! graph: the caller names the roots (the types its live objects hold),
//! everything they reach is kept, and the rest is freed. Freed slots are
//! reused by later types, so ids stay dense and the table's memory stays
//! bounded by what is alive.
//!
//! The caller's duty: after a collection, no id outside the roots may be
//! used again — it may now name another type. A freed slot reads as
//! `void` (an opaque record, an empty enum) until reused, and
//! [`TypeTable::is_live`] tells; interning a type that refers to a freed
//! slot never reuses a slot, so a stale id cannot make a type refer to
//! itself.

use super::{Type, TypeId, TypeTable};
use crate::record::{EnumDef, RecordDef, RecordKind};
use crate::Primitive;

/// The free lists of a [`TypeTable`].
#[derive(Debug, Default)]
pub(super) struct FreeSlots {
    /// Freed type slots, reused last-freed first.
    pub(super) types: Vec<u32>,
    /// For each type slot, whether it is free.
    pub(super) is_free: Vec<bool>,
    /// Freed record and enum slots.
    pub(super) records: Vec<u32>,
    pub(super) enums: Vec<u32>,
}

impl TypeTable {
    /// Frees every type that no root reaches, through pointers, array
    /// items, function parameters and results, and the fields of records.
    /// Returns the freed ids (for side tables indexed by id).
    pub fn collect(&mut self, roots: impl IntoIterator<Item = TypeId>) -> Vec<TypeId> {
        let mut marked = vec![false; self.types.len()];
        let mut stack: Vec<TypeId> = roots.into_iter().chain(self.file).collect();
        while let Some(id) = stack.pop() {
            let Some(mark) = marked.get_mut(id.index()) else {
                continue;
            };
            if *mark || self.free.is_free[id.index()] {
                continue;
            }
            *mark = true;
            let ty = &self.types[id.index()];
            parts(ty, &mut |part| stack.push(part));
            // Records are nominal: their fields are reached, not parts.
            if let Type::Record(rid) = ty {
                if let Some(body) = &self.records[rid.0 as usize].body {
                    stack.extend(body.fields.iter().map(|f| f.ty));
                }
            }
        }
        let mut freed = Vec::new();
        for (i, &keep) in marked.iter().enumerate() {
            if keep || self.free.is_free[i] {
                continue;
            }
            let ty = std::mem::replace(&mut self.types[i], Type::Void);
            let id = TypeId(i as u32);
            if self.index.get(&ty) == Some(&id) {
                self.index.remove(&ty);
            }
            match ty {
                Type::Record(rid) => {
                    let r = rid.0 as usize;
                    self.records[r] = RecordDef {
                        kind: RecordKind::Struct,
                        name: String::new(),
                        body: None,
                        layout: std::sync::OnceLock::new(),
                    };
                    self.containers[r] = Vec::new();
                    self.free.records.push(rid.0);
                }
                Type::Enum(eid) => {
                    self.enums[eid.0 as usize] = EnumDef {
                        name: String::new(),
                        values: Vec::new(),
                        underlying: Primitive::UnsignedInt,
                        partial: false,
                        complete: false,
                    };
                    self.free.enums.push(eid.0);
                }
                _ => {}
            }
            self.free.is_free[i] = true;
            self.free.types.push(i as u32);
            freed.push(id);
        }
        if !freed.is_empty() {
            // A record freed above may be listed as a container of a live
            // one; its slot may be reused by an unrelated record.
            let gone: rustc_hash::FxHashSet<u32> = self.free.records.iter().copied().collect();
            for list in &mut self.containers {
                list.retain(|r| !gone.contains(&r.0));
            }
        }
        freed
    }

    /// False for an id whose type was freed by [`TypeTable::collect`] (and
    /// not reused since).
    pub fn is_live(&self, id: TypeId) -> bool {
        !self.free.is_free.get(id.index()).copied().unwrap_or(true)
    }

    /// True if `ty` names a freed slot (only a stale id does).
    pub(super) fn refers_to_free(&self, ty: &Type) -> bool {
        let mut found = false;
        parts(ty, &mut |part| {
            found |= self
                .free
                .is_free
                .get(part.index())
                .copied()
                .unwrap_or(false);
        });
        found
    }

    /// The number of type slots, free ones included: ids are below it.
    pub fn capacity(&self) -> usize {
        self.types.len()
    }
}

/// Calls `f` with the types `ty` is made of (its identity as interned):
/// a pointer's or array's item, a function's parameters and result.
fn parts(ty: &Type, f: &mut impl FnMut(TypeId)) {
    match ty {
        Type::Pointer(item) | Type::Array { item, .. } => f(*item),
        Type::Function(func) => {
            func.args.iter().for_each(|&a| f(a));
            f(func.result);
        }
        Type::Void | Type::Primitive(_) | Type::Record(_) | Type::Enum(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::{Declarations, Target, TypeTable};

    fn declared(types: &mut TypeTable, src: &str) -> Declarations {
        let mut d = Declarations::new();
        d.cdef(types, src, &Default::default()).unwrap();
        d
    }

    fn roots(d: &Declarations) -> Vec<crate::TypeId> {
        let mut out = Vec::new();
        d.for_each_type(&mut |id| out.push(id));
        out
    }

    #[test]
    fn unreachable_types_are_freed_and_their_slots_reused() {
        let mut types = TypeTable::new(Target::host());
        let mut kept = declared(&mut types, "struct k { int a; struct k *next; };");
        // Declared, then dropped: nothing roots its types.
        declared(
            &mut types,
            "struct g { double d[3]; }; typedef struct g *gp; int f(gp); enum e { X };",
        );
        let before = types.len();
        let freed = types.collect(roots(&kept));
        // struct g, double[3], struct g *, int(struct g *), its pointer,
        // enum e: gone; what `kept` holds stays whole.
        assert!(freed.len() >= 6, "{freed:?}");
        assert_eq!(types.len(), before - freed.len());
        let k = kept.parse_type_raw(&mut types, "struct k").unwrap();
        assert_eq!(types.size_of(k), Some(16));
        assert_eq!(types.c_name(k), "struct k");
        // A freed slot reads as void, never panics.
        assert_eq!(types.size_of(freed[0]), None);
        // New types take the freed slots.
        let slots = types.capacity();
        let mut again = declared(&mut types, "struct g2 { double d[3]; }; enum e2 { Y };");
        let g2 = again.parse_type_raw(&mut types, "struct g2").unwrap();
        assert_eq!(types.capacity(), slots);
        assert_eq!(types.size_of(g2), Some(24));
        assert_eq!(types.c_name(g2), "struct g2");
        // Interning still gives one id per type.
        let p1 = types.pointer(g2);
        assert_eq!(types.pointer(g2), p1);
    }
}
